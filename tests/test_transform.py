"""Transform: construction, validation, inference from equations, compose, restrict, substitute."""

import dataclasses
import json

import pytest
import sympy as sp

import symjac as sj
from symjac import (
    DimensionError,
    DomainError,
    ParseError,
    SymjacTypeError,
    Transform,
    compose,
)
from symjac.parsing import parse_conditions, parse_expression

r, t, x, y, u, v, w = sp.symbols("r t x y u v w", real=True)
a, b, c, d = sp.symbols("a b c d", real=True)


# ---------------------------------------------------------------------- construction


def test_direct_construction_and_views():
    T = Transform((r, t), (r * sp.cos(t), r * sp.sin(t)), (x, y), domain=(r > 0,))
    assert T.dims == (2, 2) and T.is_square
    assert T.as_dict() == {x: r * sp.cos(t), y: r * sp.sin(t)}
    assert T.equations()[0].lhs == x and T.equations()[0].rhs == r * sp.cos(t)
    assert T.condition == (r > 0)
    assert T(1, 0) == (1, 0)
    assert T("2", "pi/2") == (0, 2)


def test_names_as_text():
    T = Transform("r t", (r * sp.cos(t), r * sp.sin(t)), "x y")
    assert [s.name for s in T.inputs] == ["r", "t"]


@pytest.mark.parametrize("kwargs, error, message", [
    (dict(inputs=(r, t), exprs=(r,), outputs=(x, y)), DimensionError, "2 outputs \\(x, y\\) but 1 expression"),
    (dict(inputs=(r,), exprs=("r**2",), outputs=(x,)), ParseError, "Transform.from_equations"),
    (dict(inputs=("r", 1), exprs=(r, r), outputs=(x, y)), DimensionError, "inputs must be SymPy symbols"),
    (dict(inputs=(r,), exprs=(r + w,), outputs=(x,)), DimensionError, "uses w, which is neither an input"),
    (dict(inputs=(x,), exprs=(x,), outputs=(x,)), DimensionError, "used twice \\(as input and as output\\)"),
    (dict(inputs=(r,), exprs=(r, r), outputs=(x, x)), DimensionError, "appears twice among the outputs"),
    (dict(inputs=(), exprs=(), outputs=()), DimensionError, "at least one input"),
    (dict(inputs=(r,), exprs=(sp.Matrix([r]),), outputs=(x,)), DimensionError, "not a scalar"),
    (dict(inputs=(r,), exprs=(r > 0,), outputs=(x,)), DimensionError, "not a scalar"),
    (dict(inputs=(r,), exprs=(r,), outputs=(x,), domain=(w > 0,)), DomainError, "uses w"),
    (dict(inputs=(r,), exprs=(r,), outputs=(x,), domain=(5,)), DomainError, "not a condition"),
    (dict(inputs=(r,), exprs=(r,), outputs=(x,), domain=(r,)), DomainError, "not a condition"),
    (dict(inputs=(r,), exprs=(r,), outputs=(x,), domain=(sp.false,)), DomainError, "empty"),
])
def test_construction_errors(kwargs, error, message):
    with pytest.raises(error, match=message):
        Transform(**kwargs)


def test_frozen_and_hashable():
    T = sj.system("polar")
    with pytest.raises(dataclasses.FrozenInstanceError):
        T.inputs = ()
    assert hash(T) == hash(sj.system("polar")) and T == sj.system("polar")
    assert len({T, sj.system("polar"), sj.system("cylindrical")}) == 2


def test_analyses_are_cached_per_transform():
    T = Transform.from_equations("u = x**2/y, v = y**2/x", domain="x > 0, y > 0")
    first = sj.jacobian_analysis(T)
    again = sj.jacobian_analysis(Transform.from_equations("u = x**2/y, v = y**2/x",
                                                          domain="x > 0, y > 0"))
    assert again is first


def test_name_does_not_change_equality():
    T = sj.system("polar")
    assert dataclasses.replace(T, name="other") == T


# ---------------------------------------------------------------------- from_equations


