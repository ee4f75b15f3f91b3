"""Batched Jacobians and determinants, and the Jacobian of a small neural network.

symjac's compiled kernels (NumPy, NumPy with ``approximate_trig``, numba when installed) against
the limits that bind them: the CPU time NumPy needs for the sin/cos/exp evaluations of the
formula alone, on the same points, and the memory bandwidth (bytes read and written over the
bandwidth of a large copy). Then against what a user would write instead: NumPy on lambdified
expressions, ``numpy.linalg.det`` of lambdified Jacobians, finite differences, JAX
(``jit(vmap(jacfwd))``) and PyTorch (``torch.func``) when installed. All in float64 on one
pinned thread, CPU time, medians of warm calls with the first call apart; ratios are "how many
times slower than symjac" (or than the NumPy reference for the network). ``--quick`` runs the
6-D hyperspherical system only, with the same columns.
"""

from __future__ import annotations

import math
import time

import numpy as np
import sympy as sp

from bench.common import Table, best_time, cpu_times, fmt_ratio, fmt_time, memory_bandwidth
from symjac import jacobian, jacobian_determinant, lambdify_transform, system
from symjac.numeric.codegen import accelerator_available, accurate_form

TITLE = "Numeric layer: batched Jacobians and determinants"


def _try_jax():
    try:
        import jax

        jax.config.update("jax_enable_x64", True)
        jax.config.update("jax_platforms", "cpu")
        import jax.numpy as jnp

        return jax, jnp
    except Exception:  # noqa: BLE001 - optional
        return None, None


def _try_torch():
    try:
        import torch
        import torch.func

        torch.set_num_threads(1)
        return torch
    except Exception:  # noqa: BLE001 - optional
        return None


def _systems(quick: bool):
    six = ("hyperspherical n=6", system("hyperspherical", n=6))
    return [six] if quick else [("spherical", system("spherical")), six]


def _points(t, n: int) -> np.ndarray:
    rng = np.random.default_rng(0)
    pts = rng.uniform(0.1, 3.0, (n, len(t.inputs)))
    return np.ascontiguousarray(pts)


def _jax_funcs(t):
    jax, jnp = _try_jax()
    if jax is None:
        return None, None
    exprs = sp.lambdify(t.inputs, list(t.exprs), modules="jax")

    def f(x):
        return jnp.stack(exprs(*[x[i] for i in range(x.shape[0])]))

    jac = jax.jit(jax.vmap(jax.jacfwd(f)))
    det = jax.jit(lambda X: jnp.linalg.det(jax.vmap(jax.jacfwd(f))(X)))
    return (lambda X: jac(X).block_until_ready()), (lambda X: det(X).block_until_ready())


def _torch_funcs(t):
    torch = _try_torch()
    if torch is None:
        return None, None
    fns = {sp.sin: torch.sin, sp.cos: torch.cos}
    exprs = sp.lambdify(t.inputs, list(t.exprs), modules=[{"sin": fns[sp.sin], "cos": fns[sp.cos]}, "math"])

    def f(x):
        return torch.stack(exprs(*[x[i] for i in range(x.shape[0])]))

    jac = torch.func.vmap(torch.func.jacfwd(f))

    def run_jac(X):
        with torch.no_grad():
            return jac(X)

    def run_det(X):
        with torch.no_grad():
            return torch.linalg.det(jac(X))

    return run_jac, run_det


def _finite_differences(t):
    fmap = sp.lambdify(t.inputs, list(t.exprs), modules="numpy")
    n = len(t.inputs)

    def jac(X):
        h = 1e-6 * np.maximum(1.0, np.abs(X))
        cols = []
        for j in range(n):
            Xp, Xm = X.copy(), X.copy()
            Xp[:, j] += h[:, j]
            Xm[:, j] -= h[:, j]
            fp = np.stack(fmap(*Xp.T), axis=-1)
            fm = np.stack(fmap(*Xm.T), axis=-1)
            cols.append((fp - fm) / (2 * h[:, j:j + 1]))
        return np.stack(cols, axis=-1)

    return jac, (lambda X: np.linalg.det(jac(X)))


def _lambdified(t):
    J = sp.lambdify(t.inputs, jacobian(t).tolist(), modules="numpy", cse=True)
    d = sp.lambdify(t.inputs, jacobian_determinant(t), modules="numpy")
    m, n = len(t.outputs), len(t.inputs)

    def jac(X):
        entries = J(*X.T)  # nested lists of arrays and plain numbers
        out = np.empty((X.shape[0], m, n))
        for i in range(m):
            for j in range(n):
                out[:, i, j] = entries[i][j]
        return out

    return jac, (lambda X: np.linalg.det(jac(X))), (lambda X: d(*X.T))


