"""Probability densities under a change of variables, with every branch and the support.

``transform_density(pdf, t)`` gives the density of ``Y = g(X)``:
``f_Y(y) = Σ_k f_X(h_k(y)) |det Dh_k(y)|`` over every real inverse branch
``h_k``, each on its own piece of the support, as a ``Piecewise`` that is 0
outside the support. Maps to fewer variables (``Y = X1 + X2``) are completed
with auxiliary variables that are integrated out over their exact range.
Standard families (χ², Gamma, Beta, Cauchy, ...) are recognised by name.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Literal

import sympy as sp

from ..result import Result
from ..domains import Sign, flatten_conditions, real_conditions, sign_on
from ..derivation import Derivation, density_name
from ..errors import (DimensionError, DomainError, InversionError, SymjacError,
                      SymjacTimeoutError)
from ..numeric.quadrature import QuadratureResult, integrate_numerically
from ..parsing import format_expression
from ..report import CheckReport
from .families import Family
from .assembly import assemble, family_of, image_support
from ..timeouts import DEFAULT_TIMEOUT, time_limit
from ..transform import Transform, require_transform

from .branches import (Branch, _abs_inside, _complete, _differentiable_form, _forward_branches,
                       _marginal_names,
                       _parametrisation_branch)
from .flows import LogAbsDetJacobian, log_abs_det_jacobian
from .marginals import Unsupported, line_pieces, pieces_to_piecewise
from .minmax import choice_cases
from .radial import polar_chart, radius_chart
from .source import SourceDensity, _read_source, _retarget

__all__ = ["Density", "Branch", "SourceDensity", "LogAbsDetJacobian", "transform_density",
           "log_abs_det_jacobian"]


@dataclass(frozen=True)
class Density(Result):
    """The density of the new variables, with its support, branches and derivation.

    Attributes:
        pdf: A ``Piecewise`` in ``variables`` that is 0 outside the support.
        variables: The new variables.
        support: Conditions (all hold) describing where the density is positive,
            as open sets (boundaries have probability zero).
        branches: The inverse branches used.
        family: The recognised standard family with its parameters, or None.
        auxiliary: ``(w, expression)`` pairs that completed a map to fewer variables.
        marginalized: The variables integrated out.
        closed_form: False if an integral could not be done symbolically (it is
            then kept as an unevaluated ``Integral`` and evaluated numerically).
        support_known: False when the support could not be worked out (then
            ``support`` is empty and means "not known", not "everywhere").
        source: The density that was transformed.
        transform: The map, as given.
        forward: True if ``variables`` are the transform's outputs (``Y = g(X)``),
            False if the transform gave the old variables in terms of the new.
        steps: The derivation.
    """

    pdf: sp.Expr
    variables: tuple[sp.Symbol, ...]
    support: tuple[sp.Basic, ...]
    branches: tuple[Branch, ...]
    family: Family | None
    source: SourceDensity
    transform: Transform
    forward: bool = True
    auxiliary: tuple[tuple[sp.Symbol, sp.Expr], ...] = ()
    marginalized: tuple[sp.Symbol, ...] = ()
    closed_form: bool = True
    steps: Derivation = field(default_factory=Derivation, compare=False)
    support_known: bool = True

    def __str__(self) -> str:
        names = ", ".join(v.name for v in self.variables)
        lines = [f"f({names}) = {sp.sstr(self.value)}",
                 "support: " + _support_text(self)]
        if self.family is not None:
            lines.append(f"family: {self.family.caption}")
        return "\n".join(lines)

    def to_text(self, verification: CheckReport | None = None) -> str:
        """The whole account for a terminal, as ``symjac density`` prints it: the map, the
        density transformed, every branch, the result with its support and family, and the
        numeric check ``verification`` (from ``verify_density``) when one is given."""
        names = ", ".join(v.name for v in self.variables)
        src = self.source
        lines = [f"map:      {self.transform}",
                 f"density:  f({', '.join(v.name for v in src.variables)}) = "
                 f"{format_expression(src.pdf)}"
                 + (f"  on  {', '.join(format_expression(c) for c in src.support)}"
                    if src.support else ""), ""]
        if self.auxiliary:
            lines.append("completed with " + ", ".join(f"{w} = {format_expression(e)}"
                                                       for w, e in self.auxiliary)
                         + " (integrated out at the end)")
        direction = "inverse branches" if self.forward else "branch (the map gives the old variables)"
        lines.append(f"{direction} ({len(self.branches)}):")
        lines += [f"  branch {i}: {b}" for i, b in enumerate(self.branches, 1)]
        lines += ["", f"f({names}) = {format_expression(self.value)}",
                  "support:  " + (", ".join(format_expression(c) for c in self.support) or
                                  ("everywhere" if self.support_known else
                                   "not worked out (the density is left as an integral)"))
                  + ("" if not self.support else " (0 elsewhere)")]
        if not self.closed_form:
            lines.append("note: an integral was left for numeric evaluation")
        lines.append("family:   " + (self.family.caption if self.family is not None
                                     else "not a recognised standard family"))
        if verification is not None:
            lines += ["", f"check:    {verification.verdict} (n = {verification.sample_size}, "
                          f"seed = {verification.seed})", f"          {verification.reason}"]
            lines += [f"          note: {w}" for w in verification.warnings]
        return "\n".join(lines)

    @property
    def value(self) -> sp.Expr:
        """The density on its support (the ``Piecewise`` without its zero part, if single)."""
        if isinstance(self.pdf, sp.Piecewise) and len(self.pdf.args) == 2 and self.pdf.args[1].expr == 0:
            return self.pdf.args[0].expr
        return self.pdf

    def evaluate(self, values: Mapping[object, object], *, rtol: float = 1e-10,
                 timeout: float | None = DEFAULT_TIMEOUT) -> QuadratureResult:
        """The density at a point, as a number with its evidence: exact when the density is in
        closed form, by quadrature (with an error estimate and the method) when an integral is
        left in it. Where quadrature gives no number (a singular integrand in a double
        integral), the integral is estimated by quasi-Monte Carlo, which says so in ``method``
        and ``warnings`` and gives one standard error as ``error``; ``converged`` is False when
        that estimate cannot be trusted either (the value is then undecided).

        Args:
            values: A number for each new variable and each parameter, keyed by symbol or name
                (``{"y": 1, "lam": 2}``).
            rtol: Relative accuracy asked of the quadrature.
            timeout: Seconds allowed for each integral.

        Raises:
            DomainError: If a variable or parameter has no value, or a value is not a real number.

        >>> from symjac import Transform, transform_density
        >>> d = transform_density("1", Transform.from_equations("y = u1 + u2"),
        ...                       support="0 < u1 < 1, 0 < u2 < 1")
        >>> d.evaluate({"y": 0.5}).value
        0.5
        """
        at = _point(self.pdf, values)
        expr = self.pdf.xreplace(at)
        integrals = sorted(expr.atoms(sp.Integral), key=sp.default_sort_key)
        if not integrals:
            return QuadratureResult(float(sp.N(expr, 20)), 0.0, "exact (closed form)", True)
        found = {i: _integral_value(i, rtol, timeout) for i in integrals}
        value = float(sp.N(expr.xreplace({i: q.value for i, q in found.items()}), 20))
        error = float(sum(q.error for q in found.values()))  # one integral: its own estimate
        method = ", ".join(sorted({q.method for q in found.values()}))
        notes = tuple(w for q in found.values() for w in q.warnings)
        return QuadratureResult(value, error, method, all(q.converged for q in found.values()),
                                evaluations=sum(q.evaluations for q in found.values()),
                                warnings=notes)

    def _data(self) -> dict[str, object]:
        """The JSON form (``to_dict``), with every formula written by the one serialiser."""
        return {
            "variables": [v.name for v in self.variables],
            "pdf": self.pdf,
            "value": self.value,
            "support": self.support,
            "branches": [{"inverse": {x.name: e for x, e in b.inverse}, "domain": b.domain,
                          "abs_det": b.abs_det} for b in self.branches],
            "family": self.family,
            "auxiliary": {w.name: e for w, e in self.auxiliary},
            "marginalized": [v.name for v in self.marginalized],
            "closed_form": self.closed_form,
            "support_known": self.support_known,
            "transform": self.transform,
            "source": {"pdf": self.source.pdf, "variables": [v.name for v in self.source.variables],
                       "support": self.source.support},
        }

    def _latex_body(self) -> str:
        from ..latex import latex_expr

        return density_name(self.variables).latex + " = " + latex_expr(self.pdf)

    def _latex_parts(self) -> list[str]:
        parts = [self._latex_body()]
        if self.family is not None:  # Y ~ chi^2_1
            name = density_name(self.variables).latex
            capitals = name[len("f_{"):name.index("}(")]
            capitals = f"({capitals})" if len(self.variables) > 1 else capitals
            parts.append(f"{capitals} \\sim {self.family._latex_body()}")
        return parts

    def _problem(self) -> Derivation:
        """The problem: the density of the old variables, its support and the map."""
        src = self.source
        d = Derivation().then("The random variables have the density",
                              [(density_name(src.variables), src.pdf), ("", tuple(src.support))])
        return d.then("Find the density of the new variables under the map", [("", self.transform)])


def _point(pdf: sp.Expr, values: Mapping[object, object]) -> dict[sp.Symbol, sp.Expr]:
    """``values`` keyed by the density's own symbols, each a real number."""
    free = {s.name: s for s in pdf.free_symbols}
    at: dict[sp.Symbol, sp.Expr] = {}
    for key, value in values.items():
        name = getattr(key, "name", str(key))
        if name not in free:
            continue
        try:
            number = sp.Float(float(value))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise DomainError(f"the value {value!r} of {name} is not a real number.",
                              value=value, expected="a real number") from None
        at[free[name]] = number
    missing = sorted(set(free) - {s.name for s in at})
    if missing:
        raise DomainError(f"the density needs a value for {', '.join(missing)} to be evaluated; "
                          f"pass them too, e.g. {{{', '.join(repr(m) + ': 1.0' for m in missing)}}}.",
                          value=missing, expected="a number for every variable and parameter")
    return at


