"""The scalar reverse-mode engine: ``Value``, ``backward`` and grad mode.

Every op records its parents and, for each parent, the local derivative ``∂out/∂parent`` as a
plain number; the rules live in ``autograd.ops``, one row per op. Backward is then one generic
loop that applies the chain rule edge by edge: ``parent.grad += local * node.grad``.

Nodes made later can never be parents of nodes made earlier, so a node's depth (1 + the
largest depth of its parents, leaves 0) orders any graph: children always come deeper than
their parents. Backward sorts the nodes it reaches by depth instead of walking the graph.
"""

from __future__ import annotations

import contextvars
import functools
import math
import threading
from numbers import Real
from operator import attrgetter

from autograd import ops

__all__ = ["Value", "apply_op", "is_finite_number"]

_new = object.__new__
_ONE_ONE = (1.0, 1.0)
_ADD, _MUL, _POW_VALUE, _SUM = ops.ADD.tag(), ops.MUL.tag(), ops.POW_VALUE.tag(), ops.SUM.tag()
_EXP, _LOG, _TANH = ops.EXP.tag(), ops.LOG.tag(), ops.TANH.tag()
_SIGMOID, _RELU = ops.SIGMOID.tag(), ops.RELU.tag()
_depth_of = attrgetter("_depth")

# Grad mode (autograd.grad_mode) is per thread and per asyncio task: a context variable, as
# PyTorch keeps it per thread. ``_paused`` counts the no_grad blocks open anywhere: while it is
# 0, which is almost always, an op needs no look at the context variable at all.
_grad_enabled = contextvars.ContextVar("backprop_lab_grad_enabled", default=True)
_paused = 0
_paused_lock = threading.Lock()


