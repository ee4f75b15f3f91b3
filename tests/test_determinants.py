"""Sparse exact determinants: equal to SymPy's own determinant, with and without FLINT.

The oracle is SymPy: ``Matrix.det`` (Berkowitz) on integer matrices, ``DomainMatrix.det`` over
polynomial rings and fraction fields. The volume elements symjac prints must not change when the
determinant runs on FLINT instead of SymPy's DomainMatrix.
"""

from __future__ import annotations

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from sympy.polys.matrices import DomainMatrix

import symjac as sj
import symjac.algebra as algebra
import symjac.determinants as determinants
from symjac.determinants import domain_determinant, flint_factor_list, sparse_determinant
from symjac.jacobian import clear_cache


def _exact(a, b):
    q, r = divmod(a, b)
    assert r == 0
    return q


@st.composite
def sparse_integer_matrices(draw, max_n=7):
    n = draw(st.integers(1, max_n))
    density = draw(st.sampled_from([0.15, 0.3, 0.5, 0.9]))
    entries = draw(st.lists(st.tuples(st.floats(0, 1), st.integers(-3, 3)),
                            min_size=n * n, max_size=n * n))
    return [[v if u < density else 0 for u, v in entries[i * n:(i + 1) * n]] for i in range(n)]


@st.composite
def sparse_polynomial_maps(draw, min_n=2, max_n=6, rational=False):
    """x_i plus two random degree-2 monomials each (as bench/bench_jacobian.py draws them);
    with ``rational``, some outputs divided by 1 + x_j**2."""
    n = draw(st.integers(min_n, max_n))
    xs = sp.symbols(f"x1:{n + 1}", real=True)
    ys = sp.symbols(f"y1:{n + 1}", real=True)
    index = st.integers(0, n - 1)
    exprs = []
    for i in range(n):
        e = xs[i]
        for _ in range(2):
            coeff = draw(st.integers(-3, 3).filter(bool))
            e += coeff * xs[draw(index)] * xs[draw(index)]
        if rational and draw(st.booleans()):
            e = e / (1 + xs[draw(index)] ** 2)
        exprs.append(e)
    return sj.Transform(xs, tuple(exprs), ys)


@settings(max_examples=60)
@given(sparse_integer_matrices())
def test_integer_matrices_match_sympy(rows):
    assert sparse_determinant(rows, 0, _exact) == sp.Matrix(rows).det()


@settings(max_examples=30)
@given(sparse_integer_matrices(max_n=6))
def test_elimination_matches_expansion(rows):
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(determinants, "MAX_MINORS", -1)  # every block by Bareiss elimination
        eliminated = sparse_determinant(rows, 0, _exact)
    assert eliminated == sparse_determinant(rows, 0, _exact) == sp.Matrix(rows).det()


def test_structurally_singular_and_block_triangular():
    # no permutation reaches a nonzero diagonal: column 2 is empty
    assert sparse_determinant([[1, 2, 0], [3, 4, 0], [5, 6, 0]], 0, _exact) == 0
    # two 2x2 blocks hidden by a permutation of the rows
    rows = [[0, 0, 1, 2], [5, 6, 7, 8], [0, 0, 3, 4], [1, 2, 9, 9]]
    assert sparse_determinant(rows, 0, _exact) == sp.Matrix(rows).det() == 8
    assert sparse_determinant([], 0, _exact) == 1


@settings(max_examples=20)
@given(sparse_polynomial_maps())
def test_polynomial_jacobians_match_sympy(t):
    M = sj.jacobian(t)
    dm = DomainMatrix.from_Matrix(M)
    det = domain_determinant(dm)
    assert det == dm.det()
    assert sp.expand(dm.domain.to_sympy(det) - M.det(method="berkowitz")) == 0


@settings(max_examples=15)
@given(sparse_polynomial_maps(max_n=5, rational=True))
def test_rational_jacobians_match_sympy(t):
    dm = DomainMatrix.from_Matrix(sj.jacobian(t))
    assert domain_determinant(dm) == dm.det()


