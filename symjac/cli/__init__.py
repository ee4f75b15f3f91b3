"""The ``symjac`` command: parse the command line, call one library function, format.

Each subcommand lives in its own module ``symjac/cli/cmd_<name>.py`` with
``NAME``, ``HELP``, ``add_arguments(parser)`` and ``run(args) -> Output``; this
package finds them by name, so adding a command touches no other file. This
package is the only part of symjac that prints.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import io
import json
import os
import pkgutil
import re
import sys
import traceback
from collections.abc import Sequence

from ..errors import (
    DimensionError,
    DomainError,
    InversionError,
    ParseError,
    SingularTransformError,
    SymjacError,
    SymjacTimeoutError,
    SymjacTypeError,
    UnknownSystemError,
)
from .common import ExitCode, Output, UsageError

__all__ = ["main", "run_json", "ExitCode", "Output"]


def _command_modules() -> list:
    names = sorted(m.name for m in pkgutil.iter_modules(__path__) if m.name.startswith("cmd_"))
    return [importlib.import_module(f"{__name__}.{name}") for name in names]


def _parser() -> argparse.ArgumentParser:
    from .. import __version__

    parser = argparse.ArgumentParser(
        prog="symjac",
        description="Jacobians, change of variables and densities, derived symbolically "
                    "and checked numerically.",
        epilog="Exit codes: 0 ok, 1 a check failed, 2 bad input, 3 valid input that cannot "
               "be done (singular map, no inverse, time limit), 4 internal error.",
    )
    parser.add_argument("--version", action="version", version=f"symjac {__version__}")
    common = argparse.ArgumentParser(add_help=False)
    fmt = common.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="print one JSON object (schema 1)")
    fmt.add_argument("--latex", action="store_true", help="print LaTeX")
    common.add_argument("--document", action="store_true",
                        help="with --latex: a complete, compilable LaTeX document")
    common.add_argument("--steps", action="store_true", help="show the derivation steps")
    common.add_argument("--output", metavar="FILE", help="write the result to FILE instead of stdout")
    common.add_argument("--debug", action="store_true", help="show a traceback on errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in _command_modules():
        p = sub.add_parser(module.NAME, help=module.HELP, description=module.HELP, parents=[common],
                           formatter_class=argparse.RawDescriptionHelpFormatter,
                           epilog=getattr(module, "EPILOG", None))
        module.add_arguments(p)
        p.set_defaults(_run=module.run)
    return parser


def _render(output: Output, args: argparse.Namespace) -> str:
    if getattr(args, "json", False):
        payload = {"schema": 1, "command": args.command, **output.data}
        return json.dumps(payload, indent=2, ensure_ascii=False)
    if getattr(args, "latex", False):
        from ..latex import to_latex

        source = output.latex_source
        if source is None:
            raise UsageError(f"'{args.command}' has no LaTeX output here; use text or --json.")
        return to_latex(source, steps=args.steps or args.document, document=args.document)
    return output.text


_USAGE = (ParseError, DimensionError, DomainError, UnknownSystemError, UsageError, SymjacTypeError)
_MATH = (SingularTransformError, InversionError, SymjacTimeoutError)


_OPTION = re.compile(r"^--?[A-Za-z][\w-]*$")


def _attach_dash_values(argv: list[str]) -> list[str]:
    """``--support -1<x<2`` as ``--support=-1<x<2``: argparse would take a value that starts
    with '-' (a negative lower bound) for an option and stop with "expected one argument"."""
    out: list[str] = []
    for token in argv:
        prev = out[-1] if out else ""
        if (token.startswith("-") and not _OPTION.match(token) and prev.startswith("--")
                and "=" not in prev and _OPTION.match(prev)):
            out[-1] = f"{prev}={token}"
        else:
            out.append(token)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``symjac`` command; returns the exit code (see ``ExitCode``)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv == ["--version"]:  # answered before the command modules (and SymPy) load
        from .. import __version__

        print(f"symjac {__version__}")
        return ExitCode.OK
    return _main(argv)


def _main(argv: list[str]) -> int:
    parser = _parser()
    argv = _attach_dash_values(argv)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: --help (0) or a usage error (2)
        return int(exc.code or 0)
    if args.command is None:
        parser.print_help()
        return ExitCode.USAGE_ERROR
    if args.document and not args.latex:
        print("symjac: error: --document goes with --latex.", file=sys.stderr)
        return ExitCode.USAGE_ERROR
    try:
        output = args._run(args)
        text = _render(output, args)
    except _USAGE as exc:
        return _fail(exc, args, ExitCode.USAGE_ERROR)
    except _MATH as exc:
        return _fail(exc, args, ExitCode.MATH_ERROR)
    except SymjacError as exc:
        return _fail(exc, args, ExitCode.MATH_ERROR)
    except KeyboardInterrupt:
        print("symjac: interrupted.", file=sys.stderr)
        return ExitCode.INTERNAL_ERROR
    except Exception as exc:  # a bug: say so; the traceback only with --debug
        return _internal_error(exc, args)
    if args.steps and not _has_steps(output):
        print(f"symjac: note: '{args.command}' has no derivation steps to show; the output is the "
              "whole result.", file=sys.stderr)
    if args.output:
        try:
            with open(args.output, "w", encoding="utf-8") as fh:
                fh.write(text if text.endswith("\n") else text + "\n")
        except OSError as exc:
            print(f"symjac: error: cannot write {args.output!r}: {exc.strerror}.", file=sys.stderr)
            return ExitCode.USAGE_ERROR
        print(f"wrote {args.output}")
    else:
        try:
            print(text)
            sys.stdout.flush()
        except BrokenPipeError:  # e.g. piped into head: not an error
            try:
                sys.stdout = open(os.devnull, "w")  # noqa: SIM115
            except OSError:
                pass
    return int(output.code)


def _has_steps(output: Output) -> bool:
    """Whether the command's result carries a derivation (what ``--steps`` shows)."""
    from ..derivation import Derivation

    steps = getattr(output.latex_source, "steps", None)
    return isinstance(steps, Derivation) and len(steps) > 0


