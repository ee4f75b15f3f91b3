"""The catalogue of named coordinate systems, each a Transform with its standard domain.

``system("spherical")`` maps (r, theta, phi) to (x, y, z). Every system is a
parametrisation: its inputs are the curvilinear coordinates, its outputs the
Cartesian ones. ``available_systems()`` lists them with their conventions.
"""

from __future__ import annotations

import difflib
import inspect
from collections.abc import Callable
from dataclasses import dataclass

import sympy as sp

from .errors import DimensionError, UnknownSystemError
from .parsing import parse_conditions
from .transform import Transform

__all__ = ["system", "available_systems", "SystemInfo"]

_pos = {"positive": True}


def _s(name: str, **assumptions: bool) -> sp.Symbol:
    return sp.Symbol(name, real=True, **assumptions)


def _cartesian_names(n: int) -> tuple[sp.Symbol, ...]:
    if n <= 3:
        return tuple(_s(c) for c in "xyz"[:n])
    return tuple(_s(f"x{i}") for i in range(1, n + 1))


def _make(name: str, inputs, exprs, domain, parameters=(), outputs=None) -> Transform:
    """Build a named system; ``domain`` is text, read with the system's own symbols."""
    outputs = outputs or _cartesian_names(len(exprs))
    if isinstance(domain, str):
        by_name = {s.name: s for s in tuple(inputs) + tuple(parameters)}
        domain = parse_conditions(domain, symbols=by_name)
    return Transform(tuple(inputs), tuple(exprs), tuple(outputs), tuple(domain),
                     tuple(parameters), name=name)


def _cartesian(n: int = 3) -> Transform:
    """Cartesian coordinates: the identity map on R^n (x, y, z for n ≤ 3, else x1..xn)."""
    _check_n(n, 1, "cartesian")
    q = tuple(_s(f"q{i}") for i in range(1, n + 1)) if n > 3 else tuple(_s(c + "_") for c in "xyz"[:n])
    return _make("cartesian", q, q, ())


def _polar() -> Transform:
    """Polar coordinates: x = r cos(theta), y = r sin(theta); r > 0, 0 < theta < 2*pi."""
    r, t = _s("r", **_pos), _s("theta", **_pos)
    return _make("polar", (r, t), (r * sp.cos(t), r * sp.sin(t)), "r > 0, 0 < theta < 2*pi")


def _cylindrical() -> Transform:
    """Cylindrical coordinates: x = r cos(theta), y = r sin(theta), z = z;
    r > 0, 0 < theta < 2*pi."""
    r, t, z = _s("r", **_pos), _s("theta", **_pos), _s("z")
    return _make("cylindrical", (r, t, z), (r * sp.cos(t), r * sp.sin(t), z),
                 "r > 0, 0 < theta < 2*pi", outputs=(_s("x"), _s("y"), _s("z_")))


def _spherical(convention: str = "physics") -> Transform:
    """Spherical coordinates, in one of two conventions (choose explicitly):

    - ``"physics"`` (ISO 80000-2, the default): inputs (r, theta, phi) with theta the
      polar angle from the z-axis and phi the azimuth: x = r sin(theta) cos(phi),
      y = r sin(theta) sin(phi), z = r cos(theta); r > 0, 0 < theta < pi,
      0 < phi < 2*pi. det J = r**2*sin(theta).
    - ``"math"`` (calculus textbooks): inputs (rho, theta, phi) with theta the
      azimuth and phi the polar angle: x = rho sin(phi) cos(theta),
      y = rho sin(phi) sin(theta), z = rho cos(phi); rho > 0, 0 < theta < 2*pi,
      0 < phi < pi. The volume element is rho**2*sin(phi); in this input order
      det J = -rho**2*sin(phi).
    """
    if convention == "physics":
        r, t, p = _s("r", **_pos), _s("theta", **_pos), _s("phi", **_pos)
        exprs = (r * sp.sin(t) * sp.cos(p), r * sp.sin(t) * sp.sin(p), r * sp.cos(t))
        return _make("spherical", (r, t, p), exprs, "r > 0, 0 < theta < pi, 0 < phi < 2*pi")
    if convention == "math":
        rho, t, p = _s("rho", **_pos), _s("theta", **_pos), _s("phi", **_pos)
        exprs = (rho * sp.sin(p) * sp.cos(t), rho * sp.sin(p) * sp.sin(t), rho * sp.cos(p))
        return _make("spherical", (rho, t, p), exprs,
                     "rho > 0, 0 < theta < 2*pi, 0 < phi < pi")
    raise UnknownSystemError(
        f"unknown spherical convention {convention!r}; expected 'physics' (theta polar, phi "
        "azimuth) or 'math' (theta azimuth, phi polar).", value=convention,
        expected="'physics' or 'math'")


