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

import numpy as np
import sympy as sp
from sympy.polys.matrices import DomainMatrix

from .derivation import Derivation, plain
from .domains import Sign, sample_points, sign_on, variable_bounds
from .errors import DimensionError, SymjacTimeoutError
from .timeouts import DEFAULT_TIMEOUT, time_limit
from .transform import Transform

__all__ = [
    "jacobian",
    "jacobian_determinant",
    "volume_element",
    "pseudo_determinant",
    "jacobian_analysis",
    "JacobianAnalysis",
]


@dataclass(frozen=True)
class JacobianAnalysis:
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

    def _repr_latex_(self) -> str:
        from .latex import to_latex

        return "$" + to_latex(self) + "$"


def jacobian(t: Transform) -> sp.ImmutableMatrix:
    """The Jacobian matrix ``d outputs / d inputs`` of any n → m map.

    >>> from symjac import Transform, jacobian
    >>> jacobian(Transform.from_equations("u = x**2/y, v = y**2/x"))
    Matrix([
    [     2*x/y, -x**2/y**2],
    [-y**2/x**2,      2*y/x]])
    """
    _require_transform(t)
    return sp.ImmutableMatrix(t.exprs).jacobian(t.inputs)


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
    det = jacobian_analysis(t, timeout=timeout).determinant
    assert det is not None  # square maps always have one
    return det


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
    return jacobian_analysis(t, timeout=timeout).volume_element


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
    return jacobian_analysis(t, timeout=timeout).volume_element


def jacobian_analysis(t: Transform, *, timeout: float | None = DEFAULT_TIMEOUT) -> JacobianAnalysis:
    """The Jacobian with its determinant, volume element, sign, singular set and steps.

    >>> from symjac import system, jacobian_analysis
    >>> a = jacobian_analysis(system("polar"))
    >>> a.determinant, a.volume_element, a.sign.value, a.singular_set
    (r, r, 'positive', (Eq(r, 0),))
    """
    _require_transform(t)
    try:
        return _analysis(t, timeout)
    except SymjacTimeoutError:
        _analysis.cache_clear()
        raise


@functools.lru_cache(maxsize=256)
def _analysis(t: Transform, timeout: float | None) -> JacobianAnalysis:
    with time_limit(timeout, f"differentiating {t}"):
        J = jacobian(t)
    steps = Derivation().then(
        f"Differentiate each output ({', '.join(map(str, t.outputs))}) with respect to each "
        f"input ({', '.join(map(str, t.inputs))}).", {"J": J})
    n, m = t.dims
    if m == n:
        with time_limit(timeout, f"computing the determinant of the Jacobian of {t}"):
            det, strategy, note = _determinant(J, t)
        steps = steps.then(note, {"det J": det})
        vol, kept, sign_note = _absolute(det, t)
        sign = sign_on(det, t.domain, symbols=t.inputs + t.parameters) if det.free_symbols else \
            _constant_sign(det)
        kind = "determinant"
        zero_source = det
        steps = steps.then(sign_note, {"|det J|": vol})
    else:
        kind = "rows" if m < n else "columns"
        G = J * J.T if m < n else J.T * J
        formula = "sqrt(det(J Jᵀ))" if m < n else "sqrt(det(Jᵀ J))"
        with time_limit(timeout, f"computing the Gram determinant of {t}"):
            gram_det, strategy, note = _determinant(sp.ImmutableMatrix(G), t, gram_of=(J, kind))
        steps = steps.then(
            f"The map goes from {n} to {m} dimensions, so the volume element is the "
            f"pseudo-determinant {formula}. " + note, {"det G": gram_det})
        vol, kept, sign_note = _sqrt_of(gram_det, t)
        sign = Sign.NONNEGATIVE
        det = None
        zero_source = gram_det
        steps = steps.then(sign_note, {formula: vol})
    with time_limit(timeout, "finding where the Jacobian is singular"):
        singular = _singular_set(zero_source, t)
    if singular:
        steps = steps.then("The volume element vanishes (the map is singular) where "
                           + plain(singular) + ".")
    return JacobianAnalysis(t, J, det, vol, kind, sign, singular, strategy, kept, steps)


# ---------------------------------------------------------------------- determinants


