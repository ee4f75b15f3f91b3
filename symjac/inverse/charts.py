"""Maps that are the inverse of polar or spherical coordinates, as textbooks type them, and the
chart that inverts them.

``r = sqrt(x**2 + y**2), theta = atan2(y, x)`` is polar coordinates read backwards, and
``r = sqrt(x**2 + y**2 + z**2), theta = acos(z/r), phi = atan2(y, x)`` is spherical coordinates
read backwards: their inverse is the named chart ``x = r cos(theta), ...``, one-to-one on the
ranges of the angles (``atan2`` on ``(-pi, pi]``, ``Mod(atan2(y, x), 2*pi)`` on ``[0, 2*pi)``,
``acos`` on ``[0, pi]``). The radius may also be typed squared (``d = x**2 + y**2``, then
``x = sqrt(d) cos(theta)``). Points where the chart is not one-to-one (the origin, the axis) have
probability and area zero, so a density's chart leaves them out with open ranges; the inverse
(``exact=True``) keeps the half-open range of the azimuth, since every point off the axis has one.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import sympy as sp

from ..transform import Transform

__all__ = ["coordinate_chart"]


def _radius(expr: sp.Expr, square: sp.Expr):
    """``sqrt`` when ``expr`` is the squared radius, the identity when it is the radius, else None."""
    if sp.expand(expr - square) == 0:
        return sp.sqrt
    if isinstance(expr, sp.Pow) and expr.exp == sp.S.Half and sp.expand(expr.base - square) == 0:
        return lambda r: r
    return None


def _azimuth(expr: sp.Expr) -> tuple[sp.Symbol, sp.Symbol, sp.Expr, sp.Expr] | None:
    """``(a, b, low, high)`` when ``expr`` is ``atan2(b, a)`` or ``Mod(atan2(b, a), 2*pi)``."""
    low, high = -sp.pi, sp.pi
    if isinstance(expr, sp.Mod) and expr.args[1] == 2 * sp.pi:
        expr, low, high = expr.args[0], sp.S.Zero, 2 * sp.pi
    if isinstance(expr, sp.atan2) and all(isinstance(a, sp.Symbol) for a in expr.args):
        b, a = expr.args
        return a, b, low, high
    return None


def _polar_angle(expr: sp.Expr, axis: sp.Symbol, others: Sequence[sp.Symbol]) -> bool:
    """True when ``expr`` is the angle from the ``axis`` direction: ``acos(axis/|v|)`` or
    ``atan2(sqrt(others squared), axis)``."""
    length = sp.sqrt(axis ** 2 + sum(s ** 2 for s in others))
    if isinstance(expr, sp.acos):
        return sp.simplify(expr.args[0] - axis / length) == 0
    if isinstance(expr, sp.atan2):
        across, along = expr.args
        return along == axis and sp.simplify(across - sp.sqrt(sum(s ** 2 for s in others))) == 0
    return False


def _gt(a: sp.Expr, b: sp.Expr) -> sp.Basic:
    return sp.Gt(a, b, evaluate=False)


def _lt(a: sp.Expr, b: sp.Expr) -> sp.Basic:
    return sp.Lt(a, b, evaluate=False)


def _azimuth_range(az: sp.Symbol, low: sp.Expr, high: sp.Expr, exact: bool) -> tuple[sp.Basic, ...]:
    """``low < az < high``; exactly the range of atan2 (``-pi < az <= pi``) or of the Mod form
    (``0 <= az < 2*pi``) when ``exact``."""
    if not exact:
        return _gt(az, low), _lt(az, high)
    if low == 0:
        return sp.Ge(az, low, evaluate=False), _lt(az, high)
    return _gt(az, low), sp.Le(az, high, evaluate=False)


def _polar(t: Transform, exact: bool) -> Transform | None:
    for i_r, i_a in ((0, 1), (1, 0)):
        radius_at = _radius(t.exprs[i_r], t.inputs[0] ** 2 + t.inputs[1] ** 2)
        found = _azimuth(t.exprs[i_a])
        if radius_at is None or found is None or {found[0], found[1]} != set(t.inputs):
            continue
        a, b, low, high = found
        r, theta = (sp.Symbol(t.outputs[i].name, real=True) for i in (i_r, i_a))
        at = {a: radius_at(r) * sp.cos(theta), b: radius_at(r) * sp.sin(theta)}
        new = [r, theta] if i_r == 0 else [theta, r]
        return Transform(tuple(new), tuple(at[x] for x in t.inputs), t.inputs,
                         (_gt(r, 0),) + _azimuth_range(theta, low, high, exact), t.parameters)
    return None


def _spherical(t: Transform, exact: bool) -> Transform | None:
    xs = t.inputs
    for i_r, i_pol, i_az in itertools.permutations(range(3)):
        radius_at = _radius(t.exprs[i_r], sum(x ** 2 for x in xs))
        found = _azimuth(t.exprs[i_az])
        if radius_at is None or found is None or not {found[0], found[1]} < set(xs):
            continue
        a, b, low, high = found
        axis = next(x for x in xs if x not in (a, b))
        if not _polar_angle(t.exprs[i_pol], axis, (a, b)):
            continue
        r, pol, az = (sp.Symbol(t.outputs[i].name, real=True) for i in (i_r, i_pol, i_az))
        length = radius_at(r)
        at = {a: length * sp.sin(pol) * sp.cos(az), b: length * sp.sin(pol) * sp.sin(az),
              axis: length * sp.cos(pol)}
        new: list[sp.Symbol] = [r, r, r]
        new[i_pol], new[i_az] = pol, az
        return Transform(tuple(new), tuple(at[x] for x in xs), xs,
                         (_gt(r, 0), _gt(pol, 0), _lt(pol, sp.pi))
                         + _azimuth_range(az, low, high, exact), t.parameters)
    return None


def coordinate_chart(t: Transform, support: Sequence[sp.Basic] = (), *,
                     exact: bool = False) -> Transform | None:
    """The chart that inverts ``t`` when ``t`` is polar or spherical coordinates read backwards
    (radius first, typed plainly or squared; angles from ``atan2``, ``Mod(atan2(...), 2*pi)`` or
    ``acos``), in the map's own names, with its ranges as domain; None for any other map, and
    when the support restricts the old variables (the chart is then not onto it). ``exact``
    gives the azimuth its exact half-open range (for an inverse); without it the ranges are open
    (for a density, which does not see a null set).

    >>> from symjac import Transform
    >>> from symjac.inverse.charts import coordinate_chart
    >>> print(coordinate_chart(Transform.from_equations(
    ...     "r = sqrt(x**2 + y**2), theta = Mod(atan2(y, x), 2*pi)", inputs="x y")))
    x = r*cos(theta), y = r*sin(theta)  on  r > 0, theta > 0, theta < 2*pi
    >>> print(coordinate_chart(Transform.from_equations(
    ...     "rho = sqrt(x**2 + y**2 + z**2), phi = acos(z/sqrt(x**2 + y**2 + z**2)), "
    ...     "theta = atan2(y, x)", inputs="x y z")))
    x = rho*sin(phi)*cos(theta), y = rho*sin(phi)*sin(theta), z = rho*cos(phi)  on  rho > 0, phi > 0, phi < pi, theta > -pi, theta < pi
    """
    if len(t.inputs) != len(t.outputs) or any(c.free_symbols & set(t.inputs) for c in support):
        return None
    if len(t.inputs) == 2:
        return _polar(t, exact)
    if len(t.inputs) == 3:
        return _spherical(t, exact)
    return None
