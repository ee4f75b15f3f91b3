"""Probability densities under a change of variables, with every branch and the support.

``transform_density(pdf, t)`` gives the density of ``Y = g(X)``:
``f_Y(y) = Σ_k f_X(h_k(y)) |det Dh_k(y)|`` over every real inverse branch
``h_k``, each on its own piece of the support, as a ``Piecewise`` that is 0
outside the support. Maps to fewer variables (``Y = X1 + X2``) are completed
with auxiliary variables that are integrated out over their exact range.
Standard families (χ², Gamma, Beta, Cauchy, ...) are recognised by name.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

import numpy as np
import sympy as sp

from ..result import Result
from ..domains import (assume_support, flatten_conditions, real_conditions, substitute_conditions,
                      support_intervals, tidy_conditions)
from ..inverse.covering import check_coverage, inverse_branches, round_trip_ok, split_abs
from ..inverse.monotone import monotone_branches
from ..derivation import Derivation
from ..errors import (DimensionError, DomainError, InversionError, ParseError, SymjacError,
                     SymjacTimeoutError)
from .families import Family, recognise_family
from ..jacobian import jacobian_determinant, volume_element
from .marginals import Unsupported, line_pieces, max_min_pieces, pieces_to_piecewise
from ..parsing import parse_conditions, parse_expression, symbols_from_conditions
from ..timeouts import DEFAULT_TIMEOUT, time_limit
from ..transform import Transform

__all__ = ["Density", "Branch", "SourceDensity", "LogAbsDetJacobian", "transform_density",
           "log_abs_det_jacobian"]


@dataclass(frozen=True)
class SourceDensity:
    """The density a transformation starts from.

    Attributes:
        pdf: The density on its support (no ``Piecewise`` for the zero part).
        variables: Its variables, in the transform's order.
        support: Conditions on the variables (and parameters) where ``pdf`` applies.
        family: The recognised family (used to sample it), or None.
    """

    pdf: sp.Expr
    variables: tuple[sp.Symbol, ...]
    support: tuple[sp.Basic, ...]
    family: Family | None = None


@dataclass(frozen=True)
class Branch:
    """One inverse branch ``x = h(y)`` and what it contributes.

    Attributes:
        inverse: ``(old variable, expression in the new variables)`` pairs.
        domain: Where the branch contributes (conditions on the new variables).
        abs_det: ``|det Dh(y)|``, the Jacobian factor of the branch.
        contribution: ``f_X(h(y)) |det Dh(y)|`` on ``domain``.
    """

    inverse: tuple[tuple[sp.Symbol, sp.Expr], ...]
    domain: tuple[sp.Basic, ...]
    abs_det: sp.Expr
    contribution: sp.Expr

    def __str__(self) -> str:
        inv = ", ".join(f"{x} = {sp.sstr(e)}" for x, e in self.inverse)
        dom = ", ".join(sp.sstr(c) for c in self.domain) or "everywhere"
        return f"{inv}  on  {dom};  |det Dh| = {sp.sstr(self.abs_det)}"

    def _latex_body(self) -> str:
        from ..latex import latex_expr

        inv = r",\ ".join(f"{latex_expr(x)} = {latex_expr(e)}" for x, e in self.inverse)
        dom = r",\ ".join(latex_expr(c) for c in self.domain) or r"\text{everywhere}"
        return (inv + r"\quad\text{on } " + dom + r",\quad \left|\det Dh\right| = "
                + latex_expr(self.abs_det))


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

    def __str__(self) -> str:
        names = ", ".join(v.name for v in self.variables)
        lines = [f"f({names}) = {sp.sstr(self.value)}",
                 "support: " + (", ".join(sp.sstr(c) for c in self.support) or "everywhere")]
        if self.family is not None:
            lines.append(f"family: {self.family}")
        return "\n".join(lines)

    @property
    def value(self) -> sp.Expr:
        """The density on its support (the ``Piecewise`` without its zero part, if single)."""
        if isinstance(self.pdf, sp.Piecewise) and len(self.pdf.args) == 2 and self.pdf.args[1].expr == 0:
            return self.pdf.args[0].expr
        return self.pdf

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready description whose strings ``symjac.parsing`` reads back."""
        return {
            "variables": [v.name for v in self.variables],
            "pdf": sp.sstr(self.pdf),
            "value": sp.sstr(self.value),
            "support": [sp.sstr(c) for c in self.support],
            "branches": [{"inverse": {x.name: sp.sstr(e) for x, e in b.inverse},
                          "domain": [sp.sstr(c) for c in b.domain],
                          "abs_det": sp.sstr(b.abs_det)} for b in self.branches],
            "family": None if self.family is None else self.family.to_dict(),
            "auxiliary": {w.name: sp.sstr(e) for w, e in self.auxiliary},
            "marginalized": [v.name for v in self.marginalized],
            "closed_form": self.closed_form,
            "transform": self.transform.to_dict(),
            "source": {"pdf": sp.sstr(self.source.pdf),
                       "variables": [v.name for v in self.source.variables],
                       "support": [sp.sstr(c) for c in self.source.support]},
        }

    def _latex_body(self) -> str:
        from ..latex import latex_expr

        names = ", ".join(latex_expr(v) for v in self.variables)
        body = f"f_{{{names}}}({names}) = {latex_expr(self.pdf)}"
        if self.family is not None:
            body += r"\qquad \text{(" + str(self.family).replace("_", r"\_") + ")}"
        return body


