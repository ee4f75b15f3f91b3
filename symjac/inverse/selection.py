"""Selecting real branches: among candidate formulas, the ones that map back to the domain.

``select_branches`` keeps the candidates that give the input back at sample points and splits
the domain between them; a one-variable map is cut where it turns or has a pole, so each
piece of the domain gets the root that maps back to it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sympy as sp

from . import strategies
from ..domains.probe import evaluate_at, lambdify_numeric
from ..domains.signs import condition_function, sample_points, substitute_condition, variable_bounds
from ..errors import SymjacTimeoutError
from ..domains.conditions import real_conditions
from ..timeouts import time_limit
from ..transform import Transform

from .branches import Options, build_branch

__all__ = ["select_branches"]


def _coverage(t: Transform, candidates, pts: np.ndarray) -> list[np.ndarray]:
    n = len(pts)
    Y = evaluate_at(lambdify_numeric(t.inputs + t.parameters, t.exprs), pts, n).real
    YP = np.concatenate([Y, pts[:, len(t.inputs):]], axis=1)
    X = pts[:, :len(t.inputs)]
    out = []
    for c in candidates:
        values = [c.as_dict()[x] for x in t.inputs]
        try:
            Xc = evaluate_at(lambdify_numeric(t.outputs + t.parameters, values), YP, n, complex_=True)
        except (TypeError, ValueError, NameError, KeyError):
            out.append(np.zeros(n, bool))
            continue
        close = np.abs(Xc - X) <= 1e-6 * (1 + np.abs(X))
        out.append(np.all(close, axis=1))
    return out


def _real_root_variants(c: strategies.Candidate) -> list[strategies.Candidate]:
    """The candidate with odd roots of negative numbers taken real (``b**(1/3)``
    as ``-(-b)**(1/3)``, valid where b < 0): one variant per set of roots flipped
    (``u = x**3, v = y**3`` needs all four sign combinations), when it has such
    roots and no ``I``."""
    values = [v for _, v in c.solution]
    if any(v.has(sp.I) for v in values):
        return []

    def odd_root(p: sp.Expr) -> bool:
        return p.is_Pow and p.exp.is_Rational and not p.exp.is_Integer and p.exp.q % 2 == 1 \
            and p.base.free_symbols and not p.base.is_nonnegative

    roots = sorted({p for v in values for p in v.atoms(sp.Pow) if odd_root(p)}, key=sp.default_sort_key)
    out = []
    for k in range(1, 2 ** min(len(roots), 4)):
        chosen = [p for i, p in enumerate(roots) if k >> i & 1]
        flipped = {p: (-1) ** (p.exp.p % 2) * (-p.base) ** p.exp for p in chosen}
        real = [v.xreplace(flipped) for v in values]
        out.append(strategies.Candidate(tuple((x, r) for (x, _), r in zip(c.solution, real))))
    return out


def _partition(forms, cov: np.ndarray) -> list[sp.Basic]:
    """Sign conditions on the inputs (or their differences) that hold exactly on the
    sample points a formula gives back: ``x >= 0``, ``y < 0``, ``x < y``."""
    out: list[sp.Basic] = []
    for form, values in forms:
        if np.all(values[cov] >= 0) and np.any(values[~cov] < 0):
            out.append(form >= 0 if form.is_Symbol else sp.GreaterThan(*_sides(form)))
        elif np.all(values[cov] < 0) and np.any(values[~cov] >= 0):
            out.append(form < 0 if form.is_Symbol else sp.StrictLessThan(*_sides(form)))
    return out


def _sides(difference: sp.Expr) -> tuple[sp.Expr, sp.Expr]:
    a, b = difference.as_ordered_terms()
    return (a, -b) if b.could_extract_minus_sign() else (b, -a)


def select_branches(t: Transform, candidates, opts: Options, n: int = 60):
    if len(t.inputs) == 1:
        return _select_one_variable(t, candidates, opts)
    rng = np.random.default_rng(opts.seed)
    pts = sample_points(t.inputs + t.parameters, t.domain, n, rng=rng)
    kept = _covering_candidates(t, candidates, pts)
    X = pts[:, :len(t.inputs)]
    forms = [(x, X[:, j]) for j, x in enumerate(t.inputs)]
    forms += [(t.inputs[i] - t.inputs[j], X[:, i] - X[:, j])
              for i in range(len(t.inputs)) for j in range(i + 1, len(t.inputs))]
    branches = [build_branch(t, c, () if cov.all() else _where_it_maps_back(t, c, cov, forms, pts),
                             opts) for c, cov in kept]
    # the branch on the nonnegative side of each input first, as for u = x**2
    return sorted(branches, key=lambda b: tuple(int(sp.StrictLessThan(x, 0) in b.source)
                                                for x in t.inputs))


def _covering_candidates(t: Transform, candidates, pts: np.ndarray
                         ) -> list[tuple[strategies.Candidate, np.ndarray]]:
    """The candidates that map back to some sample points, each with those points (one per set
    of points); they must cover every point between them."""
    candidates = list(candidates) + [v for c in candidates for v in _real_root_variants(c)]
    # formulas written without I first: they win when two formulas cover the same points
    candidates.sort(key=lambda c: any(v.has(sp.I) for _, v in c.solution))
    covers = _coverage(t, candidates, pts)
    kept: list[tuple[strategies.Candidate, np.ndarray]] = []
    for c, cov in zip(candidates, covers):
        if cov.any() and not any(np.array_equal(cov, k[1]) for k in kept):
            kept.append((c, cov))
    covered = np.any([k[1] for k in kept], axis=0) if kept else np.zeros(len(pts), bool)
    if not covered.all():
        raise strategies.NotApplicable(
            f"the formulas found do not map back to {np.count_nonzero(~covered)} of {len(pts)} "
            "sample points of the domain")
    return kept


def _where_it_maps_back(t: Transform, c: strategies.Candidate, cov: np.ndarray, forms,
                        pts: np.ndarray) -> tuple[sp.Basic, ...]:
    """Conditions that select exactly the sample points where ``c`` gives the input back: the
    fewest sign conditions that do, or else the equations ``x = h(g(x))`` themselves."""
    extra = _partition(forms, cov)

    def selects(conds) -> bool:
        return bool(conds) and np.array_equal(
            condition_function(t.inputs + t.parameters, conds)(pts), cov)

    for cond in list(extra):  # keep only the conditions needed
        fewer = [d for d in extra if d is not cond]
        if selects(fewer):
            extra = fewer
    if selects(extra):
        return tuple(extra)
    # no simple description: say exactly which points this formula gives back
    back = dict(zip(t.outputs, t.exprs))
    return tuple(sp.Eq(x, v.xreplace(back), evaluate=False) for x, v in c.solution)


def _finite_points(expr: sp.Expr, x: sp.Symbol, lo: sp.Expr, hi: sp.Expr) -> list[sp.Expr] | None:
    try:
        found = sp.solveset(expr, x, sp.Interval.open(lo, hi))
    except (NotImplementedError, ValueError, TypeError):
        return None
    if found is sp.S.EmptySet:
        return []
    if not isinstance(found, sp.FiniteSet) or not all(p.is_number and p.is_real for p in found):
        return None
    return sorted(found, key=lambda p: float(p))


def _holds_at(conditions, x: sp.Symbol, value: sp.Expr) -> bool:
    if not value.is_finite:
        return False
    for c in conditions:
        if x in c.free_symbols:
            if c.free_symbols != {x}:
                return False
            if substitute_condition(c, {x: value}).simplify() is not sp.true:
                return False
    return True


def _realify(value: sp.Expr, y: sp.Symbol, *, negative: bool) -> sp.Expr | None:
    """``value`` without ``I`` where ``y`` has one sign (the real cube root of a
    negative number is ``-(-y)**(1/3)``), or None."""
    w = sp.Dummy("w", positive=True)
    what = "writing a root without complex numbers"
    try:
        with time_limit(5, what):
            real = sp.simplify(sp.expand_complex(value.xreplace({y: -w if negative else w})))
    except SymjacTimeoutError as exc:
        if exc.value != what:
            raise
        return None
    except (NotImplementedError, TypeError, ValueError):
        return None
    if real.has(sp.I):
        return None
    return real.xreplace({w: -y if negative else y})


@dataclass(frozen=True)
class _Pieces:
    """A one-variable map's domain cut where f' = 0 or f has a pole, so f is monotone on each."""

    domain: tuple[sp.Basic, ...]
    lo: sp.Expr
    hi: sp.Expr
    crit: list[sp.Expr]
    poles: list[sp.Expr]
    pieces: list[tuple[sp.Expr, sp.Expr]]
    rank: dict[int, int]  # pieces from 0 outwards: x >= 0 first, then x < 0 by |x|


def _select_one_variable(t: Transform, candidates, opts: Options):
    """One variable: split the domain where f' = 0 or f has a pole; on each piece
    keep the root that maps back to it; the image of the piece is the branch's domain."""
    cut = _monotone_pieces(t)
    chosen, candidates = _roots_per_piece(t, cut, candidates, opts)
    y = t.outputs[0]
    branches = []
    for k in sorted(chosen, key=lambda k: min(cut.rank[i] for i in chosen[k])):
        parts, images = _piece_conditions(t, cut, chosen[k])
        extra = () if all(p is sp.true for p in parts) or len(chosen[k]) == len(cut.pieces) else \
            ((sp.Or(*parts),) if len(parts) > 1 else tuple(parts[0].args if isinstance(parts[0], sp.And)
                                                            else (parts[0],)))
        image = None
        if images is not None:
            rel = sp.Union(*images).as_relational(y)
            flat = rel.args if isinstance(rel, sp.And) else (rel,)
            image = tuple(c for c in flat if c is not sp.true and not c.has(sp.oo, -sp.oo))
            if sp.false in image:
                image = None
        branches.append(build_branch(t, candidates[k], extra, opts, image=image))
    return branches


