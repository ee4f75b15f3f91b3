"""Time limits for symbolic steps that can blow up.

``time_limit(seconds, "computing the determinant")`` raises
``SymjacTimeoutError`` naming the step when it runs too long. In the main
thread it uses a POSIX interval timer (and gives any previous SIGALRM handler
back afterwards); in any other thread a watchdog thread raises the limit into
the running thread between two bytecodes. Neither can stop one long C call
(a huge integer power): for untrusted input, ``symjac.timeouts.WorkerPool`` runs the work
in a worker process that is killed at its limit. Limits nest: each
step's error is raised at the end of that step's own ``with`` block, so code
that catches the timeout of an inner step (to fall back to something
cheaper) never swallows the timeout of an outer one.
"""

from __future__ import annotations

import ctypes
import gc
import heapq
import math
import numbers
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
import contextlib
from contextlib import contextmanager

from ..errors import SymjacTimeoutError, SymjacTypeError, SymjacValueError

__all__ = ["time_limit", "check_timeout", "DEFAULT_TIMEOUT"]

#: Seconds a single symbolic step may take unless the caller says otherwise.
DEFAULT_TIMEOUT = 30.0

#: While an expired step has not unwound, the alarm fires again this often.
_RETRY = 0.05


class _Deadline:
    __slots__ = ("at", "what", "thread", "done")

    def __init__(self, at: float, what: str, thread: int | None = None) -> None:
        self.at = at
        self.what = what
        self.thread = thread  # the thread id for the watchdog path, None for the signal path
        self.done = False

    def __lt__(self, other: _Deadline) -> bool:
        return self.at < other.at


class _Expired(BaseException):
    """Raised by the alarm and carried up to the ``with`` block that owns the deadline.

    It derives from BaseException, like KeyboardInterrupt, so that no
    ``except Exception`` on the way (in symjac or in SymPy) can swallow it.
    """

    def __init__(self, deadline: _Deadline) -> None:
        super().__init__(deadline.what)
        self.deadline = deadline


_deadlines: list[_Deadline] = []


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
    if sys.unraisablehook is _drop_lost_expiry and not _thread_active and not _deadlines:
        sys.unraisablehook = _previous_hook


#: A host's own pending alarm (``signal.alarm(60)`` as a watchdog), saved when the first
#: limit starts: ``[when, handler]``. It still fires on time, and is re-armed afterwards.
_host: list = [None, None]


def _fire_host(signum: int, frame: object) -> None:
    handler = _host[1]
    _host[0] = None
    if callable(handler):
        handler(signum, frame)
    elif handler == signal.SIG_DFL:  # the default action of SIGALRM ends the process
        signal.signal(signal.SIGALRM, signal.SIG_DFL)
        signal.raise_signal(signal.SIGALRM)


def _in_limit_machinery(frame: object) -> bool:
    """True while a ``with time_limit`` block is being entered or left (its exception may be on
    its way): a second one raised there would replace the first and skip the bookkeeping."""
    if frame is not None and frame.f_code is _CONTEXT_EXIT:  # type: ignore[attr-defined]
        return True
    while frame is not None:
        if frame.f_code in _LIMIT_CODES:  # type: ignore[attr-defined]
            return True
        frame = frame.f_back  # type: ignore[attr-defined]
    return False


def _on_alarm(signum: int, frame: object) -> None:
    now = time.monotonic()
    if _host[0] is not None and _host[0] <= now + 1e-3 and not _in_unraisable_context(frame):
        _fire_host(signum, frame)
    expired = [d for d in _deadlines if d.at <= now + 1e-3]
    if expired and (_in_unraisable_context(frame) or _in_limit_machinery(frame)):
        signal.setitimer(signal.ITIMER_REAL, 0.005)  # raise a moment later, where it can travel
        return
    if expired:
        signal.setitimer(signal.ITIMER_REAL, _RETRY)  # again, until the step has unwound
        raise _Expired(min(expired, key=lambda d: d.at))
    _arm()  # a spurious or early signal: re-arm for the earliest deadline


def _arm() -> None:
    times = [d.at for d in _deadlines] + ([_host[0]] if _host[0] is not None else [])
    if times:
        remaining = max(min(times) - time.monotonic(), 1e-3)
        signal.setitimer(signal.ITIMER_REAL, remaining)
    else:
        signal.setitimer(signal.ITIMER_REAL, 0)


