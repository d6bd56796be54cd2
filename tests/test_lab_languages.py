"""The lab in another language: the page's catalog, the session's messages and explanations,
the language each host chooses, the lab's command line. (The page itself in Chromium:
tests/test_lab_browser.py.)"""

import re
import string
import subprocess
import sys

import pytest

from visualize.lab.messages import MESSAGES, catalog, choose_language
from visualize.lab.session import LabSession

CJK = re.compile(r"[\u4e00-\u9fff]")
NEURON = {"formula": "tanh(x*w + b)", "values": {"x": 2.0, "w": -3.0, "b": 6.88}}


def fields(text: str) -> list[str]:
    return sorted(name for _, name, _, _ in string.Formatter().parse(text) if name)


def answer(session, method, **params):
    response = session.handle({"method": method, "params": params})
    return response["result"] if response["ok"] else response["error"]


def test_the_chinese_catalog_has_every_message_with_its_fields_and_is_mostly_chinese():
    zh = catalog("zh")
    assert zh.keys() == MESSAGES.keys()
    for key, text in zh.items():
        assert fields(text) == fields(MESSAGES[key]), key
    # every sentence with words in it is written in Chinese; what stays is a formula or a name
    worded = [k for k, text in MESSAGES.items()
              if re.search(r"[a-z]{3,}", re.sub(r"\{\w+\}", "", text))]
    untranslated = [k for k in worded if not CJK.search(zh[k])]
    assert len(worded) > 150
    assert untranslated == [], untranslated
    assert zh["app_title"] == "反向传播实验室" and zh["lr_label"] == "学习率"
    assert catalog("en") == MESSAGES


def test_the_page_asks_for_a_language_and_every_answer_after_is_in_it():
    s = LabSession()
    init = answer(s, "lab.init", language="zh")
    assert init["language"] == "zh" and init["catalog"]["mode_train"] == "训练"
    assert {"code": "zh", "name": "中文"} in init["languages"]
    too_long = answer(s, "expression.set", formula="x+" * 1500)
    assert too_long["id"] == "formula_too_long" and CJK.search(too_long["text"])
    assert too_long["params"] == {"count": 3000, "limit": 2000}   # the numbers stay numbers
    answer(s, "lab.init", language="en")
    assert not CJK.search(answer(s, "expression.set", formula="x+" * 1500)["text"])


def test_the_numbers_are_the_same_in_every_language():
    results = {}
    for lang in ("en", "zh"):
        s = LabSession()
        answer(s, "lab.init", language=lang)
        result = answer(s, "expression.set", **NEURON)
        results[lang] = ([(leaf["value"], leaf["grad"]) for leaf in result["leaves"]],
                         result["output"]["value"])
    assert results["en"] == results["zh"]


def test_an_edge_of_a_value_used_twice_names_its_operand_in_the_language():
    s = LabSession()
    answer(s, "lab.init", language="zh")
    answer(s, "expression.set", formula="a*a", values={"a": 3.0})
    edge = answer(s, "graph.explain_edge", edge="n0_n1op_1")
    assert r"\text{第 2 个参数}" in edge["latex"] and edge["local"] == 3.0
    answer(s, "lab.init", language="en")
    answer(s, "expression.set", formula="a*a", values={"a": 3.0})
    assert r"\text{arg 2}" in answer(s, "graph.explain_edge", edge="n0_n1op_1")["latex"]


@pytest.mark.parametrize("wish, default, accept, chosen", [
    ("zh", None, [], "zh"),              # the page's ?lang= or switch
    (None, "zh", ["en-US"], "zh"),       # the host's (--lang, the kernel's language)
    (None, None, ["fr-FR", "zh-CN"], "zh"),   # the browser's, the first one there is
    ("fr", None, ["en-GB"], "en"),       # a language without messages is passed over
    (None, None, [], "en"),
])
def test_the_language_is_the_pages_wish_then_the_hosts_then_the_browsers(wish, default,
                                                                        accept, chosen):
    s = LabSession(language=default)
    assert answer(s, "lab.init", language=wish, accept=accept)["language"] == chosen


def test_junk_language_params_are_passed_over():
    s = LabSession()
    assert answer(s, "lab.init", language=["zh"], accept="zh")["language"] == "en"
    assert choose_language(None, 7, "", "zh_CN.UTF-8") == "zh"


def test_the_widget_speaks_the_language_given_or_the_kernels_and_python_can_switch_it():
    from autograd import set_language
    from visualize import Lab

    lab = Lab("out + 1", lang="zh")   # out is the result's name: refused, with a message
    assert lab.language == "zh" and "留给公式的结果" in lab.error
    lab.language = "en"
    lab.formula = "out + 2"
    assert "reserved for the formula's result" in lab.error
    with pytest.raises(Exception, match="no messages in that language"):
        lab.language = "fr"
    set_language("zh")
    try:
        kernels = Lab("x")
        assert kernels.language == "zh"   # the kernel's language
    finally:
        set_language(None)
    still = kernels._static_html()        # a notebook saved without its kernel
    assert "反向传播实验室" in still and "运行这个笔记本" in still


def run_lab_command(*args, env=None):
    return subprocess.run([sys.executable, "-m", "visualize", "lab", *args], capture_output=True,
                          text=True, timeout=60, env=env)


def test_the_lab_command_speaks_lang_or_the_environments_language():
    import os

    help_zh = run_lab_command("--lang", "zh", "--help").stdout
    assert "不在默认浏览器中打开页面" in help_zh and "--lang" in help_zh
    environment = {**os.environ, "LANGUAGE": "", "LANG": "zh_CN.UTF-8"}
    assert "不在默认浏览器中打开页面" in run_lab_command("--help", env=environment).stdout
    refused = run_lab_command("--lang", "zh", "--port", "70000")
    assert refused.returncode == 2 and "已拒绝：--port 必须在 0 到 65535 之间" in refused.stderr
    assert "must be from 0 to 65535" in run_lab_command("--port", "70000").stderr
