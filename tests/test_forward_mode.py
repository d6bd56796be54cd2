"""Forward mode: jvp equals the gradient times the tangent, counts its ops, refuses bad input."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import Dual, Value, grad, hessian, jvp, topological_order

UNARY = {
    "tanh": lambda v: v.tanh(),
    "sigmoid": lambda v: v.sigmoid(),
    "exp": lambda v: (v * 0.1).exp(),
    "square": lambda v: v ** 2,
    "neg": lambda v: -v,
    "log": lambda v: (v * v + 1.0).log(),
    "relu": lambda v: (v + 10.0).relu(),  # inputs stay far from the kink
}
BINARY = {
    "+": lambda a, b: a + b,
    "*": lambda a, b: (a * b).tanh(),
    "-": lambda a, b: 2.0 - a - b,
    "/": lambda a, b: a / (b * b + 1.0),
}


def build(steps, *xs):
    """A random expression: each step applies a binary op to two earlier values, or a function
    to one; every value is used in the result, so the ops done equal the nodes of its graph."""
    vals = list(xs)
    for op, i, j, u in steps:
        a, b = vals[i % len(vals)], vals[j % len(vals)]
        vals.append(BINARY[op](a, b) if op in BINARY else UNARY[u](a))
    out = 0.5 * vals[0] * vals[1] ** vals[2].sigmoid() + vals[2]
    for v in vals[3:]:
        out = out + v
    return out


def floats(lo, hi):
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False)


expressions = st.tuples(
    st.lists(st.tuples(st.sampled_from([*BINARY, "u"]), st.integers(0, 50), st.integers(0, 50),
                       st.sampled_from(sorted(UNARY))), min_size=1, max_size=12),
    st.tuples(floats(0.2, 2), floats(0.2, 2), floats(-2, 2)),
    st.tuples(floats(-1, 1), floats(-1, 1), floats(-1, 1)),
)


@settings(max_examples=40, deadline=None)
@given(expressions)
def test_jvp_is_the_gradient_times_the_tangent_and_counts_the_graphs_ops(expr):
    steps, point, tangent = expr
    f = lambda *xs: build(steps, *xs)  # noqa: E731
    leaves = [Value(x) for x in point]
    y = f(*leaves)
    gradient = [g.data for g in grad(y, leaves)]
    result = jvp(f, point, tangent)
    assert result.value == y.data
    expected = sum(g * t for g, t in zip(gradient, tangent))
    assert result.derivative == pytest.approx(expected, rel=1e-9, abs=1e-12)
    assert result.ops == len(topological_order(y, leaves=False))  # one op per node


def test_one_pass_per_input_gives_the_gradient():
    def f(a, b, c):
        return (a * b).tanh() + c.exp() / b - 3 ** a

    point = [0.3, 1.7, -0.4]
    leaves = [Value(x) for x in point]
    reverse = [g.data for g in grad(f(*leaves), leaves)]
    forward = [jvp(f, point, [1.0 if j == i else 0.0 for j in range(3)]).derivative
               for i in range(3)]
    assert forward == pytest.approx(reverse, rel=1e-12)


def test_jvp_unpacks_as_value_and_derivative_and_reads_values_and_numpy():
    value, derivative = jvp(lambda x: x.sigmoid(), [Value(0.0)], [np.float64(2.0)])
    assert (value, derivative) == (0.5, 0.5)
    r = jvp(lambda x: np.int64(3) * x - x / np.float64(2.0), [1.0], [1.0])
    assert r.derivative == 2.5 and r.ops > 0


def test_hessian_column_by_forward_over_finite_differences_agrees():
    """jvp of a function that is itself a derivative: nothing special, numbers in, numbers out."""
    def f(a, b):
        return a ** 3 * b + (a * b).exp()

    h = hessian(f, [0.5, -1.0])
    step = 1e-6
    for j in range(2):
        t = [1.0 if k == j else 0.0 for k in range(2)]
        up = jvp(f, [0.5 + step * (j == 0), -1.0 + step * (j == 1)], t).derivative
        down = jvp(f, [0.5 - step * (j == 0), -1.0 - step * (j == 1)], t).derivative
        assert (up - down) / (2 * step) == pytest.approx(h[j][j], rel=1e-6)


def test_constant_output_and_errors():
    assert tuple(jvp(lambda x: 2.0, [1.0], [1.0])) == (2.0, 0.0)
    with pytest.raises(TypeError, match="must be lists"):
        jvp(lambda x: x, 1.0, [1.0])
    with pytest.raises(ValueError, match="2 tangents for 1 inputs"):
        jvp(lambda x: x, [1.0], [1.0, 0.0])
    with pytest.raises(TypeError, match="tangent 0"):
        jvp(lambda x: x, [1.0], ["a"])
    with pytest.raises(TypeError, match="not with Values"):
        jvp(lambda x: x + Value(1.0), [1.0], [1.0])
    with pytest.raises(TypeError, match="returned a Value"):
        jvp(lambda x: Value(1.0), [1.0], [1.0])
    with pytest.raises(ZeroDivisionError):
        jvp(lambda x: x / (x - 1.0), [1.0], [1.0])
    with pytest.raises(ValueError, match="log"):
        jvp(lambda x: x.log(), [-1.0], [1.0])
    with pytest.raises(OverflowError):
        jvp(lambda x: x * 1e300 * 1e300, [1.0], [1.0])
    assert repr(Dual(1.5, 2.0)) == "Dual(data=1.5, tangent=2.0)"


def test_jvp_matches_pytorch():
    torch = pytest.importorskip("torch")

    def f(a, b):
        return (a * b).tanh() + a.exp() / b + (a ** 2 + 1).log() - b.sigmoid() * 3

    point, tangent = [0.4, 1.3], [0.7, -0.2]
    value, derivative = jvp(f, point, tangent)
    from torch.autograd.functional import jvp as torch_jvp

    tv, td = torch_jvp(lambda a, b: f(a, b),
                            tuple(torch.tensor(p, dtype=torch.float64) for p in point),
                            tuple(torch.tensor(t, dtype=torch.float64) for t in tangent))
    assert value == pytest.approx(tv.item(), rel=1e-12)
    assert derivative == pytest.approx(td.item(), rel=1e-12)
    assert math.isfinite(derivative)
