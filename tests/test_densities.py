"""Densities under a change of variables: textbook answers, each also checked numerically."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from symjac import (
    DimensionError,
    ParseError,
    Transform,
    log_abs_det_jacobian,
    system,
    transform_density,
    verify_density,
)

T = Transform.from_equations
PHI = "exp(-x**2/2)/sqrt(2*pi)"  # standard normal
PI = sp.pi


def same(a: sp.Expr, b: sp.Expr, variables, box, points: int = 6) -> bool:
    """a == b: symbolically after simplification, else at random points of ``box``."""
    if sp.simplify(a - b) == 0:
        return True
    rng = np.random.default_rng(3)
    params = sorted((a.free_symbols | b.free_symbols) - set(variables), key=str)
    for _ in range(points):
        at = {p: sp.Float(rng.uniform(0.7, 2.2)) for p in params}
        for v in variables:
            lo, hi = box[v]
            lo = float(lo) if lo != -sp.oo else -3.0
            hi = float(hi) if hi != sp.oo else lo + 5.0
            at[v] = sp.Float(rng.uniform(lo + 1e-3 * (hi - lo), hi - 1e-3 * (hi - lo)))
        x, y = complex(sp.N(a.xreplace(at))), complex(sp.N(b.xreplace(at)))
        if abs(x - y) > 1e-9 * max(1.0, abs(y)):
            return False
    return True


def var(d, name: str) -> sp.Symbol:
    return next(v for v in d.variables if v.name == name)


def passes(d, n: int = 4000) -> None:
    report = verify_density(d, n=n, seed=11)
    assert report.passed, report.reason
    assert report.sample_size > 0 and report.seed == 11


# ---------------------------------------------------------------------------- X ~ N(0, 1)


def test_square_of_a_normal_is_chi_squared_one_with_two_branches():
    d = transform_density(PHI, T("y = x**2"), support="-oo < x < oo")
    y = var(d, "y")
    chi2_1 = sp.exp(-y / 2) / sp.sqrt(2 * PI * y)  # textbook χ²₁ density
    assert len(d.branches) == 2
    assert d.support == (y > 0,)
    assert same(d.value, chi2_1, [y], {y: (0, 10)})
    assert d.pdf.subs(y, -1) == 0  # no density at y = -1, unlike sympy.stats
    assert d.family.name == "ChiSquared" and d.family.params["k"] == 1
    passes(d)


def test_abs_of_a_normal_is_half_normal():
    d = transform_density(PHI, T("y = Abs(x)"))
    y = var(d, "y")
    assert len(d.branches) == 2
    assert d.support == (y > 0,)
    assert same(d.value, sp.sqrt(2 / PI) * sp.exp(-y ** 2 / 2), [y], {y: (0, 5)})
    assert d.family.name == "HalfNormal"
    passes(d)


def test_exp_of_a_normal_is_log_normal():
    d = transform_density(PHI, T("y = exp(x)"))
    y = var(d, "y")
    assert d.support == (y > 0,)
    assert same(d.value, sp.exp(-sp.log(y) ** 2 / 2) / (y * sp.sqrt(2 * PI)), [y], {y: (0, 8)})
    assert d.family.name == "LogNormal" and d.family.params == {"mu": 0, "sigma": 1}
    passes(d)


def test_affine_image_of_a_normal_keeps_its_symbolic_parameters():
    d = transform_density(PHI, T("y = sigma*x + mu", inputs="x", domain="sigma > 0"))
    y = var(d, "y")
    mu = next(s for s in d.pdf.free_symbols if s.name == "mu")
    sigma = next(s for s in d.pdf.free_symbols if s.name == "sigma")
    assert sigma.is_positive
    expected = sp.exp(-(y - mu) ** 2 / (2 * sigma ** 2)) / (sigma * sp.sqrt(2 * PI))
    assert same(d.value, expected, [y], {y: (-4, 4)})
    assert d.family.name == "Normal" and d.family.params == {"mu": mu, "sigma": sigma}
    report = verify_density(d, n=3000, seed=1)
    assert report.passed and any("sample values" in w for w in report.warnings)


# ---------------------------------------------------------------------------- U ~ Uniform(0, 1)


def test_minus_two_log_uniform_is_exponential_with_rate_one_half():
    d = transform_density("1", T("y = -2*log(u)"), support="0 < u < 1")
    y = var(d, "y")
    assert d.support == (y > 0,)
    assert same(d.value, sp.exp(-y / 2) / 2, [y], {y: (0, 10)})
    assert d.family.name == "Exponential" and d.family.params["rate"] == sp.Rational(1, 2)
    passes(d)


def test_square_of_a_uniform_has_one_branch_on_the_unit_interval():
    d = transform_density("1", T("y = u**2"), support="0 < u < 1")
    y = var(d, "y")
    assert len(d.branches) == 1
    assert set(d.support) == {y > 0, y < 1}
    assert same(d.value, 1 / (2 * sp.sqrt(y)), [y], {y: (0, 1)})
    assert d.pdf.subs(y, sp.Rational(3, 2)) == 0
    passes(d)


def test_minus_log_uniform_is_standard_exponential():
    d = transform_density("1", T("y = -log(u)"), support="0 < u < 1")
    y = var(d, "y")
    assert same(d.value, sp.exp(-y), [y], {y: (0, 10)})
    assert d.family.name == "Exponential" and d.family.params["rate"] == 1
    passes(d)


# ---------------------------------------------------------------------------- sums and ratios


def test_sum_of_two_exponentials_is_gamma_two():
    d = transform_density("lam**2*exp(-lam*(x1 + x2))", T("y = x1 + x2", inputs="x1 x2"),
                          support="x1 > 0, x2 > 0, lam > 0")
    y = var(d, "y")
    lam = next(s for s in d.pdf.free_symbols if s.name == "lam")
    assert lam.is_positive
    assert [w.name for w, _ in d.auxiliary] == ["w"]
    assert d.support == (y > 0,)
    assert same(d.value, lam ** 2 * y * sp.exp(-lam * y), [y], {y: (0, 6)})
    assert d.closed_form and not d.pdf.has(sp.oo)
    assert d.family.name == "Gamma" and d.family.params == {"shape": 2, "rate": lam}
    passes(d)


def test_sum_of_two_uniforms_is_triangular_piecewise():
    d = transform_density("1", T("y = u1 + u2"), support="0 < u1 < 1, 0 < u2 < 1")
    y = var(d, "y")
    expected = sp.Piecewise((y, (y > 0) & (y < 1)), (2 - y, (y > 1) & (y < 2)), (0, True))
    assert isinstance(d.pdf, sp.Piecewise)
    for at in (-0.5, 0.25, 0.75, 1.0 + 1 / 3, 1.9, 2.5):
        assert float(d.pdf.subs(y, at)) == pytest.approx(float(expected.subs(y, at)))
    assert set(d.support) == {y > 0, y < 2}
    assert d.family.name == "Triangular" and d.family.params == {"a": 0, "b": 2, "mode": 1}
    passes(d)


def test_ratio_of_two_normals_is_cauchy():
    d = transform_density("exp(-(x1**2 + x2**2)/2)/(2*pi)", T("y = x1/x2"))
    y = var(d, "y")
    assert same(d.pdf, 1 / (PI * (1 + y ** 2)), [y], {y: (-5, 5)})
    assert d.family.name == "Cauchy" and d.family.params == {"loc": 0, "scale": 1}
    passes(d)


GAMMA_PAIR = "x**(a - 1)*y**(b - 1)*exp(-x - y)/(gamma(a)*gamma(b))"


def test_gamma_pair_gives_independent_beta_and_gamma():
    d = transform_density(GAMMA_PAIR, T("u = x/(x + y), v = x + y", inputs="x y"),
                          support="x > 0, y > 0, a > 0, b > 0")
    u, v = var(d, "u"), var(d, "v")
    a, b = (next(s for s in d.pdf.free_symbols if s.name == n) for n in "ab")
    beta = u ** (a - 1) * (1 - u) ** (b - 1) * sp.gamma(a + b) / (sp.gamma(a) * sp.gamma(b))
    gamma = v ** (a + b - 1) * sp.exp(-v) / sp.gamma(a + b)
    assert set(d.support) == {u > 0, u < 1, v > 0}
    assert same(d.value, beta * gamma, [u, v], {u: (0, 1), v: (0, 6)})
    names = [c.name for c in d.family.components]
    assert names == ["Beta", "Gamma"]  # a product: U and V are independent
    passes(d, n=3000)


def test_beta_marginal_of_the_gamma_pair():
    d = transform_density(GAMMA_PAIR, T("u = x/(x + y), v = x + y", inputs="x y"),
                          support="x > 0, y > 0, a > 0, b > 0", marginalize="v")
    u = var(d, "u")
    a, b = (next(s for s in d.pdf.free_symbols if s.name == n) for n in "ab")
    assert d.family.name == "Beta" and d.family.params == {"alpha": a, "beta": b}
    assert set(d.support) == {u > 0, u < 1}
    passes(d)


def test_ratio_x_over_sum_of_gammas_with_symbolic_shapes_is_beta():
    # one output only: completed with w = y and w integrated out over (0, oo) with u < 1 known;
    # without that the integral came back with polar_lift(u - 1) and could not be evaluated
    d = transform_density(GAMMA_PAIR, T("u = x/(x + y)", inputs="x y"),
                          support="x > 0, y > 0, a > 0, b > 0")
    u = var(d, "u")
    a, b = (next(s for s in d.pdf.free_symbols if s.name == n) for n in "ab")
    beta = u ** (a - 1) * (1 - u) ** (b - 1) * sp.gamma(a + b) / (sp.gamma(a) * sp.gamma(b))
    assert not d.pdf.has(sp.polar_lift, sp.exp_polar) and d.closed_form
    assert same(d.value, beta, [u], {u: (0, 1)})
    assert d.family.name == "Beta" and d.family.params == {"alpha": a, "beta": b}
    passes(d)


def test_ratio_x_over_sum_completes_with_an_auxiliary():
    d = transform_density("x*y**2*exp(-x - y)/2",  # Gamma(2) and Gamma(3)
                          T("u = x/(x + y)", inputs="x y"), support="x > 0, y > 0")
    u = var(d, "u")
    assert d.auxiliary and d.family.name == "Beta"
    assert same(d.value, 12 * u * (1 - u) ** 2, [u], {u: (0, 1)})  # Beta(2, 3)
    passes(d)


# ---------------------------------------------------------------------------- polar and Box-Muller


def test_polar_map_of_a_normal_pair_is_rayleigh_times_uniform():
    d = transform_density("exp(-(x**2 + y**2)/2)/(2*pi)", system("polar"))
    r, th = var(d, "r"), var(d, "theta")
    assert not d.forward
    assert same(d.value, r * sp.exp(-r ** 2 / 2) / (2 * PI), [r, th], {r: (0, 4), th: (0, 6)})
    assert set(d.support) == {r > 0, th > 0, th < 2 * PI}
    assert d.pdf.subs({r: -1, th: 1}) == 0
    assert [c.name for c in d.family.components] == ["Rayleigh", "Uniform"]
    assert d.family.components[1].params == {"a": 0, "b": 2 * PI}
    passes(d, n=3000)


def test_box_muller_gives_two_independent_standard_normals():
    bm = T("z1 = sqrt(-2*log(u1))*cos(2*pi*u2), z2 = sqrt(-2*log(u1))*sin(2*pi*u2)")
    d = transform_density("1", bm, support="0 < u1 < 1, 0 < u2 < 1")
    z1, z2 = var(d, "z1"), var(d, "z2")
    assert len(d.branches) == 2  # upper and lower half-plane
    assert same(d.pdf, sp.exp(-(z1 ** 2 + z2 ** 2) / 2) / (2 * PI), [z1, z2], {z1: (-3, 3), z2: (-3, 3)})
    assert d.support == ()
    assert [c.name for c in d.family.components] == ["Normal", "Normal"]
    passes(d, n=3000)


# ---------------------------------------------------------------------------- inputs


def test_sympy_stats_random_variables_are_accepted():
    from sympy import stats

    x = stats.Normal("x", 0, 1)
    d = transform_density(x, T("y = x**2"))
    assert d.family.name == "ChiSquared"
    lam = sp.Symbol("lam", positive=True)
    pair = (stats.Exponential("x1", lam), stats.Exponential("x2", lam))
    d2 = transform_density(pair, T("y = x1 + x2"))
    y = var(d2, "y")
    assert d2.support == (y > 0,)
    assert d2.family.name == "Gamma" and d2.family.params["shape"] == 2
    u = stats.Uniform("u", 0, 1)
    d3 = transform_density(u, T("y = u**2"))
    assert set(d3.support) == {y > 0, y < 1}


def test_a_piecewise_density_gives_its_own_support():
    d = transform_density("Piecewise((2*x, 0 < x < 1), (0, True))", T("y = x**2"))
    y = var(d, "y")
    assert same(d.value, sp.Integer(1), [y], {y: (0, 1)})  # Uniform(0, 1)
    assert d.family.name == "Uniform"


def test_symbolic_rate_stays_symbolic_in_the_exponential_case():
    d = transform_density("lam*exp(-lam*x)", T("y = 2*x"), support="x > 0, lam > 0")
    y = var(d, "y")
    lam = next(s for s in d.pdf.free_symbols if s.name == "lam")
    assert same(d.value, lam / 2 * sp.exp(-lam * y / 2), [y], {y: (0, 5)})
    assert d.family.params["rate"] == lam / 2


# ---------------------------------------------------------------------------- errors


def test_more_outputs_than_inputs_has_no_density():
    with pytest.raises(DimensionError, match="volume zero.*pseudo_determinant"):
        transform_density(PHI, T("y1 = cos(x), y2 = sin(x)"))


def test_unreadable_density_says_what_is_expected():
    with pytest.raises(ParseError, match="cannot read a density"):
        transform_density(object(), T("y = x**2"))
    with pytest.raises(ParseError):
        transform_density("exp(-x^^2)", T("y = x**2"))


def test_density_in_old_and_new_variables_is_refused():
    with pytest.raises(DimensionError, match="both old and new"):
        transform_density("x*y", T("y = x**2"))


def test_marginalize_must_name_new_variables():
    with pytest.raises(DimensionError, match="cannot integrate out q"):
        transform_density(GAMMA_PAIR, T("u = x/(x + y), v = x + y", inputs="x y"),
                          support="x > 0, y > 0, a > 0, b > 0", marginalize="q")


def test_a_wrong_density_fails_verification():
    d = transform_density(PHI, T("y = x**2"))
    y = var(d, "y")
    wrong = dataclasses.replace(d, pdf=sp.Piecewise((sp.exp(-y), y > 0), (0, True)), family=None)
    report = verify_density(wrong, n=3000, seed=2)
    assert report.verdict == "failed"


def test_verify_density_rejects_other_objects():
    from symjac import SymjacError

    with pytest.raises(SymjacError, match="takes a Density"):
        verify_density("exp(-y)")


# ---------------------------------------------------------------------------- flows and LaTeX


def test_log_abs_det_jacobian_matches_finite_differences():
    t = T("u = x + y**3, v = exp(y)*(1 + x**2)", inputs="x y")
    flow = log_abs_det_jacobian(t)
    pts = np.array([[0.3, -0.7], [1.2, 0.4], [-0.5, 1.1]])
    f = sp.lambdify(t.inputs, list(t.exprs), "numpy")
    h = 1e-6
    for p in pts:
        J = np.column_stack([(np.array(f(*(p + h * e))) - np.array(f(*(p - h * e)))) / (2 * h)
                             for e in np.eye(2)])
        assert flow(p[None, :])[0] == pytest.approx(math.log(abs(np.linalg.det(J))), rel=1e-6)


def test_log_abs_det_jacobian_needs_a_square_map():
    with pytest.raises(DimensionError, match="square"):
        log_abs_det_jacobian(T("y = x1 + x2"))


def test_density_latex_and_json():
    d = transform_density(PHI, T("y = x**2"))
    assert d._latex_body().startswith("f_{Y}(y) = ")  # the density of Y at y
    assert d._repr_latex_().startswith("$$")
    data = d.to_dict()
    assert data["support"] == ["y > 0"] and data["family"]["name"] == "ChiSquared"
    assert len(data["branches"]) == 2
    assert len(d.steps) >= 3


@settings(deadline=None, max_examples=5)
@given(st.integers(1, 4), st.integers(-3, 3))
def test_affine_maps_of_a_normal_are_normal(scale, shift):
    d = transform_density(PHI, T(f"y = {scale}*x + {shift}"))
    assert d.family.name == "Normal"
    assert d.family.params == {"mu": shift, "sigma": scale}


@pytest.mark.parametrize("pdf, eqs, support, expected", [
    ("lam**2*exp(-lam*(x1 + x2))", "y = x1 + x2", "x1 > 0, x2 > 0, lam > 0", "lam**2*y*exp(-lam*y)"),
    ("exp(-(x1**2 + x2**2)/2)/(2*pi)", "y = x1/x2", None, "1/(pi*(1 + y**2))"),
])
def test_coarea_form_agrees_with_the_auxiliary_completion(pdf, eqs, support, expected):
    d = transform_density(pdf, T(eqs), support=support, method="coarea")
    y = var(d, "y")
    lam = sp.Symbol("lam", positive=True)
    want = sp.sympify(expected, locals={"y": y, "lam": lam, "pi": PI})
    got = d.value.xreplace({s: lam for s in d.value.free_symbols if s.name == "lam"})
    assert same(got, want, [y], {y: (0.1, 4)})
    assert any("Coarea" in s.text for s in d.steps)


def test_unknown_method_lists_the_choices():
    from symjac import SymjacError

    with pytest.raises(SymjacError, match="'auxiliary' or 'coarea'"):
        transform_density(PHI, T("y = x**2"), method="magic")


def test_branches_on_different_pieces_of_the_support_add_up_where_they_overlap():
    # X ~ Uniform(-1, 2): x = sqrt(y) serves (0, 4), x = -sqrt(y) only (0, 1)
    d = transform_density("1/3", T("y = x**2"), support="-1 < x < 2")
    y = var(d, "y")
    assert float(d.pdf.subs(y, 0.25)) == pytest.approx(2 / (3 * 2 * 0.5))
    assert float(d.pdf.subs(y, 2.25)) == pytest.approx(1 / (3 * 2 * 1.5))
    assert d.pdf.subs(y, 5) == 0 and set(d.support) == {y > 0, y < 4}
    passes(d)


def test_product_of_two_uniforms_is_minus_log():
    d = transform_density("1", T("y = u1*u2"), support="0 < u1 < 1, 0 < u2 < 1")
    y = var(d, "y")
    assert same(d.value, -sp.log(y), [y], {y: (0, 1)})
    assert set(d.support) == {y > 0, y < 1}
    passes(d)


def test_missing_branches_are_an_error_not_a_wrong_density():
    from symjac import InversionError

    with pytest.raises(InversionError, match="do not cover the support"):
        transform_density(PHI, T("y = sin(x)"))


# ---------------------------------------------------------------------------- monotone pieces


def _density_by_roots(y: float, coeffs: list[float], pdf) -> float:
    """f_Y(y) = sum over the real roots x_k of g(x) = y of f_X(x_k) / |g'(x_k)| (numpy.roots)."""
    poly = np.poly1d(coeffs)
    roots = np.roots((poly - y).coeffs)
    real = roots[np.abs(roots.imag) < 1e-9].real
    return float(sum(pdf(x) / abs(poly.deriv()(x)) for x in real))


