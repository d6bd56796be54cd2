"""check_vectorized: is a vectorized formula for a gradient right, and if not, which slip is it?

The formula (``nn.vformula``: parsed against a whitelist, never eval'd) is computed at your
weights and batch, and at several random batches with moved weights, and compared with the
gradient :meth:`VectorizedMLP.backward` derives by hand for the batch mean of ½(ŷ - y)².

When it is wrong, the checker looks for the usual slips: first the shapes (worked out before
any number is computed), then a constant ratio to the truth (the sign, a factor, the 1/m),
then one change to the formula that makes it right (a transpose, the axis of a sum, @ for *,
the order of a product, g for g', a layer number, a missing or extra factor), each tried with
the numbers of the random batches.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from autograd.extend import N_, in_own_language, language, listed, sentences, tr
from autograd.extend import table as aligned
from nn.vectorized import VectorizedMLP
from nn.vformula import (
    PRIMES,
    FormulaError,
    Node,
    ShapeProblem,
    evaluate,
    parse_vectorized,
    replace,
    shape_of,
    to_text,
    walk,
)

__all__ = ["check_vectorized", "VectorizedCheck", "BatchCheck", "Slip", "KINDS", "RTOL"]

RTOL = 1e-8   # an entry agrees when |F - D| <= RTOL·(|D| + S), S its terms' sizes; no atol
_FIT = 1e-6   # relative spread allowed when a ratio counts as constant
_REPAIR_NODES = 60   # larger formulas get only the whole-formula repairs

KINDS = {
    "shape": "the result's shape is not the gradient's, or a step cannot be computed",
    "transpose": "the transpose of the right answer, or one operand needs (or has one too "
                 "many) .T",
    "order": "the operands of a matrix product are in the wrong order",
    "product": "@ where the product is entry by entry (*), or the other way round",
    "axis": "a sum over the wrong axis",
    "missing_sum": "the columns (one per sample) are not added up",
    "missing_mean": "off by a factor of m: the 1/m of the batch mean is missing",
    "extra_mean": "off by a factor of 1/m: divided by m once too often",
    "constant_m": "the batch size written as a number instead of m",
    "sign": "the sign is flipped",
    "scale": "off by a constant factor (2 when the ½ of ½(ŷ - y)² is lost)",
    "missing_factor": "a factor of the chain is missing (g'(Z), or W.T)",
    "extra_factor": "a factor that does not belong",
    "activation": "the wrong function of Z: g for g', another activation's derivative, or "
                  "g' taken at A",
    "layer": "a name from the wrong layer (A1 for A0, say)",
    "coincidence": "right at your batch only",
    "undefined": "inf or nan (the log of a number <= 0, a division by 0)",
    "wrong": "none of the above explains the difference",
}

# Whole sentences a person reads, shown with autograd's tr in the reader's language; the
# bad_* ones refuse how a program called check_vectorized: English, as the library's other
# exceptions (docs/languages.md).
MESSAGES = {
    "right": N_("Right: {formula} is {head} at your batch and at {n} random batches."),
    "not": N_("Your formula is not {head}."),
    "result_shape": N_("Your result is {got} but {head} is {want}."),
    "result_number": N_("Your result is a single number but {head} is {want}."),
    "only_your_sizes": N_("Your formula can be computed at your batch only because of its "
                          "sizes; at a batch of m = {m} samples it cannot."),
    "transpose_shape": N_("Your result is {got} but {head} is {want}: it is the transpose of "
                          "the right answer."),
    "transpose_same": N_("Your result is the transpose of {head}."),
    "missing_sum": N_("Your result is {got}, one column per sample, but {head} is {want}: add "
                      "up the columns with sum(..., axis=1)."),
    "axis_0": N_("{part} adds up each column, one number per sample; {head} adds up each row, "
                 "one number per neuron: use axis=1."),
    "axis_1": N_("{part} adds up each row, one number per neuron; {head} adds up each column: use "
                 "axis=0."),
    "to_elementwise": N_("{part} should be entry by entry: {fixed}."),
    "to_matmul": N_("{part} should be a matrix product: {fixed}."),
    "order": N_("The operands of {part} are in the wrong order (matrix products do not "
                "commute): {fixed}."),
    "transpose_part": N_("{part} needs a transpose here: {fixed}."),
    "untranspose_part": N_("{part} should not be transposed here: {fixed}."),
    "g_for_gprime": N_("{part} is the activation itself; the chain rule needs its derivative: "
                       "{fixed}."),
    "other_prime": N_("{part} is the derivative of another activation; this network needs "
                      "{fixed}."),
    "prime_of_a": N_("{part} takes the derivative at the activation; g′ is taken at the "
                     "weighted sum: {fixed}."),
    "layer": N_("{part} is from the wrong layer here: {fixed}."),
    "constant_m": N_("You wrote {number} for the batch size: write m, so that the formula holds "
                     "for every batch."),
    "missing_g": N_("A factor is missing: g′(Z{l}) = {prime}(Z{l}), entry by entry with {part}."),
    "missing_w": N_("A factor is missing: {part} must be multiplied by W{l}.T on the left."),
    "extra_factor": N_("{factor} does not belong in {part}: {fixed}."),
    "sign_alone": N_("The sign is flipped: your result is -{head}."),
    "sign": N_("The sign is flipped."),
    "missing_mean": N_("Off by a factor of m = {m}: the 1/m of the batch mean is missing."),
    "extra_mean": N_("Off by a factor of 1/m = 1/{m}: the formula divides by m once too often."),
    "extra_mean_given": N_("Off by a factor of 1/m = 1/{m}: {given} already holds the 1/m of "
                           "the batch mean."),
    "scale_two": N_("Off by a factor of 2: the ½ of ½(ŷ - y)² cancels the 2 that comes down "
                    "from the square."),
    "scale_up": N_("Off by a factor of {k}: your result is {k} times too large."),
    "scale_down": N_("Off by a factor of {k}: your result is {k} times too small."),
    "close": N_("Your result is close to {head} but not equal: the largest relative difference "
                "is {rel:.1e}."),
    "coincidence": N_("Your formula matches at your batch but not at {bad} of {n} random "
                      "batches: it is right there by coincidence."),
    "undefined": N_("Your formula gives inf or nan at {bad} of {n} batches (the log of a number "
                    "<= 0, or a division by 0)."),
    "wrong": N_("No single usual slip explains the difference (a transpose, the axis of a sum, a "
                "factor g′(Z), the 1/m, the sign, a layer number); the largest difference is "
                "{diff:.3g}."),
    "unknown_one": N_("{name} is not a name of this network; its names are: {names}."),
    "unknown_many": N_("{name} are not names of this network; its names are: {names}."),
    "own_gradient": N_("{name} is the gradient the formula is asked for, so it cannot be part "
                       "of the answer."),
    "not_given": N_("{name} is not given in this check; the gradients you may use are: {given}."),
    "none_given": N_("{name} is not given in this check: write the gradient from the values of "
                     "the forward pass."),
    "bad_wrt": "check_vectorized: wrt must name a parameter or a value of this network ({names}),"
               " got {wrt!r}.",
    "bad_given": "check_vectorized: given may hold only gradients of this network ({names}), "
                 "got {name!r}.",
    "bad_model": "check_vectorized: model must be a VectorizedMLP or an nn.MLP, got {type}.",
    "bad_batches": "check_vectorized: batches must be an int >= 2, got {batches!r}.",
    "bad_empty_batch": "check_vectorized: X must hold at least one sample (one per column).",
    "bad_not_finite": "check_vectorized: {name} holds nan or inf.",
    "bad_rtol": "check_vectorized: rtol must be a number in (0, 1e-3], got {rtol!r}.",
}


# TRANSLATORS: check_vectorized's table: the formula agrees at this batch, or not
_STATUS = {True: N_("ok"), False: N_("FAIL")}


@dataclass(frozen=True)
class Slip:
    """One diagnosis: its ``kinds`` (from ``KINDS``) and a sentence naming the slip."""

    kinds: tuple[str, ...]
    message: str


@dataclass(frozen=True)
class BatchCheck:
    """The formula at one batch: ``shape`` is None where it cannot be computed,
    ``max_difference`` None where the shapes differ."""

    name: str
    m: int
    shape: tuple | None
    truth_shape: tuple
    ok: bool
    max_difference: float | None


@dataclass
class VectorizedCheck:
    """The result of :func:`check_vectorized`: truthy when right; prints as a table and a
    verdict, and shows as HTML or Markdown in a notebook.

    Attributes:
        formula: the formula as given.
        wrt: the name whose gradient it claims to be (``"W2"``).
        head: what it was checked against (``"∂L/∂W2"``).
        batches: your batch first, then the random ones.
        diagnoses: the slips found, most telling first (empty when right).
        rtol: the tolerance (see :data:`RTOL`).
    """

    formula: str
    wrt: str
    head: str
    batches: list[BatchCheck]
    diagnoses: list[Slip]
    rtol: float
    language: str = field(default_factory=language, repr=False, compare=False)   # its text's

    @property
    def ok(self) -> bool:
        return all(b.ok for b in self.batches)

    def __bool__(self) -> bool:
        return self.ok

    @property
    def kinds(self) -> list[str]:
        """The slips' kinds, in order, each once (see ``KINDS``)."""
        return list(dict.fromkeys(k for slip in self.diagnoses for k in slip.kinds))

    @property
    def shape(self) -> tuple | None:
        """The formula's shape at your batch (None: it cannot be computed there)."""
        return self.batches[0].shape

    @property
    def truth_shape(self) -> tuple:
        """The gradient's shape at your batch."""
        return self.batches[0].truth_shape

    @property
    def max_difference(self) -> float | None:
        """The largest |formula - gradient| over the batches where the shapes agree."""
        diffs = [b.max_difference for b in self.batches if b.max_difference is not None]
        return max(diffs) if diffs else None

    @property
    @in_own_language
    def verdict(self) -> str:
        """Whole sentences: right, or not and why."""
        if self.ok:
            return tr(MESSAGES["right"], formula=self.formula.strip(), head=self.head,
                      n=len(self.batches) - 1)
        return sentences([tr(MESSAGES["not"], head=self.head)]
                         + [slip.message for slip in self.diagnoses])

    @in_own_language
    def _rows(self) -> list[tuple[str, ...]]:
        head = (tr("batch"), "m", tr("your shape"), tr("true shape"),
                tr("largest |difference|"), "")
        body = [(tr("your batch") if k == 0 else tr("random batch {k}", k=k), str(b.m),
                 "-" if b.shape is None else str(b.shape), str(b.truth_shape),
                 "-" if b.max_difference is None else f"{b.max_difference:.2e}",
                 tr(_STATUS[b.ok])) for k, b in enumerate(self.batches)]
        return [head, *body]

    def __str__(self) -> str:
        rows = self._rows()
        return "\n".join([f"{self.head} =? {self.formula.strip()}",
                          *aligned(rows, left=len(rows[0])), self.verdict])

    def _repr_markdown_(self) -> str:
        rows = self._rows()
        table = ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |"
                 for row in rows]
        table.insert(1, "|" + "---|" * len(rows[0]))
        mark = "✅" if self.ok else "❌"
        return "\n".join([f"**{mark} {self.verdict}**", "",
                          f"`{self.head} =? {self.formula.strip()}`", "", *table])

    def _repr_html_(self) -> str:
        return html_report(self.ok, self.verdict, f"{self.head} =? {self.formula.strip()}",
                           self._rows())


