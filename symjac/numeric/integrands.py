"""Integrands compiled for quadrature, with nothing dropped silently.

``_scalar`` and ``_vector`` turn a SymPy expression into a fast function; a value
that is not finite is counted, located and kept as evidence (``_Tally``), isolated
singular points are recognised, and SciPy's warnings become messages.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Sequence

import numpy as np
import sympy as sp

__all__: list[str] = []


#: Inner integrals that warned this often make the nested result worthless: stop early.
_MAX_WARNINGS = 40


class _GaveUp(Exception):
    pass


def _gave_up_note() -> str:
    return (f"stopped after {_MAX_WARNINGS} warnings from the inner integrals (the integral may "
            "diverge, or the integrand is too rough for this method); no value")


class _Tally:
    """Counts calls of the compiled functions and remembers where a value was not finite."""

    def __init__(self) -> None:
        self.caught: list | None = None  # the warnings so far, to give up on a hopeless nest
        self.gave_up = False
        self.singular: dict[str, list[tuple[float, ...]]] = {}
        self.calls = 0
        self.bad: dict[str, int] = {}
        self.first: dict[str, tuple[tuple[sp.Symbol, ...], tuple[float, ...], float]] = {}

    def note_bad(self, what: str, variables: tuple[sp.Symbol, ...], args: tuple[float, ...],
                 value: float) -> None:
        self.bad[what] = self.bad.get(what, 0) + 1
        self.first.setdefault(what, (variables, tuple(float(a) for a in args), value))

    def note_singular(self, what: str, variables: tuple[sp.Symbol, ...], args: tuple[float, ...]
                      ) -> None:
        self.singular.setdefault(what, []).append(tuple(float(a) for a in args))

    def info(self) -> list[str]:
        """Isolated singular points met (not a failure: the integral may still be proper)."""
        out = []
        for what, points in self.singular.items():
            where = "; ".join("(" + ", ".join(f"{a:.6g}" for a in p) + ")" for p in points[:3])
            more = f" and {len(points) - 3} more" if len(points) > 3 else ""
            out.append(f"{what} is infinite or undefined at the single point(s) {where}{more} "
                       "(finite on both sides); the value right next to each was used there")
        return out

    def notes(self) -> list[str]:
        out = []
        for what, count in self.bad.items():
            variables, args, value = self.first[what]
            where = ", ".join(f"{v} = {a:.6g}" for v, a in zip(variables, args))
            got = "an error or a complex number" if math.isnan(value) else f"{value}"
            out.append(f"{what} was not finite (it gave {got}) at {count} of the points evaluated, "
                       f"first at {where}; that part was counted as 0, so the value is not to be "
                       "trusted")
        return out


def _scalar(expr: sp.Expr, variables: Sequence[sp.Symbol], tally: _Tally,
            what: str = "the integrand") -> Callable[..., float]:
    """A fast scalar function of ``variables``; non-finite values are counted in ``tally``
    (with the first point where they happened) and replaced by 0."""
    # rational powers print as mpf(3)/mpf(2); as floats they cost a tenth (x**1.5, not an mpmath power)
    fn = sp.lambdify(variables, expr, modules=[{"mpf": float}, "math", "mpmath"])
    variables = tuple(variables)
    wide: list = []  # the mpmath version, made on first need

    def f(*args: float) -> float:
        tally.calls += 1
        if tally.caught is not None and len(tally.caught) > _MAX_WARNINGS:
            raise _GaveUp
        try:
            value = float(fn(*args))
        except (ValueError, ZeroDivisionError, OverflowError, TypeError, NameError):
            value = math.nan  # NameError: a function without a numeric version (exp_polar)
        if not math.isfinite(value):
            # exp(800)*exp(-801) overflows in floating point but not in mpmath
            try:
                if not wide:
                    wide.append(sp.lambdify(variables, expr, modules="mpmath"))
                value = float(wide[0](*args))
            except (ValueError, ZeroDivisionError, OverflowError, TypeError, NameError):
                value = math.nan
        if not math.isfinite(value):
            # an isolated singular point (log(r) at r = 0) has finite values right next to it;
            # where the integrand is undefined (sqrt of a negative number) the neighbours are too
            sides = []
            for sign in (1.0, -1.0):
                try:
                    sides.append(float(fn(*(a + sign * 1e-9 * (1.0 + abs(a)) for a in args))))
                except (ValueError, ZeroDivisionError, OverflowError, TypeError, NameError):
                    sides.append(math.nan)
            if all(math.isfinite(v) for v in sides):  # finite on both sides: an isolated point
                tally.note_singular(what, variables, args)
                return sides[0]
            tally.note_bad(what, variables, args, value)
            return 0.0  # QUADPACK crashes the process on NaN in nested quad; the tally marks it
        return value

    return f


def _vector(expr: sp.Expr, variables: Sequence[sp.Symbol]) -> Callable[..., np.ndarray]:
    """A vectorised real function of ``variables``; complex values become NaN."""
    fn = sp.lambdify(variables, expr, modules="numpy")

    def f(*columns: np.ndarray) -> np.ndarray:
        with np.errstate(all="ignore"):
            out = np.asarray(fn(*columns))
        if out.dtype.kind == "c":
            out = np.where(out.imag == 0, out.real, np.nan)
        return np.broadcast_to(out.astype(float, copy=False), np.shape(columns[0]))

    return f


def _messages(caught: Sequence[warnings.WarningMessage]) -> tuple[str, ...]:
    out: list[str] = []
    for w in caught:
        text = " ".join(str(w.message).split())
        text = f"{w.category.__name__}: {text}"
        if text not in out:
            out.append(text)
    return tuple(out)


def _too_large(value: float, err: float, rtol: float, atol: float) -> list[str]:
    """A note when the error estimate is far above what was asked (quad does not always warn)."""
    asked = max(atol, rtol * abs(value))
    if math.isfinite(err) and err > 1e4 * asked:
        return [f"the error estimate {err:.2g} is far larger than the accuracy asked ({asked:.2g})"]
    return []


def run_notes(caught: Sequence[warnings.WarningMessage], tally: _Tally) -> list[str]:
    """What a quadrature run has to say: SciPy's warnings, a gave-up note, the tally's notes."""
    notes = list(_messages(caught))
    if tally.gave_up:
        notes.append(_gave_up_note())
    return notes + tally.notes()
