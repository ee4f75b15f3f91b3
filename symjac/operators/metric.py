"""The geometry of a coordinate system: metric tensor, scale factors, volume factor.

For a map ``r(q)`` from curvilinear coordinates ``q`` to Cartesian ones the
metric tensor is ``g = Jᵀ J`` and the scale factors (Lamé coefficients) are
``h_i = |∂r/∂q_i| = sqrt(g_ii)``. Both are reduced exactly (``sin² + cos² = 1``)
and simplified on the system's domain; the curvilinear operators build on them.
"""

from __future__ import annotations

import difflib
import functools
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import sympy as sp

from ..derivation import Derivation, Tex
from ..errors import DimensionError, ParseError, SymjacTimeoutError, SymjacWarning, UnknownSystemError
from ..algebra import RingMatrix, cos_to_sin, sin_to_cos, tidy
from ..jacobian import gram_root, jacobian, jacobian_determinant, pseudo_determinant
from ..parsing import parse_expression, parse_symbols
from ..timeouts import DEFAULT_TIMEOUT, time_limit
from ..transform import Transform, require_transform

__all__ = ["metric_tensor", "scale_factors"]


def metric_tensor(t: Transform, *, timeout: float | None = DEFAULT_TIMEOUT) -> sp.ImmutableMatrix:
    """The metric tensor ``g = Jᵀ J`` of a parametrisation, reduced exactly.

    ``g_ij = ∂r/∂q_i · ∂r/∂q_j``: it measures lengths and angles in the
    coordinates ``q = t.inputs``. It is diagonal exactly when the coordinate
    lines meet at right angles (orthogonal coordinates).

    Args:
        t: A map from curvilinear coordinates (inputs) to Cartesian ones (outputs).
        timeout: Seconds each symbolic step may take.

    Returns:
        The symmetric n × n matrix, n = number of inputs.

    Raises:
        SymjacTimeoutError: If a step takes longer than ``timeout``.

    >>> from symjac import system, metric_tensor, Transform
    >>> metric_tensor(system("spherical"))
    Matrix([
    [1,    0,                     0],
    [0, r**2,                     0],
    [0,    0, r**2*sin(theta)**2]])
    >>> metric_tensor(Transform.from_equations("x = u + v*cos(a), y = v*sin(a)", inputs="u v"))
    Matrix([
    [     1, cos(a)],
    [cos(a),      1]])
    """
    return _chart(t, timeout).metric


def scale_factors(t: Transform, *, timeout: float | None = DEFAULT_TIMEOUT) -> tuple[sp.Expr, ...]:
    """The scale factors (Lamé coefficients) ``h_i = |∂r/∂q_i| = sqrt(g_ii)``.

    The absolute value is dropped only where the domain proves the sign. For
    orthogonal coordinates they determine the metric (``g = diag(h_i²)``);
    for other coordinates they are still the lengths of the coordinate
    tangent vectors, but the metric also has off-diagonal terms (see
    ``metric_tensor``).

    >>> from symjac import system, scale_factors
    >>> scale_factors(system("spherical"))
    (1, r, r*sin(theta))
    >>> scale_factors(system("parabolic"))
    (sqrt(sigma**2 + tau**2), sqrt(sigma**2 + tau**2))
    """
    return _chart(t, timeout).scale


# ---------------------------------------------------------------------- the chart


@dataclass(frozen=True)
class _Chart:
    """Everything the operators need about a coordinate system."""

    coords: tuple[sp.Symbol, ...]
    transform: Transform | None  # None: plain Cartesian variables
    metric: sp.ImmutableMatrix
    inverse_metric: sp.ImmutableMatrix
    scale: tuple[sp.Expr, ...]
    volume: sp.Expr  # signed det J (square maps) or sqrt(det g): the factor sqrt(g) of the formulas
    orthogonal: bool
    steps: Derivation

    @property
    def dimension(self) -> int:
        return len(self.coords)

    @property
    def domain(self) -> tuple[sp.Basic, ...]:
        return self.transform.domain if self.transform is not None else ()

    @property
    def name(self) -> str:
        if self.transform is None:
            return "Cartesian coordinates (" + ", ".join(map(str, self.coords)) + ")"
        if self.transform.name:
            return f"{self.transform.name} coordinates (" + ", ".join(map(str, self.coords)) + ")"
        return "the coordinates (" + ", ".join(map(str, self.coords)) + ") of " + str(self.transform)


def chart_of(coords: object, timeout: float | None) -> _Chart:
    """The chart for ``coords``: a Transform (curvilinear → Cartesian) or Cartesian variables."""
    if isinstance(coords, Transform):
        return _chart(coords, timeout)
    return _cartesian_chart(variables_of(coords))


