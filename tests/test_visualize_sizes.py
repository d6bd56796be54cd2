"""Pictures at the sizes people teach with, laid out by the WebAssembly Graphviz and measured.

The seed's 3-4-1 loss graph fit to a 1400-px-wide page, micrograd's MLP(2, [16, 16, 1]) on one
sample and its demo loss on 100 samples (plate view): text size, order, overlaps, contents.
"""

import re

import pytest

from autograd import Value
from demos.slides import VIEWS, micrograd_loss, seed_loss, tanh_neuron
from nn import MLP, make_moons
from visualize import draw_dot, to_svg
from visualize.graph import SlideSizeWarning
from visualize.svg_metrics import (
    overlapping_texts,
    slide_text_px,
    smallest_text_px,
    svg_size,
    texts,
)

pytestmark = pytest.mark.usefixtures("no_system_dot")  # lay out with the WebAssembly Graphviz


def top_to_bottom(svg, prefix):
    """Titles of the boxes whose first line starts with prefix, from the top of the page."""
    found = []
    for body in re.findall(r'<title>n\d+</title>(.*?)</g>', svg, re.S):
        m = re.search(r'<text[^>]* y="([-\d.]+)"[^>]*>([^<]*)</text>', body)
        if m and m.group(2).startswith(prefix):
            found.append((float(m.group(1)), m.group(2)))
    return [text for _, text in sorted(found)]


@pytest.mark.webassembly   # drawn without system dot
def test_seed_graph_fit_to_1400_px_is_legible_in_index_order_without_overlaps():
    svg = to_svg(draw_dot(seed_loss()))
    assert overlapping_texts(svg) == []
    assert top_to_bottom(svg, "x_") == ["x_1", "x_2", "x_3"]
    for family in ("z[1]_", "a[1]_", "W[2]_"):
        names = top_to_bottom(svg, family)
        assert names == sorted(names) and len(names) == 4, names
    weights = [t for t in top_to_bottom(svg, "W[1]_") + top_to_bottom(svg, "b[1]_")]
    order = sorted(weights, key=lambda t: (int(t[-1]), t[0] == "b", t))
    assert [t for t in top_to_bottom(svg, "") if t in weights] == order   # neuron by neuron
    first_column = [t for t in top_to_bottom(svg, "") if t.startswith(("x_", "W[1]", "b[1]"))]
    assert first_column == ["x_1", "x_2", "x_3", *order]      # the inputs above, not among


@pytest.mark.webassembly   # drawn without system dot
def test_micrograd_mlp_on_one_sample_collapsed_by_neuron():
    loss, _ = micrograd_loss(1)
    with pytest.raises(ValueError, match="collapse='neuron'") as err:
        draw_dot(loss)
    assert "plate" not in str(err.value)        # one sample: nothing repeats
    g = draw_dot(loss, collapse="neuron")
    assert "0.0001 · Σ p²\\np: 337 parameters" in g.source      # the L2 term is one record
    assert len(re.findall(r"-> bus0\b", g.source)) == 16         # 16 -> bus -> 16, not 256
    assert len(re.findall(r"bus0 -> ", g.source)) == 16
    svg = to_svg(g)
    width, height = svg_size(svg)
    assert width < 2200 and height < 1600
    assert top_to_bottom(svg, "a[2]_") == [f"a[2]_{k}" for k in range(1, 17)]
    assert overlapping_texts(svg) == []


@pytest.mark.webassembly   # drawn without system dot
def test_micrograd_demo_loss_on_100_samples_fits_a_slide_as_a_plate():
    loss, scores = micrograd_loss(100)
    g = draw_dot(loss, collapse="plate")
    src = g.source
    titles = [lab.split("\\n")[0] for lab in re.findall(r'\[label="([^"]*)"', src)]
    k = int(re.search(r"× 100 samples \(numbers: sample (\d+), X\[(\d+)\]\)", src).group(1))
    assert scores[k].grad != 0.0                  # a sample where gradient flows, X[k]
    assert f'"x[{k}]_1\\ndata' in src and f'"x[{k}]_2\\ndata' in src   # its inputs
    assert "Σ over 100 samples" in titles and "0.0001 · Σ p²" in titles
    assert "0.0001 · Σ p²\\np: 337 parameters" in src
    assert {"W[1], b[1]", "W[2], b[2]", "W[3], b[3]"} <= set(titles)
    assert {"layer 1: 16 × ReLU", "layer 2: 16 × ReLU", "layer 3: 1 × linear"} <= set(titles)
    assert f"z[3]_1: data {scores[k].data:.4g}" in src                 # that sample's numbers
    assert f"grad {scores[k].grad:.4g}" in src
    assert len(re.findall(r'^\s*n\d+ \[', src, re.M)) < 30
    svg = to_svg(g)
    assert smallest_text_px(svg, 1400, 788) >= 9.0          # on a 16:9 slide 1400 px wide
    assert overlapping_texts(svg) == []


def test_plate_refusals_name_the_reason():
    x = Value(1.0, label="x")
    y = (x * 2).tanh()
    y.backward()
    with pytest.raises(ValueError, match="must know the parameters"):
        draw_dot(y, collapse="plate")
    w = Value(0.5, label="W[1]_11")
    z = (w * x).tanh()
    with pytest.raises(ValueError, match="no computation is repeated per sample"):
        draw_dot(z, collapse="plate")


