"""``site-gen init LANG``: start the catalogs of a new language."""

from __future__ import annotations

from site_gen import catalog as catalogs
from site_gen.commands import write_planned
from site_gen.errors import SiteGenError
from site_gen.project import Project


def run(project: Project, lang: str) -> int:
    catalogs.parse_locale(lang, "command line")
    if lang == project.source_language:
        raise SiteGenError("command line", None, f"{lang!r} is the source language",
                           "initialise a language you translate into")
    write_planned(project, project.plan((lang,), create=True), "wrote")
    project.remember_merges()
    if lang not in project.languages:
        print(f"Now add {lang!r} to extra.site_gen.languages in {project.relative(project.config_file)}.")
    return 0
