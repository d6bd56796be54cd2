"""Every lesson runs in its quick mode and writes the files it promises (each lesson runs once)."""

import contextlib
import importlib
import io
import re

import pytest

from visualize.render import svg_backend

pytest.importorskip("matplotlib")

PNG = b"\x89PNG\r\n\x1a\n"
PICTURES = (".svg", ".html")   # need a Graphviz that makes SVG

LESSONS = {
    "seed_network": ["seed_graph.svg", "seed_network.svg", "seed_backward.html", "seed_loss.png"],
    "neuron": ["neuron.svg"],
    "activations": ["activations.png"],
    "moons": ["moons.png"],
    "vectorized": ["vectorized.txt"],
    "accumulate": ["accumulate.txt"],
}


@pytest.fixture(scope="module")
def lesson(tmp_path_factory):
    """Run a lesson once for the whole module: (its folder, what it printed)."""
    runs = {}

    def run(name):
        if name not in runs:
            out, printed = tmp_path_factory.mktemp(name) / "new" / "folder", io.StringIO()
            with contextlib.redirect_stdout(printed):
                importlib.import_module(f"demos.{name}").main(["--out", str(out)])
            runs[name] = out, printed.getvalue()
        return runs[name]
    return run


@pytest.mark.parametrize("name", sorted(LESSONS))
def test_lesson_writes_its_files(name, lesson):
    out, printed = lesson(name)
    for filename in LESSONS[name]:
        if filename.endswith(PICTURES) and svg_backend() is None:
            assert not (out / filename).exists()   # and it says why, and what to install
            assert re.search(r"^\s*not drawn \(.*\): render: SVG needs Graphviz.*"
                             r"apt-get install graphviz", printed, re.M)
            continue
        data = (out / filename).read_bytes()
        assert f"wrote {out / filename}" in printed
        if filename.endswith(".png"):
            assert data.startswith(PNG)
        elif filename.endswith(".svg"):
            assert b"<svg" in data[:500] and data.rstrip().endswith(b"</svg>")
        elif filename.endswith(".html"):
            assert b"<html" in data[:200].lower() and b"<script" in data.lower()
        else:
            assert data.strip()


def test_seed_network_hand_formulas_match_engine_and_finite_differences(lesson):
    _, out = lesson("seed_network")
    for label in ("W[2]_11", "W[1]_21"):
        block = out[out.index(f"∂L/∂{label} = (ŷ - y)"):]
        hand, engine, numeric = (float(re.search(rf"{what}\s+(\S+)", block).group(1))
                                 for what in ("by hand", r"engine \(backward\)",
                                              "finite difference"))
        assert hand == pytest.approx(engine, rel=1e-12, abs=1e-15)
        assert numeric == pytest.approx(engine, rel=1e-6)
    assert "AGREE" in out
    assert "100 updates per epoch" in out
    fell = float(re.search(r"loss fell (\S+)x", out).group(1))
    assert fell > 5


def test_moons_lesson_reaches_full_accuracy(lesson):
    _, out = lesson("moons")
    assert re.search(r"step  99 .* accuracy 100%", out)


def test_accumulate_lesson_shows_the_sum_over_paths(lesson):
    _, out = lesson("accumulate")
    assert "a.grad = 7" in out
    assert "after a second backward:                 w.grad = 4" in out


def test_an_out_folder_that_cannot_be_made_is_one_line_exit_2(tmp_path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    with pytest.raises(SystemExit) as stop:
        importlib.import_module("demos.accumulate").main(["--out", str(blocker / "out")])
    assert stop.value.code == 2
    assert f"--out {blocker / 'out'}: cannot create the folder" in capsys.readouterr().err
