"""check_derivative: is a formula a person derived for ∂output/∂wrt right, and if not, why?

The formula is parsed by ``autograd.formula`` (a whitelist; nothing is eval'd). Its names are
the graph's labels with brackets dropped (``W[2]_11`` is written ``W2_11``); a name of an
intermediate value (``a1_1``, ``z2_1``) takes that value from the graph at each point.
The formula is compared with the engine's gradient at the current values and at random
points (the graph replayed with the ops' rows), and SymPy tries to prove the two equal.
"""

from __future__ import annotations

import ast
import math
import random
from dataclasses import dataclass, field

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
from autograd.checks.symbolic import Builder, formula_name, to_text
from autograd.core import Value
from autograd.core.ops import sympy_number
from autograd.names import display_names

__all__ = ["check_derivative", "DerivativeCheck", "CheckPoint"]

_SHOWN = 6  # points printed in the table; the report holds them all
_MAX_TERMS = 20_000  # larger expansions are not tried: SymPy would take minutes


@dataclass(frozen=True)
class CheckPoint:
    """The formula and the engine's derivative at one point (``formula`` None: undefined);
    ``values`` are the labelled leaves there."""

    name: str
    formula: float | None
    engine: float
    ok: bool
    values: dict = field(default_factory=dict, repr=False)

    @property
    def abs_error(self) -> float:
        return math.inf if self.formula is None else abs(self.formula - self.engine)

    @property
    def status(self) -> str:
        return "ok" if self.ok else ("undefined" if self.formula is None else "FAIL")


@dataclass
class DerivativeCheck:
    """The result of :func:`check_derivative`: truthy when right; prints as a table and a verdict.

    Attributes:
        formula: the formula as given.
        head: what it was checked against, e.g. ``∂L/∂W[1]_21``.
        points: the current values first, then the random points.
        symbolic: True when SymPy proved formula - derivative = 0, False when it could not,
            None when not tried (``symbolic=False``, or an expansion too large to try).
        diagnoses: the slips found (empty when right), most telling first.
    """

    formula: str
    head: str
    points: list[CheckPoint]
    symbolic: bool | None
    diagnoses: list[Diagnosis]
    rtol: float
    atol: float
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """The formula agrees with the engine at every point."""
        return all(p.ok for p in self.points)

    def __bool__(self) -> bool:
        return self.ok

    @property
    def kinds(self) -> list[str]:
        """The diagnoses' kinds: "coincidence", "sign", "factor", "missing", "extra", ..."""
        return [d.kind for d in self.diagnoses]

    @property
    def verdict(self) -> str:
        """One line: PASSED or FAILED, and why."""
        n = len(self.points) - 1
        if self.ok:
            proof = {True: "; SymPy proves them equal",
                     False: "; SymPy could not simplify the difference to 0"}
            return (f"check PASSED: the formula equals {self.head} at the current values and "
                    f"at {n} random points{proof.get(self.symbolic, '')}")
        return "check FAILED: " + "; ".join(d.message for d in self.diagnoses)

    def __str__(self) -> str:
        head = ("point", "formula", "engine", "abs err", "")
        shown = self.points[:_SHOWN]
        body = [(p.name, "undefined" if p.formula is None else f"{p.formula:.10g}",
                 f"{p.engine:.10g}", "-" if p.formula is None else f"{p.abs_error:.2e}",
                 p.status) for p in shown]
        widths = [max(len(row[c]) for row in [head, *body]) for c in range(len(head))]
        lines = [f"{self.head} =? {self.formula.strip()}"]
        lines += ["  ".join(cell.rjust(w) if c else cell.ljust(w)
                            for c, (cell, w) in enumerate(zip(row, widths))).rstrip()
                  for row in [head, *body]]
        lines.insert(2, "-" * len(lines[1]))
        rest = self.points[_SHOWN:]
        if rest:
            bad = sum(1 for p in rest if not p.ok)
            lines.append(f"... {len(rest)} more random points: {len(rest) - bad} ok, {bad} not")
        lines.append(self.verdict)
        lines.extend(f"note: {note}" for note in self.notes)
        return "\n".join(lines)


