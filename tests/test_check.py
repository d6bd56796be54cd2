"""check_derivative: right formulas pass, each slip is named, hostile strings never run."""

import math

import pytest

import autograd.checks.check as check_module
from autograd import Value, check_derivative
from autograd.checks.formula import FormulaError
from demos.derivation import G1, G2, RIGHT, seed_sample

pytest.importorskip("sympy")


def neuron():
    """The CLI's tanh neuron: out = tanh(x*w + b), at a point where ∂out/∂w = 1."""
    x, w, b = Value(2.0, label="x"), Value(-3.0, label="w"), Value(6.8813735870195432, label="b")
    out = (x * w + b).tanh()
    out.label = "out"
    return out, {"x": x, "w": w, "b": b}


@pytest.fixture(scope="module")
def seed():
    _, L, weights = seed_sample()
    return L, weights


@pytest.mark.parametrize("formula", [
    "x*(1 - tanh(x*w + b)**2)", "x*(1 - out**2)", "x*(1 - out)*(1 + out)",
    "4*x/(exp(x*w + b) + exp(-(x*w + b)))**2",
])
def test_right_formulas_pass_with_no_diagnosis(formula):
    out, v = neuron()
    report = check_derivative(formula, out, v["w"])
    assert report and report.ok and report.diagnoses == [] and report.kinds == []
    assert report.symbolic is True
    assert len(report.points) == 21 and all(p.ok for p in report.points)
    assert "check PASSED" in str(report) and "SymPy proves them equal" in report.verdict


@pytest.mark.parametrize("formula, kinds", [
    ("-x*(1 - out**2)", ["sign"]),
    ("2*x*(1 - out**2)", ["factor"]),
    ("x*(1 - out**2)/3", ["factor"]),
    ("-2*x*(1 - out**2)", ["sign", "factor"]),
    ("1 - out**2", ["missing"]),
    ("-(1 - out**2)", ["missing", "sign"]),
    ("x*w*(1 - out**2)", ["extra"]),
    ("1", ["coincidence", "wrong"]),
    ("x*(1 - out**2) + log(w)", ["undefined", "wrong"]),
    ("x*(1 - out)", ["wrong"]),
])
def test_each_slip_on_the_neuron(formula, kinds):
    out, v = neuron()
    report = check_derivative(formula, out, v["w"])
    assert not report and report.kinds == kinds
    assert "check FAILED" in str(report)


def test_messages_name_the_factor_and_the_edge():
    out, v = neuron()
    assert check_derivative("2*x*(1 - out**2)", out, v["w"]).verdict == \
        "check FAILED: off by a factor of 2: the formula is 2 × ∂out/∂w"
    assert "∂out/∂w / 3" in check_derivative("x*(1 - out**2)/3", out, v["w"]).verdict
    missing = check_derivative("1 - out**2", out, v["w"]).diagnoses[0]
    assert missing.message.startswith("a factor is missing: ∂mul1/∂w = x")
    child, parent, arg = missing.edge
    assert parent is v["w"] and child._op == "*" and arg == 1
    extra = check_derivative("x*w*(1 - out**2)", out, v["w"]).diagnoses[0]
    assert extra.message.startswith("an extra factor: ∂mul1/∂x = w") and extra.edge[1] is v["x"]
    coincidence = check_derivative("1", out, v["w"]).diagnoses[0]
    assert coincidence.message.startswith("right at this point only (a coincidence): it "
                                          "differs at 20 of 20 random points")


def test_seed_network_derivations_with_nn_labels(seed):
    L, weights = seed
    for label, formula in RIGHT.items():
        report = check_derivative(formula, L, weights[label])
        assert report.ok and report.symbolic is True and report.kinds == []
    report = check_derivative("(a2_1 - y)*a2_1*(1 - a2_1)*W2_11*a1_1*(1 - a1_1)*x_2", L,
                              weights["W[1]_21"])
    assert report.ok and report.symbolic is True


@pytest.mark.parametrize("label, formula, kinds, edge", [
    ("W[1]_21", f"(a2_1 - y)*{G2}*W2_11*x_2", ["missing"], ("a[1]_1", "z[1]_1")),
    ("W[1]_21", f"(y - a2_1)*{G2}*W2_11*{G1}*x_2", ["sign"], None),
    ("W[1]_21", f"2*(a2_1 - y)*{G2}*W2_11*{G1}*x_2", ["factor"], None),
    ("W[2]_11", f"(a2_1 - y)*{G2}*a1_1*W2_11", ["extra"], ("z[2]_1", "a[1]_1")),
    ("W[2]_11", f"(a2_1 - y)*{G2}", ["missing"], ("z[2]_1", "W[2]_11")),
])
def test_seed_network_slips(seed, label, formula, kinds, edge):
    L, weights = seed
    report = check_derivative(formula, L, weights[label])
    assert report.kinds == kinds
    if edge:
        d = report.diagnoses[0]
        assert (d.edge[0].label, d.edge[1].label) == edge
        assert f"∂{edge[0]}/∂{edge[1]} = " in d.message
    if "factor" in kinds:
        assert "off by a factor of 2" in report.verdict


