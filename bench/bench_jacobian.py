"""Volume elements: symjac's ``volume_element`` against plain SymPy.

Plain SymPy is what a user would type: ``simplify(Matrix(F).jacobian(X).det())``.
Both run in a forked subprocess with a time limit and are timed in CPU seconds of that process
(the machine is shared, so wall time would measure the neighbours). ``--quick`` runs one
representative case (4-D hyperspherical) with the same columns; the full run has them all. Each result is checked
numerically at random points of the domain against ``|numpy.linalg.det|`` of
the Jacobian evaluated there (and, for named systems, against the literature
form), and its size is compared with ``count_ops``.
"""

from __future__ import annotations

import time

import numpy as np
import sympy as sp

from symjac.jacobian import clear_cache as clear_symjac_cache

from bench.common import Table, fmt_ratio, fmt_time, geometric_mean, run_with_limit

TITLE = "Jacobian determinants: symjac.volume_element vs simplify(Matrix(F).jacobian(X).det())"


# ---------------------------------------------------------------------- the cases


def _hyperspherical_form(n: int):
    import symjac as sj

    t = sj.system("hyperspherical", n=n)
    r, phis = t.inputs[0], t.inputs[1:]
    return r ** (n - 1) * sp.Mul(*[sp.sin(p) ** (n - 1 - k) for k, p in enumerate(phis, 1)])


def _random_polynomial_map(n: int, seed: int):
    """A sparse polynomial map R^n -> R^n: x_i plus two random degree-2 monomials each."""
    import symjac as sj

    rng = np.random.default_rng(seed)
    xs = sp.symbols(f"x1:{n + 1}", real=True)
    ys = sp.symbols(f"y1:{n + 1}", real=True)
    exprs = []
    for i in range(n):
        e = xs[i]
        for _ in range(2):
            coeff = int(rng.integers(1, 4)) * (1 if rng.random() < 0.5 else -1)
            j, k = rng.choice(n, size=2, replace=True)
            e += coeff * xs[j] * xs[k]
        exprs.append(e)
    return sj.Transform(xs, tuple(exprs), ys, name=f"random polynomial n={n}")


def _case(name: str, arg: int | None = None):
    """(transform, literature volume element or None); rebuilt in each process."""
    import symjac as sj

    if name == "x**2/y":
        t = sj.Transform.from_equations("u = x**2/y, v = y**2/x", domain="x > 0, y > 0")
        return t, sp.Integer(3)
    if name == "hyperspherical":
        return sj.system("hyperspherical", n=arg), _hyperspherical_form(arg)
    if name == "polynomial":
        return _random_polynomial_map(arg, seed=1000 + arg), None
    t = sj.system(name)
    r = t.inputs[0]
    known = {"polar": r, "cylindrical": r, "spherical": r**2 * sp.sin(t.inputs[1])}[name]
    return t, known


def _label(name: str, arg: int | None) -> str:
    if name == "polynomial":
        return f"random polynomial n={arg}"
    return name if arg is None else f"{name} n={arg}"


# ---------------------------------------------------------------------- the contenders


def _warm_up() -> None:
    """Run both contenders once on an unrelated map, so that lazy imports and
    first-call costs are paid before timing; then empty SymPy's cache so that
    every timed run starts cold."""
    import symjac as sj
    from sympy.core.cache import clear_cache

    t = sj.Transform.from_equations("p = a*b + sin(b), q = a - cos(b)**2", domain="a > 0")
    sj.volume_element(t)
    sp.simplify(sp.Matrix(t.exprs).jacobian(t.inputs).det())
    clear_symjac_cache()
    clear_cache()


def _run_symjac(name: str, arg: int | None, repeat: int):
    import symjac as sj
    from sympy.core.cache import clear_cache

    _warm_up()
    best = float("inf")
    for _ in range(repeat):
        clear_symjac_cache()  # symjac caches analyses per Transform
        clear_cache()  # and SymPy caches expressions: start cold each time
        t0 = time.process_time()
        t, _known = _case(name, arg)  # a fresh Transform each run
        vol = sj.volume_element(t, timeout=None)
        best = min(best, time.process_time() - t0)
    return best, vol


def _run_plain(name: str, arg: int | None):
    _warm_up()
    t, _known = _case(name, arg)
    t0 = time.process_time()
    det = sp.simplify(sp.Matrix(t.exprs).jacobian(t.inputs).det())
    return time.process_time() - t0, det


# ---------------------------------------------------------------------- checking


