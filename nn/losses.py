"""Loss functions: each takes one sample or a batch and returns one Value, the loss L.

Predictions may be Values (or numbers, which are constants); targets are numbers, a list or
a numpy array shaped like the predictions. Sums over samples are one ``sum`` node.
Binary and softmax cross-entropy are one node per sample, each a row of the table of ops
(``autograd.extend.OPS``) defined here next to its loss: value and local derivative, the same
derivative written with ops (for second derivatives) and the SymPy form.
"""

from __future__ import annotations

import math
from numbers import Integral, Real

import numpy as np

from autograd import Value, sum_values
from autograd.extend import apply_op, define_op, is_finite_number, stable_sigmoid

__all__ = ["mse_loss", "bce_loss", "hinge_loss", "cross_entropy_loss", "PROB_EPS"]

PROB_EPS = 1e-12  # bce_loss clamps probabilities to [PROB_EPS, 1 - PROB_EPS]: never log(0)
_REDUCTIONS = ("mean", "sum")


# -- the rows: one per fused loss node -------------------------------------------------------

def _bce_value(p: float, y: float) -> tuple[float, tuple[float]]:
    """L = -(y ln q + (1-y) ln(1-q)), q = p clamped to [PROB_EPS, 1-PROB_EPS];
    ∂L/∂p = (q - y) / (q (1-q))."""
    q = min(max(p, PROB_EPS), 1.0 - PROB_EPS)
    return -(y * math.log(q) + (1.0 - y) * math.log1p(-q)), ((q - y) / (q * (1.0 - q)),)


def _bce_derivative(out, p, y: float) -> tuple:
    """(p - y) / (p (1-p)) with ops; where p is clamped the slope is a constant."""
    if not PROB_EPS <= p.data <= 1.0 - PROB_EPS:
        return _bce_value(p.data, y)[1]
    return ((p - y) / (p * (1.0 - p)),)


BCE = define_op("bce", _bce_value, _bce_derivative, domain=(0.05, 0.95),
                sympy=lambda sp, p, y: -(y * sp.log(p) + (1 - y) * sp.log(1 - p)),
                examples=tuple((1, {"y": y}) for y in (0.0, 1.0, 0.3)))


def _bce_logits_value(x: float, y: float) -> tuple[float, tuple[float]]:
    """L = max(x, 0) - y x + ln(1 + e^-|x|)  (the bce of σ(x), stable);  ∂L/∂x = σ(x) - y."""
    s, _ = stable_sigmoid(x)
    return max(x, 0.0) - y * x + math.log1p(math.exp(-abs(x))), (s - y,)


BCE_LOGITS = define_op("bce_logits", _bce_logits_value,
                       derivative=lambda out, x, y: (x.sigmoid() - y,),
                       sympy=lambda sp, x, y: sp.log(1 + sp.exp(x)) - y * x,
                       examples=tuple((1, {"y": y}) for y in (0.0, 1.0, 0.3)))


def _fill(values, layout: tuple | None) -> list:
    """All the logits: the Value arguments in order, constants (numbers in ``layout``) in place.

    ``layout`` is None when every logit is a Value (the usual case), else one entry per logit:
    None for the next Value argument, or the constant.
    """
    if layout is None:
        return list(values)
    rest = iter(values)
    return [next(rest) if c is None else c for c in layout]


def _cross_entropy_value(*zs: float, target: int, layout: tuple | None) -> tuple[float, tuple]:
    """L = ln Σ_i e^(z_i) - z_t (log-sum-exp around max z);  ∂L/∂z_i = softmax(z)_i - [i = t]."""
    xs = _fill(zs, layout)
    top = max(xs)
    exps = [math.exp(x - top) for x in xs]
    total = sum(exps)
    local = [e / total for e in exps]
    local[target] -= 1.0
    if layout is not None:
        local = [d for d, c in zip(local, layout) if c is None]
    return top + math.log(total) - xs[target], tuple(local)


def _cross_entropy_derivative(out, *zs, target: int, layout: tuple | None) -> tuple:
    """softmax_i - [i = t] with ops, as e^(z_i - z_t - L) since L + z_t = ln Σ e^z (no overflow)."""
    xs = _fill(zs, layout)
    return tuple((-out).exp() - 1.0 if i == target else (xs[i] - xs[target] - out).exp()
                 for i, x in enumerate(xs) if layout is None or layout[i] is None)


