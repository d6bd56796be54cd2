"""The seed's vectorized equations in NumPy, with the backward pass derived by hand.

Samples are columns. Forward, layer by layer (A[0] = X):
    Z[l] = W[l] A[l-1] + b[l],   A[l] = g(Z[l])
Loss, the batch mean of the seed's per-sample loss:  L = (1/m) Σ_i ½ ‖ŷ(i) - y(i)‖².
Backward, from the output layer down:
    dA[L] = (A[L] - Y) / m
    dZ[l] = dA[l] ⊙ g'(Z[l])
    dW[l] = dZ[l] A[l-1]ᵀ,   db[l] = Σ_columns dZ[l],   dA[l-1] = W[l]ᵀ dZ[l]
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from autograd import sum_values
from autograd.extend import OPS, in_own_language, language, table, tr
from nn.layers import activations as activation_names

__all__ = ["VectorizedMLP", "compare_with_engine", "GradientComparison", "LayerDifference",
           "Passes", "activation"]


def _activation(name: str) -> tuple:
    """``(g, g')`` of an activation on arrays: ``g(Z)`` and ``g'(Z, A)`` with ``A = g(Z)``.

    From the op's row in the table of ops (its ``numpy`` pair); "linear" is g(Z) = Z.
    """
    if name == "linear":
        return (lambda z: z), (lambda z, a: np.ones_like(z))          # g' = 1
    row = next(op for op in OPS.values() if op.activation and op.method == name)
    g, dg = row.numpy
    return functools.partial(g, np), functools.partial(dg, np)


def activation(name: str, derivative: bool = False):
    """g, or g' as a function of Z alone, in NumPy: the functions VectorizedMLP uses (looked
    up at each call, so there is one definition)."""
    def apply(z: np.ndarray) -> np.ndarray:
        g, gprime = _activation(name)
        return gprime(z, g(z)) if derivative else g(z)
    return apply


class VectorizedMLP:
    """A multi-layer perceptron as matrices: W[l] (nout, nin), b[l] (nout, 1), samples as columns.

    Args:
        weights: W[1], W[2], ...; W[l] has shape (size of layer l, size of layer l-1).
        biases: b[1], b[2], ...; shape (size of layer l, 1) (a flat vector is accepted).
        activations: one name per layer ("sigmoid", "tanh", "relu", "linear", or any op defined
            as an activation), or one name for every layer.

    The seed's weight W[l]_jk (input j to neuron k) is ``W[l-1][k-1, j-1]`` here (0-based list).
    Training: ``backward(X, Y)`` then ``step(lr)``, or ``train_step(X, Y, lr)`` for both.
    """

    def __init__(self, weights: Sequence, biases: Sequence, activations: str | Sequence[str]):
        if len(weights) == 0 or len(weights) != len(biases):
            raise ValueError(f"VectorizedMLP: need one bias per weight matrix and at least one "
                             f"layer, got {len(weights)} weights and {len(biases)} biases")
        if isinstance(activations, str):
            activations = [activations] * len(weights)
        if len(activations) != len(weights):
            raise ValueError(f"VectorizedMLP: expected {len(weights)} activations (one per "
                             f"layer), got {len(activations)}")
        self.W, self.b, self.activations = [], [], []
        for l, (w, b, g) in enumerate(zip(weights, biases, activations), start=1):
            w = np.array(w, dtype=float)
            if w.ndim != 2:
                raise ValueError(f"VectorizedMLP: W[{l}] must be 2-D (nout, nin), got shape "
                                 f"{w.shape}")
            if self.W and w.shape[1] != self.W[-1].shape[0]:
                raise ValueError(f"VectorizedMLP: W[{l}] must have shape "
                                 f"({w.shape[0]}, {self.W[-1].shape[0]}) to follow W[{l - 1}] "
                                 f"of shape {self.W[-1].shape}, got {w.shape}")
            b = np.array(b, dtype=float)
            if b.shape not in ((w.shape[0], 1), (w.shape[0],)):
                raise ValueError(f"VectorizedMLP: b[{l}] must have shape ({w.shape[0]}, 1), "
                                 f"got {b.shape}")
            name = g.lower() if isinstance(g, str) else g
            if name not in activation_names():
                raise ValueError(f"VectorizedMLP: unknown activation {g!r} for layer {l}; "
                                 f"choose one of {', '.join(activation_names())}")
            self.W.append(w)
            self.b.append(b.reshape(-1, 1))
            self.activations.append(name)
        self.grads: list[tuple[np.ndarray, np.ndarray]] | None = None
        self.loss: float | None = None

    @classmethod
    def from_mlp(cls, model) -> VectorizedMLP:
        """The same network as an ``nn.MLP``: W[l][k, j] = layers[l-1].neurons[k].w[j].data."""
        weights, biases, activations = [], [], []
        for l, layer in enumerate(model.layers, start=1):
            weights.append([[w.data for w in n.w] for n in layer.neurons])
            biases.append([[n.b.data] for n in layer.neurons])
            names = {n.activation for n in layer.neurons}
            if len(names) != 1:
                raise ValueError(f"VectorizedMLP.from_mlp: layer {l} mixes activations "
                                 f"{sorted(names)}; a vectorized layer has one")
            activations.append(names.pop())
        return cls(weights, biases, activations)

    @property
    def sizes(self) -> list[int]:
        """[nin, size of layer 1, ..., nout]."""
        return [self.W[0].shape[1]] + [w.shape[0] for w in self.W]

    def __repr__(self) -> str:
        layers = " -> ".join(f"{w.shape[0]} {g}" for w, g in zip(self.W, self.activations))
        return f"VectorizedMLP({self.W[0].shape[1]} -> {layers})"

    def _check_x(self, X) -> np.ndarray:
        X = np.asarray(X, dtype=float)
        nin = self.W[0].shape[1]
        if X.ndim != 2 or X.shape[0] != nin:
            raise ValueError(f"VectorizedMLP: X must have shape ({nin}, m), one sample per "
                             f"column, got {X.shape}")
        return X

    def _check_y(self, Y, m: int) -> np.ndarray:
        Y = np.asarray(Y, dtype=float)
        nout = self.W[-1].shape[0]
        if Y.ndim == 1 and nout == 1:
            Y = Y.reshape(1, -1)
        if Y.shape != (nout, m):
            raise ValueError(f"VectorizedMLP: Y must have shape ({nout}, {m}), like the output "
                             f"for X, got {Y.shape}")
        return Y

    def _forward(self, X: np.ndarray) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """Z[l] and A[l] of every layer (A[0] = X)."""
        Zs, As = [], [X]
        for W, b, name in zip(self.W, self.b, self.activations):
            Z = W @ As[-1] + b
            Zs.append(Z)
            As.append(_activation(name)[0](Z))
        return Zs, As

    def forward(self, X) -> np.ndarray:
        """A[L] for a batch: X has shape (nin, m), the result (nout, m)."""
        return self._forward(self._check_x(X))[1][-1]

    __call__ = forward

    def loss_value(self, X, Y) -> float:
        """L = (1/m) Σ_i ½ ‖ŷ(i) - y(i)‖² on the batch."""
        X = self._check_x(X)
        Y = self._check_y(Y, X.shape[1])
        return float(0.5 * np.sum((self.forward(X) - Y) ** 2) / X.shape[1])

    def backward(self, X, Y) -> list[tuple[np.ndarray, np.ndarray]]:
        """∂L/∂W[l] and ∂L/∂b[l] of L = (1/m) Σ_i ½ ‖ŷ(i) - y(i)‖², derived by hand.

        Args:
            X: inputs, shape (nin, m).
            Y: targets, shape (nout, m) (or (m,) when nout is 1).

        Returns:
            ``[(dW1, db1), (dW2, db2), ...]``, shaped like W[l] and b[l]; also kept in
            ``self.grads`` (and the batch loss in ``self.loss``) for :meth:`step`.
        """
        X = self._check_x(X)
        p = self.passes(X, self._check_y(Y, X.shape[1]))
        self.loss = p.loss
        self.grads = list(zip(p.dW, p.db))
        return self.grads

    def passes(self, X: np.ndarray, Y: np.ndarray) -> Passes:
        """Every value of the forward and backward pass on a batch (checked arrays)."""
        m = X.shape[1]
        Zs, As = self._forward(X)
        dA = (As[-1] - Y) / m                                    # ∂L/∂A[L]
        dAs, dZs, gprimes, dWs, dbs = [dA], [], [], [], []
        for l in reversed(range(len(self.W))):
            gprime = _activation(self.activations[l])[1](Zs[l], As[l + 1])
            dZ = dA * gprime
            dWs.append(dZ @ As[l].T)
            dbs.append(dZ.sum(axis=1, keepdims=True))
            dA = self.W[l].T @ dZ                                # ∂L/∂A[l-1]
            gprimes.append(gprime)
            dZs.append(dZ)
            dAs.append(dA)
        return Passes(Zs, As, dAs[::-1], dZs[::-1], gprimes[::-1], dWs[::-1], dbs[::-1],
                      float(0.5 * np.sum((As[-1] - Y) ** 2) / m))

    def step(self, lr: float) -> None:
        """W[l] -= lr·dW[l], b[l] -= lr·db[l] with the gradients of the last ``backward``."""
        if self.grads is None:
            raise RuntimeError("VectorizedMLP.step: call backward(X, Y) first")
        for W, b, (dW, db) in zip(self.W, self.b, self.grads):
            W -= lr * dW
            b -= lr * db
        self.grads = None

    def train_step(self, X, Y, lr: float) -> float:
        """One step of gradient descent on the batch; returns the loss before the step."""
        self.backward(X, Y)
        loss = self.loss
        self.step(lr)
        return loss


@dataclass
class Passes:
    """The forward and backward pass of :meth:`VectorizedMLP.passes`, layer l at index l - 1
    (``A`` and ``dA`` start at layer 0, the input): Z[l], A[l], ∂L/∂A[l], ∂L/∂Z[l], g'(Z[l]),
    ∂L/∂W[l], ∂L/∂b[l], and the batch loss."""

    Z: list[np.ndarray]
    A: list[np.ndarray]
    dA: list[np.ndarray]
    dZ: list[np.ndarray]
    gprime: list[np.ndarray]
    dW: list[np.ndarray]
    db: list[np.ndarray]
    loss: float


@dataclass
class LayerDifference:
    """Largest differences between the engine's and the vectorized gradients of one layer."""

    layer: int
    dW_abs: float
    dW_rel: float
    db_abs: float
    db_rel: float