def _check(name: str, arg: int | None, exprs: list, *, points: int = 5) -> list[bool]:
    """For each expression, does |expr| equal |det J| (numpy) and the literature form?"""
    import symjac as sj
    from symjac.domains.signs import sample_points

    t, known = _case(name, arg)
    symbols = t.inputs + t.parameters
    conditions = t.domain or ()
    pts = sample_points(symbols, conditions, points, rng=np.random.default_rng(7))
    if name == "polynomial":  # keep the polynomials in a moderate range
        pts = np.random.default_rng(7).uniform(-1.5, 1.5, (points, len(symbols)))
    J = sp.lambdify(symbols, sj.jacobian(t), modules="numpy")
    reference = np.array([abs(np.linalg.det(np.asarray(J(*p), dtype=float))) for p in pts])
    if known is not None:
        k = sp.lambdify(symbols, known, modules="numpy")
        literature = np.array([abs(float(k(*p))) for p in pts])
        if not np.allclose(reference, literature, rtol=1e-8, atol=1e-12):
            raise AssertionError(f"the literature form of {name} disagrees with numpy")
    out = []
    for e in exprs:
        if e is None:
            out.append(False)
            continue
        f = sp.lambdify(symbols, e, modules="numpy")
        values = np.array([abs(complex(f(*p))) for p in pts])
        out.append(bool(np.allclose(values, reference, rtol=1e-8, atol=1e-12)))
    return out


def _cases(quick: bool) -> list[tuple[str, int | None]]:
    if quick:  # one representative case: both contenders finish, and the ratio is typical
        return [("hyperspherical", 4)]
    out: list[tuple[str, int | None]] = [("polar", None), ("cylindrical", None),
                                         ("spherical", None), ("x**2/y", None)]
    out += [("hyperspherical", n) for n in range(3, 17)]
    out += [("polynomial", n) for n in range(3, 9)]
    return out


def run(quick: bool) -> list[Table]:
    plain_limit = 10.0 if quick else 60.0
    symjac_limit = 10.0 if quick else 30.0
    repeat = 1 if quick else 3
    table = Table(
        f"volume element, time limit {plain_limit:.0f} s for plain SymPy "
        f"(CPU time; best of {repeat} cold runs for symjac, one cold run for SymPy)",
        ["case", "symjac", "plain SymPy", "speed-up", "symjac correct", "SymPy correct",
         "ops symjac", "ops SymPy"])
    ratios: list[float] = []
    lower_bounds = 0
    slower = []
    for name, arg in _cases(quick):
        label = _label(name, arg)
        s_status, s_time, s_result = run_with_limit(_run_symjac, (name, arg, repeat),
                                                     limit=symjac_limit * repeat)
        p_status, p_time, p_result = run_with_limit(_run_plain, (name, arg), limit=plain_limit)
        s_expr = s_result[1] if s_status == "ok" else None
        s_seconds = s_result[0] if s_status == "ok" else None
        p_expr = p_result[1] if p_status == "ok" else None
        p_seconds = p_result[0] if p_status == "ok" else None
        s_ok, p_ok = _check(name, arg, [s_expr, p_expr])
        if s_seconds is not None and p_seconds is not None:
            ratio = p_seconds / s_seconds
            ratios.append(ratio)
            ratio_text = fmt_ratio(ratio)
            if ratio < 1:
                slower.append(label)
        elif s_seconds is not None and p_status == "timeout":
            ratio = plain_limit / s_seconds
            ratios.append(ratio)
            lower_bounds += 1
            ratio_text = "> " + fmt_ratio(ratio)
        else:
            ratio_text = "-"
        plain_text = fmt_time(p_seconds) if p_status == "ok" else (
            f"> {plain_limit:.0f} s" if p_status == "timeout" else "error")
        symjac_text = fmt_time(s_seconds) if s_status == "ok" else s_status
        table.rows.append([
            label, symjac_text, plain_text, ratio_text,
            "yes" if s_ok else "NO", "yes" if p_ok else ("-" if p_expr is None else "NO"),
            sp.count_ops(s_expr) if s_expr is not None else "-",
            sp.count_ops(p_expr) if p_expr is not None else "-"])
    gm = geometric_mean(ratios)
    table.notes.append(
        f"geometric-mean speed-up over {len(ratios)} cases: {fmt_ratio(gm)}"
        + (f" (a lower bound: {lower_bounds} plain-SymPy runs hit the time limit and count "
           "as taking exactly the limit)" if lower_bounds else ""))
    table.notes.append("correct = |result| equals |numpy.linalg.det(J)| at 5 random domain points "
                       "(rtol 1e-8); plain SymPy gives the signed determinant. ops = count_ops; "
                       "symjac's volume element may carry one Abs (|det|) that the signed "
                       "determinant does not.")
    if slower:
        table.notes.append("symjac was slower on: " + ", ".join(slower))
    return [table]
