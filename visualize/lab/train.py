"""Train mode: mini-batch SGD on the engine, live: a data set (moons, XOR, circles, spiral, the
reference text's regression, or a pasted CSV), a network, a loss, and one step at a time.

The page asks for steps (``train.step``) and draws what each answer holds: the loss on the
whole data set, the decision boundary (for two inputs; the model evaluated on a grid by the
vectorized reference ``nn.VectorizedMLP``, which has the same weights), the network diagram,
and one chosen weight's gradient explained at the last step.
"""

from __future__ import annotations

import functools
import math
import re
import time

import numpy as np

from autograd import explain
from nn import (
    MLP,
    SGD,
    VectorizedMLP,
    bce_loss,
    hinge_loss,
    make_circles,
    make_moons,
    make_seed_regression,
    make_spiral,
    make_xor,
    minibatches,
    mse_loss,
)
from visualize.lab import _internals as eng
from visualize.lab.graphview import number, sgd_latex
from visualize.lab.network import diagram
from visualize.lab.options import ACTIVATIONS, DATASETS, LOSSES
from visualize.lab.params import LabError, Params

__all__ = ["Training", "parse_csv", "GRID", "STEP_SECONDS"]

GRID = 48             # the decision boundary is sampled on GRID × GRID points
STEP_SECONDS = 0.8    # one request trains at most this long, then answers
_SHOWN_POINTS = 1000  # data points sent for the plot
_HISTORY = 400        # loss curve points sent (older ones thinned)
_MAKERS = {
    "moons": lambda seed: make_moons(100, noise=0.1, seed=seed),
    "xor": lambda seed: make_xor(100, noise=0.05, seed=seed),
    "circles": lambda seed: make_circles(100, noise=0.05, seed=seed),
    "spiral": lambda seed: make_spiral(100, noise=0.1, seed=seed),
    "seed": lambda seed: make_seed_regression(1000, seed=seed),
}
_LOSSES = {
    "mse": mse_loss,
    "half_mse": functools.partial(mse_loss, half=True),
    "bce": functools.partial(bce_loss, from_logits=True),
    "hinge": hinge_loss,
}


def parse_csv(text: str, limits: dict) -> tuple[np.ndarray, np.ndarray]:
    """Rows of numbers, the target last; an optional header line; refused with a message
    naming the row and column of anything else. The size is checked before any parsing."""
    if len(text) > limits["csv_chars"]:
        raise LabError("csv_too_long", count=len(text), limit=limits["csv_chars"])
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        raise LabError("csv_empty")
    if len(lines) > limits["csv_rows"] + 1:
        raise LabError("csv_too_many_rows", count=len(lines), limit=limits["csv_rows"])
    split = [re.split(r"\s*[,;\t]\s*", line.strip()) for line in lines]
    if any(not _parses(cell) for cell in split[0]):
        split, first = split[1:], 2   # a header (words, not numbers): row numbers count it
    else:
        first = 1
    if len(split) > limits["csv_rows"]:
        raise LabError("csv_too_many_rows", count=len(split), limit=limits["csv_rows"])
    if len(split) < 2:
        raise LabError("csv_too_few_rows")
    width = len(split[0])
    rows = []
    for r, cells in enumerate(split, start=first):
        if len(cells) != width or not 2 <= width <= limits["csv_columns"]:
            raise LabError("csv_columns", row=r, count=len(cells), limit=limits["csv_columns"])
        row = []
        for c, cell in enumerate(cells, start=1):
            if not _is_number(cell):
                raise LabError("csv_not_number", row=r, column=c, text=repr(cell[:20]))
            row.append(float(cell))
        rows.append(row)
    data = np.array(rows)
    return data[:, :-1], data[:, -1]


