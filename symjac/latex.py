r"""LaTeX for any symjac result: a snippet, the derivation as ``align*``, or a whole document.

``to_latex(obj)`` knows SymPy objects, numbers and text; every symjac result
prints itself by a small protocol: ``_latex_body()`` (one formula) or
``_latex_parts()`` (several), ``steps`` (its derivation), and a derivation is
anything with ``_latex_derivation()``. So this module imports nothing else
of symjac. The conventions are the ones people
write by hand: ``\frac{\partial(x, y)}{\partial(r, \theta)}``,
``\left|\det J\right|``, ``\,dx\,dy``, ``\operatorname{atan2}``, Greek
letters for Greek names, and sentences that ``pdflatex`` compiles.
"""

from __future__ import annotations

import re

import sympy as sp
from sympy.printing.latex import LatexPrinter

__all__ = ["to_latex", "latex_expr", "latex_label", "latex_text", "latex_partial", "latex_steps"]


class _Printer(LatexPrinter):
    """SymPy's LaTeX printer with the spellings people expect in papers."""

    def _print_atan2(self, expr: sp.Basic, exp: str | None = None) -> str:
        y, x = (self._print(a) for a in expr.args)
        base = r"\operatorname{atan2}"
        if exp is not None:
            base += "^{" + exp + "}"
        return base + r"\left(" + y + ", " + x + r"\right)"

    def _print_Integral(self, expr: sp.Integral) -> str:
        # "\, dx\, dy" -> "\,dx\,dy"
        return super()._print_Integral(expr).replace(r"\, d", r"\,d")


_PRINTER = _Printer()


def latex_expr(obj: object) -> str:
    r"""LaTeX of one object in a result: SymPy values, Transforms, numbers, text.

    >>> import sympy as sp
    >>> from symjac.latex import latex_expr
    >>> x, y = sp.symbols("x y")
    >>> latex_expr(sp.atan2(y, x))
    '\\operatorname{atan2}\\left(y, x\\right)'
    >>> latex_expr(sp.Integral(x*y, (x, 0, 1), (y, 0, 2)))
    '\\int\\limits_{0}^{2}\\int\\limits_{0}^{1} x y\\,dx\\,dy'
    >>> latex_expr("r > 0 here")
    '\\text{r $>$ 0 here}'
    """
    if isinstance(obj, bool):
        return r"\text{" + ("true" if obj else "false") + "}"
    if isinstance(obj, (sp.Basic, sp.MatrixBase)):
        return _PRINTER.doprint(obj)
    if isinstance(obj, (int, float)):
        return _PRINTER.doprint(sp.sympify(obj))
    if isinstance(obj, (tuple, list)):
        return r",\ ".join(latex_expr(o) for o in obj)
    if hasattr(obj, "_latex_body"):
        return obj._latex_body()
    lines = str(obj).splitlines() or [""]
    if len(lines) == 1:
        return r"\text{" + latex_text(lines[0]) + "}"
    # a multi-line report: one line of text per row
    rows = " \\\\\n".join(r"\text{" + latex_text(line.strip()) + "}" for line in lines)
    return "\\begin{array}{l}\n" + rows + "\n\\end{array}"


_GREEK_NAMES = ("alpha|beta|gamma|delta|epsilon|zeta|eta|theta|iota|kappa|lambda|mu|nu|xi|pi|rho|"
                "sigma|tau|upsilon|phi|chi|psi|omega|Gamma|Delta|Theta|Lambda|Xi|Pi|Sigma|Phi|"
                "Psi|Omega")
_NAME = re.compile(rf"((?:{_GREEK_NAMES})|[A-Za-z])([0-9]*)(?:_([A-Za-z0-9]+))?(ᵀ|⁻¹|²|³)?")
_SUPERSCRIPT = {"ᵀ": "^{T}", "⁻¹": "^{-1}", "²": "^{2}", "³": "^{3}"}


_LABELS = {
    "grad f": r"\nabla f", "div F": r"\nabla\cdot \mathbf{F}", "curl F": r"\nabla\times \mathbf{F}",
    "Δf": r"\Delta f", "laplacian f": r"\Delta f",
}


