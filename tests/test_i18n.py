"""Messages in the reader's language: how the language is chosen, and the catalogs themselves
(complete, compiled from their sources, every message a whole sentence with named fields)."""

import ast
import functools
import os
import pathlib
import string
import subprocess
import sys
import threading

import pytest
from babel.messages.catalog import Catalog

from autograd import language, set_language
from autograd.extend import N_, catalog, languages, lookup, tr, trn, using_language
from autograd.i18n import catalogs

ROOT = pathlib.Path(__file__).resolve().parents[1]
ENVIRONMENT = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
SAME_REASON = "not drawn: the same reason"     # a message of demos/_lesson.py


def test_there_are_english_and_chinese():
    assert languages() == ("en", "zh")


@pytest.mark.parametrize("environment, expected", [
    ({}, "en"),
    ({"LANG": "zh_CN.UTF-8"}, "zh"),                       # no zh_CN locale needs to exist
    ({"LANG": "zh_CN"}, "zh"),
    ({"LC_MESSAGES": "zh_SG.utf8", "LANG": "en_US.UTF-8"}, "zh"),
    ({"LC_ALL": "C", "LANG": "zh_CN.UTF-8"}, "en"),        # LC_ALL comes before LANG
    ({"LC_ALL": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, "zh"),
    ({"LANGUAGE": "en", "LANG": "zh_CN.UTF-8"}, "en"),     # LANGUAGE comes first
    ({"LANGUAGE": "fr:zh_CN:en"}, "zh"),                   # the first one with messages
    ({"LANGUAGE": "en:zh"}, "en"),
    ({"LANGUAGE": "", "LANG": "zh_CN.UTF-8"}, "zh"),       # an empty variable is not set
    ({"LANG": "de_DE.UTF-8"}, "en"),                       # no German messages: English
    ({"LANG": "POSIX"}, "en"),
])
def test_the_environment_chooses_as_gettext_reads_it(monkeypatch, environment, expected):
    for name in ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert language() == expected


def test_lang_zh_cn_selects_chinese_in_a_new_process(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ENVIRONMENT}
    env["LANG"] = "zh_CN.UTF-8"
    run = subprocess.run([sys.executable, "-m", "demos.accumulate", "--out", str(tmp_path)],
                         capture_output=True, text=True, encoding="utf-8", env=env, cwd=ROOT,
                         timeout=120)
    assert run.returncode == 0, run.stderr
    first, second = run.stdout.splitlines()[:2]
    assert first.startswith("课程：") and "《前馈神经网络》" in second
    assert f"已写入 {tmp_path / 'accumulate.txt'}" in run.stdout
    env["LANG"] = "C.UTF-8"
    run = subprocess.run([sys.executable, "-m", "demos.accumulate", "--out", str(tmp_path)],
                         capture_output=True, text=True, encoding="utf-8", env=env, cwd=ROOT,
                         timeout=120)
    assert run.stdout.startswith("Lesson: ")


def test_set_language_for_the_process_and_back_to_the_environment(monkeypatch):
    assert tr(SAME_REASON) == SAME_REASON
    assert set_language("zh") == "zh" and tr(SAME_REASON) == "未绘制：原因同上"
    assert set_language("zh_CN.UTF-8") == "zh"
    assert set_language("en") == "en" and tr(SAME_REASON) == SAME_REASON
    monkeypatch.setenv("LANGUAGE", "zh")
    assert set_language(None) == "zh"                      # None: the environment again


def test_an_unknown_language_is_refused_with_the_ones_there_are():
    with pytest.raises(ValueError, match=r"language 'fr': no messages in that language; "
                                         r"there are: en, zh"):
        set_language("fr")
    with pytest.raises(TypeError, match="expected a language code such as 'zh'.*got int 3"):
        set_language(3)
    assert language() == "en"                              # unchanged


def test_using_language_is_scoped_to_the_block_and_the_thread():
    seen = {}
    with using_language("zh") as chosen:
        assert chosen == "zh" and tr(SAME_REASON) == "未绘制：原因同上"
        with using_language("en"):
            assert tr(SAME_REASON) == SAME_REASON
        thread = threading.Thread(target=lambda: seen.update(other=language()))
        thread.start()
        thread.join()
        assert language() == "zh"
    assert seen["other"] == "en" and language() == "en"
    set_language("zh")
    with using_language(None):                             # None changes nothing
        assert language() == "zh"


def test_named_fields_are_filled_and_plurals_chosen():
    assert tr("wrote {path} ({what})", path="a.svg", what="x") == "wrote a.svg (x)"
    with using_language("zh"):
        assert tr("wrote {path} ({what})", path="a.svg", what="x") == "已写入 a.svg（x）"
    assert trn("{n} value", "{n} values", 1) == "1 value"
    assert trn("{n} value", "{n} values", 3) == "3 values"
    assert N_("anything") == "anything"


# -- the catalogs ------------------------------------------------------------------------------

def test_every_catalog_is_complete_and_its_mo_is_compiled_from_its_po():
    """Every message in the code is in every language's .po, translated, not fuzzy, with the
    same named fields; nothing obsolete; the committed .mo is the .po compiled."""
    found = catalogs.check(code_messages())
    assert set(found) == {"zh"}
    assert found == {"zh": []}, "\n".join(found["zh"])


@functools.cache
def code_messages() -> Catalog:
    """The messages in the code (``catalogs.template()``), extracted once."""
    return catalogs.template()


def made_catalog(entries: dict, locale: str = "zh") -> Catalog:
    made = Catalog(locale=locale, fuzzy=False)
    for message, translated in entries.items():
        made.add(message, translated)
    return made


def test_the_catalog_check_finds_each_kind_of_problem():
    source = made_catalog({"wrote {path}": "", "Newton": "", "gone": ""}, locale=None)
    good = made_catalog({"wrote {path}": "已写入 {path}", "Newton": "牛顿法", "gone": "去"})
    assert catalogs.problems(good, source, catalogs.mo_bytes(good)) == []
    bad = made_catalog({"wrote {path}": "已写入 {file}", "Newton": "", "old": "旧"})
    bad["old"].flags.add("fuzzy")
    assert catalogs.problems(bad, source, catalogs.mo_bytes(good)) == [
        "not in the catalog (run update): 'gone'",
        "placeholders differ from the English [('path', '')]: 'wrote {path}'",
        "not translated: 'Newton'",
        "no longer in the code (run update): 'old'",
        "fuzzy (a guess to check, then remove the flag): 'old'",
        "the .mo is not the compiled .po (run compile)",
    ]
    assert catalogs.problems(good, source, None) == \
        ["no compiled .mo next to the .po (run compile)"]


def test_a_format_spec_must_be_kept_too():
    source = made_catalog({"loss {loss:.4f}": ""}, None)
    changed = made_catalog({"loss {loss:.4f}": "损失 {loss:.2f}"})
    assert catalogs.problems(changed, source, catalogs.mo_bytes(changed)) == [
        "placeholders differ from the English [('loss', '.4f')]: 'loss {loss:.4f}'"]


def setuptools_list(value: str) -> list[str]:
    """A setup.cfg list as setuptools reads it: one item a line when it spans lines (commas are
    then part of an item), else comma-separated."""
    items = value.splitlines() if "\n" in value.strip() else value.split(",")
    return [item.strip() for item in items if item.strip()]


def test_the_catalogs_ship_with_the_package():
    """setup.cfg lists autograd.i18n and its .po and .mo files as package data."""
    import configparser

    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg", encoding="utf-8")
    packages = setuptools_list(config["options"]["packages"])
    assert "autograd.i18n" in packages and "autograd" in packages
    patterns = setuptools_list(config["options.package_data"]["autograd.i18n"])
    here = ROOT / "autograd" / "i18n"
    shipped = {path for pattern in patterns for path in here.glob(pattern)}
    assert {catalogs.po_path("zh"), catalogs.mo_path("zh")} <= shipped


# -- the messages in the code ------------------------------------------------------------------

MARKERS = {"tr": 1, "trn": 2, "N_": 1}    # how many leading arguments are messages


@functools.cache
def sources() -> tuple:
    """(file, its syntax tree) for every module of the libraries and the lessons, parsed once."""
    return tuple((path.relative_to(ROOT), ast.parse(path.read_text(encoding="utf-8")))
                 for folder in catalogs.SOURCES for path in sorted((ROOT / folder).rglob("*.py")))


def marked_calls():
    """(file, line, call) for every tr/trn/N_ call in the libraries and the lessons."""
    for path, tree in sources():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                    and node.func.id in MARKERS:
                yield path, node.lineno, node


def test_there_are_marked_messages_to_check():
    assert sum(1 for _ in marked_calls()) > 100


def test_every_message_is_one_literal_with_named_fields_all_given():
    """No f-string, no + or % between pieces: a translator gets whole sentences. A message
    written where it is used has named fields ({steps}, never {} or {0}), and the call gives
    exactly those (plus n for trn)."""
    for path, line, call in marked_calls():
        where = f"{path}:{line}"
        messages = call.args[:MARKERS[call.func.id]]
        for arg in messages:
            assert not isinstance(arg, (ast.JoinedStr, ast.BinOp)), \
                f"{where}: a message built from pieces"
        literal = [a.value for a in messages
                   if isinstance(a, ast.Constant) and isinstance(a.value, str)]
        if call.func.id == "N_":
            assert len(literal) == 1, f"{where}: N_ marks one literal message"
        if not literal:
            continue                           # tr(CONSTANT): the constant was marked by N_
        fields = {name for m in literal for _, name, _, _ in string.Formatter().parse(m)
                  if name is not None}
        assert all(f and not f.isdigit() and f.isidentifier() for f in fields), \
            f"{where}: every field is named: {sorted(fields)}"
        if call.func.id == "N_" or any(k.arg is None for k in call.keywords):
            continue                           # filled later, or from a **mapping
        given = {k.arg for k in call.keywords}
        if call.func.id == "trn":            # n is given; a message need not show it
            fields.discard("n")
        assert fields == given, f"{where}: the message has {sorted(fields)}, " \
                                f"the call gives {sorted(given)}"


def test_the_chinese_catalog_uses_the_reference_texts_terms():
    """Terms as the reference text writes them, and never a rival word for the same thing."""
    chinese = "\n".join(s for m in catalogs.read("zh") if m.id
                        for s in (m.string if m.pluralizable else [m.string]))
    for term in ("神经元", "激活函数", "前向传播", "反向传播", "链式法则", "损失函数", "学习率",
                 "小批量梯度下降", "轮", "输出层"):
        assert term in chinese, term
    for rival in ("后向传播", "反传", "学习速率", "纪元", "迭代周期", "激励函数", "神经单元"):
        assert rival not in chinese, rival


def test_lookup_translates_and_leaves_the_placeholders_for_a_page_to_fill():
    message = "wrote {path} ({what})"
    assert lookup(message) == message
    with using_language("zh"):
        assert lookup(message) == "已写入 {path}（{what}）"
        assert lookup("a sentence no catalog has") == "a sentence no catalog has"


def test_catalog_gives_every_translation_of_a_language_as_a_dict():
    zh = catalog("zh")
    assert zh["wrote {path} ({what})"] == "已写入 {path}（{what}）"
    assert zh[SAME_REASON] == "未绘制：原因同上" and "" not in zh
    source = {m.id for m in catalogs.read("zh") if m.id and not m.pluralizable}
    assert set(zh) == source                               # plural messages are left out
    assert all(isinstance(v, str) and v for v in zh.values())
    assert catalog("en") == {} and catalog("zh_CN.UTF-8") == zh
    assert catalog() == {}                                 # the current language: English
    with using_language("zh"):
        assert catalog() == zh
    with pytest.raises(ValueError, match="language 'fr': no messages"):
        catalog("fr")


def test_no_message_is_marked_inside_an_f_string():
    """Babel reads a call inside an f-string only on Python 3.12+: the catalog would depend on
    the Python that ran update. Messages are marked outside f-strings."""
    for path, tree in sources():
        for node in ast.walk(tree):
            if isinstance(node, ast.JoinedStr):
                inside = [n for n in ast.walk(node) if isinstance(n, ast.Call) and
                          isinstance(n.func, ast.Name) and n.func.id in MARKERS and
                          any(isinstance(a, ast.Constant) for a in n.args)]
                assert not inside, f"{path}:{node.lineno}"


def test_merge_fills_untranslated_messages_from_another_branchs_catalog(tmp_path, monkeypatch):
    """After two branches each added messages, one .po is kept and the other's translations
    fill what it lacks; where both translate a message differently, ours stays and is named."""
    import shutil

    shutil.copytree(catalogs.LOCALE_DIR / "zh", tmp_path / "zh")
    monkeypatch.setattr(catalogs, "LOCALE_DIR", tmp_path)
    ours = catalogs.read("zh")
    ours[SAME_REASON].string = ""                               # as if new on our side
    catalogs.save("zh", ours)
    other = made_catalog({SAME_REASON: "未绘制：原因相同", "wrote {path}": "写了 {path}",
                          "not drawn: {reason}": "未绘制", "absent": "无"})
    taken, differ = catalogs.merge("zh", other)
    assert taken == 1 and catalogs.read("zh")[SAME_REASON].string == "未绘制：原因相同"
    assert differ == ["'wrote {path}'"]                          # kept ours: 已写入 {path}
    assert catalogs.read("zh")["not drawn: {reason}"].string != "未绘制"   # fields differ
    assert catalogs.problems(catalogs.read("zh"), code_messages(),
                             catalogs.mo_path("zh").read_bytes()) == []
