"""draw_mlp: a network as the seed's figures draw it, neurons in columns, one edge per weight."""

from __future__ import annotations

import graphviz

from autograd.extend import labels as label_format
from visualize.render import InlineDigraph
from visualize.style import esc, fmt, lines

__all__ = ["draw_mlp"]

_POSITIVE, _NEGATIVE, _ZERO = "#2166ac", "#b2182b", "#bbbbbb"
_SHOW = ("weights", "grads")
_LABELS = (True, False, "auto")
_COLUMN, _ROW = 3.2, 1.2  # inches between layers, between neurons
_RADIUS = 0.4             # of a neuron, inches
_LABEL_PT = 8             # font size of the weight labels
# where along its edge (0 tail, 1 head) a label may sit: middle first, then outwards
_ALONG = tuple(sorted((0.15 + 0.025 * i for i in range(29)), key=lambda t: (abs(t - 0.55), t)))


def _label_size(text: str) -> tuple[float, float]:
    """(width, height) in inches of a label, with Helvetica's average digit width."""
    return 0.58 * _LABEL_PT / 72 * len(text) + 0.05, 1.45 * _LABEL_PT / 72


def _place(edges: list, placed: list, neurons: list) -> list | None:
    """A spot along each edge (its centre) where its label overlaps no other label and no
    neuron; None when some label has no such spot (the layer is too dense to label).

    ``edges`` holds ((x0, y0), (x1, y1), text); ``placed`` the boxes already taken.
    """
    spots, taken = [], list(placed)
    for (x0, y0), (x1, y1), text in edges:
        w, h = _label_size(text)
        for t in _ALONG:
            cx, cy = x0 + t * (x1 - x0), y0 + t * (y1 - y0)
            box = (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)
            if not any(_overlap(box, other) for other in taken) and not any(
                    _overlap(box, (nx - _RADIUS, ny - _RADIUS, nx + _RADIUS, ny + _RADIUS))
                    for nx, ny in neurons):
                taken.append(box)
                spots.append((cx, cy))
                break
        else:
            return None
    placed[:] = taken
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


