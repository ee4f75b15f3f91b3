"""Homework checks of a change of variables: symjac against SymPy integrating the Cartesian integral.

One symjac check = derive the transformed integral (Jacobian, inverse, new
region), find its exact value, and integrate both sides numerically to judge
the claimed answer. The alternative a user has is to ask SymPy for the value
of the original Cartesian integral directly (with a time limit). ``--quick`` runs one
representative case (the parabolas of the design note) with the same columns.
"""

from __future__ import annotations

import statistics
import time

from bench.common import Table, fmt_ratio, fmt_time, run_with_limit

TITLE = "Change of variables in integrals: one homework check"

PARABOLAS = "1 <= x**2/y <= 4, 2 <= y**2/x <= 3, x > 0, y > 0"

# name: (dimension, original, region, map (equations or system), claim, Cartesian integral for SymPy)
CASES = {
    "parabolas, u = x²/y, v = y²/x": (
        2, "x*y", PARABOLAS, "u = x**2/y, v = y**2/x", "Integral(u*v/3, (u, 1, 4), (v, 2, 3))",
        "Integral(x*y, (x, Max(sqrt(y), y**2/3), Min(2*sqrt(y), y**2/2)), (y, 2**(2/3), 6**(2/3)))"),
    "disk, polar": (
        2, "Integral(x**2 + y**2, (y, -sqrt(1 - x**2), sqrt(1 - x**2)), (x, -1, 1))", None, "polar",
        "Integral(r**3, (r, 0, 1), (theta, 0, 2*pi))",
        "Integral(x**2 + y**2, (y, -sqrt(1 - x**2), sqrt(1 - x**2)), (x, -1, 1))"),
    "sector, polar": (
        2, "x", "x**2 + y**2 <= 4, 0 <= y, y <= x", "polar",
        "Integral(r**2*cos(theta), (r, 0, 2), (theta, 0, pi/4))",
        "Integral(x, (x, y, sqrt(4 - y**2)), (y, 0, sqrt(2)))"),
    "Gaussian, polar": (
        2, "exp(-x**2 - y**2)", "", "polar", "Integral(r*exp(-r**2), (r, 0, oo), (theta, 0, 2*pi))",
        "Integral(exp(-x**2 - y**2), (x, -oo, oo), (y, -oo, oo))"),
    "rotated rectangle, u = x + y, v = x - y": (
        2, "(x + y)**2*exp(x - y)", "0 <= x + y <= 2, 0 <= x - y <= 1", "u = x + y, v = x - y",
        "Integral(u**2*exp(v)/2, (u, 0, 2), (v, 0, 1))",
        "Integral((x + y)**2*exp(x - y), (x, Max(-y, y), Min(2 - y, y + 1)), (y, -1/2, 1))"),
    "ball, spherical": (
        3, "x**2 + y**2 + z**2", "x**2 + y**2 + z**2 <= 1", "spherical",
        "Integral(r**4*sin(theta), (r, 0, 1), (theta, 0, pi), (phi, 0, 2*pi))",
        "Integral(x**2 + y**2 + z**2, (z, -sqrt(1 - x**2 - y**2), sqrt(1 - x**2 - y**2)), "
        "(y, -sqrt(1 - x**2), sqrt(1 - x**2)), (x, -1, 1))"),
    "cone, cylindrical": (
        3, "z_", "sqrt(x**2 + y**2) <= z_, z_ <= 1", "cylindrical",
        "Integral(r*z, (z, r, 1), (r, 0, 1), (theta, 0, 2*pi))",
        "Integral(z_, (z_, sqrt(x**2 + y**2), 1), (y, -sqrt(1 - x**2), sqrt(1 - x**2)), (x, -1, 1))"),
}

LIMIT = 20.0  # seconds allowed to each run
QUICK_CASE = "parabolas, u = x²/y, v = y²/x"


