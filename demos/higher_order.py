"""Lesson: gradients as graphs (σ'', Newton's method) and forward against reverse mode.

    python -m demos.higher_order --out out          # quick run, a few seconds
    python -m demos.higher_order --out out --full   # longer descent, bigger networks

1. σ'' derived by hand, then checked: ``grad(..., create_graph=True)`` makes σ' a graph of
   ops, which is differentiated again; central differences of σ' agree; the graph is drawn.
2. Newton's method (gradient and Hessian) against gradient descent on Rosenbrock's valley.
3. The reference text's 3-4-1 network as a function of its 21 parameters: the full gradient
   by forward mode (``jvp``, one pass per parameter) and by reverse mode (one forward and one
   backward pass), ops counted, and the count plotted as the network grows.
"""

from __future__ import annotations

import math
import time

import numpy as np

from autograd import Value, grad, gradgradcheck, hessian, hvp, jvp, topological_order
from autograd.extend import N_, table, tr
from demos._lesson import lesson_args, picture, pyplot, wrote
from nn import MLP, make_seed_regression, mse_loss
from visualize import draw_dot, render

DPI = 150
DESCRIPTION = N_("Lesson: gradients as graphs (σ'', Newton's method) and forward against reverse "
                 "mode.")


def save(plt, fig, path) -> str:
    """Write the figure at DPI and close it; the line the lesson prints."""
    fig.tight_layout()
    fig.savefig(path, dpi=DPI)
    plt.close(fig)
    return wrote(path)


# -- 1. σ'' by hand ----------------------------------------------------------------------------

def sigmoid_by_hand(z: float) -> tuple[float, float, float]:
    """σ, σ' = σ(1-σ) and σ'' = σ'(1-2σ) = σ(1-σ)(1-2σ), from the formulas."""
    s = 1.0 / (1.0 + math.exp(-z))
    return s, s * (1.0 - s), s * (1.0 - s) * (1.0 - 2.0 * s)


def sigmoid_derivative_graphs(z: float) -> tuple[Value, Value, Value]:
    """z, σ'(z) and σ''(z) as Values: σ' built by grad with create_graph, σ'' by grad of it."""
    x = Value(z, label="z")
    s = x.sigmoid()
    s.label = "σ"
    [d1] = grad(s, [x], create_graph=True)
    d1.label = "σ'"  # a new node: σ·(1 - σ), built from the sigmoid's row
    [d2] = grad(d1, [x], create_graph=True)
    d2.label = "σ''"
    return x, d1, d2


def sigmoid_lesson(out) -> list[str]:
    lines = [tr("σ(z) = 1/(1 + e^-z).  σ' = σ(1 - σ), so by the product rule"),
             "  σ'' = σ'(1 - σ) + σ(-σ') = σ'(1 - 2σ) = σ(1 - σ)(1 - 2σ)",
             "",
             tr("σ'' three ways:")]
    rows = [("z", tr("by hand"), tr("grad of grad"), tr("differences of σ'"))]
    for z in (-3.0, -1.0, 0.0, 0.5, 2.0):
        numeric = (sigmoid_derivative_graphs(z + 1e-5)[1].data
                   - sigmoid_derivative_graphs(z - 1e-5)[1].data) / 2e-5
        by_hand = sigmoid_by_hand(z)[2]
        rows.append((f"{z:g}", f"{by_hand:.10f}", f"{sigmoid_derivative_graphs(z)[2].data:.10f}",
                     f"{numeric:.10f}"))
    lines += ["  " + line for line in table(rows, left=0, rule=False)]
    lines.append(tr("σ'' = 0 at z = 0: the sigmoid's steepest point (σ' is largest there)."))
    report = gradgradcheck(lambda v: v.sigmoid(), [Value(0.5, label="z")])
    lines += ["", tr("gradgradcheck (analytic σ'' against differences of σ'):"), str(report),
              ""]
    x, d1, d2 = sigmoid_derivative_graphs(0.5)
    nodes = topological_order(d2)
    drawn = picture(lambda: render(draw_dot(d2), out / "sigmoid_second_derivative.svg"),
                    tr("the graph of σ''"))
    lines += [tr("σ' is the graph σ·(1 - σ) ({first} values); σ'' is a graph too ({second} "
                 "values), made of the same ops as any expression.",
                 first=len(topological_order(d1)), second=len(nodes)), drawn]
    return lines


