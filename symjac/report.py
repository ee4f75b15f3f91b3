"""``CheckReport``: the evidence behind a numeric check, with a verdict.

Every numeric check in symjac (a Jacobian against finite differences, an
integral against quadrature, a density against samples) returns one. It keeps
the numbers, the error estimates, the tolerances, the method, the points and
the seed, and any warning the numerics gave, so a verdict is never a bare
boolean. ``report.passed`` is True only when the evidence supports it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from .result import markdown_escape

__all__ = ["CheckReport", "Verdict"]

Verdict = Literal["passed", "failed", "inconclusive"]
_VERDICTS = ("passed", "failed", "inconclusive")

#: How many standard errors a Monte Carlo estimate may be off before a check fails.
Z_STATISTICAL = 4.0


@dataclass(frozen=True, eq=False)
class CheckReport:
    """The outcome of a numeric check and the evidence for it.

    Attributes:
        verdict: ``"passed"``, ``"failed"`` or ``"inconclusive"`` (the numbers
            could not decide, e.g. a quadrature that did not converge).
        what: What was checked, in words.
        method: How the numbers were obtained (``"scipy.nquad"``, ``"central differences"``...).
        value: The value(s) computed numerically.
        expected: The value(s) claimed or derived symbolically.
        error: The largest absolute difference between ``value`` and ``expected``.
        relative_error: The same, relative to the size of ``expected``.
        error_estimate: The numerical method's own error estimate (a quadrature's
            error bound, a Monte Carlo standard error, a difference step's truncation error).
        rtol: Relative tolerance used.
        atol: Absolute tolerance used.
        reason: One or two plain sentences saying why the verdict was reached.
        points: The points used (rows), if any.
        sample_size: How many points or samples were used.
        seed: The seed of the random generator, if randomness was used.
        worst_point: The point with the largest error, if any.
        statistical: True when the evidence is statistical (Monte Carlo, a test),
            so small errors below the noise cannot be detected.
        warnings: Messages the numerics gave (SciPy's ``IntegrationWarning``,
            non-finite values...), kept instead of being printed.

    >>> from symjac.report import CheckReport
    >>> r = CheckReport.compare(1.0000000001, 1.0, what="an integral", method="exact")
    >>> r.verdict, r.passed
    ('passed', True)
    >>> CheckReport.compare(1.1, 1.0, what="an integral", method="exact").verdict
    'failed'
    >>> CheckReport.compare(1.1, 1.0, what="an integral", method="scipy.quad",
    ...                     converged=False).verdict
    'inconclusive'
    """

    verdict: Verdict
    what: str
    method: str
    value: object = None
    expected: object = None
    error: float = math.nan
    relative_error: float = math.nan
    error_estimate: float | None = None
    rtol: float = 1e-8
    atol: float = 1e-10
    reason: str = ""
    points: np.ndarray | None = None
    sample_size: int = 0
    seed: int | None = None
    worst_point: tuple[float, ...] | None = None
    statistical: bool = False
    warnings: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        if self.verdict not in _VERDICTS:
            raise ValueError(f"verdict must be one of {', '.join(_VERDICTS)}, got {self.verdict!r}.")
        if isinstance(self.points, np.ndarray):
            points = np.array(self.points, copy=True)
            points.setflags(write=False)
            object.__setattr__(self, "points", points)
        object.__setattr__(self, "warnings", tuple(str(w) for w in self.warnings))

    @property
    def passed(self) -> bool:
        """True only when the evidence supports the claim."""
        return self.verdict == "passed"

    # ------------------------------------------------------------------ building

    @classmethod
    def compare(
        cls,
        value: float | complex,
        expected: float | complex,
        *,
        what: str,
        method: str,
        error_estimate: float = 0.0,
        converged: bool = True,
        statistical: bool = False,
        rtol: float = 1e-8,
        atol: float = 1e-10,
        sample_size: int = 0,
        seed: int | None = None,
        warnings: Sequence[str] = (),
        points: np.ndarray | None = None,
    ) -> CheckReport:
        """Judge one computed number against one expected number.

        The rules: with an unconverged computation, or a non-finite value, the
        verdict is inconclusive. A deterministic estimate passes when the
        difference is within ``max(atol, rtol*|expected|)`` and the error
        estimate is that small too; it fails when the difference is larger than
        the tolerance plus the error estimate; otherwise it is inconclusive.
        A statistical estimate (standard error ``se``) passes when the
        difference is within the tolerance plus ``4*se`` and fails otherwise.
        """
        diff = abs(complex(value) - complex(expected))
        scale = max(abs(complex(expected)), abs(complex(value)))
        tol = max(atol, rtol * scale)
        rel = diff / abs(complex(expected)) if expected != 0 else (0.0 if diff == 0 else math.inf)
        estimate = abs(error_estimate) if error_estimate is not None else 0.0
        notes = list(warnings)
        if not (math.isfinite(diff) and math.isfinite(estimate)):
            verdict: Verdict = "inconclusive"
            reason = "The computation gave a non-finite value or error estimate, so it decides nothing."
        elif not converged:
            verdict = "inconclusive"
            reason = (f"The computation did not converge (difference {diff:.3g}, error estimate "
                      f"{estimate:.3g}), so it neither confirms nor refutes the claim.")
        elif statistical:
            allowed = tol + Z_STATISTICAL * estimate
            if diff <= allowed:
                verdict = "passed"
                reason = (f"The difference {diff:.3g} is within {Z_STATISTICAL:g} standard errors "
                          f"({estimate:.3g} each) plus the tolerance {tol:.3g}.")
                notes.append(f"The evidence is statistical: differences smaller than about "
                             f"{Z_STATISTICAL * estimate:.2g} cannot be detected with this sample.")
            else:
                verdict = "failed"
                reason = (f"The difference {diff:.3g} is {diff / max(estimate, 1e-300):.1f} standard "
                          f"errors ({estimate:.3g}), beyond the allowed {Z_STATISTICAL:g} plus the "
                          f"tolerance {tol:.3g}.")
        elif diff <= tol and estimate <= tol:
            verdict = "passed"
            reason = f"The difference {diff:.3g} is within the tolerance {tol:.3g}."
        elif diff > tol + estimate:
            verdict = "failed"
            reason = (f"The difference {diff:.3g} exceeds the tolerance {tol:.3g} plus the "
                      f"error estimate {estimate:.3g}.")
        else:
            verdict = "inconclusive"
            reason = (f"The error estimate {estimate:.3g} is larger than the tolerance {tol:.3g}, "
                      f"so a difference of {diff:.3g} can be neither confirmed nor ruled out.")
        return cls(verdict=verdict, what=what, method=method, value=value, expected=expected,
                   error=diff, relative_error=rel, error_estimate=estimate, rtol=rtol, atol=atol,
                   reason=reason, points=points, sample_size=sample_size, seed=seed,
                   statistical=statistical, warnings=tuple(notes))

    # ------------------------------------------------------------------ showing

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready summary (arrays become nested lists, numbers become floats)."""
        return {
            "verdict": self.verdict,
            "passed": self.passed,
            "what": self.what,
            "method": self.method,
            "value": _plain(self.value),
            "expected": _plain(self.expected),
            "error": _plain(self.error),
            "relative_error": _plain(self.relative_error),
            "error_estimate": _plain(self.error_estimate),
            "rtol": self.rtol,
            "atol": self.atol,
            "reason": self.reason,
            "sample_size": self.sample_size,
            "seed": self.seed,
            "worst_point": _plain(self.worst_point),
            "statistical": self.statistical,
            "warnings": list(self.warnings),
        }

    def __str__(self) -> str:
        lines = [f"{self.verdict.upper()}: {self.what}", f"  {self.reason}",
                 f"  method: {self.method}"]
        if self.value is not None and np.size(self.value) == 1:
            lines.append(f"  value: {_short(self.value)}   expected: {_short(self.expected)}")
        lines.append(f"  max error: {self.error:.3g} (relative {self.relative_error:.3g}); "
                     f"rtol={self.rtol:g}, atol={self.atol:g}")
        if self.error_estimate is not None:
            kind = "standard error" if self.statistical else "error estimate"
            lines.append(f"  {kind}: {self.error_estimate:.3g}")
        if self.sample_size:
            seed = f", seed {self.seed}" if self.seed is not None else ""
            lines.append(f"  points: {self.sample_size}{seed}")
        if self.worst_point is not None:
            lines.append("  worst point: (" + ", ".join(f"{v:.6g}" for v in self.worst_point) + ")")
        lines += [f"  warning: {w}" for w in self.warnings]
        return "\n".join(lines)

    def _repr_markdown_(self) -> str:
        """Jupyter: the verdict in bold, then the evidence as a list (the lines of ``str``)."""
        head, *rest = str(self).splitlines()
        return f"**{markdown_escape(head)}**\n\n" + "\n".join(f"- {markdown_escape(line.strip())}"
                                                       for line in rest)

    def __repr__(self) -> str:
        return (f"CheckReport(verdict={self.verdict!r}, what={self.what!r}, method={self.method!r}, "
                f"error={self.error:.3g})")


def _short(value: object) -> str:
    value = np.asarray(value).reshape(()).item() if np.size(value) == 1 else value
    if isinstance(value, float):
        return f"{value:.15g}"
    if isinstance(value, complex):
        return f"{value:.15g}"
    return str(value)


def _plain(value: object) -> object:
    if value is None:
        return None
    if isinstance(value, np.ndarray):
        return _plain(value.tolist())
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (complex, np.complexfloating)):
        return {"real": float(value.real), "imag": float(value.imag)}
    if isinstance(value, (int, float, np.number)):
        return float(value)
    return str(value)
