"""The ``Transform``: a coordinate map ``outputs = exprs(inputs)`` with its domain.

A Transform has no preferred direction: a parametrisation ``x = r*cos(theta)``
and a substitution ``u = x**2/y`` are both Transforms. It is frozen and
hashable, validated once at construction, and composes with ``compose``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

import sympy as sp

from .result import Result
from .domains.signs import substitute_condition
from .errors import DimensionError, DomainError, ParseError, SymjacTypeError
from .parsing.relations import kept_variables, order_of_appearance, solved_both_ways, solved_relations
from .parsing import format_expression, parse_conditions, parse_expression, parse_equations, parse_symbols, symbols_from_conditions

__all__ = ["Transform", "compose"]

Condition = sp.Basic


@dataclass(frozen=True)
class Transform(Result):
    """A smooth coordinate map ``outputs = exprs(inputs)`` on a domain.

    Attributes:
        inputs: The variables the map takes (``r, theta`` for polar coordinates).
        exprs: One expression per output, in the inputs and parameters.
        outputs: The variables the map gives (``x, y``).
        domain: Conditions on the inputs and parameters (``r > 0``), all of which hold.
        parameters: Other symbols the expressions may use (``a`` in ``x = a*r*cos(t)``).
        name: A label, such as ``"polar"`` for named systems.

    The Jacobian is always ``d outputs / d inputs``.

    >>> import sympy as sp
    >>> from symjac import Transform
    >>> r, t, x, y = sp.symbols("r t x y", positive=True)
    >>> Transform((r, t), (r*sp.cos(t), r*sp.sin(t)), (x, y))
    Transform(x = r*cos(t), y = r*sin(t))
    >>> Transform((r, t), (r*sp.cos(t),), (x, y))
    Traceback (most recent call last):
    ...
    symjac.errors.DimensionError: Transform has 2 outputs (x, y) but 1 expression. Pass one expression per output.
    """

    inputs: tuple[sp.Symbol, ...]
    exprs: tuple[sp.Expr, ...]
    outputs: tuple[sp.Symbol, ...]
    domain: tuple[Condition, ...] = ()
    parameters: tuple[sp.Symbol, ...] = ()
    name: str | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        set_(self, "inputs", _symbol_tuple(self.inputs, "inputs"))
        set_(self, "outputs", _symbol_tuple(self.outputs, "outputs"))
        set_(self, "parameters", _symbol_tuple(self.parameters, "parameters"))
        set_(self, "exprs", tuple(_as_expr(e) for e in _as_tuple(self.exprs)))
        set_(self, "domain", tuple(c for c in (_as_condition(c) for c in _as_tuple(self.domain))
                                   if c is not sp.true))
        if self.name is not None and not isinstance(self.name, str):
            raise SymjacTypeError(f"a Transform's name is text, got {self.name!r}.", value=self.name)
        self._check()

    def _check(self) -> None:
        n_out, n_expr = len(self.outputs), len(self.exprs)
        if n_out != n_expr:
            raise DimensionError(
                f"Transform has {n_out} output{'s' * (n_out != 1)} ({_names(self.outputs)}) but "
                f"{n_expr} expression{'s' * (n_expr != 1)}. Pass one expression per output.",
                value=self.exprs, expected=f"{n_out} expressions")
        if not self.inputs or not self.outputs:
            raise DimensionError("Transform needs at least one input and one output.",
                                 expected="non-empty inputs and outputs")
        seen: dict[str, str] = {}
        for role, group in (("input", self.inputs), ("output", self.outputs),
                            ("parameter", self.parameters)):
            for s in group:
                if s.name in seen:
                    where = (f"appears twice among the {role}s" if seen[s.name] == role
                             else f"is used twice (as {seen[s.name]} and as {role})")
                    raise DimensionError(
                        f"the name {s.name!r} {where}. "
                        "Give inputs, outputs and parameters distinct names.", value=s)
                seen[s.name] = role
        allowed = set(self.inputs) | set(self.parameters)
        for out, e in zip(self.outputs, self.exprs):
            stray = e.free_symbols - allowed
            if stray:
                raise DimensionError(
                    f"the expression for {out} uses {_names(sorted(stray, key=str))}, which "
                    f"{'is' if len(stray) == 1 else 'are'} neither an input ({_names(self.inputs)}) "
                    "nor a parameter. Add it to inputs or to parameters.", value=e)
        for c in self.domain:
            stray = c.free_symbols - allowed
            if stray:
                raise DomainError(
                    f"the domain condition {c} uses {_names(sorted(stray, key=str))}, which is not "
                    f"an input ({_names(self.inputs)}) or parameter. Conditions must be on the inputs.",
                    value=c)

    # ------------------------------------------------------------------ construction

    @classmethod
    def from_equations(
        cls,
        equations: str | Sequence[object] | Mapping[object, object],
        *,
        inputs: str | Sequence[object] | None = None,
        outputs: str | Sequence[object] | None = None,
        domain: str | Sequence[object] | None = None,
        name: str | None = None,
    ) -> Transform:
        """Build a Transform from equations such as ``"u = x**2/y, v = y**2/x"``.

        Args:
            equations: Text (comma, semicolon or newline separated), a list of
                texts or SymPy ``Eq``, or a dict ``{output: expression}``.
            inputs: The input variables (``"u w"`` or symbols). If omitted, the
                free symbols of the right sides in order of appearance. When
                given, every other free symbol is a parameter.
            outputs: Only to check the left sides (order is taken from them).
            domain: Conditions on inputs and parameters, e.g. ``"x > 0, y > 0"``.
                Simple sign conditions become assumptions (``r > 0`` makes r positive).
            name: An optional label.

        Raises:
            ParseError: If the text is not a list of ``name = formula`` equations.
            DimensionError: If variables clash or are missing.

        >>> from symjac import Transform
        >>> T = Transform.from_equations("u = x**2/y, v = y**2/x", domain="x > 0, y > 0")
        >>> T.inputs, T.outputs, T.inputs[0].is_positive
        ((x, y), (u, v), True)
        >>> Transform.from_equations("x = u + w*cos(alpha)", inputs="u w").parameters
        (alpha,)
        """
        pairs, order_text = _read_equations(equations)
        pairs = solved_both_ways(pairs, inputs, outputs, order_text)
        lhs = tuple(p[0] for p in pairs)
        rhs = tuple(p[1] for p in pairs)
        _check_outputs(outputs, lhs)
        free = set().union(*(e.free_symbols for e in rhs)) if rhs else set()
        conditions = _read_conditions(domain)
        cond_free = set().union(*(c.free_symbols for c in conditions)) if conditions else set()
        ins, params = _inputs_and_parameters(lhs, free, cond_free, inputs, order_text)
        assumed = symbols_from_conditions([s.name for s in ins] + [s.name for s in params], conditions)
        fix = _renaming(assumed, free | cond_free, ins)
        outs = tuple(s if s.is_real else sp.Symbol(s.name, real=True) for s in lhs)
        return cls(
            inputs=tuple(assumed[s.name] for s in ins),
            exprs=tuple(fix(e) for e in rhs),
            outputs=outs,
            domain=tuple(fix(c) for c in conditions),
            parameters=tuple(assumed[p.name] for p in params),
            name=name,
        )

    # ------------------------------------------------------------------ views

    @property
    def dims(self) -> tuple[int, int]:
        """``(number of inputs, number of outputs)``."""
        return len(self.inputs), len(self.outputs)

    @property
    def is_square(self) -> bool:
        """True when the map has as many inputs as outputs."""
        return len(self.inputs) == len(self.outputs)

    @property
    def condition(self) -> sp.Basic:
        """The domain as one SymPy ``And`` (``True`` when unrestricted)."""
        return sp.And(*self.domain)

    def as_dict(self) -> dict[sp.Symbol, sp.Expr]:
        """``{output: expression}``."""
        return dict(zip(self.outputs, self.exprs))

    def equations(self) -> tuple[sp.Eq, ...]:
        """The map as SymPy equations ``Eq(output, expression)``."""
        return tuple(sp.Eq(o, e, evaluate=False) for o, e in zip(self.outputs, self.exprs))

    def restrict(self, conditions: str | Sequence[object]) -> Transform:
        """The same map on a smaller domain (the new conditions are added).

        >>> from symjac import Transform
        >>> Transform.from_equations("y = x**2").restrict("x > 0").domain
        (x > 0,)
        """
        by_name = {s.name: s for s in self.inputs + self.parameters}
        extra = _read_conditions(conditions, symbols=by_name)
        return replace(self, domain=self.domain + tuple(extra))

    def substitute(self, values: Mapping[object, object]) -> Transform:
        """Give parameters values (``{a: 2}``); the result has those parameters removed."""
        if not isinstance(values, Mapping):
            raise SymjacTypeError(f"substitute() takes a dict such as {{'a': 2}}, got "
                                  f"{type(values).__name__} {values!r:.60}.", value=values,
                                  expected="a dict from parameter names to values")
        by_name = {s.name: s for s in self.parameters}
        mapping = {}
        for key, value in values.items():
            name = key.name if isinstance(key, sp.Symbol) else str(key)
            if name not in by_name:
                raise DimensionError(f"{name!r} is not a parameter of this transform "
                                     f"(parameters: {_names(self.parameters) or 'none'}).", value=key)
            mapping[by_name[name]] = parse_expression(value) if isinstance(value, str) \
                else _as_expr(value)
        domain = tuple(substitute_condition(c, mapping) for c in self.domain)
        return replace(self, exprs=tuple(e.xreplace(mapping) for e in self.exprs),
                       domain=tuple(c for c in domain if c is not sp.true),
                       parameters=tuple(p for p in self.parameters if p not in mapping))

    def __call__(self, *values: object) -> tuple[sp.Expr, ...]:
        """The outputs at the given input values (numbers or expressions)."""
        if len(values) != len(self.inputs):
            raise DimensionError(f"expected {len(self.inputs)} values for ({_names(self.inputs)}), "
                                 f"got {len(values)}.", value=values)
        mapping = dict(zip(self.inputs, (parse_expression(v) if isinstance(v, str) else _as_expr(v)
                                         for v in values)))
        return tuple(e.xreplace(mapping) for e in self.exprs)

    def __str__(self) -> str:
        text = ", ".join(f"{o} = {e}" for o, e in zip(self.outputs, self.exprs))
        if self.domain:
            text += "  on  " + ", ".join(str(c) for c in self.domain)
        return text

    def __repr__(self) -> str:
        return "Transform(" + ", ".join(f"{o} = {e}" for o, e in zip(self.outputs, self.exprs)) + ")"

    def _latex_body(self) -> str:
        from .latex import latex_expr

        body = r",\quad ".join(f"{latex_expr(o)} = {latex_expr(e)}"
                               for o, e in zip(self.outputs, self.exprs))
        if self.domain:
            body += r"\qquad \left(" + latex_expr(tuple(self.domain)) + r"\right)"
        return body

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready description whose strings ``symjac.parsing`` reads back."""
        return {
            "inputs": [s.name for s in self.inputs],
            "outputs": [s.name for s in self.outputs],
            "exprs": [format_expression(e) for e in self.exprs],
            "domain": [format_expression(c) for c in self.domain],
            "parameters": [s.name for s in self.parameters],
            "name": self.name,
        }


