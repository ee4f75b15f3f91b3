"""Numeric evidence that a transformed density is right: it integrates to 1 and matches samples.

``verify_density(d)`` (1) integrates ``d.pdf`` over its support with SciPy
quadrature, and (2) draws a seeded sample on one side of the map, pushes it
through the map in the direction it was given, and compares it with the
density on the other side: Kolmogorov-Smirnov in one dimension, box
probabilities with standard errors in two or more. Symbolic parameters get
sample values first, and the report says which.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from collections.abc import Callable, Mapping, Sequence

import numpy as np
import sympy as sp

from ..domains import flatten_conditions, support_intervals
from ..errors import DomainError, SymjacError
from .families import FAMILIES, Family
from .recognition import recognise_family
from ..numeric.quadrature import integrate_numerically
from ..report import CheckReport, require_count, require_positive, require_probability
from ..errors import SymjacTimeoutError
from ..timeouts import time_limit
from ..numeric.sampling import box_probability_check, ks_check, sample_density

__all__ = ["verify_density", "sample_transformed", "TransformedSample"]

_POSITIVE_VALUES = (1.5, 2.5, 0.75, 3.0, 1.25)
_REAL_VALUES = (0.5, -0.3, 1.2, -0.8)


def _parameter_values(density, given: Mapping[object, float] | None) -> dict[sp.Symbol, sp.Float]:
    variables = set(density.variables) | set(density.source.variables) | set(density.marginalized)
    symbols = set(density.pdf.free_symbols) | set(density.source.pdf.free_symbols)
    for c in density.source.support:
        symbols |= c.free_symbols
    for e in density.transform.exprs:
        symbols |= e.free_symbols
    params = sorted((s for s in symbols if s not in variables and s not in density.transform.inputs
                     and s not in density.transform.outputs), key=str)
    by_name = {(k.name if isinstance(k, sp.Symbol) else str(k)): v for k, v in (given or {}).items()}
    values: dict[sp.Symbol, sp.Float] = {}
    i_pos = i_real = 0
    for p in params:
        if p.name in by_name:
            values[p] = sp.Float(by_name[p.name])
        elif p.is_positive or p.is_nonnegative:
            values[p] = sp.Float(_POSITIVE_VALUES[i_pos % len(_POSITIVE_VALUES)])
            i_pos += 1
        else:
            values[p] = sp.Float(_REAL_VALUES[i_real % len(_REAL_VALUES)])
            i_real += 1
    return values


def _subs(expr: sp.Basic, values: Mapping[sp.Symbol, sp.Expr]) -> sp.Basic:
    if isinstance(expr, sp.Rel):
        return expr.func(expr.lhs.xreplace(values), expr.rhs.xreplace(values))
    return expr.xreplace(values)


def _vectorised(expr: sp.Expr, variables: Sequence[sp.Symbol]) -> Callable[..., np.ndarray]:
    """A NumPy function of one array per variable; unevaluated integrals are done by quadrature."""
    if expr.has(sp.Integral):
        from scipy import integrate

        integrals = sorted(expr.atoms(sp.Integral), key=sp.default_sort_key)
        dummies = [sp.Dummy(f"I{i}") for i in range(len(integrals))]
        outer = sp.lambdify(list(variables) + dummies, expr.xreplace(dict(zip(integrals, dummies))),
                            modules="numpy")
        inner = []
        for integral in integrals:
            if len(integral.limits) != 1:
                raise DomainError(
                    f"the density is still a {len(integral.limits)}-fold integral, too costly to "
                    "evaluate at every sample point, so the sample comparison was skipped.",
                    value=integral, hint="integrate some variables out by hand first, or "
                    "transform in two steps with one auxiliary variable each.")
            (w, a, b), = integral.limits
            g = sp.lambdify([w] + list(variables), integral.function, modules="math")
            lo = sp.lambdify(list(variables), a, modules="math")
            hi = sp.lambdify(list(variables), b, modules="math")
            inner.append((g, lo, hi))

        def scalar(*xs: float) -> float:
            vals = []
            for g, lo, hi in inner:
                a_, b_ = float(lo(*xs)), float(hi(*xs))
                with warnings.catch_warnings():  # accuracy is judged by the checks themselves
                    warnings.simplefilter("ignore")
                    vals.append(integrate.quad(lambda w: g(w, *xs), a_, b_, limit=200)[0]
                                if a_ < b_ else 0.0)
            return float(outer(*xs, *vals))

        vec = np.vectorize(scalar, otypes=[float])

        def f(*columns: np.ndarray) -> np.ndarray:
            with np.errstate(all="ignore"):
                return vec(*columns)

        return f
    fn = sp.lambdify(list(variables), expr, modules=["scipy", "numpy"])  # scipy: LambertW, ...

    def f(*columns: np.ndarray) -> np.ndarray:
        with np.errstate(all="ignore"):
            out = np.asarray(fn(*columns))
            if np.iscomplexobj(out):  # scipy's lambertw is complex-valued; keep real values
                real = np.abs(out.imag) <= 1e-12 * np.maximum(1.0, np.abs(out.real))
                out = np.where(real, out.real, np.nan)
            out = np.asarray(out, dtype=float)
        out = np.broadcast_to(out, np.shape(columns[0])).copy()
        out[~np.isfinite(out)] = 0.0
        return out

    return f


# ---------------------------------------------------------------------------- (1) normalisation


def _pieces(pdf: sp.Expr) -> list[tuple[sp.Expr, sp.Basic]]:
    if isinstance(pdf, sp.Piecewise):
        return [(e, c) for e, c in pdf.args if e != 0]
    return [(pdf, sp.true)]


def _normalisation(pdf: sp.Expr, variables: tuple[sp.Symbol, ...], timeout: float | None
                   ) -> CheckReport:
    total, error, converged, notes, method = 0.0, 0.0, True, [], "scipy.nquad"
    for expr, cond in _pieces(pdf):
        box = support_intervals(flatten_conditions([cond]), variables) if cond is not sp.true \
            else {v: (-sp.oo, sp.oo) for v in variables}
        if box is None:
            expr = sp.Piecewise((expr, cond), (0, True))
            box = {v: (-sp.oo, sp.oo) for v in variables}
        limits: list[tuple[object, object, object]] = []
        if isinstance(expr, sp.Integral):
            limits.extend(expr.limits)
            expr = expr.function
        limits.extend((v, *box[v]) for v in variables)
        q = integrate_numerically(expr, limits, rtol=1e-8, atol=1e-10, timeout=timeout)
        if not q.converged and len(limits) == 1:  # a second method, accepted only if its rules agree
            q2 = integrate_numerically(expr, limits, method="mpmath", timeout=timeout)
            q = q2 if q2.converged else q
        total += q.value
        error += q.error
        converged &= q.converged
        notes.extend(q.warnings)
        method = q.method
    report = CheckReport.compare(total, 1.0, what="the density integrates to 1 over its support",
                                 method=method, error_estimate=error, converged=converged,
                                 rtol=1e-6, atol=1e-8, warnings=notes)
    if report.verdict == "failed" and len(variables) == 1 and not pdf.has(sp.Integral):
        # SciPy's error estimate can be too small next to a peak: a correct density is failed only
        # when a second method (mpmath, two rules agreeing) confirms the total is not 1
        second = _normalisation_mpmath(pdf, variables, timeout)
        if second is None or abs(second - 1.0) <= max(1e-8, 1e-6):
            why = ("mpmath could not confirm SciPy's total" if second is None else
                   f"mpmath gives {second:.12g}, within the tolerance of 1")
            return CheckReport("inconclusive", report.what, f"{method} / mpmath.quad",
                               value=total, expected=1.0, error=report.error,
                               relative_error=report.relative_error, error_estimate=error,
                               rtol=1e-6, atol=1e-8, reason=(
                                   f"SciPy's total {total:.12g} differs from 1 by {report.error:.3g}, "
                                   f"but {why}: the methods disagree, so nothing is decided."),
                               warnings=tuple(notes))
    return report


def _normalisation_mpmath(pdf: sp.Expr, variables: tuple[sp.Symbol, ...], timeout: float | None
                          ) -> float | None:
    total = 0.0
    for expr, cond in _pieces(pdf):
        box = support_intervals(flatten_conditions([cond]), variables) if cond is not sp.true \
            else {v: (-sp.oo, sp.oo) for v in variables}
        if box is None:
            return None
        q = integrate_numerically(expr, [(variables[0], *box[variables[0]])], method="mpmath",
                                  timeout=timeout)
        if not q.converged:
            return None
        total += q.value
    return total


# ---------------------------------------------------------------------------- (2) Monte Carlo


def _family_sampler(family: Family, values) -> Callable[[int, np.random.Generator], np.ndarray]:
    parts = family.components or (family,)

    def draw(n: int, rng: np.random.Generator) -> np.ndarray:
        cols = [np.asarray(c.scipy(values).rvs(size=n, random_state=rng), dtype=float) for c in parts]
        return np.column_stack(cols)

    return draw


def _finite_box(variables, support, values, pdf_fn) -> dict[sp.Symbol, tuple[float, float]]:
    box = support_intervals(support, variables) or {v: (-sp.oo, sp.oo) for v in variables}
    out = {}
    for v in variables:
        lo, hi = (float(sp.N(_subs(sp.sympify(b), values))) for b in box[v])
        lo = lo if math.isfinite(lo) else (min(hi, 0.0) - 40.0 if math.isfinite(hi) else -40.0)
        hi = hi if math.isfinite(hi) else max(lo, 0.0) + 40.0
        out[v] = (lo, hi)
    return out


def _sampler(pdf_value: sp.Expr, variables, support, values, family: Family | None):
    """A function ``draw(n, rng)`` for a density, and how it samples, in words."""
    if family is None:
        box = support_intervals(support, variables)
        if box is not None:
            family = recognise_family(pdf_value, variables, box)
    if family is not None and all(c.name in _SCIPY_OK for c in (family.components or (family,))):
        return _family_sampler(family, values), f"scipy.stats ({family})"
    own = [c for c in flatten_conditions(support) if c.free_symbols & set(variables)]
    restricted = sp.Piecewise((pdf_value, sp.And(*own)), (0, True)) if own else pdf_value
    fn = _vectorised(_subs(restricted, values), variables)
    box = _finite_box(variables, support, values, fn)

    if len(variables) == 1:
        (lo, hi), = box.values()
        if _pinv(fn, lo, hi) is not None:
            def draw_pinv(n: int, rng: np.random.Generator) -> np.ndarray:
                gen = _pinv(fn, lo, hi, rng)
                return np.asarray(gen.rvs(n), dtype=float)[:, None]  # type: ignore[union-attr]

            return draw_pinv, f"scipy.stats.sampling.NumericalInversePolynomial on {_box_text(box)}"

    def draw(n: int, rng: np.random.Generator) -> np.ndarray:
        pts = sample_density(fn, variables, box, n, seed=rng)
        return pts[:, None] if pts.ndim == 1 else pts

    method = "inverse CDF" if len(variables) == 1 else "rejection"
    return draw, f"{method} sampling on {_box_text(box)}"


_SCIPY_OK = frozenset(FAMILIES)  # every named family has its scipy.stats counterpart


def _box_text(box: Mapping[sp.Symbol, tuple[float, float]]) -> str:
    return ", ".join(f"{lo:g} < {v} < {hi:g}" for v, (lo, hi) in box.items())


#: Density evaluations allowed for one ``NumericalInversePolynomial`` setup (a few thousand is usual).
_PINV_CALLS = 20_000


def _pinv(fn: Callable[..., np.ndarray], lo: float, hi: float,
          rng: np.random.Generator | None = None) -> object | None:
    """SciPy's ``NumericalInversePolynomial`` for a 1-D density on ``(lo, hi)`` (normalised
    there by SciPy), or None when its setup fails; it gives both samples and the CDF."""
    from scipy.stats.sampling import NumericalInversePolynomial

    calls = [0]

    class _Dist:
        def pdf(self, x: float) -> float:
            calls[0] += 1
            if calls[0] > _PINV_CALLS:  # a setup struggling with a singular pdf: fall back
                raise OverflowError("too many density evaluations")
            with np.errstate(all="ignore"):
                return float(fn(np.array([x], dtype=float))[0])

        def support(self) -> tuple[float, float]:
            return (lo, hi)

    if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi):
        return None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            gen = NumericalInversePolynomial(_Dist(), random_state=rng, u_resolution=1e-12)
        except (ValueError, RuntimeError, ZeroDivisionError, TypeError, OverflowError):
            return None
    calls[0] = -10 ** 12  # sampling and the CDF afterwards are not limited
    if any(issubclass(w.category, RuntimeWarning) and "UNU.RAN" in str(w.message).upper()
           for w in caught):
        return None
    return gen


def _quantile_cdf(f: Callable[..., np.ndarray], xs: np.ndarray, lo: float, hi: float,
                  nodes: int = 800, precise: Callable[[float, float], float] | None = None
                  ) -> Callable[[np.ndarray], np.ndarray]:
    """The CDF on ``(lo, hi)``, normalised there, tabulated by ``scipy.quad`` between the
    sample's quantiles (quad copes with integrable peaks such as ``y**(-3/4)`` at an end)."""
    from scipy import integrate

    grid = np.unique(np.concatenate([[lo], np.quantile(xs, np.linspace(0, 1, nodes)), [hi]]))
    scalar = lambda t: float(f(np.array([t]))[0])  # noqa: E731
    masses = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for a, b in zip(grid[:-1], grid[1:]):
            masses.append(integrate.quad(scalar, a, b, limit=100)[0])
    # between neighbouring quantiles of the sample lies a mass of about 1/nodes (beyond its
    # extremes about 1/n); far more, or a value that is not a finite non-negative number, means
    # rounding went wrong next to a singular point (lambertw near -1/e), so such cells are
    # recomputed with 30 digits (at most 60 of them, the largest first)
    if precise is not None:
        cells = len(masses)
        limits = [20.0 / max(len(xs), 1) if i in (0, cells - 1) else 20.0 / max(cells, 1)
                  for i in range(cells)]
        suspect = [i for i in range(cells)
                   if not (math.isfinite(masses[i]) and 0.0 <= masses[i] <= limits[i])]
        suspect.sort(key=lambda i: -masses[i] if math.isfinite(masses[i]) else -math.inf)
        for i in suspect[:60]:
            try:
                masses[i] = precise(float(grid[i]), float(grid[i + 1]))
            except (ValueError, TypeError, ZeroDivisionError, NameError):
                pass
    table = np.concatenate([[0.0], np.cumsum(masses)])
    table /= table[-1]
    return lambda x: np.interp(np.asarray(x, dtype=float), grid, table)


