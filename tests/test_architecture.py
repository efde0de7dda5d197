"""The renderer seam holds: the core imports no site engine, theme or template engine.

Core = every module of ``site_gen`` outside ``site_gen/render/``, including the build's
orchestration (``build.py``) and the CLI (``cli.py``): they run the engine, but only through
``site_gen.render`` (the protocol), which imports it when a build loads it.  ``__main__``
only runs the CLI.  Of ``site_gen/render/`` itself, the protocol module, the MkDocs
package's ``__init__`` and its URL scheme (``nav.py``) are imported by the core, so they
are held to the same rule.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "site_gen"
RENDER = PACKAGE / "render"
ENGINE_MODULES = ("mkdocs", "material", "jinja2", "properdocs")
SEAM_MODULES = ["site_gen.render", "site_gen.render.mkdocs", "site_gen.render.mkdocs.nav"]


def core_modules() -> list[str]:
    return sorted(f"site_gen.{path.stem}" for path in PACKAGE.glob("*.py") if path.stem != "__main__")


@pytest.mark.parametrize("module", [*core_modules(), *SEAM_MODULES])
def test_a_core_module_imports_no_site_engine(module: str) -> None:
    script = (f"import importlib, json, sys; importlib.import_module({module!r}); "
              f"print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in {ENGINE_MODULES!r})))")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert json.loads(done.stdout) == [], (
        f"{module} imports {done.stdout.strip()}: move what needs it into site_gen/render/mkdocs/ "
        "and reach it through site_gen.render.Renderer")


def test_only_the_renderer_names_the_engine_in_its_imports() -> None:
    """Even inside functions (run later, in a build): outside render/, no import of MkDocs,
    Material or Jinja, nor of the MkDocs renderer's modules past the protocol."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.is_relative_to(RENDER):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            for name in names:
                if name.split(".")[0] in ENGINE_MODULES or name.startswith("site_gen.render.mkdocs"):
                    found.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}: import {name}")
    assert found == [], "\n".join(found)
