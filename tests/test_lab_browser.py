"""The lab in real Chromium (Debian's, driven by playwright): every "done when" of the lab.

Each test opens the page of a server started on a free port, and every request the page
makes is checked to stay on that server (127.0.0.1).
"""

import math
import pathlib
import re
from xml.etree import ElementTree

import pytest

from autograd import Value

pytestmark = pytest.mark.browser
LOCAL = "http://127.0.0.1:"   # every request the page makes goes to a server on this machine


@pytest.fixture(scope="module")
def lab_url():
    from visualize.lab.server import create_app, running
    with running(create_app()) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    from visualize.lab import chromium
    with sync_playwright() as p:
        b = chromium.launch(p)
        yield b
        b.close()


class Lab:
    """A page of the lab, and what it asked for."""

    def __init__(self, page, url, requests, errors):
        self.page, self.url, self.requests, self.errors = page, url, requests, errors

    def open(self, fragment: str = ""):
        self.page.goto(self.url + fragment)
        self.page.wait_for_selector(".lab-root[data-ready=true]", timeout=30000)
        return self.page

    def id(self, testid: str):
        return self.page.get_by_test_id(testid)


@pytest.fixture
def lab(browser, lab_url):
    context = browser.new_context(viewport={"width": 1400, "height": 900},
                                  accept_downloads=True)
    requests, errors = [], []

    def route(r):
        requests.append(r.request.url)
        if r.request.url.startswith(LOCAL):
            r.continue_()
        else:
            r.abort()
    context.route("**/*", route)
    page = context.new_page()
    page.on("pageerror", lambda e: errors.append(f"page error: {e}"))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    yield Lab(page, lab_url, requests, errors)
    context.close()
    outside = [u for u in requests if not u.startswith(LOCAL)]
    assert requests and not outside, f"requests left 127.0.0.1: {outside}"
    assert not errors, errors


def expect():
    from playwright.sync_api import expect as playwright_expect
    return playwright_expect


def set_formula(lab, formula: str, **values):
    lab.id("formula").fill(formula)
    for name, value in values.items():
        lab.id(f"value-{name}").wait_for()
        lab.id(f"value-{name}").fill(str(value))


def test_typed_formula_and_values_give_the_engines_gradients(lab):
    lab.open()
    set_formula(lab, "tanh(x*w + b)", x=0.5, w=-1.25, b=0.3)
    x, w, b = Value(0.5, label="x"), Value(-1.25, label="w"), Value(0.3, label="b")
    out = (x * w + b).tanh()
    out.backward()
    for name, v in (("x", x), ("w", w), ("b", b)):
        grad = lab.id(f"grad-{name}")
        expect()(grad).to_have_text(f"∂out/∂{name} = {v.grad:.4g}")
        assert float(grad.get_attribute("data-value")) == v.grad   # exactly the engine's
    expect()(lab.id("output")).to_have_attribute("data-value", repr(out.data))
    svg = lab.id("graph").locator("svg")
    expect()(svg.locator("g.node#n0")).to_contain_text(f"grad {x.grad:.4g}")
    assert svg.locator("g.edge.hoverable").count() == 5


def test_a_refused_formula_shows_its_error_and_the_page_keeps_working(lab):
    lab.open()
    expect()(lab.id("grad-x")).to_have_attribute("data-value", re.compile(r"."))
    lab.id("formula").fill("x.__class__ + w")
    expect()(lab.id("formula-error")).to_contain_text("attribute access")
    assert lab.id("graph").locator("svg").count() == 1   # the last picture stays
    lab.id("formula").fill("x" * 2001)
    expect()(lab.id("formula-error")).to_have_text(
        "The formula has 2001 characters; at most 2000 are read. Nothing was computed.")
    set_formula(lab, "x*y + y", x=3, y=4)
    expect()(lab.id("formula-error")).to_be_empty()
    expect()(lab.id("grad-y")).to_have_attribute("data-value", "4")
    expect()(lab.id("grad-x")).to_have_attribute("data-value", "4")


