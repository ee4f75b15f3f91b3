"""Comparing a claimed integral with the correct one: reading the claim, the region as a set,
the integrand at sample points, and which factor is wrong.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping

import numpy as np
import sympy as sp

from ..derivation import Derivation, Step, Tex, differentials
from ..errors import DomainError, ParseError, SymjacTimeoutError
from ..latex import latex_expr
from ..parsing import parse_expression
from ..regions.region import Region
from ..timeouts import time_limit
from ..transform import Transform
from .changed import ChangedIntegral
from .evaluation import values_at
from .reading import _upward, by_name

def _weighted(parts: list[tuple[sp.Expr, Region]], pts: np.ndarray, variables, values) -> np.ndarray:
    """``sum of f(p) over the parts whose region holds p``, at each point."""
    total = np.zeros(len(pts))
    for f, region in parts:
        vals = values_at(f, variables, pts, values)
        inside = region.with_values(values).contains(pts)
        total = total + np.where(inside, vals, 0.0)
    return total


def _fold(claimed: sp.Basic) -> sp.Basic:
    """``c * Integral(f, ...)`` as ``Integral(c*f, ...)`` (a constant written outside)."""
    if isinstance(claimed, sp.Mul):
        inner = [f for f in claimed.args if isinstance(f, sp.Integral)]
        if len(inner) == 1:
            outside = claimed / inner[0]
            variables = {lim[0] for lim in inner[0].limits}
            if not outside.free_symbols & variables:
                return sp.Integral(outside * inner[0].function, *inner[0].limits)
    return claimed


def _read_claim(claimed: object, symbols: Mapping[str, sp.Symbol], *, orient: bool = True
                ) -> sp.Integral | tuple[sp.Integral, ...]:
    """The claimed integral, or a tuple of integrals when a sum is claimed."""
    if isinstance(claimed, str):
        claimed = parse_expression(claimed, symbols=dict(symbols))
    claimed = _fold(claimed)
    if isinstance(claimed, sp.Add) and all(isinstance(_fold(a), sp.Integral) for a in claimed.args):
        return tuple(_read_claim(_fold(a), symbols, orient=orient) for a in claimed.args)
    if not isinstance(claimed, sp.Integral):
        raise ParseError(f"the claimed answer {claimed} is not an integral with bounds. Write it like "
                         "'Integral(u*v/3, (u, 1, 4), (v, 2, 3))'.", text=str(claimed))
    claimed = by_name(claimed, symbols)
    missing = [str(lim[0]) for lim in claimed.limits if len(lim) != 3]
    if missing:
        raise DomainError(f"the claimed integral has no bounds for {', '.join(missing)}; the checker "
                          "compares regions, so every variable needs its bounds.", value=claimed,
                          hint="Write it like Integral(u*v/3, (u, 1, 4), (v, 2, 3)).")
    if orient:
        claimed, _ = _upward(claimed)
    Region.from_integral(claimed)  # bounds must only use outer variables
    return claimed


def _eqs(t: Transform) -> str:
    return ", ".join(f"{o} = {sp.sstr(e)}" for o, e in zip(t.outputs, t.exprs))


def _compare_regions(expected: ChangedIntegral, claim: Region, values: Mapping[str, float],
                     rng: np.random.Generator, n: int = 400) -> str:
    """Words describing how the claimed region differs from the correct one ('' if it does not)."""
    order = [s.name for s in expected.variables]
    claim = Region(tuple(sorted(claim.variables, key=lambda s: order.index(s.name))),
                   claim.conditions, claim.bounds, claim.note)
    shifts = _period_shifts(expected, order)

    def contains(region: Region, pts: np.ndarray, **kw: object) -> np.ndarray:
        # an angle and the same angle plus 2*pi are the same point (theta in [-pi/2, pi/2]
        # describes what the chart calls [0, pi/2] and [3*pi/2, 2*pi])
        inside = region.contains(pts, **kw)
        for shift in shifts:
            inside |= region.contains(pts + shift, **kw)
        return inside

    try:
        outside_claim = 0.0
        total = 0
        for p in expected.pieces:
            pts = p.region.with_values(values).sample(n, rng=rng)
            if len(pts):
                outside_claim += float(np.sum(~contains(claim, pts, values=_symvals(claim, values))))
                total += len(pts)
        pts = claim.sample(n, rng=rng, values=_symvals(claim, values))
        inside_any = np.zeros(len(pts), dtype=bool)
        for p in expected.pieces:
            inside_any |= contains(p.region.with_values(values), pts)
    except (ValueError, DomainError, TypeError):
        return ""
    missed = outside_claim / max(total, 1)
    extra = float(np.mean(~inside_any)) if len(pts) else 0.0
    if missed <= 0.01 and extra <= 0.01:
        return ""
    right = "; ".join(str(p.region) for p in expected.pieces)
    parts = []
    if missed > 0.01:
        parts.append(f"about {missed:.0%} of the correct region lies outside the claimed bounds")
    if extra > 0.01:
        parts.append(f"about {extra:.0%} of the claimed region lies outside the correct one")
    return (f"The bounds describe a different region: it should be {right}, but the claimed bounds "
            f"give {claim} ({' and '.join(parts)}, at sample points).")


def _known_names(claim: sp.Integral, expected: ChangedIntegral, values: Mapping[str, float]) -> None:
    """Refuse a claim that uses a name that is neither a variable nor a parameter of the problem."""
    known = {s.name for s in expected.variables + expected.old_variables} | set(values)
    known |= {s.name for s in expected.transform.parameters}
    stray = sorted({s.name for s in claim.free_symbols} - known)
    if stray:
        raise DomainError(
            f"the claimed integral uses {', '.join(stray)}, which is neither one of the new variables "
            f"({', '.join(s.name for s in expected.variables)}) nor a parameter of the problem.",
            value=stray, expected=f"an integral in {', '.join(s.name for s in expected.variables)}",
            hint="Check the spelling of the variables (theta, not t), or give the same parameters "
                 "as in the original integral.")


def _period_shifts(expected: ChangedIntegral, order: list[str]) -> list[np.ndarray]:
    """Shifts of the new variables by multiples of 2*pi that leave the map unchanged."""
    branch = expected.pieces[0].branch if expected.pieces else None
    if branch is None:
        return []
    periodic = []
    try:
        with time_limit(5, "finding the periodic variables of the map"):
            for v in branch.inputs:
                if v.name in order and all(_unchanged_by_a_period(e, v) for e in branch.exprs):
                    periodic.append(order.index(v.name))
    except SymjacTimeoutError:
        return []
    shifts = []
    for ks in itertools.product((-2, -1, 0, 1, 2), repeat=len(periodic)):
        if any(ks):
            shift = np.zeros(len(order))
            for j, k in zip(periodic, ks):
                shift[j] = 2 * np.pi * k
            shifts.append(shift)
    return shifts


def _unchanged_by_a_period(e: sp.Expr, v: sp.Symbol) -> bool:
    """Whether ``e`` is the same with ``v`` shifted by 2*pi: at once when SymPy's own evaluation
    gives it back (cos(t + 2*pi) is cos(t)), no when the difference is a number other than 0 at
    one point, else as SymPy's simplify decides."""
    diff = e.xreplace({v: v + 2 * sp.pi}) - e
    if diff == 0:
        return True
    point = {s: sp.Rational(3 + 2 * k, 7) for k, s in enumerate(sorted(diff.free_symbols, key=str))}
    try:
        if abs(complex(diff.evalf(20, subs=point))) > 1e-9:
            return False
    except (TypeError, ValueError):
        pass
    return sp.simplify(diff) == 0


