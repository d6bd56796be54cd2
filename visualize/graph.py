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
from autograd.extend import N_, display_names, tr
from visualize.boxes import (
    VALUES_ONLY,
    Box,
    Context,
    distinct,
    layout_work,
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
           "SlideSizeWarning", "GraphTooLargeError"]

_RANKDIRS = ("LR", "RL", "TB", "BT")
_COLLAPSE = (None, "neuron", "layer", "plate")
_FORMATS = ("svg", "png")
MAX_LABELLED_INPUTS = 12  # edge_labels='auto' labels no edge into a node with more inputs
_TIE_LABELS_FROM = 4  # into a node with this many inputs, each label is tied to its edge
# Layout time (demos/slides.py): Graphviz's node placement (network simplex) and crossing
# reduction grow with the boxes and with the columns each edge crosses (layout_work). Above
# _FEWER_PASSES boxes they stop after a few passes; above _QUICK_WORK (boxes plus columns
# crossed) they run a token pass and edges are drawn straight, so that every graph within the
# default max_nodes lays out in seconds with the WebAssembly build (x used in each of 166
# steps of a loop: 15 minutes before, 2 s now).
_FEWER_PASSES, _QUICK_WORK = 200, 1500
QUICK_NOTE = N_("a big graph laid out quickly: fewer passes placing the boxes and straight "
                "edges (collapse= or max_depth= draw less, and better)")


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


def _collapsed(topo: list[Value], ctx: Context, collapse: str, expanded) -> dict:
    """The boxes of a collapsed view: the plate, or one box per neuron or layer call (the
    ``expanded`` neurons value by value)."""
    if collapse == "plate":
        return plate_boxes(topo, ctx)
    return collapsed_boxes(topo, ctx, collapse, expanded)


def draw_dot(root: Value, format: str = "svg", rankdir: str = "LR", *,
             edge_labels: bool | str = "auto", digits: int = 4,
             params: Iterable[Value] | None = None, inputs: Iterable[Value] | None = None,
             collapse: str | None = None, expand: Iterable[str] = (),
             max_depth: int | None = None, max_nodes: int | None = 500, legend: bool = True,
             _grads: Callable[[Value], float] | None = None) -> graphviz.Digraph:
    """The computation graph that produced ``root``, as a ``graphviz.Digraph``.

    One record ``name | data | grad`` per value, one ellipse per op, one edge per argument
    (``a + a`` has two) labelled with the local derivative ∂out/∂argument. The fill is |grad|
    relative to the largest; the border is the kind: parameter, input, leaf (a value you made
    and named), constant (no label; no fill, never sets the colour scale) or computed. Unlabelled
    values show the name ``explain`` uses (``mul1``, see ``autograd.names``). Node ids are
    ``n0, n1, ...`` in topological order, so the same expression always gives the same DOT;
    they are also the Graphviz ``id`` of each element, so the SVG can be scripted: box ``nK``,
    its op ``nKop``, the edge op -> box ``nKop_nK``, an argument's edge ``nJ_nKop_ARG``
    (``nJ_nK_ARG`` into a box without op); ``.node_values`` of the result maps each box's id to
    the value it draws (a neuron or layer box: its output);
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
        expand: with collapse 'neuron' or 'layer': labels of neurons (``a[l]_k``, or
            ``z[l]_k`` for a linear one) drawn value by value (their W, b, z and a) while the
            others stay collapsed; every call of the neuron is expanded.
        max_depth: draw only values within this many steps of the root.
        max_nodes: refuse (ValueError) to draw more records than this; None for no limit.
        legend: add a legend listing the colours, borders and marks the picture uses.

    Returns:
        The Digraph; ``.source`` is the DOT text, Jupyter shows it inline, ``render`` saves it.
    """
    _check(root, format, rankdir, edge_labels, collapse, max_depth, max_nodes, digits)
    expanded = _neurons_to_expand(expand, collapse)
    topo = topological_order(root)
    ctx, notes = _context(root, topo, params, inputs, digits, _grads)
    drawn = _drawn(root, topo, ctx, collapse, max_depth, max_nodes, expanded)
    for i, box in enumerate(drawn):
        box.id = f"n{i}"
    if collapse is None and max_depth is None and len(drawn) > 30:
        _warn_if_small(drawn, ctx, topo)
    g = _write(drawn, rankdir, format, edge_labels, digits, legend, collapse, notes)
    g.node_values = {box.id: box.value for box in drawn}
    return g


