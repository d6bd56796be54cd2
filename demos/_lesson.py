"""What every lesson shares: the ``--out DIR`` / ``--quick`` command line and headless plotting."""

from __future__ import annotations

import argparse
import pathlib


def lesson_args(description: str, argv: list[str] | None = None,
                default_out: str = "out") -> argparse.Namespace:
    """Parse ``--out DIR`` (created if missing) and ``--full`` (longer than the quick default)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--out", default=default_out, type=pathlib.Path,
                        help=f"folder for the files this lesson writes (default: {default_out})")
    parser.add_argument("--full", action="store_true",
                        help="the longer run; the default is a quick one (under 30 s)")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    return args


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