# ---------------------------------------------------------------------------- reading the input


def _by_name(t: Transform) -> dict[str, sp.Symbol]:
    return {s.name: s for s in t.inputs + t.outputs + t.parameters}


def _retarget(t: Transform, mapping: dict[sp.Symbol, sp.Symbol]) -> Transform:
    if not mapping:
        return t
    return Transform(tuple(mapping.get(s, s) for s in t.inputs),
                     tuple(e.xreplace(mapping) for e in t.exprs),
                     tuple(mapping.get(s, s) for s in t.outputs),
                     substitute_conditions(t.domain, mapping, evaluate=False),
                     tuple(mapping.get(s, s) for s in t.parameters), t.name)


def _read_source(pdf: object, t: Transform, support: object
                 ) -> tuple[sp.Expr, tuple[sp.Basic, ...], Transform, Family | None]:
    """The pdf expression and support in ``t``'s symbols, and ``t`` with parameter assumptions."""
    from sympy.stats.rv import RandomSymbol

    by_name = _by_name(t)
    family = None
    rvs = [pdf] if isinstance(pdf, RandomSymbol) else \
        list(pdf) if isinstance(pdf, (list, tuple)) and pdf and \
        all(isinstance(p, RandomSymbol) for p in pdf) else None
    conds: list[sp.Basic] = []
    if rvs is not None and len(rvs) == 1 and _is_joint(rvs[0]):
        expr, conds = _from_joint(rvs[0], t)
    elif rvs is not None:
        expr, conds = _from_random_variables(rvs, by_name)
    elif isinstance(pdf, str):
        expr = parse_expression(pdf, symbols=by_name)
    elif isinstance(pdf, sp.Expr):
        expr = pdf.xreplace({s: by_name[s.name] for s in pdf.free_symbols if s.name in by_name})
    elif isinstance(pdf, (int, float)) and not isinstance(pdf, bool):
        expr = sp.nsimplify(pdf)
    else:
        raise ParseError(f"cannot read a density from {type(pdf).__name__} {pdf!r:.60}. Pass text "
                         "such as 'exp(-x**2/2)/sqrt(2*pi)', a SymPy expression, or sympy.stats "
                         "random variables.", text=str(pdf)[:80],
                         expected="text, a SymPy expression or sympy.stats random variables")
    if isinstance(support, str):
        conds += list(parse_conditions(support, symbols=by_name))
    elif support is not None:
        for c in (support if isinstance(support, (list, tuple)) else [support]):
            if isinstance(c, str):
                conds += list(parse_conditions(c, symbols=by_name))
            else:
                c = sp.sympify(c)
                conds += flatten_conditions([c.xreplace(
                    {s: by_name[s.name] for s in c.free_symbols if s.name in by_name})])
    if isinstance(expr, sp.Piecewise):
        expr, conds = _strip_piecewise(expr, conds)
    # parameters: conditions that mention only parameters become assumptions
    variables = {s for s in t.inputs + t.outputs}
    param_conds = [c for c in flatten_conditions(conds) if c.free_symbols and
                   not (c.free_symbols & variables)]
    params = set().union(*(c.free_symbols for c in param_conds)) if param_conds else set()
    params |= (expr.free_symbols - variables)
    params |= {p for p in t.parameters}
    assumed = symbols_from_conditions([p.name for p in params],
                                      param_conds + [c for c in t.domain
                                                     if not (c.free_symbols & variables)])
    mapping = {}
    for p in params:
        new = assumed[p.name]
        if new.assumptions0 != p.assumptions0 and (new.is_positive or new.is_negative
                                                   or new.is_nonnegative or new.is_nonpositive):
            mapping[p] = new
        elif p.is_real is None:
            mapping[p] = sp.Symbol(p.name, real=True)
    expr = expr.xreplace(mapping)
    conds = list(substitute_conditions(conds, mapping, evaluate=False))
    return expr, tuple(conds), _retarget(t, mapping), family


