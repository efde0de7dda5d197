"""The keyboard (issue 22): every tab stop shows a focus ring (a computed outline or box shadow)
that stands out from what is behind it (3:1), on a phone and a desktop screen, with and without
JavaScript; the menu drawer's hidden links are no tab stops, and the drawer opens from the keyboard."""

from __future__ import annotations

import pytest

from tests.browser.support import Site

PAGES = ("index.html", "russia-digital-summons.html", "glossary.html", "timeline.html", "search.html")
VIEWPORTS = {"phone": {"width": 360, "height": 740}, "desktop": {"width": 1280, "height": 800}}

#: The focused element, how its focus shows, and what is behind the ring.
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el.dataset.sgSeen) return null;
  el.dataset.sgSeen = "1";
  // The drawer's checkbox is invisible: its button in the header shows the focus.
  const shown = el.id === "__drawer" ? document.querySelector(".md-header label[for='__drawer']") : el;
  const style = getComputedStyle(shown);
  const width = parseFloat(style.outlineWidth) || 0, offset = parseFloat(style.outlineOffset) || 0;
  const outline = style.outlineStyle !== "none" && width > 0 ? style.outlineColor : null;
  const shadow = style.boxShadow !== "none" ? style.boxShadow : null;
  const r = shown.getBoundingClientRect();
  const rgba = (text) => {
    const m = text.match(/[\\d.]+/g).map(Number);
    return [m[0], m[1], m[2], m.length > 3 ? m[3] : 1];
  };
  const background = (node) => {
    // The first opaque background from node up, over white.
    const layers = [];
    for (; node && node.nodeType === 1; node = node.parentElement) {
      const c = rgba(getComputedStyle(node).backgroundColor);
      if (c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
    }
    let out = [255, 255, 255];
    for (const c of layers.reverse()) out = out.map((v, i) => v * (1 - c[3]) + c[i] * c[3]);
    return out;
  };
  let behind = shown;
  if (offset >= 0) {
    // What the reader sees just outside the ring, left of it (or right, at the screen's edge).
    let x = r.left - offset - width - 1;
    if (x < 0) x = r.right + offset + width + 1;
    const y = Math.min(Math.max(r.top + r.height / 2, 0), innerHeight - 1);
    behind = document.elementsFromPoint(Math.min(x, innerWidth - 1), y)
      .find(node => node !== shown && !shown.contains(node) && !node.contains(shown)) ||
      document.elementsFromPoint(Math.min(x, innerWidth - 1), y).find(node => node !== shown) || document.body;
  }
  const lum = (c) => {
    const v = c.map(x => { x /= 255; return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2];
  };
  let contrast = null;
  if (outline) {
    const a = lum(rgba(outline).slice(0, 3)), b = lum(background(behind));
    contrast = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  }
  const drawer = document.getElementById("__drawer");
  return {
    what: `${el.tagName.toLowerCase()}${el.className ? "." + String(el.className).trim().split(/\\s+/).join(".") : ""}`
          + ` "${(el.textContent || el.getAttribute("aria-label") || el.value || "").trim().slice(0, 40)}"`,
    outline, shadow, contrast,
    onScreen: r.width > 0 && r.height > 0 && r.right > 0 && r.left < innerWidth
              && getComputedStyle(shown).visibility !== "hidden",
    inClosedDrawer: !!el.closest(".md-sidebar--primary") && !!drawer && !drawer.checked
                    && getComputedStyle(drawer).display !== "none",
  };
}"""


def tab_stops(page, limit: int = 400) -> list[dict]:
    stops = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        stop = page.evaluate(FOCUSED)
        if stop is None:
            break  # back at the start (or out of the page)
        stops.append(stop)
    return stops


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
@pytest.mark.parametrize("viewport", VIEWPORTS, ids=list(VIEWPORTS))
def test_every_tab_stop_shows_a_visible_focus_ring(site: Site, new_context, viewport: str, javascript: bool) -> None:
    context = new_context(viewport=VIEWPORTS[viewport], java_script_enabled=javascript)
    page = context.new_page()
    problems, count = [], 0
    for lang in site.languages:
        for name in PAGES if javascript else PAGES[:2]:
            path = f"{lang}/{name}"
            page.goto(site.url(path))
            stops = tab_stops(page)
            count += len(stops)
            if len(stops) < 5:
                problems.append(f"{path}: only {len(stops)} tab stops (test is wrong?)")
            for stop in stops:
                if not (stop["outline"] or stop["shadow"]):
                    problems.append(f"{path}: {stop['what']} shows no focus (no outline, no box shadow)")
                elif stop["contrast"] is not None and stop["contrast"] < 3:
                    problems.append(f"{path}: {stop['what']}: focus ring {stop['outline']} has contrast "
                                    f"{stop['contrast']:.2f} with what is behind it (at least 3)")
                if not stop["onScreen"]:
                    problems.append(f"{path}: {stop['what']} takes focus but is not on screen")
                if stop["inClosedDrawer"]:
                    problems.append(f"{path}: {stop['what']} in the closed menu drawer takes focus")
    assert count > 50, count
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_the_menu_drawer_opens_from_the_keyboard(site: Site, new_context, javascript: bool) -> None:
    context = new_context(viewport=VIEWPORTS["phone"], java_script_enabled=javascript)
    page = context.new_page()
    page.goto(site.url("uk/timeline.html"))
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('md-skip')")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "__drawer", "the menu button is the second tab stop"
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "Меню"
    page.keyboard.press("Space")
    page.wait_for_timeout(300)  # the drawer slides in
    for _ in range(20):
        page.keyboard.press("Tab")
        inside = page.evaluate("""() => {
            const el = document.activeElement, r = el.getBoundingClientRect();
            if (!el.closest('.md-sidebar--primary')) return null;
            return [r.left >= 0 && r.right <= innerWidth, el.textContent.trim()];
        }""")
        if inside:
            assert inside[0], f"the drawer's link {inside[1]!r} is not on screen"
            break
    else:
        pytest.fail("no link of the open menu drawer took focus")
