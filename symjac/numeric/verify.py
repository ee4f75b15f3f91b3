"""``verify_integral``: an integral against a claimed value or another integral.

Where SymPy finds both exact values within a time bound, they decide first and
the numbers are a second witness that must not disagree; otherwise the numbers
decide alone, under ``CheckReport``'s one rule.
"""

from __future__ import annotations

from dataclasses import replace

import sympy as sp

from ..errors import DomainError, SymjacTimeoutError
from ..parsing import parse_expression
from ..report import CheckReport, require_tolerances
from ..timeouts import DEFAULT_TIMEOUT, time_limit
from .quadrature import Method, integrate_numerically

__all__ = ["verify_integral", "SYMBOLIC_SECONDS"]


def verify_integral(
    original: object,
    claimed: object,
    *,
    rtol: float = 1e-8,
    atol: float = 1e-10,
    method: Method = "auto",
    seed: int | None = 0,
    timeout: float | None = DEFAULT_TIMEOUT,
) -> CheckReport:
    """Check numerically that an integral equals a claimed value or another integral.

    Args:
        original: A ``sympy.Integral`` (or its text, ``"Integral(x*y, (x, 0, 1), (y, 0, 1))"``).
        claimed: A number, an expression without free variables, or another integral
            (e.g. the same integral after a change of variables).
        rtol: Relative tolerance of the comparison.
        atol: Absolute tolerance of the comparison.
        method: The quadrature method (see ``integrate_numerically``).
        seed: Seed for Monte Carlo.
        timeout: Seconds allowed for each quadrature.

    Returns:
        A ``CheckReport`` under the one rule of ``CheckReport.compare``: "passed" only
        when the difference and the evidence's resolution are both within the
        tolerance; "failed" when the difference exceeds the tolerance plus the
        resolution; otherwise "inconclusive" with the reason. When SymPy finds both
        exact values (within ``SYMBOLIC_SECONDS``), they decide and the numbers are a
        second witness; the method and the reason say which decided.

    Raises:
        DomainError: If a tolerance is not finite and in range, or the claim has free symbols.

    >>> from symjac.numeric.verify import verify_integral
    >>> verify_integral("Integral(x*y, (x, 0, 1), (y, 0, 1))", "1/4").verdict
    'passed'
    >>> verify_integral("Integral(x*y, (x, 0, 1), (y, 0, 1))", 0.3).verdict
    'failed'
    >>> verify_integral("Integral(1/x, (x, 0, 1))", 5).verdict      # divergent: a finding
    'failed'
    """
    require_tolerances(rtol, atol)
    left = _as_integral(original, "original")
    what = f"{sp.sstr(left)} = {claimed if isinstance(claimed, str) else sp.sstr(claimed)}"
    if isinstance(claimed, str):
        claimed = parse_expression(claimed)
    numeric = _numeric(left, claimed, what, rtol=rtol, atol=atol, method=method, seed=seed,
                       timeout=timeout)
    exact = _exact_difference(left, claimed, timeout)
    if exact is None:
        return numeric
    return _with_symbolic(numeric, exact, rtol=rtol, atol=atol)


def _numeric(left: sp.Integral, claimed: sp.Basic, what: str, *, rtol: float, atol: float,
             method: Method, seed: int | None, timeout: float | None) -> CheckReport:
    q1 = integrate_numerically(left, method=method, rtol=min(rtol, 1e-10) / 10, atol=atol / 10,
                               seed=seed, timeout=timeout)
    if isinstance(claimed, sp.Integral):
        q2 = integrate_numerically(claimed, method=method, rtol=min(rtol, 1e-10) / 10,
                                   atol=atol / 10, seed=None if seed is None else seed + 1,
                                   timeout=timeout)
        expected, est2, ok2, notes2 = q2.value, q2.error, q2.converged, q2.warnings
        method_name = q1.method if q1.method == q2.method else f"{q1.method} / {q2.method}"
        statistical = q1.statistical or q2.statistical
    else:
        value = sp.sympify(claimed, strict=True)
        if value.free_symbols:
            raise DomainError(f"the claimed value {value} contains "
                              f"{', '.join(sorted(map(str, value.free_symbols)))}; it must be a number.",
                              value=value, hint="Substitute numbers for the parameters first.")
        expected = complex(sp.N(value, 20))
        expected = expected.real if expected.imag == 0 else expected
        est2, ok2, notes2, method_name, statistical = 0.0, True, (), q1.method, q1.statistical
    return CheckReport.compare(
        q1.value, expected, what=what, method=method_name, error_estimate=q1.error + est2,
        converged=q1.converged and ok2, statistical=statistical, rtol=rtol, atol=atol,
        sample_size=q1.evaluations, seed=seed if statistical else None,
        warnings=q1.warnings + tuple(notes2))


