"""Change of variables in definite integrals, with the region, the value and a numeric check.

``change_variables`` takes an integral (a SymPy ``Integral``, its text, or an
integrand with a ``Region``) and a map in either direction — a parametrisation
``x = r*cos(theta)`` or a substitution ``u = x**2/y`` (inverted when needed) —
and returns the new integrand with ``|det J|``, the new region and the new
integral, with a numeric check of the old against the new one (a ``CheckReport``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import sympy as sp

from ..result import Result
from ..derivation import Derivation
from ..errors import DimensionError, DomainError, ParseError, SymjacTimeoutError
from ..jacobian import jacobian, jacobian_analysis
from ..parsing import parse_conditions, parse_expression
from ..numeric.quadrature import QuadratureResult
from ..numeric.over_region import integrate_region
from ..regions.region import Region
from ..report import CheckReport
from ..timeouts import DEFAULT_TIMEOUT, time_limit
from ..transform import Transform, require_transform

__all__ = ["Piece", "ChangedIntegral", "change_variables", "compare_integrals", "read_integral"]


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

    def evalf(self, *, values: Mapping[object, float] | None = None) -> QuadratureResult:
        """The new integral numerically, as a value with an error estimate.

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


# ---------------------------------------------------------------------- reading input


def read_integral(integral: object, *, region: object = None,
                  symbols: Mapping[str, sp.Symbol] | None = None,
                  variables: Sequence[str] | None = None,
                  timeout: float | None = DEFAULT_TIMEOUT) -> tuple[sp.Expr, Region]:
    """``(integrand, region)`` from an ``Integral``, its text, or an integrand with a region.

    Args:
        integral: A SymPy ``Integral``, its text, an integrand (expression or
            text) or a pair ``(integrand, region)``.
        region: The region, when ``integral`` is only an integrand: a ``Region``,
            or inequalities as text (``"x**2 + y**2 <= 1"``).
        symbols: Symbols to use for given names (by name).
        variables: The integration variables' names, when ``region`` is text
            (default: the names in the integrand and the region, alphabetically).

    >>> from symjac.integrals.change import read_integral
    >>> read_integral("Integral(x*y, (x, 0, 1), (y, 0, 2))")[1].bounds
    ((x, 0, 1), (y, 0, 2))
    """
    symbols = dict(symbols or {})
    if isinstance(integral, tuple) and len(integral) == 2 and region is None:
        integral, region = integral
    if isinstance(integral, str):
        integral = parse_expression(integral, symbols=symbols or None)
    try:
        integral = sp.sympify(integral, strict=True)
    except (sp.SympifyError, TypeError):
        raise ParseError(f"{integral!r} is not an integral or an integrand.", text=str(integral),
                         hint="Pass text like 'Integral(x*y, (x, 0, 1), (y, 0, 1))'.") from None
    integral = integral.xreplace({s: symbols[s.name] for s in integral.free_symbols
                                  if s.name in symbols})
    if isinstance(integral, sp.Integral):
        integral, _ = _upward(integral)  # limits from 1 down to 0: minus the integral upwards
        integrand = integral.function
        if region is None:
            return integrand, Region.from_integral(integral).rename(symbols)
        variables = [lim[0].name for lim in integral.limits]
    else:
        integrand = integral
        if region is None:
            raise DomainError(
                f"the integrand {integral} came without a region. Pass an Integral with limits, or "
                "region=... (a Region or inequalities such as 'x**2 + y**2 <= 1').",
                value=integral, hint="Add region='0 <= x <= 1, 0 <= y <= 1'.")
    if isinstance(region, Region):
        return integrand, region.rename(symbols)
    if isinstance(region, (str, list, tuple)):
        texts = region if isinstance(region, str) else None
        if not region or (isinstance(region, str) and not region.strip()):
            names = variables if variables is not None else _names_in(integrand, [])
            return integrand, Region.whole_space(
                [symbols.get(str(n), sp.Symbol(str(n), real=True)) for n in names])
        if variables is None:
            variables = _names_in(integrand, texts if texts else region)
        else:
            variables = [v.name if isinstance(v, sp.Symbol) else str(v) for v in variables]
        return integrand, Region.from_inequalities(region, variables=list(variables),
                                                   symbols=symbols or None, timeout=timeout)
    raise DomainError(f"region must be a Region or inequalities as text, got {type(region).__name__}.",
                      value=region)


