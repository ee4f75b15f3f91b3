"""Hypothesis strategies for random transforms: invertible affine maps, sparse polynomial maps."""

from __future__ import annotations

import sympy as sp
from hypothesis import assume
from hypothesis import strategies as st

from symjac import Transform

__all__ = ["invertible_affine", "polynomial_maps", "small_ints"]

small_ints = st.integers(min_value=-4, max_value=4)


def _symbols(names):
    return tuple(sp.Symbol(n, real=True) for n in names)


@st.composite
def invertible_affine(draw, inputs=("a", "b"), outputs=("u", "v")):
    """``outputs = A @ inputs + c`` with an integer matrix A of nonzero determinant.

    The drawn map carries its matrix as ``.matrix`` in the returned pair ``(T, A)``.
    """
    n = len(inputs)
    assert len(outputs) == n
    A = sp.Matrix(n, n, [draw(small_ints) for _ in range(n * n)])
    assume(A.det() != 0)
    c = [draw(small_ints) for _ in range(n)]
    xs, ys = _symbols(inputs), _symbols(outputs)
    exprs = tuple(sum(A[i, j] * xs[j] for j in range(n)) + c[i] for i in range(n))
    return Transform(xs, exprs, ys), A


@st.composite
def polynomial_maps(draw, inputs=("a", "b"), outputs=("u", "v"), max_degree=2, max_terms=3):
    """A sparse polynomial map: each output is its own input (so that the map is
    generically invertible) plus a few random monomials with small integer coefficients."""
    xs, ys = _symbols(inputs), _symbols(outputs)
    n = len(xs)
    exprs = []
    for i in range(len(ys)):
        e = xs[i % n]
        for _ in range(draw(st.integers(0, max_terms))):
            coeff = draw(small_ints.filter(bool))
            monomial = sp.Mul(*[xs[draw(st.integers(0, n - 1))]
                                for _ in range(draw(st.integers(1, max_degree)))])
            e += coeff * monomial
        exprs.append(e)
    return Transform(xs, tuple(exprs), ys)
