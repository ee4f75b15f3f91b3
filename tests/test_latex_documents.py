"""Standalone documents read like worked solutions: they compile without an overfull line, keep
formulas out of text mode, state their problem, and render to pictures that can be looked at.

Every ``symjac`` command shown in the README and in docs/ that has LaTeX output is run with
``--latex --document``, and the same results made in Python are written with
``to_latex(..., document=True)``. Each document is compiled with pdflatex and its log read:
an ``Overfull \\hbox`` means text or a formula runs past the margin, where the reader loses it.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

import symjac as sj
from symjac.cli import main
from symjac.latex import to_latex

from test_docs_commands import PAGES, shown_commands

PDFLATEX = shutil.which("pdflatex")
PDFTOPPM = shutil.which("pdftoppm")
ROOT = Path(__file__).resolve().parent.parent

#: Text in \text{...} that is a formula typed as words: an operator, a sub- or superscript,
#: a slash, a star, or the name of a function.
FORMULA_LIKE = re.compile(r"[=^_/*]|\b(sqrt|sin|cos|tan|exp|log|det|atan2|int|sum|abs)\b")


def compile_pdf(source: str, directory: Path, name: str = "doc") -> str:
    """Compile with pdflatex; return the log. Fails with the log's error lines if it does not."""
    if PDFLATEX is None:
        pytest.skip("pdflatex is not installed")
    (directory / f"{name}.tex").write_text(source, encoding="utf-8")
    proc = subprocess.run(
        [PDFLATEX, "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape", f"{name}.tex"],
        cwd=directory, capture_output=True, text=True, timeout=120)
    errors = [line for line in proc.stdout.splitlines() if line.startswith("!")]
    assert proc.returncode == 0, f"pdflatex failed: {errors}\n{source}"
    return (directory / f"{name}.log").read_text(encoding="latin-1")


def text_mode_contents(source: str) -> list[str]:
    r"""The contents of every ``\text{...}`` (braces matched), ``\intertext`` excluded: a
    sentence there is a paragraph whose formulas are in ``$...$``."""
    found = []
    for m in re.finditer(r"\\text\{", source):
        depth, i = 1, m.end()
        while i < len(source) and depth:
            depth += {"{": 1, "}": -1}.get(source[i], 0)
            i += 1
        found.append(source[m.end():i - 1])
    return found


def test_text_mode_heuristic():
    # the heuristic finds what the old write-ups had, and lets words through
    bad = r"\text{$|$det d(x,y)/d(u,v)$|$} &= 1 \quad \text{missing\_jacobian} \text{h\_i = sqrt(g\_ii)}"
    assert [bool(FORMULA_LIKE.search(t)) for t in text_mode_contents(bad)] == [True, True, True]
    good = r"\begin{cases} 1 & \text{for}\: y > 0 \\ 0 & \text{otherwise} \end{cases}\quad\text{for } x"
    assert not any(FORMULA_LIKE.search(t) for t in text_mode_contents(good))


def assert_reads_well(source: str, log: str) -> None:
    overfull = [line for line in log.splitlines() if line.startswith("Overfull \\hbox")]
    assert not overfull, f"lines run past the margin: {overfull}"
    formulas = [t for t in text_mode_contents(source) if FORMULA_LIKE.search(t)]
    assert not formulas, f"formulas typed as text: {formulas}"
    for word in ("scipy", "sympy", "mpmath", "nquad", "\\~{}", "missing\\_jacobian",
                 "verify\\_density", "Branch 0"):
        assert word not in source, word
    # no raw floating-point noise such as 6.25000000000046
    assert not re.search(r"\d\.\d{12,}", source), re.findall(r"\d\.\d{12,}", source)


def _latex_commands() -> list[tuple[str, list[str]]]:
    cases = []
    for path in PAGES:
        for argv in shown_commands(path):
            if any(a in argv for a in ("--batch", "--plot", "--json", "--output", "--document")):
                continue
            if argv[0] in ("systems", "serve", "batch"):
                continue
            argv = [a for a in argv if a not in ("--latex", "--steps")]
            cases.append((f"{path.name}:{' '.join(argv)[:50]}", argv))
    return cases


COMMANDS = _latex_commands()


@pytest.mark.parametrize("name, argv", COMMANDS, ids=[n for n, _ in COMMANDS])
def test_every_shown_command_writes_a_document_that_reads_well(name, argv, tmp_path, capsys):
    out = tmp_path / "out.tex"
    code = main([*argv, "--latex", "--document", "--output", str(out)])
    if code == 2 and "has no LaTeX output" in capsys.readouterr().err:
        pytest.skip("this command has no LaTeX output")
    assert out.exists(), capsys.readouterr().err
    source = out.read_text(encoding="utf-8")
    assert_reads_well(source, compile_pdf(source, tmp_path))


_T = "u = x**2/y, v = y**2/x"
_R = "1 <= x**2/y <= 4, 2 <= y**2/x <= 3, x > 0, y > 0"


def _flagship():
    t = sj.Transform.from_equations(_T, domain="x > 0, y > 0")
    return sj.change_variables("x*y", t, region=_R)


def _wrong_claim():
    t = sj.Transform.from_equations(_T, domain="x > 0, y > 0")
    return sj.check_substitution(("x*y", _R), "Integral(u*v, (u, 1, 4), (v, 2, 3))", t)


