"""Densities on the line, piece by piece: summing branches and integrating auxiliaries out.

A density of one variable ``y`` is built from contributions that each hold
under their own conditions. ``line_pieces`` cuts the line at every point where
a condition or an integration bound changes, and on each piece sums the
contributions that apply there; with an auxiliary ``w`` it integrates each
contribution over the exact range of ``w`` on that piece (``0 < w < y`` for
the sum of two exponentials), splitting ``|w|`` by sign. The result is a list
of ``(expression, low, high)`` pieces, ready for a ``Piecewise``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import sympy as sp

from ..domains import abs_cases, flatten_conditions
from ..errors import SymjacTimeoutError
from ..timeouts import time_limit

__all__ = ["LinePiece", "line_pieces", "pieces_to_piecewise", "interval_condition", "Unsupported"]


class Unsupported(Exception):
    """The conditions are outside what the piecewise method handles (the caller falls back)."""


@dataclass(frozen=True)
class LinePiece:
    """``expr`` on the open interval ``(low, high)``; ``closed`` is False if an integral remains."""

    expr: sp.Expr
    low: sp.Expr
    high: sp.Expr
    closed: bool = True


def _oriented(c: sp.Basic) -> sp.Expr:
    """``c`` as ``expr > 0`` (non-strict treated alike: boundaries have measure zero)."""
    if isinstance(c, (sp.StrictGreaterThan, sp.GreaterThan)):
        return c.lhs - c.rhs
    if isinstance(c, (sp.StrictLessThan, sp.LessThan)):
        return c.rhs - c.lhs
    raise Unsupported(f"condition {c} is not an inequality")



def _real_roots(expr: sp.Expr, y: sp.Symbol) -> list[sp.Expr]:
    """Where ``expr`` can change sign: its real zeros and, for a fraction, its poles."""
    num, den = sp.fraction(sp.together(expr))
    roots = []
    for part in (num, den):
        if y not in part.free_symbols:
            continue
        try:
            roots += sp.solve(part, y)
        except NotImplementedError:
            raise Unsupported(f"cannot solve {part} = 0 for {y}") from None
    out = []
    for r in roots:
        if r.free_symbols:
            raise Unsupported(f"a breakpoint {r} depends on parameters")
        if r.is_real:
            out.append(sp.nsimplify(r) if r.is_Float else r)
    return out


def _holds(c: sp.Basic, y: sp.Symbol, at: sp.Expr) -> bool:
    try:
        value = c.xreplace({y: at}) if not isinstance(c, sp.Rel) else \
            c.func(c.lhs.xreplace({y: at}), c.rhs.xreplace({y: at}))
    except TypeError:  # a side that is not real there (LambertW(-1)): the condition fails
        return False
    if value in (sp.true, sp.false):
        return bool(value)
    raise Unsupported(f"cannot decide {c} at {y} = {at}")


def line_pieces(cases: Sequence[tuple[sp.Expr, Sequence[sp.Basic]]], y: sp.Symbol,
                w: sp.Symbol | None = None, *, timeout: float | None = 30.0) -> list[LinePiece]:
    """Sum (and, with ``w``, integrate over ``w``) contributions on the pieces of the line.

    Args:
        cases: ``(expression, conditions)`` pairs; conditions are in ``y`` (and ``w``).
        y: The variable of the result.
        w: An auxiliary variable to integrate out over its exact range, or None.
        timeout: Seconds for each symbolic integral; on time-out the integral
            is kept unevaluated (``closed=False``) for numeric evaluation.

    Raises:
        Unsupported: If the conditions are not linear in ``w`` or breakpoints depend on parameters.

    >>> import sympy as sp
    >>> from symjac.densities.marginals import line_pieces
    >>> y, w = sp.symbols("y w", real=True)
    >>> [(p.expr, p.low, p.high) for p in line_pieces([(1, [y - w > 0, y - w < 1, w > 0, w < 1])], y, w)]
    [(y, 0, 1), (2 - y, 1, 2)]
    """
    prepared = []
    for value, conds in cases:
        value = sp.sympify(value)
        sub = ([(case[0], conds) for case, conds in abs_cases([value], [w])] if w is not None
               else [(value, [])])
        for val, extra in sub:
            for alternative in _classify(list(flatten_conditions(conds)) + extra, y, w):
                prepared.append((val, alternative))
    points: set[sp.Expr] = set()
    for _, (yconds, linear) in prepared:
        for c in yconds:
            points.update(_real_roots(_oriented(c), y))
        for i, (a, b) in enumerate(linear):
            points.update(_real_roots(a, y))
            for a2, b2 in linear[i + 1:]:
                points.update(_real_roots(b2 * a - b * a2, y))
    ordered = sorted(points, key=lambda p: float(p))
    edges = [-sp.oo] + ordered + [sp.oo]
    pieces: list[LinePiece] = []
    for lo, hi in zip(edges[:-1], edges[1:]):
        at = _test_point(lo, hi)
        total, closed, count = sp.S.Zero, True, 0
        for value, (yconds, linear) in prepared:
            if not all(_holds(c, y, at) for c in yconds):
                continue
            count += 1
            if w is None:
                total += value
                continue
            part, ok = _integrate_piece(value, linear, y, w, lo, hi, at, timeout)
            total += part
            closed &= ok
        if w is not None or count > 1:  # one branch alone was simplified already
            total = _tidy_on(total, y, lo, hi, timeout)
        if total != 0:
            pieces.append(LinePiece(total, lo, hi, closed))
    return _merge(pieces, y)


def _clear_denominators(conds: list[sp.Basic], w: sp.Symbol) -> list[sp.Basic]:
    """With ``w > 0`` (or ``w < 0``) among the conditions, ``y/w < 1`` becomes ``y < w``."""
    sign = 1 if sp.Gt(w, 0, evaluate=False) in conds or sp.Lt(0, w, evaluate=False) in conds else \
        -1 if sp.Lt(w, 0, evaluate=False) in conds or sp.Gt(0, w, evaluate=False) in conds else 0
    if sign == 0:
        return conds
    out = []
    for c in conds:
        if isinstance(c, sp.Rel) and w in c.free_symbols and not isinstance(c, (sp.Eq, sp.Ne)):
            num, den = sp.fraction(sp.together(_oriented(c)))
            base, k = (den.as_base_exp() if den.has(w) else (None, 0))
            if base == w and k.is_Integer:
                factor = sign ** int(k)
                out.append(sp.Gt(sp.expand(num * factor), 0, evaluate=False))
                continue
        out.append(c)
    return out


def _classify(conds: list[sp.Basic], y: sp.Symbol, w: sp.Symbol | None
              ) -> list[tuple[list[sp.Basic], list[tuple[sp.Expr, sp.Expr]]]]:
    """The conditions as disjoint alternatives ``(conditions on y, [(a, b): a w + b > 0])``.

    A condition ``a w**2 + b > 0`` (no ``w`` term) is ``|w| < sqrt(-b/a)`` when ``a < 0`` and
    ``|w| > sqrt(-b/a)`` (two rays, so two alternatives) when ``a > 0``.
    """
    alternatives: list[tuple[list[sp.Basic], list[tuple[sp.Expr, sp.Expr]]]] = [([], [])]
    if w is not None:
        conds = _clear_denominators(conds, w)
    for c in conds:
        if w is None or w not in c.free_symbols:
            if c.free_symbols - {y}:
                raise Unsupported(f"condition {c} involves other variables")
            alternatives = [(yc + [c], lin) for yc, lin in alternatives]
            continue
        expr = sp.expand(_without_positive_factors(_oriented(c)))
        if not expr.is_polynomial(w) or sp.degree(expr, w) not in (1, 2):
            raise Unsupported(f"condition {c} is not linear in {w}")
        if sp.degree(expr, w) == 1:
            options = [([], [(expr.coeff(w, 1), expr.coeff(w, 0))])]
        else:
            options = _quadratic(expr, y, w, c)
        for a, b in (pair for _, lin in options for pair in lin):
            if (a.free_symbols | b.free_symbols) - {y}:
                raise Unsupported(f"condition {c} involves parameters or other variables")
        alternatives = [(yc + oy, lin + ol) for yc, lin in alternatives for oy, ol in options]
    return alternatives


def _without_positive_factors(expr: sp.Expr) -> sp.Expr:
    """``expr`` without the factors that are positive by assumption (``d1/d2`` with ``d1, d2 > 0``):
    ``expr > 0`` means the same, and what is left may be free of parameters."""
    factored = sp.factor_terms(expr)
    if not isinstance(factored, sp.Mul):
        return expr
    kept = [f for f in factored.args if not f.is_positive]
    return sp.Mul(*kept) if len(kept) < len(factored.args) else expr


def _quadratic(expr: sp.Expr, y: sp.Symbol, w: sp.Symbol, c: sp.Basic
               ) -> list[tuple[list[sp.Basic], list[tuple[sp.Expr, sp.Expr]]]]:
    a, b = expr.coeff(w, 2), expr.coeff(w, 0)
    if expr.coeff(w, 1) != 0 or not a.is_number or a == 0 or (b.free_symbols - {y}):
        raise Unsupported(f"condition {c} is not of the form a*{w}**2 + b > 0")
    square = sp.cancel(-b / a)
    r = sp.sqrt(square)
    inside = sp.Gt(square, 0, evaluate=False)
    if a < 0:  # |w| < r
        return [([inside], [(sp.S.One, r), (sp.S.NegativeOne, r)])]
    outside = [([inside], [(sp.S.One, -r)]), ([inside], [(sp.S.NegativeOne, -r)])]
    if square.is_nonnegative:
        return outside
    return outside + [([sp.Lt(square, 0, evaluate=False)], [])]


def _test_point(lo: sp.Expr, hi: sp.Expr) -> sp.Expr:
    if lo == -sp.oo and hi == sp.oo:
        return sp.Rational(1, 3)
    if lo == -sp.oo:
        return hi - 1
    if hi == sp.oo:
        return lo + 1
    return (lo + hi) / 2


def _integrate_piece(value, linear, y, w, lo, hi, at, timeout) -> tuple[sp.Expr, bool]:
    """``value`` integrated over ``w`` between the linear bounds in force at the test point
    ``at`` of the piece ``lo < y < hi``: (the integral, whether it came out in closed form)."""
    ends = _w_range(linear, y, at)
    if ends is None:
        return sp.S.Zero, True
    low, high, low_at, high_at = ends
    w_twin = sp.Dummy(w.name, positive=True) if low_at >= 0 else \
        sp.Dummy(w.name, negative=True) if high_at <= 0 else sp.Dummy(w.name, real=True)
    result = None
    for form, back in _y_forms(y, lo, hi):
        integrand = sp.expand_power_base(value.xreplace({w: w_twin, y: form}), force=False)
        integrand = sp.powsimp(integrand)
        a, b = low.xreplace({y: form}), high.xreplace({y: form})
        try:
            with time_limit(timeout, f"integrating {w} out"):
                found = sp.integrate(integrand, (w_twin, a, b), conds="none")
        except (SymjacTimeoutError, NotImplementedError, ValueError, TypeError):
            continue
        if found.has(sp.Integral):
            continue
        result = found.xreplace(back)
        if not found.has(sp.exp_polar, sp.polar_lift):
            break
    closed = result is not None
    if not closed:
        result = sp.Integral(value, (w, low, high))
    elif result.has(sp.exp_polar, sp.polar_lift):
        result = sp.unpolarify(result.replace(sp.polar_lift, lambda e: e))
    return result, closed


def _w_range(linear, y: sp.Symbol, at: sp.Expr) -> tuple | None:
    """(low, high, low at ``at``, high at ``at``) of ``w`` from the conditions ``a*w + b > 0`` in
    ``linear``, the ones binding at ``y = at``; None when the range is empty there."""
    lowers, uppers = [], []
    for a, b in linear:
        a_at = float(a.xreplace({y: at}))
        bound = sp.cancel(-b / a) if a_at != 0 else None
        if a_at > 0:
            lowers.append(bound)
        elif a_at < 0:
            uppers.append(bound)
        elif float(b.xreplace({y: at})) <= 0:
            return None
    num = lambda e: float(e.xreplace({y: at}))  # noqa: E731
    low = max(lowers, key=num) if lowers else -sp.oo
    high = min(uppers, key=num) if uppers else sp.oo
    low_at = num(low) if low != -sp.oo else -math.inf
    high_at = num(high) if high != sp.oo else math.inf
    if low_at >= high_at:
        return None
    return low, high, low_at, high_at


def _y_forms(y: sp.Symbol, lo: sp.Expr, hi: sp.Expr) -> list[tuple[sp.Expr, dict]]:
    """y as a symbol with its sign, else as (upper end - d) or (lower end + d) with d > 0, each
    with the way back to y: the integral then knows the sign of y - hi or y - lo (without it,
    polar_lift(u - 1) can appear)."""
    d = sp.Dummy("d", positive=True)
    y_twin = _twin(y, lo, hi)
    forms: list[tuple[sp.Expr, dict]] = [(y_twin, {y_twin: y})]
    if hi != sp.oo:
        forms.append((hi - d, {d: hi - y}))
    if lo != -sp.oo:
        forms.append((lo + d, {d: y - lo}))
    return forms


def _twin(y: sp.Symbol, lo: sp.Expr, hi: sp.Expr) -> sp.Symbol:
    if lo != -sp.oo and lo >= 0:
        return sp.Dummy(y.name, positive=True)
    if hi != sp.oo and hi <= 0:
        return sp.Dummy(y.name, negative=True)
    return sp.Dummy(y.name, real=True)


def _tidy_on(expr: sp.Expr, y: sp.Symbol, lo: sp.Expr, hi: sp.Expr, timeout) -> sp.Expr:
    if expr == 0 or expr.has(sp.Integral):
        return expr
    twin = _twin(y, lo, hi)
    try:
        with time_limit(min(timeout or 10.0, 10.0), "simplifying the density"):
            out = sp.simplify(expr.xreplace({y: twin}))
    except (SymjacTimeoutError, NotImplementedError, TypeError, ValueError):
        return expr
    return out.xreplace({twin: y})


def _merge(pieces: list[LinePiece], y: sp.Symbol) -> list[LinePiece]:
    out: list[LinePiece] = []
    for p in pieces:
        if out and out[-1].high == p.low and _same(out[-1].expr, p.expr, y, _test_point(p.low, p.high)):
            prev = out.pop()
            p = LinePiece(prev.expr, prev.low, p.high, prev.closed and p.closed)
        out.append(p)
    return out


def _same(a: sp.Expr, b: sp.Expr, y: sp.Symbol, at: sp.Expr) -> bool:
    """``a == b`` as functions: a quick numeric test first, then a time-bounded proof."""
    diff = a - b
    if diff == 0:
        return True
    try:
        probe = diff.xreplace({y: at})
        if not probe.free_symbols:
            value = complex(probe.evalf(20))
            scale = max(1.0, abs(complex(a.xreplace({y: at}).evalf(20))))
            if not abs(value) <= 1e-9 * scale:
                return False
    except (TypeError, ValueError):
        pass
    try:
        with time_limit(5.0, "comparing two pieces of the density"):
            return bool(diff.equals(0))
    except (SymjacTimeoutError, TypeError, ValueError):
        return False


def interval_condition(y: sp.Symbol, lo: sp.Expr, hi: sp.Expr) -> sp.Basic:
    """``lo < y < hi`` as a condition, leaving out infinite ends."""
    parts = []
    if lo != -sp.oo:
        parts.append(sp.Gt(y, lo, evaluate=False))
    if hi != sp.oo:
        parts.append(sp.Lt(y, hi, evaluate=False))
    return sp.And(*parts) if parts else sp.true


def max_min_pieces(expr: sp.Expr, y: sp.Symbol, *, timeout: float | None = None
                   ) -> list[LinePiece] | None:
    """An expression in ``y`` with ``Max``/``Min`` (as ``integrate`` returns over a polytope) as
    pieces on the intervals between the points where their arguments cross; None if it cannot.

    >>> import sympy as sp
    >>> y = sp.Symbol("y", real=True)
    >>> [(p.expr, p.low, p.high) for p in max_min_pieces(y*sp.Max(0, y) - sp.Max(0, y)**2/2, y)]
    [(y**2/2, 0, oo)]
    """
    atoms = list(expr.atoms(sp.Max, sp.Min))
    cuts = [r for pw in expr.atoms(sp.Piecewise) for c in pw.args
            for r in c.cond.atoms(sp.Rel) if y in r.free_symbols]
    if any(a.free_symbols - {y} for a in atoms) or any(r.free_symbols - {y} for r in cuts):
        return None  # where parameters choose the largest argument, the pieces depend on them
    try:
        ordered = _crossings(atoms, cuts, y)
    except (Unsupported, TypeError, ValueError):
        return None
    edges = [-sp.oo] + ordered + [sp.oo]
    pieces: list[LinePiece] = []
    for lo, hi in zip(edges[:-1], edges[1:]):
        try:
            value = _at_piece(expr, y, _test_point(lo, hi))
        except (TypeError, ValueError, Unsupported):
            return None
        value = _tidy_on(sp.expand(value), y, lo, hi, timeout)
        if value != 0:
            pieces.append(LinePiece(value, lo, hi))
    return _merge(pieces, y)


def _crossings(atoms: list[sp.Basic], cuts: list[sp.Basic], y: sp.Symbol) -> list[sp.Expr]:
    """Where the arguments of each Max/Min cross, and where a Piecewise condition changes."""
    points: set[sp.Expr] = set()
    for atom in atoms:
        args = atom.args
        for i, a in enumerate(args):
            for b in args[i + 1:]:
                for d in _unfold(a - b):  # where a nested Max/Min is any of its arguments
                    points.update(_real_roots(d, y))
    for r in cuts:
        points.update(_real_roots(r.lhs - r.rhs, y))
    return sorted(points, key=lambda p: float(p))


def _at_piece(expr: sp.Expr, y: sp.Symbol, at: sp.Expr) -> sp.Expr:
    """``expr`` on the piece of the line containing ``at``: each Max/Min as the argument that is
    largest (smallest) there, each Piecewise as the case that holds there."""
    def pick(e: sp.Basic) -> sp.Basic:
        values = [float(a.xreplace({y: at})) for a in e.args]
        best = max if isinstance(e, sp.Max) else min
        return e.args[values.index(best(values))]

    def case(e: sp.Piecewise) -> sp.Basic:
        for value, cond in e.args:
            holds = cond.xreplace({y: at})
            if holds not in (sp.true, sp.false):
                raise Unsupported(f"cannot decide {cond} at {y} = {at}")
            if holds is sp.true:
                return value
        return sp.S.Zero

    expr = expr.replace(lambda e: isinstance(e, sp.Piecewise), case)
    return expr.replace(lambda e: isinstance(e, (sp.Max, sp.Min)), pick)


def _unfold(e: sp.Expr, limit: int = 64) -> list[sp.Expr]:
    """``e`` with each ``Max``/``Min`` in it replaced by each of its arguments, in every way."""
    inner = next(iter(e.atoms(sp.Max, sp.Min)), None)
    if inner is None:
        return [e]
    out: list[sp.Expr] = []
    for arg in inner.args:
        out += _unfold(e.xreplace({inner: arg}), limit)
        if len(out) > limit:
            raise Unsupported("too many Max/Min combinations")
    return out


def pieces_to_piecewise(pieces: Sequence[LinePiece], y: sp.Symbol) -> tuple[sp.Expr, tuple[sp.Basic, ...]]:
    """The density as ``Piecewise(..., (0, True))`` and its support as conditions.

    >>> import sympy as sp
    >>> from symjac.densities.marginals import LinePiece, pieces_to_piecewise
    >>> y = sp.Symbol("y", real=True)
    >>> pieces_to_piecewise([LinePiece(y, 0, 1), LinePiece(2 - y, 1, 2)], y)
    (Piecewise((y, (y > 0) & (y < 1)), (2 - y, (y > 1) & (y < 2)), (0, True)), (y > 0, y < 2))
    """
    if not pieces:
        return sp.S.Zero, (sp.false,)
    pdf = sp.Piecewise(*[(p.expr, interval_condition(y, p.low, p.high)) for p in pieces], (0, True))
    runs: list[list[sp.Expr]] = []
    for p in pieces:
        if runs and runs[-1][1] == p.low:
            runs[-1][1] = p.high
        else:
            runs.append([p.low, p.high])
    if len(runs) == 1:
        cond = interval_condition(y, *runs[0])
        support = tuple(cond.args) if isinstance(cond, sp.And) else (cond,)
    else:
        support = (sp.Or(*[interval_condition(y, lo, hi) for lo, hi in runs]),)
    return pdf, tuple(c for c in support if c is not sp.true)
