"""Forward replay: a recorded graph recomputed at new leaf values, without touching the graph.

Each node is recomputed by its op's row in the table of ops: ``value(*parents, **params)``
gives the node's value and its local derivatives, so a replay also gives the gradient (the
chain rule's sweep, ``autograd.chain.ChainRule``, over those numbers). ``evaluate`` is the
public face; the derivative checker replays a graph at many points.
"""

from __future__ import annotations

from collections.abc import Mapping

from autograd.chain import ChainRule, chain_order, topological_order
from autograd.core import Value, to_float
from autograd.names import display_names

__all__ = ["evaluate", "Replay"]


class Replay:
    """A graph's ops in topological order, ready to be recomputed at any leaf values.

    Args:
        output: the value whose graph is replayed.

    Raises:
        ValueError: when a node was made without a row of the table of ops (micrograd's
            ``Value(data, children, op)`` with ``out._backward = fn``): nothing says how to
            recompute it. The message names the node.
    """

    def __init__(self, output: Value):
        if not isinstance(output, Value):
            raise TypeError(f"evaluate: expected a Value, got {type(output).__name__} "
                            f"{output!r}")
        self.output = output
        self.order = topological_order(output)
        self.index = {node: i for i, node in enumerate(self.order)}
        self.steps = []  # (node index, the row's value function, params, parent indices)
        for i, node in enumerate(self.order):
            if not node._prev:
                continue
            rule = getattr(node._op, "rule", None)
            if rule is None:
                raise ValueError(
                    f"evaluate: {self._name(node)} (op {node._op!r}) was made without a row of "
                    "the table of ops (micrograd's way, out._backward = fn), so it cannot be "
                    "recomputed at other values; make it with the library's ops or custom_op")
            self.steps.append((i, rule.value, node._op.params,
                               tuple(self.index[p] for p in node._prev)))
        self.leaves = [node for node in self.order if not node._prev]
        self._chain: list | None = None  # chain_order(output), made when a gradient is asked

    def _name(self, node: Value) -> str:
        return f"node {display_names(self.output, self.order)[node]!r}"

    def run(self, values: Mapping[int, float] | None = None) -> tuple[list[float], list[tuple]]:
        """Every node's value and local derivatives, with leaf ``i`` set to ``values[i]``.

        Args:
            values: new values by index in ``order``; other leaves keep their data.

        Returns:
            ``(data, local)``: lists by index in ``order``.
        """
        data = [node.data for node in self.order]
        for i, v in (values or {}).items():
            data[i] = v
        local: list[tuple] = [()] * len(data)
        for i, value, params, parents in self.steps:
            try:
                out, local[i] = value(*[data[j] for j in parents], **params)
            except (ValueError, ArithmeticError) as e:
                raise type(e)(f"evaluate: at {self._name(self.order[i])}: {e}") from None
            if out - out:
                raise OverflowError(f"evaluate: at {self._name(self.order[i])}: "
                                    f"{self.order[i]._op!r} gives {out!r}")
            data[i] = out
        return data, local

    def gradient(self, local: list[tuple], wrt: int, magnitude: bool = False) -> float:
        """∂output/∂(node ``wrt``) from the local derivatives of one run: the chain rule's sweep.

        With ``magnitude``, the same sweep over |local derivative|: the sum over paths of
        |product|, which is the gradient when no two paths cancel, and otherwise the size of
        the terms that cancel (what rounding error in the gradient is measured against).
        """
        index = self.index
        if magnitude:
            def at(node):
                return [abs(d) for d in local[index[node]]]
        else:
            def at(node):
                return local[index[node]]
        if self._chain is None:
            self._chain = chain_order(self.output)
        sweep = ChainRule(self.output, local=at, order=self._chain).run()
        return sweep.grad(self.order[wrt])

    def leaf_values(self, values: Mapping) -> dict[int, float]:
        """``{leaf Value: number}`` checked and turned into ``{index: float}``."""
        if not isinstance(values, Mapping):
            raise TypeError(f"evaluate: values must be a dict {{leaf: number}}, got "
                            f"{type(values).__name__}")
        out = {}
        for leaf, v in values.items():
            i = self.index.get(leaf) if isinstance(leaf, Value) else None
            if i is None or leaf._prev:
                labels = ", ".join(n.label or repr(n) for n in self.leaves)
                raise ValueError(f"evaluate: {leaf!r} is not a leaf of the output's graph; "
                                 f"its leaves are: {labels}")
            name = leaf.label or repr(leaf)
            v = to_float(v, f"evaluate: the value of {name}")
            if v - v:
                raise ValueError(f"evaluate: the value of {name} must be finite, got {v!r}")
            out[i] = v
        return out


def evaluate(output: Value, values: Mapping[Value, float]) -> float:
    """The output recomputed with new leaf values: a forward replay over the recorded ops.

    The graph is not changed (no ``.data``, no ``.grad``); leaves not given keep their data.

    Args:
        output: a Value whose graph was made by this library's ops (or ``custom_op``).
        values: ``{leaf: number}`` for the leaves to change.

    Returns:
        The output's value at those leaf values, as a float.

    Raises:
        ValueError: a key that is not a leaf of the graph, a non-finite value, a value outside
            an op's domain (``log`` of a number <= 0), or a node with no row to replay it.
    """
    replay = Replay(output)
    data, _ = replay.run(replay.leaf_values(values))
    return data[-1]