CROSS_ENTROPY = define_op(
    "cross_entropy", _cross_entropy_value, _cross_entropy_derivative, arity=None,
    sympy=lambda sp, *zs, target, layout: (sp.log(sp.Add(*map(sp.exp, _fill(zs, layout))))
                                           - _fill(zs, layout)[target]),
    examples=tuple((n, {"target": t, "layout": layout}) for t, layout, n in  # n: Value logits
                   [(0, None, 3), (2, None, 3), (1, (None, 0.5, None), 2), (0, (-0.3, None), 1)]))


def mse_loss(pred, target, reduction: str = "mean", half: bool = False) -> Value:
    """Squared error: L = mean (or sum) of (ŷ - y)²;  ``half=True`` gives the seed's ½(ŷ - y)².

    Args:
        pred: one prediction (a Value), a list of them, or a batch of lists (several outputs).
        target: numbers shaped like ``pred``.
        reduction: "mean" over all outputs of all samples, or "sum".
        half: multiply by ½, so that ∂L/∂ŷ = ŷ - y.

    Returns:
        The loss as a Value.
    """
    preds, targets = _flatten_pair(pred, target, "mse_loss")
    terms = [(p - t) ** 2 for p, t in zip(preds, targets)]
    return _reduce(terms, reduction, "mse_loss", 0.5 if half else 1.0)


def bce_loss(pred, target, from_logits: bool = False, reduction: str = "mean") -> Value:
    """Binary cross-entropy: L = -(y ln p + (1-y) ln(1-p));  ∂L/∂p = (p - y) / (p (1-p)).

    With ``from_logits=True`` the predictions are logits x and p = sigmoid(x), computed stably
    as L = max(x, 0) - y x + ln(1 + e^(-|x|));  ∂L/∂x = sigmoid(x) - y.
    Probabilities are clamped to [PROB_EPS, 1 - PROB_EPS] (the loss stays finite and the
    gradient keeps pushing the right way); probabilities outside [0, 1] are refused.

    Args:
        pred: probabilities in [0, 1] (or logits), one sample or a batch.
        target: numbers in [0, 1] shaped like ``pred``.
        from_logits: whether ``pred`` holds logits.
        reduction: "mean" or "sum".

    Returns:
        The loss as a Value.
    """
    preds, targets = _flatten_pair(pred, target, "bce_loss")
    rule = BCE_LOGITS if from_logits else BCE
    terms = []
    for i, (p, y) in enumerate(zip(preds, targets)):
        if not 0.0 <= y <= 1.0:
            raise ValueError(f"bce_loss: target {i} is {y!r}; targets must be in [0, 1]")
        x = p.data if type(p) is Value else p
        if not from_logits and not 0.0 <= x <= 1.0:
            raise ValueError(f"bce_loss: prediction {i} is {x!r}, not a probability in "
                             "[0, 1] (pass from_logits=True for logits)")
        if type(p) is Value:
            terms.append(apply_op(rule.tag(y=y), (p,)))  # the row caches one tag per target
        else:
            terms.append(rule.value(x, y)[0])
    return _reduce(terms, reduction, "bce_loss")


def hinge_loss(score, target, reduction: str = "mean") -> Value:
    """Max-margin loss (micrograd's moons demo): L = mean of relu(1 - y·s), labels y = ±1.

    Args:
        score: one score (a Value) or a list of them; the sign is the predicted class.
        target: -1 or +1 per score (for 0/1 labels pass ``2*y - 1``).
        reduction: "mean" or "sum".

    Returns:
        The loss as a Value.
    """
    scores, targets = _flatten_pair(score, target, "hinge_loss")
    for i, y in enumerate(targets):
        if y not in (-1.0, 1.0):
            raise ValueError(f"hinge_loss: target {i} is {y!r}; labels must be -1 or +1 "
                             "(for 0/1 labels pass 2*y - 1)")
    terms = [(s * -y + 1.0).relu() if type(s) is Value else max(0.0, 1.0 - y * s)
             for s, y in zip(scores, targets)]
    return _reduce(terms, reduction, "hinge_loss")


