"""The time limit reaches its own with-block even when the alarm lands somewhere awkward."""

import gc
import subprocess
import sys
import time

import pytest

from symjac.errors import SymjacTimeoutError
from symjac.timeouts import time_limit


def _busy(seconds):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass


def test_timeout_raises_in_its_block():
    with pytest.raises(SymjacTimeoutError, match="spinning took longer than its time limit"):
        with time_limit(0.02, "spinning"):
            _busy(2.0)


def test_inner_limit_does_not_swallow_outer_one():
    start = time.monotonic()
    with pytest.raises(SymjacTimeoutError, match="outer step"):
        with time_limit(0.05, "outer step"):
            while True:
                try:
                    with time_limit(10, "inner step"):
                        _busy(0.01)
                except SymjacTimeoutError:  # pragma: no cover - the inner limit never expires
                    pytest.fail("the inner step's limit took the outer step's timeout")
    assert time.monotonic() - start < 2.0


def test_alarm_inside_a_gc_callback_is_not_lost():
    """An alarm that lands in a garbage-collector callback (hypothesis installs
    one) must not raise there, where Python can only print it; it is raised a
    moment later in the step that owns the limit."""
    lost = []

    def slow_callback(phase, info):
        if phase == "stop":
            _busy(0.004)

    old_hook = sys.unraisablehook
    sys.unraisablehook = lambda args: lost.append(args.exc_value)
    gc.callbacks.append(slow_callback)
    try:
        with pytest.raises(SymjacTimeoutError, match="collecting"):
            with time_limit(0.01, "collecting"):
                for _ in range(500):  # about 3 s without the limit
                    gc.collect()
                    _busy(0.002)
    finally:
        gc.callbacks.remove(slow_callback)
        sys.unraisablehook = old_hook
    assert lost == []


def test_alarm_inside_a_weakref_callback_is_not_lost():
    """The same for a weak-reference callback (SymPy's caches use them)."""
    import weakref

    class Thing:
        pass

    lost = []
    old_hook = sys.unraisablehook
    sys.unraisablehook = lambda args: lost.append(args.exc_value)
    try:
        with pytest.raises(SymjacTimeoutError, match="dropping"):
            with time_limit(0.01, "dropping"):
                for _ in range(500):
                    thing = Thing()
                    ref = weakref.ref(thing, lambda r: _busy(0.004))
                    del thing
                    _busy(0.002)
    finally:
        sys.unraisablehook = old_hook
    assert lost == []
    del ref


def test_a_time_limit_that_is_not_a_number_is_a_clear_error():
    import symjac as sj
    from symjac.errors import SymjacTypeError

    with pytest.raises(SymjacTypeError, match="number of seconds.*got 'soon'"):
        with time_limit("soon", "adding"):  # type: ignore[arg-type]
            pass
    with pytest.raises(SymjacTypeError, match="number of seconds"):
        sj.invert(sj.Transform.from_equations("u = x**2"), timeout="30")  # type: ignore[arg-type]


# --------------------------------------------------------------------------- issue 15


@pytest.mark.parametrize("bad", [float("inf"), float("nan"), -1, 0])
def test_a_limit_that_is_not_finite_and_positive_is_refused_and_leaves_no_trace(bad):
    import signal

    from symjac.errors import SymjacValueError

    before = signal.getsignal(signal.SIGALRM)
    with pytest.raises(SymjacValueError, match="finite number of seconds greater than 0"):
        with time_limit(bad, "adding"):
            pass
    assert signal.getsignal(signal.SIGALRM) is before
    with pytest.raises(SymjacTimeoutError):  # later limits still work
        with time_limit(0.02, "spinning"):
            _busy(2.0)


def test_the_previous_alarm_handler_and_a_host_alarm_come_back():
    import signal

    fired = []
    old = signal.signal(signal.SIGALRM, lambda s, f: fired.append(time.monotonic()))
    try:
        start = time.monotonic()
        signal.setitimer(signal.ITIMER_REAL, 0.3)  # the host's own watchdog
        with time_limit(5, "a short step"):
            _busy(0.05)
        assert signal.getsignal(signal.SIGALRM) is not None
        assert signal.getitimer(signal.ITIMER_REAL)[0] > 0.1  # still pending after the step
        _busy(0.4)
        assert len(fired) == 1 and 0.25 < fired[0] - start < 0.45
        # the host's alarm falls inside a step: it fires on time, inside the step
        fired.clear()
        start = time.monotonic()
        signal.setitimer(signal.ITIMER_REAL, 0.1)
        with time_limit(5, "a longer step"):
            _busy(0.3)
        assert len(fired) == 1 and fired[0] - start < 0.2
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def _late_in_thread(limit, spin):
    """How late the limit fires in the calling thread (None: it did not fire)."""
    start = time.monotonic()
    try:
        with time_limit(limit, "spinning in a thread"):
            _busy(spin)
    except SymjacTimeoutError:
        return time.monotonic() - start - limit
    return None


def test_a_limit_fires_in_a_thread():
    import threading

    out = []
    th = threading.Thread(target=lambda: out.append(_late_in_thread(0.1, 5.0)))
    th.start()
    th.join(10)
    assert out and out[0] is not None and out[0] < 0.5


def test_limits_fire_in_a_thread_pool_and_nest():
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(4) as pool:
        lateness = list(pool.map(_late_in_thread, [0.1] * 4, [5.0] * 4))
    assert all(x is not None and x < 1.0 for x in lateness)

    def nested():
        try:
            with time_limit(0.1, "outer step"):
                while True:
                    try:
                        with time_limit(10, "inner step"):
                            _busy(0.01)
                    except SymjacTimeoutError:  # pragma: no cover
                        return "inner took it"
        except SymjacTimeoutError as exc:
            return str(exc)

    with ThreadPoolExecutor(1) as pool:
        assert "outer step" in pool.submit(nested).result(10)


def test_a_finished_limit_in_a_thread_sends_nothing_later():
    from concurrent.futures import ThreadPoolExecutor

    def work():
        for _ in range(200):
            with time_limit(0.001, "tiny"):
                pass
            try:
                with time_limit(0.002, "tiny spin"):
                    _busy(0.003)
            except SymjacTimeoutError:
                pass
        _busy(0.2)  # a stray exception would land here
        return "ok"

    with ThreadPoolExecutor(2) as pool:
        assert [f.result(30) for f in [pool.submit(work) for _ in range(2)]] == ["ok", "ok"]


_STRESS = """
import time
from concurrent.futures import ThreadPoolExecutor
from symjac.errors import SymjacTimeoutError
from symjac.timeouts import time_limit

def busy(s):
    end = time.perf_counter() + s
    while time.perf_counter() < end:
        pass

def work():
    for _ in range(600):
        try:
            with time_limit(0.0005, "tiny"):
                busy(0.0006)
        except SymjacTimeoutError:
            pass
    busy(0.1)  # a stray exception would land here
    return "ok"

print(work())  # the main thread: the signal path
with ThreadPoolExecutor(2) as pool:  # other threads: the watchdog path
    print(*[f.result(60) for f in [pool.submit(work) for _ in range(2)]])
"""


def test_limits_expiring_as_their_blocks_are_left_never_escape_them():
    # a limit that expires just as its with-block is being left must not replace the exception
    # on its way out or land after the block (it once ended the process with SIGALRM, exit 142,
    # and in threads escaped into the thread pool, which then never finished)
    done = subprocess.run([sys.executable, "-c", _STRESS], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["ok", "ok", "ok"]
