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
from autograd.extend import tr
from visualize.boxes import Box, Context, is_dead_relu
from visualize.collapse import (
    given_numbers,
    layer_of,
    link,
    neurons_of,
    numbers_box,
    parameter_terms,
    parameters_box,
    term_box,
    term_members,
)
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
    act = outs[0]._op  # the outputs' op: the activation, or linear (z itself) when there is none
    grads = [ctx.grad(v) for v in outs]
    box = Box(outs[-1], "intermediate", tr("layer {l}: {n} × {op}", l=layer, n=len(outs), op=act),
              "",
              None if ctx.values_only else max(abs(g) for g in grads))
    if len(outs) == 1:
        box.fields = [f"{outs[0].label}: data {ctx.num(outs[0].data)}",
                      *ctx.grad_lines(grads[0])]
    else:
        lo, hi = min(v.data for v in outs), max(v.data for v in outs)
        name = "a[" + str(layer) + "]"
        box.fields = [tr("{name} from {low} to {high}", name=name, low=ctx.num(lo),
                         high=ctx.num(hi)),
                      *ctx.grad_lines(box.grad, "max |grad|")]
    dead = sum(is_dead_relu(v) for v in outs)
    if dead:
        box.fields.append(tr("{n} dead ReLU", n=dead))
    return box


def plate_boxes(topo: list[Value], ctx: Context) -> dict:
    """The boxes of the plate view (see the module docstring), in topological order, by the
    id of each value they draw (and by a key of their own for parameter groups, layers and
    inputs given as numbers)."""
    if not any(ctx.kind(v) == "parameter" for v in topo):
        raise ValueError("collapse='plate' must know the parameters, which sit outside the "
                         "plate: build the model with nn, or pass params=model.parameters()")
    plate = _Plate(topo, ctx)
    for v in topo:
        plate.add(v)
    return plate.finish()


class _Plate:
    """The plate view's boxes, built value by value in topological order."""

    def __init__(self, topo: list[Value], ctx: Context):
        self.ctx = ctx
        self.terms = terms = parameter_terms(topo, ctx)
        self.samples = samples = _samples(topo, ctx, terms)
        self.owner: dict[int, int] = {}
        privates = [_private(top, ctx, terms, self.owner, n) for n, top in enumerate(samples)]
        flow = [max((abs(ctx.grads(v)) for v in private if v._prev and v is not top),
                    default=0.0) for private, top in zip(privates, samples)]
        self.shown = shown = flow.index(max(flow))  # the first sample where most flows
        self.first = {id(v) for v in privates[shown]}
        self.sums = _sums(topo, {id(t) for t in samples}, ctx)
        self.cluster = ("plate", tr("× {n} samples (numbers: sample {shown}, X[{shown}])",
                                    n=len(samples), shown=shown))
        self.neuron_of = neurons_of([v for v in topo if id(v) in self.first])
        self.outs: dict[int, list[Value]] = {}   # layer -> its neurons' outputs
        for out, _ in dict.fromkeys(self.neuron_of.values()):
            self.outs.setdefault(parse_label(out.label)[1], []).append(out)
        self.groups: dict[int | None, list[Value]] = {}
        for v in topo:
            if not v._prev and ctx.kind(v) == "parameter":
                self.groups.setdefault(layer_of(v), []).append(v)
        self.members = term_members(topo, terms)
        self.boxes: dict = {}
        self.pending: list = []   # (box, [(parent, local, argument)]): linked at the end

    def add(self, v: Value) -> None:
        """The box that draws v (none for samples other than the one shown)."""
        if id(v) in self.owner and id(v) not in self.first:
            return
        if id(v) in self.terms:
            if self.terms[id(v)] is v:
                self.boxes[id(v)] = term_box(v, self.members[id(v)], self.ctx)
        elif id(v) in self.sums:
            if self.sums[id(v)] is v:
                self._sum(v)
        elif not v._prev and self.ctx.kind(v) == "parameter":
            key = layer_of(v)
            if ("params", key) not in self.boxes:
                self.boxes[("params", key)] = parameters_box(key, self.groups[key], self.ctx)
            self.boxes[id(v)] = self.boxes[("params", key)]
        elif id(v) in self.neuron_of:
            self._layer(v)
        else:
            box = self.boxes[id(v)] = self.ctx.value_box(v)
            if id(v) in self.first:
                box.cluster = self.cluster
            self.pending.append((box, [(p, None if self.ctx.kind(p) == "parameter" else d, i)
                                       for i, (p, d) in enumerate(zip(v._prev,
                                                                      local_derivatives(v)))]))

    def _sum(self, v: Value) -> None:
        """The sum over samples, as one box fed by the sample shown."""
        box = self.boxes[id(v)] = Box(v, "intermediate",
                                      tr("Σ over {n} samples", n=len(self.samples)), "",
                                      self.ctx.grad(v))
        box.fields = [f"data {self.ctx.num(v.data)}", *self.ctx.grad_lines(box.grad)]
        self.pending.append((box, [(self.samples[self.shown], None, 0)]))

    def _layer(self, v: Value) -> None:
        """The shown sample's layer box that v (a neuron's z or a) is drawn in."""
        out, z = self.neuron_of[id(v)]
        layer = parse_label(out.label)[1]
        xs = given_numbers(z, local_derivatives(z), self.ctx) if v is z else None
        if xs is not None and ("numbers", xs) not in self.boxes:   # before the layer it feeds
            numbers = self.boxes[("numbers", xs)] = numbers_box(xs, layer, self.ctx, self.shown)
            numbers.cluster = self.cluster
        box = self.boxes.get(("layer", layer))
        if box is None:
            box = self.boxes[("layer", layer)] = _layer_box(layer, self.outs[layer], self.ctx)
            box.cluster = self.cluster
        self.boxes[id(v)] = box
        self.pending.append((box, [(p, None, 0) for p in z._prev]))
        if xs is not None:   # the sample's inputs, given as numbers
            self.pending.append((box, [(self.boxes[("numbers", xs)], None, 0)]))

    def finish(self) -> dict:
        self.boxes[id(self.samples[self.shown])].many = tr("{n} terms", n=len(self.samples))
        link(self.pending, self.boxes, self.terms)
        return self.boxes
