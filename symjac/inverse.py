"""Inverting a substitution: every real branch, its domain, and a certificate.

``invert(t)`` returns one Transform per real branch of the inverse map, each
taking ``t.outputs`` back to ``t.inputs`` on its own domain. ``inversion(t)``
returns the same branches with where each comes from, its Jacobian
determinant, a round-trip certificate, the strategy and the derivation.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import sympy as sp

from . import inverse_strategies as strategies
from sympy.core.facts import InconsistentAssumptions

from .derivation import Derivation
from .domains import condition_function, sample_points, substitute_condition
from .errors import DimensionError, InversionError, SingularTransformError, SymjacTimeoutError
from .inverse_conditions import real_conditions, substitute_conditions, tidy_conditions
from .jacobian import jacobian_determinant
from .parsing import symbols_from_conditions
from .timeouts import DEFAULT_TIMEOUT, time_limit
from .transform import Transform

__all__ = ["invert", "inversion", "Inversion", "InverseBranch", "Certificate",
           "inverse_determinant"]

_RTOL = 1e-7


@dataclass(frozen=True)
class _Options:
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
    """

    transform: Transform
    source: tuple[sp.Basic, ...]
    determinant: sp.Expr
    certificate: Certificate


@dataclass(frozen=True)
class Inversion:
    """Every real branch of the inverse of a map, with how it was found.

    Attributes:
        transform: The map that was inverted.
        branches: The branches, in a stable order.
        strategy: How the formulas were found, in words.
        steps: The derivation.
    """

    transform: Transform
    branches: tuple[InverseBranch, ...]
    strategy: str
    steps: Derivation

    @property
    def transforms(self) -> tuple[Transform, ...]:
        """The branches as Transforms (what ``invert`` returns)."""
        return tuple(b.transform for b in self.branches)

    def __str__(self) -> str:
        lines = [f"inverse of {self.transform}  ({len(self.branches)} branch"
                 f"{'es' * (len(self.branches) != 1)}, {self.strategy})"]
        for i, b in enumerate(self.branches):
            lines.append(f"branch {i}: " + ", ".join(
                f"{o} = {sp.sstr(e)}" for o, e in zip(b.transform.outputs, b.transform.exprs)))
            lines.append("  for      " + (", ".join(sp.sstr(c) for c in b.transform.domain)
                                          or "all values"))
            lines.append("  from     " + (", ".join(sp.sstr(c) for c in b.source) or "the whole domain"))
            lines.append(f"  det J    = {sp.sstr(b.determinant)}")
            lines.append(f"  evidence: {b.certificate}")
        return "\n".join(lines)

    def _latex_body(self) -> str:
        parts = []
        for i, b in enumerate(self.branches):
            body = ",\\ ".join(f"{sp.latex(o)} = {sp.latex(e)}"
                               for o, e in zip(b.transform.outputs, b.transform.exprs))
            where = ",\\ ".join(sp.latex(c) for c in b.transform.domain)
            if where:
                body += r"\quad\text{for } " + where
            parts.append(body)
        return r"\\ ".join(parts) if len(parts) == 1 else \
            r"\begin{cases}" + r"\\ ".join(parts) + r"\end{cases}"

    def _repr_latex_(self) -> str:
        from .latex import to_latex

        return "$" + to_latex(self) + "$"


def invert(t: Transform, *, timeout: float | None = DEFAULT_TIMEOUT) -> tuple[Transform, ...]:
    """Every real branch of the inverse of a square map, each on its own domain.

    Args:
        t: A square transform ``outputs = exprs(inputs)`` with its domain.
        timeout: Seconds the whole inversion may take.

    Returns:
        One Transform per branch, mapping ``t.outputs`` back to ``t.inputs``;
        its domain says which outputs the branch covers.

    Raises:
        DimensionError: If the map is not square.
        SingularTransformError: If ``det J`` is identically zero.
        InversionError: If no closed form was found (the error carries
            ``1/det J`` in the new variables when it can be expressed).
        SymjacTimeoutError: If a step takes longer than ``timeout``.

    >>> from symjac import Transform, invert
    >>> invert(Transform.from_equations("u = x**2/y, v = y**2/x", domain="x > 0, y > 0"))
    (Transform(x = u**(2/3)*v**(1/3), y = u**(1/3)*v**(2/3)),)
    >>> for b in invert(Transform.from_equations("u = x**2")):
    ...     print(b)
    x = sqrt(u)  on  u >= 0
    x = -sqrt(u)  on  u > 0
    """
    return inversion(t, timeout=timeout).transforms


