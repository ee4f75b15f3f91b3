"""Numerical integration with evidence: every result carries its error estimate and method.

``integrate_numerically`` takes iterated limits innermost first, as SymPy's ``Integral``
does (the bounds of an inner variable may depend on the outer ones; infinite
bounds are allowed), and uses SciPy's ``quad``/``nquad``, ``mpmath.quad`` for
high precision, or Monte Carlo with a standard error. ``integrate_over_region``
integrates over a region given by inequalities, splitting each line at the
region's boundary so the quadrature never sees a jump. ``verify_integral``
compares an integral with a claimed value and returns a ``CheckReport``.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import mpmath
import numpy as np
import sympy as sp
from scipy import integrate as _sci

from ..domains.signs import condition_function, variable_bounds
from ..errors import DomainError, SymjacError, SymjacTimeoutError
from ..parsing import parse_conditions, parse_expression
from .lines import line_pieces, margin_function
from ..report import CheckReport
from ..result import markdown_escape
from ..timeouts import DEFAULT_TIMEOUT, time_limit

__all__ = ["QuadratureResult", "integrate_numerically", "integrate_over_region", "verify_integral"]

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
        return parse_expression(b)
    if isinstance(b, float) and math.isinf(b):
        return sp.oo if b > 0 else -sp.oo
    return sp.sympify(b, strict=True)


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


#: Inner integrals that warned this often make the nested result worthless: stop early.
_MAX_WARNINGS = 40


class _GaveUp(Exception):
    pass


def _gave_up_note() -> str:
    return (f"stopped after {_MAX_WARNINGS} warnings from the inner integrals (the integral may "
            "diverge, or the integrand is too rough for this method); no value")


class _Tally:
    """Counts calls of the compiled functions and remembers where a value was not finite."""

    def __init__(self) -> None:
        self.caught: list | None = None  # the warnings so far, to give up on a hopeless nest
        self.gave_up = False
        self.singular: dict[str, list[tuple[float, ...]]] = {}
        self.calls = 0
        self.bad: dict[str, int] = {}
        self.first: dict[str, tuple[tuple[sp.Symbol, ...], tuple[float, ...], float]] = {}

    def note_bad(self, what: str, variables: tuple[sp.Symbol, ...], args: tuple[float, ...],
                 value: float) -> None:
        self.bad[what] = self.bad.get(what, 0) + 1
        self.first.setdefault(what, (variables, tuple(float(a) for a in args), value))

    def note_singular(self, what: str, variables: tuple[sp.Symbol, ...], args: tuple[float, ...]
                      ) -> None:
        self.singular.setdefault(what, []).append(tuple(float(a) for a in args))

    def info(self) -> list[str]:
        """Isolated singular points met (not a failure: the integral may still be proper)."""
        out = []
        for what, points in self.singular.items():
            where = "; ".join("(" + ", ".join(f"{a:.6g}" for a in p) + ")" for p in points[:3])
            more = f" and {len(points) - 3} more" if len(points) > 3 else ""
            out.append(f"{what} is infinite or undefined at the single point(s) {where}{more} "
                       "(finite on both sides); the value right next to each was used there")
        return out

    def notes(self) -> list[str]:
        out = []
        for what, count in self.bad.items():
            variables, args, value = self.first[what]
            where = ", ".join(f"{v} = {a:.6g}" for v, a in zip(variables, args))
            got = "an error or a complex number" if math.isnan(value) else f"{value}"
            out.append(f"{what} was not finite (it gave {got}) at {count} of the points evaluated, "
                       f"first at {where}; that part was counted as 0, so the value is not to be "
                       "trusted")
        return out


def _scalar(expr: sp.Expr, variables: Sequence[sp.Symbol], tally: _Tally,
            what: str = "the integrand") -> Callable[..., float]:
    """A fast scalar function of ``variables``; non-finite values are counted in ``tally``
    (with the first point where they happened) and replaced by 0."""
    fn = sp.lambdify(variables, expr, modules=["math", "mpmath"])
    variables = tuple(variables)
    wide: list = []  # the mpmath version, made on first need

    def f(*args: float) -> float:
        tally.calls += 1
        if tally.caught is not None and len(tally.caught) > _MAX_WARNINGS:
            raise _GaveUp
        try:
            value = float(fn(*args))
        except (ValueError, ZeroDivisionError, OverflowError, TypeError, NameError):
            value = math.nan  # NameError: a function without a numeric version (exp_polar)
        if not math.isfinite(value):
            # exp(800)*exp(-801) overflows in floating point but not in mpmath
            try:
                if not wide:
                    wide.append(sp.lambdify(variables, expr, modules="mpmath"))
                value = float(wide[0](*args))
            except (ValueError, ZeroDivisionError, OverflowError, TypeError, NameError):
                value = math.nan
        if not math.isfinite(value):
            # an isolated singular point (log(r) at r = 0) has finite values right next to it;
            # where the integrand is undefined (sqrt of a negative number) the neighbours are too
            sides = []
            for sign in (1.0, -1.0):
                try:
                    sides.append(float(fn(*(a + sign * 1e-9 * (1.0 + abs(a)) for a in args))))
                except (ValueError, ZeroDivisionError, OverflowError, TypeError, NameError):
                    sides.append(math.nan)
            if all(math.isfinite(v) for v in sides):  # finite on both sides: an isolated point
                tally.note_singular(what, variables, args)
                return sides[0]
            tally.note_bad(what, variables, args, value)
            return 0.0  # QUADPACK crashes the process on NaN in nested quad; the tally marks it
        return value

    return f


def _vector(expr: sp.Expr, variables: Sequence[sp.Symbol]) -> Callable[..., np.ndarray]:
    """A vectorised real function of ``variables``; complex values become NaN."""
    fn = sp.lambdify(variables, expr, modules="numpy")

    def f(*columns: np.ndarray) -> np.ndarray:
        with np.errstate(all="ignore"):
            out = np.asarray(fn(*columns))
        if out.dtype.kind == "c":
            out = np.where(out.imag == 0, out.real, np.nan)
        return np.broadcast_to(out.astype(float, copy=False), np.shape(columns[0]))

    return f


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


def _messages(caught: Sequence[warnings.WarningMessage]) -> tuple[str, ...]:
    out: list[str] = []
    for w in caught:
        text = " ".join(str(w.message).split())
        text = f"{w.category.__name__}: {text}"
        if text not in out:
            out.append(text)
    return tuple(out)


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
    notes = list(_messages(caught))
    if tally.gave_up:
        notes.append(_gave_up_note())
    notes += tally.notes()
    err = abs(err)  # QUADPACK can hand back a negative estimate for a divergent integral
    if len(lims) > 1:  # nquad's estimate covers the outer integral only
        err = max(err, rtol * abs(value))
    notes += _too_large(value, err, rtol, atol)
    converged = not notes and math.isfinite(value) and math.isfinite(err)
    return QuadratureResult(float(value), float(err), name, converged, evaluations=tally.calls,
                            warnings=tuple(notes + tally.info()))


def _too_large(value: float, err: float, rtol: float, atol: float) -> list[str]:
    """A note when the error estimate is far above what was asked (quad does not always warn)."""
    asked = max(atol, rtol * abs(value))
    if math.isfinite(err) and err > 1e4 * asked:
        return [f"the error estimate {err:.2g} is far larger than the accuracy asked ({asked:.2g})"]
    return []


def _limit_float(b: sp.Expr) -> float:
    if b == sp.oo:
        return math.inf
    if b == -sp.oo:
        return -math.inf
    return float(b)


def _mpmath(expr: sp.Expr, lims: tuple[Limit, ...], *, rtol: float, atol: float, dps: int,
            **_: object) -> QuadratureResult:
    variables = [v for v, _, _ in lims]
    count = [0]
    with mpmath.workdps(dps):
        fn = sp.lambdify(variables, expr, modules="mpmath")
        bounds = [(sp.lambdify(variables[i + 1:], lo, modules="mpmath"),
                   sp.lambdify(variables[i + 1:], hi, modules="mpmath"))
                  for i, (_, lo, hi) in enumerate(lims)]

        def level(i: int, outer: tuple, error: bool = False):
            lo, hi = bounds[i][0](*outer), bounds[i][1](*outer)
            if i == 0:
                def g(x):
                    count[0] += 1
                    return fn(x, *outer)
            else:
                def g(x):
                    return level(i - 1, (x, *outer))
            return mpmath.quad(g, [lo, hi], error=error)

        try:
            value, err = level(len(lims) - 1, (), error=True)
            value = complex(value) if isinstance(value, mpmath.mpc) else float(value)
            err = float(err)
            note: tuple[str, ...] = ()
        except (ValueError, ZeroDivisionError, TypeError) as exc:
            value, err, note = math.nan, math.inf, (f"mpmath.quad failed: {exc}",)
    if isinstance(value, complex):
        if abs(value.imag) > max(atol, 1e-12 * abs(value)):
            note += (f"the integral came out complex ({value}); the integrand is not real on the range",)
            value, err = math.nan, math.inf
        else:
            value = value.real
    if len(lims) > 1:
        note += ("for nested integrals mpmath's error estimate covers the outer integral only",)
    converged = math.isfinite(value) and err <= max(atol, rtol * abs(value)) and not \
        any("failed" in n or "complex" in n for n in note)
    if not converged and math.isfinite(err) and not note:
        note = (f"mpmath's error estimate {err:.2g} is larger than asked",)
    return QuadratureResult(value, err, "mpmath.quad", converged, evaluations=count[0],
                            warnings=note)


def _monte_carlo(expr: sp.Expr, lims: tuple[Limit, ...], *, samples: int, seed: int | None,
                 **_: object) -> QuadratureResult:
    variables = [v for v, _, _ in lims]
    n = len(lims)
    rng = np.random.default_rng(seed)
    f = _vector(expr, variables)
    bound_fns = [(_vector(lo, variables[i + 1:]) if lo.free_symbols else None,
                  _vector(hi, variables[i + 1:]) if hi.free_symbols else None)
                 for i, (_, lo, hi) in enumerate(lims)]
    total = total_sq = 0.0
    done = bad = 0
    first_bad = None
    chunk = 100_000
    while done < samples:
        m = min(chunk, samples - done)
        u = rng.random((m, n))
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
            values = weight * f(*x.T)
        finite = np.isfinite(values)
        if first_bad is None and not finite.all():
            first_bad = x[np.argmin(finite)]
        bad += int(m - finite.sum())
        values = np.where(finite, values, 0.0)
        total += float(values.sum())
        total_sq += float((values ** 2).sum())
        done += m
    mean = total / done
    var = max(total_sq / done - mean ** 2, 0.0) * done / max(done - 1, 1)
    se = math.sqrt(var / done)
    notes = ["Monte Carlo: the error is one standard error, a statistical estimate"]
    if bad:
        notes.append(_mc_bad_note(bad, done, variables, first_bad))
    return QuadratureResult(mean, se, "monte_carlo", converged=bad == 0 and done > 1,
                            statistical=True, evaluations=done, seed=seed, warnings=tuple(notes))


def _mc_bad_note(bad: int, done: int, variables: Sequence[sp.Symbol], point: np.ndarray | None) -> str:
    where = "" if point is None else ", first at " + ", ".join(
        f"{v} = {float(a):.6g}" for v, a in zip(variables, point))
    return (f"the integrand was not finite at {bad} of {done} samples{where}; those samples were "
            "counted as 0, so the value is not to be trusted")


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


# ---------------------------------------------------------------------- regions


def integrate_over_region(
    integrand: object,
    variables: Sequence[sp.Symbol] | str,
    conditions: Sequence[object] | str,
    *,
    box: Mapping[object, tuple[object, object]] | None = None,
    method: Literal["split", "monte_carlo"] = "split",
    rtol: float = 1e-9,
    atol: float = 1e-11,
    grid: int = 256,
    samples: int = 200_000,
    seed: int | None = 0,
    timeout: float | None = DEFAULT_TIMEOUT,
) -> QuadratureResult:
    """Integrate over a region given by inequalities, such as ``x**2 + y**2 <= 1``.

    The region is enclosed in a box (from ``box`` or from simple bounds in the
    conditions). With ``method="split"`` each line of the innermost variable is
    cut where it crosses the region's boundary (found on a grid of ``grid``
    points, then by bisection), and SciPy integrates the smooth pieces, so the
    error estimate stays meaningful; pieces thinner than one grid cell can be
    missed, which the result says. ``method="monte_carlo"`` averages the
    integrand times the region's indicator over the box, with a standard error.

    Args:
        integrand: A SymPy expression or text in ``variables``.
        variables: The variables, innermost first (``"x y"`` or symbols).
        conditions: The inequalities that define the region (text or SymPy).
        box: ``{variable: (lower, upper)}``, finite, enclosing the region.
        method: ``"split"`` or ``"monte_carlo"``.
        rtol: Relative accuracy asked of the quadrature.
        atol: Absolute accuracy asked of the quadrature.
        grid: Grid points per line used to find the boundary (``"split"``).
        samples: Number of Monte Carlo samples.
        seed: Seed of the Monte Carlo generator.
        timeout: Seconds allowed; when exceeded, the result is marked not converged.

    Raises:
        DomainError: If the box is missing or infinite for some variable.

    >>> from symjac.numeric.quadrature import integrate_over_region
    >>> q = integrate_over_region("1", "x y", "x**2 + y**2 <= 1", box={"x": (-1, 1), "y": (-1, 1)})
    >>> round(q.value, 9), q.converged                 # the area of the unit disc, pi
    (3.141592654, True)
    """
    from ..parsing import parse_symbols

    syms = tuple(parse_symbols(variables)) if isinstance(variables, str) else tuple(variables)
    by_name = {s.name: s for s in syms}
    conds = parse_conditions(conditions, symbols=by_name) if isinstance(conditions, str) else \
        tuple(c for item in conditions for c in (parse_conditions(item, symbols=by_name)
                                                  if isinstance(item, str) else (_by_name(item, by_name),)))
    stray = sorted({s.name for c in conds for s in c.free_symbols} - set(by_name))
    if stray:
        raise DomainError(
            f"the conditions use {', '.join(stray)}, which is not one of the variables "
            f"{', '.join(by_name)}; a region needs numbers for everything else.", value=stray,
            hint=f"Add {stray[0]} to the variables, or substitute a number for it.")
    limits = _region_box(syms, conds, box)
    expr = _read_integrand(integrand, limits)
    holds = condition_function(syms, conds)
    try:
        with time_limit(timeout, "numerical integration over a region"):
            if method == "monte_carlo":
                f = _vector(expr, syms)

                def g(*cols: np.ndarray) -> np.ndarray:
                    return np.where(holds(np.column_stack(cols)), f(*cols), 0.0)

                return _monte_carlo_fn(g, limits, samples=samples, seed=seed)
            if method != "split":
                raise SymjacError(f"unknown method {method!r}; expected 'split' or 'monte_carlo'.",
                                  value=method)
            return _split(expr, syms, holds, conds, limits, rtol=rtol, atol=atol, grid=grid)
    except SymjacTimeoutError:
        return QuadratureResult(math.nan, math.inf, method, converged=False,
                                warnings=(f"stopped after the time limit of {timeout} s",))


def _region_box(syms: tuple[sp.Symbol, ...], conds: Sequence[sp.Basic],
                box: Mapping[object, tuple[object, object]] | None) -> tuple[Limit, ...]:
    given = {(k.name if isinstance(k, sp.Symbol) else str(k)): v for k, v in (box or {}).items()}
    found = variable_bounds(conds, syms)
    limits = []
    for s in syms:
        lo, hi = (_bound(b) for b in given[s.name]) if s.name in given else found[s]
        if not (lo.is_finite and hi.is_finite):
            raise DomainError(
                f"the region is not bounded in {s} by simple conditions (found {lo} < {s} < {hi}). "
                f"Pass box={{'{s}': (lower, upper)}} enclosing the region.",
                value=s, hint=f"Pass box={{'{s}': (lower, upper)}} enclosing the region.")
        if bool(lo >= hi):
            raise DomainError(f"the box for {s} runs from {lo} to {hi}; the lower end must be below "
                              "the upper one.", value=(lo, hi), expected=f"{s}: (lower, upper)",
                              hint=f"Pass box={{'{s}': ({hi}, {lo})}}.")
        limits.append((s, lo, hi))
    return tuple(limits)


def _monte_carlo_fn(g: Callable[..., np.ndarray], limits: tuple[Limit, ...], *, samples: int,
                    seed: int | None) -> QuadratureResult:
    rng = np.random.default_rng(seed)
    variables = [v for v, _, _ in limits]
    lo = np.array([float(l) for _, l, _ in limits])
    hi = np.array([float(h) for _, _, h in limits])
    volume = float(np.prod(hi - lo))
    total = total_sq = 0.0
    done = bad = 0
    first_bad = None
    while done < samples:
        m = min(100_000, samples - done)
        x = lo + (hi - lo) * rng.random((m, len(limits)))
        with np.errstate(all="ignore"):
            values = volume * np.asarray(g(*x.T), dtype=float)
        finite = np.isfinite(values)
        if first_bad is None and not finite.all():
            first_bad = x[np.argmin(finite)]
        bad += int(m - finite.sum())
        values = np.where(finite, values, 0.0)
        total += float(values.sum())
        total_sq += float((values ** 2).sum())
        done += m
    mean = total / done
    se = math.sqrt(max(total_sq / done - mean ** 2, 0.0) / max(done - 1, 1))
    notes = ["Monte Carlo over a bounding box with the region's indicator: the error is one "
             "standard error, a statistical estimate"]
    if bad:
        notes.append(_mc_bad_note(bad, done, variables, first_bad))
    return QuadratureResult(mean, se, "monte_carlo (indicator on a bounding box)", converged=bad == 0,
                            statistical=True, evaluations=done, seed=seed, warnings=tuple(notes))


def _split(expr: sp.Expr, syms: tuple[sp.Symbol, ...], holds: Callable[[np.ndarray], np.ndarray],
           conds: Sequence[sp.Basic], limits: tuple[Limit, ...], *, rtol: float, atol: float,
           grid: int) -> QuadratureResult:
    margin = margin_function(syms, conds)
    value, err, notes, calls, info = _split_once(expr, syms, holds, margin, limits, rtol=rtol,
                                                 atol=atol, grid=grid)
    if margin is None and math.isfinite(value):
        # without a margin, thin pieces between grid points go unseen: measure what a finer
        # grid changes, and count it in the error
        finer, _, notes2, calls2, _ = _split_once(expr, syms, holds, None, limits, rtol=rtol,
                                                  atol=atol, grid=4 * grid + 1)
        calls += calls2
        notes += [n for n in notes2 if n not in notes]
        err += abs(finer - value)
        value = finer
        notes += _too_large(value, err, rtol, atol)
    if margin is not None:
        notes += _sticks_out(margin, syms, limits)
    converged = not notes and math.isfinite(value)
    notes += info
    if margin is None:
        notes.append(f"the region's conditions are not plain inequalities, so its boundary was found "
                     f"on grids of {grid} and {4 * grid + 1} points per line; the error estimate "
                     "includes the difference between the two")
    else:
        notes.append(f"split at the region's boundary, found on a {grid}-point grid per line and "
                     "near every local extremum of the conditions' margin")
    return QuadratureResult(float(value), float(err), "split at the region boundary + scipy.quad",
                            converged, evaluations=calls, warnings=tuple(notes))


def _sticks_out(margin: Callable[[np.ndarray], np.ndarray], syms: tuple[sp.Symbol, ...],
                limits: tuple[Limit, ...], n: int = 65) -> list[str]:
    """A note when the region reaches past a face of the box (strictly inside the region there),
    so the integral over the box misses part of it."""
    lo = np.array([float(l) for _, l, _ in limits])
    hi = np.array([float(h) for _, _, h in limits])
    d = len(syms)
    per_axis = max(3, int(round(n ** (1 / max(d - 1, 1))))) if d > 1 else 1
    axes = [np.linspace(a, b, per_axis) for a, b in zip(lo, hi)]
    for j in range(d):
        others = [axes[k] for k in range(d) if k != j]
        grid = np.array(np.meshgrid(*others, indexing="ij")).reshape(d - 1, -1).T if others \
            else np.zeros((1, 0))
        for end in (lo[j], hi[j]):
            pts = np.insert(grid, j, end, axis=1)
            inside = margin(pts) > 1e-12
            if inside.any():
                where = ", ".join(f"{s} = {v:.6g}" for s, v in zip(syms, pts[np.argmax(inside)]))
                return [f"the region reaches past the box at {where} ({syms[j]} = {end:g} is inside "
                        f"the region), so part of it was left out; give a box that encloses it"]
    return []


def _split_once(expr: sp.Expr, syms: tuple[sp.Symbol, ...], holds: Callable[[np.ndarray], np.ndarray],
                margin: Callable[[np.ndarray], np.ndarray] | None, limits: tuple[Limit, ...], *,
                rtol: float, atol: float, grid: int) -> tuple[float, float, list[str], int, list[str]]:
    tally = _Tally()
    f = _scalar(expr, syms, tally)
    a0, b0 = float(limits[0][1]), float(limits[0][2])
    line = np.linspace(a0, b0, grid + 1)

    def inner(*outer: float) -> float:
        total = 0.0
        for a, b in line_pieces(holds, line, outer, width=len(syms), margin=margin):
            total += _sci.quad(f, a, b, args=outer, epsabs=atol, epsrel=rtol, limit=200)[0]
        return total

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        tally.caught = caught
        try:
            if len(syms) == 1:
                value, err = inner(), 0.0
            else:
                ranges = [(float(lo), float(hi)) for _, lo, hi in limits[1:]]
                value, err = _sci.nquad(inner, ranges, opts={"epsabs": atol, "epsrel": rtol,
                                                             "limit": 200})
        except _GaveUp:
            value, err, tally.gave_up = math.nan, math.inf, True
        tally.caught = None
    notes = list(_messages(caught))
    if tally.gave_up:
        notes.append(_gave_up_note())
    notes += tally.notes()
    err = max(err, rtol * abs(value))
    notes += _too_large(value, err, rtol, atol)
    return float(value), float(err), notes, tally.calls, tally.info()


# ---------------------------------------------------------------------- verification


def verify_integral(
    original: object,
    claimed: object,
    *,
    rtol: float = 1e-8,
    atol: float = 1e-10,
    method: Method = "auto",
    seed: int | None = 0,
    timeout: float | None = DEFAULT_TIMEOUT,
) -> CheckReport:
    """Check numerically that an integral equals a claimed value or another integral.

    Args:
        original: A ``sympy.Integral`` (or its text, ``"Integral(x*y, (x, 0, 1), (y, 0, 1))"``).
        claimed: A number, an expression without free variables, or another integral
            (e.g. the same integral after a change of variables).
        rtol: Relative tolerance of the comparison.
        atol: Absolute tolerance of the comparison.
        method: The quadrature method (see ``integrate_numerically``).
        seed: Seed for Monte Carlo.
        timeout: Seconds allowed for each quadrature.

    Returns:
        A ``CheckReport``: "passed" when the numbers agree within the tolerances
        and the quadrature's own error estimate; "failed" when they differ by
        more than that; "inconclusive" when a quadrature did not converge.

    >>> from symjac.numeric.quadrature import verify_integral
    >>> verify_integral("Integral(x*y, (x, 0, 1), (y, 0, 1))", "1/4").verdict
    'passed'
    >>> verify_integral("Integral(x*y, (x, 0, 1), (y, 0, 1))", 0.3).verdict
    'failed'
    >>> verify_integral("Integral(1/x, (x, 0, 1))", 5).verdict      # divergent
    'inconclusive'
    """
    left = _as_integral(original, "original")
    q1 = integrate_numerically(left, method=method, rtol=min(rtol, 1e-10) / 10, atol=atol / 10, seed=seed,
                   timeout=timeout)
    what = f"{sp.sstr(left)} = {claimed if isinstance(claimed, str) else sp.sstr(claimed)}"
    if isinstance(claimed, str):
        claimed = parse_expression(claimed)
    if isinstance(claimed, sp.Integral):
        q2 = integrate_numerically(claimed, method=method, rtol=min(rtol, 1e-10) / 10, atol=atol / 10,
                       seed=None if seed is None else seed + 1, timeout=timeout)
        expected, est2, ok2, notes2 = q2.value, q2.error, q2.converged, q2.warnings
        method_name = q1.method if q1.method == q2.method else f"{q1.method} / {q2.method}"
        statistical = q1.statistical or q2.statistical
    else:
        value = sp.sympify(claimed, strict=True)
        if value.free_symbols:
            raise DomainError(f"the claimed value {value} contains "
                              f"{', '.join(sorted(map(str, value.free_symbols)))}; it must be a number.",
                              value=value, hint="Substitute numbers for the parameters first.")
        expected = complex(sp.N(value, 20))
        expected = expected.real if expected.imag == 0 else expected
        est2, ok2, notes2, method_name, statistical = 0.0, True, (), q1.method, q1.statistical
    return CheckReport.compare(
        q1.value, expected, what=what, method=method_name, error_estimate=q1.error + est2,
        converged=q1.converged and ok2, statistical=statistical, rtol=rtol, atol=atol,
        sample_size=q1.evaluations, seed=seed if statistical else None,
        warnings=q1.warnings + tuple(notes2))


def _as_integral(obj: object, role: str) -> sp.Integral:
    if isinstance(obj, str):
        obj = parse_expression(obj)
    if not isinstance(obj, sp.Integral):
        raise DomainError(f"the {role} must be an integral such as Integral(x, (x, 0, 1)), got {obj}.",
                          value=obj, expected="a sympy Integral with limits")
    return obj
