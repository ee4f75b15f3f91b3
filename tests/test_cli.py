"""The symjac command: text, --json, --latex, errors and exit codes."""

import json
import subprocess
import sys

import pytest
import sympy as sp

from symjac.cli import ExitCode, main
from symjac.parsing import parse_conditions, parse_expression


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# ---------------------------------------------------------------------- jacobian


def test_jacobian_text(capsys):
    code, out, err = run(capsys, "jacobian", "u = x**2/y, v = y**2/x", "--domain", "x > 0, y > 0")
    assert code == ExitCode.OK and err == ""
    assert "det J   = 3" in out and "|det J| = 3" in out
    assert "sign of det J on the domain: positive" in out


def test_jacobian_text_shows_the_singular_set_plainly(capsys):
    code, out, _ = run(capsys, "jacobian", "--system", "spherical")
    assert code == 0
    assert "singular where: r = 0, theta = 0, theta = pi" in out
    assert "Eq(" not in out


def test_jacobian_text_keeps_abs_and_says_so(capsys):
    code, out, _ = run(capsys, "jacobian", "x = r*cos(t), y = r*sin(t)")
    assert code == 0
    assert "|det J| = Abs(r)" in out and "|.| kept around: r" in out


def test_jacobian_json_reads_back(capsys):
    code, out, _ = run(capsys, "jacobian", "--system", "polar", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["schema"] == 1 and data["command"] == "jacobian"
    assert set(data) >= {"transform", "jacobian", "determinant", "volume_element", "sign",
                         "singular_set", "abs_kept", "strategy", "steps", "kind"}
    names = {"r": sp.Symbol("r", positive=True), "theta": sp.Symbol("theta", positive=True)}
    assert parse_expression(data["volume_element"], symbols=names) == names["r"]
    assert parse_expression(data["jacobian"][0][1], symbols=names) == \
        -names["r"] * sp.sin(names["theta"])
    (singular,) = parse_conditions(", ".join(data["singular_set"]), symbols=names)
    assert isinstance(singular, sp.Eq) and singular.lhs == names["r"]
    assert parse_conditions(", ".join(data["transform"]["domain"]))
    assert data["sign"] == "positive"


def test_jacobian_json_for_a_non_square_map(capsys):
    code, out, _ = run(capsys, "jacobian", "y = 3*x1 + 4*x2", "--json")
    data = json.loads(out)
    assert code == 0 and data["determinant"] is None and data["volume_element"] == "5"
    assert data["kind"] == "rows"


def test_jacobian_with_inputs_and_parameters(capsys):
    code, out, _ = run(capsys, "jacobian", "x = a*u, y = b*v", "--inputs", "u v",
                       "--domain", "a > 0, b > 0", "--json")
    assert code == 0 and json.loads(out)["volume_element"] == "a*b"


def test_jacobian_latex(capsys):
    code, out, _ = run(capsys, "jacobian", "--system", "polar", "--latex")
    assert code == 0
    # the Jacobian as a determinant between bars, equal to r
    assert r"\end{vmatrix} = r" in out and "\\begin{document}" not in out
    code, out, _ = run(capsys, "jacobian", "--system", "polar", "--latex", "--document")
    assert code == 0 and out.startswith("\\documentclass") and "align*" in out


def test_steps(capsys):
    code, out, _ = run(capsys, "jacobian", "--system", "polar", "--steps")
    assert code == 0 and "steps:" in out and "1. Differentiate" in out


@pytest.mark.parametrize("argv, has_steps", [
    (["jacobian", "--system", "polar"], True),
    (["laplacian", "1/r", "--coords", "spherical"], True),
    (["hessian", "x**2*y", "--vars", "x,y"], True),
    (["check-jacobian", "--system", "polar"], False),
    (["systems", "polar"], False),
])
def test_steps_asked_where_there_are_none_is_said(argv, has_steps, capsys):
    assert main([*argv, "--steps"]) == 0
    err = capsys.readouterr().err
    assert ("has no derivation steps to show" in err) is not has_steps, err


def test_hessian_steps(capsys):
    assert main(["hessian", "x**2*y + sin(y)", "--vars", "x,y", "--steps"]) == 0
    out = capsys.readouterr().out
    assert "steps:" in out and "2. The Hessian is H_ij = ∂²f/∂x_i∂x_j" in out
    assert "    H = [2*y      2*x]\n        [2*x  -sin(y)]" in out  # by hand: f_xx = 2y, f_xy = 2x


def test_output_file(capsys, tmp_path):
    target = tmp_path / "out.json"
    code, out, _ = run(capsys, "jacobian", "--system", "polar", "--json", "--output", str(target))
    assert code == 0 and "wrote" in out
    assert json.loads(target.read_text())["volume_element"] == "r"


# ---------------------------------------------------------------------- systems and demo


def test_systems_list(capsys):
    code, out, _ = run(capsys, "systems")
    assert code == 0
    for name in ("polar", "spherical", "hyperspherical", "toroidal"):
        assert name in out


def test_systems_show_one(capsys):
    code, out, _ = run(capsys, "systems", "hyperspherical", "--n", "3")
    assert code == 0 and "volume element: r**2*sin(phi1)" in out
    code, out, _ = run(capsys, "systems", "spherical", "--convention", "math")
    assert "volume element: rho**2*sin(phi)" in out


def test_systems_json(capsys):
    code, out, _ = run(capsys, "systems", "--json")
    data = json.loads(out)
    assert code == 0 and {"name", "description", "options"} <= set(data["systems"][0])


def test_demo(capsys):
    code, out, _ = run(capsys, "demo")
    assert code == 0
    # the flagship example: the integral of x*y between the four parabolas is 25/4
    # (u*v/3 over [1, 4] x [2, 3]: (15/2)*(5/2)/3), and the checker names the reversed Jacobian
    assert "Integral(u*v/3, (u, 1, 4), (v, 2, 3)) = 25/4" in out
    assert "Checker: correct" in out
    assert "wrong way round" in out


# ---------------------------------------------------------------------- errors


@pytest.mark.parametrize("argv, code, message", [
    (["jacobian", "u = x +"], ExitCode.USAGE_ERROR, "something is missing at column 8"),
    (["jacobian", "u = foo(x)"], ExitCode.USAGE_ERROR, "'foo' is not a known function"),
    (["jacobian", "u = __import__('os')"], ExitCode.USAGE_ERROR, "is not allowed"),
    (["jacobian"], ExitCode.USAGE_ERROR, "no map given"),
    (["jacobian", "--system", "polar", "u = x"], ExitCode.USAGE_ERROR, "not both"),
    (["jacobian", "--system", "sphercal"], ExitCode.USAGE_ERROR, "Did you mean 'spherical'"),
    (["jacobian", "u = x", "--domain", "x > 0, x < -1"], ExitCode.USAGE_ERROR, "contradict"),
    (["systems", "hyperspherical", "--n", "1"], ExitCode.USAGE_ERROR, "n ≥ 2"),
    (["jacobian", "--system", "polar", "--document"], ExitCode.USAGE_ERROR, "--document goes with"),
])
def test_errors_are_one_line_without_traceback(capsys, argv, code, message):
    got, out, err = run(capsys, *argv)
    assert got == code
    assert out == ""
    assert err.startswith("symjac: error: ") and message in err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_timeout_is_a_math_error(capsys):
    eq = ", ".join(f"y{i} = " + " + ".join(f"{i + j + 1}*x{j}**{(i * j) % 3 + 1}*x{(i + j) % 7}"
                                          for j in range(7)) for i in range(7))
    code, _, err = run(capsys, "jacobian", eq, "--timeout", "0.01")
    assert code == ExitCode.MATH_ERROR
    assert "took longer than its time limit" in err and "Traceback" not in err


def test_debug_shows_the_traceback(capsys):
    code, _, err = run(capsys, "jacobian", "u = foo(x)", "--debug")
    assert code == ExitCode.USAGE_ERROR
    assert "Traceback" in err and "symjac: error:" in err


def test_argparse_errors_are_usage_errors(capsys):
    code, _, err = run(capsys, "jacobian", "--no-such-flag")
    assert code == ExitCode.USAGE_ERROR and "unrecognized arguments" in err
    code, _, _ = run(capsys, "jacobian", "--json", "--latex", "--system", "polar")
    assert code == ExitCode.USAGE_ERROR


def test_help_and_no_command(capsys):
    assert main(["--help"]) == 0
    assert "Exit codes" in capsys.readouterr().out
    assert main([]) == ExitCode.USAGE_ERROR


def test_python_dash_m_symjac():
    done = subprocess.run([sys.executable, "-m", "symjac", "jacobian", "--system", "polar", "--json"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["volume_element"] == "r"
    bad = subprocess.run([sys.executable, "-m", "symjac", "systems", "nope"],
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and bad.stderr.startswith("symjac: error:")
