"""The ways symjac finds inverse formulas, one function per structure of the map.

Each strategy takes a square Transform and returns ``Candidate`` formulas
``{input: expression in the outputs}``, or raises ``NotApplicable``. Structural
strategies (named systems, affine, monomial, polar-type) also know each
branch's domain; solving strategies (one variable, triangular, polynomial,
SymPy's solve) return every formula they find, and ``inverse.py`` keeps the
real ones that land in the domain.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import sympy as sp

from ..domains.signs import Sign, sign_on, variable_bounds
from ..transform import Transform
from ..domains.conditions import real_conditions
from .charts import coordinate_chart

__all__ = ["Candidate", "NotApplicable", "named", "radius_and_angle", "affine", "monomial", "polar_type",
           "one_variable", "triangular", "polynomial", "general"]


class NotApplicable(Exception):
    """The strategy does not fit this map (the next one is tried)."""


@dataclass(frozen=True)
class Candidate:
    """One inverse formula ``{input: expression in outputs and parameters}``.

    ``domain`` (conditions on the outputs) and ``source`` (conditions on the
    inputs, added to the map's domain) are set by strategies that know them;
    None means "find them from the formula".
    """

    solution: tuple[tuple[sp.Symbol, sp.Expr], ...]
    domain: tuple[sp.Basic, ...] | None = None
    source: tuple[sp.Basic, ...] | None = None
    replaces_domain: bool = False  # domain already covers every condition of t.domain
    covered: tuple[sp.Basic, ...] = ()  # conditions of t.domain the formula's domain implies

    def as_dict(self) -> dict[sp.Symbol, sp.Expr]:
        return dict(self.solution)


def _candidate(t: Transform, values, **kw) -> Candidate:
    return Candidate(tuple(zip(t.inputs, values)), **kw)


# ---------------------------------------------------------------------- named systems


def _azimuth(x: sp.Expr, y: sp.Expr, angle: sp.Expr, t: Transform) -> tuple[sp.Expr, sp.Basic]:
    """The angle of (x, y) in the range the domain gives ``angle``, and where it is valid."""
    lo, hi = _range(angle, t)
    eps = 1e-12
    if lo >= -sp.pi - eps and hi <= sp.pi + eps:  # atan2's own range first: 0 < A < pi/2 too
        return sp.atan2(y, x), sp.Or(sp.Ne(y, 0), x > 0)
    if lo >= -eps and hi <= 2 * sp.pi + eps:
        return sp.pi - sp.atan2(y, -x), sp.Or(sp.Ne(y, 0), x < 0)
    raise NotApplicable("the angle's range is not within [0, 2*pi] or [-pi, pi]")


def sector(conditions, angle: sp.Symbol, x: sp.Expr, y: sp.Expr
           ) -> tuple[sp.Basic, ...] | None:
    """The open sector ``a < angle < b`` (at most a half-turn wide) as half-planes in x, y.

    ``a < A`` means ``sin(A - a) > 0`` there, that is ``y cos(a) - x sin(a) > 0``;
    ``A < b`` means ``x sin(b) - y cos(b) > 0``. So ``0 < A < pi/2`` is ``x > 0, y > 0``
    rather than a condition on ``atan2(y, x)``. None when the range is not of that kind.
    """
    own = [cond for cond in conditions if cond.free_symbols == {angle}]
    if not own or not all(isinstance(cond, sp.Rel) and not isinstance(cond, (sp.Eq, sp.Ne))
                          for cond in own):
        return None
    lo, hi = variable_bounds(own, [angle])[angle]
    if not (lo.is_finite and hi.is_finite) or (hi - lo - sp.pi).is_positive or \
            not (hi - lo).is_positive:
        return None
    closed = {end: any(isinstance(cond, (sp.LessThan, sp.GreaterThan)) and end in cond.args
                       for cond in own) for end in (lo, hi)}
    # a closed end is a ray, kept by >= as long as the other end is open and the sector is
    # narrower than a half-turn (then the opposite ray and the origin stay out)
    if any(closed.values()) and (all(closed.values()) or not (sp.pi - (hi - lo)).is_positive):
        return None
    out = []
    for e, strict in ((y * sp.cos(lo) - x * sp.sin(lo), not closed[lo]),
                      (x * sp.sin(hi) - y * sp.cos(hi), not closed[hi])):
        rel = _half_plane(sp.expand(e), strict, x, y)
        if rel not in out:
            out.append(rel)
    return tuple(out)


def _half_plane(e: sp.Expr, strict: bool, x: sp.Expr, y: sp.Expr) -> sp.Basic:
    """``e > 0`` (or ``>= 0``) written plainly: ``x > 0``, ``y < 0`` for ``-y > 0``,
    ``y > x`` for ``sqrt(2)/2*(y - x) > 0``."""
    factor, e = sp.factor_terms(e).as_independent(x, y, as_Add=False)
    greater, less = (sp.StrictGreaterThan, sp.StrictLessThan) if strict else \
        (sp.GreaterThan, sp.LessThan)
    if factor.is_negative:
        e = -e
    if e.is_Add and len(e.args) == 2:
        a, b = e.args
        pos, neg = (a, -b) if b.could_extract_minus_sign() else (b, -a)
        return greater(pos, neg)
    if e.could_extract_minus_sign():
        return less(-e, 0)
    return greater(e, 0)


def _range(expr: sp.Expr, t: Transform) -> tuple[sp.Expr, sp.Expr]:
    """Bounds of ``expr`` over the domain, by interval arithmetic on the variables' bounds."""
    bounds = variable_bounds(t.domain, t.inputs + t.parameters)
    mapping = {s: sp.AccumBounds(*bounds[s]) for s in expr.free_symbols if s in bounds}
    try:
        value = expr.xreplace({sp.pi: sp.Float(sp.pi.evalf(30), 30)}).xreplace(mapping)
    except (TypeError, ValueError):
        return -sp.oo, sp.oo
    if isinstance(value, sp.AccumBounds):
        return value.min, value.max
    if value.is_number and value.is_extended_real:
        return value, value
    return -sp.oo, sp.oo


def named(t: Transform) -> list[Candidate]:
    """Known inverses of polar, cylindrical, spherical (both conventions) and
    hyperspherical coordinates, chosen by ``t.name`` and checked against the formulas."""
    reference = _named_reference(t)
    values, valid = _named_values(t)
    standard = {sp.srepr(c) for c in reference.domain}
    covered = tuple(c for c in t.domain if sp.srepr(c) in standard)
    covered, domain = _restricted_angles(t, covered, valid)
    return [_candidate(t, values, domain=domain, source=(), covered=covered)]


def _named_reference(t: Transform) -> Transform:
    """The named system ``t`` claims to be, after checking that its inputs and formulas are it."""
    from ..systems import system

    name = t.name
    if name not in ("polar", "cylindrical", "spherical", "hyperspherical"):
        raise NotApplicable("not a named system with a known inverse")
    if name == "spherical":
        reference = system("spherical", convention="math" if t.inputs[0].name == "rho" else "physics")
    elif name == "hyperspherical":
        reference = system("hyperspherical", n=len(t.inputs))
    else:
        reference = system(name)
    by_name = {s.name: s for s in t.inputs}
    if [s.name for s in reference.inputs] != [s.name for s in t.inputs]:
        raise NotApplicable("the inputs differ from the named system's")
    mapping = {s: by_name[s.name] for s in reference.inputs}
    if any(sp.simplify(a.xreplace(mapping) - b) != 0 for a, b in zip(reference.exprs, t.exprs)):
        raise NotApplicable("the formulas differ from the named system's")
    return reference


def _azimuth_of(t: Transform) -> sp.Symbol:
    """The angle around the z-axis (the last angle of hyperspherical coordinates)."""
    if t.name in ("polar", "cylindrical"):
        return t.inputs[1]
    if t.name == "spherical":
        return t.inputs[2] if t.inputs[0].name == "r" else t.inputs[1]
    return t.inputs[-1]


def _named_values(t: Transform) -> tuple[list[sp.Expr], sp.Basic]:
    """The inverse formulas of a named system, and the condition where its azimuth formula holds."""
    out, name = t.outputs, t.name
    if name in ("polar", "cylindrical"):
        angle, valid = _azimuth(out[0], out[1], _azimuth_of(t), t)
        return [sp.sqrt(out[0]**2 + out[1]**2), angle] + ([out[2]] if name == "cylindrical" else []), valid
    if name == "spherical":
        x, y, z = out
        angle, valid = _azimuth(x, y, _azimuth_of(t), t)
        polar = sp.atan2(sp.sqrt(x**2 + y**2), z)
        radius = sp.sqrt(x**2 + y**2 + z**2)
        return ([radius, polar, angle] if t.inputs[0].name == "r" else [radius, angle, polar]), valid
    values = [sp.sqrt(sp.Add(*[v**2 for v in out]))]
    for k in range(len(out) - 2):
        values.append(sp.atan2(sp.sqrt(sp.Add(*[v**2 for v in out[k + 1:]])), out[k]))
    angle, valid = _azimuth(out[-2], out[-1], t.inputs[-1], t)
    return values + [angle], valid


def _restricted_angles(t: Transform, covered: tuple[sp.Basic, ...], valid: sp.Basic
                       ) -> tuple[tuple[sp.Basic, ...], tuple[sp.Basic, ...]]:
    """An azimuth restricted to a sector at most a half-turn wide becomes half-planes, and a
    restricted polar angle a cone about the z-axis: the conditions covered and the domain."""
    out, azimuth = t.outputs, _azimuth_of(t)
    plane = (out[0], out[1]) if t.name != "hyperspherical" else (out[-2], out[-1])
    domain: tuple[sp.Basic, ...] = (valid,)
    half_planes = sector(t.domain, azimuth, *plane)
    if half_planes is not None:
        covered += tuple(c for c in t.domain if c.free_symbols == {azimuth} and c not in covered)
        domain = half_planes
    if t.name == "spherical":  # a restricted polar angle: a cone about the z-axis, as z vs rho
        polar_angle = t.inputs[1] if t.inputs[0].name == "r" else t.inputs[2]
        own = [c for c in t.domain if c.free_symbols == {polar_angle} and c not in covered]
        rho = sp.sqrt(out[0]**2 + out[1]**2)
        cone = sector(own, polar_angle, out[2], rho) if own else None
        if cone is not None:
            covered += tuple(own)
            domain += tuple(c for c in cone if not (c.lhs == rho and c.rhs == 0))
    return covered, domain


def radius_and_angle(t: Transform) -> list[Candidate]:
    """Polar or spherical coordinates read backwards — ``r = sqrt(x**2 + y**2), theta = atan2(y, x)``
    or ``r = sqrt(x**2 + y**2 + z**2), theta = acos(z/r), phi = atan2(y, x)`` (the azimuth also as
    ``Mod(atan2(y, x), 2*pi)``, the radius also squared): back to the chart ``x = r cos(theta), ...``
    on the ranges of the angles, off the origin (2-D) or the z-axis (3-D), where atan2 is defined."""
    chart = coordinate_chart(t, exact=True)
    if chart is None:
        raise NotApplicable("not a radius with atan2/acos angles of the inputs")
    names = {o.name: o for o in t.outputs}
    back = {s: names[s.name] for s in chart.inputs}
    values = [e.xreplace(back) for e in chart.exprs]
    domain = tuple(c.xreplace(back) for c in chart.domain)
    xs = t.inputs
    off_axis = (xs[0] ** 2 + xs[1] ** 2 > 0,) if len(xs) == 2 else (_off_axis(t, chart) > 0,)
    # where the map itself is defined (the acos argument in [-1, 1], a nonzero radius) holds
    # everywhere off the axis, which the chart's ranges already say
    defined = tuple(c for e in t.exprs for c in real_conditions(e))
    return [_candidate(t, values, domain=domain, source=off_axis, covered=off_axis + defined)]


def _off_axis(t: Transform, chart: Transform) -> sp.Expr:
    """``a**2 + b**2`` for the two inputs the azimuth ``atan2(b, a)`` is taken of."""
    axis = next(x for x, e in zip(chart.outputs, chart.exprs) if not e.has(sp.sin))
    return sum(x ** 2 for x in t.inputs if x != axis)


# ---------------------------------------------------------------------- affine


def affine(t: Transform) -> list[Candidate]:
    """``y = A x + b``: ``x = A⁻¹ (y - b)``, with ``det A != 0`` when A is symbolic."""
    xs = t.inputs
    rows = []
    consts = []
    for e in t.exprs:
        try:
            p = sp.Poly(e, *xs)
        except sp.PolynomialError:
            raise NotApplicable("not polynomial") from None
        if p.total_degree() > 1:
            raise NotApplicable("not linear")
        rows.append([p.coeff_monomial(x) for x in xs])
        consts.append(p.coeff_monomial(1))
    A = sp.Matrix(rows)
    det = sp.factor(A.det(method="berkowitz"))
    if det == 0:
        raise NotApplicable("singular matrix")
    inv = A.adjugate() / det
    y = sp.Matrix(t.outputs) - sp.Matrix(consts)
    values = [sp.factor(sp.cancel(v)) for v in inv * y]
    domain: tuple[sp.Basic, ...] = ()
    if det.free_symbols and sp.Ne(det, 0) is not sp.true:  # not already known from assumptions
        domain = (sp.Ne(det, 0),)
    return [_candidate(t, values, domain=domain, source=domain)]


# ---------------------------------------------------------------------- monomial


def monomial(t: Transform) -> list[Candidate]:
    """``y_i = c_i * prod x_j**a_ij`` on the positive orthant: logs and an exact linear solve."""
    xs = t.inputs
    for x in xs:
        if not (x.is_positive or sign_on(x, t.domain, symbols=t.inputs + t.parameters)
                is Sign.POSITIVE):
            raise NotApplicable("the inputs are not all positive on the domain")
    rows, coeffs = [], []
    for e in t.exprs:
        coeff, rest = sp.powsimp(sp.expand_power_base(e, force=True)).as_independent(*xs, as_Add=False)
        if not (coeff.is_positive):
            raise NotApplicable("a coefficient is not positive")
        powers = sp.Mul.make_args(rest)
        row = [sp.S.Zero] * len(xs)
        for f in powers:
            base, exp = f.as_base_exp()
            if base not in xs or not exp.is_Rational:
                raise NotApplicable("not a monomial")
            row[xs.index(base)] += exp
        rows.append(row)
        coeffs.append(coeff)
    A = sp.Matrix(rows)
    if A.det() == 0:
        raise NotApplicable("singular exponent matrix")
    B = A.inv()
    values = []
    for j in range(len(xs)):
        values.append(sp.Mul(*[(y / c) ** B[j, i] for i, (y, c) in enumerate(zip(t.outputs, coeffs))]))
    domain = tuple(y > 0 for y in t.outputs)
    return [_candidate(t, values, domain=domain, source=())]


# ---------------------------------------------------------------------- polar-type


def _positive_at_samples(expr: sp.Expr, t: Transform, n: int = 50) -> bool:
    """True when ``expr`` is real and positive at seeded random points of the domain
    (used only to choose a strategy; the certificate checks the result)."""
    import warnings

    import numpy as np

    from ..domains.probe import rng_for
    from ..domains.signs import sample_points

    syms = t.inputs + t.parameters
    try:
        pts = sample_points(syms, t.domain, n, rng=rng_for("positivity"))
        f = sp.lambdify(syms, expr, modules="numpy")
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            values = np.broadcast_to(np.asarray(f(*pts.T.astype(complex)), dtype=complex), (len(pts),))
    except (ValueError, TypeError, ZeroDivisionError):
        return False
    return bool(np.all(np.abs(values.imag) < 1e-12) and np.all(values.real > 0))


def polar_type(t: Transform) -> tuple[Transform, list[Candidate]]:
    """``x = R cos(A), y = R sin(A)`` with R > 0: the radius and angle of (x, y),
    then the inner map (R, A) of the inputs, inverted on its own."""
    if len(t.exprs) != 2:
        raise NotApplicable("not two-dimensional")
    ex, ey = t.exprs
    for arg in {a.args[0] for a in ex.atoms(sp.cos)}:
        radius = sp.simplify(ex / sp.cos(arg))
        if sp.simplify(ey - radius * sp.sin(arg)) != 0 or radius.has(sp.cos, sp.sin) and \
                radius.has(arg):
            continue
        syms = t.inputs + t.parameters
        if sign_on(radius, t.domain, symbols=syms) not in (Sign.POSITIVE, Sign.NONNEGATIVE) \
                and not _positive_at_samples(radius, t):
            raise NotApplicable("the radius is not positive on the domain")
        x, y = t.outputs
        angle, valid = _azimuth(x, y, arg, t)
        taken = {s.name for s in t.inputs + t.outputs + t.parameters}
        rho_name = next(n for n in ("R", "R_", "R__", "radius_") if n not in taken)
        phi_name = next(n for n in ("A", "A_", "A__", "angle_") if n not in taken)
        rho, phi = sp.Symbol(rho_name, positive=True), sp.Symbol(phi_name, real=True)
        inner = Transform(t.inputs, (radius, arg), (rho, phi), t.domain, t.parameters)
        return inner, [Candidate(((rho, sp.sqrt(x**2 + y**2)), (phi, angle)), domain=(valid,))]
    raise NotApplicable("not of the form R*cos(A), R*sin(A)")


# ---------------------------------------------------------------------- solving


def _plain(t: Transform) -> tuple[dict, dict]:
    """Assumption-free stand-ins for the inputs (so no root is dropped while solving)."""
    forward = {x: sp.Dummy(x.name) for x in t.inputs}
    back = {v: k for k, v in forward.items()}
    return forward, back


def _solve_for(eq: sp.Expr, unknown: sp.Symbol) -> list[sp.Expr]:
    return list(sp.solve(eq, unknown, dict=False, check=False, simplify=False))


def one_variable(t: Transform) -> list[Candidate]:
    """``y = f(x)``: every root of ``f(x) = y``."""
    if len(t.inputs) != 1:
        raise NotApplicable("more than one variable")
    forward, back = _plain(t)
    (x,) = forward.values()
    roots = _solve_for(t.exprs[0].xreplace(forward) - t.outputs[0], x)
    if not roots:
        raise NotApplicable("no formula for the root")
    # SymPy gives the principal branch W_0 of Lambert's W only; x*exp(x) = u for
    # -1/e < u < 0 has a second real root through the branch W_{-1}
    lower = [r.xreplace({w: sp.LambertW(w.args[0], -1) for w in r.atoms(sp.LambertW)
                         if len(w.args) == 1}) for r in roots if r.has(sp.LambertW)]
    roots = list(roots) + [r for r in lower if r not in roots]
    return [_candidate(t, [r]) for r in roots]


def _unknowns(e: sp.Expr, unknowns: set) -> set:
    return e.free_symbols & unknowns


def _rewritten(eqs: list[sp.Expr], others: list[tuple[sp.Expr, sp.Symbol]], unknowns: set
               ) -> Iterator[sp.Expr]:
    """Each equation, also with other outputs' formulas replaced by their names
    (``y/(x + y)`` becomes ``y/u`` when ``u = x + y``)."""
    for eq in eqs:
        yield eq
        for f, name in others:
            if not f.is_Symbol and _unknowns(f, unknowns):
                new = eq.subs(f, name)
                if new != eq:
                    yield new


def triangular(t: Transform) -> list[Candidate]:
    """Back-substitution: solve an equation with one unknown, substitute, repeat."""
    if len(t.inputs) < 2:
        raise NotApplicable("one variable")
    forward, back = _plain(t)
    fs = [e.xreplace(forward) for e in t.exprs]
    originals = list(zip(fs, t.outputs))
    results: list[dict] = []

    def step(eqs: list[sp.Expr], unknowns: set, solved: dict) -> None:
        if not unknowns:
            results.append(solved)
            return
        for eq in _rewritten(eqs, originals, unknowns):
            found = _unknowns(eq, unknowns)
            if len(found) != 1:
                continue
            (u,) = found
            roots = _solve_for(eq, u)
            if not roots:
                continue
            for r in roots:
                new_solved = {k: v.xreplace({u: r}) for k, v in solved.items()}
                new_solved[u] = r
                rest = [sp.together(e.xreplace({u: r})) for e in eqs]
                rest = [e for e in rest if e != 0]
                step(rest, unknowns - {u}, new_solved)
            return
        raise NotApplicable("no equation has a single unknown")

    step([f - y for f, y in originals], set(forward.values()), {})
    return [_candidate(t, [sp.simplify(sol[forward[x]]) for x in t.inputs]) for sol in results]


def polynomial(t: Transform) -> list[Candidate]:
    """Polynomial maps: a lexicographic Gröbner basis, then back-substitution."""
    forward, back = _plain(t)
    xs = [forward[x] for x in t.inputs]
    eqs = [sp.together(e.xreplace(forward) - y) for e, y in zip(t.exprs, t.outputs)]
    nums = [sp.fraction(e)[0] for e in eqs]
    if not all(n.is_polynomial(*xs) for n in nums):
        raise NotApplicable("not polynomial")
    try:
        sols = sp.solve_poly_system(nums, *xs)
    except (NotImplementedError, sp.PolynomialError) as exc:
        raise NotApplicable(f"the polynomial system could not be solved ({exc})") from None
    if not sols:
        raise NotApplicable("no solutions")
    return [_candidate(t, list(s)) for s in sols]


def general(t: Transform) -> list[Candidate]:
    """SymPy's ``solve`` on the whole system."""
    forward, back = _plain(t)
    xs = [forward[x] for x in t.inputs]
    eqs = [e.xreplace(forward) - y for e, y in zip(t.exprs, t.outputs)]
    try:
        sols = sp.solve(eqs, xs, dict=True)
    except NotImplementedError as exc:
        raise NotApplicable(f"SymPy's solve gave up ({exc})") from None
    out = [_candidate(t, [s[x] for x in xs]) for s in sols if all(x in s for x in xs)]
    if not out:
        raise NotApplicable("SymPy's solve found no closed form")
    return out


def input_bounds(t: Transform, x: sp.Symbol) -> tuple[sp.Expr, sp.Expr]:
    """The numeric bounds of one input on the domain."""
    return variable_bounds(t.domain, t.inputs + t.parameters)[x]