def _a() -> sp.Symbol:
    return _s("a", **_pos)


def _elliptic() -> Transform:
    """Elliptic coordinates with focal distance a > 0: x = a cosh(mu) cos(nu),
    y = a sinh(mu) sin(nu); mu > 0, 0 < nu < 2*pi."""
    mu, nu, a = _s("mu", **_pos), _s("nu", **_pos), _a()
    return _make("elliptic", (mu, nu), (a * sp.cosh(mu) * sp.cos(nu), a * sp.sinh(mu) * sp.sin(nu)),
                 "mu > 0, 0 < nu < 2*pi, a > 0", (a,))


def _elliptic_cylindrical() -> Transform:
    """Elliptic cylindrical coordinates: elliptic (mu, nu) in the plane, plus z."""
    e = _elliptic()
    z = _s("z")
    return _make("elliptic_cylindrical", e.inputs + (z,), e.exprs + (z,), e.domain, e.parameters,
                 outputs=(_s("x"), _s("y"), _s("z_")))


def _parabolic() -> Transform:
    """Parabolic coordinates in the plane: x = sigma*tau, y = (tau**2 - sigma**2)/2;
    tau > 0 (sigma any real)."""
    sg, tau = _s("sigma"), _s("tau", **_pos)
    return _make("parabolic", (sg, tau), (sg * tau, (tau**2 - sg**2) / 2), "tau > 0")


def _parabolic_cylindrical() -> Transform:
    """Parabolic cylindrical coordinates: parabolic (sigma, tau) in the plane, plus z."""
    p = _parabolic()
    z = _s("z")
    return _make("parabolic_cylindrical", p.inputs + (z,), p.exprs + (z,), p.domain,
                 outputs=(_s("x"), _s("y"), _s("z_")))


def _parabolic3d() -> Transform:
    """Three-dimensional (rotational) parabolic coordinates: x = sigma tau cos(phi),
    y = sigma tau sin(phi), z = (tau**2 - sigma**2)/2; sigma > 0, tau > 0, 0 < phi < 2*pi."""
    sg, tau, p = _s("sigma", **_pos), _s("tau", **_pos), _s("phi", **_pos)
    return _make("parabolic3d", (sg, tau, p),
                 (sg * tau * sp.cos(p), sg * tau * sp.sin(p), (tau**2 - sg**2) / 2),
                 "sigma > 0, tau > 0, 0 < phi < 2*pi")


def _prolate_spheroidal() -> Transform:
    """Prolate spheroidal coordinates (a > 0): x = a sinh(mu) sin(nu) cos(phi),
    y = a sinh(mu) sin(nu) sin(phi), z = a cosh(mu) cos(nu); mu > 0, 0 < nu < pi,
    0 < phi < 2*pi."""
    mu, nu, p, a = _s("mu", **_pos), _s("nu", **_pos), _s("phi", **_pos), _a()
    exprs = (a * sp.sinh(mu) * sp.sin(nu) * sp.cos(p), a * sp.sinh(mu) * sp.sin(nu) * sp.sin(p),
             a * sp.cosh(mu) * sp.cos(nu))
    return _make("prolate_spheroidal", (mu, nu, p), exprs,
                 "mu > 0, 0 < nu < pi, 0 < phi < 2*pi, a > 0", (a,))


def _oblate_spheroidal() -> Transform:
    """Oblate spheroidal coordinates (a > 0): x = a cosh(mu) cos(nu) cos(phi),
    y = a cosh(mu) cos(nu) sin(phi), z = a sinh(mu) sin(nu); mu > 0,
    -pi/2 < nu < pi/2, 0 < phi < 2*pi."""
    mu, nu, p, a = _s("mu", **_pos), _s("nu"), _s("phi", **_pos), _a()
    exprs = (a * sp.cosh(mu) * sp.cos(nu) * sp.cos(p), a * sp.cosh(mu) * sp.cos(nu) * sp.sin(p),
             a * sp.sinh(mu) * sp.sin(nu))
    return _make("oblate_spheroidal", (mu, nu, p), exprs,
                 "mu > 0, -pi/2 < nu < pi/2, 0 < phi < 2*pi, a > 0", (a,))


