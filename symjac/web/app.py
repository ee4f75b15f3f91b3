"""The web checker: a Starlette application over the worker pool.

``create_app()`` serves the page (``/``), its files (``/static``) and the JSON API
(``POST /api/check``, ``/api/integral``, ``/api/density``, ``/api/jacobian``, the batch upload
``/api/batch``). Every computation runs in a worker process of a ``WorkerPool`` with the
limits of ``Settings``; the server process only checks sizes and types and passes JSON on.
Errors are answered as the CLI's JSON error object with a plain message, never a traceback.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..errors import SymjacError, SymjacTimeoutError, WorkerError
from ..timeouts import WorkerPool
from .batches import Batch, Batches, read_upload
from .limits import TOOLS, RequestError, Settings, read_fields
from .tasks import check_submission, list_systems, preview, run_tool, warm_up

__all__ = ["create_app", "STATIC"]

STATIC = Path(__file__).resolve().parent / "static"
_STATUS = {0: 200, 1: 200, 5: 200, 2: 400, 3: 422, 4: 500}
_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self' "
                               "'unsafe-inline'; font-src 'self'; object-src 'none'; "
                               "base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
_PREVIEW_KINDS = ("expression", "equations", "conditions")
#: what worker processes start with (a worker stopped at its limit is replaced at once)
PRELOAD = ("symjac.web.tasks", "symjac.cli.cmd_check", "symjac.cli.cmd_integral",
           "symjac.cli.cmd_density", "symjac.cli.cmd_jacobian", "symjac.plotting",
           "symjac.densities", "matplotlib.figure", "matplotlib.backends.backend_agg")


def _error(command: str | None, message: str, *, status: int, kind: str = "RequestError",
           **more: Any) -> JSONResponse:
    code = 2 if status < 422 or status == 413 else 3 if status in (422, 503) else 4
    error = {"type": kind, "message": message, **{k: v for k, v in more.items() if v is not None}}
    return JSONResponse({"schema": 1, "command": command, "exit_code": code, "error": error},
                        status_code=status)


class _Checker:
    """The state of one server: its settings, worker pool, waiting count and batches."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.pool: WorkerPool | None = None
        self.waiting = 0
        self.batches = Batches(settings)

    @property
    def hard_limit(self) -> float:
        """Seconds before a request's worker is stopped: the step limit, the LaTeX and the picture."""
        return self.settings.timeout + self.settings.grace

    def start(self) -> None:
        s = self.settings
        self.batches = Batches(s)  # its lanes belong to the event loop that starts now
        self.pool = WorkerPool(jobs=s.jobs, timeout=self.hard_limit, memory_mb=s.memory_mb,
                               preload=PRELOAD)
        for _ in range(s.jobs):  # each worker loads SymPy and friends before the first request
            self.warm_up()

    def warm_up(self) -> None:
        """A fresh worker loads what requests need first, outside any request's time limit."""
        if self.pool is not None:
            self.pool.schedule(warm_up, timeout=max(60.0, self.hard_limit))

    def stop(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=False, cancel_futures=True)

    def failure(self, exc: BaseException) -> str:
        """A worker's error as a sentence for the person at the page."""
        if isinstance(exc, SymjacTimeoutError):
            return (f"The computation took longer than this server's limit of "
                    f"{self.hard_limit:g} seconds and was stopped. Simplify the input (or split "
                    "the integral), or ask whoever runs the server for a larger --timeout.")
        if isinstance(exc, WorkerError):
            return (f"The computation needed more memory than this server allows "
                    f"({self.settings.memory_mb} MiB) and was stopped. Simplify the input.")
        if isinstance(exc, SymjacError):
            return str(exc)
        return f"Something went wrong on the server ({type(exc).__name__}: {exc})."

    async def compute(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        if self.pool is None:
            raise RequestError("the server is starting; try again in a moment.", status=503)
        if self.waiting >= self.settings.max_waiting:
            raise RequestError(f"the server is busy ({self.waiting} requests are waiting); try "
                               "again in a moment.", status=503)
        self.waiting += 1
        try:
            return await asyncio.wrap_future(self.pool.schedule(fn, args, kwargs))
        except (SymjacTimeoutError, WorkerError):
            self.warm_up()  # its worker was stopped: the one that replaces it starts cold
            raise
        finally:
            self.waiting -= 1


async def _json_body(request: Request, limit: int) -> Any:
    """The request's JSON, refused (413) when longer than ``limit`` bytes, whatever it claims."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise RequestError(f"the request is {int(declared)} bytes; this server reads at most "
                           f"{limit} bytes.", status=413)
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise RequestError(f"the request is longer than this server's limit of {limit} bytes.",
                               status=413)
        chunks.append(chunk)
    try:
        return json.loads(b"".join(chunks).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        where = f" ({exc.msg} at line {exc.lineno}, column {exc.colno})" \
            if isinstance(exc, json.JSONDecodeError) else ""
        raise RequestError(f"the request is not JSON{where}.") from None


def _routes(checker: _Checker) -> list:
    settings = checker.settings

    async def tool(request: Request) -> Response:
        command = request.path_params["tool"]
        if command not in TOOLS:
            return _error(None, f"there is no tool {command!r}; the tools are "
                          f"{', '.join(TOOLS)}.", status=404)
        try:
            body = await _json_body(request, settings.max_body)
            fields, extras = read_fields(command, body, settings)
            payload = await checker.compute(run_tool, command, fields, **extras)
        except RequestError as exc:
            return _error(command, str(exc), status=exc.status)
        except Exception as exc:  # noqa: BLE001 - from the worker: time, memory or a crash
            return _error(command, checker.failure(exc), status=422, kind=type(exc).__name__)
        return JSONResponse(payload, status_code=_STATUS.get(payload.get("exit_code"), 500))

    async def show(request: Request) -> Response:
        try:
            body = await _json_body(request, settings.max_body)
            kind, text = (body.get("kind"), body.get("text")) if isinstance(body, dict) else (0, 0)
            if kind not in _PREVIEW_KINDS or not isinstance(text, str):
                raise RequestError('a preview needs {"kind": "expression", "equations" or '
                                   '"conditions", "text": ...}.')
            if len(text) > settings.max_field:
                raise RequestError(f"the text is longer than {settings.max_field} characters.",
                                   status=413)
            return JSONResponse(await checker.compute(preview, kind, text))
        except RequestError as exc:
            return _error("preview", str(exc), status=exc.status)
        except Exception as exc:  # noqa: BLE001
            return _error("preview", checker.failure(exc), status=422, kind=type(exc).__name__)

    async def systems(request: Request) -> Response:
        try:
            return JSONResponse(await checker.compute(list_systems))
        except Exception as exc:  # noqa: BLE001
            return _error("systems", checker.failure(exc), status=503)

    async def upload(request: Request) -> Response:
        try:
            body = await _json_body(request, settings.max_upload)
            submissions = read_upload(body, settings)
            batch = Batch(submissions)
            checker.batches.start(batch, batch.run(
                lambda item: _check_in_lane(checker, item), max(1, settings.jobs - 1),
                lambda item, exc: _failed(checker, item, exc)))
        except RequestError as exc:
            return _error("batch", str(exc), status=exc.status)
        except SymjacError as exc:  # a line that is not JSON, and such
            return _error("batch", str(exc), status=400, kind=type(exc).__name__)
        return JSONResponse(batch.state(), status_code=202)

    async def progress(request: Request) -> Response:
        try:
            return JSONResponse(checker.batches.get(request.path_params["id"]).state())
        except RequestError as exc:
            return _error("batch", str(exc), status=exc.status)

    async def index(request: Request) -> Response:
        return FileResponse(STATIC / "index.html", media_type="text/html; charset=utf-8")

    async def health(request: Request) -> Response:
        s = checker.settings
        return JSONResponse({"ok": checker.pool is not None, "jobs": s.jobs, "timeout": s.timeout,
                             "memory_mb": s.memory_mb, "waiting": checker.waiting})

    return [
        Route("/", index),
        Route("/api/health", health),
        Route("/api/systems", systems),
        Route("/api/preview", show, methods=["POST"]),
        Route("/api/batch", upload, methods=["POST"]),
        Route("/api/batch/{id}", progress),
        Route("/api/{tool}", tool, methods=["POST"]),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]


async def _check_in_lane(checker: _Checker, item: dict[str, Any]) -> dict[str, Any]:
    async with checker.batches.lanes:
        future = checker.pool.schedule(check_submission, (item, checker.settings.timeout))
        return await asyncio.wrap_future(future)


def _failed(checker: _Checker, item: dict[str, Any], exc: BaseException) -> dict[str, Any]:
    if isinstance(exc, (SymjacTimeoutError, WorkerError)):
        checker.warm_up()
    return {"id": item.get("id"), "verdict": "error", "diagnosis": checker.failure(exc),
            "mistakes": [], "evidence": None, "error": type(exc).__name__}


class _Headers:
    """Security headers on every answer: scripts and styles only from this server, no frames."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        async def with_headers(message: dict) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [(k.lower().encode(), v.encode()) for k, v in _HEADERS.items()]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers if scope["type"] == "http" else send)


async def _http_error(request: Request, exc: HTTPException) -> Response:
    if request.url.path.startswith("/api/"):
        return _error(None, f"{exc.detail}: {request.method} {request.url.path}.",
                      status=exc.status_code, kind="HTTPError")
    return Response(f"{exc.status_code} {exc.detail}", status_code=exc.status_code,
                    media_type="text/plain")


async def _server_error(request: Request, exc: Exception) -> Response:
    return _error(None, f"Something went wrong on the server ({type(exc).__name__}); this is a "
                  "bug in symjac, please report it with what you typed.", status=500,
                  kind="InternalError")


def create_app(settings: Settings | None = None, **limits: Any) -> Starlette:
    """The web checker as an ASGI application (``uvicorn --factory symjac.web:create_app``).

    Args:
        settings: The limits; by default from ``limits`` and the ``SYMJAC_WEB_*`` environment.
        limits: Settings by name (``jobs=2, timeout=20``) when ``settings`` is not given.
    """
    settings = settings if settings is not None else Settings.from_env(**limits)
    checker = _Checker(settings)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette):
        checker.start()
        try:
            yield
        finally:
            checker.stop()

    app = Starlette(routes=_routes(checker), lifespan=lifespan, middleware=[Middleware(_Headers)],
                    exception_handlers={HTTPException: _http_error, Exception: _server_error})
    app.state.checker = checker
    return app