def _system_names() -> set[str]:
    from ..systems import available_systems

    return {s.name for s in available_systems()}


def variables_of(vars: object) -> tuple[sp.Symbol, ...]:
    """Variables from ``"x, y"``, ``"x y"`` or a sequence of symbols/names."""
    if isinstance(vars, Transform):
        return vars.inputs
    if vars is None:
        raise DimensionError("no variables given. Pass them, e.g. vars=\"x, y\" or [x, y].",
                             expected="variables")
    if isinstance(vars, sp.Symbol):
        return (vars,)
    if isinstance(vars, str) and vars.strip().lower() in _system_names():
        name = vars.strip().lower()
        raise DimensionError(
            f"{vars!r} names a coordinate system, but here it would be read as one Cartesian "
            f"variable. Pass the system itself: system({name!r}); for Cartesian variables pass "
            "their names, e.g. \"x, y, z\".", value=vars, expected="a Transform or variables")
    if isinstance(vars, str) and re.fullmatch(r"\s*[A-Za-z_]{4,}\s*", vars):
        close = difflib.get_close_matches(vars.strip().lower(), sorted(_system_names()), n=1, cutoff=0.7)
        if close:  # "sphercal": a misspelt system, not one Cartesian variable (the Laplacian was 0)
            raise UnknownSystemError(
                f"unknown coordinate system {vars.strip()!r}; expected one of: "
                f"{', '.join(sorted(_system_names()))}. Did you mean {close[0]!r}? Pass "
                f"system({close[0]!r}), or Cartesian variable names such as \"x, y, z\".",
                value=vars, expected="a Transform or variables", hint=f"Did you mean {close[0]!r}?")
    if isinstance(vars, str):
        out = parse_symbols(vars.replace(",", " "))
    elif isinstance(vars, (Sequence, sp.MatrixBase, sp.Tuple)):
        items = list(vars)
        if not all(isinstance(v, (sp.Symbol, str)) for v in items):
            bad = next(v for v in items if not isinstance(v, (sp.Symbol, str)))
            raise DimensionError(f"variables must be symbols or names, got {bad!r}.", value=bad,
                                 expected="symbols such as x, y")
        out = tuple(v if isinstance(v, sp.Symbol) else parse_symbols(v)[0] for v in items)
    else:
        raise DimensionError(f"cannot read variables from {type(vars).__name__} {vars!r:.60}; "
                             "pass names such as \"x, y\" or a list of symbols.", value=vars)
    if not out:
        raise DimensionError("the list of variables is empty. Pass at least one, e.g. \"x\".",
                             value=vars)
    names = [s.name for s in out]
    if len(set(names)) != len(names):
        raise DimensionError(f"a variable is listed twice in {names}.", value=vars)
    return tuple(out)


@functools.lru_cache(maxsize=64)
def _cartesian_chart(variables: tuple[sp.Symbol, ...]) -> _Chart:
    n = len(variables)
    eye = sp.ImmutableMatrix(sp.eye(n))
    steps = Derivation().then("In Cartesian coordinates the metric is the identity, every scale "
                              "factor is 1 and the volume factor is 1.")
    return _Chart(variables, None, eye, eye, (sp.S.One,) * n, sp.S.One, True, steps)


def _chart(t: Transform, timeout: float | None) -> _Chart:
    require_transform(t, "the metric", role="the coordinate system")
    n, m = t.dims
    if m < n:
        raise DimensionError(
            f"a coordinate system maps its {n} coordinates ({', '.join(map(str, t.inputs))}) to at "
            f"least as many Cartesian ones, but this map has {m} output(s) "
            f"({', '.join(map(str, t.outputs))}). Pass the parametrisation (coordinates → Cartesian), "
            "not the substitution.", value=t, expected=f"at least {n} outputs")
    try:
        return _build_chart(t, timeout)
    except SymjacTimeoutError:
        _build_chart.cache_clear()
        raise


