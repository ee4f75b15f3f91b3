"""Putting a density together from its branches: the contributions summed piece by piece of
the line, auxiliary variables integrated out, the support (the image of the old support when an
integral is left) and the family."""

from __future__ import annotations

import sympy as sp

from ..derivation import Derivation, Tex, density_name
from ..domains import assume_support, sign_on, support_intervals
from ..errors import SymjacTimeoutError
from ..timeouts import time_limit
from ..transform import Transform
from .branches import Branch, _tidy
from .families import Family
from .marginals import Unsupported, line_pieces, max_min_pieces, pieces_to_piecewise
from .recognition import recognise_family
from .source import SourceDensity

__all__ = ["assemble", "image_support", "family_of"]


def assemble(branches: list[Branch], keep: tuple[sp.Symbol, ...], drop: tuple[sp.Symbol, ...],
             steps: Derivation, timeout: float | None
             ) -> tuple[sp.Expr, tuple[sp.Basic, ...], bool, Derivation]:
    """The density from its branches: ``(pdf, support, closed form, steps)``, summed piece by
    piece of the line where it can be, the variables in ``drop`` integrated out."""
    cases = [(b.contribution, list(b.domain)) for b in branches]
    if len(keep) == 1 and len(drop) <= 1:
        found = _on_the_line(cases, keep[0], drop[0] if drop else None, len(branches), steps,
                             timeout)
        if found is not None:
            return found
    if drop:
        return _integrated_out(cases, keep, drop, steps, timeout)
    return _joined(cases, keep, steps, timeout)


def _on_the_line(cases, y: sp.Symbol, w: sp.Symbol | None, count: int, steps: Derivation,
                 timeout: float | None):
    try:
        pieces = line_pieces(cases, y, w, timeout=timeout)
    except Unsupported:
        return None
    pdf, support = pieces_to_piecewise(pieces, y)
    closed = all(p.closed for p in pieces)
    if w is not None:
        steps = steps.then(
            "Integrate {w} out over its range on each piece of the line"
            + ("" if closed else " (an integral is left for numeric evaluation)") + ":",
            [(_interval(y, p), p.expr) for p in pieces], w=w)
    elif count > 1:
        steps = steps.then("Add the branches where their domains overlap.")
    steps = steps.then("The density, 0 outside its support:", [(density_name((y,)), pdf)])
    return pdf, support, closed, steps


def _interval(y: sp.Symbol, piece: object) -> Tex:
    """The label of a piece of a density: ``low < y < high``."""
    from ..latex import latex_expr

    low, high = piece.low, piece.high  # type: ignore[attr-defined]
    return Tex(f"{latex_expr(low)} < {latex_expr(y)} < {latex_expr(high)}",
               f"{sp.sstr(low)} < {y} < {sp.sstr(high)}")


def _integrated_out(cases, keep: tuple[sp.Symbol, ...], drop: tuple[sp.Symbol, ...],
                    steps: Derivation, timeout: float | None):
    value = sp.Add(*[sp.Piecewise((e, sp.And(*c)), (0, True)) for e, c in cases])
    pieces = _integrate_all(value, keep[0], drop, timeout) if len(keep) == 1 else None
    if pieces:
        pdf, support = pieces_to_piecewise(pieces, keep[0])
        steps = steps.then(
            "Integrate {drop} out over the region where the density is positive; the "
            "result changes form where the bounds cross:",
            [(_interval(keep[0], p), p.expr) for p in pieces], drop=drop)
        steps = steps.then("The density, 0 outside its support:", [(density_name(keep), pdf)])
        return pdf, support, True, steps
    integral = sp.Integral(value, *[(w, -sp.oo, sp.oo) for w in drop])
    steps = steps.then("Integrate the auxiliary variables out (kept as an integral, "
                       "evaluated numerically):", [(density_name(keep), integral)])
    return integral, (), False, steps


def _joined(cases, keep: tuple[sp.Symbol, ...], steps: Derivation, timeout: float | None):
    try:
        with time_limit(min(timeout or 10.0, 10.0), "joining the branches"):
            cases = _merge_complementary(cases)
    except SymjacTimeoutError:
        pass
    if len({tuple(c) for _, c in cases}) == 1:
        support = tuple(cases[0][1])
        total = _tidy(sp.Add(*[e for e, _ in cases]), keep, support, timeout)
        pdf = sp.Piecewise((total, sp.And(*support)), (0, True))
    else:
        pdf = sp.piecewise_fold(sp.Add(*[sp.Piecewise((e, sp.And(*c)), (0, True)) for e, c in cases]))
        support = (sp.Or(*[sp.And(*c) for _, c in cases]),)
    steps = steps.then("The density, 0 outside its support:", [(density_name(keep), pdf)])
    return pdf, support, True, steps


