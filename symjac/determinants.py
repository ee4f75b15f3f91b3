"""Exact determinants of sparse matrices over polynomial rings and fraction fields.

The matrix is first split into its blocks (a block-triangular permutation: the determinant is
the product of the blocks' determinants), then each block is expanded along its sparse rows with
every minor computed once (no division, so no growth of intermediate fractions); a block too
dense for that is eliminated fraction-free (Bareiss). Where python-flint is installed, the
arithmetic runs on FLINT's polynomials (``fmpz_mpoly``, ``fmpq_mpoly``), which also factor.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import sympy as sp
from sympy.core.add import _addsort
from sympy.core.basic import ordering_of_classes

__all__ = ["sparse_determinant", "domain_determinant", "flint_factor_list", "polynomial_expr",
           "ring_expr", "could_extract_minus_sign", "HAVE_FLINT"]

try:  # an optional accelerator: the same exact results without it, only slower
    import flint
except ImportError:  # pragma: no cover - exercised where python-flint is not installed
    flint = None

HAVE_FLINT = flint is not None

# Above this many distinct minors the expansion costs more than elimination.
MAX_MINORS = 20_000


# ---------------------------------------------------------------------- structure


def _perfect_matching(pattern: list[set[int]], n: int) -> list[int] | None:
    """column_of[row] for a matching of every row to a distinct nonzero column, or None."""
    row_of: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j in pattern[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in row_of or augment(row_of[j], seen):
                row_of[j] = i
                return True
        return False

    for i in sorted(range(n), key=lambda r: len(pattern[r])):
        if not augment(i, set()):
            return None
    column_of = [0] * n
    for j, i in row_of.items():
        column_of[i] = j
    return column_of


def _strong_components(edges: list[list[int]]) -> list[list[int]]:
    """Tarjan's strongly connected components (iterative), each a list of vertices."""
    n = len(edges)
    index: list[int | None] = [None] * n
    low = [0] * n
    on_stack = [False] * n
    stack: list[int] = []
    out: list[list[int]] = []
    counter = 0
    for root in range(n):
        if index[root] is not None:
            continue
        work = [(root, 0)]
        while work:
            v, k = work.pop()
            if k == 0:
                index[v] = low[v] = counter
                counter += 1
                stack.append(v)
                on_stack[v] = True
            if k < len(edges[v]):
                work.append((v, k + 1))
                w = edges[v][k]
                if index[w] is None:
                    work.append((w, 0))
                elif on_stack[w]:
                    low[v] = min(low[v], index[w])
                continue
            if low[v] == index[v]:
                component = []
                while True:
                    w = stack.pop()
                    on_stack[w] = False
                    component.append(w)
                    if w == v:
                        break
                out.append(component)
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[v])
    return out


def _permutation_sign(perm: Sequence[int]) -> int:
    sign, seen = 1, [False] * len(perm)
    for start in range(len(perm)):
        length, j = 0, start
        while not seen[j]:
            seen[j] = True
            j = perm[j]
            length += 1
        if length and length % 2 == 0:
            sign = -sign
    return sign


def _blocks(rows: list[list], n: int) -> tuple[int, list[tuple[list[int], list[int]]]] | None:
    """(sign, [(block rows, block columns), ...]) with det = sign * prod(block dets), or None
    when no permutation reaches a nonzero diagonal (the determinant is then 0)."""
    pattern = [{j for j in range(n) if rows[i][j]} for i in range(n)]
    column_of = _perfect_matching(pattern, n)
    if column_of is None:
        return None
    row_at = {j: i for i, j in enumerate(column_of)}
    # i -> k when row i meets the column matched to row k
    edges = [[row_at[j] for j in sorted(pattern[i])] for i in range(n)]
    blocks = [(sorted(c), sorted(column_of[i] for i in c)) for c in _strong_components(edges)]
    # In this order of blocks, rows and columns each sorted, the matrix is block triangular:
    # det = sign(row order) * sign(column order) * product of the blocks' determinants.
    row_order = [i for r, _ in blocks for i in r]
    col_order = [j for _, c in blocks for j in c]
    return _permutation_sign(row_order) * _permutation_sign(col_order), blocks


# ---------------------------------------------------------------------- one block


def _count_minors(pattern: list[set[int]], limit: int) -> int:
    """How many distinct minors the expansion along these rows (in order) would compute."""
    level = {frozenset(range(len(pattern)))}
    total = 0
    for cols in pattern[:-1]:
        level = {s - {c} for s in level for c in cols & s}
        total += len(level)
        if total > limit:
            return total
    return total