def _support_text(d: Density) -> str:
    if not d.support_known:
        return "not worked out (the density is left as an integral)"
    return ", ".join(sp.sstr(c) for c in d.support) or "everywhere"


def _integral_value(integral: sp.Integral, rtol: float, timeout: float | None) -> QuadratureResult:
    """Quadrature of an integral left in a density; quasi-Monte Carlo (seeded, with its standard
    error and its checks for divergence) when quadrature gives no number."""
    q = integrate_numerically(integral, rtol=rtol, timeout=timeout)
    if math.isfinite(q.value):
        return q
    mc = integrate_numerically(integral, method="monte_carlo", seed=0, timeout=timeout)
    why = (f"quadrature ({q.method}) gave no number (the integrand is singular, or infinite "
           "ranges meet a singularity), so the integral was estimated by quasi-Monte Carlo "
           "instead" + ("" if mc.converged and math.isfinite(mc.value) else
                        "; that estimate is not to be trusted either, so the value is undecided"))
    return replace(mc, converged=mc.converged and math.isfinite(mc.value),
                   warnings=(why,) + tuple(q.warnings) + tuple(mc.warnings))


# ---------------------------------------------------------------------------- the main entry


def transform_density(pdf: object, t: Transform, *, support: object = None,
                      marginalize: object = None,
                      method: Literal["auxiliary", "coarea"] = "auxiliary",
                      timeout: float | None = DEFAULT_TIMEOUT) -> Density:
    """The density of the new variables of a transform, with its support.

    If the density's variables are the transform's inputs, the transform is
    ``Y = g(X)`` and every real inverse branch is used; if they are its
    outputs, the transform gives the old variables in terms of the new ones
    (as ``system("polar")`` does) and is taken to be one-to-one on its domain.
    A map to fewer variables is completed with auxiliary variables
    (``w = x2``) that are integrated out over their exact range.

    Args:
        pdf: The density of the old variables: text (``"exp(-x**2/2)/sqrt(2*pi)"``),
            a SymPy expression, sympy.stats random variables named like the
            map's variables (independent ones as a tuple), or one joint sympy.stats
            distribution (``MultivariateNormal``) whose components are the map's
            inputs in order.
        t: The map.
        support: Conditions where ``pdf`` applies (``"x > 0, lam > 0"``);
            conditions on parameters alone become assumptions. Default: the
            random variables' support, or everywhere.
        marginalize: Names of new variables to integrate out (``"v"``).
        method: For maps to fewer variables: ``"auxiliary"`` (complete the map,
            use ``|det Dh|``, integrate the auxiliaries out) or ``"coarea"``
            (integrate ``f_X / sqrt(det(J Jᵀ))`` over the level set ``g = y``,
            parametrised by the same auxiliaries). Both give the same density;
            for square maps the option has no effect.
        timeout: Seconds each symbolic step may take.

    Returns:
        A ``Density``.

    Raises:
        DimensionError: If the map has more outputs than inputs (no density exists).
        InversionError: If no inverse branch can be found.
        SymjacTimeoutError: If a step takes longer than ``timeout``.

    >>> from symjac import Transform, transform_density
    >>> d = transform_density("exp(-x**2/2)/sqrt(2*pi)", Transform.from_equations("y = x**2"))
    >>> d.pdf
    Piecewise((sqrt(2)*exp(-y/2)/(2*sqrt(pi)*sqrt(y)), y > 0), (0, True))
    >>> len(d.branches), d.support
    (2, (y > 0,))
    >>> print(d.family)
    ChiSquared(k=1)
    """
    t = _checked_map(t, method)
    expr, conds, t, _ = _read_source(pdf, t, support)
    forward = _is_forward(expr, conds, t)
    shortcut = _textbook_route(expr, conds, t, marginalize, method, timeout) if forward else None
    if shortcut is not None:
        return shortcut
    if forward:
        try:
            source, branches, steps, new_vars, auxiliary = _forward(expr, conds, t, method, timeout)
        except DomainError as err:
            raise _with_lost_mass(err, expr, conds, t, timeout) from None
    else:
        source, branches, steps, new_vars, auxiliary = _backward(expr, conds, t, timeout)
    to_drop = _marginal_names(marginalize, new_vars) + tuple(w for w, _ in auxiliary)
    keep = tuple(v for v in new_vars if v not in to_drop)
    pdf_expr, support_c, closed, steps = assemble(branches, keep, to_drop, steps, timeout)
    support_known = True
    if not closed and not support_c:  # an integral: its support is the image of the source's
        image = image_support(t, source, keep[0], timeout) if forward and len(keep) == 1 else None
        support_known = image is not None
        support_c = image or ()
    pdf_expr = _real_roots(_abs_inside(pdf_expr), source, timeout)
    if pdf_expr == 0 or any(c is sp.false for c in support_c):
        raise InversionError(
            f"the domains of the {len(branches)} inverse branch{'es' * (len(branches) != 1)} of "
            f"{t} could not be worked out (they came out empty), so no density is given rather "
            "than a density of 0. Restrict the support to a piece where the map is one-to-one.",
            value=t, tried=("invert", "branch domains"))
    family = family_of(pdf_expr, keep, support_c)
    if family is not None:
        steps = steps.then("This is the {family} density.", family=family)
    return Density(pdf_expr, keep, support_c, tuple(branches), family, source, t, forward,
                   auxiliary, to_drop, closed, steps, support_known)


