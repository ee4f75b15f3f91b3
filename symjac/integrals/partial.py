"""Claims in which some of the integrals were already done by hand.

``2*pi*Integral(r, (r, 0, 1))`` for the unit disk in polar coordinates has no
integral over theta left. Such a claim is judged on its value; when the value
is wrong, the correct integral with the same integrals done names the mistake.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import sympy as sp

from ..derivation import Derivation, numeric_sentence
from ..errors import DomainError, SymjacTimeoutError
from .change import ChangedIntegral, compare_integrals
from ..numeric.quadrature import QuadratureResult
from .evaluation import original_number, quadrature_rtol, values_at
from ..numeric.over_region import integrate_region
from ..regions.region import Region
from ..report import CheckReport
from ..timeouts import time_limit

__all__ = ["PartialCheck", "check_partial", "and_names"]


@dataclass(frozen=True)
class PartialCheck:
    """What the checker found in a claim with some integrals already done.

    Attributes:
        mistakes: Short names of the mistakes found (empty when the value is right).
        words: The diagnosis of the mistakes, in plain words.
        note: What was done by hand and how the claim was judged.
        evidence: The numeric comparison of the two values.
        numeric: The original and the claimed integral computed numerically.
        steps: How it was decided.
    """

    mistakes: tuple[str, ...]
    words: tuple[str, ...]
    note: str
    evidence: CheckReport
    numeric: tuple[QuadratureResult, QuadratureResult]
    steps: Derivation


def check_partial(expected: ChangedIntegral, claim_f: sp.Expr, claim_region: Region,
                  done: list[sp.Symbol], values: Mapping[str, float], *, rtol: float = 1e-6,
                  seed: int = 0, timeout: float | None = 10) -> PartialCheck:
    """Judge a claimed integral over fewer variables (the integrals over ``done`` done by hand).

    Args:
        expected: The correct transformed integral.
        claim_f: The claimed integrand, in the new variables that are left.
        claim_region: The claimed region in those variables.
        done: The new variables whose integrals the claim has already carried out.
        values: Numbers for parameters.
        rtol: Relative tolerance for the numeric comparison.
        seed: Seed for sample points and Monte Carlo.
        timeout: Seconds allowed for doing the inner integrals of the correct answer.

    Returns:
        A ``PartialCheck``.

    >>> from symjac import check_substitution, system
    >>> disk = ("1", "x**2 + y**2 <= 1")
    >>> check_substitution(disk, "2*pi*Integral(r, (r, 0, 1))", system("polar")).verdict
    'correct'
    """
    kept = [v for v in expected.variables if v not in done]
    reduced = _integrate_out(expected, expected.integrand, done, timeout)
    if len(done) == 1:
        what = f"the integral over {and_names(done)} was"
    else:
        what = f"the integrals over {and_names(done)} were"
    note = f"The claim integrates over {and_names(kept)} only: {what} already done by hand."
    if reduced is not None:
        note += (f" Doing {'it' if len(done) == 1 else 'them'} in the correct integral gives "
                 f"{sp.sstr(reduced)}.")
    steps = Derivation().then(
        f"The claim has no integral over {and_names(done)}: compare the values."
        + (" The correct integral with it done:" if reduced is not None else ""),
        [("", reduced)] if reduced is not None else None)
    before = original_number(expected.original_integrand, expected.original_region, values, seed,
                             rtol)
    after = integrate_region(claim_f, claim_region, values=values, seed=seed + 1, stand_ins=True,
                             rtol=quadrature_rtol(rtol))
    evidence = compare_integrals(before, after, rtol=rtol, what="the claimed integral against the original")
    steps = steps.then(numeric_sentence(before, after, evidence.verdict,
                                        names=("the original integral", "the claimed one")))
    if evidence.verdict != "failed":
        return PartialCheck((), (), note, evidence, (before, after), steps)
    words = (note, f"The claim's value is {after.value:.10g}, but the original integral is "
                   f"{before.value:.10g}.")
    found = _reduced_mistake(expected, done, reduced, claim_f, claim_region, values, seed, timeout)
    if found is not None:
        return PartialCheck((found[0],), (found[1],) + words, "", evidence, (before, after), steps)
    return PartialCheck(("wrong_value",), words, "", evidence, (before, after), steps)


def and_names(symbols) -> str:
    """``theta``, ``theta and phi``, ``r, theta and phi``."""
    names = [str(s) for s in symbols]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _reduced_mistake(expected: ChangedIntegral, done: list[sp.Symbol], reduced: sp.Integral | None,
                     claim_f: sp.Expr, claim_region: Region, values: Mapping[str, float], seed: int,
                     timeout: float | None) -> tuple[str, str] | None:
    """``(mistake, words)`` for a wrong claim with inner integrals done, when one mistake explains it."""
    if reduced is None:
        return None
    kept = tuple(lim[0] for lim in reduced.limits)
    rng = np.random.default_rng(seed)
    try:
        pts = claim_region.sample(200, rng=rng, values={p: values[p.name] for p in claim_region.parameters
                                                          if p.name in values})
        if not len(pts):
            return None
        order = [claim_region.variables.index(v) for v in kept]
        pts = pts[:, order]

        def at(e: sp.Expr) -> np.ndarray:
            return values_at(e, kept, pts, values)

        claimed = at(claim_f)
        if np.allclose(claimed, at(reduced.function), rtol=1e-6, atol=1e-9):
            return ("wrong_region", f"The integrand is right, so the bounds must be wrong: with the "
                                    f"integral over {and_names(done)} done the correct answer is "
                                    f"{sp.sstr(reduced)}.")
        with np.errstate(all="ignore"):
            ratio = at(reduced.function) / claimed
        ratio = ratio[np.isfinite(ratio)]
        if len(ratio) >= 3 and np.allclose(ratio, ratio[0], rtol=1e-6) and ratio[0] != 0:
            return ("wrong_value", f"The claimed integrand is off by a constant factor: the correct one "
                                   f"is {ratio[0]:.6g} times it. Check the constant that the integral "
                                   f"over {and_names(done)} gives.")
        bare = _integrate_out(expected, expected.pieces[0].rewritten, done, timeout)
        if bare is not None and np.allclose(claimed, at(bare.function), rtol=1e-6, atol=1e-9):
            piece = expected.pieces[0]
            dold = "d" + " d".join(map(str, expected.old_variables))
            dnew = "d" + " d".join(map(str, expected.variables))
            factor = sp.sstr(piece.factor)
            return ("missing_jacobian", f"The Jacobian factor is missing: {dold} = {factor} {dnew}, so the "
                                        f"integrand must be multiplied by {factor} before the integral "
                                        f"over {and_names(done)} is done.")
    except (ValueError, DomainError, TypeError):
        return None
    return None


def _integrate_out(expected: ChangedIntegral, integrand: sp.Expr, done: list[sp.Symbol],
                   timeout: float | None) -> sp.Integral | None:
    """The correct integral (of ``integrand``) with the integrals over ``done`` carried out, when easy."""
    if len(expected.pieces) != 1 or expected.region.bounds is None:
        return None
    limits = expected.region.limits()
    inner = [lim for lim in limits if lim[0] in done]
    outer = [lim for lim in limits if lim[0] not in done]
    # Fubini: the done variables can go innermost when no kept variable's bounds use them
    if any((lim[1].free_symbols | lim[2].free_symbols) & set(done) for lim in outer):
        return None
    try:
        with time_limit(min(timeout or 10, 10), "doing the inner integrals of the correct answer"):
            f = sp.simplify(sp.integrate(integrand, *inner))
    except (SymjacTimeoutError, ValueError, TypeError, NotImplementedError):
        return None
    if f.has(sp.Integral):
        return None
    return sp.Integral(f, *outer)
