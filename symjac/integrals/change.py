"""Change of variables in definite integrals, with the region, the value and a numeric check.

``change_variables`` takes an integral (a SymPy ``Integral``, its text, or an
integrand with a ``Region``) and a map in either direction — a parametrisation
``x = r*cos(theta)`` or a substitution ``u = x**2/y`` (inverted when needed) —
and returns the new integrand with ``|det J|``, the new region and the new
integral, with a numeric check of the old against the new one (a ``CheckReport``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import sympy as sp

from ..derivation import (Chain, Derivation, Step, Tex, absolute, determinant_chain, differentials,
                          numeric_sentence, partial)
from ..errors import DimensionError, DomainError, InversionError, SymjacError, SymjacTimeoutError
from ..inverse.injectivity import fundamental_domain
from ..jacobian import jacobian, jacobian_analysis
from ..numeric.over_region import integrate_region
from ..numeric.quadrature import QuadratureResult
from ..report import CheckReport
from ..regions.region import Region
from ..timeouts import DEFAULT_TIMEOUT, time_limit
from ..transform import Transform, require_transform
from .changed import ChangedIntegral, Piece
from .evaluation import (_drop_abs, _exact_value, _numeric_sum, _principal_inverses, _simplify,
                         compare_integrals)
from .onevariable import textbook_rule
from .reading import _direction, _every_variable_bounded, _vs, by_name, callers_symbols, read_integral

#: What SymPy raises when a step fails inside it; turned into a DomainError that names the step.
SYMPY_FAILURES = (ArithmeticError, AttributeError, LookupError, NotImplementedError,
                  RecursionError, TypeError, ValueError, sp.PolynomialError)

__all__ = ["Piece", "ChangedIntegral", "change_variables", "compare_integrals", "read_integral"]


@dataclass
class _Work:
    """What the steps of one change of variables share: the input as read, the map, the
    derivation so far, and the step under way (named in an error from SymPy)."""

    integral: object
    given_region: object
    t: Transform
    timeout: float | None
    direction: str = ""
    old: tuple[sp.Symbol, ...] = ()
    integrand: sp.Expr = sp.S.Zero
    region: Region | None = None
    steps: Derivation = field(default_factory=Derivation)
    branches: tuple[Transform, ...] = ()
    undecided: str = ""
    rule: tuple[Piece, Step] | None = None
    textbook: bool = False  # the one-variable substitution rule gave the new integral
    new_vars: tuple[sp.Symbol, ...] = ()
    stage: str = "reading the integral"


def change_variables(integral: object, t: Transform, *, region: object = None,
                     evaluate: bool = True, values: Mapping[object, float] | None = None,
                     rtol: float = 1e-7, timeout: float | None = DEFAULT_TIMEOUT) -> ChangedIntegral:
    """Change the variables of a definite integral.

    Args:
        integral: A SymPy ``Integral`` with limits, its text, or an integrand
            (with ``region``). Symbols are matched by name whatever their
            assumptions; the result is in the caller's own symbols.
        t: The map, in either direction: a parametrisation of the old variables
            (``x = r*cos(theta), y = r*sin(theta)``: outputs are the old variables)
            or a substitution (``u = x**2/y, v = y**2/x``: inputs are the old
            variables; it is inverted, one piece per real branch). A
            parametrisation given without a domain is restricted to a domain on
            which it is one-to-one (the standard ranges for polar, cylindrical and
            spherical coordinates, however named), and the derivation says so.
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
        DomainError: If SymPy fails in a step (the error names the step).

    >>> from symjac import Transform, change_variables
    >>> T = Transform.from_equations("u = x**2/y, v = y**2/x", domain="x > 0, y > 0")
    >>> ci = change_variables("x*y", T, region="1 <= x**2/y <= 4, 2 <= y**2/x <= 3, x > 0, y > 0")
    >>> ci.integrand, ci.region.bounds, ci.value
    (u*v/3, ((u, 1, 4), (v, 2, 3)), 25/4)
    """
    work = _Work(integral, region, _checked_map(t, integral, region), timeout)
    try:
        _read(work)
        pieces = _pieces(work)
        result = _describe(work, pieces)
        if evaluate:
            result = _evaluate(work, result, values, rtol)
    except SymjacError:
        raise
    except SYMPY_FAILURES as exc:
        raise DomainError(
            f"SymPy failed while {work.stage} ({type(exc).__name__}: {exc}); symjac cannot change "
            "the variables of this integral as given.", value=work.stage,
            hint="Give the map a domain, write the region as inequalities, or integrate "
                 "numerically with symjac.verify_integral.") from None
    return _in_callers_symbols(result, callers_symbols(integral, region))


def _checked_map(t: object, integral: object, region: object) -> Transform:
    """The map, square; constants in the integral's region are taken as parameters, not inputs."""
    require_transform(t, "change_variables")
    if t.is_square:
        return t
    if len(t.inputs) > len(t.outputs):
        try:
            names = _names_given(integral, region)
        except SymjacError:
            names = set()
        kept = [s.name for s in t.inputs if s.name not in names]
        if names & {s.name for s in t.outputs} and len(kept) == len(t.outputs):
            return Transform.from_equations(list(t.equations()), inputs=kept,
                                            domain=", ".join(map(sp.sstr, t.domain)) or None,
                                            name=t.name)
    wanted = ", ".join(s.name for s in t.inputs[:len(t.outputs)])
    raise DimensionError(
        f"the map {t} has {len(t.inputs)} inputs ({_vs(t.inputs)}) and {len(t.outputs)} outputs; a "
        "change of variables in an integral needs as many of each. If some inputs are constants, "
        f"say which are the variables with inputs=..., e.g. Transform.from_equations(..., "
        f"inputs='{wanted}'); the others become parameters.", value=t, expected="inputs=...",
        hint=f"Transform.from_equations('{', '.join(map(sp.sstr, t.equations()))}', inputs='{wanted}')")


