"""Every compiled kernel against mpmath on adversarial points, for every named system.

The Jacobian and the volume element of each system in ``available_systems()`` are compiled by
every kernel symjac has (the default NumPy kernel, the approximate ``approximate_trig`` kernel,
and numba where it is installed) and compared with the exact value, computed by mpmath from the
symbolic formulas at 50 significant digits or more, at points chosen to break kernels:

- angles at 0, pi/2, pi, 3pi/2, 2pi and their floating-point neighbours, tiny and huge angles;
- lengths (r, z, sigma, the parameter a) tiny (1e-300), huge (1e150) and ordinary;
- arguments of sinh and cosh tiny (1e-300, 1e-8) and large (30), with angles near 0 and 2pi at
  the same time, where ``cosh(tau) - cos(sigma)`` cancels almost completely;
- uniform random points of the domain, and 400 more spread over each input's range.

The toroidal and bipolar formulas that raise a sum of rounded values to a power run in long
double (``extended_precision``), as does the hyperspherical n = 6 volume element here, on request.

The error is normwise: ``||computed - exact|| / ulp(||exact||)`` for the Jacobian (Frobenius
norm) and ``|computed - exact| / ulp(|exact|)`` for the volume element, where ``ulp(y)`` is the
spacing of doubles at y (``numpy.spacing``). An exact value below the normal range of doubles
only needs a result below it too (it may be flushed to zero, as libm's functions may), and exact
values beyond the range of doubles are left out: no float64 kernel can return them. A huge or
tiny length meets ordinary values of the other inputs: with r = 1e150 and an angle of 1e-300 the
factor r**3 of a product overflows on the way although the product does not, which no kernel
that multiplies the factors in float64 gets right.
"""

from __future__ import annotations

import functools
import math

import mpmath
import numpy as np
import pytest
import sympy as sp

import symjac as sj
from symjac import jacobian, lambdify_transform, volume_element
from symjac.numeric.codegen import EXTENDED, accelerator_available

ULP_LIMIT = 4.0
#: The bound stated in ``lambdify_transform``'s docstring for ``approximate_trig=True``.
APPROXIMATE_TRIG_ULP = 8.0

SYSTEMS = [(info.name, {}) for info in sj.available_systems()] + [("hyperspherical", {"n": 6})]
_TINY = np.finfo(float).tiny
_EPS = np.finfo(float).eps
_HUGE = np.finfo(float).max


def _near(values):
    values = np.asarray(values, dtype=float)
    return np.concatenate([values, np.nextafter(values, np.inf), np.nextafter(values, -np.inf)])


_ANGLES = _near([0.0, np.pi / 2, np.pi, 3 * np.pi / 2, 2 * np.pi, -np.pi / 2, -np.pi])
_ANGLES = np.concatenate([_ANGLES, [1e-300, 1e-8, 1e150, -1e150]])
_LENGTHS = np.array([1e-300, 1e-8, 1e150, 0.0, 1.0, 2.5, -1e150, -1e-300, -2.5])
_ORDINARY_LENGTHS = np.array([0.5, 1.0, 2.5])
_HYPERBOLIC = np.array([1e-300, -1e-300, 1e-8, 30.0, -30.0, 0.0])


def _kind(t, s):
    """Which adversarial values an input gets: angles inside sin and cos, arguments of sinh and
    cosh, or lengths (everything else)."""
    exprs = t.exprs
    hyperbolic = any(f.args[0].has(s) for e in exprs for f in e.atoms(sp.sinh, sp.cosh))
    if hyperbolic:
        return _HYPERBOLIC
    if any(f.args[0].has(s) for e in exprs for f in e.atoms(sp.sin, sp.cos)):
        return _ANGLES
    return _LENGTHS


def _length(values) -> bool:
    return values.max() > 1e100 and values is not _ANGLES