def check_timeout(seconds: object, *, name: str = "timeout") -> float | None:
    """Validate a time limit: ``None`` (no limit) or a finite number of seconds > 0.

    Raises:
        SymjacTypeError: If ``seconds`` is not a number.
        SymjacValueError: If it is not finite or not positive (``inf``, ``nan``, ``0``, ``-1``).

    >>> from symjac.timeouts import check_timeout
    >>> check_timeout(2)
    2.0
    >>> check_timeout(float("inf"))
    Traceback (most recent call last):
    ...
    symjac.errors.SymjacValueError: timeout must be a finite number of seconds greater than 0, got inf. Pass None for no limit.
    """
    if seconds is None:
        return None
    if isinstance(seconds, bool) or not isinstance(seconds, numbers.Real):
        raise SymjacTypeError(f"{name} is a number of seconds (or None for no limit), got "
                              f"{seconds!r:.60} ({type(seconds).__name__}).", value=seconds,
                              expected="seconds, such as 30", hint="Pass a number such as 30.")
    value = float(seconds)
    if not math.isfinite(value) or value <= 0:
        raise SymjacValueError(f"{name} must be a finite number of seconds greater than 0, got "
                               f"{value!r}. Pass None for no limit.", value=seconds,
                               expected="a finite number of seconds > 0, or None",
                               hint="Pass None for no limit.")
    return value


# --------------------------------------------------------------------------- other threads
# A signal reaches only the main thread. Elsewhere one watchdog thread keeps the deadlines of
# all threads in a heap and, when one expires, raises _ThreadExpired in the thread that owns it
# (PyThreadState_SetAsyncExc: Python checks for it between bytecodes), again every _RETRY
# seconds until that thread's with-block has unwound.


class _ThreadExpired(_Expired):
    """Raised asynchronously in a thread; the with-block finds which of its deadlines expired."""

    def __init__(self, *args: object) -> None:  # raised as a class, without a deadline
        BaseException.__init__(self, *args)
        self.deadline = None  # type: ignore[assignment]


# Re-entrant, so that a thread can tell whether it still holds the lock: an asynchronous exception
# can land just after the lock was acquired in ``with _watch_lock`` and before the block is set up;
# the lock would then stay held (and every later limit would wait for it forever).
_watch_lock = threading.Condition(threading.RLock())
_watch_heap: list[tuple[float, int, _Deadline]] = []  # (when to raise, tie-breaker, deadline)
_watcher: threading.Thread | None = None
_thread_deadlines = threading.local()
_thread_active = 0  # deadlines alive in threads other than the main one
_counter = iter(range(1 << 62))


def _async_raise(thread_id: int, exc: object) -> None:
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id), exc)


def _watch() -> None:
    with _watch_lock:
        while True:
            while _watch_heap and _watch_heap[0][2].done:
                heapq.heappop(_watch_heap)
            if not _watch_heap:
                _watch_lock.wait()
                continue
            when, _, entry = _watch_heap[0]
            delay = when - time.monotonic()
            if delay > 0:
                _watch_lock.wait(delay)
                continue
            if _in_limit_machinery(sys._current_frames().get(entry.thread)):
                # the thread is entering or leaving a with-block: raising there would replace the
                # exception on its way out (or skip the bookkeeping); try again in a moment
                heapq.heapreplace(_watch_heap, (time.monotonic() + 0.005, next(_counter), entry))
                continue
            heapq.heapreplace(_watch_heap, (time.monotonic() + _RETRY, next(_counter), entry))
            _async_raise(entry.thread, ctypes.py_object(_ThreadExpired))  # type: ignore[arg-type]


