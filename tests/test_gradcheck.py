"""numerical_grad and gradcheck: they agree with backward, and they catch a wrong gradient."""

import math

import pytest

from autograd import Value, gradcheck, numerical_grad
from autograd.checks.gradcheck import KinkWarning


def test_numerical_grad_of_a_product():
    grads = numerical_grad(lambda x, y: x * y + x, [Value(3.0), 4.0])
    assert grads == pytest.approx([5.0, 3.0], rel=1e-8)


def test_numerical_grad_accepts_functions_returning_numbers():
    assert numerical_grad(lambda x: x.data ** 2, [3.0]) == pytest.approx([6.0], rel=1e-6)


def test_gradcheck_passes_and_leaves_inputs_untouched():
    x = Value(0.3, label="x")
    report = gradcheck(lambda a, b: (a * b).tanh() + a.exp() / b, [x, 2.0])
    assert report.ok and bool(report)
    assert [r.name for r in report.rows] == ["x", "x1"]
    assert x.grad == 0.0
    b = 2.0
    expected_da = (1 - math.tanh(0.3 * b) ** 2) * b + math.exp(0.3) / b
    assert report.rows[0].analytic == pytest.approx(expected_da, rel=1e-12)


def wrong_square(v):
    """x^2 with a deliberately wrong local derivative: claims d(x^2)/dx = x."""
    return Value(v.data ** 2, (v,), "sq", "", (v.data,))


def test_gradcheck_catches_a_wrong_local_derivative():
    report = gradcheck(lambda x: wrong_square(x), [Value(3.0, label="x")])
    assert not report.ok
    row = report.rows[0]
    assert row.analytic == 3.0 and row.numeric == pytest.approx(6.0)
    assert row.status == "FAIL"
    text = str(report)
    assert "FAILED for x" in text and "FAIL" in text.splitlines()[2]


def test_report_prints_a_table():
    text = str(gradcheck(lambda x, y: x * y, [2.0, 5.0]))
    lines = text.splitlines()
    assert lines[0].split() == ["input", "value", "analytic", "numeric", "abs", "err", "rel", "err"]
    assert lines[2].split()[:3] == ["x0", "2", "5"]
    assert float(lines[2].split()[3]) == pytest.approx(5.0, rel=1e-8)
    assert "PASSED" in lines[-1]


def test_kink_is_flagged_not_failed():
    with pytest.warns(KinkWarning, match="kink"):
        report = gradcheck(lambda x: x.relu(), [Value(1e-8, label="x")])
    assert report.rows[0].kink and report.rows[0].status == "KINK?"
    assert report.ok
    assert "kink" in str(report)


def test_smooth_point_is_not_a_kink():
    report = gradcheck(lambda x: (x * 10).exp(), [1.0])
    assert report.ok and not report.rows[0].kink


def test_bad_arguments():
    with pytest.raises(ValueError, match="eps must be > 0"):
        numerical_grad(lambda x: x, [1.0], eps=0)
    with pytest.raises(TypeError, match="must return a Value"):
        gradcheck(lambda x: 3.0, [1.0])
    with pytest.raises(TypeError, match="gradcheck input 0"):
        gradcheck(lambda x: x, ["a"])
