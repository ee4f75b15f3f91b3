"""Comparing a claimed integral with the correct one: reading the claim, the region as a set,
the integrand at sample points, and which factor is wrong.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping

import numpy as np
import sympy as sp

from ..errors import DomainError, ParseError, SymjacTimeoutError
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
                if v.name in order and all(
                        sp.simplify(e.xreplace({v: v + 2 * sp.pi}) - e) == 0 for e in branch.exprs):
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


def _symvals(region: Region, values: Mapping[str, float]) -> dict:
    return {p: values[p.name] for p in region.parameters if p.name in values}


def _compare_integrands(expected: ChangedIntegral, claim_f: sp.Expr, claim_region: Region,
                        values: Mapping[str, float], rng: np.random.Generator, n: int = 60
                        ) -> tuple[str, str] | None:
    """``(mistake, words)`` when the claimed integrand is not the right one; ``None`` when it is."""
    variables = expected.variables
    pieces = expected.pieces
    try:
        pts = np.concatenate([p.region.with_values(values).sample(n, rng=rng) for p in pieces])
    except (ValueError, DomainError):
        return None
    if not len(pts):
        return None

    def numbers(exprs: list[sp.Expr]) -> np.ndarray:
        total = np.zeros(len(pts))
        for p, e in zip(pieces, exprs):
            inside = p.region.with_values(values).contains(pts)
            total = total + np.where(inside, values_at(e, variables, pts, values), 0.0)
        return total

    def close(a: np.ndarray, b: np.ndarray) -> bool:
        ok = np.isfinite(a) & np.isfinite(b)
        if ok.sum() < max(3, len(a) // 2):
            return False
        return bool(np.allclose(a[ok], b[ok], rtol=1e-6, atol=1e-9))

    claimed = values_at(claim_f, variables, pts, values)
    right = numbers([p.integrand for p in pieces])
    if close(claimed, right):
        return None
    factor = " + ".join(sp.sstr(p.factor) for p in pieces)
    old, new = expected.old_variables, variables
    dold = "d" + " d".join(map(str, old))
    dnew = "d" + " d".join(map(str, new))
    rewritten = numbers([p.rewritten for p in pieces])
    signed = numbers([p.rewritten * p.determinant for p in pieces])
    dets = ", ".join(sp.sstr(p.determinant) for p in pieces)
    should = ", ".join(sp.sstr(p.integrand) for p in pieces)
    if close(claimed, signed):
        return ("absolute_value_dropped",
                f"The absolute value of the Jacobian determinant was dropped: det = {dets} is "
                f"negative here, so {dold} = |det| {dnew} = {factor} {dnew}. The integrand should be "
                f"{should}.")
    if close(claimed, -right):
        # det d(old)/d(new) is positive in this order of the variables; in another order
        # (x and y swapped, say) it is negative, and dropping |.| then flips the sign
        flipped = ", ".join(sp.sstr(-p.determinant) for p in pieces)
        return ("absolute_value_dropped",
                f"The integrand has the wrong sign, as when the absolute value of the Jacobian "
                f"determinant is dropped: with the variables in the order {_vs(old)} and {_vs(new)} "
                f"det d({_vs(old)})/d({_vs(new)}) = {dets}, and with two of them swapped it is "
                f"{flipped}; an area or volume element is |det| {dnew} = {factor} {dnew} in any "
                f"order. The integrand should be {should}.")
    if close(claimed, rewritten) and not close(rewritten, right):
        return ("missing_jacobian",
                f"The Jacobian factor is missing: {dold} = {factor} {dnew}, so the integrand "
                f"{', '.join(sp.sstr(p.rewritten) for p in pieces)} must be multiplied by {factor}.")
    inverted = numbers([p.rewritten / p.factor for p in pieces])
    inverted_signed = numbers([p.rewritten / p.determinant for p in pieces])
    if close(claimed, inverted) or close(claimed, inverted_signed):
        wrong = " + ".join(sp.sstr(sp.simplify(1 / p.factor)) for p in pieces)
        return ("inverted_jacobian",
                f"The Jacobian was used the wrong way round: the factor was |d({_vs(new)})/d({_vs(old)})| "
                f"= {wrong}, but {dold} = |d({_vs(old)})/d({_vs(new)})| {dnew} = {factor} {dnew}. "
                f"The integrand should be {', '.join(sp.sstr(p.integrand) for p in pieces)}.")
    partial = _wrong_factor(pieces, claim_f)
    if partial is not None:
        used, missing = partial
        words = (f"The Jacobian factor is {'wrong' if missing is None else 'incomplete'}: {dold} = "
                 f"|det J| {dnew} with |det J| = {factor}, but the claimed integrand is the original "
                 f"integrand in the new variables ({sp.sstr(pieces[0].rewritten)}) times {used}. "
                 f"The claim used {used} as the factor")
        words += f", so {missing} is missing." if missing is not None else "."
        return ("wrong_jacobian", f"{words} The integrand should be {should}.")
    return ("wrong_integrand",
            "The integrand is not the original integrand in the new variables times |det J|: it "
            f"should be {', '.join(sp.sstr(p.integrand) for p in pieces)} (with {dold} = {factor} {dnew}).")


def _factors(expr: sp.Expr) -> dict[sp.Expr, sp.Expr]:
    """The non-numeric factors of ``expr`` with their powers (``r**2*sin(t)`` -> {r: 2, sin(t): 1})."""
    powers: dict[sp.Expr, sp.Expr] = {}
    for f in sp.Mul.make_args(sp.factor(expr)):
        base, exp = f.as_base_exp()
        if not base.is_number:
            powers[base] = powers.get(base, 0) + exp
    return powers


def _wrong_factor(pieces, claim_f: sp.Expr) -> tuple[str, str | None] | None:
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
    return sp.sstr(used), None if missing is None else sp.sstr(missing)


def _vs(symbols) -> str:
    return ",".join(map(str, symbols))
