"""The round trip on real Markdown written by others: Python-Markdown's own documentation.

The corpus is downloaded from PyPI when the tests run, pinned by version and sha256 in
tests/corpora.toml, and cached under .cache/; it is never committed.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tarfile
import tomllib
from pathlib import Path, PurePosixPath

import pytest

from site_gen.segment import segment_page
from site_gen.translate import Translation, translate_page
from tests.conftest import ROOT, block_structure, html_events, render, render_translated
from tests.test_roundtrip_property import cyrillic

CACHE = ROOT / ".cache" / "corpus"
CORPORA = tomllib.loads((Path(__file__).parent / "corpora.toml").read_text(encoding="utf-8"))


def fetch(name: str) -> Path:
    """The unpacked sdist of corpus *name* (corpora.toml), downloaded once and checked by sha256."""
    entry = CORPORA[name]
    folder = CACHE / entry["folder"]
    if folder.is_dir():
        return folder
    CACHE.mkdir(parents=True, exist_ok=True)
    archive = CACHE / entry["sdist"]
    if not archive.exists():
        result = subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", ":all:",
             f"{entry['package']}=={entry['version']}", "-d", str(CACHE)],
            capture_output=True, text=True, timeout=300,
        )
        if result.returncode != 0:
            if os.environ.get("CI"):
                pytest.fail(f"could not download the corpus: {result.stderr[-500:]}")
            pytest.skip("PyPI not reachable: corpus not available")
    digest = hashlib.sha256(archive.read_bytes()).hexdigest()
    if digest != entry["sha256"]:
        archive.unlink()
        pytest.fail(f"{archive.name} has sha256 {digest}, not the {entry['sha256']} pinned in corpora.toml")
    with tarfile.open(archive) as unpacked:
        unpacked.extractall(CACHE, filter="data")
    return folder


def _corpus() -> list[Path]:
    return sorted((fetch("markdown") / "docs").rglob("*.md"))


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


DUMP_HOOK = '''
import os
from pathlib import Path, PurePosixPath


def on_page_context(context, page, config, nav):
    """page.content as the build made it, per language ("plain": a plain mkdocs build)."""
    lang = (config.extra.get("site_gen") or {}).get("lang") or "plain"
    out = Path(os.environ["SG_DUMP"]) / lang / (page.file.src_uri + ".html")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page.content or "", encoding="utf-8")
    return context
'''


def _corpus_project(target: Path) -> Path:
    """Python-Markdown's docs and mkdocs.yml with Material as the theme (site_gen's overrides are
    Material's), without the plugins that need their repository (API reference from the code)."""
    import shutil

    source = fetch("markdown")
    shutil.copytree(source / "docs", target / "docs", ignore=shutil.ignore_patterns("templates"))
    config = (source / "mkdocs.yml").read_text(encoding="utf-8")
    start, end = config.index("theme:\n"), config.index("\nextra_css:")
    config = config[:start] + "theme:\n  name: material\n  font: false\n" + config[end:]
    config = config[:config.index("plugins:\n")] + "plugins:\n  - search\n"
    config = config.replace("  - mdx_gh_links:\n      user: Python-Markdown\n      repo: markdown\n", "")
    config = config.replace("  - API Reference: reference/\n", "").replace("watch: [markdown, scripts]\n", "")
    # site_gen writes pages as page.html (the offline copy opens from file://, where a folder
    # URL finds no index.html); the plain build compared with it does the same.
    config = config.replace("use_directory_urls: true", "use_directory_urls: false")
    config += "hooks:\n  - dump_hook.py\nextra:\n  site_gen:\n    languages: [en, uk, ru]\n"
    (target / "mkdocs.yml").write_text(config, encoding="utf-8")
    (target / "dump_hook.py").write_text(DUMP_HOOK, encoding="utf-8")
    return target


