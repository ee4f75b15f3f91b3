"""Write the notebooks in ``notebooks/`` from the cell lists below, without outputs.

The notebooks are generated so they stay short, consistent and free of
stored outputs; edit the cells here and run ``python tools/make_notebooks.py``.
The test suite executes every notebook (tests/test_notebooks.py).
"""

from __future__ import annotations

from pathlib import Path

import nbformat

OUT = Path(__file__).resolve().parent.parent / "notebooks"


def md(text: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_markdown_cell(text.strip())


def code(text: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_code_cell(text.strip())


TOUR = [
    md("""
# A tour of symjac

symjac computes Jacobians and changes of variables the way you would on paper,
explains each step, and checks the result with numbers. This notebook shows the
basics: a map, its Jacobian, the named coordinate systems and the volume element.
"""),
    code("""
%matplotlib inline
import symjac as sj
"""),
    md("""
## A map and its Jacobian

A `Transform` is a map `outputs = exprs(inputs)` with a domain. Here the
substitution `u = x²/y`, `v = y²/x` on the quarter plane `x > 0, y > 0`.
"""),
    code("""
T = sj.Transform.from_equations("u = x**2/y, v = y**2/x", domain="x > 0, y > 0")
T
"""),
    md("The Jacobian is always ∂ outputs / ∂ inputs, here ∂(u, v)/∂(x, y):"),
    code("sj.jacobian(T)"),
    code("sj.jacobian_determinant(T)"),
    md("""
The determinant is the constant 3: `du dv = 3 dx dy`, so `dx dy = (1/3) du dv`.
`jacobian_analysis` gives everything at once, and shows itself as a formula:
"""),
    code("""
a = sj.jacobian_analysis(T)
a
"""),
    md("And it remembers how it got there, step by step (`print(a.steps)` gives plain text):"),
    code("a.steps"),
    md("""
## Named coordinate systems

Polar, cylindrical, spherical and a dozen more come ready-made, each with its
standard domain. They are parametrisations: curvilinear inputs, Cartesian outputs.
"""),
    code("[s.name for s in sj.available_systems()]"),
    code("""
S = sj.system("spherical")
print(S)
sj.volume_element(S)
"""),
    md("The same works in any dimension:"),
    code("sj.volume_element(sj.system('hyperspherical', n=4))"),
    md("""
## The volume element needs the domain

The volume element is `|det J|`. symjac drops the absolute value only when the
domain proves the sign. Without `r > 0`, the radius could be negative:
"""),
    code("""
free = sj.Transform.from_equations("x = r*cos(t), y = r*sin(t)")
sj.volume_element(free), sj.volume_element(free.restrict("r > 0"))
"""),
    md("""
A reflection reverses orientation (negative determinant) but keeps areas, and a
curve has no square Jacobian at all: its volume element is the length element
`sqrt(det(JᵀJ))`.
"""),
    code("""
R = sj.Transform.from_equations("u = -x, v = y")
curve = sj.Transform.from_equations("x = t, y = t**2")
sj.jacobian_determinant(R), sj.volume_element(R), sj.volume_element(curve)
"""),
    md("""
## Seeing the map

`plot_transform` draws how a grid and a region in the inputs land in the outputs.
The rectangle `1 ≤ u ≤ 4, 2 ≤ v ≤ 3` comes from a curved region between parabolas.
"""),
    code("""
sj.plot_transform(T, "1 <= u <= 4, 2 <= v <= 3")
"""),
    md("""
## Writing it up

`to_latex` turns any result into LaTeX; with `document=True` it is a complete
document that `pdflatex` compiles.
"""),
    code("print(sj.to_latex(a, steps=True))"),
]


HOMEWORK = [
    md("""
# Checking a homework substitution

The exercise: find the area of the region *D* in the first quadrant bounded by the
parabolas `y = x²`, `y = x²/4`, `x = y²/2` and `x = y²/3`, using the substitution
`u = x²/y`, `v = y²/x`.

In the new variables the region is the rectangle `1 ≤ u ≤ 4, 2 ≤ v ≤ 3`. The only
real work is the Jacobian.
"""),
    code("""
%matplotlib inline
import numpy as np
import sympy as sp
import symjac as sj

T = sj.Transform.from_equations("u = x**2/y, v = y**2/x", domain="x > 0, y > 0")
a = sj.jacobian_analysis(T)
print(a.steps)
"""),
    md("""
The Jacobian of `T` is ∂(u, v)/∂(x, y) = 3, so `du dv = 3 dx dy` and
`dx dy = (1/3) du dv`. The area is the integral of `1/3` over the rectangle:
"""),
    code("""
u, v = T.outputs
area = sp.integrate(1 / a.volume_element, (u, 1, 4), (v, 2, 3))
area
"""),
    md("""
## A wrong answer and its diagnosis

A classic mistake: using `|∂(u, v)/∂(x, y)|` itself as the factor, i.e. writing
`dx dy = 3 du dv`. That gives an area of 9. Which one is right?

An independent check needs no algebra at all: throw random points into a box
around *D*, count those that land in *D*, and scale by the box's area.
"""),
    code("""
claimed_wrong = sp.integrate(a.volume_element, (u, 1, 4), (v, 2, 3))

rng = np.random.default_rng(0)
n = 400_000
x = rng.uniform(1, 4, n)
y = rng.uniform(1, 4, n)
U, V = x**2 / y, y**2 / x
inside = (1 <= U) & (U <= 4) & (2 <= V) & (V <= 3)
estimate = 9 * inside.mean()
error = 9 * inside.std() / np.sqrt(n)
print(f"Monte Carlo: {estimate:.4f} ± {error:.4f}")
print(f"dx dy = (1/3) du dv gives {area}; dx dy = 3 du dv gives {claimed_wrong}")
"""),
    md("""
The numbers agree with `1`, not with `9`. The diagnosis: the substitution was given
as `(u, v)` in terms of `(x, y)`, so its Jacobian converts `dx dy` *into* `du dv`;
to go back you divide by it (the inverse map's Jacobian is `1/3`).

symjac's `Transform` never hides the direction: the Jacobian is always
∂ outputs / ∂ inputs, here ∂(u, v)/∂(x, y).

`check_substitution` does this comparison for you and names the mistake:
"""),
    code("""
region = "1 <= x**2/y <= 4, 2 <= y**2/x <= 3, x > 0, y > 0"
report = sj.check_substitution(("1", region), "Integral(3, (u, 1, 4), (v, 2, 3))", T)
print(report.verdict, "-", report.diagnosis)
"""),
    code("""
report = sj.check_substitution(("1", region), "Integral(1/3, (u, 1, 4), (v, 2, 3))", T)
print(report.verdict, "-", report.diagnosis)
"""),
    md("""
The picture makes the substitution concrete: the curved region between the four
parabolas on the left becomes the rectangle on the right.
"""),
    code("""
sj.plot_transform(T, "1 <= u <= 4, 2 <= v <= 3")
"""),
]


DENSITIES = [
    md("""
# Densities under a change of variables

If `X` has density `f_X` and `Y = g(X)`, then `f_Y(y) = Σ_k f_X(h_k(y)) |det Dh_k(y)|`,
summed over every real inverse branch `h_k` (each way of solving `y = g(x)` for `x`;
`Dh_k` is its Jacobian matrix), and zero outside the support of `Y`.
`transform_density` finds the branches, keeps the absolute values, states the
support and names the family when it recognises one; `verify_density` checks the
result against a seeded Monte Carlo sample.
"""),
    code("""
%matplotlib inline
import symjac as sj
"""),
    md("""
## The square of a standard normal

`y = x²` has two inverse branches, `x = √y` and `x = -√y`; both contribute.
"""),
    code("""
d = sj.transform_density("exp(-x**2/2)/sqrt(2*pi)", sj.Transform.from_equations("y = x**2"),
                         support="-oo < x < oo")
d.pdf
"""),
    code("""
for branch in d.branches:
    print(branch)
print("support:", d.support, " family:", d.family)
"""),
    md("The check integrates the density to 1 and compares it with a sample of `X²`:"),
    code("print(sj.verify_density(d, seed=0))"),
    md("""
## A sum of two exponentials

`y = x1 + x2` maps two variables to one. symjac completes the map with an
auxiliary variable, transforms, and integrates the auxiliary out over its exact
range (here `0 < w < y`). The rate `lam` stays a symbol.
"""),
    code("""
d = sj.transform_density("lam**2*exp(-lam*(x1 + x2))", sj.Transform.from_equations("y = x1 + x2"),
                         support="x1 > 0, x2 > 0, lam > 0")
print("auxiliary:", d.auxiliary, " family:", d.family)
d.pdf
"""),
    md("""
## The steps, for a write-up

Every density carries its derivation. Print it to compare with your own working,
or turn it into LaTeX for a write-up with `sj.to_latex(d, steps=True)`.
"""),
    code("print(d.steps)"),
    code("print(sj.to_latex(d, steps=True))"),
    md("""
## A picture

The derived density over a histogram of samples of `X²`:
"""),
    code("""
import numpy as np

x = np.random.default_rng(1).standard_normal(20_000)
d = sj.transform_density("exp(-x**2/2)/sqrt(2*pi)", sj.Transform.from_equations("y = x**2"),
                         support="-oo < x < oo")
sj.plot_density(d, samples=x**2)
"""),
]


OPERATORS = [
    md("""
# Curvilinear operators

Gradient, divergence, curl and Laplacian look different in polar, cylindrical or
spherical coordinates, and the textbook formulas are easy to misremember. symjac
derives them from the map itself: the metric `g = JᵀJ`, its scale factors, and
`|det J|`.
"""),
    code("""
import sympy as sp
import symjac as sj

S = sj.system("spherical")
sj.metric_tensor(S)
"""),
    md("The spherical coordinates are orthogonal, so three scale factors say it all:"),
    code("sj.scale_factors(S)"),
    md("""
## The Laplacian of 1/r

The potential of a point charge is harmonic away from the origin. In Cartesian
coordinates that takes some algebra; in spherical coordinates it is immediate:
"""),
    code("sj.laplacian('1/r', S), sj.laplacian('r**2', S)"),
    md("For an unknown function you get the general formula, the one in the textbooks:"),
    code("""
r, theta, phi = S.inputs
f = sp.Function("f")(r, theta, phi)
sj.laplacian(f, S)
"""),
    md("""
## Divergence and curl

The radial field `r r̂` spreads out uniformly (divergence 3 in space); the field
`r θ̂` in cylindrical coordinates is a rigid rotation (curl `2 ẑ`).
"""),
    code("""
C = sj.system("cylindrical")
sj.divergence("r, 0, 0", S), sj.curl("0, r, 0", C).T
"""),
    md("Each operator can also explain itself:"),
    code("""
res = sj.operator_analysis("curl", "0, r, 0", C)
print(res.steps)
"""),
    md("""
## Cartesian derivatives

For plain `x, y` variables the same module gives gradients, Hessians and the
products with a vector that optimisation codes need (JVP, VJP, HVP).
"""),
    code("""
sj.gradient("x**2*y + sin(y)", "x, y").T, sj.hessian("x**2*y + sin(y)", "x, y")
"""),
    code("sj.hvp('x**3 + x*y**2', 'x, y', [1, 0]).T"),
]


NUMBERS = [
    md("""
# Numbers and speed

Every symbolic answer in symjac can be checked with numbers, and every check says
what evidence it has. Symbolic results also turn into fast NumPy functions when you
need them at many points.
"""),
    code("""
import time
import numpy as np
import sympy as sp
import symjac as sj
"""),
    md("""
## Checking an integral

`verify_integral` compares a claimed value with a numerical integration and
returns a `CheckReport`: the verdict, the numbers, and the error estimate.
"""),
    code("""
report = sj.verify_integral("Integral(x*y, (x, 0, 1), (y, 0, 1))", "1/4")
report
"""),
    code("""
wrong = sj.verify_integral("Integral(x*y, (x, 0, 1), (y, 0, 1))", 0.3)
wrong.verdict, wrong.passed
"""),
    md("""
Regions given by inequalities are integrated too, here the area of the unit disc
(π) and the second moment `∬ x² + y² dx dy = π/2`:
"""),
    code("""
disc = "x**2 + y**2 <= 1"
box = {"x": (-1, 1), "y": (-1, 1)}
print(sj.integrate_over_region("1", "x y", disc, box=box))
print(sj.integrate_over_region("x**2 + y**2", "x y", disc, box=box), "vs", float(sp.pi / 2))
"""),
    md("""
## Compiled Jacobians

`lambdify_batched` turns a symbolic matrix into a NumPy function that evaluates it
at many points at once (with common subexpressions computed once). Compare with
substituting numbers into the SymPy matrix point by point:
"""),
    code("""
S = sj.system("spherical")
J = sj.jacobian(S)
fast = sj.lambdify_batched(J, S.inputs)

rng = np.random.default_rng(0)
points = rng.uniform([0.5, 0.1, 0.0], [2.0, 3.0, 6.0], size=(20_000, 3))

start = time.perf_counter()
values = fast(points)
t_fast = time.perf_counter() - start

few = points[:50]
start = time.perf_counter()
slow = [np.array(J.xreplace(dict(zip(S.inputs, p))).evalf(), dtype=float) for p in few]
t_slow = (time.perf_counter() - start) * len(points) / len(few)

print(f"compiled: {t_fast * 1e3:.1f} ms for {len(points)} points")
print(f"SymPy substitution: about {t_slow:.1f} s for the same points ({t_slow / t_fast:.0f}x slower)")
print("same values:", np.allclose(values[:50], np.array(slow)))
"""),
    md("""
## Checking a Jacobian

`check_jacobian` compares the symbolic Jacobian with derivatives computed
numerically at random points (seeded, so the check is repeatable), and says
how large the worst disagreement was:
"""),
    code("sj.check_jacobian(sj.system('spherical'), seed=0)"),
    md("""
## Determinants agree with the numbers

The symbolic volume element `r² sin θ` must equal `|det J|` computed numerically
from the compiled Jacobian at every point:
"""),
    code("""
vol = sp.lambdify(S.inputs, sj.volume_element(S), "numpy")
numeric = np.abs(np.linalg.det(values))
symbolic = vol(*points.T)
np.max(np.abs(numeric - symbolic) / symbolic)
"""),
    md("""
## How sensitive is a map?

`noise_sensitivity` perturbs the input with small noise and compares the spread of
the output with the exact answer from the Jacobian (`||J||_F² / n`).
"""),
    code("""
est = sj.noise_sensitivity(sj.system("polar"), [2.0, 0.5], seed=1)
est.exact, est.agrees()
"""),
]


NOTEBOOKS = {
    "01_tour.ipynb": TOUR,
    "02_homework_substitutions.ipynb": HOMEWORK,
    "03_densities.ipynb": DENSITIES,
    "04_curvilinear_operators.ipynb": OPERATORS,
    "05_numbers_and_speed.ipynb": NUMBERS,
}


def build(cells: list[nbformat.NotebookNode]) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.cells = cells
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    return nb


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for name, cells in NOTEBOOKS.items():
        nb = build(cells)
        for i, cell in enumerate(nb.cells):  # stable ids keep diffs small
            cell["id"] = f"{Path(name).stem[:2]}-{i:02d}"
        nbformat.validate(nb)
        nbformat.write(nb, OUT / name)


if __name__ == "__main__":
    main()
