"""python -m visualize "tanh(x*w + b)" --set x=2 w=-3 b=6.88 -o neuron.svg

``python -m visualize lab`` (``lab`` as the first word) starts the live lab instead
(``visualize.__main__`` hands it to ``visualize.lab.cli``); a formula that is only the name
lab is written ``(lab)``.

With ``--wrt w --check "x*(1 - tanh(x*w + b)**2)"`` it also checks a hand-derived formula for
∂out/∂w (``autograd.check_derivative``): exit code 0 when right, 1 when wrong.

The formula is parsed with ``ast`` and checked against a whitelist (numbers, names, + - * / **,
unary -, calls of exp, log, tanh, sigmoid, relu; ``autograd.checks.formula``) before anything is
evaluated; it is never passed to ``eval``. Refusals exit with code 2, evaluation and rendering
errors with code 1.

``--lang zh`` (or ``LANG=zh_CN.UTF-8``, as gettext reads the environment) prints and draws in
Chinese; argparse's own words for a usage error stay English, inside a translated sentence.
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
from autograd.extend import (
    ARITHMETIC,
    FUNCTIONS,
    FormulaError,
    HelpFormatter,
    allowed,
    display_names,
    fold,
    languages,
    listed,
    parse_formula,
    tr,
    trn,
    using_language,
    width,
)
from visualize.animate import animate_backward
from visualize.graph import GraphTooLargeError, draw_dot
from visualize.render import FORMATS, blocking_file, render

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
            raise FormulaError(tr("refused: --set takes name=number, got {item!r}", item=item))
        if name in FUNCTIONS:
            raise FormulaError(tr("refused: --set {name}: {name} is a function name", name=name))
        try:
            value = float(number)
        except ValueError:
            raise FormulaError(tr("refused: --set {name}: {number!r} is not a number", name=name,
                                  number=number)) from None
        if not math.isfinite(value):
            raise FormulaError(tr("refused: --set {name}: the value must be finite, got "
                                  "{number}", name=name, number=number))
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
            message = tr("{arg!r} starts with -, so it was read as an option: put a space before "
                         "it (\" {arg}\"), or the options first and -- before it", arg=dashed[0])
        self.exit(2, tr("{prog}: refused: {message} (see --help)", prog=self.prog,
                        message=message) + "\n")


def _parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="python -m visualize", add_help=False, formatter_class=HelpFormatter,
        description=tr("Build the computation graph of a formula, run backward, print every "
                       "input's value and gradient, and draw the graph."),
        epilog=tr("example: {example}. The live lab in the browser: python -m visualize lab "
                  "(lab as the first word starts it; see python -m visualize lab --help); a "
                  "formula that is only the name lab is written (lab).",
                  example='python -m visualize "tanh(x*w + b)" --set x=2 w=-3 b=6.88 '
                          "-o neuron.svg"))
    p._positionals.title = tr("positional arguments")   # argparse's own titles are English
    p._optionals.title = tr("options")
    p.add_argument("formula", help=tr("plain arithmetic: {allowed}", allowed=allowed()))
    p.add_argument("-h", "--help", action="help", help=tr("show this help and exit"))
    p.add_argument("--set", nargs="+", action="extend", default=[], metavar="NAME=NUMBER",
                   help=tr("the value of each name in the formula"))
    p.add_argument("-o", "--output", help=tr("draw the graph to this file (.svg, .png, .pdf, "
                                             ".dot); missing folders are created"))
    p.add_argument("--html", metavar="PATH",
                   help=tr("write the step-by-step backward animation to this HTML file"))
    p.add_argument("--no-render", action="store_true",
                   help=tr("only print values and gradients; write no file"))
    p.add_argument("--max-nodes", type=int, default=500, metavar="N",
                   help=tr("draw graphs of up to N values (default 500; larger ones take long "
                           "to lay out)"))
    p.add_argument("--digits", type=int, default=4,
                   help=tr("significant digits, 1 to 17 (default 4)"))
    p.add_argument("--wrt", metavar="NAME",
                   help=tr("with --check: the input to differentiate by"))
    p.add_argument("--check", metavar="FORMULA",
                   help=tr("your formula for ∂out/∂NAME, in the same arithmetic; its names are "
                           "the --set names and out; exit code 0 when right, 1 when wrong"))
    p.add_argument("--lang", choices=languages(),
                   help=tr("the language it prints and draws in (the default comes from "
                           "LANGUAGE, LC_ALL, LC_MESSAGES or LANG)"))
    return p


def _check_refusal(args: argparse.Namespace, names: list[str]) -> str | None:
    """Why the options cannot run (before anything does), or None."""
    refusal = _output_refusal(args)
    if refusal:
        return refusal
    if bool(args.check) != bool(args.wrt):
        return tr("refused: --check and --wrt go together (--wrt NAME --check FORMULA)")
    if not args.check:
        return None
    if args.wrt not in names:
        return tr("refused: --wrt {name}: not a name of the formula ({names})", name=args.wrt,
                  names=listed(names))
    if "out" in names:
        return tr("refused: --check calls the formula's result out, and the formula has an "
                  "input named out: rename that input")
    try:
        _, used = parse_formula(args.check)
    except FormulaError as e:
        return tr("--check: {reason}", reason=e)
    unknown = [n for n in used if n not in names and n != "out"]
    if unknown:
        return tr("refused: --check uses {unknown}, which the formula does not have; it may use "
                  "{names}", unknown=listed(unknown), names=listed(names + ["out"]))
    return None


def _output_refusal(args: argparse.Namespace) -> str | None:
    """Why -o, --html or --max-nodes cannot be written (before anything is), or None."""
    if args.max_nodes < 1:
        return tr("refused: --max-nodes must be at least 1, got {n}", n=args.max_nodes)
    if args.no_render:
        return None
    if args.output:
        suffix = pathlib.Path(args.output).suffix.lower().lstrip(".")
        if suffix not in FORMATS:
            return tr("refused: -o {path}: the file type comes from the extension; use one of "
                      "{types}", path=args.output, types=listed("." + f for f in FORMATS))
    if args.output and args.html and \
            pathlib.Path(args.output).resolve() == pathlib.Path(args.html).resolve():
        return tr("refused: -o and --html both name {path}; give them different files",
                  path=args.output)
    return None


def _unwritable(args: argparse.Namespace) -> str | None:
    """Why a file -o or --html names cannot be written (a file where a folder should be)."""
    for path in (args.html, args.output):
        blocker = blocking_file(path) if path and not args.no_render else None
        if blocker is not None:
            return tr("cannot write {path}: {folder} is a file, not a folder", path=path,
                      folder=blocker)
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
        print(tr("({n} computed values; the picture names them as explain does)",
                 n=len(computed)))
        return
    print(tr("computed (named as in the picture and in explain):"))
    width = max(len(name) for name, _ in computed)
    for name, v in computed:
        print(f"  {name:<{width}}  {v._op:<8} {v.data:>12.{digits}g}  {v.grad:>12.{digits}g}")


def _one_line(error: Exception) -> str:
    """An error as one line: a file error names the file, anything else keeps its message."""
    if isinstance(error, OSError) and error.filename is not None:
        return tr("cannot write {path}: {reason}", path=error.filename,
                  reason=error.strerror or error)
    return " ".join(str(error).split()) or type(error).__name__


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (0 ok, 1 error, 2 refused).

    Every error is reported as one line on stderr, never as a traceback. ``--lang`` chooses
    the language for this run only (``autograd.using_language``).
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    with using_language(_language(argv)):
        try:
            return _main(argv)
        except SystemExit as e:  # argparse's --help and usage errors (already printed)
            return e.code if isinstance(e.code, int) else 1
        except KeyboardInterrupt:
            _say(tr("interrupted"))
            return 130
        except (ValueError, ArithmeticError, RuntimeError, OSError) as e:   # incl. Graphviz
            _say(_one_line(e))
            return 1
        except Exception as e:  # a bug: still one line, with what to report
            _say(tr("internal error ({kind}: {message}); please report it with the command you "
                    "ran", kind=type(e).__name__, message=_one_line(e)))
            return 1


def _language(argv: list[str]) -> str | None:
    """The --lang given (a language there are messages for), read before anything else, so
    that --help and every refusal use it; None: the environment decides."""
    chosen = None
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(argv):
            chosen = argv[i + 1]
        elif arg.startswith("--lang="):
            chosen = arg.partition("=")[2]
    return chosen if chosen in languages() else None   # anything else: the parser refuses it


def _say(message: str) -> None:
    """One line on stderr, after the program's name."""
    print(f"python -m visualize: {message}", file=sys.stderr)


