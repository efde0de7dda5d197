"""Babel entry points: ``pybabel extract`` reads our pages, ``pybabel compile`` runs our checks."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from typing import IO, Any

from babel.messages.catalog import Catalog, Message, TranslationError

from site_gen.checks import check_message
from site_gen.segment import KNOWN_EXTENSIONS, segment_page


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


def check_translation(catalog: Catalog | None, message: Message) -> None:
    """A ``babel.checkers`` checker: raise on the first error-level finding."""
    if not message.id or not message.string or message.fuzzy:
        return
    if not isinstance(message.id, str) or not isinstance(message.string, str):
        return
    lang = str(catalog.locale) if catalog and catalog.locale else None
    for finding in check_message(message.id, message.string, lang):
        if finding.severity == "error":
            raise TranslationError(f"[{finding.check}] {finding.message}; fix: {finding.fix}")
