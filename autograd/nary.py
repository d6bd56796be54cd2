"""Ops of many arguments: a sum as one node, and a neuron's weighted sum as one node.

They keep graphs small: micrograd builds ``w1*x1 + w2*x2 + ... + b`` from 2n nodes, here it is
the one node ``z`` of the reference text's ``z = Wᵀx + b``. Their rows, SUM and LINEAR, join
the table of ops like any other.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from operator import mul
from typing import Any

from autograd.core import Op, Value, make_node, register, to_float
from autograd.core.ops import sympy_number

__all__ = ["sum_values", "linear", "SUM", "LINEAR"]


# -- the rows ---------------------------------------------------------------------------------

def total(*xs: float, const: float = 0.0) -> tuple[float, tuple[float, ...]]:
    """x1 + x2 + ... + xn (+ a constant);  ∂/∂xi = 1."""
    return sum(xs, const), (1.0,) * len(xs)


SUM = register(Op("sum", total, derivative=lambda out, *xs, const=0.0: (1.0,) * len(xs),
                  sympy=lambda sp, *xs, const=0.0: sp.Add(*xs, sympy_number(sp, const))))


def _linear_parts(args: tuple, layout: tuple) -> tuple[list, list, Any]:
    """Weights, inputs and bias of a linear node from its arguments and layout.

    ``layout = (n, inputs, has_bias)``: n weights come first among the arguments; ``inputs`` is
    None when every input is an argument (a hidden layer), else it holds, per weight, None (the
    input is the next argument) or the constant input (a number, as a first layer's x).
    """
    n, inputs, has_bias = layout
    ws, rest = list(args[:n]), iter(args[n:])
    xs = [next(rest) for _ in range(n)] if inputs is None else \
        [next(rest) if x is None else x for x in inputs]
    return ws, xs, next(rest) if has_bias else 0.0


def _value_input_weights(ws: list, inputs: tuple | None) -> list:
    """The weights whose input is an argument (their product's ∂/∂input)."""
    return ws if inputs is None else [w for w, x in zip(ws, inputs) if x is None]


def weighted_sum(ws: list[float], xs: list[float], b: float,
                 layout: tuple) -> tuple[float, tuple[float, ...]]:
    """z = Σ wi·xi + b;  ∂z/∂wi = xi,  ∂z/∂xi = wi,  ∂z/∂b = 1  (in argument order)."""
    z = sum(map(mul, ws, xs), b)  # micrograd's order: b + w1·x1 + w2·x2 + ...
    if layout[1] is None:  # every input is a Value (a hidden layer)
        return z, (*xs, *ws, 1.0) if layout[2] else (*xs, *ws)
    return z, (*xs, *_value_input_weights(ws, layout[1]), *((1.0,) if layout[2] else ()))


def linear_value(*args: float, layout: tuple) -> tuple[float, tuple[float, ...]]:
    ws, xs, b = _linear_parts(args, layout)
    return weighted_sum(ws, xs, b, layout)


def linear_derivative(out, *args, layout: tuple) -> tuple:
    ws, xs, _ = _linear_parts(args, layout)
    return (*xs, *_value_input_weights(ws, layout[1]), *((1.0,) if layout[2] else ()))


def linear_sympy(sp, *args, layout: tuple):
    ws, xs, b = _linear_parts(args, layout)
    xs = [sympy_number(sp, x) if isinstance(x, float) else x for x in xs]
    b = sympy_number(sp, b) if isinstance(b, float) else b
    return sp.Add(*(w * x for w, x in zip(ws, xs)), b)


LINEAR = register(Op("linear", linear_value, derivative=linear_derivative, sympy=linear_sympy))
_SUM = SUM.tag()
_LINEAR_TAGS = LINEAR._tags  # Op.tag's cache, keyed by tuple(params.items())


# -- the functions ----------------------------------------------------------------------------

def sum_values(values: Iterable) -> Value:
    """x1 + x2 + ... + xn as one node;  ∂/∂xi = 1.  Numbers among the terms are constants."""
    parents, const, depth = [], 0.0, 0
    for v in values:
        if isinstance(v, Value):
            parents.append(v)
            if v._depth > depth:
                depth = v._depth
        else:
            const += to_float(v, "sum_values")
    value, local = total(*[p.data for p in parents], const=const)
    return make_node(value, tuple(parents), SUM.tag(const=const) if const else _SUM, local,
                     depth)


def linear(weights: Sequence[Value], inputs: Sequence, bias: Value | None = None,
           label: str = "") -> Value:
    """z = Σ wi·xi + b as one node (a neuron's pre-activation, the seed's z = Wᵀx + b).

    ∂z/∂wi = xi,  ∂z/∂xi = wi,  ∂z/∂b = 1 (the row LINEAR). Inputs that are numbers are
    constants: they get no node and no gradient, only their value on the weights' edges.
    ``label`` names the node (nn gives z[l]_k).
    """
    n = len(weights)
    if n != len(inputs):
        raise ValueError(f"linear: {n} weights but {len(inputs)} inputs")
    # The rule is LINEAR (weighted_sum); it is written out here because it is most of a
    # network's forward pass. tests/test_replay.py checks that the two agree.
    ws = [w.data for w in weights]
    xs = [x.data for x in inputs if type(x) is Value]
    if len(xs) == n:  # every input a Value (a hidden layer): ∂z/∂w = x, ∂z/∂x = w
        parents, local, layout = [*weights, *inputs], [*xs, *ws], None
    elif not xs:  # every input a number (a first layer's data): constants, with no node
        xs = [x if type(x) is float else to_float(x, "linear input") for x in inputs]
        parents, local, layout = list(weights), list(xs), tuple(xs)
    else:
        xs, parents, local, layout = _with_constants(weights, ws, inputs)
    if bias is not None:
        parents.append(bias)  # ∂z/∂b = 1
        local.append(1.0)
    depth = 0
    for p in parents:
        if p._depth > depth:
            depth = p._depth
    value = sum(map(mul, ws, xs), 0.0 if bias is None else bias.data)  # b + w1·x1 + ...
    # one tag per layout (a first layer's holds its x), from the row's own cache: looked up
    # directly here, since LINEAR.tag(layout=...) costs about 0.3 µs a neuron
    shape = (n, layout, bias is not None)
    tag = _LINEAR_TAGS.get((("layout", shape),)) or LINEAR.tag(layout=shape)
    return make_node(value, tuple(parents), tag.labelled(label) if label else tag,
                     tuple(local), depth)


def _with_constants(weights: Sequence[Value], ws: list, inputs: Sequence) -> tuple:
    """A linear node's inputs when some are numbers (constants, as a first layer's x).

    Returns every input's value; the parents (the weights, then the Value inputs) and their
    local derivatives (each weight's input, then ∂z/∂x = w); the layout: per input, None for
    a Value, else the number (None when no input is a number).
    """
    xs, parents, local, layout = [], list(weights), [], []
    for w, x in zip(ws, inputs):
        if isinstance(x, Value):
            xs.append(x.data)
            parents.append(x)
            local.append(w)
            layout.append(None)
        else:  # a number: a constant, with no node
            x = x if type(x) is float else to_float(x, "linear input")
            xs.append(x)
            layout.append(x)
    numbers = len(parents) < 2 * len(ws)
    return xs, parents, xs + local, tuple(layout) if numbers else None
