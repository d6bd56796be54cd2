"""The lab's session: JSON in and out, the engine's numbers, refusals before work, no crash."""

import json
import math
import pathlib
import re
from xml.etree import ElementTree

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from autograd import Value, local_derivatives
from visualize.lab import _internals, expression
from visualize.lab.graphview import number
from visualize.lab.messages import MESSAGES
from visualize.lab.session import LIMITS, LabSession, to_json

STATIC = pathlib.Path(__file__).parent.parent / "visualize" / "lab" / "static"
NEURON = {"formula": "tanh(x*w + b)", "values": {"x": 2.0, "w": -3.0, "b": 6.88}}


def ok(session, method, **params):
    response = session.handle({"method": method, "params": params})
    assert response["ok"], response
    json.loads(to_json(response))   # every answer is strict JSON
    return response["result"]


def refused(session, method, **params):
    response = session.handle({"method": method, "params": params})
    assert not response["ok"], response
    assert response["error"]["id"] in MESSAGES and response["error"]["text"]
    return response["error"]


def engine_neuron():
    x, w, b = Value(2.0, label="x"), Value(-3.0, label="w"), Value(6.88, label="b")
    out = (x * w + b).tanh()
    out.backward()
    return out, {"x": x, "w": w, "b": b}


def test_expression_gives_the_engines_values_and_gradients_in_formula_order():
    s = LabSession()
    result = ok(s, "expression.set", **NEURON)
    out, leaves = engine_neuron()
    assert [leaf["name"] for leaf in result["leaves"]] == ["x", "w", "b"]
    for leaf in result["leaves"]:
        assert leaf["value"] == leaves[leaf["name"]].data
        assert leaf["grad"] == leaves[leaf["name"]].grad   # exactly the engine's
    assert result["output"]["value"] == out.data
    graph = result["graph"]
    assert "id=n0_n2op_0" in graph["dot"] and graph["nodes"]["n0"]["name"] == "x"
    assert graph["nodes"]["n0"]["kind"] == "input" and graph["nodes"]["n1"]["kind"] == "leaf"
    assert {t["name"] for t in result["check_targets"]} == {"x", "w", "b"}


def test_a_name_without_a_value_starts_at_one_and_values_may_move():
    s = LabSession()
    result = ok(s, "expression.set", formula="a*b + a", values={"a": 3.0})
    grads = {leaf["name"]: (leaf["value"], leaf["grad"]) for leaf in result["leaves"]}
    assert grads == {"a": (3.0, 2.0), "b": (1.0, 3.0)}   # ∂/∂a = b + 1, ∂/∂b = a


@pytest.mark.parametrize("formula, message", [
    ("__import__('os').system('true')", "calls of anything but"),
    ("x.__class__", "attribute access"),
    ("<script>alert(1)</script>", "not a valid formula"),
    ("9**9**9", "exponent larger than"),
    ("", "empty"),
])
def test_refused_formulas_name_what_and_the_session_keeps_working(formula, message):
    s = LabSession()
    error = refused(s, "expression.set", formula=formula)
    assert error["id"] == "formula_refused" and message in error["text"]
    assert ok(s, "expression.set", **NEURON)["output"]["value"] == pytest.approx(0.7064, 1e-3)


