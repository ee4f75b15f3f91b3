"""The integral, check and demo commands: text, JSON and exit codes."""

import json

import pytest

from symjac.cli import ExitCode, main

PARABOLAS = "1 <= x**2/y <= 4, 2 <= y**2/x <= 3, x > 0, y > 0"
SUB = "u = x**2/y, v = y**2/x"


def test_integral_prints_every_step(capsys):
    code = main(["integral", "x*y", "--region", PARABOLAS, "--sub", SUB])
    out = capsys.readouterr().out
    assert code == ExitCode.OK
    for part in ("Jacobian", "∂(u, v)/∂(x, y) = det", "= 3", "Solve for the old variables", "1/3",
                 "region", "Integral(u*v/3, (u, 1, 4), (v, 2, 3))", "25/4",
                 "Checked numerically: both sides equal 6.25 to 10 digits."):
        assert part in out, part


def test_integral_json_with_named_system(capsys):
    # the Gaussian over the plane is pi
    code = main(["integral", "exp(-x**2 - y**2)", "--region", "", "--system", "polar", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == ExitCode.OK
    assert data["command"] == "integral" and data["value"] == "pi"
    assert data["check"]["verdict"] == "passed"
    assert data["numeric"]["original"]["value"] == pytest.approx(3.141592653589793, rel=1e-8)


def test_integral_with_parameter_values(capsys):
    code = main(["integral", "1", "--region", "x**2 + y**2 + z**2 <= R**2, R > 0",
                 "--system", "spherical", "--values", "R=2", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == ExitCode.OK and data["value"] == "4*pi*R**3/3"
    assert data["numeric"]["new"]["value"] == pytest.approx(4 / 3 * 3.141592653589793 * 8, rel=1e-8)


def test_integral_latex(capsys):
    assert main(["integral", "Integral(x, (x, 0, 1))", "--sub", "x = u/2", "--latex"]) == ExitCode.OK
    assert "\\int" in capsys.readouterr().out


def test_integral_bad_input_is_a_usage_error(capsys):
    code = main(["integral", "x*y", "--sub", SUB])
    assert code == ExitCode.USAGE_ERROR
    assert "without a region" in capsys.readouterr().err


def test_check_correct_claim_exits_zero(capsys):
    code = main(["check", "x*y", "Integral(u*v/3, (u, 1, 4), (v, 2, 3))",
                 "--region", PARABOLAS, "--sub", SUB])
    out = capsys.readouterr().out
    assert code == ExitCode.OK
    assert "verdict: correct" in out and "numeric evidence" in out


def test_check_inverted_jacobian_exits_one(capsys):
    code = main(["check", "x*y", "Integral(3*u*v, (u, 1, 4), (v, 2, 3))",
                 "--region", PARABOLAS, "--sub", SUB, "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == ExitCode.CHECK_FAILED
    assert data["verdict"] == "incorrect" and data["mistakes"] == ["inverted_jacobian"]


def test_check_polar_missing_factor(capsys):
    code = main(["check", "Integral(1, (y, -sqrt(1 - x**2), sqrt(1 - x**2)), (x, -1, 1))",
                 "Integral(1, (r, 0, 1), (theta, 0, 2*pi))", "--system", "polar"])
    out = capsys.readouterr().out
    assert code == ExitCode.CHECK_FAILED and "Jacobian factor is missing" in out


def test_demo_runs_the_flagship_check(capsys):
    assert main(["demo"]) == ExitCode.OK
    out = capsys.readouterr().out
    assert "25/4" in out and "Checker: correct" in out and "wrong way round" in out


def test_integral_plot_writes_a_png(tmp_path, capsys):
    pytest.importorskip("matplotlib")
    from symjac.cli import main

    out = tmp_path / "parabolas.png"
    code = main(["integral", "x*y", "--region", "1 <= x**2/y <= 4, 2 <= y**2/x <= 3, x > 0, y > 0",
                 "--sub", "u = x**2/y, v = y**2/x", "--plot", str(out)])
    assert code == 0, capsys.readouterr().err
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert out.stat().st_size > 10_000  # a real picture, not an empty canvas
    assert f"picture written to {out}" in capsys.readouterr().out


def test_check_names_an_incomplete_spherical_factor(capsys):
    code = main(["check", "1", "Integral(r**2, (r, 0, 1), (theta, 0, pi), (phi, 0, 2*pi))",
                 "--region", "x**2 + y**2 + z**2 <= 1", "--system", "spherical", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == ExitCode.CHECK_FAILED and data["mistakes"] == ["wrong_jacobian"]
    assert "dx dy dz = r**2*sin(theta) dr dtheta dphi" in data["diagnosis"]
    assert "sin(theta) is missing" in data["diagnosis"]


def test_check_accepts_an_inner_integral_done_by_hand(capsys):
    # the unit disk: 2*pi * int_0^1 r dr = pi
    code = main(["check", "1", "2*pi*Integral(r, (r, 0, 1))", "--region", "x**2 + y**2 <= 1",
                 "--system", "polar"])
    out = capsys.readouterr().out
    assert code == ExitCode.OK and "verdict: correct" in out and "already done by hand" in out


def test_check_help_gives_the_tolerance_it_uses(capsys):
    assert main(["check", "--help"]) == ExitCode.OK
    assert "relative tolerance (default 1e-06)" in capsys.readouterr().out
