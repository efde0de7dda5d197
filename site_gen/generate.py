"""Stage 4: every language's translated pages, ready for an ordinary MkDocs build.

For each language this gives the Markdown of every page (the source language's as
its author wrote it) and, beside it, the facts its templates show: the language of
the main text, message counts, the banner, formatted dates, the status label, the
English heading ids, and the same page in every other language.  The build hands the
facts to MkDocs in a file of their own, never inside a page.  Nothing here imports MkDocs.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from babel import Locale
from babel.dates import format_date, format_skeleton, format_timedelta
from babel.numbers import format_decimal

from site_gen import history, interface, snippets
from site_gen.anchors import english_heading_ids
from site_gen.errors import SiteGenError
from site_gen.gate import MarkdownConfig
from site_gen.render import renderer
from site_gen.segment import Page
from site_gen.translate import Counts, Notices, State, Translation, escape_pipes, translate_page

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
    #: page → the facts its templates show (page.meta.site_gen in the build, put there by the hook).
    facts: dict[str, dict[str, Any]] = field(default_factory=dict)
    ui: dict[str, str] = field(default_factory=dict)
    site_name: str = ""
    site_description: str = ""
    nav: Any = None
    #: Files other than pages, by path (the language's Atom feed).
    files: dict[str, bytes] = field(default_factory=dict)
    #: The facts of the pages site_gen writes itself (status, search), by path.
    generated_facts: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: Included snippets that are not pages, translated, by catalog name (``_snippets/…``).
    snippets: dict[str, str] = field(default_factory=dict)
    #: Their counts, with what they include in turn (the status page lists them, unlinked).
    snippet_counts: dict[str, Counts] = field(default_factory=dict)
    #: pymdownx.blocks.caption's numbered prefixes in this language, by caption type, where they
    #: differ from the English ("figure-caption": "Рисунок {}.").
    caption_prefixes: dict[str, str] = field(default_factory=dict)


def native_name(code: str) -> str:
    locale = Locale.parse(code.replace("-", "_"))
    name = locale.get_display_name(locale) or code
    return name[:1].upper() + name[1:]


def html_path(page_path: str) -> str:
    """Where the renderer writes a page, in its language's folder."""
    return renderer().page_url(page_path)


def relative_href(from_page: str, lang: str, page_path: str) -> str:
    """Link from one language's page to a page in *lang*; works from file:// too."""
    depth = from_page.count("/") + 1
    return "../" * depth + f"{lang}/{html_path(page_path)}"


SEASONS = ("spring", "summer", "autumn", "winter")
_PARTIAL_DATE = re.compile(r"^(~)?\s*(\d{4})(?:-(\d{2})(?:-(\d{2}))?|-(spring|summer|autumn|winter))?$")


@dataclass(frozen=True)
class DatePoint:
    """A date as precisely as a source gives it: a day, a month, a season or a year, and
    whether it is the site's estimate rather than a fact of the sources.

    Written in front matter as a YAML date (``2023-04-18``), ``2023-04``, ``2023-spring`` or
    ``2023``; a leading ``~`` (``"~2023-spring"``) marks an estimate.
    """

    year: int
    month: int | None = None
    day: int | None = None
    season: str | None = None
    estimated: bool = False

    @property
    def iso(self) -> str:
        """For ``<time datetime>``: the year, year-month or the full date."""
        if self.day is not None:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        return f"{self.year:04d}-{self.month:02d}" if self.month is not None else f"{self.year:04d}"

    @property
    def first_day(self) -> dt.date:
        """The earliest day the point can mean (seasons as the meteorological ones)."""
        month = self.month or (3 * SEASONS.index(self.season) + 3 if self.season else 1)
        return dt.date(self.year, month, self.day or 1)


