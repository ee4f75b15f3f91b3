"""Reading an integral as the caller gave it: a SymPy ``Integral``, its text, or an integrand
with a region, all on one path.

Symbols are matched by name whatever their assumptions, so an integral built with plain
``sympy.symbols`` means the same as its text; ``callers_symbols`` remembers the caller's own
symbols so that results can be given back in them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import sympy as sp

from ..errors import DimensionError, DomainError, ParseError
from ..parsing import parse_conditions, parse_expression
from ..regions.region import Region
from ..timeouts import DEFAULT_TIMEOUT
from ..transform import Transform

__all__ = ["read_integral", "callers_symbols", "by_name"]


def by_name(e: sp.Basic, symbols: Mapping[str, sp.Symbol]) -> sp.Basic:
    """``e`` with every symbol, bound ones (an ``Integral``'s variables) included, replaced by the
    symbol of the same name in ``symbols``."""
    mapping = {s: symbols[s.name] for s in e.atoms(sp.Symbol)
               if s.name in symbols and symbols[s.name] != s}
    return e.xreplace(mapping) if mapping else e


def callers_symbols(*given: object) -> dict[str, sp.Symbol]:
    """The caller's own symbols, by name, in the SymPy objects among ``given`` (none for text)."""
    found: dict[str, sp.Symbol] = {}
    for g in given:
        if isinstance(g, tuple):
            found.update(callers_symbols(*g))
        elif isinstance(g, Region):
            found.update({s.name: s for s in g.variables})
            found.update({s.name: s for s in g.parameters})
        elif isinstance(g, sp.Basic):
            found.update({s.name: s for s in g.atoms(sp.Symbol)})
    return found

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
    integral = by_name(_as_sympy(integral, symbols), symbols)
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
    return integrand, _read_region(region, integrand, symbols, variables, timeout)


def _as_sympy(integral: object, symbols: Mapping[str, sp.Symbol]) -> sp.Basic:
    """The integral or integrand as a SymPy object: text read safely, anything else sympified
    strictly (a ParseError for what is neither)."""
    if isinstance(integral, str):
        integral = parse_expression(integral, symbols=symbols or None)
    try:
        return sp.sympify(integral, strict=True)
    except (sp.SympifyError, TypeError):
        raise ParseError(f"{integral!r} is not an integral or an integrand.", text=str(integral),
                         hint="Pass text like 'Integral(x*y, (x, 0, 1), (y, 0, 1))'.") from None


def _read_region(region: object, integrand: sp.Expr, symbols: Mapping[str, sp.Symbol],
                 variables: Sequence[str] | None, timeout: float | None) -> Region:
    """The region given with an integrand: a Region, inequalities (text or a list), or nothing
    written at all (the whole space of the integration variables)."""
    if isinstance(region, Region):
        return region.rename(symbols)
    if not isinstance(region, (str, list, tuple)):
        raise DomainError(f"region must be a Region or inequalities as text, got "
                          f"{type(region).__name__}.", value=region)
    texts = region if isinstance(region, str) else None
    if not region or (isinstance(region, str) and not region.strip()):
        names = variables if variables is not None else _names_in(integrand, [])
        return Region.whole_space([symbols.get(str(n), sp.Symbol(str(n), real=True)) for n in names])
    if variables is None:
        variables = _names_in(integrand, texts if texts else region)
    else:
        variables = [v.name if isinstance(v, sp.Symbol) else str(v) for v in variables]
    return Region.from_inequalities(region, variables=list(variables), symbols=symbols or None,
                                    timeout=timeout)


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
    elif isinstance(region, (list, tuple)):
        names |= {s.name for c in region if isinstance(c, sp.Basic) for s in c.free_symbols}
    return names



def _vs(symbols: Sequence[sp.Symbol]) -> str:
    return ",".join(str(s) for s in symbols)
