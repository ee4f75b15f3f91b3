"""Honest verdicts: no wrong claim passes, no right claim fails, for every method.

The reproductions of issue 13 are pinned one by one; the whole adversarial set
(``tests/adversarial.py``) gives the confusion table, which must have zeros in
both error columns. ``python -m bench honesty`` prints the table.
"""

from __future__ import annotations

import math

import pytest
import sympy as sp

import adversarial as A
from symjac import (CheckReport, Transform, check_jacobian, check_substitution, integrate_numerically,
                    system, transform_density, verify_density, verify_integral)
from symjac.cli import ExitCode, main
from symjac.errors import DomainError
from symjac.numeric.montecarlo import monte_carlo

x = sp.Symbol("x", real=True)


# ---------------------------------------------------------------------- the one rule


def test_statistical_evidence_coarser_than_the_tolerance_is_inconclusive():
    r = CheckReport.compare(0.5004, 0.5, what="w", method="monte_carlo", error_estimate=1e-3,
                            statistical=True, rtol=1e-6)
    assert r.verdict == "inconclusive"
    assert "resolves 0.004, the tolerance is 5e-07" in r.reason


def test_statistical_evidence_finer_than_the_tolerance_decides():
    ok = CheckReport.compare(0.5 + 1e-9, 0.5, what="w", method="mc", error_estimate=1e-10,
                             statistical=True, rtol=1e-6)
    bad = CheckReport.compare(0.51, 0.5, what="w", method="mc", error_estimate=1e-4,
                              statistical=True, rtol=1e-6)
    assert (ok.verdict, bad.verdict) == ("passed", "failed")


def test_a_coarse_deterministic_error_estimate_is_inconclusive():
    r = CheckReport.compare(1.0, 1.0, what="w", method="scipy.quad", error_estimate=1e-3, rtol=1e-8)
    assert r.verdict == "inconclusive" and "resolves" in r.reason


@pytest.mark.parametrize("bad", [math.inf, math.nan, -1e-3, 1.0, 2.0])
def test_tolerances_that_make_any_claim_pass_are_refused(bad):
    with pytest.raises(DomainError, match="rtol must be a finite number"):
        verify_integral("Integral(x, (x, 0, 1))", 7, rtol=bad)
    with pytest.raises(DomainError, match="rtol must be a finite number"):
        CheckReport.compare(1, 7, what="w", method="m", rtol=bad)


# ---------------------------------------------------------------------- reproductions


def test_divergent_one_over_x_is_not_passed_by_monte_carlo():
    r = verify_integral("Integral(1/x, (x, 0, 1))", 5, method="monte_carlo")
    assert r.verdict == "failed" and "diverges" in r.reason
    with A.numbers_alone():
        r = verify_integral("Integral(1/x, (x, 0, 1))", 5, method="monte_carlo")
    assert r.verdict == "inconclusive" and "may diverge" in r.reason


def test_fresnel_against_a_wild_claim_is_not_passed_by_monte_carlo():
    r = verify_integral("Integral(cos(x**2), (x, 0, oo))", -500000, method="monte_carlo")
    assert r.verdict != "passed"
    with A.numbers_alone():
        r = verify_integral("Integral(cos(x**2), (x, 0, oo))", -500000, method="monte_carlo")
    assert r.verdict == "inconclusive" and "may diverge" in r.reason


def test_mpmath_is_not_accepted_on_its_own_error():
    q = integrate_numerically(sp.cos(x**2), [(x, 0, sp.oo)], method="mpmath")
    assert q.converged and q.value == pytest.approx(math.sqrt(2 * math.pi) / 4, rel=1e-12)
    assert q.method == "mpmath.quadosc"
    q = integrate_numerically(sp.sin(x), [(x, 0, sp.oo)], method="mpmath")  # no limit
    assert not q.converged and "may diverge" in q.warnings[-1]


def test_the_checker_does_not_fail_the_correct_fresnel_substitution():
    r = check_substitution("Integral(cos(x**2), (x, 0, oo))",
                           "Integral(cos(u)/(2*sqrt(u)), (u, 0, oo))",
                           Transform.from_equations("u = x**2"))
    assert r.verdict in ("correct", "undecided"), r


def test_the_checker_does_not_call_a_slightly_wrong_shell_correct():
    r = check_substitution(("1", "1/4 <= x**2 + y**2 + z**2 <= 1"),
                           "Integral(r**2*sin(theta), (r, 1/2, 1001/1000), (theta, 0, pi), "
                           "(phi, 0, 2*pi))", system("spherical"))
    assert r.verdict != "correct", r