def test_sine_of_a_uniform_angle_uses_all_three_monotone_pieces():
    # (0, pi/2), (pi/2, 3pi/2), (3pi/2, 2pi): the arcsine law 1/(pi sqrt(1 - y^2)) on (-1, 1)
    d = transform_density("1/(2*pi)", T("y = sin(x)"), support="0 < x < 2*pi")
    y = var(d, "y")
    assert len(d.branches) == 3
    assert {str(b.inverse[0][1]) for b in d.branches} == {"asin(y)", "pi - asin(y)", "asin(y) + 2*pi"}
    assert sp.simplify(d.value - 1 / (PI * sp.sqrt(1 - y ** 2))) == 0
    assert set(d.support) == {y > -1, y < 1}
    assert sp.integrate(d.value, (y, -1, 1)) == 1
    passes(d)


def test_cosine_of_twice_a_uniform_angle_has_four_branches():
    d = transform_density("1/(2*pi)", T("y = cos(2*x)"), support="0 < x < 2*pi")
    y = var(d, "y")
    assert len(d.branches) == 4
    assert sp.simplify(d.value - 1 / (PI * sp.sqrt(1 - y ** 2))) == 0


@pytest.mark.parametrize("pdf, support, f, draw", [
    ("1/2", "-1 < x < 1", lambda x: 0.5 * (abs(x) < 1), lambda rng, n: rng.uniform(-1, 1, n)),
    (PHI, None, lambda x: math.exp(-x * x / 2) / math.sqrt(2 * math.pi),
     lambda rng, n: rng.standard_normal(n)),
])
def test_cubic_with_three_real_roots_gives_the_whole_density(pdf, support, f, draw):
    # y = x^3 - x: three monotone pieces; Cardano's roots carry I, the real forms do not
    from scipy import integrate

    d = transform_density(pdf, T("y = x**3 - x"), support=support)
    y = var(d, "y")
    raw = sp.lambdify(y, d.pdf, modules="numpy")

    def fy(v):
        with np.errstate(all="ignore"):  # numpy evaluates every piece of the Piecewise
            return float(raw(v))

    for at in (-1.3, -0.37, -0.1, 0.2, 0.38, 0.9, 2.5):
        assert fy(at) == pytest.approx(_density_by_roots(at, [1, 0, -1, 0], f), rel=1e-9, abs=1e-12)
    edge = float(2 * sp.sqrt(3) / 9)
    mass = sum(integrate.quad(fy, a, b, limit=200)[0] for a, b in
               [(-np.inf, -edge), (-edge, 0), (0, edge), (edge, np.inf)])
    assert mass == pytest.approx(1.0, abs=1e-6)
    # Monte Carlo: bin counts of a sample of g(X) against the derived pdf's bin probabilities
    bins = np.array([-np.inf, -2.0, -1.0, -edge, -0.3, -0.2, -0.1, 0.0, 0.1, 0.2, 0.3, edge, 1.0,
                     2.0, np.inf])
    probs = np.array([integrate.quad(fy, a, b, limit=200)[0] for a, b in zip(bins, bins[1:])])
    n = 20_000
    x = draw(np.random.default_rng(4), n)
    counts = np.histogram(x ** 3 - x, bins=bins)[0]
    assert np.all(np.abs(counts - n * probs) <= 4.5 * np.sqrt(n * probs * (1 - probs)) + 1e-9)


