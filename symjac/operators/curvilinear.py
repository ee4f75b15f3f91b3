"""Gradient, divergence, curl and Laplacian in any coordinate system.

``coords`` is a map from curvilinear to Cartesian coordinates (a named
``system(...)`` or your own ``Transform``) or a list of Cartesian variables.
Orthogonal systems use their scale factors, as textbooks do; other systems
use the full metric tensor:
``div F = (1/√g) ∂_i(√g F^i)`` and ``Δf = (1/√g) ∂_i(√g g^{ij} ∂_j f)``.
Vector fields are read and returned in the orthonormal physical basis by
default (``basis="physical"``), or as coordinate (contravariant) components.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import sympy as sp
from sympy.core.function import AppliedUndef

from ..result import Result
from ..derivation import Derivation, Tex, shown, plain
from ..errors import DimensionError, SymjacError
from ..jacobian import jacobian_analysis
from .metric import _Chart, chart_of, read_scalar, read_vector, reduce_exactly
from ..timeouts import DEFAULT_TIMEOUT, time_limit
from ..transform import Transform

__all__ = ["OperatorResult", "operator_analysis", "divergence", "curl", "laplacian"]

Operator = Literal["gradient", "divergence", "curl", "laplacian", "hessian"]
Basis = Literal["physical", "coordinate"]
_OPERATORS = ("gradient", "divergence", "curl", "laplacian", "hessian")
_BASES = ("physical", "coordinate")


@dataclass(frozen=True)
class OperatorResult(Result):
    """A differential operator applied to a field, with how it was done.

    Attributes:
        operator: ``"gradient"``, ``"divergence"``, ``"curl"``, ``"laplacian"``
            or ``"hessian"`` (Cartesian variables only).
        value: The result: an expression (divergence, Laplacian), a column
            matrix of components (gradient, curl) in ``basis``, or the
            symmetric matrix of second derivatives (Hessian).
        field: The field as read, in the coordinates (a tuple for vector fields).
        coords: The coordinates the result is written in.
        transform: The coordinate map, or None for Cartesian variables.
        basis: ``"physical"`` (orthonormal, along the coordinate lines) or
            ``"coordinate"`` (contravariant components along ∂r/∂q_i).
        method: ``"Cartesian"``, ``"scale factors"`` or ``"metric tensor"``.
        steps: The derivation.
    """

    operator: str
    value: sp.Expr | sp.ImmutableMatrix
    field: sp.Expr | tuple[sp.Expr, ...]
    coords: tuple[sp.Symbol, ...]
    transform: Transform | None
    basis: str
    method: str
    steps: Derivation

    def __str__(self) -> str:
        """A terminal summary: the operator, the field, the coordinates and the result."""
        field = f"({plain(self.field)})" if isinstance(self.field, tuple) else plain(self.field)
        coords = ", ".join(map(str, self.coords))
        lines = [f"{self.operator} of {field} in the coordinates ({coords})"]
        if isinstance(self.value, sp.MatrixBase) and self.value.cols > 1:
            lines.append("    = " + shown(self.value, " " * 6))
        elif isinstance(self.value, sp.MatrixBase):
            lines.append(f"    = ({plain(tuple(self.value))})")
            if self.transform is not None:
                on = ("unit vectors along the coordinate lines" if self.basis == "physical"
                      else "tangent vectors of the coordinate lines, not normalised")
                lines.append(f"    components on the {on} ({self.basis} basis)")
        else:
            lines.append(f"    = {plain(self.value)}")
        lines.append(f"    method: {self.method}")
        return "\n".join(lines)

    def _data(self) -> dict[str, object]:
        """The JSON form (``to_dict``): the operator, the field, the coordinates and the result."""
        vector = isinstance(self.value, sp.MatrixBase)
        return {"operator": self.operator,
                "field": list(self.field) if isinstance(self.field, tuple) else self.field,
                "coordinates": [s.name for s in self.coords], "transform": self.transform,
                "basis": self.basis, "method": self.method,
                "result": list(self.value) if vector else self.value,
                "steps": [s.text for s in self.steps]}

    def _problem(self) -> Derivation:
        """The problem: the field, and the coordinates it is written in."""
        what = {"gradient": "gradient", "divergence": "divergence", "curl": "curl",
                "laplacian": "Laplacian", "hessian": "Hessian"}[self.operator]
        name = Tex("f", "f") if self.operator in ("gradient", "laplacian", "hessian") else \
            Tex(r"\mathbf{F}", "F")
        field = sp.ImmutableMatrix([list(self.field)]).T if isinstance(self.field, tuple) else self.field
        d = Derivation().then(f"Find the {what} of", [(name, field)])
        if self.transform is None:
            return d.then("in the Cartesian variables {vars}.", vars=tuple(self.coords))
        return d.then("in the coordinates {vars}, given by", [("", self.transform)],
                      vars=tuple(self.coords))

    def _latex_body(self) -> str:
        from ..latex import latex_expr

        symbol = {"gradient": r"\nabla f", "divergence": r"\nabla\cdot \mathbf{F}",
                  "curl": r"\nabla\times \mathbf{F}", "laplacian": r"\Delta f",
                  "hessian": r"H_f"}[self.operator]
        return symbol + " = " + latex_expr(self.value)


def operator_analysis(operator: Operator, field: object, coords: object, *,
                      basis: Basis = "physical",
                      timeout: float | None = DEFAULT_TIMEOUT) -> OperatorResult:
    """Apply a vector-calculus operator in any coordinates, with the derivation.

    Args:
        operator: ``"gradient"``, ``"divergence"``, ``"curl"`` (3-D), ``"laplacian"``,
            or ``"hessian"`` (the matrix of second derivatives; Cartesian variables only).
        field: A scalar (gradient, Laplacian) or the components of a vector
            field (divergence, curl), as text or SymPy, in the coordinates
            (``"r**2*cos(theta)"``; Cartesian names of the map's outputs are
            replaced by their expressions).
        coords: A Transform from curvilinear to Cartesian coordinates, or
            Cartesian variables (``"x, y, z"``).
        basis: Vector components in the orthonormal ``"physical"`` basis
            (``F = Σ F_i ê_i``, ê_i the unit tangent of the i-th coordinate line)
            or in the ``"coordinate"`` basis (``F = Σ F^i ∂r/∂q_i``). In
            non-orthogonal coordinates the unit tangents are not orthogonal;
            physical components are then ``F_i = h_i F^i``.
        timeout: Seconds each symbolic step may take.

    Returns:
        An ``OperatorResult``; ``.value`` is the result, ``.steps`` the derivation.

    Raises:
        DimensionError: If the field has the wrong number of components, or
            the curl is asked outside three dimensions.
        ParseError: If the field cannot be read.
        SymjacTimeoutError: If a step takes longer than ``timeout``.

    >>> from symjac import system, operator_analysis
    >>> res = operator_analysis("laplacian", "1/r", system("spherical"))
    >>> res.value, res.method
    (0, 'scale factors')
    >>> print(res.steps[-1].text)
    Simplify on the domain r > 0, 0 < theta < pi, 0 < phi < 2*pi; the result holds where the Jacobian determinant is not 0, away from r = 0, theta = 0, theta = pi.
    """
    if operator not in _OPERATORS:
        raise SymjacError(f"unknown operator {operator!r}; expected one of: {', '.join(_OPERATORS)}.",
                          value=operator, expected=", ".join(_OPERATORS))
    if basis not in _BASES:
        raise SymjacError(f"unknown basis {basis!r}; expected 'physical' (orthonormal, as textbooks "
                          "write vector fields) or 'coordinate' (contravariant components).",
                          value=basis, expected="'physical' or 'coordinate'")
    chart = chart_of(coords, timeout)
    with time_limit(timeout, f"reading the field in {chart.name}"):
        if operator in ("gradient", "laplacian", "hessian"):
            f: sp.Expr | tuple[sp.Expr, ...] = read_scalar(field, chart)
        else:
            f = read_vector(field, chart)
    if operator == "curl" and chart.dimension != 3:
        raise DimensionError(f"the curl is defined in three dimensions, but {chart.name} has "
                             f"{chart.dimension}. Use three coordinates.", value=coords,
                             expected="3 coordinates")
    if operator == "curl" and chart.transform is not None and not chart.transform.is_square:
        raise DimensionError("the curl needs a map from 3 coordinates to 3 Cartesian ones; this map "
                             f"has {chart.transform.dims[1]} outputs.", value=coords)
    if operator == "hessian" and chart.transform is not None:
        raise SymjacError(
            f"symjac gives the Hessian in Cartesian variables only, not in {chart.name}: in "
            "curvilinear coordinates the second derivatives need correction terms (Christoffel "
            "symbols) that symjac does not compute.", value=coords,
            expected="Cartesian variables such as \"x, y\"",
            hint="write the function in Cartesian variables and pass them, e.g. coords=\"x, y\".")
    method = "Cartesian" if chart.transform is None else \
        "scale factors" if chart.orthogonal else "metric tensor"
    steps = chart.steps
    with time_limit(timeout, f"the {operator} in {chart.name}"):
        value, (template, parts) = _RULES[operator](f, chart, basis)
        steps = steps.then(template, [(_LABEL[operator], value)], **parts)
        value = _finish(value, f, chart, timeout)
    template, parts = _closing(chart, timeout)
    steps = steps.then(template, [(_LABEL[operator], value)], **parts)
    return OperatorResult(operator, value, f, chart.coords, chart.transform, basis, method, steps)


def divergence(F: object, coords: object, *, basis: Basis = "physical",
               timeout: float | None = DEFAULT_TIMEOUT) -> sp.Expr:
    """The divergence of a vector field, in any coordinates.

    See ``operator_analysis`` for the arguments; this returns only the value.

    >>> from symjac import system, divergence
    >>> divergence("r, 0, 0", system("spherical"))
    3
    >>> divergence("r, 0, 0, 0, 0", system("hyperspherical", n=5))
    5
    >>> divergence("x*y, y*z, z*x", "x, y, z")
    x + y + z
    """
    return operator_analysis("divergence", F, coords, basis=basis, timeout=timeout).value


def curl(F: object, coords: object, *, basis: Basis = "physical",
         timeout: float | None = DEFAULT_TIMEOUT) -> sp.ImmutableMatrix:
    """The curl of a 3-D vector field, in any coordinates (a column of components).

    >>> from symjac import system, curl
    >>> curl("0, r, 0", system("cylindrical")).T   # the field r θ̂ rotates rigidly
    Matrix([[0, 0, 2]])
    """
    return operator_analysis("curl", F, coords, basis=basis, timeout=timeout).value


def laplacian(f: object, coords: object, *, timeout: float | None = DEFAULT_TIMEOUT) -> sp.Expr:
    """The Laplacian of a scalar field, in any coordinates.

    For an undefined function the result keeps the textbook (divergence) form;
    ``.doit()`` expands it.

    >>> import sympy as sp
    >>> from symjac import system, laplacian
    >>> S = system("spherical")
    >>> laplacian("1/r", S), laplacian("r**2", S)
    (0, 6)
    >>> r, theta, phi = S.inputs
    >>> laplacian(sp.Function("f")(r, theta, phi), S)
    Derivative(r**2*Derivative(f(r, theta, phi), r), r)/r**2 + Derivative(sin(theta)*Derivative(f(r, theta, phi), theta), theta)/(r**2*sin(theta)) + Derivative(f(r, theta, phi), (phi, 2))/(r**2*sin(theta)**2)
    """
    return operator_analysis("laplacian", f, coords, timeout=timeout).value


# ---------------------------------------------------------------------- the formulas


def _gradient(f: sp.Expr, c: _Chart, basis: str) -> tuple[sp.ImmutableMatrix, str]:
    n, q = c.dimension, c.coords
    d = [sp.diff(f, qi) for qi in q]
    if c.orthogonal:
        contra = [d[i] / c.scale[i] ** 2 for i in range(n)]
        formula = [_GRAD_ORTHO, ", with {e} the unit vectors"]
    else:
        contra = [sum((c.inverse_metric[i, j] * d[j] for j in range(n)), sp.S.Zero) for i in range(n)]
        formula = [_GRAD_METRIC, ""]
    if basis == "physical":
        comps = [c.scale[i] * contra[i] for i in range(n)]
        if c.orthogonal:
            comps = [d[i] / c.scale[i] for i in range(n)]
        formula[1] += " (physical components {physical})." if not c.orthogonal else "."
    else:
        comps = contra
        formula[1] += "; coordinate components {coordinate}."
    return sp.ImmutableMatrix(comps), _said(c, *formula)


def _contravariant(F: tuple[sp.Expr, ...], c: _Chart, basis: str) -> list[sp.Expr]:
    if basis == "coordinate":
        return list(F)
    return [F[i] / c.scale[i] for i in range(c.dimension)]


def _divergence(F: tuple[sp.Expr, ...], c: _Chart, basis: str) -> tuple[sp.Expr, str]:
    J, q = c.volume, c.coords
    Fc = _contravariant(F, c, basis)
    abstract = _is_abstract(F)
    value = sum((_d(J * Fc[i], q[i], abstract) for i in range(c.dimension)), sp.S.Zero) / J
    if c.transform is None:
        formula = [_DIV_CARTESIAN, "."]
    elif c.orthogonal and basis == "physical":
        formula = [_DIV_ORTHO, "."]
    else:
        formula = [_DIV_METRIC, " with {contra} from the physical components." if basis == "physical"
                   else "."]
    return value, _said(c, *formula)


def _curl(F: tuple[sp.Expr, ...], c: _Chart, basis: str) -> tuple[sp.ImmutableMatrix, str]:
    J, q = c.volume, c.coords
    Fc = _contravariant(F, c, basis)
    covariant = [sum((c.metric[k, m] * Fc[m] for m in range(3)), sp.S.Zero) for k in range(3)]
    if c.orthogonal and basis == "physical":
        covariant = [c.scale[k] * F[k] for k in range(3)]
    abstract = _is_abstract(F)
    comps = []
    for i, j, k in ((0, 1, 2), (1, 2, 0), (2, 0, 1)):
        contra = (_d(covariant[k], q[j], abstract) - _d(covariant[j], q[k], abstract)) / J
        comps.append(c.scale[i] * contra if basis == "physical" else contra)
    if c.transform is None:
        formula = [_CURL_CARTESIAN, "."]
    elif c.orthogonal and basis == "physical":
        formula = [_CURL_ORTHO, " for (i, j, k) cyclic; the signed Jacobian determinant {det} keeps "
                   "the orientation."]
    else:
        formula = [_CURL_METRIC, " with the covariant components {covariant}; the signed Jacobian "
                   "determinant {det} keeps the orientation."]
    return sp.ImmutableMatrix(comps), _said(c, *formula)


def _laplacian(f: sp.Expr, c: _Chart, basis: str) -> tuple[sp.Expr, str]:
    J, q, n = c.volume, c.coords, c.dimension
    d = [sp.diff(f, qi) for qi in q]
    abstract = _is_abstract(f)
    terms = []
    for i in range(n):
        if c.orthogonal:
            inner = reduce_exactly(J / c.scale[i] ** 2) * d[i]
        else:
            inner = J * sum((c.inverse_metric[i, j] * d[j] for j in range(n)), sp.S.Zero)
        terms.append(_d(inner, q[i], abstract) / J)
    if c.transform is None:
        formula = [_LAPLACE_CARTESIAN, "."]
    elif c.orthogonal:
        formula = [_LAPLACE_ORTHO, "."]
    else:
        formula = [_LAPLACE_METRIC, "."]
    return sp.Add(*terms), _said(c, *formula)


def _hessian(f: sp.Expr, c: _Chart, basis: str) -> tuple[sp.ImmutableMatrix, str]:
    q, n = c.coords, c.dimension
    d = [sp.diff(f, qi) for qi in q]
    H = sp.zeros(n, n)
    for i in range(n):
        for j in range(i, n):
            H[i, j] = H[j, i] = sp.diff(d[i], q[j])
    return sp.ImmutableMatrix(H), ("The Hessian is {rule}: differentiate {f} once for the gradient, "
                                   "then each component again. Mixed derivatives agree for smooth "
                                   "functions, so it is symmetric and only the upper triangle is "
                                   "differentiated.", {"rule": _HESSIAN, "f": f})


_RULES = {"gradient": _gradient, "divergence": _divergence, "curl": _curl, "laplacian": _laplacian,
          "hessian": _hessian}
_LABEL = {"gradient": Tex(r"\nabla f", "grad f"), "divergence": Tex(r"\nabla\cdot \mathbf{F}", "div F"),
          "curl": Tex(r"\nabla\times \mathbf{F}", "curl F"), "laplacian": Tex(r"\Delta f", "Δf"),
          "hessian": Tex(r"H_f", "H")}

_HS = r"\frac{1}{h_1 \cdots h_n} \sum_i \frac{\partial}{\partial q_i}"
_GS = r"\frac{1}{\sqrt{g}} \sum_i \frac{\partial}{\partial q_i}"
_GRAD_ORTHO = Tex(r"\nabla f = \sum_i \frac{1}{h_i} \frac{\partial f}{\partial q_i} \mathbf{e}_i",
                  "∇f = Σ (1/h_i) ∂f/∂q_i e_i")
_GRAD_METRIC = Tex(r"\nabla f = \sum_{i,j} g^{ij} \frac{\partial f}{\partial q_j} "
                   r"\frac{\partial \mathbf{r}}{\partial q_i}", "∇f = Σ g^(ij) ∂f/∂q_j ∂r/∂q_i")
_DIV_CARTESIAN = Tex(r"\nabla\cdot \mathbf{F} = \sum_i \frac{\partial F_i}{\partial x_i}",
                     "div F = Σ ∂F_i/∂x_i")
_DIV_ORTHO = Tex(r"\nabla\cdot \mathbf{F} = " + _HS + r"\left(\frac{h_1 \cdots h_n}{h_i} F_i\right)",
                 "div F = (1/(h_1...h_n)) Σ ∂/∂q_i (h_1...h_n F_i / h_i)")
_DIV_METRIC = Tex(r"\nabla\cdot \mathbf{F} = " + _GS + r"\left(\sqrt{g}\, F^i\right)",
                  "div F = (1/√g) Σ ∂/∂q_i (√g F^i)")
_CURL_CARTESIAN = Tex(r"\nabla\times \mathbf{F} = \left(\partial_y F_z - \partial_z F_y,\ "
                      r"\partial_z F_x - \partial_x F_z,\ \partial_x F_y - \partial_y F_x\right)",
                      "curl F = (∂_y F_z - ∂_z F_y, ∂_z F_x - ∂_x F_z, ∂_x F_y - ∂_y F_x)")
_CURL_ORTHO = Tex(r"(\nabla\times \mathbf{F})_i = \frac{h_i}{\det J}\left(\frac{\partial (h_k F_k)}"
                  r"{\partial q_j} - \frac{\partial (h_j F_j)}{\partial q_k}\right)",
                  "curl F_i = (h_i / det J) (∂/∂q_j (h_k F_k) - ∂/∂q_k (h_j F_j))")
_CURL_METRIC = Tex(r"(\nabla\times \mathbf{F})^i = \frac{1}{\det J} \varepsilon^{ijk} \partial_j F_k",
                   "(curl F)^i = (1/det J) ε^(ijk) ∂_j F_k")
_LAPLACE_CARTESIAN = Tex(r"\Delta f = \sum_i \frac{\partial^2 f}{\partial x_i^2}", "Δf = Σ ∂²f/∂x_i²")
_LAPLACE_ORTHO = Tex(r"\Delta f = " + _HS + r"\left(\frac{h_1 \cdots h_n}{h_i^2} "
                     r"\frac{\partial f}{\partial q_i}\right)",
                     "Δf = (1/(h_1...h_n)) Σ ∂/∂q_i ((h_1...h_n / h_i²) ∂f/∂q_i)")
_LAPLACE_METRIC = Tex(r"\Delta f = " + _GS + r"\left(\sqrt{g}\, g^{ij} \frac{\partial f}{\partial q_j}\right)",
                      "Δf = (1/√g) Σ ∂/∂q_i (√g g^(ij) ∂f/∂q_j)")
_HESSIAN = Tex(r"H_{ij} = \frac{\partial^2 f}{\partial x_i \partial x_j}", "H_ij = ∂²f/∂x_i∂x_j")
_NOTATION = {
    "e": Tex(r"\mathbf{e}_i", "e_i"),
    "physical": Tex(r"h_i (\nabla f)^i", "h_i (∇f)^i"),
    "coordinate": Tex(r"(\nabla f)^i = g^{ij} \frac{\partial f}{\partial q_j}", "(∇f)^i = g^(ij) ∂f/∂q_j"),
    "contra": Tex(r"F^i = F_i / h_i", "F^i = F_i / h_i"),
    "covariant": Tex(r"F_k = g_{km} F^m", "F_k = g_km F^m"),
    "det": Tex(r"\det J", "det J"),
}


def _said(c: _Chart, rule: Tex, tail: str) -> tuple[str, dict[str, object]]:
    """The sentence that states an operator's formula: a template and its parts."""
    head = "By the formula " if c.transform is None else f"In {c.name.split(' (')[0]}, by the formula "
    parts: dict[str, object] = {"rule": rule}
    parts.update({k: v for k, v in _NOTATION.items() if "{" + k + "}" in tail})
    return head + "{rule}" + tail, parts


