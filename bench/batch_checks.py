"""Batch throughput on the README's flagship check: ``python -m bench.batch_checks [N]``.

Writes ``N`` submissions (default 200) of the check ``u = x**2/y, v = y**2/x`` (correct
answers and the usual mistakes) to a JSON-lines file, then times a plain loop of
``check_substitution`` against ``check_many`` with 1 and 2 worker processes.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

REGION = "1 <= x**2/y <= 4, 2 <= y**2/x <= 3, x > 0, y > 0"
SUB = "u = x**2/y, v = y**2/x"
CLAIMS = [
    "Integral(u*v/3, (u, 1, 4), (v, 2, 3))",   # correct
    "Integral(3*u*v, (u, 1, 4), (v, 2, 3))",   # the Jacobian upside down
    "Integral(u*v, (u, 1, 4), (v, 2, 3))",     # no Jacobian factor
    "Integral(u*v/3, (u, 1, 2), (v, 2, 3))",   # wrong bounds
    "Integral(u*v/3, (u, 1, 4), (v, 2, 3))",   # correct
]


def submissions(n: int) -> list[dict]:
    return [{"id": i, "original": "x*y", "region": REGION, "sub": SUB,
             "claimed": CLAIMS[i % len(CLAIMS)]} for i in range(n)]


def write(path: Path, n: int) -> Path:
    path.write_text("".join(json.dumps(s) + "\n" for s in submissions(n)), encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    from symjac.integrals.batch import check_many, check_one

    n = int((argv or sys.argv[1:] or ["200"])[0])
    subs = submissions(n)
    rows = []
    start = time.perf_counter()
    plain = [check_one(s, 60) for s in subs]
    loop = time.perf_counter() - start
    rows.append(("plain loop (in process)", loop))
    for jobs in (1, 2):
        start = time.perf_counter()
        out = check_many(subs, jobs=jobs, timeout=60)
        rows.append((f"check_many, {jobs} worker(s)", time.perf_counter() - start))
        assert [r["verdict"] for r in out] == [r["verdict"] for r in plain]
    print(f"# batch checks: {n} submissions of the flagship check\n")
    print("| run | seconds | checks/s | overhead per item vs the loop |\n|---|---|---|---|")
    for name, seconds in rows:
        print(f"| {name} | {seconds:.1f} | {n / seconds:.1f} | {(seconds - loop) / n * 1000:+.0f} ms |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
