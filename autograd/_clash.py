"""The guard against PyPI's ``autograd`` (by HIPS), which has this package's import name.

Two packages named ``autograd`` cannot share one environment: pip installs both into the same
``autograd/`` folder, the one installed last overwrites the other's ``__init__.py``, and
uninstalling either deletes it. pip reports nothing. This module finds the other package and
stops the import with the clash, where each copy lives and the fix, instead of a confusing
failure later. ``nn`` and ``visualize`` load it by file path (when PyPI's autograd is the one
imported, ``autograd._clash`` is not importable), so it imports nothing from this package.
"""

from __future__ import annotations

import os
import sys
from types import ModuleType
from typing import NoReturn

MARKER = "__backprop_lab__"   # set by backprop-lab's autograd/__init__.py, absent from PyPI's
_THEIR_FILES = ("tracer.py", "differential_operators.py", "wrap_util.py")
_FIX = ("Give each package its own virtual environment (python3 -m venv .venv). To repair "
        "this one: `pip uninstall -y autograd backprop-lab`, then reinstall the one you want "
        "(`pip install -e .` in backprop-lab's folder, or `pip install autograd`).")


def find_other_autograd(ours: str) -> str | None:
    """Where PyPI's autograd shows in this environment, or None.

    Args:
        ours: backprop-lab's ``autograd`` folder; PyPI's files there mean both were installed.

    Returns:
        One of its files beside ours, or its ``autograd-*.dist-info`` (or ``.egg-info``)
        folder in any ``sys.path`` entry.
    """
    for name in _THEIR_FILES:
        path = os.path.join(ours, name)
        if os.path.exists(path):
            return path
    for entry in sys.path:
        try:
            names = os.listdir(entry or os.curdir)
        except OSError:   # a zip file, or a folder that does not exist
            continue
        for name in names:
            lower = name.lower()
            if lower.startswith("autograd-") and lower.endswith((".dist-info", ".egg-info")):
                return os.path.join(entry, name)
    return None


def check_environment(ours: str) -> None:
    """Raise ImportError if PyPI's autograd is installed where backprop-lab's is importable."""
    other = find_other_autograd(ours)
    if other is not None:
        raise ImportError(
            "two packages named `autograd` are installed in this Python environment "
            f"({sys.prefix}): backprop-lab's, in {ours}, and PyPI's autograd (HIPS), found at "
            f"{other}. They share the import name, so neither can be imported reliably. "
            + _FIX)


def refuse_foreign(module: ModuleType, importer: str, importer_file: str) -> NoReturn:
    """Raise ImportError: ``importer`` (nn or visualize) got an ``autograd`` that is not ours."""
    ours = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(importer_file))),
                        "autograd")
    found = getattr(module, "__file__", None)
    if found is None:   # a namespace package: the shared __init__.py was deleted
        where = ", ".join(getattr(module, "__path__", [])) or "?"
        what = (f"a folder without __init__.py ({where}): `pip uninstall autograd` deletes the "
                "__init__.py the two packages shared")
    else:
        what = f"{found}, which is not backprop-lab's (PyPI's autograd, by HIPS, has its name)"
    raise ImportError(f"{importer} needs backprop-lab's `autograd` (in {ours}), but "
                      f"`import autograd` found {what}. " + _FIX)
