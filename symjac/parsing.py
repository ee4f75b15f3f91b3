"""Read untrusted text as SymPy expressions, equations and conditions, without ``eval``.

The text is parsed by Python's ``ast`` module and only a whitelist is turned
into SymPy: numbers, names, ``+ - * / **`` (``^`` also means power), unary
minus, comparisons (chains allowed), ``and``/``or``, and a fixed table of
mathematical functions. Length, nesting depth and number sizes are capped, so
``2**2**100`` is refused at once instead of hanging. Anything else raises
``ParseError`` with the column and what is allowed.
"""

from __future__ import annotations

import ast
import difflib
import re
from collections.abc import Iterable, Mapping, Sequence

import sympy as sp

from .errors import ParseError, SymjacTimeoutError
from .assumptions import symbols_from_conditions
from .parsing_latex import normalise_name, to_plain_text
from .parsing_text import KEYWORD_NAMES, format_expression, rewrite_text
from .timeouts import time_limit

_KEYWORDS_BACK = {v: k for k, v in KEYWORD_NAMES.items()}

__all__ = [
    "parse_expression",
    "parse_equations",
    "parse_conditions",
    "parse_symbols",
    "symbols_from_conditions",
    "format_expression",
    "FUNCTIONS",
    "CONSTANTS",
    "MAX_LENGTH",
]

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
    "LambertW": sp.LambertW, "lambertw": sp.LambertW, "Mod": sp.Mod,
}
CONSTANTS: dict[str, sp.Expr] = {
    "pi": sp.pi, "E": sp.E, "I": sp.I, "oo": sp.oo, "inf": sp.oo, "infinity": sp.oo,
    "π": sp.pi,
}
_STRUCTURES = ("Integral", "Piecewise")
#: how many arguments each function takes (default: exactly one)
_ARITY: dict[str, tuple[int, int | None]] = {
    "atan2": (2, 2), "arctan2": (2, 2), "beta": (2, 2), "log": (1, 2), "ln": (1, 2),
    "Min": (1, None), "Max": (1, None), "min": (1, None), "max": (1, None),
    "LambertW": (1, 2), "lambertw": (1, 2), "Mod": (2, 2),
}
_EXACT_FUNCTIONS = ("gamma", "loggamma", "beta", "floor", "ceiling")
#: functions whose evaluation on numbers or integrals can take unbounded time or digits:
#: built unevaluated when an argument holds an integral, refused on numbers too large to round
_LAZY_FUNCTIONS = ("floor", "ceiling", "Min", "Max", "min", "max", "Heaviside", "sign", "Abs", "abs",
                   "Mod")
_FUNCTION_LIST = ", ".join(sorted(set(FUNCTIONS) - {"ln", "abs", "min", "max", "lambertw"},
                                  key=str.lower))
_ALLOWED = (
    "numbers, variable names, + - * / ** (or ^), parentheses, comparisons, "
    "and the functions " + _FUNCTION_LIST
)

_COMPARE = {ast.Lt: sp.Lt, ast.LtE: sp.Le, ast.Gt: sp.Gt, ast.GtE: sp.Ge, ast.Eq: sp.Eq,
            ast.NotEq: sp.Ne}


# --------------------------------------------------------------------------- the converter