def _neurons_to_expand(expand: Iterable[str], collapse: str | None) -> frozenset:
    """(layer, k) of each neuron label in ``expand``, checked."""
    if isinstance(expand, str):
        raise TypeError(f"draw_dot: expand must be a list of neuron labels, got {expand!r}")
    labels = list(expand)
    if labels and collapse not in ("neuron", "layer"):
        raise ValueError(f"draw_dot: expand needs collapse='neuron' or 'layer', got "
                         f"collapse={collapse!r}")
    out = set()
    for label in labels:
        parsed = parse_label(label) if isinstance(label, str) else None
        if parsed is None or parsed[0] not in "az":
            raise ValueError(f"draw_dot: expand takes neuron labels such as 'a[1]_2', got "
                             f"{label!r}")
        out.add(parsed[1:])
    return frozenset(out)


def _context(root: Value, topo: list[Value], params, inputs, digits: int,
             grads: Callable | None) -> tuple[Context, list[str]]:
    """What the box builders need, and the notes on the gradients (values only, stale)."""
    ctx = Context(display_names(root, topo), _ids_of(params, "params"),
                  _ids_of(inputs, "inputs"), digits, grads or (lambda v: v.grad))
    ctx.constant_grads = grads is not None   # the backward page: every box has a gradient
    if grads is not None:
        return ctx, []
    ctx.values_only = root.grad == 0.0
    return ctx, [tr(VALUES_ONLY)] if ctx.values_only else stale_gradients(topo, root, ctx)


def _boxes(root: Value, topo: list[Value], ctx: Context, collapse: str | None,
           max_depth: int | None, expanded: frozenset = frozenset()) -> list[Box]:
    """The boxes of one view, in topological order (each once), the root's last."""
    ctx.ops_inside = collapse is not None   # one column less per op where space is short
    if collapse is None:
        kept = topo if max_depth is None else [v for v in topo if id(v) in near(root, max_depth)]
        boxes = plain_boxes(kept, ctx)
    else:
        boxes = _collapsed(topo, ctx, collapse, expanded)
    drawn = within_depth(distinct(boxes), boxes[id(root)], max_depth)
    drawn.remove(boxes[id(root)])
    return [*drawn, boxes[id(root)]]


def _drawn(root: Value, topo: list[Value], ctx: Context, collapse: str | None,
           max_depth: int | None, max_nodes: int | None,
           expanded: frozenset = frozenset()) -> list[Box]:
    """The boxes to draw; a GraphTooLargeError naming the views that would fit if they are
    more than ``max_nodes`` (value by value, counted before any box is built)."""
    if collapse is None and max_nodes is not None:
        count = len(near(root, max_depth)) if max_depth is not None else len(topo)
        if count > max_nodes:
            raise _too_large(root, topo, ctx, collapse, max_depth, count, max_nodes)
    drawn = _boxes(root, topo, ctx, collapse, max_depth, expanded)
    if max_nodes is not None and len(drawn) > max_nodes:
        raise _too_large(root, topo, ctx, collapse, max_depth, len(drawn), max_nodes)
    return drawn


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


_VIEWS = {"neuron": "collapse='neuron' (one box per neuron)",
          "layer": "collapse='layer' (one box per layer)",
          "plate": "collapse='plate' (the computation repeated per sample drawn once)"}


