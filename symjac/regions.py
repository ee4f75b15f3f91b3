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

from .domains import Sign, condition_function, sample_points, sign_on, substitute_condition
from .errors import DimensionError, DomainError, ParseError, SymjacTimeoutError
from .parsing import parse_conditions, parse_expression, parse_symbols, symbols_from_conditions
from .timeouts import DEFAULT_TIMEOUT, time_limit
from .transform import Transform

__all__ = ["Region"]

Bound = tuple[sp.Symbol, sp.Expr, sp.Expr]
EMPTY = "the region is empty (or has zero volume)"


@dataclass(frozen=True)
class Region:
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
        conds = [part for c in _flatten(conditions) for part in _split_abs(c)]
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
        for drop in (1, 2):
            for left_out in itertools.combinations(range(len(conds)), drop):
                kept = [c for k, c in enumerate(conds) if k not in left_out]
                bounds, _ = derive_bounds(self.variables, kept, timeout=timeout)
                if bounds is not None:
                    return bounds
        return None

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
        conds = [substitute_condition(c, mapping) for c in self.conditions]
        conds = list(t.domain) + _real_conditions(t.exprs) + conds
        try:
            with time_limit(timeout, "simplifying the region in the new variables"):
                kept: list[sp.Basic] = []
                for c in _flatten(conds):  # a condition is dropped only when those kept imply it
                    if c in kept:
                        continue
                    simple = _simplify_condition(c, kept)
                    if simple is sp.false:
                        kept = [sp.false]
                        break
                    if simple is not sp.true and simple not in kept:
                        kept.append(simple)
                conds = kept
        except SymjacTimeoutError:
            conds = _flatten(conds)
        conds = list(dict.fromkeys(c for c in conds if c is not sp.true))
        return Region.from_conditions(t.inputs, conds, timeout=timeout)

    def image(self, t: Transform, *, timeout: float | None = DEFAULT_TIMEOUT) -> tuple[Region, ...]:
        """The image of this region (in ``t.inputs``) under ``t``: one region per inverse branch.

        Uses ``symjac.inverse.invert``; a map that is not one-to-one gives
        several pieces, which together cover the image (with multiplicity).
        """
        from .inverse import invert  # imported here: inversion is optional for regions

        pieces = []
        for branch in invert(t, timeout=timeout):
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
        if self.bounds is not None:
            return ",\\quad ".join(f"{sp.latex(lo)} \\le {sp.latex(v)} \\le {sp.latex(hi)}"
                                   for v, lo, hi in reversed(self.bounds))
        return ",\\quad ".join(sp.latex(c) for c in self.conditions)

    def _repr_latex_(self) -> str:
        from .latex import to_latex

        return "$" + to_latex(self) + "$"


# ---------------------------------------------------------------------- deriving bounds


def derive_bounds(variables: Sequence[sp.Symbol], conditions: Sequence[sp.Basic], *,
                  timeout: float | None = DEFAULT_TIMEOUT) -> tuple[tuple[Bound, ...] | None, str]:
    """Iterated bounds (innermost first) equivalent to ``conditions``, or ``(None, reason)``.

    Tries every order of the variables: each variable's conditions must solve
    to lower/upper bounds in the remaining ones (linear with a sign-definite
    coefficient, monotone with one root, or an interval in one variable);
    eliminating it leaves ``lower <= upper`` for each pair (Fourier–Motzkin).
    """
    variables = tuple(variables)
    ineqs = []
    for c in _flatten(conditions):
        if c is sp.true:
            continue
        if isinstance(c, (sp.Eq,)):
            return None, f"the condition {c} is an equation (a set of zero volume)"
        if isinstance(c, sp.Ne):
            continue  # removing a lower-dimensional set does not change an integral
        if not isinstance(c, sp.Rel):
            return None, f"the condition {c} is not a single inequality"
        ineqs.append(c)
    try:
        with time_limit(timeout, "finding iterated bounds for the region"):
            leq = [e for c in ineqs for e in _unroot(_as_nonpositive(c, ineqs))]
            reason = "no order of the variables gives bounds in closed form"
            for order in _orders(variables, leq):
                try:
                    return _eliminate(order, leq, ineqs), ""
                except _NoBounds as exc:
                    reason = str(exc)
                    if reason == EMPTY:
                        return None, EMPTY
            return None, reason
    except SymjacTimeoutError:
        return None, "finding iterated bounds took too long"


