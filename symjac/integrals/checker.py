"""The homework checker: is a student's transformed integral right, and if not, what went wrong?

``check_substitution(original, claimed, t)`` derives the correct new integral,
compares the claimed one with it — the variables, the integrand at sample
points, the region as a set (not just the numbers) — and integrates both
sides numerically. The ``Report`` names the usual mistakes in plain words.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import sympy as sp

from .partial import and_names, check_partial
from ..result import Result
from ..derivation import Derivation, Step, numeric_sentence
from ..errors import DomainError, SymjacError
from .change import (SYMPY_FAILURES, ChangedIntegral, _parameter_values, change_variables,
                     compare_integrals)
from .evaluation import Recent, original_number, quadrature_rtol
from .reading import _upward
from ..numeric.quadrature import QuadratureResult
from ..numeric.over_region import integrate_region
from ..regions.region import Region
from ..report import CheckReport
from ..timeouts import DEFAULT_TIMEOUT
from ..transform import Transform

__all__ = ["Report", "check_substitution", "MISTAKES"]
from .comparison import (_compare_integrands, _compare_regions, _eqs, _known_names, _read_claim,
                         _symvals, _vs, _weighted)


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
    explanation: Derivation = Derivation()

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

    def to_text(self) -> str:
        """The verdict for a terminal, as ``symjac check`` prints it: the verdict, the diagnosis,
        the numeric evidence and the correct integral."""
        lines = [f"verdict: {self.verdict}", "", self.diagnosis]
        if self.numeric is not None:
            before, after = self.numeric
            lines += ["", "numeric evidence:", f"  original: {before}", f"  claimed:  {after}"]
        if self.evidence is not None:
            lines.append(f"  {self.evidence.verdict}: {self.evidence.reason}")
        if self.expected is not None:
            lines += ["", f"the correct integral: {self.expected}"]
        return "\n".join(lines)

    def _data(self) -> dict[str, object]:
        """The JSON form (``to_dict``): verdict, diagnosis, mistakes, evidence and steps."""
        return {
            "verdict": self.verdict,
            "diagnosis": self.diagnosis,
            "mistakes": list(self.mistakes),
            "expected": None if self.expected is None else str(self.expected),
            "evidence": None if self.evidence is None else {
                "verdict": self.evidence.verdict, "reason": self.evidence.reason},
            "numeric": None if self.numeric is None else {
                name: {"value": q.value, "error": q.error, "method": q.method,
                       "converged": q.converged}
                for name, q in zip(("original", "claimed"), self.numeric)},
            "steps": [s.text for s in self.steps],
        }

    def _latex_body(self) -> str:
        from ..latex import latex_expr

        claimed = latex_expr(self.claimed) + r"\qquad " if self.claimed is not None else ""
        return claimed + r"\text{" + self.verdict + "}"

    def _explained(self) -> Derivation:
        return self.explanation if len(self.explanation) else Derivation().then(self.diagnosis)

    def _problem(self) -> Derivation:
        """The problem, the student's claim next to the right one, and the diagnosis."""
        d = self.expected._problem("Check the change of variables in") \
            if self.expected is not None else Derivation()
        if self.claimed is not None:
            d = d.then("The claimed integral in the new variables is", [("", self.claimed)])
        if self.expected is not None:
            try:
                d = d.then("and the correct one is", [("", self.expected.as_integral())])
            except DomainError:
                pass
        verdict = {"correct": "The claim is correct.", "incorrect": "The claim is incorrect.",
                   "undecided": "The claim could not be decided."}[self.verdict]
        return d.then(verdict) + self._explained()

    def _answer(self) -> Derivation:
        """Nothing more to answer: the problem statement already gives the verdict."""
        return Derivation()

    def _repr_markdown_(self) -> str:
        """Jupyter: the verdict, the claim and the diagnosis as paragraphs that wrap."""
        from ..latex import latex_expr, latex_steps

        head = f"**{self.verdict.capitalize()}.**"
        if self.claimed is not None:
            head += " The claim: $" + latex_expr(self.claimed, inline=True) + "$."
        return head + "\n\n" + latex_steps(self._explained(), mathjax=True, numbered=False)

    _repr_latex_ = None  # Jupyter shows the Markdown, which wraps


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
    expected = _expected(original, t, region, timeout)
    try:
        return _judge(expected, claimed, t, rtol, values, seed, timeout)
    except SymjacError:
        raise
    except SYMPY_FAILURES as exc:
        raise DomainError(
            f"SymPy failed while comparing the claim with the correct integral ({type(exc).__name__}: "
            f"{exc}); the claim could not be checked.", value=claimed,
            hint="Write the claim as Integral(integrand, (u, lo, hi), ...) in the new variables.") from None


