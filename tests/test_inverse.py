"""Inverses: textbook formulas, branches and their domains, certificates, laws, errors."""

import numpy as np
import pytest
import sympy as sp

import symjac as sj
from symjac import (
    DimensionError,
    InversionError,
    SingularTransformError,
    SymjacTimeoutError,
    Transform,
    invert,
    inversion,
    system,
)
from symjac.inverse.inversions import inverse_determinant


def by_name(t: Transform) -> dict[str, sp.Symbol]:
    return {s.name: s for s in t.inputs + t.parameters}


def expected(t: Transform, text: str) -> sp.Expr:
    """A textbook formula written in the branch's own symbols."""
    return sj.parse_expression(text, symbols=by_name(t))


def same(a: sp.Expr, b: sp.Expr) -> bool:
    return a == b or sp.simplify(a - b) == 0


def assert_formulas(branch: Transform, formulas: dict[str, str]) -> None:
    got = {o.name: e for o, e in zip(branch.outputs, branch.exprs)}
    for name, text in formulas.items():
        assert same(got[name], expected(branch, text)), (name, got[name], text)


def holds(branch: Transform, point: dict[str, float]) -> bool:
    """Whether the branch's domain contains the point (names -> values)."""
    f = sj.domains.condition_function(branch.inputs + branch.parameters, branch.domain)
    row = np.array([[point[s.name] for s in branch.inputs + branch.parameters]], dtype=float)
    return bool(f(row)[0]) if branch.domain else True


# ---------------------------------------------------------------------- known inverses


def test_monomial_map_gives_real_principal_powers_on_positive_orthant():
    T = Transform.from_equations("u = x**2/y, v = y**2/x", domain="x > 0, y > 0")
    (b,) = invert(T)
    assert_formulas(b, {"x": "u**(2/3)*v**(1/3)", "y": "u**(1/3)*v**(2/3)"})
    assert holds(b, {"u": 2.0, "v": 0.5}) and not holds(b, {"u": -1.0, "v": 1.0})
    assert inversion(T).strategy.startswith("monomial")
    assert sj.jacobian_determinant(b) == sp.Rational(1, 3)  # det J = 3 for this map


def test_sum_and_difference():
    (b,) = invert(Transform.from_equations("u = x + y, v = x - y"))
    assert_formulas(b, {"x": "(u + v)/2", "y": "(u - v)/2"})
    assert b.domain == ()


def test_xy_and_y_over_x_squared_on_positive_quadrant():
    T = Transform.from_equations("u = x*y, v = y/x**2", domain="x > 0, y > 0")
    (b,) = invert(T)
    # x**3 = u/v and y**3 = u**2 v
    assert_formulas(b, {"x": "(u/v)**(1/3)", "y": "(u**2*v)**(1/3)"})
    assert same(inversion(T).branches[0].determinant, expected(b, "1/(3*v)"))


def test_triangle_map_back_substitution():
    T = Transform.from_equations("x = u - u*v, y = u*v", domain="u > 0, 0 < v < 1")
    (b,) = invert(T)
    assert_formulas(b, {"u": "x + y", "v": "y/(x + y)"})
    # the image of the strip u > 0, 0 < v < 1 is the open first quadrant
    assert [sp.sstr(c) for c in b.domain] == ["x > 0", "y > 0"]


def test_sum_and_share_map():
    T = Transform.from_equations("u = x + y, v = y/(x + y)", domain="x > 0, y > 0")
    (b,) = invert(T)
    assert_formulas(b, {"x": "u*(1 - v)", "y": "u*v"})
    # the image of the open quadrant: total u > 0, share 0 < v < 1
    assert [sp.sstr(c) for c in b.domain] == ["u > 0", "v > 0", "v < 1"]


