"""A real `symjac serve` on the loopback interface, for the load and browser tests."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

FLAGSHIP = {"original": "x*y", "claimed": "Integral(3*u*v, (u, 1, 4), (v, 2, 3))",
            "region": "1 <= x**2/y <= 4, 2 <= y**2/x <= 3, x > 0, y > 0",
            "sub": "u = x**2/y, v = y**2/x"}
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback: no proxy


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def post(base: str, path: str, body: dict, timeout: float = 60) -> tuple[int, dict, float]:
    """(HTTP status, JSON answer, seconds) of one POST."""
    request = urllib.request.Request(base + path, data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"})
    start = time.perf_counter()
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            status, payload = response.status, json.load(response)
    except urllib.error.HTTPError as exc:
        status, payload = exc.code, json.load(exc)
    return status, payload, time.perf_counter() - start


@contextlib.contextmanager
def serving(folder: Path, *, jobs: int = 2, timeout: float = 20, grace: float = 10) -> Iterator[str]:
    """``symjac serve`` in a subprocess until the block ends; yields its base URL once both
    workers have answered the flagship check."""
    port = free_port()
    env = {**os.environ, "SYMJAC_WEB_GRACE": str(grace)}
    log = folder / "serve-stderr.txt"
    with open(log, "w", encoding="utf-8") as err:
        proc = subprocess.Popen([sys.executable, "-m", "symjac", "serve", "--port", str(port),
                                 "--jobs", str(jobs), "--timeout", str(timeout)], env=env,
                                stdout=subprocess.DEVNULL, stderr=err)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"symjac serve did not start: {log.read_text(encoding='utf-8')}")
            try:
                with _OPENER.open(base + "/api/health", timeout=2) as r:
                    if json.load(r)["ok"]:
                        break
            except OSError:
                time.sleep(0.3)
        for _ in range(jobs):  # every worker warm
            status, payload, _ = post(base, "/api/check", FLAGSHIP)
            assert status == 200, payload
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)
