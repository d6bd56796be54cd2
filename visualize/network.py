"""draw_mlp: a network as the seed's figures draw it, neurons in columns, one edge per weight.

Small networks (every layer up to 8 neurons, as the text's 3-4-1) are drawn as the text draws
them: round neurons with their activation and bias, every weight labelled on its edge. Wider
ones (micrograd's 2-16-16-1) are drawn compact, so that a slide still reads: one small box
per neuron (its name and bias; the activation once, in the column's title), every weight an
edge whose strength shows in its width and opacity, and labels for the strongest weights of
each layer only (``labels=True`` labels them all, ``labels=n`` the n strongest).
"""

from __future__ import annotations

import graphviz

from autograd.extend import labels as label_format
from autograd.extend import listed, tr, trn
from visualize.render import InlineDigraph
from visualize.style import esc, fmt, lines

__all__ = ["draw_mlp"]

_POSITIVE, _NEGATIVE, _ZERO = "#2166ac", "#b2182b", "#bbbbbb"
_SHOW = ("weights", "grads")
_STRONGEST = 3   # labels='auto' on a layer too dense to label: its strongest weights
# where along its edge (0 tail, 1 head) a label may sit: middle first, then outwards
_ALONG = tuple(sorted((0.15 + 0.025 * i for i in range(29)), key=lambda t: (abs(t - 0.55), t)))


class _Layout:
    """Where things go (inches, pinned) and how big, for a network of ``sizes`` units."""

    def __init__(self, sizes: list[int], rankdir: str, widest: int):
        self.sizes, self.rankdir = sizes, rankdir
        self.compact = max(sizes) > 8
        if self.compact:   # 12-pt text everywhere: 14 px or more on a 1600 x 900 slide
            self.column, self.row, self.font, self.label_pt, self.title_pt = 3.4, 0.55, 12, 12, 12
            self.node = (max(0.95, 0.58 * 12 / 72 * widest + 0.2), 0.42)  # fits its text
            if rankdir == "TB":   # units side by side: a unit's width apart
                self.column, self.row = 2.4, self.node[0] + 0.1
        else:              # the text's figure: round neurons, small edge labels
            self.column, self.row, self.font, self.label_pt, self.title_pt = 3.2, 1.2, 9, 8, 11
            self.node = (0.8, 0.8)

    def pos(self, l: int, k: int) -> tuple[float, float]:
        """Centre of unit k (from 1) of layer l (0 for the inputs); unit 1 on top / left."""
        across, down = l * self.column, ((self.sizes[l] - 1) / 2 - (k - 1)) * self.row
        return (across, down) if self.rankdir == "LR" else (-down, -across)

    def title(self, l: int) -> tuple[float, float]:
        """Where the title of column l goes: above it (LR) or left of it (TB)."""
        x, y = self.pos(l, 1)
        if self.rankdir == "LR":
            return x, (max(self.sizes) - 1) / 2 * self.row + self.node[1] / 2 + 0.3
        return x - self.node[0] / 2 - 0.9, y

    def units(self) -> list[tuple[float, float, float, float]]:
        """The box each unit takes, for keeping labels off them."""
        w, h = self.node
        return [(x - w / 2, y - h / 2, x + w / 2, y + h / 2)
                for l, size in enumerate(self.sizes) for x, y in
                (self.pos(l, k) for k in range(1, size + 1))]

    def label_size(self, text: str) -> tuple[float, float]:
        """(width, height) in inches of an edge label, with Helvetica's average digit width."""
        return 0.58 * self.label_pt / 72 * len(text) + 0.05, 1.45 * self.label_pt / 72


def _place(layout: _Layout, edges: list, placed: list) -> list:
    """A spot along each edge (its centre) where its label overlaps no other label and no
    unit, or None for an edge whose label has no such spot.

    ``edges`` holds ((x0, y0), (x1, y1), text); ``placed`` the boxes already taken (extended).
    """
    spots, units = [], layout.units()
    for (x0, y0), (x1, y1), text in edges:
        w, h = layout.label_size(text)
        spot = None
        for t in _ALONG:
            cx, cy = x0 + t * (x1 - x0), y0 + t * (y1 - y0)
            box = (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)
            if not any(_overlap(box, other) for other in placed + units):
                placed.append(box)
                spot = (cx, cy)
                break
        spots.append(spot)
    return spots


