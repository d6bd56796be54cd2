"""Scalar reverse-mode automatic differentiation, built to be read and checked."""

from autograd.custom import CustomOp, custom_op
from autograd.engine import (
    Step,
    Value,
    backward_steps,
    is_grad_enabled,
    linear,
    no_grad,
    sum_values,
    topological_order,
)
from autograd.explain import Explanation, explain
from autograd.gradcheck import GradcheckReport, gradcheck, numerical_grad

__all__ = [
    "Value", "no_grad", "is_grad_enabled", "topological_order", "backward_steps", "Step",
    "sum_values", "linear", "numerical_grad", "gradcheck", "GradcheckReport",
    "explain", "Explanation", "custom_op", "CustomOp",
]
