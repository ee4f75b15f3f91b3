"""Shared pieces of the benchmarks: timing with a time limit, and the table printer."""

from __future__ import annotations

import math
import multiprocessing as mp
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

__all__ = ["Table", "best_time", "run_with_limit", "geometric_mean", "fmt_time", "fmt_ratio"]


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
    """The best of ``repeat`` timings of ``number`` calls, in seconds per call."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        for _ in range(number):
            fn()
        times.append((time.perf_counter() - t0) / number)
    return min(times)


def _child(conn, fn, args):  # pragma: no cover - runs in a subprocess
    try:
        t0 = time.perf_counter()
        result = fn(*args)
        conn.send(("ok", time.perf_counter() - t0, result))
    except BaseException as exc:  # noqa: BLE001
        conn.send(("error", 0.0, f"{type(exc).__name__}: {exc}"))


def run_with_limit(fn: Callable, args: tuple = (), *, limit: float) -> tuple[str, float, object]:
    """Run ``fn(*args)`` in a subprocess, killed after ``limit`` seconds.

    Returns ``(status, seconds, result)`` with status "ok", "timeout" or "error".
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
