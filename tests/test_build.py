"""The whole multilingual build, checked on the HTML it writes."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from site_gen import search
from site_gen.catalog import read_catalog, render, write_atomic
from site_gen.cli import main
from tests.conftest import build_site, copy_project

PAGE = "russia-digital-summons"
SITE_URL = "https://summons-explainer.example.org/"


def make_partial(project: Path) -> tuple[str, str]:
    """Mark one uk message fuzzy and empty another, as a translator's work in progress."""
    po = project / "locales/uk/LC_MESSAGES" / f"{PAGE}.po"
    catalog = read_catalog(po, "uk")
    fuzzy = next(m for m in catalog if m.id and m.id.startswith("Before the law"))
    empty = next(m for m in catalog if m.id and m.id.startswith("The Moscow Times reported that the law"))
    fuzzy.flags.add("fuzzy")
    empty.string = ""
    write_atomic(po, render(catalog))
    return fuzzy.id, empty.id


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("built"))
    make_partial(project)
    return build_site(project)


def html(site: Path, lang: str, page: str = PAGE) -> str:
    return (site / lang / f"{page}.html").read_text(encoding="utf-8")


def test_every_language_under_its_own_prefix_with_the_same_pages(built: Path) -> None:
    names = {lang: sorted(p.name for p in (built / lang).glob("*.html")) for lang in ("en", "uk", "ru")}
    assert names["en"] == names["uk"] == names["ru"]
    assert f"{PAGE}.html" in names["en"] and "404.html" in names["en"]


def test_root_is_a_plain_language_chooser(built: Path) -> None:
    root = (built / "index.html").read_text(encoding="utf-8")
    for code, name in (("en", "English"), ("uk", "Українська"), ("ru", "Русский")):
        assert f'<a href="{code}/index.html" hreflang="{code}" lang="{code}">{name}</a>' in root
    assert "localStorage" in root and "navigator.languages" in root


def test_html_lang_is_the_language_of_the_main_text(built: Path) -> None:
    assert '<html lang="uk"' in html(built, "uk")
    assert '<html lang="ru"' in html(built, "ru")
    assert '<html lang="en"' in html(built, "en")


def test_switcher_links_to_the_same_page_in_each_language(built: Path) -> None:
    page = html(built, "uk")
    for code in ("en", "uk", "ru"):
        assert re.search(rf'<a href="\.\./{code}/{PAGE}\.html" hreflang="{code}"', page)


def test_hreflang_is_absolute_lists_every_translation_and_x_default(built: Path) -> None:
    page = html(built, "ru")
    links = re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', page)
    assert links == [
        ("en", f"{SITE_URL}en/{PAGE}.html"),
        ("uk", f"{SITE_URL}uk/{PAGE}.html"),
        ("ru", f"{SITE_URL}ru/{PAGE}.html"),
        ("x-default", f"{SITE_URL}en/{PAGE}.html"),
    ]


def test_partially_translated_page_shows_english_with_notices(built: Path) -> None:
    page = html(built, "uk")
    assert 'class="sg-banner"' in page and "% цієї сторінки" in page
    assert '<span class="sg-notice">Англійський оригінал змінився; переклад оновлюється.</span> ' \
           '<span lang="en">Before the law' in page
    assert '<span lang="en" class="sg-untranslated">The Moscow Times reported that the law' in page


def test_source_language_shows_no_notices(built: Path) -> None:
    for page in (built / "en").glob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "sg-banner" not in text and "sg-notice" not in text and "sg-untranslated" not in text


def test_status_and_dates_in_the_reader_language(built: Path) -> None:
    status = '<dt>Статус</dt><dd><strong class="sg-status sg-status--adopted">Ухвалено</strong>'
    assert status in html(built, "uk")
    # The Moscow Times page has no date: "as of" is the site's estimate, a season.
    assert '<time datetime="2023">весна 2023 (ориентировочно)</time>' in html(built, "ru")
    assert '<time datetime="2023">spring 2023 (estimated)</time>' in html(built, "en")
    assert '<time datetime="2026-12-07">7 грудня 2026\u202fр.</time>' in html(built, "uk")


