"""The names of a network's values, written and read in one place.

The reference text's names: weight ``W[l]_jk`` joins input j of layer l-1 to neuron k of layer l
(``W[l]_j,k`` for every weight of a network where an index has two digits), bias ``b[l]_k``,
pre-activation ``z[l]_k``, activation ``a[l]_k``; a data input is ``x_j`` (or ``xj``, or plain
``x``), and input j of sample i is ``x[i]_j``. In a formula a person types, the brackets are
dropped: ``W[2]_11`` is written ``W2_11`` (``formula_name``). ``nn`` writes these names;
``visualize``, ``explain`` and the symbolic tools read them through this module.
"""

from __future__ import annotations

import re
from typing import NamedTuple

__all__ = ["weight", "bias", "pre_activation", "activation", "data_input", "Label", "parse",
           "formula_name", "tex"]


def weight(l: int, j: int, k: int, wide: bool = False) -> str:
    """``W[l]_jk``, or ``W[l]_j,k`` in a network where some index has two digits (``wide``;
    always when j or k has): one style for every weight of a network, so ``W[2]_9,8`` sits
    beside ``W[2]_10,8``, never ``W[2]_98``."""
    return f"W[{l}]_{j},{k}" if wide or j > 9 or k > 9 else f"W[{l}]_{j}{k}"


def bias(l: int, k: int) -> str:
    """``b[l]_k``."""
    return f"b[{l}]_{k}"


def pre_activation(l: int, k: int) -> str:
    """``z[l]_k``: neuron k of layer l before its activation."""
    return f"z[{l}]_{k}"


def activation(l: int, k: int) -> str:
    """``a[l]_k``: the output of neuron k of layer l."""
    return f"a[{l}]_{k}"


def data_input(j: int, sample: int | None = None) -> str:
    """``x_j``, or ``x[i]_j`` for input j of sample i."""
    return f"x_{j}" if sample is None else f"x[{sample}]_{j}"


class Label(NamedTuple):
    """A label read by ``parse``: ``family`` is 'W', 'b', 'z', 'a' or 'x'; ``layer`` is l
    (None for data), ``j`` an input's index (W and x; 0 for a plain ``x``), ``k`` a neuron's
    (W, b, z, a), ``sample`` the i of ``x[i]_j``."""

    family: str
    layer: int | None
    j: int | None
    k: int | None
    sample: int | None = None


_NEURON = re.compile(r"^([bza])\[(\d+)\]_(\d+)$")
_WEIGHT = re.compile(r"^W\[(\d+)\]_(?:(\d+),(\d+)|(\d)(\d))$")
_INPUT = re.compile(r"^x(?:_?(\d+)|\[(\d+)\]_(\d+))?$")


def parse(label: str) -> Label | None:
    """The parts of a label in the format above, or None for any other label."""
    m = _NEURON.match(label)
    if m:
        return Label(m[1], int(m[2]), None, int(m[3]))
    m = _WEIGHT.match(label)
    if m:
        j, k = (m[2], m[3]) if m[2] else (m[4], m[5])
        return Label("W", int(m[1]), int(j), int(k))
    m = _INPUT.match(label)
    if m:
        if m[2]:
            return Label("x", None, int(m[3]), None, int(m[2]))
        return Label("x", None, int(m[1] or 0), None)
    return None


def formula_name(label: str) -> str:
    """How a label is written in a formula: brackets dropped (W[2]_11 -> W2_11, a[1]_1 -> a1_1),
    a comma between two-digit indices written as _ (W[1]_10,2 -> W1_10_2)."""
    return label.replace("[", "").replace("]", "").replace(",", "_")


_INDEXED = re.compile(r"^([A-Za-z]+)\[(\d+)\]_([\d,]+)$")
_SUBSCRIPT = re.compile(r"^([A-Za-z]+)_?(\d+)$")


def tex(name: str) -> str:
    """A name in LaTeX: W[2]_11 -> W^{[2]}_{11}, x_2 -> x_{2}, L -> L; else in \\mathrm."""
    m = _INDEXED.match(name)
    if m:
        return f"{m[1]}^{{[{m[2]}]}}_{{{m[3]}}}"
    m = _SUBSCRIPT.match(name)
    if m and len(m[1]) == 1:
        return f"{m[1]}_{{{m[2]}}}"
    if re.fullmatch(r"[A-Za-z]", name):
        return name
    escaped = re.sub(r"[\\_%$#&{}^~]", lambda m: _TEX_SPECIAL[m[0]], name)
    return rf"\mathrm{{{escaped}}}"


_TEX_SPECIAL = {"\\": r"\textbackslash{}", "^": r"\^{}", "~": r"\~{}",
                **{c: "\\" + c for c in "_%$#&{}"}}
