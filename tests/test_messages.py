"""Every message a newcomer meets names what was wrong and what to do (issue 20's list)."""

import warnings

import numpy as np
import pytest

from autograd.extend import FormulaError, parse_formula
from nn import MLP, fit
from visualize.cli import main

NEURON = ["tanh(x*w + b)", "--set", "x=2", "w=-3", "b=6.88"]


def refused(capsys, argv: list[str], code: int = 2) -> str:
    assert main(argv) == code
    captured = capsys.readouterr()
    assert captured.err.count("\n") == 1
    return captured.err


def test_caret_is_explained_as_not_a_power(capsys):
    assert "the operator ^, which is not a power in Python: write x**2" in \
        refused(capsys, ["x^2", "--set", "x=1", "--no-render"])


def test_a_set_name_the_formula_lacks_is_refused_with_its_names(capsys):
    err = refused(capsys, ["tanh(x*w + b)", "--set", "x=2", "w=-3", "b=6.88", "B=6.88"])
    assert "--set B: not in the formula; its names are: b, w, x" in err


def test_a_formula_starting_with_minus_says_how_to_write_it(capsys):
    err = refused(capsys, ["-x*2", "--set", "x=1"])
    assert "'-x*2' starts with -, so it was read as an option: put a space before it" in err
    assert main([" -x*2", "--set", "x=1", "--no-render"]) == 0
    assert main(["--set", "x=1", "--no-render", "--", "-x*2"]) == 0


def test_no_syntax_warning_leaks():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(FormulaError, match="if/else"):
            parse_formula("1if x else 2")


def test_the_picture_limit_names_the_command_line_option(tmp_path, capsys):
    err = refused(capsys, ["+".join(["x"] * 9), "--set", "x=1", "-o", str(tmp_path / "g.svg"),
                           "--max-nodes", "5"], code=1)
    assert "--max-nodes 5; give --max-nodes 9" in err and "max_nodes=" not in err


