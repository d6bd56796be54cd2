"""Formulas typed by a person: parsed with ``ast``, checked against a whitelist, never eval'd.

A formula is plain arithmetic: numbers, names, ``+ - * / **``, unary ``-`` and calls of
the functions of the table of ops that say ``formula=True`` (``exp log tanh sigmoid relu``
and any op defined so). ``parse_formula`` refuses
anything else before a single operation runs, including what would hang an evaluator
(``9**9**9``, thousands of nested minus signs). ``fold`` then evaluates a checked tree
bottom-up with an explicit stack: on Values (the CLI's graph), on floats (the derivative
checker's numbers) or on SymPy expressions (its symbolic check).

A refusal (``FormulaError``) answers the person who typed the formula, so it is written in
their language (``autograd.i18n``), unlike the library's other exceptions.
"""

from __future__ import annotations

import ast
import math
import operator
import sys
import warnings
from collections.abc import Callable, Mapping
from typing import Any

from autograd.core import OPS, Op
from autograd.i18n import N_, listed, tr

__all__ = ["parse_formula", "fold", "float_apply", "FormulaError", "FUNCTIONS", "ARITHMETIC",
           "allowed", "MAX_LENGTH", "MAX_DEPTH", "MAX_EXPONENT"]



class _Functions(Mapping):
    """The functions a formula may call: each row of the table of ops with ``formula=True``,
    by its method name. A live view: an op defined later joins it."""

    def _rows(self) -> dict[str, Op]:
        return {op.method: op for op in OPS.values() if op.formula}

    def __getitem__(self, name: str) -> Op:
        return self._rows()[name]

    def __iter__(self):
        return iter(self._rows())

    def __len__(self) -> int:
        return len(self._rows())


FUNCTIONS: Mapping[str, Op] = _Functions()
_OPERATORS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**",
              ast.USub: "neg", ast.UAdd: "pos"}
_CHAINS = {"+", "-", "*", "/"}
ARITHMETIC = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv,
              "**": operator.pow, "neg": operator.neg, "pos": lambda a: a}


def allowed() -> str:
    """What a formula may use, in words (the table's formula functions named)."""
    return tr("numbers, names, + - * / **, unary -, and calls of {functions}",
              functions=listed(FUNCTIONS))


MAX_LENGTH = 2000   # characters
MAX_DEPTH = 100     # nested calls, powers, signs and right-hand operands (a + b + c is depth 1)
MAX_EXPONENT = 1000  # |n| of a constant exponent
# what a refusal names: each a noun phrase that fits "refused: ... ('text' at column n)"
_REFUSED = {
    ast.Attribute: N_("attribute access"), ast.Subscript: N_("subscripts"),
    ast.Lambda: N_("lambdas"), ast.Compare: N_("comparisons"), ast.BoolOp: N_("and/or"),
    ast.IfExp: N_("if/else"), ast.Starred: N_("* unpacking"), ast.JoinedStr: N_("f-strings"),
    ast.ListComp: N_("comprehensions"), ast.GeneratorExp: N_("comprehensions"),
    ast.Dict: N_("dicts"), ast.List: N_("lists"), ast.Tuple: N_("tuples"), ast.Set: N_("sets"),
    ast.NamedExpr: N_(":="), ast.Slice: N_("slices"),
}
_OTHER_OPERATORS = {
    ast.BitXor: N_("the operator ^, which is not a power in Python: write x**2"),
    ast.FloorDiv: N_("the operator // (write / for division)"),
}
_SYMBOLS = {ast.Mod: "%", ast.MatMult: "@", ast.BitAnd: "&", ast.BitOr: "|", ast.LShift: "<<",
            ast.RShift: ">>", ast.Invert: "~", ast.Not: "not"}


class FormulaError(ValueError):
    """The formula is not plain arithmetic on numbers and names, or names what is not there."""


