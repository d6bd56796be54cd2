"""The usual slips in a hand-derived derivative, recognised from numbers at many points.

With F the learner's formula and D the true derivative at each point (the current values and
random ones), the slips are ratios that stay constant from point to point:

- the sign, or a constant factor:  F = c·D  (c = -1; c = 2 when the ½ of ½(ŷ - y)² is
  dropped);
- a missing local-derivative factor:  F·l = c·D, with l the local derivative of one edge
  (the formula skipped one link of the chain);
- an extra factor:  F = c·D·l;
- right at this point only:  F = D at the current values but not at the random points.

A ratio counts as constant when it agrees to 1e-5 at every point where D is not tiny.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction

from autograd.i18n import tr

__all__ = ["Diagnosis", "diagnose"]

_SAME = 1e-5  # relative spread allowed in a constant ratio


@dataclass(frozen=True)
class Diagnosis:
    """One slip: ``kind`` is "coincidence", "sign", "factor", "missing", "extra", "undefined",
    "zero", "tiny" (a difference below the tolerance that SymPy shows is real) or "wrong";
    ``factor`` is c above; ``edge`` is ``(child, parent, arg)`` of a missing or extra local
    derivative."""

    kind: str
    message: str
    factor: float | None = None
    edge: tuple | None = None


def diagnose(F: Sequence[float | None], D: Sequence[float], ok: Sequence[bool],
             edges: Sequence[tuple[tuple, Sequence[float]]], head: str,
             describe: Callable[[tuple], str],
             sizes: Sequence[float] | None = None) -> list[Diagnosis]:
    """The slips that explain why F differs from D (``[]`` when it does not).

    Args:
        F, D, ok: per point, the formula (None where undefined), the engine's derivative, and
            whether they agree; point 0 is the current values.
        edges: ``(edge, local derivative per point)``, the edges on a path to the output first.
        head: the derivative's name, e.g. ``∂L/∂w``.
        describe: ``describe(edge)`` -> ``∂child/∂parent = formula``.
        sizes: per point, the sum of |terms| whose sum is D (D itself when nothing cancels);
            points where D is a millionth of it or less are too blurred by rounding to use.

    Returns:
        A list of :class:`Diagnosis`, most telling first.
    """
    if all(ok):
        return []
    out = []
    if ok[0]:
        wrong = sum(1 for k in ok[1:] if not k)
        out.append(Diagnosis("coincidence", tr("right at this point only (a coincidence): it "
                                               "differs at {wrong} of {n} random points",
                                               wrong=wrong, n=len(ok) - 1)))
    sizes = sizes or [abs(d) for d in D]
    usable = [k for k, (f, d, s) in enumerate(zip(F, D, sizes))
              if f is not None and d != 0.0 and abs(d) > 1e-6 * s]  # a tiny D is fine
    undefined = sum(1 for f in F if f is None)
    if undefined:
        out.append(Diagnosis("undefined", tr("the formula cannot be evaluated at {undefined} "
                                             "of {n} points where the graph can",
                                             undefined=undefined, n=len(F))))
    if usable and all(F[k] == 0.0 for k in usable):
        k = 0 if 0 in usable else usable[0]
        where = tr("the current values") if k == 0 else tr("random point {k}", k=k)
        return out + [Diagnosis("zero", tr("the formula is 0 where {head} is not: it is "
                                           "{value:.4g} at {where} (small, but not 0)",
                                           head=head, value=D[k], where=where), 0.0)]
    match = _match(F, D, usable, edges) if len(usable) >= 3 else None
    if match is None:
        return out + [Diagnosis("wrong", tr("not a constant multiple of {head}, nor off by one "
                                            "local-derivative factor", head=head))]
    kind, edge, c = match
    if kind == "none" and _near(c, 1.0):  # agrees wherever it is defined, up to rounding
        return out if undefined else out + [Diagnosis("factor", tr(
            "close, but off by a factor of {c:.8g}", c=c), c)]
    return out + _explain(kind, edge, c, head, describe)


def _match(F, D, usable, edges) -> tuple | None:
    """The first (kind, edge, c) with F = c·D·g at every usable point, or None."""
    for kind, edge, g in _candidates(edges):
        ratios = [F[k] / (D[k] * g[k]) for k in usable if D[k] * g[k]]  # 0: underflow
        c = _constant(ratios, len(usable))
        if c is not None:
            return kind, edge, c
    return None


def _candidates(edges):
    """(kind, edge, g): F = c·D·g for a constant c; g = 1, 1/l (missing l) or l (extra l)."""
    yield "none", None, _Ones()
    for edge, local in edges:
        if all(math.isfinite(v) and v for v in local):
            yield "missing", edge, [1.0 / v for v in local]
    for edge, local in edges:
        if all(math.isfinite(v) and v for v in local):
            yield "extra", edge, local


class _Ones:
    def __getitem__(self, k: int) -> float:
        return 1.0


def _constant(ratios: list[float], needed: int) -> float | None:
    """The common value of the ratios, or None when they differ (or some are missing)."""
    if len(ratios) < needed or not all(math.isfinite(r) for r in ratios):
        return None
    c = statistics.median(ratios)
    if abs(c) < 1e-12 or any(abs(r - c) > _SAME * abs(c) for r in ratios):
        return None
    return c


def _near(x: float, y: float) -> bool:
    return abs(x - y) <= _SAME * abs(y)


def factor_text(c: float) -> str:
    """|c| or 1/|c| (whichever is >= 1) as a short number: 2, 3/2, 1.414."""
    k = abs(c) if abs(c) >= 1.0 else 1.0 / abs(c)
    fraction = Fraction(k).limit_denominator(12)
    if _near(float(fraction), k):
        return str(fraction)
    return f"{k:.4g}"


def _explain(kind: str, edge, c: float, head: str, describe) -> list[Diagnosis]:
    """The diagnoses for F = c·D·g: the edge of g (if any), then the sign, then the factor."""
    out = []
    if kind == "missing":
        out.append(Diagnosis("missing", tr("a factor is missing: {factor} (the formula times it "
                                           "gives {head})", factor=describe(edge), head=head),
                             c, edge))
    elif kind == "extra":
        out.append(Diagnosis("extra", tr("an extra factor: {factor} (the formula divided by it "
                                         "gives {head})", factor=describe(edge), head=head),
                             c, edge))
    only_sign = kind == "none" and _near(c, -1.0)
    if c < 0:
        out.append(Diagnosis("sign", tr("the sign is flipped: the formula is -{head}", head=head)
                             if only_sign else tr("the sign is flipped"), c))
    if not _near(abs(c), 1.0):
        k = factor_text(c)
        times = f"{k} × {head}" if abs(c) > 1.0 else f"{head} / {k}"
        formula = "-" + times if c < 0 else times
        out.append(Diagnosis("factor", tr("off by a factor of {k}: the formula is {formula}",
                                          k=k, formula=formula)
                             if kind == "none" else tr("off by a factor of {k}", k=k), c))
    return out
