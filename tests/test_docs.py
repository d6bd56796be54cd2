"""The examples of README.md and docs/*.md run as a reader pastes them and print what they say.

Each page's Python blocks run statement by statement in an empty folder. Each block runs on its
own (a fresh namespace), unless its first line is a comment starting ``# continues the block
above``. What a statement prints is compared with what the page claims for it:

- a comment after a printing statement, ``print(y.data)  # 0.7071...``: one of the lines
  it prints (a table's row, say);
- comment lines right below a printing statement (no blank line): every line it prints.

A claim is compared token by token (spaces are not significant); ``...`` stands for anything,
so ``0.7071...`` is a number starting 0.7071. A claim starting with ``≈`` compares its numbers
approximately. ``  (an explanation)`` at the end of a claim is not part of it, and a comment
that is only a parenthesis, ``# (a table: ...)``, describes the output in words: each such
description has a check below.
"""

import ast
import contextlib
import io
import json
import pathlib
import re
import shlex
import tokenize

import pytest

from visualize import GraphvizNotFoundError
from visualize.render import svg_backend
from visualize.svg_metrics import texts

ROOT = pathlib.Path(__file__).resolve().parents[1]
PAGES = ["README.md", *sorted(f"docs/{p.name}" for p in (ROOT / "docs").glob("*.md"))]
NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?(?:e[-+]?\d+)?")
CONTINUES = "# continues the block above"
# what a page draws (in its folder) -> the picture of docs/images it shows for it
PICTURES = {
    "README.md": {"neuron.svg": "neuron.svg"},
    "docs/tour.md": {"neuron.svg": "neuron.svg", "moons_loss.svg": "moons_loss.svg"},
    "docs/networks.md": {"seed_graph.svg": "seed_graph.svg", "network.svg": "mlp_3_4_1.svg"},
}


def read(page: str) -> str:
    return (ROOT / page).read_text(encoding="utf-8")


def python_blocks(text: str) -> list[str]:
    return re.findall(r"```python\n(.*?)```", text, flags=re.S)


def is_printing(statement: ast.stmt) -> bool:
    return any(isinstance(node, ast.Call) and getattr(node.func, "id", None) == "print"
               for node in ast.walk(statement))


def claims(block: str, statement: ast.stmt) -> list[str]:
    """What the page says ``statement`` prints: its trailing comment, or the comment lines
    right below it."""
    lines = block.splitlines()
    last = lines[statement.end_lineno - 1]
    tokens = [t for t in _comments(last) if t]
    if tokens:
        return tokens
    below = []
    for line in lines[statement.end_lineno:]:
        if not line.lstrip().startswith("#"):
            break
        below.append(line.lstrip()[2:])
    return below


