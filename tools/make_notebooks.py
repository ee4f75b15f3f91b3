"""Write the notebooks in ``notebooks/`` from the cell lists below, run them, and store their outputs.

The notebooks are generated so they stay short and consistent; edit the cells
here and run ``make notebooks`` (``python tools/make_notebooks.py``). Each
notebook is executed in a fresh kernel that imports symjac from this tree, and
stored with its outputs, so a reader on GitHub (and the documentation site)
sees the results. Volatile metadata is left out (no timings, no interpreter
version, execution counts 1, 2, 3, ...), so running it again changes nothing
unless a result changed. ``python tools/make_notebooks.py --check`` exits 1 if a
stored output is no longer what the code gives; the test suite does the same
(tests/test_notebooks.py). A cell tagged ``volatile-output`` (a timing) is run
but its output is not compared.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import warnings
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "notebooks"
CELL_TIMEOUT = 120  # seconds; a cell that hangs fails instead of blocking
VOLATILE = "volatile-output"
COMPARED = ("text/plain", "text/latex", "text/markdown")


def md(text: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_markdown_cell(text.strip())


def code(text: str, *tags: str) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(text.strip())
    if tags:
        cell.metadata["tags"] = list(tags)
    return cell


TOUR = [
    md(r"""
# A tour of symjac

symjac computes Jacobians and changes of variables the way you would on paper,
explains each step, and checks the result with numbers. This notebook shows the
basics: a map, its Jacobian, the named coordinate systems and the volume element.
"""),
    code("""
%matplotlib inline
import symjac as sj
"""),
    md(r"""
## A map and its Jacobian

A `Transform` is a map `outputs = exprs(inputs)` with a domain. Here the
substitution $u = x^2/y$, $v = y^2/x$ on the quarter plane $x > 0, y > 0$.
"""),
    code("""
T = sj.Transform.from_equations("u = x**2/y, v = y**2/x", domain="x > 0, y > 0")
T
"""),
    md(r"The Jacobian is always ∂ outputs / ∂ inputs, here ∂(u, v)/∂(x, y):"),
    code("sj.jacobian(T)"),
    code("sj.jacobian_determinant(T)"),
    md(r"""
The determinant is the constant 3: $du\,dv = 3\,dx\,dy$, so $dx\,dy = \tfrac{1}{3}\,du\,dv$.
`jacobian_analysis` gives everything at once, and shows itself as a formula:
"""),
    code("""
a = sj.jacobian_analysis(T)
a
"""),
    md(r"And it remembers how it got there, step by step (`print(a.steps)` gives the same as plain text):"),
    code("a.steps"),
    md(r"""
## Named coordinate systems

Polar, cylindrical, spherical and a dozen more come ready-made, each with its
standard domain. They are parametrisations: curvilinear inputs, Cartesian outputs.
"""),
    code("[s.name for s in sj.available_systems()]"),
    code("""
S = sj.system("spherical")
S
"""),
    code("sj.volume_element(S)"),
    md(r"The same works in any dimension:"),
    code("sj.volume_element(sj.system('hyperspherical', n=4))"),
    md(r"""
## The volume element needs the domain

The volume element is $\lvert\det J\rvert$. symjac drops the absolute value only when the
domain proves the sign. Without $r > 0$, the radius could be negative:
"""),
    code("""
free = sj.Transform.from_equations("x = r*cos(t), y = r*sin(t)")
sj.volume_element(free), sj.volume_element(free.restrict("r > 0"))
"""),
    md(r"""
A reflection reverses orientation (negative determinant) but keeps areas, and a
curve has no square Jacobian at all: its volume element is the length element
$\sqrt{\det(J^\mathsf{T} J)}$.
"""),
    code("""
R = sj.Transform.from_equations("u = -x, v = y")
curve = sj.Transform.from_equations("x = t, y = t**2")
sj.jacobian_determinant(R), sj.volume_element(R), sj.volume_element(curve)
"""),
    md(r"""
## Seeing the map

`plot_transform` draws how a grid and a region in the inputs land in the outputs.
The rectangle $1 \le u \le 4, 2 \le v \le 3$ comes from a curved region between parabolas.
"""),
    code("""
sj.plot_transform(T, "1 <= u <= 4, 2 <= v <= 3")
"""),
    md(r"""
## Writing it up

