"""What statistics textbooks ask of a density beyond its formula: parameters with conditions,
numbers with evidence, choices among variables, order statistics, and the probability a map
that is not real would lose."""

from __future__ import annotations

import pytest
import sympy as sp
from scipy import stats

from symjac import (DimensionError, DomainError, Transform, invert, order_statistic,
                    transform_density, verify_density)
from symjac.densities.minmax import choice_cases

T = Transform.from_equations
PHI = "exp(-x**2/2)/sqrt(2*pi)"
RHO_PAIR = "exp(-(x1**2 - 2*rho*x1*x2 + x2**2)/(2*(1 - rho**2)))/(2*pi*sqrt(1 - rho**2))"


def test_a_correlation_between_minus_one_and_one_is_a_parameter_condition():
    d = transform_density(RHO_PAIR, T("y = x1 + x2", inputs="x1 x2"), support="-1 < rho < 1")
    assert d.family.name == "Normal" and d.support == ()
    for at in (-1.0, 0.3, 2.0):  # Y ~ N(0, 2 + 2 rho)
        want = stats.norm(0, (2 + 2 * 0.4) ** 0.5).pdf(at)
        assert d.evaluate({"y": at, "rho": 0.4}).value == pytest.approx(want, rel=1e-10)
    assert not any(c.has(sp.Symbol("rho")) for b in d.branches for c in b.domain)
    assert not d.pdf.has(sp.I)  # sqrt(rho**2 - 1) written as I*sqrt(1 - rho**2), the I cancelled


def test_lambda_is_read_as_a_name():
    d = transform_density("lambda*exp(-lambda*x)", T("y = 3*x"), support="x > 0, lambda > 0")
    assert {s.name for s in d.pdf.free_symbols} == {"y", "lambda"}
    assert d.family.name == "Exponential"


def test_evaluate_is_exact_for_a_closed_form_and_says_what_is_missing():
    d = transform_density("lam*exp(-lam*x)", T("y = 3*x"), support="x > 0, lam > 0")
    r = d.evaluate({"y": 1, "lam": 2})
    assert r.value == pytest.approx(2 / 3 * 2.718281828459045 ** (-2 / 3), rel=1e-14)
    assert (r.error, r.method, r.converged) == (0.0, "exact (closed form)", True)
    with pytest.raises(DomainError, match="needs a value for lam"):
        d.evaluate({"y": 1})
    with pytest.raises(DomainError, match="is not a real number"):
        d.evaluate({"y": "one", "lam": 2})
    assert d.evaluate({"y": -1, "lam": 2}).value == 0


def test_evaluate_integrates_what_is_left_as_an_integral_with_its_error_estimate():
    d = transform_density("1", T("y = u1 + u2**3"), support="0 < u1 < 1, 0 < u2 < 1")
    assert not d.closed_form and d.support_known
    r = d.evaluate({"y": 0.7})  # P(y - 1 < U2**3 < y) = 0.7**(1/3) for y < 1
    assert r.value == pytest.approx(0.7 ** (1 / 3), rel=1e-9) and r.converged
    assert r.method == "scipy.quad" and r.error < 1e-8


def test_the_probability_lost_by_a_map_that_is_not_real_is_stated():
    with pytest.raises(DomainError, match=r"P\(x < 0\), is 1/2"):
        transform_density(PHI, T("y = sqrt(x)"))
    with pytest.raises(DomainError, match=r"is 1/2 - erf\(1/2\)/2|≈ 0.3085"):
        transform_density("exp(-(x - 1/2)**2/2)/sqrt(2*pi)", T("y = log(x)"))