@contextmanager
def _thread_limit(seconds: float, what: str) -> Iterator[None]:
    global _watcher, _thread_active
    stack: list[_Deadline] = _thread_deadlines.__dict__.setdefault("stack", [])
    entry = _Deadline(time.monotonic() + seconds, what, threading.get_ident())
    stack.append(entry)
    try:
        with _watch_lock:
            _thread_active += 1
            _install_hook()  # an exception landing in a finalizer is dropped; it comes again
            if _watcher is None or not _watcher.is_alive():
                _watcher = threading.Thread(target=_watch, name="symjac-time-limit", daemon=True)
                _watcher.start()
            heapq.heappush(_watch_heap, (entry.at, next(_counter), entry))
            _watch_lock.notify()
    except BaseException:  # an outer block's limit expired while this one was being set up
        _release_if_held()
        with _watch_lock:
            if entry in (e for _, _, e in _watch_heap) and not entry.done:
                entry.done = True
                _thread_active -= 1
        stack.remove(entry)
        raise
    expired = False
    try:
        yield
    except _ThreadExpired:
        now = time.monotonic()
        due = [d for d in stack if d.at <= now + 1e-3]
        if not due or min(due, key=lambda d: d.at) is not entry:
            raise  # an outer step's limit: its own block turns it into the error
        expired = True
    finally:
        while True:  # an exception arriving during the bookkeeping must not escape it
            try:
                with _watch_lock:
                    if not entry.done:
                        entry.done = True  # the watchdog sends nothing more for this block
                        _thread_active -= 1
                        if not _thread_active and not _deadlines:
                            _remove_hook()
                _drain_pending()
                break
            except _ThreadExpired:
                _release_if_held()
                continue
        stack.remove(entry)
    if expired:
        _raise_timeout(what, seconds)


def _release_if_held() -> None:
    """Let go of the watchdog's lock if an asynchronous exception left this thread holding it."""
    while _watch_lock._is_owned():  # type: ignore[attr-defined]
        _watch_lock.release()


def _drain_pending() -> None:
    """Clear an asynchronous exception sent just before the block was marked done (an outer
    block's, if any, is sent again by the watchdog)."""
    _async_raise(threading.get_ident(), None)


def _raise_timeout(what: str | Callable[[], str], seconds: float) -> None:
    what = what() if callable(what) else what
    raise SymjacTimeoutError(
        f"{what} took longer than its time limit ({seconds:g} s) and was stopped. "
        "Pass a larger timeout=..., simplify the input, or restrict the domain.",
        value=what,
    )


# --------------------------------------------------------------------------- the entry point


@contextmanager
def time_limit(seconds: float | None, what: str | Callable[[], str]) -> Iterator[None]:
    """Run the body with a time limit, in any thread.

    Args:
        seconds: The limit, a finite number of seconds > 0; ``None`` means no limit.
        what: The step, as it should read in the error (``"inverting u = x**2"``), or a
            function that writes it, called only if the limit is reached (printing a large
            formula costs milliseconds that the step itself may not take).

    Raises:
        SymjacTimeoutError: If the body runs longer than ``seconds``. An outer
            step's limit passes through an inner step's ``with`` block untouched.
        SymjacValueError: If ``seconds`` is ``inf``, ``nan``, zero or negative.

    >>> from symjac.timeouts import time_limit
    >>> with time_limit(5, "adding two numbers"):
    ...     1 + 1
    2
    """
    seconds = check_timeout(seconds)
    if seconds is None:
        yield
        return
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        with _thread_limit(seconds, what):
            yield
        return
    entry = _Deadline(time.monotonic() + seconds, what)
    previous = signal.getsignal(signal.SIGALRM)
    if previous is not _on_alarm:
        signal.signal(signal.SIGALRM, _on_alarm)
    if not _deadlines:
        _install_hook()
        pending = signal.getitimer(signal.ITIMER_REAL)[0]
        _host[:] = [time.monotonic() + pending if pending > 0 else None, previous]
    _deadlines.append(entry)
    try:
        _arm()
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
            if not _deadlines:
                _remove_hook()
                signal.setitimer(signal.ITIMER_REAL, 0)
                if signal.SIGALRM in signal.sigpending():  # one of ours, blocked meanwhile: it must
                    signal.sigwait({signal.SIGALRM})       # not reach the caller's handler
                if previous is not _on_alarm:
                    # give the caller's handler back, SIG_DFL and SIG_IGN included
                    signal.signal(signal.SIGALRM, previous if previous is not None else signal.SIG_DFL)
                host_at, _host[:] = _host[0], [None, None]
                signal.setitimer(signal.ITIMER_REAL, 0 if host_at is None
                                 else max(host_at - time.monotonic(), 1e-3))
            else:
                _arm()
        finally:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGALRM})
    if expired:
        _raise_timeout(what, seconds)


_CONTEXT_EXIT = contextlib._GeneratorContextManager.__exit__.__code__
_LIMIT_CODES = frozenset({time_limit.__wrapped__.__code__, _thread_limit.__wrapped__.__code__})
