"""Expression mode: a formula typed by a person, parsed by the CLI's whitelist, built on Values."""

from __future__ import annotations

import ast

from autograd import Value
from visualize.lab import _internals as eng
from visualize.lab.graphview import GraphView, number
from visualize.lab.params import LabError

__all__ = ["build", "view", "respond", "MAX_CHARS", "MAX_NAMES", "DEFAULT_VALUE", "OUTPUT"]

MAX_CHARS = 2000      # a formula's length (the parser has the same limit of its own)
MAX_NAMES = 40        # sliders on the page
DEFAULT_VALUE = 1.0   # a name the page has no value for yet
OUTPUT = "out"        # the formula's result, as the CLI names it


def build(formula: str, values: dict[str, float]) -> tuple[Value, dict[str, Value]]:
    """The graph of ``formula`` with ``values`` for its names, and backward run on it.

    Refusals come before anything is built: a formula longer than the parser reads is refused
    on its length alone.
    """
    if len(formula) > MAX_CHARS:
        raise LabError("formula_too_long", count=len(formula), limit=MAX_CHARS)
    try:
        tree, names = eng.parse_formula(formula)
    except eng.FormulaError as e:
        raise LabError("formula_refused", message=str(e)) from None
    if len(names) > MAX_NAMES:
        raise LabError("too_many_names", count=len(names), limit=MAX_NAMES)
    if OUTPUT in names:
        raise LabError("name_reserved", name=OUTPUT)
    first = {}
    for node in ast.walk(tree):   # the names in the order the formula writes them
        if isinstance(node, ast.Name):
            at = (node.lineno, node.col_offset)
            first[node.id] = min(first.get(node.id, at), at)
    names = sorted(names, key=first.__getitem__)
    leaves = {n: Value(values.get(n, DEFAULT_VALUE), label=n) for n in names}
    try:
        out = eng.evaluate_formula(tree, leaves)
        if type(out) is not Value or out in leaves.values():
            out = out * 1.0 if type(out) is Value else Value(out)
        out.label = OUTPUT
        out.backward()
    except (ArithmeticError, ValueError) as e:
        why = "a number overflows a float" if isinstance(e, OverflowError) else str(e)
        raise LabError("formula_evaluate", message=why) from None
    return out, leaves


def view(formula: str, values: dict[str, float]) -> tuple[GraphView, dict]:
    """The GraphView of the formula and the page's response: leaves, output, picture."""
    out, leaves = build(formula, values)
    return respond(formula, out, leaves)


def respond(formula: str, out: Value, leaves: dict[str, Value]) -> tuple[GraphView, dict]:
    """The page's view of any graph whose backward has run: ``leaves`` (name -> Value) get
    sliders. A host with a graph of its own (a notebook's Value) answers with this too."""
    graph = GraphView(out)
    response = {
        "formula": formula,
        "leaves": [{"name": n, "value": number(v.data), "grad": number(v.grad),
                    "kind": graph.kind(v)} for n, v in leaves.items()],
        "output": {"name": graph.names[out], "value": number(out.data)},
        "graph": graph.to_json(),
        "check_targets": graph.check_targets(),
    }
    return graph, response
