"""symjac demo: the homework check on the region between four parabolas."""

from __future__ import annotations

import argparse

from ..integrals.checker import check_substitution
from ..integrals.change import change_variables
from ..transform import Transform
from .common import ExitCode, Output, expr_str

NAME = "demo"
HELP = "Run the full change-of-variables check on a built-in example and show the derivation."

_REGION = "1 <= x**2/y <= 4, 2 <= y**2/x <= 3, x > 0, y > 0"
_CLAIM = "Integral(u*v/3, (u, 1, 4), (v, 2, 3))"
_WRONG = "Integral(3*u*v, (u, 1, 4), (v, 2, 3))"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    pass


def run(args: argparse.Namespace) -> Output:
    t = Transform.from_equations("u = x**2/y, v = y**2/x", domain="x > 0, y > 0")
    ci = change_variables("x*y", t, region=_REGION)
    report = check_substitution(("x*y", _REGION), _CLAIM, t)
    wrong = check_substitution(("x*y", _REGION), _WRONG, t)
    lines = [
        "The integral of x*y over the region between the parabolas",
        "y = x**2, y = x**2/4, x = y**2/2 and x = y**2/3, that is",
        f"    {_REGION},",
        "with the substitution u = x**2/y, v = y**2/x:",
        "",
        str(ci.steps),
        "",
        f"A student claims the new integral is {_CLAIM}.",
        f"Checker: {report.verdict}. {report.diagnosis}",
        "",
        f"Another claims {_WRONG}.",
        f"Checker: {wrong.verdict}. {wrong.diagnosis}",
    ]
    data = {"integral": expr_str(ci.as_integral()), "value": expr_str(ci.value),
            "check": ci.check.verdict if ci.check else None, "claim": _CLAIM,
            "verdict": report.verdict, "wrong_claim": _WRONG, "wrong_verdict": wrong.verdict,
            "wrong_mistakes": list(wrong.mistakes), "steps": [s.text for s in ci.steps]}
    verdicts = [report.verdict, "incorrect" if wrong.verdict == "correct" else
                "correct" if wrong.verdict == "incorrect" else wrong.verdict,
                ci.check.verdict if ci.check is not None else "inconclusive"]
    codes = {ExitCode.for_verdict(v) for v in verdicts}  # a failure beats inconclusive
    code = next(c for c in (ExitCode.CHECK_FAILED, ExitCode.INCONCLUSIVE, ExitCode.OK) if c in codes)
    return Output("\n".join(lines), data, ci, code)
