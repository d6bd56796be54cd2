"""The engine on its own: ``Value``, the table of ops, ``backward`` and grad mode.

Read in this order: ``table.py`` (what a row of the table says about an op),
``ops.py`` (the rows of the built-in ops), ``value.py`` (``Value`` and the one node factory),
``backward.py`` (the chain rule), and ``grad_mode.py`` (``no_grad``). Nothing here imports the
rest of ``autograd``; the teaching tools, checks and transforms are built on top of it.
"""

from autograd.core.grad_mode import is_grad_enabled, no_grad, recording
from autograd.core.table import OPS, Op, OpName, define_op, register, remove_op
from autograd.core.value import (
    CONSTANT,
    DerivedOps,
    Value,
    apply_op,
    is_constant,
    is_finite_number,
    make_node,
    not_finite_error,
    to_float,
)

__all__ = ["Value", "DerivedOps", "no_grad", "is_grad_enabled", "recording", "Op", "OpName",
           "OPS", "define_op", "remove_op", "register", "make_node", "apply_op", "is_constant",
           "is_finite_number", "to_float", "not_finite_error", "CONSTANT"]
