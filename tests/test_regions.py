"""Regions: construction, iterated bounds, preimages under named systems, sampling, errors.

Areas are checked against closed forms (geometry) and numerically.
"""

import math

import numpy as np
import pytest
import sympy as sp

from symjac import Region, Transform, system
from symjac.errors import DimensionError, DomainError
from symjac.numeric.over_region import integrate_region as integrate_numerically


def area(region: Region) -> sp.Expr:
    return sp.integrate(1, *region.bounds)


def test_from_bounds_innermost_first_and_conditions():
    R = Region.from_bounds([("y", 0, "x"), ("x", 0, 1)])
    assert [v.name for v in R.variables] == ["y", "x"]
    assert area(R) == sp.Rational(1, 2)  # a right triangle with legs 1
    assert integrate_numerically(1, R).value == pytest.approx(0.5, abs=1e-12)


def test_from_bounds_rejects_bounds_on_inner_variables():
    with pytest.raises(DomainError, match="only use the variables integrated after it"):
        Region.from_bounds([("x", 0, 1), ("y", 0, "x")])


def test_from_bounds_rejects_malformed_bound():
    with pytest.raises(DomainError, match="not \\(variable, lower, upper\\)"):
        Region.from_bounds([("x", 0)])


def test_box_and_integral_limits():
    box = Region.box({"x": (0, 2), "y": (-1, 1)})
    assert area(box) == 4
    x, y = sp.symbols("x y", real=True)
    R = Region.from_integral(sp.Integral(x * y, (y, 0, x), (x, 0, 3)))
    assert area(R) == sp.Rational(9, 2)


def test_indefinite_integral_is_refused():
    x = sp.Symbol("x", real=True)
    with pytest.raises(DomainError, match="has no limits"):
        Region.from_integral(sp.Integral(x, x))


def test_half_disk_bounds():
    R = Region.from_inequalities("x**2 + y**2 <= 1, y >= 0", variables="x y")
    assert sp.simplify(area(R) - sp.pi / 2) == 0  # half the unit disk


def test_linear_region_by_fourier_motzkin():
    # the square |x + y| <= 1, |x - y| <= 1 (corners on the axes) has area 2
    R = Region.from_inequalities("-1 <= x + y <= 1, -1 <= x - y <= 1", variables="x y")
    assert R.bounds is not None
    assert integrate_numerically(1, R).value == pytest.approx(2.0, rel=1e-9)


def test_parabola_region_has_bounds_and_area_one_twelfth():
    # between y = x**2, y = 2x**2, x = y**2, x = 2y**2: with u = x**2/y, v = y**2/x the region is
    # [1/2, 1]**2 and dx dy = du dv / 3, so the area is (1/4)/3 = 1/12
    text = "1/2 <= x**2/y <= 1, 1/2 <= y**2/x <= 1, x > 0, y > 0"
    R = Region.from_inequalities(text, variables="x y")
    assert R.bounds is not None
    assert integrate_numerically(1, R).value == pytest.approx(1 / 12, rel=1e-8)
    # independently: plain Monte Carlo over the unit square (the region lies inside it)
    pts = np.random.default_rng(7).random((400_000, 2))
    x, y = pts.T
    inside = (x**2 / y >= 0.5) & (x**2 / y <= 1) & (y**2 / x >= 0.5) & (y**2 / x <= 1)
    assert inside.mean() == pytest.approx(1 / 12, abs=4 * np.sqrt(1 / 12 / 400_000))


def test_inequality_region_without_bounds_says_why_and_integrates_by_monte_carlo():
    R = Region.from_inequalities("1 <= x**2 + y**2 <= 4", variables="x y")
    assert R.bounds is None and R.note
    v = integrate_numerically(1, R)
    assert v.method == "monte_carlo"
    assert abs(v.value - 3 * np.pi) < 4 * v.error + 1e-3  # annulus area 3*pi