def test_an_over_long_formula_is_refused_on_its_length_before_any_work(monkeypatch):
    def must_not_run(*args, **kwargs):
        raise AssertionError("the formula was parsed")
    monkeypatch.setattr(_internals, "parse_formula", must_not_run)
    s = LabSession()
    for n in (LIMITS["formula_chars"] + 1, 10 ** 6):
        error = refused(s, "expression.set", formula="x+" * (n // 2) + "x")
        assert error["id"] == "formula_too_long" and error["params"]["limit"] == 2000


def test_evaluation_errors_and_bad_values_are_messages():
    s = LabSession()
    assert refused(s, "expression.set", formula="log(x)", values={"x": 0})["id"] == \
        "formula_evaluate"
    assert "overflows" in refused(s, "expression.set", formula="exp(x)",
                                  values={"x": 1000})["text"]
    assert refused(s, "expression.set", formula="x", values={"x": "2"})["id"] == "bad_param"
    assert refused(s, "expression.set", formula="out + 1")["id"] == "name_reserved"
    many = "+".join(f"v{i}" for i in range(expression.MAX_NAMES + 1))
    assert refused(s, "expression.set", formula=many)["id"] == "too_many_names"


def test_nan_and_infinity_are_not_json_numbers():
    s = LabSession()
    for text in ('{"method": "expression.set", "params": {"formula": "x", '
                 '"values": {"x": NaN}}}', '{"method": "lab.init", "params": Infinity}'):
        response = s.handle(text)
        assert not response["ok"] and response["error"]["id"] == "bad_request"


def test_explain_edge_plugs_the_numbers_into_the_local_derivative():
    s = LabSession()
    graph = ok(s, "expression.set", **NEURON)["graph"]
    op = re.search(r"(n\d+)op \[label=tanh", graph["dot"]).group(1)
    tanh_edge = re.search(rf"id=(n\d+_{op}op_0)", graph["dot"]).group(1)
    result = ok(s, "graph.explain_edge", edge=tanh_edge, version=graph["version"])
    out, _ = engine_neuron()
    assert result["local"] == local_derivatives(out)[0]
    assert result["latex"].startswith(r"\frac{\partial \mathrm{out}}{\partial \mathrm{add1}}")
    assert r"1 - \tanh^{2}" in result["latex"] and "1 - 0.7064^{2}" in result["latex"]
    mul = ok(s, "graph.explain_edge", edge="n0_n2op_0")   # ∂(x*w)/∂x = w = -3
    assert mul["latex"].endswith("= w = -3") and mul["local"] == -3.0


def test_explain_value_is_the_sum_over_paths_and_the_sgd_update():
    s = LabSession()
    ok(s, "expression.set", formula="a*a + a*b", values={"a": 2.0, "b": 5.0})
    result = ok(s, "graph.explain_value", node="n0", lr=0.5)   # a: three paths
    assert result["name"] == "a" and result["paths"] == 3
    assert result["total"] == result["grad"] == 2 * 2.0 + 5.0
    assert r"\begin{aligned}" in result["latex"]
    assert result["sgd"]["after"] == 2.0 - 0.5 * 9.0
    assert result["sgd"]["latex"].endswith("= 2 - 0.5 \\times 9 = -2.5\\end{aligned}")
    root = [k for k, v in ok(s, "expression.set", formula="a*b")["graph"]["nodes"].items()
            if v["name"] == "out"][0]
    assert ok(s, "graph.explain_value", node=root)["root"] is True


def test_explain_asks_about_the_picture_the_page_shows():
    s = LabSession()
    old = ok(s, "expression.set", **NEURON)["graph"]["version"]
    ok(s, "expression.set", formula="x*y")
    assert refused(s, "graph.explain_value", node="n0", version=old)["id"] == "no_graph"
    assert refused(s, "graph.explain_value", node="n99")["id"] == "unknown_node"
    assert refused(LabSession(), "graph.steps")["id"] == "no_graph"


def test_steps_follow_backward_edge_by_edge_with_plus_equals_where_a_value_is_reused():
    s = LabSession()
    ok(s, "expression.set", formula="a*a + a", values={"a": 3.0})
    steps = ok(s, "graph.steps")
    frames = steps["frames"]
    assert len(frames) == 4     # out = mul1 + a: 2 edges, mul1 = a * a: 2 edges
    into_a = [f for f in frames if f["parent_name"] == "a"]
    assert [f["k"] for f in into_a] == [1, 2, 3] and all(f["uses"] == 3 for f in into_a)
    assert into_a[-1]["total"] == 2 * 3.0 + 1   # the sum of the three contributions
    assert sum(f["contribution"] for f in into_a) == into_a[-1]["total"]
    again = ok(s, "graph.steps")   # stepping twice does not accumulate
    assert again["frames"][-1]["total"] == frames[-1]["total"]


def test_check_a_right_and_a_wrong_derivative():
    s = LabSession()
    ok(s, "expression.set", **NEURON)
    right = ok(s, "graph.check", wrt="w", formula="x*(1 - tanh(x*w + b)**2)")
    assert right["ok"] is True and right["symbolic"] is True and right["points"] == 20
    missing = ok(s, "graph.check", wrt="w", formula="1 - tanh(x*w + b)**2")
    assert missing["ok"] is False and missing["diagnoses"][0]["kind"] == "missing"
    assert r"\frac{\partial \mathrm{mul1}}{\partial w} = x" == missing["diagnoses"][0]["latex"]
    sign = ok(s, "graph.check", wrt="w", formula="-x*(1 - tanh(x*w + b)**2)")
    assert [d["kind"] for d in sign["diagnoses"]] == ["sign"]
    twice = ok(s, "graph.check", wrt="w", formula="2*x*(1 - tanh(x*w + b)**2)")
    assert twice["diagnoses"][0]["factor"] == "2"
    assert refused(s, "graph.check", wrt="w", formula="x +")["id"] == "check_refused"
    assert refused(s, "graph.check", wrt="zz", formula="x")["id"] == "unknown_node"


def test_export_page_leaves_the_svg_to_the_browser():
    s = LabSession()
    ok(s, "expression.set", **NEURON)
    page = ok(s, "graph.export_page")
    assert page["html"].count(page["placeholder"]) == 1 and page["dot"].startswith("digraph")
    data = re.search(r'id="frames">(.*?)</script>', page["html"], re.S).group(1)
    assert len(json.loads(data)["steps"]) == 5
    result = ok(s, "graph.explain_value", node="n1")   # grads unchanged by the export
    assert result["grad"] == engine_neuron()[1]["w"].grad


def test_init_has_the_catalog_the_limits_and_the_options():
    init = ok(LabSession(), "lab.init")
    assert init["catalog"] == MESSAGES and init["limits"]["formula_chars"] == 2000
    assert set(init["presets"]) == {"seed", "micrograd"} and "moons" in init["datasets"]


def test_every_text_the_page_shows_comes_from_the_catalog():
    """The page's t("id") calls name catalog messages; templated ids are listed here."""
    used = set()
    for path in (STATIC / "js").glob("*.js"):
        used |= set(re.findall(r'\bt\(\s*"(\w+)"', path.read_text()))
    templated = {f"mode_{m}" for m in ("expression", "network", "train")}
    templated |= {f"mode_{m}_hint" for m in ("expression", "network", "train")}
    templated |= {f"{tool}_heading" for tool in ("explain", "step", "check")}
    templated |= {f"diag_{k}" for k in ("coincidence", "undefined", "wrong", "sign", "factor",
                                        "missing", "extra", "zero", "tiny")}
    templated |= {"copy_link", "export_svg", "export_page"}
    templated |= {f"kind_{k}" for k in ("parameter", "input", "leaf", "constant", "intermediate")}
    templated |= {f"view_{v}" for v in ("full", "neuron", "layer", "plate")}
    templated |= {f"preset_{p}" for p in ("seed", "micrograd")}
    templated |= {f"dataset_{d}" for d in ("moons", "xor", "circles", "spiral", "seed", "csv")}
    templated |= {f"loss_{n}" for n in ("mse", "half_mse", "bce", "hinge")}
    templated |= {f"check_source_{n}" for n in ("own", "exercises")}
    templated |= {f"exercise_{n}" for n in ("right", "wrong", "refused")}
    missing = sorted((used | templated) - set(MESSAGES))
    assert not missing, f"not in the catalog: {missing}"
    html = (STATIC / "index.html").read_text()
    body = re.search(r"<body>(.*)</body>", html, re.S).group(1)
    assert not re.sub(r"<[^>]+>", "", body).strip()   # no text outside the catalog


requests = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                 max_size=4),
    max_leaves=12)
