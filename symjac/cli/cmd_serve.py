"""symjac serve: the web checker page and its JSON API on this computer."""

from __future__ import annotations

import argparse
import importlib.util
import ipaddress
import os
import sys

from .common import Output, UsageError

NAME = "serve"
HELP = "Start the web checker: a page to check integrals, densities and Jacobians in a browser."
EPILOG = """examples:
  symjac serve                      (then open http://127.0.0.1:8000 in a browser)
  symjac serve --port 8080 --jobs 4 --timeout 30
  symjac serve --host 0.0.0.0       (a class on the same network: anyone who reaches this
                                     computer can use the checker; stop it with Ctrl-C)

Every request runs in one of --jobs worker processes with a time limit (--timeout) and
a memory cap (--memory); no request reads or writes a file. Needs the web extra:
pip install "symjac[web]"."""

_APP = "symjac.web:create_app"  # uvicorn imports the application by name


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number (1 to 65535).") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"port {port} is not between 1 and 65535.")
    return port


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to listen on (default 127.0.0.1: this computer only)")
    parser.add_argument("--port", type=_port, default=8000, help="port (default 8000)")
    parser.add_argument("--jobs", type=int, default=2, metavar="N",
                        help="worker processes, requests computed at once (default 2)")
    parser.add_argument("--timeout", type=float, default=20.0, metavar="SECONDS",
                        help="time limit of each symbolic step of a request (default 20)")
    parser.add_argument("--memory", type=int, default=2048, metavar="MIB",
                        help="memory of each worker process in MiB (default 2048)")


def _missing_extra() -> str | None:
    missing = [name for name in ("starlette", "uvicorn") if importlib.util.find_spec(name) is None]
    if not missing:
        return None
    return (f"the web checker needs {' and '.join(missing)}, which are not installed. Install "
            "the web extra: pip install \"symjac[web]\" (in a clone: pip install -e \".[web]\").")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def run(args: argparse.Namespace) -> Output:
    given = [flag for flag in ("json", "latex", "document", "steps", "output") if getattr(args, flag)]
    if given:
        raise UsageError(f"serve starts the web checker and has no result to print or write; "
                         f"leave out --{', --'.join(given)}.")
    problem = _missing_extra()
    if problem:
        raise UsageError(problem)
    if args.jobs < 1 or args.timeout <= 0 or args.memory < 256:
        raise UsageError("--jobs must be at least 1, --timeout above 0 and --memory at least 256.")
    import uvicorn

    os.environ.update({"SYMJAC_WEB_JOBS": str(args.jobs), "SYMJAC_WEB_TIMEOUT": str(args.timeout),
                       "SYMJAC_WEB_MEMORY_MB": str(args.memory)})
    shown = f"[{args.host}]" if ":" in args.host else args.host
    print(f"symjac: the web checker is at http://{shown}:{args.port}/ (stop it with Ctrl-C)",
          file=sys.stderr)
    if not _is_loopback(args.host):
        print(f"symjac: note: listening on {args.host}, not only on this computer: anyone who "
              "can reach it can use the checker.", file=sys.stderr)
    try:
        uvicorn.run(_APP, factory=True, host=args.host, port=args.port, log_level="warning")
    except SystemExit as exc:  # uvicorn gives up this way, e.g. when the port is taken
        if exc.code:
            raise UsageError(f"the web checker could not listen on {shown}:{args.port} (is another "
                             "program using that port? Try --port 8001).") from None
    return Output("symjac: the web checker has stopped.", {"stopped": True})