@dataclass
class GradientComparison:
    """The result of :func:`compare_with_engine`; prints as a table, truthy when they agree.

    Attributes:
        rows: one :class:`LayerDifference` per layer.
        engine, vectorized: ``[(dW1, db1), ...]`` from each side, as NumPy arrays.
        engine_loss, vectorized_loss: the batch loss from each side.
        atol: agreement means every |difference| <= atol.
    """

    rows: list[LayerDifference]
    engine: list[tuple[np.ndarray, np.ndarray]]
    vectorized: list[tuple[np.ndarray, np.ndarray]]
    engine_loss: float
    vectorized_loss: float
    atol: float
    language: str = field(default_factory=language, repr=False, compare=False)   # its text's

    @property
    def max_abs(self) -> float:
        return max(max(r.dW_abs, r.db_abs) for r in self.rows)

    @property
    def ok(self) -> bool:
        return self.max_abs <= self.atol and abs(self.engine_loss - self.vectorized_loss) \
            <= self.atol

    def __bool__(self) -> bool:
        return self.ok

    @in_own_language
    def __str__(self) -> str:
        head = (tr("layer"), tr("max |{what}|", what="ΔdW"), tr("max rel {what}", what="ΔdW"),
                tr("max |{what}|", what="Δdb"), tr("max rel {what}", what="Δdb"))
        body = [(str(r.layer), f"{r.dW_abs:.2e}", f"{r.dW_rel:.2e}", f"{r.db_abs:.2e}",
                 f"{r.db_rel:.2e}") for r in self.rows]
        lines = table([head, *body], left=0)
        lines.append(tr("loss: engine {engine:.12g}, vectorized {vectorized:.12g}",
                        engine=self.engine_loss, vectorized=self.vectorized_loss))
        if self.ok:
            lines.append(tr("scalar engine and VectorizedMLP AGREE (atol={atol:g}; rel = "
                            "|a - b| / max(|a|, |b|))", atol=self.atol))
        else:
            lines.append(tr("scalar engine and VectorizedMLP DISAGREE (atol={atol:g}; rel = "
                            "|a - b| / max(|a|, |b|))", atol=self.atol))
        return "\n".join(lines)


