"""draw_dot: records, edges per argument, determinism, colours, kinds, names, legend, limits."""

import math
import re

import graphviz
import pytest

from autograd import Value, explain, linear
from autograd.extend import display_names
from visualize import draw_dot
from visualize.graph import (
    GRAD_COLOURS,
    MAX_LABELLED_INPUTS,
    GraphTooLargeError,
    SlideSizeWarning,
    node_kind,
    parse_label,
)
from visualize.style import KINDS


def neuron():
    x, w, b = Value(2.0, label="x"), Value(-3.0, label="w"), Value(6.8813735870195432, label="b")
    y = (x * w + b).tanh()
    y.label = "y"
    y.backward()
    return y


def labelled_mlp(inputs, sizes=(3, 2)):
    """A hand-built MLP whose labels follow the nn contract (W[l]_jk, b[l]_k, z[l]_k, a[l]_k)."""
    layers, nin = [], len(inputs)
    for l, nout in enumerate(sizes, start=1):
        layers.append([([Value(0.1 * (j + 1) * (-1) ** k, label=f"W[{l}]_{j + 1}{k + 1}")
                         for j in range(nin)], Value(0.05 * k, label=f"b[{l}]_{k + 1}"))
                       for k in range(nout)])
        nin = nout
    return layers


def forward(layers, xs, act="tanh"):
    for l, layer in enumerate(layers, start=1):
        outs = []
        for k, (w, b) in enumerate(layer, start=1):
            z = linear(w, xs, b)
            z.label = f"z[{l}]_{k}"
            a = getattr(z, act)()
            a.label = f"a[{l}]_{k}"
            outs.append(a)
        xs = outs
    return xs


def records(source):
    """(node id, its lines joined by ' | ') for every value box."""
    return [(n, (quoted or bare).replace("\\n", " | ")) for n, quoted, bare in
            re.findall(r'^\s*(n\d+) \[label=(?:"((?:[^"\\]|\\.)*)"|([^ "]+))', source, re.M)]


def text(g):
    """The DOT of the picture and of its legend, each box's lines joined by ' | '."""
    legend = g.legend.source if g.legend is not None else ""
    return (g.source + legend).replace("\\n", " | ")


def legend_text(g):
    return g.legend.source.replace("\\l", "\n")


def attr(source, node, name):
    line = re.search(rf'^\s*{node} \[.*$', source, re.M).group(0)
    return re.search(rf'{name}="?([^" \]]+)', line).group(1)


def test_one_record_per_value_and_one_op_node_per_op():
    src = draw_dot(neuron()).source
    labels = dict(records(src))
    assert labels["n0"] == "x | data 2 | grad -1.5"     # fields stacked: no braces in LR
    assert labels["n3"] == "b | data 6.881 | grad 0.5"
    assert labels["n5"] == "y | data 0.7071 | grad 1"
    assert len(labels) == 6
    assert re.findall(r'^\s*(n\d+op) \[label="?([^" ]+?)"? ', src, re.M) == [
        ("n2op", "*"), ("n4op", "+"), ("n5op", "tanh")]
    assert "rankdir=LR" in src


def test_unlabelled_values_show_the_names_explain_uses():
    y = neuron()
    labels = dict(records(draw_dot(y).source))
    names = display_names(y)
    mul, add = y._prev[0]._prev[0], y._prev[0]
    assert (names[mul], names[add]) == ("mul1", "add1")
    assert labels["n2"].startswith("mul1 | ") and labels["n4"].startswith("add1 | ")
    x = mul._prev[0]
    assert "∂y/∂add1 · ∂add1/∂mul1 · ∂mul1/∂x" in str(explain(y, x))


def test_edges_carry_local_derivatives_and_can_be_hidden():
    src = draw_dot(neuron()).source
    assert "n0 -> n2op [label=-3 id=n0_n2op_0]" in src   # ∂(x*w)/∂x = w
    assert "n1 -> n2op [label=2 id=n1_n2op_1]" in src    # ∂(x*w)/∂w = x
    assert "n4 -> n5op [label=0.5 id=n4_n5op_0]" in src  # 1 - tanh² = 0.5
    plain = draw_dot(neuron(), edge_labels=False).source
    assert "n0 -> n2op [id=n0_n2op_0]\n" in plain and "label=-3" not in plain


