"""Batch checking: check_many on the worker pool or any Executor, and symjac check --batch."""

import json
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.batch_checks import submissions, write  # noqa: E402

from symjac import check_many  # noqa: E402
from symjac.integrals.batch import read_submissions, summarise  # noqa: E402
from symjac.cli import main  # noqa: E402
from symjac.errors import SymjacTypeError  # noqa: E402

EXPECTED = ["correct", "incorrect", "incorrect", "incorrect", "correct"]


def test_check_many_on_a_thread_pool_keeps_the_order():
    with ThreadPoolExecutor(2) as pool:
        results = check_many(submissions(5), executor=pool, timeout=60)
    assert [r["verdict"] for r in results] == EXPECTED
    assert [r["id"] for r in results] == list(range(5))
    assert summarise(results)["mistakes"] == {"inverted_jacobian": 1, "missing_jacobian": 1,
                                              "wrong_region": 1}


def test_a_bad_submission_is_an_error_line_not_a_crash():
    items = [{"original": "x*y", "claimed": "Integral(u, (u, 0, 1))", "sub": "u = x^^2"},
             {"original": "x*y", "claimed": "Integral(u, (u, 0, 1))", "system": "sphercal"},
             {"original": "x", "claimed": "y"}]
    results = check_many(items, jobs=1, timeout=30)
    assert [r["verdict"] for r in results] == ["error"] * 3
    assert [r["error"] for r in results] == ["ParseError", "UnknownSystemError", "SymjacTypeError"]
    with pytest.raises(SymjacTypeError, match="unknown keys"):
        check_many([{"original": "x", "claimd": "y"}])


def test_an_item_over_its_limit_is_stopped_and_the_rest_go_on():
    slow = {"original": "Integral(exp(-x**2)*sin(x)**7, (x, 0, 1))", "sub": "u = x**3 + x",
            "claimed": "Integral(exp(-u**2)*sin(u)**7, (u, 0, 2))"}
    results = check_many([slow] + submissions(1), jobs=1, timeout=0.5)
    assert results[0]["verdict"] in ("error", "incorrect", "inconclusive")
    assert results[1]["verdict"] in ("correct", "error")


@pytest.mark.slow
def test_cli_batch_of_200_with_progress_and_summary(tmp_path, capsys):
    path = write(tmp_path / "submissions.jsonl", 200)
    code = main(["check", "--batch", str(path), "--jobs", "2"])
    out, err = capsys.readouterr()
    lines = [json.loads(line) for line in out.splitlines() if line.strip()]
    assert code == 1  # some answers are wrong
    assert [r["id"] for r in lines] == list(range(200))
    assert [r["verdict"] for r in lines] == EXPECTED * 40
    assert "200/200" in err and "| inverted_jacobian | 40 |" in err and "| correct | 80 |" in err


def test_cli_batch_reads_csv(tmp_path, capsys):
    path = tmp_path / "class.csv"
    path.write_text('id,original,region,sub,claimed\n'
                    'ann,x*y,"1 <= x**2/y <= 4, 2 <= y**2/x <= 3, x > 0, y > 0",'
                    '"u = x**2/y, v = y**2/x","Integral(u*v/3, (u, 1, 4), (v, 2, 3))"\n',
                    encoding="utf-8")
    assert main(["check", "--batch", str(path)]) == 0
    out, _ = capsys.readouterr()
    assert json.loads(out)["id"] == "ann"
    assert read_submissions("a,b\n1,2\n", fmt="csv") == [{"a": "1", "b": "2"}]


def test_cli_batch_bad_file_is_a_clear_json_error(tmp_path, capsys):
    path = tmp_path / "bad.jsonl"
    path.write_text("{not json}\n", encoding="utf-8")
    assert main(["check", "--batch", str(path), "--json"]) == 2
    out, err = capsys.readouterr()
    assert json.loads(out)["error"]["message"].startswith("line 1 of the submissions is not JSON")
    assert "Traceback" not in err


def test_dask_local_cluster_runs_the_same_batch():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        results = check_many(submissions(2), executor=client.get_executor(), timeout=60)
    assert [r["verdict"] for r in results] == EXPECTED[:2]
