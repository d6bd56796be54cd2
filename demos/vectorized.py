"""Lesson: the same gradients from the scalar engine and the text's vectorized equations.

    python -m demos.vectorized --out out

The scalar engine builds one node per number and walks the graph; VectorizedMLP computes
Z[l] = W[l] A[l-1] + b[l] for all samples at once (one per column) and runs a backward pass
derived by hand. Same weights, same batch: the gradients agree to rounding, and the matrix
version is orders of magnitude faster.
"""

from __future__ import annotations

import time

from autograd.extend import N_, tr
from demos._lesson import lesson_args, wrote
from nn import MLP, VectorizedMLP, compare_with_engine, make_seed_regression, mse_loss

DESCRIPTION = N_("Lesson: the same gradients from the scalar engine and the text's vectorized "
                 "equations.")


def seconds_per_call(fn, budget: float = 0.3) -> float:
    """Average time of ``fn()`` over as many calls as fit in ``budget`` seconds (at least 3)."""
    calls, start = 0, time.perf_counter()
    while calls < 3 or time.perf_counter() - start < budget:
        fn()
        calls += 1
    return (time.perf_counter() - start) / calls


def main(argv: list[str] | None = None) -> None:
    args = lesson_args(DESCRIPTION, argv)
    X, y = make_seed_regression(1000 if args.full else 100, seed=0)
    model = MLP(3, [4, 1], activation="sigmoid", output_activation="sigmoid", seed=0)
    Xc, Yc = X.T, y.reshape(1, -1)          # samples as columns, as in the text
    report = compare_with_engine(model, Xc, Yc)
    print(tr("{model}, a batch of {samples} samples", model=model, samples=len(X)))
    print(f"{report}\n")

    vm = VectorizedMLP.from_mlp(model)
    dW2, _ = vm.backward(Xc, Yc)[1]
    print(tr("∂L/∂W[2]_11: engine {engine:+.12f}, vectorized {vectorized:+.12f}",
             engine=model.layers[1].neurons[0].w[0].grad, vectorized=dW2[0, 0]))

    def scalar_step():
        loss = mse_loss([model(row) for row in X], list(y), half=True)
        model.zero_grad()
        loss.backward()

    t_scalar = seconds_per_call(scalar_step)
    t_vector = seconds_per_call(lambda: vm.backward(Xc, Yc))
    timing = tr("forward + backward on the batch: scalar engine {scalar:.3f} ms, "
                "VectorizedMLP {vectorized:.3f} ms ({ratio:.0f}x faster)",
                scalar=t_scalar * 1e3, vectorized=t_vector * 1e3, ratio=t_scalar / t_vector)
    print(timing)
    path = args.out / "vectorized.txt"
    path.write_text(f"{report}\n{timing}\n", encoding="utf-8")
    print(wrote(path))


if __name__ == "__main__":
    main()
