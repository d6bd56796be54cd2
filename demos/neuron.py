"""Lesson: one tanh neuron, y = tanh(x1*w1 + x2*w2 + b): its graph, and explain for each input.

    python -m demos.neuron --out out
"""

from __future__ import annotations

from autograd import Value, explain, gradcheck
from autograd.extend import N_, tr
from demos._lesson import lesson_args, picture
from visualize import draw_dot, render

DESCRIPTION = N_("Lesson: one tanh neuron, y = tanh(x1*w1 + x2*w2 + b): its graph, and explain "
                 "for each input.")


def neuron(x1: Value, x2: Value, w1: Value, w2: Value, b: Value) -> Value:
    """The neuron written out op by op, so every step of the chain rule is one edge."""
    n = x1 * w1 + x2 * w2 + b
    n.label = "n"
    y = n.tanh()
    y.label = "y"
    return y


def main(argv: list[str] | None = None) -> None:
    args = lesson_args(DESCRIPTION, argv)
    inputs = {"x1": 2.0, "x2": 0.0, "w1": -3.0, "w2": 1.0, "b": 6.8813735870195432}
    values = {name: Value(v, label=name) for name, v in inputs.items()}
    y = neuron(**values)
    y.backward()
    print(tr("y = tanh(x1*w1 + x2*w2 + b) = {y:.6f}   (b is chosen so that tanh'(n) = 0.5)",
             y=y.data))
    print("\n".join(f"  ∂y/∂{name} = {v.grad:+.6f}" for name, v in values.items()))
    print("\n" + tr("explain, input by input (each path's local derivatives multiplied):"))
    for v in values.values():
        print(f"  {explain(y, v)}")
    report = gradcheck(neuron, list(values.values()))
    print("\n" + tr("the same gradients by central differences:") + f"\n{report}")
    params = [values[name] for name in ("w1", "w2", "b")]   # drawn blue; x1, x2 are inputs
    print("\n" + picture(lambda: render(draw_dot(y, params=params), args.out / "neuron.svg"),
                         tr("its graph")))


if __name__ == "__main__":
    main()
