"""Files included with pymdownx.snippets (issue 19, item 2): each has its own catalog, its own
counts and the gate's verdict; each language's build includes its translation; a snippet
folder is never a page; a page made only of includes is as translated as its snippets.

One small Material project, built once and copied: snippets in a hidden folder of the docs
(``docs/.snippets``, named with ``!relative $docs_dir``), in a folder outside them
(``snippets/``, named with ``!relative $config_dir``, with a nested include and a section), and
in a docs folder MkDocs publishes (``docs/shared``: those files are pages too).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from site_gen.cli import main

CONFIG = """\
site_name: Snippet docs
docs_dir: docs
use_directory_urls: false
theme:
  name: material
markdown_extensions:
  - admonition
  - pymdownx.snippets:
      # As mkdocs.yml may write them: relative to the working folder, or to the config or docs
      # folder with MkDocs' !relative tag (mkdocstrings' docs; read as "$config_dir", it found nothing).
      base_path: [!relative $docs_dir/.snippets, !relative $config_dir/snippets, docs/shared]
      check_paths: true
extra:
  site_gen:
    languages: [en, uk, ru]
"""

FILES = {
    "docs/index.md": '# Home\n\nWelcome home.\n\n--8<-- "licence.md"\n\n--8<-- "notes/part.md:intro"\n\n'
                     '--8<-- "common.md"\n',
    # A page made only of includes (the block form), one of which includes another.
    "docs/only.md": "--8<--\nterms.md\n--8<--\n",
    "docs/.snippets/licence.md": "Licensed under the **Example** licence.\n",
    "snippets/terms.md": '## Terms\n\nA term explained here.\n\n--8<-- "licence.md"\n',
    "snippets/notes/part.md": "<!-- --8<-- [start:intro] -->\nIntro paragraph to show.\n"
                              "<!-- --8<-- [end:intro] -->\n\nA paragraph no page shows.\n",
    "docs/shared/common.md": "# Common\n\nShared text for all.\n",
}

LICENCE = "Licensed under the **Example** licence."
LICENCE_UK = "Ліцензовано за ліцензією **Example**."
TERM_UK = "Термін, пояснений тут."


@contextlib.contextmanager
def inside(folder: Path):
    cwd = Path.cwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(cwd)


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


def translate(po: Path, translations: dict[str, str]) -> None:
    """Fill msgstrs as a translator's editor does: only those lines change."""
    text = po.read_text(encoding="utf-8")
    for msgid, msgstr in translations.items():
        entry = re.compile(rf'^msgid "{re.escape(quoted(msgid))}"\nmsgstr ".*"$', re.M)
        assert entry.search(text), (msgid, text)
        replacement = f'msgid "{quoted(msgid)}"\nmsgstr "{quoted(msgstr)}"'
        text = entry.sub(lambda _, replacement=replacement: replacement, text)
    po.write_text(text, encoding="utf-8")