methods = st.sampled_from(["lab.init", "expression.set", "graph.explain_edge",
                           "graph.explain_value", "graph.steps", "graph.check",
                           "graph.export_page", "nope", ""])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(methods, requests)
def test_any_request_gets_an_answer_and_the_session_survives(method, params):
    s = LabSession()
    ok(s, "expression.set", **NEURON)
    response = s.handle({"method": method, "params": params})
    assert set(response) in ({"ok", "result"}, {"ok", "error"})
    json.loads(to_json(response))
    assert response["ok"] or response["error"]["id"] != "internal_error", response
    assert ok(s, "expression.set", **NEURON)["output"]["value"] > 0


def test_infinite_slopes_are_refused_and_no_answer_holds_a_non_finite_number():
    s = LabSession()
    error = refused(s, "expression.set", formula="x**0.5", values={"x": 0.0})
    assert "infinite" in error["text"]
    assert [number(x) for x in (math.inf, -math.inf, math.nan, 1.5)] == [None, None, None, 1.5]


def seed_engine(weights=None, x=(0.5, -0.2, 0.8), y=0.9):
    from nn import MLP, mse_loss
    model = MLP(3, [4, 1], activation="sigmoid", output_activation="sigmoid", seed=0)
    for w in model.parameters():
        if weights and w.label in weights:
            w.data = weights[w.label]
    loss = mse_loss(model([Value(v, label=f"x_{j}") for j, v in enumerate(x, 1)]), y, half=True)
    loss.backward()
    return model, loss