def inversion(t: Transform, *, timeout: float | None = DEFAULT_TIMEOUT, seed: int = 0,
              points: int = 30) -> Inversion:
    """The inverse of a square map with the evidence: branches, sources, determinants, certificates.

    Args:
        t: A square transform with its domain.
        timeout: Seconds the whole inversion may take.
        seed: Seed of the random points used to select and check branches.
        points: How many random points each check uses.

    >>> from symjac import Transform, inversion
    >>> inv = inversion(Transform.from_equations("u = x**2"))
    >>> [b.source for b in inv.branches]
    [(x >= 0,), (x < 0,)]
    >>> inv.branches[0].certificate.passed, inv.strategy
    (True, 'one variable: every root, split where the map turns')
    """
    if not isinstance(t, Transform):
        raise TypeError(f"invert takes a Transform, got {type(t).__name__}. "
                        "Build one with Transform.from_equations('u = ..., v = ...').")
    if not t.is_square:
        n, m = t.dims
        raise DimensionError(
            f"cannot invert {t}: it has {n} unknown{'s' * (n != 1)} ({', '.join(map(str, t.inputs))}) "
            f"but {m} equation{'s' * (m != 1)}, so the inputs are not determined by the outputs. "
            "Add equations (for example auxiliary variables) so there are as many outputs as inputs.",
            value=t, expected="as many outputs as inputs")
    with time_limit(timeout, f"inverting {t}"):
        return _inversion(t, timeout, seed, points)


def inverse_determinant(t: Transform, *, timeout: float | None = DEFAULT_TIMEOUT) -> sp.Expr | None:
    """``det d(inputs)/d(outputs) = 1/det J`` written in the outputs, without solving.

    Returns None when ``det J`` cannot be written as a function of the outputs.

    >>> from symjac import Transform
    >>> from symjac.inverse import inverse_determinant
    >>> inverse_determinant(Transform.from_equations("u = x*y, v = y/x**2"))
    1/(3*v)
    """
    with time_limit(timeout, f"writing 1/det J of {t} in its outputs"):
        det = jacobian_determinant(t, timeout=timeout)
        return _in_outputs(1 / det, t)


# ---------------------------------------------------------------------- the pipeline


