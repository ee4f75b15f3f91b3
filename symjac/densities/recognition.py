"""Recognise a standard family (χ², Gamma, Student t, Weibull, ...) in a derived density.

``recognise_family(pdf, variables, intervals)`` proposes parameters for the
candidate families of the support from the score ``d log f / dy`` (which does
not depend on the normalising constant), builds each candidate's density and
accepts one only when it equals the given density, by symbolic simplification
or, failing that, at random points: a proposal can be wrong, an accepted
family cannot. Products of independent one-dimensional families are found too
(Rayleigh × Uniform for the polar map of a normal pair).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence

import sympy as sp

from ..domains.probe import rng_for
from ..errors import SymjacTimeoutError
from ..timeouts import time_limit
from .families import FAMILIES, Family, Interval, family_pdf

__all__ = ["recognise_family"]

_R = (-sp.oo, sp.oo)
_FAILURES = (SymjacTimeoutError, ValueError, TypeError, NotImplementedError, ZeroDivisionError,
             sp.PolynomialError, AttributeError, RecursionError, IndexError)


def recognise_family(pdf: sp.Expr, variables: Sequence[sp.Symbol],
                     intervals: Mapping[sp.Symbol, Interval], *,
                     timeout: float | None = 10.0) -> Family | None:
    """The standard family ``pdf`` belongs to, with its parameters, or None.

    Args:
        pdf: The density on its support (``Piecewise`` only for piecewise families).
        variables: Its variables.
        intervals: The support of each variable as ``(low, high)``; a
            multi-dimensional support must be a box for a product to be found.
        timeout: Seconds for the symbolic comparisons.

    >>> import sympy as sp
    >>> from symjac.densities.recognition import recognise_family
    >>> y = sp.Symbol("y", positive=True)
    >>> print(recognise_family(sp.exp(-y/2)/sp.sqrt(2*sp.pi*y), [y], {y: (0, sp.oo)}))
    ChiSquared(k=1)
    >>> print(recognise_family(3*y**2*sp.exp(-y**3), [y], {y: (0, sp.oo)}))
    Weibull(k=3, lam=1)
    """
    variables = tuple(variables)
    try:
        with time_limit(timeout, "recognising the family of the density"):
            if len(variables) == 1:
                y = variables[0]
                lo, hi = intervals.get(y, _R)
                return _recognise_1d(sp.sympify(pdf), y, sp.sympify(lo), sp.sympify(hi))
            return _recognise_product(sp.sympify(pdf), variables, intervals)
    except _FAILURES:
        return None


def _recognise_product(g: sp.Expr, variables: tuple[sp.Symbol, ...],
                       intervals: Mapping[sp.Symbol, Interval]) -> Family | None:
    if any(v not in intervals for v in variables):
        return None
    split = sp.expand_power_exp(sp.powsimp(g, combine="base"))
    split = sp.expand_power_base(split, force=False)
    parts: dict[sp.Symbol, sp.Expr] = {v: sp.S.One for v in variables}
    for factor in sp.Mul.make_args(split):
        owners = [v for v in variables if v in factor.free_symbols]
        if len(owners) > 1:
            return None
        if owners:
            parts[owners[0]] *= factor
    comps = []
    for v in variables:
        lo, hi = (sp.sympify(b) for b in intervals[v])
        found = next((f for f in _candidates(parts[v], v, lo, hi)
                      if _proportional(parts[v], family_pdf(f, v), v, (lo, hi))), None)
        if found is None:
            return None
        comps.append(found)
    product = sp.Mul(*(family_pdf(c, c.variables[0]) for c in comps))
    if not _same(g, product, variables, intervals):
        return None
    return Family("Product", (), variables, tuple(comps))


def _recognise_1d(g: sp.Expr, y: sp.Symbol, lo: sp.Expr, hi: sp.Expr) -> Family | None:
    found = _piecewise_candidates(g, y, lo, hi) if isinstance(g, sp.Piecewise) else \
        _candidates(g, y, lo, hi)
    for fam in found:
        if _same(g, family_pdf(fam, y), (y,), {y: (lo, hi)}):
            return fam
    return None


def _fam(name: str, y: sp.Symbol, *values: sp.Expr) -> Family:
    return Family(name, tuple(zip(FAMILIES[name].params, (_tidy(v) for v in values))), (y,))


def _candidates(g: sp.Expr, y: sp.Symbol, lo: sp.Expr, hi: sp.Expr) -> Iterator[Family]:
    """Families whose density may be proportional to ``g`` on ``(lo, hi)``, cheapest first; each
    proposal is a guess that the caller checks."""
    if not g.has(y):
        if lo.is_finite and hi.is_finite:
            yield _fam("Uniform", y, lo, hi)
        return
    score = sp.cancel(sp.together(sp.diff(g, y) / g))
    if lo == -sp.oo and hi == sp.oo:
        fits = (_normal_fit, _t_fit, _logistic_fit)
    elif lo == 0 and hi == sp.oo:
        fits = (_gamma_fit, _chi_fit, _lognormal_fit, _inverse_gamma_fit, _beta_prime_fit,
                _weibull_fit)
    elif lo == 0 and hi == 1:
        fits = (_beta_fit,)
    elif hi == sp.oo and lo.is_finite:
        fits = (_pareto_fit, _levy_fit)
    else:
        fits = ()
    for fit in fits:
        try:
            yield from fit(score, y, lo)
        except _FAILURES:
            continue


# ---------------------------------------------------------------------------- the whole line

def _normal_fit(score, y, lo):
    poly = _poly(score, y)
    if poly is not None and poly.degree() == 1:
        c1, c0 = poly.all_coeffs()
        sigma2 = -1 / c1
        yield _fam("Normal", y, sp.simplify(c0 * sigma2), sp.sqrt(sigma2))


def _t_fit(score, y, lo):
    """Score ``-(ν + 1)(y - m) / ((y - m)² + c)``: Cauchy when ν = 1, Student t when m = 0, c = ν."""
    num, den = (_poly(part, y) for part in sp.fraction(sp.cancel(score)))
    if num is None or den is None or den.degree() != 2 or num.degree() > 1:
        return
    d2, d1, d0 = den.all_coeffs()
    m = -d1 / (2 * d2)
    c = sp.simplify(d0 / d2 - m ** 2)
    nu = sp.simplify(-num.coeff_monomial(y) / d2 - 1)
    if nu == 1:
        yield _fam("Cauchy", y, m, sp.sqrt(c))
    elif sp.simplify(m) == 0:
        yield _fam("StudentT", y, nu)


def _logistic_fit(score, y, lo):
    """Logistic, Gumbel and Laplace: the score tends to -1/scale at +oo and vanishes at the centre."""
    slope = sp.limit(score, y, sp.oo)
    if not slope.is_finite or slope.is_zero or slope.free_symbols & {y}:
        return
    scale = -1 / slope
    centres = [sp.solve(a.args[0], y)[0] for a in score.atoms(sp.Abs, sp.sign)
               if a.args[0].has(y)]
    if not centres:
        centres = [r for r in sp.solve(score, y) if r.is_real is not False]
    for mu in centres[:2]:
        for name in ("Logistic", "Gumbel", "Laplace"):
            yield _fam(name, y, mu, scale)


# ---------------------------------------------------------------------------- the half line

def _ys_poly(score, y):
    poly = _poly(sp.cancel(y * score), y)
    return poly


def _gamma_fit(score, y, lo):
    poly = _ys_poly(score, y)
    if poly is None or poly.degree() > 1:
        return
    coeffs = poly.all_coeffs()
    c1, c0 = (coeffs if len(coeffs) == 2 else [sp.S.Zero] + coeffs)
    shape, rate = sp.simplify(c0 + 1), sp.simplify(-c1)
    if shape == 1:
        yield _fam("Exponential", y, rate)
    elif rate == sp.Rational(1, 2):
        yield _fam("ChiSquared", y, 2 * shape)
    yield _fam("Gamma", y, shape, rate)


def _chi_fit(score, y, lo):
    """``y f'/f = (k - 1) - y²/σ²``: half-normal, Rayleigh, Maxwell (k = 1, 2, 3), else χ_k."""
    poly = _ys_poly(score, y)
    if poly is None or poly.degree() != 2 or poly.coeff_monomial(y) != 0:
        return
    c2, c0 = poly.coeff_monomial(y ** 2), poly.coeff_monomial(1)
    sigma = sp.sqrt(-1 / c2)
    named = {0: "HalfNormal", 1: "Rayleigh", 2: "Maxwell"}
    if c0 in named:
        yield _fam(named[c0], y, sigma)
    else:
        yield _fam("Chi", y, c0 + 1)