def image_support(t: Transform, source: SourceDensity, y: sp.Symbol, timeout: float | None
                   ) -> tuple[sp.Basic, ...] | None:
    """The support of a one-variable density left as an integral: the image of the source's
    support under the map, known without the integral. When the support is a box and the map is
    monotone in each variable there, the image is the interval between the map's values at the
    box's corners; otherwise ``(Unknown,)`` is returned: never an unfounded "everywhere"."""
    g = t.exprs[0]
    box = support_intervals(source.support, t.inputs)
    if box is None:
        return None
    symbols = sorted(g.free_symbols | set().union(*(c.free_symbols for c in source.support)),
                     key=str)
    signed = assume_support(symbols, source.support)  # x1 > 0 known to the limits
    back = {v: k for k, v in signed.items()}
    g = g.xreplace(signed)
    try:
        with time_limit(min(timeout or 10.0, 10.0), "finding the support as an image"):
            low, high = g, g
            for x in t.inputs:
                slope = sign_on(sp.diff(g, x).xreplace(back), source.support, samples=0)
                lo, hi = box[x]
                x = signed.get(x, x)
                if slope.is_nonnegative:
                    low, high = sp.limit(low, x, lo, "+"), sp.limit(high, x, hi, "-")
                elif slope.is_nonpositive:
                    low, high = sp.limit(low, x, hi, "-"), sp.limit(high, x, lo, "+")
                else:
                    return None
    except (SymjacTimeoutError, NotImplementedError, ValueError, TypeError):
        return None
    low, high = low.xreplace(back), high.xreplace(back)
    if low.has(sp.Limit) or high.has(sp.Limit) or low.free_symbols & set(t.inputs) \
            or high.free_symbols & set(t.inputs):
        return None
    return tuple(c for c in (sp.Gt(y, low) if low != -sp.oo else sp.true,
                             sp.Lt(y, high) if high != sp.oo else sp.true) if c is not sp.true)


def _integrate_all(value: sp.Expr, y: sp.Symbol, drop: tuple[sp.Symbol, ...],
                   timeout: float | None) -> list | None:
    """Several auxiliaries integrated out at once by SymPy (time-bounded), as pieces in ``y``."""
    try:
        with time_limit(min(timeout or 20.0, 20.0), "integrating the auxiliary variables out"):
            result = sp.integrate(value, *[(w, -sp.oo, sp.oo) for w in drop])
    except (SymjacTimeoutError, NotImplementedError, ValueError, TypeError):
        return None
    if result.has(sp.Integral, sp.nan, sp.zoo, sp.oo, sp.AccumBounds):
        return None  # not done, or done wrongly (bounds of an oscillating integrand at infinity)
    return max_min_pieces(result, y, timeout=timeout)


def _merge_complementary(cases: list[tuple[sp.Expr, list[sp.Basic]]]
                         ) -> list[tuple[sp.Expr, list[sp.Basic]]]:
    """Join two equal contributions on ``e > 0`` and ``e < 0`` (the rest of their domains equal):
    together they hold everywhere but on ``e = 0``, which has measure zero."""
    cases = list(cases)
    changed = True
    while changed:
        changed = False
        for i in range(len(cases)):
            for j in range(i + 1, len(cases)):
                (e1, c1), (e2, c2) = cases[i], cases[j]
                only1 = [c for c in c1 if c not in c2]
                only2 = [c for c in c2 if c not in c1]
                if len(only1) != 1 or len(only2) != 1 or not (e1 - e2).equals(0):
                    continue
                a, b = only1[0], only2[0]
                if isinstance(a, sp.Rel) and isinstance(b, sp.Rel) and \
                        sp.simplify(_positive_part(a) + _positive_part(b)) == 0:
                    common = [c for c in c1 if c in c2]
                    cases[i] = (e1, common)
                    del cases[j]
                    changed = True
                    break
            if changed:
                break
    return cases


def _positive_part(c: sp.Rel) -> sp.Expr:
    if isinstance(c, (sp.StrictGreaterThan, sp.GreaterThan)):
        return c.lhs - c.rhs
    if isinstance(c, (sp.StrictLessThan, sp.LessThan)):
        return c.rhs - c.lhs
    return sp.nan


def family_of(pdf: sp.Expr, variables: tuple[sp.Symbol, ...], support: tuple[sp.Basic, ...]
               ) -> Family | None:
    if pdf.has(sp.Integral):
        return None
    box = support_intervals(support, variables)
    if box is None:
        return None
    twins = assume_support(variables, support)
    if not isinstance(pdf, sp.Piecewise):
        value = pdf
    elif len(pdf.args) == 2 and pdf.args[1].expr == 0:
        value = pdf.args[0].expr
    elif len(variables) == 1:
        value = pdf
    else:
        return None
    fam = recognise_family(value.xreplace(twins), tuple(twins.get(v, v) for v in variables),
                           {twins.get(v, v): b for v, b in box.items()})
    if fam is None:
        return None
    back = {twin: v for v, twin in twins.items()}
    return _rename_family(fam, back)


def _rename_family(fam: Family, back: dict) -> Family:
    return Family(fam.name, tuple((k, sp.sympify(v).xreplace(back)) for k, v in fam.parameters),
                  tuple(back.get(v, v) for v in fam.variables),
                  tuple(_rename_family(c, back) for c in fam.components))
