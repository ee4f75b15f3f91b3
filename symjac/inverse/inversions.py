"""Inverting a substitution: every real branch, its domain, and a certificate.

``invert(t)`` returns one Transform per real branch of the inverse map, each
taking ``t.outputs`` back to ``t.inputs`` on its own domain. ``inversion(t)``
returns the same branches with where each comes from, its Jacobian
determinant, a round-trip certificate, the strategy and the derivation.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, replace

import sympy as sp

from . import strategies
from ..result import Result
from ..derivation import Derivation, Tex, partial
from ..domains.probe import identically_zero, rng_for
from ..domains.conditions import substitute_conditions
from ..domains.signs import sample_points, substitute_condition
from ..domains.tidy import tidy_conditions
from ..errors import (DimensionError, InversionError, SingularTransformError, SymjacError,
                      SymjacTimeoutError)
from .branches import Certificate, InverseBranch, Options, build_branch
from .selection import select_branches
from .pieces import flat_pieces, join_branches
from .monotone import cubic_pieces, monotone_pieces
from .determinant import _in_outputs, inverse_determinant
from ..jacobian import jacobian_determinant
from ..timeouts import DEFAULT_TIMEOUT, time_limit
from ..transform import Transform, require_transform

__all__ = ["invert", "inversion", "Inversion", "InverseBranch", "Certificate",
           "inverse_determinant"]


@dataclass(frozen=True)
class Inversion(Result):
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

    @property
    def pieces(self) -> tuple[InverseBranch, ...]:
        """The branches with each branch given by cases split into its cases (one plain formula
        each, on its own part of the domain): what integrals and densities work with."""
        return flat_pieces(self.branches)

    def __str__(self) -> str:
        lines = [f"inverse of {self.transform}  ({len(self.branches)} branch"
                 f"{'es' * (len(self.branches) != 1)}, {self.strategy})"]
        for i, b in enumerate(self.branches, 1):
            lines.append(f"branch {i}: " + ", ".join(
                f"{o} = {sp.sstr(e)}" for o, e in zip(b.transform.outputs, b.transform.exprs)))
            lines.append("  for      " + (", ".join(sp.sstr(c) for c in b.transform.domain)
                                          or "all values"))
            for p in b.pieces:
                lines.append("  case     " + ", ".join(
                    f"{o} = {sp.sstr(e)}" for o, e in zip(p.transform.outputs, p.transform.exprs))
                    + " for " + (", ".join(sp.sstr(c) for c in p.transform.domain) or "all values"))
            lines.append("  from     " + (", ".join(sp.sstr(c) for c in b.source) or "the whole domain"))
            lines.append(f"  det J    = {sp.sstr(b.determinant)}")
            lines.append(f"  evidence: {b.certificate}")
        return "\n".join(lines)

    def _data(self) -> dict[str, object]:
        """The JSON form (``to_dict``): the map, the strategy, every branch and the steps."""
        return {"transform": self.transform, "strategy": self.strategy,
                "branches": list(self.branches), "steps": [s.text for s in self.steps]}

    def _problem(self) -> Derivation:
        """The problem: the map to invert, with its domain."""
        return Derivation().then("Invert the map", [("", self.transform)])

    def _latex_body(self) -> str:
        from ..latex import latex_expr

        parts = []
        for i, b in enumerate(self.branches):
            body = ",\\ ".join(f"{latex_expr(o)} = {latex_expr(e)}"
                               for o, e in zip(b.transform.outputs, b.transform.exprs))
            where = latex_expr(tuple(b.transform.domain)) if b.transform.domain else ""
            if where:
                body += r"\quad\text{for } " + where
            parts.append(body)
        return r"\\ ".join(parts) if len(parts) == 1 else \
            r"\begin{cases}" + r"\\ ".join(parts) + r"\end{cases}"


def _for(t: Transform) -> Tex:
    """A branch's formulas with the values where they hold."""
    from ..latex import latex_expr

    body = ",\\ ".join(f"{latex_expr(o)} = {latex_expr(e)}" for o, e in zip(t.outputs, t.exprs))
    text = " and ".join(f"{o} = {sp.sstr(e)}" for o, e in zip(t.outputs, t.exprs))
    if t.domain:
        body += r"\qquad \text{for } " + latex_expr(tuple(t.domain))
        text += " for " + ", ".join(sp.sstr(c) for c in t.domain)
    return Tex(body, text)


