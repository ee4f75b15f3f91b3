"""Check a whole class's answers at once, on worker processes or any Executor.

``check_many(submissions, jobs=2, timeout=60)`` runs ``check_substitution`` on each
submission (a mapping with ``original``, ``claimed`` and ``sub`` or ``system``), each in a
worker process with a hard time limit, and returns one plain result per submission, in
order; ``summarise`` counts the verdicts and the mistakes.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Executor, Future
from typing import Any

from ..errors import SymjacError, SymjacTimeoutError, SymjacTypeError
from ..timeouts import check_timeout, time_limit

__all__ = ["check_many", "check_one", "summarise", "read_submissions", "SUBMISSION_KEYS"]

#: the keys a submission may have (``original`` and ``claimed`` are required, and ``sub`` or ``system``)
SUBMISSION_KEYS = ("id", "original", "claimed", "sub", "system", "region", "domain", "rtol")


def _validate(item: object, index: int) -> dict[str, Any]:
    if not isinstance(item, Mapping):
        raise SymjacTypeError(f"submission {index + 1} is a {type(item).__name__}, not a mapping "
                              "with 'original', 'claimed' and 'sub' (or 'system').", value=item)
    unknown = sorted(set(item) - set(SUBMISSION_KEYS))
    if unknown:
        raise SymjacTypeError(f"submission {index + 1} has unknown keys {unknown}; expected some of "
                              f"{', '.join(SUBMISSION_KEYS)}.", value=unknown,
                              expected=", ".join(SUBMISSION_KEYS))
    return {k: item[k] for k in item if item[k] not in (None, "")}


def check_one(submission: Mapping[str, Any], timeout: float | None = 60.0) -> dict[str, Any]:
    """Check one submission and return its result as a JSON-ready dict (never raises for bad input).

    The keys are ``id``, ``verdict`` (``correct``, ``incorrect``, ``inconclusive`` or
    ``error``), ``diagnosis``, ``mistakes`` and ``evidence``.

    >>> from symjac.integrals import check_one
    >>> r = check_one({"original": "Integral(1, (x, 0, 1))", "claimed": "Integral(1, (u, 0, 1/2))",
    ...                "sub": "u = x/2"})
    >>> r["verdict"], r["mistakes"]
    ('incorrect', ['missing_jacobian'])
    """
    from .checker import check_substitution
    from ..systems import system
    from ..transform import Transform

    sid = submission.get("id")
    try:
        with time_limit(timeout, "checking the submission"):
            if submission.get("system"):
                t = system(str(submission["system"]))
                if submission.get("domain"):
                    t = t.restrict(submission["domain"])
            else:
                if not submission.get("sub"):
                    raise SymjacTypeError("the submission has neither 'sub' (the substitution) "
                                          "nor 'system'.", value=sid)
                t = Transform.from_equations(str(submission["sub"]), domain=submission.get("domain"))
            for key in ("original", "claimed"):
                if not submission.get(key):
                    raise SymjacTypeError(f"the submission has no {key!r}.", value=sid)
            report = check_substitution(str(submission["original"]), str(submission["claimed"]), t,
                                        region=submission.get("region"),
                                        rtol=float(submission.get("rtol", 1e-6)), timeout=timeout)
    except SymjacError as exc:
        return {"id": sid, "verdict": "error", "diagnosis": str(exc), "mistakes": [],
                "evidence": None, "error": type(exc).__name__}
    evidence = None if report.evidence is None else {
        "verdict": report.evidence.verdict, "reason": report.evidence.reason}
    if report.numeric is not None:
        evidence = dict(evidence or {})
        evidence["numeric"] = {name: {"value": q.value, "error": q.error, "method": q.method}
                               for name, q in zip(("original", "claimed"), report.numeric)}
    return {"id": sid, "verdict": report.verdict, "diagnosis": report.diagnosis,
            "mistakes": list(report.mistakes), "evidence": evidence,
            "expected": None if report.expected is None else str(report.expected)}


def check_many(submissions: Iterable[Mapping[str, Any]], *, executor: Executor | None = None,
               jobs: int = 1, timeout: float | None = 60.0,
               progress: Callable[[int, int], None] | None = None) -> list[dict[str, Any]]:
    """Check many submissions; the results come back in the submissions' order.

    Args:
        submissions: Mappings with ``original``, ``claimed`` and ``sub`` (or ``system``), and
            optionally ``id``, ``region``, ``domain``, ``rtol``.
        executor: Any ``concurrent.futures.Executor`` (a Dask ``client.get_executor()``
            included). ``None``: a ``WorkerPool`` of ``jobs`` processes, where each item is
            killed at ``timeout`` whatever it is doing.
        jobs: Worker processes when ``executor`` is None.
        timeout: Seconds per submission (also the limit of each symbolic step inside).
        progress: Called as ``progress(done, total)`` after each submission.

    Returns:
        One dict per submission (see ``check_one``); an item that ran out of time or memory
        has verdict ``error`` and says so in its diagnosis.

    >>> from symjac.integrals import check_many, summarise
    >>> subs = [{"id": i, "original": "Integral(1, (x, 0, 1))", "sub": "u = x/2",
    ...          "claimed": c} for i, c in enumerate(["Integral(2, (u, 0, 1/2))", "Integral(1, (u, 0, 1/2))"])]
    >>> [r["verdict"] for r in check_many(subs, executor=None, jobs=1)]
    ['correct', 'incorrect']
    """
    from ..timeouts import WorkerPool

    timeout = check_timeout(timeout)
    items = [_validate(s, i) for i, s in enumerate(submissions)]
    if executor is not None and not isinstance(executor, Executor):
        raise SymjacTypeError(f"executor must be a concurrent.futures.Executor, got "
                              f"{type(executor).__name__}.", value=executor,
                              expected="an Executor such as WorkerPool or ThreadPoolExecutor")
    own = executor is None
    pool: Executor = WorkerPool(jobs=jobs, timeout=None if timeout is None else timeout + 5) \
        if own else executor  # the pool's hard limit backs up the in-process one
    try:
        futures: list[Future] = [pool.submit(check_one, item, timeout) for item in items]
        results = []
        for done, (item, future) in enumerate(zip(items, futures), 1):
            results.append(_outcome(item, future))
            if progress is not None:
                progress(done, len(items))
        return results
    finally:
        if own:
            pool.shutdown(wait=True)


def _outcome(item: Mapping[str, Any], future: Future) -> dict[str, Any]:
    try:
        return future.result()
    except SymjacTimeoutError as exc:
        return {"id": item.get("id"), "verdict": "error", "diagnosis": str(exc), "mistakes": [],
                "evidence": None, "error": "SymjacTimeoutError"}
    except Exception as exc:  # noqa: BLE001 - a worker that died, or an executor's own error
        return {"id": item.get("id"), "verdict": "error", "diagnosis": f"{type(exc).__name__}: {exc}",
                "mistakes": [], "evidence": None, "error": type(exc).__name__}


def summarise(results: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """How many submissions got each verdict, and how often each mistake was made.

    >>> summarise([{"verdict": "correct", "mistakes": []},
    ...            {"verdict": "incorrect", "mistakes": ["inverted_jacobian"]}])
    {'total': 2, 'verdicts': {'correct': 1, 'incorrect': 1}, 'mistakes': {'inverted_jacobian': 1}}
    """
    verdicts = Counter(r.get("verdict") for r in results)
    mistakes = Counter(m for r in results for m in r.get("mistakes") or ())
    return {"total": len(results), "verdicts": dict(sorted(verdicts.items())),
            "mistakes": dict(mistakes.most_common())}


def read_submissions(text: str, *, fmt: str) -> list[dict[str, Any]]:
    """Submissions from JSON lines (``fmt="jsonl"``) or CSV with a header row (``fmt="csv"``).

    Raises:
        SymjacTypeError: For a line that is not a JSON object, naming the line.
    """
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(text)))
        return [{k.strip(): v for k, v in row.items() if k} for row in rows]
    if fmt != "jsonl":
        raise SymjacTypeError(f"unknown submissions format {fmt!r}; expected 'jsonl' or 'csv'.",
                              value=fmt, expected="'jsonl' or 'csv'")
    out = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise SymjacTypeError(f"line {number} of the submissions is not JSON ({exc.msg} at "
                                  f"column {exc.colno}).", value=line[:80],
                                  expected="one JSON object per line") from None
        if not isinstance(item, dict):
            raise SymjacTypeError(f"line {number} of the submissions is not a JSON object.",
                                  value=line[:80], expected="one JSON object per line")
        out.append(item)
    return out
