import pytest
import sympy as sp

import symjac as sj
from symjac import DimensionError, Transform


def test_substitution_u_x2_over_y_has_determinant_3():
    T = Transform.from_equations("u = x**2/y, v = y**2/x", domain="x > 0, y > 0")
    assert sj.jacobian_determinant(T) == 3
    assert sj.volume_element(T) == 3


def test_polar_volume_element_is_r():
    assert sj.volume_element(sj.system("polar")) == sp.Symbol("r", positive=True)


def test_abs_kept_without_domain():
    T = Transform.from_equations("x = r*cos(t), y = r*sin(t)")
    r = T.inputs[0]
    assert sj.volume_element(T) == sp.Abs(r)
    assert sj.jacobian_analysis(T).abs_kept == (r,)


def test_non_square_determinant_points_to_volume_element():
    T = Transform.from_equations("y = x1 + x2")
    with pytest.raises(DimensionError, match="volume_element"):
        sj.jacobian_determinant(T)


def test_pseudo_determinant_of_linear_functional_is_norm():
    T = Transform.from_equations("y = 3*x1 + 4*x2")
    assert sj.pseudo_determinant(T) == 5
