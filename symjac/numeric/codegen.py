"""Fused NumPy code for lists of expressions: CSE, in-place ufuncs, cache-sized chunks.

``generate(exprs, symbols)`` turns expressions into the source of one Python
function ``_kernel(X, out)`` that walks the points in chunks small enough to
stay in cache, computes every common subexpression once per chunk into a
reused buffer (``np.multiply(a, b, out=buf)``), and writes each expression to
its column of ``out``. ``sin`` and ``cos`` of the same angle share one SIMD
``tan`` of the half angle when ``fast`` is set. Unsupported functions make
``generate`` return None, and the caller falls back to ``sympy.lambdify``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import sympy as sp
from sympy.codegen import cfunctions as _cfunctions

__all__ = ["Kernel", "generate", "CACHE_BYTES", "accelerator_available", "EXTENDED",
           "needs_extended_precision"]

#: Bytes of scratch buffers and output per chunk: about one core's share of the caches.
CACHE_BYTES = 2 * 1024 * 1024


def _chunk_size(n_buffers: int, n_outputs: int = 0) -> int:
    """Rows per chunk: a power of two between 1024 and 65536 whose buffers, and the
    part of the output they write, fit ``CACHE_BYTES``."""
    rows = CACHE_BYTES // (16 * max(n_buffers, 1) + 8 * n_outputs)  # room for complex buffers too
    return int(min(65536, max(1024, 1 << (rows.bit_length() - 1))))

_UNARY = {
    sp.exp: "np.exp", sp.log: "np.log", sp.tan: "np.tan", sp.sinh: "np.sinh", sp.cosh: "np.cosh",
    sp.tanh: "np.tanh", sp.asin: "np.arcsin", sp.acos: "np.arccos", sp.atan: "np.arctan",
    sp.asinh: "np.arcsinh", sp.acosh: "np.arccosh", sp.atanh: "np.arctanh", sp.Abs: "np.absolute",
    sp.sign: "np.sign", sp.floor: "np.floor", sp.ceiling: "np.ceil", sp.sin: "np.sin",
    sp.cos: "np.cos",
}
_SPECIAL = {
    sp.erf: "_special.erf", sp.erfc: "_special.erfc", sp.gamma: "_special.gamma",
    sp.loggamma: "_special.gammaln",
}
_BINARY = {sp.atan2: "np.arctan2", sp.Max: "np.maximum", sp.Min: "np.minimum"}
_UNARY.update({_cfunctions.expm1: "np.expm1", _cfunctions.log1p: "np.log1p"})


def accurate_form(expr: sp.Expr) -> sp.Expr:
    """The same formula, rewritten so that floating point does not cancel where it need not.

    ``cosh(u) - cos(v)`` becomes ``2*sinh(u/2)**2 + 2*sin(v/2)**2`` (the bipolar and toroidal
    denominator: exact where u and v are near 0), ``cosh(u) - 1`` becomes ``2*sinh(u/2)**2``,
    ``1 - cos(v)`` becomes ``2*sin(v/2)**2``, ``cosh(u)*cos(v) - 1`` becomes
    ``2*sinh(u/2)**2*cos(v) - 2*sin(v/2)**2``, ``exp(u) - 1`` becomes ``expm1(u)`` and
    ``log(1 + u)`` becomes ``log1p(u)``. A sum of fractions with ``sinh`` and ``cosh`` is put
    over one denominator with ``cosh(u)**2 - sinh(u)**2 = 1`` applied, so that two huge terms
    do not cancel (``cosh(t)/D - sinh(t)**2/D**2`` at t = 30). Each is an identity, so the value
    is unchanged.

    >>> import sympy as sp
    >>> from symjac.numeric.codegen import accurate_form
    >>> s, t = sp.symbols("s t")
    >>> accurate_form(1/(sp.cosh(t) - sp.cos(s)))
    1/(2*sin(s/2)**2 + 2*sinh(t/2)**2)
    """
    merged = expr.replace(lambda e: isinstance(e, sp.Add) and e.has(sp.sinh) and e.has(sp.cosh)
                          and any(sp.fraction(term)[1] != 1 for term in e.args)
                          and sp.count_ops(e) <= _MERGE_OPS, _one_fraction)
    return merged.replace(lambda e: isinstance(e, (sp.Add, sp.log)), _accurate_node)


#: Sums larger than this are left as they are: factoring them could take long.
_MERGE_OPS = 80


def _one_fraction(e: sp.Add) -> sp.Expr:
    """A sum of fractions over one denominator, with sinh(u)**2 = cosh(u)**2 - 1 applied."""
    num, den = sp.fraction(sp.together(e))
    num = sp.expand(num).replace(
        lambda p: p.is_Pow and isinstance(p.base, sp.sinh) and p.exp.is_Integer and p.exp.is_even,
        lambda p: (sp.cosh(p.base.args[0]) ** 2 - 1) ** (p.exp // 2))
    num = sp.factor(sp.expand(num))
    return num / den if sp.count_ops(num) <= sp.count_ops(e) else e


def _accurate_node(e: sp.Expr) -> sp.Expr:
    if isinstance(e, sp.log):
        coeff, rest = e.args[0].as_coeff_Add()
        return _cfunctions.log1p(rest) if coeff == 1 and rest != 0 else e
    replaced = _Pairing(e).replacements()
    if not replaced:
        return e
    return sp.Add(*[replaced.get(term, term) for term in e.args])


class _Pairing:
    """The terms of a sum that cancel in pairs, and what replaces each of them."""

    def __init__(self, e: sp.Add) -> None:
        self.tables: dict[type, dict[sp.Expr, sp.Basic]] = {
            sp.cosh: {}, sp.cos: {}, sp.exp: {}, sp.Mul: {}}
        for term in e.args:  # coefficient -> argument, for c*cosh(u), c*cos(v), c*exp(u), c*cosh*cos
            c, f = term.as_coeff_Mul()
            table = self.tables.get(type(f))
            if table is not None and c not in table:
                table[c] = f.args[0] if type(f) is not sp.Mul else f
        self.constant: sp.Expr | None = e.as_coeff_Add()[0]
        self.replaced: dict[sp.Expr, sp.Expr] = {}

    def take_constant(self, c: sp.Expr) -> bool:
        """Is there a constant -c to pair with c*f(...)? It is used up if so."""
        if self.constant is not None and self.constant != 0 and self.constant == -c:
            self.replaced[self.constant] = sp.S.Zero
            self.constant = None
            return True
        return False

    def replacements(self) -> dict[sp.Expr, sp.Expr]:
        cosh, cos, exp, r = self.tables[sp.cosh], self.tables[sp.cos], self.tables[sp.exp], self.replaced
        for c, u in cosh.items():
            if -c in cos:  # c*cosh(u) - c*cos(v)
                v = cos.pop(-c)
                r[c * sp.cosh(u)] = 2 * c * sp.sinh(u / 2) ** 2
                r[-c * sp.cos(v)] = 2 * c * sp.sin(v / 2) ** 2
            elif self.take_constant(c):  # c*cosh(u) - c
                r[c * sp.cosh(u)] = 2 * c * sp.sinh(u / 2) ** 2
        for c, v in cos.items():
            if self.take_constant(c):  # c*cos(v) - c
                r[c * sp.cos(v)] = -2 * c * sp.sin(v / 2) ** 2
        for c, u in exp.items():
            if self.take_constant(c):  # c*exp(u) - c
                r[c * sp.exp(u)] = c * _cfunctions.expm1(u)
        for c, product in self.tables[sp.Mul].items():
            pair = _cosh_cos(product)
            if pair is not None and self.take_constant(c):  # c*cosh(u)*cos(v) - c
                u, v = pair
                r[c * product] = 2 * c * (sp.sinh(u / 2) ** 2 * sp.cos(v) - sp.sin(v / 2) ** 2)
        return r


def _cosh_cos(product: sp.Mul) -> tuple[sp.Expr, sp.Expr] | None:
    """(u, v) if ``product`` is exactly ``cosh(u)*cos(v)``."""
    if len(product.args) != 2:
        return None
    a, b = product.args
    if isinstance(b, sp.cosh):
        a, b = b, a
    if isinstance(a, sp.cosh) and isinstance(b, sp.cos):
        return a.args[0], b.args[0]
    return None


#: NumPy's ``long double`` where it carries more digits than a double (80-bit x87 on x86-64,
#: 128-bit on aarch64 Linux), else None (Windows, macOS on ARM).
EXTENDED = np.longdouble if np.finfo(np.longdouble).nmant > np.finfo(np.float64).nmant else None

_TRANSCENDENTAL = (sp.sin, sp.cos, sp.tan, sp.sinh, sp.cosh, sp.exp)


def needs_extended_precision(exprs: Sequence[sp.Expr]) -> bool:
    """Whether a formula raises a sum of rounded ``sin``/``sinh``/... values to a power, in a
    product that multiplies so many rounded values that doubles cannot keep it within 4 ulp.

    Each transcendental value carries a rounding error of about half an ulp; a product adds the
    errors of its factors, a power multiplies them by its exponent, and a sum adds a rounding of
    its own. The denominators of the bipolar and toroidal systems are such sums: the toroidal
    volume element ``a**3*sinh(tau)/(cosh(tau) - cos(sigma))**3`` reaches 5-10 ulp in doubles.
    Where a product counts 4 rounded values or more and one of its factors is a power of such a
    sum, the formula is evaluated in ``EXTENDED`` precision and rounded once at the end (within
    1 ulp). Products of powers of single sines, as in the hyperspherical volume elements, stay in
    doubles (``lambdify_transform(..., extended_precision=True)`` asks for the same there).

    >>> import sympy as sp
    >>> t, s = sp.symbols("t s")
    >>> needs_extended_precision([sp.sinh(t) / (sp.cosh(t) - sp.cos(s))**3])
    True
    >>> needs_extended_precision([t**5 * sp.sin(s)**4])
    False
    """
    for e in exprs:
        e = sp.sympify(e)
        powered_sum = any(isinstance(p.base, sp.Add) and p.base.has(*_TRANSCENDENTAL)
                          and p.exp.is_Integer and abs(p.exp) >= 2 for p in e.atoms(sp.Pow))
        if powered_sum and _rounded_factors(e) >= 4:
            return True
    return False


def _rounded_factors(e: sp.Expr) -> int:
    """How many rounded transcendental values the worst product in ``e`` multiplies together."""
    if not e.has(*_TRANSCENDENTAL):
        return 0
    if isinstance(e, _TRANSCENDENTAL):
        return 1
    if isinstance(e, sp.Pow):
        inner = _rounded_factors(e.base) + (1 if isinstance(e.base, sp.Add) else 0)
        return inner * int(abs(e.exp)) if e.exp.is_Integer else inner
    if isinstance(e, sp.Mul):
        return sum(_rounded_factors(a) for a in e.args)
    return max(_rounded_factors(a) for a in e.args)


def accelerator_available(name: str) -> bool:
    """Whether the optional accelerator ``name`` (``"numba"``) can be imported here."""
    import importlib.util

    return importlib.util.find_spec(name) is not None


class _Unsupported(Exception):
    pass


@dataclass(frozen=True)
class Kernel:
    """Generated source and the compiled function ``kernel(X, out)``.

    ``X`` has one column per symbol; ``out`` one column per expression (2-D,
    rows = points). ``constants`` lists the columns that are constant and are
    filled once; ``source`` is the code, for reading.
    """

    source: str
    function: object
    n_buffers: int


def generate(exprs: Sequence[sp.Expr], symbols: Sequence[sp.Symbol], *, fast: bool = False,
             special: bool = False) -> Kernel | None:
    """Source and function of a fused kernel, or None if an expression is not supported.

    >>> import numpy as np, sympy as sp
    >>> from symjac.numeric.codegen import generate
    >>> r, t = sp.symbols("r t")
    >>> k = generate([r*sp.cos(t), r*sp.sin(t)], [r, t])
    >>> out = np.empty((1, 2)); k.function(np.array([[2.0, 0.0]]), out); out
    array([[2., 0.]])
    """
    try:
        return _Generator(symbols, fast=fast, special=special).build(list(exprs))
    except _Unsupported:
        return None


class _Generator:
    def __init__(self, symbols: Sequence[sp.Symbol], *, fast: bool, special: bool) -> None:
        self.symbols = list(symbols)
        self.fast = fast
        self.special = special
        self.ops: list[tuple[str, str, tuple[str, ...]]] = []  # (dest, call template, operands)
        self.names: dict[sp.Basic, str] = {}
        self.counter = 0
        self.trig: dict[sp.Expr, tuple[str, str]] = {}

    # -------------------------------------------------------------- emission

    def temp(self) -> str:
        self.counter += 1
        return f"_t{self.counter}"

    def op(self, template: str, *args: str) -> str:
        dest = self.temp()
        self.ops.append((dest, template, args))
        return dest

    def value(self, e: sp.Basic) -> str:
        """An operand for ``e``: a literal, an input column or a temporary."""
        if e in self.names:
            return self.names[e]
        if e.is_Number or e.is_NumberSymbol:
            if not e.is_real:
                raise _Unsupported(e)
            return repr(float(e))
        if isinstance(e, sp.Symbol):
            raise _Unsupported(e)  # not an input: parameters must be inputs too
        name = self.node(e)
        self.names[e] = name
        return name

    def node(self, e: sp.Basic) -> str:
        if isinstance(e, sp.Add):
            return self.add(e)
        if isinstance(e, sp.Mul):
            return self.mul(e)
        if isinstance(e, sp.Pow):
            return self.power(e.base, e.exp)
        func = e.func
        if func in (sp.sin, sp.cos) and self.fast:
            s, c = self.sincos(e.args[0])
            return s if func is sp.sin else c
        if func in _UNARY:
            return self.op(_UNARY[func] + "({0}, out={dest})", self.value(e.args[0]))
        if self.special and func in _SPECIAL:
            return self.op(_SPECIAL[func] + "({0}, out={dest})", self.value(e.args[0]))
        if func in _BINARY:
            args = [self.value(a) for a in e.args]
            acc = self.op(_BINARY[func] + "({0}, {1}, out={dest})", args[0], args[1])
            for a in args[2:]:
                acc = self.op(_BINARY[func] + "({0}, {1}, out={dest})", acc, a)
            return acc
        raise _Unsupported(e)

    def sincos(self, angle: sp.Expr) -> tuple[str, str]:
        """sin and cos of one angle from t = tan(angle/2): 2t/(1+t²) and 2/(1+t²) - 1.

