"""Recognise standard probability families (χ², Gamma, Beta, Cauchy, ...) in a density.

``recognise_family(pdf, variables, intervals)`` fits each candidate family's
parameters from the score ``d log f / dy`` (which does not depend on the
normalising constant), builds that family's density and accepts it only when
it equals the given one, by symbolic simplification or, failing that, at
random points. Products of independent one-dimensional families are found
too (Rayleigh × Uniform for the polar map of a normal pair).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import sympy as sp
from scipy import stats

from ..domains.probe import rng_for
from ..errors import SymjacTimeoutError
from ..timeouts import time_limit

__all__ = ["Family", "recognise_family", "family_pdf", "FAMILIES"]

Interval = tuple[sp.Expr, sp.Expr]


@dataclass(frozen=True)
class Family:
    """A standard family with its parameters, or a product of independent ones.

    Attributes:
        name: ``"Gamma"``, ``"ChiSquared"``, ... or ``"Product"`` for independent components.
        parameters: ``(name, value)`` pairs in the family's usual order.
        variables: The variable(s) the family describes.
        components: For a product, one one-dimensional Family per variable.

    >>> import sympy as sp
    >>> from symjac.densities.families import Family
    >>> y = sp.Symbol("y")
    >>> print(Family("Gamma", (("shape", 2), ("rate", 3)), (y,)))
    Gamma(shape=2, rate=3)
    """

    name: str
    parameters: tuple[tuple[str, sp.Expr], ...] = ()
    variables: tuple[sp.Symbol, ...] = ()
    components: tuple[Family, ...] = ()

    def __str__(self) -> str:
        if self.components:
            return " × ".join(f"{c} for {c.variables[0]}" for c in self.components) + \
                " (independent)"
        inner = ", ".join(f"{k}={sp.sstr(v)}" for k, v in self.parameters)
        return f"{self.name}({inner})"

    def _latex_body(self) -> str:
        r"""The family as textbooks write it: ``\chi^2_{1}``, ``\mathcal{N}(\mu, \sigma^2)``."""
        if self.components:
            return r" \times ".join(c._latex_body() for c in self.components)
        values = [sp.latex(sp.sympify(v)) for _, v in self.parameters]
        if self.name == "ChiSquared":
            return r"\chi^2_{" + values[0] + "}"
        if self.name in ("Normal", "LogNormal"):
            sigma2 = sp.latex(sp.sympify(self.parameters[1][1]) ** 2)
            head = r"\mathcal{N}" if self.name == "Normal" else r"\operatorname{LogNormal}"
            return f"{head}\\left({values[0]}, {sigma2}\\right)"
        names = {"HalfNormal": "HalfNormal", "Exponential": "Exp", "Uniform": "U"}
        head = r"\operatorname{" + names.get(self.name, self.name) + "}"
        return head + r"\left(" + ", ".join(values) + r"\right)"

    @property
    def params(self) -> dict[str, sp.Expr]:
        """The parameters as a dict."""
        return dict(self.parameters)

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready description."""
        return {"name": self.name, "text": str(self),
                "parameters": {k: sp.sstr(v) for k, v in self.parameters},
                "variables": [s.name for s in self.variables],
                "components": [c.to_dict() for c in self.components]}

    def scipy(self, values: Mapping[sp.Symbol, float] | None = None):
        """The frozen ``scipy.stats`` distribution (one-dimensional families only).

        ``values`` gives numbers for symbolic parameters.
        """
        spec = FAMILIES[self.name]
        nums = {k: float(sp.N(sp.sympify(v).xreplace(dict(values or {})))) for k, v in self.parameters}
        return spec.scipy(**nums)


@dataclass(frozen=True)
class _Spec:
    params: tuple[str, ...]
    pdf: Callable[..., sp.Expr]  # (y, *params) -> expression on the support
    support: Callable[..., Interval]
    scipy: Callable[..., object]


def _normal(y, mu, sigma):
    return sp.exp(-(y - mu) ** 2 / (2 * sigma ** 2)) / (sigma * sp.sqrt(2 * sp.pi))


def _triangular(y, a, b, c):
    return sp.Piecewise((2 * (y - a) / ((b - a) * (c - a)), y <= c), (2 * (b - y) / ((b - a) * (b - c)), True))


_R = (-sp.oo, sp.oo)
_HALF = (sp.S.Zero, sp.oo)

