"""The standard probability families symjac names: their densities, supports, usual symbols and
``scipy.stats`` counterparts.

``FAMILIES`` maps each name (``"Gamma"``, ``"StudentT"``, ``"Weibull"``, ...) to its
parameters in their usual order, its density on its support, its support and the frozen
``scipy.stats`` distribution with the same parameters; ``Family`` is one member with its
parameter values, shown as text (``Gamma(shape=2, rate=lam)``) or with its usual symbol (χ²₁).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import sympy as sp


class _Stats:
    """``scipy.stats``, imported when a family's counterpart is first asked for: it takes over a
    second to import, and a density that names no counterpart never needs it."""

    def __getattr__(self, name: str) -> object:
        from scipy import stats as module

        return getattr(module, name)


stats = _Stats()

__all__ = ["Family", "family_pdf", "FAMILIES"]

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
    def symbol(self) -> str:
        """The family in its usual notation: ``χ²₁``, ``N(0, 4)``, ``t₃``, ``Exp(lam)``.

        >>> import sympy as sp
        >>> from symjac.densities.families import Family
        >>> Family("ChiSquared", (("k", 1),)).symbol, Family("StudentT", (("nu", sp.Symbol("nu")),)).symbol
        ('χ²₁', 't(nu)')
        """
        if self.components:
            return " × ".join(c.symbol for c in self.components)
        values = [sp.sympify(v) for _, v in self.parameters]
        return _SYMBOLS.get(self.name, _plain)(self.name, *values)

    @property
    def words(self) -> str:
        """The family and its parameters in words: ``chi-squared, 1 degree of freedom``.

        >>> import sympy as sp
        >>> from symjac.densities.families import Family
        >>> Family("Normal", (("mu", 0), ("sigma", 2))).words
        'normal, mean 0, variance 4'
        """
        if self.components:
            return "independent; " + "; ".join(f"{c.variables[0]}: {c.words}" if c.variables
                                               else c.words for c in self.components)
        values = [sp.sympify(v) for _, v in self.parameters]
        describe = _WORDS.get(self.name)
        if describe is None:  # pragma: no cover - every named family has its words
            return f"{self.name}, " + ", ".join(f"{k} {_text(v)}" for k, v in self.parameters)
        return describe(*values)

    @property
    def caption(self) -> str:
        """The usual symbol and its words, as textbooks write it: ``χ²₁ (chi-squared, 1 degree
        of freedom)``; the family line of a density's text.

        >>> from symjac.densities.families import Family
        >>> Family("ChiSquared", (("k", 1),)).caption
        'χ²₁ (chi-squared, 1 degree of freedom)'
        """
        return f"{self.symbol} ({self.words})"

    @property
    def params(self) -> dict[str, sp.Expr]:
        """The parameters as a dict."""
        return dict(self.parameters)

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready description."""
        return {"name": self.name, "text": str(self), "symbol": self.symbol,
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


def _student_t(y, nu):
    return sp.gamma((nu + 1) / 2) / (sp.sqrt(nu * sp.pi) * sp.gamma(nu / 2)) \
        * (1 + y ** 2 / nu) ** (-(nu + 1) / 2)


def _fisher_f(y, d1, d2):
    return sp.gamma((d1 + d2) / 2) / (sp.gamma(d1 / 2) * sp.gamma(d2 / 2)) * (d1 / d2) ** (d1 / 2) \
        * y ** (d1 / 2 - 1) * (1 + d1 * y / d2) ** (-(d1 + d2) / 2)


def _logistic(y, mu, s):
    z = (y - mu) / s
    return sp.exp(-z) / (s * (1 + sp.exp(-z)) ** 2)


def _gumbel(y, mu, beta):
    z = (y - mu) / beta
    return sp.exp(-z - sp.exp(-z)) / beta


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
    "Logistic": _Spec(("mu", "s"), _logistic, lambda mu, s: _R,
                      lambda mu, s: stats.logistic(mu, s)),
    "Gumbel": _Spec(("mu", "beta"), _gumbel, lambda mu, beta: _R,
                    lambda mu, beta: stats.gumbel_r(mu, beta)),
    "Laplace": _Spec(("mu", "b"), lambda y, mu, b: sp.exp(-sp.Abs(y - mu) / b) / (2 * b),
                     lambda mu, b: _R, lambda mu, b: stats.laplace(mu, b)),
    "StudentT": _Spec(("nu",), _student_t, lambda nu: _R, lambda nu: stats.t(nu)),
    "F": _Spec(("d1", "d2"), _fisher_f, lambda d1, d2: _HALF, lambda d1, d2: stats.f(d1, d2)),
    "Weibull": _Spec(("k", "lam"), lambda y, k, lam: k / lam * (y / lam) ** (k - 1)
                     * sp.exp(-(y / lam) ** k), lambda k, lam: _HALF,
                     lambda k, lam: stats.weibull_min(k, scale=lam)),
    "Pareto": _Spec(("alpha", "y_m"), lambda y, a, m: a * m ** a / y ** (a + 1),
                    lambda a, m: (m, sp.oo), lambda alpha, y_m: stats.pareto(alpha, scale=y_m)),
    "InverseGamma": _Spec(("shape", "scale"), lambda y, a, b: b ** a / sp.gamma(a)
                          * y ** (-a - 1) * sp.exp(-b / y), lambda a, b: _HALF,
                          lambda shape, scale: stats.invgamma(shape, scale=scale)),
    "Maxwell": _Spec(("sigma",), lambda y, s: sp.sqrt(2 / sp.pi) * y ** 2
                     * sp.exp(-y ** 2 / (2 * s ** 2)) / s ** 3, lambda s: _HALF,
                     lambda sigma: stats.maxwell(scale=sigma)),
    "Chi": _Spec(("k",), lambda y, k: y ** (k - 1) * sp.exp(-y ** 2 / 2)
                 / (2 ** (k / 2 - 1) * sp.gamma(k / 2)), lambda k: _HALF, lambda k: stats.chi(k)),
    "BetaPrime": _Spec(("alpha", "beta"), lambda y, a, b: y ** (a - 1) * (1 + y) ** (-a - b)
                       * sp.gamma(a + b) / (sp.gamma(a) * sp.gamma(b)), lambda a, b: _HALF,
                       lambda alpha, beta: stats.betaprime(alpha, beta)),
    "LogLogistic": _Spec(("alpha", "beta"), lambda y, a, b: b / a * (y / a) ** (b - 1)
                         / (1 + (y / a) ** b) ** 2, lambda a, b: _HALF,
                         lambda alpha, beta: stats.fisk(beta, scale=alpha)),
    "Levy": _Spec(("mu", "c"), lambda y, mu, c: sp.sqrt(c / (2 * sp.pi))
                  * sp.exp(-c / (2 * (y - mu))) / (y - mu) ** sp.Rational(3, 2),
                  lambda mu, c: (mu, sp.oo), lambda mu, c: stats.levy(mu, c)),
}