def _textbook_route(expr: sp.Expr, conds: tuple[sp.Basic, ...], t: Transform, marginalize: object,
                    method: str, timeout: float | None) -> Density | None:
    """Maps with a route of their own: Min/Max (one smooth map per choice), the distance from the
    origin (spherical coordinates) and the polar map (its chart); None for the others."""
    choices = choice_cases(t, conds + t.domain, timeout=timeout)
    if choices:
        return _by_choices(expr, conds, t, choices, method, timeout)
    chart = radius_chart(t, conds + t.domain) if marginalize is None else None
    if chart is not None:
        return _through_chart(expr, conds, t, chart, timeout)
    chart = polar_chart(t, conds + t.domain)
    if chart is not None:
        return _through_chart(expr, conds, t, chart, timeout, marginalize=marginalize)
    return None


def _by_choices(expr: sp.Expr, conds: tuple[sp.Basic, ...], t: Transform,
                choices: list[tuple[sp.Expr, tuple[sp.Basic, ...]]], method: str,
                timeout: float | None) -> Density:
    """A map with Min/Max: the densities of its smooth choices, each on its part of the support,
    added up piece by piece of the line."""
    steps = Derivation().then(
        f"The map {t} chooses among its arguments, so it is smooth on each part of the support "
        "where the choice is fixed (ties have probability zero); the densities of the parts are "
        "added.", {f"part {i}": sp.And(*c) for i, (_, c) in enumerate(choices, 1)})
    parts = []
    for i, (e, where) in enumerate(choices, 1):
        d = transform_density(expr, replace(t, exprs=(e,)), support=list(conds) + list(where),
                              method=method, timeout=timeout)  # type: ignore[arg-type]
        steps = steps.then(f"Part {i}: where {', '.join(map(sp.sstr, where))}, "
                           f"{t.outputs[0]} = {sp.sstr(e)}.", {"f": d.pdf})
        parts.append(d)
    y = parts[0].variables[0]
    cases = [(e, list(flatten_conditions([c]))) for d in parts for e, c in
             (d.pdf.args if isinstance(d.pdf, sp.Piecewise) else ((d.pdf, sp.true),)) if e != 0]
    closed = all(d.closed_form for d in parts)
    try:
        pdf, support = pieces_to_piecewise(line_pieces(cases, y, timeout=timeout), y)
    except Unsupported:
        pdf, support, closed = sp.Add(*[d.pdf for d in parts]), (), False
    steps = steps.then("The density, 0 outside its support:", {"f": pdf})
    family = family_of(pdf, (y,), support) if closed else None
    if family is not None:
        steps = steps.then(f"This is the {family} density.")
    source = SourceDensity(expr, t.inputs, tuple(conds) + t.domain)
    return Density(pdf, (y,), support, tuple(b for d in parts for b in d.branches), family,
                   source, t, True, tuple(dict.fromkeys(a for d in parts for a in d.auxiliary)),
                   parts[0].marginalized, closed, steps, bool(support) or closed)