# -- 2. Newton's method against gradient descent ---------------------------------------------

def rosenbrock(x, y):
    """f(x, y) = (1 - x)² + 100 (y - x²)²: a curved valley, minimum 0 at (1, 1)."""
    return (1 - x) ** 2 + 100 * (y - x ** 2) ** 2


def gradient_at(f, point: list[float]) -> list[float]:
    leaves = [Value(p) for p in point]
    return [g.data for g in grad(f(*leaves), leaves)]


def newton(f, start: list[float], steps: int) -> list[list[float]]:
    """x ← x - H⁻¹ ∇f: each step solves H d = ∇f with the Hessian from ``hessian``."""
    path = [list(start)]
    for _ in range(steps):
        p = path[-1]
        g = gradient_at(f, p)
        if max(map(abs, g)) < 1e-12:
            break
        d = np.linalg.solve(np.array(hessian(f, p)), np.array(g))
        path.append((np.array(p) - d).tolist())
    return path


def gradient_descent(f, start: list[float], lr: float, steps: int) -> list[list[float]]:
    """x ← x - lr ∇f."""
    path = [list(start)]
    for _ in range(steps):
        p = path[-1]
        path.append([pi - lr * gi for pi, gi in zip(p, gradient_at(f, p))])
    return path


def newton_lesson(out, full: bool) -> list[str]:
    start, lr = [-1.2, 1.0], 1e-3  # lr: gradient descent diverges above 2/λ_max(H) ≈ 0.002
    by_newton = newton(rosenbrock, start, 50)
    by_descent = gradient_descent(rosenbrock, start, lr, 20000 if full else 3000)
    loss = {name: [rosenbrock(*p) for p in path]
            for name, path in (("newton", by_newton), ("descent", by_descent))}
    lines = [tr("Rosenbrock f(x, y) = (1 - x)² + 100(y - x²)² from {start}; minimum 0 at (1, 1)",
                start=tuple(start)),
             tr("Newton: x ← x - H⁻¹∇f, H from hessian(f, x) (the gradient graph, "
                "differentiated)")]
    lines += [tr("  step {step}: ({x:+.6f}, {y:+.6f})  f = {f:.3e}", step=k, x=p[0], y=p[1], f=f)
              for k, (p, f) in enumerate(zip(by_newton, loss["newton"]))]
    reached = {name: next((k for k, f in enumerate(fs) if f < 1e-6), None)
               for name, fs in loss.items()}
    lines.append(tr("Newton is no descent method far from the minimum (a step may go uphill), but "
                    "close to it the error squares at every step."))
    numbers = dict(newton=reached["newton"], lr=lr, f=loss["descent"][-1],
                   steps=len(by_descent) - 1, below=reached["descent"])
    lines.append(tr("Newton: f < 1e-6 at step {newton}.  gradient descent (lr {lr:g}): f = {f:.3e} "
                    "after {steps} steps, not yet below 1e-6", **numbers)
                 if reached["descent"] is None else
                 tr("Newton: f < 1e-6 at step {newton}.  gradient descent (lr {lr:g}): f = {f:.3e} "
                    "after {steps} steps, below 1e-6 from step {below}", **numbers))
    curvature = hessian(rosenbrock, [1.0, 1.0])
    low, high = np.linalg.eigvalsh(np.array(curvature))
    lines.append(tr("why: the Hessian at the minimum is {hessian}, curvature {high:.1f} across "
                    "the valley and {low:.2f} along it. A step small enough for the first crawls "
                    "along the second; Newton rescales each direction by H⁻¹.",
                    hessian=curvature, high=high, low=low))

    plt = pyplot()
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.8))
    xs, ys = np.meshgrid(np.linspace(-1.5, 1.5, 300), np.linspace(-3.5, 2.0, 300))
    left.contour(xs, ys, np.log10(rosenbrock(xs, ys) + 1e-3), levels=25, cmap="Greys")
    for name, path, style in ((tr("gradient descent"), by_descent, "-"),
                              (tr("Newton"), by_newton, "o-")):
        p = np.array(path)
        left.plot(p[:, 0], p[:, 1], style, ms=4, label=name)
    left.plot([1], [1], "k*", ms=12, label=tr("minimum (1, 1)"))
    left.set_xlabel("x")
    left.set_ylabel("y")
    left.set_title(tr("paths on log f(x, y)"))
    # below the axes: inside, any corner would hide part of Newton's first jump
    left.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=3, fontsize=9)
    for name, label in (("descent", tr("gradient descent")), ("newton", tr("Newton"))):
        right.semilogy(range(len(loss[name])), np.maximum(loss[name], 1e-30), label=label)
    right.set_xscale("symlog", linthresh=10)
    right.set_xlabel(tr("step"))
    right.set_ylabel("f(x, y)")
    right.set_title(tr("loss per step"))
    right.legend()
    lines.append(save(plt, fig, out / "newton_vs_descent.png"))
    return lines