def _names_given(integral: object, region: object) -> set[str]:
    """Every name in the integral and its region (variables, limits and constants)."""
    from ..parsing import parse_conditions, parse_expression

    found: set[str] = set()
    for g in (integral if isinstance(integral, tuple) else (integral,)) + (region,):
        if isinstance(g, str) and g.strip():
            try:
                e = parse_expression(g)
                found |= {s.name for s in e.atoms(sp.Symbol)}
            except SymjacError:
                found |= {s.name for c in parse_conditions(g) for s in c.free_symbols}
        elif isinstance(g, Region):
            found |= {s.name for s in g.variables + g.parameters}
        elif isinstance(g, sp.Basic):
            found |= {s.name for s in g.atoms(sp.Symbol)}
    return found


def _read(work: _Work) -> None:
    """Read the integral in the map's symbols, and decide which side of the map it is on."""
    t = work.t
    work.direction, work.old, aliases = _direction(work.integral, work.given_region, t)
    if work.direction == "parametrisation":
        work.stage = "deciding whether the map is one-to-one"
        choice = fundamental_domain(t, timeout=work.timeout)
        if choice is not None:
            work.steps = work.steps.then(choice.words, **dict(choice.parts))
            work.t = t = choice.transform
            work.old = t.outputs
            if not choice.decided:
                work.undecided = choice.words
    work.stage = "reading the integral"
    symbols = {s.name: s for s in work.old + t.parameters}
    symbols.update(aliases)
    work.integrand, work.region = read_integral(
        work.integral, region=work.given_region, symbols=symbols,
        variables=[s.name for s in work.old], timeout=work.timeout)
    given = work.integral[1] if isinstance(work.integral, tuple) and len(work.integral) == 2 \
        and work.given_region is None else work.given_region
    if isinstance(given, (str, list, tuple)):  # not an Integral's limits nor a Region
        _every_variable_bounded(work.integrand, work.region, work.old)
    if work.direction == "parametrisation":
        a = jacobian_analysis(t, timeout=work.timeout)
        work.steps = work.steps.then(
            "The Jacobian determinant of the parametrisation:",
            [(partial(t.outputs, t.inputs), determinant_chain(a.matrix, a.determinant))])
        work.branches = (t,)
    else:
        _invert(work)