def test_polar_inverse_uses_atan2_in_the_domain_range():
    (b,) = invert(system("polar"))
    assert_formulas(b, {"r": "sqrt(x**2 + y**2)"})
    theta = sp.lambdify(b.inputs, b.exprs[1])
    # 0 < theta < 2*pi: the third quadrant point (-1, -1) has angle 5*pi/4, not -3*pi/4
    assert theta(-1.0, -1.0) == pytest.approx(5 * np.pi / 4)
    assert theta(1.0, 1.0) == pytest.approx(np.pi / 4)
    assert not holds(b, {"x": 1.0, "y": 0.0})  # the cut theta = 0 is outside the domain


def test_polar_with_angle_between_minus_pi_and_pi_is_atan2():
    T = Transform.from_equations("x = r*cos(t), y = r*sin(t)", domain="r > 0, -pi < t < pi")
    (b,) = invert(T)
    assert_formulas(b, {"r": "sqrt(x**2 + y**2)", "t": "atan2(y, x)"})


def test_radius_and_atan2_angle_go_back_to_cartesian():
    inv = inversion(Transform.from_equations("r = sqrt(x**2 + y**2), theta = atan2(y, x)"))
    (b,) = inv.transforms
    assert_formulas(b, {"x": "r*cos(theta)", "y": "r*sin(theta)"})
    assert [sp.sstr(c) for c in b.domain] == ["r > 0", "theta > -pi", "theta <= pi"]
    assert [sp.sstr(c) for c in inv.branches[0].source] == ["x**2 + y**2 > 0"]
    assert inv.branches[0].certificate.passed


def test_cylindrical_inverse():
    (b,) = invert(system("cylindrical"))
    f = sp.lambdify(b.inputs, b.exprs)
    r, theta, z = f(0.0, -2.0, 5.0)
    assert (r, theta, z) == pytest.approx((2.0, 3 * np.pi / 2, 5.0))


@pytest.mark.parametrize("convention", ["physics", "math"])
def test_spherical_inverse_both_conventions(convention):
    t = system("spherical", convention=convention)
    (b,) = invert(t)
    f = sp.lambdify(b.inputs, b.exprs)
    values = dict(zip((s.name for s in b.outputs), f(1.0, -1.0, -np.sqrt(2.0))))
    radius = values.get("r", values.get("rho"))
    polar = values["theta"] if convention == "physics" else values["phi"]
    azimuth = values["phi"] if convention == "physics" else values["theta"]
    assert radius == pytest.approx(2.0)
    assert polar == pytest.approx(3 * np.pi / 4)  # z = -sqrt(2) = 2 cos(3 pi/4)
    assert azimuth == pytest.approx(7 * np.pi / 4)  # (1, -1) in [0, 2 pi)


def test_hyperspherical_four_dimensions():
    t = system("hyperspherical", n=4)
    inv = inversion(t)
    (b,) = inv.transforms
    point = (0.7, 1.1, 0.4, 2.0)
    x = t(*point)
    back = [float(e.xreplace(dict(zip(b.inputs, x)))) for e in b.exprs]
    assert back == pytest.approx(point)
    assert inv.branches[0].certificate.passed and inv.branches[0].certificate.symbolic


def test_box_muller_and_back():
    T = Transform.from_equations(
        "z1 = sqrt(-2*log(u1))*cos(2*pi*u2), z2 = sqrt(-2*log(u1))*sin(2*pi*u2)",
        domain="0 < u1 < 1, 0 < u2 < 1")
    inv = inversion(T)
    (b,) = inv.transforms
    assert_formulas(b, {"u1": "exp(-(z1**2 + z2**2)/2)"})
    u2 = sp.lambdify(b.inputs, b.exprs[1])
    assert u2(-1.0, -1.0) == pytest.approx(5 / 8)  # angle 5 pi/4 over 2 pi
    # the inverse's Jacobian determinant is minus the standard normal density
    assert same(inv.branches[0].determinant, expected(b, "-exp(-(z1**2 + z2**2)/2)/(2*pi)"))


