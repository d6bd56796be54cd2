"""What the pictures share: kinds of value, the |grad| palette, number format, record escaping."""

from __future__ import annotations

from collections.abc import Collection

from autograd import Value
from autograd.extend import labels

__all__ = ["GRAD_COLOURS", "KINDS", "FONT", "FONT_STACK", "node_kind", "node_style",
           "parse_label", "fill", "fmt", "esc", "lines"]

# |grad| relative to the largest |grad| of its group (parameters, or every other value): one
# bucket per decade, (upper bound, fill colour, legend text); the intervals do not overlap.
GRAD_COLOURS = (
    (0.0, "#ffffff", "0"),
    (1e-3, "#fef0e0", "(0, 0.001] × max"),
    (1e-2, "#fdd0a2", "(0.001, 0.01] × max"),
    (1e-1, "#fdae6b", "(0.01, 0.1] × max"),
    (1.0, "#f08030", "(0.1, 1] × max"),
)
# kind -> (border colour, node attributes, legend text). Each kind differs in line as well as
# colour (double, rounded and thick, thick, dotted, thin), so kinds survive greyscale printing
# and colour blindness; the colours are from the Okabe-Ito palette. Highlights on the backward
# page use red and magenta, which no kind uses.
KINDS = {
    "parameter": ("#0072b2", {"penwidth": "2", "peripheries": "2"},
                  "parameter (double border)"),
    "input": ("#009e73", {"penwidth": "2.5", "style": "rounded"}, "input (rounded, green)"),
    "leaf": ("#000000", {"penwidth": "2.5"}, "your value (thick border)"),
    "constant": ("#777777", {"penwidth": "1", "style": "dotted"}, "constant (dotted, no fill)"),
    "intermediate": ("#000000", {"penwidth": "1"}, "computed (thin border)"),
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


def esc(text: str) -> str:
    """One line of a plain Graphviz label, taken literally: backslashes (``\\N``) and ``&``
    (Graphviz reads ``&lt;`` as ``<``) escaped, line breaks made spaces. (Quotes are escaped by
    the graphviz package; labels go through ``graphviz.nohtml``, so ``<...>`` is not HTML.)"""
    text = text.replace("\\", "\\\\").replace("\n", " ").replace("\r", " ")
    return text.replace("&", "&amp;")


def lines(*texts: str) -> str:
    """A plain label of several centred lines, each taken literally."""
    return "\\n".join(esc(t) for t in texts)