def _label_math(text: str) -> str | None:
    """A label such as ``|det J|``, ``det J⁻¹``, ``sqrt(det(Jᵀ J))`` or ``f_Y(y)`` as math,
    or None when it is words rather than a formula."""
    text = text.strip()
    if text in _LABELS:
        return _LABELS[text]
    if m := re.fullmatch(r"\|\|(.+)\|\|(?:_(\w+))?", text):  # ||J||_F
        inner = _label_math(m[1])
        norm = None if inner is None else r"\left\|" + inner + r"\right\|"
        return norm if norm is None or not m[2] else norm + "_{" + m[2] + "}"
    if m := re.fullmatch(r"(.+)\^(-?\w+)", text):  # g^-1
        inner = _label_math(m[1])
        return None if inner is None else inner + "^{" + m[2] + "}"
    if m := re.fullmatch(r"\|(.+)\|", text):
        inner = _label_math(m[1])
        return None if inner is None else r"\left|" + inner + r"\right|"
    if m := re.fullmatch(r"det ?\((.+)\)", text):
        inner = _label_math(m[1])
        return None if inner is None else r"\det\left(" + inner + r"\right)"
    if m := re.fullmatch(r"det (.+)", text):
        inner = _label_math(m[1])
        return None if inner is None else r"\det " + inner
    if m := re.fullmatch(r"sqrt\((.+)\)", text):
        inner = _label_math(m[1])
        return None if inner is None else r"\sqrt{" + inner + "}"
    if m := re.fullmatch(r"([^()]+)\(([^()]*)\)", text):  # f_Y(y), h(x, y)
        head = _label_math(m[1])
        args = [_label_math(a) for a in m[2].split(",")]
        if head is None or None in args:
            return None
        return head + r"\left(" + ", ".join(args) + r"\right)"  # type: ignore[arg-type]
    if " " in text:
        parts = [_label_math(p) for p in text.split()]
        return None if None in parts else " ".join(parts)  # type: ignore[arg-type]
    if m := _NAME.fullmatch(text):
        base, digits, sub, sup = m.groups()
        name = base + digits + (f"_{sub}" if sub else "")
        return sp.latex(sp.Symbol(name)) + _SUPERSCRIPT.get(sup or "", "")
    return None


def latex_label(label: str) -> str:
    r"""LaTeX of a step label: ``"|det J|"`` → ``\left|\det J\right|``, ``"theta"`` → ``\theta``.

    Labels that are words rather than formulas are set as text.

    >>> from symjac.latex import latex_label
    >>> latex_label("|det J|"), latex_label("f_Y"), latex_label("new region")
    ('\\left|\\det J\\right|', 'f_{Y}', '\\text{new region}')
    >>> print(latex_label("sqrt(det(Jᵀ J))"), latex_label("det J⁻¹"), latex_label("f_Y(y)"))
    \sqrt{\det\left(J^{T} J\right)} \det J^{-1} f_{Y}\left(y\right)
    >>> print(latex_label("||J_2||_F"), latex_label("g^-1"), latex_label("curl F"))
    \left\|J_{2}\right\|_{F} g^{-1} \nabla\times \mathbf{F}
    """
    math = _label_math(label)
    return math if math is not None else r"\text{" + latex_text(label) + "}"


# Characters a sentence may hold, as LaTeX that pdflatex compiles in text mode.
_UNICODE = {
    "|.|": r"$|\cdot|$", "<=": r"$\le$", ">=": r"$\ge$", "!=": r"$\ne$", "->": r"$\to$",
    "ᵀ": "$^{T}$", "⁻¹": "$^{-1}$", "²": "$^{2}$", "³": "$^{3}$", "¹": "$^{1}$", "ⁿ": "$^{n}$",
    "₀": "$_{0}$", "₁": "$_{1}$", "₂": "$_{2}$", "₃": "$_{3}$", "ᵢ": "$_{i}$", "ₙ": "$_{n}$",
    "∂": r"$\partial$", "∇": r"$\nabla$", "∘": r"$\circ$", "·": r"$\cdot$", "×": r"$\times$",
    "≤": r"$\le$", "≥": r"$\ge$", "≠": r"$\ne$", "≈": r"$\approx$", "±": r"$\pm$",
    "→": r"$\to$", "↦": r"$\mapsto$", "⇒": r"$\Rightarrow$", "∞": r"$\infty$", "∈": r"$\in$",
    "∑": r"$\sum$", "Σ": r"$\Sigma$", "∏": r"$\prod$", "∫": r"$\int$", "√": r"$\surd$",
    "χ": r"$\chi$", "…": r"\dots{}", "—": "---", "–": "--", "’": "'", "‘": "`", "“": "``",
    "”": "''", "<": "$<$", ">": "$>$", "|": "$|$",
}
_GREEK = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "ζ": "zeta",
    "η": "eta", "θ": "theta", "ι": "iota", "κ": "kappa", "λ": "lambda", "μ": "mu", "ν": "nu",
    "ξ": "xi", "π": "pi", "ρ": "rho", "σ": "sigma", "τ": "tau", "υ": "upsilon", "φ": "phi",
    "ψ": "psi", "ω": "omega", "Γ": "Gamma", "Δ": "Delta", "Θ": "Theta", "Λ": "Lambda",
    "Ξ": "Xi", "Π": "Pi", "Φ": "Phi", "Ψ": "Psi", "Ω": "Omega",
}
_UNICODE.update({k: "$\\" + v + "$" for k, v in _GREEK.items()})
_SPECIAL = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#",
            "_": r"\_", "{": r"\{", "}": r"\}", "^": r"\^{}", "~": r"\~{}"}
_TOKEN = re.compile("|".join(re.escape(k) for k in
                             sorted({**_UNICODE, **_SPECIAL}, key=len, reverse=True)))


