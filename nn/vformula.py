"""Vectorized formulas: one NumPy-style expression over the names of the text's network.

``parse_vectorized`` checks a formula against a whitelist with ``ast`` and never evaluates it:
numbers, names, ``+ - * / @``, ``**`` with a number from -10 to 10 as exponent, unary ``-``,
``.T``, ``sum(M, axis=0|1)`` (dimensions kept, so a column stays a column) and the elementwise
functions ``exp log tanh sigmoid relu sigmoid_prime tanh_prime relu_prime``. ``np.`` (or
``numpy.``) in front of ``exp log tanh sum`` and ``keepdims=True`` are accepted, as a person
who writes NumPy types them. The result is a small tree of :class:`Node`.

``shape_of`` then works out the shape of every node before a single number is computed, so
shapes that do not fit, and arrays too large to compute, are found first (:class:`ShapeProblem`);
``evaluate`` computes the tree with NumPy. Every walk over a tree uses an explicit stack.

Sentences shown to a person are whole sentences with named fields, kept in ``MESSAGES``, so
that they can be translated one by one.
"""

from __future__ import annotations

import ast
import math
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from autograd.extend import N_, FormulaError, listed, tr
from nn.layers import activations
from nn.vectorized import activation

__all__ = ["Node", "parse_vectorized", "fold", "to_text", "shape_of", "evaluate", "walk",
           "replace", "ShapeProblem", "FUNCTIONS", "PRIMES", "MAX_LENGTH", "MAX_DEPTH",
           "MAX_EXPONENT", "FormulaError"]

MAX_LENGTH = 2000   # characters, as the scalar formulas
MAX_DEPTH = 100     # nested calls, powers, signs and right-hand operands (a + b + c is depth 1)
MAX_EXPONENT = 10   # |p| of a power A**p

# g and g' of each activation of the table of ops (tanh, sigmoid, relu: nn.layers.activations)
PRIMES = {name: f"{name}_prime" for name in activations() if name != "linear"}
FUNCTIONS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "exp": np.exp, "log": np.log, **{g: activation(g, False) for g in PRIMES},
    **{prime: activation(g, True) for g, prime in PRIMES.items()},
}
ALLOWED = N_("numbers, names, + - * / @, ** with a number, unary -, .T, sum(M, axis=0|1), and "
             "calls of {functions}")

# Whole sentences a person reads, in the reader's language (shown with autograd's tr).
MESSAGES = {
    "refused": N_("Refused: {what} ({text!r} at column {column}). A formula may use only "
                  "{allowed}."),
    "empty": N_("Refused: the formula is empty."),
    "too_long": N_("Refused: the formula has {n} characters, and at most {limit} are allowed."),
    "syntax": N_("Refused: this is not a valid formula ({reason})."),
    "matmul": N_("{left} @ {right} cannot be computed: {left} is {ls} and {right} is {rs}, and "
                 "@ needs as many columns on the left ({cols}) as rows on the right ({rows})."),
    "matmul_number": N_("{left} @ {right} cannot be computed: @ multiplies two matrices, and "
                        "{number} is a single number; use * to multiply by a number."),
    "elementwise": N_("{left} {op} {right} cannot be computed: {left} is {ls} and {right} is "
                      "{rs}; {op} works entry by entry on equal shapes, and only a dimension of "
                      "1 is repeated to fit (as b is repeated for every sample)."),
    "sum_number": N_("{text} cannot be computed: {arg} is a single number, and sum adds up the "
                     "rows or columns of a matrix."),
    "too_big": N_("{text} would be an array of shape {shape}, {size:,} numbers, and the "
                  "checker computes arrays of at most {limit:,} numbers."),
    "too_slow": N_("{text} would take {flops:,} multiplications, and the checker does at most "
                   "{limit:,} in one product."),
}

_BINARY = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.MatMult: "@",
           ast.Pow: "**"}
_NUMPY = {"np", "numpy"}


_NUMPY_FUNCTIONS = {"exp", "log", "tanh", "sum"}

