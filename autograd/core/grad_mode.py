"""Grad mode: whether ops record the graph, decided per thread (and per asyncio task).

``no_grad()`` turns recording off in the thread that entered it, as PyTorch keeps the mode per
thread: the mode is a context variable. ``paused`` counts the no_grad blocks open anywhere:
while it is 0, which is almost always, an op need not look at the context variable at all.
``recording()`` is the one place that decides.
"""

from __future__ import annotations

import contextvars
import functools
import threading

__all__ = ["no_grad", "is_grad_enabled", "recording"]

_enabled = contextvars.ContextVar("backprop_lab_grad_enabled", default=True)
paused = 0  # no_grad blocks open in any thread; ops read it before asking recording()
_lock = threading.Lock()


def recording() -> bool:
    """Whether a node made now records its parents (False inside ``no_grad()``)."""
    return not paused or _enabled.get()


def is_grad_enabled() -> bool:
    """True unless this thread (or task) is inside ``no_grad()``."""
    return _enabled.get()


class no_grad:
    """Context manager (or decorator) under which ops record no graph, in this thread only.

    Values made inside have no parents, so nothing is kept for backward: use it for
    evaluation, plotting and parameter updates. Other threads (and other asyncio tasks) keep
    building graphs.
    """

    def __init__(self):
        self._tokens: list = []

    def __enter__(self):
        global paused
        with _lock:
            paused += 1
        self._tokens.append(_enabled.set(False))
        return self

    def __exit__(self, *exc) -> None:
        global paused
        try:
            _enabled.reset(self._tokens.pop())
        finally:
            with _lock:
                paused -= 1

    def __call__(self, fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with no_grad():
                return fn(*args, **kwargs)
        return wrapper
