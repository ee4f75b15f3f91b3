"""Whether a parametrisation is one-to-one, and a fundamental domain on which it is.

Polar coordinates typed as a textbook writes them, ``x = r*cos(theta), y = r*sin(theta)``
with no domain, cover every point infinitely often. ``fundamental_domain(t)`` recognises
the named charts (polar, cylindrical, spherical in either convention, with any names) and
gives their standard ranges; for other maps it finds periods and sign symmetries, restricts
them, and says whether the restricted map is known to be one-to-one.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import sympy as sp

from ..errors import SymjacError
from ..systems import system
from ..timeouts import time_limit
from ..derivation import Tex
from ..transform import Transform
from .inversions import invert

__all__ = ["Choice", "fundamental_domain", "recognise_system"]

#: The named charts recognised in maps typed as equations, with their labels.
_NAMED = (("polar", {}, "polar"), ("cylindrical", {}, "cylindrical"),
          ("spherical", {"convention": "physics"}, "spherical"),
          ("spherical", {"convention": "math"}, "spherical"))


@dataclass(frozen=True)
class Choice:
    """A fundamental domain chosen for a map that was given without one.

    Attributes:
        transform: The map restricted to the chosen domain.
        words: The sentence that states the choice (a derivation step): a template whose
            ``{name}`` stands for the formula of that name in ``parts``.
        recognised: The named system the map was recognised as, or ``None``.
        decided: True when the restricted map is known to be one-to-one.
        parts: The formulas in the sentence, by name.
    """

    transform: Transform
    words: str
    recognised: str | None
    decided: bool
    parts: tuple[tuple[str, object], ...] = ()


def recognise_system(t: Transform) -> tuple[str, Transform] | None:
    """The named chart that ``t`` is with its variables renamed, and ``t`` on that chart's
    standard domain; ``None`` if ``t`` is none of them.

    >>> from symjac import Transform
    >>> from symjac.inverse.injectivity import recognise_system
    >>> label, chart = recognise_system(Transform.from_equations("x = s*cos(a), y = s*sin(a)"))
    >>> label, chart.domain
    ('polar', (s > 0, 0 < a, a < 2*pi))
    """
    if t.parameters or t.domain:
        return None
    for name, options, label in _NAMED:
        chart = system(name, **options)
        if len(chart.inputs) != len(t.inputs) or len(chart.exprs) != len(t.exprs):
            continue
        for order in itertools.permutations(t.inputs):
            renaming = dict(zip(chart.inputs, order))
            if all(sp.expand(c.xreplace(renaming) - e) == 0 for c, e in zip(chart.exprs, t.exprs)):
                domain = [c.xreplace(renaming) for c in chart.domain]
                return label, _restricted(t, domain)
    return None


def fundamental_domain(t: Transform, *, timeout: float | None = 10) -> Choice | None:
    """A domain on which a parametrisation given without one is one-to-one.

    Returns ``None`` when ``t`` has a domain on its inputs already, or has no period or sign
    symmetry and inverts to a single branch (it is one-to-one as it stands).

    >>> from symjac import Transform
    >>> from symjac.inverse.injectivity import fundamental_domain
    >>> c = fundamental_domain(Transform.from_equations("x = u**2", inputs="u"))
    >>> c.transform.domain, c.decided
    ((u > 0,), True)
    """
    if not t.is_square or any(c.free_symbols & set(t.inputs) for c in t.domain):
        return None  # a domain on the inputs is the caller's choice
    found = recognise_system(t)
    if found is not None:
        label, chart = found
        return Choice(chart, f"The map is {label} coordinates, given without a domain; it is "
                             "one-to-one only on the standard ranges {ranges} (which cover all "
                             "points except a set of volume zero), so the integral is taken there.",
                      label.split(" ")[0], True, (("ranges", tuple(chart.domain)),))
    try:
        with time_limit(timeout, "looking for periods and symmetries of the map"):
            domain, words = _symmetry_ranges(t)
    except SymjacError:
        return Choice(t, "Whether the map is one-to-one could not be decided (looking for its "
                         "periods and symmetries took too long); give it a domain.", None, False)
    restricted = _restricted(t, list(t.domain) + domain) if domain else t
    decided = _one_branch(restricted, timeout)
    if not domain:
        if decided is not False:
            return None  # one branch (one-to-one), or no symmetry seen and no inverse found
        return Choice(t, "The map is not one-to-one (it has several inverse branches) and no "
                         "domain was given, so the integral would count some points several "
                         "times; give the map a domain on which it is one-to-one.", None, False)
    text = ("The map, given without a domain, is not one-to-one (" + "; ".join(w for w, _ in words)
            + "); the integral is taken over the fundamental domain {domain}")
    text += "." if decided else ", on which it could not be proved one-to-one."
    parts = tuple(p for _, ps in words for p in ps) + (("domain", tuple(domain)),)
    return Choice(restricted, text, None, bool(decided), parts)


def _symmetry_ranges(t: Transform) -> tuple[list[sp.Basic], list[tuple[str, tuple]]]:
    """Ranges that remove the periods and sign symmetries of ``t``'s inputs, and their reasons
    (each a sentence template with its formulas)."""
    def invariant(change: dict) -> bool:
        return all(sp.simplify(e.xreplace(change) - e) == 0 for e in t.exprs)

    periodic = [v for v in t.inputs if invariant({v: v + 2 * sp.pi})]
    domain: list[sp.Basic] = []
    words: list[tuple[str, tuple]] = []
    for k, w in enumerate(periodic):
        period = (f"it has period {{period{k}}} in {{w{k}}}", ((f"period{k}", 2 * sp.pi), (f"w{k}", w)))
        if invariant({w: -w}):  # sec, cos: one half-period from 0 to pi
            domain += [sp.Gt(w, 0), sp.Lt(w, sp.pi)]
            words.append(_same_point(period, k, w, -w))
        elif invariant({w: sp.pi - w}):  # sin: one half-period from -pi/2 to pi/2
            domain += [sp.Gt(w, -sp.pi / 2), sp.Lt(w, sp.pi / 2)]
            words.append(_same_point(period, k, w, sp.pi - w))
        else:
            domain += [sp.Gt(w, 0), sp.Lt(w, 2 * sp.pi)]
            words.append(period)
    for k, v in enumerate(t.inputs):
        if v in periodic:
            continue
        if invariant({v: -v}):
            domain.append(sp.Gt(v, 0))
            words.append((f"{{v{k}}} and {{m{k}}} give the same point", ((f"v{k}", v), (f"m{k}", -v))))
            continue
        for w in periodic:
            if invariant({v: -v, w: w + sp.pi}):
                domain.append(sp.Gt(v, 0))
                words.append((f"{{p{k}}} and {{q{k}}} give the same point",
                              ((f"p{k}", _point(v, w)), (f"q{k}", _point(-v, w + sp.pi)))))
                break
    return domain, words


def _point(*coordinates: sp.Expr) -> Tex:
    """A point such as ``(-r, t + pi)``, in parentheses in every printer."""
    from ..latex import latex_expr

    return Tex(r"\left(" + ", ".join(latex_expr(c) for c in coordinates) + r"\right)",
               "(" + ", ".join(sp.sstr(c) for c in coordinates) + ")")


def _same_point(period: tuple[str, tuple], k: int, w: sp.Symbol, other: sp.Expr) -> tuple[str, tuple]:
    """``period`` and the words that ``w`` and ``other`` give the same point."""
    text, parts = period
    return (text + f" and {{a{k}}}, {{b{k}}} give the same point",
            parts + ((f"a{k}", w), (f"b{k}", other)))


def _one_branch(t: Transform, timeout: float | None) -> bool | None:
    """True if ``t`` has exactly one inverse branch, False if several, None if unknown."""
    try:
        return len(invert(t, timeout=min(timeout or 10, 10))) == 1
    except SymjacError:
        return None


def _restricted(t: Transform, domain: list[sp.Basic]) -> Transform:
    """``t`` with ``domain``; its sign conditions become assumptions (``r > 0``: r positive)."""
    plain = {s: sp.Symbol(s.name, real=True) for s in t.inputs + t.parameters}
    conditions = ", ".join(sp.sstr(c.xreplace(plain)) for c in domain)
    return Transform.from_equations(list(t.equations()), inputs=[s.name for s in t.inputs],
                                    domain=conditions, name=t.name)
