"""Shared pieces of the benchmarks: fair timing (CPU time, one thread, first and warm calls,
medians), a time limit, the machine the run is on, and the table printer."""

from __future__ import annotations

import math
import multiprocessing as mp
import os
import platform
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

__all__ = ["Table", "best_time", "cpu_times", "run_with_limit", "geometric_mean", "fmt_time",
           "fmt_ratio", "pin_threads", "machine_summary", "memory_bandwidth", "THREADS"]

THREADS = 1
# Every contender gets the same number of threads: BLAS/OpenMP pools, numexpr, numba and XLA.
_THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
                     "NUMEXPR_NUM_THREADS", "NUMEXPR_MAX_THREADS", "NUMBA_NUM_THREADS",
                     "VECLIB_MAXIMUM_THREADS")


def pin_threads(threads: int = THREADS) -> None:
    """Pin every library's thread pool to ``threads`` (call before numpy/jax are imported;
    the benchmark's entry point does)."""
    for name in _THREAD_VARIABLES:
        os.environ[name] = str(threads)
    os.environ["XLA_FLAGS"] = (os.environ.get("XLA_FLAGS", "") + " --xla_cpu_multi_thread_eigen="
                               + ("false" if threads == 1 else "true")
                               + f" intra_op_parallelism_threads={threads}").strip()


def _cpu_flags() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            text = f.read()
    except OSError:
        return "unknown"
    model = next((line.split(":", 1)[1].strip() for line in text.splitlines()
                  if line.startswith("model name")), platform.processor() or "unknown CPU")
    flags = next((set(line.split(":", 1)[1].split()) for line in text.splitlines()
                  if line.startswith("flags")), set())
    vector = [f for f in ("sse4_2", "avx", "avx2", "fma", "avx512f", "avx512dq", "avx512vl")
              if f in flags]
    return f"{model}; vector extensions: {' '.join(vector) or 'none reported'}"


def memory_bandwidth() -> float:
    """Bytes per second of a large copy (read + write), median of 5, measured now: the ceiling
    of any kernel that streams its points from memory."""
    import numpy as np

    a = np.ones(16_000_000)
    b = np.empty_like(a)
    np.copyto(b, a)
    times = []
    for _ in range(5):
        t0 = time.perf_counter()  # a copy is memory-bound: wall time is its cost
        np.copyto(b, a)
        times.append(time.perf_counter() - t0)
    return 2 * a.nbytes / statistics.median(times)


def machine_summary() -> str:
    """The lines printed above the tables: CPU and vector extensions, threads, load, bandwidth."""
    try:
        load = " ".join(f"{v:.2f}" for v in os.getloadavg())
    except OSError:
        load = "unknown"
    cores = os.cpu_count()
    return "\n".join([
        f"CPU: {_cpu_flags()}; {cores} logical cores",
        f"threads per contender: {os.environ.get('OMP_NUM_THREADS', '?')} (OpenMP, OpenBLAS, MKL, "
        "numexpr, numba, XLA pinned); times are CPU time (all threads of the process), "
        "medians of repeats, first call and warm call apart",
        f"load average at start: {load} (a loaded machine makes every time noisier)",
        f"memory bandwidth (a 128 MB copy, measured in this run): {memory_bandwidth() / 1e9:.1f} GB/s",
    ])


def cpu_times(fn: Callable[[], object], *, repeat: int = 5) -> tuple[float, float]:
    """(first call, median of ``repeat`` warm calls) in CPU seconds of this process."""
    t0 = time.process_time()
    fn()
    first = time.process_time() - t0
    warm = []
    for _ in range(repeat):
        t0 = time.process_time()
        fn()
        warm.append(time.process_time() - t0)
    return first, statistics.median(warm)


@dataclass
class Table:
    """One table of results: a title, column names, rows and notes printed below."""

    title: str
    columns: Sequence[str]
    rows: list[Sequence[object]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def render(self) -> str:
        cells = [[str(c) for c in self.columns]] + [[_cell(v) for v in row] for row in self.rows]
        widths = [max(len(r[i]) for r in cells) for i in range(len(self.columns))]
        line = lambda r: "| " + " | ".join(v.ljust(w) for v, w in zip(r, widths)) + " |"  # noqa: E731
        out = [f"## {self.title}", "", line(cells[0]),
               "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
        out += [line(r) for r in cells[1:]]
        out += [""] + self.notes if self.notes else []
        return "\n".join(out)


def _cell(v: object) -> str:
    if isinstance(v, float):
        return f"{v:.3g}"
    return str(v)


def best_time(fn: Callable[[], object], *, repeat: int = 3, number: int = 1) -> float:
    """The median of ``repeat`` timings of ``number`` calls, in CPU seconds per call (CPU time
    counts every thread, so a contender using more cores than the others pays for them)."""
    times = []
    for _ in range(repeat):
        t0 = time.process_time()
        for _ in range(number):
            fn()
        times.append((time.process_time() - t0) / number)
    return statistics.median(times)


def _child(conn, fn, args):  # pragma: no cover - runs in a subprocess
    try:
        t0 = time.process_time()
        result = fn(*args)
        conn.send(("ok", time.process_time() - t0, result))
    except BaseException as exc:  # noqa: BLE001
        conn.send(("error", 0.0, f"{type(exc).__name__}: {exc}"))


def run_with_limit(fn: Callable, args: tuple = (), *, limit: float) -> tuple[str, float, object]:
    """Run ``fn(*args)`` in a subprocess, killed after ``limit`` seconds.

    Returns ``(status, seconds, result)`` with status "ok", "timeout" or "error"; seconds are
    the child's CPU time (the limit itself is wall time).
    ``fn`` and its result must be picklable (a module-level function).
    """
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(child, fn, args))
    t0 = time.perf_counter()
    proc.start()
    if parent.poll(limit):
        status, seconds, result = parent.recv()
        proc.join()
        return status, seconds, result
    proc.kill()
    proc.join()
    return "timeout", time.perf_counter() - t0, None


def geometric_mean(values: Sequence[float]) -> float:
    values = [v for v in values if v > 0 and math.isfinite(v)]
    return math.exp(statistics.fmean(math.log(v) for v in values)) if values else float("nan")


def fmt_time(seconds: float | None) -> str:
    if seconds is None or not math.isfinite(seconds):
        return "-"
    if seconds < 1e-3:
        return f"{seconds * 1e6:.0f} µs"
    if seconds < 1:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds:.2f} s"


def fmt_ratio(ratio: float | None) -> str:
    if ratio is None or not math.isfinite(ratio):
        return "-"
    return f"{ratio:.1f}×" if ratio < 100 else f"{ratio:.0f}×"