def test_square_has_two_branches_with_partition():
    inv = inversion(Transform.from_equations("u = x**2"))
    plus, minus = inv.transforms
    assert_formulas(plus, {"x": "sqrt(u)"})
    assert_formulas(minus, {"x": "-sqrt(u)"})
    x = Transform.from_equations("u = x**2").inputs[0]
    assert [b.source for b in inv.branches] == [(x >= 0,), (x < 0,)]
    assert holds(plus, {"u": 0.0}) and not holds(minus, {"u": 0.0})
    assert not holds(plus, {"u": -1.0})


def test_square_on_positive_half_line_has_one_branch():
    (b,) = invert(Transform.from_equations("u = x**2", domain="x > 0"))
    assert_formulas(b, {"x": "sqrt(u)"})


def test_exponential():
    (b,) = invert(Transform.from_equations("u = exp(x)"))
    assert_formulas(b, {"x": "log(u)"})
    assert holds(b, {"u": 0.5}) and not holds(b, {"u": -0.5})


def test_parabola_on_a_half_line_splits_at_the_vertex():
    inv = inversion(Transform.from_equations("u = x**2 - 2*x", domain="x > -3"))
    right, left = inv.transforms
    assert_formulas(right, {"x": "1 + sqrt(u + 1)"})
    assert_formulas(left, {"x": "1 - sqrt(u + 1)"})
    # x in (-3, 1) maps onto (-1, 15)
    assert holds(left, {"u": 14.0}) and not holds(left, {"u": 16.0})
    assert holds(right, {"u": 16.0})


def real_values(branch: Transform, point: dict[str, float]) -> list[float]:
    """The branch's formulas at a point of its inputs (names -> values), as real numbers."""
    at = {s: sp.nsimplify(point[s.name]) for s in branch.inputs}
    return [float(e.xreplace(at)) for e in branch.exprs]


def test_cube_is_one_branch_the_real_cube_root():
    inv = inversion(Transform.from_equations("u = x**3"))
    (b,) = inv.transforms  # x**3 is one-to-one on the real line: one inverse
    assert b.domain == ()  # every real u
    # the real cube root on both sides: (-8)**(1/3) = -2, not a complex number
    assert real_values(b, {"u": -8}) == pytest.approx([-2.0])
    assert real_values(b, {"u": 27}) == pytest.approx([3.0])
    assert real_values(b, {"u": 0}) == pytest.approx([0.0])
    (branch,) = inv.branches
    assert branch.source == () and branch.certificate.passed
    # dx/du = 1/(3 x**2) = 1/(3 |u|**(2/3)) on both sides
    u = b.inputs[0]
    for value in (-8, 27):
        assert float(branch.determinant.subs(u, value)) == pytest.approx(1 / (3 * abs(value) ** (2 / 3)))
    # the cases it is made of: plain formulas, each on its own half-line
    pos, neg = (p.transform for p in branch.pieces)
    assert_formulas(pos, {"x": "u**(1/3)"})
    assert_formulas(neg, {"x": "-(-u)**(1/3)"})  # the real cube root of a negative number
    assert holds(neg, {"u": -8.0}) and not holds(neg, {"u": 8.0})
    assert invert(Transform.from_equations("u = x**3"), pieces=True) == (pos, neg)


def test_cube_on_an_interval_is_one_branch_onto_the_image():
    (b,) = invert(Transform.from_equations("u = x**3", domain="-1 <= x, x <= 2"))
    assert [sp.sstr(c) for c in b.domain] == ["u >= -1", "u <= 8"]  # [-1, 2] maps onto [-1, 8]
    assert real_values(b, {"u": -1}) == pytest.approx([-1.0])
    assert real_values(b, {"u": 8}) == pytest.approx([2.0])


def test_odd_powers_and_shifted_cubes_are_one_branch():
    (b,) = invert(Transform.from_equations("u = x**5"))
    assert real_values(b, {"u": -32}) == pytest.approx([-2.0])
    (b,) = invert(Transform.from_equations("u = (x - 1)**3"))
    assert real_values(b, {"u": -8}) == pytest.approx([-1.0])