def _monotone_pieces(t: Transform) -> _Pieces:
    (x,), (f,) = t.inputs, t.exprs
    # where the map is real too: u = x**(1/3) is only defined (real) for x >= 0
    domain = tuple(dict.fromkeys(t.domain + real_conditions(f)))
    lo, hi = variable_bounds(domain, t.inputs + t.parameters)[x]
    num, den = sp.fraction(sp.together(f))
    crit = _finite_points(sp.diff(f, x), x, lo, hi)
    poles = _finite_points(den, x, lo, hi) if den.free_symbols & {x} else []
    if crit is None or poles is None:
        crit, poles = [], []
    ends = sorted(set(crit) | set(poles), key=lambda p: float(p))
    edges = [lo] + ends + [hi]
    pieces = [(a, b) for a, b in zip(edges, edges[1:])]
    order = sorted(range(len(pieces)), key=lambda i: (0, float(pieces[i][0])) if
                   pieces[i][0] >= 0 else (1, -float(pieces[i][1])))
    return _Pieces(domain, lo, hi, crit, poles, pieces, {i: k for k, i in enumerate(order)})


def _roots_per_piece(t: Transform, cut: _Pieces, candidates, opts: Options):
    """``{candidate: [pieces]}``: on each piece, the root formula that maps back to it."""
    (x,), (y,) = t.inputs, t.outputs
    rng = np.random.default_rng(opts.seed)
    chosen: dict[int, list[int]] = {}
    for i, (a, b) in enumerate(cut.pieces):
        conds = cut.domain + tuple(c for c in (x > a if a.is_finite else sp.true,
                                                 x < b if b.is_finite else sp.true) if c is not sp.true)
        try:
            pts = sample_points(t.inputs + t.parameters, conds, 40, rng=rng)
        except ValueError:
            continue
        covers = _coverage(t, candidates, pts)
        best = next((k for k, cov in enumerate(covers) if cov.all()), None)
        if best is None:
            raise strategies.NotApplicable(f"no root formula maps back to {a} < {x} < {b}")
        value = candidates[best].solution[0][1]
        if value.has(sp.I):  # a real root written with complex numbers: rewrite it on this piece
            f_pts = evaluate_at(lambdify_numeric(t.inputs + t.parameters, t.exprs), pts,
                                len(pts)).real[:, 0]
            real = _realify(value, y, negative=bool(np.all(f_pts < 0)))
            if real is not None:
                candidates = list(candidates) + [strategies.Candidate(((x, real),))]
                best = len(candidates) - 1
        chosen.setdefault(best, []).append(i)
    if not chosen:
        raise strategies.NotApplicable("no sample point of the domain was found")
    return chosen, candidates