def test_cubic_without_critical_points_and_a_pure_cube():
    d = transform_density("1/2", T("y = x**3 + x"), support="-1 < x < 1")
    y = var(d, "y")
    assert len(d.branches) == 1 and set(d.support) == {y > -2, y < 2}
    fy = sp.lambdify(y, d.value, modules="numpy")
    for at in (-1.5, 0.3, 1.9):
        assert fy(at) == pytest.approx(_density_by_roots(at, [1, 0, 1, 0], lambda x: 0.5), rel=1e-9)
    d = transform_density("1/2", T("y = x**3"), support="-1 < x < 1")
    fy = sp.lambdify(var(d, "y"), d.pdf, modules="numpy")
    for at in (-0.8, -0.01, 0.5):  # |y|^(-2/3) / 6
        assert fy(at) == pytest.approx(abs(at) ** (-2 / 3) / 6, rel=1e-9)


def test_a_periodic_map_on_the_whole_line_is_still_an_error():
    from symjac import InversionError

    with pytest.raises(InversionError, match="Restrict the support"):
        transform_density(PHI, T("y = cos(x)"))


def test_verify_density_reports_a_pdf_without_a_numeric_form_instead_of_crashing():
    # polar_lift has no NumPy/math version; the check must say it could not confirm, not raise
    d = transform_density("1", T("y = -log(u)"), support="0 < u < 1")
    y = var(d, "y")
    bad = dataclasses.replace(d, pdf=sp.Piecewise((sp.exp(-y) * sp.polar_lift(y) / y, y > 0),
                                                  (0, True)))
    report = verify_density(bad, n=500, seed=1)
    assert not report.passed and "did not converge" in report.reason


