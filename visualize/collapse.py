"""Collapsed boxes: one per neuron call or layer call, and one per term of parameters only.

Used by ``draw_dot(collapse='neuron' | 'layer')`` and by the plate view. Neurons are found by
the labels nn gives them (``z[l]_k``, ``a[l]_k``).
"""

from __future__ import annotations

from collections.abc import Collection

from autograd import Value, local_derivatives
from autograd.extend import labels, tr, trn
from visualize.boxes import Box, Context, is_dead_relu, order_key
from visualize.style import parse_label

__all__ = ["collapsed_boxes", "parameter_terms", "term_box", "term_members", "neurons_of",
           "link", "layer_of", "parameters_box", "given_numbers", "numbers_box"]


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
    what = [f"{scale}Σ p²", trn("p: {n} parameter", "p: {n} parameters", n)] \
        if squares and sums else [trn("term of {n} parameter", "term of {n} parameters", n),
                                  trn("({n} value)", "({n} values)", len(members))]
    if top.label:   # its name first (a regularisation loss, say)
        what = [top.label, " ".join(what)]
    box = Box(top, "intermediate", what[0], "", ctx.grad(top))
    box.fields = [what[1], f"data {ctx.num(top.data)}", *ctx.grad_lines(box.grad)]
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


def collapsed_boxes(topo: list[Value], ctx: Context, collapse: str,
                    expand: Collection[tuple[int, int]] = ()) -> dict:
    """Boxes with each neuron call (z, activation, its W and b) as one record ('neuron') or
    each layer call as one record ('layer', its W and b as one box beside it); parameter
    terms (an L2 penalty) as one box; inputs given as numbers as one box per sample.
    Neurons whose (layer, k) is in ``expand`` are drawn value by value instead."""
    neuron_of = neurons_of(topo)
    if not neuron_of:
        raise ValueError(f"collapse={collapse!r} needs a graph built by nn modules, whose neuron "
                         "nodes are labelled z[l]_k / a[l]_k; this graph has no such labels. "
                         "Use collapse=None, max_depth=N or a larger max_nodes instead")
    if expand:
        neuron_of = {key: (out, z) for key, (out, z) in neuron_of.items()
                     if parse_label(out.label)[1:] not in expand}
    terms = parameter_terms(topo, ctx)
    hidden = _inside_neurons(topo, ctx, neuron_of, terms)
    members = term_members(topo, terms)
    boxes: dict = {}
    build = _Neurons(ctx, collapse, hidden, boxes)
    for v in topo:
        if id(v) in hidden:
            if collapse == "layer":   # W[l], b[l]: one box per layer
                boxes[id(v)] = build.parameters(v, topo)
        elif id(v) in terms:
            if terms[id(v)] is v:
                boxes[id(v)] = term_box(v, members[id(v)], ctx)
        elif id(v) not in neuron_of:
            box = boxes[id(v)] = ctx.value_box(v)
            build.pending.append((box, [(p, local, i) for i, (p, local)
                                        in enumerate(zip(v._prev, local_derivatives(v)))
                                        if id(p) not in hidden]))
        elif neuron_of[id(v)][0] is v:   # a neuron's output (its z is drawn inside it)
            boxes[id(v)] = build.neuron(*neuron_of[id(v)])
    for out, z in neuron_of.values():
        boxes[id(z)] = boxes[id(out)]
    link(build.pending, boxes, terms)
    if expand:
        _expanded_in_their_layer(topo, boxes, expand)
    return boxes


def _expanded_in_their_layer(topo: list[Value], boxes: dict, expand) -> None:
    """An expanded neuron's z and a go in the cluster of the other neurons of its layer (where
    the layer has one: one sample), so the layer reads a[l]_1, a[l]_2, … in index order."""
    clusters: dict[int, set] = {}
    for box in boxes.values():
        lab = parse_label(box.value.label) if box.cluster and box.value is not None else None
        if lab and lab[0] in "az":
            clusters.setdefault(lab[1], set()).add(box.cluster)
    for v in topo:
        lab = parse_label(v.label)
        if lab and lab[0] in "az" and lab[1:] in expand and len(clusters.get(lab[1], ())) == 1:
            boxes[id(v)].cluster = next(iter(clusters[lab[1]]))