def _too_large(root: Value, topo: list[Value], ctx: Context, collapse: str | None,
               max_depth: int | None, count: int, limit: int) -> GraphTooLargeError:
    """The refusal, offering only what would draw this graph within the limit: raising it,
    each other view whose box count fits, and the deepest max_depth that fits."""
    options = [f"raise the limit (max_nodes={count})"]
    for view in _COLLAPSE[_COLLAPSE.index(collapse) + 1:]:
        try:
            fits = len(_boxes(root, topo, ctx, view, max_depth)) <= limit
        except ValueError:   # the view needs nn's labels, or samples that repeat
            fits = False
        if fits:
            options.append(f"draw it with {_VIEWS[view]}")
    depth = _deepest_within(root, topo, ctx, collapse, limit)
    if depth and (max_depth is None or depth < max_depth):
        options.append(f"draw only the part near the root (max_depth={depth})")
    what = "values" if collapse is None else f"boxes with collapse={collapse!r}"
    return GraphTooLargeError(f"draw_dot: this graph has {count} {what} to draw, more than "
                              f"max_nodes={limit}. Options: " + "; ".join(options), count, limit)


def _deepest_within(root: Value, topo: list[Value], ctx: Context, collapse: str | None,
                    limit: int) -> int:
    """The largest max_depth whose drawing (in this view) has at most ``limit`` boxes."""
    if collapse is None:
        start, parents = root, (lambda v: v._prev)
    else:
        every = _boxes(root, topo, ctx, collapse, None)
        start, parents = every[-1], (lambda b: [src for src, _, _ in b.inputs])
    seen, frontier, depth = {id(start)}, [start], 0
    while frontier:
        nxt = [p for node in frontier for p in parents(node) if id(p) not in seen
               and not seen.add(id(p))]
        if len(seen) > limit:
            return depth
        frontier, depth = nxt, depth + 1
    return depth


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
           collapse: str | None, notes: list[str]) -> graphviz.Digraph:
    scales = _scales(drawn)
    g = InlineDigraph("computation_graph", format=format)
    g.attr(rankdir=rankdir, ranksep="0.2", nodesep="0.12")
    quick = _quick_layout(drawn)
    g.attr(**quick)
    if "splines" in quick:
        notes = [*notes, tr(QUICK_NOTE)]
    g.attr("node", fontname=FONT, fontsize="12")
    g.attr("edge", fontname=FONT, fontsize="12", arrowsize="0.6")
    clusters: dict[str, graphviz.Digraph] = {}
    labelled = {id(box): edge_labels is True or (
        edge_labels == "auto" and len(box.inputs) <= MAX_LABELLED_INPUTS) for box in drawn}
    buses = _buses(drawn, labelled)
    for box in drawn:
        target = _cluster_of(box, g, clusters)
        _node(target, box, scales)
        head = _op_node(g, target, box)
        if not box.truncated:
            _edges(g, box, head, labelled[id(box)], buses, digits, rankdir)
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


def _quick_layout(drawn: list[Box]) -> dict[str, str]:
    """The Graphviz settings that keep this picture's layout to seconds (see _QUICK_WORK)."""
    if layout_work(drawn) > _QUICK_WORK:
        return {"nslimit": "0.01", "mclimit": "0.1", "searchsize": "10", "splines": "line"}
    if len(drawn) > _FEWER_PASSES:
        return {"nslimit": "4"}
    return {}


def _cluster_of(box: Box, g: graphviz.Digraph, clusters: dict) -> graphviz.Digraph:
    """The Graphviz cluster the box is drawn in (made on first use), or the graph itself."""
    if box.cluster is None:
        return g
    key, label = box.cluster
    if key not in clusters:
        clusters[key] = graphviz.Digraph(f"cluster_{len(clusters)}")
        style = {"labeljust": "r", "labelloc": "b", "penwidth": "1.5"} if key == "plate" else {}
        justify = "right" if key == "plate" else "center"
        clusters[key].attr(label=graphviz.nohtml(esc(label, justify)), style="rounded",
                           color="#888888", fontname=FONT, fontsize="12", **style)
    return clusters[key]


