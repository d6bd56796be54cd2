"""A time budget for work that cannot promise its own end (SymPy's expand, cancel, evalf).

``with TimeBudget(10.0) as budget:`` runs its body for at most about 10 s: ``budget.check()``
between steps raises :class:`OutOfTime` once the time is spent, and in the main thread of a
POSIX process a timer signal also interrupts a single long step (SymPy is pure Python, so the
exception arrives between two of its bytecodes). Elsewhere (another thread, Windows) only the
checks between steps apply, so callers also keep each step's size bounded.
"""

from __future__ import annotations

import signal
import threading
import time

__all__ = ["TimeBudget", "OutOfTime"]


class OutOfTime(Exception):
    """The time budget ran out."""


class TimeBudget:
    """A context manager that ends its body with :class:`OutOfTime` after ``seconds``."""

    def __init__(self, seconds: float):
        self.seconds = float(seconds)
        self._end = 0.0
        self._previous = None

    def check(self) -> None:
        """Raise :class:`OutOfTime` if the budget is spent."""
        if time.monotonic() > self._end:
            raise OutOfTime(f"more than {self.seconds:g} s")

    def _alarm(self, signum, frame) -> None:
        raise OutOfTime(f"more than {self.seconds:g} s")

    def __enter__(self) -> TimeBudget:
        self._end = time.monotonic() + self.seconds
        usable = (hasattr(signal, "setitimer") and
                  threading.current_thread() is threading.main_thread() and
                  signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0))
        if usable:  # never when the program runs a timer of its own
            self._previous = signal.signal(signal.SIGALRM, self._alarm)
            signal.setitimer(signal.ITIMER_REAL, self.seconds)
        return self

    def __exit__(self, *exc) -> bool:
        if self._previous is not None:
            signal.setitimer(signal.ITIMER_REAL, 0.0)
            signal.signal(signal.SIGALRM, self._previous)
            self._previous = None
        return False
