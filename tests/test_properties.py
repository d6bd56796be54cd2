"""Property tests: every op's gradient equals central differences, alone and composed.

Each op declares its valid input range once, in OPS; hypothesis draws inputs from it.
"""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import Value, gradcheck


def floats(lo, hi):
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False)


away_from_zero = floats(0.1, 5.0).flatmap(lambda x: st.sampled_from([x, -x]))

# name -> (function of Values, strategy for each argument)
OPS = {
    "add": (lambda a, b: a + b, [floats(-10, 10), floats(-10, 10)]),
    "sub": (lambda a, b: a - b, [floats(-10, 10), floats(-10, 10)]),
    "mul": (lambda a, b: a * b, [floats(-10, 10), floats(-10, 10)]),
    "div": (lambda a, b: a / b, [floats(-10, 10), away_from_zero]),
    "neg": (lambda a: -a, [floats(-10, 10)]),
    "pow_int": (lambda a: a**3, [floats(-5, 5)]),
    "pow_neg": (lambda a: a**-2, [away_from_zero]),
    "pow_frac": (lambda a: a**0.5, [floats(0.1, 10)]),
    "pow_value": (lambda a, b: a**b, [floats(0.1, 5), floats(-3, 3)]),
    "rpow": (lambda a: 2**a, [floats(-5, 5)]),
    "rsub": (lambda a: 3 - a, [floats(-10, 10)]),
    "rdiv": (lambda a: 3 / a, [away_from_zero]),
    "exp": (lambda a: a.exp(), [floats(-20, 20)]),
    "log": (lambda a: a.log(), [floats(0.05, 100)]),
    "tanh": (lambda a: a.tanh(), [floats(-6, 6)]),
    "sigmoid": (lambda a: a.sigmoid(), [floats(-12, 12)]),
    "relu": (lambda a: a.relu(), [away_from_zero]),
}


def check(fn, args):
    report = gradcheck(fn, args, eps=1e-6, atol=1e-6, rtol=1e-5)
    assert report.ok, str(report)


@pytest.mark.parametrize("name", sorted(OPS))
def test_op_gradient_matches_central_differences(name):
    fn, domains = OPS[name]

    @settings(max_examples=60, deadline=None)
    @given(st.tuples(*domains))
    def run(args):
        check(fn, list(args))

    run()


UNARY_SMOOTH = ["tanh", "sigmoid", "exp_small", "square", "neg"]


def unary(name, v):
    if name == "exp_small":
        return (v * 0.1).exp()
    if name == "square":
        return v * v
    return getattr(v, name)() if name != "neg" else -v


@st.composite
def expressions(draw):
    """A random expression over three inputs: a list of (op, i, j) building new values."""
    steps = draw(st.lists(st.tuples(st.sampled_from(["+", "*", "-", "u"]),
                                    st.integers(0, 50), st.integers(0, 50),
                                    st.sampled_from(UNARY_SMOOTH)), min_size=1, max_size=12))
    inputs = draw(st.lists(floats(-2, 2), min_size=3, max_size=3))
    return steps, inputs


def build(steps, *xs):
    vals = list(xs)
    for op, i, j, u in steps:
        a, b = vals[i % len(vals)], vals[j % len(vals)]
        if op == "+":
            vals.append(a + b)
        elif op == "*":
            vals.append((a * b).tanh())  # keep magnitudes bounded
        elif op == "-":
            vals.append(a - b)
        else:
            vals.append(unary(u, a))
    return vals[-1] + 0.5 * vals[0] * vals[1] + vals[2]


@settings(max_examples=150, deadline=None)
@given(expressions())
def test_composed_expressions_match_central_differences(expr):
    steps, inputs = expr
    check(lambda *xs: build(steps, *xs), inputs)


@settings(max_examples=100, deadline=None)
@given(floats(-700, 700))
def test_exp_log_round_trip(x):
    v = Value(x)
    y = v.exp().log()
    y.backward()
    assert y.data == pytest.approx(x, abs=1e-9)
    assert v.grad == pytest.approx(1.0, rel=1e-9)
    assert math.isfinite(v.grad)
