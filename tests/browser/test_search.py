"""Search in each language, in a real browser: inflected Ukrainian and Russian forms, apostrophes,
only that language's pages, no CSP violation; and the offline copy from file://, search included."""

from __future__ import annotations

import zipfile
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.browser.support import Site

CSP_PROBE = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", e => window.__csp.push(e.violatedDirective + " " + e.blockedURI));
"""


def results(page) -> list[str]:
    page.wait_for_selector("#sg-search-results p")
    return page.eval_on_selector_all("#sg-search-results ol a", "links => links.map(a => a.href)")


def open_search(context, url: str):
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url)
    return page, errors


@pytest.mark.parametrize(
    ("lang", "query", "expected"),
    [
        ("uk", "повістка", "russia-digital-summons.html"),
        ("uk", "повістки", "russia-digital-summons.html"),
        ("uk", "повісткою", "russia-digital-summons.html"),
        ("uk", "військкомат", "russia-digital-summons.html"),
        ("ru", "повестка", "russia-digital-summons.html"),
        ("ru", "повесткой", "russia-digital-summons.html"),
        ("ru", "повестки", "russia-digital-summons.html"),
        ("en", "summonses", "russia-digital-summons.html"),
        ("en", "guards", "foreigners-national-guard.html"),
    ],
)
def test_search_finds_inflected_forms_in_its_own_language(site: Site, new_context, lang, query, expected) -> None:
    context = new_context()
    context.add_init_script(CSP_PROBE)
    page, errors = open_search(context, site.url(f"{lang}/search.html?q={quote(query)}"))
    found = results(page)
    assert any(link.split("#")[0].endswith(f"/{lang}/{expected}") for link in found), (query, found)
    assert all(f"/{lang}/" in link for link in found), "results only from this language"
    assert page.evaluate("window.__csp") == [], "no Content-Security-Policy violation"
    assert errors == []


def test_ukrainian_apostrophes_all_match(site: Site, new_context) -> None:
    context = new_context()
    counts = []
    for apostrophe in ("'", "’", "ʼ"):
        page, _ = open_search(context, site.url(f"uk/search.html?q={quote('обов' + apostrophe + 'язок')}"))
        counts.append(len(results(page)))
        page.close()
    assert counts[0] > 0 and len(set(counts)) == 1, counts


def test_header_search_form_leads_to_results(site: Site, new_context) -> None:
    page = new_context().new_page()
    page.goto(site.url("uk/index.html"))
    page.fill("input.sg-header-search__input", "мобілізація")
    page.press("input.sg-header-search__input", "Enter")
    page.wait_for_url("**/uk/search.html?q=*")
    assert results(page)


def test_search_page_without_javascript_says_so(site: Site, new_context) -> None:
    page = new_context(java_script_enabled=False).new_page()
    page.goto(site.url("ru/search.html?q=повестка"))
    assert "JavaScript" in page.inner_text("article")


def test_offline_copy_works_from_file_urls(built_site: Path, tmp_path: Path, new_context) -> None:
    with zipfile.ZipFile(built_site / "offline" / "site-offline.zip") as archive:
        archive.extractall(tmp_path)
    root = tmp_path / "site"
    context = new_context()
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page, errors = open_search(context, (root / "uk" / "search.html").as_uri() + "?q=" + quote("повісткою"))
    assert any(link.endswith("/uk/russia-digital-summons.html") for link in results(page))
    page.goto((root / "uk" / "russia-digital-summons.html").as_uri())
    with page.expect_navigation():
        page.eval_on_selector('a.md-select__link[hreflang="ru"]', "a => a.click()")
    assert page.url.endswith("/ru/russia-digital-summons.html")
    assert page.get_attribute("html", "lang") == "ru"
    assert all(url.startswith(("file://", "data:")) for url in requests), [
        url for url in requests if not url.startswith(("file://", "data:"))]
    assert errors == []
