"""``Value``: a scalar that remembers how it was made, and the one factory of its nodes.

Every op records its parents and, for each parent, the local derivative ``∂out/∂parent`` as a
plain number; the rules live in ``autograd.core.ops``, one row per op. ``backward``
(``autograd.core.backward``) then applies the chain rule edge by edge:
``parent.grad += local * node.grad``.

A node also records its depth: 1 + the largest depth of its parents (leaves 0). Nodes made
later can never be parents of nodes made earlier, so children are always deeper than their
parents, and sorting by depth orders any graph.
"""

from __future__ import annotations

import functools
import math
from numbers import Real

from autograd.core import backward as _backward_pass
from autograd.core import ops
from autograd.core.grad_mode import OPEN as _NO_GRAD_OPEN
from autograd.core.grad_mode import recording
from autograd.core.table import Op, OpName, check_label, listen

__all__ = ["Value", "DerivedOps", "make_node", "apply_op", "is_constant", "is_finite_number",
           "to_float", "not_finite_error", "CONSTANT"]

_new = object.__new__
_ONE_ONE = _backward_pass.ONE_ONE  # one tuple for every + node: backward tells them by it
_ADD, _MUL, _POW_VALUE = ops.ADD.tag(), ops.MUL.tag(), ops.POW_VALUE.tag()


class _Constant(str):
    """The ``_op`` of a number lifted into an op (the 2 of ``x*2``): it reads '', like any
    leaf's, but is this one object, so ``is_constant`` can tell."""

    __slots__ = ()

    def __reduce__(self):
        return "CONSTANT"  # pickle restores this very object


CONSTANT = _Constant()


def to_float(x, what: str) -> float:
    """Convert an int, float or numpy scalar to float; refuse everything else by name."""
    if isinstance(x, bool) or not isinstance(x, Real):
        raise TypeError(f"{what}: expected an int, float or numpy scalar, got "
                        f"{type(x).__name__} {x!r}")
    try:
        return float(x)
    except OverflowError:  # an int past 1.8e308
        raise ValueError(f"{what}: an int of {len(str(abs(int(x))))} digits is too large for "
                         "a float (the largest is about 1.8e308)") from None


def is_finite_number(x) -> bool:
    """True for an int, float or numpy scalar (not a bool) whose value is finite."""
    return isinstance(x, Real) and not isinstance(x, bool) and math.isfinite(x)


class DerivedOps:
    """The ops built from + * and ** (each a one-liner), shared by Value and forward mode's Dual.

    A class using it provides ``+ * **`` and ``_lift(other, op)``, which turns a number into
    one of its own (a constant).
    """

    __slots__ = ()

    def __neg__(self):
        return self * -1.0

    def __sub__(self, other):
        return self + (-other)

    def __truediv__(self, other):
        other = self._lift(other, "/")
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
        return self._lift(other, "/") / self

    def __rpow__(self, other):
        return self._lift(other, "**") ** self


