"""Helpers for the Material + pymdownx dialect tests: a real Material site's Markdown
configuration, and a pseudo-translation that keeps the dialect's syntax."""

from __future__ import annotations

import re
from pathlib import Path

import markdown

from site_gen.gate import PYTHON_TAG, MarkdownConfig, markdown_for
from site_gen.settings import extension_names

FIXTURES = Path(__file__).parent / "fixtures" / "dialect"

#: markdown_extensions as Material's documentation recommends them (mkdocs.yml form).
MATERIAL_EXTENSIONS: list[object] = [
    "abbr", "admonition", "attr_list", "def_list", "footnotes", "md_in_html",
    {"toc": {"permalink": True}},
    {"pymdownx.arithmatex": {"generic": True}},
    "pymdownx.betterem", "pymdownx.caret", "pymdownx.critic", "pymdownx.details",
    # As mkdocs.yml's !!python/name: tags read (settings._TolerantLoader): named, loaded by the gate.
    {"pymdownx.emoji": {"emoji_index": {PYTHON_TAG: ["name", "material.extensions.emoji.twemoji", ""]},
                        "emoji_generator": {PYTHON_TAG: ["name", "material.extensions.emoji.to_svg", ""]}}},
    {"pymdownx.escapeall": {"hardbreak": True, "nbsp": True}}, "pymdownx.keys", "pymdownx.magiclink", "pymdownx.mark",
    "pymdownx.smartsymbols", "pymdownx.snippets", "pymdownx.superfences",
    {"pymdownx.tabbed": {"alternate_style": True}},
    {"pymdownx.tasklist": {"custom_checkbox": True}},
    "pymdownx.tilde", {"pymdownx.quotes": {"callouts": True}}, "pymdownx.fancylists",
    # The site's own /// types besides pymdownx's defaults, as pymdown-extensions' documentation has them.
    {"pymdownx.blocks.admonition": {"types": ["note", "attention", "caution", "danger", "error", "tip", "hint",
                                             "warning", "important", "question", "new"]}},
    "pymdownx.blocks.details", "pymdownx.blocks.tab",
    "pymdownx.blocks.html", "pymdownx.blocks.definition", "pymdownx.blocks.caption",
]
MKDOCS_CONFIG = {"markdown_extensions": MATERIAL_EXTENSIONS}
CONFIG = MarkdownConfig.from_mkdocs(MKDOCS_CONFIG)
SEGMENTER_EXTENSIONS = extension_names(MKDOCS_CONFIG)


def render(text: str) -> str:
    """The page as MkDocs renders it with the Material configuration."""
    md: markdown.Markdown = markdown_for(CONFIG)
    md.reset()
    return md.convert(text)


#: What a careful translator keeps as written: code, link targets, attribute lists, footnote
#: labels, HTML, URLs and e-mail addresses, emoji shortcodes, keys, math, a task's box, an
#: abbreviation's label.
KEEP = re.compile(
    r"(`+).+?\1"
    r"|\]\([^)]*\)|\]\[[^\]]*\]"
    r"|\{[:#.][^{}]*\}"
    r"|\[\^[^\]]*\]"
    r"|<[^<>]+>|&#?\w+;"
    r"|https?://\S+|[\w.]+@[\w.]+"
    r"|:[\w+-]+:"
    r"|\+\+[\w+-]+\+\+"
    r"|\$\$[\s\S]*?\$\$|\$(?!\s)[^$\n]*?(?<!\s)\$"
    r"|^\[[ xX]\]"
    r"|^\*\[[^\]]*\]",
    re.S,
)
_LATIN = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
_CYRILLIC = "абцдефгхийклмнопкрстуввхызАБЦДЕФГХИЙКЛМНОПКРСТУВВХЫЗ"
TABLE = str.maketrans(_LATIN, _CYRILLIC)


def pseudo(text: str) -> str:
    """Every Latin letter outside the kept syntax becomes a Cyrillic one."""
    out, last = [], 0
    for match in KEEP.finditer(text):
        out.append(text[last:match.start()].translate(TABLE))
        out.append(match.group(0))
        last = match.end()
    out.append(text[last:].translate(TABLE))
    return "".join(out)


def marked(text: str) -> bool:
    """The pseudo-translation's marker: a text with letters has no Latin letter left."""
    return not re.search("[A-Za-z]", text)