class _NoBounds(Exception):
    pass


def _orders(variables: tuple[sp.Symbol, ...], leq: list[sp.Expr]):
    """Orders to try, innermost first; variables in fewer conditions go outside first."""
    def weight(v: sp.Symbol) -> int:
        return -sum(1 for e in leq if v in e.free_symbols and len(e.free_symbols & set(variables)) > 1)

    base = tuple(sorted(variables, key=weight))
    yield base
    for perm in itertools.permutations(variables):
        if perm != base:
            yield perm


def _as_nonpositive(c: sp.Rel, context: Sequence[sp.Basic]) -> sp.Expr:
    """An expression ``e`` with ``c`` equivalent to ``e <= 0`` (strictness ignored)."""
    if isinstance(c, (sp.StrictLessThan, sp.LessThan)):
        e = c.lhs - c.rhs
    else:
        e = c.rhs - c.lhs
    return _drop_positive_factors(e, context)


def _drop_positive_factors(e: sp.Expr, context: Sequence[sp.Basic]) -> sp.Expr:
    e = sp.together(e)
    num, den = sp.fraction(e)
    factored = sp.factor_terms(num) if len(num.free_symbols) > 0 else num
    try:
        factored = sp.factor(factored)
    except (sp.PolynomialError, NotImplementedError):
        pass
    kept = sp.S.One
    for f in sp.Mul.make_args(factored) + tuple(sp.Mul.make_args(1 / den) if den != 1 else ()):
        if f.is_number:
            if f.is_negative:
                kept = -kept
            elif not f.is_positive:
                kept = kept * f
            continue
        s = sign_on(f, context)
        if s is Sign.POSITIVE or (s is Sign.NONNEGATIVE and _is_even_root(f)):
            continue  # an even root is zero only on a null set
        if s is Sign.NEGATIVE:
            kept = -kept
            continue
        kept = kept * f
    return sp.expand(kept) if kept.is_polynomial() else kept


def _eliminate(order: tuple[sp.Symbol, ...], leq: list[sp.Expr], context: list[sp.Basic]
               ) -> tuple[Bound, ...]:
    if not order:
        return ()
    v, rest = order[0], order[1:]
    outer = set(rest)
    mine = [e for e in leq if v in e.free_symbols]
    others = [e for e in leq if v not in e.free_symbols]
    lowers: list[sp.Expr] = []
    uppers: list[sp.Expr] = []
    single = [e for e in mine if not (e.free_symbols & outer)]
    multi = [e for e in mine if e.free_symbols & outer]
    if not single:
        lowers, uppers, _ = _sign_bounds(v)
    else:
        lo, hi = _interval_of(v, single, context)
        if lo is not sp.S.NegativeInfinity:
            lowers.append(lo)
        if hi is not sp.S.Infinity:
            uppers.append(hi)
    new = list(others)
    for e in multi:
        lo_, hi_, extra = _solve_bound(v, e, context)
        lowers += lo_
        uppers += hi_
        new += [x for x in extra if not sign_on(x, context).is_nonpositive]
    lowers = _tidy(lowers, context, keep_largest=True)
    uppers = _tidy(uppers, context, keep_largest=False)
    for lo in lowers:
        for hi in uppers:
            if (lo + hi) == 0 and _is_even_root(hi):
                continue  # -sqrt(g) <= sqrt(g) wherever the root is real
            if lo.free_symbols & outer or hi.free_symbols & outer:
                gap = _drop_positive_factors(lo - hi, context)
                if gap.is_number:
                    if gap >= 0:
                        raise _NoBounds(EMPTY)
                    continue
                if sign_on(gap, context).is_nonpositive:
                    continue
                new.append(gap)
            elif (lo - hi).is_number and (lo - hi) >= 0:
                raise _NoBounds(EMPTY)
    lower = sp.Max(*lowers) if lowers else -sp.oo
    upper = sp.Min(*uppers) if uppers else sp.oo
    return ((v, lower, upper),) + _eliminate(rest, new, context)


