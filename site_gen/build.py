"""Stage 5: one ordinary MkDocs build per language, in parallel worker processes.

This is the only module that knows MkDocs.  Each language gets a generated
config that INHERITs the project's ``mkdocs.yml`` and overrides only what differs
(docs and site folders, theme language, translated names and nav), and is built
with MkDocs' own ``build`` command, called as its CLI calls it.

The build runs in three steps:

1. workers segment the pages (cached by their text) and read each target language's
   catalogs while the main process loads MkDocs;
2. each target language's messages are counted, one process per language, since the
   publishing gate and every page's language links need all the counts;
3. each language is generated, built by MkDocs and finished (privacy check, search
   index, CSP) in its own process, which also compresses its files for the offline
   ZIP and describes its *part* in a manifest (``assemble.Part``); the main process
   joins those parts as the languages finish (``join``).  Then the root pages and the
   sitemap are added.

``build_part`` stops after step 3 for one language and writes its part into a folder;
``assemble_parts`` joins such folders, built on other machines, with the same ``join``
(``site-gen build --lang L --part DIR``, ``site-gen assemble``: docs/sharding.md).

Workers are forked from the main process after MkDocs and the pages are loaded, so
they share both instead of importing and reading them again.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gc
import hashlib
import html
import importlib
import json
import logging
import multiprocessing
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import jinja2.bccache
import yaml

from site_gen import assemble, gate, offline, search
from site_gen.errors import SiteGenError, SiteGenErrors, os_error
from site_gen.generate import (
    REVIEW_AFTER_DAYS,
    STATUS_PAGE,
    Language,
    LanguageSite,
    generate_language,
    generated_page,
    native_name,
    nav_limit,
    normalised_site_url,
    published_languages,
    site_nav,
    stale_pages,
    status_page,
)
from site_gen.parallel import Background
from site_gen.project import CODE_KEY, Project, write_lock
from site_gen.segment import Page
from site_gen.translate import Counts

PACKAGE = Path(__file__).resolve().parent
THEME_DIR = PACKAGE / "theme"
HOOKS_FILE = PACKAGE / "mkdocs_hooks.py"

# MkDocs is pinned below 2; Material's notice about it is not for site_gen's users.
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

@dataclass(frozen=True)
class BuildResult:
    site: Path
    built: tuple[str, ...]
    reused: tuple[str, ...]
    #: stage → seconds: wall time of the main process's steps, and CPU-bound time of each
    #: language's steps in its worker ("uk: mkdocs").
    timings: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class _Job:
    """What one language's worker needs beyond the project and pages it shares."""

    lang: Language
    languages: list[Language]
    counts: dict[str, dict[str, Counts]]
    site_url: str
    staging: Path
    final: Path
    epoch: str
    #: Whether the language's last output in *final* may be reused (not for a part).
    reuse: bool = True


@dataclass
class _Done:
    """What one language's worker hands back."""

    #: Its part's manifest (``assemble.Part``), read by the main process as assembly reads any part.
    manifest: bytes
    #: Its files, compressed for the offline copy.
    offline_file: Path
    stamp: str
    reused: bool
    timings: dict[str, float]


@dataclass(frozen=True)
class _Plan:
    """What every language's build needs to know of all languages, worked out first."""

    languages: list[Language]
    counts: dict[str, dict[str, Counts]]
    site_url: str
    epoch: str
    workers: int


#: The project (its pages segmented) and the content assets, set before the workers fork.
_SHARED: dict[str, Any] = {}

#: page → digest of its rendered Markdown's skeleton, noted by the MkDocs hook in a language's build.
PAGE_SKELETONS: dict[str, str] = {}


def _plan(project: Project, jobs: int | None, strict: bool, clock: Callable[[str], Any],
          reported: Iterable[str] | None = None) -> _Plan:
    """Every language's counts (the publishing gate and every page's language links need all of
    them), the refused translations of *reported* (default: every language) on stderr."""
    languages = configured_languages(project)
    site_url = normalised_site_url(project.config)
    nav_limit(project.settings, project.relative(project.config_file))  # a bad value fails first
    workers = jobs or min(len(languages), (os.cpu_count() or 1) + 1)
    _SHARED.update(project=project)
    # Workers segment the pages and read the catalogs (into the cache) while this process
    # loads MkDocs; `site-gen build` starts them before it even imports this module.
    project.prepare(jobs)
    with clock("load MkDocs"):
        _load_mkdocs(project)
    with clock("segment pages, read catalogs"):
        project.wait_prepared()
    with clock("count messages"):
        counted = list(Background(_count_language, project.targets, workers).results())
    counts = {project.source_language: {}, **dict(zip(project.targets, (c for c, _ in counted), strict=True))}
    shown = set(project.languages if reported is None else reported)
    report_refusals([refusal for lang, (_, refusals) in zip(project.targets, counted, strict=True)
                     if lang in shown for refusal in refusals], strict)
    languages, warnings = published_languages(
        languages, counts, project.settings.get("publish_threshold", 0), project.source_language)
    for warning in warnings:
        if strict:
            raise SiteGenError(project.relative(project.config_file), None, warning,
                               "translate more, or lower extra.site_gen.publish_threshold")
        print(f"warning: {warning}", file=sys.stderr)
    # Only the project holds the pages (no local here), so a worker can let them go.
    epoch = source_date_epoch(project.pages())
    # Read once, shared by the language workers.
    _SHARED.update(assets=assets(project), inputs=inputs_key(project))
    return _Plan(languages, counts, site_url, epoch, workers)


def _staging(final: Path) -> Path:
    """An empty folder beside *final*, for its next version."""
    staging = final.with_name(f".{final.name}.new")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    return staging


