"""Jacobian matrices, determinants, volume elements, pseudo-determinants, sign, singular set.

Expected values are worked out by hand in the comments (2x2 determinants
ad - bc) or come from the standard textbook examples they cite.
"""

import time

import pytest
import sympy as sp

import symjac as sj
from symjac import DimensionError, Sign, SymjacError, SymjacTimeoutError, SymjacTypeError, Transform


def _names(t):
    return {s.name: s for s in t.inputs + t.parameters}


# ---------------------------------------------------------------------- determinants


def test_substitution_u_x2_over_y_has_determinant_3():
    # J = [[2x/y, -x^2/y^2], [-y^2/x^2, 2y/x]]: det = 4 - 1 = 3
    T = Transform.from_equations("u = x**2/y, v = y**2/x", domain="x > 0, y > 0")
    assert sj.jacobian_determinant(T) == 3
    assert sj.volume_element(T) == 3


def test_jacobian_matrix_shape_and_entries():
    T = Transform.from_equations("u = x*y*z, v = x + y")
    x, y, z = T.inputs
    J = sj.jacobian(T)
    assert isinstance(J, sp.ImmutableMatrix) and J.shape == (2, 3)
    assert J == sp.Matrix([[y * z, x * z, x * y], [1, 1, 0]])


@pytest.mark.parametrize("equations, domain, expected", [
    # u = x + y, v = y/(x+y): [[1, 1], [-y/(x+y)^2, x/(x+y)^2]] -> (x + y)/(x+y)^2
    ("u = x + y, v = y/(x + y)", "x > 0, y > 0", "1/(x + y)"),
    # x = u - u v, y = u v (the Beta-Gamma substitution): [[1 - v, -u], [v, u]] -> u
    ("x = u - u*v, y = u*v", "u > 0, 0 < v < 1", "u"),
    # u = x y, v = y/x^2: [[y, x], [-2y/x^3, 1/x^2]] -> y/x^2 + 2y/x^2
    ("u = x*y, v = y/x**2", "x > 0, y > 0", "3*y/x**2"),
    # inverse polar map: det = 1/r (the reciprocal of the polar r)
    ("r = sqrt(x**2 + y**2), theta = atan2(y, x)", "x > 0, y > 0", "1/sqrt(x**2 + y**2)"),
    # linear map with matrix [[1, 1], [1, -1]]
    ("u = x + y, v = x - y", None, "-2"),
    # upper triangular: product of the diagonal
    ("u = x + y**3, v = exp(y)", None, "exp(y)"),
])
def test_determinants_in_simplest_form(equations, domain, expected):
    T = Transform.from_equations(equations, domain=domain)
    det = sj.jacobian_determinant(T)
    assert det == sp.sympify(expected, locals=_names(T))


def test_polar_volume_element_is_r():
    assert sj.volume_element(sj.system("polar")) == sp.Symbol("r", positive=True)


def test_non_square_determinant_points_to_volume_element():
    T = Transform.from_equations("y = x1 + x2")
    with pytest.raises(DimensionError, match="volume_element"):
        sj.jacobian_determinant(T)


def test_simplest_forms_of_trigonometric_determinants():
    # the spherical determinant is r**2*sin(theta), not Abs(sin(theta)) nor a sum of products
    S = sj.system("spherical")
    r, theta, _ = S.inputs
    assert sj.volume_element(S) == r**2 * sp.sin(theta)
    # a rotation by an angle that depends on the point: det 1 after sin^2 + cos^2 = 1
    T = Transform.from_equations("u = x*cos(y) - y*sin(y), v = x*sin(y) + y*cos(y)")
    # [[cos y, -x sin y - sin y - y cos y], [sin y, x cos y + cos y - y sin y]] -> x + 1
    x, y = T.inputs
    assert sj.jacobian_determinant(T) == x + 1


# ---------------------------------------------------------------------- absolute values


def test_abs_kept_without_domain():
    T = Transform.from_equations("x = r*cos(t), y = r*sin(t)")
    r = T.inputs[0]
    assert sj.volume_element(T) == sp.Abs(r)
    a = sj.jacobian_analysis(T)
    assert a.abs_kept == (r,)
    assert "not decided by the domain" in a.steps[2].text


def test_abs_dropped_only_where_the_domain_proves_the_sign():
    T = Transform.from_equations("x = r*cos(t), y = r*sin(t)", domain="r > 0")
    assert sj.volume_element(T) == T.inputs[0]
    assert sj.jacobian_analysis(T).abs_kept == ()


def test_negative_factor_is_flipped_not_dropped():
    T = Transform.from_equations("u = x**2", domain="x < 0")
    x = T.inputs[0]
    assert sj.volume_element(T) == -2 * x


