"""Property tests: every op's gradient equals central differences, alone and composed.

Each row of the table of ops declares its valid input range once (its ``domain``, with its
calls and kinks); hypothesis draws the inputs from there (``op_rows.calls``), both for the row
itself and for the way you call it (``x.tanh()``, ``a + b``). The derived ops (- / unary -,
the reflected ones) are not rows but one-liners over them: they are checked as compositions,
with the ranges that keep them defined.
"""

import math
import operator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from op_rows import calls, compose, compositions, node_of, row_names

from autograd import Value, gradcheck
from autograd.extend import OPS


def floats(lo, hi):
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False)


def check(fn, args):
    report = gradcheck(fn, args, eps=1e-6, atol=1e-6, rtol=1e-5)
    assert report.ok, str(report)


def as_you_call_it(op, params):
    """The row called the way you call it: its Value method, its operator, or (for rows of
    many arguments, which are functions) the node itself."""
    if op.method:
        return lambda x, *others: getattr(x, op.method)(*others)
    operators = {"+": operator.add, "*": operator.mul, "**value": operator.pow,
                 "**": lambda x: x ** params["n"]}
    return operators.get(op.name, node_of(op, params))


@pytest.mark.parametrize("name", row_names())
def test_each_op_gives_its_rows_node_and_the_gradient_of_central_differences(name):
    """Called your way (+ and * build their nodes inline, methods are generated) an op makes
    the node its row makes; both have the gradient central differences give."""
    op = OPS[name]

    @settings(max_examples=40, deadline=None)
    @given(calls(op))
    def run(call):
        xs, params = call
        ours = as_you_call_it(op, params)(*map(Value, xs))
        row = node_of(op, params)(*map(Value, xs))
        assert (ours.data, ours._op, tuple(ours._local), ours._depth) == \
            (row.data, row._op, tuple(row._local), row._depth)
        assert [p.data for p in ours._prev] == [p.data for p in row._prev]
        check(node_of(op, params), xs)
        check(as_you_call_it(op, params), xs)

    run()


away_from_zero = floats(0.1, 5.0).flatmap(lambda x: st.sampled_from([x, -x]))

# the derived ops: one-liners over the rows (autograd.core.value.DerivedOps)
DERIVED = {
    "sub": (lambda a, b: a - b, [floats(-10, 10), floats(-10, 10)]),
    "div": (lambda a, b: a / b, [floats(-10, 10), away_from_zero]),
    "neg": (lambda a: -a, [floats(-10, 10)]),
    "rpow": (lambda a: 2**a, [floats(-5, 5)]),
    "rsub": (lambda a: 3 - a, [floats(-10, 10)]),
    "rdiv": (lambda a: 3 / a, [away_from_zero]),
}


@pytest.mark.parametrize("name", sorted(DERIVED))
def test_derived_op_gradient_matches_central_differences(name):
    fn, domains = DERIVED[name]

    @settings(max_examples=60, deadline=None)
    @given(st.tuples(*domains))
    def run(args):
        check(fn, list(args))

    run()


@settings(max_examples=150, deadline=None)
@given(compositions())
def test_composed_expressions_match_central_differences(expr):
    steps, inputs = expr
    check(lambda *xs: compose(steps, *xs), inputs)


@settings(max_examples=100, deadline=None)
@given(floats(-700, 700))
def test_exp_log_round_trip(x):
    v = Value(x)
    y = v.exp().log()
    y.backward()
    assert y.data == pytest.approx(x, abs=1e-9)
    assert v.grad == pytest.approx(1.0, rel=1e-9)
    assert math.isfinite(v.grad)
