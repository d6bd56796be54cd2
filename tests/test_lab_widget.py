"""The notebook widget's Python side: its state, set and read from Python, without a page;
the page's messages answered by the same session; the static picture of a saved notebook."""

import json
import math

import pytest

from autograd import Value

pytest.importorskip("anywidget", reason="the widget needs the extra 'notebook'")

from visualize.lab.widget import Lab, _page_files  # noqa: E402


def engine(x, w, b):
    xs, ws, bs = Value(x, label="x"), Value(w, label="w"), Value(b, label="b")
    out = (xs * ws + bs).tanh()
    out.backward()
    return out.data, {"x": xs.grad, "w": ws.grad, "b": bs.grad}


class Outbox:
    """What the widget sends to its views (anywidget's custom messages)."""

    def __init__(self, lab):
        self.messages = []
        lab.send = lambda content, buffers=None: self.messages.append((content, buffers))

    def pop(self):
        messages, self.messages = self.messages, []
        return messages


def test_the_import_of_the_docs_and_the_engines_numbers():
    from visualize import Lab as Public
    assert Public is Lab
    lab = Lab("tanh(x*w + b)", x=2, w=-3, b=6.88)
    out, grads = engine(2.0, -3.0, 6.88)
    assert lab.values == {"x": 2.0, "w": -3.0, "b": 6.88}
    assert lab.grads == grads and lab.output == out and lab.error is None
    assert lab.names == ["x", "w", "b"] and lab.mode == "expression"


def test_a_value_set_from_python_changes_the_gradients_the_widget_reports():
    lab = Lab("tanh(x*w + b)", x=2, w=-3, b=6.88)
    before = lab.grads
    lab.values = {"w": -1.5}
    out, grads = engine(2.0, -1.5, 6.88)
    assert lab.grads == grads != before and lab.output == out
    assert lab.values == {"x": 2.0, "w": -1.5, "b": 6.88}
    # every view is told: the synced state carries the formula and the new values
    assert lab._state["f"] == "tanh(x*w + b)"
    assert dict(p.split(":") for p in lab._state["v"].split(",")) == {
        "x": "2.0", "w": "-1.5", "b": "6.88"}
    assert lab.set(b=0.5) is lab and lab.grads == engine(2.0, -1.5, 0.5)[1]


def test_a_formula_error_is_reported_and_a_good_formula_clears_it():
    lab = Lab("tanh(x*w + b)", x=2, w=-3, b=6.88)
    lab.formula = "tanh(x*w + "
    assert lab.error and "never closed" in lab.error
    assert lab.grads == {} and lab.output is None and lab.formula == "tanh(x*w + "
    assert "never closed" in lab._repr_mimebundle_()[0]["text/html"]
    lab.formula = "__import__('os')"
    assert lab.error.startswith("refused")
    lab.formula = "x*w"
    assert lab.error is None and lab.grads == {"x": -3.0, "w": 2.0}   # x, w kept their values
    bad = Lab("log(x)", x=-1)
    assert bad.error and "log" in bad.error and bad.grads == {}


def test_bad_values_from_python_are_refused_by_name():
    lab = Lab("x*w", x=1, w=2)
    with pytest.raises(KeyError, match="'q' is not a name of 'x\\*w'; its names are: x, w"):
        lab.values = {"q": 1}
    with pytest.raises(TypeError, match="the value of x must be a number, got str"):
        lab.values = {"x": "1"}
    with pytest.raises(ValueError, match="the value of w must be a finite number"):
        lab.set(w=math.inf)
    with pytest.raises(TypeError, match=r"a formula \(text\), a Value or an MLP, got int"):
        Lab(3)
    with pytest.raises(TypeError, match="the formula must be text"):
        lab.formula = 3
    with pytest.raises(TypeError, match="the value of b must be a number, got bool"):
        Lab("b", b=True)
    assert lab.values == {"x": 1.0, "w": 2.0}   # nothing changed


def test_step_set_from_python_opens_the_step_tool_and_says_what_the_step_does():
    lab = Lab("a*b + a", a=3, b=2)
    assert lab.step is None and lab.steps == 5   # the seed, 4 edges, done
    lab.step = 3
    assert lab._state["tool"] == "step" and lab._state["step"] == "3"
    info = lab.step_info   # the second use of a: a.grad += 2 × 1, after 1 from the first
    assert (info["node"], info["parent"], info["use"], info["uses"]) == ("mul1", "a", 2, 2)
    assert (info["local"], info["contribution"], info["parent_grad"]) == (2.0, 2.0, 3.0)
    with pytest.raises(ValueError, match="step must be from 0 to 5"):
        lab.step = 6
    for k in (0, 5):
        lab.step = k
        assert lab.step == k and lab.step_info is None


