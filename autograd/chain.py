"""Walking a graph: the one topological order, and the local derivatives along its edges.

``topological_order`` is the order every tool reads a graph in (names, pictures, explain,
replay): parents before children, arguments in order. ``local_derivatives`` gives the numbers
on a node's edges, measuring them for a node made micrograd's way.
"""

from __future__ import annotations

__all__ = ["topological_order", "local_derivatives"]


def topological_order(root, leaves: bool = True) -> list:
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


def local_derivatives(node) -> tuple[float, ...]:
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
