"""Polar and spherical coordinates typed backwards, as textbooks type them: ``r = sqrt(x**2 + y**2
+ z**2), theta = acos(z/r), phi = atan2(y, x)``. Their inverse is the named chart, found in the
inverse layer for `invert` and for densities alike, and the Jacobian of a ``Mod`` angle is the
Jacobian of the angle."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from scipy import integrate

from symjac import (Transform, inversion, jacobian, parse_expression, system, transform_density,
                    verify_density)
from symjac.inverse.charts import coordinate_chart

T = Transform.from_equations
R3 = "sqrt(x**2 + y**2 + z**2)"
GAUSS3 = "exp(-(x**2 + y**2 + z**2)/2)/(2*pi)**(3/2)"

SPHERICAL_FORMS = [
    # (equations, names of radius, polar angle, azimuth, low end of the azimuth)
    (f"r = {R3}, theta = acos(z/{R3}), phi = atan2(y, x)", ("r", "theta", "phi"), -sp.pi),
    (f"rho = {R3}, phi = acos(z/{R3}), theta = Mod(atan2(y, x), 2*pi)", ("rho", "phi", "theta"), 0),
    (f"rho = {R3}, phi = atan2(sqrt(x**2 + y**2), z), theta = atan2(y, x)", ("rho", "phi", "theta"),
     -sp.pi),
    (f"phi = atan2(y, x), r = {R3}, theta = acos(z/{R3})", ("r", "theta", "phi"), -sp.pi),
]


def _forward(eqs: str) -> Transform:
    return T(eqs, inputs="x y z")


def _round_trip(t: Transform, branch: Transform, n: int = 200) -> float:
    """Worst |t(branch(q)) - q| at random points of the branch's domain (an independent check)."""
    rng = np.random.default_rng(1)
    f = sp.lambdify(branch.inputs, branch.exprs, "numpy")
    g = sp.lambdify(t.inputs, t.exprs, "numpy")
    worst = 0.0
    for _ in range(n):
        q: dict[str, float] = {}
        for s in branch.inputs:
            lo_hi = [c for c in branch.domain if s in c.free_symbols]
            lo = max([float(c.rhs) for c in lo_hi if c.lhs == s and c.rel_op in (">", ">=")], default=0.1)
            hi = min([float(c.rhs) for c in lo_hi if c.lhs == s and c.rel_op in ("<", "<=")], default=5.0)
            q[s.name] = rng.uniform(lo + 1e-3, hi - 1e-3)
        x = f(*[q[s.name] for s in branch.inputs])
        back = g(*x)
        worst = max(worst, max(abs(b - q[s.name]) for b, s in zip(back, t.outputs)))
    return worst


@pytest.mark.parametrize("eqs, names, low", SPHERICAL_FORMS)
def test_spherical_coordinates_typed_backwards_are_inverted_by_the_spherical_chart(eqs, names, low):
    t = _forward(eqs)
    (branch,) = inversion(t).branches
    inv = branch.transform
    r, pol, az = (next(s for s in inv.inputs if s.name == n) for n in names)
    assert {o.name: e for o, e in zip(inv.outputs, inv.exprs)} == {
        "x": r * sp.sin(pol) * sp.cos(az), "y": r * sp.sin(pol) * sp.sin(az), "z": r * sp.cos(pol)}
    ends = [f"{az} > -pi", f"{az} <= pi"] if low != 0 else [f"{az} >= 0", f"{az} < 2*pi"]
    assert {str(c) for c in inv.domain} == {f"{r} > 0", f"{pol} > 0", f"{pol} < pi", *ends}
    assert sp.simplify(branch.determinant - r**2 * sp.sin(pol)) == 0
    assert branch.certificate.passed
    assert _round_trip(t, inv) < 1e-12


def test_the_inverse_of_spherical_typed_backwards_is_the_named_system():
    (branch,) = inversion(_forward(SPHERICAL_FORMS[0][0])).branches
    named = system("spherical")
    rename = dict(zip(named.inputs, branch.transform.inputs))
    assert tuple(e.xreplace(rename) for e in named.exprs) == branch.transform.exprs


@pytest.mark.parametrize("eqs, low", [
    ("r = sqrt(x**2 + y**2), theta = atan2(y, x)", -sp.pi),
    ("theta = Mod(atan2(y, x), 2*pi), r = sqrt(x**2 + y**2)", 0),
])
def test_polar_coordinates_typed_backwards_with_either_angle_range(eqs, low):
    t = T(eqs, inputs="x y")
    (branch,) = inversion(t).branches
    r, theta = sorted(branch.transform.inputs, key=lambda s: s.name != "r")
    assert branch.transform.exprs == (r * sp.cos(theta), r * sp.sin(theta))
    assert sp.Abs(branch.determinant) == r
    assert _round_trip(t, branch.transform) < 1e-12