def check_derivative(formula: str, output: Value, wrt: Value, points: int = 20, seed: int = 0,
                     rtol: float = 1e-6, atol: float = 1e-9,
                     symbolic: bool = True) -> DerivativeCheck:
    """Check a hand-derived formula for ∂output/∂wrt, and name the slip when it is wrong.

    Args:
        formula: e.g. ``"(a2_1 - y)*sigmoid(z2_1)*(1 - sigmoid(z2_1))*a1_1"``: numbers, the
            graph's labels with brackets dropped, + - * / **, exp log tanh sigmoid relu.
        output: the value differentiated (the loss L).
        wrt: a leaf or intermediate value of its graph.
        points: how many random points besides the current values; each labelled leaf is
            moved by up to a quarter of (1 + |value|), and points outside an op's domain are
            drawn again.
        seed: for the random points (the same seed gives the same report).
        rtol, atol: a point agrees when ``|formula - engine| <= atol + rtol * |engine|``.
        symbolic: also ask SymPy to prove formula - derivative = 0.

    Returns:
        A :class:`DerivativeCheck`: truthy when right; ``.diagnoses`` say what is wrong.

    Raises:
        FormulaError (a ValueError): the formula is not plain arithmetic, or uses a name the
            graph does not have (the message lists the names it has).
    """
    for what, v in (("output", output), ("wrt", wrt)):
        if not isinstance(v, Value):
            raise TypeError(f"check_derivative: {what} must be a Value, got "
                            f"{type(v).__name__} {v!r}")
    if isinstance(points, bool) or not isinstance(points, int) or points < 1:
        raise ValueError(f"check_derivative: points must be an int >= 1, got {points!r}")
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
    F = [_formula_value(tree, nodes, data) for data, _ in runs]
    ok = [f is not None and abs(f - d) <= atol + rtol * abs(d) for f, d in zip(F, D)]
    head = f"∂{names[output]}/∂{names[wrt]}"
    builder = Builder(output, stop=lambda node: node is wrt) if symbolic else None

    def describe(edge: tuple) -> str:
        child, parent, arg = edge
        text = f"∂{names[child]}/∂{names[parent]}"
        if child._prev.count(parent) > 1:
            text += f" (arg {arg + 1})"
        return f"{text} = {to_text(builder.local(child, arg))}" if builder else text

    found = diagnose(F, D, ok, _edges(replay, runs, w), head, describe)
    proof = _prove(builder, tree, nodes, replay, output, wrt, all(ok)) if builder else None
    if builder and proof is None:
        notes.append("SymPy did not try to prove it: expanding it would make too many terms")
    leaves = [(node.label, i) for i, node in enumerate(replay.order)
              if node.label and not node._prev]
    checked = [CheckPoint("current" if k == 0 else f"random {k}", f, d, good,
                          {label: data[i] for label, i in leaves})
               for k, ((data, _), f, d, good) in enumerate(zip(runs, F, D, ok))]
    return DerivativeCheck(formula, head, checked, proof, found, rtol, atol, notes)


def _named_nodes(order: list[Value], used: list[str]) -> dict[str, int]:
    """Each name of the formula -> the index of the one node whose label it writes."""
    by_name: dict[str, set[int]] = {}
    for i, node in enumerate(order):
        if node.label:
            by_name.setdefault(formula_name(node.label), set()).add(i)
    unknown = [n for n in used if n not in by_name]
    if unknown:
        has = ", ".join(sorted(by_name)) or "none (label values to use them in a formula)"
        raise FormulaError(f"check_derivative: {', '.join(unknown)} "
                           f"{'is' if len(unknown) == 1 else 'are'} not in the graph; its "
                           f"names are: {has}")
    twice = [n for n in used if len(by_name[n]) > 1]
    if twice:
        raise FormulaError(f"check_derivative: {', '.join(twice)} names more than one value "
                           "of the graph; give them different labels")
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
        notes.append("no labelled leaf to move: the random points equal the current values")
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
        notes.append(f"only {len(runs)} of {n} random points were found inside the ops' "
                     "domains")
    return runs


def _formula_value(tree: ast.Expression, nodes: dict[str, int], data: list) -> float | None:
    """The formula at one point, or None where it is undefined (log of a negative, 1/0)."""
    def leaf(node: ast.AST) -> float:
        return float(node.value) if isinstance(node, ast.Constant) else data[nodes[node.id]]

    try:
        value = fold(tree, leaf, lambda node, op, *args: float_apply(op, *args))
    except (ValueError, ArithmeticError):
        return None
    return value if math.isfinite(value) else None


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


def _prove(builder: Builder, tree: ast.Expression, nodes: dict[str, int], replay: Replay,
           output: Value, wrt: Value, numbers_agree: bool) -> bool | None:
    """Whether SymPy reduces formula - ∂output/∂wrt to 0 (expand; simplify if numbers agree);
    None when the expansion would be too large to try."""
    sp = builder.sp
    truth = sp.diff(builder.expr(output), builder.symbol(wrt))

    def leaf(node: ast.AST):
        if isinstance(node, ast.Constant):
            v = node.value
            return sp.Integer(v) if isinstance(v, int) else sympy_number(sp, v)
        return builder.expr(replay.order[nodes[node.id]])

    def apply(node: ast.AST, op: str, *args):
        if op in FUNCTIONS:
            return FUNCTIONS[op].sympy(sp, args[0])
        if op == "**" and all(a.is_Number for a in args):  # numbers: as a float, never huge
            return sympy_number(sp, float_apply(op, float(args[0]), float(args[1])))
        return ARITHMETIC[op](*args)

    try:
        difference = fold(tree, leaf, apply) - truth
    except (ArithmeticError, ValueError, TypeError):
        return False
    if _expanded_terms(sp, difference) > _MAX_TERMS:
        return None  # expanding would take SymPy minutes: the numbers decide alone
    difference = sp.expand(difference)
    if difference == 0:
        return True
    if numbers_agree and sp.count_ops(difference) <= 400:
        return _exp_rational(sp, difference) == 0
    return False


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
        elif node.is_Pow and node.exp.is_Integer and node.exp > 0:
            k = int(node.exp)
            n = math.comb(int(min(counts[0], 1e6)) + k - 1, k) if counts[0] > 1 else 1
        else:
            n = 1 + sum(counts)  # an atom, or a function whose argument expands on its own
        terms[node] = n
    return terms[expr]