def test_each_language_has_its_404_and_the_root_404_chooses_by_path(built: Path) -> None:
    assert "Сторінку не знайдено" in (built / "uk" / "404.html").read_text(encoding="utf-8") or \
        "404" in (built / "uk" / "404.html").read_text(encoding="utf-8")
    root = (built / "404.html").read_text(encoding="utf-8")
    assert 'data-lang="uk" lang="uk"' in root and "Сторінку не знайдено" in root
    assert "location.pathname" in root


def test_search_index_holds_only_its_language(built: Path) -> None:
    index = search.read_index(built / "uk")
    assert index.meta["lang"] == "uk"
    assert "повістк" in " ".join(text for _, _, _, text in index.docs)
    assert "Росія: електронні військові повістки" in {title for _, title, _, _ in index.docs}
    assert "повістк" not in " ".join(text for _, _, _, text in search.read_index(built / "en").docs)
    assert not (built / "uk" / "search" / "search_index.json").exists()
    assert not any("<" in text or "&lt;" in text for _, _, _, text in index.docs), "plain text only"


def test_one_sitemap_with_alternates_and_x_default(built: Path) -> None:
    sitemap = (built / "sitemap.xml").read_text(encoding="utf-8")
    assert f"<loc>{SITE_URL}uk/{PAGE}.html</loc>" in sitemap
    assert f'hreflang="x-default" href="{SITE_URL}en/{PAGE}.html"' in sitemap
    assert not (built / "uk" / "sitemap.xml").exists()


def test_no_page_loads_anything_from_another_host(built: Path) -> None:
    from site_gen.assemble import external_resources

    assert external_resources(built) == []
    for page in built.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "fonts.googleapis" not in text and "fonts.gstatic" not in text


def test_building_twice_gives_byte_identical_output(tmp_path: Path, monkeypatch) -> None:
    project = copy_project(tmp_path)
    monkeypatch.chdir(project)

    def site() -> dict[Path, bytes]:
        return {p.relative_to(project): p.read_bytes() for p in (project / "site").rglob("*") if p.is_file()}

    monkeypatch.setenv("SITE_GEN_TEMPLATE_CACHE", "off")
    assert main(["build"]) == 0
    first = site()
    templates = tmp_path / "compiled-templates"
    monkeypatch.setenv("SITE_GEN_TEMPLATE_CACHE", str(templates))
    for _ in range(2):  # compiles the theme's templates and keeps them, then loads them
        shutil.rmtree(project / "build")
        assert main(["build"]) == 0
        again = site()
        assert first.keys() == again.keys()
        assert [k for k in first if first[k] != again[k]] == []
        assert len(list(templates.iterdir())) > 10
    for entry in templates.iterdir():  # a damaged cache is compiled afresh, not an error
        entry.write_bytes(entry.read_bytes()[:40])
    shutil.rmtree(project / "build")
    assert main(["build"]) == 0
    assert [k for k in first if first[k] != site().get(k)] == []
    assert main(["build"]) == 0  # this time every language's last output is reused
    assert [k for k in first if first[k] != site().get(k)] == []


def test_the_theme_loader_lists_the_files_mkdocs_copies_without_walking_hidden_folders() -> None:
    import fnmatch

    import jinja2
    from mkdocs.theme import Theme

    from site_gen.render.mkdocs.engine import THEME_DIR, theme_environment

    theme = Theme(name="material", custom_dir=str(THEME_DIR), language="en")
    hidden = ["*/.*", ".*"]  # the patterns MkDocs' add_files_from_theme drops

    def visible(names: list[str]) -> list[str]:
        return [n for n in names if not any(fnmatch.fnmatch(n.lower(), p) for p in hidden)]

    everything = jinja2.FileSystemLoader(theme.dirs).list_templates()
    listed = theme_environment(theme).list_templates()
    assert len(everything) > 10_000 > len(listed)  # Material's icons are not walked
    assert visible(listed) == visible(everything)
    assert any(n.startswith("assets/stylesheets/") and n.endswith(".css") for n in listed)


