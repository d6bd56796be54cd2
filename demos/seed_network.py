"""Main lesson: the reference text's 3-4-1 sigmoid network, forward, backward and trained.

    python -m demos.seed_network --out out          # quick run, a few seconds
    python -m demos.seed_network --out out --full   # more epochs

1. One sample through the network: z[1], a[1], z[2], a[2] = ŷ and L = ½(ŷ - y)².
2. The text's two hand-derived gradients, evaluated with numbers,
   ∂L/∂W[2]_11 = (ŷ - y) · g'(z[2]) · a[1]_1
   ∂L/∂W[1]_21 = (ŷ - y) · g'(z[2]) · W[2]_11 · g'(z[1]_1) · x_2
   next to the engine's gradient and the finite-difference one, and explain's path.
3. A batch of 10: the engine against the vectorized equations (VectorizedMLP).
4. Pictures in --out: the computation graph, the network diagram, the backward animation.
5. Mini-batch SGD as the text describes: 1000 samples, batches of 10, 100 updates per
   epoch; the loss per epoch and a plot of it.
"""

from __future__ import annotations

import functools

from autograd import Value, explain, no_grad, numerical_grad, topological_order
from autograd.extend import N_, labels, tr
from demos._lesson import lesson_args, picture, pyplot, wrote
from nn import MLP, SGD, compare_with_engine, fit, make_seed_regression, mse_loss
from visualize import animate_backward, draw_dot, draw_mlp, render

DESCRIPTION = N_("Main lesson: the reference text's 3-4-1 sigmoid network, forward, backward and "
                 "trained.")


def sigmoid_slope(z: float) -> float:
    """g'(z) = g(z)(1 - g(z)) for the sigmoid, the text's formula."""
    g = Value(z).sigmoid().data
    return g * (1.0 - g)


def forward(model: MLP, x, y: float) -> tuple[list[Value], Value]:
    """The sample as labelled input nodes x_1..x_3, and the loss L = ½(ŷ - y)²."""
    inputs = [Value(v, label=labels.data_input(j)) for j, v in enumerate(x, start=1)]
    return inputs, mse_loss(model(inputs), float(y), half=True)


def loss_as_function_of(model: MLP, weight: Value, x, y: float):
    """L as a function of one weight, everything else fixed: for finite differences."""
    def f(w: Value) -> float:
        saved, weight.data = weight.data, w.data
        try:
            with no_grad():
                return mse_loss(model(list(x)), float(y), half=True).data
        finally:
            weight.data = saved
    return f


def nodes_by_label(root: Value) -> dict[str, Value]:
    return {v.label: v for v in topological_order(root) if v.label}


def one_sample(model: MLP, x, y: float) -> tuple[Value, list[str]]:
    inputs, L = forward(model, x, y)
    L.backward()
    v = nodes_by_label(L)
    lines = [tr("sample x = ({x}), y = {y:.4f}", x=", ".join(f"{xi:.3f}" for xi in x), y=y), "",
             tr("forward, layer by layer (g = sigmoid):")]
    for k in range(1, 5):
        lines.append(f"  z[1]_{k} = {v[f'z[1]_{k}'].data:+.5f}   a[1]_{k} = g(z[1]_{k}) = "
                     f"{v[f'a[1]_{k}'].data:.5f}")
    y_hat = v["a[2]_1"].data
    lines += [f"  z[2]_1 = {v['z[2]_1'].data:+.5f}   ŷ = a[2]_1 = {y_hat:.5f}",
              f"  L = ½(ŷ - y)² = {L.data:.6f}", ""]

    W2_11 = model.layers[1].neurons[0].w[0]     # a[1]_1 -> output neuron
    W1_21 = model.layers[0].neurons[0].w[1]     # x_2 -> hidden neuron 1
    err, g2, g1 = y_hat - y, sigmoid_slope(v["z[2]_1"].data), sigmoid_slope(v["z[1]_1"].data)
    a1, x2 = v["a[1]_1"].data, inputs[1].data
    formulas = [
        (W2_11, "(ŷ - y) · g'(z[2]) · a[1]_1",
         f"({err:+.5f}) · ({g2:.5f}) · ({a1:.5f})", err * g2 * a1),
        (W1_21, "(ŷ - y) · g'(z[2]) · W[2]_11 · g'(z[1]_1) · x_2",
         f"({err:+.5f}) · ({g2:.5f}) · ({W2_11.data:+.5f}) · ({g1:.5f}) · ({x2:+.5f})",
         err * g2 * W2_11.data * g1 * x2),
    ]
    lines.append(tr("the text's two chain-rule formulas, with numbers:"))
    for weight, formula, numbers, by_hand in formulas:
        numeric = numerical_grad(loss_as_function_of(model, weight, x, y), [weight.data])[0]
        lines += [f"  ∂L/∂{weight.label} = {formula}",
                  f"             = {numbers}",
                  tr("    by hand            {gradient:+.10f}", gradient=by_hand),
                  tr("    engine (backward)  {gradient:+.10f}", gradient=weight.grad),
                  tr("    finite difference  {gradient:+.10f}", gradient=numeric),
                  tr("    |hand - engine| = {difference:.1e}",
                     difference=abs(by_hand - weight.grad))]
    lines += ["", tr("explain: the same product, read off the graph's edges:"),
              "  " + str(explain(L, W1_21, compact=True))]
    return L, lines


