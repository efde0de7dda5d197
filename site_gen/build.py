"""Stage 5: one ordinary MkDocs build per language, in parallel worker processes.

This module orchestrates; it knows MkDocs only through the renderer seam
(``site_gen.render``): the renderer writes each language's config, builds it as the
engine's CLI would, and says where pages go (``site_gen/render/mkdocs/``).

The build runs in three steps:

1. workers segment the pages (cached by their text) and read each target language's
   catalogs while the main process loads MkDocs;
2. each target language's messages are counted, one process per language, since the
   publishing gate and every page's language links need all the counts;
3. each language is generated, built by MkDocs and finished (privacy check, search
   index, CSP) in its own process, which also compresses its files for the offline
   ZIP; the main process joins those parts as the languages finish.  Then the root
   pages and the sitemap are added.

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
import json
import multiprocessing
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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
from site_gen.render import renderer
from site_gen.segment import Page
from site_gen.translate import Counts


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


@dataclass
class _Done:
    """What one language's worker hands back."""

    site: LanguageSite
    stamp: str
    reused: bool
    checks: assemble.LanguageChecks
    #: page → digest of the skeleton of its rendered Markdown (``gate.page_digest``).
    skeletons: dict[str, str]
    timings: dict[str, float]
    #: Its files, compressed for the offline copy, and their entries.
    part: tuple[Path, list[offline.Entry]]
    #: MkDocs' warnings on its build (which succeeded), naming the source files.
    warnings: tuple[str, ...] = ()


#: The project (its pages segmented) and the content assets, set before the workers fork.
_SHARED: dict[str, Any] = {}


