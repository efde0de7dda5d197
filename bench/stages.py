"""Run one ``site-gen build`` in this process and print where its time goes, as JSON.

    python bench/stages.py path/to/mkdocs.yml

The timings are the build's own (``site-gen build --timings``): wall time of the main
process's steps, and CPU time of each language's steps in its worker process.
"""

from __future__ import annotations

import json
import sys
import time
from collections import defaultdict

STARTED = time.perf_counter()

from site_gen.commands.build import build  # noqa: E402
from site_gen.project import Project  # noqa: E402

IMPORTED = time.perf_counter()

def main(config_file: str) -> int:
    project = Project.load(config_file)
    building = time.perf_counter()
    result = build(project)
    total = time.perf_counter() - building
    seconds: dict[str, float] = defaultdict(float)
    mkdocs: dict[str, float] = {}
    for stage, value in result.timings.items():
        lang, _, step = stage.rpartition(": ")
        if lang:
            seconds[f"languages: {step}"] += value
            if step == "mkdocs":
                mkdocs[lang] = value
        else:
            seconds[stage] += value
    seconds["imports"] = IMPORTED - STARTED
    # site_gen's own work: everything but MkDocs (and the "languages" step, which is the
    # wall time around the workers, not work of its own).
    own = sum(v for k, v in seconds.items() if k not in ("languages", "languages: mkdocs", "load MkDocs"))
    json.dump({
        "seconds": dict(seconds),
        "site_gen_own_seconds": own,
        "build_seconds": total,
        "in_process_total_seconds": time.perf_counter() - STARTED,
        "mkdocs_cpu_seconds": mkdocs,
    }, sys.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))
