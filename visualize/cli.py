"""python -m visualize "tanh(x*w + b)" --set x=2 w=-3 b=6.88 -o neuron.svg

The formula is parsed with ``ast`` and checked against a whitelist (numbers, names, + - * / **,
unary -, calls of exp, log, tanh, sigmoid, relu) before anything is evaluated; it is never
passed to ``eval``. Refusals exit with code 2, evaluation and rendering errors with code 1.
"""

from __future__ import annotations

import argparse
import ast
import math
import sys
from collections.abc import Sequence

from autograd.engine import Value
from autograd.names import display_names
from visualize.animate import animate_backward
from visualize.graph import draw_dot
from visualize.render import render

__all__ = ["main", "parse_formula", "FormulaError", "FUNCTIONS"]

FUNCTIONS = {"exp": Value.exp, "log": Value.log, "tanh": Value.tanh, "sigmoid": Value.sigmoid,
             "relu": Value.relu}
_BINARY = {ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b,
           ast.Mult: lambda a, b: a * b, ast.Div: lambda a, b: a / b,
           ast.Pow: lambda a, b: a ** b}
_UNARY = {ast.USub: lambda a: -a, ast.UAdd: lambda a: a}
_ALLOWED = "numbers, names, + - * / **, unary -, and calls of " + ", ".join(FUNCTIONS)
_MAX_LENGTH = 2000
_REFUSED = {
    ast.Attribute: "attribute access", ast.Subscript: "subscripts", ast.Lambda: "lambdas",
    ast.Compare: "comparisons", ast.BoolOp: "and/or", ast.IfExp: "if/else",
    ast.Starred: "* unpacking", ast.JoinedStr: "f-strings", ast.ListComp: "comprehensions",
    ast.GeneratorExp: "comprehensions", ast.Dict: "dicts", ast.List: "lists",
    ast.Tuple: "tuples", ast.Set: "sets", ast.NamedExpr: ":=", ast.Slice: "slices",
}


class FormulaError(ValueError):
    """The formula is not plain arithmetic on numbers and names."""


def _refuse(node: ast.AST, formula: str, what: str) -> FormulaError:
    text = ast.get_source_segment(formula, node) or ""
    at = f" at column {node.col_offset + 1}" if hasattr(node, "col_offset") else ""
    return FormulaError(f"refused: {what} ({text!r}{at}). A formula may use only {_ALLOWED}")


def parse_formula(formula: str) -> tuple[ast.Expression, list[str]]:
    """Parse and check ``formula`` without evaluating anything.

    Args:
        formula: e.g. ``"tanh(x*w + b)"``.

    Returns:
        The syntax tree and the sorted names the formula needs values for.

    Raises:
        FormulaError: for anything outside the whitelist, naming what and where.
    """
    if not isinstance(formula, str) or not formula.strip():
        raise FormulaError("refused: the formula is empty")
    if len(formula) > _MAX_LENGTH:
        raise FormulaError(f"refused: the formula has {len(formula)} characters "
                           f"(at most {_MAX_LENGTH})")
    try:
        tree = ast.parse(formula.strip(), mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError) as e:
        raise FormulaError(f"refused: not a valid formula ({getattr(e, 'msg', e)})") from None
    formula = formula.strip()
    called, names = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Expression, ast.Load)) or type(node) in _BINARY \
                or type(node) in _UNARY:
            continue
        if isinstance(node, ast.BinOp):
            if type(node.op) not in _BINARY:
                raise _refuse(node, formula, f"the operator {type(node.op).__name__}")
        elif isinstance(node, ast.UnaryOp):
            if type(node.op) not in _UNARY:
                raise _refuse(node, formula, f"the operator {type(node.op).__name__}")
        elif isinstance(node, ast.Constant):
            if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
                kind = "strings" if isinstance(node.value, (str, bytes)) else \
                    f"the constant {node.value!r}"
                raise _refuse(node, formula, kind)
            if isinstance(node.value, int) and abs(node.value) > 10 ** 300:
                raise _refuse(node, formula, "a number too large for a float")
        elif isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
                raise _refuse(node, formula, "calls of anything but " + ", ".join(FUNCTIONS))
            if len(node.args) != 1 or node.keywords or isinstance(node.args[0], ast.Starred):
                raise _refuse(node, formula, f"{node.func.id} takes exactly one argument")
            called.add(id(node.func))
        elif isinstance(node, ast.Name):
            if node.id in FUNCTIONS:
                if id(node) not in called:
                    raise _refuse(node, formula, f"{node.id} is a function: call it")
            else:
                names.add(node.id)
        else:
            what = _REFUSED.get(type(node), type(node).__name__)
            raise _refuse(node, formula, what)
    return tree, sorted(names)


