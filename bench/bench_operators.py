"""Differential operators: curvilinear Laplacians, and batched Jacobians/Hessians.

1. The Laplacian of f = r² cos(phi1) (= r·x1, so Δf = (n+1) cos(phi1)) in
   n-D hyperspherical coordinates: symjac (scale factors) against the route a
   SymPy user takes without them (invert J, apply the chain rule twice for the
   Cartesian Laplacian, simplify), each in its own process with a time limit;
   for n = 3 also sympy.vector's built-in spherical Laplacian.
2. A Jacobian (3×3) and a Hessian (3×3) at 10⁶ points: symjac's lambdified
   exact formulas (with CSE) against central finite differences, and against
   JAX ``vmap(jacfwd)`` / ``vmap(hessian)`` on the CPU when JAX is installed.
3. A symbolic Hessian-vector product: symjac's forward-mode ``hvp`` against
   ``sympy.hessian(f) * v``.

``--quick`` runs one case per table (n = 3, n = 4, 100,000 points) with the same columns.
"""

from __future__ import annotations

import time

import numpy as np
import sympy as sp

import sympy.vector  # noqa: F401  (imported here so the timed subprocesses do not pay for it)

import symjac  # noqa: F401
from bench.common import Table, best_time, fmt_ratio, fmt_time, geometric_mean, run_with_limit

TITLE = "Differential operators"


# ---------------------------------------------------------------------- 1. Laplacians


def _field(t):
    r, phi1 = t.inputs[0], t.inputs[1]
    return r**2 * sp.cos(phi1)


def _symjac_laplacian(n: int) -> str:
    from symjac import laplacian, system

    t = system("hyperspherical", n=n)
    return sp.sstr(laplacian(_field(t), t, timeout=None))


def _sympy_chain_rule_laplacian(n: int) -> str:
    from symjac import system

    t = system("hyperspherical", n=n)
    q = t.inputs
    J = sp.Matrix(t.exprs).jacobian(q)
    Jinv = sp.simplify(J.inv())

    def d(k, e):
        return sum(Jinv[i, k] * sp.diff(e, q[i]) for i in range(n))

    f = _field(t)
    return sp.sstr(sp.simplify(sum(d(k, d(k, f)) for k in range(n))))


def _sympy_vector_laplacian(n: int) -> str:
    from sympy.vector import CoordSys3D, laplacian

    S = CoordSys3D("S", transformation="spherical", variable_names=("r", "phi1", "phi2"))
    return sp.sstr(sp.simplify(laplacian(S.r**2 * sp.cos(S.phi1))).subs(
        {S.r: sp.Symbol("r"), S.phi1: sp.Symbol("phi1")}))


def _laplacian_table(quick: bool) -> Table:
    limit = 15.0 if quick else 90.0
    sizes = range(3, 4) if quick else range(3, 9)
    table = Table(f"Laplacian of r²·cos(phi1) in n-D hyperspherical coordinates (limit {limit:.0f} s)",
                  ["n", "symjac", "SymPy: J⁻¹ + chain rule + simplify", "ratio", "sympy.vector",
                   "agree"])
    ratios = []
    for n in sizes:
        expected = f"{n + 1}*cos(phi1)"
        s_status, s_time, s_value = run_with_limit(_symjac_laplacian, (n,), limit=limit)
        p_status, p_time, p_value = run_with_limit(_sympy_chain_rule_laplacian, (n,), limit=limit)
        v_cell = "-"
        if n == 3:
            v_status, v_time, v_value = run_with_limit(_sympy_vector_laplacian, (n,), limit=limit)
            v_cell = fmt_time(v_time) if v_status == "ok" else v_status
        s_cell = fmt_time(s_time) if s_status == "ok" else s_status
        p_cell = fmt_time(p_time) if p_status == "ok" else f"> {limit:.0f} s ({p_status})"
        if s_status == "ok" and p_status == "ok":
            ratio = p_time / s_time
            ratios.append(ratio)
            ratio_cell = fmt_ratio(ratio)
        elif s_status == "ok":
            ratio_cell = f"> {fmt_ratio(limit / s_time)}"
        else:
            ratio_cell = "-"
        agree = "yes" if s_value == expected and p_value in (expected, None) else \
            f"no ({s_value} / {p_value})"
        table.rows.append([n, s_cell, p_cell, ratio_cell, v_cell, agree])
    table.notes.append(f"Expected Δf = (n+1)·cos(phi1). Each case runs in a fresh process (no caches). "
                       f"Geometric-mean speed-up where both finished: {fmt_ratio(geometric_mean(ratios))}.")
    table.notes.append("sympy.vector has a built-in Laplacian only for its 3-D orthogonal systems.")
    return table