def invert(t: Transform, *, timeout: float | None = DEFAULT_TIMEOUT,
           pieces: bool = False) -> tuple[Transform, ...]:
    """Every real branch of the inverse of a square map, each on its own domain.

    Formulas that cover disjoint sets of values make one branch given by
    cases (``u = x**3`` has the single branch ``x = u**(1/3)`` for ``u >= 0``,
    ``-(-u)**(1/3)`` otherwise: the real cube root).

    Args:
        t: A square transform ``outputs = exprs(inputs)`` with its domain.
        timeout: Seconds the whole inversion may take.
        pieces: If True, a branch given by cases comes back as one Transform
            per case, each with a plain formula on its own domain.

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
    >>> for b in invert(Transform.from_equations("u = x**3"), pieces=True):
    ...     print(b)
    x = u**(1/3)  on  u >= 0
    x = -(-u)**(1/3)  on  u < 0
    """
    inv = inversion(t, timeout=timeout)
    return tuple(b.transform for b in inv.pieces) if pieces else inv.transforms


def inversion(t: Transform, *, timeout: float | None = DEFAULT_TIMEOUT, seed: int = 0,
              points: int = 30, prefer: tuple[str, ...] = ()) -> Inversion:
    """The inverse of a square map with the evidence: branches, sources, determinants, certificates.

    Args:
        t: A square transform with its domain.
        timeout: Seconds the whole inversion may take.
        seed: Seed of the random points used to select and check branches.
        points: How many random points each check uses.
        prefer: Labels of strategies to try before the others, in this order (the
            densities ask for ``"polar-type by turns"``, whose branches are half-planes).

    >>> from symjac import Transform, inversion
    >>> inv = inversion(Transform.from_equations("u = x**2"))
    >>> [b.source for b in inv.branches]
    [(x >= 0,), (x < 0,)]
    >>> inv.branches[0].certificate.passed, inv.strategy
    (True, 'one variable: every root, split where the map turns')
    """
    require_transform(t, "invert")
    if not t.is_square:
        n, m = t.dims
        raise DimensionError(
            f"cannot invert {t}: it has {n} unknown{'s' * (n != 1)} ({', '.join(map(str, t.inputs))}) "
            f"but {m} equation{'s' * (m != 1)}, so the inputs are not determined by the outputs. "
            "Add equations (for example auxiliary variables) so there are as many outputs as inputs.",
            value=t, expected="as many outputs as inputs")
    with time_limit(timeout, f"inverting {t}"):
        return _inversion(t, Options(timeout, seed, points), prefer)


# ---------------------------------------------------------------------- the pipeline


def _inversion(t: Transform, opts: Options, prefer: tuple[str, ...] = ()) -> Inversion:
    """The strategies in turn; the first whose branches all pass their certificate wins."""
    det = jacobian_determinant(t, timeout=opts.timeout)
    steps = _determinant_step(t, det)
    tried: list[str] = []
    failures: list[str] = []
    for label, finder in _ordered_strategies(prefer):
        if label in ("SymPy solve", "polynomial") and len(t.inputs) == 1:
            continue  # the one-variable strategy already asked SymPy for every root
        tried.append(label)
        found = _attempt(t, label, finder, opts, failures)
        if found is None:
            continue
        branches, strategy, note = found
        steps = steps.then(note)
        if label not in _UNJOINED:
            branches, steps = _joined_where_disjoint(t, branches, opts, steps)
        return Inversion(t, tuple(branches), strategy, _branch_steps(branches, steps))
    _fail(t, det, tuple(tried), failures, opts.timeout)
    raise AssertionError("unreachable")  # pragma: no cover


def _determinant_step(t: Transform, det: sp.Expr) -> Derivation:
    """The first step, ``det J``; a map whose determinant is identically 0 is refused."""
    forward, backward = partial(t.outputs, t.inputs), partial(t.inputs, t.outputs)
    if identically_zero(det):
        raise SingularTransformError(
            f"{t} is not invertible: its Jacobian determinant is identically 0, so the outputs "
            "are not independent (the map squeezes the space onto a lower-dimensional set). "
            "Check the equations for a relation between them.", value=det,
            expected="a Jacobian determinant that is not identically zero")
    return Derivation().then(
        "The Jacobian determinant of the map is needed: the inverse exists locally where it is "
        "non-zero, and the inverse's determinant is its reciprocal, {rule}.", [(forward, det)],
        rule=Tex(backward.latex + " = 1 / " + forward.latex, f"{backward.text} = 1/({forward.text})"))


