"""python -m visualize ... --wrt w --check FORMULA: the report, exit 0 right, 1 wrong, 2 refused."""

import pytest

from visualize.cli import main

pytest.importorskip("sympy")

NEURON = ["tanh(x*w + b)", "--set", "x=2", "w=-3", "b=6.8813735870195432", "--no-render"]


@pytest.mark.parametrize("formula, code, verdict", [
    ("x*(1 - tanh(x*w + b)**2)", 0, "check PASSED"),
    ("x*(1 - out**2)", 0, "check PASSED"),
    ("-x*(1 - out**2)", 1, "check FAILED: the sign is flipped"),
    ("1 - out**2", 1, "check FAILED: a factor is missing: ∂mul1/∂w = x"),
    ("1", 1, "check FAILED: right at this point only"),
])
def test_exit_code_says_right_or_wrong(formula, code, verdict, capsys):
    assert main(NEURON + ["--wrt", "w", "--check", formula]) == code
    out = capsys.readouterr().out
    assert f"∂out/∂w =? {formula}" in out and verdict in out
    assert "random 5" in out


@pytest.mark.parametrize("extra, what", [
    (["--wrt", "w", "--check", "x.__class__"], "--check: refused: attribute access"),
    (["--wrt", "w", "--check", "9**9**9"], "exponent larger than 1000"),
    (["--wrt", "w", "--check", "q*x"], "--check uses q, which the formula does not have; it "
                                       "may use b, w, x, out"),
    (["--wrt", "q", "--check", "x"], "--wrt q: not a name of the formula"),
    (["--check", "x"], "--check and --wrt go together"),
    (["--wrt", "w"], "--check and --wrt go together"),
])
def test_refusals_exit_2(extra, what, capsys):
    assert main(NEURON + extra) == 2
    captured = capsys.readouterr()
    assert what in captured.err and captured.out == ""


def test_the_issue_command_line(capsys):
    assert main(["tanh(x*w + b)", "--set", "x=2", "w=-3", "b=6.88", "--wrt", "w", "--check",
                 "x*(1 - tanh(x*w + b)**2)", "--no-render"]) == 0
    assert "check PASSED" in capsys.readouterr().out
