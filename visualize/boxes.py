"""The boxes draw_dot draws, one per value (``collapse`` and ``plate`` make bigger ones).

``draw_dot`` first turns the graph of Values into boxes, then writes them as DOT (``graph``).
Every walk here is iterative.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection

from autograd import Value, local_derivatives
from autograd.extend import N_, is_dead, labels, tr, trn
from visualize.style import fmt, node_kind

__all__ = ["Box", "Context", "plain_boxes", "distinct", "within_depth", "near", "order_key",
           "is_dead_relu", "stale_gradients", "VALUES_ONLY", "ranks", "slide_estimate",
           "layout_work"]



class Box:
    """One record to draw: a value, a collapsed neuron, layer or term, or a plate's summary."""

    __slots__ = ("value", "kind", "title", "op", "fields", "grad", "inputs", "dead",
                 "cluster", "truncated", "id", "order", "many", "tall")

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
        self.tall = False       # one row per neuron: edges join it at its title, not a row


def data_inputs(topo: list[Value]) -> dict[Value, str]:
    """Unlabelled leaves that nn's first layer reads (the data): ``x_j``, or ``x[i]_j`` when
    several samples pass through the graph, i counting samples from 0 in the order the graph
    uses them (the order of the rows of X when the loss sums over them in order)."""
    groups: dict[tuple, None] = {}
    for v in topo:
        if (v.label or "").startswith("z[1]_"):
            xs = tuple(p for p in v._prev if not p._prev and not p.label)
            if xs:
                groups.setdefault(xs, None)
    samples = list(dict.fromkeys(tuple(id(x) for x in xs) for xs in groups))
    if not samples:
        return {}
    sample_of = {key: i for i, key in enumerate(samples)}
    names = {}
    for xs in groups:
        i = sample_of[tuple(id(x) for x in xs)]
        for j, x in enumerate(xs, start=1):
            names[x] = labels.data_input(j, None if len(samples) == 1 else i)
    return names


class Context:
    """What every box builder needs: names, kinds, gradients and the number format."""

    def __init__(self, names: dict, params: Collection[int], inputs: Collection[int],
                 digits: int, grads: Callable[[Value], float]):
        data = data_inputs(list(names))
        names = {**names, **data} if data else names
        inputs = frozenset(inputs) | {id(x) for x in data}
        self.names, self.params, self.inputs = names, params, inputs
        self.digits, self.grads = digits, grads
        self.values_only = False   # no backward pass reached the graph: no gradient shown
        self.constant_grads = False   # the backward page shows what constants receive too
        self.ops_inside = False    # collapsed views: 'mul1 (*)' in the box, no op ellipse

    def kind(self, v: Value) -> str:
        return node_kind(v, self.params, self.inputs)

    def num(self, x: float) -> str:
        return fmt(x, self.digits)

    def grad(self, v: Value) -> float | None:
        """What the picture shows as v's gradient: None when the graph shows values only."""
        return None if self.values_only else self.grads(v)

    def grad_lines(self, grad: float | None, what: str = "grad") -> list[str]:
        return [] if grad is None else [f"{what} {self.num(grad)}"]

    def value_box(self, v: Value) -> Box:
        """label (or generated name), data, grad; a constant is its number alone (no name,
        no gradient, except on the backward page, which shows what it receives)."""
        kind = self.kind(v)
        if kind == "constant":
            box = Box(v, kind, self.num(v.data), "", None)
            box.fields = self.grad_lines(self.grad(v)) if self.constant_grads else []
            return box
        name, op = self.names[v], v._op
        if self.ops_inside and op:   # the op in the box, unless its name says it (ReLU1)
            said = not v.label and re.fullmatch(r"(add|mul|[A-Za-z]\w*?)\d+", name) and (
                op in ("+", "*") or name.startswith(op))
            name, op = (name if said else f"{name} ({op})"), ""
        box = Box(v, kind, name, op, self.grad(v))
        box.fields = [f"data {self.num(v.data)}", *self.grad_lines(box.grad)]
        box.dead = is_dead_relu(v)
        box.order = order_key(v.label or self.names[v])
        return box


VALUES_ONLY = N_("values only: no backward pass has run from this root (its grad is 0), as "
                 "for a graph of gradients made by grad(..., create_graph=True)")


