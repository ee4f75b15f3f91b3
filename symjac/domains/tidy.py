"""The one condition simplifier: ``tidy_conditions``.

Inverse domains, density supports and regions all shorten their conditions here. The one real
difference between them is a switch: an inverse's domain must describe exactly the same set,
while a density's support may differ by a set of measure zero (``up_to_null_sets=True``: ``x != 0``
and boundaries are dropped, comparisons become strict, products are resolved by the signs of
their factors).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import sympy as sp

from .conditions import dedupe, evaluate_condition
from .probe import rng_for
from .signs import Sign, condition_function, sign_on
from .support import simplify_support
from ..errors import SymjacTimeoutError

__all__ = ["tidy_conditions"]

_ERRORS = (NotImplementedError, TypeError, ValueError, AttributeError, sp.PolynomialError,
           RecursionError, SymjacTimeoutError)


def tidy_conditions(conditions: Iterable[sp.Basic], variables: Sequence[sp.Symbol] | None = None,
                    *, up_to_null_sets: bool = False, timeout: float | None = 10.0
                    ) -> tuple[sp.Basic, ...]:
    """Shorter conditions for the same set: evaluated with assumptions, denominators of known
    sign cleared, one-variable conditions solved, implied ones dropped.

    Args:
        conditions: A conjunction, as a sequence of relations.
        variables: The variables the conditions are about (the others are parameters); all free
            symbols when None.
        up_to_null_sets: Allow the result to differ by a set of measure zero (supports of
            densities); otherwise it describes exactly the same set (domains of inverses).
        timeout: Seconds for the measure-zero path's sign analysis (then the conditions are
            kept as they are).

    Returns:
        The tidy conditions; ``(False,)`` when they cannot all hold (decided on the
        ``up_to_null_sets`` path).

    >>> import sympy as sp
    >>> from symjac.domains.tidy import tidy_conditions
    >>> x, y = sp.symbols("x y", real=True)
    >>> tidy_conditions([sp.Ne(x + y, 0), x + y > 0, y/(x + y) > 0, y/(x + y) < 1])
    (y > 0, x > 0)
    >>> tidy_conditions([x*y > 0, y*(1 - x) > 0, sp.Ne(x, 0)], [x, y], up_to_null_sets=True)
    (x > 0, x < 1, y > 0)
    >>> tidy_conditions([-sp.sqrt(x) > 0], [x], up_to_null_sets=True)
    (False,)
    """
    conditions = list(conditions)
    if up_to_null_sets:
        if variables is None:
            variables = sorted(set().union(*(c.free_symbols for c in conditions)) if conditions
                               else set(), key=str)
        result = simplify_support(conditions, variables, timeout=timeout)
        return (sp.false,) if result is None else result
    return _tidy_exactly(conditions)


def _tidy_exactly(conditions: Sequence[sp.Basic]) -> tuple[sp.Basic, ...]:
    flat: list[sp.Basic] = []
    for c in conditions:
        c = evaluate_condition(c)
        if c is sp.true:
            continue
        flat.extend(c.args if isinstance(c, sp.And) else (c,))
    flat = list(dedupe(flat))
    for _ in range(4 * len(flat) + 4):
        changed = False
        for i, c in enumerate(flat):
            others = flat[:i] + flat[i + 1:]
            new = evaluate_condition(_simplify_one(c, others))
            if new is sp.true:
                new_list = others
            else:
                new_list = flat[:i] + [new] + flat[i + 1:]
            if new != c:
                flat = list(dedupe(new_list))
                changed = True
                break
        if not changed:
            break
    flat = list(_split_signs(flat))
    flat = _plain_forms(flat)
    # drop conditions that follow from the rest
    i = 0
    while i < len(flat):
        others = flat[:i] + flat[i + 1:]
        if _implied(flat[i], others):  # with no others: true everywhere
            flat = others
            continue
        i += 1
    return tuple(_by_sign_pattern(flat))


def _by_sign_pattern(flat: list[sp.Basic]) -> list[sp.Basic]:
    """Strict products of one-variable factors resolved by their signs (``u*v/(v + 1) > 0,
    u/(v + 1) > 0`` is ``u > 0, v > 0``): the support simplifier's enumeration, exact for strict
    conditions; each ``Ne`` kept unless the result excludes it. Taken only when every condition
    left is in one variable and the two agree at seeded random points."""
    strict = [c for c in flat if isinstance(c, (sp.StrictGreaterThan, sp.StrictLessThan))]
    others = [c for c in flat if c not in strict]
    if not strict or any(not isinstance(c, sp.Ne) for c in others) or \
            all(len(c.free_symbols) < 2 for c in strict):
        return flat
    symbols = sorted(set().union(*(c.free_symbols for c in flat)), key=str)
    try:
        result = simplify_support(strict, symbols, timeout=5.0)
    except _ERRORS:
        return flat
    if result is None or any(len(c.free_symbols) > 1 for c in result):
        return flat
    kept = [c for c in others if not _implied(c, list(result))]
    new = list(result) + kept
    if not _agree_at_points(flat, new, symbols):
        return flat
    return new


def _agree_at_points(old: list[sp.Basic], new: list[sp.Basic], symbols: list[sp.Symbol]) -> bool:
    rng = rng_for("tidy by sign pattern")
    points = np.vstack([rng.normal(0, 3, (400, len(symbols))),
                        rng.integers(-3, 4, (100, len(symbols))).astype(float)])
    try:
        return bool(np.array_equal(condition_function(symbols, old)(points),
                                   condition_function(symbols, new)(points)))
    except _ERRORS:
        return False


def _normal_form(cond: sp.Rel) -> tuple[sp.Expr, type]:
    """``(expr, relation)`` with the condition read as ``expr REL 0``."""
    expr = cond.lhs - cond.rhs
    return expr, type(cond)


_FLIP = {sp.StrictGreaterThan: sp.StrictLessThan, sp.StrictLessThan: sp.StrictGreaterThan,
         sp.GreaterThan: sp.LessThan, sp.LessThan: sp.GreaterThan, sp.Eq: sp.Eq, sp.Ne: sp.Ne}


def _known_positive(expr: sp.Expr, others: Sequence[sp.Basic]) -> Sign:
    """The sign of ``expr`` where ``others`` hold: stated outright, from its parts, or found by
    ``sign_on``; ``UNKNOWN`` when none of these decides it."""
    for rule in (_stated_sign, _sign_of_parts, _root_outweighs, _sign_of_power, _sign_of_abs):
        sign = rule(expr, others)
        if sign is not None:
            return sign
    if expr.is_Add and len(expr.args) == 1:
        return _known_positive(expr.args[0], others)
    try:
        return sign_on(expr, tuple(others), samples=0)
    except SymjacTimeoutError:
        raise
    except Exception:  # noqa: BLE001 - a sign we cannot find is simply unknown
        return Sign.UNKNOWN


def _stated_sign(expr: sp.Expr, others: Sequence[sp.Basic]) -> Sign | None:
    """``expr > 0`` (or ``expr < 0``, or the same of ``-expr``) is one of the conditions."""
    for c in others:
        if isinstance(c, (sp.StrictGreaterThan, sp.StrictLessThan)):
            e, rel = _normal_form(c)
            if sp.expand(e - expr) == 0:
                return Sign.POSITIVE if rel is sp.StrictGreaterThan else Sign.NEGATIVE
            if sp.expand(e + expr) == 0:
                return Sign.NEGATIVE if rel is sp.StrictGreaterThan else Sign.POSITIVE
    return None


def _sign_of_parts(expr: sp.Expr, others: Sequence[sp.Basic]) -> Sign | None:
    """A product from its factors' signs; a sum whose terms all have one sign."""
    if not (expr.is_Add or expr.is_Mul):
        return None
    signs = [_known_positive(a, others) for a in expr.args]
    if expr.is_Mul:
        total = Sign.POSITIVE
        for s in signs:
            total = total.times(s)
        return total if total in (Sign.POSITIVE, Sign.NEGATIVE) else None
    for sign in (Sign.POSITIVE, Sign.NEGATIVE):
        if all(s is sign for s in signs):
            return sign
    return None


