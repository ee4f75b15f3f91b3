"""The branches on a support: the one inversion asked for a map and a support, and a check
that the branches it gives cover the support.

``covering_branches(t, support)`` is what densities ask for: every real branch
``x = h(y)`` of the one inversion (``inversion``, whose strategies and
certificates every caller shares), each on its piece of the support, with
``|...|`` in the map split by sign first; ``check_coverage`` then tests at random
points of the support that some branch gives every point back, so a missing
branch is an error rather than a density that is too small.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import sympy as sp

from . import strategies
from .branches import InverseBranch, Options, build_branch
from .inversions import inversion
from ..domains.probe import rng_for
from ..domains import about_variables, abs_cases, flatten_conditions, real_conditions, substitute_conditions, tidy_conditions
from ..domains.signs import condition_function, sample_points, substitute_condition
from ..errors import DomainError, InversionError, SymjacTimeoutError
from ..transform import Transform

__all__ = ["Covering", "covering_branches", "check_coverage", "split_abs"]


@dataclass(frozen=True)
class Covering:
    """The branches of a map on a support, checked to cover it.

    Attributes:
        branches: One ``InverseBranch`` per piece: its transform goes from the map's outputs
            back to its inputs, its domain is the piece of the support it covers, and its
            certificate names the strategy that found it.
        dropped: How many branches of the inversion never meet the support.
    """

    branches: tuple[InverseBranch, ...]
    dropped: int


def split_abs(t: Transform) -> list[tuple[Transform, list[sp.Basic]]]:
    """The map without ``Abs`` of inputs: one piece per sign, with the sign as a condition."""
    return [(replace(t, exprs=exprs), conds) for exprs, conds in abs_cases(t.exprs, t.inputs)]


def covering_branches(t: Transform, support: Sequence[sp.Basic], timeout: float | None
                      ) -> Covering:
    """Every real branch of ``t`` on ``support``, from the one inversion, checked to cover it.

    The inversion is asked first for branches split by whole turns of an angle (half-planes
    for Box-Muller); a one-variable map whose branches do not cover the support is cut into
    monotone pieces before the gap is reported.

    Raises:
        InversionError: If no branch is found, or the branches miss points of the support.
        DomainError: If the map is not real on part of the support.

    >>> from symjac import Transform
    >>> t = Transform.from_equations("y = x**2")
    >>> for b in covering_branches(t, [t.inputs[0] > -1, t.inputs[0] < 2], 30).branches:
    ...     print(b.transform, "   by", b.certificate.strategy)
    x = sqrt(y)  on  y > 0, y < 4    by one variable
    x = -sqrt(y)  on  y > 0, y < 1    by one variable
    """
    try:
        return _covering(t, support, timeout, ("polar-type by turns",))
    except InversionError as first:
        if t.dims != (1, 1):
            raise
        try:
            return _covering(t, support, timeout, ("monotone pieces",))
        except InversionError:
            raise first from None


def _covering(t: Transform, support: Sequence[sp.Basic], timeout: float | None,
              prefer: tuple[str, ...]) -> Covering:
    branches: list[InverseBranch] = []
    dropped = 0
    for piece, extra in split_abs(t):
        # the map only matters on the support: tell the inversion so
        known = set(piece.domain)
        on_support = replace(piece, domain=piece.domain + tuple(
            c for c in flatten_conditions(list(support) + extra) if c not in known
            and c.free_symbols <= set(piece.inputs) | set(piece.parameters)))
        for b in _inverse_pieces(on_support, timeout, prefer):
            kept = _on_support(t, piece, b, list(support) + extra, timeout)
            if kept is None:
                dropped += 1
            else:
                branches.append(kept)
    check_coverage(t, support, branches, timeout)
    return Covering(tuple(branches), dropped)


def _inverse_pieces(t: Transform, timeout: float | None, prefer: tuple[str, ...]
                    ) -> tuple[InverseBranch, ...]:
    """The inversion's branches, one plain formula each; where it finds none, each formula
    SymPy's roots give whose certificate passes (the coverage check decides on them)."""
    try:
        return inversion(t, timeout=timeout, prefer=prefer).pieces
    except (InversionError, SymjacTimeoutError, NotImplementedError, RecursionError) as exc:
        error = exc
    finder = strategies.one_variable if len(t.inputs) == 1 else strategies.general
    try:
        candidates = finder(t)
    except (strategies.NotApplicable, NotImplementedError, ValueError, TypeError):
        raise error from None
    opts = Options(timeout, 0, 30)
    found = []
    for c in candidates:
        if any(v.has(sp.I, sp.nan, sp.zoo) for _, v in c.solution):
            continue
        try:
            b = build_branch(t, c, (), opts)
        except (ValueError, TypeError, NotImplementedError):
            continue
        if b.certificate.passed:
            found.append(replace(b, certificate=replace(b.certificate,
                                                        strategy="every root, checked for coverage")))
    if not found:
        raise error from None
    return tuple(found)


