"""The built-in ops, one row each: how every op is computed and differentiated.

A row says, for one op (``autograd.core.table.Op``):

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
This module works on floats only; ``autograd.core.value`` builds nodes from the rows.
"""

from __future__ import annotations

import functools
import math
import re

from autograd.core.table import Op, register

__all__ = ["ADD", "MUL", "POW", "POW_VALUE", "EXP", "LOG", "TANH", "SIGMOID", "RELU",
           "power", "power_value", "stable_sigmoid", "sympy_number", "sympy_sigmoid",
           "sympy_undefined"]


def _row(*args, **kwargs) -> Op:
    return register(Op(*args, **kwargs))


# -- + and * (Value inlines these two rules: they are most of every graph) ------------

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
