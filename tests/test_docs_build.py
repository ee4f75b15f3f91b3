"""The documentation site builds with ``mkdocs build --strict`` and its generated parts are complete.

The site typesets mathematics with the KaTeX that symjac vendors (no CDN, so it
works offline), documents the API from the docstrings with mkdocstrings, shows
the notebooks with their stored outputs and the pictures drawn by symjac.plotting.
"""

from __future__ import annotations

import html
import inspect
import pkgutil
from enum import Enum
import re
import subprocess
import sys
from pathlib import Path

import pytest

import symjac
from symjac.cli import _command_modules

ROOT = Path(__file__).resolve().parent.parent
PNG_HEADER = b"\x89PNG\r\n\x1a\n"

pytest.importorskip("mkdocs")
pytest.importorskip("pymdownx")
pytest.importorskip("mkdocstrings_handlers.python")
pytest.importorskip("matplotlib")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site")
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet",
                           "--site-dir", str(out)], cwd=ROOT, capture_output=True, text=True,
                          timeout=600)
    assert proc.returncode == 0, proc.stderr
    return out


def page(site: Path, name: str) -> str:
    path = site / "index.html" if name == "index" else site / name / "index.html"
    return path.read_text(encoding="utf-8")


def pages(site: Path) -> dict[Path, str]:
    return {p: p.read_text(encoding="utf-8") for p in site.rglob("*.html")}


