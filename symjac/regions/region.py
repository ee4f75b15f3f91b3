"""Regions of integration: iterated bounds, boxes and inequality sets, and how they move.

A ``Region`` is a set in named variables, always described by inequalities and,
when they could be found, by iterated bounds (innermost variable first) that
SymPy and SciPy integrate directly. ``preimage`` carries a region through a
parametrisation ``x = g(u)``; ``image`` carries it through a substitution
``u = h(x)``, one piece per inverse branch.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import sympy as sp

from .bounds import EMPTY, Bound, _flatten, derive_bounds
from ..result import Result
from ..domains.absolute import drop_known_abs, unfold_abs_bound
from ..domains.conditions import real_conditions, roots_compared
from ..domains.signs import Sign, condition_function, sample_points, sign_on, substitute_condition
from ..errors import DimensionError, DomainError, ParseError, SymjacTimeoutError
from ..parsing import parse_conditions, parse_expression, parse_symbols, symbols_from_conditions
from ..timeouts import DEFAULT_TIMEOUT, time_limit
from ..transform import Transform

__all__ = ["Region"]



@dataclass(frozen=True)
class Region(Result):
    """A region in ``variables``, given by inequalities and, when known, iterated bounds.

    Attributes:
        variables: The variables of the region, in a fixed order.
        conditions: Inequalities that all hold in the region (its full description).
        bounds: Iterated bounds ``((var, lower, upper), ...)``, innermost first;
            a bound may depend on the variables after it. ``None`` when no
            iterated form was found (the region still integrates numerically).
        note: Why there are no iterated bounds, in words (empty otherwise).

    >>> from symjac import Region
    >>> R = Region.from_inequalities("x**2 + y**2 <= 1, y >= 0", variables="x y")
    >>> R.bounds
    ((x, -sqrt(1 - y**2), sqrt(1 - y**2)), (y, 0, 1))
    """

    variables: tuple[sp.Symbol, ...]
    conditions: tuple[sp.Basic, ...]
    bounds: tuple[Bound, ...] | None = None
    note: str = ""

    # ------------------------------------------------------------------ construction

    @classmethod
    def from_bounds(cls, bounds: Sequence[Sequence[object]], *,
                    symbols: Mapping[str, sp.Symbol] | None = None) -> Region:
        """A region from iterated bounds ``[(x, lo, hi), (y, lo, hi)]``, innermost first.

        Bounds may be numbers, SymPy expressions or text, and may depend on the
        variables listed after them (``[("y", 0, "x"), ("x", 0, 1)]`` is a triangle).

        Raises:
            DomainError: If a bound depends on its own or an inner variable.

        >>> from symjac import Region
        >>> Region.from_bounds([("y", 0, "x"), ("x", 0, 1)]).conditions
        (0 <= y, y <= x, 0 <= x, x <= 1)
        """
        symbols = dict(symbols or {})
        names = []
        for item in bounds:
            if len(item) != 3:
                raise DomainError(f"the bound {item!r} is not (variable, lower, upper).", value=item,
                                  hint="Write each bound as (x, 0, 1), innermost variable first.")
            var = item[0]
            names.append(var.name if isinstance(var, sp.Symbol) else str(var))
            if isinstance(var, sp.Symbol):
                symbols.setdefault(var.name, var)
        for name in names:
            symbols.setdefault(name, sp.Symbol(name, real=True))
        out: list[Bound] = []
        for k, (var, lo, hi) in enumerate(bounds):
            v = symbols[names[k]]
            lo_e, hi_e = (_read(b, symbols) for b in (lo, hi))
            inner = {symbols[n] for n in names[:k + 1]}
            bad = (lo_e.free_symbols | hi_e.free_symbols) & inner
            if bad:
                raise DomainError(
                    f"the bounds of {v} ({lo_e}, {hi_e}) use {', '.join(sorted(map(str, bad)))}; "
                    "a bound may only use the variables integrated after it (outer variables).",
                    value=(lo, hi), hint="List bounds innermost first, e.g. [(y, 0, x), (x, 0, 1)].")
            out.append((v, lo_e, hi_e))
        conditions = _bound_conditions(out)
        return cls(tuple(b[0] for b in out), tuple(conditions), tuple(out))

    @classmethod
    def box(cls, ranges: Mapping[object, Sequence[object]]) -> Region:
        """A box ``{x: (0, 1), y: (0, 2)}``.

        >>> from symjac import Region
        >>> Region.box({"x": (0, 1), "y": (-1, 1)}).bounds
        ((x, 0, 1), (y, -1, 1))
        """
        return cls.from_bounds([(k, lo, hi) for k, (lo, hi) in ranges.items()])

    @classmethod
    def from_integral(cls, integral: sp.Integral) -> Region:
        """The region of a definite SymPy ``Integral`` (its limits, innermost first).

        Raises:
            DomainError: If a variable has no limits (an indefinite integral).
        """
        bounds = []
        for limit in integral.limits:
            if len(limit) != 3:
                raise DomainError(
                    f"the integral over {limit[0]} has no limits; a change of variables needs a "
                    "definite integral or a region.", value=integral,
                    hint="Write limits like Integral(f, (x, 0, 1)) or pass region=...")
            bounds.append(limit)
        return cls.from_bounds(bounds)

    @classmethod
    def from_inequalities(cls, conditions: str | Sequence[object], *, variables: object = None,
                          symbols: Mapping[str, sp.Symbol] | None = None,
                          timeout: float | None = DEFAULT_TIMEOUT) -> Region:
        """A region from inequalities such as ``"1 <= x**2/y <= 4, x > 0, y > 0"``.

        Args:
            conditions: Text, or a list of SymPy relationals.
            variables: The region's variables (``"x y"``); other names are parameters.
                Defaults to all names, in alphabetical order.
            symbols: Symbols to use for given names.
            timeout: Seconds allowed for finding iterated bounds.

        Iterated bounds are derived when possible (boxes, linear regions,
        bounds monotone in one variable); otherwise ``bounds`` is ``None`` and
        ``note`` says why.

        >>> from symjac import Region
        >>> Region.from_inequalities("0 <= x + y <= 2, 0 <= x - y <= 2", variables="x y").bounds
        ((x, Max(-y, y), Min(2 - y, y + 2)), (y, -1, 1))
        """
        symbols = dict(symbols or {})
        if isinstance(conditions, str):
            conds = list(parse_conditions(conditions, symbols=symbols or None))
        else:
            conds = []
            for c in conditions:
                conds.extend(parse_conditions(c, symbols=symbols or None) if isinstance(c, str) else [c])
        if not conds:
            raise DomainError("no inequalities were given for the region.", value=conditions,
                              hint="Write them like '0 <= x <= 1, x**2 + y**2 <= 4'.")
        free = set().union(*(c.free_symbols for c in conds))
        wanted = parse_symbols(variables) if variables is not None else \
            tuple(sorted(free, key=lambda s: s.name))
        names = [s.name for s in wanted]
        assumed = symbols_from_conditions(names + [s.name for s in free if s.name not in names],
                                          conds)
        assumed.update({n: s for n, s in symbols.items()})
        mapping = {s: assumed[s.name] for s in free}
        conds = [substitute_condition(c, mapping) for c in conds]
        vars_ = tuple(assumed[n] for n in names)
        return cls.from_conditions(vars_, conds, timeout=timeout)

    @classmethod
    def from_conditions(cls, variables: Sequence[sp.Symbol], conditions: Sequence[sp.Basic], *,
                        timeout: float | None = DEFAULT_TIMEOUT) -> Region:
        """A region from SymPy conditions in ``variables``; iterated bounds are derived when possible."""
        variables = tuple(variables)
        conds = [part for c in _flatten(conditions) for part in unfold_abs_bound(c)]
        if any(c is sp.false for c in conds):
            return cls(variables, (sp.false,), None, "the conditions contradict each other (empty region)")
        bounds, note = derive_bounds(variables, conds, timeout=timeout)
        if note == EMPTY:
            return cls(variables, (sp.false,), None, note)
        return cls(variables, tuple(conds), bounds, note)

    @classmethod
    def whole_space(cls, variables: Sequence[sp.Symbol]) -> Region:
        """All of R^n in ``variables``."""
        variables = tuple(variables)
        return cls(variables, (), tuple((v, -sp.oo, sp.oo) for v in variables))

    # ------------------------------------------------------------------ views

    @property
    def dimension(self) -> int:
        return len(self.variables)

    @property
    def is_empty(self) -> bool:
        """True when the region was found to be empty."""
        return any(c is sp.false for c in self.conditions)

    @property
    def parameters(self) -> tuple[sp.Symbol, ...]:
        """Symbols other than the variables that the region uses (``R`` in ``x**2 + y**2 <= R**2``)."""
        free = set().union(*(c.free_symbols for c in self.conditions)) if self.conditions else set()
        if self.bounds:
            for _, lo, hi in self.bounds:
                free |= lo.free_symbols | hi.free_symbols
        return tuple(sorted(free - set(self.variables), key=str))

    def limits(self) -> tuple[tuple[sp.Symbol, sp.Expr, sp.Expr], ...]:
        """Iterated bounds as SymPy ``Integral`` limits.

        Raises:
            DomainError: If the region has no iterated bounds.
        """
        if self.bounds is None:
            raise DomainError(f"no iterated bounds are known for the region {self}: {self.note}",
                              value=self, hint="Integrate it numerically with evalf().")
        return self.bounds

    def rename(self, symbols: Mapping[str, sp.Symbol]) -> Region:
        """The same region with variables replaced by the symbols of the same names."""
        mapping = {}
        for s in set(self.variables) | set(self.parameters):
            if s.name in symbols and symbols[s.name] != s:
                mapping[s] = symbols[s.name]
        if not mapping:
            return self
        bounds = None if self.bounds is None else tuple(
            (mapping.get(v, v), lo.xreplace(mapping), hi.xreplace(mapping)) for v, lo, hi in self.bounds)
        return Region(tuple(mapping.get(v, v) for v in self.variables),
                      tuple(substitute_condition(c, mapping) for c in self.conditions), bounds, self.note)

    def contains(self, points: np.ndarray, values: Mapping[sp.Symbol, float] | None = None
                 ) -> np.ndarray:
        """Which rows of ``points`` (columns in ``variables`` order) lie in the region."""
        conds = [substitute_condition(c, dict(values or {})) for c in self.conditions]
        conds = [c for c in conds if c is not sp.true]
        if any(c is sp.false for c in conds):
            return np.zeros(len(np.atleast_2d(points)), dtype=bool)
        return condition_function(self.variables, conds)(points)

    def sample(self, n: int, *, rng: np.random.Generator,
               values: Mapping[sp.Symbol, float] | None = None) -> np.ndarray:
        """About ``n`` points of the region (rows), drawn with ``rng``; not uniform, but covering it."""
        values = dict(values or {})
        if self.bounds is None:
            conds = [substitute_condition(c, values) for c in self.conditions]
            return sample_points(self.variables, [c for c in conds if c is not sp.true], n, rng=rng)
        n_vars = len(self.bounds)
        columns: dict[sp.Symbol, np.ndarray] = {}
        for k in range(n_vars - 1, -1, -1):
            v, lo, hi = self.bounds[k]
            outer = [b[0] for b in self.bounds[k + 1:]]
            lo_v = _evaluate(lo.xreplace(values), outer, columns, n)
            hi_v = _evaluate(hi.xreplace(values), outer, columns, n)
            columns[v] = _between(lo_v, hi_v, rng)
        points = np.column_stack([columns[v] for v in self.variables])
        with np.errstate(all="ignore"):
            keep = np.all(np.isfinite(points), axis=1)
        return points[keep]

    def with_values(self, values: Mapping[object, float], *,
                    timeout: float | None = DEFAULT_TIMEOUT) -> Region:
        """The region with numbers for its parameters (bounds derived again)."""
        named = {(k.name if isinstance(k, sp.Symbol) else str(k)): v for k, v in values.items()}
        mapping = {p: sp.nsimplify(named[p.name]) for p in self.parameters if p.name in named}
        if not mapping:
            return self
        conds = [substitute_condition(c, mapping) for c in self.conditions]
        if self.bounds is not None:
            bounds = tuple((v, lo.xreplace(mapping), hi.xreplace(mapping)) for v, lo, hi in self.bounds)
            return Region(self.variables, tuple(c for c in conds if c is not sp.true), bounds)
        if any(c is sp.false for c in conds):
            return Region(self.variables, (sp.false,), None, EMPTY)
        return Region.from_conditions(self.variables, [c for c in conds if c is not sp.true],
                                      timeout=timeout)

    def enclosing_bounds(self, *, timeout: float | None = 10) -> tuple[Bound, ...] | None:
        """Iterated bounds of a region containing this one (itself when it has bounds).

        Conditions that block the derivation are left out, one or two at a
        time; numeric integration then samples the larger region and keeps the
        points that satisfy every condition.
        """
        if self.bounds is not None:
            return self.bounds
        conds = _flatten(self.conditions)
        first = None
        for drop in (1, 2):
            for left_out in itertools.combinations(range(len(conds)), drop):
                kept = [c for k, c in enumerate(conds) if k not in left_out]
                bounds, _ = derive_bounds(self.variables, kept, timeout=timeout)
                if bounds is None:
                    continue
                # prefer a bounded enclosure (the ball around a cone, not the infinite cone)
                if all(not (lo.has(sp.oo, -sp.oo) or hi.has(sp.oo, -sp.oo)) for _, lo, hi in bounds):
                    return bounds
                first = first or bounds
        return first

    # ------------------------------------------------------------------ moving regions

    def preimage(self, t: Transform, *, timeout: float | None = DEFAULT_TIMEOUT) -> Region:
        """The region in ``t.inputs`` that ``t`` maps into this region (within ``t``'s domain).

        ``self`` is in ``t.outputs`` (matched by name): substitute ``x = g(u)``,
        simplify on the domain, and derive iterated bounds in the new variables.

        >>> from symjac import Region, system
        >>> disk = Region.from_inequalities("x**2 + y**2 <= 4", variables="x y")
        >>> disk.preimage(system("polar")).bounds
        ((r, 0, 2), (theta, 0, 2*pi))
        """
        names = {s.name for s in self.variables}
        out_names = {s.name for s in t.outputs}
        if names != out_names:
            raise DimensionError(
                f"the region is in ({', '.join(s.name for s in self.variables)}) but the map gives "
                f"({', '.join(s.name for s in t.outputs)}); they must be the same variables.",
                value=self.variables)
        by_name = {s.name: e for s, e in zip(t.outputs, t.exprs)}
        params = {s.name: s for s in t.parameters + t.inputs}
        mapping = {v: by_name[v.name] for v in self.variables}
        mapping.update({p: params[p.name] for p in self.parameters if p.name in params})
        conds = [part for c in self.conditions
                 for part in roots_compared(drop_known_abs(substitute_condition(c, mapping), t.domain))]
        conds = list(t.domain) + list(real_conditions(t.exprs, odd_roots_real=True, nonzero=False)) + conds
        try:
            with time_limit(timeout, "simplifying the region in the new variables"):
                conds = _simplified(conds)
        except SymjacTimeoutError:
            conds = _flatten(conds)
        conds = list(dict.fromkeys(c for c in conds if c is not sp.true))
        return Region.from_conditions(t.inputs, conds, timeout=timeout)

    def image(self, t: Transform, *, timeout: float | None = DEFAULT_TIMEOUT) -> tuple[Region, ...]:
        """The image of this region (in ``t.inputs``) under ``t``: one region per inverse branch.

        Uses ``symjac.inverse.invert``; a map that is not one-to-one gives
        several pieces, which together cover the image (with multiplicity).
        """
        from ..inverse.inversions import invert  # imported here: inversion is optional for regions

        pieces = []
        for branch in invert(t, timeout=timeout, pieces=True):
            piece = self.preimage(branch, timeout=timeout)
            if not piece.is_empty:
                pieces.append(piece)
        return tuple(pieces)

    # ------------------------------------------------------------------ display

    def __repr__(self) -> str:
        return f"Region({', '.join(map(str, self.variables))}: {self})"

    def __str__(self) -> str:
        if self.bounds is not None:
            return ", ".join(f"{sp.sstr(lo)} <= {v} <= {sp.sstr(hi)}" for v, lo, hi in reversed(self.bounds))
        return ", ".join(sp.sstr(c) for c in self.conditions) or "everywhere"

    def _latex_body(self) -> str:
        from ..latex import latex_conditions, latex_expr

        if self.bounds is not None:
            return ",\\quad ".join(f"{latex_expr(lo)} \\le {latex_expr(v)} \\le {latex_expr(hi)}"
                                   for v, lo, hi in reversed(self.bounds))
        return latex_conditions(self.conditions).replace(r",\ ", r",\quad ")


# ---------------------------------------------------------------------- helpers


def _simplified(conds: Sequence[sp.Basic]) -> list[sp.Basic]:
    """Each condition simplified on those kept before it; one is dropped only when they imply it."""
    kept: list[sp.Basic] = []
    for c in _flatten(conds):
        if c in kept:
            continue
        simple = _simplify_condition(c, kept)
        if isinstance(simple, sp.Rel) and simple.has(sp.Abs):  # sqrt(a**2) became |a|
            unsigned = drop_known_abs(simple, kept)
            simple = simple if unsigned == simple else _simplify_condition(unsigned, kept)
        if simple is sp.false:
            return [sp.false]
        if simple is not sp.true and simple not in kept:
            kept.append(simple)
    return kept


def _simplify_condition(c: sp.Basic, domain: Sequence[sp.Basic]) -> sp.Basic:
    """A relational with its difference of sides simplified; ``True``/``False`` when decided."""
    if not isinstance(c, sp.Rel) or isinstance(c, (sp.Eq, sp.Ne)):
        return c
    lhs, rhs = c.lhs, c.rhs
    if not (lhs.free_symbols | rhs.free_symbols):
        return c
    diff = lhs - rhs
    candidates = [diff, sp.powsimp(diff), sp.trigsimp(sp.expand(diff)), sp.powsimp(sp.expand(diff))]
    best = min(candidates, key=sp.count_ops)
    if best.has(sp.sin, sp.cos, sp.Abs) or sp.count_ops(best) > 12:
        simpler = sp.simplify(best)
        best = min((best, simpler), key=sp.count_ops)
    if sp.count_ops(best) < sp.count_ops(diff):
        diff = best
        const = diff.as_independent(*diff.free_symbols)[0] if diff.is_Add else sp.S.Zero
        lhs, rhs = diff - const, -const
    if diff.is_number:
        decided = type(c)(diff, 0)
        return decided if decided in (sp.true, sp.false) else c
    # a comparison decided by the domain (x = u**(2/3)*v**(1/3) > 0 for positive u, v)
    s = sign_on(diff, domain)
    strict = isinstance(c, (sp.StrictGreaterThan, sp.StrictLessThan))
    wants_positive = isinstance(c, (sp.StrictGreaterThan, sp.GreaterThan))
    if s is Sign.POSITIVE or (s is Sign.NONNEGATIVE and not strict):
        return sp.true if wants_positive else sp.false  # false, or true only on a null set
    if s is Sign.NEGATIVE or (s is Sign.NONPOSITIVE and not strict):
        return sp.false if wants_positive else sp.true
    return type(c)(lhs, rhs, evaluate=False)


def _bound_conditions(bounds: Sequence[Bound]) -> list[sp.Basic]:
    """Inequalities equivalent to iterated bounds, in the form that moves best under a map.

    ``-sqrt(g) <= y <= sqrt(g)`` becomes ``y**2 <= g``; an outer variable's
    bounds are left out when they are exactly where the inner interval is
    non-empty (``-1 <= x <= 1`` under ``y**2 <= 1 - x**2``).
    """
    radicands = _radicands(bounds)
    implied = _implied_sides(bounds, radicands)
    conditions: list[sp.Basic] = []
    for k, (v, lo, hi) in enumerate(bounds):
        if implied.get(k) == {"lo", "hi"}:
            continue
        if k in radicands and (lo + hi) == 0:
            conditions.append(sp.Le(v**2, radicands[k], evaluate=False))
            continue
        if lo is not sp.S.NegativeInfinity and "lo" not in implied.get(k, ()):
            mirrored = _squared(-v, -hi, -lo) if hi is not sp.S.Infinity else None
            conditions.append(sp.Le(lo, v, evaluate=False) if mirrored is None else mirrored)
        if hi is not sp.S.Infinity and "hi" not in implied.get(k, ()):
            squared = _squared(v, lo, hi)
            conditions.append(sp.Le(v, hi, evaluate=False) if squared is None else squared)
    return conditions


def _radicands(bounds: Sequence[Bound]) -> dict[int, sp.Expr]:
    """For each bound ``-sqrt(g) <= v <= sqrt(g)`` (or one side of it with the other side's sign
    known), ``g``: where ``v**2 <= g`` says the same."""
    radicands: dict[int, sp.Expr] = {}
    for k, (v, lo, hi) in enumerate(bounds):
        if isinstance(hi, sp.Pow) and hi.exp == sp.S.Half and (lo + hi) == 0:
            radicands[k] = hi.base
            continue
        squared = _squared(v, lo, hi)
        if squared is None and hi is not sp.S.Infinity:
            squared = _squared(-v, -hi, -lo)
        if squared is not None:
            radicands[k] = squared.rhs
    return radicands


def _implied_sides(bounds: Sequence[Bound], radicands: dict[int, sp.Expr]) -> dict[int, set[str]]:
    """The outer bounds (``"lo"``, ``"hi"``) that the inner radicand's sign already implies."""
    implied: dict[int, set[str]] = {}
    for k, g in radicands.items():
        if k + 1 >= len(bounds):
            continue
        w, lo, hi = bounds[k + 1]
        if k + 1 in radicands:
            if (g - (radicands[k + 1] - w**2)).equals(0):
                implied[k + 1] = {"lo", "hi"}
        elif g.free_symbols == {w} and lo.is_number and hi.is_number:
            try:
                where = sp.solve_univariate_inequality(g >= 0, w, relational=False)
            except (NotImplementedError, ValueError, TypeError):
                continue
            if isinstance(where, sp.Interval):
                implied[k + 1] = {side for side, a, b in (("lo", where.start, lo), ("hi", where.end, hi))
                                  if a == b}
    return implied


def _squared(v: sp.Symbol, lo: sp.Expr, hi: sp.Expr) -> sp.Basic | None:
    """``v <= c*sqrt(g)`` as ``v**2 <= c**2*g`` when ``v >= lo >= 0`` makes them the same (the
    form that moves under polar and spherical maps), else None."""
    if not lo.is_nonnegative:
        return None
    c, rest = hi.as_coeff_Mul()
    if not (c.is_positive and isinstance(rest, sp.Pow) and rest.exp == sp.S.Half):
        return None
    return sp.Le(v**2, c**2 * rest.base, evaluate=False)




def _read(value: object, symbols: Mapping[str, sp.Symbol]) -> sp.Expr:
    if isinstance(value, str):
        return parse_expression(value, symbols=dict(symbols))
    try:
        e = sp.sympify(value, strict=True)
    except (sp.SympifyError, TypeError):
        raise ParseError(f"{value!r} is not a number or formula for a bound.", text=str(value)) from None
    mapping = {s: symbols[s.name] for s in e.free_symbols if s.name in symbols}
    return e.xreplace(mapping)


def _evaluate(e: sp.Expr, outer: list[sp.Symbol], columns: dict, n: int) -> np.ndarray:
    e = sp.sympify(e)  # a bound that was a parameter is now a plain float
    if e.is_number:
        return np.full(n, float(e))
    f = sp.lambdify(outer, e, modules="numpy")
    with np.errstate(all="ignore"):
        return np.broadcast_to(np.asarray(f(*(columns[s] for s in outer)), dtype=float), (n,)).copy()


def _between(lo: np.ndarray, hi: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    n = len(lo)
    out = np.empty(n)
    u = 0.01 + 0.98 * rng.random(n)
    both = np.isfinite(lo) & np.isfinite(hi)
    out[both] = lo[both] + (hi[both] - lo[both]) * u[both]
    left = np.isfinite(lo) & ~np.isfinite(hi)
    out[left] = lo[left] + rng.exponential(1.5, left.sum()) + 1e-3
    right = ~np.isfinite(lo) & np.isfinite(hi)
    out[right] = hi[right] - rng.exponential(1.5, right.sum()) - 1e-3
    neither = ~np.isfinite(lo) & ~np.isfinite(hi)
    out[neither] = rng.normal(0.0, 1.5, neither.sum())
    return out