def require_transform(value: object, who: str = "this function", *, role: str = "the map") -> Transform:
    """``value`` if it is a Transform; otherwise the one error every entry point gives.

    >>> from symjac.transform import require_transform
    >>> require_transform("u = x + y", "invert")
    Traceback (most recent call last):
      ...
    symjac.errors.SymjacTypeError: invert: expected a Transform as the map, got str 'u = x + y'. Build one with Transform.from_equations('u = x + y, v = x - y') or system('polar').
    """
    if not isinstance(value, Transform):
        raise SymjacTypeError(
            f"{who}: expected a Transform as {role}, got {type(value).__name__} {value!r:.60}. Build one "
            "with Transform.from_equations('u = x + y, v = x - y') or system('polar').",
            value=value, expected="a Transform")
    return value


def compose(outer: Transform, inner: Transform) -> Transform:
    """The map ``outer ∘ inner``: first ``inner``, then ``outer``.

    ``inner``'s outputs must be ``outer``'s inputs (matched by name). All
    inputs are substituted at once, so the chain rule holds:
    ``det J(outer∘inner) = det J_outer(inner) * det J_inner``.

    >>> from symjac import Transform, compose
    >>> outer = Transform.from_equations("x = a + b, y = a - b")
    >>> inner = Transform.from_equations("a = u*v, b = u")
    >>> compose(outer, inner)
    Transform(x = u*v + u, y = u*v - u)
    """
    for role, value in (("outer", outer), ("inner", inner)):
        if not isinstance(value, Transform):
            raise SymjacTypeError(
                f"compose(outer, inner) takes two Transforms; {role} is {type(value).__name__} "
                f"{value!r:.60}. Build one with Transform.from_equations(...) or system(...).",
                value=value, expected="a Transform")
    inner_out = {s.name: e for s, e in zip(inner.outputs, inner.exprs)}
    missing = [s.name for s in outer.inputs if s.name not in inner_out]
    if missing:
        raise DimensionError(
            f"cannot compose: the outer map needs ({_names(outer.inputs)}) but the inner map gives "
            f"({_names(inner.outputs)}); {', '.join(missing)} missing. "
            "The inner map's outputs must be the outer map's inputs.", value=missing)
    mapping = {s: inner_out[s.name] for s in outer.inputs}
    shared = {p.name for p in inner.parameters}
    extra_params = tuple(p for p in outer.parameters if p.name not in shared)
    # outer's parameters keep their own symbols; unify same-named ones with inner's
    unify = {p: q for p in outer.parameters for q in inner.parameters if p.name == q.name}
    mapping.update(unify)
    exprs = tuple(e.xreplace(mapping) for e in outer.exprs)
    domain = inner.domain + tuple(substitute_condition(c, mapping) for c in outer.domain)
    return Transform(inputs=inner.inputs, exprs=exprs, outputs=outer.outputs,
                     domain=tuple(c for c in domain if c is not sp.true),
                     parameters=inner.parameters + extra_params)


