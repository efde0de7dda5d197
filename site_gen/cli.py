"""The ``site-gen`` command: its arguments parsed, then the command's ``run`` in ``site_gen/commands/``."""

from __future__ import annotations

import argparse
import atexit
import contextlib
import logging
import os
import signal
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from site_gen.errors import SiteGenError, os_error

if TYPE_CHECKING:
    from site_gen.project import Project

# The project's modules (Babel, YAML, Markdown) are imported inside ``main``, where
# Ctrl-C is caught, so that an early Ctrl-C also gives one line instead of a traceback.

#: What Ctrl-C prints, whenever it comes: files are written whole or not at all.
INTERRUPTED = "interrupted; nothing was left half-written"


#: Each command and its help; its flow is ``run`` in ``site_gen/commands/<command>.py``.
COMMANDS: dict[str, str] = {
    "extract": "write the translation templates (.pot) from the English pages",
    "init": "start catalogs for a new language",
    "update": "merge the templates into every language's catalogs",
    "compile": "compile catalogs to .mo files",
    "check": "check every catalog and page; exit 1 on an error",
    "stats": "translation progress per language and page",
    "review": "every translation changed between two git revisions, beside its English",
    "build": "build the site for every language into site/ (or one language's part)",
    "assemble": "join parts built by 'build --lang L --part DIR' into site/",
    "serve": "preview one language with live reload",
}


def dispatch(project: Project, args: argparse.Namespace) -> int:
    """The command's ``run``, given the parsed arguments by name (imported only when run)."""
    from site_gen.commands import assemble, build, check, extract, init, review, serve, stats, update
    from site_gen.commands import compile as compile_

    match args.command:
        case "extract":
            return extract.run(project)
        case "init":
            return init.run(project, args.lang)
        case "update":
            return update.run(project, check=args.check)
        case "compile":
            return compile_.run(project, output=args.output)
        case "check":
            return check.run(project, strict=args.strict)
        case "stats":
            return stats.run(project, as_json=args.json)
        case "review":
            return review.run(project, args.revisions, markdown=args.format == "md")
        case "build":
            return build.run(project, jobs=args.jobs, strict=args.strict, lang=args.lang, part=args.part,
                             timings=args.timings)
        case "assemble":
            return assemble.run(project, args.parts, site_dir=args.site_dir, timings=args.timings)
        case "serve":
            return serve.run(project, args.lang, args.dev_addr)
    raise AssertionError(args.command)  # argparse accepts only the commands above


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
    for name, help_text in COMMANDS.items():
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
        if args.command in WRITERS and not getattr(args, "check", False):
            with project.write_lock(" ".join(sys.argv[1:] if argv is None else argv)):
                return dispatch(project, args)
        return dispatch(project, args)
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
