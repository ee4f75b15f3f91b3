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

__all__ = ["to_latex", "latex_expr", "latex_label", "latex_text", "latex_partial", "latex_steps",
           "latex_sentence", "latex_conditions"]


class _Printer(LatexPrinter):
    r"""SymPy's LaTeX printer with the spellings people expect in papers: ``\arcsin``,
    ``\lambda`` for ``lam``, determinants between bars, conditions chained (``-1 < y < 1``)."""

    def __init__(self, settings: dict | None = None) -> None:
        super().__init__({"inv_trig_style": "full", **(settings or {})})

    def _print_atan2(self, expr: sp.Basic, exp: str | None = None) -> str:
        y, x = (self._print(a) for a in expr.args)
        base = r"\operatorname{atan2}"
        if exp is not None:
            base += "^{" + exp + "}"
        return base + r"\left(" + y + ", " + x + r"\right)"

    def _print_Integral(self, expr: sp.Integral) -> str:
        # "\, dx\, dy" -> "\,dx\,dy"
        return super()._print_Integral(expr).replace(r"\, d", r"\,d")

    def _print_Symbol(self, expr: sp.Symbol, style: str = "plain") -> str:
        # "lam" is how Python code spells lambda (a keyword): print it as the letter
        if m := re.fullmatch(r"lam(_?\d*)", expr.name):
            return super()._print_Symbol(sp.Symbol("lambda" + m[1]), style=style)
        return super()._print_Symbol(expr, style=style)

    def _print_Determinant(self, expr: sp.Determinant) -> str:
        arg = expr.arg
        if isinstance(arg, sp.MatrixBase):
            rows = [" & ".join(self._print(e) for e in arg.row(i)) for i in range(arg.rows)]
            return "\\begin{vmatrix}" + r"\\".join(rows) + "\\end{vmatrix}"
        return super()._print_Determinant(expr)

    def _print_And(self, expr: sp.And) -> str:
        args = expr.args
        if all(isinstance(a, _ORDER) for a in args):
            return latex_conditions(args, self)
        return super()._print_And(expr)


_ORDER = (sp.StrictLessThan, sp.LessThan, sp.StrictGreaterThan, sp.GreaterThan)
_PRINTER = _Printer()
_INLINE = _Printer({"fold_short_frac": True})


def _upward(c: sp.Basic) -> tuple[sp.Basic, bool, sp.Basic]:
    """``a > b`` as ``(b, True, a)``: an inequality read upwards, and whether it is strict."""
    strict = isinstance(c, (sp.StrictLessThan, sp.StrictGreaterThan))
    if isinstance(c, (sp.StrictGreaterThan, sp.GreaterThan)):
        return c.rhs, strict, c.lhs
    return c.lhs, strict, c.rhs


def chain_conditions(conditions: object) -> list[object]:
    """The conditions with a lower and an upper bound of one expression paired, for printers
    that chain them: each item is a condition as given, or ``(a, strict, b, strict2, c)`` for
    ``a < b < c`` (``strict`` False where the relation is ``<=``).

    >>> import sympy as sp
    >>> from symjac.latex import chain_conditions
    >>> y, r = sp.symbols("y r")
    >>> chain_conditions((y > -1, r > 0, y <= 1))
    [(-1, True, y, False, 1), r > 0]
    """
    conds = list(conditions)  # type: ignore[call-overload]
    out: list[object] = []
    used: set[int] = set()
    for i, c in enumerate(conds):
        if i in used:
            continue
        used.add(i)
        if not isinstance(c, _ORDER):
            out.append(c)
            continue
        lo, s1, hi = _upward(c)
        for j in range(i + 1, len(conds)):
            other = conds[j]
            if j in used or not isinstance(other, _ORDER):
                continue
            lo2, s2, hi2 = _upward(other)
            if lo2 == hi and not hi.is_number:
                used.add(j)
                out.append((lo, s1, hi, s2, hi2))
                break
            if hi2 == lo and not lo.is_number:
                used.add(j)
                out.append((lo2, s2, lo, s1, hi))
                break
        else:
            out.append(c)
    return out