def _inversion(t: Transform, timeout: float | None, seed: int, points: int) -> Inversion:
    opts = _Options(timeout, seed, points)
    det = jacobian_determinant(t, timeout=timeout)
    steps = Derivation().then(
        "The Jacobian determinant of the map is needed: the inverse exists locally where it is "
        "non-zero, and det J⁻¹ = 1/det J.", {"det J": det})
    if _identically_zero(det, t):
        raise SingularTransformError(
            f"{t} is not invertible: its Jacobian determinant is identically 0, so the outputs "
            "are not independent (the map squeezes the space onto a lower-dimensional set). "
            "Check the equations for a relation between them.", value=det,
            expected="a Jacobian determinant that is not identically zero")
    tried: list[str] = []
    failures: list[str] = []
    for label, finder in _STRATEGIES:
        if label == "SymPy solve" and len(t.inputs) == 1:
            continue  # the one-variable strategy already asked SymPy for every root
        tried.append(label)
        budget = None if timeout is None else (timeout / 2 if label == "SymPy solve" else timeout)
        what = f"inverting {t} ({label})"
        try:
            with time_limit(budget, what), warnings.catch_warnings():
                # sampling formulas that are complex on part of the domain casts complex to real
                warnings.simplefilter("ignore", RuntimeWarning)
                found = finder(t, opts)
        except strategies.NotApplicable as exc:
            failures.append(f"{label}: {exc}")
            continue
        except SymjacTimeoutError as exc:
            if exc.value != what:
                raise
            failures.append(f"{label}: stopped after {budget:g} s")
            continue
        except (NotImplementedError, ValueError, TypeError, ZeroDivisionError,
                sp.PolynomialError) as exc:
            failures.append(f"{label}: {type(exc).__name__}")
            continue
        if found is None:
            continue
        branches, strategy, note = found
        failed = [i for i, b in enumerate(branches) if not b.certificate.passed]
        if failed or not branches:
            failures.append(f"{label}: the round-trip check failed on branch "
                            f"{', '.join(map(str, failed))}")
            continue
        steps = steps.then(note)
        for i, b in enumerate(branches):
            steps = steps.then(
                f"Branch {i}: " + ", ".join(f"{o} = {sp.sstr(e)}" for o, e in
                                            zip(b.transform.outputs, b.transform.exprs))
                + " for " + (", ".join(sp.sstr(c) for c in b.transform.domain) or "all values")
                + f". {b.certificate}.", {"det J⁻¹": b.determinant})
        return Inversion(t, tuple(branches), strategy, steps)
    _fail(t, det, tuple(tried), failures, timeout)
    raise AssertionError("unreachable")  # pragma: no cover


def _fail(t: Transform, det: sp.Expr, tried: tuple[str, ...], failures: list[str],
          timeout: float | None) -> None:
    try:
        with time_limit(timeout, "writing 1/det J in the outputs"):
            inv_det = _in_outputs(1 / det, t)
    except SymjacTimeoutError:
        inv_det = None
    known = (f" What is known without a formula: det d({', '.join(map(str, t.inputs))})/"
             f"d({', '.join(map(str, t.outputs))}) = {sp.sstr(inv_det)}." if inv_det is not None else
             f" By the inverse function theorem, det J⁻¹ = 1/({sp.sstr(det)}) at the preimage.")
    raise InversionError(
        f"no closed-form inverse of {t} was found (tried: {', '.join(tried)})." + known
        + " Restrict the domain, or work with the map numerically.",
        value=t, tried=tried, inverse_determinant=inv_det,
        hint="; ".join(failures) or None)


def _identically_zero(det: sp.Expr, t: Transform) -> bool:
    if det.is_zero:
        return True
    if det.is_number:
        return False
    syms = tuple(sorted(det.free_symbols, key=str))
    f = sp.lambdify(syms, det, modules="numpy")
    rng = np.random.default_rng(7)
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        values = np.array([complex(f(*rng.uniform(0.2, 1.7, len(syms)))) for _ in range(6)])
    if np.all(np.abs(values) < 1e-12):
        return bool(sp.simplify(det) == 0) or bool(det.equals(0))
    return False


def _in_outputs(expr: sp.Expr, t: Transform) -> sp.Expr | None:
    """``expr`` (in the inputs) rewritten in the outputs, or None."""
    ins = set(t.inputs)
    if not expr.free_symbols & ins:
        return expr
    e = expr
    for f, y in sorted(zip(t.exprs, t.outputs), key=lambda p: -sp.count_ops(p[0])):
        e = e.subs(f, y)
        if not e.free_symbols & ins:
            return sp.factor(e)
    # elimination: D * den - num = 0 with y_i * den_i - num_i = 0, eliminate the inputs
    D = sp.Dummy("D")
    num, den = sp.fraction(sp.together(expr))
    polys = [sp.expand(D * den - num)]
    for f, y in zip(t.exprs, t.outputs):
        n_, d_ = sp.fraction(sp.together(f))
        polys.append(sp.expand(y * d_ - n_))
    if not all(p.is_polynomial(*t.inputs, D) for p in polys):
        return None
    try:
        G = sp.groebner(polys, *t.inputs, D, order="lex")
    except (sp.PolynomialError, NotImplementedError):
        return None
    for g in G.exprs:
        if g.free_symbols & ins or not g.has(D):
            continue
        if sp.degree(g, D) == 1:
            a = g.coeff(D, 1)
            b = g.coeff(D, 0)
            return sp.factor(-b / a)
    return None