def test_latex_and_sympy_objects_give_the_same_chart():
    latex = (r"r = \sqrt{x^2+y^2+z^2}, \theta = \arccos\left(\frac{z}{\sqrt{x^2+y^2+z^2}}\right), "
             r"\phi = \operatorname{atan2}(y, x)")
    x, y, z, r, th, ph = sp.symbols("x y z r theta phi")
    objects = Transform((x, y, z), (sp.sqrt(x**2 + y**2 + z**2),
                                    sp.acos(z / sp.sqrt(x**2 + y**2 + z**2)), sp.atan2(y, x)),
                        (r, th, ph))
    text = _forward(SPHERICAL_FORMS[0][0])
    charts = [coordinate_chart(u) for u in (T(latex, inputs="x y z"), objects, text)]
    assert charts[0] is not None and str(charts[0]) == str(charts[1]) == str(charts[2]) == (
        "x = r*sin(theta)*cos(phi), y = r*sin(phi)*sin(theta), z = r*cos(theta)  on  r > 0, "
        "theta > 0, theta < pi, phi > -pi, phi < pi")


def test_a_support_on_the_old_variables_is_not_claimed_by_the_chart():
    t = _forward(SPHERICAL_FORMS[0][0])
    assert coordinate_chart(t, (t.inputs[0] > 0,)) is None
    assert coordinate_chart(T("u = x + y, v = x - y, w = z", inputs="x y z")) is None


def test_the_jacobian_of_a_mod_angle_is_the_jacobian_of_the_angle():
    x, y = sp.symbols("x y")
    plain = jacobian(T("r = sqrt(x**2 + y**2), theta = atan2(y, x)", inputs="x y"))
    wrapped = jacobian(T("r = sqrt(x**2 + y**2), theta = Mod(atan2(y, x), 2*pi)", inputs="x y"))
    assert wrapped == plain
    assert not wrapped.has(sp.Subs, sp.Derivative)


def test_a_standard_normal_triple_in_spherical_coordinates():
    """Three independent N(0, 1): (R, Θ, Φ) has density r² e^(−r²/2) sin θ / (2π)^(3/2) on
    r > 0, 0 < θ < π, −π < φ < π: the density times the volume element r² sin θ; R is Maxwell
    and Θ has density sin(θ)/2. The answer is checked here on its own (it integrates to one) and
    symjac's against a Monte Carlo sample of the original variables."""
    t = _forward(SPHERICAL_FORMS[0][0])
    d = transform_density(GAUSS3, t)
    r, th, ph = d.variables
    want = r**2 * sp.exp(-r**2 / 2) * sp.sin(th) / (2 * sp.pi) ** sp.Rational(3, 2)
    assert sp.simplify(d.value - want) == 0
    assert {str(c) for c in d.support} == {"r > 0", "theta > 0", "theta < pi", "phi > -pi",
                                           "phi < pi"}
    # the published answer integrates to one, numerically and independently of symjac
    f = sp.lambdify((r, th, ph), want, "math")
    total, _ = integrate.tplquad(lambda rr, tt, pp: f(rr, tt, pp), -np.pi, np.pi, 0, np.pi, 0, 40)
    assert total == pytest.approx(1, abs=1e-8)
    assert verify_density(d, n=2000, seed=0).verdict == "passed"
    radius = transform_density(GAUSS3, t, marginalize=["theta", "phi"])
    assert radius.family.name == "Maxwell"
    polar = transform_density(GAUSS3, t, marginalize=["r", "phi"])
    assert sp.simplify(polar.value - sp.sin(polar.variables[0]) / 2) == 0


def test_the_squared_distance_of_a_normal_triple_is_chi_squared_with_three_degrees():
    t = _forward(f"d = x**2 + y**2 + z**2, theta = acos(z/{R3}), phi = Mod(atan2(y, x), 2*pi)")
    d = transform_density(GAUSS3, t, marginalize=["theta", "phi"])
    (v,) = d.variables
    want = sp.sqrt(v) * sp.exp(-v / 2) / (sp.sqrt(2) * sp.gamma(sp.Rational(3, 2)) * 2)
    assert sp.simplify(d.value - want) == 0  # the chi-squared(3) density, v^(1/2) e^(-v/2)/(2^(3/2) Γ(3/2))
    assert [str(c) for c in d.support] == ["d > 0"]


def test_latex_min_max_and_atan2_are_read():
    assert str(parse_expression(r"\min\left(X_1, X_2\right)")) == "Min(X_1, X_2)"
    assert str(parse_expression(r"\max(x, y)")) == "Max(x, y)"
    assert str(parse_expression(r"\mathrm{Mod}(\operatorname{atan2}(y, x), 2\pi)")) == \
        "Mod(atan2(y, x), 2*pi)"
