import json

from symjac.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_invert_monomial_prints_branch_domain_and_check(capsys):
    code, out, _ = run(capsys, "invert", "u = x**2/y, v = y**2/x", "--domain", "x > 0, y > 0")
    assert code == 0
    assert "x = u**(2/3)*v**(1/3), y = u**(1/3)*v**(2/3)" in out
    assert "domain:     u > 0, v > 0" in out
    assert "check: passed" in out


def test_invert_square_lists_two_branches(capsys):
    code, out, _ = run(capsys, "invert", "u = x**2")
    assert code == 0
    assert "2 real branches" in out
    assert "x = sqrt(u)" in out and "x = -sqrt(u)" in out
    assert "comes from: x >= 0" in out and "comes from: x < 0" in out


def test_invert_json(capsys):
    code, out, _ = run(capsys, "invert", "u = x**2", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["schema"] == 1 and data["command"] == "invert"
    first, second = data["branches"]
    assert first["transform"]["exprs"] == ["sqrt(u)"] and first["domain"] == ["u >= 0"]
    assert second["transform"]["exprs"] == ["-sqrt(u)"] and second["source"] == ["x < 0"]
    assert first["certificate"]["passed"] is True


def test_invert_latex(capsys):
    code, out, _ = run(capsys, "invert", "u = x + y, v = x - y", "--latex")
    assert code == 0
    assert r"x = \frac{u}{2} + \frac{v}{2}" in out


def test_invert_named_system(capsys):
    code, out, _ = run(capsys, "invert", "--system", "polar")
    assert code == 0 and "r = sqrt(x**2 + y**2)" in out and "atan2" in out


def test_invert_singular_map_is_a_math_error(capsys):
    code, _, err = run(capsys, "invert", "u = x + y, v = 2*x + 2*y")
    assert code == 3 and "identically 0" in err


def test_invert_too_few_equations_is_a_usage_error(capsys):
    code, _, err = run(capsys, "invert", "u = x + y")
    assert code == 2 and "2 unknowns" in err


def test_invert_cube_is_one_branch_with_its_cases(capsys):
    code, out, _ = run(capsys, "invert", "u = x**3")
    assert code == 0
    assert "1 real branch:" in out
    assert "case:       x = u**(1/3) for u >= 0" in out
    assert "case:       x = -(-u)**(1/3) for u < 0" in out
    code, out, _ = run(capsys, "invert", "u = x**3", "--json")
    (branch,) = json.loads(out)["branches"]
    assert [p["exprs"] for p in branch["pieces"]] == [["u**(1/3)"], ["-(-u)**(1/3)"]]
    assert branch["transform"]["exprs"] == ["Piecewise((u**(1/3), u >= 0), (-(-u)**(1/3), True))"]


def test_invert_relations_with_inputs_and_ambiguous_names(capsys):
    code, out, _ = run(capsys, "invert", "u = x + y, y = u*v", "--inputs", "x y",
                       "--domain", "x > 0, y > 0")
    assert code == 0
    assert "map:      u = x + y, v = y/(x + y)" in out
    assert "x = u*(1 - v), y = u*v" in out
    code, _, err = run(capsys, "invert", "u = x + y, y = u*v")
    assert code == 2 and "--inputs 'x y'" in err and "Traceback" not in err
    code, _, err = run(capsys, "invert", "u = xy, v = x - y")
    assert code == 2 and "x*y" in err