#: The families symjac recognises, by name.
FAMILIES: dict[str, _Spec] = {
    "Normal": _Spec(("mu", "sigma"), _normal, lambda mu, sigma: _R,
                    lambda mu, sigma: stats.norm(mu, sigma)),
    "HalfNormal": _Spec(("sigma",), lambda y, s: 2 * _normal(y, 0, s), lambda s: _HALF,
                        lambda sigma: stats.halfnorm(scale=sigma)),
    "LogNormal": _Spec(("mu", "sigma"), lambda y, mu, s: _normal(sp.log(y), mu, s) / y,
                       lambda mu, s: _HALF,
                       lambda mu, sigma: stats.lognorm(sigma, scale=math.exp(mu))),
    "Exponential": _Spec(("rate",), lambda y, lam: lam * sp.exp(-lam * y), lambda lam: _HALF,
                         lambda rate: stats.expon(scale=1 / rate)),
    "ChiSquared": _Spec(("k",), lambda y, k: y ** (k / 2 - 1) * sp.exp(-y / 2)
                        / (2 ** (k / 2) * sp.gamma(k / 2)), lambda k: _HALF,
                        lambda k: stats.chi2(k)),
    "Gamma": _Spec(("shape", "rate"), lambda y, k, lam: lam ** k * y ** (k - 1) * sp.exp(-lam * y)
                   / sp.gamma(k), lambda k, lam: _HALF,
                   lambda shape, rate: stats.gamma(shape, scale=1 / rate)),
    "Rayleigh": _Spec(("sigma",), lambda y, s: y / s ** 2 * sp.exp(-y ** 2 / (2 * s ** 2)),
                      lambda s: _HALF, lambda sigma: stats.rayleigh(scale=sigma)),
    "Beta": _Spec(("alpha", "beta"), lambda y, a, b: y ** (a - 1) * (1 - y) ** (b - 1)
                  * sp.gamma(a + b) / (sp.gamma(a) * sp.gamma(b)), lambda a, b: (sp.S.Zero, sp.S.One),
                  lambda alpha, beta: stats.beta(alpha, beta)),
    "Cauchy": _Spec(("loc", "scale"), lambda y, x0, g: 1 / (sp.pi * g * (1 + ((y - x0) / g) ** 2)),
                    lambda x0, g: _R, lambda loc, scale: stats.cauchy(loc, scale)),
    "Uniform": _Spec(("a", "b"), lambda y, a, b: 1 / (b - a), lambda a, b: (a, b),
                     lambda a, b: stats.uniform(a, b - a)),
    "Triangular": _Spec(("a", "b", "mode"), _triangular, lambda a, b, c: (a, b),
                        lambda a, b, mode: stats.triang((mode - a) / (b - a), loc=a, scale=b - a)),
}


def family_pdf(family: Family, y: sp.Symbol) -> sp.Expr:
    """The density of a one-dimensional family at ``y``, on its support (no Piecewise for 0).

    >>> import sympy as sp
    >>> from symjac.densities.families import Family, family_pdf
    >>> y = sp.Symbol("y")
    >>> family_pdf(Family("Exponential", (("rate", 2),)), y)
    2*exp(-2*y)
    """
    spec = FAMILIES[family.name]
    return spec.pdf(y, *(v for _, v in family.parameters))


