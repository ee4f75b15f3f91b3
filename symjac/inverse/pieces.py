"""Inverse branches whose values do not overlap, joined into one branch given by cases.

A solver finds ``u = x**3`` as two formulas: ``x = u**(1/3)`` for ``u >= 0`` and
``x = -(-u)**(1/3)`` for ``u < 0``. Their domains (the values of ``u`` they
cover) do not overlap, so together they are one inverse, the real cube root:
``x = Piecewise((u**(1/3), u >= 0), (-(-u)**(1/3), True))``. ``join_branches``
makes that one branch and keeps the formulas it was made of as its
``pieces``, for callers that want one plain formula per case (integrals,
densities). Branches are joined only when their domains are *proved*
disjoint (two one-variable conditions with no common value), so no value of
the outputs ever loses a preimage.
"""

from __future__ import annotations

from dataclasses import replace

import sympy as sp

from ..domains.signs import substitute_condition
from .branches import InverseBranch, Options, certify
from ..transform import Transform

__all__ = ["join_branches", "flat_pieces"]


def join_branches(t: Transform, branches, opts: Options) -> list[InverseBranch]:
    """``branches`` with those of pairwise disjoint domains joined into one branch by cases.

    >>> from symjac import Transform, inversion
    >>> (b,) = inversion(Transform.from_equations("u = x**3")).branches
    >>> b.transform.exprs[0]
    Piecewise((u**(1/3), u >= 0), (-(-u)**(1/3), True))
    >>> [p.transform.domain for p in b.pieces]
    [(u >= 0,), (u < 0,)]
    """
    branches = list(branches)
    if len(branches) < 2:
        return branches
    plain = {s.name: sp.Symbol(s.name, real=True) for s in t.outputs}
    domains = [_plain_domain(b, plain) for b in branches]
    groups: list[list[int]] = []
    for i in range(len(branches)):
        for g in groups:
            if all(_disjoint(domains[i], domains[j], plain) for j in g):
                g.append(i)
                break
        else:
            groups.append([i])
    out = []
    for g in groups:
        if len(g) == 1:
            out.append(branches[g[0]])
            continue
        try:
            out.append(_joined(t, [branches[i] for i in g], [domains[i] for i in g], plain, opts))
        except (ValueError, TypeError, NotImplementedError):
            out.extend(branches[i] for i in g)
    return out


def _plain_domain(b: InverseBranch, plain: dict[str, sp.Symbol]) -> tuple[sp.Basic, ...]:
    mapping = _to_plain(b.transform, plain)
    return tuple(substitute_condition(c, mapping) for c in b.transform.domain)


def _to_plain(bt: Transform, plain: dict[str, sp.Symbol]) -> dict[sp.Symbol, sp.Symbol]:
    return {s: plain[s.name] for s in bt.inputs if s.name in plain}


def _univariate(conds, y: sp.Symbol) -> sp.Basic:
    return sp.And(*[c for c in conds if c.free_symbols == {y}])


def _disjoint(a, b, plain: dict[str, sp.Symbol]) -> bool:
    """True if the conditions on one output variable of ``a`` and of ``b`` have no common value."""
    for y in plain.values():
        ca, cb = _univariate(a, y), _univariate(b, y)
        if ca is sp.true or cb is sp.true:
            continue
        try:
            if sp.And(ca, cb).as_set() is sp.S.EmptySet:
                return True
        except (NotImplementedError, TypeError, ValueError):
            continue
    return False


def _as_conditions(cond: sp.Basic) -> tuple[sp.Basic, ...]:
    if cond is sp.true:
        return ()
    flat = cond.args if isinstance(cond, sp.And) else (cond,)
    # the variable on the left, as in the other branches' domains: u >= -1, not -1 <= u
    flat = tuple(c.reversed if isinstance(c, sp.Rel) and c.lhs.is_number and c.rhs.is_Symbol
                 else c for c in flat)
    return tuple(c for c in flat if c is not sp.true and not c.has(sp.oo, -sp.oo))


def _union(parts, plain: dict[str, sp.Symbol]) -> tuple[sp.Basic, ...]:
    """The conditions of the union of ``parts`` (each a tuple of conditions)."""
    free = set().union(*(c.free_symbols for p in parts for c in p))
    if len(free) == 1 and free <= set(plain.values()):
        (y,) = free
        whole = sp.Union(*(sp.And(*p).as_set() for p in parts))
        return _as_conditions(whole.as_relational(y))
    return _as_conditions(_logic(sp.Or(*(sp.And(*p) for p in parts))))


