"""Two strategies of the inversion: a one-variable map inverted one monotone piece at a time.

When the roots SymPy gives miss branches (``y = sin(x)`` on ``(0, 2π)`` has
three monotone pieces but ``solve`` gives two formulas; the real roots of
``y = x**3 - x`` come out of Cardano's formula with ``I`` in them),
``monotone_pieces`` cuts the domain at the critical points of the map,
takes the image of each piece, and finds for each piece a formula among the
solutions, their shifts by the period, and the real (trigonometric and
hyperbolic) forms of the roots of a cubic. Each formula is tested at points of
the piece; a piece without one is an error, never a missing term.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from ..domains.probe import agree
from ..domains import flatten_conditions, support_intervals
from . import strategies
from ..transform import Transform

__all__ = ["monotone_pieces", "cubic_pieces"]

_Candidate = tuple[sp.Expr, sp.Interval]


def cubic_pieces(t: Transform) -> list[strategies.Candidate]:
    """A cubic in one variable (``y = x**3 - x``, ``y = x**3 + x``): its monotone pieces, each
    with a real trigonometric or hyperbolic form of its root (Cardano's have ``I`` in them, or
    nested cube roots).

    Raises:
        NotApplicable: If the map is not a cubic, or a shifted pure cube (``x**3``), whose
            real cube root SymPy's roots give.
    """
    if t.dims != (1, 1) or not t.exprs[0].is_polynomial(*t.inputs) or \
            sp.degree(t.exprs[0], t.inputs[0]) != 3:
        raise strategies.NotApplicable("not a cubic in one variable")
    c3, c2, c1, _ = sp.Poly(t.exprs[0], t.inputs[0]).all_coeffs()
    if sp.nsimplify(c1 / c3 - (c2 / c3) ** 2 / 3) == 0:
        raise strategies.NotApplicable("a shifted cube: its real cube root is one of SymPy's roots")
    return monotone_pieces(t)


def monotone_pieces(t: Transform) -> list[strategies.Candidate]:
    """One or more formulas per monotone piece of a one-variable map on an interval.

    The domain is cut at the critical points of the map; on each piece the image is exact and
    a formula is kept where it gives back the points of the piece: a root of SymPy's, a root
    shifted by the period, or a real form of a cubic's root. Each candidate's ``domain`` is the
    part of the image it covers and its ``source`` the piece it comes from.

    Raises:
        NotApplicable: If the pieces or a formula for some piece cannot be found.

    >>> from symjac import Transform
    >>> t = Transform.from_equations("y = sin(x)", domain="0 < x < 2*pi")
    >>> for c in monotone_pieces(t):
    ...     print(c.solution, c.domain, c.source)
    ((x, asin(y)),) (y > 0, y < 1) (x < pi/2,)
    ((x, pi - asin(y)),) (y > -1, y < 1) (x > pi/2, x < 3*pi/2)
    ((x, asin(y) + 2*pi),) (y > -1, y < 0) (x > 3*pi/2,)
    """
    if t.dims != (1, 1):
        raise _fail("it handles maps of one variable only")
    (x,), (y,), (g,) = t.inputs, t.outputs, t.exprs
    low, high = _interval(t)
    try:
        edges = [low] + _cuts(g, x, sp.Interval.open(low, high)) + [high]
        images = [_image(g, x, a, b) for a, b in zip(edges, edges[1:])]
        candidates = _candidates(g, x, y, sp.Interval.open(low, high))
    except (NotImplementedError, TypeError, ValueError) as exc:
        raise _fail(f"the monotone pieces could not be found ({exc})") from None
    g_num = sp.lambdify(x, g, modules=["scipy", "numpy"])
    out = []
    for (a, b), image in zip(zip(edges, edges[1:]), images):
        source = tuple(c for c, end in ((sp.Gt(x, a), a != low), (sp.Lt(x, b), b != high)) if end)
        out += [strategies.Candidate(((x, expr),), domain=tuple(_relational(part, y)), source=source)
                for expr, part in _formulas_on_piece(g_num, x, y, a, b, image, candidates)]
    return out


def _interval(t: Transform) -> tuple[sp.Expr, sp.Expr]:
    """The ends of the map's domain, an interval without parameters."""
    (x,), (g,) = t.inputs, t.exprs
    conds = [c for c in flatten_conditions(t.domain) if x in c.free_symbols]
    box = support_intervals(conds, [x])
    if box is None:
        raise _fail("the domain is not an interval")
    low, high = (sp.simplify(e) for e in box[x])
    extra = (g.free_symbols | low.free_symbols | high.free_symbols) - {x}
    if extra:
        raise _fail(f"the map or its domain has parameters ({', '.join(sorted(map(str, extra)))})")
    return low, high


