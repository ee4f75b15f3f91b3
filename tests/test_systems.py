"""Every named coordinate system against its volume element in the literature.

Sources: the scale factors h_i of orthogonal systems in P. Moon and D. E. Spencer,
*Field Theory Handbook* (Springer, 1961), tables 1.01-1.10 and 1.03-1.12, and the
Wikipedia articles of each system ("Polar coordinate system", "Spherical coordinate
system", "Elliptic coordinate system", "Parabolic coordinates", "Prolate spheroidal
coordinates", "Oblate spheroidal coordinates", "Bipolar coordinates", "Toroidal
coordinates", "n-sphere" (spherical coordinates)); the volume element is h_1 h_2 ... h_n.
Spherical in the mathematics convention: J. Stewart, *Calculus*, section 15.8
(dV = rho^2 sin(phi) d rho d theta d phi).
"""

import pytest
import sympy as sp

import symjac as sj
from symjac import DimensionError, Sign, UnknownSystemError
from symjac.systems import available_systems


def _inputs(t):
    return {s.name: s for s in t.inputs + t.parameters}


def _literature(name):
    """The volume element from the sources above, in the system's own symbols."""
    t = sj.system(name)
    s = _inputs(t)
    sin, cos, sinh, cosh = sp.sin, sp.cos, sp.sinh, sp.cosh
    if name in ("polar", "cylindrical"):
        return s["r"]
    if name == "spherical":
        return s["r"] ** 2 * sin(s["theta"])
    if name in ("elliptic", "elliptic_cylindrical"):
        return s["a"] ** 2 * (sinh(s["mu"]) ** 2 + sin(s["nu"]) ** 2)
    if name in ("parabolic", "parabolic_cylindrical"):
        return s["sigma"] ** 2 + s["tau"] ** 2
    if name == "parabolic3d":
        return s["sigma"] * s["tau"] * (s["sigma"] ** 2 + s["tau"] ** 2)
    if name == "prolate_spheroidal":
        mu, nu = s["mu"], s["nu"]
        return s["a"] ** 3 * sinh(mu) * sin(nu) * (sinh(mu) ** 2 + sin(nu) ** 2)
    if name == "oblate_spheroidal":
        mu, nu = s["mu"], s["nu"]
        return s["a"] ** 3 * cosh(mu) * cos(nu) * (sinh(mu) ** 2 + sin(nu) ** 2)
    if name == "bipolar":
        return s["a"] ** 2 / (cosh(s["tau"]) - cos(s["sigma"])) ** 2
    if name == "toroidal":
        return s["a"] ** 3 * sinh(s["tau"]) / (cosh(s["tau"]) - cos(s["sigma"])) ** 3
    if name == "cartesian":
        return sp.Integer(1)
    if name == "hyperspherical":  # default n = 4
        return s["r"] ** 3 * sin(s["phi1"]) ** 2 * sin(s["phi2"])
    raise AssertionError(f"no literature form for {name}")


NAMES = [info.name for info in available_systems()]


def test_every_system_has_a_test():
    for name in NAMES:
        _literature(name)  # raises for a system without a literature form


@pytest.mark.parametrize("name", NAMES)
def test_volume_element_equals_the_literature(name):
    t = sj.system(name)
    vol = sj.volume_element(t)
    expected = _literature(name)
    assert sp.simplify(vol - expected) == 0
    assert not vol.has(sp.Abs), "the standard domain proves the sign"
    # as simple as the textbook form (a few operations of slack for a flipped sign inside)
    assert sp.count_ops(vol) <= sp.count_ops(expected) + 2


@pytest.mark.parametrize("name", NAMES)
def test_volume_element_matches_numbers(name):
    """|det J| from numbers (mpmath) at a domain point equals the literature form there."""
    import mpmath
    import numpy as np

    from symjac.domains.signs import sample_points

    t = sj.system(name)
    symbols = t.inputs + t.parameters
    (point,) = sample_points(symbols, t.domain, 1, rng=np.random.default_rng(3))
    at = dict(zip(symbols, (sp.Float(p, 30) for p in point)))
    J = sj.jacobian(t).xreplace(at).evalf(30)
    with mpmath.workdps(30):
        det = abs(mpmath.det(mpmath.matrix(J.tolist())))
        expected = mpmath.mpf(str(_literature(name).xreplace(at).evalf(30)))
        assert abs(det - expected) < mpmath.mpf(10) ** -20 * max(1, det)


def test_polar_and_spherical_exact_forms():
    P = sj.system("polar")
    assert sj.volume_element(P) == P.inputs[0]
    S = sj.system("spherical")
    r, theta, _ = S.inputs
    assert sj.volume_element(S) == r**2 * sp.sin(theta)
    assert sj.jacobian_determinant(S) == r**2 * sp.sin(theta)