def quoted(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def snippet_catalog(project: Path, lang: str, name: str) -> Path:
    return project / "locales" / lang / "LC_MESSAGES" / "_snippets" / name


@pytest.fixture(scope="module", autouse=True)
def fixed_date() -> Iterator[None]:
    """Builds of this module take a fixed date; later modules see the environment as it was."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1700000000")
        yield


@pytest.fixture(scope="module")
def built(tmp_path_factory, fixed_date) -> tuple[Path, str]:
    """The project with its catalogs, the uk licence snippet translated, and its site built."""
    project = tmp_path_factory.mktemp("snippets")
    (project / "mkdocs.yml").write_text(CONFIG, encoding="utf-8")
    for name, text in FILES.items():
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text(text, encoding="utf-8")
    with inside(project):
        assert run("extract")[0] == 0
        for lang in ("uk", "ru"):
            assert run("init", lang)[0] == 0
        translate(snippet_catalog(project, "uk", "licence.po"), {LICENCE: LICENCE_UK})
        code, _, err = run("build")
    assert code == 0, err
    return project, err


def copy_of(built: tuple[Path, str], target: Path) -> Path:
    shutil.copytree(built[0], target / "p")
    return target / "p"


def page(project: Path, lang: str, name: str = "index") -> str:
    return (project / "site" / lang / f"{name}.html").read_text(encoding="utf-8")


def test_each_snippet_has_its_own_catalog_and_no_include_is_a_message(built) -> None:
    project, _ = built
    templates = project / "locales" / "templates"
    found = sorted(path.relative_to(templates).as_posix() for path in templates.rglob("*.pot"))
    assert found == ["_site.pot", "_snippets/licence.pot", "_snippets/notes/part.pot", "_snippets/terms.pot",
                     "index.pot", "only.pot", "shared/common.pot"]
    licence = (templates / "_snippets" / "licence.pot").read_text(encoding="utf-8")
    # The location names the file the author edits, not the catalog's name.
    assert "#: docs/.snippets/licence.md:1\n" in licence and f'msgid "{quoted(LICENCE)}"' in licence
    # The include lines, and the file names of a block, are syntax: no message.
    for name in ("index.pot", "only.pot"):
        assert "8<" not in (templates / name).read_text(encoding="utf-8")
        assert "terms.md" not in (templates / name).read_text(encoding="utf-8")
    # A snippet that is also a page (docs/shared is published by MkDocs) has one catalog: the page's.
    assert "Shared text for all." in (templates / "shared" / "common.pot").read_text(encoding="utf-8")
    assert not (templates / "_snippets" / "common.pot").exists()
    for lang in ("uk", "ru"):
        assert snippet_catalog(project, lang, "terms.po").is_file()


def test_extract_and_update_are_byte_stable_with_snippet_catalogs(built, tmp_path: Path) -> None:
    project = copy_of(built, tmp_path)
    before = {path: path.read_bytes() for path in (project / "locales").rglob("*.po*")}
    with inside(project):
        assert run("extract")[0] == 0
        code, out, _ = run("update")
        assert code == 0 and "0 changed" in out, out
        assert run("update", "--check")[0] == 0
    assert {path: path.read_bytes() for path in (project / "locales").rglob("*.po*")} == before
    # A new English sentence in a snippet reaches its catalogs, and only them.
    (project / "snippets" / "terms.md").write_text(FILES["snippets/terms.md"] + "\nOne more term.\n",
                                                   encoding="utf-8")
    with inside(project):
        assert run("update", "--check")[0] == 1
        assert run("update")[0] == 0
    changed = sorted(path.relative_to(project / "locales").as_posix()
                     for path in (project / "locales").rglob("*.po*") if path.read_bytes() != before.get(path))
    assert changed == ["ru/LC_MESSAGES/_snippets/terms.po", "templates/_snippets/terms.pot",
                       "uk/LC_MESSAGES/_snippets/terms.po"]


def test_each_language_includes_its_translated_snippet(built) -> None:
    project, _ = built
    uk, ru, en = page(project, "uk"), page(project, "ru"), page(project, "en")
    assert "Ліцензовано за ліцензією <strong>Example</strong>." in uk
    assert "Licensed under" not in uk
    # Not translated in ru: the English, marked as English.
    assert re.search(r'<span lang="en" class="sg-untranslated">Licensed under the <strong>Example</strong> '
                     r"licence\.</span>", ru)
    # The English page is the author's include, untouched.
    assert "<p>Licensed under the <strong>Example</strong> licence.</p>" in en
    # Through a nested include (only.md → terms.md → licence.md), and a section only.
    assert "Ліцензовано за ліцензією" in page(project, "uk", "only")
    assert "Intro paragraph to show." in uk and "no page shows" not in uk


def test_snippet_folders_are_no_pages_and_leave_no_broken_link(built) -> None:
    project, err = built
    for lang in ("en", "uk", "ru"):
        found = sorted(path.relative_to(project / "site" / lang).as_posix()
                       for path in (project / "site" / lang).rglob("*.html"))
        assert found == ["404.html", "index.html", "only.html", "search.html", "shared/common.html",
                         "translation-status.html"], found
    status = page(project, "uk", "translation-status")
    # Each snippet's row, named as its catalog is, with no link: it is no page.
    assert re.search(r"<code>_snippets/licence\.md</code></td>\s*<td[^>]*>1</td>", status)
    assert 'href="_snippets' not in status and "licence.html" not in status
    assert "WARNING" not in err and "warning" not in err.lower(), err


def test_a_page_made_of_includes_is_as_translated_as_its_snippets(built) -> None:
    project, _ = built
    with inside(project):
        code, out, _ = run("stats", "--json")
    assert code == 0
    uk = json.loads(out)["uk"]
    assert uk["pages"]["_snippets/licence.md"]["percent"] == 100
    # only.md has no message of its own: it shows the terms (2 messages) and the licence (1).
    assert uk["pages"]["only.md"]["total"] == 3 and uk["pages"]["only.md"]["translated"] == 1
    assert uk["pages"]["only.md"]["percent"] == 33
    # The total counts every message once, however many pages include it.
    own = 2 + 0 + 2 + 2 + 2 + 1  # index, only, shared/common, notes/part, terms, licence
    assert uk["total"]["total"] - uk["pages"]["_site"]["total"] == own
    # Its banner says so; its main language is Ukrainian once a snippet is, English while none is.
    only = page(project, "uk", "only")
    assert "This page is 33% translated" in only and '<html lang="uk"' in only
    assert '<html lang="en"' in page(project, "ru", "only")


def test_once_its_snippets_are_translated_the_page_is_complete(built, tmp_path: Path) -> None:
    project = copy_of(built, tmp_path)
    translate(snippet_catalog(project, "uk", "terms.po"), {"Terms": "Терміни", "A term explained here.": TERM_UK})
    with inside(project):
        code, out, _ = run("stats", "--json")
        assert code == 0
        assert json.loads(out)["uk"]["pages"]["only.md"]["percent"] == 100
        assert run("build")[0] == 0
    only = page(project, "uk", "only")
    assert TERM_UK in only and "Ліцензовано" in only and "sg-untranslated" not in only.split("<article")[1]


def test_a_broken_snippet_translation_is_refused_naming_its_catalog_and_line(built, tmp_path: Path) -> None:
    project = copy_of(built, tmp_path)
    po = snippet_catalog(project, "uk", "licence.po")
    translate(po, {LICENCE: "Ліцензовано за [ліцензією](https://evil.example/) **Example**."})
    line = po.read_text(encoding="utf-8").split("\n").index(f'msgid "{quoted(LICENCE)}"') + 1
    with inside(project):
        code, _, err = run("check")
        assert code == 1
        assert f"locales/uk/LC_MESSAGES/_snippets/licence.po:{line}:" in err, err
        code, _, err = run("build")
    assert code == 0 and "_snippets/licence.po" in err
    # Refused, so never published: the page shows the English, marked.
    uk = page(project, "uk")
    assert "evil.example" not in uk and '<span lang="en" class="sg-untranslated">Licensed under' in uk


def test_a_box_without_a_title_in_a_snippet_shows_the_readers_word(built, tmp_path: Path) -> None:
    """A snippet's ``!!! note`` with no title shows the interface catalog's word for its type, as a
    page's does; the English page keeps the extension's "Note"."""
    project = copy_of(built, tmp_path)
    terms = project / "snippets" / "terms.md"
    terms.write_text(terms.read_text(encoding="utf-8") + "\n!!! note\n\n    Read the terms first.\n", encoding="utf-8")
    with inside(project):
        assert run("update")[0] == 0
        translate(snippet_catalog(project, "uk", "terms.po"),
                  {"Terms": "Терміни", "A term explained here.": TERM_UK, "Read the terms first.": "Спершу умови."})
        translate(project / "locales" / "uk" / "LC_MESSAGES" / "_site.po", {"Note": "Примітка"})
        code, _, err = run("build")
    assert code == 0, err
    title = re.compile(r'<p class="admonition-title">([^<]*)</p>')
    assert title.findall(page(project, "uk", "only")) == ["Примітка"]
    assert title.findall(page(project, "en", "only")) == ["Note"]