def _time(fn, X, repeat: int) -> float | None:
    """Median CPU time of ``repeat`` warm calls after one first call (JIT compilation, caches)."""
    if fn is None:
        return None
    try:
        if repeat <= 1:  # the slow competitors: the first run is the measurement
            t0 = time.process_time()
            fn(X)
            return time.process_time() - t0
        return cpu_times(lambda: fn(X), repeat=repeat)[1]
    except Exception:  # noqa: BLE001 - a competitor failing is a result, not a crash
        return None


# ---------------------------------------------------------------------- kernels and their limits

_TRANSCENDENTAL = {sp.sin: np.sin, sp.cos: np.cos, sp.tan: np.tan, sp.exp: np.exp, sp.log: np.log,
                   sp.sinh: np.sinh, sp.cosh: np.cosh, sp.tanh: np.tanh}


def _transcendental_floor(exprs, symbols, X: np.ndarray, repeat: int) -> tuple[float, int]:
    """CPU time of NumPy's sin/cos/exp/... evaluations alone, one per distinct call in the
    formula after the same rewrites and common subexpressions as the kernel, on the same points;
    and how many calls that is."""
    replacements, reduced = sp.cse([accurate_form(e) for e in exprs], optimizations="basic")
    calls = set()
    for e in [sub for _, sub in replacements] + list(reduced):
        calls |= {f for f in e.atoms(sp.Function) if type(f) in _TRANSCENDENTAL}
    columns = []
    for f in calls:  # the cost hardly depends on the argument: use the column of one input in it
        inputs = [i for i, s in enumerate(symbols) if f.has(s)] or [0]
        columns.append((_TRANSCENDENTAL[type(f)], np.ascontiguousarray(X[:, inputs[0]])))
    buf = np.empty(len(X))

    def evaluate():
        for fn, col in columns:
            fn(col, out=buf)

    return cpu_times(evaluate, repeat=repeat)[1], len(columns)


def _kernel_rows(name, t, X, repeat: int, bandwidth: float) -> list[list[object]]:
    rows = []
    kernels = [("NumPy (default)", {}), ("NumPy, approximate_trig", {"approximate_trig": True})]
    if accelerator_available("numba"):
        kernels.append(("numba", {"backend": "numba"}))
    for what in ("volume_element", "jacobian"):
        probe = lambdify_transform(t, what)
        floor, n_calls = _transcendental_floor(probe.exprs, probe.arguments, X, repeat)
        out = np.empty((len(X),) + probe.shape)
        memory = (X.nbytes + out.nbytes) / bandwidth
        for label, options in kernels:
            f = lambdify_transform(t, what, **options)  # compiled here; numba compiles on first call
            first, warm = cpu_times(lambda: f(X, out=out), repeat=repeat)
            rows.append([name, what, label, fmt_time(first), fmt_time(warm),
                         f"{fmt_time(floor)} ({n_calls} calls)", fmt_ratio(warm / floor),
                         fmt_time(memory), fmt_ratio(warm / memory)])
    return rows


def _kernel_table(quick: bool, bandwidth: float) -> Table:
    n_points = 100_000 if quick else 1_000_000
    repeat = 5 if quick else 7
    table = Table(f"symjac's kernels against the limits that bind them, {n_points:,} points",
                  ["system", "quantity", "kernel", "first call", "warm (median)",
                   "sin/cos/exp alone", "warm / that", "memory floor", "warm / memory floor"])
    for name, t in _systems(quick):
        table.rows += _kernel_rows(name, t, _points(t, n_points), repeat, bandwidth)
    table.notes.append(
        "CPU time of one pinned thread; first call includes compiling (numba's JIT) and warm is the "
        f"median of {repeat} calls. 'sin/cos/exp alone': NumPy's transcendental calls of the "
        "formula (after the kernel's rewrites and common subexpressions), nothing else, on the "
        "same points: a NumPy kernel cannot beat it. 'memory floor': bytes of the points and the "
        f"result over the bandwidth of a large copy ({bandwidth / 1e9:.1f} GB/s). The NumPy and "
        "numba kernels are within 4 ulp of mpmath (tests/test_kernel_accuracy.py); "
        "approximate_trig is not (see lambdify_transform)."
        + ("" if accelerator_available("numba") else " numba is not installed: pip install "
           "'symjac[accel]' adds its rows."))
    return table