def build(project: Project, jobs: int | None = None, strict: bool = False) -> BuildResult:
    """Build every language into ``site/``; on any error the old ``site/`` stays.

    Each language's worker makes its part, and the parts are joined as they come in: the
    same parts, and the same joining, as ``build_part`` on many machines and ``assemble_parts``.
    """
    timings: dict[str, float] = {}
    clock = functools.partial(_timed, timings)
    plan = _plan(project, jobs, strict, clock)
    final = project.root / str(project.config.get("site_dir", "site"))
    staging = _staging(final)
    done: list[_Done] = []

    def built() -> Iterator[assemble.Part]:
        jobs_list = [_Job(lang, plan.languages, plan.counts, plan.site_url, staging, final, plan.epoch)
                     for lang in plan.languages]
        for result in Background(_build_language, jobs_list, plan.workers).results():
            done.append(result)
            yield _read_part(result)

    try:
        with _environment("SOURCE_DATE_EPOCH", plan.epoch):  # the workers' too
            parts = join(staging, project, plan.site_url, built(), clock)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _print_warnings(parts)
    with clock("swap"):
        swap(staging, final)
        for result, part in zip(done, parts, strict=True):
            # Only now, with the new site in place, may a later build reuse this one.
            (project.root / "build" / part.lang.code / "stamp").write_text(result.stamp)
    return _result(final, done, parts, timings)


def _read_part(result: _Done) -> assemble.Part:
    return assemble.Part.from_manifest(result.manifest, result.offline_file, "a language's worker")


def _result(site: Path, done: list[_Done], parts: list[assemble.Part], timings: dict[str, float]) -> BuildResult:
    for result, part in zip(done, parts, strict=True):
        for stage, seconds in result.timings.items():
            timings[f"{part.lang.code}: {stage}"] = seconds
    return BuildResult(site, tuple(p.lang.code for r, p in zip(done, parts, strict=True) if not r.reused),
                       tuple(p.lang.code for r, p in zip(done, parts, strict=True) if r.reused), timings)


def _print_warnings(parts: Iterable[assemble.Part]) -> None:
    for part in parts:  # once per language, the source files named (a reused build's again)
        for warning in part.warnings:
            print(f"warning: MkDocs ({part.lang.code}): {warning}", file=sys.stderr)


def join(out: Path, project: Project, site_url: str, parts: Iterable[assemble.Part],
         clock: Callable[[str], Any]) -> list[assemble.Part]:
    """The site in *out* from its languages' *parts* (their folders already in *out*), in the
    configured order: the offline ZIP, the checks across languages, the root files.

    *parts* may still be in the making: each one's offline part is added as it comes in,
    while the other languages are still being built.
    """
    joined: list[assemble.Part] = []
    archive: offline.OfflineCopy | None = None
    try:
        with clock("languages"):
            for part in parts:
                joined.append(part)
                with clock("offline copy"):
                    archive = archive or offline.OfflineCopy(out)
                    archive.add_part(part.offline_file, part.offline)
            archive = archive or offline.OfflineCopy(out)
        # Every entry of the offline ZIP, the root files' too, carries the build's date.
        with clock("assemble"), _environment("SOURCE_DATE_EPOCH", joined[0].epoch if joined else "0"):
            problems = changed_pages({p.lang.code: p.skeletons for p in joined}, project)
            problems += assemble.unknown_scripts({p.lang.code: p.checks for p in joined}, project.source_language)
            if problems:
                raise SiteGenErrors(problems)
            assemble.assemble(out, project, joined, site_url, archive)
    except BaseException:
        if archive is not None:
            archive.discard()
        raise
    return joined


def build_part(project: Project, lang: str, folder: Path, jobs: int | None = None,
               strict: bool = False) -> BuildResult:
    """Build one language into *folder*: its pages, search index and offline ZIP part, and the
    manifest ``assemble_parts`` reads (``site-gen build --lang uk --part DIR``, one machine of many)."""
    if lang not in project.languages:
        raise SiteGenError("command line", None, f"--lang {lang}: {lang!r} is not configured",
                           f"use one of {', '.join(project.languages)} (extra.site_gen.languages)")
    if folder.exists() and (not folder.is_dir() or (any(folder.iterdir())
                                                     and not (folder / assemble.MANIFEST).is_file())):
        raise SiteGenError(str(folder), None, "exists and is not a part: site-gen would replace it",
                           "give a new folder, or one an earlier 'site-gen build --part' wrote")
    timings: dict[str, float] = {}
    clock = functools.partial(_timed, timings)
    expected = fingerprint(project)  # before the build reads the sources: what it is built from
    plan = _plan(project, jobs, strict, clock, reported=(lang,))
    # The language's last output in site/ no longer matches what build/LANG/ will hold.
    (project.root / "build" / lang / "stamp").unlink(missing_ok=True)
    staging = _staging(folder)
    try:
        with clock("languages"), _environment("SOURCE_DATE_EPOCH", plan.epoch):
            job = _Job(next(x for x in plan.languages if x.code == lang), plan.languages, plan.counts,
                       plan.site_url, staging, folder, plan.epoch, reuse=False)
            [result] = Background(_build_language, [job], 1).results()
        with clock("offline copy"):
            shutil.copyfile(result.offline_file, staging / assemble.OFFLINE_PART)
            part = _read_part(result)
            part.fingerprint = expected
            (staging / assemble.MANIFEST).write_bytes(part.manifest())
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _print_warnings([part])
    swap(staging, folder)
    return _result(folder, [result], [part], timings)


