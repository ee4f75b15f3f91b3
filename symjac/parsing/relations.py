"""Equations between old and new variables as textbooks write them: a variable the map keeps
(``z = z``), relations solved for the variables that stand alone (``y - x = u, x + y = v``), and
relations both ways (``u = x + y, y = u*v`` with the inputs ``x y``) solved for the new variables.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import sympy as sp

from ..errors import DimensionError, DomainError, ParseError
from .reader import parse_expression, parse_symbols
from ..timeouts import time_limit

__all__ = ["kept_variables", "solved_relations", "solved_both_ways", "order_of_appearance"]


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


def solved_both_ways(pairs, inputs, outputs, order_text: str):
    """Equations that relate old and new variables both ways (``u = x + y, y = u*v`` with
    ``inputs="x y"``), solved for the new ones: ``u = x + y, v = y/(x + y)``.

    Equations already of the form ``output = formula in the inputs`` come back unchanged.
    """
    lhs_names = [s.name for s, _ in pairs]
    in_names = [s.name for s in parse_symbols(inputs)] if inputs is not None else []
    # u = u + x is a slip, not a relation: a name in its own formula is left to the checks
    if any(s.name in {v.name for v in e.free_symbols} for s, e in pairs):
        return pairs
    clash = [n for i, n in enumerate(lhs_names) if n in in_names or
             any(n in {v.name for v in e.free_symbols} for j, (_, e) in enumerate(pairs) if j != i)]
    if not clash:
        return pairs
    if inputs is None:
        raise DimensionError(
            f"{' and '.join(map(repr, clash))} appear{'s' * (len(clash) == 1)} on a left side and "
            "on a right side (or among the inputs), so the "
            "equations relate the variables both ways. Say which are the old variables with "
            "inputs='x y' (on the command line --inputs 'x y'), and the equations are solved for "
            "the others.", value=lhs_names, expected="inputs=...")
    plain: dict[str, sp.Symbol] = {}
    for s, e in pairs:
        for sym in (s, *e.free_symbols):
            plain.setdefault(sym.name, sp.Symbol(sym.name, real=True))
    out_names = _new_names(pairs, plain, in_names, outputs, order_text)
    return _solve_for(pairs, plain, in_names, out_names)


def _new_names(pairs, plain: dict[str, sp.Symbol], in_names: list[str], outputs,
               order_text: str) -> list[str]:
    """The new variables of relations: as given, or every name that is not an input, in the order
    written; as many as there are equations."""
    if outputs is not None:
        out_names = [s.name for s in parse_symbols(outputs)]
    else:
        names = {s.name for s, _ in pairs} | {s.name for _, e in pairs for s in e.free_symbols}
        ordered = order_of_appearance({plain[n] for n in names},
                                       " ".join(s.name for s, _ in pairs) + " " + order_text)
        out_names = [s.name for s in ordered if s.name not in in_names]
    if len(out_names) != len(pairs):
        raise DimensionError(
            f"the {len(pairs)} equation{'s' * (len(pairs) != 1)} relate the inputs {', '.join(in_names)} to "
            f"{', '.join(out_names) or 'no other variables'}; there must be as many new variables "
            "as equations. Name the new variables with outputs='u v'.", value=out_names)
    return out_names


def _solve_for(pairs, plain: dict[str, sp.Symbol], in_names: list[str], out_names: list[str]):
    """The relations solved for the new variables: exactly one real solution, or a DomainError."""
    eqs = [plain[s.name] - e.xreplace({v: plain[v.name] for v in e.free_symbols})
           for s, e in pairs]
    unknowns = [plain[n] for n in out_names]
    with time_limit(10, "solving the equations for the new variables"):
        found = sp.solve(eqs, unknowns, dict=True)
    found = [f for f in found if len(f) == len(unknowns) and not any(v.has(sp.I) for v in f.values())]
    if len(found) != 1:
        what = "no formula" if not found else f"{len(found)} solutions"
        raise DomainError(
            f"solving {', '.join(f'{s} = {sp.sstr(e)}' for s, e in pairs)} for "
            f"{', '.join(out_names)} gives {what}. Write each new variable as a formula in "
            f"{', '.join(in_names)}, such as 'u = x + y, v = y/(x + y)'.", value=found)
    (sol,) = found
    return [(u, sp.simplify(sol[u])) for u in unknowns]


def order_of_appearance(symbols: Iterable[sp.Symbol], text: str) -> list[sp.Symbol]:
    """The symbols in the order their names first appear in ``text`` (absent ones last, by name)."""

    def position(s: sp.Symbol) -> tuple[int, str]:
        m = re.search(rf"(?<![\w]){re.escape(s.name)}(?![\w])", text)
        return (m.start() if m else len(text), s.name)

    return sorted(symbols, key=position)