def _through_chart(expr: sp.Expr, conds: tuple[sp.Basic, ...], t: Transform, chart: Transform,
                   timeout: float | None, *, marginalize: object = "angles") -> Density:
    """The distance from the origin (angles integrated out) or the polar map: the old variables
    in (hyper)spherical or polar coordinates, a chart that is one-to-one on its domain."""
    on = ", ".join(sp.sstr(c) for c in chart.domain)
    if marginalize == "angles":
        angles = chart.inputs[1:]
        marginalize = [a.name for a in angles]
        text = (f"The map is the distance from the origin, so write the old variables in "
                f"spherical coordinates (one-to-one on {on}) and integrate the angles "
                f"{', '.join(map(str, angles))} out.")
    else:
        kind = "polar" if len(chart.inputs) == 2 else "spherical"
        text = (f"The map is {kind} coordinates read backwards (radius and angles), so its "
                f"inverse is the {kind} chart, one-to-one on {on}.")
    d = transform_density(expr, chart, support=list(conds), marginalize=marginalize,
                          timeout=timeout)
    steps = Derivation().then(text, {"chart": chart})
    for step in d.steps.steps:
        steps = steps.then(step.text, dict(step.objects))
    source = SourceDensity(expr, t.inputs, tuple(conds) + t.domain)
    return replace(d, source=source, transform=t, forward=True, steps=steps)