def assemble_parts(project: Project, folders: Iterable[Path], site_dir: Path | None = None) -> BuildResult:
    """Join parts built by ``build_part`` (on other machines) into the site: byte for byte what
    ``build`` makes.  Every configured language needs its part, each built from this checkout's
    sources and config by this site_gen; otherwise nothing is written."""
    timings: dict[str, float] = {}
    clock = functools.partial(_timed, timings)
    expected = fingerprint(project)
    found: dict[str, tuple[Path, assemble.Part]] = {}
    problems: list[SiteGenError] = []
    for folder in folders:
        manifest = folder / assemble.MANIFEST
        if not manifest.is_file():
            problems.append(SiteGenError(str(folder), None, "is not a part: it has no manifest.json",
                                         "give the folders that 'site-gen build --lang LANG --part DIR' wrote"))
            continue
        part = assemble.Part.from_manifest(manifest.read_bytes(), folder / assemble.OFFLINE_PART, str(manifest))
        code = part.lang.code
        if code in found:
            problems.append(SiteGenError(str(folder), None, f"is a second part of '{code}' "
                                         f"(the first: {found[code][0]})", "give one part per language"))
        elif code not in project.languages:
            problems.append(SiteGenError(str(folder), None, f"is a part of '{code}', which this project does not "
                                         f"configure ({', '.join(project.languages)})",
                                         "leave it out, or add the language to extra.site_gen.languages"))
        else:
            found[code] = folder, part
            problems += assemble.part_differences(str(folder), part, expected)
            offline_file = folder / assemble.OFFLINE_PART
            if not offline_file.is_file() or offline_file.stat().st_size != part.offline_size \
                    or not (folder / code).is_dir():
                problems.append(SiteGenError(str(folder), None, f"the part of '{code}' is incomplete: its "
                                             f"{code}/ folder or {assemble.OFFLINE_PART} is missing or cut short",
                                             f"copy the whole folder, or build it again: "
                                             f"site-gen build --lang {code} --part DIR"))
    problems += [SiteGenError("command line", None, f"no part of '{code}' was given: every configured language "
                              "needs its part", f"build it (site-gen build --lang {code} --part DIR) "
                              "and add its folder")
                 for code in project.languages if code not in found]
    epochs = {part.epoch for _, part in found.values()}
    if len(epochs) > 1:
        problems.append(SiteGenError("command line", None, "the parts were built for different dates "
                                     f"(SOURCE_DATE_EPOCH: {', '.join(sorted(epochs))})",
                                     "build every part with the same SOURCE_DATE_EPOCH, or with none"))
    final = site_dir or project.site_dir
    if site_dir is not None and final.exists() and (not final.is_dir() or (
            any(final.iterdir()) and not (final / "_headers").is_file())):
        # A mistyped --site-dir must not replace the content folder, say.
        problems.append(SiteGenError(str(final), None, "exists and is not a site site-gen made: "
                                     "site-gen would replace it", "give a new folder, or an earlier site's"))
    if problems:
        raise SiteGenErrors(problems)
    staging = _staging(final)

    def copied() -> Iterator[assemble.Part]:
        for code in project.languages:
            folder, part = found[code]
            shutil.copytree(folder / code, staging / code)
            yield part

    try:
        parts = join(staging, project, normalised_site_url(project.config), copied(), clock)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _print_warnings(parts)
    with clock("swap"):
        swap(staging, final)
    return BuildResult(final, tuple(project.languages), (), timings)


# Work done in the language workers -------------------------------------------------------


def _count_language(lang: str) -> tuple[dict[str, Counts], tuple[gate.Refusal, ...]]:
    """A language's counts, and the translations the gate refused (the build's one judging of them)."""
    project: Project = _SHARED["project"]
    return project.language_counts(lang), project.gated_translations(lang).refusals


def changed_pages(skeletons: Mapping[str, Mapping[str, str]], project: Project) -> list[SiteGenError]:
    """Translated pages whose rendered Markdown has other elements, attributes, URLs or ids than
    the source page's: the gate let something through, so nothing is published."""
    source = skeletons[project.source_language]
    return [
        SiteGenError(f"{lang}/{path}", None,
                     f"the {lang} page's elements, attributes, links or ids differ from the {project.source_language} "
                     "page's: a translation changed the page, not only its words",
                     f"run 'site-gen check' and fix the {lang} catalog of {path}; please report the case, "
                     "since the gate should have refused it")
        for lang, pages in skeletons.items() if lang != project.source_language
        for path in project.page_paths if pages.get(path) != source.get(path)
    ]


def report_refusals(refusals: list[gate.Refusal], strict: bool) -> None:
    """Each refused translation on stderr, with its file and line; with *strict*, an error."""
    if strict and refusals:
        raise SiteGenErrors([SiteGenError(r.path, r.line, f"[{r.findings[0].check}] {r.findings[0].message} "
                                          f"(msgid: {gate.short(r.msgid)!r})", r.findings[0].fix)
                             for r in refusals])
    for refusal in refusals:
        print(refusal, file=sys.stderr)


