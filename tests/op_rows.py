"""How the tests call each row of the table of ops: from what the row itself declares.

A row says once where its inputs may lie (``domain``), how it is called (``examples``: the
number of Value arguments and the parameters) and where it has kinks; every table-driven test
draws from here, so a new op is tested the moment it is defined.
"""

from hypothesis import assume
from hypothesis import strategies as st

import nn  # noqa: F401  (registers the loss rows)
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
