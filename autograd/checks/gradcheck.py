"""Check gradients from backward against central finite differences, and second derivatives
(``create_graph``) against central differences of the first."""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from autograd.core import Value, no_grad, to_float
from autograd.i18n import N_, in_own_language, language, listed, table, tr, using_language
from autograd.transforms.higher import fresh_leaves, grad, hessian

__all__ = ["numerical_grad", "gradcheck", "gradgradcheck", "GradcheckReport", "GradcheckRow",
           "KinkWarning"]


class KinkWarning(UserWarning):
    """An input sits within eps of a point where the function is not differentiable."""


def _evaluate(f: Callable, values: list[float]) -> list[float]:
    """[f(values)] as a number, computed without a graph."""
    with no_grad():
        out = f(*(Value(v) for v in values))
    return [out.data if isinstance(out, Value) else to_float(out, "the checked function's output")]


def _first_derivatives(f: Callable, values: list[float]) -> list[float]:
    """∂f/∂x_i at ``values`` for each input, by reverse mode (first order)."""
    leaves = [Value(v) for v in values]
    out = f(*leaves)
    if not isinstance(out, Value):
        raise TypeError(f"gradgradcheck: f must return a Value, got {type(out).__name__} {out!r}")
    return [g.data for g in grad(out, leaves)]


def _differences(fn: Callable, base: list[float], i: int,
                 eps: float) -> list[tuple[float, float, float]]:
    """Central, forward and backward difference quotients along input i, per output of fn."""
    up, down = list(base), list(base)
    up[i] += eps
    down[i] -= eps
    at = fn(base)
    values = []
    for moved in (up, down):
        try:
            values.append(fn(moved))
        except (ValueError, ArithmeticError) as e:
            raise type(e)(f"the difference step moves input {i + 1} from {base[i]:g} to "
                          f"{moved[i]:g} (eps={eps:g}), where the function is not defined "
                          f"({e}); use a smaller eps or a point further from the edge") from None
    return [((u - d) / (2 * eps), (u - c) / eps, (c - d) / eps)
            for c, u, d in zip(at, *values)]


def numerical_grad(f: Callable, inputs: Sequence, eps: float = 1e-6) -> list[float]:
    """∂f/∂input for each input by central differences: (f(x+eps) - f(x-eps)) / 2eps.

    Args:
        f: called as ``f(*values)`` with one Value per input; returns a Value or a number.
        inputs: Values or numbers at which to differentiate.
        eps: the step.

    Returns:
        One float per input.
    """
    eps = _check_eps(eps)
    base = [v.data for v in fresh_leaves(inputs)]
    return [_differences(functools.partial(_evaluate, f), base, i, eps)[0][0]
            for i in range(len(base))]


def _check_eps(eps) -> float:
    eps = to_float(eps, "eps")
    if not eps > 0.0:
        raise ValueError(f"eps must be > 0, got {eps!r}")
    return eps


@dataclass
class GradcheckRow:
    """The analytic and numeric gradient of one input, and whether they agree."""

    name: str
    value: float
    analytic: float
    numeric: float
    abs_error: float
    rel_error: float
    ok: bool
    kink: bool = False

    @property
    def status(self) -> str:
        """"ok", "FAIL" or "KINK?" (the table shows them in the reader's language)."""
        return "KINK?" if self.kink else ("ok" if self.ok else "FAIL")


_STATUS = {
    # TRANSLATORS: gradcheck's table: this input's gradient agrees with finite differences
    "ok": N_("ok"),
    # TRANSLATORS: gradcheck's table: this input's gradient disagrees
    "FAIL": N_("FAIL"),
    # TRANSLATORS: gradcheck's table: the input sits at a kink, where the check means nothing
    "KINK?": N_("KINK?"),
}


