"""Stage 5: one ordinary MkDocs build per language, in parallel worker processes.

These are the build's stages; ``site_gen/commands/build.py`` runs them in order (and
``site_gen/commands/assemble.py`` joins parts built elsewhere).  This module knows MkDocs only through the renderer seam
(``site_gen.render``): the renderer writes each language's config, builds it as the
engine's CLI would, and says where pages go (``site_gen/render/mkdocs/``).

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

``commands.build.build_part`` stops after step 3 for one language and writes its part into a folder;
``commands.assemble.assemble_parts`` joins such folders, built on other machines, with the same ``join``
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

from site_gen import assemble, gate, history, offline, search
from site_gen.errors import SiteGenError, SiteGenErrors
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
from site_gen.parallel import Background, shared
from site_gen.project import Gated, Project
from site_gen.render import renderer
from site_gen.segment import Page
from site_gen.store import CODE_KEY
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
class Job:
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
class Done:
    """What one language's worker hands back."""

    #: Its part's manifest (``assemble.Part``), read by the main process as assembly reads any part.
    manifest: bytes
    #: Its files, compressed for the offline copy.
    offline_file: Path
    stamp: str
    reused: bool
    timings: dict[str, float]


@dataclass(frozen=True)
class Plan:
    """What every language's build needs to know of all languages, worked out first."""

    languages: list[Language]
    counts: dict[str, dict[str, Counts]]
    site_url: str
    epoch: str
    workers: int
    #: What every language's worker reads besides its ``Job`` (``parallel.shared``): the
    #: project (its pages segmented), the content assets and ``inputs_key``, read once here.
    share: dict[str, Any]


def plan(project: Project, jobs: int | None, strict: bool, clock: Callable[[str], Any],
          reported: Iterable[str] | None = None) -> Plan:
    """Every language's counts (the publishing gate and every page's language links need all of
    them), the refused translations of *reported* (default: every language) on stderr."""
    languages = configured_languages(project)
    site_url = normalised_site_url(project.config)
    nav_limit(project.settings, project.relative(project.config_file))  # a bad value fails first
    workers = jobs or min(len(languages), (os.cpu_count() or 1) + 1)
    # Workers segment the pages and read the catalogs (into the cache) while this process
    # loads MkDocs; `site-gen build` starts them before it even imports this module.
    project.prepare(jobs)
    with clock("load MkDocs"):
        renderer(project.config).load(project)
        search.preload(project.languages)
    with clock("segment pages, read catalogs"):
        project.wait_prepared()
        if site_url and any(page.meta.get("changes") for page in project.pages()):
            history.preload()  # every language writes a feed of the pages' changes
    with clock("count messages"):
        counted = list(Background(count_language, project.targets, workers, share={"project": project}).results())
    counts: dict[str, dict[str, Counts]] = {project.source_language: {}}
    for lang, (language_counts, gated) in zip(project.targets, counted, strict=True):
        counts[lang] = language_counts
        project.keep_gated(lang, gated)
    shown = set(project.languages if reported is None else reported)
    report_refusals([refusal for lang in project.targets if lang in shown
                     for refusal in project.gated_translations(lang).refusals], strict)
    languages, warnings = published_languages(
        languages, counts, project.settings.get("publish_threshold", 0), project.source_language)
    for warning in warnings:
        if strict:
            raise SiteGenError(project.relative(project.config_file), None, warning,
                               "translate more, or lower extra.site_gen.publish_threshold")
        print(f"warning: {warning}", file=sys.stderr)
    # Only the project holds the pages (no local here), so a worker can let them go.
    epoch = source_date_epoch(project.pages())
    share = {"project": project, "assets": assets(project), "inputs": inputs_key(project)}
    return Plan(languages, counts, site_url, epoch, workers, share)


def staging_folder(final: Path) -> Path:
    """An empty folder beside *final*, for its next version."""
    staging = final.with_name(f".{final.name}.new")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    return staging


def read_part(result: Done) -> assemble.Part:
    return assemble.Part.from_manifest(result.manifest, result.offline_file, "a language's worker")