def _overlap(a: tuple, b: tuple) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _layers(model) -> list[list]:
    """The model's layers as lists of neurons, checked: each neuron reads every unit before it."""
    layers = getattr(model, "layers", None)
    if layers is None:
        raise TypeError(f"draw_mlp: expected an MLP with .layers, got {type(model).__name__}")
    out, nin = [], None
    for l, layer in enumerate(layers, start=1):
        neurons = list(getattr(layer, "neurons", ()))
        if not neurons:
            raise ValueError(f"draw_mlp: layer {l} has no neurons")
        for k, n in enumerate(neurons, start=1):
            if not hasattr(n, "w") or not hasattr(n, "b"):
                raise TypeError(f"draw_mlp: neuron {k} of layer {l} has no .w and .b")
            if nin is not None and len(n.w) != nin:
                raise ValueError(f"draw_mlp: neuron {k} of layer {l} has {len(n.w)} weights "
                                 f"but layer {l - 1} has {nin} outputs")
        nin = len(neurons[0].w) if nin is None else nin
        out.append(neurons)
        nin = len(neurons)
    if not out:
        raise ValueError("draw_mlp: the model has no layers")
    return out


def _check(show, labels, rankdir) -> None:
    if show not in _SHOW:
        raise ValueError(f"draw_mlp: show must be 'weights' or 'grads', got {show!r}")
    if rankdir not in ("LR", "TB"):
        raise ValueError(f"draw_mlp: rankdir must be 'LR' or 'TB', got {rankdir!r}")
    if labels not in (True, False, "auto") and (
            isinstance(labels, bool) or not isinstance(labels, int) or labels < 0):
        raise ValueError(f"draw_mlp: labels must be True, False, 'auto' or a number of "
                         f"strongest weights per layer (an int >= 0), got {labels!r}")


def draw_mlp(model, show: str = "weights", labels: bool | str | int = "auto", digits: int = 3,
             rankdir: str = "LR") -> graphviz.Digraph:
    """The network as columns of neurons, one edge per weight ``W[l]_jk`` (node j -> neuron k).

    Edge colour and line are the sign (blue solid > 0, red dashed < 0, grey dotted 0, so the
    sign survives grayscale printing), width the magnitude relative to the largest (in a
    network wider than 8 units, opacity too, so the strong weights stand out of 256). Each
    neuron shows its label ``a[l]_k`` and bias (or ∂L/∂b), and its activation (in the
    column's title when the network is wide). Positions are pinned (neato), so x_1 and a[l]_1
    come first; each weight label sits on its own edge, moved along it until it overlaps no
    other label and no neuron.

    Args:
        model: an ``nn.MLP`` (anything with ``.layers``, ``layer.neurons``, ``neuron.w``,
            ``neuron.b``).
        show: 'weights' (their values) or 'grads' (∂L/∂W, after ``backward()``).
        labels: 'auto' (default) labels every edge of a layer when every label fits, and
            otherwise its 3 strongest weights (largest |value|) that fit; an int n labels the
            n strongest of each layer; True every edge, overlapping or not; False none. The
            caption says which layers show only their strongest.
        digits: significant digits of the numbers shown.
        rankdir: 'LR' (inputs on the left, default) or 'TB' (inputs on top).

    Returns:
        The Digraph (shows inline in Jupyter; save it with ``render``).
    """
    _check(show, labels, rankdir)
    layers = _layers(model)
    pick = (lambda v: v.data) if show == "weights" else (lambda v: v.grad)
    what = "∂L/∂" if show == "grads" else ""
    widest = max(len(f"{what}b {fmt(pick(n.b), digits)}") for layer in layers for n in layer)
    layout = _Layout([len(layers[0][0].w)] + [len(layer) for layer in layers], rankdir, widest)
    biggest = max((abs(pick(w)) for layer in layers for n in layer for w in n.w), default=0.0)
    g = InlineDigraph("network")
    g.attr(layout="neato", splines="line", outputorder="edgesfirst", fontname="Helvetica",
           fontsize=str(layout.title_pt), labelloc="b")
    g.attr("node", fontname="Helvetica", fontsize=str(layout.font), fixedsize="true",
           style="filled")
    _columns(g, layers, layout, pick, what, digits)
    strongest = []
    placed: list = []
    for l, layer in enumerate(layers, start=1):
        edges = _weights(layer, l, layout, pick, what, digits)
        chosen = _labels(g, l, edges, layout, labels, placed)
        if labels is not False and len(chosen) < len(edges):
            strongest.append(str(l))
        named = {id(edge) for _, edge in chosen}   # drawn last: on top, where labels point
        for edge in sorted(edges, key=lambda e: id(e) in named):
            g.edge(*edge[4], id=edge[5], **_edge_style(edge[3], biggest, layout.compact,
                                           id(edge) in named))
    g.attr(label=graphviz.nohtml(_caption(what, biggest, digits, strongest, labels,
                                          layout.compact)))
    return g