# strategies whose branch domains are the images of pieces of the (support's) domain
_EXACT_IMAGES = ("cubic", "monotone pieces")


def _on_support(t: Transform, piece: Transform, b: InverseBranch, carried: list[sp.Basic],
                timeout: float | None) -> InverseBranch | None:
    """The branch in the map's own output symbols on its piece of the support; None when it
    does not meet the support or does not give points back."""
    rename = {s: o for s in b.transform.inputs for o in t.outputs if s.name == o.name}
    inverse = {x: e.xreplace(rename) for x, e in zip(b.transform.outputs, b.transform.exprs)}
    own = substitute_conditions(b.transform.domain, rename, evaluate=False)
    if b.certificate.strategy in _EXACT_IMAGES:
        simplified = tuple(own)  # the image of a piece of the support, exact already
    else:
        conds = list(own) + list(substitute_conditions(carried, inverse, evaluate=False)) + \
            list(real_conditions(inverse.values(), t.outputs, odd_roots_real=True, nonzero=False))
        simplified = tidy_conditions(about_variables(conds, t.outputs), t.outputs,
                                     up_to_null_sets=True, timeout=timeout)
    if simplified == (sp.false,) or not _round_trip_ok(piece, inverse, simplified):
        return None
    branch = Transform(t.outputs, tuple(inverse[x] for x in t.inputs), t.inputs, simplified,
                       t.parameters)
    return replace(b, transform=branch, determinant=b.determinant.xreplace(rename), pieces=())


def _round_trip_ok(t: Transform, inverse: dict[sp.Symbol, sp.Expr], domain: Sequence[sp.Basic]) -> bool:
    """g(h(y)) == y at a few points of the branch's domain (False only on clear failure)."""
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


def check_coverage(t: Transform, source_support: Sequence[sp.Basic],
                   branches: Sequence[InverseBranch], timeout: float | None,
                   points: int = 40) -> None:
    """Every sampled point x of the support must come back from some branch at y = g(x).

    This catches branches an inversion could not find (``y = sin(x)`` on the
    whole line has infinitely many); the density would otherwise be too small.
    """
    values = _stand_ins(t, source_support)
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
            found |= _gives_back(t, b, values, xs, ys)
    except (ValueError, TypeError, NameError, ZeroDivisionError, OverflowError, KeyError):
        return  # the check could not run; the numeric verification still will
    _require_real_map(t, xs, ys)
    missing = np.isfinite(ys).all(axis=1) & ~found
    if missing.any():
        x0 = xs[np.argmax(missing)]
        at = ", ".join(f"{v} = {c:.4g}" for v, c in zip(t.inputs, x0))
        raise InversionError(
            f"the {len(branches)} inverse branch{'es' * (len(branches) != 1)} found for {t} do not "
            f"cover the support: at {at} no branch gives the point back from its image, so the map "
            "has more branches than could be found (a periodic map, or roots without a closed "
            "form). Restrict the support to where the map is simpler (e.g. one period).",
            value=t, tried=("invert", "coverage check"))


def _stand_ins(t: Transform, support: Sequence[sp.Basic]) -> dict[sp.Symbol, sp.Float]:
    """Numbers for the parameters: 1.3 for those known not negative, 0.4 for the others."""
    params = sorted(set().union(*(c.free_symbols for c in support), *(
        e.free_symbols for e in t.exprs)) - set(t.inputs), key=str)
    return {p: sp.Float(1.3) if (p.is_positive or p.is_nonnegative) else sp.Float(0.4)
            for p in params}


def _gives_back(t: Transform, b: InverseBranch, values, xs: np.ndarray, ys: np.ndarray
                ) -> np.ndarray:
    """Which points ``xs`` the branch gives back from their images ``ys`` inside its domain."""
    h = sp.lambdify(t.outputs, [e.xreplace(values) for e in b.transform.exprs],
                    modules=["scipy", "numpy"])  # scipy: LambertW and other specials
    domain = [substitute_condition(c, values) for c in b.transform.domain]
    try:
        inside = condition_function(t.outputs, domain)(ys)
    except NameError:  # no NumPy version of a function in it (LambertW): ask SymPy
        inside = np.array([_holds_at(domain, t.outputs, row) for row in ys], dtype=bool)
    with np.errstate(all="ignore"):
        back = np.column_stack([np.broadcast_to(np.asarray(c, dtype=complex), (len(xs),))
                                for c in h(*ys.T.astype(complex))])
    return np.all(np.abs(back - xs) <= 1e-6 * np.maximum(1.0, np.abs(xs)), axis=1) & inside


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