def _upward(integral: sp.Integral) -> tuple[sp.Integral, list[str]]:
    """The same integral with every limit running upwards: the integral from 1 to 0 of f is
    minus the integral from 0 to 1 (the one-variable substitution rule writes it that way)."""
    sign, limits, flipped = 1, [], []
    for lim in integral.limits:
        if len(lim) == 3 and (lim[1] - lim[2]).is_positive:
            v, b, a = lim
            sign = -sign
            flipped.append(f"{v} from {sp.sstr(b)} down to {sp.sstr(a)}")
            lim = (v, a, b)
        limits.append(lim)
    if not flipped:
        return integral, []
    return sp.Integral(sign * integral.function, *limits), flipped


def _names_in(integrand: sp.Expr, region: object) -> list[str]:
    names = {s.name for s in integrand.free_symbols}
    if isinstance(region, str):
        names |= {s.name for c in parse_conditions(region) for s in c.free_symbols}
    else:
        for c in region:
            if isinstance(c, sp.Basic):
                names |= {s.name for s in c.free_symbols}
    return sorted(names)


# ---------------------------------------------------------------------- the change of variables


def change_variables(integral: object, t: Transform, *, region: object = None,
                     evaluate: bool = True, values: Mapping[object, float] | None = None,
                     rtol: float = 1e-7, timeout: float | None = DEFAULT_TIMEOUT) -> ChangedIntegral:
    """Change the variables of a definite integral.

    Args:
        integral: A SymPy ``Integral`` with limits, its text, or an integrand
            (with ``region``).
        t: The map, in either direction: a parametrisation of the old variables
            (``x = r*cos(theta), y = r*sin(theta)``: outputs are the old variables)
            or a substitution (``u = x**2/y, v = y**2/x``: inputs are the old
            variables; it is inverted, one piece per real branch).
        region: The region, when ``integral`` is only an integrand (a ``Region``
            or inequalities as text).
        evaluate: Also find the exact value (time-bounded) and check the new
            integral against the old one numerically.
        values: Numbers for parameters, for the numeric check (default: 1.3, 1.7, ...).
        rtol: Relative tolerance of the numeric check.
        timeout: Seconds allowed for each symbolic step.

    Returns:
        A ``ChangedIntegral`` (``integrand``, ``region``, ``as_integral()``,
        ``doit()``, ``evalf()``, ``steps``).

    Raises:
        DimensionError: If the integral's variables are neither the map's
            inputs nor its outputs, or the map is not square.
        InversionError: If a substitution cannot be inverted.

    >>> from symjac import Transform, change_variables
    >>> T = Transform.from_equations("u = x**2/y, v = y**2/x", domain="x > 0, y > 0")
    >>> ci = change_variables("x*y", T, region="1 <= x**2/y <= 4, 2 <= y**2/x <= 3, x > 0, y > 0")
    >>> ci.integrand, ci.region.bounds, ci.value
    (u*v/3, ((u, 1, 4), (v, 2, 3)), 25/4)
    """
    require_transform(t, "change_variables")
    if not t.is_square:
        raise DimensionError(f"the map {t} has {len(t.inputs)} inputs and {len(t.outputs)} outputs; "
                             "a change of variables in an integral needs as many of each.", value=t)
    direction, old, aliases = _direction(integral, region, t)
    symbols = {s.name: s for s in old + t.parameters}
    symbols.update(aliases)
    integrand, reg = read_integral(integral, region=region, symbols=symbols,
                                   variables=[s.name for s in old], timeout=timeout)
    given = integral[1] if isinstance(integral, tuple) and len(integral) == 2 and region is None \
        else region
    if isinstance(given, (str, list, tuple)):  # not an Integral's limits nor a Region
        _every_variable_bounded(integrand, reg, old)
    steps = Derivation()
    if direction == "parametrisation":
        branches: tuple[Transform, ...] = (t,)
        a = jacobian_analysis(t, timeout=timeout)
        steps = steps.then(
            f"The parametrisation, and its Jacobian matrix d({_vs(t.outputs)})/d({_vs(t.inputs)}):",
            {"": t, "J": a.matrix, "det J": a.determinant})
    else:
        from ..inverse.inversions import invert

        signed = _with_region_signs(t, reg)
        if signed is not t:  # read again with the sign assumptions
            t = signed
            old = t.inputs
            integrand, reg = read_integral(integral, region=region,
                                           symbols={s.name: s for s in old + t.parameters},
                                           variables=[s.name for s in old], timeout=timeout)
        J = jacobian(t)
        with time_limit(timeout, "the determinant of the substitution"):
            det = sp.simplify(J.det())
        steps = steps.then(
            f"The substitution, and its Jacobian matrix d({_vs(t.outputs)})/d({_vs(t.inputs)}):",
            {"": t, "J": J, "det J": det})
        branches = tuple(invert(t, timeout=timeout, pieces=True))
        if not branches:
            raise DomainError(f"the substitution {t} has no real inverse on its domain.", value=t)
        # one symbol per new variable for all branches; where the branches' sign assumptions
        # differ (u >= 0 on one, u < 0 on another) a plain real symbol, so that no branch's
        # formula is rewritten under another branch's assumptions
        new_names = {}
        for s in branches[0].inputs:
            same = all(any(o == s for o in b.inputs) for b in branches)
            new_names[s.name] = s if same else sp.Symbol(s.name, real=True)
        branches = tuple(_rename_inputs(b, new_names) for b in branches)
        for k, b in enumerate(branches, 1):
            label = f" (branch {k} of {len(branches)})" if len(branches) > 1 else ""
            solved: dict[str, object] = {str(o): e for o, e in zip(b.outputs, b.exprs)}
            if b.domain:
                solved["domain"] = b.domain
            steps = steps.then(f"Solve for the old variables{label}.", solved)
    pieces = []
    for b in branches:
        new_region = reg.preimage(b, timeout=timeout)
        if new_region.bounds is None and direction == "parametrisation":
            shifted = _shifted_angles(b, timeout)
            if shifted is not None:
                other = reg.preimage(shifted, timeout=timeout)
                if other.bounds is not None:
                    steps = steps.then(_shift_words(b, shifted))
                    b, new_region = shifted, other
        if new_region.is_empty:
            continue
        mapping = {s: e for s in old for o, e in zip(b.outputs, b.exprs) if o.name == s.name}
        a = jacobian_analysis(b, timeout=timeout)
        rewritten = _simplify(integrand.xreplace(mapping), timeout)
        factor = _drop_abs(a.volume_element, new_region)
        pieces.append(Piece(_simplify(rewritten * factor, timeout), new_region, rewritten,
                            factor, a.determinant, b))
    pieces = _merge(pieces, timeout)
    if direction == "parametrisation" and pieces:
        branches = (pieces[0].branch,)  # the chart with the angle range that was used
    new_vars = branches[0].inputs
    if not pieces:
        raise DomainError(f"the region {reg} is not reached by the map {t} on its domain.", value=reg)
    factors = pieces[0].factor if len(pieces) == 1 else sp.Tuple(*(p.factor for p in pieces))
    steps = steps.then(
        f"The volume element: d{' d'.join(map(str, old))} = |det d({_vs(old)})/d({_vs(new_vars)})| "
        f"d{' d'.join(map(str, new_vars))}.", {f"|det d({_vs(old)})/d({_vs(new_vars)})|": factors})
    for k, p in enumerate(pieces, 1):
        label = f" (piece {k} of {len(pieces)})" if len(pieces) > 1 else ""
        text = f"The region in {_vs(new_vars)}{label}"
        text += ", as iterated bounds." if p.region.bounds is not None else \
            f", as inequalities (no iterated bounds: {p.region.note})."
        steps = steps.then(text, {"region": p.region})
    result = ChangedIntegral(integrand, reg, t, old, new_vars, tuple(pieces), steps)
    try:
        steps = steps.then("The new integral.", {"": result.as_integral()})
    except DomainError:
        steps = steps.then("The new integrand (integrate it over the region above).",
                           {"integrand": " + ".join(sp.sstr(p.integrand) for p in pieces)})
    if not evaluate:
        return ChangedIntegral(integrand, reg, t, old, new_vars, tuple(pieces), steps,
                               branches=branches)
    value = None
    try:
        value = _exact_value(tuple(pieces), timeout)
    except SymjacTimeoutError:
        steps = steps.then("Its exact value was not found within the time limit.")
    else:
        if value is sp.nan:
            value = None
            steps = steps.then("SymPy's integration gave an undefined result (infinities that do "
                               "not cancel): the integral probably diverges.")
        else:
            steps = steps.then("Its value." if value is not None else
                               "SymPy found no closed form for its value.",
                               {"value": value} if value is not None else None)
    values = _parameter_values(result, values)
    before, after = integrate_region(integrand, reg, values=values), _numeric_sum(tuple(pieces), values)
    check = compare_integrals(before, after, rtol=rtol)
    if value is not None and after.converged:
        exact = complex(sp.N(value.xreplace({s: values[s.name] for s in value.free_symbols
                                             if s.name in values})))
        numeric = after
        if abs(exact - numeric.value) > rtol * max(1.0, abs(numeric.value)) + 2 * numeric.error:
            steps = steps.then(f"SymPy's exact value {sp.sstr(value)} disagrees with the numeric value "
                               f"{numeric.value:.12g}; it is not used.")
            value = None
    shown = f" (with {', '.join(f'{k} = {v}' for k, v in values.items())})" if values else ""
    steps = steps.then(f"Numeric check of the old against the new integral{shown}: {check.verdict}.",
                       {"old": str(before), "new": str(after)})
    return ChangedIntegral(integrand, reg, t, old, new_vars, tuple(pieces), steps, value, check,
                           (before, after), branches)