def _invert(work: _Work) -> None:
    """The inverse branches ``x = g(u)`` of a substitution ``u = h(x)``, one step each."""
    from ..inverse.inversions import invert

    work.stage = "inverting the substitution"
    signed = _with_region_signs(work.t, work.region)
    if signed is not work.t:  # read again with the sign assumptions
        work.t = t = signed
        work.old = t.inputs
        work.integrand, work.region = read_integral(
            work.integral, region=work.given_region,
            symbols={s.name: s for s in work.old + t.parameters},
            variables=[s.name for s in work.old], timeout=work.timeout)
    t = work.t
    J = jacobian(t)
    with time_limit(work.timeout, "the determinant of the substitution"):
        det = sp.simplify(J.det())
    work.steps = work.steps.then(
        "The Jacobian determinant of the substitution:",
        [(partial(t.outputs, t.inputs), determinant_chain(J, det))])
    try:
        branches = tuple(invert(t, timeout=work.timeout, pieces=True))
    except InversionError:
        if len(t.inputs) != 1:
            raise
        found = textbook_rule(work.integrand, work.region, t, (), timeout=work.timeout)
        if found is None:
            raise
        work.rule = found
        return
    if not branches:
        raise DomainError(f"the substitution {t} has no real inverse on its domain.", value=t)
    # one symbol per new variable for all branches; where the branches' sign assumptions
    # differ (u >= 0 on one, u < 0 on another) a plain real symbol, so that no branch's
    # formula is rewritten under another branch's assumptions
    new_names = {}
    for s in branches[0].inputs:
        same = all(any(o == s for o in b.inputs) for b in branches)
        new_names[s.name] = s if same else sp.Symbol(s.name, real=True)
    work.branches = tuple(_rename_inputs(b, new_names) for b in branches)
    for k, b in enumerate(work.branches, 1):
        label = f" (branch {k} of {len(work.branches)})" if len(work.branches) > 1 else ""
        solved = [(o, e) for o, e in zip(b.outputs, b.exprs)]
        if b.domain:
            work.steps = work.steps.then(f"Solve for the old variables{label}, on {{domain}}:",
                                         solved, domain=tuple(b.domain))
        else:
            work.steps = work.steps.then(f"Solve for the old variables{label}:", solved)


def _pieces(work: _Work) -> list[Piece]:
    """One piece per branch: the region's preimage and the integrand times ``|det J|``."""
    pieces = []
    reg, timeout = work.region, work.timeout
    if work.rule is not None:  # no inverse was needed: the one-variable substitution rule
        work.steps = work.steps + Derivation((work.rule[1],))
        work.textbook = True
        work.new_vars = work.rule[0].region.variables
        return [work.rule[0]]
    for b in work.branches:
        work.stage = "mapping the region to the new variables"
        new_region = reg.preimage(b, timeout=timeout)
        if new_region.bounds is None and work.direction == "parametrisation":
            shifted = _shifted_angles(b, timeout)
            if shifted is not None:
                other = reg.preimage(shifted, timeout=timeout)
                if other.bounds is not None:
                    work.steps = work.steps + Derivation((_shift_words(b, shifted),))
                    b, new_region = shifted, other
        if new_region.is_empty:
            continue
        work.stage = "rewriting the integrand in the new variables"
        mapping = {s: e for s in work.old for o, e in zip(b.outputs, b.exprs) if o.name == s.name}
        a = jacobian_analysis(b, timeout=timeout)
        rewritten = _simplify(work.integrand.xreplace(mapping), timeout)
        factor = _drop_abs(a.volume_element, new_region)
        integrand = _principal_inverses(_simplify(rewritten * factor, timeout), new_region)
        pieces.append(Piece(integrand, new_region, rewritten,
                            factor, a.determinant, b))
    pieces = _merge(pieces, timeout)
    if work.direction == "substitution" and len(pieces) > 1:
        work.stage = "applying the one-variable substitution rule"
        found = textbook_rule(work.integrand, reg, work.t, work.branches, timeout=timeout)
        if found is not None:
            piece, words = found
            work.steps = work.steps + Derivation((words,))
            work.textbook = True
            pieces, work.branches = [piece], (piece.branch,)
    if work.direction == "parametrisation" and pieces:
        work.branches = (pieces[0].branch,)  # the chart with the angle range that was used
    work.new_vars = work.branches[0].inputs
    if not pieces:
        raise DomainError(f"the region {reg} is not reached by the map {work.t} on its domain.",
                          value=reg)
    return pieces