def test_a_plus_a_draws_two_edges():
    a = Value(3.0, label="a")
    b = a + a
    b.backward()
    src = draw_dot(b).source
    assert "n0 -> n1op [label=1 id=n0_n1op_0]" in src and "n0 -> n1op [label=1 id=n0_n1op_1]" in src


def test_every_box_op_and_edge_has_a_stable_id():
    y = neuron()
    g = draw_dot(y)
    ids = re.findall(r"\bid=(\w+)", g.source)
    assert len(ids) == len(set(ids))   # unique, so the SVG can be scripted
    assert {"n2", "n2op", "n2op_n2", "n0_n2op_0", "n5op_n5"} <= set(ids)
    assert g.node_values["n0"].label == "x" and g.node_values["n5"] is y
    assert set(g.node_values) == {f"n{i}" for i in range(6)}


def test_same_expression_gives_byte_identical_dot():
    assert draw_dot(neuron()).source == draw_dot(neuron()).source
    a = draw_dot(forward(labelled_mlp([1.0, 2.0]), [1.0, 2.0])[0]).source
    b = draw_dot(forward(labelled_mlp([1.0, 2.0]), [1.0, 2.0])[0]).source
    assert a == b


def test_returns_digraph_with_rankdir_and_format():
    g = draw_dot(neuron(), rankdir="TB")
    assert isinstance(g, graphviz.Digraph)
    assert "rankdir=TB" in g.source and g.format == "svg"
    assert 'label="x\\ndata 2\\ngrad -1.5"' in g.source   # lines stacked, in every direction
    g = draw_dot(neuron(), "png", "LR")                     # micrograd's notebook signature
    assert g.format == "png" and "rankdir=LR" in g.source


def test_digits_option_and_no_negative_zero():
    x = Value(1.0 / 3.0, label="x")
    src = text(draw_dot(x * 1, digits=2))
    assert "data 0.33" in src and "data 0.333" not in src
    z = Value(-2.0, label="z")
    y = z * 0.0
    y.backward()
    assert "data 0 " in text(draw_dot(y)) and "-0 " not in text(draw_dot(y))


def test_fill_colour_by_grad_per_decade():
    y = neuron()
    y._prev[0]._prev[1].grad = 0.01      # b: pretend, to reach a lower decade (0.01 / 1.5)
    g = draw_dot(y)
    src = g.source
    assert attr(src, "n0", "fillcolor") == GRAD_COLOURS[-1][1]   # |grad| 1.5 is the largest
    assert attr(src, "n3", "fillcolor") == GRAD_COLOURS[-3][1]   # 0.0067 in (0.001, 0.01]
    assert "the largest |grad| drawn, 1.5" in legend_text(g)
    bounds = [b for b, _, _ in GRAD_COLOURS]
    assert bounds == sorted(bounds) and len(set(c for _, c, _ in GRAD_COLOURS)) == len(bounds)


def test_legend_lists_only_what_the_picture_has_apart_from_the_graph():
    g = draw_dot(neuron())
    legend = legend_text(g)
    assert "legend" not in g.source          # laid out on its own, never among the nodes
    assert "input" in legend and "your value" in legend and "computed" in legend
    assert "numbers on edges: local derivative" in legend
    for absent in ("parameter", "constant", "dead ReLU", "not drawn", GRAD_COLOURS[1][2],
                   GRAD_COLOURS[2][2], GRAD_COLOURS[3][2]):
        assert absent not in legend
    assert f"fill |grad| {GRAD_COLOURS[-1][2]}" in legend
    assert draw_dot(neuron(), legend=False).legend is None
    x = Value(-1.0, label="x")
    y = (x * 2).relu() + x
    y.backward()
    assert "dead ReLU" in legend_text(draw_dot(y))


def test_no_backward_yet_shows_values_only_and_says_so():
    x = Value(1.0, label="x")
    g = draw_dot(x * 2)
    assert "values only: no backward pass has run" in legend_text(g)
    fills = re.findall(r'^\s*n\d+ \[label=.*fillcolor="([^"]+)"', g.source, re.M)
    assert len(fills) == 3 and set(fills) == {GRAD_COLOURS[0][1]}
    assert "grad" not in " ".join(label for _, label in records(g.source))


