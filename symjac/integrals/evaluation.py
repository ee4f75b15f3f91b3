"""Values of a changed integral: exactly (SymPy, time-bounded) and numerically (with evidence),
and the numeric comparison of the old integral with the new one.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping

import numpy as np
import sympy as sp

from ..domains.absolute import drop_known_abs
from ..numeric.over_region import integrate_region
from ..numeric.quadrature import QuadratureResult
from ..numeric.stand_ins import replace_undefined
from ..regions.region import Region
from ..report import CheckReport
from ..timeouts import time_limit
from ..errors import SymjacTimeoutError

__all__ = ["Recent", "compare_integrals", "values_at", "original_number", "quadrature_rtol"]


def values_at(e: sp.Expr, variables, pts: np.ndarray, values: Mapping[str, float]) -> np.ndarray:
    """The real part of ``e`` at each row of ``pts``: parameters numbered by name from ``values``,
    undefined functions replaced by the stand-ins the numeric checks use."""
    e = e.xreplace({s: values[s.name] for s in e.free_symbols if s.name in values})
    e, _ = replace_undefined(e)
    with np.errstate(all="ignore"):
        return np.broadcast_to(np.asarray(sp.lambdify(variables, e, modules="numpy")(*pts.T),
                                          dtype=complex), (len(pts),)).real

def _conditions_of(region: Region) -> list[sp.Basic]:
    conds = [c for c in region.conditions if c is not sp.true]
    if region.bounds is not None:
        conds += [c for v, lo, hi in region.bounds for c in (sp.Le(lo, v, evaluate=False),
                                                            sp.Le(v, hi, evaluate=False))
                  if not (lo.is_infinite or hi.is_infinite)]
    return conds


# an inverse trigonometric function of its own trigonometric function, and the range where
# they cancel (the principal branch): atan(tan(u)) = u for -pi/2 < u < pi/2
_PRINCIPAL = {sp.atan: (sp.tan, -sp.pi / 2, sp.pi / 2), sp.asin: (sp.sin, -sp.pi / 2, sp.pi / 2),
              sp.acos: (sp.cos, sp.S.Zero, sp.pi)}


def _principal_inverses(e: sp.Expr, region: Region) -> sp.Expr:
    """``atan(tan(u))``, ``asin(sin(u))``, ``acos(cos(u))`` replaced by ``u`` where the region keeps
    ``u`` in the principal range (an angle of polar coordinates over a sector, for example)."""
    from ..domains.signs import sign_on

    found = [f for f in e.atoms(sp.atan, sp.asin, sp.acos)
             if isinstance(f.args[0], _PRINCIPAL[type(f)][0])]
    if not found:
        return e
    conds = _conditions_of(region)
    mapping = {}
    for f in found:
        _, lo, hi = _PRINCIPAL[type(f)]
        u = f.args[0].args[0]
        if sign_on(u - lo, conds).is_nonnegative and sign_on(hi - u, conds).is_nonnegative:
            mapping[f] = u
    return e.xreplace(mapping) if mapping else e


def _drop_abs(e: sp.Expr, region: Region) -> sp.Expr:
    """``Abs(a)`` replaced by ``a`` or ``-a`` where the region proves the sign of ``a``."""
    return drop_known_abs(e, _conditions_of(region))



#: The original integral of recent checks, by (integrand, region, values, seed): the claims of a
#: whole class about one problem are compared with the same number.
class Recent:
    """The results of the last ``size`` problems by key, the least recently used dropped first
    (for values that depend on the problem alone, such as the correct integral of a problem that
    several claims are compared with). Safe to share between threads: a key let go by another
    thread meanwhile is simply computed again."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict = OrderedDict()

    def get(self, key: object) -> object:
        """The result kept for ``key``, or None (``TypeError`` for a key that cannot be hashed)."""
        known = self._items.get(key)
        if known is not None:
            try:
                self._items.move_to_end(key)
            except KeyError:  # another thread let it go meanwhile
                pass
        return known

    def keep(self, key: object, value: object) -> None:
        self._items[key] = value
        while len(self._items) > self.size:
            try:
                self._items.popitem(last=False)
            except KeyError:  # emptied by another thread meanwhile
                break


_ORIGINAL_NUMBERS = Recent(64)


def quadrature_rtol(rtol: float) -> float:
    """The accuracy asked of a quadrature that decides a comparison at ``rtol``: a hundred times
    finer, and never coarser than 1e-8 (the evidence must resolve far below the tolerance)."""
    return min(1e-8, rtol / 100)


def original_number(integrand: sp.Expr, region: Region, values: Mapping[str, float],
                    seed: int, rtol: float) -> QuadratureResult:
    """The integral of ``integrand`` over ``region`` numerically (stand-ins for functions with
    no formula) to ``quadrature_rtol(rtol)``, computed once for recent arguments; a result that
    did not converge is not kept, so a later call tries again."""
    def integrate() -> QuadratureResult:
        return integrate_region(integrand, region, values=values, seed=seed, stand_ins=True,
                                rtol=quadrature_rtol(rtol))

    try:
        key = (integrand, region, tuple(sorted(values.items())), seed, rtol)
        known = _ORIGINAL_NUMBERS.get(key)
    except TypeError:  # something unhashable: no reuse
        return integrate()
    if known is None:
        known = integrate()
        if known.converged:
            _ORIGINAL_NUMBERS.keep(key, known)
    return known


