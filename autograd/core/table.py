"""The table of ops: what one row says about an op, and the table itself.

A row (``Op``) holds everything about one op: its value and local derivatives on floats, the
same derivative written with ops, its SymPy form, its domain. Nodes carry a tag (``OpName``):
the op's name as micrograd prints it, pointing back to the row and the node's parameters.
The rows of the built-in ops are in ``autograd.core.ops``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["Op", "OpName", "OPS", "register"]


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