def _piece_conditions(t: Transform, cut: _Pieces, members: list[int]):
    """The conditions on x of a branch's pieces, and their images (None when unknown)."""
    (x,), (f,) = t.inputs, t.exprs
    parts: list[sp.Basic] = []
    images: list[sp.Interval] | None = []
    for i in sorted(members, key=lambda i: cut.rank[i]):
        a, b = cut.pieces[i]
        left = _includes(cut, x, i, a, i - 1) if a.is_finite else False
        right = _includes(cut, x, i, b, i + 1) if b.is_finite else False
        conds = []
        if a.is_finite and a != cut.lo:
            conds.append(x >= a if left else x > a)
        if b.is_finite and b != cut.hi:
            conds.append(x <= b if right else x < b)
        parts.append(sp.And(*conds))
        image = _piece_image(f, x, (a, b), (left, right), _positive(cut.domain)) \
            if images is not None else None
        images = None if image is None else images + [image]
    return parts, images


def _includes(cut: _Pieces, x: sp.Symbol, i: int, end: sp.Expr, other: int) -> bool:
    """Whether piece ``i`` holds its end ``end`` (shared with piece ``other``)."""
    if end in cut.poles:
        return False
    if end in cut.crit:
        return cut.rank[i] < cut.rank[other]
    return _holds_at(cut.domain, x, end)


