"""Benchmark: this engine against micrograd 0.1.0 from PyPI, same machine, same run.

    python -m demos.benchmark            # full run (about a minute)
    python -m demos.benchmark --quick    # smaller sizes, a few seconds (the test suite runs this)

Prints each figure for both engines and the ratio micrograd / ours (higher is better for us).
Times are medians of several repetitions. It never fails on time: it only reports.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable

import numpy as np

from autograd import Value

TARGETS = {  # ratio micrograd / ours that DESIGN.md asks for
    "training step": 8.0, "forward per op": 10.0, "backward per node": 2.0,
    "memory per node": 5.0, "vectorized step": 100.0,
}


def median_time(fn: Callable[[], object], repeat: int) -> float:
    """Median wall time of ``fn()`` over ``repeat`` runs (garbage collector on, as in real use)."""
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def leaves(V, width: int) -> list:
    rng = np.random.default_rng(0)
    return [[V(v) for v in row] for row in rng.uniform(-1, 1, size=(width, 3)).tolist()]


def wide_graph(inputs: list) -> tuple:
    """``relu(a*b + c)`` for each input row, summed by a balanced tree (depth log2 width).

    Returns the root and the number of ops (= nodes made by ops) built.
    """
    outs = [(a * b + c).relu() for a, b, c in inputs]
    ops = 3 * len(outs)
    while len(outs) > 1:
        pairs = [outs[i] + outs[i + 1] for i in range(0, len(outs) - 1, 2)]
        ops += len(pairs)
        outs = pairs + ([outs[-1]] if len(outs) % 2 else [])
    return outs[0], ops


def bench_graph(V, width: int, repeat: int) -> dict:
    """Forward time per op, backward time per node, memory per op node on the wide graph."""
    inputs = leaves(V, width)
    forward = median_time(lambda: wide_graph(inputs), repeat)
    root, ops = wide_graph(inputs)
    nodes = list(_nodes(root))

    def backward():
        for n in nodes:
            n.grad = 0.0
        root.backward()

    backward_s = median_time(backward, repeat)
    root = nodes = None
    gc.collect()
    tracemalloc.start()
    root, _ = wide_graph(inputs)
    memory = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    return {"forward per op": forward / ops, "backward per node": backward_s / (ops + 3 * width),
            "memory per node": memory / ops, "ops": ops}


def _nodes(root):
    """Every node under root, for either engine (micrograd's _prev is a set, ours a tuple)."""
    seen, stack = {root}, [root]
    while stack:
        node = stack.pop()
        yield node
        for p in node._prev:
            if p not in seen:
                seen.add(p)
                stack.append(p)


def deepest_chain(V, depths) -> int:
    """The largest depth in ``depths`` whose chain ``x + 1 + 1 ...`` backward handles."""
    best = 0
    for depth in depths:
        x = V(1.0)
        y = x
        for _ in range(depth):
            y = y + 1.0
        try:
            y.backward()
        except RecursionError:
            return best
        if x.grad != 1.0:
            return best
        best = depth
    return best


def moons(n: int = 100):
    from nn import make_moons

    X, y = make_moons(n_samples=n, noise=0.1, seed=1)
    return X, y * 2 - 1


def micrograd_style_step(V, model, X, y) -> float:
    """micrograd's demo: full-batch SVM max-margin loss + 1e-4 L2, backward, SGD step."""
    inputs = [list(map(V, row)) for row in X]
    scores = list(map(model, inputs))
    losses = [(1 + -yi * si).relu() for yi, si in zip(y, scores)]
    data_loss = sum(losses) * (1.0 / len(losses))
    reg_loss = 1e-4 * sum(p * p for p in model.parameters())
    loss = data_loss + reg_loss
    model.zero_grad()
    loss.backward()
    for p in model.parameters():
        p.data -= 0.1 * p.grad
    return loss.data


def our_step(model, X, y) -> float:
    """The same step written with this library's pieces (one fused node per neuron)."""
    from autograd import sum_values
    from nn import hinge_loss

    scores = [model(row) for row in X]
    loss = hinge_loss(scores, y) + 1e-4 * sum_values(p * p for p in model.parameters())
    model.zero_grad()
    loss.backward()
    for p in model.parameters():
        p.data -= 0.1 * p.grad
    return loss.data


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f if "model name" in line)
    except (OSError, StopIteration):
        pass
    return (f"Python {platform.python_version()} on {platform.system()}, {cpu}, "
            f"{os.cpu_count()} cores")