def _from_random_variables(rvs: list, by_name: dict[str, sp.Symbol]
                           ) -> tuple[sp.Expr, list[sp.Basic]]:
    from sympy import stats

    expr = sp.S.One
    conds: list[sp.Basic] = []
    for rv in rvs:
        name = rv.name if hasattr(rv, "name") else str(rv)
        if name not in by_name:
            raise DimensionError(
                f"the random variable {name} is not a variable of the map (which uses "
                f"{', '.join(sorted(by_name))}). Name the random variable like the map's variable, "
                f"e.g. Normal('x', 0, 1) for the map 'y = x**2'.", value=name)
        x = by_name[name]
        try:
            dist = rv.pspace.distribution
            domain_set = rv.pspace.domain.set
        except AttributeError:
            raise ParseError(f"{rv} is not a one-dimensional sympy.stats random variable. Pass "
                             "independent one-dimensional random variables, or the joint pdf as "
                             "an expression.", text=str(rv)) from None
        density = sp.sympify(stats.density(rv)(x))
        if isinstance(density, sp.Piecewise):
            density, _ = _strip_piecewise(density, [])
        expr *= density
        del dist
        if isinstance(domain_set, sp.Interval):
            if domain_set.start != -sp.oo:
                conds.append(sp.Gt(x, domain_set.start, evaluate=False))
            if domain_set.end != sp.oo:
                conds.append(sp.Lt(x, domain_set.end, evaluate=False))
        else:
            conds.append(domain_set.as_relational(x))
    return expr, conds


def _is_joint(rv: object) -> bool:
    from sympy.stats.joint_rv import JointPSpace

    return isinstance(getattr(rv, "pspace", None), JointPSpace)


def _from_joint(rv: object, t: Transform) -> tuple[sp.Expr, list[sp.Basic]]:
    """A joint sympy.stats distribution: its components are the map's inputs, in order."""
    from sympy import stats

    k = rv.pspace.component_count
    if k != len(t.inputs):
        raise DimensionError(
            f"the joint distribution {rv} has {k} components but the map {t} has {len(t.inputs)} "
            f"old variables ({', '.join(map(str, t.inputs))}); its components are matched to them "
            "in order, so the numbers must agree.", value=rv)
    expr = sp.sympify(stats.density(rv)(*t.inputs))
    conds: list[sp.Basic] = []
    box = rv.pspace.distribution.set
    for x, part in zip(t.inputs, box.args if isinstance(box, sp.ProductSet) else ()):
        if isinstance(part, sp.Interval):
            if part.start != -sp.oo:
                conds.append(sp.Gt(x, part.start, evaluate=False))
            if part.end != sp.oo:
                conds.append(sp.Lt(x, part.end, evaluate=False))
    if isinstance(expr, sp.Piecewise):
        expr, conds = _strip_piecewise(expr, conds)
    return expr, conds