def stale_gradients(topo: list[Value], root: Value, ctx: Context, most: int = 3) -> list[str]:
    """A note when some .grad differs from what one backward pass of this graph gives.

    ``.grad`` accumulates: a leaf that earlier passes (other samples, other losses, training
    steps without ``zero_grad()``) also reached holds their sum. The pass is recomputed into
    a dict (one chain-rule sweep from ``root.grad``); nothing is changed.
    """
    fresh = {id(v): 0.0 for v in topo}
    fresh[id(root)] = root.grad
    for v in reversed(topo):
        g = fresh[id(v)]
        if g and v._prev:
            for p, local in zip(v._prev, local_derivatives(v)):
                fresh[id(p)] += local * g
    off = [v for v in topo if ctx.kind(v) != "constant"
           and abs(v.grad - fresh[id(v)]) > 1e-9 * max(abs(v.grad), abs(fresh[id(v)]), 1e-300)]
    if not off:
        return []
    shown = tr(_SEPARATOR).join(tr("{name}.grad = {grad}, this pass {fresh}", name=ctx.names[v],
                                   grad=ctx.num(v.grad), fresh=ctx.num(fresh[id(v)]))
                                for v in off[:most])
    if len(off) > most:
        return [trn("stale gradients: {n} value holds more than one backward pass of this graph "
                    "({shown} and {more} more): .grad adds up passes; call zero_grad() before "
                    "backward()", "stale gradients: {n} values hold more than one backward pass "
                    "of this graph ({shown} and {more} more): .grad adds up passes; call "
                    "zero_grad() before backward()", len(off), shown=shown,
                    more=len(off) - most)]
    return [trn("stale gradients: {n} value holds more than one backward pass of this graph "
                "({shown}): .grad adds up passes; call zero_grad() before backward()",
                "stale gradients: {n} values hold more than one backward pass of this graph "
                "({shown}): .grad adds up passes; call zero_grad() before backward()", len(off),
                shown=shown)]


# TRANSLATORS: between the values a stale-gradient note lists ("x.grad = 2, this pass 1; ...")
_SEPARATOR = N_("; ")


def ranks(drawn: list[Box]) -> dict[int, int]:
    """id of each box -> its column in the default (LR) drawing, as Graphviz would rank it:
    one more than its latest input, and an input-less box just before its first user."""
    rank: dict[int, int] = {}
    for box in drawn:   # topological order: inputs first
        rank[id(box)] = max((rank[id(src)] + 1 for src in drawn_inputs(box)), default=0)
    first_use: dict[int, int] = {}
    for box in drawn:
        for src in drawn_inputs(box):
            first_use[id(src)] = min(first_use.get(id(src), rank[id(box)]), rank[id(box)])
    for box in drawn:
        if not drawn_inputs(box) and id(box) in first_use:
            rank[id(box)] = first_use[id(box)] - 1
    return rank


def drawn_inputs(box: Box) -> list[Box]:
    """The boxes with an edge into this one (none where max_depth cut its parents off)."""
    return [] if box.truncated else [src for src, _, _ in box.inputs]


def slide_estimate(drawn: list[Box]) -> float:
    """Roughly the px height of 12-pt text once the default drawing is fitted to a 1600 × 900
    slide, from its ranks (columns) and the most boxes in one rank, before any layout."""
    rank = ranks(drawn)
    count: dict[int, int] = {}
    for r in rank.values():
        count[r] = count.get(r, 0) + 1
    width = 110 * (max(rank.values()) - min(rank.values()) + 1)
    return 16 * min(1600 / width, 900 / (62 * max(count.values())))


def layout_work(drawn: list[Box]) -> int:
    """Boxes plus the columns their edges cross: about an eighth of the nodes Graphviz lays
    out (an edge crossing k columns becomes k invisible nodes, and labels double the ranks).
    A value used far from where it is made (x in every step of a long loop) costs most."""
    rank = ranks(drawn)
    return len(drawn) + sum(rank[id(box)] - rank[id(src)] - 1
                            for box in drawn for src in drawn_inputs(box))


def is_dead_relu(v: Value) -> bool:
    """A node that passes no gradient (a ReLU whose input was ≤ 0; the op's row says which
    ops can be dead: ``autograd.extend.is_dead``)."""
    return is_dead(v)


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

