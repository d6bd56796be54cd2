"""The chain rule written out: every path from an input to an output, as the seed derives it.

∂L/∂x = Σ over paths x → L of the product of the local derivatives on the path's edges.
Paths are counted first (dynamic programming, no enumeration); when there are too many, a
per-edge summary (the backward pass restricted to the edges between x and L) replaces the list.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import NamedTuple

from autograd.chain import ChainRule, local_derivatives, topological_order
from autograd.core import Value
from autograd.i18n import N_, in_own_language, language, tr, trn
from autograd.labels import tex
from autograd.names import display_names

__all__ = ["explain", "Explanation", "ExplainPath", "PathEdge", "EdgeFlow", "Factor"]

_MAX_FACTORS = 24  # longer paths are printed with their middle elided
_MAX_SUMMARY_ROWS = 40  # str() of a summary shows this many edges; the data holds them all


class PathEdge(NamedTuple):
    """One edge of a path: ``child`` was computed from ``parent`` by ``op``; ∂child/∂parent = local.

    ``arg`` is the parent's position among the child's arguments (``a * a`` has arg 0 and 1).
    """

    child: Value
    parent: Value
    op: str
    local: float
    arg: int


@dataclass(frozen=True)
class ExplainPath:
    """One path from the output down to ``wrt``: its edges (output first) and their product."""

    edges: tuple[PathEdge, ...]
    product: float


class Factor(NamedTuple):
    """One printed factor ∂child/∂parent: its value, the ops it spans and how many routes.

    ``routes`` > 1 only in compact form (routes through unlabelled nodes summed); ``arg`` is
    set when the child uses the parent more than once, to tell the edges apart.
    """

    child: Value
    parent: Value
    local: float
    ops: tuple[str, ...]
    routes: int
    arg: int | None


class EdgeFlow(NamedTuple):
    """One edge in the per-edge summary: what backward sends along it.

    ``upstream`` is ∂output/∂child, ``contribution = local * upstream`` is what backward adds to
    ``parent.grad`` over this edge, and ``paths`` counts the paths wrt → output through it.
    """

    child: Value
    parent: Value
    op: str
    local: float
    arg: int
    upstream: float
    contribution: float
    paths: int | float


@dataclass
class Explanation:
    """The result of :func:`explain`; ``str()`` reads like the seed's derivations.

    Attributes:
        output, wrt: the two values.
        n_paths: how many paths lead from ``wrt`` to ``output`` (an int; a float once it
            passes 2**63, ``inf`` beyond the float range).
        paths: every path with its product, or ``None`` when ``n_paths > max_paths``.
        total: ∂output/∂wrt: the sum of the path products (or, when the paths are not listed,
            of the summary's contributions into ``wrt``); what ``backward()`` gives.
        max_paths: the limit that was used.
        compact: whether the text forms fold unlabelled nodes (see :meth:`factor_paths`).
        symbolic: whether the text forms show each factor's formula next to its number.
        language: what the text forms are written in: the language in use when it was made.
    """

    output: Value
    wrt: Value
    n_paths: int | float
    paths: list[ExplainPath] | None
    total: float
    max_paths: int
    compact: bool
    _names: dict = field(repr=False)
    _grads: dict = field(repr=False)
    _counts: dict = field(repr=False)
    symbolic: bool = False
    _formulas: object = field(default=None, repr=False)
    language: str = field(default_factory=language, repr=False, compare=False)   # its text's

    def __repr__(self) -> str:
        return (f"<Explanation {self._head()} = {_num(self.total)}, "
                f"{_count(self.n_paths)} path(s){', summarized' if self.summarized else ''}>")

    @property
    def summarized(self) -> bool:
        """True when there were too many paths to list them."""
        return self.paths is None

    def name(self, node: Value) -> str:
        """The node's label, or a stable generated name (op + counter, e.g. ``tanh1``)."""
        return self._names.get(node) or node.label or "wrt"

    def edge_summary(self) -> list[EdgeFlow]:
        """Every edge on a path from ``wrt`` to ``output``, in the order backward visits them.

        The contributions of the edges that end in ``wrt`` sum to :attr:`total`.
        """
        counts, grads = self._counts, self._grads
        from_output = {self.output: 1}  # number of paths node -> output
        rows = []
        for node in reversed(list(grads)):  # grads is in topological order
            if node is self.wrt:
                continue
            up_count, g = from_output[node], grads[node]
            for arg, (parent, local) in enumerate(zip(node._prev, local_derivatives(node))):
                if parent in counts:
                    rows.append(EdgeFlow(node, parent, node._op, local, arg, g, local * g,
                                         _capped(up_count * counts[parent])))
                    from_output[parent] = _capped(from_output.get(parent, 0) + up_count)
        return rows

    def factor_paths(self, compact: bool | None = None) -> list[tuple[list[Factor], float]]:
        """The listed paths as factors, each with its product (``[]`` when summarized).

        Args:
            compact: fold unlabelled intermediate nodes into the factors between labelled ones
                (``∂L/∂a[2]_1`` instead of ``∂L/∂mul1 · ∂mul1/∂add1 · ∂add1/∂a[2]_1``). Paths
                that differ only inside a fold merge, and the fold's value is the sum over its
                routes, so the products still sum to ``total``. Default: as given to explain.
        """
        compact = self.compact if compact is None else compact
        if not self.paths:
            return []
        if not compact:
            return [([Factor(e.child, e.parent, e.local, (e.op,), 1,
                             e.arg if e.child._prev.count(e.parent) > 1 else None)
                      for e in p.edges], p.product) for p in self.paths]
        groups: dict = {}
        for path in self.paths:
            segments, current = [], []
            for e in path.edges:
                current.append(e)
                if e.parent is self.wrt or e.parent.label:
                    segments.append(tuple(current))
                    current = []
            key = tuple((seg[0].child, seg[-1].parent) for seg in segments)
            routes = groups.setdefault(key, [{} for _ in segments])
            for slot, seg in zip(routes, segments):
                slot[tuple((id(e.child), e.arg) for e in seg)] = seg
        out = []
        for key, routes in groups.items():
            factors = []
            for (child, parent), slot in zip(key, routes):
                value = math.fsum(math.prod(e.local for e in seg) for seg in slot.values())
                ops = tuple(dict.fromkeys(e.op for seg in slot.values() for e in seg))
                factors.append(Factor(child, parent, value, ops, len(slot), None))
            out.append((factors, math.prod(f.local for f in factors)))
        return out

    def formula(self, f: Factor):
        """The factor's local derivative as a SymPy expression of the names explain prints."""
        if self._formulas is None:
            from autograd.checks.symbolic import FactorFormulas
            self._formulas = FactorFormulas(self.output, self.wrt)
        return self._formulas(f.child, f.parent, f.arg, self.compact)

    def _formula_lines(self, factors: list[Factor], indent: str) -> list[str]:
        """One line per factor: ∂child/∂parent = formula = number."""
        from autograd.checks.symbolic import to_text

        def line(f: Factor) -> str:
            text, number = to_text(self.formula(f)), _num(f.local)
            return f"{self._factor(f)} = {text if text == number else f'{text} = {number}'}"

        lines = _elide(factors, line, "\n")
        return [indent + text for text in lines.split("\n")]

    # -- text forms ----------------------------------------------------------------------------

    def _factor(self, f: Factor) -> str:
        text = f"∂{self.name(f.child)}/∂{self.name(f.parent)}"
        return text if f.arg is None else tr("{derivative} (arg {k})", derivative=text,
                                             k=f.arg + 1)

    def _head(self) -> str:
        return f"∂{self.name(self.output)}/∂{self.name(self.wrt)}"

    def _path_line(self, factors: list[Factor], product: float) -> str:
        if not factors:
            return tr("{head} = 1 (the output itself)", head=self._head())
        names = _elide(factors, self._factor, " · ")
        values = _elide(factors, lambda f: f"({_num(f.local)})", "")
        return f"{self._head()} = {names} = {values} = {_num(product)}"

    @in_own_language
    def __str__(self) -> str:
        if self.n_paths == 0:
            return tr("{head} = 0: {output} does not depend on {wrt} (no path)",
                      head=self._head(), output=self.name(self.output), wrt=self.name(self.wrt))
        if self.paths is None:
            return self._summary_text()
        rows = self.factor_paths()
        if len(rows) == 1:
            return "\n".join([self._path_line(*rows[0])]
                             + (self._formula_lines(rows[0][0], "  ") if self.symbolic else []))
        lines = [tr("{head}: {n} paths, summed", head=self._head(), n=len(rows))]
        for i, row in enumerate(rows, 1):
            lines.append(tr("  path {i}: {path}", i=i, path=self._path_line(*row)))
            lines += self._formula_lines(row[0], "    ") if self.symbolic else []
        sums = _elide(rows, lambda row: _num(row[1]), " + ")
        lines.append(f"{self._head()} = {sums} = {_num(self.total)}")
        return "\n".join(lines)

    def _too_many(self, head: str | None = None) -> str:
        return tr("{head}: {count} paths from {wrt} to {output}, more than max_paths={limit}, "
                  "so they are not listed. Per-edge summary instead (the backward pass on the "
                  "edges between them; edge_summary() returns it as data):",
                  head=head or self._head(), count=_count(self.n_paths),
                  wrt=self.name(self.wrt), output=self.name(self.output), limit=self.max_paths)

    def _summary_text(self) -> str:
        rows = self.edge_summary()
        lines = [self._too_many()]
        for r in rows[:_MAX_SUMMARY_ROWS]:
            upstream = "∂" + self.name(self.output) + "/∂" + self.name(r.child)
            lines.append(tr("  {parent} -> {child} [{op}]: local {local}, {upstream_name} "
                            "{upstream}, contribution {contribution}, on {paths} paths",
                            parent=self.name(r.parent), child=self.name(r.child), op=r.op,
                            local=_num(r.local),
                            upstream_name=upstream,
                            upstream=_num(r.upstream), contribution=_num(r.contribution),
                            paths=_count(r.paths)))
        if len(rows) > _MAX_SUMMARY_ROWS:
            lines.append(tr("  ... {n} more edges", n=len(rows) - _MAX_SUMMARY_ROWS))
        into = [r for r in rows if r.parent is self.wrt]
        lines.append(tr("{head} = sum of the {n} contributions into {wrt} = {total}",
                        head=self._head(), n=len(into), wrt=self.name(self.wrt),
                        total=_num(self.total)))
        return "\n".join(lines)

    @in_own_language
    def to_markdown(self) -> str:
        """The explanation as Markdown: one table of factors per path (or the edge summary)."""
        head = f"`{self._head()}` = {_num(self.total)}"
        if self.n_paths == 0:
            output = "`" + self.name(self.output) + "`"
            return tr("{head}: no path, {output} does not depend on it.", head=head,
                      output=output)
        if self.paths is None:
            out = [self._too_many(f"`{self._head()}`"), "",
                   "| " + " | ".join(tr(h) for h in _SUMMARY_HEAD) + " |",
                   "|---|---|---|---:|---:|---:|---:|"]
            out += [f"| `{_md(self.name(r.parent))}` | `{_md(self.name(r.child))}` | "
                    f"`{_md(r.op)}` | "
                    f"{_num(r.local)} | {_num(r.upstream)} | {_num(r.contribution)} | "
                    f"{_count(r.paths)} |" for r in self.edge_summary()]
            return "\n".join(out + ["", head])
        rows = self.factor_paths()
        if len(rows) != self.n_paths:
            out = [tr("{head} ({count} paths, shown as {shown} after folding)", head=head,
                      count=_count(self.n_paths), shown=len(rows))]
        else:
            out = [trn("{head} ({n} path)", "{head} ({n} paths)", self.n_paths, head=head)]
        for i, (factors, product) in enumerate(rows, 1):
            cells = [tr("factor"), tr("op"), *([tr("formula")] if self.symbolic else []),
                     tr("local derivative")]
            out += ["", tr("Path {i}: product {product}", i=i, product=_num(product)), "",
                    "| " + " | ".join(cells) + " |",
                    f"|---|---|{'---|' if self.symbolic else ''}---:|"]
            out += [f"| `{_md(self._factor(f))}` | `{_md(', '.join(f.ops))}` | "
                    f"{self._md_formula(f)}{_num(f.local)} |" for f in factors]
        return "\n".join(out)

    def _md_formula(self, f: Factor) -> str:
        """The formula cell of a Markdown row (LaTeX between $), or nothing."""
        if not self.symbolic:
            return ""
        from autograd.checks.symbolic import to_latex
        return "$" + to_latex(self.formula(f)).replace("|", r"\vert ") + "$ | "

    @in_own_language
    def to_latex(self) -> str:
        """The explanation as a LaTeX ``aligned`` block, as the seed typesets it."""
        head = self._frac(self.output, self.wrt)
        if self.n_paths == 0:
            return rf"\begin{{aligned}}{head} &= 0\end{{aligned}}"
        if self.paths is None:
            paths = tr("{count} paths", count=_count(self.n_paths))
            local = tr("local derivatives")
            text = (rf"{head} &= \sum_{{\text{{{paths}}}}} "
                    rf"\prod \text{{{local}}} = {_tex_num(self.total)}")
            return rf"\begin{{aligned}}{text}\end{{aligned}}"
        rows, lines = self.factor_paths(), []
        for i, (factors, product) in enumerate(rows, 1):
            names = _elide(factors, lambda f: self._frac(f.child, f.parent, f.arg),
                           r" \cdot ")
            values = _elide(factors, lambda f: f"({_tex_num(f.local)})", "")
            path = tr("path {i}", i=i)
            lhs = head if len(rows) == 1 else rf"\text{{{path}}}"
            lines.append(rf"{lhs} &= {names or '1'} \\ &= {self._latex_formulas(factors)}"
                         rf"{values or '1'} = {_tex_num(product)}")
        if len(rows) > 1:
            sums = _elide(rows, lambda row: _tex_num(row[1]), " + ")
            lines.append(rf"{head} &= {sums} = {_tex_num(self.total)}")
        return "\\begin{aligned}\n" + " \\\\\n".join(lines) + "\n\\end{aligned}"

    def _latex_formulas(self, factors: list[Factor]) -> str:
        """The factors' formulas as one LaTeX row (ending in a new row), or nothing."""
        if not (self.symbolic and factors):
            return ""
        from autograd.checks.symbolic import to_latex
        return _elide(factors, lambda f: rf"\left({to_latex(self.formula(f))}\right)",
                      r" \cdot ") + r" \\ &= "

    def _frac(self, child: Value, parent: Value, arg: int | None = None) -> str:
        text = (rf"\frac{{\partial {tex(self.name(child))}}}"
                rf"{{\partial {tex(self.name(parent))}}}")
        if arg is None:
            return text
        which = tr("arg {k}", k=arg + 1)
        return text + rf"\Big|_{{\text{{{which}}}}}"


def explain(output: Value, wrt: Value, max_paths: int = 100, compact: bool = False,
            symbolic: bool = False) -> Explanation:
    """Every path from ``wrt`` to ``output``, each edge's op and local derivative, and their sum.

    Does not need ``backward()`` and changes no ``.grad``.

    Args:
        output: the value differentiated (the loss L).
        wrt: the value it is differentiated with respect to (a parameter, input or any node).
        max_paths: list the paths only up to this many; beyond, give the count and a per-edge
            summary (see :meth:`Explanation.edge_summary`) instead.
        compact: print one factor per step between labelled nodes, folding unlabelled ones
            (a loss written as ``0.5 * (y_hat - y) ** 2`` then gives the seed's single
            ``∂L/∂a[2]_1``); the data in ``paths`` is always edge by edge.
        symbolic: print each factor's formula next to its number, e.g.
            ``∂a[2]_1/∂z[2]_1 = (1 - σ(z[2]_1))·σ(z[2]_1) = 0.25`` (SymPy; see
            :meth:`Explanation.formula`). Listed paths only: a summary stays numeric.

    Returns:
        An :class:`Explanation`; print it, or read ``paths``, ``total``, ``n_paths``.
    """
    for what, v in (("output", output), ("wrt", wrt)):
        if not isinstance(v, Value):
            raise TypeError(f"explain: {what} must be a Value, got {type(v).__name__} {v!r}")
    if isinstance(max_paths, bool) or not isinstance(max_paths, int) or max_paths < 1:
        raise ValueError(f"explain: max_paths must be an int >= 1, got {max_paths!r}")
    topo = topological_order(output)
    names = display_names(output, topo)
    counts = _path_counts(topo, wrt)
    grads = _gradients(topo, counts, output)
    n_paths = counts.get(output, 0)
    paths = None
    if n_paths <= max_paths:
        paths = _enumerate(output, wrt, counts)
        total = math.fsum(p.product for p in paths)
    else:
        total = grads[wrt]
    return Explanation(output, wrt, n_paths, paths, total, max_paths, bool(compact), names, grads,
                       counts, bool(symbolic))


# -- the three passes --------------------------------------------------------------------------

def _capped(n):
    """Exact path counts while they fit 63 bits, floats beyond (so huge counts stay cheap)."""
    return float(n) if type(n) is int and n > 2 ** 63 else n


def _path_counts(topo: list[Value], wrt: Value) -> dict:
    """Number of paths wrt -> node for every node that depends on wrt (in topological order)."""
    try:
        start = topo.index(wrt) + 1
    except ValueError:  # output does not depend on wrt
        return {}
    counts = {wrt: 1}
    for node in topo[start:]:
        n = 0
        for parent in node._prev:
            n += counts.get(parent, 0)
        if n:
            counts[node] = _capped(n)
    return counts


def _gradients(topo: list[Value], counts: dict, output: Value) -> dict:
    """∂output/∂node for the nodes between wrt and output (in topological order): the chain
    rule's sweep restricted to them."""
    if output not in counts:
        return {}
    sweep = ChainRule(output, through=counts).run()
    return {node: sweep.grad(node) for node in topo if node in counts}


def _enumerate(output: Value, wrt: Value, counts: dict) -> list[ExplainPath]:
    """Every path output -> wrt, depth first with an explicit stack, arguments in order."""
    if output not in counts:
        return []
    paths, edges = [], []
    stack = [(output, 0)]
    while stack:
        node, arg = stack.pop()
        if node is wrt:
            product = 1.0
            for e in edges:
                product *= e.local
            paths.append(ExplainPath(tuple(edges), product))
            if edges:
                edges.pop()
            continue
        while arg < len(node._prev) and node._prev[arg] not in counts:
            arg += 1
        if arg == len(node._prev):
            if edges:
                edges.pop()
            continue
        parent = node._prev[arg]
        stack.append((node, arg + 1))
        edges.append(PathEdge(node, parent, node._op, local_derivatives(node)[arg], arg))
        stack.append((parent, 0))
    return paths


# -- formatting --------------------------------------------------------------------------------

def _num(x: float) -> str:
    return f"{x:.6g}"


def _count(n) -> str:
    if type(n) is int:
        return f"{n:,}"
    return tr("more than 1e308") if math.isinf(n) else tr("about {n:.3g}", n=n)


# the Markdown summary's columns
_SUMMARY_HEAD = (N_("from"), N_("to"), N_("op"), N_("local"), N_("upstream"), N_("contribution"),
                 N_("paths"))


def _elide(items: list, fmt, sep: str) -> str:
    """Format and join the items, keeping only the first and last few of a long list."""
    if len(items) > _MAX_FACTORS:
        half = _MAX_FACTORS // 2
        middle = tr("…({n} more)…", n=len(items) - 2 * half)
        return sep.join([*map(fmt, items[:half]), middle, *map(fmt, items[-half:])])
    return sep.join(map(fmt, items))


def _tex_num(x: float) -> str:
    mantissa, _, exponent = _num(x).partition("e")
    return rf"{mantissa} \times 10^{{{int(exponent)}}}" if exponent else mantissa


def _md(text: str) -> str:
    """Text for a Markdown table cell: a | would end the cell."""
    return text.replace("|", "\\|")
