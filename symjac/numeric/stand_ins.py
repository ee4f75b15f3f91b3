"""Stand-ins for undefined functions in numeric checks.

An integrand such as ``f(x + y)`` names a function without giving its formula,
so it has no numbers. A numeric check replaces each such function by a fixed,
smooth test function (the same one on both sides of a comparison, chosen by
the function's name) and says so in its notes: the evidence then shows that
the two integrals agree for that function, which a substitution error almost
never survives, but it does not prove the identity for every function.
"""

from __future__ import annotations

import zlib

import sympy as sp
from sympy.core.function import AppliedUndef

from ..derivation import plain

__all__ = ["replace_undefined"]


def _test_function(name: str, arity: int) -> sp.Lambda:
    """``(2 + s/(k+3)) exp(-(s - (k+1)/2)^2/4)`` with ``s = t1 + t2/2 + ...``: smooth, neither even
    nor periodic, decaying in every direction, different for different names and argument orders."""
    k = zlib.crc32(name.encode()) % 5
    ts = sp.symbols(f"t1:{arity + 1}", real=True) if arity > 1 else (sp.Symbol("t", real=True),)
    s = sp.Add(*[t / (i + 1) for i, t in enumerate(ts)])
    body = (2 + s / (k + 3)) * sp.exp(-(s - sp.Rational(k + 1, 2)) ** 2 / 4)
    return sp.Lambda(ts, body)


def replace_undefined(expr: sp.Expr) -> tuple[sp.Expr, tuple[str, ...]]:
    """``expr`` with every undefined function replaced by its test function, and the notes saying so.

    >>> import sympy as sp
    >>> from symjac.numeric.stand_ins import replace_undefined
    >>> x = sp.Symbol("x")
    >>> e, notes = replace_undefined(sp.Function("f")(x**2))
    >>> e.has(sp.Function("f")), notes[0].startswith("f has no formula")
    (False, True)
    """
    calls = sorted(expr.atoms(AppliedUndef), key=sp.default_sort_key)
    if not calls:
        return expr, ()
    notes, mapping = [], {}
    for func, arity in sorted({(c.func, len(c.args)) for c in calls}, key=lambda p: str(p[0])):
        stand_in = _test_function(func.__name__, arity)
        mapping.update({c: stand_in(*c.args) for c in calls if c.func == func and len(c.args) == arity})
        args = ", ".join(map(str, stand_in.variables))
        notes.append(f"{func.__name__} has no formula, so the numbers use {func.__name__}({args}) = "
                     f"{plain(stand_in.expr)}: they show agreement for that function, not for "
                     "every function")
    return expr.xreplace(mapping), tuple(notes)