def test_hover_an_edge_shows_its_local_derivative_with_the_numbers_plugged_in(lab):
    lab.open()
    lab.id("graph").locator("g.edge#n4_n5op_0 text").hover()   # add1 -> tanh
    tip = lab.id("explain-edge")
    expect()(tip).to_contain_text("Local derivative of tanh")
    expect()(tip.locator(".katex")).to_contain_text("0.7064")        # tanh(add1) plugged in
    t = math.tanh(2 * -3 + 6.88)
    assert float(tip.get_attribute("data-local")) == pytest.approx(1 - t * t, rel=1e-12)
    lab.page.mouse.move(2, 2)
    expect()(tip).to_be_hidden()


def test_click_a_value_shows_its_gradient_as_a_sum_over_paths_and_the_sgd_update(lab):
    lab.open("#f=a*a%20%2B%20a*b&v=a:2,b:5")
    expect()(lab.id("grad-a")).to_have_attribute("data-value", "9")
    lab.id("graph").locator("g.node#n0").click()
    box = lab.id("explain-value")
    expect()(box).to_contain_text("∂out/∂a: the sum over every path")
    expect()(box.locator(".paths .math")).to_have_text(re.compile(r"=2\+2\+5=9\s*$"))
    lab.id("lr").fill("0.5")
    expect()(lab.id("sgd")).to_have_attribute("data-after", "-2.5")   # 2 - 0.5 × 9
    assert lab.id("graph").locator("g.node#n0.selected").count() == 1


def step_texts(lab, n):
    texts = [lab.id("step-text").text_content()]
    for _ in range(n):
        before = lab.id("step-text").get_attribute("data-index")
        lab.id("step-next").click()
        expect()(lab.id("step-text")).not_to_have_attribute("data-index", before)
        texts.append(lab.id("step-text").text_content())
    return texts


def test_step_through_a_pass_forwards_and_backwards(lab):
    lab.open()
    expect()(lab.id("grad-x")).to_have_attribute("data-value", re.compile("."))
    lab.id("tool-step").click()
    expect()(lab.id("step-counter")).to_have_text("step 0 of 6")
    texts = step_texts(lab, 6)
    assert texts[0].startswith("out.grad = 1: the seed")
    assert texts[1] == "add1.grad += 0.501 × 1 = 0.501, so add1.grad = 0.501"
    assert texts[-1].startswith("Done: every value holds ∂out/∂value")
    graph = lab.id("graph")
    expect()(graph.locator("g.node#n0")).to_contain_text("grad -1.503")   # x after the pass
    lab.id("step-first").click()
    expect()(graph.locator("g.node#n0")).to_contain_text("grad 0")
    lab.id("step-next").click()
    assert graph.locator("g.edge.hl-edge#n4_n5op_0").count() == 1
    lab.id("step-prev").click()
    expect()(lab.id("step-text")).to_contain_text("the seed")


def test_step_shows_plus_equals_where_a_value_collects_from_several_uses(lab):
    lab.open("#f=a*a%20%2B%20a&v=a:3&tool=step")
    expect()(lab.id("step-counter")).to_have_text("step 0 of 5")
    step_texts(lab, 4)
    expect()(lab.id("step-collect")).to_have_text(
        "a is used 3 times: this is contribution 3 of 3; its gradient is their sum (+=).")
    expect()(lab.id("step-text")).to_have_text("a.grad += 3 × 1 = 3, so a.grad = 7")


def test_check_a_right_and_a_wrong_derivative(lab):
    lab.open()
    lab.id("tool-check").click()
    lab.id("check-wrt").select_option("w")
    lab.id("check-input").fill("x*(1 - tanh(x*w + b)**2)")
    lab.id("check-run").click()
    verdict = lab.id("check-verdict")
    expect()(verdict).to_have_attribute("data-ok", "true", timeout=20000)
    expect()(verdict).to_contain_text("Right: your formula equals ∂out/∂w")
    lab.id("check-input").fill("(1 - tanh(x*w + b)**2)")
    lab.id("check-input").press("Enter")
    expect()(verdict).to_have_attribute("data-ok", "false", timeout=20000)
    expect()(verdict).to_contain_text("Not right.")
    expect()(verdict.locator("li[data-kind=missing]")).to_contain_text("A factor is missing:")
    lab.id("check-input").fill("x +")
    lab.id("check-run").click()
    expect()(verdict).to_have_attribute("data-ok", "error")
    expect()(verdict).to_contain_text("not a valid formula")


