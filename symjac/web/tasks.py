"""What a web request runs in a worker process: the CLI's JSON, the LaTeX for KaTeX, a picture.

A request's fields are the CLI's arguments (``original``, ``claimed``, ``region``, ``sub``,
...). ``command_line`` turns them into the command line of ``symjac COMMAND --json`` (only
the options listed here: none reads or writes a file), ``run_tool`` runs it with
``symjac.cli.run_json`` and adds what a page needs. The worker refuses, for the rest of its
life, to write a file, start a program or open a connection (``harden``).
"""

from __future__ import annotations

import argparse
import base64
import io
import os
import sys
from collections.abc import Mapping
from typing import Any

from ..cli import run_json
from ..cli.common import transform_from_args
from ..latex import to_latex
from ..result import to_data
from .typeset import katex_blocks

__all__ = ["POSITIONAL", "OPTIONS", "FLAGS", "command_line", "run_tool", "check_submission",
           "list_systems", "preview", "harden", "warm_up"]

#: each tool's positional arguments, in order
POSITIONAL: dict[str, tuple[str, ...]] = {
    "check": ("original", "claimed"),
    "integral": ("integral",),
    "density": ("pdf",),
    "jacobian": ("equations",),
}
_MAP = ("system", "domain", "inputs", "n", "convention")
_VALUES = ("values", "rtol", "timeout")
#: each tool's options (the CLI's, with ``_`` for ``-``); ``region`` of ``jacobian`` is only drawn
OPTIONS: dict[str, tuple[str, ...]] = {
    "check": ("region", "sub", *_MAP, *_VALUES),
    "integral": ("region", "sub", *_MAP, *_VALUES),
    "density": ("map", "vars", "support", "marginalize", *_MAP, "samples", "seed", "no_verify",
                "timeout"),
    "jacobian": (*_MAP, "timeout"),
}
#: options that are switches (true or false) rather than values
FLAGS = ("no_verify",)
_DRAWN_ONLY = {"jacobian": ("region",)}


def command_line(command: str, fields: Mapping[str, Any]) -> list[str]:
    """The ``symjac`` command line for a request (every value after ``=`` or ``--``, so a
    value that starts with ``-`` is never read as an option).

    >>> from symjac.web.tasks import command_line
    >>> command_line("check", {"original": "-x", "claimed": "Integral(-u, (u, 0, 1))",
    ...                        "sub": "u = x", "rtol": 1e-6})
    ['check', '--sub=u = x', '--rtol=1e-06', '--', '-x', 'Integral(-u, (u, 0, 1))']
    """
    argv = [command]
    for name in OPTIONS[command]:
        value = fields.get(name)
        if value is None or value is False:
            continue
        flag = "--" + name.replace("_", "-")
        argv.append(flag if name in FLAGS else f"{flag}={value}")
    positional = [str(fields[name]) for name in POSITIONAL[command] if fields.get(name) is not None]
    return argv + ["--", *positional] if positional else argv


def run_tool(command: str, fields: Mapping[str, Any], *, latex: bool = False,
             picture: bool = False) -> dict[str, Any]:
    """One request: the JSON of ``symjac COMMAND --json`` with ``exit_code``, and on request
    ``latex`` (the result and its steps as KaTeX blocks, and a document to download) and
    ``picture`` (a PNG data URL, or ``null`` with ``picture_note`` saying why not)."""
    harden()
    code, payload, result = run_json(command_line(command, fields))
    payload = {**payload, "exit_code": code}
    if code == 4:  # a bug: say so in words, with the exception's one line
        error = payload["error"]
        error["message"] = (f"Something went wrong inside symjac ({error['type']}: "
                            f"{error['message']}). This is a bug: please report it with what you typed.")
    if latex and result is not None:
        payload["latex"] = _latex(result)
    if picture and result is not None:
        payload["picture"], payload["picture_note"] = _picture(command, fields, result)
    return to_data(payload)  # strict JSON: a number that is not finite becomes null


def _latex(result: object) -> dict[str, Any]:
    try:
        source = to_latex(result, steps=True)
        return {"source": source, "blocks": katex_blocks(source),
                "document": to_latex(result, document=True)}
    except Exception as exc:  # noqa: BLE001 - the answer stands without its LaTeX
        return {"source": None, "blocks": [], "document": None,
                "note": f"no LaTeX for this result ({exc})."}


def _transform(fields: Mapping[str, Any], equations: object) -> object:
    args = argparse.Namespace(equations=equations, **{k: fields.get(k) for k in _MAP})
    return transform_from_args(args)


