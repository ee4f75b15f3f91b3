"""symjac verify: check numerically that an integral equals a claimed value or another integral."""

from __future__ import annotations

import argparse

from ..numeric.verify import verify_integral
from .common import ExitCode, Output

NAME = "verify"
HELP = "Check numerically that an integral equals a value or another integral (with evidence)."
EPILOG = """examples:
  symjac verify "Integral(x*y, (x, 0, 1), (y, 0, 1))" "1/4"
  symjac verify "Integral(exp(-x**2-y**2), (x, -oo, oo), (y, -oo, oo))" \\
      "Integral(r*exp(-r**2), (r, 0, oo), (t, 0, 2*pi))" --json
  symjac verify "Integral(x**2, (x, 0, 1))" "1/3" --method monte_carlo --seed 3

exit code 0 when the check passed, 1 when it failed, 5 when it was inconclusive."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("original", metavar="INTEGRAL", help='e.g. "Integral(x*y, (x, 0, 1), (y, 0, 1))"')
    parser.add_argument("claimed", metavar="CLAIMED", help='a number ("1/4", "pi/2") or another Integral(...)')
    parser.add_argument("--method", choices=("auto", "scipy", "mpmath", "monte_carlo"), default="auto",
                        help="quadrature method (default auto: SciPy)")
    parser.add_argument("--rtol", type=float, default=1e-8, help="relative tolerance (default 1e-8)")
    parser.add_argument("--atol", type=float, default=1e-10, help="absolute tolerance (default 1e-10)")
    parser.add_argument("--seed", type=int, default=0, help="seed for Monte Carlo (default 0)")
    parser.add_argument("--timeout", type=float, default=30.0, metavar="SECONDS",
                        help="time limit per quadrature (default 30)")


def run(args: argparse.Namespace) -> Output:
    report = verify_integral(args.original, args.claimed, rtol=args.rtol, atol=args.atol,
                             method=args.method, seed=args.seed, timeout=args.timeout)
    code = ExitCode.for_verdict(report.verdict)
    return Output(str(report), report.to_dict(), report, code)
