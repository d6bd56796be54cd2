"""Check gradients from backward against central finite differences."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from autograd.engine import Value, _to_float, no_grad

__all__ = ["numerical_grad", "gradcheck", "GradcheckReport", "GradcheckRow", "KinkWarning"]


class KinkWarning(UserWarning):
    """An input sits within eps of a point where the function is not differentiable."""


def _leaves(inputs: Sequence) -> list[Value]:
    """Fresh leaf Values with the inputs' data and labels, so the caller's values stay untouched."""
    out = []
    for i, x in enumerate(inputs):
        if isinstance(x, Value):
            out.append(Value(x.data, label=x.label or f"x{i}"))
        else:
            out.append(Value(_to_float(x, f"gradcheck input {i}"), label=f"x{i}"))
    return out


def _evaluate(f: Callable, values: list[float]) -> float:
    with no_grad():
        out = f(*(Value(v) for v in values))
    return out.data if isinstance(out, Value) else _to_float(out, "the checked function's output")


def _differences(f: Callable, base: list[float], i: int, eps: float) -> tuple[float, float, float]:
    """Central, forward and backward difference quotients of f along input i."""
    f0 = _evaluate(f, base)
    up, down = list(base), list(base)
    up[i] += eps
    down[i] -= eps
    f_up, f_down = _evaluate(f, up), _evaluate(f, down)
    return (f_up - f_down) / (2 * eps), (f_up - f0) / eps, (f0 - f_down) / eps


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
    base = [v.data for v in _leaves(inputs)]
    return [_differences(f, base, i, eps)[0] for i in range(len(base))]


def _check_eps(eps) -> float:
    eps = _to_float(eps, "eps")
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
        return "KINK?" if self.kink else ("ok" if self.ok else "FAIL")


@dataclass
class GradcheckReport:
    """The result of :func:`gradcheck`; prints as a table, is truthy when every row passes."""

    rows: list[GradcheckRow]
    output: float
    eps: float
    atol: float
    rtol: float
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Every input agrees, not counting inputs at a kink (where the check means nothing)."""
        return all(r.ok for r in self.rows if not r.kink)

    @property
    def failures(self) -> list[GradcheckRow]:
        return [r for r in self.rows if not r.ok and not r.kink]

    def __bool__(self) -> bool:
        return self.ok

    def __str__(self) -> str:
        head = ("input", "value", "analytic", "numeric", "abs err", "rel err", "")
        body = [(r.name, f"{r.value:.6g}", f"{r.analytic:.10g}", f"{r.numeric:.10g}",
                 f"{r.abs_error:.2e}", f"{r.rel_error:.2e}", r.status) for r in self.rows]
        widths = [max(len(row[c]) for row in [head, *body]) for c in range(len(head))]
        lines = ["  ".join(cell.rjust(w) if c else cell.ljust(w)
                           for c, (cell, w) in enumerate(zip(row, widths))).rstrip()
                 for row in [head, *body]]
        lines.insert(1, "-" * len(lines[0]))
        verdict = "PASSED" if self.ok else f"FAILED for {', '.join(r.name for r in self.failures)}"
        lines.append(f"gradcheck {verdict} (eps={self.eps:g}, atol={self.atol:g}, "
                     f"rtol={self.rtol:g}; ok when |analytic - numeric| <= atol + rtol*|numeric|)")
        lines.extend(f"warning: {w}" for w in self.warnings)
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
    eps, atol, rtol = _check_eps(eps), _to_float(atol, "atol"), _to_float(rtol, "rtol")
    leaves = _leaves(inputs)
    out = f(*leaves)
    if not isinstance(out, Value):
        raise TypeError(f"gradcheck: f must return a Value, got {type(out).__name__} {out!r}")
    out.backward()
    base = [v.data for v in leaves]
    rows, notes = [], []
    for i, leaf in enumerate(leaves):
        numeric, forward, backward = _differences(f, base, i, eps)
        abs_error = abs(leaf.grad - numeric)
        scale = max(abs(leaf.grad), abs(numeric))
        tolerance = atol + rtol * abs(numeric)
        kink = abs(forward - backward) > 10 * (atol + rtol * max(abs(forward), abs(backward)))
        rows.append(GradcheckRow(leaf.label, leaf.data, leaf.grad, numeric, abs_error,
                                 abs_error / scale if scale else 0.0, abs_error <= tolerance, kink))
        if kink:
            notes.append(f"{leaf.label} = {leaf.data:g} is within eps of a kink: one-sided "
                         f"differences are {backward:.6g} (left) and {forward:.6g} (right), so "
                         "finite differences say nothing here; move the input away from it")
    for note in notes:
        warnings.warn(note, KinkWarning, stacklevel=2)
    return GradcheckReport(rows, out.data, eps, atol, rtol, notes)