def test_network_mode_click_a_weight_for_its_slider_and_expand_a_neuron_in_place(lab):
    from nn import MLP, mse_loss
    lab.open()
    lab.id("mode-network").click()
    expect()(lab.id("network-loss")).to_contain_text("L = ½(ŷ − y)² = ")
    lab.id("network-diagram").locator("g#W1_2_1_label").click()       # W[1]_21
    lab.id("value-W[1]_21").fill("0.25")
    model = MLP(3, [4, 1], activation="sigmoid", output_activation="sigmoid", seed=0)
    model.layers[0].neurons[0].w[1].data = 0.25
    loss = mse_loss(model([Value(0.5, label="x_1"), Value(-0.2), Value(0.8)]), 0.9, half=True)
    loss.backward()
    expect()(lab.id("network-loss")).to_have_attribute("data-value", repr(loss.data))
    grad = model.layers[0].neurons[0].w[1].grad
    expect()(lab.id("grad-W[1]_21")).to_have_attribute("data-value", repr(grad))
    assert lab.id("network-diagram").locator("g.chosen#W1_2_1").count() == 1
    graph = lab.id("network-graph")
    expect()(graph.locator("svg")).not_to_contain_text("W[1]_12")      # collapsed
    neuron = graph.locator("g.node.click-expand", has_text="a[1]_2")
    neuron.click()
    expect()(graph.locator("svg")).to_contain_text("W[1]_12")          # expanded in place
    expect()(graph.locator("svg")).not_to_contain_text("W[1]_11")      # the others stay
    lab.id("expand-reset").click()
    expect()(graph.locator("svg")).not_to_contain_text("W[1]_12")
    lab.id("tool-step").click()
    lab.id("step-full-view").click()
    expect()(lab.id("step-counter")).to_contain_text("step 0 of")
    expect()(lab.id("view")).to_have_value("full")


def test_train_twenty_steps_on_moons_and_the_loss_falls(lab):
    lab.open("#mode=train&data=moons")
    loss = lab.id("loss")
    expect()(loss).to_have_attribute("data-step", "0", timeout=20000)
    start = float(loss.get_attribute("data-value"))
    for k in range(1, 21):
        lab.id("train-step").click()
        expect()(loss).to_have_attribute("data-step", str(k))
    end = float(loss.get_attribute("data-value"))
    assert end < 0.6 * start, (start, end)
    assert lab.id("train-diagram").locator("svg g#W1_1_1").count() == 1
    lab.id("train-diagram").locator("g#W3_1_1").click()          # follow W[3]_1,1
    lab.id("train-step").click()
    expect()(lab.id("train-chosen")).to_contain_text("W[3]_1,1 at step 21")
    lab.id("train-play").click()
    expect()(lab.id("train-play")).to_have_attribute("data-playing", "true")
    expect()(loss).to_have_attribute("data-step", re.compile(r"^(3[1-9]|[4-9]\d|\d{3,})$"),
                                     timeout=30000)
    lab.id("train-play").click()
    expect()(lab.id("train-play")).not_to_have_attribute("data-playing", "true")
    lab.page.wait_for_timeout(1500)            # the request under way when paused lands
    stopped = loss.get_attribute("data-step")
    lab.page.wait_for_timeout(1000)
    assert loss.get_attribute("data-step") == stopped