def test_network_mode_is_the_reference_texts_3_4_1_network_on_one_sample():
    s = LabSession()
    result = ok(s, "network.set")
    model, loss = seed_engine()
    assert result["sizes"] == [3, 4, 1] and result["loss"] == loss.data
    assert len(result["weights"]) == 3 * 4 + 4 + 4 + 1
    w21 = model.layers[0].neurons[0].w[1]
    assert result["weights"]["W[1]_21"] == {"value": w21.data, "grad": w21.grad}
    nodes = result["diagram"]["nodes"]
    assert nodes["W1_2_1"]["label"] == nodes["W1_2_1_label"]["label"] == "W[1]_21"
    assert nodes["L1_3"]["label"] == "b[1]_3" and "id=W1_2_1" in result["diagram"]["dot"]
    graph = result["graph"]
    assert graph["view"] == "neuron" and graph["output"] == "L"
    clicks = {n["label"]: n["click"] for n in graph["nodes"].values()}
    assert clicks["a[1]_2"] == "expand" and clicks["x_1"] == "explain"
    assert "W[2]_11" in {t["name"] for t in result["check_targets"]}


def test_network_weights_from_the_page_and_a_neuron_expanded_in_place():
    s = LabSession()
    result = ok(s, "network.set", weights={"W[1]_21": 0.25, "b[2]_1": -1.0},
                expanded=["a[1]_2"])
    model, loss = seed_engine({"W[1]_21": 0.25, "b[2]_1": -1.0})
    assert result["loss"] == loss.data
    assert result["weights"]["W[1]_21"]["grad"] == model.layers[0].neurons[0].w[1].grad
    labels = {n["label"]: n["click"] for n in result["graph"]["nodes"].values()}
    assert labels["z[1]_2"] == labels["W[1]_12"] == "explain" and "W[1]_11" not in labels
    assert result["graph"]["expanded"] == ["a[1]_2"]
    full = ok(s, "network.set", view="full")["graph"]
    assert len(full["nodes"]) == 40   # 3 x, 16 W, 5 b, 5 z, 5 a, 2 constants, 4 loss ops
    assert len(ok(s, "graph.steps", mode="network")["frames"]) > 40
    assert refused(s, "graph.steps", mode="network", version=full["version"] - 1)["id"] == \
        "no_graph"


def test_the_reference_texts_derivation_checks_in_network_mode():
    s = LabSession()
    ok(s, "network.set")
    right = ok(s, "graph.check", mode="network", wrt="W[2]_11",
               formula="(a2_1 - 0.9) * a2_1 * (1 - a2_1) * a1_1")
    assert right["ok"] is True
    wrong = ok(s, "graph.check", mode="network", wrt="W[2]_11",
               formula="(a2_1 - 0.9) * a1_1")
    assert wrong["ok"] is False and wrong["diagnoses"][0]["kind"] == "missing"
    explained = ok(s, "graph.explain_value", mode="network",
                   node=next(k for k, v in ok(s, "network.set", view="full")["graph"]["nodes"]
                             .items() if v["label"] == "W[1]_21"))
    assert explained["total"] == seed_engine()[0].layers[0].neurons[0].w[1].grad
    assert explained["sgd"]["after"] == pytest.approx(
        explained["data"] - 0.1 * explained["grad"], rel=1e-15)


@pytest.mark.parametrize("params, message", [
    ({"sizes": [2, 17, 1]}, "network_too_big"), ({"sizes": [9, 4, 1]}, "network_too_big"),
    ({"sizes": [2, 4, 4, 4, 4, 1]}, "network_too_big"), ({"sizes": [2, 4, 2]}, "network_output"),
    ({"sizes": [2]}, "network_too_big"), ({"weights": {"W[9]_11": 1.0}}, "unknown_node"),
    ({"activation": "gelu"}, "bad_param"), ({"expanded": ["W[1]_11"]}, "bad_param"),
    ({"x": [1.0, "a"]}, "bad_param"),
])
def test_network_refusals(params, message):
    assert refused(LabSession(), "network.set", **params)["id"] == message


