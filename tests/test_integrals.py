"""change_variables, verify_integral and the homework checker.

Expected values come from geometry and textbooks (areas, volumes, the Gaussian
integral), and every one is also checked numerically on the original integral.
"""

import math

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from symjac import (
    Region,
    Transform,
    change_variables,
    check_substitution,
    integrate_region,
    system,
    verify_integral,
)
from symjac.errors import DimensionError, DomainError, ParseError

PARABOLAS = "1 <= x**2/y <= 4, 2 <= y**2/x <= 3, x > 0, y > 0"
UV = Transform.from_equations("u = x**2/y, v = y**2/x", domain="x > 0, y > 0")


def names(symbols):
    return [s.name for s in symbols]


def assert_checked(ci, exact, values=None):
    """The symbolic value is ``exact``, the numeric check passed, and evalf agrees."""
    assert ci.value is not None and sp.simplify(ci.value - exact) == 0
    assert ci.check is not None, ci.check
    if ci.numeric[0].statistical or ci.numeric[1].statistical:
        # Monte Carlo resolves ~1e-3, coarser than the tolerance: an honest "inconclusive"
        assert ci.check.verdict in ("passed", "inconclusive"), ci.check
        assert ci.check.passed or "resolves" in ci.check.reason, ci.check.reason
    else:
        assert ci.check.passed, ci.check
    number = float(sp.N(exact.subs({s: (values or {})[s.name] for s in exact.free_symbols})))
    assert ci.quadrature(values=values).value == pytest.approx(number, rel=1e-8)
    before, after = ci.numeric
    tolerance = max(1e-6 * abs(number), 4 * before.error)  # Monte Carlo: 4 standard errors
    assert before.value == pytest.approx(number, abs=tolerance)
    assert after.value == pytest.approx(number, rel=1e-8)


# ---------------------------------------------------------------------- substitutions


def test_parabolas_area_with_u_x2_over_y():
    # area between y = x**2, y = 2x**2, x = y**2, x = 2y**2: region [1/2, 1]**2 in (u, v),
    # dx dy = du dv / 3 (det d(u,v)/d(x,y) = 3), area = 1/12
    ci = change_variables("1", UV, region="1/2 <= x**2/y <= 1, 1/2 <= y**2/x <= 1, x > 0, y > 0")
    assert ci.integrand == sp.Rational(1, 3)
    assert [(lo, hi) for _, lo, hi in ci.region.bounds] == [(sp.S.Half, 1), (sp.S.Half, 1)]
    assert_checked(ci, sp.Rational(1, 12))


def test_parabolas_xy_integral():
    # x*y = u*v, dx dy = du dv / 3: (1/3) * (15/2) * (5/2) = 25/4
    ci = change_variables("x*y", UV, region=PARABOLAS)
    u, v = ci.variables
    assert sp.simplify(ci.integrand - u * v / 3) == 0
    assert ci.as_integral() == sp.Integral(u * v / 3, (u, 1, 4), (v, 2, 3))
    assert_checked(ci, sp.Rational(25, 4))
    texts = [s.text for s in ci.steps]
    assert any("Jacobian" in t for t in texts) and any("region" in t for t in texts)
    assert any(t.startswith("Checked numerically: both sides equal 6.25") for t in texts)


def test_rotated_rectangle():
    # 0 <= x + y <= 2, 0 <= x - y <= 1; x = (u+v)/2, y = (u-v)/2, |det| = 1/2.
    # integral of (x + y)**2 = (1/2) * int_0^2 u**2 du * int_0^1 dv = 4/3
    ci = change_variables("(x + y)**2", Transform.from_equations("u = x + y, v = x - y"),
                          region="0 <= x + y <= 2, 0 <= x - y <= 1")
    u, _ = ci.variables
    assert sp.simplify(ci.integrand - u**2 / 2) == 0
    assert_checked(ci, sp.Rational(4, 3))


def test_one_variable_substitution_sympy_refuses():
    # on [0, 1], u = x**2 - 1 takes the branch x = +sqrt(u + 1); int_0^1 x dx = 1/2
    ci = change_variables("Integral(x, (x, 0, 1))", Transform.from_equations("u = x**2 - 1"))
    assert len(ci.pieces) == 1
    assert ci.region.bounds[0][1:] == (-1, 0)
    assert sp.simplify(ci.integrand - sp.Rational(1, 2)) == 0
    assert_checked(ci, sp.Rational(1, 2))