def test_a_pasted_csv_with_junk_or_a_million_rows_is_refused_with_a_message(lab):
    lab.open("#mode=train")
    expect()(lab.id("loss")).to_have_attribute("data-step", "0", timeout=20000)
    lab.id("train-dataset").select_option("csv")
    lab.id("train-csv").fill("x1,x2,y\n1,2,0\n3,oops,1\n")
    lab.id("train-setup").click()
    expect()(lab.id("train-error")).to_have_text("Row 3, column 2: 'oops' is not a number.")
    asked = len(lab.requests)
    lab.id("train-csv").evaluate("""el => {
        const data = new DataTransfer();
        data.setData("text/plain", "1,2,0\\n".repeat(1000000));
        el.dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true,
                                                      cancelable: true}));
    }""")
    expect()(lab.id("train-error")).to_have_text(
        "The CSV has 6000000 characters; at most 200000 are read.")
    lab.id("train-csv").evaluate("el => { el.value = '1,2,0\\n'.repeat(40000); }")
    lab.id("train-setup").click()
    expect()(lab.id("train-error")).to_have_text(
        "The CSV has 240000 characters; at most 200000 are read.")
    assert len(lab.requests) == asked          # refused in the page, before any request
    lab.id("train-csv").fill("x1,x2,y\n" + "\n".join(f"{i % 3},{i % 4},{i % 2}"
                                                      for i in range(30)))
    lab.id("train-setup").click()
    expect()(lab.id("train-error")).to_be_empty()
    expect()(lab.id("train-status")).to_contain_text("30 samples")


HOSTILE = ['</script><script>window.pwned = 1</script>', "<!-- x", "\"quote's\"",
           "{brace}|<b>", "<img src=x onerror=\"window.pwned = 2\">"]


def hostile_session():
    """A session whose expression mode shows a graph labelled by an attacker."""
    from visualize.lab import expression
    from visualize.lab.session import LabSession

    class Hostile(LabSession):
        def _expression(self, p):
            leaves = {label: Value(1.0 + i / 4, label=label) for i, label in enumerate(HOSTILE)}
            a, b, c, d, e = leaves.values()
            out = (a * b + c).tanh() * d + e
            out.label = HOSTILE[-1]
            out.backward()
            graph, response = expression.respond(p.text("formula", limit=2000), out, leaves)
            self.graphs["expression"] = graph
            self.titles["expression"] = HOSTILE[0]
            return response
    return Hostile


@pytest.fixture
def hostile_lab(lab):
    from visualize.lab.server import create_app, running
    with running(create_app(hostile_session())) as url:
        lab.url = url
        yield lab


def assert_inert(page):
    """No markup came from the labels: the page's own script only, no image, nothing ran."""
    assert page.locator("script:not([type='application/json'])").count() == 1
    assert page.locator("img").count() == 0 and page.locator("svg script").count() == 0
    assert page.evaluate("() => window.pwned") is None


def test_hostile_labels_stay_text_everywhere(hostile_lab, tmp_path):
    lab = hostile_lab
    lab.requests.clear()
    lab.open()
    graph = lab.id("graph")
    for label in HOSTILE:
        expect()(lab.id(f"grad-{label}")).to_contain_text(label)       # a slider per leaf
        expect()(graph.locator("svg")).to_contain_text(label)
    lab.id(f"value-{HOSTILE[0]}").fill("0.5")
    expect()(lab.id(f"value-{HOSTILE[0]}")).to_have_value("0.5")
    graph.locator("g.node#n0").click()                                  # explain: KaTeX
    expect()(lab.id("explain-value").locator(".katex").first).to_be_visible()
    graph.locator("g.edge.hoverable text").first.hover()
    expect()(lab.id("explain-edge")).to_be_visible()
    lab.id("tool-step").click()
    expect()(lab.id("step-text")).to_contain_text(HOSTILE[-1])
    assert_inert(lab.page)
    with lab.page.expect_download() as svg_download:
        lab.id("export-svg").click()
    svg = pathlib.Path(svg_download.value.path()).read_text()
    root = ElementTree.fromstring(svg)                  # well-formed XML
    texts = "".join(root.itertext())
    assert all(label.replace("<b>", "") in texts or label in texts for label in HOSTILE)
    assert "<script" not in svg
    with lab.page.expect_download() as page_download:
        lab.id("export-page").click()
    html = pathlib.Path(page_download.value.path()).read_text()
    assert "<!--lab:svg-->" not in html and html.count("<svg") >= 1
    page = lab.page.context.new_page()
    page.set_content(html)
    expect()(page.locator("#step-text")).to_contain_text("grad")
    assert_inert(page)
    page.close()