def _build_language(job: _Job) -> _Done:
    project: Project = _SHARED["project"]
    pages = list(project.pages())  # segmented before the fork
    code = job.lang.code
    timings: dict[str, float] = {}
    clock = functools.partial(_timed, timings, now=time.process_time)
    work = project.root / "build" / code
    with clock("generate"):
        tables = {} if code == project.source_language else project.gated_translations(code).tables
        site = language_site(project, job.lang, job.languages, pages, tables, job.counts, job.site_url)
        docs = work / "docs"
        files = {**site.pages, **site.files, **_SHARED["assets"]}
        write_tree(docs, files)
        site.pages.clear()
        del tables
        config_file, bulky_file = write_config(project, site, docs, job.staging / code, job.site_url)
        stamp = input_stamp(files, (config_file, bulky_file), job.epoch, _SHARED["inputs"])
        del files, pages
        if multiprocessing.parent_process() is not None:
            # A worker needs the segmented pages no more; MkDocs reuses their memory.
            project.__dict__.pop("_pages", None)
    previous = work / "stamp"
    checks_file = work / "checks.json"
    reused = job.reuse and previous.exists() and previous.read_text() == stamp and (job.final / code).is_dir() \
        and checks_file.exists()
    if reused:
        # Nothing this language's build reads has changed: reuse its last output.
        with clock("reuse"):
            shutil.copytree(job.final / code, job.staging / code)
            saved = json.loads(checks_file.read_text(encoding="utf-8"))
            checks = assemble.LanguageChecks.from_json(saved)
            skeletons = saved["skeletons"]
            warnings = saved.get("warnings", [])
    else:
        with clock("mkdocs"):
            gc.collect()  # the generated pages (cycles) go before MkDocs holds every page in memory
            PAGE_SKELETONS.clear()
            warnings = [source_names(line, project, docs, config_file) for line in run_mkdocs(config_file, code)]
            skeletons = dict(PAGE_SKELETONS)
            gc.collect()  # and MkDocs' pages, nav and files before the finishing pass reads every page
        with clock("finish"):
            quiet_material_alternates(job.staging / code)
            checks = assemble.finish_language(job.staging / code, job.staging, code,
                                              assemble.Privacy.from_settings(project.settings))
            checks_file.write_text(json.dumps({**checks.as_json(), "skeletons": skeletons, "warnings": warnings}),
                                   encoding="utf-8")
    with clock("offline part"):
        # Compressed here rather than in the main process, while the other languages build;
        # a reused language's part is reused too.
        part, index = work / "offline.part", work / "offline.json"
        entries = offline.saved_part(index, part, stamp) if reused else None
        if entries is None:
            entries = offline.write_part(job.staging / code, code, part)
            offline.save_part_index(index, part, stamp, entries)
    counts = sum(job.counts.get(code, {}).values(), Counts())
    manifest = assemble.Part(
        site.lang, site.site_name, site.site_description, site.ui, dict(zip(COUNT_FIELDS, counts.as_tuple(),
                                                                            strict=True)),
        assemble.sitemap_entries(site, job.site_url, project.source_language) if job.site_url else [],
        checks, skeletons, list(warnings), job.epoch, entries, part.stat().st_size).manifest()
    return _Done(manifest, part, stamp, reused, timings)


#: ``Counts``' fields, as a part's manifest names them.
COUNT_FIELDS = ("translated", "fuzzy", "untranslated", "translated_words", "fuzzy_words", "untranslated_words")


def language_site(
    project: Project, lang: Language, languages: list[Language], pages: list[Page],
    tables: Mapping[str, Any], counts: Mapping[str, Mapping[str, Counts]], site_url: str,
) -> LanguageSite:
    """One language's pages, with its translation status page, search page and navigation."""
    site = generate_language(lang, languages, project.source_language, pages, tables, counts,
                             project.config, site_url)
    # Measured from the site's newest review (the build's fixed date), never from the clock:
    # the same sources give the same site.
    reviewed_on = dt.datetime.fromtimestamp(int(source_date_epoch(pages)), tz=dt.UTC).date()
    review_after = int(project.settings.get("review_after_days", REVIEW_AFTER_DAYS))
    site.pages[STATUS_PAGE] = status_page(site, counts, languages, project.source_language, site_url,
                                          stale_pages(pages, reviewed_on, review_after)
                                          if project.settings.get("profile") == "explainer" else [],
                                          reviewed_on, review_after)
    site.nav = site_nav(site, [page.path for page in pages if not project.not_in_nav(page.path)],
                        nav_limit(project.settings, project.relative(project.config_file)))
    body = search.search_page(site.ui).split("---\n\n", 1)[1]
    site.pages[search.PAGE] = generated_page(site, languages, project.source_language, site_url,
                                             search.PAGE, site.ui["search.title"], body)
    return site


# Running the steps in parallel -----------------------------------------------------------


@contextlib.contextmanager
def _timed(timings: dict[str, float], stage: str, now: Callable[[], float] = time.perf_counter) -> Iterator[None]:
    """Adds the time spent in the ``with`` block to ``timings[stage]``."""
    started = now()
    try:
        yield
    finally:
        timings[stage] = timings.get(stage, 0.0) + now() - started


@contextlib.contextmanager
def _environment(name: str, value: str) -> Iterator[None]:
    old = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if old is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = old


# MkDocs ----------------------------------------------------------------------------------


def _load_mkdocs(project: Project) -> None:
    """Import MkDocs, the theme and the Markdown extensions once, before the workers fork."""
    # With what loading a config imports (MkDocs' built-in extensions bring Pygments), so that
    # no worker imports it again.
    modules = ["mkdocs.commands.build", "mkdocs.config", "mkdocs.config.defaults", "mkdocs.structure.nav",
               "mkdocs.plugins", "mkdocs.theme", "mkdocs.localization", "material.templates", "jinja2.compiler",
               "jinja2.ext", "babel.support", "markdown.extensions.fenced_code", "email.parser",
               "site_gen.fast_inline"]
    for item in project.config.get("markdown_extensions") or []:
        name = next(iter(item)) if isinstance(item, dict) else str(item)
        modules.append(name if "." in name else f"markdown.extensions.{name}")
    for module in modules:
        with contextlib.suppress(ImportError):  # MkDocs itself reports a missing extension
            importlib.import_module(module)
    # Every build looks the themes up among the installed packages (6 ms); done once here,
    # the workers find them in importlib.metadata's cache.
    from mkdocs.utils import get_themes

    get_themes()


class _Captured(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.lines: list[str] = []
        self.warnings: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.levelname}: {record.getMessage()}")
        if record.levelno == logging.WARNING and record.getMessage() not in self.warnings:
            self.warnings.append(record.getMessage())


