"""python -m visualize: whitelist parsing, refusals with exit code 2, values, gradients, files."""

import json
import re
import subprocess
import sys

import pytest

from visualize import cli
from visualize.cli import FormulaError, main, parse_formula

NEURON = ["tanh(x*w + b)", "--set", "x=2", "w=-3", "b=6.8813735870195432"]


@pytest.fixture(autouse=True)
def no_system_dot_and_no_eval(no_system_dot, monkeypatch):
    """Hide any system Graphviz, and make eval/exec fail loudly if the CLI module used them."""

    def forbidden(*args, **kwargs):
        raise AssertionError("eval/exec must never be called")
    for name in ("eval", "exec"):   # module globals shadow the builtins inside visualize.cli
        monkeypatch.setattr(cli, name, forbidden, raising=False)


@pytest.mark.webassembly
def test_prints_values_and_gradients_and_renders_svg(tmp_path, capsys):
    out = tmp_path / "neuron.svg"
    assert main(NEURON + ["-o", str(out)]) == 0
    text = capsys.readouterr().out
    assert "tanh(x*w + b) = 0.7071" in text
    rows = dict((m[0], (float(m[1]), float(m[2])))
                for m in re.findall(r"^\s+(\w)\s+(\S+)\s+(\S+)$", text, re.M))
    assert rows["x"] == (2.0, pytest.approx(-1.5, abs=1e-3))
    assert rows["w"] == (-3.0, pytest.approx(1.0, abs=1e-3))
    assert rows["b"][1] == pytest.approx(0.5, abs=1e-3)
    svg = out.read_text()
    assert "<svg" in svg and "tanh" in svg and ">x<" in svg


@pytest.mark.webassembly
def test_html_writes_the_animation_and_gradients_are_not_doubled(tmp_path, capsys):
    page = tmp_path / "neuron.html"
    assert main(NEURON + ["--html", str(page), "-o", str(tmp_path / "n.dot")]) == 0
    assert re.search(r"^\s+x\s+2\s+-1.5$", capsys.readouterr().out, re.M)
    data = re.search(r'id="frames">(.*?)</script>', page.read_text(), re.S).group(1)
    assert len(json.loads(data)["steps"]) == 5   # one per edge: tanh 1, + 2, * 2
    assert "digraph" in (tmp_path / "n.dot").read_text()


def test_no_render_writes_nothing(tmp_path, capsys):
    out = tmp_path / "n.svg"
    assert main(NEURON + ["-o", str(out), "--no-render"]) == 0
    assert not out.exists() and "= 0.7071" in capsys.readouterr().out


def test_numbers_powers_and_unary_minus(capsys):
    assert main(["-x**2 + 2**3 - 1/x + exp(0)", "--set", "x=2"]) == 0
    text = capsys.readouterr().out
    assert "= 4.5" in text                   # -4 + 8 - 0.5 + 1
    assert re.search(r"x\s+2\s+-3.75$", text, re.M)   # -2x + 1/x²


@pytest.mark.parametrize("formula, what", [
    ("__import__('os').system('x')", "calls of anything but"),
    ("x.__class__", "attribute access"),
    ("(lambda: 1)()", "calls of anything but"),
    ("lambda: 1", "lambdas"),
    ("x[0]", "subscripts"),
    ("'a'", "strings"),
    ("open('f')", "calls of anything but"),
    ("exp(x, x)", "exactly one argument"),
    ("exp(x=1)", "exactly one argument"),
    ("tanh", "is a function"),
    ("x if x else x", "if/else"),
    ("x < 1", "comparisons"),
    ("x // 2", "the operator // (write / for division)"),
    ("x @ x", "the operator @"),
    ("~x", "the operator ~"),
    ("[x for x in x]", "comprehensions"),
    ("(x, x)", "tuples"),
    ("True * x", "True"),
    ("1j * x", "1j"),
    ("x +", "not a valid formula"),
    ("x; import os", "not a valid formula"),
    ("", "empty"),
])
def test_refusals_exit_2_with_a_clear_message(formula, what, capsys):
    assert main([formula, "--set", "x=1"]) == 2
    err = capsys.readouterr().err
    assert "refused" in err and what in err


def test_refusal_happens_before_anything_runs(tmp_path):
    marker = tmp_path / "ran"
    formula = f"__import__('os').system('touch {marker}') + x"
    result = subprocess.run([sys.executable, "-m", "visualize", formula, "--set", "x=1"],
                            capture_output=True, text=True)
    assert result.returncode == 2
    assert "refused" in result.stderr and not marker.exists()
    with pytest.raises(FormulaError, match="column 1"):
        parse_formula(formula)


