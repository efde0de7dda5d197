""""No extractable English left": the text of a rendered page that no message reached.

After every message of a page is pseudo-translated (each letter changed, the markup kept),
every text node a reader sees in the article must carry the pseudo-translation's marker.
What is not text to translate is left out: code (``code``, ``pre``, ``kbd``, ``samp``),
math (arithmatex's ``.arithmatex``), mkdocstrings' output (``.doc``), code blocks' titles, site_gen's English
fallbacks (``lang`` of the source language), scripts, styles, and text without letters.
A text node that remains is English the segmenter did not extract.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from selectolax.lexbor import LexborHTMLParser

#: Elements whose text is code, never translated.
CODE_ELEMENTS = frozenset({"code", "pre", "kbd", "samp", "script", "style", "svg", "math"})
#: Classes whose elements' text is not a translation's: math, mkdocstrings' documentation, a
#: code block's title (superfences' ``title="…"``, part of the fence's info string: code).
VERBATIM_CLASSES = frozenset({"arithmatex", "doc", "doc-contents", "doc-signature", "headerlink", "filename"})


#: Not words: a link's own address as its text (magiclink, autolinks), a commit's hash
#: (``ba98661``, a changelog's link text: hexadecimal, with a digit).
_ADDRESS = re.compile(r"^(?:(?:https?|ftp)://|www\.)\S+$|^[\w.+-]+@[\w-]+(?:\.[\w-]+)+$"
                      r"|^(?=[0-9a-f]*\d)[0-9a-f]{7,40}$")


def _excluded(node: object, source_lang: str, verbatim: frozenset[str]) -> bool:
    while node is not None:
        tag = getattr(node, "tag", "")
        attributes = getattr(node, "attributes", {}) or {}
        if tag in CODE_ELEMENTS or attributes.get("lang") == source_lang:
            return True
        if verbatim & set((attributes.get("class") or "").split()):
            return True
        node = getattr(node, "parent", None)
    return False


def english_left(html: str, marked: Callable[[str], bool], source_lang: str = "en",
                 verbatim: frozenset[str] = VERBATIM_CLASSES) -> list[str]:
    """The article's text nodes with letters that do not carry the marker (*marked* is False).
    *verbatim*: the classes whose elements hold no text to translate (a site's own, added to
    ``VERBATIM_CLASSES``: its diagrams, its rendered examples)."""
    root = LexborHTMLParser(html).body
    found = []
    for node in root.traverse(include_text=True) if root is not None else ():
        if not node.is_text_node:
            continue
        text = " ".join((node.text_content or "").split())
        if any(c.isalpha() for c in text) and not marked(text) and not _ADDRESS.match(text) \
                and not _excluded(node.parent, source_lang, verbatim):
            found.append(text)
    return found
