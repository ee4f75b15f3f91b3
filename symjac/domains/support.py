"""Supports of densities: conditions in the new variables, simplified without losing any.

A branch of the inverse map carries the old support into the new variables by
substitution (``x > 0`` with ``x = u*v`` becomes ``u*v > 0``). This is the
measure-zero path of ``symjac.domains.tidy.tidy_conditions``: it simplifies
one-variable conditions to intervals, resolves products of one-variable factors
by their signs, and turns a one-dimensional support into an interval.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence

import sympy as sp

from .conditions import evaluate_condition, flatten_conditions, substitute_conditions
from .signs import Sign, sign_on, substitute_condition
from ..errors import SymjacTimeoutError
from ..parsing import symbols_from_conditions
from ..timeouts import time_limit

__all__ = ["simplify_support", "support_intervals", "assume_support", "to_strict"]

_SIMPLIFY_ERRORS = (NotImplementedError, TypeError, ValueError, AttributeError,
                    sp.PolynomialError, RecursionError, SymjacTimeoutError)




def to_strict(condition: sp.Basic) -> sp.Basic:
    """``a >= b`` as ``a > b`` (supports are open sets; boundaries have measure zero)."""
    if isinstance(condition, sp.GreaterThan):
        return sp.Gt(condition.lhs, condition.rhs, evaluate=False)
    if isinstance(condition, sp.LessThan):
        return sp.Lt(condition.lhs, condition.rhs, evaluate=False)
    if isinstance(condition, (sp.And, sp.Or)):
        return condition.func(*[to_strict(a) for a in condition.args])
    return condition


def _trivially_true(c: sp.Basic) -> bool:
    """``expr < oo`` and ``-oo < expr`` for a finite real expression."""
    if not isinstance(c, sp.Rel) or isinstance(c, (sp.Eq, sp.Ne)):
        return False
    small, large = (c.lhs, c.rhs) if isinstance(c, (sp.StrictLessThan, sp.LessThan)) else (c.rhs, c.lhs)
    return (large == sp.oo and small.is_finite is not False and not small.has(sp.oo)) or \
        (small == -sp.oo and large.is_finite is not False and not large.has(sp.oo))


def _true_almost_everywhere(c: sp.Basic) -> bool:
    """``e > 0`` for an expression that is provably >= 0 and not identically 0 (``x**2 + y**2 > 0``):
    it fails only on the zero set of ``e``, which has measure zero for analytic ``e``."""
    if not isinstance(c, (sp.StrictGreaterThan, sp.StrictLessThan, sp.GreaterThan, sp.LessThan)):
        return False
    e = c.lhs - c.rhs if isinstance(c, (sp.StrictGreaterThan, sp.GreaterThan)) else c.rhs - c.lhs
    while isinstance(e, sp.Pow) and e.exp.is_Rational and e.exp.is_positive:
        e = e.base  # sqrt(p) > 0 exactly where p > 0
    if not e.free_symbols or not (e.is_polynomial() and e.is_nonnegative):
        return False
    return not e.equals(0)


def _unwrap_exp(c: sp.Basic) -> sp.Basic:
    """``exp(a) < k`` as ``a < log(k)`` for a positive number ``k`` (exp is increasing)."""
    if not isinstance(c, sp.Rel) or isinstance(c, (sp.Eq, sp.Ne)):
        return c
    lhs, rhs = c.lhs, c.rhs
    if isinstance(rhs, sp.exp) and lhs.is_number:
        lhs, rhs = rhs, lhs
        c = c.reversed
        lhs, rhs = c.lhs, c.rhs
    if isinstance(lhs, sp.exp) and rhs.is_number and rhs.is_positive:
        return _unwrap_exp(c.func(lhs.args[0], sp.log(rhs), evaluate=False))
    if isinstance(lhs, sp.exp) and rhs.is_number and rhs.is_nonpositive:
        return sp.true if isinstance(c, (sp.StrictGreaterThan, sp.GreaterThan)) else sp.false
    return c


_ATAN2_RANGE = sp.Interval.open(-sp.pi, sp.pi)


def _resolve_atan2(conditions: list[sp.Basic]) -> list[sp.Basic] | None:
    """Conditions on ``atan2(b, a)`` alone as conditions on ``a``, ``b`` (up to measure zero).

    ``atan2`` takes values in (-π, π): ``0 < atan2(b, a) < π`` is ``b > 0``,
    ``-π < atan2(b, a) < 0`` is ``b < 0``; other ranges are kept as they are.
    """
    groups: dict[sp.Basic, list[sp.Basic]] = {}
    rest: list[sp.Basic] = []
    for c in conditions:
        atoms = c.atoms(sp.atan2) if isinstance(c, sp.Rel) else set()
        if len(atoms) == 1:
            atom = next(iter(atoms))
            tau = sp.Dummy("tau", real=True)
            if c.xreplace({atom: tau}).free_symbols == {tau}:
                groups.setdefault(atom, []).append(c)
                continue
        rest.append(c)
    for atom, conds in groups.items():
        tau = sp.Dummy("tau", real=True)
        try:
            found = sp.reduce_inequalities([substitute_condition(c, {atom: tau}) for c in conds], tau)
            interval = found.as_set().intersect(_ATAN2_RANGE)
        except _SIMPLIFY_ERRORS:
            rest.extend(conds)
            continue
        b, a = atom.args
        if interval.is_empty:
            return None
        if interval == _ATAN2_RANGE:
            continue
        if interval == sp.Interval.open(0, sp.pi):
            rest.append(sp.Gt(b, 0, evaluate=False))
        elif interval == sp.Interval.open(-sp.pi, 0):
            rest.append(sp.Lt(b, 0, evaluate=False))
        else:
            rest.extend(conds)
    return rest



def simplify_support(conditions: Iterable[sp.Basic], variables: Sequence[sp.Symbol], *,
                     timeout: float | None = 10.0) -> tuple[sp.Basic, ...] | None:
    """Simplified conditions (a conjunction), or None when they cannot all hold.

    One-variable conditions become intervals; conditions whose sides factor
    into one-variable factors (``u*v > 0``, ``v*(1 - u) > 0``) are resolved by
    trying every sign of the factors. Anything else is kept as it is, so the
    result always describes the same set (up to boundaries, which have measure zero).

    >>> import sympy as sp
    >>> from symjac.domains.support import simplify_support
    >>> u, v = sp.symbols("u v", real=True)
    >>> simplify_support([u*v > 0, v*(1 - u) > 0], [u, v])
    (u > 0, u < 1, v > 0)
    >>> simplify_support([-sp.sqrt(u) > 0], [u]) is None
    True
    """
    original = tuple(variables)
    # decide with plain real twins: r > 0 must stay in the support even if r is declared positive
    plain = {v: sp.Dummy(v.name, real=True) for v in original}
    back = {d: v for v, d in plain.items()}
    variables = tuple(plain.values())
    conditions = list(substitute_conditions(flatten_conditions(conditions), plain, evaluate=False))
    kept: list[sp.Basic] = []
    conditions = _resolve_atan2(flatten_conditions(conditions))
    if conditions is None:
        return None
    for c in flatten_conditions(conditions):
        c = _unwrap_exp(c)
        if _trivially_true(c) or _true_almost_everywhere(c) or isinstance(c, sp.Ne):
            continue  # Ne: a set of measure zero is left out either way
        c = evaluate_condition(c)
        if c is sp.true:
            continue
        if c is sp.false:
            return None
        kept.append(c)
    try:
        with time_limit(timeout, "simplifying the support"):
            result = _simplify(kept, variables)
    except _SIMPLIFY_ERRORS:
        result = kept
    if result is None:
        return None
    return tuple(to_strict(substitute_condition(c, back)) for c in result)


def _simplify(conditions: list[sp.Basic], variables: tuple[sp.Symbol, ...]) -> list[sp.Basic] | None:
    by_var: dict[sp.Symbol, list[sp.Basic]] = {v: [] for v in variables}
    mixed: list[sp.Basic] = []
    for c in conditions:
        own = [v for v in variables if v in c.free_symbols]
        if len(own) == 1 and isinstance(c, sp.Rel):
            by_var[own[0]].append(c)
        else:
            mixed.append(c)
    if mixed:
        singles = [c for v in variables for c in by_var[v]]
        resolved = _by_signs(mixed + singles, variables)
        if resolved is False:
            return None
        if resolved is not None:
            for v, conds in resolved.items():
                by_var[v].extend(conds)
            mixed = []
    out: list[sp.Basic] = []
    for v in variables:
        if not by_var[v]:
            continue
        reduced = _reduce_1d(by_var[v], v)
        if reduced is sp.false:
            return None
        out.extend(flatten_conditions([reduced]))
    return out + mixed


def _drop_proved(conditions: list[sp.Basic], v: sp.Symbol) -> list[sp.Basic]:
    """Drop conditions with special functions (``-LambertW(-y) > 0``) that the plain
    conditions on ``v`` (``0 < y < 1/e``) prove; they only get in the way of solving."""
    plain = [c for c in conditions if not any(v in f.free_symbols for f in c.atoms(sp.Function))]
    if len(plain) == len(conditions) or not plain:
        return conditions
    kept = list(plain)
    for c in conditions:
        if c in plain:
            continue
        if isinstance(c, (sp.StrictGreaterThan, sp.GreaterThan)):
            expr = c.lhs - c.rhs
        elif isinstance(c, (sp.StrictLessThan, sp.LessThan)):
            expr = c.rhs - c.lhs
        else:
            kept.append(c)
            continue
        try:
            sign = sign_on(expr, plain, symbols=[v])
        except _SIMPLIFY_ERRORS:
            sign = Sign.UNKNOWN
        # e >= 0 proved: e > 0 fails only where e = 0, a set of measure zero for the
        # analytic functions met here, like the boundaries this module already ignores
        if sign not in (Sign.POSITIVE, Sign.NONNEGATIVE):
            kept.append(c)
    return kept


def _positive_side(c: sp.Basic) -> sp.Expr | None:
    """``c`` as ``e > 0`` (non-strict alike), or None for other conditions."""
    if isinstance(c, (sp.StrictGreaterThan, sp.GreaterThan)):
        return c.lhs - c.rhs
    if isinstance(c, (sp.StrictLessThan, sp.LessThan)):
        return c.rhs - c.lhs
    return None


def _drop_implied_by_bounds(conditions: list[sp.Basic], v: sp.Symbol) -> list[sp.Basic]:
    """Drop conditions that the plain bounds of ``v`` (``v > 1``, ``v < b``) imply, even with
    parameters: ``y**k > 0`` on ``y > 0``, and ``y**(-a) < 1`` on ``y > 1`` (with ``a > 0``),
    which holds because ``1 - y**(-a)`` increases from 0 at the lower end of the interval (and
    ``sqrt(y) < 1`` on ``0 < y < 1``: ``1 - sqrt(y)`` decreases to 0 at the upper end)."""
    bounds = [c for c in conditions if isinstance(c, sp.Rel) and not isinstance(c, (sp.Eq, sp.Ne))
              and v in (c.lhs, c.rhs) and not (c.lhs - c.rhs).diff(v).free_symbols]
    if not bounds or len(bounds) == len(conditions):
        return conditions
    ends = ([b for c in bounds for b in [_bound_of(c, v, low=True)] if b is not None],
            [b for c in bounds for b in [_bound_of(c, v, low=False)] if b is not None])
    kept = list(bounds)
    for c in conditions:
        if c in bounds:
            continue
        expr = _positive_side(c)
        if expr is None or not _holds_on(sp.cancel(sp.together(expr)), v, bounds, ends):
            kept.append(c)
    return kept


def _bound_of(c: sp.Rel, v: sp.Symbol, *, low: bool) -> sp.Expr | None:
    """The lower (or upper) end a plain bound ``v > c`` (``c < v``) gives, or None."""
    side = _positive_side(c)
    if side is None:
        return None
    slope = side.diff(v)
    if (slope.is_positive and low) or (slope.is_negative and not low):
        return v - side / slope
    return None


def _holds_on(expr: sp.Expr, v: sp.Symbol, bounds: list[sp.Basic],
              ends: tuple[list[sp.Expr], list[sp.Expr]]) -> bool:
    """``expr > 0`` (up to a null set) where the bounds hold: its sign proved directly, or it
    rises from a nonnegative value at the lower end, or falls to one at the upper end."""
    try:
        with time_limit(5.0, "checking a condition against the bounds"):
            if sign_on(expr, bounds, samples=0) in (Sign.POSITIVE, Sign.NONNEGATIVE):
                return True
            lows, highs = ends
            if len(lows) != 1 and len(highs) != 1:
                return False
            slope = sign_on(sp.cancel(expr.diff(v)), bounds, samples=0)
            if len(lows) == 1 and slope in (Sign.POSITIVE, Sign.NONNEGATIVE):
                start = sp.limit(expr, v, lows[0], "+")
                return bool(start.is_finite and start.is_nonnegative)
            if len(highs) == 1 and slope in (Sign.NEGATIVE, Sign.NONPOSITIVE):
                stop = sp.limit(expr, v, highs[0], "-")
                return bool(stop.is_finite and stop.is_nonnegative)
            return False
    except _SIMPLIFY_ERRORS:
        return False


def _reduce_1d(conditions: list[sp.Basic], v: sp.Symbol) -> sp.Basic:
    conditions = _drop_implied_by_bounds(_drop_proved(conditions, v), v)
    others = set().union(*(c.free_symbols for c in conditions)) - {v}
    if others:
        try:
            return sp.And(*[sp.reduce_inequalities([c], v) for c in conditions])
        except _SIMPLIFY_ERRORS:
            return sp.And(*conditions)
    interval = _linear_interval(conditions, v)
    if interval is not None:
        return _as_bounds(interval, v)
    s = sp.reduce_inequalities(conditions, v)
    if s is sp.false:
        return sp.false
    return _as_bounds(s.as_set(), v)


def _as_bounds(interval: sp.Set, v: sp.Symbol) -> sp.Basic:
    """An interval as ``a < v < b`` (ends left out: boundaries have measure zero)."""
    if interval.is_empty:
        return sp.false
    if isinstance(interval, sp.Interval):
        parts = []
        if interval.start != -sp.oo:
            parts.append(sp.Gt(v, interval.start, evaluate=False))
        if interval.end != sp.oo:
            parts.append(sp.Lt(v, interval.end, evaluate=False))
        return sp.And(*parts) if parts else sp.true
    return interval.as_relational(v)


def _linear_interval(conditions: list[sp.Basic], v: sp.Symbol) -> sp.Interval | None:
    """The interval where every condition holds, when each is ``a*v + b > 0`` (or <, >=, <=)
    with real numbers ``a != 0`` and ``b``: exact, without ``reduce_inequalities``; None
    when one of them is anything else."""
    out: sp.Set = sp.Interval(-sp.oo, sp.oo)
    for c in conditions:
        side = _positive_side(c)
        if side is None:
            return None
        a, b = side.diff(v), sp.sympify(side.xreplace({v: 0}))
        if a.free_symbols or b.free_symbols or not (a.is_extended_real and a.is_nonzero and
                                                     b.is_finite and b.is_extended_real) \
                or not (side - a * v - b).expand().is_zero:
            return None
        strict = isinstance(c, (sp.StrictGreaterThan, sp.StrictLessThan))
        end = -b / a  # side > 0 is v > end where a > 0, v < end where a < 0
        piece = sp.Interval(end, sp.oo, strict, True) if a.is_positive else \
            sp.Interval(-sp.oo, end, True, strict)
        out = out.intersect(piece)
    return out


def _by_signs(conditions: list[sp.Basic], variables: tuple[sp.Symbol, ...]
              ) -> dict[sp.Symbol, list[sp.Basic]] | bool | None:
    """Resolve ``product of one-variable factors > 0`` conditions by enumerating signs.

    Returns per-variable conditions when exactly one sign pattern is feasible,
    False when none is, None when the method does not apply.
    """
    table = _sign_table(conditions, variables)
    if table is None:
        return None
    rows, factors = table
    feasible = []
    for signs in itertools.product((1, -1), repeat=len(factors)):
        if not all(s * sp.Mul(*[signs[i] ** k for i, k in row]) > 0 for s, row in rows):
            continue
        per: dict[sp.Symbol, list[sp.Basic]] = {}
        for f, s in zip(factors, signs):
            v = next(v for v in variables if v in f.free_symbols)
            per.setdefault(v, []).append(sp.Gt(f, 0) if s > 0 else sp.Lt(f, 0))
        if any(_reduce_1d(conds, v) is sp.false for v, conds in per.items()):
            continue
        feasible.append(per)
    if not feasible:
        return False
    return feasible[0] if len(feasible) == 1 else None


def _sign_table(conditions: list[sp.Basic], variables: tuple[sp.Symbol, ...]) -> tuple | None:
    """Each condition ``e > 0`` as (sign of its constant, [(factor index, power)]) over the
    one-variable factors of ``e``, and the factors (at most 6); None when a condition is no
    such product."""
    rows = []
    factors: list[sp.Expr] = []
    for c in conditions:
        expr = _positive_side(c)
        if expr is None:
            return None
        num, den = sp.fraction(sp.together(expr))
        c_num, f_num = sp.factor_list(num)
        c_den, f_den = sp.factor_list(den)
        coeff = c_num / c_den
        row = []
        for f, k in list(f_num) + [(f, -k) for f, k in f_den]:
            if len([v for v in variables if v in f.free_symbols]) != 1:
                return None
            if f not in factors:
                factors.append(f)
            row.append((factors.index(f), k))
        if not coeff.is_number or coeff == 0:
            return None
        rows.append((sp.sign(coeff), row))
    return (rows, factors) if len(factors) <= 6 else None


def support_intervals(conditions: Sequence[sp.Basic], variables: Sequence[sp.Symbol]
                      ) -> dict[sp.Symbol, tuple[sp.Expr, sp.Expr]] | None:
    """``{variable: (low, high)}`` when the support is a box given by bounds, else None.

    >>> import sympy as sp
    >>> from symjac.domains.support import support_intervals
    >>> r, t = sp.symbols("r t", real=True)
    >>> support_intervals([r > 0, t > 0, t < 2*sp.pi], [r, t])
    {r: (0, oo), t: (0, 2*pi)}
    """
    box = {v: [-sp.oo, sp.oo] for v in variables}
    for c in flatten_conditions(conditions):
        if not (c.free_symbols & set(variables)):
            continue  # a condition on parameters alone (sigma > 0)
        if not isinstance(c, sp.Rel) or isinstance(c, (sp.Eq, sp.Ne)):
            return None
        small, large = (c.lhs, c.rhs) if isinstance(c, (sp.StrictLessThan, sp.LessThan)) \
            else (c.rhs, c.lhs)
        if large in box and not (small.free_symbols & set(variables)):
            box[large][0] = small if box[large][0] == -sp.oo else sp.Max(box[large][0], small)
        elif small in box and not (large.free_symbols & set(variables)):
            box[small][1] = large if box[small][1] == sp.oo else sp.Min(box[small][1], large)
        else:
            return None
    return {v: (lo, hi) for v, (lo, hi) in box.items()}


def assume_support(variables: Sequence[sp.Symbol], conditions: Sequence[sp.Basic]
                   ) -> dict[sp.Symbol, sp.Symbol]:
    """``{variable: twin}`` where the twin carries the signs the support implies (``y > 0``)."""
    names = [v.name for v in variables]
    assumed = symbols_from_conditions(names, flatten_conditions(conditions))
    out = {}
    for v in variables:
        twin = assumed[v.name]
        if twin.is_positive or twin.is_negative or twin.is_nonnegative or twin.is_nonpositive:
            out[v] = sp.Dummy(v.name, **twin.assumptions0)
    return out
