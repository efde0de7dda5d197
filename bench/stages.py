"""Run one ``site-gen build`` in this process and print where its time goes, as JSON.

    python bench/stages.py path/to/mkdocs.yml

site_gen is not changed: its build module's functions are wrapped with timers
at run time, and the MkDocs subprocesses it starts are timed one by one.
"""

from __future__ import annotations

import functools
import json
import subprocess
import sys
import threading
import time
from collections import defaultdict
from typing import Any

STARTED = time.perf_counter()

from site_gen import assemble as assemble_module  # noqa: E402
from site_gen import build as build_module  # noqa: E402
from site_gen.project import Project  # noqa: E402

IMPORTED = time.perf_counter()

seconds: dict[str, float] = defaultdict(float)
mkdocs_runs: list[dict[str, Any]] = []
lock = threading.Lock()


def timed(name: str, function: Any) -> Any:
    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            with lock:
                seconds[name] += time.perf_counter() - started

    return wrapper


_run = subprocess.run


def timed_run(args: Any, *rest: Any, **kwargs: Any) -> Any:
    started = time.perf_counter()
    result = _run(args, *rest, **kwargs)
    config = str(args[-1]) if isinstance(args, list | tuple) else str(args)
    with lock:
        mkdocs_runs.append({"config": config, "seconds": time.perf_counter() - started,
                            "returncode": result.returncode})
    return result


def main(config_file: str) -> int:
    Project.pages = timed("segment pages", Project.pages)  # type: ignore[method-assign]
    build_module.load_catalogs = timed("read catalogs", build_module.load_catalogs)
    # generate_sites (when site_gen has it) wraps generate_language and the status page.
    name = "generate_sites" if hasattr(build_module, "generate_sites") else "generate_language"
    setattr(build_module, name, timed("generate pages", getattr(build_module, name)))
    build_module.assets = timed("write docs", build_module.assets)
    build_module.write_tree = timed("write docs", build_module.write_tree)
    build_module.write_config = timed("write docs", build_module.write_config)
    build_module.run_mkdocs = timed("mkdocs builds", build_module.run_mkdocs)
    assemble_module.assemble = timed("assemble", assemble_module.assemble)
    build_module.swap = timed("swap", build_module.swap)
    build_module.subprocess.run = timed_run  # type: ignore[attr-defined]
    # site_gen's own search index, when it has one, is written inside assemble().
    search = getattr(assemble_module, "search", None)
    if search is not None and hasattr(search, "write_index"):
        search.write_index = timed("search index", search.write_index)

    loading = time.perf_counter()
    project = Project.load(config_file)
    seconds["load config"] += time.perf_counter() - loading
    building = time.perf_counter()
    build_module.build(project)
    total_build = time.perf_counter() - building
    if "search index" in seconds:
        seconds["assemble"] -= seconds["search index"]  # reported apart, not twice
    accounted = sum(v for k, v in seconds.items() if k != "load config")
    seconds["other"] = max(0.0, total_build - accounted)
    seconds["imports"] = IMPORTED - STARTED
    own = sum(v for k, v in seconds.items() if k != "mkdocs builds")
    json.dump({
        "seconds": dict(seconds),
        "site_gen_own_seconds": own,
        "in_process_total_seconds": time.perf_counter() - STARTED,
        "mkdocs_runs": sorted(mkdocs_runs, key=lambda r: r["config"]),
    }, sys.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))