def test_hostile_formulas_are_refused_as_text(lab):
    lab.open()
    expect()(lab.id("grad-x")).to_have_attribute("data-value", re.compile("."))
    for formula in ['</script><script>window.pwned=1</script>', "<!--", "x' + \"y\"",
                    "{x: 1}", "x <img src=x onerror=window.pwned=1>"]:
        lab.id("formula").fill(formula)
        expect()(lab.id("formula-error")).to_contain_text("refused")
    assert_inert(lab.page)
    lab.id("formula").fill("x*y")
    expect()(lab.id("formula-error")).to_be_empty()


def test_reload_from_a_shared_url_gives_the_same_view(lab):
    lab.open()
    set_formula(lab, "sigmoid(a*b) + a", a=1.5, b=-0.5)
    lab.id("tool-step").click()
    for _ in range(3):
        lab.id("step-next").click()
    expect()(lab.id("step-counter")).to_have_text("step 3 of 6")
    expect()(lab.page).to_have_url(re.compile(r"#.*step=3"))   # the URL follows the view
    text, url = lab.id("step-text").text_content(), lab.page.url
    assert "#" in url and "step=3" in url
    other = lab.page.context.new_page()
    other.goto(url)
    other.wait_for_selector(".lab-root[data-ready=true]")
    expect()(other.get_by_test_id("step-text")).to_have_text(text)
    expect()(other.get_by_test_id("formula")).to_have_value("sigmoid(a*b) + a")
    expect()(other.get_by_test_id("value-b")).to_have_value("-0.5")
    other.close()
    lab.id("mode-network").click()
    lab.id("network-diagram").locator("g#W2_3_1_label").click()
    lab.id("value-W[2]_31").fill("1.5")
    lab.id("view").select_option("full")
    expect()(lab.id("network-graph").locator("svg")).to_contain_text("W[1]_21")
    expect()(lab.page).to_have_url(re.compile(r"#.*view=full"))
    loss = lab.id("network-loss").get_attribute("data-value")
    again = lab.page.context.new_page()
    again.goto(lab.page.url)
    again.wait_for_selector(".lab-root[data-ready=true]")
    expect()(again.get_by_test_id("network-loss")).to_have_attribute("data-value", loss)
    expect()(again.get_by_test_id("value-W[2]_31")).to_have_value("1.5")
    expect()(again.get_by_test_id("view")).to_have_value("full")
    again.close()


def cjk_count(page) -> int:
    """Chinese characters the page shows, the language switch's own "中文" left out."""
    text = page.evaluate("document.body.innerText").replace("中文", "", 1)
    return len(re.findall(r"[\u4e00-\u9fff]", text))


def numbers(lab) -> dict:
    """What the engine said, as the page holds it: each gradient and the output."""
    expect()(lab.id("grad-b")).to_have_attribute("data-value", re.compile("."))
    return {name: lab.id(f"grad-{name}").get_attribute("data-value") for name in "xwb"} | {
        "out": lab.id("output").get_attribute("data-value")}


def test_lang_zh_shows_the_lab_in_chinese_with_the_same_numbers(lab):
    page = lab.open("#f=tanh(x*w%20%2B%20b)&v=x:0.5,w:-1.25,b:0.3")
    english = numbers(lab)
    assert cjk_count(page) == 0
    page = lab.open("?lang=zh#f=tanh(x*w%20%2B%20b)&v=x:0.5,w:-1.25,b:0.3")
    assert numbers(lab) == english
    assert cjk_count(page) > 60
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    expect()(lab.id("mode-train")).to_have_text("训练")
    expect()(lab.id("lang")).to_have_value("zh")
    lab.id("tool-step").click()
    expect()(lab.id("step-counter")).to_have_text("第 0 步，共 6 步")
    lab.id("formula").fill("x" * 2001)
    expect()(lab.id("formula-error")).to_have_text(
        "公式有 2001 个字符，最多只读取 2000 个。没有做任何计算。")   # the session's words too


