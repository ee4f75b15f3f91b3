"""Laws every transform obeys, on random maps (hypothesis) and on the named systems."""

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings

import symjac as sj
from symjac import Transform, compose
from symjac.domains.signs import sample_points

from strategies import invertible_affine, polynomial_maps


def _is_zero(e):
    return sp.cancel(sp.expand(e)) == 0


# ---------------------------------------------------------------------- chain rule


@settings(deadline=None)
@given(invertible_affine(inputs=("u", "v"), outputs=("x", "y")),
       invertible_affine(inputs=("s", "t"), outputs=("u", "v")))
def test_chain_rule_on_affine_maps(f_and_matrix, g_and_matrix):
    (f, A), (g, B) = f_and_matrix, g_and_matrix
    fg = compose(f, g)
    assert sj.jacobian_determinant(fg) == A.det() * B.det()


@settings(deadline=None)
@given(polynomial_maps(inputs=("u", "v"), outputs=("x", "y")),
       polynomial_maps(inputs=("s", "t"), outputs=("u", "v")))
def test_chain_rule_on_polynomial_maps(f, g):
    at_g = {s: e for s, e in zip(f.inputs, g.exprs)}
    expected = sj.jacobian_determinant(f).xreplace(at_g) * sj.jacobian_determinant(g)
    assert _is_zero(sj.jacobian_determinant(compose(f, g)) - expected)


@settings(deadline=None, max_examples=10)
@given(polynomial_maps(inputs=("p", "q", "w"), outputs=("x", "y", "z")),
       invertible_affine(inputs=("a", "b", "c"), outputs=("p", "q", "w")))
def test_chain_rule_in_three_dimensions(f, g_and_matrix):
    g, B = g_and_matrix
    at_g = {s: e for s, e in zip(f.inputs, g.exprs)}
    expected = sj.jacobian_determinant(f).xreplace(at_g) * B.det()
    assert _is_zero(sj.jacobian_determinant(compose(f, g)) - expected)


# ---------------------------------------------------------------------- affine maps


@settings(deadline=None)
@given(invertible_affine(inputs=("a", "b", "c"), outputs=("u", "v", "w")))
def test_affine_determinant_is_the_matrix_determinant(f_and_matrix):
    f, A = f_and_matrix
    assert sj.jacobian_determinant(f) == A.det()
    assert sj.volume_element(f) == abs(A.det())
    assert sj.jacobian_analysis(f).singular_set == ()


# ---------------------------------------------------------------------- volume element vs numbers


def _fd_jacobian(f, point, h=1e-6):
    point = np.asarray(point, dtype=float)
    cols = []
    for j in range(len(point)):
        step = np.zeros_like(point)
        step[j] = h * max(1.0, abs(point[j]))
        cols.append((np.asarray(f(*(point + step)), dtype=float)
                     - np.asarray(f(*(point - step)), dtype=float)) / (2 * step[j]))
    return np.column_stack(cols)


@pytest.mark.parametrize("name, options", [
    ("polar", {}), ("cylindrical", {}), ("spherical", {}), ("spherical", {"convention": "math"}),
    ("elliptic", {}), ("parabolic", {}), ("parabolic3d", {}), ("prolate_spheroidal", {}),
    ("oblate_spheroidal", {}), ("bipolar", {}), ("toroidal", {}), ("hyperspherical", {"n": 5}),
])
def test_volume_element_agrees_with_finite_differences(name, options):
    t = sj.system(name, **options)
    symbols = t.inputs + t.parameters
    params = len(t.parameters)
    points = sample_points(symbols, t.domain, 8, rng=np.random.default_rng(11))
    f = sp.lambdify(symbols, t.exprs, modules="numpy")
    vol = sp.lambdify(symbols, sj.volume_element(t), modules="numpy")
    for p in points:
        fixed = p[len(t.inputs):]
        g = (lambda *q: f(*q, *fixed)) if params else f
        J = _fd_jacobian(g, p[:len(t.inputs)])
        assert abs(np.linalg.det(J)) == pytest.approx(float(vol(*p)), rel=1e-6, abs=1e-9)


@settings(deadline=None)
@given(polynomial_maps(inputs=("a", "b", "c"), outputs=("u", "v", "w")))
def test_random_polynomial_volume_element_agrees_with_finite_differences(t):
    f = sp.lambdify(t.inputs, t.exprs, modules="numpy")
    vol = sp.lambdify(t.inputs, sj.volume_element(t), modules="numpy")
    for p in np.random.default_rng(5).uniform(-2, 2, (4, 3)):
        J = _fd_jacobian(f, p)
        assert abs(np.linalg.det(J)) == pytest.approx(float(vol(*p)), rel=1e-5, abs=1e-6)


# ---------------------------------------------------------------------- named systems and their inverses

_INVERSES = {
    # the standard inverse formulas (valid on the parts of the domain sampled below); the
    # new names end in 2 because a Transform's inputs and outputs must have distinct names
    "polar": "r2 = sqrt(x**2 + y**2), theta2 = atan2(y, x)",
    "cylindrical": "r2 = sqrt(x**2 + y**2), theta2 = atan2(y, x), z2 = z_",
    "spherical": "r2 = sqrt(x**2 + y**2 + z**2), theta2 = acos(z/sqrt(x**2 + y**2 + z**2)), "
                 "phi2 = atan2(y, x)",
    "parabolic": "sigma2 = x/sqrt(y + sqrt(x**2 + y**2)), tau2 = sqrt(y + sqrt(x**2 + y**2))",
}


@pytest.mark.parametrize("name", sorted(_INVERSES))
def test_system_composed_with_its_inverse_has_determinant_one(name):
    t = sj.system(name)
    inverse = Transform.from_equations(_INVERSES[name], inputs=", ".join(s.name for s in t.outputs))
    both = compose(inverse, t)  # curvilinear -> Cartesian -> curvilinear
    det_both = sp.lambdify(t.inputs, sj.jacobian(both).det(), modules="numpy")
    # det J_inv(T(q)) * det J_T(q) = 1, with each factor computed by symjac
    det_inv = sp.lambdify(inverse.inputs, sj.jacobian_determinant(inverse), modules="numpy")
    det_t = sp.lambdify(t.inputs, sj.jacobian_determinant(t), modules="numpy")
    f = sp.lambdify(t.inputs, t.exprs, modules="numpy")
    # sample where atan2 needs no branch shift: the first half-turn of the azimuth
    domain = t.domain + tuple(s < sp.pi for s in t.inputs if s.name in ("theta", "phi"))
    for q in sample_points(t.inputs, domain, 10, rng=np.random.default_rng(2)):
        assert det_both(*q) == pytest.approx(1.0, rel=1e-9)
        assert det_inv(*f(*q)) * det_t(*q) == pytest.approx(1.0, rel=1e-9)


def test_inverse_then_system_is_the_identity_numerically():
    t = sj.system("polar")
    inverse = Transform.from_equations("r = sqrt(X**2 + Y**2), theta = atan2(Y, X)",
                                       inputs="X Y", domain="Y > 0")
    back = compose(t, inverse)  # Cartesian (X, Y) -> polar -> Cartesian (x, y)
    f = sp.lambdify(back.inputs, back.exprs, modules="numpy")
    for p in sample_points(back.inputs, back.domain, 10, rng=np.random.default_rng(4)):
        assert np.allclose(f(*p), p)
