"""Functions with no formula (``f(x)``): read from text, carried symbolically, stood in for numerically.

Reference: Maple's ``IntegrationTools[Change](Int(f(x^2), x = a..b), x = u^2)`` gives
``Int(2*u*f(u^4), u = sqrt(a)..sqrt(b))``; the substitution rule of any calculus text
(e.g. Stewart, Calculus, section 5.5) gives the same.
"""

import pytest
import sympy as sp

import symjac as sj
from symjac.errors import DomainError, ParseError
from symjac.numeric.stand_ins import replace_undefined
from symjac.parsing import parse_expression

x, y, u, v = sp.symbols("x y u v")
f = sp.Function("f")
SQUARE = "0 <= x <= 1, 0 <= y <= 1"
ROTATED = sj.Transform.from_equations("u = x + y, v = x - y")
RIGHT = "Integral(f(u)*(u + v)/4, (u, Abs(v), 2 - Abs(v)), (v, -1, 1))"


def test_names_like_f_g_h_read_as_functions_with_no_formula():
    e = parse_expression("f(x + y) + g_1(x, y) + 2h(x) + F(x)")
    names = sorted(a.func.__name__ for a in e.atoms(sp.core.function.AppliedUndef))
    assert names == ["F", "f", "g_1", "h"]
    assert str(e) == "F(x) + f(x + y) + g_1(x, y) + 2*h(x)"


def test_other_unknown_calls_are_still_refused_with_the_product_hint():
    with pytest.raises(ParseError, match=r"'x' is not a known function.*write x\*\(\.\.\.\)"):
        parse_expression("x(y + 1)")
    with pytest.raises(ParseError, match="'k' is not a known function"):
        parse_expression("k(x)")


def test_a_name_given_as_a_variable_is_not_a_function():
    with pytest.raises(ParseError, match="'f' is not a known function"):
        parse_expression("f(x)", symbols={"f": sp.Symbol("f")})


@pytest.mark.parametrize("integral", [sp.Integral(f(x**2), (x, 1, 4)), "Integral(f(x**2), (x, 1, 4))",
                                      "\\int_1^4 f(x^2)\\,dx"])
def test_the_maple_example_in_every_form(integral):
    ci = sj.change_variables(integral, sj.Transform.from_equations("x = u**2", domain="u > 0"))
    assert str(ci.as_integral()) == "Integral(2*u*f(u**4), (u, 1, 2))"
    assert ci.check.verdict == "passed"
    assert any("f has no formula" in w for w in ci.check.warnings)


def test_a_double_integral_keeps_f_and_its_value_is_not_invented():
    ci = sj.change_variables(f(x + y) * x, ROTATED, region=SQUARE)
    assert ci.integrand == (u + v) * f(u) / 4  # the caller's symbols come back
    assert ci.value is None and ci.check.verdict == "passed"
    with pytest.raises(DomainError, match="has no numeric value: the integrand uses f with no formula"):
        ci.evalf()


@pytest.mark.parametrize("original", [f(x + y) * x, "f(x + y)*x"])
@pytest.mark.parametrize("claim, verdict, mistakes", [
    (RIGHT, "correct", ()),
    ("Integral(f(u)*(u + v)/2, (u, Abs(v), 2 - Abs(v)), (v, -1, 1))", "incorrect", ("missing_jacobian",)),
    ("Integral(f(v)*(u + v)/4, (u, Abs(v), 2 - Abs(v)), (v, -1, 1))", "incorrect", ("wrong_integrand",)),
    ("Integral(f(u)*(u + v)/4, (u, 0, 2), (v, -1, 1))", "incorrect", ("wrong_region",)),
])
def test_the_checker_grades_claims_with_an_undefined_function(original, claim, verdict, mistakes):
    report = sj.check_substitution((original, SQUARE), claim, ROTATED)
    assert (report.verdict, report.mistakes) == (verdict, mistakes)


def test_the_stand_in_is_the_same_on_both_sides_and_depends_on_argument_order():
    g = sp.Function("g")
    a, _ = replace_undefined(g(x, y))
    b, _ = replace_undefined(g(y, x))
    assert sp.simplify(a - b) != 0
    assert replace_undefined(f(x))[0] == replace_undefined(f(x))[0]


def test_a_jacobian_with_an_undefined_function_keeps_its_absolute_value():
    t = sj.Transform.from_equations("u = f(x), v = y")
    assert str(sj.jacobian_determinant(t)) == "Derivative(f(x), x)"
    assert str(sj.volume_element(t)) == "Abs(Derivative(f(x), x))"


def test_in_latex_only_a_whole_function_name_makes_a_call():
    # x_h is a variable whose subscript ends in h: x_h (y + 1) is a product, not a call of x_h
    assert str(parse_expression(r"\frac{1}{2} x_h (y + 1)")) == "x_h*(y + 1)/2"
    assert str(parse_expression(r"\frac{1}{2} g_1(x)")) == "g_1(x)/2"
