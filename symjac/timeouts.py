"""Time limits for symbolic steps that can blow up.

``time_limit(seconds, "computing the determinant")`` raises
``SymjacTimeoutError`` naming the step when it runs too long. It uses a
POSIX interval timer, so the limit is enforced in the main thread (scripts,
the CLI, Jupyter); elsewhere the step runs without a limit. Limits nest: each
step's error is raised at the end of that step's own ``with`` block, so code
that catches the timeout of an inner step (to fall back to something
cheaper) never swallows the timeout of an outer one.
"""

from __future__ import annotations

import gc
import numbers
import signal
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from .errors import SymjacTimeoutError, SymjacTypeError

__all__ = ["time_limit", "DEFAULT_TIMEOUT"]

#: Seconds a single symbolic step may take unless the caller says otherwise.
DEFAULT_TIMEOUT = 30.0

#: While an expired step has not unwound, the alarm fires again this often.
_RETRY = 0.05


class _Deadline:
    __slots__ = ("at", "what")

    def __init__(self, at: float, what: str) -> None:
        self.at = at
        self.what = what


class _Expired(BaseException):
    """Raised by the alarm and carried up to the ``with`` block that owns the deadline.

    It derives from BaseException, like KeyboardInterrupt, so that no
    ``except Exception`` on the way (in symjac or in SymPy) can swallow it.
    """

    def __init__(self, deadline: _Deadline) -> None:
        super().__init__(deadline.what)
        self.deadline = deadline


_deadlines: list[_Deadline] = []


def _can_use_signals() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


#: Functions where an exception cannot propagate (Python only prints it as
#: "unraisable"): finalizers and weak-reference callbacks. Garbage-collector
#: callbacks (such as hypothesis's) are recognised from ``gc.callbacks``.
_UNRAISABLE = frozenset({"__del__", "_on_gc", "_remove", "remove", "callback", "gc_callback"})


def _gc_callback_codes() -> set[object]:
    codes = set()
    for cb in list(gc.callbacks):
        func = getattr(cb, "__func__", cb)
        code = getattr(func, "__code__", None)
        if code is not None:
            codes.add(code)
    return codes


def _in_unraisable_context(frame: object) -> bool:
    """True if an exception raised in ``frame`` would be lost on its way up."""
    gc_codes = _gc_callback_codes()
    while frame is not None:
        code = frame.f_code  # type: ignore[attr-defined]
        if code.co_name in _UNRAISABLE or code in gc_codes:
            return True
        frame = frame.f_back  # type: ignore[attr-defined]
    return False


def _drop_lost_expiry(args: object) -> None:
    """``sys.unraisablehook`` while a limit is active: a time-limit signal that
    landed where it could not propagate is dropped quietly, because the alarm
    fires again a moment later; anything else goes to the previous hook."""
    if isinstance(getattr(args, "exc_value", None), _Expired):
        return
    _previous_hook(args)


_previous_hook = sys.unraisablehook


def _install_hook() -> None:
    global _previous_hook
    if sys.unraisablehook is not _drop_lost_expiry:
        _previous_hook = sys.unraisablehook
        sys.unraisablehook = _drop_lost_expiry


def _remove_hook() -> None:
    if sys.unraisablehook is _drop_lost_expiry:
        sys.unraisablehook = _previous_hook


def _on_alarm(signum: int, frame: object) -> None:
    now = time.monotonic()
    expired = [d for d in _deadlines if d.at <= now + 1e-3]
    if expired and _in_unraisable_context(frame):
        signal.setitimer(signal.ITIMER_REAL, 0.005)  # raise a moment later, where it can travel
        return
    if expired:
        signal.setitimer(signal.ITIMER_REAL, _RETRY)  # again, until the step has unwound
        raise _Expired(min(expired, key=lambda d: d.at))
    _arm()  # a spurious or early signal: re-arm for the earliest deadline


def _arm() -> None:
    if _deadlines:
        remaining = max(min(d.at for d in _deadlines) - time.monotonic(), 1e-3)
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
        SymjacTimeoutError: If the body runs longer than ``seconds``. An outer
            step's limit passes through an inner step's ``with`` block untouched.

    >>> from symjac.timeouts import time_limit
    >>> with time_limit(5, "adding two numbers"):
    ...     1 + 1
    2
    """
    if seconds is not None and (isinstance(seconds, bool) or not isinstance(seconds, numbers.Real)
                                or seconds != seconds):
        raise SymjacTypeError(f"a time limit is a number of seconds (or None for no limit), got "
                              f"{seconds!r}.", value=seconds, expected="seconds, such as 30")
    if seconds is None or seconds <= 0 or not _can_use_signals():
        yield
        return
    entry = _Deadline(time.monotonic() + float(seconds), what)
    previous = signal.getsignal(signal.SIGALRM)
    if previous is not _on_alarm:
        signal.signal(signal.SIGALRM, _on_alarm)
    if not _deadlines:
        _install_hook()
    _deadlines.append(entry)
    _arm()
    try:
        yield
    except _Expired as exc:
        if exc.deadline is not entry:
            raise
        expired = True
    else:
        expired = False
    finally:
        # no alarm may interrupt the bookkeeping; one that arrives meanwhile is handled after it
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        try:
            _deadlines.remove(entry)
            _arm()
            if not _deadlines:
                _remove_hook()
                if callable(previous) and previous is not _on_alarm:
                    signal.signal(signal.SIGALRM, previous)  # give a caller's own handler back
        finally:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGALRM})
    if expired:
        raise SymjacTimeoutError(
            f"{what} took longer than its time limit ({seconds:g} s) and was stopped. "
            "Pass a larger timeout=..., simplify the input, or restrict the domain.",
            value=what,
        )
