"""Train mode's data sets in plain Python, for a Python without numpy (Pyodide on the lab's
static site, where ``nn``'s data sets cannot run).

The same shapes and sizes as ``nn.make_moons``, ``make_xor``, ``make_circles``, ``make_spiral``
and ``make_seed_regression``, drawn by ``random.Random(seed)``: the same seed gives the same
points every time here, but not the points numpy's generator gives in ``nn``. Each returns
``(X, y)``: a list of rows and a list of targets.
"""

from __future__ import annotations

import math
import random

__all__ = ["make_moons", "make_xor", "make_circles", "make_spiral", "make_seed_regression"]


def _line(n: int, stop: float, endpoint: bool = True) -> list[float]:
    if n == 1:
        return [0.0]
    step = stop / (n - 1 if endpoint else n)
    return [i * step for i in range(n)]


def _finish(rng: random.Random, points, labels, noise: float, shuffle: bool = True):
    rows = [[x + noise * rng.gauss(0.0, 1.0), y + noise * rng.gauss(0.0, 1.0)] if noise
            else [x, y] for x, y in points]
    order = list(range(len(rows)))
    if shuffle:
        rng.shuffle(order)
    return [rows[i] for i in order], [float(labels[i]) for i in order]


def make_moons(n_samples: int = 100, noise: float = 0.0, seed: int = 0):
    rng, n0 = random.Random(seed), n_samples // 2
    top = [(math.cos(t), math.sin(t)) for t in _line(n0, math.pi)]
    bottom = [(1.0 - math.cos(t), 0.5 - math.sin(t)) for t in _line(n_samples - n0, math.pi)]
    return _finish(rng, top + bottom, [0] * n0 + [1] * (n_samples - n0), noise)


def make_circles(n_samples: int = 100, noise: float = 0.0, factor: float = 0.5,
                 seed: int = 0):
    rng, n0 = random.Random(seed), n_samples // 2
    outer = [(math.cos(t), math.sin(t)) for t in _line(n0, 2 * math.pi, endpoint=False)]
    inner = [(factor * math.cos(t), factor * math.sin(t))
             for t in _line(n_samples - n0, 2 * math.pi, endpoint=False)]
    return _finish(rng, outer + inner, [0] * n0 + [1] * (n_samples - n0), noise)


def make_xor(n_samples: int = 100, noise: float = 0.0, seed: int = 0):
    rng = random.Random(seed)
    points = [(rng.uniform(-1.0, 1.0), rng.uniform(-1.0, 1.0)) for _ in range(n_samples)]
    return _finish(rng, points, [int(x * y < 0.0) for x, y in points], noise, shuffle=False)


def make_spiral(n_samples: int = 100, n_classes: int = 2, noise: float = 0.0,
                turns: float = 1.0, seed: int = 0):
    rng = random.Random(seed)
    counts = [n_samples // n_classes + (c < n_samples % n_classes) for c in range(n_classes)]
    points, labels = [], []
    for c, n in enumerate(counts):
        for r in _line(n, 1.0):
            theta = 2 * math.pi * (c / n_classes + turns * r) + noise * rng.gauss(0.0, 1.0)
            points.append((r * math.cos(theta), r * math.sin(theta)))
            labels.append(c)
    return _finish(rng, points, labels, 0.0)


def make_seed_regression(n: int = 1000, seed: int = 0):
    rng = random.Random(seed)
    X, y = [], []
    for _ in range(n):
        x1, x2, x3 = (rng.uniform(-1.0, 1.0) for _ in range(3))
        z = 2.0 * x1 - 1.5 * x2 + x3 + 1.5 * x1 * x3
        t = 1.0 / (1.0 + math.exp(-z)) + 0.01 * rng.gauss(0.0, 1.0)
        X.append([x1, x2, x3])
        y.append(min(0.999, max(0.001, t)))
    return X, y