def test_region_covered_twice_by_non_injective_map():
    # u = x**2 covers [0, 1] twice from [-1, 1]: int_{-1}^{1} x**2 dx = 2/3
    ci = change_variables("Integral(x**2, (x, -1, 1))", Transform.from_equations("u = x**2"))
    (u,) = ci.variables
    assert ci.region.bounds[0][1:] == (0, 1)
    assert sp.simplify(ci.integrand - sp.sqrt(u)) == 0  # two branches of u/(2 sqrt u)
    assert_checked(ci, sp.Rational(2, 3))


def test_region_covered_twice_in_two_dimensions():
    # u = x**2, v = y on [-1, 1] x [0, 2]: area 4 = 2 * int_0^1 du/(2 sqrt u) * 2
    ci = change_variables("1", Transform.from_equations("u = x**2, v = y"),
                          region="-1 <= x <= 1, 0 <= y <= 2")
    assert_checked(ci, sp.Integer(4))


# ---------------------------------------------------------------------- parametrisations


def test_annulus_area_in_polar():
    ci = change_variables("1", system("polar"), region="1 <= x**2 + y**2 <= 4")
    assert ci.integrand == ci.variables[0]  # |det J| = r
    assert_checked(ci, 3 * sp.pi)  # pi (2**2 - 1**2)


def test_sector_area_in_polar():
    ci = change_variables("1", system("polar"), region="x**2 + y**2 <= 4, 0 <= y, y <= x")
    assert ci.region.bounds[1][1:] == (0, sp.pi / 4)
    assert_checked(ci, sp.pi / 2)  # (1/2) r**2 angle = (1/2) 4 (pi/4)


def test_disk_from_iterated_integral():
    ci = change_variables("Integral(1, (y, -sqrt(1 - x**2), sqrt(1 - x**2)), (x, -1, 1))",
                          system("polar"))
    assert_checked(ci, sp.pi)


def test_ellipse_area_pi_a_b():
    E = Transform.from_equations("x = a*r*cos(t), y = b*r*sin(t)", inputs="r t",
                                 domain="r > 0, 0 < t < 2*pi, a > 0, b > 0")
    ci = change_variables("1", E, region="x**2/a**2 + y**2/b**2 <= 1")
    a, b = sorted(ci.transform.parameters, key=str)
    assert_checked(ci, sp.pi * a * b, values={"a": 1.3, "b": 1.7})


def test_ball_volume_in_spherical():
    ci = change_variables("1", system("spherical"), region="x**2 + y**2 + z**2 <= R**2, R > 0")
    R = [s for s in ci.value.free_symbols][0]
    assert_checked(ci, 4 * sp.pi * R**3 / 3, values={"R": 1.3})


def test_cone_volume_in_cylindrical():
    # the cone sqrt(x**2 + y**2) <= z <= h: radius h, height h, volume pi h**3 / 3
    ci = change_variables("1", system("cylindrical"), region="sqrt(x**2 + y**2) <= z_, z_ <= h, h > 0")
    h = [s for s in ci.value.free_symbols][0]
    assert_checked(ci, sp.pi * h**3 / 3, values={"h": 1.3})


def test_gaussian_over_the_plane_is_pi():
    ci = change_variables("exp(-x**2 - y**2)", system("polar"), region="")
    r, _ = ci.variables
    assert ci.region.bounds[0][1:] == (0, sp.oo)
    assert sp.simplify(ci.integrand - r * sp.exp(-r**2)) == 0
    assert_checked(ci, sp.pi)


def test_spherical_converts_cartesian_integral_over_ball():
    # int over the unit ball of x**2 + y**2 + z**2 = 4 pi / 5
    text = ("Integral(x**2 + y**2 + z**2, (x, -sqrt(1 - y**2 - z**2), sqrt(1 - y**2 - z**2)), "
            "(y, -sqrt(1 - z**2), sqrt(1 - z**2)), (z, -1, 1))")
    ci = change_variables(text, system("spherical"))
    assert_checked(ci, 4 * sp.pi / 5)


def test_absolute_value_never_missing():
    # x = -u: det = -1, the volume element is |det| = 1 (int_0^1 x dx = 1/2)
    ci = change_variables("Integral(x, (x, 0, 1))", Transform.from_equations("x = -u"))
    assert ci.pieces[0].determinant == -1 and ci.pieces[0].factor == 1
    assert_checked(ci, sp.Rational(1, 2))


def test_without_evaluation_and_doit():
    ci = change_variables("Integral(x*y, (x, 0, 1), (y, 0, 1))",
                          Transform.from_equations("x = u/2, y = v/2"), evaluate=False)
    assert ci.value is None and ci.check is None
    assert ci.doit() == sp.Rational(1, 4)


# ---------------------------------------------------------------------- errors


def test_wrong_variables_error():
    with pytest.raises(DimensionError, match="Name the integral's variables"):
        change_variables("Integral(s, (s, 0, 1))", system("polar"))