def _determinant_tables(quick: bool, bandwidth: float) -> list[Table]:
    n_points = 100_000 if quick else 1_000_000
    repeat = 3 if quick else 5
    det_table = Table(
        f"|det J| at {n_points:,} points (float64, one core)",
        ["system", "symjac", "NumPy closed form", "np.linalg.det of lambdified J",
         "finite differences + det", "JAX jit(vmap(jacfwd)) + det", "torch.func + det",
         "JAX / symjac", "memory bandwidth reached"])
    jac_table = Table(
        f"full Jacobian at {n_points:,} points (float64, one core)",
        ["system", "symjac", "lambdified J (cse)", "finite differences", "JAX jit(vmap(jacfwd))",
         "torch.func vmap(jacfwd)", "JAX / symjac", "memory bandwidth reached"])
    for name, t in _systems(quick):
        X = _points(t, n_points)
        Xj = None
        jax, jnp = _try_jax()
        if jax is not None:
            Xj = jnp.asarray(X)
        torch = _try_torch()
        Xt = torch.from_numpy(X) if torch is not None else None
        vol = lambdify_transform(t, "volume_element")
        jacf = lambdify_transform(t, "jacobian")
        out_det = np.empty(n_points)
        out_jac = np.empty((n_points,) + jacf.shape)
        lam_jac, lam_det, closed = _lambdified(t)
        fd_jac, fd_det = _finite_differences(t)
        jx_jac, jx_det = _jax_funcs(t)
        th_jac, th_det = _torch_funcs(t)
        s_det = _time(lambda A: vol(A, out=out_det), X, repeat)
        times_det = [s_det, _time(closed, X, repeat), _time(lam_det, X, 1), _time(fd_det, X, 1),
                     _time(jx_det, Xj, repeat) if Xj is not None else None,
                     _time(th_det, Xt, 1) if Xt is not None else None]
        det_bytes = X.nbytes + out_det.nbytes
        det_table.rows.append([name] + [fmt_time(v) for v in times_det]
                              + [fmt_ratio(times_det[4] / s_det if times_det[4] else None),
                                 f"{det_bytes / s_det / bandwidth:.0%}"])
        s_jac = _time(lambda A: jacf(A, out=out_jac), X, repeat)
        times_jac = [s_jac, _time(lam_jac, X, 1), _time(fd_jac, X, 1),
                     _time(jx_jac, Xj, repeat) if Xj is not None else None,
                     _time(th_jac, Xt, 1) if Xt is not None else None]
        jac_bytes = X.nbytes + out_jac.nbytes
        jac_table.rows.append([name] + [fmt_time(v) for v in times_jac]
                              + [fmt_ratio(times_jac[3] / s_jac if times_jac[3] else None),
                                 f"{jac_bytes / s_jac / bandwidth:.0%}"])
    note = (f"Memory bandwidth measured by a large copy: {bandwidth / 1e9:.1f} GB/s; 'reached' is "
            "(bytes read + written) / time over that. '-' means not installed or failed. symjac "
            "uses its accurate default NumPy kernel (np.sin/np.cos); the opt-in approximate_trig=True "
            "computes sin and cos from one tan of the half angle and loses relative accuracy near "
            "the zeros of cos. CPU time: median of warm calls (the slow competitors: one call).")
    det_table.notes.append(note)
    jac_table.notes.append(note)
    return [det_table, jac_table]


# ---------------------------------------------------------------------- neural network


def _network(seed: int = 0):
    rng = np.random.default_rng(seed)
    W1 = rng.normal(0, 1 / math.sqrt(500), (100, 500))
    b1 = rng.normal(0, 0.1, 100)
    W2 = rng.normal(0, 1 / math.sqrt(100), (10, 100))
    b2 = rng.normal(0, 0.1, 10)
    return W1, b1, W2, b2