def _ordered_strategies(prefer: tuple[str, ...]):
    by_label = dict(_STRATEGIES)
    unknown = [p for p in prefer if p not in by_label]
    if unknown:
        raise SymjacError(f"unknown inversion strateg{'ies' if len(unknown) > 1 else 'y'} "
                          f"{', '.join(map(repr, unknown))}; expected some of: "
                          f"{', '.join(by_label)}.", value=prefer, expected=tuple(by_label))
    return [(p, by_label[p]) for p in prefer] + [s for s in _STRATEGIES if s[0] not in prefer]


def _attempt(t: Transform, label: str, finder, opts: Options, failures: list[str]):
    """One strategy's branches, each certificate saying which strategy found it; None (and
    the reason in ``failures``) when it does not apply, fails or a certificate fails."""
    budget = None if opts.timeout is None else \
        (opts.timeout / 2 if label == "SymPy solve" else opts.timeout)
    what = f"inverting {t} ({label})"
    try:
        with time_limit(budget, what), warnings.catch_warnings():
            # sampling formulas that are complex on part of the domain casts complex to real
            warnings.simplefilter("ignore", RuntimeWarning)
            found = finder(t, opts)
    except strategies.NotApplicable as exc:
        failures.append(f"{label}: {exc}")
        return None
    except SymjacTimeoutError as exc:
        if exc.value != what:
            raise
        failures.append(f"{label}: stopped after {budget:g} s")
        return None
    except (NotImplementedError, ValueError, TypeError, ZeroDivisionError,
            sp.PolynomialError) as exc:
        failures.append(f"{label}: {type(exc).__name__}")
        return None
    branches, strategy, note = found
    failed = [i for i, b in enumerate(branches) if not b.certificate.passed]
    if failed or not branches:
        failures.append(f"{label}: the round-trip check failed on branch "
                        f"{', '.join(map(str, failed))}")
        return None
    return [_stamped(b, label) for b in branches], strategy, note


def _stamped(b: InverseBranch, label: str) -> InverseBranch:
    """The branch with its certificate (and its pieces') naming the strategy that found it."""
    if b.certificate.strategy:
        return b
    return replace(b, certificate=replace(b.certificate, strategy=label),
                   pieces=tuple(_stamped(p, label) for p in b.pieces))


def _joined_where_disjoint(t: Transform, branches, opts: Options, steps: Derivation):
    joined = join_branches(t, branches, opts)
    if len(joined) < len(branches) and all(b.certificate.passed for b in joined):
        steps = steps.then(
            "Formulas whose values do not overlap are one branch, written by cases:",
            [("", _for(p.transform)) for b in joined for p in b.pieces])
        return joined, steps
    return branches, steps


def _branch_steps(branches, steps: Derivation) -> Derivation:
    """One step per branch: its formulas, its determinant, where it holds and its evidence."""
    for i, b in enumerate(branches, 1):
        rows: list[tuple[object, object]] = list(zip(b.transform.outputs, b.transform.exprs))
        rows.append((partial(b.transform.outputs, b.transform.inputs), b.determinant))
        head = f"Branch {i}" if len(branches) > 1 else "The inverse"
        where = ", on {domain}" if b.transform.domain else ", for all values"
        proof = "proved symbolically" if b.certificate.symbolic else "not proved symbolically"
        check = f"the round trip is {proof} and holds at {b.certificate.points} sample points"
        steps = steps.then(head + where + f" ({check}):", rows,
                           **({"domain": tuple(b.transform.domain)} if b.transform.domain else {}))
    return steps


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
    stopped = [f.split(":")[0] for f in failures if ": stopped after" in f]
    note = (f" ({', '.join(stopped)} stopped at {'its' if len(stopped) == 1 else 'their'} time "
            "limit; a larger timeout=... may help.)" if stopped else "")
    raise InversionError(
        f"no closed-form inverse of {t} was found (tried: {', '.join(tried)})." + note + known
        + " Restrict the domain, or work with the map numerically.",
        value=t, tried=tried, inverse_determinant=inv_det,
        hint="; ".join(failures) or None)



# ---------------------------------------------------------------------- strategies


def _structural(finder, label: str, note: str):
    def run(t: Transform, opts: Options):
        candidates = finder(t)
        branches = [build_branch(t, c, c.source or (), opts) for c in candidates]
        return branches, label, note
    return run


