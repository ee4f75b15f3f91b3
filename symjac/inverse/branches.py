"""Inverse branches: their domains, their certificates, and which formulas are real.

``build_branch`` turns one inverse formula into an ``InverseBranch``: the values
it covers (where it is real, what its source maps onto), its Jacobian
determinant and a round-trip ``Certificate``. ``select_branches`` keeps, among
the formulas a solver found, those that are real and map points of the domain
back, and finds the part of the domain each one comes from.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sympy as sp
from sympy.core.facts import InconsistentAssumptions

from . import strategies
from ..result import to_data
from ..domains.probe import evaluate_at, lambdify_numeric, rng_for
from ..domains.signs import condition_function, sample_points, substitute_condition, variable_bounds
from ..errors import SymjacTimeoutError
from ..domains.conditions import real_conditions, substitute_conditions
from ..domains.tidy import tidy_conditions
from ..jacobian import jacobian_determinant
from ..parsing import symbols_from_conditions
from ..timeouts import time_limit
from ..transform import Transform

__all__ = ["Certificate", "InverseBranch", "Options", "build_branch", "select_branches", "certify"]

_RTOL = 1e-7


@dataclass(frozen=True)
class Options:
    """How branches are checked: the time limit, the seed and the number of points."""

    timeout: float | None
    seed: int
    points: int


@dataclass(frozen=True)
class Certificate:
    """The evidence that a branch inverts the map.

    Attributes:
        symbolic: True if SymPy showed ``t(branch(y)) == y`` exactly on the
            branch's domain; False if it could not (the numbers still count).
        points: How many random points of the branch's domain were checked.
        worst_error: The largest relative error of ``t(branch(y))`` against ``y``.
        determinant_error: The largest relative error of ``det J_t * det J_branch`` against 1.
        seed: The seed of the random points.
        rtol: The tolerance the numbers were held to.
    """

    symbolic: bool
    points: int
    worst_error: float
    determinant_error: float
    seed: int
    rtol: float = _RTOL

    @property
    def passed(self) -> bool:
        """True when the numeric round trip held at every point."""
        return self.points > 0 and self.worst_error <= self.rtol and \
            not (self.determinant_error > 1e3 * self.rtol)

    def __str__(self) -> str:
        proof = "proved symbolically" if self.symbolic else "not proved symbolically"
        return (f"round trip {proof}; numeric check at {self.points} points (seed {self.seed}): "
                f"worst relative error {self.worst_error:.1e}, det J·det J⁻¹ - 1 at most "
                f"{self.determinant_error:.1e}")

    def to_dict(self) -> dict[str, object]:
        """The evidence as JSON-ready values."""
        return {"symbolic": self.symbolic, "points": self.points, "worst_error": self.worst_error,
                "determinant_error": self.determinant_error, "seed": self.seed, "rtol": self.rtol,
                "passed": self.passed}


@dataclass(frozen=True)
class InverseBranch:
    """One real branch of the inverse.

    Attributes:
        transform: The inverse map on this branch (inputs named like the
            original outputs, outputs named like the original inputs), with
            its domain: the outputs this branch covers.
        source: The part of the original domain this branch comes from
            (conditions on the original inputs).
        determinant: ``det d(inputs)/d(outputs)`` of the branch, in its inputs.
        certificate: The round-trip evidence.
        pieces: For a branch given by cases (the real cube root), the
            branches it was joined from, one plain formula each; else ``()``.
    """

    transform: Transform
    source: tuple[sp.Basic, ...]
    determinant: sp.Expr
    certificate: Certificate
    pieces: tuple[InverseBranch, ...] = ()

    def to_dict(self) -> dict[str, object]:
        """The branch as JSON-ready data whose formulas ``symjac.parsing`` reads back."""
        return to_data({"transform": self.transform, "domain": self.transform.domain,
                        "source": self.source, "determinant": self.determinant,
                        "certificate": self.certificate,
                        "pieces": [p.transform for p in self.pieces]})


# ---------------------------------------------------------------------- building a branch


def _param_conditions(t: Transform) -> tuple[sp.Basic, ...]:
    ins = set(t.inputs)
    return tuple(c for c in t.domain if not c.free_symbols & ins)


def _renamed_symbols(t: Transform, conditions) -> dict[str, sp.Symbol]:
    names = [s.name for s in t.outputs]
    flat = []
    for c in conditions:
        flat.extend(c.args if isinstance(c, sp.And) else (c,))
    try:
        symbols = symbols_from_conditions(names, flat)
    except InconsistentAssumptions:
        return {s.name: sp.Symbol(s.name, real=True) for s in t.outputs}
    for c in flat:  # Ne(u, 0) makes u nonzero
        if isinstance(c, sp.Ne) and c.rhs == 0 and isinstance(c.lhs, sp.Symbol) \
                and c.lhs.name in symbols and symbols[c.lhs.name].is_nonzero is None:
            facts = {k: v for k, v in symbols[c.lhs.name].assumptions0.items()
                     if k in ("real", "nonnegative", "nonpositive")}
            symbols[c.lhs.name] = sp.Symbol(c.lhs.name, nonzero=True, **facts)
    return symbols


def _rename(objs, t: Transform, symbols: dict[str, sp.Symbol]):
    mapping = {}
    for o in objs:
        for s in o.free_symbols:
            if s.name in symbols and s not in t.parameters and s not in t.inputs:
                mapping[s] = symbols[s.name]
    return mapping


def build_branch(t: Transform, cand: strategies.Candidate, source_extra: tuple[sp.Basic, ...],
           opts: Options, image: tuple[sp.Basic, ...] | None = None) -> InverseBranch:
    """A branch from a formula: its domain (outputs it covers), symbols, determinant, certificate."""
    sol = cand.as_dict()
    plain = {s.name: sp.Symbol(s.name, real=True) for s in t.outputs}
    values = [sol[x].xreplace(_rename([sol[x]], t, plain)) for x in t.inputs]
    cand_domain = tuple(substitute_condition(c, _rename([c], t, plain)) for c in cand.domain or ())
    source = tuple(dict.fromkeys(t.domain + tuple(source_extra)))
    base = cand_domain + tuple(c for v in values for c in real_conditions(v))
    if image is not None:
        base = base + image
    if cand.replaces_domain or image is not None:
        inherited: tuple[sp.Basic, ...] = tuple(c for c in source_extra if c not in t.domain) \
            if image is None else ()
    else:
        # the domain's conditions, and where the map itself is defined (x2 != 0 for x1/x2)
        defined = tuple(c for e in t.exprs for c in real_conditions(e))
        inherited = tuple(c for c in source + defined if c.free_symbols & set(t.inputs)
                          and c not in cand.covered)
    # conditions inherited from the source, decided where possible by the base conditions
    symbols = _renamed_symbols(t, base)
    to_assumed = _rename(list(values) + list(base), t, symbols)
    inherited = substitute_conditions(
        inherited, {x: v.xreplace(to_assumed) for x, v in zip(t.inputs, values)})
    inherited = tuple(substitute_condition(c, _rename([c], t, plain)) for c in inherited)
    domain = tidy_conditions(tuple(dict.fromkeys(base + inherited)))
    domain = _ordered(tuple(dict.fromkeys(domain + _param_conditions(t))), tuple(plain.values()))
    missing = _missing_sign_condition(t, tuple(plain.values()), values, domain, source)
    if missing is not None:
        domain = tidy_conditions(domain + (missing,))
    symbols = _renamed_symbols(t, domain)
    final = _rename(list(values) + list(domain), t, symbols)
    values = [v.xreplace(final) for v in values]
    domain = tuple(c for c in (substitute_condition(c, final) for c in domain) if c is not sp.true)
    new_inputs = tuple(symbols[s.name] for s in t.outputs)
    branch = Transform(new_inputs, tuple(values), t.inputs, domain, t.parameters,
                       name=f"inverse of {t.name}" if t.name else None)
    det = sp.powsimp(jacobian_determinant(branch, timeout=opts.timeout))
    if det.has(sp.Abs, sp.sign):
        what = "simplifying the inverse's determinant"
        try:
            with time_limit(2, what):
                det = sp.simplify(det)
        except SymjacTimeoutError as exc:
            if exc.value != what:  # the caller's own time limit: pass it on
                raise
    certificate = certify(t, branch, source, det, opts.timeout, seed=opts.seed, n=opts.points)
    return InverseBranch(branch, tuple(c for c in source if c not in t.domain), det, certificate)


def _round_trip_ok(t: Transform, ys, values, pts: np.ndarray, source) -> np.ndarray:
    """Which rows ``y`` of ``pts`` (outputs then parameters) satisfy t(branch(y)) == y
    with branch(y) real and in ``source``."""
    m = len(pts)
    n_out = len(t.outputs)
    X = evaluate_at(lambdify_numeric(tuple(ys) + t.parameters, values), pts, m, complex_=True)
    real = np.all(np.abs(X.imag) <= 1e-9 * (1 + np.abs(X.real)), axis=1)
    Xr = np.concatenate([X.real, pts[:, n_out:]], axis=1)
    inside = condition_function(t.inputs + t.parameters, source)(Xr) if source else np.ones(m, bool)
    Y = evaluate_at(lambdify_numeric(t.inputs + t.parameters, t.exprs), Xr, m)
    close = np.all(np.abs(Y - pts[:, :n_out]) <= 1e-7 * np.maximum(1, np.abs(pts[:, :n_out])), axis=1)
    return real & inside & close


def _missing_sign_condition(t: Transform, ys, values, domain, source, n: int = 80
                            ) -> sp.Basic | None:
    """A sign condition on one output that the formula needs but the domain does not
    state yet (``R >= 0`` when ``sqrt(R**2)`` must give back ``R``), found at sample points."""
    try:
        pts = sample_points(tuple(ys) + t.parameters, domain, n, rng=rng_for("missing sign"))
        ok = _round_trip_ok(t, ys, values, pts, source)
    except (ValueError, TypeError, ZeroDivisionError, NameError):
        return None
    if ok.all() or not ok.any():
        return None
    for j, y in enumerate(ys):
        col = pts[:, j]
        for cond, mask in ((y > 0, col > 0), (y < 0, col < 0)):
            if np.array_equal(mask, ok):
                return cond
    return None


def _ordered(conds: tuple[sp.Basic, ...], ys: tuple[sp.Symbol, ...]) -> tuple[sp.Basic, ...]:
    """Conditions in the order of the variables they bound, lower bounds first."""
    def key(c: sp.Basic) -> tuple[int, int]:
        free = c.free_symbols
        first = min((i for i, y in enumerate(ys) if y in free), default=len(ys))
        upper = 0
        if isinstance(c, sp.Rel) and len(free) == 1:
            (y,) = free
            upper = int((isinstance(c, (sp.StrictLessThan, sp.LessThan)) and c.lhs == y) or
                        (isinstance(c, (sp.StrictGreaterThan, sp.GreaterThan)) and c.rhs == y))
        return first, upper

    return tuple(sorted(conds, key=key))




def certify(t: Transform, branch: Transform, source: tuple[sp.Basic, ...], det: sp.Expr,
             timeout: float | None, seed: int = 0, n: int = 30) -> Certificate:
    mapping = dict(zip(t.inputs, branch.exprs))
    by_name = {s.name: s for s in branch.inputs}
    ys = [by_name[o.name] for o in t.outputs]
    symbolic = True
    what = "proving the round trip"
    try:
        with time_limit(None if timeout is None else min(timeout, 5.0), what):
            for e, y in zip(t.exprs, ys):
                diff = e.xreplace(mapping) - y
                if diff != 0 and sp.simplify(diff) != 0:
                    symbolic = False
                    break
    except SymjacTimeoutError as exc:
        if exc.value != what:
            raise
        symbolic = False
    params = branch.parameters
    rng = np.random.default_rng(seed)
    try:
        pts = sample_points(branch.inputs + params, branch.domain, n, rng=rng)
    except ValueError:
        xs = sample_points(t.inputs + t.parameters, source, n, rng=rng)
        forward = evaluate_at(lambdify_numeric(t.inputs + t.parameters, t.exprs), xs, len(xs)).real
        pts = np.concatenate([forward, xs[:, len(t.inputs):]], axis=1)
    m = len(pts)
    P = pts[:, len(branch.inputs):]
    X = evaluate_at(lambdify_numeric(branch.inputs + params, branch.exprs), pts, m)
    real = np.all(np.abs(X.imag) <= 1e-12 * (1 + np.abs(X.real)), axis=1)
    Xr = np.concatenate([X.real, P], axis=1)
    inside = condition_function(t.inputs + t.parameters, source)(Xr) if source else np.ones(m, bool)
    Y = evaluate_at(lambdify_numeric(t.inputs + t.parameters, t.exprs), Xr, m)
    err = np.max(np.abs(Y - pts[:, :len(t.outputs)]) / np.maximum(1, np.abs(pts[:, :len(t.outputs)])),
                 axis=1)
    err = np.where(real & inside & np.isfinite(err), err, np.inf)
    d_t = evaluate_at(lambdify_numeric(t.inputs + t.parameters, [jacobian_determinant(t)]), Xr, m)[:, 0]
    d_b = evaluate_at(lambdify_numeric(branch.inputs + params, [det]), pts, m)[:, 0]
    with np.errstate(all="ignore"):
        d_err = np.abs(d_t * d_b - 1)
    d_err = d_err[np.isfinite(d_err)]
    return Certificate(symbolic, m, float(np.max(err)) if m else float("inf"),
                       float(np.max(d_err)) if d_err.size else float("nan"), seed)


# ---------------------------------------------------------------------- selecting real branches


def _coverage(t: Transform, candidates, pts: np.ndarray) -> list[np.ndarray]:
    n = len(pts)
    Y = evaluate_at(lambdify_numeric(t.inputs + t.parameters, t.exprs), pts, n).real
    YP = np.concatenate([Y, pts[:, len(t.inputs):]], axis=1)
    X = pts[:, :len(t.inputs)]
    out = []
    for c in candidates:
        values = [c.as_dict()[x] for x in t.inputs]
        try:
            Xc = evaluate_at(lambdify_numeric(t.outputs + t.parameters, values), YP, n, complex_=True)
        except (TypeError, ValueError, NameError, KeyError):
            out.append(np.zeros(n, bool))
            continue
        close = np.abs(Xc - X) <= 1e-6 * (1 + np.abs(X))
        out.append(np.all(close, axis=1))
    return out


def _real_root_variants(c: strategies.Candidate) -> list[strategies.Candidate]:
    """The candidate with odd roots of negative numbers taken real (``b**(1/3)``
    as ``-(-b)**(1/3)``, valid where b < 0): one variant per set of roots flipped
    (``u = x**3, v = y**3`` needs all four sign combinations), when it has such
    roots and no ``I``."""
    values = [v for _, v in c.solution]
    if any(v.has(sp.I) for v in values):
        return []

    def odd_root(p: sp.Expr) -> bool:
        return p.is_Pow and p.exp.is_Rational and not p.exp.is_Integer and p.exp.q % 2 == 1 \
            and p.base.free_symbols and not p.base.is_nonnegative

    roots = sorted({p for v in values for p in v.atoms(sp.Pow) if odd_root(p)}, key=sp.default_sort_key)
    out = []
    for k in range(1, 2 ** min(len(roots), 4)):
        chosen = [p for i, p in enumerate(roots) if k >> i & 1]
        flipped = {p: (-1) ** (p.exp.p % 2) * (-p.base) ** p.exp for p in chosen}
        real = [v.xreplace(flipped) for v in values]
        out.append(strategies.Candidate(tuple((x, r) for (x, _), r in zip(c.solution, real))))
    return out


def _partition(forms, cov: np.ndarray) -> list[sp.Basic]:
    """Sign conditions on the inputs (or their differences) that hold exactly on the
    sample points a formula gives back: ``x >= 0``, ``y < 0``, ``x < y``."""
    out: list[sp.Basic] = []
    for form, values in forms:
        if np.all(values[cov] >= 0) and np.any(values[~cov] < 0):
            out.append(form >= 0 if form.is_Symbol else sp.GreaterThan(*_sides(form)))
        elif np.all(values[cov] < 0) and np.any(values[~cov] >= 0):
            out.append(form < 0 if form.is_Symbol else sp.StrictLessThan(*_sides(form)))
    return out


def _sides(difference: sp.Expr) -> tuple[sp.Expr, sp.Expr]:
    a, b = difference.as_ordered_terms()
    return (a, -b) if b.could_extract_minus_sign() else (b, -a)


def select_branches(t: Transform, candidates, opts: Options, n: int = 60):
    if len(t.inputs) == 1:
        return _select_one_variable(t, candidates, opts)
    rng = np.random.default_rng(opts.seed)
    pts = sample_points(t.inputs + t.parameters, t.domain, n, rng=rng)
    candidates = list(candidates) + [v for c in candidates for v in _real_root_variants(c)]
    # formulas written without I first: they win when two formulas cover the same points
    candidates.sort(key=lambda c: any(v.has(sp.I) for _, v in c.solution))
    covers = _coverage(t, candidates, pts)
    kept: list[tuple[strategies.Candidate, np.ndarray]] = []
    for c, cov in zip(candidates, covers):
        if cov.any() and not any(np.array_equal(cov, k[1]) for k in kept):
            kept.append((c, cov))
    covered = np.any([k[1] for k in kept], axis=0) if kept else np.zeros(len(pts), bool)
    if not covered.all():
        raise strategies.NotApplicable(
            f"the formulas found do not map back to {np.count_nonzero(~covered)} of {len(pts)} "
            "sample points of the domain")
    X = pts[:, :len(t.inputs)]
    forms = [(x, X[:, j]) for j, x in enumerate(t.inputs)]
    forms += [(t.inputs[i] - t.inputs[j], X[:, i] - X[:, j])
              for i in range(len(t.inputs)) for j in range(i + 1, len(t.inputs))]
    branches = []
    for c, cov in kept:
        extra: list[sp.Basic] = []
        if not cov.all():
            extra = _partition(forms, cov)
            selects = (lambda conds: bool(conds) and np.array_equal(  # noqa: E731
                condition_function(t.inputs + t.parameters, conds)(pts), cov))
            for cond in list(extra):  # keep only the conditions needed
                fewer = [d for d in extra if d is not cond]
                if selects(fewer):
                    extra = fewer
            if not selects(extra):
                # no simple description: say exactly which points this formula gives back
                back = dict(zip(t.outputs, t.exprs))
                extra = [sp.Eq(x, v.xreplace(back), evaluate=False) for x, v in c.solution]
        branches.append(build_branch(t, c, tuple(extra), opts))
    # the branch on the nonnegative side of each input first, as for u = x**2
    return sorted(branches, key=lambda b: tuple(int(sp.StrictLessThan(x, 0) in b.source)
                                                for x in t.inputs))


def _finite_points(expr: sp.Expr, x: sp.Symbol, lo: sp.Expr, hi: sp.Expr) -> list[sp.Expr] | None:
    try:
        found = sp.solveset(expr, x, sp.Interval.open(lo, hi))
    except (NotImplementedError, ValueError, TypeError):
        return None
    if found is sp.S.EmptySet:
        return []
    if not isinstance(found, sp.FiniteSet) or not all(p.is_number and p.is_real for p in found):
        return None
    return sorted(found, key=lambda p: float(p))


def _holds_at(conditions, x: sp.Symbol, value: sp.Expr) -> bool:
    if not value.is_finite:
        return False
    for c in conditions:
        if x in c.free_symbols:
            if c.free_symbols != {x}:
                return False
            if substitute_condition(c, {x: value}).simplify() is not sp.true:
                return False
    return True


def _realify(value: sp.Expr, y: sp.Symbol, *, negative: bool) -> sp.Expr | None:
    """``value`` without ``I`` where ``y`` has one sign (the real cube root of a
    negative number is ``-(-y)**(1/3)``), or None."""
    w = sp.Dummy("w", positive=True)
    what = "writing a root without complex numbers"
    try:
        with time_limit(5, what):
            real = sp.simplify(sp.expand_complex(value.xreplace({y: -w if negative else w})))
    except SymjacTimeoutError as exc:
        if exc.value != what:
            raise
        return None
    except (NotImplementedError, TypeError, ValueError):
        return None
    if real.has(sp.I):
        return None
    return real.xreplace({w: -y if negative else y})


@dataclass(frozen=True)
class _Pieces:
    """A one-variable map's domain cut where f' = 0 or f has a pole, so f is monotone on each."""

    domain: tuple[sp.Basic, ...]
    lo: sp.Expr
    hi: sp.Expr
    crit: list[sp.Expr]
    poles: list[sp.Expr]
    pieces: list[tuple[sp.Expr, sp.Expr]]
    rank: dict[int, int]  # pieces from 0 outwards: x >= 0 first, then x < 0 by |x|


def _select_one_variable(t: Transform, candidates, opts: Options):
    """One variable: split the domain where f' = 0 or f has a pole; on each piece
    keep the root that maps back to it; the image of the piece is the branch's domain."""
    cut = _monotone_pieces(t)
    chosen, candidates = _roots_per_piece(t, cut, candidates, opts)
    y = t.outputs[0]
    branches = []
    for k in sorted(chosen, key=lambda k: min(cut.rank[i] for i in chosen[k])):
        parts, images = _piece_conditions(t, cut, chosen[k])
        extra = () if all(p is sp.true for p in parts) or len(chosen[k]) == len(cut.pieces) else \
            ((sp.Or(*parts),) if len(parts) > 1 else tuple(parts[0].args if isinstance(parts[0], sp.And)
                                                            else (parts[0],)))
        image = None
        if images is not None:
            rel = sp.Union(*images).as_relational(y)
            flat = rel.args if isinstance(rel, sp.And) else (rel,)
            image = tuple(c for c in flat if c is not sp.true and not c.has(sp.oo, -sp.oo))
            if sp.false in image:
                image = None
        branches.append(build_branch(t, candidates[k], extra, opts, image=image))
    return branches


