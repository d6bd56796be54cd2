"""One computation graph as the page sees it: its picture (draw_dot's DOT with ids), what each
record stands for, and the teaching tools on it: explain an edge or a value, step backward,
check a derivation, export the backward page.

A GraphView owns its graph (built by the session for this view), so running backward on it
changes nothing anyone else looks at.
"""

from __future__ import annotations

import itertools
import math
import re
import warnings
from collections import Counter
from typing import NamedTuple

from autograd import (
    Value,
    backward_steps,
    check_derivative,
    explain,
    local_derivatives,
    topological_order,
)
from autograd.extend import tr
from visualize import draw_dot
from visualize.lab import _internals as eng
from visualize.lab.params import LabError

__all__ = ["GraphView", "GRAPH_LIMIT", "EXPLAIN_PATHS", "VIEWS", "number", "sgd_latex"]

CHECK_SECONDS = 8.0  # the derivation checker's budget (SymPy stops there)
GRAPH_LIMIT = 300    # values drawn; beyond, the page shows numbers without a picture
EXPLAIN_PATHS = 24   # paths listed by a click; beyond, their sum
VIEWS = ("full", "neuron", "layer", "plate")
_EDGE = re.compile(r"^(n\d+)_(n\d+)op_(\d+)$")
_PLACEHOLDER = "<svg><!--lab:svg--></svg>"
_versions = itertools.count(1)


def number(x: float) -> float | None:
    """A float for JSON: None where it is not finite."""
    return x if isinstance(x, float) and math.isfinite(x) else None


def fmt(x: float, digits: int = 4) -> str:
    return f"{x + 0.0:.{digits}g}"


