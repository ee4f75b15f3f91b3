"""The worker pool: hard time and memory limits that hold from any thread, killed workers replaced."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from symjac.errors import SymjacTimeoutError, SymjacValueError, WorkerError
from symjac.timeouts import WorkerPool, run_limited


def spin(seconds):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass
    return "done"


def big_power():
    return 10 ** (10 ** 9)  # one long C call: no in-process limit can stop it


def hog(mib):
    return len(bytearray(mib * 1024 * 1024))


@pytest.fixture(scope="module")
def pool():
    with WorkerPool(jobs=2, timeout=1.0, memory_mb=1024) as p:
        assert p.submit(pow, 2, 10).result(60) == 1024  # started and warm
        yield p


def test_a_task_is_killed_at_its_limit_and_the_worker_replaced(pool):
    start = time.monotonic()
    with pytest.raises(SymjacTimeoutError, match="big_power took longer than its time limit"):
        pool.submit(big_power).result(30)
    assert time.monotonic() - start < 5
    before = pool.replaced
    assert pool.submit(pow, 3, 3).result(30) == 27  # a new worker took over
    assert pool.replaced == before


def test_the_memory_cap_is_a_clear_error(pool):
    with pytest.raises(WorkerError, match="memory"):
        pool.submit(hog, 2000).result(30)
    assert pool.submit(hog, 10).result(30) == 10 * 1024 * 1024


def test_a_per_task_limit_and_errors_come_back_unchanged(pool):
    assert pool.schedule(spin, (1.5,), timeout=10).result(30) == "done"
    with pytest.raises(ZeroDivisionError):
        pool.submit(divmod, 1, 0).result(30)


def test_limits_hold_from_threads_and_a_thread_pool():
    late = []

    def call():
        start = time.monotonic()
        try:
            run_limited(spin, 60, timeout=0.5)
        except SymjacTimeoutError:
            late.append(time.monotonic() - start - 0.5)

    th = threading.Thread(target=call)
    th.start()
    th.join(60)
    with ThreadPoolExecutor(2) as threads:
        list(threads.map(lambda _: call(), range(2)))
    assert len(late) == 3 and all(x < 5 for x in late)


@pytest.mark.parametrize("kwargs, message", [
    ({"jobs": 0}, "at least 1"), ({"timeout": float("inf")}, "finite"),
    ({"memory_mb": 10}, "at least 64"),
])
def test_bad_pool_arguments_are_clear_errors(kwargs, message):
    with pytest.raises(SymjacValueError, match=message):
        WorkerPool(**kwargs)
