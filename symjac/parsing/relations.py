"""Equations between old and new variables as textbooks write them: a variable the map keeps
(``z = z``) and relations solved for the variables that stand alone (``y - x = u, x + y = v``).
"""

from __future__ import annotations

import re

import sympy as sp

from ..errors import DomainError, ParseError
from .reader import parse_expression
from ..timeouts import time_limit

__all__ = ["kept_variables", "solved_relations"]


def kept_variables(pairs: list[tuple[sp.Symbol, sp.Expr]]) -> list[tuple[sp.Symbol, sp.Expr]]:
    """A kept variable (``z = z`` in cylindrical coordinates) is an input; its output is ``z_``."""
    return [(sp.Symbol(s.name + "_", real=True), e)
            if isinstance(e, sp.Symbol) and e.name == s.name else (s, e) for s, e in pairs]


def solved_relations(text: str) -> list[tuple[sp.Symbol, sp.Expr]] | None:
    """Relations as textbooks write them (``y - x = u, x + y = v``; ``x = u, 5*y = v``), solved
    for the variables standing alone on one side; ``None`` if they are not of that kind."""
    sides = _sides(text)
    if not sides:
        return None
    alone = _alone(sides)
    if alone is None:
        return None
    plain = {n: sp.Symbol(n, real=True) for lr in sides for e in lr for n in (s.name for s in e.free_symbols)}
    eqs = [(a - b).xreplace({s: plain[s.name] for s in (a - b).free_symbols}) for a, b in sides]
    unknowns = [plain[a.name] for a in alone]
    with time_limit(10, "solving the relations for the new variables"):
        found = sp.solve(eqs, unknowns, dict=True)
    if len(found) != 1 or len(found[0]) != len(unknowns) or any(
            v.has(*unknowns) for v in found[0].values()):
        raise DomainError(f"the relations {text!r} do not give each of {', '.join(map(str, unknowns))} "
                          "as one formula in the other variables. Write them as 'u = formula'.",
                          value=text, hint="Write the new variables alone on the left.")
    return [(u, found[0][u]) for u in unknowns]


def _sides(text: str) -> list[tuple[sp.Expr, sp.Expr]] | None:
    """The two sides of each equation in ``text``, or None if it is not a list of equations."""
    sides = []
    for part in (p for p in re.split(r"[,;\n](?![^()]*\))", text) if p.strip()):
        if part.count("=") != 1 or re.search(r"[<>!]=|==", part):
            return None
        left, right = part.split("=")
        try:
            sides.append((parse_expression(left), parse_expression(right)))
        except ParseError:
            return None  # the error about the whole text says more
    return sides


def _alone(sides: list[tuple[sp.Expr, sp.Expr]]) -> list[sp.Symbol] | None:
    """The distinct variables standing alone on the right sides (else the left), or None."""
    for pick in (1, 0):
        alone = [side[pick] for side in sides]
        if all(isinstance(a, sp.Symbol) for a in alone) and len({a.name for a in alone}) == len(alone):
            return alone
    return None
