"""Phones (issue 22): no page scrolls sideways at 320, 360 or 412 px, with the language menu
open too; the header shows the whole site name, a search icon and the current language by
its own name; the language menu marks the current language."""

from __future__ import annotations

import pytest

from site_gen.generate import native_name
from tests.browser.support import Site

WIDTHS = (320, 360, 412)

STATE = """() => {
  const root = document.documentElement;
  const header = document.querySelector(".md-header");
  const name = document.querySelector(".md-header__topic .md-ellipsis");
  const shown = (el) => !!el && getComputedStyle(el).display !== "none" && el.getClientRects().length > 0;
  let nameCut = null;
  if (name) {
    // Clamped to three lines: the name is whole if it needs no more height than it was given.
    const given = name.getBoundingClientRect().height;
    name.style.webkitLineClamp = "unset";
    const needed = name.getBoundingClientRect().height;
    name.style.webkitLineClamp = "";
    const box = header.getBoundingClientRect(), own = name.getBoundingClientRect();
    nameCut = needed > given + 1 || own.top < box.top - 1 || own.bottom > box.bottom + 1
              || own.left < 0 || own.right > root.clientWidth;
  }
  const current = document.querySelector(".sg-lang__name");
  return {
    scroll: root.scrollWidth, client: root.clientWidth,
    header: !!header, nameCut,
    searchIcon: shown(document.querySelector(".sg-header-search__link")),
    searchField: shown(document.querySelector(".sg-header-search__input")),
    current: shown(current) ? current.textContent.trim() : null,
  };
}"""


@pytest.mark.parametrize("width", WIDTHS)
def test_no_page_scrolls_sideways_and_the_header_fits(site: Site, new_context, width: int) -> None:
    context = new_context(viewport={"width": width, "height": 740})
    # The root chooser sends a reader with a known browser language on at once: stay on it.
    context.add_init_script("Object.defineProperty(navigator, 'languages', {get: () => ['xx']})")
    page = context.new_page()
    problems = []
    names = {lang: native_name(lang) for lang in site.languages}
    for path in site.all_pages():
        page.goto(site.url(path))
        state = page.evaluate(STATE)
        if state["scroll"] != state["client"]:
            problems.append(f"{path}: {state['scroll']} px wide on a {state['client']} px screen")
        if not state["header"]:
            continue  # the root chooser and root 404 have no header
        lang = path.split("/", 1)[0]
        if state["nameCut"]:
            problems.append(f"{path}: the site name is cut in the header")
        if not state["searchIcon"] or state["searchField"]:
            problems.append(f"{path}: search is not an icon (icon {state['searchIcon']}, field {state['searchField']})")
        if state["current"] != names[lang]:
            problems.append(f"{path}: the language button shows {state['current']!r}, not {names[lang]!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_open_language_menu_stays_on_screen_and_marks_the_current_language(
    site: Site, new_context, width: int
) -> None:
    context = new_context(viewport={"width": width, "height": 740})
    page = context.new_page()
    problems = []
    for lang in site.languages:
        path = f"{lang}/glossary.html"
        page.goto(site.url(path))
        page.focus("button.sg-lang")  # the menu opens on focus (and hover), with or without JavaScript
        page.wait_for_timeout(300)  # its opening transition
        state = page.evaluate("""() => ({
            scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth,
            links: [...document.querySelectorAll(".md-select__link")].map(a => {
              const r = a.getBoundingClientRect();
              return {lang: a.hreflang, left: r.left, right: r.right, visible: r.width > 0 && r.height > 0,
                      current: a.getAttribute("aria-current"), text: a.textContent.trim(),
                      fits: a.scrollWidth <= a.clientWidth};
            })})""")
        if state["scroll"] != state["client"]:
            problems.append(f"{path}: {state['scroll']} px wide with the menu open")
        for link in state["links"]:
            if not link["visible"] or link["left"] < 0 or link["right"] > state["client"] or not link["fits"]:
                problems.append(f"{path}: menu item {link['text']!r} is off screen or cut: {link}")
        if [link["lang"] for link in state["links"] if link["current"] == "true"] != [lang]:
            problems.append(f"{path}: the menu does not mark {lang} as current: {state['links']}")
    assert not problems, "\n".join(problems)


READING = """() => {
  const size = (el) => el ? parseFloat(getComputedStyle(el).fontSize) : null;
  return {
    text: size(document.querySelector("article > p")),
    notice: size(document.querySelector("article .admonition p:not(.admonition-title)")),
    cell: size(document.querySelector("article td")),
    dates: [...document.querySelectorAll("article time")].map(t => getComputedStyle(t).whiteSpace),
    cardsFit: [...document.querySelectorAll("article tr")].every(tr => tr.getBoundingClientRect().right <= innerWidth),
    statusIcons: document.querySelectorAll(".md-status").length,
  };
}"""


@pytest.mark.parametrize("lang", ["en", "uk", "ru"])
def test_notices_and_tables_at_body_size_dates_whole_no_status_icons(site: Site, new_context, lang: str) -> None:
    page = new_context(viewport={"width": 360, "height": 740}).new_page()
    page.goto(site.url(f"{lang}/timeline.html"))
    state = page.evaluate(READING)
    assert state["text"] and state["notice"] == state["text"] and state["cell"] == state["text"], state
    assert state["dates"] and set(state["dates"]) == {"nowrap"}, state
    assert state["cardsFit"], "a timeline row is wider than the screen"
    assert state["statusIcons"] == 0
