"""Read untrusted text as SymPy expressions, equations and conditions, without ``eval``.

The text is parsed by Python's ``ast`` module and only a whitelist is turned
into SymPy: numbers, names, ``+ - * / **`` (``^`` also means power), unary
minus, comparisons (chains allowed), ``and``/``or``, and a fixed table of
mathematical functions. Length, nesting depth and number sizes are capped, so
``2**2**100`` is refused at once instead of hanging. Anything else raises
``ParseError`` with the column and what is allowed.
"""

from .assumptions import symbols_from_conditions
from .reader import parse_conditions, parse_equations, parse_expression, parse_symbols
from .text import format_expression
from .vocabulary import CONSTANTS, FUNCTIONS, MAX_LENGTH, PARSE_TIMEOUT

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
    "PARSE_TIMEOUT",
]
