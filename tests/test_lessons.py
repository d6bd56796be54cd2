"""Every lesson runs in its quick mode and writes the files it promises."""

import importlib
import re

import pytest

pytest.importorskip("matplotlib")

PNG = b"\x89PNG\r\n\x1a\n"

LESSONS = {
    "seed_network": ["seed_graph.svg", "seed_network.svg", "seed_backward.html", "seed_loss.png"],
    "neuron": ["neuron.svg"],
    "activations": ["activations.png"],
    "moons": ["moons.png"],
    "vectorized": ["vectorized.txt"],
    "accumulate": ["accumulate.txt"],
}


def run(name, tmp_path, capsys):
    importlib.import_module(f"demos.{name}").main(["--out", str(tmp_path)])
    return capsys.readouterr().out


@pytest.mark.parametrize("name", sorted(LESSONS))
def test_lesson_writes_its_files(name, tmp_path, capsys):
    out = run(name, tmp_path, capsys)
    for filename in LESSONS[name]:
        data = (tmp_path / filename).read_bytes()
        assert f"wrote {tmp_path / filename}" in out
        if filename.endswith(".png"):
            assert data.startswith(PNG)
        elif filename.endswith(".svg"):
            assert b"<svg" in data[:500] and data.rstrip().endswith(b"</svg>")
        elif filename.endswith(".html"):
            assert b"<html" in data[:200].lower() and b"<script" in data.lower()
        else:
            assert data.strip()


def test_seed_network_hand_formulas_match_engine_and_finite_differences(tmp_path, capsys):
    out = run("seed_network", tmp_path, capsys)
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


def test_moons_lesson_reaches_full_accuracy(tmp_path, capsys):
    out = run("moons", tmp_path, capsys)
    assert re.search(r"step  99 .* accuracy 100%", out)


def test_accumulate_lesson_shows_the_sum_over_paths(tmp_path, capsys):
    out = run("accumulate", tmp_path, capsys)
    assert "a.grad = 7" in out
    assert "after a second backward:                 w.grad = 4" in out
