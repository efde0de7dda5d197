"""``site-gen check``: every catalog and page checked; exit 1 on an error."""

from __future__ import annotations

import sys

from site_gen import audit
from site_gen.commands import counted
from site_gen.project import Project


def run(project: Project, strict: bool = False) -> int:
    """With *strict*, warnings fail too."""
    reports = audit.check(project)
    for report in reports:
        print(report, file=sys.stderr if report.severity == "error" else sys.stdout)
    errors = sum(r.severity == "error" for r in reports)
    warnings = len(reports) - errors
    print(f"{counted(errors, 'error')}, {counted(warnings, 'warning')}")
    return 1 if errors or (strict and warnings) else 0