#: Seconds SymPy may spend on each side's exact value before the numbers decide alone.
SYMBOLIC_SECONDS = 5.0


def _exact_value(obj: sp.Basic, timeout: float | None) -> sp.Expr | None:
    """The exact value of an integral or a number, or None (unknown, too slow, not finite)."""
    seconds = SYMBOLIC_SECONDS if timeout is None else min(SYMBOLIC_SECONDS, timeout)
    try:
        with time_limit(seconds, "the exact value of an integral"):
            value = obj.doit() if isinstance(obj, sp.Integral) else sp.sympify(obj, strict=True)
    except (SymjacTimeoutError, NotImplementedError, ValueError, TypeError, ZeroDivisionError,
            RecursionError, AttributeError):
        return None
    if value.has(sp.Integral, sp.AccumBounds, sp.nan, sp.zoo) or value.free_symbols:
        return None
    return value


def _exact_difference(left: sp.Integral, claimed: sp.Basic, timeout: float | None
                      ) -> tuple[sp.Expr, sp.Expr] | None:
    a, b = _exact_value(left, timeout), _exact_value(claimed, timeout)
    return None if a is None or b is None else (a, b)


def _with_symbolic(numeric: CheckReport, exact: tuple[sp.Expr, sp.Expr], *, rtol: float,
                   atol: float) -> CheckReport:
    """Symbolic values decide first; the numbers are the second witness (and must not disagree)."""
    a, b = exact
    if a.has(sp.oo, -sp.oo) or b.has(sp.oo, -sp.oo):
        if a == b:
            return numeric  # both infinite the same way: nothing finite to compare
        finding = f"SymPy finds the integral is {a}" if a.has(sp.oo, -sp.oo) else \
            f"SymPy finds the claimed value is {b}"
        diverges = not numeric.passed
        verdict = "failed" if diverges else "inconclusive"
        reason = (f"{finding} (the integral diverges), and the numbers do not converge either, so "
                  "a finite claim is wrong." if diverges else
                  f"{finding}, but the numbers agree with the claim: the two witnesses disagree.")
        return replace(numeric, verdict=verdict, reason=reason,
                       method=f"sympy (symbolic) + {numeric.method}")
    gap = abs(complex(sp.N(a - b, 30)))
    tol = max(atol, rtol * abs(complex(sp.N(a, 30))))
    equal = gap <= tol
    shown = f"exactly {sp.sstr(a)}" if equal else f"{sp.sstr(a)}, the claim {sp.sstr(b)}"
    if equal and numeric.verdict != "failed":
        verdict = "passed"
        reason = (f"Decided symbolically: the integral is {shown} (difference {gap:.3g}). "
                  f"Numeric witness: {numeric.verdict}. {numeric.reason}")
    elif not equal and numeric.verdict == "failed":
        verdict = "failed"
        reason = (f"Decided symbolically: the integral is {shown} (difference {gap:.3g}); the "
                  f"numbers agree that they differ. {numeric.reason}")
    elif not equal and numeric.verdict == "inconclusive":
        verdict = "inconclusive"
        reason = (f"SymPy finds the integral is {shown} (difference {gap:.3g}), but the numeric "
                  f"witness cannot confirm it: {numeric.reason}")
    else:
        verdict = "inconclusive"
        reason = (f"The witnesses disagree: SymPy finds the integral is {shown} (difference "
                  f"{gap:.3g}), the numbers say {numeric.verdict}. {numeric.reason}")
    return replace(numeric, verdict=verdict, reason=reason,
                   method=f"sympy (symbolic) + {numeric.method}")


def _as_integral(obj: object, role: str) -> sp.Integral:
    if isinstance(obj, str):
        obj = parse_expression(obj)
    if not isinstance(obj, sp.Integral):
        raise DomainError(f"the {role} must be an integral such as Integral(x, (x, 0, 1)), got {obj}.",
                          value=obj, expected="a sympy Integral with limits")
    return obj
