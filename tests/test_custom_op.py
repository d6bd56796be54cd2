"""custom_op: a learner's op with a hand-derived derivative works like a built-in op."""

import math

import numpy as np
import pytest

from autograd import Value, custom_op, explain, gradcheck, no_grad


def softplus_value(x):
    return math.log1p(math.exp(-abs(x))) + max(x, 0.0)


def softplus_right(x):
    return 1.0 / (1.0 + math.exp(-x))          # d/dx ln(1 + e^x) = e^x / (1 + e^x)


def softplus_wrong(x):
    return 1.0 / (1.0 + math.exp(x))           # a sign slip: this is sigmoid(-x)


softplus = custom_op(softplus_value, softplus_right, "softplus")
bad_softplus = custom_op(softplus_value, softplus_wrong, "softplus")


def test_value_local_derivative_and_op_name():
    x = Value(0.4, label="x")
    y = softplus(x)
    assert y.data == pytest.approx(math.log(1 + math.exp(0.4)), rel=1e-15)
    assert y._op == "softplus" and y._prev == (x,)
    assert y._local == (pytest.approx(1 / (1 + math.exp(-0.4)), rel=1e-15),)
    y.backward()
    assert x.grad == y._local[0]


def test_gradcheck_passes_with_the_right_derivative():
    report = gradcheck(lambda x, w: softplus(x * w) * w, [Value(0.7, label="x"), 1.5])
    assert report.ok, str(report)


def test_gradcheck_catches_the_wrong_derivative_and_shows_numbers():
    x0 = 0.7
    report = gradcheck(lambda x: bad_softplus(x), [Value(x0, label="x")])
    assert not report.ok
    [row] = report.failures
    assert row.name == "x"
    assert row.analytic == pytest.approx(softplus_wrong(x0), rel=1e-12)
    assert row.numeric == pytest.approx(softplus_right(x0), rel=1e-6)
    text = str(report)
    assert "FAILED for x" in text
    line = next(line for line in text.splitlines() if line.startswith("x "))
    assert "FAIL" in line and f"{softplus_wrong(x0):.6f}"[:6] in line


def test_wrong_derivative_is_caught_inside_a_larger_graph():
    f = lambda a, b: (bad_softplus(a * b) + a).tanh()  # noqa: E731
    report = gradcheck(f, [Value(0.3, label="a"), Value(-0.8, label="b")])
    assert {r.name for r in report.failures} == {"a", "b"}
    assert gradcheck(lambda a, b: (softplus(a * b) + a).tanh(), [0.3, -0.8]).ok


def test_decorator_form_takes_the_function_name():
    @custom_op(derivative=lambda x: 3 * x * x)
    def cube(x):
        return x ** 3

    x = Value(2.0)
    y = cube(x)
    assert y._op == "cube" and y.data == 8.0 and y._local == (12.0,)
    assert cube.__name__ == "cube" and repr(cube) == "custom_op('cube')"


def test_works_with_numbers_and_numpy_scalars():
    assert softplus(0.0) == pytest.approx(math.log(2.0))
    assert isinstance(softplus(np.float64(1.0)), float)
    y = softplus(Value(1.0)) + softplus(2.0)
    assert isinstance(y, Value)


def test_multi_argument_op_with_constants():
    times = custom_op(lambda x, y: x * y, lambda x, y: (y, x), "times")
    a, b = Value(3.0, label="a"), Value(4.0, label="b")
    out = times(a, b)
    assert out._op == "times" and out._prev == (a, b) and out._local == (4.0, 3.0)
    half = times(a, 0.5)                         # the constant gets no edge
    assert half._prev == (a,) and half._local == (0.5,)
    assert gradcheck(lambda x, y: times(x, y).tanh(), [0.3, -1.2]).ok
    bad = custom_op(lambda x, y: x * y, lambda x, y: (x, y), "times")
    report = gradcheck(lambda x, y: bad(x, y), [Value(3.0, label="p"), Value(4.0, label="q")])
    assert [r.name for r in report.failures] == ["p", "q"]


def test_explain_and_backward_see_the_op():
    x = Value(0.2, label="x")
    y = softplus(x * 3.0)
    y.label = "y"
    ex = explain(y, x)
    assert [e.op for e in ex.paths[0].edges] == ["softplus", "*"]
    assert ex.total == pytest.approx(3 * softplus_right(0.6), rel=1e-14)
    z = softplus(x) * 2.0
    assert "∂mul1/∂softplus1" in str(explain(z, x))


def test_no_grad_builds_no_graph_and_skips_the_derivative():
    def boom(x):
        raise AssertionError("derivative must not run under no_grad")

    op = custom_op(math.sin, boom, "sin")
    with no_grad():
        y = op(Value(1.0))
    assert y.data == pytest.approx(math.sin(1.0)) and y._prev == ()


def test_domain_errors_name_the_op_and_the_input():
    log = custom_op(math.log, lambda x: 1 / x, "mylog")
    with pytest.raises(ValueError, match=r"custom op 'mylog' at input \(-1\).*value function "
                                         r"failed.*math domain error"):
        log(Value(-1.0))
    inv = custom_op(lambda x: x, lambda x: 1 / x, "odd")
    with pytest.raises(ZeroDivisionError, match=r"'odd' at input \(0\): its derivative function"):
        inv(Value(0.0))
    big = custom_op(math.exp, math.exp, "myexp")
    with pytest.raises(OverflowError, match="'myexp' at input \\(1000\\)"):
        big(Value(1000.0))


def test_non_finite_value_or_derivative_is_an_error():
    nan_value = custom_op(lambda x: float("nan"), lambda x: 1.0, "nanny")
    with pytest.raises(ValueError, match=r"'nanny' at input \(1\): its value is nan"):
        nan_value(Value(1.0))
    inf_slope = custom_op(lambda x: 0.0, lambda x: np.float64(np.inf), "cliff")
    with pytest.raises(ValueError, match=r"'cliff'.*derivative .*inf, not a finite number"):
        inf_slope(Value(1.0))


def test_bad_definitions_and_arguments():
    with pytest.raises(ValueError, match="lambda has no name"):
        custom_op(lambda x: x, lambda x: 1.0)
    with pytest.raises(TypeError, match="give the derivative"):
        custom_op(math.sin)
    with pytest.raises(TypeError, match="derivative must be callable"):
        custom_op(math.sin, 1.0, "sin")
    with pytest.raises(ValueError, match="name must be a non-empty string"):
        custom_op(math.sin, math.cos, "")
    with pytest.raises(TypeError, match="'softplus': argument 1 must be a Value or a number"):
        softplus("x")
    pair = custom_op(lambda x, y: x + y, lambda x, y: 1.0, "pair")
    with pytest.raises(ValueError, match="derivative returned 1 value.*for 2 argument"):
        pair(Value(1.0), Value(2.0))
    wrong_type = custom_op(lambda x: Value(x), lambda x: 1.0, "boxed")
    with pytest.raises(TypeError, match="'boxed'.*value must be a number"):
        wrong_type(Value(1.0))