def _expand(rows: list[list], zero: object) -> object:
    """det by Laplace expansion along the rows in order, each minor (a set of the remaining
    columns) computed once."""
    n = len(rows)
    nonzero = [[j for j in range(n) if rows[i][j]] for i in range(n)]
    memo: dict[int, object] = {}

    def minor(i: int, mask: int) -> object:
        if i == n - 1:
            j = mask.bit_length() - 1
            return rows[i][j] if rows[i][j] else zero
        if mask in memo:
            return memo[mask]
        total = zero
        for j in nonzero[i]:
            bit = 1 << j
            if not mask & bit:
                continue
            sub = minor(i + 1, mask & ~bit)
            if not sub:
                continue
            term = rows[i][j] * sub
            # the sign of column j among the columns still present
            if bin(mask & (bit - 1)).count("1") % 2:
                total -= term
            else:
                total += term
        memo[mask] = total
        return total

    return minor(0, (1 << n) - 1)


def _bareiss(rows: list[list], zero: object, exact: Callable[[object, object], object]) -> object:
    """Fraction-free elimination; ``exact(a, b)`` divides a by b where b divides a exactly."""
    a = [list(r) for r in rows]
    n = len(a)
    sign, previous = 1, None
    for k in range(n - 1):
        pivot = next((i for i in range(k, n) if a[i][k]), None)
        if pivot is None:
            return zero
        if pivot != k:
            a[k], a[pivot] = a[pivot], a[k]
            sign = -sign
        for i in range(k + 1, n):
            for j in range(k + 1, n):
                value = a[i][j] * a[k][k] - a[i][k] * a[k][j]
                a[i][j] = value if previous is None else exact(value, previous)
            a[i][k] = zero
        previous = a[k][k]
    return a[n - 1][n - 1] if sign > 0 else -a[n - 1][n - 1]


def _block_determinant(rows: list[list], zero: object,
                       exact: Callable[[object, object], object]) -> object:
    n = len(rows)
    if n == 1:
        return rows[0][0]
    if n == 2:
        return rows[0][0] * rows[1][1] - rows[0][1] * rows[1][0]
    by_rows = sorted(range(n), key=lambda i: sum(1 for e in rows[i] if e))
    row_pattern = [{j for j in range(n) if rows[i][j]} for i in by_rows]
    by_cols = sorted(range(n), key=lambda j: sum(1 for r in rows if r[j]))
    col_pattern = [{i for i in range(n) if rows[i][j]} for j in by_cols]
    r_count = _count_minors(row_pattern, MAX_MINORS)
    c_count = _count_minors(col_pattern, MAX_MINORS)
    if min(r_count, c_count) > MAX_MINORS:
        return _bareiss(rows, zero, exact)
    if r_count <= c_count:
        ordered = [rows[i] for i in by_rows]
        sign = _permutation_sign(by_rows)
    else:  # expand along the columns: det(A) = det(A^T)
        ordered = [[rows[i][j] for i in range(n)] for j in by_cols]
        sign = _permutation_sign(by_cols)
    det = _expand(ordered, zero)
    return det if sign > 0 else -det


def sparse_determinant(rows: list[list], zero: object,
                       exact: Callable[[object, object], object]) -> object:
    """The determinant of a square matrix over a commutative ring, as a ring element.

    Args:
        rows: The matrix as a list of rows of ring elements (``bool(e)`` is False for zero).
        zero: The ring's zero.
        exact: Exact division ``a / b`` for a divisor known to divide ``a`` (used only by the
            fraction-free elimination of a dense block).

    Returns:
        ``det(rows)``, exactly: block-triangular split, then expansion along sparse rows or
        columns with each minor computed once, or Bareiss elimination for a dense block.

    >>> sparse_determinant([[2, 0, 1], [0, 3, 0], [4, 0, 5]], 0, lambda a, b: a // b)
    18
    """
    n = len(rows)
    if n == 0:
        return zero + 1
    split = _blocks(rows, n)
    if split is None:
        return zero
    sign, blocks = split
    det = None
    for block_rows, block_cols in blocks:
        sub = [[rows[i][j] for j in block_cols] for i in block_rows]
        value = _block_determinant(sub, zero, exact)
        if not value:
            return zero
        det = value if det is None else det * value
    return det if sign > 0 else -det


# ---------------------------------------------------------------------- domains


def domain_determinant(dm: object) -> object:
    """The determinant of a square SymPy ``DomainMatrix`` over ZZ/QQ, a polynomial ring or a
    fraction field, as an element of its domain; computed on FLINT where installed."""
    K = dm.domain
    rows = dm.to_list()
    if not rows:
        return K.one
    if K.is_FractionField:
        return _fraction_determinant(rows, K)
    if K.is_PolynomialRing and HAVE_FLINT and _flint_ground(K.dom):
        to, back, zero = _flint_converters(K)
        det = sparse_determinant([[to(e) for e in r] for r in rows], zero, _divexact)
        return back(det)
    return sparse_determinant(rows, K.zero, _ring_exact(K))


