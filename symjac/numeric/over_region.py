"""Numeric integration over a ``Region``, on top of ``symjac.quadrature``.

Iterated bounds go to ``integrate_numerically`` (SciPy, then mpmath in one
variable when SciPy reports trouble). A region of one or two variables known
only by inequalities, inside a box its conditions give, is cut line by line at
its boundary (``integrate_over_region``); otherwise it is sampled through the
iterated bounds of a larger region that contains it, each point weighted by the
widths it was drawn from (the one Monte Carlo loop, with a standard error and its
divergence checks). mpmath replaces SciPy only when two of its rules agree.
Parameters get numbers first.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import replace

import numpy as np
import sympy as sp

from ..parsing import parse_expression
from ..errors import DomainError, SymjacError
from ..report import require_count, require_tolerances
from .montecarlo import monte_carlo
from .quadrature import QuadratureResult, _mc_result, integrate_numerically
from .inequalities import integrate_over_region
from .stand_ins import replace_undefined
from ..regions.region import Region

__all__ = ["integrate_region"]


def integrate_region(expr: object, region: Region, *, values: Mapping[object, float] | None = None,
                     samples: int = 200_000, seed: int = 0, rtol: float = 1e-10,
                     timeout: float | None = 30, stand_ins: bool = False) -> QuadratureResult:
    """The integral of ``expr`` over ``region``, numerically, with its evidence.

    Args:
        expr: The integrand (SymPy or text), in ``region.variables`` (matched by name).
        region: Where to integrate.
        values: Numbers for parameters (``{"R": 2}``).
        samples: Monte Carlo sample size, when the region has no iterated bounds.
        seed: Seed for Monte Carlo.
        rtol: Relative accuracy asked of the quadrature.
        timeout: Seconds allowed for the quadrature.
        stand_ins: Replace undefined functions (``f(x)`` with no formula) by fixed test
            functions, said so in the warnings (for comparing two integrals); without it such
            an integrand has no value (``converged`` is False and the warning says why).

    >>> from symjac import Region
    >>> from symjac.numeric.over_region import integrate_region
    >>> q = integrate_region(1, Region.from_bounds([("y", 0, "x"), ("x", 0, 1)]))
    >>> round(q.value, 12), q.converged
    (0.5, True)
    """
    require_tolerances(rtol, 0.0)
    require_count("samples", samples, 32, example="200000")
    by_name = {s.name: s for s in region.variables}
    expr = parse_expression(expr, symbols=by_name) if isinstance(expr, str) \
        else sp.sympify(expr, strict=True)
    named = {(k.name if isinstance(k, sp.Symbol) else str(k)): v for k, v in (values or {}).items()}
    expr = expr.xreplace({s: by_name[s.name] for s in expr.free_symbols if s.name in by_name})
    expr = expr.xreplace({s: sp.nsimplify(named[s.name]) for s in expr.free_symbols
                          if s.name in named and s.name not in by_name})
    expr, notes = replace_undefined(expr)
    if notes and not stand_ins:
        names = sorted({n.split()[0] for n in notes})
        return QuadratureResult(math.nan, math.inf, "none", False, warnings=(
            f"the integrand uses {', '.join(names)} with no formula, so it has no numeric value; "
            "substitute a formula for it first",))
    result = _integrate(expr, region, named, samples=samples, seed=seed, rtol=rtol, timeout=timeout)
    return replace(result, warnings=notes + result.warnings) if notes else result


def _integrate(expr: sp.Expr, region: Region, named: dict[str, float], *, samples: int, seed: int,
               rtol: float, timeout: float | None) -> QuadratureResult:
    if region.is_empty:
        return QuadratureResult(0.0, 0.0, "empty region", True)
    stray = expr.free_symbols - set(region.variables)
    if stray:
        return QuadratureResult(math.nan, math.inf, "none", False, warnings=(
            f"the integrand uses {', '.join(sorted(map(str, stray)))}, which is not a variable of "
            "the region; give it a value",))
    region = region.with_values(named)
    if region.parameters:
        return QuadratureResult(math.nan, math.inf, "none", False, warnings=(
            "the region uses " + ", ".join(map(str, region.parameters)) + "; give numbers for them",))
    if region.bounds is not None:
        result = integrate_numerically(expr, region.bounds, rtol=rtol, timeout=timeout)
        if not result.converged and len(region.bounds) == 1:
            better = integrate_numerically(expr, region.bounds, method="mpmath", timeout=timeout)
            if better.converged:
                return better
        return result
    if region.dimension <= 3:
        result = _split(expr, region, rtol=rtol, timeout=timeout)
        if result is not None and result.converged:
            return result
    return _monte_carlo(expr, region, samples, seed)


def _split(expr: sp.Expr, region: Region, *, rtol: float, timeout: float | None
           ) -> QuadratureResult | None:
    """Deterministic quadrature over the inequalities inside a finite box (None without one)."""
    bounds = region.enclosing_bounds()
    box = None
    if bounds is not None and all(lo.is_number and hi.is_number and lo.is_finite and hi.is_finite
                                  for _, lo, hi in bounds):
        box = {v: (lo, hi) for v, lo, hi in bounds}  # a box around the region: no sampling needed
    elif region.dimension > 2:
        return None
    try:
        return integrate_over_region(expr, region.variables, region.conditions, box=box,
                                     rtol=max(rtol, 1e-9), timeout=min(timeout or 10, 10))
    except (DomainError, SymjacError):
        return None


def _monte_carlo(expr: sp.Expr, region: Region, samples: int, seed: int) -> QuadratureResult:
    bounds = region.enclosing_bounds()
    if bounds is None:
        return QuadratureResult(math.nan, math.inf, "monte_carlo", False, warnings=(
            "no iterated bounds, even for a larger region, to sample from; could not integrate",))
    f = sp.lambdify(region.variables, expr, modules="numpy")
    order = {v: k for k, (v, _, _) in enumerate(bounds)}
    unbounded: list[sp.Symbol] = []

    def values_at(u: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        m = len(u)
        columns: dict[sp.Symbol, np.ndarray] = {}
        weight = np.ones(m)
        for k in range(len(bounds) - 1, -1, -1):
            v, lo, hi = bounds[k]
            outer = [b[0] for b in bounds[k + 1:]]
            lo_v, hi_v = (_column(e, outer, columns, m) for e in (lo, hi))
            if not (np.all(np.isfinite(lo_v)) and np.all(np.isfinite(hi_v))):
                unbounded.append(v)
                return np.zeros((m, len(bounds))), np.full(m, np.nan)
            width = np.clip(hi_v - lo_v, 0.0, None)
            columns[v] = lo_v + width * u[:, order[v]]
            weight *= width
        points = np.column_stack([columns[v] for v in region.variables])
        inside = region.contains(points)
        with np.errstate(all="ignore"):
            fx = np.broadcast_to(np.asarray(f(*points.T), dtype=float), (m,))
            return points, np.where(inside, fx * weight, 0.0)

    est = monte_carlo(values_at, len(bounds), samples=samples, seed=seed)
    if unbounded:
        return QuadratureResult(math.nan, math.inf, "monte_carlo", False, warnings=(
            f"{unbounded[0]} is unbounded in the region; Monte Carlo needs a bounded region",))
    return _mc_result(est, region.variables, "monte_carlo", seed)


def _column(e: sp.Expr, outer: list, columns: dict, n: int) -> np.ndarray:
    if e.is_number:
        return np.full(n, float(e))
    f = sp.lambdify(outer, e, modules="numpy")
    with np.errstate(all="ignore"):
        return np.broadcast_to(np.asarray(f(*(columns[s] for s in outer)), dtype=float), (n,)).copy()
