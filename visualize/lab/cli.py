"""python -m visualize lab [--port N] [--host HOST] [--no-browser] [--lang LANG]: the lab on a
local server.

``--export DIR`` writes the lab as a static site instead (``visualize.lab.export``). The page
and this command speak the language of ``--lang``, else the environment's (``LANG=zh_CN.UTF-8``)
when it asks for one the project has messages for; else the page follows the browser's.
"""

from __future__ import annotations

import argparse
import ipaddress
import socket
import sys
import threading
import time
import webbrowser
from collections.abc import Sequence

from autograd import language as current_language
from autograd.extend import languages, tr, using_language

__all__ = ["main"]

PROG = "python -m visualize lab"


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog=PROG,
        description=tr("Start the live lab: a local server and a page in your browser where "
                       "you type formulas, drag values, step through backward, check "
                       "derivations and train networks, on this engine."),
        epilog=tr("Ctrl-C stops the server. The lab needs the extra 'lab' "
                  "(pip install -e '.[lab]'); see docs/lab.md."))
    p.add_argument("--port", type=int, default=0,
                   help=tr("the port to listen on (default: a free port)"))
    p.add_argument("--host", default="127.0.0.1",
                   help=tr("the address to listen on (default 127.0.0.1: this machine only; "
                           "any other address makes the lab reachable from the network)"))
    p.add_argument("--no-browser", action="store_true",
                   help=tr("do not open the page in the default browser"))
    p.add_argument("--lang", choices=languages(),
                   help=tr("the language of the page and of this command (default: the "
                           "environment's, as LANG=zh_CN.UTF-8; else the browser's)"))
    p.add_argument("--export", metavar="DIR",
                   help="write the lab as a static site into DIR instead of starting a server: "
                        "each browser then runs the engine itself with Pyodide "
                        "(see docs/static-site.md)")
    p.add_argument("--pyodide", metavar="DIR",
                   help="with --export: an unpacked `pyodide` npm package of the pinned version "
                        "to use instead of fetching it with npm")
    return p


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _bind(host: str, port: int) -> socket.socket:
    """A listening socket (port 0: the system picks a free port), or OSError."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host.strip("[]"), port))
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    return sock


def _announce_when_started(server, url: str, browser: bool) -> None:
    """Print the URL (and open it) once the server answers: a URL on the screen works, and
    Ctrl-C from then on meets the server's own handler."""
    while not server.started:
        if server.should_exit:
            return
        time.sleep(0.02)
    print(tr("backprop lab: {url}  (Ctrl-C stops it)", url=url), flush=True)
    if browser:
        webbrowser.open(url)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the lab's server until Ctrl-C; returns the exit code. Ctrl-C at any moment from
    here on stops it without a traceback (in the first half second Python is still importing
    the package, and prints its own)."""
    try:
        return _main(argv)
    except KeyboardInterrupt:
        print(tr("backprop lab: stopped"), flush=True)
        return 0


def _language(argv: Sequence[str] | None) -> str | None:
    """The language asked for: ``--lang`` (read before the help is written in it), else the
    environment's when it is not English; None lets each page follow its browser."""
    argv = list(sys.argv[1:] if argv is None else argv)
    for i, arg in enumerate(argv):
        wish = arg[7:] if arg.startswith("--lang=") else \
            argv[i + 1] if arg == "--lang" and i + 1 < len(argv) else None
        if wish in languages():
            return wish
    chosen = current_language()   # the environment's, in this command's process
    return None if chosen == "en" else chosen


def _main(argv: Sequence[str] | None) -> int:
    language = _language(argv)
    with using_language(language):
        return _run(_parser().parse_args(argv), language)


def _run(args: argparse.Namespace, language: str | None) -> int:
    if args.export is not None or args.pyodide is not None:
        from visualize.lab.export import export_command
        return export_command(PROG, args.export, args.pyodide)
    if not 0 <= args.port <= 65535:
        print(tr("{prog}: refused: --port must be from 0 to 65535, got {port}", prog=PROG,
                 port=args.port), file=sys.stderr)
        return 2
    try:
        import uvicorn

        from visualize.lab.server import create_app
    except ImportError as e:
        print(tr("{prog}: the lab needs its extra, which is not installed (missing {name}): "
                 "pip install 'backprop-lab[lab]', or pip install -e '.[lab]' in a clone",
                 prog=PROG, name=e.name), file=sys.stderr)
        return 1
    loopback = _loopback(args.host)
    try:
        sock = _bind(args.host, args.port)
    except OSError as e:
        print(tr("{prog}: cannot listen on {host}:{port}: {reason}", prog=PROG,
                 host=args.host, port=args.port, reason=e.strerror or e), file=sys.stderr)
        return 1
    port = sock.getsockname()[1]
    shown = args.host if ":" not in args.host or args.host.startswith("[") else f"[{args.host}]"
    if not loopback:
        print(tr("{prog}: warning: listening on {host}, so the lab is reachable from the "
                 "network by anyone who can reach this machine; use the default 127.0.0.1 to "
                 "keep it on this machine", prog=PROG, host=args.host), file=sys.stderr)
        if args.host in ("0.0.0.0", "::"):
            shown = "127.0.0.1" if args.host == "0.0.0.0" else "[::1]"
    url = f"http://{shown}:{port}/"
    app = create_app(allowed_hosts=None if loopback else ["*"], language=language)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off",
                                           access_log=False))
    threading.Thread(target=_announce_when_started, args=(server, url, not args.no_browser),
                     daemon=True).start()
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()
    print(tr("backprop lab: stopped"), flush=True)
    return 0
