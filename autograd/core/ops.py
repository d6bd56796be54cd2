"""The built-in ops, one row each: how every op is computed and differentiated.

Each op is one ``define_op`` call (``autograd.core.table.Op`` says what a row holds): the
value and the local derivatives on floats (the fast first-order path: ``backward``
multiplies along these numbers), the same derivative written with ops (``create_graph``:
second derivatives), its SymPy form, its domain, and where it appears (a ``Value`` method, a
formula function, an ``nn`` activation). Parameters are what a node needs besides its
parents' values: the exponent of ``x ** 2``. This module works on floats only;
``autograd.core.value`` builds the nodes.
"""

from __future__ import annotations

import math

from autograd.core.table import define_op

__all__ = ["ADD", "MUL", "POW", "POW_VALUE", "EXP", "LOG", "TANH", "SIGMOID", "RELU",
           "power", "power_value", "stable_sigmoid"]


# -- + and * (Value inlines these two rules: they are most of every graph) ------------

ADD = define_op("+", lambda a, b: (a + b, (1.0, 1.0)), arity=2,
                derivative=lambda out, a, b: (1.0, 1.0),
                sympy=lambda sp, a, b: a + b)

MUL = define_op("*", lambda a, b: (a * b, (b, a)), arity=2,
                derivative=lambda out, a, b: (b, a),
                sympy=lambda sp, a, b: a * b)


# -- powers ----------------------------------------------------------------------------------

def _raised(x: float, n: float, what: str) -> float:
    """x ** n, or an OverflowError naming the op and both numbers (Python's own names none)."""
    try:
        out = x ** n
    except OverflowError:
        raise OverflowError(f"{what} overflows a float at {x:g} ** {n:g}") from None
    if out - out:  # a float power that gave ±inf instead of raising
        raise OverflowError(f"{what} overflows a float at {x:g} ** {n:g}")
    return out


def power(x: float, n: float) -> tuple[float, tuple[float]]:
    """x ** n for a number n;  ∂/∂x = n x^(n-1)."""
    if n - n:
        raise ValueError(f"{x:g} ** {n!r}: the exponent must be a finite number")
    if x == 0.0 and n < 0.0:
        raise ZeroDivisionError(f"{x:g} ** {n:g}: zero to a negative power")
    if x < 0.0 and not n.is_integer():
        raise ValueError(f"{x:g} ** {n:g}: a negative base needs an integer exponent")
    if x == 0.0 and 0.0 < n < 1.0:
        raise ValueError(f"{x:g} ** {n:g}: the derivative is infinite at 0")
    value = _raised(x, n, f"'**{n:g}'")
    if n == 0.0:
        return value, (0.0,)
    slope = n * _raised(x, n - 1.0, f"the derivative of '**{n:g}' ({n:g}·x^{n - 1.0:g})")
    if slope - slope:
        raise OverflowError(f"the derivative of '**{n:g}' ({n:g}·x^{n - 1.0:g}) overflows a "
                            f"float at x = {x:g}")
    return value, (slope,)


POW = define_op("**", lambda x, n: power(x, n),
                derivative=lambda out, x, n: (0.0 if n == 0.0 else n * x ** (n - 1.0),),
                sympy=lambda sp, x, n: x ** sp.number(n),
                domain=(0.1, 5.0), text=lambda n: f"**{n:g}",
                examples=tuple((1, {"n": n}) for n in (2.0, 3.0, -1.0, 0.5, -2.5, 1.0, 0.0)))


def power_value(x: float, y: float) -> tuple[float, tuple[float, float]]:
    """x ** y for a Value y;  ∂/∂x = y x^(y-1),  ∂/∂y = x^y ln x  (needs x > 0)."""
    if x < 0.0 or (x == 0.0 and y < 1.0):
        raise ValueError(f"{x:g} ** {y:g}: a Value exponent needs a base > 0 "
                         "(∂/∂y = x^y ln x is undefined otherwise)")
    out = _raised(x, y, "'**'")
    slope = y * _raised(x, y - 1.0, "the derivative of '**' (y·x^(y-1))")
    local = (slope, out * math.log(x) if x > 0.0 else 0.0)
    if slope - slope or local[1] - local[1]:
        raise OverflowError(f"the derivative of '**' overflows a float at {x:g} ** {y:g}")
    return out, local


