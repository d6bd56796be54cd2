"""The notebook widget's front-end in Chromium, against a stub of anywidget's model.

The stub does what anywidget and ipywidgets do between a view and the kernel: ``get``/``set``/
``save_changes`` of synced traits, ``send`` of custom messages (with binary buffers), and
``msg:custom`` events; here each message goes to the real ``Lab`` object of this Python process
(through playwright's exposed functions), so the page drives the kernel's session exactly as in
a notebook. The entry module is loaded as anywidget loads it: one module from a blob: URL.
"""

import base64
import json
import re

import pytest

from autograd import Value

pytestmark = pytest.mark.browser
pytest.importorskip("anywidget", reason="the widget needs the extra 'notebook'")

from tests.lab_support import Page, chromium, static_server  # noqa: E402
from visualize.lab.widget import Lab  # noqa: E402

STUB = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>stub notebook</title></head>
<body><h1>A notebook</h1><div id="cell"></div>
<script type="module">
// A stub of anywidget's model: traits, custom messages, events.
function decode(b64) {
  const raw = atob(b64);
  const out = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
  return new DataView(out.buffer);
}
function makeModel(traits) {
  const data = { ...traits };
  const listeners = {};
  const emit = (name, ...args) => (listeners[name] || []).slice().forEach((f) => f(...args));
  const deliver = (replies) => {
    for (const r of JSON.parse(replies)) {
      setTimeout(() => {
        if (r.trait) { data[r.trait] = r.value; emit(`change:${r.trait}`); }
        else emit("msg:custom", r.content, r.buffers.map(decode));
      }, 0);
    }
  };
  let dirty = {};
  return {
    get: (k) => data[k],
    set: (k, v) => { data[k] = v; dirty[k] = v; emit(`change:${k}`); },
    save_changes: () => {
      const d = dirty;
      dirty = {};
      window.kernelSave(JSON.stringify(d)).then(deliver);
    },
    on: (name, f) => { (listeners[name] ||= []).push(f); },
    off: (name, f) => { listeners[name] = (listeners[name] || []).filter((g) => g !== f); },
    send: (content) => { window.kernelMessage(JSON.stringify(content)).then(deliver); },
    fromKernel: deliver,
  };
}
window.startStub = async (traits, esm) => {
  window.model = makeModel(traits);
  const url = URL.createObjectURL(new Blob([esm], { type: "text/javascript" }));
  const widget = (await import(url)).default;
  const el = document.getElementById("cell");
  window.cleanup = await widget.render({ model: window.model, el });
  return true;
};
</script></body></html>
"""


class Kernel:
    """The Python end of the stub: a Lab whose outgoing messages are returned to the page."""

    def __init__(self, lab, answers: bool = True):
        self.lab, self.out, self.kinds, self.answers = lab, [], [], answers
        lab.send = lambda content, buffers=None: self.out.append(
            {"content": content, "buffers": [base64.b64encode(b).decode()
                                             for b in (buffers or [])]})

    def flush(self) -> str:
        out, self.out = self.out, []
        return json.dumps(out)

    def message(self, text: str) -> str:
        content = json.loads(text)
        self.kinds.append(content.get("kind"))
        if self.answers:
            self.lab._on_message(self.lab, content, [])
        return self.flush()

    def save(self, text: str) -> str:
        self.lab.set_state(json.loads(text))   # as ipywidgets applies a view's changes
        return self.flush()

    def push(self, page, trait: str = "_state"):
        """What ipywidgets does after Python set a trait: the view's model changes."""
        page.evaluate("s => window.model.fromKernel(s)",
                      json.dumps([{"trait": trait, "value": getattr(self.lab, trait)}]))


@pytest.fixture(scope="module")
def stub_url(tmp_path_factory):
    folder = tmp_path_factory.mktemp("stub")
    (folder / "index.html").write_text(STUB)
    with static_server(folder) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


