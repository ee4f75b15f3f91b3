"""The sign assumptions that conditions state: ``r > 0`` makes the symbol ``r`` positive.

``symbols_from_conditions`` gives real symbols with those assumptions, so that SymPy can use
them; conditions it cannot express as an assumption stay in the domain.
"""

from __future__ import annotations

from collections.abc import Iterable

import sympy as sp

from ..errors import DomainError

__all__ = ["symbols_from_conditions"]


def symbols_from_conditions(names: Iterable[str], conditions: Iterable[sp.Basic]
                            ) -> dict[str, sp.Symbol]:
    """Real symbols for ``names`` with the sign assumptions the conditions state.

    ``r > 0`` makes ``r`` positive, ``x >= 0`` nonnegative, ``y < 0`` negative;
    other conditions add nothing (they stay in the domain).

    >>> from symjac.parsing import parse_conditions, symbols_from_conditions
    >>> s = symbols_from_conditions(["r", "t"], parse_conditions("r > 0, -1 < t"))
    >>> s["r"].is_positive, s["t"].is_positive
    (True, None)
    """
    conditions = tuple(conditions)
    facts: dict[str, dict[str, bool]] = {name: {"real": True} for name in names}
    for cond in conditions:
        if not isinstance(cond, sp.Rel) or isinstance(cond, (sp.Eq, sp.Ne)):
            continue
        for var, bound, upper, strict in _bound_of(cond):
            if var.name in facts and bound.is_number and bound.is_extended_real:
                _note_sign(facts[var.name], bound, upper, strict)
    return {name: sp.Symbol(name, **_assumptions(name, fact, conditions))
            for name, fact in facts.items()}


def _note_sign(fact: dict[str, bool], bound: sp.Expr, upper: bool, strict: bool) -> None:
    """What ``var > bound`` (``upper`` False) or ``var < bound`` says of the sign of ``var``."""
    if not upper and (bound > 0 or (bound == 0 and strict)):
        fact["positive"] = True
    elif not upper and bound == 0:
        fact.setdefault("nonnegative", True)
    elif upper and (bound < 0 or (bound == 0 and strict)):
        fact["negative"] = True
    elif upper and bound == 0:
        fact.setdefault("nonpositive", True)


def _assumptions(name: str, fact: dict[str, bool], conditions: tuple[sp.Basic, ...]) -> dict[str, bool]:
    """The sign facts as SymPy assumptions, or a DomainError when they contradict each other."""
    above = fact.get("positive") or fact.get("nonnegative")
    below = fact.get("negative") or fact.get("nonpositive")
    if fact.get("nonnegative") and fact.get("nonpositive"):
        return {"real": True, "zero": True}
    if above and below:
        mentioned = ", ".join(str(c) for c in conditions if name in {v.name for v in c.free_symbols})
        raise DomainError(f"the conditions on {name} contradict each other ({mentioned}); "
                          "the domain is empty.", value=name)
    fact = dict(fact)
    if fact.get("positive"):
        fact.pop("nonnegative", None)
    if fact.get("negative"):
        fact.pop("nonpositive", None)
    return fact


def _bound_of(cond: sp.Rel) -> list[tuple[sp.Symbol, sp.Expr, bool, bool]]:
    """``(symbol, bound, is_upper_bound, strict)`` for ``symbol OP number`` conditions."""
    strict = isinstance(cond, (sp.StrictLessThan, sp.StrictGreaterThan))
    lower_is_lhs = isinstance(cond, (sp.StrictLessThan, sp.LessThan))  # lhs < rhs
    small, large = (cond.lhs, cond.rhs) if lower_is_lhs else (cond.rhs, cond.lhs)
    out = []
    if isinstance(large, sp.Symbol) and small.is_number:
        out.append((large, small, False, strict))
    if isinstance(small, sp.Symbol) and large.is_number:
        out.append((small, large, True, strict))
    return out