def draw_mlp(model, show: str = "weights", labels: bool | str = "auto", digits: int = 3,
             rankdir: str = "LR") -> graphviz.Digraph:
    """The network as columns of neurons, one edge per weight ``W[l]_jk`` (node j -> neuron k).

    Edge colour and line are the sign (blue solid > 0, red dashed < 0, grey dotted 0, so the
    sign survives grayscale printing), width the magnitude relative to the largest. Each neuron
    shows its label ``a[l]_k``, activation and bias (or ∂L/∂b). Positions are pinned (neato),
    so x_1 and a[l]_1 come first; each weight label sits on its own edge, moved along it until
    it overlaps no other label.

    Args:
        model: an ``nn.MLP`` (anything with ``.layers``, ``layer.neurons``, ``neuron.w``,
            ``neuron.b``).
        show: 'weights' (their values) or 'grads' (∂L/∂W, after ``backward()``).
        labels: 'auto' (default) labels a layer's edges when every label fits without overlap
            and says in the caption which layers are too dense; True labels every edge
            anyway; False none.
        digits: significant digits of the numbers shown.
        rankdir: 'LR' (inputs on the left, default) or 'TB' (inputs on top).

    Returns:
        The Digraph (shows inline in Jupyter; save it with ``render``).
    """
    if show not in _SHOW:
        raise ValueError(f"draw_mlp: show must be 'weights' or 'grads', got {show!r}")
    if rankdir not in ("LR", "TB"):
        raise ValueError(f"draw_mlp: rankdir must be 'LR' or 'TB', got {rankdir!r}")
    if labels not in _LABELS:
        raise ValueError(f"draw_mlp: labels must be True, False or 'auto', got {labels!r}")
    layers = _layers(model)
    nin = len(layers[0][0].w)
    pick = (lambda v: v.data) if show == "weights" else (lambda v: v.grad)
    what = "∂L/∂" if show == "grads" else ""
    biggest = max((abs(pick(w)) for layer in layers for n in layer for w in n.w), default=0.0)
    sizes = [nin] + [len(layer) for layer in layers]

    def pos(l: int, k: int) -> tuple[float, float]:
        across, down = l * _COLUMN, ((sizes[l] - 1) / 2 - (k - 1)) * _ROW
        return (across, down) if rankdir == "LR" else (-down, -across)

    g = InlineDigraph("network")
    g.attr(layout="neato", splines="line", outputorder="edgesfirst", fontname="Helvetica",
           fontsize="11", labelloc="b")
    g.attr("node", fontname="Helvetica", fontsize="9", shape="circle", fixedsize="true",
           width=f"{2 * _RADIUS}", style="filled")
    _neurons(g, layers, sizes, pos, pick, what, digits, rankdir)
    neurons = [pos(l, k) for l, size in enumerate(sizes) for k in range(1, size + 1)]
    placed: list = []
    dense = []
    for l, layer in enumerate(layers, start=1):
        edges = []
        for k, n in enumerate(layer, start=1):
            for j, w in enumerate(n.w, start=1):
                value = pick(w)
                edges.append((pos(l - 1, j), pos(l, k),
                              f"{what}{w.label or label_format.weight(l, j, k)} = "
                              f"{fmt(value, digits)}",
                              value))
                g.edge(f"L{l - 1}_{j}", f"L{l}_{k}", **_edge_style(value, biggest))
        spots = None
        if labels:
            spots = _place([e[:3] for e in edges], placed, neurons)
            if spots is None and labels is True:
                spots = [(a[0] + 0.6 * (b[0] - a[0]), a[1] + 0.6 * (b[1] - a[1]))
                         for a, b, _, _ in edges]
            if spots is None:
                dense.append(f"layer {l} ({len(edges)} weights)")
        for i, (spot, (_, _, text, value)) in enumerate(zip(spots or (), edges)):
            g.node(f"W{l}_{i}", graphviz.nohtml(esc(text)), pos=_pin(spot), shape="plaintext",
                   fixedsize="false",
                   fontsize=str(_LABEL_PT), fontcolor=_colour(value), style="filled",
                   fillcolor="#ffffffd9", color="#ffffff00", margin="0.01", width="0",
                   height="0")
    caption = (f"edges: {'∂L/∂W (gradients)' if what else 'weights'}: blue solid > 0, "
               f"red dashed < 0, width ∝ |value|, largest {fmt(biggest, digits)}")
    if dense:
        caption += f"; no labels on {', '.join(dense)}: too dense, labels=True forces them"
    g.attr(label=graphviz.nohtml(esc(caption)))
    return g


def _pin(xy: tuple[float, float]) -> str:
    return f"{xy[0]:.3f},{xy[1]:.3f}!"


def _colour(value: float) -> str:
    return _POSITIVE if value > 0 else _NEGATIVE if value < 0 else _ZERO


def _edge_style(value: float, biggest: float) -> dict[str, str]:
    """Colour and line for the sign (solid, dashed, dotted), width for the magnitude."""
    width = 0.4 + 3.6 * abs(value) / biggest if biggest else 0.4
    style = "solid" if value > 0 else "dashed" if value < 0 else "dotted"
    return {"color": _colour(value), "penwidth": f"{width:.2f}", "style": style}


def _neurons(g, layers, sizes, pos, pick, what, digits, rankdir) -> None:
    """The neurons (x_j, then a[l]_k with activation and bias) and a title above each column."""
    tallest = max(sizes)
    names = ["input layer 0"]
    names += [f"hidden layer {l}" for l in range(1, len(layers))] + [f"output layer {len(layers)}"]
    for l, name in enumerate(names):
        x, y = pos(l, 1)
        head = (x, (tallest - 1) / 2 * _ROW + 0.7) if rankdir == "LR" else (x - 1.0, y)
        g.node(f"title{l}", name, pos=_pin(head), shape="plaintext", fixedsize="false",
               style="", fontsize="11")
    for j in range(1, sizes[0] + 1):
        g.node(f"L0_{j}", label_format.data_input(j), pos=_pin(pos(0, j)), fillcolor="#e5f5e0")
    for l, layer in enumerate(layers, start=1):
        for k, n in enumerate(layer, start=1):
            act = getattr(n, "activation", None)
            text = [f"a[{l}]_{k}"] + ([act] if isinstance(act, str) else [])
            bias = fmt(pick(n.b), digits)
            text += ["∂L/∂b", bias] if what else [f"b {bias}"]
            g.node(f"L{l}_{k}", graphviz.nohtml(lines(*text)), pos=_pin(pos(l, k)),
                   fillcolor="#f0f0f0")
