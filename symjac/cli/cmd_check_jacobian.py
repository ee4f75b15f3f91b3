"""symjac check-jacobian: compare a Jacobian (symjac's or your own) with numerical derivatives."""

from __future__ import annotations

import argparse

from ..numeric.compiled import check_jacobian
from .common import ExitCode, Output, UsageError, add_transform_arguments, transform_from_args

NAME = "check-jacobian"
HELP = "Compare a Jacobian (symjac's or one worked out by hand) with numerical derivatives."
EPILOG = """examples:
  symjac check-jacobian --system spherical
  symjac check-jacobian "u = x**2/y, v = y**2/x" --domain "x > 0, y > 0" \\
      --claimed "2*x/y, -x**2/y**2; -y**2/x**2, 2*y/x"

--claimed gives the rows separated by ';' and the entries of a row by ','
(one row per output, one column per input). Exit code 0 when the check passed,
1 when it failed or was inconclusive."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_transform_arguments(parser)
    parser.add_argument("--claimed", metavar="ROWS",
                        help="a Jacobian to check, rows separated by ';', entries by ','")
    parser.add_argument("--points", type=int, default=16, help="random points of the domain (default 16)")
    parser.add_argument("--method", choices=("auto", "complex_step", "central"), default="auto",
                        help="numerical derivatives (default auto: complex step where possible)")
    parser.add_argument("--rtol", type=float, default=1e-7, help="relative tolerance (default 1e-7)")
    parser.add_argument("--atol", type=float, default=1e-9, help="absolute tolerance (default 1e-9)")
    parser.add_argument("--seed", type=int, default=0, help="seed for the points (default 0)")


def run(args: argparse.Namespace) -> Output:
    t = transform_from_args(args)
    claimed = None
    if args.claimed:
        claimed = [[e.strip() for e in row.split(",")] for row in args.claimed.split(";") if row.strip()]
        if any(not e for row in claimed for e in row):
            raise UsageError("--claimed has an empty entry; write rows like \"a, b; c, d\".")
    report = check_jacobian(t, claimed=claimed, n_points=args.points, method=args.method,
                            rtol=args.rtol, atol=args.atol, seed=args.seed)
    code = ExitCode.for_verdict(report.verdict)
    return Output(str(report), report.to_dict(), report, code)