def _real_roots(pdf: sp.Expr, source: SourceDensity, timeout: float | None) -> sp.Expr:
    """``sqrt(rho**2 - 1)`` as ``I*sqrt(1 - rho**2)`` where the parameters' conditions make the
    base negative (``-1 < rho < 1``), so that the imaginary units of an integral cancel."""
    if not pdf.has(sp.I):
        return pdf
    variables = set(source.variables)
    conds = [c for c in source.support if c.free_symbols and not c.free_symbols & variables]
    params = set().union(*(c.free_symbols for c in conds)) if conds else set()
    roots = [a for a in pdf.atoms(sp.Pow) if a.exp.is_Rational and a.exp.q == 2
             and a.base.free_symbols and a.base.free_symbols <= params
             and sign_on(a.base, conds, samples=0) is Sign.NEGATIVE]
    if not roots:
        return pdf
    turned = {a: sp.I ** a.exp.p * (-a.base) ** a.exp for a in roots}
    try:
        with time_limit(min(timeout or 10.0, 10.0), "writing roots of negative numbers with I"):
            return sp.simplify(pdf.xreplace(turned))
    except (SymjacTimeoutError, NotImplementedError, TypeError, ValueError):
        return pdf


def _with_lost_mass(err: DomainError, expr: sp.Expr, conds: tuple[sp.Basic, ...],
                    t: Transform, timeout: float | None) -> DomainError:
    """A map that is not real on part of the support: the refusal says how much probability
    lies there (exactly where SymPy finds it, for one old variable)."""
    if err.expected != "a map that is real on the whole support" or len(t.inputs) != 1:
        return err
    x = t.inputs[0]
    needs = real_conditions(t.exprs, t.inputs, odd_roots_real=True, nonzero=False)
    own = [c for c in conds if c.free_symbols & {x}]
    if not needs or (expr.free_symbols | set().union(*(c.free_symbols for c in own))) - {x}:
        return err
    where = sp.And(*own, sp.Not(sp.And(*needs)))
    try:
        with time_limit(min(timeout or 10.0, 10.0), "measuring the probability lost"):
            lost = sp.simplify(sp.integrate(sp.Piecewise((expr, where), (0, True)), (x, -sp.oo, sp.oo)))
    except (SymjacTimeoutError, NotImplementedError, ValueError, TypeError):
        return err
    if lost.has(sp.Integral) or not lost.is_number:
        return err
    text = sp.sstr(lost) + ("" if lost.is_Rational else f" ≈ {float(lost):.4g}")
    return DomainError(f"{err.message} The probability lost there, P({sp.sstr(where)}), is {text}.",
                       value=err.value, expected=err.expected, hint=err.hint)