def test_the_switch_changes_the_language_live_and_keeps_the_view(lab):
    page = lab.open("#f=a*a%20%2B%20a&v=a:3&tool=step&step=2")
    expect()(lab.id("step-counter")).to_have_text("step 2 of 5")
    before = lab.id("step-text").text_content()
    lab.id("lang").select_option("zh")
    expect()(lab.id("step-counter")).to_have_text("第 2 步，共 5 步")
    assert lab.id("step-text").text_content() != before
    assert re.search(r"a\.grad = 7|a\.grad \+= ", lab.id("step-text").text_content())
    assert "lang=zh" in page.url and "step=2" in page.url
    assert cjk_count(page) > 40
    lab.id("mode-train").click()                       # a run goes on through a switch
    expect()(lab.id("loss")).to_have_attribute("data-step", "0", timeout=20000)
    for k in (1, 2, 3):
        lab.id("train-step").click()
        expect()(lab.id("loss")).to_have_attribute("data-step", str(k))
    loss = lab.id("loss").get_attribute("data-value")
    expect()(lab.id("train-status")).to_contain_text("第 3 步")
    lab.id("lang").select_option("en")
    expect()(lab.id("train-status")).to_contain_text("step 3 · epoch")
    expect()(lab.id("loss")).to_have_attribute("data-value", loss)
    assert cjk_count(page) == 0 and "lang=en" in page.url
    lab.id("mode-expression").click()                  # the other mode kept its state too
    expect()(lab.id("step-counter")).to_have_text("step 2 of 5")


def test_check_offers_the_exercises_of_a_seed_shared_by_the_link(lab):
    from nn.exercises import exercises

    drawn = exercises(seed=7)
    page = lab.open("#tool=check")
    lab.id("check-exercises").click()
    prompt = lab.id("exercise-prompt")
    expect()(prompt).to_have_attribute("data-number", "1", timeout=20000)
    lab.id("exercise-seed").fill("7")
    lab.id("exercise-seed").dispatch_event("change")
    w1 = re.search(r"^  w1\s+(\S+)$", drawn[1].prompt, re.M).group(1)   # seed 7's value
    expect()(prompt.locator("dl div", has_text="w1")).to_have_text(f"w1{w1}")
    expect()(prompt).to_contain_text(drawn[1].title)
    expect()(prompt.locator("dl.exercise-names dt")).to_have_count(5)   # x1 x2 w1 w2 b
    assert lab.id("exercise-pick").locator("option").count() == 13
    verdict = lab.id("exercise-verdict")
    lab.id("exercise-answer").fill("w1*x1 + w2*x2 + b")
    lab.id("exercise-answer").press("Enter")
    expect()(verdict).to_have_attribute("data-ok", "false", timeout=20000)
    expect()(verdict).to_have_attribute("data-kinds", "missing_activation")
    expect()(verdict).to_contain_text(drawn[1].check("w1*x1 + w2*x2 + b").verdict)
    lab.id("exercise-pick").select_option("8")
    expect()(prompt).to_have_attribute("data-number", "8")
    expect()(prompt).to_contain_text("dZ2 = ∂L/∂Z2")
    lab.id("exercise-answer").fill("A1 @ dZ2.T")
    lab.id("exercise-run").click()
    expect()(verdict).to_have_attribute("data-kinds", "shape transpose", timeout=20000)
    lab.id("exercise-answer").fill("dZ2 @ A1.T")
    lab.id("exercise-run").click()
    expect()(verdict).to_have_attribute("data-ok", "true", timeout=20000)
    expect()(lab.id("exercise-score")).to_contain_text("1 of 13")
    lab.id("exercise-answer").fill("open('x')")
    lab.id("exercise-run").click()
    expect()(verdict).to_have_attribute("data-ok", "refused", timeout=20000)
    lab.id("exercise-next").click()
    expect()(prompt).to_have_attribute("data-number", "9")
    page.wait_for_timeout(400)                          # the link follows the view
    assert "exseed=7" in page.url and "ex=9" in page.url
    other = page.context.new_page()                     # a student opens the teacher's link
    other.goto(page.url)
    expect()(other.get_by_test_id("exercise-prompt")).to_have_attribute("data-number", "9",
                                                                         timeout=20000)
    expect()(other.get_by_test_id("exercise-prompt")).to_contain_text(drawn[9].title)
    expect()(other.get_by_test_id("exercise-seed")).to_have_value("7")
    other.close()