def test_a_real_docs_site_english_as_plain_mkdocs_identity_the_same_pseudo_translation_keeps_ids_and_links(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """On every page of Python-Markdown's docs: site_gen's English page.content is plain
    `mkdocs build`'s; an identity uk catalog renders the same; a pseudo-translated ru keeps the
    structure and the heading ids, and its internal links and anchors resolve."""
    import re

    from site_gen.catalog import read_catalog, render, write_atomic
    from site_gen.cli import main

    project = _corpus_project(tmp_path / "docs-site")
    dump = tmp_path / "dump"
    monkeypatch.setenv("SG_DUMP", str(dump))
    monkeypatch.chdir(project)
    assert main(["extract"]) == 0 and main(["update"]) == 0
    for lang, change in (("uk", lambda text: text), ("ru", cyrillic)):
        for po in (project / "locales" / lang / "LC_MESSAGES").rglob("*.po"):
            catalog = read_catalog(po, lang)
            for message in catalog:
                if message.id and isinstance(message.id, str):
                    message.string = change(message.id)
            write_atomic(po, render(catalog))
    assert main(["build"]) == 0
    plain = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(tmp_path / "plain")],
                           cwd=project, capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert plain.returncode == 0, plain.stderr

    pages = sorted(path.relative_to(dump / "plain").as_posix() for path in (dump / "plain").rglob("*.html"))
    assert len(pages) >= 30
    ids = re.compile(r'\bid="([^"]+)"')
    different, not_identical, structure, broken = [], [], [], []
    for name in pages:
        english = (dump / "en" / name).read_text(encoding="utf-8")
        if english != (dump / "plain" / name).read_text(encoding="utf-8"):
            different.append(name)
        if _without_language_marks(html_events((dump / "uk" / name).read_text(encoding="utf-8"))) \
                != _without_language_marks(html_events(english)):
            not_identical.append(name)
        russian = (dump / "ru" / name).read_text(encoding="utf-8")
        if block_structure(russian) != block_structure(english) or ids.findall(russian) != ids.findall(english):
            structure.append(name)
        for lang in ("en", "ru"):
            broken += [f"{lang} {link}" for link in _broken_links(project / "site" / lang, name,
                                                                  (dump / lang / name).read_text(encoding="utf-8"))]
    assert different == [], "site_gen's English must be plain MkDocs' English"
    assert not_identical == [], "an identity translation must render as the English"
    assert structure == [], "a translation keeps the page's structure and heading ids"
    english_broken = {link.split(" ", 1)[1] for link in broken if link.startswith("en ")}
    assert [link for link in broken if link.startswith("ru ") and link[3:] not in english_broken] == [], \
        "every internal link and anchor of the translated pages resolves (as well as in the English)"


def _without_language_marks(events: list[tuple]) -> list[tuple]:
    """HTML events without the <span lang="en"> a translated page puts around English words."""
    out, stack = [], []
    for event in events:
        if event[0] == "start" and event[1] == "span":
            stack.append(event[2] == (("lang", "en"),))
            if stack[-1]:
                continue
        elif event[0] == "end" and event[1] == "span" and stack and stack.pop():
            continue
        if event[0] == "text":  # spaces aside: a mark may stand between a word and its punctuation
            text = "".join(event[1].split())
            if out and out[-1][0] == "text":
                out[-1] = ("text", out[-1][1] + text)
                continue
            event = ("text", text)
        out.append(event)
    return out


def _broken_links(site: Path, name: str, content: str) -> list[str]:
    """The internal links of one built page (*name*: its source path + ".html") that miss."""
    import re
    from html import unescape

    here = PurePosixPath(name.removesuffix(".html")).with_suffix(".html")  # the page as built
    missing = []
    for href in re.findall(r'href="([^"]+)"', content):
        target, _, anchor = unescape(href).partition("#")
        if re.match(r"^[a-z]+:|^/", target):
            continue  # another site, or mail
        page = (here.parent / target).as_posix() if target else here.as_posix()
        while re.search(r"(^|/)(?!\.\./)[^/]+/\.\./", page):
            page = re.sub(r"(^|/)(?!\.\./)[^/]+/\.\./", r"\1", page, count=1)
        built = site / page
        built = built / "index.html" if target.endswith("/") or built.is_dir() else built
        if not built.exists() or (anchor and f'id="{anchor}"' not in built.read_text(encoding="utf-8")):
            missing.append(f"{name}: {href}")
    return missing
