"""check_derivative: is a formula a person derived for ∂output/∂wrt right, and if not, why?

The formula is parsed by ``autograd.checks.formula`` (a whitelist; nothing is eval'd). Its names are
the graph's labels with brackets dropped (``W[2]_11`` is written ``W2_11``); a name of an
intermediate value (``a1_1``, ``z2_1``) takes that value from the graph at each point.
The formula is compared with the engine's gradient at the current values and at random
points (the graph replayed with the ops' rows) with a relative tolerance, and SymPy tries to
prove the two equal, settles the points floats cannot tell, and may show them different.
"""

from __future__ import annotations

import ast
import math
import random
from dataclasses import dataclass, field

from autograd.checks.budget import OutOfTime, TimeBudget
from autograd.checks.diagnose import Diagnosis, diagnose
from autograd.checks.formula import (
    ARITHMETIC,
    FUNCTIONS,
    FormulaError,
    float_apply,
    fold,
    parse_formula,
)
from autograd.checks.replay import Replay
from autograd.checks.symbolic import Builder, formula_name, sympy_number, to_text
from autograd.core import Value, is_finite_number
from autograd.i18n import N_, in_own_language, language, listed, table, tr, trn
from autograd.names import display_names

__all__ = ["check_derivative", "DerivativeCheck", "CheckPoint"]

_SHOWN = 6  # points printed in the table; the report holds them all
_MAX_TERMS = 20_000  # larger expansions are not tried: SymPy would take minutes
_MAX_OPS = 400  # larger differences are not simplified (SymPy's cancel could take minutes)
_ROUNDING = 2.0 ** -40  # "equal up to rounding": |F - D| <= _ROUNDING * (scale of F + of D)
# below 2**-1022 floats lose precision (subnormals, a step of 2**-1074): differences this small
# are rounding too, and SymPy settles them
_SUBNORMAL = 2.0 ** -1054
_DIGITS = 30  # digits of SymPy's evaluation at points where floats cannot decide
_MAX_DIGITS = 1000  # working precision SymPy may go up to for them


@dataclass(frozen=True)
class CheckPoint:
    """The formula and the engine's derivative at one point (``formula`` None: undefined).

    ``status`` is "ok" (equal to the relative tolerance), "FAIL", "undefined" (the formula
    cannot be evaluated there), or "rounding": the two differ by more than the tolerance but
    by less than the rounding error of the large terms that cancel in one of them, so floats
    cannot tell; SymPy then evaluates both with 30 digits ("ok" or "FAIL"), and a point it
    cannot settle keeps the check from passing. ``values`` are the labelled leaves there.
    """

    name: str
    formula: float | None
    engine: float
    status: str
    values: dict = field(default_factory=dict, repr=False)

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    @property
    def abs_error(self) -> float:
        return math.inf if self.formula is None else abs(self.formula - self.engine)