def test_from_equations_infers_outputs_inputs_and_assumptions():
    T = Transform.from_equations("u = x**2/y, v = y**2/x", domain="x > 0, y > 0")
    assert [s.name for s in T.outputs] == ["u", "v"]
    assert [s.name for s in T.inputs] == ["x", "y"]  # order of appearance
    assert T.inputs[0].is_positive and T.inputs[1].is_positive
    assert T.parameters == ()
    assert str(T.domain[0]) == "x > 0"  # the condition stays in the domain


def test_input_order_follows_the_text():
    T = Transform.from_equations("x = r*cos(theta), y = r*sin(theta)")
    assert [s.name for s in T.inputs] == ["r", "theta"]


def test_fixed_inputs_make_other_symbols_parameters():
    T = Transform.from_equations("x = u + w*cos(alpha)", inputs="u w",
                                 domain="w > 0, 0 < alpha < pi/2")
    assert [s.name for s in T.inputs] == ["u", "w"]
    assert [s.name for s in T.parameters] == ["alpha"]
    assert T.parameters[0].is_positive  # from 0 < alpha
    assert T.inputs[1].is_positive


def test_parameter_only_in_the_domain():
    T = Transform.from_equations("u = x", domain="x > 0, a > 0")
    assert [s.name for s in T.parameters] == ["a"]


def test_equations_as_eq_list_and_dict():
    T1 = Transform.from_equations([sp.Eq(u, x + y), sp.Eq(v, x - y)])
    T2 = Transform.from_equations({"u": "x + y", "v": x - y})
    T3 = Transform.from_equations(["u = x + y", "v = x - y"])
    assert T1.exprs == T2.exprs == T3.exprs == (x + y, x - y)


def test_outputs_are_checked():
    with pytest.raises(DimensionError, match="do not match the left sides"):
        Transform.from_equations("u = x", outputs="v")


@pytest.mark.parametrize("equations, error, message", [
    (3, ParseError, "expected equations as text"),
    ("", ParseError, "empty"),
    ("u + 1 = x**2 + v", ParseError, "one variable name"),
    ("u = u + x", DimensionError, "as input and as output"),
    ("u = x, u = y", DimensionError, "twice among the outputs"),
    ([sp.Eq(x + 1, y)], ParseError, "is not an equation"),
])
def test_from_equations_errors(equations, error, message):
    with pytest.raises(error, match=message):
        Transform.from_equations(equations)


def test_contradictory_domain_is_a_domain_error():
    with pytest.raises(DomainError, match="contradict each other"):
        Transform.from_equations("u = x", domain="x > 0, x < -1")


def test_bad_domain_text_is_a_parse_error():
    with pytest.raises(ParseError):
        Transform.from_equations("u = x", domain="x >")


# ---------------------------------------------------------------------- compose


def test_compose_is_simultaneous_substitution():
    # (u, v) -> (a*u + b*v, c*u + d*v) composed with the swap (s, q) -> (u, v) = (q, s):
    # sequential subs would substitute u first and then the new u again.
    outer = Transform.from_equations("p = a*u + b*v, q = c*u + d*v", inputs="u v")
    swap = Transform.from_equations("u = v0, v = u0", inputs="u0 v0")
    C = compose(outer, swap)
    u0, v0 = C.inputs
    assert C.exprs == (a * v0 + b * u0, c * v0 + d * u0)
    assert {s.name for s in C.parameters} == {"a", "b", "c", "d"}


def test_compose_with_itself_style_names():
    # outer uses u, v; inner maps (u, v) -> (u, v) names through a rotation-like map
    outer = Transform.from_equations("x = u + v, y = u - v")
    inner = Transform.from_equations("u = s*t, v = s")
    C = compose(outer, inner)
    s_, t_ = C.inputs
    assert C.exprs == (s_ * t_ + s_, s_ * t_ - s_)


def test_compose_carries_domains():
    outer = Transform.from_equations("x = r*cos(t), y = r*sin(t)", domain="r > 0")
    inner = Transform.from_equations("r = exp(q), t = p", domain="0 < p < 1")
    C = compose(outer, inner)
    assert [str(cond) for cond in C.domain] == ["0 < p", "p < 1", "exp(q) > 0"]


