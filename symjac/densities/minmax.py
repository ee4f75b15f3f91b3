"""Maps that choose among their arguments (``Min(X1, X2)``, ``Max(U1, U2, U3)``): one smooth map
per choice, each on the part of the support where that argument is the one chosen.

``Y = Min(X1, X2)`` is ``X1`` where ``X1 < X2`` and ``X2`` where ``X2 < X1`` (ties have
probability zero for a continuous ``X``); the density of ``Y`` is the sum of the densities of the
two smooth maps, each restricted to its part of the support.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import sympy as sp

from ..domains import tidy_conditions
from ..errors import DimensionError
from ..transform import Transform

__all__ = ["choice_cases"]

_MAX_CASES = 64


def choice_cases(t: Transform, support: Sequence[sp.Basic], *, timeout: float | None = 10.0
                 ) -> list[tuple[sp.Expr, tuple[sp.Basic, ...]]] | None:
    """``[(smooth expression, conditions)]`` for a map with ``Min``/``Max`` of its old variables,
    one per way of choosing the arguments that can happen on the support; None when the map has
    no ``Min``/``Max`` of its variables. Nested choices (the median of three,
    ``Max(Min(x1, x2), Min(Max(x1, x2), x3))``) are made from the inside out: each inner choice
    leaves a map with one level fewer, until no choice is left.

    >>> import sympy as sp
    >>> from symjac import Transform
    >>> from symjac.densities.minmax import choice_cases
    >>> choice_cases(Transform.from_equations("y = Min(x1, x2)"), ())
    [(x1, (x1 < x2,)), (x2, (x2 < x1,))]
    """
    if len(t.outputs) != 1 or not _choices_in(t.exprs[0], set(t.inputs)):
        return None
    cases: list[tuple[sp.Expr, tuple[sp.Basic, ...]]] = []
    todo: list[tuple[sp.Expr, tuple[sp.Basic, ...]]] = [(t.exprs[0], ())]
    while todo:
        expr, conds = todo.pop(0)
        atoms = _innermost(expr, set(t.inputs))
        if not atoms:
            cases.append((expr, conds))
            continue
        for picked, more in _picks(expr, atoms):
            new = _unique(conds + tuple(more))
            if sp.false in new or _opposed(new):
                continue
            tidy = tidy_conditions(list(new) + list(support), t.inputs, up_to_null_sets=True,
                                   timeout=timeout)
            if tidy == (sp.false,):
                continue  # this choice never happens on the support
            todo.append((picked, new))
        if len(cases) + len(todo) > _MAX_CASES:
            raise DimensionError(
                f"the map {t} chooses among its arguments in more than {_MAX_CASES} ways; write "
                "the density of an order statistic with order_statistic(pdf, n=..., k=...) "
                "instead.", value=t)
    return cases


def _side(c: sp.Basic) -> sp.Expr | None:
    """``e`` for a strict condition ``e > 0`` (``a > b``, ``b < a``), None for others."""
    if isinstance(c, sp.StrictGreaterThan):
        return sp.expand(c.lhs - c.rhs)
    if isinstance(c, sp.StrictLessThan):
        return sp.expand(c.rhs - c.lhs)
    return None


def _unique(conds: tuple[sp.Basic, ...]) -> tuple[sp.Basic, ...]:
    """The conditions without repeats (``x1 > x2`` and ``x2 < x1`` are one)."""
    seen: dict[object, sp.Basic] = {}
    for c in conds:
        seen.setdefault(_side(c) if _side(c) is not None else c, c)
    return tuple(seen.values())


def _opposed(conds: tuple[sp.Basic, ...]) -> bool:
    """Two strict conditions that cannot hold together: ``a > b`` and ``b > a``."""
    sides = {e for e in map(_side, conds) if e is not None}
    return any(-e in sides for e in sides)


def _choices_in(expr: sp.Expr, inputs: set) -> list[sp.Basic]:
    return sorted((a for a in expr.atoms(sp.Min, sp.Max) if a.free_symbols & inputs),
                  key=sp.default_sort_key)


def _innermost(expr: sp.Expr, inputs: set) -> list[sp.Basic]:
    """The choices of ``expr`` among its variables with no choice inside their arguments."""
    return [a for a in _choices_in(expr, inputs) if not any(arg.has(sp.Min, sp.Max)
                                                            for arg in a.args)]


def _picks(expr: sp.Expr, atoms: list[sp.Basic]):
    """Each way of choosing one argument of every atom: (the expression with the choices made,
    the conditions under which they are made: the chosen argument beats every other one)."""
    for picks in itertools.product(*(range(len(a.args)) for a in atoms)):
        conds = []
        for atom, i in zip(atoms, picks):
            chosen = atom.args[i]
            conds += [sp.Gt(chosen, other) if isinstance(atom, sp.Max) else sp.Lt(chosen, other)
                      for j, other in enumerate(atom.args) if j != i]
        picked = expr.xreplace({a: a.args[i] for a, i in zip(atoms, picks)})
        yield picked, [c for c in conds if c is not sp.true]


def _count(choices: list[range]) -> int:
    n = 1
    for c in choices:
        n *= len(c)
    return n