def _strip_piecewise(expr: sp.Piecewise, conds: list[sp.Basic]) -> tuple[sp.Expr, list[sp.Basic]]:
    """``Piecewise((f, C), (0, True))`` as ``f`` with ``C`` added to the support."""
    nonzero = [(e, c) for e, c in expr.args if e != 0]
    if len(nonzero) == 1 and expr.args[-1].expr == 0 and expr.args[-1].cond is sp.true:
        e, c = nonzero[0]
        return e, conds + flatten_conditions([c])
    return expr, conds


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
    if not isinstance(t, Transform):
        raise DimensionError(f"the map must be a Transform, got {type(t).__name__}. Build one with "
                             "Transform.from_equations('y = x**2').", value=t)
    if method not in ("auxiliary", "coarea"):
        raise SymjacError(f"unknown method {method!r}; expected 'auxiliary' or 'coarea'.",
                          value=method, expected="'auxiliary' or 'coarea'")
    t = _differentiable_form(t)
    plain_out = {o: sp.Symbol(o.name, real=True) for o in t.outputs
                 if o.assumptions0 != sp.Symbol(o.name, real=True).assumptions0}
    t = _retarget(t, plain_out)  # new variables carry no sign: f(y) must be 0 where y < 0
    expr, conds, t, _ = _read_source(pdf, t, support)
    names = {s.name for s in expr.free_symbols} | {s.name for c in conds for s in c.free_symbols}
    in_names, out_names = {s.name for s in t.inputs}, {s.name for s in t.outputs}
    uses_in, uses_out = bool(names & in_names), bool(names & out_names)
    if uses_in and uses_out:
        raise DimensionError(
            f"the density uses both old and new variables ({', '.join(sorted(names & (in_names | out_names)))})."
            " Write it in the old variables only.", value=expr)
    forward = not uses_out
    steps = Derivation()
    if forward:
        source_vars = t.inputs
        source = SourceDensity(expr, source_vars, tuple(conds) + t.domain)
        n, m = t.dims
        if m > n:
            raise DimensionError(
                f"{t} maps {n} variable{'s' * (n != 1)} to {m}: the image is a {n}-dimensional "
                f"surface in {m}-dimensional space, which has volume zero, so the new variables "
                "have no density. Use pseudo_determinant(t) for the surface measure "
                "(sqrt(det(JᵀJ))) to integrate over the image instead.",
                value=t, expected="no more outputs than inputs")
        unused = [x for x in t.inputs if not any(x in e.free_symbols for e in t.exprs)]
        if unused and m == n:
            others = sorted({s.name for e in t.exprs for s in e.free_symbols} - in_names)
            raise DimensionError(
                f"the map {t} does not use {', '.join(map(str, unused))}, one of its old variables "
                f"({', '.join(map(str, t.inputs))}), so it cannot be inverted."
                + (f" It uses {', '.join(others)}: should those be the old variables (--vars / "
                   "inputs=)?" if others else ""), value=t)
        names = ", ".join(map(str, source_vars))
        steps = steps.then(f"The density of {names if len(source_vars) == 1 else f'({names})'} "
                           "and its support.", {"f": expr, "support": tuple(source.support)})
        auxiliary: tuple[tuple[sp.Symbol, sp.Expr], ...] = ()
        full = t
        if m < n:
            full, auxiliary = _complete(t, timeout)
            steps = steps.then(
                "The map has fewer outputs than inputs, so it is completed with "
                + ", ".join(f"{w} = {sp.sstr(e)}" for w, e in auxiliary)
                + " (an invertible completion); the auxiliary variables are integrated out at the end.",
                {"completed map": full})
        coarea = t if (method == "coarea" and m < n) else None
        branches, steps = _forward_branches(full, source, steps, timeout, coarea=coarea)
        new_vars = full.outputs
    else:
        source_vars = t.outputs
        source = SourceDensity(expr, source_vars, tuple(conds))
        if not t.is_square:
            raise DimensionError(
                f"the density is in the map's outputs ({', '.join(map(str, t.outputs))}) but the map "
                f"has {len(t.inputs)} inputs: it must be square to carry a density.", value=t)
        auxiliary, full = (), t
        branches, steps = _parametrisation_branch(t, source, steps, timeout)
        new_vars = tuple(sp.Symbol(v.name, real=True) for v in t.inputs)
    to_drop = _marginal_names(marginalize, new_vars) + tuple(w for w, _ in auxiliary)
    keep = tuple(v for v in new_vars if v not in to_drop)
    pdf_expr, support_c, closed, steps = _assemble(branches, keep, to_drop, steps, timeout)
    pdf_expr = _abs_inside(pdf_expr)
    if pdf_expr == 0 or any(c is sp.false for c in support_c):
        raise InversionError(
            f"the domains of the {len(branches)} inverse branch{'es' * (len(branches) != 1)} of "
            f"{t} could not be worked out (they came out empty), so no density is given rather "
            "than a density of 0. Restrict the support to a piece where the map is one-to-one.",
            value=t, tried=("invert", "branch domains"))
    family = _family_of(pdf_expr, keep, support_c)
    if family is not None:
        steps = steps.then(f"This is the {family} density.")
    return Density(pdf_expr, keep, support_c, tuple(branches), family, source, t, forward,
                   auxiliary, to_drop, closed, steps)


_STEP_FUNCTIONS = (sp.floor, sp.ceiling, sp.frac, sp.Heaviside)


def _differentiable_form(t: Transform) -> Transform:
    """``sign(e)`` as ``e/|e|`` (then split by sign like ``|e|``); a step function is refused.

    Raises:
        DomainError: If the map uses floor, ceiling, frac or Heaviside of its variables: it is
            then constant on pieces, so the new variables take some values with positive
            probability and have no density.
    """
    inputs = set(t.inputs)
    for e in t.exprs:
        for f in e.atoms(*_STEP_FUNCTIONS):
            if f.free_symbols & inputs:
                raise DomainError(
                    f"the map uses {sp.sstr(f)}, which is constant on whole intervals, so the new "
                    "variables take single values with positive probability and have no density "
                    "(they are discrete or mixed). Give a map that is differentiable on the "
                    "support, or compute the probabilities of the values directly.",
                    value=sp.sstr(f), expected="a map differentiable on the support")
    signs = {a: a.args[0] / sp.Abs(a.args[0]) for e in t.exprs for a in e.atoms(sp.sign)
             if a.free_symbols & inputs}
    if not signs:
        return t
    return replace(t, exprs=tuple(e.xreplace(signs) for e in t.exprs))


def _conds_text(conds: Sequence[sp.Basic]) -> str:
    return ", ".join(sp.sstr(c) for c in conds) or "all of space"