def _polar_type(t: Transform, opts: Options):
    inner, (c,) = strategies.polar_type(t)
    radius, angle = inner.outputs
    inner_inv = inversion(inner, timeout=opts.timeout, seed=opts.seed, points=opts.points)
    polar = c.as_dict()
    low = sp.S.Zero if polar[angle].is_Add else -sp.pi
    branches = []
    for b in inner_inv.pieces:
        by_name = {s.name: s for s in b.transform.inputs}
        mapping = {by_name[radius.name]: polar[radius], by_name[angle.name]: polar[angle]}
        values = [e.xreplace(mapping) for e in b.transform.exprs]
        sector = strategies.sector(b.transform.domain, by_name[angle.name], *t.outputs)
        kept = []
        for cond in b.transform.domain:  # the radius and angle ranges the polar formulas give
            if _implied_by_polar(cond, by_name[radius.name], by_name[angle.name], low):
                continue
            if sector is not None and cond.free_symbols == {by_name[angle.name]}:
                continue  # said by the sector's half-planes
            kept.append(substitute_condition(cond, mapping))
        where = c.domain if sector is None else sector
        cand = strategies.Candidate(tuple(zip(t.inputs, values)), domain=where + tuple(kept),
                                    replaces_domain=True)
        source = tuple(s for s in b.source if s not in inner.domain)
        branches.append(build_branch(t, cand, source, opts))
    return (branches, "polar-type: radius and angle, then the inner map",
            "The map has the form x = R cos(A), y = R sin(A) with R > 0, so R = sqrt(x² + y²) and "
            "A is the angle of (x, y) in the range the domain gives; then (R, A) is inverted.")


def _polar_by_turns(t: Transform, opts: Options):
    """``(R cos A, R sin A)`` with ``R >= 0``: invert ``(R, A)``, then the angle is
    ``atan2(y2, y1) + 2*pi*k``; each ``k`` whose branch meets the domain is a branch (for
    Box-Muller ``k = 0`` on ``y2 > 0`` and ``k = 1`` on ``y2 < 0``: two half-planes)."""
    inner, radius, angle = _polar_inner(t)
    rho, phi = inner.outputs
    inner_inv = inversion(inner, timeout=opts.timeout, seed=opts.seed, points=opts.points)
    y1, y2 = t.outputs
    candidates = []
    for k in range(-2, 3):
        at = {rho: sp.sqrt(y1 ** 2 + y2 ** 2), phi: sp.atan2(y2, y1) + 2 * sp.pi * k}
        for b in inner_inv.pieces:
            rename = {s: o for s in b.transform.inputs for o in (rho, phi) if s.name == o.name}
            mapping = {x: e.xreplace(rename).xreplace(at)
                       for x, e in zip(b.transform.outputs, b.transform.exprs)}
            conds = tuple(substitute_conditions(b.transform.domain, {**rename}, evaluate=False))
            conds = tuple(substitute_conditions(conds, at, evaluate=False)) + tuple(
                substitute_conditions((sp.Gt(rho, 0, evaluate=False),) + t.domain, mapping,
                                      evaluate=False))
            if tidy_conditions(conds, t.outputs, up_to_null_sets=True,
                               timeout=opts.timeout) != (sp.false,):
                candidates.append(strategies.Candidate(tuple((x, mapping[x]) for x in t.inputs),
                                                       domain=conds, replaces_domain=True))
    if not candidates:
        raise strategies.NotApplicable("no turn of the angle meets the domain")
    return ([build_branch(t, c, (), opts) for c in candidates],
            "polar-type by turns: radius, and the angle atan2 plus whole turns",
            "The map has the form x = R cos(A), y = R sin(A) with R >= 0, so R = sqrt(x² + y²) "
            "and A = atan2(y, x) + 2πk for each whole turn k that meets the domain; then (R, A) "
            "is inverted.")


def _polar_inner(t: Transform) -> tuple[Transform, sp.Expr, sp.Expr]:
    """The inner map ``(R, A)`` of a map ``(R cos A, R sin A)`` whose ``R`` is not negative."""
    from ..domains.signs import sign_on

    if t.dims != (2, 2):
        raise strategies.NotApplicable("not two-dimensional")
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
        taken = {s.name for s in t.inputs + t.outputs + t.parameters}
        rho = sp.Symbol(next(n for n in ("rho_", "rho__", "radius_") if n not in taken), positive=True)
        phi = sp.Symbol(next(n for n in ("phi_", "phi__", "angle_") if n not in taken), real=True)
        return Transform(t.inputs, (radius, angle), (rho, phi), t.domain, t.parameters), radius, angle
    raise strategies.NotApplicable("not of the form R*cos(A), R*sin(A) with R >= 0")