def latex_conditions(conditions: object, printer: LatexPrinter | None = None) -> str:
    r"""Conditions as textbooks write them: a lower and an upper bound of the same variable
    chained (``-1 < y < 1``), the rest separated by commas.

    >>> import sympy as sp
    >>> from symjac.latex import latex_conditions
    >>> y, t, r = sp.symbols("y theta r")
    >>> print(latex_conditions((y > -1, y < 1)))
    -1 < y < 1
    >>> print(latex_conditions((r > 0, 0 < t, t <= 2*sp.pi)))
    r > 0,\ 0 < \theta \le 2 \pi
    """
    printer = printer or _PRINTER
    out = []
    for item in chain_conditions(conditions):
        if isinstance(item, tuple):
            a, s1, b, s2, c = item
            le1, le2 = ("<" if s1 else r"\le"), ("<" if s2 else r"\le")
            out.append(f"{printer._print(a)} {le1} {printer._print(b)} {le2} {printer._print(c)}")
        else:
            out.append(printer._print(item))
    return r",\ ".join(out)


def latex_expr(obj: object, *, inline: bool = False) -> str:
    r"""LaTeX of one object in a result: SymPy values, Transforms, numbers, text.

    ``inline=True`` is for formulas inside a sentence: short fractions are
    written ``x / 3`` so that a line of text keeps its height.

    >>> import sympy as sp
    >>> from symjac.latex import latex_expr
    >>> x, y = sp.symbols("x y")
    >>> latex_expr(sp.atan2(y, x))
    '\\operatorname{atan2}\\left(y, x\\right)'
    >>> latex_expr(sp.Integral(x*y, (x, 0, 1), (y, 0, 2)))
    '\\int\\limits_{0}^{2}\\int\\limits_{0}^{1} x y\\,dx\\,dy'
    >>> latex_expr("r > 0 here")
    '\\text{r $>$ 0 here}'
    >>> latex_expr(x*y/3, inline=True), latex_expr((x > -1, x < 1))
    ('x y / 3', '-1 < x < 1')
    """
    printer = _INLINE if inline else _PRINTER
    if isinstance(obj, bool):
        return r"\text{" + ("true" if obj else "false") + "}"
    if isinstance(obj, (sp.Basic, sp.MatrixBase)):
        return printer.doprint(obj)
    if isinstance(obj, (int, float)):
        return printer.doprint(sp.sympify(obj))
    if isinstance(obj, (tuple, list)):
        if obj and all(isinstance(o, _ORDER) for o in obj):
            return latex_conditions(obj, printer)
        return r",\ ".join(latex_expr(o, inline=inline) for o in obj)
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


# Labels made of one smaller label, tried in this order, and how each sets the smaller one's LaTeX.
_WRAPPED = (
    (re.compile(r"\|\|(.+)\|\|(?:_(\w+))?"),  # ||J||_F
     lambda inner, m: r"\left\|" + inner + r"\right\|" + ("_{" + m[2] + "}" if m[2] else "")),
    (re.compile(r"(.+)\^(-?\w+)"), lambda inner, m: inner + "^{" + m[2] + "}"),  # g^-1
    (re.compile(r"\|(.+)\|"), lambda inner, m: r"\left|" + inner + r"\right|"),
    (re.compile(r"det ?\((.+)\)"), lambda inner, m: r"\det\left(" + inner + r"\right)"),
    (re.compile(r"det (.+)"), lambda inner, m: r"\det " + inner),
    (re.compile(r"sqrt\((.+)\)"), lambda inner, m: r"\sqrt{" + inner + "}"),
)


def _label_math(text: str) -> str | None:
    """A label such as ``|det J|``, ``det J⁻¹``, ``sqrt(det(Jᵀ J))`` or ``f_Y(y)`` as math,
    or None when it is words rather than a formula."""
    text = text.strip()
    if text in _LABELS:
        return _LABELS[text]
    for pattern, wrap in _WRAPPED:
        if m := pattern.fullmatch(text):
            inner = _label_math(m[1])
            return None if inner is None else wrap(inner, m)
    if m := re.fullmatch(r"([^()]+)\(([^()]*)\)", text):  # f_Y(y), h(x, y)
        return _all_math([m[1], *m[2].split(",")], lambda head, *args:
                         head + r"\left(" + ", ".join(args) + r"\right)")
    if " " in text:
        return _all_math(text.split(), lambda *parts: " ".join(parts))
    if m := _NAME.fullmatch(text):
        base, digits, sub, sup = m.groups()
        name = base + digits + (f"_{sub}" if sub else "")
        return sp.latex(sp.Symbol(name)) + _SUPERSCRIPT.get(sup or "", "")
    return None


