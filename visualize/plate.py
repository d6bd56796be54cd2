"""The plate view: structure repeated once per sample drawn once, inside a box marked "× N".

As in the plate notation of graphical models: a loss over N samples repeats the same
computation N times with the same parameters. Values get a structural signature (op and the
signatures of their arguments; a parameter is itself, any other leaf only its kind), and the
largest class of values with one signature whose users are not repeated is the per-sample
output. One sample is drawn inside the plate (the one with the largest |grad| inside, so the
numbers show gradient flowing; its layers summarised when nn labelled them), the
parameters outside it one box per layer, the sum over samples as one box, and a term of
parameters only (an L2 penalty) as one box.
"""

from __future__ import annotations

from autograd import Value, local_derivatives
from visualize.boxes import Box, Context, is_dead_relu
from visualize.collapse import link, neurons_of, parameter_terms, term_box
from visualize.style import parse_label

__all__ = ["plate_boxes"]


def _signatures(topo: list[Value], ctx: Context, skip: dict) -> dict[int, int]:
    """id -> structural class: equal for the same computation on the same parameters."""
    table: dict[tuple, int] = {}
    sig: dict[int, int] = {}
    for v in topo:
        if id(v) in skip:
            key = ("term", id(skip[id(v)]))
        elif not v._prev:
            kind = ctx.kind(v)
            key = ("param", id(v)) if kind == "parameter" else ("leaf", kind)
        else:
            key = (v._op, *(sig[id(p)] for p in v._prev))
        sig[id(v)] = table.setdefault(key, len(table))
    return sig


def _samples(topo: list[Value], ctx: Context, terms: dict) -> list[Value]:
    """The per-sample outputs, one per sample, in topological order."""
    sig = _signatures(topo, ctx, terms)
    interior = [v for v in topo if v._prev and id(v) not in terms]
    count: dict[int, int] = {}
    for v in interior:
        count[sig[id(v)]] = count.get(sig[id(v)], 0) + 1
    repeated_users = set()
    for v in interior:
        if count[sig[id(v)]] > 1:
            repeated_users.update(sig[id(p)] for p in v._prev)
    tops: dict[int, list[Value]] = {}
    for v in interior:
        s = sig[id(v)]
        if count[s] > 1 and s not in repeated_users:
            tops.setdefault(s, []).append(v)
    if not tops:
        raise ValueError("collapse='plate': no computation is repeated per sample in this graph "
                         "(a loss over several samples repeats one); use collapse='neuron' or "
                         "'layer' instead")
    return max(tops.values(), key=len)


def _private(top: Value, ctx: Context, terms: dict, owner: dict, n: int) -> list[Value]:
    """The values only ``top``'s sample computes: its ancestors, parameters and terms left out."""
    stack, found = [top], []
    while stack:
        v = stack.pop()
        if id(v) in owner:
            if owner[id(v)] != n:
                raise ValueError("collapse='plate': samples share intermediate values, so the "
                                 "graph has no plate structure; use collapse='layer' instead")
            continue
        owner[id(v)] = n
        found.append(v)
        stack.extend(p for p in v._prev if id(p) not in terms and ctx.kind(p) != "parameter")
    return found


def _sums(topo: list[Value], tops: set[int], ctx: Context) -> dict[int, Value]:
    """id of each +/sum value adding up the per-sample outputs (and of each constant in
    such a chain, as the 0 that Python's ``sum`` starts from) -> the top of its chain."""
    inside: set[int] = set()
    for v in topo:
        if v._op in ("+", "sum") and v._prev and any(
                id(p) in tops or id(p) in inside for p in v._prev) and all(
                id(p) in tops or id(p) in inside or ctx.kind(p) == "constant" for p in v._prev):
            inside.add(id(v))
    top_of: dict[int, Value] = {}
    for v in reversed(topo):
        if id(v) in inside:
            top = top_of.setdefault(id(v), v)
            for p in v._prev:
                if id(p) in inside or id(p) not in tops:  # the chain, and its constants
                    top_of.setdefault(id(p), top)
    return top_of


def _layer_box(layer: int, outs: list[Value], ctx: Context) -> Box:
    """One record summarising a layer of one sample: size, activation, range, gradients."""
    act = outs[0]._op if outs[0]._op != "linear" else "linear"
    grads = [ctx.grad(v) for v in outs]
    box = Box(outs[-1], "intermediate", f"layer {layer}: {len(outs)} × {act}", "",
              None if ctx.values_only else max(abs(g) for g in grads))
    if len(outs) == 1:
        box.fields = [f"{outs[0].label}: data {ctx.num(outs[0].data)}",
                      *ctx.grad_lines(grads[0])]
    else:
        lo, hi = min(v.data for v in outs), max(v.data for v in outs)
        box.fields = [f"a[{layer}] from {ctx.num(lo)} to {ctx.num(hi)}",
                      *ctx.grad_lines(box.grad, "max |grad|")]
    dead = sum(is_dead_relu(v) for v in outs)
    if dead:
        box.fields.append(f"{dead} dead ReLU")
    return box