def _shifted_angles(t: Transform, timeout: float | None) -> Transform | None:
    """The chart with each 2*pi-periodic input's range moved down by pi ((0, 2*pi) becomes
    (-pi, pi)), so a region around the positive x-axis gets one interval of angles; or None."""
    from dataclasses import replace

    from ..domains.signs import substitute_condition, variable_bounds

    try:
        with time_limit(min(timeout or 5, 5), "finding the periodic variables of the map"):
            ranges = variable_bounds(t.domain, t.inputs)
            periodic = [v for v in t.inputs if sp.simplify(ranges[v][1] - ranges[v][0] - 2 * sp.pi) == 0
                        and all(sp.simplify(e.xreplace({v: v + 2 * sp.pi}) - e) == 0 for e in t.exprs)]
    except SymjacTimeoutError:
        return None
    if not periodic:
        return None
    # the angle may now be negative: a symbol without the chart's sign assumption
    plain = {v: sp.Symbol(v.name, real=True) for v in periodic}
    domain = []
    for c in t.domain:
        own = [v for v in periodic if c.free_symbols == {v}]
        c = substitute_condition(c, {own[0]: own[0] + sp.pi}) if own else c
        domain.append(substitute_condition(c, plain))
    if all(c.free_symbols.isdisjoint(periodic) for c in t.domain):
        return None
    return replace(t, inputs=tuple(plain.get(v, v) for v in t.inputs),
                   exprs=tuple(e.xreplace(plain) for e in t.exprs), domain=tuple(domain))