def test_sign_in_the_map_is_split_like_an_absolute_value():
    # y = sign(x) x^2 is one-to-one: x = sqrt(y) for y > 0, -sqrt(-y) for y < 0
    d = transform_density(PHI, T("y = sign(x)*x**2"))
    y = var(d, "y")
    half = sp.exp(-sp.Abs(y) / 2) / (2 * sp.sqrt(2 * PI) * sp.sqrt(sp.Abs(y)))
    assert same(d.pdf, half, [y], {y: (0.01, 4)}) and same(d.pdf, half, [y], {y: (-4, -0.01)})
    passes(d)


def test_a_step_function_map_has_no_density():
    from symjac import DomainError

    with pytest.raises(DomainError, match="floor.*no density"):
        transform_density(PHI, T("y = floor(x)"))


def test_a_map_that_ignores_its_variable_names_the_variables_it_uses():
    with pytest.raises(DimensionError, match="does not use z.*It uses x"):
        transform_density(PHI, T("y = x**2", inputs="z"))


def test_first_step_gives_the_density_and_its_support_as_formulas():
    import symjac as sj

    d = sj.transform_density("exp(-x**2/2)/sqrt(2*pi)", sj.Transform.from_equations("y = x**2"),
                             support="-oo < x < oo")
    first = d.steps[0]
    assert first.text == "The density of x and its support:"
    assert [str(label) for label, _ in first.objects] == ["f_X(x)", ""]
    latex = sj.to_latex(d, steps=True)
    assert "f_{X}(x) &= \\frac{\\sqrt{2} e^{- \\frac{x^{2}}{2}}}{2 \\sqrt{\\pi}} \\\\\n&-\\infty < x < \\infty" in latex
    assert "-oo" not in latex.split("\\intertext{2.")[0]


