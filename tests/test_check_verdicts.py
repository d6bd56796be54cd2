"""The derivation checker never passes a wrong formula, however small the derivative, and
always ends (issue 20: false PASSes below 1e-9, a hang, a crash inside SymPy, deep graphs)."""

import math
import time

import pytest

from autograd import Value, check_derivative, derivative, to_sympy

pytest.importorskip("sympy")


def tiny_tanh():
    """∂tanh(w·x)/∂w = x·(1 - tanh²(w·x)) is about 3e-86 here, and smaller at every point."""
    w, x = Value(20.0, label="w"), Value(5.0, label="x")
    return (w * x).tanh(), w, x


@pytest.mark.parametrize("formula", ["0", "-x*(1 - tanh(w*x)**2)", "(1 - tanh(w*x)**2)",
                                     "2*x*(1 - tanh(w*x)**2)", "x*(1 - tanh(w*x)**2) + 1e-90"])
def test_wrong_formulas_fail_when_the_derivative_is_tiny(formula):
    out, w, _ = tiny_tanh()
    report = check_derivative(formula, out, w)
    assert not report and report.confirmed and "check FAILED" in report.verdict


def test_zero_for_a_tiny_derivative_says_what_the_derivative_is():
    out, w, _ = tiny_tanh()
    report = check_derivative("0", out, w)
    assert report.kinds == ["zero"]
    assert report.verdict.startswith("check FAILED: the formula is 0 where ∂tanh1/∂w is not: "
                                     "it is 2.768e-86 at the current values")


def test_a_right_formula_passes_where_floats_round_it_to_zero():
    """1 - tanh²(100) is 0 in floats; the engine's stable form is not: SymPy settles it."""
    out, w, _ = tiny_tanh()
    report = check_derivative("x*(1 - tanh(w*x)**2)", out, w)
    assert report.ok and report.symbolic is True
    assert "SymPy evaluated both sides there with 30 correct digits" in str(report)
    quick = check_derivative("x*(1 - tanh(w*x)**2)", out, w, symbolic=False)
    assert not quick and not quick.confirmed and "check NOT CONFIRMED" in quick.verdict


@pytest.mark.parametrize("formula, passes", [("0", False), ("1e-12", True), ("-1e-12", False),
                                             ("x - x", False), ("2e-12", False)])
def test_a_derivative_of_1e_minus_12(formula, passes):
    x = Value(3.0, label="x")
    assert bool(check_derivative(formula, x * 1e-12, x)) is passes


def test_off_by_a_thousandth_at_a_power_of_999():
    x, y = Value(0.3, label="x"), Value(0.4, label="y")
    assert check_derivative("1000*(x + y)**999", (x + y) ** 1000, x)
    wrong = check_derivative("999*(x + y)**999", (x + y) ** 1000, x)
    assert wrong.kinds == ["factor"] and "1.001" in wrong.verdict


def test_the_difference_sympy_shows_fails_a_formula_the_tolerance_would_pass():
    x = Value(3.0, label="x")
    report = check_derivative("2*x + 2*x/10**9", x * x, x)  # off by a relative 1e-9 < rtol
    assert all(p.ok for p in report.points) and report.symbolic is False
    assert not report and report.kinds == ["tiny"]
    assert "SymPy shows the difference is x/500000000, not 0" in report.verdict


@pytest.mark.parametrize("formula", ["(x+w+1)**-1000", "1/(x+w+b)**1000", "(x+w+b)**-999*x"])
def test_negative_powers_are_never_expanded(formula):
    x, w, b = Value(0.3, label="x"), Value(0.4, label="w"), Value(0.5, label="b")
    out = (x * w + b).tanh()
    start = time.perf_counter()
    report = check_derivative(formula, out, w)
    assert not report and time.perf_counter() - start < 10.0


def test_sympy_failing_inside_is_a_note_not_a_crash():
    x, w, b = Value(0.3, label="x"), Value(0.4, label="w"), Value(0.5, label="b")
    report = check_derivative("1/0 - tanh(sigmoid(1/0))", (x * w + b).tanh(), w)
    assert not report and report.kinds[0] == "undefined"
    assert any("SymPy could not work with this formula" in note for note in report.notes)


def test_the_time_budget_ends_sympy():
    x, w, b = Value(0.3, label="x"), Value(0.4, label="w"), Value(0.5, label="b")
    out = (x * w + b).tanh()
    start = time.perf_counter()
    report = check_derivative("x*(1 - tanh(x*w + b)**2)", out, w, timeout=1e-4)
    assert time.perf_counter() - start < 5.0
    assert report.ok and report.symbolic is None  # the numbers agree to the tolerance
    assert any("SymPy did not finish within 0.0001 s" in note for note in report.notes)


def tanh_chain(depth: int):
    z = Value(0.5, label="z")
    h = z
    for _ in range(depth):
        h = h.tanh()
    return h, z


def test_a_deep_graph_is_checked_by_its_numbers():
    h, z = tanh_chain(200)
    slope = 1.0
    for node in reversed([n for n in _chain(h)]):
        slope *= 1.0 - node.data ** 2
    report = check_derivative(repr(slope), h, z)  # right at the current values only
    assert not report and report.kinds[0] == "coincidence"
    assert any("too deep for SymPy" in note for note in report.notes)


def _chain(h):
    while h._prev:
        yield h
        h = h._prev[0]


def test_to_sympy_and_derivative_refuse_a_deep_graph_by_name():
    h, z = tanh_chain(1000)  # SymPy's own limit moves with Python's (3.13 builds 400 deep)
    with pytest.raises(ValueError, match=r"to_sympy: the graph is too deep for SymPy \(1000 ops"):
        to_sympy(h)
    with pytest.raises(ValueError, match=r"derivative: the graph is too deep for SymPy"):
        derivative(h, z)


def test_rtol_and_timeout_are_checked():
    out, w, _ = tiny_tanh()
    for bad in (0.0, -1.0, math.nan, "1"):
        with pytest.raises(ValueError, match="rtol must be a number > 0"):
            check_derivative("0", out, w, rtol=bad)
    with pytest.raises(ValueError, match="timeout must be a number > 0"):
        check_derivative("0", out, w, timeout=0)