def _comments(line: str) -> list[str]:
    """The comment at the end of a line of code (not a '#' inside a string)."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(line + "\n").readline))
    except (SyntaxError, tokenize.TokenError):   # a line inside a bracket that spans lines
        return []
    return [t.string[1:].strip() for t in tokens if t.type == tokenize.COMMENT]


def claim_pattern(claim: str) -> re.Pattern:
    """A claimed output line as a regex: tokens in order, ``...`` matching anything."""
    parts = [".*?".join(re.escape(piece) for piece in token.split("..."))
             for token in claim.split()]
    return re.compile(r"\s*" + r"\s+".join(parts) + r"\s*$")


def is_description(claim: str) -> bool:
    """``(words ...)``: the output said in words, not shown."""
    return re.match(r"\([a-z]", claim) is not None


def check_claim(claim: str, printed: str, where: str) -> None:
    claim = re.sub(r"\s{2,}\(.*\)$", "", claim.strip())   # drop "  (an explanation)"
    if is_description(claim):
        DESCRIPTIONS[claim](printed)
        return
    if claim.startswith("≈"):
        want = [float(n) for n in NUMBER.findall(claim)]
        got = [float(n) for n in NUMBER.findall(printed)]
        assert got == pytest.approx(want, rel=1e-6, abs=1e-6), f"{where}: {printed!r}"
        return
    pattern = claim_pattern(claim)
    assert any(pattern.match(line) for line in printed.splitlines()), \
        f"{where}: the page says {claim!r}, got {printed!r}"


def check_table(printed: str) -> None:
    header, _, *rows, verdict = printed.splitlines()
    assert header.split()[:4] == ["input", "value", "analytic", "numeric"]
    assert "abs err" in header and rows
    assert all(row.split()[-1] in ("ok", "FAIL") for row in rows) and "gradcheck" in verdict


def check_falling(printed: str) -> None:
    losses = json.loads(printed)
    assert len(losses) == 5 and all(a > b for a, b in zip(losses, losses[1:]))


def check_per_layer(printed: str) -> None:
    assert "max |ΔdW|" in printed and "max |Δdb|" in printed
    layers = [line.split()[0] for line in printed.splitlines() if re.match(r"\s+\d+\s", line)]
    assert layers == ["1", "2"]   # the 3-4-1 network has two layers of weights


def check_derivative_table(printed: str) -> None:
    head, header, _, *rows, verdict = printed.splitlines()
    assert head.startswith("∂L/∂W[1]_21 =? ") and header.split()[:3] == ["point", "formula",
                                                                          "engine"]
    assert rows[0].startswith("current") and all(row.split()[-1] == "ok" for row in rows[:-1])
    assert rows[-1] == "... 15 more random points: 15 ok, 0 not" and "check PASSED" in verdict


DESCRIPTIONS = {
    "(a table: analytic vs numeric per input, errors, ok/FAIL)": check_table,
    "(mean loss per epoch, falling)": check_falling,
    "(per layer: largest |difference| of dW and db)": check_per_layer,
    "(a table like gradcheck's: the formula and the engine at each point)":
        check_derivative_table,
}


@pytest.mark.parametrize("page", PAGES)
def test_examples_print_what_the_page_says(page, tmp_path, monkeypatch):
    text = read(page)
    blocks = python_blocks(text)
    monkeypatch.chdir(tmp_path)
    namespace: dict = {}
    checked = 0
    no_pictures = []   # where no Graphviz makes SVG (Python 3.10 without dot), as the README says
    for number, block in enumerate(blocks, start=1):
        if not block.lstrip().startswith(CONTINUES):
            namespace = {}   # each block runs on its own, as a reader pastes it
        for statement in ast.parse(block).body:
            where = f"{page} python block {number}, line {statement.lineno}"
            printed = io.StringIO()
            try:
                with contextlib.redirect_stdout(printed):
                    exec(compile(ast.Module([statement], []), where, "exec"), namespace)
            except GraphvizNotFoundError as exc:
                if svg_backend() is not None:
                    raise
                no_pictures.append(str(exc))
                continue
            except Exception as exc:  # name the block and line, not just the statement
                raise AssertionError(f"{where} failed:\n{block}") from exc
            said = claims(block, statement) if is_printing(statement) else []
            lines = printed.getvalue().splitlines()
            if len(said) == 1:
                check_claim(said[0], printed.getvalue().rstrip("\n"), where)
            elif said:
                assert len(said) == len(lines), f"{where}: {len(said)} lines claimed, got:\n" \
                                                + printed.getvalue()
                for claim, line in zip(said, lines):
                    check_claim(claim, line, where)
            checked += len(said)
    if any(is_printing(s) for b in blocks for s in ast.parse(b).body):
        assert checked, f"{page}: no printed line is checked"
    if svg_backend() is None:
        drawing = [s for b in blocks for s in ast.parse(b).body
                   if re.search(r"\b(render|animate_backward)\(", ast.unparse(s))]
        assert len(no_pictures) == len(drawing)
        assert all("apt-get install graphviz" in e for e in no_pictures)
        return
    for drawn, image in PICTURES.get(page, {}).items():   # every word of each picture, in order
        assert re.search(rf"\]\((docs/)?images/{re.escape(image)}\)", text)
        assert words_shown(tmp_path / "out" / drawn) == \
            words_shown(ROOT / "docs" / "images" / image), \
            f"docs/images/{image} is not what {page} draws: replace it with out/{drawn}"


def test_the_pages_have_examples_and_descriptions_are_all_used():
    texts = [read(page) for page in PAGES]
    assert sum(len(python_blocks(t)) for t in texts) >= 12
    for description in DESCRIPTIONS:
        assert any(description in t for t in texts), description


def words_shown(svg: pathlib.Path) -> list[str]:
    """Every text of a picture (names, values, gradients, weights), in document order."""
    return [t.text for t in texts(svg.read_text(encoding="utf-8"))]


def test_a_false_claim_is_caught():
    check_claim("0.7071...", "0.7071067811865477", "here")
    check_claim("4.0  (accumulated)", "4.0", "here")
    for claim, printed in [("0.68...", "0.0325"), ("2.0", "2.05"), ("≈ -1.5 1.0", "-1.4 1.0"),
                           ("x  0.7  ...  FAIL", "x 0.7 0.3 ok")]:
        with pytest.raises(AssertionError):
            check_claim(claim, printed, "here")


@pytest.mark.svg
def test_command_lines_run(tmp_path, monkeypatch, capsys):
    from visualize.cli import main

    monkeypatch.chdir(tmp_path)
    command = re.compile(r"^\.venv/bin/python -m visualize (.*)$", flags=re.M)
    commands = [c for page in PAGES for c in command.findall(read(page))
                if not c.startswith("lab")]   # the lab serves until Ctrl-C: test_lab_server.py
    assert len(commands) >= 3   # a picture, the backward page, a derivative check
    for command in commands:
        assert main(shlex.split(command)) == 0, command
    assert "= 0.7064" in capsys.readouterr().out
    assert (tmp_path / "neuron.svg").exists() and (tmp_path / "backprop.html").exists()


def test_no_command_needs_an_activated_environment():
    """After the two set-up commands, a bare ``python`` is not the project's environment."""
    for page in PAGES:
        for block in re.findall(r"```(?:bash|sh|console)\n(.*?)```", read(page), flags=re.S):
            for line in block.splitlines():
                assert not re.match(r"\s*(python|pip|pytest)\b", line), f"{page}: {line}"


@pytest.mark.parametrize("page", PAGES)
def test_images_and_links_exist(page):
    text = read(page)
    base = (ROOT / page).parent
    for image in re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text):
        data = (base / image).read_bytes()   # an SVG picture, or a PNG screenshot
        assert data.startswith(b"\x89PNG\r\n") or \
            data.decode("utf-8").lstrip().startswith(("<?xml", "<svg"))
    for link in re.findall(r"\]\(([^)#:]+\.md)(?:#[^)]*)?\)", text):
        assert (base / link).exists(), f"{page} links to {link}"
