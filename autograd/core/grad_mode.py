"""Grad mode: whether ops record the graph, decided per thread (and per asyncio task).

``no_grad()`` turns recording off in the thread that entered it, as PyTorch keeps the mode per
thread: the mode is a context variable. ``OPEN`` holds one entry per no_grad block open in any
thread: while it is empty, which is almost always, an op need not look at the context variable
at all. ``recording()`` is the one place that decides.
"""

from __future__ import annotations

import contextvars
import functools
import threading

__all__ = ["no_grad", "is_grad_enabled", "recording", "OPEN"]

_enabled = contextvars.ContextVar("backprop_lab_grad_enabled", default=True)
OPEN: list = []  # one entry per no_grad block open in any thread; ops test it before recording()
_lock = threading.Lock()


def recording() -> bool:
    """Whether a node made now records its parents (False inside ``no_grad()``)."""
    return not OPEN or _enabled.get()


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
        with _lock:
            OPEN.append(self)
        self._tokens.append(_enabled.set(False))
        return self

    def __exit__(self, *exc) -> None:
        try:
            _enabled.reset(self._tokens.pop())
        finally:
            with _lock:
                OPEN.remove(self)

    def __call__(self, fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with no_grad():
                return fn(*args, **kwargs)
        return wrapper
