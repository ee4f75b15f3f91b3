"""Seeded sampling from densities and the statistical checks built on it."""

import math

import numpy as np
import pytest
import sympy as sp
from scipy import stats

from symjac.errors import DomainError
from symjac.numeric.sampling import (
    box_probability,
    box_probability_check,
    density_cdf,
    ks_check,
    sample_density,
)


def test_inverse_cdf_matches_chi_square_with_a_peak_at_zero():
    ys = sample_density("exp(-y/2)/sqrt(2*pi*y)", "y", {"y": (0, 40)}, 20_000, seed=0)
    assert ys.shape == (20_000,) and ys.min() >= 0
    assert stats.kstest(ys, stats.chi2(1).cdf).pvalue > 1e-3


def test_rejection_in_two_dimensions_matches_box_probabilities():
    # density x + y on the unit square: P(x < 1/2, y < 1/2) = 1/8, P(x < 1/2) = 3/8
    pts = sample_density("x + y", "x y", {"x": (0, 1), "y": (0, 1)}, 40_000, seed=4)
    assert pts.shape == (40_000, 2)
    report = box_probability_check(pts, [1 / 8, 3 / 8], [[(0, .5), (0, .5)], [(0, .5), (0, 1)]])
    assert report.passed and report.statistical and report.sample_size == 40_000
    wrong = box_probability_check(pts, [1 / 4, 1 / 2], [[(0, .5), (0, .5)], [(0, .5), (0, 1)]])
    assert wrong.verdict == "failed"


def test_rejection_of_a_density_peaked_in_a_corner_of_a_wide_box_is_exact_and_quick():
    # three Exp(1.5) on (0, 25)**3: a flat envelope accepted about one point in 10,000 (60 s);
    # the sum is Gamma(3, rate 1.5) and each coordinate Exp(1.5)
    pts = sample_density("exp(-1.5*(x1 + x2 + x3))", "x1 x2 x3", {"x1": (0, 25), "x2": (0, 25),
                                                               "x3": (0, 25)}, 20_000, seed=2)
    assert pts.shape == (20_000, 3)
    assert stats.kstest(pts.sum(axis=1), stats.gamma(3, scale=1 / 1.5).cdf).pvalue > 1e-3
    assert stats.kstest(pts[:, 1], stats.expon(scale=1 / 1.5).cdf).pvalue > 1e-3
    # and a wrong answer is still told apart: Gamma(2) is not the sum of three
    assert stats.kstest(pts.sum(axis=1), stats.gamma(2, scale=1 / 1.5).cdf).pvalue < 1e-6


def test_rejection_finds_a_sliver_of_support_between_the_probe_points():
    # mass on 0.5 < x < 0.5 + 1e-4 only (uniform there), inside a box of (0, 1)**2
    pts = sample_density("Piecewise((1, (x > 0.5) & (x < 0.5001)), (0, True))", "x y",
                         {"x": (0, 1), "y": (0, 1)}, 2_000, seed=1)
    assert np.all((pts[:, 0] > 0.5) & (pts[:, 0] < 0.5001))
    assert stats.kstest(pts[:, 1], stats.uniform.cdf).pvalue > 1e-3


def test_sampling_is_reproducible_from_the_seed_or_generator():
    a = sample_density("x**2", "x", {"x": (0, 1)}, 100, seed=7)
    b = sample_density("x**2", "x", {"x": (0, 1)}, 100, seed=np.random.default_rng(7))
    np.testing.assert_array_equal(a, b)
    c = sample_density("x**2", "x", {"x": (0, 1)}, 100, seed=8)
    assert not np.array_equal(a, c)


def test_ks_pvalues_are_roughly_uniform_for_a_correct_sampler():
    # with a correct sampler, the KS p-value is uniform: about 10% fall below 0.1
    F = density_cdf("3*x**2", "x", (0, 1))
    pvalues = [stats.kstest(sample_density("3*x**2", "x", {"x": (0, 1)}, 500, seed=s), F).pvalue
               for s in range(100)]
    below = sum(p < 0.1 for p in pvalues)
    assert 2 <= below <= 20  # binomial(100, 0.1): mean 10, sd 3


def test_density_cdf_agrees_with_scipy():
    F = density_cdf(sp.exp(-sp.Symbol("x")), "x", (0, 50))
    xs = np.array([0.1, 1.0, 3.0])
    np.testing.assert_allclose(F(xs), stats.expon.cdf(xs), rtol=1e-10)


def test_ks_check_fails_on_the_wrong_density():
    xs = sample_density("2*x", "x", {"x": (0, 1)}, 5_000, seed=3)
    bad = ks_check(xs, density_cdf("1", "x", (0, 1)))
    assert bad.verdict == "failed" and "p-value" in bad.reason
    assert ks_check(xs[:5], density_cdf("2*x", "x", (0, 1))).verdict == "inconclusive"


def test_box_probability_standard_error():
    pts = np.random.default_rng(0).random(10_000)
    p, se = box_probability(pts, [(0, 0.3)])
    assert se == pytest.approx(math.sqrt(p * (1 - p) / 10_000))


def test_bad_densities_and_boxes_are_explained():
    with pytest.raises(DomainError, match="not finite"):
        sample_density("1/sqrt(x*y)", "x y", {"x": (0, 1), "y": (0, 1)}, 10, seed=0)
    with pytest.raises(DomainError, match="negative"):
        sample_density("x*y", "x y", {"x": (-1, 1), "y": (0, 1)}, 10, seed=0)
    with pytest.raises(DomainError, match="must be finite"):
        sample_density("exp(-x)", "x", {"x": (0, sp.oo)}, 10, seed=0)
    with pytest.raises(DomainError, match="no range for y"):
        sample_density("x*y", "x y", {"x": (0, 1)}, 10, seed=0)
    with pytest.raises(DomainError, match="uses a"):
        sample_density("a*x", "x", {"x": (0, 1)}, 10, seed=0)
