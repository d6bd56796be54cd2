"""draw_dot: a computation graph as a ``graphviz.Digraph``, a record per value, an op per ellipse.

Drawing is two passes: ``boxes`` (or ``plate``) turns the graph of Values into the boxes to draw
(one per value, or one per neuron, layer, parameter term or plate), then ``draw_dot`` writes
them as DOT. Both walk the graph iteratively, so any depth works.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable

import graphviz

from autograd import Value, topological_order
from autograd.extend import display_names
from visualize.boxes import (
    VALUES_ONLY,
    Box,
    Context,
    distinct,
    near,
    plain_boxes,
    slide_estimate,
    stale_gradients,
    within_depth,
)
from visualize.collapse import collapsed_boxes
from visualize.legend import legend_graph
from visualize.plate import plate_boxes
from visualize.render import InlineDigraph
from visualize.style import (
    DEAD,
    FONT,
    GRAD_COLOURS,
    esc,
    fill,
    fmt,
    lines,
    node_kind,
    node_style,
    parse_label,
)

__all__ = ["draw_dot", "node_kind", "parse_label", "GRAD_COLOURS", "MAX_LABELLED_INPUTS",
           "SlideSizeWarning"]

_RANKDIRS = ("LR", "RL", "TB", "BT")
_COLLAPSE = (None, "neuron", "layer", "plate")
_FORMATS = ("svg", "png")
MAX_LABELLED_INPUTS = 12  # edge_labels='auto' labels no edge into a node with more inputs
_TIE_LABELS_FROM = 4  # into a node with this many inputs, each label is tied to its edge


def _check(root, format, rankdir, edge_labels, collapse, max_depth, max_nodes, digits) -> None:
    if not isinstance(root, Value):
        raise TypeError(f"draw_dot: expected a Value, got {type(root).__name__}")
    if format not in _FORMATS:
        raise ValueError(f"draw_dot: format must be one of {_FORMATS}, got {format!r}")
    if rankdir not in _RANKDIRS:
        raise ValueError(f"draw_dot: rankdir must be one of {_RANKDIRS}, got {rankdir!r}")
    if edge_labels not in (True, False, "auto"):
        raise ValueError(f"draw_dot: edge_labels must be True, False or 'auto', "
                         f"got {edge_labels!r}")
    if collapse not in _COLLAPSE:
        raise ValueError(f"draw_dot: collapse must be one of {_COLLAPSE}, got {collapse!r}")
    for name, n in (("max_depth", max_depth), ("max_nodes", max_nodes)):
        if n is not None and (isinstance(n, bool) or not isinstance(n, int) or n < 0):
            raise ValueError(f"draw_dot: {name} must be an int >= 0 or None, got {n!r}")
    if isinstance(digits, bool) or not isinstance(digits, int) or not 1 <= digits <= 17:
        raise ValueError(f"draw_dot: digits must be an int from 1 to 17, got {digits!r}")


def _ids_of(values: Iterable[Value] | None, what: str) -> frozenset[int]:
    if values is None:
        return frozenset()
    values = list(values)
    for v in values:
        if not isinstance(v, Value):
            raise TypeError(f"draw_dot: {what} must hold Values, got {type(v).__name__}")
    return frozenset(id(v) for v in values)


def draw_dot(root: Value, format: str = "svg", rankdir: str = "LR", *,
             edge_labels: bool | str = "auto", digits: int = 4,
             params: Iterable[Value] | None = None, inputs: Iterable[Value] | None = None,
             collapse: str | None = None, max_depth: int | None = None,
             max_nodes: int | None = 500, legend: bool = True, _ids: bool = False,
             _grads: Callable[[Value], float] | None = None) -> graphviz.Digraph:
    """The computation graph that produced ``root``, as a ``graphviz.Digraph``.

    One record ``name | data | grad`` per value, one ellipse per op, one edge per argument
    (``a + a`` has two) labelled with the local derivative ∂out/∂argument. The fill is |grad|
    relative to the largest; the border is the kind: parameter, input, leaf (a value you made
    and named), constant (no label; no fill, never sets the colour scale) or computed. Unlabelled
    values show the name ``explain`` uses (``mul1``, see ``autograd.names``). Node ids are
    ``n0, n1, ...`` in topological order, so the same expression always gives the same DOT;
    ``x_j``, ``W[l]_jk``, ``b[l]_k``, ``z[l]_k`` and ``a[l]_k`` are drawn in index order.

    Args:
        root: the value whose graph to draw.
        format: 'svg' (default) or 'png': the Digraph's format for ``.render()``/``.pipe()``.
        rankdir: 'LR' (default), 'RL', 'TB' or 'BT'.
        edge_labels: 'auto' (default) writes the local derivative on each edge except into
            a node with more than ``MAX_LABELLED_INPUTS`` inputs; True on every edge; False none.
        digits: significant digits for data, grad and local derivatives.
        params: values to draw as parameters (besides leaves labelled ``W[...`` / ``b[...``).
        inputs: values to draw as inputs (besides leaves labelled ``x``, ``x_j``, ``xj``).
        collapse: None (every value), 'neuron' (one record per neuron call, clustered per
            layer), 'layer' (one record per layer call) or 'plate' (the structure repeated per
            sample drawn once, inside a plate marked "× N samples"). All three draw a term made
            of parameters only (an L2 penalty) as one record and need the labels nn gives.
        max_depth: draw only values within this many steps of the root.
        max_nodes: refuse (ValueError) to draw more records than this; None for no limit.
        legend: add a legend listing the colours, borders and marks the picture uses.

    Returns:
        The Digraph; ``.source`` is the DOT text, Jupyter shows it inline, ``render`` saves it.
    """
    _check(root, format, rankdir, edge_labels, collapse, max_depth, max_nodes, digits)
    topo = topological_order(root)
    kept = topo if collapse or max_depth is None else \
        [v for v in topo if id(v) in near(root, max_depth)]
    if not collapse:
        _refuse_above(len(kept), max_nodes)  # one box per value: refuse before building them
    ctx = Context(display_names(root, topo), _ids_of(params, "params"),
                  _ids_of(inputs, "inputs"), digits, _grads or (lambda v: v.grad))
    notes = []
    ctx.constant_grads = _grads is not None
    if _grads is None:
        ctx.values_only = root.grad == 0.0
        notes = [VALUES_ONLY] if ctx.values_only else stale_gradients(topo, root, ctx)
    if collapse is None:
        boxes = plain_boxes(kept, ctx)
    elif collapse == "plate":
        boxes = plate_boxes(topo, ctx)
    else:
        boxes = collapsed_boxes(topo, ctx, collapse)
    drawn = within_depth(distinct(boxes), boxes[id(root)], max_depth)
    _refuse_above(len(drawn), max_nodes)
    for i, box in enumerate(drawn):
        box.id = f"n{i}"
    if collapse is None and max_depth is None and len(drawn) > 30:
        _warn_if_small(drawn, ctx, topo)
    return _write(drawn, rankdir, format, edge_labels, digits, legend, _ids, collapse, notes)


class SlideSizeWarning(UserWarning):
    """The default drawing of this graph would have text under 8 px on a 1600 × 900 slide."""


def _warn_if_small(drawn: list[Box], ctx: Context, topo: list[Value]) -> None:
    px = slide_estimate(drawn)
    if px >= 8:
        return
    neurons = any((v.label or "").startswith("z[") for v in topo)
    view = ("collapse='layer' (one box per layer; collapse='plate' when the loss sums over "
            "samples)" if neurons else "max_depth=N (the part near the root)")
    warnings.warn(f"draw_dot: drawn value by value, this graph ({len(drawn)} boxes) would have "
                  f"text of about {px:.0f} px on a 1600 x 900 slide; the view that fits is "
                  f"{view}", SlideSizeWarning, stacklevel=3)


class GraphTooLargeError(ValueError):
    """draw_dot refused a graph with more values to draw (``count``) than ``limit``."""

    def __init__(self, message: str, count: int, limit: int):
        super().__init__(message)
        self.count, self.limit = count, limit


def _refuse_above(count: int, max_nodes: int | None) -> None:
    if max_nodes is not None and count > max_nodes:
        raise GraphTooLargeError(
            f"draw_dot: this graph has {count} values to draw, more than "
            f"max_nodes={max_nodes}. Options: raise the limit (max_nodes={count}), "
            "collapse neurons or layers (collapse='neuron' or 'layer'), draw the structure "
            "repeated per sample once (collapse='plate'), for graphs built by nn modules, "
            "or draw only the part near the root (max_depth=N)", count, max_nodes)


def _label(box: Box) -> str:
    """The box's lines, one above the other: title, data, grad (plain text: every Graphviz,
    the WebAssembly build included, draws it; records break Debian 12's dot with same-rank
    edges, and the WebAssembly build has no HTML-like labels)."""
    return lines(*([box.title] if box.title else []), *box.fields)


def _scales(drawn: list[Box]) -> dict[str, float]:
    """The largest |grad| per fill group: parameters, and every other value (constants and
    boxes without a gradient never set a scale)."""
    biggest = {"parameter": 0.0, "value": 0.0}
    for b in drawn:
        if b.grad is not None:
            group = _group(b)
            biggest[group] = max(biggest[group], abs(b.grad))
    return biggest


def _group(box: Box) -> str:
    return "parameter" if box.kind == "parameter" else "value"


def _write(drawn: list[Box], rankdir: str, format: str, edge_labels, digits: int, legend: bool,
           ids: bool, collapse: str | None, notes: list[str]) -> graphviz.Digraph:
    scales = _scales(drawn)
    g = InlineDigraph("computation_graph", format=format)
    g.attr(rankdir=rankdir, ranksep="0.2", nodesep="0.12")
    g.attr("node", fontname=FONT, fontsize="12")
    g.attr("edge", fontname=FONT, fontsize="12", arrowsize="0.6")
    clusters: dict[str, graphviz.Digraph] = {}
    labelled = {id(box): edge_labels is True or (
        edge_labels == "auto" and len(box.inputs) <= MAX_LABELLED_INPUTS) for box in drawn}
    buses = _buses(drawn, labelled)
    for box in drawn:
        target = _cluster_of(box, g, clusters)
        _node(target, box, scales, ids)
        head = _op_node(g, target, box, ids)
        if not box.truncated:
            _edges(g, box, head, labelled[id(box)], buses, digits, ids)
    for n, (sources, heads) in enumerate(dict.fromkeys(buses.values())):
        _bus(g, f"bus{n}", sources, heads)
    _chains(g, clusters, drawn, rankdir)
    for sub in clusters.values():
        g.subgraph(sub)
    if legend:
        omitted = edge_labels == "auto" and any(
            not labelled[id(b)] and any(loc is not None for _, loc, _ in b.inputs) for b in drawn)
        g.legend = legend_graph(drawn, scales, digits, collapse=collapse, omitted=omitted,
                                notes=notes)
    return g


def _cluster_of(box: Box, g: graphviz.Digraph, clusters: dict) -> graphviz.Digraph:
    """The Graphviz cluster the box is drawn in (made on first use), or the graph itself."""
    if box.cluster is None:
        return g
    key, label = box.cluster
    if key not in clusters:
        clusters[key] = graphviz.Digraph(f"cluster_{len(clusters)}")
        style = {"labeljust": "r", "labelloc": "b", "penwidth": "1.5"} if key == "plate" else {}
        clusters[key].attr(label=graphviz.nohtml(esc(label)), style="rounded", color="#888888",
                           fontname=FONT, fontsize="12", **style)
    return clusters[key]


def _op_node(g: graphviz.Digraph, target: graphviz.Digraph, box: Box, ids: bool) -> str:
    """The ellipse of the box's op, joined to the box; returns the node its inputs go into."""
    if not box.op or box.truncated:
        return box.id
    head = box.id + "op"
    extra = {"id": head} if ids else {}
    if box.dead:
        extra.update(style="filled,dashed", fillcolor=DEAD)
    target.node(head, graphviz.nohtml(esc(box.op)), shape="ellipse", fontsize="12",
                width="0.3", height="0.3", margin="0.04,0.01", **extra)
    g.edge(head, box.id)
    return head


def _edges(g: graphviz.Digraph, box: Box, head: str, labelled: bool, buses: dict,
           digits: int, ids: bool) -> None:
    """One edge per argument into ``head``, except those a bus draws."""
    bus = buses.get(id(box))
    for src, local, arg in box.inputs:
        if bus and src.id in bus[0]:
            continue
        attrs = {}
        if local is not None and labelled:
            attrs["label"] = fmt(local, digits)
            if len(box.inputs) >= _TIE_LABELS_FROM:
                attrs["decorate"] = "true"  # a line from label to edge, where many meet
        elif src.many:
            attrs["label"] = src.many
        if box.dead:
            attrs.update(style="dashed", color=DEAD)
        if ids:
            attrs["id"] = f"{src.id}_{head}_{arg}"
        g.edge(src.id, head, **attrs)


def _buses(drawn: list[Box], labelled: dict) -> dict[int, tuple[tuple, tuple]]:
    """Heads without edge labels that read the same sources (a dense layer) share a bus.

    Instead of every source joined to every head (16 × 16 = 256 edges between two layers),
    each source joins one small node and it joins each head (16 + 16 edges).
    Returns id of head -> (source ids, head ids of its bus).
    """
    dense = [b for b in drawn if not labelled[id(b)] and not b.truncated
             and len(b.inputs) > MAX_LABELLED_INPUTS]
    feeds: dict[str, int] = {}
    for box in dense:
        for src_id in {src.id for src, _, _ in box.inputs}:
            feeds[src_id] = feeds.get(src_id, 0) + 1
    groups: dict[tuple, list[Box]] = {}
    for box in dense:
        shared = tuple(sorted({src.id for src, _, _ in box.inputs if feeds[src.id] > 1}))
        if len(shared) > 1:
            groups.setdefault(shared, []).append(box)
    buses = {}
    for sources, heads in groups.items():
        if len(heads) > 1:
            entry = (sources, tuple(b.id + ("op" if b.op else "") for b in heads))
            buses.update({id(b): entry for b in heads})
    return buses


def _bus(g: graphviz.Digraph, name: str, sources: tuple, heads: tuple) -> None:
    """Every source to one small node, which says how many, and it to every head."""
    g.node(name, f"all {len(sources)}\\nto each", shape="box", style="rounded",
           fontsize="11", width="0.3", height="0.3", margin="0.04,0.02", color="#666666")
    for src in sources:
        g.edge(src, name, arrowhead="none")
    for head in heads:
        g.edge(name, head)


def _node(target: graphviz.Digraph, box: Box, scales: dict[str, float], ids: bool) -> None:
    attrs = node_style(box.kind, *(["dashed"] if box.dead or box.truncated else []))
    if ids:
        attrs["id"] = box.id
        if box.dead:
            attrs["class"] = "dead"
    target.node(box.id, graphviz.nohtml(_label(box)), shape="box", margin="0.08,0.03",
                fillcolor=DEAD if box.dead else fill(box.grad, scales[_group(box)]), **attrs)


def _chains(g: graphviz.Digraph, clusters: dict, drawn: list[Box], rankdir: str) -> None:
    """Keep x_j, W[l]_jk / b[l]_k, z[l]_k and a[l]_k in index order within their rank.

    Each family becomes a same-rank group joined by invisible edges in index order; a family
    whose indices repeat (several samples) or that spans clusters is left to Graphviz. dot
    lays out LR/RL graphs top to bottom and then flips them, flipping the order inside
    clusters too, so a chain inside a cluster is written backwards there and the final
    crossing pass (which would undo it) is skipped.
    """
    families: dict[tuple, list[tuple]] = {}
    for box in drawn:
        if box.order is not None and not box.truncated:
            family, index = box.order
            cluster = box.cluster[0] if box.cluster else None
            families.setdefault(family, []).append((index, box.id, cluster))
    for _, members in sorted(families.items()):
        indices = [index for index, _, _ in members]
        where = {cluster for _, _, cluster in members}
        if len(members) < 2 or len(set(indices)) < len(indices) or len(where) > 1:
            continue
        members.sort()
        target, cluster = g, where.pop()
        if cluster is not None:
            target = clusters[cluster]
            g.attr(remincross="false")
            if rankdir in ("LR", "RL"):
                members.reverse()
        with target.subgraph() as same:
            same.attr(rank="same")
            for _, node, _ in members:
                same.node(node)
            for (_, a, _), (_, b, _) in zip(members, members[1:]):
                same.edge(a, b, style="invis")