def _parses(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def _is_number(cell: str) -> bool:
    return _parses(cell) and math.isfinite(float(cell))


class Training:
    """One training run: data, model, optimizer, and where it is."""

    def __init__(self, p: Params, limits: dict):
        self.dataset = p.choice("dataset", tuple(DATASETS), "moons")
        base = DATASETS[self.dataset]
        self.seed = p.integer("seed", 0, 0, 10 ** 9)
        if self.dataset == "csv":
            text = p.text("csv", "", limit=limits["csv_chars"], too_long="csv_too_long")
            X, y = parse_csv(text, limits)
        else:
            X, y = _MAKERS[self.dataset](self.seed)
        self.hidden = p.int_list("hidden", 20, 1, 10 ** 6, base["hidden"])
        if len(self.hidden) > limits["hidden_layers"] or \
                any(n > limits["layer_size"] for n in self.hidden):
            raise LabError("layers_bad", limit=limits["layer_size"],
                           layers=limits["hidden_layers"])
        if X.shape[1] > limits["inputs"]:
            raise LabError("network_too_big", limit=limits["layer_size"],
                           layers=limits["hidden_layers"], inputs=limits["inputs"])
        self.activation = p.choice("activation", ACTIVATIONS, base["activation"])
        self.output_activation = p.choice("output_activation", ACTIVATIONS,
                                          base["output_activation"])
        self.loss_name = p.choice("loss", LOSSES, base["loss"])
        self.lr = p.number("lr", base["lr"], 1e-6, 100.0)
        self.batch = p.integer("batch", base["batch"], 1, limits["csv_rows"])
        self.classes = bool(set(np.unique(y).tolist()) <= {0.0, 1.0})
        if self.loss_name in ("bce", "hinge") and not self.classes:
            raise LabError("loss_needs_labels", loss=self.loss_name)
        self.X, self.y = X.astype(float), y.astype(float)
        self.targets = 2.0 * self.y - 1.0 if self.loss_name == "hinge" else self.y
        self.loss = _LOSSES[self.loss_name]
        self.model = MLP(X.shape[1], self.hidden + [1], activation=self.activation,
                         output_activation=self.output_activation, seed=self.seed)
        self.optimizer = SGD(self.model.parameters(), lr=self.lr)
        self.rng = np.random.default_rng(self.seed)
        self.batches = iter(())
        self.step, self.epoch = 0, 0
        self.history: list[tuple[int, float]] = []
        self.chosen: str | None = None
        self.explained: dict | None = None
        self.last: tuple | None = None   # the chosen weight's last batch: its loss and graph
        self.diverged = False
        self._record()

    # -- training ------------------------------------------------------------------------------

    def run(self, steps: int, seconds: float = STEP_SECONDS) -> int:
        """Up to ``steps`` SGD steps (stopping after ``seconds``); returns how many ran."""
        start, done = time.perf_counter(), 0
        while done < steps and not self.diverged:
            self._step()
            done += 1
            if time.perf_counter() - start > seconds:
                break
        if self.last is not None and not self.diverged:
            self.explained = self._explain(*self.last)
        self._record()
        return done

    def _step(self) -> None:
        try:
            Xb, yb = next(self.batches)
        except StopIteration:
            self.epoch += 1
            self.batches = minibatches(self.X, self.targets, self.batch, True, self.rng)
            Xb, yb = next(self.batches)
        self.step += 1
        try:
            preds = [self.model(row) for row in Xb.tolist()]
            value = self.loss(preds, yb.tolist())
            self.optimizer.zero_grad()
            value.backward()
        except (ArithmeticError, ValueError):   # a number overflowed: the run diverged
            self.diverged = True
            return
        if not math.isfinite(value.data):
            self.diverged = True
            return
        if self.chosen:   # explained once the request's steps are done
            w = self._weight(self.chosen)
            self.last = (value, len(yb), w, w.data)
        self.optimizer.step()

    def _record(self) -> None:
        """The model as matrices (for the plots), and the loss on the whole data set."""
        self.vectorized = VectorizedMLP.from_mlp(self.model)
        self.outputs = self._outputs(self.X)
        loss = None
        if self.outputs is not None:   # the same loss function, on the vectorized outputs
            try:
                loss = number(self.loss(self.outputs.tolist(), self.targets.tolist()).data)
            except (ArithmeticError, ValueError):
                loss = None
        if loss is None:
            self.diverged = True
        if not self.history or self.history[-1][0] != self.step:
            self.history.append((self.step, loss))

    def _outputs(self, X: np.ndarray) -> np.ndarray | None:
        with np.errstate(all="ignore"):
            out = self.vectorized.forward(X.T)[0]
        return out if np.all(np.isfinite(out)) else None

    # -- the chosen weight ---------------------------------------------------------------------

    def choose(self, label: str) -> dict:
        if label not in {w.label for w in self.model.parameters()}:
            raise LabError("unknown_node", node=label[:40])
        self.chosen = label
        self.explained = self.last = None
        return self.view(with_diagram=False)

    def _weight(self, label: str):
        return next(p for p in self.model.parameters() if p.label == label)

    def _explain(self, value, batch: int, w, before: float) -> dict:
        """∂L/∂w of the last batch as a sum over paths (the local derivatives were recorded
        in its forward pass), and the SGD step it made from ``before``."""
        e = explain(value, w, max_paths=16, compact=True)
        name = eng.tex_name(w.label)
        after = before - self.lr * w.grad
        return {"name": w.label, "step": self.step, "batch": batch, "value": number(before),
                "grad": number(w.grad), "after": number(after),
                "paths": e.n_paths if isinstance(e.n_paths, int) else None,
                "latex": e.to_latex(),
                "sgd": sgd_latex(name, "L", before, self.lr, w.grad)}

    # -- what the page draws -------------------------------------------------------------------

    def view(self, full: bool = False, with_diagram: bool = True) -> dict:
        result = {"step": self.step, "epoch": self.epoch, "samples": len(self.X),
                  "loss": self.history[-1][1], "diverged": self.diverged,
                  "history": self._history(), "chosen": self.chosen,
                  "explained": self.explained, "classes": self.classes,
                  "inputs": self.X.shape[1], "accuracy": self._accuracy()}
        if self.X.shape[1] == 2 and self.classes:
            result["boundary"] = self._boundary()
        else:
            result["fit"] = self._fit()
        if with_diagram:   # wide layers side by side: the pane is wider than tall
            wide = max(self.hidden) > 6
            result["diagram"] = diagram(self.model, rankdir="TB" if wide else "LR")
        if full:
            shown = slice(0, _SHOWN_POINTS)
            result["points"] = {"x": np.round(self.X[shown, :2], 4).tolist(),
                                "y": self.y[shown].tolist()}
            result["setup"] = {"dataset": self.dataset, "hidden": self.hidden,
                               "activation": self.activation,
                               "output_activation": self.output_activation,
                               "loss": self.loss_name, "lr": self.lr, "batch": self.batch,
                               "seed": self.seed}
        return result

    def _history(self) -> list:
        points = self.history
        if len(points) > _HISTORY:
            keep = np.unique(np.linspace(0, len(points) - 1, _HISTORY).astype(int))
            points = [points[i] for i in keep]
        return [[s, loss] for s, loss in points]

    def _threshold(self) -> float:
        """Where the output changes class: 0 for a logit or a hinge score, ½ for 0/1 fitted
        by squared error."""
        return 0.0 if self.loss_name in ("bce", "hinge") else 0.5

    def _accuracy(self) -> float | None:
        if not self.classes or self.outputs is None:
            return None
        return float(np.mean((self.outputs > self._threshold()) == (self.y > 0.5)))

    def _boundary(self) -> dict | None:
        lo, hi = self.X.min(axis=0), self.X.max(axis=0)
        pad = 0.1 * (hi - lo) + 1e-9
        lo, hi = lo - pad, hi + pad
        xs, ys = np.linspace(lo[0], hi[0], GRID), np.linspace(lo[1], hi[1], GRID)
        grid = np.array([[x, y] for y in ys for x in xs])
        out = self._outputs(grid)
        if out is None:
            return None
        return {"n": GRID, "x": [float(lo[0]), float(hi[0])], "y": [float(lo[1]), float(hi[1])],
                "values": np.round(out, 4).tolist(), "threshold": self._threshold(),
                "scale": 0.5 if self._threshold() else 1.0}

    def _fit(self) -> dict | None:
        if self.outputs is None:
            return None
        return {"predicted": np.round(self.outputs[:_SHOWN_POINTS], 4).tolist(),
                "target": self.y[:_SHOWN_POINTS].tolist()}
