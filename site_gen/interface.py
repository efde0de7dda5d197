"""The site's own interface text (labels, notices, banners), translated like pages.

These strings, with the site name, description and explicit nav titles from
``mkdocs.yml``, form one more catalog per language: ``locales/<lang>/LC_MESSAGES/_site.po``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from babel.messages.catalog import Catalog

from site_gen.config_schema import markdown_extensions

#: The catalog name of the interface strings; no page may be called this.
CATALOG = "_site"

#: The admonition and details types whose default titles (the type, capitalized: "Note") are
#: translated: Python-Markdown's, Material's and their aliases, and pymdownx.blocks' defaults.
ADMONITION_TYPES = (
    "note", "abstract", "summary", "tldr", "info", "tip", "hint", "important", "success", "check", "done",
    "question", "help", "faq", "warning", "caution", "attention", "failure", "fail", "missing", "danger",
    "error", "bug", "example", "quote", "cite",
    # Types sites add to pymdownx.blocks.admonition (pymdown-extensions' documentation): a change
    # new in a version, and options to set.
    "new", "settings",
)

#: key → English text.  Placeholders in braces are filled in by site_gen.
MESSAGES: dict[str, str] = {
    "status": "Status",
    "as_of": "As of",
    "published": "Published",
    "last_reviewed": "Last reviewed",
    "last_updated": "Last updated",
    "history.title": "Change history",
    "feed.title": "Changes",
    "feed.link": "Follow changes to this site (Atom feed)",
    "date.spring": "spring {year}",
    "date.summer": "summer {year}",
    "date.autumn": "autumn {year}",
    "date.winter": "winter {year}",
    "date.estimated": "{date} (estimated)",
    "status.proposed": "Proposed",
    "status.under-discussion": "Under discussion",
    "status.adopted": "Adopted",
    "status.in-force": "In force",
    "status.reported-practice": "Reported practice",
    "status.disputed": "Disputed",
    "fuzzy": "The English original changed; translation being updated.",
    # Not "{percent}% of": Babel takes "% o" for a Python format directive, and `pybabel compile`
    # then refuses a translation that writes "50 %".
    "banner.partial": "This page is {percent}% translated and up to date. The rest is shown in English.",
    "banner.none": "This page is not translated yet. It is shown in English.",
    "languages": "Languages",
    "chooser.title": "Choose a language",
    "not_found.title": "Page not found",
    "not_found.text": "There is no page at this address.",
    "not_found.home": "Go to the home page",
    "menu": "Menu",
    "made_with": "Made with {name}",
    "status_page.title": "Translation status",
    "status_page.intro": "How much of each page is translated and up to date. Out-of-date parts are shown in English.",
    "status_page.language": "Language",
    "status_page.page": "Page",
    "status_page.translated": "Translated",
    "status_page.fuzzy": "Out of date",
    "status_page.untranslated": "Not translated",
    "status_page.interface": "Menus, labels and notices",
    "status_page.stale": "Pages to review",
    "status_page.stale_intro": ("These pages were last reviewed more than {days} before the newest review "
                                "on this site ({date}). Their facts may be out of date."),
    "nav.group": "Pages {first}–{last}",
    "search.title": "Search",
    "search.label": "Search this site",
    "search.button": "Search",
    "search.none": "No pages found. Try another word or a shorter form of it.",
    "search.count": "Results: {count}",
    "search.more": "More results",
    "search.nojs": "Search needs JavaScript. Without it, use the menu to browse the pages.",
    "offline.title": "Offline copy",
    "offline.text": "Download the whole site as a ZIP file. It works without internet, search included.",
    "offline.link": "Download the offline copy (ZIP)",
    "offline.checksum": "SHA-256 checksum",
    **{f"admonition.{name}": name.capitalize() for name in ADMONITION_TYPES},
}

#: Where site_gen's own pages put a string into Markdown (status and search pages): the gate
#: judges it in those frames too.  Every other string reaches only templates, as text.
MARKDOWN_FRAMES: dict[str, tuple[str, ...]] = {
    "status_page.title": ("heading",),
    "search.title": ("heading",),
    "status_page.intro": ("paragraph",),
    **{f"status_page.{key}": ("cell",) for key in ("language", "page", "translated", "fuzzy", "untranslated")},
    # Written into translated pages as an admonition's or details block's title.
    **{f"admonition.{name}": ("title",) for name in ADMONITION_TYPES},
}


def default_titles(ui: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    """English default admonition title → the language's (*ui*: ``strings``' result)."""
    return tuple((MESSAGES[key], ui[key]) for key in MESSAGES if key.startswith("admonition.")
                 and ui.get(key, MESSAGES[key]) != MESSAGES[key])


def frames(text: str) -> tuple[str, ...]:
    """The Markdown frames an interface string (its English *text*) is put in."""
    return tuple(dict.fromkeys(frame for key, english in MESSAGES.items() if english == text
                               for frame in MARKDOWN_FRAMES.get(key, ())))


COMMENTS: dict[str, str] = {
    "status_page.stale_intro": ("{days} is a number of days with its word, in the reader's language and "
                                "grammatical number (\"180 days\"); {date} is a date. Keep both as they are."),
    "feed.title": "The title of the site's Atom feed of changes, after the site's name.",
    "feed.link": "A link on the home page to the Atom feed, for feed readers.",
    "date.spring": "A date known only to the season. {year} is the year, as Babel writes it; keep it as it is.",
    "date.estimated": "A date that is the site's estimate, not a fact from the sources. {date} is the date.",
    "status_page.interface": "A row of the translation status table: the site's own text, shown on every page.",
    "banner.partial": "{percent} is a whole number; keep it as it is.",
    "fuzzy": "Shown before an English paragraph whose translation is out of date.",
    "search.count": "{count} is a number; keep it as it is.",
    "menu": "The name of the button that opens the site's menu on a narrow screen.",
    "made_with": "At the foot of every page. {name} is the name of the software that made the site; keep it as it is.",
    "nav.group": "A group of pages in a long menu. {first} and {last} are numbers; keep them as they are.",
    **{f"admonition.{name}": ("The title of a note, warning or other box in a page whose author gave it none "
                              f"(the box's type is '{name}').") for name in ADMONITION_TYPES},
}


#: pymdownx.blocks.caption's types when mkdocs.yml names none: (name, numbered prefix template).
CAPTION_EXTENSION = "pymdownx.blocks.caption"
CAPTION_DEFAULTS = (("figure-caption", "Figure {}."), ("table-caption", "Table {}."))
CAPTION_COMMENT = ("The number before a figure's or table's caption (a caption type of the site's "
                   "pymdownx.blocks.caption). {} is the number: keep it as it is.")


def caption_prefixes(config: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    """(type name, prefix template) of each caption type that pymdownx.blocks.caption numbers with
    a prefix ("Figure {}."): the extension writes it before each caption, in the reader's page."""
    for name, options in markdown_extensions(config):
        if name != CAPTION_EXTENSION:
            continue
        types = options.get("types") if isinstance(options, dict) else None
        if not isinstance(types, list):
            return CAPTION_DEFAULTS
        return tuple((str(kind["name"]), str(kind["prefix"])) for kind in types
                     if isinstance(kind, dict) and kind.get("name") and kind.get("prefix"))
    return ()


