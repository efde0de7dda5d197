"""pymdownx.snippets: which Markdown files a page includes, and where each one is found.

A file included with ``--8<-- "note.md"`` is part of the pages that include it, but it is
written once: so it is translated once, in a catalog of its own, and each language's build
reads the translated copy instead of the English one.  This module reads the include syntax
and resolves names the way pymdownx does (its ``base_path`` folders, in order); it imports
neither MkDocs nor Markdown.

Catalog names.  A snippet that is not a page gets the catalog ``_snippets/<name>``, where
*name* is the path as the include writes it (relative to its base path):
``--8<-- "notes/licence.md"`` → ``locales/<lang>/LC_MESSAGES/_snippets/notes/licence.po``.
A page may not live in ``_snippets/`` (the name is reserved, as ``_site`` is), so the two
can never collide.  A snippet that MkDocs also publishes as a page (a base path inside the
content folder that is neither hidden nor excluded) keeps its page catalog: one file, one
catalog, whatever includes it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: The folder of snippet catalogs among the page catalogs (a page may not use it).
PREFIX = "_snippets/"

#: Suffixes of the included files that are Markdown to translate; any other file (code shown
#: in a fence, a CSV) is included as it is, from the author's folder.
MARKDOWN_SUFFIXES = (".md", ".markdown")

#: pymdownx's own patterns (``SnippetPreprocessor.RE_ALL_SNIPPETS``): ``--8<-- "file"`` on a
#: line of its own, or a ``--8<--`` line opening or closing a block of file names.  A leading
#: ``;`` escapes the line: it is text, not an include.
INCLUDE_LINE = re.compile(
    r"""^(?P<space>[ \t]*)(?P<escape>;*)(?:
        (?P<inline>-+8<-+[ \t]+)(?P<snippet>"(?:\\"|[^"\n\r])+?"|'(?:\\'|[^'\n\r])+?')(?![ \t])
        | (?P<block>-+8<-+)(?![ \t]))\r?$""",
    re.VERBOSE,
)

#: A section marker (``--8<-- [start:name]``, ``[end:name]``) anywhere in a line: pymdownx drops
#: that whole line from the page (``RE_SNIPPET_SECTION``), in prose and code alike, unless a ``;``
#: escapes the first marker of the line.
_SECTION_MARKER = re.compile(
    r"(?i)(?<![;-])(?P<escape>;*)-+8<-+[ \t]+\[[ \t]*(?:start|end)[ \t]*:[ \t]*[a-z][-_0-9a-z]*[ \t]*\]")


def is_section_line(line: str) -> bool:
    """True when pymdownx.snippets removes *line* from the page it is written in (a section marker)."""
    found = _SECTION_MARKER.search(line) if "8<-" in line else None
    return found is not None and not found.group("escape")


#: A line range (``file.md:2:5``, ``file.md:1:3,7:``) or a section (``file.md:intro``) after a name.
_SELECTION = re.compile(r"(?i)(?:(?::-?[0-9]*){1,2}(?:,-?[0-9]*(?::-?[0-9]*)?)*|:[a-z][-_0-9a-z]*)$")
_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")


@dataclass(frozen=True)
class Settings:
    """``pymdownx.snippets`` as mkdocs.yml configures it."""

    #: The extension's name as mkdocs.yml writes it (the key of its options in MkDocs' config).
    key: str
    #: ``base_path``, absolute (pymdownx resolves it against the folder MkDocs runs in: the project's).
    bases: tuple[Path, ...]
    #: ``auto_append``: files appended to every page.
    auto_append: tuple[str, ...] = ()
    restrict_base_path: bool = True


def settings(config: Mapping[str, Any], root: Path) -> Settings | None:
    """The snippets extension's settings in *config* (a read mkdocs.yml), or None without it."""
    for item in config.get("markdown_extensions") or []:
        name, options = next(iter(item.items())) if isinstance(item, dict) else (str(item), None)
        if str(name).rsplit(".", 1)[-1] != "snippets" or not str(name).startswith("pymdownx"):
            continue
        options = options if isinstance(options, dict) else {}
        base = options.get("base_path", ["."])
        bases = [base] if isinstance(base, str) else [str(b) for b in base or []]
        append = options.get("auto_append") or []
        return Settings(str(name), tuple(_base(b, root, config) for b in bases),
                        tuple(str(a) for a in ([append] if isinstance(append, str) else append)),
                        bool(options.get("restrict_base_path", True)))
    return None


def _base(written: str, root: Path, config: Mapping[str, Any]) -> Path:
    """A base_path as MkDocs reads it: relative to the working folder (the project's), or written
    ``!relative $config_dir/sub`` or ``!relative $docs_dir/sub`` (the tag is read as its value:
    ``project._TolerantLoader``).  MkDocs resolves the tag when the page is built; a base read as
    the folder "$config_dir" found no snippet in any language."""
    prefix, _, rest = written.partition("/")
    if prefix == "$config_dir":
        return (root / rest).resolve()
    if prefix == "$docs_dir":
        return (root / str(config.get("docs_dir", "docs")) / rest).resolve()
    return (root / written).resolve()


def included_names(text: str) -> Iterator[str]:
    """The file names *text* includes, in order, as written (a section or line range cut off).

    Lines inside fenced code are skipped: there a Markdown snippet is shown as source, not read
    as part of the page, so its English is what the reader should see.  URLs are skipped too."""
    fence = ""
    block = False
    for line in text.split("\n"):
        opened = _FENCE.match(line)
        if fence:
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                fence = ""
            continue
        if opened and not block:
            fence = opened.group(1)
            continue
        found = INCLUDE_LINE.match(line)
        if found is not None and not found.group("escape"):
            if found.group("block"):
                block = not block
            elif not block:
                yield from _name(found.group("snippet")[1:-1])
            continue
        if block and line.strip():
            yield from _name(line.strip())


def _name(written: str) -> Iterator[str]:
    if written.lstrip().startswith(("http://", "https://")):
        return
    name = _SELECTION.sub("", written).strip() if ":" in written else written.strip()
    if name:
        yield name


def block_lines(lines: Iterable[str]) -> set[int]:
    """Indexes of the lines of include syntax (markers and the names in a block): not text for readers."""
    found: set[int] = set()
    block = False
    for number, line in enumerate(lines):
        match = INCLUDE_LINE.match(line)
        if match is not None and not match.group("escape"):
            found.add(number)
            if match.group("block"):
                block = not block
        elif block:
            found.add(number)
    return found


def resolve(config: Settings, name: str) -> tuple[int, str, Path] | None:
    """Where pymdownx finds *name*: the index of its base path, its path below it, its file."""
    for index, base in enumerate(config.bases):
        if base.is_dir():
            candidate = (base / name).resolve()
            if config.restrict_base_path and not candidate.is_relative_to(base):
                continue
            if candidate.is_file():
                return index, candidate.relative_to(base).as_posix() if candidate.is_relative_to(base) \
                    else name, candidate
        elif base.is_file() and (base.parent / name).resolve() == base:
            return index, base.name, base
    return None


def is_markdown(path: Path) -> bool:
    return path.suffix.lower() in MARKDOWN_SUFFIXES


def catalog_name(relative: str) -> str:
    """The catalog name of a snippet found at *relative* below its base path (see the module)."""
    return PREFIX + relative
