"""What a reader's browser does with the site: switching language, what it loads, errors,
and the page with its styles and scripts blocked."""

from __future__ import annotations

import pytest

from tests.browser.support import Site, Visit, is_local

JS = pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])


def _switchable(site: Site, lang: str) -> list[str]:
    # The 404 page is no page of the site: its switcher cannot point at "the same page".
    return [p for p in site.pages(lang) if not p.endswith("/404.html")]


@JS
def test_language_switcher_goes_to_the_same_page_in_each_language(
    site: Site, new_context, javascript: bool
) -> None:
    """Every page's switcher points at that page in every language, and following it lands
    there, in that language: each page is followed once to the next language in a ring
    (en→uk→ru→en), so every page is landed on in every language."""
    context = new_context(java_script_enabled=javascript, viewport={"width": 1280, "height": 800})
    page = context.new_page()
    problems = []
    languages = site.languages
    for index, lang in enumerate(languages):
        for number, path in enumerate(_switchable(site, lang)):
            name = path.split("/", 1)[1]
            page.goto(site.url(path))
            links = page.eval_on_selector_all(
                "a.md-select__link[hreflang]", "links => links.map(a => [a.hreflang, a.href])")
            expected_links = [[target, site.url(f"{target}/{name}")] for target in languages]
            if links != expected_links:
                problems.append(f"{path}: switcher links {links}, expected {expected_links}")
                continue
            target = languages[(index + 1) % len(languages)]  # en→uk, uk→ru, ru→en
            # The switcher is a hover/focus menu in the header: use it as a reader would, with
            # the mouse on a few pages (slow: it waits for the menu to settle), the keyboard elsewhere.
            link = f"a.md-select__link[hreflang='{target}']"
            with page.expect_navigation():
                if number % 4:
                    page.focus(link)
                    page.keyboard.press("Enter")
                else:
                    page.hover(".md-select")
                    page.click(link)
            landed = page.url.split("#")[0]
            html_lang = page.get_attribute("html", "lang")
            # An untranslated page is in the source language, says so in <html lang>, and is not
            # announced as a translation (no hreflang alternate for it).
            untranslated = (html_lang == site.source and
                            page.locator(f"link[rel=alternate][hreflang='{target}']").count() == 0)
            if landed != site.url(f"{target}/{name}"):
                problems.append(f"{path} → {target}: landed on {landed}")
            elif html_lang != target and not untranslated:
                problems.append(f"{path} → {target}: <html lang={html_lang!r}>, expected {target!r}")
    assert not problems, "\n".join(problems)


@JS
def test_no_request_to_another_host(site: Site, visits: dict[bool, list[Visit]], javascript: bool) -> None:
    pages = visits[javascript]
    assert len(pages) == len(site.all_pages())
    foreign = [f"{v.path}: {url}" for v in pages for url in v.requests if not is_local(url, site)]
    assert not foreign, f"requests to other hosts than {site.host}:\n" + "\n".join(foreign)
    # And the visit really happened: every page answered and loaded something local.
    assert all(v.status == 200 and v.requests for v in pages), [(v.path, v.status) for v in pages]


@JS
def test_no_console_errors(visits: dict[bool, list[Visit]], javascript: bool) -> None:
    found: dict[str, list[str]] = {}
    for v in visits[javascript]:
        for error in v.console_errors:
            found.setdefault(f"console: {error}", []).append(v.path)
        for error in v.page_errors:
            found.setdefault(f"uncaught: {error}", []).append(v.path)
    assert not found, f"{len(found)} different errors:\n" + "\n".join(
        f"- {error}\n  on {len(set(paths))} page(s): {', '.join(sorted(set(paths))[:6])}"
        for error, paths in found.items())


def test_readable_without_css_or_javascript_and_skip_link_first(site: Site, new_context) -> None:
    context = new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    blocked: list[str] = []

    def abort(route) -> None:
        blocked.append(route.request.url)
        route.abort()

    context.route("**/*.css", abort)
    context.route("**/*.js", abort)
    page = context.new_page()
    problems = []
    for lang in site.languages:
        for path in site.pages(lang):
            page.goto(site.url(path))
            if page.locator("link[rel=stylesheet]").count() == 0:
                problems.append(f"{path}: no stylesheet to block (test is wrong)")
            h1 = page.locator("h1").first
            if not (h1.count() and h1.is_visible() and h1.inner_text().strip()):
                problems.append(f"{path}: no visible h1 with text")
                continue
            if path.endswith("/404.html"):
                continue  # Material's 404 page is its h1 alone, and has no skip link (no contents)
            paragraph = h1.locator("xpath=following::p[normalize-space()][1]")
            if not (paragraph.count() and paragraph.is_visible() and len(paragraph.inner_text().strip()) > 10):
                problems.append(f"{path}: no visible paragraph after the h1")
            first = page.evaluate("""() => {
                const a = document.querySelector("a[href]");
                if (!a) return null;
                const id = decodeURIComponent((a.getAttribute("href") || "").replace(/^#/, ""));
                const target = a.getAttribute("href").startsWith("#") ? document.getElementById(id) : null;
                return {cls: a.className, href: a.getAttribute("href"), text: a.textContent.trim(),
                        target: target ? target.tagName : null,
                        inMain: !!(target && target.closest("main"))};
            }""")
            if not first or "md-skip" not in first["cls"].split():
                problems.append(f"{path}: the first link is {first}, not the skip link")
            elif not (first["target"] and first["inMain"] and first["text"]):
                problems.append(f"{path}: the skip link {first} has no text or no target in <main>")
    assert blocked, "nothing was blocked: the routes did not match"
    assert not problems, "\n".join(problems)


def test_without_css_the_text_starts_within_two_screens(site: Site, new_context) -> None:
    screen = {"width": 360, "height": 740}
    context = new_context(java_script_enabled=False, viewport=screen)
    context.route("**/*.css", lambda route: route.abort())
    page = context.new_page()
    late = {}
    for lang in site.languages:
        for path in site.topic_pages(lang):
            page.goto(site.url(path))
            top = page.evaluate("() => document.querySelector('h1').getBoundingClientRect().top")
            if top > 2 * screen["height"]:
                late[path] = round(top)
    assert not late, f"the h1 starts this many pixels down (screen {screen['height']}): {late}"


@pytest.mark.parametrize("lang", ["en", "uk", "ru"])
def test_first_tab_reaches_the_skip_link_and_shows_it(site: Site, new_context, lang: str) -> None:
    context = new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(site.url(f"{lang}/index.html"))
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.className")
    assert "md-skip" in focused.split()
    assert page.locator("a.md-skip").is_visible()
    target = page.get_attribute("a.md-skip", "href")
    page.keyboard.press("Enter")
    assert page.url.endswith(target)