def config_strings(config: Mapping[str, Any]) -> list[str]:
    """Reader-facing text from mkdocs.yml: site name, description, explicit nav titles, caption
    prefixes."""
    found = [str(config[k]) for k in ("site_name", "site_description") if config.get(k)]

    def walk(items: Any) -> None:
        for item in items or []:
            if isinstance(item, dict):
                for title, value in item.items():
                    found.append(str(title))
                    if isinstance(value, list):
                        walk(value)

    walk(config.get("nav"))
    found.extend(prefix for _, prefix in caption_prefixes(config))
    return list(dict.fromkeys(found))


def texts(config: Mapping[str, Any]) -> list[str]:
    """Every message of the interface catalog, in its order."""
    return list(dict.fromkeys([*MESSAGES.values(), *config_strings(config)]))


def template(config: Mapping[str, Any], creation_date: Any, version: str = "1.0") -> Catalog:
    catalog = Catalog(
        project=str(config.get("site_name") or "site"), version=version, creation_date=creation_date, fuzzy=False,
        header_comment="# The site's interface: labels, notices, site name and navigation.",
    )
    for key, text in MESSAGES.items():
        comments = [f"key: {key}"] + ([COMMENTS[key]] if key in COMMENTS else [])
        flags = ["python-brace-format"] if "{" in text else []
        catalog.add(text, locations=[("site_gen/interface.py", 0)], auto_comments=comments, flags=flags)
    prefixes = {prefix for _, prefix in caption_prefixes(config)}
    for text in config_strings(config):
        if text in prefixes:
            catalog.add(text, locations=[("mkdocs.yml", 0)], auto_comments=[CAPTION_COMMENT],
                        flags=["python-brace-format"])
        else:
            catalog.add(text, locations=[("mkdocs.yml", 0)])
    return catalog


def strings(translations: Mapping[str, Any] | None) -> dict[str, str]:
    """key → text in the language, English where not (yet) translated or fuzzy."""
    out = {}
    for key, english in MESSAGES.items():
        entry = translations.get(english) if translations else None
        good = entry is not None and entry.text and not entry.fuzzy
        out[key] = entry.text if good else english
    return out


def translate_text(text: str, translations: Mapping[str, Any] | None) -> str:
    entry = translations.get(text) if translations else None
    return entry.text if entry is not None and entry.text and not entry.fuzzy else text