def _describe(work: _Work, pieces: list[Piece]) -> ChangedIntegral:
    """The volume element, the new region and the new integral as steps, and the result."""
    work.stage = "writing the new integral"
    old, new_vars = work.old, work.new_vars
    factors = pieces[0].factor if len(pieces) == 1 else sp.Tuple(*(p.factor for p in pieces))
    steps = work.steps if work.textbook else _element_steps(work, pieces, factors)
    for k, p in enumerate(pieces, 1):
        label = f" (piece {k} of {len(pieces)})" if len(pieces) > 1 else ""
        text = f"The region in {{new}}{label}"
        text += ", as iterated bounds:" if p.region.bounds is not None else \
            ", as inequalities (no iterated bounds: " + p.region.note.replace("{", "{{").replace(
                "}", "}}") + "):"
        steps = steps.then(text, [("", p.region)], new=new_vars)
    result = ChangedIntegral(work.integrand, work.region, work.t, old, new_vars, tuple(pieces), steps)
    try:
        steps = steps.then("The new integral:", [("", result.as_integral())])
    except DomainError:
        steps = steps.then("The new integrand (integrate it over the region above):",
                           [("", sp.Add(*(p.integrand for p in pieces)))])
    work.steps = steps
    return replace(result, steps=steps, branches=work.branches)


def _element_steps(work: _Work, pieces: list[Piece], factors: sp.Expr) -> Derivation:
    """The volume element and the integrand in the new variables, as steps."""
    old, new_vars = work.old, work.new_vars
    name = absolute(partial(old, new_vars))
    element = Tex(differentials(old).latex + " = " + name.latex + r"\," + differentials(new_vars).latex,
                  f"{differentials(old).text} = {name.text} {differentials(new_vars).text}")
    steps = work.steps.then("The volume element is {element}, where", [(name, factors)],
                            element=element)
    rewritten = tuple(p.rewritten for p in pieces)
    if len(pieces) == 1 and len(work.branches) == 1 and rewritten[0] != work.integrand:
        steps = steps.then("In the new variables the integrand is",
                           [("", Chain((work.integrand, *dict.fromkeys(rewritten))))])
    return steps


def _evaluate(work: _Work, result: ChangedIntegral, values: Mapping[object, float] | None,
              rtol: float) -> ChangedIntegral:
    """The exact value (time-bounded, kept only if the numbers confirm it) and the numeric check."""
    pieces = result.pieces
    value, steps = _exact_attempt(work, result)
    work.stage = "checking the new integral numerically"
    values = _parameter_values(result, values)
    before = integrate_region(result.original_integrand, result.original_region, values=values,
                              stand_ins=True)
    after = _numeric_sum(pieces, values, stand_ins=True)
    check = compare_integrals(before, after, rtol=rtol)
    for note in (w for w in check.warnings if "has no formula" in w):
        steps = steps.then(note[0].upper() + note[1:] + ".")
    if value is not None and after.converged:
        exact = complex(sp.N(value.xreplace({s: values[s.name] for s in value.free_symbols
                                             if s.name in values})))
        if abs(exact - after.value) > rtol * max(1.0, abs(after.value)) + 2 * after.error:
            steps = steps.then("The exact value {value} disagrees with the numeric value "
                               f"{after.value:.12g}; it is not used.", value=value)
            value = None
    if value is not None and not after.converged and before.converged and not work.undecided:
        check, after, agrees = _exact_as_witness(value, values, before, after, check, rtol)
        if not agrees:
            steps = steps.then("The exact value {value} disagrees with the old integral computed "
                               f"numerically ({before.value:.12g}); it is not used.", value=value)
            value = None
    if work.undecided and value is not None:
        steps = steps.then("The value is not given: the map may not be one-to-one on the domain "
                           "chosen, so the integral may count some points more than once.")
        value = None
    sentence = numeric_sentence(before, after, check.verdict)
    if values:
        sentence = sentence[:-1] + " (with {values})."
        shown = tuple(sp.Eq(sp.Symbol(k), sp.Float(v, 10) if isinstance(v, float) and v != int(v)
                            else sp.sympify(v)) for k, v in values.items())
        steps = steps.then(sentence, values=shown)
    else:
        steps = steps.then(sentence)
    return replace(result, steps=steps, value=value, check=check, numeric=(before, after))


def _value_chain(result: ChangedIntegral, value: sp.Expr) -> object:
    try:
        return Chain((result.as_integral(), value))
    except DomainError:
        return value