@pytest.fixture
def widget(browser, stub_url):
    def open_widget(lab, answers: bool = True):
        kernel = Kernel(lab, answers)
        page = Page(browser, stub_url)
        page.page.expose_function("kernelMessage", kernel.message)
        page.page.expose_function("kernelSave", kernel.save)
        page.page.goto(stub_url)
        page.page.evaluate("([t, esm]) => { window.startStub(t, esm); }",
                           [{"_state": lab._state, "_files": lab._files, "height": lab.height,
                             "_snapshot": lab._snapshot, "language": lab.language}, Lab._esm])
        if answers:
            page.page.wait_for_selector(".lab-root[data-ready=true]", timeout=30000)
        opened.append(page)
        return page, kernel

    opened = []
    yield open_widget
    for page in opened:
        page.close()
        page.assert_stayed_home()
        assert not page.errors, page.errors


def expect():
    from playwright.sync_api import expect as playwright_expect
    return playwright_expect


def engine_grads(formula_values):
    x, w, b = (Value(formula_values[n], label=n) for n in "xwb")
    out = (x * w + b).tanh()
    out.backward()
    return {"x": x.grad, "w": w.grad, "b": b.grad}


def test_the_widget_shows_pythons_state_and_a_moved_value_reaches_the_kernel(widget):
    lab = Lab("tanh(x*w + b)", x=2, w=-3, b=6.88)
    page, _ = widget(lab)
    expect()(page.by("formula")).to_have_value("tanh(x*w + b)")
    expect()(page.by("grad-w")).to_have_attribute("data-value", repr(lab.grads["w"]))
    assert page.page.title() == "stub notebook"   # the notebook's title is left alone
    assert page.by("copy-link").is_hidden()   # a widget has no link of its own
    page.by("value-w").fill("-1.25")
    want = engine_grads({"x": 2.0, "w": -1.25, "b": 6.88})
    expect()(page.by("grad-w")).to_have_attribute("data-value", repr(want["w"]))
    assert lab.values["w"] == -1.25 and lab.grads == want   # the kernel's state followed
    page.page.wait_for_function("() => window.model.get('_state').v.includes('w:-1.25')")


def test_a_value_set_from_python_moves_the_page(widget):
    lab = Lab("tanh(x*w + b)", x=2, w=-3, b=6.88)
    page, kernel = widget(lab)
    expect()(page.by("grad-x")).to_have_attribute("data-value", re.compile("."))
    lab.values = {"x": 0.5, "b": 0.3}
    kernel.push(page.page)
    want = engine_grads({"x": 0.5, "w": -3.0, "b": 0.3})
    expect()(page.by("value-x")).to_have_value("0.5")
    for name in "xwb":
        expect()(page.by(f"grad-{name}")).to_have_attribute("data-value", repr(want[name]))
    lab.formula = "x*y + y"
    kernel.push(page.page)
    expect()(page.by("grad-y")).to_be_visible()
    expect()(page.by("grad-x")).to_have_attribute("data-value", "1")


def test_a_formula_error_shows_on_the_page_and_in_python(widget):
    lab = Lab("x*w", x=2, w=3)
    page, _ = widget(lab)
    page.by("formula").fill("x.__class__")
    expect()(page.by("formula-error")).to_contain_text("attribute access")
    assert lab.error and "attribute access" in lab.error and lab.grads == {}
    page.by("formula").fill("x*w + 1")
    expect()(page.by("formula-error")).to_be_empty()
    expect()(page.by("grad-x")).to_have_attribute("data-value", "3")
    assert lab.error is None and lab.formula == "x*w + 1"


def test_stepping_in_the_page_is_read_from_python_and_set_from_python(widget):
    lab = Lab("a*b + a", a=3, b=2)
    page, kernel = widget(lab)
    page.by("tool-step").click()
    expect()(page.by("step-counter")).to_have_text("step 0 of 5")
    page.by("step-next").click()
    page.by("step-next").click()
    page.page.wait_for_function("() => window.model.get('_state').step === '2'")
    assert lab.step == 2 and lab.step_info["parent"] == "a"
    lab.step = 3
    kernel.push(page.page)
    expect()(page.by("step-counter")).to_have_text("step 3 of 5")
    expect()(page.by("step-text")).to_contain_text("a.grad += 2 × 1 = 2, so a.grad = 3")


def test_where_no_kernel_answers_the_widget_shows_its_still_picture(widget):
    lab = Lab("tanh(x*w + b)", x=2, w=-3, b=6.88)
    page, kernel = widget(lab, answers=False)
    picture = page.by("lab-still")
    expect()(picture).to_contain_text("backprop lab: tanh(x*w + b)")
    expect()(picture.locator("tr").nth(2)).to_have_text(
        f"w-3{lab._snapshot['rows'][1][2]}")
    if lab._snapshot["svg"]:
        expect()(picture.locator("img")).to_have_attribute("src", re.compile("^data:image/svg"))
    assert kernel.kinds == ["files"] and page.page.locator(".lab-root").count() == 0