#: The correct change of variables of recent checks: every claim about one problem is compared
#: with the same one, derived once.
_EXPECTED = Recent(32)


def _expected(original: object, t: Transform, region: object,
              timeout: float | None) -> ChangedIntegral:
    """``change_variables(original, t, region=region, evaluate=False)``, derived once for recent
    problems (the same integral, map and region, compared by type and value)."""
    try:
        key = (_frozen(original), t, _frozen(region), timeout)
        known = _EXPECTED.get(key)
    except TypeError:  # something unhashable: derive it
        return change_variables(original, t, region=region, evaluate=False, timeout=timeout)
    if known is None:
        known = change_variables(original, t, region=region, evaluate=False, timeout=timeout)
        _EXPECTED.keep(key, known)
    return known


def _frozen(value: object) -> object:
    """A hashable key for an argument: lists become tuples, and each value keeps its type
    (so 1, 1.0 and "1" stay different problems)."""
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, tuple(_frozen(v) for v in value))
    return (type(value).__name__, value)


def _judge(expected: ChangedIntegral, claimed: object, t: Transform, rtol: float,
           values: Mapping[object, float] | None, seed: int, timeout: float | None) -> Report:
    """The verdict on ``claimed`` against the correct change of variables ``expected``."""
    new_vars, old_vars = expected.variables, expected.old_variables
    symbols = {s.name: s for s in new_vars + old_vars + t.parameters}
    try:
        steps = Derivation().then("The correct change of variables:", [("", expected.as_integral())])
    except DomainError:
        steps = Derivation().then("The correct change of variables:", [("", expected)])
    raw = _read_claim(claimed, symbols, orient=False)
    if isinstance(raw, tuple):
        claim, flipped = tuple(_upward(c)[0] for c in raw), []
    else:
        claim, flipped = _upward(raw)
    values = _parameter_values(expected, values)
    if isinstance(claim, tuple):
        return _check_sum(expected, claim, symbols, values, rtol, seed, steps)
    if flipped:
        steps = steps.then(f"The limits of {', '.join(flipped)} run downwards: the claim is minus the "
                           "integral with them upwards,", [("", claim)])
    _known_names(claim, expected, values)
    early = _other_variables(expected, claim, symbols, values, rtol, seed, steps, timeout)
    if early is not None:
        return early
    mistakes, words, claim_f, claim_region = _structure(expected, claim, symbols, values, seed,
                                                        flipped)
    found = {"missing_jacobian": "the Jacobian factor is missing",
             "inverted_jacobian": "the Jacobian was used the wrong way round",
             "wrong_jacobian": "the Jacobian factor is wrong",
             "absolute_value_dropped": "the absolute value of the Jacobian was dropped",
             "wrong_region": "the region is wrong", "wrong_integrand": "the integrand is wrong",
             "not_rewritten": "the integrand is not rewritten in the new variables",
             "missing_branch": "an inverse branch is missing"}
    seen = "; ".join(found.get(m, m.replace("_", " ")) for m in mistakes) or "no mistake"
    steps = steps.then("Compared the variables, the integrand at sample points and the region "
                       f"as a set: {seen}.")
    if "not_rewritten" in mistakes:
        return _report(mistakes, words, None, expected, claim, steps, None)
    return _with_evidence(expected, claim, claim_f, claim_region, mistakes, words, values, rtol,
                          seed, steps)


