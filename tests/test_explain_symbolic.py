"""explain(..., symbolic=True): each factor as a formula that evaluates to its number."""

import pytest

from autograd import Value, explain, topological_order
from demos.derivation import seed_sample

sp = pytest.importorskip("sympy")


def values_by_name(ex, root):
    return {ex.name(v): v.data for v in topological_order(root)}


@pytest.mark.parametrize("compact", [True, False])
def test_each_factor_formula_evaluates_to_its_number(compact):
    _, L, weights = seed_sample()
    for label in ("W[1]_21", "W[2]_11", "b[1]_3"):
        ex = explain(L, weights[label], compact=compact, symbolic=True)
        data = values_by_name(ex, L)
        for factors, _ in ex.factor_paths():
            for f in factors:
                formula = ex.formula(f)
                at = {s: data[s.name] for s in formula.free_symbols}
                assert float(formula.subs(at)) == pytest.approx(f.local, rel=1e-12, abs=1e-15)


def test_text_markdown_and_latex_show_formulas():
    _, L, weights = seed_sample()
    ex = explain(L, weights["W[1]_21"], compact=True, symbolic=True)
    lines = str(ex).splitlines()
    assert lines[0] == str(explain(L, weights["W[1]_21"], compact=True))   # numbers as before
    assert lines[1].startswith("  ∂L/∂a[2]_1 = a[2]_1 - y = ")
    assert lines[2].startswith("  ∂a[2]_1/∂z[2]_1 = (1 - σ(z[2]_1))·σ(z[2]_1) = 0.249")
    assert lines[3].startswith("  ∂z[2]_1/∂a[1]_1 = W[2]_11 = ")
    assert lines[5].startswith("  ∂z[1]_1/∂W[1]_21 = x_2 = ")
    md = ex.to_markdown()
    assert "| factor | op | formula | local derivative |" in md
    assert r"| $W^{[2]}_{11}$ |" in md
    tex = ex.to_latex()
    assert r"\left(a^{[2]}_{1} - y\right) \cdot \left(\left(1 - \sigma\left(z^{[2]}_{1}" in tex
    assert "formula" not in explain(L, weights["W[1]_21"], compact=True).to_markdown()


def test_reuse_and_constants():
    a = Value(3.0, label="a")
    b = a * a * 0.5
    b.label = "b"
    text = str(explain(b, a, symbolic=True))
    assert "∂mul1/∂a (arg 1) = a = 3" in text and "∂mul1/∂a (arg 2) = a = 3" in text
    assert "∂b/∂mul1 = 1/2 = 0.5" in text
    assert str(explain(b, a, compact=True, symbolic=True)).splitlines()[1] == "  ∂b/∂a = a = 3"
