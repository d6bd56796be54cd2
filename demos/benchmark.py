"""Benchmark: this engine against micrograd 0.1.0 from PyPI, same machine, same run.

    python -m demos.benchmark            # full run (about a minute)
    python -m demos.benchmark --quick    # smaller sizes, a few seconds (the test suite runs this)
    python -m demos.benchmark --site     # the lab's static site: size on disk, start-up in Chromium
    python -m demos.benchmark --lab      # the live lab only: server, page in Chromium, training

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

TARGETS = {  # ratios DESIGN.md asks for: micrograd / ours, and scalar / VectorizedMLP
    "training step": 30.0, "forward per op": 5.0, "backward per node": 3.0,
    "memory per node": 4.0, "VectorizedMLP step": 100.0,
}
SIZES = (1_000, 10_000, 100_000, 1_000_000)  # nodes in the wide graph, leaves included
QUICK_SIZES = (1_000, 10_000)


def paired_medians(fns: dict[str, Callable[[], object]], repeat: int, collect: bool = True,
                   number: dict[str, int] | None = None) -> dict[str, float]:
    """Median wall time of one call of each function, the engines interleaved run by run.

    Interleaving exposes both engines to the same machine state. ``collect=True`` leaves the
    cyclic garbage collector on, as in real use (its cost is part of each design); with
    ``collect=False`` it is paused, which shows the bare interpreter cost. ``number[name]``
    calls of a fast function are timed together (then divided), so a call of a few
    microseconds is not measured cold right after the collector ran.
    """
    number = number or {}
    times: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(repeat):
        for name, fn in fns.items():
            gc.collect()
            if not collect:
                gc.disable()
            try:
                calls = number.get(name, 1)
                start = time.perf_counter()
                for _ in range(calls):
                    fn()
                times[name].append((time.perf_counter() - start) / calls)
            finally:
                gc.enable()
    return {name: statistics.median(ts) for name, ts in times.items()}


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


def bench_graph(engines: dict, nodes: int, repeat: int) -> dict[str, dict[str, float]]:
    """Forward time per op, backward time per node, memory per op node, on one wide graph.

    The graph has about ``nodes`` values: 3 leaves and 4 op nodes per term. Fast calls are
    repeated so that each timing lasts at least about 20 ms.
    """
    width = max(2, nodes // 7)
    inputs = {name: leaves(V, width) for name, V in engines.items()}
    graphs = {name: wide_graph(x) for name, x in inputs.items()}
    ops = graphs["ours"][1]
    total = ops + 3 * width
    number = max(1, 100_000 // total)
    result: dict = {"nodes": total, "ops": ops}
    for collect, suffix in ((True, ""), (False, " (gc off)")):
        forward = paired_medians({n: (lambda x=x: wide_graph(x)) for n, x in inputs.items()},
                                 repeat, collect, dict.fromkeys(inputs, number))
        backward = paired_medians({n: g[0].backward for n, g in graphs.items()}, repeat,
                                  collect, dict.fromkeys(inputs, number))
        result["forward per op" + suffix] = {n: t / ops for n, t in forward.items()}
        result["backward per node" + suffix] = {n: t / total for n, t in backward.items()}
    graphs = None
    memory = {}
    for name, x in inputs.items():
        gc.collect()
        tracemalloc.start()
        root, _ = wide_graph(x)
        memory[name] = tracemalloc.get_traced_memory()[0] / ops
        tracemalloc.stop()
        del root
    result["memory per node"] = memory
    return result


def size_table(engines: dict, sizes, repeat: int) -> None:
    """Forward, backward and memory against micrograd at each graph size, gc on and off."""
    rows = [(bench_graph(engines, n, repeat if n < 500_000 else 3)) for n in sizes]
    print("\nby graph size (a wide graph of relu(a*b + c) terms summed by a balanced tree; "
          "micrograd | ours | ratio):")
    for key, unit in (("forward per op", "us"), ("backward per node", "us")):
        print(f"{key + ' (' + unit + ')':<30}{'gc on':^32}{'gc off':^32}")
        for r in rows:
            cells = [_cell(r[key + suffix], unit) for suffix in ("", " (gc off)")]
            on, off = (r[key + s]["micrograd"] / r[key + s]["ours"] for s in ("", " (gc off)"))
            print(f"  {r['nodes']:>11,} nodes{'':<11}{cells[0]}{cells[1]}  "
                  + _verdict(key, on, off))
    print(f"{'memory per node (bytes)':<30}")
    for r in rows:
        m = r["memory per node"]
        print(f"  {r['nodes']:>11,} nodes{'':<11}{_cell(m, 'bytes')}  "
              + _verdict("memory per node", m["micrograd"] / m["ours"]))


def _cell(pair: dict[str, float], unit: str) -> str:
    theirs, ours = pair["micrograd"] * SCALE[unit], pair["ours"] * SCALE[unit]
    return f"{theirs:>9.3f} {ours:>9.3f} {theirs / ours:>6.1f}x    "


def _verdict(name: str, ratio: float, gc_off: float | None = None) -> str:
    target = TARGETS[name]
    if gc_off is None:
        return f"target >= {target:g}x: " + ("met" if ratio >= target else "MISSED")
    return (f"target >= {target:g}x: gc on " + ("met" if ratio >= target else "MISSED")
            + ", gc off " + ("met" if gc_off >= target else "MISSED"))


def create_graph_cost(width: int, repeat: int) -> float:
    """Microseconds per node for ``grad(create_graph=True)`` on the wide graph (ours only)."""
    from autograd import grad

    inputs = leaves(Value, width)
    root, ops = wide_graph(inputs)
    flat = [v for row in inputs for v in row]
    seconds = paired_medians({"ours": lambda: grad(root, flat, create_graph=True)}, repeat)
    return seconds["ours"] / (ops + len(flat)) * 1e6


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


def fmt_row(name: str, theirs: float, ours: float, unit: str) -> str:
    ratio = theirs / ours
    target = TARGETS.get(name)
    verdict = "" if target is None else (f"target >= {target:g}x: " +
                                        ("met" if ratio >= target else "MISSED"))
    return (f"{name:<28} {theirs * SCALE[unit]:>10.3f} {ours * SCALE[unit]:>10.3f} {unit:<5}"
            f" {ratio:>6.1f}x  {verdict}")


SCALE = {"us": 1e6, "ms": 1e3, "bytes": 1.0}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, a few seconds")
    parser.add_argument("--site", action="store_true",
                        help="only the lab's static site: its size and start-up in Chromium")
    parser.add_argument("--lab", action="store_true",
                        help="only the live lab: server and page time per change, training speed")
    parser.add_argument("--no-browser", action="store_true",
                        help="with --lab: skip the page's time in Chromium")
    args = parser.parse_args(argv)
    if args.site:
        site_benchmark()
        return
    if args.lab:
        return lab_benchmark(5 if args.quick else 25, browser=not args.no_browser)
    try:
        from micrograd import engine as mg_engine
        from micrograd import nn as mg_nn
    except ImportError:
        sys.exit("micrograd is not installed: pip install -e '.[bench]' (micrograd==0.1.0)")
    import nn

    sizes, repeat = (QUICK_SIZES, 3) if args.quick else (SIZES, 7)
    print(f"backprop-lab benchmark, {time.strftime('%Y-%m-%d')}; {machine()}")
    print(f"micrograd 0.1.0 from PyPI vs this engine, same process; medians of {repeat} "
          "interleaved runs; ratio = micrograd / ours\n")
    print(f"{'':<28} {'micrograd':>10} {'ours':>10} {'unit':<5} {'ratio':>7}")

    X, y = moons(100)
    mg_model, our_model = mg_nn.MLP(2, [16, 16, 1]), nn.MLP(2, [16, 16, 1], seed=0)
    step = paired_medians({
        "micrograd": lambda: micrograd_style_step(mg_engine.Value, mg_model, X, y),
        "ours": lambda: our_step(our_model, X, y)}, repeat)
    print(fmt_row("training step", step["micrograd"], step["ours"], "ms"))

    width = 1_000 if args.quick else 5_000
    print(f"{'grad(create_graph) per node':<28} {'-':>10} {create_graph_cost(width, repeat):>10.3f}"
          " us    (micrograd has no higher order)")

    mg_depths = [100, 200, 400, 600, 800, 900, 1000, 2000]
    our_depths = [10_000, 100_000] if args.quick else [10_000, 100_000, 1_000_000]
    mg_best, our_best = deepest_chain(mg_engine.Value, mg_depths), deepest_chain(Value, our_depths)
    print(f"{'deepest chain backward':<28} {mg_best:>10,} {our_best:>10,} nodes "
          f"(micrograd tried {mg_depths[0]}..{mg_depths[-1]}, we tried up to {our_depths[-1]:,})")

    vectorized_step(our_model, X, y, repeat)
    print("\ntraining step: micrograd's moons demo, MLP(2, [16, 16, 1]) on 100 samples, hinge "
          "loss + 1e-4 L2, backward, SGD.")
    size_table({"micrograd": mg_engine.Value, "ours": Value}, sizes, repeat)


def vectorized_step(model, X, y, repeat: int) -> None:
    """One training step of the scalar engine vs VectorizedMLP on the same model and batch."""
    from nn import VectorizedMLP, compare_with_engine, mse_loss

    Xc, Yc = X.T, y.reshape(1, -1).astype(float)
    diff = compare_with_engine(model, Xc, Yc)
    vm = VectorizedMLP.from_mlp(model)

    def scalar_step():
        loss = mse_loss([model(row) for row in X], list(y), half=True)
        model.zero_grad()
        loss.backward()
        for p in model.parameters():
            p.data -= 1e-3 * p.grad

    times = paired_medians({"scalar": scalar_step,
                            "vectorized": lambda: vm.train_step(Xc, Yc, lr=1e-3)},
                           repeat, number={"vectorized": 100})
    print(fmt_row("VectorizedMLP step", times["scalar"], times["vectorized"], "ms"))
    print(f"  (columns: our scalar engine, VectorizedMLP; same model and 100-sample batch; "
          f"largest gradient difference {diff.max_abs:.1e})")



LAB_TARGETS = {"server": 50.0, "page": 150.0, "steps": 20.0}   # ms, ms, steps a second


def lab_benchmark(repeat: int, browser: bool = True) -> None:
    """The live lab against DESIGN.md's targets: the server's time per change and the page's
    time to a redrawn view for the reference text's 3-4-1 network (one weight or input moved),
    and training steps a second for MLP(2, [16, 16, 1]) on 100 samples (moons, full batch)."""
    from visualize.lab.session import LabSession

    print(f"backprop-lab benchmark of the live lab, {time.strftime('%Y-%m-%d')}; {machine()}; "
          f"load average {os.getloadavg()[0]:.1f}; medians of {repeat}\n")
    session = LabSession()
    session.call("network.set", {})   # imports nn and numpy once

    def change(k: int) -> None:
        session.call("network.set", {"weights": {"W[1]_21": 0.1 * (k % 7)}})

    server = _median_ms(change, repeat)
    print(_lab_row("server, seed network, per change", server, "ms", "server"))
    server_http = _http_ms(repeat)
    print(_lab_row("  the same over HTTP (round trip)", server_http, "ms", "server"))
    if browser:
        page = _page_ms(repeat)
        print(_lab_row("page, seed network, to redrawn", page, "ms", "page") if page else
              "page: not measured (no playwright or no chromium)")
    lab_rate, engine_rate = _training_rates(repeat)
    print(_lab_row("training 2-16-16-1, 100 samples", lab_rate, "steps/s", "steps"))
    print(f"  {'the engine alone, the same step':<34} {engine_rate:>8.1f} steps/s (the lab's "
          f"step is {100 * (engine_rate / lab_rate - 1):+.0f}% of time on top of it: the loss on "
          "the whole data set, for the curve)")
    print("\nserver: network.set with one weight changed (forward, backward, draw_dot's loss graph "
          "in the neuron view, draw_mlp), in the session; page: from an input event to the "
          "network view redrawn in Chromium (both pictures laid out by the page's Graphviz); "
          "training: Training.run, one SGD step on a batch of all 100 samples, then the loss "
          "on them for the curve.")


def _training_rates(repeat: int) -> tuple[float, float]:
    """Steps a second of the lab's training (Training.run, one full-batch step of 2-16-16-1 on
    100 moons, the curve's loss recorded after it) and of the same step on the engine alone
    (forward, hinge loss, backward, SGD), interleaved run by run."""
    import nn
    from visualize.lab.params import Params
    from visualize.lab.session import LIMITS
    from visualize.lab.train import Training

    training = Training(Params({"dataset": "moons", "hidden": [16, 16], "batch": 100}),
                        LIMITS)
    X, y = nn.make_moons(100, noise=0.1, seed=0)
    rows, targets = X.tolist(), (2 * y - 1).tolist()
    model = nn.MLP(2, [16, 16, 1], seed=0)
    optimizer = nn.SGD(model.parameters(), lr=0.1)

    def engine_step() -> None:
        loss = nn.hinge_loss([model(row) for row in rows], targets)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    times = paired_medians({"lab": lambda: training.run(1, seconds=60.0),
                            "engine": engine_step}, repeat)
    return 1 / times["lab"], 1 / times["engine"]


def _lab_row(name: str, value: float, unit: str, target: str) -> str:
    goal = LAB_TARGETS[target]
    met = value >= goal if target == "steps" else value < goal
    sign = ">=" if target == "steps" else "<"
    return (f"{name:<36} {value:>8.1f} {unit:<8} target {sign} {goal:g} {unit}: "
            f"{'met' if met else 'MISSED'}")


def _median_ms(fn, repeat: int) -> float:
    times = []
    for k in range(repeat):
        start = time.perf_counter()
        fn(k)
        times.append(1000 * (time.perf_counter() - start))
    return statistics.median(times)


def _http_ms(repeat: int) -> float:
    import json
    import urllib.request

    from visualize.lab.server import create_app, running

    with running(create_app()) as url:
        def post(body: dict) -> dict:
            request = urllib.request.Request(url + "api", data=json.dumps(body).encode(),
                                             headers={"Content-Type": "application/json"})
            with urllib.request.urlopen(request) as r:
                return json.load(r)
        sid = post({"method": "lab.init"})["session"]
        post({"session": sid, "method": "network.set", "params": {}})
        return _median_ms(lambda k: post({"session": sid, "method": "network.set", "params": {
            "weights": {"W[1]_21": 0.1 * (k % 7)}}}), repeat)


_PAGE_CHANGE = """async (value) => {
    const main = document.querySelector(".main-network");
    const input = document.querySelector('[data-testid="value-x_1"]');
    const before = main.dataset.version;
    const start = performance.now();
    input.value = String(value);
    input.dispatchEvent(new Event("input", { bubbles: true }));
    await new Promise((resolve) => {
        const seen = new MutationObserver(() => {
            if (main.dataset.version !== before) { seen.disconnect(); resolve(); }
        });
        seen.observe(main, { attributes: true });
    });
    await new Promise((resolve) => requestAnimationFrame(() => resolve()));
    return performance.now() - start;
}"""


def _page_ms(repeat: int) -> float | None:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    from visualize.lab import chromium
    from visualize.lab.server import create_app, running

    if chromium.executable() is None:
        return None
    with running(create_app()) as url, sync_playwright() as p:
        browser = chromium.launch(p)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(url + "#mode=network")
        page.wait_for_selector(".main-network[data-version]", timeout=60000)
        page.evaluate(_PAGE_CHANGE, 0.25)   # warm up
        times = [page.evaluate(_PAGE_CHANGE, 0.1 * (k % 9) - 0.4) for k in range(repeat)]
        browser.close()
    return statistics.median(times)


def site_benchmark(runs: int = 3) -> None:
    """The static site (python -m visualize lab --export): its size on disk, and the time from
    opening the page to the lab ready (Pyodide started, the engine imported, the first graph
    drawn) in headless Chromium, each run a new browser with nothing cached, served by
    http.server on 127.0.0.1. Targets (DESIGN.md): ready in under 10 s, under 30 MB."""
    import functools
    import http.server
    import pathlib
    import tempfile
    import threading

    from playwright.sync_api import sync_playwright

    from visualize.lab.chromium import launch
    from visualize.lab.export import export

    print(f"backprop-lab static site, {time.strftime('%Y-%m-%d')}; {machine()}; load average "
          f"{os.getloadavg()[0]:.1f} when it started")
    with tempfile.TemporaryDirectory() as tmp:
        folder = f"{tmp}/site"
        summary = export(folder)
        parts = {}
        for path in sorted(pathlib.Path(folder).rglob("*")):
            if path.is_file():
                top = path.relative_to(folder).parts[0]
                parts[top] = parts.get(top, 0) + path.stat().st_size
        lazy = sum(os.path.getsize(f"{folder}/{w}")
                   for w in summary["manifest"]["lazy"].values())
        print(f"{'size on disk':<28} {summary['bytes'] / 1e6:>10.1f} MB    (target < 30 MB; "
              + ", ".join(f"{k} {v / 1e6:.1f}" for k, v in parts.items() if v > 50_000)
              + f"; {lazy / 1e6:.1f} MB of it, SymPy, only when the checker first runs)")

        class Quiet(http.server.SimpleHTTPRequestHandler):
            def log_message(self, *args):
                pass

        server = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), functools.partial(Quiet, directory=folder))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        first, again, engine, cpu = [], [], [], []
        try:
            with sync_playwright() as p:
                for _ in range(runs):
                    browser = launch(p)
                    page = browser.new_page(viewport={"width": 1400, "height": 900})
                    used, start = _children_cpu(), time.perf_counter()
                    page.goto(url)
                    page.wait_for_selector(".lab-root[data-ready=true]", timeout=120000)
                    first.append(time.perf_counter() - start)
                    cpu.append(_children_cpu() - used)
                    engine.append(page.evaluate("window.labHost.timings"))
                    start = time.perf_counter()
                    page.reload()
                    page.wait_for_selector(".lab-root[data-ready=true]", timeout=120000)
                    again.append(time.perf_counter() - start)
                    browser.close()
        finally:
            server.shutdown()
    median = statistics.median
    print(f"{'ready, first visit':<28} {median(first):>10.2f} s     (target < 10 s; runs: "
          + ", ".join(f"{t:.2f}" for t in first) + ")")
    print(f"{'  of which Pyodide starts':<28} "
          f"{median(e['runtime_ms'] for e in engine) / 1000:>10.2f} s")
    print(f"{'  and the engine imports':<28} "
          f"{median(e['engine_ms'] for e in engine) / 1000:>10.2f} s")
    print(f"{'ready, page reloaded':<28} {median(again):>10.2f} s     (the browser's cache "
          "warm)")
    print(f"{'CPU time to ready':<28} {median(cpu):>10.2f} s     (all of the browser's "
          "processes, first visit: what an idle machine would wait, give or take parallelism)")


def _children_cpu() -> float:
    """CPU seconds (user + system) of every process descended from this one (Linux /proc)."""
    parents, times = {}, {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry)] = int(fields[1])
        times[int(entry)] = int(fields[11]) + int(fields[12])
    me, total = os.getpid(), 0
    for pid in times:
        up = parents.get(pid)
        while up and up != me:
            up = parents.get(up)
        if up == me:
            total += times[pid]
    return total / os.sysconf("SC_CLK_TCK")


if __name__ == "__main__":
    main()
