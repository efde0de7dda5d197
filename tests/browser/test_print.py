"""Topic pages print as their text: no navigation, header, footer, search or language switcher;
the status/dates box and the source citations stay, and links to other sites print where they go."""

from __future__ import annotations

import pytest

from tests.browser.support import Site

#: Site chrome that has no place on paper (whatever of it a page has).
CHROME = [".md-header", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-footer", ".md-search",
          ".md-select", "[role=search]", ".md-skip"]

STATE = """(chrome) => {
  const shown = (el) => getComputedStyle(el).display !== "none" && el.getClientRects().length > 0;
  const external = [...document.querySelectorAll("article a[href^='http']")];
  return {
    chrome: chrome.flatMap(sel => [...document.querySelectorAll(sel)].filter(shown).map(() => sel)),
    facts: [...document.querySelectorAll(".sg-facts")].map(shown),
    h1: shown(document.querySelector("h1")),
    external: external.length,
    citations: [...document.querySelectorAll("article a[href*='sources.html#']")].map(shown),
    externalShown: external.filter(a => getComputedStyle(a, "::after").content.includes(a.getAttribute("href"))).length,
  };
}"""


@pytest.mark.parametrize("lang", ["en", "uk", "ru"])
def test_topic_pages_print_without_site_chrome(site: Site, new_context, lang: str) -> None:
    context = new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.emulate_media(media="print")
    problems = []
    with_facts = with_citations = 0
    for path in site.topic_pages(lang):
        page.goto(site.url(path))
        state = page.evaluate(STATE, CHROME)
        if state["chrome"]:
            problems.append(f"{path}: prints {sorted(set(state['chrome']))}")
        if not state["h1"]:
            problems.append(f"{path}: the h1 does not print")
        if not all(state["facts"]):
            problems.append(f"{path}: the status/dates box does not print")
        if state["externalShown"] != state["external"]:
            problems.append(f"{path}: {state['external'] - state['externalShown']} links to other sites "
                            "print without their address")
        if not all(state["citations"]):
            problems.append(f"{path}: a source citation does not print")
        with_facts += bool(state["facts"])
        with_citations += bool(state["citations"])
    assert not problems, "\n".join(problems)
    assert with_facts, "no topic page has a status/dates box: the test checks nothing"
    assert with_citations, "no topic page cites a source: the test checks nothing"


def test_a_topic_page_prints_to_pdf_with_link_addresses(site: Site, new_context) -> None:
    context = new_context()
    page = context.new_page()
    page.goto(site.url(f"{site.source}/russia-digital-summons.html"))
    # No page links to another site yet: add one, as a future source link would be.
    page.evaluate("""() => { const p = document.createElement("p");
        p.innerHTML = '<a id="sg-test-link" href="https://example.org/report">a report</a>';
        document.querySelector("article").append(p); }""")
    page.emulate_media(media="print")
    after = page.evaluate("() => getComputedStyle(document.getElementById('sg-test-link'), '::after').content")
    assert "https://example.org/report" in after
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF-") and len(pdf) > 5_000