def test_abs_kept_on_an_undecidable_factor_only():
    T = Transform.from_equations("u = x*y, v = y", domain="y > 0")
    x, y = T.inputs
    assert sj.jacobian_determinant(T) == y
    T2 = Transform.from_equations("u = x*y, v = x*z, w = z", domain="z > 0")
    x, y, z = T2.inputs
    # [[y, x, 0], [z, 0, x], [0, 0, 1]] -> -x z
    assert sj.volume_element(T2) == z * sp.Abs(x)


# ---------------------------------------------------------------------- sign and singular set


def test_sign_and_singular_set_are_data():
    a = sj.jacobian_analysis(sj.system("polar"))
    r = a.transform.inputs[0]
    assert a.sign is Sign.POSITIVE
    assert a.singular_set == (sp.Eq(r, 0, evaluate=False),)
    s = sj.jacobian_analysis(sj.system("spherical"))
    r, theta, _ = s.transform.inputs
    assert s.sign is Sign.POSITIVE  # r**2*sin(theta) > 0 on 0 < theta < pi
    assert set(s.singular_set) == {sp.Eq(r, 0, evaluate=False), sp.Eq(theta, 0, evaluate=False),
                                  sp.Eq(theta, sp.pi, evaluate=False)}


def test_sign_changes_and_negative():
    a = sj.jacobian_analysis(Transform.from_equations("y = x**2"))
    x = a.transform.inputs[0]
    assert a.sign is Sign.CHANGES and a.singular_set == (sp.Eq(x, 0),)
    assert sj.jacobian_analysis(Transform.from_equations("u = x + y, v = x - y")).sign \
        is Sign.NEGATIVE


def test_sign_unknown_is_reported_not_guessed():
    # sign of exp(x) - 2 on x > 0 changes at log 2; sampling finds both signs
    a = sj.jacobian_analysis(Transform.from_equations("u = exp(x) - 2*x", domain="x > 0"))
    assert a.sign is Sign.CHANGES
    assert a.abs_kept


def test_singular_set_is_solved_for_a_variable():
    a = sj.jacobian_analysis(Transform.from_equations("u = x*y, v = x + y"))
    x, y = a.transform.inputs
    # det = y - x
    assert a.singular_set == (sp.Eq(x, y),)


def test_rank_deficient_square_map():
    a = sj.jacobian_analysis(Transform.from_equations("u = x + y, v = 2*x + 2*y"))
    assert a.determinant == 0 and a.volume_element == 0
    assert a.sign is Sign.ZERO
    assert a.singular_set == (sp.true,)
    assert "0 everywhere" in a.steps[-1].text


# ---------------------------------------------------------------------- pseudo-determinants


def test_pseudo_determinant_of_linear_functional_is_norm():
    T = Transform.from_equations("y = 3*x1 + 4*x2")
    assert sj.pseudo_determinant(T) == 5


def test_pseudo_determinant_of_mu_transpose_x_is_norm_of_mu():
    # J = mu^T, J J^T = |mu|^2
    T = Transform.from_equations("y = m1*x1 + m2*x2 + m3*x3", inputs="x1 x2 x3")
    m = _names(T)
    assert sj.pseudo_determinant(T) == sp.sqrt(m["m1"] ** 2 + m["m2"] ** 2 + m["m3"] ** 2)
    a = sj.jacobian_analysis(T)
    assert a.kind == "rows" and a.determinant is None


def test_sphere_of_radius_a_gives_a2_sin_theta():
    sphere = Transform.from_equations(
        "x = a*sin(theta)*cos(phi), y = a*sin(theta)*sin(phi), z = a*cos(theta)",
        inputs="theta phi", domain="a > 0, 0 < theta < pi, 0 < phi < 2*pi")
    s = _names(sphere)
    assert sj.pseudo_determinant(sphere) == s["a"] ** 2 * sp.sin(s["theta"])
    assert sj.volume_element(sphere) == s["a"] ** 2 * sp.sin(s["theta"])
    assert sj.jacobian_analysis(sphere).kind == "columns"


def test_curve_length_element():
    # the unit circle t -> (cos t, sin t) has speed 1; the helix (cos t, sin t, c t) sqrt(1 + c^2)
    assert sj.pseudo_determinant(Transform.from_equations("x = cos(t), y = sin(t)")) == 1
    helix = Transform.from_equations("x = cos(t), y = sin(t), z = c*t", inputs="t")
    assert sj.pseudo_determinant(helix) == sp.sqrt(_names(helix)["c"] ** 2 + 1)


@pytest.mark.parametrize("equations", ["u = x + y + z, v = 2*x + 2*y + 2*z",
                                       "x = s + t, y = s + t, z = s + t"])
def test_rank_deficient_pseudo_determinant_is_zero_and_says_why(equations):
    a = sj.jacobian_analysis(Transform.from_equations(equations))
    assert a.volume_element == 0
    assert any("full rank" in step.text for step in a.steps)


