"""The entry points: one formula, equations, conditions or variable names read from untrusted text."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Mapping, Sequence

import sympy as sp

from ..errors import ParseError, SymjacTimeoutError
from ..timeouts import time_limit
from .converter import Converter, check_digits
from .notation import normalise_name, to_plain_text
from .text import rewrite_text
from .vocabulary import CONSTANTS, FUNCTIONS, MAX_DEPTH, MAX_LENGTH, PARSE_TIMEOUT

__all__ = ["parse_expression", "parse_equations", "parse_conditions", "parse_symbols"]

def _parse(text: object, symbols: Mapping[str, sp.Symbol] | None, *, equations: bool = False,
           what: str = "formula") -> tuple[sp.Basic, Converter]:
    _check_size(text, what)
    plain, source = to_plain_text(text)  # LaTeX and Unicode mathematics, columns kept
    rewritten, where = rewrite_text(plain, equations=equations)
    where = _compose_columns(source, where, len(text))
    converter = Converter(text, where, symbols or {})
    try:
        tree = ast.parse(rewritten.strip(), mode="eval")
    except SyntaxError as exc:
        raise _syntax_error(exc, text, rewritten, where, what, equations) from None
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


def _check_size(text: object, what: str) -> None:
    """Refuse what is not text, too long, empty or nested too deeply, before any parsing."""
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


def _syntax_error(exc: SyntaxError, text: str, rewritten: str, where: list[int], what: str,
                  equations: bool) -> ParseError:
    """Python's syntax error as a ParseError at the column of the text as typed, with a hint."""
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
        hint = _juxtaposition_hint(rewritten, offset) or hint
    if re.search(r"(?<![<>=!])=(?!=)", text) and not equations:
        hint = "Use == to compare, or pass equations where equations are expected."
    return ParseError(f"cannot read the {what} {text!r}: {message} at column {column}. {hint}",
                      text=text, column=column, hint=hint)


def _juxtaposition_hint(rewritten: str, offset: int) -> str | None:
    """The hint when two terms stand side by side (``2 x``, ``sin x``), else None."""
    before = rewritten[:offset].rstrip()
    if not (before and (before[-1].isalnum() or before[-1] in ")_") and
            (rewritten[offset].isalnum() or rewritten[offset] in "(_.")):
        return None
    word = re.search(r"[A-Za-z_]\w*$", before)
    if word and word.group() in FUNCTIONS:
        return (f"A function's argument goes in parentheses: write "
                f"{word.group()}(...), as in {word.group()}(x).")
    return ("Two terms stand next to each other with only a space between them; "
            "write * for a product, as in 2*x.")


def _compose_columns(source: list[int], where: list[int], end: int) -> list[int]:
    """Columns in the original text for each character of the rewritten plain text."""
    return [source[i] if i < len(source) else end for i in where]


def _convert(converter: Converter, body: ast.AST, text: str, what: str) -> sp.Basic:
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
    check_digits(result, text, what)
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