# what a refusal names: each a noun phrase that fits "Refused: ... (text at column n)."
REASONS = {
    "depth": N_("nesting deeper than {limit}"),
    "operator": N_("the operator {op}"),
    "exponent": N_("an exponent that is not a number"),
    "big_exponent": N_("an exponent beyond ±{limit}"),
    "strings": N_("strings"),
    "constant": N_("the constant {value!r}"),
    "big_number": N_("a number too large for a float"),
    "underscore": N_("names starting with _"),
    "bare_function": N_("{name} on its own, not called"),
    "attribute": N_("attributes other than .T"),
    "call": N_("calls of anything but {functions}"),
    "unpacking": N_("* or ** in a call"),
    "one_argument": N_("{name} with other than exactly one argument"),
    "sum_arguments": N_("sum with other than a matrix and axis=0 or axis=1"),
    "keepdims": N_("keepdims other than True (sums keep their dimensions)"),
    "no_axis": N_("sum without an axis (axis=1 adds up each row, axis=0 each column)"),
    "axis": N_("an axis other than 0 or 1"),
    "syntax_kind": "{what}",   # the kind of syntax, translated where it is named (_REFUSED)
}
_REFUSED = {
    ast.Subscript: N_("subscripts"), ast.Lambda: N_("lambdas"), ast.Compare: N_("comparisons"),
    ast.BoolOp: N_("and/or"), ast.IfExp: N_("if/else"), ast.Starred: N_("* unpacking"),
    ast.JoinedStr: N_("f-strings"), ast.ListComp: N_("comprehensions"),
    ast.SetComp: N_("comprehensions"), ast.DictComp: N_("comprehensions"),
    ast.GeneratorExp: N_("comprehensions"), ast.Dict: N_("dicts"), ast.List: N_("lists"),
    ast.Tuple: N_("tuples"), ast.Set: N_("sets"), ast.NamedExpr: N_(":="),
    ast.Slice: N_("slices"), ast.Await: N_("await"), ast.Yield: N_("yield"),
    ast.YieldFrom: N_("yield"),
}

@dataclass(frozen=True)
class Node:
    """One step of a formula.

    ``op`` is "num" (``value`` the number), "name" (``value`` the name), "neg", "T",
    "+", "-", "*", "/", "@" (two args), "**" (``value`` the exponent), "sum" (``value`` the
    axis) or a name in ``FUNCTIONS``; ``args`` are the operands.
    """

    op: str
    args: tuple[Node, ...] = ()
    value: Any = None


class ShapeProblem(Exception):
    """A step of the formula cannot be computed with these shapes; ``message`` says why."""

    def __init__(self, message: str, node: Node):
        super().__init__(message)
        self.message, self.node = message, node


# ---------------------------------------------------------------------------------- parsing

def _refuse(node: ast.AST, formula: str, reason: str, **fields) -> FormulaError:
    text = ast.get_source_segment(formula, node) or ""
    text = text if len(text) <= 40 else text[:37] + "..."
    if reason == "call":
        fields["functions"] = listed(["sum", *FUNCTIONS])
    return FormulaError(tr(MESSAGES["refused"], what=tr(REASONS[reason], **fields), text=text,
                           column=getattr(node, "col_offset", 0) + 1,
                           allowed=tr(ALLOWED, functions=listed(FUNCTIONS))))


def _number(node: ast.AST) -> float | None:
    """The value of a literal number, or of a minus sign before one; None otherwise."""
    sign = 1.0
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        sign = -1.0 if isinstance(node.op, ast.USub) else 1.0
        node = node.operand
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        return sign * node.value
    return None


def parse_vectorized(formula: str) -> tuple[Node, list[str]]:
    """Parse and check ``formula`` without evaluating anything.

    Args:
        formula: e.g. ``"dZ2 @ A1.T"``.

    Returns:
        The tree and the sorted names it needs values for.

    Raises:
        FormulaError (a ValueError): anything outside the whitelist or its limits (length
            2000, nesting 100, exponents from -10 to 10), naming what and where.
    """
    if not isinstance(formula, str) or not formula.strip():
        raise FormulaError(tr(MESSAGES["empty"]))
    if len(formula) > MAX_LENGTH:
        raise FormulaError(tr(MESSAGES["too_long"], n=len(formula), limit=MAX_LENGTH))
    formula = formula.strip()
    try:
        tree = ast.parse(formula, mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError) as e:
        raise FormulaError(tr(MESSAGES["syntax"], reason=getattr(e, "msg", e))) from None
    names: set[str] = set()
    results: list[tuple[Node, int]] = []   # (node, depth)
    stack: list[tuple[ast.AST, int | None]] = [(tree.body, None)]   # (node, operand count)
    while stack:
        node, n = stack.pop()
        if n is None:
            children = _operands(node, formula, names)
            stack.append((node, len(children)))
            stack.extend((child, None) for child in reversed(children))
            continue
        parts = results[len(results) - n:]
        del results[len(results) - n:]
        built, depth = _build(node, [p for p, _ in parts], [d for _, d in parts])
        if depth > MAX_DEPTH:
            raise _refuse(node, formula, "depth", limit=MAX_DEPTH)
        results.append((built, depth))
    return results[0][0], sorted(names)