@dataclass
class DerivativeCheck:
    """The result of :func:`check_derivative`: truthy when right; prints as a table and a verdict.

    Attributes:
        formula: the formula as given.
        head: what it was checked against, e.g. ``∂L/∂W[1]_21``.
        points: the current values first, then the random points.
        symbolic: True when SymPy proved formula - derivative = 0, False when it showed the
            difference is not 0, None when it decided neither (not asked, too large or too
            deep to try, out of time, or it could not simplify the difference).
        diagnoses: the slips found (empty when right), most telling first.
        rtol: the relative tolerance of the comparison at each point.
        language: what its sentences are written in: the language in use when it was made.
    """

    formula: str
    head: str
    points: list[CheckPoint]
    symbolic: bool | None
    diagnoses: list[Diagnosis]
    rtol: float
    notes: list[str] = field(default_factory=list)
    symbolic_text: str = ""
    language: str = field(default_factory=language, repr=False, compare=False)   # its text's

    @property
    def ok(self) -> bool:
        """Right: every point agrees (settled by SymPy where floats could not tell) and SymPy
        did not show a difference."""
        return all(p.ok for p in self.points) and self.symbolic is not False

    @property
    def confirmed(self) -> bool:
        """False when the check could not decide: the formula agrees with the derivative only
        up to rounding somewhere and SymPy could not settle it (the check is then not passed)."""
        return self.ok or any(p.status in ("FAIL", "undefined") for p in self.points) or \
            self.symbolic is False

    def __bool__(self) -> bool:
        return self.ok

    @property
    def kinds(self) -> list[str]:
        """The diagnoses' kinds: "coincidence", "sign", "factor", "missing", "extra", ..."""
        return [d.kind for d in self.diagnoses]

    @property
    @in_own_language
    def verdict(self) -> str:
        """One line: PASSED, FAILED or NOT CONFIRMED, and why."""
        n = len(self.points) - 1
        if self.ok and self.symbolic_text:
            return trn("check PASSED: the formula equals {head} (to a relative {rtol:g}) at the "
                       "current values and at {n} random point; {proof}",
                       "check PASSED: the formula equals {head} (to a relative {rtol:g}) at the "
                       "current values and at {n} random points; {proof}", n,
                       head=self.head, rtol=self.rtol, proof=self.symbolic_text)
        if self.ok:
            return trn("check PASSED: the formula equals {head} (to a relative {rtol:g}) at the "
                       "current values and at {n} random point",
                       "check PASSED: the formula equals {head} (to a relative {rtol:g}) at the "
                       "current values and at {n} random points", n,
                       head=self.head, rtol=self.rtol)
        if not self.confirmed:
            unsure = sum(1 for p in self.points if p.status == "rounding")
            return tr("check NOT CONFIRMED: at {unsure} of {total} points the formula and {head} "
                      "differ by less than the rounding error of the large terms that cancel "
                      "in them, and SymPy could not settle it: not passed", unsure=unsure,
                      total=n + 1, head=self.head)
        return tr("check FAILED: {reasons}",
                  reasons=tr(_SEMICOLON).join(d.message for d in self.diagnoses))

    @in_own_language
    def __str__(self) -> str:
        head = (tr("point"), tr("formula"), tr("engine"), tr("abs err"), "")
        body = [(tr("current") if k == 0 else tr("random {k}", k=k),
                 tr("undefined") if p.formula is None else f"{p.formula:.10g}",
                 f"{p.engine:.10g}", "-" if p.formula is None else f"{p.abs_error:.2e}",
                 tr(_STATUS[p.status])) for k, p in enumerate(self.points[:_SHOWN])]
        lines = [f"{self.head} =? {self.formula.strip()}", *table([head, *body])]
        rest = self.points[_SHOWN:]
        if rest:
            bad = sum(1 for p in rest if not p.ok)
            lines.append(tr("... {n} more random points: {ok} ok, {bad} not", n=len(rest),
                            ok=len(rest) - bad, bad=bad))
        lines.append(self.verdict)
        lines.extend(tr("note: {text}", text=note) for note in self.notes)
        return "\n".join(lines)


# TRANSLATORS: what separates the reasons of a failed check ("the sign is flipped; off by ...")
_SEMICOLON = N_("; ")
_STATUS = {
    # TRANSLATORS: check_derivative's table: the formula and the engine agree at this point
    "ok": N_("ok"),
    # TRANSLATORS: check_derivative's table: they disagree at this point
    "FAIL": N_("FAIL"),
    # TRANSLATORS: check_derivative's table: the formula cannot be evaluated at this point
    "undefined": N_("undefined"),
    # TRANSLATORS: check_derivative's table: they differ by less than rounding can tell apart
    "rounding": N_("rounding"),
}