def _numpy_reference(params):
    W1, b1, W2, b2 = params

    def jac(x):  # back-propagate the identity through softmax, affine, ReLU, affine
        h = W1 @ x + b1
        a = np.maximum(h, 0)
        z = W2 @ a + b2
        s = np.exp(z - z.max())
        s /= s.sum()
        dz = np.diag(s) - np.outer(s, s)  # softmax Jacobian (10×10)
        da = dz @ W2  # (10×100)
        dh = da * (h > 0)  # ReLU
        return dh @ W1  # (10×500)

    # (a batched version follows the same steps with one matrix product per layer)

    def jac_batch(X):  # the same, for many inputs at once
        H = X @ W1.T + b1
        A = np.maximum(H, 0)
        Z = A @ W2.T + b2
        S = np.exp(Z - Z.max(axis=1, keepdims=True))
        S /= S.sum(axis=1, keepdims=True)
        dZ = S[:, :, None] * (np.eye(10)[None] - S[:, None, :])  # (B,10,10)
        dA = (dZ.reshape(-1, 10) @ W2).reshape(len(X), 10, 100)
        dH = dA * (H > 0)[:, None, :]
        return (dH.reshape(-1, 100) @ W1).reshape(len(X), 10, 500)  # one matrix product

    return jac, jac_batch


def _network_tables(quick: bool) -> list[Table]:
    params = _network()
    x = np.random.default_rng(1).normal(size=500)
    X = np.random.default_rng(2).normal(size=(100 if quick else 1000, 500))
    ref, ref_batch = _numpy_reference(params)
    rows: list[tuple[str, object, object]] = [("NumPy back-propagation (reference)", ref, ref_batch)]
    expected = ref(x)
    try:
        import autograd
        import autograd.numpy as anp

        W1, b1, W2, b2 = params

        def net(v):
            h = anp.maximum(anp.dot(W1, v) + b1, 0.0)
            z = anp.dot(W2, h) + b2
            e = anp.exp(z - anp.max(z))
            return e / anp.sum(e)

        ag = autograd.jacobian(net)
        rows.append(("autograd jacobian", ag, lambda B: np.stack([ag(v) for v in B])))
    except Exception:  # noqa: BLE001
        rows.append(("autograd jacobian", None, None))
    jax, jnp = _try_jax()
    if jax is not None:
        W1, b1, W2, b2 = (jnp.asarray(p) for p in params)

        def jnet(v):
            h = jnp.maximum(W1 @ v + b1, 0.0)
            return jax.nn.softmax(W2 @ h + b2)

        for label, make in (("JAX jit(jacrev)", jax.jacrev), ("JAX jit(jacfwd)", jax.jacfwd)):
            one = jax.jit(make(jnet))
            many = jax.jit(jax.vmap(make(jnet)))
            rows.append((label, lambda v, one=one: np.asarray(one(v).block_until_ready()),
                         lambda B, many=many: np.asarray(many(B).block_until_ready())))
    else:
        rows += [("JAX jit(jacrev)", None, None), ("JAX jit(jacfwd)", None, None)]
    torch = _try_torch()
    if torch is not None:
        tW1, tb1, tW2, tb2 = (torch.from_numpy(p) for p in params)

        def tnet(v):
            return torch.softmax(tW2 @ torch.relu(tW1 @ v + tb1) + tb2, dim=0)

        tj = torch.func.jacrev(tnet)
        tv = torch.func.vmap(tj)
        rows.append(("torch.func jacrev", lambda v: tj(torch.from_numpy(v)).numpy(),
                     lambda B: tv(torch.from_numpy(B)).numpy()))
    table = Table("Jacobian (10×500) of affine(500→100) → ReLU → affine(100→10) → softmax",
                  ["method", "one input", "ratio", f"{len(X)} inputs (per input)", "ratio", "agrees"])
    base_one = base_many = None
    for label, one, many in rows:
        if one is None:
            table.rows.append([label, "-", "-", "-", "-", "not installed"])
            continue
        t_one = best_time(lambda: one(x), repeat=5, number=20)
        t_many = best_time(lambda: many(X), repeat=3) / len(X)
        if base_one is None:
            base_one, base_many = t_one, t_many
        agrees = np.allclose(one(x), expected, rtol=1e-6, atol=1e-12)
        table.rows.append([label, fmt_time(t_one), fmt_ratio(t_one / base_one), fmt_time(t_many),
                           fmt_ratio(t_many / base_many), "yes" if agrees else "NO"])
    table.notes.append(
        "Ratios are time / the NumPy reference (lower is faster). No symbolic route is offered: the "
        "network's 51,110 weights are numbers, and its symbolic Jacobian is exactly the matrix "
        "products of the reference.")
    return [table]


def run(quick: bool) -> list[Table]:
    t0 = time.perf_counter()
    bandwidth = memory_bandwidth()
    tables = [_kernel_table(quick, bandwidth)] + _determinant_tables(quick, bandwidth) \
        + _network_tables(quick)
    tables[-1].notes.append(f"(numeric benchmarks took {time.perf_counter() - t0:.0f} s)")
    return tables