def _largest(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    diff = np.abs(a - b)
    scale = np.maximum(np.abs(a), np.abs(b))
    rel = np.divide(diff, scale, out=np.zeros_like(diff), where=scale > 0)
    return float(diff.max()), float(rel.max())


def compare_with_engine(model, X, Y, atol: float = 1e-9) -> GradientComparison:
    """Gradients of the same batch from the scalar engine and from :class:`VectorizedMLP`.

    The engine side runs ``model`` on each sample (column of X), builds
    L = (1/m) Σ_i Σ_k ½ (ŷ_k(i) - y_k(i))² and calls ``backward()``; the model's parameter
    gradients are zeroed first and hold the engine's gradients afterwards.

    Args:
        model: an ``nn.MLP``.
        X: inputs, shape (nin, m), one sample per column.
        Y: targets, shape (nout, m) (or (m,) for one output).
        atol: the largest absolute difference counted as agreement.

    Returns:
        A :class:`GradientComparison`: per layer the largest absolute and relative difference
        of dW and db; prints as a table.
    """
    vm = VectorizedMLP.from_mlp(model)
    X = vm._check_x(X)
    m = X.shape[1]
    Y = vm._check_y(Y, m)
    vectorized = vm.backward(X, Y)

    for p in model.parameters():
        p.grad = 0.0
    terms = []
    for i in range(m):
        out = model(X[:, i].tolist())
        outs = out if isinstance(out, list) else [out]
        terms += [0.5 * (o - float(y)) ** 2 for o, y in zip(outs, Y[:, i])]
    loss = sum_values(terms) * (1.0 / m)
    loss.backward()
    engine = [(np.array([[w.grad for w in n.w] for n in layer.neurons]),
               np.array([[n.b.grad] for n in layer.neurons])) for layer in model.layers]

    rows = [LayerDifference(l, *_largest(dW, vW), *_largest(db, vb))
            for l, ((dW, db), (vW, vb)) in enumerate(zip(engine, vectorized), start=1)]
    return GradientComparison(rows, engine, vectorized, loss.data, vm.loss, atol)
