"""The ``symjac density`` command: text, JSON and LaTeX output, exit codes."""

from __future__ import annotations

import json

import sympy as sp

from symjac.cli import main
from symjac.parsing import parse_expression

NORMAL = "exp(-x**2/2)/sqrt(2*pi)"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["density", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_chi_squared_text(capsys):
    code, out, _ = run(capsys, NORMAL, "--vars", "x", "--support", "-oo < x < oo",
                       "--map", "y = x**2", "--samples", "4000")
    assert code == 0
    assert "inverse branches (2)" in out
    assert "x = sqrt(y)" in out and "x = -sqrt(y)" in out
    assert "support:  y > 0" in out
    assert "family:   χ²₁ (chi-squared, 1 degree of freedom)" in out
    assert "check:    passed (n = 4000, seed = 0)" in out


def test_sum_of_three_exponentials_with_lambda_is_gamma_and_its_check_decides(capsys):
    # Hogg, McKean & Craig, Introduction to Mathematical Statistics, sums of exponentials:
    # X1 + X2 + X3 ~ Gamma(3, lambda); its sample check used to run out of time (inconclusive)
    code, out, _ = run(capsys, "lambda**3*exp(-lambda*(x1 + x2 + x3))", "--vars", "x1 x2 x3",
                       "--support", "x1 > 0, x2 > 0, x3 > 0, lambda > 0",
                       "--map", "y = x1 + x2 + x3")
    assert code == 0
    assert "f(y) = lambda**3*y**2*exp(-lambda*y)/2" in out
    assert "support:  y > 0 (0 elsewhere)" in out
    assert "family:   Gamma(3, lambda)" in out
    assert "check:    passed (n = 20000, seed = 0)" in out


def test_sum_of_exponentials_json_reads_back(capsys):
    code, out, _ = run(capsys, "lam**2*exp(-lam*(x1 + x2))", "--vars", "x1 x2",
                       "--support", "x1 > 0, x2 > 0, lam > 0", "--map", "y = x1 + x2",
                       "--samples", "3000", "--seed", "5", "--json")
    assert code == 0
    data = json.loads(out)
    d = data["density"]
    assert d["support"] == ["y > 0"]
    assert d["auxiliary"] == {"w": "x2"}
    assert d["family"]["name"] == "Gamma" and d["family"]["parameters"] == {"shape": "2", "rate": "lam"}
    y, lam = sp.Symbol("y", real=True), sp.Symbol("lam", real=True)
    value = parse_expression(d["value"], symbols={"y": y, "lam": lam})
    assert sp.simplify(value - lam ** 2 * y * sp.exp(-lam * y)) == 0  # Gamma(2, lam)
    assert data["verification"]["verdict"] == "passed"
    assert data["verification"]["seed"] == 5
    # the derivation travels in the JSON too: the completion with w = x2 and its integration
    assert any("x2" in step for step in data["steps"]) and len(data["steps"]) >= 3


def test_polar_system_and_latex(capsys):
    code, out, _ = run(capsys, "exp(-(x**2 + y**2)/2)/(2*pi)", "--system", "polar", "--latex",
                       "--no-verify")
    assert code == 0
    assert out.startswith("f_{R,\\Theta}(r, \\theta) = ")  # f_{R,Θ}(r, θ), as textbooks write it
    # R ~ Rayleigh(1) and Theta ~ U(0, 2 pi), independent
    assert "(R,\\Theta) \\sim \\operatorname{Rayleigh}\\left(1\\right) \\times \\operatorname{U}\\left(0, 2 \\pi\\right)" in out


def test_triangular_text_shows_the_pieces(capsys):
    code, out, _ = run(capsys, "1", "--support", "0 < u1 < 1, 0 < u2 < 1", "--map", "y = u1 + u2",
                       "--vars", "u1 u2", "--samples", "3000", "--steps")
    assert code == 0
    assert "Piecewise((y, (y > 0) & (y < 1)), (2 - y, (y > 1) & (y < 2)), (0, True))" in out
    assert "family:   Triangular(0, 2, 1) (triangular on (0, 2), mode 1)" in out
    assert "steps:" in out and "Integrate w out" in out


def test_more_outputs_than_inputs_is_a_clear_error(capsys):
    code, out, err = run(capsys, NORMAL, "--vars", "x", "--map", "y1 = cos(x), y2 = sin(x)")
    assert code == 2 and out == ""
    assert "no density" in err and "pseudo_determinant" in err and "Traceback" not in err


def test_bad_pdf_text_is_a_usage_error(capsys):
    code, _, err = run(capsys, "exp(-x^^2)", "--vars", "x", "--map", "y = x**2")
    assert code == 2
    assert err.startswith("symjac: error:")


def test_missing_map_is_a_usage_error(capsys):
    code, _, err = run(capsys, NORMAL, "--vars", "x")
    assert code == 2 and "no map given" in err


def test_plot_writes_the_pdf_over_a_histogram(tmp_path, capsys):
    import pytest

    pytest.importorskip("matplotlib")
    out_file = tmp_path / "arcsine.png"
    code, out, _ = run(capsys, "1/(2*pi)", "--vars", "x", "--support", "0 < x < 2*pi",
                       "--map", "y = sin(x)", "--samples", "3000", "--plot", str(out_file))
    assert code == 0
    assert "inverse branches (3)" in out
    assert f"picture written to {out_file}" in out and "3000 samples, seed 0" in out
    assert out_file.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    code, out, _ = run(capsys, "1/(2*pi)", "--vars", "x", "--support", "0 < x < 2*pi",
                       "--map", "y = sin(x)", "--no-verify", "--plot", str(out_file), "--json")
    assert code == 0 and json.loads(out)["plot"] == str(out_file)


def test_plot_of_a_two_variable_density_is_a_usage_error(tmp_path, capsys):
    code, _, err = run(capsys, "exp(-(x**2 + y**2)/2)/(2*pi)", "--system", "polar", "--no-verify",
                       "--plot", str(tmp_path / "p.png"))
    assert code == 2
    assert "one variable" in err and "--marginalize" in err
    assert not (tmp_path / "p.png").exists()


def test_a_support_starting_with_a_minus_sign_is_read_as_a_value(capsys):
    # argparse alone stops with "--support: expected one argument" for "-1<x<2"
    code, out, err = run(capsys, "1/3", "--vars", "x", "--support", "-1<x<2", "--map", "y = x**2",
                         "--no-verify")
    assert code == 0, err
    assert "support:  y > 0, y < 4" in out
    code, out, err = run(capsys, "1/pi", "--vars", "x", "--support", "-pi/2<x<pi/2",
                         "--map", "y = tan(x)", "--no-verify")
    assert code == 0 and "Cauchy" in out


def test_branches_are_numbered_from_one_and_the_family_has_its_symbol(capsys):
    code, out, _ = run(capsys, NORMAL, "--vars", "x", "--map", "y = x**2", "--no-verify")
    assert code == 0
    assert "  branch 1: x = " in out and "  branch 2: x = " in out and "branch 0" not in out
    assert "family:   χ²₁ (chi-squared, 1 degree of freedom)" in out
    assert main(["invert", "u = x**2"]) == 0
    out, _ = capsys.readouterr()
    assert "branch 1:" in out and "branch 2:" in out and "branch 0" not in out


def test_vars_and_inputs_are_the_same_flag_and_must_agree(capsys):
    code, out, _ = run(capsys, "1", "--inputs", "u", "--support", "0 < u < 1, a > 0", "--map",
                       "y = u**(-1/a)", "--no-verify")
    assert code == 0 and "support:  y > 1 (0 elsewhere)" in out
    code, _, err = run(capsys, "1", "--vars", "u", "--inputs", "x", "--map", "y = u")
    assert code == 2 and "name the old variables twice" in err


def test_a_parameter_condition_of_any_shape_and_lambda_on_the_command_line(capsys):
    code, out, _ = run(capsys, "lambda*exp(-lambda*x)", "--vars", "x", "--support",
                       "x > 0, 0 < lambda < 5", "--map", "y = 2*x", "--samples", "2000")
    assert code == 0
    assert "family:   Exp(lambda/2) (exponential, rate lambda/2)" in out and "check:    passed" in out
