"""The engine's hot paths, one at a time, for counting instructions with callgrind.

Wall-clock times are noisy on a shared machine; instruction counts are not. Run one path with
and without repetitions and subtract, so that start-up and set-up cancel out::

    valgrind --tool=callgrind --callgrind-out-file=/dev/null \\
        python -m demos.hotpaths backward-100000 --repeat 0     # set-up only
    ... --repeat 5                                              # set-up + 5 runs

(instructions with 5 runs - instructions with 0) / 5 is the cost of one run. The garbage
collector is off while a path runs, so the count is the interpreter's work alone.
"""

from __future__ import annotations

import argparse
import gc
import random

from autograd import Value, sum_values

PATHS = ("step", "forward-1000", "forward-100000", "backward-1000", "backward-100000")


def _leaves(n: int) -> list[list[Value]]:
    rng = random.Random(0)
    return [[Value(rng.uniform(-1, 1)) for _ in range(3)] for _ in range(n)]


def _wide(rows: list[list[Value]]) -> Value:
    """``relu(a*b + c)`` per row, summed by a balanced tree (demos.benchmark's graph)."""
    outs = [(a * b + c).relu() for a, b, c in rows]
    while len(outs) > 1:
        pairs = [outs[i] + outs[i + 1] for i in range(0, len(outs) - 1, 2)]
        outs = pairs + ([outs[-1]] if len(outs) % 2 else [])
    return outs[0]


def _setup(path: str):
    """The function that runs the path once, after its set-up."""
    if path == "step":
        from nn import MLP, hinge_loss, make_moons

        X, y = make_moons(n_samples=100, noise=0.1, seed=1)
        y = y * 2 - 1
        model = MLP(2, [16, 16, 1], seed=0)

        def step():
            scores = [model(row) for row in X]
            loss = hinge_loss(scores, y) + 1e-4 * sum_values(p * p for p in model.parameters())
            model.zero_grad()
            loss.backward()
            for p in model.parameters():
                p.data -= 0.1 * p.grad

        return step
    kind, size = path.split("-")
    rows = _leaves(max(2, int(size) // 7))
    if kind == "forward":
        return lambda: _wide(rows)
    root = _wide(rows)
    return root.backward


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", choices=PATHS)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args(argv)
    run = _setup(args.path)
    run()  # warm: the first run fills caches (tags, specialised bytecode)
    gc.collect()
    gc.disable()
    for _ in range(args.repeat):
        run()


if __name__ == "__main__":
    main()