def cross_entropy_loss(logits, target, reduction: str = "mean") -> Value:
    """Softmax cross-entropy: L = log Σ_i e^(z_i) - z_t;  ∂L/∂z_i = softmax(z)_i - [i = t].

    The log-sum-exp is taken around max(z), so logits of ±1000 are fine.

    Args:
        logits: one sample's list of logits with an int ``target``, or a batch (list of
            lists) with one class index per sample.
        target: class index (0-based) or a list / numpy array of them.
        reduction: "mean" or "sum" over the batch.

    Returns:
        The loss as a Value.
    """
    if isinstance(target, np.ndarray):
        target = target.tolist()
    if _is_index(target):
        return _reduce([_cross_entropy(logits, target, "cross_entropy_loss")], reduction,
                       "cross_entropy_loss")
    if isinstance(target, (Real, Value)):
        raise TypeError(f"cross_entropy_loss: the target is a class index, so it must be an "
                        f"int (0, 1, 2, ...), got {type(target).__name__} {target!r}")
    samples, targets = _as_list(logits, "logits"), _as_list(target, "target")
    if len(samples) != len(targets):
        raise ValueError(f"cross_entropy_loss: {len(samples)} samples of logits but "
                         f"{len(targets)} targets")
    terms = [_cross_entropy(z, t, f"cross_entropy_loss, sample {i}")
             for i, (z, t) in enumerate(zip(samples, targets))]
    return _reduce(terms, reduction, "cross_entropy_loss")


def _cross_entropy(logits, t, who: str):
    zs = _as_list(logits, "logits")
    if not zs or not all(type(z) is Value or is_finite_number(z) for z in zs):
        raise ValueError(f"{who}: logits must be a non-empty list of Values or numbers")
    if not _is_index(t) or not 0 <= t < len(zs):
        raise ValueError(f"{who}: target must be a class index in 0..{len(zs) - 1}, got {t!r}")
    parents = tuple(z for z in zs if type(z) is Value)
    if len(parents) == len(zs):
        return apply_op(CROSS_ENTROPY.tag(target=t, layout=None), parents)
    layout = tuple(None if type(z) is Value else float(z) for z in zs)
    if not parents:
        return _cross_entropy_value(target=t, layout=layout)[0]
    return apply_op(CROSS_ENTROPY.new_tag(target=t, layout=layout), parents)


def _flatten_pair(pred, target, who: str) -> tuple[list, list[float]]:
    """Predictions and targets as two flat lists, after checking that they have one shape."""
    preds, targets = [], []
    stack = [(pred, target, "")]
    while stack:
        p, t, where = stack.pop()
        if isinstance(t, np.ndarray):
            t = t.tolist()
        if type(p) is Value or is_finite_number(p):
            if not is_finite_number(t):
                raise ValueError(f"{who}: prediction{where} is one number but its target is "
                                 f"{_describe(t)}")
            preds.append(p if type(p) is Value else float(p))
            targets.append(float(t))
            continue
        ps = _as_list(p, f"{who}: prediction{where}")
        if is_finite_number(t):
            raise ValueError(f"{who}: {len(ps)} predictions{where} but one target")
        ts = _as_list(t, f"{who}: target{where}")
        if len(ps) != len(ts):
            raise ValueError(f"{who}: {len(ps)} predictions{where} but {len(ts)} targets")
        for i in range(len(ps) - 1, -1, -1):  # reversed, so sample 0 is flattened first
            stack.append((ps[i], ts[i], f"{where}[{i}]"))
    if not preds:
        raise ValueError(f"{who}: no predictions")
    return preds, targets


def _reduce(terms: list, reduction: str, who: str, scale: float = 1.0) -> Value:
    """Σ terms, times ``scale`` (divided by the count for "mean"), labelled L."""
    if reduction not in _REDUCTIONS:
        raise ValueError(f"{who}: unknown reduction {reduction!r}; choose one of "
                         f"{', '.join(_REDUCTIONS)}")
    if reduction == "mean":
        scale /= len(terms)
    out = sum_values(terms)
    if scale != 1.0:
        out = out * scale
    out.label = "L"
    return out


def _as_list(x, what: str) -> list:
    if isinstance(x, np.ndarray):
        return x.tolist() if x.ndim else [x.item()]
    if isinstance(x, (str, bytes)):
        raise TypeError(f"{what}: expected numbers or Values, got {type(x).__name__} {x!r}")
    try:
        return list(x)
    except TypeError:
        raise TypeError(f"{what}: expected a number, a Value or a list, got "
                        f"{type(x).__name__}") from None


def _is_index(x) -> bool:
    return isinstance(x, Integral) and not isinstance(x, bool)


def _describe(x) -> str:
    try:
        return f"a list of {len(x)}"
    except TypeError:
        return f"{type(x).__name__} {x!r}"
