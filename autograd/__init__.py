"""Scalar reverse-mode automatic differentiation, built to be read and checked."""
# ruff: noqa: E402  (the name-clash check runs before anything else is imported)

import os as _os

from autograd import _clash

_clash.check_environment(_os.path.dirname(__file__))   # PyPI's autograd has our import name
__backprop_lab__ = True   # what nn and visualize check: the autograd they imported is this one

from autograd.check import DerivativeCheck, check_derivative
from autograd.custom import CustomOp, custom_op
from autograd.engine import Value
from autograd.explain import Explanation, explain
from autograd.forward import Dual, JvpResult, jvp
from autograd.grad_mode import is_grad_enabled, no_grad
from autograd.gradcheck import GradcheckReport, gradcheck, gradgradcheck, numerical_grad
from autograd.higher import grad, hessian, hvp
from autograd.nary import linear, sum_values
from autograd.replay import evaluate
from autograd.steps import Step, backward_steps, local_derivatives, topological_order
from autograd.symbolic import derivative, to_sympy

__all__ = [
    "Value", "no_grad", "is_grad_enabled", "topological_order", "backward_steps", "Step",
    "local_derivatives", "sum_values", "linear", "numerical_grad", "gradcheck",
    "GradcheckReport", "explain", "Explanation", "custom_op", "CustomOp",
    "grad", "hessian", "hvp", "gradgradcheck", "jvp", "JvpResult", "Dual", "to_sympy",
    "derivative", "check_derivative", "DerivativeCheck", "evaluate",
]
