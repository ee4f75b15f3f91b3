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
    no ``Min``/``Max`` of its variables.

    >>> import sympy as sp
    >>> from symjac import Transform
    >>> from symjac.densities.minmax import choice_cases
    >>> choice_cases(Transform.from_equations("y = Min(x1, x2)"), ())
    [(x1, (x1 < x2,)), (x2, (x2 < x1,))]
    """
    if len(t.outputs) != 1:
        return None
    inputs = set(t.inputs)
    atoms = sorted((a for a in t.exprs[0].atoms(sp.Min, sp.Max) if a.free_symbols & inputs),
                   key=sp.default_sort_key)
    if not atoms or any(arg.has(sp.Min, sp.Max) for a in atoms for arg in a.args):
        return None  # nested choices (a median): order_statistic gives those
    choices = [range(len(a.args)) for a in atoms]
    if _count(choices) > _MAX_CASES:
        raise DimensionError(
            f"the map {t} chooses among its arguments in more than {_MAX_CASES} ways; write the "
            "density of an order statistic with order_statistic(pdf, n=..., k=...) instead.",
            value=t)
    cases = []
    for picks in itertools.product(*choices):
        expr, conds = t.exprs[0], []
        for atom, i in zip(atoms, picks):
            chosen = atom.args[i]
            for j, other in enumerate(atom.args):
                if j != i:
                    conds.append(sp.Gt(chosen, other) if isinstance(atom, sp.Max)
                                 else sp.Lt(chosen, other))
        expr = expr.xreplace(dict(zip(atoms, (a.args[i] for a, i in zip(atoms, picks)))))
        conds = [c for c in conds if c is not sp.true]
        if sp.false in conds:
            continue
        tidy = tidy_conditions(list(conds) + list(support), t.inputs, up_to_null_sets=True,
                               timeout=timeout)
        if tidy == (sp.false,):
            continue  # this choice never happens on the support
        cases.append((expr, tuple(conds)))
    return cases


def _count(choices: list[range]) -> int:
    n = 1
    for c in choices:
        n *= len(c)
    return n