def check_derivative(formula: str, output: Value, wrt: Value, points: int = 20, seed: int = 0,
                     rtol: float = 1e-6, symbolic: bool = True,
                     timeout: float = 10.0) -> DerivativeCheck:
    """Check a hand-derived formula for ∂output/∂wrt, and name the slip when it is wrong.

    A point agrees when ``|formula - engine| <= rtol * |engine|``: a relative tolerance
    only, so a formula is never passed because the derivative is small (``"0"`` for a
    derivative of 1e-80 fails). Where one side is the difference of large terms, floats
    cannot resolve it; SymPy then settles the point with 30 digits, and a point nothing can
    settle makes the verdict NOT CONFIRMED (not passed). A formula SymPy shows to differ
    from the derivative fails even where the numbers agree.

    Args:
        formula: e.g. ``"(a2_1 - y)*sigmoid(z2_1)*(1 - sigmoid(z2_1))*a1_1"``: numbers, the
            graph's labels with brackets dropped, + - * / **, exp log tanh sigmoid relu.
        output: the value differentiated (the loss L).
        wrt: a leaf or intermediate value of its graph.
        points: how many random points besides the current values; each labelled leaf is
            moved by up to a quarter of (1 + |value|), and points outside an op's domain are
            drawn again.
        seed: for the random points (the same seed gives the same report).
        rtol: the relative tolerance at each point.
        symbolic: also ask SymPy (prove formula - derivative = 0, settle points floats cannot
            tell; without it such points leave the check NOT CONFIRMED).
        timeout: seconds SymPy may take in all; past them the numbers decide alone.

    Returns:
        A :class:`DerivativeCheck`: truthy when right; ``.diagnoses`` say what is wrong.

    Raises:
        FormulaError (a ValueError): the formula is not plain arithmetic, or uses a name the
            graph does not have (the message lists the names it has).
    """
    _check_arguments(output, wrt, points, rtol, timeout)
    tree, used = parse_formula(formula)  # refusals come before anything runs
    replay = Replay(output)
    names = display_names(output, replay.order)
    if wrt not in replay.index:
        raise ValueError(f"check_derivative: wrt ({wrt!r}) is not in the output's graph")
    nodes = _named_nodes(replay.order, used)
    w = replay.index[wrt]
    notes: list[str] = []
    runs = [replay.run()]
    runs += _random_runs(replay, w, points, random.Random(seed), runs[0][1], notes)
    D = [replay.gradient(local, w) for _, local in runs]
    scale = [replay.gradient(local, w, magnitude=True) for _, local in runs]
    F = [_formula_value(tree, nodes, data) for data, _ in runs]
    status = [_compare(f, d, s, rtol) for f, d, s in zip(F, D, scale)]
    head = f"∂{names[output]}/∂{names[wrt]}"
    sym = _Symbolic(output, wrt, tree, nodes, replay, runs, names, notes) if symbolic else None
    values = [f for f, _ in F]
    proof = sym.settle(status, values, rtol, timeout) if sym else None
    found = _diagnoses(values, D, status, scale, replay, runs, w, head, names, sym, proof)
    return DerivativeCheck(formula, head, _points(replay, runs, values, D, status), proof,
                           found, rtol, notes, sym.text if sym else "")


def _diagnoses(values, D, status, scale, replay, runs, w, head, names, sym, proof) -> list:
    """The slips that explain the numbers, or SymPy's difference where they agree."""
    found = diagnose(values, D, [s == "ok" for s in status], _edges(replay, runs, w), head,
                     sym.describe if sym else _plain(names), scale)
    if proof is False and not found:
        found = [Diagnosis("tiny", tr("the formula differs from {head} by less than the "
                                      "tolerance at every point, but SymPy shows the "
                                      "difference is {difference}, not 0", head=head,
                                      difference=sym.difference_text))]
    return found


def _points(replay, runs, values, D, status) -> list[CheckPoint]:
    """One CheckPoint per point, with the labelled leaves' values there."""
    leaves = [(node.label, i) for i, node in enumerate(replay.order)
              if node.label and not node._prev]
    return [CheckPoint("current" if k == 0 else f"random {k}", f, d, st,
                       {label: data[i] for label, i in leaves})
            for k, ((data, _), f, d, st) in enumerate(zip(runs, values, D, status))]


def _check_arguments(output, wrt, points, rtol, timeout) -> None:
    for what, v in (("output", output), ("wrt", wrt)):
        if not isinstance(v, Value):
            raise TypeError(f"check_derivative: {what} must be a Value, got "
                            f"{type(v).__name__} {v!r}")
    if isinstance(points, bool) or not isinstance(points, int) or points < 1:
        raise ValueError(f"check_derivative: points must be an int >= 1, got {points!r}")
    for what, x, low in (("rtol", rtol, 0.0), ("timeout", timeout, 0.0)):
        if not is_finite_number(x) or not x > low:
            raise ValueError(f"check_derivative: {what} must be a number > 0, got {x!r}")


def _compare(f: tuple[float | None, float], d: float, d_scale: float, rtol: float) -> str:
    """A point's status from the formula's (value, scale) and the engine's value and scale."""
    value, f_scale = f
    if value is None:
        return "undefined"
    diff = abs(value - d)
    if diff <= rtol * abs(d):
        return "ok"
    return "rounding" if diff <= _ROUNDING * (f_scale + d_scale) + _SUBNORMAL else "FAIL"


def _exactly(expr, subs: dict):
    """``expr`` at ``subs`` to _DIGITS correct digits; None when it cannot be told from 0
    with _MAX_DIGITS digits of working precision; False when it is not a finite number."""
    from sympy import Rational  # SymPy loads only when a check needs it
    from sympy.core.evalf import PrecisionExhausted

    exact = expr.xreplace({s: Rational(v) for s, v in subs.items()})  # a float, bit for bit
    try:
        v = exact.evalf(_DIGITS, maxn=_MAX_DIGITS, strict=True)
    except PrecisionExhausted:
        return None
    return v if v.is_Number and v.is_finite else False


