"""Check a curvilinear operator's result numerically, through Cartesian coordinates.

``check_operator(result)`` recomputes the gradient, divergence, curl or
Laplacian at random points of the domain without scale factors, the metric or
any simplification: it maps the field to Cartesian components, applies the
chain rule ``∂/∂x_k = Σ_i (J⁻¹)_ik ∂/∂q_i`` with high-precision numerical
derivatives (mpmath), and compares. The evidence is a ``CheckReport``.
"""

from __future__ import annotations

import mpmath
import numpy as np
import sympy as sp

from .curvilinear import OperatorResult, _is_abstract
from ..domains.signs import sample_points
from ..errors import DimensionError
from ..report import CheckReport
from ..timeouts import DEFAULT_TIMEOUT, time_limit

__all__ = ["check_operator"]


def check_operator(result: OperatorResult, *, points: int = 5, seed: int = 0, rtol: float = 1e-8,
                   atol: float = 1e-10, dps: int = 30,
                   timeout: float | None = DEFAULT_TIMEOUT) -> CheckReport:
    """Compare an operator's result with a Cartesian chain-rule computation at random points.

    Args:
        result: What ``operator_analysis`` returned.
        points: How many random points of the domain to use.
        seed: Seed of the ``numpy.random.Generator`` that draws them.
        rtol: Relative tolerance (of the largest value seen).
        atol: Absolute tolerance.
        dps: Decimal digits of the mpmath arithmetic.
        timeout: Seconds the whole check may take.

    Returns:
        A ``CheckReport``: ``passed`` when every point agrees, ``inconclusive``
        when the field has undefined functions (nothing to evaluate).

    >>> from symjac import operator_analysis, system
    >>> from symjac.operators.checks import check_operator
    >>> report = check_operator(operator_analysis("laplacian", "r**2*cos(theta)", system("spherical")))
    >>> report.verdict, report.sample_size
    ('passed', 5)
    """
    if not isinstance(result, OperatorResult):
        raise TypeError(f"check_operator takes what operator_analysis returns, got "
                        f"{type(result).__name__}.")
    what = f"the {result.operator} of {_show(result.field)}"
    method = "Cartesian chain rule with mpmath derivatives at random points"
    if _is_abstract(result.field):
        return CheckReport(verdict="inconclusive", what=what, method=method,
                           reason="The field contains undefined functions, so it has no values to "
                                  "check; give a concrete field.")
    t = result.transform
    if t is not None and not t.is_square:
        return CheckReport(verdict="inconclusive", what=what, method=method,
                           reason="The coordinates describe a surface in a larger space; the "
                                  "Cartesian chain rule needs a square Jacobian.")
    q = result.coords
    params = t.parameters if t is not None else ()
    symbols = tuple(q) + tuple(params)
    domain = t.domain if t is not None else ()
    stray = _free(result) - set(symbols)
    if stray:
        raise DimensionError(f"the result uses {', '.join(sorted(map(str, stray)))}, which are not "
                             "coordinates or parameters; give them values first.", value=stray)
    rng = np.random.default_rng(seed)
    try:
        sample = sample_points(symbols, domain, points, rng=rng)
    except ValueError as exc:
        return CheckReport(verdict="inconclusive", what=what, method=method, reason=str(exc), seed=seed)
    n = len(q)
    J = sp.Matrix(t.exprs).jacobian(q) if t is not None else sp.eye(n)
    with time_limit(timeout, f"checking {what} numerically"), mpmath.workdps(dps):
        numeric = _Numeric(result, J, symbols, n)
        ours, theirs = [], []
        for row in sample:
            point = [mpmath.mpf(float(v)) for v in row]
            ours.append(numeric.ours(point))
            theirs.append(numeric.cartesian(point))
    ours_a = np.array(ours, dtype=float)
    theirs_a = np.array(theirs, dtype=float)
    diff = np.abs(ours_a - theirs_a).reshape(len(sample), -1)
    if not (np.all(np.isfinite(diff)) and np.all(np.isfinite(theirs_a))):
        return CheckReport(verdict="inconclusive", what=what, method=method,
                           reason="Some values were not finite at the sampled points.",
                           points=sample, sample_size=len(sample), seed=seed)
    error = float(diff.max())
    scale = float(np.abs(theirs_a).max())
    tol = max(atol, rtol * scale)
    worst = tuple(float(v) for v in sample[int(np.argmax(diff.max(axis=1)))])
    passed = error <= tol
    reason = (f"At {len(sample)} random points the largest difference is {error:.3g}, "
              + (f"within the tolerance {tol:.3g}." if passed else f"above the tolerance {tol:.3g}."))
    return CheckReport(verdict="passed" if passed else "failed", what=what, method=method,
                       value=theirs_a, expected=ours_a, error=error,
                       relative_error=error / scale if scale else (0.0 if error == 0 else np.inf),
                       rtol=rtol, atol=atol, reason=reason, points=sample, sample_size=len(sample),
                       seed=seed, worst_point=worst)


