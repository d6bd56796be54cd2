"""The seed's mini-batch SGD loop: for each epoch, for each batch: forward, loss, backward, step."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from numbers import Integral

import numpy as np
from tqdm import tqdm

from autograd import Value, no_grad
from autograd.extend import is_finite_number
from nn.data import minibatches
from nn.losses import mse_loss
from nn.optim import SGD

__all__ = ["fit", "History", "accuracy", "METRICS"]

METRICS = ("accuracy",)


@dataclass
class History:
    """What ``fit`` measured, one entry per epoch.

    Attributes:
        loss: mean of the epoch's batch losses, weighted by batch size.
        accuracy: fraction of the epoch's samples classified right when they were seen
            (empty unless ``"accuracy"`` was asked for in ``metrics``).
    """

    loss: list[float] = field(default_factory=list)
    accuracy: list[float] = field(default_factory=list)

    def __getitem__(self, name: str) -> list[float]:
        """``history["loss"]`` works like ``history.loss``."""
        if name not in ("loss", "accuracy"):
            raise KeyError(f"History has 'loss' and 'accuracy', not {name!r}")
        return getattr(self, name)


def fit(model: Callable, X, y, loss: Callable = mse_loss, optimizer: SGD | None = None,
        epochs: int = 10, batch_size: int | None = 10, metrics: Sequence[str] = (),
        progress: bool = True, shuffle: bool = True, seed: int | None = 0,
        threshold: float | None = None) -> History:
    """Train ``model`` with mini-batch SGD, the seed's loop: per batch, forward every sample,
    take the loss, zero the gradients, backward, and step.

    Args:
        model: a callable taking one sample (a row of X) and returning a Value or a list;
            needs ``parameters()`` when no optimizer is given.
        X: inputs, shape (m, nin).
        y: targets, shape (m,) or (m, nout); class indices for ``cross_entropy_loss``.
        loss: ``loss(predictions, targets)`` returning a Value, called per batch with the
            model's outputs and the batch's targets as a list (``mse_loss``, ``bce_loss``,
            ``hinge_loss``, ``cross_entropy_loss``, a ``functools.partial`` of one, or yours).
        optimizer: defaults to ``SGD(model.parameters(), lr=0.1)``.
        epochs: passes over the data.
        batch_size: samples per update (the seed uses 10); None for the whole set at once.
        metrics: ``("accuracy",)`` to record accuracy as well; it needs class labels: one
            output per sample with labels 0/1 or -1/+1 (predicted class: output > threshold),
            or several outputs per sample with class indices or one-hot rows (argmax).
        progress: show a tqdm bar with the running loss; False for silence.
        shuffle: shuffle the samples every epoch.
        seed: seed of the shuffling (None for fresh entropy).
        threshold: decision threshold for one output; defaults to 0 for -1/+1 labels and 0.5
            for 0/1 labels (pass 0 for a logit trained with ``bce_loss(from_logits=True)``).

    Returns:
        A ``History`` with per-epoch ``loss`` (and ``accuracy``).
    """
    X, y = _samples(X, y, "fit")
    _check_positive(epochs, "epochs")
    batch_size = len(X) if batch_size is None else batch_size
    _check_positive(batch_size, "batch_size")
    threshold = _accuracy_threshold(model, X, y, metrics, threshold)
    optimizer = SGD(model.parameters(), lr=0.1) if optimizer is None else optimizer
    rng = np.random.default_rng(seed)
    history = History()
    with tqdm(total=epochs * -(-len(X) // batch_size), disable=not progress, unit="batch",
              desc="fit") as bar:
        for epoch in range(1, epochs + 1):
            batches = minibatches(X, y, batch_size, shuffle, rng)
            mean_loss, accuracy_ = _epoch(model, loss, optimizer, batches, threshold, bar,
                                          epoch)
            history.loss.append(mean_loss)
            if threshold is not None:
                history.accuracy.append(accuracy_)
    return history


def _accuracy_threshold(model, X, y, metrics, threshold) -> float | None:
    """The decision threshold when accuracy is asked for (labels checked), else None."""
    unknown = [m for m in metrics if m not in METRICS]
    if isinstance(metrics, str) or unknown:
        raise ValueError(f"fit: unknown metrics {metrics!r}; choose from {METRICS}")
    if "accuracy" not in metrics:
        return None
    threshold = _threshold(y, threshold, "fit")
    with no_grad():
        _check_labels(model(X[0].tolist()), y, "fit")
    return threshold


def _epoch(model, loss, optimizer, batches, threshold, bar, epoch: int) -> tuple[float, float]:
    """One pass over the batches: per batch forward, loss, zero_grad, backward, step.

    Returns the mean loss and accuracy over the samples; a numeric failure names the epoch,
    the batch and the step it happened at.
    """
    total, seen, correct = 0.0, 0, 0
    for batch, (Xb, yb) in enumerate(batches, 1):
        targets = yb.tolist()
        try:
            preds = [model(row) for row in Xb.tolist()]
            value = loss(preds, targets)
            optimizer.zero_grad()
            value.backward()
            optimizer.step()
        except (ArithmeticError, ValueError) as e:
            raise _in_training(e, epoch, batch, getattr(optimizer, "steps", None)) from e
        total += value.data * len(targets)
        seen += len(targets)
        if threshold is not None:
            correct += _count_correct(preds, targets, threshold)
        bar.set_postfix(epoch=epoch, loss=f"{total / seen:.4g}", refresh=False)
        bar.update()
    return total / seen, correct / seen


def _in_training(e: Exception, epoch: int, batch: int, steps: int | None) -> Exception:
    """``e`` with where in training it happened (and, for an overflow, what to do)."""
    at = f"fit, epoch {epoch}, batch {batch}" + (f" (after {steps} SGD steps)"
                                                  if steps is not None else "")
    if str(e).startswith(("fit", "SGD step")):
        return type(e)(f"{at}: {e}")
    hint = ("; the numbers grew until they overflowed: the training diverged, so lower the "
            "learning rate") if isinstance(e, OverflowError) else ""
    return type(e)(f"{at}: {e}{hint}")


def accuracy(model: Callable, X, y, threshold: float | None = None) -> float:
    """Fraction of samples the model classifies right (labels as for ``fit``'s metric).

    Args:
        model: a callable taking one row of X.
        X: inputs, shape (m, nin).
        y: labels 0/1 or -1/+1 (one output), class indices or one-hot rows (several outputs).
        threshold: as for ``fit``.

    Returns:
        A float in [0, 1].
    """
    X, y = _samples(X, y, "accuracy")
    threshold = _threshold(y, threshold, "accuracy")
    with no_grad():
        preds = [model(row) for row in X.tolist()]
    _check_labels(preds[0], y, "accuracy")
    return _count_correct(preds, y.tolist(), threshold) / len(X)


def _samples(X, y, who: str) -> tuple[np.ndarray, np.ndarray]:
    """X as a float array of shape (m, nin) and y with one entry per sample, or a ValueError
    naming the row (and column) that is ragged, not a number, or not finite."""
    X, y = _array(X, "X", who, float), _array(y, "y", who, None)  # y keeps int labels int
    if X.ndim != 2 or len(X) != len(y) or len(X) == 0:
        raise ValueError(f"{who}: X must have shape (m, nin) and y one row per sample; got X "
                         f"{X.shape} and y {y.shape}")
    for name, a in (("X", X), ("y", y.astype(float))):
        bad = np.argwhere(~np.isfinite(a))
        if len(bad):
            at = f"{name}[{bad[0][0]}]" if a.ndim == 1 else f"{name}[{bad[0][0]}, {bad[0][1]}]"
            raise ValueError(f"{who}: {at} is {float(a[tuple(bad[0])])!r}; every input and target "
                             f"must be a finite number ({len(bad)} entr"
                             f"{'y is' if len(bad) == 1 else 'ies are'} not)")
    return X, y


def _array(a, name: str, who: str, dtype) -> np.ndarray:
    """``a`` as an array of numbers, or a ValueError naming the first row that is ragged or
    holds something that is not a number."""
    try:
        out = np.asarray(a, dtype=dtype)
        if out.dtype.kind not in "biuf":
            raise TypeError
        return out
    except (ValueError, TypeError):
        rows = list(a)
        width = np.ndim(rows[0]) and len(rows[0])
        for i, row in enumerate(rows):
            if np.ndim(row) != np.ndim(rows[0]) or (width and len(row) != width):
                raise ValueError(f"{who}: {name}[{i}] has {len(row) if np.ndim(row) else 1} "
                                 f"entries where {name}[0] has {width or 1}: the rows of {name} "
                                 "must all be the same length") from None
            try:
                np.asarray(row, dtype=float)
            except (ValueError, TypeError):
                raise ValueError(f"{who}: {name}[{i}] = {row!r} is not a number (or a row of "
                                 "numbers)") from None
        raise


def _threshold(y: np.ndarray, threshold, who: str) -> float:
    """Check that y holds class labels; the default threshold for a single output."""
    if y.ndim == 2:
        return 0.5 if threshold is None else float(threshold)
    if y.ndim != 1 or not np.all(np.isfinite(y)) or not np.all(y == np.round(y)):
        raise ValueError(f"{who}: accuracy needs class labels (integers, or one-hot rows), "
                         f"got targets like {y[:3].tolist()}")
    if threshold is not None:
        if not is_finite_number(threshold):
            raise ValueError(f"{who}: threshold must be a number, got {threshold!r}")
        return float(threshold)
    return 0.0 if np.any(y == -1) else 0.5


def _check_labels(output, y: np.ndarray, who: str) -> None:
    """Labels that fit the model's outputs: 0/1 or ±1 for one output, else classes 0..n-1."""
    if not isinstance(output, (list, tuple)):
        labels = set(np.unique(y).tolist()) if y.ndim == 1 else {"rows"}
        if not (labels <= {0, 1} or labels <= {-1, 1}):
            raise ValueError(f"{who}: the model has one output, so accuracy needs labels 0/1 "
                             f"or -1/+1; got {sorted(labels, key=str)[:5]}")
        return
    n = len(output)
    if y.ndim == 2 and y.shape[1] != n:
        raise ValueError(f"{who}: the model has {n} outputs but the one-hot targets have "
                         f"{y.shape[1]} columns")
    if y.ndim == 1 and (y.min() < 0 or y.max() >= n):
        raise ValueError(f"{who}: the model has {n} outputs, so class labels must be in "
                         f"0..{n - 1}; got {y.min():g}..{y.max():g}")


def _count_correct(preds: list, targets: list, threshold: float) -> int:
    correct = 0
    for out, t in zip(preds, targets):
        if isinstance(out, (list, tuple)):
            scores = [o.data if type(o) is Value else o for o in out]
            guess = max(range(len(scores)), key=scores.__getitem__)
            truth = max(range(len(t)), key=t.__getitem__) if isinstance(t, list) else int(t)
        else:
            guess = (out.data if type(out) is Value else out) > threshold
            truth = t == 1
        correct += guess == truth
    return correct


def _check_positive(n, what: str) -> None:
    if isinstance(n, bool) or not isinstance(n, Integral) or n < 1:
        raise ValueError(f"fit: {what} must be a positive int, got {n!r}")