def _precise_mass(expr: sp.Expr, v: sp.Symbol) -> Callable[[float, float], float] | None:
    """``∫ expr dv`` over ``(a, b)`` with mpmath at 30 digits (for a few hard intervals)."""
    if expr.has(sp.Integral):
        return None
    import mpmath

    fn = sp.lambdify(v, expr, modules="mpmath")

    def mass(a: float, b: float) -> float:
        with mpmath.workdps(30):
            return float(mpmath.re(mpmath.quad(fn, [mpmath.mpf(a), mpmath.mpf(b)])))

    return mass


def _compare(samples: np.ndarray, target: sp.Expr, variables: tuple[sp.Symbol, ...],
             support: Sequence[sp.Basic], family: Family | None, values, seed: int, alpha: float,
             what: str) -> CheckReport:
    samples = samples[np.all(np.isfinite(samples), axis=1)]
    if len(variables) == 1:
        xs = samples[:, 0]
        if family is not None and not family.components and family.name in _SCIPY_OK:
            cdf = family.scipy(values).cdf
            return ks_check(xs, cdf, alpha=alpha, what=what, seed=seed)
        lo, hi = np.quantile(xs, [0.0005, 0.9995])
        box = support_intervals(support, variables)
        if box is not None:
            a, b = (float(sp.N(_subs(sp.sympify(e), values))) for e in box[variables[0]])
            lo, hi = (a if math.isfinite(a) else lo), (b if math.isfinite(b) else hi)
        inside = xs[(xs >= lo) & (xs <= hi)]
        exact = _pinv(_vectorised(target, variables), float(lo), float(hi)) \
            if not target.has(sp.Integral) else None
        if exact is not None:
            return ks_check(inside, exact.cdf, alpha=alpha, what=what, seed=seed)  # type: ignore[attr-defined]
        cdf = _quantile_cdf(_vectorised(target, variables), inside, lo, hi,
                            precise=_precise_mass(target, variables[0]))
        return ks_check(inside, cdf, alpha=alpha, what=what, seed=seed)
    qs = [0.05, 0.35, 0.65, 0.95]
    edges = [np.quantile(samples[:, j], qs) for j in range(len(variables))]
    boxes: list[list[tuple[float, float]]] = []
    for idx in np.ndindex(*(len(qs) - 1,) * min(len(variables), 2)):
        box = [(float(edges[j][k]), float(edges[j][k + 1])) for j, k in enumerate(idx)]
        box += [(float(edges[j][0]), float(edges[j][-1])) for j in range(len(idx), len(variables))]
        boxes.append(box)
    probs = []
    for box in boxes:
        limits = [(v, a, b) for v, (a, b) in zip(variables, box)]
        q = integrate_numerically(target, limits, rtol=1e-7, atol=1e-10)
        probs.append(q.value)
    return box_probability_check(samples, probs, boxes, alpha=alpha, what=what, seed=seed)