def test_a_po_edit_rebuilds_only_its_language(tmp_path: Path, monkeypatch, capsys) -> None:
    project = copy_project(tmp_path)
    monkeypatch.chdir(project)
    assert main(["build"]) == 0
    po = project / "locales/uk/LC_MESSAGES/about.po"
    catalog = read_catalog(po, "uk")
    message = next(m for m in catalog if m.id and m.string)
    message.string = "Змінений переклад."
    write_atomic(po, render(catalog))
    capsys.readouterr()
    assert main(["build"]) == 0
    assert "reused: en, ru" in capsys.readouterr().out
    assert "Змінений переклад." in html(project / "site", "uk", "about")


def test_a_rebuild_reuses_the_offline_parts_of_unchanged_languages(tmp_path: Path, monkeypatch, capsys) -> None:
    project = copy_project(tmp_path)
    monkeypatch.chdir(project)
    assert main(["build"]) == 0
    parts = {lang: project / "build" / lang / "offline.part" for lang in ("en", "uk", "ru")}
    made = {lang: part.stat().st_mtime_ns for lang, part in parts.items()}
    po = project / "locales/uk/LC_MESSAGES/about.po"
    catalog = read_catalog(po, "uk")
    next(m for m in catalog if m.id and m.string).string = "Змінений переклад."
    write_atomic(po, render(catalog))
    assert main(["build"]) == 0
    assert "reused: en, ru" in capsys.readouterr().out
    assert {lang: part.stat().st_mtime_ns == made[lang] for lang, part in parts.items()} == {
        "en": True, "uk": False, "ru": True}
    archive = (project / "site/offline/site-offline.zip").read_bytes()
    shutil.rmtree(project / "build")
    assert main(["build"]) == 0
    assert (project / "site/offline/site-offline.zip").read_bytes() == archive, "as a build from scratch"


def test_external_image_fails_the_build_and_keeps_the_old_site(tmp_path: Path, monkeypatch, capsys) -> None:
    project = copy_project(tmp_path)
    monkeypatch.chdir(project)
    assert main(["build"]) == 0
    before = (project / "site" / "en" / "index.html").read_bytes()
    page = project / "content" / "about.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n![A tracker](https://tracker.example.com/a.png)\n")
    assert main(["build"]) == 1
    err = capsys.readouterr().err
    assert "en/about.html:" in err and "https://tracker.example.com/a.png" in err and "another host" in err
    assert (project / "site" / "en" / "index.html").read_bytes() == before
    assert not (project / ".site.new").exists()


def test_a_refused_translation_is_not_published_and_strict_fails(tmp_path: Path, monkeypatch, capsys) -> None:
    project = copy_project(tmp_path)
    monkeypatch.chdir(project)
    po = project / "locales/ru/LC_MESSAGES/about.po"
    catalog = read_catalog(po, "ru")
    message = next(m for m in catalog if m.id and m.string and m.id.startswith("This site"))
    message.string += " <script>alert(1)</script>"
    write_atomic(po, render(catalog))
    assert main(["build", "--strict"]) == 1
    assert f"locales/ru/LC_MESSAGES/about.po:{message.lineno}: error: [html]" in capsys.readouterr().err
    assert not (project / "site").exists()
    assert main(["build"]) == 0
    assert f"locales/ru/LC_MESSAGES/about.po:{message.lineno}: warning: [html]" in capsys.readouterr().err
    page = html(project / "site", "ru", "about")
    assert "alert(1)" not in page
    assert f'<span lang="en" class="sg-untranslated">{message.id[:30]}' in page