`to_latex` turns any result into LaTeX; with `document=True` it is a complete
document that `pdflatex` compiles. This is the source to paste into your notes
(the derivation above is the same, typeset):
"""),
    code("print(sj.to_latex(a, steps=True))"),
]


HOMEWORK = [
    md(r"""
# Checking a homework substitution

The exercise: find the area of the region *D* in the first quadrant bounded by the
parabolas $y = x^2$, $y = x^2/4$, $x = y^2/2$ and $x = y^2/3$, using the substitution
$u = x^2/y$, $v = y^2/x$.

In the new variables the region is the rectangle $1 \le u \le 4, 2 \le v \le 3$. The only
real work is the Jacobian.
"""),
    code("""
%matplotlib inline
import numpy as np
import sympy as sp
import symjac as sj

T = sj.Transform.from_equations("u = x**2/y, v = y**2/x", domain="x > 0, y > 0")
a = sj.jacobian_analysis(T)
a.steps
"""),
    md(r"""
The Jacobian of `T` is $\partial(u, v)/\partial(x, y) = 3$, so $du\,dv = 3\,dx\,dy$ and
$dx\,dy = \tfrac{1}{3}\,du\,dv$. The area is the integral of $1/3$ over the rectangle:
"""),
    code("""
u, v = T.outputs
area = sp.integrate(1 / a.volume_element, (u, 1, 4), (v, 2, 3))
area
"""),
    md(r"""
## A wrong answer and its diagnosis

A classic mistake: using $\lvert \partial (u, v)/\partial (x, y)\rvert$ itself as the factor, i.e. writing
$dx\,dy = 3\,du\,dv$. That gives an area of 9. Which one is right?

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
    md(r"""
The numbers agree with `1`, not with `9`. The diagnosis: the substitution was given
as $(u, v)$ in terms of $(x, y)$, so its Jacobian converts $dx\,dy$ *into* $du\,dv$;
to go back you divide by it (the inverse map's Jacobian is $1/3$).

symjac's `Transform` never hides the direction: the Jacobian is always
∂ outputs / ∂ inputs, here ∂(u, v)/∂(x, y).

`check_substitution` does this comparison for you and names the mistake:
"""),
    code("""
region = "1 <= x**2/y <= 4, 2 <= y**2/x <= 3, x > 0, y > 0"
report = sj.check_substitution(("1", region), "Integral(3, (u, 1, 4), (v, 2, 3))", T)
report
"""),
    md(r"The report names the mistake in a word too, for a script that grades a whole class:"),
    code("report.verdict, report.mistakes"),
    code("""
sj.check_substitution(("1", region), "Integral(1/3, (u, 1, 4), (v, 2, 3))", T)
"""),
    md(r"""
The picture makes the substitution concrete: the curved region between the four
parabolas on the left becomes the rectangle on the right.
"""),
    code("""
sj.plot_transform(T, "1 <= u <= 4, 2 <= v <= 3")
"""),
]