def _is_abstract(f: object) -> bool:
    items = f if isinstance(f, tuple) else (f,)
    return any(e.has(AppliedUndef) for e in items)


def _d(expr: sp.Expr, q: sp.Symbol, abstract: bool) -> sp.Expr:
    """∂expr/∂q; for undefined functions, the factors free of q are pulled out and the
    derivative is kept unevaluated (the textbook form)."""
    if not abstract:
        return sp.diff(expr, q)
    expr = sp.factor_terms(sp.together(expr))
    if not expr.has(q):
        return sp.S.Zero
    free, rest = expr.as_independent(q, as_Add=False)
    if not rest.has(AppliedUndef) and not rest.has(sp.Derivative):
        return sp.diff(expr, q)
    return free * sp.Derivative(rest, q)


def _finish(value: sp.Expr | sp.ImmutableMatrix, f: object, c: _Chart,
            timeout: float | None) -> sp.Expr | sp.ImmutableMatrix:
    """Simplify on the domain: exact rational reduction (with sin² + cos² = 1) for
    concrete fields; tidy coefficients for undefined functions."""
    if isinstance(value, sp.MatrixBase):
        return sp.ImmutableMatrix(value.rows, value.cols, [_finish(e, f, c, timeout) for e in value])
    if _is_abstract(f):
        return sp.Add(*[_tidy_term(t) for t in sp.Add.make_args(sp.expand(value, deep=False))])
    return reduce_exactly(value.doit())


def _tidy_term(term: sp.Expr) -> sp.Expr:
    coeff, rest = term.as_independent(sp.Derivative, AppliedUndef, as_Add=False)
    return reduce_exactly(coeff) * rest


def _closing(c: _Chart, timeout: float | None) -> tuple[str, dict[str, object]]:
    if c.transform is None:
        return "Simplify.", {}
    parts: dict[str, object] = {}
    text = "Simplify"
    if c.domain:
        text += " on the domain {domain}"
        parts["domain"] = tuple(c.domain)
    if c.transform.is_square:
        singular = jacobian_analysis(c.transform, timeout=timeout).singular_set
        if singular:
            text += "; the result holds where the Jacobian determinant is not 0, away from {singular}"
            parts["singular"] = tuple(singular)
    return text + ".", parts