def test_min_and_max_are_split_by_which_argument_is_chosen():
    assert choice_cases(T("y = Max(u1, u2)"), ()) == [
        (sp.Symbol("u1", real=True), (sp.Symbol("u1", real=True) > sp.Symbol("u2", real=True),)),
        (sp.Symbol("u2", real=True), (sp.Symbol("u2", real=True) > sp.Symbol("u1", real=True),))]
    assert choice_cases(T("y = x1 + x2"), ()) is None
    x1, x2, x3 = (sp.Symbol(f"x{i}", real=True) for i in (1, 2, 3))
    # nested: the inner Min first (x1 or x2), then the outer Max against x3
    assert choice_cases(T("y = Max(Min(x1, x2), x3)"), ()) == [
        (x1, (x1 < x2, x1 > x3)), (x3, (x1 < x2, x3 > x1)),
        (x2, (x2 < x1, x2 > x3)), (x3, (x2 < x1, x3 > x2))]
    d = transform_density("1", T("y = Max(u1, u2)"), support="0 < u1 < 1, 0 < u2 < 1")
    assert d.value == 2 * d.variables[0] and d.support[0] == (d.variables[0] > 0)
    assert verify_density(d, n=3000, seed=0).verdict == "passed"


def test_the_median_of_three_as_nested_min_and_max_is_the_middle_order_statistic():
    """Max(Min(x1, x2), Min(Max(x1, x2), x3)) is the median of three: for U(0, 1) its density is
    3!/(1! 1!) y (1 - y) = 6 y (1 - y), the Beta(2, 2) density (the order-statistic formula)."""
    d = transform_density("1", T("y = Max(Min(x1, x2), Min(Max(x1, x2), x3))"),
                          support="0 < x1 < 1, 0 < x2 < 1, 0 < x3 < 1")
    y = d.variables[0]
    assert d.closed_form and sp.expand(d.value - 6 * y * (1 - y)) == 0
    assert d.support == (y > 0, y < 1)
    assert str(d.family) == "Beta(alpha=2, beta=2)"


@pytest.mark.parametrize("pdf, support, n, k, expected", [
    ("1", "0 < x < 1", 4, 2, "12*y*(1 - y)**2"),
    ("lam*exp(-lam*x)", "x > 0, lam > 0", 3, 1, "3*lam*exp(-3*lam*y)"),
    ("exp(-x)", "x > 0", 2, 2, "2*exp(-y)*(1 - exp(-y))"),
])
def test_order_statistics_have_the_textbook_density(pdf, support, n, k, expected):
    d = order_statistic(pdf, n=n, k=k, support=support)
    names = {s.name: s for s in d.value.free_symbols}
    want = sp.sympify(expected, locals=names)
    assert sp.simplify(d.value - want) == 0
    assert d.support[0] == (names["y"] > 0)


def test_order_statistic_arguments_are_checked():
    with pytest.raises(DimensionError, match="1 <= k <= n"):
        order_statistic("1", n=3, k=4, support="0 < x < 1")


def test_the_inverse_of_sum_and_ratio_on_the_quadrant_has_the_quadrant_as_domain():
    (branch,) = invert(T("u = x + y, v = x/y", domain="x > 0, y > 0"))
    assert {str(c) for c in branch.domain} == {"u > 0", "v > 0"}


def test_supports_with_parameters_are_intervals():
    d = transform_density("1", T("y = (u/(1 - u))**(1/b)", inputs="u"), support="0 < u < 1, b > 0")
    assert d.support == (d.variables[0] > 0,) and d.family.name == "LogLogistic"


@pytest.mark.parametrize("equations, radius_family, low", [
    ("r = sqrt(x**2 + y**2), theta = Mod(atan2(y, x), 2*pi)", "Rayleigh", 0),
    ("d = x**2 + y**2, theta = Mod(atan2(y, x), 2*pi)", "Exponential", 0),
    ("r = sqrt(x**2 + y**2), theta = atan2(y, x)", "Rayleigh", -sp.pi),
])
def test_the_polar_map_of_a_normal_pair_goes_through_the_polar_chart(equations, radius_family, low):
    d = transform_density("exp(-(x**2 + y**2)/2)/(2*pi)", T(equations, inputs="x y"))
    radius, angle = d.family.components
    assert (radius.name, angle.name) == (radius_family, "Uniform")
    assert angle.params["a"] == low and angle.params["b"] == low + 2 * sp.pi
    assert d.forward and str(d.transform) == str(T(equations, inputs="x y"))
    assert verify_density(d, n=2000, seed=0).verdict == "passed"