def test_branches_show_as_formulas_in_latex():
    import symjac as sj

    # y = x² has the two branches x = ±√y on y > 0, each with |dx/dy| = 1/(2√y)
    d = sj.transform_density("exp(-x**2/2)/sqrt(2*pi)", sj.Transform.from_equations("y = x**2"),
                             support="-oo < x < oo")
    latex = sj.to_latex(d, steps=True)
    assert "x = h_{2}(y) &= - \\sqrt{y}\\qquad \\text{for } y > 0" in latex
    assert "\\left|h_{2}'(y)\\right| &= \\frac{1}{2 \\sqrt{y}}" in latex  # |h'(y)| for one variable
    assert "x = h_2(y) = -sqrt(y)  for  y > 0" in str(d.steps)
    assert "|h_2'(y)| = 1/(2*sqrt(y))" in str(d.steps)


@pytest.mark.parametrize("map_, expected", [
    ("y = sqrt(x1**2 + x2**2)", "y*exp(-y**2/2)"),  # Rayleigh(1)
    ("y = x1**2 + x2**2", "exp(-y/2)/2"),  # chi-squared with 2 degrees of freedom
])
def test_radius_of_a_normal_pair_integrates_the_auxiliary_over_a_disc(map_, expected):
    # the completion w = x2 gives x1 = ±sqrt(y^2 - w^2) on |w| < y: a condition quadratic in w
    d = transform_density("exp(-(x1**2 + x2**2)/2)/(2*pi)", T(map_, inputs="x1 x2"))
    y = var(d, "y")
    assert d.closed_form and set(d.support) == {y > 0}
    assert sp.simplify(d.value - sp.sympify(expected, locals={"y": y})) == 0
    passes(d)


