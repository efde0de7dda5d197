"""``site-gen serve``: one language previewed with live reload.

The flow: the language's pages generated into ``build/serve-LANG/docs`` (under the write
lock), then the renderer's preview server, whose hooks call ``regenerate`` before every
rebuild (taking the lock for it, so an ``update`` in another terminal runs between two).
"""

from __future__ import annotations

import contextlib
import html
from pathlib import Path

from site_gen import build as stage
from site_gen.errors import SiteGenError, os_error
from site_gen.generate import LanguageSite, normalised_site_url
from site_gen.project import Project
from site_gen.render import renderer
from site_gen.settings import write_lock


def run(project: Project, lang: str | None = None, address: str = "127.0.0.1:8000") -> int:
    """Preview *lang* (default: the source language) on *address* until Ctrl-C."""
    lang = lang or project.source_language
    project.check_nav()
    if lang not in project.languages:
        raise SiteGenError(project.relative(project.config_file), None, f"{lang!r} is not configured",
                           f"add it to extra.site_gen.languages or use one of {', '.join(project.languages)}")
    check_address(address)
    with project.write_lock("serve", wait=True):
        site, docs = serve_docs(project, lang)
    return renderer(project.config).serve(project, site, docs, address)


def serve_docs(project: Project, lang: str) -> tuple[LanguageSite, Path]:
    """Write one language's pages where the preview server reads them (apart from build/)."""
    languages = stage.configured_languages(project)
    pages = list(project.pages())
    counts = {project.source_language: {}, **{code: project.language_counts(code) for code in project.targets}}
    if lang != project.source_language:
        stage.report_refusals(list(project.gated_translations(lang).refusals), strict=False)
    tables = {} if lang == project.source_language else project.gated_translations(lang).tables
    site = stage.language_site(project, next(x for x in languages if x.code == lang), languages, pages, tables,
                         counts, normalised_site_url(project.config))
    docs = project.root / "build" / f"serve-{lang}" / "docs"
    stage.write_tree(docs, {**site.pages, **stage.assets(project)})
    stage.write_tree(docs.parent / stage.SNIPPETS, stage.snippet_tree(project, site))
    return site, docs


def regenerate(config_file: str, lang: str) -> str | None:
    """Write one language's generated pages again (used by ``site-gen serve``); the problem
    that stopped it, as ``file:line`` and a fix, or None."""
    try:
        serve_docs(Project.load(config_file), lang)
    except SiteGenError as error:
        return str(error)
    except OSError as error:
        return str(os_error(error))
    return None


#: The write lock ``site-gen serve`` holds while it rebuilds (and only then: an ``update`` in
#: another terminal runs between two rebuilds, and a rebuild waits for it).
_SERVE_LOCK = contextlib.ExitStack()


def hold_serve_lock(config_file: str) -> None:
    # A second lock in this process would wait for the first for ever: a rebuild that never
    # reached its end (no on_post_build) gives its lock back here.
    _SERVE_LOCK.close()
    _SERVE_LOCK.enter_context(write_lock(Path(config_file).parent, "serve", wait=True))


def release_serve_lock() -> None:
    _SERVE_LOCK.close()


def error_page(problem: str) -> str:
    """What every page of the preview shows while the project has a problem.  It reloads by
    itself once the problem is fixed (the preview server adds its reload script before </body>)."""
    return ('<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            "<title>site-gen: the preview could not be rebuilt</title>\n</head>\n<body>\n"
            "<h1>The preview could not be rebuilt</h1>\n"
            f"<pre>{html.escape(problem)}</pre>\n"
            "<p>Fix the file and save it: this page reloads by itself.</p>\n</body>\n</html>\n")


def show_error(site_dir: Path, problem: str | None) -> None:
    """Every HTML file of the preview shows *problem*; with None, they go instead, so that
    MkDocs' next (dirty) build renders them all again from the fixed pages."""
    for path in site_dir.rglob("*.html"):
        if problem is None:
            path.unlink(missing_ok=True)
        else:
            path.write_text(error_page(problem), encoding="utf-8")


def check_address(address: str) -> None:
    """Refuse an address another program listens on before the preview server starts: its
    own failure would be a traceback."""
    import socket

    host, _, port = address.rpartition(":")
    if not port.isdigit():
        raise SiteGenError("command line", None, f"{address!r} is not an address",
                           "write it as HOST:PORT, e.g. -a 127.0.0.1:8001")
    try:
        infos = socket.getaddrinfo(host or "127.0.0.1", int(port), type=socket.SOCK_STREAM)
    except (socket.gaierror, OverflowError, UnicodeError) as error:
        raise SiteGenError("command line", None, f"cannot serve on {address}: {error}",
                           "write it as HOST:PORT, e.g. -a 127.0.0.1:8001") from None
    family, kind, _, _, where = infos[0]
    with socket.socket(family, kind) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server will
        try:
            probe.bind(where)
        except OSError as error:
            raise SiteGenError("command line", None, f"cannot serve on {address}: {error.strerror}",
                               f"stop the program using port {port}, or pick another: "
                               f"site-gen serve -a {host or '127.0.0.1'}:{int(port) + 1}") from None