def _forward_sample(density, values, n: int, rng: np.random.Generator) -> tuple[np.ndarray, str]:
    """A sample of ``X`` from the source density pushed through ``g``: the new variables' sample."""
    t, src = density.transform, density.source
    draw, how = _sampler(src.pdf, src.variables, src.support, values, src.family)
    xs = draw(n, rng)
    keep = [list(t.outputs).index(v) if v in t.outputs else
            [o.name for o in t.outputs].index(v.name) for v in density.variables]
    g = sp.lambdify(t.inputs, [_subs(t.exprs[i], values) for i in keep], modules="numpy")
    with np.errstate(all="ignore"):
        ys = np.column_stack([np.broadcast_to(np.asarray(c, dtype=float), (len(xs),))
                              for c in g(*xs.T)])
    return ys, how


@dataclass(frozen=True)
class TransformedSample:
    """A seeded sample of the new variables of a ``Density``, drawn without using its pdf.

    Attributes:
        values: Array of shape ``(n, k)``, one column per variable.
        variables: The variables, in column order.
        pdf: The density's pdf with the sample values of its parameters put in.
        parameters: The values given to symbolic parameters.
        method: How the sample was drawn.
        seed: The seed of ``numpy.random.default_rng``.
    """

    values: np.ndarray
    variables: tuple[sp.Symbol, ...]
    pdf: sp.Expr
    parameters: dict[sp.Symbol, sp.Float]
    method: str
    seed: int