def test_branches_whose_values_overlap_stay_apart():
    # u = x**2 on -3 < x < 1: both sides reach 0 <= u < 1, so there are two branches
    left, right = invert(Transform.from_equations("u = x**2", domain="-3 < x, x < 1"))
    assert left.exprs[0].is_Pow and right.exprs[0].could_extract_minus_sign()


def test_cube_inside_a_triangular_map_in_three_variables():
    inv = inversion(Transform.from_equations("u = x + y + z, v = y + z, w = z**3"))
    (b,) = inv.transforms
    assert b.domain == ()
    # z**3 = w = -8 gives z = -2, then y = v - z and x = u - v
    assert real_values(b, {"u": 1, "v": 3, "w": -8}) == pytest.approx([-2.0, 5.0, -2.0])
    pos, neg = (p.transform for p in inv.branches[0].pieces)
    assert_formulas(pos, {"x": "u - v", "y": "v - w**(1/3)", "z": "w**(1/3)"})
    assert_formulas(neg, {"x": "u - v", "y": "v + (-w)**(1/3)", "z": "-(-w)**(1/3)"})
    assert [sp.sstr(c) for c in neg.domain] == ["w < 0"]


def test_reciprocal_is_one_branch_on_both_half_lines():
    (b,) = invert(Transform.from_equations("u = 1/x"))
    assert_formulas(b, {"x": "1/u"})
    assert holds(b, {"u": -2.0}) and holds(b, {"u": 3.0}) and not holds(b, {"u": 0.0})


def test_lambert_w_inverse():
    (b,) = invert(Transform.from_equations("u = x + exp(x)"))
    (u,) = b.inputs
    assert same(b.exprs[0], u - sp.LambertW(sp.exp(u)))


def test_xy_and_y_over_x_squared_on_the_whole_plane_uses_real_cube_roots():
    T = Transform.from_equations("u = x*y, v = y/x**2")
    inv = inversion(T)
    (b,) = inv.branches  # x**3 = u/v and y**3 = u**2*v: one real solution wherever uv != 0
    assert same(b.determinant, expected(b.transform, "1/(3*v)"))
    assert b.certificate.passed
    assert holds(b.transform, {"u": -2.0, "v": 0.25}) and holds(b.transform, {"u": 1.0, "v": -1.0})
    assert not holds(b.transform, {"u": 0.0, "v": 1.0})
    # x = -2, y = 1 gives u = -2, v = 1/4; x = y = -2 gives u = 4, v = -1/2
    assert real_values(b.transform, {"u": -2, "v": 0.25}) == pytest.approx([-2.0, 1.0])
    assert real_values(b.transform, {"u": 4, "v": -0.5}) == pytest.approx([-2.0, -2.0])
    assert len(b.pieces) == 2 and all(p.certificate.passed for p in b.pieces)


def test_affine_with_symbolic_coefficients_states_nonzero_determinant():
    T = Transform.from_equations("u = a*x + b*y + k, v = c*x + d*y", inputs="x y")
    (b,) = invert(T)
    assert_formulas(b, {"x": "(d*(u - k) - b*v)/(a*d - b*c)", "y": "(a*v - c*(u - k))/(a*d - b*c)"})
    det = expected(b, "a*d - b*c")
    assert any(isinstance(c, sp.Ne) and same(c.lhs - c.rhs, det) for c in b.domain)


def test_location_scale_map_keeps_its_parameters():
    (b,) = invert(Transform.from_equations("y = s*x + m", inputs="x", domain="s > 0"))
    assert_formulas(b, {"x": "(y - m)/s"})
    assert [sp.sstr(c) for c in b.domain] == ["s > 0"]


def test_scaled_square_with_a_parameter_has_two_branches():
    inv = inversion(Transform.from_equations("y = a*x**2", inputs="x", domain="a > 0"))
    plus, minus = inv.transforms
    assert_formulas(plus, {"x": "sqrt(y/a)"})
    assert_formulas(minus, {"x": "-sqrt(y/a)"})
    assert holds(plus, {"y": 0.0, "a": 2.0}) and not holds(minus, {"y": 0.0, "a": 2.0})