@functools.lru_cache(maxsize=64)
def _build_chart(t: Transform, timeout: float | None) -> _Chart:
    with time_limit(timeout, f"computing the metric tensor of {t}"):
        J = jacobian(t)
        metric = _gram(J)
    n = len(t.inputs)
    orthogonal = all(metric[i, j] == 0 for i in range(n) for j in range(n) if i != j)
    steps = Derivation().then(
        "The metric tensor is {g}, the dot products of the tangent vectors {tangent} (with {trig} "
        "applied exactly):", [(sp.Symbol("J"), J), (sp.Symbol("g"), metric)],
        g=Tex(r"g = J^{T} J", "g = JᵀJ"),
        tangent=Tex(r"\partial \mathbf{r}/\partial q_i", "∂r/∂q_i"),
        trig=Tex(r"\sin^2 + \cos^2 = 1", "sin² + cos² = 1"))
    with time_limit(timeout, f"computing the scale factors of {t}"):
        scale = tuple(gram_root(metric[i, i], t)[0] if metric[i, i] != 0 else sp.S.Zero
                      for i in range(n))
    if orthogonal:
        steps = steps.then("The metric is diagonal, so the coordinates are orthogonal and the scale "
                           "factors {h} determine everything:",
                           [(Tex("h_{" + sp.latex(q) + "}", f"h_{q}"), h) for q, h in zip(t.inputs, scale)],
                           h=Tex(r"h_i = \sqrt{g_{ii}}", "h_i = sqrt(g_ii)"))
        inverse = sp.ImmutableMatrix(sp.diag(*[1 / metric[i, i] for i in range(n)]))
    else:
        steps = steps.then("The metric has off-diagonal terms: the coordinates are not orthogonal, "
                           "so the operators use the full metric and its inverse {inverse}.",
                           inverse=Tex(r"g^{ij}", "g^(ij)"))
        with time_limit(timeout, f"inverting the metric tensor of {t}"):
            inverse = sp.ImmutableMatrix(metric.inv(method="LU").applyfunc(
                lambda e: reduce_exactly(e)))
        steps = steps.then("Invert the metric:", [(Tex(r"g^{-1}", "g^-1"), inverse)])
    if t.is_square:
        volume = jacobian_determinant(t, timeout=timeout)
        steps = steps.then("The volume factor is {root}; the formulas use the signed determinant, "
                           "which gives the same operators and keeps the orientation for the curl:",
                           [(Tex(r"\det J", "det J"), volume)],
                           root=Tex(r"\sqrt{g} = \left|\det J\right|", "sqrt(g) = |det J|"))
    else:
        volume = pseudo_determinant(t, timeout=timeout)
        steps = steps.then("The map is a surface in a larger space, so the volume factor is "
                           "{root}, the area element:", [(Tex(r"\sqrt{\det g}", "sqrt(det g)"), volume)],
                           root=Tex(r"\sqrt{\det g}", "sqrt(det g)"))
    if volume == 0:
        raise DimensionError(f"the coordinates of {t} are degenerate: det J is identically 0, so they "
                             "do not form a coordinate system.", value=t)
    return _Chart(t.inputs, t, sp.ImmutableMatrix(metric), inverse, scale, volume, orthogonal, steps)


def _gram(J: sp.ImmutableMatrix) -> sp.ImmutableMatrix:
    """JᵀJ with the Pythagorean identities applied exactly."""
    ring = RingMatrix.build(J)
    if ring is None:
        G = J.T * J
        return sp.ImmutableMatrix(G.applyfunc(lambda e: best_form(sp.trigsimp(e))))
    G = ring.gram(rows=False).G.to_list()
    return sp.ImmutableMatrix([[best_form(ring.to_sympy(ring.reduce(e))) for e in row] for row in G])


def best_form(expr: sp.Expr) -> sp.Expr:
    """The shortest of a few exact forms of ``expr``: factored, with ``sin²`` or ``cos²``
    (and ``sinh²``/``cosh²``) eliminated through the Pythagorean identities."""
    tidied = tidy(expr)
    if not tidied.has(sp.Add) or not tidied.has(sp.sin, sp.cos, sp.sinh, sp.cosh):
        return tidied  # a product of powers: nothing to gain from the identities
    candidates = [expr, tidied]
    if expr.has(sp.sin, sp.cos, sp.sinh, sp.cosh):
        for rule in (sin_to_cos, cos_to_sin):
            try:
                candidates.append(tidy(rule(sp.expand(expr))))
            except (sp.PolynomialError, NotImplementedError):
                pass
    return min(candidates, key=lambda e: (sp.count_ops(e), len(str(e))))


def reduce_exactly(expr: sp.Expr) -> sp.Expr:
    """``expr`` as a rational function of its atoms, with ``sin² + cos² = 1`` and
    ``cosh² - sinh² = 1`` applied exactly, cancelled and factored."""
    expr = sp.sympify(expr)
    if not expr.free_symbols:
        return expr
    ring = RingMatrix.build(sp.ImmutableMatrix([[expr]]))
    if ring is None:
        return tidy(expr)
    return best_form(ring.to_sympy(ring.reduce(ring.dm.to_list()[0][0])))


