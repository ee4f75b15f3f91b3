"""symjac check: the homework checker for a claimed change of variables in an integral."""

from __future__ import annotations

import argparse

from ..integrals.checker import check_substitution
from .cmd_integral import add_value_arguments, region_from_args, values_from_args
from .common import ExitCode, Output, UsageError, add_transform_arguments, transform_from_args

NAME = "check"
HELP = "Check a claimed transformed integral; exit code 0 if correct, 1 if not, 5 if undecided."
EPILOG = """examples:
  symjac check "x*y" "Integral(u*v/3, (u, 1, 4), (v, 2, 3))" \\
      --region "1 <= x**2/y <= 4, 2 <= y**2/x <= 3, x > 0, y > 0" --sub "u = x**2/y, v = y**2/x"
  symjac check "Integral(1, (y, -sqrt(1 - x**2), sqrt(1 - x**2)), (x, -1, 1))" \\
      "Integral(r, (r, 0, 1), (theta, 0, 2*pi))" --system polar
  symjac check "1" "2*pi*Integral(r, (r, 0, 1))" --region "x**2 + y**2 <= 1" --system polar
      (an inner integral already done by hand: the claim is judged on its value)
  symjac check --batch submissions.jsonl --jobs 2 > results.jsonl
      (a class's answers: one JSON object per line with original, claimed and sub or
      system; also .csv with those columns. One JSON line per submission comes out in
      the input order, a progress bar and a summary table go to stderr)"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("original", metavar="ORIGINAL", nargs="?",
                        help="the original Integral(...) with limits, or its integrand with --region")
    parser.add_argument("claimed", metavar="CLAIMED", nargs="?",
                        help="the claimed integral in the new variables, e.g. "
                             "\"Integral(u*v/3, (u, 1, 4), (v, 2, 3))\"")
    parser.add_argument("--region", metavar="INEQUALITIES", help="the original region")
    parser.add_argument("--sub", metavar="EQUATIONS", help="the substitution or parametrisation")
    add_transform_arguments(parser, positional=False)
    add_value_arguments(parser)
    parser.add_argument("--batch", metavar="FILE", help="check every submission in FILE "
                        "(.jsonl or .csv); --timeout is the limit per submission")
    parser.add_argument("--jobs", type=int, default=1, metavar="N",
                        help="with --batch: worker processes (default 1)")
    parser.set_defaults(rtol=1e-6)


def run(args: argparse.Namespace) -> Output:
    if args.batch:
        from ._batch import run_batch

        return run_batch(args)
    if args.original is None or args.claimed is None:
        raise UsageError("give ORIGINAL and CLAIMED, or --batch FILE.")
    t = transform_from_args(args, equations=args.sub)
    report = check_substitution(args.original, args.claimed, t, region=region_from_args(args),
                                rtol=args.rtol, values=values_from_args(args), timeout=args.timeout)
    text = report.to_text() + (f"\n\nsteps:\n{report.steps}" if args.steps else "")
    return Output(text, report.to_dict(), report, ExitCode.for_verdict(report.verdict))
