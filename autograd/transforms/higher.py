"""Gradients as values: ``grad`` (optionally a graph of its own), ``hessian`` and ``hvp``.

``grad`` is the chain rule's sweep (``autograd.chain.ChainRule``) from the outputs back to the
inputs, as ``backward`` does, but it keeps the gradients to itself: no ``.grad`` changes. With
``create_graph=True`` every step of the sweep is built from the graph's ops, using each op's
derivative written with ops (its row in the table of ops): ``tanh`` contributes
``(1 - t*t) * g``, a new node that depends on ``t``.
The gradients are then Values like any other, so they can be differentiated again (second and
third derivatives, Hessians), drawn, explained and checked.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from autograd.chain import ChainRule, chain_order
from autograd.core import Value, is_grad_enabled, to_float
from autograd.nary import sum_values

__all__ = ["grad", "hessian", "hvp", "fresh_leaves"]


def grad(outputs: Value | Sequence[Value], inputs: Value | Sequence[Value],
         grad_outputs=None, create_graph: bool = False) -> list[Value]:
    """∂(Σ_k v_k · output_k)/∂input for each input (v_k = 1 unless ``grad_outputs`` says).

    Like ``torch.autograd.grad``. No ``.grad`` is read or written.

    Args:
        outputs: one Value, or a list of Values (their weighted sum is differentiated).
        inputs: one Value or a list of them: leaves or intermediate nodes. An input the
            outputs do not depend on gets 0.
        grad_outputs: the weights v_k: None (all 1), one number or Value per output (a single
            one for a single output). Values are kept in the graph when ``create_graph``.
        create_graph: build the gradients from the graph's ops, so that they can be
            differentiated again; otherwise they are plain numbers wrapped in leaf Values.

    Returns:
        One Value per input. With ``create_graph=True`` a gradient may be a node of the graph
        itself (∂(x·w)/∂x is ``w``), or a new leaf when it is a constant.

    Raises:
        TypeError: for outputs or inputs that are not Values, and (with ``create_graph``) for
            a node whose op has no derivative written with ops: one made micrograd's way
            (``out._backward = fn``) or a ``custom_op`` whose derivative uses ``math``.
        ValueError: for no inputs, a wrong number of ``grad_outputs``, or ``create_graph``
            inside ``no_grad()``.
    """
    outs = _values(outputs, "outputs")
    ins = _values(inputs, "inputs")
    if not ins:
        raise ValueError("grad: no inputs to differentiate with respect to")
    if create_graph and not is_grad_enabled():
        raise ValueError("grad(create_graph=True) inside no_grad(): the gradient graph cannot "
                         "be built there; leave the no_grad block first")
    seeds = _seeds(grad_outputs, outs, create_graph)
    order = chain_order(outs)
    sweep = ChainRule(outs, seeds, through=_needed(order, ins), order=order,
                      **(_WITH_OPS if create_graph else {})).run()
    grads = [sweep.grad(x) for x in ins]
    if not all(_finite(g) for g in grads):
        _raise_not_finite(outs, seeds, order, ins, create_graph)
    return [_as_value(g) for g in grads] if create_graph else [Value(g) for g in grads]


def _finite(g) -> bool:
    x = g.data if isinstance(g, Value) else g
    return x - x == 0.0


def _raise_not_finite(outs, seeds, order, ins, create_graph: bool) -> None:
    """The sweep again, step by step, to name the op where a gradient stopped being finite."""
    steps = ChainRule(outs, seeds, through=_needed(order, ins), order=order,
                      **(_WITH_OPS if create_graph else {}))
    for step in steps:
        if not _finite(step.contribution) and _finite(steps.grad(step.node)):
            node = step.node
            local = step.local.data if isinstance(step.local, Value) else step.local
            g = steps.grad(node)
            g = g.data if isinstance(g, Value) else g
            args = ", ".join(f"{p.data:g}" for p in node._prev)
            raise OverflowError(f"grad: the gradient stops being finite at '{node._op}' of "
                                f"({args}): a local derivative of {local:g} times the gradient "
                                f"flowing in, {g:g}, overflows a float")
    raise OverflowError("grad: a gradient sums to a value too large for a float")


def _needed(order: list[Value], inputs: list[Value]) -> set[Value]:
    """The values that are inputs or depend on one: only edges into them carry gradient that
    reaches an input (``order`` is ``chain_order``: children first)."""
    needed = set(inputs)
    for node in reversed(order):
        if not needed.isdisjoint(node._prev):
            needed.add(node)
    return needed


def _as_value(g) -> Value:
    return g if isinstance(g, Value) else Value(g)


def _values(x, what: str) -> list[Value]:
    if not isinstance(x, Value) and not _iterable(x):
        raise TypeError(f"grad: {what} must be a Value or a list of Values, got "
                        f"{type(x).__name__} {x!r}")
    items = [x] if isinstance(x, Value) else list(x)
    for i, v in enumerate(items):
        if not isinstance(v, Value):
            raise TypeError(f"grad: {what}[{i}] must be a Value, got {type(v).__name__} {v!r}")
    return items


def _as_list(x, what: str, who: str) -> list:
    if isinstance(x, (str, bytes)):
        raise TypeError(f"{who}: {what} must be a list, got {x!r}")
    try:
        return list(x)
    except TypeError:
        raise TypeError(f"{who}: {what} must be a list, got {type(x).__name__} {x!r}") from None


def _seeds(grad_outputs, outs: list[Value], create_graph: bool) -> list:
    """The weight of each output: 1.0 by default; Values stay Values only for create_graph."""
    if grad_outputs is None:
        return [1.0] * len(outs)
    given = ([grad_outputs] if isinstance(grad_outputs, Value) or not _iterable(grad_outputs)
             else list(grad_outputs))
    if len(given) != len(outs):
        raise ValueError(f"grad: {len(given)} grad_outputs for {len(outs)} outputs; give one "
                         "weight per output")
    seeds = []
    for i, v in enumerate(given):
        if isinstance(v, Value):
            seeds.append(v if create_graph else v.data)
        else:
            seeds.append(to_float(v, f"grad: grad_outputs[{i}]"))
    return seeds


def _iterable(x) -> bool:
    try:
        iter(x)
    except TypeError:
        return False
    return not isinstance(x, (str, bytes))


def _derivatives_with_ops(node: Value) -> tuple:
    """∂node/∂parent for each parent, built with ops from the node's row in the table."""
    op = node._op
    rule = getattr(op, "rule", None)
    if rule is None:
        raise TypeError(
            f"grad(create_graph=True): {node!r}, made by op {str(op)!r}, has no derivative "
            "written with ops: it was built micrograd's way (Value(data, children, op) with "
            "out._backward = fn), so its local derivative is known only as a number and cannot "
            "be differentiated again. Build it from this library's ops, or make it a custom_op "
            "whose derivative is written with Value ops (first-order grad works as it is)")
    local = tuple(rule.derivative(node, *node._prev, **op.params))
    if len(local) != len(node._prev):
        raise ValueError(f"op {rule.name!r}: its derivative gave {len(local)} partials for "
                         f"{len(node._prev)} arguments")
    return local


