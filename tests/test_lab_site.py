"""The lab as a static site (``python -m visualize lab --export DIR``): what the folder holds,
the refusals of the export, and the site itself in Chromium, served by a plain static server on
127.0.0.1, with Pyodide running this project's engine in the browser."""

import json
import re
import zipfile

import pytest

from autograd import Value
from visualize.lab import export as site
from visualize.lab.cli import main as lab_main
from visualize.lab.session import LabSession

MB = 1_000_000


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The site, exported once for the module (Pyodide from the cache, or npm the first time).
    An export with Node.js compiles Python to bytecode (about 11 s on 2 cores), so every test
    that uses it is in the slow group, marked ``browser`` with the tests that run the site."""
    folder = tmp_path_factory.mktemp("site") / "lab"
    summary = site.export(folder)
    return folder, summary


@pytest.mark.browser
def test_the_folder_holds_the_page_pyodide_the_wheels_and_their_licences(built):
    folder, summary = built
    assert summary["bytes"] < 30 * MB   # the target: under 30 MB on disk
    for name in ("index.html", "lab-site.json", "NOTICE.md", "static/js/app.js",
                 "static/js/site-main.js", "static/js/pyodide-worker.js", "static/lab.css",
                 "static/vendor/viz/viz.js", "static/vendor/viz/LICENSE",
                 "static/vendor/katex/LICENSE", "pyodide/pyodide.mjs",
                 "pyodide/pyodide.asm.wasm", "pyodide/python_stdlib.zip",
                 "pyodide/LICENSE", "pyodide/PYTHON_LICENSE"):
        assert (folder / name).is_file(), name
    assert "Mozilla Public License Version 2.0" in (folder / "pyodide/LICENSE").read_text()
    manifest = json.loads((folder / "lab-site.json").read_text())
    assert manifest["pyodide_version"] == site.PYODIDE_VERSION
    assert set(manifest["lazy"]) == {"sympy", "mpmath"}
    for wheel in manifest["wheels"] + list(manifest["lazy"].values()):
        assert zipfile.ZipFile(folder / wheel).testzip() is None
    page = (folder / "index.html").read_text()
    assert "connect-src 'self'" in page and "static/js/site-main.js" in page
    assert not re.search(r"https?://", page)   # nothing from another origin


@pytest.mark.browser
def test_the_projects_wheel_holds_the_engine_its_bytecode_and_no_page(built, tmp_path):
    folder, summary = built
    [ours] = (folder / "wheels").glob("backprop_lab-*.whl")
    names = zipfile.ZipFile(ours).namelist()
    for needed in ("autograd/__init__.py", "nn/layers.py", "visualize/lab/session.py"):
        assert needed in names
    assert not any("/static/" in n for n in names)
    record = [n for n in names if n.endswith(".dist-info/RECORD")]
    assert len(record) == 1
    if summary["compiled"]:   # Node.js was there: bytecode for Pyodide's Python 3.13
        pyc = zipfile.ZipFile(ours).read("autograd/__pycache__/__init__.cpython-313.pyc")
        assert pyc[4:8] == b"\x01\x00\x00\x00"   # PEP 552: hash-based, never checked
        stdlib = zipfile.ZipFile(folder / "pyodide" / "python_stdlib.zip").namelist()
        assert "asyncio/base_events.pyc" in stdlib and "asyncio/base_events.py" not in stdlib
    plain = site.project_wheel(tmp_path)
    assert not any(n.endswith(".pyc") for n in zipfile.ZipFile(plain).namelist())
    again = site.project_wheel(tmp_path / "again")
    assert again.read_bytes() == plain.read_bytes()   # the same sources, the same bytes


def test_without_node_the_site_holds_python_source_only(tmp_path):
    summary = site.export(tmp_path / "plain", node=None)
    assert summary["compiled"] is False
    folder = tmp_path / "plain"
    [ours] = (folder / "wheels").glob("backprop_lab-*.whl")   # the page's languages go along
    assert "autograd/i18n/locale/zh/LC_MESSAGES/backprop_lab.mo" in \
        zipfile.ZipFile(ours).namelist()
    assert not any(n.endswith(".pyc") for wheel in (folder / "wheels").glob("*.whl")
                   for n in zipfile.ZipFile(wheel).namelist())
    assert "asyncio/base_events.py" in zipfile.ZipFile(
        folder / "pyodide" / "python_stdlib.zip").namelist()


def test_a_dependencys_wheel_leaves_its_tests_out_and_keeps_its_licence(tmp_path):
    wheel = site.installed_wheel("sympy", tmp_path)
    names = zipfile.ZipFile(wheel).namelist()
    assert "sympy/__init__.py" in names and not any("/tests/" in n for n in names)
    assert any(n.endswith(".dist-info/METADATA") for n in names)
    assert any("LICENSE" in n.upper() for n in names)
    with pytest.raises(site.ExportError, match="'no-such-package', which is not installed"):
        site.installed_wheel("no-such-package", tmp_path)


@pytest.mark.browser
def test_the_export_refuses_a_folder_it_did_not_write(tmp_path, built):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(site.ExportError, match="not empty and holds no earlier export"):
        site.export(tmp_path, pyodide=built[0] / "pyodide")
    assert (tmp_path / "notes.txt").read_text() == "mine"
    (tmp_path / "file").write_text("x")
    with pytest.raises(site.ExportError, match="is a file, not a folder"):
        site.export(tmp_path / "file")


def test_without_npm_and_cache_the_export_says_what_to_install(tmp_path, capsys):
    with pytest.raises(site.ExportError, match="`no-npm-here` is not on PATH") as e:
        site.pyodide_folder(npm="no-npm-here", cache=tmp_path / "cache")
    assert "apt-get install npm" in str(e.value) and "--pyodide DIR" in str(e.value)
    other = tmp_path / "pyodide"
    other.mkdir()
    for name in site.PYODIDE_FILES:
        (other / name).write_text("{}")
    (other / "package.json").write_text('{"version": "0.1.0"}')
    with pytest.raises(site.ExportError, match="Pyodide 0.1.0, but this lab is pinned to"):
        site.pyodide_folder(other)
    assert lab_main(["--pyodide", str(other)]) == 2
    assert "--pyodide goes with --export DIR" in capsys.readouterr().err
    assert lab_main(["--export", str(tmp_path / "out"), "--pyodide", str(tmp_path)]) == 1
    assert "not an unpacked `pyodide` npm package" in capsys.readouterr().err


@pytest.mark.browser
def test_the_command_writes_the_folder_and_says_how_to_serve_it(tmp_path, capsys, built):
    assert lab_main(["--export", str(tmp_path / "out"), "--pyodide",
                     str(built[0] / "pyodide")]) == 1   # an export's folder lacks package.json
    capsys.readouterr()
    cache = site.pyodide_folder()   # filled by the module's export
    assert lab_main(["--export", str(tmp_path / "out"), "--pyodide", str(cache)]) == 0
    out = capsys.readouterr().out
    assert "wrote the static site to" in out
    assert "python3 -m http.server 8000 --bind 127.0.0.1" in out
    assert (tmp_path / "out" / "lab-site.json").is_file()
    assert lab_main(["--export", str(tmp_path / "out"), "--pyodide", str(cache)]) == 0  # again


# -- the site in Chromium ------------------------------------------------------------------------

def expect():
    from playwright.sync_api import expect as playwright_expect
    return playwright_expect


@pytest.mark.browser
def test_the_site_runs_the_engine_in_the_browser_and_asks_nothing_of_another_origin(built):
    """Expression mode with the engine's exact numbers, the derivation checker, a shared
    link, network mode and 10 training steps, all computed by Pyodide in the page."""
    from tests.lab_support import Page, chromium, static_server

    folder, _ = built
    with static_server(folder) as url, chromium() as browser:
        page = Page(browser, url)
        try:
            page.page.goto(url)
            page.page.wait_for_selector(".lab-root[data-ready=true]", timeout=90000)
            page.by("formula").fill("tanh(x*w + b)")
            for name, value in (("x", 0.5), ("w", -1.25), ("b", 0.3)):
                page.by(f"value-{name}").fill(str(value))
            x, w, b = Value(0.5, label="x"), Value(-1.25, label="w"), Value(0.3, label="b")
            out = (x * w + b).tanh()
            out.backward()
            for name, v in (("x", x), ("w", w), ("b", b)):
                expect()(page.by(f"grad-{name}")).to_have_attribute("data-value", repr(v.grad))
            expect()(page.by("output")).to_have_attribute("data-value", repr(out.data))
            # the derivation checker: SymPy is fetched from the site the first time it is needed
            page.by("tool-check").click()
            page.by("check-wrt").select_option("w")
            page.by("check-input").fill("x*(1 - tanh(x*w + b)**2)")
            page.by("check-run").click()
            verdict = page.by("check-verdict")
            expect()(verdict).to_have_attribute("data-ok", "true", timeout=60000)
            expect()(verdict).to_contain_text("Right: your formula equals ∂out/∂w")
            # a shared link opens the same view
            page.page.goto(url + "#f=a*a%20%2B%20a&v=a:3&tool=step")
            page.page.reload()   # a new hash alone does not load the page again
            page.page.wait_for_selector(".lab-root[data-ready=true]", timeout=90000)
            expect()(page.by("step-counter")).to_have_text("step 0 of 5")
            page.by("step-next").click()
            expect()(page.by("step-text")).to_have_text("mul1.grad += 1 × 1 = 1, so mul1.grad = 1")
            # the exercises: 1-6 are checked in the browser; 7-13 need numpy, and say so
            page.page.goto(url + "#tool=check&ex=1&exseed=7")
            page.page.reload()
            page.page.wait_for_selector(".lab-root[data-ready=true]", timeout=90000)
            prompt = page.by("exercise-prompt")
            expect()(prompt).to_have_attribute("data-number", "1", timeout=60000)
            page.by("exercise-answer").fill("sigmoid(w1*x1 + w2*x2)")
            page.by("exercise-run").click()
            expect()(page.by("exercise-verdict")).to_have_attribute("data-kinds", "missing_bias",
                                                                    timeout=60000)
            page.by("exercise-pick").select_option("8")
            expect()(prompt).to_contain_text("numpy, which this Python does not have")
            expect()(page.by("exercise-answer")).to_be_disabled()
            # network mode: the reference text's 3-4-1 network, numpy-free in the browser
            page.by("mode-network").click()
            want = LabSession().call("network.set", {})["loss"]
            loss = page.by("network-loss")
            expect()(loss).to_have_attribute("data-value", re.compile("."), timeout=30000)
            assert float(loss.get_attribute("data-value")) == pytest.approx(want, rel=1e-12)
            # train mode: 10 steps on moons, and the loss falls
            page.by("mode-train").click()
            loss = page.by("loss")
            expect()(loss).to_have_attribute("data-step", "0", timeout=30000)
            start = float(loss.get_attribute("data-value"))
            for k in range(1, 11):
                page.by("train-step").click()
                expect()(loss).to_have_attribute("data-step", str(k), timeout=30000)
            assert float(loss.get_attribute("data-value")) < start
            expect()(page.by("train-boundary")).to_be_visible()
            expect()(page.by("train-accuracy")).not_to_be_empty()
            # Chinese, from the catalogs in the wheel, read by gettext in the browser's Python
            trained = loss.get_attribute("data-value")
            page.by("lang").select_option("zh")
            expect()(page.by("train-status")).to_contain_text("第 10 步")
            expect()(loss).to_have_attribute("data-value", trained)   # the same run
            assert "lang=zh" in page.page.url
        finally:
            page.close()
        page.assert_stayed_home()
        assert not page.errors, page.errors


def test_without_numpy_the_lab_still_trains_and_shows_networks():
    """What runs in the browser, checked in CPython with numpy blocked: nn's networks, network
    mode, and train mode on every data set (plain Python data sets, batches and outputs)."""
    import subprocess
    import sys

    code = """
import sys
sys.modules["numpy"] = None
import nn
from visualize.lab.session import LabSession
s = LabSession()
assert s.call("network.set", {})["loss"] > 0
for name in ("moons", "xor", "circles", "spiral", "seed"):
    start = s.call("train.setup", {"dataset": name})
    after = s.call("train.step", {"steps": 40})
    assert after["step"] == 40 and after["loss"] < start["loss"], (name, start["loss"],
                                                                    after["loss"])
    assert ("boundary" in after) == (name != "seed")
try:
    nn.make_moons
except ImportError as e:
    assert "needs numpy" in str(e)
else:
    raise AssertionError("make_moons without numpy")
print("ok")
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)
    assert done.stdout.strip() == "ok", done.stderr[-2000:]
