"""Every notebook runs from top to bottom and is stored with the outputs it gives now.

The notebooks are written and run by ``tools/make_notebooks.py`` (``make notebooks``);
a reader on GitHub sees the stored outputs, so they must be what the code gives.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import make_notebooks  # noqa: E402

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_there_are_notebooks_and_each_is_made_by_the_tool():
    assert len(NOTEBOOKS) >= 2
    assert {p.name for p in NOTEBOOKS} == set(make_notebooks.NOTEBOOKS)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_stored_with_outputs_and_no_volatile_metadata(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    assert [c.execution_count for c in code] == list(range(1, len(code) + 1)), \
        f"{path.name}: run it with: make notebooks"
    assert sum(bool(c.outputs) for c in code) >= len(code) // 2, f"{path.name} shows few results"
    assert nb.metadata.language_info == {"name": "python"}  # no interpreter version
    for cell in code:
        assert "execution" not in cell.metadata  # no timings
        assert not any(out.output_type == "error" for out in cell.outputs)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_results_show_through_their_rich_display(path):
    """Results are the last expression of a cell (typeset in Jupyter), not printed text."""
    nb = nbformat.read(path, as_version=4)
    rich = [out for cell in nb.cells if cell.cell_type == "code" for out in cell.outputs
            if out.output_type == "execute_result"
            and {"text/latex", "text/markdown"} & set(out.get("data", {}))]
    assert len(rich) >= 2, f"{path.name}: fewer than 2 results typeset"
    printed_latex = [cell.source for cell in nb.cells if cell.cell_type == "code"
                     and "print(" in cell.source and "to_latex" in cell.source]
    assert len(printed_latex) <= 1  # the tour prints the source to paste, once


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_runs_and_the_stored_outputs_are_current(path):
    problems = make_notebooks.stale(path.name)
    assert not problems, "\n".join(problems) + "\nrun: make notebooks"


def test_comparable_ignores_volatile_cells_and_addresses():
    nb = make_notebooks.build("x.ipynb", [make_notebooks.code("1", make_notebooks.VOLATILE),
                                          make_notebooks.code("2")])
    nb.cells[0].outputs = [nbformat.v4.new_output("stream", name="stdout", text="4.2 ms")]
    nb.cells[1].outputs = [nbformat.v4.new_output(
        "execute_result", data={"text/plain": "<object at 0x7f3a2b1c9d00>"}, execution_count=2)]
    assert make_notebooks.comparable(nb) == [[], [("text/plain", "<object at 0x...>")]]
