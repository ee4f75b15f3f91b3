"""docs/design.md's module tables are true: every module, once, in an order imports respect."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "symjac"
ROW = re.compile(r"^\| `([a-z_]+)(\.py|/)` \| (.+) \|$", re.M)


def table() -> list[tuple[str, str]]:
    """(module, description) rows of docs/design.md, in the order they appear."""
    text = (ROOT / "docs" / "design.md").read_text(encoding="utf-8")
    return [(name, what) for name, _, what in ROW.findall(text)]


def package_modules() -> set[str]:
    modules = {p.stem for p in PACKAGE.glob("*.py") if not p.stem.startswith("_")}
    packages = {p.parent.name for p in PACKAGE.glob("*/__init__.py")}
    return modules | packages


def _relative_imports(nodes: list[ast.stmt], level: int) -> set[str]:
    """Modules of symjac imported when the module is loaded (not inside functions,
    not under ``if TYPE_CHECKING``)."""
    found: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.ImportFrom) and node.level == level:
            if node.module:
                found.add(node.module.split(".")[0])
            else:
                found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.If) and "TYPE_CHECKING" not in ast.unparse(node.test):
            found |= _relative_imports(node.body + node.orelse, level)
        elif isinstance(node, ast.Try):
            found |= _relative_imports(node.body, level)
    return found


def imports_of(name: str) -> set[str]:
    path = PACKAGE / f"{name}.py"
    if path.exists():
        return _relative_imports(ast.parse(path.read_text(encoding="utf-8")).body, 1)
    found: set[str] = set()  # a subpackage: what its modules import from the rest of symjac
    for module in (PACKAGE / name).glob("*.py"):
        found |= _relative_imports(ast.parse(module.read_text(encoding="utf-8")).body, 2)
    return found


def test_every_module_is_listed_once():
    names = [name for name, _ in table()]
    assert len(names) == len(set(names)), "a module is listed twice"
    assert set(names) == package_modules(), (
        f"not in docs/design.md: {sorted(package_modules() - set(names))}; "
        f"listed but missing from symjac/: {sorted(set(names) - package_modules())}")


def test_each_module_has_a_one_line_description():
    for name, what in table():
        assert len(what.split()) >= 5 and what.endswith("."), name


def test_imports_flow_down_the_table():
    order = [name for name, _ in table()]
    for position, name in enumerate(order):
        above = set(order[:position])
        wrong = imports_of(name) - above - {name}
        assert not wrong, f"symjac/{name} imports {sorted(wrong)}, listed below it in docs/design.md"


def test_the_import_reader_sees_nested_and_skips_type_checking_imports():
    source = ("from .errors import A\nif TYPE_CHECKING:\n    from .latex import B\n"
              "try:\n    from . import parsing\nexcept ImportError:\n    pass\n"
              "def f():\n    from .plotting import C\n")
    assert _relative_imports(ast.parse(source).body, 1) == {"errors", "parsing"}
