"""One module per ``site-gen`` command, each with one function that reads top to bottom.

The CLI (``site_gen/cli.py``) parses the arguments and calls ``run`` of the command's
module here; the stages it runs (``segment``, ``catalog``, ``build``, …) stay where they are.
What several commands print or write the same way lives in this module.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from site_gen.errors import SiteGenError, SiteGenErrors

if TYPE_CHECKING:
    from site_gen.project import Project


def counted(number: int, noun: str, nouns: str | None = None) -> str:
    """"1 page template", "2 page templates": a count with its noun in the right number."""
    return f"{number} {noun if number == 1 else nouns or noun + 's'}"


def write_planned(project: Project, planned: dict[Path, bytes | None], verb: str) -> list[Path]:
    """Write the planned files, each only if it is still as the plan read it."""
    from site_gen import catalog as catalogs

    written, kept = [], []
    seen = getattr(project, "read_digests", {})
    for path, data in planned.items():
        if data is None:
            continue
        try:
            catalogs.write_atomic(path, data, scratch=project.scratch_dir, expected=seen.get(path, catalogs.ANY))
        except catalogs.ChangedMeanwhile:
            kept.append(SiteGenError(project.relative(path), None,
                                     "was saved by someone else while site-gen was working on it: "
                                     "that version is kept, and site-gen wrote nothing over it",
                                     "run the command again once the file is saved"))
            continue
        print(f"{verb} {project.relative(path)}")
        written.append(path)
    if kept:
        raise SiteGenErrors(kept)
    return written


def print_timings(timings: dict[str, float]) -> None:
    width = max(len(stage) for stage in timings)
    for stage, seconds in timings.items():
        print(f"  {stage:<{width}}  {seconds:6.2f} s")


def put_back_site(project: Project) -> None:
    """The old site back in place if an interrupted build left it aside, and say so."""
    if project.restore_site():
        print(f"note: put back {project.relative(project.site_dir)}/, which an interrupted build had left aside",
              file=sys.stderr)
