"""The graph as mathematics: a Value as a SymPy expression, its derivatives, each edge's formula.

Every op's SymPy form is in its row of the table of ops; ``linear`` becomes its sum. A leaf
with a label becomes a real symbol of that name (``W[2]_11``), an unlabelled leaf the number
it holds. A node made without a row (micrograd's ``out._backward = fn``, or a fused loss)
becomes an undefined function of its parents, whose derivative SymPy keeps symbolic.
SymPy is imported on first use, so ``import autograd`` stays fast.
"""

from __future__ import annotations

import contextlib
import functools
import re
from collections.abc import Callable

from autograd.chain import topological_order
from autograd.core import Value
from autograd.core.ops import stable_sigmoid
from autograd.labels import formula_name, tex
from autograd.names import display_names

__all__ = ["to_sympy", "derivative", "to_latex", "to_text", "formula_name", "sympy_module",
           "sympy_number", "SympyForms",
           "Builder"]


def sympy_module() -> SympyForms:
    """What SymPy forms are written with (sympy's names, plus ``number``, ``sigmoid`` and
    ``undefined``), SymPy imported now; a clear error if it is missing."""
    try:
        import sympy
    except ImportError:  # pragma: no cover - sympy is a dependency
        raise ImportError("symbolic derivatives need SymPy: pip install sympy") from None
    return _forms(sympy)


class SympyForms:
    """The ``sp`` an op's SymPy form gets: the sympy module's names, and three of ours.

    ``sp.number(x)`` is a float as SymPy sees it (``sympy_number``); ``sp.sigmoid`` is σ as
    a SymPy function; ``sp.undefined(name)`` is the undefined function that stands for an op
    with no SymPy form.
    """

    def __init__(self, module):
        self.module = module
        self.sigmoid = _sigmoid_function(module)

    def __getattr__(self, name: str):
        return getattr(self.module, name)

    def number(self, n: float):
        return sympy_number(self.module, n)

    def undefined(self, name: str):
        """An op with no SymPy form, as an undefined function (its derivative stays symbolic)."""
        return self.module.Function(re.sub(r"\W", "_", name).strip("_") or "f")


@functools.cache
def _forms(module) -> SympyForms:
    return SympyForms(module)


def sympy_number(sp, n: float):
    """A float as SymPy sees it: 2.0 -> 2, 0.5 -> 1/2, 1/3 -> 1/3, anything else a Float."""
    n = float(n)
    if n.is_integer():
        return sp.Integer(int(n))
    rational = sp.Rational(n).limit_denominator(1000)
    return rational if float(rational) == n else sp.Float(n)


def _sigmoid_function(sp):
    """σ as a SymPy function: prints σ(z), differentiates to σ(z)(1 - σ(z)), rewrites to
    1/(1 + e^-z) (``.rewrite(sp.exp)``), evaluates numerically and in ``lambdify``."""

    class sigmoid(sp.Function):
        _imp_ = staticmethod(lambda z: stable_sigmoid(float(z))[0])

        def fdiff(self, argindex=1):
            s = self.func(self.args[0])
            return s * (1 - s)

        def _eval_rewrite_as_exp(self, z, **hints):
            return 1 / (1 + sp.exp(-z))

        def _eval_evalf(self, prec):
            return self.rewrite(sp.exp)._eval_evalf(prec)

        def _sympystr(self, printer):
            return f"σ({printer._print(self.args[0])})"

        def _latex(self, printer, exp=None):
            text = rf"\sigma\left({printer._print(self.args[0])}\right)"
            return text if exp is None else f"{text}^{{{exp}}}"

    return sigmoid


class Builder:
    """SymPy expressions of a graph's nodes, each built once (shared subgraphs too).

    Args:
        root: the output; its graph gives the names.
        stop: nodes shown as a symbol even when they have parents (the variable of a
            derivative taken at an intermediate node, the named nodes of a folded factor).
    """

    def __init__(self, root: Value, stop: Callable[[Value], bool] = lambda node: False):
        self.sp = sympy_module()
        self.order = topological_order(root)
        self.names = display_names(root, self.order)
        self.stop = stop
        self._exprs: dict[Value, object] = {}
        self._symbols: dict[Value, object] = {}
        self._taken: dict[str, Value] = {}

    def symbol(self, node: Value):
        """The real symbol standing for ``node``: its label (or generated name), made unique."""
        sym = self._symbols.get(node)
        if sym is None:
            base = self.names.get(node) or node.label or "v"
            name, k = base, 1
            while self._taken.setdefault(name, node) is not node:
                k += 1
                name = f"{base}#{k}"
            sym = self._symbols[node] = self.sp.Symbol(name, real=True)
        return sym

    def expr(self, root: Value):
        """``root`` in terms of the leaves (and stop nodes), with an explicit stack."""
        exprs, stack = self._exprs, [root]
        while stack:
            node = stack[-1]
            if node in exprs:
                stack.pop()
            elif self.stop(node) or not node._prev:
                stack.pop()
                named = node.label or node._prev or self.stop(node)
                exprs[node] = self.symbol(node) if named else self.sp.number(node.data)
            else:
                missing = [p for p in node._prev if p not in exprs]
                if missing:
                    stack.extend(missing)
                else:
                    stack.pop()
                    exprs[node] = self.apply(node, [exprs[p] for p in node._prev])
        return exprs[root]

    def apply(self, node: Value, args: list):
        """The node's op on SymPy arguments: its row's form, or an undefined function."""
        op = node._op
        rule = getattr(op, "rule", None)
        if rule is not None and rule.sympy is not None:
            return rule.sympy(self.sp, *args, **op.params)
        return self.sp.undefined(rule.name if rule is not None else op)(*args)

    def local(self, child: Value, arg: int):
        """∂child/∂(its argument ``arg``) as a formula of the child's parents (their symbols;
        an unlabelled constant as its number)."""
        dummies = [self.sp.Dummy() for _ in child._prev]
        d = self.sp.diff(self.apply(child, dummies), dummies[arg])
        named = [p.label or p._prev or self.stop(p) for p in child._prev]
        return d.subs({x: self.symbol(p) if n else self.sp.number(p.data)
                       for x, p, n in zip(dummies, child._prev, named)}, simultaneous=True)


