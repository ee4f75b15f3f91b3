"""Run untrusted symbolic work in worker processes with hard limits.

``WorkerPool(jobs=2, timeout=30, memory_mb=2048)`` is a ``concurrent.futures.Executor``:
each task runs in a separate process capped with ``resource.setrlimit`` and is killed
at its wall-clock limit, whatever it is doing (a long C call included) and from
whichever thread it was submitted; a killed or crashed worker is replaced.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import threading
import traceback
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Executor, Future
from typing import Any

from ..errors import SymjacTimeoutError, SymjacTypeError, SymjacValueError, WorkerError
from .in_process import check_timeout

__all__ = ["WorkerPool", "run_limited", "DEFAULT_MEMORY_MB"]

#: Address space a worker may use, in MiB (SymPy with NumPy and SciPy loaded uses about 400).
DEFAULT_MEMORY_MB = 4096

_PRELOAD = ["symjac.parsing", "numpy", "scipy.integrate"]


def _context(preload: Sequence[str] = ()) -> multiprocessing.context.BaseContext:
    """``forkserver`` where it exists: safe to use from a threaded host (``fork`` is not),
    and each worker forks from a server that has SymPy imported already (and ``preload``,
    if the server was not started before)."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(_PRELOAD + [m for m in preload if m not in _PRELOAD])
        return ctx
    return multiprocessing.get_context("spawn")


def _cap_memory(memory_mb: int | None) -> None:
    if memory_mb is None:
        return
    try:
        import resource
    except ImportError:  # pragma: no cover - not POSIX: only the wall-clock limit holds
        return
    limit = int(memory_mb) * 1024 * 1024
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _worker_main(conn: Any, memory_mb: int | None) -> None:
    _cap_memory(memory_mb)
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        fn, args, kwargs = task
        try:
            reply: tuple[str, object] = ("ok", fn(*args, **kwargs))
        except MemoryError:
            reply = ("memory", None)
        except BaseException as exc:  # noqa: BLE001 - everything goes back to the caller
            reply = ("error", exc)
        try:
            conn.send(reply)
        except MemoryError:
            conn.send(("memory", None))
        except Exception as exc:  # the result or the error does not pickle
            detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
            conn.send(("error", WorkerError(f"the result could not be sent back from the worker "
                                            f"({detail}).", value=detail)))
        if reply[0] == "memory":
            return  # after a MemoryError the worker may be in a bad state: start a fresh one


class _Worker:
    def __init__(self, ctx: Any, memory_mb: int | None) -> None:
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker_main, args=(child, memory_mb), daemon=True,
                                   name="symjac-worker")
        self.process.start()
        child.close()

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except (OSError, ValueError):
            pass
        self.process.join(2)
        self.kill()


