"""Collapsed boxes: one per neuron call or layer call, and one per term of parameters only.

Used by ``draw_dot(collapse='neuron' | 'layer')`` and by the plate view. Neurons are found by
the labels nn gives them (``z[l]_k``, ``a[l]_k``).
"""

from __future__ import annotations

from autograd import Value, local_derivatives
from visualize.boxes import Box, Context, is_dead_relu, order_key
from visualize.style import parse_label

__all__ = ["collapsed_boxes", "parameter_terms", "term_box", "neurons_of", "link"]


def parameter_terms(topo: list[Value], ctx: Context) -> dict[int, Value]:
    """id of each value computed from parameters and constants only -> the top of its term.

    A term such as micrograd's L2 penalty ``1e-4 * sum(p*p for p in params)`` (over a
    thousand values) is then drawn as one box. Constants used inside a term belong to it;
    a neuron (labelled z[l]_k or a[l]_k) never does, even when its inputs were plain numbers.
    """
    state: dict[int, str] = {}  # 'p' parameter, 'c' constant, 't' inside a term
    for v in topo:
        if not v._prev:
            kind = ctx.kind(v)
            state[id(v)] = "p" if kind == "parameter" else "c" if kind == "constant" else ""
            continue
        seen = {state.get(id(p), "") for p in v._prev}
        neuron = (parse_label(v.label) or "W")[0] in "za"  # fed by data given as numbers
        state[id(v)] = "t" if "" not in seen and seen & {"p", "t"} and not neuron else ""
    inside = {id(v) for v in topo if state[id(v)] == "t"}
    used_outside = {id(p) for v in topo if id(v) not in inside for p in v._prev}
    top_of: dict[int, Value] = {}
    for v in reversed(topo):  # tops first, then each member takes the first top above it
        if id(v) not in inside:
            continue
        if id(v) in used_outside or v is topo[-1]:
            top_of[id(v)] = v
        for p in v._prev:
            if (id(p) in inside or state[id(p)] == "c") and id(p) not in top_of:
                top_of[id(p)] = top_of[id(v)]  # constants used once: folded in as well
    return top_of


def term_box(top: Value, members: list[Value], ctx: Context) -> Box:
    """One box for a parameter term, titled by what it computes when that is an L2 penalty."""
    members = [m for m in members if m._prev]
    params = {id(p): p for m in members for p in m._prev if ctx.kind(p) == "parameter"}
    squares = all(m._op == "**2" or (m._op == "*" and m._prev[0] is m._prev[1])
                  for m in members if any(id(p) in params for p in m._prev))
    sums = all(m._op in ("+", "sum", "*", "**2") for m in members)
    scale = ""
    if top._op == "*" and len(top._prev) == 2:
        consts = [p for p in top._prev if not p._prev and ctx.kind(p) == "constant"]
        scale = f"{ctx.num(consts[0].data)} · " if len(consts) == 1 else ""
    n = len(params)
    what = f"{scale}Σ p² over {n} parameters" if squares and sums else \
        f"term of {n} parameters ({len(members)} values)"
    box = Box(top, "intermediate", what, "", ctx.grad(top))
    box.fields = [f"data {ctx.num(top.data)}", *ctx.grad_lines(box.grad)]
    return box


def neurons_of(topo: list[Value]) -> dict[int, tuple[Value, Value]]:
    """id of each neuron's z and a -> (its output, its z), from the labels nn gives them."""
    labels = {id(v): parse_label(v.label) for v in topo}
    neuron_of = {}
    for v in topo:
        lab = labels[id(v)]
        if lab and lab[0] == "a" and len(v._prev) == 1:
            z = v._prev[0]
            if labels.get(id(z)) == ("z", lab[1], lab[2]):
                neuron_of[id(z)] = neuron_of[id(v)] = (v, z)
    for v in topo:
        lab = labels[id(v)]
        if lab and lab[0] == "z" and id(v) not in neuron_of:
            neuron_of[id(v)] = (v, v)
    return neuron_of