def sample_transformed(density, *, n: int = 20_000, seed: int = 0,
                       parameters: Mapping[object, float] | None = None) -> TransformedSample:
    """Draw the new variables: a sample of the old ones pushed through the map.

    For a map given the other way round (the old variables in terms of the
    new, as ``system("polar")``), the derived density itself is sampled.

    Args:
        density: A ``Density`` from ``transform_density``.
        n: Sample size.
        seed: Seed of ``numpy.random.default_rng``.
        parameters: Values for symbolic parameters (default: as ``verify_density`` picks them).

    >>> from symjac import Transform, transform_density
    >>> from symjac.densities.checks import sample_transformed
    >>> d = transform_density("1", Transform.from_equations("y = -log(u)"), support="0 < u < 1")
    >>> s = sample_transformed(d, n=1000, seed=2)
    >>> s.values.shape, bool(s.values.min() > 0)
    ((1000, 1), True)
    """
    if not hasattr(density, "pdf") or not hasattr(density, "source"):
        raise SymjacError(f"sample_transformed takes a Density from transform_density, got "
                          f"{type(density).__name__}.", value=density)
    values = _parameter_values(density, parameters)
    rng = np.random.default_rng(seed)
    if density.forward:
        ys, how = _forward_sample(density, values, n, rng)
    else:
        draw, how = _sampler(density.value, density.variables, density.support, values,
                             density.family)
        ys = draw(n, rng)
    return TransformedSample(ys, tuple(density.variables), _subs(density.pdf, values), values,
                             how, seed)


