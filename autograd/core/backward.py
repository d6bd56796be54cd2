"""``backward``: the chain rule over every node a root depends on, as one fast loop.

Each node holds, per parent, the local derivative ∂node/∂parent. The gradient of the root with
respect to a node is the sum, over the node's uses, of ``local * (gradient of the user)``, so
one pass from the root back to the leaves, each node after all of its users, gives every
gradient: ``parent.grad += local * node.grad`` along each edge.

Nothing here recurses: graphs of any depth work.
"""

from __future__ import annotations

from operator import attrgetter

__all__ = ["backward", "chain_step", "ONE_ONE"]

_depth_of = attrgetter("_depth")

ONE_ONE = (1.0, 1.0)  # the local derivatives of every + node: one shared tuple


def backward(root, grad: float) -> None:
    """``root.backward(grad)``: every gradient of this pass, accumulated into the leaves.

    The loop is unrolled for the common cases (a + node, two parents); it applies exactly
    ``parent.grad += local * node.grad`` edge by edge.
    """
    order = _backward_order(root)  # also resets the gradients of the nodes it returns
    root.grad += grad
    for node in order:
        local = node._local
        if type(local) is not tuple:
            local()  # a node defined micrograd's way: its own backward function
            continue
        g = node.grad
        if g:
            if local is ONE_ONE:  # a + b: most graphs are half additions
                a, b = node._prev
                a.grad += g
                b.grad += g
            elif len(local) == 2:  # two parents, unrolled: twice as fast as zip
                a, b = node._prev
                la, lb = local
                a.grad += la * g
                b.grad += lb * g
            else:
                for parent, d in zip(node._prev, local):
                    parent.grad += d * g


def _backward_order(root) -> list:
    """``autograd.chain.chain_order(root)``, each value's gradient set to 0 on the way.

    The 0 is a float object made for this pass, so "already collected" is ``grad is zero``:
    no set of visited nodes is needed (a stale gradient of an earlier pass is another object).
    Tested equal to ``chain_order``.
    """
    if not root._prev:
        return []
    zero = float("0")  # a new object: no other gradient is this one
    root.grad = zero
    order = [root]
    push = order.append
    for node in order:  # the list grows while it is read: a breadth-first walk
        for parent in node._prev:
            if parent._prev and parent.grad is not zero:
                parent.grad = zero
                push(parent)
    order.sort(key=_depth_of, reverse=True)
    return order


def chain_step(node) -> None:
    """``parent.grad += local * node.grad`` along each of the node's edges (its ``_backward``)."""
    for parent, local in zip(node._prev, node._local):
        parent.grad += local * node.grad
