"""Probability densities under a change of variables, with every branch and the support.

``transform_density(pdf, t)`` gives the density of ``Y = g(X)``:
``f_Y(y) = Σ_k f_X(h_k(y)) |det Dh_k(y)|`` over every real inverse branch
``h_k``, each on its own piece of the support, as a ``Piecewise`` that is 0
outside the support. Maps to fewer variables (``Y = X1 + X2``) are completed
with auxiliary variables that are integrated out over their exact range.
Standard families (χ², Gamma, Beta, Cauchy, ...) are recognised by name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import sympy as sp

from ..result import Result
from ..domains import assume_support, sign_on, support_intervals
from ..derivation import Derivation, Tex, density_name
from ..errors import (DimensionError, InversionError, SymjacError, SymjacTimeoutError)
from .families import Family, recognise_family
from .marginals import Unsupported, line_pieces, max_min_pieces, pieces_to_piecewise
from ..timeouts import DEFAULT_TIMEOUT, time_limit
from ..transform import Transform, require_transform

from .branches import (Branch, _abs_inside, _complete, _differentiable_form, _forward_branches,
                       _marginal_names,
                       _parametrisation_branch, _tidy)
from .flows import LogAbsDetJacobian, log_abs_det_jacobian
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
            lines.append(f"family: {self.family}")
        return "\n".join(lines)

    @property
    def value(self) -> sp.Expr:
        """The density on its support (the ``Piecewise`` without its zero part, if single)."""
        if isinstance(self.pdf, sp.Piecewise) and len(self.pdf.args) == 2 and self.pdf.args[1].expr == 0:
            return self.pdf.args[0].expr
        return self.pdf

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


def _support_text(d: Density) -> str:
    if not d.support_known:
        return "not worked out (the density is left as an integral)"
    return ", ".join(sp.sstr(c) for c in d.support) or "everywhere"


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
    if forward:
        source, branches, steps, new_vars, auxiliary = _forward(expr, conds, t, method, timeout)
    else:
        source, branches, steps, new_vars, auxiliary = _backward(expr, conds, t, timeout)
    to_drop = _marginal_names(marginalize, new_vars) + tuple(w for w, _ in auxiliary)
    keep = tuple(v for v in new_vars if v not in to_drop)
    pdf_expr, support_c, closed, steps = _assemble(branches, keep, to_drop, steps, timeout)
    support_known = True
    if not closed and not support_c:  # an integral: its support is the image of the source's
        image = _image_support(t, source, keep[0], timeout) if forward and len(keep) == 1 else None
        support_known = image is not None
        support_c = image or ()
    pdf_expr = _abs_inside(pdf_expr)
    if pdf_expr == 0 or any(c is sp.false for c in support_c):
        raise InversionError(
            f"the domains of the {len(branches)} inverse branch{'es' * (len(branches) != 1)} of "
            f"{t} could not be worked out (they came out empty), so no density is given rather "
            "than a density of 0. Restrict the support to a piece where the map is one-to-one.",
            value=t, tried=("invert", "branch domains"))
    family = _family_of(pdf_expr, keep, support_c)
    if family is not None:
        steps = steps.then("This is the {family} density.", family=family)
    return Density(pdf_expr, keep, support_c, tuple(branches), family, source, t, forward,
                   auxiliary, to_drop, closed, steps, support_known)


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
                    "Integrate {w} out over its range on each piece of the line"
                    + ("" if closed else " (an integral is left for numeric evaluation)") + ":",
                    [(_interval(y, p), p.expr) for p in pieces], w=w)
            steps = steps.then("The density, 0 outside its support:", [(density_name(keep), pdf)])
            return pdf, support, closed, steps
    if drop:
        value = sp.Add(*[sp.Piecewise((e, sp.And(*c)), (0, True)) for e, c in cases])
        if len(keep) == 1:
            pieces = _integrate_all(value, keep[0], drop, timeout)
            if pieces:
                pdf, support = pieces_to_piecewise(pieces, keep[0])
                steps = steps.then(
                    "Integrate {drop} out over the region where the density is positive; the "
                    "result changes form where the bounds cross:",
                    [(_interval(keep[0], p), p.expr) for p in pieces], drop=drop)
                steps = steps.then("The density, 0 outside its support:", [(density_name(keep), pdf)])
                return pdf, support, True, steps
        integral = sp.Integral(value, *[(w, -sp.oo, sp.oo) for w in drop])
        steps = steps.then("Integrate the auxiliary variables out (kept as an integral, "
                           "evaluated numerically):", [(density_name(keep), integral)])
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
    steps = steps.then("The density, 0 outside its support:", [(density_name(keep), pdf)])
    return pdf, support, True, steps


def _interval(y: sp.Symbol, piece: object) -> Tex:
    """The label of a piece of a density: ``low < y < high``."""
    from ..latex import latex_expr

    low, high = piece.low, piece.high  # type: ignore[attr-defined]
    return Tex(f"{latex_expr(low)} < {latex_expr(y)} < {latex_expr(high)}",
               f"{sp.sstr(low)} < {y} < {sp.sstr(high)}")


def _image_support(t: Transform, source: SourceDensity, y: sp.Symbol, timeout: float | None
                   ) -> tuple[sp.Basic, ...] | None:
    """The support of a one-variable density left as an integral: the image of the source's
    support under the map, known without the integral. When the support is a box and the map is
    monotone in each variable there, the image is the interval between the map's values at the
    box's corners; otherwise ``(Unknown,)`` is returned: never an unfounded "everywhere"."""
    g = t.exprs[0]
    box = support_intervals(source.support, t.inputs)
    if box is None:
        return None
    symbols = sorted(g.free_symbols | set().union(*(c.free_symbols for c in source.support)),
                     key=str)
    signed = assume_support(symbols, source.support)  # x1 > 0 known to the limits
    back = {v: k for k, v in signed.items()}
    g = g.xreplace(signed)
    try:
        with time_limit(min(timeout or 10.0, 10.0), "finding the support as an image"):
            low, high = g, g
            for x in t.inputs:
                slope = sign_on(sp.diff(g, x).xreplace(back), source.support, samples=0)
                lo, hi = box[x]
                x = signed.get(x, x)
                if slope.is_nonnegative:
                    low, high = sp.limit(low, x, lo, "+"), sp.limit(high, x, hi, "-")
                elif slope.is_nonpositive:
                    low, high = sp.limit(low, x, hi, "-"), sp.limit(high, x, lo, "+")
                else:
                    return None
    except (SymjacTimeoutError, NotImplementedError, ValueError, TypeError):
        return None
    low, high = low.xreplace(back), high.xreplace(back)
    if low.has(sp.Limit) or high.has(sp.Limit) or low.free_symbols & set(t.inputs) \
            or high.free_symbols & set(t.inputs):
        return None
    return tuple(c for c in (sp.Gt(y, low) if low != -sp.oo else sp.true,
                             sp.Lt(y, high) if high != sp.oo else sp.true) if c is not sp.true)


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
