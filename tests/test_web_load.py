"""A bounded load test of `symjac serve` on the loopback interface, with 2 workers: requests
per second for the flagship check, and a hostile input that cannot stall the others."""

from __future__ import annotations

import statistics
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

pytest.importorskip("starlette")
pytest.importorskip("uvicorn")

from webserver import FLAGSHIP, post, serving  # noqa: E402

# SymPy tries for a long time to integrate this: each step stops at its limit, and the whole
# request at the server's hard limit (timeout + grace)
SLOW = {"integral": "sin(x**x)*cos(y**y)*exp(x*y)", "region": "0 <= x <= 1, 0 <= y <= 1",
        "sub": "u = x*y, v = x + y"}
TIMEOUT, GRACE = 3, 7


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with serving(tmp_path_factory.mktemp("serve"), jobs=2, timeout=TIMEOUT, grace=GRACE) as base:
        yield base


def report(capsys, text: str) -> None:
    with capsys.disabled():
        print("\n" + text)


def test_requests_per_second_for_the_flagship_check(server, capsys, record_property):
    n = 8
    start = time.perf_counter()
    with ThreadPoolExecutor(4) as pool:
        replies = list(pool.map(lambda _: post(server, "/api/check", FLAGSHIP), range(n)))
    wall = time.perf_counter() - start
    assert all(status == 200 for status, _, _ in replies)
    assert all(p["verdict"] == "incorrect" and p["mistakes"] == ["inverted_jacobian"]
               for _, p, _ in replies)
    latencies = sorted(t for _, _, t in replies)
    rate = n / wall
    record_property("flagship_requests_per_second", round(rate, 3))
    report(capsys, f"web load: {n} flagship checks, 4 clients, 2 workers: {rate:.2f} requests/s; "
                   f"latency median {statistics.median(latencies):.2f} s, max {latencies[-1]:.2f} s")
    assert rate > 0.05  # bounded: a stalled server fails here instead of hanging the suite


def test_a_hostile_input_does_not_stall_the_other_requests(server, capsys):
    with ThreadPoolExecutor(1) as pool:
        started = time.perf_counter()
        slow = pool.submit(post, server, "/api/integral", SLOW)
        time.sleep(0.5)
        times = []
        for _ in range(3):
            status, payload, seconds = post(server, "/api/check", FLAGSHIP)
            assert status == 200 and payload["verdict"] == "incorrect"
            times.append(seconds)
        others_done = time.perf_counter() - started
        status, payload, slow_seconds = slow.result(timeout=120)
    huge = post(server, "/api/check", {**FLAGSHIP, "claimed": "(10**59*x)**1000"})
    report(capsys, f"web load: 3 flagship checks took {', '.join(f'{t:.2f}' for t in times)} s "
                   f"while a slow integral held a worker for {slow_seconds:.1f} s (answer {status}); "
                   f"a huge power was refused in {huge[2]:.2f} s")
    assert others_done < slow_seconds  # they were answered while the slow one still ran
    # stopped at the limit, or (as symjac gets faster at it) answered just before
    assert status == 200 or (status == 422 and "took longer than" in payload["error"]["message"])
    assert slow_seconds < TIMEOUT + GRACE + 10
    assert huge[0] == 400 and huge[2] < 5
    assert post(server, "/api/jacobian", {"system": "polar"})[0] == 200  # and it goes on
