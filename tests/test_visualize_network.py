"""draw_mlp: columns of neurons, one edge per weight, labels that never overlap, sign colours
and dashes, widths, gradients as ∂L/∂W."""

import re
from types import SimpleNamespace

import pytest

from nn import MLP
from visualize import draw_mlp, to_svg
from visualize.svg_metrics import overlapping_texts, slide_text_px


def seed_net():
    model = MLP(3, [4, 1], activation="sigmoid", output_activation="sigmoid", seed=0)
    loss = 0.5 * (model([1.0, 0.5, -1.0]) - 1.0) ** 2
    loss.backward()
    return model


def edges(src):
    return re.findall(r"^\s*(L\d+_\d+) -> (L\d+_\d+) \[(.*)\]$", src, re.M)


def test_one_edge_per_weight_from_node_j_to_neuron_k():
    model = seed_net()
    src = draw_mlp(model).source
    es = edges(src)
    assert len(es) == 3 * 4 + 4 * 1
    # W[1]_21 joins x_2 to neuron 1 of layer 1 (the seed's convention)
    w21 = model.layers[0].neurons[0].w[1]
    assert w21.label == "W[1]_21"
    assert ("L0_2", "L1_1") == es[1][:2]
    assert f'label="W[1]_21 = {w21.data:.3g}"' in src
    assert src.count("x_") == 3 and "a[2]_1" in src


def test_ids_name_each_weight_edge_its_label_and_each_neuron():
    src = draw_mlp(seed_net()).source
    assert re.search(r"L0_2 -> L1_1 \[.* id=W1_2_1 ", src)          # W[1]_21: x_2 -> neuron 1
    assert re.search(r'W1_1 \[label="W\[1\]_21 = .* id=W1_2_1_label ', src)
    assert "id=L0_3 " in src and "id=L2_1 " in src
    ids = re.findall(r"\bid=(\w+)", src)
    assert len(ids) == len(set(ids)) == 3 + 4 + 1 + 2 * (3 * 4 + 4)


def test_columns_and_layer_names():
    src = draw_mlp(seed_net()).source
    for name in ("input layer 0", "hidden layer 1", "output layer 2"):
        assert name in src
    xs = {node: float(x) for node, x in re.findall(r'^\s*(L\d_\d) \[.*pos="([-\d.]+),', src, re.M)}
    assert xs["L0_1"] == xs["L0_3"] < xs["L1_1"] == xs["L1_4"] < xs["L2_1"]
    ys = {node: float(y) for node, y in re.findall(r'^\s*(L\d_\d) \[.*pos="[-\d.]+,([-\d.]+)!',
                                                    src, re.M)}
    assert ys["L1_1"] > ys["L1_2"] > ys["L1_3"] > ys["L1_4"]   # neuron 1 on top


def test_colour_dash_by_sign_and_width_by_magnitude():
    model = seed_net()
    es = edges(draw_mlp(model, labels=False).source)
    weights = [w for layer in model.layers for n in layer.neurons for w in n.w]
    biggest = max(abs(w.data) for w in weights)
    for (_, _, attrs), w in zip(es, weights):
        colour = re.search(r'color="([^"]+)"', attrs).group(1)
        assert colour == ("#2166ac" if w.data > 0 else "#b2182b")
        assert re.search(r"style=(\w+)", attrs).group(1) == ("solid" if w.data > 0 else "dashed")
        width = float(re.search(r"penwidth=([\d.]+)", attrs).group(1))
        assert width == pytest.approx(0.4 + 3.6 * abs(w.data) / biggest, abs=0.01)
    assert any(w.data < 0 for w in weights) and any(w.data > 0 for w in weights)
    assert "W[1]_" not in draw_mlp(model, labels=False).source


def test_show_grads_labels_gradients_as_gradients():
    model = seed_net()
    w = model.layers[1].neurons[0].w[2]
    b = model.layers[0].neurons[1].b
    src = draw_mlp(model, show="grads").source
    assert f'label="∂L/∂W[2]_31 = {w.grad:.3g}"' in src
    assert f'label="W[2]_31 = {w.grad:.3g}"' not in src
    assert f"∂L/∂b\\n{b.grad:.3g}" in src
    assert "edges: ∂L/∂W (gradients)" in src


def test_weights_without_labels_get_contract_names():
    def neuron(nin):
        from autograd import Value
        return SimpleNamespace(w=[Value(0.5 * (i - 1)) for i in range(nin)], b=Value(0.1))
    model = SimpleNamespace(layers=[SimpleNamespace(neurons=[neuron(10) for _ in range(12)]),
                                    SimpleNamespace(neurons=[neuron(12)])])
    src = draw_mlp(model, labels=True).source
    assert 'label="W[1]_10,12 = 4' in src and 'label="W[2]_1,1 = -0.5"' in src   # one style
    assert "#bbbbbb" in src and "style=dotted" in src  # the zero weights: grey, dotted


