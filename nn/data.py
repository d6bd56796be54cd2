"""Small seeded data sets as numpy arrays (X: (m, nin), y: (m,)), and mini-batches."""

from __future__ import annotations

import math
from collections.abc import Iterator
from numbers import Integral

import numpy as np

from autograd.extend import is_finite_number

__all__ = ["make_moons", "make_circles", "make_xor", "make_spiral", "make_seed_regression",
           "minibatches"]


def make_moons(n_samples: int = 100, noise: float = 0.0, seed: int | None = 0
               ) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles: class 0 on top, class 1 below and shifted right.

    Args:
        n_samples: number of points (split as evenly as possible between the classes).
        noise: standard deviation of Gaussian noise added to each coordinate.
        seed: seed of the numpy generator (noise and shuffling); None for fresh entropy.

    Returns:
        ``(X, y)``: X float of shape (n_samples, 2), y int of shape (n_samples,) in {0, 1}.
    """
    rng = _generator(seed, "make_moons")
    _check_count(n_samples, "make_moons", 2)
    _check_noise(noise, "make_moons")
    n0 = n_samples // 2
    t0, t1 = np.linspace(0.0, math.pi, n0), np.linspace(0.0, math.pi, n_samples - n0)
    top = np.column_stack([np.cos(t0), np.sin(t0)])
    bottom = np.column_stack([1.0 - np.cos(t1), 0.5 - np.sin(t1)])
    return _finish(rng, np.vstack([top, bottom]), _labels(n0, n_samples - n0), noise)


def make_circles(n_samples: int = 100, noise: float = 0.0, factor: float = 0.5,
                 seed: int | None = 0) -> tuple[np.ndarray, np.ndarray]:
    """A circle of radius ``factor`` (class 1) inside the unit circle (class 0).

    Args:
        n_samples: number of points (split as evenly as possible between the classes).
        noise: standard deviation of Gaussian noise added to each coordinate.
        factor: radius of the inner circle, in (0, 1).
        seed: seed of the numpy generator; None for fresh entropy.

    Returns:
        ``(X, y)``: X float of shape (n_samples, 2), y int of shape (n_samples,) in {0, 1}.
    """
    rng = _generator(seed, "make_circles")
    _check_count(n_samples, "make_circles", 2)
    _check_noise(noise, "make_circles")
    if not is_finite_number(factor) or not 0.0 < factor < 1.0:
        raise ValueError(f"make_circles: factor must be in (0, 1), got {factor!r}")
    n0 = n_samples // 2
    t0 = np.linspace(0.0, 2.0 * math.pi, n0, endpoint=False)
    t1 = np.linspace(0.0, 2.0 * math.pi, n_samples - n0, endpoint=False)
    outer = np.column_stack([np.cos(t0), np.sin(t0)])
    inner = factor * np.column_stack([np.cos(t1), np.sin(t1)])
    return _finish(rng, np.vstack([outer, inner]), _labels(n0, n_samples - n0), noise)


def make_xor(n_samples: int = 100, noise: float = 0.0, seed: int | None = 0
             ) -> tuple[np.ndarray, np.ndarray]:
    """Points uniform in [-1, 1]²; class 1 where the coordinates have opposite signs (x₁x₂ < 0).

    Args:
        n_samples: number of points.
        noise: standard deviation of Gaussian noise added after labelling (blurs the axes).
        seed: seed of the numpy generator; None for fresh entropy.

    Returns:
        ``(X, y)``: X float of shape (n_samples, 2), y int of shape (n_samples,) in {0, 1}.
    """
    rng = _generator(seed, "make_xor")
    _check_count(n_samples, "make_xor", 1)
    _check_noise(noise, "make_xor")
    X = rng.uniform(-1.0, 1.0, size=(n_samples, 2))
    y = (X[:, 0] * X[:, 1] < 0.0).astype(np.int64)
    return _finish(rng, X, y, noise, shuffle=False)


def make_spiral(n_samples: int = 100, n_classes: int = 2, noise: float = 0.0,
                turns: float = 1.0, seed: int | None = 0) -> tuple[np.ndarray, np.ndarray]:
    """Interleaved spiral arms, one per class, starting at the origin.

    Arm c at radius r ∈ [0, 1] has angle θ = 2πc/K + 2π·turns·r (plus noise·N(0, 1)), and the
    point is r·(cos θ, sin θ).

    Args:
        n_samples: number of points (split as evenly as possible between the arms).
        n_classes: number of arms K (>= 2).
        noise: standard deviation of the Gaussian noise added to the angle, in radians.
        turns: how many full turns each arm makes.
        seed: seed of the numpy generator; None for fresh entropy.

    Returns:
        ``(X, y)``: X float of shape (n_samples, 2), y int of shape (n_samples,) in 0..K-1.
    """
    rng = _generator(seed, "make_spiral")
    _check_count(n_classes, "make_spiral", 2, what="n_classes")
    _check_count(n_samples, "make_spiral", n_classes)
    _check_noise(noise, "make_spiral")
    if not is_finite_number(turns) or turns <= 0.0:
        raise ValueError(f"make_spiral: turns must be > 0, got {turns!r}")
    counts = [n_samples // n_classes + (c < n_samples % n_classes) for c in range(n_classes)]
    r = np.concatenate([np.linspace(0.0, 1.0, n) for n in counts])
    y = np.concatenate([np.full(n, c, dtype=np.int64) for c, n in enumerate(counts)])
    theta = 2.0 * math.pi * (y / n_classes + turns * r) + noise * rng.standard_normal(n_samples)
    X = r[:, None] * np.column_stack([np.cos(theta), np.sin(theta)])
    return _finish(rng, X, y, 0.0)


def make_seed_regression(n: int = 1000, seed: int | None = 0) -> tuple[np.ndarray, np.ndarray]:
    """A regression task for the seed's 3-4-1 sigmoid network: 3 inputs, 1 target in (0, 1).

    x ~ U(-1, 1)³ and y = σ(2x₁ - 1.5x₂ + x₃ + 1.5·x₁·x₃) + 0.01·N(0, 1), clipped to
    [0.001, 0.999]: a fixed smooth function (one product term, so a hidden layer helps) plus
    a little noise, so the best reachable ½(ŷ - y)² is about 5e-5.

    Args:
        n: number of samples (the seed's example uses 1000, trained in batches of 10).
        seed: seed of the numpy generator; None for fresh entropy.

    Returns:
        ``(X, y)``: X float of shape (n, 3), y float of shape (n,).
    """
    rng = _generator(seed, "make_seed_regression")
    _check_count(n, "make_seed_regression", 1)
    X = rng.uniform(-1.0, 1.0, size=(n, 3))
    x1, x2, x3 = X[:, 0], X[:, 1], X[:, 2]
    y = 1.0 / (1.0 + np.exp(-(2.0 * x1 - 1.5 * x2 + x3 + 1.5 * x1 * x3)))
    y = np.clip(y + 0.01 * rng.standard_normal(n), 0.001, 0.999)
    return X, y


def minibatches(X, y, batch_size: int, shuffle: bool = True,
                seed: int | np.random.Generator | None = None, drop_last: bool = False
                ) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """One epoch of mini-batches: 1000 samples in batches of 10 give the seed's 100 updates.

    Args:
        X: inputs, one sample per row (anything ``np.asarray`` takes).
        y: targets, one per row of X.
        batch_size: samples per batch (>= 1).
        shuffle: visit the samples in a random order.
        seed: an int, a ``numpy.random.Generator`` (shared across epochs), or None.
        drop_last: drop the final batch when it is shorter than ``batch_size``.

    Returns:
        An iterator of ``(X_batch, y_batch)`` numpy arrays.
    """
    X, y = np.asarray(X), np.asarray(y)
    if X.ndim == 0 or y.ndim == 0 or len(X) != len(y):
        raise ValueError(f"minibatches: X has shape {X.shape} but y has shape {y.shape}; "
                         "they need one row per sample")
    _check_count(batch_size, "minibatches", 1, what="batch_size")
    m = len(X)
    order = _generator(seed, "minibatches").permutation(m) if shuffle else np.arange(m)
    stop = m - m % batch_size if drop_last else m
    return ((X[order[i:i + batch_size]], y[order[i:i + batch_size]])
            for i in range(0, stop, batch_size))


def _finish(rng, X, y, noise, shuffle: bool = True):
    """Add the noise and shuffle the rows (the classes were built one after the other)."""
    if noise:
        X = X + noise * rng.standard_normal(X.shape)
    if shuffle:
        order = rng.permutation(len(X))
        X, y = X[order], y[order]
    return X, y


def _labels(n0: int, n1: int) -> np.ndarray:
    return np.concatenate([np.zeros(n0, dtype=np.int64), np.ones(n1, dtype=np.int64)])


def _generator(seed, who: str) -> np.random.Generator:
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, Integral)):
        raise TypeError(f"{who}: seed must be an int, a numpy Generator or None, got {seed!r}")
    return np.random.default_rng(seed)


def _check_count(n, who: str, least: int, what: str = "n_samples") -> None:
    if isinstance(n, bool) or not isinstance(n, Integral) or n < least:
        raise ValueError(f"{who}: {what} must be an int >= {least}, got {n!r}")


def _check_noise(noise, who: str) -> None:
    if not is_finite_number(noise) or noise < 0.0:
        raise ValueError(f"{who}: noise must be a number >= 0, got {noise!r}")