def build(project: Project, jobs: int | None = None, strict: bool = False) -> BuildResult:
    """Build every language into ``site/``; on any error the old ``site/`` stays."""
    timings: dict[str, float] = {}
    clock = functools.partial(_timed, timings)
    languages = configured_languages(project)
    site_url = normalised_site_url(project.config)
    nav_limit(project.settings, project.relative(project.config_file))  # a bad value fails first
    workers = jobs or min(len(languages), (os.cpu_count() or 1) + 1)
    _SHARED.update(project=project)
    # Workers segment the pages and read the catalogs (into the cache) while this process
    # loads MkDocs; `site-gen build` starts them before it even imports this module.
    project.prepare(jobs)
    with clock("load MkDocs"):
        renderer(project.config).load(project)
    with clock("segment pages, read catalogs"):
        project.wait_prepared()
    with clock("count messages"):
        counting = Background(_count_language, project.targets, workers)
        # The parent only waits here: it loads the search analyzers the rebuilt languages' workers
        # would each load for themselves (it forks them next).
        search.preload(lang for lang in project.targets if likely_rebuilt(project, lang))
        counted = list(counting.results())
    counts = {project.source_language: {}, **dict(zip(project.targets, (c for c, _ in counted), strict=True))}
    report_refusals([refusal for _, refusals in counted for refusal in refusals], strict)
    languages, warnings = published_languages(
        languages, counts, project.settings.get("publish_threshold", 0), project.source_language)
    for warning in warnings:
        if strict:
            raise SiteGenError(project.relative(project.config_file), None, warning,
                               "translate more, or lower extra.site_gen.publish_threshold")
        print(f"warning: {warning}", file=sys.stderr)
    final = project.root / str(project.config.get("site_dir", "site"))
    staging = final.with_name(f".{final.name}.new")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    # Only the project holds the pages (no local here), so a worker can let them go.
    epoch = source_date_epoch(project.pages())
    # Read once, shared by the language workers.
    _SHARED.update(assets=assets(project), inputs=inputs_key(project))
    done: list[_Done] = []
    archive: offline.OfflineCopy | None = None
    try:
        with clock("languages"), _environment("SOURCE_DATE_EPOCH", epoch):
            jobs_list = [_Job(lang, languages, counts, site_url, staging, final, epoch) for lang in languages]
            # Each language's part goes into the offline copy as soon as it is built, in a
            # fixed order, while the other languages are still being built.
            for result in Background(_build_language, jobs_list, workers).results():
                done.append(result)
                with clock("offline copy"):
                    archive = archive or offline.OfflineCopy(staging)
                    archive.add_part(*result.part)
            archive = archive or offline.OfflineCopy(staging)
        with clock("assemble"):
            problems = changed_pages({r.site.lang.code: r.skeletons for r in done}, project)
            problems += assemble.unknown_scripts({r.site.lang.code: r.checks for r in done}, project.source_language)
            if problems:
                raise SiteGenErrors(problems)
            sites = {result.site.lang.code: result.site for result in done}
            assemble.assemble(staging, project, sites, site_url, [r.checks for r in done], archive)
    except BaseException:
        if archive is not None:
            archive.discard()
        shutil.rmtree(staging, ignore_errors=True)
        raise
    for result in done:  # once per language, the source files named (a reused build's again)
        for warning in result.warnings:
            print(f"warning: MkDocs ({result.site.lang.code}): {warning}", file=sys.stderr)
    with clock("swap"):
        swap(staging, final)
        for result in done:
            # Only now, with the new site in place, may a later build reuse this one.
            (project.root / "build" / result.site.lang.code / "stamp").write_text(result.stamp)
    for result in done:
        for stage, seconds in result.timings.items():
            timings[f"{result.site.lang.code}: {stage}"] = seconds
    return BuildResult(final, tuple(r.site.lang.code for r in done if not r.reused),
                       tuple(r.site.lang.code for r in done if r.reused), timings)


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
        translated_snippets = snippet_tree(project, site)
        write_tree(docs.parent / SNIPPETS, translated_snippets)
        site.pages.clear()
        del tables
        engine = renderer(project.config)
        config_files = engine.write_config(project, site, docs, job.staging / code, job.site_url)
        # Another engine makes another build: its name is part of what the build reads.
        stamp = input_stamp({**files, **{f"../{SNIPPETS}/{name}": text for name, text in translated_snippets.items()}},
                            (*config_files, *engine.theme_files()), job.epoch,
                            _SHARED["inputs"] + engine.engine.encode())
        del files, pages
        if multiprocessing.parent_process() is not None:
            # A worker needs the segmented pages no more; MkDocs reuses their memory.
            project.__dict__.pop("_pages", None)
    previous = work / "stamp"
    checks_file = work / "checks.json"
    reused = previous.exists() and previous.read_text() == stamp and (job.final / code).is_dir() \
        and checks_file.exists()
    if reused:
        # Nothing this language's build reads has changed: reuse its last output.
        with clock("reuse"):
            shutil.copytree(job.final / code, job.staging / code)
            saved = json.loads(checks_file.read_text(encoding="utf-8"))
            checks = assemble.LanguageChecks([SiteGenError(*problem) for problem in saved.get("problems", [])],
                                             set(saved["scripts"]), set(saved["styles"]), saved["pages"],
                                             set(saved.get("hosts", [])))
            skeletons = saved["skeletons"]
            warnings = saved.get("warnings", [])
    else:
        with clock("mkdocs"):
            gc.collect()  # the generated pages (cycles) go before MkDocs holds every page in memory
            built = engine.build_language(config_files, code, project)
            warnings, skeletons = built.warnings, built.skeletons
            gc.collect()  # and MkDocs' pages, nav and files before the finishing pass reads every page
        with clock("finish"):
            checks = assemble.finish_language(job.staging / code, job.staging, code,
                                              assemble.Privacy.from_settings(project.settings))
            checks_file.write_text(json.dumps({"scripts": sorted(checks.scripts), "styles": sorted(checks.styles),
                                               "hosts": sorted(checks.hosts),
                                               "problems": [[e.path, e.line, e.message, e.fix]
                                                            for e in checks.problems],
                                               "pages": checks.page_scripts, "skeletons": skeletons,
                                               "warnings": warnings}),
                                   encoding="utf-8")
    with clock("offline part"):
        # Compressed here rather than in the main process, while the other languages build;
        # a reused language's part is reused too.
        part, index = work / "offline.part", work / "offline.json"
        entries = offline.saved_part(index, part, stamp) if reused else None
        if entries is None:
            entries = offline.write_part(job.staging / code, code, part)
            offline.save_part_index(index, part, stamp, entries)
    return _Done(site, stamp, reused, checks, skeletons, timings, (part, entries), tuple(warnings))


def language_site(
    project: Project, lang: Language, languages: list[Language], pages: list[Page],
    tables: Mapping[str, Any], counts: Mapping[str, Mapping[str, Counts]], site_url: str,
) -> LanguageSite:
    """One language's pages, with its translation status page, search page and navigation."""
    site = generate_language(lang, languages, project.source_language, pages, tables, counts,
                             project.config, site_url, project.snippet_pages(), project.includes)
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


