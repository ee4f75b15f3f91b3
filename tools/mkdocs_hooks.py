"""MkDocs hooks: the generated parts of the documentation, made when the site is built.

A page holding one of the markers below gets it replaced, so the API reference
and the CLI reference can't drift from what the code does. The module tables of
``docs/design.md`` are written by hand and checked by ``tests/test_design.py``;
the API reference follows their order.

- ``<!-- api-reference -->``: every name in ``symjac.__all__``, as a mkdocstrings
  directive (``::: symjac.transform.Transform``): signature and docstring come
  from the code through griffe;
- ``<!-- cli-reference -->``: ``symjac --help`` and the help of every command;
- ``<!-- derivation: NAME -->``: a derivation of ``tools/docs_derivations.py``, typeset.

The site also gets files that are not in ``docs/``: KaTeX (from
``symjac/web/static/katex``, so formulas are typeset offline), the Pygments
colours for code, the pictures of ``tools/docs_pictures.py`` (drawn with
``symjac.plotting``) and one page per notebook in ``notebooks/``, with the
outputs stored in it (``tools/docs_notebooks.py``).

Pages in ``docs/`` that ``mkdocs.yml`` does not list in ``nav`` are added before
"Command line" (titled by their first heading), so a new page is never left out
of the site; the notebooks get a "Notebooks" section after them.
"""

from __future__ import annotations

import importlib
import inspect
import os
import pkgutil
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for _path in (ROOT, ROOT / "tools"):  # symjac from this tree; the sibling tools below
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

import docs_derivations  # noqa: E402
import docs_notebooks  # noqa: E402
import docs_pictures  # noqa: E402

KATEX = ROOT / "symjac" / "web" / "static" / "katex"


def _flow() -> list[str]:
    """The modules in the order of docs/design.md's tables, the order in which imports flow."""
    text = (ROOT / "docs" / "design.md").read_text(encoding="utf-8")
    return re.findall(r"^\| `([a-z_]+)(?:\.py|/)` \|", text, re.M)


def _fence(text: str) -> str:
    return "```text\n" + text.rstrip() + "\n```\n"


def _modules_in_order() -> list[str]:
    import symjac

    flow = _flow()
    names = [m.name for m in pkgutil.iter_modules(symjac.__path__) if not m.name.startswith("_")]
    return sorted(names, key=lambda n: (flow.index(n) if n in flow else len(flow), n))


def _first_line(obj: object) -> str:
    doc = inspect.getdoc(obj) or ""
    return doc.strip().split("\n\n")[0].replace("\n", " ")


def api_reference() -> str:
    """One section per module, one mkdocstrings directive per public name defined there."""
    import symjac

    by_module: dict[str, list[tuple[str, str]]] = {}
    for name in symjac.__all__:
        if name.startswith("__"):
            continue
        obj = getattr(symjac, name)
        module = getattr(obj, "__module__", "symjac") or "symjac"
        entry = module.split(".")[1] if module.startswith("symjac.") else module
        # the defining module's path, so griffe documents the object itself, not a lazy alias
        by_module.setdefault(entry, []).append((name, f"{module}.{name}"))
    order = {n: i for i, n in enumerate(_modules_in_order())}
    out = []
    for module in sorted(by_module, key=lambda m: (order.get(m, len(order)), m)):
        out.append(f"## `symjac.{module}`\n")
        out.append(_first_line(importlib.import_module(f"symjac.{module}")) + "\n")
        for _name, path in by_module[module]:
            out.append(f"::: {path}\n")
    return "\n".join(out)


def cli_reference() -> str:
    from symjac.cli import _parser

    os.environ["COLUMNS"] = "88"  # the same line width on every machine
    parser = _parser()
    out = ["### `symjac`\n", _fence(parser.format_help())]
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    for name, command in sub.choices.items():
        out.append(f"### `symjac {name}`\n")
        out.append(_fence(command.format_help()))
    return "\n".join(out)


def _nav_files(nav: object) -> set[str]:
    if isinstance(nav, str):
        return {nav}
    if isinstance(nav, dict):
        return set().union(*(_nav_files(v) for v in nav.values())) if nav else set()
    if isinstance(nav, list):
        return set().union(*(_nav_files(v) for v in nav)) if nav else set()
    return set()


def _title(path: Path) -> str:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return path.stem.replace("_", " ").capitalize()


def on_config(config, **kwargs: object):
    """MkDocs event: add pages missing from ``nav``, before "Command line", and the notebooks."""
    nav = config.get("nav")
    if not nav:
        return config
    notebooks = [{docs_notebooks.title(p): docs_notebooks.page_uri(p)}
                 for p in docs_notebooks.notebooks()]
    if notebooks and not any(isinstance(i, dict) and "Notebooks" in i for i in nav):
        position = next((i for i, item in enumerate(nav)
                         if isinstance(item, dict) and "cli.md" in _nav_files(item)), len(nav))
        nav.insert(position, {"Notebooks": notebooks})
    listed = _nav_files(nav)
    docs = Path(config["docs_dir"])
    missing = sorted(p for p in docs.glob("*.md") if p.name not in listed)
    position = next((i for i, item in enumerate(nav)
                     if isinstance(item, dict) and "cli.md" in _nav_files(item)), len(nav))
    for offset, path in enumerate(missing):
        nav.insert(position + offset, {_title(path): path.name})
    return config


def on_files(files, config, **kwargs: object):
    """MkDocs event: add KaTeX, the code colours, the pictures and the notebook pages."""
    from mkdocs.structure.files import File

    def add(uri: str, content: str | bytes) -> None:
        files.append(File.generated(config, uri, content=content))

    for path in sorted(KATEX.rglob("*")):
        if path.is_file() and path.suffix in {".js", ".css", ".woff2"}:
            add("katex/" + path.relative_to(KATEX).as_posix(), path.read_bytes())
    from pygments.formatters import HtmlFormatter

    add("css/pygments.css", HtmlFormatter(style="default").get_style_defs(".highlight"))
    for uri, content in docs_pictures.pictures().items():
        add(uri, content)
    for path in docs_notebooks.notebooks():
        page, images = docs_notebooks.to_markdown(path)
        add(docs_notebooks.page_uri(path), page)
        for uri, content in images.items():
            add(uri, content)
    return files


MARKERS = {
    "<!-- api-reference -->": api_reference,
    "<!-- cli-reference -->": cli_reference,
}


def on_page_markdown(markdown: str, **kwargs: object) -> str:
    """MkDocs event: fill in the generated parts of a page."""
    for marker, make in MARKERS.items():
        if marker in markdown:
            markdown = markdown.replace(marker, make())
    return docs_derivations.fill(markdown)
