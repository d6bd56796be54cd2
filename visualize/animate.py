"""animate_backward: one self-contained HTML page stepping through backward, edge by edge."""

from __future__ import annotations

import html
import json
import os
import pathlib
import re
from collections import Counter
from collections.abc import Callable

import graphviz

from autograd import Value, topological_order
from autograd.extend import N_, ChainRule, display_names, language, lookup, tr
from autograd.extend import sentences as joined
from visualize.animate_page import HEADING, HTML_TEXT, PAGE, SCRIPT_TEXT
from visualize.graph import draw_dot
from visualize.render import output_path, to_svg
from visualize.style import GRAD_COLOURS, KINDS, fmt, node_kind

__all__ = ["animate_backward", "backward_page", "MAX_PAGE_NODES"]

MAX_PAGE_NODES = 300  # above this a page is too slow to step through and too big to read
_DONE_LEAVES = 12     # the last frame lists this many leaf gradients


def _steps(root: Value, grad: float, ids: dict, names: dict, uses: Counter,
           digits: int) -> tuple[list, dict]:
    """One frame per step of the chain rule's sweep (``ChainRule``), a pass that starts every
    gradient at zero; no ``.grad`` is written.

    Returns the frames and each value's gradient after the pass (this pass alone), by id.
    """
    sweep = ChainRule(root, [float(grad)])
    fresh: dict[int, float] = dict.fromkeys(ids, 0.0)
    fresh[id(root)] = float(grad)
    seen: Counter = Counter()
    frames, arg, last = [], 0, None
    for node, parent, local, contribution in sweep:
        arg = arg + 1 if node is last else 0
        last = node
        node_grad, total = sweep.grad(node), sweep.grad(parent)
        fresh[id(parent)] = total
        seen[id(parent)] += 1
        n, p = names[node], names[parent]
        head = ids[id(node)] + "op"
        many = uses[id(parent)]
        frames.append({
            "node": ids[id(node)], "parent": ids[id(parent)],
            "edge": f"{ids[id(parent)]}_{head}_{arg}", "op": head,
            "text": tr("{parent}.grad += {local} × {grad} = {contribution}, so {parent}.grad = "
                       "{total}", parent=p, local=fmt(local, digits), grad=fmt(node_grad, digits),
                       contribution=fmt(contribution, digits), total=fmt(total, digits)),
            "why": tr("local derivative ∂{node}/∂{parent} = {local} (op '{op}'), times "
                      "{node}.grad = {grad}", node=n, parent=p, local=fmt(local, digits),
                      op=node._op, grad=fmt(node_grad, digits)),
            "collect": tr("{parent} is used {many} times: this is contribution {k} of {many}; "
                          "its gradient is their sum (+=)", parent=p, many=many,
                          k=seen[id(parent)]) if many > 1 else "",
            "grad": total, "shown": fmt(total, digits),
        })
    return frames, fresh


def _done(root: Value, leaves: list, names: dict, fresh: dict, stale: list, digits: int) -> str:
    """The last frame's text: what the pass gives each value, and what .grad holds besides."""
    shown = tr(_SEPARATOR).join(f"{names[v]}.grad = {fmt(fresh[id(v)], digits)}"
                                for v in leaves[:_DONE_LEAVES])
    sentences = [tr("Every value holds ∂{root}/∂value for this pass.", root=names[root])]
    if len(leaves) > _DONE_LEAVES:
        sentences.append(tr("Leaves: {shown} (and {more} more).", shown=shown,
                            more=len(leaves) - _DONE_LEAVES))
    elif leaves:
        sentences.append(tr("Leaves: {shown}.", shown=shown))
    if stale:
        held = tr(_SEPARATOR).join(tr("{name}.grad is {grad}", name=names[v],
                                      grad=fmt(v.grad, digits)) for v in stale[:4])
        sentences.append(tr("In Python, .grad holds something else ({held}): backward adds to "
                            "leaf gradients, so it holds earlier passes too, or none if backward "
                            "was not run; call zero_grad() before backward to start from 0. This "
                            "page changed nothing.", held=held))
    return joined(sentences)


# TRANSLATORS: between the values the last frame of the backward page lists ("x.grad = 2, ...")
_SEPARATOR = N_(", ")


def animate_backward(root: Value, path: str | os.PathLike, *, grad: float = 1.0,
                     digits: int = 4, max_nodes: int | None = MAX_PAGE_NODES,
                     title: str | None = None) -> pathlib.Path:
    """Write an HTML page that replays one backward pass one chain-rule step at a time.

    The page holds the graph drawn by ``draw_dot`` (inline SVG) and one frame per step of the
    chain rule's sweep (``backward_steps(root)`` takes the same steps): step 0 shows the seed
    ``root.grad = grad`` with every other gradient at 0, whatever ``.grad`` holds, then each
    step highlights the node passing gradient (red), the parent receiving it (magenta) and
    the edge between, shows
    ``parent.grad += local × node.grad`` with the parent's new total (the number in its box),
    and says when a value collects gradient from several uses; a last frame says backward is
    done. Constants (numbers lifted into an op) receive their share like any value, shown in
    their box. Unlabelled values carry the names ``explain`` uses. The page opens with the
    whole graph fitted to the window; buttons, a slider, the arrow keys, zoom (+/−, fit, 1:1,
    ctrl+wheel) and dragging move around; the current step is scrolled into view;
    ``page.html#step=3`` opens at step 3. No network, no external script.

    Looking changes nothing: every ``.grad`` and ``.data`` is left as it was (the pass is
    computed apart; call ``root.backward()`` for the gradients themselves).

    Args:
        root: the value to differentiate.
        path: the HTML file to write.
        grad: the seed gradient of ``root``.
        digits: significant digits shown.
        max_nodes: refuse graphs with more values than this (default 300); None for no limit.
        title: the page title; by default the root's label.

    Returns:
        The path written.
    """
    page = backward_page(root, grad=grad, digits=digits, max_nodes=max_nodes, title=title)
    path = output_path(path)
    path.write_text(page, encoding="utf-8")
    return path


