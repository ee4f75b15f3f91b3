"""What the operator commands (gradient, divergence, curl, laplacian) share."""

from __future__ import annotations

import argparse

import sympy as sp

from ..operators.curvilinear import OperatorResult, operator_analysis
from ..errors import ParseError
from ..operators.metric import metric_tensor, scale_factors
from ..systems import system
from ..transform import Transform
from ..operators.checks import check_operator
from .common import ExitCode, Output, expr_str

__all__ = ["add_field_arguments", "coords_from_args", "run_operator"]


def add_field_arguments(parser: argparse.ArgumentParser, *, vector: bool) -> None:
    """FIELD, then ``--coords``/``--vars`` and their options."""
    if vector:
        parser.add_argument("field", metavar="FIELD",
                            help="the components, comma separated, e.g. \"r, 0, 0\"")
        parser.add_argument("--basis", choices=("physical", "coordinate"), default="physical",
                            help="components in the orthonormal physical basis (default) or the "
                                 "coordinate (contravariant) basis")
    else:
        parser.add_argument("field", metavar="FIELD", help="the scalar field, e.g. \"1/r\"")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--coords", metavar="SYSTEM|EQUATIONS",
                       help="a named system (spherical, cylindrical, hyperspherical, ...) or your own "
                            "map to Cartesian coordinates, e.g. \"x = u + v*cos(a), y = v*sin(a)\"")
    where.add_argument("--vars", metavar="NAMES", help="Cartesian variables, e.g. \"x,y,z\"")
    parser.add_argument("--n", type=int, metavar="N", help="dimension, for hyperspherical")
    parser.add_argument("--convention", choices=("physics", "math"),
                        help="spherical convention (default physics)")
    parser.add_argument("--domain", metavar="CONDITIONS", help="extra conditions, e.g. \"0 < a < pi\"")
    parser.add_argument("--inputs", metavar="NAMES",
                        help="with --coords EQUATIONS: the coordinates, e.g. \"u v\"")
    parser.add_argument("--timeout", type=float, default=30.0, metavar="SECONDS",
                        help="time limit per symbolic step (default 30)")
    parser.add_argument("--check", action="store_true",
                        help="also check the result numerically through Cartesian coordinates "
                             "(chain rule at random points)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the random points of --check")


def coords_from_args(args: argparse.Namespace) -> Transform | str:
    """The Transform of ``--coords``, or the variables of ``--vars``."""
    if args.vars:
        if args.n is not None or args.convention or args.inputs:
            raise ParseError("--n, --convention and --inputs go with --coords, not --vars.",
                             text=args.vars)
        return args.vars
    if not args.coords:
        raise ParseError("say where the field lives: --vars x,y,z for Cartesian variables or "
                         "--coords NAME (e.g. --coords spherical).", text="")
    if "=" in args.coords:
        if args.n is not None or args.convention:
            raise ParseError("--n and --convention go with a named system, not with equations.",
                             text=args.coords)
        return Transform.from_equations(args.coords, inputs=args.inputs, domain=args.domain)
    options: dict[str, object] = {}
    if args.n is not None:
        options["n"] = args.n
    if args.convention is not None:
        options["convention"] = args.convention
    t = system(args.coords, **options)
    return t.restrict(args.domain) if args.domain else t


def run_operator(operator: str, args: argparse.Namespace) -> Output:
    coords = coords_from_args(args)
    basis = getattr(args, "basis", "physical")
    res = operator_analysis(operator, args.field, coords, basis=basis, timeout=args.timeout)
    out = format_result(res, args)
    if args.check:
        report = check_operator(res, seed=args.seed)
        out.text += "\n\nnumeric check:\n" + str(report)
        out.data["check"] = report.to_dict()
        if report.verdict == "failed":
            out.code = ExitCode.CHECK_FAILED
    return out


def format_result(res: OperatorResult, args: argparse.Namespace) -> Output:
    value = res.value
    names = ", ".join(map(str, res.coords))
    where = (f"{res.transform.name} coordinates ({names})" if res.transform is not None and
             res.transform.name else f"coordinates ({names})")
    vector_out = isinstance(value, sp.MatrixBase)
    field = ", ".join(map(expr_str, res.field)) if isinstance(res.field, tuple) else expr_str(res.field)
    lines = [f"{res.operator} of {field} in {where}:"]
    if vector_out:
        lines += [f"  {q}-component: {expr_str(v)}" for q, v in zip(res.coords, value)]
        lines.append(f"(components in the {res.basis} basis)")
    else:
        lines.append(f"  = {expr_str(value)}")
    lines.append(f"method: {res.method}")
    data = res.to_dict()
    if res.transform is not None:
        h = scale_factors(res.transform, timeout=args.timeout)
        g = metric_tensor(res.transform, timeout=args.timeout)
        if res.method == "metric tensor":
            lines.append("metric tensor: g = " + expr_str(g.tolist()))
        else:
            lines.append("scale factors: " + ", ".join(f"h_{q} = {expr_str(e)}"
                                                       for q, e in zip(res.coords, h)))
        data["scale_factors"] = [expr_str(e) for e in h]
        data["metric"] = [[expr_str(e) for e in g.row(i)] for i in range(g.rows)]
        lines.append(res.steps[-1].text)
    if args.steps:
        lines += ["", "steps:", str(res.steps)]
    return Output("\n".join(lines), data, res)
