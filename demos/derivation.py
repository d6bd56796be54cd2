"""Lesson: check a derivation by hand, the way the reference text writes it.

    python -m demos.derivation --out out

1. The text's 3-4-1 sigmoid network on one sample, L = ½(ŷ - y)², every value labelled as the
   text names it (W[2]_11, z[1]_1, a[1]_1, x_2, y).
2. The text's two chain-rule results typed as formulas (a label is written without its
   brackets: W[2]_11 -> W2_11) and checked: at the current values, at 20 random points, and
   by SymPy.
3. Three slips a person makes in ∂L/∂W[1]_21 (g'(z[1]_1) left out, the sign flipped, the ½
   forgotten) and what the checker says about each.
4. σ' = σ(1 - σ), tanh' = 1 - tanh², ReLU' = step, derived by SymPy from the functions'
   definitions, next to the engine's numbers.

Writes derivation.md: the same checks, and explain's symbolic chain, as Markdown.
"""

from __future__ import annotations

from autograd import Value, check_derivative, derivative, explain
from autograd.checks.symbolic import sympy_module, to_text
from autograd.extend import N_, labels, tr
from demos._lesson import lesson_args, wrote
from nn import MLP, make_seed_regression

DESCRIPTION = N_("Lesson: check a derivation by hand, the way the reference text writes it.")

G1 = "sigmoid(z1_1)*(1 - sigmoid(z1_1))"  # g'(z[1]_1) = g(z)(1 - g(z)) for the sigmoid
G2 = "sigmoid(z2_1)*(1 - sigmoid(z2_1))"  # g'(z[2])
RIGHT = {
    "W[2]_11": f"(a2_1 - y) * {G2} * a1_1",
    "W[1]_21": f"(a2_1 - y) * {G2} * W2_11 * {G1} * x_2",
}
SLIPS = [  # (what went wrong, the formula with that slip), all for ∂L/∂W[1]_21
    (N_("g'(z[1]_1) left out"), f"(a2_1 - y) * {G2} * W2_11 * x_2"),
    (N_("the sign flipped: y - ŷ for ŷ - y"), f"(y - a2_1) * {G2} * W2_11 * {G1} * x_2"),
    (N_("the ½ forgotten: d/dŷ (ŷ - y)² = 2(ŷ - y)"),
     f"2*(a2_1 - y) * {G2} * W2_11 * {G1} * x_2"),
]


def seed_sample() -> tuple[MLP, Value, dict[str, Value]]:
    """The network, its loss on the first sample of the seed's data, and the weights by label."""
    X, Y = make_seed_regression(10, seed=0)
    model = MLP(3, [4, 1], activation="sigmoid", output_activation="sigmoid", seed=0)
    x = [Value(float(v), label=labels.data_input(j)) for j, v in enumerate(X[0], start=1)]
    y = Value(float(Y[0]), label="y")
    L = 0.5 * (model(x) - y) ** 2
    L.label = "L"
    weights = {w.label: w for w in model.parameters()}
    return model, L, weights


def activation_derivatives() -> list[str]:
    """Each activation's derivative by SymPy, from its definition, and the engine's numbers."""
    sp = sympy_module()
    s = sp.Symbol("z", real=True)
    definitions = {  # name: (the engine's method, the textbook definition)
        "σ": ("sigmoid", 1 / (1 + sp.exp(-s))),
        "tanh": ("tanh", (sp.exp(s) - sp.exp(-s)) / (sp.exp(s) + sp.exp(-s))),
        "ReLU": ("relu", sp.Max(s, 0)),
    }
    lines = [tr("the activations' derivatives, by SymPy (z a symbol) and by the engine "
                "(numbers):")]
    for name, (method, definition) in definitions.items():
        z = Value(0.5, label="z")
        d = derivative(getattr(z, method)(), z)  # from the op's SymPy form in autograd.core.ops
        from_definition = sp.diff(definition, s)
        same = sp.simplify((from_definition - d).rewrite(sp.exp)) == 0
        found = dict(name=name, derivative=to_text(d), definition=to_text(definition),
                     derived=to_text(sp.factor(sp.cancel(from_definition))))
        lines.append(tr("  {name}'(z) = {derivative};  from {name}(z) = {definition}: "
                        "{derived}, the same", **found) if same else
                     tr("  {name}'(z) = {derivative};  from {name}(z) = {definition}: "
                        "{derived}, NOT the same", **found))
        for v in (-2.0, -0.5, 0.5, 2.0):
            point = Value(v)
            getattr(point, method)().backward()
            lines.append(tr("    z = {z:+.1f}:  SymPy {sympy:.12f}   engine {engine:.12f}",
                            z=v, sympy=float(d.subs(s, v)), engine=point.grad))
    lines.append(tr("  ReLU' is the step function (SymPy's Heaviside): 1 for z > 0, 0 for z < 0; "
                    "at z = 0 the engine uses 0, SymPy ½."))
    return lines


def main(argv: list[str] | None = None) -> None:
    args = lesson_args(DESCRIPTION, argv)
    _, L, weights = seed_sample()
    text, markdown = [], [tr("# Checking the reference text's derivations"), ""]
    text.append(tr("the text's two derivations, typed as formulas:"))
    for label, formula in RIGHT.items():
        report = check_derivative(formula, L, weights[label])
        text += [str(report), ""]
        markdown += [f"## ∂L/∂{label}", "", "```text", str(report), "```", ""]
    w = weights["W[1]_21"]
    text.append(tr("three slips in ∂L/∂W[1]_21, and the checker's diagnosis:"))
    markdown += [tr("## Three slips in ∂L/∂W[1]_21"), ""]
    for what, formula in SLIPS:
        report = check_derivative(formula, L, w)
        text += [tr("  {slip}:", slip=tr(what)), f"    {formula}", f"    -> {report.verdict}"]
        markdown += [tr("- {slip}: `{formula}`", slip=tr(what), formula=formula),
                     f"  - {report.verdict}"]
    chain = explain(L, w, compact=True, symbolic=True)
    text += ["", tr("explain, symbolic: each factor of the chain as a formula and a number:"),
             str(chain), ""]
    markdown += ["", tr("## The chain, factor by factor"), "", chain.to_markdown(), ""]
    text += activation_derivatives()
    path = args.out / "derivation.md"
    path.write_text("\n".join(markdown) + "\n", encoding="utf-8")
    print("\n".join(text))
    print(wrote(path))


if __name__ == "__main__":
    main()