def source_names(message: str, project: Project, docs: Path, config_file: Path) -> str:
    """MkDocs' *message* about a language's generated files, naming the project's own: the
    content folder's page (``content/about.md``, not ``build/uk/docs/about.md``) and mkdocs.yml."""
    content = project.relative(project.content_dir)
    for generated, source in ((f"{docs}{os.sep}", f"{content}/"), (f"{project.relative(docs)}/", f"{content}/"),
                              (str(config_file), project.relative(project.config_file))):
        message = message.replace(generated, source)
    # MkDocs names a page by its path in the docs folder: "Doc file 'about.md' contains a link …".
    return re.sub(r"\bDoc file '(?!/)(?!" + re.escape(content) + r"/)([^']+)'",
                  lambda m: f"Doc file '{content}/{m.group(1)}'", message)


def run_mkdocs(config_file: Path, code: str) -> list[str]:
    """``mkdocs build`` of one language, as MkDocs' CLI runs it, with its warnings captured;
    its warnings, on a build that succeeded."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    logger = logging.getLogger("mkdocs")
    captured, propagate = _Captured(), logger.propagate
    logger.addHandler(captured)
    logger.propagate = False
    try:
        config = load_config(config_file=str(config_file))
        config.plugins.on_startup(command="build", dirty=False)
        try:
            mkdocs_build(config)
        finally:
            config.plugins.on_shutdown()
    except (MkDocsException, SystemExit, OSError, yaml.YAMLError) as error:
        output = "\n".join([*captured.lines, str(error)]).strip()
        output = source_names(output, _SHARED["project"], config_file.parent / "docs", config_file) \
            if "project" in _SHARED else output
        raise SiteGenError(str(config_file), None, f"the '{code}' build failed:\n{output}",
                           "fix the first problem MkDocs names above") from None
    except SiteGenError:
        raise
    except Exception as error:  # a hook's or plugin's own failure: named, not a traceback
        import traceback

        frame = traceback.extract_tb(error.__traceback__)[-1]
        raise SiteGenError(frame.filename, frame.lineno, f"the '{code}' build failed in a hook or plugin: "
                           f"{type(error).__name__}: {error}",
                           "fix that hook or plugin, or remove it from mkdocs.yml") from None
    finally:
        logger.removeHandler(captured)
        logger.propagate = propagate
    return captured.warnings


#: The name under which site_gen's main.html extends the user's own (theme.custom_dir's main.html).
USER_MAIN = "site_gen-user/main.html"


class _ThemeLoader(jinja2.FileSystemLoader):
    """Jinja's file loader, listing no file inside a hidden folder.

    MkDocs lists every theme file to copy the static ones, then drops each hidden
    path.  Material keeps 14,000 icons in ``.icons``; not walking them saves a
    tenth of a second per language, and the list MkDocs keeps is the same.
    """

    def __init__(self, searchpath: list[str], user_dir: str | None = None) -> None:
        super().__init__(searchpath)
        self.user_dir = user_dir

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        if template == USER_MAIN and self.user_dir:
            # The user's own main.html, which site_gen's main.html extends (their blocks, then ours).
            return jinja2.FileSystemLoader(self.user_dir).get_source(environment, "main.html")
        if self.user_dir and template != "main.html" and template.startswith("partials/") \
                and os.path.isfile(os.path.join(self.user_dir, template)):
            # A partial the user overrides is theirs, even where site_gen has its own (the footer's).
            return jinja2.FileSystemLoader(self.user_dir).get_source(environment, template)
        return super().get_source(environment, template)

    def list_templates(self) -> list[str]:
        found: set[str] = set()
        for folder in self.searchpath:
            for parent, folders, names in os.walk(folder, followlinks=self.followlinks):
                folders[:] = [name for name in folders if not name.startswith(".")]
                prefix = os.path.relpath(parent, folder).replace(os.path.sep, "/")
                found.update(name if prefix == "." else f"{prefix}/{name}" for name in names)
        return sorted(found)


class _TemplateCache(jinja2.FileSystemBytecodeCache):
    """Jinja's cache of compiled templates in files; a damaged file is compiled afresh."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # any unreadable entry only means "not cached"
            bucket.reset()


def template_cache_dir() -> Path | None:
    """Where compiled theme templates are kept between builds (``None``: nowhere writable).

    Like Python's ``.pyc`` files, they depend only on the installed theme (Jinja checks
    each against its template's source), never on the site, so they live in the user's
    cache folder, shared by every project.  ``SITE_GEN_TEMPLATE_CACHE=off`` turns it off.
    """
    setting = os.environ.get("SITE_GEN_TEMPLATE_CACHE", "")
    if setting.lower() in ("off", "0", "no", "false"):
        return None
    try:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
        folder = Path(setting) if setting else base / "site_gen" / "templates"
        folder.mkdir(parents=True, exist_ok=True)
    except (OSError, RuntimeError, KeyError):  # no home folder, or not writable
        return None
    return folder if os.access(folder, os.W_OK) else None


def theme_environment(theme: Any, user_dir: str | None = None) -> jinja2.Environment:
    """MkDocs' Jinja environment for *theme*, with the speed-ups above; the pages are the same.
    *user_dir*: the user's theme overrides, whose main.html site_gen's main.html extends."""
    env: jinja2.Environment = type(theme).get_env(theme)
    env.loader = _ThemeLoader(theme.dirs, user_dir)
    folder = template_cache_dir()
    if folder is not None:
        env.bytecode_cache = _TemplateCache(str(folder))
    return env


def configured_languages(project: Project) -> list[Language]:
    date_locales = project.settings.get("date_locale") or {}
    return [
        Language(code, native_name(code), str(date_locales.get(code, code)))
        for code in project.languages
    ]


def assets(project: Project) -> dict[str, bytes]:
    """Files of content/ that are not pages (images, …), copied into every language."""
    return {name: (project.content_dir / name).read_bytes() for name in project.asset_paths}


