"""Lesson: sigmoid, ReLU and tanh, their derivatives, and the engine agreeing with the formulas.

    python -m demos.activations --out out

The reference text prints tanh as (e^z - e^z)/(e^z + e^z), which is 0 everywhere: a typo.
The right formula is tanh(z) = (e^z - e^-z)/(e^z + e^-z), with derivative 1 - tanh(z)^2.
"""

from __future__ import annotations

import math

from autograd import Value
from autograd.extend import N_, tr
from demos._lesson import lesson_args, pyplot, wrote

DESCRIPTION = N_("Lesson: sigmoid, ReLU and tanh, their derivatives, and the engine agreeing "
                 "with the formulas.")

# name -> (g(z) by its textbook formula, g'(z) by its textbook formula, the engine's method)
ACTIVATIONS = {
    "sigmoid": (lambda z: 1 / (1 + math.exp(-z)),
                lambda z: (1 / (1 + math.exp(-z))) * (1 - 1 / (1 + math.exp(-z))), "sigmoid"),
    "ReLU": (lambda z: max(z, 0.0), lambda z: 1.0 if z > 0 else 0.0, "relu"),
    "tanh": (lambda z: (math.exp(z) - math.exp(-z)) / (math.exp(z) + math.exp(-z)),
             lambda z: 1 - math.tanh(z) ** 2, "tanh"),
}


def engine_value_and_slope(method: str, z: float) -> tuple[float, float]:
    """g(z) and g'(z) from the autograd engine: forward, then backward."""
    x = Value(z)
    y = getattr(x, method)()
    y.backward()
    return y.data, x.grad


def main(argv: list[str] | None = None) -> None:
    args = lesson_args(DESCRIPTION, argv)
    print("z      " + "  ".join(f"{name:>8} {name + chr(39):>9}" for name in ACTIVATIONS))
    worst = 0.0
    for z in (-3.0, -1.0, -0.5, 0.5, 1.0, 3.0):
        cells = []
        for g, dg, method in ACTIVATIONS.values():
            value, slope = engine_value_and_slope(method, z)
            worst = max(worst, abs(value - g(z)), abs(slope - dg(z)))
            cells.append(f"{value:>8.4f} {slope:>9.4f}")
        print(f"{z:<6} " + "  ".join(cells))
    print(tr("largest difference between the engine and the formulas: {difference:.1e}",
             difference=worst))
    print(tr("ReLU has no derivative at z = 0; the engine uses 0 there (so does PyTorch)."))
    print(typo_note())

    path = args.out / "activations.png"
    plot(path)
    print(wrote(path))


def typo_note() -> str:
    """The reference text's tanh formula, taken as printed, next to the right one."""
    z = 1.0
    printed = (math.exp(z) - math.exp(z)) / (math.exp(z) + math.exp(z))
    right = (math.exp(z) - math.exp(-z)) / (math.exp(z) + math.exp(-z))
    return tr("A typo in the reference text: it prints tanh(z) = (e^z - e^z)/(e^z + e^z), which "
              "is 0 for every z (at z = 1 it gives {printed:g}). The right formula, used above, "
              "is (e^z - e^-z)/(e^z + e^-z): {right:.4f} at z = 1, as the engine's tanh gives "
              "{engine:.4f}.", printed=printed, right=right, engine=math.tanh(z))


def plot(path, dpi: int = 150):
    """Plot each activation and its derivative from the engine; returns the figure.

    ReLU' jumps at 0, so no line joins 0 and 1: a filled dot marks the value the engine takes
    at 0, an open one the value it does not.
    """
    plt = pyplot()
    zs = [i / 50 for i in range(-250, 251)]
    fig, axes = plt.subplots(1, 3, figsize=(12, 3.6))
    for ax, (name, (_, _, method)) in zip(axes, ACTIVATIONS.items()):
        values, slopes = zip(*(engine_value_and_slope(method, z) for z in zs))
        ax.plot(zs, values, label=f"{name}(z)")
        if name == "ReLU":
            left = [(z, s) for z, s in zip(zs, slopes) if z < 0]
            right = [(z, s) for z, s in zip(zs, slopes) if z > 0]
            ax.plot(*zip(*left), "--", color="C1", label=f"{name}'(z)")
            ax.plot(*zip(*right), "--", color="C1")
            at_zero = engine_value_and_slope(method, 0.0)[1]
            ax.plot([0], [at_zero], "o", color="C1", ms=6)                       # taken
            ax.plot([0], [1.0 - at_zero], "o", mfc="white", mec="C1", ms=6)      # not taken
            ax.set_ylim(-0.3, 2.2)   # ReLU' (0 or 1) fills half the panel; ReLU leaves at z = 2.2
        else:
            ax.plot(zs, slopes, "--", label=f"{name}'(z)")
        ax.axhline(0, color="grey", lw=0.5)
        ax.axvline(0, color="grey", lw=0.5)
        ax.set_title(name)
        ax.set_xlabel("z")
        ax.set_ylabel(tr("g(z) and g'(z)"))
        ax.legend(loc="upper left")
    fig.tight_layout()
    fig.savefig(path, dpi=dpi)
    return fig


if __name__ == "__main__":
    main()
