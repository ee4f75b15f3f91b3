"""The one Monte Carlo loop of symjac, and the signs that it knows nothing.

``monte_carlo(values_at, dimension)`` averages a function of points of the unit
cube over randomised replicates of scrambled Sobol points (quasi-Monte Carlo):
the spread of the replicates gives an honest standard error. Every caller maps
the unit cube onto its own domain (a box, iterated bounds, infinite ranges);
the loop then looks for heavy tails and divergence (a few samples dominating,
the running mean not settling, the standard error not shrinking) and reports
"the integral may diverge" instead of trusting a value.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

__all__ = ["MonteCarloEstimate", "monte_carlo", "REPLICATES"]

#: Independent scrambles of the Sobol sequence; their spread gives the standard error.
REPLICATES = 16


@dataclass(frozen=True)
class MonteCarloEstimate:
    """A Monte Carlo mean with its evidence.

    Attributes:
        value: The mean over all replicates.
        standard_error: The standard deviation of the replicate means over sqrt(replicates).
        samples: How many points were evaluated.
        trustworthy: False when values were not finite or the tail checks failed.
        notes: What was found, in words (each "may diverge" note explains why).
        bad_point: The first point (in the unit cube's image) with a non-finite value.
        bad_count: How many values were not finite (counted as 0).
    """

    value: float
    standard_error: float
    samples: int
    trustworthy: bool
    notes: tuple[str, ...]
    bad_point: np.ndarray | None = None
    bad_count: int = 0


def monte_carlo(values_at: Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]], dimension: int,
                *, samples: int, seed: int | None) -> MonteCarloEstimate:
    """Average ``values_at`` over scrambled Sobol points of the unit cube.

    Args:
        values_at: Takes points ``u`` of shape ``(m, dimension)`` in ``[0, 1)`` and returns
            ``(x, values)``: the points it mapped them to (for messages) and the weighted
            integrand there (non-finite values are counted and replaced by 0).
        dimension: The number of coordinates.
        samples: The number of points asked for; the loop uses ``REPLICATES`` scrambles of
            a power of two points each, at most ``samples`` in total (at least 16 each).
        seed: Seed of the scrambles.

    >>> import numpy as np
    >>> from symjac.numeric.montecarlo import monte_carlo
    >>> est = monte_carlo(lambda u: (u, u[:, 0] ** 2), 1, samples=4096, seed=0)
    >>> abs(est.value - 1 / 3) < 1e-4, est.trustworthy
    (True, True)
    >>> est = monte_carlo(lambda u: (u, 1 / u[:, 0]), 1, samples=65536, seed=0)  # diverges
    >>> est.trustworthy, any("may diverge" in n for n in est.notes)
    (False, True)
    """
    per = 2 ** max(4, int(math.floor(math.log2(max(samples, 1) / REPLICATES))))
    first = per // 16  # the prefix used to see whether the estimate settles
    rng = np.random.default_rng(seed)
    means, early, tops = [], [], []
    total_abs = 0.0
    bad = 0
    bad_point = None
    k = max(16, int(math.sqrt(per * REPLICATES)) // REPLICATES)  # largest values kept per replicate
    from scipy.stats import qmc  # on first use: scipy.stats takes a second to import

    for _ in range(REPLICATES):
        u = qmc.Sobol(dimension, scramble=True, seed=rng).random_base2(int(math.log2(per)))
        u = np.clip(u, 1e-300, 1 - 2 ** -53)  # the open cube: maps to infinite ranges stay finite
        x, values = values_at(u)
        values = np.asarray(values, dtype=float)
        finite = np.isfinite(values)
        if not finite.all():
            if bad_point is None:
                bad_point = np.asarray(x)[np.argmin(finite)]
            bad += int((~finite).sum())
            values = np.where(finite, values, 0.0)
        means.append(float(values.mean()))
        early.append(float(values[:first].mean()))
        size = np.abs(values)
        total_abs += float(size.sum())
        tops.append(np.sort(size)[-k:])
    n = per * REPLICATES
    mean = float(np.mean(means))
    se = float(np.std(means, ddof=1) / math.sqrt(REPLICATES))
    early_mean = float(np.mean(early))
    early_se = float(np.std(early, ddof=1) / math.sqrt(REPLICATES))
    notes = [f"quasi-Monte Carlo: {REPLICATES} scrambled Sobol replicates of {per} points; the "
             "error is one standard error of their spread, a statistical estimate"]
    notes += _tail_notes(np.sort(np.concatenate(tops))[::-1], total_abs, n, mean, se,
                         early_mean, early_se)
    trustworthy = bad == 0 and len(notes) == 1
    if bad:
        notes.append(f"the integrand was not finite at {bad} of {n} samples; those samples were "
                     "counted as 0, so the value is not to be trusted")
    return MonteCarloEstimate(mean, se, n, trustworthy, tuple(notes), bad_point, bad)


def _tail_notes(top: np.ndarray, total_abs: float, n: int, mean: float, se: float,
                early_mean: float, early_se: float) -> list[str]:
    """Why the standard error cannot be trusted: heavy tails, a drifting mean, no shrinking."""
    found = []
    if total_abs == 0.0:
        return found
    share = float(top[0]) / total_abs
    k = len(top)
    positive = top[top > 0]
    alpha = math.inf
    if len(positive) == k and k > 1 and positive[-1] < positive[0]:
        logs = np.log(positive[:-1] / positive[-1])
        alpha = 1.0 / float(np.mean(logs)) if np.mean(logs) > 0 else math.inf
    if alpha < 1.5:
        found.append(f"the largest values fall off like a power with tail index {alpha:.2g} "
                     "(below 2 the variance is infinite, near 1 or below the integral itself may "
                     "be infinite): the integral may diverge, and the standard error means nothing")
    if share > 0.02:
        found.append(f"one sample carries {share:.1%} of the total: a few samples dominate the sum, "
                     "so the integral may diverge or the integrand has a spike the sample misses")
    drift = abs(mean - early_mean)
    if drift > 4.0 * math.hypot(se, early_se) and drift > 1e-12 * max(abs(mean), 1.0):
        found.append(f"the running mean has not settled (it moved from {early_mean:.6g} to "
                     f"{mean:.6g} as the sample grew sixteenfold): the integral may diverge")
    if se > 0 and early_se > 0 and early_se < 2.0 * se:
        found.append(f"the standard error did not shrink as 1/sqrt(n) ({early_se:.3g} with a "
                     f"sixteenth of the sample, {se:.3g} with all of it): the integral may diverge")
    return found


def _map_unit(u: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Map u in (0, 1) onto (lo, hi), possibly infinite; return the points and the weights dx/du."""
    sign = np.where(hi >= lo, 1.0, -1.0)
    a, b = np.minimum(lo, hi), np.maximum(lo, hi)
    x = np.empty_like(u)
    w = np.empty_like(u)
    fin = np.isfinite(a) & np.isfinite(b)
    x[fin] = a[fin] + (b - a)[fin] * u[fin]
    w[fin] = (b - a)[fin]
    right = np.isfinite(a) & ~np.isfinite(b)
    x[right] = a[right] + u[right] / (1 - u[right])
    w[right] = 1 / (1 - u[right]) ** 2
    left = ~np.isfinite(a) & np.isfinite(b)
    x[left] = b[left] - u[left] / (1 - u[left])
    w[left] = 1 / (1 - u[left]) ** 2
    both = ~np.isfinite(a) & ~np.isfinite(b)
    x[both] = np.tan(np.pi * (u[both] - 0.5))
    w[both] = np.pi * (1 + x[both] ** 2)
    return x, sign * w
