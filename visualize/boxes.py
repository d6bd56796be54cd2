"""The boxes draw_dot draws, one per value (``collapse`` and ``plate`` make bigger ones).

``draw_dot`` first turns the graph of Values into boxes, then writes them as DOT (``graph``).
Every walk here is iterative.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from autograd import Value, local_derivatives
from autograd.extend import labels
from visualize.style import fmt, node_kind

__all__ = ["Box", "Context", "plain_boxes", "distinct", "within_depth", "near", "order_key",
           "is_dead_relu"]



class Box:
    """One record to draw: a value, a collapsed neuron, layer or term, or a plate's summary."""

    __slots__ = ("value", "kind", "title", "op", "fields", "grad", "inputs", "dead",
                 "cluster", "truncated", "id", "order", "many")

    def __init__(self, value: Value | None, kind: str, title: str, op: str = "",
                 grad: float | None = 0.0):
        self.value = value
        self.kind = kind
        self.title = title
        self.op = op            # drawn as its own ellipse; '' for collapsed boxes
        self.fields: list[str] = []
        self.grad = grad        # what the fill shows; None: no fill (constants)
        self.inputs: list[tuple[Box, float | None, int]] = []  # (source, local, argument)
        self.dead = False
        self.cluster: tuple[str, str] | None = None  # (key, label) of its Graphviz cluster
        self.truncated = False
        self.id = ""
        self.order: tuple | None = None  # (family, index): drawn in index order in its rank
        self.many = ""          # an edge label for an edge that stands for many (plate view)


class Context:
    """What every box builder needs: names, kinds, gradients and the number format."""

    def __init__(self, names: dict, params: Collection[int], inputs: Collection[int],
                 digits: int, grads: Callable[[Value], float]):
        self.names, self.params, self.inputs = names, params, inputs
        self.digits, self.grads = digits, grads
        self.uses: dict[int, int] = {}
        for v in names:
            for p in v._prev:
                self.uses[id(p)] = self.uses.get(id(p), 0) + 1

    def kind(self, v: Value) -> str:
        return node_kind(v, self.params, self.inputs, self.uses.get(id(v), 0))

    def num(self, x: float) -> str:
        return fmt(x, self.digits)

    def value_box(self, v: Value) -> Box:
        """label (or generated name) | data | grad; constants show no gradient."""
        kind = self.kind(v)
        grad = None if kind == "constant" else self.grads(v)
        box = Box(v, kind, self.names[v], v._op, grad)
        box.fields = [f"data {self.num(v.data)}"]
        if grad is not None:
            box.fields.append(f"grad {self.num(grad)}")
        box.dead = is_dead_relu(v)
        box.order = order_key(v.label)
        return box


def is_dead_relu(v: Value) -> bool:
    """A ReLU whose input was ≤ 0: local derivative 0, no gradient passes."""
    return v._op == "ReLU" and local_derivatives(v) == (0.0,)


def order_key(label: str) -> tuple | None:
    """(family, index) for labels that have an index order: x_j, W[l]_jk, b[l]_k, z/a[l]_k."""
    parts = labels.parse(label) if label else None
    if parts is None:
        return None
    if parts.family == "x":
        return ("x",), parts.j
    if parts.family == "W":
        return ("p", parts.layer), (parts.k, 0, parts.j)
    if parts.family == "b":
        return ("p", parts.layer), (parts.k, 1, 0)
    return (parts.family, parts.layer), parts.k


def plain_boxes(topo: list[Value], ctx: Context) -> dict[int, Box]:
    """One box per value, one edge per argument carrying the local derivative.

    ``topo`` may leave values out (see ``near``): a value whose parents are left out is
    marked truncated.
    """
    boxes: dict[int, Box] = {}
    for v in topo:
        box = ctx.value_box(v)
        if all(id(p) in boxes for p in v._prev):
            box.inputs = [(boxes[id(p)], local, i)
                          for i, (p, local) in enumerate(zip(v._prev, local_derivatives(v)))]
        else:
            box.truncated = True
        boxes[id(v)] = box
    return boxes


def near(root: Value, max_depth: int) -> set[int]:
    """ids of the values at most ``max_depth`` edges from ``root`` (breadth first)."""
    seen, frontier = {id(root)}, [root]
    for _ in range(max_depth):
        parents = []
        for v in frontier:
            for p in v._prev:
                if id(p) not in seen:
                    seen.add(id(p))
                    parents.append(p)
        frontier = parents
    return seen


def distinct(boxes: dict[int, Box]) -> list[Box]:
    """Each box once, in the order first met (a topological order)."""
    unique, seen = [], set()
    for box in boxes.values():
        if id(box) not in seen:
            seen.add(id(box))
            unique.append(box)
    return unique


def within_depth(unique: list[Box], start: Box, max_depth: int | None) -> list[Box]:
    """The boxes at most ``max_depth`` edges from ``start``; those at the cut are marked."""
    if max_depth is None:
        return unique
    depth = {id(start): 0}
    frontier = [start]
    while frontier:
        nxt = []
        for box in frontier:
            if depth[id(box)] == max_depth:
                box.truncated = box.truncated or bool(box.inputs)
                continue
            for src, _, _ in box.inputs:
                if id(src) not in depth:
                    depth[id(src)] = depth[id(box)] + 1
                    nxt.append(src)
        frontier = nxt
    return [box for box in unique if id(box) in depth]

