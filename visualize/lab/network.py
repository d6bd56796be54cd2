"""Network mode: one sample through an MLP (the reference text's 3-4-1, micrograd's 2-16-16-1,
or any up to that size), its loss L = ½(ŷ - y)², the network diagram and the loss graph.

Each request builds the model again from its sizes and seed and applies the weights the page
changed, so a link restores exactly the same network.
"""

from __future__ import annotations

import random

from autograd import Value
from nn import MLP, mse_loss
from visualize import draw_mlp
from visualize.lab import _internals as eng
from visualize.lab.graphview import VIEWS, GraphView, number
from visualize.lab.options import ACTIVATIONS, PRESETS
from visualize.lab.params import LabError, Params

__all__ = ["view", "build", "diagram", "weights", "PLATE_SAMPLES"]

PLATE_SAMPLES = 4   # the plate view's loss: the sample and 3 more


def _sizes(p: Params, limits: dict, default: list[int]) -> list[int]:
    sizes = p.int_list("sizes", 20, 1, 10 ** 6, default)
    hidden = sizes[1:-1]
    if len(sizes) < 2 or sizes[0] > limits["inputs"] or len(hidden) > limits["hidden_layers"] \
            or any(n > limits["layer_size"] for n in hidden):
        raise LabError("network_too_big", limit=limits["layer_size"],
                       layers=limits["hidden_layers"], inputs=limits["inputs"])
    if sizes[-1] != 1:
        raise LabError("network_output")
    return sizes


def build(p: Params, limits: dict, samples: int = 1):
    """The model, its labelled inputs, ŷ and L for the request's network and sample; with
    ``samples`` > 1, L is the mean over the sample and samples - 1 more drawn at random (the
    plate view draws what repeats per sample, so it needs several)."""
    preset = p.choice("preset", (*PRESETS, "custom"), "seed")
    base = PRESETS.get(preset, PRESETS["seed"])
    sizes = _sizes(p, limits, base["sizes"])
    activation = p.choice("activation", ACTIVATIONS, base["activation"])
    output_activation = p.choice("output_activation", ACTIVATIONS, base["output_activation"])
    seed = p.integer("seed", base["seed"], 0, 10 ** 9)
    default_x = base["x"] if len(base["x"]) == sizes[0] else [0.5] * sizes[0]
    x = p.number_list("x", sizes[0], default_x)
    x = (x + default_x)[:sizes[0]]
    y = p.number("y", base["y"], -1e6, 1e6)
    model = MLP(sizes[0], sizes[1:], activation=activation, output_activation=output_activation,
                seed=seed)
    by_label = {w.label: w for w in model.parameters()}
    for label, value in p.numbers("weights", limit=len(by_label)).items():
        if label not in by_label:
            raise LabError("unknown_node", node=label[:40])
        by_label[label].data = value
    rng = random.Random(seed)
    rows = [x] + [[rng.uniform(-1.0, 1.0) for _ in x] for _ in range(samples - 1)]
    inputs = [[Value(v, label=eng.data_input(j, s if samples > 1 else None))
               for j, v in enumerate(row, start=1)] for s, row in enumerate(rows, start=1)]
    y_hats = [model(row) for row in inputs]
    loss = mse_loss(y_hats, [y] * samples, half=True)
    loss.label = "L"
    loss.backward()
    setup = {"preset": preset, "sizes": sizes, "activation": activation,
             "output_activation": output_activation, "seed": seed, "x": x, "y": y,
             "samples": samples}
    return model, [v for row in inputs for v in row], y_hats[0], loss, setup


def view(p: Params, limits: dict):
    """(model, GraphView of L, the page's response)."""
    graph_view = p.choice("view", VIEWS, "neuron")   # readable at any size; click to expand
    model, inputs, y_hat, loss, setup = build(p, limits, PLATE_SAMPLES if graph_view == "plate"
                                              else 1)
    expanded = p.strings("expanded", limit=64, length=20)
    if any((eng.parse_label(label) or ("",))[0] not in ("a", "z") for label in expanded):
        raise LabError("bad_param", name="expanded", expected="neuron labels such as a[1]_2")
    graph = GraphView(loss, view=graph_view, expanded=expanded, compact=True, inputs=inputs)
    show = p.choice("show", ("weights", "grads"), "weights")
    return model, graph, {
        **setup,
        "title": "-".join(map(str, setup["sizes"])) + " network",
        "y_hat": number(y_hat.data), "loss": number(loss.data),
        "graph": graph.to_json(),
        "diagram": diagram(model, show),
        "weights": weights(model),
        "check_targets": graph.check_targets(),
    }


def diagram(model, show: str = "weights", rankdir: str = "LR") -> dict:
    """draw_mlp's DOT, and what each clickable element stands for: a weight edge (or its label)
    W{l}_{j}_{k} is the weight W[l]_jk, a neuron L{l}_{k} its bias b[l]_k."""
    nodes = {}
    for l, layer in enumerate(model.layers, start=1):
        for k, neuron in enumerate(layer.neurons, start=1):
            nodes[f"L{l}_{k}"] = {"click": "weight", "label": neuron.b.label}
            for j, w in enumerate(neuron.w, start=1):
                nodes[f"W{l}_{j}_{k}"] = nodes[f"W{l}_{j}_{k}_label"] = {"click": "weight",
                                                                         "label": w.label}
    return {"dot": draw_mlp(model, show=show, rankdir=rankdir).source, "engine": "neato",
            "nodes": nodes}


def weights(model) -> dict:
    """Every parameter by label: value and ∂L/∂parameter."""
    return {w.label: {"value": number(w.data), "grad": number(w.grad)}
            for w in model.parameters()}