def test_the_pages_requests_are_answered_by_the_kernel_and_update_the_python_state():
    lab = Lab("tanh(x*w + b)", x=2, w=-3, b=6.88)
    box = Outbox(lab)
    lab._on_message(lab, {"kind": "call", "id": "v:1", "method": "expression.set",
                          "params": {"formula": "x*w + b", "values": {"x": 1, "w": 4}}}, [])
    [(answer, _)] = box.pop()
    assert answer["kind"] == "answer" and answer["id"] == "v:1" and answer["response"]["ok"]
    assert lab.formula == "x*w + b" and lab.grads == {"x": 4.0, "w": 1.0, "b": 1.0}
    lab._on_message(lab, {"kind": "call", "id": "v:2", "method": "expression.set",
                          "params": {"formula": "x*", "values": {}}}, [])
    [(answer, _)] = box.pop()
    assert not answer["response"]["ok"] and lab.error == answer["response"]["error"]["text"]
    lab._on_message(lab, {"kind": "call", "id": "v:3", "method": "no.such"}, [])
    [(answer, _)] = box.pop()
    assert answer["response"]["error"]["id"] == "unknown_method"
    lab._on_message(lab, ["not", "a", "dict"], [])   # ignored, no crash
    assert box.pop() == []


def test_the_check_tools_exercises_are_answered_by_the_kernel():
    from nn.exercises import exercises

    lab = Lab("x")
    box = Outbox(lab)
    lab._on_message(lab, {"kind": "call", "id": "v:1", "method": "exercises.list",
                          "params": {"seed": 7}}, [])
    [(answer, _)] = box.pop()
    items = answer["response"]["result"]["items"]
    assert [i["title"] for i in items] == [e.title for e in exercises(seed=7)]
    lab._on_message(lab, {"kind": "call", "id": "v:2", "method": "exercises.check",
                          "params": {"seed": 7, "number": 8, "answer": "A1 @ dZ2.T"}}, [])
    [(answer, _)] = box.pop()
    assert answer["response"]["result"]["kinds"] == ["shape", "transpose"]


def test_the_pages_files_travel_through_the_kernel_not_a_cdn():
    lab = Lab("x")
    box = Outbox(lab)
    lab._on_message(lab, {"kind": "files"}, [])
    [(content, buffers)] = box.pop()
    names = content["names"]
    assert content["version"] == lab._files == _page_files()[0]
    assert {"js/app.js", "js/host-widget.js", "lab.css", "vendor/viz/viz.js",
            "vendor/katex/katex.mjs", "vendor/katex/katex.min.css"} <= set(names)
    assert len(buffers) == len(names) and all(isinstance(b, bytes) for b in buffers)
    assert "index.html" not in names and not any(n.endswith(".json") for n in names)
    # the entry anywidget loads fetches nothing by URL: it asks the kernel
    assert "fetch(" not in Lab._esm and "http" not in Lab._esm.replace("https://lab.invalid", "")


def test_a_saved_notebook_shows_a_static_picture_beside_the_widget_view():
    lab = Lab("tanh(x*w + b)", x=2, w=-3, b=6.88)
    data, _ = lab._repr_mimebundle_()
    assert json.loads(json.dumps(data["application/vnd.jupyter.widget-view+json"]))[
        "model_id"] == lab.model_id
    page = data["text/html"]
    assert "<code>tanh(x*w + b)</code>" in page and "<table>" in page
    for name, grad in lab.grads.items():
        assert f"<td>{name}</td><td>{lab.values[name]:.4g}</td><td>{grad:.4g}</td>" in page
    assert data["text/plain"].startswith("Lab('tanh(x*w + b)'): out=0.7064")


def test_the_still_picture_follows_what_python_sets():
    lab = Lab("x*w", x=2, w=3)
    assert lab._snapshot["formula"] == "x*w" and lab._snapshot["error"] == ""
    assert lab._snapshot["rows"] == [["x", "2", "3"], ["w", "3", "2"], ["out", "6", "1"]]
    lab.values = {"w": -1}
    assert lab._snapshot["rows"][0] == ["x", "2", "-1"]
    lab.formula = "x*"
    assert lab._snapshot["error"].startswith("refused") and lab._snapshot["svg"] == ""


@pytest.mark.svg
def test_the_static_picture_holds_the_graph_as_svg():
    lab = Lab("tanh(x*w + b)", x=2, w=-3, b=6.88)
    page = lab._repr_mimebundle_()[0]["text/html"]
    assert "<svg" in page and "</svg>" in page and ">tanh<" in page
    assert lab._snapshot["svg"].startswith("<svg") and ">tanh<" in lab._snapshot["svg"]