DENSITIES = [
    md(r"""
# Densities under a change of variables

If $X$ has density $f_X$ and $Y = g(X)$, then $f_Y(y) = \sum_k f_X(h_k(y)) \lvert \det Dh_k(y)\rvert$,
summed over every real inverse branch $h_k$ (each way of solving $y = g(x)$ for $x$;
$Dh_k$ is its Jacobian matrix), and zero outside the support of $Y$.
`transform_density` finds the branches, keeps the absolute values, states the
support and names the family when it recognises one; `verify_density` checks the
result against a seeded Monte Carlo sample.
"""),
    code("""
%matplotlib inline
import symjac as sj
"""),
    md(r"""
## The square of a standard normal

$y = x^2$ has two inverse branches, $x = \sqrt{y}$ and $x = -\sqrt{y}$; both contribute.
"""),
    code("""
d = sj.transform_density("exp(-x**2/2)/sqrt(2*pi)", sj.Transform.from_equations("y = x**2"),
                         support="-oo < x < oo")
d.pdf
"""),
    md(r"Each branch is an inverse map with its part of the support:"),
    code("[branch.inverse for branch in d.branches]"),
    md(r"The support, the part of the line where the density is positive (the family is in the formula above):"),
    code("d.support"),
    md(r"The check integrates the density to 1 and compares it with a sample of $X^2$:"),
    code("sj.verify_density(d, seed=0)"),
    md(r"""
## A sum of two exponentials

$y = x_1 + x_2$ maps two variables to one. symjac completes the map with an
auxiliary variable, transforms, and integrates the auxiliary out over its exact
range (here $0 < w < y$). The rate `lam` stays a symbol.
"""),
    code("""
d = sj.transform_density("lam**2*exp(-lam*(x1 + x2))", sj.Transform.from_equations("y = x1 + x2"),
                         support="x1 > 0, x2 > 0, lam > 0")
d
"""),
    md(r"The auxiliary variable that completed the map, paired with the variable it replaced:"),
    code("d.auxiliary"),
    md(r"""
## The steps, for a write-up

Every density carries its derivation, to compare with your own working
(`print(d.steps)` gives it as plain text, and `sj.to_latex(d, steps=True)` as
LaTeX for a write-up):
"""),
    code("d.steps"),
    md(r"""
## A picture

The derived density over a histogram of samples of $X^2$:
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
    md(r"""
# Curvilinear operators

Gradient, divergence, curl and Laplacian look different in polar, cylindrical or
spherical coordinates, and the textbook formulas are easy to misremember. symjac
derives them from the map itself: the metric $g = J^\mathsf{T}J$, its scale factors, and
$\lvert\det J\rvert$.
"""),
    code("""
import sympy as sp
import symjac as sj

S = sj.system("spherical")
sj.metric_tensor(S)
"""),
    md(r"The spherical coordinates are orthogonal, so three scale factors say it all:"),
    code("sj.scale_factors(S)"),
    md(r"""
## The Laplacian of 1/r

The potential of a point charge is harmonic away from the origin. In Cartesian
coordinates that takes some algebra; in spherical coordinates it is immediate:
"""),
    code("sj.laplacian('1/r', S), sj.laplacian('r**2', S)"),
    md(r"For an unknown function you get the general formula, the one in the textbooks:"),
    code("""
r, theta, phi = S.inputs
f = sp.Function("f")(r, theta, phi)
sj.laplacian(f, S)
"""),
    md(r"""
## Divergence and curl

The radial field `r r̂` spreads out uniformly (divergence 3 in space); the field
$r\,\hat{\theta}$ in cylindrical coordinates is a rigid rotation (curl $2\,\hat{z}$).
"""),
    code("""
C = sj.system("cylindrical")
sj.divergence("r, 0, 0", S), sj.curl("0, r, 0", C).T
"""),
    md(r"Each operator can also explain itself:"),
    code("""
res = sj.operator_analysis("curl", "0, r, 0", C)
res.steps
"""),
    md(r"""
## Cartesian derivatives

For plain $x, y$ variables the same module gives gradients, Hessians and the
products with a vector that optimisation codes need (JVP, VJP, HVP).
"""),
    code("""
sj.gradient("x**2*y + sin(y)", "x, y").T, sj.hessian("x**2*y + sin(y)", "x, y")
"""),
    code("sj.hvp('x**3 + x*y**2', 'x, y', [1, 0]).T"),
]


NUMBERS = [
    md(r"""
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
    md(r"""
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
    md(r"""
Regions given by inequalities are integrated too, here the area of the unit disc
(π) and the second moment $\iint (x^2 + y^2)\, dx\, dy = \pi/2$:
"""),
    code("""
disc = "x**2 + y**2 <= 1"
box = {"x": (-1, 1), "y": (-1, 1)}
sj.integrate_over_region("1", "x y", disc, box=box)
"""),
    code("""
moment = sj.integrate_over_region("x**2 + y**2", "x y", disc, box=box)
moment
"""),
    code("round(moment.value, 10) == round(float(sp.pi / 2), 10)  # the exact value is π/2"),
    md(r"""
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
""", VOLATILE),
    md(r"""
## Checking a Jacobian

`check_jacobian` compares the symbolic Jacobian with derivatives computed
numerically at random points (seeded, so the check is repeatable), and says
how large the worst disagreement was:
"""),
    code("sj.check_jacobian(sj.system('spherical'), seed=0)"),
    md(r"""
## Determinants agree with the numbers

The symbolic volume element $r^2 \sin \theta$ must equal $\lvert\det J\rvert$ computed numerically
from the compiled Jacobian at every point:
"""),
    code("""
vol = sp.lambdify(S.inputs, sj.volume_element(S), "numpy")
numeric = np.abs(np.linalg.det(values))
symbolic = vol(*points.T)
np.max(np.abs(numeric - symbolic) / symbolic)  # the largest relative difference: rounding only
""", VOLATILE),
    md(r"""
## How sensitive is a map?

`noise_sensitivity` perturbs the input with small noise and compares the spread of
the output with the exact answer from the Jacobian ($\lVert J\rVert_F^2 / n$).
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


def build(name: str, cells: list[nbformat.NotebookNode]) -> nbformat.NotebookNode:
    """A notebook of the cells, with stable cell ids (they keep diffs small), not yet run."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.from_dict(cell) for cell in cells]  # copies: running one fills its outputs
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"{Path(name).stem[:2]}-{i:02d}"
    _clean_metadata(nb)
    return nb


def _clean_metadata(nb: nbformat.NotebookNode) -> None:
    nb.metadata = nbformat.from_dict({
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"}})
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        for output in cell.get("outputs", []):
            output.get("metadata", {}).pop("execution", None)


def execute(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Run the notebook in a fresh kernel that imports symjac from this tree; volatile metadata removed."""
    import nbclient

    os.environ["PYTHONPATH"] = os.pathsep.join(
        [str(ROOT)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p])
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    with tempfile.TemporaryDirectory() as scratch, warnings.catch_warnings():
        # jupyter_client/jupyter_core announce future changes of their own; not ours to fix
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.simplefilter("ignore", RuntimeWarning)
        client = nbclient.NotebookClient(nb, timeout=CELL_TIMEOUT, kernel_name="python3",
                                         record_timing=False,
                                         resources={"metadata": {"path": scratch}})
        client.execute()
    _clean_metadata(nb)
    return nb


def errors(nb: nbformat.NotebookNode) -> list[str]:
    """The error outputs of a run notebook, as ``"cell N: Name: message"``."""
    return [f"cell {i}: {out.get('ename')}: {out.get('evalue')}"
            for i, cell in enumerate(nb.cells) if cell.cell_type == "code"
            for out in cell.get("outputs", []) if out.output_type == "error"]


def _normal(text: object) -> str:
    text = "".join(text) if isinstance(text, list) else str(text)
    return re.sub(r"0x[0-9a-f]{6,}", "0x...", text).rstrip()


def comparable(nb: nbformat.NotebookNode) -> list[list[tuple[str, str]]]:
    """What a reader sees of each code cell, as text: its streams and its text, LaTeX and
    Markdown outputs (a picture counts as one, by its presence); volatile cells as ``[]``."""
    out = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        shown: list[tuple[str, str]] = []
        if VOLATILE not in cell.metadata.get("tags", []):
            for output in cell.outputs:
                if output.output_type == "stream":
                    shown.append((output.name, _normal(output.text)))
                elif output.output_type == "error":
                    shown.append(("error", f"{output.ename}: {output.evalue}"))
                else:
                    data = output.get("data", {})
                    shown += [(mime, _normal(data[mime])) for mime in COMPARED if mime in data]
                    if "image/png" in data:
                        shown.append(("image/png", "a picture"))
        out.append(shown)
    return out


def stale(name: str) -> list[str]:
    """How the stored notebook differs from a fresh run of the cells above; empty when it is current."""
    path = OUT / name
    if not path.exists():
        return [f"{name} does not exist"]
    stored = nbformat.read(path, as_version=4)
    fresh = execute(build(name, NOTEBOOKS[name]))
    problems = [f"{name}: {e}" for e in errors(fresh)]
    if [c.source for c in stored.cells] != [c.source for c in fresh.cells]:
        problems.append(f"{name}: the cells differ from tools/make_notebooks.py")
    for i, (old, new) in enumerate(zip(comparable(stored), comparable(fresh))):
        if old != new:
            problems.append(f"{name}: code cell {i} shows {old!r}, a fresh run shows {new!r}")
    return problems


def write(name: str) -> nbformat.NotebookNode:
    """Build, run and store one notebook; raises if a cell fails."""
    nb = execute(build(name, NOTEBOOKS[name]))
    failed = errors(nb)
    if failed:
        raise RuntimeError(f"{name}: " + "; ".join(failed))
    nbformat.validate(nb)
    OUT.mkdir(exist_ok=True)
    nbformat.write(nb, OUT / name)
    return nb


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="only compare the stored outputs with a fresh run; exit 1 if stale")
    parser.add_argument("names", nargs="*", help="notebook file names (default: all)")
    args = parser.parse_args(argv)
    names = args.names or list(NOTEBOOKS)
    if args.check:
        problems = [p for name in names for p in stale(name)]
        print("\n".join(problems) or "the stored outputs are current")
        return 1 if problems else 0
    for name in names:
        write(name)
        print(f"wrote notebooks/{name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
