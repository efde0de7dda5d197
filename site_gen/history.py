"""What changed on a page, and when: the page's history, its "last updated" date and the
language's Atom feed.

A topic page lists its changes in its front matter, newest or oldest first::

    changes:
      - date: 2026-12-07
        note: "The figure for men abroad now says 'up to', as the source does."
      - date: 2026-11-21
        note: First published.

Each note is a message of the page's catalog (the segmenter extracts it), so readers get
it in their language, and it goes through the same translation gate as the page's text.
The dates come from the page, never from the build's clock, so rebuilds are byte-identical.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from site_gen.errors import SiteGenError

#: The front-matter field that holds a page's changes.
FIELD = "changes"
#: Where a language's feed is, beside its pages.
FEED = "feed.xml"


@dataclass(frozen=True)
class Change:
    date: dt.date
    #: The English note, whitespace folded as the segmenter folds a message.
    note: str


def changes(meta: Mapping[str, Any], path: str) -> list[Change]:
    """The page's changes, newest first (the order of equal dates kept as written)."""
    entries = meta.get(FIELD)
    if entries is None:
        return []
    problem = SiteGenError(path, None, f"'{FIELD}' must be a list of entries with a date and a note",
                           f'write {FIELD}: then lines "- date: YYYY-MM-DD" and "  note: what changed"')
    if not isinstance(entries, list):
        raise problem
    found = []
    for entry in entries:
        if not isinstance(entry, dict) or set(entry) != {"date", "note"}:
            raise problem
        date, note = entry["date"], entry["note"]
        if isinstance(date, dt.datetime) or not isinstance(date, dt.date) or not isinstance(note, str) \
                or not note.strip():
            raise problem
        found.append(Change(date, " ".join(note.split())))
    return sorted(found, key=lambda change: change.date, reverse=True)


def last_updated(meta: Mapping[str, Any], path: str) -> dt.date | None:
    found = changes(meta, path)
    return found[0].date if found else None


@dataclass(frozen=True)
class FeedEntry:
    page_url: str
    page_title: str
    date: dt.date
    note: str
    #: Which change of the page this is on its date (0 for the first), for a stable id.
    number: int


def entries(page_url: str, page_title: str, history: Iterable[Change], translate: Callable[[str], str]
            ) -> list[FeedEntry]:
    """The feed entries of one page, each note in the language (*translate*: English → shown text)."""
    found: list[FeedEntry] = []
    seen: dict[dt.date, int] = {}
    for change in sorted(history, key=lambda change: change.date):
        number = seen[change.date] = seen.get(change.date, -1) + 1
        found.append(FeedEntry(page_url, page_title, change.date, translate(change.note), number))
    return found


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)


def preload() -> None:
    """Import the feed's writer in the main process before the language workers fork (each
    writes its language's feed), so that none imports it again."""
    import feedgen.feed  # noqa: F401


def atom_feed(feed_url: str, home_url: str, title: str, author: str, lang: str,
              found: Iterable[FeedEntry]) -> bytes | None:
    """The language's Atom feed (RFC 4287), newest entry first; None when nothing changed yet.

    Entry ids are the page's URL and the change's date, so they stay the same from one build
    to the next; ``updated`` is the newest change's date.
    """
    from feedgen.feed import FeedGenerator  # only a build with a history needs it

    ordered = sorted(found, key=lambda entry: (entry.date, entry.page_url, entry.number), reverse=True)
    if not ordered:
        return None
    feed = FeedGenerator()
    feed.id(feed_url)
    feed.title(title)
    feed.author({"name": author})
    feed.link(href=home_url, rel="alternate")
    feed.link(href=feed_url, rel="self")
    feed.language(lang)
    feed.generator("site_gen")
    feed.updated(_midnight(ordered[0].date))
    for entry in ordered:
        item = feed.add_entry(order="append")
        item.id(f"{entry.page_url}#change-{entry.date.isoformat()}" + (f"-{entry.number}" if entry.number else ""))
        item.title(entry.page_title)
        item.updated(_midnight(entry.date))
        item.link(href=entry.page_url, rel="alternate")
        item.summary(entry.note)
    return feed.atom_str(pretty=True)