def _interval_of(v: sp.Symbol, exprs: list[sp.Expr], context: list[sp.Basic]
                 ) -> tuple[sp.Expr, sp.Expr]:
    """The interval where all ``e <= 0`` hold, for expressions in ``v`` (and parameters) only."""
    lowers, uppers, hard = _sign_bounds(v)
    for e in exprs:
        try:
            lo_, hi_, extra = _solve_bound(v, e, context)
            if any(not sign_on(x, context).is_nonpositive for x in extra):
                raise _NoBounds("conditions remain")
            lowers += lo_
            uppers += hi_
        except _NoBounds:
            hard.append(e)
    lowers = _tidy(lowers, context, keep_largest=True)
    uppers = _tidy(uppers, context, keep_largest=False)
    lo = sp.Max(*lowers) if lowers else -sp.oo
    hi = sp.Min(*uppers) if uppers else sp.oo
    if not hard:
        return lo, hi
    if (lo.free_symbols | hi.free_symbols) - {v} or any(e.free_symbols - {v} for e in hard):
        raise _NoBounds(f"the conditions on {v} are not solved by an interval")
    plain = sp.Dummy(v.name, real=True)
    solution = _interval_by_roots(v, hard, lo, hi)
    if solution is not None:
        return solution
    solution = sp.Interval(lo, hi)
    for e in hard:
        try:
            part = sp.solve_univariate_inequality(e.xreplace({v: plain}) <= 0, plain,
                                                  relational=False, domain=sp.Interval(lo, hi))
        except (NotImplementedError, ValueError, TypeError):
            raise _NoBounds(f"cannot solve {e} <= 0 for {v}") from None
        solution = solution.intersect(part)
    if isinstance(solution, sp.Union):  # isolated points do not change an integral
        parts = [a for a in solution.args if not isinstance(a, sp.FiniteSet)]
        solution = parts[0] if len(parts) == 1 else solution
    if solution is sp.S.EmptySet or isinstance(solution, sp.FiniteSet):
        raise _NoBounds(EMPTY)
    if not isinstance(solution, sp.Interval):
        raise _NoBounds(f"the values of {v} form {solution}, not one interval")
    return solution.inf, solution.sup


def _interval_by_roots(v: sp.Symbol, exprs: list[sp.Expr], lo: sp.Expr, hi: sp.Expr
                       ) -> tuple[sp.Expr, sp.Expr] | None:
    """Where all ``e <= 0`` on a finite ``[lo, hi]``, from the roots of each ``e``.

    Roots are located numerically, recognised as exact numbers (multiples of pi
    and algebraic numbers) and accepted only when substituting them gives
    exactly zero; otherwise ``None`` (and the caller solves symbolically).
    """
    from scipy.optimize import brentq

    if not (lo.is_number and hi.is_number and lo.is_finite and hi.is_finite):
        return None
    a, b = float(lo), float(hi)
    grid = np.linspace(a, b, 2001)
    points = {lo, hi}
    funcs = []
    for e in exprs:
        f = sp.lambdify([v], e, modules="numpy")
        funcs.append(f)
        with np.errstate(all="ignore"):
            ys = np.broadcast_to(np.asarray(f(grid), dtype=float), grid.shape)
        if not np.all(np.isfinite(ys)):
            return None
        for i in np.nonzero(np.sign(ys[:-1]) * np.sign(ys[1:]) <= 0)[0]:
            root = grid[i] if ys[i] == 0 else grid[i + 1] if ys[i + 1] == 0 else \
                brentq(lambda t: float(f(t)), grid[i], grid[i + 1], xtol=1e-14)
            exact = sp.nsimplify(root, [sp.pi], tolerance=1e-11)
            if not sp.simplify(e.xreplace({v: exact})) == 0:
                return None
            points.add(exact)
    ordered = sorted(points, key=float)
    kept: list[tuple[sp.Expr, sp.Expr]] = []
    for p, q in zip(ordered, ordered[1:]):
        mid = (float(p) + float(q)) / 2
        if float(q) - float(p) < 1e-12:
            continue
        with np.errstate(all="ignore"):
            if all(float(f(mid)) <= 0 for f in funcs):
                if kept and kept[-1][1] == p:
                    kept[-1] = (kept[-1][0], q)
                else:
                    kept.append((p, q))
    if not kept:
        raise _NoBounds(EMPTY)
    if len(kept) > 1:
        raise _NoBounds(f"the values of {v} form {len(kept)} separate intervals, not one")
    return kept[0]


