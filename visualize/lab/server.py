"""The local host of the lab: a Starlette app serving the page and one JSON API.

``POST api`` takes ``{"session": id or null, "method": ..., "params": {...}}`` and answers
with the session's response plus ``"session": id``. A request without a known session id
opens a new session when its method is ``lab.init`` (the page's first request); otherwise the
answer is the error ``session_unknown`` and the page opens a new session and rebuilds its view.
Sessions are kept in memory, at most ``max_sessions`` (the least recently used goes first) and
for ``idle_seconds`` after their last request. A body larger than the limit, a body that is not
JSON and a request that is not ``application/json`` (which a foreign web page cannot send
without the browser asking first) are refused before any work; whatever happens, the answer is
JSON and the server keeps running.
"""

from __future__ import annotations

import contextlib
import functools
import mimetypes
import pathlib
import secrets
import socket
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from visualize.lab.params import LabError
from visualize.lab.session import LIMITS, LabSession, parse_json, to_json

__all__ = ["create_app", "running", "STATIC", "CSP", "LOOPBACK_HOSTS"]

STATIC = pathlib.Path(__file__).parent / "static"
# The page runs only its own scripts; viz.js compiles its WebAssembly; KaTeX sets inline styles.
CSP = ("default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; "
       "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self'; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; "
       "frame-ancestors 'none'")
LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
for _type, _ext in (("text/javascript", ".js"), ("text/javascript", ".mjs"),
                    ("text/css", ".css"), ("font/woff2", ".woff2")):
    mimetypes.add_type(_type, _ext)   # some systems map .js to text/plain, which modules refuse


class _Sessions:
    """Open sessions by id: bounded in number, dropped after being idle."""

    def __init__(self, factory: Callable[[], LabSession], most: int, idle: float):
        self.factory, self.most, self.idle = factory, most, idle
        self._open: OrderedDict[str, tuple[LabSession, threading.Lock, float]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, sid) -> tuple[str, LabSession, threading.Lock] | None:
        with self._lock:
            self._expire()
            entry = self._open.get(sid) if isinstance(sid, str) else None
            if entry is None:
                return None
            session, lock, _ = entry
            self._open[sid] = (session, lock, time.monotonic())
            self._open.move_to_end(sid)
            return sid, session, lock

    def new(self) -> tuple[str, LabSession, threading.Lock]:
        session, lock, sid = self.factory(), threading.Lock(), secrets.token_urlsafe(16)
        with self._lock:
            self._expire()
            while len(self._open) >= self.most:
                self._open.popitem(last=False)
            self._open[sid] = (session, lock, time.monotonic())
        return sid, session, lock

    def __len__(self) -> int:
        return len(self._open)

    def _expire(self) -> None:
        now = time.monotonic()
        for sid in [s for s, (_, _, used) in self._open.items() if now - used > self.idle]:
            del self._open[sid]


def _json(payload: dict, status: int = 200) -> Response:
    return Response(to_json(payload), status_code=status, media_type="application/json",
                    headers={"Cache-Control": "no-store"})


def _error(error: LabError, status: int) -> Response:
    return _json({"ok": False, "error": error.to_json()}, status)


async def _body(request: Request, limit: int) -> bytes:
    """The request body, refused (LabError) as soon as it passes ``limit`` bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise LabError("request_too_large", count=int(declared), limit=limit)
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise LabError("request_too_large", count=f"more than {limit}", limit=limit)
    return bytes(body)


async def _payload(request: Request, limit: int) -> dict:
    """The API request's JSON object, or a LabError saying what is wrong with it."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "application/json":
        raise LabError("bad_request", message="the body must be application/json")
    payload = parse_json(await _body(request, limit))
    if not isinstance(payload, dict):
        raise LabError("bad_request", message="expected a JSON object")
    return payload


def create_app(session_factory: Callable[[], LabSession] | None = None, *,
               max_sessions: int = 16, idle_seconds: float = 3600.0,
               allowed_hosts: list[str] | None = None, static: pathlib.Path = STATIC,
               request_bytes: int = LIMITS["request_bytes"],
               language: str | None = None) -> Starlette:
    """The lab's web app.

    Args:
        session_factory: makes the session of each page (tests pass their own).
        max_sessions: sessions kept at once; a new page beyond it closes the least recent.
        idle_seconds: a session unused this long is closed.
        allowed_hosts: Host headers answered (defends a loopback server against DNS
            rebinding); None for loopback names only, ``["*"]`` for any.
        static: the folder of the page.
        request_bytes: the largest request body read.
        language: the pages' language unless a page asks for another (``?lang=``, its
            switch); None: each page follows its browser's languages.
    """
    sessions = _Sessions(session_factory or functools.partial(LabSession, language),
                         max_sessions, idle_seconds)

    async def index(request: Request) -> Response:
        return FileResponse(static / "index.html", media_type="text/html",
                            headers={"Cache-Control": "no-store"})

    async def api(request: Request) -> Response:
        try:
            payload = await _payload(request, request_bytes)
        except LabError as e:
            status = 413 if e.id == "request_too_large" else 400
            return _error(e, status)
        found = sessions.get(payload.get("session"))
        if found is None:
            if payload.get("method") != "lab.init":
                return _error(LabError("session_unknown"), 410)
            found = sessions.new()
        sid, session, lock = found

        def run() -> dict:
            with lock:
                return session.handle({"method": payload.get("method"),
                                       "params": payload.get("params")})

        response = await run_in_threadpool(run)
        response["session"] = sid
        return _json(response)

    hosts = LOOPBACK_HOSTS if allowed_hosts is None else allowed_hosts
    app = Starlette(
        routes=[Route("/", index), Route("/index.html", index),
                Route("/api", api, methods=["POST"]),
                Mount("/static", StaticFiles(directory=static), name="static")],
        middleware=[Middleware(TrustedHostMiddleware, allowed_hosts=hosts),
                    Middleware(_SecurityHeaders)])
    app.state.sessions = sessions
    return app


class _SecurityHeaders:
    """Every response: the content policy above, no MIME sniffing, no referrer."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [(b"content-security-policy", CSP.encode()),
                            (b"x-content-type-options", b"nosniff"),
                            (b"referrer-policy", b"no-referrer"),
                            (b"cross-origin-opener-policy", b"same-origin")]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)



@contextlib.contextmanager
def running(app) -> Iterator[str]:
    """Serve ``app`` on 127.0.0.1 and a free port in a background thread; yields its URL.

    For tests and benchmarks: ``with running(create_app()) as url: ...``.
    """
    import uvicorn

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    for _ in range(500):
        if server.started:
            break
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()
