"""Derivations: the ordered steps an operation took, each a sentence template plus SymPy objects.

Every result symjac returns carries one as ``.steps``, so the reasoning can be
printed in a terminal, shown in Jupyter, saved as JSON, compared with a
student's own, or exported as LaTeX with ``symjac.latex.to_latex``.

A step's sentence is a template whose named parts are formulas, kept as data:
``then("The volume element is {dV}.", dV=...)``. Its displayed formulas are
(label, value) rows whose labels are formulas too. Each printer (plain text,
LaTeX, Markdown, JSON) typesets the same parts its own way, so no printer has to
guess mathematics back out of words. Where SymPy has no object for a piece of
notation (``dx dy``, ``∂(x, y)/∂(u, v)``), ``Tex`` gives its LaTeX and plain text.
"""

from __future__ import annotations

import math
import string
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass

import sympy as sp

from .latex import latex_expr, latex_partial

__all__ = ["Step", "Derivation", "Tex", "Chain", "plain", "partial", "absolute", "differentials",
           "density_name", "agreement", "rounded", "numeric_sentence", "determinant_chain"]


def plain(obj: object) -> str:
    """An object as plain text for people: ``r = 0`` rather than ``Eq(r, 0)``.

    Expressions are written as ``symjac.parsing`` reads them (``x**2``);
    conditions are joined with ``and``/``or``; tuples become comma lists.

    >>> import sympy as sp
    >>> from symjac.derivation import plain
    >>> r, t = sp.symbols("r theta")
    >>> plain(sp.Eq(r, 0)), plain(sp.Ne(r, 0)), plain(sp.And(r > 0, t < 2*sp.pi))
    ('r = 0', 'r != 0', 'r > 0 and theta < 2*pi')
    >>> plain((sp.Eq(r, 0), sp.Or(sp.Eq(t, 0), sp.Eq(t, sp.pi))))
    'r = 0, theta = 0 or theta = pi'
    """
    if isinstance(obj, sp.Equality):
        return f"{plain(obj.lhs)} = {plain(obj.rhs)}"
    if isinstance(obj, sp.Unequality):
        return f"{plain(obj.lhs)} != {plain(obj.rhs)}"
    if isinstance(obj, sp.And):
        return " and ".join(_chained(obj.args, grouped=True))
    if isinstance(obj, sp.Or):
        return " or ".join(_grouped(a) for a in obj.args)
    if isinstance(obj, sp.Not):
        return f"not ({plain(obj.args[0])})"
    if isinstance(obj, (tuple, list, sp.Tuple)):
        return ", ".join(_chained(obj))
    if isinstance(obj, sp.Determinant) and isinstance(obj.arg, sp.MatrixBase):
        return "det " + sp.sstr(obj.arg.tolist())
    if isinstance(obj, (sp.Basic, sp.MatrixBase)):
        return sp.sstr(obj)
    return str(obj)


def _chained(conditions: Sequence[object], *, grouped: bool = False) -> list[str]:
    """Each condition as text, a lower and an upper bound of one expression chained
    (``0 < theta < 2*pi``), as ``symjac.parsing`` reads them back."""
    from .latex import chain_conditions

    out: list[str] = []
    for item in chain_conditions(conditions):
        if isinstance(item, tuple):
            a, s1, b, s2, c = item
            out.append(f"{sp.sstr(a)} {'<' if s1 else '<='} {sp.sstr(b)} {'<' if s2 else '<='} "
                       f"{sp.sstr(c)}")
        else:
            out.append(_grouped(item) if grouped else plain(item))
    return out


def _grouped(cond: object) -> str:
    text = plain(cond)
    return f"({text})" if isinstance(cond, (sp.And, sp.Or)) else text


def shown(obj: object, indent: str) -> str:
    """A step object for a terminal: matrices drawn as a grid, the rest as ``plain``."""
    if isinstance(obj, sp.MatrixBase) and obj.rows > 1:
        rows = [[plain(e) for e in obj.row(i)] for i in range(obj.rows)]
        widths = [max(len(row[j]) for row in rows) for j in range(obj.cols)]
        lines = ["[" + "  ".join(c.rjust(w) for c, w in zip(row, widths)) + "]" for row in rows]
        return ("\n" + indent).join(lines)
    return plain(obj)


