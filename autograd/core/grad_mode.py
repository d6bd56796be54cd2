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
_saved = contextvars.ContextVar("backprop_lab_no_grad_saved", default=())  # modes to restore
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

    def __enter__(self):
        with _lock:
            OPEN.append(self)
        _saved.set((*_saved.get(), _enabled.get()))  # per thread: one object may serve many
        _enabled.set(False)
        return self

    def __exit__(self, *exc) -> None:
        try:
            *rest, previous = _saved.get()
            _saved.set(tuple(rest))
            _enabled.set(previous)
        finally:
            with _lock:
                OPEN.remove(self)

    def __call__(self, fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with no_grad():
                return fn(*args, **kwargs)
        return wrapper
