"""Train mode: mini-batch SGD on the engine, live: a data set (moons, XOR, circles, spiral, the
reference text's regression, or a pasted CSV), a network, a loss, and one step at a time.

The page asks for steps (``train.step``) and draws what each answer holds: the loss on the
whole data set, the decision boundary (for two inputs; the model evaluated on a grid by the
vectorized reference ``nn.VectorizedMLP``, which has the same weights), the network diagram,
and one chosen weight's gradient explained at the last step.

The data are plain lists. numpy, where there is one, makes the data sets (``nn``'s), the
mini-batches and the model's outputs on many points (``VectorizedMLP``); without it (Pyodide on
the lab's static site) plain Python does each (``plain_data``'s data sets, a shuffle by
``random.Random``, a loop over the weights on a coarser grid).
"""

from __future__ import annotations

import functools
import math
import random
import re
import time

try:
    import numpy as np
except ImportError:   # Pyodide on the static site: plain Python does the array work
    np = None

import nn
from autograd import explain
from nn import MLP, SGD, bce_loss, hinge_loss, mse_loss
from visualize.lab import _internals as eng
from visualize.lab import plain_data
from visualize.lab.graphview import number, sgd_latex
from visualize.lab.network import diagram
from visualize.lab.options import ACTIVATIONS, DATASETS, LOSSES
from visualize.lab.params import LabError, Params

__all__ = ["Training", "parse_csv", "GRID", "STEP_SECONDS"]

GRID = 48             # the decision boundary is sampled on GRID × GRID points
PLAIN_GRID = 24       # ... and on a coarser grid where plain Python computes it
STEP_SECONDS = 0.8    # one request trains at most this long, then answers
_SHOWN_POINTS = 1000  # data points sent for the plot
_HISTORY = 400        # loss curve points sent (older ones thinned)
_MAKERS = {   # data set -> (the function's name in nn and in plain_data, its arguments)
    "moons": ("make_moons", {"n_samples": 100, "noise": 0.1}),
    "xor": ("make_xor", {"n_samples": 100, "noise": 0.05}),
    "circles": ("make_circles", {"n_samples": 100, "noise": 0.05}),
    "spiral": ("make_spiral", {"n_samples": 100, "noise": 0.1}),
    "seed": ("make_seed_regression", {"n": 1000}),
}
_LOSSES = {
    "mse": mse_loss,
    "half_mse": functools.partial(mse_loss, half=True),
    "bce": functools.partial(bce_loss, from_logits=True),
    "hinge": hinge_loss,
}


def make_dataset(name: str, seed: int) -> tuple[list[list[float]], list[float]]:
    """A data set by name, as rows and targets (numpy's generator where numpy is)."""
    function, kwargs = _MAKERS[name]
    if np is None:
        return getattr(plain_data, function)(seed=seed, **kwargs)
    X, y = getattr(nn, function)(seed=seed, **kwargs)
    return X.astype(float).tolist(), y.astype(float).tolist()


