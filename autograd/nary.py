"""Ops of many arguments: a sum as one node, and a neuron's weighted sum as one node.

They keep graphs small: micrograd builds ``w1*x1 + w2*x2 + ... + b`` from 2n nodes, here it is
the one node ``z`` of the reference text's ``z = Wᵀx + b``. Their rules are ops.SUM and
ops.LINEAR.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from operator import mul

from autograd import engine, ops
from autograd.engine import _SUM, Value, _new, _node, _not_finite, _to_float

__all__ = ["sum_values", "linear"]

_LINEAR_TAGS = ops.LINEAR._tags  # Op.tag's cache, keyed by tuple(params.items())


def sum_values(values: Iterable) -> Value:
    """x1 + x2 + ... + xn as one node;  ∂/∂xi = 1.  Numbers among the terms are constants."""
    parents, const = [], 0.0
    for v in values:
        if isinstance(v, Value):
            parents.append(v)
        else:
            const += _to_float(v, "sum_values")
    value, local = ops.total(*[p.data for p in parents], const=const)
    return _node(value, tuple(parents), ops.SUM.tag(const=const) if const else _SUM, local)


def linear(weights: Sequence[Value], inputs: Sequence, bias: Value | None = None,
           label: str = "") -> Value:
    """z = Σ wi·xi + b as one node (a neuron's pre-activation, the seed's z = Wᵀx + b).

    ∂z/∂wi = xi,  ∂z/∂xi = wi,  ∂z/∂b = 1 (ops.LINEAR). Inputs that are numbers are
    constants: they get no node and no gradient, only their value on the weights' edges.
    ``label`` names the node (nn gives z[l]_k).
    """
    n = len(weights)
    if n != len(inputs):
        raise ValueError(f"linear: {n} weights but {len(inputs)} inputs")
    # The rule is ops.LINEAR (ops.weighted_sum); it is written out here because it is most of
    # a network's forward pass. tests/test_replay.py checks that the two agree.
    ws = [w.data for w in weights]
    depth = 0
    for w in weights:
        if w._depth > depth:
            depth = w._depth
    xs = [x.data for x in inputs if type(x) is Value]
    if len(xs) == n:  # every input a Value (a hidden layer): the short way
        for x in inputs:
            if x._depth > depth:
                depth = x._depth
        others, other_local, numbers = list(inputs), list(ws), False
    else:
        xs, others, other_local, layout, numbers = [], [], [], [], False
        for w, x in zip(ws, inputs):
            if isinstance(x, Value):
                xs.append(x.data)
                others.append(x)          # ∂z/∂x = w
                other_local.append(w)
                layout.append(None)
                if x._depth > depth:
                    depth = x._depth
            else:  # a number: a constant, with no node
                x = x if type(x) is float else _to_float(x, "linear input")
                xs.append(x)
                layout.append(x)
                numbers = True
    if bias is not None:
        others.append(bias)           # ∂z/∂b = 1
        other_local.append(1.0)
        if bias._depth > depth:
            depth = bias._depth
    value = sum(map(mul, ws, xs), 0.0 if bias is None else bias.data)  # b + w1·x1 + ...
    if value - value:
        _not_finite("linear", value, weights)
    # one tag per layout (a first layer's holds its x), from the row's own cache: looked up
    # directly here, since ops.LINEAR.tag(layout=...) costs about 0.3 µs a neuron
    shape = (n, tuple(layout) if numbers else None, bias is not None)
    tag = _LINEAR_TAGS.get((("layout", shape),)) or ops.LINEAR.tag(layout=shape)
    out = _new(Value)
    out.data, out.grad = value, 0.0
    if engine._paused and not engine._grad_enabled.get():
        out._prev = out._local = ()
        out._tag = label and ("", label)
        out._depth = 0
    else:
        out._tag = tag.labelled(label) if label else tag
        out._prev, out._local = (*weights, *others), (*xs, *other_local)
        out._depth = depth + 1
    return out