def _shift_words(before: Transform, after: Transform) -> str:
    from ..domains.signs import variable_bounds

    old, new = variable_bounds(before.domain, before.inputs), variable_bounds(after.domain, after.inputs)
    moved = [f"{a} from {sp.sstr(new[a][0])} to {sp.sstr(new[a][1])} (instead of {sp.sstr(old[b][0])} "
             f"to {sp.sstr(old[b][1])})" for b, a in zip(before.inputs, after.inputs) if new[a] != old[b]]
    return (f"Let {', '.join(moved)}: the same points, and then the region has iterated bounds.")


def _every_variable_bounded(integrand: sp.Expr, reg: Region, old: Sequence[sp.Symbol]) -> None:
    """Refuse an integral over a variable that neither the integrand nor the region mentions
    (integrating a constant over the whole line diverges; it is almost always a typo), and a
    region whose conditions are all about other names."""
    names = [s.name for s in old]
    in_region = {s.name for c in reg.conditions for s in c.free_symbols}
    if reg.conditions and not in_region & set(names):
        raise DomainError(
            f"the region {', '.join(map(sp.sstr, reg.conditions))} does not involve the integration "
            f"variables {', '.join(names)}, so it would not restrict the integral at all.",
            value=reg, expected=f"inequalities in {', '.join(names)}",
            hint=f"Write the region in {', '.join(names)} (e.g. '{names[0]}**2 + ... <= 1').")
    used = in_region | {s.name for s in integrand.free_symbols}
    missing = [n for n in names if n not in used]
    if missing:
        raise DomainError(
            f"neither the integrand nor the region involves {', '.join(missing)}, so the integral "
            f"over all {', '.join(missing)} diverges. The map relates {', '.join(names)}; did you mean "
            f"a map in fewer variables, or forget a condition on {', '.join(missing)}?",
            value=missing, expected=f"an integral in {', '.join(names)}",
            hint=f"Add the range of {missing[0]} to the region, e.g. '0 <= {missing[0]} <= 1', or use a "
                 f"{len(names) - len(missing)}-dimensional map.")


