"""The inverse's Jacobian determinant without the inverse: ``1/det J`` written in the outputs.

By the inverse function theorem ``det d(inputs)/d(outputs) = 1/det J``; ``inverse_determinant``
writes it in the outputs by substitution or elimination, which also tells a student what is
known when no formula for the inverse is found.
"""

from __future__ import annotations

import sympy as sp

from ..jacobian import jacobian_determinant
from ..timeouts import DEFAULT_TIMEOUT, time_limit
from ..transform import Transform

__all__ = ["inverse_determinant"]


def inverse_determinant(t: Transform, *, timeout: float | None = DEFAULT_TIMEOUT) -> sp.Expr | None:
    """``det d(inputs)/d(outputs) = 1/det J`` written in the outputs, without solving.

    Returns None when ``det J`` cannot be written as a function of the outputs.

    >>> from symjac import Transform
    >>> from symjac.inverse.determinant import inverse_determinant
    >>> inverse_determinant(Transform.from_equations("u = x*y, v = y/x**2"))
    1/(3*v)
    """
    with time_limit(timeout, f"writing 1/det J of {t} in its outputs"):
        det = jacobian_determinant(t, timeout=timeout)
        return _in_outputs(1 / det, t)


def _in_outputs(expr: sp.Expr, t: Transform) -> sp.Expr | None:
    """``expr`` (in the inputs) rewritten in the outputs, or None."""
    ins = set(t.inputs)
    if not expr.free_symbols & ins:
        return expr
    e = expr
    for f, y in sorted(zip(t.exprs, t.outputs), key=lambda p: -sp.count_ops(p[0])):
        e = e.subs(f, y)
        if not e.free_symbols & ins:
            return sp.factor(e)
    # elimination: D * den - num = 0 with y_i * den_i - num_i = 0, eliminate the inputs
    D = sp.Dummy("D")
    num, den = sp.fraction(sp.together(expr))
    polys = [sp.expand(D * den - num)]
    for f, y in zip(t.exprs, t.outputs):
        n_, d_ = sp.fraction(sp.together(f))
        polys.append(sp.expand(y * d_ - n_))
    if not all(p.is_polynomial(*t.inputs, D) for p in polys):
        return None
    try:
        G = sp.groebner(polys, *t.inputs, D, order="lex")
    except (sp.PolynomialError, NotImplementedError):
        return None
    for g in G.exprs:
        if g.free_symbols & ins or not g.has(D):
            continue
        if sp.degree(g, D) == 1:
            a = g.coeff(D, 1)
            b = g.coeff(D, 0)
            return sp.factor(-b / a)
    return None
