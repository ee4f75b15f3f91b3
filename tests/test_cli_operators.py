import json

import pytest

from symjac.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_laplacian_of_one_over_r_in_spherical_is_zero(capsys):
    code, out, _ = run(capsys, "laplacian", "1/r", "--coords", "spherical")
    assert code == 0
    assert "= 0" in out and "h_theta = r" in out


def test_hessian_json(capsys):
    code, out, _ = run(capsys, "hessian", "x**2*y + sin(y)", "--vars", "x,y", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["schema"] == 1 and data["command"] == "hessian"
    assert data["hessian"] == [["2*y", "2*x"], ["2*x", "-sin(y)"]]
    assert data["gradient"] == ["2*x*y", "x**2 + cos(y)"]


def test_hessian_latex(capsys):
    code, out, _ = run(capsys, "hessian", "x**2*y", "--vars", "x y", "--latex")
    assert code == 0 and r"\left[\begin{matrix}2 y & 2 x" in out


def test_divergence_hyperspherical_json(capsys):
    code, out, _ = run(capsys, "divergence", "r, 0, 0, 0, 0", "--coords", "hyperspherical",
                       "--n", "5", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["result"] == "5" and data["method"] == "scale factors"
    assert data["scale_factors"][1] == "r"


def test_curl_latex_and_cartesian(capsys):
    code, out, _ = run(capsys, "curl", "0, r, 0", "--coords", "cylindrical", "--latex")
    assert code == 0 and r"\nabla\times \mathbf{F}" in out
    code, out, _ = run(capsys, "curl", "-y, x, 0", "--vars", "x,y,z", "--json")
    assert json.loads(out)["result"] == ["0", "0", "2"]


def test_gradient_with_steps(capsys):
    code, out, _ = run(capsys, "gradient", "r**2*cos(theta)", "--coords", "spherical", "--steps")
    assert code == 0
    assert "r-component: 2*r*cos(theta)" in out and "steps:" in out


def test_user_coordinates_use_the_metric(capsys):
    code, out, _ = run(capsys, "laplacian", "u**2", "--coords", "x = u + v*cos(a), y = v*sin(a)",
                       "--inputs", "u v", "--domain", "0 < a < pi", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["method"] == "metric tensor" and data["result"] == "2/sin(a)**2"
    assert data["metric"] == [["1", "cos(a)"], ["cos(a)", "1"]]
    code, out, _ = run(capsys, "divergence", "u, v", "--coords", "x = u + v*cos(a), y = v*sin(a)",
                       "--inputs", "u v", "--basis", "coordinate")
    assert code == 0 and "= 2" in out


@pytest.mark.parametrize("argv, message, code", [
    (["laplacian", "1/r"], "--vars x,y,z", 2),
    (["laplacian", "x", "--coords", "sphercal"], "Did you mean 'spherical'", 2),
    (["divergence", "r, 0", "--coords", "spherical"], "2 component", 2),
    (["curl", "r, 0", "--coords", "polar"], "three dimensions", 2),
    (["laplacian", "r^^2", "--coords", "spherical"], "column", 2),
    (["hessian", "x**2"], "--vars", 2),
])
def test_errors_are_reported_without_traceback(capsys, argv, message, code):
    got, out, err = run(capsys, *argv)
    assert got == code
    assert message in err
    assert "Traceback" not in err


def test_check_flag_reports_evidence(capsys):
    code, out, _ = run(capsys, "laplacian", "r**2*cos(theta)", "--coords", "spherical", "--check")
    assert code == 0 and "numeric check:" in out and "PASSED" in out
    code, out, _ = run(capsys, "curl", "0, r, 0", "--coords", "cylindrical", "--check", "--json",
                       "--seed", "3")
    data = json.loads(out)
    assert data["check"]["verdict"] == "passed" and data["check"]["seed"] == 3