POW_VALUE = define_op("**value", power_value, arity=2,
                      derivative=lambda out, x, y: (y * x ** (y - 1.0), out * x.log()),
                      sympy=lambda sp, x, y: x ** y, domain=(0.1, 3.0),
                      text=lambda: "**")


# -- functions of one variable ---------------------------------------------------------------

def exp(x: float) -> tuple[float, tuple[float]]:
    """e^x;  ∂/∂x = e^x."""
    try:
        e = math.exp(x)
    except OverflowError:
        raise OverflowError(f"exp({x:g}) overflows a float (largest finite is exp(709.78))") \
            from None
    return e, (e,)


EXP = define_op("exp", exp, derivative=lambda out, x: (out,), sympy=lambda sp, x: sp.exp(x),
                method="exp", formula=True)


def log(x: float) -> tuple[float, tuple[float]]:
    """ln x;  ∂/∂x = 1/x."""
    if x <= 0.0:
        raise ValueError(f"log({x:g}): input must be > 0")
    if x < 5.6e-309:  # 1/x would overflow: x is subnormal
        raise OverflowError(f"log({x:g}): its derivative 1/x overflows a float (x must be at "
                            "least about 5.6e-309)")
    return math.log(x), (1.0 / x,)


LOG = define_op("log", log, derivative=lambda out, x: (x ** -1.0,),
                sympy=lambda sp, x: sp.log(x), domain=(0.05, 10.0), method="log", formula=True)


def tanh(x: float) -> tuple[float, tuple[float]]:
    """t = tanh x;  ∂/∂x = 1 - t², computed as 4u/(1+u)² with u = e^(-2|x|) (no 1 - 1 loss)."""
    u = math.exp(-2.0 * abs(x))
    return math.tanh(x), (4.0 * u / ((1.0 + u) * (1.0 + u)),)


TANH = define_op("tanh", tanh, derivative=lambda out, x: (1.0 - out * out,),
                 sympy=lambda sp, x: sp.tanh(x),
                 method="tanh", formula=True, activation=True,
                 numpy=(lambda np, z: np.tanh(z), lambda np, z, a: 1.0 - a * a))


def stable_sigmoid(x: float) -> tuple[float, float]:
    """σ(x) = 1/(1+e^-x) and σ'(x) = σ(1-σ), both from u = e^(-|x|): finite at any x."""
    u = math.exp(-abs(x))
    s = 1.0 / (1.0 + u) if x >= 0.0 else u / (1.0 + u)
    return s, u / ((1.0 + u) * (1.0 + u))


def sigmoid(x: float) -> tuple[float, tuple[float]]:
    """s = 1/(1+e^-x);  ∂/∂x = s(1-s), computed as u/(1+u)² with u = e^(-|x|)."""
    s, slope = stable_sigmoid(x)
    return s, (slope,)


def numpy_sigmoid(np, z):
    """σ on an array without overflow: e^-|z| is at most 1."""
    u = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + u), u / (1.0 + u))


SIGMOID = define_op("sigmoid", sigmoid, derivative=lambda out, x: (out * (1.0 - out),),
                    sympy=lambda sp, x: sp.sigmoid(x),
                    method="sigmoid", formula=True, activation=True,
                    numpy=(numpy_sigmoid, lambda np, z, a: a * (1.0 - a)))


def relu(x: float) -> tuple[float, tuple[float]]:
    """max(x, 0);  ∂/∂x = 1 if x > 0 else 0."""
    return (x, (1.0,)) if x > 0.0 else (0.0, (0.0,))


RELU = define_op("ReLU", relu, derivative=lambda out, x: (1.0 if x.data > 0.0 else 0.0,),
                 sympy=lambda sp, x: sp.Max(x, 0), kinks=(0.0,), dead_at_zero=True,
                 method="relu", formula=True, activation=True,
                 numpy=(lambda np, z: np.maximum(z, 0.0), lambda np, z, a: (z > 0).astype(float)))
