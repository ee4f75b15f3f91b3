"""LaTeX export: known snippets, escaping of sentences, and documents that pdflatex compiles."""

from __future__ import annotations

import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
import sympy as sp

import symjac as sj
from symjac.cli import _command_modules, main
from symjac.derivation import Derivation
from symjac.latex import latex_expr, latex_label, latex_text, to_latex

PDFLATEX = shutil.which("pdflatex")


def compile_latex(source: str, directory: Path) -> None:
    """Compile with pdflatex and fail with the log's error lines if it does not."""
    if PDFLATEX is None:
        pytest.skip("pdflatex is not installed")
    tex = directory / "doc.tex"
    tex.write_text(source, encoding="utf-8")
    proc = subprocess.run(
        [PDFLATEX, "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape", tex.name],
        cwd=directory, capture_output=True, text=True, timeout=120)
    errors = [line for line in proc.stdout.splitlines() if line.startswith("!")]
    assert proc.returncode == 0, f"pdflatex failed: {errors}\n{source}"
    assert (directory / "doc.pdf").stat().st_size > 1000


# ---------------------------------------------------------------- snippets


def test_polar_analysis_snippet():
    # the textbook result: J = [[cos, -r sin], [sin, r cos]], and the Jacobian
    # d(x, y)/d(r, theta) is its determinant, r cos^2 + r sin^2 = r, so dx dy = r dr dtheta
    text = to_latex(sj.jacobian_analysis(sj.system("polar")))
    assert text.startswith(r"J = \left[\begin{matrix}\cos{\left(\theta \right)} & - r \sin")
    assert (r"\frac{\partial(x, y)}{\partial(r, \theta)} = \begin{vmatrix}\cos{\left(\theta \right)} & "
            r"- r \sin{\left(\theta \right)}\\\sin{\left(\theta \right)} & r \cos{\left(\theta \right)}"
            r"\end{vmatrix} = r \sin^{2}{\left(\theta \right)} + r \cos^{2}{\left(\theta \right)} = r") in text
    assert text.endswith(r"dx\,dy = r\,dr\,d\theta")
    assert r"\det J" not in text


def test_spherical_volume_element_snippet():
    text = to_latex(sj.jacobian_analysis(sj.system("spherical")))
    assert r"\frac{\partial(x, y, z)}{\partial(r, \theta, \phi)}" in text
    # dx dy dz = r^2 sin(theta) dr dtheta dphi
    assert text.endswith(r"dx\,dy\,dz = r^{2} \sin{\left(\theta \right)}\,dr\,d\theta\,d\phi")


def test_pseudo_determinant_snippet():
    # a curve (t) -> (t, t**2): sqrt(det(J^T J)) = sqrt(1 + 4 t^2)
    t = sj.Transform.from_equations("x = t, y = t**2")
    text = to_latex(sj.jacobian_analysis(t))
    assert r"\sqrt{\det\left(J^{T} J\right)} = \sqrt{4 t^{2} + 1}" in text


def test_substitution_transform_snippet():
    t = sj.Transform.from_equations("u = x**2/y, v = y**2/x", domain="x > 0, y > 0")
    assert to_latex(t) == (r"u = \frac{x^{2}}{y},\quad v = \frac{y^{2}}{x}"
                           r"\qquad \left(x > 0,\ y > 0\right)")
    assert to_latex(sj.jacobian_determinant(t)) == "3"


def test_conventions_atan2_integral_greek():
    x, y, theta, rho = sp.symbols("x y theta rho")
    assert latex_expr(sp.atan2(y, x)) == r"\operatorname{atan2}\left(y, x\right)"
    assert latex_expr(sp.atan2(y, x) ** 2) == r"\operatorname{atan2}^{2}\left(y, x\right)"
    integral = sp.Integral(x * y, (x, 0, 1), (y, 0, 2))
    assert latex_expr(integral) == r"\int\limits_{0}^{2}\int\limits_{0}^{1} x y\,dx\,dy"
    assert latex_expr(rho * sp.cos(theta)) == r"\rho \cos{\left(\theta \right)}"


