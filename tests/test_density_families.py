"""The named families: each density equals its scipy.stats counterpart at points, each is
recognised from a derived density with symbolic parameters, and each has its usual symbol."""

from __future__ import annotations

import math

import numpy as np
import pytest
import sympy as sp

from symjac import Transform, transform_density
from symjac.densities.families import FAMILIES, Family, family_pdf
from symjac.densities.recognition import recognise_family

VALUES = {
    "Normal": (0.5, 1.3), "HalfNormal": (1.4,), "LogNormal": (0.2, 0.6), "Exponential": (1.7,),
    "ChiSquared": (3,), "Gamma": (2.5, 1.5), "Rayleigh": (0.8,), "Beta": (2.5, 1.5),
    "Cauchy": (0.3, 1.2), "Uniform": (-1, 2), "Triangular": (0, 3, 1), "Logistic": (0.4, 1.3),
    "Gumbel": (-0.3, 1.6), "Laplace": (0.2, 0.7), "StudentT": (4.5,), "F": (4, 7),
    "Weibull": (2.5, 1.3), "Pareto": (2.5, 1.5), "InverseGamma": (2.5, 1.2), "Maxwell": (0.7,),
    "Chi": (4,), "BetaPrime": (2.5, 3.5), "LogLogistic": (1.3, 2.5), "Levy": (0.5, 1.5),
}


def test_every_family_has_test_values():
    assert set(VALUES) == set(FAMILIES)


@pytest.mark.parametrize("name", sorted(FAMILIES))
def test_each_family_density_equals_scipy_stats_at_points(name):
    fam = Family(name, tuple(zip(FAMILIES[name].params, map(sp.nsimplify, VALUES[name]))))
    frozen = fam.scipy()
    y = sp.Symbol("y", real=True)
    f = family_pdf(fam, y)
    for q in (0.1, 0.35, 0.6, 0.9):
        at = float(frozen.ppf(q))
        ours = float(sp.N(f.subs(y, at) if not isinstance(f, sp.Piecewise) else
                          f.subs(y, at).doit()))
        assert ours == pytest.approx(float(frozen.pdf(at)), rel=1e-10), (name, at)


def test_each_family_integrates_to_one_where_scipy_says_it_lives():
    for name in FAMILIES:
        fam = Family(name, tuple(zip(FAMILIES[name].params, map(sp.nsimplify, VALUES[name]))))
        lo, hi = fam.scipy().support()
        spec = FAMILIES[name].support(*(sp.nsimplify(v) for v in VALUES[name]))
        assert (float(spec[0]), float(spec[1])) == (lo, hi), name


POS = sp.Symbol("y", positive=True)
REAL = sp.Symbol("y", real=True)
a, b, k, nu, s = sp.symbols("a b k nu s", positive=True)
HALF = (0, sp.oo)
LINE = (-sp.oo, sp.oo)


@pytest.mark.parametrize("pdf, y, interval, expected", [
    (1 / (2 * (sp.cosh(REAL) + 1)), REAL, LINE, "Logistic(mu=0, s=1)"),
    (sp.exp(-REAL - sp.exp(-REAL)), REAL, LINE, "Gumbel(mu=0, beta=1)"),
    (sp.exp(-sp.Abs(REAL - 1) / 2) / 4, REAL, LINE, "Laplace(mu=1, b=2)"),
    (family_pdf(Family("StudentT", (("nu", nu),)), REAL), REAL, LINE, "StudentT(nu=nu)"),
    (k * POS ** (k - 1) * sp.exp(-POS ** k), POS, HALF, "Weibull(k=k, lam=1)"),
    (a * POS ** (-a - 1), POS, (1, sp.oo), "Pareto(alpha=a, y_m=1)"),
    (POS ** (-a - 1) * sp.exp(-1 / POS) / sp.gamma(a), POS, HALF, "InverseGamma(shape=a, scale=1)"),
    (sp.sqrt(2 / sp.pi) * POS ** 2 * sp.exp(-POS ** 2 / (2 * s ** 2)) / s ** 3, POS, HALF,
     "Maxwell(sigma=s)"),
    (POS ** 3 * sp.exp(-POS ** 2 / 2) / 2, POS, HALF, "Chi(k=4)"),
    (POS * sp.exp(-POS ** 2 / (2 * s ** 2)) / s ** 2, POS, HALF, "Rayleigh(sigma=s)"),
    (family_pdf(Family("BetaPrime", (("alpha", a), ("beta", b))), POS), POS, HALF,
     "BetaPrime(alpha=a, beta=b)"),
    (family_pdf(Family("F", (("d1", a), ("d2", b))), POS), POS, HALF, "F(d1=a, d2=b)"),
    (b * POS ** (b - 1) / (POS ** b + 1) ** 2, POS, HALF, "LogLogistic(alpha=1, beta=b)"),
    (sp.exp(-1 / (2 * POS)) / (sp.sqrt(2 * sp.pi) * POS ** sp.Rational(3, 2)), POS, HALF,
     "Levy(mu=0, c=1)"),
])
def test_families_are_recognised_with_symbolic_parameters(pdf, y, interval, expected):
    assert str(recognise_family(pdf, [y], {y: interval})) == expected


