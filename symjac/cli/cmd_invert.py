"""symjac invert: every real branch of the inverse of a map, with its domain and evidence."""

from __future__ import annotations

import argparse

from ..inverse.inversions import inversion
from .common import Output, add_transform_arguments, expr_str, transform_from_args

NAME = "invert"
HELP = "Invert a map: every real branch, the values it covers, and a round-trip check."
EPILOG = """examples:
  symjac invert "u = x**2/y, v = y**2/x" --domain "x > 0, y > 0"
  symjac invert "u = x**2"                      (two branches: x >= 0 and x < 0)
  symjac invert "u = x**3"                      (one branch, the real cube root, by cases)
  symjac invert --system spherical --json
  symjac invert "u = x + y, v = x - y" --latex"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_transform_arguments(parser)
    parser.add_argument("--timeout", type=float, default=30.0, metavar="SECONDS",
                        help="time limit for the whole inversion (default 30)")
    parser.add_argument("--seed", type=int, default=0,
                        help="seed of the random points of the round-trip check (default 0)")


def run(args: argparse.Namespace) -> Output:
    t = transform_from_args(args)
    inv = inversion(t, timeout=args.timeout, seed=args.seed)
    n = len(inv.branches)
    lines = [f"map:      {t}", f"strategy: {inv.strategy}",
             f"{n} real branch{'es' * (n != 1)}:"]
    for i, b in enumerate(inv.branches, 1):
        bt = b.transform
        lines.append("")
        lines.append(f"branch {i}: " + ", ".join(f"{o} = {expr_str(e)}"
                                                 for o, e in zip(bt.outputs, bt.exprs)))
        lines.append("  domain:     " + (", ".join(expr_str(c) for c in bt.domain) or "all values"))
        for p in b.pieces:  # a branch given by cases: each case on its own
            pt = p.transform
            lines.append("  case:       " + ", ".join(f"{o} = {expr_str(e)}" for o, e in
                                                      zip(pt.outputs, pt.exprs))
                         + " for " + (", ".join(expr_str(c) for c in pt.domain) or "all values"))
        lines.append("  comes from: " + (", ".join(expr_str(c) for c in b.source)
                                         or "the whole domain of the map"))
        lines.append(f"  det J of the inverse: {expr_str(b.determinant)}")
        lines.append(f"  check: {'passed' if b.certificate.passed else 'FAILED'}; {b.certificate}")
    if args.steps:
        lines += ["", "steps:", str(inv.steps)]
    return Output("\n".join(lines), inv.to_dict(), inv)
