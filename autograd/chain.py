"""The chain rule once: one sweep, in one order, that every tool uses.

``ChainRule`` applies the chain rule edge by edge, ``parent.grad += local * node.grad``, in
the order ``chain_order`` gives (each value after all the values that use it, by depth), and
yields each step: ``backward_steps``, ``explain``, ``grad`` (numbers and graphs), replay's
gradients and the backward page are all this one sweep. ``Value.backward`` is the same rule in
the same order as an unrolled loop, tested equal to it to the last bit (``tests/test_chain.py``).

``topological_order`` is the order a person reads a graph in, used to name and draw it:
parents before children, arguments in order (as the expression was written).

``local_derivatives`` gives the numbers on a node's edges, measuring them for a node made
micrograd's way; ``is_dead`` says when no gradient passes a node at all.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Sequence
from operator import attrgetter, mul
from typing import Any, NamedTuple

_depth_of = attrgetter("_depth")

__all__ = ["topological_order", "chain_order", "ChainRule", "Step", "local_derivatives",
           "is_dead"]


def topological_order(root, leaves: bool = True) -> list:
    """Every value ``root`` depends on, parents before children, ``root`` last.

    Depth-first, arguments in order (so the same expression always gives the same order),
    with an explicit stack: any depth works.

    Args:
        root: a Value, or a list of them (their graphs together, in that order).
        leaves: False leaves out the values without parents.
    """
    roots = root if isinstance(root, (list, tuple)) else [root]
    order, seen = [], set()
    add, out = seen.add, order.append
    for start in roots:
        if start in seen:
            continue
        add(start)
        stack = [(start, iter(start._prev))]
        push, pop = stack.append, stack.pop
        while stack:
            node, parents = stack[-1]
            for parent in parents:
                if parent not in seen:
                    add(parent)
                    if parent._prev:
                        push((parent, iter(parent._prev)))
                        break
                    if leaves:
                        out(parent)
            else:
                pop()
                if leaves or node._prev:
                    out(node)
    return order


def chain_order(outputs) -> list:
    """The order the chain rule takes: every value with parents that the outputs depend on,
    children before parents (each after all the values that use it).

    The values are collected breadth first from the outputs (no recursion: any depth works)
    and sorted by depth, deepest first: a value is always deeper than its parents. The sweep
    and ``backward`` both follow this order, so they add up every gradient's contributions
    in the same order and agree to the last bit.

    Args:
        outputs: a Value, or a list of them.
    """
    order, seen = [], set()
    add, push = seen.add, order.append
    for v in outputs if isinstance(outputs, (list, tuple)) else [outputs]:
        if v._prev and v not in seen:
            add(v)
            push(v)
    for node in order:  # the list grows while it is read: a breadth-first walk
        for parent in node._prev:
            if parent._prev and parent not in seen:
                add(parent)
                push(parent)
    order.sort(key=_depth_of, reverse=True)
    return order


class Step(NamedTuple):
    """One application of the chain rule: ``parent.grad += local * node.grad``."""

    node: Any
    parent: Any
    local: float
    contribution: float


class ChainRule:
    """The chain rule from the outputs back to every value they depend on, one edge at a time.

    Iterating yields one ``Step`` per edge, in ``chain_order``: a node comes after every node
    that uses it, so its gradient is complete when its edges are taken. A node whose gradient
    is 0 passes nothing on, and its edges are skipped, as ``backward`` skips them. Nothing is
    written to ``.grad``: the gradients are kept here (``grad(node)``). A node's gradient is
    the sum of its contributions in the order they come, as ``+=`` adds them in ``backward``.

    Args:
        outputs: a Value, or a list of them.
        seeds: each output's gradient (default 1.0 each).
        through: if given, only edges into these values are followed (the values that lead
            to the inputs wanted).
        local: ``local(node)`` -> the local derivative of each of its edges; by default the
            numbers recorded on the node (``local_derivatives``).
        times: ``times(local, gradient)`` -> the contribution (default ``local * gradient``).
        total: ``total(contributions)`` -> a node's gradient from the list of what reached it,
            for gradients that are not numbers (graphs: ``grad(create_graph=True)``).
        order: ``chain_order(outputs)``, when the caller has it already.
    """

    def __init__(self, outputs, seeds: Sequence | None = None, *,
                 through: Collection | None = None, local: Callable | None = None,
                 times: Callable = mul, total: Callable | None = None,
                 order: list | None = None):
        self.outputs = outputs if isinstance(outputs, (list, tuple)) else [outputs]
        self.order = chain_order(self.outputs) if order is None else order
        self._through, self._local, self._times, self._total = through, local, times, total
        self._sums: dict = {}  # node -> its gradient so far (or, with total, its contributions)
        self._final: dict = {}  # node -> its gradient, once no contribution can come
        self._done = False
        for out, seed in zip(self.outputs, [1.0] * len(self.outputs) if seeds is None else seeds):
            self._add(out, seed)

    def _add(self, node, contribution) -> None:
        if self._total is None:
            self._sums[node] = self._sums.get(node, 0.0) + contribution
        else:
            self._sums.setdefault(node, []).append(contribution)

    def grad(self, node):
        """The node's gradient so far: all of it once the sweep has passed the node."""
        g = self._final.get(node)
        if g is None:
            g = self._sums.get(node, 0.0 if self._total is None else ())
            g = g if self._total is None else self._total(g)
            if self._done:
                self._final[node] = g
        return g

    def __iter__(self) -> Iterator[Step]:
        return self._sweep(steps=True)

    def run(self) -> ChainRule:
        """Apply every step; returns the sweep, whose ``grad`` then gives each gradient."""
        for _ in self._sweep(steps=False):
            pass
        return self

    def _sweep(self, steps: bool) -> Iterator[Step]:
        sums, final, through, times, total = self._sums, self._final, self._through, \
            self._times, self._total
        given_local = self._local
        for node in self.order:
            if node not in sums:
                continue
            g = final[node] = sums[node] if total is None else total(sums[node])
            if g == 0:  # nothing to pass on (backward skips such a node too)
                continue
            local = node._local
            if given_local:
                local = given_local(node)
            elif type(local) is not tuple or len(local) != len(node._prev):
                local = local_derivatives(node)  # made micrograd's way
            for parent, d in zip(node._prev, local):
                if through is None or parent in through:
                    contribution = times(d, g)
                    if total is None:
                        sums[parent] = sums.get(parent, 0.0) + contribution
                    else:
                        sums.setdefault(parent, []).append(contribution)
                    if steps:
                        yield Step(node, parent, d, contribution)
        self._done = True


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
        return local if len(local) == len(parents) else (0.0,) * len(parents)
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


def is_dead(node) -> bool:
    """Whether the node's op passes no gradient where it is (a ReLU whose input was ≤ 0).

    True when its row says ``dead_at_zero``, its value is 0 and every local derivative is 0.
    """
    rule = getattr(node._op, "rule", None)
    return (rule is not None and rule.dead_at_zero and node.data == 0.0
            and not any(local_derivatives(node)))
