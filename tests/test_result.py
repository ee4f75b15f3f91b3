"""The one result protocol: every result's JSON strings are written by one serialiser and read back."""

from __future__ import annotations

import json

import sympy as sp

import symjac as sj
from symjac.parsing import parse_conditions, parse_expression
from symjac.result import Result, to_data


def test_density_json_reads_back_with_the_parser():
    d = sj.transform_density("exp(-x**2/2)/sqrt(2*pi)", sj.Transform.from_equations("y = x**2"))
    data = json.loads(d.to_json())
    y = sp.Symbol("y", real=True)
    value = parse_expression(data["value"], symbols={"y": y})
    assert sp.simplify(value - sp.exp(-y / 2) / sp.sqrt(2 * sp.pi * y)) == 0
    assert parse_conditions(", ".join(data["support"]), symbols={"y": y}) == (y > 0,)
    assert len(data["branches"]) == 2
    assert data["transform"] == d.transform.to_dict()


def test_results_share_one_latex_and_json_protocol():
    T = sj.system("polar")
    for result in (T, sj.jacobian_analysis(T), sj.inversion(T)):
        assert isinstance(result, Result)
        assert result._repr_latex_().startswith("$") and result._repr_latex_().endswith("$")


def test_to_data_writes_relations_as_the_parser_reads_them():
    r = sp.Symbol("r", real=True)
    assert to_data([sp.Eq(r, 0), sp.Ne(r, 1)]) == ["r == 0", "r != 1"]
    assert parse_conditions(to_data(r > 0)) == (r > 0,)


def test_results_say_in_full_what_the_command_line_prints():
    """to_text() is the terminal account, to_dict() the JSON; str() stays the short summary."""
    T = sj.system("polar")
    ci = sj.change_variables("Integral(1, (y, -sqrt(1 - x**2), sqrt(1 - x**2)), (x, -1, 1))", T)
    text = ci.to_text()
    # the unit disc: |det J| = r over 0 <= r <= 1, 0 <= theta <= 2*pi, area pi
    assert text.startswith(str(ci.steps))
    assert "new integral: Integral(r, (r, 0, 1), (theta, 0, 2*pi))\nvalue:        pi\n" in text
    data = ci.to_dict()
    assert data["integral"] == "Integral(r, (r, 0, 1), (theta, 0, 2*pi))" and data["value"] == "pi"
    assert data["pieces"][0]["factor"] == "r" and data["check"]["verdict"] == "passed"
    assert json.loads(ci.to_json()) == data

    report = sj.check_substitution("Integral(1, (y, -sqrt(1 - x**2), sqrt(1 - x**2)), (x, -1, 1))",
                                   "Integral(1, (r, 0, 1), (theta, 0, 2*pi))", T)
    assert report.to_text().startswith("verdict: incorrect\n\n" + report.diagnosis)
    assert report.to_dict()["mistakes"] == ["missing_jacobian"]
    assert str(report).startswith("incorrect: ")

    d = sj.transform_density("exp(-x**2/2)/sqrt(2*pi)", sj.Transform.from_equations("y = x**2"))
    lines = d.to_text().splitlines()
    # Y = X**2 for a standard normal X: chi-squared with one degree of freedom, two branches
    assert lines[0] == "map:      y = x**2"
    assert lines[3:6] == ["inverse branches (2):",
                          "  branch 1: x = sqrt(y)  on  y > 0;  |det Dh| = 1/(2*sqrt(y))",
                          "  branch 2: x = -sqrt(y)  on  y > 0;  |det Dh| = 1/(2*sqrt(y))"]
    assert "support:  y > 0 (0 elsewhere)" in lines and lines[-1].startswith("family:   χ²₁")
    assert str(d).startswith("f(y) = ")
    assert sj.system("polar").to_text() == str(sj.system("polar"))