def _names_refusal(names: list[str], given: dict) -> str:
    """Why the --set names do not fit the formula's names ('' when they do)."""
    missing = [n for n in names if n not in given]
    if missing:
        return trn("refused: unknown name {missing}. The formula needs values for: {names}; give "
                   "them with --set {example}", "refused: unknown names {missing}. The formula "
                   "needs values for: {names}; give them with --set {example}", len(missing),
                   missing=listed(missing), names=listed(names),
                   example=" ".join(n + "=..." for n in names))
    unused = sorted(set(given) - set(names))
    if unused and names:
        return tr("refused: --set {unused}: not in the formula; its names are: {names}",
                  unused=listed(unused), names=listed(names))
    if unused:
        return tr("refused: --set {unused}: the formula has no names", unused=listed(unused))
    return ""


def _print_inputs(formula: str, out: Value, leaves: list[Value], d: int) -> None:
    """The formula's value, and each input's value and gradient."""
    print(f"{formula.strip()} = {out.data:.{d}g}")
    if leaves:
        size = max(len(v.label) for v in leaves)
        name, value, gradient = tr("name"), tr("value"), tr("gradient")   # Chinese: 2 columns each
        print(f"  {name}{' ' * (size - width(name))}  {' ' * (12 - width(value))}{value}  "
              f"{' ' * (12 - width(gradient))}{gradient}")
        for v in leaves:
            print(f"  {v.label:<{size}}  {v.data:>12.{d}g}  {v.grad:>12.{d}g}")