@pytest.mark.parametrize("text, bounds", [
    ("x**2 + y**2 <= 4", ((0, 2), (0, 2 * sp.pi))),
    ("1 <= x**2 + y**2 <= 4", ((1, 2), (0, 2 * sp.pi))),
    ("x**2 + y**2 <= 4, 0 <= y, y <= x", ((0, 2), (0, sp.pi / 4))),
])
def test_polar_preimages_are_boxes(text, bounds):
    R = Region.from_inequalities(text, variables="x y").preimage(system("polar"))
    assert tuple((lo, hi) for _, lo, hi in R.bounds) == bounds


def test_ball_in_spherical_coordinates():
    R = Region.from_inequalities("x**2 + y**2 + z**2 <= R**2, R > 0", variables="x y z")
    P = R.preimage(system("spherical"))
    Rs = [s for s in P.parameters if s.name == "R"][0]
    assert P.bounds == ((P.variables[0], 0, Rs), (P.variables[1], 0, sp.pi),
                        (P.variables[2], 0, 2 * sp.pi))


def test_cone_in_cylindrical_coordinates_has_dependent_bounds():
    R = Region.from_inequalities("sqrt(x**2 + y**2) <= z_, z_ <= 2", variables="x y z_")
    P = R.preimage(system("cylindrical"))
    r, theta, z = P.variables
    assert P.bounds[0] == (r, 0, z)
    # volume of a cone of height 2 and radius 2: pi r^2 h / 3 = 8 pi / 3
    assert sp.integrate(r, *P.bounds) == 8 * sp.pi / 3


def test_preimage_needs_matching_variables():
    R = Region.box({"a": (0, 1), "b": (0, 1)})
    with pytest.raises(DimensionError, match="same variables"):
        R.preimage(system("polar"))


def test_non_injective_image_has_one_piece_per_branch():
    pytest.importorskip("symjac.inverse")
    pieces = Region.box({"x": (-1, 1)}).image(Transform.from_equations("u = x**2"))
    assert len(pieces) == 2
    assert all(p.bounds[0][1:] == (0, 1) for p in pieces)


def test_sample_and_contains_agree():
    R = Region.from_bounds([("y", 0, "x"), ("x", 0, 1)])
    pts = R.sample(200, rng=np.random.default_rng(1))
    assert len(pts) > 150 and R.contains(pts).all()
    assert not R.contains(np.array([[0.9, 0.5]]))[0]  # columns are (y, x): y = 0.9 > x = 0.5


def test_integrate_region_takes_text_and_names_a_non_finite_point():
    from symjac.numeric.over_region import integrate_region
    ring = Region.from_inequalities("1 <= x**2 + y**2, x**2 + y**2 <= 4", variables="x y")
    q = integrate_region("x**2 + y**2", ring)        # 2*pi*(2**4 - 1)/4 = 15*pi/2
    assert abs(q.value - 15 * math.pi / 2) <= 5 * q.error
    bad = integrate_region("log(x)", ring)
    assert not bad.converged and any("first at x = -" in w for w in bad.warnings)


def test_triangle_in_polar_coordinates():
    # 0 <= y <= x <= 1 is 0 <= theta <= pi/4, 0 <= r <= 1/cos(theta) (any calculus textbook);
    # the range of theta makes cos(theta) > 0, which the bound on r needs
    tri = Region.from_inequalities("0 <= y, y <= x, x <= 1", variables="x y")
    polar = tri.preimage(system("polar"))
    r, theta = polar.variables
    assert polar.bounds == ((r, 0, 1 / sp.cos(theta)), (theta, 0, sp.pi / 4))


def test_a_root_outside_the_known_range_is_not_a_bound():
    # sin(t) = 0 at t = pi lies outside 0 < t <= pi/4, so it must not become the lower bound pi
    region = Region.from_inequalities("0 <= sin(t), sin(t) <= cos(t), r*cos(t) <= 1, r > 0, 0 < t < 2*pi",
                                      variables="r t")
    r, t = region.variables
    assert region.bounds == ((r, 0, 1 / sp.cos(t)), (t, 0, sp.pi / 4))