def test_integrand_without_region_error():
    with pytest.raises(DomainError, match="came without a region"):
        change_variables("x*y", UV)


def test_text_is_not_evaluated():
    with pytest.raises(ParseError):
        change_variables("__import__('os').system('true')", UV, region=PARABOLAS)


def test_not_square_map_error():
    t = Transform.from_equations("x = u, y = u**2")
    with pytest.raises(DimensionError, match="as many of each"):
        change_variables("Integral(1, (x, 0, 1), (y, 0, 1))", t)


# ---------------------------------------------------------------------- numeric evidence


def test_new_integral_verifies_with_verify_integral():
    ci = change_variables("Integral(x*y, (x, 0, 1), (y, 0, 1))",
                          Transform.from_equations("x = u/2, y = v/2"), evaluate=False)
    assert verify_integral("Integral(x*y, (x, 0, 1), (y, 0, 1))", ci.as_integral()).passed
    assert verify_integral("Integral(x*y, (x, 0, 1), (y, 0, 1))",
                           "Integral(u*v/4, (u, 0, 2), (v, 0, 2))").verdict == "failed"


def test_region_without_bounds_integrates_by_monte_carlo_with_error_bar():
    annulus = Region.from_inequalities("1 <= x**2 + y**2 <= 4", variables="x y")
    q = integrate_region(1, annulus)
    assert q.method == "monte_carlo" and q.statistical and q.error > 0
    assert abs(q.value - 3 * math.pi) < 4 * q.error


def test_divergent_original_makes_the_check_inconclusive_not_pass():
    # 1/x on [0, 1] diverges: the quadrature reports trouble, so the check cannot pass
    ci = change_variables("Integral(1/x, (x, 0, 1))", Transform.from_equations("x = 2*u"))
    assert ci.check.verdict == "inconclusive" and not ci.check.passed


def test_numeric_check_reports_both_values_with_errors():
    ci = change_variables("exp(-x**2 - y**2)", system("polar"), region="")
    before, after = ci.numeric
    assert before.value == pytest.approx(math.pi, rel=1e-8)
    assert after.value == pytest.approx(math.pi, rel=1e-8)
    assert before.error < 1e-6 and after.error < 1e-6


# ---------------------------------------------------------------------- the checker

AREA = ("1", "1/2 <= x**2/y <= 1, 1/2 <= y**2/x <= 1, x > 0, y > 0")


def test_checker_correct_claim_passes():
    r = check_substitution(AREA, "Integral(1/3, (u, 1/2, 1), (v, 1/2, 1))", UV)
    assert r.verdict == "correct" and r.passed and r.mistakes == ()
    assert r.numeric[0].value == pytest.approx(1 / 12, rel=1e-8)


def test_checker_accepts_other_order_of_integration():
    r = check_substitution(("x*y", PARABOLAS), "Integral(u*v/3, (v, 2, 3), (u, 1, 4))", UV)
    assert r.verdict == "correct"


def test_checker_missing_jacobian():
    r = check_substitution(AREA, "Integral(1, (u, 1/2, 1), (v, 1/2, 1))", UV)
    assert r.verdict == "incorrect" and r.mistakes == ("missing_jacobian",)
    assert "Jacobian factor is missing" in r.diagnosis
    assert r.evidence.verdict == "failed"


def test_checker_inverted_jacobian_3_instead_of_one_third():
    r = check_substitution(AREA, "Integral(3, (u, 1/2, 1), (v, 1/2, 1))", UV)
    assert r.mistakes == ("inverted_jacobian",)
    assert "wrong way round" in r.diagnosis and "1/3" in r.diagnosis


def test_checker_absolute_value_dropped():
    # x = 2 - u, y = v maps [1, 2] x [0, 1] to itself with det = -1: writing det instead of |det|
    t = Transform.from_equations("x = 2 - u, y = v", inputs="u v")
    r = check_substitution("Integral(x, (x, 0, 1), (y, 0, 1))",
                           "Integral(-(2 - u), (u, 1, 2), (v, 0, 1))", t)
    assert r.mistakes == ("absolute_value_dropped",)
    assert "absolute value" in r.diagnosis
    assert r.numeric[1].value == pytest.approx(-0.5)  # a negative area-like result


def test_checker_wrong_bounds_compares_regions_not_numbers():
    # same value 1/12 * 1 but over the wrong region (swapped role, shifted interval)
    r = check_substitution(AREA, "Integral(1/3, (u, 1, 3/2), (v, 1/2, 1))", UV)
    assert r.mistakes == ("wrong_region",)
    assert "different region" in r.diagnosis
    assert r.evidence.passed  # the numbers agree by coincidence; the bounds are still wrong
    assert "happen to agree" in r.diagnosis