def _operands(node: ast.AST, formula: str, names: set[str]) -> list[ast.AST]:
    """Check one node against the whitelist; return the sub-expressions that become operands."""
    check = _OPERANDS.get(type(node))
    if check is None:
        what = tr(_REFUSED[type(node)]) if type(node) in _REFUSED else type(node).__name__
        raise _refuse(node, formula, "syntax_kind", what=what)
    return check(node, formula, names)


def _binary_operands(node: ast.BinOp, formula: str, names: set[str]) -> list[ast.AST]:
    op = _BINARY.get(type(node.op))
    if op is None:
        raise _refuse(node, formula, "operator", op=type(node.op).__name__)
    if op != "**":
        return [node.left, node.right]
    p = _number(node.right)
    if p is None:
        raise _refuse(node, formula, "exponent")
    if abs(p) > MAX_EXPONENT:
        raise _refuse(node, formula, "big_exponent", limit=MAX_EXPONENT)
    return [node.left]


def _unary_operands(node: ast.UnaryOp, formula: str, names: set[str]) -> list[ast.AST]:
    if not isinstance(node.op, (ast.USub, ast.UAdd)):
        raise _refuse(node, formula, "operator", op=type(node.op).__name__)
    return [node.operand]


def _constant_operands(node: ast.Constant, formula: str, names: set[str]) -> list[ast.AST]:
    value = node.value
    if type(value) not in (int, float):
        if isinstance(value, (str, bytes)):
            raise _refuse(node, formula, "strings")
        raise _refuse(node, formula, "constant", value=value)
    if abs(value) > 10 ** 300 or not math.isfinite(value):
        raise _refuse(node, formula, "big_number")
    return []


def _name_operands(node: ast.Name, formula: str, names: set[str]) -> list[ast.AST]:
    if node.id.startswith("_"):
        raise _refuse(node, formula, "underscore")
    if node.id in FUNCTIONS or node.id == "sum" or node.id in _NUMPY:
        raise _refuse(node, formula, "bare_function", name=node.id)
    names.add(node.id)
    return []


def _attribute_operands(node: ast.Attribute, formula: str, names: set[str]) -> list[ast.AST]:
    if node.attr != "T":
        raise _refuse(node, formula, "attribute")
    return [node.value]


_OPERANDS = {ast.BinOp: _binary_operands, ast.UnaryOp: _unary_operands,
             ast.Constant: _constant_operands, ast.Name: _name_operands,
             ast.Attribute: _attribute_operands,
             ast.Call: lambda node, formula, names: _call_operands(node, formula)}


def _function_name(node: ast.Call, formula: str) -> str:
    func = node.func
    if isinstance(func, ast.Name) and (func.id in FUNCTIONS or func.id == "sum"):
        return func.id
    if (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)
            and func.value.id in _NUMPY and func.attr in _NUMPY_FUNCTIONS):
        return func.attr
    raise _refuse(node, formula, "call")


def _call_operands(node: ast.Call, formula: str) -> list[ast.AST]:
    name = _function_name(node, formula)
    if any(isinstance(a, ast.Starred) for a in node.args) or \
            any(k.arg is None for k in node.keywords):
        raise _refuse(node, formula, "unpacking")
    if name != "sum":
        if len(node.args) != 1 or node.keywords:
            raise _refuse(node, formula, "one_argument", name=name)
        return [node.args[0]]
    _sum_axis(node, formula)
    return [node.args[0]]