def _determinant(M: sp.ImmutableMatrix, t: Transform, gram_of: tuple | None = None
                 ) -> tuple[sp.Expr, str, str]:
    """Exact determinant of M, simplified: ``(det, strategy, sentence)``."""
    n = M.rows
    if M.is_lower or M.is_upper:
        det = _tidy(sp.Mul(*[M[i, i] for i in range(n)]))
        return det, "triangular", "The Jacobian is triangular, so its determinant is the product of the diagonal."
    ring = _RingMatrix.build(M if gram_of is None else gram_of[0])
    if ring is None:
        det = _tidy(sp.factor(sp.cancel(M.det(method="berkowitz"))))
        return det, "berkowitz", "Expand the determinant (Berkowitz) and cancel common factors."
    if gram_of is not None:
        G = ring.gram(rows=gram_of[1] == "rows")
        diagonal = G.diagonal_only()
        if diagonal is not None:
            det = _tidy(sp.Mul(*diagonal))
            return det, "orthogonal", ("The Gram matrix is diagonal (orthogonal directions), so its "
                                       "determinant is the product of the squared scale factors.")
        return _tidy(G.det()), "ring", "Expand the Gram determinant exactly over a polynomial ring."
    if n >= 2 and ring.numerically_orthogonal():
        G = ring.gram(rows=False)
        diagonal = G.diagonal_only()
        if diagonal is not None:
            squared = sp.Mul(*diagonal)
            root = _exact_sqrt(squared)
            if root is not None:
                sign = ring.sign_against(root)
                if sign is not None:
                    det = _tidy(sign * root)
                    return det, "orthogonal", (
                        "The columns of J are orthogonal (JᵀJ is diagonal), so det J is the product "
                        "of the scale factors h_i = |∂x/∂q_i|, up to a sign fixed at one point "
                        "(det J and the product agree up to sign as exact polynomials).")
    identities = (" and apply sin² + cos² = 1 and cosh² - sinh² = 1 exactly"
                  if ring.pairs else "")
    return _tidy(ring.det()), "ring", (
        "Expand the determinant exactly over the rational functions of the entries"
        + identities + ", then cancel and factor.")