def html_report(ok: bool, verdict: str, title: str, rows: Sequence[Sequence[str]]) -> str:
    """A verdict in colour over a small table, everything escaped."""
    colour = "#1a7f37" if ok else "#cf222e"
    cells = "".join(
        "<tr>" + "".join(f"<{tag} style='padding:2px 8px'>{html.escape(c)}</{tag}>"
                         for c in row) + "</tr>"
        for tag, row in [("th", rows[0])] + [("td", r) for r in rows[1:]])
    table = f"<table>{cells}</table>" if len(rows) > 1 else ""
    return (f"<div><p style='color:{colour};font-weight:bold'>{html.escape(verdict)}</p>"
            f"<p><code>{html.escape(title)}</code></p>{table}</div>")


# ------------------------------------------------------------------------------ the check

def _checked_batch(vm: VectorizedMLP, X, Y, batches, rtol) -> tuple[np.ndarray, np.ndarray]:
    """X and Y as arrays, after refusing a bad batch count, tolerance, shape or number."""
    if isinstance(batches, bool) or not isinstance(batches, int) or batches < 2:
        raise ValueError(MESSAGES["bad_batches"].format(batches=batches))
    if isinstance(rtol, bool) or not isinstance(rtol, (int, float)) or not 0 < rtol <= 1e-3:
        raise ValueError(MESSAGES["bad_rtol"].format(rtol=rtol))
    X = vm._check_x(X)
    Y = vm._check_y(Y, X.shape[1])
    if X.shape[1] == 0:
        raise ValueError(MESSAGES["bad_empty_batch"])
    for name, array in [("X", X), ("Y", Y)] + [(f"W{l}", W) for l, W in enumerate(vm.W, 1)] \
            + [(f"b{l}", b) for l, b in enumerate(vm.b, 1)]:
        if not np.all(np.isfinite(array)):
            raise ValueError(MESSAGES["bad_not_finite"].format(name=name))
    return X, Y


