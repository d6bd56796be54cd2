"""The layers of autograd, and what other packages may import from it, read from the source.

autograd's modules are in layers (docs/layout.md); a module imports only from its own layer or
the ones below. The core imports nothing else from autograd; nn and visualize import only
autograd's public names and its declared extension API (``autograd.extend``); no module
imports a private name (``_x``) from another package; there is no import cycle.
"""

import ast
import pathlib

import pytest

import autograd
import autograd.extend

ROOT = pathlib.Path(__file__).resolve().parents[1]
LIBRARIES = ("autograd", "nn", "visualize")

# autograd's layers, lowest first: a module name -> its layer (longest prefix wins)
LAYERS = {
    "autograd.core": 0,
    "autograd.labels": 1, "autograd.chain": 1, "autograd.names": 1, "autograd.nary": 1,
    "autograd.custom": 1, "autograd._clash": 1, "autograd.i18n": 1,
    "autograd.transforms": 2,
    "autograd.checks": 3,
    "autograd.teach": 4,
    "autograd.extend": 5, "autograd": 5,
}


def module_name(path: pathlib.Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def library_modules():
    for package in LIBRARIES:
        for path in sorted((ROOT / package).rglob("*.py")):
            yield module_name(path), path


def imports(path: pathlib.Path):
    """(imported module, imported names, line) for every import in the file, lazy ones too."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, [], node.lineno
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module, [alias.name for alias in node.names], node.lineno


def layer(module: str) -> int:
    best = max((p for p in LAYERS if module == p or module.startswith(p + ".")), key=len)
    return LAYERS[best]


def package_of(module: str, path: pathlib.Path) -> str:
    return module if path.name == "__init__.py" else module.rpartition(".")[0]


def ours(module: str) -> bool:
    return module.split(".")[0] in LIBRARIES


def test_the_core_imports_nothing_else_from_autograd():
    for module, path in library_modules():
        if module.startswith("autograd.core"):
            for imported, _, line in imports(path):
                assert not ours(imported) or imported.startswith("autograd.core"), \
                    f"{path.name}:{line} imports {imported}"


def code_lines(path: pathlib.Path) -> int:
    """Lines of code: not blank, not a comment, not in a docstring."""
    source = path.read_text(encoding="utf-8")
    docs = set()
    for node in ast.walk(ast.parse(source)):
        body = getattr(node, "body", None)
        first = body[0] if isinstance(body, list) and body else None
        if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) \
                and isinstance(first.value.value, str):
            docs.update(range(first.lineno, first.end_lineno + 1))
    return sum(1 for i, line in enumerate(source.splitlines(), 1)
               if line.strip() and not line.strip().startswith("#") and i not in docs)


def test_the_core_is_about_600_lines_of_code():
    """Value, the table of ops, backward and grad mode, read in a sitting (docstrings apart)."""
    lines = sum(code_lines(p) for p in (ROOT / "autograd/core").glob("*.py"))
    assert lines <= 600, f"autograd/core has {lines} lines of code"


def test_each_autograd_module_imports_only_its_layer_and_below():
    for module, path in library_modules():
        if not module.startswith("autograd"):
            continue
        for imported, names, line in imports(path):
            for target in [imported] + [f"{imported}.{n}" for n in names]:
                if target.startswith("autograd") and _is_module(target):
                    assert layer(target) <= layer(module), \
                        f"{module} (layer {layer(module)}) imports {target} " \
                        f"(layer {layer(target)}) at line {line}"


def _is_module(name: str) -> bool:
    parts = name.split(".")
    return (ROOT.joinpath(*parts).with_suffix(".py").exists()
            or ROOT.joinpath(*parts, "__init__.py").exists())


@pytest.mark.parametrize("package", ["nn", "visualize"])
def test_nn_and_visualize_use_only_public_names_and_the_extension_api(package):
    allowed = {"autograd": set(autograd.__all__), "autograd.extend": set(autograd.extend.__all__)}
    for path in sorted((ROOT / package).rglob("*.py")):
        for imported, names, line in imports(path):
            if imported.split(".")[0] != "autograd":
                continue
            where = f"{path.relative_to(ROOT)}:{line}"
            if not names:  # import autograd: the name-clash check in __init__
                assert imported == "autograd", f"{where} imports {imported}"
                continue
            assert imported in allowed, f"{where} imports from {imported}"
            assert set(names) <= allowed[imported], \
                f"{where} imports {set(names) - allowed[imported]} from {imported}"


def test_no_private_name_is_imported_across_packages():
    for module, path in library_modules():
        here = package_of(module, path)
        for imported, names, line in imports(path):
            if not ours(imported):
                continue
            for name in names:
                assert not name.startswith("_") or imported == here, \
                    f"{module}:{line} imports {name} from {imported}"


def test_no_import_cycles():
    graph = {}
    for module, path in library_modules():
        targets = set()
        for imported, names, _ in imports(path):
            submodules = [f"{imported}.{n}" for n in names if _is_module(f"{imported}.{n}")]
            if ours(imported):  # from package import submodule: runs the submodule only
                targets.update(submodules if len(submodules) == len(names) > 0 else
                               [imported, *submodules])
        graph[module] = targets - {module}
    for module, targets in graph.items():
        for target in targets:
            path = _find_path(graph, target, module)
            assert path is None, f"import cycle: {module} -> {' -> '.join(path)}"


def _find_path(graph, start, goal):
    """A path start -> ... -> goal in the import graph, or None (breadth first)."""
    previous, frontier = {start: None}, [start]
    while frontier:
        nxt = []
        for node in frontier:
            if node == goal:
                path = []
                while node is not None:
                    path.append(node)
                    node = previous[node]
                return path[::-1]
            for target in graph.get(node, ()):
                if target not in previous:
                    previous[target] = node
                    nxt.append(target)
        frontier = nxt
    return None
