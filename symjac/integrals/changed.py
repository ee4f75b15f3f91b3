"""``ChangedIntegral``: an integral after a change of variables, as pieces with their regions,
the derivation, the exact value when found and the numeric evidence.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import sympy as sp

from ..result import Result
from ..derivation import Derivation
from ..errors import DomainError
from ..numeric.quadrature import QuadratureResult
from ..parsing import format_expression
from ..regions.region import Region
from ..report import CheckReport
from ..timeouts import DEFAULT_TIMEOUT
from ..transform import Transform
from .evaluation import _exact_value, _numeric_sum

__all__ = ["Piece", "ChangedIntegral"]


@dataclass(frozen=True)
class Piece:
    """One part of a transformed integral: the integral of ``integrand`` over ``region``.

    A one-to-one map gives one piece; a substitution with several inverse
    branches (``u = x**2``) gives one per branch (merged when the regions agree).

    Attributes:
        integrand: The new integrand, ``f(g(u)) * |det Dg(u)|``.
        region: The region in the new variables.
        rewritten: ``f(g(u))``: the old integrand in the new variables.
        factor: The volume element ``|det Dg(u)|``.
        determinant: The signed ``det Dg(u)``.
        branch: The map ``x = g(u)`` used.
    """

    integrand: sp.Expr
    region: Region
    rewritten: sp.Expr
    factor: sp.Expr
    determinant: sp.Expr
    branch: Transform


@dataclass(frozen=True)
class ChangedIntegral(Result):
    """An integral after a change of variables.

    Attributes:
        original_integrand: The integrand before, in ``old_variables``.
        original_region: The region before.
        transform: The map as given (either direction).
        old_variables: The variables before (``x, y``).
        variables: The new variables (``u, v`` or ``r, theta``).
        pieces: The new integral as a sum of pieces (one for a one-to-one map).
        steps: The derivation: Jacobian, determinant, inverse, region, integral, value, check.
        value: The exact value, when it was found within the time limit (else ``None``).
        check: The numeric comparison of the new integral (``value``) with the old one
            (``expected``), a ``CheckReport`` (``None`` if not run).
        numeric: The old and the new integral computed numerically, with their
            error estimates (``None`` if not run).
        branches: The maps ``x = g(u)`` used: the parametrisation itself, or every
            real inverse branch of a substitution.

    >>> from symjac import change_variables, system
    >>> ci = change_variables("Integral(1, (y, -sqrt(1 - x**2), sqrt(1 - x**2)), (x, -1, 1))",
    ...                       system("polar"))
    >>> ci.integrand, ci.region.bounds, ci.value, ci.check.verdict
    (r, ((r, 0, 1), (theta, 0, 2*pi)), pi, 'passed')
    """

    original_integrand: sp.Expr
    original_region: Region
    transform: Transform
    old_variables: tuple[sp.Symbol, ...]
    variables: tuple[sp.Symbol, ...]
    pieces: tuple[Piece, ...]
    steps: Derivation
    value: sp.Expr | None = None
    check: CheckReport | None = None
    numeric: tuple[QuadratureResult, QuadratureResult] | None = None
    branches: tuple[Transform, ...] = ()

    @property
    def integrand(self) -> sp.Expr:
        """The new integrand (there must be a single piece; otherwise see ``pieces``)."""
        return self._single().integrand

    @property
    def region(self) -> Region:
        """The new region (there must be a single piece; otherwise see ``pieces``)."""
        return self._single().region

    def _single(self) -> Piece:
        if len(self.pieces) != 1:
            raise DomainError(
                f"the new integral has {len(self.pieces)} pieces over different regions (the map is "
                "not one-to-one there); use .pieces, or as_integral() for their sum.",
                value=self.pieces)
        return self.pieces[0]

    def as_integral(self) -> sp.Expr:
        """The new integral as SymPy ``Integral`` objects with iterated bounds (a sum for several pieces).

        Raises:
            DomainError: If a piece has no iterated bounds (its region is only inequalities).
        """
        parts = [sp.Integral(p.integrand, *p.region.limits()) for p in self.pieces]
        return parts[0] if len(parts) == 1 else sp.Add(*parts, evaluate=False)

    def doit(self, *, timeout: float | None = DEFAULT_TIMEOUT) -> sp.Expr:
        """The exact value of the new integral (SymPy ``integrate``, time-bounded).

        Raises:
            SymjacTimeoutError: If integration takes longer than ``timeout``.
            DomainError: If there are no iterated bounds or no closed form.
        """
        if self.value is not None:
            return self.value
        value = _exact_value(self.pieces, timeout)
        if value is sp.nan:
            raise DomainError("SymPy's integration of the new integral gave an undefined result "
                              "(infinities that do not cancel): it probably diverges.",
                              value=self.as_integral(), hint="Check it numerically with evalf().")
        if value is None:
            raise DomainError("SymPy found no closed form for the new integral; use evalf().",
                              value=self.as_integral())
        return value

    def evalf(self, n: int = 15, *, values: Mapping[object, float] | None = None) -> sp.Float:
        """The new integral as a number, like SymPy's ``evalf`` (the evidence: ``quadrature()``).

        Args:
            n: Significant digits of the returned number.
            values: Numbers for parameters (``{"R": 2}``).

        Raises:
            DomainError: If the quadrature did not converge (its estimate is not a value).
        """
        if self.value is not None and not values:
            exact = sp.N(self.value, n)
            if exact.is_number and exact.is_finite:
                return exact
        found = self.quadrature(values=values)
        if not found.converged and "no formula" in " ".join(found.warnings):
            raise DomainError(f"the new integral has no numeric value: {found.warnings[0]}.",
                              value=self.as_integral(),
                              hint="Substitute a formula for the function, e.g. .subs(f, sp.exp).")
        if not found.converged:
            raise DomainError(f"the numeric integration of the new integral did not converge "
                              f"({found}); its estimate is not a value.", value=found,
                              hint="Look at quadrature() for the evidence, or simplify the region.")
        return sp.Float(found.value, n) if not isinstance(found.value, complex) else \
            sp.Float(found.value.real, n) + sp.I * sp.Float(found.value.imag, n)

    def quadrature(self, *, values: Mapping[object, float] | None = None) -> QuadratureResult:
        """The new integral numerically, with its error estimate and method (the evidence).

        Args:
            values: Numbers for parameters (``{"R": 2}``).
        """
        return _numeric_sum(self.pieces, values)

    def __repr__(self) -> str:
        extra = "" if self.value is None else f", value={sp.sstr(self.value)}"
        extra += "" if self.check is None else f", check={self.check.verdict!r}"
        return f"ChangedIntegral({self}{extra})"

    def __str__(self) -> str:
        try:
            return sp.sstr(self.as_integral())
        except DomainError:
            return " + ".join(f"integral of {sp.sstr(p.integrand)} over {p.region}" for p in self.pieces)

    def to_text(self) -> str:
        """The whole account for a terminal, as ``symjac integral`` prints it: every step of the
        derivation, then the new integral, its value and the numeric check."""
        lines = [str(self.steps), "", f"new integral: {self._integral_text()}"]
        if self.value is not None:
            lines.append(f"value:        {format_expression(self.value)}")
        if self.check is not None:
            lines.append(f"check:        {self.check.verdict} ({self.check.reason})")
        return "\n".join(lines)

    def _integral_text(self) -> str:
        try:
            return format_expression(self.as_integral())
        except Exception:  # noqa: BLE001 - no iterated bounds: show the pieces instead
            return str(self)

    def _data(self) -> dict[str, object]:
        """The JSON form (``to_dict``): the map, the variables, each piece with its region, the
        new integral, its value, the numeric evidence and the steps."""
        return {
            "transform": self.transform.to_dict(),
            "old_variables": [s.name for s in self.old_variables],
            "variables": [s.name for s in self.variables],
            "pieces": [{"integrand": format_expression(p.integrand),
                        "factor": format_expression(p.factor), "region": str(p.region),
                        "bounds": None if p.region.bounds is None else
                        [[v.name, format_expression(lo), format_expression(hi)]
                         for v, lo, hi in p.region.bounds],
                        "note": p.region.note} for p in self.pieces],
            "integral": self._integral_text(),
            "value": None if self.value is None else format_expression(self.value),
            "check": None if self.check is None else {"verdict": self.check.verdict,
                                                      "reason": self.check.reason},
            "numeric": None if self.numeric is None else {
                name: {"value": q.value, "error": q.error, "method": q.method,
                       "converged": q.converged}
                for name, q in zip(("original", "new"), self.numeric)},
            "steps": [s.text for s in self.steps],
        }

    def _problem(self, verb: str = "Evaluate") -> Derivation:
        """The problem as it was given: the integral over its region and the map."""
        from ..derivation import Tex, differentials
        from ..latex import latex_expr

        old, region = self.old_variables, self.original_region
        word = "parametrisation" if self.transform.outputs == old else "substitution"
        plain_bounds = region.bounds is not None and not any(
            b.has(sp.Max, sp.Min, sp.Piecewise) for _, lo, hi in region.bounds for b in (lo, hi))
        if plain_bounds and all(v in old for v, _, _ in region.bounds):
            d = Derivation().then(verb if verb != "Evaluate" else "Evaluate the integral",
                                  [("", sp.Integral(self.original_integrand, *region.bounds))])
        else:
            sign = {1: r"\int", 2: r"\iint", 3: r"\iiint"}.get(len(old), r"\int")
            point = latex_expr(old[0]) if len(old) == 1 else \
                r"\left(" + ", ".join(latex_expr(v) for v in old) + r"\right)"
            given = Tex(f"{sign}_R {latex_expr(self.original_integrand)}\\,{differentials(old).latex},"
                        rf"\qquad R = \left\{{{point} : {latex_expr(tuple(region.conditions))}\right\}}",
                        f"integral over R of {sp.sstr(self.original_integrand)} "
                        f"{differentials(old).text}, R: {region}")
            d = Derivation().then(verb, [("", given)])
        return d.then(f"using the {word}", [("", self.transform)])

    def _latex_body(self) -> str:
        from ..latex import latex_expr

        try:
            new = latex_expr(self.as_integral())
        except DomainError:
            new = " + ".join(f"\\int_{{{p.region._latex_body()}}} {latex_expr(p.integrand)}"
                             for p in self.pieces)
        body = new
        if self.value is not None:
            body += " = " + latex_expr(self.value)
        return body