def test_where_the_map_is_undefined_is_left_out_of_the_inverse_domain():
    # y = x1/x2 needs x2 != 0, so the inverse x2 = z is valid only for z != 0
    (b,) = invert(Transform.from_equations("y = x1/x2, z = x2"))
    assert_formulas(b, {"x1": "y*z", "x2": "z"})
    assert [sp.sstr(c) for c in b.domain] == ["Ne(z, 0)"]


def test_four_sign_branches_of_two_squares():
    inv = inversion(Transform.from_equations("u = x**2, v = y**2"))
    assert len(inv.branches) == 4
    assert [sp.sstr(c) for c in inv.branches[0].source] == ["x >= 0", "y >= 0"]
    signs = {tuple(sorted(sp.sstr(c) for c in b.source)) for b in inv.branches}
    assert signs == {("x >= 0", "y >= 0"), ("x < 0", "y >= 0"), ("x >= 0", "y < 0"),
                     ("x < 0", "y < 0")}


def test_sum_and_product_have_two_branches_split_by_order():
    # x and y are the roots of z**2 - u z + v: real when the discriminant u**2 - 4 v >= 0
    inv = inversion(Transform.from_equations("u = x + y, v = x*y"))
    assert len(inv.branches) == 2
    sources = sorted(sp.sstr(c) for b in inv.branches for c in b.source)
    assert sources == ["x < y", "x >= y"]
    for b in inv.transforms:
        assert holds(b, {"u": 3.0, "v": 2.0}) and not holds(b, {"u": 1.0, "v": 2.0})
        assert same(b.exprs[0] + b.exprs[1], b.inputs[0])  # x + y = u on both branches
        assert same(b.exprs[0] * b.exprs[1], b.inputs[1])  # x y = v


def test_certificate_reports_numeric_evidence():
    inv = inversion(Transform.from_equations("u = x**2/y, v = y**2/x", domain="x > 0, y > 0"),
                    seed=3)
    c = inv.branches[0].certificate
    assert c.passed and c.symbolic and c.points == 30 and c.seed == 3
    assert c.worst_error < 1e-12 and c.determinant_error < 1e-12
    assert "worst relative error" in str(c)


def test_steps_and_latex():
    inv = inversion(Transform.from_equations("u = x**2"))
    assert len(inv.steps) >= 2
    latex = sj.to_latex(inv) if hasattr(sj, "to_latex") else inv._latex_body()
    assert r"\sqrt{u}" in latex


# ---------------------------------------------------------------------- what is known without a formula


def test_inverse_determinant_without_solving():
    T = Transform.from_equations("u = x*y, v = y/x**2")
    assert same(inverse_determinant(T), sp.Rational(1, 3) / T.outputs[1])


# ---------------------------------------------------------------------- errors


def test_singular_map_is_rejected_with_the_reason():
    with pytest.raises(SingularTransformError, match="identically 0"):
        invert(Transform.from_equations("u = x + y, v = 2*x + 2*y"))


def test_more_unknowns_than_equations():
    with pytest.raises(DimensionError, match="2 unknowns .* but 1 equation"):
        invert(Transform.from_equations("u = x + y"))


def test_unsolvable_transcendental_system_is_a_clear_error():
    T = Transform.from_equations("u = x + sin(y), v = y + sin(x)")
    with pytest.raises(InversionError, match="no closed-form inverse") as info:
        invert(T, timeout=6)
    assert "SymPy solve" in info.value.tried
    assert "1/(-cos(x)*cos(y) + 1)" in str(info.value)


def test_unsolvable_one_variable_map():
    with pytest.raises(InversionError, match="tried: .*one variable"):
        invert(Transform.from_equations("u = x + sin(x)"), timeout=10)


def test_timeout_is_a_clear_error():
    # a map used by no other test, so no cached result makes it quick
    T = Transform.from_equations("u = x + x**5*y + sin(y), v = y + sin(x)*cos(y)")
    # either the whole inversion is stopped, or the solver is and the error says so
    with pytest.raises((SymjacTimeoutError, InversionError), match="took longer|time limit"):
        invert(T, timeout=0.05)


