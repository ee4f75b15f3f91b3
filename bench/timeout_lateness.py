"""How late a time limit fires: ``python -m bench.timeout_lateness``.

A 0.5 s limit on a busy loop of SymPy work, from the main thread, a ``threading.Thread``,
a ``ThreadPoolExecutor`` and the ``WorkerPool`` (where the task is killed with its process).
"""

from __future__ import annotations

import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

LIMIT = 0.5
RUNS = 5


def sympy_work(seconds: float = 60.0) -> None:
    import sympy as sp

    x = sp.Symbol("x")
    end = time.monotonic() + seconds
    k = 0
    while time.monotonic() < end:
        k += 1
        sp.expand((x + k) ** 12)


def in_process() -> float:
    from symjac.errors import SymjacTimeoutError
    from symjac.timeouts import time_limit

    start = time.monotonic()
    try:
        with time_limit(LIMIT, "busy work"):
            sympy_work()
    except SymjacTimeoutError:
        return time.monotonic() - start - LIMIT
    return float("inf")


def in_thread() -> float:
    out: list[float] = []
    th = threading.Thread(target=lambda: out.append(in_process()))
    th.start()
    th.join()
    return out[0]


def in_thread_pool(pool: ThreadPoolExecutor) -> float:
    return pool.submit(in_process).result()


def in_worker(pool) -> float:
    from symjac.errors import SymjacTimeoutError

    start = time.monotonic()
    try:
        pool.schedule(sympy_work, (), timeout=LIMIT).result()
    except SymjacTimeoutError:
        return time.monotonic() - start - LIMIT
    return float("inf")


def main() -> int:
    from symjac.timeouts import WorkerPool

    rows = {"main thread (SIGALRM)": [in_process() for _ in range(RUNS)],
            "threading.Thread (watchdog)": [in_thread() for _ in range(RUNS)]}
    with ThreadPoolExecutor(2) as tp:
        rows["ThreadPoolExecutor (watchdog)"] = [in_thread_pool(tp) for _ in range(RUNS)]
    with WorkerPool(jobs=1, timeout=None) as pool:
        pool.submit(pow, 2, 2).result()  # started
        rows["WorkerPool (process killed)"] = [in_worker(pool) for _ in range(RUNS)]
    print(f"# time limit of {LIMIT} s on SymPy work: how late it fires ({RUNS} runs)\n")
    print("| where | fired | median late | worst late |\n|---|---|---|---|")
    for name, late in rows.items():
        fired = sum(x != float("inf") for x in late)
        ok = [x for x in late if x != float("inf")] or [float("nan")]
        print(f"| {name} | {fired}/{RUNS} | {statistics.median(ok) * 1000:.0f} ms | "
              f"{max(ok) * 1000:.0f} ms |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