def test_arrow_keys_step_and_typing_in_a_field_does_not(lab):
    page = lab.open("#f=a*a%20%2B%20a&v=a:3&tool=step")
    counter = lab.id("step-counter")
    expect()(counter).to_have_text("step 0 of 5")
    page.keyboard.press("ArrowRight")
    expect()(counter).to_have_text("step 1 of 5")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowLeft")
    expect()(counter).to_have_text("step 1 of 5")
    page.keyboard.press("End")
    expect()(counter).to_have_text("step 5 of 5")
    page.keyboard.press("Home")
    expect()(counter).to_have_text("step 0 of 5")
    lab.id("formula").click()                 # the keys are the field's while it has focus
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowLeft")
    lab.id("value-a").focus()
    page.keyboard.press("ArrowRight")
    lab.id("slider-a").focus()
    page.keyboard.press("ArrowLeft")
    expect()(counter).to_have_text("step 0 of 5")
    page.wait_for_timeout(300)
    expect()(lab.id("value-a")).to_have_value("2.99")   # the slider took its own key
    lab.id("step-next").click()                # a button has the focus: the keys step again
    page.keyboard.press("ArrowRight")
    expect()(counter).to_have_text("step 2 of 5")


def test_a_long_explanation_in_network_mode_wraps_instead_of_scrolling_sideways(lab):
    lab.open("#mode=network&view=full")
    lab.id("network-graph").locator("g.node", has_text="W[1]_21").first.click()
    box = lab.id("explain-value")
    expect()(box.locator(".paths .math.wrapped .katex").first).to_be_visible()
    sizes = box.locator(".paths .math.wrapped").evaluate(
        "e => [e.scrollWidth, e.clientWidth, e.children.length, e.getBoundingClientRect().height]")
    scroll, width, rows, height = sizes
    assert scroll <= width + 1, sizes          # nothing hidden to the right
    assert rows == 3                           # the chain, its factors, their numbers
    one_line = box.locator(".paths .math.wrapped > div").first.evaluate(
        "e => e.getBoundingClientRect().height")
    assert height > 3 * one_line * 0.9 and width < 700   # a narrow pane: the rows wrap


FIT_SCALE = """svg => svg.getBoundingClientRect().width / (svg.viewBox.baseVal.width * 4 / 3)"""


def test_the_network_diagrams_are_readable_at_fit_at_1400_by_900(lab):
    """Each diagram, fitted whole in its pane, keeps its text at 60% or more of its size
    (12-pt text: 10 px and up): 2-16-16-1 in train mode, 3-4-1 in network mode."""
    lab.open("#mode=train&data=moons")
    svg = lab.id("train-diagram").locator("svg")
    expect()(svg.locator("g#W1_1_1")).to_have_count(1, timeout=20000)
    assert svg.locator("text", has_text="a[2]_16").count() == 1      # 2-16-16-1, all of it
    box = svg.bounding_box()
    pane = lab.id("train-diagram").bounding_box()
    assert box["height"] <= pane["height"] + 1 and box["width"] <= pane["width"] + 1
    assert svg.evaluate(FIT_SCALE) >= 0.6
    lab.id("mode-network").click()
    svg = lab.id("network-diagram").locator("svg")
    expect()(svg.locator("g#W1_2_1")).to_have_count(1, timeout=20000)
    assert svg.evaluate(FIT_SCALE) >= 0.75
