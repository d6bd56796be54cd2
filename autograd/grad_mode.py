"""Grad mode: ``no_grad()`` builds no graph, in the thread (or asyncio task) that entered it.

The mode is a context variable, as PyTorch keeps it per thread. ``engine._paused`` counts the
no_grad blocks open anywhere: while it is 0, which is almost always, an op needs no look at the
context variable at all.
"""

from __future__ import annotations

import functools

from autograd import engine

__all__ = ["no_grad", "is_grad_enabled"]


class no_grad:
    """Context manager (or decorator) under which ops record no graph, in this thread only.

    Values made inside have no parents, so nothing is kept for backward: use it for
    evaluation, plotting and parameter updates. Other threads (and other asyncio tasks) keep
    building graphs.
    """

    def __init__(self):
        self._tokens: list = []

    def __enter__(self):
        with engine._paused_lock:
            engine._paused += 1
        self._tokens.append(engine._grad_enabled.set(False))
        return self

    def __exit__(self, *exc) -> None:
        try:
            engine._grad_enabled.reset(self._tokens.pop())
        finally:
            with engine._paused_lock:
                engine._paused -= 1

    def __call__(self, fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with no_grad():
                return fn(*args, **kwargs)
        return wrapper


def is_grad_enabled() -> bool:
    """True unless this thread (or task) is inside ``no_grad()``."""
    return engine._grad_enabled.get()
