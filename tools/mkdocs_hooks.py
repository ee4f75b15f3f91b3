"""MkDocs hooks: the reference parts of the documentation are generated from the code.

A page holding one of the markers below gets it replaced when the site is
built, so the API reference and the CLI reference can't drift from what the
code does. The module tables of ``docs/design.md`` are written by hand and
checked by ``tests/test_design.py``; the API reference follows their order.

- ``<!-- api-reference -->``: every name in ``symjac.__all__`` with its signature and docstring;
- ``<!-- cli-reference -->``: ``symjac --help`` and the help of every command.

Pages in ``docs/`` that ``mkdocs.yml`` does not list in ``nav`` are added at the
end of the navigation (titled by their first heading), so a new page is never
left out of the site.
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
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


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
    import symjac

    by_module: dict[str, list[str]] = {}
    for name in symjac.__all__:
        if name.startswith("__"):
            continue
        obj = getattr(symjac, name)
        module = getattr(obj, "__module__", "symjac") or "symjac"
        entry = module.split(".")[1] if module.startswith("symjac.") else module
        by_module.setdefault(entry, []).append(name)  # the top-level file or folder
    order = {n: i for i, n in enumerate(_modules_in_order())}
    out = []
    for module in sorted(by_module, key=lambda m: (order.get(m, len(order)), m)):
        out.append(f"## `symjac.{module}`\n")
        out.append(_first_line(importlib.import_module(f"symjac.{module}")) + "\n")
        for name in by_module[module]:
            obj = getattr(symjac, name)
            out.append(f"### `{name}`\n")
            try:
                signature = f"{name}{inspect.signature(obj)}" if callable(obj) else repr(obj)
            except (TypeError, ValueError):
                signature = name
            kind = "class " if inspect.isclass(obj) else ""
            out.append(_fence(kind + signature))
            doc = inspect.getdoc(obj)
            if doc:
                out.append(_fence(doc))
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
    """MkDocs event: add pages missing from ``nav``, before "Command line"."""
    nav = config.get("nav")
    if not nav:
        return config
    listed = _nav_files(nav)
    docs = Path(config["docs_dir"])
    missing = sorted(p for p in docs.glob("*.md") if p.name not in listed)
    position = next((i for i, item in enumerate(nav)
                     if isinstance(item, dict) and "cli.md" in _nav_files(item)), len(nav))
    for offset, path in enumerate(missing):
        nav.insert(position + offset, {_title(path): path.name})
    return config


MARKERS = {
    "<!-- api-reference -->": api_reference,
    "<!-- cli-reference -->": cli_reference,
}


def on_page_markdown(markdown: str, **kwargs: object) -> str:
    """MkDocs event: fill in the generated parts of a page."""
    for marker, make in MARKERS.items():
        if marker in markdown:
            markdown = markdown.replace(marker, make())
    return markdown
