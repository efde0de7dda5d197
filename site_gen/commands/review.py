"""``site-gen review BASE..HEAD``: every translation changed between two revisions, beside its English."""

from __future__ import annotations

from site_gen import review
from site_gen.project import Project


def run(project: Project, revisions: str, markdown: bool = False) -> int:
    changes = review.collect(project.root, project.locales_dir, revisions)
    render = review.as_markdown if markdown else review.as_text
    print(render(changes, revisions), end="")
    return 0  # a reading aid, not a gate: `site-gen check` is the gate
