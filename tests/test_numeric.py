"""Compiled evaluation and Jacobian checks, against SymPy's exact values."""

import math

import mpmath
import numpy as np
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from symjac import (
    CheckReport,
    Transform,
    check_jacobian,
    jacobian,
    jacobian_determinant,
    lambdify_transform,
    system,
    volume_element,
)
from symjac.numeric.codegen import generate
from symjac.errors import DimensionError, SymjacError

SYSTEMS = [("polar", {}), ("spherical", {}), ("cylindrical", {}), ("elliptic", {}),
           ("hyperspherical", {"n": 6}), ("toroidal", {})]


def _exact(t, expr, point):
    """SymPy's value of expr at a point, to 30 digits: the independent oracle."""
    args = t.inputs + t.parameters
    return complex(sp.N(expr.xreplace(dict(zip(args, map(sp.Float, point)))), 30))


def _points(t, k, seed):
    from symjac.domains.signs import sample_points

    return sample_points(t.inputs + t.parameters, t.domain, k, rng=np.random.default_rng(seed))


@pytest.mark.parametrize("name,opts", SYSTEMS)
@pytest.mark.parametrize("fast", [True, False])
def test_compiled_quantities_agree_with_sympy(name, opts, fast):
    t = system(name, **opts)
    if t.parameters:
        t = t.substitute({p: 1.5 for p in t.parameters})
    pts = _points(t, 5, seed=1)
    J = jacobian(t)
    checks = {
        "exprs": (list(t.exprs), (len(t.outputs),)),
        "jacobian": (list(J), J.shape),
        "det": ([jacobian_determinant(t)], ()),
        "volume_element": ([volume_element(t)], ()),
        "log_abs_det": ([sp.log(sp.Abs(jacobian_determinant(t)))], ()),
    }
    for what, (exprs, shape) in checks.items():
        f = lambdify_transform(t, what, approximate_trig=fast)
        values = f(pts)
        assert values.shape == (len(pts),) + tuple(shape)
        flat = values.reshape(len(pts), -1)
        for i, p in enumerate(pts):
            expected = np.array([_exact(t, e, p).real for e in exprs])
            np.testing.assert_allclose(flat[i], expected, rtol=1e-12, atol=1e-13, err_msg=what)


@pytest.mark.parametrize("batch", [1, 7, 5000])
def test_shapes_for_batches_and_single_points(batch):
    t = system("spherical")
    pts = _points(t, batch, seed=2)
    assert lambdify_transform(t, "jacobian")(pts).shape == (batch, 3, 3)
    assert lambdify_transform(t, "det")(pts).shape == (batch,)
    assert lambdify_transform(t, "exprs")(pts).shape == (batch, 3)
    single = lambdify_transform(t, "jacobian")(pts[0])
    assert single.shape == (3, 3)
    assert np.asarray(lambdify_transform(t, "det")(pts[0])).shape == ()
    assert lambdify_transform(t, "det")(np.empty((0, 3))).shape == (0,)


def test_chunks_do_not_change_the_result():
    # more points than one chunk, compared with the plain closed form
    t = system("spherical")
    pts = _points(t, 70_000, seed=3)
    det = lambdify_transform(t, "det")(pts)
    np.testing.assert_allclose(det, pts[:, 0] ** 2 * np.sin(pts[:, 1]), rtol=1e-14)


def test_compiled_functions_are_cached_per_transform():
    t = system("polar")
    assert lambdify_transform(t, "det") is lambdify_transform(system("polar"), "det")
    assert lambdify_transform(t, "det", approximate_trig=True) is not lambdify_transform(t, "det")
    with pytest.warns(DeprecationWarning, match="approximate_trig"):
        assert lambdify_transform(t, "det", fast=True) is lambdify_transform(t, "det", approximate_trig=True)


def test_out_argument_is_filled_in_place():
    t = system("polar")
    pts = _points(t, 10, seed=4)
    out = np.empty((10, 2, 2))
    result = lambdify_transform(t, "jacobian")(pts, out=out)
    assert result is out and np.isfinite(out).all()
    with pytest.raises(DimensionError, match="out has shape"):
        lambdify_transform(t, "jacobian")(pts, out=np.empty((3, 2, 2)))


def test_complex_points_give_complex_step_derivatives():
    t = system("spherical")
    p = np.array([1.3, 0.7, 2.1])
    h = 1e-30
    f = lambdify_transform(t, "exprs")
    J = np.array([_exact(t, e, p).real for e in jacobian(t)]).reshape(3, 3)
    for j in range(3):
        z = p.astype(complex)
        z[j] += 1j * h
        np.testing.assert_allclose(f(z).imag / h, J[:, j], rtol=1e-14, atol=1e-15)


