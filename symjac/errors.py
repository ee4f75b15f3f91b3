"""The errors symjac raises, and the one warning it gives.

Every error says what was wrong, what was expected and how to fix it, and
keeps those parts as attributes (``err.value``, ``err.expected``,
``err.hint``) for programs. Each class also inherits from the matching
builtin, so ``except ValueError`` catches a ``ParseError`` too.
"""

from __future__ import annotations

__all__ = [
    "SymjacError",
    "ParseError",
    "DimensionError",
    "DomainError",
    "SingularTransformError",
    "InversionError",
    "UnknownSystemError",
    "SymjacTimeoutError",
    "SymjacTypeError",
    "SymjacValueError",
    "WorkerError",
    "SymjacWarning",
]


class SymjacError(Exception):
    """Base class of every error symjac raises.

    Args:
        message: The whole sentence shown to the user.
        value: The offending value, if there is one.
        expected: What was expected instead, in words.
        hint: How to fix it, in words.
    """

    def __init__(
        self,
        message: str,
        *,
        value: object = None,
        expected: str | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.value = value
        self.expected = expected
        self.hint = hint

    def __str__(self) -> str:
        return self.message


class ParseError(SymjacError, ValueError):
    """Text could not be read as a formula; ``column`` is 1-based (or None)."""

    def __init__(
        self,
        message: str,
        *,
        text: str | None = None,
        column: int | None = None,
        expected: str | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message, value=text, expected=expected, hint=hint)
        self.text = text
        self.column = column


class DimensionError(SymjacError, ValueError):
    """Numbers of inputs, outputs or expressions do not fit the operation."""


class DomainError(SymjacError, ValueError):
    """A domain or region condition is malformed or empty."""


class SingularTransformError(SymjacError, ValueError):
    """The Jacobian determinant is identically zero where it must not be."""


class InversionError(SymjacError):
    """No inverse could be found or chosen.

    ``inverse_determinant`` holds what the inverse function theorem still
    gives (``1/det J`` in the new variables, when it could be expressed), and
    ``tried`` the strategies that were attempted.
    """

    def __init__(
        self,
        message: str,
        *,
        value: object = None,
        expected: str | None = None,
        hint: str | None = None,
        tried: tuple[str, ...] = (),
        inverse_determinant: object = None,
    ) -> None:
        super().__init__(message, value=value, expected=expected, hint=hint)
        self.tried = tried
        self.inverse_determinant = inverse_determinant


class UnknownSystemError(SymjacError, KeyError):
    """A coordinate system name that symjac does not know."""

    def __str__(self) -> str:  # KeyError would otherwise quote the message
        return self.message


class SymjacTypeError(SymjacError, TypeError):
    """An argument of the wrong kind (a string where a Transform is needed, ...)."""


class SymjacValueError(SymjacError, ValueError):
    """An argument of the right kind but a bad value (an infinite time limit, a negative tolerance)."""


class WorkerError(SymjacError, RuntimeError):
    """A worker process died (for example at its memory cap) or its result could not come back."""


class SymjacTimeoutError(SymjacError, TimeoutError):
    """A symbolic step ran longer than its time limit."""


class SymjacWarning(UserWarning):
    """A valid but suspect result (for example a sign that could not be decided)."""