@dataclass(frozen=True)
class Tex:
    r"""Notation SymPy has no object for, written out: its LaTeX and its plain text.

    >>> from symjac.derivation import Tex
    >>> dA = Tex(r"dx\,dy", "dx dy")
    >>> str(dA), dA._latex_body()
    ('dx dy', 'dx\\,dy')
    """

    latex: str
    text: str

    def __str__(self) -> str:
        return self.text

    def _latex_body(self) -> str:
        return self.latex


@dataclass(frozen=True)
class Chain:
    r"""Formulas joined by a relation, as in ``J = |...| = r cos²θ + r sin²θ = r``.

    >>> import sympy as sp
    >>> from symjac.derivation import Chain
    >>> r = sp.Symbol("r")
    >>> c = Chain((r * sp.cos(r)**2 + r * sp.sin(r)**2, r))
    >>> str(c)
    'r*sin(r)**2 + r*cos(r)**2 = r'
    """

    items: tuple[object, ...]
    relation: Tex = Tex("=", "=")

    def __str__(self) -> str:
        return f" {self.relation.text} ".join(plain(i) for i in self.items)

    def _latex_body(self) -> str:
        return f" {self.relation.latex} ".join(latex_expr(i) for i in self.items)


def partial(top: Sequence[sp.Symbol], bottom: Sequence[sp.Symbol]) -> Tex:
    r"""The Jacobian's name as people write it, ``∂(x, y)/∂(r, θ)``.

    >>> import sympy as sp
    >>> from symjac.derivation import partial
    >>> x, y, u, v = sp.symbols("x y u v")
    >>> print(partial((x, y), (u, v)))
    ∂(x, y)/∂(u, v)
    """
    if len(top) == 1 and len(bottom) == 1:
        return Tex(r"\frac{d" + latex_expr(top[0]) + "}{d" + latex_expr(bottom[0]) + "}",
                   f"d{top[0]}/d{bottom[0]}")
    return Tex(latex_partial(tuple(top), tuple(bottom)),
               f"∂({', '.join(map(str, top))})/∂({', '.join(map(str, bottom))})")


def absolute(inner: object) -> Tex:
    r"""``|inner|`` with bars that fit (``\left|...\right|``)."""
    return Tex(r"\left|" + latex_expr(inner) + r"\right|", f"|{plain(inner)}|")


def differentials(variables: Sequence[sp.Symbol]) -> Tex:
    r"""``dx dy`` for the variables of an integral (``dx\,dy`` in LaTeX)."""
    return Tex(r"\,".join("d" + latex_expr(v) for v in variables),
               " ".join(f"d{v}" for v in variables))


def density_name(variables: Sequence[sp.Symbol]) -> Tex:
    r"""``f_Y(y)``: the density of the random variable whose values are ``variables``.

    The random variable is the capital of the value's name, as in textbooks.

    >>> import sympy as sp
    >>> from symjac.derivation import density_name
    >>> print(density_name(sp.symbols("y,")), density_name(sp.symbols("x1 x2")))
    f_Y(y) f_X1,X2(x1, x2)
    >>> density_name(sp.symbols("y,"))._latex_body()
    'f_{Y}(y)'
    """
    variables = tuple(variables)
    capital = [str(v)[:1].upper() + str(v)[1:] for v in variables]
    capital_tex = [latex_expr(sp.Symbol(c)) for c in capital]
    args = ", ".join(latex_expr(v) for v in variables)
    return Tex("f_{" + ",".join(capital_tex) + "}(" + args + ")",
               f"f_{','.join(capital)}({', '.join(map(str, variables))})")


def determinant_chain(matrix: sp.MatrixBase, determinant: sp.Expr) -> Chain:
    r"""The Jacobian determinant as textbooks write it: the matrix between bars, its expansion
    (for 2 × 2) and its value, ``|cos θ, -r sin θ; sin θ, r cos θ| = r cos²θ + r sin²θ = r``.

    >>> import sympy as sp
    >>> from symjac.derivation import determinant_chain
    >>> r, t = sp.symbols("r theta")
    >>> J = sp.Matrix([[sp.cos(t), -r*sp.sin(t)], [sp.sin(t), r*sp.cos(t)]])
    >>> print(determinant_chain(J, r))
    det [[cos(theta), -r*sin(theta)], [sin(theta), r*cos(theta)]] = r*sin(theta)**2 + r*cos(theta)**2 = r
    """
    items: list[object] = [sp.Determinant(sp.ImmutableMatrix(matrix))] if matrix.rows > 1 else []
    if matrix.shape == (2, 2):
        expansion = matrix[0, 0] * matrix[1, 1] - matrix[0, 1] * matrix[1, 0]
        if expansion != determinant and sp.count_ops(expansion) < 40:
            items.append(expansion)
    items.append(determinant)
    return Chain(tuple(items))


