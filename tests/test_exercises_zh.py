"""The exercises in Chinese: a set drawn in Chinese asks and checks in Chinese (values, typical
slips, the checkers' diagnoses, refusals), and python -m demos.exercises --lang zh."""

import re

import pytest

from autograd.extend import using_language
from demos import exercises as cli
from nn.exercises import exercises, read_answers

ENGLISH = re.compile(r"\b[A-Za-z]{2,}(?: [A-Za-z]{2,}){2,}\b")   # three English words in a row


@pytest.fixture(scope="module")
def chinese():
    with using_language("zh"):
        return exercises(seed=7)


def test_a_set_drawn_in_chinese_asks_in_chinese(chinese):
    text = "\n\n".join(str(exercise) for exercise in chinese)
    assert "1. 一个神经元的输出值。\n一个 sigmoid 神经元有两个输入：z = w1·x1 + w2·x2 + b" in text
    assert "可以使用的名字：" in text
    assert "W1_jk, b1_k  从 x_j 进入隐藏层神经元 k 的权重，及其偏置" in text
    assert "8. 向量化的反向传播：∂L/∂W2。" in text and "m    这批样本的个数" in text
    assert not ENGLISH.search(text), ENGLISH.search(text)


@pytest.mark.parametrize("number, answer, said", [
    (1, "0.378", "正确：a = 0.37794。"),
    (1, "0.5", "你的值 0.5 不是 a。它不符合任何一种常见错误；"),
    (2, "a", "你的公式不是 ∂a/∂z。a 就是 σ(z) 本身；∂a/∂z 是它的导数"),
    (6, "(a2_1 - y)*W2_11*x_2", "你的公式不是 ∂L/∂W[1]_21。它既不是 ∂L/∂W[1]_21 的常数倍，"
                                "也不是只差一个局部导数因子。"),
    (8, "A1 @ dZ2.T", "你的结果形状是 (4, 1)，而 ∂L/∂W2 的形状是 (1, 4)：它是正确答案的转置。"),
    (8, "dZ2 @ A1", "A1 在这里需要转置：dZ2 @ A1.T。"),
    (9, "sum(dZ2, axis=0)", "请用 axis=1。"),
    (5, "dZ2 @ A1.T", "已拒绝：运算符 @（第 1 列的 'dZ2 @ A1.T'）。公式只能使用数字、名字、"),
    (8, "open('x')", "已拒绝：调用 sum、exp、log、"),
    (1, "q + 1", "q 不是这里给出的值；给出的值有：x1、x2、w1、w2、b。"),
])
def test_answers_are_checked_in_the_language_the_set_was_drawn_in(chinese, number, answer,
                                                                  said):
    verdict = chinese[number].check(answer).verdict     # no language chosen here: English
    assert said in verdict, verdict
    assert not ENGLISH.search(verdict.replace("sigmoid_prime", "")), verdict


def test_a_chinese_verdict_ends_sentences_the_chinese_way(chinese):
    verdict = chinese[6].check("(a2_1 - y)*a2_1*(1 - a2_1)*W2_11*x_2").verdict
    assert "（公式乘上它才等于 ∂L/∂W[1]_21）。" in verdict and ". " not in verdict
    assert exercises(seed=7)[1].check("0.5").verdict.startswith("Your value 0.5 is not a.")


def test_an_answers_file_is_read_and_graded_in_chinese(chinese, tmp_path):
    answers = tmp_path / "answers.txt"
    answers.write_text("1: 0.378\n", encoding="utf-8")
    assert chinese.grade(2, read_answers(answers), "answers.txt") == \
        "answers.txt 中没有第 2 题的答案。"
    answers.write_text("one answer\n", encoding="utf-8")
    with using_language("zh"), pytest.raises(ValueError, match="第 1 行：每个答案要写成"):
        read_answers(answers)


def test_the_command_in_chinese(capsys):
    assert cli.main(["--lang", "zh", "--seed", "7", "--check", "8", "dZ2 @ A1.T"]) == 0
    assert capsys.readouterr().out.startswith("正确：在你的这批样本和 5 批随机样本上，dZ2 @ A1.T")
    assert cli.main(["--lang", "zh", "--seed", "7", "--check", "14", "x"]) == 2
    assert "没有第 14 题：这一组是第 1 到 13 题。" in capsys.readouterr().err


def test_asking_in_chinese_with_chinese_commands(capsys):
    with using_language("zh"):
        items = exercises(seed=7)
        said = []
        answers = iter(["跳过", "0.5", "答案", "退出"])
        right = cli.ask(items, 1, read=lambda prompt: (said.append(prompt), next(answers))[1],
                        write=said.append)
    text = "\n".join(said)
    assert right == 0 and said[0] == "反向传播练习，种子 7：用 --seed 7 可以再得到同样的数值。"
    assert "输入 skip（或“跳过”）进入下一题" in text and "答案> " in said
    assert "第 2 题（共 13 题）：一个局部导数。" in text and "一个正确答案：a*(1 - a)" in text
    assert text.endswith("你答对了 2 道题中的 0 道。")      # one skipped, one shown


def test_the_help_in_chinese(capsys):
    with pytest.raises(SystemExit):
        cli.main(["--lang", "zh", "--help"])
    shown = capsys.readouterr().out
    assert shown.startswith("用法：") and "会说明答案错在哪里的练习题" in shown
    assert "示例：\n  python -m demos.exercises                     逐题提问" in shown
    assert not ENGLISH.search(shown.replace("python -m demos.exercises", ""))