def parse_csv(text: str, limits: dict) -> tuple[list[list[float]], list[float]]:
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
    return [row[:-1] for row in rows], [row[-1] for row in rows]


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
            X, y = make_dataset(self.dataset, self.seed)
        self.hidden = p.int_list("hidden", 20, 1, 10 ** 6, base["hidden"])
        if len(self.hidden) > limits["hidden_layers"] or \
                any(n > limits["layer_size"] for n in self.hidden):
            raise LabError("layers_bad", limit=limits["layer_size"],
                           layers=limits["hidden_layers"])
        if len(X[0]) > limits["inputs"]:
            raise LabError("network_too_big", limit=limits["layer_size"],
                           layers=limits["hidden_layers"], inputs=limits["inputs"])
        self.activation = p.choice("activation", ACTIVATIONS, base["activation"])
        self.output_activation = p.choice("output_activation", ACTIVATIONS,
                                          base["output_activation"])
        self.loss_name = p.choice("loss", LOSSES, base["loss"])
        self.lr = p.number("lr", base["lr"], 1e-6, 100.0)
        self.batch = p.integer("batch", base["batch"], 1, limits["csv_rows"])
        self.classes = set(y) <= {0.0, 1.0}
        if self.loss_name in ("bce", "hinge") and not self.classes:
            raise LabError("loss_needs_labels", loss=self.loss_name)
        self.X, self.y = X, y
        self.targets = [2.0 * t - 1.0 for t in y] if self.loss_name == "hinge" else y
        self.loss = _LOSSES[self.loss_name]
        self.model = MLP(len(X[0]), self.hidden + [1], activation=self.activation,
                         output_activation=self.output_activation, seed=self.seed)
        self.optimizer = SGD(self.model.parameters(), lr=self.lr)
        self.rng = (random.Random(self.seed) if np is None
                    else np.random.default_rng(self.seed))
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
        """Up to ``steps`` SGD steps (stopping after ``seconds``); returns how many ran. The
        loss on the whole data set is recorded at the end of each epoch and after the last
        step, so a long request still draws its curve."""
        start, done = time.perf_counter(), 0
        per_epoch = -(-len(self.X) // self.batch)
        while done < steps and not self.diverged:
            self._step()
            done += 1
            if time.perf_counter() - start > seconds:
                break
            if self.step % per_epoch == 0 and done < steps:
                self._record()
        if self.last is not None and not self.diverged:
            self.explained = self._explain(*self.last)
        self._record()
        return done

    def _step(self) -> None:
        try:
            Xb, yb = next(self.batches)
        except StopIteration:
            self.epoch += 1
            self.batches = self._minibatches()
            Xb, yb = next(self.batches)
        self.step += 1
        try:
            preds = [self.model(row) for row in Xb]
            value = self.loss(preds, yb)
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

    def _minibatches(self):
        """One epoch of shuffled batches, as rows and targets (nn's order where numpy is)."""
        if np is not None:
            for Xb, yb in nn.minibatches(np.array(self.X), np.array(self.targets), self.batch,
                                         True, self.rng):
                yield Xb.tolist(), yb.tolist()
            return
        order = list(range(len(self.X)))
        self.rng.shuffle(order)
        for start in range(0, len(order), self.batch):
            chosen = order[start:start + self.batch]
            yield [self.X[i] for i in chosen], [self.targets[i] for i in chosen]

    def _record(self) -> None:
        """The model as matrices (for the plots), and the loss on the whole data set."""
        self.vectorized = nn.VectorizedMLP.from_mlp(self.model) if np is not None else None
        self.outputs = self._outputs(self.X)
        loss = None
        if self.outputs is not None:   # the same loss function, on the vectorized outputs
            try:
                loss = number(self.loss(self.outputs, self.targets).data)
            except (ArithmeticError, ValueError):
                loss = None
        if loss is None:
            self.diverged = True
        if not self.history or self.history[-1][0] != self.step:
            self.history.append((self.step, loss))

    def _outputs(self, X: list[list[float]]) -> list[float] | None:
        """The model's output for each row, or None if one is not finite."""
        if self.vectorized is not None:
            with np.errstate(all="ignore"):
                out = self.vectorized.forward(np.array(X).T)[0]
            return out.tolist() if np.all(np.isfinite(out)) else None
        out = _plain_outputs(self.model, X)
        return out if all(math.isfinite(v) for v in out) else None

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
                  "inputs": len(self.X[0]), "accuracy": self._accuracy()}
        if len(self.X[0]) == 2 and self.classes:
            result["boundary"] = self._boundary()
        else:
            result["fit"] = self._fit()
        if with_diagram:   # inputs on the left: the page gives the diagram its full height
            result["diagram"] = diagram(self.model)
        if full:
            shown = slice(0, _SHOWN_POINTS)
            result["points"] = {"x": [[round(v, 4) for v in row[:2]] for row in self.X[shown]],
                                "y": self.y[shown]}
            result["setup"] = {"dataset": self.dataset, "hidden": self.hidden,
                               "activation": self.activation,
                               "output_activation": self.output_activation,
                               "loss": self.loss_name, "lr": self.lr, "batch": self.batch,
                               "seed": self.seed}
        return result

    def _history(self) -> list:
        points = self.history
        if len(points) > _HISTORY:
            step = (len(points) - 1) / (_HISTORY - 1)
            keep = sorted({int(i * step) for i in range(_HISTORY - 1)} | {len(points) - 1})
            points = [points[i] for i in keep]
        return [[s, loss] for s, loss in points]

    def _threshold(self) -> float:
        """Where the output changes class: 0 for a logit or a hinge score, ½ for 0/1 fitted
        by squared error."""
        return 0.0 if self.loss_name in ("bce", "hinge") else 0.5

    def _accuracy(self) -> float | None:
        if not self.classes or self.outputs is None:
            return None
        threshold = self._threshold()
        right = sum((out > threshold) == (t > 0.5) for out, t in zip(self.outputs, self.y))
        return right / len(self.y)

    def _boundary(self) -> dict | None:
        n = GRID if self.vectorized is not None else PLAIN_GRID
        lo, hi = [], []
        for column in (0, 1):
            values = [row[column] for row in self.X]
            pad = 0.1 * (max(values) - min(values)) + 1e-9
            lo.append(min(values) - pad)
            hi.append(max(values) + pad)
        xs = [lo[0] + (hi[0] - lo[0]) * i / (n - 1) for i in range(n)]
        ys = [lo[1] + (hi[1] - lo[1]) * i / (n - 1) for i in range(n)]
        out = self._outputs([[x, y] for y in ys for x in xs])
        if out is None:
            return None
        return {"n": n, "x": [lo[0], hi[0]], "y": [lo[1], hi[1]],
                "values": [round(v, 4) for v in out], "threshold": self._threshold(),
                "scale": 0.5 if self._threshold() else 1.0}

    def _fit(self) -> dict | None:
        if self.outputs is None:
            return None
        return {"predicted": [round(v, 4) for v in self.outputs[:_SHOWN_POINTS]],
                "target": self.y[:_SHOWN_POINTS]}


_PLAIN = {"relu": lambda z: z if z > 0.0 else 0.0, "tanh": math.tanh, "linear": lambda z: z,
          "sigmoid": lambda z: 1.0 / (1.0 + math.exp(-z)) if z >= 0.0
          else math.exp(z) / (1.0 + math.exp(z))}


def _plain_outputs(model, rows: list[list[float]]) -> list[float]:
    """The model's output (a float) for each row, layer by layer over its weights' numbers:
    what VectorizedMLP computes, where there is no numpy. inf where a number overflows."""
    layers = [([[w.data for w in neuron.w] for neuron in layer.neurons],
               [neuron.b.data for neuron in layer.neurons], _PLAIN[layer.activation])
              for layer in model.layers]
    out = []
    for row in rows:
        a = row
        try:
            for W, b, g in layers:
                a = [g(math.fsum(w * x for w, x in zip(ws, a)) + bias) for ws, bias in zip(W, b)]
        except OverflowError:
            a = [math.inf]
        out.append(a[0])
    return out
