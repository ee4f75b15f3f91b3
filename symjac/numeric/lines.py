"""Where a line crosses a region given by inequalities: the pieces of the line inside it.

Integrating over ``x**2 <= y <= 2*x**2, ...`` one line at a time needs the
pieces of each line that lie in the region. Testing the region's indicator on a
grid finds every crossing between two grid points of different sides, but a
piece thinner than one grid cell (near a corner or a tangency) falls between
grid points and is lost, which biases the integral while the quadrature's own
error estimate stays small. So the conditions are also turned into a
continuous *margin*, positive inside and negative outside
(``a <= b`` gives ``b - a``; ``And`` the minimum, ``Or`` the maximum), and
wherever the margin has a local maximum below zero (or a local minimum above
zero) on the grid, the neighbouring cells are searched for the hidden piece
(or the hidden gap) before the line is cut.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import sympy as sp

__all__ = ["margin_function", "line_pieces"]

Margin = Callable[[np.ndarray], np.ndarray]


def margin_function(symbols: Sequence[sp.Symbol], conditions: Sequence[sp.Basic]) -> Margin | None:
    """A NumPy function of rows of points, positive inside the region, negative outside.

    Returns None when a condition is not made of comparisons joined by
    ``And``/``Or``/``Not`` (then only the indicator can be used).

    >>> import numpy as np, sympy as sp
    >>> x, y = sp.symbols("x y", real=True)
    >>> m = margin_function((x, y), [x**2 + y**2 <= 1, y >= 0])
    >>> m(np.array([[0.0, 0.5], [0.0, -0.5], [2.0, 0.0]])).tolist()
    [0.5, -0.5, -3.0]
    """
    symbols = tuple(symbols)
    try:
        parts = [_margin(c, symbols) for c in conditions if c is not sp.true]
    except _Unsupported:
        return None

    def margin(points: np.ndarray) -> np.ndarray:
        points = np.atleast_2d(points)
        out = np.full(len(points), np.inf)
        cols = points.T
        with np.errstate(all="ignore"):
            for part in parts:
                out = np.minimum(out, part(cols))
        return np.where(np.isnan(out), -np.inf, out)

    return margin


class _Unsupported(Exception):
    pass


def _margin(cond: sp.Basic, symbols: tuple[sp.Symbol, ...]) -> Callable[[np.ndarray], np.ndarray]:
    if cond is sp.true:
        return lambda cols: np.full(cols.shape[1], np.inf)
    if cond is sp.false:
        return lambda cols: np.full(cols.shape[1], -np.inf)
    if isinstance(cond, (sp.And, sp.Or)):
        parts = [_margin(c, symbols) for c in cond.args]
        combine = np.minimum if isinstance(cond, sp.And) else np.maximum

        def joined(cols: np.ndarray) -> np.ndarray:
            out = parts[0](cols)
            for p in parts[1:]:
                out = combine(out, p(cols))
            return out
        return joined
    if isinstance(cond, sp.Not):
        inner = _margin(cond.args[0], symbols)
        return lambda cols: -inner(cols)
    if isinstance(cond, (sp.Lt, sp.Le)):
        diff = cond.rhs - cond.lhs
    elif isinstance(cond, (sp.Gt, sp.Ge)):
        diff = cond.lhs - cond.rhs
    elif isinstance(cond, sp.Eq):
        diff = -sp.Abs(cond.lhs - cond.rhs)
    elif isinstance(cond, sp.Ne):
        diff = sp.Abs(cond.lhs - cond.rhs)
    else:
        raise _Unsupported
    fn = sp.lambdify(symbols, diff, modules="numpy")

    def part(cols: np.ndarray) -> np.ndarray:
        value = np.asarray(fn(*cols))
        if value.dtype.kind == "c":
            value = np.where(value.imag == 0, value.real, np.nan)
        return np.broadcast_to(value.astype(float), (cols.shape[1],))
    return part


def line_pieces(inside: Margin, line: np.ndarray, outer: Sequence[float], *, width: int,
                margin: Margin | None = None) -> list[tuple[float, float]]:
    """The pieces ``(a, b)`` of a line (first coordinate varying) that lie in the region.

    Args:
        inside: Indicator of the region, on rows of points (used when ``margin`` is None).
        line: Grid of the first coordinate, from the box's lower to upper end.
        outer: The values of the other coordinates on this line.
        width: Number of coordinates of a point.
        margin: The region's margin function (see ``margin_function``), or None.

    >>> import numpy as np, sympy as sp
    >>> x, y = sp.symbols("x y", real=True)
    >>> m = margin_function((x, y), [sp.Abs(x - sp.Rational(3, 10)) <= sp.Rational(1, 10**5)])
    >>> line = np.linspace(0.0, 1.0, 9)          # grid cells of 1/8, the strip is 2e-5 wide
    >>> [(round(a, 6), round(b, 6)) for a, b in line_pieces(None, line, (0.5,), width=2, margin=m)]
    [(0.29999, 0.30001)]
    """
    pts = np.empty((len(line), width))
    pts[:, 0] = line
    pts[:, 1:] = outer

    if margin is None:
        def test(rows: np.ndarray) -> np.ndarray:
            return inside(rows)
        values = None
        flags = test(pts)
    else:
        def test(rows: np.ndarray) -> np.ndarray:
            return margin(rows) > 0
        values = margin(pts)
        flags = values > 0
    if flags.all() and values is None:
        return [(float(line[0]), float(line[-1]))]
    change = np.nonzero(flags[1:] != flags[:-1])[0]
    cuts = _bisect(test, pts[change], pts[change + 1], flags[change])
    if values is not None:
        cuts += _hidden(margin, pts, values)
    cuts = sorted(c for c in set(cuts) if line[0] < c < line[-1])
    edges = [float(line[0]), *cuts, float(line[-1])]
    mids = np.empty((len(edges) - 1, width))
    mids[:, 0] = [(a + b) / 2 for a, b in zip(edges[:-1], edges[1:])]
    mids[:, 1:] = outer
    keep = test(mids)
    pieces: list[tuple[float, float]] = []
    for a, b, k in zip(edges[:-1], edges[1:], keep):
        if not k or b <= a:
            continue
        if pieces and pieces[-1][1] == a:
            pieces[-1] = (pieces[-1][0], b)
        else:
            pieces.append((a, b))
    return pieces


def _hidden(margin: Margin, pts: np.ndarray, m: np.ndarray, k: int = 16) -> list[float]:
    """Crossings of pieces (or gaps) thinner than a grid cell, near local extrema of the margin."""
    n = len(m)
    if n < 2:
        return []
    left = np.concatenate(([-np.inf], m[:-1]))
    right = np.concatenate((m[1:], [-np.inf]))
    peak = (m <= 0) & (m >= left) & (m >= right) & ((m > left) | (m > right)) & np.isfinite(m)
    left_v = np.concatenate(([np.inf], m[:-1]))
    right_v = np.concatenate((m[1:], [np.inf]))
    dip = (m > 0) & (m <= left_v) & (m <= right_v) & ((m < left_v) | (m < right_v))
    # the margin can rise within the two cells by about its change between grid points (a
    # kink: once; a smooth peak: far less); extrema far from zero cannot hide a piece
    step = np.abs(np.diff(m))
    step = np.where(np.isfinite(step), step, 0.0)
    change = np.maximum(np.concatenate(([0.0], step)), np.concatenate((step, [0.0])))
    peak &= m + 4 * change >= 0
    dip &= m - 4 * change <= 0
    cuts: list[float] = []
    for idx, sign in ((np.nonzero(peak)[0], 1.0), (np.nonzero(dip)[0], -1.0)):
        if len(idx) == 0:
            continue
        lo = pts[np.maximum(idx - 1, 0)]
        hi = pts[np.minimum(idx + 1, n - 1)]
        found = _zoom(lambda rows: sign * margin(rows), lo, hi, k)
        for row, a_row, b_row in zip(found, lo, hi):
            if row is None:
                continue
            start = a_row[None, :]
            mid = row[None, :]
            end = b_row[None, :]
            flag = np.array([sign < 0])  # the window's ends lie on the other side from `row`

            def test(rows: np.ndarray) -> np.ndarray:
                return margin(rows) > 0
            cuts += _bisect(test, start, mid, flag) + _bisect(test, mid, end, ~flag)
    return cuts


def _zoom(f: Margin, lo: np.ndarray, hi: np.ndarray, k: int) -> list[np.ndarray | None]:
    """For each window [lo_i, hi_i] (rows differing in the first coordinate), a row where
    ``f > 0``, found by repeatedly sampling ``k`` points and zooming in around the best one;
    None when the maximum stays at or below zero."""
    a, b = lo[:, 0].copy(), hi[:, 0].copy()
    rows = np.repeat(lo, k + 1, axis=0)
    found: list[np.ndarray | None] = [None] * len(a)
    todo = np.arange(len(a))
    fractions = np.linspace(0.0, 1.0, k + 1)
    for _ in range(20):
        if len(todo) == 0:
            break
        xs = a[todo, None] + (b - a)[todo, None] * fractions[None, :]
        sub = rows[: len(todo) * (k + 1)]
        sub[:] = np.repeat(lo[todo], k + 1, axis=0)
        sub[:, 0] = xs.ravel()
        vals = f(sub).reshape(xs.shape)
        best = np.argmax(vals, axis=1)
        hit = vals[np.arange(len(todo)), best] > 0
        for j in np.nonzero(hit)[0]:
            row = lo[todo[j]].copy()
            row[0] = xs[j, best[j]]
            found[todo[j]] = row
        a[todo] = xs[np.arange(len(todo)), np.maximum(best - 1, 0)]
        b[todo] = xs[np.arange(len(todo)), np.minimum(best + 1, k)]
        narrow = np.abs(b[todo] - a[todo]) <= 4 * np.finfo(float).eps * np.maximum(np.abs(a[todo]), 1.0)
        todo = todo[~hit & ~narrow]
    return found


def _bisect(test: Callable[[np.ndarray], np.ndarray], p: np.ndarray, q: np.ndarray,
            p_inside: np.ndarray, k: int = 16) -> list[float]:
    """Boundary crossings between rows p and q (differing in the first coordinate).

    Each bracket is cut into ``k`` parts at once, for all brackets together, until
    it is as narrow as floating point allows.
    """
    if len(p) == 0:
        return []
    a, b = p[:, 0].copy(), q[:, 0].copy()
    fractions = np.linspace(0.0, 1.0, k + 1)[1:-1]
    rows = np.repeat(p, len(fractions), axis=0)
    for _ in range(20):
        width = b - a
        if np.all(np.abs(width) <= 4 * np.finfo(float).eps * np.maximum(np.abs(a), 1.0)):
            break
        xs = a[:, None] + width[:, None] * fractions[None, :]
        rows[:, 0] = xs.ravel()
        same = (test(rows).reshape(xs.shape) == p_inside[:, None])
        # the last sub-point still on p's side, in each bracket
        last = np.where(same.any(axis=1), len(fractions) - 1 - np.argmax(same[:, ::-1], axis=1), -1)
        new_a = np.where(last >= 0, xs[np.arange(len(a)), np.maximum(last, 0)], a)
        nxt = last + 1
        new_b = np.where(nxt < len(fractions), xs[np.arange(len(a)), np.minimum(nxt, len(fractions) - 1)], b)
        a, b = new_a, new_b
    return [float(v) for v in 0.5 * (a + b)]