def _marginal_names(marginalize: object, new_vars: tuple[sp.Symbol, ...]) -> tuple[sp.Symbol, ...]:
    if marginalize is None:
        return ()
    names = marginalize.split() if isinstance(marginalize, str) else \
        [getattr(m, "name", str(m)) for m in marginalize]
    names = [n.strip(",") for n in names if n.strip(",")]
    by = {v.name: v for v in new_vars}
    bad = [n for n in names if n not in by]
    if bad:
        raise DimensionError(f"cannot integrate out {', '.join(bad)}: the new variables are "
                             f"{', '.join(by)}.", value=marginalize)
    if len(names) >= len(new_vars):
        raise DimensionError("marginalize would integrate out every new variable; keep at least one.",
                             value=marginalize)
    return tuple(by[n] for n in names)


def _complete(t: Transform, timeout: float | None) -> tuple[Transform, tuple[tuple[sp.Symbol, sp.Expr], ...]]:
    """Add auxiliary outputs ``w = x_i`` so that the map becomes square with det J != 0."""
    n, m = t.dims
    k = n - m
    taken = {s.name for s in t.inputs + t.outputs + t.parameters}
    names = ["w"] if k == 1 else [f"w{i}" for i in range(1, k + 1)]
    names = [nm if nm not in taken else nm + "_aux" for nm in names]
    aux_syms = [sp.Symbol(nm, real=True) for nm in names]
    import itertools

    for chosen in itertools.combinations(reversed(t.inputs), k):
        full = Transform(t.inputs, t.exprs + tuple(chosen), t.outputs + tuple(aux_syms),
                         t.domain, t.parameters)
        try:
            det = jacobian_determinant(full, timeout=timeout)
        except SymjacTimeoutError:
            continue
        if not det.equals(0):
            return full, tuple(zip(aux_syms, chosen))
    raise InversionError(f"could not complete {t} to an invertible map with auxiliary variables "
                         "equal to inputs. Pass a square map (add 'w = ...' yourself) and "
                         "marginalize='w'.", value=t)


def _coarea_factor(g: Transform, full: Transform, inverse: dict[sp.Symbol, sp.Expr],
                   domain: Sequence[sp.Basic], timeout: float | None) -> sp.Expr:
    """``(area element of w -> h(y, w)) / sqrt(det(J_g J_gᵀ))`` at ``x = h(y, w)``: the coarea weight."""
    from ..jacobian import pseudo_determinant

    aux = full.outputs[len(g.outputs):]
    rows = pseudo_determinant(g, timeout=timeout).xreplace(inverse)
    level = Transform(aux, tuple(inverse[x] for x in full.inputs), full.inputs,
                      tuple(domain), tuple(g.outputs) + tuple(full.parameters))
    area = pseudo_determinant(level, timeout=timeout)
    return area / rows


def _forward_branches(t: Transform, source: SourceDensity, steps: Derivation,
                      timeout: float | None, *, coarea: Transform | None = None
                      ) -> tuple[list[Branch], Derivation]:
    one_variable = t.dims == (1, 1) and coarea is None
    pairs = None
    if one_variable and t.exprs[0].is_polynomial(*t.inputs) and \
            sp.degree(t.exprs[0], t.inputs[0]) == 3:
        # a cubic: its real roots have real closed forms piece by piece (Cardano's have I in them)
        try:
            pairs = monotone_branches(t, source.support, timeout)
        except InversionError:
            pairs = None
    if pairs is None:
        try:
            branches, dropped = _branches_by_inversion(t, source, timeout, coarea)
        except InversionError as first:
            if not one_variable:
                raise
            # one variable: cut the support into monotone pieces and invert each
            try:
                pairs = monotone_branches(t, source.support, timeout)
            except InversionError:
                raise first from None
    if pairs is not None:
        branches, dropped = [_branch(t, source, inverse, domain, timeout)
                             for inverse, domain in pairs], 0
    if not branches:
        raise InversionError(f"no inverse branch of {t} lands in the support "
                             f"({_conds_text(source.support)}); the new variables have no density "
                             "there. Check the support and the map.", value=t)
    text = (f"Invert the map: {len(branches)} real branch{'es' * (len(branches) != 1)}"
            + (f" ({dropped} more never meet the support)" if dropped else "") + ".")
    steps = steps.then(text, {f"branch {i}": b for i, b in enumerate(branches, 1)})
    if coarea is not None:
        steps = steps.then(
            "Coarea form: on the level set g = y, parametrised by the auxiliary variables, the "
            "weight is (area element of the level set) / sqrt(det(J Jᵀ)), with the "
            "pseudo-determinant sqrt(det(J Jᵀ)) of g.",
            {f"weight {i}": b.abs_det for i, b in enumerate(branches, 1)})
    steps = steps.then("Each branch contributes f(h(y)) |det Dh(y)| on its own domain.",
                       {f"contribution {i}": b.contribution for i, b in enumerate(branches, 1)})
    return branches, steps


