"""Jacobian matrices, determinants, volume elements and pseudo-determinants.

The determinant strategy is chosen from the structure of the Jacobian:
triangular matrices multiply their diagonal; orthogonal coordinates (``JᵀJ``
diagonal) multiply their scale factors; everything else is expanded exactly
over a polynomial ring or fraction field, with ``sin² + cos² = 1`` and
``cosh² - sinh² = 1`` applied exactly. The absolute value is dropped only
where the domain proves the sign; the sign and the singular set are reported.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import sympy as sp

from .result import Result
from .algebra import RingMatrix, could_extract_minus_sign, exact_evaluator, factors, ring_determinant, tidy, without_mod_slopes
from .derivation import (Derivation, Step, Tex, absolute, determinant_chain, differentials, partial,
                         plain, shown)
from .domains.probe import rng_for
from .domains.signs import Sign, sign_on, variable_bounds
from .errors import DimensionError, SymjacError, SymjacTimeoutError
from .timeouts import DEFAULT_TIMEOUT, time_limit
from .transform import Transform, require_transform

__all__ = ["jacobian", "jacobian_determinant", "volume_element", "pseudo_determinant",
           "jacobian_analysis", "JacobianAnalysis", "clear_cache"]


@dataclass(frozen=True)
class JacobianAnalysis(Result):
    """Everything symjac knows about a transform's Jacobian.

    Attributes:
        transform: The transform analysed.
        matrix: ``d outputs / d inputs`` (m rows, n columns).
        determinant: The signed determinant, or None if the map is not square.
        volume_element: ``|det J|`` for square maps; otherwise the
            pseudo-determinant (``sqrt(det(J Jᵀ))`` if m < n, ``sqrt(det(Jᵀ J))`` if m > n).
        kind: ``"determinant"``, ``"rows"`` (``J Jᵀ``) or ``"columns"`` (``Jᵀ J``).
        sign: The sign of ``det J`` on the domain (square maps), else of the volume element.
        singular_set: Conditions where the volume element vanishes (``r = 0``).
        strategy: How the determinant was found, in words.
        abs_kept: Factors whose sign could not be decided, kept inside ``Abs``.
        steps: The derivation.
    """

    transform: Transform
    matrix: sp.ImmutableMatrix
    determinant: sp.Expr | None
    volume_element: sp.Expr
    kind: str
    sign: Sign
    singular_set: tuple[sp.Basic, ...]
    strategy: str
    abs_kept: tuple[sp.Expr, ...]
    steps: Derivation

    def __str__(self) -> str:
        """A terminal summary: the map, J, the determinant(s), the sign and where it is singular."""
        lines = [f"Jacobian of {self.transform}", "    J = " + shown(self.matrix, " " * 8)]
        if self.determinant is not None:
            lines += [f"    det J = {plain(self.determinant)}",
                      f"    |det J| = {plain(self.volume_element)}",
                      f"    sign of det J on the domain: {self.sign.value}"]
        else:
            label = "sqrt(det(J Jᵀ))" if self.kind == "rows" else "sqrt(det(Jᵀ J))"
            lines.append(f"    volume element {label} = {plain(self.volume_element)}")
        if self.abs_kept:
            lines.append(f"    |.| kept around {plain(self.abs_kept)}: the domain does not decide "
                         "the sign")
        if self.singular_set == (sp.true,):
            lines.append("    singular everywhere: the Jacobian never has full rank")
        elif self.singular_set:
            lines.append(f"    singular where {plain(self.singular_set)}")
        return "\n".join(lines)

    def _data(self) -> dict[str, object]:
        """The JSON form (``to_dict``): formulas as text that ``symjac.parsing`` reads back."""
        return {
            "transform": self.transform,
            "jacobian": [list(self.matrix.row(i)) for i in range(self.matrix.rows)],
            "determinant": self.determinant,
            "volume_element": self.volume_element,
            "kind": self.kind,
            "sign": self.sign,
            "abs_kept": self.abs_kept,
            "singular_set": self.singular_set,
            "strategy": self.strategy,
            "steps": [s.text for s in self.steps],
        }

    def _latex_parts(self) -> list[str]:
        from .latex import latex_expr

        t = self.transform
        parts = ["J = " + latex_expr(self.matrix)]
        if self.determinant is not None:
            name = partial(t.outputs, t.inputs)
            parts.append(name.latex + " = " + latex_expr(determinant_chain(self.matrix, self.determinant)))
            parts.append(differentials(t.outputs).latex + " = "
                         + latex_expr(self.volume_element) + r"\," + differentials(t.inputs).latex)
        else:
            parts.append(_pseudo_name(self.kind).latex + " = " + latex_expr(self.volume_element))
        return parts


def _pseudo_name(kind: str) -> Tex:
    if kind == "rows":
        return Tex(r"\sqrt{\det\left(J J^{T}\right)}", "sqrt(det(J Jᵀ))")
    return Tex(r"\sqrt{\det\left(J^{T} J\right)}", "sqrt(det(Jᵀ J))")


def jacobian(t: Transform) -> sp.ImmutableMatrix:
    """The Jacobian matrix ``d outputs / d inputs`` of any n → m map.

    >>> from symjac import Transform, jacobian
    >>> jacobian(Transform.from_equations("u = x**2/y, v = y**2/x"))
    Matrix([
    [     2*x/y, -x**2/y**2],
    [-y**2/x**2,      2*y/x]])
    """
    _require_transform(t)
    return without_mod_slopes(sp.ImmutableMatrix(t.exprs).jacobian(t.inputs))


def jacobian_determinant(t: Transform, *, timeout: float | None = DEFAULT_TIMEOUT) -> sp.Expr:
    """Determinant of the Jacobian of a square transform, simplified.

    Args:
        t: A transform with as many inputs as outputs.
        timeout: Seconds each symbolic step may take.

    Returns:
        ``det(d exprs / d inputs)`` as an expression in ``t.inputs``.

    Raises:
        DimensionError: If ``t`` is not square; use ``volume_element``.
        SymjacTimeoutError: If a step takes longer than ``timeout``.

    >>> from symjac import system, jacobian_determinant, Transform
    >>> jacobian_determinant(system("spherical"))
    r**2*sin(theta)
    >>> jacobian_determinant(Transform.from_equations("u = x**2/y, v = y**2/x"))
    3
    """
    _require_transform(t)
    if not t.is_square:
        n, m = t.dims
        raise DimensionError(
            f"the determinant needs a square map, but this one has {n} inputs "
            f"({', '.join(map(str, t.inputs))}) and {m} outputs ({', '.join(map(str, t.outputs))}). "
            "Use volume_element(t) or pseudo_determinant(t) for maps between different dimensions.",
            value=t, expected="as many inputs as outputs")
    _check_timeout(timeout)
    try:  # the signed determinant alone: |det| and its sign proofs are left to volume_element
        return _signed(t, timeout)[0]
    except SymjacTimeoutError:
        clear_cache()
        raise


def volume_element(t: Transform, *, timeout: float | None = DEFAULT_TIMEOUT) -> sp.Expr:
    """The volume element: ``|det J|`` for square maps, the pseudo-determinant otherwise.

    The absolute value is dropped only where the domain proves the sign
    (``jacobian_analysis(t).abs_kept`` lists the factors where it could not).

    >>> from symjac import system, volume_element, Transform
    >>> volume_element(system("polar"))
    r
    >>> volume_element(Transform.from_equations("x = r*cos(t), y = r*sin(t)"))
    Abs(r)
    """
    _require_transform(t)
    return _volume(t, timeout).volume_element


def pseudo_determinant(t: Transform, *, timeout: float | None = DEFAULT_TIMEOUT) -> sp.Expr:
    """The pseudo-determinant of the Jacobian, for maps between different dimensions.

    For m outputs and n inputs with m < n it is ``sqrt(det(J Jᵀ))`` (``y = μᵀx``
    gives ``|μ|``); for m > n (a parametrised curve or surface) it is
    ``sqrt(det(Jᵀ J))``, the area element; for m = n it is ``|det J|``. It
    assumes J has full rank min(m, n); where the rank drops it is 0 (the
    ``singular_set`` of ``jacobian_analysis`` says where).

    >>> import sympy as sp
    >>> from symjac import Transform, pseudo_determinant
    >>> sphere = Transform.from_equations(
    ...     "x = a*sin(theta)*cos(phi), y = a*sin(theta)*sin(phi), z = a*cos(theta)",
    ...     inputs="theta phi", domain="a > 0, 0 < theta < pi, 0 < phi < 2*pi")
    >>> pseudo_determinant(sphere)
    a**2*sin(theta)
    >>> pseudo_determinant(Transform.from_equations("y = 3*x1 + 4*x2"))
    5
    """
    _require_transform(t)
    return _volume(t, timeout).volume_element


def jacobian_analysis(t: Transform, *, timeout: float | None = DEFAULT_TIMEOUT) -> JacobianAnalysis:
    """The Jacobian with its determinant, volume element, sign, singular set and steps.

    >>> from symjac import system, jacobian_analysis
    >>> a = jacobian_analysis(system("polar"))
    >>> a.determinant, a.volume_element, a.sign.value, a.singular_set
    (r, r, 'positive', (Eq(r, 0),))
    """
    _require_transform(t)
    _check_timeout(timeout)
    try:
        return _analysis(t, timeout)
    except SymjacTimeoutError:
        clear_cache()
        raise


def clear_cache() -> None:
    """Forget the cached analyses (each Transform's result is kept after the first call)."""
    _core.cache_clear()
    _signed.cache_clear()
    _analysis.cache_clear()


def _check_timeout(timeout: object) -> None:
    if timeout is not None and (isinstance(timeout, bool) or not isinstance(timeout, (int, float))
                                or timeout != timeout):
        raise SymjacError(f"timeout must be a number of seconds or None, got {timeout!r}.",
                          value=timeout, expected="a number of seconds, or None for no limit")


@dataclass(frozen=True)
class _Core:
    """What the volume element needs; the analysis adds sign, singular set and steps."""

    matrix: sp.ImmutableMatrix | None  # None when the determinant was found in a ring
    determinant: sp.Expr | None  # signed det (square) or None
    gram_determinant: sp.Expr | None  # det(J J^T) or det(J^T J) (not square) or None
    kind: str
    strategy: str
    note: str
    volume_element: sp.Expr
    abs_kept: tuple[sp.Expr, ...]
    abs_note: str


def _volume(t: Transform, timeout: float | None) -> _Core:
    _check_timeout(timeout)
    try:
        return _core(t, timeout)
    except SymjacTimeoutError:
        clear_cache()
        raise


@functools.lru_cache(maxsize=256)
def _signed(t: Transform, timeout: float | None) -> tuple[sp.Expr, str, str]:
    """The determinant of a square map's Jacobian: ``(det, strategy, sentence)``."""
    with time_limit(timeout, lambda: f"computing the determinant of the Jacobian of {t}"):
        return _square_determinant(t)


@functools.lru_cache(maxsize=256)
def _core(t: Transform, timeout: float | None) -> _Core:
    n, m = t.dims
    if m == n:
        det, strategy, note = _signed(t, timeout)
        with time_limit(timeout, lambda: f"taking the absolute value of the determinant {det}"):
            vol, kept, abs_note = _absolute(det, t, describe=False)
        return _Core(None, det, None, "determinant", strategy, note, vol, kept, abs_note)
    with time_limit(timeout, f"differentiating {t}"):
        J = jacobian(t)
    kind = "rows" if m < n else "columns"
    G = J * J.T if m < n else J.T * J
    with time_limit(timeout, f"computing the Gram determinant of {t}"):
        gram_det, strategy, note = _determinant(sp.ImmutableMatrix(G), t, gram_of=(J, kind))
        vol, kept, abs_note = gram_root(gram_det, t)
    return _Core(J, None, gram_det, kind, strategy, note, vol, kept, abs_note)


@functools.lru_cache(maxsize=256)
def _analysis(t: Transform, timeout: float | None) -> JacobianAnalysis:
    core = _core(t, timeout)
    J = core.matrix
    if J is None:
        with time_limit(timeout, f"differentiating {t}"):
            J = jacobian(t)
    steps = Derivation().then(
        "Differentiate each output ({outputs}) with respect to each input ({inputs}): the "
        "Jacobian matrix.", [(sp.Symbol("J"), J)], outputs=t.outputs, inputs=t.inputs)
    name = partial(t.outputs, t.inputs)
    if core.determinant is not None:
        det = core.determinant
        template, parts = _determinant_words(core)
        steps = steps.then(template, [(name, determinant_chain(J, det))], **parts)
        with time_limit(timeout, f"deciding the sign of {det}"):
            sign = sign_on(det, t.domain, symbols=t.inputs + t.parameters) if det.free_symbols \
                else _constant_sign(det)
        template, parts = _abs_words(core.abs_kept, t)
        steps = steps.then(template, [(absolute(name), core.volume_element)], **parts)
        zero_source = det
    else:
        formula = _pseudo_name(core.kind)
        n, m = t.dims
        steps = steps.then(
            f"The map goes from {n} to {m} dimensions, so the volume element is the "
            "pseudo-determinant {formula}. " + core.note.replace("{", "{{").replace("}", "}}"),
            [(Tex(formula.latex[len(r"\sqrt{"):-1], formula.text[5:-1]), core.gram_determinant)],
            formula=formula)
        steps = steps.then(core.abs_note, [(formula, core.volume_element)])
        sign = _constant_sign(core.volume_element) if core.volume_element.is_number \
            else Sign.NONNEGATIVE
        zero_source = core.gram_determinant
    with time_limit(timeout, "finding where the Jacobian is singular"):
        singular = _singular_set(zero_source, t)
    if singular == (sp.true,):
        steps = steps.then("The volume element is 0 everywhere: the Jacobian never has full rank, "
                           "so the map squeezes the space onto fewer dimensions.")
    elif singular:
        steps = steps.then("The volume element vanishes (the map is singular) where {where}.",
                           where=singular)
    return JacobianAnalysis(t, J, core.determinant, core.volume_element, core.kind, sign, singular,
                            core.strategy, core.abs_kept, steps)


# ---------------------------------------------------------------------- determinants


def _square_determinant(t: Transform) -> tuple[sp.Expr, str, str]:
    """Exact, simplified determinant of the Jacobian of a square map, computed in a
    ring when the entries allow it: ``(det, strategy, sentence)``."""
    ring = RingMatrix.from_transform(t)
    if ring is None:
        return _determinant(jacobian(t), t)
    if ring.is_triangular():
        det = tidy(sp.Mul(*ring.diagonal()))
        return det, "triangular", ("The Jacobian is triangular, so its determinant is the product "
                                   "of the diagonal.")
    return ring_determinant(ring, len(t.inputs))


def _determinant(M: sp.ImmutableMatrix, t: Transform, gram_of: tuple | None = None
                 ) -> tuple[sp.Expr, str, str]:
    """Exact determinant of M, simplified: ``(det, strategy, sentence)``."""
    n = M.rows
    if M.is_lower or M.is_upper:
        det = tidy(sp.Mul(*[M[i, i] for i in range(n)]))
        what = "Jacobian" if gram_of is None else "Gram matrix"
        return det, "triangular", (f"The {what} is triangular, so its determinant is the product "
                                   "of the diagonal.")
    ring = RingMatrix.build(M if gram_of is None else gram_of[0])
    if ring is None:
        det = tidy(sp.factor(sp.cancel(M.det(method="berkowitz"))))
        return det, "berkowitz", "Expand the determinant (Berkowitz) and cancel common factors."
    if gram_of is not None:
        G = ring.gram(rows=gram_of[1] == "rows")
        diagonal = G.diagonal_only()
        if diagonal is not None:
            det = tidy(sp.Mul(*diagonal))
            return det, "orthogonal", ("The Gram matrix is diagonal (orthogonal directions), so its "
                                       "determinant is the product of the squared scale factors.")
        return tidy(G.det()), "ring", "Expand the Gram determinant exactly over a polynomial ring."
    return ring_determinant(ring, n)


def _constant_sign(value: sp.Expr) -> Sign:
    if value.is_zero:
        return Sign.ZERO
    return Sign.POSITIVE if value.is_positive else Sign.NEGATIVE if value.is_negative else Sign.UNKNOWN


def _absolute(det: sp.Expr, t: Transform, *, describe: bool = True
              ) -> tuple[sp.Expr, tuple[sp.Expr, ...], str]:
    """|det| with Abs dropped on every factor whose sign the domain proves."""
    coeff, pairs = factors(det)
    out = sp.Abs(coeff)
    kept: list[sp.Expr] = []
    symbols = t.inputs + t.parameters
    for base, exp in pairs:
        if _changes_sign_quickly(base, t):
            sign = Sign.CHANGES
        else:
            sign = sign_on(base, t.domain, symbols=symbols, samples=0)
        if exp.is_Integer and exp % 2 == 0 and base.is_extended_real is not False:
            out *= (-base) ** exp if sign.is_nonpositive and not sign.is_nonnegative else base**exp
            continue
        if sign.is_nonnegative:
            out *= base**exp
        elif sign.is_nonpositive:
            out *= (-base) ** exp
        else:
            if could_extract_minus_sign(base):
                base = -base
            out *= sp.Abs(base, evaluate=sign is Sign.UNKNOWN) ** exp
            kept.append(base)
    return out, tuple(kept), _abs_note(tuple(kept), t) if describe else ""


_IDENTITIES = Tex(r"\sin^2 + \cos^2 = 1", "sin² + cos² = 1")
_HYPERBOLIC = Tex(r"\cosh^2 - \sinh^2 = 1", "cosh² - sinh² = 1")


def _determinant_words(core: _Core) -> tuple[str, dict[str, object]]:
    """The sentence of the determinant step, its formulas as parts."""
    if core.strategy == "orthogonal":
        return ("The columns of the Jacobian matrix are orthogonal, so its determinant is the "
                "product of their lengths (the scale factors), with the sign taken at one point.", {})
    if core.strategy == "ring" and "sin²" in core.note:
        return ("Expand the determinant exactly over the rational functions of the entries, apply "
                "{trig} and {hyperbolic} exactly, then cancel and factor.",
                {"trig": _IDENTITIES, "hyperbolic": _HYPERBOLIC})
    return core.note.replace("{", "{{").replace("}", "}}"), {}


def _abs_words(kept: tuple, t: Transform) -> tuple[str, dict[str, object]]:
    """The sentence of the absolute-value step, as a template and its formula parts."""
    if kept:
        where = "the domain ({domain})" if t.domain else "the domain (no conditions)"
        return ("Take the absolute value. The sign of {kept} is not decided by " + where + ", so "
                "the absolute value is kept; add conditions to the domain to remove it.",
                {"kept": tuple(kept), **({"domain": t.domain} if t.domain else {})})
    if t.domain:
        return ("Take the absolute value. On the domain {domain} the sign of every factor is "
                "known, so no absolute value remains.", {"domain": t.domain})
    return "Take the absolute value.", {}


def _abs_note(kept: tuple, t: Transform) -> str:
    template, parts = _abs_words(kept, t)
    return Step(template, (), tuple(parts.items())).text if parts else template


def _changes_sign_quickly(base: sp.Expr, t: Transform) -> bool:
    """True if a polynomial factor in unconstrained real inputs takes both signs at a
    few exact rational points (then no proof of a sign can exist, and |.| stays)."""
    free = base.free_symbols
    constrained = set().union(*(c.free_symbols for c in t.domain))
    if not free or not free <= set(t.inputs) or free & constrained or any(
            s.is_nonnegative is not None or s.is_nonpositive is not None for s in free):
        return False
    order = sorted(free, key=str)
    evaluate = exact_evaluator(base, order)  # fast only for an expanded polynomial
    if evaluate == base.xreplace and not base.is_polynomial(*free):
        return False
    rng, signs = rng_for("sign change"), set()
    for _ in range(8):
        value = evaluate({s: sp.Rational(int(rng.integers(-40, 41)), 7) for s in order})
        if value.is_Number and value != 0:
            signs.add(value > 0)
        if len(signs) == 2:
            return True
    return False


def gram_root(gram_det: sp.Expr, t: Transform) -> tuple[sp.Expr, tuple[sp.Expr, ...], str]:
    """sqrt(gram_det), pulling out squares and dropping Abs where the domain allows."""
    if gram_det.is_zero:
        return sp.S.Zero, (), ("The Gram determinant is identically 0: the Jacobian does not have "
                               "full rank anywhere, so the pseudo-determinant is 0.")
    coeff, pairs = factors(sp.factor(gram_det))
    inside = sp.S(coeff)
    outside = sp.S.One
    square_part = sp.S.One
    for base, exp in pairs:
        if exp.is_Integer:
            q, r = divmod(int(exp), 2)
            square_part *= base**q
            inside *= base**r
        else:
            inside *= base**exp
    vol, kept, note = _absolute(square_part, t) if square_part != 1 else (sp.S.One, (), "")
    outside = vol * sp.sqrt(inside)
    return outside, kept, ("Take the square root. " + note.replace("Take the absolute value. ", "")).strip()


def _singular_set(expr: sp.Expr, t: Transform) -> tuple[sp.Basic, ...]:
    if expr.is_number:
        return (sp.true,) if expr.is_zero else ()  # singular everywhere, or nowhere
    num, _ = sp.fraction(sp.factor(expr))
    coeff, pairs = factors(num)
    bounds = variable_bounds(t.domain, t.inputs + t.parameters)
    out: list[sp.Basic] = []
    for base, exp in pairs:
        if not base.free_symbols & set(t.inputs) or exp.is_negative:
            continue
        free = base.free_symbols & set(t.inputs)
        if len(free) != 1:
            sign = sign_on(base, t.domain, symbols=t.inputs + t.parameters)
            if sign in (Sign.POSITIVE, Sign.NEGATIVE):
                continue
        if len(free) == 1:
            (v,) = free
            lo, hi = bounds.get(v, (-sp.oo, sp.oo))
            try:
                roots = sp.solveset(base, v, sp.Interval(lo, hi))
            except (NotImplementedError, ValueError, TypeError):
                roots = None
            if roots is sp.S.EmptySet:
                continue
            if isinstance(roots, sp.FiniteSet):
                out.extend(sp.Eq(v, r, evaluate=False) for r in sorted(roots, key=sp.default_sort_key))
                continue
        out.append(_solved_for_one(base, free))
    return tuple(dict.fromkeys(out))


def _zeros_only_on_excluded_boundary(det: sp.Expr, singular: tuple, t: Transform) -> bool:
    """True when every zero of det is a point ``v = c`` that the domain's strict
    conditions exclude (``sin(theta)`` vanishes at theta = 0 and pi, but the domain
    is 0 < theta < pi), and the parameters cannot make det vanish."""
    inputs = set(t.inputs)
    for p in det.free_symbols - inputs:
        if not (p.is_nonzero or sign_on(p, t.domain, symbols=t.inputs + t.parameters)
                in (Sign.POSITIVE, Sign.NEGATIVE)):
            return False
    for cond in singular:
        if not (isinstance(cond, sp.Eq) and cond.lhs in inputs and cond.rhs.is_number):
            return False
        if not _excluded(cond.lhs, cond.rhs, t.domain):
            return False
    return True


def _excluded(v: sp.Symbol, c: sp.Expr, domain: tuple) -> bool:
    if c == 0 and (v.is_positive or v.is_negative):
        return True
    for cond in domain:
        parts = cond.args if isinstance(cond, sp.And) else (cond,)
        for rel in parts:
            if not isinstance(rel, (sp.StrictLessThan, sp.StrictGreaterThan)):
                continue
            small, large = (rel.lhs, rel.rhs) if isinstance(rel, sp.StrictLessThan) \
                else (rel.rhs, rel.lhs)
            if (small == v and large.is_number and (large - c).is_nonpositive) or \
                    (large == v and small.is_number and (small - c).is_nonnegative):
                return True
    return False


def _solved_for_one(base: sp.Expr, free: set) -> sp.Basic:
    """``base = 0`` written as ``v = ...`` when base is linear in some input v with a
    constant coefficient (``y - x = 0`` reads ``x = y``), else as ``base = 0``."""
    for v in sorted(free, key=str):
        try:
            poly = sp.Poly(base, v)
        except sp.PolynomialError:
            continue
        if poly.degree() == 1:
            slope, rest = poly.all_coeffs()
            if slope.is_number and slope != 0:
                return sp.Eq(v, sp.expand(-rest / slope), evaluate=False)
    return sp.Eq(base, 0, evaluate=False)


def _require_transform(t: object) -> None:
    require_transform(t, "the Jacobian")