# -- 3. forward against reverse mode on the seed network --------------------------------------

def network_loss(model: MLP, x, y: float):
    """L(θ) = ½(ŷ - y)² of ``model`` on one sample, as a function of its parameters θ.

    θ comes in ``model.parameters()`` order (per neuron: its weights W[l]_jk, then b[l]_k).
    The function uses Value ops only (z = b + Σ w·a, then the activation), so it runs on
    Values (reverse mode) and on Duals (forward mode, ``jvp``) alike, and gives the same
    number as ``mse_loss(model(x), y, half=True)``.
    """
    shape = [(len(layer.neurons), len(layer.neurons[0].w), layer.activation)
             for layer in model.layers]
    count = len(model.parameters())
    x = [float(v) for v in x]

    def f(*theta):
        if len(theta) != count:
            raise ValueError(f"network_loss: expected {count} parameters, got {len(theta)}")
        params, a = iter(theta), x
        for nout, nin, activation in shape:
            layer = []
            for _ in range(nout):
                w = [next(params) for _ in range(nin)]
                z = next(params)
                for wj, aj in zip(w, a):
                    z = z + wj * aj
                layer.append(z if activation == "linear" else getattr(z, activation)())
            a = layer
        return (a[0] - y) ** 2 * 0.5

    return f


def gradient_both_ways(f, theta: list[float]) -> dict:
    """The full gradient by reverse mode (one pass each way) and by forward mode (one jvp per
    parameter), with the ops each did and the time it took."""
    start = time.perf_counter()
    leaves = [Value(t) for t in theta]
    loss = f(*leaves)
    reverse = [g.data for g in grad(loss, leaves)]
    reverse_time = time.perf_counter() - start
    nodes = len(topological_order(loss, leaves=False))
    start = time.perf_counter()
    passes = [jvp(f, theta, [1.0 if j == i else 0.0 for j in range(len(theta))])
              for i in range(len(theta))]
    forward_time = time.perf_counter() - start
    return {"reverse": reverse, "forward": [p.derivative for p in passes],
            "reverse ops": 2 * nodes, "nodes": nodes, "forward ops": sum(p.ops for p in passes),
            "passes": len(passes), "reverse time": reverse_time, "forward time": forward_time}