def write_tree(folder: Path, files: Mapping[str, str | bytes]) -> None:
    """Make *folder* hold exactly *files*, touching only what changed (fast rebuilds)."""
    wanted = {folder / name: data.encode() if isinstance(data, str) else data
              for name, data in files.items()}
    for path in sorted(folder.rglob("*")) if folder.exists() else []:
        if path.is_file() and path not in wanted:
            path.unlink()
    for path, data in wanted.items():
        if not path.exists() or path.read_bytes() != data:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)


def config_files(project: Project) -> list[Path]:
    """The user's mkdocs.yml and the files it INHERITs, their hook files and theme overrides."""
    files: list[Path] = []
    config: Path | None = project.config_file
    while config is not None and config not in files and config.is_file():
        files.append(config)
        parent = read_config_value(config, "INHERIT")
        config = (config.parent / parent).resolve() if isinstance(parent, str) else None
    files += project.user_hooks
    folder = project.user_custom_dir
    if folder is not None and folder.is_dir():
        files += sorted(path for path in folder.rglob("*") if path.is_file())
    return files


def inputs_key(project: Project, installed: Iterable[str] | None = None) -> bytes:
    """A digest of what every language's build reads beyond its generated files: the user's
    mkdocs.yml (and the files it INHERITs), their hook files and theme overrides, and the
    installed packages (*installed*: their ``name-version.dist-info`` folders), which hold the
    theme, the plugins and the Markdown extensions."""
    digest = hashlib.sha256()
    for path in config_files(project):
        digest.update(path.as_posix().encode() + b"\0" + (path.read_bytes() if path.is_file() else b"-") + b"\0")
    if installed is None:
        installed = []
        for entry in sys.path:
            with contextlib.suppress(OSError):
                installed += [name for name in os.listdir(entry or ".") if name.endswith((".dist-info", ".egg-info"))]
    digest.update("\n".join(sorted(installed)).encode())
    return digest.hexdigest().encode()


#: Packages whose versions shape the site's bytes (beside the plugins mkdocs.yml names).
OUTPUT_TOOLS = ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "jinja2", "pygments", "babel",
                "feedgen", "pymorphy3", "pymorphy3-dicts-uk", "pymorphy3-dicts-ru", "snowballstemmer", "selectolax")


def fingerprint(project: Project) -> dict[str, Any]:
    """What a part is built from, compared at assembly (``assemble.part_differences``):
    site_gen's version and code, the versions of the tools that shape the pages, the config,
    and a digest of the sources per folder (``content``, ``locales/uk``, …).  Files are named by
    their place in the project, so two checkouts of one commit on two machines agree."""
    from importlib import metadata

    from site_gen import __version__

    def digest(files: Iterable[tuple[str, Path]]) -> str:
        found = hashlib.sha256()
        for name, path in files:
            found.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
        return found.hexdigest()

    def tree(folder: Path) -> list[tuple[str, Path]]:
        # Hidden files (an editor's, the system's) and compiled catalogs are not sources.
        named = ((path.relative_to(folder).as_posix(), path) for path in sorted(folder.rglob("*")) if path.is_file())
        return [(name, path) for name, path in named
                if not any(part.startswith(".") for part in name.split("/")) and not name.endswith(".mo")]

    code = hashlib.sha256(CODE_KEY)
    code.update(digest(tree(THEME_DIR)).encode())
    plugins = project.config.get("plugins") or []
    named = {plugin if isinstance(plugin, str) else next(iter(plugin)) for plugin in plugins}
    tools = set(OUTPUT_TOOLS) | {entry.dist.name.lower() for entry in metadata.entry_points(group="mkdocs.plugins")
                                 if entry.name in named and entry.dist is not None}
    versions = {"python": ".".join(map(str, sys.version_info[:2]))}
    for tool in sorted(tools):
        try:
            versions[tool] = metadata.version(tool)
        except metadata.PackageNotFoundError:
            versions[tool] = "(not installed)"
    content, locales = project.content_dir, project.locales_dir
    sources = {project.relative(content): digest(tree(content))}
    if locales.is_dir():
        for folder in sorted(locales.iterdir()):
            if folder.is_dir() and not folder.name.startswith("."):
                sources[f"{project.relative(locales)}/{folder.name}"] = digest(tree(folder))
        loose = [(name, path) for name, path in tree(locales) if "/" not in name]
        if loose:
            sources[project.relative(locales)] = digest(loose)
    return {"site_gen": __version__, "code": code.hexdigest()[:16], "tools": versions,
            "config": digest((project.relative(path), path) for path in config_files(project)),
            "sources": sources}


def read_config_value(path: Path, key: str) -> Any:
    from site_gen.project import read_config

    with contextlib.suppress(SiteGenError):
        return read_config(path).get(key)
    return None