def _formulas_on_piece(g_num, x: sp.Symbol, y: sp.Symbol, a: sp.Expr, b: sp.Expr,
                       image: sp.Interval, candidates: list[_Candidate]
                       ) -> list[tuple[sp.Expr, sp.Set]]:
    """The formulas that give back the points of ``(a, b)``, each on its part of the image."""
    xs = _sample(float(a), float(b))
    with np.errstate(all="ignore"):
        ys = np.broadcast_to(np.asarray(g_num(xs), dtype=float), xs.shape)
    keep = np.isfinite(ys)
    xs, ys = xs[keep], ys[keep]
    matched = np.zeros(len(xs), dtype=bool)
    taken: list[tuple[sp.Expr, sp.Set]] = []
    for expr, valid in candidates:
        part = sp.Intersection(image, valid)
        if part.is_empty or part.measure == 0 or any(
                sp.Intersection(part, other).measure != 0 for _, other in taken):
            continue
        inside = _contains(part, ys)
        if inside.sum() < 2 or not _agrees(expr, y, ys[inside], xs[inside]):
            continue
        taken.append((expr, part))
        matched |= inside
    if not matched.all():
        at = xs[np.argmin(matched)]
        raise _fail(f"no formula for the inverse on the piece ({sp.sstr(a)}, {sp.sstr(b)}) "
                    f"was found (e.g. at x = {at:.4g})")
    return taken


def _fail(why: str) -> strategies.NotApplicable:
    return strategies.NotApplicable(why)


def _cuts(g: sp.Expr, x: sp.Symbol, interval: sp.Interval) -> list[sp.Expr]:
    """Critical points and discontinuities of ``g`` inside ``interval``, sorted."""
    critical = sp.solveset(sp.diff(g, x), x, interval)
    if not (critical.is_empty or isinstance(critical, sp.FiniteSet)):
        raise ValueError(f"the critical points of {g} are {critical}, not finitely many")
    gaps = sp.Complement(interval, sp.calculus.util.continuous_domain(g, x, interval))
    if not (gaps.is_empty or isinstance(gaps, sp.FiniteSet)):
        raise ValueError(f"{g} is not continuous on {interval}")
    points = (set() if critical.is_empty else set(critical)) | (set() if gaps.is_empty else set(gaps))
    return sorted(points, key=lambda p: float(p))


def _image(g: sp.Expr, x: sp.Symbol, a: sp.Expr, b: sp.Expr) -> sp.Interval:
    ends = [sp.limit(g, x, a, "+"), sp.limit(g, x, b, "-")]
    if any(e.has(sp.AccumBounds, sp.nan, sp.zoo) or not e.is_extended_real for e in ends):
        raise ValueError(f"the limits of {g} at the ends of ({a}, {b}) are {ends}")
    lo, hi = sorted(ends, key=lambda e: float(e))
    return sp.Interval.open(lo, hi)


def _candidates(g: sp.Expr, x: sp.Symbol, y: sp.Symbol, interval: sp.Interval) -> list[_Candidate]:
    """Formulas that may invert ``y = g(x)`` on some piece, each with where (in y) it applies."""
    everywhere = sp.Interval(-sp.oo, sp.oo)
    found = [e for e in sp.solve(sp.Eq(y, g), x)
             if not e.has(sp.I) and x not in e.free_symbols]
    period = sp.periodicity(g, x)
    if period is not None and period != 0:
        lo, hi = interval.start, interval.end
        ks = range(-3, 4) if not (lo.is_finite and hi.is_finite) else \
            range(int(sp.floor(lo / period)) - 1, int(sp.ceiling(hi / period)) + 2)
        found = [e + k * period for e in found for k in ks]
    # solve gives the principal branch of LambertW only; the other real one is LambertW(., -1)
    found += [e.replace(lambda a: isinstance(a, sp.LambertW) and len(a.args) == 1,
                        lambda a: sp.LambertW(a.args[0], -1)) for e in found if e.has(sp.LambertW)]
    out: list[_Candidate] = []
    poly = sp.Poly(g, x) if g.is_polynomial(x) else None
    if poly is not None and poly.degree() == 3:
        out += _cubic_forms(poly, x, y)  # first: real forms, no complex intermediate values
    return out + [(e, everywhere) for e in found]