def _exact_sqrt(expr: sp.Expr) -> sp.Expr | None:
    """sqrt(expr) as a rational expression when expr is a perfect square, else None."""
    num, den = sp.fraction(sp.together(expr))
    out = sp.S.One
    for part, power in ((num, 1), (den, -1)):
        try:
            coeff, factors = sp.factor_list(part)
        except sp.PolynomialError:
            return None
        if coeff < 0:
            return None
        root_coeff = sp.sqrt(coeff)
        if not root_coeff.is_Rational:
            return None
        out *= root_coeff**power
        for base, k in factors:
            if k % 2:
                return None
            out *= base ** (power * (k // 2))
    return out


class _RingMatrix:
    """A matrix over a polynomial ring/fraction field whose generators stand for
    the transcendental atoms (sin(t), cos(t), sqrt(...)), with the Pythagorean
    identities applied exactly."""

    def __init__(self, dm: DomainMatrix, back: dict, pairs: list[tuple[int, int, int]],
                 original: sp.ImmutableMatrix, gens: tuple):
        self.dm = dm
        self.back = back
        self.pairs = pairs
        self.original = original
        self.gens = gens

    @classmethod
    def build(cls, M: sp.ImmutableMatrix) -> _RingMatrix | None:
        atoms = sorted(M.atoms(sp.Function) | {p for p in M.atoms(sp.Pow) if not p.exp.is_Integer},
                       key=sp.default_sort_key)
        forward = {a: sp.Dummy(f"g{i}") for i, a in enumerate(atoms)}
        try:
            dm = DomainMatrix.from_Matrix(M.xreplace(forward))
        except (sp.PolificationFailed, sp.CoercionFailed, NotImplementedError, ValueError):
            return None
        K = dm.domain
        if K.is_EX or K.is_RR or K.is_CC or not hasattr(K, "symbols"):
            if K.is_ZZ or K.is_QQ:
                return cls(dm, {}, [], M, ())
            return None
        gens = tuple(K.symbols)
        back = {v: k for k, v in forward.items()}
        index = {back.get(g, g): i for i, g in enumerate(gens)}
        pairs = []
        for atom, i in index.items():
            if isinstance(atom, sp.cos) and sp.sin(atom.args[0]) in index:
                pairs.append((i, index[sp.sin(atom.args[0])], 1))
            if isinstance(atom, sp.cosh) and sp.sinh(atom.args[0]) in index:
                pairs.append((i, index[sp.sinh(atom.args[0])], -1))
        return cls(dm, back, pairs, M, gens)

    # -- reduction modulo c² = 1 - s² (trig) and c² = 1 + s² (hyperbolic)
    def _reduce_poly(self, p):
        ring = p.ring
        for ic, is_, sgn in self.pairs:
            if p.degree(ring.gens[ic]) < 2:
                continue
            base = ring.one - sgn * ring.gens[is_] ** 2
            powers = {0: ring.one}
            out = ring.zero
            for monom, coeff in p.terms():
                q, rem = divmod(monom[ic], 2)
                if q not in powers:
                    powers[q] = base**q
                m = list(monom)
                m[ic] = rem
                out += ring.from_dict({tuple(m): coeff}) * powers[q]
            p = out
        return p

    def reduce(self, element):
        K = self.dm.domain
        if not self.pairs:
            return element
        if K.is_PolynomialRing:
            return self._reduce_poly(element)
        if K.is_FractionField:
            return element.field.new(self._reduce_poly(element.numer),
                                     self._reduce_poly(element.denom))
        return element

    def to_sympy(self, element) -> sp.Expr:
        expr = self.dm.domain.to_sympy(element)
        return expr.xreplace(self.back)

    def det(self) -> sp.Expr:
        d = self.reduce(self.dm.det())
        return self.to_sympy(d)

    def gram(self, rows: bool) -> _Gram:
        dm = self.dm
        G = dm * dm.transpose() if rows else dm.transpose() * dm
        return _Gram(self, G)

    # -- numeric helpers
    def _numeric(self) -> tuple:
        if not hasattr(self, "_cache"):
            syms = sorted(self.original.free_symbols, key=str)
            f = sp.lambdify(syms, self.original, modules="numpy")
            self._cache = (syms, f)
        return self._cache

    def numerically_orthogonal(self) -> bool:
        syms, f = self._numeric()
        rng = np.random.default_rng(12345)
        with np.errstate(all="ignore"):
            for _ in range(2):
                point = rng.uniform(0.3, 1.3, len(syms))
                try:
                    J = np.asarray(f(*point), dtype=float)
                except (TypeError, ValueError, ZeroDivisionError):
                    return False
                G = J.T @ J
                off = G - np.diag(np.diag(G))
                if not np.all(np.isfinite(G)) or np.max(np.abs(off)) > 1e-9 * max(np.max(np.abs(G)), 1):
                    return False
        return True

    def sign_against(self, root: sp.Expr) -> int | None:
        """+1 or -1 such that det J = sign * root; found at one point where root != 0
        (det J = ±root holds as an identity of polynomials, so one point decides it)."""
        import mpmath

        syms = sorted(self.original.free_symbols | root.free_symbols, key=str)
        rng = np.random.default_rng(2024)
        f_matrix = sp.lambdify(syms, self.original, modules="mpmath")
        f_root = sp.lambdify(syms, root, modules="mpmath")
        with mpmath.workdps(40):
            for _ in range(5):
                point = [mpmath.mpf(int(rng.integers(300, 1300))) / 1000 for _ in syms]
                r = f_root(*point)
                if r == 0:
                    continue
                d = mpmath.det(mpmath.matrix(f_matrix(*point).tolist()))
                if abs(abs(d) - abs(r)) > mpmath.mpf(10) ** -25 * abs(r):
                    return None
                return 1 if (d > 0) == (r > 0) else -1
        return None


class _Gram:
    def __init__(self, parent: _RingMatrix, G: DomainMatrix):
        self.parent = parent
        self.G = G

    def diagonal_only(self) -> list[sp.Expr] | None:
        rows = self.G.to_list()
        n = len(rows)
        for i in range(n):
            for j in range(n):
                if i != j and self.parent.reduce(rows[i][j]):
                    return None
        return [_tidy(self.parent.to_sympy(self.parent.reduce(rows[i][i]))) for i in range(n)]

    def det(self) -> sp.Expr:
        return self.parent.to_sympy(self.parent.reduce(self.G.det()))


# ---------------------------------------------------------------------- simplification


def _tidy(expr: sp.Expr) -> sp.Expr:
    """A light simplification: cancel and factor, then give each sum of
    trigonometric or hyperbolic terms its shortest Pythagorean form
    (``1 - sin(v)**2`` becomes ``cos(v)**2``)."""
    expr = sp.factor(sp.cancel(expr))
    if not expr.has(sp.sin, sp.cos, sp.sinh, sp.cosh):
        return expr
    coeff, pairs = _factors(expr)
    out = coeff
    for base, exp in pairs:
        if base.is_Add and base.has(sp.sin, sp.cos, sp.sinh, sp.cosh):
            candidates = [base]
            for rule in (_cos_to_sin, _sin_to_cos):
                try:
                    candidates.append(sp.factor(rule(base)))
                except (sp.PolynomialError, NotImplementedError):
                    pass
            base = min(candidates, key=lambda e: (sp.count_ops(e), len(str(e))))
        out *= base**exp
    return out


def _cos_to_sin(e: sp.Expr) -> sp.Expr:
    return e.replace(lambda a: a.is_Pow and isinstance(a.base, (sp.cos, sp.cosh)) and a.exp.is_Integer
                     and a.exp >= 2, lambda a: _pyth(a.base, int(a.exp)))


def _sin_to_cos(e: sp.Expr) -> sp.Expr:
    return e.replace(lambda a: a.is_Pow and isinstance(a.base, (sp.sin, sp.sinh)) and a.exp.is_Integer
                     and a.exp >= 2, lambda a: _pyth(a.base, int(a.exp)))


def _pyth(f: sp.Expr, k: int) -> sp.Expr:
    """f**k with f**2 replaced by its Pythagorean partner (cos² = 1 - sin², ...)."""
    x = f.args[0]
    square = {sp.cos: 1 - sp.sin(x) ** 2, sp.sin: 1 - sp.cos(x) ** 2,
              sp.cosh: 1 + sp.sinh(x) ** 2, sp.sinh: sp.cosh(x) ** 2 - 1}[type(f)]
    q, r = divmod(k, 2)
    return f**r * square**q


def _constant_sign(value: sp.Expr) -> Sign:
    if value.is_zero:
        return Sign.ZERO
    return Sign.POSITIVE if value.is_positive else Sign.NEGATIVE if value.is_negative else Sign.UNKNOWN


def _factors(expr: sp.Expr) -> tuple[sp.Expr, list[tuple[sp.Expr, sp.Expr]]]:
    """Numeric coefficient and (base, exponent) pairs of a product."""
    coeff, rest = expr.as_coeff_Mul()
    pairs = []
    for f in sp.Mul.make_args(rest):
        base, exp = f.as_base_exp()
        pairs.append((base, exp))
    return coeff, pairs


def _absolute(det: sp.Expr, t: Transform) -> tuple[sp.Expr, tuple[sp.Expr, ...], str]:
    """|det| with Abs dropped on every factor whose sign the domain proves."""
    coeff, pairs = _factors(det)
    out = sp.Abs(coeff)
    kept: list[sp.Expr] = []
    flipped: list[sp.Expr] = []
    symbols = t.inputs + t.parameters
    for base, exp in pairs:
        sign = sign_on(base, t.domain, symbols=symbols)
        if exp.is_Integer and exp % 2 == 0 and base.is_extended_real is not False:
            out *= (-base) ** exp if sign.is_nonpositive and not sign.is_nonnegative else base**exp
            continue
        if sign.is_nonnegative:
            out *= base**exp
        elif sign.is_nonpositive:
            out *= (-base) ** exp
            flipped.append(base)
        else:
            out *= sp.Abs(base) ** exp
            kept.append(base)
    if kept:
        where = plain(t.domain) or "no conditions"
        note = (f"Take the absolute value. The sign of {', '.join(map(str, kept))} is not decided "
                f"by the domain ({where}), so |.| is kept; add conditions to the domain to remove it.")
    elif t.domain:
        note = ("Take the absolute value. On the domain (" + plain(t.domain) +
                ") the sign of every factor is known, so no |.| remains.")
    else:
        note = "Take the absolute value."
    return out, tuple(kept), note


def _sqrt_of(gram_det: sp.Expr, t: Transform) -> tuple[sp.Expr, tuple[sp.Expr, ...], str]:
    """sqrt(gram_det), pulling out squares and dropping Abs where the domain allows."""
    if gram_det.is_zero:
        return sp.S.Zero, (), ("The Gram determinant is identically 0: the Jacobian does not have "
                               "full rank anywhere, so the pseudo-determinant is 0.")
    coeff, pairs = _factors(sp.factor(gram_det))
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
        return (sp.Eq(sp.S.Zero, 0),) if expr.is_zero else ()
    num, _ = sp.fraction(sp.factor(expr))
    coeff, pairs = _factors(num)
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
        out.append(sp.Eq(base, 0, evaluate=False))
    return tuple(dict.fromkeys(out))


def _require_transform(t: object) -> None:
    if not isinstance(t, Transform):
        raise TypeError(
            f"expected a Transform, got {type(t).__name__}. Build one with "
            "Transform.from_equations('x = r*cos(t), y = r*sin(t)') or system('polar').")