def _monotone_pieces(t: Transform) -> _Pieces:
    (x,), (f,) = t.inputs, t.exprs
    # where the map is real too: u = x**(1/3) is only defined (real) for x >= 0
    domain = tuple(dict.fromkeys(t.domain + real_conditions(f)))
    lo, hi = variable_bounds(domain, t.inputs + t.parameters)[x]
    num, den = sp.fraction(sp.together(f))
    crit = _finite_points(sp.diff(f, x), x, lo, hi)
    poles = _finite_points(den, x, lo, hi) if den.free_symbols & {x} else []
    if crit is None or poles is None:
        crit, poles = [], []
    ends = sorted(set(crit) | set(poles), key=lambda p: float(p))
    edges = [lo] + ends + [hi]
    pieces = [(a, b) for a, b in zip(edges, edges[1:])]
    order = sorted(range(len(pieces)), key=lambda i: (0, float(pieces[i][0])) if
                   pieces[i][0] >= 0 else (1, -float(pieces[i][1])))
    return _Pieces(domain, lo, hi, crit, poles, pieces, {i: k for k, i in enumerate(order)})


def _roots_per_piece(t: Transform, cut: _Pieces, candidates, opts: Options):
    """``{candidate: [pieces]}``: on each piece, the root formula that maps back to it."""
    (x,), (y,) = t.inputs, t.outputs
    rng = np.random.default_rng(opts.seed)
    chosen: dict[int, list[int]] = {}
    for i, (a, b) in enumerate(cut.pieces):
        conds = cut.domain + tuple(c for c in (x > a if a.is_finite else sp.true,
                                                 x < b if b.is_finite else sp.true) if c is not sp.true)
        try:
            pts = sample_points(t.inputs + t.parameters, conds, 40, rng=rng)
        except ValueError:
            continue
        covers = _coverage(t, candidates, pts)
        best = next((k for k, cov in enumerate(covers) if cov.all()), None)
        if best is None:
            raise strategies.NotApplicable(f"no root formula maps back to {a} < {x} < {b}")
        value = candidates[best].solution[0][1]
        if value.has(sp.I):  # a real root written with complex numbers: rewrite it on this piece
            f_pts = evaluate_at(lambdify_numeric(t.inputs + t.parameters, t.exprs), pts,
                                len(pts)).real[:, 0]
            real = _realify(value, y, negative=bool(np.all(f_pts < 0)))
            if real is not None:
                candidates = list(candidates) + [strategies.Candidate(((x, real),))]
                best = len(candidates) - 1
        chosen.setdefault(best, []).append(i)
    if not chosen:
        raise strategies.NotApplicable("no sample point of the domain was found")
    return chosen, candidates


