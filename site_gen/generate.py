"""Stage 4: every language's translated pages, ready for an ordinary MkDocs build.

For each language this gives the Markdown of every page, with the facts its
templates show in the front matter (``site_gen:``): the language of the main
text, message counts, the banner, formatted dates, the status label, and the
same page in every other language.  Nothing here imports MkDocs.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal

from site_gen import interface
from site_gen.errors import SiteGenError
from site_gen.segment import Page
from site_gen.translate import Counts, Notices, Translation, escape_pipes, translate_page

STATUSES = ("proposed", "under-discussion", "adopted", "in-force", "reported-practice", "disputed")
DATE_FIELDS = ("as_of", "published", "last_reviewed")


@dataclass(frozen=True)
class Language:
    code: str
    #: The language's own name for itself ("українська" → "Українська").
    name: str
    #: Babel locale for dates ("en" may be formatted as "en_GB").
    date_locale: str
    published: bool = True


@dataclass
class LanguageSite:
    lang: Language
    pages: dict[str, str] = field(default_factory=dict)
    counts: dict[str, Counts] = field(default_factory=dict)
    #: page → the facts written into its front matter (site_gen: …).
    facts: dict[str, dict[str, Any]] = field(default_factory=dict)
    ui: dict[str, str] = field(default_factory=dict)
    site_name: str = ""
    site_description: str = ""
    nav: Any = None


def native_name(code: str) -> str:
    locale = Locale.parse(code.replace("-", "_"))
    name = locale.get_display_name(locale) or code
    return name[:1].upper() + name[1:]


def html_path(page_path: str) -> str:
    """Where MkDocs writes a page with use_directory_urls: false."""
    return str(PurePosixPath(page_path).with_suffix(".html"))


def relative_href(from_page: str, lang: str, page_path: str) -> str:
    """Link from one language's page to a page in *lang*; works from file:// too."""
    depth = from_page.count("/") + 1
    return "../" * depth + f"{lang}/{html_path(page_path)}"


def format_dates(meta: Mapping[str, Any], locale: str, path: str) -> dict[str, str]:
    found = {}
    for key in DATE_FIELDS:
        value = meta.get(key)
        if value is None:
            continue
        if isinstance(value, str):
            try:
                value = dt.date.fromisoformat(value)
            except ValueError:
                raise SiteGenError(path, None, f"front matter field '{key}' is not a date: {value!r}",
                                   "write dates as YYYY-MM-DD") from None
        if isinstance(value, dt.datetime):
            value = value.date()
        if not isinstance(value, dt.date):
            raise SiteGenError(path, None, f"front matter field '{key}' is not a date",
                               "write dates as YYYY-MM-DD")
        found[key] = format_date(value, format="long", locale=locale)
    return found


def status_label(meta: Mapping[str, Any], ui: Mapping[str, str], path: str) -> str | None:
    status = meta.get("status")
    if status is None:
        return None
    if status not in STATUSES:
        raise SiteGenError(path, None, f"unknown status {status!r}", f"use one of: {', '.join(STATUSES)}")
    return ui[f"status.{status}"]


def banner(counts: Counts, ui: Mapping[str, str]) -> str | None:
    if not counts.total or counts.percent == 100:
        return None
    if counts.translated == 0:
        return ui["banner.none"]
    return ui["banner.partial"].replace("{percent}", str(counts.percent))


def translate_nav(nav: Any, translations: Mapping[str, Translation] | None) -> Any:
    if isinstance(nav, list):
        return [translate_nav(item, translations) for item in nav]
    if isinstance(nav, dict):
        return {interface.translate_text(str(k), translations): translate_nav(v, translations)
                for k, v in nav.items()}
    return nav


