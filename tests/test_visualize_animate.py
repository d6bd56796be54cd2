"""animate_backward: one pass from zero, text and boxes agreeing at every frame, a done frame,
ids that exist, shared names, zoom, highlight colours, hostile labels inert, size refusal."""

import json
import re
from html.parser import HTMLParser

import pytest

from autograd import Value, backward_steps
from autograd.extend import display_names
from visualize import animate_backward
from visualize.animate import MAX_PAGE_NODES
from visualize.style import KINDS

# the page holds the graph laid out as SVG, without dot
pytestmark = [pytest.mark.webassembly, pytest.mark.usefixtures("no_system_dot")]


def expression():
    x, w, b = Value(2.0, label="x"), Value(-3.0, label="w"), Value(6.8813735870195432, label="b")
    n = x * w + b
    n.label = "n"
    y = n.tanh() + x * x
    y.label = "y"
    return y, x, w, b


class Scripts(HTMLParser):
    """The contents of every <script> as a browser's HTML parser splits them."""

    def __init__(self):
        super().__init__()
        self.scripts, self._inside = [], False

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self.scripts.append("")
            self._inside = True

    def handle_endtag(self, tag):
        if tag == "script":
            self._inside = False

    def handle_data(self, data):
        if self._inside:
            self.scripts[-1] += data


def frames(page: str) -> dict:
    parser = Scripts()
    parser.feed(page)
    assert len(parser.scripts) == 2 and "use strict" in parser.scripts[1]
    return json.loads(parser.scripts[0])


def replay(data):
    """Each frame's shown gradient per id, as the page computes it."""
    state = {k: v[1] for k, v in data["initial"].items()}
    states = [dict(state)]
    for s in data["steps"]:
        state[s["parent"]] = s["shown"]
        states.append(dict(state))
    return states


def test_one_frame_per_backward_step_and_a_done_frame(tmp_path):
    y, *_ = expression()
    expected = len(list(backward_steps(expression()[0])))
    page = animate_backward(y, tmp_path / "a.html").read_text()
    data = frames(page)
    assert expected == 9            # * (2), + (2), tanh (1), + (2), * (2): one step per edge
    assert len(data["steps"]) == expected
    assert data["seed"].startswith("y.grad = 1") and "every other gradient starts at 0" in \
        data["seed"]
    assert data["initial"][data["root"]] == [1.0, "1"]
    assert data["done"].startswith("Every value holds ∂y/∂value")
    assert "x.grad = 2.5" in data["done"] and "kept what they held before" not in data["done"]
    assert "last = n + 1" in page and '"done"' in page


def test_starts_from_zero_whatever_grad_held_and_text_agrees_with_boxes(tmp_path):
    y, x, w, b = expression()
    y.backward()                     # as after the README's y.backward(): stale leaf grads
    before = (x.grad, w.grad, b.grad)
    data = frames(animate_backward(y, tmp_path / "a.html").read_text())
    states = replay(data)
    assert set(states[0].values()) == {"0", "1"}   # every box starts at 0 but the seed
    ids = {s["parent"]: s["text"].split(".grad")[0] for s in data["steps"]}
    ids.update({s["node"]: None for s in data["steps"]})
    for i, s in enumerate(data["steps"]):
        m = re.fullmatch(r"(.+)\.grad \+= (\S+) × (\S+) = (\S+), so (.+)\.grad = (\S+)", s["text"])
        assert m, s["text"]
        parent, local, node_grad, contribution, again, total = m.groups()
        assert parent == again
        assert node_grad == states[i][s["node"]]          # the node's box before the step
        assert total == states[i + 1][s["parent"]] == s["shown"]   # the parent's box after
        assert float(contribution) == pytest.approx(float(local) * float(node_grad), rel=1e-3)
    w_step = next(s for s in data["steps"] if s["text"].startswith("w.grad"))
    assert w_step["text"] == "w.grad += 2 × 0.5 = 1, so w.grad = 1"   # not 2: one pass
    # looking changes nothing: .grad is what the user's own backward left
    assert (x.grad, w.grad, b.grad) == before
    assert "x.grad = 2.5" in data["done"] and "holds something else" not in data["done"]


def test_every_step_names_ids_that_exist_in_the_svg(tmp_path):
    y, *_ = expression()
    page = animate_backward(y, tmp_path / "a.html").read_text()
    ids = set(re.findall(r'<g id="([^"]+)"', page))
    for s in frames(page)["steps"]:
        assert {s["node"], s["parent"], s["edge"], s["op"]} <= ids, s