def _piece_conditions(t: Transform, cut: _Pieces, members: list[int]):
    """The conditions on x of a branch's pieces, and their images (None when unknown)."""
    (x,), (f,) = t.inputs, t.exprs

    def includes(i: int, end: sp.Expr, other: int) -> bool:
        if end in cut.poles:
            return False
        if end in cut.crit:
            return cut.rank[i] < cut.rank[other]
        return _holds_at(cut.domain, x, end)

    parts: list[sp.Basic] = []
    images: list[sp.Interval] | None = []
    for i in sorted(members, key=lambda i: cut.rank[i]):
        a, b = cut.pieces[i]
        left = includes(i, a, i - 1) if a.is_finite else False
        right = includes(i, b, i + 1) if b.is_finite else False
        conds = []
        if a.is_finite and a != cut.lo:
            conds.append(x >= a if left else x > a)
        if b.is_finite and b != cut.hi:
            conds.append(x <= b if right else x < b)
        parts.append(sp.And(*conds))
        try:
            fa = sp.limit(f, x, a, "+")
            fb = sp.limit(f, x, b, "-")
        except (NotImplementedError, ValueError, TypeError):
            images = None
        if images is not None and fa.is_number and fb.is_number and fa.is_extended_real \
                and fb.is_extended_real:
            low, high, lo_open, hi_open = (fa, fb, not left, not right) if fb >= fa else \
                (fb, fa, not right, not left)
            images.append(sp.Interval(low, high, lo_open or not low.is_finite,
                                      hi_open or not high.is_finite))
        else:
            images = None
    return parts, images
