"""Chromium driven by playwright, as the lab's browser tests and its benchmark use it.

The browser is the system's (Debian's ``chromium``, or the one ``LAB_CHROMIUM`` names), never a
download by ``playwright install``.
"""

from __future__ import annotations

import os
import shutil

__all__ = ["ARGS", "executable", "launch"]

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def executable() -> str | None:
    """The chromium to drive, or None when there is none."""
    path = os.environ.get("LAB_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    return path if os.path.exists(path) else None


def launch(playwright):
    """A headless Chromium from ``sync_playwright()`` (or its async twin)."""
    return playwright.chromium.launch(executable_path=executable(), args=ARGS)