@dataclass
class GradcheckReport:
    """The result of :func:`gradcheck`; prints as a table, is truthy when every row passes."""

    rows: list[GradcheckRow]
    output: float
    eps: float
    atol: float
    rtol: float
    warnings: list[str] = field(default_factory=list)
    title: str = "gradcheck"
    language: str = field(default_factory=language, repr=False, compare=False)   # its text's

    @property
    def ok(self) -> bool:
        """Every input agrees, not counting inputs at a kink (where the check means nothing)."""
        return all(r.ok for r in self.rows if not r.kink)

    @property
    def failures(self) -> list[GradcheckRow]:
        return [r for r in self.rows if not r.ok and not r.kink]

    def __bool__(self) -> bool:
        return self.ok

    @in_own_language
    def __str__(self) -> str:
        head = (tr("input"), tr("value"), tr("analytic"), tr("numeric"), tr("abs err"),
                tr("rel err"), "")
        body = [(r.name, f"{r.value:.6g}", f"{r.analytic:.10g}", f"{r.numeric:.10g}",
                 f"{r.abs_error:.2e}", f"{r.rel_error:.2e}", tr(_STATUS[r.status]))
                for r in self.rows]
        lines = table([head, *body])
        settings = dict(title=self.title, eps=self.eps, atol=self.atol, rtol=self.rtol)
        if self.ok:
            lines.append(tr("{title} PASSED (eps={eps:g}, atol={atol:g}, rtol={rtol:g}; ok when "
                            "|analytic - numeric| <= atol + rtol*|numeric|)", **settings))
        else:
            lines.append(tr("{title} FAILED for {inputs} (eps={eps:g}, atol={atol:g}, "
                            "rtol={rtol:g}; ok when |analytic - numeric| <= atol + "
                            "rtol*|numeric|)", inputs=listed(r.name for r in self.failures),
                            **settings))
        lines.extend(tr("warning: {text}", text=w) for w in self.warnings)
        return "\n".join(lines)

def gradcheck(f: Callable, inputs: Sequence, eps: float = 1e-6, atol: float = 1e-5,
              rtol: float = 1e-4) -> GradcheckReport:
    """Compare backward's gradients of ``f`` with central differences, input by input.

    Args:
        f: called as ``f(*values)`` with one fresh leaf Value per input; returns a Value.
        inputs: Values or numbers; Values lend their data and labels and are not modified.
        eps: finite-difference step.
        atol, rtol: an input passes when ``|analytic - numeric| <= atol + rtol * |numeric|``.

    Returns:
        A :class:`GradcheckReport`. An input within eps of a kink (forward and backward
        one-sided differences disagree, as for relu at 0) is marked ``KINK?``, left out of
        ``ok``, and a :class:`KinkWarning` is issued.
    """
    eps, atol, rtol = _check_eps(eps), to_float(atol, "atol"), to_float(rtol, "rtol")
    leaves = fresh_leaves(inputs)
    out = f(*leaves)
    if not isinstance(out, Value):
        raise TypeError(f"gradcheck: f must return a Value, got {type(out).__name__} {out!r}")
    out.backward()
    base = [v.data for v in leaves]
    rows, notes = [], []
    value = functools.partial(_evaluate, f)
    for i, leaf in enumerate(leaves):
        [quotients] = _differences(value, base, i, eps)
        smaller = functools.partial(_differences, value, base, i, eps / 4)
        rows.append(_compare(leaf.label, leaf.data, leaf.grad, quotients, atol, rtol,
                             lambda smaller=smaller: smaller()[0]))
        if rows[-1].kink:
            notes.append(_note(N_("{name} = {value:g} is within eps of a kink: {differences}"),
                               quotients, name=leaf.label, value=leaf.data))
    return _report(rows, out.data, eps, atol, rtol, notes, "gradcheck")