def _children(node: ast.AST) -> list[ast.AST]:
    if isinstance(node, ast.BinOp):
        return [node.left, node.right]
    if isinstance(node, ast.UnaryOp):
        return [node.operand]
    if isinstance(node, ast.Call):
        return [node.args[0]]
    return []


def _number_op(fn, *args):
    """An op on plain numbers, done through Value so its range checks and errors apply."""
    return fn(Value(float(args[0])), *args[1:]).data


def evaluate(tree: ast.Expression, values: dict[str, Value]):
    """Evaluate a tree checked by ``parse_formula`` (iteratively: any nesting works)."""
    results: list = []
    stack: list[tuple[ast.AST, bool]] = [(tree.body, False)]
    while stack:
        node, ready = stack.pop()
        if not ready:
            stack.append((node, True))
            stack.extend((child, False) for child in reversed(_children(node)))
            continue
        if isinstance(node, ast.Constant):
            results.append(float(node.value))
        elif isinstance(node, ast.Name):
            results.append(values[node.id])
        elif isinstance(node, ast.BinOp):
            b, a = results.pop(), results.pop()
            fn = _BINARY[type(node.op)]
            both_numbers = type(a) is float and type(b) is float
            results.append(_number_op(fn, a, b) if both_numbers else fn(a, b))
        elif isinstance(node, ast.UnaryOp):
            results.append(_UNARY[type(node.op)](results.pop()))
        else:
            a = results.pop()
            fn = FUNCTIONS[node.func.id]
            results.append(_number_op(fn, a) if type(a) is float else fn(a))
    return results[0]


def _assignments(items: Sequence[str]) -> dict[str, float]:
    values = {}
    for item in items:
        name, sep, number = item.partition("=")
        name = name.strip()
        if not sep or not name.isidentifier():
            raise FormulaError(f"refused: --set takes name=number, got {item!r}")
        if name in FUNCTIONS:
            raise FormulaError(f"refused: --set {name}: {name} is a function name")
        try:
            value = float(number)
        except ValueError:
            raise FormulaError(f"refused: --set {name}: {number!r} is not a number") from None
        if not math.isfinite(value):
            raise FormulaError(f"refused: --set {name}: the value must be finite, got {number}")
        values[name] = value
    return values


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line on stderr (exit 2), like every other refusal."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: refused: {message} (see --help)\n")


def _parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="python -m visualize",
        description="Build the computation graph of a formula, run backward, print every "
                    "input's value and gradient, and draw the graph.",
        epilog='example: python -m visualize "tanh(x*w + b)" --set x=2 w=-3 b=6.88 '
               "-o neuron.svg")
    p.add_argument("formula", help=f"plain arithmetic: {_ALLOWED}")
    p.add_argument("--set", nargs="+", action="extend", default=[], metavar="NAME=NUMBER",
                   help="the value of each name in the formula")
    p.add_argument("-o", "--output", help="draw the graph to this file (.svg, .png, .pdf, .dot); "
                                          "missing folders are created")
    p.add_argument("--html", metavar="PATH",
                   help="write the step-by-step backward animation to this HTML file")
    p.add_argument("--no-render", action="store_true",
                   help="only print values and gradients; write no file")
    p.add_argument("--digits", type=int, default=4,
                   help="significant digits, 1 to 17 (default 4)")
    return p