def _branch(t: Transform, source: SourceDensity, inverse: dict[sp.Symbol, sp.Expr],
            domain: Sequence[sp.Basic], timeout: float | None) -> Branch:
    """The branch ``x = h(y)`` on ``domain`` (exact already: the image of a piece of the support)."""
    branch_t = Transform(t.outputs, tuple(inverse[x] for x in t.inputs), t.inputs, tuple(domain),
                         t.parameters)
    abs_det = volume_element(branch_t, timeout=timeout)
    value = source.pdf.xreplace(inverse) * abs_det
    return Branch(tuple((x, inverse[x]) for x in t.inputs), tuple(domain), abs_det,
                  _tidy(value, t.outputs, domain, timeout))


def _branches_by_inversion(t: Transform, source: SourceDensity, timeout: float | None,
                           coarea: Transform | None) -> tuple[list[Branch], int]:
    branches: list[Branch] = []
    dropped = 0
    for piece, extra in split_abs(t):
        # the map only matters on the support: tell the inversion so
        known = set(piece.domain)
        on_support = replace(piece, domain=piece.domain + tuple(
            c for c in flatten_conditions(list(source.support) + extra) if c not in known
            and c.free_symbols <= set(piece.inputs) | set(piece.parameters)))
        for inverse, domain in inverse_branches(on_support, timeout):
            mapping = dict(inverse)
            carried = list(substitute_conditions(list(source.support) + extra, mapping, evaluate=False))
            conds = list(domain) + carried + list(real_conditions(
                inverse.values(), t.outputs, odd_roots_real=True, nonzero=False))
            simplified = tidy_conditions(conds, t.outputs, up_to_null_sets=True, timeout=timeout)
            if simplified == (sp.false,) or not round_trip_ok(piece, inverse, simplified):
                dropped += 1
                continue
            branch_t = Transform(t.outputs, tuple(inverse[x] for x in t.inputs), t.inputs,
                                 simplified, t.parameters)
            if coarea is None:
                abs_det = volume_element(branch_t, timeout=timeout)
            else:
                abs_det = _tidy(_coarea_factor(coarea, t, inverse, simplified, timeout),
                                t.outputs, simplified, timeout)
            value = source.pdf.xreplace(mapping) * abs_det
            branches.append(Branch(tuple((x, inverse[x]) for x in t.inputs), simplified, abs_det,
                                   _tidy(value, t.outputs, simplified, timeout)))
    check_coverage(t, source.support, branches, timeout)
    return branches, dropped


def _parametrisation_branch(t: Transform, source: SourceDensity, steps: Derivation,
                            timeout: float | None) -> tuple[list[Branch], Derivation]:
    mapping = dict(zip(t.outputs, t.exprs))
    carried = list(substitute_conditions(source.support, mapping, evaluate=False))
    conds = list(t.domain) + carried
    simplified = tidy_conditions(conds, t.inputs, up_to_null_sets=True, timeout=timeout)
    if simplified == (sp.false,):
        raise InversionError(f"the domain of {t} does not meet the support of the density.", value=t)
    abs_det = volume_element(replace(t, domain=tuple(simplified)), timeout=timeout)
    value = source.pdf.xreplace(mapping) * abs_det
    # the density's variables are plain real symbols, so that f(r = -1) is 0, not r*exp(...)
    plain = {v: sp.Symbol(v.name, real=True) for v in t.inputs}
    simplified = substitute_conditions(simplified, plain, evaluate=False)
    branch = Branch(tuple((x, e.xreplace(plain)) for x, e in zip(t.outputs, t.exprs)), simplified,
                    abs_det.xreplace(plain),
                    _tidy(value.xreplace(plain), tuple(plain.values()), simplified, timeout))
    steps = steps.then(
        f"The map gives the old variables ({', '.join(map(str, t.outputs))}) in terms of the new "
        f"ones ({', '.join(map(str, t.inputs))}); it is taken as one-to-one on its domain "
        f"({_conds_text(t.domain)}), so it is the only branch (verify_density checks this).",
        {"|det J|": abs_det})
    steps = steps.then("Substitute into the density and multiply by |det J|.",
                       {"f_new": branch.contribution})
    return [branch], steps


def _tidy(value: sp.Expr, variables: Sequence[sp.Symbol], support: Sequence[sp.Basic],
          timeout: float | None) -> sp.Expr:
    twins = assume_support(variables, support)
    e = value.xreplace(twins)
    try:
        with time_limit(min(timeout or 10.0, 10.0), "simplifying the density"):
            e = sp.simplify(sp.expand_power_base(sp.powdenest(e), force=False))
    except (SymjacTimeoutError, NotImplementedError, TypeError, ValueError):
        pass
    return _abs_inside(e.xreplace({twin: v for v, twin in twins.items()}))