def _internal_error(exc: Exception, args: argparse.Namespace) -> int:
    if getattr(args, "debug", False):
        traceback.print_exc()
        where = "the traceback above"
    else:
        where = "the output of the same command with --debug"
    _json_error(exc, args, ExitCode.INTERNAL_ERROR)
    print(f"symjac: internal error ({type(exc).__name__}: {exc}): this is a bug in symjac. "
          f"Please report it with the command you ran and {where}.", file=sys.stderr)
    return int(ExitCode.INTERNAL_ERROR)


def error_payload(exc: BaseException, command: str | None, code: ExitCode) -> dict:
    """The JSON object of an error: ``{"schema": 1, "command", "exit_code", "error": {...}}``."""
    error = {"type": type(exc).__name__, "message": str(exc)}
    for key in ("column", "hint", "expected"):
        value = getattr(exc, key, None)
        if value is not None:
            error[key] = value if isinstance(value, (int, str)) else str(value)
    return {"schema": 1, "command": command, "exit_code": int(code), "error": error}


def _json_error(exc: Exception, args: argparse.Namespace, code: ExitCode) -> None:
    """With --json, an error is a JSON object on stdout too, so a program always gets JSON."""
    if not getattr(args, "json", False):
        return
    payload = error_payload(exc, args.command, code)
    try:
        print(json.dumps(payload, indent=2, ensure_ascii=False))
    except BrokenPipeError:  # pragma: no cover
        pass


def _fail(exc: Exception, args: argparse.Namespace, code: ExitCode) -> int:
    if getattr(args, "debug", False):
        traceback.print_exc()
    _json_error(exc, args, code)
    print(f"symjac: error: {exc}", file=sys.stderr)
    return int(code)


def run_json(argv: Sequence[str]) -> tuple[int, dict, object]:
    """Run one command as ``symjac ... --json`` does, printing nothing: for callers such as
    the web page that want the CLI's JSON schema without a terminal.

    Returns:
        ``(exit code, the JSON object --json prints, the result --latex renders or None)``;
        an error gives its JSON object (``"error"``, ``"exit_code"``), never an exception.
        A bug gives exit code 4 and the error's one-line message, never a traceback.

    >>> from symjac.cli import run_json
    >>> code, payload, result = run_json(["jacobian", "--system=polar"])
    >>> code, payload["command"], payload["determinant"]
    (0, 'jacobian', 'r')
    >>> run_json(["jacobian", "--n=two"])[1]["error"]["message"]
    "argument --n: invalid int value: 'two'"
    """
    argv = list(argv)
    command = argv[0] if argv else None
    try:
        args = _parse_quietly(argv)
        output = args._run(args)
    except _USAGE as exc:
        return _error(exc, command, ExitCode.USAGE_ERROR)
    except SymjacError as exc:
        return _error(exc, command, ExitCode.MATH_ERROR)
    except Exception as exc:  # noqa: BLE001 - a bug: its message, never a traceback
        return _error(exc, command, ExitCode.INTERNAL_ERROR)
    return int(output.code), {"schema": 1, "command": args.command, **output.data}, output.latex_source


def _error(exc: BaseException, command: str | None, code: ExitCode) -> tuple[int, dict, None]:
    return int(code), error_payload(exc, command, code), None


def _parse_quietly(argv: list[str]) -> argparse.Namespace:
    """The command line parsed with argparse's complaint as a UsageError instead of stderr."""
    complaint = io.StringIO()
    try:
        with contextlib.redirect_stderr(complaint), contextlib.redirect_stdout(io.StringIO()):
            args = _parser().parse_args(argv)
    except SystemExit:
        lines = [ln for ln in complaint.getvalue().splitlines() if ln.strip()]
        message = lines[-1].split(": error: ", 1)[-1] if lines else "the request could not be read."
        raise UsageError(message) from None
    if args.command is None:
        raise UsageError("no command given.")
    return args