def _caption(what: str, biggest: float, digits: int, strongest: list[str], labels,
             compact: bool) -> str:
    text = tr("edges: {what}: blue solid > 0, red dashed < 0, {size} ∝ |value|, largest "
              "{largest}", what=tr("∂L/∂W (gradients)") if what else tr("weights"),
              size=tr("width and opacity") if compact else tr("width"),
              largest=fmt(biggest, digits))
    if strongest:
        many = _STRONGEST if labels == "auto" else labels
        which = strongest[0] if len(strongest) == 1 else \
            tr("{first} and {last}", first=listed(strongest[:-1]), last=strongest[-1])
        return lines(text, trn("labelled on layer {layers}: the {many} strongest (largest "
                               "|value|) that fit; labels=True labels every edge",
                               "labelled on layers {layers}: the {many} strongest (largest "
                               "|value|) that fit; labels=True labels every edge",
                               len(strongest), layers=which, many=many))
    return esc(text)


def _weights(layer: list, l: int, layout: _Layout, pick, what: str, digits: int) -> list:
    """(tail, head, label text, value, (tail node, head node), Graphviz id) of each weight of
    layer l."""
    wide = max(layout.sizes) > 9
    edges = []
    for k, n in enumerate(layer, start=1):
        for j, w in enumerate(n.w, start=1):
            value = pick(w)
            name = w.label or label_format.weight(l, j, k, wide)
            edges.append((layout.pos(l - 1, j), layout.pos(l, k),
                          f"{what}{name} = {fmt(value, digits)}", value,
                          (f"L{l - 1}_{j}", f"L{l}_{k}"), f"W{l}_{j}_{k}"))
    return edges


def _labels(g, l: int, edges: list, layout: _Layout, labels, placed: list) -> list:
    """Label layer l's edges as ``labels`` says; returns (spot, edge) of those labelled."""
    if labels is False:
        return []
    texts = [e[:3] for e in edges]
    if labels is True:
        spots = [s or (a[0] + 0.6 * (b[0] - a[0]), a[1] + 0.6 * (b[1] - a[1]))
                 for s, (a, b, _) in zip(_place(layout, texts, placed), texts)]
        chosen = list(zip(spots, edges))
    elif labels == "auto":
        trial = list(placed)
        spots = _place(layout, texts, trial)
        if all(spot is not None for spot in spots):
            placed[:] = trial
            chosen = list(zip(spots, edges))
        else:
            chosen = _strongest(edges, layout, placed, _STRONGEST)
    else:
        chosen = _strongest(edges, layout, placed, labels)
    for i, (spot, (_, _, text, value, _, edge_id)) in enumerate(chosen):
        g.node(f"W{l}_{i}", graphviz.nohtml(esc(text)), id=f"{edge_id}_label", pos=_pin(spot),
               shape="plaintext",
               fixedsize="false", fontsize=str(layout.label_pt), fontcolor=_colour(value),
               style="filled", fillcolor="#ffffffd9", color="#ffffff00", margin="0.01",
               width="0", height="0")
    return chosen