# ---------------------------------------------------------------------- 2. batched evaluation

_MAP = "u = x*exp(y) + sin(z), v = x**2*y*z, w = log(1 + x**2 + y**2) - z*y"
_SCALAR = "exp(-x**2)*sin(y*z) + x*y**3 + log(1 + z**2)"


def _numpy_map(p):
    x, y, z = p[:, 0], p[:, 1], p[:, 2]
    return np.stack([x * np.exp(y) + np.sin(z), x**2 * y * z, np.log1p(x**2 + y**2) - z * y], -1)


def _numpy_scalar(p):
    x, y, z = p[:, 0], p[:, 1], p[:, 2]
    return np.exp(-x**2) * np.sin(y * z) + x * y**3 + np.log1p(z**2)


def _fd_jacobian(f, p, h=1e-6):
    eye = np.eye(p.shape[1])
    return np.stack([(f(p + h * eye[k]) - f(p - h * eye[k])) / (2 * h) for k in range(p.shape[1])], -1)


def _fd_hessian(f, p, h=1e-4):
    n = p.shape[1]
    eye = np.eye(n)
    H = np.empty((len(p), n, n))
    f0 = f(p)
    for i in range(n):
        H[:, i, i] = (f(p + h * eye[i]) - 2 * f0 + f(p - h * eye[i])) / h**2
        for j in range(i + 1, n):
            H[:, i, j] = H[:, j, i] = (f(p + h * (eye[i] + eye[j])) - f(p + h * (eye[i] - eye[j]))
                                       - f(p - h * (eye[i] - eye[j])) + f(p - h * (eye[i] + eye[j]))
                                       ) / (4 * h**2)
    return H


def _batched_table(quick: bool) -> Table:
    from symjac import Transform, hessian, jacobian, lambdify_batched

    size = 100_000 if quick else 1_000_000
    rng = np.random.default_rng(0)
    pts = rng.uniform(-1.0, 1.0, (size, 3))
    T = Transform.from_equations(_MAP, inputs="x y z")
    jac = lambdify_batched(jacobian(T), T.inputs)
    hess = lambdify_batched(hessian(_SCALAR, "x, y, z"), "x, y, z")
    exact_J, exact_H = jac(pts), hess(pts)
    table = Table(f"Jacobian and Hessian (3×3) at {size:,} points",
                  ["what", "method", "time", "vs symjac", "max abs error"])
    cases = [
        ("Jacobian", "symjac lambdified (CSE)", lambda: jac(pts), exact_J),
        ("Jacobian", "central finite differences", lambda: _fd_jacobian(_numpy_map, pts), exact_J),
        ("Hessian", "symjac lambdified (CSE)", lambda: hess(pts), exact_H),
        ("Hessian", "central finite differences", lambda: _fd_hessian(_numpy_scalar, pts), exact_H),
    ]
    cases += _jax_cases(pts, exact_J, exact_H)
    base = {}
    for what, method, fn, exact in cases:
        seconds = best_time(fn, repeat=2 if quick else 3)
        error = float(np.max(np.abs(np.asarray(fn()) - exact)))
        base.setdefault(what, seconds)
        table.rows.append([what, method, fmt_time(seconds), fmt_ratio(seconds / base[what]),
                           f"{error:.1e}"])
    if not any("JAX" in row[1] for row in table.rows):
        table.notes.append("JAX is not installed; its rows are left out (pip install 'jax[cpu]').")
    table.notes.append("'vs symjac' is time / symjac's time (> 1× means symjac is faster). Errors are "
                       "against symjac's exact formulas evaluated in float64.")
    return table