def _symvals(region: Region, values: Mapping[str, float]) -> dict:
    return {p: values[p.name] for p in region.parameters if p.name in values}


def _compare_integrands(expected: ChangedIntegral, claim_f: sp.Expr, claim_region: Region,
                        values: Mapping[str, float], rng: np.random.Generator, n: int = 60
                        ) -> tuple[str, str] | None:
    """``(mistake, words)`` when the claimed integrand is not the right one; ``None`` when it is."""
    pieces = expected.pieces
    try:
        pts = np.concatenate([p.region.with_values(values).sample(n, rng=rng) for p in pieces])
    except (ValueError, DomainError):
        return None
    if not len(pts):
        return None
    at = _AtPoints(expected, pts, values)
    claimed = values_at(claim_f, expected.variables, pts, values)
    if _close(claimed, at.pieces([p.integrand for p in pieces])):
        return None
    return (_sign_mistake(expected, claimed, at) or _jacobian_mistake(expected, claimed, claim_f, at)
            or ("wrong_integrand", _said(
                "The integrand is not the original integrand in the new variables times the "
                "absolute Jacobian determinant: it should be {should} (with {element}).",
                should=tuple(p.integrand for p in pieces), element=_element(expected))))


class _AtPoints:
    """Values at the sample points: the correct pieces' formulas, each inside its own region."""

    def __init__(self, expected: ChangedIntegral, pts: np.ndarray, values: Mapping[str, float]):
        self.expected, self.pts, self.values = expected, pts, values
        self._seen: dict[tuple, np.ndarray] = {}

    def pieces(self, exprs: list[sp.Expr]) -> np.ndarray:
        key = tuple(exprs)
        if key not in self._seen:
            self._seen[key] = self._sum(exprs)
        return self._seen[key]

    def _sum(self, exprs: list[sp.Expr]) -> np.ndarray:
        total = np.zeros(len(self.pts))
        for p, e in zip(self.expected.pieces, exprs):
            inside = p.region.with_values(self.values).contains(self.pts)
            total = total + np.where(
                inside, values_at(e, self.expected.variables, self.pts, self.values), 0.0)
        return total