def _print_computed(out: Value, digits: int, most: int = 20) -> None:
    """The computed values under the names the picture, the page and explain give them."""
    computed = [(name, v) for v, name in display_names(out).items() if v._prev]
    if not computed:
        return
    if len(computed) > most:
        print(f"({len(computed)} computed values; the picture names them as explain does)")
        return
    print("computed (named as in the picture and in explain):")
    width = max(len(name) for name, _ in computed)
    for name, v in computed:
        print(f"  {name:<{width}}  {v._op:<8} {v.data:>12.{digits}g}  {v.grad:>12.{digits}g}")


def _one_line(error: Exception) -> str:
    """An error as one line: a file error names the file, anything else keeps its message."""
    if isinstance(error, OSError) and error.filename is not None:
        return f"cannot write {error.filename}: {error.strerror or error}"
    return " ".join(str(error).split()) or type(error).__name__


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (0 ok, 1 error, 2 refused).

    Every error is reported as one line on stderr, never as a traceback.
    """
    try:
        return _main(argv)
    except KeyboardInterrupt:
        print("python -m visualize: interrupted", file=sys.stderr)
        return 130
    except (ValueError, ArithmeticError, RuntimeError, OSError) as e:   # incl. Graphviz errors
        print(f"python -m visualize: {_one_line(e)}", file=sys.stderr)
        return 1
    except Exception as e:  # a bug: still one line, with what to report
        print(f"python -m visualize: internal error ({type(e).__name__}: {_one_line(e)}); "
              "please report it with the command you ran", file=sys.stderr)
        return 1


def _main(argv: Sequence[str] | None) -> int:
    args = _parser().parse_args(argv)
    try:
        if not 1 <= args.digits <= 17:
            raise FormulaError(f"refused: --digits must be from 1 to 17, got {args.digits}")
        tree, names = parse_formula(args.formula)
        given = _assignments(args.set)
    except FormulaError as e:
        print(f"python -m visualize: {e}", file=sys.stderr)
        return 2
    missing = [n for n in names if n not in given]
    if missing:
        needs = ", ".join(names)
        print(f"python -m visualize: refused: unknown name{'s' if len(missing) > 1 else ''} "
              f"{', '.join(missing)}. The formula needs values for: {needs}; give them with "
              f"--set {' '.join(n + '=...' for n in names)}", file=sys.stderr)
        return 2
    unused = sorted(set(given) - set(names))
    if unused:
        print(f"note: ignoring {', '.join(unused)} (not in the formula)", file=sys.stderr)

    leaves = {n: Value(given[n], label=n) for n in names}
    try:
        out = evaluate(tree, leaves)
    except (ArithmeticError, ValueError) as e:
        why = "a number overflows a float" if isinstance(e, OverflowError) else str(e)
        print(f"python -m visualize: could not evaluate the formula: {why}", file=sys.stderr)
        return 1
    if type(out) is not Value or out in leaves.values():
        out = out * 1.0 if type(out) is Value else Value(out)
    out.label = "out"
    html = args.html and not args.no_render
    if html:
        animate_backward(out, args.html, digits=args.digits, title=args.formula)
    else:
        out.backward()
    d = args.digits
    print(f"{args.formula.strip()} = {out.data:.{d}g}")
    if names:
        width = max(len(n) for n in names)
        print(f"  {'name':<{width}}  {'value':>12}  {'gradient':>12}")
        for n in names:
            print(f"  {n:<{width}}  {leaves[n].data:>12.{d}g}  {leaves[n].grad:>12.{d}g}")
    _print_computed(out, d)
    if html:
        print(f"wrote {args.html}")
    if args.output and not args.no_render:
        render(draw_dot(out, digits=d), args.output)
        print(f"wrote {args.output}")
    elif not args.output and not html and not args.no_render:
        print("(give -o graph.svg to draw the graph, --html page.html for the animation)")
    return 0