# ---------------------------------------------------------------------- helpers


def _names(symbols: Iterable[sp.Symbol]) -> str:
    return ", ".join(str(s) for s in symbols)


def _as_tuple(value: object) -> tuple[object, ...]:
    if isinstance(value, (list, tuple, sp.Tuple)):
        return tuple(value)
    if isinstance(value, sp.MatrixBase):
        return tuple(value)
    return (value,)


def _symbol_tuple(value: object, role: str) -> tuple[sp.Symbol, ...]:
    if isinstance(value, str):
        return parse_symbols(value)
    items = _as_tuple(value)
    for item in items:
        if not isinstance(item, sp.Symbol):
            raise DimensionError(
                f"{role} must be SymPy symbols or names, got {item!r} ({type(item).__name__}). "
                f"Pass {role} as symbols or as text like 'x y'.", value=item)
    return tuple(items)  # type: ignore[arg-type]


def _as_expr(value: object) -> sp.Expr:
    if isinstance(value, str):
        raise ParseError("Transform() takes SymPy expressions; for text use "
                         "Transform.from_equations('x = r*cos(t), ...').", text=value)
    try:
        e = sp.sympify(value, strict=True)
    except (sp.SympifyError, TypeError):
        raise DimensionError(f"{value!r} is not a SymPy expression.", value=value) from None
    if not isinstance(e, sp.Expr) or isinstance(e, (sp.MatrixBase, sp.MatrixExpr)):
        raise DimensionError(f"{e} is not a scalar expression (a condition, list or matrix was "
                             "given). Pass one expression per output.", value=e)
    return e


