"""Kernels compiled by numba, when it is installed: one loop over the points, the formula inside.

``generate_numba(exprs, symbols)`` writes the same formulas as ``codegen.generate`` (the same
accurate rewrites, the same common subexpressions) as a loop that evaluates one point at a time
with ``math.sin``, ``math.cos``, ... and compiles it with ``numba.njit``. Nothing is kept in
buffers between the operations, so it reads each point once and writes each result once. The
first call pays for the compilation (about a second); later calls are the fast ones. numba is
optional (``pip install 'symjac[accel]'``); without it the NumPy kernel is the one that works.
"""

from __future__ import annotations

from collections.abc import Sequence

import sympy as sp
from sympy.printing.pycode import PythonCodePrinter

from .codegen import Kernel, accelerator_available, accurate_form

__all__ = ["generate_numba"]

#: Functions the generated loop may call; anything else makes ``generate_numba`` return None.
_ALLOWED = (sp.sin, sp.cos, sp.tan, sp.exp, sp.log, sp.sinh, sp.cosh, sp.tanh, sp.asin, sp.acos,
            sp.atan, sp.asinh, sp.acosh, sp.atanh, sp.atan2, sp.Abs, sp.Pow, sp.Add, sp.Mul)


class _Printer(PythonCodePrinter):
    """Python source with ``math`` functions and float literals, which numba compiles."""

    def _print_Rational(self, e: sp.Rational) -> str:
        return repr(float(e))

    def _print_Integer(self, e: sp.Integer) -> str:
        return repr(float(e))

    def _print_Pow(self, e: sp.Pow, rational: bool = False) -> str:
        if e.exp.is_Integer:  # an integer power: numba turns it into multiplications
            n = int(e.exp)
            power = f"{self.parenthesize(e.base, 100)}**{abs(n)}"
            return power if n >= 0 else f"(1.0/{power})"  # 0**-1 is inf, not ZeroDivisionError
        return super()._print_Pow(e, rational)


def _supported(exprs: Sequence[sp.Expr]) -> bool:
    from sympy.codegen import cfunctions

    allowed = _ALLOWED + (cfunctions.expm1, cfunctions.log1p)
    for e in exprs:
        for node in sp.preorder_traversal(e):
            if isinstance(node, (sp.Symbol, sp.Number, sp.NumberSymbol)):
                if isinstance(node, sp.Number) and not node.is_real:
                    return False
                continue
            if not isinstance(node, allowed):
                return False
    return True


def generate_numba(exprs: Sequence[sp.Expr], symbols: Sequence[sp.Symbol]) -> Kernel | None:
    """A numba-compiled ``kernel(X, out)`` for float64 points, or None if numba is not installed
    or an expression uses a function the loop does not know.

    ``X`` has one column per symbol and ``out`` one column per expression, as for
    ``codegen.generate``.
    """
    if not accelerator_available("numba"):
        return None
    exprs = [accurate_form(sp.sympify(e)) for e in exprs]
    if not _supported(exprs):
        return None
    names = {s: sp.Symbol(f"_x{i}") for i, s in enumerate(symbols)}
    exprs = [e.xreplace(names) for e in exprs]
    stray = set().union(*(e.free_symbols for e in exprs)) - set(names.values())
    if stray:
        return None  # not an input: parameters must be inputs too
    replacements, reduced = sp.cse(exprs, symbols=sp.numbered_symbols("_c"),
                                   optimizations="basic", order="none")
    printer = _Printer({"fully_qualified_modules": True})
    lines = ["def _kernel(X, out):",
             "    for _i in range(X.shape[0]):"]
    lines += [f"        _x{i} = X[_i, {i}]" for i in range(len(symbols))]
    lines += [f"        {sym} = {printer.doprint(sub)}" for sym, sub in replacements]
    lines += [f"        out[_i, {j}] = {printer.doprint(e)}" for j, e in enumerate(reduced)]
    source = "\n".join(lines) + "\n"
    import math

    import numba

    namespace: dict[str, object] = {"math": math}
    exec(compile(source, "<symjac numba kernel>", "exec"), namespace)  # noqa: S102 - our own source
    function = numba.njit(cache=False, nogil=True, error_model="numpy")(namespace["_kernel"])
    return Kernel(source, function, 0)
