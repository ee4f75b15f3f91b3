"""symjac density: the density of new variables under a change of variables, checked numerically."""

from __future__ import annotations

import argparse

from ..densities.density import transform_density
from ..densities.checks import sample_transformed, verify_density
from .common import (
    ExitCode,
    Output,
    UsageError,
    add_plot_arguments,
    add_transform_arguments,
    expr_str,
    save_plot,
    transform_from_args,
)

NAME = "density"
HELP = "Density of Y = g(X): every inverse branch, the support, the family, and a numeric check."
EPILOG = """examples:
  symjac density "exp(-x**2/2)/sqrt(2*pi)" --vars x --support "-oo < x < oo" --map "y = x**2"
  symjac density "lam**2*exp(-lam*(x1 + x2))" --vars "x1 x2" --support "x1 > 0, x2 > 0, lam > 0" \\
      --map "y = x1 + x2"
  symjac density "exp(-(x**2 + y**2)/2)/(2*pi)" --system polar --json
  symjac density "1" --vars u --support "0 < u < 1" --map "y = -2*log(u)" --latex
  symjac density "1/(2*pi)" --vars x --support "0 < x < 2*pi" --map "y = sin(x)" --plot arcsine.png
  symjac density "exp(-(x1**2 - 2*rho*x1*x2 + x2**2)/(2*(1 - rho**2)))/(2*pi*sqrt(1 - rho**2))" \\
      --vars "x1 x2" --support "-1 < rho < 1" --map "y = x1 + x2"
  symjac density "exp(-x1 - x2)" --vars "x1 x2" --support "x1 > 0, x2 > 0" --map "y = Min(x1, x2)"

branches are numbered from 1 (branch 1, branch 2, ...), here and in `symjac invert`."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("pdf", metavar="PDF", help="the density of the old variables, e.g. "
                        "\"exp(-x**2/2)/sqrt(2*pi)\"")
    parser.add_argument("--map", metavar="EQUATIONS", dest="map",
                        help="the new variables in terms of the old, e.g. \"y = x**2\"")
    parser.add_argument("--vars", metavar="NAMES",
                        help="the old variables (the density's), e.g. \"x1 x2\"; other names "
                             "in the map are parameters. --inputs is the same flag under the name "
                             "the other commands use")
    parser.add_argument("--support", metavar="CONDITIONS",
                        help="where the density of the old variables applies, and conditions on "
                             "parameters (any shape: \"x > 0, -1 < rho < 1\"); default: everywhere. "
                             "--domain restricts the map itself (as in the other commands); a "
                             "density usually needs only --support")
    parser.add_argument("--marginalize", metavar="NAMES",
                        help="new variables to integrate out, e.g. \"v\"")
    add_transform_arguments(parser, positional=False)
    parser.add_argument("--samples", type=int, default=20_000, metavar="N",
                        help="sample size of the numeric check (default 20000)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the numeric check (default 0)")
    parser.add_argument("--no-verify", action="store_true", help="skip the numeric check")
    parser.add_argument("--timeout", type=float, default=30.0, metavar="SECONDS",
                        help="time limit per symbolic step (default 30)")
    add_plot_arguments(parser, region=False)


def run(args: argparse.Namespace) -> Output:
    if args.vars and args.inputs and args.vars.split() != args.inputs.split():
        raise UsageError(f"--vars {args.vars!r} and --inputs {args.inputs!r} name the old "
                         "variables twice, differently; give one of them (they mean the same).",
                         value=args.vars)
    args.inputs = args.inputs or args.vars
    t = transform_from_args(args, equations=args.map)
    d = transform_density(args.pdf, t, support=args.support, marginalize=args.marginalize,
                          timeout=args.timeout)
    names = ", ".join(v.name for v in d.variables)
    lines = _density_lines(t, d)
    data = {"density": d.to_dict(), "verification": None, "steps": [s.text for s in d.steps]}
    code = ExitCode.OK
    if not args.no_verify:
        report = verify_density(d, n=args.samples, seed=args.seed)
        lines += ["", f"check:    {report.verdict} (n = {report.sample_size}, seed = {report.seed})",
                  f"          {report.reason}"]
        lines += [f"          note: {w}" for w in report.warnings]
        data["verification"] = report.to_dict()
        code = ExitCode.for_verdict(report.verdict)
    if args.plot:
        if len(d.variables) != 1:
            raise UsageError(f"--plot draws the density of one variable; this one is in "
                             f"{names}. Integrate the others out with --marginalize, e.g. "
                             f"--marginalize \"{' '.join(v.name for v in d.variables[1:])}\".",
                             value=args.plot)
        from ..plotting import plot_density

        sample = sample_transformed(d, n=args.samples, seed=args.seed)
        figure = plot_density(sample.pdf, sample.values[:, 0], variable=d.variables[0])
        lines += ["", save_plot(figure, args.plot)
                  + f" (the pdf over a histogram of {len(sample.values)} samples, seed {args.seed})"]
        data["plot"] = args.plot
    if args.steps:
        lines += ["", "steps:", str(d.steps)]
    return Output("\n".join(lines), data, d, code)


def _density_lines(t, d) -> list[str]:
    """The derived density for a terminal: the map, the source, the branches, the result."""
    names = ", ".join(v.name for v in d.variables)
    src = d.source
    lines = [f"map:      {t}",
             f"density:  f({', '.join(v.name for v in src.variables)}) = {expr_str(src.pdf)}"
             + (f"  on  {', '.join(expr_str(c) for c in src.support)}" if src.support else ""),
             ""]
    if d.auxiliary:
        lines.append("completed with " + ", ".join(f"{w} = {expr_str(e)}" for w, e in d.auxiliary)
                     + " (integrated out at the end)")
    direction = "inverse branches" if d.forward else "branch (the map gives the old variables)"
    lines.append(f"{direction} ({len(d.branches)}):")
    lines += [f"  branch {i}: {b}" for i, b in enumerate(d.branches, 1)]
    lines += ["", f"f({names}) = {expr_str(d.value)}",
              "support:  " + (", ".join(expr_str(c) for c in d.support) or
                              ("everywhere" if d.support_known else
                               "not worked out (the density is left as an integral)"))
              + ("" if not d.support else " (0 elsewhere)")]
    if not d.closed_form:
        lines.append("note: an integral was left for numeric evaluation")
    lines.append("family:   " + (d.family.caption if d.family is not None
                                 else "not a recognised standard family"))
    return lines
