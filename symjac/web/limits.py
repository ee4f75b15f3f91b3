"""The web checker's limits, and the checks every request passes before any work is done.

``Settings`` holds the limits (worker processes, time and memory per request, sizes);
``read_fields`` turns a request's JSON into the fields of one tool, or raises ``RequestError``
with a plain message (unknown keys, wrong types, text too long), so that bad input is refused
before it reaches a worker.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from ..errors import SymjacError
from .tasks import FLAGS, OPTIONS, POSITIONAL

__all__ = ["Settings", "RequestError", "read_fields", "TOOLS", "EXTRAS"]

TOOLS = tuple(POSITIONAL)
#: request keys that ask for more than the CLI's JSON
EXTRAS = ("latex", "picture")
_WHOLE = {"n": (1, 8), "samples": (100, 100_000), "seed": (0, 2**32 - 1)}
_NUMBERS = {"rtol": (1e-15, 0.5), "timeout": (0.1, 3600.0)}


class RequestError(SymjacError):
    """A request the web checker refuses before doing any work; ``status`` is its HTTP code."""

    def __init__(self, message: str, *, status: int = 400, **info: Any) -> None:
        super().__init__(message, **info)
        self.status = status


@dataclass(frozen=True)
class Settings:
    """The limits of one web checker (``SYMJAC_WEB_<NAME>`` environment variables set them)."""

    jobs: int = 2  #: worker processes: requests computed at once
    timeout: float = 20.0  #: seconds one request may take before its worker is stopped
    memory_mb: int = 2048  #: memory of each worker process, in MiB
    max_body: int = 32_000  #: bytes of one request
    max_field: int = 2_000  #: characters of one formula
    max_upload: int = 1_000_000  #: bytes of one batch file
    max_submissions: int = 500  #: submissions in one batch file
    max_waiting: int = 16  #: requests waiting or running before new ones get "busy"
    max_batches: int = 2  #: batch files checked at once
    grace: float = 10.0  #: seconds beyond ``timeout`` for a request's LaTeX and picture

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **given: Any) -> Settings:
        """Settings from ``given``, then ``SYMJAC_WEB_JOBS`` etc., then the defaults."""
        environ = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = given.get(f.name)
            if raw is None and f"SYMJAC_WEB_{f.name.upper()}" in environ:
                raw = environ[f"SYMJAC_WEB_{f.name.upper()}"]
            if raw is None:
                continue
            kind = int if f.type in ("int", int) else float
            try:
                value = kind(raw)
            except (TypeError, ValueError):
                raise SymjacError(f"the web setting {f.name} must be a number, got {raw!r}.",
                                  value=raw) from None
            if not math.isfinite(value) or value <= 0:
                raise SymjacError(f"the web setting {f.name} must be a number above 0, got {raw!r}.",
                                  value=raw)
            values[f.name] = value
        return cls(**values)


def _number(name: str, value: object) -> int | float:
    whole = name in _WHOLE
    lo, hi = _WHOLE[name] if whole else _NUMBERS[name]
    kind = "a whole number" if whole else "a number"
    if isinstance(value, str):
        try:
            value = int(value) if whole else float(value)
        except ValueError:
            raise RequestError(f"'{name}' must be {kind}, got {value[:40]!r}.") from None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (
            whole and not float(value).is_integer()) or not math.isfinite(value):
        raise RequestError(f"'{name}' must be {kind}, got {str(value)[:40]!r}.")
    if not lo <= value <= hi:
        raise RequestError(f"'{name}' must be between {lo:g} and {hi:g}, got {value:g}.")
    return int(value) if whole else float(value)


def _field(name: str, value: object, settings: Settings) -> object:
    if name in FLAGS or name in EXTRAS:
        if not isinstance(value, bool):
            raise RequestError(f"'{name}' must be true or false, got {str(value)[:40]!r}.")
        return value
    if name in _WHOLE or name in _NUMBERS:
        return _number(name, value)
    if not isinstance(value, str):
        raise RequestError(f"'{name}' must be text, got {type(value).__name__} {str(value)[:40]!r}.")
    if len(value) > settings.max_field:
        raise RequestError(f"'{name}' is {len(value)} characters long; this server reads formulas "
                           f"of at most {settings.max_field} characters.", status=413)
    if "\x00" in value:
        raise RequestError(f"'{name}' contains a NUL character.")
    return value


def read_fields(tool: str, body: object, settings: Settings) -> tuple[dict[str, Any], dict[str, bool]]:
    """The fields of a request for ``tool`` and its extras (``latex``, ``picture``).

    Empty text counts as not given, except for ``region`` (``""``: all of space). The
    ``timeout`` may lower the server's limit, never raise it.
    """
    if not isinstance(body, dict):
        raise RequestError("the request must be a JSON object such as "
                           '{"original": "x*y", "claimed": "...", "sub": "u = x**2/y, v = y**2/x"}.')
    known = POSITIONAL[tool] + OPTIONS[tool] + EXTRAS + (("region",) if tool == "jacobian" else ())
    unknown = sorted(set(body) - set(known))
    if unknown:
        raise RequestError(f"unknown field{'s' if len(unknown) > 1 else ''} {', '.join(map(repr, unknown))} "
                           f"for {tool}; the fields are {', '.join(known)}.")
    out: dict[str, Any] = {}
    for name, value in body.items():
        if value is None or (value == "" and name != "region"):
            continue
        out[name] = _field(name, value, settings)
    missing = [name for name in POSITIONAL[tool] if name not in out and tool != "jacobian"]
    if missing:
        raise RequestError(f"{tool} needs {' and '.join(map(repr, missing))}.")
    if tool == "jacobian" and "equations" not in out and "system" not in out:
        raise RequestError("jacobian needs 'equations' (such as \"u = x**2/y, v = y**2/x\") or "
                           "a named 'system' (such as \"polar\").")
    out["timeout"] = min(out.get("timeout", settings.timeout), settings.timeout)
    extras = {name: bool(out.pop(name, False)) for name in EXTRAS}
    return out, extras
