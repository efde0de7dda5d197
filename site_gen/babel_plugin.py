"""Babel entry points: ``pybabel extract`` reads our pages, ``pybabel compile`` runs our checks."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

from babel.messages.catalog import Catalog, Message, TranslationError

from site_gen import gate
from site_gen.errors import SiteGenError
from site_gen.segment import KNOWN_EXTENSIONS, Page, segment_page


def extract_markdown(
    fileobj: IO[bytes],
    keywords: Mapping[str, Any],
    comment_tags: Collection[str],
    options: Mapping[str, Any],
) -> Iterator[tuple[int, str, str, list[str]]]:
    """Yield ``(lineno, funcname, message, comments)`` for each unit of a Markdown page.

    An empty funcname tells Babel to take the message as it is.
    """
    source = fileobj.read().decode(options.get("encoding", "utf-8"))
    extensions = options.get("extensions")
    names = [n.strip() for n in extensions.split(",")] if extensions else KNOWN_EXTENSIONS
    page = segment_page(source, getattr(fileobj, "name", "<page>"), names)
    for segment in page.segments:
        yield segment.lineno, "", segment.text, [segment.comment] if segment.comment else []


@lru_cache(maxsize=4)
def _project(folder: str) -> Any:
    """The site_gen project in *folder* (where ``pybabel`` runs), or None."""
    from site_gen.project import Project

    config = Path(folder) / "mkdocs.yml"
    if not config.exists():
        return None
    try:
        return Project.load(config)
    except SiteGenError:
        return None


def _where(message: Message) -> tuple[Page | None, gate.Context, gate.MarkdownConfig, bool]:
    """The page a message comes from (by its locations), its context and Markdown configuration,
    and whether it is an interface string; without a project, an unknown page's defaults."""
    project = _project(str(Path.cwd()))
    interface = any(name in ("site_gen/interface.py", "mkdocs.yml") for name, _ in message.locations)
    if project is None:
        return None, gate.EMPTY, gate.DEFAULT, interface
    prefix = project.source_prefix + "/"
    for name, _ in message.locations:
        if name.startswith(prefix) and name.endswith(".md"):
            try:
                page = project.page(name[len(prefix):])
            except (OSError, SiteGenError):
                break
            return page, gate.page_context(page.lines), project.markdown_config, False
    return None, gate.EMPTY, project.markdown_config, interface


def check_translation(catalog: Catalog | None, message: Message) -> None:
    """A ``babel.checkers`` checker: the gate's verdict, as ``site-gen check`` and the build take it."""
    if not message.id or not message.string or message.fuzzy:
        return
    if not isinstance(message.id, str) or not isinstance(message.string, str):
        return
    lang = str(catalog.locale) if catalog and catalog.locale else None
    page, context, config, interface = _where(message)
    if page is not None or interface:
        found = gate.verdict_in(page, message.id, message.string, context, config, lang)
    else:
        found = gate.verdict(message.id, message.string, "paragraph", context, config, lang)
    for finding in found:  # every finding of the verdict is an error
        raise TranslationError(f"[{finding.check}] {finding.message}; fix: {finding.fix}")
    if page is not None and catalog is not None and any(s.kind == "abbr" for s in page.messages().get(message.id, ())):
        # A translated abbreviation's label must be a word the page's translations write: the
        # rule reads the whole catalog, which Babel hands every checker.
        published = {str(other.id): str(other.string) for other in catalog
                     if other.id and other.string and not other.fuzzy and isinstance(other.string, str)}
        unused = gate.unused_abbreviations(page, published).get(message.id)
        if unused is not None:
            raise TranslationError(f"[{unused.check}] {unused.message}; fix: {unused.fix}")