def read_scalar(f: object, chart: _Chart, what: str = "field") -> sp.Expr:
    """A scalar in the chart's coordinates, from text or SymPy (symbols matched by name).

    Cartesian names of a Transform's outputs (x, y, z) are replaced by their
    expressions in the coordinates, so ``1/sqrt(x**2 + y**2 + z**2)`` works too.
    """
    by_name = _names(chart)
    if isinstance(f, str):
        expr = parse_expression(f, symbols=by_name)
    elif isinstance(f, (int, float)) and not isinstance(f, bool):
        expr = sp.nsimplify(f) if isinstance(f, float) else sp.Integer(f)
    elif isinstance(f, sp.Expr):
        expr = f.xreplace({s: by_name[s.name] for s in f.free_symbols
                           if isinstance(s, sp.Symbol) and s.name in by_name})
    else:
        raise ParseError(f"the {what} must be a formula (text or SymPy expression), got "
                         f"{type(f).__name__} {f!r:.60}.", text=None,
                         hint="Pass e.g. 'x**2*y' or a SymPy expression.")
    unknown = expr.free_symbols - set(by_name.values())
    if unknown and chart.transform is not None:
        names = ", ".join(sorted(map(str, unknown)))
        warnings.warn(
            f"the {what} uses {names}, which {'is' if len(unknown) == 1 else 'are'} not among the "
            f"coordinates ({', '.join(map(str, chart.coords))}), the parameters or the Cartesian "
            f"variables of {chart.name}; {'it is' if len(unknown) == 1 else 'they are'} treated as "
            "constant.", SymjacWarning, stacklevel=4)
    return _to_coordinates(expr, chart)


def read_vector(F: object, chart: _Chart) -> tuple[sp.Expr, ...]:
    """A vector field's components from text ``"r, 0, 0"``, a sequence or a Matrix."""
    if isinstance(F, str):
        parts = split_components(F)
    elif isinstance(F, sp.MatrixBase):
        parts = list(F)
    elif isinstance(F, (Sequence, sp.Tuple)):
        parts = list(F)
    else:
        raise ParseError(f"a vector field must be a list of components, got {type(F).__name__} "
                         f"{F!r:.60}.", text=None, hint="Pass e.g. 'r, 0, 0' or [r, 0, 0].")
    n = chart.dimension
    if len(parts) != n:
        raise DimensionError(
            f"the vector field has {len(parts)} component(s) but {chart.name} has {n}. "
            f"Give one component per coordinate.", value=F, expected=f"{n} components")
    return tuple(read_scalar(p, chart, "component") for p in parts)


def split_components(text: str) -> list[str]:
    """Split ``"(a, f(b, c), d)"`` at its top-level commas: ``['a', 'f(b, c)', 'd']``."""
    body = text.strip()
    if len(body) >= 2 and body[0] in "([" and body[-1] in ")]" and _balanced(body[1:-1]):
        body = body[1:-1]
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(body):
        depth += ch in "([{"
        depth -= ch in ")]}"
        if ch == "," and depth == 0:
            parts.append(body[start:i])
            start = i + 1
    parts.append(body[start:])
    if any(not p.strip() for p in parts):
        raise ParseError(f"the vector {text!r} has an empty component.", text=text,
                         hint="Write the components separated by commas, e.g. 'r, 0, 0'.")
    return [p.strip() for p in parts]


def _balanced(text: str) -> bool:
    depth = 0
    for ch in text:
        depth += ch in "([{"
        depth -= ch in ")]}"
        if depth < 0:
            return False
    return depth == 0


def _names(chart: _Chart) -> dict[str, sp.Symbol]:
    by_name: dict[str, sp.Symbol] = {}
    t = chart.transform
    if t is not None:
        by_name.update({s.name: s for s in t.outputs})
        by_name.update({s.name: s for s in t.parameters})
    by_name.update({s.name: s for s in chart.coords})
    return by_name


def _to_coordinates(expr: sp.Expr, chart: _Chart) -> sp.Expr:
    t = chart.transform
    if t is None:
        return expr
    cartesian = {o: e for o, e in zip(t.outputs, t.exprs) if o in expr.free_symbols}
    if not cartesian:
        return expr
    expr = expr.xreplace(cartesian)
    # sqrt(x**2 + y**2) -> r: reduce the bases of roots exactly, then let the assumptions act
    return expr.replace(lambda a: a.is_Pow and not a.exp.is_Integer and a.base.free_symbols,
                        lambda a: reduce_exactly(a.base) ** a.exp)