def _all_math(texts: list[str], join) -> str | None:
    """Labels joined into one when every one of them is math; None if any is words."""
    parts = [_label_math(t) for t in texts]
    return None if None in parts else join(*parts)


def latex_label(label: object) -> str:
    r"""LaTeX of a step label: a formula (a SymPy object, or anything with ``_latex_body``)
    as itself; a string label, as older code writes them, read as notation:
    ``"|det J|"`` → ``\left|\det J\right|``, ``"theta"`` → ``\theta``.

    String labels that are words rather than formulas are set as text.

    >>> from symjac.latex import latex_label
    >>> latex_label("|det J|"), latex_label("f_Y"), latex_label("new region")
    ('\\left|\\det J\\right|', 'f_{Y}', '\\text{new region}')
    >>> print(latex_label("sqrt(det(Jᵀ J))"), latex_label("det J⁻¹"), latex_label("f_Y(y)"))
    \sqrt{\det\left(J^{T} J\right)} \det J^{-1} f_{Y}\left(y\right)
    >>> print(latex_label("||J_2||_F"), latex_label("g^-1"), latex_label("curl F"))
    \left\|J_{2}\right\|_{F} g^{-1} \nabla\times \mathbf{F}
    """
    if not isinstance(label, str):
        return latex_expr(label)
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



def _markdown(text: str) -> str:
    return re.sub(r"([\\`*_\[\]<>#|~$])", r"\\\1", text)


def latex_sentence(step: object, *, mathjax: bool = False) -> str:
    r"""A step's sentence for LaTeX text mode (or Markdown with ``mathjax=True``): its words
    escaped, its formula parts typeset inline as ``$...$``."""
    words = _markdown if mathjax else latex_text
    sentence = getattr(step, "sentence", None)
    if sentence is None:
        return words(str(getattr(step, "text", step)))
    return sentence(lambda v: "$" + latex_expr(v, inline=True) + "$", words)


#: Formulas longer than this (in LaTeX source) that can be split are shown one line each.
_LONG = 150


def _rows(step: object) -> list[str]:
    rows = []
    for label, obj in step.objects:  # type: ignore[attr-defined]
        body = latex_expr(obj)
        if label == "" and hasattr(obj, "exprs") and hasattr(obj, "outputs") and len(body) > _LONG:
            # a long map (a Transform): one equation per line, its domain on the last
            rows += [f"{latex_expr(o)} &= {latex_expr(e)}" for o, e in zip(obj.outputs, obj.exprs)]
            if getattr(obj, "domain", ()):
                rows.append(r"&\left(" + latex_expr(tuple(obj.domain)) + r"\right)")
        else:
            rows.append(f"{latex_label(label)} &= {body}" if label != "" else f"&{body}")
    return rows


