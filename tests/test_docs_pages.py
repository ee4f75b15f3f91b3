"""The user guide leads to every page of the documentation."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


def test_the_guide_links_every_page():
    index = (DOCS / "index.md").read_text(encoding="utf-8")
    where_next = index.split("## Where next", 1)[1]
    linked = set(re.findall(r"\]\(([a-z_]+\.md)\)", where_next))
    pages = {p.name for p in DOCS.glob("*.md")} - {"index.md"}
    assert pages - linked == set(), f"index.md's 'Where next' does not link {sorted(pages - linked)}"
    assert linked - pages == set(), f"index.md links pages that do not exist: {sorted(linked - pages)}"


def test_the_guide_names_every_notebook():
    index = (DOCS / "index.md").read_text(encoding="utf-8").lower()
    assert "notebooks/" in index
    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
    assert notebooks
    for nb in notebooks:
        topic = nb.stem.split("_", 1)[1].replace("_", " ")  # 02_homework_substitutions -> ...
        assert topic.split()[0] in index, f"index.md does not mention the notebook {nb.name}"
