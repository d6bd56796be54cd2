"""Display names: a node's label, or one stable generated name that every tool shows.

``explain``, ``draw_dot``, ``animate_backward`` and the command line all name an unlabelled
node the same way (``mul1``, ``add2``, ``tanh1``), so text and pictures can be matched.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from autograd.chain import topological_order
from autograd.core import Value

__all__ = ["display_names"]

_OP_WORDS = {"+": "add", "*": "mul", "**": "pow", "": "leaf"}


def _word(op: str) -> str:
    """mul for '*', pow for '**2', tanh for 'tanh', node for an op made only of symbols."""
    word = _OP_WORDS.get(op) or ("pow" if op.startswith("**") else re.sub(r"\W", "", op))
    return word or "node"


def display_names(root: Value, order: Sequence[Value] | None = None) -> dict[Value, str]:
    """Every node of ``root``'s graph -> its label, or op word + counter (``mul1``, ``leaf2``).

    Counters run per word in ``topological_order(root)`` (parents first), so the same graph
    always gets the same names. A generated name never repeats a label of the graph.

    Args:
        root: the output whose graph to name.
        order: ``topological_order(root)`` if the caller already has it.

    Returns:
        A dict from each Value of the graph to its display name.
    """
    if not isinstance(root, Value):
        raise TypeError(f"display_names: expected a Value, got {type(root).__name__}")
    order = topological_order(root) if order is None else order
    taken = {node.label for node in order if node.label}
    names, counters = {}, {}
    for node in order:
        if node.label:
            names[node] = node.label
            continue
        word = _word(node._op)
        n = counters.get(word, 0) + 1
        while f"{word}{n}" in taken:
            n += 1
        counters[word] = n
        names[node] = f"{word}{n}"
    return names
