"""The lab's local server: the page, one JSON API, limits before work, and the command line."""

import fnmatch
import json
import os
import pathlib
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import warnings

import pytest

pytest.importorskip("starlette")
with warnings.catch_warnings():   # Starlette 1.x prefers httpx2 (Python 3.11+) to httpx
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from visualize.lab import server as lab_server  # noqa: E402
from visualize.lab.server import CSP, create_app  # noqa: E402
from visualize.lab.session import LabSession  # noqa: E402

ROOT = pathlib.Path(__file__).parent.parent
NEURON = {"formula": "tanh(x*w + b)", "values": {"x": 2.0, "w": -3.0, "b": 6.88}}


@pytest.fixture
def client():
    with TestClient(create_app(), base_url="http://127.0.0.1") as c:
        yield c


def call(client, method, session=None, **params):
    r = client.post("/api", json={"session": session, "method": method, "params": params})
    return r.status_code, r.json()


def test_the_page_and_its_files_are_served_with_a_strict_policy(client):
    r = client.get("/")
    assert r.status_code == 200 and 'src="static/js/server-main.js"' in r.text
    assert r.headers["content-security-policy"] == CSP and "script-src 'self'" in CSP
    assert r.headers["x-content-type-options"] == "nosniff"
    for path, kind in [("/static/js/app.js", "text/javascript"),
                       ("/static/vendor/viz/viz.js", "text/javascript"),
                       ("/static/vendor/katex/katex.mjs", "text/javascript"),
                       ("/static/lab.css", "text/css"),
                       ("/static/vendor/katex/fonts/KaTeX_Main-Regular.woff2", "font/woff2")]:
        r = client.get(path)
        assert r.status_code == 200 and r.headers["content-type"].startswith(kind), path
    assert client.get("/static/../session.py").status_code == 404


def test_a_session_opens_with_lab_init_and_answers_by_its_id(client):
    status, init = call(client, "lab.init")
    assert status == 200 and init["ok"] and init["session"]
    status, r = call(client, "expression.set", init["session"], **NEURON)
    assert r["ok"] and r["session"] == init["session"]
    assert [leaf["name"] for leaf in r["result"]["leaves"]] == ["x", "w", "b"]
    status, r = call(client, "graph.steps", init["session"])
    assert len(r["result"]["frames"]) == 5
    status, r = call(client, "graph.steps", "no-such-session")
    assert status == 410 and r["error"]["id"] == "session_unknown"
    status, r = call(client, "expression.set", None, **NEURON)
    assert status == 410


def test_refusals_come_before_any_work(client, monkeypatch):
    def must_not_parse(*args, **kwargs):
        raise AssertionError("the body was parsed")
    r = client.post("/api", content=b'{"method": "lab.init"}',
                    headers={"content-type": "text/plain"})
    assert r.status_code == 400 and r.json()["error"]["id"] == "bad_request"
    r = client.post("/api", content=b"{not json", headers={"content-type": "application/json"})
    assert r.status_code == 400 and "not JSON" in r.json()["error"]["text"]
    monkeypatch.setattr(lab_server, "parse_json", must_not_parse)
    huge = b'{"method": "expression.set", "params": {"formula": "' + b"x+" * 600_000 + b'x"}}'
    r = client.post("/api", content=huge, headers={"content-type": "application/json"})
    assert r.status_code == 413 and r.json()["error"]["id"] == "request_too_large"


def test_an_over_long_formula_is_a_message_and_the_server_keeps_answering(client):
    _, init = call(client, "lab.init")
    sid = init["session"]
    _, r = call(client, "expression.set", sid, formula="x" * 5000)
    assert not r["ok"] and r["error"]["id"] == "formula_too_long"
    _, r = call(client, "expression.set", sid, **NEURON)
    assert r["ok"]


def test_a_bug_in_a_session_is_an_answer_not_a_crash():
    class Broken(LabSession):
        def _expression(self, p):
            raise KeyError("deliberate")
    with TestClient(create_app(Broken), base_url="http://127.0.0.1") as c:
        _, init = call(c, "lab.init")
        status, r = call(c, "expression.set", init["session"], **NEURON)
        assert status == 200 and r["error"]["id"] == "internal_error"
        assert "KeyError" in r["error"]["text"]
        assert call(c, "graph.steps", init["session"])[1]["error"]["id"] == "no_graph"


def test_sessions_are_bounded_in_number():
    app = create_app(max_sessions=2)
    with TestClient(app, base_url="http://127.0.0.1") as c:
        ids = [call(c, "lab.init")[1]["session"] for _ in range(3)]
        assert len(app.state.sessions) == 2
        assert call(c, "lab.init", ids[0])[1]["session"] != ids[0]   # the oldest was closed
        assert call(c, "expression.set", ids[2], **NEURON)[1]["ok"]


