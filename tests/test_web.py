"""The web checker's JSON API, through Starlette's test client: the CLI's JSON schema, plain
errors for bad input, limits, no files, and a class's file checked with its progress."""

from __future__ import annotations

import base64
import json
import os
import time

import pytest

pytest.importorskip("starlette")
pytest.importorskip("httpx2")

from starlette.testclient import TestClient  # noqa: E402

from symjac.cli import main, run_json  # noqa: E402
from symjac.web import Settings, create_app  # noqa: E402
from symjac.web.tasks import command_line, harden  # noqa: E402
from symjac.timeouts import WorkerPool  # noqa: E402

REGION = "1 <= x**2/y <= 4, 2 <= y**2/x <= 3, x > 0, y > 0"
SUB = "u = x**2/y, v = y**2/x"
RIGHT = "Integral(u*v/3, (u, 1, 4), (v, 2, 3))"
WRONG = "Integral(3*u*v, (u, 1, 4), (v, 2, 3))"
FLAGSHIP = {"original": "x*y", "region": REGION, "sub": SUB}


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app(jobs=2, timeout=20), raise_server_exceptions=False) as c:
        yield c


def no_traceback(response) -> None:
    assert "Traceback" not in response.text and 'File "' not in response.text


def test_the_flagship_wrong_answer_gets_the_diagnosis_in_the_clis_schema(client):
    r = client.post("/api/check", json={**FLAGSHIP, "claimed": WRONG})
    assert r.status_code == 200
    payload = r.json()
    assert payload["verdict"] == "incorrect" and payload["mistakes"] == ["inverted_jacobian"]
    assert "wrong way round" in payload["diagnosis"] and payload["exit_code"] == 1
    assert payload["expected"] == RIGHT
    # the very object `symjac check ... --json` prints, with the exit code beside it
    code, cli, _ = run_json(["check", f"--region={REGION}", f"--sub={SUB}", "--", "x*y", WRONG])
    assert code == 1 and {k: v for k, v in payload.items() if k != "exit_code"} == cli