def generate_language(
    lang: Language,
    languages: list[Language],
    source_lang: str,
    pages: list[Page],
    tables: Mapping[str, Mapping[str, Translation]],
    counts: Mapping[str, Mapping[str, Counts]],
    config: Mapping[str, Any],
    site_url: str,
) -> LanguageSite:
    """All pages of one language.

    *tables* maps this language's catalog names (page paths and the interface catalog)
    to translations; *counts* maps every language to its pages' counts, so each page
    links only to its real translations.
    """
    is_source = lang.code == source_lang
    ui_table = None if is_source else tables.get(interface.CATALOG)
    ui = interface.strings(ui_table)
    site = LanguageSite(
        lang=lang, ui=ui,
        site_name=interface.translate_text(str(config.get("site_name", "")), ui_table),
        site_description=interface.translate_text(str(config.get("site_description", "")), ui_table),
        nav=translate_nav(config.get("nav"), ui_table),
    )
    for page in pages:
        table = None if is_source else tables.get(page.path, {})
        alternates = []
        for other in languages:
            if not other.published and other.code != lang.code:
                continue  # below its publishing threshold: built, not linked
            other_counts = counts.get(other.code, {}).get(page.path)
            is_translation = other.code == source_lang or (
                other.published and other_counts is not None and other_counts.translated > 0
            )
            alternates.append({
                "lang": other.code,
                "name": other.name,
                "href": relative_href(page.path, other.code, page.path),
                "url": f"{site_url}{other.code}/{html_path(page.path)}",
                "translation": is_translation,
                "current": other.code == lang.code,
            })
        facts: dict[str, Any] = {
            "dates": format_dates(page.meta, lang.date_locale, page.path),
            "status_label": status_label(page.meta, ui, page.path),
            "banner": None if is_source else banner(counts[lang.code][page.path], ui),
            "alternates": alternates,
            "x_default": f"{site_url}{source_lang}/{html_path(page.path)}",
        }
        result = translate_page(
            page, table, lang.code, source_lang, Notices(fuzzy=ui["fuzzy"]), extra_meta=facts
        )
        site.pages[page.path] = result.markdown
        site.counts[page.path] = result.counts
        site.facts[page.path] = facts
    return site


_SITE_URL = re.compile(r"^https?://[^/]+(/.*)?$")


def normalised_site_url(config: Mapping[str, Any]) -> str:
    url = str(config.get("site_url") or "")
    if url and not _SITE_URL.match(url):
        raise SiteGenError("mkdocs.yml", None, f"site_url {url!r} is not an absolute http(s) URL")
    return url if not url or url.endswith("/") else url + "/"


STATUS_PAGE = "translation-status.md"


def status_page(
    site: LanguageSite, counts: Mapping[str, Mapping[str, Counts]], languages: list[Language],
    source_lang: str, site_url: str,
) -> str:
    """The translation status page of one language: every language's totals, then this one's pages."""
    ui = site.ui

    def row(label: str, counts: Counts) -> str:
        cells = [label, counts.translated, counts.fuzzy, counts.untranslated, f"{counts.percent}\u00a0%"]
        return "| " + " | ".join(str(cell) for cell in cells) + " |"

    cells = {key: escape_pipes(ui[f"status_page.{key}"]) for key in ("translated", "fuzzy", "untranslated")}
    # Interface strings go into table cells as translated page cells do: a pipe cannot split one.
    head = (f"| {{first}} | {cells['translated']} | {cells['fuzzy']} "
            f"| {cells['untranslated']} | % |\n|---|---:|---:|---:|---:|")
    totals = [row(lang.name, sum(counts[lang.code].values(), Counts()))
              for lang in languages if lang.code != source_lang]
    per_page = [row(f"[{path}]({path})", page_counts) for path, page_counts in sorted(site.counts.items())]
    text = "\n\n".join([
        f"# {ui['status_page.title']}",
        ui["status_page.intro"],
        head.format(first=escape_pipes(ui["status_page.language"])) + "\n" + "\n".join(totals),
        *([f"## {site.lang.name}", head.format(first=escape_pipes(ui["status_page.page"])) + "\n" + "\n".join(per_page)]
          if site.lang.code != source_lang else []),
    ]) + "\n"
    return generated_page(site, languages, source_lang, site_url, STATUS_PAGE, ui["status_page.title"], text)


def generated_page(
    site: LanguageSite, languages: list[Language], source_lang: str, site_url: str, path: str, title: str,
    body: str,
) -> str:
    """A page site_gen writes itself (in the reader's language), with the facts templates need."""
    from site_gen.segment import segment_page

    alternates = [{"lang": other.code, "name": other.name, "href": relative_href(path, other.code, path),
                   "url": f"{site_url}{other.code}/{html_path(path)}", "translation": True,
                   "current": other.code == site.lang.code} for other in languages if other.published]
    front = f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\n---\n\n"
    page = segment_page(front + body, path)
    return translate_page(page, None, site.lang.code, source_lang,
                          extra_meta={"alternates": alternates,
                                      "x_default": f"{site_url}{source_lang}/{html_path(path)}"}).markdown


