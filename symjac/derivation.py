"""Derivations: the ordered steps an operation took, each a sentence plus SymPy objects.

Every result symjac returns carries one as ``.steps``, so the reasoning can be
printed, compared with a student's own, or exported as LaTeX.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import sympy as sp

__all__ = ["Step", "Derivation"]


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
            shown = sp.sstr(obj) if isinstance(obj, (sp.Basic, sp.MatrixBase)) else str(obj)
            lines.append(f"    {label} = {shown}" if label else f"    {shown}")
        return "\n".join(lines)


@dataclass(frozen=True)
class Derivation:
    """An ordered, immutable list of steps.

    >>> from symjac.derivation import Derivation
    >>> d = Derivation().then("Differentiate.", {"J": 3}).then("Done.")
    >>> len(d), d[0].text
    (2, 'Differentiate.')
    >>> print(d)
    1. Differentiate.
        J = 3
    2. Done.
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
