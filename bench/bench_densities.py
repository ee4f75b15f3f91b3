"""Densities of transformed random variables: symjac against ``sympy.stats.density``.

For each textbook case both tools get the same problem. A result counts as
correct when it equals the known closed form at points inside the support
(to 1e-8) and is 0 at a point outside it; "support" says whether the result
is 0 outside the support at all; "closed form" that no integral, Meijer-G or
infinity is left in it. Each run is time-limited in a subprocess.
"""

from __future__ import annotations

import math
import time

import numpy as np
import sympy as sp
from sympy import stats  # imported here so that the timed subprocesses do not pay for imports
import sympy.physics.units  # noqa: F401  (sympy.simplify imports it on its first full run)

import symjac

from .common import Table, fmt_ratio, fmt_time, geometric_mean, run_with_limit

TITLE = "Densities under a change of variables (symjac.transform_density vs sympy.stats.density)"

LIMIT = 60.0


def _truth(case: str):
    """(variables, closed form inside the support, points inside, point outside or None)."""
    y, u, v = sp.symbols("y u v", real=True)
    pi = sp.pi
    table = {
        "X² (X ~ N(0,1)) → χ²₁": ((y,), sp.exp(-y / 2) / sp.sqrt(2 * pi * y), [(0.3,), (2.0,)], (-1.0,)),
        "|X| → half-normal": ((y,), sp.sqrt(2 / pi) * sp.exp(-y ** 2 / 2), [(0.3,), (1.7,)], (-1.0,)),
        "e^X → log-normal": ((y,), sp.exp(-sp.log(y) ** 2 / 2) / (y * sp.sqrt(2 * pi)),
                             [(0.5,), (2.0,)], (-1.0,)),
        "2X + 1 → N(1, 2²)": ((y,), sp.exp(-(y - 1) ** 2 / 8) / (2 * sp.sqrt(2 * pi)),
                               [(0.0,), (2.5,)], None),
        "−2 log U → Exp(1/2)": ((y,), sp.exp(-y / 2) / 2, [(0.5,), (3.0,)], (-1.0,)),
        "U² → one branch on (0,1)": ((y,), 1 / (2 * sp.sqrt(y)), [(0.2,), (0.8,)], (1.5,)),
        "−log U → Exp(1)": ((y,), sp.exp(-y), [(0.5,), (3.0,)], (-1.0,)),
        "X1 + X2 (Exp(2)) → Gamma(2, 2)": ((y,), 4 * y * sp.exp(-2 * y), [(0.5,), (2.0,)], (-1.0,)),
        "U1 + U2 → triangular": ((y,), sp.Piecewise((y, y < 1), (2 - y, True)), [(0.4,), (1.5,)], (2.5,)),
        "X1/X2 (N(0,1)) → Cauchy": ((y,), 1 / (pi * (1 + y ** 2)), [(0.0,), (1.5,)], None),
        "X/(X+Y) (Gamma(2), Gamma(3)) → Beta(2, 3)": ((u,), 12 * u * (1 - u) ** 2, [(0.3,), (0.7,)],
                                                     (1.5,)),
        "sin X (X ~ U(0, 2π)) → arcsine": ((y,), 1 / (pi * sp.sqrt(1 - y ** 2)), [(-0.5,), (0.8,)],
                                           (1.5,)),
        # U(-1, 1) through x^3 - x: three branches where |y| < 2/(3 sqrt 3); values from the
        # roots of x^3 - x - y by numpy.roots, sum of (1/2)/|3x^2 - 1|
        "X³ − X (X ~ U(-1,1)) → 3 branches": ((y,), None, [(-0.2,), (0.1,), (0.3,)], (0.5,)),
        "X1 + X2 + X3 (Exp(1)) → Gamma(3, 1)": ((y,), y ** 2 * sp.exp(-y) / 2, [(0.5,), (2.0,)],
                                                (-1.0,)),
    }
    return table[case]