def _to_float(x, what: str) -> float:
    """Convert an int, float or numpy scalar to float; refuse everything else by name."""
    if isinstance(x, bool) or not isinstance(x, Real):
        raise TypeError(f"{what}: expected an int, float or numpy scalar, got "
                        f"{type(x).__name__} {x!r}")
    return float(x)


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

    Attributes:
        data: the value (float).
        grad: ∂root/∂self after ``root.backward()`` (float).
        label: an optional name, used when printing and drawing.
        _prev: the parents, one entry per argument (``a + a`` has ``(a, a)``).
        _local: ``∂self/∂parent`` for each entry of ``_prev``; for a node whose backward is a
            function of its own (micrograd's ``out._backward = fn``), that function.
        _op: the op that made this value ('' for a leaf); ``_op.rule`` is its row in
            ``autograd.ops`` for the ops this library makes.
    """

    __slots__ = ("data", "grad", "_prev", "_local", "_tag", "_depth")
    __array_ufunc__ = None  # numpy scalars defer to our reflected ops: np.int64(2) * v is a Value

    def __init__(self, data, _children=(), _op="", label="", _local=()):
        if type(data) is not float or data - data != 0.0:  # not a float, or nan/±inf
            data = _checked(data, _op, _children)
        self.data = data
        self.grad = 0.0
        if _children and (not _paused or _grad_enabled.get()):
            self._tag = _make_tag(_op, label)
            _link(self, _children, _local)
        else:  # a leaf, or a node made under no_grad: no parents, no op
            self._tag = _make_tag(_op if not _children else "", label)
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
            self._tag = op.labelled(text) if type(op) is ops.OpName else (op, text)
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
        return local if callable(local) else functools.partial(_chain_step, self)

    @_backward.setter
    def _backward(self, fn) -> None:
        if not callable(fn):
            raise TypeError(f"_backward must be a function, got {type(fn).__name__} {fn!r}")
        self._local = fn

    # -- basic ops: the rules are in autograd.ops --------------------------------------------

    # + and * are most of every graph, so their nodes are built right here (the rules are
    # ops.ADD and ops.MUL); the rare cases (a non-finite result, inside no_grad) go to _node.

    def __add__(self, other):
        """a + b;  ∂/∂a = 1,  ∂/∂b = 1."""
        if type(other) is not Value:
            other = _lift(other, "+")
        value = self.data + other.data
        if value - value or _paused:
            return _node(value, (self, other), _ADD, _ONE_ONE)
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
        if value - value or _paused:
            return _node(value, (self, other), _MUL, (b, a))
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
            return _node(value, (self, other), _POW_VALUE, local)
        n = _to_float(other, "**: exponent")
        value, local = ops.power(self.data, n)
        return _node(value, (self,), ops.POW.tag(n=n), local)

    def exp(self):
        """e^x  (ops.EXP)."""
        value, local = ops.exp(self.data)
        return _node(value, (self,), _EXP, local)

    def log(self):
        """ln x  (ops.LOG)."""
        value, local = ops.log(self.data)
        return _node(value, (self,), _LOG, local)

    def tanh(self):
        """tanh x  (ops.TANH)."""
        value, local = ops.tanh(self.data)
        return _node(value, (self,), _TANH, local)

    def sigmoid(self):
        """1 / (1 + e^-x)  (ops.SIGMOID)."""
        value, local = ops.sigmoid(self.data)
        return _node(value, (self,), _SIGMOID, local)

    def relu(self):
        """max(x, 0)  (ops.RELU)."""
        value, local = ops.relu(self.data)
        return _node(value, (self,), _RELU, local)

    def _lift(self, other, op: str) -> Value:
        """``other`` as a Value: numbers become constant leaves (for DerivedOps)."""
        return _lift(other, op)

    # -- backward ------------------------------------------------------------------------------

    def backward(self, grad: float = 1.0) -> None:
        """Fill ``.grad`` of every value this one depends on with ∂self/∂value.

        Leaves (values with no parents: inputs and parameters) *accumulate*, as in PyTorch:
        calling backward twice doubles their gradients; ``zero_grad()`` resets them.
        Intermediate values hold the gradient of the latest backward pass.
        """
        grad = _to_float(grad, "backward(grad)")
        order = _backward_order(self)  # also resets the gradients of the nodes it returns
        self.grad += grad
        for node in order:
            local = node._local
            if type(local) is not tuple:
                local()  # a node defined micrograd's way: its own backward function
                continue
            g = node.grad
            if g:
                if local is _ONE_ONE:  # a + b: most graphs are half additions
                    a, b = node._prev
                    a.grad += g
                    b.grad += g
                elif len(local) == 2:  # two parents, unrolled: twice as fast as zip
                    a, b = node._prev
                    la, lb = local
                    a.grad += la * g
                    b.grad += lb * g
                else:
                    for parent, d in zip(node._prev, local):
                        parent.grad += d * g


def _backward_order(root: Value) -> list[Value]:
    """The nodes with parents that ``root`` depends on, ``root`` first, children before parents.

    One pass collects them (no recursion: any depth works) and sets their gradients to 0,
    then they are sorted by depth, deepest first; a node is always deeper than its parents.

    The 0 is a float object made for this pass, so "already collected" is ``grad is zero``:
    no set of visited nodes is needed (a stale gradient of an earlier pass is another object).
    """
    if not root._prev:
        return []
    zero = float("0")  # a new object: no other gradient is this one
    root.grad = zero
    order = [root]
    push = order.append
    for node in order:  # the list grows while it is read: a breadth-first walk
        for parent in node._prev:
            if parent._prev and parent.grad is not zero:
                parent.grad = zero
                push(parent)
    order.sort(key=_depth_of, reverse=True)
    return order


def _chain_step(node: Value) -> None:
    """``parent.grad += local * node.grad`` along each of the node's edges."""
    for parent, local in zip(node._prev, node._local):
        parent.grad += local * node.grad


def _make_tag(op: str, label: str):
    """The ``_tag`` slot: the op alone, or ``(op, label)`` for a labelled value."""
    if not isinstance(op, str):
        raise TypeError(f"Value: _op must be a string, got {type(op).__name__} {op!r}")
    if not isinstance(label, str):
        raise TypeError(f"Value: label must be a string, got {type(label).__name__} {label!r}")
    return (op, label) if label else op


def _link(node: Value, children, local) -> None:
    """Record the parents of a node made by ``Value(data, children, op)`` and its depth."""
    children = children if type(children) is tuple else tuple(children)
    depth = 0
    for child in children:
        if not isinstance(child, Value):
            raise TypeError(f"Value: every child must be a Value, got {type(child).__name__} "
                            f"{child!r}")
        if child._depth > depth:
            depth = child._depth
    if type(local) is tuple and local and len(local) != len(children):
        raise ValueError(f"Value: {len(local)} local derivatives for {len(children)} children")
    node._prev, node._local, node._depth = children, local, depth + 1


def _node(value: float, parents: tuple, tag, local: tuple) -> Value:
    """A new node from an op's value, parents, ``_op`` tag and local derivatives."""
    if value - value:
        _not_finite(tag, value, parents)
    out = _new(Value)
    out.data = value
    out.grad = 0.0
    out._tag = tag
    if _paused and not _grad_enabled.get():
        out._prev = out._local = ()
        out._tag = ""
        out._depth = 0
        return out
    depth = 0
    for parent in parents:
        if parent._depth > depth:
            depth = parent._depth
    out._prev, out._local, out._depth = parents, local, depth + 1
    return out


def apply_op(tag: ops.OpName, parents: tuple) -> Value:
    """A node of the row ``tag.rule`` with parameters ``tag.params`` over ``parents``.

    The row gives the value and the local derivatives; ``tag`` becomes the node's ``_op``. Get
    tags from the row: ``rule.tag(**params)`` (shared) or ``rule.new_tag(**params)`` for
    parameters that belong to one node (a sample's constants).
    """
    value, local = tag.rule.value(*[p.data for p in parents], **tag.params)
    return _node(value, parents, tag, local)


def _lift(x, op: str) -> Value:
    return x if isinstance(x, Value) else Value(_to_float(x, f"'{op}' with a Value"))


def _not_finite(op: str, value: float, parents) -> None:
    args = ", ".join(f"{p.data:g}" for p in parents)
    if math.isnan(value):
        raise ValueError(f"'{op}' of ({args}) is not a number")
    raise OverflowError(f"'{op}' of ({args}) overflows a float")


def _checked(data, op: str, children) -> float:
    """The slow path of ``Value()``: convert to float, refuse nan and ±inf by name."""
    data = _to_float(data, op or f"Value({data!r})")
    if data - data == 0.0:
        return data
    if not op:
        raise ValueError(f"Value must be finite, got {data!r}")
    _not_finite(op, data, [c for c in children if isinstance(c, Value)])
