"""Instructions per training step and per backward pass, counted by valgrind (Linux).

Wall-clock figures on a shared 2-core machine move by 20% from one run to the next; the number
of machine instructions does not. This counts them with ``valgrind --tool=callgrind`` for a
workload run once and run ``1 + N`` times, and prints the difference divided by ``N``, so the
start-up cost cancels out. To compare two versions of the engine, give each one's folder::

    python -m demos.instructions                        # this checkout
    python -m demos.instructions --tree ../old-checkout # another checkout, same Python

It needs ``valgrind`` (``apt-get install valgrind``) and takes about a minute per tree.
"""

from __future__ import annotations

import argparse
import gc
import os
import re
import shutil
import subprocess
import sys
import tempfile

WORKLOADS = {
    "training step": "step",      # micrograd's moons step, MLP(2, [16, 16, 1]), 100 samples
    "backward, 1000 nodes": "backward",  # the benchmark's wide relu(a*b + c) graph
}


def run(workload: str, times: int) -> None:
    """The workload itself (what valgrind runs)."""
    import random

    from autograd import Value
    from demos.benchmark import leaves, moons, our_step, wide_graph
    from nn import MLP

    random.seed(0)
    if workload == "step":
        X, y = moons(100)
        model = MLP(2, [16, 16, 1])
        for _ in range(times):
            our_step(model, X, y)
    else:
        root, _ = wide_graph(leaves(Value, 250))
        for _ in range(times):
            root.backward()


def count(tree: str, workload: str, times: int) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run(
            ["valgrind", "--tool=callgrind", f"--callgrind-out-file={tmp}/cg.out", sys.executable,
             os.path.abspath(__file__), "--run", workload, str(times)],
            cwd=tree, env={**os.environ, "PYTHONPATH": tree, "PYTHONHASHSEED": "0"},
            capture_output=True, text=True, check=True)
    return int(re.search(r"Collected : (\d+)", out.stderr).group(1))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tree", default=os.getcwd(), help="the checkout to measure")
    parser.add_argument("--repeat", type=int, default=20, help="N: runs beyond the first")
    parser.add_argument("--run", nargs=2, metavar=("WORKLOAD", "TIMES"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.run:
        gc.disable()  # the collector runs at points that depend on the heap: counts would drift
        return run(args.run[0], int(args.run[1]))
    if shutil.which("valgrind") is None:
        sys.exit("valgrind is not installed: apt-get install valgrind")
    tree = os.path.abspath(args.tree)
    print(f"instructions per run in {tree} (valgrind callgrind, {args.repeat} runs after one)")
    for name, workload in WORKLOADS.items():
        once, more = count(tree, workload, 1), count(tree, workload, 1 + args.repeat)
        print(f"{name:24} {(more - once) / args.repeat / 1e6:10.2f} M")


if __name__ == "__main__":
    main()