def _other_variables(expected: ChangedIntegral, claim: sp.Integral, symbols, values, rtol, seed,
                     steps: Derivation, timeout: float | None) -> Report | None:
    """The report when the claim is over fewer or other variables than the new ones, else None."""
    new_vars = expected.variables
    claim_vars = tuple(lim[0] for lim in claim.limits)
    claim_names, new_names = {s.name for s in claim_vars}, {s.name for s in new_vars}
    if claim_names < new_names:
        done = [v for v in new_vars if v.name not in claim_names]
        depends = sorted({s.name for s in claim.free_symbols} & {v.name for v in done})
        if depends:
            return _report(["wrong_variables"], [
                f"The claimed integral depends on {', '.join(depends)}, which has no bounds: "
                f"integrate over {and_names(new_vars)}, or do the integral over "
                f"{', '.join(depends)} first and leave no {', '.join(depends)} behind."],
                None, expected, claim, steps, None)
        return _check_reduced(expected, claim, done, symbols, values, rtol, seed, steps, timeout)
    if claim_names != new_names:
        return _report(["wrong_variables"], [
            f"The claimed integral is in ({', '.join(map(str, claim_vars))}), but the new "
            f"variables are ({', '.join(map(str, new_vars))})."], None, expected, claim, steps, None)
    return None


def _structure(expected: ChangedIntegral, claim: sp.Integral, symbols, values, seed: int,
               flipped: list[str]) -> tuple[list[str], list[str], sp.Expr, Region]:
    """The mistakes seen without integrating: leftover old variables, the region, the integrand."""
    new_vars, old_vars = expected.variables, expected.old_variables
    mistakes: list[str] = []
    words: list[str] = []
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
    return mistakes, words, claim_f, claim_region


def _with_evidence(expected: ChangedIntegral, claim: sp.Integral, claim_f: sp.Expr,
                   claim_region: Region, mistakes: list[str], words: list[str], values, rtol: float,
                   seed: int, steps: Derivation) -> Report:
    """Both integrals numerically, and the verdict that the numbers and the mistakes give."""
    before = original_number(expected.original_integrand, expected.original_region, values, seed,
                             rtol)
    after = integrate_region(claim_f, claim_region, values=values, seed=seed + 1, stand_ins=True,
                             rtol=quadrature_rtol(rtol))
    evidence = compare_integrals(before, after, rtol=rtol,
                                 what="the claimed integral against the original")
    steps = steps.then(numeric_sentence(before, after, evidence.verdict,
                                        names=("the original integral", "the claimed one")))
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
    return _report(mistakes, words, evidence, expected, claim, steps, (before, after))


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
    sum_claim = sp.Add(*claims, evaluate=False)
    wrong_form = _sum_in_wrong_variables(expected, claims)
    if wrong_form is not None:
        return _report([wrong_form[0]], [wrong_form[1]], None, expected, sum_claim, steps, None)
    parts = _sum_parts(expected, claims, symbols)
    mistakes, words = [], []
    if not _sum_matches_pieces(expected, parts, values, seed):
        mistakes = ["missing_branch" if len(expected.branches) > 1 else "wrong_integrand"]
        words = [f"The claimed integrals do not add up to the right integrand over the right region: "
                 f"the integral is {expected}."]
    before, after = _sum_numbers(expected, parts, values, seed, rtol)
    evidence = compare_integrals(before, after, rtol=rtol, what="the claimed integrals against the original")
    steps = steps.then("Compared the sum of the claimed integrals with the correct pieces at sample "
                       "points. " + numeric_sentence(before, after, evidence.verdict,
                                                     names=("the original integral", "the claimed sum")))
    if not mistakes and evidence.verdict == "failed":
        mistakes, words = ["wrong_value"], [f"The claimed integrals add up to {after.value:.10g}, "
                                            f"not {before.value:.10g}."]
    return _report(mistakes, words, evidence, expected, sum_claim, steps, (before, after))


