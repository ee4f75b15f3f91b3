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
    report = None if args.no_verify else verify_density(d, n=args.samples, seed=args.seed)
    lines = [d.to_text(report)]
    data = {"density": d.to_dict(), "verification": None if report is None else report.to_dict(),
            "steps": [s.text for s in d.steps]}
    if args.plot:
        lines += ["", _plot(d, args)]
        data["plot"] = args.plot
    if args.steps:
        lines += ["", "steps:", str(d.steps)]
    code = ExitCode.OK if report is None else ExitCode.for_verdict(report.verdict)
    return Output("\n".join(lines), data, d, code)


def _plot(d, args: argparse.Namespace) -> str:
    """Draw the density over a histogram of samples; the line that says where it went."""
    if len(d.variables) != 1:
        raise UsageError(f"--plot draws the density of one variable; this one is in "
                         f"{', '.join(v.name for v in d.variables)}. Integrate the others out "
                         f"with --marginalize, e.g. "
                         f"--marginalize \"{' '.join(v.name for v in d.variables[1:])}\".",
                         value=args.plot)
    from ..plotting import plot_density

    sample = sample_transformed(d, n=args.samples, seed=args.seed)
    figure = plot_density(sample.pdf, sample.values[:, 0], variable=d.variables[0])
    return (save_plot(figure, args.plot)
            + f" (the pdf over a histogram of {len(sample.values)} samples, seed {args.seed})")
