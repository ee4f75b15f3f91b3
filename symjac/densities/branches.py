"""The branches of a density: each inverse branch of the map with its piece of the support and
``|det Dh|``, for maps Y = g(X), parametrisations, and maps completed with auxiliary variables."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import sympy as sp

from ..domains import about_variables, assume_support, substitute_conditions, tidy_conditions
from ..inverse import Certificate, InverseBranch, covering_branches
from ..derivation import Derivation, Tex, density_name
from ..latex import latex_expr
from ..errors import (DimensionError, DomainError, InversionError, SymjacTimeoutError)
from ..jacobian import jacobian_determinant, volume_element
from ..timeouts import time_limit
from ..transform import Transform

from .source import SourceDensity

__all__ = ['Branch']


@dataclass(frozen=True)
class Branch:
    """One inverse branch ``x = h(y)`` and what it contributes.

    Attributes:
        inverse: ``(old variable, expression in the new variables)`` pairs.
        domain: Where the branch contributes (conditions on the new variables).
        abs_det: ``|det Dh(y)|``, the Jacobian factor of the branch.
        contribution: ``f_X(h(y)) |det Dh(y)|`` on ``domain``.
        certificate: How the inverse layer accepted the branch (its strategy and round-trip
            evidence); None for a parametrisation, which is taken as one-to-one.
    """

    inverse: tuple[tuple[sp.Symbol, sp.Expr], ...]
    domain: tuple[sp.Basic, ...]
    abs_det: sp.Expr
    contribution: sp.Expr
    certificate: Certificate | None = field(default=None, repr=False)

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
    """The branches of ``Y = g(X)`` on the support: the inverse layer's, each with its share."""
    covering = covering_branches(t, source.support, timeout)
    branches = [_branch(t, source, b, coarea, timeout) for b in covering.branches]
    if not branches:
        raise InversionError(f"no inverse branch of {t} lands in the support "
                             f"({_conds_text(source.support)}); the new variables have no density "
                             "there. Check the support and the map.", value=t)
    return branches, _branch_steps(t, branches, covering.dropped, coarea, steps)


def _branch_steps(t: Transform, branches: list[Branch], dropped: int, coarea: Transform | None,
                  steps: Derivation) -> Derivation:
    """The steps of the branch rule: each inverse with its domain, its Jacobian factor, its share."""
    many = len(branches) > 1
    text = (f"Invert the map: {len(branches)} real branch{'es' * many}"
            + (f" ({dropped} more never meet the support)" if dropped else "")
            + (", {inverse}, each on its own domain:" if many else ", {inverse}, on its domain:"))
    ks = list(enumerate(branches, 1)) if many else [(None, branches[0])]
    ys = t.outputs
    steps = steps.then(text, [(_h(k, ys, x), _on(e, b.domain)) for k, b in ks for x, e in b.inverse],
                       inverse=_inverse_name(t.inputs, ys, many))
    xs = t.inputs
    if coarea is not None:
        steps = steps.then(
            "Coarea form: on the level set {level}, parametrised by the auxiliary variables, the "
            "weight is the area element of the level set divided by the pseudo-determinant "
            "{pdet} of g:", [(_weight(k), b.abs_det) for k, b in ks],
            level=Tex("g = y", "g = y"), pdet=Tex(r"\sqrt{\det\left(J J^{T}\right)}", "sqrt(det(J Jᵀ))"))
    else:
        steps = steps.then("The Jacobian factor of each branch:",
                           [(_factor(k, ys, len(xs) == 1), b.abs_det) for k, b in ks])
    steps = steps.then("Each branch contributes {term} on its own domain:",
                       [(_term(k, xs, ys, coarea is None), b.contribution) for k, b in ks],
                       term=_term("k" if many else None, xs, ys, coarea is None))
    if many:
        fy = density_name(ys)
        steps = steps.then("The density of the new variables is the sum over the branches, {rule}.",
                           rule=Tex(fy.latex + r" = \sum_k " + _term("k", xs, ys, coarea is None).latex,
                                    fy.text + " = sum over k of " + _term("k", xs, ys, coarea is None).text))
    return steps


def _args(ys: Sequence[sp.Symbol]) -> tuple[str, str]:
    return ", ".join(latex_expr(y) for y in ys), ", ".join(map(str, ys))