def collapsed_boxes(topo: list[Value], ctx: Context, collapse: str) -> dict[int, Box]:
    """Boxes with each neuron call (z, activation, its W and b) as one record ('neuron') or
    each layer call as one record ('layer'); parameter terms (an L2 penalty) as one box."""
    neuron_of = neurons_of(topo)
    if not neuron_of:
        raise ValueError(f"collapse={collapse!r} needs a graph built by nn modules, whose neuron "
                         "nodes are labelled z[l]_k / a[l]_k; this graph has no such labels. "
                         "Use collapse=None, max_depth=N or a larger max_nodes instead")
    terms = parameter_terms(topo, ctx)
    users: dict[int, list[Value]] = {}
    for v in topo:
        for p in v._prev:
            users.setdefault(id(p), []).append(v)
    z_ids = {id(z) for _, z in neuron_of.values()}
    hidden = {id(v) for v in topo if not v._prev and ctx.kind(v) == "parameter"
              and all(id(u) in z_ids or id(u) in terms for u in users.get(id(v), ()))}

    boxes: dict[int, Box] = {}
    layers: dict[tuple, Box] = {}
    members: dict[int, list[Value]] = {}
    for v in topo:
        if id(v) in terms:
            members.setdefault(id(terms[id(v)]), []).append(v)
    pending = []  # (box, [(parent, local, argument)]): inputs are linked once every box exists
    for v in topo:
        if id(v) in hidden:
            continue
        if id(v) in terms:
            if terms[id(v)] is v:
                boxes[id(v)] = term_box(v, members[id(v)], ctx)
            continue
        if id(v) not in neuron_of:
            box = boxes[id(v)] = ctx.value_box(v)
            pending.append((box, [(p, local, i) for i, (p, local)
                                  in enumerate(zip(v._prev, local_derivatives(v)))
                                  if id(p) not in hidden]))
            continue
        out, z = neuron_of[id(v)]
        if v is not out:
            continue  # the z inside a neuron: drawn as part of its output's box
        box = _neuron_box(out, z, ctx, collapse, hidden, layers, pending)
        boxes[id(out)] = box
    for out, z in neuron_of.values():
        boxes[id(z)] = boxes[id(out)]
    link(pending, boxes, terms)
    return boxes


def link(pending: list, boxes: dict, terms: dict[int, Value]) -> None:
    """Give each box its inputs: (box, [(parent value, local or None, argument)]) pairs.

    A parent inside a term is the term's box. An edge without a local derivative stands for
    all the edges from one box (a layer, a group of parameters), so it is drawn once.
    """
    for box, inputs in pending:
        seen = {id(src) for src, _, _ in box.inputs}
        for p, local, i in inputs:
            src = boxes[id(terms[id(p)])] if id(p) in terms else boxes[id(p)]
            if src is box or (local is None and id(src) in seen):
                continue
            seen.add(id(src))
            box.inputs.append((src, local, i))


def _neuron_box(out: Value, z: Value, ctx: Context, collapse: str, hidden: set,
                layers: dict, pending: list) -> Box:
    """The record of one neuron call, or the row it adds to its layer call's record."""
    _, layer, k = parse_label(out.label)
    act = local_derivatives(out)[0] if out is not z else 1.0
    outside = [(p, act * local, i) for i, (p, local) in enumerate(zip(z._prev,
                                                                       local_derivatives(z)))
               if id(p) not in hidden]
    key = (layer, tuple(id(p) for p, _, _ in outside)
           or tuple(loc for p, loc in zip(z._prev, local_derivatives(z))
                    if (parse_label(p.label) or ("",))[0] == "W"))
    formula = "Σ w·x + b" if out is z else f"{out._op}(Σ w·x + b)"
    dead = is_dead_relu(out)
    if collapse == "neuron":
        box = Box(out, "intermediate", out.label, "", ctx.grad(out))
        box.fields = [f"data {ctx.num(out.data)}", *ctx.grad_lines(box.grad)]
        box.dead = dead
        box.cluster = (f"layer{key!r}", f"layer {layer}: {out.label[0]} = {formula}")
        box.order = order_key(out.label)
        pending.append((box, outside))
        return box
    box = layers.get(key)
    if box is None:
        box = layers[key] = Box(out, "intermediate", f"layer {layer}", "",
                                None if ctx.values_only else 0.0)
    pending.append((box, [(p, None, i) for p, _, i in outside]))
    grad = ctx.grad(out)
    if grad is not None:
        box.grad = max(box.grad, abs(grad))
    box.fields.append(", ".join([f"{out.label} = {ctx.num(out.data)}", *ctx.grad_lines(grad)])
                      + (" (dead)" if dead else ""))
    return box
