"""Heading ids: a translated page keeps the English page's anchors.

Python-Markdown's ``toc`` names a heading after its text, so a Cyrillic heading would get
``_1`` and every link to ``page.md#section`` would miss in Ukrainian and Russian.  site_gen
does not write ``{#id}`` into the translated Markdown (without ``attr_list`` it would show
as text); instead it computes the ids the English page's headings get, with the site's
own Markdown configuration (its ``toc`` options, slugify included), and the build's hook
gives them to the translated page's headings, in order, after rendering.
"""

from __future__ import annotations

import re

from site_gen.gate import MarkdownConfig, markdown_for, page_context
from site_gen.segment import Page

#: A heading element with an id, as Python-Markdown writes it.
HEADING_ID = re.compile(r'<h([1-6])([^>]*?)\sid="([^"]*)"')
#: What may stand before a heading's "#" on its line: a quote's ">" or a block's indentation.
_CONTAINER = re.compile(r"^[\s>]*")


def heading_sources(page: Page) -> list[str]:
    """Each heading of the page as its own Markdown, in page order (out of its quote or list)."""
    return ["\n".join(_CONTAINER.sub("", line) for line in page.lines[first:last + 1])
            for first, last in page.headings]


def english_heading_ids(page: Page, config: MarkdownConfig) -> list[str]:
    """The ids MkDocs gives the page's headings, in order ([] when they cannot be known).

    The headings are rendered alone, with the page's link definitions, by the page's own
    Markdown configuration: the ids come from its ``toc`` exactly as in the English build
    (the same slugify, the same numbering of repeated titles, ``{#id}`` where attr_list is on).
    """
    sources = heading_sources(page)
    if not sources:
        return []
    definitions = page_context(page.lines).definitions
    try:
        md = markdown_for(config)
        md.reset()
        html = md.convert("\n\n".join(part for part in (definitions, "\n\n".join(sources)) if part))
    except Exception:  # a setting only MkDocs can load (a !!python/name slugify…)
        return []  # the build's hook then renders the English page with MkDocs' own configuration
    ids = [match.group(3) for match in HEADING_ID.finditer(html)]
    return ids if len(ids) == len(sources) else []


def give_ids(html: str, ids: list[str]) -> tuple[str, dict[str, str]]:
    """*html* (a rendered translated page) with its headings' ids replaced, in order, by *ids*;
    and each old id's new one.  Unchanged when the page has another number of headings."""
    found = list(HEADING_ID.finditer(html))
    if not ids or len(found) != len(ids):
        return html, {}
    renamed = {match.group(3): new for match, new in zip(found, ids, strict=True) if match.group(3) != new}
    if not renamed:
        return html, {}
    out, position = [], 0
    for match, new in zip(found, ids, strict=True):
        end = html.find(f"</h{match.group(1)}>", match.end())
        end = len(html) if end == -1 else end
        old = match.group(3)
        out.append(html[position:match.start(3)] + new)
        # The heading's permalink, if toc writes one, points at its own id.
        out.append(html[match.end(3):end].replace(f'href="#{old}"', f'href="#{new}"'))
        position = end
    out.append(html[position:])
    return "".join(out), renamed


#: A tab's radio input (pymdownx.tabbed's alternate style, pymdownx.blocks.tab): its id is
#: ``__tabbed_<set>_<tab>``, or, with the extension's ``slugify``, a slug of the tab's title.
TAB_INPUT = re.compile(r'<input\b[^>]*?\sid="([^"]*)"[^>]*\sname="__tabbed_\d+"')


def has_titled_tabs(html: str) -> bool:
    """True when the page has tabs whose ids come from their titles (they change with a translation)."""
    return any(not match.group(1).startswith("__tabbed_") for match in TAB_INPUT.finditer(html))


def give_tab_ids(html: str, english: str) -> str:
    """*html* (a rendered translated page) with its tabs' ids, and the labels and links that name
    them, replaced in order by the English page's (*english*, rendered): a link to a tab keeps
    working in every language.  Unchanged when the pages have another number of tabs."""
    found = [match.group(1) for match in TAB_INPUT.finditer(html)]
    wanted = [match.group(1) for match in TAB_INPUT.finditer(english)]
    if len(found) != len(wanted):
        return html
    renamed = {old: new for old, new in zip(found, wanted, strict=True) if old != new}
    if not renamed:
        return html
    names = "|".join(re.escape(old) for old in sorted(renamed, key=len, reverse=True))
    return re.sub(rf'\b(id|for|href)="(#?)({names})"',
                  lambda m: f'{m.group(1)}="{m.group(2)}{renamed[m.group(3)]}"', html)