#: The most entries one navigation level shows before it is split into numbered groups.
#: Every page carries the navigation, so an unsplit level of N pages costs N links on each
#: of N pages: build time and site size grow with N².  With groups (and Material's
#: navigation.prune) a page carries about N/limit group links and its own group's pages.
NAV_LIMIT = 50


def auto_nav(paths: Iterable[str]) -> list[Any]:
    """The navigation MkDocs makes when mkdocs.yml has none: index first, folders after files."""
    def order(path: str) -> tuple[Any, ...]:
        parts = PurePosixPath(path).parts
        return parts[:-1], PurePosixPath(path).stem not in ("index", "README"), parts[-1]

    nav: list[Any] = []
    for path in sorted(paths, key=order):
        level = nav
        for folder in PurePosixPath(path).parent.parts:
            title = folder.replace("-", " ").replace("_", " ")
            title = title.capitalize() if title.lower() == title else title
            section = next((item for item in level if isinstance(item, dict) and title in item), None)
            if section is None:
                section = {title: []}
                level.append(section)
            level = section[title]
        level.append(path)
    return nav


def bounded_nav(nav: list[Any], limit: int, group_title: Callable[[int, int], str]) -> list[Any]:
    """*nav* with every level longer than *limit* split, in order, into groups of at most *limit*.

    Groups are named by the positions of their first and last entries (``Pages 1–50``);
    a level with more than limit² entries gets groups of groups.
    """
    def bounded(item: Any) -> Any:
        if isinstance(item, dict):
            return {title: bounded_nav(value, limit, group_title) if isinstance(value, list) else value
                    for title, value in item.items()}
        return item

    level: list[tuple[int, int, Any]] = [(n, n, bounded(item)) for n, item in enumerate(nav, 1)]
    while len(level) > limit:
        count = -(-len(level) // limit)
        size = -(-len(level) // count)  # balanced: 120 entries make 3 groups of 40, not 50 + 50 + 20
        level = [(chunk[0][0], chunk[-1][1], {group_title(chunk[0][0], chunk[-1][1]): [e for _, _, e in chunk]})
                 for chunk in (level[i:i + size] for i in range(0, len(level), size))]
    return [entry for _, _, entry in level]


def site_nav(site: LanguageSite, pages: Iterable[str], limit: int) -> list[Any]:
    """One language's navigation: the configured (or MkDocs' automatic) one, split into groups
    where too long, then the translation status page."""
    locale = site.lang.code.replace("-", "_")

    def group_title(first: int, last: int) -> str:
        return (site.ui["nav.group"].replace("{first}", format_decimal(first, locale=locale))
                .replace("{last}", format_decimal(last, locale=locale)))

    nav = site.nav if isinstance(site.nav, list) else auto_nav(pages)
    return [*bounded_nav(nav, limit, group_title), {site.ui["status_page.title"]: STATUS_PAGE}]


def nav_limit(settings: Mapping[str, Any], config_file: str) -> int:
    limit = settings.get("nav_limit", NAV_LIMIT)
    if not isinstance(limit, int) or isinstance(limit, bool) or limit < 2:
        raise SiteGenError(config_file, None, f"extra.site_gen.nav_limit must be a whole number of at least 2, "
                           f"not {limit!r}", f"remove it to use the default, {NAV_LIMIT}")
    return limit


def published_languages(
    languages: list[Language], counts: Mapping[str, Mapping[str, Counts]], thresholds: Any, source_lang: str
) -> tuple[list[Language], list[str]]:
    """Mark languages below their publishing threshold as unpublished; return warnings."""
    result, warnings = [], []
    for lang in languages:
        limit = thresholds.get(lang.code, 0) if isinstance(thresholds, dict) else int(thresholds or 0)
        percent = sum(counts.get(lang.code, {}).values(), Counts()).percent
        if lang.code != source_lang and percent < limit:
            warnings.append(f"{lang.code} is {percent}% translated, below its publishing threshold of "
                            f"{limit}%: it is built but left out of the language switcher and hreflang")
            lang = Language(lang.code, lang.name, lang.date_locale, published=False)
        result.append(lang)
    return result, warnings