def test_unknown_name_lists_what_the_formula_needs(capsys):
    assert main(["x*w + b", "--set", "x=1"]) == 2
    err = capsys.readouterr().err
    assert "unknown names b, w" in err and "needs values for: b, w, x" in err


@pytest.mark.parametrize("item, what", [
    ("x", "name=number"), ("x=abc", "not a number"), ("x=nan", "finite"),
    ("x=1e999", "finite"), ("exp=1", "function name"), ("1x=2", "name=number"),
])
def test_bad_set_values_are_refused(item, what, capsys):
    assert main(["x + 1", "--set", item]) == 2
    assert what in capsys.readouterr().err


def test_evaluation_errors_exit_1(capsys):
    assert main(["log(x)", "--set", "x=0"]) == 1
    assert "log" in capsys.readouterr().err
    assert main(["exp(x) + 1", "--set", "x=1000"]) == 1
    assert "overflows" in capsys.readouterr().err
    assert main(["10.0**10**10 + x", "--set", "x=0"]) == 2   # refused before it runs
    assert "exponent larger than" in capsys.readouterr().err


@pytest.mark.webassembly
def test_png_and_pdf_without_system_graphviz(tmp_path, capsys):
    for ext, magic in (("png", b"\x89PNG"), ("pdf", b"%PDF-")):
        assert main(NEURON + ["-o", str(tmp_path / f"n.{ext}")]) == 0
        assert (tmp_path / f"n.{ext}").read_bytes().startswith(magic)


def test_parse_formula_returns_the_names():
    _, names = parse_formula("sigmoid(a*x) + relu(b) - c**2")
    assert names == ["a", "b", "c", "x"]


def test_deep_formula_evaluates_without_recursion(capsys):
    assert main(["+".join(["x"] * 600), "--set", "x=1", "--no-render"]) == 0
    assert re.search(r"x\s+1\s+600$", capsys.readouterr().out, re.M)


@pytest.mark.webassembly
def test_missing_output_folders_are_created(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(NEURON + ["-o", "missing/dir/g.svg", "--html", "other/dir/p.html"]) == 0
    assert "<svg" in (tmp_path / "missing" / "dir" / "g.svg").read_text()
    assert "<script" in (tmp_path / "other" / "dir" / "p.html").read_text()


def one_line_error(capsys) -> str:
    err = capsys.readouterr().err
    assert err.endswith("\n") and err.count("\n") == 1 and "Traceback" not in err, err
    return err


@pytest.mark.parametrize("option", ["-o", pytest.param("--html", marks=pytest.mark.webassembly)])
def test_unwritable_output_is_one_line_exit_1(tmp_path, capsys, option):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    target = blocker / ("g.dot" if option == "-o" else "p.html")   # a folder that is a file
    assert main(NEURON + [option, str(target)]) == 1
    assert f"cannot write {blocker}" in one_line_error(capsys)


@pytest.mark.parametrize("argv, what", [
    (["x", "--set", "x=1", "--digits", "0"], "--digits must be from 1 to 17, got 0"),
    (["x", "--set", "x=1", "--digits", "many"], "invalid int value: 'many'"),
    (["x", "--bogus"], "unrecognized arguments: --bogus"),
    ([], "the following arguments are required: formula"),
])
def test_usage_errors_are_one_line_exit_2(argv, what, capsys):
    assert main(argv) == 2   # argparse's exit becomes main's return value
    err = one_line_error(capsys)
    assert err.startswith("python -m visualize: refused: ") and what in err


def test_graph_too_big_is_one_line_exit_1(tmp_path, capsys):
    assert main(["+".join(["x"] * 600), "--set", "x=1", "-o", str(tmp_path / "g.dot")]) == 1
    assert "more than --max-nodes 500; give --max-nodes 600" in one_line_error(capsys)


def test_unexpected_error_is_still_one_line(monkeypatch, tmp_path, capsys):
    def broken(*args, **kwargs):
        raise TypeError("a bug\nover two lines")
    monkeypatch.setattr(cli, "draw_dot", broken)
    assert main(NEURON + ["-o", str(tmp_path / "g.dot")]) == 1
    err = one_line_error(capsys)
    assert "internal error (TypeError: a bug over two lines)" in err and "report" in err


def test_a_real_process_prints_no_traceback(tmp_path):
    result = subprocess.run([sys.executable, "-m", "visualize", "x + 1", "--set", "x=1",
                             "-o", "/proc/no/such/g.dot"], capture_output=True, text=True)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("python -m visualize: cannot write /proc/no")
