"""symjac hessian: the gradient and the (symmetric) Hessian matrix of a scalar function."""

from __future__ import annotations

import argparse

import sympy as sp

from ..operators.curvilinear import operator_analysis
from ..operators.derivatives import gradient
from .common import Output, expr_str

NAME = "hessian"
HELP = "Gradient and Hessian matrix (the Jacobian of the gradient) of a scalar function."
EPILOG = """examples:
  symjac hessian "x**2*y + sin(y)" --vars x,y
  symjac hessian "x**3 + x*y*z" --vars x,y,z --json"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("function", metavar="FUNCTION", help="the scalar function, e.g. \"x**2*y\"")
    parser.add_argument("--vars", metavar="NAMES", required=True, help="the variables, e.g. \"x,y\"")
    parser.add_argument("--timeout", type=float, default=30.0, metavar="SECONDS",
                        help="time limit per symbolic step (default 30)")


def run(args: argparse.Namespace) -> Output:
    grad = gradient(args.function, args.vars, timeout=args.timeout)
    res = operator_analysis("hessian", args.function, args.vars, timeout=args.timeout)
    H = res.value
    names = [s.strip() for s in args.vars.replace(",", " ").split()]
    lines = [f"function: {args.function}", "",
             "gradient: (" + ", ".join(expr_str(e) for e in grad) + ")", "",
             "Hessian d²f/d(" + ", ".join(names) + ")²:", sp.pretty(H, use_unicode=True)]
    if args.steps:
        lines += ["", "steps:", str(res.steps)]
    data = {
        "function": args.function,
        "variables": names,
        "gradient": [expr_str(e) for e in grad],
        "hessian": [[expr_str(e) for e in H.row(i)] for i in range(H.rows)],
    }
    data["steps"] = [step.text for step in res.steps]
    return Output("\n".join(lines), data, res if args.steps or args.document else H)
