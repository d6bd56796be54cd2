"""What every lesson shares: the ``--out DIR`` / ``--full`` command line, pictures, plotting."""

from __future__ import annotations

import argparse
import pathlib
from collections.abc import Callable

from visualize import GraphvizNotFoundError

REFERENCE = ("Following the tutorial 《前馈神经网络》 (\"Feed-forward neural networks\"), chapter "
             "神经网络 (\"Neural networks\") of a Chinese online machine-learning course.")
_told: list[str] = []  # why pictures cannot be drawn, once said


def lesson_args(description: str, argv: list[str] | None = None,
                default_out: str = "out") -> argparse.Namespace:
    """Parse ``--out DIR`` (created if missing) and ``--full`` (longer than the quick default)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--out", default=default_out, type=pathlib.Path,
                        help=f"folder for the files this lesson writes (default: {default_out})")
    parser.add_argument("--full", action="store_true",
                        help="the longer run; the default is a quick one (seconds)")
    args = parser.parse_args(argv)
    _told.clear()
    print(f"{description}\n{REFERENCE}\n")
    try:
        args.out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        parser.error(f"--out {args.out}: cannot create the folder ({e.strerror or e})")
    return args


def picture(write: Callable[[], pathlib.Path], what: str) -> str:
    """Run ``write`` (a render or animation call): 'wrote PATH (what)', or why it could not.

    Without any Graphviz for SVG (Python 3.10 has no WebAssembly build), the lesson goes on
    without its pictures and says what to install, once.
    """
    try:
        return f"wrote {write()} ({what})"
    except GraphvizNotFoundError as e:
        if str(e) in _told:
            return "not drawn: the same reason"
        _told.append(str(e))
        return f"not drawn: {e}"


def pyplot():
    """matplotlib's pyplot on the file-only Agg backend, or a clear error naming the extra."""
    try:
        import matplotlib
    except ImportError:
        raise SystemExit("this lesson draws plots with matplotlib: "
                         "pip install -e '.[demo]'") from None
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt
