"""Plain formula text before and after the parser.

``rewrite_text`` turns ``^`` into ``**``, ``2x`` into ``2*x`` and (for equations) ``=`` into
``==``, keeping each character's column; ``format_expression`` prints an expression back as
text that ``symjac.parsing`` reads.
"""

from __future__ import annotations

import keyword
import re

import sympy as sp
from sympy.printing.str import StrPrinter

__all__ = ["Rewriting", "rewrite_text", "format_expression"]

_NUMBER = re.compile(r"(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_NAME = re.compile(r"[^\W\d]\w*")


class Rewriting:
    """Text being rewritten, with the column of the original each new character came from:
    ``emit("**", 3)`` adds ``**`` as written at column 3; ``result()`` gives both."""

    def __init__(self) -> None:
        self.out: list[str] = []
        self.where: list[int] = []

    def __call__(self, s: str, at: int) -> None:
        self.out.extend(s)
        self.where.extend([at] * len(s))

    def result(self) -> tuple[str, list[int]]:
        return "".join(self.out), self.where


#: Python keywords that formulas use as names, and the identifier each is read through.
KEYWORD_NAMES = {"lambda": "lambda_"}
_LAMBDA_HEAD = re.compile(r"\s*(\w+\s*(,\s*\w+\s*)*)?:")


def _as_name(text: str, m: re.Match) -> str:
    """The name token as the parser reads it: ``lambda`` used as a name becomes ``lambda_``;
    ``lambda x: ...`` stays a (refused) lambda."""
    word = m.group()
    if _LAMBDA_HEAD.match(text, m.end()):
        return word
    return KEYWORD_NAMES.get(word, word)


def rewrite_text(text: str, *, equations: bool) -> tuple[str, list[int]]:
    """Turn ``^`` into ``**``, ``2x`` into ``2*x``, ``)(`` into ``)*(`` and (for
    equations) ``=`` into ``==``. Returns the new text and, for each of its
    characters, the index of the character it came from."""
    emit = Rewriting()
    i = 0
    previous = ""  # kind of the last token: "num", "name", ")" or ""
    while i < len(text):
        i, previous = _rewrite_token(text, i, previous, emit, equations)
    return emit.result()


def _adjacent(emit: Rewriting) -> bool:
    """Whether the next token would touch the last one written (no space between)."""
    return bool(emit.out) and not emit.out[-1].isspace()


def _rewrite_token(text: str, i: int, previous: str, emit: Rewriting,
                   equations: bool) -> tuple[int, str]:
    """Write the token at ``i``; returns where the next one starts and this one's kind."""
    ch = text[i]
    if ch.isspace():
        emit(ch, i)
        return i + 1, previous
    m = _NUMBER.match(text, i)
    if m and not (previous == "name" and _adjacent(emit)):
        if previous in ("num", ")"):
            emit("*", i)
        emit(m.group(), i)
        return m.end(), "num"
    m = _NAME.match(text, i)
    if m:
        if previous in ("num", ")") and _adjacent(emit) and not keyword.iskeyword(m.group()):
            emit("*", i)
        # lambda is a Python keyword but the usual name of a rate: read as a plain name
        emit(_as_name(text, m), i)
        return m.end(), "name"
    return _rewrite_sign(text, i, previous, emit, equations)


def _rewrite_sign(text: str, i: int, previous: str, emit: Rewriting,
                  equations: bool) -> tuple[int, str]:
    """Write one character that is neither a number nor a name: ``^`` as ``**``, a lone
    ``=`` of an equation as ``==``, ``*`` before a parenthesis that follows a factor."""
    ch = text[i]
    if ch == "^":
        emit("**", i)
        return i + 1, ""
    if ch == "=" and equations:
        before = text[i - 1] if i else ""
        after = text[i + 1] if i + 1 < len(text) else ""
        if before not in "<>=!" and after != "=":
            emit("==", i)
            return i + 1, ""
    if ch == "(" and previous in ("num", ")") and _adjacent(emit):
        emit("*", i)
    emit(ch, i)
    return i + 1, ")" if ch == ")" else ""


class _TextPrinter(StrPrinter):
    """SymPy's str printer, but comparisons as ``x == 0`` and negation as ``not``,
    so that everything it prints is read back by this module."""

    def _print_Relational(self, expr: sp.Rel) -> str:
        return f"{self._print(expr.lhs)} {expr.rel_op} {self._print(expr.rhs)}"

    def _print_Not(self, expr: sp.Not) -> str:
        return f"not ({self._print(expr.args[0])})"


def format_expression(obj: object) -> str:
    """An expression, equation or condition as text that ``parse_expression`` and
    ``parse_conditions`` read back (``Eq(r, 0)`` prints as ``r == 0``).

    >>> import sympy as sp
    >>> from symjac.parsing import format_expression, parse_conditions
    >>> r = sp.Symbol("r", real=True)
    >>> format_expression(sp.Eq(r, 0))
    'r == 0'
    >>> parse_conditions(format_expression(sp.And(r > 0, r < 1)))
    (r > 0, r < 1)
    """
    if isinstance(obj, (sp.Basic, sp.MatrixBase)):
        return _TextPrinter({"order": None}).doprint(obj)
    if isinstance(obj, (tuple, list)):
        return ", ".join(format_expression(o) for o in obj)
    return str(obj)