def _ring_exact(K: object) -> Callable[[object, object], object]:
    if K.is_PolynomialRing:
        return lambda a, b: a.exquo(b)
    return lambda a, b: K.exquo(a, b)


def _divexact(a: object, b: object) -> object:
    q, r = divmod(a, b)
    if r:  # pragma: no cover - Bareiss divides exactly
        raise ArithmeticError("inexact division in fraction-free elimination")
    return q


def _flint_ground(dom: object) -> bool:
    return bool(dom.is_ZZ or dom.is_QQ)


def _flint_converters(K: object) -> tuple[Callable, Callable, object]:
    """to(PolyElement) -> FLINT polynomial, back(FLINT polynomial) -> PolyElement, zero."""
    ring, dom = K.ring, K.dom
    names = tuple(f"g{i}" for i in range(ring.ngens))
    if dom.is_ZZ:
        ctx = flint.fmpz_mpoly_ctx.get(names, "lex")

        def coeff_to(c: object) -> object:
            return flint.fmpz(int(c))

        def coeff_back(c: object) -> object:
            return dom(int(c))
    else:
        ctx = flint.fmpq_mpoly_ctx.get(names, "lex")

        def coeff_to(c: object) -> object:
            return flint.fmpq(int(dom.numer(c)), int(dom.denom(c)))

        def coeff_back(c: object) -> object:
            return dom(int(c.p), int(c.q))

    def to(p: object) -> object:
        return ctx.from_dict({m: coeff_to(c) for m, c in p.terms()}) if p else ctx.from_dict({})

    def back(p: object) -> object:
        return ring.from_dict({m: coeff_back(c) for m, c in p.to_dict().items()})

    return to, back, ctx.from_dict({})


def _fraction_determinant(rows: list[list], K: object) -> object:
    """Over a fraction field: clear each row's denominators, take the polynomial determinant,
    divide by the product of the row multipliers (det is multilinear in the rows)."""
    ring = K.field.ring
    P = ring.to_domain()
    scaled, multiplier = [], ring.one
    for r in rows:
        lcm = ring.one
        for e in r:
            if e:
                lcm = lcm.lcm(e.denom)
        scaled.append([e.numer * lcm.exquo(e.denom) if e else ring.zero for e in r])
        multiplier *= lcm
    from sympy.polys.matrices import DomainMatrix

    det = domain_determinant(DomainMatrix(scaled, (len(rows), len(rows)), P))
    return K.field.new(det, multiplier) if det else K.zero


def flint_factor_list(p: object) -> tuple[object, list[tuple[object, int]]] | None:
    """``p.factor_list()`` for a SymPy PolyElement over ZZ or QQ, computed by FLINT, or None
    when FLINT is not installed or cannot take this ring."""
    ring = p.ring
    K = ring.to_domain()
    if not (HAVE_FLINT and _flint_ground(ring.domain)) or ring.ngens == 0:
        return None
    to, back, _zero = _flint_converters(K)
    coeff, parts = to(p).factor()
    dom = ring.domain
    coeff = dom(int(coeff)) if dom.is_ZZ else dom(int(coeff.p), int(coeff.q))
    return coeff, [(back(f), int(k)) for f, k in parts]


# ---------------------------------------------------------------------- back to SymPy


