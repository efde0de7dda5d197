"""Python-Markdown's inline stage, without the pattern searches that cannot find anything.

Python-Markdown tries each of its fifteen inline patterns (code, escapes, links, images,
autolinks, line breaks, inline HTML, entities, emphasis, footnotes) on every piece of text
of a page: a regular-expression search and several Python calls each, and on a page of
prose most find nothing.  Each built-in pattern matches only text that holds a given
string (``[`` for a link, ``&`` for an entity, ``*`` or ``_`` for emphasis, two spaces
and a newline for a line break), so this processor skips a pattern when the text has
none of them.  That saves much of Python-Markdown's time (docs/performance.md), and
the HTML is the same, byte for byte (tests/test_fast_inline.py).

Its link patterns find each bracket's closing one by walking every character of the text
in Python, again after each link is replaced; ``find_bracket_ends`` gives the same list from
the brackets alone, set on this processor's own pattern instances.

Only Python-Markdown's own pattern classes with their own expressions are skipped: a
pattern of another extension, or one a later Python-Markdown changes, is always tried.
The versions it was checked with are in ``private_api.USES`` ("markdown.inline_loop"); on
another version Python-Markdown's own processor runs, after one warning.
It is used by each language's MkDocs build (``mkdocs_hooks.on_config``); the pages'
Markdown is not touched.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from typing import Any

from markdown import Markdown, treeprocessors, util
from markdown import inlinepatterns as patterns
from markdown.extensions import Extension
from markdown.extensions.footnotes import FootnoteInlineProcessor

from site_gen import private_api

#: The footnotes extension defines its expression inside a function.
FOOTNOTE_RE = r"\[\^([^\]]*)\]"

#: Python-Markdown's expressions, and the strings a text must hold (one of) for each to match.
#: The backtick expression's first branch matches backslashes followed by a backtick.
NEEDS: dict[str, tuple[str, ...]] = {
    patterns.BACKTICK_RE: ("`",),
    patterns.ESCAPE_RE: ("\\",),
    patterns.LINK_RE: ("[",),
    patterns.IMAGE_LINK_RE: ("![",),
    patterns.AUTOLINK_RE: ("<",),
    patterns.AUTOMAIL_RE: ("<",),
    patterns.LINE_BREAK_RE: ("  \n",),
    patterns.HTML_RE: ("<",),
    patterns.ENTITY_RE: ("&",),
    FOOTNOTE_RE: ("[^",),
}

#: The classes whose matching is only their expression's search (no overridden lookup).
KNOWN_CLASSES = (
    patterns.BacktickInlineProcessor, patterns.EscapeInlineProcessor, patterns.ReferenceInlineProcessor,
    patterns.LinkInlineProcessor, patterns.ImageInlineProcessor, patterns.ImageReferenceInlineProcessor,
    patterns.ShortReferenceInlineProcessor, patterns.ShortImageReferenceInlineProcessor,
    patterns.AutolinkInlineProcessor, patterns.AutomailInlineProcessor, patterns.SubstituteTagInlineProcessor,
    patterns.HtmlInlineProcessor, FootnoteInlineProcessor,
)


def needs(pattern: Any) -> tuple[str, ...] | None:
    """The strings one of which a text must hold for *pattern* to match it (``None``: unknown)."""
    compiled = getattr(pattern, "compiled_re", None)
    if compiled is None:
        return None
    if type(pattern) is patterns.DelimiterProcessor:
        # Emphasis: its expression is exactly the alternation of its delimiters.
        tokens = tuple(pattern.tokens)
        return tokens if tokens and compiled.pattern == "|".join(map(re.escape, tokens)) else None
    if type(pattern) in KNOWN_CLASSES:
        return NEEDS.get(compiled.pattern)
    return None


_BRACKET = re.compile(r"[\[\]]")


def find_bracket_ends(data: str) -> list[int | None]:
    """Python-Markdown's ``LinkInlineProcessor._findBracketEnds``, the same list: for each index of
    *data*, the index just past the ``]`` that closes a bracket opened before it, or None.

    Python-Markdown walks every character in Python, and again each time a link's text is
    replaced; the positions between two brackets share one depth, so this walks the brackets
    only and fills each run of positions at once.
    """
    ends: list[int | None] = [None] * (len(data) + 1)
    depth = 0
    runs: list[tuple[int, int, int]] = []  # (first, past the last, depth): depth rises up the stack
    start = 0
    for bracket in _BRACKET.finditer(data):
        position = bracket.start()
        while runs and depth < runs[-1][2]:
            first, stop, _ = runs.pop()
            ends[first:stop] = [start] * (stop - first)
        runs.append((start, position + 1, depth))
        depth += 1 if data[position] == "[" else -1
        start = position + 1
    while runs and depth < runs[-1][2]:
        first, stop, _ = runs.pop()
        ends[first:stop] = [start] * (stop - first)
    return ends


class FastInlineProcessor(treeprocessors.InlineProcessor):
    """``InlineProcessor`` whose pattern loop skips the patterns a text cannot match."""

    def run(self, tree: etree.Element, ancestors: list[str] | None = None) -> etree.Element:
        self.needs = [needs(pattern) for pattern in self.inlinePatterns]
        for pattern in self.inlinePatterns:
            if type(pattern) in KNOWN_CLASSES and hasattr(pattern, "_findBracketEnds"):
                pattern._findBracketEnds = find_bracket_ends  # this instance's; the class stays Python-Markdown's
        return super().run(tree, ancestors)

    # Python-Markdown's private loop (``__handleInline``), with the test added before each try.
    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:
        if not isinstance(data, util.AtomicString):
            start = 0
            count = len(self.inlinePatterns)
            while patternIndex < count:
                wanted = self.needs[patternIndex]
                if wanted is not None:
                    for text in wanted:  # a loop, not all(): this runs for every text and pattern
                        if data.find(text, start) >= 0:
                            break
                    else:
                        patternIndex += 1
                        start = 0
                        continue
                data, matched, start = self._InlineProcessor__applyPattern(  # type: ignore[attr-defined]
                    self.inlinePatterns[patternIndex], data, patternIndex, start)
                if not matched:
                    patternIndex += 1
        return data


def supported() -> bool:
    """Whether this Python-Markdown has the private loop this processor replaces, in a version
    it was checked with."""
    stock = treeprocessors.InlineProcessor
    names = ("_InlineProcessor__handleInline", "_InlineProcessor__applyPattern")
    return private_api.verified("markdown.inline_loop") and all(hasattr(stock, name) for name in names)


class FastInlineExtension(Extension):
    """Registers ``FastInlineProcessor`` in place of Python-Markdown's inline processor."""

    def extendMarkdown(self, md: Markdown) -> None:
        # Python-Markdown's Registry has no get().
        stock = md.treeprocessors["inline"] if "inline" in md.treeprocessors else None  # noqa: SIM401
        if supported() and type(stock) is treeprocessors.InlineProcessor:
            md.treeprocessors.register(FastInlineProcessor(md), "inline", 20)
