"""Numeric integration over a ``Region``, with an honest error estimate.

Iterated bounds go to SciPy's ``quad``/``nquad`` (infinite limits allowed),
then to mpmath when SciPy reports trouble; regions known only by inequalities
use Monte Carlo over their bounding box, with a standard error. The result
says which method ran and whether it can be trusted.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import sympy as sp
from scipy import integrate

from .regions import Region

__all__ = ["NumericValue", "integrate_numerically"]


@dataclass(frozen=True)
class NumericValue:
    """A number with its error estimate and how it was obtained.

    Attributes:
        value: The estimate.
        error: An absolute error estimate (a standard error for Monte Carlo).
        method: ``"quad"``, ``"nquad"``, ``"mpmath"``, ``"monte carlo"`` or ``"none"``.
        reliable: False when the method reported trouble; then ``note`` says what.
        note: Plain words about problems met.
    """

    value: float
    error: float
    method: str
    reliable: bool = True
    note: str = ""

    def __str__(self) -> str:
        if not math.isfinite(self.value):
            return f"not computed ({self.note})"
        text = f"{self.value:.12g} ± {self.error:.2g} ({self.method})"
        return text + (f"; {self.note}" if self.note else "")


def integrate_numerically(expr: sp.Expr, region: Region, *,
                          values: Mapping[sp.Symbol, float] | None = None,
                          samples: int = 200_000, seed: int = 0) -> NumericValue:
    """The integral of ``expr`` over ``region``, numerically.

    Args:
        expr: The integrand, in ``region.variables``.
        region: Where to integrate.
        values: Numbers for other symbols (parameters such as ``R``).
        samples: Monte Carlo sample size, when that method is needed.
        seed: Seed for Monte Carlo.

    >>> from symjac import Region
    >>> from symjac.quadrature import integrate_numerically
    >>> v = integrate_numerically(1, Region.from_bounds([("y", 0, "x"), ("x", 0, 1)]))
    >>> round(v.value, 12), v.method, v.reliable
    (0.5, 'nquad', True)
    """
    expr = sp.sympify(expr)
    values = {k: v for k, v in (values or {}).items()}
    by_name = {s.name: s for s in region.variables}
    expr = expr.xreplace({s: by_name[s.name] for s in expr.free_symbols if s.name in by_name})
    expr = expr.xreplace(_by_name_values(expr, values))
    if region.is_empty:
        return NumericValue(0.0, 0.0, "none", True, "the region is empty")
    stray = expr.free_symbols - set(region.variables)
    if stray:
        names = ", ".join(sorted(map(str, stray)))
        return NumericValue(math.nan, math.inf, "none", False,
                            f"the integrand uses {names}, which is not a variable of the region; "
                            "give it a value")
    if region.bounds is not None:
        bounds = tuple((v, lo.xreplace(_by_name_values(lo, values)), hi.xreplace(_by_name_values(hi, values)))
                       for v, lo, hi in region.bounds)
        result = _nquad(expr, bounds)
        if result.reliable:
            return result
        if len(bounds) == 1:
            better = _mpmath(expr, bounds)
            if better.reliable:
                return better
        return result
    if region.parameters:
        region = region.with_values(values)
        if region.parameters:
            return NumericValue(math.nan, math.inf, "none", False,
                                "the region uses " + ", ".join(map(str, region.parameters))
                                + "; give numbers for them")
        if region.bounds is not None:
            return integrate_numerically(expr, region, samples=samples, seed=seed)
    return _monte_carlo(expr, region, values, samples, seed)


def _by_name_values(e: sp.Basic, values: Mapping[object, float]) -> dict:
    named = {(k.name if isinstance(k, sp.Symbol) else str(k)): v for k, v in values.items()}
    return {s: sp.Float(named[s.name]) if not isinstance(named[s.name], sp.Basic) else named[s.name]
            for s in e.free_symbols if s.name in named}


def _nquad(expr: sp.Expr, bounds: tuple) -> NumericValue:
    variables = [b[0] for b in bounds]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        f = sp.lambdify(variables, expr, modules=["math", "mpmath"])
        ranges = []
        for k, (_, lo, hi) in enumerate(bounds):
            outer = variables[k + 1:]
            lo_f = sp.lambdify(outer, lo, modules=["math", "mpmath"])
            hi_f = sp.lambdify(outer, hi, modules=["math", "mpmath"])
            ranges.append(_range(lo_f, hi_f))
    caught: list[str] = []

    def safe(*args: float) -> float:
        try:
            value = float(f(*args))
        except (ZeroDivisionError, ValueError, OverflowError, TypeError):
            value = math.nan
        if not math.isfinite(value):
            caught.append("the integrand is not finite at some points")
            return 0.0
        return value

    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        try:
            opts = {"limit": 200, "epsabs": 1e-11, "epsrel": 1e-10}
            if len(bounds) == 1:
                lo, hi = ranges[0]()
                value, error = integrate.quad(safe, lo, hi, **opts)
                method = "quad"
            else:
                value, error = integrate.nquad(safe, ranges, opts=opts)[:2]
                method = "nquad"
        except (ValueError, ZeroDivisionError, OverflowError, TypeError) as exc:
            return NumericValue(math.nan, math.inf, "nquad", False, f"quadrature failed: {exc}")
    notes = sorted({str(w.message).split(".")[0] for w in seen
                    if issubclass(w.category, integrate.IntegrationWarning)})
    notes += sorted(set(caught))
    reliable = not notes and math.isfinite(value) and error <= 1e-6 * max(1.0, abs(value))
    return NumericValue(float(value), float(error), method, reliable, "; ".join(notes))


def _range(lo_f, hi_f):
    def limits(*outer: float) -> tuple[float, float]:
        return float(lo_f(*outer)), float(hi_f(*outer))

    return limits


def _mpmath(expr: sp.Expr, bounds: tuple) -> NumericValue:
    import mpmath

    (v, lo, hi), = bounds
    f = sp.lambdify([v], expr, modules="mpmath")
    try:
        with mpmath.workdps(30):
            value, error = mpmath.quad(f, [mpmath.mpf(str(sp.N(lo, 30))) if lo.is_finite else -mpmath.inf,
                                           mpmath.mpf(str(sp.N(hi, 30))) if hi.is_finite else mpmath.inf],
                                       error=True)
    except (ValueError, ZeroDivisionError, TypeError) as exc:
        return NumericValue(math.nan, math.inf, "mpmath", False, f"mpmath failed: {exc}")
    value, error = float(value), float(error)
    reliable = math.isfinite(value) and error <= 1e-8 * max(1.0, abs(value))
    return NumericValue(value, error, "mpmath", reliable, "" if reliable else "mpmath did not converge")


def _monte_carlo(expr: sp.Expr, region: Region, values: Mapping, samples: int, seed: int
                 ) -> NumericValue:
    """Sample a larger region with iterated bounds; weight each point by the widths it was drawn from."""
    bounds = region.enclosing_bounds()
    if bounds is None:
        return NumericValue(math.nan, math.inf, "monte carlo", False,
                            "no iterated bounds, even for a larger region, to sample from; "
                            "could not integrate")
    rng = np.random.default_rng(seed)
    columns: dict[sp.Symbol, np.ndarray] = {}
    weight = np.ones(samples)
    for k in range(len(bounds) - 1, -1, -1):
        v, lo, hi = bounds[k]
        outer = [b[0] for b in bounds[k + 1:]]
        lo_v, hi_v = (_column(e, outer, columns, samples) for e in (lo, hi))
        if not (np.all(np.isfinite(lo_v)) and np.all(np.isfinite(hi_v))):
            return NumericValue(math.nan, math.inf, "monte carlo", False,
                                f"{v} is unbounded in the region; Monte Carlo needs a bounded region")
        width = np.clip(hi_v - lo_v, 0.0, None)
        columns[v] = lo_v + width * rng.random(samples)
        weight *= width
    points = np.column_stack([columns[v] for v in region.variables])
    inside = region.contains(points)
    f = sp.lambdify(region.variables, expr, modules="numpy")
    with np.errstate(all="ignore"):
        fx = np.broadcast_to(np.asarray(f(*points.T), dtype=float), (samples,))
        fx = np.where(inside, fx * weight, 0.0)
    if not np.all(np.isfinite(fx)):
        return NumericValue(math.nan, math.inf, "monte carlo", False,
                            "the integrand is not finite at sampled points")
    value = float(fx.mean())
    error = float(fx.std()) / math.sqrt(samples)
    reliable = error <= 0.01 * max(abs(value), 1e-12)
    note = f"Monte Carlo with {samples} points (seed {seed}); the error is one standard error"
    return NumericValue(value, error, "monte carlo", reliable, note)


def _column(e: sp.Expr, outer: list, columns: dict, n: int) -> np.ndarray:
    if e.is_number:
        return np.full(n, float(e))
    f = sp.lambdify(outer, e, modules="numpy")
    with np.errstate(all="ignore"):
        return np.broadcast_to(np.asarray(f(*(columns[s] for s in outer)), dtype=float), (n,)).copy()