def _cubic_forms(poly: sp.Poly, x: sp.Symbol, y: sp.Symbol) -> list[_Candidate]:
    """Real forms of the roots of ``poly(x) = y``: trigonometric for three real roots, else
    hyperbolic (the casus irreducibilis needs no complex numbers this way)."""
    c3, c2, c1, c0 = poly.all_coeffs()
    a, b, c = c2 / c3, c1 / c3, (c0 - y) / c3
    shift = -a / 3
    p = sp.nsimplify(b - a ** 2 / 3)
    q = 2 * a ** 3 / 27 - a * b / 3 + c

    def where(cond: sp.Basic) -> sp.Set:
        return sp.solve_univariate_inequality(cond, y, relational=False)

    if p == 0:
        return [(shift + (-q) ** sp.Rational(1, 3), where(q < 0)),
                (shift - q ** sp.Rational(1, 3), where(q > 0))]
    if p > 0:
        s = sp.sqrt(p / 3)
        return [(shift - 2 * s * sp.sinh(sp.asinh(3 * q / (2 * p * s)) / 3), sp.Interval(-sp.oo, sp.oo))]
    s = sp.sqrt(-p / 3)
    arg = sp.simplify(3 * q / (2 * p * s))
    forms = [(shift + 2 * s * sp.cos(sp.acos(arg) / 3 - 2 * sp.pi * k / 3), where(arg ** 2 < 1))
             for k in range(3)]
    forms += [(shift + 2 * s * sp.cosh(sp.acosh(arg) / 3), where(arg > 1)),
              (shift - 2 * s * sp.cosh(sp.acosh(-arg) / 3), where(arg < -1))]
    return forms


def _sample(a: float, b: float, n: int = 41) -> np.ndarray:
    """Points inside ``(a, b)``, denser near the ends, for infinite ends too."""
    u = np.linspace(0.0, 1.0, n + 2)[1:-1]
    if np.isfinite(a) and np.isfinite(b):
        return a + (b - a) * (0.5 - 0.5 * np.cos(np.pi * u))
    if np.isfinite(a):
        return a + np.exp(np.linspace(-8.0, 4.0, n))
    if np.isfinite(b):
        return b - np.exp(np.linspace(-8.0, 4.0, n))
    return np.sinh(np.linspace(-5.0, 5.0, n))


def _contains(part: sp.Set, ys: np.ndarray) -> np.ndarray:
    intervals = part.args if isinstance(part, sp.Union) else (part,)
    inside = np.zeros(len(ys), dtype=bool)
    for iv in intervals:
        if isinstance(iv, sp.Interval):
            inside |= (ys > float(iv.start)) & (ys < float(iv.end))
    return inside


def _agrees(expr: sp.Expr, y: sp.Symbol, ys: np.ndarray, xs: np.ndarray) -> bool:
    h = sp.lambdify(y, expr, modules=["scipy", "numpy"])
    with np.errstate(all="ignore"):
        back = np.broadcast_to(np.asarray(h(ys.astype(complex)), dtype=complex), xs.shape)
    return agree(back, xs)


def _relational(part: sp.Set, y: sp.Symbol) -> list[sp.Basic]:
    if not isinstance(part, sp.Interval):
        raise ValueError(f"the branch's domain {part} is not one interval")
    conds: list[sp.Basic] = []
    if part.start != -sp.oo:
        conds.append(sp.Gt(y, part.start, evaluate=False))
    if part.end != sp.oo:
        conds.append(sp.Lt(y, part.end, evaluate=False))
    return conds
