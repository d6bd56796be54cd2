"""The table of ops: one row per op, and everything about that op in its row.

A row says, for one op:

- ``value(*xs, **params)``: the value and the local derivatives ∂out/∂x_i as plain floats
  (the fast first-order path; ``backward`` multiplies along these numbers);
- ``derivative(out, *args, **params)``: the same local derivatives written with ops, so that
  with Values for ``out`` and ``args`` they form a graph of their own (``create_graph``:
  second derivatives, Hessians);
- ``sympy(sp, *args, **params)``: the op as a SymPy expression (``sp`` is the sympy module,
  imported only by whoever asks);
- ``domain``: the inputs the op is defined on, ``(low, high)``, used by the property tests.

Parameters are what a node needs besides its parents' values to be recomputed: the exponent
of ``x ** 2``, the constant inputs of a neuron's weighted sum, a loss's target.
This module works on floats only; ``autograd.engine`` builds nodes from the rows.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable
from operator import mul
from typing import Any

__all__ = ["Op", "OpName", "OPS", "register", "ADD", "MUL", "POW", "POW_VALUE", "EXP", "LOG",
           "TANH", "SIGMOID", "RELU", "SUM", "LINEAR", "stable_sigmoid", "sympy_number",
           "sympy_sigmoid", "sympy_undefined"]


class OpName(str):
    """A node's ``_op``: the op's name as micrograd prints it ('+', '**2', 'tanh'), carrying
    the row that computes it (``rule``) and the node's parameters (``params``, a dict)."""

    rule: Op
    params: dict

    def labelled(self, label: str) -> tuple[OpName, str]:
        """``(self, label)``, the tag of a labelled node: one tuple shared by every node with
        this op and label (nn names z[l]_k for every sample), so labels cost no memory."""
        try:
            return self._pairs[label]
        except AttributeError:
            self._pairs: dict[str, tuple] = {}
        except KeyError:
            pass
        pair = (self, label)
        if len(self._pairs) < _SHARED:
            self._pairs[label] = pair
        return pair


class Op:
    """One row of the table: an op's value, local derivatives, derivative with ops, SymPy form.

    Args:
        name: the op's name: its key in ``OPS`` and the ``_op`` of the nodes it makes.
        value: ``value(*xs, **params) -> (out, (∂out/∂x_1, ...))`` on floats.
        derivative: ``derivative(out, *args, **params) -> (∂out/∂arg_1, ...)`` written with
            ops (Values in, Values or numbers out).
        sympy: ``sympy(sp, *args, **params) -> expression``; None if the op has no SymPy form.
        domain: ``(low, high)``: where the op is defined, for tests.
        text: ``text(**params)``, the nodes' ``_op`` when it is not ``name`` ('**2').
    """

    __slots__ = ("name", "value", "derivative", "sympy", "domain", "_text", "_tags")

    def __init__(self, name: str, value: Callable, derivative: Callable,
                 sympy: Callable | None = None, domain: tuple[float, float] = (-5.0, 5.0),
                 text: Callable[..., str] | None = None):
        self.name, self.value, self.derivative, self.sympy = name, value, derivative, sympy
        self.domain, self._text, self._tags = domain, text, {}

    def __repr__(self) -> str:
        return f"<op {self.name!r}>"

    def tag(self, **params: Any) -> OpName:
        """The ``_op`` for a node of this op with these parameters, shared between nodes.

        Up to ``_SHARED`` parameter sets are kept; beyond that (say, a different constant in
        every node) each call makes a tag of its own, so the table never grows without end.
        """
        key = tuple(params.items())
        tag = self._tags.get(key)
        if tag is None:
            tag = self.new_tag(**params)
            if len(self._tags) < _SHARED:
                self._tags[key] = tag
        return tag

    def new_tag(self, **params: Any) -> OpName:
        """A tag of its own, for parameters that belong to one node (a sample's inputs)."""
        tag = OpName(self._text(**params) if self._text else self.name)
        tag.rule, tag.params = self, params
        return tag


OPS: dict[str, Op] = {}
_SHARED = 512


def register(op: Op) -> Op:
    """Add a row defined outside this module (the losses in ``nn``) to the table; returns it."""
    if not isinstance(op, Op):
        raise TypeError(f"register: expected an Op, got {type(op).__name__} {op!r}")
    if op.name in OPS:
        raise ValueError(f"register: the table already has an op named {op.name!r}")
    OPS[op.name] = op
    return op