def _monotone(finder, label: str, note: str):
    def run(t: Transform, opts: Options):
        quick = replace(opts, proof_seconds=1.0)  # trigonometric forms of roots resist simplify
        return [build_branch(t, c, c.source or (), quick, image=c.domain)
                for c in finder(t)], label, note
    return run


def _absolute_values(t: Transform, opts: Options):
    """``|g|`` in the map: invert on ``g >= 0`` and on ``g < 0`` separately, where ``|g|`` is
    ``g`` and ``-g`` (``u = x*|x|`` is ``x**2`` for x >= 0 and ``-x**2`` for x < 0)."""
    ins = set(t.inputs)
    found = sorted({a for e in t.exprs for a in e.atoms(sp.Abs) if a.args[0].free_symbols & ins},
                   key=sp.default_sort_key)
    if not found:
        raise strategies.NotApplicable("no absolute value of the inputs")
    a = found[0]
    g = a.args[0]
    branches = []
    for sign, cond in ((1, g >= 0), (-1, g < 0)):
        part = Transform(t.inputs, tuple(e.xreplace({a: sign * g}) for e in t.exprs), t.outputs,
                         t.domain + (cond,), t.parameters)
        try:
            sample_points(t.inputs + t.parameters, part.domain, 1, rng=rng_for("first point"))
        except ValueError:
            continue  # this sign does not occur on the domain
        inner = inversion(part, timeout=opts.timeout, seed=opts.seed, points=opts.points)
        for b in inner.pieces:
            branches.append(replace(b, source=(cond,) + tuple(c for c in b.source if c != cond)))
    return (branches, "absolute values: split by sign, then each side",
            f"The map has |{sp.sstr(g)}|: it is {sp.sstr(g)} where {sp.sstr(g)} >= 0 and "
            f"{sp.sstr(-g)} where {sp.sstr(g)} < 0; each side is inverted on its own.")


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
    def run(t: Transform, opts: Options):
        candidates = finder(t)
        return select_branches(t, candidates, opts), label, note
    return run


# strategies whose branches stay apart: one per monotone piece, in the order of the pieces
_UNJOINED = ("cubic", "monotone pieces")

_STRATEGIES = (
    ("named system", _structural(strategies.named, "named system: known inverse",
                                 "The map is a named coordinate system; use its known inverse "
                                 "(radius and atan2 angles in the domain's range).")),
    ("radius and angle", _structural(strategies.radius_and_angle,
                                     "radius and angle: back to polar or spherical coordinates",
                                     "The map gives the radius and the angles of the point "
                                     "(polar or spherical coordinates read backwards), so the "
                                     "inverse is the coordinate chart on the angles' ranges.")),
    ("affine", _structural(strategies.affine, "affine: matrix inverse",
                           "The map is affine, y = A x + b, so x = A⁻¹(y - b).")),
    ("monomial", _structural(strategies.monomial, "monomial: logarithms and an exact linear solve",
                             "The map is monomial on the positive orthant: taking logarithms gives "
                             "a linear system in log x with a rational matrix, solved exactly.")),
    ("polar-type", _polar_type),
    ("polar-type by turns", _polar_by_turns),
    ("absolute values", _absolute_values),
    ("cubic", _monotone(cubic_pieces, "cubic: real forms of its roots, piece by piece",
                        "The map is a cubic that turns: cut its domain where it turns and write "
                        "the root on each piece with cos and acos (three real roots) or cosh and "
                        "acosh (one), so no complex numbers appear.")),
    ("one variable", _solving(strategies.one_variable,
                              "one variable: every root, split where the map turns",
                              "Solve the map's equation for its input; split the domain where "
                              "the derivative is 0 and keep, on each piece, the root that maps "
                              "back to it.")),
    ("monotone pieces", _monotone(monotone_pieces, "monotone pieces: one formula per piece",
                                  "Cut the domain where the map turns; on each piece keep a "
                                  "formula (a root, a root shifted by the period) that maps back "
                                  "to it, on the image of the piece.")),
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
