"""The project on disk: cached reading of catalogs and pages gives what the files say."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from site_gen.errors import SiteGenErrors
from site_gen.project import Project
from tests.conftest import copy_project

PO = "locales/uk/LC_MESSAGES/about.po"


def test_an_edited_catalog_is_read_again_and_the_others_come_from_the_cache(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    first = Project.load(root / "mkdocs.yml").language_translations("uk")
    text = (root / PO).read_text(encoding="utf-8")
    entry = next(e for e in first["about.md"].values() if e.text and '"' not in e.text and "\n" not in e.text)
    (root / PO).write_text(text.replace(f'msgstr "{entry.text}"', 'msgstr "Новий переклад."', 1), encoding="utf-8")
    second = Project.load(root / "mkdocs.yml").language_translations("uk")
    assert "Новий переклад." in {e.text for e in second["about.md"].values()}
    assert second["glossary.md"] == first["glossary.md"]


def test_a_broken_catalog_fails_even_when_the_others_are_cached(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    Project.load(root / "mkdocs.yml").language_translations("uk")
    with (root / PO).open("a", encoding="utf-8") as handle:
        handle.write('\nmsgid "Unclosed\nmsgstr ""\n')
    with pytest.raises(SiteGenErrors) as error:
        Project.load(root / "mkdocs.yml").language_translations("uk")
    assert PO in str(error.value) and "not a valid PO file" in str(error.value)


def test_cached_tables_say_what_each_catalog_says(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    project = Project.load(root / "mkdocs.yml")
    fresh = project.language_translations("uk")  # reads every catalog
    cached = Project.load(root / "mkdocs.yml").language_translations("uk")  # from the cache
    assert set(fresh) == set(cached) == {*project.page_paths, "_site"}
    for name in project.page_paths:
        assert fresh[name] == cached[name] == project.translations("uk", name)


def test_a_fresh_clone_finds_its_catalogs_up_to_date_without_merging_them(tmp_path: Path, monkeypatch) -> None:
    from site_gen import catalog as catalogs

    root = copy_project(tmp_path)
    project = Project.load(root / "mkdocs.yml")
    assert not project.cache_dir.exists()  # nothing remembered from an earlier merge
    merged: list[str] = []
    merge = catalogs.merge
    monkeypatch.setattr(catalogs, "merge", lambda template, catalog: merged.append(template.header_comment)
                        or merge(template, catalog))
    planned = project.plan(project.targets, jobs=1)
    assert len(planned) > 10 and all(data is None for data in planned.values())
    assert merged == []

    page = root / "content" / "about.md"
    text = page.read_text(encoding="utf-8")
    paragraph = next(line for line in text.split("\n\n") if line[:1].isalpha())
    page.write_text(text.replace(paragraph, paragraph + " An added sentence.", 1), encoding="utf-8")
    planned = Project.load(root / "mkdocs.yml").plan(project.targets, jobs=1)
    changed = {path.relative_to(root).as_posix() for path, data in planned.items() if data is not None}
    assert changed == {"locales/templates/about.pot", *(f"locales/{lang}/LC_MESSAGES/about.po"
                                                         for lang in project.targets)}
    assert len(merged) == len(project.targets) and all("about.md" in header for header in merged)


def test_pages_prepared_by_workers_are_the_pages_segmented_here_in_page_order(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    prepared = Project.load(root / "mkdocs.yml")
    prepared.prepare(jobs=3)
    prepared.wait_prepared()
    here = Project.load(root / "mkdocs.yml")
    assert list(prepared.pages()) == here.segment_pages(here.page_paths)
    assert [page.path for page in prepared.pages()] == list(here.page_paths)
    assert (root / "build" / ".cache" / "translations" / "uk.pickle").exists(), "the catalogs were read too"


@pytest.mark.parametrize("jobs", [1, 3])
def test_a_broken_page_fails_with_its_file_and_line_whoever_segments_it(tmp_path: Path, jobs: int) -> None:
    root = copy_project(tmp_path)
    page = root / "content" / "about.md"
    page.write_text("---\ntitle: [unclosed\n---\n\nText.\n", encoding="utf-8")
    project = Project.load(root / "mkdocs.yml")
    project.prepare(jobs=jobs)
    with pytest.raises(SiteGenErrors) as error:
        project.wait_prepared()
    assert str(error.value).startswith("content/about.md:2: error: front matter is not valid YAML")


@pytest.mark.parametrize(("extensions", "expected"), [
    (["extra"], {"abbr", "attr_list", "def_list", "footnotes", "md_in_html", "tables", "toc"}),
    (["markdown.extensions.admonition", {"markdown.extensions.footnotes": {"BACKLINK_TEXT": "^"}}],
     {"admonition", "footnotes", "tables", "toc"}),
    (["pymdownx.blocks.admonition", "pymdownx.details", {"pymdownx.tabbed": {"alternate_style": True}}],
     {"details", "tabbed", "tables", "toc"}),
    ([], None),
])
def test_python_markdowns_names_for_extensions_are_understood(extensions, expected) -> None:
    from site_gen.segment import KNOWN_EXTENSIONS
    from site_gen.settings import extension_names

    found = extension_names({"markdown_extensions": extensions})
    assert found == (KNOWN_EXTENSIONS if expected is None else expected)


def test_a_table_under_extra_is_segmented_cell_by_cell() -> None:
    from site_gen.segment import segment_page
    from site_gen.settings import extension_names

    extensions = extension_names({"markdown_extensions": ["extra"]})
    page = segment_page("| A | B |\n|---|---|\n| one | two |\n", "p.md", extensions)
    assert [s.kind for s in page.segments] == ["cell"] * 4


@pytest.mark.parametrize("jobs", [1, 3], ids=["in this process", "in forked workers"])
def test_a_build_reads_each_catalog_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int) -> None:
    """Prepared, counted and built, each language's catalogs are read from disk once: the count
    and the language's build take what the first reading handed on.  Forked workers inherit
    the counter, which notes each read in a file."""
    from site_gen import project as projects
    from site_gen.commands.build import build

    root = copy_project(tmp_path / "project")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    log = tmp_path / "reads.txt"
    real_read = projects._read

    def counted(path: Path) -> bytes | None:
        if path.suffix == ".po":
            with log.open("a", encoding="utf-8") as out:  # one short append per read, whichever process
                out.write(path.relative_to(root).as_posix() + "\n")
        return real_read(path)

    monkeypatch.setattr(projects, "_read", counted)
    catalogs = {path.relative_to(root).as_posix() for path in (root / "locales").rglob("*.po")}
    for _ in range(2):  # a first build, and one with every cache warm
        log.write_text("", encoding="utf-8")
        project = Project.load(root / "mkdocs.yml")
        project.prepare(jobs)
        build(project, jobs=jobs)
        reads = Counter(log.read_text(encoding="utf-8").split())
        assert set(reads) == catalogs
        assert {path: times for path, times in reads.items() if times != 1} == {}
