"""draw_dot: a computation graph as a ``graphviz.Digraph``, one record per value, one circle per op.

Drawing is two passes: ``_boxes`` turns the graph of Values into the boxes to draw (one per value,
or one per neuron / layer when collapsed), then ``draw_dot`` writes them as DOT. Both walk the
graph iteratively, so any depth works.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import graphviz

from autograd.engine import Value
from autograd.steps import local_derivatives, topological_order
from visualize.render import InlineDigraph

__all__ = ["draw_dot", "node_kind", "parse_label", "GRAD_COLOURS"]

_NEURON_LABEL = re.compile(r"^([bza])\[(\d+)\]_(\d+)$")
_WEIGHT_LABEL = re.compile(r"^W\[(\d+)\]_(?:(\d+),(\d+)|(\d)(\d))$")
_RANKDIRS = ("LR", "RL", "TB", "BT")
_COLLAPSE = (None, "neuron", "layer")

# |grad| relative to the largest |grad| drawn: (upper bound, fill colour, legend text).
GRAD_COLOURS = (
    (0.0, "#ffffff", "0"),
    (1e-3, "#fff5eb", "≤ 0.001·max"),
    (0.1, "#fdd0a2", "≤ 0.1·max"),
    (0.5, "#fd8d3c", "≤ 0.5·max"),
    (1.0, "#e6550d", "≤ max"),
)
_KIND_STYLE = {  # border colour and width per kind of value
    "parameter": ("#2166ac", "2.5"),
    "input": ("#1b7837", "2.5"),
    "constant": ("#999999", "1"),
    "intermediate": ("#000000", "1"),
}
_DEAD = "#bbbbbb"


def parse_label(label: str) -> tuple[str, int, int] | None:
    """('W'|'b'|'z'|'a', layer, neuron) from an nn label such as ``W[2]_13`` or ``a[1]_4``."""
    m = _NEURON_LABEL.match(label)
    if m:
        return m.group(1), int(m.group(2)), int(m.group(3))
    m = _WEIGHT_LABEL.match(label)
    if m:
        return "W", int(m.group(1)), int(m.group(3) or m.group(5))
    return None


def node_kind(v: Value, params: set[int] = frozenset()) -> str:
    """'parameter', 'input', 'constant' or 'intermediate'.

    A leaf is a parameter when its label starts with ``W[`` or ``b[`` or its id is in
    ``params``; another leaf with a label is an input, one without is a constant.
    """
    if v._prev:
        return "intermediate"
    if id(v) in params or v.label.startswith(("W[", "b[")):
        return "parameter"
    return "input" if v.label else "constant"


class _Box:
    """One record to draw: a value, a collapsed neuron or a collapsed layer."""

    __slots__ = ("value", "kind", "title", "op", "fields", "grad", "inputs", "dead",
                 "cluster", "truncated", "id")

    def __init__(self, value: Value, kind: str, title: str, op: str, grad: float):
        self.value = value
        self.kind = kind
        self.title = title
        self.op = op            # drawn as its own circle for plain values; '' for collapsed boxes
        self.fields: list[str] = []
        self.grad = grad
        self.inputs: list[tuple[_Box, float | None, int]] = []  # (source, local, argument)
        self.dead = False
        self.cluster = None
        self.truncated = False
        self.id = ""


def _fmt(x: float, digits: int) -> str:
    return f"{x:.{digits}g}"


def _esc(text: str) -> str:
    """Escape the characters that records treat specially."""
    text = text.replace("\\", "\\\\").replace("\n", " ")
    for c in "{}|<>":
        text = text.replace(c, "\\" + c)
    return text


def _grad_of(v: Value) -> float:
    return v.grad


def _is_dead_relu(v: Value) -> bool:
    return v._op == "ReLU" and tuple(local_derivatives(v)) == (0.0,)


def _plain_boxes(topo, params, digits, grads) -> dict[int, _Box]:
    boxes = {}
    for v in topo:
        box = _Box(v, node_kind(v, params), v.label, v._op, grads(v))
        box.fields = [f"data {_fmt(v.data, digits)}", f"grad {_fmt(box.grad, digits)}"]
        box.dead = _is_dead_relu(v)
        box.inputs = [(boxes[id(p)], local, i)
                      for i, (p, local) in enumerate(zip(v._prev, local_derivatives(v)))]
        boxes[id(v)] = box
    return boxes


def _collapsed_boxes(topo, params, digits, grads, collapse) -> dict[int, _Box]:
    """Boxes with each neuron call (z, activation, its W and b) drawn as one record."""
    labels = {id(v): parse_label(v.label) for v in topo}
    neuron_of = {}  # id of z or a -> (output a-or-z, z)
    for v in topo:
        lab = labels[id(v)]
        if lab and lab[0] == "a" and len(v._prev) == 1:
            z = v._prev[0]
            if labels.get(id(z)) == ("z", lab[1], lab[2]):
                neuron_of[id(z)] = neuron_of[id(v)] = (v, z)
    for v in topo:
        lab = labels[id(v)]
        if lab and lab[0] == "z" and id(v) not in neuron_of:
            neuron_of[id(v)] = (v, v)
    if not neuron_of:
        raise ValueError(f"collapse={collapse!r} needs a graph built by nn modules, whose neuron "
                         "nodes are labelled z[l]_k / a[l]_k; this graph has no such labels. "
                         "Use collapse=None, max_depth=N or a larger max_nodes instead")
    users: dict[int, list[Value]] = {}
    for v in topo:
        for p in v._prev:
            users.setdefault(id(p), []).append(v)
    z_ids = {id(z) for _, z in neuron_of.values()}
    hidden = {id(v) for v in topo if not v._prev and node_kind(v, params) == "parameter"
              and all(id(u) in z_ids for u in users.get(id(v), ()))}

    boxes: dict[int, _Box] = {}
    layers: dict[tuple, _Box] = {}
    pending = []  # (box, [(parent, local, argument)]): inputs are linked once every box exists
    for v in topo:
        if id(v) in hidden:
            continue
        if id(v) not in neuron_of:
            box = _Box(v, node_kind(v, params), v.label, v._op, grads(v))
            box.fields = [f"data {_fmt(v.data, digits)}", f"grad {_fmt(box.grad, digits)}"]
            box.dead = _is_dead_relu(v)
            boxes[id(v)] = box
            edges = enumerate(zip(v._prev, local_derivatives(v)))
            pending.append((box, [(p, local, i) for i, (p, local) in edges
                                  if id(p) not in hidden]))
            continue
        out, z = neuron_of[id(v)]
        if v is not out:
            continue  # the z inside a neuron: drawn as part of its output's box
        _, layer, k = labels[id(out)]
        act = local_derivatives(out)[0] if out is not z else 1.0
        outside = [(p, act * local, i)
                   for i, (p, local) in enumerate(zip(z._prev, local_derivatives(z)))
                   if id(p) not in hidden]
        key = (layer, tuple(id(p) for p, _, _ in outside)
               or tuple(loc for p, loc in zip(z._prev, local_derivatives(z))
                        if (labels[id(p)] or ("",))[0] == "W"))
        formula = "Σ w·x + b" if out is z else f"{out._op}(Σ w·x + b)"
        if collapse == "neuron":
            box = _Box(out, "intermediate", f"{out.label} = {formula}", "", grads(out))
            box.fields = [f"data {_fmt(out.data, digits)}", f"grad {_fmt(box.grad, digits)}"]
            box.dead = _is_dead_relu(out)
            box.cluster = key
            pending.append((box, outside))
        else:
            box = layers.get(key)
            if box is None:
                box = layers[key] = _Box(out, "intermediate", f"layer {layer}", "", 0.0)
            pending.append((box, [(p, None, i) for p, _, i in outside]))
            box.grad = max(box.grad, abs(grads(out)))
            dead = " (dead ReLU)" if _is_dead_relu(out) else ""
            box.fields.append(f"{out.label}: data {_fmt(out.data, digits)}, "
                              f"grad {_fmt(grads(out), digits)}{dead}")
        boxes[id(out)] = box
    for out, z in neuron_of.values():
        boxes[id(z)] = boxes[id(out)]
    for box, inputs in pending:
        seen = {id(src) for src, _, _ in box.inputs}
        for p, local, i in inputs:
            src = boxes[id(p)]
            if local is None and id(src) in seen:
                continue  # a layer box draws one edge per source
            seen.add(id(src))
            box.inputs.append((src, local, i))
    return boxes


def _ordered(boxes: dict[int, _Box], root: Value, max_depth: int | None) -> list[_Box]:
    """Distinct boxes in topological order, keeping only those within max_depth of the root."""
    unique, seen = [], set()
    for box in boxes.values():
        if id(box) not in seen:
            seen.add(id(box))
            unique.append(box)
    if max_depth is None:
        return unique
    start = boxes[id(root)]
    depth = {id(start): 0}
    frontier = [start]
    while frontier:
        nxt = []
        for box in frontier:
            if depth[id(box)] == max_depth:
                box.truncated = bool(box.inputs)
                continue
            for src, _, _ in box.inputs:
                if id(src) not in depth:
                    depth[id(src)] = depth[id(box)] + 1
                    nxt.append(src)
        frontier = nxt
    return [box for box in unique if id(box) in depth]


def _fill(grad: float, biggest: float) -> str:
    if biggest == 0.0 or grad == 0.0:
        return GRAD_COLOURS[0][1]
    ratio = abs(grad) / biggest
    for bound, colour, _ in GRAD_COLOURS[1:]:
        if ratio <= bound:
            return colour
    return GRAD_COLOURS[-1][1]


def _legend(lg: graphviz.Digraph, biggest: float, digits: int, collapse: str | None) -> None:
    """Legend entries as plain boxes (the WebAssembly Graphviz has no HTML-like labels)."""
    lg.attr(label=f"legend: |grad|, max = {_fmt(biggest, digits)}"
            + (" (run backward() first)" if biggest == 0.0 else ""),
            style="rounded", color="#cccccc", fontname="Helvetica", fontsize="10")
    rows = [[(text, {"fillcolor": colour}) for _, colour, text in GRAD_COLOURS],
            [(kind, {"color": colour, "penwidth": width, "fillcolor": "#ffffff"})
             for kind, (colour, width) in _KIND_STYLE.items()],
            [("dead ReLU (local derivative 0)",
              {"fillcolor": _DEAD, "style": "filled,dashed"}),
             ("parents cut (max_depth)",
              {"fillcolor": "#ffffff", "style": "filled,dashed"})]]
    if collapse:
        rows[2].append(("collapsed neuron: W, b, z hidden; edges carry ∂a/∂input",
                        {"fillcolor": "#ffffff"}))
    i = 0
    for row in rows:  # each row is a chain of invisible edges, so it runs along rankdir
        for j, (text, attrs) in enumerate(row):
            attrs = {"style": "filled", **attrs}
            lg.node(f"legend{i}", graphviz.nohtml(text), shape="box", fontsize="9",
                    height="0.2", margin="0.05,0.02", **attrs)
            if j:
                lg.edge(f"legend{i - 1}", f"legend{i}", style="invis")
            i += 1


def draw_dot(root: Value, *, rankdir: str = "LR", edge_labels: bool = True, digits: int = 4,
             params: Iterable[Value] | None = None, collapse: str | None = None,
             max_depth: int | None = None, max_nodes: int | None = 500, legend: bool = True,
             _ids: bool = False) -> graphviz.Digraph:
    """The computation graph that produced ``root``, as a ``graphviz.Digraph``.

    One record ``label | data | grad`` per value (fill colour by |grad|, border colour by kind:
    parameter, input, constant or intermediate), one circle per op, one edge per argument
    (``a + a`` has two) labelled with the local derivative ∂out/∂argument. Node ids are
    ``n0, n1, ...`` in topological order, so the same expression always gives the same DOT.

    Args:
        root: the value whose graph to draw.
        rankdir: 'LR' (default), 'RL', 'TB' or 'BT'.
        edge_labels: write the local derivative on each edge.
        digits: significant digits for data, grad and local derivatives.
        params: values to draw as parameters (besides leaves labelled ``W[...`` / ``b[...``).
        collapse: None, 'neuron' (one record per neuron call, grouped in a cluster per layer)
            or 'layer' (one record per layer call); needs the labels nn gives its nodes.
        max_depth: draw only values within this many steps of the root.
        max_nodes: refuse (ValueError) to draw more records than this; None for no limit.
        legend: add a legend for colours and borders.

    Returns:
        The Digraph; ``.source`` is the DOT text, Jupyter shows it inline, ``render`` saves it.
    """
    if type(root) is not Value:
        raise TypeError(f"draw_dot: expected a Value, got {type(root).__name__}")
    if rankdir not in _RANKDIRS:
        raise ValueError(f"draw_dot: rankdir must be one of {_RANKDIRS}, got {rankdir!r}")
    if collapse not in _COLLAPSE:
        raise ValueError(f"draw_dot: collapse must be one of {_COLLAPSE}, got {collapse!r}")
    for name, n in (("max_depth", max_depth), ("max_nodes", max_nodes)):
        if n is not None and (isinstance(n, bool) or not isinstance(n, int) or n < 0):
            raise ValueError(f"draw_dot: {name} must be an int >= 0 or None, got {n!r}")
    if isinstance(digits, bool) or not isinstance(digits, int) or not 1 <= digits <= 17:
        raise ValueError(f"draw_dot: digits must be an int from 1 to 17, got {digits!r}")
    param_ids = {id(p) for p in params} if params is not None else frozenset()
    grads = _grad_of

    topo = topological_order(root)
    if collapse is None:
        boxes = _plain_boxes(topo, param_ids, digits, grads)
    else:
        boxes = _collapsed_boxes(topo, param_ids, digits, grads, collapse)
    drawn = _ordered(boxes, root, max_depth)
    if max_nodes is not None and len(drawn) > max_nodes:
        raise ValueError(
            f"draw_dot: this graph has {len(drawn)} values to draw, more than "
            f"max_nodes={max_nodes}. Options: raise the limit (max_nodes={len(drawn)}), "
            "collapse neurons or layers into clusters (collapse='neuron' or 'layer', for graphs "
            "built by nn modules), or draw only the part near the root (max_depth=N)")

    for i, box in enumerate(drawn):
        box.id = f"n{i}"
    biggest = max((abs(b.grad) for b in drawn), default=0.0)
    g = InlineDigraph("computation_graph")
    g.attr(rankdir=rankdir)
    g.attr("node", fontname="Helvetica", fontsize="11")
    g.attr("edge", fontname="Helvetica", fontsize="9")
    open_, close = ("{", "}") if rankdir in ("LR", "RL") else ("", "")
    clusters: dict[tuple, graphviz.Digraph] = {}
    for box in drawn:
        target = g
        if box.cluster is not None:
            if box.cluster not in clusters:
                clusters[box.cluster] = graphviz.Digraph(f"cluster_{len(clusters)}")
                clusters[box.cluster].attr(label=f"layer {box.cluster[0]}", style="rounded",
                                           color="#888888")
            target = clusters[box.cluster]
        fields = ([_esc(box.title)] if box.title else []) + [_esc(f) for f in box.fields]
        colour, width = _KIND_STYLE[box.kind]
        style = "filled,dashed" if box.dead or box.truncated else "filled"
        attrs = {"id": box.id} if _ids else {}
        if _ids and box.dead:
            attrs["class"] = "dead"
        target.node(box.id, graphviz.nohtml(open_ + " | ".join(fields) + close), shape="record",
                    style=style, fillcolor=_DEAD if box.dead else _fill(box.grad, biggest),
                    color=colour, penwidth=width, **attrs)
        head = box.id
        if box.op and not box.truncated:
            head = box.id + "op"
            extra = {"id": head} if _ids else {}
            if box.dead:
                extra.update(style="filled,dashed", fillcolor=_DEAD)
            g.node(head, graphviz.nohtml(box.op), shape="circle", fontsize="10", margin="0.02",
                   **extra)
            g.edge(head, box.id)
        if box.truncated:
            continue
        for src, local, arg in box.inputs:
            attrs = {}
            if edge_labels and local is not None:
                attrs["label"] = _fmt(local, digits)
            if box.dead:
                attrs.update(style="dashed", color=_DEAD)
            if _ids:
                attrs["id"] = f"{src.id}_{head}_{arg}"
            g.edge(src.id, head, **attrs)
    for sub in clusters.values():
        g.subgraph(sub)
    if legend:
        with g.subgraph(name="cluster_legend") as lg:
            _legend(lg, biggest, digits, collapse)
    return g