def test_vanishing_gradient_gets_the_palest_colour():
    x = Value(20.0, label="x")
    y = (x * 1.0).tanh()
    y.backward()
    src = draw_dot(y).source
    assert 0.0 < x.grad < 1e-15       # tanh saturates: 1 - tanh(20)² ≈ 4e-17
    assert attr(src, "n0", "fillcolor") == GRAD_COLOURS[1][1]
    assert attr(src, "n3", "fillcolor") == GRAD_COLOURS[-1][1]


def test_kinds_parameters_inputs_leaves_constants_computed():
    w = Value(0.5, label="W[1]_11")
    p = Value(0.1, label="theta")
    x = Value(2.0, label="x_1")
    u = Value(4.0)                     # unlabelled: a value the user made, never a constant
    p3 = p * 3.0
    y = w * x + p3 + u * u
    names = display_names(y)
    kinds = {v.label or "u": node_kind(v) for v in (w, p, x)}
    assert kinds == {"W[1]_11": "parameter", "theta": "leaf", "x_1": "input"}
    assert node_kind(p, params={id(p)}) == "parameter"
    assert node_kind(p, inputs={id(p)}) == "input"
    assert node_kind(y) == "intermediate"
    assert node_kind(Value(3.0)) == node_kind(u) == "leaf"
    assert node_kind(p3._prev[1]) == "constant"                    # the 3.0, lifted by *
    src = draw_dot(y, params=[p]).source
    colours = {label.split(" | ")[0]: attr(src, n, "color") for n, label in records(src)}
    assert colours["W[1]_11"] == colours["theta"] == KINDS["parameter"][0]
    assert colours["x_1"] == KINDS["input"][0]
    assert colours[names[u]] == KINDS["leaf"][0]
    assert colours["3"] == KINDS["constant"][0]          # a constant is drawn as its number
    with pytest.raises(TypeError, match="params must hold Values"):
        draw_dot(y, params=[1.0])


def test_user_named_w_and_b_are_leaves_not_inputs():
    src = draw_dot(neuron()).source
    assert attr(src, "n1", "penwidth") == attr(src, "n3", "penwidth") == "2.5"   # w, b: leaves
    assert "peripheries" not in re.search(r"^\s*n1 \[.*$", src, re.M).group(0)
    assert attr(src, "n0", "color") == KINDS["input"][0]                         # x
    src = draw_dot(neuron(), params=neuron()._prev[0]._prev[0]._prev[1:]).source
    assert "peripheries" not in src   # other Values: params= holds a different graph's w, b


def test_constants_get_no_fill_no_grad_and_never_set_the_scale():
    w = Value(3.0, label="w")
    loss = w * 2.0 + 1e-4 * (w * w)   # the constant 1e-4 gets grad w*w = 9 > every other
    loss.backward()
    src = draw_dot(loss).source
    const = {lab: n for n, lab in records(src) if "data" not in lab}
    assert sorted(const) == ["0.0001", "2"]       # each its number alone: no name, no grad
    assert attr(src, const["0.0001"], "fillcolor") == GRAD_COLOURS[0][1]
    assert "the largest |grad| drawn, 2.001" in legend_text(draw_dot(loss))   # not 9


def test_dead_relu_is_grey_and_dashed():
    x = Value(-1.0, label="x")
    y = (x * 2).relu() + x
    y.backward()
    src = draw_dot(y).source
    op = re.search(r"(n\d)op \[label=ReLU.*\]", src)
    assert "dashed" in op.group(0) and "#bbbbbb" in op.group(0)
    dead_edge = re.search(rf"n\d -> {op.group(1)}op \[(.*)\]", src).group(1)
    assert "style=dashed" in dead_edge
    live = (Value(1.0) * 2).relu()
    live.backward()
    assert "dashed" not in draw_dot(live, legend=False).source


def test_unknown_op_names_are_drawn_generically():
    x = Value(1.5, label="x")
    y = Value(9.0, (x, x), "my<op>|{x}", "", (2.0, 3.0))
    y.backward()
    src = draw_dot(y).source
    assert 'n1op [label="my<op>|{x}"' in src
    assert src.count("n0 -> n1op") == 2 and "label=3" in src


def test_label_special_characters_are_escaped():
    x = Value(1.0, label='a|b{c}<d>"e&f\\g\nh')
    src = draw_dot(x * 1).source
    assert r'label="a|b{c}<d>\"e&amp;f\\g h\ndata 1' in src