def _inside_neurons(topo: list[Value], ctx: Context, neuron_of: dict, terms: dict) -> set[int]:
    """ids of the parameters that only neurons (and parameter terms) use: drawn inside them."""
    users: dict[int, list[Value]] = {}
    for v in topo:
        for p in v._prev:
            users.setdefault(id(p), []).append(v)
    z_ids = {id(z) for _, z in neuron_of.values()}
    return {id(v) for v in topo if not v._prev and ctx.kind(v) == "parameter"
            and all(id(u) in z_ids or id(u) in terms for u in users.get(id(v), ()))}


def term_members(topo: list[Value], terms: dict[int, Value]) -> dict[int, list[Value]]:
    """id of each term's top -> the values inside that term."""
    members: dict[int, list[Value]] = {}
    for v in topo:
        if id(v) in terms:
            members.setdefault(id(terms[id(v)]), []).append(v)
    return members


def link(pending: list, boxes: dict, terms: dict[int, Value]) -> None:
    """Give each box its inputs: (box, [(parent, local or None, argument)]) pairs, a parent
    being a Value or a Box drawn for no single value (inputs given as numbers).

    A parent inside a term is the term's box. An edge without a local derivative stands for
    all the edges from one box (a layer, a group of parameters), so it is drawn once.
    """
    for box, inputs in pending:
        seen = {id(src) for src, _, _ in box.inputs}
        for p, local, i in inputs:
            if isinstance(p, Box):
                src = p
            else:
                src = boxes[id(terms[id(p)])] if id(p) in terms else boxes[id(p)]
            if src is box or (local is None and id(src) in seen):
                continue
            seen.add(id(src))
            box.inputs.append((src, local, i))


def layer_of(p: Value) -> int | None:
    """The layer of an nn parameter (``W[l]_jk``, ``b[l]_k``); None for any other."""
    lab = parse_label(p.label)
    return lab[1] if lab and lab[0] in "Wb" else None


def parameters_box(key: int | None, params: list[Value], ctx: Context) -> Box:
    """One box for a layer's parameters (W[l], b[l]): how many, and the largest |grad|."""
    grads = [abs(ctx.grads(p)) for p in params]
    title = f"W[{key}], b[{key}]" if key is not None else tr("parameters")
    box = Box(params[0], "parameter", title, "", None if ctx.values_only else max(grads))
    box.fields = [trn("{n} parameter", "{n} parameters", len(params)),
                  *ctx.grad_lines(box.grad, "max |grad|")]
    return box


