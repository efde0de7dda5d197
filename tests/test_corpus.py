"""The round trip on real Markdown written by others: Python-Markdown's own documentation.

The corpus is downloaded from PyPI (the sdist of Markdown 3.7) when the tests run and
cached under .cache/; it is never committed.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from site_gen.segment import segment_page
from site_gen.translate import Translation, translate_page
from tests.conftest import ROOT, block_structure, html_events, render, render_translated
from tests.test_roundtrip_property import cyrillic

CORPUS_PACKAGE = "markdown==3.7"
CACHE = ROOT / ".cache" / "corpus"


def _corpus() -> list[Path]:
    folder = CACHE / "markdown-3.7"
    if not folder.is_dir():
        CACHE.mkdir(parents=True, exist_ok=True)
        result = subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", ":all:",
             CORPUS_PACKAGE, "-d", str(CACHE)],
            capture_output=True, text=True, timeout=300,
        )
        if result.returncode != 0:
            if os.environ.get("CI"):
                pytest.fail(f"could not download the corpus: {result.stderr[-500:]}")
            pytest.skip("PyPI not reachable: corpus not available")
        with tarfile.open(CACHE / "markdown-3.7.tar.gz") as archive:
            archive.extractall(CACHE, filter="data")
    return sorted((folder / "docs").rglob("*.md"))


@pytest.fixture(scope="module")
def corpus() -> list[Path]:
    files = _corpus()
    assert len(files) >= 30, "the corpus should have Python-Markdown's documentation pages"
    return files


def test_identity_catalog_renders_every_corpus_page_identically(corpus: list[Path]) -> None:
    failures = []
    for path in corpus:
        source = path.read_text(encoding="utf-8")
        page = segment_page(source, path.name)
        table = {text: Translation(text) for text in page.messages()}
        if html_events(render(translate_page(page, table, "uk").markdown)) != html_events(render(source)):
            failures.append(path.name)
    assert failures == []


def test_translating_every_corpus_page_keeps_its_structure(corpus: list[Path]) -> None:
    failures = []
    messages = 0
    for path in corpus:
        source = path.read_text(encoding="utf-8")
        page = segment_page(source, path.name)
        messages += len(page.messages())
        table = {text: Translation(cyrillic(text)) for text in page.messages()}
        translated = translate_page(page, table, "uk").markdown
        if block_structure(render_translated(translated, page)) != block_structure(render(source)):
            failures.append(path.name)
    assert failures == []
    assert messages > 1000


def test_check_passes_on_a_plain_mkdocs_project_without_the_profile(corpus: list[Path], tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    """Python-Markdown's own docs and mkdocs.yml (its plugins need not be installed for `check`),
    every message "translated" as the English (numbers like "Python 3.8" left as they are):
    no page-schema error, no translation error."""
    import shutil

    from site_gen.catalog import read_catalog, render, write_atomic
    from site_gen.cli import main

    source = CACHE / "markdown-3.7"
    shutil.copytree(source / "docs", tmp_path / "docs")
    config = (source / "mkdocs.yml").read_text(encoding="utf-8")
    # mdx_gh_links is their own extension, not installed here (check names it: see gate._markdown).
    config = config.replace("  - mdx_gh_links:\n      user: Python-Markdown\n      repo: markdown\n", "")
    (tmp_path / "mkdocs.yml").write_text(config + "extra:\n  site_gen:\n    languages: [en, uk]\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["extract"]) == 0 and main(["init", "uk"]) == 0
    for po in (tmp_path / "locales/uk/LC_MESSAGES").rglob("*.po"):
        catalog = read_catalog(po, "uk")
        for message in catalog:
            if message.id and isinstance(message.id, str):
                message.string = message.id
        write_atomic(po, render(catalog))
    capsys.readouterr()
    assert main(["check"]) == 0
    out, err = capsys.readouterr()
    assert "\n0 errors," in out and ": error:" not in err
    assert "[front-matter]" not in out and "[sources]" not in out
    assert "templates/" not in out + err, "docs/templates/ is not a page (MkDocs leaves it out)"