def parse_date_point(value: Any) -> DatePoint | None:
    """The DatePoint of a front-matter value, or None when it is not one."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return DatePoint(value.year, value.month, value.day)
    if isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 9999:
        return DatePoint(value)
    if not isinstance(value, str):
        return None
    match = _PARTIAL_DATE.match(value.strip())
    if match is None:
        return None
    estimated, year, month, day, season = match.groups()
    point = DatePoint(int(year), int(month) if month else None, int(day) if day else None, season,
                      estimated is not None)
    try:
        point.first_day  # noqa: B018 - an impossible month or day fails here
    except ValueError:
        return None
    return point


def format_date_point(point: DatePoint, locale: str, ui: Mapping[str, str]) -> str:
    """The point in *locale*'s words: "1 April 2023", "April 2023", "spring 2023", "2023"."""
    day = point.first_day
    if point.day is not None:
        text = format_date(day, format="long", locale=locale)
    elif point.month is not None:
        text = format_skeleton("yMMMM", day, locale=locale)
    elif point.season is not None:
        text = ui[f"date.{point.season}"].replace("{year}", format_skeleton("y", day, locale=locale))
    else:
        text = format_skeleton("y", day, locale=locale)
    return ui["date.estimated"].replace("{date}", text) if point.estimated else text


def format_dates(meta: Mapping[str, Any], locale: str, path: str,
                 ui: Mapping[str, str] | None = None) -> dict[str, dict[str, str]]:
    """Each date field's text in *locale* and its machine-readable form, by field name."""
    found = {}
    for key in DATE_FIELDS:
        value = meta.get(key)
        if value is None:
            continue
        point = parse_date_point(value)
        if point is None:
            raise SiteGenError(path, None, f"front matter field '{key}' is not a date: {value!r}",
                               'write dates as YYYY-MM-DD, or as YYYY-MM, YYYY-spring or YYYY; "~…" for an estimate')
        found[key] = {"text": format_date_point(point, locale, ui or interface.MESSAGES), "iso": point.iso}
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