def _symjac_problem(case: str):
    T = symjac.Transform.from_equations
    phi = "exp(-x**2/2)/sqrt(2*pi)"
    return {
        "X² (X ~ N(0,1)) → χ²₁": (phi, T("y = x**2"), None),
        "|X| → half-normal": (phi, T("y = Abs(x)"), None),
        "e^X → log-normal": (phi, T("y = exp(x)"), None),
        "2X + 1 → N(1, 2²)": (phi, T("y = 2*x + 1"), None),
        "−2 log U → Exp(1/2)": ("1", T("y = -2*log(u)"), "0 < u < 1"),
        "U² → one branch on (0,1)": ("1", T("y = u**2"), "0 < u < 1"),
        "−log U → Exp(1)": ("1", T("y = -log(u)"), "0 < u < 1"),
        "X1 + X2 (Exp(2)) → Gamma(2, 2)": ("4*exp(-2*(x1 + x2))", T("y = x1 + x2"), "x1 > 0, x2 > 0"),
        "U1 + U2 → triangular": ("1", T("y = u1 + u2"), "0 < u1 < 1, 0 < u2 < 1"),
        "X1/X2 (N(0,1)) → Cauchy": ("exp(-(x1**2 + x2**2)/2)/(2*pi)", T("y = x1/x2"), None),
        "X/(X+Y) (Gamma(2), Gamma(3)) → Beta(2, 3)": ("x*y**2*exp(-x - y)/2",
                                                     T("u = x/(x + y)", inputs="x y"), "x > 0, y > 0"),
        "sin X (X ~ U(0, 2π)) → arcsine": ("1/(2*pi)", T("y = sin(x)"), "0 < x < 2*pi"),
        "X³ − X (X ~ U(-1,1)) → 3 branches": ("1/2", T("y = x**3 - x"), "-1 < x < 1"),
        "X1 + X2 + X3 (Exp(1)) → Gamma(3, 1)": ("exp(-x1 - x2 - x3)", T("y = x1 + x2 + x3"),
                                                "x1 > 0, x2 > 0, x3 > 0"),
    }[case]


def _sympy_problem(case: str):
    N = lambda name: stats.Normal(name, 0, 1)  # noqa: E731
    U = lambda name: stats.Uniform(name, 0, 1)  # noqa: E731
    E = lambda name: stats.Exponential(name, 2)  # noqa: E731
    G = lambda name, k: stats.Gamma(name, k, 1)  # noqa: E731
    if case == "X² (X ~ N(0,1)) → χ²₁":
        return N("x") ** 2
    if case == "|X| → half-normal":
        return sp.Abs(N("x"))
    if case == "e^X → log-normal":
        return sp.exp(N("x"))
    if case == "2X + 1 → N(1, 2²)":
        return 2 * N("x") + 1
    if case == "−2 log U → Exp(1/2)":
        return -2 * sp.log(U("u"))
    if case == "U² → one branch on (0,1)":
        return U("u") ** 2
    if case == "−log U → Exp(1)":
        return -sp.log(U("u"))
    if case == "X1 + X2 (Exp(2)) → Gamma(2, 2)":
        return E("x1") + E("x2")
    if case == "U1 + U2 → triangular":
        return U("u1") + U("u2")
    if case == "X1/X2 (N(0,1)) → Cauchy":
        return N("x1") / N("x2")
    if case == "sin X (X ~ U(0, 2π)) → arcsine":
        return sp.sin(stats.Uniform("x", 0, 2 * sp.pi))
    if case == "X³ − X (X ~ U(-1,1)) → 3 branches":
        x = stats.Uniform("x", -1, 1)
        return x ** 3 - x
    if case == "X1 + X2 + X3 (Exp(1)) → Gamma(3, 1)":
        return stats.Exponential("x1", 1) + stats.Exponential("x2", 1) + stats.Exponential("x3", 1)
    x, yv = G("x", 2), G("y", 3)
    return x / (x + yv)


