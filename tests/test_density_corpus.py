"""The textbook density corpus: each published answer checked on its own (it integrates to 1 and
matches a NumPy Monte Carlo sample of g(X) drawn from the old variables), then symjac's density,
support and family against it."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
import sympy as sp
from scipy import integrate

from symjac import Transform, order_statistic, transform_density
from density_corpus import PROBLEMS, Problem

Y = sp.Symbol("y", real=True)
U = sp.Symbol("u", real=True)
MC_SIZE = 40_000


def _variable(p: Problem) -> sp.Symbol:
    """The new variable: the left side of the map (``u = x/(x + y)``), else ``y``."""
    return U if p.map is not None and p.map.split("=")[0].strip() == "u" else Y


def _number(text: object, params: dict) -> float:
    return float(sp.sympify(str(text)).subs(params))


def sample_old(p: Problem, n: int, rng: np.random.Generator) -> np.ndarray:
    """The old variables of ``p`` drawn with NumPy, one column each."""
    cols = []
    for name, *args in p.dists:
        a = [_number(v, p.params) for v in args]
        if name == "norm":
            cols.append(rng.normal(a[0], a[1], n))
        elif name == "unif":
            cols.append(rng.uniform(a[0], a[1], n))
        elif name == "expon":
            cols.append(rng.exponential(1 / a[0], n))
        elif name == "gamma":
            cols.append(rng.gamma(a[0], 1 / a[1], n))
        elif name == "chi2":
            cols.append(rng.chisquare(a[0], n))
        elif name == "beta":
            cols.append(rng.beta(a[0], a[1], n))
        elif name == "cauchy":
            cols.append(rng.standard_cauchy(n))
        elif name == "binorm":
            cov = [[1, a[0]], [a[0], 1]]
            cols.extend(rng.multivariate_normal([0, 0], cov, n).T)
        else:
            raise AssertionError(name)
    return np.column_stack(cols)


def sample_new(p: Problem, n: int, seed: int = 0) -> np.ndarray:
    """Y = g(X) for a NumPy sample of X (the k-th smallest of n copies for an order statistic)."""
    rng = np.random.default_rng(seed)
    if p.kind == "order":
        copies, k = p.order
        xs = np.column_stack([sample_old(p, n, rng)[:, 0] for _ in range(copies)])
        return np.sort(xs, axis=1)[:, k - 1]
    xs = sample_old(p, n, rng)
    lhs, rhs = p.map.split("=")
    names = p.inputs.split()
    g = sp.sympify(rhs, locals={nm: sp.Symbol(nm, real=True) for nm in names + list(p.params)})
    g = g.subs({sp.Symbol(k, real=True): v for k, v in p.params.items()})
    fn = sp.lambdify([sp.Symbol(nm, real=True) for nm in names], g, "numpy")
    return np.asarray(fn(*xs.T), dtype=float)


def answer(p: Problem) -> sp.Expr:
    v = _variable(p)
    locs = {k: sp.Symbol(k, real=True) for k in p.params} | {v.name: v}
    e = sp.sympify(p.answer, locals=locs)
    return e.subs({sp.Symbol(k, real=True): val for k, val in p.params.items()})


def answer_bounds(p: Problem) -> tuple[float, float]:
    """``(low, high)`` of the published support (text such as ``0 < y < 1`` or ``y > 1``)."""
    if p.answer_support is None:
        return -math.inf, math.inf
    text = p.answer_support.replace(" ", "")
    parts = text.split("<") if "<" in text else text.split(">")[::-1]  # y > 1 read as 1 < y
    v = _variable(p).name
    if len(parts) == 3:
        return _number(parts[0], p.params), _number(parts[2], p.params)
    if parts[1] == v:
        return _number(parts[0], p.params), math.inf
    return -math.inf, _number(parts[1], p.params)


def _density_fn(e: sp.Expr, v: sp.Symbol):
    fn = sp.lambdify([v], e, "numpy")
    return lambda t: float(np.real(fn(t)))


def _mass(f, lo: float, hi: float) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cuts = [c for c in (0.0, 1.0) if lo < c < hi]
        edges = [lo, *cuts, hi]
        return sum(integrate.quad(f, a, b, limit=200)[0] for a, b in zip(edges[:-1], edges[1:]))


def test_the_corpus_has_at_least_fifty_problems_of_every_kind():
    assert len(PROBLEMS) >= 50
    assert {p.kind for p in PROBLEMS} == {"map", "order"}
    assert sum(bool(p.params) for p in PROBLEMS) >= 15


@pytest.mark.parametrize("p", PROBLEMS, ids=[p.name for p in PROBLEMS])
def test_the_published_answer_integrates_to_one_and_matches_a_monte_carlo_sample(p: Problem):
    v = _variable(p)
    f = _density_fn(answer(p), v)
    lo, hi = answer_bounds(p)
    assert _mass(f, lo, hi) == pytest.approx(1.0, abs=2e-6)
    ys = sample_new(p, MC_SIZE)
    assert np.all((ys > lo) & (ys < hi))
    for q in (0.1, 0.5, 0.9):
        at = float(np.quantile(ys, q))
        se = math.sqrt(q * (1 - q) / len(ys))
        assert abs(_mass(f, lo, at) - q) < 5 * se + 1e-3, (q, at)


def _symjac(p: Problem):
    if p.kind == "order":
        n, k = p.order
        return order_statistic(p.pdf, n=n, k=k, support=p.support)
    return transform_density(p.pdf, Transform.from_equations(p.map, inputs=p.inputs),
                             support=p.support)


@pytest.mark.parametrize("p", PROBLEMS, ids=[p.name for p in PROBLEMS])
def test_symjac_gives_the_published_density_support_and_family(p: Problem):
    d = _symjac(p)
    v = _variable(p)
    truth = answer(p)
    ys = sample_new(p, 2000, seed=1)
    values = {k: val for k, val in p.params.items()}
    for at in np.quantile(ys, [0.2, 0.5, 0.8]):
        got = d.evaluate({v.name: float(at), **values})
        want = float(sp.N(truth.subs(v, float(at))))
        assert got.converged and got.value == pytest.approx(want, rel=1e-7), at
    for at in p.outside:
        assert d.evaluate({v.name: at, **values}).value == 0
    assert d.support_known
    lo, hi = answer_bounds(p)
    if p.answer_support is None:
        assert d.support == ()
    else:
        inside = {s: float(np.median(ys)) for s in d.variables}
        for c in d.support:
            named = {s: values[s.name] for s in c.free_symbols if s.name in values}
            assert bool(c.xreplace(inside).xreplace(named)), d.support
        assert len(d.support) == (math.isfinite(lo) + math.isfinite(hi)), d.support
    if p.family is not None:
        assert d.family is not None and d.family.name == p.family, d.family
