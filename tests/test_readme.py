"""The README's Python examples run, in order, as a reader would paste them."""

import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parents[1]


def python_blocks() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```python\n(.*?)```", text, flags=re.S)


def test_readme_examples_run(tmp_path, monkeypatch, capsys):
    blocks = python_blocks()
    assert len(blocks) >= 8
    monkeypatch.chdir(tmp_path)
    (tmp_path / "out").mkdir()
    namespace: dict = {}
    for i, block in enumerate(blocks):
        try:
            exec(compile(block, f"README.md python block {i + 1}", "exec"), namespace)
        except Exception as exc:  # name the block, not just the line inside it
            raise AssertionError(f"README python block {i + 1} failed:\n{block}") from exc
    out = capsys.readouterr().out
    assert "a.grad += 3 * b.grad = +3  -> 7" in out
    assert "∂c/∂a = 3 + 3 + 1 = 7" in out
    assert "∂L/∂W[2]_11 = ∂L/∂a[2]_1 · ∂a[2]_1/∂z[2]_1 · ∂z[2]_1/∂W[2]_11" in out
    for name in ("neuron.svg", "backprop.html", "network.svg"):
        assert (tmp_path / "out" / name).stat().st_size > 0


def test_readme_images_exist():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    images = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text)
    assert images
    for image in images:
        assert (ROOT / image).read_text(encoding="utf-8").lstrip().startswith(("<?xml", "<svg"))