def test_checker_integrand_not_rewritten():
    r = check_substitution(("x*y", PARABOLAS), "Integral(x*y/3, (u, 1, 4), (v, 2, 3))", UV)
    assert r.mistakes == ("not_rewritten",)
    assert "still contains x, y" in r.diagnosis


def test_checker_polar_missing_r():
    r = check_substitution("Integral(1, (y, -sqrt(1 - x**2), sqrt(1 - x**2)), (x, -1, 1))",
                           "Integral(1, (r, 0, 1), (theta, 0, 2*pi))", system("polar"))
    assert r.mistakes == ("missing_jacobian",)
    assert r.numeric[1].value == pytest.approx(2 * math.pi)


def test_checker_claim_must_be_an_integral():
    with pytest.raises(ParseError, match="not an integral"):
        check_substitution(AREA, "u*v", UV)


def test_checker_other_wrong_integrand():
    # |x + 2y| <= 2, |x - y| <= 1 is a parallelogram of area 4*2/3 = 8/3 (|det d(u,v)/d(x,y)| = 3)
    t = Transform.from_equations("u = x + 2*y, v = x - y")
    r = check_substitution(("1", "Abs(x + 2*y) <= 2, Abs(x - y) <= 1"),
                           "Integral(u, (u, -2, 2), (v, -1, 1))", t)
    assert r.mistakes == ("wrong_integrand",) and "should be 1/3" in r.diagnosis
    good = check_substitution(("1", "Abs(x + 2*y) <= 2, Abs(x - y) <= 1"),
                              "Integral(1/3, (u, -2, 2), (v, -1, 1))", t)
    assert good.passed and good.numeric[0].value == pytest.approx(8 / 3, rel=1e-9)


def test_checker_wrong_variables():
    r = check_substitution(AREA, "Integral(1/3, (a, 1/2, 1), (b, 1/2, 1))", UV)
    assert r.verdict == "incorrect" and r.mistakes == ("wrong_variables",)


def test_latex_of_results():
    from symjac.latex import to_latex

    ci = change_variables("x*y", UV, region=PARABOLAS)
    text = to_latex(ci)
    assert "\\int" in text and "\\frac{25}{4}" in text
    assert ci._repr_latex_().startswith("$$")  # display math: the double integral at full size
    r = check_substitution(AREA, "Integral(1, (u, 1/2, 1), (v, 1/2, 1))", UV)
    assert "incorrect" in to_latex(r)


affine = st.integers(min_value=-3, max_value=3)


@settings(max_examples=5, deadline=None)
@given(affine, affine, affine, affine)
def test_affine_substitution_preserves_box_integrals(a, b, c, d):
    # u = a x + b y, v = c x + d y: over a box the value of x*y must not change (numeric oracle)
    if a * d - b * c == 0:
        return
    t = Transform.from_equations(f"u = {a}*x + {b}*y, v = {c}*x + {d}*y")
    ci = change_variables("Integral(x*y + 1, (x, 0, 1), (y, 0, 2))", t, rtol=1e-6)
    assert ci.check.passed, ci.check
    assert ci.value is None or ci.value == 3  # int_0^2 int_0^1 (x y + 1) dx dy = 1 + 2


def test_cylindrical_accepts_z_for_the_cartesian_height():
    # int of z over the cone r <= z <= 1: 2 pi int_0^1 z * z**2/2 dz = pi/4
    ci = change_variables("z", system("cylindrical"), region="sqrt(x**2 + y**2) <= z, z <= 1")
    r, _, z = ci.variables
    assert ci.as_integral() == sp.Integral(r * z, (r, 0, z), (z, 0, 1), (ci.variables[1], 0, 2 * sp.pi))
    assert_checked(ci, sp.pi / 4)


def test_integrable_singularity_is_exact_and_never_a_false_pass():
    # int over the unit disk of 1/sqrt(x**2 + y**2) = int_0^2pi int_0^1 dr dtheta = 2 pi;
    # the Cartesian quadrature meets the singularity at the origin: it must report it, not crash
    ci = change_variables("1/sqrt(x**2 + y**2)", system("polar"), region="x**2 + y**2 <= 1")
    assert ci.value == 2 * sp.pi
    assert ci.numeric[1].converged and ci.numeric[1].value == pytest.approx(2 * math.pi, rel=1e-9)
    assert ci.check.verdict in ("passed", "inconclusive")
    if not ci.numeric[0].converged:
        assert ci.check.verdict == "inconclusive"