def with_includes(counts: Mapping[str, Counts], includes: Mapping[str, Iterable[str]]) -> dict[str, Counts]:
    """Each catalog's counts with those of every snippet it includes, directly or through
    another snippet, each snippet once: what a reader of the page sees.  A page made only of
    includes is as translated as its snippets, not 100 % for having no message of its own."""
    result = dict(counts)
    for name in counts:
        if name not in includes:
            continue
        seen: dict[str, None] = {}
        stack = list(includes[name])
        while stack:
            other = stack.pop()
            if other != name and other not in seen:
                seen[other] = None
                stack.extend(includes.get(other, ()))
        result[name] = sum((counts[other] for other in seen if other in counts), counts[name])
    return result


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
    snippet_pages: Iterable[Page] = (),
    includes: Mapping[str, Iterable[str]] | None = None,
) -> LanguageSite:
    """All pages of one language, and the snippets they include (*snippet_pages*, translated
    into ``LanguageSite.snippets``).

    *tables* maps this language's catalog names (page paths, snippets and the interface catalog)
    to translations; *counts* maps every language to its catalogs' own counts, so each page
    links only to its real translations; *includes*: what each page and snippet includes.
    """
    # A page's progress is that of what its reader sees: its own messages and its snippets'.
    counts = {code: with_includes(table, includes or {}) for code, table in counts.items()}
    is_source = lang.code == source_lang
    ui_table = None if is_source else tables.get(interface.CATALOG)
    ui = interface.strings(ui_table)
    notices = Notices(fuzzy=ui["fuzzy"], titles=interface.default_titles(ui))
    site = LanguageSite(
        lang=lang, ui=ui,
        site_name=interface.translate_text(str(config.get("site_name", "")), ui_table),
        site_description=interface.translate_text(str(config.get("site_description", "")), ui_table),
        nav=translate_nav(config.get("nav"), ui_table),
        caption_prefixes={name: translated for name, prefix in interface.caption_prefixes(config)
                          if (translated := interface.translate_text(prefix, ui_table)) != prefix},
    )
    markdown_config = MarkdownConfig.from_mkdocs(config)
    explainer = ((config.get("extra") or {}).get("site_gen") or {}).get("profile") == "explainer"
    histories = {page.path: history.changes(page.meta, page.path) for page in pages}
    has_feed = bool(site_url) and any(histories.values())
    feed_entries: list[history.FeedEntry] = []
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
        changes = histories[page.path]
        title = " ".join(str(page.meta.get("title") or "").split())
        facts: dict[str, Any] = {
            # The menu, header and footer show the title: the templates mark it when it is English.
            "title_lang": lang.code if is_source or not title or _translated(title, table) else source_lang,
            "dates": format_dates(page.meta, lang.date_locale, page.path, ui),
            # The explainer's statuses; another site's `status` is Material's page status, its own.
            "status_label": status_label(page.meta, ui, page.path) if explainer else None,
            "banner": None if is_source else banner(counts[lang.code][page.path], ui),
            "alternates": alternates,
            "x_default": f"{site_url}{source_lang}/{html_path(page.path)}",
            "history": [history_item(change, table, lang, source_lang, ui) for change in changes],
            "feed": has_feed,
        }
        if changes:  # GOV.UK's "last updated": the newest change, never the build's date
            newest = DatePoint(changes[0].date.year, changes[0].date.month, changes[0].date.day)
            facts["dates"]["last_updated"] = {"text": format_date_point(newest, lang.date_locale, ui),
                                              "iso": newest.iso}
        if has_feed and changes:
            title = interface.translate_text(" ".join(str(page.meta.get("title") or page.path).split()), table)
            feed_entries += history.entries(f"{site_url}{lang.code}/{html_path(page.path)}", title, changes,
                                            lambda text, table=table: interface.translate_text(text, table))
        if not is_source:
            facts["heading_ids"] = english_heading_ids(page, markdown_config)
        result = translate_page(page, table, lang.code, source_lang, notices, extra_meta=facts)
        site.pages[page.path] = result.markdown
        site.counts[page.path] = result.counts
        site.facts[page.path] = result.facts
        seen = counts.get(lang.code, {}).get(page.path)
        if not is_source and seen is not None and seen != result.counts:
            # Its snippets count, and decide the language of its main text, as its own messages do.
            site.counts[page.path] = seen
            site.facts[page.path] = {**result.facts, **seen.as_dict(),
                                     "lang": lang.code if seen.translated else source_lang}
    if not is_source:
        site.snippet_counts = {name: seen for name, seen in counts.get(lang.code, {}).items()
                               if name.startswith(snippets.PREFIX)}
        for page in snippet_pages:
            site.snippets[page.path] = translate_page(page, tables.get(page.path, {}), lang.code, source_lang,
                                                      notices).markdown
    if has_feed:
        feed = history.atom_feed(f"{site_url}{lang.code}/{history.FEED}", f"{site_url}{lang.code}/",
                                 f"{site.site_name}: {ui['feed.title']}", site.site_name, lang.code, feed_entries)
        if feed is not None:
            site.files[history.FEED] = feed
    return site


def _translated(text: str, table: Mapping[str, Translation] | None) -> bool:
    entry = table.get(text) if table else None
    return entry is not None and entry.state is State.TRANSLATED


def history_item(change: history.Change, table: Mapping[str, Translation] | None, lang: Language,
                 source_lang: str, ui: Mapping[str, str]) -> dict[str, str]:
    """One change as the page shows it: its date in the language, and its note in the language
    (or in English, marked as such, while the note is not translated)."""
    note = interface.translate_text(change.note, table)
    point = DatePoint(change.date.year, change.date.month, change.date.day)
    return {"iso": point.iso, "date": format_date_point(point, lang.date_locale, ui),
            "note": note, "lang": lang.code if table is None or note != change.note else source_lang}


_SITE_URL = re.compile(r"^https?://[^/]+(/.*)?$")


def normalised_site_url(config: Mapping[str, Any]) -> str:
    url = str(config.get("site_url") or "")
    if url and not _SITE_URL.match(url):
        raise SiteGenError("mkdocs.yml", None, f"site_url {url!r} is not an absolute http(s) URL")
    return url if not url or url.endswith("/") else url + "/"