def test_not_a_transform():
    with pytest.raises(sj.errors.SymjacTypeError, match="Transform.from_equations"):
        invert("u = x**2")  # type: ignore[arg-type]


@pytest.mark.parametrize("angles, formula, domain", [
    ("0 < t < pi/2", "atan2(y, x)", ["x > 0", "y > 0"]),
    ("pi/4 < t < pi/2", "atan2(y, x)", ["x < y", "x > 0"]),
    ("0 < t < pi", "atan2(y, x)", ["y > 0"]),
    ("pi/2 < t < 3*pi/2", "pi - atan2(y, -x)", ["x < 0"]),
    ("pi < t < 2*pi", "pi - atan2(y, -x)", ["y < 0"]),
    ("0 <= t < pi/2", "atan2(y, x)", ["x > 0", "y >= 0"]),
])
def test_polar_on_a_sector_has_the_sector_as_its_domain(angles, formula, domain):
    # a sector at most a half-turn wide is an intersection of two half-planes through 0
    T = Transform.from_equations("x = r*cos(t), y = r*sin(t)", domain="r > 0, " + angles)
    (b,) = invert(T)
    assert_formulas(b, {"r": "sqrt(x**2 + y**2)", "t": formula})
    assert [sp.sstr(c) for c in b.domain] == domain
    assert not any(c.has(sp.atan2) for c in b.domain)


@pytest.mark.parametrize("equations, domain, expected_domain", [
    # the image of the open quadrant under z -> z**2 is the upper half-plane
    ("u = x**2 - y**2, v = 2*x*y", "x > 0, y > 0", ["v > 0"]),
    ("u = x*y, v = x**2 - y**2", "x > 0, y > 0", ["u > 0"]),
    # the unit square under (x + y, x - y): a square turned by 45 degrees
    ("u = x + y, v = x - y", "0 < x < 1, 0 < y < 1", ["u + v > 0", "u + v < 2", "u > v", "u - v < 2"]),
])
def test_branch_domains_are_stated_plainly(equations, domain, expected_domain):
    (b,) = invert(Transform.from_equations(equations, domain=domain))
    assert [sp.sstr(c) for c in b.domain] == expected_domain


def test_relations_both_ways_are_solved_for_the_new_variables_then_inverted():
    # "u = x + y, y = u*v": the total u and the share v = y/(x + y), then back
    T = Transform.from_equations("u = x + y, y = u*v", inputs="x y", domain="x > 0, y > 0")
    assert [o.name for o in T.outputs] == ["u", "v"]
    assert same(T.exprs[1], expected(T, "y/(x + y)"))
    (b,) = invert(T)
    assert_formulas(b, {"x": "u*(1 - v)", "y": "u*v"})
    assert [sp.sstr(c) for c in b.domain] == ["u > 0", "v > 0", "v < 1"]


def test_relations_without_inputs_ask_for_them():
    with pytest.raises(DimensionError, match="'u' and 'y' appear on a left side.*inputs='x y'"):
        Transform.from_equations("u = x + y, y = u*v")


def test_principal_root_map_is_inverted_where_it_is_real():
    # x**(1/3) is SymPy's principal root, real only for x >= 0: the inverse is u**3 for u >= 0
    (b,) = invert(Transform.from_equations("u = x**(1/3)"))
    assert_formulas(b, {"x": "u**3"})
    assert [sp.sstr(c) for c in b.domain] == ["u >= 0"]
    (b,) = invert(Transform.from_equations("u = sqrt(x)"))
    assert_formulas(b, {"x": "u**2"})