def test_log_abs_det_does_not_overflow():
    t = system("hyperspherical", n=6)
    p = np.array([[1e80, 1.0, 1.0, 1.0, 1.0, 1.0]])
    logdet = lambdify_transform(t, "log_abs_det")(p)[0]
    expected = 5 * math.log(1e80) + (4 + 3 + 2 + 1) * math.log(math.sin(1.0))
    assert logdet == pytest.approx(expected, rel=1e-14)
    assert np.isinf(lambdify_transform(t, "det")(p)[0])


def test_parameters_are_passed_by_name():
    t = Transform.from_equations("x = a*r*cos(t), y = r*sin(t)", inputs="r t")
    f = lambdify_transform(t, "det")
    assert f([2.0, 0.3], parameters={"a": 3.0}) == pytest.approx(6.0)
    assert f([2.0, 0.3], parameters=[3.0]) == pytest.approx(6.0)
    with pytest.raises(DimensionError, match="parameters"):
        f([2.0, 0.3])


def test_unsupported_functions_fall_back_to_lambdify():
    t = Transform.from_equations("y = Piecewise((x**2, x > 0), (-x, True))", inputs="x")
    f = lambdify_transform(t, "jacobian")
    np.testing.assert_allclose(f(np.array([[2.0], [-1.0]])), [[[4.0]], [[-1.0]]])


def test_scipy_backend_has_special_functions():
    t = Transform.from_equations("y = erf(x)", inputs="x")
    assert generate(list(t.exprs), t.inputs) is None  # plain NumPy has no erf
    f = lambdify_transform(t, "jacobian", backend="scipy")
    assert f([0.5])[0, 0] == pytest.approx(2 / math.sqrt(math.pi) * math.exp(-0.25), rel=1e-14)


def test_mpmath_backend_at_high_precision():
    t = system("spherical")
    f = lambdify_transform(t, "det", backend="mpmath", dps=50)
    with mpmath.workdps(50):
        value = f(["1.5", "0.25", "3"])
        exact = mpmath.mpf("1.5") ** 2 * mpmath.sin(mpmath.mpf("0.25"))
        assert abs(value - exact) < mpmath.mpf(10) ** -48
    J = lambdify_transform(t, "jacobian", backend="mpmath")([1, 2, 3])
    assert J.rows == 3 and J.cols == 3
    with pytest.raises(DimensionError, match="one point"):
        f([1, 2])


@given(st.floats(0.01, 100), st.floats(0.01, 3.1), st.floats(0.0, 6.28))
def test_spherical_volume_element_property(r, theta, phi):
    vol = lambdify_transform(system("spherical"), "volume_element")([r, theta, phi])
    assert vol == pytest.approx(r * r * math.sin(theta), rel=1e-14)


def test_bad_arguments_are_explained():
    t = system("polar")
    with pytest.raises(SymjacError, match="unknown quantity 'hessian'"):
        lambdify_transform(t, "hessian")
    with pytest.raises(SymjacError, match="unknown backend"):
        lambdify_transform(t, "det", backend="torch")
    with pytest.raises(DimensionError, match=r"shape \(batch, 2\)"):
        lambdify_transform(t, "det")(np.ones((4, 3)))
    with pytest.raises(DimensionError, match="square"):
        lambdify_transform(Transform.from_equations("y = x1 + x2"), "det")


# ---------------------------------------------------------------------- check_jacobian


@pytest.mark.parametrize("name,opts", SYSTEMS)
def test_check_jacobian_passes_for_the_named_systems(name, opts):
    report = check_jacobian(system(name, **opts))
    assert isinstance(report, CheckReport)
    assert report.passed, str(report)
    assert report.method == "complex step" and report.sample_size == 16 and report.seed == 0


def test_check_jacobian_catches_a_wrong_jacobian():
    t = system("polar")
    wrong = [["cos(theta)", "r*sin(theta)"], ["sin(theta)", "r*cos(theta)"]]  # lost a minus
    report = check_jacobian(t, claimed=wrong)
    assert report.verdict == "failed" and not report.passed
    assert "dx/dtheta" in report.reason
    assert report.worst_point is not None and report.error > 0.01
    right = [["cos(theta)", "-r*sin(theta)"], ["sin(theta)", "r*cos(theta)"]]
    assert check_jacobian(t, claimed=right).passed


def test_check_jacobian_with_central_differences():
    t = Transform.from_equations("u = x*Abs(y), v = x + y**3")
    report = check_jacobian(t, points=[[1.0, 2.0], [0.5, -1.5]])
    assert report.passed and "central" in report.method
    assert report.error_estimate < 1e-6
    at_positive_y = check_jacobian(t, points=[[1.0, 2.0]], claimed=[["Abs(y)", "x"], ["1", "3*y**2"]])
    assert at_positive_y.passed  # y > 0 at this point: sign(y)*x == x
    wrong = check_jacobian(t, points=[[1.0, -2.0]], claimed=[["Abs(y)", "x"], ["1", "3*y**2"]])
    assert wrong.verdict == "failed"


