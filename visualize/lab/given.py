"""What a notebook hands the lab: a graph someone built (``Lab(value)``) or a network and its
data (``Lab(model, X, y)``), as the session's requests and the page's state.

A given graph is never touched: each request rebuilds a copy of it, op by op (the rows of the
table of ops, as ``evaluate`` replays them), at the page's leaf values, and runs backward on the
copy. Its leaves get the sliders; the numbers an op lifted (the 2 of ``x*2``) stay constants.
"""

from __future__ import annotations

import math

from autograd import Value, topological_order
from autograd.extend import apply_op, display_names, is_constant
from visualize.lab import expression
from visualize.lab.params import LabError, Params
from visualize.lab.session import LIMITS, LabSession

__all__ = ["GivenGraph", "GivenSession", "network_state", "csv_text"]


def _constant(x: float) -> Value:
    """A constant leaf, made as the engine makes one: by lifting a number into an op."""
    return (Value(0.0) + x)._prev[1]


class GivenGraph:
    """A Value's graph, to be shown with its leaves as sliders.

    Raises:
        TypeError: not a Value.
        ValueError: a node made micrograd's way (``out._backward = fn``), which cannot be
            rebuilt at other values, or more leaves than the page has sliders for.
    """

    def __init__(self, root: Value):
        if not isinstance(root, Value):
            raise TypeError(f"Lab: expected a formula, a Value or a network, got "
                            f"{type(root).__name__}")
        self.root = root
        self.order = topological_order(root)
        names = display_names(root, self.order)
        for node in self.order:
            if node._prev and getattr(node._op, "rule", None) is None:
                raise ValueError(
                    f"Lab: {names[node]!r} (op {str(node._op)!r}) was made micrograd's way "
                    "(out._backward = fn), so the lab cannot recompute it at other values; make "
                    "it with the library's ops or custom_op")
        self.leaves = {names[v]: v for v in self.order if not v._prev and not is_constant(v)}
        if len(self.leaves) > expression.MAX_NAMES:
            raise ValueError(f"Lab: the graph has {len(self.leaves)} leaves; the lab shows at "
                             f"most {expression.MAX_NAMES} sliders")
        self.formula = _formula_text(root, names)

    def build(self, values: dict[str, float]) -> tuple[Value, dict[str, Value]]:
        """A copy of the graph at ``values`` (name -> number; other leaves keep their data),
        with backward run on it."""
        by_node = {id(v): n for n, v in self.leaves.items()}
        copies: dict[int, Value] = {}
        leaves = {}
        try:
            for node in self.order:
                if node._prev:
                    new = apply_op(node._op, tuple(copies[id(p)] for p in node._prev))
                    new.label = node.label
                elif is_constant(node):
                    new = _constant(node.data)
                else:
                    name = by_node[id(node)]
                    new = Value(values.get(name, node.data), label=node.label)
                    leaves[name] = new
                copies[id(node)] = new
            out = copies[id(self.root)]
            out.backward()
        except (ArithmeticError, ValueError) as e:
            why = "a number overflows a float" if isinstance(e, OverflowError) else str(e)
            raise LabError("formula_evaluate", message=why) from None
        return out, leaves


def _formula_text(root: Value, names: dict) -> str:
    """The graph written as a formula, to show in the formula box (SymPy's text when it can
    write it, else the output's name)."""
    try:
        from autograd import to_sympy
        text = str(to_sympy(root))
    except Exception:   # an op SymPy cannot write, or a graph too deep  # noqa: BLE001
        text = ""
    if not text or len(text) > 300:
        return f"{names[root]} (your graph)"
    return text


class GivenSession(LabSession):
    """The session of a notebook's widget: a formula typed in the page works as everywhere;
    the given graph answers while the formula box holds its text; train mode's CSV data set is
    the notebook's ``(X, y)`` while the page's CSV box is empty."""

    def __init__(self, graph: GivenGraph | None = None, data: str | None = None,
                 language: str | None = None):
        super().__init__(language)
        self.given, self.data = graph, data

    def _expression(self, p: Params) -> dict:
        formula = p.raw.get("formula")
        if self.given is None or formula != self.given.formula:
            return super()._expression(p)
        out, leaves = self.given.build(p.numbers("values", limit=expression.MAX_NAMES * 4))
        graph, response = expression.respond(formula, out, leaves)
        self.graphs["expression"] = graph
        self.titles["expression"] = formula
        return response

    def _train_setup(self, p: Params) -> dict:
        if self.data is not None and p.raw.get("dataset") == "csv" \
                and not str(p.raw.get("csv") or "").strip():
            p = Params({**p.raw, "csv": self.data})
        return super()._train_setup(p)