def test_a_right_answer_with_latex_steps_and_a_picture(client):
    r = client.post("/api/check", json={**FLAGSHIP, "claimed": RIGHT, "latex": True, "picture": True})
    payload = r.json()
    assert r.status_code == 200 and payload["verdict"] == "correct" and payload["exit_code"] == 0
    latex = payload["latex"]
    assert latex["document"].startswith("\\documentclass") and "\\end{document}" in latex["document"]
    kinds = [b["kind"] for b in latex["blocks"]]
    assert "math" in kinds and "text" in kinds
    assert not any("\\intertext" in b.get("tex", "") for b in latex["blocks"])  # KaTeX has none
    header, data = payload["picture"].split(",", 1)
    assert header == "data:image/png;base64"
    assert base64.b64decode(data)[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_latex_claim_is_read_like_text(client):
    claim = r"\int_2^3 \int_1^4 \frac{uv}{3}\,du\,dv"
    assert client.post("/api/check", json={**FLAGSHIP, "claimed": claim}).json()["verdict"] == "correct"


def test_the_integral_density_and_jacobian_tools(client):
    r = client.post("/api/integral", json={"integral": "x*y", "region": REGION, "sub": SUB,
                                           "latex": True})
    assert r.status_code == 200 and r.json()["value"] == "25/4"
    assert r.json()["integral"] == RIGHT and r.json()["check"]["verdict"] == "passed"
    r = client.post("/api/density", json={"pdf": "exp(-x**2/2)/sqrt(2*pi)", "vars": "x",
                                          "support": "-oo < x < oo", "map": "y = x**2",
                                          "picture": True})
    assert r.status_code == 200 and r.json()["density"]["family"]["text"] == "ChiSquared(k=1)"
    assert r.json()["verification"]["verdict"] == "passed"
    assert r.json()["picture"].startswith("data:image/png;base64,")
    r = client.post("/api/jacobian", json={"system": "polar"})
    assert r.status_code == 200 and r.json()["determinant"] == "r" and r.json()["exit_code"] == 0


def test_a_picture_that_cannot_be_drawn_is_left_out_with_the_reason(client):
    r = client.post("/api/jacobian", json={"system": "spherical", "picture": True})
    assert r.status_code == 200 and r.json()["picture"] is None
    assert "2 to 2 variables" in r.json()["picture_note"]


@pytest.mark.parametrize("body, status, words", [
    ({**FLAGSHIP, "claimed": WRONG, "output": "/tmp/x.tex"}, 400, "unknown field 'output'"),
    ({**FLAGSHIP, "claimed": WRONG, "plot": "a.png"}, 400, "unknown field 'plot'"),
    ({**FLAGSHIP}, 400, "check needs 'claimed'"),
    ({**FLAGSHIP, "claimed": 3}, 400, "'claimed' must be text"),
    ({**FLAGSHIP, "claimed": WRONG, "n": "two"}, 400, "'n' must be a whole number"),
    ({**FLAGSHIP, "claimed": WRONG, "rtol": -1}, 400, "'rtol' must be between"),
    ({**FLAGSHIP, "claimed": "x" * 5000}, 413, "at most 2000 characters"),
    ({**FLAGSHIP, "claimed": "Integral(u*v, (u, 1, 4)"}, 400, "column"),
    ({**FLAGSHIP, "claimed": "(10**59*x)**1000"}, 400, "more than 3000 digits"),
    ({"original": "x*y", "region": REGION, "claimed": WRONG, "system": "polr"}, 400, "polar"),
    ({**FLAGSHIP, "claimed": WRONG, "system": "polar"}, 400, "not both"),
    ([1, 2], 400, "must be a JSON object"),
])
def test_bad_input_gets_a_plain_message(client, body, status, words):
    r = client.post("/api/check", json=body)
    assert r.status_code == status, r.text
    error = r.json()["error"]
    assert words in error["message"] + json.dumps(error), error
    assert r.json()["schema"] == 1 and r.json()["exit_code"] in (2, 3)
    no_traceback(r)


def test_requests_that_are_not_json_or_too_long(client):
    r = client.post("/api/check", content=b"{not json", headers={"content-type": "application/json"})
    assert r.status_code == 400 and "not JSON" in r.json()["error"]["message"]
    r = client.post("/api/check", content=b"x" * 100_000)
    assert r.status_code == 413 and "at most" in r.json()["error"]["message"]
    r = client.post("/api/nothing", json={})
    assert r.status_code == 404 and "check, integral, density, jacobian" in r.json()["error"]["message"]
    r = client.get("/api/check")
    assert r.status_code == 405 and r.json()["error"]["type"] == "HTTPError"


def test_the_page_its_files_and_safety_headers(client):
    r = client.get("/")
    assert r.status_code == 200 and "text/html" in r.headers["content-type"]
    assert "/static/katex/katex.min.js" in r.text and "https://" not in r.text  # no CDN
    assert r.headers["content-security-policy"].startswith("default-src 'self'")
    assert r.headers["x-content-type-options"] == "nosniff"
    assert client.get("/static/katex/katex.min.js").status_code == 200
    assert client.get("/static/app.js").status_code == 200
    for path in ("/static/../tasks.py", "/static/%2e%2e/tasks.py", "/static/../../errors.py"):
        assert client.get(path).status_code == 404


def test_preview_shows_what_symjac_reads(client):
    r = client.post("/api/preview", json={"kind": "expression", "text": r"\frac{x^2}{y}"})
    assert r.json() == {"latex": "\\frac{x^{2}}{y}"}
    r = client.post("/api/preview", json={"kind": "equations", "text": SUB})
    assert "u = \\frac{x^{2}}{y}" in r.json()["latex"]
    r = client.post("/api/preview", json={"kind": "conditions", "text": "x > 0, y >"})
    assert "error" in r.json() and r.json()["error"]["message"]
    assert client.post("/api/preview", json={"kind": "file", "text": "x"}).status_code == 400


def test_systems_are_listed(client):
    names = [s["name"] for s in client.get("/api/systems").json()["systems"]]
    assert "polar" in names and "spherical" in names


def wait_for(client, batch_id: str, seconds: float = 180.0) -> dict:
    deadline = time.monotonic() + seconds
    seen = []
    while time.monotonic() < deadline:
        state = client.get(f"/api/batch/{batch_id}").json()
        seen.append(state["done"])
        if state["finished"]:
            state["seen"] = seen
            return state
        time.sleep(0.3)
    raise AssertionError(f"the batch did not finish in {seconds} s: {seen[-5:]}")


def test_a_class_file_is_checked_with_progress(client):
    lines = [{"id": "ann", **FLAGSHIP, "claimed": RIGHT}, {"id": "bob", **FLAGSHIP, "claimed": WRONG},
             {"id": "cat", "original": "x*y", "claimed": WRONG}]
    text = "".join(json.dumps(line) + "\n" for line in lines)
    r = client.post("/api/batch", json={"format": "jsonl", "text": text})
    assert r.status_code == 202 and r.json()["total"] == 3 and r.json()["done"] == 0
    state = wait_for(client, r.json()["id"])
    assert [x["id"] for x in state["results"]] == ["ann", "bob", "cat"]
    assert [x["verdict"] for x in state["results"]] == ["correct", "incorrect", "error"]
    assert "neither 'sub'" in state["results"][2]["diagnosis"]
    assert state["summary"]["verdicts"] == {"correct": 1, "error": 1, "incorrect": 1}
    assert state["seen"] == sorted(state["seen"])  # progress only goes up


def test_a_csv_class_file_and_bad_files(client):
    text = f'id,original,claimed,sub,region\nann,x*y,"{RIGHT}","{SUB}","{REGION}"\n'
    r = client.post("/api/batch", json={"format": "csv", "text": text})
    assert r.status_code == 202
    assert wait_for(client, r.json()["id"])["results"][0]["verdict"] == "correct"
    r = client.post("/api/batch", json={"format": "jsonl", "text": '{"id": 1}\nnot json\n'})
    assert r.status_code == 400 and "line 2" in r.json()["error"]["message"]
    r = client.post("/api/batch", json={"format": "jsonl", "text": '{"id": 1, "path": "/etc"}\n'})
    assert r.status_code == 400 and "unknown keys ['path']" in r.json()["error"]["message"]
    r = client.post("/api/batch", json={"format": "xlsx", "text": "a"})
    assert r.status_code == 400
    assert client.get("/api/batch/nope").status_code == 404


def test_limits_on_a_class_file():
    settings = Settings(jobs=1, max_submissions=2)
    with TestClient(create_app(settings)) as c:
        text = "".join(json.dumps({"id": i, **FLAGSHIP, "claimed": RIGHT}) + "\n" for i in range(3))
        r = c.post("/api/batch", json={"format": "jsonl", "text": text})
        assert r.status_code == 413 and "at most 2" in r.json()["error"]["message"]


def test_a_slow_request_is_stopped_at_the_limit_and_the_server_goes_on():
    with TestClient(create_app(jobs=1, timeout=1, grace=1)) as c:
        r = c.post("/api/integral", json={"integral": "sin(x**x)*cos(y**y)*exp(x*y)",
                                          "region": "0 <= x <= 1, 0 <= y <= 1",
                                          "sub": "u = x*y, v = x + y"})
        assert r.status_code == 422 and r.json()["exit_code"] == 3
        assert "took longer than" in r.json()["error"]["message"]
        no_traceback(r)
        r = c.post("/api/jacobian", json={"system": "polar"})
        assert r.status_code == 200 and r.json()["determinant"] == "r"


def test_a_hardened_worker_writes_no_files_and_starts_no_programs(tmp_path):
    target = tmp_path / "written.txt"
    with WorkerPool(jobs=1, timeout=60, memory_mb=2048) as pool:
        pool.submit(harden).result()
        with pytest.raises(PermissionError, match="writes no files"):
            pool.submit(open, str(target), "w").result()
        with pytest.raises(PermissionError):
            pool.submit(os.system, f"touch {target}").result()
        with pytest.raises(PermissionError):
            pool.submit(os.remove, str(tmp_path)).result()
    assert not target.exists()


def test_the_command_line_of_a_request_never_takes_a_value_for_an_option():
    argv = command_line("density", {"pdf": "--output=x", "map": "y = -x", "no_verify": True})
    assert argv == ["density", "--map=y = -x", "--no-verify", "--", "--output=x"]
    code, payload, _ = run_json(["jacobian", "--", "--output=/tmp/x"])
    assert code == 2 and not os.path.exists("/tmp/x")


def test_settings_from_the_environment():
    s = Settings.from_env({"SYMJAC_WEB_JOBS": "3", "SYMJAC_WEB_TIMEOUT": "7.5"}, memory_mb=1024)
    assert (s.jobs, s.timeout, s.memory_mb) == (3, 7.5, 1024)
    with pytest.raises(Exception, match="must be a number above 0"):
        Settings.from_env({"SYMJAC_WEB_JOBS": "-1"})
    with pytest.raises(Exception, match="must be a number"):
        Settings.from_env({"SYMJAC_WEB_TIMEOUT": "soon"})


def test_serve_says_what_is_missing(monkeypatch, capsys):
    import importlib.util

    from symjac.cli import cmd_serve

    real = importlib.util.find_spec
    monkeypatch.setattr(cmd_serve.importlib.util, "find_spec",
                        lambda name, *a: None if name == "uvicorn" else real(name, *a))
    assert main(["serve"]) == 2
    assert 'pip install "symjac[web]"' in capsys.readouterr().err
    monkeypatch.undo()
    assert main(["serve", "--port", "70000"]) == 2
    assert "not between 1 and 65535" in capsys.readouterr().err
    assert main(["serve", "--latex", "--document"]) == 2
    assert "leave out --latex, --document" in capsys.readouterr().err


def test_a_divergent_integral_is_undecided_in_strict_json(client):
    r = client.post("/api/integral", json={"integral": "1/x", "region": "0 <= x <= 1",
                                           "sub": "u = x/2"})
    assert r.status_code == 200 and r.json()["check"]["verdict"] == "inconclusive"
    assert "NaN" not in r.text and "Infinity" not in r.text  # what JSON.parse can read
    json.loads(r.text, parse_constant=lambda name: pytest.fail(f"{name} in the answer"))


def test_a_class_file_leaves_a_worker_for_the_page(client):
    text = "".join(json.dumps({"id": i, **FLAGSHIP, "claimed": WRONG}) + "\n" for i in range(6))
    batch = client.post("/api/batch", json={"format": "jsonl", "text": text}).json()
    r = client.post("/api/jacobian", json={"system": "polar"})  # answered beside the batch
    state = client.get(f"/api/batch/{batch['id']}").json()
    assert r.status_code == 200 and not state["finished"] and state["done"] < 6
    assert wait_for(client, batch["id"])["summary"]["verdicts"] == {"incorrect": 6}
