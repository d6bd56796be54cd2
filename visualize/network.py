"""draw_mlp: a network as the seed's figures draw it, neurons in columns, one edge per weight."""

from __future__ import annotations

import graphviz

from visualize.render import InlineDigraph

__all__ = ["draw_mlp"]

_POSITIVE, _NEGATIVE, _ZERO = "#2166ac", "#b2182b", "#bbbbbb"
_SHOW = ("weights", "grads")
_COLUMN, _ROW = 3.2, 1.2  # inches between layers, between neurons


def _weight_name(l: int, j: int, k: int) -> str:
    return f"W[{l}]_{j},{k}" if j > 9 or k > 9 else f"W[{l}]_{j}{k}"


def _label_at(nin: int, nout: int) -> float:
    """Where along its edges (0 tail, 1 head) to put the weight labels of one layer.

    The label of W_jk sits at height (1-t)·y_j + t·y_k; pick t in [0.55, 0.7] so that the
    closest two labels are as far apart as possible.
    """
    def gap(t: float) -> float:
        return min((abs((1 - t) * dj + t * dk) for dj in range(-nin + 1, nin)
                    for dk in range(-nout + 1, nout) if dj or dk), default=1.0)
    return max((0.55 + 0.01 * i for i in range(16)), key=gap)


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


def draw_mlp(model, show: str = "weights", labels: bool = True, digits: int = 3,
             rankdir: str = "LR") -> graphviz.Digraph:
    """The network as columns of neurons, one edge per weight ``W[l]_jk`` (node j -> neuron k).

    Edge colour is the sign (blue positive, red negative), width the magnitude relative to the
    largest. Each neuron shows its label ``a[l]_k``, activation and bias. Positions are fixed
    (neato with pinned nodes), so neurons keep their order: x_1 and a[l]_1 on top.

    Args:
        model: an ``nn.MLP`` (anything with ``.layers``, ``layer.neurons``, ``neuron.w``,
            ``neuron.b``).
        show: 'weights' (their values) or 'grads' (their gradients, after ``backward()``).
        labels: write ``W[l]_jk = value`` on each edge.
        digits: significant digits of the numbers shown.
        rankdir: 'LR' (inputs on the left, default) or 'TB' (inputs on top).

    Returns:
        The Digraph (shows inline in Jupyter; save it with ``render``).
    """
    if show not in _SHOW:
        raise ValueError(f"draw_mlp: show must be 'weights' or 'grads', got {show!r}")
    if rankdir not in ("LR", "TB"):
        raise ValueError(f"draw_mlp: rankdir must be 'LR' or 'TB', got {rankdir!r}")
    layers = _layers(model)
    nin = len(layers[0][0].w)
    pick = (lambda v: v.data) if show == "weights" else (lambda v: v.grad)
    biggest = max((abs(pick(w)) for layer in layers for n in layer for w in n.w), default=0.0)

    g = InlineDigraph("network")
    g.attr(layout="neato", splines="line", outputorder="edgesfirst", fontname="Helvetica",
           fontsize="11", labelloc="b",
           label=f"edges: {show} (blue > 0, red < 0, width ∝ |value|, max |value| "
                 f"{biggest:.{digits}g})")
    g.attr("node", fontname="Helvetica", fontsize="9", shape="circle", fixedsize="true",
           width="0.8", style="filled")
    sizes = [nin] + [len(layer) for layer in layers]
    tallest = max(sizes)

    def pos(l: int, k: int) -> tuple[float, float]:
        across, down = l * _COLUMN, ((sizes[l] - 1) / 2 - (k - 1)) * _ROW
        return (across, down) if rankdir == "LR" else (-down, -across)

    def pin(xy: tuple[float, float]) -> str:
        return f"{xy[0]:.3f},{xy[1]:.3f}!"

    names = ["input layer 0"]
    names += [f"hidden layer {l}" for l in range(1, len(layers))] + [f"output layer {len(layers)}"]
    for l, name in enumerate(names):
        top = pos(l, 1)
        head = (top[0], (tallest - 1) / 2 * _ROW + 0.7) if rankdir == "LR" else (top[0] - 1.0,
                                                                                   top[1])
        g.node(f"title{l}", name, pos=pin(head), shape="plaintext", fixedsize="false",
               style="", fontsize="11")
    for j in range(1, nin + 1):
        g.node(f"L0_{j}", f"x_{j}", pos=pin(pos(0, j)), fillcolor="#e5f5e0")
    for l, layer in enumerate(layers, start=1):
        for k, n in enumerate(layer, start=1):
            act = getattr(n, "activation", None)
            text = [f"a[{l}]_{k}"] + ([act] if isinstance(act, str) else [])
            text.append(f"b {pick(n.b):.{digits}g}")
            g.node(f"L{l}_{k}", "\\n".join(text), pos=pin(pos(l, k)), fillcolor="#f0f0f0")
    for l, layer in enumerate(layers, start=1):
        at_t = _label_at(sizes[l - 1], sizes[l])
        for k, n in enumerate(layer, start=1):
            for j, w in enumerate(n.w, start=1):
                value = pick(w)
                colour = _POSITIVE if value > 0 else _NEGATIVE if value < 0 else _ZERO
                width = 0.4 + 3.6 * abs(value) / biggest if biggest else 0.4
                g.edge(f"L{l - 1}_{j}", f"L{l}_{k}", color=colour, penwidth=f"{width:.2f}")
                if labels:
                    (x0, y0), (x1, y1) = pos(l - 1, j), pos(l, k)
                    at = (x0 + at_t * (x1 - x0), y0 + at_t * (y1 - y0))
                    name = w.label or _weight_name(l, j, k)
                    g.node(f"W{l}_{j}_{k}", f"{name} = {value:.{digits}g}", pos=pin(at),
                           shape="plaintext", fixedsize="false", fontsize="8", fontcolor=colour,
                           fillcolor="#ffffffb0", margin="0.01", width="0", height="0")
    return g
