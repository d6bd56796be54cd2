"""The scalar reverse-mode engine: ``Value``, ``backward`` and ``no_grad``.

Every op records its parents and, for each parent, the local derivative
``∂out/∂parent`` as a plain number. Backward is then one generic loop that
applies the chain rule edge by edge: ``parent.grad += local * node.grad``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Sequence
from numbers import Real
from operator import mul
from typing import NamedTuple

__all__ = ["Value", "no_grad", "is_grad_enabled", "topological_order", "backward_steps", "Step",
           "sum_values", "linear"]

_grad_enabled = True
_ONE = (1.0,)
_ONE_ONE = (1.0, 1.0)


def _to_float(x, what: str) -> float:
    """Convert an int, float or numpy scalar to float; refuse everything else by name."""
    if isinstance(x, bool) or not isinstance(x, Real):
        raise TypeError(f"{what}: expected an int, float or numpy scalar, got "
                        f"{type(x).__name__} {x!r}")
    return float(x)


def is_finite_number(x) -> bool:
    """True for an int, float or numpy scalar (not a bool) whose value is finite."""
    return isinstance(x, Real) and not isinstance(x, bool) and math.isfinite(x)


class Value:
    """A scalar in a computation graph: its value, its gradient and how it was made.

    Attributes:
        data: the value (float).
        grad: ∂root/∂self after ``root.backward()`` (float).
        label: an optional name, used when printing and drawing.
        _prev: the parents, one entry per argument (``a + a`` has ``(a, a)``).
        _local: ``∂self/∂parent`` for each entry of ``_prev``.
        _op: the op that made this value ('' for a leaf).
    """

    __slots__ = ("data", "grad", "_prev", "_local", "_op", "label")
    __array_ufunc__ = None  # numpy scalars defer to our reflected ops: np.int64(2) * v is a Value

    def __init__(self, data, _children=(), _op="", label="", _local=()):
        if type(data) is not float or data - data != 0.0:  # not a float, or nan/±inf
            data = _checked(data, _op, _children)
        self.data = data
        self.grad = 0.0
        self.label = label
        if _grad_enabled:
            self._prev = _children
            self._local = _local
            self._op = _op
        else:
            self._prev = self._local = ()
            self._op = ""

    def __repr__(self) -> str:
        name = f"label={self.label!r}, " if self.label else ""
        return f"Value({name}data={self.data:.6g}, grad={self.grad:.6g})"

    # -- basic ops: value and local derivatives side by side -----------------------------

    def __add__(self, other):
        """a + b;  ∂/∂a = 1,  ∂/∂b = 1."""
        other = other if type(other) is Value else _lift(other, "+")
        return Value(self.data + other.data, (self, other), "+", "", _ONE_ONE)

    def __mul__(self, other):
        """a * b;  ∂/∂a = b,  ∂/∂b = a."""
        other = other if type(other) is Value else _lift(other, "*")
        return Value(self.data * other.data, (self, other), "*", "", (other.data, self.data))

    def __pow__(self, other):
        """x ** n;  ∂/∂x = n x^(n-1)  (and ∂/∂n = x^n ln x for a Value exponent)."""
        if type(other) is Value:
            return _pow_value(self, other)
        n = _to_float(other, "**: exponent")
        x = self.data
        if x == 0.0 and n < 0.0:
            raise ZeroDivisionError(f"{self!r} ** {n:g}: zero to a negative power")
        if x < 0.0 and not n.is_integer():
            raise ValueError(f"{self!r} ** {n:g}: a negative base needs an integer exponent")
        if x == 0.0 and 0.0 < n < 1.0:
            raise ValueError(f"{self!r} ** {n:g}: the derivative is infinite at 0")
        local = 0.0 if n == 0.0 else n * x ** (n - 1.0)
        return Value(x ** n, (self,), f"**{n:g}", "", (local,))

    def exp(self):
        """e^x;  ∂/∂x = e^x."""
        try:
            e = math.exp(self.data)
        except OverflowError:
            raise OverflowError(f"exp({self.data:g}) overflows a float "
                                "(largest finite is exp(709.78))") from None
        return Value(e, (self,), "exp", "", (e,))

    def log(self):
        """ln x;  ∂/∂x = 1/x."""
        x = self.data
        if x <= 0.0:
            raise ValueError(f"log of {self!r}: input must be > 0")
        return Value(math.log(x), (self,), "log", "", (1.0 / x,))

    def tanh(self):
        """t = tanh x;  ∂/∂x = 1 - t², computed as 4u/(1+u)² with u = e^(-2|x|) (no 1 - 1 loss)."""
        x = self.data
        u = math.exp(-2.0 * abs(x))
        return Value(math.tanh(x), (self,), "tanh", "", (4.0 * u / ((1.0 + u) * (1.0 + u)),))

    def sigmoid(self):
        """s = 1/(1+e^-x);  ∂/∂x = s(1-s), computed as u/(1+u)² with u = e^(-|x|)."""
        x = self.data
        u = math.exp(-abs(x))
        s = 1.0 / (1.0 + u) if x >= 0.0 else u / (1.0 + u)
        return Value(s, (self,), "sigmoid", "", (u / ((1.0 + u) * (1.0 + u)),))

    def relu(self):
        """max(x, 0);  ∂/∂x = 1 if x > 0 else 0."""
        x = self.data
        return Value(x if x > 0.0 else 0.0, (self,), "ReLU", "", _ONE if x > 0.0 else (0.0,))

    # -- derived ops ---------------------------------------------------------------------

    def __neg__(self):
        return self * -1.0

    def __sub__(self, other):
        return self + (-other)

    def __truediv__(self, other):
        other = other if type(other) is Value else _lift(other, "/")
        if other.data == 0.0:
            raise ZeroDivisionError(f"{self!r} / {other!r}: division by zero")
        return self * other ** -1.0

    def __radd__(self, other):
        return self + other

    def __rmul__(self, other):
        return self * other

    def __rsub__(self, other):
        return (-self) + other

    def __rtruediv__(self, other):
        return _lift(other, "/") / self

    def __rpow__(self, other):
        return _lift(other, "**") ** self

    # -- backward ------------------------------------------------------------------------

    def backward(self, grad: float = 1.0) -> None:
        """Fill ``.grad`` of every value this one depends on with ∂self/∂value.

        Leaves (values with no parents: inputs and parameters) *accumulate*, as in PyTorch:
        calling backward twice doubles their gradients; ``zero_grad()`` resets them.
        Intermediate values hold the gradient of the latest backward pass.
        """
        topo = _start_backward(self, grad)
        for node in reversed(topo):
            g = node.grad
            if g:
                for parent, local in zip(node._prev, node._local):
                    parent.grad += local * g

    def _backward(self) -> None:
        """One step of the chain rule from this node to its parents (micrograd's hook)."""
        for parent, local in zip(self._prev, self._local):
            parent.grad += local * self.grad


def _lift(x, op: str) -> Value:
    return x if type(x) is Value else Value(_to_float(x, f"'{op}' with a Value"))


def _pow_value(base: Value, exponent: Value) -> Value:
    x, y = base.data, exponent.data
    if x < 0.0 or (x == 0.0 and y < 1.0):
        raise ValueError(f"{base!r} ** {exponent!r}: a Value exponent needs a base > 0 "
                         "(∂/∂y = x^y ln x is undefined otherwise)")
    out = x ** y
    d_exp = out * math.log(x) if x > 0.0 else 0.0
    return Value(out, (base, exponent), "**", "", (y * x ** (y - 1.0), d_exp))


def _checked(data, op: str, children) -> float:
    """The slow path of ``Value()``: convert to float, refuse nan and ±inf by name."""
    data = _to_float(data, op or f"Value({data!r})")
    if data - data == 0.0:
        return data
    if not op:
        raise ValueError(f"Value must be finite, got {data!r}")
    args = ", ".join(f"{c.data:g}" for c in children)
    if math.isnan(data):
        raise ValueError(f"'{op}' of ({args}) is not a number")
    raise OverflowError(f"'{op}' of ({args}) overflows a float")


def sum_values(values: Iterable) -> Value:
    """x1 + x2 + ... + xn as one node;  ∂/∂xi = 1.  Numbers among the terms are constants."""
    parents, total = [], 0.0
    for v in values:
        if type(v) is Value:
            parents.append(v)
            total += v.data
        else:
            total += _to_float(v, "sum_values")
    return Value(total, tuple(parents), "sum", "", (1.0,) * len(parents))


def linear(weights: Sequence[Value], inputs: Sequence, bias: Value | None = None) -> Value:
    """z = Σ wi·xi + b as one node (a neuron's pre-activation, the seed's z = Wᵀx + b).

    ∂z/∂wi = xi,  ∂z/∂xi = wi,  ∂z/∂b = 1.  Inputs that are numbers are constants: they get
    no node and no gradient, only their value on the weights' edges.
    """
    if len(weights) != len(inputs):
        raise ValueError(f"linear: {len(weights)} weights but {len(inputs)} inputs")
    xs, parents, input_local = [], list(weights), []
    for w, x in zip(weights, inputs):
        if type(x) is Value:
            parents.append(x)
            input_local.append(w.data)
            x = x.data
        elif type(x) is not float:
            x = _to_float(x, "linear input")
        xs.append(x)
    z = sum(map(mul, [w.data for w in weights], xs), 0.0 if bias is None else bias.data)
    if bias is not None:
        parents.append(bias)
        input_local.append(1.0)
    return Value(z, tuple(parents), "linear", "", (*xs, *input_local))


class no_grad:
    """Context manager (or decorator) under which ops record no graph.

    Values made inside have no parents, so nothing is kept for backward: use it for
    evaluation, plotting and parameter updates.
    """

    def __enter__(self):
        global _grad_enabled
        self._previous, _grad_enabled = _grad_enabled, False
        return self

    def __exit__(self, *exc) -> None:
        global _grad_enabled
        _grad_enabled = self._previous

    def __call__(self, fn):
        def wrapper(*args, **kwargs):
            with no_grad():
                return fn(*args, **kwargs)
        wrapper.__name__, wrapper.__doc__ = fn.__name__, fn.__doc__
        return wrapper


def is_grad_enabled() -> bool:
    """True unless inside ``no_grad()``."""
    return _grad_enabled


def topological_order(root: Value, leaves: bool = True) -> list[Value]:
    """Every value ``root`` depends on, parents before children, ``root`` last.

    Iterative depth-first search with an explicit stack: any depth works. With
    ``leaves=False`` values without parents are left out (backward never visits them).
    """
    order, seen = [], {root}
    stack = [(root, iter(root._prev))]
    while stack:
        node, parents = stack[-1]
        for parent in parents:
            if (leaves or parent._prev) and parent not in seen:
                seen.add(parent)
                stack.append((parent, iter(parent._prev)))
                break
        else:
            stack.pop()
            order.append(node)
    return order


def _start_backward(root: Value, grad: float) -> list[Value]:
    """Order the interior of the graph, reset its gradients, seed the root."""
    grad = _to_float(grad, "backward(grad)")
    topo = topological_order(root, leaves=False)
    if root._prev:
        for node in topo:
            node.grad = 0.0
    root.grad += grad
    return topo


class Step(NamedTuple):
    """One application of the chain rule: ``parent.grad += local * node.grad``."""

    node: Value
    parent: Value
    local: float
    contribution: float


def backward_steps(root: Value, grad: float = 1.0) -> Iterator[Step]:
    """Run ``root.backward(grad)`` one edge at a time, yielding each step after it is applied.

    Exhausting the generator leaves exactly the gradients ``backward()`` gives.
    Steps come in backward order: every node after all the nodes that use it.
    """
    for node in reversed(_start_backward(root, grad)):
        for parent, local in zip(node._prev, node._local):
            contribution = local * node.grad
            parent.grad += contribution
            yield Step(node, parent, local, contribution)
