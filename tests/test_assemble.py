"""The whole-site steps: privacy check and CSP (on small inputs, without MkDocs)."""

from __future__ import annotations

import pytest

from site_gen.assemble import _html_resources, secure_page


@pytest.mark.parametrize("html, where, url", [
    ('<p>\n<IMG SRC="https://cdn.example/a.png"></p>', "<img src>", "https://cdn.example/a.png"),
    ('<img src="//cdn.example/a.png">', "<img src>", "//cdn.example/a.png"),
    ('<img src="https:&#47;&#47;cdn.example/a.png">', "<img src>", "https://cdn.example/a.png"),
    ('<img srcset="a.png 1x, https://cdn.example/b.png 2x">', "<img srcset>", "https://cdn.example/b.png"),
    ('<link rel="stylesheet" href="https://fonts.example/css">', "<link href>", "https://fonts.example/css"),
    ('<script src="https://t.example/x.js"></script>', "<script src>", "https://t.example/x.js"),
    ('<div style="background: url(https://t.example/p.gif)">', "CSS url()", "https://t.example/p.gif"),
    ('<STYLE>@import "https://fonts.example/f.css";</STYLE>', "CSS url()", "https://fonts.example/f.css"),
])
def test_everything_a_page_would_load_from_another_host_is_found(html: str, where: str, url: str) -> None:
    assert [(w, u) for _, w, u in _html_resources(html)] == [(where, url)]


@pytest.mark.parametrize("html", [
    '<a href="https://www.example.org/news">a source</a>',
    '<link rel="alternate" hreflang="uk" href="https://site.example/uk/">',
    '<link rel="canonical" href="https://site.example/en/">',
    '<img src="assets/a.png"><script src="assets/x.js"></script>',
    '<svg xmlns="http://www.w3.org/2000/svg"></svg>',
    '<p>Write url(https://x) in CSS to load a font.</p>',
])
def test_links_and_local_files_are_not_loads(html: str) -> None:
    assert _html_resources(html) == []


def test_the_line_of_each_load_is_reported() -> None:
    html = "<html>\n<head>\n</head>\n<body>\n<img src='https://x.example/a.png'>\n</body>"
    assert _html_resources(html)[0][0] == 5


def test_secure_page_hashes_its_inline_script_and_is_idempotent() -> None:
    html = "<html><head>\n<title>t</title></head><body><script>var a=1;</script></body></html>"
    once, scripts, styles = secure_page(html)
    assert len(scripts) == 1 and styles == []
    assert f"script-src 'self' {scripts[0]}" in once and '<meta name="referrer" content="no-referrer">' in once
    assert secure_page(once)[0] == once


@pytest.mark.parametrize("html", [
    '<pre><code>&lt;img src="https://cdn.example/a.png"&gt;\n'
    '&lt;div style="background: url(https://cdn.example/b.png)"&gt;</code></pre>',
    '<p>Inline: <code>&lt;div style="background: url(https://cdn.example/c.png)"&gt;</code></p>',
    '<pre><span class="nt">&lt;link</span> <span class="na">rel=</span>"stylesheet" href="https://x.example/s.css"&gt;</pre>',
])
def test_documentation_examples_inside_code_are_not_loads(html: str) -> None:
    assert _html_resources(html) == []


def test_allowed_hosts_and_their_subdomains() -> None:
    from site_gen.assemble import Privacy

    privacy = Privacy("strict", ("img.shields.io", "*.example.org"))
    assert privacy.allows("https://img.shields.io/badge/x") and privacy.allows("//cdn.example.org/a.png")
    assert not privacy.allows("https://shields.io/x") and not privacy.allows("https://example.org.evil.net/a")
