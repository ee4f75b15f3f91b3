"""The whitelist: a Python syntax tree of formula text turned into SymPy, node by node, or a ParseError with the column."""

from __future__ import annotations

import ast
import difflib
from collections.abc import Mapping

import sympy as sp

from ..errors import ParseError
from .notation import normalise_name
from .vocabulary import (UNDEFINED_FUNCTION, FUNCTIONS, CONSTANTS, MAX_DEPTH, MAX_EXPONENT, MAX_INT_DIGITS, MAX_RESULT_DIGITS, MAX_ROOT_DENOMINATOR, ALLOWED, ARITY, COMPARE, EXACT_FUNCTIONS, FUNCTION_LIST, LAZY_FUNCTIONS, STRUCTURES)

__all__ = ["Converter", "check_digits"]

class Converter:
    def __init__(self, text: str, where: list[int], symbols: Mapping[str, sp.Symbol]):
        self.text = text
        self.where = where
        self.symbols = {normalise_name(k): v for k, v in symbols.items()}  # as Python reads names

    # -- errors
    def fail(self, node: ast.AST | None, message: str, *, hint: str | None = None) -> ParseError:
        column = None
        if node is not None and hasattr(node, "col_offset"):
            offset = node.col_offset
            column = (self.where[offset] if offset < len(self.where) else len(self.text)) + 1
        where = f" at column {column} of" if column else " in"
        full = f"{message}{where} {self.text!r}."
        if hint:
            full += f" {hint}"
        return ParseError(full, text=self.text, column=column, expected=ALLOWED, hint=hint)

    # -- dispatch
    def expr(self, node: ast.AST, depth: int = 0) -> sp.Basic:
        if depth > MAX_DEPTH:
            raise self.fail(node, f"the formula is nested more than {MAX_DEPTH} levels deep",
                            hint="Split it into smaller pieces.")
        method = getattr(self, "_" + type(node).__name__, None)
        if method is None:
            raise self.fail(node, f"{_describe(node)} is not allowed",
                            hint=f"Allowed are {ALLOWED}.")
        result = method(node, depth + 1)
        if isinstance(result, sp.Expr) and result.has(sp.zoo, sp.nan):
            raise self.fail(node, "this part divides by zero or is undefined",
                            hint="Check the denominators.")
        return result

    def _Constant(self, node: ast.Constant, depth: int) -> sp.Basic:
        value = node.value
        if isinstance(value, bool):
            return sp.true if value else sp.false
        if isinstance(value, int):
            if len(str(abs(value))) > MAX_INT_DIGITS:
                raise self.fail(node, f"a number with more than {MAX_INT_DIGITS} digits")
            return sp.Integer(value)
        if isinstance(value, float):
            if value != value or value in (float("inf"), float("-inf")):
                raise self.fail(node, "this number is too large", hint="Write oo for infinity.")
            return sp.Rational(repr(value))
        kind = {"str": "text in quotes", "bytes": "text in quotes", "NoneType": "None",
                "bool": "True/False", "complex": "complex literals such as 2j"}.get(
                    type(value).__name__, f"{type(value).__name__} values")
        raise self.fail(node, f"{kind} {'is' if kind in ('None', 'text in quotes') else 'are'} not allowed",
                        hint="Use I for the imaginary unit." if isinstance(value, complex) else None)

    def _Name(self, node: ast.Name, depth: int) -> sp.Basic:
        name = node.id
        if name in self.symbols:
            return self.symbols[name]
        if name in CONSTANTS:
            return CONSTANTS[name]
        if name in FUNCTIONS or name in STRUCTURES:
            raise self.fail(node, f"{name!r} is a function but is used as a value",
                            hint=f"Call it, as in {name}(x).")
        if name.startswith("_"):
            raise self.fail(node, f"the name {name!r} is not allowed",
                            hint="Names must start with a letter.")
        if name == "e":
            raise self.fail(node, "'e' is ambiguous",
                            hint="Write E or exp(...) for Euler's number, or declare e as a variable.")
        if name in ("True", "False"):
            return sp.true if name == "True" else sp.false
        symbol = sp.Symbol(name, real=True)
        self.symbols[name] = symbol
        return symbol

    def _UnaryOp(self, node: ast.UnaryOp, depth: int) -> sp.Basic:
        operand = self.expr(node.operand, depth)
        if isinstance(node.op, ast.USub):
            return -self._need_expr(operand, node.operand)
        if isinstance(node.op, ast.UAdd):
            return self._need_expr(operand, node.operand)
        if isinstance(node.op, ast.Not):
            return sp.Not(operand)
        raise self.fail(node, f"the operator {_describe(node.op)} is not allowed",
                        hint="Use + - * / ** only.")

    def _BinOp(self, node: ast.BinOp, depth: int) -> sp.Basic:
        op = node.op
        if isinstance(op, (ast.BitAnd, ast.BitOr)):  # (x > 0) & (y < 1), as SymPy prints And
            parts = [self.expr(node.left, depth), self.expr(node.right, depth)]
            if not all(isinstance(p, sp.logic.boolalg.Boolean) and not isinstance(p, sp.Symbol)
                       for p in parts):
                raise self.fail(node, f"{_describe(op)} joins conditions, not numbers",
                                hint="Write 'and'/'or' between conditions such as x > 0.")
            return sp.And(*parts) if isinstance(op, ast.BitAnd) else sp.Or(*parts)
        left = self._need_expr(self.expr(node.left, depth), node.left)
        right = self._need_expr(self.expr(node.right, depth), node.right)
        if isinstance(op, ast.Add):
            return left + right
        if isinstance(op, ast.Sub):
            return left - right
        if isinstance(op, ast.Mult):
            return left * right
        if isinstance(op, ast.Div):
            if right == 0:
                raise self.fail(node, "division by zero")
            return left / right
        if isinstance(op, ast.Pow):
            return self._power(node, left, right)
        hint = "Write powers as x**2 or x^2." if isinstance(op, ast.BitXor) else "Use + - * / ** only."
        raise self.fail(node, f"the operator {_describe(op)} is not allowed", hint=hint)

    def _power(self, node: ast.AST, base: sp.Expr, exponent: sp.Expr) -> sp.Expr:
        if exponent.is_Integer and abs(int(exponent)) > MAX_EXPONENT and base not in (0, 1, -1):
            limit = f"larger than {MAX_EXPONENT}" if exponent > 0 else f"below {-MAX_EXPONENT}"
            raise self.fail(node, f"the exponent {exponent} is {limit}",
                            hint="Such powers are too large to work with symbolically.")
        if base.is_Rational and exponent.is_Rational and base not in (0, 1, -1):
            digits = abs(float(exponent)) * max(len(str(abs(base.p))), len(str(base.q)))
            if digits > MAX_RESULT_DIGITS:
                raise self.fail(node, "this power is too large to compute",
                                hint=f"Numbers are limited to about {MAX_RESULT_DIGITS} digits.")
        if base.is_number and exponent.is_Rational and not exponent.is_Integer and \
                exponent.q > MAX_ROOT_DENOMINATOR:
            raise self.fail(node, f"a number to the power {exponent} (a root of degree "
                            f"{exponent.q}) is too costly to simplify",
                            hint=f"Round the exponent to a fraction with denominator at most "
                                 f"{MAX_ROOT_DENOMINATOR}, or use a variable for the base.")
        if base == 0 and exponent.is_negative:
            raise self.fail(node, "zero to a negative power divides by zero")
        if base.has(sp.Integral) or exponent.has(sp.Integral):
            return sp.Pow(base, exponent, evaluate=False)
        return base**exponent

    def _Compare(self, node: ast.Compare, depth: int) -> sp.Basic:
        terms = [self._need_expr(self.expr(node.left, depth), node.left)]
        terms += [self._need_expr(self.expr(c, depth), c) for c in node.comparators]
        relations = []
        for op, lhs, rhs in zip(node.ops, terms, terms[1:]):
            kind = COMPARE.get(type(op))
            if kind is None:
                raise self.fail(node, f"the comparison {_describe(op)} is not allowed",
                                hint="Use <, <=, >, >=, == or !=.")
            relations.append(kind(lhs, rhs, evaluate=False))
        return relations[0] if len(relations) == 1 else sp.And(*relations, evaluate=False)

    def _BoolOp(self, node: ast.BoolOp, depth: int) -> sp.Basic:
        values = [self.expr(v, depth) for v in node.values]
        return sp.And(*values) if isinstance(node.op, ast.And) else sp.Or(*values)

    def _Tuple(self, node: ast.Tuple, depth: int) -> sp.Basic:
        return sp.Tuple(*[self.expr(e, depth) for e in node.elts])

    def _Call(self, node: ast.Call, depth: int) -> sp.Basic:
        if not isinstance(node.func, ast.Name):
            raise self.fail(node, f"{_describe(node.func)} cannot be called",
                            hint=f"Only these functions can be called: {ALLOWED}.")
        name = node.func.id
        if name.startswith("_"):
            raise self.fail(node, f"the name {name!r} is not allowed",
                            hint="Names must start with a letter.")
        if node.keywords:
            raise self.fail(node, f"keyword arguments to {name}() are not allowed")
        if name in STRUCTURES:
            return getattr(self, "_call_" + name)(node, depth)
        function = self._function_named(node, name)
        least, most = ARITY.get(name, (1, 1) if name in FUNCTIONS else (1, None))
        count = len(node.args)
        if count < least or (most is not None and count > most):
            wanted = (f"{least}" if least == most else f"{least} or {most}" if most is not None
                      else f"at least {least}")
            plural = "s" * (wanted not in ("1", "at least 1"))
            raise self.fail(node, f"{name}() takes {wanted} argument{plural}, "
                            f"got {count}")
        if any(isinstance(a, ast.Starred) for a in node.args):
            raise self.fail(node, f"a * in the arguments of {name}() is not allowed")
        args = [self._need_expr(self.expr(a, depth), a) for a in node.args]
        if self._refuse_costly(node, name, args):  # evaluating would try to do the integral
            return function(*args, evaluate=False)  # type: ignore[operator]
        try:
            return function(*args)  # type: ignore[operator]
        except (TypeError, ValueError) as exc:
            raise self.fail(node, f"{name}() cannot take these arguments ({exc})") from None

    def _function_named(self, node: ast.Call, name: str) -> object:
        """The function a call names: a known one, or ``f``, ``g``, ... as a function with no formula."""
        function = FUNCTIONS.get(name)
        if function is None and name not in self.symbols and UNDEFINED_FUNCTION.fullmatch(name):
            return sp.Function(name)  # f(x): a function with no formula
        if function is None or name in self.symbols:
            close = difflib.get_close_matches(name, list(FUNCTIONS), n=1)
            hint = f"Did you mean {close[0]}?" if close else f"Known functions: {FUNCTION_LIST}."
            hint += f" For a product write {name}*(...)."
            raise self.fail(node, f"{name!r} is not a known function", hint=hint)
        return function

    def _refuse_costly(self, node: ast.Call, name: str, args: list[sp.Expr]) -> bool:
        """Refuse arguments whose evaluation is unbounded; True if the call must stay unevaluated."""
        if name in ("gamma", "loggamma", "beta") and any(a.is_Number and abs(a) > 1000 for a in args):
            raise self.fail(node, f"{name}() of such a large number is too costly to evaluate",
                            hint="Arguments above 1000 are refused.")
        if name in LAZY_FUNCTIONS or name in EXACT_FUNCTIONS:
            for a in args:
                if a.is_number and not a.has(sp.Integral) and _too_large(a):
                    raise self.fail(node, f"{name}() of a number with more than {MAX_RESULT_DIGITS} "
                                    "digits is too costly to evaluate",
                                    hint="Use smaller numbers.")
        return any(a.has(sp.Integral) for a in args)

    def _call_Integral(self, node: ast.Call, depth: int) -> sp.Basic:
        if not node.args:
            raise self.fail(node, "Integral() needs an integrand",
                            hint="Write Integral(f, (x, a, b), (y, c, d)).")
        integrand = self._need_expr(self.expr(node.args[0], depth), node.args[0])
        limits = []
        for arg in node.args[1:]:
            item = self.expr(arg, depth)
            parts = tuple(item) if isinstance(item, sp.Tuple) else (item,)
            if not isinstance(parts[0], sp.Symbol) or len(parts) not in (1, 3):
                raise self.fail(arg, "an integration limit must be a variable or (variable, lower, upper)",
                                hint="Write Integral(f, (x, 0, 1)).")
            limits.append(parts if len(parts) == 3 else parts[0])
        if not limits:
            raise self.fail(node, "Integral() needs at least one variable",
                            hint="Write Integral(f, (x, a, b)).")
        return sp.Integral(integrand, *limits)

    def _call_Piecewise(self, node: ast.Call, depth: int) -> sp.Basic:
        pieces = []
        for arg in node.args:
            item = self.expr(arg, depth)
            if not (isinstance(item, sp.Tuple) and len(item) == 2):
                raise self.fail(arg, "each piece must be (value, condition)",
                                hint="Write Piecewise((f, x > 0), (0, True)).")
            pieces.append((item[0], item[1]))
        if not pieces:
            raise self.fail(node, "Piecewise() needs at least one (value, condition) piece")
        if any(sp.Tuple(*p).has(sp.Integral) for p in pieces):
            return sp.Piecewise(*pieces, evaluate=False)
        return sp.Piecewise(*pieces)

    def _need_expr(self, value: sp.Basic, node: ast.AST) -> sp.Expr:
        if not isinstance(value, sp.Expr):
            raise self.fail(node, "a condition or list is used where a number or formula is expected")
        return value


def _too_large(value: sp.Expr) -> bool:
    """True if a number has more than MAX_RESULT_DIGITS digits before the point (or is not finite)."""
    try:
        approx = sp.Abs(value).evalf(5, maxn=20)
    except (TypeError, ValueError, ArithmeticError, RecursionError):
        return True
    if not approx.is_Number:
        return False  # complex or unevaluated: leave it to SymPy, under the time limit
    if approx in (sp.oo, sp.zoo, sp.nan):
        return True
    return approx > sp.Float(10) ** MAX_RESULT_DIGITS


def check_digits(result: sp.Basic, text: str, what: str) -> None:
    """The digit limit holds for every number in the result, however it was made."""
    bits = MAX_RESULT_DIGITS * 3.33
    for atom in result.atoms(sp.Rational):
        if max(abs(atom.p).bit_length(), atom.q.bit_length()) > bits:
            raise ParseError(f"the {what} {text!r:.80} makes a number with more than "
                             f"{MAX_RESULT_DIGITS} digits. Use smaller numbers or powers.",
                             text=text, hint="Use smaller numbers or powers.")


def _describe(node: ast.AST) -> str:
    names = {
        "Attribute": "attribute access (a dot)", "Subscript": "indexing with []",
        "Lambda": "a lambda", "List": "a list", "Dict": "a dict", "Set": "a set",
        "ListComp": "a comprehension", "GeneratorExp": "a comprehension",
        "JoinedStr": "an f-string", "IfExp": "an if-expression", "Starred": "a *",
        "NamedExpr": "the := operator", "Await": "await", "Yield": "yield",
        "BitXor": "'^'", "Mod": "'%'", "FloorDiv": "'//'", "MatMult": "'@'",
        "LShift": "'<<'", "RShift": "'>>'", "BitAnd": "'&'", "BitOr": "'|'", "Invert": "'~'", "Is": "'is'", "IsNot": "'is not'",
        "In": "'in'", "NotIn": "'not in'", "Slice": "a slice",
    }
    return names.get(type(node).__name__, type(node).__name__)
