"""Numerical integration with evidence: every result carries its error estimate and method.

``integrate_numerically`` takes iterated limits innermost first, as SymPy's ``Integral``
does (the bounds of an inner variable may depend on the outer ones; infinite
bounds are allowed), and uses SciPy's ``quad``/``nquad``, ``mpmath.quad`` checked
by a second rule (``quadosc`` for oscillatory tails), or quasi-Monte Carlo with a
standard error and checks for divergence (``symjac.numeric.montecarlo``).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import mpmath
import numpy as np
import sympy as sp
from scipy import integrate as _sci

from ..errors import DomainError, SymjacError, SymjacTimeoutError
from ..parsing import parse_expression
from ..report import require_count, require_tolerances
from ..result import markdown_escape
from ..timeouts import DEFAULT_TIMEOUT, time_limit
from .integrands import _GaveUp, _scalar, _Tally, _too_large, _vector, run_notes
from .montecarlo import _map_unit, monte_carlo

__all__ = ["QuadratureResult", "integrate_numerically"]

Method = Literal["auto", "scipy", "mpmath", "monte_carlo"]
_METHODS = ("auto", "scipy", "mpmath", "monte_carlo")
Limit = tuple[sp.Symbol, sp.Expr, sp.Expr]


@dataclass(frozen=True)
class QuadratureResult:
    """A numerical integral and the evidence for it.

    Attributes:
        value: The estimate.
        error: The estimated absolute error (for Monte Carlo, one standard error).
        method: ``"scipy.quad"``, ``"scipy.nquad"``, ``"mpmath.quad"``, ``"monte_carlo"``,
            or ``"split at the region boundary + scipy.quad"``.
        converged: False when the method reported trouble (a SciPy
            ``IntegrationWarning``, non-finite values, a time limit); the value is
            then not to be trusted.
        statistical: True when ``error`` is a standard error (Monte Carlo).
        evaluations: How many times the integrand was evaluated (samples for Monte Carlo).
        seed: The seed of a Monte Carlo estimate.
        warnings: Every message the numerics gave, in words.

    >>> import sympy as sp
    >>> from symjac.numeric.quadrature import integrate_numerically
    >>> x = sp.Symbol("x")
    >>> q = integrate_numerically(sp.exp(-x**2), [(x, -sp.oo, sp.oo)])
    >>> round(q.value, 12) == round(float(sp.sqrt(sp.pi)), 12), q.converged, q.method
    (True, True, 'scipy.quad')
    """

    value: float
    error: float
    method: str
    converged: bool
    statistical: bool = False
    evaluations: int = 0
    seed: int | None = None
    warnings: tuple[str, ...] = ()

    def __str__(self) -> str:
        sign = "±" if self.statistical else "error ≤ ~"
        status = "" if self.converged else " (did not converge)"
        return f"{self.value:.15g} ({sign}{self.error:.2g}, {self.method}){status}"

    def _repr_markdown_(self) -> str:
        """Jupyter: the value with its error estimate and method, as ``str`` gives it."""
        return markdown_escape(str(self))


# ---------------------------------------------------------------------- input handling


def _read_limits(limits: object) -> tuple[Limit, ...]:
    items = []
    for item in limits:  # type: ignore[union-attr]
        item = tuple(item)
        if len(item) == 2 and isinstance(item[1], (tuple, list)):
            item = (item[0], *item[1])
        if item and isinstance(item[0], str) and item[0].isidentifier():
            item = (sp.Symbol(item[0], real=True), *item[1:])
        if len(item) != 3 or not isinstance(item[0], sp.Symbol):
            raise DomainError(f"the limit {item!r} is not of the form (variable, lower, upper).",
                              value=item, expected="(x, 0, 1)",
                              hint="Give limits innermost first, e.g. [(x, 0, y), (y, 0, 1)].")
        var, lo, hi = item
        items.append((var, _bound(lo), _bound(hi)))
    if not items:
        raise DomainError("no limits of integration were given.", expected="[(x, 0, 1), ...]")
    names = [v.name for v, _, _ in items]
    if len(set(names)) != len(names):
        raise DomainError(f"a variable is integrated twice in {names}.", value=names)
    # match every symbol by name with the integration variables
    by_name = {v.name: v for v, _, _ in items}
    fixed = []
    for i, (var, lo, hi) in enumerate(items):
        lo, hi = _by_name(lo, by_name), _by_name(hi, by_name)
        inner = {v.name for v, _, _ in items[: i + 1]}
        for b in (lo, hi):
            bad = sorted(s.name for s in b.free_symbols if s.name in inner)
            if bad:
                raise DomainError(
                    f"the bound {b} of {var} uses {', '.join(bad)}, which is integrated inside it "
                    "(or is the variable itself). Give limits innermost first: the bounds of each "
                    "variable may only use variables listed after it.", value=b)
        fixed.append((var, lo, hi))
    return tuple(fixed)


def _bound(b: object) -> sp.Expr:
    if isinstance(b, str):
        out = parse_expression(b)
    elif isinstance(b, (float, np.floating)) and math.isinf(b):
        return sp.oo if b > 0 else -sp.oo
    else:
        out = sp.sympify(b, strict=True)
    if out.has(sp.nan, sp.zoo) or (out.is_number and out.is_extended_real is False):
        raise DomainError(f"the limit {b!r} is not a real number or +-oo.", value=b,
                          expected="a real number, an expression in outer variables, or +-oo",
                          hint="Give finite numbers, or oo / -oo for an infinite range.")
    return out


def _by_name(expr: sp.Basic, by_name: Mapping[str, sp.Symbol]) -> sp.Basic:
    mapping = {s: by_name[s.name] for s in expr.free_symbols if s.name in by_name and s != by_name[s.name]}
    return expr.xreplace(mapping) if mapping else expr


def _read_integrand(integrand: object, limits: tuple[Limit, ...]) -> sp.Expr:
    by_name = {v.name: v for v, _, _ in limits}
    expr = parse_expression(integrand, symbols=by_name) if isinstance(integrand, str) \
        else sp.sympify(integrand, strict=True)
    expr = _by_name(expr, by_name)
    free = set(expr.free_symbols)
    for _, lo, hi in limits:
        free |= lo.free_symbols | hi.free_symbols
    stray = sorted(s.name for s in free if s.name not in by_name)
    if stray:
        raise DomainError(
            f"the integral still contains {', '.join(stray)}, which is not integrated over, so it "
            "has no numeric value.", value=stray,
            hint="Give the parameters numbers first (expr.subs({a: 2})), then integrate.")
    return expr


# ---------------------------------------------------------------------- integrate_numerically


def integrate_numerically(
    integrand: object,
    limits: Sequence[tuple[object, object, object]] | None = None,
    *,
    method: Method = "auto",
    rtol: float = 1e-10,
    atol: float = 1e-12,
    samples: int = 200_000,
    seed: int | None = 0,
    dps: int = 30,
    timeout: float | None = DEFAULT_TIMEOUT,
) -> QuadratureResult:
    """Integrate numerically over iterated limits, innermost first.

    Args:
        integrand: A SymPy expression, text, or an unevaluated ``sympy.Integral``
            (then ``limits`` is taken from it).
        limits: ``[(x, lower, upper), (y, lower, upper), ...]`` innermost first;
            bounds may use the variables listed after them and may be ``±oo``.
        method: ``"scipy"`` (``quad``/``nquad``), ``"mpmath"`` (``mpmath.quad`` at
            ``dps`` digits, nested for dependent bounds), ``"monte_carlo"``
            (seeded, with a standard error), or ``"auto"`` (SciPy).
        rtol: Relative accuracy asked of the quadrature.
        atol: Absolute accuracy asked of the quadrature.
        samples: Number of Monte Carlo samples.
        seed: Seed of the Monte Carlo generator.
        dps: Decimal digits for ``mpmath``.
        timeout: Seconds allowed; when exceeded, the result is marked not converged.

    Returns:
        A ``QuadratureResult``; ``converged`` is False if the method reported trouble.

    Raises:
        DomainError: If the limits are malformed or a parameter has no value.

    >>> import sympy as sp
    >>> from symjac.numeric.quadrature import integrate_numerically
    >>> x, y = sp.symbols("x y")
    >>> q = integrate_numerically(x*y, [(x, 0, y), (y, 0, 1)])      # the triangle under y = x
    >>> round(q.value, 12), q.method, q.converged
    (0.125, 'scipy.nquad', True)
    >>> integrate_numerically(1/x, [(x, 0, 1)]).converged           # divergent: SciPy warns, kept as evidence
    False
    """
    if method not in _METHODS:
        raise SymjacError(f"unknown method {method!r}; expected one of {', '.join(_METHODS)}.",
                          value=method, expected=", ".join(_METHODS))
    require_tolerances(rtol, atol)
    require_count("samples", samples, 2 * 16, example="200000")
    require_count("dps", dps, 15, example="30")
    if isinstance(integrand, sp.Integral) and limits is None:
        limits, integrand = integrand.limits, integrand.function
    if limits is None:
        raise DomainError("no limits of integration were given.", expected="[(x, 0, 1), ...]")
    lims = _read_limits(limits)
    expr = _read_integrand(integrand, lims)
    runner = {"auto": _scipy, "scipy": _scipy, "mpmath": _mpmath, "monte_carlo": _monte_carlo}[method]
    try:
        with time_limit(timeout, "numerical integration"):
            return runner(expr, lims, rtol=rtol, atol=atol, samples=samples, seed=seed, dps=dps)
    except SymjacTimeoutError:
        return QuadratureResult(math.nan, math.inf, _NAMES[method], converged=False,
                                warnings=(f"stopped after the time limit of {timeout} s",))


_NAMES = {"auto": "scipy.nquad", "scipy": "scipy.nquad", "mpmath": "mpmath.quad",
          "monte_carlo": "monte_carlo"}


def _scipy(expr: sp.Expr, lims: tuple[Limit, ...], *, rtol: float, atol: float, **_: object
           ) -> QuadratureResult:
    variables = [v for v, _, _ in lims]
    tally = _Tally()
    f = _scalar(expr, variables, tally)
    ranges = []
    for i, (var, lo, hi) in enumerate(lims):
        outer = variables[i + 1:]
        if (lo.free_symbols | hi.free_symbols) and outer:
            flo = _scalar(lo, outer, tally, f"the lower bound {lo} of {var}")
            fhi = _scalar(hi, outer, tally, f"the upper bound {hi} of {var}")
            ranges.append(lambda *a, flo=flo, fhi=fhi: (flo(*a), fhi(*a)))
        else:
            ranges.append((_limit_float(lo), _limit_float(hi)))
    name = "scipy.quad" if len(lims) == 1 else "scipy.nquad"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        tally.caught = caught
        try:
            if len(lims) == 1:
                value, err = _sci.quad(f, *ranges[0], epsabs=atol, epsrel=rtol, limit=200)
            else:
                value, err = _sci.nquad(f, ranges, opts={"epsabs": atol, "epsrel": rtol, "limit": 100})
        except _GaveUp:
            value, err, tally.gave_up = math.nan, math.inf, True
        tally.caught = None
    notes = run_notes(caught, tally)
    err = abs(err)  # QUADPACK can hand back a negative estimate for a divergent integral
    if len(lims) > 1:  # nquad's estimate covers the outer integral only
        err = max(err, rtol * abs(value))
    notes += _too_large(value, err, rtol, atol)
    converged = not notes and math.isfinite(value) and math.isfinite(err)
    return QuadratureResult(float(value), float(err), name, converged, evaluations=tally.calls,
                            warnings=tuple(notes + tally.info()))


def _limit_float(b: sp.Expr) -> float:
    if b == sp.oo:
        return math.inf
    if b == -sp.oo:
        return -math.inf
    return float(b)


def _mpmath(expr: sp.Expr, lims: tuple[Limit, ...], *, rtol: float, atol: float, dps: int,
            **_: object) -> QuadratureResult:
    """``mpmath.quad`` (tanh-sinh), accepted only when a second method agrees with it."""
    found, note, count = _mpmath_estimates(expr, lims, dps)
    asked = lambda v: max(atol, rtol * abs(v), 10.0 ** (2 - dps) * abs(v))  # noqa: E731
    value, err, method, agreed, more = _agreeing(found, asked, dps)
    note += more
    if len(lims) > 1:
        note += ("for nested integrals mpmath's agreement covers the outer integral only",)
    return QuadratureResult(value, err, method, agreed and math.isfinite(value),
                            evaluations=count, warnings=note)


# the same rule on a split range agrees with itself on some divergent integrals (x*sin(x) on
# (0, oo) gives 1.9e68 both ways), so only different rules may confirm each other
_RULES = ("tanh-sinh", "gauss-legendre")
_PAIRS = (("quadosc", "quadosc, shifted by half a period"), ("tanh-sinh", "gauss-legendre"))
_MPMATH_ERRORS = (ValueError, ZeroDivisionError, TypeError, OverflowError, NameError)


def _mpmath_estimates(expr: sp.Expr, lims: tuple[Limit, ...], dps: int
                      ) -> tuple[dict[str, float | complex], tuple[str, ...], int]:
    """The integral by each mpmath rule (and ``quadosc`` for a decaying oscillatory tail)."""
    variables = [v for v, _, _ in lims]
    count = [0]
    found: dict[str, float | complex] = {}
    note: tuple[str, ...] = ()
    with mpmath.workdps(dps):
        fn = sp.lambdify(variables, expr, modules="mpmath")
        bounds = [(sp.lambdify(variables[i + 1:], lo, modules="mpmath"),
                   sp.lambdify(variables[i + 1:], hi, modules="mpmath"))
                  for i, (_, lo, hi) in enumerate(lims)]

        def level(i: int, outer: tuple, rule: str):
            lo, hi = bounds[i][0](*outer), bounds[i][1](*outer)
            span = [lo, _split_point(lo, hi), hi] if rule == "tanh-sinh, split" else [lo, hi]
            if i == 0:
                def g(x):
                    count[0] += 1
                    return fn(x, *outer)
            else:
                def g(x):
                    return level(i - 1, (x, *outer), rule)
            return mpmath.quad(g, span, method=rule.split(",")[0])

        for rule in _RULES:
            try:
                found[rule] = _real_or_complex(level(len(lims) - 1, (), rule))
            except _MPMATH_ERRORS as exc:
                note += (f"mpmath.quad ({rule}) failed: {exc}",)
        for label, spec in (_oscillation(expr, lims[0]) or []) if len(lims) == 1 else []:
            try:
                found[label] = _real_or_complex(mpmath.quadosc(
                    lambda x: fn(x), [bounds[0][0](), bounds[0][1]()], **spec))
            except _MPMATH_ERRORS as exc:
                note += (f"mpmath.quadosc failed: {exc}",)
    return found, note, count[0]


def _split_point(lo: object, hi: object) -> object:
    """A point inside ``(lo, hi)``, so the same rule runs on other nodes."""
    if lo == -mpmath.inf and hi == mpmath.inf:
        return 0
    if hi == mpmath.inf:
        return lo + 1  # type: ignore[operator]
    if lo == -mpmath.inf:
        return hi - 1  # type: ignore[operator]
    return (lo + hi) / 2  # type: ignore[operator]


def _agreeing(found: Mapping[str, float | complex], asked: object, dps: int
              ) -> tuple[float, float, str, bool, tuple[str, ...]]:
    """The first pair of rules that agree within what was asked, or why none does."""
    for a, b in _PAIRS:
        va, vb = found.get(a), found.get(b)
        if not (isinstance(va, float) and isinstance(vb, float)):
            continue
        gap = abs(va - vb)
        if math.isfinite(gap) and gap <= asked(va):  # type: ignore[operator]
            method = "mpmath.quadosc" if a == "quadosc" else "mpmath.quad"
            return (va, max(gap, 10.0 ** (2 - dps) * abs(va)), method, True,
                    (f"mpmath: {a} and {b} agree to {gap:.2g}",))
    shown = ", ".join(f"{k} gives {v:.6g}" if isinstance(v, float) else f"{k} gives {v}"
                      for k, v in found.items())
    value = next((v for v in found.values() if isinstance(v, float) and math.isfinite(v)), math.nan)
    note: tuple[str, ...] = ()
    if any(isinstance(v, complex) for v in found.values()):
        note += ("the integral came out complex; the integrand is not real on the range",)
    note += (f"the mpmath rules do not agree ({shown}): the integral may diverge, or it is "
             "too hard for these rules; no value is trusted",)
    return value, math.inf, "mpmath.quad", False, note


def _real_or_complex(v: object) -> float | complex:
    if isinstance(v, mpmath.mpc):
        c = complex(v)
        return c.real if abs(c.imag) <= 1e-12 * max(abs(c.real), 1e-300) else c
    return float(v)  # type: ignore[arg-type]


def _oscillation(expr: sp.Expr, limit: Limit) -> list[tuple[str, dict]] | None:
    """``quadosc`` settings for an infinite range with ``sin``/``cos`` of ``w*x`` or ``c*x**2``,
    twice (the period, and double the period) so that two partitions can be compared."""
    x, lo, hi = limit
    if not (hi == sp.oo and lo.is_finite) or lo.free_symbols:
        return None
    args = {a.args[0] for a in expr.atoms(sp.sin, sp.cos) if a.args[0].has(x)}
    if len(args) != 1:
        return None
    arg = args.pop()
    try:
        poly = sp.Poly(arg, x)
    except sp.PolynomialError:
        return None
    if not _dies_out(expr, arg, x, float(lo)):
        return None
    coeffs = poly.all_coeffs()
    if poly.free_symbols - {x} or not all(c.is_number for c in coeffs):
        return None
    half = "quadosc, shifted by half a period"
    a = float(lo)
    if poly.degree() == 1 and coeffs[0] != 0:
        w = abs(float(coeffs[0]))
        return [("quadosc", {"omega": w}),
                (half, {"zeros": lambda n: a + (n - mpmath.mpf(1) / 2) * mpmath.pi / w})]
    if poly.degree() == 2 and coeffs[1] == 0 and coeffs[0] != 0:
        c = abs(float(coeffs[0]))
        return [("quadosc", {"zeros": lambda n: mpmath.sqrt(a * a + n * mpmath.pi / c)}),
                (half, {"zeros": lambda n: mpmath.sqrt(a * a + (n - mpmath.mpf(1) / 2) * mpmath.pi / c)})]
    return None


def _dies_out(expr: sp.Expr, arg: sp.Expr, x: sp.Symbol, lo: float) -> bool:
    """Dirichlet's test: ``expr = A(x) * trig(arg)`` with ``A / arg'`` falling steadily to 0,
    so the oscillating tail converges (sin(x) on (0, oo) has no limit and fails this)."""
    trig = [a for a in expr.atoms(sp.sin, sp.cos) if a.args[0] == arg]
    amplitude = expr.xreplace({t: sp.Integer(1) for t in trig})
    if amplitude.has(sp.sin, sp.cos) or sp.simplify(expr - amplitude * trig[0]) != 0 \
            if len(trig) == 1 else True:
        return False
    ratio = sp.lambdify(x, sp.Abs(amplitude / sp.diff(arg, x)), modules="mpmath")
    try:
        r = [float(ratio(mpmath.mpf(max(lo, 0.0) + 10.0 ** k))) for k in (2, 4, 6, 8)]
    except (ValueError, ZeroDivisionError, TypeError, OverflowError, NameError):
        return False
    return all(math.isfinite(v) for v in r) and all(b < a for a, b in zip(r, r[1:])) and \
        r[-1] < 1e-2 * r[0]


def _monte_carlo(expr: sp.Expr, lims: tuple[Limit, ...], *, samples: int, seed: int | None,
                 **_: object) -> QuadratureResult:
    variables = [v for v, _, _ in lims]
    n = len(lims)
    f = _vector(expr, variables)
    bound_fns = [(_vector(lo, variables[i + 1:]) if lo.free_symbols else None,
                  _vector(hi, variables[i + 1:]) if hi.free_symbols else None)
                 for i, (_, lo, hi) in enumerate(lims)]

    def values_at(u: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        m = len(u)
        x = np.empty((m, n))
        weight = np.ones(m)
        with np.errstate(all="ignore"):
            for i in range(n - 1, -1, -1):
                _, lo, hi = lims[i]
                outer = [x[:, j] for j in range(i + 1, n)]
                lo_v = bound_fns[i][0](*outer) if bound_fns[i][0] else np.full(m, _limit_float(lo))
                hi_v = bound_fns[i][1](*outer) if bound_fns[i][1] else np.full(m, _limit_float(hi))
                x[:, i], w = _map_unit(u[:, i], lo_v, hi_v)
                weight *= w
            return x, weight * f(*x.T)

    est = monte_carlo(values_at, n, samples=samples, seed=seed)
    return _mc_result(est, variables, "monte_carlo", seed)


def _mc_result(est: object, variables: Sequence[sp.Symbol], method: str, seed: int | None
              ) -> QuadratureResult:
    """A ``QuadratureResult`` from a ``MonteCarloEstimate``, with the first bad point named."""
    notes = list(est.notes)  # type: ignore[attr-defined]
    if est.bad_point is not None:  # type: ignore[attr-defined]
        where = ", ".join(f"{v} = {float(a):.6g}" for v, a in zip(variables, est.bad_point))  # type: ignore[attr-defined]
        notes[-1] = notes[-1].replace("samples;", f"samples, first at {where};")
    return QuadratureResult(est.value, est.standard_error, method,  # type: ignore[attr-defined]
                            converged=est.trustworthy, statistical=True,  # type: ignore[attr-defined]
                            evaluations=est.samples, seed=seed, warnings=tuple(notes))  # type: ignore[attr-defined]