def polynomial_expr(terms: Iterable[tuple[tuple[int, ...], object]],
                    symbols: Sequence[object]) -> object:
    """The SymPy expression of a polynomial given as ``(monomial, coefficient)`` pairs in plain
    ``symbols``, built in one pass: the same expression ``Add(*[c*x**e ...])`` gives (the same
    arguments in the same canonical order, so ``==`` and hashing agree), without ``Add`` and
    ``Mul`` re-collecting terms that are already distinct monomials.

    Args:
        terms: Distinct monomials (exponent tuples, one entry per symbol) with their nonzero
            SymPy rational coefficients, as ``PolyElement.terms()`` gives them.
        symbols: SymPy ``Symbol`` objects, one per exponent position. Any other kind of atom
            (``sqrt(x)``, ``sin(t)``) can combine with its neighbours, so it needs SymPy's
            ``Add`` and ``Mul``.

    >>> import sympy as sp
    >>> x, y = sp.symbols("x y")
    >>> e = polynomial_expr([((2, 1), sp.Integer(3)), ((0, 0), sp.Rational(-1, 2)),
    ...                      ((0, 1), sp.Integer(-1))], (x, y))
    >>> e, e == 3*x**2*y - y - sp.Rational(1, 2)
    (3*x**2*y - y - 1/2, True)
    """
    if any(not isinstance(s, sp.Symbol) for s in symbols):
        raise TypeError("polynomial_expr needs plain symbols; use Add and Mul for other atoms")
    terms = list(terms)
    powers = {(i, e): symbols[i] if e == 1 else sp.Pow(symbols[i], e)
              for monom, _ in terms for i, e in enumerate(monom) if e}
    # Mul sorts its factors by Basic.compare: here by a key per distinct power, which holds
    # for every product when it holds for the sorted list of all of them
    rank = dict(zip(powers, _ordered_as_compare(list(powers.values())))).__getitem__
    constant, monomials = None, []
    for monom, coeff in terms:
        keys = [(i, e) for i, e in enumerate(monom) if e]
        if not keys:
            constant = coeff
            continue
        keys.sort(key=rank)
        factors = [powers[k] for k in keys]
        if coeff is not sp.S.One:
            factors.insert(0, coeff)
        monomials.append(factors[0] if len(factors) == 1 else sp.Mul._from_args(factors, True))
    _canonical_sort(monomials)
    if constant is not None:
        monomials.insert(0, constant)
    if not monomials:
        return sp.S.Zero
    return monomials[0] if len(monomials) == 1 else sp.Add._from_args(monomials, True)


def _canonical_sort(args: list) -> None:
    """Sort ``args`` as ``Add`` does (by ``Basic.compare``), through a key that orders tuples
    the way ``compare`` orders expressions (class, length of content, content), checked
    afterwards pair by pair with ``compare`` itself; ``Add``'s own sort where they differ."""
    memo: dict[int, object] = {}
    try:
        args.sort(key=lambda e: _compare_key(e, memo))
    except TypeError:  # content that tuples cannot order: compare it as SymPy does
        _addsort(args)
        return
    if any(a.compare(b) > 0 for a, b in zip(args, args[1:])):  # pragma: no cover - a safeguard
        _addsort(args)


def _ordered_as_compare(items: list) -> list[int]:
    """The position of each item in ``Basic.compare``'s order (the items distinct)."""
    ordered = list(items)
    _canonical_sort(ordered)
    place = {id(e): k for k, e in enumerate(ordered)}
    return [place[id(e)] for e in items]


def _compare_key(e: object, memo: dict[int, object]) -> object:
    key = memo.get(id(e))
    if key is None:
        content = e._hashable_content()
        key = memo[id(e)] = (_class_rank(type(e)), len(content),
                             tuple(_compare_key(c, memo) if hasattr(c, "_hashable_content") else c
                                   for c in content))
    return key


def _class_rank(cls: type) -> tuple[int, str]:
    """The position ``Basic.compare`` gives a class: its place in SymPy's ordering of classes,
    then (for classes not listed there) its name."""
    name = cls.__name__
    try:
        return ordering_of_classes.index(name), ""
    except ValueError:
        return len(ordering_of_classes) + 1, name


def ring_expr(p: object, back: dict, scale: object = sp.S.One) -> object:
    """``scale`` times a polynomial ring element as a SymPy expression, its generators replaced
    through ``back`` (Dummy -> atom); built in one pass when every generator is a plain symbol."""
    atoms = [back.get(g, g) for g in p.ring.symbols]
    if not all(isinstance(a, sp.Symbol) for a in atoms):
        return scale * p.as_expr().xreplace(back)
    to_sympy = p.ring.domain.to_sympy
    return polynomial_expr([(m, scale * to_sympy(c)) for m, c in p.terms()], atoms)


def could_extract_minus_sign(e: object) -> bool:
    """``e.could_extract_minus_sign()``, counted directly for an expanded polynomial in symbols
    with rational coefficients (SymPy negates every term to ask); SymPy's own answer otherwise
    and where the count of negative terms is a tie."""
    if not e.is_Add:
        return e.could_extract_minus_sign()
    negative = 0
    for term in e.args:
        if term.is_Rational:
            negative += term.p < 0
            continue
        args = term.args if term.is_Mul else (term,)
        c, rest = (args[0], args[1:]) if args[0].is_Rational else (sp.S.One, args)
        if not all(f.is_Symbol or (f.is_Pow and f.base.is_Symbol and f.exp.is_Integer)
                   for f in rest):
            return e.could_extract_minus_sign()
        negative += c.p < 0
    if 2 * negative == len(e.args):
        return e.could_extract_minus_sign()
    return 2 * negative > len(e.args)
