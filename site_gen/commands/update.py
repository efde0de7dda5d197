"""``site-gen update``: merge the templates into every language's catalogs."""

from __future__ import annotations

import sys

from site_gen.commands import counted, write_planned
from site_gen.project import Project


def run(project: Project, check: bool = False) -> int:
    """With *check*, nothing is written: exit 1 if a catalog is out of date."""
    planned = project.plan(project.targets, create=True)
    if check:
        stale = [path for path, data in planned.items() if data is not None]
        for path in stale:
            print(f"out of date: {project.relative(path)}")
        if stale:
            print("run 'site-gen update' and commit the catalogs", file=sys.stderr)
            return 1
        print(f"{counted(len(planned), 'catalog')} up to date")
        return 0
    written = write_planned(project, planned, "updated")
    project.remember_merges()
    for path in project.obsolete_catalog_files():
        print(f"note: {project.relative(path)} has no page any more; it is kept, delete it by hand")
    print(f"{counted(len(planned), 'catalog')} checked, {len(written)} changed")
    return 0
