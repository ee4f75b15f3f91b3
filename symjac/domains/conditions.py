"""Conditions, the primitives every part of symjac shares: flatten, evaluate, substitute, and
where a formula is real.

``real_conditions`` lists what must hold for formulas to be real and defined (``u >= 0`` for
``sqrt(u)``, ``u > 0`` for ``log(u)``); inverses, densities and regions all ask it, so they
agree on where a formula makes sense. Simplifying conditions is ``symjac.domains.tidy``.
"""

from __future__ import annotations

from collections.abc import Iterable

import sympy as sp

from .signs import substitute_condition

__all__ = ["real_conditions", "evaluate_condition", "flatten_conditions", "dedupe",
           "substitute_conditions", "roots_compared", "about_variables"]


def real_conditions(exprs: sp.Expr | Iterable[sp.Expr], variables: Iterable[sp.Symbol] | None = None,
                    *, odd_roots_real: bool = False, nonzero: bool = True) -> tuple[sp.Basic, ...]:
    """Conditions under which ``exprs`` are real and defined.

    ``log(a)`` needs ``a > 0``, ``sqrt(a)`` needs ``a >= 0``, ``asin(a)`` needs ``-1 <= a <= 1``
    and, with ``nonzero``, ``1/a`` needs ``a != 0``. Only conditions on ``variables`` (all
    symbols when None) are listed, and none that the symbols' assumptions already decide.

    The one real difference between callers is a switch: SymPy's ``a**(1/3)`` is the principal
    root, complex for ``a < 0`` (``odd_roots_real=False``, the default, needs ``a >= 0``); maps
    that mean the real cube root pass ``odd_roots_real=True``. ``nonzero=False`` leaves out
    ``a != 0``, which only removes a set of measure zero (densities, regions).

    >>> import sympy as sp
    >>> from symjac.domains.conditions import real_conditions
    >>> u, v = sp.symbols("u v", real=True)
    >>> real_conditions(sp.sqrt(u) + sp.log(v))
    (u >= 0, v > 0)
    >>> real_conditions([u**sp.Rational(1, 3), 1/v], odd_roots_real=True, nonzero=False)
    ()
    """
    if isinstance(exprs, sp.Basic):
        exprs = (exprs,)
    wanted = None if variables is None else set(variables)

    def concerns(arg: sp.Expr) -> bool:
        free = arg.free_symbols
        return bool(free) if wanted is None else bool(free & wanted)

    out: list[sp.Basic] = []
    for expr in exprs:
        for node in sp.preorder_traversal(expr):
            if isinstance(node, sp.Pow) and concerns(node.base):
                out += _power_conditions(node, odd_roots_real=odd_roots_real, nonzero=nonzero)
            elif isinstance(node, sp.log) and concerns(node.args[0]):
                out.append(node.args[0] > 0)
            elif isinstance(node, (sp.asin, sp.acos)) and concerns(node.args[0]):
                out.extend([node.args[0] >= -1, node.args[0] <= 1])
    return dedupe(c for c in out if c is not sp.true)


def _power_conditions(node: sp.Pow, *, odd_roots_real: bool, nonzero: bool) -> list[sp.Basic]:
    """Where ``base**exp`` is real and defined: a nonzero base for a negative power, a
    nonnegative (positive, for a negative exponent) base for a root or any other power."""
    exp = node.exp
    odd_root = exp.is_Rational and odd_roots_real and exp.q % 2 == 1
    if exp.is_Integer or odd_root:
        return [sp.Ne(node.base, 0)] if exp.is_negative and nonzero else []
    if exp.is_number:
        return [node.base > 0 if exp.is_negative else node.base >= 0]
    return []


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


def dedupe(conds: Iterable[sp.Basic]) -> tuple[sp.Basic, ...]:
    """The conditions in order, each once."""
    seen: list[sp.Basic] = []
    for c in conds:
        if c not in seen:
            seen.append(c)
    return tuple(seen)


def flatten_conditions(conditions: Iterable[sp.Basic]) -> list[sp.Basic]:
    """The conjunction as a flat list, without ``True`` entries."""
    out: list[sp.Basic] = []
    for c in conditions:
        for part in (c.args if isinstance(c, sp.And) else (c,)):
            if part is not sp.true and part not in out:
                out.append(part)
    return out


def substitute_conditions(conditions: Iterable[sp.Basic], mapping: dict, *,
                          evaluate: bool = True) -> tuple[sp.Basic, ...]:
    """Conditions with ``mapping`` applied. With ``evaluate``, each is re-evaluated and the true
    ones dropped (a false one is kept as written, so the contradiction stays visible); without,
    comparisons stay exactly as substituted.
    """
    if not evaluate:
        return tuple(substitute_condition(c, mapping) for c in conditions)
    out = []
    for c in conditions:
        new = evaluate_condition(substitute_condition(c, mapping))
        if new is sp.false:
            out.append(substitute_condition(c, mapping))
        elif new is not sp.true:
            out.append(new)
    return tuple(out)


def _root(e: sp.Expr) -> bool:
    return e.is_Pow and e.exp.is_Rational and not e.exp.is_Integer and e.exp.is_positive


def roots_compared(cond: sp.Basic) -> tuple[sp.Basic, ...]:
    """Comparisons of principal roots as comparisons of their radicands: ``sqrt(a) <= sqrt(b)`` as
    ``a - b <= 0`` with ``a >= 0`` and ``b >= 0`` (roots of one order increase where they are real),
    and ``sqrt(a) >= 0`` as ``a >= 0`` (a root is nonnegative where it is real). Any other
    condition comes back unchanged.

    >>> import sympy as sp
    >>> from symjac.domains.conditions import roots_compared
    >>> u, v = sp.symbols("u v", real=True)
    >>> roots_compared(sp.sqrt(u + v) <= sp.sqrt(v)), roots_compared(sp.Le(0, sp.sqrt(u + v)))
    ((u <= 0, u + v >= 0, v >= 0), (u + v >= 0,))
    """
    if not isinstance(cond, sp.Rel) or isinstance(cond, (sp.Eq, sp.Ne)):
        return (cond,)
    a, b, rel = cond.lhs, cond.rhs, type(cond)
    if a.is_zero and _root(b) and rel is sp.LessThan:  # 0 <= sqrt(b)
        return (sp.Ge(b.base, 0),)
    if b.is_zero and _root(a) and rel is sp.GreaterThan:  # sqrt(a) >= 0
        return (sp.Ge(a.base, 0),)
    if not (_root(a) and _root(b) and a.exp == b.exp):
        return (cond,)
    return (rel(sp.expand(a.base - b.base), 0), sp.Ge(a.base, 0), sp.Ge(b.base, 0))


def about_variables(conds: Iterable[sp.Basic], variables: Iterable[sp.Symbol]) -> list[sp.Basic]:
    """The conditions that are about the variables (or constant): one on parameters alone
    (``-1 < rho < 1``) is what the caller states about the parameters, not a piece of a support
    or domain.

    >>> import sympy as sp
    >>> x, rho = sp.symbols("x rho")
    >>> about_variables([x > 0, sp.And(rho > -1, rho < 1)], [x])
    [x > 0]
    """
    wanted = set(variables)
    return [c for c in flatten_conditions(conds) if c.free_symbols & wanted or not c.free_symbols]
