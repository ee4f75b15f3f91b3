"""Conditions for inverse branches: where a formula is real, and tidy domains.

``real_conditions(expr)`` lists what must hold for a formula to be real and
defined (``u >= 0`` for ``sqrt(u)``, ``u > 0`` for ``log(u)``).
``tidy_conditions`` turns the conditions an inverse branch inherits into short
ones: it clears denominators whose sign is known, solves one-variable
conditions, and drops conditions that the others already imply.
"""

from __future__ import annotations

from collections.abc import Sequence

import sympy as sp

from .signs import Sign, sign_on, substitute_condition
from ..errors import SymjacTimeoutError

__all__ = ["real_conditions", "tidy_conditions", "evaluate_condition"]


def real_conditions(expr: sp.Expr) -> tuple[sp.Basic, ...]:
    """Conditions under which ``expr`` is real and defined (principal branches).

    >>> import sympy as sp
    >>> from symjac.domains.conditions import real_conditions
    >>> u, v = sp.symbols("u v", real=True)
    >>> real_conditions(sp.sqrt(u) + sp.log(v))
    (u >= 0, v > 0)
    """
    out: list[sp.Basic] = []
    for node in sp.preorder_traversal(expr):
        if isinstance(node, sp.Pow) and node.base.free_symbols:
            exp = node.exp
            if exp.is_Integer:
                if exp.is_negative:
                    out.append(sp.Ne(node.base, 0))
            elif exp.is_number:
                out.append(node.base > 0 if exp.is_negative else node.base >= 0)
        elif isinstance(node, sp.log) and node.args[0].free_symbols:
            out.append(node.args[0] > 0)
        elif isinstance(node, (sp.asin, sp.acos)) and node.args[0].free_symbols:
            out.extend([node.args[0] >= -1, node.args[0] <= 1])
    return _dedupe(c for c in out if c is not sp.true)


def evaluate_condition(cond: sp.Basic) -> sp.Basic:
    """``cond`` re-evaluated with its symbols' assumptions (True/False when decided)."""
    try:
        if isinstance(cond, sp.Rel):
            return type(cond)(cond.lhs, cond.rhs)
        if isinstance(cond, (sp.And, sp.Or, sp.Not)):
            return cond.func(*[evaluate_condition(a) for a in cond.args])
    except TypeError:  # comparisons SymPy cannot decide stay as they are
        return cond
    return cond


def _dedupe(conds) -> tuple[sp.Basic, ...]:
    seen: list[sp.Basic] = []
    for c in conds:
        if c not in seen:
            seen.append(c)
    return tuple(seen)


def _normal_form(cond: sp.Rel) -> tuple[sp.Expr, type]:
    """``(expr, relation)`` with the condition read as ``expr REL 0``."""
    expr = cond.lhs - cond.rhs
    return expr, type(cond)


_FLIP = {sp.StrictGreaterThan: sp.StrictLessThan, sp.StrictLessThan: sp.StrictGreaterThan,
         sp.GreaterThan: sp.LessThan, sp.LessThan: sp.GreaterThan, sp.Eq: sp.Eq, sp.Ne: sp.Ne}