@pytest.mark.webassembly   # drawn without system dot
@pytest.mark.parametrize("rankdir", ["LR", "TB"])
def test_micrograd_model_is_slide_ready_both_ways(no_system_dot, rankdir):
    """2-16-16-1: every text 14 px or more on a 1600 x 900 slide, none overlapping; the dense
    layer labels its 3 strongest weights (on edges drawn on top), not a pile of 256."""
    model = MLP(2, [16, 16, 1], seed=1337)
    g = draw_mlp(model, rankdir=rankdir)
    svg = to_svg(g)
    assert overlapping_texts(svg) == []
    assert slide_text_px(svg) >= 14
    layer2 = [w for n in model.layers[1].neurons for w in n.w]
    shown = re.findall(r">(W\[2\]_\d+,\d+) = ", svg)
    strongest = sorted(layer2, key=lambda w: -abs(w.data))
    assert len(shown) == 3 and set(shown) <= {w.label for w in strongest[:6]}
    assert "labelled on layers 1 and 2: the 3 strongest" in g.source
    last = [line for line in g.source.splitlines() if " -> L2_" in line][-3:]
    assert all("arrowsize" in line for line in last)       # the labelled edges, on top
    faint = [line for line in g.source.splitlines() if "arrowhead=none" in line]
    assert len(faint) == 2 * 16 + 256 + 16 - len(re.findall(r">W\[\d\]_", svg))
    assert all(re.search(r'color="#[0-9a-f]{8}"', line) for line in faint)   # see-through
    for k in range(1, 17):
        assert f"a[1]_{k}\\nb 0" in g.source             # each unit: its name and bias
    assert "hidden layer 1: relu" in g.source and "output layer 3: linear" in g.source


def test_labels_a_number_labels_that_many_strongest_weights_per_layer():
    model = MLP(2, [16, 16, 1], seed=0)
    src = draw_mlp(model, labels=5).source
    for l in (1, 2, 3):
        shown = re.findall(rf'label="(W\[{l}\]_\d+,\d+) = ', src)
        weights = [w for n in model.layers[l - 1].neurons for w in n.w]
        assert len(shown) == 5 and len(set(shown)) == 5
        ranked = [w.label for w in sorted(weights, key=lambda w: -abs(w.data))]
        assert ranked[0] in shown                 # the strongest always finds a spot
        assert max(ranked.index(name) for name in shown) < 10   # then the next that fit
    assert "the 5 strongest" in src and 'label="W[' not in draw_mlp(model, labels=0).source


@pytest.mark.webassembly   # drawn without system dot
def test_seed_network_labels_every_edge_without_overlap(no_system_dot):
    for kwargs in ({}, {"show": "grads"}, {"rankdir": "TB"}):
        svg = to_svg(draw_mlp(seed_net(), **kwargs))
        assert len(re.findall(r">(?:∂L/∂)?W\[\d\]_\d\d = ", svg)) == 16, kwargs
        assert overlapping_texts(svg) == [], kwargs


def test_labels_true_forces_them_and_false_drops_them():
    model = MLP(2, [16, 1], seed=0)
    assert draw_mlp(model, labels=True).source.count('label="W[1]_') == 32
    assert 'label="W[' not in draw_mlp(model, labels=False).source


def test_bad_models_and_options_are_refused():
    with pytest.raises(TypeError, match="draw_mlp"):
        draw_mlp(42)
    with pytest.raises(ValueError, match="show"):
        draw_mlp(seed_net(), show="bias")
    with pytest.raises(ValueError, match="rankdir"):
        draw_mlp(seed_net(), rankdir="RL")
    for labels in ("some", -1, 1.5):
        with pytest.raises(ValueError, match="labels"):
            draw_mlp(seed_net(), labels=labels)
    broken = seed_net()
    broken.layers[1].neurons[0].w.pop()
    with pytest.raises(ValueError, match="neuron 1 of layer 2 has 3 weights but layer 1 has 4"):
        draw_mlp(broken)


def test_deterministic_and_top_to_bottom():
    assert draw_mlp(seed_net()).source == draw_mlp(seed_net()).source
    src = draw_mlp(seed_net(), rankdir="TB").source
    ys = {node: float(y) for node, y in re.findall(r'^\s*(L\d_\d) \[.*pos="[-\d.]+,([-\d.]+)!',
                                                    src, re.M)}
    assert ys["L0_1"] > ys["L1_1"] > ys["L2_1"]


@pytest.mark.webassembly   # drawn without system dot
def test_hostile_labels_are_inert(no_system_dot):
    import xml.etree.ElementTree as ET

    from visualize.svg_metrics import texts
    model = MLP(2, [1], seed=0)
    bad = 'a<!--</script>"{b}|c\\d&lt;'
    model.layers[0].neurons[0].w[0].label = bad
    svg = to_svg(draw_mlp(model))
    ET.fromstring(svg[svg.index("<svg"):])
    assert f"{bad} = {model.layers[0].neurons[0].w[0].data:.3g}" in [t.text for t in texts(svg)]
