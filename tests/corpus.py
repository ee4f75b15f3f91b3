"""Published textbook change-of-variables problems, for checking symjac in every input form.

Each problem: ``(source, integrand, region, iterated, map, answer)``. ``region`` is the
region as inequalities (``None``: the integral is ``iterated`` itself, as the book writes
it); ``iterated`` is the same integral with iterated Cartesian bounds, which the tests
integrate with SciPy to verify ``answer`` independently of symjac; ``map`` is a named
system (``"polar"``, ``"cylindrical"``, ``"spherical"``) or ``(equations, domain)``.
Sources: Stewart, *Calculus* 8th ed. (§5.5, §7.3, §15.3, §15.7, §15.8, §15.9); Thomas'
*Calculus* 14th ed. (§15.4, §15.7, §15.8); OpenStax *Calculus* Vol. 1 §5.5 and Vol. 3 §5.3,
§5.5, §5.7; Marsden–Tromba, *Vector Calculus* 6th ed. §6.2.
"""

from __future__ import annotations

D1 = "sqrt(1 - x**2)"

PROBLEMS = [
    # ---- polar (2-D)
    ("Stewart §15.3 Ex. 1", "3*x + 4*y**2", "1 <= x**2 + y**2, x**2 + y**2 <= 4, y >= 0",
     "Integral(3*x + 4*y**2, (y, sqrt(Max(1 - x**2, 0)), sqrt(4 - x**2)), (x, -2, 2))", "polar", "15*pi/2"),
    ("Stewart §15.3 Ex. 2", "1 - x**2 - y**2", "x**2 + y**2 <= 1",
     f"Integral(1 - x**2 - y**2, (y, -{D1}, {D1}), (x, -1, 1))", "polar", "pi/2"),
    ("Stewart §15.3 Ex. 4", "x**2 + y**2", "x**2 + y**2 <= 2*x",
     "Integral(x**2 + y**2, (y, -sqrt(2*x - x**2), sqrt(2*x - x**2)), (x, 0, 2))", "polar", "3*pi/2"),
    ("Stewart §15.3 Ex. 3 (the disc of radius 2)", "exp(-x**2 - y**2)", "x**2 + y**2 <= 4",
     "Integral(exp(-x**2 - y**2), (y, -sqrt(4 - x**2), sqrt(4 - x**2)), (x, -2, 2))", "polar",
     "pi*(1 - exp(-4))"),
    ("Stewart §15.3 exercises", "x", "x**2 + y**2 <= 4, x >= 0, y >= 0",
     "Integral(x, (y, 0, sqrt(4 - x**2)), (x, 0, 2))", "polar", "8/3"),
    ("Stewart §15.3 exercises", "y", "x**2 + y**2 <= 4, x >= 0, y >= 0",
     "Integral(y, (y, 0, sqrt(4 - x**2)), (x, 0, 2))", "polar", "8/3"),
    ("Stewart §15.3 exercises", "x*y", "x**2 + y**2 <= 1, x >= 0, y >= 0",
     f"Integral(x*y, (y, 0, {D1}), (x, 0, 1))", "polar", "1/8"),
    ("OpenStax Vol 3 §5.3 example", "sqrt(x**2 + y**2)", "x**2 + y**2 <= 9",
     "Integral(sqrt(x**2 + y**2), (y, -sqrt(9 - x**2), sqrt(9 - x**2)), (x, -3, 3))", "polar", "18*pi"),
    ("OpenStax Vol 3 §5.3 exercises", "(x**2 + y**2)**2", "x**2 + y**2 <= 1",
     f"Integral((x**2 + y**2)**2, (y, -{D1}, {D1}), (x, -1, 1))", "polar", "pi/3"),
    ("Stewart §15.3 exercises", "cos(x**2 + y**2)", "x**2 + y**2 <= 1",
     f"Integral(cos(x**2 + y**2), (y, -{D1}, {D1}), (x, -1, 1))", "polar", "pi*sin(1)"),
    ("Stewart §15.3 exercises", "sin(x**2 + y**2)", "x**2 + y**2 <= 1",
     f"Integral(sin(x**2 + y**2), (y, -{D1}, {D1}), (x, -1, 1))", "polar", "pi*(1 - cos(1))"),
    ("Thomas §15.4 exercises", "x**2", "x**2 + y**2 <= 4",
     "Integral(x**2, (y, -sqrt(4 - x**2), sqrt(4 - x**2)), (x, -2, 2))", "polar", "4*pi"),
    ("Stewart §15.3 exercises", "y**2", "1 <= x**2 + y**2, x**2 + y**2 <= 4",
     "Integral(y**2, (y, -sqrt(4 - x**2), -sqrt(Max(1 - x**2, 0))), (x, -2, 2)) + "
     "Integral(y**2, (y, sqrt(Max(1 - x**2, 0)), sqrt(4 - x**2)), (x, -2, 2))", "polar", "15*pi/4"),
    ("Stewart §15.3 exercises", "x + y", None,
     "Integral(x + y, (y, 0, sqrt(9 - x**2)), (x, 0, 3))", "polar", "18"),
    ("Thomas §15.4 exercises", "x**2 + y**2", None,
     f"Integral(x**2 + y**2, (y, 0, {D1}), (x, 0, 1))", "polar", "pi/8"),
    ("Stewart §15.3 exercises", "(x**2 + y**2)**(3/2)", None,
     f"Integral((x**2 + y**2)**(3/2), (y, 0, {D1}), (x, -1, 1))", "polar", "pi/5"),
    ("Stewart §15.3 exercises", "sqrt(x**2 + y**2)", None,
     "Integral(sqrt(x**2 + y**2), (y, 0, sqrt(2*x - x**2)), (x, 0, 2))", "polar", "16/9"),
    ("Stewart §15.3 exercises", "x**2*y", None,
     "Integral(x**2*y, (x, -sqrt(4 - y**2), 0), (y, 0, 2))", "polar", "32/15"),
    ("Thomas §15.4 Ex. 3", "exp(x**2 + y**2)", None,
     f"Integral(exp(x**2 + y**2), (y, -{D1}, {D1}), (x, -1, 1))", "polar", "pi*(E - 1)"),
    ("Thomas §15.4 exercises", "1", None,
     f"Integral(1, (y, -{D1}, {D1}), (x, -1, 1))", "polar", "pi"),
    ("Thomas §15.4 exercises", "x**2 + y**2", None,
     "Integral(x**2 + y**2, (x, 0, sqrt(1 - y**2)), (y, 0, 1))", "polar", "pi/8"),
    ("Thomas §15.4 exercises", "x", None, "Integral(x, (x, 0, y), (y, 0, 6))", "polar", "36"),
    ("Thomas §15.4 exercises", "1/(1 + x**2 + y**2)", "x**2 + y**2 <= 1",
     f"Integral(1/(1 + x**2 + y**2), (y, -{D1}, {D1}), (x, -1, 1))", "polar", "pi*log(2)"),
    ("Stewart §15.3 exercises (hemisphere)", "sqrt(4 - x**2 - y**2)", "x**2 + y**2 <= 4",
     "Integral(sqrt(4 - x**2 - y**2), (y, -sqrt(4 - x**2), sqrt(4 - x**2)), (x, -2, 2))", "polar",
     "16*pi/3"),
    ("OpenStax Vol 3 §5.3 exercises", "x**2 + y**2", "1 <= x**2 + y**2, x**2 + y**2 <= 9, y >= 0",
     "Integral(x**2 + y**2, (y, sqrt(Max(1 - x**2, 0)), sqrt(9 - x**2)), (x, -3, 3))", "polar", "20*pi"),
    ("OpenStax Vol 3 §5.3 example", "atan(y/x)", "1 <= x**2 + y**2, x**2 + y**2 <= 4, 0 <= y, y <= x",
     "Integral(atan(y/x), (y, 0, Min(x, sqrt(Max(4 - x**2, 0)))), (x, 1/sqrt(2), 2)) - "
     "Integral(atan(y/x), (y, 0, Min(x, sqrt(Max(1 - x**2, 0)))), (x, 1/sqrt(2), 1))", "polar",
     "3*pi**2/64"),
    ("Marsden–Tromba §6.2 Exercise", "x", "(x - 1)**2 + y**2 <= 1",
     "Integral(x, (y, -sqrt(2*x - x**2), sqrt(2*x - x**2)), (x, 0, 2))", "polar", "pi"),
    ("Stewart §15.3 exercises (Gaussian)", "exp(-x**2 - y**2)", None,
     "Integral(exp(-x**2 - y**2), (x, -oo, oo), (y, -oo, oo))", "polar", "pi"),
    ("OpenStax Vol 3 §5.3 exercises", "x*y", "1 <= x**2 + y**2, x**2 + y**2 <= 4, x >= 0, y >= 0",
     "Integral(x*y, (y, sqrt(Max(1 - x**2, 0)), sqrt(4 - x**2)), (x, 0, 2))", "polar", "15/8"),
    ("Thomas §15.4 exercises", "y", "x**2 + y**2 <= 1, y >= 0",
     f"Integral(y, (y, 0, {D1}), (x, -1, 1))", "polar", "2/3"),
    ("Stewart §15.3 exercises", "exp(-x**2 - y**2)", None,
     "Integral(exp(-x**2 - y**2), (x, 0, oo), (y, 0, oo))", "polar", "pi/4"),
    ("OpenStax Vol 3 §5.3 exercises", "x**2*y", "x**2 + y**2 <= 1, y >= 0",
     f"Integral(x**2*y, (y, 0, {D1}), (x, -1, 1))", "polar", "2/15"),
    ("Thomas §15.4 exercises", "sqrt(x**2 + y**2)", "1 <= x**2 + y**2, x**2 + y**2 <= 4",
     "Integral(sqrt(x**2 + y**2), (y, -sqrt(4 - x**2), -sqrt(Max(1 - x**2, 0))), (x, -2, 2)) + "
     "Integral(sqrt(x**2 + y**2), (y, sqrt(Max(1 - x**2, 0)), sqrt(4 - x**2)), (x, -2, 2))", "polar",
     "14*pi/3"),
    # ---- cylindrical (3-D)
    ("Stewart §15.7 (volume of a cylinder)", "1", "x**2 + y**2 <= 1, 0 <= z, z <= 2",
     f"Integral(1, (z, 0, 2), (y, -{D1}, {D1}), (x, -1, 1))", "cylindrical", "2*pi"),
    ("Stewart §15.7 exercises", "sqrt(x**2 + y**2)", "x**2 + y**2 <= 16, -5 <= z, z <= 4",
     "Integral(sqrt(x**2 + y**2), (z, -5, 4), (y, -sqrt(16 - x**2), sqrt(16 - x**2)), (x, -4, 4))",
     "cylindrical", "384*pi"),
    ("Thomas §15.7 exercises", "z", "x**2 + y**2 <= 1, 0 <= z, z <= 1",
     f"Integral(z, (z, 0, 1), (y, -{D1}, {D1}), (x, -1, 1))", "cylindrical", "pi/2"),
    ("OpenStax Vol 3 §5.5 exercises", "x**2 + y**2", "x**2 + y**2 <= 4, 0 <= z, z <= 3",
     "Integral(x**2 + y**2, (z, 0, 3), (y, -sqrt(4 - x**2), sqrt(4 - x**2)), (x, -2, 2))",
     "cylindrical", "24*pi"),
    ("Stewart §15.7 Ex. 3 (under a paraboloid)", "1", "z <= 4 - x**2 - y**2, 0 <= z",
     "Integral(1, (z, 0, 4 - x**2 - y**2), (y, -sqrt(4 - x**2), sqrt(4 - x**2)), (x, -2, 2))",
     "cylindrical", "8*pi"),
    ("Stewart §15.7 exercises", "z", "x**2 + y**2 <= z, z <= 4",
     "Integral(z, (z, x**2 + y**2, 4), (y, -sqrt(4 - x**2), sqrt(4 - x**2)), (x, -2, 2))",
     "cylindrical", "64*pi/3"),
    ("Thomas §15.7 exercises", "x**2", "x**2 + y**2 <= 1, 0 <= z, z <= 1",
     f"Integral(x**2, (z, 0, 1), (y, -{D1}, {D1}), (x, -1, 1))", "cylindrical", "pi/4"),
    ("OpenStax Vol 3 §5.5 exercises", "exp(z)", "x**2 + y**2 <= 1, 0 <= z, z <= 1",
     f"Integral(exp(z), (z, 0, 1), (y, -{D1}, {D1}), (x, -1, 1))", "cylindrical", "pi*(E - 1)"),
    ("Marsden–Tromba §6.2 Exercise (cylinder)", "x + y + z", "x**2 + y**2 <= 1, 0 <= z, z <= 2",
     f"Integral(x + y + z, (z, 0, 2), (y, -{D1}, {D1}), (x, -1, 1))", "cylindrical", "2*pi"),
    ("Stewart §15.7 exercises", "sqrt(x**2 + y**2)", "sqrt(x**2 + y**2) <= z, z <= 1",
     f"Integral(sqrt(x**2 + y**2), (z, sqrt(x**2 + y**2), 1), (y, -{D1}, {D1}), (x, -1, 1))",
     "cylindrical", "pi/6"),
    ("Thomas §15.7 exercises (a cone)", "1", "sqrt(x**2 + y**2) <= z, z <= 2",
     "Integral(1, (z, sqrt(x**2 + y**2), 2), (y, -sqrt(4 - x**2), sqrt(4 - x**2)), (x, -2, 2))",
     "cylindrical", "8*pi/3"),
    ("OpenStax Vol 3 §5.5 exercises", "y*z", "x**2 + y**2 <= 1, y >= 0, 0 <= z, z <= 2",
     f"Integral(y*z, (z, 0, 2), (y, 0, {D1}), (x, -1, 1))", "cylindrical", "4/3"),
    # ---- spherical (3-D)
    ("Stewart §15.8 (ball of radius 2)", "1", "x**2 + y**2 + z**2 <= 4", "Integral(1, (z, -sqrt(2**2 - x**2 - y**2), sqrt(2**2 - x**2 - y**2)), (y, -sqrt(2**2 - x**2), sqrt(2**2 - x**2)), (x, -2, 2))", "spherical", "32*pi/3"),
    ("Stewart §15.8 exercises (shell)", "1", "1 <= x**2 + y**2 + z**2, x**2 + y**2 + z**2 <= 4",
     "Integral(1, (z, -sqrt(2**2 - x**2 - y**2), sqrt(2**2 - x**2 - y**2)), (y, -sqrt(2**2 - x**2), sqrt(2**2 - x**2)), (x, -2, 2)) - Integral(1, (z, -sqrt(1**2 - x**2 - y**2), sqrt(1**2 - x**2 - y**2)), (y, -sqrt(1**2 - x**2), sqrt(1**2 - x**2)), (x, -1, 1))", "spherical", "28*pi/3"),
    ("Thomas §15.7 exercises", "x**2 + y**2 + z**2", "x**2 + y**2 + z**2 <= 1", "Integral(x**2 + y**2 + z**2, (z, -sqrt(1**2 - x**2 - y**2), sqrt(1**2 - x**2 - y**2)), (y, -sqrt(1**2 - x**2), sqrt(1**2 - x**2)), (x, -1, 1))", "spherical",
     "4*pi/5"),
    ("Stewart §15.8 Ex. 3", "exp((x**2 + y**2 + z**2)**(3/2))", "x**2 + y**2 + z**2 <= 1", "Integral(exp((x**2 + y**2 + z**2)**(3/2)), (z, -sqrt(1**2 - x**2 - y**2), sqrt(1**2 - x**2 - y**2)), (y, -sqrt(1**2 - x**2), sqrt(1**2 - x**2)), (x, -1, 1))",
     "spherical", "4*pi*(E - 1)/3"),
    ("Stewart §15.8 exercises", "sin((x**2 + y**2 + z**2)**(3/2))", "x**2 + y**2 + z**2 <= 1", "Integral(sin((x**2 + y**2 + z**2)**(3/2)), (z, -sqrt(1**2 - x**2 - y**2), sqrt(1**2 - x**2 - y**2)), (y, -sqrt(1**2 - x**2), sqrt(1**2 - x**2)), (x, -1, 1))",
     "spherical", "4*pi*(1 - cos(1))/3"),
    ("Stewart §15.8 Ex. 4 (ice-cream cone)", "1", "sqrt(x**2 + y**2) <= z, x**2 + y**2 + z**2 <= 1",
     "Integral(1, (z, sqrt(x**2 + y**2), sqrt(1 - x**2 - y**2)), (y, -sqrt(1/2 - x**2), sqrt(1/2 - x**2)), (x, -sqrt(1/2), sqrt(1/2)))", "spherical", "pi*(2 - sqrt(2))/3"),
    ("Thomas §15.7 exercises", "z", "x**2 + y**2 + z**2 <= 1, z >= 0", "Integral(z, (z, 0, sqrt(1**2 - x**2 - y**2)), (y, -sqrt(1**2 - x**2), sqrt(1**2 - x**2)), (x, -1, 1))", "spherical", "pi/4"),
    ("OpenStax Vol 3 §5.5 exercises", "z**2", "x**2 + y**2 + z**2 <= 1", "Integral(z**2, (z, -sqrt(1**2 - x**2 - y**2), sqrt(1**2 - x**2 - y**2)), (y, -sqrt(1**2 - x**2), sqrt(1**2 - x**2)), (x, -1, 1))", "spherical",
     "4*pi/15"),
    ("Stewart §15.8 exercises", "sqrt(x**2 + y**2 + z**2)", "x**2 + y**2 + z**2 <= 1", "Integral(sqrt(x**2 + y**2 + z**2), (z, -sqrt(1**2 - x**2 - y**2), sqrt(1**2 - x**2 - y**2)), (y, -sqrt(1**2 - x**2), sqrt(1**2 - x**2)), (x, -1, 1))",
     "spherical", "pi"),
    ("Marsden–Tromba §6.2 Ex. (shell)", "1/(x**2 + y**2 + z**2)",
     "1 <= x**2 + y**2 + z**2, x**2 + y**2 + z**2 <= 4", "Integral(1/(x**2 + y**2 + z**2), (z, -sqrt(2**2 - x**2 - y**2), sqrt(2**2 - x**2 - y**2)), (y, -sqrt(2**2 - x**2), sqrt(2**2 - x**2)), (x, -2, 2)) - Integral(1/(x**2 + y**2 + z**2), (z, -sqrt(1**2 - x**2 - y**2), sqrt(1**2 - x**2 - y**2)), (y, -sqrt(1**2 - x**2), sqrt(1**2 - x**2)), (x, -1, 1))", "spherical", "4*pi"),
    ("Thomas §15.7 exercises (hemisphere)", "1", "x**2 + y**2 + z**2 <= 9, z >= 0", "Integral(1, (z, 0, sqrt(3**2 - x**2 - y**2)), (y, -sqrt(3**2 - x**2), sqrt(3**2 - x**2)), (x, -3, 3))",
     "spherical", "18*pi"),
    ("OpenStax Vol 3 §5.5 exercises", "x**2", "x**2 + y**2 + z**2 <= 1", "Integral(x**2, (z, -sqrt(1**2 - x**2 - y**2), sqrt(1**2 - x**2 - y**2)), (y, -sqrt(1**2 - x**2), sqrt(1**2 - x**2)), (x, -1, 1))", "spherical",
     "4*pi/15"),
    ("Stewart §15.8 exercises (first octant)", "1", "x**2 + y**2 + z**2 <= 1, x >= 0, y >= 0, z >= 0",
     "Integral(1, (z, 0, sqrt(1**2 - x**2 - y**2)), (y, 0, sqrt(1**2 - x**2)), (x, 0, 1))", "spherical", "pi/6"),
    ("Stewart §15.8 exercises", "exp(-(x**2 + y**2 + z**2)**(3/2))", "x**2 + y**2 + z**2 <= 1",
     "Integral(exp(-(x**2 + y**2 + z**2)**(3/2)), (z, -sqrt(1**2 - x**2 - y**2), sqrt(1**2 - x**2 - y**2)), (y, -sqrt(1**2 - x**2), sqrt(1**2 - x**2)), (x, -1, 1))", "spherical", "4*pi*(1 - exp(-1))/3"),
    # ---- substitutions in the plane
    ("Stewart §15.9 Ex. 3", "exp((x + y)/(x - y))", "1 <= x - y, x - y <= 2, x >= 0, y <= 0",
     "Integral(exp((x + y)/(x - y)), (y, x - 2, Min(x - 1, 0)), (x, 0, 2))",
     ("u = x + y, v = x - y", ""), "3*(E - exp(-1))/4"),
    ("Stewart §15.9 exercises", "(x + y)*exp(x**2 - y**2)", "0 <= x + y, x + y <= 1, 0 <= x - y, x - y <= 1",
     "Integral((x + y)*exp(x**2 - y**2), (y, -x, x), (x, 0, 1/2)) + "
     "Integral((x + y)*exp(x**2 - y**2), (y, x - 1, 1 - x), (x, 1/2, 1))",
     ("u = x + y, v = x - y", ""), "(E - 2)/2"),
    ("OpenStax Vol 3 §5.7 exercises", "(x - y)**2", "0 <= x + y, x + y <= 2, 0 <= x - y, x - y <= 2",
     "Integral((x - y)**2, (y, -x, x), (x, 0, 1)) + Integral((x - y)**2, (y, x - 2, 2 - x), (x, 1, 2))",
     ("u = x + y, v = x - y", ""), "8/3"),
    ("Stewart §15.9 exercises (area)", "1", "1 <= x*y, x*y <= 2, 1 <= y/x, y/x <= 2, x > 0, y > 0",
     "Integral(1, (y, Max(x, 1/x), Min(2*x, 2/x)), (x, 1/sqrt(2), sqrt(2)))",
     ("u = x*y, v = y/x", "x > 0, y > 0"), "log(2)/2"),
    ("symjac design note (Stewart §15.9 type)", "x*y",
     "1 <= x**2/y, x**2/y <= 4, 2 <= y**2/x, y**2/x <= 3, x > 0, y > 0",
     "Integral(x*y, (x, Max(sqrt(y), y**2/3), Min(2*sqrt(y), y**2/2)), (y, 2**(2/3), 6**(2/3)))",
     ("u = x**2/y, v = y**2/x", "x > 0, y > 0"), "25/4"),
    ("OpenStax Vol 3 §5.7 example (parallelogram)", "x", "0 <= x - 2*y, x - 2*y <= 1, 0 <= y, y <= 1",
     "Integral(x, (x, 2*y, 2*y + 1), (y, 0, 1))", ("u = x - 2*y, v = y", ""), "3/2"),
    ("Stewart §15.9 exercises", "cos((y - x)/(y + x))", "1 <= x + y, x + y <= 2, x >= 0, y >= 0",
     "Integral(cos((y - x)/(y + x)), (y, Max(1 - x, 0), 2 - x), (x, 0, 2))",
     ("u = y - x, v = y + x", ""), "3*sin(1)/2"),
    ("Stewart §15.9 Ex. (ellipse area)", "1", "x**2/4 + y**2/9 <= 1",
     "Integral(1, (y, -3*sqrt(1 - x**2/4), 3*sqrt(1 - x**2/4)), (x, -2, 2))",
     ("u = x/2, v = y/3", ""), "6*pi"),
    ("Stewart §15.9 exercises", "x**2", "x**2/4 + y**2 <= 1",
     "Integral(x**2, (y, -sqrt(1 - x**2/4), sqrt(1 - x**2/4)), (x, -2, 2))",
     ("u = x/2, v = y", ""), "2*pi"),
    ("Thomas §15.8 exercises", "x + y", "0 <= x + y, x + y <= 1, 0 <= y - x, y - x <= 1",
     "Integral(x + y, (y, -x, x + 1), (x, -1/2, 0)) + Integral(x + y, (y, x, 1 - x), (x, 0, 1/2))",
     ("u = x + y, v = y - x", ""), "1/4"),
    # ---- one variable: u-substitution (monotone and not) and trigonometric substitution
    ("Stewart §5.5 Ex. (power)", "2*x*(x**2 + 1)**3", None, "Integral(2*x*(x**2 + 1)**3, (x, 0, 1))",
     ("u = x**2 + 1", ""), "15/4"),
    ("Stewart §5.5 (u = 1 - x**2 on [-1, 2], not monotone)", "x*(1 - x**2)**3", None,
     "Integral(x*(1 - x**2)**3, (x, -1, 2))", ("u = 1 - x**2", ""), "-81/8"),
    ("OpenStax Vol 1 §5.5 example", "x*cos(x**2 - 1)", None, "Integral(x*cos(x**2 - 1), (x, 0, 1))",
     ("u = x**2 - 1", ""), "sin(1)/2"),
    ("Stewart §5.5 (u = x**2 on [-2, 1], not monotone)", "x*exp(x**2)", None,
     "Integral(x*exp(x**2), (x, -2, 1))", ("u = x**2", ""), "(E - exp(4))/2"),
    ("Stewart §5.5 exercises", "sin(x)*cos(x)", None, "Integral(sin(x)*cos(x), (x, 0, pi/2))",
     ("u = sin(x)", ""), "1/2"),
    ("Stewart §5.5 Ex. 8", "x/(1 + x**2)", None, "Integral(x/(1 + x**2), (x, 0, 2))",
     ("u = 1 + x**2", ""), "log(5)/2"),
    ("Stewart §5.5 Ex. 9", "log(x)/x", None, "Integral(log(x)/x, (x, 1, E))", ("u = log(x)", ""), "1/2"),
    ("Stewart §5.5 exercises", "tan(x)*sec(x)**2", None, "Integral(tan(x)*sec(x)**2, (x, 0, pi/4))",
     ("u = tan(x)", ""), "1/2"),
    ("Stewart §7.3 Ex. (quarter circle)", "sqrt(1 - x**2)", None, "Integral(sqrt(1 - x**2), (x, 0, 1))",
     ("x = sin(t)", "0 <= t <= pi/2"), "pi/4"),
    ("Stewart §7.3 Ex. (x = sec(t))", "sqrt(x**2 - 1)/x", None,
     "Integral(sqrt(x**2 - 1)/x, (x, 1, 5/3))", ("x = sec(t)", "0 <= t < pi/2"), "4/3 - atan(4/3)"),
    ("Stewart §7.3 Exercise (x = 2*tan(t))", "1/(4 + x**2)", None, "Integral(1/(4 + x**2), (x, 0, 2))",
     ("x = 2*tan(t)", "-pi/2 < t < pi/2"), "pi/8"),
    ("Stewart §5.5 exercises", "x/sqrt(x + 1)", None, "Integral(x/sqrt(x + 1), (x, 0, 3))",
     ("u = x + 1", ""), "8/3"),
    ("Thomas §5.6 exercises", "x**2*(x**3 + 1)**2", None, "Integral(x**2*(x**3 + 1)**2, (x, -1, 1))",
     ("u = x**3 + 1", ""), "8/9"),
    ("Stewart §5.5 (u = cos(x) on [-pi/2, pi], not monotone)", "sin(x)*cos(x)**2", None,
     "Integral(sin(x)*cos(x)**2, (x, -pi/2, pi))", ("u = cos(x)", ""), "1/3"),
    ("Thomas §5.6 (u = x**2 - 4 on [-1, 3], not monotone)", "x*(x**2 - 4)**2", None,
     "Integral(x*(x**2 - 4)**2, (x, -1, 3))", ("u = x**2 - 4", ""), "76/3"),
    ("Stewart §5.5 exercises", "x**3*sqrt(1 - x**2)", None, "Integral(x**3*sqrt(1 - x**2), (x, 0, 1))",
     ("u = 1 - x**2", ""), "2/15"),
]