def latex_steps(d, *, mathjax: bool = False, numbered: bool = True) -> str:
    r"""The derivation as one ``align*``: each numbered sentence as ``\intertext`` (a paragraph
    that wraps) followed by its formulas aligned at ``=``.

    With ``mathjax=True`` (Jupyter, whose MathJax has no ``\intertext``) it is
    Markdown instead: a numbered list of sentences with inline ``$...$`` mathematics,
    each followed by its formulas in display math."""
    if mathjax:
        items = []
        for i, step in enumerate(d, 1):
            item = (f"{i}. " if numbered else "") + latex_sentence(step, mathjax=True)
            rows = _rows(step)
            if rows:
                item += ("\n\n   $$\\begin{aligned}" + " \\\\ ".join(rows) + "\\end{aligned}$$")
            items.append(item)
        return "\n\n".join(items) or "(no steps)"
    rows: list[str] = []
    pending: list[str] = []  # sentences waiting for the next formula row
    for i, step in enumerate(d, 1):
        number = f"{i}. " if numbered else ""
        pending.append(r"\intertext{" + number + latex_sentence(step) + "}")
        for row in _rows(step):
            rows.append("\n".join(pending + [row]))
            pending = []
    if pending:
        rows.append("\n".join(pending))
    if not rows:  # an empty align* does not compile
        rows.append(r"\intertext{(no steps)}")
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
\usepackage{amsmath,amssymb,graphicx}
\usepackage[margin=2.5cm]{geometry}
% a formula wider than the line is scaled down to fit, never cut off at the margin
\newcommand{\fitwidth}[1]{\sbox0{$\displaystyle #1$}%
  \ifdim\wd0>\linewidth\resizebox{\linewidth}{!}{\usebox0}\else\usebox0\fi}
\allowdisplaybreaks
\setlength{\parindent}{0pt}
\setlength{\parskip}{0.4em}
\AtBeginDocument{\setlength{\abovedisplayskip}{6pt plus 2pt minus 2pt}%
  \setlength{\belowdisplayskip}{6pt plus 2pt minus 2pt}}
\begin{document}
"""


def _paragraphs(d, *, numbered: bool = False) -> str:
    """Steps as a worked solution prints them: each sentence a paragraph that wraps, then its
    formulas aligned at ``=``; a formula too wide for the line (a large matrix) on its own,
    scaled to fit."""
    chunks = []
    for i, step in enumerate(d, 1):
        chunks.append((f"{i}. " if numbered else "") + latex_sentence(step))
        rows: list[str] = []
        for row in _rows(step):
            if "matrix}" in row and len(row) > _LONG:
                if rows:
                    chunks.append("\\begin{align*}\n" + " \\\\\n".join(rows) + "\n\\end{align*}")
                    rows = []
                chunks.append("\\[\n\\fitwidth{" + row.replace("&", "", 1) + "}\n\\]")
            else:
                rows.append(row)
        if len(rows) == 1 and rows[0].startswith("&"):
            chunks.append("\\[\n" + rows[0][1:] + "\n\\]")
        elif rows:
            chunks.append("\\begin{align*}\n" + " \\\\\n".join(rows) + "\n\\end{align*}")
    return "\n\n".join(chunks)


def _shown(d) -> set[str]:
    """Every formula the derivation displays, so the answer is not printed a second time."""
    seen = set()
    for step in d:
        for label, obj in step.objects:
            seen.add(latex_expr(obj))
            if label != "":
                seen.add(f"{latex_label(label)} = {latex_expr(obj)}")
    return seen


def _document(obj: object, parts: list[str], derivation: object | None) -> str:
    problem = obj._problem() if hasattr(obj, "_problem") else None
    chunks = []
    if problem is not None and len(problem):
        chunks += ["\\section*{Problem}", _paragraphs(problem)]
    if derivation is not None:
        chunks += ["\\section*{Solution}", _paragraphs(derivation, numbered=True)]
        shown = _shown(derivation) | (_shown(problem) if problem is not None else set())
        parts = [p for p in parts if p not in shown]
        if hasattr(obj, "_answer"):  # the result writes its own answer (maybe none)
            answer = obj._answer()
            parts = []
            if len(answer):
                chunks += ["\\section*{Answer}", _paragraphs(answer)]
        if parts:
            chunks.append("\\section*{Answer}")
    if len(parts) == 1:
        chunks.append("\\[\n" + parts[0] + "\n\\]")
    elif parts:
        chunks.append("\\begin{gather*}\n" + " \\\\\n".join(parts) + "\n\\end{gather*}")
    return _PREAMBLE + "\n\n".join(chunks) + "\n\\end{document}\n"


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
            (``article`` with ``amsmath``), laid out as a worked solution: the
            problem (when the result can state it, by ``_problem()``), the
            derivation, and the answer unless the derivation already shows it.

    Returns:
        The LaTeX source. Snippets are math-mode content (no ``$``), except
        that with ``steps=True`` the ``align*`` environment follows the
        formula on a new line.

    >>> from symjac import system, jacobian_analysis
    >>> from symjac.latex import to_latex
    >>> print(to_latex(system("polar")))
    x = r \cos{\left(\theta \right)},\quad y = r \sin{\left(\theta \right)}\qquad \left(r > 0,\ 0 < \theta < 2 \pi\right)
    >>> print(to_latex(jacobian_analysis(system("polar"))).split(r",\qquad ")[1])
    \frac{\partial(x, y)}{\partial(r, \theta)} = \begin{vmatrix}\cos{\left(\theta \right)} & - r \sin{\left(\theta \right)}\\\sin{\left(\theta \right)} & r \cos{\left(\theta \right)}\end{vmatrix} = r \sin^{2}{\left(\theta \right)} + r \cos^{2}{\left(\theta \right)} = r
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
    return _document(obj, parts, derivation if show_steps else None)
