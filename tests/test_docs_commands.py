"""Every ``symjac ...`` command shown in the README and in docs/ works as shown.

The commands are read from the fenced code blocks that are not Python (those
run as doctests already), with ``\\`` continuation lines joined and trailing
``# comments`` dropped, and each is run through the CLI's ``main`` in a
temporary directory (some write files). A command shown in the docs must end
with exit code 0: a reader copies it and expects it to work, and a LaTeX
document it writes must compile with pdflatex (where pdflatex is installed).
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from symjac.cli import main

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^```([^\n]*)\n(.*?)^```", re.S | re.M)


def shown_commands(path: Path) -> list[list[str]]:
    """The ``symjac`` command lines in the page's non-Python code blocks, as argument lists."""
    commands = []
    for language, block in FENCE.findall(path.read_text(encoding="utf-8")):
        if language.strip() in ("python", "pycon"):
            continue
        for line in block.replace("\\\n", " ").splitlines():
            line = line.strip()
            if line.startswith("symjac "):
                words = shlex.split(line, comments=True)
                commands.append(words[1:])
    return commands


CASES = [(path.relative_to(ROOT).as_posix(), argv) for path in PAGES
         for argv in shown_commands(path)]


def test_the_readme_shows_commands():
    readme = [argv for page, argv in CASES if page == "README.md"]
    assert len(readme) >= 8
    assert ["demo"] not in readme  # `make demo` is a make target, not a symjac line


def test_continuation_lines_and_comments_are_read():
    path = ROOT / "README.md"
    check = next(argv for argv in shown_commands(path) if argv[0] == "check")
    assert check[-2:] == ["--sub", "u = x**2/y, v = y**2/x"]  # joined across the "\" line break


@pytest.mark.parametrize("page, argv", CASES, ids=[f"{p}:{' '.join(a)[:40]}" for p, a in CASES])
def test_shown_command_works(page, argv, tmp_path, monkeypatch, capsys):
    if "--plot" in argv:
        pytest.importorskip("matplotlib")  # pictures need the optional 'plot' extra
    monkeypatch.chdir(tmp_path)
    code = main(argv)
    captured = capsys.readouterr()
    assert code == 0, f"{page}: symjac {shlex.join(argv)} exited {code}\n{captured.err}"
    assert captured.out.strip(), f"{page}: symjac {shlex.join(argv)} printed nothing"
    if "--document" in argv and "--output" in argv and shutil.which("pdflatex"):
        tex = tmp_path / argv[argv.index("--output") + 1]
        proc = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error",
                               "-no-shell-escape", tex.name], cwd=tmp_path, capture_output=True,
                              text=True, timeout=120)
        assert proc.returncode == 0, f"{page}: {tex.name} does not compile:\n{proc.stdout[-2000:]}"