@pytest.mark.webassembly   # drawn without system dot
def test_hostile_labels_are_inert_in_the_svg():
    import xml.etree.ElementTree as ET
    bad = 'a<!--</script>"{b}|c\\d\\N\'&lt;'
    x = Value(1.5, label=bad)
    y = Value(9.0, (x, x), bad, "", (2.0, 3.0))
    y.label = bad + "y"
    y.backward()
    svg = to_svg(draw_dot(y))
    ET.fromstring(svg[svg.index("<svg"):])      # well-formed: nothing escaped the text
    shown = [t.text for t in texts(svg)]
    assert shown.count(bad) == 2 and bad + "y" in shown
    own_comments = re.sub(r"<!-- [\w;&#]+ -->", "", svg[svg.index("<svg"):])  # Graphviz's
    assert "<!--" not in own_comments and "</script>" not in svg


@pytest.mark.webassembly   # drawn without system dot
@pytest.mark.parametrize("view", sorted(VIEWS))
def test_slide_views_text_size_fitted_into_1600_by_900(view):
    """Each documented slide view (docs/pictures.md; demos/slides.py prints them): every
    text 14 px or more once fitted into a 1600 x 900 slide, and none overlapping."""
    _, make = VIEWS[view]
    svg = to_svg(make())
    assert slide_text_px(svg) >= 14
    assert overlapping_texts(svg) == []


def test_draw_dot_warns_where_the_default_drawing_is_too_small_for_a_slide():
    loss, _ = micrograd_loss(1)
    with pytest.warns(SlideSizeWarning, match="collapse='layer'"):
        draw_dot(loss, max_nodes=None)
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        draw_dot(seed_loss())          # about 8 px: no warning
        draw_dot(tanh_neuron())


def layer_view(inputs_as_values: bool):
    model = MLP(2, [16, 16, 1], seed=1337)
    x = [1.0, -0.5]
    score = model([Value(v) for v in x] if inputs_as_values else x)
    loss = (1 + -1.0 * score).relu()
    loss.backward()
    return model, draw_dot(loss, collapse="layer")


@pytest.mark.parametrize("inputs_as_values", [True, False])
def test_the_layer_view_connects_what_is_connected(inputs_as_values):
    """Layer boxes join at their titles (not row 8 to row 8), each layer's W and b feed it as
    one box, and the inputs are drawn whether they were Values or plain numbers."""
    model, g = layer_view(inputs_as_values)
    src = g.source
    node = {title: n for n, title in re.findall(r'^\s*(n\d+) \[label="([^"\\]*)', src, re.M)}
    layers = [node[f"layer {l}: {n} × {act}"] for l, n, act in
              ((1, 16, "ReLU"), (2, 16, "ReLU"), (3, 1, "linear"))]
    for a, b, rows in zip(layers, layers[1:], (16, 1)):   # into layer 3's one row: its middle
        edge = re.search(rf"^\s*{a} -> {b} \[(.*)\]$", src, re.M).group(1)
        assert "tailport=ne" in edge and ("headport=nw" in edge) == (rows > 1)
    for l, layer in enumerate(layers[:2], start=1):
        params = node[f"W[{l}], b[{l}]"]
        assert re.search(rf"^\s*{params} -> {layer} \[.*headport=nw", src, re.M)
    assert re.search(rf'^\s*{node["W[3], b[3]"]} -> {layers[2]}( \[id=\w+\])?\s*$', src, re.M)
    assert '"W[1], b[1]\\n48 parameters\\nmax |grad| ' in src
    inputs = [n for title, n in node.items() if title.startswith(("x_", "x (numbers)"))]
    for n in inputs:
        assert re.search(rf"^\s*{n} -> {layers[0]} ", src, re.M)
    if inputs_as_values:
        assert sorted(t for t in node if t.startswith("x_")) == ["x_1", "x_2"]
    else:
        assert '"x (numbers)\\nx_1 = 1\\nx_2 = -0.5"' in src   # no gradient: a constant
    assert "layer box: one row per neuron" in g.legend_source


def test_the_plate_draws_inputs_given_as_numbers():
    from demos.moons import loss_graph
    X, y = make_moons(n_samples=8, noise=0.1, seed=0)
    loss, _ = loss_graph(MLP(2, [16, 16, 1], seed=1337), X, 2 * y - 1)
    loss.backward()
    src = draw_dot(loss, collapse="plate").source
    k = int(re.search(r"numbers: sample (\d+)", src).group(1))
    assert (f'"X[{k}] (numbers)\\nx[{k}]_1 = {X[k][0]:.4g}\\nx[{k}]_2 = {X[k][1]:.4g}"'
            in src)


@pytest.mark.webassembly
def test_the_slides_table_reports_every_view_and_big_graph(capsys, tmp_path):
    from demos import slides
    slides.main(["--out", str(tmp_path)])
    out = capsys.readouterr().out
    for name, (view, _) in {**slides.VIEWS, **slides.OTHER_VIEWS}.items():
        row = next(line for line in out.splitlines() if line.startswith(name))
        assert view in row and re.search(r"\d+\.\d px +\d+\.\d\ds$", row), row
    for name in slides.BIG:
        row = next(line for line in out.splitlines() if line.startswith(name))
        boxes = int(row[len(name):].split()[0])
        assert 400 <= boxes <= 500, row                # the largest under max_nodes=500
    assert len(list(tmp_path.glob("*.svg"))) == len(slides.VIEWS) + len(slides.OTHER_VIEWS) \
        + len(slides.BIG)