def _root_outweighs(expr: sp.Expr, others: Sequence[sp.Basic]) -> Sign | None:
    """``c*sqrt(A) + B > 0`` where ``c**2*A - B**2 > 0`` (the root outweighs B), and
    ``B - c*sqrt(A) > 0`` where ``B > 0`` and ``B**2 - c**2*A > 0`` (B outweighs the root)."""
    if not (expr.is_Add and len(expr.args) == 2):
        return None
    root = [a for a in expr.args if a.as_coeff_Mul()[1].is_Pow and
            a.as_coeff_Mul()[1].exp == sp.S.Half and a.as_coeff_Mul()[0].is_number]
    if not root:
        return None
    c, r = root[0].as_coeff_Mul()
    rest = expr - root[0]
    gap = sp.factor(sp.expand(c**2 * r.base - rest**2))
    if c.is_positive and _known_positive(gap, others) is Sign.POSITIVE:
        return Sign.POSITIVE
    if c.is_negative and _known_positive(-gap, others) is Sign.POSITIVE and \
            _known_positive(rest, others) is Sign.POSITIVE:
        return Sign.POSITIVE
    return None


def _sign_of_power(expr: sp.Expr, others: Sequence[sp.Basic]) -> Sign | None:
    """An even power of a non-zero base; an integer power of a base of known sign; a
    rational power of a positive base."""
    if not expr.is_Pow:
        return None
    if expr.exp.is_Integer and expr.exp.is_even and sp.Ne(expr.base, 0) in others:
        return Sign.POSITIVE
    if expr.exp.is_Integer:
        base = _known_positive(expr.base, others)
        if base in (Sign.POSITIVE, Sign.NEGATIVE):
            return base.power(int(expr.exp))
    if expr.exp.is_Rational and _known_positive(expr.base, others) is Sign.POSITIVE:
        return Sign.POSITIVE
    return None