def test_every_view_of_the_loss_graph_and_the_plate_over_several_samples():
    s = LabSession()
    for view in ("full", "neuron", "layer"):
        result = ok(s, "network.set", view=view)
        assert result["graph"]["dot"] and result["samples"] == 1
    plate = ok(s, "network.set", view="plate")
    assert plate["samples"] == 4 and plate["graph"]["dot"] and "× 4 samples" in \
        plate["graph"]["dot"].replace("\\", "")
    assert plate["loss"] != ok(s, "network.set")["loss"]   # the mean over 4 samples


def test_micrograds_network_draws_collapsed_and_says_when_full_is_too_big():
    s = LabSession()
    result = ok(s, "network.set", preset="micrograd")
    assert result["sizes"] == [2, 16, 16, 1] and len(result["weights"]) == 337
    assert result["graph"]["dot"] and result["graph"]["view"] == "neuron"
    full = ok(s, "network.set", preset="micrograd", view="full")["graph"]
    assert full["dot"] is None and full["note"]["id"] == "graph_too_big"


def test_train_mode_twenty_sgd_steps_on_moons_lower_the_loss():
    from nn import MLP, VectorizedMLP, hinge_loss, make_moons
    s = LabSession()
    start = ok(s, "train.setup", dataset="moons")
    X, y = make_moons(100, noise=0.1, seed=0)
    model = MLP(2, [16, 16, 1], seed=0)
    out = VectorizedMLP.from_mlp(model).forward(X.T)[0]
    assert start["loss"] == hinge_loss(out.tolist(), (2 * y - 1).tolist()).data
    assert start["setup"]["loss"] == "hinge" and len(start["points"]["x"]) == 100
    assert start["boundary"]["n"] == 48 and len(start["boundary"]["values"]) == 48 * 48
    after = ok(s, "train.step", steps=20)
    assert after["step"] == 20 and after["epoch"] == 4      # batches of 20: 5 per epoch
    assert after["loss"] < 0.6 * start["loss"] and after["accuracy"] > 0.8
    assert [h[0] for h in after["history"]] == [0, 5, 10, 15, 20]   # each epoch's end
    vm = VectorizedMLP.from_mlp(s.training.model)                   # and the last step's
    out = vm.forward(X.T)[0]
    assert after["history"][-1][1] == hinge_loss(out.tolist(), (2 * y - 1).tolist()).data


def test_train_mode_explains_the_chosen_weight_at_the_last_step():
    s = LabSession()
    ok(s, "train.setup", dataset="seed")
    assert ok(s, "train.choose", weight="W[2]_11")["explained"] is None
    result = ok(s, "train.step", steps=3)
    e = result["explained"]
    assert e["name"] == "W[2]_11" and e["step"] == 3 and e["batch"] == 10
    assert e["after"] == pytest.approx(e["value"] - 0.5 * e["grad"], rel=1e-12)
    assert e["paths"] == 10 and r"\frac{\partial L}" in e["latex"]    # one path per sample
    assert "fit" in result and len(result["fit"]["predicted"]) == 1000
    assert refused(s, "train.choose", weight="W[9]_11")["id"] == "unknown_node"


def test_a_pasted_csv_trains_and_junk_or_a_huge_one_is_refused_with_a_message():
    s = LabSession()
    csv = "x1,x2,label\n" + "\n".join(f"{i % 7 / 7},{i % 5 / 5},{(i % 7 + i % 5) % 2}"
                                      for i in range(60))
    result = ok(s, "train.setup", dataset="csv", csv=csv, loss="bce")
    assert result["samples"] == 60 and result["classes"] and "boundary" in result
    for text, message in [
        ("a,b,y\n1,2,0\n3,x,1", "csv_not_number"), ("1,2,0\n3,4", "csv_columns"),
        ("1,2,3,4,5,6,7,8,9,10\n1,2,3,4,5,6,7,8,9,10", "csv_columns"), ("", "csv_empty"),
        ("1,2,0", "csv_too_few_rows"), ("1,nan,0\n1,2,1", "csv_not_number"),
        ("1,2,0\n" * 10 ** 6, "csv_too_long"), ("1,2,0\n" * 6000, "csv_too_many_rows"),
        ("1,2\n" * 5002, "csv_too_many_rows"),
    ]:
        error = refused(s, "train.setup", dataset="csv", csv=text)
        assert error["id"] == message, (text[:30], error)
    assert "Row 3, column 2: 'x' is not a number." == refused(
        s, "train.setup", dataset="csv", csv="a,b,y\n1,2,0\n3,x,1")["text"]
    regression = "1,2,0.5\n3,4,1.5\n5,6,2"
    assert refused(s, "train.setup", dataset="csv", csv=regression, loss="bce")["id"] == \
        "loss_needs_labels"
    assert ok(s, "train.setup", dataset="csv", csv=regression, loss="mse")["fit"]


