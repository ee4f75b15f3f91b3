"""Inverse branches: their domains, their certificates, and which formulas are real.

``build_branch`` turns one inverse formula into an ``InverseBranch``: the values
it covers (where it is real, what its source maps onto), its Jacobian
determinant and a round-trip ``Certificate``. Which of a solver's formulas are
real branches is ``symjac.inverse.selection``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sympy as sp
from sympy.core.facts import InconsistentAssumptions

from . import strategies
from ..result import to_data
from ..domains.probe import evaluate_at, lambdify_numeric, rng_for
from ..domains.signs import condition_function, sample_points, substitute_condition
from ..errors import SymjacTimeoutError
from ..domains.conditions import real_conditions, substitute_conditions
from ..domains.tidy import tidy_conditions
from ..jacobian import jacobian_determinant
from ..parsing import symbols_from_conditions
from ..timeouts import time_limit
from ..transform import Transform

__all__ = ["Certificate", "InverseBranch", "Options", "build_branch", "certify"]

_RTOL = 1e-7


@dataclass(frozen=True)
class Options:
    """How branches are checked: the time limit, the seed and the number of points."""

    timeout: float | None
    seed: int
    points: int
    proof_seconds: float = 5.0  # at most this long for the symbolic round trip of each branch


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
        strategy: The strategy of the inversion that found the branch (its acceptance
            rule: the formulas it proposes and the round trip above).
    """

    symbolic: bool
    points: int
    worst_error: float
    determinant_error: float
    seed: int
    rtol: float = _RTOL
    strategy: str = ""

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
                "strategy": self.strategy, "passed": self.passed}


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
    source = tuple(dict.fromkeys(t.domain + tuple(source_extra)))
    domain = _branch_domain(t, cand, values, source, source_extra, image, plain)
    symbols = _renamed_symbols(t, domain)
    final = _rename(list(values) + list(domain), t, symbols)
    values = [v.xreplace(final) for v in values]
    domain = tuple(c for c in (substitute_condition(c, final) for c in domain) if c is not sp.true)
    new_inputs = tuple(symbols[s.name] for s in t.outputs)
    branch = Transform(new_inputs, tuple(values), t.inputs, domain, t.parameters,
                       name=f"inverse of {t.name}" if t.name else None)
    det = _branch_determinant(branch, opts)
    certificate = certify(t, branch, source, det, opts.timeout, seed=opts.seed, n=opts.points,
                          proof_seconds=opts.proof_seconds)
    return InverseBranch(branch, tuple(c for c in source if c not in t.domain), det, certificate)


def _branch_domain(t: Transform, cand: strategies.Candidate, values, source, source_extra,
                   image, plain) -> tuple[sp.Basic, ...]:
    """The outputs a formula covers: the candidate's own conditions, where the formula is real,
    the image it was cut to, and the source's conditions carried over to the outputs."""
    cand_domain = tuple(substitute_condition(c, _rename([c], t, plain)) for c in cand.domain or ())
    base = cand_domain + tuple(c for v in values for c in real_conditions(v)) + (image or ())
    inherited = _inherited(t, cand, source, source_extra, image)
    # conditions inherited from the source, decided where possible by the base conditions
    to_assumed = _rename(list(values) + list(base), t, _renamed_symbols(t, base))
    inherited = substitute_conditions(
        inherited, {x: v.xreplace(to_assumed) for x, v in zip(t.inputs, values)})
    inherited = tuple(substitute_condition(c, _rename([c], t, plain)) for c in inherited)
    domain = tidy_conditions(tuple(dict.fromkeys(base + inherited)))
    ys = tuple(plain.values())
    domain = _ordered(tuple(dict.fromkeys(domain + _param_conditions(t))), ys)
    missing = _missing_sign_condition(t, ys, values, domain, source)
    return domain if missing is None else tidy_conditions(domain + (missing,))


def _inherited(t: Transform, cand: strategies.Candidate, source, source_extra, image
               ) -> tuple[sp.Basic, ...]:
    """The conditions on the inputs that the branch's domain must carry over."""
    if image is not None:
        return ()
    if cand.replaces_domain:
        return tuple(c for c in source_extra if c not in t.domain)
    # the domain's conditions, and where the map itself is defined (x2 != 0 for x1/x2)
    defined = tuple(c for e in t.exprs for c in real_conditions(e))
    return tuple(c for c in source + defined if c.free_symbols & set(t.inputs)
                 and c not in cand.covered)


def _branch_determinant(branch: Transform, opts: Options) -> sp.Expr:
    """``det`` of the branch, simplified (within 2 s) when it has absolute values or signs."""
    det = sp.powsimp(jacobian_determinant(branch, timeout=opts.timeout))
    if not det.has(sp.Abs, sp.sign):
        return det
    what = "simplifying the inverse's determinant"
    try:
        with time_limit(2, what):
            return sp.simplify(det)
    except SymjacTimeoutError as exc:
        if exc.value != what:  # the caller's own time limit: pass it on
            raise
    return det


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
            timeout: float | None, seed: int = 0, n: int = 30, proof_seconds: float = 5.0
            ) -> Certificate:
    """The round trip ``t(branch(y)) == y``, proved by SymPy within ``proof_seconds`` where it
    can, and checked at ``n`` seeded points of the branch's domain with ``det J det J⁻¹ = 1``."""
    mapping = dict(zip(t.inputs, branch.exprs))
    by_name = {s.name: s for s in branch.inputs}
    ys = [by_name[o.name] for o in t.outputs]
    symbolic = True
    what = "proving the round trip"
    try:
        with time_limit(None if timeout is None else min(timeout, proof_seconds), what):
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
