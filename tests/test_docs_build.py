"""The documentation site builds with ``mkdocs build --strict`` and its generated parts are complete."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import symjac
from symjac.cli import _command_modules

ROOT = Path(__file__).resolve().parent.parent

pytest.importorskip("mkdocs")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site")
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet",
                           "--site-dir", str(out)], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr
    return out


def page(site: Path, name: str) -> str:
    return (site / name / "index.html").read_text(encoding="utf-8")


def test_every_markdown_page_is_in_the_site_and_its_navigation(site):
    home = (site / "index.html").read_text(encoding="utf-8")
    for md in (ROOT / "docs").glob("*.md"):
        if md.stem == "index":
            continue
        assert (site / md.stem / "index.html").exists(), f"docs/{md.name} was not built"
        assert f'href="{md.stem}/"' in home, f"docs/{md.name} is missing from the navigation"


def test_api_reference_lists_every_public_name(site):
    html = page(site, "api")
    for name in symjac.__all__:
        if not name.startswith("__"):
            assert f"<code>{name}</code>" in html, name


def test_cli_reference_lists_every_command(site):
    html = page(site, "cli")
    for module in _command_modules():
        assert f"<code>symjac {module.NAME}</code>" in html, module.NAME


def test_module_table_lists_every_module(site):
    html = page(site, "design")
    for module in pkgutil.iter_modules(symjac.__path__):
        if not module.name.startswith("_"):
            shown = f"{module.name}/" if module.ispkg else f"{module.name}.py"
            assert f"<code>{shown}</code>" in html, module.name