def _sum_axis(node: ast.Call, formula: str) -> int:
    """The axis of ``sum(M, axis=k)``: 0 or 1, given once; ``keepdims=True`` is allowed."""
    keywords = {k.arg: k.value for k in node.keywords}
    unknown = set(keywords) - {"axis", "keepdims"}
    if unknown or len(node.args) not in (1, 2) or (len(node.args) == 2 and "axis" in keywords):
        raise _refuse(node, formula, "sum_arguments")
    if "keepdims" in keywords and not (isinstance(keywords["keepdims"], ast.Constant)
                                       and keywords["keepdims"].value is True):
        raise _refuse(node, formula, "keepdims")
    axis = node.args[1] if len(node.args) == 2 else keywords.get("axis")
    if axis is None:
        raise _refuse(node, formula, "no_axis")
    value = _number(axis)
    if value not in (0, 1):
        raise _refuse(node, formula, "axis")
    return int(value)


def _build(node: ast.AST, args: list[Node], depths: list[int]) -> tuple[Node, int]:
    """The Node for a checked ast node, and its nesting depth (a + b + c counts as 1)."""
    def deeper(chain: bool = False) -> int:
        return max([0] + [d + (0 if chain and i == 0 else 1) for i, d in enumerate(depths)])

    if isinstance(node, ast.Constant):
        return Node("num", value=float(node.value)), 0
    if isinstance(node, ast.Name):
        return Node("name", value=node.id), 0
    if isinstance(node, ast.BinOp):
        op = _BINARY[type(node.op)]
        if op == "**":
            return Node("**", (args[0],), _number(node.right)), deeper()
        return Node(op, tuple(args)), deeper(chain=True)
    if isinstance(node, ast.UnaryOp):
        if isinstance(node.op, ast.UAdd):
            return args[0], depths[0]
        if args[0].op == "num":
            return Node("num", value=-args[0].value), depths[0]
        return Node("neg", (args[0],)), deeper()
    if isinstance(node, ast.Attribute):
        return Node("T", (args[0],)), deeper()
    name = node.func.id if isinstance(node.func, ast.Name) else node.func.attr
    if name == "sum":
        return Node("sum", (args[0],), _sum_axis(node, "")), deeper()
    return Node(name, (args[0],)), deeper()


# ---------------------------------------------------------------------------- tree walking

def fold(root: Node, fn: Callable[[Node, list], Any]) -> Any:
    """``fn(node, folded operands)`` bottom-up over the tree, with an explicit stack."""
    results: list = []
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, ready = stack.pop()
        if node.args and not ready:
            stack.append((node, True))
            stack.extend((child, False) for child in reversed(node.args))
            continue
        n = len(node.args)
        args = results[len(results) - n:]
        del results[len(results) - n:]
        results.append(fn(node, args))
    return results[0]


def walk(root: Node) -> Iterator[tuple[tuple[int, ...], Node]]:
    """Every node with its path from the root (the operand indexes), parents first."""
    stack = [((), root)]
    while stack:
        path, node = stack.pop()
        yield path, node
        stack.extend((path + (i,), child) for i, child in reversed(list(enumerate(node.args))))


def replace(root: Node, path: tuple[int, ...], new: Node) -> Node:
    """The tree with the node at ``path`` replaced by ``new``."""
    chain = [root]
    for i in path:
        chain.append(chain[-1].args[i])
    for parent, i in zip(reversed(chain[:-1]), reversed(path)):
        args = list(parent.args)
        args[i] = new
        new = Node(parent.op, tuple(args), parent.value)
    return new


_PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2, "@": 2, "neg": 3, "**": 4}


def _number_text(x: float) -> str:
    return str(int(x)) if float(x).is_integer() and abs(x) < 1e15 else repr(float(x))


def to_text(root: Node) -> str:
    """The formula as a person would type it, with only the parentheses it needs."""
    def show(node: Node, args: list[tuple[str, int]]) -> tuple[str, int]:
        if node.op == "num":
            return _number_text(node.value), (3 if node.value < 0 else 5)
        if node.op == "name":
            return node.value, 5
        if node.op == "T":
            text, p = args[0]
            return (text if p == 5 else f"({text})") + ".T", 5
        if node.op == "neg":
            text, p = args[0]
            return "-" + (text if p >= 3 else f"({text})"), 3
        if node.op == "**":
            text, p = args[0]
            return f"{text if p == 5 else f'({text})'}**{_number_text(node.value)}", 4
        if node.op == "sum":
            return f"sum({args[0][0]}, axis={node.value})", 5
        if node.op in FUNCTIONS:
            return f"{node.op}({args[0][0]})", 5
        mine = _PRECEDENCE[node.op]
        (left, lp), (right, rp) = args
        left = left if lp >= mine else f"({left})"
        right = right if rp > mine else f"({right})"
        return f"{left} {node.op} {right}", mine

    return fold(root, show)[0]