#: The equations a textbook writes for each named system, and the domain it states.
EQUATIONS = {
    "polar": ("x = r*cos(theta), y = r*sin(theta)", "r > 0, 0 < theta < 2*pi"),
    "cylindrical": ("x = r*cos(theta), y = r*sin(theta), z = z", "r > 0, 0 < theta < 2*pi"),
    "spherical": ("x = rho*sin(phi)*cos(theta), y = rho*sin(phi)*sin(theta), z = rho*cos(phi)",
                  "rho > 0, 0 < phi < pi, 0 < theta < 2*pi"),
}

#: Claimed answers for the checker, right and wrong: (problem index, claim, correct?).
CLAIMS = [
    (1, "Integral((1 - r**2)*r, (r, 0, 1), (theta, 0, 2*pi))", True),
    (1, "Integral(1 - r**2, (r, 0, 1), (theta, 0, 2*pi))", False),
    (4, "Integral(r**2*cos(theta), (r, 0, 2), (theta, 0, pi/2))", True),
    (4, "Integral(r**2*cos(theta), (r, 0, 2), (theta, 0, pi))", False),
    (13, "Integral(r**2*(cos(theta) + sin(theta)), (r, 0, 3), (theta, 0, pi/2))", True),
    (13, "Integral(r*(cos(theta) + sin(theta)), (r, 0, 3), (theta, 0, pi/2))", False),
    (62, "Integral(1/(2*v), (u, 1, 2), (v, 1, 2))", True),
    (62, "Integral(2*v, (u, 1, 2), (v, 1, 2))", False),
    (70, "Integral(u**3/2, (u, -3, 0))", True),
    (70, "Integral(-u**3/2, (u, 0, -3))", True),
    (70, "Integral(-u**3/2, (u, 0, 1))", False),
    (72, "Integral(exp(u)/2, (u, 4, 1))", True),
    (72, "Integral(exp(u)/2, (u, 1, 4))", False),
]