def _bipolar() -> Transform:
    """Bipolar coordinates with foci at (±a, 0): x = a sinh(tau)/(cosh(tau) - cos(sigma)),
    y = a sin(sigma)/(cosh(tau) - cos(sigma)); 0 < sigma < 2*pi (tau any real)."""
    sg, tau, a = _s("sigma", **_pos), _s("tau"), _a()
    den = sp.cosh(tau) - sp.cos(sg)
    return _make("bipolar", (sg, tau), (a * sp.sinh(tau) / den, a * sp.sin(sg) / den),
                 "0 < sigma < 2*pi, a > 0", (a,))


def _toroidal() -> Transform:
    """Toroidal coordinates (a > 0): x = a sinh(tau) cos(phi)/(cosh(tau) - cos(sigma)),
    y = a sinh(tau) sin(phi)/(cosh(tau) - cos(sigma)), z = a sin(sigma)/(cosh(tau) - cos(sigma));
    tau > 0, -pi < sigma < pi, 0 < phi < 2*pi."""
    tau, sg, p, a = _s("tau", **_pos), _s("sigma"), _s("phi", **_pos), _a()
    den = sp.cosh(tau) - sp.cos(sg)
    exprs = (a * sp.sinh(tau) * sp.cos(p) / den, a * sp.sinh(tau) * sp.sin(p) / den,
             a * sp.sin(sg) / den)
    return _make("toroidal", (tau, sg, p), exprs,
                 "tau > 0, -pi < sigma < pi, 0 < phi < 2*pi, a > 0", (a,))


def _hyperspherical(n: int = 4) -> Transform:
    """Hyperspherical coordinates in n ≥ 2 dimensions: inputs (r, phi1, ..., phi_{n-1}),
    x1 = r cos(phi1), x_k = r sin(phi1)...sin(phi_{k-1}) cos(phi_k), x_n = r sin(phi1)...sin(phi_{n-1});
    r > 0, 0 < phi_k < pi for k < n-1, 0 < phi_{n-1} < 2*pi. The volume element is
    r**(n-1) * prod_k sin(phi_k)**(n-1-k)."""
    _check_n(n, 2, "hyperspherical")
    r = _s("r", **_pos)
    phis = tuple(_s(f"phi{k}", **_pos) for k in range(1, n))
    exprs = []
    prefix = r
    for k, phi in enumerate(phis):
        exprs.append(prefix * sp.cos(phi))
        prefix = prefix * sp.sin(phi)
    exprs.append(prefix)
    domain = ", ".join(["r > 0"] + [f"0 < {phi.name} < {'2*pi' if k == n - 1 else 'pi'}"
                                    for k, phi in enumerate(phis, 1)])
    outputs = tuple(_s(f"x{i}") for i in range(1, n + 1))
    return _make("hyperspherical", (r,) + phis, tuple(exprs), domain, outputs=outputs)


def _check_n(n: object, least: int, name: str) -> None:
    if not isinstance(n, int) or isinstance(n, bool) or n < least:
        raise DimensionError(f"{name} coordinates need a whole number n ≥ {least}, got {n!r}.",
                             value=n, expected=f"an integer n ≥ {least}")
    if n > 64:
        raise DimensionError(f"{name} coordinates are limited to n ≤ 64, got {n}.", value=n)


_BUILDERS: dict[str, Callable[..., Transform]] = {
    "cartesian": _cartesian,
    "polar": _polar,
    "cylindrical": _cylindrical,
    "spherical": _spherical,
    "elliptic": _elliptic,
    "elliptic_cylindrical": _elliptic_cylindrical,
    "parabolic": _parabolic,
    "parabolic_cylindrical": _parabolic_cylindrical,
    "parabolic3d": _parabolic3d,
    "prolate_spheroidal": _prolate_spheroidal,
    "oblate_spheroidal": _oblate_spheroidal,
    "bipolar": _bipolar,
    "toroidal": _toroidal,
    "hyperspherical": _hyperspherical,
}


@dataclass(frozen=True)
class SystemInfo:
    """A named system: its name, a one-line description and its options."""

    name: str
    description: str
    options: tuple[str, ...]