def test_a_wrong_extension_is_refused_before_anything_is_written(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    err = refused(capsys, [*NEURON, "-o", "g.jpg", "--html", "page.html"])
    assert "-o g.jpg: the file type comes from the extension" in err
    assert list(tmp_path.iterdir()) == []


def test_one_path_for_two_files_is_refused(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert "-o and --html both name p.svg" in refused(capsys, [*NEURON, "-o", "p.svg",
                                                                "--html", "p.svg"])
    assert list(tmp_path.iterdir()) == []


def test_an_input_named_out_is_refused_before_running_a_check(capsys):
    err = refused(capsys, ["out*2", "--set", "out=1", "--wrt", "out", "--check", "2"])
    assert "the formula has an input named out: rename that input" in err


def test_a_name_typed_in_another_style_is_the_same_name(capsys):
    assert main(["𝐱*2", "--set", "𝐱=1", "--no-render"]) == 0
    assert "x             1             2" in capsys.readouterr().out


def test_formula_must_be_text_and_big_numbers_that_fit_are_fine():
    with pytest.raises(FormulaError, match="a formula is text .a str., got int 12345"):
        parse_formula(12345)
    assert parse_formula("x*1e300")[1] == ["x"]
    with pytest.raises(FormulaError, match="too large for a float"):
        parse_formula("x*" + "9" * 400)


@pytest.mark.parametrize("X, y, message", [
    ([[1, 2], [np.nan, 1]], [0, 1], r"fit: X\[1, 0\] is nan; every input and target must be a "
                                    r"finite number"),
    ([[1, 2], [3, np.inf]], [0, 1], r"fit: X\[1, 1\] is inf"),
    ([[1, 2], [1, 1]], [0, np.nan], r"fit: y\[1\] is nan"),
    ([[1, 2], [1]], [0, 1], r"fit: X\[1\] has 1 entries where X\[0\] has 2"),
    ([[1, 2], ["a", 1]], [0, 1], r"fit: X\[1\] = \['a', 1\] is not a number"),
])
def test_fit_names_the_bad_row_and_column(X, y, message):
    with pytest.raises(ValueError, match=message):
        fit(MLP(2, [2, 1]), X, y, progress=False)


def test_cross_entropy_says_the_class_index_must_be_an_int():
    from autograd import Value
    from nn import cross_entropy_loss

    with pytest.raises(TypeError, match=r"the target is a class index, so it must be an int "
                                        r"\(0, 1, 2, ...\), got float 1.5"):
        cross_entropy_loss([Value(1.0), Value(2.0)], 1.5)


def test_load_state_dict_refuses_an_int_too_large_for_a_float_by_name():
    model = MLP(2, [1])
    state = model.state_dict()
    before = dict(state)
    key = next(iter(state))
    state[key] = 10 ** 400
    with pytest.raises(ValueError, match=rf"{key!r} must be a finite number, got an int of 401 "
                                         r"digits, too large for a float"):
        model.load_state_dict(state)
    assert model.state_dict() == before


def test_load_state_dict_reads_a_mapping_once():
    """A Mapping that answers differently the second time cannot slip a NaN past the check."""
    import collections.abc

    class Shifty(collections.abc.Mapping):
        def __init__(self, data):
            self.data, self.reads = data, 0

        def __getitem__(self, key):
            self.reads += 1
            return float("nan") if self.reads > len(self.data) else self.data[key]

        def __iter__(self):
            return iter(self.data)

        def __len__(self):
            return len(self.data)

    model, source = MLP(2, [3, 1]), MLP(2, [3, 1], seed=5)
    shifty = Shifty(source.state_dict())
    model.load_state_dict(shifty)
    assert model.state_dict() == source.state_dict() and shifty.reads == len(shifty.data)


def test_a_module_is_called_through_forward():
    from autograd import Value
    from nn import Module

    class Scale(Module):
        def __init__(self):
            self.w = Value(2.0)

        def forward(self, x):
            return self.w * x

    assert Scale()(3).data == 6.0
    with pytest.raises(NotImplementedError, match="Module: define forward"):
        Module()(1)


def test_gradcheck_says_the_step_left_the_domain():
    from autograd import gradcheck

    with pytest.raises(ValueError, match=r"the difference step moves input 1 from 1e-07 to "
                                         r"-9e-07 \(eps=1e-06\), where the function is not "
                                         r"defined \(log\(-9e-07\)"):
        gradcheck(lambda x: x.log(), [1e-7])
    assert gradcheck(lambda x: x.log(), [1e-7], eps=1e-9).ok


@pytest.mark.parametrize("inside", ["graph.svg", "sub/graph.svg"])
def test_writing_into_a_file_as_if_it_were_a_folder(tmp_path, inside):
    from autograd import Value
    from visualize import draw_dot, render

    (tmp_path / "afile").write_text("not a folder")
    with pytest.raises(NotADirectoryError, match=r"afile is a file, not a folder"):
        render(draw_dot(Value(1.0) * 2), tmp_path / "afile" / inside)


def test_labels_cannot_inject_latex_or_break_a_markdown_table():
    from autograd import Value, derivative, explain

    x, w = Value(2.0, label="\\input{/etc/passwd}"), Value(3.0, label="a|b")
    y = x * w
    y.label = "y"
    for tex in (explain(y, x).to_latex(), derivative(y, w, latex=True)):
        assert "\\input" not in tex and r"\textbackslash{}input\{/etc/passwd\}" in tex
    table = [line for line in explain(y, w).to_markdown().splitlines()
             if line.startswith("| `")]
    assert table == ["| `∂y/∂a\\|b` | `*` | 2 |"]
    assert table[0].replace("\\|", "").count("|") == 4   # three cells


def test_one_no_grad_object_entered_by_two_threads():
    """a enters, b enters, a leaves, b leaves: each thread restores its own mode."""
    import threading

    from autograd import Value, is_grad_enabled, no_grad

    shared = no_grad()
    a_in, b_in, a_out = threading.Event(), threading.Event(), threading.Event()
    seen, errors = {}, []

    def run(name: str, wait_before: threading.Event, signal: threading.Event,
            wait_inside: threading.Event, done: threading.Event | None):
        try:
            wait_before.wait(timeout=5)
            with shared:
                signal.set()
                wait_inside.wait(timeout=5)
                seen[name, "in"] = is_grad_enabled()
            seen[name, "out"] = is_grad_enabled()
            seen[name, "graph"] = bool((Value(1.0) * 2)._prev)
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)
        finally:
            if done is not None:
                done.set()

    go = threading.Event()
    go.set()
    a = threading.Thread(target=run, args=("a", go, a_in, b_in, a_out))
    b = threading.Thread(target=run, args=("b", a_in, b_in, a_out, None))
    for t in (a, b):
        t.start()
    for t in (a, b):
        t.join(timeout=10)
    assert errors == []
    assert seen == {("a", "in"): False, ("b", "in"): False, ("a", "out"): True,
                    ("b", "out"): True, ("a", "graph"): True, ("b", "graph"): True}


def test_a_diverging_training_names_the_epoch_batch_and_step():
    from nn import SGD, make_moons

    X, y = make_moons(50, seed=0)
    model = MLP(2, [4, 1], seed=0)
    with pytest.raises(OverflowError, match=r"fit, epoch 1, batch \d+ \(after \d+ SGD steps\): "
                                            r".* overflows a float; .*the training diverged, "
                                            r"so lower the learning rate"):
        fit(model, X, y, optimizer=SGD(model.parameters(), lr=1e6), epochs=20, progress=False)


def test_sgd_names_a_parameter_that_became_infinite():
    from autograd import Value
    from nn import SGD

    w = Value(1.0, label="W[1]_11")
    w.grad = 1e300
    with pytest.raises(OverflowError, match=r"SGD step 1: W\[1\]_11 became -inf \(learning rate "
                                            r"1e\+10, gradient 1e\+300\): the training diverged"):
        SGD([w], lr=1e10).step()