def verify_density(density, *, n: int = 20_000, seed: int = 0, alpha: float = 1e-3,
                   parameters: Mapping[object, float] | None = None,
                   timeout: float | None = 60.0) -> CheckReport:
    """Check a transformed density numerically: it integrates to 1 and matches a sample.

    The sample is drawn with ``numpy.random.default_rng(seed)`` from the
    density on the side where the map can be applied directly (the source for
    ``Y = g(X)``; the derived density when the map gave the old variables in
    terms of the new), pushed through the map, and compared with the density
    on the other side: Kolmogorov-Smirnov in one dimension, box probabilities
    in more. Symbolic parameters are given sample values first (or ``parameters``).

    Args:
        density: A ``Density`` from ``transform_density``.
        n: Sample size.
        seed: Seed of the random generator.
        alpha: Significance level of the statistical test.
        parameters: Values for symbolic parameters (``{"lam": 2}``).
        timeout: Seconds for each quadrature.

    Returns:
        A ``CheckReport``: passed only if both checks pass; its ``value`` holds
        the integral and the test statistic, and ``reason`` says how each went.

    >>> from symjac import Transform, transform_density, verify_density
    >>> d = transform_density("1", Transform.from_equations("y = -log(u)"), support="0 < u < 1")
    >>> report = verify_density(d, n=5000, seed=1)
    >>> report.verdict, report.sample_size, report.seed
    ('passed', 5000, 1)
    """
    if not hasattr(density, "pdf") or not hasattr(density, "source"):
        raise SymjacError(f"verify_density takes a Density from transform_density, got "
                          f"{type(density).__name__}.", value=density)
    require_count("n", n, 100, example="20000")
    require_probability("alpha", alpha)
    if timeout is not None:
        require_positive("timeout", timeout, example="60")
    values = _parameter_values(density, parameters)
    notes = []
    if values:
        notes.append("symbolic parameters were given sample values: "
                     + ", ".join(f"{p} = {float(v):g}" for p, v in values.items()))
    pdf = _subs(density.pdf, values)
    norm = _normalisation(pdf, density.variables, timeout)
    rng = np.random.default_rng(seed)
    t = density.transform
    src = density.source
    try:
        with time_limit(timeout, "the sample comparison of a density"):
            if density.forward:
                ys, how = _forward_sample(density, values, n, rng)
                fam = density.family
                mc = _compare(ys, pdf, density.variables, density.support, fam, values, seed, alpha,
                              f"a sample of {', '.join(map(str, density.variables))} = g(X) against "
                              "the derived density")
            else:
                value = density.value
                draw, how = _sampler(value, density.variables, density.support, values, density.family)
                ys = draw(n, rng)
                plain = {v: p for v in t.inputs for p in density.variables if p.name == v.name}
                g = sp.lambdify([plain[v] for v in t.inputs],
                                [_subs(e.xreplace(plain), values) for e in t.exprs], modules="numpy")
                with np.errstate(all="ignore"):
                    xs = np.column_stack([np.broadcast_to(np.asarray(c, dtype=float), (len(ys),))
                                          for c in g(*ys.T)])
                source_pdf = _subs(sp.Piecewise((src.pdf, sp.And(*src.support)), (0, True))
                                   if src.support else src.pdf, values)
                mc = _compare(xs, source_pdf, src.variables, src.support, src.family, values, seed,
                              alpha, "a sample of the new variables pushed through the map against "
                              "the original density")
        mc_notes = [f"sampled by {how}"]
    except SymjacTimeoutError:
        mc = CheckReport("inconclusive", "Monte Carlo comparison", "sampling", reason=(
            f"The sample comparison did not finish within the time limit of {timeout} s, so it "
            "decides nothing."), sample_size=0, seed=seed, statistical=True)
        mc_notes = []
    except (DomainError, ValueError, SymjacError, NameError, TypeError) as exc:
        mc = CheckReport("inconclusive", "Monte Carlo comparison", "sampling", reason=str(exc),
                         sample_size=0, seed=seed, statistical=True)
        mc_notes = []
    verdicts = {norm.verdict, mc.verdict}
    verdict = "failed" if "failed" in verdicts else "inconclusive" if "inconclusive" in verdicts \
        else "passed"
    reason = f"(1) Normalisation: {norm.reason} (2) Sample: {mc.reason}"
    value = {"integral": norm.value, "integral_error": norm.error_estimate,
             "statistic": mc.value, "test": mc.method}
    return CheckReport(verdict, "the transformed density", f"{norm.method} + {mc.method}",
                       value=value, expected={"integral": 1.0}, error=norm.error,
                       relative_error=norm.relative_error, error_estimate=norm.error_estimate,
                       rtol=norm.rtol, atol=alpha, reason=reason, sample_size=mc.sample_size,
                       seed=seed, statistical=True,
                       warnings=tuple(notes) + tuple(mc_notes) + norm.warnings + mc.warnings)