class GraphView:
    """The picture of ``root``'s graph in one view, and the questions the page asks about it.

    Args:
        root: the output; backward has run on it.
        view: 'full' (a record per value), 'neuron', 'layer' or 'plate' (draw_dot's collapse).
        expanded: neuron labels drawn in full inside the 'neuron' view.
        compact: explain folds unlabelled values (a network's loss reads like the seed's).
        inputs: values that are data, not parameters (no SGD update is offered for them).
    """

    def __init__(self, root: Value, view: str = "full", expanded=(), compact: bool = False,
                 inputs=()):
        self.root, self.view, self.compact = root, view, compact
        self.expanded = sorted(set(expanded))
        self.topo = topological_order(root)
        self.names = eng.display_names(root, self.topo)
        self.uses = Counter(id(p) for v in self.topo for p in v._prev)
        self.inputs = {id(v) for v in inputs}
        self.version = next(_versions)
        self.dot, self.note, self.values = None, None, {}
        if view == "full" and len(self.topo) > GRAPH_LIMIT:
            self.note = {"id": "graph_too_big", "params": {"count": len(self.topo),
                                                           "limit": GRAPH_LIMIT}}
            return
        try:
            graph = self.draw(legend=False)   # the page draws the legend beside the picture
        except eng.GraphTooLargeError as e:
            self.note = {"id": "graph_too_big", "params": {"count": e.count, "limit": e.limit}}
            return
        self.dot, self.values = graph.source, graph.node_values

    def draw(self, legend: bool):
        """draw_dot's picture of this view (exports keep its legend). The page shows pictures
        at any size, zoomed and panned: the slide-size warning is not for it."""
        view = self.view
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", eng.SlideSizeWarning)
            return draw_dot(self.root, collapse=None if view == "full" else view,
                            expand=self.expanded if view in ("neuron", "layer") else (),
                            max_nodes=GRAPH_LIMIT, inputs=[v for v in self.topo
                                                           if id(v) in self.inputs],
                            legend=legend)

    # -- what the page draws -------------------------------------------------------------------

    def kind(self, v: Value) -> str:
        return eng.node_kind(v, inputs=self.inputs)

    def to_json(self) -> dict:
        nodes = {}
        expanded = {eng.parse_label(label)[1:] for label in self.expanded}
        for node_id, v in self.values.items():
            if v is None:
                continue
            click = "explain"
            neuron = eng.parse_label(v.label) if v.label else None
            if self.view == "neuron" and neuron and neuron[0] in "az" and \
                    neuron[1:] not in expanded:
                click = "expand"
            elif self.view == "layer" and (neuron and neuron[0] in "az" or
                                           self.kind(v) == "parameter"):
                click = "none"   # a layer's record, or its W[l], b[l] box: many values
            elif self.view == "plate":
                click = "none"
            nodes[node_id] = {"name": self.names.get(v, v.label), "kind": self.kind(v),
                              "data": number(v.data), "grad": number(v.grad), "click": click,
                              "label": v.label}
        shown = [n for n in nodes.values() if n["kind"] != "constant" and n["grad"] is not None]
        return {"version": self.version, "view": self.view, "dot": self.dot, "note": self.note,
                "nodes": nodes, "expanded": self.expanded, "output": self.names[self.root],
                "palette": [[bound, colour] for bound, colour, _ in eng.GRAD_COLOURS],
                "biggest": max((abs(n["grad"]) for n in shown), default=0.0),
                "kinds": {k: {"colour": colour, **attrs} for k, (colour, attrs, _)
                          in eng.KINDS.items() if any(n["kind"] == k for n in nodes.values())}}

    def export_dot(self) -> dict:
        """The picture as draw_dot draws it and its legend (DOT, laid out apart): what "export
        SVG" saves, once the page has laid both out and ``compose_svg`` has joined them."""
        if self.dot is None:
            raise LabError("no_graph")
        graph = self.draw(legend=True)
        legend = getattr(graph, "legend", None)
        return {"dot": graph.source, "legend": legend.source if legend is not None else None}

    def node(self, node_id) -> Value:
        v = self.values.get(node_id) if isinstance(node_id, str) else None
        if v is None:
            raise LabError("unknown_node", node=str(node_id)[:40])
        return v

    # -- explain -------------------------------------------------------------------------------

    def explain_edge(self, edge_id: str) -> dict:
        """The local derivative of one edge: ∂child/∂parent as a formula, then with the
        numbers plugged in, then its value."""
        m = _EDGE.match(edge_id) if isinstance(edge_id, str) else None
        if m is None or self.view != "full" and m.group(2) not in self.values:
            return {"collapsed": True}
        child, arg = self.node(m.group(2)), int(m.group(3))
        if arg >= len(child._prev):
            raise LabError("unknown_node", node=edge_id[:40])
        parent = child._prev[arg]
        local = local_derivatives(child)[arg]
        head = self._frac(child, parent)
        if child._prev.count(parent) > 1:   # a + a: which argument this edge is
            which = tex_text(tr("arg {k}", k=arg + 1))   # as explain writes it
            head += rf"\Big|_{{\text{{{which}}}}}"
        parts = [head]
        formula = self.local_formula(child, parent, arg)
        if formula is not None:
            parts += [_latex(formula), self._plugged(formula)]
        parts.append(_tex_number(local))
        return {"collapsed": False, "latex": " = ".join(_dedupe(parts)), "local": number(local),
                "op": str(child._op), "child": self.names[child], "parent": self.names[parent]}

    def explain_value(self, node_id: str, lr: float) -> dict:
        """∂output/∂value as the sum over paths (explain, symbolic), and the SGD update of a
        parameter or a value you set."""
        v = self.node(node_id)
        name, out = self.names[v], self.names[self.root]
        result = {"name": name, "output": out, "data": number(v.data), "grad": number(v.grad),
                  "root": v is self.root}
        if v is self.root:
            return result
        e = explain(self.root, v, max_paths=EXPLAIN_PATHS, compact=self.compact, symbolic=True)
        try:
            latex = e.to_latex()
        except Exception:   # a factor SymPy cannot write: the numbers only  # noqa: BLE001
            latex = explain(self.root, v, max_paths=EXPLAIN_PATHS, compact=self.compact).to_latex()
        result.update(latex=latex, paths=e.n_paths if isinstance(e.n_paths, int) else None,
                      summarized=e.summarized, total=number(e.total))
        if not v._prev and self.kind(v) in ("parameter", "leaf"):
            result["sgd"] = {"lr": lr, "after": number(v.data - lr * v.grad),
                             "latex": sgd_latex(eng.tex_name(name), eng.tex_name(out), v.data,
                                                lr, v.grad)}
        return result

    def _frac(self, child: Value, parent: Value) -> str:
        return (rf"\frac{{\partial {eng.tex_name(self.names[child])}}}"
                rf"{{\partial {eng.tex_name(self.names[parent])}}}")

    # -- step ----------------------------------------------------------------------------------

    def steps(self) -> dict:
        """Every chain-rule step of one backward pass from zero, as the backward page shows it."""
        if self.view != "full" or self.dot is None:
            raise LabError("steps_need_full_view")
        if len(self.topo) > eng.MAX_PAGE_NODES:
            raise LabError("steps_too_big", count=len(self.topo), limit=eng.MAX_PAGE_NODES)
        ids = {id(v): f"n{i}" for i, v in enumerate(self.topo)}
        for v in self.topo:
            v.grad = 0.0
        seen, frames, last, arg = Counter(), [], None, 0
        for node, parent, local, contribution in backward_steps(self.root):
            arg = arg + 1 if node is last else 0
            last = node
            seen[id(parent)] += 1
            head = ids[id(node)]
            frames.append({
                "node": head, "parent": ids[id(parent)], "op": head + "op",
                "edge": f"{ids[id(parent)]}_{head}op_{arg}",
                "node_name": self.names[node], "parent_name": self.names[parent],
                "op_name": str(node._op), "local": number(local), "grad": number(node.grad),
                "contribution": number(contribution), "total": number(parent.grad),
                "uses": self.uses[id(parent)], "k": seen[id(parent)]})
        groups = {ids[id(v)]: _group(self.kind(v)) for v in self.topo}
        biggest = {group: max((abs(v.grad) for v in self.topo
                               if groups[ids[id(v)]] == group), default=0.0)
                   for group in ("parameter", "value")}
        return {"version": self.version, "root": ids[id(self.root)],
                "root_name": self.names[self.root], "frames": frames,
                "biggest": biggest, "groups": groups}

    # -- check ---------------------------------------------------------------------------------

    def check_targets(self) -> list[dict]:
        """The values a derivation may be checked against: labelled leaves, by formula name."""
        return [{"name": v.label, "formula": eng.formula_name(v.label)}
                for v in self.topo if not v._prev and v.label and v is not self.root]

    def check(self, wrt: str, formula: str) -> dict:
        """The derivation checker's verdict on ``formula`` for ∂output/∂wrt."""
        target = next((v for v in self.topo if not v._prev and v.label == wrt), None)
        if target is None:
            raise LabError("unknown_node", node=wrt[:40])
        try:
            report = check_derivative(formula, self.root, target, timeout=CHECK_SECONDS)
        except eng.FormulaError as e:
            raise LabError("check_refused", message=str(e)) from None
        randoms = report.points[1:]
        diagnoses = []
        for d in report.diagnoses:
            entry = {"kind": d.kind, "message": d.message}
            if d.kind == "coincidence":
                entry["count"] = sum(1 for p in randoms if not p.ok)
            elif d.kind == "undefined":
                entry["count"] = sum(1 for p in report.points if p.formula is None)
            elif d.kind == "factor":
                entry["factor"] = fmt(d.factor)
            elif d.kind in ("missing", "extra") and d.edge:
                entry["latex"] = self._edge_formula(*d.edge)
            diagnoses.append(entry)
        return {"ok": report.ok, "confirmed": report.confirmed, "head": report.head,
                "points": len(randoms),
                "symbolic": report.symbolic, "diagnoses": diagnoses, "notes": report.notes,
                "table": [{"name": p.name, "formula": number(p.formula) if p.formula is not None
                           else None, "engine": number(p.engine), "ok": p.ok}
                          for p in report.points[:6]],
                "verdict": report.verdict}

    def _edge_formula(self, child: Value, parent: Value, arg: int) -> str:
        head = self._frac(child, parent)
        formula = self.local_formula(child, parent, arg)
        return head if formula is None else f"{head} = {_latex(formula)}"

    def local_formula(self, child: Value, parent: Value, arg: int):
        """∂child/∂parent (this argument) as a SymPy formula of the child's arguments, named as
        the picture names them: what ``explain(..., symbolic=True)`` writes for the factor.
        None for an op without a SymPy form."""
        try:
            e = explain(self.root, parent, max_paths=1, symbolic=True)
            return e.formula(_Edge(child, parent, arg))
        except Exception:   # an op without a SymPy form: the number alone  # noqa: BLE001
            return None

    def _plugged(self, formula) -> str:
        """The formula with each function of a value (σ(z), tanh(z), e^x) and each value
        replaced by its number, the arithmetic between them kept:
        σ(z)(1 − σ(z)) → 0.7311 × (1 − 0.7311)."""
        import sympy as sp

        by_name = {name: v.data for v, name in self.names.items()}
        values = {s: by_name[s.name] for s in formula.free_symbols if s.name in by_name}

        def stand_in(x: float):
            text = fmt(x)
            return sp.Symbol(f"({text})" if x < 0 else text)

        numbers = {}
        for f in sorted(formula.atoms(sp.Function), key=sp.count_ops, reverse=True):
            if f in numbers or not f.free_symbols <= set(values):
                continue
            if isinstance(f, sp.Heaviside):   # relu's slope: the engine's convention at 0
                numbers[f] = stand_in(1.0 if float(f.args[0].subs(values)) > 0 else 0.0)
            else:
                numbers[f] = stand_in(float(f.subs(values).evalf()))
        plugged = formula.subs(numbers, simultaneous=True)
        plugged = plugged.subs({s: stand_in(x) for s, x in values.items()}, simultaneous=True)
        return sp.latex(plugged, symbol_names={s: s.name for s in plugged.free_symbols},
                        mul_symbol="times")

    # -- export --------------------------------------------------------------------------------

    def export_page(self, title: str) -> dict:
        """The self-contained backward page, its SVG left for the browser's Graphviz: the
        page replaces ``placeholder`` with the SVG it lays out from ``dot``."""
        if self.view != "full" or len(self.topo) > eng.MAX_PAGE_NODES:
            raise LabError("export_page_needs_full", limit=eng.MAX_PAGE_NODES)
        drawn = {}

        def layout(graph) -> str:
            drawn["dot"] = graph.source
            return _PLACEHOLDER

        page = eng.backward_page(self.root, title=title, layout=layout)   # .grad untouched
        return {"html": page, "dot": drawn["dot"], "placeholder": _PLACEHOLDER}