def _op_node(g: graphviz.Digraph, target: graphviz.Digraph, box: Box) -> str:
    """The ellipse of the box's op, joined to the box; returns the node its inputs go into."""
    if not box.op or box.truncated:
        return box.id
    head = box.id + "op"
    extra = {"id": head}
    if box.dead:
        extra.update(style="filled,dashed", fillcolor=DEAD)
    target.node(head, graphviz.nohtml(esc(box.op)), shape="ellipse", fontsize="12",
                width="0.3", height="0.3", margin="0.04,0.01", **extra)
    g.edge(head, box.id, id=f"{head}_{box.id}")
    return head


_TITLE_PORTS = {"LR": ("ne", "nw"), "RL": ("nw", "ne"), "TB": ("s", "n"), "BT": ("n", "s")}


def _edges(g: graphviz.Digraph, box: Box, head: str, labelled: bool, buses: dict,
           digits: int, rankdir: str) -> None:
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
        if src.tall:    # leave and enter a layer's box at its title, never at a neuron's row
            attrs["tailport"] = _TITLE_PORTS[rankdir][0]
        if box.tall:
            attrs["headport"] = _TITLE_PORTS[rankdir][1]
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
    text = tr("all {n}\nto each", n=len(sources))   # two lines
    g.node(name, graphviz.nohtml(lines(*text.split("\n"))), shape="box", style="rounded",
           fontsize="11", width="0.3", height="0.3", margin="0.04,0.02", color="#666666")
    for src in sources:
        g.edge(src, name, arrowhead="none")
    for head in heads:
        g.edge(name, head)


def _node(target: graphviz.Digraph, box: Box, scales: dict[str, float]) -> None:
    attrs = node_style(box.kind, *(["dashed"] if box.dead or box.truncated else []))
    attrs["id"] = box.id
    if box.dead:
        attrs["class"] = "dead"
    target.node(box.id, graphviz.nohtml(_label(box)), shape="box", margin="0.05,0.03",
                fillcolor=DEAD if box.dead else fill(box.grad, scales[_group(box)]), **attrs)


def _chains(g: graphviz.Digraph, clusters: dict, drawn: list[Box], rankdir: str) -> None:
    """Keep x_j, W[l]_jk / b[l]_k, z[l]_k and a[l]_k in index order within their rank.

    Each family becomes a same-rank group joined by invisible edges in index order; a family
    whose indices repeat (several samples) or that spans clusters is left to Graphviz. The
    inputs x_j head the first layer's parameters' group, so they sit above its W and b, never
    among them. dot lays out LR/RL graphs top to bottom and then flips them, flipping the
    order inside clusters too, so a chain inside a cluster is written backwards there and the
    final crossing pass (which would undo it) is skipped.
    """
    for members, cluster in _families(drawn):
        target = g
        if cluster is not None:
            target = clusters[cluster]
            g.attr(remincross="false")
            if rankdir in ("LR", "RL"):
                members.reverse()
        with target.subgraph() as same:
            same.attr(rank="same")
            for _, node in members:
                same.node(node)
            for (_, a), (_, b) in zip(members, members[1:]):
                same.edge(a, b, style="invis")


def _families(drawn: list[Box]) -> list[tuple[list, str | None]]:
    """(members sorted by index as (index, node id), cluster) of each family to chain."""
    families: dict[tuple, list[tuple]] = {}
    for box in drawn:
        if box.order is not None and not box.truncated:
            family, index = box.order
            cluster = box.cluster[0] if box.cluster else None
            families.setdefault(family, []).append((index, box.id, cluster))
    chains = {}
    for family, members in families.items():
        indices = [index for index, _, _ in members]
        where = {cluster for _, _, cluster in members}
        if len(members) > 1 and len(set(indices)) == len(indices) and len(where) == 1:
            chains[family] = (sorted((i, node) for i, node, _ in members), where.pop())
    inputs, first = chains.get(("x",)), chains.get(("p", 1))
    if inputs and first and inputs[1] == first[1]:   # x_j above W[1] and b[1]
        chains[("p", 1)] = ([((0, 0, j), node) for j, node in inputs[0]] + first[0], first[1])
        del chains[("x",)]
    return [chains[family] for family in sorted(chains)]