def _abs_inside(e: sp.Expr) -> sp.Expr:
    """``|a**r|`` as ``|a|**r`` for real ``a`` and ``r``: equal, and real where ``a < 0``, so that a
    numeric evaluation does not meet the square root of a negative number."""
    return e.replace(
        lambda a: isinstance(a, sp.Abs) and a.args[0].is_Pow and a.args[0].base.is_extended_real
        and a.args[0].exp.is_real and not a.args[0].exp.is_integer,
        lambda a: sp.Abs(a.args[0].base) ** a.args[0].exp)


def _assemble(branches: list[Branch], keep: tuple[sp.Symbol, ...], drop: tuple[sp.Symbol, ...],
              steps: Derivation, timeout: float | None
              ) -> tuple[sp.Expr, tuple[sp.Basic, ...], bool, Derivation]:
    cases = [(b.contribution, list(b.domain)) for b in branches]
    if len(keep) == 1 and len(drop) <= 1:
        y = keep[0]
        w = drop[0] if drop else None
        try:
            pieces = line_pieces(cases, y, w, timeout=timeout)
        except Unsupported:
            pieces = None
        if pieces is not None:
            pdf, support = pieces_to_piecewise(pieces, y)
            closed = all(p.closed for p in pieces)
            if w is not None:
                steps = steps.then(
                    f"Integrate {w} out over its range on each piece of the line"
                    + ("" if closed else " (an integral is left for numeric evaluation)") + ".",
                    {f"on ({sp.sstr(p.low)}, {sp.sstr(p.high)})": p.expr for p in pieces})
            elif len(branches) > 1:
                steps = steps.then("Add the branches where their domains overlap.")
            steps = steps.then("The density, 0 outside its support:", {"f": pdf})
            return pdf, support, closed, steps
    if drop:
        value = sp.Add(*[sp.Piecewise((e, sp.And(*c)), (0, True)) for e, c in cases])
        if len(keep) == 1:
            pieces = _integrate_all(value, keep[0], drop, timeout)
            if pieces:
                pdf, support = pieces_to_piecewise(pieces, keep[0])
                steps = steps.then(
                    f"Integrate {', '.join(map(str, drop))} out over the region where the "
                    "density is positive; the result changes form where the bounds cross.",
                    {f"on ({sp.sstr(p.low)}, {sp.sstr(p.high)})": p.expr for p in pieces})
                steps = steps.then("The density, 0 outside its support:", {"f": pdf})
                return pdf, support, True, steps
        integral = sp.Integral(value, *[(w, -sp.oo, sp.oo) for w in drop])
        steps = steps.then("Integrate the auxiliary variables out (kept as an integral, "
                           "evaluated numerically).", {"f": integral})
        return integral, (), False, steps
    try:
        with time_limit(min(timeout or 10.0, 10.0), "joining the branches"):
            cases = _merge_complementary(cases)
    except SymjacTimeoutError:
        pass
    if len({tuple(c) for _, c in cases}) == 1:
        support = tuple(cases[0][1])
        total = _tidy(sp.Add(*[e for e, _ in cases]), keep, support, timeout)
        pdf = sp.Piecewise((total, sp.And(*support)), (0, True))
    else:
        pdf = sp.piecewise_fold(sp.Add(*[sp.Piecewise((e, sp.And(*c)), (0, True)) for e, c in cases]))
        support = (sp.Or(*[sp.And(*c) for _, c in cases]),)
    steps = steps.then("The density, 0 outside its support:", {"f": pdf})
    return pdf, support, True, steps


def _integrate_all(value: sp.Expr, y: sp.Symbol, drop: tuple[sp.Symbol, ...],
                   timeout: float | None) -> list | None:
    """Several auxiliaries integrated out at once by SymPy (time-bounded), as pieces in ``y``."""
    try:
        with time_limit(min(timeout or 20.0, 20.0), "integrating the auxiliary variables out"):
            result = sp.integrate(value, *[(w, -sp.oo, sp.oo) for w in drop])
    except (SymjacTimeoutError, NotImplementedError, ValueError, TypeError):
        return None
    if result.has(sp.Integral, sp.nan, sp.zoo) or result.free_symbols - {y}:
        return None  # with parameters the crossings of Max/Min would depend on them
    return max_min_pieces(result, y, timeout=timeout)


def _merge_complementary(cases: list[tuple[sp.Expr, list[sp.Basic]]]
                         ) -> list[tuple[sp.Expr, list[sp.Basic]]]:
    """Join two equal contributions on ``e > 0`` and ``e < 0`` (the rest of their domains equal):
    together they hold everywhere but on ``e = 0``, which has measure zero."""
    cases = list(cases)
    changed = True
    while changed:
        changed = False
        for i in range(len(cases)):
            for j in range(i + 1, len(cases)):
                (e1, c1), (e2, c2) = cases[i], cases[j]
                only1 = [c for c in c1 if c not in c2]
                only2 = [c for c in c2 if c not in c1]
                if len(only1) != 1 or len(only2) != 1 or not (e1 - e2).equals(0):
                    continue
                a, b = only1[0], only2[0]
                if isinstance(a, sp.Rel) and isinstance(b, sp.Rel) and \
                        sp.simplify(_positive_part(a) + _positive_part(b)) == 0:
                    common = [c for c in c1 if c in c2]
                    cases[i] = (e1, common)
                    del cases[j]
                    changed = True
                    break
            if changed:
                break
    return cases