def _in_graph(builder: Builder, wrt: Value, who: str) -> None:
    if not isinstance(wrt, Value):
        raise TypeError(f"{who}: wrt must be a Value, got {type(wrt).__name__} {wrt!r}")
    if wrt not in builder.names:
        labels = ", ".join(sorted({n.label for n in builder.order if n.label})) or "none"
        raise ValueError(f"{who}: wrt ({wrt!r}) is not in the output's graph; its labelled "
                         f"values are: {labels}")


def to_sympy(value: Value):
    """The value as a SymPy expression of its graph's leaves.

    Args:
        value: any Value.

    Returns:
        A SymPy expression: labelled leaves are real symbols named by their labels,
        unlabelled leaves are numbers (0.5 as 1/2).
    """
    if not isinstance(value, Value):
        raise TypeError(f"to_sympy: expected a Value, got {type(value).__name__} {value!r}")
    builder = Builder(value)
    with _depth_guard(builder, "to_sympy"):
        return builder.expr(value)


def derivative(output: Value, wrt: Value, latex: bool = False):
    """∂output/∂wrt, simplified: d/dwrt of ``to_sympy(output)``.

    Args:
        output: the value differentiated.
        wrt: a leaf or an intermediate value of its graph (an intermediate one is held as a
            variable of its own, as ``backward`` treats it).
        latex: return LaTeX text instead of the expression.

    Returns:
        A SymPy expression (or its LaTeX with ``latex=True``).
    """
    if not isinstance(output, Value):
        raise TypeError(f"derivative: output must be a Value, got {type(output).__name__}")
    builder = Builder(output, stop=lambda node: node is wrt)
    _in_graph(builder, wrt, "derivative")
    with _depth_guard(builder, "derivative"):
        d = simplify(builder.sp.diff(builder.expr(output), builder.symbol(wrt)))
        return to_latex(d) if latex else d


@contextlib.contextmanager
def _depth_guard(builder: Builder, who: str):
    """SymPy recurses once per level of nesting: a deep graph is refused by name, not with
    SymPy's RecursionError from deep inside."""
    try:
        yield
    except RecursionError:
        depth = _longest_path(builder.order)
        raise ValueError(f"{who}: the graph is too deep for SymPy ({depth} ops on its longest "
                         "path; SymPy recurses once per level and stops near a hundred). "
                         "explain, backward_steps and check_derivative's numbers work at any "
                         "depth") from None


def _longest_path(order: list[Value]) -> int:
    """The number of ops on the longest path from a leaf to the root."""
    depth: dict[Value, int] = {}
    for node in order:  # parents come first
        depth[node] = 1 + max((depth[p] for p in node._prev), default=-1)
    return max(depth.values(), default=0)


def simplify(expr):
    """SymPy's simplify when it gives a shorter expression in the same functions (1 - tanh²
    stays, rather than becoming 1/cosh²); beyond 50 operations, where simplify takes
    seconds, common factors only."""
    sp = sympy_module()
    if sp.count_ops(expr) > 50:
        return sp.factor_terms(expr)
    simpler = sp.simplify(expr)
    kinds = {type(f) for f in expr.atoms(sp.Function)}
    same_functions = all(type(f) in kinds for f in simpler.atoms(sp.Function))
    return simpler if same_functions and sp.count_ops(simpler) < sp.count_ops(expr) else expr


def to_latex(expr) -> str:
    """LaTeX of an expression, with the seed's names: W[2]_11 as W^{[2]}_{11}, σ as \\sigma."""
    sp = sympy_module()
    names = {s: tex(s.name) for s in getattr(expr, "free_symbols", ())}
    return sp.latex(expr, symbol_names=names)


def to_text(expr) -> str:
    """An expression as one line of text: x·(1 - tanh(z)^2)."""
    return str(expr).replace("**", "^").replace("*", "·")


class FactorFormulas:
    """explain's factors as formulas of the values it names (``explain(..., symbolic=True)``).

    A factor ∂child/∂parent is the child's op differentiated with its arguments as symbols;
    in compact form unlabelled values between labelled ones are expanded first, so a folded
    factor such as ∂L/∂a[2]_1 of L = ½(a[2]_1 - y)² reads a[2]_1 - y.
    """

    def __init__(self, output: Value, wrt: Value):
        self.builder = Builder(output, stop=lambda node: bool(node.label) or node is wrt)
        self._cache: dict = {}

    def __call__(self, child: Value, parent: Value, arg: int | None, folded: bool):
        """∂child/∂parent (for argument ``arg`` when the child uses the parent twice)."""
        key = (child, parent, arg, folded)
        if key not in self._cache:
            b = self.builder
            if folded:
                expr = b.apply(child, [b.expr(p) for p in child._prev])
                self._cache[key] = b.sp.diff(expr, b.symbol(parent))
            else:
                self._cache[key] = b.local(child, child._prev.index(parent) if arg is None
                                           else arg)
        return self._cache[key]