CASES = ["X² (X ~ N(0,1)) → χ²₁", "|X| → half-normal", "e^X → log-normal", "2X + 1 → N(1, 2²)",
         "−2 log U → Exp(1/2)", "U² → one branch on (0,1)", "−log U → Exp(1)",
         "X1 + X2 (Exp(2)) → Gamma(2, 2)", "U1 + U2 → triangular", "X1/X2 (N(0,1)) → Cauchy",
         "X/(X+Y) (Gamma(2), Gamma(3)) → Beta(2, 3)", "sin X (X ~ U(0, 2π)) → arcsine",
         "X³ − X (X ~ U(-1,1)) → 3 branches", "X1 + X2 + X3 (Exp(1)) → Gamma(3, 1)"]


def _cubic_truth(y: float) -> float:
    roots = np.roots([1.0, 0.0, -1.0, -y])
    real = roots[np.abs(roots.imag) < 1e-9].real
    return float(sum(0.5 / abs(3 * x * x - 1) for x in real if -1 < x < 1))


def _grade(expr: sp.Expr, var: sp.Symbol, case: str) -> tuple[bool, str, bool]:
    """(correct, support, closed form) of a result in the variable ``var``."""
    (t,), truth, inside, outside = _truth(case)
    closed = not expr.has(sp.Integral, sp.meijerg, sp.oo, sp.zoo, sp.nan)
    ok = True
    for (p,) in inside:
        try:
            got = complex(sp.N(expr.subs(var, p), 20))
            want = complex(sp.N(truth.subs(t, p), 20)) if truth is not None else _cubic_truth(p)
        except (TypeError, ValueError, ZeroDivisionError):
            ok = False
            break
        if not (math.isfinite(abs(got)) and abs(got - want) <= 1e-8 * max(1.0, abs(want))):
            ok = False
    support = "n/a"
    if outside is not None:
        try:
            at = complex(sp.N(expr.subs(var, outside[0]), 20))
            zero = at == 0
        except (TypeError, ValueError, ZeroDivisionError):
            zero = False
        support = "yes" if zero else "no"
        ok = ok and zero
    return ok, support, closed


def _run_symjac(case: str):
    pdf, t, support = _symjac_problem(case)
    t0 = time.process_time()
    d = symjac.transform_density(pdf, t, support=support)
    seconds = time.process_time() - t0
    var = d.variables[0]
    return _grade(d.pdf, var, case) + (d.family.caption if d.family else "-", seconds)


def _run_sympy(case: str):
    z = sp.Symbol("z", real=True)
    problem = _sympy_problem(case)
    t0 = time.process_time()
    expr = sp.sympify(stats.density(problem)(z))
    seconds = time.process_time() - t0
    return _grade(expr, z, case) + ("-", seconds)


def _cell(status: str, result, correct_index: int = 0) -> tuple[str, str, str]:
    if status != "ok":
        return (status if status == "timeout" else "error", "-", "-")
    ok, support, closed = result[:3]
    return ("yes" if ok else "no", support, "yes" if closed else "no")


def _warm_up() -> None:
    """One small problem for each tool, so that one-time set-up is not timed."""
    symjac.transform_density("1", symjac.Transform.from_equations("y = 3*u + 1"), support="0 < u < 1")
    stats.density(3 * stats.Uniform("u", 0, 1) + 1)(sp.Symbol("z"))


# one old variable: the cases where sympy.stats answers in a fraction of a second
EASY = [c for c in CASES if len(_symjac_problem(c)[1].inputs) == 1]
# --quick (make bench): two branches, a monotone map of the line, a support, a bounded support
QUICK = ["X² (X ~ N(0,1)) → χ²₁", "e^X → log-normal", "−log U → Exp(1)", "U² → one branch on (0,1)"]