# ---------------------------------------------------------------------- strategies


def _structural(finder, label: str, note: str):
    def run(t: Transform, opts: _Options):
        candidates = finder(t)
        branches = [_build(t, c, c.source or (), opts) for c in candidates]
        return branches, label, note
    return run


def _polar_type(t: Transform, opts: _Options):
    inner, (c,) = strategies.polar_type(t)
    radius, angle = inner.outputs
    inner_inv = inversion(inner, timeout=opts.timeout, seed=opts.seed, points=opts.points)
    polar = c.as_dict()
    low = sp.S.Zero if polar[angle].is_Add else -sp.pi
    branches = []
    for b in inner_inv.branches:
        by_name = {s.name: s for s in b.transform.inputs}
        mapping = {by_name[radius.name]: polar[radius], by_name[angle.name]: polar[angle]}
        values = [e.xreplace(mapping) for e in b.transform.exprs]
        kept = []
        for cond in b.transform.domain:  # the radius and angle ranges the polar formulas give
            if _implied_by_polar(cond, by_name[radius.name], by_name[angle.name], low):
                continue
            kept.append(substitute_condition(cond, mapping))
        cand = strategies.Candidate(tuple(zip(t.inputs, values)), domain=c.domain + tuple(kept),
                                    replaces_domain=True)
        source = tuple(s for s in b.source if s not in inner.domain)
        branches.append(_build(t, cand, source, opts))
    return (branches, "polar-type: radius and angle, then the inner map",
            "The map has the form x = R cos(A), y = R sin(A) with R > 0, so R = sqrt(x² + y²) and "
            "A is the angle of (x, y) in the range the domain gives; then (R, A) is inverted.")


def _implied_by_polar(cond: sp.Basic, radius: sp.Symbol, angle: sp.Symbol, low: sp.Expr) -> bool:
    if not isinstance(cond, sp.Rel) or isinstance(cond, (sp.Eq, sp.Ne)):
        return False
    free = cond.free_symbols
    small, large = (cond.lhs, cond.rhs) if isinstance(cond, (sp.StrictLessThan, sp.LessThan)) \
        else (cond.rhs, cond.lhs)
    if free == {radius}:
        return large == radius and small.is_number and small <= 0
    if free == {angle}:
        if large == angle and small.is_number:
            return bool(small <= low)
        if small == angle and large.is_number:
            return bool(large >= low + 2 * sp.pi)
    return False


def _solving(finder, label: str, note: str):
    def run(t: Transform, opts: _Options):
        candidates = finder(t)
        return _select(t, candidates, opts), label, note
    return run


_STRATEGIES = (
    ("named system", _structural(strategies.named, "named system: known inverse",
                                 "The map is a named coordinate system; use its known inverse "
                                 "(radius and atan2 angles in the domain's range).")),
    ("affine", _structural(strategies.affine, "affine: matrix inverse",
                           "The map is affine, y = A x + b, so x = A⁻¹(y - b).")),
    ("monomial", _structural(strategies.monomial, "monomial: logarithms and an exact linear solve",
                             "The map is monomial on the positive orthant: taking logarithms gives "
                             "a linear system in log x with a rational matrix, solved exactly.")),
    ("polar-type", _polar_type),
    ("one variable", _solving(strategies.one_variable,
                              "one variable: every root, split where the map turns",
                              "Solve f(x) = y for x; split the domain where f' = 0 and keep, on "
                              "each piece, the root that maps back to it.")),
    ("triangular", _solving(strategies.triangular, "triangular: back-substitution",
                            "Solve one equation in one unknown at a time and substitute; keep "
                            "the real roots that land in the domain.")),
    ("polynomial", _solving(strategies.polynomial, "polynomial: Gröbner basis",
                            "Solve the polynomial system through a lexicographic Gröbner basis; "
                            "keep the real solutions that land in the domain.")),
    ("SymPy solve", _solving(strategies.general, "general: SymPy's solve, filtered by the domain",
                             "Solve the system with SymPy; keep the real solutions that land in "
                             "the domain.")),
)


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