@pytest.mark.parametrize("restriction, domain", [
    ("phi < pi/2", ["x > 0", "y > 0"]),  # a quarter of the azimuth
    ("theta < pi/2", ["(x < 0) | Ne(y, 0)", "z > 0"]),  # the upper half-space
    ("theta < pi/4", ["(x < 0) | Ne(y, 0)", "z > sqrt(x**2 + y**2)"]),  # a cone about the z-axis
])
def test_restricted_spherical_states_its_region_plainly(restriction, domain):
    T = system("spherical").restrict(restriction)
    inv = inversion(T)
    (b,) = inv.branches
    assert [sp.sstr(c) for c in b.transform.domain] == domain
    assert b.certificate.passed and inv.strategy.startswith("named")


def test_two_cubes_are_one_branch_of_real_cube_roots():
    # each of x, y is the real cube root of u, v: one inverse on the whole plane,
    # made of the four sign combinations
    inv = inversion(Transform.from_equations("u = x**3, v = y**3"))
    (b,) = inv.branches
    assert b.transform.domain == () and b.certificate.passed and len(b.pieces) == 4
    assert real_values(b.transform, {"u": -8, "v": 27}) == pytest.approx([-2.0, 3.0])
    assert real_values(b.transform, {"u": 1, "v": -1}) == pytest.approx([1.0, -1.0])
    x_case = b.transform.exprs[0]
    assert isinstance(x_case, sp.Piecewise) and x_case.free_symbols == {b.transform.inputs[0]}


def test_branch_steps_give_the_formulas_as_objects_for_latex():
    from symjac.latex import to_latex

    # u = x²/y, v = y²/x on x, y > 0 inverts to x = u^(2/3) v^(1/3), y = u^(1/3) v^(2/3), det 1/3
    t = Transform.from_equations("u = x**2/y, v = y**2/x", domain="x > 0, y > 0")
    step = inversion(t).steps[-1]
    assert step.text.startswith("The inverse, on u > 0, v > 0 (the round trip is proved symbolically")
    assert [str(label) for label, _ in step.objects] == ["x", "y", "∂(x, y)/∂(u, v)"]
    latex = to_latex(inversion(t), steps=True)
    assert "x &= u^{\\frac{2}{3}} \\sqrt[3]{v} \\\\" in latex
    assert "on $u > 0,\\ v > 0$" in latex and "**" not in latex
    assert "\\frac{\\partial(x, y)}{\\partial(u, v)} &= \\frac{1}{3}" in latex


def test_x_exp_x_has_both_real_lambert_w_branches():
    # x*exp(x) decreases on x < -1 and increases on x > -1; its minimum is -1/e at x = -1.
    # Known values: W_0(-0.2) = -0.2591711018, W_{-1}(-0.2) = -2.5426413577
    upper, lower = invert(Transform.from_equations("u = x*exp(x)"))
    assert real_values(upper, {"u": -0.2}) == pytest.approx([-0.2591711018])
    assert real_values(lower, {"u": -0.2}) == pytest.approx([-2.5426413577])
    assert holds(lower, {"u": -0.2}) and not holds(lower, {"u": 0.5}) and holds(upper, {"u": 0.5})


@pytest.mark.parametrize("equation, point, value", [
    ("u = x**3 + 3*x", {"u": 4}, 1.0),  # increasing: one branch, every real u, no condition
    ("u = x**3 + 3*x", {"u": -14}, -2.0),
])
def test_a_condition_that_always_holds_is_not_stated(equation, point, value):
    (b,) = invert(Transform.from_equations(equation))
    assert b.domain == ()
    assert real_values(b, point) == pytest.approx([value])


def test_cosh_branches_state_only_u_above_one():
    right, left = invert(Transform.from_equations("u = cosh(x)"))
    assert [sp.sstr(c) for c in right.domain] == ["u >= 1"]
    assert [sp.sstr(c) for c in left.domain] == ["u > 1"]  # not also u > sqrt(u**2 - 1)


