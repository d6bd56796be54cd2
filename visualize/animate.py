"""animate_backward: one self-contained HTML page stepping through backward, edge by edge."""

from __future__ import annotations

import html
import json
import os
import pathlib
from collections import Counter

from autograd.engine import Value
from autograd.steps import backward_steps, topological_order
from visualize.animate_page import PAGE
from visualize.graph import GRAD_COLOURS, _fmt, draw_dot
from visualize.render import output_path, to_svg

__all__ = ["animate_backward"]


def _short(v: Value, ids: dict[int, str]) -> str:
    return v.label or ids[id(v)]


def _name(v: Value, ids: dict[int, str]) -> str:
    if v.label:
        return v.label
    return f"{ids[id(v)]} ({v._op})" if v._prev else ids[id(v)]


def animate_backward(root: Value, path: str | os.PathLike, *, grad: float = 1.0,
                     digits: int = 4, max_nodes: int | None = 300,
                     title: str | None = None) -> pathlib.Path:
    """Write an HTML page that replays ``root.backward()`` one chain-rule step at a time.

    The page holds the graph drawn by ``draw_dot`` (inline SVG) and one frame per step of
    ``backward_steps(root)``, plus a first frame (step 0) showing the seed ``root.grad = 1``
    before any step. Each frame highlights the node passing gradient, the parent receiving it
    and the edge between, shows ``parent.grad += local × node.grad``, says when a value
    collects gradient from several uses, and updates every grad on the picture. Buttons
    (first, previous, play, next, last), a slider and the arrow keys move between frames;
    ``page.html#step=3`` opens at step 3. No network and no external script: it works offline.

    Running it applies backward to ``root`` (as ``root.backward(grad)`` would: gradients of
    leaves accumulate).

    Args:
        root: the value to differentiate.
        path: the HTML file to write.
        grad: the seed gradient of ``root``.
        digits: significant digits shown.
        max_nodes: refuse graphs with more values than this (see ``draw_dot``).
        title: the page title; by default the root's label.

    Returns:
        The path written.
    """
    if type(root) is not Value:
        raise TypeError(f"animate_backward: expected a Value, got {type(root).__name__}")
    topo = topological_order(root)
    ids = {id(v): f"n{i}" for i, v in enumerate(topo)}
    initial = {id(v): (0.0 if v._prev else v.grad) for v in topo}
    initial[id(root)] += float(grad)
    if max_nodes is not None and len(topo) > max_nodes:  # refuse before running backward
        raise ValueError(f"animate_backward: this graph has {len(topo)} values, more than "
                         f"max_nodes={max_nodes}; raise the limit (max_nodes={len(topo)}) or "
                         "animate a smaller expression")

    uses = Counter(id(p) for v in topo for p in v._prev)
    seen: Counter = Counter()
    steps, arg, last = [], 0, None
    for node, parent, local, contribution in backward_steps(root, grad):
        arg = arg + 1 if node is last else 0
        last = node
        seen[id(parent)] += 1
        head = ids[id(node)] + "op"
        steps.append({
            "node": ids[id(node)], "parent": ids[id(parent)],
            "edge": f"{ids[id(parent)]}_{head}_{arg}", "op": head,
            "text": (f"{_name(parent, ids)}.grad += {_fmt(local, digits)} × "
                     f"{_fmt(node.grad, digits)} = {_fmt(contribution, digits)}"),
            "why": (f"local derivative ∂{_short(node, ids)}/∂{_short(parent, ids)} = "
                    f"{_fmt(local, digits)} (op '{node._op}'), times "
                    f"{_short(node, ids)}.grad = {_fmt(node.grad, digits)}"),
            "collect": (f"{_name(parent, ids)} is used {uses[id(parent)]} times: this is "
                        f"contribution {seen[id(parent)]} of {uses[id(parent)]}; its gradient "
                        "is their sum (+=)") if uses[id(parent)] > 1 else "",
            "grad": parent.grad, "shown": _fmt(parent.grad, digits),
        })
    # drawn with the final gradients, so every box is wide enough; the page shows each frame's
    svg = to_svg(draw_dot(root, digits=digits, max_nodes=None, legend=False, _ids=True))
    svg = svg[svg.index("<svg"):]
    data = {
        "title": title or root.label or "backward",
        "initial": {ids[k]: [g, _fmt(g, digits)] for k, g in initial.items()},
        "root": ids[id(root)],
        "seed": f"{_name(root, ids)}.grad = {_fmt(float(grad), digits)} (the seed: "
                f"∂{_name(root, ids)}/∂{_name(root, ids)})",
        "steps": steps,
        "biggest": max((abs(v.grad) for v in topo), default=0.0),
        "palette": [[bound, colour, text] for bound, colour, text in GRAD_COLOURS],
    }
    payload = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    page = (PAGE.replace("@TITLE@", html.escape(data["title"]))
            .replace("@SVG@", svg)
            .replace("@DATA@", payload))
    path = output_path(path)
    path.write_text(page, encoding="utf-8")
    return path
