"""``backward``: the chain rule over every node a root depends on, as one fast loop.

Each node holds, per parent, the local derivative ∂node/∂parent. The gradient of the root with
respect to a node is the sum, over the node's uses, of ``local * (gradient of the user)``, so
one pass from the root back to the leaves, each node after all of its users, gives every
gradient: ``parent.grad += local * node.grad`` along each edge.

Nothing here recurses: graphs of any depth work.
"""

from __future__ import annotations

from itertools import chain
from operator import attrgetter

__all__ = ["backward", "chain_step", "ONE_ONE"]

_depth_of = attrgetter("_depth")
_grad_of = attrgetter("grad")
_prev_of = attrgetter("_prev")

ONE_ONE = (1.0, 1.0)  # the local derivatives of every + node: one shared tuple


def backward(root, grad: float) -> None:
    """``root.backward(grad)``: every gradient of this pass, accumulated into the leaves.

    The loop is unrolled for the common cases (a + node, two parents); it applies exactly
    ``parent.grad += local * node.grad`` edge by edge.
    """
    order, leaves = _backward_order(root)  # also resets the gradients of the nodes it returns
    root.grad += grad
    custom = False
    for node in order:
        local = node._local
        if type(local) is not tuple:
            local()  # a node defined micrograd's way: its own backward function
            custom = True
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
    if order and _any_not_finite(leaves, order if custom else ()):
        _raise_not_finite(order)


def _any_not_finite(leaves, nodes=()) -> bool:
    """Whether a gradient of this pass is ±inf or nan: one sum over the leaves' gradients (a
    sum of finite gradients that overflows is looked at closely, and let pass).

    The leaves suffice: a gradient that is not finite stays so through every edge below it
    (``inf * 0`` and ``inf - inf`` are nan, ``nan`` anything is nan, and ``if g`` is true for
    both), so it reaches a leaf. A node with its own ``_backward`` may not pass it on: when
    there is one, the nodes' gradients are summed too.
    """
    total = sum(map(_grad_of, leaves)) + sum(map(_grad_of, nodes))
    return total - total != 0.0


def _raise_not_finite(order: list) -> None:
    """Find the first edge (in the pass's order) where the gradient stopped being finite, and
    say where: the op, its inputs, the local derivative and the gradient flowing in."""
    for node in order:
        g = node.grad
        if g - g:
            continue  # not finite already: an earlier edge into it is reported
        local = node._local
        pairs = zip(node._prev, local) if type(local) is tuple else \
            ((p, None) for p in node._prev)
        for i, (parent, d) in enumerate(pairs):
            step = parent.grad if d is None else d * g
            if step - step:
                _raise(node, i, parent, d, g, step)
    for parent in chain.from_iterable(map(_prev_of, order)):
        if parent.grad - parent.grad:
            raise OverflowError(f"backward: the gradient of {_name(parent)} sums to "
                                f"{parent.grad} over its uses: every use is finite, their sum "
                                "is not (or its .grad was not finite before this pass: "
                                "zero_grad() resets it)")


def _raise(node, i: int, parent, d, g: float, step: float) -> None:
    args = ", ".join(f"{p.data:g}" for p in node._prev)
    op = node._op or "a node with its own _backward"
    if d is None:
        raise OverflowError(f"backward: '{op}' of ({args}), defined by its own _backward, "
                            f"gives {_name(parent)} the gradient {step}")
    raise OverflowError(f"backward: the gradient stops being finite at '{op}' of ({args}): "
                        f"∂/∂(argument {i + 1}, {_name(parent)}) = {d:g} times the gradient "
                        f"flowing in, {g:g}, is {step}")


def _name(v) -> str:
    return repr(v.label) if v.label else f"a value of {v.data:g}"


def _backward_order(root) -> tuple:
    """``autograd.chain.chain_order(root)``, each value's gradient set to 0 on the way, and the
    leaves met (each once, for the finite check: a weight is used by every sample).

    The 0 is a float object made for this pass, so "already collected" is ``grad is zero``:
    no set of visited nodes is needed (a stale gradient of an earlier pass is another object).
    Tested equal to ``chain_order``.
    """
    if not root._prev:
        return [], ()
    leaves, listed = set(), []
    try:
        return _walk(root, leaf=leaves.add), leaves
    except TypeError:  # a subclass of Value with __eq__ and no __hash__: list its leaves
        return _walk(root, leaf=listed.append), listed


def _walk(root, leaf) -> list:
    """The breadth-first walk of ``_backward_order``, each leaf met given to ``leaf``."""
    zero = float("0")  # a new object: no other gradient is this one
    root.grad = zero
    order = [root]
    push = order.append
    for node in order:  # the list grows while it is read: a breadth-first walk
        for parent in node._prev:
            if parent._prev:
                if parent.grad is not zero:
                    parent.grad = zero
                    push(parent)
            else:
                leaf(parent)
    order.sort(key=_depth_of, reverse=True)
    return order


def chain_step(node) -> None:
    """``parent.grad += local * node.grad`` along each of the node's edges (its ``_backward``)."""
    for parent, local in zip(node._prev, node._local):
        parent.grad += local * node.grad
