"""A small static search, one index per language, that works offline and with a strict CSP.

Material's lunr search has no Ukrainian stemmer, mixes nothing up per language only
if built separately, and needs a Web Worker (which ``file://`` pages cannot start).
This search instead:

* reads each built page's article text, split into sections at h2/h3 headings;
* writes ``search/sg_index.js`` (a script, so it loads from ``file://``) per language;
* matches in the browser (``assets/site_gen_search.js``) after folding case, the three
  Ukrainian apostrophes and ``ё``, and stripping inflection endings of the language, so
  ``повістки`` and ``повісткою`` find ``повістка``.
"""

from __future__ import annotations

import json
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

#: Pages that are not content.
SKIPPED = {"404.html", "search.html", "translation-status.html"}

#: The page that shows results.
PAGE = "search.md"


class _Article(HTMLParser):
    """Collects (anchor, heading, text) sections from a page's <article>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.skip = 0
        self.sections: list[list[str]] = []
        self.heading: list[str] | None = None
        self.title = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "article":
            self.depth += 1
        if not self.depth:
            return
        css = values.get("class") or ""
        if tag in ("script", "style") or (tag == "dl" and "sg-facts" in css) or (tag == "p" and "sg-banner" in css):
            self.skip += 1
        if tag in ("h1", "h2", "h3"):
            self.sections.append([values.get("id") or "", "", ""])
            self.heading = self.sections[-1]

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self.depth -= 1
        if self.skip and tag in ("script", "style", "dl", "p"):
            self.skip -= 1
        if tag in ("h1", "h2", "h3"):
            self.heading = None

    def handle_data(self, data: str) -> None:
        if not self.depth or self.skip:
            return
        if not self.sections:
            if not data.strip():
                return
            self.sections.append(["", "", ""])
        if self.heading is not None:
            self.heading[1] += data
        else:
            self.sections[-1][2] += data


def page_sections(html: str) -> tuple[str, list[dict[str, str]]]:
    parser = _Article()
    # Only the article is indexed: feeding just it keeps the work linear in the page text,
    # not in the navigation that every page repeats.
    start, end = html.find("<article"), html.rfind("</article>")
    parser.feed(html[start:end + len("</article>")] if start >= 0 and end > start else html)
    sections = [
        {"a": anchor, "h": " ".join(heading.split()), "t": " ".join(unescape(text).split())}
        for anchor, heading, text in parser.sections
    ]
    title = sections[0]["h"] if sections else ""
    return title, [s for s in sections if s["h"] or s["t"]]


def build_index(language_dir: Path, lang: str) -> str:
    """The JavaScript file holding one language's index."""
    docs = []
    for path in sorted(language_dir.rglob("*.html")):
        relative = path.relative_to(language_dir).as_posix()
        if relative in SKIPPED or relative.startswith(("assets/", "search/")):
            continue
        title, sections = page_sections(path.read_text(encoding="utf-8"))
        for number, section in enumerate(sections):
            docs.append({
                "u": relative + (f"#{section['a']}" if section["a"] and number else ""),
                "p": title,
                "h": section["h"] if number else "",
                "t": section["t"],
            })
    payload = json.dumps({"lang": lang, "docs": docs}, ensure_ascii=False, separators=(",", ":"))
    return f"window.SG_SEARCH={payload};\n"


def write_index(language_dir: Path, lang: str) -> Path:
    target = language_dir / "search" / "sg_index.js"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(build_index(language_dir, lang), encoding="utf-8")
    for old in ("search_index.json",):
        (language_dir / "search" / old).unlink(missing_ok=True)
    return target


def search_page(ui: dict[str, str]) -> str:
    """The Markdown of the results page: a form that works without JavaScript too."""
    return (
        f"---\ntitle: {json.dumps(ui['search.title'], ensure_ascii=False)}\n---\n\n"
        f"# {ui['search.title']}\n\n"
        '<form id="sg-search-form" class="sg-search" action="search.html" method="get" role="search">\n'
        f'<label for="sg-q">{_text(ui["search.label"])}</label>\n'
        '<input id="sg-q" name="q" type="search" autocomplete="off">\n'
        f'<button type="submit">{_text(ui["search.button"])}</button>\n'
        "</form>\n\n"
        f'<div id="sg-search-results" aria-live="polite" data-none="{_attr(ui["search.none"])}" '
        f'data-count="{_attr(ui["search.count"])}"></div>\n\n'
        f'<noscript><p>{_text(ui["search.nojs"])}</p></noscript>\n\n'
        '<script src="search/sg_index.js"></script>\n'
        '<script src="assets/site_gen_search.js"></script>\n'
    )


def _text(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attr(value: str) -> str:
    return _text(value).replace('"', "&quot;")