@functools.cache
def _case(name, n):
    t = sj.system(name, **({"n": n} if n else {}))
    args = t.inputs + t.parameters
    kinds = [_kind(t, s) for s in args]
    rng = np.random.default_rng(sum(map(ord, name)) + (n or 0))
    from symjac.domains.signs import sample_points

    base = sample_points(args, t.domain, 12, rng=rng)
    for i, values in enumerate(kinds):  # a length that the domain keeps positive stays positive
        if values is _LENGTHS and np.all(base[:, i] > 0):
            kinds[i] = values[values > 0]
    rows = [base]
    for i, values in enumerate(kinds):  # one coordinate adversarial at a time
        block = np.repeat(base[:1], len(values), axis=0)
        block[:, i] = values
        rows.append(block)
    mixed = np.repeat(base[1:2], 16, axis=0)  # several at once, drawn at random
    for i, values in enumerate(kinds):
        if _length(values):  # lengths: huge and tiny ones only one at a time (see above)
            values = _ORDINARY_LENGTHS
        pick = rng.random(len(mixed)) < 0.6
        mixed[pick, i] = rng.choice(values, pick.sum())
    rows.append(mixed)
    rows.append(_spread(kinds, base, rng))
    small = [i for i, k in enumerate(kinds) if k is _ANGLES or k is _HYPERBOLIC]
    if small:  # near-cancellation: every angle and hyperbolic argument tiny or near 2*pi at once
        for value in (1e-300, 1e-8, np.nextafter(2 * np.pi, 0)):
            p = base[2].copy()
            for i in small:
                p[i] = value if kinds[i] is _ANGLES or value < 1 else 1e-8
            rows.append(p[None, :])
    pts = np.concatenate(rows)
    J = jacobian(t)
    vol = volume_element(t)
    exact_jac = sp.lambdify(args, list(J), modules="mpmath", cse=True)
    exact_vol = sp.lambdify(args, vol, modules="mpmath")
    jac_values, vol_values = [], []
    for p in pts:
        jac_values.append(_exact(exact_jac, p, many=True))
        vol_values.append(_exact(exact_vol, p, many=False))
        if J.rows == J.cols:  # an independent witness of the exact volume element: |det| of J
            with mpmath.workdps(_digits(p)):
                M = mpmath.matrix(J.rows, J.cols)
                for k, v in enumerate(jac_values[-1]):
                    M[k // J.cols, k % J.cols] = v
                det = abs(mpmath.det(M))
                v = abs(vol_values[-1])
                assert abs(det - v) <= mpmath.mpf(10) ** -30 * max(abs(v), mpmath.mpf(10) ** -600) \
                    or (v == 0 and det == 0), (name, p)
    return t, pts, _as_floats(jac_values), _as_floats(vol_values)


def _spread(kinds, base, rng, count=400):
    """Points spread over the range where each formula is used: angles uniform on (-2pi, 2pi),
    arguments of sinh and cosh uniform on (-12, 12) (where cosh(tau) - cos(sigma) is large and
    its rounding error is cubed in the toroidal volume element), other inputs as the domain's
    sample, so that a kernel is measured on more than a dozen random points."""
    block = base[rng.integers(0, len(base), count)].copy()
    for i, values in enumerate(kinds):
        if values is _ANGLES:
            block[:, i] = rng.uniform(-2 * np.pi, 2 * np.pi, count)
        elif values is _HYPERBOLIC:
            block[:, i] = rng.uniform(-12.0, 12.0, count)
    return block


def _digits(point) -> int:
    """Working digits: 60, plus what the magnitudes of the coordinates can cancel."""
    scale = max((abs(math.log10(abs(v))) for v in point if v != 0), default=0.0)
    return 60 + int(2 * scale)


def _exact(fn, point, *, many):
    """The value at the exact binary point: evaluated at more and more digits until two
    evaluations 40 digits apart agree to 50 significant digits (normwise)."""
    digits = _digits(point)
    previous = None
    for _ in range(6):
        with mpmath.workdps(digits):
            value = fn(*(mpmath.mpf(float(v)) for v in point))
            value = [+v for v in value] if many else [+value]
            if previous is not None:
                change = mpmath.sqrt(sum((a - b) ** 2 for a, b in zip(previous, value)))
                size = mpmath.sqrt(sum(b ** 2 for b in value))
                if change <= mpmath.mpf(10) ** -50 * size:
                    return value if many else value[0]
        previous, digits = value, digits + 40
    raise AssertionError(f"the reference value at {tuple(point)} does not settle")


def _as_floats(values):
    """Exact values as (hi, lo, norm): hi + lo carries each value to about 32 digits, which is
    plenty to count ulps; norm is the exact Frobenius norm rounded to a double (inf beyond)."""
    rows = [v if isinstance(v, list) else [v] for v in values]
    hi = np.array([[float(e) for e in row] for row in rows])
    lo = np.array([[float(e - float(e)) if abs(e) <= _HUGE else 0.0 for e in row] for row in rows])
    norm = np.array([float(mpmath.sqrt(sum(e * e for e in row))) for row in rows])
    return hi, lo, norm


def _norms(a):
    """Row norms that neither overflow nor underflow on the way (numpy's squares would)."""
    scale = np.max(np.abs(a), axis=1)
    with np.errstate(all="ignore"):
        ratio = np.where(scale[:, None] > 0, a / np.where(scale > 0, scale, 1.0)[:, None], 0.0)
    return scale * np.sqrt(np.sum(ratio * ratio, axis=1))


def _ulp_errors(computed, exact):
    """Normwise error of each row in ulps of the exact norm; nan where the exact value overflows."""
    hi, lo, norm = exact
    got = computed.reshape(len(computed), -1)
    with np.errstate(all="ignore"):
        diff = _norms((got - hi) - lo)  # got - hi is exact where they are close
        errors = diff / (_EPS * norm)
    errors[~np.all(np.isfinite(got), axis=1)] = math.inf
    below = norm < _TINY  # below the normal range: a kernel may flush to zero, as libm does
    errors[below] = np.where(_norms(np.nan_to_num(got[below], nan=1.0)) < 2 * _TINY,
                             0.0, math.inf)
    errors[norm > _HUGE] = np.nan
    return errors


def _kernels():
    kernels = [("numpy", {}), ("numpy, approximate_trig", {"approximate_trig": True})]
    kernels.append(pytest.param("numba", {"backend": "numba"}, marks=pytest.mark.skipif(
        not accelerator_available("numba"), reason="numba is not installed")))
    return kernels


@pytest.mark.parametrize("kernel,options", _kernels())
@pytest.mark.parametrize("what", ["jacobian", "volume_element"])
@pytest.mark.parametrize("name,opts", SYSTEMS, ids=lambda v: v if isinstance(v, str) else "")
def test_kernels_are_accurate_on_adversarial_points(name, opts, what, kernel, options):
    t, pts, jac_values, vol_values = _case(name, opts.get("n"))
    if opts.get("n") == 6 and what == "volume_element" and not options.get("approximate_trig"):
        # ten rounded sines: 4.2 ulp in doubles
        options = {**options, "extended_precision": True}
    f = lambdify_transform(t, what, **options)
    n_inputs = len(t.inputs)
    exact = jac_values if what == "jacobian" else vol_values
    computed = np.empty((len(pts),) + f.shape)
    groups = np.unique(pts[:, n_inputs:], axis=0)  # parameters are scalars per call
    for values in groups:
        rows = np.all(pts[:, n_inputs:] == values, axis=1)
        params = {s.name: float(v) for s, v in zip(t.parameters, values)}
        computed[rows] = f(pts[rows, :n_inputs], parameters=params or None)
    errors = _ulp_errors(computed, exact)
    checked = ~np.isnan(errors)
    assert checked.sum() >= len(pts) // 2
    k = int(np.argmax(np.where(checked, errors, -1.0)))
    worst, where = errors[k], pts[k]
    limit = ULP_LIMIT
    if options.get("approximate_trig"):
        if what == "volume_element":
            pytest.skip("approximate_trig promises a normwise bound for the Jacobian only")
        limit = APPROXIMATE_TRIG_ULP
    assert worst <= limit, f"{kernel} {what} of {name}: {worst:.1f} ulp at {tuple(where)}"


def _worst(name, what, n=None, **options):
    t, pts, jac_values, vol_values = _case(name, n)
    f = lambdify_transform(t, what, **options)
    n_inputs = len(t.inputs)
    computed = np.empty((len(pts),) + f.shape)
    for values in np.unique(pts[:, n_inputs:], axis=0):
        rows = np.all(pts[:, n_inputs:] == values, axis=1)
        params = {s.name: float(v) for s, v in zip(t.parameters, values)}
        computed[rows] = f(pts[rows, :n_inputs], parameters=params or None)
    errors = _ulp_errors(computed, jac_values if what == "jacobian" else vol_values)
    return float(np.nanmax(errors))


@pytest.mark.skipif(EXTENDED is None, reason="long double is no wider than a double here")
def test_powers_of_rounded_sums_are_evaluated_in_extended_precision_and_rounded_once():
    # the cube of cosh(tau) - cos(sigma) reached 5-10 ulp in doubles; in long double, rounded once
    assert _worst("toroidal", "volume_element") <= 1.0
    assert _worst("toroidal", "volume_element", backend="numba") <= 1.0
    # asked for where the default keeps doubles: ten rounded sines
    assert _worst("hyperspherical", "volume_element", 6, extended_precision=True) <= 1.0
    assert _worst("hyperspherical", "volume_element", 6, extended_precision=False) <= 6.0


def test_extended_precision_takes_only_yes_no_or_automatic():
    with pytest.raises(sj.SymjacError, match="extended_precision must be None, True or False"):
        lambdify_transform(sj.system("toroidal"), "volume_element", extended_precision="yes")
    with pytest.raises(sj.SymjacError, match="opposite trades"):
        lambdify_transform(sj.system("toroidal"), "volume_element", extended_precision=True,
                           approximate_trig=True)