def test_edge_labels_auto_drops_them_into_a_node_with_many_inputs():
    xs = [Value(float(i), label=f"x_{i}") for i in range(1, MAX_LABELLED_INPUTS + 2)]
    ws = [Value(0.5, label=f"W[1]_{i},1") for i in range(1, len(xs) + 1)]
    z = linear(ws, xs)
    small = linear(ws[:2], xs[:2])
    y = z + small
    y.backward()
    src = draw_dot(y).source
    head_z = [n for n, lab in records(src) if lab.startswith("add1")]
    labelled = re.findall(r"-> (n\d+op) \[label=", src)
    assert labelled.count(f"n{len(xs) * 2}op") == 0          # z has 24 inputs: no labels
    assert len(labelled) == 4 + 2 and head_z                  # small's 4 inputs, y's 2
    assert "no edge numbers into nodes with" in legend_text(draw_dot(y))
    every = re.findall(r"-> n\d+op \[label=", draw_dot(y, edge_labels=True).source)
    assert len(every) == 2 * len(xs) + 4 + 2


def test_too_many_nodes_refused_with_the_count_and_the_options():
    x = Value(0.0, label="x")
    y = x
    for _ in range(600):
        y = y.tanh()
    with pytest.raises(ValueError) as err:
        draw_dot(y)
    msg = str(err.value)
    assert "601 values" in msg and "max_nodes=500" in msg
    assert "max_nodes=601" in msg and "max_depth=499" in msg
    assert "collapse" not in msg             # no nn labels, nothing repeated: no view helps
    with pytest.warns(SlideSizeWarning, match=r"\(601 boxes\).*the view that fits is max_depth"):
        assert len(records(draw_dot(y, max_nodes=None, legend=False).source)) == 601
    assert len(records(draw_dot(y, max_depth=499, legend=False).source)) == 500


def test_a_refusal_suggests_only_the_views_that_would_fit():
    """Issue 20, bug 17: a graph refused in one view is never told to use that view."""
    from nn import MLP
    model = MLP(2, [16, 16, 1], seed=0)
    loss = sum((model([0.1 * i, -0.2 * i]) - 1.0) ** 2 for i in range(3))
    loss.backward()
    with pytest.raises(GraphTooLargeError) as err:
        draw_dot(loss)
    msg = str(err.value)
    for view in ("neuron", "layer", "plate"):
        assert f"collapse='{view}'" in msg
    counts = {view: len(records(draw_dot(loss, collapse=view, max_nodes=None).source))
              for view in ("neuron", "layer", "plate")}
    assert counts["plate"] < counts["layer"] < counts["neuron"]
    with pytest.raises(GraphTooLargeError) as err:
        draw_dot(loss, collapse="layer", max_nodes=counts["layer"] - 1)
    msg = str(err.value)
    assert "collapse='layer'" in msg.split("Options:")[0]      # what was refused
    options = msg.split("Options:")[1]
    assert "collapse='plate'" in options and "'neuron'" not in options
    assert "collapse='layer'" not in options and f"max_nodes={counts['layer']}" in options
    with pytest.raises(GraphTooLargeError) as err:
        draw_dot(loss, collapse="neuron", max_nodes=counts["plate"] - 1)
    options = str(err.value).split("Options:")[1]
    assert "collapse=" not in options          # neither layer nor plate would fit either
    depth = int(re.search(r"max_depth=(\d+)", options).group(1))
    assert len(records(draw_dot(loss, collapse="neuron", max_depth=depth,
                                max_nodes=counts["plate"] - 1).source)) <= counts["plate"] - 1


def test_max_depth_keeps_only_values_near_the_root_without_recursion():
    y = Value(0.0, label="x")
    for _ in range(100_000):
        y = y.relu()
    g = draw_dot(y, max_depth=2)
    recs = records(g.source)
    assert len(recs) == 3
    assert re.search(r"n0 \[.*style=\"filled,dashed\"", g.source)
    assert "n0op" not in g.source and "parents not drawn (max_depth" in legend_text(g)
    with pytest.raises(ValueError, match="100001 values"):
        draw_dot(y)


def test_bad_arguments_are_refused_by_name():
    y = neuron()
    with pytest.raises(TypeError, match="draw_dot"):
        draw_dot(1.0)
    for kwargs, what in [({"rankdir": "XY"}, "rankdir"), ({"collapse": "all"}, "collapse"),
                         ({"max_depth": -1}, "max_depth"), ({"digits": 0}, "digits"),
                         ({"format": "pdf"}, "format"), ({"edge_labels": "some"}, "edge_labels")]:
        with pytest.raises(ValueError, match=what):
            draw_dot(y, **kwargs)