def _group(p: Value) -> int | None:
    """The layer of an nn parameter (``W[l]_jk``, ``b[l]_k``); None for any other."""
    lab = parse_label(p.label)
    return lab[1] if lab and lab[0] in "Wb" else None


def _param_box(key: int | None, params: list[Value], ctx: Context) -> Box:
    grads = [abs(ctx.grads(p)) for p in params]
    title = f"W[{key}], b[{key}]" if key is not None else "parameters"
    box = Box(params[0], "parameter", title, "", None if ctx.values_only else max(grads))
    box.fields = [f"{len(params)} parameters", *ctx.grad_lines(box.grad, "max |grad|")]
    return box


def plate_boxes(topo: list[Value], ctx: Context) -> dict[int, Box]:
    """The boxes of the plate view (see the module docstring), in topological order."""
    if not any(ctx.kind(v) == "parameter" for v in topo):
        raise ValueError("collapse='plate' must know the parameters, which sit outside the "
                         "plate: build the model with nn, or pass params=model.parameters()")
    terms = parameter_terms(topo, ctx)
    samples = _samples(topo, ctx, terms)
    owner: dict[int, int] = {}
    privates = [_private(top, ctx, terms, owner, n) for n, top in enumerate(samples)]
    flow = [max((abs(ctx.grads(v)) for v in private if v._prev and v is not top), default=0.0)
            for private, top in zip(privates, samples)]
    shown = flow.index(max(flow))  # the first sample where most gradient flows
    first = {id(v) for v in privates[shown]}
    sums = _sums(topo, {id(t) for t in samples}, ctx)
    label = f"× {len(samples)} samples (numbers: sample {shown}, X[{shown}])"
    plate = ("plate", label)

    neuron_of = neurons_of([v for v in topo if id(v) in first])
    layer_of = {id(out): parse_label(out.label)[1] for out, _ in neuron_of.values()}
    outs_by_layer: dict[int, list[Value]] = {}
    for out, _ in dict.fromkeys(neuron_of.values()):
        outs_by_layer.setdefault(layer_of[id(out)], []).append(out)

    groups: dict[int | None, list[Value]] = {}
    for v in topo:
        if not v._prev and ctx.kind(v) == "parameter":
            groups.setdefault(_group(v), []).append(v)
    boxes: dict = {}
    members: dict[int, list[Value]] = {}
    for v in topo:
        if id(v) in terms:
            members.setdefault(id(terms[id(v)]), []).append(v)
    pending: list[tuple[Box, list[tuple[Value, float | None, int]]]] = []
    for v in topo:
        if id(v) in owner and id(v) not in first:
            continue  # samples 2..N
        if id(v) in terms:
            if terms[id(v)] is v:
                boxes[id(v)] = term_box(v, members[id(v)], ctx)
            continue
        if id(v) in sums:
            top = sums[id(v)]
            if top is v:
                box = boxes[id(v)] = Box(v, "intermediate", f"Σ over {len(samples)} samples",
                                         "", ctx.grad(v))
                box.fields = [f"data {ctx.num(v.data)}", *ctx.grad_lines(box.grad)]
                pending.append((box, [(samples[shown], None, 0)]))
            continue
        if not v._prev and ctx.kind(v) == "parameter":
            key = _group(v)
            box = boxes.get(("params", key))
            if box is None:
                box = boxes[("params", key)] = _param_box(key, groups[key], ctx)
            boxes[id(v)] = box
            continue
        if id(v) in neuron_of:
            out, z = neuron_of[id(v)]
            layer = layer_of[id(out)]
            box = boxes.get(("layer", layer))
            if box is None:
                box = boxes[("layer", layer)] = _layer_box(layer, outs_by_layer[layer], ctx)
                box.cluster = plate
            boxes[id(v)] = box
            pending.append((box, [(p, None, 0) for p in z._prev]))
            continue
        box = boxes[id(v)] = ctx.value_box(v)
        if id(v) in first:
            box.cluster = plate
        pending.append((box, [(p, None if ctx.kind(p) == "parameter" else local, i)  # a group
                              for i, (p, local) in enumerate(zip(v._prev,
                                                                 local_derivatives(v)))]))
    boxes[id(samples[shown])].many = f"{len(samples)} terms"
    link(pending, boxes, terms)
    return {k: b for k, b in boxes.items() if isinstance(k, int)}
