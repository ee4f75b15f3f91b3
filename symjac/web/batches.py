"""A teacher's batch file checked in the background, with its progress.

``Batch`` holds one uploaded file's submissions and their results as they come in; ``Batches``
keeps the recent ones by id. Submissions of all batches together run on every worker of the
pool but one, so that a class's file never takes every worker from the people using the page.
"""

from __future__ import annotations

import asyncio
import secrets
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any

from ..integrals.batch import SUBMISSION_KEYS, read_submissions, summarise
from .limits import RequestError, Settings

__all__ = ["Batch", "Batches", "read_upload"]

_KEEP = 32  # finished batches remembered for their results


def read_upload(body: object, settings: Settings) -> list[dict[str, Any]]:
    """The submissions of an upload ``{"format": "jsonl" | "csv", "text": ...}``, checked."""
    if not isinstance(body, dict) or not isinstance(body.get("text"), str):
        raise RequestError('the upload must be a JSON object {"format": "jsonl" or "csv", '
                           '"text": the file\'s contents}.')
    fmt = body.get("format", "jsonl")
    if fmt not in ("jsonl", "csv"):
        raise RequestError(f"the format must be 'jsonl' or 'csv', got {str(fmt)[:20]!r}.")
    submissions = read_submissions(body["text"], fmt=fmt)
    if not submissions:
        raise RequestError("the file has no submissions.")
    if len(submissions) > settings.max_submissions:
        raise RequestError(f"the file has {len(submissions)} submissions; this server checks at "
                           f"most {settings.max_submissions} at once. Split the file.", status=413)
    for number, item in enumerate(submissions, 1):
        unknown = sorted(set(item) - set(SUBMISSION_KEYS))
        if unknown:
            raise RequestError(f"submission {number} has unknown keys {unknown}; the keys are "
                               f"{', '.join(SUBMISSION_KEYS)}.")
        for key, value in item.items():
            if isinstance(value, str) and len(value) > settings.max_field:
                raise RequestError(f"submission {number}: '{key}' is longer than "
                                   f"{settings.max_field} characters.", status=413)
    return submissions


class Batch:
    """One uploaded file: its submissions, the results so far, and whether it is done."""

    def __init__(self, submissions: list[dict[str, Any]]) -> None:
        self.id = secrets.token_urlsafe(9)
        self.submissions = submissions
        self.results: list[dict[str, Any] | None] = [None] * len(submissions)
        self.done = 0
        self.started = time.monotonic()
        self.finished: float | None = None

    def state(self) -> dict[str, Any]:
        """What the page shows: progress, the results in order so far, and the summary at the end."""
        ready = [r for r in self.results if r is not None]
        out: dict[str, Any] = {"id": self.id, "total": len(self.submissions), "done": self.done,
                               "finished": self.finished is not None, "results": ready}
        if self.finished is not None:
            out["summary"] = summarise(ready)
            out["seconds"] = round(self.finished - self.started, 3)
        return out

    async def run(self, check: Callable[[dict[str, Any]], Awaitable[dict[str, Any]]], at_once: int,
                  failed: Callable[[dict[str, Any], BaseException], dict[str, Any]]) -> None:
        """Check every submission, ``at_once`` at a time; ``failed`` turns a worker's error into
        a result, so one bad submission never stops the file."""
        queue: asyncio.Queue[int] = asyncio.Queue()
        for index in range(len(self.submissions)):
            queue.put_nowait(index)

        async def lane() -> None:
            while not queue.empty():
                index = queue.get_nowait()
                item = self.submissions[index]
                try:
                    result = await check(item)
                except Exception as exc:  # noqa: BLE001 - out of time or memory: an 'error' result
                    result = failed(item, exc)
                self.results[index] = result
                self.done += 1

        try:
            await asyncio.gather(*(lane() for _ in range(max(1, at_once))))
        finally:
            self.finished = time.monotonic()


class Batches:
    """The batches of one server by id: the running ones and the last few finished ones."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.by_id: OrderedDict[str, Batch] = OrderedDict()
        self.tasks: set[asyncio.Task] = set()
        self._lanes: asyncio.Semaphore | None = None

    @property
    def lanes(self) -> asyncio.Semaphore:
        """Submissions of all batches computed at once: every worker but one (at least one)."""
        if self._lanes is None:
            self._lanes = asyncio.Semaphore(max(1, self.settings.jobs - 1))
        return self._lanes

    def running(self) -> int:
        return sum(1 for b in self.by_id.values() if b.finished is None)

    def start(self, batch: Batch, work: Any) -> None:
        if self.running() >= self.settings.max_batches:
            raise RequestError(f"this server checks {self.settings.max_batches} batch files at "
                               "once and is busy; try again when one has finished.", status=503)
        self.by_id[batch.id] = batch
        while len(self.by_id) > _KEEP:
            oldest = next(iter(self.by_id))
            if self.by_id[oldest].finished is None:
                break
            del self.by_id[oldest]
        task = asyncio.get_running_loop().create_task(work)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    def get(self, batch_id: str) -> Batch:
        batch = self.by_id.get(batch_id)
        if batch is None:
            raise RequestError("no batch with this id (it may have been forgotten after the server "
                               "restarted or checked many others).", status=404)
        return batch