def test_subclasses_of_value_are_drawn():
    class Tracked(Value):
        pass
    t = Tracked(2.0, label="t")
    y = Tracked(4.0, (t, t), "*", "", (2.0, 2.0))
    y.backward()
    src = text(draw_dot(y))
    assert "t | data 2 | grad 4" in src and "mul1 | data 4 | grad 1" in src


def test_parse_label_follows_the_contract():
    assert parse_label("W[2]_13") == ("W", 2, 3)
    assert parse_label("W[2]_12,3") == ("W", 2, 3)
    assert parse_label("W[1]_3,12") == ("W", 1, 12)
    assert parse_label("b[1]_4") == ("b", 1, 4)
    assert parse_label("z[10]_11") == ("z", 10, 11)
    assert parse_label("a[1]_2") == ("a", 1, 2)
    assert parse_label("W[1]_123") is None and parse_label("x_1") is None


def loss_over_samples(samples):
    layers = labelled_mlp([0.0, 0.0], sizes=(3, 1))
    outs = [forward(layers, xs)[0] for xs in samples]
    loss = sum((o - 1.0) ** 2 for o in outs)
    loss.label = "L"
    loss.backward()
    return loss


def test_collapse_neuron_draws_one_record_per_neuron_call_in_layer_clusters():
    loss = loss_over_samples([[1.0, 2.0], [0.5, -1.0]])
    full = records(draw_dot(loss, max_nodes=None).source)
    src = draw_dot(loss, collapse="neuron").source
    recs = records(src)
    titles = [lab.split(" | ")[0] for _, lab in recs]
    assert len(recs) < len(full)
    assert sum(t.startswith("a[") for t in titles) == 8   # 2 samples x (3 + 1) neurons
    assert not any(t.startswith(("W[", "b[", "z[")) for t in titles)
    assert len(re.findall(r"subgraph cluster_\d+ \{", src)) == 4   # 2 samples x 2 layers
    assert src.count('label="layer 1: a = tanh(Σ w·x + b)"') == 2


def test_collapsed_neuron_edges_carry_da_dinput():
    xs = [Value(1.0, label="x_1"), Value(2.0, label="x_2")]
    out = forward(labelled_mlp(xs, sizes=(1,)), xs)[0]
    out.backward()
    src = draw_dot(out, collapse="neuron").source
    # a = tanh(z), z = 0.1 x_1 + 0.2 x_2 + 0  =>  ∂a/∂x_1 = (1 - a²) * 0.1
    expected = f"{(1 - out.data ** 2) * 0.1:.4g}"
    assert f"n0 -> n2 [label={expected} id=n0_n2_2]" in src   # x_1 is argument 2 of z
    assert xs[0].grad == pytest.approx((1 - out.data ** 2) * 0.1)


def test_expand_draws_one_neuron_value_by_value_and_keeps_the_others_collapsed():
    xs = [Value(1.0, label="x_1"), Value(2.0, label="x_2")]
    out = forward(labelled_mlp(xs), xs)[0]
    out.backward()
    g = draw_dot(out, collapse="neuron", expand=["a[1]_2"])
    titles = [lab.split(" | ")[0].split(" (")[0] for _, lab in records(g.source)]
    assert {"W[1]_12", "W[1]_22", "b[1]_2", "z[1]_2", "a[1]_2"} <= set(titles)
    assert "W[1]_11" not in titles and titles.count("a[1]_1") == 1    # still one record
    a12 = next(k for k, v in g.node_values.items() if v.label == "a[1]_2")
    assert re.search(rf"{a12} -> n\d+ \[label=", g.source)   # feeds the next, collapsed, layer
    assert "tanh" in g.source and draw_dot(out, collapse="neuron").source != g.source
    with pytest.raises(ValueError, match="needs collapse="):
        draw_dot(out, expand=["a[1]_2"])
    with pytest.raises(ValueError, match="neuron labels"):
        draw_dot(out, collapse="neuron", expand=["W[1]_11"])


