"""Backward for people: one chain-rule step at a time."""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from autograd.core import Value, to_float
from autograd.core.backward import backward_order

__all__ = ["backward_steps", "Step"]


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
    grad = to_float(grad, "backward(grad)")
    order = backward_order(root)  # gradients of the nodes it returns start at 0
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