def test_sum_of_three_exponentials_integrates_two_auxiliaries_out():
    d = transform_density("exp(-x1 - x2 - x3)", T("y = x1 + x2 + x3", inputs="x1 x2 x3"),
                          support="x1 > 0, x2 > 0, x3 > 0")
    y = var(d, "y")
    assert d.closed_form and set(d.support) == {y > 0}
    assert sp.simplify(d.value - y ** 2 * sp.exp(-y) / 2) == 0  # Gamma(3, 1)
    passes(d)


def test_sum_of_three_uniforms_is_the_irwin_hall_density():
    d = transform_density("1", T("y = x1 + x2 + x3", inputs="x1 x2 x3"),
                          support="0 < x1 < 1, 0 < x2 < 1, 0 < x3 < 1")
    y = var(d, "y")
    irwin_hall = sp.Piecewise((y ** 2 / 2, (y > 0) & (y < 1)),
                              (-y ** 2 + 3 * y - sp.Rational(3, 2), (y > 1) & (y < 2)),
                              ((3 - y) ** 2 / 2, (y > 2) & (y < 3)), (0, True))
    for at in (-0.5, 0.3, 1.0 + 1 / 3, 2.7, 3.5):
        assert float(d.pdf.subs(y, at)) == pytest.approx(float(irwin_hall.subs(y, at)))
    assert set(d.support) == {y > 0, y < 3}
    passes(d)