def _known_positive(expr: sp.Expr, others: Sequence[sp.Basic]) -> Sign:
    for c in others:
        if isinstance(c, sp.Rel) and not isinstance(c, (sp.Eq, sp.Ne)):
            e, rel = _normal_form(c)
            if rel in (sp.StrictGreaterThan,) and sp.expand(e - expr) == 0:
                return Sign.POSITIVE
            if rel in (sp.StrictLessThan,) and sp.expand(e + expr) == 0:
                return Sign.POSITIVE
            if rel in (sp.StrictLessThan,) and sp.expand(e - expr) == 0:
                return Sign.NEGATIVE
            if rel in (sp.StrictGreaterThan,) and sp.expand(e + expr) == 0:
                return Sign.NEGATIVE
    if expr.is_Add or expr.is_Mul:
        signs = [_known_positive(a, others) for a in expr.args]
        if expr.is_Mul:
            total = Sign.POSITIVE
            for s in signs:
                total = total.times(s)
            if total in (Sign.POSITIVE, Sign.NEGATIVE):
                return total
        elif all(s is Sign.POSITIVE for s in signs):
            return Sign.POSITIVE
        elif all(s is Sign.NEGATIVE for s in signs):
            return Sign.NEGATIVE
    if expr.is_Add and len(expr.args) == 2:
        # c*sqrt(A) + B > 0 where c**2*A - B**2 > 0 (the root outweighs B), and
        # B - c*sqrt(A) > 0 where B > 0 and B**2 - c**2*A > 0 (B outweighs the root)
        root = [a for a in expr.args if a.as_coeff_Mul()[1].is_Pow and
                a.as_coeff_Mul()[1].exp == sp.S.Half and a.as_coeff_Mul()[0].is_number]
        if root:
            c, r = root[0].as_coeff_Mul()
            rest = expr - root[0]
            gap = sp.factor(sp.expand(c**2 * r.base - rest**2))
            if c.is_positive and _known_positive(gap, others) is Sign.POSITIVE:
                return Sign.POSITIVE
            if c.is_negative and _known_positive(-gap, others) is Sign.POSITIVE and \
                    _known_positive(rest, others) is Sign.POSITIVE:
                return Sign.POSITIVE
    if expr.is_Pow and expr.exp.is_Integer and expr.exp.is_even and sp.Ne(expr.base, 0) in others:
        return Sign.POSITIVE
    if expr.is_Pow and expr.exp.is_Integer:
        base = _known_positive(expr.base, others)
        if base in (Sign.POSITIVE, Sign.NEGATIVE):
            return base.power(int(expr.exp))
    if expr.is_Pow and expr.exp.is_Rational and _known_positive(expr.base, others) is Sign.POSITIVE:
        return Sign.POSITIVE
    if isinstance(expr, sp.Abs) and (sp.Ne(expr.args[0], 0) in others or
                                     _known_positive(expr.args[0], others)
                                     in (Sign.POSITIVE, Sign.NEGATIVE)):
        return Sign.POSITIVE
    if expr.is_Add and len(expr.args) == 1:
        return _known_positive(expr.args[0], others)
    try:
        sign = sign_on(expr, tuple(others), samples=0)
    except SymjacTimeoutError:
        raise
    except Exception:  # noqa: BLE001 - a sign we cannot find is simply unknown
        return Sign.UNKNOWN
    return sign


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
    if not isinstance(cond, sp.Rel):
        return cond
    monotone = _monotone(cond)
    if monotone is not None:
        return monotone
    expr, rel = _normal_form(cond)
    num, den = sp.fraction(sp.together(expr))
    if den.free_symbols:
        sign = _known_positive(den, others)
        if sign is Sign.POSITIVE:
            expr = num
        elif sign is Sign.NEGATIVE:
            expr, rel = num, _FLIP[rel]
        elif rel not in (sp.Eq, sp.Ne) and num.free_symbols:
            # a numerator of known sign: N/D > 0 is D > 0 (D = 0 is excluded either way)
            top = _known_positive(num, others)
            if top in (Sign.POSITIVE, Sign.NEGATIVE):
                strict = {sp.GreaterThan: sp.StrictGreaterThan, sp.LessThan: sp.StrictLessThan}
                rel = strict.get(rel, rel)
                expr, rel = den, (rel if top is Sign.POSITIVE else _FLIP[rel])
    if expr.is_Mul and rel not in (sp.Eq, sp.Ne):  # drop factors of known sign
        kept = []
        for f in expr.args:
            sign = _known_positive(f, others) if f.free_symbols else Sign.UNKNOWN
            if sign is Sign.POSITIVE:
                continue
            if sign is Sign.NEGATIVE:
                rel = _FLIP[rel]
                continue
            kept.append(f)
        if len(kept) < len(expr.args):
            expr = sp.Mul(*kept)
    expr = sp.expand(expr)
    free = sorted(expr.free_symbols, key=str)
    if len(free) == 1 and expr.is_polynomial(free[0]) and sp.degree(expr, free[0]) == 1:
        (s,) = free
        a = expr.coeff(s, 1)
        b = expr - a * s
        if a.is_number and a != 0:
            if a.is_negative:
                rel = _FLIP[rel]
            return rel(s, sp.nsimplify(-b / a), evaluate=False)
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


def tidy_conditions(conditions: Sequence[sp.Basic]) -> tuple[sp.Basic, ...]:
    """Shorter equivalent conditions: evaluated with assumptions, denominators of
    known sign cleared, linear one-variable conditions solved, implied ones dropped.

    >>> import sympy as sp
    >>> from symjac.domains.conditions import tidy_conditions
    >>> x, y = sp.symbols("x y", real=True)
    >>> tidy_conditions([sp.Ne(x + y, 0), x + y > 0, y/(x + y) > 0, y/(x + y) < 1])
    (y > 0, x > 0)
    """
    flat: list[sp.Basic] = []
    for c in conditions:
        c = evaluate_condition(c)
        if c is sp.true:
            continue
        flat.extend(c.args if isinstance(c, sp.And) else (c,))
    flat = list(_dedupe(flat))
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
                flat = list(_dedupe(new_list))
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
    return tuple(flat)


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
    out = list(_dedupe(out))
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
        return [c for c in _dedupe(simpler) if c is not sp.true]
    return conds


def substitute_conditions(conditions: Sequence[sp.Basic], mapping: dict) -> tuple[sp.Basic, ...]:
    """Conditions with ``mapping`` applied and re-evaluated (True ones dropped)."""
    out = []
    for c in conditions:
        new = evaluate_condition(substitute_condition(c, mapping))
        if new is sp.false:
            out.append(substitute_condition(c, mapping))
        elif new is not sp.true:
            out.append(new)
    return tuple(out)
