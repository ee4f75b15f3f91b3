"""The textbook corpus (tests/corpus.py) in every input form: outcome and time per case.

Each case is one ``change_variables`` call (Jacobian, fundamental domain, inverse, new
region, exact value and the numeric check of old against new). The pass rate per input
form must be the same, no case may return a value that disagrees with the published one,
and a 2-D case should take under 2 s and a 3-D one under 10 s. ``--quick`` takes every 40th
problem (a two-, a three- and a one-dimensional one) in every form.
"""

from __future__ import annotations

import collections
import statistics
import sys
from pathlib import Path

from bench.common import Table

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import corpus  # noqa: E402

TITLE = "The textbook corpus in every input form"


def _dimension(problem: tuple) -> int:
    chart = problem[4]
    if chart in ("cylindrical", "spherical"):
        return 3
    if chart == "polar":
        return 2
    return len([e for e in chart[0].split(",") if e.strip()])


def run(quick: bool) -> list[Table]:
    problems = corpus.PROBLEMS[::40] if quick else corpus.PROBLEMS
    outcomes: dict[str, collections.Counter] = {f: collections.Counter() for f in corpus.FORMS}
    times: dict[int, list[float]] = {1: [], 2: [], 3: []}
    detail = Table("Cases that did not give the published value exactly", ["problem", "form",
                                                                          "outcome", "time", "detail"])
    for p in problems:
        for form in corpus.FORMS:
            outcome, seconds, text = corpus.run(p, form)
            outcomes[form][outcome] += 1
            times[_dimension(p)].append(seconds)
            if outcome != "exact":
                detail.rows.append((p[0], form, outcome, f"{seconds:.2f} s", text[:90]))
    n = len(problems)
    rates = Table(TITLE, ["form", "exact", "numeric", "refused / undecided", "WRONG", "pass rate"])
    for form, c in outcomes.items():
        rates.rows.append((form, c["exact"], c["numeric"], c["refused"], c["WRONG"],
                           f"{(c['exact'] + c['numeric']) / n:.0%}"))
    timing = Table("Time per change_variables call", ["dimension", "cases", "median", "worst"])
    for dim, ts in times.items():
        if ts:
            timing.rows.append((dim, len(ts), f"{statistics.median(ts):.2f} s", f"{max(ts):.2f} s"))
    return [rates, timing, detail]
