"""Reading the density of the old variables: text, a SymPy expression, sympy.stats variables or
one joint distribution, with its support and the parameters' conditions."""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from ..domains import (flatten_conditions, substitute_conditions)
from ..errors import (DimensionError, ParseError)
from .families import Family
from ..parsing import parse_conditions, parse_expression, symbols_from_conditions
from ..transform import Transform


__all__ = ['SourceDensity']


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
    by_name = _by_name(t)
    expr, conds = _read_pdf(pdf, t, by_name)
    conds += _read_support(support, by_name)
    if isinstance(expr, sp.Piecewise):
        expr, conds = _strip_piecewise(expr, conds)
    mapping = _parameter_symbols(expr, conds, t)
    expr = expr.xreplace(mapping)
    conds = list(substitute_conditions(conds, mapping, evaluate=False))
    t = _retarget(t, mapping)
    variables = set(t.inputs) | set(t.outputs)
    named = set(t.parameters)
    extra = sorted((expr.free_symbols | set().union(*(c.free_symbols for c in conds)))
                   - variables - named, key=str)
    if extra:  # parameters of the density (rho in -1 < rho < 1) are parameters of the map too
        t = Transform(t.inputs, t.exprs, t.outputs, t.domain, t.parameters + tuple(extra), t.name)
    return expr, tuple(conds), t, None


def _read_pdf(pdf: object, t: Transform, by_name: dict[str, sp.Symbol]
              ) -> tuple[sp.Expr, list[sp.Basic]]:
    """The density as an expression in ``t``'s symbols, and the conditions it came with."""
    from sympy.stats.rv import RandomSymbol

    rvs = [pdf] if isinstance(pdf, RandomSymbol) else \
        list(pdf) if isinstance(pdf, (list, tuple)) and pdf and \
        all(isinstance(p, RandomSymbol) for p in pdf) else None
    if rvs is not None and len(rvs) == 1 and _is_joint(rvs[0]):
        return _from_joint(rvs[0], t)
    if rvs is not None:
        return _from_random_variables(rvs, by_name)
    if isinstance(pdf, str):
        return parse_expression(pdf, symbols=by_name), []
    if isinstance(pdf, sp.Expr):
        return pdf.xreplace({s: by_name[s.name] for s in pdf.free_symbols if s.name in by_name}), []
    if isinstance(pdf, (int, float)) and not isinstance(pdf, bool):
        return sp.nsimplify(pdf), []
    raise ParseError(f"cannot read a density from {type(pdf).__name__} {pdf!r:.60}. Pass text "
                     "such as 'exp(-x**2/2)/sqrt(2*pi)', a SymPy expression, or sympy.stats "
                     "random variables.", text=str(pdf)[:80],
                     expected="text, a SymPy expression or sympy.stats random variables")


def _read_support(support: object, by_name: dict[str, sp.Symbol]) -> list[sp.Basic]:
    """The support conditions (text, SymPy relations, or a list of either) in ``t``'s symbols."""
    if support is None:
        return []
    if isinstance(support, str):
        return list(parse_conditions(support, symbols=by_name))
    conds: list[sp.Basic] = []
    for c in (support if isinstance(support, (list, tuple)) else [support]):
        if isinstance(c, str):
            conds += list(parse_conditions(c, symbols=by_name))
        else:
            c = sp.sympify(c)
            conds += flatten_conditions([c.xreplace(
                {s: by_name[s.name] for s in c.free_symbols if s.name in by_name})])
    return conds


def _parameter_symbols(expr: sp.Expr, conds: list[sp.Basic], t: Transform) -> dict:
    """``{parameter: twin}``: conditions that mention only parameters become assumptions
    (``lam > 0`` makes ``lam`` positive); other parameters become real."""
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
    return mapping


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