def test_unlabelled_values_have_the_names_explain_and_the_picture_use(tmp_path):
    y, x, *_ = expression()
    names = display_names(y)
    tanh_node = y._prev[0]
    page = animate_backward(y, tmp_path / "a.html").read_text()
    steps = frames(page)["steps"]
    assert names[tanh_node] == "tanh1"
    assert steps[0]["text"] == "tanh1.grad += 1 × 1 = 1, so tanh1.grad = 1"
    assert ">tanh1</text>" in page                      # the same name in the box
    to_x = [s for s in steps if s["text"].startswith("x.grad += ")]
    assert len(to_x) == 3 and all(s["collect"].startswith("x is used 3 times") for s in to_x)
    assert "contribution 3 of 3" in to_x[-1]["collect"]


def test_page_is_self_contained_with_controls_zoom_and_distinct_highlights(tmp_path):
    y, *_ = expression()
    page = animate_backward(y, tmp_path / "a.html", title="tanh neuron").read_text()
    assert page.startswith("<!DOCTYPE html>") and "<svg" in page
    assert "<title>tanh neuron" in page
    assert not re.search(r"<(script|img|link|iframe)[^>]+(src|href)=", page)
    assert not re.search(r"https?://(?!www\.w3\.org/)", page)
    for control in ('id="first"', 'id="prev"', 'id="play"', 'id="next"', 'id="last"',
                    'id="zoom-in"', 'id="zoom-out"', 'id="zoom-fit"', "ArrowRight", "ctrlKey",
                    "scrollLeft", "step=("):
        assert control in page
    highlights = set(re.findall(r"g\.hl-\w+ > \w+ \{ stroke: (#\w+)", page))
    assert highlights and not highlights & {colour for colour, _, _ in KINDS.values()}


def test_hostile_labels_are_inert_in_the_page(tmp_path):
    bad = 'a<!--<script>"{b}|c\\d</script>&lt;@DATA@'
    x = Value(2.0, label=bad)
    y = x * x
    y.label = "y"
    page = animate_backward(y, tmp_path / "a.html", title=bad).read_text()
    data = frames(page)                              # both scripts intact, JSON parses
    assert data["steps"][0]["text"].startswith(bad + ".grad += 2")
    assert data["title"] == bad
    assert page.count("<script") == 2 and page.count("</script>") == 2
    assert "<!--<script>" not in page
    assert "<title>a&lt;!--&lt;script&gt;&quot;{b}|c\\d&lt;/script&gt;&amp;lt;@DATA@ · " in page


def test_a_leaf_has_no_steps(tmp_path):
    x = Value(3.0, label="x")
    data = frames(animate_backward(x, tmp_path / "a.html").read_text())
    assert data["steps"] == [] and x.grad == 0.0


def test_refusals_state_the_size(tmp_path):
    with pytest.raises(TypeError, match="animate_backward"):
        animate_backward(3.0, tmp_path / "a.html")
    y = Value(0.0)
    for _ in range(MAX_PAGE_NODES):
        y = y.tanh()
    with pytest.raises(ValueError, match=f"{MAX_PAGE_NODES + 1} values, more than max_nodes"):
        animate_backward(y, tmp_path / "a.html")
    assert not (tmp_path / "a.html").exists()


def test_the_page_changes_no_gradient_and_says_when_grad_holds_more(tmp_path):
    """The README's section 4 in order: backward, then the page; x.grad stays -1.5."""
    x, w = Value(2.0, label="x"), Value(-3.0, label="w")
    y = (x * w).tanh()
    y.backward()
    y.backward()                                  # a second pass: leaves hold twice
    every = [(v, v.grad, v.data) for v in (x, w, y, y._prev[0])]
    data = frames(animate_backward(y, tmp_path / "a.html").read_text())
    assert [(v.grad, v.data) for v, _, _ in every] == [(g, d) for _, g, d in every]
    assert "holds something else (x.grad is" in data["done"] and "changed nothing" in data["done"]


def test_constants_show_the_gradient_they_receive(tmp_path):
    x = Value(3.0, label="x")
    y = x * 2          # the 2 is a constant: it receives 3 like any value, and the page says so
    y.label = "y"
    page = animate_backward(y, tmp_path / "a.html").read_text()
    data = frames(page)
    const = [s for s in data["steps"] if not s["text"].startswith("x.grad")]
    assert len(const) == 1 and const[0]["shown"] == "3"
    assert f'<g id="{const[0]["parent"]}"' in page
    node = page[page.index(f'<g id="{const[0]["parent"]}"'):]
    assert ">grad " in node[:node.index("</g>")]     # a grad line, which the page updates