def latex_text(text: str) -> str:
    r"""A sentence escaped for LaTeX text mode, with symbols such as ``ᵀ``, ``∂`` and ``|.|`` typeset.

    Characters LaTeX has no text-mode glyph for become ``?``, so a document
    always compiles.

    >>> from symjac.latex import latex_text
    >>> print(latex_text("JᵀJ is diagonal; h_i = |∂x/∂q_i| for 0 < θ <= 2*pi, 50%"))
    J$^{T}$J is diagonal; h\_i = $|$$\partial$x/$\partial$q\_i$|$ for 0 $<$ $\theta$ $\le$ 2*pi, 50\%
    """
    out = _TOKEN.sub(lambda m: _UNICODE.get(m.group(0)) or _SPECIAL[m.group(0)], text)
    return "".join(c if ord(c) < 128 else "?" for c in out)


def latex_partial(top: tuple[sp.Symbol, ...], bottom: tuple[sp.Symbol, ...]) -> str:
    r"""The Jacobian's name as people write it: ``\frac{\partial(x, y)}{\partial(r, \theta)}``."""
    return (r"\frac{\partial(" + ", ".join(latex_expr(s) for s in top) + r")}{\partial("
            + ", ".join(latex_expr(s) for s in bottom) + ")}")



def latex_steps(d, *, mathjax: bool = False) -> str:
    r"""The derivation as one ``align*``: each numbered sentence (``\intertext``, or
    ``\text`` for MathJax, which has no ``\intertext``) followed by its labelled objects."""
    rows: list[str] = []
    pending: list[str] = []  # sentences waiting for the next formula row
    for i, step in enumerate(d, 1):
        sentence = f"{i}. " + latex_text(step.text)
        if mathjax:
            rows.append(r"&\text{" + sentence + "}")
        else:
            pending.append(r"\intertext{" + sentence + "}")
        for label, obj in step.objects:
            row = f"{latex_label(label)} &= {latex_expr(obj)}" if label else f"&{latex_expr(obj)}"
            rows.append("\n".join(pending + [row]))
            pending = []
    if pending:
        rows.append("\n".join(pending))
    if not rows:  # an empty align* does not compile
        rows.append(r"&\text{(no steps)}")
    return "\\begin{align*}\n" + " \\\\\n".join(rows) + "\n\\end{align*}"


def _body(obj: object) -> tuple[list[str], object | None]:
    """The result's formulas (one or more) and its derivation, if any."""
    if hasattr(obj, "_latex_derivation"):  # a Derivation or one Step
        return [], obj._latex_derivation()
    parts = obj._latex_parts() if hasattr(obj, "_latex_parts") else [latex_expr(obj)]
    derivation = getattr(obj, "steps", None)
    has_steps = hasattr(derivation, "_latex_derivation") and len(derivation)
    return parts, derivation._latex_derivation() if has_steps else None


_PREAMBLE = r"""\documentclass[11pt]{article}
\usepackage{amsmath,amssymb}
\allowdisplaybreaks
\setlength{\parindent}{0pt}
\begin{document}
"""


def to_latex(obj: object, *, steps: bool = False, document: bool = False) -> str:
    r"""LaTeX of a result: a snippet, with its derivation when ``steps=True``,
    or a complete standalone document when ``document=True``.

    Args:
        obj: A SymPy object, a ``Transform``, a ``JacobianAnalysis``, a
            ``Derivation``, or any symjac result (it provides ``_latex_body()``
            and ``steps``).
        steps: Add the derivation as an ``align*`` environment, one numbered
            sentence (``\intertext``) followed by its formulas per step.
        document: Return a complete document that ``pdflatex`` compiles
            (``article`` with ``amsmath``); it includes the derivation.

    Returns:
        The LaTeX source. Snippets are math-mode content (no ``$``), except
        that with ``steps=True`` the ``align*`` environment follows the
        formula on a new line.

    >>> from symjac import system, jacobian_analysis
    >>> from symjac.latex import to_latex
    >>> print(to_latex(system("polar")))
    x = r \cos{\left(\theta \right)},\quad y = r \sin{\left(\theta \right)}\qquad \left(r > 0,\ 0 < \theta,\ \theta < 2 \pi\right)
    >>> print(to_latex(jacobian_analysis(system("polar"))))
    \frac{\partial(x, y)}{\partial(r, \theta)} = \left[\begin{matrix}\cos{\left(\theta \right)} & - r \sin{\left(\theta \right)}\\\sin{\left(\theta \right)} & r \cos{\left(\theta \right)}\end{matrix}\right],\qquad \det J = r,\qquad \left|\det J\right| = r
    >>> to_latex(system("polar"), document=True).startswith("\\documentclass")
    True
    """
    parts, derivation = _body(obj)
    show_steps = derivation is not None and (steps or document or not parts)
    if not document:
        body = r",\qquad ".join(parts)
        if show_steps:
            body = (body + "\n" if body else "") + latex_steps(derivation)
        return body
    chunks = []
    if len(parts) == 1:
        chunks.append("\\[\n" + parts[0] + "\n\\]")
    elif parts:
        chunks.append("\\begin{gather*}\n" + " \\\\\n".join(parts) + "\n\\end{gather*}")
    if show_steps:
        chunks.append(latex_steps(derivation))
    return _PREAMBLE + "\n\n".join(chunks) + "\n\\end{document}\n"
