"""Pictures in Chinese: captions, legends, notes, titles and the backward page in the reader's
language; room for Chinese characters in Graphviz's boxes; an SVG that asks for a CJK font
first; a PNG whose Chinese characters are drawn, not boxes (tofu)."""

import json
import pathlib
import re

import pytest

from autograd import Value
from autograd.extend import using_language
from nn import MLP, mse_loss
from visualize import animate, draw_dot, draw_mlp
from visualize.style import FONT_STACK, cjk_room, esc

CJK_FONTS = ("Noto Sans CJK", "Source Han Sans", "WenQuanYi", "Droid Sans Fallback")


def neuron():
    x, w, b = Value(2.0, label="x"), Value(-3.0, label="w"), Value(6.88, label="b")
    y = (x * w + b).tanh()
    y.label = "y"
    return y


def network_loss(samples=1):
    model = MLP(3, [4, 1], activation="sigmoid", output_activation="sigmoid", seed=0)
    xs = [[0.1 * (i + j) for j in range(3)] for i in range(samples)]
    loss = mse_loss([model(x) for x in xs], [0.5] * samples)
    loss.backward()
    return model, loss


def test_room_for_chinese_characters_where_the_line_leaves_space():
    assert cjk_room("legend x1") == "legend x1"          # no wide character: unchanged
    assert cjk_room("图例") == " 图例 "                     # 2 × 0.17 em: two spaces, centred
    assert cjk_room("第 1 层（隐藏层）", "left") == "第 1 层（隐藏层）" + " " * 5
    assert cjk_room("第 1 层（隐藏层）", "right") == " " * 5 + "第 1 层（隐藏层）"
    assert esc("填充 & 边", "left") == "填充 &amp; 边" + " " * 2


def test_draw_dot_in_chinese_legend_notes_and_boxes():
    y = neuron()
    with using_language("zh"):
        values_only = draw_dot(y).legend_source          # no backward yet: values only
        y.backward()
        y.backward()                                      # twice: stale gradients
        stale = draw_dot(y).legend_source
    assert "只有数值：还没有从这个根节点运行过反向传播" in values_only
    assert "图例" in stale and "梯度已过时：有 3 个值累加了这张图不止一遍的反向传播" in stale
    assert "边上的数字：局部导数 ∂(运算的输出)/∂(这个输入)" in stale
    assert "参数（双边框）" not in stale and "你建的值（粗边框）" in stale
    assert re.search(r'label="图例 *\\l', stale)                     # the frame's first line
    assert "图例" not in draw_dot(y).legend_source                 # English again outside


def test_collapsed_views_and_the_plate_in_chinese():
    _, loss = network_loss()
    _, many = network_loss(samples=5)
    with using_language("zh"):
        layer = draw_dot(loss, collapse="layer").source
        neuron_view = draw_dot(loss, collapse="neuron").source
        plate = draw_dot(many, collapse="plate").source
    assert "第 1 层：4 × sigmoid" in layer and "16 个参数" in layer
    assert "第 1 层：a = sigmoid(Σ w·x + b)" in neuron_view
    assert "× 5 个样本（数值取自样本 " in plate and "Σ：对 5 个样本求和" in plate


def test_draw_mlp_titles_and_caption_in_chinese():
    model, _ = network_loss()
    with using_language("zh"):
        small = draw_mlp(model, show="grads").source
        wide = draw_mlp(MLP(2, [16, 16, 1], seed=1)).source
    for title in ("第 0 层（输入层）", "第 1 层（隐藏层）", "第 2 层（输出层）"):
        assert title in small
    assert "边：∂L/∂W（梯度）：蓝色实线 > 0，红色虚线 < 0，粗细 ∝ |值|，最大为 " in small
    assert "第 1 层（隐藏层）：relu" in wide and "第 3 层（输出层）：linear" in wide
    assert "第 1 和 2 层只标出放得下的 3 个最强权重（|值| 最大）" in wide


def test_the_backward_page_in_chinese(tmp_path):
    y = neuron()
    with using_language("zh"):
        page = animate.backward_page(y, layout=lambda g: "<svg></svg>")
    assert '<html lang="zh">' in page and "<h1>y：backward，每次走链式法则的一步</h1>" in page
    assert 'title="上一步（左方向键）"' in page and ">全图</button>" in page
    data = json.loads(re.search(r'id="frames">(.*?)</script>', page, re.S).group(1))
    assert data["steps"][0]["text"] == "add1.grad += 0.501 × 1 = 0.501，所以 add1.grad = 0.501"
    assert data["steps"][0]["why"] == "局部导数 ∂y/∂add1 = 0.501（运算 'tanh'），乘以 y.grad = 1"
    assert data["seed"].startswith("y.grad = 1（起点：∂y/∂y）")
    assert data["done"].startswith("每个值都保存了这一遍算出的 ∂y/∂（该值）。叶子：")
    assert data["text"]["counter"] == "第 {k} 步，共 {n} 步"           # filled by the page
    assert [text for _, text in data["kinds"]][0].endswith("）") and \
        data["palette"][-1][2] == "(0.1, 1] × 最大值"
    english = animate.backward_page(y, layout=lambda g: "<svg></svg>")
    assert '<html lang="en">' in english and "backward, one chain-rule step at a time" in english
    assert '"counter": "step {k} of {n}"' in english


