"""Determinants of sparse polynomial Jacobians: symjac against SymPy's DomainMatrix, plain SymPy
and SymEngine.

The maps are bench/bench_jacobian.py's random sparse polynomial maps (x_i plus two random
degree-2 monomials each). Every contender computes the signed determinant as a SymPy-readable
expression, in its own forked process with a time limit: the first call there is cold (imports
paid on an unrelated 2x2 map first), the warm calls repeat it with every cache emptied. Each
result is compared exactly with DomainMatrix's, as a polynomial.
"""

from __future__ import annotations

import statistics
import time

import sympy as sp

from bench.bench_jacobian import _random_polynomial_map
from bench.common import Table, fmt_ratio, fmt_time, run_with_limit

TITLE = "Polynomial determinants: symjac (sparse expansion, FLINT) vs DomainMatrix, SymPy, SymEngine"

CONTENDERS = ("symjac", "symjac kernel", "DomainMatrix", "plain SymPy", "SymEngine")


def _clear() -> None:
    from sympy.core.cache import clear_cache

    from symjac.jacobian import clear_cache as clear_symjac_cache

    clear_symjac_cache()
    clear_cache()


def _compute(who: str, n: int):
    t = _random_polynomial_map(n, seed=1000 + n)
    if who == "symjac":
        import symjac as sj

        return sj.jacobian_determinant(t, timeout=None)
    J = sp.Matrix(t.exprs).jacobian(t.inputs)
    if who == "symjac kernel":  # the same work as the DomainMatrix route, on symjac's kernel
        from sympy.polys.matrices import DomainMatrix

        from symjac.determinants import domain_determinant

        dm = DomainMatrix.from_Matrix(J)
        return dm.domain.to_sympy(domain_determinant(dm))
    if who == "DomainMatrix":
        from sympy.polys.matrices import DomainMatrix

        dm = DomainMatrix.from_Matrix(J)
        return dm.domain.to_sympy(dm.det())
    if who == "plain SymPy":
        return sp.expand(J.det())
    import symengine as se

    return sp.sympify(str(se.expand(se.Matrix(J.tolist()).det())))


def _timed(who: str, n: int, repeat: int):
    """(first call, median warm call, result) in CPU seconds, in this (forked) process."""
    import symjac as sj  # imports and first-call costs paid on an unrelated map

    warm_up = sj.Transform.from_equations("p = a*b + a**2, q = a - b**3")
    sj.jacobian_determinant(warm_up)
    sp.Matrix(warm_up.exprs).jacobian(warm_up.inputs).det()
    _clear()
    times = []
    for _ in range(1 + repeat):
        t0 = time.process_time()
        result = _compute(who, n)
        times.append(time.process_time() - t0)
        _clear()
    warm = statistics.median(times[1:]) if repeat else None
    return times[0], warm, result


def _available(who: str) -> bool:
    if who != "SymEngine":
        return True
    try:
        import symengine  # noqa: F401
    except ImportError:
        return False
    return True


def _cap(who: str, limit: float) -> float:
    return limit / 2 if who in ("plain SymPy", "SymEngine") else limit


def _all_equal(n: int, results: dict) -> tuple[str, object]:
    """("yes"/"NO", number of terms): every finished result is the same polynomial, symjac's
    expanded is the very expression DomainMatrix gives, and it equals the exact determinant of
    J at three random integer points."""
    t = _random_polynomial_map(n, seed=1000 + n)
    xs = t.inputs
    polys = [sp.Poly(r[2], *xs) for r in results.values()]
    if not polys:
        return "-", "-"
    same = all(p == polys[0] for p in polys)
    if "symjac" in results and "DomainMatrix" in results:
        # the same SymPy expression, not only the same polynomial: symjac's factored result,
        # expanded, is DomainMatrix's expression argument for argument
        same &= sp.expand(results["symjac"][2]) == results["DomainMatrix"][2]
    rng = __import__("numpy").random.default_rng(0)
    J = sp.Matrix(t.exprs).jacobian(xs)
    for _ in range(3):
        point = {x: int(v) for x, v in zip(xs, rng.integers(-5, 6, n))}
        same &= all(p.eval(tuple(point[x] for x in xs)) == J.xreplace(point).det()
                    for p in polys[:1])
    return ("yes" if same else "NO"), len(polys[0].terms())


def run(quick: bool) -> list[Table]:
    from symjac.determinants import HAVE_FLINT

    sizes = (8,) if quick else (8, 9, 10)
    limit = 6.0 if quick else 120.0
    repeat = 2 if quick else 3
    table = Table(
        f"det of the Jacobian of a random sparse polynomial map, CPU time, first call / median of "
        f"{repeat} warm calls (time limit {limit:.0f} s per call; plain SymPy and SymEngine one "
        f"call, limit {limit / 2:.0f} s)",
        ["n", "terms"] + [f"{c} first / warm" for c in CONTENDERS]
        + ["DomainMatrix / symjac (warm)", "DomainMatrix / symjac kernel", "plain SymPy / symjac",
           "all equal"])
    for n in sizes:
        results, cells = {}, {}
        for who in CONTENDERS:
            if not _available(who):
                cells[who] = "not installed"
                continue
            # the slow routes run once: a warm repeat would only multiply the wait
            runs = 0 if who in ("plain SymPy", "SymEngine") or (who == "DomainMatrix" and n >= 10) \
                else repeat
            status, _seconds, out = run_with_limit(_timed, (who, n, runs),
                                                   limit=_cap(who, limit) * (1 + runs))
            if status == "ok":
                results[who] = out
                cells[who] = f"{fmt_time(out[0])} / {fmt_time(out[1])}"
            else:
                cells[who] = f"> {_cap(who, limit):.0f} s" if status == "timeout" else "error"
        equal, size = _all_equal(n, results)

        def ratio(who: str, mine_name: str = "symjac") -> str:
            if mine_name not in results:
                return "-"
            mine = results[mine_name][1] or results[mine_name][0]
            if who not in results:
                return f"> {fmt_ratio(_cap(who, limit) / mine)}" if cells.get(who, "").startswith(">") else "-"
            theirs = results[who][1] or results[who][0]
            return fmt_ratio(theirs / mine)

        table.rows.append([n, size]
                          + [cells[c] for c in CONTENDERS]
                          + [ratio("DomainMatrix"), ratio("DomainMatrix", "symjac kernel"),
                             ratio("plain SymPy"), equal])
    from sympy.external.gmpy import GROUND_TYPES

    table.notes.append(
        f"symjac: jacobian_determinant (block-triangular split, expansion along sparse rows with "
        f"each minor once, factored) on {'FLINT fmpz_mpoly' if HAVE_FLINT else 'SymPy PolyElement (python-flint not installed)'}; "
        f"SymPy's ground types here: {GROUND_TYPES}. DomainMatrix: "
        "DomainMatrix.from_Matrix(J).det(); symjac kernel: the same with symjac.determinants' "
        "domain_determinant in place of .det() (the arithmetic alone, without factoring and "
        "the sign analysis jacobian_determinant adds); plain SymPy: expand(Matrix.det()); SymEngine: "
        "expand(symengine.Matrix(J).det()). 'all equal': every finished result is the same "
        "polynomial, symjac's (factored) result expanded is the same SymPy expression as "
        "DomainMatrix's, and it equals the exact determinant of J at three random integer points.")
    return [table]
