"""What the formula reader accepts: the functions and constants it knows and the size limits it enforces."""

from __future__ import annotations

import ast
import re

import sympy as sp

__all__ = ["FUNCTIONS", "CONSTANTS", "MAX_LENGTH", "MAX_DEPTH", "MAX_INT_DIGITS", "MAX_EXPONENT",
           "MAX_RESULT_DIGITS", "MAX_ROOT_DENOMINATOR", "PARSE_TIMEOUT", "ALLOWED"]

MAX_LENGTH = 5000  #: characters in one text
MAX_DEPTH = 60  #: nesting depth of the formula
MAX_INT_DIGITS = 60  #: digits in one integer literal
MAX_EXPONENT = 1000  #: |n| in x**n for a whole number n
MAX_RESULT_DIGITS = 3000  #: digits of any number in a parsed result
MAX_ROOT_DENOMINATOR = 100  #: q in a**(p/q) for a number a (roots are costly to simplify)
PARSE_TIMEOUT = 5.0  #: seconds one text may take to read

FUNCTIONS: dict[str, object] = {
    "sqrt": sp.sqrt, "cbrt": sp.cbrt, "exp": sp.exp, "log": sp.log, "ln": sp.log,
    "sin": sp.sin, "cos": sp.cos, "tan": sp.tan, "cot": sp.cot, "sec": sp.sec, "csc": sp.csc,
    "asin": sp.asin, "acos": sp.acos, "atan": sp.atan, "acot": sp.acot, "asec": sp.asec,
    "acsc": sp.acsc, "arcsin": sp.asin, "arccos": sp.acos, "arctan": sp.atan,
    "sinh": sp.sinh, "cosh": sp.cosh, "tanh": sp.tanh, "coth": sp.coth, "sech": sp.sech,
    "csch": sp.csch, "asinh": sp.asinh, "acosh": sp.acosh, "atanh": sp.atanh,
    "acoth": sp.acoth, "arcsinh": sp.asinh, "arccosh": sp.acosh, "arctanh": sp.atanh,
    "atan2": sp.atan2, "arctan2": sp.atan2, "Abs": sp.Abs, "abs": sp.Abs, "sign": sp.sign,
    "Min": sp.Min, "Max": sp.Max, "min": sp.Min, "max": sp.Max,
    "gamma": sp.gamma, "loggamma": sp.loggamma, "beta": sp.beta, "erf": sp.erf,
    "erfc": sp.erfc, "floor": sp.floor, "ceiling": sp.ceiling, "Heaviside": sp.Heaviside,
    "LambertW": sp.LambertW, "lambertw": sp.LambertW,
}
CONSTANTS: dict[str, sp.Expr] = {
    "pi": sp.pi, "E": sp.E, "I": sp.I, "oo": sp.oo, "inf": sp.oo, "infinity": sp.oo,
    "π": sp.pi,
}
STRUCTURES = ("Integral", "Piecewise")
#: how many arguments each function takes (default: exactly one)
ARITY: dict[str, tuple[int, int | None]] = {
    "atan2": (2, 2), "arctan2": (2, 2), "beta": (2, 2), "log": (1, 2), "ln": (1, 2),
    "Min": (1, None), "Max": (1, None), "min": (1, None), "max": (1, None),
    "LambertW": (1, 2), "lambertw": (1, 2),
}
EXACT_FUNCTIONS = ("gamma", "loggamma", "beta", "floor", "ceiling")
#: functions whose evaluation on numbers or integrals can take unbounded time or digits:
#: built unevaluated when an argument holds an integral, refused on numbers too large to round
LAZY_FUNCTIONS = ("floor", "ceiling", "Min", "Max", "min", "max", "Heaviside", "sign", "Abs", "abs")
FUNCTION_LIST = ", ".join(sorted(set(FUNCTIONS) - {"ln", "abs", "min", "max", "lambertw"},
                                  key=str.lower))
ALLOWED = (
    "numbers, variable names, + - * / ** (or ^), parentheses, comparisons, "
    "and the functions " + FUNCTION_LIST
)

COMPARE = {ast.Lt: sp.Lt, ast.LtE: sp.Le, ast.Gt: sp.Gt, ast.GtE: sp.Ge, ast.Eq: sp.Eq,
            ast.NotEq: sp.Ne}
#: names read as functions with no formula when called: f(x + y), g(t), h_1(u, v), F(x)
UNDEFINED_FUNCTION = re.compile(r"[fghFGH](?:_?[0-9]+)?")
