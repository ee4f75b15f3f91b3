"""Derivations typeset in the documentation, made from the code when the site is built.

A page holding ``<!-- derivation: NAME -->`` gets the derivation ``NAME`` below in
its place, as Jupyter shows it (the result's Markdown, formulas typeset by KaTeX),
so the docs show the steps that symjac takes now, not a copy that can drift.
"""

from __future__ import annotations

import re
from collections.abc import Callable

MARKER = re.compile(r"<!-- derivation: (\w+) -->")


def substitution():
    """The flagship change of variables: u = x²/y, v = y²/x over the region between four parabolas."""
    import symjac as sj

    t = sj.Transform.from_equations("u = x**2/y, v = y**2/x", domain="x > 0, y > 0")
    return sj.change_variables("x*y", t, region="1 <= x**2/y <= 4, 2 <= y**2/x <= 3, x > 0, y > 0"
                               ).steps


def polar():
    """The Jacobian of polar coordinates and its volume element r."""
    import symjac as sj

    return sj.jacobian_analysis(sj.system("polar")).steps


def chi_squared():
    """The density of X² for a standard normal X."""
    import symjac as sj

    return sj.transform_density("exp(-x**2/2)/sqrt(2*pi)", sj.Transform.from_equations("y = x**2"),
                                support="-oo < x < oo").steps


def laplacian():
    """The Laplacian of 1/r in spherical coordinates."""
    import symjac as sj

    return sj.operator_analysis("laplacian", "1/r", sj.system("spherical")).steps


DERIVATIONS: dict[str, Callable] = {
    "substitution": substitution,
    "polar": polar,
    "chi_squared": chi_squared,
    "laplacian": laplacian,
}


def typeset(name: str) -> str:
    """The derivation ``name`` as Markdown with its formulas, in a box of its own."""
    steps = DERIVATIONS[name]()
    from docs_notebooks import display_blocks

    shown = display_blocks(steps._repr_markdown_()) if hasattr(steps, "_repr_markdown_") else \
        "$$\n" + steps._repr_latex_().strip("$") + "\n$$"
    return f'<div class="derivation" markdown>\n\n{shown.strip()}\n\n</div>\n'


def fill(markdown: str) -> str:
    """Every derivation marker of a page replaced by its derivation."""
    return MARKER.sub(lambda m: typeset(m.group(1)), markdown)