def _logic(cond: sp.Basic) -> sp.Basic:
    """``cond`` simplified as logic, with ``v < 0`` read as ``not (v >= 0)``: the four
    sign quadrants of (u, v) together are ``True``, two of them ``u >= 0``."""
    atoms: dict[sp.Basic, sp.Basic] = {}
    back: dict[sp.Symbol, sp.Basic] = {}

    def atom(r: sp.Basic) -> sp.Basic:
        if r in atoms:
            return atoms[r]
        neg = r.negated if isinstance(r, sp.Rel) else None
        if neg is not None and neg in atoms:
            return sp.Not(atoms[neg])
        a = sp.Dummy(f"c{len(atoms)}")
        atoms[r], back[a] = a, r
        return a

    rels = sorted(cond.atoms(sp.Rel), key=sp.default_sort_key)
    rels.sort(key=lambda r: not isinstance(r, (sp.GreaterThan, sp.StrictGreaterThan, sp.Ne)))
    try:
        boolean = cond.xreplace({r: atom(r) for r in rels})
        simple = sp.simplify_logic(boolean, force=len(atoms) <= 6)
    except (TypeError, ValueError, AttributeError):
        return cond
    return simple.xreplace(back)


def _case(own, union_set: sp.Set | None, y: sp.Symbol | None) -> sp.Basic:
    """The shortest condition that singles out ``own`` inside the union."""
    cond = sp.And(*own)
    if union_set is None:
        return cond
    target = cond.as_set() & union_set
    for c in own:
        if (c.as_set() & union_set) == target:
            return c
    return cond


def _joined(t: Transform, group, domains, plain: dict[str, sp.Symbol], opts: Options
            ) -> InverseBranch:
    common = [c for c in domains[0] if all(c in d for d in domains[1:])]
    rests = [tuple(c for c in d if c not in common) for d in domains]
    cases = _cases(rests)
    exprs = [_by_cases([(b.transform.exprs[k].xreplace(_to_plain(b.transform, plain)), c)
                        for b, c in zip(group, cases)]) for k in range(len(t.inputs))]
    dets = _by_cases([(b.determinant.xreplace(_to_plain(b.transform, plain)), c)
                      for b, c in zip(group, cases)])
    union = _union(rests, plain)
    domain = tuple(common) + tuple(c for c in union if c not in common)
    new_inputs = tuple(plain[s.name] for s in t.outputs)
    branch = Transform(new_inputs, tuple(exprs), t.inputs, domain, t.parameters,
                       name=group[0].transform.name)
    sources = [b.source for b in group]
    source = () if any(not s for s in sources) else _source_union(t, sources)
    certificate = certify(t, branch, t.domain + source, dets, opts.timeout,
                          seed=opts.seed, n=opts.points)
    if not certificate.symbolic and all(b.certificate.symbolic for b in group):
        # each case was proved on its own domain, and the cases pick those domains apart
        certificate = replace(certificate, symbolic=True)
    return InverseBranch(branch, source, dets, certificate, pieces=tuple(group))


def _cases(rests) -> list[sp.Basic]:
    """The condition of each case: with one output variable, the shortest that singles out its
    part of the union; otherwise all its own conditions."""
    free = set().union(*(c.free_symbols for r in rests for c in r))
    if len(free) != 1:
        return [_case(r, None, None) for r in rests]
    (y,) = free
    union_set = sp.And(*rests[0]).as_set()
    for r in rests[1:]:
        union_set = union_set | sp.And(*r).as_set()
    return [_case(r, union_set, y) for r in rests]


def _by_cases(arms: list[tuple[sp.Expr, sp.Basic]]) -> sp.Expr:
    """One Piecewise from disjoint arms: arms with the same formula share one case, each
    case's condition is simplified, and the last case is 'otherwise'."""
    merged: dict[sp.Expr, list[sp.Basic]] = {}
    for e, c in arms:
        merged.setdefault(e, []).append(c)
    if len(merged) == 1:
        return next(iter(merged))
    items = [(e, _logic(sp.Or(*cs))) for e, cs in merged.items()]
    # a one-line condition first, then the rest; the last is 'otherwise'
    items.sort(key=lambda item: sp.count_ops(item[1]))
    return sp.Piecewise(*[(e, c) for e, c in items[:-1]], (items[-1][0], True))


def _source_union(t: Transform, sources) -> tuple[sp.Basic, ...]:
    """Where the joined pieces come from, in the original inputs (() for the whole domain)."""
    free = set().union(*(c.free_symbols for s in sources for c in s)) - set(t.parameters)
    if len(free) == 1 and len(t.inputs) == 1:
        (x,) = t.inputs
        try:
            whole = sp.Union(*(sp.And(*s).as_set() for s in sources))
            domain_set = sp.And(*[c for c in t.domain if c.free_symbols == {x}]).as_set()
        except (NotImplementedError, TypeError, ValueError):
            return (sp.Or(*(sp.And(*s) for s in sources)),)
        if domain_set.is_subset(whole):
            return ()
        return _as_conditions((whole & domain_set).as_relational(x))
    return _as_conditions(sp.Or(*(sp.And(*s) for s in sources)))


def flat_pieces(branches) -> tuple[InverseBranch, ...]:
    """Every branch, with a joined branch replaced by its pieces."""
    return tuple(p for b in branches for p in (b.pieces or (b,)))

