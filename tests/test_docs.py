"""The developer docs say what the code is: the module graph in docs/architecture.md is the real
one, and each row of its "where to change X" table names a file that defines the function."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ARCHITECTURE = ROOT / "docs" / "architecture.md"
PACKAGE = ROOT / "site_gen"


def real_imports() -> dict[str, set[str]]:
    """Each module of site_gen (dotted, below the package) and the site_gen modules it imports,
    at the top or inside a function."""
    modules = {".".join(path.relative_to(PACKAGE).with_suffix("").parts): path
               for path in sorted(PACKAGE.rglob("*.py"))}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                if node.module == "site_gen":
                    found |= {alias.name for alias in node.names if alias.name in modules}
                elif node.module.startswith("site_gen."):
                    found.add(node.module.removeprefix("site_gen."))
            elif isinstance(node, ast.Import):
                found |= {alias.name.removeprefix("site_gen.") for alias in node.names
                          if alias.name.startswith("site_gen.")}
        graph[name] = found - {name}
    return graph


def table_rows(heading: str) -> list[list[str]]:
    """The cells of the first table after *heading* in docs/architecture.md."""
    text = ARCHITECTURE.read_text(encoding="utf-8")
    start = text.index(f"\n{heading}\n")
    rows: list[list[str]] = []
    for line in text[start:].splitlines()[2:]:
        if line.startswith("|"):
            rows.append([cell.strip() for cell in line.strip().strip("|").split("|")])
        elif rows:
            break
    return rows[2:]  # without the header and its rule


def names(cell: str) -> set[str]:
    """The names written as code in a table cell."""
    return set(re.findall(r"`([^`]+)`", cell))


def test_the_documented_module_graph_is_the_real_one() -> None:
    documented = {next(iter(names(module))): names(imports) for module, imports, *_ in table_rows("## Module graph")}
    real = real_imports()
    expected = "\n".join(f"| `{module}` | {', '.join(f'`{d}`' for d in sorted(deps)) or '—'} |"
                         for module, deps in sorted(real.items()))
    assert documented == real, (
        "docs/architecture.md's module graph differs from the imports in site_gen/. fix: make its rows\n"
        f"(keep each row's third column) say:\n{expected}")


def test_the_core_stages_import_no_mkdocs() -> None:
    core = ("segment", "catalog", "entries", "translate", "gate", "checks", "interface", "errors", "history")
    real = real_imports()
    for module in core:
        source = (PACKAGE / f"{module}.py").read_text(encoding="utf-8")
        assert not re.search(r"^\s*(from|import) (mkdocs|material|jinja2)\b", source, re.M), module
        assert "build" not in real[module] and "mkdocs_hooks" not in real[module], module


def test_catalog_comes_before_translate() -> None:
    assert "translate" not in real_imports()["catalog"]


def defines(path: Path, dotted: str) -> bool:
    """Whether *path* defines *dotted*: a function, or ``Class.method``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    *owner, function = dotted.split(".")
    scope: list[ast.stmt] = tree.body
    for name in owner:
        classes = [node for node in scope if isinstance(node, ast.ClassDef) and node.name == name]
        if not classes:
            return False
        scope = classes[0].body
    return any(isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name == function for node in scope)


WHERE = table_rows("## Where to change X")


def test_the_where_to_change_table_has_the_five_changes() -> None:
    changes = " ".join(row[0] for row in WHERE).lower()
    for change in ("add a language", "add a check", "change the theme", "change the engine",
                   "add a markdown construct"):
        assert change in changes, change


@pytest.mark.parametrize("row", WHERE, ids=[row[0] for row in WHERE])
def test_each_change_names_a_file_that_defines_its_function(row: list[str]) -> None:
    change, file_cell, function_cell, *_ = row
    (file,), (function,) = names(file_cell), names(function_cell)
    path = ROOT / file
    assert path.is_file(), f"docs/architecture.md: '{change}' names {file}, which does not exist"
    assert defines(path, function), f"docs/architecture.md: '{change}': {file} defines no {function}"


DOCS = [ROOT / "README.md", ROOT / "CONTRIBUTING.md", ROOT / "bench" / "README.md",
        *sorted((ROOT / "docs").glob("*.md"))]


def slug(heading: str) -> str:
    """A heading's anchor as GitHub makes it."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


@pytest.mark.parametrize("doc", DOCS, ids=[str(doc.relative_to(ROOT)) for doc in DOCS])
def test_every_link_between_the_docs_leads_somewhere(doc: Path) -> None:
    text = doc.read_text(encoding="utf-8")
    for number, line in enumerate(text.splitlines(), 1):
        for target in re.findall(r"\]\(([^)\s]+)\)", re.sub(r"`[^`]*`", "", line)):  # not examples in code
            if re.match(r"[a-z]+:", target):
                continue
            file, _, anchor = target.partition("#")
            path = (doc.parent / file).resolve() if file else doc
            assert path.exists(), f"{doc.relative_to(ROOT)}:{number}: the link {target!r} leads to no file"
            if anchor and path.suffix == ".md":
                anchors = {slug(h) for h in re.findall(r"^#+ (.*)$", path.read_text(encoding="utf-8"), re.M)}
                assert anchor in anchors, f"{doc.relative_to(ROOT)}:{number}: {path.name} has no heading #{anchor}"


def test_the_readme_fits_on_two_screens() -> None:
    assert len((ROOT / "README.md").read_bytes()) <= 8_500
