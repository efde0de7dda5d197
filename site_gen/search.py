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
import re
from html import unescape
from pathlib import Path

#: Pages that are not content.
SKIPPED = {"404.html", "search.html", "translation-status.html"}

#: The page that shows results.
PAGE = "search.md"


SKIPPED_BLOCKS = re.compile(
    r"<(script|style)\b.*?</\1>|<dl class=\"sg-facts\".*?</dl>|<p class=\"sg-banner\".*?</p>", re.S)
HEADING = re.compile(r"<h([123])\b([^>]*)>(.*?)</h\1>", re.S)
HEADING_ID = re.compile(r"""\bid=["']([^"']+)["']""")
TAG = re.compile(r"<[^>]+>")


def _plain(html: str) -> str:
    return " ".join(unescape(TAG.sub(" ", html)).split())


def page_sections(html: str) -> tuple[str, list[dict[str, str]]]:
    """(page title, sections split at h1–h3) of a page's <article>, as plain text.

    Only the article is read: the work stays linear in the page's text, not in the
    navigation that every page repeats.  Regular expressions suffice because the
    HTML is the one MkDocs just wrote.
    """
    start, end = html.find("<article"), html.rfind("</article>")
    article = SKIPPED_BLOCKS.sub(" ", html[start:end] if start >= 0 and end > start else html)
    sections: list[dict[str, str]] = []
    position, anchor, heading = 0, "", ""
    for match in HEADING.finditer(article):
        body = _plain(article[position:match.start()])
        if heading or body:
            sections.append({"a": anchor, "h": heading, "t": body})
        found = HEADING_ID.search(match.group(2))
        anchor, heading, position = (found.group(1) if found else ""), _plain(match.group(3)), match.end()
    body = _plain(article[position:])
    if heading or body:
        sections.append({"a": anchor, "h": heading, "t": body})
    title = next((s["h"] for s in sections if s["h"]), "")
    return title, sections


def page_docs(relative: str, html: str) -> list[dict[str, str]]:
    """The index entries of one page (*relative* to its language folder): one per section."""
    if relative in SKIPPED or relative.startswith(("assets/", "search/")):
        return []
    title, sections = page_sections(html)
    return [{
        "u": relative + (f"#{section['a']}" if section["a"] and number else ""),
        "p": title,
        "h": section["h"] if number else "",
        "t": section["t"],
    } for number, section in enumerate(sections)]


class IndexWriter:
    """One language's index file (``window.SG_SEARCH={"lang":…,"docs":[…]};``, compact JSON),
    written page by page, without holding every page's text in memory (40 MB at 1,000 pages)."""

    def __init__(self, language_dir: Path, lang: str) -> None:
        self.target = language_dir / "search" / "sg_index.js"
        self.target.parent.mkdir(parents=True, exist_ok=True)
        (language_dir / "search" / "search_index.json").unlink(missing_ok=True)  # Material's
        self.file = self.target.open("w", encoding="utf-8")
        self.file.write(f'window.SG_SEARCH={{"lang":{json.dumps(lang, ensure_ascii=False)},"docs":[')
        self.separator = ""

    def add(self, docs: list[dict[str, str]]) -> None:
        for doc in docs:
            self.file.write(self.separator + json.dumps(doc, ensure_ascii=False, separators=(",", ":")))
            self.separator = ","

    def close(self) -> Path:
        self.file.write("]};\n")
        self.file.close()
        return self.target


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