def test_unknown_language_in_config_fails_clearly(tmp_path: Path, monkeypatch, capsys) -> None:
    project = copy_project(tmp_path)
    monkeypatch.chdir(project)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("languages: [en, uk, ru]", "languages: [en, uk, qq]"))
    assert main(["build"]) == 1
    assert "unknown language code 'qq'" in capsys.readouterr().err


def test_plain_mkdocs_build_still_builds_the_english_site(tmp_path: Path) -> None:
    import subprocess
    import sys

    project = copy_project(tmp_path)
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(tmp_path / "plain")],
                            cwd=project, capture_output=True, text=True,
                            env={**__import__("os").environ, "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 0, result.stderr
    assert "Russia: digital military summons" in (tmp_path / "plain" / f"{PAGE}.html").read_text()


def test_every_page_has_a_strict_csp_with_hashes_of_its_inline_scripts(built: Path) -> None:
    from site_gen.assemble import inline_hashes

    pages = sorted(built.rglob("*.html"))
    assert len(pages) > 30
    for page in pages:
        text = page.read_text(encoding="utf-8")
        csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', text)
        assert csp, page
        assert "unsafe-inline" not in csp.group(1) and "unsafe-eval" not in csp.group(1)
        assert "default-src 'none'" in csp.group(1)
        scripts, _ = inline_hashes(text)
        for digest in scripts:
            assert digest in csp.group(1)
        assert '<meta name="referrer" content="no-referrer">' in text
        assert text.index("Content-Security-Policy") < text.index("<script"), "the policy comes first"
    headers = (built / "_headers").read_text(encoding="utf-8")
    assert "Content-Security-Policy: default-src 'none'" in headers and "frame-ancestors 'none'" in headers
    assert "Referrer-Policy: no-referrer" in headers


def test_offline_zip_with_checksum_linked_from_about(built: Path) -> None:
    import hashlib
    import zipfile

    archive = built / "offline" / "site-offline.zip"
    digest, name = (built / "offline" / "site-offline.zip.sha256").read_text().split()
    assert name == archive.name and digest == hashlib.sha256(archive.read_bytes()).hexdigest()
    names = set(zipfile.ZipFile(archive).namelist())
    assert {"site/index.html", "site/uk/search.html", "site/uk/search/sg_index.js",
            "site/ru/assets/site_gen_search.js"} <= names
    about = html(built, "uk", "about")
    assert 'href="./../offline/site-offline.zip"' in about and "site-offline.zip.sha256" in about


def test_material_does_not_look_up_alternate_sitemaps(built: Path) -> None:
    for bundle in built.glob("*/assets/javascripts/bundle.*.min.js"):
        assert 'M("link[rel=alternate]")' not in bundle.read_text(encoding="utf-8")


def test_a_page_with_no_translated_text_is_not_advertised(tmp_path: Path, monkeypatch) -> None:
    project = copy_project(tmp_path)
    monkeypatch.chdir(project)
    po = project / "locales/ru/LC_MESSAGES/glossary.po"
    catalog = read_catalog(po, "ru")
    for message in catalog:
        if message.id:
            message.string = ""
    write_atomic(po, render(catalog))
    assert main(["build"]) == 0
    site = project / "site"
    english = html(site, "en", "glossary")
    assert 'hreflang="ru" href="' + SITE_URL + 'ru/glossary.html"' not in english
    assert 'hreflang="uk" href="' + SITE_URL + 'uk/glossary.html"' in english
    russian = html(site, "ru", "glossary")
    assert '<html lang="en"' in russian, "the main text is English"
    assert 'class="sg-banner" role="note" lang="ru"' in russian
    # The menus, header and footer around the English text stay Russian, and say so.
    for chrome in ('<div lang="ru" data-md-component="skip">', '<header lang="ru" class="md-header',
                   '<div lang="ru" class="md-sidebar md-sidebar--primary"', '<footer lang="ru" class="md-footer">'):
        assert chrome in russian, chrome
    assert f"<loc>{SITE_URL}ru/glossary.html</loc>" not in (site / "sitemap.xml").read_text()
    assert re.search(r'<a href="\.\./ru/glossary\.html" hreflang="ru"', english), "still in the switcher"


def test_a_long_menu_is_split_into_numbered_groups_each_page_carrying_only_its_own(
        tmp_path: Path, monkeypatch) -> None:
    project = copy_project(tmp_path)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "  site_gen:\n", "  site_gen:\n    nav_limit: 4\n"), encoding="utf-8")
    monkeypatch.chdir(project)
    assert main(["build"]) == 0
    site = project / "site"
    nav_links = re.compile(r'class="md-nav__link[^"]*"[^>]*href="([^"#]+)"|href="([^"#]+)"[^>]*class="md-nav__link')
    for lang, group in (("en", "Pages 4–6"), ("uk", "Сторінки 4–6"), ("ru", "Страницы 4–6")):
        index = html(site, lang, "index")
        assert group in index
        # Nine pages in three groups of three: the home page's menu holds its own group's
        # pages and a link to the first page of each other group, not every page.
        linked = {a or b for a, b in nav_links.findall(index)}
        assert {"russia-digital-summons.html", "occupied-territories-conscription.html",
                "glossary.html", "translation-status.html"} <= linked
        assert not {"timeline.html", "sources.html", "about.html"} & linked
        assert group in html(site, lang, "about")


