"""The ``site-gen`` command: a thin layer over the project's stages."""

from __future__ import annotations

import argparse
import atexit
import contextlib
import json
import logging
import os
import signal
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from site_gen.errors import SiteGenError, os_error

if TYPE_CHECKING:
    from site_gen.project import Project

# The project's modules (Babel, YAML, Markdown) are imported inside ``main``, where
# Ctrl-C is caught, so that an early Ctrl-C also gives one line instead of a traceback.

#: What Ctrl-C prints, whenever it comes: files are written whole or not at all.
INTERRUPTED = "interrupted; nothing was left half-written"


def counted(number: int, noun: str, nouns: str | None = None) -> str:
    """"1 page template", "2 page templates": a count with its noun in the right number."""
    return f"{number} {noun if number == 1 else nouns or noun + 's'}"


def _report(project: Project, planned: dict[Path, bytes | None], verb: str) -> list[Path]:
    """Write the planned files, each only if it is still as the plan read it."""
    from site_gen import catalog as catalogs
    from site_gen.errors import SiteGenErrors

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


def cmd_extract(project: Project, args: argparse.Namespace) -> int:
    written = _report(project, project.plan(), "wrote")
    snippets = f", {counted(len(project.snippet_files), 'snippet template')}" if project.snippet_files else ""
    print(f"{counted(len(project.page_paths), 'page template')}{snippets}, {len(written)} changed")
    return 0


def cmd_init(project: Project, args: argparse.Namespace) -> int:
    from site_gen import catalog as catalogs

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
        print(f"{counted(len(planned), 'catalog')} up to date")
        return 0
    written = _report(project, planned, "updated")
    project.remember_merges()
    for path in project.obsolete_catalog_files():
        print(f"note: {project.relative(path)} has no page any more; it is kept, delete it by hand")
    print(f"{counted(len(planned), 'catalog')} checked, {len(written)} changed")
    return 0


def cmd_compile(project: Project, args: argparse.Namespace) -> int:
    from site_gen import catalog as catalogs

    out = Path(args.output) if args.output else project.locales_dir
    files = {}
    for lang in project.targets:
        for page_path in project.catalog_names:
            catalog = project.read_catalog(lang, page_path)
            if catalog is not None:
                target = catalogs.catalog_path(out, lang, page_path).with_suffix(".mo")
                files[target] = catalogs.compile_catalog(catalog)
    catalogs.write_all(files, scratch=project.scratch_dir)
    print(f"compiled {counted(len(files), 'catalog')}")
    return 0


def cmd_check(project: Project, args: argparse.Namespace) -> int:
    from site_gen.audit import check

    reports = check(project)
    for report in reports:
        print(report, file=sys.stderr if report.severity == "error" else sys.stdout)
    errors = sum(r.severity == "error" for r in reports)
    warnings = len(reports) - errors
    print(f"{counted(errors, 'error')}, {counted(warnings, 'warning')}")
    return 1 if errors or (args.strict and warnings) else 0


def cmd_stats(project: Project, args: argparse.Namespace) -> int:
    from site_gen.audit import stats, stats_table

    figures = stats(project)
    print(json.dumps(figures, indent=2, sort_keys=True) if args.json else stats_table(figures))
    return 0


def cmd_review(project: Project, args: argparse.Namespace) -> int:
    from site_gen import review

    changes = review.collect(project.root, project.locales_dir, args.revisions)
    render = review.as_markdown if args.format == "md" else review.as_text
    print(render(changes, args.revisions), end="")
    return 0  # a reading aid, not a gate: `site-gen check` is the gate


def _print_timings(timings: dict[str, float]) -> None:
    width = max(len(stage) for stage in timings)
    for stage, seconds in timings.items():
        print(f"  {stage:<{width}}  {seconds:6.2f} s")