class Value(DerivedOps):
    """A scalar in a computation graph: its value, its gradient and how it was made.

    Its ops: ``+ - * / **`` (numbers on either side), and a method for each row of the table
    of ops that names one: ``exp log tanh sigmoid relu`` and any op defined with ``define_op``.

    Attributes:
        data: the value (float).
        grad: ∂root/∂self after ``root.backward()`` (float).
        label: an optional name, used when printing and drawing.
        _prev: the parents, one entry per argument (``a + a`` has ``(a, a)``).
        _local: ``∂self/∂parent`` for each entry of ``_prev``; for a node whose backward is a
            function of its own (micrograd's ``out._backward = fn``), that function.
        _op: the op that made this value ('' for a leaf); ``_op.rule`` is its row in the
            table of ops (``autograd.core.table.OPS``) for the ops this library makes.
    """

    __slots__ = ("data", "grad", "_prev", "_local", "_tag", "_depth")
    __array_ufunc__ = None  # numpy scalars defer to our reflected ops: np.int64(2) * v is a Value

    def __init__(self, data, _children=(), _op="", label="", _local=()):
        if type(data) is not float or data - data != 0.0:  # not a float, or nan/±inf
            data = _checked(data, _op, _children)
        tag = _make_tag(_op, label)
        if _children:  # a node made micrograd's way: Value(data, children, op)
            children, depth = _checked_children(_children, _local)
            node = make_node(data, children, tag, _local, depth)
            for slot in Value.__slots__:
                setattr(self, slot, getattr(node, slot))
        else:
            self.data, self.grad, self._tag = data, 0.0, tag
            self._prev = self._local = ()
            self._depth = 0

    def __repr__(self) -> str:
        label = self.label
        return (f"Value(data={self.data!r}, grad={self.grad!r}"
                + (f", label={label!r})" if label else ")"))

    # -- name and op: one slot, since most nodes have no label --------------------------------

    @property
    def label(self) -> str:
        tag = self._tag
        return tag[1] if type(tag) is tuple else ""

    @label.setter
    def label(self, text: str) -> None:
        tag = self._tag
        op = tag[0] if type(tag) is tuple else tag
        if type(text) is str and text:
            self._tag = op.labelled(text) if type(op) is OpName else (op, check_label(text))
        else:
            self._tag = _make_tag(op, text)

    @property
    def _op(self) -> str:
        tag = self._tag
        return tag[0] if type(tag) is tuple else tag

    @_op.setter
    def _op(self, name: str) -> None:
        self._tag = _make_tag(name, self.label)

    # -- micrograd's hook: out._backward = fn ------------------------------------------------

    @property
    def _backward(self):
        """One chain-rule step from this node to its parents, as a function (micrograd's)."""
        local = self._local
        return local if callable(local) else functools.partial(_backward_pass.chain_step, self)

    @_backward.setter
    def _backward(self, fn) -> None:
        if not callable(fn):
            raise TypeError(f"_backward must be a function, got {type(fn).__name__} {fn!r}")
        self._local = fn

    # -- ops: the rules are in autograd.core.ops --------------------------------------------
    # Each row with a method name (exp, log, tanh, sigmoid, relu, and any op you define) adds
    # its method here through _install, below; + * and ** are written out.

    # + and * are most of every graph, so they build their node right here: make_node, inlined
    # (the rules are ops.ADD and ops.MUL). Inside no_grad, or for a result that is not
    # finite, they hand over to make_node itself.

    def __add__(self, other):
        """a + b;  ∂/∂a = 1,  ∂/∂b = 1."""
        if type(other) is not Value:
            other = _lift(other, "+")
        value = self.data + other.data
        if value - value or _NO_GRAD_OPEN:
            return make_node(value, (self, other), _ADD, _ONE_ONE, max(self._depth, other._depth))
        out = _new(Value)
        out.data, out.grad, out._tag = value, 0.0, _ADD
        out._prev, out._local = (self, other), _ONE_ONE
        d, e = self._depth, other._depth
        out._depth = (d if d > e else e) + 1
        return out

    def __mul__(self, other):
        """a * b;  ∂/∂a = b,  ∂/∂b = a."""
        if type(other) is not Value:
            other = _lift(other, "*")
        a, b = self.data, other.data
        value = a * b
        if value - value or _NO_GRAD_OPEN:
            return make_node(value, (self, other), _MUL, (b, a), max(self._depth, other._depth))
        out = _new(Value)
        out.data, out.grad, out._tag = value, 0.0, _MUL
        out._prev, out._local = (self, other), (b, a)
        d, e = self._depth, other._depth
        out._depth = (d if d > e else e) + 1
        return out

    def __pow__(self, other):
        """x ** n;  ∂/∂x = n x^(n-1)  (and ∂/∂n = x^n ln x for a Value exponent)."""
        if isinstance(other, Value):
            value, local = ops.power_value(self.data, other.data)
            return make_node(value, (self, other), _POW_VALUE, local,
                             max(self._depth, other._depth))
        n = to_float(other, "**: exponent")
        value, local = ops.power(self.data, n)
        return make_node(value, (self,), ops.POW.tag(n=n), local, self._depth)

    def _lift(self, other, op: str) -> Value:
        """``other`` as a Value: numbers become constant leaves (for DerivedOps)."""
        return _lift(other, op)

    def backward(self, grad: float = 1.0) -> None:
        """Fill ``.grad`` of every value this one depends on with ∂self/∂value.

        Leaves (values with no parents: inputs and parameters) *accumulate*, as in PyTorch:
        calling backward twice doubles their gradients; ``zero_grad()`` resets them.
        Intermediate values hold the gradient of the latest backward pass.
        """
        grad = to_float(grad, "backward(grad)")
        if grad - grad:
            raise ValueError(f"backward(grad): the seed gradient must be finite, got {grad!r}")
        _backward_pass.backward(self, grad)


def _install(op: Op, defined: bool) -> None:
    """Give ``Value`` the method of a row that names one, or take it away (the table calls
    this for every row: ``listen`` below)."""
    if op.method is None:
        return
    if not defined:
        if _INSTALLED.get(op.method) is getattr(Value, op.method, None):
            delattr(Value, op.method)
            del _INSTALLED[op.method]
        return
    if hasattr(Value, op.method):
        raise ValueError(f"op {op.name!r}: Value already has an attribute {op.method!r}")
    tag, value, arity = op.tag(), op.value, op.arity
    if arity == 1:
        def method(self):
            out, local = value(self.data)
            return make_node(out, (self,), tag, local, self._depth)
    else:
        def method(self, *others):
            if len(others) != arity - 1:
                raise TypeError(f"{op.method}() takes {arity - 1} argument(s) besides the "
                                f"Value, got {len(others)}")
            return apply_op(tag, (self, *(_lift(o, op.name) for o in others)))
    method.__name__ = method.__qualname__ = op.method
    method.__doc__ = value.__doc__
    _INSTALLED[op.method] = method
    setattr(Value, op.method, method)