def _row(x, what: str) -> list[float]:
    try:
        row = [float(v) for v in (x.tolist() if hasattr(x, "tolist") else x)]
    except (TypeError, ValueError):
        raise TypeError(f"Lab: {what} must be a row of numbers, got {x!r}"[:200]) from None
    if not all(math.isfinite(v) for v in row):
        raise ValueError(f"Lab: {what} has a number that is not finite: {row}"[:200])
    return row


def csv_text(X, y) -> tuple[list[list[float]], list[float], str]:
    """The notebook's data as rows, targets and the CSV text train mode reads."""
    try:
        rows = [_row(x, f"row {i} of X") for i, x in enumerate(X)]
        targets = [float(t) for t in (y.tolist() if hasattr(y, "tolist") else y)]
    except TypeError as e:
        if str(e).startswith("Lab:"):
            raise
        raise TypeError("Lab: X must be rows of numbers and y one number per row") from None
    if not rows or len(rows) != len(targets):
        raise ValueError(f"Lab: X has {len(rows)} rows and y {len(targets)} numbers; give one "
                         "target per row")
    if len({len(r) for r in rows}) != 1:
        raise ValueError("Lab: the rows of X do not all have the same length")
    if not all(math.isfinite(t) for t in targets):
        raise ValueError("Lab: y has a number that is not finite")
    if len(rows) > LIMITS["csv_rows"]:
        raise ValueError(f"Lab: X has {len(rows)} rows; train mode reads at most "
                         f"{LIMITS['csv_rows']}")
    text = "\n".join(",".join(repr(v) for v in row + [t]) for row, t in zip(rows, targets))
    if len(text) > LIMITS["csv_chars"]:
        raise ValueError(f"Lab: the data is {len(text)} characters as CSV; train mode reads "
                         f"at most {LIMITS['csv_chars']}")
    return rows, targets, text


def network_state(model, x: list[float], y: float) -> dict[str, str]:
    """The page's network-mode state for ``model`` (an MLP) on the sample ``(x, y)``: its sizes,
    activations and every weight, so the page shows this very network."""
    layers = getattr(model, "layers", None)
    if not layers or not all(hasattr(layer, "neurons") for layer in layers):
        raise TypeError(f"Lab: expected an MLP (layers of neurons), got {type(model).__name__}")
    nin = len(layers[0].neurons[0].w)
    sizes = [nin] + [len(layer.neurons) for layer in layers]
    hidden = [layer.activation for layer in layers[:-1]]
    if len(set(hidden)) > 1:
        raise ValueError(f"Lab: the lab's networks have one activation for the hidden layers, "
                         f"this one has {hidden}")
    if sizes[-1] != 1 or nin > LIMITS["inputs"] or len(sizes) - 2 > LIMITS["hidden_layers"] \
            or any(n > LIMITS["layer_size"] for n in sizes[1:-1]):
        raise ValueError(f"Lab: the lab shows networks of at most {LIMITS['inputs']} inputs, "
                         f"{LIMITS['hidden_layers']} hidden layers of at most "
                         f"{LIMITS['layer_size']} neurons and one output; this one is "
                         f"{'-'.join(map(str, sizes))}")
    if len(x) != nin:
        raise ValueError(f"Lab: the network has {nin} inputs, the sample has {len(x)}")
    weights = ";".join(f"{p.label}:{p.data!r}" for p in model.parameters())
    return {"mode": "network", "preset": "custom", "net": "-".join(map(str, sizes)),
            "act": hidden[0] if hidden else layers[-1].activation,
            "out": layers[-1].activation, "seed": "0", "x": ",".join(map(repr, x)),
            "y": repr(float(y)), "w": weights}