NumPy's ``tan`` is vectorised (SIMD) on some CPUs where ``sin`` and ``cos`` of
doubles are not. The error is about 1e-16 absolute, so relative accuracy is
lost where sin or cos is near zero: only with ``fast=True`` (``lambdify_transform``'s
``approximate_trig=True``), which is opt-in.
"""
        if angle not in self.trig:
            half = self.value(angle / 2)
            t = self.op("np.tan({0}, out={dest})", half)
            q = self.op("np.multiply({0}, {0}, out={dest})", t)
            q = self.op("np.add({0}, 1.0, out={dest})", q)
            q = self.op("np.divide(2.0, {0}, out={dest})", q)  # 2/(1+t²)
            s = self.op("np.multiply({0}, {1}, out={dest})", t, q)  # 2t/(1+t²)
            c = self.op("np.subtract({0}, 1.0, out={dest})", q)  # (1-t²)/(1+t²)
            self.trig[angle] = (s, c)
        return self.trig[angle]

    def add(self, e: sp.Add) -> str:
        plus, minus = [], []
        for term in e.args:
            coeff, rest = term.as_coeff_Mul()
            if coeff.is_negative:
                minus.append(-term)
            else:
                plus.append(term)
        if not plus:
            acc = self.value(minus.pop(0))
            acc = self.op("np.negative({0}, out={dest})", acc)
        else:
            acc = self.value(plus[0])
            for term in plus[1:]:
                acc = self.op("np.add({0}, {1}, out={dest})", acc, self.value(term))
        for term in minus:
            acc = self.op("np.subtract({0}, {1}, out={dest})", acc, self.value(term))
        return acc

    def mul(self, e: sp.Mul) -> str:
        coeff, factors = e.as_coeff_mul()
        num, den = [], []
        for f in factors:
            if isinstance(f, sp.Pow) and f.exp.is_Number and f.exp.is_negative:
                den.append(f.base if f.exp == -1 else sp.Pow(f.base, -f.exp))
            else:
                num.append(f)
        acc = None
        for f in num:
            acc = self.value(f) if acc is None else \
                self.op("np.multiply({0}, {1}, out={dest})", acc, self.value(f))
        if coeff != 1:
            c = self.value(coeff)
            acc = c if acc is None else self.op("np.multiply({0}, {1}, out={dest})", acc, c)
        if acc is None:
            acc = "1.0"
        if den:
            d = self.value(den[0])
            for f in den[1:]:
                d = self.op("np.multiply({0}, {1}, out={dest})", d, self.value(f))
            acc = self.op("np.divide({0}, {1}, out={dest})", acc, d)
        if acc[0].isdigit() or acc[0] == "-":  # a constant: broadcast it into a buffer
            acc = self.op("np.copyto({dest}, {0})", acc)
        return acc

    def power(self, base: sp.Expr, exp: sp.Expr) -> str:
        if exp.is_Integer:
            n = int(exp)
            if n < 0:
                return self.op("np.divide(1.0, {0}, out={dest})", self.power(base, -exp))
            if n == 0:
                return self.op("np.copyto({dest}, 1.0)")
            b = self.value(base)
            if n == 1:
                return b
            if n <= 16:  # repeated squaring
                result, square, k = None, b, n
                while k:
                    if k & 1:
                        result = square if result is None else \
                            self.op("np.multiply({0}, {1}, out={dest})", result, square)
                    k >>= 1
                    if k:
                        square = self.op("np.multiply({0}, {0}, out={dest})", square)
                return result  # type: ignore[return-value]
            return self.op("np.power({0}, " + f"{float(n)!r}" + ", out={dest})", b)
        if exp == sp.S.Half:
            return self.op("np.sqrt({0}, out={dest})", self.value(base))
        if exp == -sp.S.Half:
            root = self.op("np.sqrt({0}, out={dest})", self.value(base))
            return self.op("np.divide(1.0, {0}, out={dest})", root)
        if exp.is_Rational and exp.q == 2:
            root = self.op("np.sqrt({0}, out={dest})", self.value(base))
            whole = self.power(base, sp.Integer(exp.p // 2)) if exp.p // 2 else None
            return root if whole is None else self.op("np.multiply({0}, {1}, out={dest})", whole, root)
        if base == sp.E:
            return self.op("np.exp({0}, out={dest})", self.value(exp))
        if exp.is_Number:
            return self.op("np.power({0}, " + f"{float(exp)!r}" + ", out={dest})", self.value(base))
        return self.op("np.power({0}, {1}, out={dest})", self.value(base), self.value(exp))

    # -------------------------------------------------------------- assembly

    def build(self, exprs: list[sp.Expr]) -> Kernel:
        for i, s in enumerate(self.symbols):
            self.names[s] = f"_x{i}"
        exprs = [accurate_form(e) for e in exprs]
        replacements, reduced = sp.cse(exprs, optimizations="basic", order="none")
        for sym, sub in replacements:
            self.names[sym] = self.value(sub)
        outputs: list[tuple[int, str]] = []
        constants: list[tuple[int, float]] = []
        for j, e in enumerate(reduced):
            if e.is_Number:
                if not e.is_real:
                    raise _Unsupported(e)
                constants.append((j, float(e)))
            else:
                outputs.append((j, self.value(e)))
        lines, n_buffers = self.assemble(outputs)
        chunk = _chunk_size(n_buffers, len(exprs))
        head = ["def _kernel(X, out):",
                "    n = X.shape[0]"]
        for j, c in constants:
            head.append(f"    out[:, {j}] = {c!r}")
        head += [f"    _buf = np.empty(({max(n_buffers, 1)}, min(n, {chunk})), dtype=X.dtype)",
                 f"    for _s in range(0, n, {chunk}):",
                 f"        _e = min(_s + {chunk}, n)",
                 "        _m = _e - _s"]
        head += [f"        _x{i} = X[_s:_e, {i}]" for i in range(len(self.symbols))]
        source = "\n".join(head + ["        " + line for line in lines]) + "\n"
        namespace: dict[str, object] = {"np": np}
        if self.special:
            import scipy.special as _special

            namespace["_special"] = _special
        code = compile(source, "<symjac kernel>", "exec")
        exec(code, namespace)  # noqa: S102 - our own generated source, built from a SymPy tree
        return Kernel(source, namespace["_kernel"], n_buffers)

    def assemble(self, outputs: list[tuple[int, str]]) -> tuple[list[str], int]:
        """Lines of the chunk loop with buffers reused after their last use."""
        last_use = self._last_uses(outputs)
        needed = self._needed({name for _, name in outputs})
        direct = self._direct_outputs(outputs)
        free: list[int] = []
        slot: dict[str, int] = {}
        n_slots = 0
        lines = []
        for k, (dest, template, args) in enumerate(self.ops):
            if dest not in needed:
                continue
            free += [slot[a] for a in set(args) if a in slot and last_use.get(a) == k]
            if dest in direct:
                target = f"out[_s:_e, {direct[dest]}]"
            else:
                if not free:
                    free.append(n_slots)
                    n_slots += 1
                slot[dest] = free.pop()
                target = self.ref(dest, slot)
            lines.append(template.format(*(self.ref(a, slot) for a in args), dest=target))
        lines += [f"out[_s:_e, {j}] = {self.ref(name, slot)}" for j, name in outputs
                  if name not in direct]
        return lines, n_slots

    def _last_uses(self, outputs: list[tuple[int, str]]) -> dict[str, int]:
        """The index of the last operation reading each name (outputs: after every operation)."""
        last_use: dict[str, int] = {}
        for k, (_, _, args) in enumerate(self.ops):
            for a in args:
                last_use[a] = k
        for _, name in outputs:
            last_use[name] = len(self.ops)
        return last_use

    def _needed(self, final: set[str]) -> set[str]:
        """The names the outputs depend on: the other operations are dead."""
        needed = set(final)
        for dest, _, args in reversed(self.ops):
            if dest in needed:
                needed.update(args)
        return needed

    def _direct_outputs(self, outputs: list[tuple[int, str]]) -> dict[str, int]:
        """Results used by no later operation and by one output: written straight into ``out``."""
        used_as_arg = {a for _, _, args in self.ops for a in args}
        columns: dict[str, list[int]] = {}
        for j, name in outputs:
            columns.setdefault(name, []).append(j)
        produced = {dest for dest, _, _ in self.ops}
        return {name: js[0] for name, js in columns.items()
                if len(js) == 1 and name in produced and name not in used_as_arg}

    @staticmethod
    def ref(name: str, slot: dict[str, int]) -> str:
        if name in slot:
            return f"_buf[{slot[name]}, :_m]"
        return name
