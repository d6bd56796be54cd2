"""python -m visualize "tanh(x*w + b)" --set x=2 w=-3 b=6.88 -o neuron.svg

With ``--wrt w --check "x*(1 - tanh(x*w + b)**2)"`` it also checks a hand-derived formula for
∂out/∂w (``autograd.check_derivative``): exit code 0 when right, 1 when wrong.

The formula is parsed with ``ast`` and checked against a whitelist (numbers, names, + - * / **,
unary -, calls of exp, log, tanh, sigmoid, relu; ``autograd.checks.formula``) before anything is
evaluated; it is never passed to ``eval``. Refusals exit with code 2, evaluation and rendering
errors with code 1.
"""

from __future__ import annotations

import argparse
import ast
import math
import pathlib
import sys
import unicodedata
from collections.abc import Sequence

from autograd import Value, check_derivative
from autograd.extend import ALLOWED as _ALLOWED
from autograd.extend import (
    ARITHMETIC,
    FUNCTIONS,
    FormulaError,
    display_names,
    fold,
    parse_formula,
)
from visualize.animate import animate_backward
from visualize.graph import GraphTooLargeError, draw_dot
from visualize.render import FORMATS, render

__all__ = ["main", "parse_formula", "FormulaError", "FUNCTIONS"]


def evaluate(tree: ast.Expression, values: dict[str, Value]):
    """Build the graph of a tree checked by ``parse_formula`` (iteratively: any nesting works).

    Numbers combined with numbers only go through a Value too, so the engine's range checks
    and error messages apply to them.
    """
    def leaf(node: ast.AST):
        return float(node.value) if isinstance(node, ast.Constant) else values[node.id]

    def apply(node: ast.AST, op: str, *args):
        fn = getattr(Value, op) if op in FUNCTIONS else ARITHMETIC[op]
        if all(type(a) is float for a in args):
            return fn(Value(args[0]), *args[1:]).data
        return fn(*args)

    return fold(tree, leaf, apply)


def _assignments(items: Sequence[str]) -> dict[str, float]:
    values = {}
    for item in items:
        name, sep, number = item.partition("=")
        name = unicodedata.normalize("NFKC", name.strip())  # as Python reads names: 𝐱 is x
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

    def __init__(self, **kwargs):
        self.argv: list[str] = []
        self.options: set[str] = set()  # argparse adds -h/--help while it starts
        super().__init__(allow_abbrev=False, **kwargs)

    def add_argument(self, *names, **kwargs):
        self.options.update(n for n in names if n.startswith("-"))
        return super().add_argument(*names, **kwargs)

    def error(self, message: str):
        dashed = [a for a in self.argv if a.startswith("-") and a != "--" and
                  a.partition("=")[0] not in self.options]
        if "formula" in message and dashed:  # "-x*2" was read as an option
            message = (f"{dashed[0]!r} starts with -, so it was read as an option: put a space "
                       f"before it (\" {dashed[0]}\"), or the options first and -- before it")
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
    p.add_argument("--max-nodes", type=int, default=500, metavar="N",
                   help="draw graphs of up to N values (default 500; larger ones take long "
                        "to lay out)")
    p.add_argument("--digits", type=int, default=4,
                   help="significant digits, 1 to 17 (default 4)")
    p.add_argument("--wrt", metavar="NAME", help="with --check: the input to differentiate by")
    p.add_argument("--check", metavar="FORMULA",
                   help="your formula for ∂out/∂NAME, in the same arithmetic; its names are "
                        "the --set names and out; exit code 0 when right, 1 when wrong")
    return p


def _check_refusal(args: argparse.Namespace, names: list[str]) -> str | None:
    """Why the options cannot run (before anything does), or None."""
    refusal = _output_refusal(args)
    if refusal:
        return refusal
    if bool(args.check) != bool(args.wrt):
        return "refused: --check and --wrt go together (--wrt NAME --check FORMULA)"
    if not args.check:
        return None
    if args.wrt not in names:
        return f"refused: --wrt {args.wrt}: not a name of the formula ({', '.join(names)})"
    if "out" in names:
        return ("refused: --check calls the formula's result out, and the formula has an "
                "input named out: rename that input")
    try:
        _, used = parse_formula(args.check)
    except FormulaError as e:
        return f"--check: {e}"
    unknown = [n for n in used if n not in names and n != "out"]
    if unknown:
        return (f"refused: --check uses {', '.join(unknown)}, which the formula does not "
                f"have; it may use {', '.join(names + ['out'])}")
    return None


def _output_refusal(args: argparse.Namespace) -> str | None:
    """Why -o, --html or --max-nodes cannot be written (before anything is), or None."""
    if args.max_nodes < 1:
        return f"refused: --max-nodes must be at least 1, got {args.max_nodes}"
    if args.no_render:
        return None
    if args.output:
        suffix = pathlib.Path(args.output).suffix.lower().lstrip(".")
        if suffix not in FORMATS:
            return (f"refused: -o {args.output}: the file type comes from the extension; use "
                    f"one of {', '.join('.' + f for f in FORMATS)}")
    if args.output and args.html and \
            pathlib.Path(args.output).resolve() == pathlib.Path(args.html).resolve():
        return f"refused: -o and --html both name {args.output}; give them different files"
    return None


def _run_check(args: argparse.Namespace, out: Value, leaves: dict[str, Value]) -> int:
    """The derivative checker's report for --check: 0 right, 1 wrong or not confirmed."""
    if not args.check:
        return 0
    report = check_derivative(args.check, out, leaves[args.wrt])
    print(report)
    return 0 if report.ok else 1


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
    except SystemExit as e:  # argparse's --help and usage errors (already printed)
        return e.code if isinstance(e.code, int) else 1
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
    parser = _parser()
    parser.argv = list(sys.argv[1:] if argv is None else argv)
    args = parser.parse_args(parser.argv)
    try:
        if not 1 <= args.digits <= 17:
            raise FormulaError(f"refused: --digits must be from 1 to 17, got {args.digits}")
        tree, names = parse_formula(args.formula)
        given = _assignments(args.set)
        refusal = _check_refusal(args, names)
    except FormulaError as e:
        refusal = str(e)
    if refusal:
        print(f"python -m visualize: {refusal}", file=sys.stderr)
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
        print(f"python -m visualize: refused: --set {', '.join(unused)}: not in the formula; "
              f"its names are: {', '.join(names) or 'none'}", file=sys.stderr)
        return 2

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
    out.backward()
    if html:
        animate_backward(out, args.html, digits=args.digits, title=args.formula)
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
        try:
            graph = draw_dot(out, digits=d, max_nodes=args.max_nodes)
        except GraphTooLargeError as e:
            print(f"python -m visualize: not drawn: the graph has {e.count} values, more than "
                  f"--max-nodes {e.limit}; give --max-nodes {e.count} to draw it anyway "
                  "(layout may take long)", file=sys.stderr)
            return 1
        render(graph, args.output)
        print(f"wrote {args.output}")
    elif not args.output and not html and not args.no_render:
        print("(give -o graph.svg to draw the graph, --html page.html for the animation)")
    return _run_check(args, out, leaves)