def run(quick: bool) -> list[Table]:
    cases = QUICK if quick else CASES
    _warm_up()
    table = Table("Density of Y = g(X): time, correctness, support, closed form",
                  ["case", "symjac", "correct", "support", "closed form", "family",
                   "sympy.stats", "correct", "support", "closed form", "symjac / sympy.stats"])
    easy_ratios = []
    for case in cases:
        s_status, s_time, s_res = run_with_limit(_run_symjac, (case,), limit=LIMIT)
        p_status, p_time, p_res = run_with_limit(_run_sympy, (case,), limit=LIMIT)
        s_time = s_res[-1] if s_status == "ok" else s_time  # the density alone, not the grading
        p_time = p_res[-1] if p_status == "ok" else p_time
        family = s_res[3] if s_status == "ok" else "-"
        ratio = s_time / p_time if s_status == "ok" and p_status == "ok" and p_time > 0 else None
        if ratio and case in EASY:
            easy_ratios.append(ratio)
        table.rows.append([case, fmt_time(s_time) if s_status == "ok" else s_status,
                           *_cell(s_status, s_res), family,
                           fmt_time(p_time) if p_status == "ok" else p_status,
                           *_cell(p_status, p_res), fmt_ratio(ratio)])
    table.notes.append(f"Each run in its own forked subprocess after a warm-up, limit {LIMIT:.0f} s. "
                       "Times are CPU seconds for computing the density only (grading excluded); "
                       "'symjac / sympy.stats' is symjac's time over sympy.stats' where both "
                       "finished (below 1× symjac is faster).")
    table.notes.append(f"Easy cases (one old variable, {len(easy_ratios)} timed): symjac / "
                       f"sympy.stats, geometric mean {fmt_ratio(geometric_mean(easy_ratios))} "
                       "(the aim: within 2×).")
    table.notes.append("correct: equal to the textbook density at points inside the support and 0 "
                       "at a point outside it. support: n/a when the support is the whole line.")
    return [table, corpus_table()] if not quick else [table]


# ---------------------------------------------------------------------------- the textbook corpus

def _corpus():
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    import density_corpus
    import test_density_corpus as checks

    return density_corpus.PROBLEMS, checks


def _sympy_rv(name: str, spec: tuple, params: dict):
    kind, *args = spec
    a = [sp.sympify(str(v), locals={k: sp.Symbol(k, positive=True) for k in params}) for v in args]
    if kind == "norm":
        return stats.Normal(name, a[0], a[1])
    if kind == "unif":
        return stats.Uniform(name, a[0], a[1])
    if kind == "expon":
        return stats.Exponential(name, a[0])
    if kind == "gamma":
        return stats.Gamma(name, a[0], 1 / a[1])
    if kind == "chi2":
        return stats.ChiSquared(name, a[0])
    if kind == "beta":
        return stats.Beta(name, a[0], a[1])
    if kind == "cauchy":
        return stats.Cauchy(name, 0, 1)
    raise NotImplementedError(f"no sympy.stats form for {kind}")


def _sympy_corpus_expr(p):
    names = p.inputs.split()
    if p.kind == "order":
        n, k = p.order
        rvs = [_sympy_rv(f"x{i}", p.dists[0], p.params) for i in range(1, n + 1)]
        import itertools
        return rvs[0] if n == 1 else (sp.Min(*rvs) if k == 1 else sp.Max(*rvs) if k == n else
                                      sp.Min(*(sp.Max(*c) for c in itertools.combinations(rvs, k))))
    rvs = {nm: _sympy_rv(nm, spec, p.params) for nm, spec in zip(names, p.dists)}
    locs = {k: sp.Symbol(k, positive=True) for k in p.params}
    g = sp.sympify(p.map.split("=")[1], locals={**locs, **{nm: sp.Symbol(nm) for nm in names}})
    return g.xreplace({sp.Symbol(nm): rv for nm, rv in rvs.items()})