def _sum_in_wrong_variables(expected: ChangedIntegral, claims: tuple[sp.Integral, ...]
                            ) -> tuple[str, str] | None:
    """(mistake, sentence) when a claimed integral is not over the new variables or its
    integrand still has old ones; None when every one is in the new variables."""
    new_names = {s.name for s in expected.variables}
    old_names = {s.name for s in expected.old_variables} - new_names
    for c in claims:
        if {lim[0].name for lim in c.limits} != new_names:
            return "wrong_variables", f"Each integral must be in ({_vs(expected.variables)})."
        leftover = sorted({s.name for s in c.function.free_symbols} & old_names)
        if leftover:
            return "not_rewritten", (f"The integrand still contains {', '.join(leftover)}: "
                                     f"rewrite it in {_vs(expected.variables)}.")
    return None


def _sum_parts(expected: ChangedIntegral, claims: tuple[sp.Integral, ...],
               symbols: Mapping[str, sp.Symbol]) -> list[tuple[sp.Expr, Region]]:
    """Each claimed integral as (integrand, region) in the checker's symbols, its variables in
    the order of the correct integral's."""
    order = [s.name for s in expected.variables]
    by_name = {s.name: s for s in expected.variables}
    parts = []
    for c in claims:
        region = Region.from_integral(c).rename(by_name)
        region = Region(tuple(sorted(region.variables, key=lambda s: order.index(s.name))),
                        region.conditions, region.bounds, region.note)
        f = c.function.xreplace({s: symbols[s.name] for s in c.function.free_symbols if s.name in symbols})
        parts.append((f, region))
    return parts


def _sum_matches_pieces(expected: ChangedIntegral, parts: list[tuple[sp.Expr, Region]],
                        values: Mapping[str, float], seed: int) -> bool:
    """Whether the claimed pieces add up to the correct ones at sample points of every piece;
    True when no points can be drawn (then the numbers decide)."""
    rng = np.random.default_rng(seed)
    expected_parts = [(p.integrand, p.region) for p in expected.pieces]
    try:
        pts = np.concatenate([r.with_values(values).sample(60, rng=rng, values=_symvals(r, values))
                              for _, r in expected_parts + parts])
        return bool(np.allclose(_weighted(expected_parts, pts, expected.variables, values),
                                _weighted(parts, pts, expected.variables, values),
                                rtol=1e-6, atol=1e-9))
    except (ValueError, DomainError, TypeError):
        return True  # no structural evidence; the numbers decide


def _sum_numbers(expected: ChangedIntegral, parts: list[tuple[sp.Expr, Region]],
                 values: Mapping[str, float], seed: int, rtol: float
                 ) -> tuple[QuadratureResult, QuadratureResult]:
    """The original integral and the sum of the claimed ones, numerically, with their evidence."""
    before = original_number(expected.original_integrand, expected.original_region, values, seed,
                             rtol)
    pieces = [integrate_region(f, r, values=values, seed=seed + 1, stand_ins=True,
                               rtol=quadrature_rtol(rtol)) for f, r in parts]
    after = QuadratureResult(sum(q.value for q in pieces), sum(q.error for q in pieces),
                             " + ".join(sorted({q.method for q in pieces})),
                             all(q.converged for q in pieces), any(q.statistical for q in pieces),
                             sum(q.evaluations for q in pieces), seed,
                             tuple(w for q in pieces for w in q.warnings))
    return before, after


def _report(mistakes: list[str], words: list, evidence: CheckReport | None,
            expected: ChangedIntegral, claim: sp.Integral, steps: Derivation,
            numeric: tuple[QuadratureResult, QuadratureResult] | None, *, note: str = "") -> Report:
    explanation = Derivation()
    for w in words:
        explanation = Derivation(explanation.steps + (w,)) if isinstance(w, Step) else explanation.then(w)
    words = [w.text if isinstance(w, Step) else w for w in words]
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
    if not mistakes:
        explanation = Derivation().then(diagnosis)
    return Report(verdict, diagnosis, tuple(mistakes), evidence, expected, claim,
                  steps.then(f"Verdict: {verdict}."), numeric, explanation)