def result_of(site: Path, done: list[Done], parts: list[assemble.Part], timings: dict[str, float]) -> BuildResult:
    for result, part in zip(done, parts, strict=True):
        for stage, seconds in result.timings.items():
            timings[f"{part.lang.code}: {stage}"] = seconds
    return BuildResult(site, tuple(p.lang.code for r, p in zip(done, parts, strict=True) if not r.reused),
                       tuple(p.lang.code for r, p in zip(done, parts, strict=True) if r.reused), timings)


def publish(staging: Path, final: Path, project: Project, site_url: str, parts: Iterable[assemble.Part],
            clock: Callable[[str], Any]) -> list[assemble.Part]:
    """Join *parts* into *staging*, then put it in place of *final*: on any error the staging
    folder goes and the old site stays."""
    try:
        joined = join(staging, project, site_url, parts, clock)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    print_warnings(joined)
    with clock("swap"):
        swap(staging, final)
    return joined


def print_warnings(parts: Iterable[assemble.Part]) -> None:
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
        with clock("assemble"), environment("SOURCE_DATE_EPOCH", joined[0].epoch if joined else "0"):
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


# Work done in the language workers -------------------------------------------------------


def count_language(lang: str) -> tuple[dict[str, Counts], Gated]:
    """A language's counts, and its tables as the gate let them through, with the refusals
    (the build's one judging of them, handed back so no language's build reads them again)."""
    project: Project = shared("project")
    return project.language_counts(lang), project.gated_translations(lang)


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


def build_language(job: Job) -> Done:
    """One language built into ``job.staging``, in a worker, on the build's date: MkDocs and the
    offline part read it from ``SOURCE_DATE_EPOCH``."""
    with environment("SOURCE_DATE_EPOCH", job.epoch):
        return _build_language(job)


def _build_language(job: Job) -> Done:
    project: Project = shared("project")
    pages = list(project.pages())  # segmented before the fork
    code = job.lang.code
    timings: dict[str, float] = {}
    clock = functools.partial(timed, timings, now=time.process_time)
    work = project.root / "build" / code
    with clock("generate"):
        tables = {} if code == project.source_language else project.gated_translations(code).tables
        site = language_site(project, job.lang, job.languages, pages, tables, job.counts, job.site_url)
        docs = work / "docs"
        files = {**site.pages, **site.files, **shared("assets")}
        write_tree(docs, files)
        translated_snippets = snippet_tree(project, site)
        write_tree(docs.parent / SNIPPETS, translated_snippets)
        site.pages.clear()
        del tables
        engine = renderer(project.config)
        written = engine.write_config(project, site, docs, job.staging / code, job.site_url)
        # Another engine makes another build: its name is part of what the build reads.
        stamp = input_stamp({**files, **{f"../{SNIPPETS}/{name}": text for name, text in translated_snippets.items()}},
                            (*written, *engine.theme_files()), job.epoch,
                            shared("inputs") + engine.engine.encode())
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
            built = engine.build_language(written, code, project)
            warnings, skeletons = built.warnings, built.skeletons
            gc.collect()  # and MkDocs' pages, nav and files before the finishing pass reads every page
        with clock("finish"):
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
    return Done(manifest, part, stamp, reused, timings)


#: ``Counts``' fields, as a part's manifest names them.
COUNT_FIELDS = ("translated", "fuzzy", "untranslated", "translated_words", "fuzzy_words", "untranslated_words")


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
def timed(timings: dict[str, float], stage: str, now: Callable[[], float] = time.perf_counter) -> Iterator[None]:
    """Adds the time spent in the ``with`` block to ``timings[stage]``."""
    started = now()
    try:
        yield
    finally:
        timings[stage] = timings.get(stage, 0.0) + now() - started


@contextlib.contextmanager
def environment(name: str, value: str) -> Iterator[None]:
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


def config_files(project: Project) -> list[Path]:
    """The user's mkdocs.yml and the files it INHERITs, their hook files and theme overrides."""
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
    # The renderer's own theme files, named below the package (the same on every machine).
    package = Path(__file__).resolve().parent
    code.update(digest((path.relative_to(package).as_posix(), path)
                       for path in renderer(project.config).theme_files()).encode())
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
    from site_gen.settings import read_config

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