def check_vectorized(formula: str, model, X, Y, wrt: str, *, given: Iterable[str] | None = None,
                     batches: int = 5, seed: int = 0, rtol: float = RTOL) -> VectorizedCheck:
    """Check a vectorized formula for a gradient of the text's network, and name the slip.

    The loss is the one :meth:`VectorizedMLP.backward` uses: the batch mean of ½(ŷ - y)²,
    L = (1/m) Σ_i ½ ‖ŷ(i) - y(i)‖², so ``dA[L] = (A[L] - Y)/m``.

    Args:
        formula: e.g. ``"dZ2 @ A1.T"``. Names: ``W1, b1, Z1, A1, W2, ...`` (the layer number
            after the letter), ``X`` (also ``A0``), ``Y``, ``m`` (the batch size), and the true
            gradients ``dZ1, dA1, dZ2, dA2, ..., dA0``. Operators ``+ - * / @``, ``**`` with a
            number, ``.T``; ``sum(M, axis=0|1)`` keeps dimensions; ``exp log tanh sigmoid
            relu`` and ``sigmoid_prime tanh_prime relu_prime`` work entry by entry.
        model: a :class:`VectorizedMLP`, or an ``nn.MLP`` (its weights are copied).
        X: the batch, shape (nin, m), one sample per column.
        Y: the targets, shape (nout, m) (or (m,) for one output).
        wrt: the name whose gradient the formula claims to be: ``"W2"``, ``"b1"``, ``"Z1"``,
            ``"A1"``, ``"X"``, ...
        given: the gradients the formula may use (default: every ``dZ``/``dA`` except the
            one asked for).
        batches: how many random batches besides yours (weights moved by up to a quarter of
            1 + |w|, batch sizes that differ from every layer size).
        seed: for the random batches (the same seed gives the same report).
        rtol: an entry agrees when |F - D| <= rtol·(|D| + S), where S is the same sums and
            products taken of absolute values (the size of the terms that make up D). There
            is no absolute tolerance: when the terms are tiny so is the allowance, so twice a
            tiny gradient still fails.

    Returns:
        A :class:`VectorizedCheck`: ``.ok``, ``.kinds``, ``.shape``, ``.truth_shape``,
        ``.max_difference``, ``.verdict``. Shapes that do not fit are a report of kind
        "shape" naming both shapes, never a NumPy error.

    Raises:
        FormulaError (a ValueError): the formula is not on the whitelist, or uses a name the
            network does not have or that is not given; nothing has run.
        ValueError, TypeError: a bad model, batch, wrt, given, batches or rtol.
    """
    tree, used = parse_vectorized(formula)   # refusals come before anything runs
    vm = _as_vectorized(model)
    X, Y = _checked_batch(vm, X, Y, batches, rtol)
    layers = len(vm.W)
    target = _target(wrt, layers)
    allowed = _given(given, layers, target)
    _check_names(used, layers, target, allowed)
    rng = np.random.default_rng(seed)
    points = [_Point("your batch", vm, X, Y)]
    points += [_Point(f"random {k}", *_random_batch(vm, X, Y, m, rng))
               for k, m in enumerate(_batch_sizes(vm, batches, rng), start=1)]
    return _Check(formula, tree, target, points, rtol, allowed, vm.activations).report()