def input_stamp(docs: Mapping[str, str | bytes], configs: tuple[Path, ...], epoch: str, inputs: bytes = b"") -> str:
    """A digest of everything one language's MkDocs build reads: its docs (as written) and
    config files, the theme, and site_gen's code (the caches' key: any module may shape it);
    *inputs*: ``inputs_key``, the user's config, hooks, overrides and installed packages."""
    digest = hashlib.sha256(epoch.encode() + CODE_KEY + inputs)
    for name, data in sorted(docs.items()):
        digest.update(name.encode() + b"\0" + (data.encode() if isinstance(data, str) else data) + b"\0")
    for path in [*configs, *sorted(p for p in THEME_DIR.rglob("*") if p.is_file())]:
        digest.update(path.as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    digest.update(Path(sys.executable).as_posix().encode())
    return digest.hexdigest()


def language_config(
    project: Project, site: LanguageSite, docs: Path, out: Path, site_url: str
) -> dict[str, Any]:
    code = site.lang.code
    # site_gen's own search replaces Material's (see search.py).
    plugins: list[Any] = [
        plugin for plugin in project.config.get("plugins") or []
        if (plugin if isinstance(plugin, str) else next(iter(plugin))) not in ("search", "material/search")
    ]
    if isinstance(project.config.get("plugins"), dict):  # MkDocs also takes plugins as a mapping
        plugins = [{name: options} for name, options in project.config["plugins"].items()
                   if name not in ("search", "material/search")]
    theme = project.config.get("theme") or {}
    theme = {"name": theme} if isinstance(theme, str) else dict(theme)
    # The user's overrides come after site_gen's (the hook adds them to the theme's folders),
    # their hooks before site_gen's, each path as mkdocs.yml meant it (relative to its folder).
    own = {"config_file": str(project.config_file), "offline_zip": offline.OFFLINE}
    if project.user_custom_dir is not None:
        own["user_custom_dir"] = str(project.user_custom_dir)
    # site_gen's generated search page is in no menu: never a warning (validation.nav.omitted_files).
    not_in_nav = project.config.get("not_in_nav") or ""
    not_in_nav = "\n".join([*(not_in_nav.splitlines() if isinstance(not_in_nav, str) else map(str, not_in_nav)),
                            f"/{search.PAGE}"])
    config: dict[str, Any] = {
        "INHERIT": str(project.config_file),
        "docs_dir": str(docs),
        "site_dir": str(out),
        "site_name": site.site_name,
        "site_description": site.site_description,
        "use_directory_urls": False,
        "theme": {"language": code, "custom_dir": str(THEME_DIR), "font": False,
                  "name": theme.get("name", "material"),
                  # Only the visible part of the navigation goes into each page (with the
                  # groups of site_nav, about limit + N/limit links instead of N).
                  "features": list(dict.fromkeys([*(theme.get("features") or []), "navigation.prune"]))},
        "plugins": plugins,
        "hooks": [*map(str, project.user_hooks), str(HOOKS_FILE)],
        "not_in_nav": not_in_nav,
        "extra": {
            "site_gen": {**project.settings, "lang": code, "ui": site.ui, **own,
                         "source_dir": str(project.content_dir)},
            # Material shows its header switcher only when this is set; our partial
            # replaces the links with per-page ones.
            "alternate": [{"name": lang["name"], "link": lang["href"], "lang": lang["lang"]}
                          for lang in first_alternates(site)],
        },
    }
    if site_url:
        config["site_url"] = f"{site_url}{code}/"
    if site.nav is not None:
        config["nav"] = site.nav
    return config


#: Keys of ``extra`` that ``write_config`` keeps out of the YAML.
BULKY_EXTRA = ("alternate",)


def first_alternates(site: LanguageSite) -> list[dict[str, Any]]:
    for facts in site.facts.values():
        return facts.get("alternates", [])
    return []


def write_config(
    project: Project, site: LanguageSite, docs: Path, out: Path, site_url: str
) -> tuple[Path, Path]:
    """The language's MkDocs config, and beside it the JSON file with its bulky parts."""
    config = language_config(project, site, docs, out, site_url)
    # MkDocs reads its config with PyYAML's pure-Python parser: 11 ms a language at 30 pages,
    # 80 ms at 1,000.  The navigation and the interface strings go into a JSON file that the
    # hook (mkdocs_hooks.on_config) puts into the config instead; the build is the same.
    bulky = docs.parent / "mkdocs-bulky.json"
    extra = config["extra"]
    parts = {"nav": config.pop("nav", None), "ui": extra["site_gen"].pop("ui"),
             "extra": {key: extra.pop(key) for key in BULKY_EXTRA},
             # Each page's facts, which the hook gives the page: its Markdown stays the author's.
             "facts": {**site.facts, **site.generated_facts}}
    extra["site_gen"]["bulky"] = str(bulky)
    # JSON is YAML, and written ten times faster than yaml.safe_dump writes YAML.
    path = docs.parent / "mkdocs.yml"
    for file, data in ((bulky, parts), (path, config)):
        text = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
        if not file.exists() or file.read_text(encoding="utf-8") != text:
            file.write_text(text, encoding="utf-8")
    return path, bulky


def source_date_epoch(pages: Iterable[Any]) -> str:
    """A fixed build date (the newest last_reviewed), so two builds are byte-identical."""
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return os.environ["SOURCE_DATE_EPOCH"]
    dates = [p.meta.get("last_reviewed") for p in pages if isinstance(p.meta.get("last_reviewed"), dt.date)]
    newest = max(dates) if dates else dt.date(2000, 1, 1)
    return str(int(dt.datetime(newest.year, newest.month, newest.day, tzinfo=dt.UTC).timestamp()))


#: Material's bundle fetches sitemap.xml from the host of every <link rel=alternate> to keep
#: the reader on the same page when switching language. Our switcher links are static and
#: per page already, and those fetches would call the public site_url from a local or
#: offline copy (blocked by the CSP), so the lookup is pointed at nothing.
MATERIAL_ALTERNATES = 'M("link[rel=alternate]")'


def quiet_material_alternates(language_dir: Path) -> None:
    bundles = sorted((language_dir / "assets" / "javascripts").glob("bundle.*.min.js"))
    for bundle in bundles:
        text = bundle.read_text(encoding="utf-8")
        if "data-sg-none" in text:
            continue
        if MATERIAL_ALTERNATES not in text:
            raise SiteGenError(bundle.as_posix(), None,
                               "Material's bundle no longer has the alternate-links lookup site_gen disables",
                               "check the Material version pinned in pyproject.toml")
        bundle.write_text(text.replace(MATERIAL_ALTERNATES, 'M("link[rel=alternate][data-sg-none]")'),
                          encoding="utf-8")


#: renameat2's flag that swaps two paths in one step (Linux 3.15+; ext4, XFS, btrfs, tmpfs).
RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def exchange(first: Path, second: Path) -> bool:
    """Swap two folders in one step, so that neither name is ever missing; False where the
    system or the file system cannot (the caller then renames twice)."""
    import ctypes
    import errno

    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):  # not Linux, or a C library without it
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(second))