def _sign_of_abs(expr: sp.Expr, others: Sequence[sp.Basic]) -> Sign | None:
    """``|a|`` is positive where ``a`` is non-zero."""
    if isinstance(expr, sp.Abs) and (sp.Ne(expr.args[0], 0) in others or
                                     _known_positive(expr.args[0], others)
                                     in (Sign.POSITIVE, Sign.NEGATIVE)):
        return Sign.POSITIVE
    return None


def _monotone(cond: sp.Rel) -> sp.Basic | None:
    """``exp(a) < c`` as ``a < log(c)``, ``sqrt(a) > c`` as ``a > c**2`` (a >= 0 is
    kept separately), ``log(a) < c`` as ``a < exp(c)``."""
    lhs, rhs, rel = cond.lhs, cond.rhs, type(cond)
    if lhs.is_number and not rhs.is_number:
        lhs, rhs, rel = rhs, lhs, _FLIP[rel]
    if not rhs.is_number or rel in (sp.Eq, sp.Ne) or not rhs.is_extended_real:
        return None
    if isinstance(lhs, sp.exp) and rhs.is_positive:
        return rel(lhs.args[0], sp.log(rhs))
    if isinstance(lhs, sp.log):
        return rel(lhs.args[0], sp.exp(rhs))
    if lhs.is_Pow and lhs.exp.is_Rational and not lhs.exp.is_Integer and lhs.exp.is_positive \
            and rhs.is_nonnegative:  # principal roots are increasing where real (base >= 0)
        return rel(lhs.base, rhs ** (1 / lhs.exp))
    return None


def _simplify_one(cond: sp.Basic, others: Sequence[sp.Basic]) -> sp.Basic:
    """One condition, shorter where ``others`` hold: read as ``expr REL 0``, its denominator and
    factors of known sign cleared, then solved (one linear variable) or written with positive
    terms on each side."""
    if not isinstance(cond, sp.Rel):
        return cond
    monotone = _monotone(cond)
    if monotone is not None:
        return monotone
    expr, rel = _clear_denominator(*_normal_form(cond), others)
    if expr.is_Mul and rel not in (sp.Eq, sp.Ne):
        expr, rel = _drop_signed_factors(expr, rel, others)
    expr = sp.expand(expr)
    solved = _solved_linear(expr, rel)
    return solved if solved is not None else _two_sided(expr, rel)