def test_absolute_values_are_split_by_sign():
    # u = x*|x| is x**2 for x >= 0 and -x**2 for x < 0: one-to-one, a "signed square"
    (b,) = invert(Transform.from_equations("u = x*Abs(x)"))
    assert b.domain == ()
    assert real_values(b, {"u": 9}) == pytest.approx([3.0])
    assert real_values(b, {"u": -4}) == pytest.approx([-2.0])
    # u = |x| folds the line: two branches, each with its side
    inv = inversion(Transform.from_equations("u = Abs(x)"))
    assert [b.source for b in inv.branches] == [(inv.transform.inputs[0] >= 0,),
                                                (inv.transform.inputs[0] < 0,)]
    assert all(b.certificate.passed for b in inv.branches)


def test_a_branch_by_cases_is_proved_when_each_case_is():
    (b,) = inversion(Transform.from_equations("u = x*Abs(x)")).branches
    assert all(p.certificate.symbolic for p in b.pieces)
    assert b.certificate.symbolic and b.certificate.passed


# ---------------------------------------------------------------------------- one branch layer


def test_sine_on_one_period_has_one_branch_per_monotone_piece():
    # sin is increasing on (0, pi/2), decreasing on (pi/2, 3pi/2), increasing on (3pi/2, 2pi)
    inv = inversion(Transform.from_equations("u = sin(x)", domain="0 < x < 2*pi"))
    assert [sp.sstr(b.transform.exprs[0]) for b in inv.branches] == \
        ["asin(u)", "pi - asin(u)", "asin(u) + 2*pi"]
    assert all(b.certificate.passed and b.certificate.strategy == "monotone pieces"
               for b in inv.branches)
    # x = 3.5 is on the middle piece: sin(3.5) = -0.350783..., and pi - asin(sin 3.5) = 3.5
    assert real_values(inv.branches[1].transform, {"u": np.sin(3.5)}) == pytest.approx([3.5])


def test_a_cubic_with_three_real_roots_is_inverted_with_real_forms():
    # u = x**3 - 3x: the roots of x**3 - 3x - 1 = 0 are 2 cos(pi/9), 2 cos(7pi/9), 2 cos(13pi/9)
    inv = inversion(Transform.from_equations("u = x**3 - 3*x"), timeout=60)
    values = sorted(v for b in inv.branches if holds(b.transform, {"u": 1})
                    for v in real_values(b.transform, {"u": 1}))
    assert values == pytest.approx(sorted(2 * np.cos(np.pi * k / 9) for k in (1, 7, 13)))
    assert not any(b.transform.exprs[0].has(sp.I) for b in inv.branches)
    assert {b.certificate.strategy for b in inv.branches} == {"cubic"}


def test_invert_and_transform_density_give_the_same_branches():
    t = Transform.from_equations("y = sin(x)", domain="0 < x < 2*pi")
    d = sj.transform_density("1/(2*pi)", t)
    inverted = [(sp.sstr(b.exprs[0]), tuple(map(sp.sstr, b.domain))) for b in invert(t, pieces=True)]
    assert [(sp.sstr(b.inverse[0][1]), tuple(map(sp.sstr, b.domain))) for b in d.branches] == inverted
    assert all(b.certificate.passed for b in d.branches)
    assert [b.certificate.strategy for b in d.branches] == ["monotone pieces"] * 3


def test_every_branch_of_a_density_carries_the_certificate_that_accepted_it():
    d = sj.transform_density("exp(-x**2/2)/sqrt(2*pi)", Transform.from_equations("y = x**2"))
    assert [b.certificate.strategy for b in d.branches] == ["one variable", "one variable"]
    assert all(b.certificate.passed and b.certificate.symbolic for b in d.branches)
    assert d.branches[0].certificate.to_dict()["strategy"] == "one variable"


def test_a_preferred_strategy_must_be_one_of_the_list():
    with pytest.raises(sj.SymjacError, match="unknown inversion strategy 'nope'; expected some of: named"):
        inversion(Transform.from_equations("u = 2*x"), prefer=("nope",))
    inv = inversion(Transform.from_equations("u = 2*x"), prefer=("one variable",))
    assert inv.strategy.startswith("one variable") and inv.branches[0].certificate.strategy == "one variable"
