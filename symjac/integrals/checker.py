"""The homework checker: is a student's transformed integral right, and if not, what went wrong?

``check_substitution(original, claimed, t)`` derives the correct new integral,
compares the claimed one with it — the variables, the integrand at sample
points, the region as a set (not just the numbers) — and integrates both
sides numerically. The ``Report`` names the usual mistakes in plain words.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import sympy as sp

from .partial import and_names, check_partial
from ..result import Result
from ..derivation import Derivation
from ..errors import DomainError, ParseError, SymjacTimeoutError
from .change import ChangedIntegral, _parameter_values, change_variables, compare_integrals
from .reading import _upward
from ..parsing import parse_expression
from ..numeric.quadrature import QuadratureResult
from ..numeric.over_region import integrate_region
from ..regions.region import Region
from ..report import CheckReport
from ..timeouts import DEFAULT_TIMEOUT, time_limit
from ..transform import Transform

__all__ = ["Report", "check_substitution", "MISTAKES"]

#: The mistakes the checker recognises, with a short name for each.
MISTAKES = {
    "not_rewritten": "integrand not rewritten in the new variables",
    "wrong_variables": "the integral is not in the new variables",
    "missing_jacobian": "Jacobian factor missing",
    "inverted_jacobian": "Jacobian of the wrong direction",
    "wrong_jacobian": "Jacobian factor incomplete or wrong",
    "absolute_value_dropped": "absolute value of the determinant dropped",
    "wrong_integrand": "integrand wrong",
    "wrong_region": "wrong bounds",
    "missing_branch": "an inverse branch of a substitution that is not one-to-one was left out",
    "wrong_value": "the values differ",
}


@dataclass(frozen=True)
class Report(Result):
    """The checker's verdict on a claimed change of variables.

    Attributes:
        verdict: ``"correct"``, ``"incorrect"`` or ``"undecided"``.
        diagnosis: What is right or wrong, in plain words.
        mistakes: Short names of the mistakes found (keys of ``MISTAKES``).
        evidence: The numeric comparison of the claimed integral (``value``) with
            the original (``expected``), a ``CheckReport``; ``None`` when the claim
            could not be integrated (it still uses the old variables).
        expected: The correct transformed integral.
        claimed: The claimed integral, as read.
        steps: How the verdict was reached.
        numeric: The original and the claimed integral computed numerically,
            each with its error estimate and method.
    """

    verdict: str
    diagnosis: str
    mistakes: tuple[str, ...]
    evidence: CheckReport | None
    expected: ChangedIntegral | None
    claimed: sp.Expr | None
    steps: Derivation
    numeric: tuple[QuadratureResult, QuadratureResult] | None = None

    @property
    def passed(self) -> bool:
        """True when the claimed integral is correct."""
        return self.verdict == "correct"

    def __repr__(self) -> str:
        return f"Report(verdict={self.verdict!r}, mistakes={self.mistakes!r})"

    def __str__(self) -> str:
        text = f"{self.verdict}: {self.diagnosis}"
        if self.numeric is not None:
            text += f"\noriginal: {self.numeric[0]}\nclaimed:  {self.numeric[1]}"
        if self.evidence is not None:
            text += f"\nnumeric check: {self.evidence.verdict}. {self.evidence.reason}"
        return text

    def _latex_body(self) -> str:
        from ..latex import latex_expr, latex_text

        claimed = latex_expr(self.claimed) if self.claimed is not None else ""
        return f"{claimed}\\quad\\text{{{self.verdict}: {latex_text(self.diagnosis)}}}"


def check_substitution(original: object, claimed: object, t: Transform, *,
                       region: object = None, rtol: float = 1e-6,
                       values: Mapping[object, float] | None = None, seed: int = 0,
                       timeout: float | None = DEFAULT_TIMEOUT) -> Report:
    """Check a claimed change of variables in an integral.

    Args:
        original: The integral before: an ``Integral`` with limits (or its
            text), or an integrand with ``region``, or a pair ``(integrand, Region)``.
        claimed: The claimed integral in the new variables, with its bounds
            (an ``Integral`` or its text).
        t: The map used, in either direction (``u = x**2/y`` or ``x = r*cos(theta)``).
        region: The original region when ``original`` is only an integrand.
        rtol: Relative tolerance for the numeric comparison.
        values: Numbers for parameters (default 1.3, 1.7, ...).
        seed: Seed for sample points and Monte Carlo.
        timeout: Seconds allowed for each symbolic step.

    Returns:
        A ``Report`` with ``verdict``, ``diagnosis``, ``mistakes`` and numeric ``evidence``.

    >>> from symjac import Transform, check_substitution
    >>> T = Transform.from_equations("u = x**2/y, v = y**2/x", domain="x > 0, y > 0")
    >>> area = ("1", "1 <= x**2/y <= 2, 1 <= y**2/x <= 2, x > 0, y > 0")
    >>> check_substitution(area, "Integral(1/3, (u, 1, 2), (v, 1, 2))", T).verdict
    'correct'
    >>> r = check_substitution(area, "Integral(3, (u, 1, 2), (v, 1, 2))", T)
    >>> r.verdict, r.mistakes
    ('incorrect', ('inverted_jacobian',))
    """
    if isinstance(original, tuple) and len(original) == 2 and region is None:
        original, region = original
    expected = change_variables(original, t, region=region, evaluate=False, timeout=timeout)
    new_vars, old_vars = expected.variables, expected.old_variables
    symbols = {s.name: s for s in new_vars + old_vars + t.parameters}
    steps = Derivation().then("The correct change of variables.", {"": expected})
    raw = _read_claim(claimed, symbols, orient=False)
    if isinstance(raw, tuple):
        claim, flipped = tuple(_upward(c)[0] for c in raw), []
    else:
        claim, flipped = _upward(raw)
    values = _parameter_values(expected, values)
    if isinstance(claim, tuple):
        return _check_sum(expected, claim, symbols, values, rtol, seed, steps)
    mistakes: list[str] = []
    words: list[str] = []
    if flipped:
        steps = steps.then(f"The limits of {', '.join(flipped)} run downwards: the claim is minus the "
                           f"integral with them upwards, {sp.sstr(claim)}.")

    _known_names(claim, expected, values)
    claim_vars = tuple(lim[0] for lim in claim.limits)
    claim_names, new_names = {s.name for s in claim_vars}, {s.name for s in new_vars}
    if claim_names < new_names:
        done = [v for v in new_vars if v.name not in claim_names]
        depends = sorted({s.name for s in claim.free_symbols} & {v.name for v in done})
        if depends:
            mistakes.append("wrong_variables")
            words.append(f"The claimed integral depends on {', '.join(depends)}, which has no bounds: "
                         f"integrate over {and_names(new_vars)}, or do the integral over "
                         f"{', '.join(depends)} first and leave no {', '.join(depends)} behind.")
            return _report(mistakes, words, None, expected, claim, steps, None)
        return _check_reduced(expected, claim, done, symbols, values, rtol, seed, steps, timeout)
    if claim_names != new_names:
        mistakes.append("wrong_variables")
        words.append(f"The claimed integral is in ({', '.join(map(str, claim_vars))}), but the new "
                     f"variables are ({', '.join(map(str, new_vars))}).")
        return _report(mistakes, words, None, expected, claim, steps, None)
    leftover = sorted({s.name for s in claim.function.free_symbols} & {s.name for s in old_vars}
                      - {s.name for s in new_vars})
    if leftover:
        mistakes.append("not_rewritten")
        words.append(f"The integrand still contains {', '.join(leftover)}: rewrite it in "
                     f"{', '.join(map(str, new_vars))} using "
                     + "; ".join(_eqs(p.branch) for p in expected.pieces) + ".")
    claim_region = Region.from_integral(claim).rename({s.name: s for s in new_vars})
    claim_f = claim.function.xreplace({s: symbols[s.name] for s in claim.function.free_symbols
                                       if s.name in symbols})
    rng = np.random.default_rng(seed)
    region_words = _compare_regions(expected, claim_region, values, rng)
    if region_words:
        mistakes.append("wrong_region")
        words.append(region_words)
    if not leftover:
        found = _compare_integrands(expected, claim_f, claim_region, values, rng)
        if found:
            mistakes.append(found[0])
            words.append(found[1])
    if flipped and "absolute_value_dropped" in mistakes:
        words.append(f"(With the limits of {', '.join(flipped)} the factor is the signed derivative "
                     "instead, so the integrand needs the opposite sign.)")
    if len(expected.branches) > 1 and set(mistakes) & {"wrong_integrand", "wrong_jacobian", "wrong_region"}:
        mistakes = ["missing_branch"]
        words = [f"The substitution is not one-to-one on the region: each of its inverse branches "
                 f"({'; '.join(_eqs(b) for b in expected.branches)}) contributes, so the integral "
                 f"is {expected} (a region covered twice counts twice)."]
    steps = steps.then("Compared the variables, the integrand at sample points and the region "
                       "as a set.", {"mistakes found": ", ".join(mistakes) or "none"})
    evidence, numeric = None, None
    if "not_rewritten" not in mistakes:
        before = integrate_region(expected.original_integrand, expected.original_region,
                                  values=values, seed=seed)
        after = integrate_region(claim_f, claim_region, values=values, seed=seed + 1)
        numeric = (before, after)
        evidence = compare_integrals(before, after, rtol=rtol,
                                     what="the claimed integral against the original")
        steps = steps.then(f"Numeric evidence: {evidence.verdict}.",
                           {"original": str(before), "claimed": str(after)})
        if not mistakes and evidence.verdict == "failed" and len(expected.branches) > 1:
            mistakes.append("missing_branch")
            words.append(f"The substitution is not one-to-one on the region: every inverse branch "
                         f"contributes, so the integral is {expected}.")
        elif not mistakes and evidence.verdict == "failed":
            mistakes.append("wrong_value")
            words.append("The claimed integral has a different value from the original: "
                         f"{after.value:.10g} instead of {before.value:.10g}.")
        elif mistakes and evidence.verdict == "passed":
            words.append("(The two values happen to agree, but the integral is still set up wrongly.)")
    return _report(mistakes, words, evidence, expected, claim, steps, numeric)


def _check_reduced(expected: ChangedIntegral, claim: sp.Integral, done: list[sp.Symbol],
                   symbols: Mapping[str, sp.Symbol], values: Mapping[str, float], rtol: float,
                   seed: int, steps: Derivation, timeout: float | None) -> Report:
    """Check a claim in which the integrals over ``done`` were already carried out by hand."""
    new_vars, old_vars = expected.variables, expected.old_variables
    leftover = sorted({s.name for s in claim.function.free_symbols} & {s.name for s in old_vars}
                      - {s.name for s in new_vars})
    if leftover:
        return _report(["not_rewritten"], [f"The integrand still contains {', '.join(leftover)}: "
                       f"rewrite it in {_vs(new_vars)}."], None, expected, claim, steps, None)
    claim_region = Region.from_integral(claim).rename({s.name: s for s in new_vars})
    claim_f = claim.function.xreplace({s: symbols[s.name] for s in claim.function.free_symbols
                                       if s.name in symbols})
    found = check_partial(expected, claim_f, claim_region, done, values, rtol=rtol, seed=seed,
                          timeout=timeout)
    return _report(list(found.mistakes), list(found.words), found.evidence, expected, claim,
                   steps + found.steps, found.numeric, note=found.note)


def _check_sum(expected: ChangedIntegral, claims: tuple[sp.Integral, ...],
               symbols: Mapping[str, sp.Symbol], values: Mapping[str, float], rtol: float, seed: int,
               steps: Derivation) -> Report:
    """Check a claimed sum of integrals (a map that is not one-to-one gives one per branch).

    The sum is compared as a whole: at sample points of every piece, the
    claimed pieces' integrands (over their regions) must add up to the correct ones.
    """
    new_names = {s.name for s in expected.variables}
    old_names = {s.name for s in expected.old_variables} - new_names
    sum_claim = sp.Add(*claims, evaluate=False)
    for c in claims:
        if {lim[0].name for lim in c.limits} != new_names:
            return _report(["wrong_variables"], [f"Each integral must be in ({_vs(expected.variables)})."],
                           None, expected, sum_claim, steps, None)
        leftover = sorted({s.name for s in c.function.free_symbols} & old_names)
        if leftover:
            return _report(["not_rewritten"], [f"The integrand still contains {', '.join(leftover)}: "
                           f"rewrite it in {_vs(expected.variables)}."], None, expected, sum_claim,
                           steps, None)
    order = [s.name for s in expected.variables]
    by_name = {s.name: s for s in expected.variables}
    parts = []
    for c in claims:
        region = Region.from_integral(c).rename(by_name)
        region = Region(tuple(sorted(region.variables, key=lambda s: order.index(s.name))),
                        region.conditions, region.bounds, region.note)
        f = c.function.xreplace({s: symbols[s.name] for s in c.function.free_symbols if s.name in symbols})
        parts.append((f, region))
    rng = np.random.default_rng(seed)
    expected_parts = [(p.integrand, p.region) for p in expected.pieces]
    try:
        pts = np.concatenate([r.with_values(values).sample(60, rng=rng, values=_symvals(r, values))
                              for _, r in expected_parts + parts])
        same = np.allclose(_weighted(expected_parts, pts, expected.variables, values),
                           _weighted(parts, pts, expected.variables, values), rtol=1e-6, atol=1e-9)
    except (ValueError, DomainError, TypeError):
        same = True  # no structural evidence; the numbers decide
    mistakes, words = [], []
    if not same:
        mistakes = ["missing_branch" if len(expected.branches) > 1 else "wrong_integrand"]
        words = [f"The claimed integrals do not add up to the right integrand over the right region: "
                 f"the integral is {expected}."]
    before = integrate_region(expected.original_integrand, expected.original_region, values=values,
                              seed=seed)
    pieces = [integrate_region(f, r, values=values, seed=seed + 1) for f, r in parts]
    after = QuadratureResult(sum(q.value for q in pieces), sum(q.error for q in pieces),
                             " + ".join(sorted({q.method for q in pieces})),
                             all(q.converged for q in pieces), any(q.statistical for q in pieces),
                             sum(q.evaluations for q in pieces), seed,
                             tuple(w for q in pieces for w in q.warnings))
    evidence = compare_integrals(before, after, rtol=rtol, what="the claimed integrals against the original")
    steps = steps.then("Compared the sum of the claimed integrals with the correct pieces at sample "
                       "points, and both values.", {"original": str(before), "claimed": str(after)})
    if not mistakes and evidence.verdict == "failed":
        mistakes, words = ["wrong_value"], [f"The claimed integrals add up to {after.value:.10g}, "
                                            f"not {before.value:.10g}."]
    return _report(mistakes, words, evidence, expected, sum_claim, steps, (before, after))


def _weighted(parts: list[tuple[sp.Expr, Region]], pts: np.ndarray, variables, values) -> np.ndarray:
    """``sum of f(p) over the parts whose region holds p``, at each point."""
    total = np.zeros(len(pts))
    for f, region in parts:
        g = f.xreplace({s: values[s.name] for s in f.free_symbols if s.name in values})
        with np.errstate(all="ignore"):
            vals = np.broadcast_to(np.asarray(sp.lambdify(variables, g, modules="numpy")(*pts.T),
                                              dtype=complex), (len(pts),)).real
        inside = region.with_values(values).contains(pts)
        total = total + np.where(inside, vals, 0.0)
    return total


def _report(mistakes: list[str], words: list[str], evidence: CheckReport | None,
            expected: ChangedIntegral, claim: sp.Integral, steps: Derivation,
            numeric: tuple[QuadratureResult, QuadratureResult] | None, *, note: str = "") -> Report:
    if mistakes:
        verdict = "incorrect"
        diagnosis = " ".join(words)
    elif evidence is not None and evidence.verdict == "passed":
        verdict = "correct"
        diagnosis = (f"{note} The claim is judged on its value, which agrees with the original "
                     "integral numerically." if note else
                     "The integrand, the Jacobian factor and the region are right, and the "
                     "numeric values agree.")
    else:
        verdict = "undecided"
        reason = evidence.reason if evidence is not None else "no numeric evidence"
        diagnosis = ("No mistake was found, but the numeric comparison could not decide: "
                     f"{reason.rstrip('.')}.")
        if note:
            diagnosis = f"{note} {diagnosis}"
    return Report(verdict, diagnosis, tuple(mistakes), evidence, expected, claim,
                  steps.then(f"Verdict: {verdict}."), numeric)


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
    claimed = claimed.xreplace({s: symbols[s.name] for s in claimed.free_symbols if s.name in symbols})
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
            e = e.xreplace({s: values[s.name] for s in e.free_symbols if s.name in values})
            f = sp.lambdify(variables, e, modules="numpy")
            with np.errstate(all="ignore"):
                vals = np.broadcast_to(np.asarray(f(*pts.T), dtype=complex), (len(pts),))
            inside = p.region.with_values(values).contains(pts)
            total = total + np.where(inside, vals.real, 0.0)
        return total

    def close(a: np.ndarray, b: np.ndarray) -> bool:
        ok = np.isfinite(a) & np.isfinite(b)
        if ok.sum() < max(3, len(a) // 2):
            return False
        return bool(np.allclose(a[ok], b[ok], rtol=1e-6, atol=1e-9))

    g = claim_f.xreplace({s: values[s.name] for s in claim_f.free_symbols if s.name in values})
    with np.errstate(all="ignore"):
        claimed = np.broadcast_to(np.asarray(sp.lambdify(variables, g, modules="numpy")(*pts.T),
                                             dtype=complex), (len(pts),)).real
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