def test_checker_missing_branch_of_non_injective_substitution():
    # int_{-1}^{1} x**2 dx = 2/3 = int_0^1 sqrt(u) du (both branches); one branch gives only 1/3
    t = Transform.from_equations("u = x**2")
    r = check_substitution("Integral(x**2, (x, -1, 1))", "Integral(sqrt(u)/2, (u, 0, 1))", t)
    assert r.mistakes == ("missing_branch",) and "not one-to-one" in r.diagnosis
    assert r.numeric[1].value == pytest.approx(1 / 3)
    assert check_substitution("Integral(x**2, (x, -1, 1))", "Integral(sqrt(u), (u, 0, 1))", t).passed


def test_checker_reads_a_constant_written_outside_the_integral():
    r = check_substitution(("x*y", PARABOLAS), "1/3 * Integral(u*v, (u, 1, 4), (v, 2, 3))", UV)
    assert r.passed


def test_checker_claim_needs_bounds():
    with pytest.raises(DomainError, match="no bounds for u"):
        check_substitution(AREA, "Integral(1/3, u, (v, 1/2, 1))", UV)


def test_checker_sum_of_integrals_for_pieces_over_different_regions():
    # int_{-1}^{2} x**2 dx = 3: x = sqrt(u) covers [0, 4], x = -sqrt(u) covers [0, 1], each
    # with integrand u * 1/(2 sqrt u) = sqrt(u)/2
    t = Transform.from_equations("u = x**2")
    ci = change_variables("Integral(x**2, (x, -1, 2))", t)
    assert len(ci.pieces) == 2 and ci.value == 3
    original = "Integral(x**2, (x, -1, 2))"
    good = check_substitution(original, "Integral(sqrt(u)/2, (u, 0, 1)) + Integral(sqrt(u)/2, (u, 0, 4))", t)
    assert good.passed and good.numeric[1].value == pytest.approx(3)
    merged = check_substitution(original, "Integral(sqrt(u), (u, 0, 1)) + Integral(sqrt(u)/2, (u, 1, 4))", t)
    assert merged.passed  # the same integral, cut differently
    wrong = check_substitution(original, "Integral(sqrt(u)/2, (u, 0, 4)) + Integral(sqrt(u)/2, (u, 0, 2))", t)
    assert wrong.mistakes == ("missing_branch",)


def test_checker_undecided_when_the_numbers_cannot_decide():
    # the claim is right (1/r times r = 1), but the Cartesian quadrature cannot converge at the
    # singularity: the verdict is "undecided", never "correct" on weak evidence
    r = check_substitution(("1/sqrt(x**2 + y**2)", "x**2 + y**2 <= 1"),
                           "Integral(1, (r, 0, 1), (theta, 0, 2*pi))", system("polar"))
    assert r.mistakes == ()
    if not r.numeric[0].converged:
        assert r.verdict == "undecided" and not r.passed and "could not decide" in r.diagnosis
    else:
        assert r.verdict == "correct"


def test_cube_substitution_across_zero_keeps_both_sides():
    # u = x**3 on [-1, 2]: du = 3 x**2 dx, u from -1 to 8, so the integral is 9/3 = 3
    # (the negative side, where x = -(-u)**(1/3), must not be lost or made complex)
    ci = change_variables("Integral(x**2, (x, -1, 2))", Transform.from_equations("u = x**3"))
    assert_checked(ci, sp.Integer(3))


def test_image_kept_as_inequalities_is_integrated_deterministically():
    # u = x^2 - y^2, v = 2xy maps the region onto the box [1, 4] x [1, 3], but the image keeps
    # conditions that are hard to prove redundant, so there are no iterated bounds; the box comes
    # from the linear conditions (-u <= -1) and the region is integrated line by line
    from scipy.integrate import dblquad
    t = Transform.from_equations("u = x**2 - y**2, v = 2*x*y")
    ci = change_variables("1", t, region="1 <= x**2 - y**2 <= 4, 1 <= 2*x*y <= 3, x > 0, y > 0")
    u, v = ci.variables
    assert sp.simplify(ci.integrand - 1 / (4 * sp.sqrt(u**2 + v**2))) == 0    # |det| = 4(x^2 + y^2)
    exact = dblquad(lambda v, u: 0.25 / math.hypot(u, v), 1, 4, 1, 3)[0]
    assert ci.check.passed
    after = ci.numeric[1]
    assert not after.statistical and abs(after.value - exact) <= after.error


def test_checker_sign_flip_with_positive_determinant_does_not_call_it_negative():
    # u = y - x, v = x + y has inputs (y, x): det d(y,x)/d(u,v) = 1/2 > 0, det d(x,y)/d(u,v) = -1/2;
    # the claim -v/2 is what det instead of |det| gives in the order x, y
    t = Transform.from_equations("u = y - x, v = x + y")
    r = check_substitution(("x + y", "0 <= y - x <= 1, 0 <= x + y <= 2"),
                           "Integral(-v/2, (u, 0, 1), (v, 0, 2))", t)
    assert r.mistakes == ("absolute_value_dropped",)
    assert "1/2 is negative" not in r.diagnosis
    assert "wrong sign" in r.diagnosis and "-1/2" in r.diagnosis
    assert r.numeric[1].value == pytest.approx(-1.0)      # the right value is 1 (area 1 times mean v 1)


