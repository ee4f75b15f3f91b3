"""Absolute values, split by sign: the one place where ``|a|`` becomes ``a`` or ``-a``.

``abs_cases`` rewrites formulas without the absolute values of some variables, one case per sign
of each argument, with the sign as a condition (``|x|*y`` is ``x*y`` where ``x > 0`` and ``-x*y``
where ``x < 0``); ``unfold_abs_bound`` reads ``|e| <= b`` as ``-b <= e <= b``. Densities, inverse
branches and regions all use these, so they split the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import sympy as sp

from .signs import sign_on

__all__ = ["abs_cases", "unfold_abs_bound", "drop_known_abs"]


def abs_cases(exprs: Sequence[sp.Expr], variables: Iterable[sp.Symbol], *, limit: int = 3
              ) -> list[tuple[tuple[sp.Expr, ...], list[sp.Basic]]]:
    """``[(exprs without Abs, conditions)]``: one case per sign of each ``Abs`` argument that
    involves ``variables`` (at most ``limit`` of them, taken in SymPy's sort order; the rest are
    kept). Zero arguments are left out: they form a set of measure zero.

    >>> import sympy as sp
    >>> from symjac.domains.absolute import abs_cases
    >>> x, y = sp.symbols("x y", real=True)
    >>> abs_cases([sp.Abs(x)*y], [x])
    [((x*y,), [x > 0]), ((-x*y,), [x < 0])]
    """
    wanted = set(variables)
    atoms = sorted({a for e in exprs for a in e.atoms(sp.Abs) if a.free_symbols & wanted},
                   key=sp.default_sort_key)
    cases: list[tuple[tuple[sp.Expr, ...], list[sp.Basic]]] = [(tuple(exprs), [])]
    for atom in atoms[:limit]:
        arg = atom.args[0]
        cases = [(tuple(e.xreplace({atom: sign * arg}) for e in case), conds + [cond])
                 for case, conds in cases
                 for sign, cond in ((1, sp.Gt(arg, 0, evaluate=False)),
                                    (-1, sp.Lt(arg, 0, evaluate=False)))]
    return cases


def unfold_abs_bound(c: sp.Basic) -> list[sp.Basic]:
    """``|e| <= b`` as ``[-b <= e, e <= b]``; other conditions unchanged (as a one-item list).

    >>> import sympy as sp
    >>> from symjac.domains.absolute import unfold_abs_bound
    >>> x = sp.Symbol("x", real=True)
    >>> unfold_abs_bound(sp.Abs(x - 1) <= 2)
    [-2 <= x - 1, x - 1 <= 2]
    """
    if isinstance(c, (sp.LessThan, sp.StrictLessThan)) and isinstance(c.lhs, sp.Abs) \
            and not c.rhs.has(sp.Abs):
        e, b = c.lhs.args[0], c.rhs
    elif isinstance(c, (sp.GreaterThan, sp.StrictGreaterThan)) and isinstance(c.rhs, sp.Abs) \
            and not c.lhs.has(sp.Abs):
        e, b = c.rhs.args[0], c.lhs
    else:
        return [c]
    return [sp.Le(-b, e, evaluate=False), sp.Le(e, b, evaluate=False)]


def drop_known_abs(e: sp.Basic, conditions: Sequence[sp.Basic]) -> sp.Basic:
    """``Abs(a)`` replaced by ``a`` or ``-a`` wherever ``conditions`` prove the sign of ``a``;
    the absolute values whose sign is not decided stay.

    >>> import sympy as sp
    >>> from symjac.domains.absolute import drop_known_abs
    >>> r, p = sp.symbols("r p", real=True)
    >>> drop_known_abs(sp.Abs(r*sp.cos(p) + 2) + sp.Abs(p), [r > 0, r < 1])
    r*cos(p) + Abs(p) + 2
    """
    mapping = {}
    for a in e.atoms(sp.Abs):
        s = sign_on(a.args[0], conditions)
        if s.is_nonnegative:
            mapping[a] = a.args[0]
        elif s.is_nonpositive:
            mapping[a] = -a.args[0]
    return e.xreplace(mapping) if mapping else e