def _with_region_signs(t: Transform, reg: Region) -> Transform:
    """A substitution without a domain takes the region's sign conditions (``x > 0``) as its domain.

    Only the region matters for the integral, and these conditions often
    decide which inverse branch is meant.
    """
    if t.domain:
        return t
    names = {s.name: s for s in t.inputs}
    signs = []
    for c in reg.conditions:
        if isinstance(c, sp.Rel) and not isinstance(c, (sp.Eq, sp.Ne)):
            sides = (c.lhs, c.rhs)
            if any(isinstance(a, sp.Symbol) and a.name in names for a in sides) and \
                    any(a.is_number for a in sides):
                signs.append(sp.sstr(c))
    if not signs:
        return t
    return Transform.from_equations(t.equations(), inputs=[s.name for s in t.inputs],
                                    domain=", ".join(signs), name=t.name)


def _direction(integral: object, region: object, t: Transform
               ) -> tuple[str, tuple[sp.Symbol, ...], dict[str, sp.Symbol]]:
    """Which side of ``t`` holds the integral's variables, and names read as other names.

    Cylindrical coordinates keep ``z`` as an input, so their Cartesian output is
    called ``z_``; an integral written in ``x, y, z`` means ``x, y, z_`` there.
    """
    names = _variable_names(integral, region)
    ins, outs = {s.name for s in t.inputs}, {s.name for s in t.outputs}
    aliases = {o.name[:-1]: o for o in t.outputs
               if o.name.endswith("_") and o.name[:-1] in names and o.name[:-1] in ins
               and names & (outs - {o.name})}
    names = {aliases[n].name if n in aliases else n for n in names}
    if names & outs and not names & ins:
        return "parametrisation", t.outputs, aliases
    if names & ins and not names & outs:
        return "substitution", t.inputs, {}
    raise DimensionError(
        f"the integral is in ({', '.join(sorted(names)) or 'no variables'}), but the map relates "
        f"({_vs(t.inputs)}) and ({_vs(t.outputs)}). Name the integral's variables as one side of the map.",
        value=sorted(names), hint="For polar coordinates integrate in x and y; for u = x**2/y in x and y.")


def _variable_names(integral: object, region: object) -> set[str]:
    if isinstance(integral, tuple) and len(integral) == 2 and region is None:
        integral, region = integral
    if isinstance(integral, str):
        integral = parse_expression(integral)
    if isinstance(integral, sp.Integral):
        return {lim[0].name for lim in integral.limits}
    names = {s.name for s in sp.sympify(integral, strict=True).free_symbols}
    if isinstance(region, Region):
        return {s.name for s in region.variables}
    if isinstance(region, str):
        names |= {s.name for c in parse_conditions(region) for s in c.free_symbols}
    return names


def _rename_inputs(b: Transform, names: Mapping[str, sp.Symbol]) -> Transform:
    from dataclasses import replace

    from ..domains.signs import substitute_condition

    mapping = {s: names[s.name] for s in b.inputs if s.name in names and names[s.name] != s}
    if not mapping:
        return b
    return replace(b, inputs=tuple(mapping.get(s, s) for s in b.inputs),
                   exprs=tuple(e.xreplace(mapping) for e in b.exprs),
                   domain=tuple(substitute_condition(c, mapping) for c in b.domain))


def _merge(pieces: list[Piece], timeout: float | None) -> list[Piece]:
    """Add the integrands of pieces over the same region (a region covered several times)."""
    out: list[Piece] = []
    for p in pieces:
        for k, q in enumerate(out):
            if p.region.bounds is not None and p.region.bounds == q.region.bounds:
                out[k] = Piece(_simplify(q.integrand + p.integrand, timeout), q.region,
                               q.rewritten + p.rewritten, q.factor, q.determinant, q.branch)
                break
        else:
            out.append(p)
    return out