# ---------------------------------------------------------------------------- recognition


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
    >>> from symjac.densities.families import recognise_family
    >>> y = sp.Symbol("y", positive=True)
    >>> print(recognise_family(sp.exp(-y/2)/sp.sqrt(2*sp.pi*y), [y], {y: (0, sp.oo)}))
    ChiSquared(k=1)
    """
    variables = tuple(variables)
    try:
        with time_limit(timeout, "recognising the family of the density"):
            if len(variables) == 1:
                y = variables[0]
                lo, hi = intervals.get(y, _R)
                return _recognise_1d(sp.sympify(pdf), y, sp.sympify(lo), sp.sympify(hi))
            return _recognise_product(sp.sympify(pdf), variables, intervals)
    except (SymjacTimeoutError, ValueError, TypeError, NotImplementedError, ZeroDivisionError,
            sp.PolynomialError, AttributeError, RecursionError):
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
        lo, hi = intervals[v]
        f = _recognise_shape(parts[v], v, sp.sympify(lo), sp.sympify(hi))
        if f is None:
            return None
        comps.append(f)
    product = sp.Mul(*(family_pdf(c, c.variables[0]) for c in comps))
    if not _same(g, product, variables, intervals):
        return None
    return Family("Product", (), variables, tuple(comps))


def _recognise_1d(g: sp.Expr, y: sp.Symbol, lo: sp.Expr, hi: sp.Expr) -> Family | None:
    if isinstance(g, sp.Piecewise):
        fam = _triangular_fit(g, y, lo, hi)
    else:
        fam = _recognise_shape(g, y, lo, hi)
    if fam is None:
        return None
    if not _same(g, family_pdf(fam, y), (y,), {y: (lo, hi)}):
        return None
    return fam


def _recognise_shape(g: sp.Expr, y: sp.Symbol, lo: sp.Expr, hi: sp.Expr) -> Family | None:
    """A family whose density is proportional to ``g`` on ``(lo, hi)`` (constant not checked)."""
    fam = lambda name, *vals: Family(name, tuple(zip(FAMILIES[name].params,  # noqa: E731
                                                     (_tidy(v) for v in vals))), (y,))
    if not g.has(y):
        if lo.is_finite and hi.is_finite:
            return fam("Uniform", lo, hi)
        return None
    score = sp.cancel(sp.together(sp.diff(g, y) / g))
    if lo == -sp.oo and hi == sp.oo:
        poly = _poly(score, y)
        if poly is not None and poly.degree() == 1:
            c1, c0 = poly.all_coeffs()
            sigma2 = -1 / c1
            return fam("Normal", sp.simplify(c0 * sigma2), sp.sqrt(sigma2))
        inv = _poly(sp.cancel(1 / g), y)
        if inv is not None and inv.degree() == 2:
            a, b, c = inv.all_coeffs()
            x0 = -b / (2 * a)
            gamma2 = sp.simplify(c / a - x0 ** 2)
            return fam("Cauchy", x0, sp.sqrt(gamma2))
        return None
    if lo == 0 and hi == sp.oo:
        poly = _poly(sp.cancel(y * score), y)
        if poly is not None and poly.degree() <= 1:
            coeffs = poly.all_coeffs()
            c1, c0 = (coeffs if len(coeffs) == 2 else [sp.S.Zero] + coeffs)
            shape, rate = sp.simplify(c0 + 1), sp.simplify(-c1)
            if shape == 1:
                return fam("Exponential", rate)
            if rate == sp.Rational(1, 2):
                return fam("ChiSquared", 2 * shape)
            return fam("Gamma", shape, rate)
        if poly is not None and poly.degree() == 2 and poly.coeff_monomial(y) == 0:
            c2, c0 = poly.coeff_monomial(y ** 2), poly.coeff_monomial(1)
            if c0 == 1:
                return fam("Rayleigh", sp.sqrt(-1 / c2))
            if c0 == 0:
                return fam("HalfNormal", sp.sqrt(-1 / c2))
        z = sp.Dummy("z", real=True)
        q = _poly(sp.expand_log(sp.cancel(y * score).xreplace({y: sp.exp(z)}), force=True) + 1, z)
        if q is not None and q.degree() == 1:
            c1, c0 = q.all_coeffs()
            sigma2 = -1 / c1
            return fam("LogNormal", sp.simplify(c0 * sigma2), sp.sqrt(sigma2))
        return None
    if lo == 0 and hi == 1:
        poly = _poly(sp.cancel(y * (1 - y) * score), y)
        if poly is not None and poly.degree() <= 1:
            a = sp.simplify(poly.eval(0) + 1)
            b = sp.simplify(1 - poly.eval(1))
            return fam("Beta", a, b)
    return None


def _triangular_fit(g: sp.Piecewise, y: sp.Symbol, lo: sp.Expr, hi: sp.Expr) -> Family | None:
    if not (lo.is_finite and hi.is_finite):
        return None
    pieces = [(e, c) for e, c in g.args if e != 0]
    if len(pieces) != 2:
        return None
    left = _poly(pieces[0][0], y)
    if left is None or left.degree() != 1:
        return None
    mode = None
    for cond in list(sp.And.make_args(pieces[0][1])) + list(sp.And.make_args(pieces[1][1])):
        if isinstance(cond, sp.Rel) and not cond.has(sp.oo):
            other = cond.rhs if cond.lhs == y else cond.lhs if cond.rhs == y else None
            if other is not None and other not in (lo, hi):
                mode = other
    if mode is None:
        return None
    return Family("Triangular", (("a", lo), ("b", hi), ("mode", mode)), (y,))


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
    """True when g == h on the support: symbolically, else at random points."""
    try:
        with time_limit(3.0, "comparing with a standard density"):
            diff = sp.simplify(g - h)
            if diff == 0:
                return True
    except (SymjacTimeoutError, TypeError, ValueError, NotImplementedError):
        pass
    return _same_numerically(g, h, variables, intervals)


def _same_numerically(g: sp.Expr, h: sp.Expr, variables: Sequence[sp.Symbol],
                      intervals: Mapping[sp.Symbol, Interval], points: int = 7) -> bool:
    rng = rng_for("same density")
    params = sorted((g.free_symbols | h.free_symbols) - set(variables), key=str)
    for _ in range(points):
        values = {p: sp.Float(rng.uniform(0.6, 2.4)) if (p.is_positive or p.is_nonnegative)
                  else sp.Float(rng.uniform(-1.5, 1.5)) for p in params}
        for v in variables:
            lo, hi = (sp.N(sp.sympify(b).xreplace(values)) for b in intervals.get(v, _R))
            lo_f, hi_f = float(lo), float(hi)
            if math.isfinite(lo_f) and math.isfinite(hi_f):
                values[v] = sp.Float(lo_f + (hi_f - lo_f) * rng.uniform(0.05, 0.95))
            elif math.isfinite(lo_f):
                values[v] = sp.Float(lo_f + rng.exponential(1.0) + 0.01)
            elif math.isfinite(hi_f):
                values[v] = sp.Float(hi_f - rng.exponential(1.0) - 0.01)
            else:
                values[v] = sp.Float(rng.normal(0, 1.5))
        a = complex(sp.N(g.xreplace(values), 30))
        b = complex(sp.N(h.xreplace(values), 30))
        if not (math.isfinite(abs(a)) and math.isfinite(abs(b))):
            return False
        if abs(a - b) > 1e-9 * max(abs(a), abs(b), 1e-300):
            return False
    return True