def sgd_latex(name: str, output: str, value: float, lr: float, grad: float) -> str:
    """One SGD step written out, two lines: w ← w − α ∂L/∂w = 0.5 − 0.1 × 0.3 = 0.47."""
    return (rf"\begin{{aligned}}{name} &\leftarrow {name} - \alpha\,\frac{{\partial {output}}}"
            rf"{{\partial {name}}} \\ &= {_tex_number(value)} - {_tex_number(lr)} \times "
            rf"{_paren(grad)} = {_tex_number(value - lr * grad)}\end{{aligned}}")


def _group(kind: str) -> str:
    """Fills are scaled per group, as draw_dot scales them: parameters apart from every other
    value; constants are never filled."""
    return kind if kind in ("parameter", "constant") else "value"


class _Edge(NamedTuple):
    """An edge as ``Explanation.formula`` reads a factor: the child, the parent, which argument."""

    child: Value
    parent: Value
    arg: int


def _latex(expr) -> str:
    """A SymPy formula in LaTeX with the seed's names (W[2]_11 as W^{[2]}_{11})."""
    import sympy as sp

    return sp.latex(expr, symbol_names={s: eng.tex_name(s.name) for s in expr.free_symbols})


def _dedupe(parts: list[str]) -> list[str]:
    """The parts of ``a = b = c`` without a part that only repeats the one before it
    (``w = (-3) = -3`` reads ``w = -3``)."""
    out, keys = [], []
    for p in parts:
        key = p[1:-1] if re.fullmatch(r"\([^()]*\)", p) else p
        if keys and keys[-1] == key:
            out[-1] = p if len(p) < len(out[-1]) else out[-1]
            continue
        out.append(p)
        keys.append(key)
    return out


def tex_text(text: str) -> str:
    """Words for LaTeX's \\text{...}: its special characters escaped (a translation is
    plain text)."""
    return re.sub(r"[\\{}$&#^_%~]", lambda m: {"\\": r"\textbackslash{}", "~": r"\textasciitilde{}",
                                              "^": r"\textasciicircum{}"}.get(m.group(),
                                                                             "\\" + m.group()),
                  text)


def _tex_number(x: float) -> str:
    text = fmt(x)
    mantissa, _, exponent = text.partition("e")
    return rf"{mantissa} \times 10^{{{int(exponent)}}}" if exponent else text


def _paren(x: float) -> str:
    text = _tex_number(x)
    return f"({text})" if x < 0 else text
