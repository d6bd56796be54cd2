"""Backward for people: one chain-rule step at a time."""

from __future__ import annotations

from collections.abc import Iterator

from autograd.chain import ChainRule, Step
from autograd.core import Value, to_float

__all__ = ["backward_steps", "Step"]


def backward_steps(root: Value, grad: float = 1.0) -> Iterator[Step]:
    """Run ``root.backward(grad)`` one edge at a time, yielding each step after it is applied.

    The steps are the chain rule's sweep (``autograd.chain.ChainRule``): every node after all
    the nodes that use it, each edge applying ``parent.grad += local * node.grad``; a node
    whose gradient is 0 passes nothing and has no steps, as in ``backward``. Exhausting the
    generator leaves the gradients ``backward()`` gives (to the last bit, except where a
    value collects three or more contributions, which the two may add in another order).
    For a node defined by its own ``_backward`` function, the local derivatives are measured
    (``local_derivatives``).
    """
    grad = to_float(grad, "backward(grad)")
    sweep = ChainRule(root, [grad])
    for node in sweep.order:  # as in backward: values with parents start this pass at 0
        if node._prev:
            node.grad = 0.0
    root.grad += grad
    for step in sweep:
        step.parent.grad += step.contribution
        yield step