def _positive_part(c: sp.Rel) -> sp.Expr:
    if isinstance(c, (sp.StrictGreaterThan, sp.GreaterThan)):
        return c.lhs - c.rhs
    if isinstance(c, (sp.StrictLessThan, sp.LessThan)):
        return c.rhs - c.lhs
    return sp.nan


def _family_of(pdf: sp.Expr, variables: tuple[sp.Symbol, ...], support: tuple[sp.Basic, ...]
               ) -> Family | None:
    if pdf.has(sp.Integral):
        return None
    box = support_intervals(support, variables)
    if box is None:
        return None
    twins = assume_support(variables, support)
    if not isinstance(pdf, sp.Piecewise):
        value = pdf
    elif len(pdf.args) == 2 and pdf.args[1].expr == 0:
        value = pdf.args[0].expr
    elif len(variables) == 1:
        value = pdf
    else:
        return None
    fam = recognise_family(value.xreplace(twins), tuple(twins.get(v, v) for v in variables),
                           {twins.get(v, v): b for v, b in box.items()})
    if fam is None:
        return None
    back = {twin: v for v, twin in twins.items()}
    return _rename_family(fam, back)


def _rename_family(fam: Family, back: dict) -> Family:
    return Family(fam.name, tuple((k, sp.sympify(v).xreplace(back)) for k, v in fam.parameters),
                  tuple(back.get(v, v) for v in fam.variables),
                  tuple(_rename_family(c, back) for c in fam.components))


# ---------------------------------------------------------------------------- normalising flows


@dataclass(frozen=True)
class LogAbsDetJacobian:
    """``log|det J|`` of a square map, symbolic and as a NumPy function.

    Attributes:
        expr: The symbolic ``log|det J|`` in ``inputs``.
        inputs: The variables, in the order the NumPy function takes them.
        parameters: Extra symbols the function takes after the inputs.
    """

    expr: sp.Expr
    inputs: tuple[sp.Symbol, ...]
    parameters: tuple[sp.Symbol, ...] = ()
    _function: object = field(default=None, compare=False, repr=False)

    def __call__(self, points: object, *params: float) -> np.ndarray:
        """Evaluate at ``points`` of shape ``(..., n)`` (batch first), parameters after."""
        x = np.asarray(points, dtype=float)
        if x.shape[-1] != len(self.inputs):
            raise DimensionError(f"expected points with a last axis of length {len(self.inputs)} "
                                 f"({', '.join(map(str, self.inputs))}), got shape {x.shape}.",
                                 value=x.shape)
        with np.errstate(divide="ignore"):
            out = self._function(*np.moveaxis(x, -1, 0), *params)  # type: ignore[operator]
        return np.broadcast_to(np.asarray(out, dtype=float), x.shape[:-1]).copy()


def log_abs_det_jacobian(t: Transform, *, timeout: float | None = DEFAULT_TIMEOUT) -> LogAbsDetJacobian:
    """``log|det J|`` of a square map and a vectorised NumPy function for it.

    This is the term a normalising flow adds to the log-density:
    ``log f_Y(g(x)) = log f_X(x) - log|det J_g(x)|``.

    Raises:
        DimensionError: If the map is not square.

    >>> import numpy as np
    >>> from symjac import Transform, log_abs_det_jacobian
    >>> flow = log_abs_det_jacobian(Transform.from_equations("u = exp(a)*x, v = y + x**2",
    ...                                                      inputs="x y"))
    >>> flow.expr
    a
    >>> flow(np.array([[0.5, 1.0], [2.0, 3.0]]), 0.25)
    array([0.25, 0.25])
    """
    if not isinstance(t, Transform):
        raise DimensionError(f"expected a Transform, got {type(t).__name__}.", value=t)
    if not t.is_square:
        raise DimensionError(f"log|det J| needs a square map; {t} has {len(t.inputs)} inputs and "
                             f"{len(t.outputs)} outputs.", value=t)
    vol = volume_element(t, timeout=timeout)
    with time_limit(timeout, "taking log|det J|"):
        expr = sp.expand_log(sp.log(vol), force=False)
        expr = sp.simplify(expr) if sp.count_ops(expr) < 60 else expr
    params = tuple(sorted(expr.free_symbols - set(t.inputs), key=str))
    fn = sp.lambdify(t.inputs + params, expr, modules="numpy")
    return LogAbsDetJacobian(expr, t.inputs, params, fn)