def cmd_build(project: Project, args: argparse.Namespace) -> int:
    if (args.lang is None) != (args.part is None):
        raise SiteGenError("command line", None, "--lang and --part go together: one language's part into a folder",
                           "site-gen build --lang uk --part parts/uk (or neither, for the whole site)")
    if args.part is None and project.restore_site():
        print(f"note: put back {project.relative(project.site_dir)}/, which an interrupted build had left aside",
              file=sys.stderr)
    project.check_nav()  # once, at its line in mkdocs.yml, rather than once per language by MkDocs
    project.prepare(args.jobs)  # workers segment and read while MkDocs is imported
    from site_gen.build import build, build_part
    from site_gen.render import DEFAULT_ENGINE, engine_name

    started = time.perf_counter()
    engine = engine_name(project.config)
    engine = f" with {engine}" if engine != DEFAULT_ENGINE else ""
    if args.part is not None:
        result = build_part(project, args.lang, Path(args.part).resolve(), jobs=args.jobs, strict=args.strict)
        print(f"built the {args.lang} part into {args.part}{engine} in {time.perf_counter() - started:.1f} s")
    else:
        result = build(project, jobs=args.jobs, strict=args.strict)
        reused = f" (unchanged, reused: {', '.join(result.reused)})" if result.reused else ""
        print(f"built {', '.join(project.languages)} into {project.relative(result.site)}/{engine} "
              f"in {time.perf_counter() - started:.1f} s{reused}")
    if args.timings:
        _print_timings(result.timings)
    return 0


def cmd_assemble(project: Project, args: argparse.Namespace) -> int:
    if args.site_dir is None and project.restore_site():
        print(f"note: put back {project.relative(project.site_dir)}/, which an interrupted build had left aside",
              file=sys.stderr)
    from site_gen.build import assemble_parts

    started = time.perf_counter()
    result = assemble_parts(project, [Path(folder).resolve() for folder in args.parts],
                            Path(args.site_dir).resolve() if args.site_dir else None)
    print(f"assembled {', '.join(result.built)} into {project.relative(result.site)}/ "
          f"in {time.perf_counter() - started:.1f} s")
    if args.timings:
        _print_timings(result.timings)
    return 0


def cmd_serve(project: Project, args: argparse.Namespace) -> int:
    from site_gen.build import serve

    project.check_nav()
    return serve(project, args.lang or project.source_language, args.dev_addr)


COMMANDS: dict[str, tuple[Callable[[Project, argparse.Namespace], int], str]] = {
    "extract": (cmd_extract, "write the translation templates (.pot) from the English pages"),
    "init": (cmd_init, "start catalogs for a new language"),
    "update": (cmd_update, "merge the templates into every language's catalogs"),
    "compile": (cmd_compile, "compile catalogs to .mo files"),
    "check": (cmd_check, "check every catalog and page; exit 1 on an error"),
    "stats": (cmd_stats, "translation progress per language and page"),
    "review": (cmd_review, "every translation changed between two git revisions, beside its English"),
    "build": (cmd_build, "build the site for every language into site/ (or one language's part)"),
    "assemble": (cmd_assemble, "join parts built by 'build --lang L --part DIR' into site/"),
    "serve": (cmd_serve, "preview one language with live reload"),
}


#: Commands that change the project, one at a time (``serve`` takes the lock for each rebuild).
WRITERS = ("extract", "init", "update", "compile", "build", "assemble")


def version_text() -> str:
    """site_gen's version and those of the tools that shape its output, for bug reports."""
    from importlib import metadata

    from site_gen import __version__

    tools = []
    for name in ("mkdocs", "mkdocs-material", "babel", "markdown", "pymdown-extensions"):
        try:
            tools.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            tools.append(f"{name} (not installed)")
    python = ".".join(str(part) for part in sys.version_info[:3])
    return f"site-gen {__version__} (Python {python}; {', '.join(tools)})"