class WorkerPool(Executor):
    """A pool of worker processes with a wall-clock limit and a memory cap per task.

    Args:
        jobs: How many tasks run at once (one process each).
        timeout: Seconds each task may take (``None``: no limit). A task still running
            then is killed with its process and its future raises ``SymjacTimeoutError``.
        memory_mb: Address space each worker may use (``RLIMIT_AS``); a task that needs
            more raises ``WorkerError``. ``None``: no cap.
        preload: Modules the workers start with, so that a replaced worker is quick to
            start (taken only by the first pool of a process: its fork server is shared).

    Functions and arguments must pickle: pass module-level functions.

    >>> from symjac.timeouts import WorkerPool
    >>> with WorkerPool(jobs=1, timeout=30) as pool:
    ...     pool.submit(pow, 2, 10).result()
    1024
    """

    def __init__(self, jobs: int = 1, *, timeout: float | None = 30.0,
                 memory_mb: int | None = DEFAULT_MEMORY_MB, preload: Sequence[str] = ()) -> None:
        if isinstance(jobs, bool) or not isinstance(jobs, int):
            raise SymjacTypeError(f"jobs is a whole number of worker processes, got {jobs!r:.40}.",
                                  value=jobs, expected="an int >= 1")
        if jobs < 1:
            raise SymjacValueError(f"jobs must be at least 1, got {jobs}.", value=jobs,
                                   expected="an int >= 1", hint="Pass jobs=1 or more.")
        if memory_mb is not None and (isinstance(memory_mb, bool) or not isinstance(memory_mb, int)
                                      or memory_mb < 64):
            raise SymjacValueError(f"memory_mb must be a whole number of MiB of at least 64 (or "
                                   f"None for no cap), got {memory_mb!r:.40}.", value=memory_mb,
                                   expected="an int >= 64, or None")
        self.jobs = jobs
        self.timeout = check_timeout(timeout)
        self.memory_mb = memory_mb
        self._ctx = _context(preload)
        self._tasks: queue.SimpleQueue = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._shutdown = False
        self._threads: list[threading.Thread] = []
        self.replaced = 0  #: how many workers were killed or died and were started again

    # -- the Executor interface
    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        """Run ``fn(*args, **kwargs)`` in a worker with the pool's time limit."""
        return self.schedule(fn, args, kwargs)

    def schedule(self, fn: Callable[..., Any], args: tuple = (), kwargs: Mapping[str, Any] | None = None,
                 *, timeout: float | None | str = "default") -> Future:
        """Like ``submit``, with a time limit for this task (default: the pool's)."""
        limit = self.timeout if timeout == "default" else check_timeout(timeout)
        future: Future = Future()
        with self._lock:
            if self._shutdown:
                raise RuntimeError("cannot schedule new tasks after shutdown")
            self._tasks.put((future, fn, tuple(args), dict(kwargs or {}), limit))
            if len(self._threads) < self.jobs:
                th = threading.Thread(target=self._slot, name="symjac-pool-slot", daemon=True)
                self._threads.append(th)
                th.start()
        return future

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        with self._lock:
            self._shutdown = True
            threads = list(self._threads)
        if cancel_futures:
            while True:
                try:
                    item = self._tasks.get_nowait()
                except queue.Empty:
                    break
                if item is not None:
                    item[0].cancel()
        for _ in threads:
            self._tasks.put(None)
        if wait:
            for th in threads:
                th.join()

    # -- one slot: a thread that feeds one worker process at a time
    def _slot(self) -> None:
        worker: _Worker | None = None
        try:
            while True:
                item = self._tasks.get()
                if item is None:
                    return
                future, fn, args, kwargs, limit = item
                if not future.set_running_or_notify_cancel():
                    continue
                if worker is None or not worker.process.is_alive():
                    try:
                        worker = _Worker(self._ctx, self.memory_mb)
                    except Exception as exc:  # noqa: BLE001 - no process: fail the task, keep the slot
                        worker = None
                        future.set_exception(WorkerError(
                            f"a worker process could not be started ({type(exc).__name__}: {exc}).",
                            value=str(exc)))
                        continue
                worker, outcome = self._run(worker, fn, args, kwargs, limit)
                kind, value = outcome
                if kind == "ok":
                    future.set_result(value)
                else:
                    future.set_exception(value)  # type: ignore[arg-type]
        finally:
            if worker is not None:
                worker.stop()

    def _run(self, worker: _Worker, fn: Callable[..., Any], args: tuple, kwargs: dict,
             limit: float | None) -> tuple[_Worker | None, tuple[str, object]]:
        name = getattr(fn, "__qualname__", repr(fn))
        try:
            worker.conn.send((fn, args, kwargs))
        except Exception as exc:  # does not pickle, or the worker is gone
            if not worker.process.is_alive():
                self.replaced += 1
                return None, ("error", WorkerError(f"the worker process for {name} died before "
                                                   "it started.", value=name))
            return worker, ("error", SymjacTypeError(
                f"{name} and its arguments must be picklable to run in a worker process ({exc}). "
                "Pass a module-level function and plain values or SymPy objects.", value=name))
        ready = worker.conn.poll(limit)
        if not ready:
            worker.kill()
            self.replaced += 1
            return None, ("error", SymjacTimeoutError(
                f"{name} took longer than its time limit ({limit:g} s); its worker process was "
                "stopped. Pass a larger timeout=..., or simplify the input.", value=name))
        try:
            kind, value = worker.conn.recv()
        except (EOFError, OSError):
            worker.process.join(1)
            code = worker.process.exitcode
            worker.kill()
            self.replaced += 1
            return None, ("error", WorkerError(
                f"the worker process running {name} died (exit code {code}), most likely at its "
                f"memory cap ({self.memory_mb} MiB). Simplify the input or pass a larger memory_mb.",
                value=name))
        if kind == "memory":
            worker.kill()
            self.replaced += 1
            return None, ("error", WorkerError(
                f"{name} needed more memory than the cap of {self.memory_mb} MiB and was stopped. "
                "Simplify the input or pass a larger memory_mb.", value=name))
        return worker, (kind, value)


_shared: dict[tuple, WorkerPool] = {}
_shared_lock = threading.Lock()


def run_limited(fn: Callable[..., Any], /, *args: Any, timeout: float | None = 30.0,
                memory_mb: int | None = DEFAULT_MEMORY_MB, **kwargs: Any) -> Any:
    """Call ``fn(*args, **kwargs)`` in a worker process and return its result.

    The limit holds from any thread; the worker is reused by later calls (one pool
    per memory cap, started on first use) and replaced if it has to be killed.

    Raises:
        SymjacTimeoutError: If the call takes longer than ``timeout`` seconds.
        WorkerError: If the worker exceeds ``memory_mb`` or dies.
        Exception: Whatever ``fn`` raised, unchanged.

    >>> from symjac.timeouts import run_limited
    >>> from symjac.parsing import parse_expression
    >>> run_limited(parse_expression, "x^2/y", timeout=20)
    x**2/y
    """
    key = (memory_mb, os.getpid())
    with _shared_lock:
        pool = _shared.get(key)
        if pool is None:
            pool = _shared[key] = WorkerPool(jobs=1, timeout=None, memory_mb=memory_mb)
    return pool.schedule(fn, args, kwargs, timeout=timeout).result()