def _main(argv: Sequence[str] | None) -> int:
    parser = _parser()
    parser.argv = list(sys.argv[1:] if argv is None else argv)
    args = parser.parse_args(parser.argv)
    try:
        if not 1 <= args.digits <= 17:
            raise FormulaError(tr("refused: --digits must be from 1 to 17, got {n}",
                                  n=args.digits))
        tree, names = parse_formula(args.formula)
        given = _assignments(args.set)
        refusal = _check_refusal(args, names) or _names_refusal(names, given)
    except FormulaError as e:
        refusal = str(e)
    if refusal:
        _say(refusal)
        return 2
    unwritable = _unwritable(args)
    if unwritable:
        _say(unwritable)
        return 1

    leaves = {n: Value(given[n], label=n) for n in names}
    try:
        out = evaluate(tree, leaves)
    except (ArithmeticError, ValueError) as e:
        why = tr("a number overflows a float") if isinstance(e, OverflowError) else str(e)
        _say(tr("could not evaluate the formula: {reason}", reason=why))
        return 1
    if type(out) is not Value or out in leaves.values():
        out = out * 1.0 if type(out) is Value else Value(out)
    out.label = "out"
    html = args.html and not args.no_render
    out.backward()
    if html:
        animate_backward(out, args.html, digits=args.digits, title=args.formula)
    d = args.digits
    _print_inputs(args.formula, out, [leaves[n] for n in names], d)
    _print_computed(out, d)
    if html:
        print(tr("wrote {path}", path=args.html))
    if args.output and not args.no_render:
        try:
            graph = draw_dot(out, digits=d, max_nodes=args.max_nodes)
        except GraphTooLargeError as e:
            _say(tr("not drawn: the graph has {count} values, more than --max-nodes {limit}; "
                    "give --max-nodes {count} to draw it anyway (layout may take long)",
                    count=e.count, limit=e.limit))
            return 1
        render(graph, args.output)
        print(tr("wrote {path}", path=args.output))
    elif not args.output and not html and not args.no_render:
        print(tr("(give -o graph.svg to draw the graph, --html page.html for the animation)"))
    return _run_check(args, out, leaves)