def _drop_abs(e: sp.Expr, region: Region) -> sp.Expr:
    """``Abs(a)`` replaced by ``a`` or ``-a`` where the region proves the sign of ``a``."""
    from ..domains.signs import sign_on

    conds = [c for c in region.conditions if c is not sp.true]
    if region.bounds is not None:
        conds += [c for v, lo, hi in region.bounds for c in (sp.Le(lo, v, evaluate=False),
                                                            sp.Le(v, hi, evaluate=False))
                  if not (lo.is_infinite or hi.is_infinite)]
    mapping = {}
    for a in e.atoms(sp.Abs):
        s = sign_on(a.args[0], conds)
        if s.is_nonnegative:
            mapping[a] = a.args[0]
        elif s.is_nonpositive:
            mapping[a] = -a.args[0]
    return e.xreplace(mapping) if mapping else e


def _simplify(e: sp.Expr, timeout: float | None) -> sp.Expr:
    try:
        with time_limit(None if timeout is None else min(timeout, 10), "simplifying the integrand"):
            return sp.simplify(e)
    except SymjacTimeoutError:
        return e


def _exact_value(pieces: tuple[Piece, ...], timeout: float | None) -> sp.Expr | None:
    total = sp.S.Zero
    with time_limit(timeout, "integrating the new integral exactly"):
        for p in pieces:
            if p.region.bounds is None:
                return None
            value = sp.integrate(p.integrand, *p.region.bounds)
            if value.has(sp.nan, sp.zoo):
                return sp.nan  # undefined: an infinity met another (oo - oo, 0*oo), or a divergence
            if value.has(sp.Integral):
                return None
            total += value
        return sp.simplify(total)


def _numeric_sum(pieces: tuple[Piece, ...], values: Mapping[object, float] | None) -> QuadratureResult:
    parts = [integrate_region(p.integrand, p.region, values=values) for p in pieces]
    if len(parts) == 1:
        return parts[0]
    return QuadratureResult(sum(v.value for v in parts), sum(v.error for v in parts),
                            " + ".join(sorted({v.method for v in parts})),
                            all(v.converged for v in parts), any(v.statistical for v in parts),
                            sum(v.evaluations for v in parts),
                            next((v.seed for v in parts if v.statistical), None),
                            tuple(w for v in parts for w in v.warnings))


def _parameter_values(ci: ChangedIntegral, values: Mapping[object, float] | None) -> dict[str, float]:
    """Numbers for the parameters in the numeric check (given, or 1.3, 1.7, ... by default)."""
    given = {(k.name if isinstance(k, sp.Symbol) else str(k)): float(v) for k, v in (values or {}).items()}
    free = set(ci.original_integrand.free_symbols) | set(ci.original_region.parameters)
    for p in ci.pieces:
        free |= p.integrand.free_symbols | set(p.region.parameters)
    free -= set(ci.variables) | set(ci.old_variables)
    out = {}
    for k, s in enumerate(sorted(free, key=str)):
        out[s.name] = given.get(s.name, 1.3 + 0.4 * k)
    return out


def _vs(symbols: Sequence[sp.Symbol]) -> str:
    return ",".join(str(s) for s in symbols)


# ---------------------------------------------------------------------- numeric comparison


def compare_integrals(original: QuadratureResult, new: QuadratureResult, *, rtol: float = 1e-7,
                      atol: float = 1e-10, what: str = "the new integral against the original"
                      ) -> CheckReport:
    """Judge two numerically computed integrals against each other (``CheckReport``).

    The error estimates of both count; a quadrature that did not converge makes
    the verdict ``"inconclusive"``, never ``"passed"``.

    >>> from symjac.numeric.quadrature import QuadratureResult
    >>> from symjac.integrals.change import compare_integrals
    >>> compare_integrals(QuadratureResult(0.5, 1e-14, "scipy.quad", True),
    ...                   QuadratureResult(0.5, 1e-14, "scipy.quad", True)).verdict
    'passed'
    """
    method = original.method if original.method == new.method else f"{original.method} / {new.method}"
    statistical = original.statistical or new.statistical
    return CheckReport.compare(
        new.value, original.value, what=what, method=method, error_estimate=original.error + new.error,
        converged=original.converged and new.converged, statistical=statistical, rtol=rtol, atol=atol,
        sample_size=original.evaluations + new.evaluations,
        seed=(original.seed if original.statistical else new.seed) if statistical else None,
        warnings=tuple(f"original: {w}" for w in original.warnings)
        + tuple(f"new: {w}" for w in new.warnings))
