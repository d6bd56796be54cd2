"""The table of ops: what one row says about an op, and how a row joins the table.

A row (``Op``) is everything about one op, and the only place it is written. From it come the
``Value`` method, forward mode's, the formula function, the nn activation, the SymPy form, the
replay, the derivative with ops for ``create_graph``, the property tests' inputs and what the
pictures know (``define_op`` is the public way to add one; ``docs/adding-an-op.md``). Nodes
carry a tag (``OpName``): the op's name as micrograd prints it, pointing back to the row and
the node's parameters. The rows of the built-in ops are in ``autograd.core.ops``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["Op", "OpName", "OPS", "register", "define_op", "remove_op", "listen"]


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
        pair = (self, check_label(label))
        if len(self._pairs) < _SHARED:
            self._pairs[label] = pair
        return pair


class Op:
    """One row of the table: everything about one op.

    Args:
        name: its key in ``OPS`` and the ``_op`` of its nodes ('ReLU', as micrograd prints it).
        value: ``value(*xs, **params) -> (out, (∂out/∂x_1, ...))`` on floats.
        derivative: ``derivative(out, *args, **params) -> (∂out/∂arg_1, ...)`` written with
            ops (Values in, Values or numbers out): what ``grad(create_graph=True)`` builds.
        sympy: ``sympy(sp, *args, **params) -> expression`` (``sp``: sympy's names, plus
            ``sp.number(x)``, ``sp.sigmoid``), or None: then an undefined SymPy function.
        domain: where the op is defined, ``(low, high)`` for every argument or one pair per
            argument; the property tests draw their inputs from it.
        text: ``text(**params)``, the nodes' ``_op`` when it is not ``name`` ('**2').
        arity: how many Value arguments it takes; None for any number (sum).
        method: the name of the ``Value`` (and forward mode ``Dual``) method it becomes.
        formula: whether formulas may call it by ``method`` (the CLI, ``check_derivative``).
        activation: whether ``nn`` offers it as an activation, named ``method``.
        numpy: with ``activation``, ``(g, g')``: ``g(np, Z)`` and ``g'(np, Z, A)`` on arrays
            (``A = g(Z)``), for ``VectorizedMLP``.
        dead_at_zero: where its output is 0 it passes no gradient (a dead ReLU): the pictures
            show such a node as dead.
        kinks: inputs where it is not differentiable; tests keep away from them.
        examples: how tests call it: ``((number of Value arguments, params), ...)``; by
            default one call with ``arity`` arguments and no parameters.
    """

    __slots__ = ("name", "value", "derivative", "sympy", "domain", "arity", "method", "formula",
                 "activation", "numpy", "dead_at_zero", "kinks", "examples", "_text", "_tags")

    def __init__(self, name: str, value: Callable, derivative: Callable,
                 sympy: Callable | None = None, domain: tuple = (-5.0, 5.0),
                 text: Callable[..., str] | None = None, *, arity: int | None = 1,
                 method: str | None = None, formula: bool = False, activation: bool = False,
                 numpy: tuple[Callable, Callable] | None = None, dead_at_zero: bool = False,
                 kinks: tuple = (), examples: tuple | None = None):
        self.name, self.value, self.derivative, self.sympy = name, value, derivative, sympy
        self.domain, self._text, self._tags, self.arity = domain, text, {}, arity
        self.method, self.formula, self.activation, self.numpy = method, formula, activation, numpy
        self.dead_at_zero, self.kinks = dead_at_zero, kinks
        self.examples = examples if examples is not None else ((arity, {}),)
        _check(self)

    def __repr__(self) -> str:
        return f"<op {self.name!r}>"

    def domains(self, n: int) -> list[tuple[float, float]]:
        """The ``(low, high)`` of each of ``n`` arguments."""
        return list(self.domain) if isinstance(self.domain[0], tuple) else [self.domain] * n

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


def _check(op: Op) -> None:
    """Refuse a row that cannot work, naming what is wrong."""
    where = f"op {op.name!r}"
    if not isinstance(op.name, str) or not op.name:
        raise ValueError(f"an op needs a name (a non-empty string), got {op.name!r}")
    for what in ("value", "derivative"):
        if not callable(getattr(op, what)):
            raise TypeError(f"{where}: {what} must be a function")
    if op.method is not None and not (isinstance(op.method, str) and op.method.isidentifier()):
        raise ValueError(f"{where}: method must be a Python name, got {op.method!r}")
    if (op.formula or op.activation) and op.method is None:
        raise ValueError(f"{where}: a formula function or activation needs a method name")
    if (op.formula or op.activation) and op.arity != 1:
        raise ValueError(f"{where}: formula functions and activations take one argument")
    if op.activation and (not isinstance(op.numpy, tuple) or len(op.numpy) != 2):
        raise ValueError(f"{where}: an activation needs numpy=(g, g'), for VectorizedMLP")


OPS: dict[str, Op] = {}
_SHARED = 512
_LISTENERS: list[Callable[[Op, bool], None]] = []


def listen(listener: Callable[[Op, bool], None]) -> None:
    """Call ``listener(op, True)`` for every row now in the table and every row added later,
    and ``listener(op, False)`` when one is removed (how Value and Dual get their methods)."""
    _LISTENERS.append(listener)
    for op in OPS.values():
        listener(op, True)


def register(op: Op) -> Op:
    """Add a row to the table (the losses in ``nn`` add theirs); returns it.

    Raises:
        ValueError: the table has an op of that name, or a listener refuses the row (say, its
            method name is taken).
    """
    if not isinstance(op, Op):
        raise TypeError(f"register: expected an Op, got {type(op).__name__} {op!r}")
    if op.name in OPS:
        raise ValueError(f"register: the table already has an op named {op.name!r}")
    done = []
    try:
        for listener in _LISTENERS:
            listener(op, True)
            done.append(listener)
    except Exception:
        for listener in done:
            listener(op, False)
        raise
    OPS[op.name] = op
    return op


def define_op(name: str, value: Callable, derivative: Callable, **row: Any) -> Op:
    """Define an op in one place: ``register(Op(name, value, derivative, **row))``.

    See ``Op`` for the arguments and ``docs/adding-an-op.md`` for an example (``sin``).
    """
    return register(Op(name, value, derivative, **row))


def remove_op(name: str) -> Op:
    """Take a row out of the table (and its methods off Value and Dual); returns it."""
    if name not in OPS:
        raise KeyError(f"remove_op: the table has no op named {name!r}")
    op = OPS.pop(name)
    for listener in _LISTENERS:
        listener(op, False)
    return op


def check_label(label: str) -> str:
    """``label``, or a ValueError naming it when it holds a NUL or a lone surrogate (no file,
    picture or page can hold those)."""
    if "\x00" in label:
        raise ValueError(f"Value: the label {label!r} holds a NUL character (\\x00)")
    try:
        label.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(f"Value: the label {label!r} holds a lone surrogate, which is not "
                         "text in any encoding") from None
    return label
