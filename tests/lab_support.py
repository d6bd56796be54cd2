"""What the tests of the lab's other hosts share (and ``python -m visualize.lab.screenshots
--hosts``, from a clone): a plain static file server on 127.0.0.1 (as any static host, or
``python -m http.server``, would serve a folder), Chromium launched as the lab's browser tests
launch it, a page whose every request is recorded and kept on 127.0.0.1, and JupyterLab."""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import secrets
import socket
import subprocess
import sys
import threading
import time
import urllib.request

from visualize.lab.chromium import launch


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def static_server(folder):
    """``folder`` served on 127.0.0.1 and a free port by http.server, in a thread; yields the
    URL of its root."""
    handler = functools.partial(_Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)


@contextlib.contextmanager
def chromium():
    """Debian's Chromium through playwright (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch(p)
        try:
            yield browser
        finally:
            browser.close()


class Page:
    """A page of a browser context whose requests are recorded; any request for another
    origin than ``allowed`` (or a blob: URL the page made itself) is aborted and recorded."""

    def __init__(self, browser, allowed: str, viewport=(1400, 900)):
        self.allowed = allowed
        self.requests, self.outside, self.errors = [], [], []
        self.context = browser.new_context(viewport={"width": viewport[0],
                                                     "height": viewport[1]})
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))
        self.page.on("console", lambda m: self.errors.append(m.text)
                     if m.type == "error" else None)
        # a Web Worker's requests go through the context's routes too; record them as well
        self.page.on("request", lambda r: self.requests.append(r.url))

    def _route(self, route):
        url = route.request.url
        if url.startswith(self.allowed) or url.startswith("blob:") or url.startswith("data:"):
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()

    def by(self, testid: str):
        return self.page.get_by_test_id(testid)

    def close(self):
        self.context.close()

    def assert_stayed_home(self):
        outside = self.outside + [u for u in self.requests
                                  if not u.startswith((self.allowed, "blob:", "data:"))]
        assert self.requests and not outside, f"requests left {self.allowed}: {outside}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def jupyter_lab(root, home):
    """JupyterLab on 127.0.0.1 with a token, its settings in ``home``; stopped after."""
    port, token = free_port(), secrets.token_hex(16)
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(home / "config"),
           "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
           "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces")}
    command = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1",
               f"--port={port}", f"--IdentityProvider.token={token}",
               f"--ServerApp.root_dir={root}", "--LabApp.news_url=None",
               "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
               "--LabApp.extension_manager=readonly", "--allow-root"]
    log = open(home / "jupyter.log", "wb")
    server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env)
    base = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                urllib.request.urlopen(f"{base}api/status?token={token}", timeout=2).read()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("JupyterLab did not start: "
                                       + (home / "jupyter.log").read_text()[-2000:]) from None
                time.sleep(0.5)
        yield base, token
    finally:
        server.terminate()
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(5)
        log.close()


def run_first_cell(page):
    """Run the notebook's first cell in JupyterLab: a run asked for while the kernel is still
    connecting can be dropped, so it is asked again until the cell shows it ran or runs."""
    cell = page.locator(".jp-Cell").first
    cell.locator(".jp-InputArea-editor").wait_for(timeout=90000)
    for _ in range(12):   # up to 3 minutes: a first JupyterLab on a busy 2-core machine is slow
        cell.locator(".jp-InputArea-editor").click()
        page.keyboard.press("Control+Enter")
        try:
            page.wait_for_function(
                "el => /\\[[0-9*]+\\]/.test(el.textContent)",
                arg=cell.locator(".jp-InputPrompt").element_handle(), timeout=15000)
            return
        except Exception:   # not started: ask again  # noqa: BLE001
            continue
    raise AssertionError("JupyterLab did not run the cell")
