"""Order statistics: the density of the k-th smallest of n independent copies of a variable.

``order_statistic(pdf, n=3, k=2)`` uses the textbook formula
``f_(k)(y) = n! / ((k-1)! (n-k)!) F(y)^(k-1) (1 - F(y))^(n-k) f(y)`` with the CDF ``F``
integrated exactly, and keeps the map (a ``Min``/``Max`` of the copies) so that
``verify_density`` can check the result against samples of the copies themselves.
"""

from __future__ import annotations

import itertools

import sympy as sp

from ..derivation import Derivation
from ..domains import assume_support, substitute_conditions, support_intervals
from ..errors import DimensionError, SymjacTimeoutError
from ..timeouts import DEFAULT_TIMEOUT, time_limit
from ..transform import Transform
from .assembly import family_of
from .density import Density
from .marginals import interval_condition
from .source import SourceDensity, _read_source

__all__ = ["order_statistic"]


def order_statistic(pdf: object, *, n: int, k: int, variable: str = "x", support: object = None,
                    timeout: float | None = DEFAULT_TIMEOUT) -> Density:
    """The density of the ``k``-th smallest of ``n`` independent copies of a variable.

    Args:
        pdf: The density of one copy, in ``variable`` (text, SymPy or a sympy.stats variable).
        n: How many copies.
        k: Which one, counting from the smallest (``k = 1`` the minimum, ``k = n`` the maximum).
        variable: The name of the variable in ``pdf``.
        support: Where ``pdf`` applies (``"x > 0, lam > 0"``), as for ``transform_density``.
        timeout: Seconds for the CDF integral.

    Raises:
        DimensionError: If ``n`` or ``k`` is out of range.

    >>> from symjac.densities.order import order_statistic
    >>> d = order_statistic("1", n=3, k=2, support="0 < x < 1")
    >>> d.pdf
    Piecewise((6*y*(1 - y), (y > 0) & (y < 1)), (0, True))
    >>> print(d.family)
    Beta(alpha=2, beta=2)
    """
    if not (isinstance(n, int) and isinstance(k, int)) or n < 1 or not 1 <= k <= n or n > 12:
        raise DimensionError(f"the order statistic needs whole numbers 1 <= k <= n <= 12; got "
                             f"n = {n!r}, k = {k!r}.", value=(n, k), expected="1 <= k <= n <= 12")
    y = sp.Symbol("y", real=True)
    one = Transform.from_equations(f"y = {variable}", inputs=variable)
    expr, conds, one, _ = _read_source(pdf, one, support)
    x = one.inputs[0]
    lo, hi = (support_intervals(conds, (x,)) or {x: (-sp.oo, sp.oo)})[x]
    where = interval_condition(y, lo, hi)
    twin = assume_support((y,), [where]).get(y, y)
    try:
        with time_limit(timeout, "integrating the density to its CDF"):
            cdf = sp.simplify(sp.integrate(expr, (x, lo, twin), conds="none"))
    except (SymjacTimeoutError, NotImplementedError, ValueError, TypeError):
        cdf = sp.Integral(expr, (x, lo, twin))
    f_y = expr.xreplace({x: twin})
    factor = sp.factorial(n) / (sp.factorial(k - 1) * sp.factorial(n - k))
    value = sp.simplify(factor * cdf ** (k - 1) * (1 - cdf) ** (n - k) * f_y).xreplace({twin: y})
    pdf_y = sp.Piecewise((value, where), (0, True)) if where is not sp.true else value
    support_y = tuple(where.args) if isinstance(where, sp.And) else \
        (() if where is sp.true else (where,))
    copies = sp.symbols(f"{x.name}1:{n + 1}", real=True)
    source = SourceDensity(sp.Mul(*(expr.xreplace({x: c}) for c in copies)), copies,
                           tuple(c2 for c in copies for c2 in substitute_conditions(
                               conds, {x: c}, evaluate=False)))
    chosen = _kth_smallest(copies, k)
    t = Transform(copies, (chosen,), (y,), (), one.parameters)
    closed = not value.has(sp.Integral)
    steps = Derivation().then(
        f"Y is the {_ordinal(k)} smallest of {n} independent copies of {x}, whose density and "
        "CDF are", {"f": expr, "F": cdf.xreplace({twin: y})}).then(
        f"Y ≤ y when at least {k} of the copies are ≤ y; differentiating the binomial sum gives "
        "f_(k)(y) = n!/((k-1)!(n-k)!) F(y)^(k-1) (1 - F(y))^(n-k) f(y).", {"f_Y": pdf_y})
    family = family_of(pdf_y, (y,), support_y) if closed else None
    if family is not None:
        steps = steps.then(f"This is the {family} density.")
    return Density(pdf_y, (y,), support_y, (), family, source, t, True, (), (), closed, steps)


def _kth_smallest(xs: tuple[sp.Symbol, ...], k: int) -> sp.Expr:
    """The k-th smallest as Min/Max: the smallest of the largest of every k of them."""
    if k == 1:
        return sp.Min(*xs)
    if k == len(xs):
        return sp.Max(*xs)
    return sp.Min(*(sp.Max(*c) for c in itertools.combinations(xs, k)))


def _ordinal(k: int) -> str:
    return {1: "1st", 2: "2nd", 3: "3rd"}.get(k, f"{k}th")
