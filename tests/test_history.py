"""Page histories and each language's Atom feed (``history.py``), without MkDocs."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest

from site_gen import history
from site_gen.errors import SiteGenError

ATOM = "{http://www.w3.org/2005/Atom}"


def test_changes_come_newest_first_with_notes_folded_as_messages() -> None:
    meta = {"changes": [{"date": dt.date(2026, 11, 21), "note": "First\n  published."},
                        {"date": dt.date(2026, 12, 7), "note": "Corrected a figure."}]}
    assert history.changes(meta, "p.md") == [history.Change(dt.date(2026, 12, 7), "Corrected a figure."),
                                             history.Change(dt.date(2026, 11, 21), "First published.")]
    assert history.last_updated(meta, "p.md") == dt.date(2026, 12, 7)
    assert history.changes({}, "p.md") == [] and history.last_updated({}, "p.md") is None


@pytest.mark.parametrize("value", [
    "yesterday", [{"date": "2026-12-07", "note": "x"}], [{"date": dt.date(2026, 12, 7)}],
    [{"date": dt.date(2026, 12, 7), "note": ""}], [{"date": dt.date(2026, 12, 7), "note": "x", "who": "me"}],
    [{"date": dt.datetime(2026, 12, 7, 10), "note": "x"}], ["Corrected."],
])
def test_a_malformed_history_is_an_error_that_says_how_to_write_it(value) -> None:
    with pytest.raises(SiteGenError) as error:
        history.changes({"changes": value}, "content/p.md")
    assert error.value.path == "content/p.md" and "date" in error.value.fix and "note" in error.value.fix


def feed_of(*pages: tuple[str, list[history.Change]]) -> ET.Element:
    found = []
    for url, changes in pages:
        found += history.entries(url, f"Title of {url}", changes, str.upper)
    data = history.atom_feed("https://x.example/uk/feed.xml", "https://x.example/uk/", "Site: Changes", "Site", "uk",
                             found)
    assert data is not None
    return ET.fromstring(data)


def test_the_feed_has_what_rfc_4287_requires_and_stable_entry_ids() -> None:
    day, later = dt.date(2026, 11, 21), dt.date(2026, 12, 7)
    feed = feed_of(("https://x.example/uk/a.html", [history.Change(later, "two"), history.Change(day, "one")]),
                   ("https://x.example/uk/b.html", [history.Change(later, "b1"), history.Change(later, "b2")]))
    assert feed.tag == f"{ATOM}feed"
    # atom:feed: exactly one id, title and updated; an author (no entry has its own); a self link.
    for name in ("id", "title", "updated"):
        assert len(feed.findall(f"{ATOM}{name}")) == 1 and feed.find(f"{ATOM}{name}").text
    assert feed.find(f"{ATOM}author/{ATOM}name").text == "Site"
    assert {link.get("rel") for link in feed.findall(f"{ATOM}link")} == {"self", "alternate"}
    assert feed.find(f"{ATOM}updated").text == "2026-12-07T00:00:00+00:00", "the newest change, not the clock"
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 4
    ids = [entry.find(f"{ATOM}id").text for entry in entries]
    assert len(set(ids)) == 4 and ids[-1] == "https://x.example/uk/a.html#change-2026-11-21"
    for entry in entries:
        for name in ("id", "title", "updated", "summary"):
            assert len(entry.findall(f"{ATOM}{name}")) == 1 and entry.find(f"{ATOM}{name}").text
        assert entry.find(f"{ATOM}link").get("href").startswith("https://x.example/uk/")
    assert [entry.find(f"{ATOM}summary").text for entry in entries] == ["B2", "B1", "TWO", "ONE"]
    again = feed_of(("https://x.example/uk/b.html", [history.Change(later, "b1"), history.Change(later, "b2")]),
                    ("https://x.example/uk/a.html", [history.Change(day, "one"), history.Change(later, "two")]))
    assert ET.tostring(again) == ET.tostring(feed), "the same histories give the same feed, in any order"


def test_no_changes_no_feed() -> None:
    assert history.atom_feed("u", "h", "t", "a", "uk", []) is None