def configured_languages(project: Project) -> list[Language]:
    date_locales = project.settings.get("date_locale") or {}
    return [
        Language(code, native_name(code), str(date_locales.get(code, code)))
        for code in project.languages
    ]


def assets(project: Project) -> dict[str, bytes]:
    """Files of content/ that are not pages (images, …), copied into every language."""
    return {name: (project.content_dir / name).read_bytes() for name in project.asset_paths}


#: The folder beside a language's generated pages that holds its translated snippets, one
#: subfolder per ``base_path`` of pymdownx.snippets (``snippets/0/note.md``).
SNIPPETS = "snippets"


def snippet_tree(project: Project, site: LanguageSite) -> dict[str, str]:
    """The language's translation of every included Markdown file, at the place below its base
    path where pymdownx looks for it (``0/note.md``); nothing for the source language, whose
    build reads the author's files."""
    if site.lang.code == project.source_language:
        return {}
    tree = {}
    for name, places in project.snippet_places.items():
        text = site.snippets.get(name, site.pages.get(name))
        if text is not None:
            tree.update({f"{index}/{relative}": text for index, relative in places})
    return tree


def snippet_base_path(project: Project, docs: Path, lang: str) -> list[str]:
    """``base_path`` of pymdownx.snippets in *lang*'s build: before each of the author's folders,
    the folder of its translated Markdown, so an include finds the translation first and any
    other file (code, an untranslated name) where the author put it.  The source language
    reads the author's folders only, as a plain ``mkdocs build`` in the project folder does."""
    config = project.snippet_settings
    assert config is not None
    paths = []
    for index, base in enumerate(config.bases):
        if lang != project.source_language:
            paths.append(str(docs.parent / SNIPPETS / str(index)))
        paths.append(str(base))
    return paths


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


def likely_rebuilt(project: Project, lang: str) -> bool:
    """Whether *lang*'s last build is older than a page, a catalog of *lang* or the config: a
    guess (the stamp decides), for work worth starting early only when the build will run."""
    try:
        built = (project.root / "build" / lang / "stamp").stat().st_mtime
        inputs = [project.config_file, *(project.content_dir / page for page in project.page_paths),
                  *(project.catalog_path(lang, page) for page in project.page_paths)]
        return any(path.stat().st_mtime >= built for path in inputs if path.exists())
    except OSError:
        return True


def inputs_key(project: Project, installed: Iterable[str] | None = None) -> bytes:
    """A digest of what every language's build reads beyond its generated files: the user's
    mkdocs.yml (and the files it INHERITs), their hook files and theme overrides, and the
    installed packages (*installed*: their ``name-version.dist-info`` folders), which hold the
    theme, the plugins and the Markdown extensions."""
    digest = hashlib.sha256()
    files: list[Path] = []
    config: Path | None = project.config_file
    while config is not None and config not in files and config.is_file():
        files.append(config)
        parent = read_config_value(config, "INHERIT")
        config = (config.parent / parent).resolve() if isinstance(parent, str) else None
    files += project.user_hooks
    # What the pages include is read by pymdownx from the author's folders, outside the generated pages.
    files += project.included_files
    folder = project.user_custom_dir
    if folder is not None and folder.is_dir():
        files += sorted(path for path in folder.rglob("*") if path.is_file())
    for path in files:
        digest.update(path.as_posix().encode() + b"\0" + (path.read_bytes() if path.is_file() else b"-") + b"\0")
    if installed is None:
        installed = []
        for entry in sys.path:
            with contextlib.suppress(OSError):
                installed += [name for name in os.listdir(entry or ".") if name.endswith((".dist-info", ".egg-info"))]
    digest.update("\n".join(sorted(installed)).encode())
    return digest.hexdigest().encode()


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
    for path in configs:
        digest.update(path.as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    digest.update(Path(sys.executable).as_posix().encode())
    return digest.hexdigest()


def source_date_epoch(pages: Iterable[Any]) -> str:
    """A fixed build date (the newest last_reviewed), so two builds are byte-identical."""
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return os.environ["SOURCE_DATE_EPOCH"]
    dates = [p.meta.get("last_reviewed") for p in pages if isinstance(p.meta.get("last_reviewed"), dt.date)]
    newest = max(dates) if dates else dt.date(2000, 1, 1)
    return str(int(dt.datetime(newest.year, newest.month, newest.day, tzinfo=dt.UTC).timestamp()))


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
    write_tree(docs.parent / SNIPPETS, snippet_tree(project, site))
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
    return renderer(project.config).serve(project, site, docs, address)