class _Converter:
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
        return ParseError(full, text=self.text, column=column, expected=_ALLOWED, hint=hint)

    # -- dispatch
    def expr(self, node: ast.AST, depth: int = 0) -> sp.Basic:
        if depth > MAX_DEPTH:
            raise self.fail(node, f"the formula is nested more than {MAX_DEPTH} levels deep",
                            hint="Split it into smaller pieces.")
        method = getattr(self, "_" + type(node).__name__, None)
        if method is None:
            raise self.fail(node, f"{_describe(node)} is not allowed",
                            hint=f"Allowed are {_ALLOWED}.")
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
        name = _KEYWORDS_BACK.get(node.id, node.id)
        if name in self.symbols:
            return self.symbols[name]
        if name in CONSTANTS:
            return CONSTANTS[name]
        if name in FUNCTIONS or name in _STRUCTURES:
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
            kind = _COMPARE.get(type(op))
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
                            hint=f"Only these functions can be called: {_ALLOWED}.")
        name = node.func.id
        if name.startswith("_"):
            raise self.fail(node, f"the name {name!r} is not allowed",
                            hint="Names must start with a letter.")
        if node.keywords:
            raise self.fail(node, f"keyword arguments to {name}() are not allowed")
        if name in _STRUCTURES:
            return getattr(self, "_call_" + name)(node, depth)
        function = FUNCTIONS.get(name)
        if function is None or name in self.symbols:
            close = difflib.get_close_matches(name, list(FUNCTIONS), n=1)
            hint = f"Did you mean {close[0]}?" if close else f"Known functions: {_FUNCTION_LIST}."
            if name in self.symbols or not name.startswith("_"):
                hint += f" For a product write {name}*(...)."
            raise self.fail(node, f"{name!r} is not a known function", hint=hint)
        least, most = _ARITY.get(name, (1, 1))
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

    def _refuse_costly(self, node: ast.Call, name: str, args: list[sp.Expr]) -> bool:
        """Refuse arguments whose evaluation is unbounded; True if the call must stay unevaluated."""
        if name in ("gamma", "loggamma", "beta") and any(a.is_Number and abs(a) > 1000 for a in args):
            raise self.fail(node, f"{name}() of such a large number is too costly to evaluate",
                            hint="Arguments above 1000 are refused.")
        if name in _LAZY_FUNCTIONS or name in _EXACT_FUNCTIONS:
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


def _check_digits(result: sp.Basic, text: str, what: str) -> None:
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


# --------------------------------------------------------------------------- entry points


def _parse(text: object, symbols: Mapping[str, sp.Symbol] | None, *, equations: bool = False,
           what: str = "formula") -> tuple[sp.Basic, _Converter]:
    if not isinstance(text, str):
        raise ParseError(f"expected the {what} as text, got {type(text).__name__} {text!r:.60}.",
                         text=None, hint="Pass a string such as 'x**2 + y'.")
    if len(text) > MAX_LENGTH:
        raise ParseError(f"the {what} is {len(text)} characters long; at most {MAX_LENGTH} are allowed.",
                         text=text[:80] + "...", hint="Split it into smaller pieces.")
    if not text.strip():
        raise ParseError(f"the {what} {'are' if what.endswith('s') else 'is'} empty.", text=text,
                         hint="Write a formula such as 'x**2 + y'.")
    depth = deepest = 0
    for ch in text:
        depth += ch in "([{"
        depth -= ch in ")]}"
        deepest = max(deepest, depth)
    if deepest > MAX_DEPTH:
        raise ParseError(f"the {what} has parentheses nested more than {MAX_DEPTH} deep.", text=text)
    plain, source = to_plain_text(text)  # LaTeX and Unicode mathematics, columns kept
    rewritten, where = rewrite_text(plain, equations=equations)
    where = _compose_columns(source, where, len(text))
    converter = _Converter(text, where, symbols or {})
    try:
        tree = ast.parse(rewritten.strip(), mode="eval")
    except SyntaxError as exc:
        offset = (exc.offset or 1) - 1 + (len(rewritten) - len(rewritten.lstrip()))
        column = (where[offset] if 0 <= offset < len(where) else len(text)) + 1
        message = (exc.msg or "invalid syntax").rstrip(".")
        hint = "Check for a missing operator or parenthesis."
        stripped = text.rstrip()
        if stripped and stripped[-1] in "+-*/^(,<>=!&|" and message == "invalid syntax":
            column = len(stripped) + 1
            verb = "end" if what.endswith("s") else "ends"
            message = f"the {what} {verb} after {stripped[-1]!r}, so something is missing"
            hint = "Complete the formula after the last operator."
        elif message == "invalid syntax" and 0 <= offset < len(rewritten):
            before = rewritten[:offset].rstrip()
            if before and (before[-1].isalnum() or before[-1] in ")_") and \
                    (rewritten[offset].isalnum() or rewritten[offset] in "(_."):
                hint = ("Two terms stand next to each other with only a space between them; "
                        "write * for a product, as in 2*x.")
                word = re.search(r"[A-Za-z_]\w*$", before)
                if word and word.group() in FUNCTIONS:
                    hint = (f"A function's argument goes in parentheses: write "
                            f"{word.group()}(...), as in {word.group()}(x).")
        if re.search(r"(?<![<>=!])=(?!=)", text) and not equations:
            hint = "Use == to compare, or pass equations where equations are expected."
        raise ParseError(f"cannot read the {what} {text!r}: {message} at column {column}. {hint}",
                         text=text, column=column, hint=hint) from None
    except (ValueError, RecursionError, MemoryError) as exc:
        raise ParseError(f"cannot read the {what} {text!r:.80}: {exc}.", text=text) from None
    try:
        return _convert(converter, tree.body, text, what), converter
    except RecursionError:
        raise ParseError(f"the {what} is nested too deeply.", text=text[:80]) from None
    except ParseError:
        raise
    except (TypeError, ValueError, AttributeError, ArithmeticError) as exc:
        raise ParseError(f"cannot read the {what} {text!r:.80}: {exc}.", text=text) from None


