"""``site-gen assemble DIR...``: join the parts ``site-gen build --lang L --part DIR`` wrote into the site.

The same joining as a whole build's (``build.join``), from folders built on other machines;
each part is first compared with what this checkout would build (docs/sharding.md).
"""

from __future__ import annotations

import functools
import shutil
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from site_gen import assemble
from site_gen import build as stage
from site_gen.commands import print_timings, put_back_site
from site_gen.errors import SiteGenError, SiteGenErrors
from site_gen.generate import normalised_site_url
from site_gen.project import Project


def run(project: Project, parts: list[str], site_dir: str | None = None, timings: bool = False) -> int:
    if site_dir is None:
        put_back_site(project)
    started = time.perf_counter()
    result = assemble_parts(project, [Path(folder).resolve() for folder in parts],
                            Path(site_dir).resolve() if site_dir else None)
    print(f"assembled {', '.join(result.built)} into {project.relative(result.site)}/ "
          f"in {time.perf_counter() - started:.1f} s")
    if timings:
        print_timings(result.timings)
    return 0


def assemble_parts(project: Project, folders: Iterable[Path], site_dir: Path | None = None) -> stage.BuildResult:
    """Join parts built by ``build_part`` (on other machines) into the site: byte for byte what
    ``build`` makes.  Every configured language needs its part, each built from this checkout's
    sources and config by this site_gen; otherwise nothing is written."""
    timings: dict[str, float] = {}
    clock = functools.partial(stage.timed, timings)
    expected = stage.fingerprint(project)
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
    staging = stage.staging_folder(final)

    def copied() -> Iterator[assemble.Part]:
        for code in project.languages:
            folder, part = found[code]
            shutil.copytree(folder / code, staging / code)
            yield part

    stage.publish(staging, final, project, normalised_site_url(project.config), copied(), clock)
    return stage.BuildResult(final, tuple(project.languages), (), timings)
