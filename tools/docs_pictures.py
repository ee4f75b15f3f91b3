"""The pictures of the documentation, drawn with ``symjac.plotting`` when the site is built.

Each entry of ``PICTURES`` is a site path (``pictures/<name>.png``) and the
function that draws it; a page shows one with ``![what it shows](pictures/<name>.png)``.
They are not stored in the repository, so they always show what the code draws now.
"""

from __future__ import annotations

import io
from collections.abc import Callable

DPI = 100


def substitution():
    """The flagship substitution of the README and docs/integrals.md: a curved region becomes a rectangle."""
    import symjac as sj

    t = sj.Transform.from_equations("u = x**2/y, v = y**2/x", domain="x > 0, y > 0")
    return sj.plot_transform(t, "1 <= u <= 4, 2 <= v <= 3")


def annulus():
    """The annulus 1 <= x² + y² <= 4 and the rectangle of polar coordinates it comes from."""
    import symjac as sj

    return sj.plot_transform(sj.system("polar"), "1 <= x**2 + y**2 <= 4")


def polar_grid():
    """The polar grid: lines of constant r and constant θ, and where they land in the plane."""
    import symjac as sj

    return sj.plot_transform(sj.system("polar"), extent={"r": (0, 1)}, lines=9)


def chi_squared():
    """The density of X² for a standard normal X over a histogram of 20 000 seeded samples."""
    import numpy as np

    import symjac as sj

    d = sj.transform_density("exp(-x**2/2)/sqrt(2*pi)", sj.Transform.from_equations("y = x**2"),
                             support="-oo < x < oo")
    x = np.random.default_rng(1).standard_normal(20_000)
    return sj.plot_density(d, samples=x**2)


PICTURES: dict[str, Callable] = {
    "pictures/substitution.png": substitution,
    "pictures/annulus.png": annulus,
    "pictures/polar_grid.png": polar_grid,
    "pictures/chi_squared.png": chi_squared,
}


def pictures() -> dict[str, bytes]:
    """Every picture as PNG bytes, by site path."""
    out = {}
    for uri, draw in PICTURES.items():
        buffer = io.BytesIO()
        draw().savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
        out[uri] = buffer.getvalue()
    return out