def _compose_columns(source: list[int], where: list[int], end: int) -> list[int]:
    """Columns in the original text for each character of the rewritten plain text."""
    return [source[i] if i < len(source) else end for i in where]


def _convert(converter: _Converter, body: ast.AST, text: str, what: str) -> sp.Basic:
    """The tree as SymPy, under the parser's time limit and with every number within the digit limit."""
    try:
        with time_limit(PARSE_TIMEOUT, f"reading the {what}"):
            result = converter.expr(body)
            if result.has(sp.Integral):
                str(result)  # printing asks assumptions that can try to do the integral
    except SymjacTimeoutError:
        raise ParseError(f"reading the {what} {text!r:.80} took longer than {PARSE_TIMEOUT:g} s "
                         "(some part of it is too costly to evaluate).", text=text,
                         hint="Use smaller numbers, or write the parts separately.") from None
    _check_digits(result, text, what)
    return result


def parse_expression(text: str, *, symbols: Mapping[str, sp.Symbol] | None = None) -> sp.Expr:
    """Read one formula from untrusted text.

    Args:
        text: The formula, e.g. ``"x^2/y + 2sin(t)"``.
        symbols: Symbols to use for given names (with their assumptions);
            other names become real symbols.

    Returns:
        A SymPy expression (an ``Integral`` or ``Piecewise`` when the text is one).

    Raises:
        ParseError: If the text is not a formula made of allowed parts.

    >>> from symjac.parsing import parse_expression
    >>> parse_expression("x^2/y + 2sin(t)")
    x**2/y + 2*sin(t)
    >>> parse_expression("__import__('os')")
    Traceback (most recent call last):
    ...
    symjac.errors.ParseError: the name '__import__' is not allowed at column 1 of "__import__('os')". Names must start with a letter.
    """
    result, converter = _parse(text, symbols)
    if not isinstance(result, sp.Expr):
        raise converter.fail(None, "expected a formula, got a condition or a list",
                             hint="Pass one formula such as 'x**2 + y'.")
    return result