def _grade_corpus(p, checks, pdf_at, support_given: bool) -> str:
    """'right + support' / 'right, no support' / 'wrong' / 'unevaluated' for a density function."""
    v = checks._variable(p)
    truth = checks.answer(p)
    ys = checks.sample_new(p, 2000, seed=1)
    try:
        for at in np.quantile(ys, [0.2, 0.5, 0.8]):
            got = pdf_at(float(at))
            if got is None:
                return "unevaluated"
            want = float(sp.N(truth.subs(v, float(at))))
            if not (math.isfinite(got) and abs(got - want) <= 1e-7 * max(1.0, abs(want))):
                return "wrong"
        outside_zero = all(pdf_at(at) == 0 for at in p.outside)
    except (TypeError, ValueError, ZeroDivisionError, OverflowError):
        return "unevaluated"
    return "right + support" if outside_zero and support_given else "right, no support"


def _corpus_symjac(i: int):
    problems, checks = _corpus()
    p = problems[i]
    t0 = time.process_time()
    d = checks._symjac(p)
    seconds = time.process_time() - t0
    values = dict(p.params)

    def at(y: float):
        r = d.evaluate({checks._variable(p).name: y, **values})
        return r.value if r.converged else None

    return _grade_corpus(p, checks, at, d.support_known), seconds


def _corpus_sympy(i: int):
    problems, checks = _corpus()
    p = problems[i]
    if any(spec[0] == "binorm" for spec in p.dists):
        raise NotImplementedError("a correlated pair as independent sympy.stats variables")
    z = sp.Symbol("z", real=True)
    expr = _sympy_corpus_expr(p)
    t0 = time.process_time()
    dens = sp.sympify(stats.density(expr)(z))
    seconds = time.process_time() - t0
    params = {s: p.params[s.name] for s in dens.free_symbols if s.name in p.params}
    dens = dens.xreplace(params)

    def at(y: float):
        e = dens.xreplace({z: y})
        if e.has(sp.Integral, sp.meijerg):
            e = e.doit() if not e.has(sp.meijerg) else e
        value = complex(sp.N(e, 20))
        return value.real if abs(value.imag) < 1e-12 else math.nan

    return _grade_corpus(p, checks, at, True), seconds


def corpus_table(limit: float = LIMIT) -> Table:
    problems, _ = _corpus()
    outcomes = ("right + support", "right, no support", "wrong", "unevaluated", "error")
    counts = {tool: dict.fromkeys(outcomes, 0) for tool in ("symjac", "sympy.stats")}
    times: dict[str, list[float]] = {"symjac": [], "sympy.stats": []}
    easy_ratios = []
    for i, p in enumerate(problems):
        cells = {}
        for tool, fn in (("symjac", _corpus_symjac), ("sympy.stats", _corpus_sympy)):
            status, seconds, result = run_with_limit(fn, (i,), limit=limit)
            outcome = result[0] if status == "ok" else "error"
            counts[tool][outcome] += 1
            if status == "ok":
                times[tool].append(result[1])
            cells[tool] = (outcome, result[1] if status == "ok" else None)
        easy = p.kind == "map" and len(p.inputs.split()) == 1
        if easy and all(c[1] for c in cells.values()):
            easy_ratios.append(cells["symjac"][1] / cells["sympy.stats"][1])
    table = Table(f"The {len(problems)} textbook density problems (tests/density_corpus.py)",
                  ["tool", *outcomes, "median time", "total time"])
    for tool in counts:
        ts = sorted(times[tool])
        table.rows.append([tool, *(counts[tool][o] for o in outcomes),
                           fmt_time(ts[len(ts) // 2]) if ts else "-",
                           fmt_time(sum(ts)) if ts else "-"])
    table.notes.append(
        "right + support: equal to the published density at three points inside its support "
        "(1e-7) and 0 at the points outside; sympy.stats states no support, so its right "
        "answers that are 0 outside count as 'right + support' too. error: an exception or the "
        f"{limit:.0f} s limit. Easy one-variable cases: symjac time / sympy.stats time, geometric "
        f"mean {geometric_mean(easy_ratios):.2f}× over {len(easy_ratios)} cases.")
    return table
