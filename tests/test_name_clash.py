"""PyPI's autograd (HIPS) has our import name: every way the two can meet fails at import,
naming the clash, where each copy is and the fix. A fake HIPS package stands in (no network)."""

import pathlib
import shutil
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
FIX = "pip uninstall -y autograd backprop-lab"
HIPS_FILES = ("tracer.py", "differential_operators.py", "wrap_util.py", "numpy/__init__.py")


def fake_hips(site: pathlib.Path, dist_info: bool = True) -> pathlib.Path:
    """A HIPS-like autograd in ``site``: its __init__, a few of its modules, its metadata."""
    package = site / "autograd"
    for name in HIPS_FILES:
        (package / name).parent.mkdir(parents=True, exist_ok=True)
        (package / name).write_text("")
    (package / "__init__.py").write_text("def grad(fun):\n    return 'HIPS grad'\n")
    if dist_info:
        meta = site / "autograd-1.7.0.dist-info"
        meta.mkdir()
        (meta / "METADATA").write_text("Metadata-Version: 2.1\nName: autograd\nVersion: 1.7.0\n")
    return package


def copy_ours(site: pathlib.Path) -> None:
    """backprop-lab's three packages, as pip would install them into ``site``."""
    for name in ("autograd", "nn", "visualize"):
        shutil.copytree(ROOT / name, site / name, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns("__pycache__"))


def run(statement: str, path: list[pathlib.Path], cwd: pathlib.Path) -> str:
    """Run ``statement`` in a new interpreter with ``path`` first on sys.path; its last line."""
    code = f"import sys; sys.path[:0] = {[str(p) for p in path]!r}\n{statement}\nprint('ok')"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=cwd)
    lines = (result.stdout + result.stderr).strip().splitlines()
    return lines[-1] if lines else ""


@pytest.fixture
def sites(tmp_path):
    hips, ours = tmp_path / "hips", tmp_path / "ours"
    hips.mkdir()
    ours.mkdir()
    return hips, ours


def test_no_clash_imports_everything_and_sets_the_marker(tmp_path):
    assert run("import autograd, nn, visualize; assert autograd.__backprop_lab__ is True",
               [ROOT], tmp_path) == "ok"


@pytest.mark.parametrize("package", ["nn", "visualize"])
def test_hips_first_on_sys_path(sites, tmp_path, package):
    """An editable install (or PYTHONPATH) where HIPS's folder comes before ours."""
    hips, _ = sites
    fake_hips(hips)
    error = run(f"import {package}", [hips, ROOT], tmp_path)
    assert error.startswith("ImportError: ")
    assert f"{package} needs backprop-lab's `autograd` (in {ROOT / 'autograd'})" in error
    assert str(hips / "autograd" / "__init__.py") in error and "HIPS" in error
    assert FIX in error and "virtual environment" in error
    assert run("from autograd import grad; assert grad(None) == 'HIPS grad'",
               [hips, ROOT], tmp_path) == "ok"   # code written for HIPS is not broken by us


def test_hips_installed_after_ours_overwrote_our_init(sites, tmp_path):
    _, ours = sites
    copy_ours(ours)
    fake_hips(ours)
    error = run("import nn", [ours], tmp_path)
    assert error.startswith("ImportError: nn needs backprop-lab's `autograd`")
    assert str(ours / "autograd" / "__init__.py") in error and FIX in error


def test_ours_installed_after_hips_refuses_both_imports(sites, tmp_path):
    _, ours = sites
    fake_hips(ours)
    copy_ours(ours)   # our __init__.py now stands among HIPS's files
    for statement in ("from autograd import Value", "from autograd import grad", "import nn"):
        error = run(statement, [ours], tmp_path)
        assert error.startswith("ImportError: two packages named `autograd` are installed")
        assert f"backprop-lab's, in {ours / 'autograd'}" in error
        assert "PyPI's autograd (HIPS), found at " + str(ours / "autograd") in error
        assert FIX in error


def test_hips_metadata_elsewhere_on_sys_path(sites, tmp_path):
    """Ours comes first on sys.path, HIPS is installed in another folder of it."""
    hips, _ = sites
    fake_hips(hips)
    error = run("import autograd", [ROOT, hips], tmp_path)
    assert error.startswith("ImportError: two packages named `autograd`")
    assert str(hips / "autograd-1.7.0.dist-info") in error and FIX in error


def test_init_deleted_by_uninstalling_hips(sites, tmp_path):
    """pip uninstall autograd removes the __init__.py both packages wrote."""
    _, ours = sites
    copy_ours(ours)
    (ours / "autograd" / "__init__.py").unlink()
    error = run("import visualize", [ours], tmp_path)
    assert error.startswith("ImportError: visualize needs backprop-lab's `autograd`")
    assert "without __init__.py" in error and FIX in error
