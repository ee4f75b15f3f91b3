"""Numerical integration over a region given by inequalities, such as ``x**2 + y**2 <= 1``.

``integrate_over_region`` encloses the region in a box and cuts each line of the
innermost variable where it crosses the boundary, so the quadrature never sees
a jump and its error estimate stays meaningful; or it averages the integrand
times the region's indicator over the box (the one Monte Carlo loop).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Mapping, Sequence
from typing import Literal

import numpy as np
import sympy as sp
from scipy import integrate as _sci

from ..domains.signs import condition_function, variable_bounds
from ..errors import DomainError, SymjacError, SymjacTimeoutError
from ..parsing import parse_conditions
from ..report import require_count, require_tolerances
from ..timeouts import DEFAULT_TIMEOUT, time_limit
from .lines import line_pieces, margin_function
from .montecarlo import monte_carlo
from .integrands import _GaveUp, _scalar, _Tally, _too_large, _vector, run_notes
from .quadrature import Limit, QuadratureResult, _bound, _by_name, _mc_result, _read_integrand

__all__ = ["integrate_over_region"]


def integrate_over_region(
    integrand: object,
    variables: Sequence[sp.Symbol] | str,
    conditions: Sequence[object] | str,
    *,
    box: Mapping[object, tuple[object, object]] | None = None,
    method: Literal["split", "monte_carlo"] = "split",
    rtol: float = 1e-9,
    atol: float = 1e-11,
    grid: int = 256,
    samples: int = 200_000,
    seed: int | None = 0,
    timeout: float | None = DEFAULT_TIMEOUT,
) -> QuadratureResult:
    """Integrate over a region given by inequalities, such as ``x**2 + y**2 <= 1``.

    The region is enclosed in a box (from ``box`` or from simple bounds in the
    conditions). With ``method="split"`` each line of the innermost variable is
    cut where it crosses the region's boundary (found on a grid of ``grid``
    points, then by bisection), and SciPy integrates the smooth pieces, so the
    error estimate stays meaningful; pieces thinner than one grid cell can be
    missed, which the result says. ``method="monte_carlo"`` averages the
    integrand times the region's indicator over the box, with a standard error.

    Args:
        integrand: A SymPy expression or text in ``variables``.
        variables: The variables, innermost first (``"x y"`` or symbols).
        conditions: The inequalities that define the region (text or SymPy).
        box: ``{variable: (lower, upper)}``, finite, enclosing the region.
        method: ``"split"`` or ``"monte_carlo"``.
        rtol: Relative accuracy asked of the quadrature.
        atol: Absolute accuracy asked of the quadrature.
        grid: Grid points per line used to find the boundary (``"split"``).
        samples: Number of Monte Carlo samples.
        seed: Seed of the Monte Carlo generator.
        timeout: Seconds allowed; when exceeded, the result is marked not converged.

    Raises:
        DomainError: If the box is missing or infinite for some variable.

    >>> from symjac.numeric.inequalities import integrate_over_region
    >>> q = integrate_over_region("1", "x y", "x**2 + y**2 <= 1", box={"x": (-1, 1), "y": (-1, 1)})
    >>> round(q.value, 9), q.converged                 # the area of the unit disc, pi
    (3.141592654, True)
    """
    from ..parsing import parse_symbols

    require_tolerances(rtol, atol)
    require_count("grid", grid, 4, example="256")
    require_count("samples", samples, 32, example="200000")
    syms = tuple(parse_symbols(variables)) if isinstance(variables, str) else tuple(variables)
    by_name = {s.name: s for s in syms}
    conds = parse_conditions(conditions, symbols=by_name) if isinstance(conditions, str) else \
        tuple(c for item in conditions for c in (parse_conditions(item, symbols=by_name)
                                                  if isinstance(item, str) else (_by_name(item, by_name),)))
    stray = sorted({s.name for c in conds for s in c.free_symbols} - set(by_name))
    if stray:
        raise DomainError(
            f"the conditions use {', '.join(stray)}, which is not one of the variables "
            f"{', '.join(by_name)}; a region needs numbers for everything else.", value=stray,
            hint=f"Add {stray[0]} to the variables, or substitute a number for it.")
    limits = _region_box(syms, conds, box)
    expr = _read_integrand(integrand, limits)
    holds = condition_function(syms, conds)
    try:
        with time_limit(timeout, "numerical integration over a region"):
            if method == "monte_carlo":
                f = _vector(expr, syms)

                def g(*cols: np.ndarray) -> np.ndarray:
                    return np.where(holds(np.column_stack(cols)), f(*cols), 0.0)

                return _box_monte_carlo(g, syms, limits, samples=samples, seed=seed)
            if method != "split":
                raise SymjacError(f"unknown method {method!r}; expected 'split' or 'monte_carlo'.",
                                  value=method)
            return _split(expr, syms, holds, conds, limits, rtol=rtol, atol=atol, grid=grid)
    except SymjacTimeoutError:
        return QuadratureResult(math.nan, math.inf, method, converged=False,
                                warnings=(f"stopped after the time limit of {timeout} s",))


def _region_box(syms: tuple[sp.Symbol, ...], conds: Sequence[sp.Basic],
                box: Mapping[object, tuple[object, object]] | None) -> tuple[Limit, ...]:
    given = {(k.name if isinstance(k, sp.Symbol) else str(k)): v for k, v in (box or {}).items()}
    found = variable_bounds(conds, syms)
    limits = []
    for s in syms:
        lo, hi = (_bound(b) for b in given[s.name]) if s.name in given else found[s]
        if not (lo.is_finite and hi.is_finite):
            raise DomainError(
                f"the region is not bounded in {s} by simple conditions (found {lo} < {s} < {hi}). "
                f"Pass box={{'{s}': (lower, upper)}} enclosing the region.",
                value=s, hint=f"Pass box={{'{s}': (lower, upper)}} enclosing the region.")
        if bool(lo >= hi):
            raise DomainError(f"the box for {s} runs from {lo} to {hi}; the lower end must be below "
                              "the upper one.", value=(lo, hi), expected=f"{s}: (lower, upper)",
                              hint=f"Pass box={{'{s}': ({hi}, {lo})}}.")
        limits.append((s, lo, hi))
    return tuple(limits)


def _split(expr: sp.Expr, syms: tuple[sp.Symbol, ...], holds: Callable[[np.ndarray], np.ndarray],
           conds: Sequence[sp.Basic], limits: tuple[Limit, ...], *, rtol: float, atol: float,
           grid: int) -> QuadratureResult:
    margin = margin_function(syms, conds)
    value, err, notes, calls, info = _split_once(expr, syms, holds, margin, limits, rtol=rtol,
                                                 atol=atol, grid=grid)
    if margin is None and math.isfinite(value):
        # without a margin, thin pieces between grid points go unseen: measure what a finer
        # grid changes, and count it in the error
        finer, _, notes2, calls2, _ = _split_once(expr, syms, holds, None, limits, rtol=rtol,
                                                  atol=atol, grid=4 * grid + 1)
        calls += calls2
        notes += [n for n in notes2 if n not in notes]
        err += abs(finer - value)
        value = finer
        notes += _too_large(value, err, rtol, atol)
    if margin is not None:
        notes += _sticks_out(margin, syms, limits)
    converged = not notes and math.isfinite(value)
    notes += info
    if margin is None:
        notes.append(f"the region's conditions are not plain inequalities, so its boundary was found "
                     f"on grids of {grid} and {4 * grid + 1} points per line; the error estimate "
                     "includes the difference between the two")
    else:
        notes.append(f"split at the region's boundary, found on a {grid}-point grid per line and "
                     "near every local extremum of the conditions' margin")
    return QuadratureResult(float(value), float(err), "split at the region boundary + scipy.quad",
                            converged, evaluations=calls, warnings=tuple(notes))


def _sticks_out(margin: Callable[[np.ndarray], np.ndarray], syms: tuple[sp.Symbol, ...],
                limits: tuple[Limit, ...], n: int = 65) -> list[str]:
    """A note when the region reaches past a face of the box (strictly inside the region there),
    so the integral over the box misses part of it."""
    lo = np.array([float(l) for _, l, _ in limits])
    hi = np.array([float(h) for _, _, h in limits])
    d = len(syms)
    per_axis = max(3, int(round(n ** (1 / max(d - 1, 1))))) if d > 1 else 1
    axes = [np.linspace(a, b, per_axis) for a, b in zip(lo, hi)]
    for j in range(d):
        others = [axes[k] for k in range(d) if k != j]
        grid = np.array(np.meshgrid(*others, indexing="ij")).reshape(d - 1, -1).T if others \
            else np.zeros((1, 0))
        for end in (lo[j], hi[j]):
            pts = np.insert(grid, j, end, axis=1)
            inside = margin(pts) > 1e-12
            if inside.any():
                where = ", ".join(f"{s} = {v:.6g}" for s, v in zip(syms, pts[np.argmax(inside)]))
                return [f"the region reaches past the box at {where} ({syms[j]} = {end:g} is inside "
                        f"the region), so part of it was left out; give a box that encloses it"]
    return []


def _split_once(expr: sp.Expr, syms: tuple[sp.Symbol, ...], holds: Callable[[np.ndarray], np.ndarray],
                margin: Callable[[np.ndarray], np.ndarray] | None, limits: tuple[Limit, ...], *,
                rtol: float, atol: float, grid: int) -> tuple[float, float, list[str], int, list[str]]:
    tally = _Tally()
    f = _scalar(expr, syms, tally)
    a0, b0 = float(limits[0][1]), float(limits[0][2])
    line = np.linspace(a0, b0, grid + 1)

    def inner(*outer: float) -> float:
        total = 0.0
        for a, b in line_pieces(holds, line, outer, width=len(syms), margin=margin):
            total += _sci.quad(f, a, b, args=outer, epsabs=atol, epsrel=rtol, limit=200)[0]
        return total

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        tally.caught = caught
        try:
            if len(syms) == 1:
                value, err = inner(), 0.0
            else:
                ranges = [(float(lo), float(hi)) for _, lo, hi in limits[1:]]
                value, err = _sci.nquad(inner, ranges, opts={"epsabs": atol, "epsrel": rtol,
                                                             "limit": 200})
        except _GaveUp:
            value, err, tally.gave_up = math.nan, math.inf, True
        tally.caught = None
    notes = run_notes(caught, tally)
    err = max(err, rtol * abs(value))
    notes += _too_large(value, err, rtol, atol)
    return float(value), float(err), notes, tally.calls, tally.info()



def _box_monte_carlo(g: Callable[..., np.ndarray], syms: tuple[sp.Symbol, ...],
                     limits: tuple[Limit, ...], *, samples: int, seed: int | None
                     ) -> QuadratureResult:
    lo = np.array([float(l) for _, l, _ in limits])
    hi = np.array([float(h) for _, _, h in limits])
    volume = float(np.prod(hi - lo))

    def values_at(u: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        x = lo + (hi - lo) * u
        with np.errstate(all="ignore"):
            return x, volume * np.asarray(g(*x.T), dtype=float)

    est = monte_carlo(values_at, len(limits), samples=samples, seed=seed)
    return _mc_result(est, syms, "monte_carlo (indicator on a bounding box)", seed)