def _plain(names: dict):
    def describe(edge: tuple) -> str:
        child, parent, arg = edge
        text = f"∂{names[child]}/∂{names[parent]}"
        if child._prev.count(parent) > 1:
            return tr("{derivative} (arg {k})", derivative=text, k=arg + 1)
        return text
    return describe


class _Symbolic:
    """SymPy's part of the check, all within one time budget: settle the points where floats
    cannot tell, prove formula = derivative (or show it is not), and give the diagnoses each
    edge's local derivative as a formula."""

    def __init__(self, output: Value, wrt: Value, tree: ast.Expression, nodes: dict,
                 replay: Replay, runs: list, names: dict, notes: list[str]):
        self.output, self.wrt, self.tree, self.nodes = output, wrt, tree, nodes
        self.replay, self.runs, self.names, self.notes = replay, runs, names, notes
        self.builder: Builder | None = None
        self.text = ""  # what the verdict says of SymPy
        self.difference_text = ""

    def settle(self, status: list[str], values: list, rtol: float,
               timeout: float) -> bool | None:
        """Settle the "rounding" points of ``status`` (and their formula ``values``) in place;
        return the proof (True: equal, False: not equal, None: undecided)."""
        settled = 0
        try:
            with TimeBudget(timeout) as budget:
                self.builder = Builder(self.output, stop=lambda node: node is self.wrt)
                difference, truth = self._difference()
                for k, st in enumerate(status):
                    budget.check()
                    if st == "rounding":
                        status[k], value = self._at_point(difference, truth, k, rtol)
                        values[k] = values[k] if value is None else value
                        settled += status[k] != "rounding"
                if settled:
                    self.notes.append(trn(
                        "at {n} point floats could not tell (large terms cancel, or the numbers "
                        "are below a float's full precision); SymPy evaluated both sides there "
                        "with {digits} correct digits",
                        "at {n} points floats could not tell (large terms cancel, or the "
                        "numbers are below a float's full precision); SymPy evaluated both "
                        "sides there with {digits} correct digits", settled, digits=_DIGITS))
                if any(st in ("FAIL", "undefined") for st in status):
                    return None  # the numbers decided: no proof is needed
                return self._prove(difference, truth, budget)
        except OutOfTime:
            self.notes.append(tr("SymPy did not finish within {seconds:g} s: the numbers "
                                 "decide alone", seconds=timeout))
        except RecursionError:
            self.builder = None
            self.notes.append(tr("the graph is too deep for SymPy: the numbers decide alone"))
        except Exception as e:  # noqa: BLE001 - SymPy's own failures (zoo, nan inside it)
            self.builder = None
            self.notes.append(tr("SymPy could not work with this formula ({error}): the "
                                 "numbers decide alone", error=type(e).__name__))
        return None

    def _difference(self):
        """formula - ∂output/∂wrt and ∂output/∂wrt, as SymPy expressions of the leaves."""
        b = self.builder
        sp = b.sp
        truth = sp.diff(b.expr(self.output), b.symbol(self.wrt))

        def leaf(node: ast.AST):
            if isinstance(node, ast.Constant):
                v = node.value
                return sp.Integer(v) if isinstance(v, int) else sympy_number(sp, v)
            return b.expr(self.replay.order[self.nodes[node.id]])

        def apply(node: ast.AST, op: str, *args):
            if op in FUNCTIONS:
                return FUNCTIONS[op].sympy(sp, args[0])
            if op == "**" and all(a.is_Number for a in args):  # numbers: as a float, never huge
                return sympy_number(sp, float_apply(op, float(args[0]), float(args[1])))
            return ARITHMETIC[op](*args)

        return fold(self.tree, leaf, apply) - truth, truth

    def _at_point(self, difference, truth, k: int, rtol: float) -> tuple[str, float | None]:
        """Point k's status, and the formula's value there, from both sides evaluated with
        _DIGITS correct digits (SymPy raises the working precision as far as needed)."""
        subs = self._subs(k)
        d, t = _exactly(difference, subs), _exactly(truth, subs)
        if d is False or t is False:
            return "rounding", None
        if d is None:  # 0 to _MAX_DIGITS digits: the two are equal here
            return "ok", float(t) if t is not None else 0.0
        if t is None:
            return "FAIL", float(d)
        return ("ok" if bool(abs(d) <= rtol * abs(t)) else "FAIL"), float(t + d)

    def _subs(self, k: int) -> dict:
        """The symbols of the difference (labelled leaves, wrt) -> their values at point k."""
        data = self.runs[k][0]
        return {self.builder.symbol(node): data[i] for i, node in enumerate(self.replay.order)
                if node is self.wrt or (node.label and not node._prev)}

    def _prove(self, difference, truth, budget: TimeBudget) -> bool | None:
        """True when SymPy reduces the difference to 0, False when it is clearly not 0 at one
        of the first points, None when neither."""
        sp = self.builder.sp
        if _expanded_terms(sp, difference) > _MAX_TERMS:
            self.notes.append(tr("SymPy did not try to prove it: expanding it would make too "
                                 "many terms"))
            return None
        difference = sp.expand(difference)
        budget.check()
        if difference != 0 and sp.count_ops(difference) <= _MAX_OPS:
            difference = _exp_rational(sp, difference)
            budget.check()
        if difference == 0:
            self.text = tr("SymPy proves them equal")
            return True
        if self._not_zero(difference, truth, budget):
            return False
        self.text = tr("SymPy could not simplify the difference to 0")
        return None

    def _not_zero(self, difference, truth, budget: TimeBudget) -> bool:
        """Whether the difference, with 30 correct digits, is not 0 at one of the first three
        points. Floats from the graph's data allow it their rounding (relative 2^-40)."""
        noise = _ROUNDING if difference.atoms(self.builder.sp.Float) else 0.0
        for k in range(min(3, len(self.runs))):
            budget.check()
            subs = self._subs(k)
            d, t = _exactly(difference, subs), _exactly(truth, subs)
            if d is None or d is False or t is False:
                continue
            if bool(abs(d) > noise * abs(t or 0)):
                text = str(difference)
                where = tr("the current values") if k == 0 else tr("random point {k}", k=k)
                self.difference_text = text if len(text) <= 60 else \
                    tr("{value:.3g} at {where}", value=float(d), where=where)
                return True
        return False

    def describe(self, edge: tuple) -> str:
        """``∂child/∂parent = formula`` for a diagnosis (the formula when SymPy can give it)."""
        text = _plain(self.names)(edge)
        if self.builder is None:
            return text
        child, _, arg = edge
        try:
            return f"{text} = {to_text(self.builder.local(child, arg))}"
        except Exception:  # noqa: BLE001 - the name alone is still a diagnosis
            return text