def test_the_checker_says_undecided_when_sampling_cannot_resolve_its_tolerance():
    r = check_substitution(("1", "1/4 <= x**2 + y**2 + z**2 <= 1"),
                           "Integral(r**2*sin(theta), (r, 1/2, 1), (theta, 0, pi), (phi, 0, 2*pi))",
                           system("spherical"))
    assert r.verdict in ("correct", "undecided"), r
    if r.evidence is not None and r.evidence.statistical:
        assert r.verdict == "undecided" and "resolves" in r.diagnosis


def test_a_chi_squared_peak_is_not_failed_by_the_sampler():
    d = transform_density("exp(-x/2)/sqrt(2*pi*x)/erf(sqrt(30))",
                          Transform.from_equations("y = 2*x"), support="0 < x < 60")
    r = verify_density(d)
    assert r.verdict != "failed", r.reason


def test_check_jacobian_refuses_no_points():
    with pytest.raises(DomainError, match="n_points must be a whole number >= 2"):
        check_jacobian(system("polar"), n_points=0)


def test_a_nan_limit_is_refused():
    with pytest.raises(DomainError, match="not a real number"):
        integrate_numerically("x", [("x", 0, math.nan)])


def test_verify_density_refuses_alpha_outside_zero_one():
    d = transform_density("1", Transform.from_equations("y = -log(u)"), support="0 < u < 1")
    with pytest.raises(DomainError, match="alpha"):
        verify_density(d, alpha=2)


def test_the_disc_radius_density_respects_its_time_limit():
    import time

    d = transform_density("1/pi", system("polar"), support="x**2 + y**2 < 1")
    start = time.perf_counter()
    r = verify_density(d, timeout=10)
    assert time.perf_counter() - start < 60
    assert r.verdict in ("passed", "inconclusive")


# ---------------------------------------------------------------------- the one exit-code rule


def test_every_checking_command_exits_with_the_same_codes(capsys):
    assert main(["verify", "Integral(x, (x, 0, 1))", "1/2"]) == ExitCode.OK
    assert main(["verify", "Integral(x, (x, 0, 1))", "0.6"]) == ExitCode.CHECK_FAILED
    assert main(["verify", "Integral(1/x, (x, 0, 1))", "5", "--method", "monte_carlo"]) \
        != ExitCode.OK
    assert main(["verify", "Integral(exp(-x)*sin(x)**2, (x, 0, oo))", "2/5", "--method",
                 "monte_carlo", "--rtol", "1e-14", "--atol", "0"]) in (ExitCode.OK,
                                                                        ExitCode.INCONCLUSIVE)
    assert ExitCode.for_verdict("undecided") == ExitCode.INCONCLUSIVE == 5
    assert ExitCode.for_verdict("inconclusive") == ExitCode.INCONCLUSIVE
    assert ExitCode.for_verdict("correct") == ExitCode.OK
    assert ExitCode.for_verdict("incorrect") == ExitCode.CHECK_FAILED
    capsys.readouterr()


# ---------------------------------------------------------------------- Monte Carlo


def test_monte_carlo_sees_heavy_tails_and_trusts_smooth_integrands():
    assert monte_carlo(lambda u: (u, u[:, 0] ** 2), 1, samples=2 ** 14, seed=0).trustworthy
    for f in (lambda u: 1 / u[:, 0], lambda u: 1 / u[:, 0] ** 2,
              lambda u: 1 / (u[:, 0] ** 2 + u[:, 1] ** 2)):
        est = monte_carlo(lambda u, f=f: (u, f(u)), 2, samples=2 ** 16, seed=1)
        assert not est.trustworthy and any("may diverge" in n for n in est.notes)


# ---------------------------------------------------------------------- the confusion table


def test_confusion_table_for_every_integral_method_has_no_wrong_verdicts():
    rows = A.integral_rows(symbolic=True, timeout=5) + A.integral_rows(symbolic=False, timeout=5)
    bad = [r.row for r in rows if r.wrong_passed or r.right_failed]
    assert not bad, bad


def test_confusion_table_for_the_checker_and_densities_has_no_wrong_verdicts():
    rows = [A.substitution_row(), A.density_row(n=5000)]
    bad = [r.row for r in rows if r.wrong_passed or r.right_failed]
    assert not bad, bad