def modes_lesson(out, full: bool) -> list[str]:
    X, y = make_seed_regression(10, seed=0)
    model = MLP(3, [4, 1], activation="sigmoid", output_activation="sigmoid", seed=0)
    f = network_loss(model, X[0], float(y[0]))
    theta = [p.data for p in model.parameters()]
    engine = mse_loss(model(list(X[0])), float(y[0]), half=True)
    r = gradient_both_ways(f, theta)
    worst = max(abs(a - b) for a, b in zip(r["forward"], r["reverse"]))
    lines = [tr("{model}: L(θ) = ½(ŷ - y)² as a function of θ, the {count} parameters",
                model=model, count=len(theta)),
             tr("  L = {L:.12f} (the network's own forward pass: {engine:.12f})",
                L=f(*map(Value, theta)).data, engine=engine.data),
             tr("  forward mode: {passes} passes (one per parameter, tangent e_i), {ops} ops, "
                "{ms:.2f} ms", passes=r["passes"], ops=r["forward ops"],
                ms=r["forward time"] * 1e3),
             tr("  reverse mode: 1 forward pass ({nodes} ops) + 1 backward pass ({nodes} nodes) "
                "= {ops} ops, {ms:.2f} ms", nodes=r["nodes"], ops=r["reverse ops"],
                ms=r["reverse time"] * 1e3),
             tr("  the two gradients differ by at most {difference:.1e}", difference=worst),
             tr("  forward mode pays one pass per input, reverse mode one pass per output: a loss "
                "has one output and many parameters, so backprop wins."),
             tr("  (for one input and many outputs it is the other way round)")]
    h = hessian(f, theta)
    last = list(range(16, 21))  # W[2]_11 .. W[2]_41 and b[2]_1: the output neuron
    asym = max(abs(h[i][j] - h[j][i]) for i in range(len(h)) for j in range(len(h)))
    v = [1.0 if i in last else 0.0 for i in range(len(theta))]
    product = [sum(hij * vj for hij, vj in zip(row, v)) for row in h]
    gap = max(abs(a - b) for a, b in zip(hvp(f, theta, v), product))
    lines += ["", tr("curvature: hessian(f, θ) is {n}×{n}, symmetric to {asymmetry:.1e}; the "
                     "output neuron's block (W[2]_11..W[2]_41, b[2]_1):", n=len(h),
                     asymmetry=asym)]
    lines += ["  " + " ".join(f"{h[i][j]:+.5f}" for j in last) for i in last]
    lines.append(tr("  hvp(f, θ, v) gives H·v in two backward passes, without forming H; with "
                    "v = 1 on the output neuron it differs from the product above by {gap:.1e}",
                    gap=gap))

    widths = range(1, 17 if full else 9)
    sizes, forward_ops, reverse_ops = [], [], []
    for width in widths:
        net = MLP(3, [width, 1], activation="sigmoid", output_activation="sigmoid", seed=0)
        params = [p.data for p in net.parameters()]
        counts = gradient_both_ways(network_loss(net, X[0], float(y[0])), params)
        sizes.append(len(params))
        forward_ops.append(counts["forward ops"])
        reverse_ops.append(counts["reverse ops"])
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(6.4, 4.2))
    ax.plot(sizes, forward_ops, "o-", label=tr("forward mode (jvp): one pass per parameter"))
    ax.plot(sizes, reverse_ops, "s-", label=tr("reverse mode: one forward + one backward pass"))
    ax.axvline(len(theta), color="grey", lw=0.8, ls="--")
    ax.annotate(tr("the 3-4-1 network: {count} parameters", count=len(theta)),
                (len(theta), max(forward_ops)), xytext=(4, -12), textcoords="offset points",
                fontsize=8)
    ax.set_xlabel(tr("parameters of a 3-h-1 sigmoid network (h = 1, 2, ...)"))
    ax.set_ylabel(tr("ops for the full gradient of the loss"))
    ax.set_title(tr("forward against reverse mode"))
    ax.legend(fontsize=8)
    lines.append(save(plt, fig, out / "forward_vs_reverse.png"))
    return lines


def main(argv: list[str] | None = None) -> None:
    args = lesson_args(DESCRIPTION, argv)
    for part in (sigmoid_lesson(args.out), newton_lesson(args.out, args.full),
                 modes_lesson(args.out, args.full)):
        print("\n".join(part), end="\n\n")


if __name__ == "__main__":
    main()