def swap(staging: Path, final: Path) -> None:
    """Put the new site (*staging*) in place of the old one; ``site/`` is never missing.

    With one exchange where the file system can; otherwise with two renames, and a kill
    between them leaves the old site in ``.site.old``, which ``Project.restore_site`` puts back.
    """
    old = final.with_name(f".{final.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if final.is_dir() and not final.is_symlink() and exchange(staging, final):
        shutil.rmtree(staging, ignore_errors=True)  # which now holds the old site
        return
    if final.exists():
        final.rename(old)
    staging.rename(final)
    shutil.rmtree(old, ignore_errors=True)


# Preview -------------------------------------------------------------------------------


def serve_docs(project: Project, lang: str) -> tuple[LanguageSite, Path]:
    """Write one language's pages where the preview server reads them (apart from build/)."""
    languages = configured_languages(project)
    pages = list(project.pages())
    counts = {project.source_language: {}, **{code: project.language_counts(code) for code in project.targets}}
    if lang != project.source_language:
        report_refusals(list(project.gated_translations(lang).refusals), strict=False)
    tables = {} if lang == project.source_language else project.gated_translations(lang).tables
    site = language_site(project, next(x for x in languages if x.code == lang), languages, pages, tables,
                         counts, normalised_site_url(project.config))
    docs = project.root / "build" / f"serve-{lang}" / "docs"
    write_tree(docs, {**site.pages, **assets(project)})
    return site, docs


def regenerate(config_file: str, lang: str) -> str | None:
    """Write one language's generated pages again (used by ``site-gen serve``); the problem
    that stopped it, as ``file:line`` and a fix, or None."""
    try:
        serve_docs(Project.load(config_file), lang)
    except SiteGenError as error:
        return str(error)
    except OSError as error:
        return str(os_error(error))
    return None


#: The write lock ``site-gen serve`` holds while it rebuilds (and only then: an ``update`` in
#: another terminal runs between two rebuilds, and a rebuild waits for it).
_SERVE_LOCK = contextlib.ExitStack()


def hold_serve_lock(config_file: str) -> None:
    # A second lock in this process would wait for the first for ever: a rebuild that never
    # reached its end (no on_post_build) gives its lock back here.
    _SERVE_LOCK.close()
    _SERVE_LOCK.enter_context(write_lock(Path(config_file).parent, "serve", wait=True))


def release_serve_lock() -> None:
    _SERVE_LOCK.close()


def error_page(problem: str) -> str:
    """What every page of the preview shows while the project has a problem.  It reloads by
    itself once the problem is fixed (the preview server adds its reload script before </body>)."""
    return ('<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            "<title>site-gen: the preview could not be rebuilt</title>\n</head>\n<body>\n"
            "<h1>The preview could not be rebuilt</h1>\n"
            f"<pre>{html.escape(problem)}</pre>\n"
            "<p>Fix the file and save it: this page reloads by itself.</p>\n</body>\n</html>\n")


def show_error(site_dir: Path, problem: str | None) -> None:
    """Every HTML file of the preview shows *problem*; with None, they go instead, so that
    MkDocs' next (dirty) build renders them all again from the fixed pages."""
    for path in site_dir.rglob("*.html"):
        if problem is None:
            path.unlink(missing_ok=True)
        else:
            path.write_text(error_page(problem), encoding="utf-8")


def check_address(address: str) -> None:
    """Refuse an address another program listens on before the preview server starts: its
    own failure would be a traceback."""
    import socket

    host, _, port = address.rpartition(":")
    if not port.isdigit():
        raise SiteGenError("command line", None, f"{address!r} is not an address",
                           "write it as HOST:PORT, e.g. -a 127.0.0.1:8001")
    try:
        infos = socket.getaddrinfo(host or "127.0.0.1", int(port), type=socket.SOCK_STREAM)
    except (socket.gaierror, OverflowError, UnicodeError) as error:
        raise SiteGenError("command line", None, f"cannot serve on {address}: {error}",
                           "write it as HOST:PORT, e.g. -a 127.0.0.1:8001") from None
    family, kind, _, _, where = infos[0]
    with socket.socket(family, kind) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server will
        try:
            probe.bind(where)
        except OSError as error:
            raise SiteGenError("command line", None, f"cannot serve on {address}: {error.strerror}",
                               f"stop the program using port {port}, or pick another: "
                               f"site-gen serve -a {host or '127.0.0.1'}:{int(port) + 1}") from None


def serve(project: Project, lang: str, address: str) -> int:
    """Preview one language with live reload on page and catalog changes."""
    if lang not in project.languages:
        raise SiteGenError(project.relative(project.config_file), None, f"{lang!r} is not configured",
                           f"add it to extra.site_gen.languages or use one of {', '.join(project.languages)}")
    check_address(address)
    with project.write_lock("serve", wait=True):
        site, docs = serve_docs(project, lang)
        config = language_config(project, site, docs, docs.parent / "site", "")
        config["extra"]["site_gen"]["serve"] = True
        config["strict"] = False  # a preview's dirty rebuilds always warn; `site-gen build` stays strict
        config["watch"] = [str(project.content_dir), str(project.locales_dir)]
        path = docs.parent / "mkdocs.yml"
        path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    # --dirty: MkDocs renders again only the pages whose generated Markdown changed.
    args = [sys.executable, "-m", "mkdocs", "serve", "--dirty", "--config-file", str(path), "--dev-addr", address]
    if os.name == "posix":
        # The server replaces this process, so stopping it (Ctrl+C, a signal) stops the server.
        os.execve(sys.executable, args, env)
    return subprocess.call(args, env=env)
