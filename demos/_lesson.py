"""What every lesson shares: the ``--out DIR`` / ``--full`` / ``--lang`` command line,
pictures, plotting."""

from __future__ import annotations

import argparse
import pathlib
from collections.abc import Callable

from autograd import language, set_language
from autograd.extend import N_, HelpFormatter, languages, tr
from visualize import GraphvizNotFoundError

REFERENCE = N_("Following the tutorial 《前馈神经网络》 (\"Feed-forward neural networks\"), "
               "chapter 神经网络 (\"Neural networks\") of a Chinese online machine-learning "
               "course.")
_told: list[str] = []  # why pictures cannot be drawn, once said


def lesson_args(description: str, argv: list[str] | None = None,
                default_out: str = "out") -> argparse.Namespace:
    """Parse ``--out DIR`` (created if missing), ``--full`` (longer than the quick default) and
    ``--lang`` (the language it prints and draws in); print the lesson's title and source.

    ``description`` is marked with ``N_`` where the lesson defines it and translated here,
    once the language is known. Without ``--lang`` the language is the one already chosen
    (``autograd.set_language``), else the environment's (``LANGUAGE``, ``LC_ALL``,
    ``LC_MESSAGES``, ``LANG``).
    """
    parser, options = translated_parser(description, argv)
    options.add_argument("--out", default=default_out, type=pathlib.Path,
                         help=tr("folder for the files this lesson writes (default: {folder})",
                                 folder=default_out))
    options.add_argument("--full", action="store_true",
                         help=tr("the longer run; the default is a quick one (seconds)"))
    options.add_argument("--lang", choices=languages(),
                         help=tr("the language the lesson prints and draws in (now: {now}; "
                                 "the default comes from LANGUAGE, LC_ALL, LC_MESSAGES or LANG)",
                                 now=language()))
    args = parser.parse_args(argv)
    _told.clear()
    print(f"{tr(description)}\n{tr(REFERENCE)}\n")
    try:
        args.out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        parser.error(tr("--out {folder}: cannot create the folder ({reason})", folder=args.out,
                        reason=e.strerror or e))
    return args


def translated_parser(description: str, argv: list[str] | None,
                      formatter_class: type = HelpFormatter,
                      epilog: str | None = None) -> tuple[argparse.ArgumentParser, object]:
    """A parser whose help is in the language ``--lang`` asks for (read first, so that
    ``--help`` uses it; chosen for the process), and its group of options with ``-h``.

    ``description`` and ``epilog`` are marked with ``N_`` and translated here."""
    early = argparse.ArgumentParser(add_help=False)
    early.add_argument("--lang", choices=languages())
    chosen = early.parse_known_args(argv)[0].lang
    if chosen:
        set_language(chosen)
    parser = argparse.ArgumentParser(description=tr(description), add_help=False,
                                     formatter_class=formatter_class,
                                     epilog=tr(epilog) if epilog else None)
    options = parser.add_argument_group(tr("options"))   # argparse's own titles are English
    options.add_argument("-h", "--help", action="help", help=tr("show this help and exit"))
    return parser, options


def picture(write: Callable[[], pathlib.Path], what: str) -> str:
    """Run ``write`` (a render or animation call): 'wrote PATH (what)', or why it could not.

    Without any Graphviz for SVG (Python 3.10 has no WebAssembly build), the lesson goes on
    without its pictures and says what to install, once.
    """
    try:
        return wrote(write(), what)
    except GraphvizNotFoundError as e:
        if str(e) in _told:
            return tr("not drawn: the same reason")
        _told.append(str(e))
        return tr("not drawn: {reason}", reason=e)


def wrote(path: pathlib.Path, what: str | None = None) -> str:
    """The line a lesson prints for a file it wrote: 'wrote PATH' or 'wrote PATH (what)'."""
    if what is None:
        return tr("wrote {path}", path=path)
    return tr("wrote {path} ({what})", path=path, what=what)


def pyplot():
    """matplotlib's pyplot on the file-only Agg backend, or a clear error naming the extra.

    In a language other than English a font with Chinese characters is added after the
    default one (``demos._fonts``), so translated titles and labels are not drawn as boxes.
    """
    try:
        import matplotlib
    except ImportError:
        raise SystemExit(tr("this lesson draws plots with matplotlib: "
                            "pip install -e '.[demo]'")) from None
    matplotlib.use("Agg")
    if language() != "en":
        from demos._fonts import use_cjk_font

        use_cjk_font(matplotlib.rcParams)
    import matplotlib.pyplot as plt

    return plt
