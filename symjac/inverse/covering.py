"""The inverse branches a density needs: found, checked, and complete on the support.

``inverse_branches(t)`` returns every real branch ``x = h(y)`` with its
domain, from ``invert`` or, for maps of the polar type ``(R cos Θ, R sin Θ)``
such as Box-Muller, from the radius and angle. ``split_abs`` cuts a map with
``|...|`` into pieces without it; ``round_trip_ok`` and ``check_coverage``
test the branches at random points, so a missing branch is an error rather
than a density that is too small.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import numpy as np
import sympy as sp

from ..domains.probe import rng_for
from ..domains import abs_cases, flatten_conditions, real_conditions, substitute_conditions, tidy_conditions
from ..domains.signs import substitute_condition
from ..errors import DomainError, InversionError, SymjacTimeoutError
from ..timeouts import time_limit
from ..transform import Transform

__all__ = ["split_abs", "inverse_branches", "round_trip_ok", "check_coverage"]


def split_abs(t: Transform) -> list[tuple[Transform, list[sp.Basic]]]:
    """The map without ``Abs`` of inputs: one piece per sign, with the sign as a condition."""
    return [(replace(t, exprs=exprs), conds) for exprs, conds in abs_cases(t.exprs, t.inputs)]


def inverse_branches(t: Transform, timeout: float | None
                      ) -> list[tuple[dict[sp.Symbol, sp.Expr], list[sp.Basic]]]:
    """``[(x -> h(y), domain)]`` for every real branch of ``t``, in ``t.outputs``."""
    polar = _polar_branches(t, timeout)
    if polar is not None:
        return polar
    try:
        from .inversions import invert
    except ImportError:
        invert = None
    error: Exception | None = None
    if invert is not None:
        try:
            branches = invert(t, timeout=timeout, pieces=True)
        except (InversionError, SymjacTimeoutError, NotImplementedError, RecursionError) as exc:
            error = exc
        else:
            out = []
            for b in branches:
                rename = {s: o for s in b.inputs for o in t.outputs if s.name == o.name}
                by_x = {x.name: e.xreplace(rename) for x, e in zip(b.outputs, b.exprs)}
                out.append(({x: by_x[x.name] for x in t.inputs},
                            list(substitute_conditions(b.domain, rename, evaluate=False))))
            return out
    try:
        return _solve_branches(t, timeout)
    except InversionError:
        if error is not None:
            raise error from None
        raise


def _polar_branches(t: Transform, timeout: float | None
                    ) -> list[tuple[dict[sp.Symbol, sp.Expr], list[sp.Basic]]] | None:
    """Branches of ``(R cos Θ, R sin Θ)`` with ``R >= 0``: invert ``(R, Θ)``, then polar coordinates.

    The angle is ``atan2(y2, y1) + 2πk``; each ``k`` whose branch meets the
    domain is kept (for Box-Muller, ``k = 0`` on ``y2 > 0`` and ``k = 1`` on ``y2 < 0``).
    """
    from ..domains.signs import sign_on

    if t.dims != (2, 2):
        return None
    e1, e2 = t.exprs
    for atom in e1.atoms(sp.cos):
        angle = atom.args[0]
        if not angle.free_symbols & set(t.inputs):
            continue
        radius = sp.cancel(e1 / atom)
        if radius.has(sp.cos(angle), sp.sin(angle)) or not (e2 - radius * sp.sin(angle)).equals(0):
            continue
        roots_or_positive = all(
            f.is_positive or (isinstance(f, sp.Pow) and f.exp.is_Rational and f.exp.q % 2 == 0)
            for f in sp.Mul.make_args(radius))  # principal even roots are >= 0 where real
        if not (roots_or_positive or sign_on(radius, t.domain).is_nonnegative):
            continue
        rho, phi = sp.Symbol("rho_", positive=True), sp.Symbol("phi_", real=True)
        inner = Transform(t.inputs, (radius, angle), (rho, phi), t.domain, t.parameters)
        try:
            inner_branches = inverse_branches(inner, timeout)
        except (InversionError, SymjacTimeoutError):
            return None
        y1, y2 = t.outputs
        out = []
        for k in range(-2, 3):
            at = {rho: sp.sqrt(y1 ** 2 + y2 ** 2), phi: sp.atan2(y2, y1) + 2 * sp.pi * k}
            for inverse, domain in inner_branches:
                mapping = {x: e.xreplace(at) for x, e in inverse.items()}
                conds = list(substitute_conditions(domain, at, evaluate=False)) + list(
                    substitute_conditions([sp.Gt(rho, 0, evaluate=False)] + list(t.domain), mapping,
                                          evaluate=False))
                if tidy_conditions(conds, t.outputs, up_to_null_sets=True,
                                   timeout=timeout) != (sp.false,):
                    out.append((mapping, conds))
        return out or None
    return None


def _solve_branches(t: Transform, timeout: float | None
                    ) -> list[tuple[dict[sp.Symbol, sp.Expr], list[sp.Basic]]]:
    eqs = [sp.Eq(y, e) for y, e in zip(t.outputs, t.exprs)]
    try:
        with time_limit(timeout, f"inverting {t}"):
            solutions = sp.solve(eqs, list(t.inputs), dict=True)
    except (NotImplementedError, RecursionError, ValueError, TypeError) as exc:
        raise InversionError(f"could not invert {t} for ({', '.join(map(str, t.inputs))}): {exc}. "
                             "Give the map in the other direction (the old variables in terms "
                             "of the new ones) or restrict its domain.", value=t,
                             tried=("sympy.solve",)) from None
    out = []
    for sol in solutions:
        if set(sol) != set(t.inputs) or any(e.has(sp.I, sp.nan, sp.zoo) for e in sol.values()):
            continue
        if any(set(t.inputs) & e.free_symbols for e in sol.values()):
            continue
        out.append((dict(sol), list(real_conditions(sol.values(), t.outputs, odd_roots_real=True,
                                                    nonzero=False))))
    if not out:
        raise InversionError(f"no real inverse of {t} was found. Give the map in the other "
                             "direction (old variables in terms of new ones) or restrict its "
                             "domain.", value=t, tried=("sympy.solve",))
    return out


def round_trip_ok(t: Transform, inverse: dict[sp.Symbol, sp.Expr], domain: Sequence[sp.Basic]) -> bool:
    """g(h(y)) == y at a few points of the branch's domain (False only on clear failure)."""
    from ..domains.signs import sample_points

    params = sorted(set().union(*(e.free_symbols for e in inverse.values())) - set(t.outputs), key=str)
    values = {p: sp.Float(1.3) if p.is_positive or p.is_nonnegative else sp.Float(0.4) for p in params}
    dom = [c.xreplace(values) if not isinstance(c, sp.Rel) else
           c.func(c.lhs.xreplace(values), c.rhs.xreplace(values)) for c in domain]
    if any(c is sp.false for c in dom):
        return True
    try:
        pts = sample_points(t.outputs, [c for c in dom if c is not sp.true], 5,
                            rng=rng_for("round trip"))
    except (ValueError, TypeError, NameError):  # NameError: no NumPy version (LambertW)
        return True
    for row in pts:
        at = dict(zip(t.outputs, (sp.Float(v) for v in row)))
        at.update(values)
        xs = {x: e.xreplace(at) for x, e in inverse.items()}
        xs.update(values)
        for y, g in zip(t.outputs, t.exprs):
            back = complex(sp.N(g.xreplace(xs)))
            if abs(back - complex(at[y])) > 1e-8 * max(1.0, abs(complex(at[y]))):
                return False
    return True



