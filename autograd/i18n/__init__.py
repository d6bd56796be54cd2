"""Messages in the reader's language: gettext catalogs, one per language, one domain.

Text a person reads is written in English in the code, marked for translation, and looked up
at run time in the compiled catalog of the chosen language (``locale/<lang>/LC_MESSAGES/
backprop_lab.mo``, read by Python's own ``gettext``; the ``.po`` next to it is its source).
A message is a whole sentence with named placeholders, so a translator can reorder it::

    tr("after {steps} steps the neuron outputs {value:+.4f}", steps=20, value=1.9999)

``N_("...")`` marks a message that is translated later (a module-level constant);
``tr(CONSTANT)`` translates it where it is shown.

The language, first match wins: ``using_language`` (a ``with`` block, in this thread or task),
``set_language`` (the whole process: a notebook, a ``--lang`` option), then the environment
as gettext reads it: ``LANGUAGE`` (a colon-separated list), ``LC_ALL``, ``LC_MESSAGES``,
``LANG``, the first one set. ``LANG=zh_CN.UTF-8`` gives Chinese whether or not a zh_CN locale
is installed: only the catalog is needed. ``C`` and ``POSIX`` mean English.
"""

from __future__ import annotations

import argparse
import contextlib
import contextvars
import functools
import gettext
import os
import pathlib
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence

__all__ = ["DOMAIN", "LOCALE_DIR", "SOURCE_LANGUAGE", "languages", "language", "set_language",
           "using_language", "tr", "trn", "N_", "lookup", "catalog", "listed", "sentences", "width",
           "table", "wrap", "HelpFormatter", "in_own_language"]

DOMAIN = "backprop_lab"
LOCALE_DIR = pathlib.Path(__file__).resolve().parent / "locale"
SOURCE_LANGUAGE = "en"                    # the language the messages are written in
ENVIRONMENT = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")   # gettext's order

_chosen: str | None = None                # set_language; None: the environment decides
_scoped: contextvars.ContextVar[str | None] = contextvars.ContextVar("backprop_lab_language",
                                                                    default=None)
_catalogs: dict[str, gettext.NullTranslations] = {}