def test_collapse_layer_draws_one_record_per_layer_call():
    loss = loss_over_samples([[1.0, 2.0], [0.5, -1.0], [3.0, 1.0]])
    recs = records(draw_dot(loss, collapse="layer").source)
    layer_titles = [lab for _, lab in recs if lab.startswith("layer")]
    assert len(layer_titles) == 6   # 3 samples x 2 layers
    assert all(lab.count("a[1]_") == 3 for lab in layer_titles if lab.startswith("layer 1"))
    assert draw_dot(loss, collapse="layer").source == draw_dot(loss, collapse="layer").source


def test_collapse_makes_a_refused_graph_drawable():
    loss = loss_over_samples([[0.1 * i, -0.2 * i] for i in range(60)])
    with pytest.raises(ValueError, match="collapse="):
        draw_dot(loss)
    assert len(records(draw_dot(loss, collapse="layer").source)) <= 500


def test_collapse_needs_nn_labels():
    with pytest.raises(ValueError, match="needs a graph built by nn modules"):
        draw_dot(neuron(), collapse="neuron")


def test_micrograd_style_nodes_are_drawn_with_their_local_derivatives():
    x = Value(0.5, label="x")
    out = Value(math.tanh(x.data), (x,), "mytanh")

    def _backward():
        x.grad += (1 - out.data ** 2) * out.grad
    out._backward = _backward
    y = out * 2.0
    y.backward()
    src = text(draw_dot(y))
    assert f"n0 -> n1op [label={1 - math.tanh(0.5) ** 2:.4g} id=n0_n1op_0]" in src
    assert "mytanh1 | data" in src and x.grad == pytest.approx(2 * (1 - math.tanh(0.5) ** 2))


def test_stale_gradients_are_named_and_drawing_changes_nothing():
    from nn import MLP
    from visualize import draw_mlp
    model = MLP(2, [3, 1], seed=0)
    loss = (model([1.0, -2.0]) - 1.0) ** 2
    loss.backward()
    fresh = legend_text(draw_dot(loss))
    assert "stale" not in fresh
    again = (model([0.5, 0.5]) - 1.0) ** 2
    again.backward()                         # no zero_grad: the parameters hold two passes
    every = [(v, v.grad, v.data) for v in model.parameters()]
    g = draw_dot(loss)
    draw_dot(loss, collapse="neuron")
    draw_mlp(model, show="grads")
    assert [(v.grad, v.data) for v, _, _ in every] == [(gr, d) for _, gr, d in every]
    note = legend_text(g)
    assert re.search(r"stale gradients: \d+ values hold more than one backward pass", note)
    assert "zero_grad()" in note


def boxes_by_title(g):
    """{first line: the box's lines} for every value box of the picture."""
    return {label.split(" | ")[0]: label for _, label in records(g.source)}


def test_micrograd_cells_draw_your_values_with_their_gradients():
    """micrograd's README cells, typed as they are: the Values you make are yours."""
    x = Value(1.0)
    y = (x * 2 + 1).relu()
    y.backward()
    g = draw_dot(y)
    shown = boxes_by_title(g)
    assert shown["leaf1"] == "leaf1 | data 1 | grad 2"           # x, with its gradient
    assert attr(g.source, records(g.source)[0][0], "color") == KINDS["leaf"][0]
    assert shown["2"] == "2" and shown["1"] == "1"                # the lifted numbers
    two = y._prev[0]._prev[0]._prev[1]
    assert x._op == two._op == ""      # '' on every leaf, as micrograd: the kind is not in _op

    import random

    from nn import Neuron
    random.seed(1337)
    n = Neuron(2)
    x = [Value(1.0), Value(-2.0)]
    y = n(x)
    y.backward()
    g = draw_dot(y)
    shown = boxes_by_title(g)
    assert y.data > 0           # a live ReLU at this seed: each input's gradient is its weight
    assert shown["x_1"] == f"x_1 | data 1 | grad {n.w[0].data:.4g}"
    assert shown["x_2"] == f"x_2 | data -2 | grad {n.w[1].data:.4g}"
    assert "constant" not in legend_text(g)
    assert all(v._op == "" for v in x)


