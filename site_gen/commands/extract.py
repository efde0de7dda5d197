"""``site-gen extract``: the translation templates (.pot) from the English pages."""

from __future__ import annotations

from site_gen.commands import counted, write_planned
from site_gen.project import Project


def run(project: Project) -> int:
    written = write_planned(project, project.plan(), "wrote")
    snippets = f", {counted(len(project.snippet_files), 'snippet template')}" if project.snippet_files else ""
    print(f"{counted(len(project.page_paths), 'page template')}{snippets}, {len(written)} changed")
    return 0
