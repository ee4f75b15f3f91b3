"""The one numeric probe: formulas evaluated at seeded points, to decide what algebra cannot.

Some symbolic questions are settled at sample points: is a determinant identically zero, do two
formulas agree, does a branch give back its input. Every such decision uses ``evaluate_at``
(values with floating-point warnings silenced, as complex numbers where a formula may leave the
reals), ``agree`` or ``identically_zero``, and draws its points from ``rng_for(decision)``: the
seeds are named in one table, ``SEEDS``, so a result can say which seeded decision it relied on.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import sympy as sp

__all__ = ["SEEDS", "rng_for", "lambdify_numeric", "evaluate_at", "agree", "identically_zero"]

#: Every seeded decision in symjac, by name. Changing a seed changes which points decide.
SEEDS: dict[str, int] = {
    "identically zero": 7,          # is det J zero everywhere (inversion)
    "round trip": 7,                # does a density branch give its input back
    "coverage": 5,                  # do the branches cover the whole support
    "positivity": 3,                # is a formula positive on a domain (inverse strategies)
    "missing sign": 11,             # which sign condition a branch formula needs
    "first point": 0,               # one point inside a piece of a domain
    "sign change": 99,              # does a polynomial factor change sign (|det J|)
    "orthogonal columns": 12345,    # is JᵀJ diagonal (determinant strategy)
    "determinant sign": 2024,       # det J = +root or -root
    "same density": 12345,          # is a derived density a known family's
    "tidy by sign pattern": 31,     # do a domain and its sign-resolved form agree
}


def rng_for(decision: str) -> np.random.Generator:
    """A fresh generator with the seed ``SEEDS[decision]``.

    >>> from symjac.domains.probe import rng_for
    >>> float(rng_for("coverage").uniform()) == float(rng_for("coverage").uniform())
    True
    """
    return np.random.default_rng(SEEDS[decision])


def lambdify_numeric(symbols: Sequence[sp.Symbol], exprs: Sequence[sp.Expr]):
    """A NumPy function of ``symbols`` returning the list of ``exprs`` (SciPy's special functions
    included)."""
    return sp.lambdify(tuple(symbols), list(exprs), modules=["scipy", "numpy"])


def evaluate_at(f, columns: np.ndarray, n: int, *, complex_: bool = False) -> np.ndarray:
    """Rows of values of ``f`` (from ``lambdify_numeric``) at the rows of ``columns``.

    With ``complex_=True`` the points are passed as complex numbers, so a formula that leaves the
    reals (``sqrt`` of a negative number) gives a complex value instead of ``nan``.

    >>> import numpy as np, sympy as sp
    >>> from symjac.domains.probe import evaluate_at, lambdify_numeric
    >>> x = sp.Symbol("x")
    >>> evaluate_at(lambdify_numeric([x], [sp.sqrt(x), 2]), np.array([[4.0], [-1.0]]), 2,
    ...             complex_=True)
    array([[2.+0.j, 2.+0.j],
           [0.+1.j, 2.+0.j]])
    """
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        args = columns.T.astype(complex) if complex_ else columns.T
        try:
            out = f(*args)
        except (TypeError, ValueError, ZeroDivisionError, AttributeError):
            if not complex_:
                raise
            out = f(*columns.T)
        return np.stack([np.broadcast_to(np.asarray(v, dtype=complex), (n,)) for v in out], axis=1)


def agree(values: np.ndarray, expected: np.ndarray, *, rtol: float = 1e-7) -> bool:
    """Whether complex ``values`` are real and equal ``expected`` to ``rtol`` (relative to max(1, |x|)).

    >>> import numpy as np
    >>> from symjac.domains.probe import agree
    >>> agree(np.array([1 + 1e-12j, 2.0]), np.array([1.0, 2.0])), agree(np.array([1j]), np.array([0.0]))
    (True, False)
    """
    tol = rtol * np.maximum(1.0, np.abs(expected))
    return bool(np.all(np.abs(np.imag(values)) <= tol) and np.all(np.abs(np.real(values) - expected) <= tol))


def identically_zero(expr: sp.Expr, *, low: float = 0.2, high: float = 1.7, points: int = 6) -> bool:
    """Whether ``expr`` is zero for all values of its symbols: zero at seeded points in
    ``(low, high)`` and then proved zero by SymPy. An expression without a numeric form is not
    shown to be zero.

    >>> import sympy as sp
    >>> from symjac.domains.probe import identically_zero
    >>> x, y = sp.symbols("x y")
    >>> identically_zero(sp.sin(x)**2 + sp.cos(x)**2 - 1), identically_zero(x*y - y*x + 1e-20*x)
    (True, False)
    """
    if expr.is_zero:
        return True
    if expr.is_number:
        return False
    syms = tuple(sorted(expr.free_symbols, key=str))
    rng = rng_for("identically zero")
    try:
        f = sp.lambdify(syms, expr, modules="numpy")
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            values = np.array([complex(f(*rng.uniform(low, high, len(syms)))) for _ in range(points)])
    except (NameError, TypeError, ValueError, sp.printing.codeprinter.PrintMethodNotImplementedError):
        return False  # no numeric form (DiracDelta, Derivative(floor(x))): not shown to be zero
    if np.all(np.abs(values) < 1e-12):
        return bool(sp.simplify(expr) == 0) or bool(expr.equals(0))
    return False
