"""Iterated bounds from inequalities: the elimination behind ``Region``.

``derive_bounds(variables, conditions)`` turns inequalities into iterated
bounds, innermost first, when it can: each variable's conditions are solved
for it (linear with a coefficient of known sign, quadratic, monotone with one
root, or an interval of one variable from exactly verified roots), and
eliminating it leaves ``lower <= upper`` for each pair (Fourier–Motzkin).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np
import sympy as sp

from ..domains.signs import Sign, sign_on, variable_bounds
from ..errors import SymjacTimeoutError
from ..timeouts import DEFAULT_TIMEOUT, time_limit

__all__ = ["derive_bounds", "Bound", "EMPTY"]

Bound = tuple[sp.Symbol, sp.Expr, sp.Expr]
EMPTY = "the region is empty (or has zero volume)"


def derive_bounds(variables: Sequence[sp.Symbol], conditions: Sequence[sp.Basic], *,
                  timeout: float | None = DEFAULT_TIMEOUT) -> tuple[tuple[Bound, ...] | None, str]:
    """Iterated bounds (innermost first) equivalent to ``conditions``, or ``(None, reason)``.

    Tries every order of the variables: each variable's conditions must solve
    to lower/upper bounds in the remaining ones (linear with a sign-definite
    coefficient, monotone with one root, or an interval in one variable);
    eliminating it leaves ``lower <= upper`` for each pair (Fourier–Motzkin).
    Results are remembered (the work is pure), except when time ran out.

    >>> import sympy as sp
    >>> from symjac.regions.bounds import derive_bounds
    >>> x, y = sp.symbols("x y", real=True)
    >>> derive_bounds((x, y), [0 <= x, x <= y, y <= 1])
    (((x, 0, y), (y, 0, 1)), '')
    """
    key = (tuple(variables), tuple(conditions))
    if key in _CACHE:
        return _CACHE[key]
    result = _derive_bounds(tuple(variables), conditions, timeout)
    if result[1] != _TOO_LONG:
        if len(_CACHE) > 512:
            _CACHE.clear()
        _CACHE[key] = result
    return result


_CACHE: dict = {}
_TOO_LONG = "finding iterated bounds took too long"


def _derive_bounds(variables: tuple[sp.Symbol, ...], conditions: Sequence[sp.Basic],
                   timeout: float | None) -> tuple[tuple[Bound, ...] | None, str]:
    ineqs = []
    for c in _flatten(conditions):
        if c is sp.true:
            continue
        if isinstance(c, (sp.Eq,)):
            return None, f"the condition {c} is an equation (a set of zero volume)"
        if isinstance(c, sp.Ne):
            continue  # removing a lower-dimensional set does not change an integral
        if not isinstance(c, sp.Rel):
            return None, f"the condition {c} is not a single inequality"
        ineqs.append(c)
    try:
        with time_limit(timeout, "finding iterated bounds for the region"):
            leq = [e for c in ineqs for e in _unroot(_as_nonpositive(c, ineqs))]
            ineqs = ineqs + _single_variable_ranges(variables, leq, ineqs)
            reason = "no order of the variables gives bounds in closed form"
            for order in _orders(variables, leq):
                try:
                    return _eliminate(order, leq, ineqs), ""
                except _NoBounds as exc:
                    reason = str(exc)
                    if reason == EMPTY:
                        return None, EMPTY
            return None, reason
    except SymjacTimeoutError:
        return None, _TOO_LONG


class _NoBounds(Exception):
    pass


def _single_variable_ranges(variables: tuple[sp.Symbol, ...], leq: list[sp.Expr],
                            context: list[sp.Basic]) -> list[sp.Basic]:
    """``lo <= v <= hi`` for each variable whose own conditions make one interval.

    They follow from the conditions, and knowing them lets an inner bound use
    them: in ``0 <= theta <= pi/4`` the coefficient ``cos(theta)`` of ``r`` in
    ``r*cos(theta) <= 1`` is positive, so ``r <= 1/cos(theta)``.
    """
    known: list[sp.Basic] = []
    names = set(variables)
    for v in variables:
        own = [e for e in leq if e.free_symbols & names == {v}]
        if not own:
            continue
        try:
            lo, hi = _interval_of(v, own, context)
        except _NoBounds:
            continue
        if lo.is_finite:
            known.append(sp.LessThan(lo, v))
        if hi.is_finite:
            known.append(sp.LessThan(v, hi))
    return known


def _orders(variables: tuple[sp.Symbol, ...], leq: list[sp.Expr]):
    """Orders to try, innermost first; variables in fewer conditions go outside first."""
    def weight(v: sp.Symbol) -> int:
        return -sum(1 for e in leq if v in e.free_symbols and len(e.free_symbols & set(variables)) > 1)

    base = tuple(sorted(variables, key=weight))
    yield base
    for perm in itertools.permutations(variables):
        if perm != base:
            yield perm


def _as_nonpositive(c: sp.Rel, context: Sequence[sp.Basic]) -> sp.Expr:
    """An expression ``e`` with ``c`` equivalent to ``e <= 0`` (strictness ignored)."""
    if isinstance(c, (sp.StrictLessThan, sp.LessThan)):
        e = c.lhs - c.rhs
    else:
        e = c.rhs - c.lhs
    # c itself must not decide the signs of its own factors (theta - 2*pi < 0 would
    # prove theta - 2*pi negative and turn the condition into -1 <= 0)
    return _drop_positive_factors(e, [d for d in context if d is not c])


def _drop_positive_factors(e: sp.Expr, context: Sequence[sp.Basic]) -> sp.Expr:
    e = sp.together(e)
    num, den = sp.fraction(e)
    factored = sp.factor_terms(num) if len(num.free_symbols) > 0 else num
    try:
        factored = sp.factor(factored)
    except (sp.PolynomialError, NotImplementedError):
        pass
    kept = sp.S.One
    for f in sp.Mul.make_args(factored) + tuple(sp.Mul.make_args(1 / den) if den != 1 else ()):
        if f.is_number:
            if f.is_negative:
                kept = -kept
            elif not f.is_positive:
                kept = kept * f
            continue
        s = sign_on(f, context)
        if s is Sign.POSITIVE or (s is Sign.NONNEGATIVE and (_is_even_root(f) or _analytic(f))):
            continue  # an even root, or an analytic factor (sin(theta) on [0, pi]), is zero only on a null set
        if s is Sign.NEGATIVE:
            kept = -kept
            continue
        kept = kept * f
    return sp.expand(kept) if kept.is_polynomial() else kept


_KINKS = (sp.Abs, sp.Max, sp.Min, sp.Piecewise, sp.Heaviside, sp.sign, sp.floor, sp.ceiling)


def _analytic(f: sp.Expr) -> bool:
    """True for an elementary expression without kinks or jumps and not identically zero:
    such a function vanishes only on a set of zero volume."""
    return not f.has(*_KINKS) and f.free_symbols != set() and not f.is_zero


def _eliminate(order: tuple[sp.Symbol, ...], leq: list[sp.Expr], context: list[sp.Basic]
               ) -> tuple[Bound, ...]:
    if not order:
        return ()
    v, rest = order[0], order[1:]
    outer = set(rest)
    mine = [e for e in leq if v in e.free_symbols]
    others = [e for e in leq if v not in e.free_symbols]
    lowers: list[sp.Expr] = []
    uppers: list[sp.Expr] = []
    single = [e for e in mine if not (e.free_symbols & outer)]
    multi = [e for e in mine if e.free_symbols & outer]
    if not single:
        lowers, uppers, _ = _sign_bounds(v)
    else:
        lo, hi = _interval_of(v, single, context)
        if lo is not sp.S.NegativeInfinity:
            lowers.append(lo)
        if hi is not sp.S.Infinity:
            uppers.append(hi)
    new = list(others)
    for e in multi:
        lo_, hi_, extra = _solve_bound(v, e, context)
        lowers += lo_
        uppers += hi_
        new += [x for x in extra if not sign_on(x, context).is_nonpositive]
    lowers = _tidy(lowers, context, keep_largest=True)
    uppers = _tidy(uppers, context, keep_largest=False)
    new += _gaps(lowers, uppers, outer, context)
    lower = sp.Max(*lowers) if lowers else -sp.oo
    upper = sp.Min(*uppers) if uppers else sp.oo
    return ((v, lower, upper),) + _eliminate(rest, new, context)


def _gaps(lowers: list[sp.Expr], uppers: list[sp.Expr], outer: set, context: list[sp.Basic]
          ) -> list[sp.Expr]:
    """What ``lower <= upper`` asks of the outer variables, as ``gap <= 0`` conditions; an empty
    range raises."""
    new = []
    for lo in lowers:
        for hi in uppers:
            if (lo + hi) == 0 and _is_root_multiple(hi):
                continue  # -k*sqrt(g) <= k*sqrt(g) (k > 0) wherever the root is real
            if not (lo.free_symbols & outer or hi.free_symbols & outer):
                if (lo - hi).is_number and (lo - hi) >= 0:
                    raise _NoBounds(EMPTY)
                continue
            gap = _drop_positive_factors(lo - hi, context)
            if gap.is_number:
                if gap >= 0:
                    raise _NoBounds(EMPTY)
                continue
            if not sign_on(gap, context).is_nonpositive:
                new.append(gap)
    return new


def _interval_of(v: sp.Symbol, exprs: list[sp.Expr], context: list[sp.Basic]
                 ) -> tuple[sp.Expr, sp.Expr]:
    """The interval where all ``e <= 0`` hold, for expressions in ``v`` (and parameters) only."""
    lowers, uppers, hard = _sign_bounds(v)
    for e in exprs:
        try:
            lo_, hi_, extra = _solve_bound(v, e, context)
            if any(not sign_on(x, context).is_nonpositive for x in extra):
                raise _NoBounds("conditions remain")
            lowers += lo_
            uppers += hi_
        except _NoBounds:
            hard.append(e)
    lowers = _tidy(lowers, context, keep_largest=True)
    uppers = _tidy(uppers, context, keep_largest=False)
    lo = sp.Max(*lowers) if lowers else -sp.oo
    hi = sp.Min(*uppers) if uppers else sp.oo
    if not hard:
        return lo, hi
    if (lo.free_symbols | hi.free_symbols) - {v} or any(e.free_symbols - {v} for e in hard):
        raise _NoBounds(f"the conditions on {v} are not solved by an interval")
    plain = sp.Dummy(v.name, real=True)
    solution = _interval_by_roots(v, hard, lo, hi)
    if solution is not None:
        return solution
    solution = sp.Interval(lo, hi)
    for e in hard:
        try:
            part = sp.solve_univariate_inequality(e.xreplace({v: plain}) <= 0, plain,
                                                  relational=False, domain=sp.Interval(lo, hi))
        except (NotImplementedError, ValueError, TypeError):
            raise _NoBounds(f"cannot solve {e} <= 0 for {v}") from None
        solution = solution.intersect(part)
    if isinstance(solution, sp.Union):  # isolated points do not change an integral
        parts = [a for a in solution.args if not isinstance(a, sp.FiniteSet)]
        solution = parts[0] if len(parts) == 1 else solution
    if solution is sp.S.EmptySet or isinstance(solution, sp.FiniteSet):
        raise _NoBounds(EMPTY)
    if not isinstance(solution, sp.Interval):
        raise _NoBounds(f"the values of {v} form {solution}, not one interval")
    _confirm(v, hard, solution, lo, hi)
    return solution.inf, solution.sup


_ROOTS: dict[tuple[sp.Expr, sp.Symbol, float], sp.Expr | None] = {}  # bounds ask twice


def _exact_root(e: sp.Expr, v: sp.Symbol, root: float) -> sp.Expr | None:
    """The numeric ``root`` of ``e`` as an exact number (a multiple of pi, an algebraic number,
    or a root from ``solve``) that makes ``e`` exactly zero, or None."""
    key = (e, v, round(root, 10))
    if key not in _ROOTS:
        if len(_ROOTS) > 256:
            _ROOTS.clear()
        _ROOTS[key] = _find_exact_root(e, v, root)
    return _ROOTS[key]


def _find_exact_root(e: sp.Expr, v: sp.Symbol, root: float) -> sp.Expr | None:
    exact = sp.nsimplify(root, [sp.pi], tolerance=1e-11)
    if sp.simplify(e.xreplace({v: exact})) == 0:
        return exact
    return _solved_root(e, v, root)


def _solved_root(e: sp.Expr, v: sp.Symbol, root: float) -> sp.Expr | None:
    """The exact root of ``e`` (from ``solve``) at the numeric ``root``, or None. The forms of
    ``e`` are tried in turn, and a solution is simplified only when its number is the root."""
    for form in (e, e.rewrite(sp.cos), e.rewrite(sp.sin)):
        try:
            solutions = sp.solve(form, v, check=False)  # each is checked below, exactly
        except (NotImplementedError, ValueError, TypeError):
            continue
        for r in solutions:
            z = complex(sp.N(r))
            if abs(z.imag) >= 1e-12 or abs(z.real - root) >= 1e-9:
                continue
            r = sp.simplify(r.rewrite(sp.acos))
            if sp.simplify(e.xreplace({v: r})) == 0:
                return sp.re(r) if r.has(sp.I) else r
    return None


def _confirm(v: sp.Symbol, exprs: list[sp.Expr], solution: sp.Interval, lo: sp.Expr, hi: sp.Expr
             ) -> None:
    """Refuse an interval from SymPy's inequality solver that numbers contradict (it has
    returned the whole range for sec(t) <= 5/3 on [0, pi/2))."""
    if not (lo.is_number and hi.is_number and lo.is_finite and hi.is_finite):
        return
    funcs = [sp.lambdify([v], e, modules="numpy") for e in exprs]
    a, b = float(lo), float(hi)
    inf, sup = float(solution.inf), float(solution.sup)
    for t in np.linspace(a, b, 203)[1:-1]:
        if min(abs(t - inf), abs(t - sup)) < 1e-6 * (1 + abs(b - a)):
            continue
        with np.errstate(all="ignore"):
            holds = all(float(f(t)) <= 1e-12 for f in funcs)
        if holds != (inf < t < sup):
            raise _NoBounds(f"SymPy's solution {solution} for {v} disagrees with numbers at {v} = {t:.6g}")


def _interval_by_roots(v: sp.Symbol, exprs: list[sp.Expr], lo: sp.Expr, hi: sp.Expr
                       ) -> tuple[sp.Expr, sp.Expr] | None:
    """Where all ``e <= 0`` on a finite ``[lo, hi]``, from the roots of each ``e``.

    Roots are located numerically, recognised as exact numbers (multiples of pi
    and algebraic numbers) and accepted only when substituting them gives
    exactly zero; otherwise ``None`` (and the caller solves symbolically).
    """
    if not (lo.is_number and hi.is_number and lo.is_finite and hi.is_finite):
        return None
    grid = np.linspace(float(lo), float(hi), 2001)
    points = {lo, hi}
    funcs = [sp.lambdify([v], e, modules="numpy") for e in exprs]
    for e, f in zip(exprs, funcs):
        roots = _exact_roots_on_grid(e, v, f, grid)
        if roots is None:
            return None
        points.update(roots)
    kept = _where_all_nonpositive(sorted(points, key=float), funcs)
    if not kept:
        raise _NoBounds(EMPTY)
    if len(kept) > 1:
        raise _NoBounds(f"the values of {v} form {len(kept)} separate intervals, not one")
    return kept[0]


def _exact_roots_on_grid(e: sp.Expr, v: sp.Symbol, f, grid: np.ndarray) -> list[sp.Expr] | None:
    """The roots of ``e`` between the ends of ``grid``, each located where ``e`` changes sign on
    the grid and recognised as an exact number; None when ``e`` is not finite on the grid or a
    root has no exact form."""
    from scipy.optimize import brentq

    with np.errstate(all="ignore"):
        ys = np.broadcast_to(np.asarray(f(grid), dtype=float), grid.shape)
    if not np.all(np.isfinite(ys)):
        return None
    out = []
    for i in np.nonzero(np.sign(ys[:-1]) * np.sign(ys[1:]) <= 0)[0]:
        root = grid[i] if ys[i] == 0 else grid[i + 1] if ys[i + 1] == 0 else \
            brentq(lambda t: float(f(t)), grid[i], grid[i + 1], xtol=1e-14)
        exact = _exact_root(e, v, root)
        if exact is None:
            return None
        out.append(exact)
    return out


def _where_all_nonpositive(ordered: list[sp.Expr], funcs) -> list[tuple[sp.Expr, sp.Expr]]:
    """The intervals between consecutive points on which every function is <= 0 (tested at the
    midpoint), neighbours merged."""
    kept: list[tuple[sp.Expr, sp.Expr]] = []
    for p, q in zip(ordered, ordered[1:]):
        if float(q) - float(p) < 1e-12:
            continue
        mid = (float(p) + float(q)) / 2
        with np.errstate(all="ignore"):
            inside = all(float(f(mid)) <= 0 for f in funcs)
        if inside and kept and kept[-1][1] == p:
            kept[-1] = (kept[-1][0], q)
        elif inside:
            kept.append((p, q))
    return kept


def _solve_bound(v: sp.Symbol, e: sp.Expr, context: list[sp.Basic]
                 ) -> tuple[list[sp.Expr], list[sp.Expr], list[sp.Expr]]:
    """Solve ``e <= 0`` for ``v``: ``(lower bounds, upper bounds, conditions on the rest)``.

    Handles ``e`` linear in ``v`` with a coefficient of known sign, quadratic
    with a positive leading coefficient (``v`` between the roots, when the
    discriminant is >= 0), and monotone in ``v`` with a single root.
    """
    poly = None
    try:
        poly = sp.Poly(e, v)
    except sp.PolynomialError:
        pass
    if poly is not None and poly.degree() == 1:
        a, b = poly.all_coeffs()
        s = sign_on(a, context)
        if s is Sign.POSITIVE:
            return [], [sp.simplify(-b / a)], []
        if s is Sign.NEGATIVE:
            return [sp.simplify(-b / a)], [], []
        raise _NoBounds(f"the sign of {a} (the coefficient of {v}) is not decided")
    if poly is not None and poly.degree() == 2:
        a, b, c = poly.all_coeffs()
        if sign_on(a, context) is Sign.POSITIVE:
            disc = sp.factor(b**2 - 4*a*c)
            root = sp.sqrt(disc)
            return [sp.simplify((-b - root) / (2*a))], [sp.simplify((-b + root) / (2*a))], [-disc]
    slope = sign_on(sp.diff(e, v), context)
    if slope not in (Sign.POSITIVE, Sign.NEGATIVE):
        raise _NoBounds(f"{e} <= 0 is not solved for {v} by bounds")
    roots = [r for r in sp.solve(e, v) if not r.has(sp.I)]
    # the slope's sign holds only where the context puts v: a root outside that range
    # (sin(t) = 0 at t = pi, for t in [0, pi/4]) is no bound
    lo_v, hi_v = variable_bounds(context, [v])[v]
    if any(r.is_number and (bool(r < lo_v) or bool(r > hi_v)) for r in roots):
        raise _NoBounds(f"{e} = 0 has a solution outside the range of {v}")
    if len(roots) != 1:
        raise _NoBounds(f"{e} = 0 has {len(roots)} solutions for {v}")
    return ([], roots, []) if slope is Sign.POSITIVE else (roots, [], [])


def _unroot(e: sp.Expr) -> list[sp.Expr]:
    """``c + k*sqrt(g) <= 0`` with ``k > 0`` is ``g <= (c/k)**2`` and ``c <= 0``."""
    if not e.is_Add:
        return [e]
    roots = [a for a in e.args if _is_even_root(a) or (a.is_Mul and any(
        _is_even_root(f) for f in a.args) and len([f for f in a.args if not f.is_number]) == 1)]
    if len(roots) != 1:
        return [e]
    rest = sp.S(roots[0]).as_coeff_Mul()[1]  # sqrt(3)*y has a numeric root: not one to remove
    if not (isinstance(rest, sp.Pow) and rest.exp == sp.S.Half and rest.base.free_symbols):
        return [e]
    k, root = roots[0].as_coeff_Mul()
    if not k.is_positive:
        return [e]
    c = e - roots[0]
    return [sp.expand(root.base - (c / k)**2), c]


def _is_root_multiple(f: sp.Expr) -> bool:
    """``k*sqrt(g)`` with a positive number ``k`` (``2*sqrt(36 - 9*x**2)/3``)."""
    k, rest = f.as_coeff_Mul()
    return bool(k.is_positive) and _is_even_root(rest)


def _is_even_root(f: sp.Expr) -> bool:
    return isinstance(f, sp.Pow) and f.exp.is_Rational and not f.exp.is_integer and f.exp.q % 2 == 0


def _sign_bounds(v: sp.Symbol) -> tuple[list[sp.Expr], list[sp.Expr], list[sp.Expr]]:
    """Bounds a symbol's own assumptions give (a positive ``r`` is at least 0)."""
    lowers = [sp.S.Zero] if v.is_nonnegative else []
    uppers = [sp.S.Zero] if v.is_nonpositive else []
    return lowers, uppers, []


def _tidy(candidates: list[sp.Expr], context: list[sp.Basic], *, keep_largest: bool) -> list[sp.Expr]:
    """Drop candidate bounds another candidate dominates on the region's conditions."""
    unique: list[sp.Expr] = []
    for c in candidates:
        if not any((c - u).equals(0) for u in unique):
            unique.append(c)
    kept = list(unique)
    for a in unique:
        for b in unique:
            if a is b or a not in kept or b not in kept:
                continue
            s = sign_on(a - b, context)
            if keep_largest and s.is_nonnegative:  # a >= b: b is not needed
                kept.remove(b)
            elif not keep_largest and s.is_nonpositive:
                kept.remove(b)
    return kept


def _flatten(conditions: Sequence[sp.Basic]) -> list[sp.Basic]:
    out: list[sp.Basic] = []
    for c in conditions:
        if isinstance(c, sp.And):
            out.extend(_flatten(c.args))
        elif c is not sp.true:
            out.append(c)
    return out