def _as_vectorized(model) -> VectorizedMLP:
    if isinstance(model, VectorizedMLP):
        return model
    if hasattr(model, "layers") and hasattr(model, "parameters"):
        return VectorizedMLP.from_mlp(model)
    raise TypeError(MESSAGES["bad_model"].format(type=type(model).__name__))


_LAYERED = re.compile(r"(W|b|Z|A|dZ|dA)(\d+)")


def _layer_names(layers: int) -> list[str]:
    names = ["X", "Y", "m"] + [f"A{l}" for l in range(layers + 1)]
    for l in range(1, layers + 1):
        names += [f"W{l}", f"b{l}", f"Z{l}"]
    return names


def _gradient_names(layers: int) -> list[str]:
    return [f"dA{l}" for l in range(layers + 1)] + [f"dZ{l}" for l in range(1, layers + 1)]


def _target(wrt: str, layers: int) -> str:
    """wrt as the name of a value: X is A0."""
    choices = [n for n in _layer_names(layers) if n not in ("Y", "m")]
    if not isinstance(wrt, str) or wrt not in choices:
        raise ValueError(MESSAGES["bad_wrt"].format(names=", ".join(choices), wrt=wrt))
    return "A0" if wrt == "X" else wrt


def _given(given, layers: int, target: str) -> list[str]:
    grads = _gradient_names(layers)
    own = "d" + target
    if given is None:
        return [g for g in grads if g != own]
    given = [given] if isinstance(given, str) else list(given)
    for name in given:
        if name not in grads or name == own:
            raise ValueError(MESSAGES["bad_given"].format(
                names=", ".join(g for g in grads if g != own), name=name))
    return given


