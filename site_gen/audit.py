"""Checks and statistics over the whole project: every catalog and every page.

``check`` gathers findings (errors and warnings) with file and line; ``stats``
counts messages and words per language and page.  The rules themselves live in
``checks.py``; this module reads the files and says where each finding is.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from typing import Any

from babel.messages.catalog import Catalog

from site_gen import checks, gate, history, interface
from site_gen.catalog import parse_locale, parse_plural_forms, same_plural_rule
from site_gen.errors import SiteGenError
from site_gen.generate import (
    DATE_FIELDS,
    REVIEW_AFTER_DAYS,
    STATUSES,
    is_topic,
    parse_date_point,
    stale_pages,
    with_includes,
)
from site_gen.project import Project
from site_gen.segment import Page
from site_gen.translate import Counts

REQUIRED_FIELDS = ("title", "published", "last_reviewed", "sources")
TOPIC_FIELDS = ("status", "as_of")


@dataclass(frozen=True)
class Report:
    """One finding, located."""

    path: str
    line: int | None
    check: str
    severity: str
    message: str
    fix: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.severity}: [{self.check}] {self.message}\n  fix: {self.fix}"


def check(project: Project) -> list[Report]:
    reports: list[Report] = []
    pages = list(project.pages())
    included = project.snippet_pages()
    by_path: dict[str, Page] = {page.path: page for page in [*pages, *included]}
    for lang in project.targets:
        for name in [*by_path, interface.CATALOG]:
            path = project.catalog_path(lang, name)
            relative = project.relative(path)
            try:
                catalog = project.read_catalog(lang, name)
            except SiteGenError as error:
                reports.append(Report(relative, error.line, "syntax", "error", error.message, error.fix or ""))
                continue
            if catalog is None:
                reports.append(Report(relative, None, "missing", "error", "catalog does not exist",
                                      "run 'site-gen update'"))
                continue
            reports.extend(check_catalog(catalog, lang, relative, by_path.get(name), project.markdown_config))
    reports.extend(check_pages(project, pages))
    reports.extend(unextracted_text(project, [*pages, *included]))
    # A plugin may make the page at build time: then MkDocs judges the entry (a warning here).
    severity = "warning" if project.page_making_plugins else "error"
    reports.extend(Report(error.path or "", error.line, "nav", severity, error.message, error.fix or "")
                   for error in project.nav_problems())
    return reports


def check_catalog(catalog: Catalog, lang: str, path: str, page: Page | None = None,
                  config: gate.MarkdownConfig = gate.DEFAULT) -> list[Report]:
    """The header and every translation of one catalog; *page* is the page it translates
    (``None``: the interface catalog).  Errors are the gate's verdict: what the build refuses."""
    reports = []
    context = gate.page_context(page.lines) if page is not None else gate.EMPTY
    expected = Catalog(locale=parse_locale(lang))
    if str(catalog.locale) != str(expected.locale):
        reports.append(Report(path, 1, "header", "error",
                              f"the Language header is {catalog.locale!s}, not {lang}",
                              f'set "Language: {lang}\\n" in the header'))
    found = parse_plural_forms(catalog.plural_forms)
    if found is None or not same_plural_rule(found, (expected.num_plurals, expected.plural_expr)):
        # Compared by meaning: Babel releases write the same rule in different words.
        reports.append(Report(path, 1, "plurals", "error",
                              f"Plural-Forms is {catalog.plural_forms!r}, which picks other forms than {lang}'s rule",
                              f"use the rule for {lang}: {expected.plural_forms}"))
    if catalog.charset.lower() != "utf-8":
        reports.append(Report(path, 1, "header", "error", f"charset is {catalog.charset}",
                              "save the catalog as UTF-8 and declare charset=UTF-8"))
    published = {message.id: message.string for message in catalog if isinstance(message.id, str) and message.id
                 and isinstance(message.string, str) and message.string and not message.fuzzy}
    labels = gate.unused_abbreviations(page, published) if page is not None else {}
    for message in catalog:
        if not message.id or not message.string or not isinstance(message.string, str):
            continue
        if not isinstance(message.id, str):
            continue
        if message.fuzzy:
            continue  # never published
        found = [*gate.verdict_in(page, message.id, message.string, context, config, lang),
                 *([labels[message.id]] if message.id in labels else []),
                 *checks.warnings(message.id, message.string)]
        for finding in found:
            reports.append(Report(path, message.lineno, finding.check, finding.severity,
                                  f"{finding.message} (msgid: {gate.short(message.id)!r})", finding.fix))
    return reports


def source_ids(project: Project) -> set[str]:
    page = project.settings.get("sources_page", "sources.md")
    path = project.content_dir / page
    if not path.exists():
        return set()
    return set(re.findall(r"\{:?\s*#([^\s}]+)", path.read_text(encoding="utf-8")))


def _line_of(page: Page, key: str) -> int | None:
    for number, line in enumerate(page.lines[: (page.front_matter_end or 0) + 1], 1):
        if line.startswith(f"{key}:"):
            return number
    return 1