# ---------------------------------------------------------------------------- usual symbols

_SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def _text(v: sp.Expr) -> str:
    return sp.sstr(v)


def _sub(v: sp.Expr) -> str | None:
    """``v`` as subscript digits when it is a small positive integer (``χ²₃``), else None."""
    return str(int(v)).translate(_SUB) if v.is_Integer and 0 < v < 1000 else None


def _plain(name: str, *values: sp.Expr) -> str:
    return f"{name}({', '.join(map(_text, values))})"


def _indexed(letter: str) -> Callable[..., str]:
    def show(name: str, *values: sp.Expr) -> str:
        subs = [_sub(v) for v in values]
        if all(subs):
            return letter + ",".join(subs)  # type: ignore[arg-type]
        return f"{letter}({', '.join(map(_text, values))})"
    return show


def _named(label: str, *squared: int) -> Callable[..., str]:
    def show(name: str, *values: sp.Expr) -> str:
        shown = [v ** 2 if i in squared else v for i, v in enumerate(values)]
        return f"{label}({', '.join(map(_text, shown))})"
    return show


_SYMBOLS: dict[str, Callable[..., str]] = {
    "Normal": _named("N", 1), "LogNormal": _named("LogNormal", 1), "Exponential": _named("Exp"),
    "ChiSquared": _indexed("χ²"), "Chi": _indexed("χ"), "StudentT": _indexed("t"),
    "F": _indexed("F"), "Uniform": _named("U"), "HalfNormal": _named("HalfNormal"),
    "InverseGamma": _named("Inv-Gamma"), "BetaPrime": _named("β′"), "Levy": _named("Lévy"),
}


def _freedom(v: sp.Expr) -> str:
    return f"{_text(v)} degree{'' if v == 1 else 's'} of freedom"


def _with(label: str, *names: str, squared: tuple[int, ...] = ()) -> Callable[..., str]:
    """``label, name1 value1, name2 value2``; the values at ``squared`` are shown squared."""
    def show(*values: sp.Expr) -> str:
        shown = [v ** 2 if i in squared else v for i, v in enumerate(values)]
        return ", ".join([label] + [f"{n} {_text(v)}" for n, v in zip(names, shown)])
    return show


_WORDS: dict[str, Callable[..., str]] = {
    "Normal": _with("normal", "mean", "variance", squared=(1,)),
    "HalfNormal": _with("half-normal", "scale"),
    "LogNormal": lambda mu, s: f"log-normal: log Y is normal with mean {_text(mu)}, variance "
                               f"{_text(s ** 2)}",
    "Exponential": _with("exponential", "rate"),
    "ChiSquared": lambda k: f"chi-squared, {_freedom(k)}",
    "Gamma": _with("gamma", "shape", "rate"),
    "Rayleigh": _with("Rayleigh", "scale"),
    "Beta": lambda a, b: f"beta, shape parameters {_text(a)} and {_text(b)}",
    "Cauchy": _with("Cauchy", "location", "scale"),
    "Uniform": lambda a, b: f"uniform on ({_text(a)}, {_text(b)})",
    "Triangular": lambda a, b, c: f"triangular on ({_text(a)}, {_text(b)}), mode {_text(c)}",
    "Logistic": _with("logistic", "location", "scale"),
    "Gumbel": _with("Gumbel", "location", "scale"),
    "Laplace": _with("Laplace", "location", "scale"),
    "StudentT": lambda nu: f"Student's t, {_freedom(nu)}",
    "F": lambda d1, d2: f"F, {_text(d1)} and {_text(d2)} degrees of freedom",
    "Weibull": _with("Weibull", "shape", "scale"),
    "Pareto": _with("Pareto", "shape", "minimum"),
    "InverseGamma": _with("inverse gamma", "shape", "scale"),
    "Maxwell": _with("Maxwell", "scale"),
    "Chi": lambda k: f"chi, {_freedom(k)}",
    "BetaPrime": lambda a, b: f"beta prime, shape parameters {_text(a)} and {_text(b)}",
    "LogLogistic": _with("log-logistic", "scale", "shape"),
    "Levy": _with("Lévy", "location", "scale"),
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
    return spec.pdf(y, *(sp.sympify(v) for _, v in family.parameters))


