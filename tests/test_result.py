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
