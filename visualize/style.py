"""What the pictures share: kinds of value, the |grad| palette, number format, record escaping."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Collection

from autograd import Value
from autograd.extend import N_, is_constant, labels

__all__ = ["GRAD_COLOURS", "KINDS", "FONT", "FONT_STACK", "node_kind", "node_style",
           "parse_label", "fill", "fmt", "esc", "lines"]

# |grad| relative to the largest |grad| of its group (parameters, or every other value): one
# bucket per decade, (upper bound, fill colour, legend text); the intervals do not overlap.
# The texts are marked for translation and shown with autograd.extend.tr.
GRAD_COLOURS = (
    (0.0, "#ffffff", "0"),
    (1e-3, "#fef0e0", N_("(0, 0.001] × max")),
    (1e-2, "#fdd0a2", N_("(0.001, 0.01] × max")),
    (1e-1, "#fdae6b", N_("(0.01, 0.1] × max")),
    (1.0, "#f08030", N_("(0.1, 1] × max")),
)
# kind -> (border colour, node attributes, legend text). Each kind differs in line as well as
# colour (double, rounded and thick, thick, dotted, thin), so kinds survive greyscale printing
# and colour blindness; the colours are from the Okabe-Ito palette. Highlights on the backward
# page use red and magenta, which no kind uses.
KINDS = {
    "parameter": ("#0072b2", {"penwidth": "2", "peripheries": "2"},
                  N_("parameter (double border)")),
    "input": ("#009e73", {"penwidth": "2.5", "style": "rounded"}, N_("input (rounded, green)")),
    "leaf": ("#000000", {"penwidth": "2.5"}, N_("your value (thick border)")),
    "constant": ("#777777", {"penwidth": "1", "style": "dotted"},
                 N_("constant (dotted, no fill)")),
    "intermediate": ("#000000", {"penwidth": "1"}, N_("computed (thin border)")),
}
DEAD = "#bbbbbb"
FONT = "Helvetica"   # what Graphviz measures text with; every Graphviz knows its metrics
# what the SVG asks for: a CJK-capable family first (its Latin letters are narrower than
# Helvetica's, so text measured as Helvetica still fits), then Helvetica's look-alikes
FONT_STACK = "'Noto Sans CJK SC', 'Noto Sans CJK', Helvetica, Arial, 'Liberation Sans', sans-serif"

def parse_label(label: str) -> tuple[str, int, int] | None:
    """('W'|'b'|'z'|'a', layer, neuron) from an nn label such as ``W[2]_13`` or ``a[1]_4``."""
    parts = labels.parse(label)
    if parts is None or parts.family == "x":
        return None
    return parts.family, parts.layer, parts.k


def input_index(label: str) -> int | None:
    """j of an input labelled ``x_j``, ``xj`` or ``x[i]_j``; 0 for a plain ``x``; None otherwise."""
    parts = labels.parse(label)
    return parts.j if parts is not None and parts.family == "x" else None


def node_kind(v: Value, params: Collection[int] = frozenset(),
              inputs: Collection[int] = frozenset()) -> str:
    """'parameter', 'input', 'leaf', 'constant' or 'intermediate'.

    A leaf is a parameter when its id is in ``params`` or nn labelled it (``W[l]_jk``,
    ``b[l]_k``); an input when its id is in ``inputs`` or its label is ``x``, ``x_j`` or
    ``xj``; a constant when an op lifted it from a number (the 2 of ``x*2``: decided by the
    engine where it lifts the number, ``autograd.extend.is_constant``); otherwise a value you
    made (``Value(1.0)``, labelled or not).
    """
    if v._prev:
        return "intermediate"
    if id(v) in params:
        return "parameter"
    if id(v) in inputs:
        return "input"
    if is_constant(v):
        return "constant"
    family = getattr(labels.parse(v.label), "family", "") if v.label else ""
    if family in ("W", "b"):
        return "parameter"
    return "input" if family == "x" else "leaf"


def node_style(kind: str, *extra: str) -> dict[str, str]:
    """Graphviz attributes of a box of this kind: border colour, width, line, and ``extra``
    styles (``dashed`` for a dead ReLU or a cut-off parent)."""
    colour, attrs, _ = KINDS[kind]
    styles = ["filled", *filter(None, [attrs.get("style")]), *extra]
    return {**attrs, "color": colour, "style": ",".join(styles)}


def fill(grad: float | None, biggest: float) -> str:
    """The palette colour of |grad| / biggest; white for no gradient (None) or zero."""
    if grad is None or biggest == 0.0 or grad == 0.0:
        return GRAD_COLOURS[0][1]
    ratio = abs(grad) / biggest
    for bound, colour, _ in GRAD_COLOURS[1:]:
        if ratio <= bound:
            return colour
    return GRAD_COLOURS[-1][1]


def bucket(grad: float | None, biggest: float) -> int:
    """Index into GRAD_COLOURS of the colour ``fill`` gives."""
    colour = fill(grad, biggest)
    return next(i for i, (_, c, _) in enumerate(GRAD_COLOURS) if c == colour)


def fmt(x: float, digits: int) -> str:
    """x with ``digits`` significant digits (and 0, not -0)."""
    return f"{x + 0.0:.{digits}g}"


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def esc(text: str, justify: str = "center") -> str:
    """One line of a plain Graphviz label, taken literally: backslashes (``\\N``) and ``&``
    (Graphviz reads ``&lt;`` as ``<``) escaped, line breaks and tabs made spaces, and any other
    control character (which XML, so SVG, cannot hold) shown as ``\\x1b``. (Quotes are
    escaped by the graphviz package; labels go through ``graphviz.nohtml``, so ``<...>`` is
    not HTML.) A line with Chinese characters gets the room they take (``cjk_room``), on the
    side ``justify`` ('center', 'left' or 'right': how the line is placed) leaves free."""
    text = _CONTROL.sub(_visible, str(text))
    text = text.replace("\\", "\\\\").translate(_SPACES)
    return cjk_room(text.replace("&", "&amp;"), justify)


def cjk_room(text: str, justify: str = "center") -> str:
    """``text`` with the spaces its wide (Chinese, Japanese, Korean) characters need.

    Graphviz measures text as Helvetica, and without the font it estimates a character it
    has no metrics for as wide as M (0.83 em), while the CJK font the SVG names draws it
    1 em wide: boxes, frames and captions would be too narrow for Chinese text. Each wide
    character gets the 0.17 em it lacks as spaces (0.28 em each): after a line placed from
    its left edge, before one placed from its right, half on each side of a centred one, so
    the characters stay where Graphviz placed the line. Text without wide characters is
    unchanged.
    """
    wide = sum(unicodedata.east_asian_width(c) in "WF" for c in text)
    if not wide:
        return text
    room = math.ceil(wide * (1.0 - 0.833) / 0.278)
    before = {"left": 0, "right": room}.get(justify, room // 2)
    return " " * before + text + " " * (room - before)


_SPACES = str.maketrans("\n\r\t", "   ")


def _visible(m: re.Match) -> str:
    code = ord(m[0])
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def lines(*texts: str) -> str:
    """A plain label of several centred lines, each taken literally."""
    return "\\n".join(esc(t) for t in texts)