def fmt_row(name: str, theirs: float, ours: float, unit: str, lower_is_better: bool = True) -> str:
    ratio = theirs / ours if lower_is_better else ours / theirs
    target = TARGETS.get(name)
    verdict = "" if target is None else (f"target >= {target:g}x: " +
                                        ("met" if ratio >= target else "MISSED"))
    return (f"{name:<22} {theirs * SCALE[unit]:>12.3f} {ours * SCALE[unit]:>12.3f} {unit:<6}"
            f" {ratio:>8.1f}x  {verdict}")


SCALE = {"us": 1e6, "ms": 1e3, "bytes": 1.0, "nodes": 1.0}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, a few seconds")
    args = parser.parse_args(argv)
    try:
        from micrograd import engine as mg_engine
        from micrograd import nn as mg_nn
    except ImportError:
        sys.exit("micrograd is not installed: pip install -e '.[bench]' (micrograd==0.1.0)")

    width, repeat = (500, 3) if args.quick else (5000, 7)
    print(f"backprop-lab benchmark, {time.strftime('%Y-%m-%d')}; {machine()}")
    print(f"micrograd 0.1.0 vs this engine; medians of {repeat} runs\n")
    print(f"{'':<22} {'micrograd':>12} {'ours':>12} {'unit':<6} {'ratio':>9}")

    theirs, ours = bench_graph(mg_engine.Value, width, repeat), bench_graph(Value, width, repeat)
    print(f"(wide graph: {width} relu(a*b + c) terms summed by a balanced tree: "
          f"{ours['ops']} op nodes over {3 * width} leaves)")

    import nn

    X, y = moons(100)
    mg_model, our_model = mg_nn.MLP(2, [16, 16, 1]), nn.MLP(2, [16, 16, 1], seed=0)
    steps = 3 if args.quick else 10
    t_mg = median_time(lambda: micrograd_style_step(mg_engine.Value, mg_model, X, y), steps)
    t_ours = median_time(lambda: our_step(our_model, X, y), steps)
    print(fmt_row("training step", t_mg, t_ours, "ms"))
    for key in ("forward per op", "backward per node"):
        print(fmt_row(key, theirs[key], ours[key], "us"))
    print(fmt_row("memory per node", theirs["memory per node"], ours["memory per node"], "bytes"))

    mg_depths = [100, 200, 400, 600, 800, 900, 1000, 2000]
    our_depths = [10_000, 100_000] if args.quick else [10_000, 100_000, 1_000_000]
    mg_best, our_best = deepest_chain(mg_engine.Value, mg_depths), deepest_chain(Value, our_depths)
    print(f"{'deepest chain':<22} {mg_best:>12,} {our_best:>12,} nodes  "
          f"(largest depth tried that worked; micrograd tried {mg_depths})")

    vectorized_step(our_model, X, y, steps)


def vectorized_step(model, X, y, repeat: int) -> None:
    """Scalar-engine step vs VectorizedMLP step on the same model and batch (1/2 MSE loss)."""
    try:
        from nn import VectorizedMLP, mse_loss
    except ImportError:
        print("vectorized step: VectorizedMLP not available yet")
        return
    Xc, Yc = X.T, y.reshape(1, -1).astype(float)
    vm = VectorizedMLP.from_mlp(model)

    def scalar():
        loss = mse_loss([model(row) for row in X], list(y), half=True)
        model.zero_grad()
        loss.backward()

    t_scalar = median_time(scalar, repeat)
    t_vec = median_time(lambda: vm.backward(Xc, Yc), max(repeat, 20))
    print(fmt_row("vectorized step", t_scalar, t_vec, "ms") .replace("micrograd", "scalar"))
    print("  (vectorized step: first column is this scalar engine, second VectorizedMLP)")


if __name__ == "__main__":
    main()
