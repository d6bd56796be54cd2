"""Neural networks on the scalar autograd engine."""
# ruff: noqa: E402  (the name-clash check runs before anything imports from autograd)

import autograd as _autograd

if not getattr(_autograd, "__backprop_lab__", False):   # another package's autograd came first
    import runpy

    runpy.run_path(f"{__path__[0]}/../autograd/_clash.py")["refuse_foreign"](
        _autograd, __name__, __file__)


from nn.data import (
    make_circles,
    make_moons,
    make_seed_regression,
    make_spiral,
    make_xor,
    minibatches,
)
from nn.layers import MLP, Layer, Neuron
from nn.losses import bce_loss, cross_entropy_loss, hinge_loss, mse_loss
from nn.module import Module
from nn.optim import SGD
from nn.train import History, accuracy, fit
from nn.vectorized import GradientComparison, VectorizedMLP, compare_with_engine
from nn.vectorized_check import VectorizedCheck, check_vectorized

__all__ = [
    "Module", "Neuron", "Layer", "MLP", "SGD",
    "mse_loss", "bce_loss", "hinge_loss", "cross_entropy_loss",
    "make_moons", "make_circles", "make_xor", "make_spiral", "make_seed_regression",
    "minibatches", "fit", "History", "accuracy",
    "VectorizedMLP", "compare_with_engine", "GradientComparison",
    "check_vectorized", "VectorizedCheck",
]