def _h(k: object, ys: Sequence[sp.Symbol], x: sp.Symbol | None = None) -> Tex:
    """``h_k(y)``, or ``x = h_k(y)`` when the old variable is named."""
    lat, txt = _args(ys)
    sub_l, sub_t = ("" if k is None else f"_{{{k}}}"), ("" if k is None else f"_{k}")
    head_l, head_t = ("" if x is None else latex_expr(x) + " = "), ("" if x is None else f"{x} = ")
    return Tex(f"{head_l}h{sub_l}({lat})", f"{head_t}h{sub_t}({txt})")


def _inverse_name(xs: Sequence[sp.Symbol], ys: Sequence[sp.Symbol], many: bool) -> Tex:
    h = _h("k" if many else None, ys)
    lx = ", ".join(latex_expr(x) for x in xs)
    tx = ", ".join(map(str, xs))
    if len(xs) > 1:
        lx, tx = f"({lx})", f"({tx})"
    return Tex(f"{lx} = {h.latex}", f"{tx} = {h.text}")


def _on(expr: sp.Expr, domain: Sequence[sp.Basic]) -> Tex:
    """A branch's formula with its domain beside it."""
    if not domain:
        return Tex(latex_expr(expr), sp.sstr(expr))
    return Tex(latex_expr(expr) + r"\qquad \text{for } " + latex_expr(tuple(domain)),
               sp.sstr(expr) + "  for  " + ", ".join(sp.sstr(c) for c in domain))


def _factor(k: object, ys: Sequence[sp.Symbol], one: bool) -> Tex:
    """``|h_k′(y)|`` for one variable, ``|det Dh_k(y)|`` for several."""
    lat, txt = _args(ys)
    sub_l, sub_t = ("" if k is None else f"_{{{k}}}"), ("" if k is None else f"_{k}")
    if one:
        return Tex(rf"\left|h{sub_l}'({lat})\right|", f"|h{sub_t}'({txt})|")
    return Tex(rf"\left|\det Dh{sub_l}({lat})\right|", f"|det Dh{sub_t}({txt})|")


def _weight(k: object) -> Tex:
    return Tex("w" + ("" if k is None else f"_{{{k}}}"), "w" + ("" if k is None else f"_{k}"))


def _term(k: object, xs: Sequence[sp.Symbol], ys: Sequence[sp.Symbol], jacobian: bool) -> Tex:
    """``f_X(h_k(y)) |h_k′(y)|``: one branch's share of the new density."""
    fx = density_name(xs)
    head_l = fx.latex[:fx.latex.index("(")]
    head_t = fx.text[:fx.text.index("(")]
    h = _h(k, ys)
    factor = _factor(k, ys, len(xs) == 1) if jacobian else _weight(k)
    return Tex(f"{head_l}\\left({h.latex}\\right) {factor.latex}",
               f"{head_t}({h.text}) {factor.text}")


def _branch(t: Transform, source: SourceDensity, b: InverseBranch, coarea: Transform | None,
            timeout: float | None) -> Branch:
    """The density's branch from an inverse branch on its piece of the support: the Jacobian
    factor ``|det Dh|`` (or the coarea weight) and ``f_X(h(y))`` times it."""
    inverse = dict(zip(t.inputs, b.transform.exprs))
    domain = tuple(b.transform.domain)
    if coarea is None:
        abs_det = volume_element(b.transform, timeout=timeout)
    else:
        abs_det = _tidy(_coarea_factor(coarea, t, inverse, domain, timeout), t.outputs, domain,
                        timeout)
    value = source.pdf.xreplace(inverse) * abs_det
    return Branch(tuple(inverse.items()), domain, abs_det, _tidy(value, t.outputs, domain, timeout),
                  b.certificate)


def _parametrisation_branch(t: Transform, source: SourceDensity, steps: Derivation,
                            timeout: float | None) -> tuple[list[Branch], Derivation]:
    mapping = dict(zip(t.outputs, t.exprs))
    carried = list(substitute_conditions(source.support, mapping, evaluate=False))
    conds = list(t.domain) + carried
    simplified = tidy_conditions(about_variables(conds, t.inputs), t.inputs, up_to_null_sets=True,
                                 timeout=timeout)
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
    from ..derivation import absolute, partial

    factor = absolute(partial(t.outputs, t.inputs))
    steps = steps.then(
        "The map gives the old variables ({old}) in terms of the new ones ({new}); it is taken as "
        "one-to-one on its domain {domain}, so it is the only branch (the numeric check of the "
        "density tests this). Its Jacobian factor:", [(factor, abs_det)],
        old=t.outputs, new=t.inputs, domain=tuple(t.domain))
    steps = steps.then("Substitute into the density and multiply by {factor}:",
                       [(density_name(tuple(plain.values())), branch.contribution)], factor=factor)
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
