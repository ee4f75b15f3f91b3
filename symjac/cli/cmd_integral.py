"""symjac integral: change the variables of a definite integral and show every step."""

from __future__ import annotations

import argparse

from ..integrals.change import change_variables
from ..parsing import parse_equations
from .common import (
    Output,
    add_plot_arguments,
    add_transform_arguments,
    save_plot,
    transform_from_args,
)

NAME = "integral"
HELP = "Change the variables of a definite integral: Jacobian, inverse, new region, value, check."
EPILOG = """examples:
  symjac integral "x*y" --region "1 <= x**2/y <= 4, 2 <= y**2/x <= 3, x > 0, y > 0" \\
      --sub "u = x**2/y, v = y**2/x"
  symjac integral "exp(-x**2 - y**2)" --region "" --system polar
  symjac integral "Integral(x**2, (x, -1, 1))" --sub "u = x**2"
  symjac integral "x*y" --region "1 <= x**2/y <= 4, 2 <= y**2/x <= 3, x > 0, y > 0" \
      --sub "u = x**2/y, v = y**2/x" --plot parabolas.png
  symjac integral "1" --region "x**2 + y**2 + z**2 <= R**2, R > 0" --system spherical --values R=2"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("integral", metavar="INTEGRAL",
                        help="an Integral(...) with limits, or an integrand with --region")
    parser.add_argument("--region", metavar="INEQUALITIES",
                        help="the region, e.g. \"x**2 + y**2 <= 1, y >= 0\" (\"\" for all of space)")
    parser.add_argument("--sub", metavar="EQUATIONS",
                        help="the substitution (\"u = x**2/y, v = y**2/x\") or parametrisation "
                             "(\"x = r*cos(t), y = r*sin(t)\")")
    add_transform_arguments(parser, positional=False)
    add_value_arguments(parser)
    add_plot_arguments(parser, region=False)


def add_value_arguments(parser: argparse.ArgumentParser) -> None:
    """``--values``, ``--rtol`` and ``--timeout`` (shared with ``symjac check``)."""
    parser.add_argument("--values", metavar="NAME=NUMBER,...",
                        help="numbers for parameters in the numeric check, e.g. \"R=2, h=3\"")
    parser.add_argument("--rtol", type=float, default=1e-7, help="relative tolerance (default %(default)s)")
    parser.add_argument("--timeout", type=float, default=30.0, metavar="SECONDS",
                        help="time limit per symbolic step (default 30)")


def values_from_args(args: argparse.Namespace) -> dict[str, float]:
    """``--values "R=2, h=3"`` as ``{"R": 2.0, "h": 3.0}``."""
    from ..errors import ParseError

    if not args.values:
        return {}
    out = {}
    for name, value in parse_equations(args.values):
        if not value.is_number or not value.is_real:
            raise ParseError(f"--values: {name} = {value} is not a real number.", text=args.values)
        out[name.name] = float(value)
    return out


def region_from_args(args: argparse.Namespace) -> object:
    """``--region`` as given; ``""`` means all of space."""
    if args.region is None:
        return None
    return args.region if args.region.strip() else []


def run(args: argparse.Namespace) -> Output:
    t = transform_from_args(args, equations=args.sub)
    ci = change_variables(args.integral, t, region=region_from_args(args),
                          values=values_from_args(args), rtol=args.rtol, timeout=args.timeout)
    lines = [ci.to_text()]
    if args.plot:
        from ..plotting import plot_transform

        lines += ["", save_plot(plot_transform(t, args.region or None), args.plot)]
    # the map as the command line gave it (ci.transform also carries the region as its domain)
    data = {**ci.to_dict(), "transform": t.to_dict(), "plot": args.plot}
    return Output("\n".join(lines), data, ci)