def _exact_attempt(work: _Work, result: ChangedIntegral) -> tuple[sp.Expr | None, Derivation]:
    """The exact value of the new integral, or None, and the step that says which."""
    work.stage = "integrating the new integral exactly"
    steps = work.steps
    try:
        value = _exact_value(result.pieces, work.timeout)
    except SymjacTimeoutError:
        return None, steps.then("Its exact value was not found within the time limit.")
    except (ArithmeticError, NotImplementedError, TypeError, ValueError, AttributeError,
            sp.PolynomialError):
        return None, steps.then("Exact integration failed on it, so its value is found numerically.")
    if value is sp.nan:
        return None, steps.then("Exact integration gave an undefined result (infinities that do "
                                "not cancel): the integral probably diverges.")
    if value is None:
        return None, steps.then("No closed form was found for its value.")
    if steps[-1].template == "The new integral:":
        return value, Derivation(steps.steps[:-1]).then("The new integral and its value:",
                                                        [("", _value_chain(result, value))])
    return value, steps.then("Its value:", [("", _value_chain(result, value))])


def _exact_as_witness(value: sp.Expr, values: Mapping[str, float], before: QuadratureResult,
                      after: QuadratureResult, check: CheckReport, rtol: float
                      ) -> tuple[CheckReport, QuadratureResult, bool]:
    """When the new integral's quadrature did not converge (an integrable singularity at the edge),
    its exact value is the second witness, used only if it confirms the old integral's numbers: a
    disagreement could be SymPy's mistake as well as the map's, so it leaves the check undecided
    (and the value is not used)."""
    try:
        exact = complex(sp.N(value.xreplace({s: values[s.name] for s in value.free_symbols
                                             if s.name in values})))
    except (TypeError, ValueError):
        return check, after, True  # no number to compare: no evidence either way
    if abs(exact.imag) > 1e-12 * max(1.0, abs(exact.real)) or not math.isfinite(exact.real):
        return check, after, False
    witness = QuadratureResult(exact.real, 0.0, "exact value", True)
    confirmed = compare_integrals(before, witness, rtol=rtol,
                                  what="the exact value of the new integral against the original")
    if confirmed.verdict == "passed":
        return confirmed, witness, True
    return check, after, confirmed.verdict != "failed"


def _in_callers_symbols(ci: ChangedIntegral, callers: Mapping[str, sp.Symbol]) -> ChangedIntegral:
    """The result with the caller's own symbols (matched by name) in place of symjac's."""
    if not callers:
        return ci
    callers = dict(callers)
    for s in ci.variables + ci.old_variables + ci.transform.parameters:
        callers.setdefault(s.name, sp.Symbol(s.name))

    def back(e: sp.Basic | None) -> sp.Basic | None:
        return None if e is None else by_name(e, callers)

    pieces = tuple(Piece(back(p.integrand), p.region.rename(callers), back(p.rewritten),
                         back(p.factor), back(p.determinant), p.branch) for p in ci.pieces)
    return replace(ci, original_integrand=back(ci.original_integrand),
                   original_region=ci.original_region.rename(callers),
                   old_variables=tuple(back(s) for s in ci.old_variables),
                   variables=tuple(back(s) for s in ci.variables), pieces=pieces,
                   value=back(ci.value))


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



def _shift_words(before: Transform, after: Transform) -> Step:
    from ..domains.signs import variable_bounds
    from ..latex import latex_expr

    old, new = variable_bounds(before.domain, before.inputs), variable_bounds(after.domain, after.inputs)
    moved = [(a, new[a], old[b]) for b, a in zip(before.inputs, after.inputs) if new[a] != old[b]]
    ranges = Tex(r",\ ".join(rf"{latex_expr(lo)} \le {latex_expr(a)} \le {latex_expr(hi)}"
                             for a, (lo, hi), _ in moved),
                 ", ".join(f"{sp.sstr(lo)} <= {a} <= {sp.sstr(hi)}" for a, (lo, hi), _ in moved))
    before_ranges = Tex(r",\ ".join(rf"{latex_expr(lo)} \le {latex_expr(a)} \le {latex_expr(hi)}"
                                    for a, _, (lo, hi) in moved),
                        ", ".join(f"{sp.sstr(lo)} <= {a} <= {sp.sstr(hi)}" for a, _, (lo, hi) in moved))
    return Derivation().then("Let {ranges} instead of {before}: the same points, and then the region "
                             "has iterated bounds.", ranges=ranges, before=before_ranges)[0]



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

