"""The engine's hot paths, one at a time, for counting instructions with callgrind.

Wall-clock times on a shared 2-core machine move by 20% from one run to the next; the number
of machine instructions does not. ``--count`` runs each path under ``valgrind
--tool=callgrind`` once with one run and once with ``1 + N`` runs, and prints the difference
divided by ``N``: set-up and start-up cancel out. To compare two versions of the engine, count
each checkout with the same Python::

    python -m demos.hotpaths --count                         # this checkout, every path
    python -m demos.hotpaths --count --tree ../old-checkout  # another one (any commit with
                                                             # demos/benchmark.py)
    python -m demos.hotpaths backward-1000 --repeat 5        # one path, for valgrind by hand

It needs ``valgrind`` (``apt-get install valgrind``) and takes a few minutes. The garbage
collector is off while a path runs, so the count is the interpreter's work alone. The paths use
demos.benchmark's own workloads (its training step and its wide graph), so the figures match
what the benchmark times.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

PATHS = ("step", "forward-1000", "forward-100000", "backward-1000", "backward-100000")


def _setup(path: str):
    """The function that runs the path once, after its set-up."""
    from autograd import Value
    from demos.benchmark import leaves, moons, our_step, wide_graph
    from nn import MLP

    if path == "step":  # micrograd's moons step: MLP(2, [16, 16, 1]), 100 samples
        random.seed(0)
        X, y = moons(100)
        model = MLP(2, [16, 16, 1])
        return lambda: our_step(model, X, y)
    kind, size = path.split("-")
    rows = leaves(Value, max(2, int(size) // 7))  # about `size` nodes: 7 per row (4 + 3 leaves)
    if kind == "forward":
        return lambda: wide_graph(rows)
    return wide_graph(rows)[0].backward


def run(path: str, repeat: int) -> None:
    """Set the path up, run it once to warm caches, then ``repeat`` times with gc off."""
    once = _setup(path)
    once()  # the first run fills caches (tags, specialised bytecode)
    gc.collect()
    gc.disable()
    for _ in range(repeat):
        once()


def count(tree: str, path: str, repeat: int) -> int:
    """Instructions valgrind counts for ``run(path, repeat)`` with ``tree`` first on the path."""
    with tempfile.TemporaryDirectory() as tmp:
        done = subprocess.run(
            ["valgrind", "--tool=callgrind", f"--callgrind-out-file={tmp}/cg.out", sys.executable,
             os.path.abspath(__file__), path, "--repeat", str(repeat)],
            cwd=tree, env={**os.environ, "PYTHONPATH": tree, "PYTHONHASHSEED": "0"},
            capture_output=True, text=True, check=True)
    return int(re.search(r"Collected : (\d+)", done.stderr).group(1))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="*", help=f"one of {', '.join(PATHS)}; --count: all")
    parser.add_argument("--repeat", type=int, default=1, help="runs after the warm one")
    parser.add_argument("--count", action="store_true", help="count instructions per run")
    parser.add_argument("--tree", default=os.getcwd(), help="with --count: the checkout")
    args = parser.parse_args(argv)
    for path in args.path:
        if path not in PATHS:
            parser.error(f"no path {path!r}: the paths are {', '.join(PATHS)}")
    if not args.count:
        if len(args.path) != 1:
            parser.error("give one path (or --count)")
        return run(args.path[0], args.repeat)
    if shutil.which("valgrind") is None:
        sys.exit("valgrind is not installed: apt-get install valgrind")
    tree, extra = os.path.abspath(args.tree), max(args.repeat, 10)
    print(f"instructions per run, {tree} (valgrind; {extra} runs minus 0 runs)")
    for path in args.path or PATHS:
        per_run = (count(tree, path, extra) - count(tree, path, 0)) / extra
        print(f"{path:16} {per_run / 1e6:10.3f} M")


if __name__ == "__main__":
    main()