def _lognormal_fit(score, y, lo):
    z = sp.Dummy("z", real=True)
    q = _poly(sp.expand_log(sp.cancel(y * score).xreplace({y: sp.exp(z)}), force=True) + 1, z)
    if q is not None and q.degree() == 1:
        c1, c0 = q.all_coeffs()
        sigma2 = -1 / c1
        yield _fam("LogNormal", y, sp.simplify(c0 * sigma2), sp.sqrt(sigma2))


def _inverse_gamma_fit(score, y, lo):
    """``y² f'/f = -(a + 1) y + b``: inverse gamma, Lévy when a = 1/2."""
    poly = _poly(sp.cancel(y ** 2 * score), y)
    if poly is None or poly.degree() != 1 or poly.coeff_monomial(1) == 0:
        return
    c1, c0 = poly.all_coeffs()
    a = sp.simplify(-c1 - 1)
    if a == sp.Rational(1, 2):
        yield _fam("Levy", y, 0, 2 * c0)
    yield _fam("InverseGamma", y, a, c0)


def _beta_prime_fit(score, y, lo):
    """``y f'/f = (a - 1) - (a + b) y/(y + q)``: beta prime (q = 1) or F (q = d2/d1)."""
    num, den = (_poly(part, y) for part in sp.fraction(sp.cancel(y * score)))
    if num is None or den is None or den.degree() != 1 or num.degree() > 1:
        return
    d1, d0 = den.all_coeffs()
    q = sp.simplify(d0 / d1)
    big, small = (num.coeff_monomial(y) / d1, num.coeff_monomial(1) / d1)
    c0 = sp.simplify(small / q)
    a, ab = sp.simplify(c0 + 1), sp.simplify(c0 - big)
    if sp.simplify(q - 1) == 0:
        yield _fam("BetaPrime", y, a, ab - a)
    yield _fam("F", y, 2 * a, 2 * (ab - a))


