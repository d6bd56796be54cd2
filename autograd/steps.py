"""Walking a graph for people: topological order, local derivatives, backward step by step."""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from autograd.engine import Value, _backward_order, _to_float

__all__ = ["topological_order", "local_derivatives", "backward_steps", "Step"]


def topological_order(root: Value, leaves: bool = True) -> list[Value]:
    """Every value ``root`` depends on, parents before children, ``root`` last.

    Depth-first, arguments in order (so the same expression always gives the same order),
    with an explicit stack: any depth works. With ``leaves=False`` values without parents are
    left out.
    """
    order, seen = [], {root}
    stack = [(root, iter(root._prev))]
    while stack:
        node, parents = stack[-1]
        for parent in parents:
            if (leaves or parent._prev) and parent not in seen:
                seen.add(parent)
                stack.append((parent, iter(parent._prev)))
                break
        else:
            stack.pop()
            order.append(node)
    return order


def local_derivatives(node: Value) -> tuple[float, ...]:
    """∂node/∂parent for each entry of ``node._prev``, as numbers.

    For the ops of this library these are recorded on the node. A node defined micrograd's way
    (``out = Value(t, (x,), 'tanh'); out._backward = fn``) records none, so they are measured:
    with ``node.grad = 1`` and its parents' gradients at 0, ``fn`` is called once and each
    parent's gradient is read, then every gradient is put back. A parent listed twice gets the
    whole measured derivative on its first entry (``fn`` cannot tell the entries apart). A node
    made with children but neither local derivatives nor ``_backward`` passes no gradient
    (micrograd's default): zeros.
    """
    local, parents = node._local, node._prev
    if not callable(local):
        return tuple(local) if len(local) == len(parents) else (0.0,) * len(parents)
    unique = list(dict.fromkeys(parents))
    saved = [(v, v.grad) for v in (node, *unique)]
    try:
        for v in unique:
            v.grad = 0.0
        node.grad = 1.0
        local()
        measured = {id(v): v.grad for v in unique}
    finally:
        for v, g in saved:
            v.grad = g
    first = {}
    for i, p in enumerate(parents):
        first.setdefault(id(p), i)
    return tuple(measured[id(p)] if first[id(p)] == i else 0.0 for i, p in enumerate(parents))


class Step(NamedTuple):
    """One application of the chain rule: ``parent.grad += local * node.grad``."""

    node: Value
    parent: Value
    local: float
    contribution: float


def backward_steps(root: Value, grad: float = 1.0) -> Iterator[Step]:
    """Run ``root.backward(grad)`` one edge at a time, yielding each step after it is applied.

    Exhausting the generator leaves exactly the gradients ``backward()`` gives, in the same
    order: every node after all the nodes that use it. For a node defined by its own
    ``_backward`` function, that function runs once and each parent's step reports what it
    added (``local`` = contribution / node.grad).
    """
    grad = _to_float(grad, "backward(grad)")
    order = _backward_order(root)  # gradients of the nodes it returns start at 0
    root.grad += grad
    for node in order:
        g = node.grad
        if callable(node._local):
            parents = list(dict.fromkeys(node._prev))
            before = [p.grad for p in parents]
            node._local()
            for p, b in zip(parents, before):
                added = p.grad - b
                yield Step(node, p, added / g if g else 0.0, added)
            continue
        for parent, local in zip(node._prev, node._local):
            contribution = local * g
            parent.grad += contribution
            yield Step(node, parent, local, contribution)