STATUS_PAGE = "translation-status.md"

#: A topic page not reviewed for this many days is stale (``extra.site_gen.review_after_days``).
REVIEW_AFTER_DAYS = 180


def is_topic(meta: Mapping[str, Any]) -> bool:
    """A page about a rule (it has a status or an as-of date), whose facts can go out of date."""
    return "status" in meta or "as_of" in meta


def stale_pages(pages: Iterable[Page], on: dt.date, review_after: int = REVIEW_AFTER_DAYS) -> list[tuple[str, dt.date]]:
    """Topic pages last reviewed more than *review_after* days before *on*, the oldest first."""
    found = [(page.path, page.meta["last_reviewed"]) for page in pages if is_topic(page.meta)
             and isinstance(page.meta.get("last_reviewed"), dt.date)
             and (on - page.meta["last_reviewed"]).days > review_after]
    return sorted(found, key=lambda item: (item[1], item[0]))


def status_page(
    site: LanguageSite, counts: Mapping[str, Mapping[str, Counts]], languages: list[Language],
    source_lang: str, site_url: str, stale: Iterable[tuple[str, dt.date]] = (), reviewed_on: dt.date | None = None,
    review_after: int = REVIEW_AFTER_DAYS,
) -> str:
    """The translation status page of one language: every language's totals, then this one's pages,
    then the topic pages not reviewed for long (*stale*, as of *reviewed_on*, the site's newest review)."""
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
    # Included snippets are no pages (no link), but translators find their catalogs by these names.
    per_page += [row(f"`{name}`", snippet) for name, snippet in sorted(site.snippet_counts.items())]
    shared = counts.get(site.lang.code, {}).get(interface.CATALOG)
    if shared is not None:  # the interface catalog: on every page, counted like one
        per_page.append(row(ui["status_page.interface"], shared))
    text = "\n\n".join([
        f"# {ui['status_page.title']}",
        ui["status_page.intro"],
        head.format(first=escape_pipes(ui["status_page.language"])) + "\n" + "\n".join(totals),
        *([f"## {site.lang.name}", head.format(first=escape_pipes(ui["status_page.page"])) + "\n" + "\n".join(per_page)]
          if site.lang.code != source_lang else []),
        *_stale_section(list(stale), reviewed_on, review_after, site),
    ]) + "\n"
    return generated_page(site, languages, source_lang, site_url, STATUS_PAGE, ui["status_page.title"], text)


def _stale_section(stale: list[tuple[str, dt.date]], reviewed_on: dt.date | None, review_after: int,
                   site: LanguageSite) -> list[str]:
    if not stale or reviewed_on is None:
        return []
    ui = site.ui
    when = format_date(reviewed_on, format="long", locale=site.lang.date_locale)
    # Babel writes the number with the word in the grammatical number it takes ("181 день", "180 днів").
    days = format_timedelta(dt.timedelta(days=review_after), granularity="day", threshold=10**6,
                            locale=site.lang.date_locale)
    intro = ui["status_page.stale_intro"].replace("{days}", days).replace("{date}", when)
    rows = [f"- [{path}]({path}): {format_date(date, format='long', locale=site.lang.date_locale)}"
            for path, date in stale]
    return [f"## {ui['status_page.stale']}", intro, "\n".join(rows)]


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
    result = translate_page(page, None, site.lang.code, source_lang,
                            extra_meta={"alternates": alternates,
                                        "x_default": f"{site_url}{source_lang}/{html_path(path)}"})
    site.generated_facts[path] = result.facts
    return result.markdown


#: The most entries one navigation level shows before it is split into numbered groups.
#: Every page carries the navigation, so an unsplit level of N pages costs N links on each
#: of N pages: build time and site size grow with N².  With groups (and Material's
#: navigation.prune) a page carries about N/limit group links and its own group's pages.
NAV_LIMIT = 50


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

    nav = renderer().nav(site.nav, pages)
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
