"""Signs on a domain: proofs by assumptions and interval arithmetic, strict where no zero is inside."""

import sympy as sp

from symjac.domains.signs import Sign, sign_on
from symjac.regions.bounds import derive_bounds

theta = sp.Symbol("theta", positive=True)
t = sp.Symbol("t", real=True)
x, y = sp.symbols("x y", real=True)


def test_angle_gap_to_a_full_turn_is_positive_on_the_open_range():
    # 2*pi - theta vanishes only at theta = 2*pi, which the open range leaves out
    assert sign_on(2 * sp.pi - theta, [0 < theta, theta < 2 * sp.pi]) is Sign.POSITIVE
    assert sign_on(2 * sp.pi - t, [0 < t, t < 2 * sp.pi]) is Sign.POSITIVE
    assert sign_on(t - sp.pi, [sp.pi < t, t < 2 * sp.pi]) is Sign.POSITIVE


def test_a_closed_end_keeps_the_sign_nonstrict():
    assert sign_on(2 * sp.pi - t, [0 < t, t <= 2 * sp.pi]) is Sign.NONNEGATIVE
    assert sign_on(sp.sin(t), [0 < t, t <= sp.pi]) is Sign.NONNEGATIVE


def test_sine_on_the_open_half_turn_is_positive():
    assert sign_on(sp.sin(t), [0 < t, t < sp.pi]) is Sign.POSITIVE


def test_linear_function_on_an_open_box():
    half = sp.Rational(1, 2)
    assert sign_on(x + y, [x > 0, y > 0]) is Sign.POSITIVE
    assert sign_on(1 - x - y, [x > 0, y > 0, x < half, y < half]) is Sign.POSITIVE
    # the corner (1/2, 1/2) belongs to the closed box, where 1 - x - y = 0
    assert sign_on(1 - x - y, [x > 0, y > 0, x <= half, y <= half]) is Sign.NONNEGATIVE


def test_sign_changes_are_still_found():
    assert sign_on(sp.cos(t), [0 < t, t < sp.pi]) is Sign.CHANGES


def test_a_strict_bound_is_not_lost_in_iterated_bounds():
    # the condition theta < 2*pi must not prove itself redundant
    r = sp.Symbol("r", positive=True)
    bounds, _ = derive_bounds((r, theta), [1 <= r, r <= 2, theta < 2 * sp.pi])
    assert bounds == ((r, 1, 2), (theta, 0, 2 * sp.pi))


def test_lambert_w_ranges_are_known_to_interval_arithmetic():
    # W0 maps (-1/e, 0) onto (-1, 0); W_{-1} maps it onto (-oo, -1)


    y = sp.Symbol("y", real=True)
    on = [y > 0, y < sp.exp(-1)]
    assert sign_on(-sp.LambertW(-y, -1), on) is Sign.POSITIVE  # at least 1
    assert sign_on(-sp.LambertW(-y, -1) - 1, on) in (Sign.POSITIVE, Sign.NONNEGATIVE)
    assert sign_on(sp.LambertW(-y) + 1, on) in (Sign.POSITIVE, Sign.NONNEGATIVE)
    assert sign_on(sp.LambertW(-y), [y > -1, y < 0]) in (Sign.POSITIVE, Sign.NONNEGATIVE)  # W0 on (0, 1)


def test_support_drops_a_special_function_condition_the_interval_proves():
    from symjac.domains.support import simplify_support

    y = sp.Symbol("y", real=True)
    got = simplify_support([y > 0, y < sp.exp(-1), -sp.LambertW(-y, -1) > 0], [y])
    assert set(got) == {y > 0, y < sp.exp(-1)}
    # not proved on a wider range: kept
    kept = simplify_support([y > -1, y < 0, sp.LambertW(y) > -sp.Rational(1, 2)], [y])
    assert any(c.has(sp.LambertW) for c in kept)


def test_two_square_roots_of_unbounded_intervals_do_not_cancel():
    # interval arithmetic turned sqrt(u + v) - sqrt(v) into sqrt(A) - sqrt(A) = 0 and called the
    # difference nonnegative; it is negative wherever u < 0
    u, v = sp.symbols("u v", real=True)
    assert sign_on(sp.sqrt(u + v) - sp.sqrt(v), [u + v >= 0]) in (Sign.CHANGES, Sign.UNKNOWN)