def _as_condition(value: object) -> sp.Basic:
    if isinstance(value, str):
        conds = parse_conditions(value)
        return sp.And(*conds)
    if isinstance(value, bool):
        return sp.true if value else sp.false
    if not isinstance(value, sp.Basic) or not isinstance(value, sp.logic.boolalg.Boolean) \
            or isinstance(value, sp.Symbol):
        raise DomainError(f"the domain condition {value!r} is not a condition like x > 0.", value=value)
    if value is sp.false:
        raise DomainError("the domain is empty (a condition is always false).", value=value)
    return value


def _read_equations(equations: object) -> tuple[list[tuple[sp.Symbol, sp.Expr]], str]:
    if isinstance(equations, str):
        try:
            return kept_variables(list(parse_equations(equations))), equations
        except ParseError:
            solved = solved_relations(equations)
            if solved is None:
                raise
            return solved, equations
    if isinstance(equations, Mapping):
        items = []
        for k, v in equations.items():
            (key,) = parse_symbols([k]) if isinstance(k, (str, sp.Symbol)) else (k,)
            value = parse_expression(v) if isinstance(v, str) else _as_expr(v)
            items.append(sp.Eq(key, value, evaluate=False))
    elif isinstance(equations, (list, tuple)):
        items = list(equations)
    elif isinstance(equations, sp.Eq):
        items = [equations]
    else:
        raise ParseError(f"expected equations as text, a list or a dict, got {type(equations).__name__}.",
                         text=str(equations)[:60])
    pairs: list[tuple[sp.Symbol, sp.Expr]] = []
    texts = []
    for item in items:
        if isinstance(item, str):
            found = parse_equations(item)
            pairs.extend(found)
            texts.append(item)
        elif isinstance(item, sp.Eq) and isinstance(item.lhs, sp.Symbol):
            item = item.xreplace({s: parse_symbols([s.name])[0] for s in item.free_symbols})  # by name
            pairs.append((item.lhs, item.rhs))
            texts.append(sp.sstr(item.rhs))
        else:
            raise ParseError(f"{item!r} is not an equation 'name = formula' or Eq(name, formula).",
                             text=str(item))
    if not pairs:
        raise ParseError("no equations were given. Write them like 'u = x**2/y, v = y**2/x'.", text="")
    return kept_variables(pairs), " ".join(texts)