def test_spherical_conventions():
    phys = sj.system("spherical", convention="physics")
    r, theta, phi = phys.inputs
    assert phys.exprs[2] == r * sp.cos(theta)  # theta is the polar angle
    math = sj.system("spherical", convention="math")
    rho, theta_m, phi_m = math.inputs
    assert math.exprs[2] == rho * sp.cos(phi_m)  # phi is the polar angle
    assert sj.volume_element(math) == rho**2 * sp.sin(phi_m)
    # in the input order (rho, theta, phi) the orientation is reversed
    assert sj.jacobian_determinant(math) == -rho**2 * sp.sin(phi_m)
    assert sj.jacobian_analysis(math).sign in (Sign.NEGATIVE, Sign.NONPOSITIVE)
    assert [str(c) for c in math.domain] == ["rho > 0", "0 < theta", "theta < 2*pi",
                                             "0 < phi", "phi < pi"]


@pytest.mark.parametrize("n", range(2, 9))
def test_hyperspherical_volume_element(n):
    """r**(n-1) * prod_k sin(phi_k)**(n-1-k)  (Wikipedia, "n-sphere", spherical coordinates)."""
    t = sj.system("hyperspherical", n=n)
    r, phis = t.inputs[0], t.inputs[1:]
    expected = r ** (n - 1) * sp.Mul(*[sp.sin(p) ** (n - 1 - k) for k, p in enumerate(phis, 1)])
    assert sj.volume_element(t) == expected
    assert len(t.exprs) == n and len(phis) == n - 1


def test_hyperspherical_n2_is_polar_and_n3_is_spherical():
    t2 = sj.system("hyperspherical", n=2)
    r, phi = t2.inputs
    assert t2.exprs == (r * sp.cos(phi), r * sp.sin(phi))
    t3 = sj.system("hyperspherical", n=3)
    r, p1, p2 = t3.inputs
    assert sj.volume_element(t3) == r**2 * sp.sin(p1)


def test_cartesian_dimension():
    t = sj.system("cartesian", n=5)
    assert t.dims == (5, 5) and sj.volume_element(t) == 1


def test_named_systems_carry_positivity_assumptions():
    r, theta = sj.system("polar").inputs
    assert r.is_positive and theta.is_positive


def test_parameters_are_declared():
    assert [s.name for s in sj.system("toroidal").parameters] == ["a"]


def test_unknown_system_lists_names_and_suggests():
    with pytest.raises(UnknownSystemError, match="Did you mean 'spherical'") as info:
        sj.system("sphercal")
    message = str(info.value)
    for name in NAMES:
        assert name in message
    assert isinstance(info.value, KeyError)


def test_unknown_system_without_a_near_name():
    with pytest.raises(UnknownSystemError, match="expected one of: bipolar") as info:
        sj.system("zzzzzz")
    assert "Did you mean" not in str(info.value)


def test_names_are_forgiving_about_case_and_dashes():
    assert sj.system("Elliptic-Cylindrical") == sj.system("elliptic_cylindrical")


@pytest.mark.parametrize("call, error, message", [
    (lambda: sj.system("hyperspherical", n=1), DimensionError, "n ≥ 2"),
    (lambda: sj.system("hyperspherical", n="3"), DimensionError, "whole number"),
    (lambda: sj.system("hyperspherical", n=True), DimensionError, "whole number"),
    (lambda: sj.system("hyperspherical", n=100), DimensionError, "n ≤ 64"),
    (lambda: sj.system("polar", n=3), DimensionError, "polar coordinates take no options"),
    (lambda: sj.system("spherical", conventon="math"), DimensionError, "unknown option"),
    (lambda: sj.system("spherical", convention="geo"), UnknownSystemError, "'physics'.*'math'"),
    (lambda: sj.system(3), UnknownSystemError, "must be text"),
])
def test_bad_options(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_available_systems_describe_themselves():
    infos = {i.name: i for i in available_systems()}
    assert "convention='physics'" in infos["spherical"].options
    assert "n=4" in infos["hyperspherical"].options
    assert all(i.description for i in infos.values())


@pytest.mark.parametrize("name, suggestion", [
    ("hyper", "Did you mean 'hyperspherical'?"),  # the start of a name
    ("cart", "Did you mean 'cartesian'?"),
    ("cylinder", "Did you mean 'cylindrical'?"),  # another word for the same system
    ("torus", "Did you mean 'toroidal'?"),
    ("prolate", "Did you mean 'prolate_spheroidal'?"),
    ("spherical_math", "Did you mean 'spherical' with convention='math'?"),
])
def test_unknown_name_suggests_the_system_meant(name, suggestion):
    with pytest.raises(UnknownSystemError) as info:
        sj.system(name)
    assert str(info.value).endswith(suggestion)
