"""The lab as a static site: ``python -m visualize lab --export DIR``.

The folder it writes holds the lab's page (the same front-end as the local server), Pyodide
(CPython compiled to WebAssembly, from the npm package ``pyodide`` pinned in ``site/package.json``)
and wheels: this project's own, built here from the installed packages, and the pure-Python
packages its engine imports (graphviz's Python package, SymPy and mpmath for the derivation
checker), taken from this environment. Each browser that opens the page runs the engine itself,
in a Web Worker; no server runs any code, and the page asks nothing of any other origin.

Pyodide's files (about 12 MB) are not in this package: the first export fetches them with
``npm ci`` (exact versions and hashes from ``site/package-lock.json``) into a cache folder
(``$XDG_CACHE_HOME/backprop-lab`` or ``~/.cache/backprop-lab``) and later exports copy them
from there. Without npm, ``--pyodide DIR`` names an unpacked ``pyodide`` npm package of the
pinned version instead.

The in-browser engine has no numpy (the npm package carries none, and no registry we use has
one built for Pyodide): see docs/static-site.md for what that leaves out.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.metadata
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import zipfile

from autograd.extend import tr

__all__ = ["export", "pyodide_folder", "project_wheel", "installed_wheel", "ExportError",
           "PYODIDE_VERSION", "SITE_FILES"]

HERE = pathlib.Path(__file__).parent
SITE = HERE / "site"
STATIC = HERE / "static"
PYODIDE_VERSION = json.loads((SITE / "package.json").read_text())["dependencies"]["pyodide"]
# What the page loads from the pyodide package (the rest is for Node.js or for developers).
PYODIDE_FILES = ("pyodide.mjs", "pyodide.asm.js", "pyodide.asm.wasm", "python_stdlib.zip",
                 "pyodide-lock.json", "package.json")
PROJECT_PACKAGES = ("autograd", "nn", "visualize")
# Pure-Python packages the engine imports in the browser: (distribution, loaded at start).
# SymPy and mpmath are only for the derivation checker, so the page fetches them on first use.
DEPENDENCIES = (("graphviz", True), ("sympy", False), ("mpmath", False))
MARKER = "lab-site.json"   # written last: the folder is a complete export of the lab
SITE_FILES = ("index.html", MARKER, "NOTICE.md")
_EPOCH = (2020, 1, 1, 0, 0, 0)   # zip timestamps: the same sources give the same wheel bytes


class ExportError(Exception):
    """The export cannot go on; the message says why and what to do."""


# -- Pyodide ---------------------------------------------------------------------------------

def cache_folder() -> pathlib.Path:
    base = os.environ.get("XDG_CACHE_HOME") or pathlib.Path.home() / ".cache"
    return pathlib.Path(base) / "backprop-lab"


def pyodide_folder(source: str | os.PathLike | None = None, *, npm: str = "npm",
                   cache: pathlib.Path | None = None) -> pathlib.Path:
    """A folder with the pinned Pyodide's run-time files.

    Args:
        source: an unpacked ``pyodide`` npm package (its ``package.json`` must give the pinned
            version); None for the cache, filled by ``npm ci`` the first time.
        npm: the npm program.
        cache: the cache folder (default: see ``cache_folder``).

    Raises:
        ExportError: no npm and nothing cached, npm failing, or a source of another version.
    """
    if source is not None:
        folder = pathlib.Path(source)
        _check_pyodide(folder, f"--pyodide {folder}")
        return folder
    folder = (cache or cache_folder()) / f"pyodide-{PYODIDE_VERSION}"
    if _complete(folder):
        return folder
    if shutil.which(npm) is None:
        raise ExportError(tr(
            "the static site needs Pyodide {version} (the npm package `pyodide`), which is not "
            "in the cache ({folder}) and `{npm}` is not on PATH to fetch it. Install Node.js "
            "with npm (Debian/Ubuntu: sudo apt-get install npm; elsewhere: https://nodejs.org) "
            "and run the export again, or pass --pyodide DIR naming an unpacked `pyodide` "
            "{version} npm package (npm pack pyodide@{version} on a machine with npm, then tar "
            "xzf).", version=PYODIDE_VERSION, folder=folder, npm=npm))
    with tempfile.TemporaryDirectory() as tmp:
        work = pathlib.Path(tmp)
        for name in ("package.json", "package-lock.json"):
            shutil.copy(SITE / name, work / name)
        print(tr("fetching Pyodide {version} with npm ci (once; cached in {folder})",
                 version=PYODIDE_VERSION, folder=folder), flush=True)
        done = subprocess.run([npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund",
                               "--loglevel=error"], cwd=work, capture_output=True, text=True)
        if done.returncode != 0:
            raise ExportError(f"`npm ci` failed to fetch Pyodide {PYODIDE_VERSION} "
                              f"(exit code {done.returncode}): "
                              + " ".join((done.stderr or done.stdout).split())[:600])
        installed = work / "node_modules" / "pyodide"
        _check_pyodide(installed, "npm ci")
        partial = folder.with_name(folder.name + ".partial")
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir(parents=True)
        for name in PYODIDE_FILES:
            shutil.copyfile(installed / name, partial / name)
        shutil.rmtree(folder, ignore_errors=True)
        partial.rename(folder)
    return folder


def _complete(folder: pathlib.Path) -> bool:
    try:
        _check_pyodide(folder, str(folder))
    except ExportError:
        return False
    return True


def _check_pyodide(folder: pathlib.Path, where: str) -> None:
    missing = [name for name in PYODIDE_FILES if not (folder / name).is_file()]
    if missing:
        raise ExportError(f"{where}: not an unpacked `pyodide` npm package (missing "
                          + ", ".join(missing) + ")")
    version = json.loads((folder / "package.json").read_text()).get("version")
    if version != PYODIDE_VERSION:
        raise ExportError(f"{where}: Pyodide {version}, but this lab is pinned to "
                          f"{PYODIDE_VERSION} (visualize/lab/site/package.json)")


# -- bytecode --------------------------------------------------------------------------------

class Bytecode:
    """Python bytecode for Pyodide's own Python, compiled by Pyodide under Node.js
    (``site/precompile.mjs``): the page then imports modules without compiling them, which
    otherwise is most of its start-up. Results are kept in memory by source, so each file is
    compiled once however often it is asked for.

    Args:
        pyodide: the folder of Pyodide's files.
        node: the Node.js program.
    """

    def __init__(self, pyodide: pathlib.Path, node: str):
        self.pyodide, self.node = pathlib.Path(pyodide), node
        self.tag: str | None = None
        self._done: dict[bytes, bytes] = {}   # sha256 of name and source -> pyc

    @staticmethod
    def _key(name: str, source: bytes) -> bytes:
        return hashlib.sha256(name.encode() + b"\0" + source).digest()

    def compile(self, sources: dict[str, bytes]) -> dict[str, bytes]:
        """{``a/b.py``: source} -> {``a/b.py``: pyc} (files that do not compile are left out)."""
        todo = {n: d for n, d in sources.items() if n.endswith(".py")
                and self._key(n, d) not in self._done}
        if todo:
            self._run(todo)
        return {n: self._done[self._key(n, d)] for n, d in sources.items()
                if n.endswith(".py") and self._key(n, d) in self._done}

    def pycache(self, files: dict[str, bytes]) -> dict[str, bytes]:
        """The ``__pycache__`` entries of a wheel's files."""
        compiled = self.compile(files)
        out = {}
        for name, pyc in compiled.items():
            folder, _, module = name.rpartition("/")
            prefix = f"{folder}/" if folder else ""
            out[f"{prefix}__pycache__/{module[:-3]}.{self.tag}.pyc"] = pyc
        return out

    def _run(self, sources: dict[str, bytes]) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            work = pathlib.Path(tmp)
            for name, data in sources.items():
                path = work / "in" / name
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
            (work / "out").mkdir()
            done = subprocess.run([self.node, str(SITE / "precompile.mjs"), str(self.pyodide),
                                   str(work)], capture_output=True, text=True)
            if done.returncode != 0:
                raise ExportError("compiling the Python files with Pyodide under Node.js "
                                  f"failed (exit code {done.returncode}): "
                                  + " ".join((done.stderr or done.stdout).split())[-600:])
            self.tag = done.stdout.split()[-1]
            for name, data in sources.items():
                pyc = work / "out" / (name + "c")
                if pyc.is_file():
                    self._done[self._key(name, data)] = pyc.read_bytes()