def test_region_in_other_names_is_refused_not_ignored():
    # once the region was taken as a condition on parameters a, b and dropped: the plane instead
    with pytest.raises(DomainError, match="does not involve the integration variables x, y"):
        change_variables("x*y", system("polar"), region="a**2 + b**2 <= 1")


def test_a_variable_no_one_bounds_is_refused():
    # a 2-D integrand and region with the 3-D spherical map: z would run over the whole line
    with pytest.raises(DomainError, match="neither the integrand nor the region involves z"):
        change_variables("x*y", system("spherical"), region="x**2 + y**2 <= 1")
    with pytest.raises(DomainError, match="involves z"):
        check_substitution(("1", "x**2 + y**2 <= 1"), "Integral(r**2, (r, 0, 1), (theta, 0, pi), "
                           "(phi, 0, 2*pi))", system("spherical"))


def test_triangle_area_in_polar_is_one_half():
    ci = change_variables("1", system("polar"), region="0 <= y <= x, x <= 1")
    r, theta = ci.variables
    assert ci.as_integral() == sp.Integral(r, (r, 0, 1 / sp.cos(theta)), (theta, 0, sp.pi / 4))
    assert_checked(ci, sp.Rational(1, 2))


def test_checker_accepts_an_angle_range_shifted_by_two_pi():
    # the disc x^2 + y^2 <= 2x is r <= 2cos(theta), -pi/2 <= theta <= pi/2 in every textbook,
    # although the polar chart's own angle runs over (0, 2*pi); area pi
    disc = ("1", "x**2 + y**2 <= 2*x")
    r = check_substitution(disc, "Integral(r, (r, 0, 2*cos(theta)), (theta, -pi/2, pi/2))", system("polar"))
    assert r.verdict == "correct", r.diagnosis
    assert r.numeric[1].value == pytest.approx(math.pi, rel=1e-8)
    wrong = check_substitution(disc, "Integral(r, (r, 0, 2*cos(theta)), (theta, 0, pi/2))", system("polar"))
    assert wrong.mistakes == ("wrong_region",)


@pytest.mark.parametrize(("integrand", "chart", "region", "exact", "angle"), [
    # the disc (x - 1)^2 + y^2 <= 1: area pi, and the integral of x is pi (centroid at x = 1)
    ("1", "polar", "x**2 + y**2 <= 2*x", sp.pi, (-sp.pi / 2, sp.pi / 2)),
    ("x", "polar", "x**2 + y**2 <= 2*x", sp.pi, (-sp.pi / 2, sp.pi / 2)),
    # the right half of the disc of radius 2: area 2*pi
    ("1", "polar", "x**2 + y**2 <= 4, x >= 0", 2 * sp.pi, (-sp.pi / 2, sp.pi / 2)),
    # x^2 over the half ball x >= 0: half of 4*pi/15
    ("x**2", "spherical", "x**2 + y**2 + z**2 <= 1, x >= 0", 2 * sp.pi / 15, (-sp.pi / 2, sp.pi / 2)),
    # a cylinder of height 1 over the disc (x - 1)^2 + y^2 <= 1
    ("1", "cylindrical", "x**2 + y**2 <= 2*x, 0 <= z <= 1", sp.pi, (-sp.pi / 2, sp.pi / 2)),
])
def test_regions_across_the_positive_x_axis_get_one_angle_interval(integrand, chart, region, exact,
                                                                   angle):
    # the chart's angle runs over (0, 2*pi), where these regions need two intervals; over
    # (-pi, pi) they need one, and the derivation says so
    ci = change_variables(integrand, system(chart), region=region)
    limits = ci.as_integral().limits
    assert any(lim[1:] == angle for lim in limits), limits
    assert any("<= pi instead of 0 <= " in s.text and "<= 2*pi" in s.text for s in ci.steps)
    assert_checked(ci, exact)


def test_a_condition_does_not_prove_its_own_factor_away():
    # 0 <= z once made z look nonnegative to itself, and 'z >= 0' vanished from the region
    region = Region.from_inequalities("x**2 + y**2 <= 4, x >= 0", variables="x y")
    assert region.bounds is not None
    assert integrate_region(1, region).value == pytest.approx(2 * math.pi, rel=1e-8)


