"""The ``site-gen`` command: a thin layer over the project's stages."""

from __future__ import annotations

import argparse
import atexit
import contextlib
import json
import logging
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from site_gen import catalog as catalogs
from site_gen.errors import SiteGenError
from site_gen.project import Project


def _report(project: Project, planned: dict[Path, bytes | None], verb: str) -> list[Path]:
    changed = {path: data for path, data in planned.items() if data is not None}
    catalogs.write_all(changed, scratch=project.scratch_dir)
    for path in changed:
        print(f"{verb} {project.relative(path)}")
    return list(changed)


def cmd_extract(project: Project, args: argparse.Namespace) -> int:
    written = _report(project, project.plan(), "wrote")
    print(f"{len(project.page_paths)} page templates, {len(written)} changed")
    return 0


def cmd_init(project: Project, args: argparse.Namespace) -> int:
    lang = args.lang
    catalogs.parse_locale(lang, "command line")
    if lang == project.source_language:
        raise SiteGenError("command line", None, f"{lang!r} is the source language",
                           "initialise a language you translate into")
    _report(project, project.plan((lang,), create=True), "wrote")
    project.remember_merges()
    if lang not in project.languages:
        print(f"Now add {lang!r} to extra.site_gen.languages in {project.relative(project.config_file)}.")
    return 0


def cmd_update(project: Project, args: argparse.Namespace) -> int:
    planned = project.plan(project.targets, create=True)
    if args.check:
        stale = [path for path, data in planned.items() if data is not None]
        for path in stale:
            print(f"out of date: {project.relative(path)}")
        if stale:
            print("run 'site-gen update' and commit the catalogs", file=sys.stderr)
            return 1
        print(f"{len(planned)} catalogs up to date")
        return 0
    written = _report(project, planned, "updated")
    project.remember_merges()
    for path in project.obsolete_catalog_files():
        print(f"note: {project.relative(path)} has no page any more; it is kept, delete it by hand")
    print(f"{len(planned)} catalogs checked, {len(written)} changed")
    return 0


def cmd_compile(project: Project, args: argparse.Namespace) -> int:
    out = Path(args.output) if args.output else project.locales_dir
    files = {}
    for lang in project.targets:
        for page_path in project.page_paths:
            catalog = project.read_catalog(lang, page_path)
            if catalog is not None:
                target = catalogs.catalog_path(out, lang, page_path).with_suffix(".mo")
                files[target] = catalogs.compile_catalog(catalog)
    catalogs.write_all(files, scratch=project.scratch_dir)
    print(f"compiled {len(files)} catalogs")
    return 0


def cmd_check(project: Project, args: argparse.Namespace) -> int:
    from site_gen.audit import check

    reports = check(project)
    for report in reports:
        print(report, file=sys.stderr if report.severity == "error" else sys.stdout)
    errors = sum(r.severity == "error" for r in reports)
    warnings = len(reports) - errors
    print(f"{errors} errors, {warnings} warnings")
    return 1 if errors or (args.strict and warnings) else 0


def cmd_stats(project: Project, args: argparse.Namespace) -> int:
    from site_gen.audit import stats, stats_table

    figures = stats(project)
    print(json.dumps(figures, indent=2, sort_keys=True) if args.json else stats_table(figures))
    return 0


def cmd_build(project: Project, args: argparse.Namespace) -> int:
    project.prepare(args.jobs)  # workers segment and read while MkDocs is imported
    from site_gen.build import build

    started = time.perf_counter()
    result = build(project, jobs=args.jobs, strict=args.strict)
    reused = f" (unchanged, reused: {', '.join(result.reused)})" if result.reused else ""
    print(f"built {', '.join(project.languages)} into {project.relative(result.site)}/ "
          f"in {time.perf_counter() - started:.1f} s{reused}")
    if args.timings:
        width = max(len(stage) for stage in result.timings)
        for stage, seconds in result.timings.items():
            print(f"  {stage:<{width}}  {seconds:6.2f} s")
    return 0


def cmd_serve(project: Project, args: argparse.Namespace) -> int:
    from site_gen.build import serve

    return serve(project, args.lang or project.source_language, args.dev_addr)


COMMANDS: dict[str, tuple[Callable[[Project, argparse.Namespace], int], str]] = {
    "extract": (cmd_extract, "write the translation templates (.pot) from the English pages"),
    "init": (cmd_init, "start catalogs for a new language"),
    "update": (cmd_update, "merge the templates into every language's catalogs"),
    "compile": (cmd_compile, "compile catalogs to .mo files"),
    "check": (cmd_check, "check every catalog and page; exit 1 on an error"),
    "stats": (cmd_stats, "translation progress per language and page"),
    "build": (cmd_build, "build the site for every language into site/"),
    "serve": (cmd_serve, "preview one language with live reload"),
}


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="site-gen", description=__doc__)
    main.add_argument("-f", "--config", default="mkdocs.yml", help="path to mkdocs.yml")
    sub = main.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (_, help_text) in COMMANDS.items():
        command = sub.add_parser(name, help=help_text, description=help_text)
        if name == "init":
            command.add_argument("lang", help="language code, e.g. uk")
        if name == "update":
            command.add_argument("--check", action="store_true",
                                 help="change nothing; exit 1 if catalogs are out of date")
        if name == "check":
            command.add_argument("--strict", action="store_true", help="warnings fail too")
        if name == "stats":
            command.add_argument("--json", action="store_true", help="print JSON instead of a table")
        if name == "build":
            command.add_argument("-j", "--jobs", type=int,
                                 help="languages built at once (default: one per language, at most cores + 1)")
            command.add_argument("--timings", action="store_true",
                                 help="print the time of each step (languages' steps: CPU time in their process)")
            command.add_argument("--strict", action="store_true",
                                 help="fail when a translation is refused or a language is below its threshold")
        if name == "serve":
            command.add_argument("--lang", default=None, help="language to preview (default: source)")
            command.add_argument("-a", "--dev-addr", default="127.0.0.1:8000", help="address to serve on")
        if name == "compile":
            command.add_argument("-o", "--output", help="folder for .mo files (default: locales)")
    return main


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        project = Project.load(args.config)
        handler, _ = COMMANDS[args.command]
        return handler(project, args)
    except SiteGenError as error:
        print(error, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted: no file was left half-written", file=sys.stderr)
        return 130


def run() -> None:
    """The ``site-gen`` command: :func:`main`, then a quick exit.

    Every file is written and closed when ``main`` returns.  Python's own shutdown
    would then free every object one by one, which after a build takes 60 ms (5% of
    a small site's build); the operating system frees the process at once.
    """
    try:
        code = main()
    except BrokenPipeError:
        # Whoever read the output has gone (`site-gen stats | head`); the work itself is done.
        # What is still buffered goes nowhere, so flushing it below cannot fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = 1
    logging.shutdown()
    atexit._run_exitfuncs()  # what sys.exit would still run: multiprocessing's and weakref's clean-ups
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe: the reader left
            stream.flush()
    os._exit(code)


if __name__ == "__main__":
    run()