def test_check_jacobian_leaves_out_singular_points():
    t = Transform.from_equations("u = sqrt(x), v = y")
    report = check_jacobian(t, points=[[-1.0, 1.0], [4.0, 1.0]])
    assert report.passed and report.sample_size == 1
    assert "non-finite" in report.warnings[0]
    assert check_jacobian(t, points=[[-1.0, 1.0]]).verdict == "inconclusive"


def test_check_jacobian_with_parameters():
    t = Transform.from_equations("x = a*cosh(u)*cos(v), y = a*sinh(u)*sin(v)", inputs="u v",
                                 domain="a > 0, u > 0")
    assert check_jacobian(t).passed
    assert check_jacobian(t, points=[[0.5, 1.0]], parameters={"a": 2.0}).passed


def test_check_jacobian_input_errors():
    t = system("polar")
    with pytest.raises(DimensionError, match="2×2"):
        check_jacobian(t, claimed=[["1", "0", "0"]])
    with pytest.raises(DimensionError, match="2 columns"):
        check_jacobian(t, points=[[1.0, 2.0, 3.0]])
    with pytest.raises(SymjacError, match="method='central'"):
        check_jacobian(Transform.from_equations("y = Abs(x)"), method="complex_step")


# ---------------------------------------------------------------------- generated code, property-based

_x, _y = sp.symbols("x y", positive=True)
_atoms = st.sampled_from([_x, _y, sp.Integer(2), sp.Rational(1, 3), sp.Integer(-3), sp.pi])
_unary = st.sampled_from([sp.sin, sp.cos, sp.exp, sp.sqrt, sp.log, sp.atan, sp.tanh, sp.Abs,
                          lambda e: e**2, lambda e: e**-1, lambda e: e**sp.Rational(3, 2),
                          lambda e: e**sp.Rational(-1, 2), lambda e: e**5, lambda e: e**-3,
                          lambda e: e**sp.Rational(1, 3)])


def _max(a, b):
    try:
        return sp.Max(a, b)
    except ValueError:  # complex constants are not comparable
        return a + b


_binary = st.sampled_from([sp.Add, sp.Mul, lambda a, b: a - b, lambda a, b: a / b, _max])


def _exprs():
    return st.recursive(_atoms, lambda sub: st.one_of(
        st.tuples(_unary, sub).map(lambda p: p[0](p[1])),
        st.tuples(_binary, sub, sub).map(lambda p: p[0](p[1], p[2]))), max_leaves=6)


@given(_exprs(), _exprs(), st.booleans())
def test_generated_kernels_match_sympy_on_random_expressions(e1, e2, fast):
    exprs = [e1, e2, e1 * e2 + 1]
    k = generate(exprs, [_x, _y], fast=fast)
    pts = np.array([[0.7, 1.3], [2.5, 0.4], [1.1, 1.1]])
    out = np.empty((len(pts), len(exprs)))
    if k is None:
        return  # unsupported: lambdify is used instead (tested elsewhere)
    with np.errstate(all="ignore"):
        k.function(pts, out)
    for i, (a, b) in enumerate(pts):
        at = {_x: sp.Float(a, 30), _y: sp.Float(b, 30)}
        for j, e in enumerate(exprs):
            try:
                exact = complex(sp.N(e.xreplace(at), 30))
            except (ValueError, TypeError):  # e.g. Max of a complex value: no real answer
                continue
            if abs(exact.imag) > 1e-12 or not np.isfinite(abs(exact)) or abs(exact) > 1e100:
                continue
            if np.isnan(out[i, j]) and _complex_on_the_way(e, at):
                continue  # real arithmetic cannot pass through a complex intermediate value
            assert out[i, j] == pytest.approx(exact.real, rel=1e-11, abs=1e-11), (e, a, b)


def _complex_on_the_way(e, at):
    for sub in sp.preorder_traversal(e):
        try:
            if abs(complex(sp.N(sub.xreplace(at), 30)).imag) > 0:
                return True
        except (ValueError, TypeError):
            return True
    return False


def test_mpmath_backend_takes_a_batch_of_one_and_names_the_shape_otherwise():
    from symjac import system
    f = lambdify_transform(system("spherical"), what="det", backend="mpmath")
    assert float(f(np.array([[1.0, 0.5, 0.3]]))) == pytest.approx(math.sin(0.5), rel=1e-15)
    with pytest.raises(DimensionError, match=r"one point with 3 coordinates \(r, theta, phi\), got \(2, 3\)"):
        f(np.ones((2, 3)))