def rounded(value: float, digits: int) -> str:
    """A number to ``digits`` significant digits, without trailing noise: ``6.25``, ``18.75``."""
    if not math.isfinite(value):
        return str(value)
    return f"{value:.{max(1, min(digits, 15))}g}"


def agreement(a: float, b: float, *errors: float) -> int:
    """How many significant digits two numbers share, given their error estimates (1 to 15).

    >>> from symjac.derivation import agreement
    >>> agreement(6.25000000000046, 6.25, 6.3e-10, 6.3e-10)
    10
    """
    scale = max(abs(a), abs(b))
    if not all(math.isfinite(v) for v in (a, b, *errors)) or scale == 0:
        return 1
    spread = max([abs(a - b), *[abs(e) for e in errors], 1e-16 * scale])
    return max(1, min(15, math.floor(math.log10(scale)) - math.floor(math.log10(spread))))


def numeric_sentence(first: object, second: object, verdict: str, *,
                     names: tuple[str, str] = ("the original integral", "the new one")) -> str:
    """The numeric check of two values as one plain sentence, each rounded to the digits its
    error estimate supports.

    ``first`` and ``second`` have ``.value`` and ``.error`` (a quadrature's result).

    >>> from types import SimpleNamespace as Q
    >>> from symjac.derivation import numeric_sentence
    >>> print(numeric_sentence(Q(value=6.25000000000046, error=6.3e-10), Q(value=6.25, error=6.3e-10), "passed"))
    Checked numerically: both sides equal 6.25 to 10 digits.
    >>> print(numeric_sentence(Q(value=6.25, error=6.3e-10), Q(value=18.75, error=1.9e-9), "failed"))
    Checked numerically: the original integral is 6.25, but the new one is 18.75.
    """
    a, b = getattr(first, "value"), getattr(second, "value")
    ea, eb = float(getattr(first, "error", 0.0)), float(getattr(second, "error", 0.0))
    if isinstance(a, complex) or isinstance(b, complex):
        values = (f"{complex(a):.10g}", f"{complex(b):.10g}")
        digits, both = 10, values[0]
    else:
        a, b = float(a), float(b)
        digits = agreement(a, b, ea, eb)
        values = (rounded(a, agreement(a, a, ea)), rounded(b, agreement(b, b, eb)))
        both = rounded(a, digits)
    if verdict == "passed":
        if not isinstance(a, complex) and not isinstance(b, complex):
            size = max(abs(a), abs(b))
            if size <= max(ea, eb, 1e-300) * 10:  # both are 0 within the error estimates
                bound = max(ea, eb, size)
                return ("Checked numerically: both sides are 0" +
                        (f" to within {bound:.0e}." if bound > 0 else "."))
        return f"Checked numerically: both sides equal {both} to {digits} digit{'s' * (digits != 1)}."
    if verdict == "failed":
        return f"Checked numerically: {names[0]} is {values[0]}, but {names[1]} is {values[1]}."
    return (f"Checked numerically, without a decision: {names[0]} is about {values[0]} and "
            f"{names[1]} about {values[1]}, but the numbers are not precise enough to compare them.")


_FORMAT = string.Formatter()


def _fields(template: str) -> list[tuple[str, str | None]]:
    """The literal text and part name of each piece of a template (``{{`` is a brace)."""
    return [(literal, name) for literal, name, _, _ in _FORMAT.parse(template)]