def gradgradcheck(f: Callable, inputs: Sequence, eps: float = 1e-5, atol: float = 1e-5,
                  rtol: float = 1e-4) -> GradcheckReport:
    """Compare second derivatives with central differences of the first, entry by entry.

    Analytic: H_ij = ∂²f/∂x_i∂x_j from ``hessian`` (the gradient built with
    ``create_graph=True``, then differentiated). Numeric: (g_i(x + eps e_j) - g_i(x - eps e_j))
    / 2eps, where g = ∇f comes from reverse mode at the shifted points.

    Args:
        f: called as ``f(*values)`` with one Value per input; returns a Value.
        inputs: Values or numbers; Values lend their data and labels and are not modified.
        eps: finite-difference step.
        atol, rtol: an entry passes when ``|analytic - numeric| <= atol + rtol * |numeric|``.

    Returns:
        A :class:`GradcheckReport` with one row per entry, named ``∂²/∂x_i∂x_j`` (the value
        column is x_j, the input moved); kinks of ∇f are marked ``KINK?`` as in ``gradcheck``.
    """
    eps, atol, rtol = _check_eps(eps), to_float(atol, "atol"), to_float(rtol, "rtol")
    leaves = fresh_leaves(inputs, "gradgradcheck")
    analytic = hessian(f, leaves)
    base = [v.data for v in leaves]
    rows, notes = [], []
    gradient = functools.partial(_first_derivatives, f)
    for j, xj in enumerate(leaves):
        quotients = _differences(gradient, base, j, eps)
        smaller = functools.cache(functools.partial(_differences, gradient, base, j, eps / 4))
        for i, xi in enumerate(leaves):
            rows.append(_compare(f"∂²/∂{xi.label}∂{xj.label}", xj.data, analytic[i][j],
                                 quotients[i], atol, rtol, lambda i=i, s=smaller: s()[i]))
            if rows[-1].kink:
                notes.append(_note(N_("∂f/∂{name} has a kink within eps of {moved} = {value:g}: "
                                      "{differences}"), quotients[i], name=xi.label,
                                   moved=xj.label, value=xj.data))
    return _report(rows, _evaluate(f, base)[0], eps, atol, rtol, notes, "gradgradcheck")


def _compare(name: str, value: float, analytic: float, quotients: tuple[float, float, float],
             atol: float, rtol: float, smaller: Callable[[], tuple]) -> GradcheckRow:
    """One row: analytic against the central quotient, and whether the point looks like a kink.

    ``smaller()`` gives the quotients again with a step 4x smaller (asked only when needed).
    """
    numeric, forward, backward = quotients
    abs_error = abs(analytic - numeric)
    scale = max(abs(analytic), abs(numeric))
    ok = abs_error <= atol + rtol * abs(numeric)
    return GradcheckRow(name, value, analytic, numeric, abs_error,
                        abs_error / scale if scale else 0.0, ok,
                        _is_kink(forward, backward, atol, rtol, smaller))


def _is_kink(forward: float, backward: float, atol: float, rtol: float,
             smaller: Callable[[], tuple]) -> bool:
    """One-sided quotients that disagree by more than curvature explains.

    For a smooth function their gap is about eps·f'' and shrinks 4x with a step 4x smaller;
    a jump in the slope keeps it (or, once the smaller step no longer reaches it, loses it).
    """
    gap = abs(forward - backward)
    if gap <= 10 * (atol + rtol * max(abs(forward), abs(backward))):
        return False
    _, forward4, backward4 = smaller()
    return not 0.15 < abs(forward4 - backward4) / gap < 0.4


def _one_sided(quotients: tuple[float, float, float]) -> str:
    _, forward, backward = quotients
    return tr("one-sided differences are {left:.6g} (left) and {right:.6g} (right), so finite "
              "differences say nothing here; move the input away from it", left=backward,
              right=forward)


def _note(message: str, quotients: tuple[float, float, float], **values) -> tuple[str, str]:
    """A kink's note in English, for the KinkWarning (warnings and exceptions are English),
    and in the reader's language, for the report."""
    def text() -> str:
        return tr(message, differences=_one_sided(quotients), **values)

    with using_language("en"):
        english = text()
    return english, text()


def _report(rows, output, eps, atol, rtol, notes, title) -> GradcheckReport:
    for english, _ in notes:
        warnings.warn(english, KinkWarning, stacklevel=3)
    return GradcheckReport(rows, output, eps, atol, rtol, [note for _, note in notes], title)