def test_checker_with_a_parameter_in_the_bounds():
    # the disc of radius R: pi R^2 (this once crashed while sampling the claimed region)
    disc = ("1", "x**2 + y**2 <= R**2, R > 0")
    right = check_substitution(disc, "Integral(r, (r, 0, R), (theta, 0, 2*pi))", system("polar"))
    assert right.verdict == "correct"
    assert right.numeric[1].value == pytest.approx(math.pi * 1.3**2, rel=1e-8)   # R = 1.3 by default
    wrong = check_substitution(disc, "Integral(r, (r, 0, R**2), (theta, 0, 2*pi))", system("polar"))
    assert wrong.mistakes == ("wrong_region",)


def test_checker_names_a_stray_symbol_in_the_claim():
    with pytest.raises(DomainError, match="uses a, which is neither one of the new variables"):
        check_substitution(("x*y", PARABOLAS), "Integral(a*u*v/3, (u, 1, 4), (v, 2, 3))", UV)


def test_divergent_integral_is_said_to_diverge_not_to_lack_a_closed_form():
    ci = change_variables("exp(x**2 + y**2)", system("polar"), region="")
    assert ci.value is None and ci.check.verdict == "inconclusive"
    assert any("probably diverges" in s.text for s in ci.steps)
    with pytest.raises(DomainError, match="probably diverges"):
        ci.doit()


def test_checker_accepts_the_one_variable_rule_with_limits_running_down():
    # x = 1 - u: the integral of x over [0, 1] is the integral from u = 1 to 0 of (1 - u) * (-1) du,
    # the textbook form of the substitution rule (value 1/2)
    t = Transform.from_equations("u = 1 - x")
    right = check_substitution("Integral(x, (x, 0, 1))", "Integral(-(1 - u), (u, 1, 0))", t)
    assert right.verdict == "correct"
    assert right.numeric[1].value == pytest.approx(0.5)
    assert any("run downwards" in s.text for s in right.steps)
    # forgetting du = -dx while keeping the limits gives -1/2
    wrong = check_substitution("Integral(x, (x, 0, 1))", "Integral(1 - u, (u, 1, 0))", t)
    assert wrong.mistakes == ("absolute_value_dropped",)
    assert "signed derivative" in wrong.diagnosis and wrong.numeric[1].value == pytest.approx(-0.5)


def test_original_integral_with_limits_running_down():
    # the integral of x from 1 down to 0 is -1/2 (it was refused as an empty region)
    ci = change_variables("Integral(x, (x, 1, 0))", Transform.from_equations("u = 2*x"))
    assert_checked(ci, sp.Rational(-1, 2))


def test_ice_cream_cone_is_checked_inside_the_ball_around_it():
    # the cone z >= sqrt(x^2 + y^2) inside the unit ball: pi*(2 - sqrt(2))/3 (Stewart, 15.8);
    # the Cartesian side has no iterated bounds and once sampled the infinite cone instead of the ball
    ci = change_variables("1", system("spherical"),
                          region="x**2 + y**2 + z**2 <= 1, z >= sqrt(x**2 + y**2)")
    assert ci.check.verdict != "failed", ci.check
    assert_checked(ci, sp.pi * (2 - sp.sqrt(2)) / 3)


def test_region_step_is_typeset_in_latex():
    from symjac.latex import to_latex

    t = Transform.from_equations("u = x**2/y, v = y**2/x", domain="x > 0, y > 0")
    ci = change_variables("x*y", t, region="1 <= x**2/y <= 4, 2 <= y**2/x <= 3, x > 0, y > 0")
    latex = to_latex(ci, steps=True)
    # the image of the region is the rectangle 1 <= u <= 4, 2 <= v <= 3
    assert "\\intertext{5. The region in $u,\\ v$, as iterated bounds:}\n&2 \\le v \\le 3,\\quad 1 \\le u \\le 4" in latex
    assert "    2 <= v <= 3, 1 <= u <= 4" in str(ci.steps)
    # the Jacobian determinant d(u, v)/d(x, y), between bars, is 3
    assert "\\intertext{1. The Jacobian determinant of the substitution:}\n" \
        "\\frac{\\partial(u, v)}{\\partial(x, y)} &= \\begin{vmatrix}\\frac{2 x}{y}" in latex
    # the inverse x = u^(2/3) v^(1/3), y = u^(1/3) v^(2/3) on u, v > 0, typeset
    solve = latex.split("\\intertext{2. Solve for the old variables, on $u > 0,\\ v > 0$:}\n", 1)[1]
    assert solve.startswith("x &= u^{\\frac{2}{3}} \\sqrt[3]{v} \\\\\ny &= ")
    assert "\\text{" not in latex


BALL = ("1", "x**2 + y**2 + z**2 <= 1")