def _transform(spec: str):
    from symjac import Transform, system

    if "=" in spec:
        return Transform.from_equations(spec)
    return system(spec)


def symjac_check(name: str) -> tuple[str, float]:
    """Transform, exact value, and the checker's numeric verification of both sides.

    Returns the verdict and value, and the CPU seconds the work took.
    """
    from symjac import check_substitution

    start = time.process_time()
    _, original, region, spec, claim, _ = CASES[name]
    t = _transform(spec)
    if region is not None:
        original = (original, region)
    report = check_substitution(original, claim, t)
    value = report.expected.doit()
    return f"{report.verdict}, value {value}", time.process_time() - start


def sympy_direct(name: str) -> tuple[str, float]:
    """What a user would do instead: SymPy integrates the Cartesian integral."""
    import sympy as sp

    from symjac.parsing import parse_expression

    start = time.process_time()
    integral = parse_expression(CASES[name][5])
    value = sp.simplify(integral.doit())
    text = "unevaluated" if value.has(sp.Integral) else sp.sstr(value)
    return text, time.process_time() - start


def _median_time(fn, name: str, repeat: int) -> tuple[str, float, str]:
    """Median CPU seconds of ``repeat`` fresh runs (each a fork, killed after LIMIT wall seconds)."""
    times, result, status = [], "", "ok"
    for _ in range(repeat):
        status, seconds, result = run_with_limit(fn, (name,), limit=LIMIT)
        if status != "ok":
            return status, seconds, str(result or status)
        text, cpu = result
        times.append(cpu)
    return status, statistics.median(times), text


def _warm_up() -> None:
    """Import symjac, SciPy and SymPy's integration code once in this process, so that each
    timed run (a fork of it) measures the work, not the imports; no case is run here."""
    import sympy as sp

    import symjac  # noqa: F401
    from symjac import change_variables

    change_variables("Integral(x, (x, 0, 1), (y, 0, 1))", _transform("x = a + b, y = a - b"),
                     timeout=LIMIT)
    sp.integrate(sp.Symbol("t") ** 2, (sp.Symbol("t"), 0, 1))


def run(quick: bool) -> list[Table]:
    repeat = 1 if quick else 3
    _warm_up()
    table = Table(TITLE, ["case", "dim", "symjac check", "verdict and value", "SymPy direct",
                          "SymPy result", "SymPy / symjac"])
    two_d: list[float] = []
    for name, (dim, *_rest) in CASES.items():
        if quick and name != QUICK_CASE:
            continue
        status, ours, verdict = _median_time(symjac_check, name, repeat)
        s_status, theirs, value = _median_time(sympy_direct, name, 1)
        if status == "ok" and dim == 2:
            two_d.append(ours)
        shown_theirs = fmt_time(theirs) if s_status == "ok" else f"> {LIMIT:.0f} s ({s_status})"
        ratio = theirs / ours if status == "ok" and s_status == "ok" else None
        if s_status == "timeout" and status == "ok":
            ratio_text = f"> {fmt_ratio(LIMIT / ours)}"
        else:
            ratio_text = fmt_ratio(ratio)
        table.rows.append([name, dim, fmt_time(ours) if status == "ok" else status,
                           verdict if status == "ok" else verdict[:60], shown_theirs,
                           value[:40] if s_status == "ok" else "-", ratio_text])
    if two_d:
        median = statistics.median(two_d)
        table.notes.append(f"Median 2-D check: {fmt_time(median)} (target: under 1 s). "
                           f"Times are CPU seconds, the median of {repeat} fresh runs in a "
                           f"subprocess (the machine is shared, so wall time would measure the "
                           f"neighbours); each run is killed after {LIMIT:.0f} s of wall time.")
    table.notes.append("A symjac check derives the new integral (Jacobian, inverse, region), finds "
                       "its exact value, and integrates the original and the claimed integral "
                       "numerically; SymPy direct only asks for the value of the original.")
    return [table]