def test_compose_mismatch_and_types():
    outer = Transform.from_equations("x = u + v")
    inner = Transform.from_equations("u = s")
    with pytest.raises(DimensionError, match="v missing"):
        compose(outer, inner)
    with pytest.raises(SymjacTypeError, match="takes two Transforms"):
        compose(outer, "u = s")


# ---------------------------------------------------------------------- restrict / substitute


def test_restrict_adds_conditions_with_the_transforms_symbols():
    T = Transform.from_equations("y = x**2").restrict("x > 0")
    (cond,) = T.domain
    assert cond.lhs is T.inputs[0]
    assert sj.volume_element(T) == 2 * T.inputs[0]


def test_restrict_unknown_variable():
    with pytest.raises(DomainError, match="uses q"):
        sj.system("polar").restrict("q > 0")


def test_substitute_parameters():
    E = sj.system("elliptic").substitute({"a": 2})
    assert E.parameters == ()
    mu, nu = E.inputs
    assert E.exprs[0] == 2 * sp.cosh(mu) * sp.cos(nu)
    assert "a" not in {s.name for c in E.domain for s in c.free_symbols}
    assert sj.system("elliptic").substitute({"a": "3/2"}).exprs[0].has(sp.Rational(3, 2))


def test_substitute_unknown_parameter():
    with pytest.raises(DimensionError, match="'r' is not a parameter"):
        sj.system("polar").substitute({"r": 1})


def test_call_with_wrong_count():
    with pytest.raises(DimensionError, match="expected 2 values"):
        sj.system("polar")(1)


# ---------------------------------------------------------------------- text forms


def test_to_dict_reads_back_with_the_parser():
    T = Transform.from_equations("u = x**2/y, v = atan2(y, x)", domain="x > 0, y > 0, x != y")
    data = json.loads(json.dumps(T.to_dict()))
    assert data["inputs"] == ["x", "y"] and data["outputs"] == ["u", "v"]
    names = {s.name: s for s in T.inputs}
    assert tuple(parse_expression(e, symbols=names) for e in data["exprs"]) == T.exprs
    back = parse_conditions(", ".join(data["domain"]), symbols=names)
    assert [str(c) for c in back] == [str(c) for c in T.domain]


def test_str_and_repr():
    T = sj.system("polar")
    assert repr(T) == "Transform(x = r*cos(theta), y = r*sin(theta))"
    assert "on  r > 0" in str(T)


@pytest.mark.parametrize("call, error, message", [
    (lambda: Transform.from_equations("u = x", inputs=3), ParseError, "expected variable names"),
    (lambda: sj.system("elliptic").substitute(3), SymjacTypeError, "takes a dict"),
    (lambda: Transform.from_equations("u = x", name=5), SymjacTypeError, "name is text"),
])
def test_wrong_kinds_of_arguments(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_empty_domain_has_no_sample_points():
    import numpy as np

    from symjac.domains.signs import sample_points

    with pytest.raises(DomainError, match="no point satisfying"):
        sample_points([x], [x > 1, x < 0], 5, rng=np.random.default_rng(0))


def test_names_run_together_are_refused_as_ambiguous():
    # xy next to x and y: one variable or the product x*y? Say so instead of guessing.
    with pytest.raises(ParseError, match=r"'xy' reads as one variable.*x\*y"):
        Transform.from_equations("u = xy, v = x - y")
    with pytest.raises(ParseError, match="Write x\\*y for the product"):
        Transform.from_equations("u = xy, v = x", inputs="x y")
    # names that merely share letters are fine
    T = Transform.from_equations("u = x1 + x2, v = r2*r")
    assert [s.name for s in T.inputs] == ["x1", "x2", "r2", "r"]


def test_relations_as_textbooks_write_them_are_solved():
    t = Transform.from_equations("u + 1 = x")
    assert [s.name for s in t.outputs] == ["x"] and t.exprs[0] - t.inputs[0] == 1
