"""Fast numbers from a Transform, and numeric checks of its Jacobian.

``lambdify_transform(t, what)`` compiles the map, its Jacobian, its
determinant, volume element or log|det J| into one vectorised function over
arrays of points ``(batch, n)``: common subexpressions are computed once,
operations run in place on cache-sized chunks, and the compiled function is
reused for the same Transform. The ``mpmath`` backend evaluates single points
at any precision. ``check_jacobian`` compares a Jacobian (symjac's or a
claimed one) with complex-step or central differences and returns a
``CheckReport``.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import mpmath
import numpy as np
import sympy as sp

from .codegen import EXTENDED, accelerator_available, generate, needs_extended_precision
from .accelerated import generate_numba
from ..domains.signs import sample_points
from ..errors import DimensionError, DomainError, SymjacError
from ..jacobian import jacobian, jacobian_analysis, jacobian_determinant
from ..parsing import parse_expression
from ..report import CheckReport, require_count, require_tolerances
from ..transform import Transform, require_transform

__all__ = ["CompiledTransform", "lambdify_transform", "check_jacobian"]

What = Literal["jacobian", "det", "volume_element", "log_abs_det", "exprs"]
Backend = Literal["numpy", "scipy", "mpmath", "numba", "auto"]
_WHATS = ("jacobian", "det", "volume_element", "log_abs_det", "exprs")
_BACKENDS = ("numpy", "scipy", "mpmath", "numba", "auto")


@dataclass(frozen=True, eq=False)
class CompiledTransform:
    """A compiled, vectorised function of a Transform; call it on points.

    Call with an array of shape ``(batch, n)`` (n = number of inputs) to get
    ``(batch, m, n)`` for ``"jacobian"``, ``(batch, m)`` for ``"exprs"`` and
    ``(batch,)`` for the scalars; a single point of shape ``(n,)`` gives one
    result without the batch axis. Transforms with parameters take their
    values as ``parameters={"a": 2.0}``. The ``mpmath`` backend takes one
    point (numbers or strings such as ``"0.1"``) and returns mpmath numbers.

    Attributes:
        transform: The transform compiled.
        what: Which quantity (``"jacobian"``, ``"det"``, ...).
        backend: ``"numpy"``, ``"scipy"``, ``"numba"`` or ``"mpmath"`` (``"auto"`` is resolved
            to the backend it chose).
        exprs: The SymPy expressions evaluated, flattened row by row.
        source: The generated code (fused kernels), for reading.
        shape: The shape of one result (``(m, n)``, ``(m,)`` or ``()``).
    """

    transform: Transform
    what: str
    backend: str
    exprs: tuple[sp.Expr, ...]
    source: str
    shape: tuple[int, ...]
    _kernel: object
    _fallback: object
    dps: int = 30
    _accelerated: object = None  # numba's kernel for float64 points; complex ones use _kernel
    _extended: bool = False  # float64 points run through _kernel in long double (see codegen)

    @property
    def arguments(self) -> tuple[sp.Symbol, ...]:
        """The symbols the function reads: the inputs, then the parameters."""
        return self.transform.inputs + self.transform.parameters

    def __call__(self, points: object, *, parameters: Mapping[object, float] | Sequence[float] | None = None,
                 out: np.ndarray | None = None) -> object:
        if self.backend == "mpmath":
            return self._call_mpmath(points, parameters)
        X, single = self._points(points, parameters)
        batch = X.shape[0]
        size = int(np.prod(self.shape)) if self.shape else 1
        dtype = np.result_type(X.dtype, np.float64)
        if out is None:
            out = np.empty((batch,) + self.shape, dtype=dtype)
        elif out.shape != (batch,) + self.shape:
            raise DimensionError(f"out has shape {out.shape}; expected {(batch,) + self.shape}.",
                                 value=out.shape)
        flat = out.reshape(batch, size)
        with np.errstate(all="ignore"):
            if self._extended and X.dtype == np.float64:
                wide = np.empty(flat.shape, dtype=EXTENDED)
                self._kernel(X.astype(EXTENDED), wide)  # type: ignore[operator]
                flat[...] = wide
            elif self._accelerated is not None and X.dtype == np.float64:
                self._accelerated(X, flat)  # type: ignore[operator]
            elif self._kernel is not None:
                self._kernel(X, flat)  # type: ignore[operator]
            else:
                self._call_fallback(X, flat)
        if not np.shares_memory(flat, out):
            out[...] = flat.reshape(out.shape)
        return out[0] if single else out

    def _call_fallback(self, X: np.ndarray, flat: np.ndarray) -> None:
        values = self._fallback(*X.T)  # type: ignore[operator]
        for j, v in enumerate(values):
            flat[:, j] = v

    def _points(self, points: object, parameters: object) -> tuple[np.ndarray, bool]:
        X = np.asarray(points)
        if X.dtype.kind not in "fc":
            X = X.astype(np.float64)
        n = len(self.transform.inputs)
        single = X.ndim == 1
        if single:
            X = X[None, :]
        if X.ndim != 2 or X.shape[1] != n:
            names = ", ".join(s.name for s in self.transform.inputs)
            raise DimensionError(
                f"points must have shape (batch, {n}) — one column per input ({names}) — "
                f"but have shape {np.shape(points)}.", value=np.shape(points),
                expected=f"(batch, {n})")
        params = self.transform.parameters
        if params:
            values = _parameter_values(params, parameters)
            X = np.concatenate([X, np.broadcast_to(values, (X.shape[0], len(params))).astype(X.dtype)],
                               axis=1)
        elif parameters:
            raise DimensionError("this transform has no parameters, but parameters were given.",
                                 value=parameters)
        return X, single

    def _call_mpmath(self, point: object, parameters: object) -> object:
        if isinstance(point, np.ndarray) and point.ndim == 2 and point.shape[0] == 1:
            point = point[0]  # a batch of one point
        values = list(point) if isinstance(point, (list, tuple, np.ndarray)) else [point]
        n = len(self.transform.inputs)
        if len(values) != n or any(isinstance(v, (list, tuple, np.ndarray)) for v in values):
            names = ", ".join(s.name for s in self.transform.inputs)
            raise DimensionError(f"the mpmath backend takes one point with {n} coordinates "
                                 f"({names}), got {np.shape(point)}.", value=point,
                                 hint="Pass a single point such as [1, '0.5', ...] (strings keep "
                                      "every digit); for many points use backend='numpy'.")
        if self.transform.parameters:
            values += list(_parameter_values(self.transform.parameters, parameters, as_float=False))
        with mpmath.workdps(self.dps):
            args = [mpmath.mpf(v) if isinstance(v, (str, int, float)) else v for v in values]
            result = self._fallback(*args)  # type: ignore[operator]
            if self.what == "jacobian":
                return mpmath.matrix([list(row) for row in result])
            if self.what == "exprs":
                return tuple(result)
            return result

    def __repr__(self) -> str:
        return f"CompiledTransform({self.what!r} of {self.transform!r}, backend={self.backend!r})"


def _parameter_values(params: tuple[sp.Symbol, ...], given: object, *, as_float: bool = True) -> list:
    names = ", ".join(p.name for p in params)
    if given is None:
        raise DimensionError(f"this transform has parameters ({names}); pass their values as "
                             f"parameters={{'{params[0].name}': ...}}.", value=None, expected=names)
    if isinstance(given, Mapping):
        by_name = {(k.name if isinstance(k, sp.Symbol) else str(k)): v for k, v in given.items()}
        missing = [p.name for p in params if p.name not in by_name]
        if missing:
            raise DimensionError(f"no value given for the parameter(s) {', '.join(missing)}.",
                                 value=given, expected=names)
        values = [by_name[p.name] for p in params]
    else:
        values = list(given)  # type: ignore[call-overload]
        if len(values) != len(params):
            raise DimensionError(f"expected {len(params)} parameter values ({names}), got {len(values)}.",
                                 value=given)
    return [float(v) for v in values] if as_float else values


def lambdify_transform(
    t: Transform,
    what: What = "jacobian",
    *,
    backend: Backend = "numpy",
    approximate_trig: bool = False,
    dps: int = 30,
    extended_precision: bool | None = None,
    fast: bool | None = None,
) -> CompiledTransform:
    """Compile a quantity of a transform into a fast vectorised function.

    Args:
        t: The transform.
        what: ``"jacobian"`` (m×n matrix ``d outputs / d inputs``), ``"det"``
            (signed determinant; square maps), ``"volume_element"`` (``|det J|``
            or the pseudo-determinant), ``"log_abs_det"`` (``log|det J|``, as a
            sum of logs of the factors, so it neither overflows nor underflows),
            or ``"exprs"`` (the map itself).
        backend: ``"numpy"`` (fused NumPy code, the default: it always works), ``"scipy"`` (also
            special functions such as ``erf`` and ``gamma``), ``"numba"`` (one compiled loop
            over the points; needs numba, ``pip install 'symjac[accel]'``; the first call
            compiles it, about a second), ``"auto"`` (numba where it is installed and the
            formulas allow it, else NumPy) or ``"mpmath"`` (one point at a time, at ``dps``
            decimal digits). The NumPy and numba kernels are equally accurate: within 4 units
            in the last place (ulp), normwise, of the exact Jacobian and volume element of
            every named system, at special angles, their float neighbours, tiny and huge
            lengths and near-cancellation (``tests/test_kernel_accuracy.py``).
        approximate_trig: Trade accuracy for speed: compute ``sin`` and ``cos`` of an angle
            together from one ``tan`` of the half angle (NumPy backend). It is faster only
            where NumPy's ``tan`` is vectorised (AVX-512). Its error bound is absolute, not
            relative: each ``sin`` and ``cos`` is within about 2e-16 of the true value, so a
            Jacobian stays within 8 ulp normwise (measured: up to 4), but a value near a zero
            of ``cos`` (``cos(pi/2)``, and a volume element with that factor) can lose every
            digit (measured: 1e16 ulp for the oblate spheroidal volume element at nu = pi/2).
        extended_precision: Evaluate in NumPy's ``long double`` (80-bit on x86-64) and round
            once at the end: within 1 ulp, and 10-15 times slower. ``None`` (the default) does it
            only where doubles would lose more than 4 ulp because a power of a sum of rounded
            values multiplies their errors (the bipolar and toroidal denominators, whose cube
            reached 5-10 ulp); ``True`` everywhere (for example the hyperspherical volume element
            at n = 6, a product of ten rounded sines: 4.2 ulp in doubles); ``False`` never. The
            numba backend hands such formulas to the NumPy kernel, and where ``long double`` is
            no wider than a double (Windows, macOS on ARM) the option changes nothing.
        fast: The former name of ``approximate_trig``; still accepted, with a
            ``DeprecationWarning``.
        dps: Decimal digits for the mpmath backend.

    Returns:
        A ``CompiledTransform``; the same object is returned for the same arguments.

    Raises:
        DimensionError: ``"det"``/``"log_abs_det"`` of a map that is not square.

    >>> import numpy as np
    >>> from symjac import system, lambdify_transform
    >>> det = lambdify_transform(system("spherical"), "det")
    >>> det(np.array([[2.0, np.pi / 2, 0.3], [1.0, np.pi / 6, 0.0]])).round(12)
    array([4. , 0.5])
    >>> lambdify_transform(system("polar"), "jacobian")([2.0, 0.0])
    array([[ 1., -0.],
           [ 0.,  2.]])
    >>> import mpmath
    >>> precise = lambdify_transform(system("spherical"), "det", backend="mpmath", dps=40)
    >>> mpmath.nstr(precise(["2", "1", "0"]), 35)                  # 4*sin(1)
    '3.365883939231586026610009286521196'
    """
    require_transform(t, "lambdify_transform")
    if fast is not None:
        import warnings

        warnings.warn("lambdify_transform(fast=...) is now approximate_trig=...: it trades accuracy "
                      "near the zeros of cos for speed.", DeprecationWarning, stacklevel=2)
        approximate_trig = approximate_trig or bool(fast)
    if what not in _WHATS:
        raise SymjacError(f"unknown quantity {what!r}; expected one of {', '.join(_WHATS)}.",
                          value=what, expected=", ".join(_WHATS))
    if backend not in _BACKENDS:
        raise SymjacError(f"unknown backend {backend!r}; expected one of {', '.join(_BACKENDS)}.",
                          value=backend, expected=", ".join(_BACKENDS))
    if backend in ("numba", "auto"):
        if accelerator_available("numba") and not approximate_trig:
            backend = "numba"
        elif backend == "numba":
            reason = ("numba has no approximate_trig kernel; use backend='numpy'" if approximate_trig
                      else "numba is not installed; pip install 'symjac[accel]' or use backend='numpy'")
            raise SymjacError(f"backend='numba' is not available here: {reason}.", value=backend,
                              expected="numpy, scipy, mpmath, auto")
        else:
            backend = "numpy"
    if extended_precision not in (None, True, False):
        raise SymjacError(f"extended_precision must be None, True or False, not {extended_precision!r}.",
                          value=extended_precision, expected="None, True, False")
    if extended_precision and approximate_trig:
        raise SymjacError("extended_precision=True and approximate_trig=True ask for opposite "
                          "trades (more digits, fewer digits); choose one.",
                          value=extended_precision, expected="one of the two options")
    return _compile(t, what, backend, bool(approximate_trig), int(dps) if backend == "mpmath" else 30,
                    extended_precision)


@functools.lru_cache(maxsize=128)
def _compile(t: Transform, what: str, backend: str, fast: bool, dps: int,
             extended_precision: bool | None = None) -> CompiledTransform:
    exprs, shape = _quantity(t, what)
    args = t.inputs + t.parameters
    if backend == "mpmath":
        body = sp.Matrix(shape[0], shape[1], exprs).tolist() if what == "jacobian" else \
            (list(exprs) if what == "exprs" else exprs[0])
        fn = sp.lambdify(args, body, modules="mpmath", cse=True)
        return CompiledTransform(t, what, backend, exprs, _source(fn), shape, None, fn, dps)
    kernel = generate(exprs, args, fast=fast, special=backend == "scipy")
    extended = kernel is not None and EXTENDED is not None and not fast and backend != "scipy" \
        and (needs_extended_precision(exprs) if extended_precision is None else extended_precision)
    accelerated = generate_numba(exprs, args) if backend == "numba" and not extended else None
    if kernel is not None:
        source = accelerated.source if accelerated is not None else kernel.source
        return CompiledTransform(t, what, backend, exprs, source, shape, kernel.function, None,
                                 _accelerated=accelerated.function if accelerated else None,
                                 _extended=extended)
    modules = ["scipy", "numpy"] if backend == "scipy" else ["numpy"]
    fn = sp.lambdify(args, list(exprs), modules=modules, cse=True)
    return CompiledTransform(t, what, backend, exprs, _source(fn), shape, None, fn)


def _source(fn: object) -> str:
    import inspect

    try:
        return inspect.getsource(fn)  # type: ignore[arg-type]
    except (OSError, TypeError):
        return ""


def _quantity(t: Transform, what: str) -> tuple[tuple[sp.Expr, ...], tuple[int, ...]]:
    n, m = t.dims
    if what == "exprs":
        return t.exprs, (m,)
    if what == "jacobian":
        return tuple(jacobian(t)), (m, n)
    if what == "det":
        return (jacobian_determinant(t),), ()
    if what == "volume_element":
        return (jacobian_analysis(t).volume_element,), ()
    det = jacobian_determinant(t)  # log_abs_det: square maps only
    return (_log_abs(det),), ()


def _log_abs(expr: sp.Expr) -> sp.Expr:
    """``log|expr|`` as a sum over the factors, e.g. ``2*log(r) + log(|sin(theta)|)``."""
    coeff, factors = expr.as_coeff_mul()
    terms = [sp.log(abs(coeff))] if coeff not in (1, -1) else []
    for f in factors:
        base, exponent = f.as_base_exp()
        terms.append(exponent * sp.log(sp.Abs(base)))
    return sp.Add(*terms)


# ---------------------------------------------------------------------- checking


_NOT_ANALYTIC = (sp.Abs, sp.sign, sp.Max, sp.Min, sp.Piecewise, sp.floor, sp.ceiling,
                 sp.Heaviside, sp.re, sp.im, sp.arg, sp.conjugate, sp.atan2)


def _complex_step_allowed(exprs: Sequence[sp.Expr]) -> bool:
    return not any(e.has(*_NOT_ANALYTIC) for e in exprs)


def check_jacobian(
    t: Transform,
    points: np.ndarray | None = None,
    *,
    claimed: object = None,
    n_points: int = 16,
    method: Literal["auto", "complex_step", "central"] = "auto",
    rtol: float = 1e-7,
    atol: float = 1e-9,
    seed: int | None = 0,
    parameters: Mapping[object, float] | None = None,
) -> CheckReport:
    """Compare a Jacobian with numerical derivatives of the map at points.

    The derivatives come from the complex step ``Im f(x + ih e_j) / h`` (exact
    to rounding; used when the map has no ``Abs``, ``sign``, ``Piecewise``...)
    or from central differences with Richardson extrapolation, whose own error
    is estimated from two step sizes and reported.

    Args:
        t: The transform.
        points: Rows of input values; by default ``n_points`` random points of
            the domain, drawn with ``seed``.
        claimed: A Jacobian to check instead of symjac's (a matrix, nested lists
            of expressions or text), e.g. one worked out by hand.
        n_points: How many random points to draw when ``points`` is None.
        method: ``"complex_step"``, ``"central"`` or ``"auto"``.
        rtol: Relative tolerance per entry.
        atol: Absolute tolerance per entry.
        seed: Seed for drawing points (and for parameter values, if any).
        parameters: Values of the transform's parameters (otherwise drawn from the domain).

    Returns:
        A ``CheckReport`` with the largest error, the worst point and the points used.

    >>> from symjac import Transform, check_jacobian
    >>> T = Transform.from_equations("u = x**2/y, v = y**2/x", domain="x > 0, y > 0")
    >>> check_jacobian(T).verdict
    'passed'
    >>> wrong = [["2*x/y", "x**2/y**2"], ["-y**2/x**2", "2*y/x"]]     # a sign slipped
    >>> r = check_jacobian(T, claimed=wrong)
    >>> r.verdict, r.method
    ('failed', 'complex step')
    """
    require_transform(t, "check_jacobian")
    require_tolerances(rtol, atol)
    if points is None:
        require_count("n_points", n_points, 2, example="16")
    n, m = t.dims
    rng = np.random.default_rng(seed)
    pts, param_values = _check_points(t, points, n_points, rng, parameters)
    matrix = _claimed_matrix(t, claimed) if claimed is not None else jacobian(t)
    symbolic = _evaluate_matrix(t, matrix, pts, param_values)
    use_complex = method == "complex_step" or (method == "auto" and _complex_step_allowed(t.exprs))
    if method == "complex_step" and not _complex_step_allowed(t.exprs):
        raise SymjacError("the complex step needs an analytic map, but this one uses Abs, sign, "
                          "Piecewise or similar. Use method='central'.", value=method)
    fmap = lambdify_transform(t, "exprs")
    kwargs = {"parameters": param_values} if t.parameters else {}
    notes: list[str] = []
    if use_complex:
        numeric, estimate = _complex_step(fmap, pts, kwargs)
        name = "complex step"
        bad = ~np.isfinite(numeric)
        if bad.any():  # a branch cut: fall back to differences there
            central, est_c = _central(fmap, pts, kwargs)
            numeric = np.where(bad, central, numeric)
            estimate = np.where(bad, est_c, estimate)
            name = "complex step, central differences where it failed"
    else:
        numeric, estimate = _central(fmap, pts, kwargs)
        name = "central differences (Richardson)"
    finite = np.all(np.isfinite(numeric) & np.isfinite(symbolic), axis=(1, 2))
    if not finite.all():
        notes.append(f"{int((~finite).sum())} of {len(pts)} points gave non-finite values and were "
                     "left out (a singular point or outside the domain)")
    what = "Jacobian" + (" (claimed)" if claimed is not None else "") + f" of {t!r}"
    if finite.sum() == 0:
        return CheckReport("inconclusive", what, name, reason="No point gave finite values.",
                           points=pts, sample_size=len(pts), seed=seed, warnings=tuple(notes),
                           rtol=rtol, atol=atol)
    num, sym, est = numeric[finite], symbolic[finite], estimate[finite]
    diff = np.abs(num - sym)
    tol = atol + rtol * np.maximum(np.abs(num), np.abs(sym))
    failed_entries = diff > tol + est
    unsure = (diff > tol) & ~failed_entries | (est > tol)
    per_point = (diff / (tol + est)).max(axis=(1, 2))
    worst = int(np.argmax(per_point))
    i, j = np.unravel_index(int(np.argmax(diff[worst] / (tol[worst] + est[worst]))), (m, n))
    good_pts = pts[finite]
    if failed_entries.any():
        verdict = "failed"
        reason = (f"At {len(np.nonzero(failed_entries.any(axis=(1, 2)))[0])} of {len(num)} points the "
                  f"Jacobian disagrees with the numerical derivatives, worst in entry "
                  f"d{t.outputs[i]}/d{t.inputs[j]}: {sym[worst, i, j]:.10g} against "
                  f"{num[worst, i, j]:.10g}.")
    elif unsure.any():
        verdict = "inconclusive"
        reason = ("The numerical derivatives are not accurate enough here to confirm the Jacobian "
                  f"to rtol={rtol:g}, atol={atol:g} (error estimate up to {float(est.max()):.3g}).")
    else:
        verdict = "passed"
        reason = f"All {m * n} entries agree at {len(num)} points within the tolerances."
    rel = diff / np.maximum(np.abs(sym), np.finfo(float).tiny)
    return CheckReport(
        verdict, what, name, value=num, expected=sym, error=float(diff.max()),
        relative_error=float(np.where(diff > 0, rel, 0.0).max()), error_estimate=float(est.max()),
        rtol=rtol, atol=atol, reason=reason, points=good_pts, sample_size=len(num), seed=seed,
        worst_point=tuple(float(v) for v in good_pts[worst]), warnings=tuple(notes))


def _check_points(t: Transform, points: object, n_points: int, rng: np.random.Generator,
                  parameters: object) -> tuple[np.ndarray, list[float] | None]:
    syms = t.inputs + t.parameters
    param_values = None
    if t.parameters and parameters is not None:
        param_values = _parameter_values(t.parameters, parameters)
    if points is None:
        try:
            drawn = sample_points(syms, t.domain, max(n_points, 1), rng=rng)
        except ValueError as exc:
            raise DomainError(f"could not draw points in the domain of {t!r}: {exc}",
                              hint="Pass points=... explicitly.") from None
        pts = drawn[:, : len(t.inputs)]
        if t.parameters and param_values is None:
            param_values = [float(v) for v in drawn[0, len(t.inputs):]]
    else:
        pts = np.atleast_2d(np.asarray(points, dtype=float))
        if pts.shape[1] != len(t.inputs):
            raise DimensionError(f"points must have {len(t.inputs)} columns, one per input "
                                 f"({', '.join(s.name for s in t.inputs)}); got shape {pts.shape}.",
                                 value=pts.shape)
        if t.parameters and param_values is None:
            raise DimensionError("this transform has parameters; pass parameters={...} with points.",
                                 value=t.parameters)
    return pts, param_values


def _claimed_matrix(t: Transform, claimed: object) -> sp.ImmutableMatrix:
    by_name = {s.name: s for s in t.inputs + t.parameters}

    def read(e: object) -> sp.Expr:
        expr = parse_expression(e, symbols=by_name) if isinstance(e, str) else sp.sympify(e, strict=True)
        return expr.xreplace({s: by_name[s.name] for s in expr.free_symbols if s.name in by_name})

    rows = claimed.tolist() if isinstance(claimed, sp.MatrixBase) else [list(r) for r in claimed]  # type: ignore[union-attr]
    M = sp.ImmutableMatrix([[read(e) for e in row] for row in rows])
    n, m = t.dims
    if M.shape != (m, n):
        raise DimensionError(f"the claimed Jacobian is {M.shape[0]}×{M.shape[1]}, but d outputs/d inputs "
                             f"of this map is {m}×{n} (one row per output).", value=M.shape)
    stray = sorted(s.name for s in M.free_symbols if s.name not in by_name)
    if stray:
        raise DimensionError(f"the claimed Jacobian uses {', '.join(stray)}, which is not an input "
                             "or parameter of the transform.", value=stray)
    return M


def _evaluate_matrix(t: Transform, M: sp.ImmutableMatrix, pts: np.ndarray,
                     params: list[float] | None) -> np.ndarray:
    args = t.inputs + t.parameters
    X = pts if not t.parameters else np.column_stack([pts, np.broadcast_to(params, (len(pts), len(params)))])
    kernel = generate(list(M), args, fast=False)
    out = np.empty((len(pts), M.rows * M.cols))
    with np.errstate(all="ignore"):
        if kernel is not None:
            kernel.function(X, out)
        else:
            fn = sp.lambdify(args, list(M), modules=["scipy", "numpy"])
            for j, v in enumerate(fn(*X.T)):
                out[:, j] = v
    return out.reshape(len(pts), M.rows, M.cols)


def _complex_step(fmap: CompiledTransform, pts: np.ndarray, kwargs: dict) -> tuple[np.ndarray, np.ndarray]:
    k, n = pts.shape
    h = 1e-20
    X = np.repeat(pts[:, None, :], n, axis=1).astype(complex)  # (k, n, n): row j perturbs input j
    X[:, np.arange(n), np.arange(n)] += 1j * h
    values = fmap(X.reshape(k * n, n), **kwargs).reshape(k, n, -1)  # (k, n inputs, m outputs)
    base = fmap(pts, **kwargs)
    jac = np.swapaxes(values.imag / h, 1, 2)  # (k, m, n)
    # where the real part moved, the map is not analytic there: mark as unusable
    moved = np.abs(values.real - base[:, None, :]) > 1e-12 * (1 + np.abs(base[:, None, :]))
    jac = np.where(np.swapaxes(moved, 1, 2), np.nan, jac)
    return jac, 4 * np.finfo(float).eps * np.abs(jac)


def _central(fmap: CompiledTransform, pts: np.ndarray, kwargs: dict) -> tuple[np.ndarray, np.ndarray]:
    k, n = pts.shape

    def diff(h: np.ndarray) -> np.ndarray:
        X = np.repeat(pts[:, None, :], 2 * n, axis=1)
        idx = np.arange(n)
        X[:, idx, idx] += h
        X[:, n + idx, idx] -= h
        values = fmap(X.reshape(k * 2 * n, n), **kwargs).reshape(k, 2 * n, -1)
        d = (values[:, :n] - values[:, n:]) / (2 * h[:, :, None])
        return np.swapaxes(d, 1, 2)

    h = 4e-3 * np.maximum(1.0, np.abs(pts))
    h = (pts + h) - pts  # steps that are exactly representable
    d1, d2, d3 = diff(h), diff(h / 2), diff(h / 4)
    first = (4 * d2 - d1) / 3  # Richardson: the h² error terms cancel
    richardson = (4 * d3 - d2) / 3
    scale = np.abs(fmap(pts, **kwargs))[:, :, None]
    rounding = 8 * np.finfo(float).eps * (scale + np.abs(richardson)) / (h[:, None, :] / 4)
    estimate = np.abs(richardson - first) + rounding
    return richardson, estimate
