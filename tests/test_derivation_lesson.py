"""python -m demos.derivation: the text's derivations confirmed, three slips named, activations."""

import re

import pytest

pytest.importorskip("sympy")


def test_derivation_lesson(run_lesson):
    tmp_path, out, _ = run_lesson("derivation")
    for label in ("W[2]_11", "W[1]_21"):
        block = out[out.index(f"∂L/∂{label} =? "):]
        verdict = next(line for line in block.splitlines() if line.startswith("check "))
        assert verdict == (f"check PASSED: the formula equals ∂L/∂{label} (to a relative 1e-06) "
                           "at the current values and at 20 random points; SymPy proves them "
                           "equal")
    slips = out[out.index("three slips"):]
    assert "-> check FAILED: a factor is missing: ∂a[1]_1/∂z[1]_1 = " in slips
    assert "-> check FAILED: the sign is flipped: the formula is -∂L/∂W[1]_21" in slips
    assert "-> check FAILED: off by a factor of 2: the formula is 2 × ∂L/∂W[1]_21" in slips
    assert "∂a[2]_1/∂z[2]_1 = (1 - σ(z[2]_1))·σ(z[2]_1) = " in out
    assert "σ'(z) = (1 - σ(z))·σ(z);" in out and "tanh'(z) = 1 - tanh(z)^2;" in out
    assert "ReLU'(z) = Heaviside(z);" in out
    assert out.count(", the same") == 3
    pairs = re.findall(r"SymPy (\S+)\s+engine (\S+)", out)
    assert len(pairs) == 12
    for sympy_value, engine_value in pairs:
        assert float(sympy_value) == pytest.approx(float(engine_value), abs=1e-12)
    md = (tmp_path / "derivation.md").read_text(encoding="utf-8")
    assert f"wrote {tmp_path / 'derivation.md'}" in out
    assert md.count("check PASSED") == 2 and md.count("check FAILED") == 3
    assert r"\sigma\left(z^{[2]}_{1}\right)" in md
