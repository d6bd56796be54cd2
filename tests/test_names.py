"""One generated name per unlabelled node, shared by explain, draw_dot, the page and the CLI."""

import json
import re
import shutil

import pytest

from autograd import Value, explain, topological_order
from autograd.names import display_names
from visualize import animate_backward, draw_dot
from visualize.cli import main


def neuron():
    x, w, b = Value(2.0, label="x"), Value(-3.0, label="w"), Value(6.88, label="b")
    out = (x * w + b).tanh()
    out.label = "out"
    return out, x


def test_labels_first_then_op_word_and_counter_in_topological_order():
    a = Value(1.0, label="a")
    c = (a * a + a * 2.0) ** 2
    names = display_names(c)
    order = topological_order(c)
    assert list(names) == order
    assert [names[v] for v in order if v._prev] == ["mul1", "mul2", "add1", "pow1"]
    assert [names[v] for v in order if not v._prev] == ["a", "leaf1"]
    assert display_names(c) == names          # the same graph, the same names


def test_generated_names_never_repeat_a_label():
    a = Value(1.0, label="mul1")
    b = a * 3.0
    c = b * b
    names = display_names(c)
    assert names[a] == "mul1" and names[b] == "mul2" and names[c] == "mul3"
    assert len(set(names.values())) == len(names)


def test_symbol_only_ops_are_nodes_and_bad_input_is_refused():
    x = Value(1.0, label="x")
    assert display_names(Value(2.0, (x,), "@@", "", (1.0,)))[x] == "x"
    assert list(display_names(Value(2.0, (x,), "@@", "", (1.0,))).values())[-1] == "node1"
    with pytest.raises(TypeError, match="display_names"):
        display_names(2.0)


@pytest.mark.svg
def test_explain_the_picture_the_page_and_the_cli_use_the_same_names(tmp_path, capsys,
                                                                      monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: None)
    out, x = neuron()
    out.backward()
    text = str(explain(out, x))
    assert "∂out/∂add1 · ∂add1/∂mul1 · ∂mul1/∂x" in text
    src = draw_dot(out).source
    assert '"mul1\\ndata -6' in src and '"add1\\ndata 0.88' in src
    page = animate_backward(neuron()[0], tmp_path / "p.html").read_text()
    raw = re.search(r'id="frames">(.*?)</script>', page, re.S).group(1)
    steps = [s["text"] for s in json.loads(raw)["steps"]]
    slope = f"{1 - out.data ** 2:.4g}"           # tanh' at add1
    assert steps[:2] == [f"add1.grad += {slope} × 1 = {slope}, so add1.grad = {slope}",
                         f"mul1.grad += 1 × {slope} = {slope}, so mul1.grad = {slope}"]
    assert main(["tanh(x*w + b)", "--set", "x=2", "w=-3", "b=6.88", "--no-render"]) == 0
    printed = capsys.readouterr().out
    assert re.search(r"^\s+mul1\s+\*\s+-6\s", printed, re.M)
    assert re.search(r"^\s+add1\s+\+\s+0.88\s", printed, re.M)
