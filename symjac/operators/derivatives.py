"""Gradient, Hessian and Jacobian-vector products, exactly, plus fast NumPy versions.

The Jacobian is the hub: the gradient is the Jacobian of a scalar, the
Hessian the Jacobian of the gradient, ``jvp`` a Jacobian column combination
(forward mode), ``vjp`` a row combination (reverse mode), and ``hvp`` the
directional derivative of the gradient, found without the full Hessian.
``lambdify_batched`` turns any of these into a NumPy function of many points.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import sympy as sp

from .curvilinear import Basis, operator_analysis
from ..errors import DimensionError, ParseError
from .metric import chart_of, read_scalar, variables_of
from ..parsing import parse_expression
from ..timeouts import DEFAULT_TIMEOUT, time_limit
from ..transform import Transform

__all__ = ["gradient", "hessian", "jvp", "vjp", "hvp", "lambdify_batched"]


def gradient(f: object, vars: object, *, basis: Basis = "physical",
             timeout: float | None = DEFAULT_TIMEOUT) -> sp.ImmutableMatrix:
    """The gradient of a scalar field, as a column.

    Args:
        f: The scalar, as text or SymPy.
        vars: Cartesian variables (``"x, y"`` or symbols), or a Transform from
            curvilinear to Cartesian coordinates (then the components are in
            ``basis``; see ``operator_analysis``).
        basis: For curvilinear coordinates: ``"physical"`` or ``"coordinate"``.
        timeout: Seconds the symbolic work may take.

    >>> from symjac import gradient, system
    >>> gradient("x**2*y + sin(y)", "x, y").T
    Matrix([[2*x*y, x**2 + cos(y)]])
    >>> gradient("r**2*sin(theta)", system("polar")).T
    Matrix([[2*r*sin(theta), r*cos(theta)]])
    """
    if isinstance(vars, Transform):
        return operator_analysis("gradient", f, vars, basis=basis, timeout=timeout).value
    xs = variables_of(vars)
    expr = _scalar(f, xs)
    with time_limit(timeout, "computing the gradient"):
        return sp.ImmutableMatrix([sp.diff(expr, x) for x in xs])


def hessian(f: object, vars: object = None, *,
            timeout: float | None = DEFAULT_TIMEOUT) -> sp.ImmutableMatrix | tuple[sp.ImmutableMatrix, ...]:
    """The Hessian: the Jacobian of the gradient, a symmetric matrix.

    Only the upper triangle is differentiated; the lower one is its mirror, so
    the result is exactly symmetric.

    Args:
        f: A scalar (text or SymPy) with its ``vars``, or a Transform; for a
            Transform the result is a tuple with one Hessian per output, in its inputs.
        vars: The variables (``"x, y"``); not needed for a Transform.
        timeout: Seconds the symbolic work may take.

    >>> from symjac import hessian
    >>> hessian("x**2*y + sin(y)", "x, y")
    Matrix([
    [2*y,          2*x],
    [2*x, -sin(y)]])
    """
    if isinstance(f, Transform):
        return tuple(hessian(e, f.inputs, timeout=timeout) for e in f.exprs)
    xs = variables_of(vars)
    expr = _scalar(f, xs)
    n = len(xs)
    with time_limit(timeout, "computing the Hessian"):
        grad = [sp.diff(expr, x) for x in xs]
        H = sp.zeros(n, n)
        for i in range(n):
            for j in range(i, n):
                H[i, j] = H[j, i] = sp.diff(grad[i], xs[j])
    return sp.ImmutableMatrix(H)


def jvp(f: object, v: object, vars: object = None, *,
        timeout: float | None = DEFAULT_TIMEOUT) -> sp.ImmutableMatrix:
    """Jacobian-vector product ``J v`` (forward mode): the derivative of f along v.

    It is ``d/dε f(x + ε v)`` at ε = 0, found in one pass over each output.

    Args:
        f: A Transform, or an expression / list of expressions with ``vars``.
        v: One tangent vector (n entries), or several: a list of vectors or an
            n × k matrix whose columns are the vectors.
        vars: The variables, when ``f`` is not a Transform.
        timeout: Seconds the symbolic work may take.

    Returns:
        An m × 1 column for one vector, m × k for k vectors (one column each).

    >>> from symjac import jvp, system
    >>> jvp(system("polar"), [1, 0]).T      # d/dr of (x, y): the unit radial vector
    Matrix([[cos(theta), sin(theta)]])
    >>> jvp("x**2*y", [[1, 0], [0, 1]], "x, y")
    Matrix([[2*x*y, x**2]])
    """
    exprs, xs = _function(f, vars)
    V = _vectors(v, len(xs), "tangent vector", xs)
    with time_limit(timeout, "computing a Jacobian-vector product"):
        return _directional(exprs, xs, V)


def vjp(f: object, w: object, vars: object = None, *,
        timeout: float | None = DEFAULT_TIMEOUT) -> sp.ImmutableMatrix:
    """Vector-Jacobian product ``wᵀ J`` (reverse mode): the gradient of ``w · f``.

    Args:
        f: A Transform, or an expression / list of expressions with ``vars``.
        w: One covector (m entries, one per output), or several (a list of
            them or an m × k matrix whose columns are the covectors).
        vars: The variables, when ``f`` is not a Transform.
        timeout: Seconds the symbolic work may take.

    Returns:
        A 1 × n row for one covector, k × n for k covectors (one row each).

    >>> from symjac import vjp, system
    >>> vjp(system("polar"), [1, 0])        # the first row of J: the gradient of x(r, theta)
    Matrix([[cos(theta), -r*sin(theta)]])
    """
    exprs, xs = _function(f, vars)
    W = _vectors(w, len(exprs), "covector", xs)
    with time_limit(timeout, "computing a vector-Jacobian product"):
        rows = []
        for k in range(W.cols):
            weighted = sp.Add(*[W[i, k] * e for i, e in enumerate(exprs) if W[i, k] != 0])
            rows.append([sp.expand(sp.diff(weighted, x), deep=False) if weighted.is_Add else
                         sp.diff(weighted, x) for x in xs])
    return sp.ImmutableMatrix(rows)


def hvp(f: object, vars: object, v: object, *,
        timeout: float | None = DEFAULT_TIMEOUT
        ) -> sp.ImmutableMatrix | tuple[sp.ImmutableMatrix, ...]:
    """Hessian-vector product ``H v``, without forming the Hessian.

    ``H v`` is the directional derivative of the gradient along v,
    ``d/dε ∇f(x + ε v)`` at ε = 0: one forward pass over each gradient component
    instead of the n² second derivatives of the full Hessian.

    Args:
        f: A scalar, as text or SymPy; or a Transform (then ``vars`` is None
            and the result is a tuple, one product per output).
        vars: The variables.
        v: One vector, or several (a list of vectors or an n × k matrix).
        timeout: Seconds the symbolic work may take.

    Returns:
        An n × 1 column for one vector, n × k for k vectors.

    >>> from symjac import hvp, system
    >>> hvp("x**3 + x*y**2", "x, y", [1, 0]).T
    Matrix([[6*x, 2*y]])
    >>> [h.T for h in hvp(system("polar"), None, [1, 0])]
    [Matrix([[0, -sin(theta)]]), Matrix([[0, cos(theta)]])]
    """
    if isinstance(f, Transform):
        if vars is not None and variables_of(vars) != f.inputs:
            raise DimensionError(f"a Transform is differentiated in its inputs "
                                 f"({', '.join(map(str, f.inputs))}); pass vars=None.", value=vars)
        return tuple(hvp(e, f.inputs, v, timeout=timeout) for e in f.exprs)
    xs = variables_of(vars)
    expr = _scalar(f, xs)
    V = _vectors(v, len(xs), "vector", xs)
    with time_limit(timeout, "computing a Hessian-vector product"):
        grad = [sp.diff(expr, x) for x in xs]
        return _directional(grad, xs, V)


def _directional(exprs: Sequence[sp.Expr], xs: Sequence[sp.Symbol],
                 V: sp.ImmutableMatrix) -> sp.ImmutableMatrix:
    """``d/dε exprs(x + ε v)`` at ε = 0 for each column v of V: forward mode.

    Differentiating the shifted expression in ε walks each expression once,
    instead of once per variable as ``Σ_j v_j ∂e/∂x_j`` would. The direction is
    held in placeholders during differentiation (v may depend on x), then
    substituted.
    """
    eps = sp.Dummy("eps")
    held = sp.symbols(f"w0:{len(xs)}", cls=sp.Dummy)
    shift = {x: x + eps * w for x, w in zip(xs, held)}
    along = [sp.diff(e.xreplace(shift), eps).xreplace({eps: 0}) for e in exprs]
    cols = [[e.xreplace({held[j]: V[j, k] for j in range(len(xs))}) for e in along]
            for k in range(V.cols)]
    return sp.ImmutableMatrix(cols).T


def lambdify_batched(expr: object, vars: object, *, cse: bool = True,
                     timeout: float | None = DEFAULT_TIMEOUT) -> Callable[[np.ndarray], np.ndarray]:
    """A vectorised NumPy function of a symbolic result, for many points at once.

    Args:
        expr: An expression or matrix (a gradient, Hessian, Jacobian, ...).
        vars: Its variables, in the order of the columns of ``points``
            (or a Transform, meaning its inputs).
        cse: Share common subexpressions (faster for Jacobians and Hessians).
        timeout: Seconds the code generation may take.

    Returns:
        ``fn(points)``: points of shape ``(batch, n)`` (or one point ``(n,)``)
        give values of shape ``(batch, *shape)`` (or ``shape``); a column
        (m × 1, such as a gradient) counts as a vector of shape ``(m,)``.

    >>> import numpy as np
    >>> from symjac import hessian, lambdify_batched
    >>> H = hessian("x**2*y + sin(y)", "x, y")
    >>> fn = lambdify_batched(H, "x, y")
    >>> fn(np.array([[1.0, 0.0], [2.0, 1.0]])).shape
    (2, 2, 2)
    >>> np.round(fn(np.array([1.0, 1.0])), 3)
    array([[ 2.   ,  2.   ],
           [ 2.   , -0.841]])
    """
    xs = variables_of(vars)
    if isinstance(expr, (sp.MatrixBase, sp.NDimArray)):
        shape = tuple(expr.shape)
        if len(shape) == 2 and shape[1] == 1:
            shape = shape[:1]  # a column (a gradient, a JVP) is a vector
        flat = list(sp.flatten(expr.tolist()))
    else:
        shape = ()
        flat = [_scalar(expr, xs)]
    flat = [_by_name(e, xs) for e in flat]
    stray = set().union(*(e.free_symbols for e in flat)) - set(xs)
    if stray:
        raise DimensionError(f"the expression uses {', '.join(sorted(map(str, stray)))}, which "
                             f"{'is' if len(stray) == 1 else 'are'} not among the variables "
                             f"({', '.join(map(str, xs))}). Substitute values for them or add them "
                             "to the variables.", value=expr)
    with time_limit(timeout, "generating NumPy code"):
        raw = sp.lambdify(xs, flat, modules="numpy", cse=cse)
    n = len(xs)

    def fn(points: np.ndarray) -> np.ndarray:
        pts = np.asarray(points, dtype=float)
        single = pts.ndim == 1
        pts = np.atleast_2d(pts)
        if pts.shape[-1] != n:
            raise DimensionError(f"points must have {n} columns ({', '.join(map(str, xs))}), got "
                                 f"shape {np.shape(points)}.", value=np.shape(points))
        values = raw(*pts.T)
        out = np.empty((len(flat), len(pts)))
        for row, v in zip(out, values):
            row[...] = v
        out = out.T.reshape((len(pts),) + shape)
        return out[0] if single else out

    return fn


# ---------------------------------------------------------------------- reading inputs


def _by_name(e: sp.Expr, xs: Sequence[sp.Symbol]) -> sp.Expr:
    by_name = {x.name: x for x in xs}
    return e.xreplace({s: by_name[s.name] for s in e.free_symbols
                       if isinstance(s, sp.Symbol) and s.name in by_name and s not in xs})


def _scalar(f: object, xs: tuple[sp.Symbol, ...]) -> sp.Expr:
    if isinstance(f, (sp.MatrixBase, list, tuple, Transform)):
        raise DimensionError(f"expected one scalar expression, got {type(f).__name__}. "
                             "For a vector-valued function use jvp/vjp, or a Transform.", value=f)
    return read_scalar(f, chart_of(xs, None), "function")


def _function(f: object, vars: object) -> tuple[tuple[sp.Expr, ...], tuple[sp.Symbol, ...]]:
    """``(expressions, variables)`` of a Transform or of expression(s) with vars."""
    if isinstance(f, Transform):
        return f.exprs, f.inputs
    if vars is None:
        raise DimensionError("pass vars=... (e.g. \"x, y\") to differentiate an expression, or "
                             "pass a Transform.", expected="variables")
    xs = variables_of(vars)
    items = list(f) if isinstance(f, (list, tuple, sp.MatrixBase)) else [f]
    return tuple(_scalar(e, xs) for e in items), xs


def _vectors(v: object, n: int, what: str, xs: Sequence[sp.Symbol]) -> sp.ImmutableMatrix:
    """Vectors as the columns of an n × k matrix."""
    if isinstance(v, str):
        from .metric import split_components

        v = [parse_expression(p, symbols={x.name: x for x in xs}) for p in split_components(v)]
    if isinstance(v, np.ndarray):
        v = v.tolist()
    if isinstance(v, sp.MatrixBase):
        M = sp.ImmutableMatrix(v)
        if M.rows != n and M.cols == n and M.rows == 1:
            M = M.T
    elif isinstance(v, (list, tuple)) and v and all(isinstance(e, (list, tuple, sp.MatrixBase))
                                                     for e in v):
        M = sp.ImmutableMatrix([list(e) for e in v]).T
    elif isinstance(v, (list, tuple)):
        M = sp.ImmutableMatrix(list(v))
    else:
        raise ParseError(f"expected a {what} as a list of {n} numbers or expressions, got "
                         f"{type(v).__name__} {v!r:.60}.", text=None)
    if M.rows != n:
        raise DimensionError(f"each {what} needs {n} entries (one per "
                             f"{'variable' if what != 'covector' else 'output'}), got {M.rows}.",
                             value=v, expected=f"{n} entries")
    return sp.ImmutableMatrix(M.applyfunc(lambda e: _by_name(sp.sympify(e), xs)))