def _holds_at(conditions: Sequence[sp.Basic], variables: Sequence[sp.Symbol], row) -> bool:
    at = {v: sp.Float(float(c)) for v, c in zip(variables, row)}
    try:
        return all(bool(substitute_condition(c, at).doit()) for c in conditions)
    except (TypeError, ValueError):
        return False


def check_coverage(t: Transform, source_support: Sequence[sp.Basic], branches: Sequence[Any],
                    timeout: float | None, points: int = 40) -> None:
    """Every sampled point x of the support must come back from some branch at y = g(x).

    This catches branches an inversion could not find (``y = sin(x)`` on the
    whole line has infinitely many); the density would otherwise be too small.
    """
    from ..domains.signs import condition_function, sample_points

    params = sorted(set().union(*(c.free_symbols for c in source_support), *(
        e.free_symbols for e in t.exprs)) - set(t.inputs), key=str)
    values = {p: sp.Float(1.3) if (p.is_positive or p.is_nonnegative) else sp.Float(0.4)
              for p in params}
    support = [substitute_condition(c, values) for c in flatten_conditions(source_support)]
    support = [c for c in support if c.free_symbols]
    try:
        xs = sample_points(t.inputs, support, points, rng=rng_for("coverage"))
        g = sp.lambdify(t.inputs, [e.xreplace(values) for e in t.exprs], modules=["scipy", "numpy"])
        with np.errstate(all="ignore"):
            ys = np.column_stack([np.broadcast_to(np.asarray(c, dtype=float), (len(xs),))
                                  for c in g(*xs.T)])
        found = np.zeros(len(xs), dtype=bool)
        for b in branches:
            h = sp.lambdify(t.outputs, [e.xreplace(values) for _, e in b.inverse],
                            modules=["scipy", "numpy"])  # scipy: LambertW and other specials
            domain = [substitute_condition(c, values) for c in b.domain]
            try:
                inside = condition_function(t.outputs, domain)(ys)
            except NameError:  # no NumPy version of a function in it (LambertW): ask SymPy
                inside = np.array([_holds_at(domain, t.outputs, row) for row in ys], dtype=bool)
            with np.errstate(all="ignore"):
                back = np.column_stack([np.broadcast_to(np.asarray(c, dtype=complex), (len(xs),))
                                        for c in h(*ys.T.astype(complex))])
            close = np.all(np.abs(back - xs) <= 1e-6 * np.maximum(1.0, np.abs(xs)), axis=1)
            found |= close & inside
    except (ValueError, TypeError, NameError, ZeroDivisionError, OverflowError, KeyError):
        return  # the check could not run; the numeric verification still will
    _require_real_map(t, xs, ys)
    ok = np.isfinite(ys).all(axis=1)
    missing = ok & ~found
    if missing.any():
        x0 = xs[np.argmax(missing)]
        at = ", ".join(f"{v} = {c:.4g}" for v, c in zip(t.inputs, x0))
        raise InversionError(
            f"the {len(branches)} inverse branch{'es' * (len(branches) != 1)} found for {t} do not "
            f"cover the support: at {at} no branch gives the point back from its image, so the map "
            "has more branches than could be found (a periodic map, or roots without a closed "
            "form). Restrict the support to where the map is simpler (e.g. one period).",
            value=t, tried=("invert", "coverage check"))


def _require_real_map(t: Transform, xs: np.ndarray, ys: np.ndarray) -> None:
    """Refuse a map that has no real value at sampled points of the support (``y = sqrt(x)``
    where ``x < 0``): that probability would be lost without a word."""
    not_real = np.isnan(ys).any(axis=1)
    if not_real.any():
        x0 = xs[np.argmax(not_real)]
        at = ", ".join(f"{v} = {c:.4g}" for v, c in zip(t.inputs, x0))
        needs = real_conditions(t.exprs, t.inputs, odd_roots_real=True, nonzero=False)
        raise DomainError(
            f"the map {t} has no real value at {at}, which is in the support of the density, "
            "so part of the probability would be lost and the result would not be a density. "
            "Restrict the support to where the map is real"
            + (f" ({', '.join(map(str, needs))})" if needs else "") + ".",
            value=t, expected="a map that is real on the whole support")
