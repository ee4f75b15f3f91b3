"""What the conditions of a domain imply: bounds per variable, signs, sample points.

``sign_on(expr, conditions)`` decides the sign of an expression on a domain by
proof (SymPy assumptions, then interval arithmetic over the variables' bounds)
or, for a sign change, by exhibiting points of both signs. ``sample_points``
draws seeded random points that satisfy the conditions, for numeric checks.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable, Sequence

import numpy as np
import sympy as sp
from sympy.core.function import AppliedUndef

from ..errors import DomainError

__all__ = ["Sign", "variable_bounds", "sign_on", "sample_points", "condition_function",
           "substitute_condition"]


def substitute_condition(condition: sp.Basic, mapping: dict) -> sp.Basic:
    """``condition`` with ``mapping`` applied, keeping comparisons unevaluated.

    ``xreplace`` would turn ``r > 0`` into ``True`` once ``r`` is declared
    positive; a domain should still say ``r > 0``.
    """
    if isinstance(condition, sp.Rel):
        return type(condition)(condition.lhs.xreplace(mapping), condition.rhs.xreplace(mapping),
                               evaluate=False)
    if isinstance(condition, (sp.And, sp.Or, sp.Not)):
        return condition.func(*[substitute_condition(a, mapping) for a in condition.args])
    return condition.xreplace(mapping)


class Sign(enum.Enum):
    """The sign of an expression on a domain."""

    POSITIVE = "positive"
    NONNEGATIVE = "nonnegative"  # >= 0: the absolute value can be dropped
    NEGATIVE = "negative"
    NONPOSITIVE = "nonpositive"
    ZERO = "zero"
    CHANGES = "changes"  # points of both signs were found
    UNKNOWN = "unknown"

    @property
    def is_nonnegative(self) -> bool:
        return self in (Sign.POSITIVE, Sign.NONNEGATIVE, Sign.ZERO)

    @property
    def is_nonpositive(self) -> bool:
        return self in (Sign.NEGATIVE, Sign.NONPOSITIVE, Sign.ZERO)

    def times(self, other: Sign) -> Sign:
        """The sign of a product."""
        if Sign.ZERO in (self, other):
            return Sign.ZERO
        if Sign.UNKNOWN in (self, other) or Sign.CHANGES in (self, other):
            return Sign.CHANGES if Sign.UNKNOWN not in (self, other) else Sign.UNKNOWN
        negative = self.is_nonpositive != other.is_nonpositive
        strict = self in (Sign.POSITIVE, Sign.NEGATIVE) and other in (Sign.POSITIVE, Sign.NEGATIVE)
        if negative:
            return Sign.NEGATIVE if strict else Sign.NONPOSITIVE
        return Sign.POSITIVE if strict else Sign.NONNEGATIVE

    def power(self, k: int) -> Sign:
        if k == 0:
            return Sign.POSITIVE
        if k % 2 == 0:
            return {Sign.POSITIVE: Sign.POSITIVE, Sign.NEGATIVE: Sign.POSITIVE,
                    Sign.ZERO: Sign.ZERO}.get(self, Sign.NONNEGATIVE)
        return self


def variable_bounds(conditions: Iterable[sp.Basic], symbols: Iterable[sp.Symbol]
                    ) -> dict[sp.Symbol, tuple[sp.Expr, sp.Expr]]:
    """Numeric lower and upper bounds of each symbol from ``symbol OP number`` conditions
    (or conditions linear in one symbol) and from its assumptions (``positive`` gives ``(0, oo)``).

    >>> import sympy as sp
    >>> from symjac.domains.signs import variable_bounds
    >>> t = sp.Symbol("t", real=True)
    >>> variable_bounds([0 < t, t < 2*sp.pi], [t])
    {t: (0, 2*pi)}
    >>> variable_bounds([-t <= -1, 2*t - 6 <= 0], [t])          # linear in the symbol
    {t: (1, 3)}
    """
    bounds: dict[sp.Symbol, list[sp.Expr]] = {}
    for s in symbols:
        lo = sp.S.Zero if (s.is_nonnegative or s.is_positive) else -sp.oo
        hi = sp.S.Zero if (s.is_nonpositive or s.is_negative) else sp.oo
        bounds[s] = [lo, hi]
    for cond in _flatten(conditions):
        if not isinstance(cond, sp.Rel) or isinstance(cond, (sp.Eq, sp.Ne)):
            continue
        small, large = (cond.lhs, cond.rhs) if isinstance(cond, (sp.StrictLessThan, sp.LessThan)) \
            else (cond.rhs, cond.lhs)
        if large in bounds and small.is_number and small.is_extended_real:
            bounds[large][0] = sp.Max(bounds[large][0], small)
        elif small in bounds and large.is_number and large.is_extended_real:
            bounds[small][1] = sp.Min(bounds[small][1], large)
        else:
            _linear_bound(large - small, bounds)
    return {s: (lo, hi) for s, (lo, hi) in bounds.items()}


def _linear_bound(slack: sp.Expr, bounds: dict[sp.Symbol, list[sp.Expr]]) -> None:
    """From ``slack >= 0`` with ``slack = a*s + b`` (numbers a != 0, b) bound ``s``: ``-u + 4 >= 0``."""
    free = slack.free_symbols
    if len(free) != 1 or next(iter(free)) not in bounds:
        return
    s = next(iter(free))
    poly = slack.as_poly(s)
    if poly is None or poly.degree() != 1:
        return
    a, b = poly.all_coeffs()
    if not (a.is_number and b.is_number and a.is_extended_real and b.is_extended_real) or a == 0:
        return
    edge = -b / a
    if a.is_positive:
        bounds[s][0] = sp.Max(bounds[s][0], edge)
    elif a.is_negative:
        bounds[s][1] = sp.Min(bounds[s][1], edge)


def _flatten(conditions: Iterable[sp.Basic]) -> list[sp.Basic]:
    out: list[sp.Basic] = []
    for c in conditions:
        out.extend(c.args if isinstance(c, sp.And) else (c,))
    return out


_INCREASING = (sp.sinh, sp.tanh, sp.asinh, sp.atan, sp.exp, sp.log, sp.erf, sp.atanh, sp.asin)


class _NoInterval(Exception):
    pass


def _evaluated(args: list[sp.Expr]) -> list[sp.Expr]:
    """The arguments, unless SymPy left an interval inside an unevaluated power (sqrt of an
    interval reaching below 0): two such terms would cancel as equal symbols
    (sqrt(A) - sqrt(A) = 0) although they stand for different values, so no interval is claimed."""
    if any(not isinstance(a, sp.AccumBounds) and a.has(sp.AccumBounds) for a in args):
        raise _NoInterval
    return args


def _interval(expr: sp.Expr, mapping: dict) -> sp.Expr:
    """Evaluate expr with symbols replaced by intervals (AccumBounds)."""
    if expr.is_Symbol:
        if expr not in mapping:
            raise _NoInterval
        return mapping[expr]
    if expr.is_number:
        return expr
    args = _evaluated([_interval(a, mapping) for a in expr.args])
    if isinstance(expr, _INCREASING):
        (x,) = args
        if isinstance(x, sp.AccumBounds):
            return sp.AccumBounds(type(expr)(x.min), type(expr)(x.max))
        return type(expr)(x)
    if isinstance(expr, sp.cosh):
        return _cosh_interval(args[0])
    if isinstance(expr, sp.LambertW):
        return _lambertw_interval(args[0], args[1] if len(args) > 1 else sp.S.Zero)
    if expr.is_Add or expr.is_Mul:
        # fold with the operators: Add(2*pi, AccumBounds(...)) stays unevaluated, + does not
        value = args[0]
        for a in args[1:]:
            value = value + a if expr.is_Add else value * a
    else:
        value = expr.func(*args)
    if value.free_symbols or any(isinstance(a, sp.Function) and
                                 any(isinstance(b, sp.AccumBounds) for b in a.args)
                                 for a in sp.preorder_traversal(value)):
        raise _NoInterval
    return value


def _cosh_interval(x: sp.Expr) -> sp.Expr:
    """cosh of an interval: its smallest value is 1 when the interval holds 0."""
    if not isinstance(x, sp.AccumBounds):
        return sp.cosh(x)
    lo, hi = x.min, x.max
    ends = [sp.cosh(lo), sp.cosh(hi)]
    low = sp.S.One if (lo <= 0) == True and (hi >= 0) == True else sp.Min(*ends)  # noqa: E712
    return sp.AccumBounds(low, sp.Max(*ends))


def _lambertw_interval(x: sp.Expr, k: sp.Expr) -> sp.Expr:
    """LambertW of an interval on its monotone branches (W0 increases, W_{-1} decreases)."""
    if isinstance(x, sp.AccumBounds) and (x.min >= -sp.exp(-1)) == True:  # noqa: E712
        if k == 0:  # W0 increases on [-1/e, oo)
            return sp.AccumBounds(sp.LambertW(x.min), sp.LambertW(x.max))
        if k == -1 and (x.max <= 0) == True:  # noqa: E712  W_{-1} decreases on [-1/e, 0)
            return sp.AccumBounds(sp.LambertW(x.max, -1), sp.LambertW(x.min, -1))
    raise _NoInterval


def _interval_sign(expr: sp.Expr, bounds: dict[sp.Symbol, tuple[sp.Expr, sp.Expr]]) -> Sign:
    """Sign by interval arithmetic: replace each symbol by its range."""
    if not bounds:
        return Sign.UNKNOWN
    mapping = {}
    for s in expr.free_symbols:
        if s not in bounds:
            return Sign.UNKNOWN
        lo, hi = bounds[s]
        mapping[s] = sp.AccumBounds(lo, hi) if lo != hi else lo
    try:
        value = _interval(expr, mapping)
        if isinstance(value, sp.AccumBounds):
            lo, hi = value.min, value.max
        elif value.is_number and value.is_extended_real:
            lo = hi = value
        else:
            return Sign.UNKNOWN
        if lo.is_positive:
            return Sign.POSITIVE
        if hi.is_negative:
            return Sign.NEGATIVE
        if lo.is_nonnegative:
            return Sign.NONNEGATIVE
        if hi.is_nonpositive:
            return Sign.NONPOSITIVE
    except (_NoInterval, TypeError, ValueError, AttributeError, NotImplementedError, RecursionError):
        pass
    return Sign.UNKNOWN


def _factor_sign(factor: sp.Expr, bounds: dict, conditions: Sequence[sp.Basic],
                 symbols: Sequence[sp.Symbol]) -> Sign:
    if factor.is_positive:
        return Sign.POSITIVE
    if factor.is_negative:
        return Sign.NEGATIVE
    if factor.is_zero:
        return Sign.ZERO
    if factor.is_nonnegative:
        return Sign.NONNEGATIVE
    if factor.is_nonpositive:
        return Sign.NONPOSITIVE
    if isinstance(factor, sp.Pow) and factor.exp.is_Integer:
        return _factor_sign(factor.base, bounds, conditions, symbols).power(int(factor.exp))
    if isinstance(factor, sp.Pow) and factor.exp.is_Rational and factor.base.is_nonnegative:
        return Sign.NONNEGATIVE
    if isinstance(factor, sp.Pow) and factor.exp.is_Rational and factor.exp.is_positive:
        base = _factor_sign(factor.base, bounds, conditions, symbols)  # a root of a sum: sqrt(u + v)
        if base in (Sign.POSITIVE, Sign.NONNEGATIVE, Sign.ZERO):
            return base
    stated = _stated_sign(factor, conditions)
    if stated is not None:
        return stated
    sign = _interval_sign(factor, bounds)
    if sign in (Sign.NONNEGATIVE, Sign.NONPOSITIVE) and _no_zero(factor, bounds, conditions):
        return Sign.POSITIVE if sign is Sign.NONNEGATIVE else Sign.NEGATIVE
    return sign


_STATED = {sp.GreaterThan: Sign.NONNEGATIVE, sp.StrictGreaterThan: Sign.POSITIVE,
           sp.LessThan: Sign.NONPOSITIVE, sp.StrictLessThan: Sign.NEGATIVE}
_OPPOSITE = {Sign.NONNEGATIVE: Sign.NONPOSITIVE, Sign.POSITIVE: Sign.NEGATIVE,
             Sign.NONPOSITIVE: Sign.NONNEGATIVE, Sign.NEGATIVE: Sign.POSITIVE}


def _stated_sign(factor: sp.Expr, conditions: Sequence[sp.Basic]) -> Sign | None:
    """The sign a condition states outright: ``-u <= v`` says ``u + v >= 0``."""
    if not factor.is_Add:
        return None
    for cond in _flatten(conditions):
        if type(cond) not in _STATED:
            continue
        difference = sp.expand(cond.lhs - cond.rhs)
        if sp.expand(difference - factor) == 0:
            return _STATED[type(cond)]
        if sp.expand(difference + factor) == 0:
            return _OPPOSITE[_STATED[type(cond)]]
    return None


def _open_ends(conditions: Sequence[sp.Basic], x: sp.Symbol, lo: sp.Expr, hi: sp.Expr
               ) -> tuple[bool, bool]:
    """Whether the bounds ``lo``, ``hi`` of ``x`` are excluded (strict or infinite)."""
    lo_open = not lo.is_finite or not ((lo == 0 and x.is_nonnegative and not x.is_positive))
    hi_open = not hi.is_finite or not ((hi == 0 and x.is_nonpositive and not x.is_negative))
    for cond in _flatten(conditions):
        if isinstance(cond, (sp.GreaterThan, sp.LessThan)):
            small, large = (cond.lhs, cond.rhs) if isinstance(cond, sp.LessThan) else \
                (cond.rhs, cond.lhs)
            if large == x and small == lo:
                lo_open = False
            if small == x and large == hi:
                hi_open = False
    return lo_open, hi_open


def _no_zero(factor: sp.Expr, bounds: dict, conditions: Sequence[sp.Basic]) -> bool:
    """True if ``factor`` has no zero in the box of the variables' bounds, so that a
    sign proved up to equality (``2*pi - theta >= 0`` on ``0 < theta < 2*pi``) is strict.

    One variable: SymPy's ``solveset`` on the interval must find no root. Several
    variables: a linear function has no zero inside an open box where it keeps its sign.
    """
    free = factor.free_symbols
    if not free or any(s not in bounds for s in free):
        return False
    ends = {s: _open_ends(conditions, s, *bounds[s]) for s in free}
    key = (factor, tuple(sorted(((s, bounds[s], ends[s]) for s in free), key=str)))
    if key not in _NO_ZERO:
        if len(_NO_ZERO) > 2048:
            _NO_ZERO.clear()
        _NO_ZERO[key] = _no_zero_in_box(factor, free, bounds, ends)
    return _NO_ZERO[key]


_NO_ZERO: dict = {}


def _no_zero_in_box(factor: sp.Expr, free: set, bounds: dict, ends: dict) -> bool:
    if len(free) > 1:
        try:
            poly = sp.Poly(factor, *sorted(free, key=str))
        except sp.PolynomialError:
            return False
        return poly.total_degree() == 1 and all(a and b for a, b in ends.values())
    (x,) = free
    lo, hi = bounds[x]
    if lo == hi:
        return False
    from ..errors import SymjacTimeoutError
    from ..timeouts import time_limit

    what = "looking for zeros of a factor"
    try:
        with time_limit(2, what):
            zeros = sp.solveset(factor, x, sp.Interval(lo, hi, *ends[x]))
    except SymjacTimeoutError as exc:
        if exc.value != what:
            raise
        return False
    except (NotImplementedError, ValueError, TypeError, AttributeError, RecursionError):
        return False
    return zeros is sp.S.EmptySet


def sign_on(expr: sp.Expr, conditions: Sequence[sp.Basic] = (), *,
            symbols: Sequence[sp.Symbol] | None = None, samples: int = 200, seed: int = 0) -> Sign:
    """The sign of ``expr`` wherever ``conditions`` hold.

    A definite answer (positive, nonnegative, negative, nonpositive) is proved
    from assumptions and interval arithmetic; ``CHANGES`` means points of both
    signs were found; ``UNKNOWN`` means neither.

    >>> import sympy as sp
    >>> from symjac.domains.signs import sign_on
    >>> r, t = sp.symbols("r t", real=True)
    >>> sign_on(r**2*sp.sin(t), [r > 0, 0 < t, t < sp.pi]).value
    'nonnegative'
    >>> sign_on(sp.cos(t), [0 < t, t < sp.pi]).value
    'changes'
    """
    expr = sp.sympify(expr)
    if expr.is_number:
        if expr.is_zero:
            return Sign.ZERO
        return Sign.POSITIVE if expr.is_positive else Sign.NEGATIVE if expr.is_negative else Sign.UNKNOWN
    symbols = tuple(symbols) if symbols is not None else tuple(sorted(expr.free_symbols, key=str))
    all_symbols = tuple(set(symbols) | expr.free_symbols |
                        set().union(*(c.free_symbols for c in conditions)) if conditions else
                        set(symbols) | expr.free_symbols)
    bounds = variable_bounds(conditions, all_symbols)
    result = Sign.POSITIVE
    for factor in sp.Mul.make_args(expr):
        result = result.times(_factor_sign(factor, bounds, conditions, all_symbols))
        if result is Sign.UNKNOWN:
            break
    if result is not Sign.UNKNOWN:
        return result
    whole = _interval_sign(expr, bounds)
    if whole is not Sign.UNKNOWN or samples <= 0:
        return whole
    return _sampled_sign(expr, conditions, all_symbols, samples, seed)


def _sampled_sign(expr: sp.Expr, conditions: Sequence[sp.Basic], symbols: Sequence[sp.Symbol],
                  samples: int, seed: int) -> Sign:
    symbols = tuple(sorted(symbols, key=str))
    if expr.has(AppliedUndef):  # f(x) has no formula: its sign has no numbers to show
        return Sign.UNKNOWN
    try:
        points = sample_points(symbols, conditions, samples, rng=np.random.default_rng(seed))
        f = sp.lambdify(symbols, expr, modules="numpy")
        with np.errstate(all="ignore"):
            values = np.broadcast_to(np.asarray(f(*points.T), dtype=float), (len(points),))
    except (TypeError, ValueError, NameError, ZeroDivisionError, OverflowError):
        return Sign.UNKNOWN
    values = values[np.isfinite(values)]
    if values.size == 0:
        return Sign.UNKNOWN
    scale = max(float(np.max(np.abs(values))), 1e-300)
    if np.any(values > 1e-9 * scale) and np.any(values < -1e-9 * scale):
        return Sign.CHANGES
    return Sign.UNKNOWN


def condition_function(symbols: Sequence[sp.Symbol], conditions: Sequence[sp.Basic]):
    """A NumPy function ``f(points) -> bool array`` telling which rows satisfy all conditions."""
    conditions = [c for c in _flatten(conditions) if c is not sp.true]
    funcs = [sp.lambdify(symbols, c, modules="numpy") for c in conditions]

    def holds(points: np.ndarray) -> np.ndarray:
        points = np.atleast_2d(points)
        ok = np.ones(len(points), dtype=bool)
        with np.errstate(all="ignore"):
            for f in funcs:
                ok &= np.broadcast_to(np.asarray(f(*points.T), dtype=bool), ok.shape)
        return ok

    return holds


def sample_points(symbols: Sequence[sp.Symbol], conditions: Sequence[sp.Basic], n: int, *,
                  rng: np.random.Generator, max_tries: int = 50) -> np.ndarray:
    """``n`` random points (rows) in the domain, drawn with ``rng``.

    Each variable is drawn from its bounds (uniform on a finite range, shifted
    exponential on a half-line, normal on the whole line), then points that
    break a condition are rejected.

    Raises:
        DomainError: If no point satisfying the conditions is found (a ``ValueError``).
    """
    symbols = tuple(symbols)
    bounds = variable_bounds(conditions, symbols)
    holds = condition_function(symbols, conditions)
    found: list[np.ndarray] = []
    total = 0
    for _ in range(max_tries):
        batch = np.empty((max(4 * n, 64), len(symbols)))
        for j, s in enumerate(symbols):
            lo, hi = (float(sp.N(b)) for b in bounds[s])
            batch[:, j] = _draw(lo, hi, len(batch), rng)
        keep = batch[holds(batch)]
        found.append(keep)
        total += len(keep)
        if total >= n:
            break
    if total == 0:
        names = ", ".join(str(c) for c in conditions) or "none"
        raise DomainError(f"no point satisfying the conditions ({names}) was found; "
                          "the domain may be empty or very thin.", value=tuple(conditions))
    points = np.concatenate(found)
    return points[:n] if total >= n else points


def _draw(lo: float, hi: float, size: int, rng: np.random.Generator) -> np.ndarray:
    if math.isfinite(lo) and math.isfinite(hi):
        width = hi - lo
        return lo + width * (0.02 + 0.96 * rng.random(size))
    if math.isfinite(lo):
        return lo + rng.exponential(1.5, size) + 1e-3
    if math.isfinite(hi):
        return hi - rng.exponential(1.5, size) - 1e-3
    return rng.normal(0.0, 1.5, size)
