"""Seeded sampling from densities, and statistical checks of samples against a density.

``sample_density`` draws from a density on a box (rejection sampling, any
dimension) or on an interval (inverse CDF, 1-D), always from an explicit
``numpy.random.Generator`` or seed. ``ks_check`` and ``box_probability_check``
compare samples with a density and return a ``CheckReport`` whose evidence is
statistical (a p-value, standard errors), for checking derived densities.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Mapping, Sequence
from typing import Literal

import numpy as np
import sympy as sp
from scipy import integrate as _sci

from ..errors import DomainError, SymjacError
from ..parsing import parse_expression, parse_symbols
from ..report import CheckReport, require_probability

__all__ = ["sample_density", "density_cdf", "box_probability", "ks_check", "box_probability_check"]

Box = Mapping[object, tuple[float, float]] | Sequence[tuple[float, float]]


def _rng(seed: int | np.random.Generator | None) -> np.random.Generator:
    return seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)


def _density(pdf: object, variables: Sequence[sp.Symbol]) -> Callable[..., np.ndarray]:
    """A vectorised density ``f(*columns)``; SymPy/text are lambdified, callables are used as given."""
    if callable(pdf) and not isinstance(pdf, sp.Basic):
        return pdf  # type: ignore[return-value]
    by_name = {s.name: s for s in variables}
    expr = parse_expression(pdf, symbols=by_name) if isinstance(pdf, str) else sp.sympify(pdf, strict=True)
    expr = expr.xreplace({s: by_name[s.name] for s in expr.free_symbols if s.name in by_name})
    stray = sorted(s.name for s in expr.free_symbols if s not in set(variables))
    if stray:
        raise DomainError(f"the density uses {', '.join(stray)}, which is not one of the variables "
                          f"({', '.join(s.name for s in variables)}). Give parameters numbers first.",
                          value=stray)
    fn = sp.lambdify(variables, expr, modules="numpy")

    def f(*columns: np.ndarray) -> np.ndarray:
        with np.errstate(all="ignore"):
            out = np.asarray(fn(*columns), dtype=float)
        return np.broadcast_to(out, np.shape(columns[0])).copy()

    return f


def _box(variables: Sequence[sp.Symbol], box: Box) -> tuple[np.ndarray, np.ndarray]:
    if isinstance(box, Mapping):
        given = {(k.name if isinstance(k, sp.Symbol) else str(k)): v for k, v in box.items()}
        missing = [s.name for s in variables if s.name not in given]
        if missing:
            raise DomainError(f"the box gives no range for {', '.join(missing)}.", value=box,
                              expected="{variable: (lower, upper)} for every variable")
        pairs = [given[s.name] for s in variables]
    else:
        pairs = list(box)
        if len(pairs) != len(variables):
            raise DomainError(f"the box has {len(pairs)} ranges for {len(variables)} variables.",
                              value=box)
    lo = np.array([float(sp.N(a)) for a, _ in pairs])
    hi = np.array([float(sp.N(b)) for _, b in pairs])
    if not (np.all(np.isfinite(lo)) and np.all(np.isfinite(hi)) and np.all(hi > lo)):
        raise DomainError(f"the box {pairs} must be finite with lower < upper in every variable.",
                          value=box, hint="Choose a finite box holding (nearly) all of the mass.")
    return lo, hi


def _variables(variables: Sequence[sp.Symbol] | str | sp.Symbol) -> tuple[sp.Symbol, ...]:
    if isinstance(variables, sp.Symbol):
        return (variables,)
    return parse_symbols(variables) if isinstance(variables, str) else tuple(variables)


# ---------------------------------------------------------------------- sampling


def sample_density(
    pdf: object,
    variables: Sequence[sp.Symbol] | str | sp.Symbol,
    box: Box,
    size: int,
    *,
    seed: int | np.random.Generator | None = 0,
    method: Literal["auto", "rejection", "inverse_cdf"] = "auto",
) -> np.ndarray:
    """Draw ``size`` points from a density (not necessarily normalised) on a box.

    Args:
        pdf: The density as a SymPy expression, text, or a vectorised function
            of one array per variable. Outside the box it is taken as zero.
        variables: The variables of the density, in the order of the columns.
        box: ``{variable: (lower, upper)}`` (finite), or a list of ranges.
        size: Number of points.
        seed: A seed or a ``numpy.random.Generator``.
        method: ``"rejection"`` (any dimension; exact, needs a bounded density),
            ``"inverse_cdf"`` (1-D; copes with integrable peaks such as ``1/sqrt(y)``),
            or ``"auto"`` (inverse CDF in 1-D, rejection otherwise).

    Returns:
        An array of shape ``(size,)`` for one variable, ``(size, d)`` otherwise.

    Raises:
        DomainError: If the box is not finite, or the density is negative,
            unbounded (for rejection) or zero on the box.

    >>> from symjac.numeric.sampling import sample_density
    >>> xs = sample_density("2*x", "x", {"x": (0, 1)}, 20_000, seed=1)
    >>> round(float(xs.mean()), 2)                          # E[X] = 2/3
    0.67
    >>> sample_density("x*y", "x y", {"x": (0, 1), "y": (0, 2)}, 5, seed=1).shape
    (5, 2)
    """
    syms = _variables(variables)
    f = _density(pdf, syms)
    lo, hi = _box(syms, box)
    rng = _rng(seed)
    if size < 0 or int(size) != size:
        raise SymjacError(f"size must be a whole number >= 0, got {size!r}.", value=size)
    if method == "auto":
        method = "inverse_cdf" if len(syms) == 1 else "rejection"
    if method == "inverse_cdf":
        if len(syms) != 1:
            raise DomainError("inverse-CDF sampling needs a density of one variable; use "
                              "method='rejection' for more.", value=syms)
        return _inverse_cdf(f, float(lo[0]), float(hi[0]), int(size), rng)
    if method != "rejection":
        raise SymjacError(f"unknown method {method!r}; expected 'auto', 'rejection' or 'inverse_cdf'.",
                          value=method)
    out = _rejection(f, lo, hi, int(size), rng)
    return out[:, 0] if len(syms) == 1 else out


def _rejection(f: Callable[..., np.ndarray], lo: np.ndarray, hi: np.ndarray, size: int,
               rng: np.random.Generator) -> np.ndarray:
    """Rejection sampling under a piecewise-constant envelope: the box is cut into equal cells,
    each with its own bound (1.25 times the largest value seen at its corners and at random
    points inside), so that a density peaked in a corner of a wide box (three exponentials
    on (0, 20)**3) is not drawn from a flat envelope that accepts one point in ten thousand.
    A value above its cell's bound raises the bound and starts again, so the sample stays exact.
    """
    cells = _Envelope(f, lo, hi, rng)
    accepted: list[np.ndarray] = []
    count = 0
    while count < size:
        m = int(min(max(4 * (size - count) / cells.acceptance, 1024), 2_000_000))
        x, bound = cells.propose(m)
        fx = f(*x.T)
        _check_values(fx)
        if cells.raise_where(x, fx, bound):  # the envelope was too low: start again
            accepted, count = [], 0
            continue
        keep = x[rng.random(m) * bound < fx]
        accepted.append(keep)
        count += len(keep)
        cells.acceptance = max(len(keep) / m, 1e-4)
    return np.concatenate(accepted)[:size]


class _Envelope:
    """Bounds of a density on the equal cells of a box, and points drawn under them."""

    def __init__(self, f: Callable[..., np.ndarray], lo: np.ndarray, hi: np.ndarray,
                 rng: np.random.Generator) -> None:
        d = len(lo)
        per_axis = max(int(round(4096 ** (1 / d))), 1)
        if (per_axis + 1) ** d > 100_000:
            per_axis = 1
        self.lo, self.rng, self.per_axis = lo, rng, per_axis
        self.width = (hi - lo) / per_axis
        axes = [np.linspace(a, b, per_axis + 1) for a, b in zip(lo, hi)]
        nodes = np.stack(np.meshgrid(*axes, indexing="ij"), axis=-1).reshape(-1, d)
        corner = f(*nodes.T).reshape((per_axis + 1,) * d)
        _check_values(corner)
        top = corner[(slice(0, per_axis),) * d]
        for shift in range(1, 2 ** d):  # the largest of each cell's 2**d corners
            index = tuple(slice(1, None) if shift >> k & 1 else slice(0, per_axis) for k in range(d))
            top = np.maximum(top, corner[index])
        inside = lo + (hi - lo) * rng.random((max(20_000, 4 * top.size), d))
        values = f(*inside.T)
        _check_values(values)
        top = top.reshape(-1)
        np.maximum.at(top, self.cell_of(inside), values)
        largest = float(np.max(top))
        if largest <= 0:
            raise DomainError("the density is zero everywhere on the box, so nothing can be sampled.")
        # a cell where nothing positive was seen may still hold a sliver of the support
        self.bound = 1.25 * np.maximum(top, 1e-3 * largest)
        self.acceptance = float(np.mean(values)) / float(np.mean(self.bound)) or 1e-4

    def cell_of(self, x: np.ndarray) -> np.ndarray:
        k = np.clip(((x - self.lo) / self.width).astype(int), 0, self.per_axis - 1)
        return np.ravel_multi_index(tuple(k.T), (self.per_axis,) * len(self.lo))

    def propose(self, m: int) -> tuple[np.ndarray, np.ndarray]:
        """``m`` points drawn with density proportional to the envelope, and its value at each."""
        weights = self.bound / self.bound.sum()
        picked = self.rng.choice(len(self.bound), size=m, p=weights)
        corner = np.stack(np.unravel_index(picked, (self.per_axis,) * len(self.lo)), axis=-1)
        x = self.lo + (corner + self.rng.random((m, len(self.lo)))) * self.width
        return x, self.bound[picked]

    def raise_where(self, x: np.ndarray, fx: np.ndarray, bound: np.ndarray) -> bool:
        """Raise the bound of every cell where the density was seen above it; True if any."""
        over = fx > bound
        if not np.any(over):
            return False
        np.maximum.at(self.bound, self.cell_of(x[over]), 1.5 * fx[over])
        return True


def _check_values(values: np.ndarray) -> None:
    if not np.all(np.isfinite(values)):
        raise DomainError("the density is not finite somewhere on the box (unbounded or undefined), "
                          "so rejection sampling cannot be used.",
                          hint="Use method='inverse_cdf' in one dimension, or shrink the box.")
    if np.any(values < 0):
        raise DomainError("the density is negative somewhere on the box; a density must be >= 0.")


_GL_NODES, _GL_WEIGHTS = np.polynomial.legendre.leggauss(12)


def _table(f: Callable[..., np.ndarray], a: float, b: float, cells: int) -> tuple[np.ndarray, np.ndarray]:
    """Nodes and the cumulative mass at them.

    Each cell is integrated with 12- and 24-point Gauss-Legendre at once; cells
    where the two disagree (a peak, a kink) are redone with ``scipy.quad``.
    """
    nodes = np.linspace(a, b, cells + 1)
    masses = _gauss(f, nodes[:-1], nodes[1:], _GL_NODES, _GL_WEIGHTS)
    check = _gauss(f, nodes[:-1], nodes[1:], *_GL24)
    rough = ~(np.abs(masses - check) <= 1e-13 * max(float(np.nansum(np.abs(check))), 1e-300))
    for i in np.nonzero(rough)[0]:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            masses[i] = _sci.quad(lambda x: float(f(np.array([x]))[0]), nodes[i], nodes[i + 1],
                                  limit=200)[0]
        if caught:
            raise DomainError(
                f"the density could not be integrated accurately on [{nodes[i]:.6g}, {nodes[i + 1]:.6g}] "
                f"({' '.join(str(caught[0].message).split())[:120]}).",
                hint="Check that the density is integrable there, or use a smaller box.")
    if np.any(masses < 0) or not np.all(np.isfinite(masses)):
        raise DomainError("the density is negative or not integrable on the interval.")
    cumulative = np.concatenate([[0.0], np.cumsum(masses)])
    if cumulative[-1] <= 0:
        raise DomainError("the density has no mass on the interval, so nothing can be sampled.")
    return nodes, cumulative


_GL24 = np.polynomial.legendre.leggauss(24)


def _gauss(f: Callable[..., np.ndarray], left: np.ndarray, right: np.ndarray, nodes: np.ndarray,
           weights: np.ndarray) -> np.ndarray:
    half = 0.5 * (right - left)
    pts = left[:, None] + half[:, None] * (nodes[None, :] + 1)
    with np.errstate(all="ignore"):
        vals = f(pts.ravel()).reshape(pts.shape)
    return (half[:, None] * weights[None, :] * vals).sum(1)


def _inverse_cdf(f: Callable[..., np.ndarray], a: float, b: float, size: int,
                 rng: np.random.Generator) -> np.ndarray:
    nodes, cumulative = _table(f, a, b, 512)
    u = rng.random(size) * cumulative[-1]
    cell = np.clip(np.searchsorted(cumulative, u, side="right") - 1, 0, len(nodes) - 2)
    left, right = nodes[cell], nodes[cell + 1]
    target = u - cumulative[cell]
    # solve ∫_left^x f = target inside each cell by safeguarded Newton steps
    lo, hi = left.copy(), right.copy()
    width = cumulative[cell + 1] - cumulative[cell]
    x = left + (right - left) * np.where(width > 0, target / np.where(width > 0, width, 1), 0.5)
    for _ in range(30):
        half = 0.5 * (x - left)
        pts = left[:, None] + half[:, None] * (_GL_NODES[None, :] + 1)
        with np.errstate(all="ignore"):
            part = (half[:, None] * _GL_WEIGHTS[None, :] * f(pts.ravel()).reshape(pts.shape)).sum(1)
            g = part - target
            lo = np.where(g < 0, x, lo)
            hi = np.where(g >= 0, x, hi)
            step = g / f(x)
        newton = x - step
        ok = np.isfinite(newton) & (newton > lo) & (newton < hi)
        new = np.where(ok, newton, 0.5 * (lo + hi))
        if np.all(np.abs(new - x) <= 1e-14 * np.maximum(1.0, np.abs(x))):
            x = new
            break
        x = new
    return x


# ---------------------------------------------------------------------- statistics


def density_cdf(pdf: object, variable: sp.Symbol | str, interval: tuple[float, float], *,
                cells: int = 1024) -> Callable[[np.ndarray], np.ndarray]:
    """The CDF of a 1-D density on a finite interval, normalised to 1, as a vectorised function.

    The mass of each of ``cells`` cells is found with ``scipy.quad``; inside a
    cell the CDF is integrated with 12-point Gauss-Legendre.

    >>> from symjac.numeric.sampling import density_cdf
    >>> F = density_cdf("2*x", "x", (0, 1))
    >>> [round(float(v), 12) for v in F([0.0, 0.5, 1.0])]
    [0.0, 0.25, 1.0]
    """
    syms = _variables(variable)
    f = _density(pdf, syms)
    (a,), (b,) = _box(syms, [interval])
    nodes, cumulative = _table(f, a, b, cells)
    total = cumulative[-1]

    def cdf(x: np.ndarray) -> np.ndarray:
        x = np.clip(np.asarray(x, dtype=float), a, b)
        cell = np.clip(np.searchsorted(nodes, x, side="right") - 1, 0, len(nodes) - 2)
        left = nodes[cell]
        half = 0.5 * (x - left)
        pts = left[..., None] + half[..., None] * (_GL_NODES + 1)
        with np.errstate(all="ignore"):
            vals = f(pts.ravel()).reshape(pts.shape)
        part = (half[..., None] * _GL_WEIGHTS * np.where(np.isfinite(vals), vals, 0.0)).sum(-1)
        return np.clip((cumulative[cell] + part) / total, 0.0, 1.0)

    return cdf


def box_probability(samples: np.ndarray, box: Sequence[tuple[float, float]]) -> tuple[float, float]:
    """The fraction of samples in a box and its standard error ``sqrt(p(1-p)/n)``.

    >>> import numpy as np
    >>> from symjac.numeric.sampling import box_probability
    >>> pts = np.random.default_rng(0).random((10_000, 2))
    >>> p, se = box_probability(pts, [(0, 0.5), (0, 0.5)])
    >>> abs(p - 0.25) < 4 * se
    True
    """
    pts = np.asarray(samples, dtype=float)
    pts = pts[:, None] if pts.ndim == 1 else pts
    inside = np.ones(len(pts), dtype=bool)
    for j, (a, b) in enumerate(box):
        inside &= (pts[:, j] >= a) & (pts[:, j] <= b)
    n = len(pts)
    p = float(inside.mean()) if n else math.nan
    return p, math.sqrt(max(p * (1 - p), 0.0) / n) if n else math.nan


def ks_check(samples: np.ndarray, cdf: Callable[[np.ndarray], np.ndarray], *, alpha: float = 1e-3,
             what: str = "samples against a distribution", seed: int | None = None) -> CheckReport:
    """Kolmogorov-Smirnov test of 1-D samples against a CDF, as a ``CheckReport``.

    Fails when the p-value is below ``alpha`` (so a correct density fails with
    probability ``alpha``); passes otherwise. The evidence is statistical: the
    KS distance and p-value are in the report.

    >>> from symjac.numeric.sampling import sample_density, density_cdf, ks_check
    >>> xs = sample_density("2*x", "x", {"x": (0, 1)}, 5_000, seed=2)
    >>> ks_check(xs, density_cdf("2*x", "x", (0, 1))).verdict
    'passed'
    >>> ks_check(xs, density_cdf("1", "x", (0, 1))).verdict        # the wrong density
    'failed'
    """
    require_probability("alpha", alpha)
    xs = np.asarray(samples, dtype=float).ravel()
    if len(xs) < 20:
        return CheckReport("inconclusive", what, "Kolmogorov-Smirnov test", sample_size=len(xs),
                           reason="Fewer than 20 samples cannot decide anything.", statistical=True,
                           seed=seed)
    from scipy import stats  # on first use: it takes a second to import

    result = stats.kstest(xs, cdf)
    distance, pvalue = float(result.statistic), float(result.pvalue)
    passed = pvalue >= alpha
    reason = (f"KS distance {distance:.3g} with p-value {pvalue:.3g} "
              f"{'>=' if passed else '<'} {alpha:g} over {len(xs)} samples.")
    return CheckReport("passed" if passed else "failed", what, "Kolmogorov-Smirnov test",
                       value=distance, expected=0.0, error=distance, relative_error=math.nan,
                       error_estimate=1.36 / math.sqrt(len(xs)), rtol=0.0, atol=alpha,
                       reason=reason, sample_size=len(xs), seed=seed, statistical=True,
                       warnings=(f"p-value {pvalue:.3g}; a correct density fails this test with "
                                 f"probability {alpha:g}",))


def box_probability_check(samples: np.ndarray, probabilities: Sequence[float],
                          boxes: Sequence[Sequence[tuple[float, float]]], *, alpha: float = 1e-3,
                          what: str = "samples against box probabilities",
                          seed: int | None = None) -> CheckReport:
    """Compare the fraction of samples in each box with the probability a density gives it.

    Each box gives a z-score ``(p̂ - p) / sqrt(p(1-p)/n)``; the check fails when
    the largest ``|z|`` exceeds the two-sided normal quantile for ``alpha``
    shared between the boxes (Bonferroni).

    >>> import numpy as np
    >>> from symjac.numeric.sampling import box_probability_check
    >>> pts = np.random.default_rng(0).random((20_000, 2))
    >>> box_probability_check(pts, [0.25, 0.06], [[(0, .5), (0, .5)], [(0, .2), (0, .3)]]).verdict
    'passed'
    """
    require_probability("alpha", alpha)
    pts = np.asarray(samples, dtype=float)
    n = len(pts)
    if len(probabilities) != len(boxes) or not boxes:
        raise DomainError("give one probability per box (and at least one box).",
                          value=(len(probabilities), len(boxes)))
    from scipy import stats

    z_crit = float(stats.norm.isf(alpha / (2 * len(boxes))))
    observed, zs, errors = [], [], []
    for p, box in zip(probabilities, boxes):
        p_hat, _ = box_probability(pts, box)
        se = math.sqrt(max(p * (1 - p), 1e-300) / n)
        observed.append(p_hat)
        errors.append(se)
        zs.append((p_hat - p) / se)
    worst = int(np.argmax(np.abs(zs)))
    passed = abs(zs[worst]) <= z_crit
    reason = (f"The largest deviation is {abs(zs[worst]):.2f} standard errors (box {worst + 1}); "
              f"the limit for {len(boxes)} box(es) at alpha={alpha:g} is {z_crit:.2f}.")
    return CheckReport("passed" if passed else "failed", what, "box probabilities (binomial z-test)",
                       value=np.array(observed), expected=np.array(probabilities, dtype=float),
                       error=float(np.max(np.abs(np.subtract(observed, probabilities)))),
                       relative_error=math.nan, error_estimate=float(max(errors)), rtol=0.0,
                       atol=alpha, reason=reason, sample_size=n, seed=seed, statistical=True)
