"""The distance from the origin, ``Y = sqrt(X1² + ... + Xn²)``, through spherical coordinates, and
the polar map ``(R, Θ) = (sqrt(X² + Y²), atan2(Y, X))`` through its chart.

Completing this map with auxiliary variables leaves an integral over a ball
that SymPy rarely finishes (the Maxwell and chi densities stay integrals that
way). Written in (hyper)spherical coordinates the old variables are
``x = r·(direction)``, a one-to-one chart, and the density of ``r`` is the
angles integrated out: ``radius_chart`` gives that chart in the map's names.
"""

from __future__ import annotations

from collections.abc import Sequence

import sympy as sp

from ..domains import substitute_conditions
from ..inverse.charts import coordinate_chart
from ..systems import system
from ..transform import Transform

__all__ = ["radius_chart", "polar_chart"]


def radius_chart(t: Transform, support: Sequence[sp.Basic]) -> Transform | None:
    """The spherical chart ``x_i = y·(direction)`` of a map ``y = sqrt(x1² + ... + xn²)``, n ≥ 3,
    on all of space, in the map's own names (``y`` for the radius); None for any other map.

    >>> import sympy as sp
    >>> from symjac import Transform
    >>> from symjac.densities.radial import radius_chart
    >>> chart = radius_chart(Transform.from_equations("y = sqrt(x1**2 + x2**2 + x3**2)"), ())
    >>> chart.inputs[0], chart.outputs
    (y, (x1, x2, x3))
    """
    n = len(t.inputs)
    if len(t.outputs) != 1 or n < 3:
        return None
    if sp.expand(t.exprs[0] ** 2 - sum(x ** 2 for x in t.inputs)) != 0 or \
            not (isinstance(t.exprs[0], sp.Pow) and t.exprs[0].exp == sp.S.Half):
        return None
    if any(c.free_symbols & set(t.inputs) for c in support):
        return None  # a support that is not all of space: the general method handles it
    chart = system("spherical") if n == 3 else system("hyperspherical", n=n)
    y = t.outputs[0]
    taken = {s.name for s in t.inputs + t.outputs + t.parameters}
    angles = [sp.Symbol(a.name if a.name not in taken else a.name + "_angle", real=True)
              for a in chart.inputs[1:]]
    rename = {chart.inputs[0]: sp.Symbol(y.name, real=True),
              **dict(zip(chart.inputs[1:], angles)), **dict(zip(chart.outputs, t.inputs))}
    return Transform(tuple(rename[s] for s in chart.inputs),
                     tuple(e.xreplace(rename) for e in chart.exprs), t.inputs,
                     substitute_conditions(chart.domain, rename, evaluate=False), t.parameters)


def polar_chart(t: Transform, support: Sequence[sp.Basic]) -> Transform | None:
    """The chart ``x = r cos θ, y = r sin θ`` of a map ``r = sqrt(x² + y²)`` (or ``d = x² + y²``
    with ``x = sqrt(d) cos θ``), ``θ = atan2(y, x)`` (on ``(-π, π)``) or
    ``Mod(atan2(y, x), 2*pi)`` (on ``(0, 2π)``), and likewise the spherical chart of
    ``r = sqrt(x² + y² + z²), θ = acos(z/r), φ = atan2(y, x)``, on all of the plane or space, in
    the map's own names; None for any other map. The inverse layer recognises these maps
    (``symjac.inverse.charts``); this is its answer for a density.

    >>> from symjac import Transform
    >>> from symjac.densities.radial import polar_chart
    >>> print(polar_chart(Transform.from_equations(
    ...     "r = sqrt(x**2 + y**2), theta = Mod(atan2(y, x), 2*pi)", inputs="x y"), ()))
    x = r*cos(theta), y = r*sin(theta)  on  r > 0, theta > 0, theta < 2*pi
    """
    return coordinate_chart(t, support)