def _piece_image(f: sp.Expr, x: sp.Symbol, ends: tuple[sp.Expr, sp.Expr],
                 closed: tuple[bool, bool], positive: frozenset) -> sp.Interval | None:
    """The image of the monotone piece a < x < b (ends included as ``closed`` says): the interval
    between the one-sided limits of f at its ends; None when a limit is not a real number or
    infinity.  ``positive``: expressions positive on the whole piece."""
    (a, b), (left, right) = ends, closed
    fa, fb = _end_value(f, x, a, "+", positive), _end_value(f, x, b, "-", positive)
    if fa is None or fb is None:
        return None
    low, high, lo_open, hi_open = (fa, fb, not left, not right) if fb >= fa else \
        (fb, fa, not right, not left)
    return sp.Interval(low, high, lo_open or not low.is_finite, hi_open or not high.is_finite)


# functions continuous wherever they are finite and real on the real line (no jumps)
_CONTINUOUS = (sp.exp, sp.log, sp.sin, sp.cos, sp.tan, sp.sinh, sp.cosh, sp.tanh, sp.asin, sp.acos,
               sp.atan, sp.asinh, sp.acosh, sp.atanh, sp.Abs, sp.erf, sp.erfc)


def _positive(domain: tuple[sp.Basic, ...]) -> frozenset:
    """The expressions that the conditions ``g > 0`` (or ``0 < g``) of a domain make positive."""
    out = set()
    for c in domain:
        if isinstance(c, sp.StrictGreaterThan) and c.rhs == 0:
            out.add(c.lhs)
        elif isinstance(c, sp.StrictLessThan) and c.lhs == 0:
            out.add(c.rhs)
    return frozenset(out)


def _end_value(f: sp.Expr, x: sp.Symbol, end: sp.Expr, direction: str,
               positive: frozenset = frozenset()) -> sp.Expr | None:
    """The one-sided limit of f at the end of a piece of its domain, or None when it is not an
    extended real number.  f is evaluated at the end directly when every step of the evaluation
    is a continuous operation on real values (so the value is the limit), or the logarithm or a
    negative power of an expression in ``positive`` (positive on the piece) that tends to 0;
    ``limit`` otherwise."""
    value = _continuous_value(f, x, sp.sympify(end), positive)
    if value is None:
        try:
            value = sp.limit(f, x, end, direction)
        except (NotImplementedError, ValueError, TypeError):
            return None
    if not (value.is_number and value.is_extended_real):
        return None
    return value


def _continuous_value(e: sp.Expr, x: sp.Symbol, end: sp.Expr, positive: frozenset = frozenset()
                      ) -> sp.Expr | None:
    """``e`` at ``x = end`` step by step, or None as soon as a step is not continuous there: a
    value that is not an extended real number (nan, zoo, a complex number, AccumBounds), an
    indeterminate form (``oo - oo`` and ``0*oo`` come out nan; ``0**0``, ``oo**0`` are refused),
    or a function that can jump."""
    if e == x:
        return end
    if not e.free_symbols & {x}:
        value = e
    else:
        if not (e.is_Add or e.is_Mul or e.is_Pow or isinstance(e, _CONTINUOUS)):
            return None
        args = [_continuous_value(a, x, end, positive) for a in e.args]
        if any(a is None for a in args):
            return None
        if e.is_Pow and args[1].is_zero and (args[0].is_zero or args[0].is_infinite):
            return None
        value = _to_zero_from_above(e, args, positive)
        value = e.func(*args) if value is None else value
    if value.has(sp.nan, sp.zoo, sp.AccumBounds) or value.is_extended_real is not True:
        return None
    return value


def _to_zero_from_above(e: sp.Expr, args: list, positive: frozenset) -> sp.Expr | None:
    """``log(g) -> -oo`` and ``g**(-r) -> oo`` when g tends to 0 and is positive on the piece."""
    if isinstance(e, sp.log) and args[0].is_zero and e.args[0] in positive:
        return -sp.oo
    if e.is_Pow and args[0].is_zero and e.base in positive and args[1].is_extended_negative:
        return sp.oo
    return None