def test_seed_network_coincidence_and_intermediate_wrt(seed):
    L, weights = seed
    w = weights["W[2]_11"]
    L.backward()
    report = check_derivative(repr(w.grad), L, w)
    assert report.kinds == ["coincidence", "wrong"] and report.points[0].ok
    a1 = next(p for p in L._prev[0]._prev[0]._prev[0]._prev[0]._prev if p.label == "a[1]_1")
    assert check_derivative(f"(a2_1 - y)*{G2}*W2_11", L, a1).ok


def test_random_points_stay_in_every_ops_domain():
    x, w = Value(0.3, label="x"), Value(0.5, label="w")
    out = (x * w).log() + (w ** 0.5)
    report = check_derivative("1/w + 0.5*w**-0.5", out, w)
    assert report.ok and len(report.points) == 21
    assert all(p.values["x"] * p.values["w"] > 0 and p.values["w"] > 0 for p in report.points)
    assert len({p.values["w"] for p in report.points}) == 21       # the points do move


@pytest.mark.parametrize("formula", [
    "__import__('os').system('echo hi')", "x.__class__", "(lambda: 1)()", "lambda: x",
    "9**9**9", "x**10**10", "(10.0**300)**1000", "-" * 1999 + "x", "x" * 2001,
    "exp(" * 120 + "x" + ")" * 120, "x[0]", "'a'", "open('f')", "10**400", "1e999",
    "x if w else b", "__builtins__", "getattr(x, 'y')", "[x for x in w]", "x; w",
])
def test_hostile_formulas_are_refused_before_anything_runs(formula, monkeypatch):
    def forbidden(*args, **kwargs):
        raise AssertionError("the graph was replayed for a refused formula")
    monkeypatch.setattr(check_module, "Replay", forbidden)
    monkeypatch.setattr(check_module, "Builder", forbidden)
    out, v = neuron()
    with pytest.raises(FormulaError, match="refused"):
        check_derivative(formula, out, v["w"])


def test_unknown_and_ambiguous_names():
    out, v = neuron()
    with pytest.raises(ValueError, match=r"q is not in the graph; its names are: b, out, w, x"):
        check_derivative("q * x", out, v["w"])
    a, b = Value(1.0, label="a"), Value(2.0, label="a")
    with pytest.raises(ValueError, match="a names more than one value"):
        check_derivative("a", a * b, a)
    with pytest.raises(ValueError, match="not in the output's graph"):
        check_derivative("x", out, Value(1.0))
    with pytest.raises(ValueError, match="points must be an int >= 1"):
        check_derivative("x", out, v["w"], points=0)
    with pytest.raises(TypeError, match="wrt must be a Value"):
        check_derivative("x", out, "w")


def test_report_table_and_options():
    out, v = neuron()
    report = check_derivative("2*x*(1 - out**2)", out, v["w"], points=30, seed=3)
    text = str(report).splitlines()
    assert text[0] == "∂out/∂w =? 2*x*(1 - out**2)"
    assert text[1].split() == ["point", "formula", "engine", "abs", "err"]
    assert text[3].startswith("current") and text[3].endswith("FAIL")
    assert text[-2] == "... 25 more random points: 0 ok, 25 not"
    assert text[-1].startswith("check FAILED: off by a factor of 2")
    assert len(report.points) == 31
    again = check_derivative("2*x*(1 - out**2)", out, v["w"], points=30, seed=3)
    assert [p.values for p in again.points] == [p.values for p in report.points]
    quick = check_derivative("x*(1 - out**2)", out, v["w"], symbolic=False)
    assert quick.ok and quick.symbolic is None and "SymPy" not in quick.verdict


def test_symbolic_check_does_not_try_huge_expansions():
    """Equal, but only expanding 300 powers of a sum would show it: the points decide (large
    terms cancel there, so SymPy evaluates them with 30 digits) and no expansion is tried."""
    out, v = neuron()
    report = check_derivative("x*(1 - out**2) + (x*x + 2*x*w + w*w)**300 - (x + w)**600", out,
                              v["w"])
    assert report.ok and report.symbolic is None and "too many terms" in str(report)
    assert "SymPy evaluated both sides there with 30 correct digits" in str(report)
    wrong = check_derivative("x*(1 - out**2) + (x*x + 2*x*w + w*w)**300 - (x + w)**600 + 1e-3",
                             out, v["w"])
    assert not wrong and wrong.confirmed and "check FAILED" in wrong.verdict


def test_a_graph_that_cannot_be_replayed_is_refused_by_name():
    x = Value(0.5, label="x")
    t = Value(math.tanh(0.5), (x,), "my_tanh", label="t")
    with pytest.raises(ValueError, match="node 't'"):
        check_derivative("1 - t**2", t, x)