def _simplify(e: sp.Expr, timeout: float | None) -> sp.Expr:
    try:
        with time_limit(None if timeout is None else min(timeout, 10), "simplifying the integrand"):
            return sp.simplify(e)
    except SymjacTimeoutError:
        return e



#: SymPy's integration routes, cheapest first: the textbook rules (``manual``), then the full
#: algorithm without the heuristic Risch search (which can run for minutes on sin(2*phi)), then all
_ROUTES = ({"manual": True}, {"heurisch": False}, {})


def _integrate(integrand: sp.Expr, bounds: tuple, timeout: float | None) -> sp.Expr:
    """SymPy's integral along the first route that finishes it, each route with a share of the time."""
    value = sp.Integral(integrand, *bounds)
    for k, route in enumerate(_ROUTES):
        share = None if timeout is None else (timeout / 4 if k < len(_ROUTES) - 1 else timeout / 2)
        try:
            with time_limit(share, "integrating the new integral exactly"):
                value = sp.integrate(integrand, *bounds, **route)
        except SymjacTimeoutError:
            continue
        except (ArithmeticError, NotImplementedError, TypeError, ValueError, AttributeError,
                sp.PolynomialError):
            if k == len(_ROUTES) - 1:
                raise
            continue
        if not value.has(sp.Integral):
            return value
    return value


#: functions an elementary answer is often hiding behind (Ei(1) + expint(2, -1) + I*pi = E)
_SPECIAL = (sp.Ei, sp.expint, sp.Si, sp.Ci, sp.li, sp.hyper, sp.meijerg, sp.polylog, sp.erfi)


def _awkward(value: sp.Expr) -> bool:
    return value.has(sp.I, *_SPECIAL) and not value.has(sp.Integral)


def _is_box(bounds: tuple) -> bool:
    return len(bounds) > 1 and all(lo.is_number and hi.is_number for _, lo, hi in bounds)


def _exact_value(pieces: tuple, timeout: float | None) -> sp.Expr | None:
    total = sp.S.Zero
    with time_limit(timeout, "integrating the new integral exactly"):
        for p in pieces:
            if p.region.bounds is None:
                return None
            value = _integrate(p.integrand, p.region.bounds, timeout)
            if _awkward(value) and _is_box(p.region.bounds):  # the other order may be elementary
                other = _integrate(p.integrand, tuple(reversed(p.region.bounds)),
                                   None if timeout is None else timeout / 4)
                if not other.has(sp.Integral) and not _awkward(other):
                    value = other
            if value.has(sp.nan, sp.zoo):
                return sp.nan  # undefined: an infinity met another (oo - oo, 0*oo), or a divergence
            if value.has(sp.Integral):
                return None
            total += value
        return sp.simplify(total)



def _numeric_sum(pieces: tuple, values: Mapping[object, float] | None, *, stand_ins: bool = False
                 ) -> QuadratureResult:
    parts = [integrate_region(p.integrand, p.region, values=values, stand_ins=stand_ins)
             for p in pieces]
    if len(parts) == 1:
        return parts[0]
    return QuadratureResult(sum(v.value for v in parts), sum(v.error for v in parts),
                            " + ".join(sorted({v.method for v in parts})),
                            all(v.converged for v in parts), any(v.statistical for v in parts),
                            sum(v.evaluations for v in parts),
                            next((v.seed for v in parts if v.statistical), None),
                            tuple(w for v in parts for w in v.warnings))



def compare_integrals(original: QuadratureResult, new: QuadratureResult, *, rtol: float = 1e-7,
                      atol: float = 1e-10, what: str = "the new integral against the original"
                      ) -> CheckReport:
    """Judge two numerically computed integrals against each other (``CheckReport``).

    The error estimates of both count; a quadrature that did not converge makes
    the verdict ``"inconclusive"``, never ``"passed"``.

    >>> from symjac.numeric.quadrature import QuadratureResult
    >>> from symjac.integrals.change import compare_integrals
    >>> compare_integrals(QuadratureResult(0.5, 1e-14, "scipy.quad", True),
    ...                   QuadratureResult(0.5, 1e-14, "scipy.quad", True)).verdict
    'passed'
    """
    method = original.method if original.method == new.method else f"{original.method} / {new.method}"
    statistical = original.statistical or new.statistical
    return CheckReport.compare(
        new.value, original.value, what=what, method=method, error_estimate=original.error + new.error,
        converged=original.converged and new.converged, statistical=statistical, rtol=rtol, atol=atol,
        sample_size=original.evaluations + new.evaluations,
        seed=(original.seed if original.statistical else new.seed) if statistical else None,
        warnings=tuple(dict.fromkeys(w for w in original.warnings if w in new.warnings))
        + tuple(f"original: {w}" for w in original.warnings if w not in new.warnings)
        + tuple(f"new: {w}" for w in new.warnings if w not in original.warnings))