def test_the_still_picture_gives_way_to_the_lab_once_it_is_ready(widget):
    page, _ = widget(Lab("x*w", x=2, w=3))
    expect()(page.by("lab-still")).to_have_count(0)
    expect()(page.by("grad-x")).to_have_attribute("data-value", "3")


def test_the_widgets_files_come_from_the_kernel_once_per_page(widget):
    lab = Lab("x*w")
    page, kernel = widget(lab)
    assert kernel.kinds.count("files") == 1
    styles = page.page.evaluate("() => [...document.querySelectorAll('link[rel=stylesheet]')]"
                                ".map((l) => l.href)")
    assert len(styles) == 2 and all(u.startswith("blob:") for u in styles)   # the kernel's
    page.page.evaluate("([t, esm]) => window.startStub(t, esm)",
                       [{"_state": lab._state, "_files": lab._files, "height": 300,
                         "_snapshot": lab._snapshot}, Lab._esm])
    expect()(page.page.locator(".lab-root[data-ready=true]")).to_have_count(2)   # two views
    assert page.page.evaluate("() => globalThis.__backpropLabFiles.size") == 1
    assert kernel.kinds.count("files") == 1   # a second view of the page asked for none


def test_a_graph_built_in_python_gets_sliders_and_keeps_its_labels(widget):
    from tests.test_lab_widget import lecture_graph

    L, nodes = lecture_graph()
    page, _ = widget(Lab(L))
    expect()(page.by("formula")).to_have_value("f*(a*b + c)")
    expect()(page.by("graph").locator("svg")).to_contain_text("e")
    page.by("value-a").fill("1")
    expect()(page.by("grad-f")).to_have_attribute("data-value", "7")
    assert (nodes["a"].data, nodes["a"].grad) == (2.0, 6.0)   # the notebook's Values as they were


def test_a_network_and_its_data_open_in_network_mode_and_train_on_the_notebooks_data(widget):
    from nn import MLP, make_moons, mse_loss

    model = MLP(2, [8, 1], activation="tanh", seed=3)
    X, y = make_moons(60, noise=0.1, seed=2)
    lab = Lab(model, X, y)
    page, kernel = widget(lab)
    expect()(page.by("mode-network")).to_have_attribute("aria-pressed", "true")
    want = mse_loss(model(X[0].tolist()), float(y[0]), half=True).data
    expect()(page.by("network-loss")).to_have_attribute("data-value", repr(want))
    lab.mode = "train"
    kernel.push(page.page)
    loss = page.by("loss")
    expect()(loss).to_have_attribute("data-step", "0", timeout=20000)
    assert len(lab.session.training.X) == 60   # the notebook's data set
    start = float(loss.get_attribute("data-value"))
    for k in range(1, 11):
        page.by("train-step").click()
        expect()(loss).to_have_attribute("data-step", str(k))
    assert float(loss.get_attribute("data-value")) < start


def test_the_widget_speaks_its_language_and_the_switch_and_python_change_it(widget):
    lab = Lab("tanh(x*w + b)", x=2, w=-3, b=6.88, lang="zh")
    page, kernel = widget(lab)
    expect()(page.by("mode-train")).to_have_text("训练")
    assert page.page.evaluate("document.querySelector('.lab-root').lang") == "zh-CN"
    grad = page.by("grad-w").get_attribute("data-value")
    assert float(grad) == lab.grads["w"]
    page.by("lang").select_option("en")                 # the page's switch reaches Python
    expect()(page.by("mode-train")).to_have_text("Train")
    page.page.wait_for_function("() => window.model.get('language') === 'en'")
    page.page.wait_for_timeout(200)
    assert lab.language == "en" and lab.session.language == "en"
    lab.language = "zh"                                 # and Python moves the page
    kernel.push(page.page, "language")
    expect()(page.by("mode-expression")).to_have_text("表达式")
    expect()(page.by("grad-w")).to_have_attribute("data-value", grad)   # the same numbers
