"""The time limit reaches its own with-block even when the alarm lands somewhere awkward."""

import gc
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
