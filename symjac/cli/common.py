"""What every subcommand shares: exit codes, the Output value, reading a transform."""

from __future__ import annotations

import argparse
import enum
from dataclasses import dataclass, field


from ..errors import SymjacError
from ..systems import system
from ..transform import Transform

__all__ = ["ExitCode", "Output", "UsageError", "add_transform_arguments", "transform_from_args",
           "expr_str", "add_plot_arguments", "save_plot"]

_PICTURE_FORMATS = (".png", ".pdf", ".svg")


class ExitCode(enum.IntEnum):
    """The exit codes of the ``symjac`` command."""

    OK = 0
    CHECK_FAILED = 1  #: a check ran and the numbers disagree
    USAGE_ERROR = 2  #: bad flags or input that cannot be read
    MATH_ERROR = 3  #: valid input that cannot be done (singular, no inverse, time limit)
    INTERNAL_ERROR = 4  #: a bug in symjac


@dataclass
class Output:
    """A subcommand's result: the text to print, the JSON payload (without
    ``schema``/``command``), and the object ``to_latex`` renders for ``--latex``."""

    text: str
    data: dict = field(default_factory=dict)
    latex_source: object = None
    code: ExitCode = ExitCode.OK


class UsageError(SymjacError):
    """A command line that cannot be carried out as written (exit code 2)."""


def expr_str(e: object) -> str:
    """An expression as text that ``symjac.parsing`` reads back."""
    from ..parsing import format_expression

    return format_expression(e)


def add_transform_arguments(parser: argparse.ArgumentParser, *, positional: bool = True) -> None:
    """``EQUATIONS`` (or ``--system NAME``), ``--domain``, ``--inputs``, ``--n``, ``--convention``."""
    if positional:
        parser.add_argument("equations", nargs="?", metavar="EQUATIONS",
                            help="the map, e.g. \"u = x**2/y, v = y**2/x\"")
    parser.add_argument("--system", metavar="NAME",
                        help="a named coordinate system instead of equations (see 'symjac systems')")
    parser.add_argument("--n", type=int, metavar="N", help="dimension, for hyperspherical/cartesian")
    parser.add_argument("--convention", choices=("physics", "math"),
                        help="spherical convention (default physics)")
    parser.add_argument("--domain", metavar="CONDITIONS", help="e.g. \"x > 0, y > 0\"")
    parser.add_argument("--inputs", metavar="NAMES",
                        help="the input variables, e.g. \"u v\"; other names become parameters")


def transform_from_args(args: argparse.Namespace, equations: str | None = None) -> Transform:
    """The Transform a command line describes."""
    from ..errors import ParseError

    equations = equations if equations is not None else getattr(args, "equations", None)
    if args.system:
        if equations:
            raise ParseError("give either equations or --system, not both.", text=equations)
        options: dict[str, object] = {}
        if args.n is not None:
            options["n"] = args.n
        if args.convention is not None:
            options["convention"] = args.convention
        t = system(args.system, **options)
        return t.restrict(args.domain) if args.domain else t
    if not equations:
        raise ParseError("no map given. Pass equations such as \"u = x**2/y, v = y**2/x\" "
                         "or a named system with --system polar.", text="")
    return Transform.from_equations(equations, inputs=args.inputs, domain=args.domain)


def _picture_path(text: str) -> str:
    if not text.lower().endswith(_PICTURE_FORMATS):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a picture file name; end it with one of {', '.join(_PICTURE_FORMATS)}.")
    return text


def add_plot_arguments(parser: argparse.ArgumentParser, *, region: bool = True) -> None:
    """``--plot FILE.png`` (and ``--region CONDITIONS`` to shade in the picture)."""
    parser.add_argument("--plot", metavar="FILE.png", type=_picture_path,
                        help="also draw a picture to FILE (.png, .pdf or .svg; needs matplotlib)")
    if region:
        parser.add_argument("--region", metavar="CONDITIONS",
                            help="with --plot: a region to shade, in the inputs or the outputs, "
                                 "e.g. \"1 <= u <= 4, 2 <= v <= 3\"")


def save_plot(figure: object, path: str) -> str:
    """Write a matplotlib figure; returns the line to show the user."""
    try:
        figure.savefig(path, dpi=120)  # type: ignore[attr-defined]
    except OSError as exc:
        raise UsageError(f"cannot write the picture {path!r}: {exc.strerror or exc}.",
                         value=path, hint="check that the folder exists and is writable.") from None
    return f"picture written to {path}"