def test_square_pseudo_determinant_is_the_volume_element():
    assert sj.pseudo_determinant(sj.system("polar")) == sj.system("polar").inputs[0]


# ---------------------------------------------------------------------- time limits and bad input


def _dense_polynomial_map(n):
    xs = sp.symbols(f"x1:{n + 1}", real=True)
    ys = sp.symbols(f"y1:{n + 1}", real=True)
    exprs = [sum((i + j + 1) * xs[j] ** ((i * j) % 3 + 1) * xs[(i + j) % n] for j in range(n))
             for i in range(n)]
    return Transform(xs, exprs, ys)


def test_tiny_timeout_raises_quickly():
    T = _dense_polynomial_map(7)
    start = time.perf_counter()
    with pytest.raises(SymjacTimeoutError, match="took longer than its time limit"):
        sj.volume_element(T, timeout=0.01)
    assert time.perf_counter() - start < 2.0
    with pytest.raises(SymjacTimeoutError):
        sj.jacobian_analysis(T, timeout=0.01)


def test_timeout_is_not_cached_as_a_result():
    T = Transform.from_equations("u = x**3 + y, v = y**3 - x")
    # a failed (timed-out) call must not poison later calls with a larger limit
    try:
        sj.volume_element(T, timeout=1e-6)
    except SymjacTimeoutError:
        pass
    x, y = T.inputs
    assert sj.jacobian_determinant(T, timeout=30) == 9 * x**2 * y**2 + 1


@pytest.mark.parametrize("bad", ["polar", None, 3, sp.Symbol("x")])
def test_wrong_argument_type(bad):
    for f in (sj.jacobian, sj.jacobian_determinant, sj.volume_element, sj.pseudo_determinant,
              sj.jacobian_analysis):
        with pytest.raises(SymjacTypeError, match="expected a Transform"):
            f(bad)


@pytest.mark.parametrize("timeout", ["10", True, float("nan")])
def test_bad_timeout(timeout):
    with pytest.raises(SymjacError, match="timeout must be a number"):
        sj.volume_element(sj.system("polar"), timeout=timeout)


# ---------------------------------------------------------------------- steps and LaTeX


def test_steps_tell_the_story():
    a = sj.jacobian_analysis(sj.system("polar"))
    texts = [s.text for s in a.steps]
    assert texts[0].startswith("Differentiate")
    assert any("orthogonal" in t for t in texts)
    assert "r = 0" in texts[-1]


def test_latex_document_compiles(tmp_path):
    import shutil
    import subprocess

    from symjac.latex import to_latex

    if shutil.which("pdflatex") is None:
        pytest.skip("pdflatex is not installed")
    for t in (sj.system("spherical"), Transform.from_equations("y = m1*x1 + m2*x2", inputs="x1 x2"),
              Transform.from_equations("u = x*y, v = x + y")):
        source = to_latex(sj.jacobian_analysis(t), steps=True, document=True)
        (tmp_path / "doc.tex").write_text(source, encoding="utf-8")
        done = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "doc.tex"],
                              cwd=tmp_path, capture_output=True, timeout=60)
        assert done.returncode == 0, done.stdout[-2000:]


def test_latex_maps_unicode_in_sentences():
    from symjac.derivation import Derivation
    from symjac.latex import to_latex

    out = to_latex(Derivation().then("JᵀJ is diagonal, sin² + cos² = 1, ∂x/∂q ≥ 0"))
    assert out.isascii() and r"\partial" in out


# ---------------------------------------------------------------- printing in a terminal


def test_analysis_prints_readably():
    # polar coordinates: J = [[cos, -r sin], [sin, r cos]], det J = r > 0, singular at r = 0
    text = str(sj.jacobian_analysis(sj.system("polar")))
    assert text.splitlines() == [
        "Jacobian of x = r*cos(theta), y = r*sin(theta)  on  r > 0, 0 < theta, theta < 2*pi",
        "    J = [cos(theta)  -r*sin(theta)]",
        "        [sin(theta)   r*cos(theta)]",
        "    det J = r",
        "    |det J| = r",
        "    sign of det J on the domain: positive",
        "    singular where r = 0",
    ]


def test_analysis_prints_the_kept_absolute_value_and_the_length_element():
    free = str(sj.jacobian_analysis(Transform.from_equations("x = r*cos(t), y = r*sin(t)")))
    assert "    |det J| = Abs(r)" in free and "|.| kept around r" in free
    # the curve (t, t²) has length element sqrt(1 + 4t²)
    curve = str(sj.jacobian_analysis(Transform.from_equations("x = t, y = t**2")))
    assert "volume element sqrt(det(Jᵀ J)) = sqrt(4*t**2 + 1)" in curve
    assert "JacobianAnalysis(" not in curve
