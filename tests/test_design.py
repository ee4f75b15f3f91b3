"""docs/design.md's module tables are true: every file, once, in an order that imports respect.

Imports are read everywhere in a module, inside functions and methods too (a cycle hidden in a
function body is still a cycle); only ``if TYPE_CHECKING:`` blocks are skipped.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "symjac"
ROW = re.compile(r"^\| `([a-z_]+)(\.py|/)` \| (.+) \|$", re.M)
SUBROW = re.compile(r"^\| `([a-z_]+)/([a-z_]+)\.py` \| (.+) \|$", re.M)
MAX_LINES = 560
# Modules still waiting to be split by concept, with the length they may not exceed meanwhile.
NOT_YET_SPLIT: dict[str, int] = {}

# Functions still waiting to be split into named steps, with the complexity they may not exceed.
NOT_YET_SIMPLE: dict[str, int] = {}
MAX_COMPLEXITY = 20


def table() -> list[tuple[str, str]]:
    """(entry, description) rows of docs/design.md's package table, in order."""
    text = (ROOT / "docs" / "design.md").read_text(encoding="utf-8")
    return [(name, what) for name, _, what in ROW.findall(text)]


def folder_tables() -> dict[str, list[tuple[str, str]]]:
    """{folder: [(module, description), ...]} of docs/design.md's per-folder tables."""
    text = (ROOT / "docs" / "design.md").read_text(encoding="utf-8")
    found: dict[str, list[tuple[str, str]]] = {}
    for folder, module, what in SUBROW.findall(text):
        found.setdefault(folder, []).append((module, what))
    return found


def package_entries() -> set[str]:
    modules = {p.stem for p in PACKAGE.glob("*.py") if not p.stem.startswith("_")}
    packages = {p.parent.name for p in PACKAGE.glob("*/__init__.py")}
    return modules | packages


def _is_type_checking(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def _walk(tree: ast.AST):
    """Every node, skipping ``if TYPE_CHECKING:`` blocks."""
    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(child for child in ast.iter_child_nodes(node) if not _is_type_checking(child))


def _imports(source: str, where: tuple[str, ...]) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """(target path inside symjac, imported names) of every relative import in a module
    whose package path inside symjac is ``where`` (() for top-level modules)."""
    found = []
    for node in _walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = where[:len(where) - (node.level - 1)] if node.level > 1 else where
            module = tuple(node.module.split(".")) if node.module else ()
            names = tuple(alias.name for alias in node.names)
            if module:
                found.append((base + module, names))
            else:  # from . import a, b: each name may be a module
                found.extend(((base + (name,)), ()) for name in names)
    return found


def _relative_imports(nodes: list[ast.stmt], level: int) -> set[str]:
    """Top-level entries of symjac imported by a top-level module (kept for the self-test)."""
    module = ast.Module(body=nodes, type_ignores=[])
    return {target[0] for target, _ in _imports(ast.unparse(module), ()) if target}


def _files(entry: str) -> list[tuple[Path, tuple[str, ...]]]:
    path = PACKAGE / f"{entry}.py"
    if path.exists():
        return [(path, ())]
    return [(p, (entry,)) for p in sorted((PACKAGE / entry).glob("*.py"))]


def imports_of(entry: str) -> set[str]:
    """The other top-level entries an entry imports, anywhere in its code."""
    found: set[str] = set()
    for path, where in _files(entry):
        for target, _ in _imports(path.read_text(encoding="utf-8"), where):
            if target and target[0] != entry and target[0] in package_entries():
                found.add(target[0])
    return found


def test_every_module_is_listed_once():
    names = [name for name, _ in table()]
    assert len(names) == len(set(names)), "a module is listed twice"
    assert set(names) == package_entries(), (
        f"not in docs/design.md: {sorted(package_entries() - set(names))}; "
        f"listed but missing from symjac/: {sorted(set(names) - package_entries())}")


def test_every_module_of_a_folder_is_listed_in_its_table():
    folders = folder_tables()
    for entry in package_entries():
        if entry == "cli" or not (PACKAGE / entry).is_dir():
            continue
        listed = [m for m, _ in folders.get(entry, [])]
        present = {p.stem for p in (PACKAGE / entry).glob("*.py") if p.stem != "__init__"}
        assert len(listed) == len(set(listed)), f"{entry}/: a module is listed twice"
        assert set(listed) == present, (
            f"{entry}/ not in docs/design.md: {sorted(present - set(listed))}; "
            f"listed but missing: {sorted(set(listed) - present)}")


def test_each_module_has_a_one_line_description():
    rows = table() + [row for rows in folder_tables().values() for row in rows]
    for name, what in rows:
        assert len(what.split()) >= 5 and what.endswith("."), name


def test_imports_flow_down_the_table():
    order = [name for name, _ in table()]
    for position, name in enumerate(order):
        above = set(order[:position])
        wrong = imports_of(name) - above - {name}
        assert not wrong, f"symjac/{name} imports {sorted(wrong)}, listed below it in docs/design.md"


def test_modules_of_a_folder_import_down_its_own_table():
    for folder, rows in folder_tables().items():
        order = [module for module, _ in rows]
        for position, module in enumerate(order):
            source = (PACKAGE / folder / f"{module}.py").read_text(encoding="utf-8")
            inside = {t[1] for t, _ in _imports(source, (folder,)) if len(t) > 1 and t[0] == folder}
            wrong = inside - set(order[:position]) - {module}
            assert not wrong, f"symjac/{folder}/{module}.py imports {sorted(wrong)}, listed below it"


def test_no_private_name_crosses_an_entry():
    for entry in package_entries():
        for path, where in _files(entry):
            for target, names in _imports(path.read_text(encoding="utf-8"), where):
                if not target or target[0] == entry:
                    continue
                private = [n for n in names if n.startswith("_") and n != "__version__"]
                assert not private, (f"{path.relative_to(ROOT)} imports private {private} "
                                     f"from symjac.{'.'.join(target)}")


def test_the_latex_printer_is_a_leaf():
    assert imports_of("latex") == set()


def test_modules_stay_readable_in_one_sitting():
    long = {str(p.relative_to(ROOT)): n for p in PACKAGE.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines()))
            > NOT_YET_SPLIT.get(str(p.relative_to(ROOT)), MAX_LINES)}
    assert not long, f"modules over {MAX_LINES} lines (split them by concept): {long}"


