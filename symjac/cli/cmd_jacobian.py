"""symjac jacobian: the Jacobian matrix, determinant and volume element of a map."""

from __future__ import annotations

import argparse

import sympy as sp

from ..jacobian import jacobian_analysis
from .common import (
    Output,
    UsageError,
    add_plot_arguments,
    add_transform_arguments,
    expr_str,
    save_plot,
    transform_from_args,
)

NAME = "jacobian"
HELP = "Jacobian matrix, determinant and volume element of a map or a named system."
EPILOG = """examples:
  symjac jacobian "u = x**2/y, v = y**2/x" --domain "x > 0, y > 0"
  symjac jacobian --system spherical --latex
  symjac jacobian --system hyperspherical --n 5 --json
  symjac jacobian "u = x**2/y, v = y**2/x" --domain "x > 0, y > 0" \\
      --region "1 <= u <= 4, 2 <= v <= 3" --plot region.png"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_transform_arguments(parser)
    parser.add_argument("--timeout", type=float, default=30.0, metavar="SECONDS",
                        help="time limit per symbolic step (default 30)")
    add_plot_arguments(parser)


def _equation(c: sp.Basic) -> str:
    """``r = 0`` rather than ``Eq(r, 0)`` or ``r == 0``, for people."""
    if isinstance(c, sp.Eq):
        return f"{expr_str(c.lhs)} = {expr_str(c.rhs)}"
    return expr_str(c)


def run(args: argparse.Namespace) -> Output:
    t = transform_from_args(args)
    a = jacobian_analysis(t, timeout=args.timeout)
    lines = [f"map:    {t}", "", "Jacobian matrix d(" + ", ".join(map(str, t.outputs)) + ")/d("
             + ", ".join(map(str, t.inputs)) + "):", sp.pretty(a.matrix, use_unicode=True), ""]
    if a.determinant is not None:
        lines.append(f"det J   = {a.determinant}")
        lines.append(f"|det J| = {a.volume_element}")
    else:
        formula = "sqrt(det(J J^T))" if a.kind == "rows" else "sqrt(det(J^T J))"
        lines.append(f"volume element {formula} = {a.volume_element}")
    lines.append(f"sign of det J on the domain: {a.sign.value}")
    if a.abs_kept:
        lines.append("|.| kept around: " + ", ".join(map(str, a.abs_kept))
                     + " (its sign is not decided by the domain)")
    if a.singular_set == (sp.true,):
        lines.append("singular everywhere: the Jacobian never has full rank")
    elif a.singular_set:
        lines.append("singular where: " + ", ".join(_equation(c) for c in a.singular_set))
    lines.append(f"strategy: {a.strategy}")
    if args.steps:
        lines += ["", "steps:", str(a.steps)]
    if args.region and not args.plot:
        raise UsageError("--region is only used for the picture; add --plot FILE.png.")
    if args.plot:
        from ..plotting import plot_transform

        lines += ["", save_plot(plot_transform(t, args.region), args.plot)]
    return Output("\n".join(lines), {**a.to_dict(), "plot": args.plot}, a)