def _close(a: np.ndarray, b: np.ndarray) -> bool:
    """Equal at the sample points where both are finite, and finite at enough of them."""
    ok = np.isfinite(a) & np.isfinite(b)
    if ok.sum() < max(3, len(a) // 2):
        return False
    return bool(np.allclose(a[ok], b[ok], rtol=1e-6, atol=1e-9))


def _element(expected: ChangedIntegral) -> Tex:
    """The volume element as the diagnosis writes it: ``dx dy = r dr dtheta``."""
    factor = sp.Add(*(p.factor for p in expected.pieces))
    dold, dnew = differentials(expected.old_variables), differentials(expected.variables)
    return Tex(f"{dold.latex} = {latex_expr(factor)}\\,{dnew.latex}",
               f"{dold.text} = {sp.sstr(factor)} {dnew.text}")


def _sign_mistake(expected: ChangedIntegral, claimed: np.ndarray, at: _AtPoints
                  ) -> tuple[str, Step] | None:
    """The absolute value of the determinant dropped: the claim is the signed integrand, or
    the right one with its sign flipped (the variables taken in another order)."""
    pieces = expected.pieces
    dets = tuple(p.determinant for p in pieces)
    should = tuple(p.integrand for p in pieces)
    if _close(claimed, at.pieces([p.rewritten * p.determinant for p in pieces])):
        return ("absolute_value_dropped", _said(
            "The absolute value of the Jacobian determinant was dropped: the determinant is {dets}, "
            "negative here, so the element is {element}. The integrand should be {should}.",
            dets=dets, element=_element(expected), should=should))
    if _close(claimed, -at.pieces([p.integrand for p in pieces])):
        # det d(old)/d(new) is positive in this order of the variables; in another order
        # (x and y swapped, say) it is negative, and dropping |.| then flips the sign
        return ("absolute_value_dropped", _said(
            "The integrand has the wrong sign, as when the absolute value of the Jacobian "
            "determinant is dropped: with the variables in the order {old} and {new} the "
            "determinant is {dets}, and with two of them swapped it is {flipped}; an area or "
            "volume element is {element} in any order. The integrand should be {should}.",
            old=expected.old_variables, new=expected.variables, dets=dets,
            flipped=tuple(-d for d in dets), element=_element(expected), should=should))
    return None


def _jacobian_mistake(expected: ChangedIntegral, claimed: np.ndarray, claim_f: sp.Expr,
                      at: _AtPoints) -> tuple[str, Step] | None:
    """The Jacobian factor missing, used the wrong way round, or only partly right."""
    pieces = expected.pieces
    old, new = expected.old_variables, expected.variables
    factor = sp.Add(*(p.factor for p in pieces))
    element, should = _element(expected), tuple(p.integrand for p in pieces)
    given = tuple(p.rewritten for p in pieces)
    rewritten = at.pieces([p.rewritten for p in pieces])
    if _close(claimed, rewritten) and not _close(rewritten, at.pieces(list(should))):
        return ("missing_jacobian", _said(
            "The Jacobian factor is missing: {element}, so the integrand {given} must be "
            "multiplied by {factor}.", element=element, given=given, factor=factor))
    if (_close(claimed, at.pieces([p.rewritten / p.factor for p in pieces]))
            or _close(claimed, at.pieces([p.rewritten / p.determinant for p in pieces]))):
        wrong = sp.Add(*(sp.simplify(1 / p.factor) for p in pieces))
        return ("inverted_jacobian", _said(
            "The Jacobian was used the wrong way round: the factor was {wrong_name} = {wrong}, "
            "but it must be {right_name} = {factor}, so {element}. The integrand should be "
            "{should}.", wrong_name=_abs_partial(new, old), wrong=wrong, element=element,
            right_name=_abs_partial(old, new), factor=factor, should=should))
    partial = _wrong_factor(pieces, claim_f)
    if partial is None:
        return None
    used, missing = partial
    template = ("The Jacobian factor is " + ("wrong" if missing is None else "incomplete")
                + ": {element}, but the claimed integrand is the original integrand in the new "
                "variables ({given}) times {used}. The claim used {used} as the factor"
                + (", so {missing} is missing." if missing is not None else ".")
                + " The integrand should be {should}.")
    parts = dict(element=element, given=given[0], used=used, should=should)
    if missing is not None:
        parts["missing"] = missing
    return ("wrong_jacobian", _said(template, **parts))


def _said(template: str, **parts: object) -> Step:
    """A sentence of a diagnosis, its formulas kept as data for every printer."""
    return Derivation().then(template, **parts)[0]


def _abs_partial(top, bottom) -> Tex:
    from ..derivation import absolute, partial

    return absolute(partial(top, bottom))


def _factors(expr: sp.Expr) -> dict[sp.Expr, sp.Expr]:
    """The non-numeric factors of ``expr`` with their powers (``r**2*sin(t)`` -> {r: 2, sin(t): 1})."""
    powers: dict[sp.Expr, sp.Expr] = {}
    for f in sp.Mul.make_args(sp.factor(expr)):
        base, exp = f.as_base_exp()
        if not base.is_number:
            powers[base] = powers.get(base, 0) + exp
    return powers


def _wrong_factor(pieces, claim_f: sp.Expr) -> tuple[sp.Expr, sp.Expr | None] | None:
    """``(factor used, part missing or None)`` when the claim is the rewritten integrand times a
    factor other than ``|det J|`` that shares a part with it (``r**2`` for ``r**2*sin(theta)``).

    The ratio claimed / rewritten integrand is then a function of the new variables
    alone, which is what tells a wrong Jacobian factor from a wrong integrand.
    """
    if len(pieces) != 1 or pieces[0].rewritten == 0:
        return None
    piece = pieces[0]
    right = piece.factor.args[0] if isinstance(piece.factor, sp.Abs) else piece.factor
    try:
        with time_limit(5, "comparing the claimed Jacobian factor with |det J|"):
            used = sp.factor(sp.simplify(claim_f / piece.rewritten))
            have, want = _factors(used), _factors(right)
            if not have or not set(have) & set(want):
                return None
            missing = None
            if all(b in want and (want[b] - e).is_nonnegative for b, e in have.items()):
                missing = sp.factor(sp.simplify(right / used))   # part of |det J| left out
                if missing.is_number:
                    missing = None
            elif not piece.rewritten.is_number:
                return None   # could as well be the integrand that was rewritten wrongly
    except (SymjacTimeoutError, TypeError, ValueError):
        return None
    return used, missing


def _vs(symbols) -> str:
    return ",".join(map(str, symbols))
