"""The confusion table of symjac's verdicts on the adversarial cases (tests/adversarial.py).

For each method: wrong claims passed and right claims failed (both must be 0),
inconclusive verdicts counted, and the cases decided correctly.
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
    rows = A.integral_rows(symbolic=True, timeout=5 if quick else 30)
    rows += A.integral_rows(symbolic=False, timeout=5 if quick else 30)
    rows += [A.substitution_row(), A.density_row(n=5000 if quick else 20_000)]
    table.rows = [r.row for r in rows]
    table.notes = [f"{len(A.INTEGRALS)} integral claims per method, {len(A.SUBSTITUTIONS)} "
                   f"substitutions, {len(A.DENSITIES)} correct densities."]
    return [table]
