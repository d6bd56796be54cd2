"""Your own op with your own derivative: ``custom_op(fn, derivative, name)``.

The op makes one node whose value is ``fn(x)`` and whose local derivative is
``derivative(x)``, exactly like a built-in op, so backward, pictures, ``explain`` and
``gradcheck`` treat it the same; ``gradcheck`` then says whether the derivative is right.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from numbers import Real

from autograd.core import Op, Value, apply_op, make_node, no_grad, recording

__all__ = ["custom_op", "CustomOp"]

_KEPT = (ValueError, TypeError, ZeroDivisionError, OverflowError)


class CustomOp:
    """A scalar op defined by a value function and a hand-derived derivative.

    Call it on Values and numbers: ``op(x)`` or ``op(x, y)``. Numbers are constants (no node,
    no gradient); with numbers only the result is a plain float (handy for plotting).

    Attributes:
        fn: ``fn(*floats) -> float``, the value.
        derivative: ``derivative(*floats)``, the partial derivative for one argument, or a
            sequence of them, one per argument, for an op of several arguments.
        name: the op's name; it becomes the node's ``_op``.
        sympy: ``sympy(sp, *args)``, the op as a SymPy expression (``sp`` has the sympy
            module's names), or None: then ``to_sympy`` shows it as an undefined function.
    """

    def __init__(self, fn: Callable, derivative: Callable, name: str,
                 sympy: Callable | None = None):
        given = [("fn", fn), ("derivative", derivative)] + ([("sympy", sympy)] if sympy else [])
        for what, f in given:
            if not callable(f):
                raise TypeError(f"custom_op {name!r}: {what} must be callable, got "
                                f"{type(f).__name__} {f!r}")
        if not isinstance(name, str) or not name.strip():
            raise ValueError(f"custom_op: name must be a non-empty string, got {name!r}")
        self.fn, self.derivative, self.name, self.sympy = fn, derivative, name, sympy
        self._derivative_on_values = False  # set once the derivative is seen to need Values
        self.rule = Op(name, self._value, self._derivative_with_ops, sympy=self._sympy)
        functools.update_wrapper(self, fn)

    def __repr__(self) -> str:
        return f"custom_op({self.name!r})"

    def __call__(self, *args):
        if not args:
            raise TypeError(f"custom op {self.name!r} needs at least one argument")
        xs = []
        for i, a in enumerate(args):
            if isinstance(a, Value):
                xs.append(a.data)
            elif isinstance(a, Real) and not isinstance(a, bool):
                xs.append(float(a))
            else:
                raise TypeError(f"custom op {self.name!r}: argument {i + 1} must be a Value or "
                                f"a number, got {type(a).__name__} {a!r}")
        parents = tuple(a for a in args if isinstance(a, Value))
        if not parents:
            return self._evaluate(self.fn, "value", xs)
        if not recording():  # no graph, so no derivative either: make_node makes a leaf
            return make_node(self._evaluate(self.fn, "value", xs), parents, self.name, (), 0)
        consts = tuple((i, x) for i, (a, x) in enumerate(zip(args, xs))
                       if not isinstance(a, Value))
        return apply_op(self.rule.new_tag(consts=consts) if consts else self.rule.tag(), parents)

    def _value(self, *values: float, consts: tuple = ()) -> tuple[float, tuple[float, ...]]:
        """The row's value: ``fn`` and the partials for the Value arguments (constants merged)."""
        xs = _merge(values, consts)
        value = self._evaluate(self.fn, "value", xs)
        local = self._partials(xs)
        at = {i for i, _ in consts}
        return value, tuple(d for i, d in enumerate(local) if i not in at)

    def _derivative_with_ops(self, out, *args, consts: tuple = ()):
        """The derivative called on Values, for create_graph; it must be written with Value ops.

        Constant arguments come as leaf Values too, so the derivative may call their methods.
        """
        xs = _merge(args, tuple((i, Value(c)) for i, c in consts))
        try:
            d = self.derivative(*xs)
        except (TypeError, AttributeError) as err:
            raise TypeError(f"custom op {self.name!r}: its derivative works on numbers only "
                            f"({type(err).__name__}: {err}), so it cannot be differentiated "
                            "again; write it with Value ops (x.exp(), x.log(), x.tanh(), ...) "
                            "to use create_graph") from None
        d = list(d) if isinstance(d, (list, tuple)) else [d]
        at = {i for i, _ in consts}
        return tuple(v for i, v in enumerate(d) if i not in at)

    def _sympy(self, sp, *args, consts: tuple = ()):
        """The row's SymPy form: the one given, or an undefined function of the arguments."""
        xs = _merge(args, tuple((i, sp.number(x)) for i, x in consts))
        if self.sympy is None:
            return sp.undefined(self.name)(*xs)
        return self.sympy(sp, *xs)

    def _where(self, xs: list[float]) -> str:
        return f"custom op {self.name!r} at input ({', '.join(f'{x:g}' for x in xs)})"

    def _evaluate(self, f: Callable, what: str, xs: list[float]):
        try:
            out = f(*xs)
        except (ArithmeticError, ValueError, TypeError) as err:
            kind = type(err) if type(err) in _KEPT else ValueError
            raise kind(f"{self._where(xs)}: its {what} function failed: "
                       f"{type(err).__name__}: {err}") from err
        if what == "value":
            return self._finite(out, what, xs)
        return out

    def _finite(self, out, what: str, xs: list[float]) -> float:
        if isinstance(out, Value) or isinstance(out, bool) or not isinstance(out, Real):
            raise TypeError(f"{self._where(xs)}: its {what} must be a number, got "
                            f"{type(out).__name__} {out!r}")
        out = float(out)
        if not math.isfinite(out):
            raise ValueError(f"{self._where(xs)}: its {what} is {out!r}, not a finite number")
        return out

    def _derivative_numbers(self, *xs: float):
        """The derivative at numbers. One written with Value ops (``x.exp()``) fails on floats:
        it is then called with Values (no graph) from now on, and its results read as numbers."""
        if not self._derivative_on_values:
            try:
                return self.derivative(*xs)
            except (AttributeError, TypeError) as err:
                on_floats = err
            try:
                d = self._derivative_at_values(xs)
            except Exception as err:
                raise TypeError(f"it fails on numbers ({type(on_floats).__name__}: "
                                f"{on_floats}) and on Values "
                                f"({type(err).__name__}: {err})") from on_floats
            self._derivative_on_values = True
            return d
        return self._derivative_at_values(xs)

    def _derivative_at_values(self, xs) -> list:
        with no_grad():
            d = self.derivative(*map(Value, xs))
        d = list(d) if isinstance(d, (list, tuple)) else [d]
        return [v.data if isinstance(v, Value) else v for v in d]

    def _partials(self, xs: list[float]) -> list[float]:
        d = self._evaluate(self._derivative_numbers, "derivative", xs)
        if isinstance(d, (Real, Value, str)):
            d = [d]
        else:
            try:
                d = list(d)
            except TypeError:
                d = [d]
        if len(d) != len(xs):
            raise ValueError(f"{self._where(xs)}: derivative returned {len(d)} value(s) for "
                             f"{len(xs)} argument(s); return one partial derivative per argument")
        return [self._finite(v, f"derivative (∂/∂ argument {i + 1})", xs)
                for i, v in enumerate(d)]


def _merge(values, consts: tuple) -> list:
    """The full argument list: Value arguments in order, constants at their positions."""
    out, rest = [], iter(values)
    fixed = dict(consts)
    for i in range(len(values) + len(consts)):
        out.append(fixed[i] if i in fixed else next(rest))
    return out


def custom_op(fn: Callable | None = None, derivative: Callable | None = None,
              name: str | None = None, sympy: Callable | None = None):
    """Define a scalar op from its value and the derivative you worked out by hand.

    Two ways to use it::

        softplus = custom_op(lambda x: math.log1p(math.exp(x)),
                             lambda x: 1 / (1 + math.exp(-x)), "softplus")

        @custom_op(derivative=lambda x: 1 / (1 + math.exp(-x)))
        def softplus(x):                      # name taken from the function: "softplus"
            return math.log1p(math.exp(x))

    For an op of several arguments, ``derivative`` returns one partial per argument:
    ``custom_op(lambda x, y: x * y, lambda x, y: (y, x), "times")``. With
    ``sympy=lambda sp, x: sp.log(1 + sp.exp(x))`` the op has a SymPy form too (for
    ``to_sympy``, ``derivative`` and ``check_derivative``).

    A derivative written with Value ops (``lambda x: 1 / (1 + (-x).exp())``) works too, and
    makes the op differentiable again: ``grad(..., create_graph=True)`` calls it on the
    graph's Values. One written with ``math`` serves first-order gradients only.

    Args:
        fn: value function on floats.
        derivative: local derivative function, on the same floats or written with Value ops.
        name: the op's name, shown as the node's ``_op`` in pictures and ``explain``;
            defaults to ``fn.__name__`` (a lambda needs an explicit name).
        sympy: optional ``sympy(sp, *args)``: the op as a SymPy expression of SymPy
            arguments (``sp`` has the sympy module's names); without it the op is an
            undefined function.

    Returns:
        A :class:`CustomOp` (called on Values it makes nodes); without ``fn``, a decorator.

    Raises:
        ValueError, TypeError, ZeroDivisionError, OverflowError: when ``fn`` or
        ``derivative`` fails on an input (the message names the op and the input), and
        ValueError when either gives a non-finite number.
    """
    if derivative is None:
        raise TypeError("custom_op: give the derivative, e.g. custom_op(fn, derivative, name) "
                        "or @custom_op(derivative=...)")

    def make(f: Callable) -> CustomOp:
        op_name = name if name is not None else getattr(f, "__name__", "")
        if op_name == "<lambda>":
            raise ValueError("custom_op: a lambda has no name; pass name='...'")
        return CustomOp(f, derivative, op_name, sympy)

    return make if fn is None else make(fn)