def _check_names(used: list[str], layers: int, target: str, allowed: list[str]) -> None:
    known = _layer_names(layers) + _gradient_names(layers)
    unknown = [n for n in used if n not in known]
    if unknown:
        key = "unknown_one" if len(unknown) == 1 else "unknown_many"
        raise FormulaError(tr(MESSAGES[key], name=listed(unknown),
                                                names=listed(known)))
    for name in used:
        if name in _gradient_names(layers) and name not in allowed:
            if name == "d" + target:
                raise FormulaError(tr(MESSAGES["own_gradient"], name=name))
            key = "not_given" if allowed else "none_given"
            raise FormulaError(tr(MESSAGES[key], name=name, given=listed(allowed)))


def _batch_sizes(vm: VectorizedMLP, n: int, rng: np.random.Generator) -> list[int]:
    """n distinct batch sizes >= 2 that equal no layer size, so no shape fits by chance."""
    sizes = set(vm.sizes)
    pool = [k for k in range(2, 2 * n + len(sizes) + 12) if k not in sizes][:max(12, n)]
    return [int(k) for k in rng.choice(pool, size=n, replace=False)]


def _random_batch(vm: VectorizedMLP, X: np.ndarray, Y: np.ndarray, m: int,
                  rng: np.random.Generator) -> tuple:
    def moved(P):
        return P + rng.uniform(-0.25, 0.25, P.shape) * (1.0 + np.abs(P))

    net = VectorizedMLP([moved(W) for W in vm.W], [moved(b) for b in vm.b], vm.activations)
    scale = max(1.0, float(np.abs(X).max()))
    lo, hi = float(Y.min()), float(Y.max())
    if hi - lo < 1e-12:
        lo, hi = lo - 0.5, hi + 0.5
    return (net, rng.uniform(-scale, scale, (X.shape[0], m)),
            rng.uniform(lo, hi, (Y.shape[0], m)))


class _Point:
    """One batch: every name's value, every gradient, and the size of each gradient's terms."""

    def __init__(self, name: str, vm: VectorizedMLP, X: np.ndarray, Y: np.ndarray):
        self.name, self.m = name, X.shape[1]
        p = vm.passes(X, Y)
        layers = len(vm.W)
        values = {"X": X, "Y": Y, "m": float(self.m)}
        truth, size = {}, {}
        for l in range(layers + 1):
            values[f"A{l}"], values[f"dA{l}"] = p.A[l], p.dA[l]
            truth[f"A{l}"] = p.dA[l]
        size[f"A{layers}"] = (np.abs(p.A[-1]) + np.abs(Y)) / self.m
        for l in range(layers, 0, -1):
            values.update({f"W{l}": vm.W[l - 1], f"b{l}": vm.b[l - 1], f"Z{l}": p.Z[l - 1],
                           f"dZ{l}": p.dZ[l - 1]})
            truth.update({f"W{l}": p.dW[l - 1], f"b{l}": p.db[l - 1], f"Z{l}": p.dZ[l - 1]})
            dz = size[f"A{l}"] * np.abs(p.gprime[l - 1])
            size[f"Z{l}"] = dz
            size[f"W{l}"] = dz @ np.abs(p.A[l - 1]).T
            size[f"b{l}"] = dz.sum(axis=1, keepdims=True)
            size[f"A{l - 1}"] = np.abs(vm.W[l - 1]).T @ dz
        self.values, self.truth, self.size = values, truth, size
        self.shapes = {k: np.shape(v) for k, v in values.items()}
        largest = max(np.size(v) for v in values.values())
        self.limit = max(1_000_000, 4 * largest)
        self.flops = 50 * self.limit

    def run(self, tree: Node) -> tuple[np.ndarray | None, tuple | None, ShapeProblem | None]:
        """(value, shape, None), or (None, None, the problem) when it cannot be computed."""
        try:
            shape = shape_of(tree, self.shapes, self.limit, self.flops)
        except ShapeProblem as problem:
            return None, None, problem
        return np.asarray(evaluate(tree, self.values), dtype=float), shape, None