def _weibull_fit(score, y, lo):
    """Weibull and log-logistic: ``s = y f'/f + 1`` tends to the shape k at 0, and a power
    ``(y/λ)^k`` is ``1 - s/k`` (Weibull) or ``(k - s)/(k + s)`` (log-logistic)."""
    s = sp.cancel(y * score + 1)
    k = sp.limit(s, y, 0, "+")
    if not k.is_finite or k.is_zero or k.free_symbols & {y}:
        return
    z = sp.Dummy("z", real=True)
    for name, power in (("Weibull", 1 - s / k), ("LogLogistic", (k - s) / (k + s))):
        log_power = sp.expand_log(sp.log(sp.cancel(power)).xreplace({y: sp.exp(z)}), force=True)
        q = _poly(sp.expand(log_power), z)
        if q is None or q.degree() != 1:
            continue
        c1, c0 = q.all_coeffs()
        lam = sp.exp(-c0 / c1)
        yield _fam(name, y, c1, lam) if name == "Weibull" else _fam(name, y, lam, c1)


# ---------------------------------------------------------------------------- other supports

def _beta_fit(score, y, lo):
    poly = _poly(sp.cancel(y * (1 - y) * score), y)
    if poly is not None and poly.degree() <= 1:
        yield _fam("Beta", y, sp.simplify(poly.eval(0) + 1), sp.simplify(1 - poly.eval(1)))


def _pareto_fit(score, y, lo):
    if lo.is_positive:
        c = sp.cancel(y * score)
        if not c.has(y):
            yield _fam("Pareto", y, -c - 1, lo)


def _levy_fit(score, y, lo):
    for fam in _inverse_gamma_fit(sp.cancel(score.xreplace({y: y + lo})), y, 0):
        if fam.name == "Levy":
            yield _fam("Levy", y, lo, fam.params["c"])


