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
    return [rates, timing, detail, check_timing(quick)]


def check_timing(quick: bool) -> Table:
    """The homework checker's time: each 2-D claim of corpus.CLAIMS checked twice (the second
    call, warm, reuses the correct integral derived by the first), and the correct claim of
    each 3-D problem checked once with every cache emptied first."""
    import time

    from sympy.core.cache import clear_cache

    import symjac as sj
    from symjac.jacobian import clear_cache as clear_symjac_cache

    first, warm = [], []
    for k, claim, _ in corpus.CLAIMS:
        if _dimension(corpus.PROBLEMS[k]) != 2:
            continue
        integral, region, t = corpus.inputs(corpus.PROBLEMS[k], "text")
        for times in (first, warm):
            t0 = time.perf_counter()
            sj.check_substitution(integral, claim, t, region=region)
            times.append(time.perf_counter() - t0)
    solids = [p for p in (corpus.PROBLEMS[::5] if quick else corpus.PROBLEMS) if _dimension(p) == 3]
    slowest, name = 0.0, "-"
    for p in solids:
        integral, region, t = corpus.inputs(p, "text")
        claim = sj.change_variables(integral, t, region=region, evaluate=False).as_integral()
        clear_symjac_cache()
        clear_cache()
        t0 = time.perf_counter()
        sj.check_substitution(integral, claim, t, region=region)
        if time.perf_counter() - t0 > slowest:
            slowest, name = time.perf_counter() - t0, p[0]
    table = Table("The homework checker (check_substitution), wall time",
                  ["2-D claims", "median first check", "median warm check", "3-D problems",
                   "slowest 3-D check", "slowest case"])
    table.rows.append((len(first), f"{statistics.median(first):.3f} s" if first else "-",
                       f"{statistics.median(warm):.3f} s" if warm else "-", len(solids),
                       f"{slowest:.2f} s", name))
    table.notes.append("Goals: a warm 2-D check under 0.1 s, every 3-D check under 10 s. A 3-D check "
                       "is the correct changed integral claimed, checked on a fresh cache.")
    return table