def today() -> dt.date:
    """The day checks measure ages against: SOURCE_DATE_EPOCH's when set, so a check can be replayed."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date() if epoch else dt.date.today()


def unextracted_text(project: Project, pages: list[Page]) -> list[Report]:
    """Text for readers in syntax the segmenter does not know: one warning per run of lines."""
    reports = []
    for page in pages:
        runs: list[list[int]] = []
        for number in page.unextracted:
            if runs and number == runs[-1][-1] + 1:
                runs[-1].append(number)
            else:
                runs.append([number])
        path = project.relative(project.source_file(page.path))
        for run in runs:
            lines = "line" if len(run) == 1 else f"{len(run)} lines"
            reports.append(Report(path, run[0] + 1, "unextracted", "warning",
                                  f"{lines} of text here are in no message, so they stay English in every "
                                  f"language: {page.lines[run[0]].strip()[:50]!r}",
                                  "write it as Markdown site_gen extracts (a paragraph, a list, a table), "
                                  "or keep it English on purpose"))
    return reports


def check_pages(project: Project, pages: list[Page], on: dt.date | None = None) -> list[Report]:
    """The explainer's page schema (``extra.site_gen.profile: explainer``): required front matter,
    dates, status, sources and reviews.  Without the profile, only what site_gen itself reads
    from a page (its ``changes`` history) is checked."""
    if project.settings.get("profile") != "explainer":
        return [report for page in pages for report in _history_problems(project, page)]
    reports = []
    known = source_ids(project)
    review_after = int(project.settings.get("review_after_days", REVIEW_AFTER_DAYS))
    on = on or today()
    sources_page = project.settings.get("sources_page", "sources.md")
    for page in pages:
        path = project.relative(project.content_dir / page.path)
        meta = page.meta
        required = REQUIRED_FIELDS + (TOPIC_FIELDS if is_topic(meta) else ())
        for key in required:
            if key not in meta or meta[key] in (None, ""):
                reports.append(Report(path, 1, "front-matter", "error", f"required field '{key}' is missing",
                                      f"add '{key}:' to the front matter"))
        if "status" in meta and meta["status"] not in STATUSES:
            reports.append(Report(path, _line_of(page, "status"), "front-matter", "error",
                                  f"unknown status {meta['status']!r}", f"use one of: {', '.join(STATUSES)}"))
        for key in DATE_FIELDS:
            if key not in meta:
                continue
            # What a page says about its own publishing is known to the day; what the sources
            # report may be known only to the month, season or year, or be an estimate.
            exact = key != "as_of"
            point = parse_date_point(meta[key])
            if point is None or (exact and point.day is None) or (exact and point.estimated):
                reports.append(Report(
                    path, _line_of(page, key), "front-matter", "error", f"'{key}' is not a date: {meta[key]!r}",
                    "write it as YYYY-MM-DD" if exact else
                    'write it as YYYY-MM-DD, or YYYY-MM, YYYY-spring or YYYY when the source is vaguer; '
                    '"~…" (quoted) when it is your estimate'))
        reports.extend(_history_problems(project, page))
        if stale_pages([page], on, review_after):
            # Rules change: a page nobody has checked for half a year may no longer be true.
            reviewed = meta["last_reviewed"]
            reports.append(Report(path, _line_of(page, "last_reviewed"), "stale", "warning",
                                  f"last reviewed {(on - reviewed).days} days ago ({reviewed.isoformat()}), "
                                  f"more than {review_after}",
                                  "check the page against newer reports, then set last_reviewed to today"))
        cited = meta.get("sources", [])
        if not isinstance(cited, list):
            reports.append(Report(path, _line_of(page, "sources"), "sources", "error",
                                  "'sources' must be a list", "write sources: [id-one, id-two]"))
            cited = []
        for source in cited:
            if source not in known:
                reports.append(Report(path, _line_of(page, "sources"), "sources", "error",
                                      f"source {source!r} is not on {sources_page}",
                                      f"add a heading with {{#{source}}} to {sources_page} or fix the id"))
        for number, line in enumerate(page.lines, 1):
            for anchor in re.findall(rf"\]\({re.escape(sources_page)}#([^)\s]+)\)", line):
                if anchor not in known:
                    reports.append(Report(path, number, "sources", "error",
                                          f"link to a source that does not exist: #{anchor}",
                                          f"use an id from {sources_page}"))
                elif cited is not None and anchor not in cited and page.path != sources_page:
                    reports.append(Report(path, number, "sources", "warning",
                                          f"source #{anchor} is cited but not listed in 'sources'",
                                          "add it to the page's sources list"))
    return reports


def _history_problems(project: Project, page: Page) -> list[Report]:
    path = project.relative(project.content_dir / page.path)
    try:
        history.changes(page.meta, path)
    except SiteGenError as error:
        return [Report(path, _line_of(page, history.FIELD), "front-matter", "error", error.message, error.fix or "")]
    return []


def stats(project: Project) -> dict[str, Any]:
    """language → {"total": counts, "pages": {page: counts}}, counts as dicts.

    A page's counts take in the snippets it includes (what its reader sees); each snippet has its
    own row too (``_snippets/…``), and the total counts every message once."""
    result: dict[str, Any] = {}
    for lang in project.targets:
        own = project.language_counts(lang)
        total = sum(own.values(), Counts())
        per_page = with_includes(own, project.includes)
        unextracted = {page.path: len(page.unextracted) for page in [*project.pages(), *project.snippet_pages()]}
        result[lang] = {"total": {**total.as_dict(), "unextracted_lines": sum(unextracted.values())},
                        "pages": {path: {**counts.as_dict(), "unextracted_lines": unextracted.get(path, 0)}
                                  for path, counts in per_page.items()}}
    return result


def stats_table(figures: dict[str, Any]) -> str:
    rows = ["| language | page | translated | fuzzy | untranslated | words translated | % | lines in no message |",
            "|---|---|---:|---:|---:|---:|---:|---:|"]
    for lang, data in figures.items():
        for page, counts in [*data["pages"].items(), ("(all pages)", data["total"])]:
            rows.append(
                f"| {lang} | {page} | {counts['translated']} | {counts['fuzzy']} | {counts['untranslated']} "
                f"| {counts['translated_words']}/{counts['total_words']} | {counts['percent']} "
                f"| {counts.get('unextracted_lines', 0)} |"
            )
    return "\n".join(rows)
