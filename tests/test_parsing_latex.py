"""LaTeX and Unicode input, the reproductions of issue 15, and a fuzz test of the parser."""

import time

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from symjac.errors import ParseError
from symjac.parsing import parse_expression, parse_symbols

x, y, r, theta = sp.symbols("x y r theta", real=True)


@pytest.mark.parametrize("text, expected", [
    (r"\frac{x^2}{y}", x**2 / y),
    (r"\sqrt{x}", sp.sqrt(x)),
    (r"x^{2}", x**2),
    (r"\int_0^1 \int_0^{2\pi} r\,dr\,d\theta", sp.Integral(r, (r, 0, 2 * sp.pi), (theta, 0, 1))),
    (r"\sin\theta", sp.sin(theta)),
    (r"e^{-x^2}", sp.exp(-x**2)),
    (r"\sin^2 x + \cos^2 x", sp.sin(x)**2 + sp.cos(x)**2),
    (r"\sqrt[3]{x+1}", (x + 1)**sp.Rational(1, 3)),
    (r"\frac{1}{2}\sin 2x", sp.sin(2 * x) / 2),
    (r"\left(x+1\right)^2", (x + 1)**2),
    (r"$x \cdot y$", x * y),
    ("x²", x**2), ("√x", sp.sqrt(x)), ("π", sp.pi), ("2·x", 2 * x), ("x − 1", x - 1),
    ("½x", x / 2), ("∞", sp.oo), ("x²y³", x**2 * y**3), ("ｘ + 1", x + 1),
])
def test_latex_and_unicode(text, expected):
    assert parse_expression(text) == expected


def test_greek_letters_typed_or_named_are_the_same_variable():
    theta_u = parse_expression("θ")
    assert isinstance(theta_u, sp.Symbol) and theta_u.name == "θ"
    assert parse_expression(r"\theta") == theta


def test_fullwidth_names_in_the_variable_list_are_the_formulas_names():
    (fx,) = parse_symbols("ｘ")
    assert fx.name == "x"
    assert parse_expression("ｘ**2", symbols={"ｘ": fx}) == fx**2


@pytest.mark.parametrize("text, message, column", [
    ("х + 1", "Cyrillic Small Letter Ha.*looks like the Latin letter 'x'", 1),
    ("xх", "looks like the Latin letter 'x'", 2),
    (r"\foo{x}", r"the LaTeX command \\foo is not allowed", 1),
    (r"\frac{x}{", "expected '}'", 9),
    (r"\sin^{-1} x", "ambiguous", 1),
    (r"\int_0^1 x^2", "no differential", 1),
])
def test_bad_latex_and_look_alikes_point_at_the_column(text, message, column):
    with pytest.raises(ParseError, match=message) as info:
        parse_expression(text)
    assert info.value.column == column


@pytest.mark.parametrize("text", [
    "floor(exp(10**8))", "8434524776949956^-4.11936", "gamma(10000)", "(10**59*x)**1000",
    "Heaviside(exp(10**9))", "ceiling(exp(exp(10)))",
])
def test_costly_inputs_are_refused_quickly(text):
    start = time.monotonic()
    with pytest.raises(ParseError):
        parse_expression(text)
    assert time.monotonic() - start < 2


@pytest.mark.parametrize("text", [
    "Min(0, Integral(1, (t, 0, oo)))", "Piecewise((Integral(1, (t, 0, oo)), x > 0), (0, True))",
    "Max(x, Integral(exp(t), (t, 0, oo)))",
])
def test_functions_of_integrals_stay_unevaluated(text):
    start = time.monotonic()
    result = parse_expression(text)
    assert result.has(sp.Integral)
    assert time.monotonic() - start < 2


_PIECES = st.sampled_from([
    "x", "y", "2", "10**8", "0.5", "+", "-", "*", "/", "^", "**", "(", ")", ",", "exp(", "floor(",
    "Min(", "gamma(", "Integral(", "\\frac{", "}", "{", "\\sqrt", "\\int_0^1", "dx", "\\theta",
    "²", "√", "½", "π", "∞", "ｘ", "х", "e^{", "\\sin", "|", "$", "_", "oo", "9" * 30,
])


@settings(deadline=None, max_examples=300)
@given(st.one_of(st.text(max_size=40), st.lists(_PIECES, max_size=14).map("".join)))
def test_fuzz_only_parse_errors_and_quickly(text):
    start = time.monotonic()
    try:
        result = parse_expression(text)
    except ParseError:
        pass
    else:
        str(result)  # printing must not fail either
    assert time.monotonic() - start < 6