def _row(*args, **kwargs) -> Op:
    return register(Op(*args, **kwargs))


# -- + and * (engine.Value inlines these two rules: they are most of every graph) ------------

ADD = _row("+", lambda a, b: (a + b, (1.0, 1.0)),
           derivative=lambda out, a, b: (1.0, 1.0),
           sympy=lambda sp, a, b: a + b)

MUL = _row("*", lambda a, b: (a * b, (b, a)),
           derivative=lambda out, a, b: (b, a),
           sympy=lambda sp, a, b: a * b)


# -- powers ----------------------------------------------------------------------------------

def power(x: float, n: float) -> tuple[float, tuple[float]]:
    """x ** n for a number n;  ∂/∂x = n x^(n-1)."""
    if x == 0.0 and n < 0.0:
        raise ZeroDivisionError(f"{x:g} ** {n:g}: zero to a negative power")
    if x < 0.0 and not n.is_integer():
        raise ValueError(f"{x:g} ** {n:g}: a negative base needs an integer exponent")
    if x == 0.0 and 0.0 < n < 1.0:
        raise ValueError(f"{x:g} ** {n:g}: the derivative is infinite at 0")
    return x ** n, (0.0 if n == 0.0 else n * x ** (n - 1.0),)


def sympy_number(sp, n: float):
    """A float as SymPy sees it: 2.0 -> 2, 0.5 -> 1/2, 1/3 -> 1/3, anything else a Float."""
    n = float(n)
    if n.is_integer():
        return sp.Integer(int(n))
    rational = sp.Rational(n).limit_denominator(1000)
    return rational if float(rational) == n else sp.Float(n)


def sympy_undefined(sp, name: str):
    """An op with no SymPy form, as an undefined SymPy function (its derivative stays symbolic)."""
    return sp.Function(re.sub(r"\W", "_", name).strip("_") or "f")


POW = _row("**", lambda x, n: power(x, n),
           derivative=lambda out, x, n: (0.0 if n == 0.0 else n * x ** (n - 1.0),),
           sympy=lambda sp, x, n: x ** sympy_number(sp, n),
           domain=(0.1, 5.0), text=lambda n: f"**{n:g}")


def power_value(x: float, y: float) -> tuple[float, tuple[float, float]]:
    """x ** y for a Value y;  ∂/∂x = y x^(y-1),  ∂/∂y = x^y ln x  (needs x > 0)."""
    if x < 0.0 or (x == 0.0 and y < 1.0):
        raise ValueError(f"{x:g} ** {y:g}: a Value exponent needs a base > 0 "
                         "(∂/∂y = x^y ln x is undefined otherwise)")
    out = x ** y
    return out, (y * x ** (y - 1.0), out * math.log(x) if x > 0.0 else 0.0)


POW_VALUE = _row("**value", power_value,
                 derivative=lambda out, x, y: (y * x ** (y - 1.0), out * x.log()),
                 sympy=lambda sp, x, y: x ** y, domain=(0.1, 3.0), text=lambda: "**")


# -- functions of one variable ---------------------------------------------------------------

def exp(x: float) -> tuple[float, tuple[float]]:
    """e^x;  ∂/∂x = e^x."""
    try:
        e = math.exp(x)
    except OverflowError:
        raise OverflowError(f"exp({x:g}) overflows a float (largest finite is exp(709.78))") \
            from None
    return e, (e,)


EXP = _row("exp", exp, derivative=lambda out, x: (out,), sympy=lambda sp, x: sp.exp(x))


def log(x: float) -> tuple[float, tuple[float]]:
    """ln x;  ∂/∂x = 1/x."""
    if x <= 0.0:
        raise ValueError(f"log({x:g}): input must be > 0")
    return math.log(x), (1.0 / x,)


LOG = _row("log", log, derivative=lambda out, x: (x ** -1.0,), sympy=lambda sp, x: sp.log(x),
           domain=(0.05, 10.0))


def tanh(x: float) -> tuple[float, tuple[float]]:
    """t = tanh x;  ∂/∂x = 1 - t², computed as 4u/(1+u)² with u = e^(-2|x|) (no 1 - 1 loss)."""
    u = math.exp(-2.0 * abs(x))
    return math.tanh(x), (4.0 * u / ((1.0 + u) * (1.0 + u)),)


TANH = _row("tanh", tanh, derivative=lambda out, x: (1.0 - out * out,),
            sympy=lambda sp, x: sp.tanh(x))