def test_only_loopback_host_names_are_answered(client):
    assert client.get("/", headers={"host": "evil.example"}).status_code == 400
    assert client.get("/", headers={"host": "localhost:8000"}).status_code == 200


def test_package_data_ships_every_file_of_the_page():
    from setuptools.config import setupcfg  # the .[test] extra brings it

    options = setupcfg.read_configuration(ROOT / "setup.cfg")["options"]   # as pip reads it
    assert "visualize.lab" in options["packages"]
    assert all((ROOT / name.replace(".", "/") / "__init__.py").exists()
               for name in options["packages"])
    globs = options["package_data"]["visualize.lab"]
    static = ROOT / "visualize" / "lab" / "static"
    files = [p.relative_to(static.parent).as_posix() for p in static.rglob("*") if p.is_file()]
    assert len(files) > 20
    unshipped = [f for f in files if not any(fnmatch.fnmatch(f, g) and
                                             f.count("/") == g.count("/") for g in globs)]
    assert not unshipped
    for licence in ("viz/LICENSE", "viz/GRAPHVIZ_LICENSE", "viz/EXPAT_LICENSE", "katex/LICENSE"):
        assert (static / "vendor" / licence).stat().st_size > 500


# -- the command line --------------------------------------------------------------------------

def start(*args):
    proc = subprocess.Popen([sys.executable, "-m", "visualize", "lab", "--no-browser", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            cwd=ROOT, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    line = proc.stdout.readline()
    return proc, line


def test_lab_command_prints_the_url_serves_and_stops_cleanly_on_ctrl_c():
    proc, line = start()
    try:
        assert line.startswith("backprop lab: http://127.0.0.1:"), line
        url = line.split()[2]
        request = urllib.request.Request(url + "api", data=b'{"method": "lab.init"}',
                                         headers={"Content-Type": "application/json"})
        for _ in range(50):
            try:
                with urllib.request.urlopen(request, timeout=10) as r:
                    answer = json.load(r)
                break
            except urllib.error.URLError:
                time.sleep(0.1)
        assert answer["ok"]
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=20)
    finally:
        proc.kill()
    assert proc.returncode == 0 and "Traceback" not in err and "stopped" in out


def test_lab_command_warns_when_reachable_from_the_network_and_refuses_a_busy_port():
    proc, line = start("--host", "0.0.0.0")
    try:
        assert line.startswith("backprop lab: http://127.0.0.1:")
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=20)
        assert "reachable from the network" in err and "Traceback" not in err
    finally:
        proc.kill()
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        r = subprocess.run([sys.executable, "-m", "visualize", "lab", "--no-browser", "--port",
                            str(port)], capture_output=True, text=True, cwd=ROOT, timeout=30)
    assert r.returncode == 1 and f"cannot listen on 127.0.0.1:{port}" in r.stderr


def test_lab_as_the_first_word_starts_the_lab_and_a_formula_named_lab_still_works():
    def run(*args):
        return subprocess.run([sys.executable, "-m", "visualize", *args], capture_output=True,
                              text=True, cwd=ROOT, timeout=60)
    assert "--no-browser" in run("lab", "--help").stdout
    formula = run("(lab)", "--set", "lab=2", "--no-render")
    assert formula.returncode == 0 and "(lab) = 2" in formula.stdout
    assert "python -m visualize lab" in run("--help").stdout


@pytest.mark.parametrize("body", [
    b"", b"\xff\xfe\x00garbage", b"[" * 200_000, b'{"method": 5}', b'{"method": "lab.init",'
    b' "params": [1, 2]}', b'"just a string"', b'{"session": {"a": 1}, "method": "x"}',
    b'{"method": "expression.set", "params": {"formula": "x", "values": {"x": 1e999}}}',
])
def test_junk_bodies_get_a_json_answer_and_the_server_keeps_working(client, body):
    r = client.post("/api", content=body, headers={"content-type": "application/json"})
    assert r.status_code in (200, 400, 410) and r.json()["ok"] is False
    assert call(client, "lab.init")[1]["ok"]


def test_the_lab_benchmark_reports_its_figures(capsys):
    from demos import benchmark
    benchmark.main(["--lab", "--quick", "--no-browser"])
    out = capsys.readouterr().out
    for row in ("server, seed network, per change", "the same over HTTP",
                "training 2-16-16-1, 100 samples", "the engine alone, the same step"):
        assert re.search(rf"{row}.*\d", out), f"no figure for {row!r} in:\n{out}"
    assert "target < 50 ms" in out and "target >= 20 steps/s" in out