def test_a_density_left_as_a_double_integral_skips_the_sample_check_with_a_reason():
    x1, x2, y = sp.symbols("x1 x2 y", real=True)
    d = transform_density("exp(-x1 - x2 - x3)", T("y = x1 + x2 + x3", inputs="x1 x2 x3"),
                          support="x1 > 0, x2 > 0, x3 > 0")
    left = dataclasses.replace(d, pdf=sp.Integral(sp.Piecewise(
        (sp.exp(-y), (x1 > 0) & (x2 > 0) & (x1 + x2 < y)), (0, True)),
        (x1, -sp.oo, sp.oo), (x2, -sp.oo, sp.oo)), support=(), closed_form=False, family=None)
    report = verify_density(left, n=200, seed=1, timeout=2)
    assert report.verdict == "inconclusive" and "2-fold integral" in report.reason


def test_x_exp_minus_x_uses_both_real_branches_of_lambert_w():
    # y = x e^{-x} on x > 0 rises on (0, 1) and falls on (1, oo): x = -W0(-y) and -W_{-1}(-y)
    from scipy import integrate, special

    d = transform_density("exp(-x)", T("y = x*exp(-x)"), support="x > 0")
    y = var(d, "y")
    assert len(d.branches) == 2
    # the support is 0 < y < 1/e (it may carry the redundant -W0(-y) > 0, which holds there)
    support = sp.And(*d.support)

    def inside(at):
        try:
            return bool(support.subs(y, at))
        except TypeError:  # W_{-1}(-y) is complex outside (0, 1/e): not in the support
            return False

    assert all(inside(at) for at in (1e-6, 0.1, 0.3, 0.3678))
    assert not any(inside(at) for at in (-0.1, 0.37, 1.0))

    def oracle(v):  # sum over both preimages of f(x)/|g'(x)|, g'(x) = (1 - x) e^{-x}
        xs = [-special.lambertw(-v, k).real for k in (0, -1)]
        return sum(math.exp(-x) / abs((1 - x) * math.exp(-x)) for x in xs)

    fy = sp.lambdify(y, d.value, modules="mpmath")
    for at in (0.02, 0.1, 0.25, 0.35):
        assert float(fy(at)) == pytest.approx(oracle(at), rel=1e-9)
    assert integrate.quad(oracle, 0, math.exp(-1), limit=200)[0] == pytest.approx(1.0, abs=1e-6)
    passes(d)


def test_branch_domains_that_come_out_empty_are_an_error_not_a_zero_density(monkeypatch):
    import symjac.densities.density as densities
    from symjac import InversionError

    def empty(branches, keep, drop, steps, timeout):
        return sp.Piecewise((0, True)), (sp.false,), True, steps

    monkeypatch.setattr(densities, "assemble", empty)
    with pytest.raises(InversionError, match="rather than a density of 0"):
        transform_density(PHI, T("y = exp(x)"))


def test_x_plus_one_over_x_normalises_although_its_terms_overflow_in_floating_point():
    # the two branches combine into exp(-y/2 + s/2) * exp(-y/2 - s/2)-style factors that overflow
    # for large y; the normalisation must still reach 1 (checked by verify_density) and agree
    # with the sum over preimages x = (y ± sqrt(y^2 - 4))/2 of e^{-x} / |1 - 1/x^2|
    d = transform_density("exp(-x)", T("y = x + 1/x"), support="x > 0")
    y = var(d, "y")
    assert len(d.branches) == 2 and set(d.support) == {y > 2}
    fy = sp.lambdify(y, d.value, modules="mpmath")
    for at in (2.5, 4.0, 9.0):
        xs = [(at + s * math.sqrt(at * at - 4)) / 2 for s in (1, -1)]
        assert float(fy(at)) == pytest.approx(sum(math.exp(-x) / abs(1 - x ** -2) for x in xs),
                                              rel=1e-9)
    passes(d)


