"""What ``nn.exercises`` uses where numpy is missing (Pyodide, on the lab's static site, where
the set has exercises 1-6): exercise 1's answer, a number or a formula over single numbers, read
by the engine's own parser and evaluated on floats; and the vectorized checker's names, which
nothing there makes or raises."""

from __future__ import annotations

import ast
import html
import math

from autograd.extend import ARITHMETIC, FUNCTIONS, FormulaError, fold, parse_formula

__all__ = ["FormulaError", "ShapeProblem", "VectorizedCheck", "evaluate", "html_report",
           "parse_vectorized", "shape_of"]


class ShapeProblem(Exception):
    """Never raised here: single numbers have no shapes."""


class VectorizedCheck:
    """Never made here: the vectorized exercises need numpy."""


def parse_vectorized(formula: str) -> tuple[ast.Expression, list[str]]:
    """The formula checked by the engine's whitelist (FormulaError if refused), its names."""
    return parse_formula(formula)


def shape_of(tree: ast.Expression, shapes: dict, *sizes) -> tuple:
    """A formula of single numbers is a single number."""
    return ()


def evaluate(tree: ast.Expression, values: dict[str, float]) -> float:
    """The formula's value at ``values``; nan where it is undefined (log of 0, 1/0)."""
    def leaf(node: ast.AST) -> float:
        return values[node.id] if isinstance(node, ast.Name) else float(node.value)

    def apply(node: ast.AST, op: str, *args: float) -> float:
        try:
            return FUNCTIONS[op].value(args[0])[0] if op in FUNCTIONS else ARITHMETIC[op](*args)
        except (ArithmeticError, ValueError):
            return math.nan

    return fold(tree, leaf, apply)


def html_report(ok: bool, verdict: str, answer: str, rows) -> str:
    """A verdict as HTML, for a notebook."""
    mark = "✅" if ok else "❌"
    return f"<p><b>{mark} {html.escape(verdict)}</b></p><p><code>{html.escape(answer)}</code></p>"