class _Version(argparse.Action):
    """``--version``: looked up only when asked for (metadata lookups would slow every command)."""

    def __call__(self, parser: argparse.ArgumentParser, *args: object) -> None:
        print(version_text())
        parser.exit()


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="site-gen", description=__doc__)
    main.add_argument("-V", "--version", action=_Version, nargs=0, help="print the versions and exit")
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
        if name == "review":
            command.add_argument("revisions", metavar="BASE..HEAD",
                                 help="git revisions to compare (BASE.. compares with the working tree)")
            command.add_argument("--format", choices=("text", "md"), default="text",
                                 help="text for a terminal, md to paste into a pull-request comment")
        if name == "build":
            command.add_argument("-j", "--jobs", type=int,
                                 help="languages built at once (default: one per language, at most cores + 1)")
            command.add_argument("--timings", action="store_true",
                                 help="print the time of each step (languages' steps: CPU time in their process)")
            command.add_argument("--strict", action="store_true",
                                 help="fail when a translation is refused or a language is below its threshold")
            command.add_argument("--lang", help="build only this language, as a part for 'site-gen assemble' "
                                 "(with --part)")
            command.add_argument("--part", metavar="DIR", help="the folder for --lang's part (docs/sharding.md)")
        if name == "assemble":
            command.add_argument("parts", nargs="+", metavar="DIR",
                                 help="the folders 'site-gen build --lang L --part DIR' wrote, one per language")
            command.add_argument("--site-dir", metavar="DIR",
                                 help="where the site goes (default: mkdocs.yml's site_dir)")
            command.add_argument("--timings", action="store_true", help="print the time of each step")
        if name == "serve":
            command.add_argument("--lang", default=None, help="language to preview (default: source)")
            command.add_argument("-a", "--dev-addr", default="127.0.0.1:8000", help="address to serve on")
        if name == "compile":
            command.add_argument("-o", "--output", help="folder for .mo files (default: locales)")
    return main


def main(argv: Sequence[str] | None = None) -> int:
    from site_gen.parallel import shutdown_all

    try:
        args = parser().parse_args(argv)
        from site_gen.project import Project

        project = Project.load(args.config)
        handler, _ = COMMANDS[args.command]
        if args.command in WRITERS and not getattr(args, "check", False):
            with project.write_lock(" ".join(sys.argv[1:] if argv is None else argv)):
                return handler(project, args)
        return handler(project, args)
    except SiteGenError as error:
        print(error, file=sys.stderr)
        return 1
    except BrokenPipeError:
        raise  # the reader left: run() ends quietly
    except OSError as error:
        print(os_error(error), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        shutdown_all(terminate=True)
        print(INTERRUPTED, file=sys.stderr)
        return 130
    finally:
        # Every worker pool ends here, on every path: one left running would keep the process
        # waiting for it at exit (an error before its results were asked for).
        shutdown_all()


def run() -> None:
    """The ``site-gen`` command: :func:`main`, then a quick exit.

    Every file is written and closed when ``main`` returns.  Python's own shutdown
    would then free every object one by one, a noticeable part of a small site's build
    (docs/performance.md); the operating system frees the process at once.
    """

    signal.signal(signal.SIGINT, signal.default_int_handler)  # main() says the one line from here on
    try:
        code = main()
    except BrokenPipeError:
        # Whoever read the output has gone (`site-gen stats | head`); the work itself is done.
        # What is still buffered goes nowhere, so flushing it below cannot fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = 1
    except KeyboardInterrupt:  # a second Ctrl-C while the first one was being handled
        print(INTERRUPTED, file=sys.stderr)
        code = 130
    # Everything is written; Ctrl-C from here on would only interrupt the clean-ups below.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    logging.shutdown()
    from site_gen import private_api

    run_exitfuncs = getattr(atexit, "_run_exitfuncs", None)
    if run_exitfuncs is None or not private_api.verified("python.atexit"):
        sys.exit(code)  # another Python: its own shutdown, slower and the same
    run_exitfuncs()  # what sys.exit would still run: multiprocessing's and weakref's clean-ups
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe: the reader left
            stream.flush()
    os._exit(code)


if __name__ == "__main__":
    run()