def _checked_map(t: object, method: str) -> Transform:
    """The map in the form the branches need: differentiable, new variables without signs."""
    require_transform(t, "transform_density")
    if method not in ("auxiliary", "coarea"):
        raise SymjacError(f"unknown method {method!r}; expected 'auxiliary' or 'coarea'.",
                          value=method, expected="'auxiliary' or 'coarea'")
    t = _differentiable_form(t)
    plain_out = {o: sp.Symbol(o.name, real=True) for o in t.outputs
                 if o.assumptions0 != sp.Symbol(o.name, real=True).assumptions0}
    return _retarget(t, plain_out)  # new variables carry no sign: f(y) must be 0 where y < 0


def _is_forward(expr: sp.Expr, conds: list[sp.Basic], t: Transform) -> bool:
    """True when the density is in the map's inputs (Y = g(X)), False when in its outputs
    (a parametrisation such as polar coordinates)."""
    names = {s.name for s in expr.free_symbols} | {s.name for c in conds for s in c.free_symbols}
    in_names, out_names = {s.name for s in t.inputs}, {s.name for s in t.outputs}
    uses_in, uses_out = bool(names & in_names), bool(names & out_names)
    if uses_in and uses_out:
        raise DimensionError(
            f"the density uses both old and new variables ({', '.join(sorted(names & (in_names | out_names)))})."
            " Write it in the old variables only.", value=expr)
    return not uses_out