_INSTALLED: dict[str, object] = {}


def make_node(value: float, parents: tuple, tag, local, depth: int) -> Value:
    """The node factory: a Value made by an op from ``parents``, or a leaf inside no_grad.

    Args:
        value: the op's result (a non-finite one is refused, naming the op and its inputs).
        parents: the op's arguments that are Values, in order.
        tag: the node's ``_op`` (a row's ``OpName``, or a string), or ``(op, label)``.
        local: ∂value/∂parent for each parent (numbers), or micrograd's backward function.
        depth: the largest ``_depth`` among ``parents`` (the node's is one more).

    Returns:
        The node. Inside ``no_grad()`` it has no parents and no op: a leaf that keeps only
        its label.
    """
    if value - value:
        raise not_finite_error(tag, value, parents)
    out = _new(Value)
    out.data = value
    out.grad = 0.0
    if _NO_GRAD_OPEN and not recording():
        out._tag = ("", tag[1]) if type(tag) is tuple else ""
        out._prev = out._local = ()
        out._depth = 0
        return out
    out._tag = tag
    out._prev = parents
    out._local = local
    out._depth = depth + 1
    return out


def apply_op(tag: OpName, parents: tuple) -> Value:
    """A node of the row ``tag.rule`` with parameters ``tag.params`` over ``parents``.

    The row gives the value and the local derivatives; ``tag`` becomes the node's ``_op``. Get
    tags from the row: ``rule.tag(**params)`` (shared) or ``rule.new_tag(**params)`` for
    parameters that belong to one node (a sample's constants).
    """
    value, local = tag.rule.value(*[p.data for p in parents], **tag.params)
    depth = 0
    for parent in parents:
        if parent._depth > depth:
            depth = parent._depth
    return make_node(value, parents, tag, local, depth)


def is_constant(value: Value) -> bool:
    """True for a number an op lifted into the graph (the 2 of ``x*2``, the 1 of ``x + 1``).

    Decided where the number was lifted, not guessed: ``Value(1.0)`` made by you is a leaf of
    your own, never a constant.
    """
    tag = value._tag
    return (tag[0] if type(tag) is tuple else tag) is CONSTANT


def not_finite_error(op, value: float, parents) -> ArithmeticError | ValueError:
    """The error for an op whose result is nan or ±inf, naming the op and its inputs."""
    op = op[0] if type(op) is tuple else op
    args = ", ".join(f"{p.data:g}" for p in parents)
    if math.isnan(value):
        return ValueError(f"'{op}' of ({args}) is not a number")
    return OverflowError(f"'{op}' of ({args}) overflows a float")


def _lift(x, op: str) -> Value:
    """A number used by an op, as a constant leaf."""
    if isinstance(x, Value):
        return x
    out = _new(Value)
    out.data = x if type(x) is float and x - x == 0.0 else \
        _checked(to_float(x, f"'{op}' with a Value"), "", ())
    out.grad, out._tag, out._prev, out._local, out._depth = 0.0, CONSTANT, (), (), 0
    return out


def _make_tag(op: str, label: str):
    """The ``_tag`` slot: the op alone, or ``(op, label)`` for a labelled value."""
    if not isinstance(op, str):
        raise TypeError(f"Value: _op must be a string, got {type(op).__name__} {op!r}")
    if not isinstance(label, str):
        raise TypeError(f"Value: label must be a string, got {type(label).__name__} {label!r}")
    if label:
        check_label(label)
    return (op, label) if label else op


def _checked_children(children, local) -> tuple[tuple, int]:
    """The children of ``Value(data, children, op)`` as a tuple of Values, checked, and the
    largest depth among them."""
    children = children if type(children) is tuple else tuple(children)
    depth = 0
    for child in children:
        if not isinstance(child, Value):
            raise TypeError(f"Value: every child must be a Value, got {type(child).__name__} "
                            f"{child!r}")
        depth = max(depth, child._depth)
    if type(local) is tuple and local and len(local) != len(children):
        raise ValueError(f"Value: {len(local)} local derivatives for {len(children)} children")
    return children, depth


def _checked(data, op: str, children) -> float:
    """The slow path of ``Value()``: convert to float, refuse nan and ±inf by name."""
    data = to_float(data, op or "Value(data)")
    if data - data == 0.0:
        return data
    if not op:
        raise ValueError(f"Value must be finite, got {data!r}")
    raise not_finite_error(op, data, [c for c in children if isinstance(c, Value)])


listen(_install)