def languages() -> tuple[str, ...]:
    """The languages there are messages for: English and each compiled catalog, as codes."""
    compiled = sorted(p.parents[1].name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.mo"))
    return (SOURCE_LANGUAGE, *compiled)


def _code(name: str) -> str:
    """``zh_CN.UTF-8`` -> ``zh``, ``en-GB`` -> ``en``, ``C`` -> ``en``: the language alone."""
    name = name.strip()
    if name in ("C", "POSIX") or name.startswith("C."):
        return SOURCE_LANGUAGE
    return re.split(r"[_\-.@]", name, maxsplit=1)[0].lower()


def _checked(lang: str) -> str:
    if not isinstance(lang, str):
        raise TypeError(f"language: expected a language code such as 'zh' or 'en', "
                        f"got {type(lang).__name__} {lang!r}")
    code = _code(lang)
    if code not in languages():
        raise ValueError(f"language {lang!r}: no messages in that language; there are: "
                         f"{', '.join(languages())}")
    return code


def from_environment() -> str:
    """The language the environment asks for, read as gettext reads it; English if none."""
    for variable in ENVIRONMENT:
        value = os.environ.get(variable)
        if value:
            break
    else:
        return SOURCE_LANGUAGE
    available = languages()
    for name in value.split(":"):
        if name and _code(name) in available:   # C and POSIX are English: the search ends
            return _code(name)
    return SOURCE_LANGUAGE


def language() -> str:
    """The language messages are shown in now, as a code: ``"en"``, ``"zh"``."""
    return _scoped.get() or _chosen or from_environment()


def set_language(lang: str | None) -> str:
    """Show messages in ``lang`` from now on, in the whole process; ``None``: as the
    environment says (``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``, ``LANG``).

    Args:
        lang: a language code (``"zh"``, ``"en"``) or a locale name (``"zh_CN.UTF-8"``).

    Returns:
        The code of the language now in use.

    Raises:
        ValueError: there are no messages in that language (the message lists those there are).
    """
    global _chosen
    _chosen = None if lang is None else _checked(lang)
    return language()


@contextlib.contextmanager
def using_language(lang: str | None) -> Iterator[str]:
    """Show messages in ``lang`` inside the ``with`` block only (this thread or task; one
    server request, say); ``None`` changes nothing."""
    token = _scoped.set(None if lang is None else _checked(lang))
    try:
        yield language()
    finally:
        _scoped.reset(token)


def in_own_language(method):
    """Decorate a report's text methods (``__str__``, ``verdict``...): they speak the language
    in ``self.language``, the one in use when the report was made, so that its stored sentences
    (diagnoses, notes) and its table and verdict are in one language whenever it is shown."""
    @functools.wraps(method)
    def shown(self, *args, **kwargs):
        with using_language(self.language):
            return method(self, *args, **kwargs)
    return shown


def _translations(code: str | None = None) -> gettext.NullTranslations:
    code = code or language()
    if code not in _catalogs:
        _catalogs[code] = (gettext.NullTranslations() if code == SOURCE_LANGUAGE else
                           gettext.translation(DOMAIN, LOCALE_DIR, languages=[code]))
    return _catalogs[code]


def tr(message: str, /, **values: object) -> str:
    """``message`` in the current language, its ``{named}`` placeholders filled from ``values``.

    Every message is formatted, so a literal brace is written twice: ``{{`` and ``}}``.
    """
    return _translations().gettext(message).format(**values)


def trn(singular: str, plural: str, n: int, /, **values: object) -> str:
    """The singular or plural form for ``n`` in the current language; ``{n}`` is ``n``."""
    return _translations().ngettext(singular, plural, n).format(n=n, **values)


def N_(message: str) -> str:
    """Mark ``message`` for translation where it is defined; ``tr(message)`` shows it."""
    return message


def lookup(message: str, /) -> str:
    """``message`` in the current language with its ``{placeholders}`` left as they are: for
    text that is filled in elsewhere (a web page's script, say). ``tr`` fills them."""
    return _translations().gettext(message)


def catalog(lang: str | None = None) -> dict[str, str]:
    """Every message translated into ``lang`` (default: the current language), as
    ``{English: translation}`` with placeholders unfilled, ready to send to a page as JSON.

    English gives ``{}`` (the messages are their own English). Plural messages (``trn``) are
    left out: a page gets whole sentences.

    Raises:
        ValueError: there are no messages in ``lang`` (the message lists those there are).
    """
    code = language() if lang is None else _checked(lang)
    found = getattr(_translations(code), "_catalog", {})    # GNUTranslations' table, read only
    return {message: text for message, text in found.items()
            if isinstance(message, str) and message and isinstance(text, str)}


# TRANSLATORS: what separates the items of a list of names: "x1, w1, b" (一、二 in Chinese)
_SEPARATOR = N_(", ")


def listed(items: Iterable[object]) -> str:
    """The items as a list in the current language: ``x1, w1, b`` (``x1、w1、b`` in Chinese)."""
    return tr(_SEPARATOR).join(str(item) for item in items)


# TRANSLATORS: two whole sentences one after the other: a space in English, none in Chinese
_TWO_SENTENCES = N_("{first} {second}")


def sentences(texts: Iterable[str]) -> str:
    """Whole sentences one after the other, as the language writes them: a space between
    them in English, none in Chinese (a sentence there ends with 。)."""
    texts = [text for text in texts if text]
    out = texts[0] if texts else ""
    for text in texts[1:]:
        out = tr(_TWO_SENTENCES, first=out, second=text)
    return out


def width(text: str) -> int:
    """The columns ``text`` takes in a terminal: two for a wide character (Chinese, Japanese,
    Korean), none for a combining mark, one for anything else."""
    return sum(0 if unicodedata.combining(c) else
               2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def table(rows: Sequence[Sequence[str]], left: int = 1, rule: bool = True) -> list[str]:
    """Rows of cells as aligned lines, two spaces between columns and (``rule``) a line of
    dashes under the first row, the head; the first ``left`` columns flush left, the others
    right. Widths are counted as a terminal shows them (``width``), so Chinese lines up."""
    widths = [max(width(row[c]) for row in rows) for c in range(len(rows[0]))]

    def cell(text: str, c: int) -> str:
        pad = " " * (widths[c] - width(text))
        return text + pad if c < left else pad + text

    lines = ["  ".join(cell(text, c) for c, text in enumerate(row)).rstrip() for row in rows]
    if rule:
        lines.insert(1, "-" * width(lines[0]))
    return lines


_NO_LINE_START = set("，。、；：！？）】》」』”’%")   # Chinese punctuation stays after its text
_NO_LINE_END = set("（【《「『“‘")                  # and before it


def _wide(c: str) -> bool:
    return unicodedata.east_asian_width(c) in "WF"


def wrap(text: str, columns: int) -> list[str]:
    """``text`` (its whitespace collapsed) in lines of at most ``columns`` terminal columns:
    broken at spaces, and between Chinese characters (never before a closing mark such as
    ，or after an opening one such as （), as Chinese is written without spaces."""
    text = " ".join(text.split())
    lines = []
    while width(text) > columns > 0:
        cut = _cut(text, columns)
        lines.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    return lines + ([text] if text else [])


def _cut(text: str, columns: int) -> int:
    """Where the first line of ``text`` ends: the last place a line may break within
    ``columns``, or the column itself for a word longer than a line."""
    used, best, i = 0, 0, 0
    for i, c in enumerate(text):
        used += width(c)
        if used > columns:
            break
        after = text[i + 1:i + 2]
        if c == " " or (after and after != " " and (_wide(c) or _wide(after))
                        and after not in _NO_LINE_START and c not in _NO_LINE_END):
            best = i + 1
    return best or max(i, 1)


class HelpFormatter(argparse.HelpFormatter):
    """argparse's help in the reader's language: the word before the usage line translated,
    and text with Chinese wrapped by the columns it takes (argparse counts characters)."""

    def add_usage(self, usage, actions, groups, prefix=None):
        return super().add_usage(usage, actions, groups,
                                 tr("usage: ") if prefix is None else prefix)

    def _split_lines(self, text, width_):
        if not any(_wide(c) for c in text):
            return super()._split_lines(text, width_)
        return wrap(text, width_)

    def _fill_text(self, text, width_, indent):
        if not any(_wide(c) for c in text):
            return super()._fill_text(text, width_, indent)
        return "\n".join(indent + line for line in wrap(text, width_ - len(indent)))