def test_a_mkdocs_warning_fails_every_language_with_mkdocs_own_words(tmp_path: Path, monkeypatch, capsys) -> None:
    project = copy_project(tmp_path)
    with (project / "content/about.md").open("a", encoding="utf-8") as page:
        page.write("\nSee [the missing page](no-such-page.md).\n")
    monkeypatch.chdir(project)
    assert main(["build"]) == 1
    err = capsys.readouterr().err
    for lang in ("en", "uk", "ru"):
        assert f"the '{lang}' build failed" in err
    assert "about.md' contains a link 'no-such-page.md'" in err and "strict mode" in err
    assert not (project / "site").exists() and not (project / ".site.new").exists()


def test_each_language_config_is_small_yaml_and_mkdocs_sees_all_of_it(built: Path) -> None:
    """MkDocs parses YAML slowly, so the navigation and interface strings are kept beside the
    config; the hook gives MkDocs (and every plugin) the whole config, with the fast inline stage."""
    from mkdocs.config import load_config

    from site_gen.render.mkdocs.fast_inline import FastInlineExtension

    path = built.parent / "build" / "uk" / "mkdocs.yml"
    written = json.loads(path.read_text(encoding="utf-8"))
    assert "nav" not in written and "alternate" not in written["extra"] and "ui" not in written["extra"]["site_gen"]
    config = load_config(str(path))
    config = config.plugins.on_config(config)
    assert "russia-digital-summons.md" in json.dumps(config["nav"])
    assert [item["lang"] for item in config.extra["alternate"]] == ["en", "uk", "ru"]
    assert config.extra["site_gen"]["ui"]["search.title"]
    assert any(isinstance(extension, FastInlineExtension) for extension in config.markdown_extensions)


