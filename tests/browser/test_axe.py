"""axe-core (from the npm registry, ``npm ci`` at the repository root) on every page of every
language, on a phone and on a desktop screen: no WCAG 2.2 A/AA violation."""

from __future__ import annotations

import json

import pytest

from tests.browser.support import AXE, Site

WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
VIEWPORTS = {"phone": {"width": 360, "height": 740}, "desktop": {"width": 1280, "height": 800}}

RUN = """async (tags) => {
  const results = await axe.run(document, {runOnly: {type: "tag", values: tags},
                                           resultTypes: ["violations"]});
  return results.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map(n => ({target: n.target.join(" "), html: n.html.slice(0, 160),
                              summary: n.failureSummary}))}));
}"""


def describe(path: str, violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{path}: {v['id']} ({v['impact']}): {v['help']} — {v['helpUrl']}")
        for node in v["nodes"][:5]:
            summary = " ".join(node["summary"].split())[:300]
            html = " ".join(node["html"].split())
            lines.append(f"    {node['target']}\n      {html}\n      {summary}")
        if len(v["nodes"]) > 5:
            lines.append(f"    … and {len(v['nodes']) - 5} more")
    return "\n".join(lines)


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=list(VIEWPORTS))
@pytest.mark.parametrize("lang", ["root", "en", "uk", "ru"])
def test_no_wcag_violations(site: Site, new_context, lang: str, viewport: str) -> None:
    assert AXE.exists(), f"{AXE} is missing: run `npm ci` at the repository root"
    # bypass_csp: the site's Content-Security-Policy may forbid the injected axe script.
    context = new_context(viewport=VIEWPORTS[viewport], bypass_csp=True)
    page = context.new_page()
    paths = [p for p in site.all_pages() if "/" not in p] if lang == "root" else site.pages(lang)
    if lang == "root":
        # The chooser sends a reader with a saved or browser language on at once: stay on it.
        context.add_init_script("Object.defineProperty(navigator, 'languages', {get: () => ['xx']})")
    report = {}
    for path in paths:
        page.goto(site.url(path))
        page.add_script_tag(path=str(AXE))
        violations = page.evaluate(RUN, WCAG)
        if violations:
            report[path] = violations
    assert not report, "axe found WCAG violations:\n" + "\n".join(
        describe(path, violations) for path, violations in report.items()
    ) + "\n\nsummary: " + json.dumps(
        {path: sorted({v["id"] for v in violations}) for path, violations in report.items()},
        ensure_ascii=False)