def _forward(expr: sp.Expr, conds: list[sp.Basic], t: Transform, method: str,
             timeout: float | None):
    """Y = g(X): every real inverse branch, the map completed when it has fewer outputs."""
    source = SourceDensity(expr, t.inputs, tuple(conds) + t.domain)
    n, m = t.dims
    if m > n:
        raise DimensionError(
            f"{t} maps {n} variable{'s' * (n != 1)} to {m}: the image is a {n}-dimensional "
            f"surface in {m}-dimensional space, which has volume zero, so the new variables "
            "have no density. Use pseudo_determinant(t) for the surface measure "
            "(sqrt(det(JᵀJ))) to integrate over the image instead.",
            value=t, expected="no more outputs than inputs")
    _require_every_input_used(t)
    steps = Derivation().then("The density of {names} and its support:",
                              [(density_name(t.inputs), expr), ("", tuple(source.support))],
                              names=tuple(t.inputs))
    auxiliary: tuple[tuple[sp.Symbol, sp.Expr], ...] = ()
    full = t
    if m < n:
        full, auxiliary = _complete(t, timeout)
        steps = steps.then(
            "The map has fewer outputs than inputs, so it is completed with {auxiliary} (an "
            "invertible completion); the auxiliary variables are integrated out at the end:",
            [("", full)], auxiliary=tuple(sp.Eq(w, e, evaluate=False) for w, e in auxiliary))
    coarea = t if (method == "coarea" and m < n) else None
    branches, steps = _forward_branches(full, source, steps, timeout, coarea=coarea)
    return source, branches, steps, full.outputs, auxiliary


def _require_every_input_used(t: Transform) -> None:
    unused = [x for x in t.inputs if not any(x in e.free_symbols for e in t.exprs)]
    if unused and t.is_square:
        in_names = {s.name for s in t.inputs}
        others = sorted({s.name for e in t.exprs for s in e.free_symbols} - in_names)
        raise DimensionError(
            f"the map {t} does not use {', '.join(map(str, unused))}, one of its old variables "
            f"({', '.join(map(str, t.inputs))}), so it cannot be inverted."
            + (f" It uses {', '.join(others)}: should those be the old variables (--vars / "
               "inputs=)?" if others else ""), value=t)


def _backward(expr: sp.Expr, conds: list[sp.Basic], t: Transform, timeout: float | None):
    """A parametrisation: the density is in the map's outputs and the map is one-to-one."""
    source = SourceDensity(expr, t.outputs, tuple(conds))
    if not t.is_square:
        raise DimensionError(
            f"the density is in the map's outputs ({', '.join(map(str, t.outputs))}) but the map "
            f"has {len(t.inputs)} inputs: it must be square to carry a density.", value=t)
    branches, steps = _parametrisation_branch(t, source, Derivation(), timeout)
    return source, branches, steps, tuple(sp.Symbol(v.name, real=True) for v in t.inputs), ()


