"""Adversarial cases for symjac's verdicts, and the confusion table they give.

Each case is a claim whose truth is known. A verdict is *wrong* when a false
claim is "passed"/"correct" or a true one is "failed"/"incorrect";
"inconclusive"/"undecided" is allowed and counted. ``tests/test_adversarial.py``
runs these with small samples; ``python -m bench honesty`` runs them in full.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass

YES = ("passed", "correct")
NO = ("failed", "incorrect")

#: (original integral, claimed value, is the claim right?)
INTEGRALS: tuple[tuple[str, str, bool], ...] = (
    # divergent integrals against arbitrary finite claims
    ("Integral(1/x, (x, 0, 1))", "5", False),
    ("Integral(1/x**2, (x, 0, 1))", "3", False),
    ("Integral(log(x)/x, (x, 0, 1))", "-2", False),
    ("Integral(sin(x), (x, 0, oo))", "1", False),
    ("Integral(cos(x), (x, 0, oo))", "0", False),
    ("Integral(1/(x**2 + y**2), (x, 0, 1), (y, 0, 1))", "2", False),
    ("Integral(cos(x**2), (x, 0, oo))", "-500000", False),
    # claims off by 1e-6 and 1e-3 (relative)
    ("Integral(x**2, (x, 0, 1))", "1/3*(1 + 1e-6)", False),
    ("Integral(x**2, (x, 0, 1))", "1/3*(1 + 1e-3)", False),
    ("Integral(exp(-x**2), (x, -oo, oo))", "sqrt(pi)*(1 + 1e-6)", False),
    ("Integral(x*y, (x, 0, 1), (y, 0, 1))", "1/4*(1 + 1e-6)", False),
    ("Integral(x*y, (x, 0, 1), (y, 0, 1))", "1/4*(1 - 1e-3)", False),
    ("Integral(exp(-x)*sin(x)**2, (x, 0, oo))", "2/5*(1 + 1e-6)", False),
    # right claims, some hard to integrate numerically
    ("Integral(x**2, (x, 0, 1))", "1/3", True),
    ("Integral(exp(-x**2), (x, -oo, oo))", "sqrt(pi)", True),
    ("Integral(cos(x**2), (x, 0, oo))", "sqrt(2*pi)/4", True),
    ("Integral(sin(x)/x, (x, 0, oo))", "pi/2", True),
    ("Integral(cos(x)/(2*sqrt(x)), (x, 0, oo))", "sqrt(2*pi)/4", True),
    ("Integral(log(x), (x, 0, 1))", "-1", True),
    ("Integral(1/sqrt(x), (x, 0, 1))", "2", True),
    ("Integral(x*y, (x, 0, 1), (y, 0, 1))", "1/4", True),
    ("Integral(exp(-x)*sin(x)**2, (x, 0, oo))", "2/5", True),
)

METHODS = ("auto", "scipy", "mpmath", "monte_carlo")

#: (original, claimed, map, is the claim right?) for the homework checker
SUBSTITUTIONS: tuple[tuple[object, str, str, bool], ...] = (
    ("Integral(cos(x**2), (x, 0, oo))", "Integral(cos(u)/(2*sqrt(u)), (u, 0, oo))", "u = x**2",
     True),
    (("1", "1/4 <= x**2 + y**2 + z**2 <= 1"),
     "Integral(r**2*sin(theta), (r, 1/2, 1001/1000), (theta, 0, pi), (phi, 0, 2*pi))",
     "spherical", False),
    (("1", "1/4 <= x**2 + y**2 + z**2 <= 1"),
     "Integral(r**2*sin(theta), (r, 1/2, 1), (theta, 0, pi), (phi, 0, 2*pi))", "spherical", True),
    (("1", "1 <= x**2 + y**2 <= 4"), "Integral(r, (r, 1, 2), (theta, 0, 2*pi))", "polar", True),
    (("1", "1 <= x**2 + y**2 <= 4"), "Integral(r, (r, 1, 2001/1000), (theta, 0, 2*pi))", "polar",
     False),
    (("1", "1 <= x**2 + y**2 <= 4"), "Integral(r, (r, 1, 2.01), (theta, 0, 2*pi))", "polar", False),
)

#: (pdf, variable, support, map, is the derived density right?) for verify_density
DENSITIES: tuple[tuple[str, str, str, str], ...] = (
    ("exp(-x/2)/sqrt(2*pi*x)/erf(sqrt(30))", "x", "0 < x < 60", "y = 2*x"),   # chi2_1 peak
    ("exp(-x**2/2)/sqrt(2*pi)", "x", "-oo < x < oo", "y = x**2"),             # chi2_1
    ("1/(pi*(1 + x**2))", "x", "-oo < x < oo", "y = 2*x + 1"),                # Cauchy
    ("exp(-x**2/2)/sqrt(2*pi)", "x", "-oo < x < oo", "y = exp(x)"),           # log-normal
)


@dataclass
class Tally:
    """One row of the confusion table."""

    method: str
    wrong_passed: int = 0
    right_failed: int = 0
    inconclusive: int = 0
    decided: int = 0

    def add(self, verdict: str, right: bool) -> None:
        if verdict in YES:
            self.wrong_passed += not right
            self.decided += right
        elif verdict in NO:
            self.right_failed += right
            self.decided += not right
        else:
            self.inconclusive += 1

    @property
    def row(self) -> tuple[str, int, int, int, int]:
        return (self.method, self.wrong_passed, self.right_failed, self.inconclusive, self.decided)


@contextlib.contextmanager
def numbers_alone() -> Iterator[None]:
    """Switch off ``verify_integral``'s symbolic first step, to judge the numerics alone."""
    import symjac.numeric.verify as verify

    saved = verify._exact_difference
    verify._exact_difference = lambda *a: None
    try:
        yield
    finally:
        verify._exact_difference = saved


def integral_rows(*, symbolic: bool, timeout: float = 10.0,
                  on_case: Callable[[str, str, str, str, bool], None] | None = None,
                  methods: tuple[str, ...] = METHODS) -> list[Tally]:
    from symjac import verify_integral

    rows = []
    for method in methods:
        tally = Tally(f"verify_integral, {method}" + ("" if symbolic else " (numbers alone)"))
        with contextlib.nullcontext() if symbolic else numbers_alone():
            for original, claimed, right in INTEGRALS:
                verdict = verify_integral(original, claimed, method=method, timeout=timeout).verdict
                tally.add(verdict, right)
                if on_case:
                    on_case(tally.method, original, claimed, verdict, right)
        rows.append(tally)
    return rows


def substitution_row(on_case: Callable[[str, str, str, str, bool], None] | None = None,
                     cases: tuple = SUBSTITUTIONS) -> Tally:
    from symjac import Transform, check_substitution, system

    tally = Tally("check_substitution")
    for original, claimed, mapping, right in cases:
        t = system(mapping) if "=" not in mapping else Transform.from_equations(mapping)
        verdict = check_substitution(original, claimed, t).verdict
        tally.add(verdict, right)
        if on_case:
            on_case(tally.method, str(original), claimed, verdict, right)
    return tally


def density_row(*, n: int = 20_000, on_case: Callable[[str, str, str, str, bool], None] | None = None,
                cases: tuple = DENSITIES) -> Tally:
    from symjac import Transform, transform_density, verify_density

    tally = Tally("verify_density")
    for pdf, var, support, mapping in cases:
        d = transform_density(pdf, Transform.from_equations(mapping), support=support)
        verdict = verify_density(d, n=n, timeout=30).verdict
        tally.add(verdict, True)
        if on_case:
            on_case(tally.method, pdf, mapping, verdict, True)
    return tally
