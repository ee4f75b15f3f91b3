"""The exact edges of a region given by inequalities, for pictures.

Each condition is written ``g >= 0`` in the inputs of a map (a condition on the
outputs through the map). An edge is a piece of a curve ``g = 0``: traced on a
grid, moved onto the curve by Newton steps along the gradient of ``g``, and cut
where another condition stops holding, the corner found by bisection along the
curve. Its points lie on the curve to rounding, so a picture has no staircase,
and the image of an edge under the map is exact too. Tracing uses contourpy, which
matplotlib installs (the optional `plot` extra).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import sympy as sp

from ..domains.conditions import flatten_conditions
from ..transform import Transform

__all__ = ["region_margins", "Edges", "glued"]


def region_margins(t: Transform, conditions: Sequence[sp.Basic], side: str) -> list[tuple[sp.Expr, bool]]:
    """Each condition as ``g >= 0`` (or ``> 0``) in the inputs, and whether it is the domain's."""
    to_inputs = dict(zip(t.outputs, t.exprs)) if side == "outputs" else {}
    out = []
    for of_domain, conds in ((False, conditions), (True, t.domain)):
        for c in flatten_conditions(conds):
            if isinstance(c, (sp.LessThan, sp.StrictLessThan)):
                g = c.rhs - c.lhs
            elif isinstance(c, (sp.GreaterThan, sp.StrictGreaterThan)):
                g = c.lhs - c.rhs
            else:
                continue  # an equation or a logical combination bounds no area
            out.append((g.xreplace(to_inputs) if not of_domain else g, of_domain))
    return out


def _numeric(expr: sp.Expr, symbols: tuple[sp.Symbol, ...]):
    f = sp.lambdify(symbols, expr, modules="numpy")

    def value(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        with np.errstate(all="ignore"):
            return np.broadcast_to(np.asarray(f(a, b), dtype=float), np.shape(a)).copy()
    return value


class Edges:
    """The exact edges of a region given by conditions ``g_i >= 0`` on the inputs."""

    def __init__(self, t: Transform, margins: list[tuple[sp.Expr, bool]]) -> None:
        self.t, self.of_domain = t, [d for _, d in margins]
        self.g = [_numeric(g, t.inputs) for g, _ in margins]
        self.grad = [(_numeric(sp.diff(g, t.inputs[0]), t.inputs),
                      _numeric(sp.diff(g, t.inputs[1]), t.inputs)) for g, _ in margins]
        self.map = [_numeric(e, t.inputs) for e in t.exprs]

    def image(self, pts: np.ndarray) -> np.ndarray:
        return np.column_stack([f(pts[:, 0], pts[:, 1]) for f in self.map])

    def project(self, i: int, pts: np.ndarray, steps: int = 8) -> np.ndarray:
        """Newton steps onto the curve ``g_i = 0``, along the gradient of ``g_i``."""
        a, b = pts[:, 0].copy(), pts[:, 1].copy()
        for _ in range(steps):
            value, ga, gb = self.g[i](a, b), self.grad[i][0](a, b), self.grad[i][1](a, b)
            norm = ga * ga + gb * gb
            with np.errstate(all="ignore"):
                step = np.where(norm > 0, value / norm, 0.0)
            a, b = a - step * ga, b - step * gb
        return np.column_stack([a, b])

    def holds(self, i: int, pts: np.ndarray, tol: float = 1e-10) -> np.ndarray:
        """Where every condition other than the ``i``-th holds and the map is finite."""
        ok = np.isfinite(self.image(pts)).all(axis=1) & np.isfinite(pts).all(axis=1)
        for j, g in enumerate(self.g):
            if j != i:
                ok &= g(pts[:, 0], pts[:, 1]) >= -tol
        return ok

    def corner(self, i: int, inside: np.ndarray, outside: np.ndarray) -> np.ndarray:
        """Bisection along the curve ``g_i = 0`` to where another condition starts to fail."""
        for _ in range(48):
            middle = self.project(i, (inside + outside) / 2)
            ok = self.holds(i, middle)[:, None]
            inside, outside = np.where(ok, middle, inside), np.where(ok, outside, middle)
        return inside

    def pieces(self, i: int, box: list[tuple[float, float]], n: int) -> list[np.ndarray]:
        """The parts of the curve ``g_i = 0`` that bound the region, as arrays of points."""
        import contourpy

        a, b = np.meshgrid(np.linspace(*box[0], n), np.linspace(*box[1], n))
        z = np.ma.masked_invalid(self.g[i](a, b))
        out = []
        for line in contourpy.contour_generator(a, b, z).lines(0.0):
            line = self.project(i, np.asarray(line, dtype=float))
            ok = self.holds(i, line)
            for run in np.split(np.arange(len(line)), np.flatnonzero(np.diff(ok)) + 1):
                if not ok[run[0]] or len(run) < 2:
                    continue
                piece = line[run]
                if run[0] > 0:
                    piece = np.vstack([self.corner(i, line[run[:1]], line[run[:1] - 1]), piece])
                if run[-1] + 1 < len(line):
                    piece = np.vstack([piece, self.corner(i, line[run[-1:]], line[run[-1:] + 1])])
                out.append(piece)
        return out


def glued(image: np.ndarray, others: list[np.ndarray], scale: float) -> bool:
    """Whether an edge's image lies on the image of another edge (a seam, such as θ = 0 and 2π)."""
    for other in others:
        if len(other) < 2:
            continue
        spacing = float(np.max(np.hypot(*np.diff(other, axis=0).T)))
        d = np.min(np.hypot(image[:, None, 0] - other[None, :, 0],
                            image[:, None, 1] - other[None, :, 1]), axis=1)
        if float(np.max(d)) <= spacing + 1e-9 * scale:
            return True
    return False
