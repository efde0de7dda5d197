"""What readers on a phone, with a screen reader or on a slow link get from the built HTML
(issue 22): language markup, the page's head, Material's markup made valid, one stylesheet
of ours, caching headers and the root chooser.  The browser checks are in tests/browser."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bench.static_host import headers_for, read_rules
from site_gen.catalog import read_catalog, render, write_atomic
from tests.conftest import build_site, copy_project

UNTRANSLATED_TITLE_PAGE = "glossary"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project built once, with one Ukrainian page title left untranslated."""
    project = copy_project(tmp_path_factory.mktemp("readers"))
    po = project / "locales/uk/LC_MESSAGES" / f"{UNTRANSLATED_TITLE_PAGE}.po"
    catalog = read_catalog(po, "uk")
    next(m for m in catalog if m.id == "Glossary").string = ""
    write_atomic(po, render(catalog))
    return build_site(project)


def read(site: Path, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


# --- language markup -------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["uk", "ru"])
def test_english_headlines_quoted_in_translated_text_are_marked_english(site: Path, lang: str) -> None:
    english = read(site, "en/sources.html")
    headlines = re.findall(r"<li><strong>Headline:</strong> (.+?)</li>", english)
    assert len(headlines) == 5
    page = read(site, f"{lang}/sources.html")
    for headline in headlines:
        assert f'<span lang="en">{headline}</span>' in page, headline
    # Dates as the source printed them, and outlets' English names; short foreign names stay as they are.
    assert '<span lang="en">December 23, 2023 7:57 PM</span>' in page
    assert '<span lang="en">The Kyiv Independent</span>' in page
    assert '<span lang="en">Die Welt' not in read(site, f"{lang}/ukraine-online-summons.html")


def test_the_english_pages_get_no_language_spans(site: Path) -> None:
    for page in (site / "en").glob("*.html"):
        assert '<span lang="en">' not in read(site, f"en/{page.name}"), page.name


def test_an_untranslated_title_is_marked_english_in_menus_and_footer(site: Path) -> None:
    page = read(site, "uk/timeline.html")  # the glossary follows the timeline: its footer links to it
    marked = re.findall(r'<(?:span|div) class="md-ellipsis" lang="en">\s*Glossary\s*<', page)
    assert len(marked) >= 2, "the menu entry and the footer's next-page link"
    assert not re.search(r'<(?:span|div) class="md-ellipsis">\s*Glossary\s*<', page)
    assert 'class="md-ellipsis" lang="en">' not in read(site, "en/timeline.html")


def test_made_with_material_is_in_the_readers_language_with_the_name_in_english(site: Path) -> None:
    page = read(site, "uk/index.html")
    assert re.search(r'Зроблено за допомогою <a [^>]*lang="en">Material for MkDocs</a>', page)
    assert "Made with" not in page


# --- the page's head and Material's markup ---------------------------------------------------


def test_meta_charset_comes_first_in_head(site: Path) -> None:
    for page in pages(site):
        text = page.read_text(encoding="utf-8")
        head = re.search(r"<head[^>]*>\s*", text)
        assert head and text.startswith('<meta charset="utf-8">', head.end()), page
        assert text.index("<meta charset") < 1024


def test_material_toggles_are_valid_and_the_menu_opens_after_the_skip_link(site: Path) -> None:
    page = read(site, "uk/timeline.html")
    assert not re.search(r'<input [^>]*type="checkbox"[^>]*autocomplete', page)
    skip, drawer = page.index('class="md-skip"'), page.index('id="__drawer"')
    assert skip < drawer < page.index("<header"), "skip link, then the menu's checkbox, then the header"
    assert re.search(r'id="__drawer" aria-label="Меню"', page)
    assert page.index('for="__drawer"') > drawer, "the overlay follows its checkbox (CSS sibling selectors)"


def test_no_unexplained_status_icons_in_the_menu(site: Path) -> None:
    for page in pages(site):
        assert "md-status" not in page.read_text(encoding="utf-8"), page


def test_table_cells_carry_their_column_name_and_no_obsolete_align(site: Path) -> None:
    page = read(site, "uk/timeline.html")
    assert '<td data-label="Дата">' in page and '<td data-label="Джерело">' in page
    status = read(site, "en/translation-status.html")
    assert " align=" not in status and 'class="sg-align-right"' in status


def test_the_language_button_names_the_current_language(site: Path) -> None:
    page = read(site, "ru/index.html")
    assert re.search(r'<button [^>]*aria-label="Русский: [^"]+">.*?<span class="sg-lang__name">Русский</span>',
                     page, re.S)
    assert re.search(r'hreflang="ru" lang="ru" class="md-select__link" aria-current="true"', page)
    assert re.search(r'<a class="md-header__button md-icon sg-header-search__link" href="search.html"', page)


# --- weight and caching ----------------------------------------------------------------------


def test_one_stylesheet_of_ours_named_by_its_content(site: Path) -> None:
    for lang in ("en", "uk", "ru"):
        page = read(site, f"{lang}/index.html")
        sheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', page)
        ours = [href for href in sheets if "site_gen" in href]
        assert len(ours) == 1 and re.fullmatch(r"assets/stylesheets/site_gen\.[0-9a-f]{8}\.css", ours[0]), sheets
        assert (site / lang / ours[0]).is_file()


def test_headers_cache_fingerprinted_files_for_long_and_pages_for_minutes(site: Path) -> None:
    """Read as Netlify and Cloudflare Pages read _headers (bench/static_host.py does the same):
    the headers of every matching rule add up, so overlapping caching rules would be joined."""
    rules = read_rules(site / "_headers")
    checked = {"immutable": 0, "html": 0}
    urls = ["/", "/en/", *("/" + p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())]
    for url in urls:
        value = headers_for(rules, url).get("Cache-Control")
        if re.search(r"\.[0-9a-f]{8,}\.(?:min\.)?(?:css|js)$", url):
            assert value == "public, max-age=31536000, immutable", url
            checked["immutable"] += 1
        else:
            assert value in (None, "public, max-age=300"), f"{url}: {value}"
        if url.endswith((".html", "/")):
            assert value == "public, max-age=300", url
            checked["html"] += 1
    assert checked["immutable"] >= 9 and checked["html"] > 30, checked
    assert "Content-Security-Policy" in headers_for(rules, "/en/assets/stylesheets/x.css"), "security headers on all"


# --- the root chooser ------------------------------------------------------------------------


def test_root_chooser_says_what_the_site_is_in_each_language(site: Path) -> None:
    root = read(site, "index.html")
    assert '<meta name="description" content="Plain-language facts on military summons' in root
    icon = re.search(r'<link rel="icon" href="([^"]+)">', root)
    assert icon and (site / icon.group(1)).is_file()
    assert re.search(r'<li lang="uk"><a href="uk/index.html" hreflang="uk" lang="uk">Українська</a>'
                     r"<p><strong>Повістки й правила призову простими словами\.</strong> \S", root)
    assert re.search(r'<li lang="ru">.*<strong>[^<]*\.</strong> \S', root)
    assert "h1 span{display:inline-block}" in root, "the heading breaks between languages, not inside a phrase"
    not_found = read(site, "404.html")
    assert re.search(r'<link rel="icon" href="/en/assets/images/favicon.png">', not_found)


def test_marking_english_runs_never_splits_an_entity() -> None:
    from site_gen.render.mkdocs.mkdocs_hooks import mark_latin_runs

    html = "<p>Текст: Refactored footnote ext to match PHP Extra&rsquo;s output today. Далі.</p>"
    marked = mark_latin_runs(html, "en")
    assert "&rsquo;" in marked and "&<span" not in marked and '<span lang="en">rsquo' not in marked