class _Neurons:
    """Builds the box of each neuron call ('neuron') or the row it adds to its layer call's
    box ('layer'), with the boxes they read from: a layer's parameters, inputs as numbers."""

    def __init__(self, ctx: Context, collapse: str, hidden: set[int], boxes: dict):
        self.ctx, self.collapse, self.hidden, self.boxes = ctx, collapse, hidden, boxes
        self.layers: dict[tuple, Box] = {}
        self.groups: dict[int | None, Box] = {}
        self.pending: list = []   # (box, [(parent, local, argument)]): linked at the end

    def parameters(self, p: Value, topo: list[Value]) -> Box:
        key = layer_of(p)
        if key not in self.groups:
            params = [v for v in topo if id(v) in self.hidden and layer_of(v) == key]
            self.groups[key] = parameters_box(key, params, self.ctx)
        return self.groups[key]

    def neuron(self, out: Value, z: Value) -> Box:
        """The record of one neuron call, or the row it adds to its layer call's record."""
        _, layer, k = parse_label(out.label)
        act = local_derivatives(out)[0] if out is not z else 1.0
        local = local_derivatives(z)
        outside = [(p, act * d, i) for i, (p, d) in enumerate(zip(z._prev, local))
                   if id(p) not in self.hidden]
        numbers = self._numbers(z, local, layer)
        key = (layer, tuple(id(p) for p, _, _ in outside) or id(numbers))
        if self.collapse == "neuron":
            return self._neuron_box(out, z, layer, key, outside, numbers)
        box = self.layers.get(key)
        if box is None:
            box = self.layers[key] = Box(out, "intermediate", tr("layer {l}", l=layer), "",
                                         None if self.ctx.values_only else 0.0)
        params = [(p, None, i) for i, p in enumerate(z._prev) if id(p) in self.hidden]
        self.pending.append((box, [(p, None, i) for p, _, i in outside] + params
                             + ([(numbers, None, 0)] if numbers else [])))
        grad = self.ctx.grad(out)
        if grad is not None:
            box.grad = max(box.grad, abs(grad))
        row = ", ".join([f"{out.label} = {self.ctx.num(out.data)}", *self.ctx.grad_lines(grad)])
        box.fields.append(tr("{row} (dead)", row=row) if is_dead_relu(out) else row)
        box.title = tr("layer {l}: {n} × {op}", l=layer, n=len(box.fields),
                       op=out._op if out is not z else "linear")
        box.tall = len(box.fields) > 1
        return box

    def _neuron_box(self, out: Value, z: Value, layer: int, key: tuple, outside: list,
                    numbers: Box | None) -> Box:
        formula = "Σ w·x + b" if out is z else f"{out._op}(Σ w·x + b)"
        box = Box(out, "intermediate", out.label, "", self.ctx.grad(out))
        box.fields = [f"data {self.ctx.num(out.data)}", *self.ctx.grad_lines(box.grad)]
        box.dead = is_dead_relu(out)
        box.cluster = (f"layer{key!r}", tr("layer {l}: {name} = {formula}", l=layer,
                                           name=out.label[0], formula=formula))
        box.order = order_key(out.label)
        self.pending.append((box, outside + ([(numbers, None, 0)] if numbers else [])))
        return box

    def _numbers(self, z: Value, local: tuple, layer: int) -> Box | None:
        """The box of the inputs this neuron was given as numbers (one per sample), or None."""
        xs = given_numbers(z, local, self.ctx)
        if xs is None:
            return None
        if ("numbers", xs) not in self.boxes:   # drawn before the neurons that read it
            self.boxes[("numbers", xs)] = numbers_box(xs, layer, self.ctx)
        return self.boxes[("numbers", xs)]


def given_numbers(z: Value, local: tuple, ctx: Context) -> tuple | None:
    """((j, input j), ...) of a neuron given its inputs as plain numbers, which nn keeps in its
    weighted sum (∂z/∂W[l]_jk is input j); None when its inputs are Values."""
    if any(ctx.kind(p) != "parameter" for p in z._prev):
        return None
    xs = tuple((labels.parse(p.label).j, d) for p, d in zip(z._prev, local)
               if (parse_label(p.label) or "b")[0] == "W")
    return xs or None


def numbers_box(xs: tuple, layer: int, ctx: Context, sample: int | None = None) -> Box:
    """The inputs of a layer given as numbers: no gradient, drawn as a constant."""
    if layer == 1:
        name = "x" if sample is None else f"X[{sample}]"
        rows = [f"{labels.data_input(j, sample)} = {ctx.num(x)}" for j, x in xs]
    else:
        name = f"a[{layer - 1}]"
        rows = [f"{labels.activation(layer - 1, j)} = {ctx.num(x)}" for j, x in xs]
    box = Box(None, "constant", tr("{name} (numbers)", name=name), "", None)
    box.fields = rows
    return box