def backward_page(root: Value, *, grad: float = 1.0, digits: int = 4,
                  max_nodes: int | None = MAX_PAGE_NODES, title: str | None = None,
                  layout: Callable[[graphviz.Digraph], str] = to_svg) -> str:
    """The page ``animate_backward`` writes, as text (same arguments).

    ``layout`` turns the graph ``draw_dot`` draws into SVG text; the lab passes one that leaves
    a placeholder, filled in by the Graphviz of the browser.
    """
    if not isinstance(root, Value):
        raise TypeError(f"animate_backward: expected a Value, got {type(root).__name__}")
    topo = topological_order(root)
    if max_nodes is not None and len(topo) > max_nodes:
        raise ValueError(f"animate_backward: this graph has {len(topo)} values, more than "
                         f"max_nodes={max_nodes}; a page that size is too slow to step through. "
                         f"Raise the limit (max_nodes={len(topo)}) or animate a smaller "
                         "expression (one sample, one neuron)")
    data, svg = _page_data(root, topo, grad, digits, title, layout)
    fill_in = {"LANG": language(), "TITLE": html.escape(data["title"]),
               "HEADING": html.escape(tr(HEADING, title=data["title"])), "SVG": svg,
               "DATA": _script_json(data),
               **{f"T:{key}": html.escape(tr(text)) for key, text in HTML_TEXT.items()}}
    return re.sub(r"@(LANG|TITLE|HEADING|SVG|DATA|T:\w+)@", lambda m: fill_in[m.group(1)], PAGE)


def _page_data(root: Value, topo: list, grad: float, digits: int, title: str | None,
               layout: Callable[[graphviz.Digraph], str]) -> tuple[dict, str]:
    """The frames and texts the page replays, and the graph as inline SVG."""
    ids = {id(v): f"n{i}" for i, v in enumerate(topo)}
    names = display_names(root, topo)
    uses = Counter(id(p) for v in topo for p in v._prev)
    kind = {id(v): node_kind(v) for v in topo}
    leaves = [v for v in topo if not v._prev]
    frames, fresh = _steps(root, grad, ids, names, uses, digits)  # writes no .grad
    stale = [v for v in leaves if v.grad != fresh[id(v)]]
    svg = layout(draw_dot(root, digits=digits, max_nodes=None, legend=False,
                          _grads=lambda v: fresh[id(v)]))
    biggest = {group: max((abs(fresh[id(v)]) for v in topo
                           if (kind[id(v)] == "parameter") == (group == "parameter")),
                          default=0.0) for group in ("parameter", "value")}
    data = {
        "title": title or root.label or "backward",
        "initial": {ids[id(v)]: [0.0, fmt(0.0, digits)] for v in topo},
        "root": ids[id(root)],
        "seed": tr("{root}.grad = {seed} (the seed: ∂{root}/∂{root}); every other gradient "
                   "starts at 0", root=names[root], seed=fmt(float(grad), digits)),
        "steps": frames,
        "done": _done(root, leaves, names, fresh, stale, digits),
        "biggest": biggest,
        "groups": {ids[id(v)]: kind[id(v)] if kind[id(v)] in ("parameter", "constant")
                   else "value" for v in topo},   # constants: shown, never filled
        "gradline": _grad_lines(svg, ids.values()),
        "palette": [[bound, colour, tr(text)] for bound, colour, text in GRAD_COLOURS],
        "kinds": [[colour, tr(text)] for k, (colour, _, text) in KINDS.items()
                  if k in set(kind.values())],
        "text": {key: lookup(text) for key, text in SCRIPT_TEXT.items()},   # {fields} unfilled
    }
    data["initial"][ids[id(root)]] = [float(grad), fmt(float(grad), digits)]
    return data, svg[svg.index("<svg"):]


def _grad_lines(svg: str, ids) -> dict[str, int]:
    """Node id -> the position, among its box's texts, of the line the page rewrites with the
    gradient: the box's last line (a label that starts with "grad " is its first line, never
    taken for it)."""
    found = {}
    for node in ids:
        m = re.search(rf'<g id="{node}" class="node">(.*?)</g>', svg, re.S)
        lines = re.findall(r"<text[^>]*>([^<]*)</text>", m.group(1)) if m else []
        if lines and lines[-1].startswith("grad "):
            found[node] = len(lines) - 1
    return found


def _script_json(data: dict) -> str:
    """JSON that cannot end or comment out its <script>: no <, > or & left unescaped."""
    text = json.dumps(data, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