def test_a_label_with_markup_stays_text_in_the_static_picture():
    lab = Lab("x*w")
    lab.formula = "x*w + '<script>'"
    page = lab._repr_mimebundle_()[0]["text/html"]
    assert "<script>" not in page and "&lt;script&gt;" in page


def lecture_graph():
    """The micrograd lecture's L = (a*b + c) * f, with its intermediate labels, backward run;
    and its values by label."""
    from autograd import topological_order
    from demos.slides import lecture

    L = lecture()
    return L, {v.label: v for v in topological_order(L)}


def test_a_graph_you_built_gets_sliders_for_its_leaves_and_is_never_changed():
    L, nodes = lecture_graph()
    before = {name: (v.data, v.grad) for name, v in nodes.items()}
    lab = Lab(L)
    assert lab.formula == "f*(a*b + c)" and lab.names == ["a", "b", "c", "f"]
    assert lab.grads == {"a": 6.0, "b": -4.0, "c": -2.0, "f": 4.0} and lab.output == -8.0
    lab.values = {"a": 1.0}
    assert lab.grads == {"a": 6.0, "b": -2.0, "c": -2.0, "f": 7.0} and lab.output == -14.0
    names = {node["name"] for node in lab._result["graph"]["nodes"].values()}
    assert {"e", "d", "L"} <= names   # its own labels, not the formula's
    lab.step = 1
    assert lab.step_info == {"node": "L", "parent": "d", "op": "*", "local": -2.0,
                             "node_grad": 1.0, "contribution": -2.0, "parent_grad": -2.0,
                             "uses": 1, "use": 1}
    assert {n: (v.data, v.grad) for n, v in nodes.items()} == before   # nothing changed
    lab.formula = "x + 1"   # typing a formula works as everywhere
    assert lab.grads == {"x": 1.0}
    lab.formula = "f*(a*b + c)"   # and the graph's own text brings the graph back
    assert lab.grads["f"] == 7.0


def test_a_graphs_constants_stay_constants_and_micrograd_style_nodes_are_refused():
    x = Value(1.5, label="x")
    lab = Lab((x * 2 + 1).tanh())
    assert lab.names == ["x"] and lab.formula == "tanh(2*x + 1)"
    kinds = {n["name"]: n["kind"] for n in lab._result["graph"]["nodes"].values()}
    assert sorted(k for k in kinds.values() if k == "constant") == ["constant", "constant"]
    y = Value(2.0, label="y")
    odd = Value(y.data * 3, (y,), "triple")
    odd._backward = lambda: None
    with pytest.raises(ValueError, match="'triple'.*micrograd's way"):
        Lab(odd * 1.0)
    with pytest.raises(TypeError, match="expected a formula \\(text\\), a Value or an MLP"):
        Lab([1, 2])
    with pytest.raises(TypeError, match="X and y go with a network"):
        Lab("x", X=[[1.0]], y=[1.0])


def test_a_network_and_its_data_open_network_mode_with_its_own_weights():
    from nn import MLP, make_moons, mse_loss

    model = MLP(2, [8, 1], activation="tanh", seed=3)
    X, y = make_moons(40, seed=1)
    lab = Lab(model, X, y)
    state = lab._state
    assert lab.mode == "network" and state["net"] == "2-8-1" and state["act"] == "tanh"
    weights = dict(pair.rsplit(":", 1) for pair in state["w"].split(";"))
    assert {k: float(v) for k, v in weights.items()} == {
        p.label: p.data for p in model.parameters()}
    # the page's request for this state answers with this very network's loss on sample 0
    answer = lab.session.call("network.set", {
        "preset": "custom", "sizes": [2, 8, 1], "activation": "tanh",
        "output_activation": "linear", "x": X[0].tolist(), "y": float(y[0]),
        "weights": {k: float(v) for k, v in weights.items()}})
    assert answer["loss"] == mse_loss(model(X[0].tolist()), float(y[0]), half=True).data
    lab.mode = "train"
    assert lab._state["data"] == "csv" and lab._state["hidden"] == "8"
    run = lab.session.call("train.setup", {"dataset": "csv", "csv": "", "hidden": [8],
                                           "activation": "tanh", "loss": "mse"})
    assert run["samples"] == 40   # the notebook's data, not the page's empty box
    with pytest.raises(ValueError, match="X has 40 rows and y 3 numbers"):
        Lab(model, X, y[:3])
    with pytest.raises(ValueError, match="at most 16 neurons"):
        Lab(MLP(2, [32, 1]), X, y)
    with pytest.raises(ValueError, match="mode must be"):
        lab.mode = "play"