def _solve_bound(v: sp.Symbol, e: sp.Expr, context: list[sp.Basic]
                 ) -> tuple[list[sp.Expr], list[sp.Expr], list[sp.Expr]]:
    """Solve ``e <= 0`` for ``v``: ``(lower bounds, upper bounds, conditions on the rest)``.

    Handles ``e`` linear in ``v`` with a coefficient of known sign, quadratic
    with a positive leading coefficient (``v`` between the roots, when the
    discriminant is >= 0), and monotone in ``v`` with a single root.
    """
    poly = None
    try:
        poly = sp.Poly(e, v)
    except sp.PolynomialError:
        pass
    if poly is not None and poly.degree() == 1:
        a, b = poly.all_coeffs()
        s = sign_on(a, context)
        if s is Sign.POSITIVE:
            return [], [sp.simplify(-b / a)], []
        if s is Sign.NEGATIVE:
            return [sp.simplify(-b / a)], [], []
        raise _NoBounds(f"the sign of {a} (the coefficient of {v}) is not decided")
    if poly is not None and poly.degree() == 2:
        a, b, c = poly.all_coeffs()
        if sign_on(a, context) is Sign.POSITIVE:
            disc = sp.factor(b**2 - 4*a*c)
            root = sp.sqrt(disc)
            return [sp.simplify((-b - root) / (2*a))], [sp.simplify((-b + root) / (2*a))], [-disc]
    slope = sign_on(sp.diff(e, v), context)
    if slope not in (Sign.POSITIVE, Sign.NEGATIVE):
        raise _NoBounds(f"{e} <= 0 is not solved for {v} by bounds")
    roots = [r for r in sp.solve(e, v) if not r.has(sp.I)]
    if len(roots) != 1:
        raise _NoBounds(f"{e} = 0 has {len(roots)} solutions for {v}")
    return ([], roots, []) if slope is Sign.POSITIVE else (roots, [], [])


def _unroot(e: sp.Expr) -> list[sp.Expr]:
    """``c + k*sqrt(g) <= 0`` with ``k > 0`` is ``g <= (c/k)**2`` and ``c <= 0``."""
    if not e.is_Add:
        return [e]
    roots = [a for a in e.args if _is_even_root(a) or (a.is_Mul and any(
        _is_even_root(f) for f in a.args) and len([f for f in a.args if not f.is_number]) == 1)]
    if len(roots) != 1 or sp.S(roots[0]).as_coeff_Mul()[1].exp != sp.S.Half:
        return [e]
    k, root = roots[0].as_coeff_Mul()
    if not k.is_positive:
        return [e]
    c = e - roots[0]
    return [sp.expand(root.base - (c / k)**2), c]


def _is_even_root(f: sp.Expr) -> bool:
    return isinstance(f, sp.Pow) and f.exp.is_Rational and not f.exp.is_integer and f.exp.q % 2 == 0


def _sign_bounds(v: sp.Symbol) -> tuple[list[sp.Expr], list[sp.Expr], list[sp.Expr]]:
    """Bounds a symbol's own assumptions give (a positive ``r`` is at least 0)."""
    lowers = [sp.S.Zero] if v.is_nonnegative else []
    uppers = [sp.S.Zero] if v.is_nonpositive else []
    return lowers, uppers, []


