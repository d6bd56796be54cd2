"""Lesson: three things learners trip on: backward twice, a value used twice, zero_grad.

    python -m demos.accumulate --out out
"""

from __future__ import annotations

from autograd import Value, backward_steps
from autograd.extend import N_, tr
from demos._lesson import lesson_args, wrote

DESCRIPTION = N_("Lesson: three things learners trip on: backward twice, a value used twice, "
                 "zero_grad.")


def backward_twice() -> list[str]:
    lines = [tr("1. Calling backward() twice ADDS the gradient again (as in PyTorch).")]
    w, x = Value(3.0, label="w"), Value(2.0, label="x")
    y = w * x
    y.backward()
    lines.append(tr("   y = w*x with w=3, x=2; after one backward:  w.grad = {grad:g}  (= x)",
                    grad=w.grad))
    y.backward()
    lines.append(tr("   after a second backward:                 w.grad = {grad:g}  (2 * x!)",
                    grad=w.grad))
    w.grad = x.grad = 0.0
    y.backward()
    lines.append(tr("   reset w.grad = 0, backward again:        w.grad = {grad:g}", grad=w.grad))
    return lines


def used_twice() -> list[str]:
    lines = [tr("2. A value used on several paths collects the SUM of their gradients "
                "(+=, not =).")]
    a = Value(3.0, label="a")
    b = a * a
    b.label = "b"
    c = b + a
    c.label = "c"
    lines.append(tr("   c = a*a + a with a = 3: dc/da = 2a + 1 = 7; backward, step by step:"))
    for node, parent, local, contribution in backward_steps(c):
        lines.append(f"   {parent.label}.grad += {local:g} * {node.label}.grad({node.grad:g})"
                     f" = {contribution:+g}  ->  {parent.label}.grad = {parent.grad:g}")
    lines.append(tr("   a.grad = {grad:g}: three edges reach a (two from a*a, one from +a).",
                    grad=a.grad))
    lines.append(tr("   With '=' instead of '+=' only the last edge would count: a.grad would "
                    "be 3."))
    return lines


def forgetting_zero_grad(steps: int) -> list[str]:
    from nn import Neuron, mse_loss

    lines = [tr("3. In a training loop, zero the gradients before each backward (zero_grad).")]
    for reset in (True, False):
        neuron = Neuron(1, activation="linear")
        neuron.w[0].data, neuron.b.data = 0.0, 0.0
        for _ in range(steps):
            loss = mse_loss([neuron([1.0])], [2.0])
            if reset:
                neuron.zero_grad()
            loss.backward()
            for p in neuron.parameters():
                p.data -= 0.1 * p.grad
        outputs = neuron([1.0]).data
        lines.append(
            tr("   with zero_grad()   : after {steps} steps the neuron outputs {output:+.4f} "
               "(target 2)", steps=steps, output=outputs) if reset else
            tr("   without zero_grad(): after {steps} steps the neuron outputs {output:+.4f} "
               "(target 2)", steps=steps, output=outputs))
    lines.append(tr("   Without it each step uses the sum of all past gradients, and training "
                    "overshoots and oscillates."))
    return lines


def main(argv: list[str] | None = None) -> None:
    args = lesson_args(DESCRIPTION, argv)
    text = "\n\n".join("\n".join(part) for part in
                       (backward_twice(), used_twice(), forgetting_zero_grad(20)))
    print(text)
    path = args.out / "accumulate.txt"
    path.write_text(text + "\n", encoding="utf-8")
    print("\n" + wrote(path))


if __name__ == "__main__":
    main()
