"""The legend of draw_dot: only the colours, borders, marks and notes the picture needs."""

from __future__ import annotations

import graphviz

from autograd.extend import N_, tr
from visualize.style import DEAD, FONT, GRAD_COLOURS, KINDS, bucket, esc, fmt, node_style

__all__ = ["legend_graph", "legend_entries", "EDGE_NOTE"]

_COLLAPSE_NOTES = {
    "neuron": N_("neuron box: its W, b and z inside; edge numbers are ∂a/∂input of the neuron"),
    "layer": N_("layer box: one row per neuron; an edge stands for every weight between two "
                "layers"),
    "plate": N_("plate: one sample drawn; the same computation repeats for every sample"),
}
EDGE_NOTE = N_("numbers on edges: local derivative ∂(op output)/∂(this input), the chain "
               "rule's factor")
_PER_ROW = 4


def legend_entries(drawn: list, scales: dict[str, float], collapse: str | None = None,
                   omitted: bool = False, max_inputs: int = 12) -> list[tuple[str, dict]]:
    """(text, node attributes) per legend entry, for what ``drawn`` contains."""
    entries: list[tuple[str, dict]] = []
    used = sorted({bucket(b.grad, scales["parameter" if b.kind == "parameter" else "value"])
                   for b in drawn if b.grad is not None and not b.dead})
    if any(scales.values()):
        entries += [(tr("fill |grad| {bucket}", bucket=tr(GRAD_COLOURS[i][2])),
                     {"fillcolor": GRAD_COLOURS[i][1], "style": "filled"}) for i in used]
    kinds = {b.kind for b in drawn}
    entries += [(tr(text), {**node_style(kind), "fillcolor": "#ffffff"})
                for kind, (_, _, text) in KINDS.items() if kind in kinds]
    if any(b.dead for b in drawn):
        entries.append((tr("dead ReLU: local derivative 0 (dashed)"),
                        {"fillcolor": DEAD, "style": "filled,dashed"}))
    if any(b.truncated for b in drawn):
        entries.append((tr("parents not drawn (max_depth; dashed)"),
                        {"fillcolor": "#ffffff", "style": "filled,dashed"}))
    return entries


def _notes(drawn: list, scales: dict[str, float], digits: int, collapse: str | None,
           omitted: bool, notes: list[str]) -> list[str]:
    """The lines written above the legend's boxes: the fill's scale, edges, warnings."""
    lines = list(notes)
    if scales["parameter"] and scales["value"]:
        lines.append(tr("fill: |grad| ÷ the largest of its group: parameters {parameters}, "
                        "other values {values}", parameters=fmt(scales["parameter"], digits),
                        values=fmt(scales["value"], digits)))
    elif any(scales.values()):
        lines.append(tr("fill: |grad| ÷ the largest |grad| drawn, {biggest}",
                        biggest=fmt(max(scales.values()), digits)))
    if any(loc is not None for b in drawn for _, loc, _ in b.inputs):
        lines.append(tr(EDGE_NOTE))
    if collapse in _COLLAPSE_NOTES:
        lines.append(tr(_COLLAPSE_NOTES[collapse]))
    if omitted:
        lines.append(tr("no edge numbers into nodes with more than 12 inputs"))
    return lines


def legend_graph(drawn: list, scales: dict[str, float], digits: int,
                 collapse: str | None = None, omitted: bool = False,
                 notes: list[str] = ()) -> graphviz.Digraph:
    """The legend as a graph of its own: small boxes in rows of four under the notes, framed.

    ``render`` lays it out apart from the picture and places it below or beside it, so it
    never sits among the graph's nodes (Graphviz's own ``pack`` would, but it drops edge
    labels). Its ids all start with ``legend`` so they never clash with the picture's.
    """
    entries = legend_entries(drawn, scales, collapse, omitted)
    title = [tr("legend")] + _notes(drawn, scales, digits, collapse, omitted, list(notes))
    lg = graphviz.Digraph("legend")
    lg.attr(rankdir="LR", ranksep="0.15", nodesep="0.12", id="legend_graph")
    lg.attr("node", fontname=FONT, fontsize="12", shape="box", height="0.3",
            margin="0.08,0.03")
    with lg.subgraph(name="cluster_legend") as box:
        box.attr(label=graphviz.nohtml("".join(esc(t, "left") + "\\l" for t in title)),
                 labeljust="l", labelloc="t", fontname=FONT, fontsize="12", style="rounded",
                 color="#aaaaaa", id="legend_frame")
        for i, (text, attrs) in enumerate(entries):
            box.node(f"legend{i}", graphviz.nohtml(esc(text)), id=f"legend{i}", **attrs)
        if not entries:   # a cluster needs a node to be drawn
            box.node("legend0", "", shape="point", style="invis", id="legend0")
        for i in range(1, len(entries)):
            if i % _PER_ROW:   # rows of _PER_ROW: each an invisible chain along the ranks
                box.edge(f"legend{i - 1}", f"legend{i}", style="invis", id=f"legend_e{i}")
    return lg