def _limits_region(text: object) -> object:
    """The region of an integral given with its limits, as conditions (or None)."""
    import sympy as sp

    from ..parsing import parse_expression

    if not isinstance(text, str):
        return None
    expr = parse_expression(text)
    if not isinstance(expr, sp.Integral):
        return None
    conditions = []
    for limit in expr.limits:
        if len(limit) != 3:
            return None
        var, lo, hi = limit
        conditions += [lo <= var, var <= hi]
    return conditions


def _figure(command: str, fields: Mapping[str, Any], result: object) -> object:
    from ..plotting import plot_density, plot_transform

    if command == "density":
        from ..densities import sample_transformed

        variables = getattr(result, "variables", ())
        if len(variables) != 1:
            raise ValueError("a picture is drawn for the density of one variable")
        sample = sample_transformed(result, n=4000, seed=int(fields.get("seed") or 0))
        return plot_density(sample.pdf, sample.values[:, 0], variable=variables[0])
    if command == "jacobian":
        return plot_transform(_transform(fields, fields.get("equations")), fields.get("region"))
    region = fields.get("region")
    if region is None:
        region = _limits_region(fields.get("original" if command == "check" else "integral"))
    return plot_transform(_transform(fields, fields.get("sub")), region or None)


def _picture(command: str, fields: Mapping[str, Any], result: object) -> tuple[str | None, str]:
    try:
        figure = _figure(command, fields, result)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=72)
    except Exception as exc:  # noqa: BLE001 - the answer stands without its picture
        return None, f"No picture: {exc}"
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return "data:image/png;base64," + data, "the region (or a grid) before and after the map"


def check_submission(submission: Mapping[str, Any], timeout: float) -> dict[str, Any]:
    """One submission of a class's file, as ``symjac.integrals.check_one`` checks it."""
    from ..integrals.batch import check_one

    harden()
    return to_data(check_one(submission, timeout))


def list_systems() -> dict[str, Any]:
    """The named coordinate systems, as ``symjac systems --json`` lists them."""
    harden()
    return run_json(["systems"])[1]


def preview(kind: str, text: str) -> dict[str, Any]:
    """What symjac reads in a field, as LaTeX: ``{"latex": ...}`` or ``{"error": {...}}``."""
    from ..errors import SymjacError
    from ..parsing import parse_conditions, parse_equations, parse_expression

    harden()
    try:
        if kind == "equations":
            pairs = parse_equations(text)
            tex = r",\quad ".join(f"{to_latex(lhs)} = {to_latex(rhs)}" for lhs, rhs in pairs)
        elif kind == "conditions":
            tex = r",\quad ".join(to_latex(c) for c in parse_conditions(text))
        else:
            tex = to_latex(parse_expression(text))
    except SymjacError as exc:
        return {"error": {"message": str(exc), "column": getattr(exc, "column", None)}}
    return {"latex": tex}


def warm_up() -> bool:
    """Load what requests need, so the first one is not slow."""
    harden()
    return True


_REFUSED = {"os.remove", "os.rename", "os.mkdir", "os.rmdir", "os.truncate", "os.chmod",
            "os.chown", "os.link", "os.symlink", "os.utime", "shutil.rmtree", "shutil.move",
            "shutil.copyfile", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork",
            "os.forkpty", "subprocess.Popen", "socket.connect", "socket.bind", "socket.sendto",
            "os.kill", "os.putenv", "os.unsetenv"}
_WRITING = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
_hardened = False


def _refuse(event: str, args: tuple) -> None:
    if event == "open":
        _path, mode, flags = (tuple(args) + (None, None))[:3]
        if (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
                isinstance(flags, int) and flags & _WRITING):
            raise PermissionError("the web checker writes no files.")
    elif event in _REFUSED:
        raise PermissionError(f"the web checker does not do this ({event}).")


def harden() -> None:
    """From now on this process refuses to write files, start programs or open connections.

    What requests use is imported first (matplotlib writes its font cache when it loads).
    Only for worker processes of the web checker: it cannot be undone.
    """
    global _hardened
    if _hardened:
        return
    run_json(["jacobian", "--system=polar"])  # loads every command, SymPy and its printers
    try:
        from ..plotting import plot_transform  # noqa: F401
        import matplotlib.font_manager  # noqa: F401 - builds or reads the font cache now
        from matplotlib.backends import backend_agg  # noqa: F401
    except Exception:  # noqa: BLE001 - no matplotlib: pictures are refused with a plain message
        pass
    sys.dont_write_bytecode = True
    sys.addaudithook(_refuse)
    _hardened = True