@pytest.mark.svg
def test_control_characters_in_labels_and_ops_leave_the_svg_well_formed():
    """XML cannot hold most control characters: they are shown escaped (issue 20, bug 9)."""
    import xml.etree.ElementTree as ET

    from visualize import draw_mlp, to_svg
    from visualize.svg_metrics import texts
    x = Value(1.5, label="x\x07\x1b[31m\x7f\x85\ufffe")   # a NUL is refused by Value itself
    y = Value(9.0, (x, x), "a\x1bb", "", (2.0, 3.0))
    y.label = "y\tz\x0c"
    y.backward()
    g = draw_dot(y)
    for svg in (to_svg(g), to_svg(draw_dot(y, collapse=None, legend=False))):
        root = ET.fromstring(svg[svg.index("<svg"):])          # well-formed
        assert root.tag.endswith("svg")
        shown = [t.text for t in texts(svg)]
        assert "a\\x1bb" in shown                                # the op, escape visible
        assert "x\\x07\\x1b[31m\\x7f\\x85\\ufffe" in shown and "y z\\x0c" in shown
    from nn import MLP
    model = MLP(1, [1], seed=0)
    model.layers[0].neurons[0].w[0].label = "W\x1b[1]_11"
    svg = to_svg(draw_mlp(model))
    ET.fromstring(svg[svg.index("<svg"):])
    assert any(t.text.startswith("W\\x1b[1]_11 = ") for t in texts(svg))


def test_a_graph_whose_edges_cross_many_columns_is_laid_out_quickly_and_says_so():
    """x used in each of 166 steps: Graphviz took 15 minutes with its default passes (x's
    edges become 200,000 invisible nodes); draw_dot asks for a quick layout and says so."""
    from visualize.graph import QUICK_NOTE
    x = Value(0.9, label="x")
    y = x
    for _ in range(166):
        y = y * x + 1.0
    y.backward()
    with pytest.warns(SlideSizeWarning):
        g = draw_dot(y)
    for setting in ("nslimit=0.01", "mclimit=0.1", "splines=line"):
        assert setting in g.source
    assert QUICK_NOTE in legend_text(g).replace(" | ", " ")
    small = draw_dot(neuron())
    assert "nslimit" not in small.source and "splines" not in small.source
    assert "quickly" not in legend_text(small)
    chain = Value(0.5, label="x")
    for _ in range(300):
        chain = chain.tanh()
    chain.backward()
    with pytest.warns(SlideSizeWarning):
        long = draw_dot(chain, max_nodes=None)
    assert "nslimit=4" in long.source and "splines" not in long.source   # no long edges


def test_ranks_put_an_input_just_before_its_first_use():
    from autograd import topological_order
    from visualize.boxes import Context, distinct, layout_work, plain_boxes, ranks
    x, c = Value(1.0, label="x"), Value(2.0, label="c")
    y = ((x.tanh().tanh() * c) + x)
    y.backward()
    topo = topological_order(y)
    ctx = Context(display_names(y, topo), frozenset(), frozenset(), 4, lambda v: v.grad)
    drawn = distinct(plain_boxes(topo, ctx))
    rank = {box.title: r for box, r in zip(drawn, (ranks(drawn)[id(b)] for b in drawn))}
    assert rank["x"] == 0 and rank["tanh1"] == 1 and rank["tanh2"] == 2
    assert rank["c"] == 2 and rank["mul1"] == 3 and rank["add1"] == 4
    assert layout_work(drawn) == len(drawn) + 3    # x -> add1 crosses columns 1, 2 and 3


@pytest.mark.parametrize("as_values", [True, False])
def test_every_view_lists_each_box_after_its_inputs(as_values):
    """Columns and layout time are estimated in one pass over the boxes: inputs come first."""
    from autograd import topological_order
    from nn import MLP
    from visualize.graph import _boxes, _context
    model = MLP(2, [16, 16, 1], seed=0)
    row = (lambda i: [Value(0.1 * i), Value(-0.2 * i)]) if as_values else \
        (lambda i: [0.1 * i, -0.2 * i])
    loss = sum((model(row(i)) - 1.0) ** 2 for i in range(3)) + 1e-4 * sum(
        p * p for p in model.parameters())
    loss.backward()
    topo = topological_order(loss)
    ctx, _ = _context(loss, topo, None, None, 4, None)
    for view in (None, "neuron", "layer", "plate"):
        drawn = _boxes(loss, topo, ctx, view, None)
        place = {id(box): i for i, box in enumerate(drawn)}
        assert all(place[id(src)] < place[id(box)] for box in drawn for src, _, _ in box.inputs)
        assert drawn[-1].value is loss or view == "plate"
