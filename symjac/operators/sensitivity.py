"""How much a map stretches its input: the Frobenius norm of the Jacobian.

``||J||_F² = Σ (∂y_i/∂x_j)²`` is the mean squared stretch of a random
direction times n, so small isotropic noise e gives
``E|f(x+e) - f(x)|² / E|e|² → ||J||_F² / n`` (``noise_sensitivity`` estimates
it by sampling and compares with the exact value). Along a chain of maps the
norms multiply into a bound: ``||J_{g∘f}||_F ≤ ||J_g||_F ||J_f||_F``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import reduce

import numpy as np
import sympy as sp

from ..result import Result
from ..derivation import Derivation, Tex, plain
from ..errors import DimensionError
from ..jacobian import gram_root
from .metric import reduce_exactly
from .derivatives import _function, lambdify_batched
from ..report import CheckReport
from ..result import markdown_escape
from ..timeouts import DEFAULT_TIMEOUT, time_limit
from ..transform import Transform, compose

__all__ = ["frobenius_norm", "composition_bound", "CompositionBound", "noise_sensitivity",
           "NoiseEstimate"]


def frobenius_norm(f: object, vars: object = None, *,
                   timeout: float | None = DEFAULT_TIMEOUT) -> sp.Expr:
    """The Frobenius norm ``sqrt(Σ (∂y_i/∂x_j)²)`` of the Jacobian, simplified.

    It equals ``sqrt(trace(Jᵀ J))``: for a coordinate system, the root of the
    sum of the squared scale factors.

    Args:
        f: A Transform, or an expression / list of expressions with ``vars``.
        vars: The variables, when ``f`` is not a Transform.
        timeout: Seconds the symbolic work may take.

    >>> from symjac import frobenius_norm, system
    >>> frobenius_norm(system("polar"))
    sqrt(r**2 + 1)
    >>> frobenius_norm("3*x + 4*y", "x, y")
    5
    """
    exprs, xs = _function(f, vars)
    t = f if isinstance(f, Transform) else Transform(xs, (sp.S.Zero,), (sp.Dummy("out"),))
    with time_limit(timeout, "computing the Frobenius norm of the Jacobian"):
        return _root(_squared_norm(exprs, xs), t)


def _squared_norm(exprs: Sequence[sp.Expr], xs: Sequence[sp.Symbol]) -> sp.Expr:
    J = sp.ImmutableMatrix(list(exprs)).jacobian(list(xs))
    return reduce_exactly(sp.Add(*[e**2 for e in J]))


def _root(squared: sp.Expr, t: Transform) -> sp.Expr:
    """sqrt(squared), with square factors taken out where the domain gives their sign."""
    coeff, rest = sp.factor(squared).as_coeff_Mul()
    if coeff < 0:
        coeff, rest = -coeff, -rest
    return sp.sqrt(coeff) * gram_root(rest, t)[0]


@dataclass(frozen=True)
class CompositionBound(Result):
    """The norm of a chain's Jacobian and the product bound.

    Attributes:
        maps: The maps, outermost first (as in ``compose(outer, inner)``).
        norm: ``||J_chain||_F`` in the innermost inputs.
        factors: ``||J_i||_F`` of each map, at the point the chain reaches it
            (outermost first), in the innermost inputs.
        log_bound: ``Σ log ||J_i||_F``; the theorem is ``log norm ≤ log_bound``.
        steps: The derivation.
    """

    maps: tuple[Transform, ...]
    norm: sp.Expr
    factors: tuple[sp.Expr, ...]
    log_bound: sp.Expr
    steps: Derivation

    @property
    def inputs(self) -> tuple[sp.Symbol, ...]:
        """The innermost map's inputs: the variables of ``norm`` and ``factors``."""
        return self.maps[-1].inputs

    def evaluate(self, points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``(log norm, log bound)`` at points of shape ``(batch, n)`` in ``inputs``.

        >>> import numpy as np
        >>> from symjac import Transform, composition_bound
        >>> g = Transform.from_equations("z = u*v", inputs="u v")
        >>> f = Transform.from_equations("u = x + y, v = x - y", inputs="x y")
        >>> log_norm, log_bound = composition_bound(g, f).evaluate(np.array([[1.0, 2.0]]))
        >>> bool(log_norm[0] <= log_bound[0])
        True
        """
        norm = lambdify_batched(self.norm, self.inputs)(points)
        bound = lambdify_batched(self.log_bound, self.inputs)(points)
        with np.errstate(divide="ignore"):
            return np.log(norm), bound

    def __str__(self) -> str:
        """A terminal summary: the norm of the chain and the product bound."""
        return (f"||J||_F of the chain of {len(self.maps)} maps = {plain(self.norm)}\n"
                f"    <= {' * '.join(f'({plain(f)})' if f.is_Add else plain(f) for f in self.factors)}"
                "  (the product of each map's norm)")

    def _latex_body(self) -> str:
        from ..latex import latex_expr

        return (r"\|J\|_F = " + latex_expr(self.norm) + r" \le " +
                r" \cdot ".join(latex_expr(f) for f in self.factors))


def composition_bound(*maps: Transform, timeout: float | None = DEFAULT_TIMEOUT) -> CompositionBound:
    """The Frobenius norm of a chain of maps and its product bound.

    ``||J_{g∘f}||_F ≤ ||J_g||_F ||J_f||_F`` (the norm is sub-multiplicative), so
    along a chain the logs add: ``log ||J_chain||_F ≤ Σ log ||J_i||_F``.

    Args:
        *maps: Two or more Transforms, outermost first; each map's inputs are
            the next one's outputs (by name).
        timeout: Seconds each symbolic step may take.

    Raises:
        DimensionError: If fewer than two maps are given or they do not chain.

    >>> from symjac import Transform, composition_bound
    >>> g = Transform.from_equations("z = u*v", inputs="u v")
    >>> f = Transform.from_equations("u = x + y, v = x - y", inputs="x y")
    >>> b = composition_bound(g, f)
    >>> b.norm, b.factors
    (2*sqrt(x**2 + y**2), (sqrt(2)*sqrt(x**2 + y**2), 2))
    """
    if len(maps) < 2 or not all(isinstance(m, Transform) for m in maps):
        raise DimensionError("composition_bound needs two or more Transforms, outermost first, "
                             "e.g. composition_bound(g, f) for g∘f.", value=maps)
    chain = reduce(lambda outer, inner: compose(outer, inner), maps)
    inner_of = [reduce(lambda outer, inner: compose(outer, inner), maps[i + 1:])
                for i in range(len(maps) - 1)]
    with time_limit(timeout, "bounding the Jacobian of a chain of maps"):
        norm = _root(_squared_norm(chain.exprs, chain.inputs), chain)
        factors = []
        for i, m in enumerate(maps):
            squared = _squared_norm(m.exprs, m.inputs)
            if i < len(maps) - 1:
                by_name = {s.name: s for s in m.inputs}
                at = {by_name[s.name]: e for s, e in zip(inner_of[i].outputs, inner_of[i].exprs)
                      if s.name in by_name}
                squared = reduce_exactly(squared.xreplace(at))
            factors.append(_root(squared, chain))
        log_bound = sp.Add(*[sp.log(f) for f in factors])
    frob = Tex(r"\left\|J\right\|_F", "||J||_F")
    steps = (Derivation()
             .then("Compose the maps and take the Frobenius norm of the Jacobian of the chain:",
                   [(frob, norm)])
             .then("Take each map's norm at the point where the chain reaches it; the Frobenius "
                   "norm is sub-multiplicative, {rule}, so by the chain rule the norm of the chain "
                   "is at most their product:",
                   [(Tex(rf"\left\|J_{{{i + 1}}}\right\|_F", f"||J_{i + 1}||_F"), f)
                    for i, f in enumerate(factors)],
                   rule=Tex(r"\|AB\|_F \le \|A\|_F \|B\|_F", "||AB||_F ≤ ||A||_F ||B||_F"))
             .then("In logarithms the bound is a sum:",
                   [(Tex(r"\log \prod_i \left\|J_i\right\|_F", "log bound"), log_bound)]))
    return CompositionBound(tuple(maps), norm, tuple(factors), log_bound, steps)


@dataclass(frozen=True)
class NoiseEstimate:
    """A sampled estimate of ``||J||_F² / n`` from small isotropic noise, with the exact value.

    Attributes:
        estimate: ``mean |f(x+e) - f(x)|² / (n σ²)`` over the samples (``E|e|² = n σ²``).
        standard_error: Its standard error (sample standard deviation / √samples).
        exact: ``||J(x)||_F² / n`` from the symbolic Jacobian.
        point: The point x, in the order of ``variables``.
        variables: The input variables.
        sigma: The noise scale: e ~ N(0, σ² I).
        samples: The number of noise draws.
        seed: The seed of the ``numpy.random.Generator``.
    """

    estimate: float
    standard_error: float
    exact: float
    point: tuple[float, ...]
    variables: tuple[sp.Symbol, ...]
    sigma: float
    samples: int
    seed: int

    def __str__(self) -> str:
        """A terminal summary: the estimate with its standard error, and the exact value."""
        point = ", ".join(f"{v} = {x:g}" for v, x in zip(self.variables, self.point))
        verdict = "agrees" if self.agrees() else "does not agree"
        return (f"||J||_F² / n at ({point}): sampled {self.estimate:.6g} ± "
                f"{self.standard_error:.2g}, exact {self.exact:.6g} ({verdict}; "
                f"{self.samples} samples, sigma {self.sigma:g}, seed {self.seed})")

    def _repr_markdown_(self) -> str:
        """Jupyter: the estimate, its standard error and the exact value, as ``str`` gives them."""
        return markdown_escape(str(self))

    @property
    def z_score(self) -> float:
        """``(estimate - exact) / standard_error``: the discrepancy in standard errors."""
        return (self.estimate - self.exact) / self.standard_error if self.standard_error else \
            0.0 if self.estimate == self.exact else float("inf")

    def agrees(self, *, within: float = 4.0) -> bool:
        """True when the estimate is within ``within`` standard errors of the exact value."""
        return abs(self.z_score) <= within

    def report(self, *, rtol: float = 1e-4) -> CheckReport:
        """The comparison as a ``CheckReport`` under symjac's one rule: it passes only
        when 4 standard errors and the difference are both within ``rtol`` (which
        allows for the O(σ²) bias); a sample too small to resolve ``rtol`` is inconclusive.

        >>> from symjac import noise_sensitivity
        >>> est = noise_sensitivity("3*x + 4*y", [0.0, 0.0], "x, y", seed=0)
        >>> est.report().verdict, est.report(rtol=0.1).verdict
        ('inconclusive', 'passed')
        """
        return CheckReport.compare(
            self.estimate, self.exact, what="the noise-injection estimate of ||J||_F² / n",
            method=f"isotropic Gaussian noise, sigma = {self.sigma:g}",
            error_estimate=self.standard_error, statistical=True, rtol=rtol, atol=0.0,
            sample_size=self.samples, seed=self.seed, points=np.array([self.point]))


def noise_sensitivity(f: object, point: object, vars: object = None, *, sigma: float = 1e-3,
                      samples: int = 20_000, seed: int = 0,
                      timeout: float | None = DEFAULT_TIMEOUT) -> NoiseEstimate:
    """Estimate ``||J||_F² / n`` by injecting small Gaussian noise, next to the exact value.

    For e ~ N(0, σ² I_n), ``f(x+e) - f(x) ≈ J e`` and ``E|J e|² = σ² ||J||_F²``
    while ``E|e|² = n σ²``; the ratio tends to ``||J||_F² / n`` as σ → 0 (the
    bias is of order σ²).

    Args:
        f: A Transform, or an expression / list of expressions with ``vars``.
        point: The point x: a sequence in the order of the inputs, or ``{name: value}``.
        vars: The variables, when ``f`` is not a Transform.
        sigma: The noise standard deviation per coordinate.
        samples: The number of noise draws.
        seed: Seed of the ``numpy.random.Generator``.
        timeout: Seconds the symbolic work may take.

    >>> from symjac import noise_sensitivity, system
    >>> est = noise_sensitivity(system("polar"), [2.0, 0.5], seed=1)
    >>> est.exact                       # (1 + r²) / 2 at r = 2
    2.5
    >>> est.agrees()
    True
    """
    exprs, xs = _function(f, vars)
    x0 = _point(point, xs)
    if not (isinstance(sigma, (int, float)) and sigma > 0):
        raise DimensionError(f"sigma must be a positive number, got {sigma!r}.", value=sigma)
    if not (isinstance(samples, int) and samples >= 2):
        raise DimensionError(f"samples must be a whole number ≥ 2, got {samples!r}.", value=samples)
    n = len(xs)
    with time_limit(timeout, "differentiating for the noise estimate"):
        J = sp.ImmutableMatrix(exprs).jacobian(xs)
    fn = lambdify_batched(sp.ImmutableMatrix(exprs), xs, timeout=timeout)
    jac = lambdify_batched(J, xs, timeout=timeout)
    rng = np.random.default_rng(seed)
    e = rng.normal(0.0, sigma, size=(samples, n))
    with np.errstate(all="ignore"):
        base = fn(x0)
        moved = fn(x0[None, :] + e)
        J0 = jac(x0)
    diff = (moved - base[None, ...]).reshape(samples, -1)
    ratio = np.sum(diff**2, axis=1) / (n * sigma**2)
    exact = float(np.sum(J0**2) / n)
    if not (np.all(np.isfinite(ratio)) and np.isfinite(exact)):
        raise DimensionError(f"the map is not finite near {tuple(x0)}; choose a point inside its "
                             "domain, away from singularities.", value=tuple(x0))
    return NoiseEstimate(float(ratio.mean()), float(ratio.std(ddof=1) / np.sqrt(samples)), exact,
                         tuple(float(v) for v in x0), xs, float(sigma), samples, seed)


def _point(point: object, xs: Sequence[sp.Symbol]) -> np.ndarray:
    if isinstance(point, Mapping):
        by_name = {(k.name if isinstance(k, sp.Symbol) else str(k)): v for k, v in point.items()}
        missing = [x.name for x in xs if x.name not in by_name]
        if missing:
            raise DimensionError(f"the point has no value for {', '.join(missing)}.", value=point)
        values = [by_name[x.name] for x in xs]
    else:
        values = list(np.ravel(np.asarray(point, dtype=float)))
    if len(values) != len(xs):
        raise DimensionError(f"the point needs {len(xs)} values ({', '.join(map(str, xs))}), got "
                             f"{len(values)}.", value=point)
    return np.asarray(values, dtype=float)
