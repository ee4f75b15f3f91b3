"""``symjac check --batch``: a class's submissions on the worker pool, JSON lines out in order."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from ..integrals.batch import check_many, read_submissions, summarise
from .common import ExitCode, Output, UsageError


class _Progress:
    """tqdm on stderr if it is installed, else a plain line every few items."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.start = time.monotonic()
        try:
            from tqdm import tqdm  # type: ignore[import-not-found]
        except ImportError:
            self.bar = None
        else:
            self.bar = tqdm(total=total, unit="check", file=sys.stderr)

    def __call__(self, done: int, total: int) -> None:
        if self.bar is not None:
            self.bar.update(1)
            return
        step = max(1, total // 20)
        if done % step == 0 or done == total:
            rate = done / max(time.monotonic() - self.start, 1e-9)
            width = 30
            fill = width * done // max(total, 1)
            print(f"\rchecking [{'#' * fill}{'.' * (width - fill)}] {done}/{total} "
                  f"({rate:.1f}/s)", end="\n" if done == total else "", file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def summary_table(summary: dict) -> str:
    lines = [f"{summary['total']} submissions", "", "| verdict | count |", "|---|---|"]
    lines += [f"| {v} | {n} |" for v, n in summary["verdicts"].items()]
    if summary["mistakes"]:
        lines += ["", "| mistake | count |", "|---|---|"]
        lines += [f"| {m} | {n} |" for m, n in summary["mistakes"].items()]
    return "\n".join(lines)


def run_batch(args: argparse.Namespace) -> Output:
    if args.original is not None or args.claimed is not None:
        raise UsageError("--batch reads every submission from its file; do not give ORIGINAL "
                         "or CLAIMED as well.")
    path = Path(args.batch)
    fmt = "csv" if path.suffix.lower() == ".csv" else "jsonl"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot read {args.batch!r}: {exc.strerror}.") from None
    submissions = read_submissions(text, fmt=fmt)
    if args.jobs < 1:
        raise UsageError(f"--jobs must be at least 1, got {args.jobs}.")
    progress = _Progress(len(submissions))
    try:
        results = check_many(submissions, jobs=args.jobs, timeout=args.timeout, progress=progress)
    finally:
        progress.close()
    summary = summarise(results)
    print(summary_table(summary), file=sys.stderr)
    lines = "\n".join(json.dumps(r, ensure_ascii=False) for r in results)
    all_correct = summary["verdicts"].get("correct", 0) == summary["total"]
    # with --json the whole batch is one object; by default one JSON line per submission
    return Output(lines, {"results": results, "summary": summary}, None,
                  ExitCode.OK if all_correct else ExitCode.CHECK_FAILED)