def _piecewise_candidates(g: sp.Piecewise, y: sp.Symbol, lo: sp.Expr, hi: sp.Expr
                          ) -> Iterator[Family]:
    """Triangular (two linear pieces) and Laplace (two exponential pieces)."""
    pieces = [(e, c) for e, c in g.args if e != 0]
    if len(pieces) != 2:
        return
    mode = _breakpoint(pieces, y, lo, hi)
    if mode is None:
        return
    left = _poly(pieces[0][0], y)
    if lo.is_finite and hi.is_finite and left is not None and left.degree() == 1:
        yield Family("Triangular", (("a", lo), ("b", hi), ("mode", mode)), (y,))
    if lo == -sp.oo and hi == sp.oo:
        slope = sp.cancel(sp.diff(pieces[0][0], y) / pieces[0][0])
        if not slope.has(y) and slope != 0:
            yield _fam("Laplace", y, mode, sp.Abs(1 / slope))


def _breakpoint(pieces, y: sp.Symbol, lo: sp.Expr, hi: sp.Expr) -> sp.Expr | None:
    mode = None
    for cond in list(sp.And.make_args(pieces[0][1])) + list(sp.And.make_args(pieces[1][1])):
        if isinstance(cond, sp.Rel) and not cond.has(sp.oo):
            other = cond.rhs if cond.lhs == y else cond.lhs if cond.rhs == y else None
            if other is not None and other not in (lo, hi):
                mode = other
    return mode


# ---------------------------------------------------------------------------- comparisons

def _poly(expr: sp.Expr, y: sp.Symbol) -> sp.Poly | None:
    expr = sp.cancel(expr)
    if not expr.is_polynomial(y):
        return None
    try:
        return sp.Poly(expr, y)
    except sp.PolynomialError:
        return None


def _tidy(value: sp.Expr) -> sp.Expr:
    value = sp.sympify(value)
    return sp.simplify(sp.powdenest(value, force=False))


def _same(g: sp.Expr, h: sp.Expr, variables: Sequence[sp.Symbol],
          intervals: Mapping[sp.Symbol, Interval]) -> bool:
    """True when g == h on the support: at seven random points (and random parameter values),
    to 30 digits. Two different analytic formulas agree there to 1e-9 only by accident."""
    return _same_numerically(g, h, variables, intervals)


def _proportional(g: sp.Expr, h: sp.Expr, y: sp.Symbol, interval: Interval) -> bool:
    """``g / h`` is the same number at random points of the support."""
    points = _points((g, h), (y,), {y: interval}, 4)
    fixed = {p: value for p, value in points[0].items() if p != y}  # one set of parameters
    ratios = [_value(g / h, {**at, **fixed}) for at in points]
    if not ratios or any(r is None or r == 0 for r in ratios):
        return False
    return all(abs(r - ratios[0]) <= 1e-9 * abs(ratios[0]) for r in ratios)  # type: ignore


def _value(e: sp.Expr, at: dict) -> complex | None:
    try:
        v = complex(sp.N(e.xreplace(at), 30))
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    return v if math.isfinite(abs(v)) else None


def _points(exprs: Sequence[sp.Expr], variables: Sequence[sp.Symbol], intervals: Mapping[sp.Symbol, Interval],
            count: int) -> list[dict]:
    rng = rng_for("same density")
    params = sorted(set().union(*(e.free_symbols for e in exprs)) - set(variables), key=str)
    out = []
    for _ in range(count):
        values = {p: sp.Float(rng.uniform(0.6, 2.4)) if (p.is_positive or p.is_nonnegative)
                  else sp.Float(rng.uniform(-1.5, 1.5)) for p in params}
        for v in variables:
            lo, hi = (float(sp.N(sp.sympify(b).xreplace(values))) for b in intervals.get(v, _R))
            if math.isfinite(lo) and math.isfinite(hi):
                values[v] = sp.Float(lo + (hi - lo) * rng.uniform(0.05, 0.95))
            elif math.isfinite(lo):
                values[v] = sp.Float(lo + rng.exponential(1.0) + 0.01)
            elif math.isfinite(hi):
                values[v] = sp.Float(hi - rng.exponential(1.0) - 0.01)
            else:
                values[v] = sp.Float(rng.normal(0, 1.5))
        out.append(values)
    return out


def _same_numerically(g: sp.Expr, h: sp.Expr, variables: Sequence[sp.Symbol],
                      intervals: Mapping[sp.Symbol, Interval], points: int = 7) -> bool:
    for values in _points((g, h), variables, intervals, points):
        a, b = _value(g, values), _value(h, values)
        if a is None or b is None or abs(a - b) > 1e-9 * max(abs(a), abs(b), 1e-300):
            return False
    return True