def test_labels():
    assert latex_label("det J⁻¹") == r"\det J^{-1}"
    assert latex_label("div F") == r"\nabla\cdot \mathbf{F}"
    assert latex_label("J") == "J"
    assert latex_label("det J") == r"\det J"
    assert latex_label("|det J|") == r"\left|\det J\right|"
    assert latex_label("theta") == r"\theta"
    assert latex_label("f_Y") == "f_{Y}"
    assert latex_label("image of R") == r"\text{image of R}"


@pytest.mark.parametrize("text, expected", [
    ("50% & $5 #1 a_b {c} ~ ^", r"50\% \& \$5 \#1 a\_b \{c\} \~{} \^{}"),
    ("back\\slash", r"back\textbackslash{}slash"),
    ("JᵀJ and x² and ∂x", r"J$^{T}$J and x$^{2}$ and $\partial$x"),
    ("|.| kept; |x| < 1 <= 2", r"$|\cdot|$ kept; $|$x$|$ $<$ 1 $\le$ 2"),
    ("θ ∈ (0, 2π) → φ", r"$\theta$ $\in$ (0, 2$\pi$) $\to$ $\phi$"),
    ("unknown ☃ glyph", "unknown ? glyph"),
])
def test_sentences_are_escaped(text, expected):
    assert latex_text(text) == expected


def test_steps_as_align():
    d = Derivation().then("Differentiate (∂x/∂r).", {"J": sp.Matrix([[1, 0], [0, 2]])}) \
        .then("No formula here.").then("Take |.|.", {"|det J|": 2})
    text = to_latex(d)
    assert text.startswith("\\begin{align*}\n\\intertext{1. Differentiate ($\\partial$x/$\\partial$r).}")
    assert "\\intertext{2. No formula here.}\n\\intertext{3. Take $|\\cdot|$.}\n" \
           "\\left|\\det J\\right| &= 2\n\\end{align*}" in text
    assert to_latex(d) == to_latex(d, steps=True)


def test_steps_follow_the_result():
    a = sj.jacobian_analysis(sj.system("polar"))
    text = to_latex(a, steps=True)
    head, align = text.split("\n", 1)
    assert head == to_latex(a)
    assert align.startswith("\\begin{align*}") and align.endswith("\\end{align*}")
    assert align.count("\\intertext{") == len(a.steps)
    assert "where $r = 0$." in align  # conditions read as equations, not Eq(r, 0)


def test_jupyter_reprs():
    a = sj.jacobian_analysis(sj.system("polar"))
    # display math, so that matrices and double integrals are full size
    assert a._repr_latex_() == "$$" + to_latex(a) + "$$"
    assert sj.system("polar")._repr_latex_().startswith("$$x = r")
    md = a.steps._repr_markdown_()
    assert md.startswith("1. Differentiate each output ($x,\\ y$)")
    assert "$$\\begin{aligned}J &= \\left[\\begin{matrix}" in md
    assert "\\intertext" not in a.steps._repr_latex_()  # MathJax has no \intertext
    assert "\\text{" not in md  # sentences are Markdown paragraphs, which wrap


def test_check_report_shows_as_markdown_in_jupyter():
    report = sj.check_jacobian(sj.system("polar"), seed=0)
    md = report._repr_markdown_()
    head, body = md.split("\n\n", 1)
    assert head.startswith("**PASSED: ") and head.endswith("**")
    assert "r\\*cos(theta)" in head  # a literal *, not the start of italics
    assert "- method: " in body and "- points: 16, seed 0" in body


def test_numeric_values_show_as_markdown_in_jupyter():
    # ∫∫ x y over the unit square is 1/4
    q = sj.integrate_numerically("x*y", [("x", 0, 1), ("y", 0, 1)])
    assert q._repr_markdown_().startswith("0.25 (error ≤ \\~")
    est = sj.noise_sensitivity(sj.system("polar"), [2.0, 0.5], seed=1)
    md = est._repr_markdown_()
    assert md.startswith("\\|\\|J\\|\\|\\_F² / n at (r = 2, theta = 0.5)") and "exact 2.5" in md