@pytest.mark.parametrize("params, message", [
    ({"hidden": [17]}, "layers_bad"), ({"hidden": [4, 4, 4, 4]}, "layers_bad"),
    ({"lr": 0}, "bad_param"), ({"batch": 0}, "bad_param"), ({"dataset": "mnist"}, "bad_param"),
])
def test_train_refusals(params, message):
    assert refused(LabSession(), "train.setup", **params)["id"] == message
    assert refused(LabSession(), "train.step")["id"] == "train_none"


def test_a_learning_rate_too_large_diverges_with_a_message_not_nan():
    s = LabSession()
    ok(s, "train.setup", dataset="seed", lr=100.0, hidden=[16], activation="relu",
       output_activation="linear", loss="mse")
    result = ok(s, "train.step", steps=200)
    assert result["diverged"] is True and result["loss"] is None
    assert ok(s, "train.step", steps=5)["step"] == result["step"]   # stopped, no NaN steps


@pytest.mark.svg
@pytest.mark.parametrize("expanded", [["a[1]_1"], ["a[1]_3"], ["a[1]_2", "a[1]_4"]])
def test_an_expanded_neuron_sits_in_its_layer_with_the_others_in_index_order(expanded):
    """Expanding one neuron of the 3-4-1 network in place keeps layer 1 reading a[1]_1, a[1]_2,
    a[1]_3, a[1]_4 from top to bottom, the expanded one inside the layer's box."""
    from visualize.render import to_svg

    s = LabSession()
    graph = ok(s, "network.set", view="neuron", expanded=expanded)["graph"]
    ids = {node["label"]: node_id for node_id, node in graph["nodes"].items()
           if node["label"] and node["label"].startswith("a[1]_")}
    assert sorted(ids) == ["a[1]_1", "a[1]_2", "a[1]_3", "a[1]_4"]
    svg = ElementTree.fromstring(to_svg(graph["dot"]).encode())
    ns = {"s": "http://www.w3.org/2000/svg"}
    tops = {}
    for g in svg.iterfind(".//s:g[@class='node']", ns):
        if g.get("id") in ids.values():
            ys = [float(t.get("y")) for t in g.iterfind("s:text", ns)]
            tops[g.get("id")] = min(ys)
    order = sorted(ids, key=lambda label: tops[ids[label]])
    assert order == ["a[1]_1", "a[1]_2", "a[1]_3", "a[1]_4"], order
    clusters = [c for c in svg.iterfind(".//s:g[@class='cluster']", ns)
                if "layer 1" in "".join(c.itertext())]
    assert len(clusters) == 1
    box = [float(v) for v in clusters[0].find("s:path", ns).get("d").replace("M", "")
           .replace("C", " ").replace("Z", "").replace(",", " ").split()] if \
        clusters[0].find("s:path", ns) is not None else None
    if box:   # every a[1]_k, expanded or not, is inside the layer's box
        ys = box[1::2]
        assert all(min(ys) <= tops[i] <= max(ys) for i in ids.values())


def test_in_the_layer_view_a_layers_records_are_not_explained_as_one_value():
    graph = ok(LabSession(), "network.set", view="layer")["graph"]
    params = [n for n in graph["nodes"].values() if n["kind"] == "parameter"]
    assert params and all(n["click"] == "none" for n in params)      # W[1], b[1]: 16 values
    inputs = [n for n in graph["nodes"].values() if n["kind"] == "input"]
    assert inputs and all(n["click"] == "explain" for n in inputs)   # x_1 is one value