def test_the_import_reader_sees_nested_imports_and_skips_type_checking_ones():
    source = ("from .errors import A\nif TYPE_CHECKING:\n    from .latex import B\n"
              "try:\n    from . import parsing\nexcept ImportError:\n    pass\n"
              "def f():\n    from .plotting import C\n")
    assert _relative_imports(ast.parse(source).body, 1) == {"errors", "parsing", "plotting"}
    inner = _imports("from ..numeric.quadrature import _x\nfrom .bounds import y\n", ("regions",))
    assert sorted(inner) == [(("numeric", "quadrature"), ("_x",)), (("regions", "bounds"), ("y",))]


def complexity(function: ast.AST) -> int:
    """McCabe's cyclomatic complexity, counted as radon does: 1 + each branch, loop, handler,
    comprehension and extra operand of ``and``/``or``."""
    n = 1
    for node in ast.walk(function):
        if isinstance(node, (ast.If, ast.For, ast.While, ast.IfExp, ast.ExceptHandler, ast.With,
                             ast.AsyncFor, ast.comprehension, ast.Assert, ast.match_case)):
            n += 1
        elif isinstance(node, ast.BoolOp):
            n += len(node.values) - 1
    return n


def test_functions_stay_simple():
    found = {}
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                key = f"{path.relative_to(ROOT)}::{node.name}"
                if complexity(node) > NOT_YET_SIMPLE.get(key, MAX_COMPLEXITY):
                    found[key] = complexity(node)
    assert not found, f"functions above complexity {MAX_COMPLEXITY} (split them into named steps): {found}"


def test_the_lists_of_modules_and_functions_still_to_split_are_up_to_date():
    """An entry whose function was split, or got simpler, comes off the list or down to its count."""
    now: dict[str, int] = {}
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                key = f"{path.relative_to(ROOT)}::{node.name}"
                now[key] = max(now.get(key, 0), complexity(node))
    stale = {key: (ceiling, now.get(key)) for key, ceiling in NOT_YET_SIMPLE.items()
             if now.get(key) != ceiling}
    assert not stale, f"(ceiling, complexity now) of listed functions; lower or remove them: {stale}"
    lengths = {key: len((ROOT / key).read_text(encoding="utf-8").splitlines())
               if (ROOT / key).exists() else None for key in NOT_YET_SPLIT}
    assert all(lengths[k] == v for k, v in NOT_YET_SPLIT.items()), lengths


def test_the_complexity_count_sees_branches_loops_and_boolean_operands():
    source = "def f(a, b):\n    if a and b:\n        return [x for x in a]\n    return 0\n"
    assert complexity(ast.parse(source).body[0]) == 4


def _public_rows() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """symjac._PUBLIC, read from the source without importing symjac."""
    tree = ast.parse((PACKAGE / "__init__.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.AnnAssign) and ast.unparse(node.target) == "_PUBLIC":
            return ast.literal_eval(node.value)
    raise AssertionError("symjac/__init__.py has no _PUBLIC table")


def test_the_type_checking_names_are_the_public_table():
    """Static type checkers read the ``if TYPE_CHECKING:`` block (they cannot follow the lazy
    ``__getattr__``): each module imported under an alias, then ``name = alias.name`` for each
    of its public names. The rows must be _PUBLIC's, in its order."""
    tree = ast.parse((PACKAGE / "__init__.py").read_text(encoding="utf-8"))
    block = next(node for node in tree.body if _is_type_checking(node))
    rows: list[tuple[str, list[str]]] = []
    modules: dict[str, str] = {}
    for node in block.body:
        if isinstance(node, ast.ImportFrom):
            (alias,) = node.names
            assert node.level == 1 and alias.asname, ast.unparse(node)
            modules[alias.asname] = "." + ".".join(filter(None, [node.module, alias.name]))
            rows.append((modules[alias.asname], []))
        else:
            assert isinstance(node, ast.Assign) and isinstance(node.value, ast.Attribute), \
                ast.unparse(node)
            (target,) = node.targets
            source = modules[node.value.value.id]
            assert target.id == node.value.attr and rows[-1][0] == source, ast.unparse(node)
            rows[-1][1].append(target.id)
    assert [(module, tuple(names)) for module, names in rows] == list(_public_rows())


def test_the_public_names_come_from_one_table():
    import importlib

    import symjac

    rows = _public_rows()
    names = [name for _, row in rows for name in row]
    assert len(names) == len(set(names)), "a public name is listed twice"
    assert symjac.__all__ == ["__version__", *names]
    assert set(symjac.__all__) <= set(dir(symjac))
    for module, row in rows:
        for name in row:
            assert getattr(symjac, name) is getattr(importlib.import_module(module, "symjac"), name)


def test_import_symjac_loads_no_sympy_numpy_or_scipy():
    import subprocess
    import sys

    code = ("import sys, symjac; loaded = {'sympy', 'numpy', 'scipy'} & set(sys.modules); "
            "print(sorted(loaded)); print(len(dir(symjac)) > len(symjac.__all__))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                          check=True)
    assert done.stdout.split("\n")[:2] == ["[]", "True"], done.stdout + done.stderr