def test_checker_incomplete_jacobian_in_spherical_coordinates():
    # dV = r**2 sin(theta) dr dtheta dphi (Stewart, 15.8); r**2 alone gives 2*pi**2/3, not 4*pi/3
    r = check_substitution(BALL, "Integral(r**2, (r, 0, 1), (theta, 0, pi), (phi, 0, 2*pi))",
                           system("spherical"))
    assert r.verdict == "incorrect" and r.mistakes == ("wrong_jacobian",)
    assert "r**2*sin(theta)" in r.diagnosis          # what the factor should be
    assert "used r**2 as the factor" in r.diagnosis   # what the claim used
    assert "sin(theta) is missing" in r.diagnosis
    assert r.numeric[0].value == pytest.approx(4 * math.pi / 3, rel=1e-8)
    assert r.numeric[1].value == pytest.approx(2 * math.pi**2 / 3, rel=1e-8)


def test_checker_wrong_jacobian_factor_times_a_rewritten_integrand():
    # the integral of z**2 over the ball is 4*pi/15; r*sin(theta) instead of r**2*sin(theta)
    # times the correctly rewritten z**2 = r**2 cos(theta)**2 is a factor mistake, not the integrand's
    r = check_substitution(("z**2", BALL[1]), "Integral(r**3*cos(theta)**2*sin(theta), (r, 0, 1), "
                           "(theta, 0, pi), (phi, 0, 2*pi))", system("spherical"))
    assert r.mistakes == ("wrong_jacobian",)
    assert "used r*sin(theta)" in r.diagnosis and "r is missing" in r.diagnosis
    assert r.numeric[0].value == pytest.approx(4 * math.pi / 15, rel=1e-8)


def test_checker_inner_integral_done_by_hand_is_judged_on_its_value():
    # the unit disk in polar coordinates: the theta integral done by hand gives 2*pi*int_0^1 r dr = pi
    disk = ("1", "x**2 + y**2 <= 1")
    for claim in ("2*pi*Integral(r, (r, 0, 1))", "Integral(2*pi*r, (r, 0, 1))"):
        r = check_substitution(disk, claim, system("polar"))
        assert r.verdict == "correct", r.diagnosis
        assert r.mistakes == () and "already done" in r.diagnosis and "theta" in r.diagnosis
        assert r.numeric[1].value == pytest.approx(math.pi, rel=1e-8)
    wrong = check_substitution(disk, "2*pi*Integral(1, (r, 0, 1))", system("polar"))
    assert wrong.verdict == "incorrect" and "wrong_variables" not in wrong.mistakes
    assert wrong.numeric[1].value == pytest.approx(2 * math.pi, rel=1e-8)


def test_checker_claim_depending_on_a_variable_it_does_not_integrate_is_refused_clearly():
    r = check_substitution(("1", "x**2 + y**2 <= 1"), "Integral(r*theta, (r, 0, 1))", system("polar"))
    assert r.mistakes == ("wrong_variables",) and "theta" in r.diagnosis and "no bounds" in r.diagnosis


def test_checker_names_the_mistake_in_a_claim_with_an_inner_integral_done():
    # 2*pi*int_0^1 1 dr = 2*pi forgets the r in r dr dtheta; 2*pi*int_0^2 r dr = 4*pi has r <= 2
    disk = ("1", "x**2 + y**2 <= 1")
    r = check_substitution(disk, "2*pi*Integral(1, (r, 0, 1))", system("polar"))
    assert r.mistakes == ("missing_jacobian",) and "Jacobian factor is missing" in r.diagnosis
    r = check_substitution(disk, "2*pi*Integral(r, (r, 0, 2))", system("polar"))
    assert r.mistakes == ("wrong_region",) and "Integral(2*pi*r, (r, 0, 1))" in r.diagnosis
    assert r.numeric[1].value == pytest.approx(4 * math.pi, rel=1e-8)


def test_checker_inner_integrals_done_in_three_dimensions():
    # the unit ball: 4*pi*int_0^1 r**2 dr = 4*pi/3; dropping the 2*pi of the phi integral gives 2/3
    r = check_substitution(BALL, "4*pi*Integral(r**2, (r, 0, 1))", system("spherical"))
    assert r.verdict == "correct" and "integrals over theta and phi were already done" in r.diagnosis
    r = check_substitution(BALL, "Integral(r**2*sin(theta), (r, 0, 1), (theta, 0, pi))", system("spherical"))
    assert r.mistakes == ("wrong_value",) and "off by a constant factor" in r.diagnosis
    assert "6.28319 times it" in r.diagnosis                     # 2*pi
    assert r.numeric[1].value == pytest.approx(2 / 3, rel=1e-8)