def _short(node: Node) -> str:
    text = to_text(node)
    return text if len(text) <= 40 else text[:37] + "..."


# ------------------------------------------------------------------------------ shapes

def shape_of(root: Node, shapes: Mapping[str, tuple], limit: int,
             flops: int) -> tuple[int, ...]:
    """The shape of the formula's result, from the shapes of its names alone.

    Args:
        root: from ``parse_vectorized``.
        shapes: each name's shape; ``()`` for a number such as m.
        limit: the largest number of entries any step may make.
        flops: the most multiplications one ``@`` may take.

    Raises:
        ShapeProblem: a step whose shapes do not fit, or that would be too large.
    """
    def step(node: Node, args: list[tuple]) -> tuple:
        if node.op == "num":
            return ()
        if node.op == "name":
            return tuple(shapes[node.value])
        if node.op == "T":
            return args[0][::-1]
        if node.op == "sum":
            if args[0] == ():
                raise ShapeProblem(tr(MESSAGES["sum_number"], text=_short(node),
                                      arg=_short(node.args[0])), node)
            return (1, args[0][1]) if node.value == 0 else (args[0][0], 1)
        if len(args) == 1:
            return args[0]
        a, b = args
        if node.op == "@":
            out = _matmul_shape(node, a, b, flops)
        else:
            out = _broadcast_shape(node, a, b)
        if math.prod(out) > limit:
            raise ShapeProblem(tr(MESSAGES["too_big"], text=_short(node), shape=out,
                                  size=math.prod(out), limit=limit), node)
        return out

    return fold(root, step)


def _matmul_shape(node: Node, a: tuple, b: tuple, flops: int) -> tuple:
    left, right = (_short(arg) for arg in node.args)
    if a == () or b == ():
        raise ShapeProblem(tr(MESSAGES["matmul_number"], left=left, right=right,
                              number=left if a == () else right), node)
    if a[1] != b[0]:
        raise ShapeProblem(tr(MESSAGES["matmul"], left=left, right=right, ls=a, rs=b,
                              cols=a[1], rows=b[0]), node)
    cost = a[0] * a[1] * b[1]
    if cost > flops:
        raise ShapeProblem(tr(MESSAGES["too_slow"], text=_short(node), flops=cost,
                              limit=flops), node)
    return (a[0], b[1])


def _broadcast_shape(node: Node, a: tuple, b: tuple) -> tuple:
    if a == ():
        return b
    if b == ():
        return a
    if all(x == y or 1 in (x, y) for x, y in zip(a, b)):
        return tuple(max(x, y) for x, y in zip(a, b))
    left, right = (_short(arg) for arg in node.args)
    raise ShapeProblem(tr(MESSAGES["elementwise"], left=left, right=right, op=node.op, ls=a,
                          rs=b), node)


# -------------------------------------------------------------------------- evaluation

_ARITHMETIC = {"+": np.add, "-": np.subtract, "*": np.multiply, "/": np.divide,
               "@": np.matmul}


def evaluate(root: Node, values: Mapping[str, Any]) -> np.ndarray | float:
    """The formula computed with NumPy; call ``shape_of`` first (it bounds the work).

    Where a step is undefined (log of a negative number, 1/0) the result holds nan or inf.
    """
    def step(node: Node, args: list) -> Any:
        if node.op == "num":
            return node.value
        if node.op == "name":
            return values[node.value]
        if node.op == "T":
            return np.transpose(args[0])
        if node.op == "neg":
            return np.negative(args[0])
        if node.op == "**":
            return np.power(args[0], node.value)
        if node.op == "sum":
            return np.sum(args[0], axis=node.value, keepdims=True)
        if node.op in FUNCTIONS:
            return FUNCTIONS[node.op](np.asarray(args[0], dtype=float))
        return _ARITHMETIC[node.op](*args)

    with np.errstate(all="ignore"):
        return fold(root, step)