def _jax_cases(pts, exact_J, exact_H) -> list:
    try:
        import jax
    except ImportError:
        return []
    jax.config.update("jax_enable_x64", True)
    jnp = jax.numpy

    def fmap(p):
        x, y, z = p
        return jnp.stack([x * jnp.exp(y) + jnp.sin(z), x**2 * y * z, jnp.log1p(x**2 + y**2) - z * y])

    def fscalar(p):
        x, y, z = p
        return jnp.exp(-x**2) * jnp.sin(y * z) + x * y**3 + jnp.log1p(z**2)

    jp = jnp.asarray(pts)
    jac = jax.jit(jax.vmap(jax.jacfwd(fmap)))
    hess = jax.jit(jax.vmap(jax.hessian(fscalar)))
    jac(jp).block_until_ready()  # compile outside the timing
    hess(jp).block_until_ready()
    return [("Jacobian", "JAX jit(vmap(jacfwd)), CPU", lambda: np.asarray(jac(jp).block_until_ready()),
             exact_J),
            ("Hessian", "JAX jit(vmap(hessian)), CPU", lambda: np.asarray(hess(jp).block_until_ready()),
             exact_H)]


# ---------------------------------------------------------------------- 3. symbolic HVP


def _hvp_function(n: int):
    xs = sp.symbols(f"x0:{n}", real=True)
    f = (sp.exp(-sum(x**2 for x in xs)) * sp.Mul(*[sp.sin(x + k) for k, x in enumerate(xs)])
         + sum(xs[i] * xs[(i + 1) % n] ** 3 for i in range(n)))
    return f, xs, list(range(1, n + 1))


def _hvp_symjac(n: int) -> tuple[float, int]:
    from symjac import hvp

    f, xs, v = _hvp_function(n)
    t0 = time.perf_counter()
    out = hvp(f, xs, v, timeout=None)
    return time.perf_counter() - t0, sum(sp.count_ops(e) for e in out)


def _hvp_via_hessian(n: int) -> tuple[float, int]:
    f, xs, v = _hvp_function(n)
    t0 = time.perf_counter()
    out = sp.hessian(f, xs) * sp.Matrix(v)
    return time.perf_counter() - t0, sum(sp.count_ops(e) for e in out)


def _hvp_table(quick: bool) -> Table:
    limit = 60.0 if quick else 120.0
    table = Table("Symbolic Hessian-vector product of exp(-|x|²)·Π sin(x_k + k) + Σ x_k x_{k+1}³",
                  ["n", "symjac hvp (forward mode)", "sympy.hessian(f) * v", "ratio",
                   "size of H v (operations): symjac / sympy"])
    for n in ((4,) if quick else (4, 8, 12)):
        s_status, _, s_out = run_with_limit(_hvp_symjac, (n,), limit=limit)
        h_status, _, h_out = run_with_limit(_hvp_via_hessian, (n,), limit=limit)
        ok = s_status == h_status == "ok"
        table.rows.append([
            n, fmt_time(s_out[0]) if s_status == "ok" else s_status,
            fmt_time(h_out[0]) if h_status == "ok" else f"> {limit:.0f} s ({h_status})",
            fmt_ratio(h_out[0] / s_out[0]) if ok else "-",
            f"{s_out[1]} / {h_out[1]}" if ok else "-"])
    table.notes.append("Both in fresh processes, timing the differentiation only; hvp differentiates "
                       "d/dε ∇f(x + εv) at ε = 0 instead of building all n² second derivatives.")
    return table


def run(quick: bool) -> list[Table]:
    # load SymPy's and symjac's lazily imported parts before the timed subprocesses fork
    symjac.laplacian("r**2", symjac.system("polar"))
    # JAX starts threads, and forking after that can deadlock: its table comes last
    return [_laplacian_table(quick), _hvp_table(quick), _batched_table(quick)]