def _build(t: Transform, cand: strategies.Candidate, source_extra: tuple[sp.Basic, ...],
           opts: _Options, image: tuple[sp.Basic, ...] | None = None) -> InverseBranch:
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
        inherited = tuple(c for c in source if c.free_symbols & set(t.inputs)
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
        try:
            with time_limit(2, "simplifying the inverse's determinant"):
                det = sp.simplify(det)
        except SymjacTimeoutError:
            pass
    certificate = _certify(t, branch, source, det, opts.timeout, seed=opts.seed, n=opts.points)
    return InverseBranch(branch, tuple(c for c in source if c not in t.domain), det, certificate)


def _round_trip_ok(t: Transform, ys, values, pts: np.ndarray, source) -> np.ndarray:
    """Which rows ``y`` of ``pts`` (outputs then parameters) satisfy t(branch(y)) == y
    with branch(y) real and in ``source``."""
    m = len(pts)
    n_out = len(t.outputs)
    X = _evaluate(_lambdify(tuple(ys) + t.parameters, values), pts, m, complex_=True)
    real = np.all(np.abs(X.imag) <= 1e-9 * (1 + np.abs(X.real)), axis=1)
    Xr = np.concatenate([X.real, pts[:, n_out:]], axis=1)
    inside = condition_function(t.inputs + t.parameters, source)(Xr) if source else np.ones(m, bool)
    Y = _evaluate(_lambdify(t.inputs + t.parameters, t.exprs), Xr, m)
    close = np.all(np.abs(Y - pts[:, :n_out]) <= 1e-7 * np.maximum(1, np.abs(pts[:, :n_out])), axis=1)
    return real & inside & close


def _missing_sign_condition(t: Transform, ys, values, domain, source, n: int = 80
                            ) -> sp.Basic | None:
    """A sign condition on one output that the formula needs but the domain does not
    state yet (``R >= 0`` when ``sqrt(R**2)`` must give back ``R``), found at sample points."""
    try:
        pts = sample_points(tuple(ys) + t.parameters, domain, n, rng=np.random.default_rng(11))
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


def _lambdify(symbols, exprs):
    return sp.lambdify(tuple(symbols), list(exprs), modules=["scipy", "numpy"])


def _evaluate(f, columns: np.ndarray, n: int, *, complex_: bool = False) -> np.ndarray:
    """Rows of values of a lambdified list of expressions at the rows of ``columns``."""
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        args = columns.T.astype(complex) if complex_ else columns.T
        try:
            out = f(*args)
        except (TypeError, ValueError, ZeroDivisionError, AttributeError):
            if not complex_:
                raise
            out = f(*columns.T)
        return np.stack([np.broadcast_to(np.asarray(v, dtype=complex), (n,)) for v in out], axis=1)


def _certify(t: Transform, branch: Transform, source: tuple[sp.Basic, ...], det: sp.Expr,
             timeout: float | None, seed: int = 0, n: int = 30) -> Certificate:
    mapping = dict(zip(t.inputs, branch.exprs))
    by_name = {s.name: s for s in branch.inputs}
    ys = [by_name[o.name] for o in t.outputs]
    symbolic = True
    try:
        with time_limit(None if timeout is None else min(timeout, 5.0), "proving the round trip"):
            for e, y in zip(t.exprs, ys):
                diff = e.xreplace(mapping) - y
                if diff != 0 and sp.simplify(diff) != 0:
                    symbolic = False
                    break
    except SymjacTimeoutError:
        symbolic = False
    params = branch.parameters
    rng = np.random.default_rng(seed)
    try:
        pts = sample_points(branch.inputs + params, branch.domain, n, rng=rng)
    except ValueError:
        xs = sample_points(t.inputs + t.parameters, source, n, rng=rng)
        forward = _evaluate(_lambdify(t.inputs + t.parameters, t.exprs), xs, len(xs)).real
        pts = np.concatenate([forward, xs[:, len(t.inputs):]], axis=1)
    m = len(pts)
    P = pts[:, len(branch.inputs):]
    X = _evaluate(_lambdify(branch.inputs + params, branch.exprs), pts, m)
    real = np.all(np.abs(X.imag) <= 1e-12 * (1 + np.abs(X.real)), axis=1)
    Xr = np.concatenate([X.real, P], axis=1)
    inside = condition_function(t.inputs + t.parameters, source)(Xr) if source else np.ones(m, bool)
    Y = _evaluate(_lambdify(t.inputs + t.parameters, t.exprs), Xr, m)
    err = np.max(np.abs(Y - pts[:, :len(t.outputs)]) / np.maximum(1, np.abs(pts[:, :len(t.outputs)])),
                 axis=1)
    err = np.where(real & inside & np.isfinite(err), err, np.inf)
    d_t = _evaluate(_lambdify(t.inputs + t.parameters, [jacobian_determinant(t)]), Xr, m)[:, 0]
    d_b = _evaluate(_lambdify(branch.inputs + params, [det]), pts, m)[:, 0]
    with np.errstate(all="ignore"):
        d_err = np.abs(d_t * d_b - 1)
    d_err = d_err[np.isfinite(d_err)]
    return Certificate(symbolic, m, float(np.max(err)) if m else float("inf"),
                       float(np.max(d_err)) if d_err.size else float("nan"), seed)


# ---------------------------------------------------------------------- selecting real branches


def _coverage(t: Transform, candidates, pts: np.ndarray) -> list[np.ndarray]:
    n = len(pts)
    Y = _evaluate(_lambdify(t.inputs + t.parameters, t.exprs), pts, n).real
    YP = np.concatenate([Y, pts[:, len(t.inputs):]], axis=1)
    X = pts[:, :len(t.inputs)]
    out = []
    for c in candidates:
        values = [c.as_dict()[x] for x in t.inputs]
        try:
            Xc = _evaluate(_lambdify(t.outputs + t.parameters, values), YP, n, complex_=True)
        except (TypeError, ValueError, NameError, KeyError):
            out.append(np.zeros(n, bool))
            continue
        close = np.abs(Xc - X) <= 1e-6 * (1 + np.abs(X))
        out.append(np.all(close, axis=1))
    return out


def _real_root_variant(c: strategies.Candidate) -> strategies.Candidate | None:
    """The candidate with odd roots of negative numbers taken real (``b**(1/3)``
    as ``-(-b)**(1/3)``, valid where b < 0), when it has such roots and no ``I``."""
    values = [v for _, v in c.solution]
    if any(v.has(sp.I) for v in values):
        return None

    def odd_root(p: sp.Expr) -> bool:
        return p.is_Pow and p.exp.is_Rational and not p.exp.is_Integer and p.exp.q % 2 == 1 \
            and p.base.free_symbols and not p.base.is_nonnegative

    if not any(v.has(sp.Pow) and any(odd_root(p) for p in v.atoms(sp.Pow)) for v in values):
        return None
    real = [v.replace(odd_root, lambda p: (-1) ** (p.exp.p % 2) * (-p.base) ** p.exp)
            for v in values]
    return strategies.Candidate(tuple((x, r) for (x, _), r in zip(c.solution, real)))


def _select(t: Transform, candidates, opts: _Options, n: int = 60):
    if len(t.inputs) == 1:
        return _select_one_variable(t, candidates, opts)
    rng = np.random.default_rng(opts.seed)
    pts = sample_points(t.inputs + t.parameters, t.domain, n, rng=rng)
    candidates = list(candidates) + [v for v in (_real_root_variant(c) for c in candidates)
                                     if v is not None]
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
    branches = []
    for c, cov in kept:
        extra: list[sp.Basic] = []
        if not cov.all():
            for j, x in enumerate(t.inputs):
                col = X[:, j]
                if np.all(col[cov] >= 0) and np.any(col[~cov] < 0):
                    extra.append(x >= 0)
                elif np.all(col[cov] < 0) and np.any(col[~cov] >= 0):
                    extra.append(x < 0)
            if extra:
                chosen = condition_function(t.inputs + t.parameters, extra)(pts)
                if not np.array_equal(chosen, cov):
                    extra = []
        branches.append(_build(t, c, tuple(extra), opts))
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
    try:
        with time_limit(5, "writing a root without complex numbers"):
            real = sp.simplify(sp.expand_complex(value.xreplace({y: -w if negative else w})))
    except (SymjacTimeoutError, NotImplementedError, TypeError, ValueError):
        return None
    if real.has(sp.I):
        return None
    return real.xreplace({w: -y if negative else y})


def _select_one_variable(t: Transform, candidates, opts: _Options):
    """One variable: split the domain where f' = 0 or f has a pole; on each piece
    keep the root that maps back to it; the image of the piece is the branch's domain."""
    from .domains import variable_bounds

    (x,), (y,), (f,) = t.inputs, t.outputs, t.exprs
    lo, hi = variable_bounds(t.domain, t.inputs + t.parameters)[x]
    num, den = sp.fraction(sp.together(f))
    crit = _finite_points(sp.diff(f, x), x, lo, hi) if not t.parameters else None
    poles = _finite_points(den, x, lo, hi) if den.free_symbols & {x} and not t.parameters else []
    if crit is None or poles is None:
        crit, poles = [], []
    ends = sorted(set(crit) | set(poles), key=lambda p: float(p))
    edges = [lo] + ends + [hi]
    pieces = [(a, b) for a, b in zip(edges, edges[1:])]
    order = sorted(range(len(pieces)), key=lambda i: (0, float(pieces[i][0])) if
                   pieces[i][0] >= 0 else (1, -float(pieces[i][1])))
    rank = {i: k for k, i in enumerate(order)}
    rng = np.random.default_rng(opts.seed)
    chosen: dict[int, list[int]] = {}
    for i, (a, b) in enumerate(pieces):
        conds = t.domain + tuple(c for c in (x > a if a.is_finite else sp.true,
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
            f_pts = _evaluate(_lambdify(t.inputs + t.parameters, t.exprs), pts, len(pts)).real[:, 0]
            real = _realify(value, y, negative=bool(np.all(f_pts < 0)))
            if real is not None:
                candidates = list(candidates) + [strategies.Candidate(((x, real),))]
                best = len(candidates) - 1
        chosen.setdefault(best, []).append(i)
    if not chosen:
        raise strategies.NotApplicable("no sample point of the domain was found")

    def includes(i: int, end: sp.Expr, other: int) -> bool:
        if end in poles:
            return False
        if end in crit:
            return rank[i] < rank[other]
        return _holds_at(t.domain, x, end)

    branches = []
    for k in sorted(chosen, key=lambda k: min(rank[i] for i in chosen[k])):
        parts, images = [], []
        for i in sorted(chosen[k], key=lambda i: rank[i]):
            a, b = pieces[i]
            left = includes(i, a, i - 1) if a.is_finite else False
            right = includes(i, b, i + 1) if b.is_finite else False
            conds = []
            if a.is_finite and a != lo:
                conds.append(x >= a if left else x > a)
            if b.is_finite and b != hi:
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
        extra = () if all(p is sp.true for p in parts) or len(chosen[k]) == len(pieces) else \
            ((sp.Or(*parts),) if len(parts) > 1 else tuple(parts[0].args if isinstance(parts[0], sp.And)
                                                            else (parts[0],)))
        image = None
        if images is not None:
            rel = sp.Union(*images).as_relational(y)
            flat = rel.args if isinstance(rel, sp.And) else (rel,)
            image = tuple(c for c in flat if c is not sp.true and not c.has(sp.oo, -sp.oo))
            if sp.false in image:
                image = None
        branches.append(_build(t, candidates[k], extra, opts, image=image))
    return branches
