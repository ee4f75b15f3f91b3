"""One protocol for every result: plain text for a terminal, LaTeX or Markdown for Jupyter, JSON.

A result class inherits ``Result`` and writes only what is its own: ``__str__`` (the short
summary), ``to_text()`` when the terminal shows more (the ``symjac`` command prints it),
``_latex_body()`` or ``_latex_parts()`` (its formulas) and, for JSON, ``_data()`` (a
dictionary of plain values and SymPy objects). ``to_dict()`` turns that dictionary into JSON with
one serialiser, ``to_data``, whose strings ``symjac.parsing.parse_expression`` reads back.
"""

from __future__ import annotations

import enum
import json
import math
import re
from typing import Any

import sympy as sp

from .latex import to_latex
from .parsing import format_expression

__all__ = ["Result", "to_data", "markdown_escape"]


def to_data(value: Any) -> Any:
    """A value as JSON-ready data: SymPy objects become text that ``parse_expression`` reads back.

    >>> import sympy as sp
    >>> from symjac.result import to_data
    >>> r = sp.Symbol("r", real=True)
    >>> to_data({"det": r**2, "domain": (r > 0,), "n": 2, "ok": True, "err": float("nan")})
    {'det': 'r**2', 'domain': ['r > 0'], 'n': 2, 'ok': True, 'err': None}
    """
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, enum.Enum):
        return to_data(value.value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, (sp.Basic, sp.MatrixBase)):
        return format_expression(value)
    if isinstance(value, dict):
        return {str(k): to_data(v) for k, v in value.items()}
    if isinstance(value, (tuple, list)):
        return [to_data(v) for v in value]
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if hasattr(value, "item"):  # NumPy scalars
        return to_data(value.item())
    return str(value)


class Result:
    """The shared behaviour of symjac's result types (a mixin without fields)."""

    __slots__ = ()

    def _repr_latex_(self) -> str:
        # display math, so that double integrals and matrices are shown full size
        return "$$" + to_latex(self) + "$$"

    def to_text(self) -> str:
        """The whole account for a terminal, as the ``symjac`` command prints it (``str(self)``
        unless the result has more to say)."""
        return str(self)

    def _data(self) -> dict[str, Any]:  # pragma: no cover - each JSON-capable result overrides it
        raise NotImplementedError(f"{type(self).__name__} has no JSON form")

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary whose strings ``symjac.parsing`` reads back."""
        return to_data(self._data())

    def to_json(self, **options: Any) -> str:
        """``to_dict()`` as a JSON string (``options`` go to ``json.dumps``)."""
        return json.dumps(self.to_dict(), **options)


def markdown_escape(text: str) -> str:
    """Text shown literally in Markdown: ``r*cos(theta)`` must not turn into italics.

    >>> from symjac.result import markdown_escape
    >>> print(markdown_escape("r*cos(theta) for |x| < 1"))
    r\\*cos(theta) for \\|x\\| \\< 1
    """
    return re.sub(r"([\\`*_\[\]<>#|~$])", r"\\\1", text)