def _read_conditions(domain: object, symbols: Mapping[str, sp.Symbol] | None = None
                     ) -> tuple[sp.Basic, ...]:
    if domain is None:
        return ()
    if isinstance(domain, str):
        return parse_conditions(domain, symbols=symbols)
    out: list[sp.Basic] = []
    for item in _as_tuple(domain):
        if isinstance(item, str):
            out.extend(parse_conditions(item, symbols=symbols))
        else:
            cond = _as_condition(item)
            if symbols:
                cond = substitute_condition(cond, {s: symbols[s.name] for s in cond.free_symbols
                                                   if s.name in symbols})
            out.extend(cond.args if isinstance(cond, sp.And) else (cond,))
    return tuple(out)


def _check_outputs(outputs: object, lhs: tuple[sp.Symbol, ...]) -> None:
    """``outputs=`` only checks the left sides: the same names, in any order."""
    if outputs is None:
        return
    wanted = [s.name for s in parse_symbols(outputs)]
    if sorted(wanted) != sorted(s.name for s in lhs):
        raise DimensionError(f"outputs {wanted} do not match the left sides {[s.name for s in lhs]}.",
                             value=outputs)


def _inputs_and_parameters(lhs: tuple[sp.Symbol, ...], free: set[sp.Symbol], cond_free: set[sp.Symbol],
                           inputs: object, order_text: str) -> tuple[list[sp.Symbol], list[sp.Symbol]]:
    """The inputs (as given, else the right sides' symbols in the order written) and the
    parameters (the other symbols of the formulas and conditions, outputs left out)."""
    known = {s.name for s in free | cond_free | set(lhs)}
    if inputs is not None:
        known |= {s.name for s in parse_symbols(inputs)}
    _refuse_run_together_names({s.name for s in free}, known)
    if inputs is None:
        ins = order_of_appearance(free, order_text)
        params: list[sp.Symbol] = order_of_appearance(cond_free - free, order_text)
    else:
        ins = list(parse_symbols(inputs))
        in_names = {s.name for s in ins}
        params = order_of_appearance({s for s in free | cond_free if s.name not in in_names},
                                     order_text)
    return ins, [p for p in params if p.name not in {s.name for s in lhs}]


def _renaming(assumed: Mapping[str, sp.Symbol], symbols: set[sp.Symbol], ins: list[sp.Symbol]):
    """A function that puts the symbols carrying the domain's assumptions into a formula or
    condition, matched by name."""
    by_name = {s.name: assumed[s.name] for s in symbols if s.name in assumed}
    by_name.update({s.name: assumed[s.name] for s in ins})

    def fix(e: sp.Basic) -> sp.Basic:
        mapping = {s: by_name[s.name] for s in e.free_symbols if s.name in by_name}
        return e.xreplace(mapping) if isinstance(e, sp.Expr) else substitute_condition(e, mapping)

    return fix


def _refuse_run_together_names(names: set[str], known: set[str]) -> None:
    """``xy`` next to ``x`` and ``y`` is ambiguous: one variable, or the product x*y?"""
    for name in sorted(names):
        if len(name) < 2:
            continue
        parts = _split_into(name, known - {name})
        if parts:
            hint = (f"Write {'*'.join(parts)} for the product, or rename the variable {name!r} "
                    "so that it is not made of other names.")
            raise ParseError(
                f"the name {name!r} reads as one variable, but {' and '.join(map(repr, parts))} are "
                f"variables too, so it may mean the product {'*'.join(parts)}. {hint}",
                text=name, hint=hint)


def _split_into(name: str, known: set[str]) -> list[str] | None:
    """``name`` as two or more names from ``known`` run together (``xy`` -> ``[x, y]``), or None."""
    best: dict[int, list[str]] = {0: []}
    for end in range(1, len(name) + 1):
        for start in range(end):
            if start in best and name[start:end] in known:
                best.setdefault(end, best[start] + [name[start:end]])
    found = best.get(len(name))
    return found if found and len(found) >= 2 else None
