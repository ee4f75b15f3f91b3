"""The confusion table of symjac's verdicts on the adversarial cases (tests/adversarial.py).

For each method: wrong claims passed and right claims failed (both must be 0),
inconclusive verdicts counted, and the cases decided correctly. ``--quick`` runs the default
method (``auto``) of ``verify_integral`` with and without its symbolic step, the checker on the
polar cases (one right claim, two wrong ones) and two densities; the full run has every method
and case.
"""

from __future__ import annotations

import sys
from pathlib import Path

from .common import Table

TITLE = "Honest verdicts: the confusion table"

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import adversarial as A  # noqa: E402


def run(quick: bool = False) -> list[Table]:
    table = Table("Adversarial cases", ("method", "wrong claims passed", "right claims failed",
                                        "inconclusive", "decided correctly"))
    methods = ("auto",) if quick else A.METHODS
    rows = A.integral_rows(symbolic=True, timeout=5 if quick else 30, methods=methods)
    rows += A.integral_rows(symbolic=False, timeout=5 if quick else 30, methods=methods)
    substitutions = A.SUBSTITUTIONS[3:] if quick else A.SUBSTITUTIONS
    densities = A.DENSITIES[1:3] if quick else A.DENSITIES
    rows += [A.substitution_row(cases=substitutions),
             A.density_row(n=5000 if quick else 20_000, cases=densities)]
    table.rows = [r.row for r in rows]
    table.notes = [f"{len(A.INTEGRALS)} integral claims per method, {len(substitutions)} "
                   f"substitutions, {len(densities)} correct densities."]
    return [table]