@pytest.mark.svg
def test_the_svg_asks_for_a_cjk_font_first():
    from visualize.render import to_svg

    with using_language("zh"):
        svg = to_svg(draw_dot(neuron()))
    families = set(re.findall(r'font-family="([^"]*)"', svg))
    assert families == {FONT_STACK} and FONT_STACK.startswith("'Noto Sans CJK SC'")
    assert "图例" in svg


def glyph_crops(png: bytes, boxes: list) -> list[bytes]:
    """The pixels of each box (x0, y0, x1, y1 in px), as bytes, from a PNG."""
    import io

    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("L")
    return [image.crop(tuple(round(v) for v in box)).tobytes() for box in boxes]


@pytest.mark.svg
def test_a_png_with_chinese_text_draws_each_character_not_a_box(tmp_path):
    """Each character is its own node; cut out where the SVG puts each, in the PNG render()
    writes: distinct characters give distinct pictures. With a font lacking Chinese (DejaVu
    Sans alone) they are the same empty box: the comparison catches tofu."""
    import graphviz
    import matplotlib
    import resvg_py

    from visualize.render import PNG_ZOOM, render, to_svg

    pytest.importorskip("PIL")
    import subprocess
    found = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True)
    if not found.stdout.strip():
        pytest.skip("no font with Chinese characters here (apt-get install fonts-noto-cjk)")
    text = "前向传播链式法则"
    g = graphviz.Digraph()
    g.attr(rankdir="LR", nodesep="0.3")
    g.attr("node", shape="plaintext", fontname="Helvetica", fontsize="20")
    for i, c in enumerate(text):
        g.node(f"c{i}", c)
    svg = to_svg(g)
    tx, ty = map(float, re.search(r"translate\(([-\d.]+) ([-\d.]+)\)", svg).groups())
    scale = 96 / 72 * PNG_ZOOM
    boxes = []
    for c in text:
        x, y = map(float, re.search(rf'x="([-\d.]+)" y="([-\d.]+)"[^>]*>{c}<', svg).groups())
        x, y = (x + tx) * scale, (y + ty) * scale            # the baseline's middle, in px
        half = 10 * scale
        boxes.append((x - half, y - 2 * half, x + half, y + 0.4 * half))
    path = render(g, tmp_path / "chinese.png")
    drawn = glyph_crops(path.read_bytes(), boxes)
    assert len(set(drawn)) == len(set(text))                      # eight different pictures
    assert all(min(crop) < 128 for crop in drawn)                 # each has dark pixels
    dejavu = pathlib.Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
    tofu = bytes(resvg_py.svg_to_bytes(svg_string=svg, dpi=96.0, zoom=PNG_ZOOM,
                                       background="white", skip_system_fonts=True,
                                       font_files=[str(dejavu)]))
    assert len(set(glyph_crops(tofu, boxes))) <= 2                # boxes (or nothing) for all


@pytest.mark.browser
@pytest.mark.svg
def test_the_backward_page_steps_in_chinese_in_a_browser(tmp_path):
    """The page's script writes its sentences in the language it was made in, fields filled:
    step counter, play/pause, the last frame; no script error, in either language."""
    from lab_support import chromium

    y = neuron()
    y.backward()
    pages = {}
    for lang in ("zh", "en"):
        with using_language(lang):
            pages[lang] = animate.animate_backward(y, tmp_path / f"{lang}.html")
    seen = {}
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        for lang, path in pages.items():
            page.goto(path.as_uri())
            page.click("#next")
            counter = page.inner_text("#counter")
            page.click("#play")
            playing = page.inner_text("#play")
            page.click("#play")
            page.click("#last")
            seen[lang] = (counter, playing, page.inner_text("#step-text"),
                          page.inner_text("#legend"))
    assert errors == []
    counter, playing, done, legend = seen["zh"]
    assert counter == "第 1 步，共 5 步" and playing == "暂停"
    assert done == "完成：backward 已走过每一条边（共 5 步）。"
    assert legend.startswith("填充色：这一遍的 |grad| ÷ ") and "接收梯度" in legend
    assert seen["en"][:3] == ("step 1 of 5", "pause",
                              "Done: backward has visited every edge (5 steps).")