@settings(max_examples=15)
@given(sparse_polynomial_maps(max_n=5))
def test_same_without_flint(t):
    dm = DomainMatrix.from_Matrix(sj.jacobian(t))
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(determinants, "HAVE_FLINT", False)
        without = domain_determinant(dm)
    assert without == domain_determinant(dm) == dm.det()


@pytest.mark.skipif(not determinants.HAVE_FLINT, reason="python-flint is not installed")
@settings(max_examples=15)
@given(sparse_polynomial_maps(max_n=5))
def test_flint_factors_like_sympy(t):
    dm = DomainMatrix.from_Matrix(sj.jacobian(t) * sp.Rational(1, 2))
    for K in (dm.domain, dm.domain.get_ring() if dm.domain.is_Field else dm.domain):
        p = dm.convert_to(K).det() if K == dm.domain else DomainMatrix.from_Matrix(
            sj.jacobian(t)).det()
        assert flint_factor_list(p) == p.factor_list()


def _sympy_route(monkeypatch):
    """The determinant path as it was: DomainMatrix.det and SymPy's factor_list."""
    monkeypatch.setattr(algebra, "domain_determinant", lambda dm: dm.det())
    monkeypatch.setattr(algebra, "flint_factor_list", lambda p: None)


SAME_SYSTEMS = [("polar", {}), ("spherical", {}), ("cylindrical", {}), ("elliptic", {}),
                ("parabolic", {}), ("parabolic3d", {}), ("prolate_spheroidal", {}),
                ("bipolar", {}), ("toroidal", {}), ("hyperspherical", {"n": 5})]


@pytest.mark.parametrize(("name", "options"), SAME_SYSTEMS)
def test_volume_elements_unchanged_for_named_systems(name, options, monkeypatch):
    t = sj.system(name, **options)
    clear_cache()
    now = (sj.jacobian_determinant(t), sj.volume_element(t))
    clear_cache()
    _sympy_route(monkeypatch)
    assert (sj.jacobian_determinant(t), sj.volume_element(t)) == now
    clear_cache()


@settings(max_examples=10)
@given(sparse_polynomial_maps(max_n=5, rational=True))
def test_volume_elements_unchanged_for_random_maps(t):
    clear_cache()
    now = sj.jacobian_determinant(t, timeout=None)
    clear_cache()
    with pytest.MonkeyPatch.context() as mp:
        _sympy_route(mp)
        before = sj.jacobian_determinant(t, timeout=None)
    clear_cache()
    assert now == before


@settings(max_examples=60)
@given(st.lists(st.tuples(st.integers(-4, 4), st.lists(st.integers(0, 2), min_size=3,
                                                        max_size=3)), min_size=2, max_size=6))
def test_primitive_polynomials_are_left_as_factor_terms_leaves_them(terms):
    x = sp.symbols("x1:4", real=True)
    f = sp.Add(*[c * sp.Mul(*[v**k for v, k in zip(x, ks)]) for c, ks in terms])
    if algebra._primitive_polynomial(f):
        assert sp.factor_terms(f) == f


@settings(max_examples=40)
@given(st.lists(st.tuples(st.fractions(max_denominator=5), st.lists(st.integers(0, 3), min_size=3,
                                                                    max_size=3)),
                min_size=1, max_size=6),
       st.lists(st.tuples(st.integers(-40, 40), st.integers(1, 9)), min_size=3, max_size=3))
def test_exact_evaluation_of_a_sign_probe_equals_substitution(terms, point):
    from symjac.algebra import exact_evaluator as _exact_evaluator

    x = sp.symbols("x1:4", real=True)
    f = sp.Add(*[sp.Rational(c.numerator, c.denominator) * sp.Mul(*[v**k for v, k in zip(x, ks)])
                 for c, ks in terms]) + sp.sin(x[0]) * 0
    at = {v: sp.Rational(p, q) for v, (p, q) in zip(x, point)}
    assert _exact_evaluator(f, list(x))(at) == f.xreplace(at)
    assert _exact_evaluator(f + sp.sin(x[1]), list(x))(at) == (f + sp.sin(x[1])).xreplace(at)