def _is_zero(x) -> bool:
    return not isinstance(x, Value) and x == 0.0


def _times(d, g):
    """d · g, folding the numbers 0 and 1 so that the gradient graph has no ·0 and ·1 nodes."""
    if not isinstance(d, Value):
        if d == 1.0 or d == 0.0:
            return g if d == 1.0 else 0.0
        if not isinstance(g, Value):
            return d * g
    elif not isinstance(g, Value) and g == 1.0:
        return d
    return d * g


def _total(parts) -> float | Value:
    """Σ of the contributions reaching a node: a number, one Value, or one ``sum`` node."""
    parts = [p for p in parts if isinstance(p, Value) or p != 0.0]
    values = [p for p in parts if isinstance(p, Value)]
    if not values:
        return float(sum(parts))
    if len(values) == len(parts) == 1:
        return values[0]
    return sum_values(parts)


_WITH_OPS = {"local": _derivatives_with_ops, "times": _times, "total": _total}  # create_graph


def fresh_leaves(inputs: Sequence, who: str = "gradcheck") -> list[Value]:
    """New leaf Values with the inputs' data and labels (x0, x1, ... for numbers).

    Functions that differentiate ``f`` at a point work on these, so the caller's values stay
    untouched.
    """
    out = []
    for i, x in enumerate(_as_list(inputs, "inputs", who)):
        if isinstance(x, Value):
            out.append(Value(x.data, label=x.label or f"x{i}"))
        else:
            out.append(Value(to_float(x, f"{who} input {i}"), label=f"x{i}"))
    return out


def _gradient_graph(f: Callable, inputs: Sequence, who: str) -> tuple[list[Value], list[Value]]:
    """Fresh leaves for the inputs and the gradient of ``f`` at them, as a graph."""
    leaves = fresh_leaves(inputs, who)
    out = f(*leaves)
    if not isinstance(out, Value):
        raise TypeError(f"{who}: f must return a Value, got {type(out).__name__} {out!r}")
    return leaves, grad(out, leaves, create_graph=True)


def hessian(f: Callable, inputs: Sequence) -> list[list[float]]:
    """H_ij = ∂²f/∂x_i∂x_j: the gradient as a graph, then one backward pass over it per row.

    Args:
        f: called as ``f(*values)`` with one fresh leaf Value per input; returns a Value.
        inputs: numbers or Values (Values lend their data and are not modified).

    Returns:
        The Hessian as a list of rows (floats); symmetric up to rounding.
    """
    leaves, gradient = _gradient_graph(f, inputs, "hessian")
    return [[h.data for h in grad(g, leaves)] for g in gradient]


def hvp(f: Callable, inputs: Sequence, v: Sequence) -> list[float]:
    """H v = ∇(∇f · v): the Hessian times a vector in two backward passes, without H.

    Args:
        f: called as ``f(*values)`` with one fresh leaf Value per input; returns a Value.
        inputs: numbers or Values: the point.
        v: one number per input: the direction.

    Returns:
        (H v)_i for each input (floats).
    """
    inputs = _as_list(inputs, "inputs", "hvp")
    v = [to_float(x, f"hvp: v[{i}]") for i, x in enumerate(_as_list(v, "v", "hvp"))]
    if len(v) != len(inputs):
        raise ValueError(f"hvp: v has {len(v)} entries for {len(inputs)} inputs")
    leaves, gradient = _gradient_graph(f, inputs, "hvp")
    return [h.data for h in grad(gradient, leaves, grad_outputs=v)]
