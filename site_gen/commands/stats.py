"""``site-gen stats``: translation progress per language and page."""

from __future__ import annotations

import json

from site_gen import audit
from site_gen.project import Project


def run(project: Project, as_json: bool = False) -> int:
    figures = audit.stats(project)
    print(json.dumps(figures, indent=2, sort_keys=True) if as_json else audit.stats_table(figures))
    return 0