def test_a_density_that_is_no_family_is_not_named():
    assert recognise_family(POS ** 2 * sp.exp(-POS) * (1 + sp.sin(POS)) / 3, [POS], {POS: HALF}) \
        is None


@pytest.mark.parametrize("fam, symbol", [
    (Family("ChiSquared", (("k", 1),)), "χ²₁"), (Family("StudentT", (("nu", 3),)), "t₃"),
    (Family("F", (("d1", 3), ("d2", 5))), "F₃,₅"), (Family("Normal", (("mu", 0), ("sigma", 2))), "N(0, 4)"),
    (Family("Exponential", (("rate", sp.Symbol("lam")),)), "Exp(lam)"),
    (Family("Chi", (("k", sp.Symbol("k")),)), "χ(k)"),
])
def test_families_show_their_usual_symbols(fam, symbol):
    assert fam.symbol == symbol
    assert fam.to_dict()["symbol"] == symbol


def test_a_derived_student_t_is_named_and_its_density_matches_scipy():
    d = transform_density(
        "exp(-x1**2/2)/sqrt(2*pi)*x2**(nu/2 - 1)*exp(-x2/2)/(2**(nu/2)*gamma(nu/2))",
        Transform.from_equations("y = x1/sqrt(x2/nu)", inputs="x1 x2"), support="x2 > 0, nu > 0")
    assert d.family.name == "StudentT" and d.support == ()
    from scipy import stats
    for at in (-1.5, 0.0, 2.0):
        assert d.evaluate({"y": at, "nu": 5}).value == pytest.approx(stats.t(5).pdf(at), rel=1e-10)
    assert math.isfinite(d.evaluate({"y": 1, "nu": 2.5}).value)
    assert np.isclose(d.family.scipy({sp.Symbol("nu", positive=True): 5}).pdf(0.3),
                      stats.t(5).pdf(0.3))


def test_every_named_family_has_its_symbol_and_words_in_the_text_of_a_density():
    """The family line says what textbooks write (χ²₁, N(μ, σ²)) and then the same in words."""
    y = sp.Symbol("y")
    for name, spec in FAMILIES.items():
        fam = Family(name, tuple((k, sp.Integer(i + 2)) for i, k in enumerate(spec.params)), (y,))
        assert fam.caption == f"{fam.symbol} ({fam.words})"
        assert fam.words and "=" not in fam.words and "(" not in fam.symbol[:1]
    assert Family("ChiSquared", (("k", 1),), (y,)).caption == "χ²₁ (chi-squared, 1 degree of freedom)"
    assert Family("ChiSquared", (("k", 3),), (y,)).words == "chi-squared, 3 degrees of freedom"
    assert Family("Normal", (("mu", 1), ("sigma", 2)), (y,)).caption == \
        "N(1, 4) (normal, mean 1, variance 4)"
    d = transform_density("exp(-x**2/2)/sqrt(2*pi)", Transform.from_equations("y = x**2"))
    assert str(d).splitlines()[-1] == "family: χ²₁ (chi-squared, 1 degree of freedom)"
    assert str(d.family) == "ChiSquared(k=1)"  # the parameters by name stay in str(Family)
