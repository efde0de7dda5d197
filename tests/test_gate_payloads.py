"""Issue 17: no catalog content changes a published page.

Every payload of ``tests/payloads.py`` goes into a copy of the project's uk catalogs (page
catalogs and the interface catalog); ``site-gen check`` and ``site-gen build`` run once on
it, and each test reads what they reported and searches the built site.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
from dataclasses import dataclass
from html import unescape
from pathlib import Path

import markdown
import pytest

from site_gen.catalog import read_catalog, render, write_atomic
from site_gen.cli import main
from site_gen.project import Project
from tests.conftest import copy_project
from tests.payloads import PAYLOADS, Payload, marker

NAV_TITLE = "About the site"


@dataclass(frozen=True)
class Injected:
    payload: Payload
    marker: str
    catalog: str  # relative path of the .po file
    line: int
    msgid: str
    kinds: tuple[str, ...]


@dataclass(frozen=True)
class Outcome:
    injected: dict[str, Injected]
    check_code: int
    check_err: str
    build_code: int
    build_err: str
    strict_code: int
    strict_err: str
    site: Path


def _run(*args: str) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(list(args))
    return code, err.getvalue()


#: The author's own inline script: in the English page, so in every language, and hashed in the CSP.
AUTHOR_SCRIPT = "<script>document.documentElement.dataset.author = 'yes'</script>"


def _inject(project: Path) -> dict[str, Injected]:
    about = project / "content/about.md"
    about.write_text(about.read_text(encoding="utf-8") + f"\n{AUTHOR_SCRIPT}\n", encoding="utf-8")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("  - about.md", f"  - {NAV_TITLE}: about.md"))
    site_po = project / "locales/uk/LC_MESSAGES/_site.po"
    site_po.write_text(site_po.read_text() + f'\nmsgid "{NAV_TITLE}"\nmsgstr "Про сайт"\n')
    pages = {page.path: page for page in Project.load(config).pages()}
    chosen: dict[str, tuple[Payload, str, str]] = {}  # msgid in its catalog → payload, marker
    used: set[tuple[str, str]] = set()
    for index, payload in enumerate(PAYLOADS):
        page = pages.get(f"{payload.catalog}.md")
        candidates = ([(text, segments[0].kind) for text, segments in page.messages().items()] if page
                      else [(m.id, "interface") for m in read_catalog(site_po, "uk") if m.id])
        msgid = next(text for text, kind in candidates
                     if payload.msgid(text, kind) and (payload.catalog, text) not in used)
        used.add((payload.catalog, msgid))
        chosen[f"{payload.catalog}\0{msgid}"] = (payload, msgid, marker(index))
    found: dict[str, Injected] = {}
    for name in sorted({payload.catalog for payload, _, _ in chosen.values()}):
        po = project / f"locales/uk/LC_MESSAGES/{name}.po"
        catalog = read_catalog(po, "uk")
        for payload, msgid, word in chosen.values():
            if payload.catalog == name:
                catalog[msgid].string = f"{word} " + payload.change(catalog[msgid].string)
        write_atomic(po, render(catalog))
        written = read_catalog(po, "uk")
        for payload, msgid, word in chosen.values():
            if payload.catalog == name:
                page = pages.get(f"{name}.md")
                kinds = tuple(s.kind for s in page.messages()[msgid]) if page else ("interface",)
                found[payload.name] = Injected(payload, word, f"locales/uk/LC_MESSAGES/{name}.po",
                                               written[msgid].lineno, msgid, kinds)
    return found


@pytest.fixture(scope="module")
def outcome(tmp_path_factory: pytest.TempPathFactory) -> Outcome:
    project = copy_project(tmp_path_factory.mktemp("payloads"))
    injected = _inject(project)
    cwd = Path.cwd()
    os.chdir(project)
    try:
        check = _run("check")
        strict = _run("build", "--strict")
        build = _run("build")
    finally:
        os.chdir(cwd)
    return Outcome(injected, *check, *build, *strict, project / "site")


NAMES = [payload.name for payload in PAYLOADS]


def _published(site: Path) -> str:
    # Every page, search index, sitemap and header file (the theme's own scripts aside).
    return "\n".join(path.read_text(encoding="utf-8") for path in sorted(site.rglob("*"))
                     if path.suffix in (".html", ".xml") or path.name in ("sg_index.js", "_headers"))


@pytest.fixture(scope="module")
def published(outcome: Outcome) -> str:
    return _published(outcome.site)


@pytest.mark.parametrize("name", NAMES)
def test_check_refuses_the_payload_with_file_and_line(outcome: Outcome, name: str) -> None:
    found = outcome.injected[name]
    assert outcome.check_code == 1
    assert f"{found.catalog}:{found.line}: error:" in outcome.check_err


@pytest.mark.parametrize("name", NAMES)
def test_build_publishes_the_english_instead_and_says_where(outcome: Outcome, published: str, name: str) -> None:
    found = outcome.injected[name]
    assert outcome.build_code == 0, outcome.build_err
    assert f"{found.catalog}:{found.line}: warning:" in outcome.build_err
    assert found.marker not in published, "no part of the translation is published"
    page_catalog = found.payload.catalog != "_site"
    pages = [outcome.site / "uk" / f"{found.payload.catalog}.html"] if page_catalog else \
        sorted((outcome.site / "uk").glob("*.html"))
    html = "\n".join(page.read_text(encoding="utf-8") for page in pages)
    shown = _plain(markdown.markdown(found.msgid)) in _plain(html) or found.msgid in unescape(html)  # text or attribute
    assert shown, "the English is shown"
    if set(found.kinds) & {"paragraph", "heading", "cell"}:
        assert '<span lang="en" class="sg-untranslated">' in html, "marked as English"


def _plain(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]*>", " ", html)).split())


def test_build_strict_fails_naming_every_refused_translation(outcome: Outcome) -> None:
    assert outcome.strict_code == 1
    for found in outcome.injected.values():
        assert f"{found.catalog}:{found.line}: error:" in outcome.strict_err


def test_check_and_build_agree(outcome: Outcome) -> None:
    def places(text: str, severity: str) -> set[str]:
        return {line.split(f": {severity}:")[0] for line in text.splitlines()
                if f": {severity}: [" in line and "[plurals]" not in line}

    assert places(outcome.check_err, "error") == places(outcome.build_err, "warning")
    assert len(places(outcome.check_err, "error")) == len(PAYLOADS)


def test_no_payload_reaches_any_page(published: str) -> None:
    for word in ("evil.example", "onload", "onclick", "onmouseover", "onfocus", "alert(1)", "http-equiv=\"refresh\"",
                 "\u202e", "\u200b"):
        assert word not in published, word


def test_the_authors_own_script_is_published_in_every_language_and_hashed(outcome: Outcome) -> None:
    from site_gen.assemble import inline_hashes

    for lang in ("en", "uk", "ru"):
        page = (outcome.site / lang / "about.html").read_text(encoding="utf-8")
        assert AUTHOR_SCRIPT in page
        assert inline_hashes(AUTHOR_SCRIPT)[0][0] in page.split("Content-Security-Policy", 1)[1].split(">", 1)[0]