def batch_comparison(model: MLP, X, y) -> list[str]:
    report = compare_with_engine(model, X[:10].T, y[:10].reshape(1, -1))
    return [tr("a batch of 10 samples: scalar engine vs VectorizedMLP "
               "(Z[l] = W[l] A[l-1] + b[l], backward derived by hand):"), str(report)]


def pictures(model: MLP, x, y: float, out) -> list[str]:
    """The graph, the network and the backward page of the same sample's loss.

    The batch comparison left its gradients in the parameters: zero them first, so every
    picture shows the gradients printed above.
    """
    model.zero_grad()
    _, L = forward(model, x, y)
    L.backward()
    W2_11, W1_21 = model.layers[1].neurons[0].w[0], model.layers[0].neurons[0].w[1]
    lines = [picture(lambda: render(draw_dot(L), out / "seed_graph.svg"),
                     tr("computation graph of one sample's loss; W[2]_11 grad {W2_11:.4g}, "
                        "W[1]_21 grad {W1_21:.4g}", W2_11=W2_11.grad, W1_21=W1_21.grad)),
             picture(lambda: render(draw_mlp(model, show="grads"), out / "seed_network.svg"),
                     tr("the network, ∂L/∂W[l]_jk on the edges"))]
    return lines + [picture(lambda: animate_backward(L, out / "seed_backward.html",
                                                     title=tr("backward through the 3-4-1 "
                                                              "network")),
                            tr("backward, one chain-rule step per frame: open it in a browser"))]


def train(model: MLP, X, y, epochs: int, out) -> list[str]:
    history = fit(model, X, y, loss=functools.partial(mse_loss, half=True),
                  optimizer=SGD(model.parameters(), lr=1.0), epochs=epochs, batch_size=10,
                  progress=False)
    updates = len(X) // 10
    lines = [tr("mini-batch SGD: {samples} samples, batch 10 -> {updates} updates per epoch, "
                "lr 1.0, {epochs} epochs", samples=len(X), updates=updates, epochs=epochs)]
    lines += [tr("  epoch {epoch:>3}: mean loss {loss:.6f}", epoch=e, loss=loss)
              for e, loss in enumerate(history.loss, 1)]
    lines.append(tr("  loss fell {ratio:.1f}x from the first epoch",
                    ratio=history.loss[0] / history.loss[-1]))
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(6, 3.5))
    ax.plot(range(1, epochs + 1), history.loss, marker="o")
    ax.set_xlabel(tr("epoch (100 updates each)"))
    ax.set_ylabel(tr("mean ½(ŷ - y)²"))
    ax.set_yscale("log")
    ax.set_title(tr("3-4-1 sigmoid network, mini-batch SGD"))
    fig.tight_layout()
    fig.savefig(out / "seed_loss.png", dpi=150)
    lines.append(wrote(out / "seed_loss.png"))
    return lines


def main(argv: list[str] | None = None) -> None:
    args = lesson_args(DESCRIPTION, argv)
    X, y = make_seed_regression(1000, seed=0)
    model = MLP(3, [4, 1], activation="sigmoid", output_activation="sigmoid", seed=0)
    print(model)
    with no_grad():  # the sample the untrained network gets most wrong: big, clear gradients
        i = max(range(len(X)), key=lambda i: abs(model(list(X[i])).data - y[i]))
    x, target = X[i], float(y[i])
    _, lines = one_sample(model, x, target)
    for part in (lines, batch_comparison(model, X, y), pictures(model, x, target, args.out),
                 train(model, X, y, 40 if args.full else 8, args.out)):
        print("\n".join(part), end="\n\n")


if __name__ == "__main__":
    main()
