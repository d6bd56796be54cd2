"""Refresh the lab's vendored front-end packages from npm: ``python -m visualize.lab.vendor``.

The page lays out graphs with ``@viz-js/viz`` (Graphviz compiled to WebAssembly, inlined in one
ES module) and typesets formulas with KaTeX. Both are pinned in ``static/vendor/package.json``
and ``package-lock.json``; this script runs ``npm ci`` on a copy of those two files in a
temporary folder and copies into ``static/vendor/`` only what the page loads at run time, with
the licences. Run it after changing a version (edit ``package.json``, then
``npm install --package-lock-only`` in ``static/vendor``). It needs ``npm`` and the npm
registry; running the lab needs neither.
"""

from __future__ import annotations

import argparse
import pathlib
import shutil
import subprocess
import sys
import tempfile

VENDOR = pathlib.Path(__file__).parent / "static" / "vendor"

# (file in node_modules, where it goes under static/vendor); globs allowed in the first.
FILES = (
    ("@viz-js/viz/dist/viz.js", "viz/viz.js"),
    ("katex/dist/katex.mjs", "katex/katex.mjs"),
    ("katex/dist/katex.min.css", "katex/katex.min.css"),
    ("katex/dist/fonts/*.woff2", "katex/fonts/"),   # every browser the page needs reads woff2
    ("katex/LICENSE", "katex/LICENSE"),
)
# Licences npm does not ship (@viz-js/viz has none in its package): kept in the repository,
# never deleted by a refresh. viz/LICENSE is viz-js's (MIT); viz.js also holds Graphviz
# (EPL-2.0, viz/GRAPHVIZ_LICENSE) and Expat (MIT, viz/EXPAT_LICENSE) in object code.
KEPT = ("viz/LICENSE", "viz/GRAPHVIZ_LICENSE", "viz/EXPAT_LICENSE", "README.md",
        "package.json", "package-lock.json")


def refresh(vendor: pathlib.Path = VENDOR, npm: str = "npm") -> list[pathlib.Path]:
    """Install the pinned packages with ``npm ci`` and copy the run-time files into ``vendor``.

    Returns:
        The files written.
    """
    if shutil.which(npm) is None:
        raise SystemExit(f"vendor: `{npm}` is not on PATH; install Node.js and npm first")
    written = []
    with tempfile.TemporaryDirectory() as tmp:
        work = pathlib.Path(tmp)
        for name in ("package.json", "package-lock.json"):
            shutil.copy(vendor / name, work / name)
        subprocess.run([npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund"], cwd=work,
                       check=True)
        modules = work / "node_modules"
        for kept in ("viz", "katex"):
            for old in (vendor / kept).rglob("*"):
                if old.is_file() and old.relative_to(vendor).as_posix() not in KEPT:
                    old.unlink()
        for source, target in FILES:
            matches = sorted(modules.glob(source))
            if not matches:
                raise SystemExit(f"vendor: {source} is not in the installed packages; "
                                 "update FILES in visualize/lab/vendor.py")
            for path in matches:
                dest = vendor / target
                if target.endswith("/"):
                    dest = dest / path.name
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, dest)
                written.append(dest)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m visualize.lab.vendor",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--npm", default="npm", help="the npm program (default: npm)")
    args = parser.parse_args(argv)
    for path in refresh(npm=args.npm):
        print(f"wrote {path.relative_to(VENDOR.parent.parent.parent.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
