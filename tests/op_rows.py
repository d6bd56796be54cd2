"""How the tests call each row of the table of ops: from what the row itself declares.

A row says once where its inputs may lie (``domain``), how it is called (``examples``: the
number of Value arguments and the parameters) and where it has kinks; every table-driven test
draws from here, so a new op is tested the moment it is defined.
"""

from hypothesis import assume
from hypothesis import strategies as st

import nn  # noqa: F401  (registers the loss rows)
from autograd import Value, linear, sum_values
from autograd.extend import OPS, apply_op


def node_of(op, params):
    """f(*values) = one node of the row ``op`` with these parameters."""
    return lambda *vs: apply_op(op.tag(**params), tuple(vs))


@st.composite
def calls(draw, op, kink_gap=1e-2):
    """(inputs, params) for one call of the row: inputs from its domain, away from its kinks."""
    arity, params = draw(st.sampled_from(op.examples))
    xs = [draw(st.floats(low, high, allow_nan=False)) for low, high in op.domains(arity)]
    assume(all(abs(x - k) > kink_gap for x in xs for k in op.kinks))
    return xs, params


def row_names():
    return sorted(OPS)


# Random compositions of ops over three inputs, with reuse: the graphs the property tests and
# the chain-rule tests build. Unary ops: the smooth ones, and relu and a cube besides.
UNARY = {"tanh": Value.tanh, "sigmoid": Value.sigmoid, "exp_small": lambda v: (v * 0.1).exp(),
         "square": lambda v: v * v, "neg": lambda v: -v, "relu": Value.relu,
         "cube": lambda v: v ** 3}
SMOOTH = ("tanh", "sigmoid", "exp_small", "square", "neg")
BINARY = ("+", "*", "-", "u")
NARY = ("sum", "linear")


@st.composite
def compositions(draw, kinds=BINARY, unary=SMOOTH, max_steps=12):
    """(steps, inputs): steps (kind, i, j, unary op) over values chosen by index."""
    steps = draw(st.lists(st.tuples(st.sampled_from(kinds), st.integers(0, 60),
                                    st.integers(0, 60), st.sampled_from(unary)),
                          min_size=1, max_size=max_steps))
    inputs = draw(st.lists(st.floats(-2, 2, allow_nan=False), min_size=3, max_size=3))
    return steps, inputs


def compose(steps, *xs):
    """The graph of ``steps`` over the values ``xs``; returns its root."""
    vals = list(xs)
    for kind, i, j, u in steps:
        a, b = vals[i % len(vals)], vals[j % len(vals)]
        if kind == "+":
            vals.append(a + b)
        elif kind == "*":
            vals.append((a * b).tanh())  # keep magnitudes bounded
        elif kind == "-":
            vals.append(a - b)
        elif kind == "sum":
            vals.append(sum_values([a, b, a, 0.5]))
        elif kind == "linear":
            vals.append(linear([a, b], [b, 1.5], vals[(i + j) % len(vals)]).tanh())
        else:
            vals.append(UNARY[u](a))
    return vals[-1] + 0.5 * vals[0] * vals[1] + vals[2]