def parse_equations(text: str, *, symbols: Mapping[str, sp.Symbol] | None = None
                    ) -> tuple[tuple[sp.Symbol, sp.Expr], ...]:
    """Read equations ``name = formula`` separated by commas or semicolons.

    Returns:
        Pairs ``(name, formula)`` in the order written.

    >>> from symjac.parsing import parse_equations
    >>> parse_equations("u = x^2/y, v = y^2/x")
    ((u, x**2/y), (v, y**2/x))
    """
    if isinstance(text, str):
        text = text.replace(";", ",").replace("\n", ",").strip().rstrip(",")
    result, converter = _parse(text, symbols, equations=True, what="equations")
    items = list(result) if isinstance(result, sp.Tuple) else [result]
    pairs = []
    for item in items:
        if not isinstance(item, sp.Eq):
            raise ParseError(f"{str(item)!r} in {text!r} is not an equation. Write each as 'u = x**2/y'.",
                             text=text, hint="Write each equation as 'name = formula'.")
        if not isinstance(item.lhs, sp.Symbol):
            raise ParseError(f"the left side of {str(item.lhs)} = {str(item.rhs)} must be one variable name. "
                             "Write it as 'u = formula'.", text=text,
                             hint="Put the new variable alone on the left.")
        pairs.append((item.lhs, item.rhs))
    return tuple(pairs)


def parse_conditions(text: str | None, *, symbols: Mapping[str, sp.Symbol] | None = None
                     ) -> tuple[sp.Basic, ...]:
    """Read conditions such as ``"x > 0, 0 < theta < 2*pi"``.

    Chains are split into their comparisons; ``and``/``or`` are kept.

    >>> from symjac.parsing import parse_conditions
    >>> parse_conditions("r > 0, 0 < theta < 2*pi")
    (r > 0, 0 < theta, theta < 2*pi)
    """
    if text is None:
        return ()
    if isinstance(text, str) and not text.strip():
        return ()
    result, _ = _parse(text, symbols, what="conditions")
    items = list(result) if isinstance(result, sp.Tuple) else [result]
    out: list[sp.Basic] = []
    for item in items:
        parts = item.args if isinstance(item, sp.And) else (item,)
        for part in parts:
            if part is sp.true:
                continue
            if not isinstance(part, (sp.Rel, sp.Or, sp.Not, sp.And)) or part is sp.false:
                raise ParseError(f"{str(part)!r} in {text!r} is not a condition. "
                                 "Write conditions like 'x > 0' or '0 < t < 2*pi'.", text=text)
            out.append(part)
    return tuple(out)


def parse_symbols(names: str | Sequence[object] | None) -> tuple[sp.Symbol, ...]:
    """Read variable names given as ``"x y"``, ``"x, y"`` or a list of names/symbols.

    >>> from symjac.parsing import parse_symbols
    >>> parse_symbols("r, theta")
    (r, theta)
    """
    if names is None:
        return ()
    if isinstance(names, sp.Symbol):
        return (names,)
    if isinstance(names, str):
        items: Iterable[object] = [n for n in re.split(r"[\s,]+", names.strip()) if n]
    elif isinstance(names, (list, tuple, sp.Tuple)):
        items = names
    else:
        raise ParseError(f"expected variable names as text like 'x y' or a list of names or "
                         f"symbols, got {type(names).__name__} {names!r:.60}.", text=str(names)[:60],
                         hint="Pass names such as 'r theta'.")
    out = []
    for item in items:
        if isinstance(item, sp.Symbol):
            out.append(item)
            continue
        if isinstance(item, str):
            item = normalise_name(item)  # fullwidth ｘ is the x of the formulas
        if not isinstance(item, str) or not re.fullmatch(r"[^\W\d_]\w*", item):
            raise ParseError(f"{item!r} is not a variable name. Use names like x, y, theta.",
                             text=str(item), hint="Separate names with spaces or commas.")
        if item in FUNCTIONS or item in CONSTANTS or item == "e":
            raise ParseError(f"{item!r} is a function or constant and cannot be a variable name.",
                             text=item, hint="Choose another name.")
        out.append(sp.Symbol(item, real=True))
    if len({s.name for s in out}) != len(out):
        raise ParseError(f"the variable names {[s.name for s in out]} repeat a name.",
                         text=str(names), hint="Give each variable once.")
    return tuple(out)
