"""Stochastic gradient descent: p ← p - lr · (∂L/∂p + weight_decay · p), with optional momentum."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable

from autograd import Value
from autograd.extend import is_finite_number

__all__ = ["SGD"]


class SGD:
    """Plain SGD, as the seed's mini-batch loop uses it, with momentum and L2 weight decay.

    Each ``step()`` does, per parameter p with gradient g = p.grad + weight_decay · p:
    v ← momentum · v + g (v = g when momentum is 0), then p ← p - lr · v.
    Updates are plain float arithmetic on ``p.data``: no graph is built.

    Args:
        params: the parameters to update (e.g. ``model.parameters()``).
        lr: learning rate > 0, or a schedule: a callable of the step number (0, 1, 2, ...)
            returning the rate (>= 0) for that step, e.g. ``lambda k: 1.0 - 0.9 * k / 100``.
        momentum: in [0, 1).
        weight_decay: L2 penalty coefficient >= 0 (adds weight_decay · p to each gradient).
    """

    def __init__(self, params: Iterable[Value], lr: float | Callable[[int], float] = 0.1,
                 momentum: float = 0.0, weight_decay: float = 0.0):
        try:
            self.params = list(params)
        except TypeError:
            raise TypeError(f"SGD: params must be an iterable of Values, got "
                            f"{type(params).__name__}") from None
        if not self.params:
            raise ValueError("SGD: params is empty (did the model build any parameters?)")
        for i, p in enumerate(self.params):
            if not isinstance(p, Value):
                raise TypeError(f"SGD: parameter {i} is {type(p).__name__}, not a Value")
        if not callable(lr):
            _check_lr(lr, "SGD: lr")
        if not is_finite_number(momentum) or not 0.0 <= momentum < 1.0:
            raise ValueError(f"SGD: momentum must be in [0, 1), got {momentum!r}")
        if not is_finite_number(weight_decay) or weight_decay < 0.0:
            raise ValueError(f"SGD: weight_decay must be >= 0, got {weight_decay!r}")
        self.lr = lr
        self.momentum = float(momentum)
        self.weight_decay = float(weight_decay)
        self.steps = 0
        self._velocity = [0.0] * len(self.params)

    def current_lr(self) -> float:
        """The learning rate the next ``step()`` will use."""
        if callable(self.lr):
            return _check_lr(self.lr(self.steps), f"SGD: lr schedule at step {self.steps}",
                             allow_zero=True)
        return float(self.lr)

    def step(self) -> None:
        """Update every parameter from its current ``.grad``."""
        lr, mu, wd = self.current_lr(), self.momentum, self.weight_decay
        velocity = self._velocity
        for i, p in enumerate(self.params):
            g = p.grad + wd * p.data if wd else p.grad
            if mu:
                g = velocity[i] = mu * velocity[i] + g
            p.data -= lr * g
        self.steps += 1
        if not math.isfinite(sum(p.data for p in self.params)):  # one sum tests them all
            self._diverged(lr)

    def _diverged(self, lr: float) -> None:
        """Stop with the step, the parameter and the numbers, instead of a NaN later."""
        for p in self.params:
            if not math.isfinite(p.data):
                name = p.label or f"parameter {self.params.index(p)}"
                raise OverflowError(
                    f"SGD step {self.steps}: {name} became {p.data} (learning rate {lr:g}, "
                    f"gradient {p.grad:.3g}): the training diverged; lower the learning rate")

    def zero_grad(self) -> None:
        """Set every parameter's gradient to 0 (``backward()`` accumulates)."""
        for p in self.params:
            p.grad = 0.0

    def __repr__(self) -> str:
        lr = getattr(self.lr, "__name__", "schedule") if callable(self.lr) else self.lr
        return (f"SGD({len(self.params)} parameters, lr={lr}, momentum={self.momentum}, "
                f"weight_decay={self.weight_decay})")


def _check_lr(lr, what: str, allow_zero: bool = False) -> float:
    if not is_finite_number(lr) or lr < 0.0 or (lr == 0.0 and not allow_zero):
        raise ValueError(f"{what} must be a finite number {'>=' if allow_zero else '>'} 0, "
                         f"got {lr!r}")
    return float(lr)