def _named_nodes(order: list[Value], used: list[str]) -> dict[str, int]:
    """Each name of the formula -> the index of the one node whose label it writes."""
    by_name: dict[str, set[int]] = {}
    for i, node in enumerate(order):
        if node.label:
            by_name.setdefault(formula_name(node.label), set()).add(i)
    unknown = [n for n in used if n not in by_name]
    if unknown:   # a refusal of what a person typed: in their language (docs/languages.md)
        if not by_name:
            raise FormulaError(trn("check_derivative: {names} is not in the graph, which has "
                                   "no names (label values to use them in a formula)",
                                   "check_derivative: {names} are not in the graph, which has "
                                   "no names (label values to use them in a formula)",
                                   len(unknown), names=listed(unknown)))
        raise FormulaError(trn("check_derivative: {names} is not in the graph; its names are: "
                               "{known}", "check_derivative: {names} are not in the graph; its "
                               "names are: {known}", len(unknown), names=listed(unknown),
                               known=listed(sorted(by_name))))
    twice = [n for n in used if len(by_name[n]) > 1]
    if twice:
        raise FormulaError(tr("check_derivative: {names} names more than one value of the "
                              "graph; give them different labels", names=listed(twice)))
    return {n: min(by_name[n]) for n in used}


def _random_runs(replay: Replay, w: int, n: int, rng: random.Random, current: list,
                 notes: list) -> list:
    """Replays at n random points: labelled leaves (and wrt) moved, inside every op's domain.

    Points where a local derivative is a million times steeper than anywhere at the current
    values (next to log's 0, say) are drawn again too: rounding would blur the comparison.
    """
    order = replay.order
    vary = {i: order[i].data for i, node in enumerate(order)
            if not node._prev and (node.label or i == w)}
    if not vary:
        notes.append(tr("no labelled leaf to move: the random points equal the current values"))
    steep = 1e6 * max([1.0] + [abs(d) for local in current for d in local])
    runs, tries = [], 0
    while len(runs) < n and tries < 50 * n:
        tries += 1
        values = {i: x + rng.uniform(-0.25, 0.25) * (1.0 + abs(x)) for i, x in vary.items()}
        try:
            data, local = replay.run(values)
        except (ValueError, ArithmeticError):
            continue  # outside an op's domain (log of a number <= 0, ...): draw again
        if all(abs(d) <= steep for loc in local for d in loc):
            runs.append((data, local))
    if len(runs) < n:
        notes.append(tr("only {found} of {n} random points were found inside the ops' domains",
                        found=len(runs), n=n))
    return runs


