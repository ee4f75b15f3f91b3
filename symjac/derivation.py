"""Derivations: the ordered steps an operation took, each a sentence plus SymPy objects.

Every result symjac returns carries one as ``.steps``, so the reasoning can be
printed in a terminal, shown in Jupyter, saved as JSON, compared with a
student's own, or exported as LaTeX with ``symjac.latex.to_latex``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import sympy as sp

__all__ = ["Step", "Derivation", "plain"]


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
        return " and ".join(_grouped(a) for a in obj.args)
    if isinstance(obj, sp.Or):
        return " or ".join(_grouped(a) for a in obj.args)
    if isinstance(obj, sp.Not):
        return f"not ({plain(obj.args[0])})"
    if isinstance(obj, (tuple, list, sp.Tuple)):
        return ", ".join(plain(o) for o in obj)
    if isinstance(obj, (sp.Basic, sp.MatrixBase)):
        return sp.sstr(obj)
    return str(obj)


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
class Step:
    """One step: a sentence, and the objects it produced, by label.

    Labels are short math names such as ``"J"`` or ``"|det J|"``.
    """

    text: str
    objects: tuple[tuple[str, object], ...] = ()

    def __str__(self) -> str:
        lines = [self.text]
        for label, obj in self.objects:
            head = f"    {label} = " if label else "    "
            lines.append(head + shown(obj, " " * len(head)))
        return "\n".join(lines)

    def _latex_derivation(self) -> Derivation:
        return Derivation((self,))

    def to_dict(self) -> dict[str, object]:
        """``{"text": ..., "objects": {label: text}}`` with texts ``plain`` writes."""
        return {"text": self.text, "objects": {label: plain(obj) for label, obj in self.objects}}


@dataclass(frozen=True)
class Derivation:
    """An ordered, immutable list of steps.

    Print it for a terminal, ``to_dict()`` it for JSON, and in Jupyter it
    shows itself as Markdown with the formulas typeset.

    >>> from symjac.derivation import Derivation
    >>> d = Derivation().then("Differentiate.", {"J": 3}).then("Done.")
    >>> len(d), d[0].text
    (2, 'Differentiate.')
    >>> print(d)
    1. Differentiate.
        J = 3
    2. Done.
    >>> d.to_dict()
    [{'text': 'Differentiate.', 'objects': {'J': '3'}}, {'text': 'Done.', 'objects': {}}]
    """

    steps: tuple[Step, ...] = ()

    def then(self, text: str, objects: Mapping[str, object] | None = None) -> Derivation:
        """A new derivation with one more step."""
        return Derivation(self.steps + (Step(text, tuple((objects or {}).items())),))

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
        from .latex import latex_expr, latex_label

        lines = []
        for i, step in enumerate(self.steps, 1):
            lines.append(f"{i}. {step.text}")
            for label, obj in step.objects:
                head = latex_label(label) + " = " if label else ""
                lines.append(f"   $$ {head}{latex_expr(obj)} $$")
        return "\n".join(lines)

    def _latex_derivation(self) -> Derivation:
        return self

    def _repr_latex_(self) -> str:
        from .latex import latex_steps

        return latex_steps(self, mathjax=True)