def _tidy(candidates: list[sp.Expr], context: list[sp.Basic], *, keep_largest: bool) -> list[sp.Expr]:
    """Drop candidate bounds another candidate dominates on the region's conditions."""
    unique: list[sp.Expr] = []
    for c in candidates:
        if not any((c - u).equals(0) for u in unique):
            unique.append(c)
    kept = list(unique)
    for a in unique:
        for b in unique:
            if a is b or a not in kept or b not in kept:
                continue
            s = sign_on(a - b, context)
            if keep_largest and s.is_nonnegative:  # a >= b: b is not needed
                kept.remove(b)
            elif not keep_largest and s.is_nonpositive:
                kept.remove(b)
    return kept


# ---------------------------------------------------------------------- helpers


def _flatten(conditions: Sequence[sp.Basic]) -> list[sp.Basic]:
    out: list[sp.Basic] = []
    for c in conditions:
        if isinstance(c, sp.And):
            out.extend(_flatten(c.args))
        elif c is not sp.true:
            out.append(c)
    return out


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
    radicands: dict[int, sp.Expr] = {}
    for k, (v, lo, hi) in enumerate(bounds):
        if isinstance(hi, sp.Pow) and hi.exp == sp.S.Half and (lo + hi) == 0:
            radicands[k] = hi.base
    implied: set[int] = set()
    for k, g in radicands.items():
        if k + 1 >= len(bounds):
            continue
        w, lo, hi = bounds[k + 1]
        if k + 1 in radicands:
            if (g - (radicands[k + 1] - w**2)).equals(0):
                implied.add(k + 1)
        elif g.free_symbols == {w} and lo.is_number and hi.is_number:
            try:
                where = sp.solve_univariate_inequality(g >= 0, w, relational=False)
            except (NotImplementedError, ValueError, TypeError):
                continue
            if where == sp.Interval(lo, hi):
                implied.add(k + 1)
    conditions: list[sp.Basic] = []
    for k, (v, lo, hi) in enumerate(bounds):
        if k in implied:
            continue
        if k in radicands:
            conditions.append(sp.Le(v**2, radicands[k], evaluate=False))
            continue
        if lo is not sp.S.NegativeInfinity:
            conditions.append(sp.Le(lo, v, evaluate=False))
        if hi is not sp.S.Infinity:
            conditions.append(sp.Le(v, hi, evaluate=False))
    return conditions


def _split_abs(c: sp.Basic) -> list[sp.Basic]:
    """``Abs(e) <= b`` as ``-b <= e`` and ``e <= b`` (other conditions unchanged)."""
    if isinstance(c, (sp.LessThan, sp.StrictLessThan)) and isinstance(c.lhs, sp.Abs) \
            and not c.rhs.has(sp.Abs):
        e, b = c.lhs.args[0], c.rhs
    elif isinstance(c, (sp.GreaterThan, sp.StrictGreaterThan)) and isinstance(c.rhs, sp.Abs) \
            and not c.lhs.has(sp.Abs):
        e, b = c.rhs.args[0], c.lhs
    else:
        return [c]
    return [sp.Le(-b, e, evaluate=False), sp.Le(e, b, evaluate=False)]


def _real_conditions(exprs: Sequence[sp.Expr]) -> list[sp.Basic]:
    """Where the expressions are real: even roots of nonnegative numbers, logs of positive ones."""
    out: list[sp.Basic] = []
    for e in exprs:
        for p in e.atoms(sp.Pow):
            if p.exp.is_Rational and not p.exp.is_integer and p.exp.q % 2 == 0 and p.base.free_symbols:
                if not p.base.is_nonnegative:
                    out.append(sp.Ge(p.base, 0, evaluate=False))
        for f in e.atoms(sp.log):
            if f.args[0].free_symbols and not f.args[0].is_positive:
                out.append(sp.Gt(f.args[0], 0, evaluate=False))
    return out


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