def _strongest(edges: list, layout: _Layout, placed: list, n: int) -> list:
    """(spot, edge) for the n edges of largest |value| whose labels find a free spot."""
    chosen = []
    for edge in sorted(edges, key=lambda e: -abs(e[3])):
        if len(chosen) == n:
            break
        (spot,) = _place(layout, [edge[:3]], placed)
        if spot is not None:
            chosen.append((spot, edge))
    return chosen


def _pin(xy: tuple[float, float]) -> str:
    return f"{xy[0]:.3f},{xy[1]:.3f}!"


def _colour(value: float) -> str:
    return _POSITIVE if value > 0 else _NEGATIVE if value < 0 else _ZERO


def _edge_style(value: float, biggest: float, compact: bool = False,
                named: bool = False) -> dict[str, str]:
    """Colour and line for the sign (solid, dashed, dotted), width for the magnitude; among
    many edges (``compact``) thinner, see-through by magnitude and without arrowheads, except
    those whose label is drawn (``named``)."""
    share = abs(value) / biggest if biggest else 0.0
    style = "solid" if value > 0 else "dashed" if value < 0 else "dotted"
    if not compact:
        return {"color": _colour(value), "penwidth": f"{0.4 + 3.6 * share:.2f}", "style": style}
    if named:
        return {"color": _colour(value), "penwidth": f"{1.2 + 2.0 * share:.2f}", "style": style,
                "arrowsize": "0.6"}
    return {"color": f"{_colour(value)}{round(255 * (0.15 + 0.55 * share)):02x}",
            "penwidth": f"{0.3 + 1.7 * share:.2f}", "style": style, "arrowhead": "none"}


def _columns(g, layers: list, layout: _Layout, pick, what: str, digits: int) -> None:
    """The units (x_j, then a[l]_k with activation and bias) and a title above each column."""
    for l in range(len(layout.sizes)):
        name = tr("input layer {l}", l=l) if l == 0 else \
            tr("output layer {l}", l=l) if l == len(layers) else tr("hidden layer {l}", l=l)
        act = getattr(layers[l - 1][0], "activation", None) if l else None
        if layout.compact and isinstance(act, str):
            name = tr("{layer}: {activation}", layer=name, activation=act)
        g.node(f"title{l}", graphviz.nohtml(esc(name)), pos=_pin(layout.title(l)),
               shape="plaintext",
               fixedsize="false", style="", fontsize=str(layout.title_pt))
    shape = {"shape": "box", "style": "filled,rounded"} if layout.compact else \
        {"shape": "circle"}
    size = {"width": f"{layout.node[0]}", "height": f"{layout.node[1]}", **shape}
    for j in range(1, layout.sizes[0] + 1):
        g.node(f"L0_{j}", label_format.data_input(j), id=f"L0_{j}", pos=_pin(layout.pos(0, j)),
               fillcolor="#e5f5e0", **size)
    for l, layer in enumerate(layers, start=1):
        for k, n in enumerate(layer, start=1):
            act = getattr(n, "activation", None)
            text = [label_format.activation(l, k)] + (
                [act] if isinstance(act, str) and not layout.compact else [])
            bias = fmt(pick(n.b), digits)
            if layout.compact:
                text += [f"{what}b {bias}"]
            else:
                text += ["∂L/∂b", bias] if what else [f"b {bias}"]
            g.node(f"L{l}_{k}", graphviz.nohtml(lines(*text)), id=f"L{l}_{k}",
                   pos=_pin(layout.pos(l, k)),
                   fillcolor="#f0f0f0", **size)
