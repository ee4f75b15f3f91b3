"""Exact algebra for Jacobians: determinants over polynomial rings and fraction fields.

Each transcendental atom of a map (``sin(t)``, ``sqrt(x**2 + y**2)``, ...) becomes a generator of a
ring, so a Jacobian is differentiated and its determinant expanded exactly there, with
``sin² + cos² = 1`` and ``cosh² - sinh² = 1`` applied as reductions; ``tidy`` gives each result its
shortest Pythagorean form. Shared by ``jacobian`` and the differential operators.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
import sympy as sp
from sympy.polys.constructor import construct_domain
from sympy.polys.matrices import DomainMatrix

from .determinants import could_extract_minus_sign, domain_determinant, flint_factor_list, ring_expr
from .domains.probe import rng_for

if TYPE_CHECKING:
    from .transform import Transform

__all__ = ["RingMatrix", "without_mod_slopes", "ring_determinant", "exact_sqrt", "tidy", "cos_to_sin", "sin_to_cos",
           "factors", "exact_evaluator", "could_extract_minus_sign"]


def ring_determinant(ring: RingMatrix, n: int) -> tuple[sp.Expr, str, str]:
    if n >= 2 and ring.pairs and ring.numerically_orthogonal():
        G = ring.gram(rows=False)
        diagonal = G.diagonal_only()
        if diagonal is not None:
            squared = sp.Mul(*diagonal)
            root = exact_sqrt(squared)
            if root is not None:
                sign = ring.sign_against(root)
                if sign is not None:
                    det = tidy(sign * root)
                    return det, "orthogonal", (
                        "The columns of J are orthogonal (JᵀJ is diagonal), so det J is the product "
                        "of the scale factors h_i = |∂x/∂q_i|, up to a sign fixed at one point "
                        "(det J and the product agree up to sign as exact polynomials).")
    identities = (" and apply sin² + cos² = 1 and cosh² - sinh² = 1 exactly"
                  if ring.pairs else "")
    factored = ring.factored_det()
    det = tidy(ring.det()) if factored is None else tidy(factored, factored=True)
    return det, "ring", (
        "Expand the determinant exactly over the rational functions of the entries"
        + identities + ", then cancel and factor.")


def exact_sqrt(expr: sp.Expr) -> sp.Expr | None:
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


class RingMatrix:
    """A matrix over a polynomial ring/fraction field whose generators stand for
    the transcendental atoms (sin(t), cos(t), sqrt(...)), with the Pythagorean
    identities applied exactly."""

    def __init__(self, dm: DomainMatrix, back: dict, pairs: list[tuple[int, int, int]],
                 symbols: tuple, gens: tuple):
        self.dm = dm
        self.back = back
        self.pairs = pairs
        self.symbols = tuple(sorted(symbols, key=str))
        self.gens = gens
        self._det = None

    @staticmethod
    def _pairs(index: dict) -> list[tuple[int, int, int]]:
        pairs = []
        for atom, i in index.items():
            if isinstance(atom, sp.cos) and sp.sin(atom.args[0]) in index:
                pairs.append((i, index[sp.sin(atom.args[0])], 1))
            if isinstance(atom, sp.cosh) and sp.sinh(atom.args[0]) in index:
                pairs.append((i, index[sp.sinh(atom.args[0])], -1))
        return pairs

    @classmethod
    def from_transform(cls, t: Transform) -> RingMatrix | None:
        """The Jacobian of ``t`` computed inside the ring: each transcendental atom
        (sin(t), sqrt(x**2 + y**2), ...) is a generator, and d/dx of an element is
        its partial derivative in x plus the chain rule through the atoms.

        A rational power ``b**(p/q)`` is the p-th power of the one generator ``b**(1/q)``, so
        the derivatives of a root (``y**(-1/2)/2`` for ``sqrt(y)``) stay in the same ring."""
        found = _atoms_and_derivatives(t.exprs, t.inputs)
        if found is None:
            return None
        atoms, derivatives = found
        ordered = sorted(atoms, key=sp.default_sort_key)
        forward = {a: sp.Dummy(f"g{i}") for i, a in enumerate(ordered)}
        keys = list(derivatives)
        items = [_in_generators(e, forward) for e in t.exprs] + [
            _in_generators(derivatives[k], forward) for k in keys]
        K, elements = _ring_of(items)
        if K is None:
            return None
        m, n = len(t.exprs), len(t.inputs)
        if K.is_ZZ or K.is_QQ:
            dm = DomainMatrix([[K.zero] * n for _ in range(m)], (m, n), K)
            return cls(dm, {}, [], t.inputs + t.parameters, ())
        back = {v: k for k, v in forward.items()}
        gens_sym = tuple(K.symbols)
        gen_of = {back.get(g, g): K.gens[i] for i, g in enumerate(gens_sym)}
        d_of = dict(zip(keys, elements[m:]))
        rows = [[K.convert(_chain_rule(P, x, gen_of, ordered, d_of, K.zero)) for x in t.inputs]
                for P in elements[:m]]
        dm = DomainMatrix(rows, (m, n), K)
        index = {back.get(g, g): i for i, g in enumerate(gens_sym)}
        return cls(dm, back, cls._pairs(index), t.inputs + t.parameters, gens_sym)

    def is_triangular(self) -> bool:
        rows = self.dm.to_list()
        n = len(rows)
        lower = all(not rows[i][j] for i in range(n) for j in range(i + 1, n))
        upper = all(not rows[i][j] for i in range(n) for j in range(i))
        return lower or upper

    def diagonal(self) -> list[sp.Expr]:
        rows = self.dm.to_list()
        return [self.to_sympy(self.reduce(rows[i][i])) for i in range(len(rows))]

    @classmethod
    def build(cls, M: sp.ImmutableMatrix) -> RingMatrix | None:
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
                return cls(dm, {}, [], tuple(M.free_symbols), ())
            return None
        gens = tuple(K.symbols)
        back = {v: k for k, v in forward.items()}
        index = {back.get(g, g): i for i, g in enumerate(gens)}
        return cls(dm, back, cls._pairs(index), tuple(M.free_symbols), gens)

    # -- reduction modulo c^2 = 1 - s^2 (trig) and c^2 = 1 + s^2 (hyperbolic)
    def _reduce_poly(self, p):
        ring = p.ring
        for ic, is_, sgn in self.pairs:
            if p.degree(ring.gens[ic]) < 2:
                continue
            # c**(2q + r) = c**r * (1 - sgn*s**2)**q, expanded binomially into a dict
            terms: dict[tuple, object] = {}
            zero = ring.domain.zero
            for monom, coeff in p.terms():
                q, rem = divmod(monom[ic], 2)
                base = list(monom)
                base[ic] = rem
                binom = 1
                for j in range(q + 1):
                    m = base.copy()
                    m[is_] += 2 * j
                    key = tuple(m)
                    value = coeff * binom * (-sgn) ** j
                    terms[key] = terms.get(key, zero) + value
                    binom = binom * (q - j) // (j + 1)
            p = ring.from_dict({k: v for k, v in terms.items() if v})
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

    def ring_det(self):
        """The determinant as a reduced ring element, computed once (sparse expansion, on
        FLINT where installed; see ``symjac.determinants``)."""
        if self._det is None:
            self._det = self.reduce(domain_determinant(self.dm))
        return self._det

    def det(self) -> sp.Expr:
        return self.to_sympy(self.ring_det())

    def factored_det(self) -> sp.Expr | None:
        """The determinant, factored inside the ring (cheaper than SymPy's factor on the
        expanded expression); None if the ring cannot factor."""
        return self.factored(self.ring_det())

    def factored(self, d) -> sp.Expr | None:
        """A (reduced) ring element as a factored SymPy expression, or None."""
        K = self.dm.domain
        if not (K.is_PolynomialRing or K.is_FractionField):
            return self.to_sympy(d)
        parts = ((d.numer, 1), (d.denom, -1)) if K.is_FractionField else ((d, 1),)
        out = sp.S.One
        try:
            for p, power in parts:
                coeff, factors = flint_factor_list(p) or p.factor_list()
                out *= p.ring.domain.to_sympy(coeff) ** power
                for f, k in factors:  # a Rational times an Add distributes: scaled in the ring
                    distribute = k * power == 1 and out.is_Rational and out != 1 and len(f) > 1
                    out = ring_expr(f, self.back, out) if distribute else out * ring_expr(f, self.back) ** (k * power)
        except (NotImplementedError, sp.PolynomialError, sp.DomainError):
            return None
        return out

    def gram(self, rows: bool) -> _Gram:
        dm = self.dm
        G = dm * dm.transpose() if rows else dm.transpose() * dm
        return _Gram(self, G)

    # -- numeric helpers: evaluate the ring elements at a point, atoms first
    def _atom_values(self, point: dict, *, mp: bool) -> list:
        import mpmath

        values = []
        for g in self.gens:
            atom = self.back.get(g, g)
            if atom in point:
                values.append(point[atom])
                continue
            value = atom.evalf(40 if mp else 17, subs=point)
            if not value.is_real or not value.is_Number:
                raise ValueError("not real at this point")
            values.append(mpmath.mpf(value) if mp else float(value))
        return values

    def _evaluate(self, values: list, one: object) -> list[list]:
        K = self.dm.domain

        def poly(p) -> object:
            total = one * 0
            for monom, coeff in p.terms():
                term = one * float(coeff) if not hasattr(one, "prec") else one * _mpq(coeff)
                for v, e in zip(values, monom):
                    if e:
                        term *= v**e
                total += term
            return total

        def element(e) -> object:
            if K.is_FractionField:
                return poly(e.numer) / poly(e.denom)
            if K.is_PolynomialRing:
                return poly(e)
            return one * (float(e) if not hasattr(one, "prec") else _mpq(e))

        return [[element(e) for e in row] for row in self.dm.to_list()]

    def _point(self, rng: np.random.Generator, *, mp: bool) -> dict:
        syms = self.symbols
        raw = [int(rng.integers(300, 1300)) for _ in syms]
        if mp:
            return {s: sp.Rational(v, 1000) for s, v in zip(syms, raw)}
        return {s: sp.Float(v / 1000) for s, v in zip(syms, raw)}

    def numerically_orthogonal(self) -> bool:
        rng = rng_for("orthogonal columns")
        with np.errstate(all="ignore"):
            for _ in range(2):
                try:
                    values = self._atom_values(self._point(rng, mp=False), mp=False)
                    J = np.array(self._evaluate(values, 1.0), dtype=float)
                except (TypeError, ValueError, ZeroDivisionError, OverflowError):
                    return False
                G = J.T @ J
                off = G - np.diag(np.diag(G))
                if not np.all(np.isfinite(G)) or np.max(np.abs(off)) > 1e-9 * max(np.max(np.abs(G)), 1):
                    return False
        return True

    def sign_against(self, root: sp.Expr) -> int | None:
        """+1 or -1 such that det J = sign * root; found at one point where root != 0
        (det J = +-root holds as an identity of polynomials, so one point decides it)."""
        import mpmath

        rng = rng_for("determinant sign")
        with mpmath.workdps(40):
            for _ in range(5):
                point = self._point(rng, mp=True)
                try:
                    r = mpmath.mpf(root.evalf(40, subs=point))
                    values = self._atom_values(point, mp=True)
                    d = mpmath.det(mpmath.matrix(self._evaluate(values, mpmath.mpf(1))))
                except (TypeError, ValueError, ZeroDivisionError):
                    return None
                if r == 0:
                    continue
                if abs(abs(d) - abs(r)) > mpmath.mpf(10) ** -25 * abs(r):
                    return None
                return 1 if (d > 0) == (r > 0) else -1
        return None


def exact_evaluator(base: sp.Expr, order: list) -> Callable[[dict], sp.Expr]:
    """base at a rational point, exactly: in integers through its terms when it is an expanded
    polynomial with rational coefficients (fast for thousands of terms), else by substitution."""
    position = {s: i for i, s in enumerate(order)}
    terms = []
    for term in sp.Add.make_args(base):
        c, rest = term.as_coeff_Mul()
        if not c.is_Rational:
            return base.xreplace
        monom = [0] * len(order)
        for factor in sp.Mul.make_args(rest) if rest is not sp.S.One else ():
            b, e = factor.as_base_exp()
            if b not in position or not (e.is_Integer and e.p > 0):  # .p: no SymPy comparison
                return base.xreplace
            monom[position[b]] += int(e)
        terms.append((int(c.p), int(c.q), monom))
    top = [max(m[i] for _, _, m in terms) for i in range(len(order))]
    scale = math.lcm(*(q for _, q, _ in terms))


    def evaluate(point: dict) -> sp.Expr:
        xs = [(int(point[s].p), int(point[s].q)) for s in order]
        # sum of c * prod(p**e * q**(top - e)) over the common denominator scale * prod(q**top),
        # each p**e * q**(top - e) taken from a table of the powers of this point
        tables = [[p**e * q ** (d - e) for e in range(d + 1)] for (p, q), d in zip(xs, top)]
        total = sum(cp * (scale // cq) * math.prod(map(list.__getitem__, tables, monom))
                    for cp, cq, monom in terms)
        den = scale
        for (_, q), d in zip(xs, top):
            den *= q**d
        return sp.Rational(total, den)

    return evaluate


def _atoms(e: sp.Expr) -> set:
    return e.atoms(sp.Function) | {_root(p) for p in e.atoms(sp.Pow) if not p.exp.is_Integer}


def _root(p: sp.Pow) -> sp.Expr:
    """The generator of a power: ``b**(1/q)`` for ``b**(p/q)``, the power itself otherwise."""
    if p.exp.is_Rational:
        return sp.Pow(p.base, sp.Rational(1, p.exp.q))
    return p


def _atoms_and_derivatives(exprs: tuple, xs: tuple) -> tuple[set, dict] | None:
    """The atoms of ``exprs`` closed under d/dx, and each atom's derivatives; None when they
    keep growing or one of them is no function the ring can hold (a Derivative)."""
    atoms: set = set()
    for e in exprs:
        atoms |= _atoms(e)
    derivatives: dict = {}
    todo = list(atoms)
    while todo:
        a = todo.pop()
        for x in xs:
            if x in a.free_symbols:
                d = without_mod_slopes(a.diff(x))
                derivatives[(a, x)] = d
                new = _atoms(d) - atoms
                atoms |= new
                todo.extend(new)
        if len(atoms) > 4 * len(xs) + 40:
            return None
    if any(not isinstance(a, (sp.Function, sp.Pow)) or isinstance(a, sp.Derivative)
           or type(a).__name__ in ("AppliedUndef",) for a in atoms):
        return None
    return atoms, derivatives


def _in_generators(e: sp.Expr, forward: dict) -> sp.Expr:
    """``e`` with each atom replaced by its generator, ``b**(p/q)`` by ``g**p``."""
    if e in forward:
        return forward[e]
    if e.is_Pow and e.exp.is_Rational and not e.exp.is_Integer:
        g = forward.get(_root(e))
        if g is not None:
            return g ** e.exp.p
    if not e.args:
        return e
    return e.func(*[_in_generators(a, forward) for a in e.args])


def _ring_of(items: list) -> tuple:
    """(domain, elements) of exact polynomials or fractions in the generators, or (None, None)."""
    try:
        K, elements = construct_domain(items)
    except (sp.PolificationFailed, sp.CoercionFailed, NotImplementedError, ValueError):
        return None, None
    if K.is_EX or K.is_RR or K.is_CC or K.is_Algebraic:
        return None, None
    return K, elements


def _chain_rule(P, x: sp.Symbol, gen_of: dict, ordered: list, d_of: dict, zero):
    """d/dx of the ring element P: its partial in x plus the chain rule through the atoms."""
    total = P.diff(gen_of[x]) if x in gen_of else zero
    for a in ordered:
        if (a, x) in d_of and a in gen_of:
            total += P.diff(gen_of[a]) * d_of[(a, x)]
    return total


def _mpq(q: object):
    import mpmath

    q = sp.Rational(q) if not isinstance(q, sp.Rational) else q
    return mpmath.mpf(int(q.p)) / int(q.q)


class _Gram:
    def __init__(self, parent: RingMatrix, G: DomainMatrix):
        self.parent = parent
        self.G = G

    def diagonal_only(self) -> list[sp.Expr] | None:
        rows = self.G.to_list()
        n = len(rows)
        for i in range(n):
            for j in range(i + 1, n):  # the Gram matrix is symmetric
                if self.parent.reduce(rows[i][j]):
                    return None
        out = []
        for i in range(n):
            element = self.parent.reduce(rows[i][i])
            factored = self.parent.factored(element)
            out.append(tidy(self.parent.to_sympy(element)) if factored is None
                       else tidy(factored, factored=True))
        return out

    def det(self) -> sp.Expr:
        return self.parent.to_sympy(self.parent.reduce(domain_determinant(self.G)))


# ---------------------------------------------------------------------- simplification


def tidy(expr: sp.Expr, *, factored: bool = False) -> sp.Expr:
    """A light simplification: cancel and factor (unless already ``factored``), then
    give each sum of trigonometric or hyperbolic terms its shortest Pythagorean form
    (``1 - sin(v)**2`` becomes ``cos(v)**2``)."""
    if not factored:
        expr = sp.factor(sp.cancel(expr))
    else:  # pull numeric content out of each factor: 2*(y - x), not (-2*x + 2*y)
        expr = sp.Mul(*[f if _primitive_polynomial(f) else sp.factor_terms(f)
                        for f in sp.Mul.make_args(expr)])
    if not expr.has(sp.sin, sp.cos, sp.sinh, sp.cosh):
        return expr
    coeff, pairs = factors(expr)
    out = coeff
    for base, exp in pairs:
        if base.is_Add and base.has(sp.sin, sp.cos, sp.sinh, sp.cosh):
            candidates = [base]
            for rule in (cos_to_sin, sin_to_cos):
                try:
                    candidates.append(sp.factor(rule(base)))
                except (sp.PolynomialError, NotImplementedError):
                    pass
            base = min(candidates, key=lambda e: (sp.count_ops(e), len(str(e))))
        out *= base**exp
    return out


def _primitive_polynomial(f: sp.Expr) -> bool:
    """True for a sum of monomials in symbols with coprime integer coefficients, not all
    negative, and no symbol in every term: ``factor_terms`` has nothing to pull out of it
    (the factors FLINT and SymPy return are of this kind; a 2,000-term one took seconds)."""
    if not f.is_Add:
        return False
    coefficients, common = [], None
    for term in f.args:
        c, rest = term.as_coeff_Mul()
        if not c.is_Integer:
            return False
        coefficients.append(int(c))
        symbols = set()
        if rest is not sp.S.One:
            for factor in sp.Mul.make_args(rest):
                base, exp = factor.as_base_exp()
                if not (base.is_Symbol and exp.is_Integer and exp.p > 0):
                    return False
                symbols.add(base)
        common = symbols if common is None else common & symbols
    return not common and math.gcd(*coefficients) == 1 and max(coefficients) > 0


def cos_to_sin(e: sp.Expr) -> sp.Expr:
    return e.replace(lambda a: a.is_Pow and isinstance(a.base, (sp.cos, sp.cosh)) and a.exp.is_Integer
                     and a.exp >= 2, lambda a: _pyth(a.base, int(a.exp)))


def sin_to_cos(e: sp.Expr) -> sp.Expr:
    return e.replace(lambda a: a.is_Pow and isinstance(a.base, (sp.sin, sp.sinh)) and a.exp.is_Integer
                     and a.exp >= 2, lambda a: _pyth(a.base, int(a.exp)))


def _pyth(f: sp.Expr, k: int) -> sp.Expr:
    """f**k with f**2 replaced by its Pythagorean partner (cos² = 1 - sin², ...)."""
    x = f.args[0]
    square = {sp.cos: 1 - sp.sin(x) ** 2, sp.sin: 1 - sp.cos(x) ** 2,
              sp.cosh: 1 + sp.sinh(x) ** 2, sp.sinh: sp.cosh(x) ** 2 - 1}[type(f)]
    q, r = divmod(k, 2)
    return f**r * square**q


def factors(expr: sp.Expr) -> tuple[sp.Expr, list[tuple[sp.Expr, sp.Expr]]]:
    """Numeric coefficient and (base, exponent) pairs of a product."""
    coeff, rest = expr.as_coeff_Mul()
    pairs = []
    for f in sp.Mul.make_args(rest):
        base, exp = f.as_base_exp()
        pairs.append((base, exp))
    return coeff, pairs


def without_mod_slopes(expr: sp.Basic) -> sp.Basic:
    """``expr`` with each derivative of ``Mod(u, c)`` in ``u``, for a constant period ``c > 0``,
    replaced by 1: its value wherever it is defined (the jumps, where ``Mod`` wraps round, are a
    null set, and there the map has no derivative). An angle ``Mod(atan2(y, x), 2*pi)`` then has
    the derivatives of ``atan2(y, x)``.

    >>> import sympy as sp
    >>> from symjac import Transform, jacobian
    >>> x, y = sp.symbols("x y")
    >>> jacobian(Transform((x, y), (sp.sqrt(x**2 + y**2), sp.Mod(sp.atan2(y, x), 2*sp.pi)), "r theta"))[1, :]
    Matrix([[-y/(x**2 + y**2), x/(x**2 + y**2)]])
    """
    return expr.replace(_is_mod_slope, lambda _: sp.S.One) if expr.has(sp.Mod) else expr


def _is_mod_slope(e: sp.Basic) -> bool:
    if not isinstance(e, sp.Subs) or not isinstance(e.expr, sp.Derivative):
        return False
    inner, wrt = e.expr.expr, e.expr.variables
    return (isinstance(inner, sp.Mod) and len(wrt) == 1 and inner.args[0] == wrt[0]
            and not inner.args[1].free_symbols and inner.args[1].is_positive is True)
