"""Lesson: micrograd's two-moons classifier trained on this library, with its decision boundary.

    python -m demos.moons --out out

MLP(2, [16, 16, 1]) (ReLU hidden layers, linear output), max-margin loss plus a small L2
penalty on the whole batch of 100 points, plain SGD with a decaying learning rate.
"""

from __future__ import annotations

import numpy as np

from autograd import no_grad, sum_values
from demos._lesson import lesson_args, pyplot
from nn import MLP, SGD, hinge_loss, make_moons


def train(model: MLP, X: np.ndarray, labels: np.ndarray, steps: int) -> list[tuple[float, float]]:
    """Full-batch steps; returns (loss, training accuracy) per step."""
    params = model.parameters()
    opt = SGD(params, lr=lambda k: 1.0 - 0.9 * k / steps)
    history = []
    for _ in range(steps):
        scores = [model(row) for row in X]
        loss = hinge_loss(scores, labels) + 1e-4 * sum_values(p * p for p in params)
        correct = sum((s.data > 0) == (t > 0) for s, t in zip(scores, labels))
        opt.zero_grad()
        loss.backward()
        opt.step()
        history.append((loss.data, correct / len(labels)))
    return history


@no_grad()
def boundary(model: MLP, X: np.ndarray, labels: np.ndarray, path) -> None:
    """The sign of the model's score over a grid (no graph is built), with the data on top."""
    plt = pyplot()
    xs = np.linspace(X[:, 0].min() - 0.5, X[:, 0].max() + 0.5, 70)
    ys = np.linspace(X[:, 1].min() - 0.5, X[:, 1].max() + 0.5, 70)
    scores = np.array([[model([x, y]).data for x in xs] for y in ys])
    fig, ax = plt.subplots(figsize=(5.5, 4.5))
    ax.contourf(xs, ys, scores > 0, cmap="coolwarm", alpha=0.35)
    ax.scatter(X[:, 0], X[:, 1], c=labels, cmap="coolwarm", edgecolors="k", s=25)
    ax.set_title("two moons: decision boundary of MLP(2, [16, 16, 1])")
    fig.tight_layout()
    fig.savefig(path, dpi=100)


def main(argv: list[str] | None = None) -> None:
    args = lesson_args(__doc__.splitlines()[0], argv)
    X, y = make_moons(n_samples=100, noise=0.1, seed=0)
    labels = 2 * y - 1                      # classes as -1 / +1 for the max-margin loss
    model = MLP(2, [16, 16, 1], seed=1337)
    print(f"{model}")
    history = train(model, X, labels, 100)
    for step, (loss, acc) in enumerate(history):
        if step % 10 == 0 or step == len(history) - 1:
            print(f"step {step:>3}  loss {loss:.4f}  accuracy {acc:.0%}")
    path = args.out / "moons.png"
    boundary(model, X, labels, path)
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