def test_top_level_names():
    from symjac import latex, plotting

    assert sj.to_latex is latex.to_latex
    assert (sj.plot_transform, sj.plot_density) == (plotting.plot_transform, plotting.plot_density)
    assert {"to_latex", "plot_transform", "plot_density"} <= set(sj.__all__)


def test_checker_steps_show_the_correct_integral_as_a_formula():
    t = sj.Transform.from_equations("u = x**2/y, v = y**2/x", domain="x > 0, y > 0")
    r = sj.check_substitution(("x*y", "1 <= x**2/y <= 4, 2 <= y**2/x <= 3, x > 0, y > 0"),
                              "Integral(u*v, (u, 1, 4), (v, 2, 3))", t)
    # dx dy = (1/3) du dv, so the correct integral is of u v / 3 over [1, 4] x [2, 3]
    steps = to_latex(r, steps=True).split("\n", 1)[1]
    assert "&\\int\\limits_{2}^{3}\\int\\limits_{1}^{4} \\frac{u v}{3}\\,du\\,dv" in steps
    assert "\\text{Integral(" not in steps
    assert str(r.steps[0]).endswith("Integral(u*v/3, (u, 1, 4), (v, 2, 3))")


def test_results_use_the_same_conventions_as_formulas():
    # the inverse of polar coordinates: r = sqrt(x² + y²) and an atan2 angle
    text = to_latex(sj.inversion(sj.system("polar")))
    assert "\\operatorname{atan2}\\left(y, - x\\right)" in text and "atan}_{2}" not in text
    t = sj.Transform.from_equations("u = x**2/y, v = y**2/x", domain="x > 0, y > 0")
    ci = sj.change_variables("x*y", t, region="1 <= x**2/y <= 4, 2 <= y**2/x <= 3, x > 0, y > 0")
    assert to_latex(ci) == "\\int\\limits_{2}^{3}\\int\\limits_{1}^{4} \\frac{u v}{3}\\,du\\,dv = \\frac{25}{4}"


def test_object_with_latex_body_and_steps():
    class Result:
        steps = Derivation().then("Compute.", {"I": sp.Rational(1, 3)})

        def _latex_body(self) -> str:
            return r"I = \frac{1}{3}"

    assert to_latex(Result()) == r"I = \frac{1}{3}"
    assert to_latex(Result(), steps=True).startswith("I = \\frac{1}{3}\n\\begin{align*}")
    doc = to_latex(Result(), document=True)
    assert "1. Compute.\n\n\\begin{align*}\nI &= \\frac{1}{3}\n\\end{align*}" in doc
    assert "\\section*{Answer}" not in doc  # the derivation already shows it: not printed twice


# ---------------------------------------------------------------- documents compile