def available_systems() -> tuple[SystemInfo, ...]:
    """Every named coordinate system, with its description and options.

    >>> from symjac.systems import available_systems
    >>> [s.name for s in available_systems()][:3]
    ['bipolar', 'cartesian', 'cylindrical']
    """
    out = []
    for name in sorted(_BUILDERS):
        builder = _BUILDERS[name]
        doc = " ".join((builder.__doc__ or "").split())
        options = tuple(f"{p.name}={p.default!r}" for p in inspect.signature(builder).parameters.values())
        out.append(SystemInfo(name, doc, options))
    return tuple(out)


#: Other names people use for the systems (and the options that go with them).
_ALIASES = {
    "spherical_math": "'spherical' with convention='math'",
    "spherical_physics": "'spherical' with convention='physics'",
    "math_spherical": "'spherical' with convention='math'",
    "physics_spherical": "'spherical' with convention='physics'",
    "sphere": "spherical", "cylinder": "cylindrical", "cylindric": "cylindrical",
    "circular": "polar", "plane_polar": "polar", "torus": "toroidal",
    "hypersphere": "hyperspherical", "n_spherical": "hyperspherical",
    "nspherical": "hyperspherical", "n_sphere": "hyperspherical",
    "prolate": "prolate_spheroidal", "oblate": "oblate_spheroidal",
    "rectangular": "cartesian", "identity": "cartesian",
    "parabolic_3d": "parabolic3d", "parabolic2d": "parabolic", "elliptical": "elliptic",
    "elliptical_cylindrical": "elliptic_cylindrical",
}


def _suggestion(key: str) -> str:
    """`` Did you mean ...?`` for a mistyped or differently named system, or ``""``."""
    names = list(_BUILDERS)

    def said(n: str) -> str:
        return repr(n) if n in names else n

    if key in _ALIASES:
        return f" Did you mean {said(_ALIASES[key])}?"
    found = [n for n in names if len(key) >= 3 and n.startswith(key)][:2]
    if not found:
        found = difflib.get_close_matches(key, names, n=1, cutoff=0.6)
    if not found:
        found = [_ALIASES[a] for a in difflib.get_close_matches(key, list(_ALIASES), n=1, cutoff=0.8)]
    return " Did you mean " + " or ".join(map(said, found)) + "?" if found else ""


def system(name: str, **options: object) -> Transform:
    """A named coordinate system as a Transform from its coordinates to Cartesian ones.

    Args:
        name: One of ``available_systems()``: polar, cylindrical, spherical,
            elliptic, elliptic_cylindrical, parabolic, parabolic_cylindrical,
            parabolic3d, prolate_spheroidal, oblate_spheroidal, bipolar,
            toroidal, hyperspherical, cartesian.
        **options: ``n`` for hyperspherical and cartesian; ``convention``
            (``"physics"`` or ``"math"``) for spherical.

    Raises:
        UnknownSystemError: For an unknown name (the message lists the known
            names and suggests the nearest).

    >>> from symjac import system
    >>> system("polar")
    Transform(x = r*cos(theta), y = r*sin(theta))
    >>> system("sphercal")
    Traceback (most recent call last):
    ...
    symjac.errors.UnknownSystemError: unknown coordinate system 'sphercal'; expected one of: bipolar, cartesian, cylindrical, elliptic, elliptic_cylindrical, hyperspherical, oblate_spheroidal, parabolic, parabolic3d, parabolic_cylindrical, polar, prolate_spheroidal, spherical, toroidal. Did you mean 'spherical'?
    """
    if not isinstance(name, str):
        raise UnknownSystemError(f"a coordinate system name must be text, got {name!r}.", value=name)
    key = name.strip().lower().replace("-", "_").replace(" ", "_")
    builder = _BUILDERS.get(key)
    if builder is None:
        known = ", ".join(sorted(_BUILDERS))
        hint = _suggestion(key)
        raise UnknownSystemError(f"unknown coordinate system {name!r}; expected one of: {known}.{hint}",
                                 value=name, expected=known, hint=hint.strip() or None)
    allowed = list(inspect.signature(builder).parameters)
    bad = [k for k in options if k not in allowed]
    if bad:
        what = ", ".join(allowed) if allowed else "no options"
        raise DimensionError(f"{key} coordinates take {what}; got unknown option(s) {', '.join(bad)}.",
                             value=bad, expected=what)
    return builder(**options)
