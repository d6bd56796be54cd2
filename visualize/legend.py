"""The legend of draw_dot: only the colours, borders and marks the picture uses, in one column."""

from __future__ import annotations

import graphviz

from visualize.style import DEAD, GRAD_COLOURS, KINDS, bucket, esc, fmt

__all__ = ["add_legend", "legend_entries"]

_COLLAPSE_NOTES = {
    "neuron": "neuron record: its W, b and z inside; edges carry ∂a/∂input",
    "layer": "layer record: one row per neuron",
}


def legend_entries(drawn: list, biggest: float, collapse: str | None = None,
                   omitted: bool = False, max_inputs: int = 12) -> list[tuple[str, dict]]:
    """(text, node attributes) per legend entry, for what ``drawn`` contains."""
    entries: list[tuple[str, dict]] = []
    if biggest > 0.0:
        used = sorted({bucket(b.grad, biggest) for b in drawn
                       if b.grad is not None and not b.dead})
        entries += [(f"fill {GRAD_COLOURS[i][2]}", {"fillcolor": GRAD_COLOURS[i][1]})
                    for i in used]
    kinds = {b.kind for b in drawn}
    entries += [(text, {"color": colour, "penwidth": width, "fillcolor": "#ffffff"})
                for kind, (colour, width, text) in KINDS.items() if kind in kinds]
    if any(b.dead for b in drawn):
        entries.append(("dead ReLU: local derivative 0",
                        {"fillcolor": DEAD, "style": "filled,dashed"}))
    if any(b.truncated for b in drawn):
        entries.append(("parents not drawn (max_depth)",
                        {"fillcolor": "#ffffff", "style": "filled,dashed"}))
    plain = {"shape": "plaintext", "style": ""}
    if collapse in _COLLAPSE_NOTES:
        entries.append((_COLLAPSE_NOTES[collapse], plain))
    if omitted:
        entries.append((f"no edge labels into nodes with > {max_inputs} inputs", plain))
    return entries


def add_legend(g: graphviz.Digraph, drawn: list, biggest: float, digits: int,
               collapse: str | None = None, omitted: bool = False, rankdir: str = "LR") -> None:
    """A column of small boxes in the root's rank (usually empty but for the root).

    No edges join them (edges between boxes of one rank make dot space them out): they keep
    the order they are written in, which dot reverses in LR/RL graphs, so they are written
    backwards there.
    """
    head = (f"legend (max |grad| = {fmt(biggest, digits)})" if biggest > 0.0
            else "legend · no gradients yet: run backward() first")
    entries = [(head, {"shape": "plaintext", "style": ""})]
    entries += legend_entries(drawn, biggest, collapse, omitted)
    numbered = list(enumerate(entries))
    if rankdir in ("LR", "RL"):
        numbered.reverse()
    root = drawn[-1]
    with g.subgraph(name="legend") as lg:
        lg.attr(rank="same")
        if root.cluster is None:
            lg.node(root.id)
        for i, (text, attrs) in numbered:
            attrs = {"shape": "box", "style": "filled", "fontsize": "12", "height": "0.22",
                     "margin": "0.06,0.02", **attrs}
            lg.node(f"legend{i}", graphviz.nohtml(esc(text)), **attrs)