def stable_sigmoid(x: float) -> tuple[float, float]:
    """σ(x) = 1/(1+e^-x) and σ'(x) = σ(1-σ), both from u = e^(-|x|): finite at any x."""
    u = math.exp(-abs(x))
    s = 1.0 / (1.0 + u) if x >= 0.0 else u / (1.0 + u)
    return s, u / ((1.0 + u) * (1.0 + u))


def sigmoid(x: float) -> tuple[float, tuple[float]]:
    """s = 1/(1+e^-x);  ∂/∂x = s(1-s), computed as u/(1+u)² with u = e^(-|x|)."""
    s, slope = stable_sigmoid(x)
    return s, (slope,)


@functools.cache
def sympy_sigmoid(sp):
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


SIGMOID = _row("sigmoid", sigmoid, derivative=lambda out, x: (out * (1.0 - out),),
               sympy=lambda sp, x: sympy_sigmoid(sp)(x))


def relu(x: float) -> tuple[float, tuple[float]]:
    """max(x, 0);  ∂/∂x = 1 if x > 0 else 0."""
    return (x, (1.0,)) if x > 0.0 else (0.0, (0.0,))


RELU = _row("ReLU", relu, derivative=lambda out, x: (1.0 if x.data > 0.0 else 0.0,),
            sympy=lambda sp, x: sp.Max(x, 0))


# -- n-ary ops -------------------------------------------------------------------------------

def total(*xs: float, const: float = 0.0) -> tuple[float, tuple[float, ...]]:
    """x1 + x2 + ... + xn (+ a constant);  ∂/∂xi = 1."""
    return sum(xs, const), (1.0,) * len(xs)


SUM = _row("sum", total, derivative=lambda out, *xs, const=0.0: (1.0,) * len(xs),
           sympy=lambda sp, *xs, const=0.0: sp.Add(*xs, sympy_number(sp, const)))


def _linear_parts(args: tuple, layout: tuple) -> tuple[list, list, Any]:
    """Weights, inputs and bias of a linear node from its arguments and layout.

    ``layout = (n, inputs, has_bias)``: n weights come first among the arguments; ``inputs`` is
    None when every input is an argument (a hidden layer), else it holds, per weight, None (the
    input is the next argument) or the constant input (a number, as a first layer's x).
    """
    n, inputs, has_bias = layout
    ws, rest = list(args[:n]), iter(args[n:])
    xs = [next(rest) for _ in range(n)] if inputs is None else \
        [next(rest) if x is None else x for x in inputs]
    return ws, xs, next(rest) if has_bias else 0.0


def _value_input_weights(ws: list, inputs: tuple | None) -> list:
    """The weights whose input is an argument (their product's ∂/∂input)."""
    return ws if inputs is None else [w for w, x in zip(ws, inputs) if x is None]


def weighted_sum(ws: list[float], xs: list[float], b: float,
                 layout: tuple) -> tuple[float, tuple[float, ...]]:
    """z = Σ wi·xi + b;  ∂z/∂wi = xi,  ∂z/∂xi = wi,  ∂z/∂b = 1  (in argument order)."""
    z = sum(map(mul, ws, xs), b)  # micrograd's order: b + w1·x1 + w2·x2 + ...
    if layout[1] is None:  # every input is a Value (a hidden layer)
        return z, (*xs, *ws, 1.0) if layout[2] else (*xs, *ws)
    return z, (*xs, *_value_input_weights(ws, layout[1]), *((1.0,) if layout[2] else ()))


def linear_value(*args: float, layout: tuple) -> tuple[float, tuple[float, ...]]:
    ws, xs, b = _linear_parts(args, layout)
    return weighted_sum(ws, xs, b, layout)


def linear_derivative(out, *args, layout: tuple) -> tuple:
    ws, xs, _ = _linear_parts(args, layout)
    return (*xs, *_value_input_weights(ws, layout[1]), *((1.0,) if layout[2] else ()))


def linear_sympy(sp, *args, layout: tuple):
    ws, xs, b = _linear_parts(args, layout)
    xs = [sympy_number(sp, x) if isinstance(x, float) else x for x in xs]
    b = sympy_number(sp, b) if isinstance(b, float) else b
    return sp.Add(*(w * x for w, x in zip(ws, xs)), b)


LINEAR = _row("linear", linear_value, derivative=linear_derivative, sympy=linear_sympy)
