"""Lesson: micrograd's two-moons classifier trained on this library, with its decision boundary.

    python -m demos.moons --out out

MLP(2, [16, 16, 1]) (ReLU hidden layers, linear output), max-margin loss plus a small L2
penalty on the whole batch of 100 points, plain SGD with a decaying learning rate. Writes the
decision boundary (moons.png) and the loss graph drawn as a plate (moons_loss.svg).
"""

from __future__ import annotations

import numpy as np

from autograd import Value, sum_values, topological_order
from autograd.extend import N_, tr
from demos._lesson import lesson_args, picture, pyplot, wrote
from nn import MLP, SGD, VectorizedMLP, hinge_loss, make_moons
from visualize import draw_dot, render

DESCRIPTION = N_("Lesson: micrograd's two-moons classifier trained on this library, with its "
                 "decision boundary.")


def loss_graph(model: MLP, X: np.ndarray, labels: np.ndarray) -> tuple[Value, list[Value]]:
    """L = mean over samples of relu(1 - y·score) + 1e-4 Σ p², and the scores."""
    scores = [model(row) for row in X]
    data_loss = hinge_loss(scores, labels)
    data_loss.label = "data loss"           # the picture names both losses, and the total L
    loss = data_loss + 1e-4 * sum_values(p * p for p in model.parameters())
    loss.label = "L"
    return loss, scores


def train(model: MLP, X: np.ndarray, labels: np.ndarray, steps: int) -> list[tuple[float, float]]:
    """Full-batch steps; returns (loss, training accuracy) per step."""
    opt = SGD(model.parameters(), lr=lambda k: 1.0 - 0.9 * k / steps)
    history = []
    for _ in range(steps):
        loss, scores = loss_graph(model, X, labels)
        correct = sum((s.data > 0) == (t > 0) for s, t in zip(scores, labels))
        opt.zero_grad()
        loss.backward()
        opt.step()
        history.append((loss.data, correct / len(labels)))
    return history


def boundary(model: MLP, X: np.ndarray, labels: np.ndarray, path, dpi: int = 150):
    """The score over a fine grid (the same weights in NumPy: VectorizedMLP), shaded, with the
    decision boundary as the contour where the score is 0, and the data on top."""
    plt = pyplot()
    xs = np.linspace(X[:, 0].min() - 0.5, X[:, 0].max() + 0.5, 300)
    ys = np.linspace(X[:, 1].min() - 0.5, X[:, 1].max() + 0.5, 300)
    gx, gy = np.meshgrid(xs, ys)
    scores = VectorizedMLP.from_mlp(model).forward(np.vstack([gx.ravel(), gy.ravel()]))
    scores = scores.reshape(gx.shape)
    fig, ax = plt.subplots(figsize=(6.5, 4.5))
    limit = np.abs(scores).max()
    shading = ax.contourf(gx, gy, scores, levels=np.linspace(-limit, limit, 21), cmap="coolwarm",
                          alpha=0.5)
    fig.colorbar(shading, ax=ax, label=tr("score (the network's output)"), ticks=np.linspace(
        -limit, limit, 5), format="%.2g")
    ax.contour(gx, gy, scores, levels=[0.0], colors="k", linewidths=1.5)
    for label, colour, marker in ((-1, "#3b4cc0", "o"), (1, "#b40426", "s")):
        mine = labels == label
        ax.scatter(X[mine, 0], X[mine, 1], c=colour, marker=marker, edgecolors="k", s=28,
                   label=tr("class {label:+d}", label=label))
    ax.plot([], [], "k-", label=tr("decision boundary (score = 0)"))
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.legend(loc="upper right", fontsize=8, framealpha=0.9)
    ax.set_title(tr("two moons: MLP(2, [16, 16, 1]), score shaded"))
    fig.tight_layout()
    fig.savefig(path, dpi=dpi)
    return fig


def main(argv: list[str] | None = None) -> None:
    args = lesson_args(DESCRIPTION, argv)
    X, y = make_moons(n_samples=100, noise=0.1, seed=0)
    labels = 2 * y - 1                      # classes as -1 / +1 for the max-margin loss
    model = MLP(2, [16, 16, 1], seed=1337)
    print(f"{model}")
    history = train(model, X, labels, 100)
    for step, (loss, acc) in enumerate(history):
        if step % 10 == 0 or step == len(history) - 1:
            print(tr("step {step:>3}  loss {loss:.4f}  accuracy {accuracy:.0%}", step=step,
                     loss=loss, accuracy=acc))
    path = args.out / "moons.png"
    boundary(model, X, labels, path)
    print(wrote(path))
    loss, _ = loss_graph(model, X, labels)
    model.zero_grad()   # the picture shows this loss's gradients, not the training steps' too
    loss.backward()
    print(picture(lambda: render(draw_dot(loss, collapse="plate"), args.out / "moons_loss.svg"),
                  tr("the loss graph: one sample's computation in a plate × 100, "
                     "{values:,} values in all", values=len(topological_order(loss)))))


if __name__ == "__main__":
    main()
