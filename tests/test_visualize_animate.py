"""animate_backward: one frame per backward step (plus step 0), self-contained, ids that exist."""

import json
import re
import shutil

import pytest

from autograd import Value, backward_steps
from visualize import animate_backward

pytestmark = pytest.mark.webassembly   # the page holds the graph laid out as SVG, without dot

@pytest.fixture(autouse=True)
def no_system_dot(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: None)


def expression():
    x, w, b = Value(2.0, label="x"), Value(-3.0, label="w"), Value(6.8813735870195432, label="b")
    n = x * w + b
    n.label = "n"
    y = n.tanh() + x * x
    y.label = "y"
    return y, x, w, b


def frames(page: str) -> dict:
    raw = re.search(r'<script type="application/json" id="frames">(.*?)</script>', page, re.S)
    return json.loads(raw.group(1))


def test_one_frame_per_backward_step(tmp_path):
    y, *_ = expression()
    expected = len(list(backward_steps(expression()[0])))
    page = animate_backward(y, tmp_path / "a.html").read_text()
    data = frames(page)
    assert expected == 9            # * (2), + (2), tanh (1), + (2), * (2): one step per edge
    assert len(data["steps"]) == expected
    # the page's frames are step 0 (the seed) then one per step: the slider goes 0..9
    assert "step 0" not in data["seed"] and data["seed"].startswith("y.grad = 1")
    assert data["initial"][data["root"]] == [1.0, "1"]


def test_gradients_after_the_page_equal_backward(tmp_path):
    y, x, w, b = expression()
    animate_backward(y, tmp_path / "a.html")
    y2, x2, w2, b2 = expression()
    y2.backward()
    assert (x.grad, w.grad, b.grad) == (x2.grad, w2.grad, b2.grad)


def test_every_step_names_ids_that_exist_in_the_svg(tmp_path):
    y, *_ = expression()
    page = animate_backward(y, tmp_path / "a.html").read_text()
    ids = set(re.findall(r'<g id="([^"]+)"', page))
    for s in frames(page)["steps"]:
        assert {s["node"], s["parent"], s["edge"], s["op"]} <= ids, s


def test_steps_show_the_chain_rule_and_the_accumulation(tmp_path):
    y, x, *_ = expression()
    page = animate_backward(y, tmp_path / "a.html").read_text()
    steps = frames(page)["steps"]
    to_x = [s for s in steps if s["text"].startswith("x.grad += ")]
    assert len(to_x) == 3     # x is used by x*w and twice by x*x
    assert all(s["collect"].startswith("x is used 3 times") for s in to_x)
    assert "contribution 3 of 3" in to_x[-1]["collect"]
    assert to_x[-1]["grad"] == x.grad
    # y = tanh(n) + x*x: the first step passes y's seed to the unlabelled tanh node n5
    assert steps[0]["text"] == "n5 (tanh).grad += 1 × 1 = 1"
    # deepest nodes first: y's two edges, then tanh -> n, then n's and the products' edges
    assert steps[2]["text"] == "n.grad += 0.5 × 1 = 0.5"
    assert all(s["collect"] == "" for s in steps if s["text"].startswith("w.grad"))


def test_page_is_self_contained_with_controls(tmp_path):
    y, *_ = expression()
    page = animate_backward(y, tmp_path / "a.html", title="tanh neuron").read_text()
    assert page.startswith("<!DOCTYPE html>") and "<svg" in page
    assert "<title>tanh neuron" in page
    assert not re.search(r"<(script|img|link|iframe)[^>]+(src|href)=", page)
    assert not re.search(r"https?://(?!www\.w3\.org/)", page)
    for control in ('id="first"', 'id="prev"', 'id="play"', 'id="next"', 'id="last"',
                    "ArrowRight", "ArrowLeft", "step=("):
        assert control in page


def test_a_leaf_has_no_steps(tmp_path):
    x = Value(3.0, label="x")
    data = frames(animate_backward(x, tmp_path / "a.html").read_text())
    assert data["steps"] == [] and x.grad == 1.0


def test_refusals(tmp_path):
    with pytest.raises(TypeError, match="animate_backward"):
        animate_backward(3.0, tmp_path / "a.html")
    y = Value(0.0)
    for _ in range(400):
        y = y.tanh()
    with pytest.raises(ValueError, match="401 values"):
        animate_backward(y, tmp_path / "a.html")
    assert not (tmp_path / "a.html").exists()