def _adversarial_points(n_angles: int) -> np.ndarray:
    """Radii tiny to huge; angles at 0, pi/2, pi, 3pi/2, 2pi, their float neighbours, and uniform."""
    special = np.array([0.0, np.pi / 2, np.pi, 3 * np.pi / 2, 2 * np.pi, np.pi / 4])
    near = np.concatenate([np.nextafter(special, np.inf), np.nextafter(special, -np.inf),
                           special * (1 + 1e-9), special + 1e-7])
    rng = np.random.default_rng(4)
    angles = np.concatenate([special, near, rng.uniform(0, 2 * np.pi, n_angles)])
    radii = np.array([1e-300, 1e-8, 0.5, 1.0, 3.0, 1e8, 1e300])
    r, a = np.meshgrid(radii, angles)
    return np.column_stack([r.ravel(), a.ravel()])


def _worst_errors(t, pts, got):
    """(normwise, entrywise) worst relative errors against mpmath at 50 digits; entries whose exact
    value is below the normal range of doubles are left out of the entrywise figure."""
    import mpmath

    f = sp.lambdify(t.inputs, list(t.exprs), modules="mpmath")
    normwise = entrywise = 0.0
    with mpmath.workdps(50):
        for row, value in zip(pts, got):
            exact = f(*(mpmath.mpf(float(v)) for v in row))
            errors = [abs(mpmath.mpf(float(g)) - e) for e, g in zip(exact, value)]
            norm = mpmath.sqrt(sum(e**2 for e in exact))
            normwise = max(normwise, float(mpmath.sqrt(sum(d**2 for d in errors)) / norm))
            for e, d in zip(exact, errors):
                if abs(e) > 1e-290:
                    entrywise = max(entrywise, float(d / abs(e)))
    return normwise, entrywise


@pytest.mark.parametrize("name", ["polar", "spherical"])
def test_default_kernels_are_as_accurate_as_numpy_on_adversarial_angles(name):
    # the default kernel stays within 4 ulp, normwise and entry by entry; the opt-in fast kernel
    # (sin and cos from tan of the half angle) is only accurate normwise, which is why it is opt-in
    t = system(name)
    pts = _adversarial_points(40)
    if name == "spherical":
        pts = np.column_stack([pts[:, 0], pts[:, 1] / 2, pts[:, 1]])
    normwise, entrywise = _worst_errors(t, pts, lambdify_transform(t, "exprs")(pts))
    assert normwise <= 4 * np.finfo(float).eps and entrywise <= 4 * np.finfo(float).eps
    fast_normwise, fast_entrywise = _worst_errors(t, pts, lambdify_transform(t, "exprs", approximate_trig=True)(pts))
    assert fast_normwise <= 4 * np.finfo(float).eps
    assert fast_entrywise > 1e-6  # cos(pi/2) comes out as a rounding error, not 6.1e-17


def test_backend_numba_without_numba_says_how_to_get_it(monkeypatch):
    import symjac.numeric.compiled as compiled

    monkeypatch.setattr(compiled, "accelerator_available", lambda name: False)
    t = system("polar")
    with pytest.raises(SymjacError, match=r"numba is not installed; pip install 'symjac\[accel\]'"):
        lambdify_transform(t, "det", backend="numba")
    assert lambdify_transform(t, "det", backend="auto").backend == "numpy"


def test_numba_kernels_agree_with_numpy_and_take_complex_points():
    pytest.importorskip("numba")
    t = system("spherical")
    pts = _points(t, 50, seed=5)
    f = lambdify_transform(t, "jacobian", backend="numba")
    assert f.backend == "numba" and lambdify_transform(t, "jacobian", backend="auto") is f
    np.testing.assert_allclose(f(pts), lambdify_transform(t, "jacobian")(pts), rtol=4e-16, atol=1e-300)
    z = pts.astype(complex) + 1e-30j  # the complex step runs on the NumPy kernel
    np.testing.assert_allclose(f(z).real, f(pts), rtol=1e-15)


def test_accurate_forms_are_identities():
    from symjac.numeric.codegen import accurate_form

    s, t, u = sp.symbols("s t u")
    for e in [sp.cosh(t) - sp.cos(s), sp.cosh(t) - 1, 3 - 3 * sp.cos(s), sp.exp(u) - 1,
              sp.log(1 + u), sp.cosh(t) * sp.cos(s) - 1,
              sp.cosh(t) / (sp.cosh(t) - sp.cos(s)) - sp.sinh(t) ** 2 / (sp.cosh(t) - sp.cos(s)) ** 2]:
        rewritten = accurate_form(e)
        assert rewritten != e
        for point in ({s: 0.3, t: 0.7, u: 0.2}, {s: 2.0, t: 1.5, u: 1.1}):
            at = {k: sp.Float(v, 30) for k, v in point.items()}
            assert abs(sp.N(rewritten.xreplace(at), 30) - sp.N(e.xreplace(at), 30)) < 1e-25