def _density():
    return sj.transform_density("exp(-x**2/2)/sqrt(2*pi)", sj.Transform.from_equations("y = x**2"),
                                support="-oo < x < oo")


RESULTS = {
    "flagship-integral": _flagship,
    "check-wrong-answer": _wrong_claim,
    "density-chi-squared": _density,
    "density-uniform-sum": lambda: sj.transform_density(
        "1", sj.Transform.from_equations("y = x1 + x2"), support="0 < x1 < 1, 0 < x2 < 1"),
    "jacobian-polar": lambda: sj.jacobian_analysis(sj.system("polar")),
    "jacobian-spherical": lambda: sj.jacobian_analysis(sj.system("spherical")),
    "jacobian-curve": lambda: sj.jacobian_analysis(sj.Transform.from_equations("x = t, y = t**2")),
    "invert-substitution": lambda: sj.inversion(sj.Transform.from_equations(_T, domain="x > 0, y > 0")),
    "invert-square": lambda: sj.inversion(sj.Transform.from_equations("u = x**2")),
    "invert-polar": lambda: sj.inversion(sj.system("polar")),
    "laplacian-spherical": lambda: sj.operator_analysis("laplacian", "1/r", sj.system("spherical")),
    "curl-cylindrical": lambda: sj.operator_analysis("curl", "0, r, 0", sj.system("cylindrical")),
    "disk-polar": lambda: sj.change_variables(
        "Integral(1, (y, -sqrt(1 - x**2), sqrt(1 - x**2)), (x, -1, 1))", sj.system("polar")),
}


@pytest.mark.parametrize("name", list(RESULTS))
def test_documents_read_well(name, tmp_path):
    source = to_latex(RESULTS[name](), document=True)
    assert_reads_well(source, compile_pdf(source, tmp_path))


def test_the_flagship_document_states_the_problem_then_solves_it():
    source = to_latex(_flagship(), document=True)
    problem, rest = source.split("\\section*{Solution}")
    # the original integral over R with its region, and the map
    assert "\\iint_R x y\\,dx\\,dy" in problem
    assert "1 \\le \\frac{x^{2}}{y} \\le 4,\\ 2 \\le \\frac{y^{2}}{x} \\le 3" in problem
    assert "u = \\frac{x^{2}}{y},\\quad v = \\frac{y^{2}}{x}" in problem
    # dx dy = |d(x,y)/d(u,v)| du dv with the factor 1/3, the integrand x y = u v, the value 25/4
    assert "\\left|\\frac{\\partial(x, y)}{\\partial(u, v)}\\right| &= \\frac{1}{3}" in rest
    assert "\\[\nx y = u v\n\\]" in rest
    assert "\\frac{u v}{3}\\,du\\,dv = \\frac{25}{4}" in rest
    assert "Checked numerically: both sides equal 6.25 to 10 digits." in rest
    assert "\\section*{Answer}" not in rest  # the last step shows it: not printed twice


def test_the_checker_document_shows_the_claim_next_to_the_right_one():
    source = to_latex(_wrong_claim(), document=True)
    problem = source.split("\\section*{Solution}")[0]
    claimed = problem.index("\\int\\limits_{2}^{3}\\int\\limits_{1}^{4} u v\\,du\\,dv")
    correct = problem.index("\\int\\limits_{2}^{3}\\int\\limits_{1}^{4} \\frac{u v}{3}\\,du\\,dv")
    assert claimed < correct
    # the diagnosis is a paragraph with its formulas typeset: dx dy = (1/3) du dv
    assert ("The Jacobian factor is missing: $dx\\,dy = \\frac{1}{3}\\,du\\,dv$, so the integrand "
            "$u v$ must be multiplied by $1 / 3$.") in problem


def test_density_document_uses_textbook_notation():
    source = to_latex(_density(), document=True)
    assert "f_{Y}(y) &= \\begin{cases}" in source and "f_{y}" not in source
    assert "\\left|h_{1}'(y)\\right| &= \\frac{1}{2 \\sqrt{y}}" in source
    assert "f_{Y}(y) = \\sum_k f_{X}\\left(h_{k}(y)\\right) \\left|h_{k}'(y)\\right|" in source
    assert "This is the $\\chi^2_{1}$ density." in source and "ChiSquared" not in source
    assert "&-\\infty < x < \\infty" in source  # chained, not -oo < x, x < oo
    assert "\\det Dh" not in source


def test_pages_render_to_pictures(tmp_path):
    if PDFTOPPM is None:
        pytest.skip("pdftoppm is not installed")
    for name in ("flagship-integral", "check-wrong-answer", "density-chi-squared"):
        compile_pdf(to_latex(RESULTS[name](), document=True), tmp_path, name)
        subprocess.run([PDFTOPPM, "-png", "-r", "60", "-f", "1", "-l", "1", f"{name}.pdf", name],
                       cwd=tmp_path, check=True, capture_output=True, timeout=60)
        png = next(tmp_path.glob(f"{name}*.png"))
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 5000


def test_the_pictures_in_the_docs_exist():
    for name in ("latex_before.png", "latex_after.png"):
        assert (ROOT / "docs" / "images" / name).read_bytes()[:4] == b"\x89PNG"