#: The forms a user types: the integral as text with a named system (or the substitution as
#: text), SymPy objects built with plain ``sympy.symbols``, and the map as equations with and
#: without its domain.
FORMS = ("text", "sympy", "equations", "equations_no_domain")


def _plain(text: str):
    import sympy as sp

    return sp.parse_expr(text, evaluate=True)


def inputs(problem: tuple, form: str) -> tuple[object, object, object]:
    """``(integral, region, map)`` for ``change_variables`` in one input form."""
    import sympy as sp

    import symjac as sj

    _, integrand, region, iterated, chart, _ = problem
    named = isinstance(chart, str)
    equations, domain = EQUATIONS[chart] if named else chart
    integral = iterated if region is None else integrand
    if form == "sympy":
        integral = _plain(integral)
        region = None if region is None else [_plain(c) for c in region.split(", ")]
        if named:
            return integral, region, sj.system(chart)
        eqs = [sp.Eq(*map(_plain, e.split("="))) for e in equations.split(", ")]
        return integral, region, sj.Transform.from_equations(eqs, domain=domain or None)
    if form == "text":
        t = sj.system(chart) if named else sj.Transform.from_equations(equations, domain=domain or None)
    elif form == "equations":
        t = sj.Transform.from_equations(equations, domain=domain or None)
    else:
        t = sj.Transform.from_equations(equations)
    return integral, region, t