def _refuse(node: ast.AST, formula: str, what: str) -> FormulaError:
    """The refusal of one part of the formula; ``what`` is a noun phrase, translated."""
    text = ast.get_source_segment(formula, node) or ""
    text = text if len(text) <= 40 else text[:37] + "..."
    if hasattr(node, "col_offset"):
        return FormulaError(tr("refused: {what} ({text!r} at column {column}). A formula may "
                               "use only {allowed}", what=what, text=text,
                               column=node.col_offset + 1, allowed=allowed()))
    return FormulaError(tr("refused: {what} ({text!r}). A formula may use only {allowed}",
                           what=what, text=text, allowed=allowed()))


def parse_formula(formula: str) -> tuple[ast.Expression, list[str]]:
    """Parse and check ``formula`` without evaluating anything.

    Args:
        formula: e.g. ``"tanh(x*w + b)"``.

    Returns:
        The syntax tree and the sorted names the formula needs values for.

    Raises:
        FormulaError: for anything outside the whitelist or its limits, naming what and where.
    """
    if not isinstance(formula, str):
        raise FormulaError(tr("refused: a formula is text (a str), got {type} {value!r}",
                              type=type(formula).__name__, value=formula))
    if not formula.strip():
        raise FormulaError(tr("refused: the formula is empty"))
    if len(formula) > MAX_LENGTH:
        raise FormulaError(tr("refused: the formula has {n} characters (at most {limit})",
                              n=len(formula), limit=MAX_LENGTH))
    formula = formula.strip()
    try:
        with warnings.catch_warnings():  # Python's own hints ("invalid decimal literal")
            warnings.simplefilter("ignore")
            tree = ast.parse(formula, mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError) as e:
        raise FormulaError(tr("refused: not a valid formula ({reason})",
                              reason=getattr(e, "msg", e))) from None
    names = _check_nodes(tree, formula)
    check = _LimitCheck(formula)
    fold(tree, check.leaf, check.apply)
    return tree, sorted(names)


def _check_nodes(tree: ast.Expression, formula: str) -> set[str]:
    """The whitelist, node by node; returns the names used."""
    called, names = set(), set()
    for node in ast.walk(tree):  # breadth first: a call comes before the name it calls
        if isinstance(node, (ast.Expression, ast.Load)) or type(node) in _OPERATORS:
            continue
        check = _CHECKS.get(type(node))
        why = check(node, called, names) if check else \
            tr(_REFUSED[type(node)]) if type(node) in _REFUSED else type(node).__name__
        if why:
            raise _refuse(node, formula, why)
    return names


def _operator(node: ast.BinOp | ast.UnaryOp, called: set, names: set) -> str | None:
    if type(node.op) not in _OPERATORS:
        if type(node.op) in _OTHER_OPERATORS:
            return tr(_OTHER_OPERATORS[type(node.op)])
        return tr("the operator {name}", name=_SYMBOLS.get(type(node.op), type(node.op).__name__))
    return None


def _constant(node: ast.Constant, called: set, names: set) -> str | None:
    value = node.value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return tr("strings") if isinstance(value, (str, bytes)) else \
            tr("the constant {value!r}", value=value)
    if abs(value) > sys.float_info.max or not math.isfinite(value):
        return tr("a number too large for a float")
    return None


def _call(node: ast.Call, called: set, names: set) -> str | None:
    if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
        return tr("calls of anything but {functions}", functions=listed(FUNCTIONS))
    if len(node.args) != 1 or node.keywords or isinstance(node.args[0], ast.Starred):
        return tr("{name} takes exactly one argument", name=node.func.id)
    called.add(id(node.func))
    return None


def _name(node: ast.Name, called: set, names: set) -> str | None:
    if node.id.startswith("__"):
        return tr("names starting with __")
    if node.id not in FUNCTIONS:
        names.add(node.id)
    elif id(node) not in called:
        return tr("{name} is a function: call it", name=node.id)
    return None


