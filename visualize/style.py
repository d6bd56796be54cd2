"""What the pictures share: kinds of value, the |grad| palette, number format, record escaping."""

from __future__ import annotations

from collections.abc import Collection

from autograd import Value
from autograd.extend import labels

__all__ = ["GRAD_COLOURS", "KINDS", "node_kind", "parse_label", "fill", "fmt", "esc"]

# |grad| relative to the largest |grad| drawn: (upper bound, fill colour, legend text).
GRAD_COLOURS = (
    (0.0, "#ffffff", "0"),
    (1e-3, "#fff5eb", "≤ 0.001·max"),
    (0.1, "#fdd0a2", "≤ 0.1·max"),
    (0.5, "#fd8d3c", "≤ 0.5·max"),
    (1.0, "#e6550d", "≤ max"),
)
# kind -> (border colour, border width, legend text). Highlights on the backward page use
# red and magenta, which no kind uses.
KINDS = {
    "parameter": ("#2166ac", "2.5", "parameter"),
    "input": ("#1b7837", "2.5", "input"),
    "leaf": ("#8c510a", "2.5", "leaf (your value)"),
    "constant": ("#999999", "1", "constant (no fill)"),
    "intermediate": ("#000000", "1", "computed"),
}
DEAD = "#bbbbbb"

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
              inputs: Collection[int] = frozenset(), uses: int = 1) -> str:
    """'parameter', 'input', 'leaf', 'constant' or 'intermediate'.

    A leaf is a parameter when its id is in ``params`` or nn labelled it (``W[l]_jk``,
    ``b[l]_k``); an input when its id is in ``inputs`` or its label is ``x``, ``x_j`` or
    ``xj``; a plain leaf when it has another label (a value you made and named, such as
    ``w``) or is used more than once (``uses``: edges out of it in the graph); otherwise, with
    no label and one use, a constant (a number lifted into one op, as 2 in ``x*2``).
    """
    if v._prev:
        return "intermediate"
    if id(v) in params:
        return "parameter"
    if id(v) in inputs:
        return "input"
    label = v.label
    if not label:
        return "constant" if uses <= 1 else "leaf"
    family = getattr(labels.parse(label), "family", "")
    if family in ("W", "b"):
        return "parameter"
    return "input" if family == "x" else "leaf"


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


def esc(text: str) -> str:
    """Make a label literal: record syntax, backslashes (``\\N``) and ``&`` (``&lt;``) escaped."""
    text = text.replace("\\", "\\\\").replace("\n", " ").replace("\r", " ")
    text = text.replace("&", "&amp;")
    for c in "{}|<>\"":
        text = text.replace(c, "\\" + c)
    return text


