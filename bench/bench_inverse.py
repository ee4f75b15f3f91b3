"""Inverting substitutions: symjac's ``invert`` against plain ``sympy.solve(..., dict=True)``.

For each map: the time, how many solutions or branches come back, and how many
of them are real and valid on the domain (they map random points of the
domain's image back to the points they came from). "covers" says whether the
valid ones together account for every sampled point of the domain. Times are CPU seconds of
the forked process doing the work. ``--quick`` runs one representative map (polar coordinates)
with the same columns; the full run has them all.
"""

from __future__ import annotations

import time
import warnings

import numpy as np
import sympy as sp

import symjac  # noqa: F401 - imported before the timed runs fork
from bench.common import Table, fmt_ratio, fmt_time, geometric_mean, run_with_limit

TITLE = "Inverting substitutions: symjac.invert vs sympy.solve"

#: (name, equations or system name, domain, options)
CASES: list[tuple[str, str, str | None, dict]] = [
    ("u=x²/y, v=y²/x (x,y>0)", "u = x**2/y, v = y**2/x", "x > 0, y > 0", {}),
    ("u=x+y, v=x−y", "u = x + y, v = x - y", None, {}),
    ("u=xy, v=y/x² (x,y>0)", "u = x*y, v = y/x**2", "x > 0, y > 0", {}),
    ("triangle x=u−uv, y=uv", "x = u - u*v, y = u*v", "u > 0, 0 < v < 1", {}),
    ("u=x+y, v=y/(x+y)", "u = x + y, v = y/(x + y)", "x > 0, y > 0", {}),
    ("polar", "system:polar", None, {}),
    ("cylindrical", "system:cylindrical", None, {}),
    ("spherical (physics)", "system:spherical", None, {"convention": "physics"}),
    ("spherical (math)", "system:spherical", None, {"convention": "math"}),
    ("hyperspherical n=4", "system:hyperspherical", None, {"n": 4}),
    ("Box–Muller", "z1 = sqrt(-2*log(u1))*cos(2*pi*u2), z2 = sqrt(-2*log(u1))*sin(2*pi*u2)",
     "0 < u1 < 1, 0 < u2 < 1", {}),
    ("u=x² (two branches)", "u = x**2", None, {}),
    ("u=eˣ", "u = exp(x)", None, {}),
    ("affine, symbolic", "u = a*x + b*y, v = c*x + d*y", None, {"inputs": "x y"}),
    ("u=x², v=y² (four branches)", "u = x**2, v = y**2", None, {}),
    ("u=x³ (real cube root)", "u = x**3", None, {}),
    ("u=xy, v=y/x² (whole plane)", "u = x*y, v = y/x**2", None, {}),
    ("u=x+y, y=uv (relations)", "u = x + y, y = u*v", "x > 0, y > 0", {"inputs": "x y"}),
]


#: The one map of ``--quick``.
QUICK_CASE = "polar"


def _transform(index: int):
    from symjac import Transform, system

    _, eqs, domain, options = CASES[index]
    if eqs.startswith("system:"):
        return system(eqs.split(":", 1)[1], **options)
    return Transform.from_equations(eqs, domain=domain, **options)


def _valid(t, solutions: list[dict], seed: int = 0) -> tuple[int, bool]:
    """How many solutions are real and valid on the domain, and whether together
    they map every sampled point back."""
    from symjac.domains.signs import sample_points

    syms = t.inputs + t.parameters
    pts = sample_points(syms, t.domain, 60, rng=np.random.default_rng(seed))
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        forward = sp.lambdify(syms, list(t.exprs), modules=["scipy", "numpy"])
        Y = np.stack([np.broadcast_to(np.asarray(v, dtype=float), (len(pts),))
                      for v in forward(*pts.T)], axis=1)
        args = np.concatenate([Y, pts[:, len(t.inputs):]], axis=1).T.astype(complex)
        X = pts[:, :len(t.inputs)]
        covered = np.zeros(len(pts), bool)
        count = 0
        for sol in solutions:
            if not all(x in sol for x in t.inputs):
                continue
            f = sp.lambdify(t.outputs + t.parameters, [sol[x] for x in t.inputs],
                            modules=["scipy", "numpy"])
            Xs = None
            for a in (args, args.real):  # atan2 takes real arguments only
                try:
                    Xs = np.stack([np.broadcast_to(np.asarray(v, dtype=complex), (len(pts),))
                                   for v in f(*a)], axis=1)
                    break
                except Exception:  # noqa: BLE001 - a formula numpy cannot evaluate is not valid
                    continue
            if Xs is None:
                continue
            ok = np.all(np.abs(Xs - X) <= 1e-6 * (1 + np.abs(X)), axis=1)
            count += bool(ok.any())
            covered |= ok
    return count, bool(covered.all())


def _symjac(index: int) -> tuple[int, int, bool]:
    from symjac import inversion

    t = _transform(index)
    t0 = time.process_time()
    inv = inversion(t, timeout=60)
    elapsed = time.process_time() - t0
    sols = [{x: e.xreplace({s: o for s in b.transform.inputs for o in t.outputs if s.name == o.name})
             for x, e in zip(t.inputs, b.transform.exprs)} for b in inv.branches]
    valid, covers = _valid(t, sols)
    return elapsed, len(inv.branches), valid, covers


def _sympy(index: int) -> tuple[int, int, bool]:
    t = _transform(index)
    eqs = [sp.Eq(o, e) for o, e in zip(t.outputs, t.exprs)]
    t0 = time.process_time()
    sols = sp.solve(eqs, list(t.inputs), dict=True)
    elapsed = time.process_time() - t0
    valid, covers = _valid(t, sols)
    return elapsed, len(sols), valid, covers


def _cell(status: str, seconds: float, result) -> tuple[str, str, str, float | None]:
    if status == "timeout":
        return f"> {seconds:.0f} s (stopped)", "-", "-", None
    if status == "error":
        return "-", "error", str(result)[:40], None
    elapsed, n, valid, covers = result
    return fmt_time(elapsed), str(n), f"{valid}{' (covers)' if covers else ''}", elapsed


def run(quick: bool) -> list[Table]:
    limit = 20.0 if quick else 60.0
    table = Table(TITLE, ["map", "symjac time", "branches", "real & valid",
                          "sympy.solve time", "solutions", "real & valid ", "time ratio"])
    ratios = []
    chosen = [i for i, case in enumerate(CASES) if not quick or case[0] == QUICK_CASE]
    for i in chosen:
        name = CASES[i][0]
        s_status, s_time, s_result = run_with_limit(_symjac, (i,), limit=limit)
        p_status, p_time, p_result = run_with_limit(_sympy, (i,), limit=limit)
        a = _cell(s_status, s_time, s_result)
        b = _cell(p_status, p_time, p_result)
        ratio = b[3] / a[3] if a[3] and b[3] else None
        if ratio is not None:
            ratios.append(ratio)
        table.rows.append([name, a[0], a[1], a[2], b[0], b[1], b[2], fmt_ratio(ratio)])
    table.notes.append(
        f"time ratio = sympy.solve time / symjac time (geometric mean {fmt_ratio(geometric_mean(ratios))}); "
        "symjac's time includes finding each branch's domain, its Jacobian determinant and the "
        "round-trip certificate. 'real & valid' counts formulas that map random points of the "
        "domain's image back to the points they came from; '(covers)' means together they do so "
        f"for every sampled point. Each run is stopped after {limit:.0f} s.")
    return [table]