def compiled_stdlib(pyodide: pathlib.Path, compiler: Bytecode,
                    cache: pathlib.Path | None = None) -> pathlib.Path:
    """Pyodide's standard library as bytecode only (a zip of .pyc where it had .py), made once
    per Pyodide version and kept in the cache folder."""
    target = (cache or cache_folder()) / f"pyodide-{PYODIDE_VERSION}-stdlib-bytecode.zip"
    if target.is_file():
        return target
    with zipfile.ZipFile(pyodide / "python_stdlib.zip") as z:
        entries = [(info, z.read(info)) for info in z.infolist()]
    compiled = compiler.compile({info.filename: data for info, data in entries})
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for info, data in entries:
            if info.filename in compiled:
                item = zipfile.ZipInfo(info.filename + "c", info.date_time)
                item.external_attr, item.compress_type = info.external_attr, zipfile.ZIP_DEFLATED
                z.writestr(item, compiled[info.filename])
            else:
                z.writestr(info, data, zipfile.ZIP_DEFLATED)
    partial.rename(target)
    return target


# -- wheels ----------------------------------------------------------------------------------

def _record_line(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def _write_wheel(path: pathlib.Path, name: str, version: str, files: dict[str, bytes],
                 metadata: bytes | None = None, extra_info: dict[str, bytes] | None = None
                 ) -> pathlib.Path:
    """A py3-none-any wheel of ``files`` (archive name -> bytes), reproducible byte for byte."""
    info = f"{name}-{version}.dist-info"
    meta = metadata or f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n".encode()
    wheel = (b"Wheel-Version: 1.0\nGenerator: visualize.lab.export\nRoot-Is-Purelib: true\n"
             b"Tag: py3-none-any\n")
    entries = dict(sorted(files.items()))
    entries[f"{info}/METADATA"] = meta
    entries[f"{info}/WHEEL"] = wheel
    for key, data in sorted((extra_info or {}).items()):
        entries[f"{info}/{key}"] = data
    record = "".join(_record_line(n, d) + "\n" for n, d in entries.items()) + f"{info}/RECORD,,\n"
    entries[f"{info}/RECORD"] = record.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for arcname, data in entries.items():
            item = zipfile.ZipInfo(arcname, _EPOCH)
            item.external_attr = 0o644 << 16
            item.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(item, data)
    return path


def project_wheel(dest: pathlib.Path, compiler: Bytecode | None = None) -> pathlib.Path:
    """This project's wheel (its Python files and compiled message catalogs; the page itself
    is served beside it), built from the packages this Python imports, so a clone and a pip
    install both work; with a ``compiler``, their bytecode for Pyodide's Python beside them."""
    import autograd

    root = pathlib.Path(autograd.__file__).resolve().parent.parent
    files = {}
    for package in PROJECT_PACKAGES:
        for path in sorted([*(root / package).rglob("*.py"), *(root / package).rglob("*.mo")]):
            rel = path.relative_to(root)
            if "__pycache__" not in rel.parts:
                files[rel.as_posix()] = path.read_bytes()
    try:
        version = importlib.metadata.version("backprop-lab")
    except importlib.metadata.PackageNotFoundError:
        version = "0.0.0"
    dest.mkdir(parents=True, exist_ok=True)
    files.update(compiler.pycache(files) if compiler else {})
    return _write_wheel(dest / f"backprop_lab-{version}-py3-none-any.whl", "backprop_lab",
                        version, files)


def installed_wheel(distribution: str, dest: pathlib.Path,
                    compiler: Bytecode | None = None) -> pathlib.Path:
    """A wheel of an installed pure-Python distribution, from its installed files (its tests,
    scripts and caches left out; its licence files kept); with a ``compiler``, the bytecode
    for Pyodide's Python beside the sources."""
    try:
        dist = importlib.metadata.distribution(distribution)
    except importlib.metadata.PackageNotFoundError:
        raise ExportError(f"the static site needs the Python package {distribution!r}, which "
                          "is not installed here (it is a dependency of backprop-lab: "
                          "pip install -e . again)") from None
    if not dist.files:
        raise ExportError(f"{distribution}: its installed files are not listed (no RECORD)")
    name = dist.metadata["Name"].replace("-", "_")
    info_prefix = None
    files, extra = {}, {}
    for item in dist.files:
        parts = item.parts
        if parts[0] == ".." or "__pycache__" in parts or item.suffix in (".pyc", ".pyo"):
            continue
        if "tests" in parts or "test" in parts[:-1]:
            continue
        path = pathlib.Path(dist.locate_file(item))
        if not path.is_file():
            continue
        if parts[0].endswith(".dist-info"):
            info_prefix = parts[0]
            rest = "/".join(parts[1:])
            if rest.startswith("licenses/") or rest.upper().startswith(("LICENSE", "COPYING")):
                extra[rest] = path.read_bytes()
            continue
        files[item.as_posix()] = path.read_bytes()
    if info_prefix is None or not files:
        raise ExportError(f"{distribution}: cannot find its installed files")
    metadata = (pathlib.Path(dist.locate_file(f"{info_prefix}/METADATA"))).read_bytes()
    version = dist.version
    dest.mkdir(parents=True, exist_ok=True)
    files.update(compiler.pycache(files) if compiler else {})
    return _write_wheel(dest / f"{name}-{version}-py3-none-any.whl", name, version, files,
                        metadata, extra)


# -- the site --------------------------------------------------------------------------------

# The page's own policy (a static host sends no headers): only this origin, WebAssembly allowed.
CSP = ("default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; "
       "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self'; "
       "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'none'")

def site_page() -> str:
    """The local lab's page with the static site's script and, since a static host sends no
    headers, the content policy as a meta element."""
    page = (STATIC / "index.html").read_text()
    served = '<script type="module" src="static/js/server-main.js"></script>'
    head = '<meta charset="utf-8">'
    if served not in page or head not in page:
        raise ExportError("visualize/lab/static/index.html no longer loads static/js/"
                          "server-main.js after <meta charset>: update site_page in "
                          "visualize/lab/export.py")
    page = page.replace(served, served.replace("server-main.js", "site-main.js"))
    return page.replace(head, f'{head}\n<meta http-equiv="Content-Security-Policy" '
                              f'content="{CSP}">', 1)


NOTICE = """# What this folder holds

The backprop lab as a static site, written by `python -m visualize lab --export`. Serve the
folder with any static file server (for example `python -m http.server` inside it) and open
`index.html`; every browser runs the engine itself with Pyodide.

| files | what | licence |
| --- | --- | --- |
| `index.html`, `static/js`, `static/lab.css`, `wheels/{project}` | backprop-lab {version} | MIT |
| `static/vendor/viz` | @viz-js/viz (Graphviz, Expat inside) | `static/vendor/viz/*LICENSE` |
| `static/vendor/katex` | KaTeX | MIT: `static/vendor/katex/LICENSE` |
| `pyodide/` | Pyodide {pyodide} (CPython inside) | MPL-2.0; PSF: `pyodide/*LICENSE` |
{wheels}
"""


def export(dest: str | os.PathLike, *, pyodide: str | os.PathLike | None = None,
           npm: str = "npm", cache: pathlib.Path | None = None,
           node: str | None = "node") -> dict:
    """Write the static site into ``dest`` (created; an earlier export there is replaced; any
    other non-empty folder is refused). Returns a summary: files, bytes, wheels, and whether
    the Python files went in as bytecode (``compiled``: Node.js was found) or as source only.
    """
    dest = pathlib.Path(dest)
    if dest.exists() and not dest.is_dir():
        raise ExportError(f"{dest} is a file, not a folder")
    if dest.is_dir() and any(dest.iterdir()) and not (dest / MARKER).is_file():
        raise ExportError(f"{dest} is not empty and holds no earlier export of the lab "
                          f"(no {MARKER}); choose a new or empty folder")
    source = pyodide_folder(pyodide, npm=npm, cache=cache)
    for name in (MARKER, *SITE_FILES, "static", "pyodide", "wheels"):
        target = dest / name
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copytree(STATIC, dest / "static",
                    ignore=shutil.ignore_patterns("package.json", "package-lock.json",
                                                  "index.html", "__pycache__"))
    node = shutil.which(node) if node else None
    compiler = Bytecode(source, node) if node else None
    (dest / "pyodide").mkdir()
    for name in PYODIDE_FILES:
        if name != "package.json":
            shutil.copyfile(source / name, dest / "pyodide" / name)
    if compiler:
        shutil.copyfile(compiled_stdlib(source, compiler, cache),
                        dest / "pyodide" / "python_stdlib.zip")
    shutil.copyfile(SITE / "PYODIDE_LICENSE", dest / "pyodide" / "LICENSE")
    shutil.copyfile(SITE / "PYTHON_LICENSE", dest / "pyodide" / "PYTHON_LICENSE")
    wheels = dest / "wheels"
    ours = project_wheel(wheels, compiler)
    start, lazy, rows = [ours.name], {}, []
    for distribution, eager in DEPENDENCIES:
        # SymPy's bytecode would more than double its 4.6 MB: only what starts the page is
        # compiled here; the checker's first use compiles what it imports of SymPy
        wheel = installed_wheel(distribution, wheels, compiler if eager else None)
        rows.append(f"| `wheels/{wheel.name}` | {distribution} | see the wheel's "
                    f"`.dist-info` |")
        if eager:
            start.append(wheel.name)
        else:
            lazy[distribution] = wheel.name
    (dest / "index.html").write_text(site_page())
    version = ours.name.split("-")[1]
    (dest / "NOTICE.md").write_text(NOTICE.format(project=ours.name, version=version,
                                                  pyodide=PYODIDE_VERSION,
                                                  wheels="\n".join(rows)))
    manifest = {"pyodide": "pyodide/", "wheels": [f"wheels/{n}" for n in start],
                "lazy": {k: f"wheels/{v}" for k, v in lazy.items()},
                "pyodide_version": PYODIDE_VERSION, "version": version}
    (dest / MARKER).write_text(json.dumps(manifest, indent=1) + "\n")
    files = [p for p in dest.rglob("*") if p.is_file()]
    return {"folder": str(dest), "files": len(files), "compiled": compiler is not None,
            "bytes": sum(p.stat().st_size for p in files), "manifest": manifest}


def export_command(prog: str, dest: str | None, pyodide: str | None) -> int:
    """``python -m visualize lab --export DIR [--pyodide DIR]``; returns the exit code."""
    if dest is None:
        print(tr("{prog}: refused: --pyodide goes with --export DIR", prog=prog),
              file=sys.stderr)
        return 2
    try:
        summary = export(dest, pyodide=pyodide)
    except ExportError as e:
        print(f"{prog} --export: {e}", file=sys.stderr)
        return 1
    if not summary["compiled"]:
        print(tr("note: Node.js (`node`) is not on PATH, so the Python files went in as source "
                 "only: the page compiles them itself and starts a few seconds slower"),
              file=sys.stderr)
    megabytes = f"{summary['bytes'] / 1e6:.1f}"
    print(tr("backprop lab: wrote the static site to {folder} ({files} files, {megabytes} MB).\n"
             "Try it: cd {folder} && python3 -m http.server 8000 --bind 127.0.0.1, then open "
             "http://127.0.0.1:8000/ (any static host serves it; see docs/static-site.md)",
             folder=summary["folder"], files=summary["files"],
             megabytes=megabytes))
    return 0