class _Numeric:
    """Numeric versions of the field, the result and the Jacobian, in mpmath."""

    def __init__(self, result: OperatorResult, J: sp.Matrix, symbols: tuple, n: int):
        self.result, self.n = result, n
        lam = lambda e: sp.lambdify(symbols, e, modules="mpmath")  # noqa: E731
        self.J = lam(J)
        field = result.field if isinstance(result.field, tuple) else (result.field,)
        self.field = lam(sp.Matrix(field))
        self.grad_q = lam(sp.Matrix([sp.diff(field[0], s) for s in symbols[:n]])) \
            if result.operator in ("gradient", "laplacian") else None
        value = result.value if isinstance(result.value, sp.MatrixBase) else sp.Matrix([result.value])
        self.value = lam(sp.Matrix(value))

    def _jac(self, p: list) -> mpmath.matrix:
        return mpmath.matrix(self.J(*p))

    def _basis(self, p: list) -> list[mpmath.matrix]:
        """The Cartesian vectors the result's components multiply (e_i or ê_i)."""
        J = self._jac(p)
        cols = [J[:, i] for i in range(self.n)]
        if self.result.basis == "physical":
            cols = [c / mpmath.norm(c) for c in cols]
        return cols

    def _to_cartesian(self, comps: list, p: list) -> mpmath.matrix:
        out = mpmath.matrix(self.n, 1)
        for c, e in zip(comps, self._basis(p)):
            out += c * e
        return out

    def ours(self, p: list) -> list:
        v = mpmath.matrix(self.value(*p))
        comps = [v[i] for i in range(v.rows)]
        if self.result.operator in ("gradient", "curl"):
            cart = self._to_cartesian(comps, p)
            return [cart[i] for i in range(self.n)]
        return comps

    # -- the independent computation
    def _gradient_x(self, p: list) -> mpmath.matrix:
        Jinv = mpmath.inverse(self._jac(p))
        return Jinv.T * mpmath.matrix(self.grad_q(*p))

    def _field_x(self, p: list) -> mpmath.matrix:
        F = mpmath.matrix(self.field(*p))
        return self._to_cartesian([F[i] for i in range(self.n)], p)

    def _partials_x(self, g, p: list) -> list[list]:
        """d[k][a] = ∂g_k/∂x_a at p, through ∂/∂x_a = Σ_i (J⁻¹)_ia ∂/∂q_i."""
        Jinv = mpmath.inverse(self._jac(p))
        dq = []
        for i in range(self.n):
            def along(s, i=i):
                moved = list(p)
                moved[i] = s
                return g(moved)
            dq.append(_diff_vector(along, p[i], self.n))
        return [[sum(Jinv[i, a] * dq[i][k] for i in range(self.n)) for a in range(self.n)]
                for k in range(self.n)]

    def cartesian(self, p: list) -> list:
        op = self.result.operator
        if op == "gradient":
            g = self._gradient_x(p)
            return [g[i] for i in range(self.n)]
        if op == "laplacian":
            d = self._partials_x(self._gradient_x, p)
            return [sum(d[k][k] for k in range(self.n))]
        d = self._partials_x(self._field_x, p)
        if op == "divergence":
            return [sum(d[k][k] for k in range(self.n))]
        return [d[2][1] - d[1][2], d[0][2] - d[2][0], d[1][0] - d[0][1]]  # curl


def _diff_vector(g, x0, n: int) -> list:
    """Derivatives of each component of a vector-valued g(s) at s = x0 (mpmath)."""
    return [mpmath.diff(lambda s, k=k: g(s)[k], x0) for k in range(n)]


def _free(result: OperatorResult) -> set:
    items = result.field if isinstance(result.field, tuple) else (result.field,)
    free: set = set()
    for e in items:
        free |= e.free_symbols
    value = result.value
    free |= value.free_symbols
    return free


def _show(field: object) -> str:
    return "(" + ", ".join(map(sp.sstr, field)) + ")" if isinstance(field, tuple) else sp.sstr(field)