def _formula_value(tree: ast.Expression, nodes: dict[str, int],
                   data: list) -> tuple[float | None, float]:
    """The formula at one point (None where undefined: log of a negative, 1/0) and its scale:
    a first-order bound of its rounding error, in units of the float epsilon."""
    def leaf(node: ast.AST) -> tuple[float, float]:
        v = float(node.value) if isinstance(node, ast.Constant) else data[nodes[node.id]]
        return v, abs(v)

    def apply(node: ast.AST, op: str, *args: tuple[float, float]) -> tuple[float, float]:
        out = float_apply(op, *[v for v, _ in args])
        return out, abs(out) + _propagated(op, args, out)

    try:
        value, scale = fold(tree, leaf, apply)
    except (ValueError, ArithmeticError):
        return None, 0.0
    return (value, scale) if math.isfinite(value) else (None, 0.0)


def _propagated(op: str, args: tuple, out: float) -> float:
    """How much of the arguments' rounding (their scales) reaches an op's result:
    Σ |∂out/∂arg| · scale(arg)."""
    if op in FUNCTIONS:
        (a, sa), = args
        return abs(FUNCTIONS[op].value(a)[1][0]) * sa
    if op in ("+", "-"):
        return args[0][1] + args[1][1]
    if op in ("neg", "pos"):
        return args[0][1]
    (a, sa), (b, sb) = args
    if op == "*":
        return abs(b) * sa + abs(a) * sb
    if op == "/":
        return (sa + abs(out) * sb) / abs(b)
    slope = abs(b * a ** (b - 1.0)) if a else 0.0  # a ** b
    return slope * sa + (abs(out * math.log(a)) * sb if a > 0.0 else 0.0)


def _edges(replay: Replay, runs: list, w: int) -> list[tuple[tuple, list[float]]]:
    """Every edge with its local derivative at each point, edges on a path wrt -> output first."""
    below = {w}  # nodes that depend on wrt
    on_path, off_path = [], []
    for i, _, _, parents in replay.steps:
        for arg, j in enumerate(parents):
            edge = (replay.order[i], replay.order[j], arg)
            (on_path if j in below else off_path).append(
                (edge, [local[i][arg] for _, local in runs]))
        if any(j in below for j in parents):
            below.add(i)
    return on_path + off_path


def _exp_rational(sp, expr):
    """``expr`` with σ, tanh and e^(a+b) written as exponentials e^a·e^b, over one common
    denominator: a canonical form that decides most identities quickly, unlike simplify."""
    flat = sp.expand(expr.rewrite(sp.exp), power_exp=True, mul=False, multinomial=False,
                     log=False, basic=False)
    return sp.cancel(sp.together(flat))


def _expanded_terms(sp, expr) -> float:
    """An upper bound on the number of terms ``expand`` makes: (a + b + c)**12 has at most
    C(14, 2) = 91, a product of sums the product of their counts."""
    terms: dict = {}
    stack = [(expr, False)]
    while stack:
        node, ready = stack.pop()
        if node in terms:
            continue
        if not ready and node.args:
            stack.append((node, True))
            stack.extend((arg, False) for arg in node.args)
            continue
        counts = [terms[arg] for arg in node.args]
        if node.is_Add:
            n = sum(counts)
        elif node.is_Mul:
            n = math.prod(counts)
        elif node.is_Pow and node.exp.is_Integer and node.exp != 0:
            k = abs(int(node.exp))  # 1/(a + b)**k expands its denominator as (a + b)**k
            n = math.comb(int(min(counts[0], 1e6)) + k - 1, k) if counts[0] > 1 else 1
        else:
            n = 1 + sum(counts)  # an atom, or a function whose argument expands on its own
        terms[node] = n
    return terms[expr]