_CHECKS = {ast.BinOp: _operator, ast.UnaryOp: _operator, ast.Constant: _constant,
           ast.Call: _call, ast.Name: _name}  # the node kinds a formula may have


class _LimitCheck:
    """A fold that evaluates nothing but measures depth and the constants' sizes.

    Each node folds to ``(depth, constant)``: constant is the float value of a subtree made
    of numbers only (None otherwise). Powers of constants are computed only once their
    exponent is known to be at most MAX_EXPONENT, so ``9**9**9`` is refused, not computed.
    """

    def __init__(self, formula: str):
        self.formula = formula

    def leaf(self, node: ast.AST) -> tuple[int, float | None]:
        return 0, float(node.value) if isinstance(node, ast.Constant) else None

    def apply(self, node: ast.AST, op: str, *args: tuple[int, float | None]):
        chain = op in _CHAINS  # a + b + c nests to the left: free, like a flat sum
        depth = max(d + (0 if chain and i == 0 else 1) for i, (d, _) in enumerate(args))
        if depth > MAX_DEPTH:
            raise _refuse(node, self.formula, tr("nesting deeper than {limit}", limit=MAX_DEPTH))
        values = [c for _, c in args]
        if op == "**" and values[1] is not None and abs(values[1]) > MAX_EXPONENT:
            raise _refuse(node, self.formula, tr("an exponent larger than {limit}",
                                                 limit=MAX_EXPONENT))
        if None in values:
            return depth, None
        try:
            value = float_apply(op, *values)
        except OverflowError:
            value = math.inf
        except (ArithmeticError, ValueError):
            return depth, None  # 1/0 and the like: left for evaluation to report
        if op == "**" and not math.isfinite(value):
            raise _refuse(node, self.formula, tr("a power of numbers too large for a float"))
        return depth, value


def fold(tree: ast.Expression, leaf: Callable[[ast.AST], Any],
         apply: Callable[..., Any]) -> Any:
    """Evaluate a tree checked by ``parse_formula`` bottom-up (explicit stack: any nesting).

    Args:
        tree: from ``parse_formula``.
        leaf: ``leaf(node)`` for an ``ast.Constant`` or ``ast.Name``.
        apply: ``apply(node, op, *args)`` with op one of ``+ - * / ** neg pos`` or a name in
            ``FUNCTIONS``, and the folded arguments.

    Returns:
        The folded value of the whole formula.
    """
    results: list = []
    stack: list[tuple[ast.AST, bool]] = [(tree.body, False)]
    while stack:
        node, ready = stack.pop()
        if isinstance(node, (ast.Constant, ast.Name)):
            results.append(leaf(node))
        elif not ready:
            stack.append((node, True))
            stack.extend((child, False) for child in reversed(_children(node)))
        else:
            n = len(_children(node))
            args = results[-n:]
            del results[-n:]
            op = node.func.id if isinstance(node, ast.Call) else _OPERATORS[type(node.op)]
            results.append(apply(node, op, *args))
    return results[0]


def _children(node: ast.AST) -> list[ast.AST]:
    if isinstance(node, ast.BinOp):
        return [node.left, node.right]
    if isinstance(node, ast.UnaryOp):
        return [node.operand]
    return [node.args[0]]  # a call, checked to have one argument


def float_apply(op: str, *args: float) -> float:
    """One step of a formula on floats; the functions are the rows' values (so their errors)."""
    if op in FUNCTIONS:
        return FUNCTIONS[op].value(args[0])[0]
    if op == "/" and args[1] == 0.0:
        raise ZeroDivisionError(f"{args[0]:g} / 0")
    if op == "**":
        a, b = args
        if a < 0.0 and not b.is_integer():
            raise ValueError(f"{a:g} ** {b:g}: a negative base needs an integer exponent")
        if a == 0.0 and b < 0.0:
            raise ZeroDivisionError(f"0 ** {b:g}")
    return ARITHMETIC[op](*args)