def text_of(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def test_every_markdown_page_is_in_the_site_and_its_navigation(site):
    home = page(site, "index")
    for md in (ROOT / "docs").glob("*.md"):
        if md.stem == "index":
            continue
        assert (site / md.stem / "index.html").exists(), f"docs/{md.name} was not built"
        assert f'href="{md.stem}/"' in home, f"docs/{md.name} is missing from the navigation"


def test_mathematics_is_marked_for_katex(site):
    integrals = page(site, "integrals")
    inline = re.findall(r'<span class="arithmatex">\\\((.*?)\\\)</span>', integrals)
    assert "u = x^2/y" in inline and "x = +\\sqrt{u + 1}" in inline
    display = re.findall(r'<div class="arithmatex">\\\[(.*?)\\\]</div>', integrals, re.S)
    assert any(r"\iint_D xy" in d and r"\frac{25}{4}" in d for d in display)
    for name in ("index", "jacobians", "inverse", "densities", "operators"):
        assert page(site, name).count('class="arithmatex"') >= 5, name
    # a formula in a table stays in its cell: \lvert, never a bare | that splits the row
    table = page(site, "jacobians").split("<table>")[1].split("</table>")[0]
    assert r"\lvert\det J\rvert" in table


def test_katex_is_served_by_the_site_itself(site):
    for asset in ("katex/katex.min.js", "katex/katex.min.css", "katex/contrib/auto-render.min.js",
                  "katex/fonts/KaTeX_Main-Regular.woff2", "js/katex-init.js"):
        assert (site / asset).stat().st_size > 0, asset
    assert (site / "katex/katex.min.js").read_bytes() == \
        (ROOT / "symjac/web/static/katex/katex.min.js").read_bytes()
    integrals = page(site, "integrals")
    assert '<script src="../katex/katex.min.js">' in integrals
    assert '<link href="../katex/katex.min.css" rel="stylesheet">' in integrals
    assert '<script src="katex/katex.min.js">' in page(site, "index")


def test_no_page_loads_anything_from_the_network(site):
    for path, text in pages(site).items():
        loaded = re.findall(r'<(?:script|link|img)\b[^>]*\b(?:src|href)="([^"]+)"', text)
        remote = [u for u in loaded if re.match(r"(https?:)?//", u)]
        assert not remote, f"{path.relative_to(site)} loads {remote}"
        assert "cdn" not in text.lower(), path.relative_to(site)


def test_api_reference_shows_every_public_name_with_its_real_signature(site):
    api = page(site, "api")
    assert "```text" not in api and 'class="language-text"' not in api
    for name in symjac.__all__:
        if name.startswith("__"):
            continue
        obj = getattr(symjac, name)
        anchor = f'id="{obj.__module__}.{name}"'
        assert anchor in api, name
        section = re.split(r"<h[23] id=", api.split(anchor, 1)[1], maxsplit=1)[0]
        assert f">{name}</span>" in section, name
        if not callable(obj) or inspect.isclass(obj) and issubclass(obj, (BaseException, Enum)):
            continue
        own = section.split('<div class="doc doc-contents', 1)[0]  # before the members
        found = re.search(r'<div class="doc-signature[^"]*"><pre>(.*?)</pre>', own, re.S)
        assert found, f"{name} has no signature"
        signature = text_of(found.group(1))
        assert signature.lstrip().startswith(name + "("), (name, signature)
        try:
            parameters = inspect.signature(obj).parameters
        except (TypeError, ValueError):
            continue
        for parameter in parameters:
            if parameter != "self":
                assert re.search(rf"\b{parameter}\b", signature), (name, parameter, signature)


def test_api_reference_shows_the_docstring_examples_as_code(site):
    api = page(site, "api")
    section = api.split('id="symjac.jacobian.jacobian_determinant"', 1)[1]
    section = re.split(r"<h[23] id=", section, maxsplit=1)[0]
    examples = re.findall(r'<div class="highlight"><pre>(.*?)</pre>', section, re.S)
    assert examples, "the example is a code block"
    # a Python session, coloured: the prompt, the call and the expected output
    assert '<span class="gp">&gt;&gt;&gt; </span>' in examples[0]
    assert "jacobian_determinant(system(\"spherical\"))\nr**2*sin(theta)" in text_of(examples[0])
    assert "<p>&gt;&gt;&gt;" not in api  # never run into a paragraph


def test_cli_reference_lists_every_command(site):
    html_ = page(site, "cli")
    for module in _command_modules():
        assert f"<code>symjac {module.NAME}</code>" in html_, module.NAME


def test_module_table_lists_every_module(site):
    html_ = page(site, "design")
    for module in pkgutil.iter_modules(symjac.__path__):
        if not module.name.startswith("_"):
            shown = f"{module.name}/" if module.ispkg else f"{module.name}.py"
            assert f"<code>{shown}</code>" in html_, module.name


def test_pictures_are_drawn_and_shown_where_the_pages_talk_about_them(site):
    shown = {"integrals": ["substitution", "annulus"], "jacobians": ["polar_grid"],
             "densities": ["chi_squared"]}
    for name, pictures in shown.items():
        text = page(site, name)
        for picture in pictures:
            assert f'src="../pictures/{picture}.png"' in text, (name, picture)
            data = (site / "pictures" / f"{picture}.png").read_bytes()
            assert data[:8] == PNG_HEADER and len(data) > 10_000, picture  # not an empty canvas


def test_notebooks_are_pages_with_their_outputs(site):
    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
    home = page(site, "index")
    for nb in notebooks:
        text = page(site, f"notebooks/{nb.stem}")
        assert f'href="notebooks/{nb.stem}/"' in home, nb.name
        assert text.count('class="notebook-output"') >= 3, nb.name
        assert '<span class="n">sj</span>' in text  # the code, coloured by Pygments
    tour = page(site, "notebooks/01_tour")
    # the Jacobian as typeset mathematics, and the picture as a PNG next to the page
    assert re.search(r'<div class="arithmatex">\\\[.*\\frac\{2 x\}\{y\}', tour, re.S)
    images = re.findall(r'<img[^>]*src="([^"]+\.png)"', tour)
    assert images
    for src in images:
        data = (site / "notebooks" / "01_tour" / src).resolve().read_bytes()
        assert data[:8] == PNG_HEADER


def test_pages_show_the_derivations_they_talk_about_typeset(site):
    for name in ("integrals", "jacobians", "densities", "operators"):
        text = page(site, name)
        assert "<!-- derivation:" not in text, name
        box = text.split('<div class="derivation">', 1)[1].split('</div>\n</div>', 1)[0]
        assert box.count('<div class="arithmatex">') >= 2, name
    integrals = page(site, "integrals").split('<div class="derivation">', 1)[1]
    assert r"\frac{25}{4}" in integrals.split("</ol>", 1)[0]  # the value, among the steps


def test_display_formulas_of_jupyter_markdown_become_blocks():
    sys.path.insert(0, str(ROOT / "tools"))
    from docs_notebooks import display_blocks

    shown = display_blocks("1. The value.\n   $$ \\text{value} = \\frac{25}{4} $$\nThe end $x$.")
    assert shown.splitlines() == ["1. The value.", "", "    $$", r"    \text{value} = \frac{25}{4}",
                                  "    $$", "", "The end $x$."]
