"""What a hostile or careless translation can try: each class of payload from issue 17.

Each payload is a change to one uk translation: the catalog (a page's, or ``_site`` for the
interface), which message it changes and how.  Every payload starts with its own marker word,
so a search of the built site finds any part of it that was published.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

LINK = re.compile(r"\]\(([^)\s]+)\)")


@dataclass(frozen=True)
class Payload:
    name: str
    #: The catalog (page path without .md, or "_site"), and the English text of the message.
    catalog: str
    msgid: Callable[[str, str], bool]
    change: Callable[[str], str]


def first_link_target(change: Callable[[str], str]) -> Callable[[str], str]:
    """Apply *change* to the target of the message's first link."""
    return lambda text: LINK.sub(lambda m: f"]({change(m.group(1))})", text, count=1)


def exact(english: str) -> Callable[[str, str], bool]:
    return lambda msgid, kind: msgid == english


def kind(wanted: str, contains: str = "") -> Callable[[str, str], bool]:
    return lambda msgid, found: found == wanted and contains in msgid


EVIL = "https://evil.example/"

PAYLOADS = [
    # Redirecting a whole language: the title is in every page's menu.
    Payload("meta-refresh-in-title", "about", exact("About this site"),
            lambda s: s + f'<meta/ http-equiv="refresh" content="0;url={EVIL}">'),
    Payload("svg-onload", "about", kind("paragraph"), lambda s: s + " <svg/onload=alert(1)>"),
    Payload("form-action", "about", kind("paragraph"),
            lambda s: s + f" <form/ action={EVIL}><button>OK</button></form>"),
    # Script behind an escaped backtick: a text rule reads code, Markdown does not.
    Payload("escaped-backtick-script", "about", kind("paragraph"),
            lambda s: s + r" \`<script/ >alert(1)</script>`"),
    # Attribute lists.
    Payload("attr-list-onclick-heading", "russia-digital-summons", kind("heading"),
            lambda s: s + " {: onclick=alert(1)}"),
    Payload("attr-list-href-on-link", "russia-digital-summons", kind("paragraph", "]("),
            lambda s: LINK.sub(lambda m: f']({m.group(1)}){{: href="{EVIL}"}}', s, count=1)),
    Payload("attr-list-hidden", "russia-digital-summons", kind("paragraph", "]("),
            lambda s: LINK.sub(lambda m: f"]({m.group(1)}){{: hidden}}", s, count=1)),
    Payload("heading-unclosed-brace", "russia-digital-summons", kind("heading"), lambda s: s + " {"),
    Payload("heading-literal-id", "ukraine-online-summons", kind("heading"), lambda s: s + " {#evil}"),
    # Entity-encoded schemes and backslash hosts.
    Payload("entity-javascript", "ukraine-online-summons", kind("paragraph", "]("),
            first_link_target(lambda _: "&#106;avascript:alert(1)")),
    Payload("colon-entity-javascript", "ukraine-online-summons", kind("paragraph", "]("),
            first_link_target(lambda _: "javascript&colon;alert(1)")),
    Payload("backslash-host", "ukraine-online-summons", kind("paragraph", "]("),
            first_link_target(lambda _: "\\\\evil.example/x")),
    Payload("backslash-scheme", "ukraine-online-summons", kind("paragraph", "]("),
            first_link_target(lambda _: "https:\\\\evil.example")),
    # Links: an autolink, a changed target, a broken link, a dropped link.
    Payload("autolink", "occupied-territories-conscription", kind("paragraph"), lambda s: s + f" <{EVIL}>"),
    Payload("changed-target", "occupied-territories-conscription", kind("paragraph", "]("),
            first_link_target(lambda _: EVIL)),
    Payload("broken-link", "occupied-territories-conscription", kind("paragraph", "]("),
            lambda s: s.replace("](", "] (", 1)),
    Payload("dropped-link", "occupied-territories-conscription", kind("paragraph", "]("),
            lambda s: re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", s, count=1)),
    # New block structure through a carriage return, which Markdown reads as a line break.
    Payload("cr-heading", "foreigners-national-guard", kind("paragraph"), lambda s: s + "\r# Заголовок"),
    Payload("cr-list", "foreigners-national-guard", kind("paragraph"), lambda s: s + "\r\r- пункт"),
    Payload("cr-indented-code", "foreigners-national-guard", kind("paragraph"), lambda s: s + "\r\r    код"),
    Payload("cr-reference-definition", "foreigners-national-guard", kind("paragraph"),
            lambda s: s + f"\r[x]: {EVIL}"),
    Payload("cr-closes-admonition", "index", kind("paragraph", "This site gives general information"),
            lambda s: s + "\r\rПоза рамкою"),
    Payload("setext-heading", "glossary", kind("paragraph"), lambda s: s + "\n-"),
    Payload("table-pipes", "timeline", kind("cell", " "), lambda s: s + " \\\\| зайва | клітинка"),
    Payload("leading-space-list-marker", "glossary", kind("paragraph"), lambda s: s + "\n - пункт"),
    # In a list item, a line after a hard break that starts with a list marker is a new item.
    Payload("new-list-item", "russia-digital-summons", kind("paragraph", "through Gosuslugi"),
            lambda s: s + "\n- пункт"),
    Payload("hard-break-reference-definition", "glossary", kind("paragraph"), lambda s: s + f"\n[x]: {EVIL}"),
    # Invisible characters.
    Payload("bidi-override", "glossary", kind("paragraph"), lambda s: s.replace(" ", " \u202e", 1)),
    Payload("zero-width", "glossary", kind("paragraph"), lambda s: s.replace(" ", "\u200b ", 1)),
    # Values printed into templates' attributes.
    Payload("description-breakout", "timeline", kind("meta:description"),
            lambda s: f'0;url={EVIL}" http-equiv="refresh'),
    Payload("site-description-breakout", "_site",
            exact("Plain-language facts on military summons and recruitment rules, with sources and dates."),
            lambda s: f'0;url={EVIL}" http-equiv="refresh'),
    Payload("nav-title-breakout", "_site", exact("About the site"), lambda s: 'Про сайт" onmouseover="alert(1)'),
    Payload("status-label-breakout", "_site", exact("Adopted"), lambda s: 'Ухвалено" onmouseover="alert(1)'),
    Payload("search-label-breakout", "_site", exact("Search this site"),
            lambda s: 'Пошук" autofocus onfocus="alert(1)'),
    # The interface catalog.
    Payload("interface-script", "_site",
            exact("Download the whole site as a ZIP file. It works without internet, search included."),
            lambda s: s + "<script>alert(1)</script>"),
    Payload("interface-meta-refresh", "_site", exact("Search"),
            lambda s: s + f'<meta http-equiv="refresh" content="0;url={EVIL}">'),
    # An interface string that site_gen writes into a heading and a table header of its own pages.
    Payload("interface-attr-list-in-heading", "_site", exact("Translation status"),
            lambda s: s + " {: onclick=alert(1)}"),
    Payload("interface-pipe-in-table-header", "_site", exact("Not translated"), lambda s: s + " \\\\| зайва"),
]


def marker(index: int) -> str:
    """A word no page has, unique to one payload."""
    return "Zqx" + "".join(chr(ord("a") + int(digit)) for digit in f"{index:02d}")
