"""Time limits for symbolic steps that can blow up.

``time_limit(seconds, "computing the determinant")`` raises
``SymjacTimeoutError`` naming the step when it runs too long. It uses a
POSIX interval timer, so the limit is enforced in the main thread (scripts,
the CLI, Jupyter); elsewhere the step runs without a limit. Nested limits
keep the earliest deadline.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from .errors import SymjacTimeoutError

__all__ = ["time_limit", "DEFAULT_TIMEOUT"]

#: Seconds a single symbolic step may take unless the caller says otherwise.
DEFAULT_TIMEOUT = 30.0

_deadlines: list[tuple[float, str]] = []


def _can_use_signals() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


def _on_alarm(signum: int, frame: object) -> None:
    now = time.monotonic()
    expired = [d for d in _deadlines if d[0] <= now + 1e-3]
    if expired:
        deadline, what = min(expired)
        raise SymjacTimeoutError(
            f"{what} took longer than its time limit and was stopped. "
            "Pass a larger timeout=..., simplify the input, or restrict the domain.",
            value=what,
        )
    _arm()  # a spurious or early signal: re-arm for the earliest deadline


def _arm() -> None:
    if _deadlines:
        remaining = max(min(_deadlines)[0] - time.monotonic(), 1e-3)
        signal.setitimer(signal.ITIMER_REAL, remaining)
    else:
        signal.setitimer(signal.ITIMER_REAL, 0)


@contextmanager
def time_limit(seconds: float | None, what: str) -> Iterator[None]:
    """Run the body with a time limit.

    Args:
        seconds: The limit; ``None`` or a non-positive value means no limit.
        what: The step, as it should read in the error (``"inverting u = x**2"``).

    Raises:
        SymjacTimeoutError: If the body runs longer than ``seconds``.

    >>> from symjac.timeouts import time_limit
    >>> with time_limit(5, "adding two numbers"):
    ...     1 + 1
    2
    """
    if seconds is None or seconds <= 0 or not _can_use_signals():
        yield
        return
    entry = (time.monotonic() + float(seconds), what)
    previous = signal.getsignal(signal.SIGALRM)
    if previous is not _on_alarm:
        signal.signal(signal.SIGALRM, _on_alarm)
    _deadlines.append(entry)
    _arm()
    try:
        yield
    finally:
        _deadlines.remove(entry)
        _arm()
        if previous is not _on_alarm and not _deadlines:
            signal.signal(signal.SIGALRM, previous)