@pytest.mark.parametrize("make", [
    lambda: sj.jacobian_analysis(sj.system("polar")),
    lambda: sj.jacobian_analysis(sj.system("spherical")),
    lambda: sj.jacobian_analysis(sj.Transform.from_equations("u = x**2/y, v = y**2/x")),
    lambda: sj.jacobian_analysis(sj.Transform.from_equations("x = t, y = t**2, z = t**3")),
    lambda: sj.jacobian_analysis(sj.system("hyperspherical", n=4)),
    lambda: sj.system("elliptic"),
    lambda: sp.Integral(sp.atan2(sp.Symbol("y"), sp.Symbol("x")), (sp.Symbol("x"), 0, 1)),
    lambda: Derivation().then("Odd text: 100% & $ # _ { } ~ ^ \\ ᵀ ² ∂ |.| < > ☃ θ → ≤"),
    lambda: Derivation(),
    lambda: sj.inversion(sj.Transform.from_equations("u = x**2")),
    lambda: sj.inversion(sj.Transform.from_equations("u = x**2/y, v = y**2/x",
                                                     domain="x > 0, y > 0")),
    lambda: sj.operator_analysis("laplacian", "1/r", sj.system("spherical")),
    lambda: sj.operator_analysis("curl", "0, r, 0", sj.system("cylindrical")),
    lambda: sj.composition_bound(sj.Transform.from_equations("z = u*v", inputs="u v"),
                                 sj.Transform.from_equations("u = x + y, v = x - y", inputs="x y")),
    lambda: sj.verify_integral("Integral(x*y, (x, 0, 1), (y, 0, 1))", "1/4"),
    lambda: sj.change_variables("x*y", sj.Transform.from_equations("u = x**2/y, v = y**2/x"),
                                region="1 <= x**2/y <= 4, 2 <= y**2/x <= 3, x > 0, y > 0"),
    lambda: sj.check_substitution(("x*y", "1 <= x**2/y <= 4, 2 <= y**2/x <= 3, x > 0, y > 0"),
                                  "Integral(u*v, (u, 1, 4), (v, 2, 3))",
                                  sj.Transform.from_equations("u = x**2/y, v = y**2/x")),
    lambda: sj.transform_density("exp(-x**2/2)/sqrt(2*pi)",
                                 sj.Transform.from_equations("y = x**2"), support="-oo < x < oo"),
], ids=["polar", "spherical", "substitution", "curve", "hyperspherical", "transform",
        "integral", "awkward-text", "no-steps", "inverse-branches", "inverse-monomial", "laplacian", "curl",
        "composition-bound", "check-report", "changed-integral", "homework-report", "density"])
def test_documents_compile(make, tmp_path):
    compile_latex(to_latex(make(), document=True), tmp_path)


@pytest.mark.parametrize("argv", [
    ["demo"],
    ["jacobian", "u = x**2/y, v = y**2/x", "--domain", "x > 0, y > 0"],
    ["jacobian", "--system", "cylindrical"],
    ["systems", "parabolic"],
], ids=["demo", "jacobian", "jacobian-system", "systems"])
def test_cli_documents_compile(argv, tmp_path, capsys):
    out = tmp_path / "out.tex"
    assert main([*argv, "--latex", "--document", "--output", str(out)]) == 0
    assert f"wrote {out}" in capsys.readouterr().out
    compile_latex(out.read_text(encoding="utf-8"), tmp_path)


def test_cli_latex_snippet(capsys):
    assert main(["jacobian", "--system", "polar", "--latex"]) == 0
    assert capsys.readouterr().out.strip() == to_latex(sj.jacobian_analysis(sj.system("polar")))


def test_cli_document_needs_latex(capsys):
    assert main(["jacobian", "--system", "polar", "--document"]) == 2
    assert "--document goes with --latex" in capsys.readouterr().err


def test_cli_latex_without_a_formula_is_a_usage_error(capsys):
    assert main(["systems", "--latex"]) == 2
    assert "has no LaTeX output" in capsys.readouterr().err


def _first_examples() -> list[tuple[str, list[str]]]:
    """The first example of each command's help (its EPILOG), as an argument list."""
    found = []
    for module in _command_modules():
        if module.NAME == "serve":  # starts a server: no result to write (it refuses --latex)
            continue
        text = (getattr(module, "EPILOG", None) or "").replace("\\\n", " ")  # join continued lines
        lines = [line.strip() for line in text.splitlines()]
        examples = [line for line in lines if line.startswith("symjac ")]
        if examples:
            argv = [a for a in shlex.split(examples[0])[1:] if a not in ("--json", "--latex")]
            found.append((module.NAME, argv))
    return found


@pytest.mark.parametrize("name, argv", _first_examples(), ids=[n for n, _ in _first_examples()])
def test_every_command_example_writes_a_compilable_document(name, argv, tmp_path, monkeypatch,
                                                            capsys):
    monkeypatch.chdir(tmp_path)  # examples may write pictures
    out = tmp_path / "out.tex"
    assert main([*argv, "--latex", "--document", "--output", str(out)]) == 0, \
        capsys.readouterr().err
    compile_latex(out.read_text(encoding="utf-8"), tmp_path)