class _Check:
    def __init__(self, formula: str, tree: Node, target: str, points: list[_Point],
                 rtol: float, given: list[str], activations: list[str]):
        self.formula, self.tree, self.target, self.points = formula, tree, target, points
        self.rtol, self.given, self.activations = rtol, given, activations
        self.head = f"∂L/∂{'X' if target == 'A0' else target}"
        self.runs = [p.run(tree) for p in points]

    def agrees(self, point: _Point, value: np.ndarray) -> bool:
        D, S = point.truth[self.target], point.size[self.target]
        return value.shape == D.shape and bool(
            np.all(np.abs(value - D) <= self.rtol * (np.abs(D) + S)))

    def report(self) -> VectorizedCheck:
        rows = []
        for point, (value, shape, _) in zip(self.points, self.runs):
            D = point.truth[self.target]
            same = shape is not None and tuple(shape) == D.shape
            diff = float(np.max(np.abs(value - D))) if same else None
            ok = same and self.agrees(point, value)
            rows.append(BatchCheck(point.name, point.m, None if shape is None else tuple(shape),
                                   D.shape, ok, diff))
        slips = [] if all(r.ok for r in rows) else self.diagnose(rows)
        return VectorizedCheck(self.formula, "X" if self.target == "A0" else self.target,
                               self.head, rows, slips, self.rtol)

    # ---------------------------------------------------------------------- diagnosis

    def diagnose(self, rows: list[BatchCheck]) -> list[Slip]:
        problems = [k for k, (_, _, problem) in enumerate(self.runs) if problem is not None]
        if problems:
            k = problems[0]
            slips = [] if k == 0 else [Slip(("shape",), tr(MESSAGES["only_your_sizes"],
                m=self.points[k].m))]
            slips.append(Slip(("shape",), self.runs[k][2].message))
            return slips + (self.repair(allow_identity=False) or [])
        wrong_shape = [r for r in rows if r.shape != r.truth_shape]
        if wrong_shape:
            r = wrong_shape[0]
            fix = self.repair(allow_identity=False)
            if fix and "shape" in fix[0].kinds:
                return fix   # the repair's first sentence says the shapes
            key = "result_number" if r.shape == () else "result_shape"
            return [Slip(("shape",), tr(MESSAGES[key],
                got=r.shape, head=self.head, want=r.truth_shape))] + (fix or [])
        slips = []
        n = len(rows) - 1
        if rows[0].ok:
            bad = sum(1 for r in rows[1:] if not r.ok)
            slips.append(Slip(("coincidence",), tr(MESSAGES["coincidence"], bad=bad, n=n)))
        infinite = sum(1 for value, _, _ in self.runs if not np.all(np.isfinite(value)))
        if infinite:
            return slips + [Slip(("undefined",), tr(MESSAGES["undefined"],
                bad=infinite, n=len(rows)))]
        fix = self.repair(allow_identity=True)
        if fix is not None:
            return slips + fix
        diff = max(r.max_difference for r in rows)
        return slips + [Slip(("wrong",), tr(MESSAGES["wrong"], diff=diff))]

    def repair(self, allow_identity: bool) -> list[Slip] | None:
        """The slips of the first candidate change that makes the formula a constant (or
        m-power) multiple of the truth at every batch; None when none does."""
        random_points = self.points[1:]
        for tree, slip in self.candidates(allow_identity):
            values = []
            for point in random_points:
                value, shape, problem = point.run(tree)
                if problem is not None or tuple(shape) != point.truth[self.target].shape:
                    break
                values.append(value)
            else:
                value, shape, problem = self.points[0].run(tree)
                if problem is not None or tuple(shape) != self.points[0].truth[
                        self.target].shape:
                    continue
                fit = self.fit([value] + values, tree)
                if fit is None or (fit and slip and "constant_m" in slip.kinds):
                    continue
                if slip is None and not fit:   # agrees to 1e-6 but not to rtol
                    return [Slip(("wrong",), tr(MESSAGES["close"],
                        head=self.head, rel=self.relative(value)))]
                return ([slip] if slip else []) + fit
        return None

    def relative(self, value: np.ndarray) -> float:
        D = self.points[0].truth[self.target]
        return float(np.max(np.abs(value - D)) / max(float(np.max(np.abs(D))), 1e-300))

    def fit(self, values: list[np.ndarray], tree: Node) -> list[Slip] | None:
        """F = k·m^e·D at every batch, with k constant and e in (0, 1, -1): the slips it
        means (sign, 1/m missing or doubled, a factor); None when there is no such k."""
        ratios = []
        for point, F in zip(self.points, values):
            D, S = point.truth[self.target], point.size[self.target]
            ff = float(np.vdot(F, F))
            if not (ff > 0 and math.isfinite(ff)):
                return None
            c = float(np.vdot(F, D)) / ff
            if c == 0 or not np.all(np.abs(c * F - D) <= _FIT * (np.abs(D) + S)):
                return None
            ratios.append(1.0 / c)
        ms = [p.m for p in self.points]
        for e in (0, 1, -1):
            q = [t / m ** e for t, m in zip(ratios, ms)]
            k = float(np.median(q))
            if all(abs(x - k) <= _FIT * abs(k) for x in q):
                return self.scalar_slips(k, e, tree)
        return None

    def scalar_slips(self, k: float, e: int, tree: Node) -> list[Slip]:
        slips = []
        alone = e == 0 and _near(abs(k), 1.0)
        if k < 0:
            slips.append(Slip(("sign",), tr(MESSAGES["sign_alone" if alone else "sign"],
                head=self.head)))
        m = self.points[0].m
        if e == 1:
            slips.append(Slip(("missing_mean",), tr(MESSAGES["missing_mean"], m=m)))
        elif e == -1:
            used = [n.value for _, n in walk(tree) if n.op == "name" and n.value in self.given]
            key = "extra_mean_given" if used else "extra_mean"
            slips.append(Slip(("extra_mean",), tr(MESSAGES[key],
                m=m, given=used[0] if used else "")))
        if not _near(abs(k), 1.0):
            if _near(abs(k), 2.0):
                slips.append(Slip(("scale",), tr(MESSAGES["scale_two"])))
            else:
                key = "scale_up" if abs(k) > 1 else "scale_down"
                slips.append(Slip(("scale",), tr(MESSAGES[key],
                    k=_factor_text(abs(k) if abs(k) > 1 else 1 / abs(k)))))
        return slips

    # --------------------------------------------------------------------- candidates

    def candidates(self, allow_identity: bool) -> Iterator[tuple[Node, Slip | None]]:
        """(changed formula, the slip it means), most common slips first."""
        tree, head, point = self.tree, self.head, self.points[0]
        want = point.truth[self.target].shape
        got = self.runs[0][1]
        nodes = list(walk(tree))
        for path, node in nodes:   # before the ratios: 10 for m = 10 looks like a factor m/10
            if node.op == "num" and node.value == point.m:
                yield (replace(tree, path, Node("name", value="m")),
                       Slip(("constant_m",), tr(MESSAGES["constant_m"],
                           number=to_text(node))))
        if allow_identity:
            yield tree, None
        if got is not None and tuple(got) == want[::-1] != want:
            yield Node("T", (tree,)), Slip(("shape", "transpose"), tr(
                MESSAGES["transpose_shape"], got=tuple(got), head=head, want=want))
        elif got is not None and tuple(got) == want:
            yield Node("T", (tree,)), Slip(("transpose",), tr(MESSAGES["transpose_same"],
                head=head))
        for path, node in nodes:
            if node.op == "sum":
                flipped = Node("sum", node.args, 1 - node.value)
                yield self._change(path, flipped, ("axis",), f"axis_{node.value}")
        if want[1] == 1 and got is not None and len(got) == 2 and got[0] == want[0] and \
                got[1] == point.m != 1:
            yield Node("sum", (tree,), 1), Slip(("shape", "missing_sum"), tr(
                MESSAGES["missing_sum"], got=tuple(got), head=head, want=want))
        if len(nodes) > _REPAIR_NODES:
            return
        yield from self._local_changes(nodes)
        yield from self._factors(nodes)

    def _change(self, path, new: Node, kinds: tuple, key: str, **fields) -> tuple[Node, Slip]:
        old = _node_at(self.tree, path)
        fixed = replace(self.tree, path, new)
        return fixed, Slip(kinds, tr(MESSAGES[key],
            part=to_text(old), fixed=to_text(fixed), head=self.head, **fields))

    def _local_changes(self, nodes) -> Iterator[tuple[Node, Slip]]:
        yield from self._product_changes(nodes)
        yield from self._transpose_changes(nodes)
        yield from self._activation_changes(nodes)
        yield from self._layer_changes(nodes)

    def _product_changes(self, nodes) -> Iterator[tuple[Node, Slip]]:
        for path, node in nodes:
            if node.op == "@":
                yield self._change(path, Node("*", node.args), ("product",), "to_elementwise")
            elif node.op == "*":
                yield self._change(path, Node("@", node.args), ("product",), "to_matmul")
        for path, node in nodes:
            if node.op == "@":
                yield self._change(path, Node("@", node.args[::-1]), ("order",), "order")

    def _transpose_changes(self, nodes) -> Iterator[tuple[Node, Slip]]:
        for path, node in nodes:
            if not path or node.op == "num" or _node_at(self.tree, path[:-1]).op == "T":
                continue
            if node.op == "T":
                yield self._change(path, node.args[0], ("transpose",), "untranspose_part")
            else:
                yield self._change(path, Node("T", (node,)), ("transpose",), "transpose_part")

    def _layer_changes(self, nodes) -> Iterator[tuple[Node, Slip]]:
        for path, node in nodes:
            match = _LAYERED.fullmatch(node.value) if node.op == "name" else None
            if node.op == "name" and node.value == "X":
                match = _LAYERED.fullmatch("A0")
            if match:
                for other in self._other_layers(match.group(1), int(match.group(2))):
                    yield self._change(path, Node("name", value=other), ("layer",), "layer")

    def _other_layers(self, letter: str, l: int) -> list[str]:
        """The same letter at the network's other layers (gradients only if given)."""
        out = []
        for other in range(len(self.activations) + 1):
            name = f"{letter}{other}"
            if other != l and name in self.points[0].values and \
                    (not letter.startswith("d") or name in self.given):
                out.append("X" if name == "A0" else name)
        return out

    def _activation_changes(self, nodes) -> Iterator[tuple[Node, Slip]]:
        primes = set(PRIMES.values())
        for path, node in nodes:
            if node.op in PRIMES:
                for prime in [PRIMES[node.op]] + sorted(primes - {PRIMES[node.op]}):
                    yield self._change(path, Node(prime, node.args), ("activation",),
                                       "g_for_gprime")
            elif node.op in primes:
                for prime in sorted(primes - {node.op}):
                    yield self._change(path, Node(prime, node.args), ("activation",),
                                       "other_prime")
                arg = node.args[0]
                match = _LAYERED.fullmatch(arg.value) if arg.op == "name" else None
                if match and match.group(1) == "A" and match.group(2) != "0":
                    z = Node("name", value=f"Z{match.group(2)}")
                    yield self._change(path, Node(node.op, (z,)), ("activation",),
                                       "prime_of_a")

    def _factors(self, nodes) -> Iterator[tuple[Node, Slip]]:
        for path, node in nodes:
            for l, act in enumerate(self.activations, start=1):
                if act in PRIMES:
                    factor = Node(PRIMES[act], (Node("name", value=f"Z{l}"),))
                    fixed = replace(self.tree, path, Node("*", (node, factor)))
                    yield fixed, Slip(("missing_factor",), tr(MESSAGES["missing_g"],
                        l=l, prime=PRIMES[act], part=to_text(node)))
            for l in range(1, len(self.activations) + 1):
                w = Node("T", (Node("name", value=f"W{l}"),))
                fixed = replace(self.tree, path, Node("@", (w, node)))
                yield fixed, Slip(("missing_factor",), tr(MESSAGES["missing_w"],
                    l=l, part=to_text(node)))
        for path, node in nodes:
            if node.op in ("*", "@", "/"):
                sides = node.args if node.op != "/" else node.args[:1]
                for keep, drop in zip(sides, node.args[::-1]):
                    yield self._change(path, keep, ("extra_factor",), "extra_factor",
                                       factor=to_text(drop))


def _node_at(tree: Node, path: tuple[int, ...]) -> Node:
    for i in path:
        tree = tree.args[i]
    return tree


def _near(x: float, y: float) -> bool:
    return abs(x - y) <= _FIT * abs(y)


def _factor_text(k: float) -> str:
    """k as a short number: 3, 3/2, 1.414."""
    fraction = Fraction(k).limit_denominator(12)
    if _near(float(fraction), k):
        return str(fraction)
    return f"{k:.4g}"
