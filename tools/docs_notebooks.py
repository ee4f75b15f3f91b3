"""The notebooks in ``notebooks/`` as pages of the documentation site, with their stored outputs.

Each notebook becomes ``notebooks/<name>.md``: its Markdown cells as they are,
its code cells as Python blocks, and after each code cell the outputs that
``tools/make_notebooks.py`` stored when it ran the notebook: pictures as PNG
files next to the page, Markdown as it is (its formulas typeset by KaTeX), else
LaTeX as displayed mathematics, else plain text in a text block. Markdown comes
before LaTeX, as JupyterLab ranks them, because its prose wraps on a narrow page. Nothing is executed here.
"""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"


def notebooks() -> list[Path]:
    return sorted(NOTEBOOKS.glob("*.ipynb"))


def page_uri(path: Path) -> str:
    return f"notebooks/{path.stem}.md"


def _source(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def title(path: Path) -> str:
    for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
        if cell["cell_type"] == "markdown":
            for line in _source(cell).splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return path.stem.split("_", 1)[-1].replace("_", " ").capitalize()


def _text(data: object) -> str:
    return "".join(data) if isinstance(data, list) else str(data)


def _display_math(latex: str) -> str:
    """LaTeX as Jupyter shows it (``$...$``, ``$$...$$`` or an environment) as a display block."""
    body = latex.strip()
    for fence in ("$$", "$"):
        if body.startswith(fence) and body.endswith(fence) and len(body) > 2 * len(fence):
            body = body[len(fence):-len(fence)].strip()
            break
    body = body.removeprefix(r"\displaystyle").strip()
    return "$$\n" + body + "\n$$"


_DISPLAY_LINE = re.compile(r"^( *)\$\$(.+?)\$\$ *$")


def display_blocks(markdown: str) -> str:
    """Markdown as Jupyter shows it, with each one-line ``$$ ... $$`` made a display block.

    Jupyter typesets ``$$ ... $$`` anywhere; Python-Markdown's arithmatex needs a block
    of its own, indented by four spaces inside a list item.
    """
    out: list[str] = []
    for line in markdown.splitlines():
        found = _DISPLAY_LINE.match(line)
        if not found:
            out.append(line)
            continue
        indent = "    " if found.group(1) else ""
        out += ["", indent + "$$", indent + found.group(2).strip(), indent + "$$", ""]
    return "\n".join(out)


def _fenced(text: str, language: str = "text") -> str:
    text = text.rstrip("\n")
    fence = "````" if "```" in text else "```"
    return f"{fence}{language}\n{text}\n{fence}"


def _output(output: dict, image_uri: str) -> tuple[str, bytes | None]:
    """One output as Markdown, and the PNG bytes when it is a picture (saved at ``image_uri``)."""
    kind = output.get("output_type")
    if kind == "stream":
        return _fenced(_text(output.get("text", ""))), None
    if kind == "error":
        return _fenced("\n".join(output.get("traceback", []))), None
    data = output.get("data", {})
    if "image/png" in data:
        name = image_uri.rsplit("/", 1)[-1]
        return f"![output]({name}){{ .picture }}", base64.b64decode(_text(data["image/png"]))
    if "text/markdown" in data:  # before LaTeX, as JupyterLab ranks them: prose wraps
        return display_blocks(_text(data["text/markdown"])).strip(), None
    if "text/latex" in data:
        return _display_math(_text(data["text/latex"])), None
    if "text/plain" in data:
        return _fenced(_text(data["text/plain"])), None
    return "", None


def to_markdown(path: Path) -> tuple[str, dict[str, bytes]]:
    """The page of one notebook and the pictures it shows, ``{site path: PNG bytes}``."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    parts = [f"*This page is the notebook `notebooks/{path.name}` with the outputs stored in "
             "it; open it in Jupyter to run it yourself.*"]
    images: dict[str, bytes] = {}
    for index, cell in enumerate(nb["cells"]):
        source = _source(cell).strip()
        if cell["cell_type"] == "markdown":
            parts.insert(0 if index == 0 else len(parts), source)  # the title before the note
            continue
        if cell["cell_type"] != "code":
            continue
        parts.append(_fenced(source, "python"))
        shown = []
        for k, output in enumerate(cell.get("outputs", [])):
            uri = f"notebooks/{path.stem}-{index:02d}-{k}.png"
            markdown, png = _output(output, uri)
            if png is not None:
                images[uri] = png
            if markdown:
                shown.append(markdown)
        if shown:
            parts.append('<div class="notebook-output" markdown>\n\n' + "\n\n".join(shown)
                         + "\n\n</div>")
    return "\n\n".join(parts) + "\n", images
