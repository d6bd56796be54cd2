"""Scalar reverse-mode automatic differentiation, built to be read and checked.

The engine is ``autograd.core`` (Value, the table of ops, backward, grad mode); everything else
is built on it: ``nary`` (sum and weighted sum as one node), ``custom`` (your own op),
``labels`` and ``names`` (how values are named), ``transforms`` (grad, hessian, jvp),
``checks`` (gradcheck, formulas, SymPy, replay, check_derivative) and ``teach`` (explain,
backward_steps); ``i18n`` shows their sentences in the reader's language (``set_language``).
``autograd.extend`` is what ``nn`` and ``visualize`` build on.
"""
# ruff: noqa: E402  (the name-clash check runs before anything else is imported)

import os as _os

from autograd import _clash

_clash.check_environment(_os.path.dirname(__file__))   # PyPI's autograd has our import name
__backprop_lab__ = True   # what nn and visualize check: the autograd they imported is this one

from autograd.chain import local_derivatives, topological_order
from autograd.checks.check import DerivativeCheck, check_derivative
from autograd.checks.gradcheck import GradcheckReport, gradcheck, gradgradcheck, numerical_grad
from autograd.checks.replay import evaluate
from autograd.checks.symbolic import derivative, to_sympy
from autograd.core import Value, is_grad_enabled, no_grad
from autograd.custom import CustomOp, custom_op
from autograd.i18n import language, set_language
from autograd.nary import linear, sum_values
from autograd.teach.explain import Explanation, explain
from autograd.teach.steps import Step, backward_steps
from autograd.transforms.forward import Dual, JvpResult, jvp
from autograd.transforms.higher import grad, hessian, hvp

__all__ = [
    "Value", "no_grad", "is_grad_enabled", "topological_order", "backward_steps", "Step",
    "local_derivatives", "sum_values", "linear", "numerical_grad", "gradcheck",
    "GradcheckReport", "explain", "Explanation", "custom_op", "CustomOp",
    "grad", "hessian", "hvp", "gradgradcheck", "jvp", "JvpResult", "Dual", "to_sympy",
    "derivative", "check_derivative", "DerivativeCheck", "evaluate", "set_language", "language",
]