def run(problem: tuple, form: str) -> tuple[str, float, str]:
    """``(outcome, seconds, detail)``: outcome ``"exact"`` (the published value), ``"numeric"``
    (no closed form; the checked number agrees), ``"refused"`` (a SymjacError or an undecided
    result), or ``"WRONG"`` (a value that disagrees with the published one)."""
    import time

    import sympy as sp

    import symjac as sj

    answer = complex(sp.N(_plain(problem[5]), 20))
    start = time.perf_counter()
    try:
        integral, region, t = inputs(problem, form)
        ci = sj.change_variables(integral, t, region=region)
    except sj.SymjacError as exc:
        return "refused", time.perf_counter() - start, f"{type(exc).__name__}: {exc}"[:200]
    seconds = time.perf_counter() - start
    if ci.value is not None:
        got = complex(sp.N(ci.value, 20))
        ok = abs(got - answer) <= 1e-8 * (1 + abs(answer))
        return ("exact" if ok else "WRONG"), seconds, sp.sstr(ci.value)
    if ci.check is not None and ci.check.verdict == "passed":
        got = complex(ci.evalf())
        ok = abs(got - answer) <= 1e-6 * (1 + abs(answer))
        return ("numeric" if ok else "WRONG"), seconds, f"{got}"
    return "refused", seconds, "; ".join(s.text for s in ci.steps.steps[-2:])[:200]


def verify(problem: tuple) -> float:
    """The problem's integral in its original coordinates, by SciPy's ``nquad`` (not symjac)."""
    import sympy as sp
    from scipy.integrate import nquad

    total = 0.0
    expr = _plain(problem[3])
    for term in sp.Add.make_args(expr):
        coeff, integral = term.as_independent(sp.Integral, as_Add=False)
        limits = integral.limits
        order = [lim[0] for lim in limits]
        f = sp.lambdify(order, integral.function, modules=[{"Max": max, "Min": min}, "math"])
        ranges = []
        for k, (v, lo, hi) in enumerate(limits):
            outer = order[k + 1:]
            lo_f = sp.lambdify(outer, lo, modules=[{"Max": max, "Min": min}, "math"])
            hi_f = sp.lambdify(outer, hi, modules=[{"Max": max, "Min": min}, "math"])
            ranges.append(lambda *a, lo_f=lo_f, hi_f=hi_f: (float(lo_f(*a)), float(hi_f(*a))))
        value, _ = nquad(f, ranges, opts={"epsabs": 1e-11, "epsrel": 1e-9, "limit": 100})
        total += float(coeff) * value
    return total