@dataclass(frozen=True)
class Step:
    """One step: a sentence template, its named formula parts, and the formulas it displays.

    ``template`` is a sentence in which ``{name}`` stands for the formula
    ``parts[name]``; ``objects`` are (label, value) rows shown on their own line,
    ``label = value``. Labels are formulas (a SymPy object or a ``Tex``); a plain
    string label from older code is read as notation (``"|det J|"``) by the
    LaTeX printer. A step built without parts keeps its sentence literally.
    """

    template: str
    objects: tuple[tuple[object, object], ...] = ()
    parts: tuple[tuple[str, object], ...] = ()

    def sentence(self, math: Callable[[object], str] = plain,
                 words: Callable[[str], str] = lambda s: s) -> str:
        """The sentence with each part written by ``math`` and the words around them by ``words``."""
        if not self.parts:
            return words(self.template)
        values = dict(self.parts)
        return "".join(words(literal) + ("" if name is None else math(values[name]))
                       for literal, name in _fields(self.template))

    @property
    def text(self) -> str:
        """The sentence in plain text, formulas written as ``symjac.parsing`` reads them."""
        return self.sentence()

    def __str__(self) -> str:
        lines = [self.text]
        for label, obj in self.objects:
            head = f"    {plain(label)} = " if label != "" else "    "
            lines.append(head + shown(obj, " " * len(head)))
        return "\n".join(lines)

    def _latex_derivation(self) -> Derivation:
        return Derivation((self,))

    def to_dict(self) -> dict[str, object]:
        """``{"text": ..., "objects": {label: text}}`` with texts ``plain`` writes, and the
        template with its ``parts`` when the sentence has formulas in it."""
        data: dict[str, object] = {"text": self.text,
                                   "objects": {plain(label): plain(obj) for label, obj in self.objects}}
        if self.parts:
            data["template"] = self.template
            data["parts"] = {name: plain(value) for name, value in self.parts}
        return data


def _rows(objects: Mapping[object, object] | Sequence[tuple[object, object]] | None
          ) -> tuple[tuple[object, object], ...]:
    if objects is None:
        return ()
    if isinstance(objects, Mapping):
        return tuple(objects.items())
    return tuple((label, value) for label, value in objects)


@dataclass(frozen=True)
class Derivation:
    """An ordered, immutable list of steps.

    Print it for a terminal, ``to_dict()`` it for JSON, and in Jupyter it
    shows itself as Markdown with the formulas typeset.

    >>> import sympy as sp
    >>> from symjac.derivation import Derivation, Tex
    >>> r = sp.Symbol("r")
    >>> d = Derivation().then("Differentiate.", {"J": 3}).then("Done.")
    >>> len(d), d[0].text
    (2, 'Differentiate.')
    >>> print(d)
    1. Differentiate.
        J = 3
    2. Done.
    >>> d.to_dict()
    [{'text': 'Differentiate.', 'objects': {'J': '3'}}, {'text': 'Done.', 'objects': {}}]
    >>> e = Derivation().then("The area element is {dA}, with {r} > 0.",
    ...                       [(Tex(r"dA", "dA"), r)], dA=Tex(r"r\\,dr\\,d\\theta", "r dr dtheta"), r=r)
    >>> print(e)
    1. The area element is r dr dtheta, with r > 0.
        dA = r
    """

    steps: tuple[Step, ...] = ()

    def then(self, text: str,
             objects: Mapping[object, object] | Sequence[tuple[object, object]] | None = None,
             /, **parts: object) -> Derivation:
        """A new derivation with one more step.

        Args:
            text: The sentence; with ``parts``, a template in which ``{name}``
                stands for the formula ``parts[name]`` (write ``{{`` for a brace).
            objects: The formulas shown on their own lines, as ``{label: value}``
                or as (label, value) pairs; a label ``""`` shows the value alone.
            parts: The formulas inside the sentence.
        """
        if parts:
            missing = {n for _, n in _fields(text) if n is not None} - set(parts)
            if missing:
                raise KeyError(f"the sentence {text!r} names parts that were not given: "
                               f"{', '.join(sorted(missing))}")
        return Derivation(self.steps + (Step(text, _rows(objects), tuple(parts.items())),))

    def __add__(self, other: Derivation) -> Derivation:
        if not isinstance(other, Derivation):
            return NotImplemented
        return Derivation(self.steps + other.steps)

    def __iter__(self) -> Iterator[Step]:
        return iter(self.steps)

    def __len__(self) -> int:
        return len(self.steps)

    def __getitem__(self, index: int) -> Step:
        return self.steps[index]

    def __str__(self) -> str:
        return "\n".join(f"{i}. {step}" for i, step in enumerate(self.steps, 1))

    def to_dict(self) -> list[dict[str, object]]:
        """The steps as JSON-ready dictionaries (see ``Step.to_dict``)."""
        return [step.to_dict() for step in self.steps]

    def _repr_markdown_(self) -> str:
        from .latex import latex_steps

        return latex_steps(self, mathjax=True)

    def _latex_derivation(self) -> Derivation:
        return self

    def _repr_latex_(self) -> str:
        from .latex import latex_steps

        return latex_steps(self, mathjax=True)
