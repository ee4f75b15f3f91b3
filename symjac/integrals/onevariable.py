"""The one-variable substitution rule as textbooks state it, for substitutions that are not
one-to-one: if the integrand is ``F(g(x)) * g'(x)`` with ``F`` free of ``x``, then
``Integral(F(g(x))*g'(x), (x, a, b)) = Integral(F(u), (u, g(a), g(b)))`` for any C¹ ``g``,
monotone or not; no inverse branch is needed.
"""

from __future__ import annotations

from collections.abc import Sequence

import mpmath
import sympy as sp

from ..derivation import Derivation, Step, Tex
from ..errors import SymjacError
from ..latex import latex_expr
from ..regions.region import Region
from ..timeouts import time_limit
from ..transform import Transform
from .changed import Piece

__all__ = ["textbook_rule"]

_SAMPLES = 41


def textbook_rule(integrand: sp.Expr, region: Region, t: Transform,
                  branches: Sequence[Transform], *, timeout: float | None = 10
                  ) -> tuple[Piece, str] | None:
    """The new integral by the substitution rule ``u = g(x)``, and the step that says so; or
    ``None`` when the rule does not apply (the integrand needs ``g``'s inverse, or ``g`` or
    ``F`` is not continuous on ``[a, b]``). ``branches`` (the inverse branches, possibly none)
    only help to write the integrand in ``u``.

    >>> from symjac import Transform
    >>> from symjac.regions import Region
    >>> from symjac.integrals.onevariable import textbook_rule
    >>> import sympy as sp
    >>> x = sp.Symbol("x", real=True)
    >>> T = Transform.from_equations("u = 1 - x**2")
    >>> from symjac import invert
    >>> piece, _ = textbook_rule(x*(1 - x**2)**3, Region.from_bounds([(x, -1, 2)]), T, invert(T))
    >>> piece.integrand, piece.region.bounds
    (u**3/2, ((u, -3, 0),))
    """
    if len(t.inputs) != 1 or region.bounds is None or len(region.bounds) != 1:
        return None
    (x,), (g,) = t.inputs, t.exprs
    _, a, b = region.bounds[0]
    if not (a.is_number and b.is_number and a.is_finite and b.is_finite):
        return None
    u = branches[0].inputs[0] if branches else t.outputs[0]
    try:
        with time_limit(min(timeout or 10, 10), "applying the one-variable substitution rule"):
            dg = sp.diff(g, x)
            h = integrand / dg
            candidates = [h.subs(g, u)] + [h.xreplace({br.inputs[0]: u}).xreplace({x: br.exprs[0]})
                                            for br in branches]
            for F in candidates:
                F = sp.simplify(F)
                if F.has(x) or not _agrees(F.xreplace({u: g}), h, x, a, b):
                    continue
                if not _continuous(F, g, dg, x, u, a, b):
                    return None
                return _piece(F, g, x, u, a, b, branches[0] if branches else t)
    except SymjacError:
        return None
    return None


def _piece(F: sp.Expr, g: sp.Expr, x: sp.Symbol, u: sp.Symbol, a: sp.Expr, b: sp.Expr,
           branch: Transform) -> tuple[Piece, Step] | None:
    ga, gb = sp.nsimplify(sp.simplify(g.xreplace({x: a}))), sp.nsimplify(sp.simplify(g.xreplace({x: b})))
    if (ga - gb).is_zero:
        return None  # the integral is 0; the pieces say the same with their regions
    downwards = bool((ga - gb).is_positive)
    if not downwards and not (gb - ga).is_positive:
        return None
    lo, hi, f = (gb, ga, -F) if downwards else (ga, gb, F)
    lu, lx = latex_expr(u), latex_expr(x)
    template = ("The substitution {sub} is not one-to-one on {interval}, but the integrand is {form} "
                "with {F}, free of {x}. By the substitution rule (any continuously differentiable "
                "substitution, monotone or not) the integral is the integral of {Fu} from {start} to {end}"
                + (", that is of {minus} from {gb} to {ga}." if downwards else "."))
    step = Derivation().then(
        template, sub=sp.Eq(u, g, evaluate=False),
        interval=Tex(rf"\left[{latex_expr(a)}, {latex_expr(b)}\right]", f"[{sp.sstr(a)}, {sp.sstr(b)}]"),
        form=Tex(rf"F({lu})\,\frac{{d{lu}}}{{d{lx}}}", f"F({u})*d{u}/d{x}"),
        F=Tex(f"F({lu}) = {latex_expr(F)}", f"F({u}) = {sp.sstr(F)}"), x=x,
        Fu=Tex(f"F({lu})", f"F({u})"),
        start=Tex(f"{lu}({latex_expr(a)}) = {latex_expr(ga)}", f"{u}({sp.sstr(a)}) = {sp.sstr(ga)}"),
        end=Tex(f"{lu}({latex_expr(b)}) = {latex_expr(gb)}", f"{u}({sp.sstr(b)}) = {sp.sstr(gb)}"),
        **({"minus": Tex(f"-F({lu})", f"-F({u})"), "gb": gb, "ga": ga} if downwards else {}))[0]
    return Piece(f, Region.from_bounds([(u, lo, hi)]), f, sp.S.One, sp.S.One, branch), step


def _points(a: sp.Expr, b: sp.Expr) -> list[mpmath.mpf]:
    lo, hi = mpmath.mpf(sp.N(a, 20)), mpmath.mpf(sp.N(b, 20))
    return [lo + (hi - lo) * (k + 0.5) / _SAMPLES for k in range(_SAMPLES)]


def _value(e: sp.Expr, at: dict) -> complex | None:
    try:
        v = complex(sp.N(e.xreplace(at), 15))
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    return v if v == v and abs(v) != float("inf") else None


def _agrees(left: sp.Expr, right: sp.Expr, x: sp.Symbol, a: sp.Expr, b: sp.Expr) -> bool:
    """``left == right`` at sample points of (a, b) (where both are defined)."""
    compared = 0
    for p in _points(a, b)[::4]:
        at = {x: sp.Float(p, 20)}
        lv, rv = _value(left, at), _value(right, at)
        if lv is None or rv is None:
            continue
        if abs(lv - rv) > 1e-9 * (1 + abs(rv)):
            return False
        compared += 1
    return compared >= 5


def _continuous(F: sp.Expr, g: sp.Expr, dg: sp.Expr, x: sp.Symbol, u: sp.Symbol,
                a: sp.Expr, b: sp.Expr) -> bool:
    """``g`` is C¹ on [a, b] and ``F`` is real and finite on ``g([a, b])`` (sampled), and the
    free symbols are only the variables."""
    if (F.free_symbols - {u}) or (g.free_symbols - {x}):
        return False
    for p in [mpmath.mpf(sp.N(a, 20))] + _points(a, b) + [mpmath.mpf(sp.N(b, 20))]:
        at = {x: sp.Float(p, 20)}
        gv, dv = _value(g, at), _value(dg, at)
        if gv is None or dv is None or abs(gv.imag) > 1e-12 or abs(dv.imag) > 1e-12:
            return False
        fv = _value(F, {u: sp.Float(gv.real, 20)})
        if fv is None or abs(fv.imag) > 1e-12:
            return False
    return True
