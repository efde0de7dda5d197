"""ProperDocs (the maintained fork of MkDocs 1.6) builds the same site through the renderer seam.

The sites are identical byte for byte, the offline ZIP included.  The one line an engine
could change, Material's ``<meta name="generator" content="mkdocs-1.6.1, mkdocs-material-…">``,
is not in site_gen's pages: its main.html replaces Material's ``site_meta`` block.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from tests.conftest import copy_project


def build_with(project: Path, engine: str) -> tuple[Path, str]:
    """`site-gen build` in a fresh process with SITE_GEN_ENGINE=*engine* (the engine is chosen
    before MkDocs is imported); its site, moved aside, and what it printed."""
    env = {**os.environ, "SITE_GEN_ENGINE": engine, "SOURCE_DATE_EPOCH": "1700000000", "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run([sys.executable, "-m", "site_gen", "build"], cwd=project, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return (project / "site").rename(project / f"site-{engine}"), done.stdout


def comparable(path: Path, data: bytes) -> dict[str, bytes]:
    """A file's bytes; a ZIP (the offline copy) member by member, so a difference is named."""
    if path.suffix == ".zip":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return {f"{path}!{name}": archive.read(name) for name in archive.namelist()}
    return {str(path): data}


def tree(site: Path) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for path in sorted(site.rglob("*")):
        if path.is_file():
            files.update(comparable(path.relative_to(site), path.read_bytes()))
    return files


def test_properdocs_builds_the_same_site_as_mkdocs_byte_for_byte(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    mkdocs_site, said = build_with(project, "mkdocs")
    assert "built en, uk, ru into site/ in" in said, said
    properdocs_site, said = build_with(project, "properdocs")
    # Built again, not reused: the engine is part of what a language's build reads.
    assert "built en, uk, ru into site/ with properdocs in" in said and "reused" not in said, said
    expected, actual = tree(mkdocs_site), tree(properdocs_site)
    assert sorted(actual) == sorted(expected)
    differing = [name for name in expected if expected[name] != actual[name]]
    assert differing == [], differing[:10]
    shutil.rmtree(tmp_path / "build", ignore_errors=True)


def test_an_unknown_engine_is_refused_with_the_ones_there_are(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    env = {**os.environ, "SITE_GEN_ENGINE": "zensical", "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run([sys.executable, "-m", "site_gen", "build"], cwd=project, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 1
    assert "unknown site engine 'zensical'" in done.stderr and "mkdocs, properdocs" in done.stderr
    assert not (project / "site").exists()
