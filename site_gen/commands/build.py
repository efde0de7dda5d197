"""``site-gen build``: every language into site/, or one language's part into a folder.

The flow, top to bottom: the old site put back if a kill left it aside, the nav checked,
workers started that segment the pages and read the catalogs while MkDocs loads, every
language counted and judged by the gate (``build.plan``), each language built in its own
worker (``build.build_language``), the parts joined (``build.join``), the new site swapped in.
The stages themselves are in ``site_gen/build.py``.
"""

from __future__ import annotations

import functools
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

from site_gen import assemble
from site_gen import build as stage
from site_gen.commands import print_timings, put_back_site
from site_gen.errors import SiteGenError
from site_gen.parallel import Background
from site_gen.project import Project
from site_gen.render import DEFAULT_ENGINE, engine_name


def run(project: Project, jobs: int | None = None, strict: bool = False, lang: str | None = None,
        part: str | None = None, timings: bool = False) -> int:
    """The whole site, or with *lang* and *part* one language's part (docs/sharding.md)."""
    if (lang is None) != (part is None):
        raise SiteGenError("command line", None, "--lang and --part go together: one language's part into a folder",
                           "site-gen build --lang uk --part parts/uk (or neither, for the whole site)")
    if part is None:
        put_back_site(project)
    project.check_nav()  # once, at its line in mkdocs.yml, rather than once per language by MkDocs
    project.prepare(jobs)  # workers segment and read while MkDocs is imported
    started = time.perf_counter()
    engine = engine_name(project.config)
    engine = f" with {engine}" if engine != DEFAULT_ENGINE else ""
    if lang is not None and part is not None:
        result = build_part(project, lang, Path(part).resolve(), jobs=jobs, strict=strict)
        print(f"built the {lang} part into {part}{engine} in {time.perf_counter() - started:.1f} s")
    else:
        result = build(project, jobs=jobs, strict=strict)
        reused = f" (unchanged, reused: {', '.join(result.reused)})" if result.reused else ""
        print(f"built {', '.join(project.languages)} into {project.relative(result.site)}/{engine} "
              f"in {time.perf_counter() - started:.1f} s{reused}")
    if timings:
        print_timings(result.timings)
    return 0


def build(project: Project, jobs: int | None = None, strict: bool = False) -> stage.BuildResult:
    """Build every language into ``site/``; on any error the old ``site/`` stays.

    Each language's worker makes its part, and the parts are joined as they come in: the
    same parts, and the same joining, as ``build_part`` on many machines and ``assemble_parts``.
    """
    timings: dict[str, float] = {}
    clock = functools.partial(stage.timed, timings)
    plan = stage.plan(project, jobs, strict, clock)
    final = project.root / str(project.config.get("site_dir", "site"))
    staging = stage.staging_folder(final)
    done: list[stage.Done] = []

    def built() -> Iterator[assemble.Part]:
        jobs_list = [stage.Job(lang, plan.languages, plan.counts, plan.site_url, staging, final, plan.epoch)
                     for lang in plan.languages]
        for result in Background(stage.build_language, jobs_list, plan.workers, share=plan.share).results():
            done.append(result)
            yield stage.read_part(result)

    parts = stage.publish(staging, final, project, plan.site_url, built(), clock)
    for result, part in zip(done, parts, strict=True):
        # Only now, with the new site in place, may a later build reuse this one.
        (project.root / "build" / part.lang.code / "stamp").write_text(result.stamp)
    return stage.result_of(final, done, parts, timings)


def build_part(project: Project, lang: str, folder: Path, jobs: int | None = None,
               strict: bool = False) -> stage.BuildResult:
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
    clock = functools.partial(stage.timed, timings)
    expected = stage.fingerprint(project)  # before the build reads the sources: what it is built from
    plan = stage.plan(project, jobs, strict, clock, reported=(lang,))
    # The language's last output in site/ no longer matches what build/LANG/ will hold.
    (project.root / "build" / lang / "stamp").unlink(missing_ok=True)
    staging = stage.staging_folder(folder)
    try:
        with clock("languages"):
            job = stage.Job(next(x for x in plan.languages if x.code == lang), plan.languages, plan.counts,
                            plan.site_url, staging, folder, plan.epoch, reuse=False)
            [result] = Background(stage.build_language, [job], 1, share=plan.share).results()
        with clock("offline copy"):
            shutil.copyfile(result.offline_file, staging / assemble.OFFLINE_PART)
            part = stage.read_part(result)
            part.fingerprint = expected
            (staging / assemble.MANIFEST).write_bytes(part.manifest())
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    stage.print_warnings([part])
    stage.swap(staging, folder)
    return stage.result_of(folder, [result], [part], timings)
