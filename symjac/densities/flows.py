"""Normalising flows: ``log|det J|`` of a square map, symbolic and as a NumPy function."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import sympy as sp

from ..errors import DimensionError
from ..jacobian import volume_element
from ..timeouts import DEFAULT_TIMEOUT, time_limit
from ..transform import Transform, require_transform


__all__ = ['LogAbsDetJacobian', 'log_abs_det_jacobian']


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
    require_transform(t, "log_abs_det_jacobian")
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
