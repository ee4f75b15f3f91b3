"""The verify and check-jacobian commands."""

import json

from symjac.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_verify_passes_and_fails_with_exit_codes(capsys):
    code, out, _ = run(capsys, "verify", "Integral(x*y, (x, 0, 1), (y, 0, 1))", "1/4")
    assert code == 0 and out.startswith("PASSED")
    code, out, _ = run(capsys, "verify", "Integral(x*y, (x, 0, 1), (y, 0, 1))", "1/3")
    assert code == 1 and out.startswith("FAILED")


def test_verify_json_with_two_integrals(capsys):
    code, out, _ = run(capsys, "verify", "Integral(exp(-x**2-y**2), (x, -oo, oo), (y, -oo, oo))",
                       "Integral(r*exp(-r**2), (r, 0, oo), (t, 0, 2*pi))", "--json")
    data = json.loads(out)
    assert code == 0 and data["schema"] == 1 and data["command"] == "verify"
    assert data["verdict"] == "passed" and data["method"].endswith("scipy.nquad")


def test_verify_inconclusive_and_bad_input(capsys):
    code, out, _ = run(capsys, "verify", "Integral(1/x, (x, 0, 1))", "oo")   # nothing finite
    assert code == 5 and out.startswith("INCONCLUSIVE")
    code, _, err = run(capsys, "verify", "x**2", "1/3")
    assert code == 2 and "must be an integral" in err


def test_check_jacobian_command(capsys):
    code, out, _ = run(capsys, "check-jacobian", "--system", "spherical")
    assert code == 0 and "PASSED" in out and "complex step" in out
    code, out, _ = run(capsys, "check-jacobian", "u = x**2/y, v = y**2/x", "--domain", "x > 0, y > 0",
                       "--claimed", "2*x/y, x**2/y**2; -y**2/x**2, 2*y/x", "--json")
    data = json.loads(out)
    assert code == 1 and data["verdict"] == "failed" and "du/dy" in data["reason"]
    code, _, err = run(capsys, "check-jacobian", "--system", "polar", "--claimed", "1, ; 0, 1")
    assert code == 2 and "empty entry" in err