@settings(max_examples=80)
@given(st.dictionaries(st.tuples(st.integers(0, 3), st.integers(0, 2), st.integers(0, 2)),
                       st.fractions(min_value=-9, max_value=9, max_denominator=4).filter(bool),
                       min_size=0, max_size=12),
       st.sampled_from([("x", "y", "z"), ("x2", "x10", "x1"), ("b", "a", "c")]))
def test_polynomial_expr_is_the_expression_sympy_builds(terms, names):
    # the oracle is SymPy's own Add and Mul: the same arguments in the same order, not only equal
    xs = sp.symbols(names, real=True)
    pairs = [(m, sp.Rational(c.numerator, c.denominator)) for m, c in terms.items()]
    expected = sp.Add(*[c * sp.Mul(*[v**k for v, k in zip(xs, m)]) for m, c in pairs])
    built = determinants.polynomial_expr(pairs, xs)
    assert built == expected and built.args == expected.args
    assert sp.srepr(built) == sp.srepr(expected) and hash(built) == hash(expected)


def test_polynomial_expr_needs_plain_symbols():
    x = sp.Symbol("x")
    with pytest.raises(TypeError, match="plain symbols"):
        determinants.polynomial_expr([((1,), sp.Integer(1))], (sp.sqrt(x),))


def _product_of_factors(ring, d):
    """RingMatrix.factored as SymPy's Mul builds it, factor by factor (the oracle)."""
    K = ring.dm.domain
    parts = ((d.numer, 1), (d.denom, -1)) if K.is_FractionField else ((d, 1),)
    out = sp.S.One
    for p, power in parts:
        coeff, factors = p.factor_list()
        out *= p.ring.domain.to_sympy(coeff) ** power
        for f, k in factors:
            out *= f.as_expr().xreplace(ring.back) ** (k * power)
    return out


@pytest.mark.parametrize("equations", [
    "u = 2*x + 2*y, v = x - y",            # a number in front of one factor: Mul distributes it
    "u = -x*y - x, v = x + y**2",
    "u = 3*x*y + 6*x, v = y",              # a monomial factor and a number
    "u = (x + y)/(1 + x**2), v = x*y/2",   # a fraction field
    "u = x**2/y, v = y**2/x",
    "x = 2*r*cos(t), y = 3*r*sin(t)",      # atoms (cos t, sin t) among the generators
])
def test_factored_determinant_is_the_product_sympy_builds(equations):
    ring = algebra.RingMatrix.from_transform(sj.Transform.from_equations(equations))
    d = ring.ring_det()
    got, expected = ring.factored(d), _product_of_factors(ring, d)
    assert got == expected and sp.srepr(got) == sp.srepr(expected)


@settings(max_examples=15)
@given(sparse_polynomial_maps(max_n=6))
def test_factored_determinants_of_random_maps_are_the_product_sympy_builds(t):
    ring = algebra.RingMatrix.from_transform(t)
    d = ring.ring_det()
    assert sp.srepr(ring.factored(d)) == sp.srepr(_product_of_factors(ring, d))


@settings(max_examples=80)
@given(st.lists(st.tuples(st.integers(-4, 4).filter(bool), st.lists(st.integers(0, 2), min_size=3,
                                                                    max_size=3)),
                min_size=1, max_size=7))
def test_minus_sign_counted_like_sympy(terms):
    x = sp.symbols("x1:4", real=True)
    f = sp.Add(*[c * sp.Mul(*[v**k for v, k in zip(x, ks)]) for c, ks in terms])
    assert determinants.could_extract_minus_sign(f) == f.could_extract_minus_sign()
    g = f + sp.sin(x[0])  # not a polynomial: SymPy's own answer
    assert determinants.could_extract_minus_sign(g) == g.could_extract_minus_sign()
