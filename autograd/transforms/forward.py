"""Forward mode: dual numbers carry a value and its directional derivative through ``f``.

A dual number is x + ẋε with ε² = 0, so f(x + ẋε) = f(x) + f'(x)ẋε: one pass through ``f``
gives the value and the derivative along the tangent ẋ. Each op of a ``Dual`` asks its row in
the table of ops for the value and the local derivatives (the same numbers ``backward`` uses)
and sets ``tangent = Σ_i ∂out/∂x_i · tangent_i``. No graph is kept.

Forward mode needs one pass per input direction for a full gradient; reverse mode
(``backward``) one pass per output. ``jvp`` counts the ops so a lesson can compare the two.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from autograd.core import DerivedOps, Op, Value, not_finite_error, ops, to_float
from autograd.core.table import listen

__all__ = ["Dual", "jvp", "JvpResult"]


class _Tally:
    """How many ops the duals of one ``jvp`` call have done."""

    __slots__ = ("ops",)

    def __init__(self):
        self.ops = 0


class Dual(DerivedOps):
    """A value and its tangent (derivative along one direction), with Value's ops.

    Attributes:
        data: the value (float).
        tangent: d data / dt along the direction ``jvp`` was given (float).
    """

    __slots__ = ("data", "tangent", "_tally")
    __array_ufunc__ = None  # numpy scalars defer to our reflected ops, as for Value

    def __init__(self, data: float, tangent: float = 0.0, _tally: _Tally | None = None):
        self.data = to_float(data, "Dual")
        self.tangent = to_float(tangent, "Dual tangent")
        self._tally = _tally if _tally is not None else _Tally()

    def __repr__(self) -> str:
        return f"Dual(data={self.data!r}, tangent={self.tangent!r})"

    def _apply(self, rule: Op, args: tuple, **params) -> Dual:
        """One op: the row's value and local derivatives; tangent = Σ local_i · tangent_i."""
        value, local = rule.value(*[a.data for a in args], **params)
        if value - value:
            raise not_finite_error(rule.name, value, args)
        tangent = 0.0
        for d, a in zip(local, args):
            tangent += d * a.tangent
        if tangent - tangent:
            raise OverflowError(f"jvp: the derivative stops being finite at '{rule.name}' of "
                                f"({_numbers(a.data for a in args)}): local derivatives "
                                f"({_numbers(local)}) times tangents "
                                f"({_numbers(a.tangent for a in args)}) give {tangent}")
        self._tally.ops += 1
        return Dual(value, tangent, self._tally)

    def _lift(self, other, op: str) -> Dual:
        if isinstance(other, Dual):
            return other
        if isinstance(other, Value):
            raise TypeError(f"'{op}' of a Dual and {other!r}: inside jvp, f must compute with "
                            "its arguments (Duals) and numbers, not with Values")
        return Dual(to_float(other, f"'{op}' with a Dual"), 0.0, self._tally)

    def __add__(self, other) -> Dual:
        """a + b  (ops.ADD)."""
        return self._apply(ops.ADD, (self, self._lift(other, "+")))

    def __mul__(self, other) -> Dual:
        """a * b  (ops.MUL)."""
        return self._apply(ops.MUL, (self, self._lift(other, "*")))

    def __pow__(self, other) -> Dual:
        """x ** n  (ops.POW), or x ** y for a Dual y  (ops.POW_VALUE)."""
        if isinstance(other, Dual):
            return self._apply(ops.POW_VALUE, (self, other))
        return self._apply(ops.POW, (self,), n=to_float(other, "**: exponent"))


def _numbers(xs) -> str:
    return ", ".join(f"{x:g}" for x in xs)


def _install(op: Op, defined: bool) -> None:
    """Give ``Dual`` the method of a row that names one (exp, tanh, ... and any op defined
    later), or take it away: the table calls this for every row."""
    if op.method is None:
        return
    if not defined:
        if _INSTALLED.pop(op.method, None) is not None:
            delattr(Dual, op.method)
        return

    def method(self, *others) -> Dual:
        if len(others) != (op.arity or 1) - 1:
            raise TypeError(f"{op.method}() takes {(op.arity or 1) - 1} argument(s) besides "
                            f"the Dual, got {len(others)}")
        return self._apply(op, (self, *(self._lift(o, op.name) for o in others)))

    method.__name__ = method.__qualname__ = op.method
    method.__doc__ = op.value.__doc__
    _INSTALLED[op.method] = method
    setattr(Dual, op.method, method)


_INSTALLED: dict[str, object] = {}
listen(_install)


@dataclass(frozen=True)
class JvpResult:
    """What ``jvp`` returns; unpacks as ``value, derivative = jvp(...)``.

    Attributes:
        value: f at the point.
        derivative: the directional derivative ∇f · tangents.
        ops: how many ops the pass did (the cost of one forward-mode pass).
    """

    value: float
    derivative: float
    ops: int

    def __iter__(self):
        return iter((self.value, self.derivative))


def jvp(f: Callable, inputs: Sequence, tangents: Sequence) -> JvpResult:
    """f(x) and ∇f(x) · t in one forward pass over dual numbers: no graph, no backward.

    ``f`` is called with one :class:`Dual` per input and must compute with the ops a Value
    has (``+ - * / **``, ``exp log tanh sigmoid relu``) and numbers; a function written for
    Values (as for ``gradcheck``) works unchanged. ``nn`` modules, ``linear`` and losses build
    Values and so do not take Duals: write the network as a function of its parameters (as the
    ``higher_order`` lesson does for the seed's 3-4-1 network).

    Args:
        f: called as ``f(*duals)``; returns a Dual (or a number, whose derivative is 0).
        inputs: numbers or Values (their data is used): the point x.
        tangents: one number per input: the direction t.

    Returns:
        A :class:`JvpResult`: ``value``, ``derivative`` and ``ops``, the ops done.
    """
    try:
        inputs, tangents = list(inputs), list(tangents)
    except TypeError:
        raise TypeError("jvp: inputs and tangents must be lists, one number per input") from None
    xs = [x.data if isinstance(x, Value) else to_float(x, f"jvp: input {i}")
          for i, x in enumerate(inputs)]
    ts = [to_float(t, f"jvp: tangent {i}") for i, t in enumerate(tangents)]
    for i, t in enumerate(ts):
        if t - t:
            raise ValueError(f"jvp: tangent {i} must be a finite number, got {t!r}")
    if len(xs) != len(ts):
        raise ValueError(f"jvp: {len(ts)} tangents for {len(xs)} inputs; give one per input")
    tally = _Tally()
    out = f(*[Dual(x, t, tally) for x, t in zip(xs, ts)])
    if isinstance(out, Dual):
        return JvpResult(out.data, out.tangent, tally.ops)
    if isinstance(out, Value):
        raise TypeError(f"jvp: f returned a Value {out!r}; it must compute with its arguments "
                        "(Duals), so that the tangent goes through every op")
    return JvpResult(to_float(out, "jvp: f's output"), 0.0, tally.ops)
