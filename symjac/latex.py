"""LaTeX for any symjac result: a snippet, the derivation as ``align*``, or a whole document.

``to_latex(obj)`` knows SymPy objects, Transforms, Jacobian analyses and
derivations; result types of other modules provide ``_latex_body()`` and
``steps`` and are handled the same way.
"""

from __future__ import annotations

import sympy as sp

from .derivation import Derivation
from .jacobian import JacobianAnalysis
from .transform import Transform

__all__ = ["to_latex", "latex_expr"]


def latex_expr(obj: object) -> str:
    """LaTeX of one SymPy object (or a plain value), with symjac's conventions."""
    if isinstance(obj, (sp.Basic, sp.MatrixBase)):
        return sp.latex(obj)
    if isinstance(obj, (tuple, list)):
        return ",\\ ".join(latex_expr(o) for o in obj)
    return "\\text{" + str(obj).replace("_", "\\_") + "}"


def _partial(top: tuple[sp.Symbol, ...], bottom: tuple[sp.Symbol, ...]) -> str:
    return (r"\frac{\partial(" + ", ".join(sp.latex(s) for s in top) + r")}{\partial("
            + ", ".join(sp.latex(s) for s in bottom) + ")}")


def _transform(t: Transform) -> str:
    body = r",\quad ".join(f"{sp.latex(o)} = {sp.latex(e)}" for o, e in zip(t.outputs, t.exprs))
    if t.domain:
        body += r"\qquad (" + ",\\ ".join(sp.latex(c) for c in t.domain) + ")"
    return body


def _analysis(a: JacobianAnalysis) -> str:
    t = a.transform
    parts = [_partial(t.outputs, t.inputs) + " = " + sp.latex(a.matrix)]
    if a.determinant is not None:
        parts.append(r"\det J = " + sp.latex(a.determinant))
        parts.append(r"\left|\det J\right| = " + sp.latex(a.volume_element))
    else:
        formula = r"\sqrt{\det(J J^{T})}" if a.kind == "rows" else r"\sqrt{\det(J^{T} J)}"
        parts.append(formula + " = " + sp.latex(a.volume_element))
    return r",\qquad ".join(parts)


def _steps(d: Derivation) -> str:
    lines = []
    for step in d:
        lines.append(r"&\text{" + _escape(step.text) + r"}")
        for label, obj in step.objects:
            lines.append(f"{_label(label)} &= {latex_expr(obj)}")
    return "\\begin{align*}\n" + " \\\\\n".join(lines) + "\n\\end{align*}"


def _label(label: str) -> str:
    table = {"J": "J", "det J": r"\det J", "|det J|": r"\left|\det J\right|"}
    return table.get(label, r"\text{" + _escape(label) + "}")


_UNICODE = {
    "ᵀ": "$^{T}$", "²": "$^{2}$", "³": "$^{3}$", "∂": r"$\partial$", "≤": r"$\leq$",
    "≥": r"$\geq$", "≠": r"$\neq$", "±": r"$\pm$", "→": r"$\to$", "∘": r"$\circ$",
    "×": r"$\times$", "·": r"$\cdot$", "…": r"\ldots{}", "−": "-", "–": "--", "—": "---",
    "π": r"$\pi$", "θ": r"$\theta$", "φ": r"$\phi$", "ρ": r"$\rho$", "μ": r"$\mu$",
    "ν": r"$\nu$", "σ": r"$\sigma$", "τ": r"$\tau$", "α": r"$\alpha$", "∞": r"$\infty$",
    "√": r"$\surd$", "Π": r"$\Pi$", "Σ": r"$\Sigma$", "’": "'", "“": "``", "”": "''",
}


def _escape(text: str) -> str:
    for a, b in (("\\", r"\textbackslash{}"), ("&", r"\&"), ("%", r"\%"), ("$", r"\$"),
                 ("#", r"\#"), ("_", r"\_"), ("{", r"\{"), ("}", r"\}"), ("^", r"\^{}"),
                 ("~", r"\~{}")):
        text = text.replace(a, b)
    # pdflatex reads ASCII only: map the symbols sentences use, drop anything else
    return "".join(ch if ord(ch) < 128 else _UNICODE.get(ch, "?") for ch in text)


def to_latex(obj: object, *, steps: bool = False, document: bool = False) -> str:
    r"""LaTeX of a result: a snippet, with its derivation when ``steps=True``,
    or a complete standalone document when ``document=True``.

    >>> from symjac import system
    >>> from symjac.latex import to_latex
    >>> print(to_latex(system("polar")))
    x = r \cos{\left(\theta \right)},\quad y = r \sin{\left(\theta \right)}\qquad (r > 0,\ 0 < \theta,\ \theta < 2 \pi)
    """
    if isinstance(obj, Transform):
        body = _transform(obj)
    elif isinstance(obj, JacobianAnalysis):
        body = _analysis(obj)
    elif isinstance(obj, Derivation):
        body = _steps(obj)
        steps = False
    elif hasattr(obj, "_latex_body"):
        body = obj._latex_body()
    else:
        body = latex_expr(obj)
    derivation = getattr(obj, "steps", None)
    if steps and isinstance(derivation, Derivation) and len(derivation):
        body = body + "\n" + _steps(derivation) if not document else \
            "\\[" + body + "\\]\n" + _steps(derivation)
    elif document:
        body = "\\[" + body + "\\]"
    if not document:
        return body
    return ("\\documentclass{article}\n\\usepackage{amsmath,amssymb}\n\\begin{document}\n"
            + body + "\n\\end{document}\n")