def _clear_denominator(expr: sp.Expr, rel: type, others: Sequence[sp.Basic]) -> tuple[sp.Expr, type]:
    """``N/D REL 0`` as ``N REL 0`` (D of known sign, the relation flipped where D < 0), or as
    ``D REL 0`` where N has a known sign (D = 0 is excluded either way)."""
    num, den = sp.fraction(sp.together(expr))
    if not den.free_symbols:
        return expr, rel
    sign = _known_positive(den, others)
    if sign is Sign.POSITIVE:
        return num, rel
    if sign is Sign.NEGATIVE:
        return num, _FLIP[rel]
    if rel not in (sp.Eq, sp.Ne) and num.free_symbols:
        top = _known_positive(num, others)
        if top in (Sign.POSITIVE, Sign.NEGATIVE):
            strict = {sp.GreaterThan: sp.StrictGreaterThan, sp.LessThan: sp.StrictLessThan}
            rel = strict.get(rel, rel)
            return den, (rel if top is Sign.POSITIVE else _FLIP[rel])
    return expr, rel


def _drop_signed_factors(expr: sp.Expr, rel: type, others: Sequence[sp.Basic]
                         ) -> tuple[sp.Expr, type]:
    """A product without its factors of known sign (each negative one flips the relation)."""
    kept = []
    for f in expr.args:
        sign = _known_positive(f, others) if f.free_symbols else Sign.UNKNOWN
        if sign is Sign.POSITIVE:
            continue
        if sign is Sign.NEGATIVE:
            rel = _FLIP[rel]
            continue
        kept.append(f)
    return (sp.Mul(*kept) if len(kept) < len(expr.args) else expr), rel


def _solved_linear(expr: sp.Expr, rel: type) -> sp.Basic | None:
    """``a*s + b REL 0`` with a number ``a`` solved for ``s``; None for anything else."""
    free = sorted(expr.free_symbols, key=str)
    if len(free) == 1 and expr.is_polynomial(free[0]) and sp.degree(expr, free[0]) == 1:
        (s,) = free
        a = expr.coeff(s, 1)
        b = expr - a * s
        if a.is_number and a != 0:
            if a.is_negative:
                rel = _FLIP[rel]
            return rel(s, sp.nsimplify(-b / a), evaluate=False)
    return None


def _two_sided(expr: sp.Expr, rel: type) -> sp.Basic:
    """``expr REL 0`` with a positive leading coefficient and, for a sum, positive terms on each
    side (``u - v > 0`` as ``u > v``)."""
    coeff, rest = expr.as_coeff_Mul()
    if coeff.is_negative:
        expr, rel = -expr, _FLIP[rel]
    elif coeff.is_Rational and coeff.is_positive and coeff != 1 and len(expr.free_symbols):
        expr = expr / coeff
    if expr.is_Add and rel not in (sp.Eq, sp.Ne):
        pos = [a for a in expr.args if not a.as_coeff_Mul()[0].is_negative]
        neg = [-a for a in expr.args if a.as_coeff_Mul()[0].is_negative]
        if pos and neg:
            return rel(sp.Add(*pos), sp.Add(*neg), evaluate=False)
    return rel(expr, 0, evaluate=False)


def _implied(cond: sp.Basic, others: Sequence[sp.Basic]) -> bool:
    if not isinstance(cond, sp.Rel):
        return False
    expr, rel = _normal_form(cond)
    sign = _known_positive(expr, others)
    if rel is sp.Ne:
        return sign in (Sign.POSITIVE, Sign.NEGATIVE)
    if rel is sp.StrictGreaterThan:
        return sign is Sign.POSITIVE
    if rel is sp.GreaterThan:
        return sign.is_nonnegative and sign is not Sign.UNKNOWN
    if rel is sp.StrictLessThan:
        return sign is Sign.NEGATIVE
    if rel is sp.LessThan:
        return sign.is_nonpositive and sign is not Sign.UNKNOWN
    return False