def test_a_language_worker_imports_nothing_the_main_process_could_have_imported(built: Path) -> None:
    """Each language's MkDocs runs in a forked worker; a module it imports itself is imported
    once per language instead of once, so MkDocs' whole set is imported before the fork."""
    import subprocess
    import sys

    project = built.parent
    script = (
        "import sys; from pathlib import Path\n"
        "from site_gen.render.mkdocs.engine import _load_mkdocs, run_mkdocs\n"
        "from site_gen.project import Project\n"
        "_load_mkdocs(Project.load('mkdocs.yml'))\n"
        "before = set(sys.modules)\n"
        "run_mkdocs(Path('build/uk/mkdocs.yml'), 'uk')\n"
        "print('\\n'.join(sorted(set(sys.modules) - before)))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=project, capture_output=True, text=True, check=True)
    shutil.rmtree(project / ".site.new", ignore_errors=True)  # where that MkDocs run wrote
    imported = [name for name in done.stdout.split() if not name.endswith("mkdocs_hooks.py")]
    assert set(imported) <= {"encodings.utf_8_sig"}, imported


def test_a_language_worker_imports_no_module_at_all(tmp_path: Path) -> None:
    """The whole worker (generate, MkDocs, the search index's stemmer and analyzer, the offline
    part): every module it needs was imported by the main process before the fork."""
    import subprocess
    import sys

    project = copy_project(tmp_path)
    script = (
        "import os, sys\n"
        "import site_gen.build as build\n"
        "original = build._build_language\n"
        "def watched(job):\n"
        "    before = set(sys.modules)\n"
        "    try:\n"
        "        return original(job)\n"
        "    finally:\n"
        "        with open(f'imported-{os.getpid()}.txt', 'w') as out:\n"
        "            out.write('\\n'.join(sorted(set(sys.modules) - before)))\n"
        "build._build_language = watched\n"
        "from site_gen.cli import main\n"
        "sys.exit(main(['build']))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=project, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    reports = sorted(project.glob("imported-*.txt"))
    assert len(reports) == 3  # en, uk, ru
    for report in reports:
        imported = [name for name in report.read_text().split() if not name.endswith("mkdocs_hooks.py")]
        assert set(imported) <= {"encodings.utf_8_sig"}, imported


def test_a_change_note_shows_on_its_page_and_in_the_feed_of_every_language(built: Path) -> None:
    import xml.etree.ElementTree as ET
    from html import unescape

    import yaml

    from site_gen.catalog import read_translations

    project = built.parent
    front = (project / "content" / f"{PAGE}.md").read_text(encoding="utf-8").split("---\n")[1]
    newest = yaml.safe_load(front)["changes"][0]
    note = " ".join(newest["note"].split())
    atom = "{http://www.w3.org/2005/Atom}"
    for lang in ("en", "uk", "ru"):
        shown = note if lang == "en" else read_translations(
            project / f"locales/{lang}/LC_MESSAGES/{PAGE}.po", lang)[note].text
        assert shown and (lang == "en" or shown != note)
        page = html(built, lang)
        history = page[page.index('id="sg-history"'):]
        assert f'<time datetime="{newest["date"].isoformat()}"' in history and shown in unescape(history)
        # "Last updated" is the newest change, and links to the history.
        assert f'<a href="#sg-history"><time datetime="{newest["date"].isoformat()}">' in page
        feed = ET.parse(built / lang / "feed.xml").getroot()
        summaries = [entry.find(f"{atom}summary").text for entry in feed.findall(f"{atom}entry")]
        assert shown in summaries
        for name in ("index", PAGE, "glossary"):  # every page's head links the language's feed
            assert '<link rel="alternate" type="application/atom+xml" href="feed.xml"' in html(built, lang, name)
        assert 'class="sg-feed"' in html(built, lang, "index") and 'class="sg-feed"' not in page
    sitemap = (built / "sitemap.xml").read_text(encoding="utf-8")
    entry = sitemap[sitemap.index(f"<loc>{SITE_URL}en/{PAGE}.html</loc>"):]
    assert entry[:entry.index("</url>")].count(f"<lastmod>{newest['date'].isoformat()}</lastmod>") == 1


def test_a_malformed_history_is_reported_by_check_and_build(tmp_path: Path, monkeypatch, capsys) -> None:
    project = copy_project(tmp_path)
    monkeypatch.chdir(project)
    page = project / "content" / f"{PAGE}.md"
    page.write_text(page.read_text(encoding="utf-8").replace("  - date: 2026-11-21\n", "  - when: 2026-11-21\n"),
                    encoding="utf-8")
    assert main(["check"]) == 1
    err = capsys.readouterr().err
    line = page.read_text(encoding="utf-8").split("\n").index("changes:") + 1
    assert f"content/{PAGE}.md:{line}: error:" in err and "'changes' must be a list" in err
    assert main(["build"]) == 1
    assert f"{PAGE}.md" in capsys.readouterr().err


def test_the_status_page_lists_topic_pages_left_unreviewed(tmp_path: Path, monkeypatch) -> None:
    """Measured from the site's newest review, so the same sources always give the same site."""
    project = copy_project(tmp_path)
    monkeypatch.chdir(project)
    page = project / "content" / f"{PAGE}.md"
    page.write_text(re.sub(r"^last_reviewed: .*$", "last_reviewed: 2026-01-02", page.read_text(encoding="utf-8"),
                           flags=re.M), encoding="utf-8")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "    review_after_days: 181\n", encoding="utf-8")
    assert main(["build"]) == 0
    status = html(project / "site", "uk", "translation-status")
    assert "Сторінки, які треба перевірити" in status
    # The number of days with its word in the form the number takes (181 день, 180 днів).
    assert "більш ніж за 181 день до" in status
    assert "более чем за 181 день до" in html(project / "site", "ru", "translation-status")
    assert "more than 181 days before" in html(project / "site", "en", "translation-status")
    start = status.rindex("Сторінки, які треба перевірити")  # the heading, after the menu's link to it
    section = status[start:status.index("</ul>", start)]
    assert f'href="{PAGE}.html"' in section and "2 січня 2026" in section
    assert "ukraine-online-summons.html" not in section, "reviewed on the site's newest review date"
    assert "Pages to review" in html(project / "site", "en", "translation-status")


def test_the_english_pages_are_the_authors_byte_for_byte(built: Path) -> None:
    """site_gen never rewrites the source page: the English build reads the author's Markdown
    (the page's facts reach its templates beside it, not in it)."""
    project = built.parent
    for page in sorted((project / "content").glob("*.md")):
        assert (project / "build/en/docs" / page.name).read_bytes() == page.read_bytes(), page.name
    translated = (project / "build/uk/docs" / f"{PAGE}.md").read_text(encoding="utf-8")
    assert "site_gen:" not in translated and "{#" not in translated


def test_translated_headings_take_the_english_ids_without_attr_list(tmp_path: Path, monkeypatch) -> None:
    """No {#id} is written into a translated page, so a site without attr_list keeps its anchors,
    and the ids follow the site's own toc settings (here its separator)."""
    project = copy_project(tmp_path)
    monkeypatch.chdir(project)
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace("  - attr_list\n", "")
    config.write_text(text.replace("  - toc:\n      permalink: false\n",
                                   "  - toc:\n      permalink: true\n      separator: _\n"), encoding="utf-8")
    (project / "content/mmd.md").write_text("title: A MultiMarkdown title\n\n# A page with meta\n\nText.\n",
                                            encoding="utf-8")
    assert main(["build"]) == 0
    english = re.findall(r'<h2 id="([^"]+)"', html(project / "site", "en"))
    assert "what_the_law_says" in english, "the site's toc separator"
    for lang in ("uk", "ru"):
        page = html(project / "site", lang)
        assert re.findall(r'<h2 id="([^"]+)"', page) == english
        for anchor in english[:-1]:  # the permalink and the table of contents point at the English id
            assert f'class="headerlink" href="#{anchor}"' in page and f'href="#{anchor}"' in page.split("<article")[0]
        assert "{#" not in page.split("<article")[1]
    for lang in ("en", "uk"):
        assert "A MultiMarkdown title" not in html(project / "site", lang, "mmd").split("<article")[1], \
            "MultiMarkdown meta stays meta: nothing is put in front of it"



def test_a_failing_user_hook_is_named_without_a_traceback(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    project = copy_project(tmp_path)
    (project / "broken_hook.py").write_text("def on_page_markdown(markdown, page, config, files):\n"
                                            "    return markdown + config.no_such_setting\n", encoding="utf-8")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "\nhooks:\n  - broken_hook.py\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "site_gen", "build"], cwd=project, capture_output=True, text=True,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, timeout=300)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "broken_hook.py:2: error:" in done.stderr and "in a hook or plugin" in done.stderr


def test_pymdownx_block_syntax_stays_as_the_author_wrote_it(tmp_path: Path, monkeypatch) -> None:
    """Tabs right after a paragraph and a `///` block: the English byte for byte; in a translated
    page every marker line, indentation and blank line stays, and the titles are translated."""
    project = copy_project(tmp_path)
    monkeypatch.chdir(project)
    config = project / "mkdocs.yml"
    extensions = "  - pymdownx.superfences\n  - pymdownx.tabbed\n  - pymdownx.blocks.admonition\n"
    config.write_text(config.read_text(encoding="utf-8").replace("  - def_list\n", "  - def_list\n" + extensions),
                      encoding="utf-8")
    blocks = ('Before the tabs.\n=== "First tab"\n\n    Tab one text.\n\n=== "Second tab"\n\n    Tab two text.\n\n'
              "/// note | A block title\n\nBlock body.\n///\n")
    page = project / "content" / f"{PAGE}.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n" + blocks, encoding="utf-8")
    assert main(["extract"]) == 0 and main(["update"]) == 0
    po = project / "locales/uk/LC_MESSAGES" / f"{PAGE}.po"
    text = po.read_text(encoding="utf-8")
    for english, ukrainian in (("First tab", "Перша вкладка"), ("A block title", "Заголовок блоку"),
                               ("Tab one text.", "Текст першої вкладки.")):
        assert f'msgid "{english}"\nmsgstr ""' in text
        text = text.replace(f'msgid "{english}"\nmsgstr ""', f'msgid "{english}"\nmsgstr "{ukrainian}"')
    assert 'msgid "=== ' not in text and 'msgid "///' not in text, "marker lines are not messages"
    po.write_text(text, encoding="utf-8")
    assert main(["build"]) == 0
    assert (project / "build/en/docs" / f"{PAGE}.md").read_bytes() == page.read_bytes()
    translated = (project / "build/uk/docs" / f"{PAGE}.md").read_text(encoding="utf-8")
    assert '=== "Перша вкладка"\n\n    Текст першої вкладки.\n\n=== "Second tab"\n' in translated
    assert "/// note | Заголовок блоку\n\n" in translated and "\n///\n" in translated
    english, ukrainian = html(project / "site", "en"), html(project / "site", "uk")
    for marker in ('class="tabbed-set', 'class="admonition note"'):
        assert english.count(marker) == ukrainian.count(marker) >= 1
    assert "Перша вкладка" in ukrainian and "Заголовок блоку" in ukrainian and "Текст першої вкладки." in ukrainian


def test_translated_headings_follow_a_custom_slugify_function(tmp_path: Path, monkeypatch) -> None:
    """A slugify that only MkDocs' own YAML loader can build (pymdownx.slugs, as Material sites
    configure it): the English ids come from it, and the translated headings take them."""
    project = copy_project(tmp_path)
    monkeypatch.chdir(project)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "  - toc:\n      permalink: false\n",
        "  - toc:\n      permalink: true\n"
        "      slugify: !!python/object/apply:pymdownx.slugs.slugify {kwds: {case: none}}\n"), encoding="utf-8")
    assert main(["check"]) == 0 and main(["build"]) == 0
    english = re.findall(r'<h2 id="([^"]+)"', html(project / "site", "en"))
    assert "What-the-law-says" in english, "the site's slugify keeps the case"
    for lang in ("uk", "ru"):
        assert re.findall(r'<h2 id="([^"]+)"', html(project / "site", lang)) == english