def test_a_joint_sympy_stats_distribution_is_accepted():
    from sympy import stats

    # correlated normal pair, covariance [[2, 1], [1, 2]]: var(x1 + x2) = 6, var(x1 - x2) = 2, and
    # the two are uncorrelated, hence independent
    pair = stats.MultivariateNormal("x", [0, 0], [[2, 1], [1, 2]])
    d = transform_density(pair, T("s = x1 + x2, t = x1 - x2", inputs="x1 x2"))
    s_, t_ = var(d, "s"), var(d, "t")
    expected = sp.exp(-s_ ** 2 / 12) / sp.sqrt(12 * PI) * sp.exp(-t_ ** 2 / 4) / sp.sqrt(4 * PI)
    assert sp.simplify(d.value - expected) == 0
    passes(d)
    with pytest.raises(DimensionError, match="2 components but the map"):
        transform_density(pair, T("y = x**2"))


def test_x_exp_minus_x_passes_the_sample_check_at_the_cli_sample_size():
    # with 20000 draws the CDF table has cells right next to y = 1/e, where W0 and W_{-1}
    # meet and floating point ruins the masses; those cells are recomputed with 30 digits
    d = transform_density("exp(-x)", T("y = x*exp(-x)"), support="x > 0")
    report = verify_density(d, n=20000, seed=0)
    assert report.passed, report.reason
    # one branch alone (the W0 side, X < 1, carries only 1 - 1/e of the mass) is still caught
    lonely = dataclasses.replace(d, pdf=sp.Piecewise((d.branches[0].contribution, sp.And(*d.support)),
                                                     (0, True)))
    assert not verify_density(lonely, n=20000, seed=0).passed


def test_a_density_left_as_an_integral_still_states_its_support():
    # the support is the image of the input support (known without the integral): the sum of
    # three Exp(lam) lives on y > 0 and the F(d1, d2) ratio on y > 0, never "everywhere"
    T3 = T("y = x1 + x2 + x3", inputs="x1 x2 x3")
    d = transform_density("lam**3*exp(-lam*(x1 + x2 + x3))", T3,
                          support="x1 > 0, x2 > 0, x3 > 0, lam > 0")
    y = var(d, "y")
    assert d.support == (y > 0,) and d.support_known and "everywhere" not in str(d)
    F = T("y = (x1/d1)/(x2/d2)", inputs="x1 x2")
    d = transform_density("x1**(d1/2 - 1)*exp(-x1/2)*x2**(d2/2 - 1)*exp(-x2/2)", F,
                          support="x1 > 0, x2 > 0, d1 > 0, d2 > 0")
    assert d.support == (var(d, "y") > 0,)


def test_an_unknown_support_is_said_to_be_unknown_not_everywhere():
    from dataclasses import replace

    d = transform_density("exp(-x)", T("y = 2*x"), support="x > 0")
    unknown = replace(d, support=(), support_known=False, closed_form=False)
    assert "support: not worked out" in str(unknown)
    assert unknown.to_dict()["support_known"] is False


def test_a_map_that_is_not_real_on_part_of_the_support_is_refused_not_half_a_density():
    # Y = sqrt(X) with X ~ N(0, 1) on the whole line: for x < 0 the map has no real value, so
    # half of the probability has nowhere to go; a "density" integrating to 1/2 would be wrong
    from symjac import DomainError

    with pytest.raises(DomainError, match=r"no real value .*Restrict the support .*x >= 0"):
        transform_density(PHI, T("y = sqrt(x)"))
    d = transform_density(f"2*{PHI}", T("y = sqrt(x)"), support="x > 0")  # the half-normal
    y = var(d, "y")
    assert sp.integrate(d.value, (y, 0, sp.oo)) == 1


def test_a_singular_double_integral_left_in_a_density_is_estimated_by_monte_carlo():
    """X1 + X2 + X3 with X_i = U_i² (density 1/(2 sqrt x) on (0, 1)): the double integral left
    in the density is singular on three faces, where quadrature gives nan; the value comes from
    quasi-Monte Carlo, which says so, and agrees with a seeded sample of U1² + U2² + U3²."""
    from symjac.densities.density import _integral_value

    w1, w2 = sp.symbols("w1 w2", real=True)
    y = sp.Rational(13, 10)
    inside = sp.And(w1 > 0, w2 > 0, w1 < 1, w2 < 1, y > w1 + w2, y < w1 + w2 + 1)
    integrand = sp.Piecewise((1 / (8 * sp.sqrt(w1) * sp.sqrt(w2) * sp.sqrt(y - w1 - w2)), inside),
                             (0, True))
    r = _integral_value(sp.Integral(integrand, (w1, -sp.oo, sp.oo), (w2, -sp.oo, sp.oo)), 1e-10, 60)
    assert r.method == "monte_carlo" and r.statistical and r.seed == 0
    assert "estimated by quasi-Monte Carlo" in r.warnings[0]
    rng = np.random.default_rng(1)
    s = (rng.random((4_000_000, 3)) ** 2).sum(axis=1)
    sampled = np.count_nonzero(np.abs(s - 1.3) < 0.01) / len(s) / 0.02  # ± about 0.004
    assert abs(r.value - sampled) < 5 * r.error + 0.02