def _plain_forms(conds: list[sp.Basic]) -> list[sp.Basic]:
    """Linear conditions with whole coefficients (``-u/2 - v/2 < 0`` as ``u + v > 0``,
    ``v/2 < u/2`` as ``u > v``), ``sqrt(E) != 0`` as ``E != 0``, and ``E >= 0`` with
    ``E != 0`` as ``E > 0``."""
    out = []
    for c in conds:
        if isinstance(c, sp.Ne) and c.rhs == 0 and c.lhs.is_Pow and c.lhs.exp == sp.S.Half:
            c = sp.Ne(c.lhs.base, 0)  # sqrt(E) is zero exactly where E is
        elif isinstance(c, sp.Rel) and not isinstance(c, (sp.Eq, sp.Ne)):
            c = _linear_form(c)
        out.append(c)
    out = list(dedupe(out))
    for c in list(out):
        if isinstance(c, sp.Ne) and c.rhs == 0 and sp.GreaterThan(c.lhs, 0) in out:
            out = [sp.StrictGreaterThan(c.lhs, 0) if d == sp.GreaterThan(c.lhs, 0) else d
                   for d in out if d is not c]
    return out


def _linear_form(c: sp.Rel) -> sp.Basic:
    e = c.lhs - c.rhs
    free = sorted(e.free_symbols, key=str)
    try:
        poly = sp.Poly(e, *free, domain="QQ")
    except (sp.PolynomialError, sp.CoercionFailed, sp.GeneratorsNeeded):
        return c
    if poly.total_degree() != 1:
        return c
    _, prim = poly.primitive()  # a positive rational factor out
    rel = type(c)
    lead = prim.coeffs()[0]
    if lead < 0:
        prim, rel = -prim, _FLIP[rel]
    expr = prim.as_expr()
    const = expr.as_independent(*free)[0]
    terms = expr - const
    if const == 0 and terms.is_Add and len(terms.args) == 2:
        pos = [a for a in terms.args if not a.could_extract_minus_sign()]
        neg = [-a for a in terms.args if a.could_extract_minus_sign()]
        if len(pos) == 1 and len(neg) == 1:
            return rel(pos[0], neg[0], evaluate=False)
    new = rel(terms, -const, evaluate=False)
    return new if sp.count_ops(new) <= sp.count_ops(c) else c


def _divided(conds: Sequence[sp.Basic], s: sp.Symbol, negative: bool) -> list[sp.Basic] | None:
    """The conditions with the factor ``s`` divided out, for ``s < 0`` or ``s > 0``;
    None if no condition has ``s`` as a factor."""
    out, used = [], False
    for c in conds:
        if isinstance(c, sp.Rel) and not isinstance(c, (sp.Eq, sp.Ne)):
            e = sp.factor(c.lhs - c.rhs)
            if e.is_Mul and s in e.args:
                used = True
                rel = _FLIP[type(c)] if negative else type(c)
                out.append(rel(sp.Mul(*[a for a in e.args if a != s]), 0))
                continue
        out.append(c)
    return out if used else None


def _contradictory(conds: Sequence[sp.Basic]) -> bool:
    from .signs import variable_bounds

    if any(c is sp.false for c in conds):
        return True
    syms = set().union(*(c.free_symbols for c in conds)) if conds else set()
    for s, (lo, hi) in variable_bounds(conds, syms).items():
        if lo.is_number and hi.is_number and bool(lo >= hi):
            return True
    return False


def _split_signs(conds: list[sp.Basic]) -> list[sp.Basic]:
    """Where a variable is a factor of strict conditions (``u*v > 0``, ``u*(1 - v) > 0``)
    and its negative half is impossible, state ``u > 0`` and divide it out
    (giving ``0 < v < 1``)."""
    symbols = sorted(set().union(*(c.free_symbols for c in conds)) if conds else set(), key=str)
    for s in symbols:
        positive = _divided(conds, s, negative=False)
        if positive is None:
            continue
        strict = any(isinstance(c, (sp.StrictGreaterThan, sp.StrictLessThan)) and
                     sp.factor(c.lhs - c.rhs).is_Mul and s in sp.factor(c.lhs - c.rhs).args
                     for c in conds)
        negative = _divided(conds, s, negative=True)
        if not strict or negative is None:
            continue
        negative_tidy = [evaluate_condition(_simplify_one(c, [])) for c in negative]
        if not _contradictory(negative_tidy):
            continue
        simpler = [evaluate_condition(_simplify_one(c, [])) for c in positive] + [s > 0]
        if sp.false in simpler:
            continue
        return [c for c in dedupe(simpler) if c is not sp.true]
    return conds
