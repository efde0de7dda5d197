"""Stage 1: split a Markdown page into translation units.

A unit is one paragraph, heading, list item, table cell, admonition title, term,
abbreviation, image alt text or reader-facing front-matter field, as in Sphinx's
gettext builder.  Inline Markdown stays inside the unit.  Each unit remembers the
exact source region it came from, so a translation is spliced back into the page
text itself: everything that is not a unit (code, raw HTML, list markers, table
pipes, admonition markers, heading ids) is kept byte for byte.

markdown-it-py finds the blocks and their line ranges; the dialect rules that
differ from CommonMark (Python-Markdown's tables, ``{#id}`` heading attributes,
``*[abbr]:`` definitions) are handled by small rule functions here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any

import yaml
from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.token import Token
from mdit_py_plugins.admon import admon_plugin
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from site_gen.errors import SiteGenError
from site_gen.snippets import INCLUDE_LINE, is_section_line

#: libyaml's safe loader when present (much faster), else PyYAML's.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: Front-matter fields that readers see; every other key is data.
READER_FIELDS = ("title", "description")
#: The front-matter list whose entries' notes are messages too (``history.py``).
CHANGE_NOTES_FIELD = "changes"

#: The front-matter key site_gen writes its own facts under (``translate.META_KEY``).
RESERVED_KEY = "site_gen"
#: Dates of the front matter, and the years they may fall in: the build's date (the newest
#: ``last_reviewed``) becomes every file's time in the offline ZIP, which holds 1980 to 2107,
#: and a year outside these is a typo anyway.
DATE_YEARS = {"as_of": (1900, 2099), "published": (1980, 2099), "last_reviewed": (1980, 2099)}
#: A front matter is a handful of fields; YAML aliases can make a few lines stand for
#: billions of values ("billion laughs"), which would take every byte of memory.
MAX_ALIASES = 8
MAX_NODES = 10_000

#: The Python-Markdown extensions the segmenter understands.
KNOWN_EXTENSIONS = frozenset(
    {"tables", "admonition", "attr_list", "footnotes", "abbr", "def_list", "toc", "md_in_html",
     "details", "tabbed", "callouts", "fancylists", "hardbreak"}
)
#: Extensions followed only when mkdocs.yml names them (never by default, as the ones above are
#: for a project that names none): markdown-callouts' ``NOTE: text`` (``note_callouts``), whose
#: marker is any upper-case word and a colon, which in other projects is text ("FAQ: …").
CONFIGURED_ONLY_EXTENSIONS = frozenset({"note_callouts", "github_callouts"})

TRANSLATOR_COMMENT = re.compile(r"^<!--\s*(?:i18n|translators?)\s*:\s*(.*?)\s*-->\s*$", re.S | re.I)
SETEXT_UNDERLINE = re.compile(r"^[\s>]*(?:=+|-+)\s*$")
HEADING_ATTRS = re.compile(r"\s*\{:?\s*([^{}\n]*?)\s*\}\s*$")
ABBR_DEFINITION = re.compile(r"^\*\[([^\]]+)\]:\s*(.*?)\s*$")
HTML_TAG = re.compile(r"</?[A-Za-z][^>]*>")
#: An inline code span: a run of backticks not escaped, and the same run closing it (CommonMark).
CODE_SPAN = re.compile(r"(?<!\\)(?:\\\\)*(`+)(.+?)(?<!`)\1(?!`)", re.S)
LINK_TARGET = re.compile(r"\]\([^)]*\)|\]\[[^\]]*\]|<[a-z]+://[^>]*>")
LETTER = re.compile(r"[^\W\d_]")
#: arithmatex's math inside a text: $$…$$, $…$ (no space inside the dollars) and \(…\).
MATH = re.compile(r"\$\$.+?\$\$|\\\(.+?\\\)|(?<![\\$])\$(?![\s$])[^$]+?(?<![\s\\])\$(?!\d)", re.S)
#: \[…\] and \begin{env}…\end{env} are math only as a block of their own (arithmatex's block
#: pattern): in a sentence or a table cell, ``\[string\]`` is escaped brackets around a word.
BLOCK_MATH = re.compile(r"\s*(?:\\\[.+?\\\]|\\begin\{([a-z]+\*?)\}.+?\\end\{\1\})\s*", re.S)
ATX_CLOSING = re.compile(r"\s+#+$")


@dataclass(frozen=True, slots=True)
class Region:
    """A slice of the page text: from (line, column) to (end_line, end_column)."""

    line: int
    column: int
    end_line: int
    end_column: int

    # Regions, segments and heading ids are pickled by the thousand (the segment cache, the
    # pages the segmenting workers send back); the generic __setstate__ of a dataclass with
    # slots looks its fields up for every object, which is slower than this.
    def __reduce__(self) -> tuple[type, tuple[int, int, int, int]]:
        return Region, (self.line, self.column, self.end_line, self.end_column)


@dataclass(frozen=True, slots=True)
class Segment:
    """One occurrence of a message in a page."""

    text: str
    kind: str
    region: Region
    #: For multi-line paragraphs: the container prefix of each later line.
    continuation: tuple[str, ...] = ()
    comment: str = ""

    @property
    def lineno(self) -> int:
        return self.region.line + 1

    def __reduce__(self) -> tuple[type, tuple[str, str, Region, tuple[str, ...], str]]:
        return Segment, (self.text, self.kind, self.region, self.continuation, self.comment)


@dataclass(frozen=True)
class Page:
    path: str
    source: str
    meta: dict[str, Any]
    segments: tuple[Segment, ...]
    #: Each heading's first and last line (a setext heading has two): the build names them
    #: after the English page's (``anchors.py``).
    headings: tuple[tuple[int, int], ...] = ()
    #: Lines of text for readers that are in no message (syntax the segmenter does not know):
    #: they stay English in every language, and ``check`` and ``stats`` say where.
    unextracted: tuple[int, ...] = ()
    #: Admonitions, details and ``///`` admonition blocks that have no title of their own: each
    #: (line, column after the type, the default title the extension shows, how a title is written
    #: there).  A translated page writes the reader's word there (``translate.Notices.titles``);
    #: where no title can be written ("" ), the build puts it into the box's title element.
    untitled: tuple[tuple[int, int, str, str], ...] = ()
    #: Line index of the closing ``---`` of the front matter, or None.
    front_matter_end: int | None = None
    lines: tuple[str, ...] = field(default=(), repr=False)

    @cached_property
    def _messages(self) -> dict[str, list[Segment]]:
        found: dict[str, list[Segment]] = {}
        for segment in self.segments:
            found.setdefault(segment.text, []).append(segment)
        return found

    def messages(self) -> dict[str, list[Segment]]:
        """Message text → its occurrences, in order of first appearance."""
        return self._messages


def segment_page(
    source: str, path: str = "<page>", extensions: Iterable[str] = KNOWN_EXTENSIONS
) -> Page:
    """Parse *source* (a Markdown page) into its translation units."""
    source = source.replace("\r\n", "\n")
    lines = tuple(source.split("\n"))
    multimarkdown = _multimarkdown_meta(lines)
    extensions = frozenset(extensions)
    markers, titles, tabs = _marker_lines(lines)
    callouts: list[tuple[int, int, str, str]] = []
    if "callouts" in extensions and "[!" in source:
        callouts = _callout_lines(lines, markers, titles)
    if "github_callouts" in extensions and "[!" in source:
        for number, line in _outside_fences(lines):
            if (found := _GITHUB_CALLOUT.match(line)) is not None:
                markers.add(number)
                # No title can be written after the marker: "" asks the build to give the box's
                # title element the reader's word (``translate.Notices.titles``).
                callouts.append((number, len(line), found.group(1).title(), ""))
    if "md_in_html" in extensions and "markdown" in source:
        markers |= _markdown_html_lines(lines)
    # MultiMarkdown meta (what MkDocs reads as meta when a page has no "---" block) and the
    # lines of pymdownx's block syntax are not text for readers: they are left out of the
    # parse (a blank line in their place, so positions stay) and kept in the page as written.
    # A tab's marker stays in the parse when tabbed is on: it opens the tab's indented body.
    hidden = set(range(len(multimarkdown))) | (markers - tabs if "tabbed" in extensions else markers)
    parsed = "\n".join("" if number in hidden else line for number, line in enumerate(lines)) if hidden else source
    if "fancylists" in extensions:
        parsed = _FANCY_MARKER.sub(_as_number, parsed)
    tokens = _parser(extensions).parse(parsed)
    meta, segments, front_matter_end = _front_matter(tokens, lines, path)
    segments.extend(titles)
    if multimarkdown:
        meta = dict(multimarkdown)
    walker = _Walker(lines, path, "note_callouts" in extensions, "hardbreak" in extensions)
    walker.walk(tokens)
    segments.extend(walker.segments)
    segments.sort(key=lambda s: (s.region.line, s.region.column))
    return Page(
        path=path,
        source=source,
        meta=meta,
        segments=tuple(segments),
        headings=tuple(walker.headings),
        front_matter_end=front_matter_end,
        lines=lines,
        untitled=untitled_blocks(lines, tokens, extensions) + tuple(callouts) + tuple(walker.untitled),
        unextracted=unextracted_lines(lines, tokens, segments, hidden | markers, front_matter_end),
    )


#: MkDocs' reading of MultiMarkdown meta (mkdocs.utils.meta): "key: value" lines at the top,
#: continued by lines indented four spaces, ended by a blank line.
_MMD_META = re.compile(r"^[ ]{0,3}([A-Za-z0-9_-]+):\s*(.*)$")
_MMD_MORE = re.compile(r"^[ ]{4,}(.*)$")


def _multimarkdown_meta(lines: tuple[str, ...]) -> list[tuple[str, str]]:
    """The MultiMarkdown meta fields at the top of a page, one per line they take ([] if none)."""
    if not lines or not _MMD_META.match(lines[0]):
        return []
    found: list[tuple[str, str]] = []
    for line in lines:
        if not line.strip():
            break
        if (field := _MMD_META.match(line)) is not None:
            found.append((field.group(1).lower(), field.group(2).strip()))
        elif (more := _MMD_MORE.match(line)) is not None and found:
            found.append((found[-1][0], f"{found[-1][1]} {more.group(1).strip()}"))
        else:
            break  # as MkDocs: the meta ends here, the rest is the page
    return found


#: pymdownx's line-based syntax.  A marker line stays as the author wrote it; only its title (a
#: tab's label, a block's text after "|") is a message.  Tabs: === "Title" (tabbed); blocks:
#: /// type | Title … /// (blocks); snippets: --8<-- "file.md"; mkdocstrings: ::: module.name.
_TAB_MARKER = re.compile(r'^(?:[ \t]*>?)*[ \t]*===[+!]*[ \t]+"(?P<title>(?:[^"\\]|\\.)*)"[ \t]*$')
_BLOCK_MARKER = re.compile(
    r"^(?:[ \t]*>?)*[ \t]*/{3,}(?:[ \t]*(?P<name>[\w-]+)(?:[ \t]*\|[ \t]*(?P<title>.*?))?)?[ \t]*$")
#: Blocks whose argument (after "|") is not a title: an element selector, a caption's number,
#: fancylists' options (``/// fancylists | type=a start=9``).
_UNTITLED_BLOCKS = frozenset({"html", "caption", "figure-caption", "table-caption", "define", "fancylists"})
#: mkdocstrings' ``::: ident`` may be written as a heading (``# ::: ident``: the level of its heading).
_VERBATIM_MARKER = re.compile(r"^(?:[ \t]*>?)*[ \t]*(?:-{2,}8<-{2,}|(?:\#{1,6}[ \t]*)?:::[ \t]+\S)")
_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")


def _outside_fences(lines: Iterable[str]) -> Iterator[tuple[int, str]]:
    """The numbered lines outside fenced code (and not its fence lines): there syntax is shown, not read."""
    fence = ""
    for number, line in enumerate(lines):
        opened = _FENCE.match(line)
        if fence:
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                fence = ""
        elif opened:
            fence = opened.group(1)
        else:
            yield number, line


def _marker_lines(lines: tuple[str, ...]) -> tuple[set[int], list[Segment], set[int]]:
    """The lines of pymdownx block syntax (outside fenced code), their titles as messages, and
    which of the lines are tab markers."""
    markers: set[int] = set()
    tabs: set[int] = set()
    titles: list[Segment] = []
    fence = ""
    include_block = False  # inside --8<-- … --8<--: file names, not text
    for number, line in enumerate(lines):
        include = INCLUDE_LINE.match(line)
        if include_block or (include is not None and not include.group("escape")):
            markers.add(number)
            include_block ^= include is not None and include.group("block") is not None
            continue
        if is_section_line(line):
            markers.add(number)  # snippets removes it before Markdown reads the page
            continue
        opened = _FENCE.match(line)
        if fence:
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                fence = ""
            continue
        if opened:
            fence = opened.group(1)
            continue
        found = _TAB_MARKER.match(line) or _BLOCK_MARKER.match(line)
        if found is None and not _VERBATIM_MARKER.match(line):
            continue
        markers.add(number)
        if found is not None and found.re is _TAB_MARKER:
            tabs.add(number)
        raw = found.group("title") if found is not None else None
        if found is not None and found.re is _BLOCK_MARKER and found.group("name") in _UNTITLED_BLOCKS:
            raw = None
        if raw and raw.strip() and is_translatable(raw):
            title = raw.strip()
            start = found.start("title") + len(raw) - len(raw.lstrip())
            titles.append(Segment(title, "title", Region(number, start, number, start + len(title))))
    return markers, titles, tabs


#: pymdownx.fancylists' list markers: roman numerals, letters and "#", then "." or ")".  An
#: upper-case letter with "." (a one-letter numeral too: "I.") needs two spaces after it
#: (fancylists: "B. Smith" is a paragraph).
_FANCY_MARKER = re.compile(
    r"^(?P<lead>[ \t>]*)(?P<label>[ivxlcdm]+|[IVXLCDM]{2,}|#|[a-z]|[A-Z](?=\.[ ]{2}|\.\t|\)))(?P<end>[.)])(?=[ \t]|$)",
    re.M)


def _as_number(match: re.Match[str]) -> str:
    """The marker as a number of the same width, so markdown-it reads the item where fancylists
    does and every column after it stays (only the parse sees this; the page keeps its marker)."""
    return match.group("lead") + "1" * len(match.group("label")) + match.group("end")


#: pymdownx.quotes' callout (``callouts: true``): ``> [!type]`` (``+``/``-``: a details block), then
#: an optional title, on the first line of a block quote.  pymdownx makes the title a paragraph of
#: its own, so it is a message of its own; the line itself is kept as written.
_CALLOUT = re.compile(r"^(?:[ \t]*>)*[ \t]*> *\[!(?P<type>[\w-]+(?: *\| *[\w-]+)*)\][-+]?(?P<title>.*?)[ \t]*$")


#: markdown-callouts' GitHub syntax (``github-callouts``): ``> [!NOTE]`` alone on the first line of
#: a block quote, the text on the lines after it.  The line is the callout's syntax, kept as
#: written (a translation that joined it to the text would end the callout); its box shows the
#: type as its title, which this syntax cannot replace in Markdown.
_GITHUB_CALLOUT = re.compile(r"^ {0,3}> *\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\] *$", re.I)


def _quote_depth(line: str) -> int:
    """How many block quotes the line's ">" markers open."""
    return line[: len(line) - len(line.lstrip(" \t>"))].count(">")


def _callout_lines(lines: tuple[str, ...], markers: set[int],
                   titles: list[Segment]) -> list[tuple[int, int, str, str]]:
    """Adds the callout lines to *markers* and their titles to *titles*; returns the callouts
    without a title (``Page.untitled``): pymdownx shows the type, capitalized, as their title."""
    untitled = []
    for number, line in _outside_fences(lines):
        if "[!" not in line or (found := _CALLOUT.match(line)) is None:
            continue
        # Only the first line of a block quote: after a blank line or a line of fewer ">" (a quote
        # interrupts a paragraph, a block's marker line, or an outer quote's line); a line as deep
        # before it continues the same quote (its paragraph, or a lone ">" between two of them).
        before = lines[number - 1] if number else ""
        if before.strip() and _quote_depth(before) >= _quote_depth(line):
            continue
        markers.add(number)
        raw = found.group("title")
        if raw.strip():
            if is_translatable(raw):
                title = raw.strip()
                start = found.start("title") + len(raw) - len(raw.lstrip())
                titles.append(Segment(title, "title", Region(number, start, number, start + len(title))))
        else:
            kind = found.group("type").split("|")[0].strip()
            untitled.append((number, found.start("title"), kind.title(), " {}"))
    return untitled


#: An admonition (``!!!``) or details (``???``, ``???+``) opener without a quoted title; a ``///``
#: block of one of pymdownx.blocks.admonition's default types without ``| title``.
_UNTITLED_OPENER = re.compile(r"^(?:[ \t]*>)*[ \t]*(?P<marker>!!!|\?\?\?\+?) ?(?P<type>[\w-]+(?: +[\w-]+)*) *$")
_UNTITLED_BLOCK = re.compile(r"^(?:[ \t]*>)*[ \t]*/{3,}[ \t]*(?P<type>[\w-]+)[ \t]*$")
#: An extension name standing for a type the site gives pymdownx.blocks.admonition (``types:``),
#: as ``project.extension_names`` writes it: "blocks.admonition:question".
BLOCK_TYPE = "blocks.admonition:"
BLOCK_ADMONITIONS = frozenset({"note", "attention", "caution", "danger", "error", "tip", "hint", "warning",
                               "important"})


def untitled_blocks(lines: tuple[str, ...], tokens: list[Token],
                    extensions: frozenset[str]) -> tuple[tuple[int, int, str, str], ...]:
    """Where the page shows an extension's default title (see ``Page.untitled``): the openers the
    parse found, never a line of a code example."""
    code: set[int] = set()
    openers: set[int] = set()
    for token in tokens:
        if token.map is not None and token.type in ("fence", "code_block", "html_block"):
            code.update(range(*token.map))
        elif token.map is not None and token.type == "admonition_open":
            openers.add(token.map[0])
    found = []
    blocks = "///" in "".join(lines)
    for number, line in enumerate(lines):
        if number in code or not (number in openers or (blocks and line.lstrip(" \t>").startswith("///"))):
            continue
        if number in openers and (match := _UNTITLED_OPENER.match(line)) is not None:
            wanted = "admonition" if match.group("marker") == "!!!" else "details"
            if wanted in extensions:
                # As Python-Markdown and pymdownx.details: the first class, capitalized.
                title = match.group("type").lower().split(" ", 1)[0].capitalize()
                found.append((number, match.end("type"), title, ' "{}"'))
        elif (match := _UNTITLED_BLOCK.match(line)) is not None and (
                match.group("type") in BLOCK_ADMONITIONS or BLOCK_TYPE + match.group("type") in extensions):
            title = re.sub(r"[_-]+", " ", match.group("type")).title()  # as pymdownx.blocks.admonition
            found.append((number, match.end("type"), title, " | {}"))
    return tuple(found)


#: md_in_html: an HTML tag alone on its line whose ``markdown`` attribute (``markdown``,
#: ``markdown="1"``, ``"block"``, ``"span"``) asks Python-Markdown to read what it holds as Markdown.
_MARKDOWN_TAG = re.compile(
    r"""^[ ]{0,3}<([A-Za-z][\w-]*)\b[^<>]*?\smarkdown(?:\s*=\s*(?:(["']?)(?:1|block|span)\2))?(?=[\s/>])[^<>]*>\s*$""")


def _markdown_html_lines(lines: tuple[str, ...]) -> set[int]:
    """The lines of md_in_html's tags around Markdown (opening tag and its closing tag, each
    alone on its line): kept as written, while the Markdown between them is segmented."""
    found: set[int] = set()
    open_tags: list[list[Any]] = []  # [tag name, how many of its elements are open]
    for number, line in _outside_fences(lines):
        for entry in open_tags:
            opens = len(re.findall(rf"<{entry[0]}\b(?![^<>]*/>)", line, re.I))
            entry[1] += opens - len(re.findall(rf"</{entry[0]}\s*>", line, re.I))
        if open_tags and open_tags[-1][1] <= 0:
            if re.fullmatch(rf"\s*</{open_tags[-1][0]}\s*>\s*", line, re.I):
                found.add(number)
            open_tags.pop()
            continue
        tag = _MARKDOWN_TAG.match(line)
        if tag is not None:
            found.add(number)
            open_tags.append([tag.group(1), 1])
    return found


#: Lines with letters that are not text for readers: admonition and details openers, definitions
#: of abbreviations, links and footnotes, attribute lists, comments, table delimiter rows.
_NOT_PROSE = re.compile(r"^\s*(?:[!?]{3}|\*\[|\[\^?[^\]]*\]:|\{:?[^}]*\}\s*$|<!--|-->|\|?[\s:|-]+\|?\s*$)")
_TAG = re.compile(r"<[^>]*>")
_ATTRIBUTE_LIST = re.compile(r"\{:?[^{}]*\}")


def unextracted_lines(lines: tuple[str, ...], tokens: list[Token], segments: list[Segment], hidden: set[int],
                      front_matter_end: int | None) -> tuple[int, ...]:
    """Lines with words for readers that no message covers (see ``Page.unextracted``).

    Code is not prose, except an indented block right after a pymdownx marker or a ``???``
    opener: that is a tab's or a details block's body, which CommonMark reads as code.
    """
    covered = set(hidden) | set(range((front_matter_end or -1) + 1))
    for segment in segments:
        covered.update(range(segment.region.line, segment.region.end_line + 1))
    for token in tokens:
        if token.type == "inline":
            if token.map is not None and token.map[0] not in covered and not is_translatable(token.content, True):
                covered.update(range(*token.map))  # only code, links, numbers or math: no words
            continue
        if token.map is None or token.type not in ("fence", "code_block", "html_block"):
            continue
        first, end = token.map
        if token.type == "html_block" and LETTER.search(_TAG.sub(" ", token.content)) \
                and not token.content.lstrip().startswith(("<!--", "<style", "<script")):
            continue  # prose inside raw HTML: not a message
        before = next((n for n in range(first - 1, -1, -1) if lines[n].strip()), None)
        # (Indented lines after a /// block's first line are its YAML options, not prose.)
        body_of_marker = token.type == "code_block" and before is not None and (
            _TAB_MARKER.match(lines[before]) is not None or lines[before].lstrip().startswith("???"))
        if not body_of_marker:
            covered.update(range(first, end))
    return tuple(number for number, line in enumerate(lines)
                 if number not in covered and not _NOT_PROSE.match(line)
                 and is_translatable(_ATTRIBUTE_LIST.sub(" ", _TAG.sub(" ", line))))


def is_backslash_break(line: str) -> bool:
    """True when *line* ends with an escaping backslash (an odd run): with escapeall's
    ``hardbreak``, that escapes the line's end, a hard break (``<br>``)."""
    return line.endswith("\\") and (len(line) - len(line.rstrip("\\"))) % 2 == 1


def line_break(line: str) -> str:
    """How a hard break is written after *line* of a message: escapeall's escaped newline is
    kept as the message writes it, any other as two trailing spaces."""
    return "\n" if is_backslash_break(line) else "  \n"


def is_translatable(text: str, block: bool = False) -> bool:
    """True when the text has words to translate (not only code, links, numbers or math); a
    *block* (a paragraph) may be a math block."""
    # Each pattern only where its first character is: most texts have none of them.
    if "`" in text:
        text = CODE_SPAN.sub(" ", text)
    if block and "\\" in text and BLOCK_MATH.fullmatch(text):
        return False
    if "$" in text or "\\" in text:
        text = MATH.sub(" ", text)
    if "]" in text or "<" in text:
        text = LINK_TARGET.sub("]", text)
    if "<" in text:
        text = HTML_TAG.sub(" ", text)
    return bool(LETTER.search(text))


@lru_cache(maxsize=8)
def _parser(extensions: frozenset[str]) -> MarkdownIt:
    md = MarkdownIt("commonmark").use(front_matter_plugin)
    # Python-Markdown has no setext-free mode, no autolinks without <>, and treats
    # lines of 4-space indentation under admonitions/footnotes as content, which
    # the plugins below reproduce.
    if "tables" in extensions:
        md.block.ruler.before("table", "pymd_table", _table_rule, {"alt": []})
    if "admonition" in extensions or "details" in extensions:
        md.use(admon_plugin)  # !!! and ??? / ???+ (details) alike: a title, then an indented body
    if "tabbed" in extensions:
        md.block.ruler.before("code", "tab", _tab_rule,
                              {"alt": ["paragraph", "reference", "blockquote", "list"]})
    if "def_list" in extensions:
        md.use(deflist_plugin)
    if "footnotes" in extensions:
        md.use(footnote_plugin)
    if "abbr" in extensions:
        md.block.ruler.before(
            "reference", "abbr_definition", _abbr_rule, {"alt": ["paragraph", "reference"]}
        )
    # Segments are blocks: inline parsing (half the time) is done only where needed.  Without
    # it no footnote is "referenced", so footnote definitions are kept where they are written.
    md.core.ruler.disable(["inline", *(["footnote_tail"] if "footnotes" in extensions else [])])
    return md


@lru_cache(maxsize=1)
def _inline_parser() -> MarkdownIt:
    return MarkdownIt("commonmark")


_TAB_OPENER = re.compile(r'===[+!]*[ \t]+"(?:[^"\\]|\\.)*"[ \t]*$')


def _tab_rule(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """Block rule: a ``=== "Label"`` tab (pymdownx.tabbed) and its body, the lines indented four
    more columns than the marker (also after blank lines), read as Markdown as pymdownx does."""
    if state.sCount[start_line] - state.blkIndent >= 4:
        return False
    begin = state.bMarks[start_line] + state.tShift[start_line]
    if not _TAB_OPENER.match(state.src, begin, state.eMarks[start_line]):
        return False
    if silent:
        return True
    indent = state.sCount[start_line] + 4
    end = next_line = start_line + 1
    while next_line < end_line:
        if not state.isEmpty(next_line):
            if state.sCount[next_line] < indent:
                break
            end = next_line + 1
        next_line += 1
    saved = state.parentType, state.lineMax, state.blkIndent
    token = state.push("tab_open", "div", 1)
    token.map = [start_line, end]
    state.parentType, state.lineMax, state.blkIndent = "tab", end, indent  # type: ignore[assignment]
    state.md.block.tokenize(state, start_line + 1, end)
    state.push("tab_close", "div", -1)
    state.parentType, state.lineMax, state.blkIndent = saved
    state.line = end
    return True


def _abbr_rule(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """Block rule: one ``*[ABBR]: expansion`` line (Python-Markdown's abbr extension)."""
    begin = state.bMarks[start_line] + state.tShift[start_line]
    line = state.src[begin : state.eMarks[start_line]]
    if state.sCount[start_line] - state.blkIndent >= 4 or not ABBR_DEFINITION.match(line):
        return False
    if silent:
        return True
    token = state.push("abbr_definition", "", 0)
    token.map = [start_line, start_line + 1]
    token.content = line.strip()
    state.line = start_line + 1
    return True


TABLE_DELIMITER_CELL = re.compile(r"^\s*:?-+:?\s*$")


def _table_rule(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """Block rule: a table as Python-Markdown's tables extension reads one.

    Unlike GFM, the header may have any number of cells, pipes inside code spans
    do not split cells, and a table never interrupts a paragraph.
    """
    if start_line + 1 >= end_line or state.sCount[start_line] - state.blkIndent >= 4:
        return False

    def row(number: int) -> str:
        return state.src[state.bMarks[number] + state.tShift[number] : state.eMarks[number]]

    header, delimiter = row(start_line), row(start_line + 1)
    if "|" not in header or ("|" not in delimiter and "-" not in delimiter):
        return False
    cells = [delimiter[a:b] for a, b in _table_cells(delimiter)]
    if not cells or not all(TABLE_DELIMITER_CELL.match(cell) for cell in cells):
        return False
    if silent:
        return True
    number = start_line + 2
    while number < end_line and not state.isEmpty(number) and state.sCount[number] >= state.blkIndent:
        number += 1
    token = state.push("table_open", "table", 1)
    token.map = [start_line, number]
    state.push("table_close", "table", -1)
    state.line = number
    return True


def _check_size(root: yaml.Node | None, path: str, first_line: int) -> None:
    """Refuse a front matter whose aliases repeat more than a little (each alias is a node
    met again; the count is of nodes as they would be built, each alias expanded)."""
    sizes: dict[int, int] = {}
    aliases = 0

    def size(node: yaml.Node) -> int:
        nonlocal aliases
        if id(node) in sizes:
            aliases += 1
            if aliases > MAX_ALIASES:
                raise SiteGenError(path, first_line + node.start_mark.line,
                                   f"front matter uses more than {MAX_ALIASES} YAML aliases (*name)",
                                   "write the values out: front matter needs no anchors (&) or aliases (*)")
            return sizes[id(node)]
        sizes[id(node)] = 1  # a node inside itself counts once
        children: list[yaml.Node] = []
        if isinstance(node, yaml.SequenceNode):
            children = node.value
        elif isinstance(node, yaml.MappingNode):
            children = [part for pair in node.value for part in pair]
        total = 1 + sum(size(child) for child in children)
        if total > MAX_NODES:
            raise SiteGenError(path, first_line + node.start_mark.line,
                               f"front matter expands to more than {MAX_NODES:,} values",
                               "write the values out: front matter needs no anchors (&) or aliases (*)")
        sizes[id(node)] = total
        return total

    if root is not None:
        size(root)


_TIMESTAMP = "tag:yaml.org,2002:timestamp"


def _check_dates(root: yaml.Node | None, path: str, first_line: int) -> None:
    """Dates that do not exist (2026-02-30) or fall outside ``DATE_YEARS``, named by their line
    (PyYAML would raise a bare ValueError while building the page's fields)."""
    if not isinstance(root, yaml.MappingNode):
        return
    for key_node, value_node in root.value:
        if not isinstance(value_node, yaml.ScalarNode) or value_node.tag != _TIMESTAMP:
            continue
        line = first_line + value_node.start_mark.line
        try:
            value = yaml.SafeLoader.construct_yaml_timestamp(yaml.SafeLoader(""), value_node)
        except (ValueError, OverflowError):
            raise SiteGenError(path, line, f"'{key_node.value}' is not a real date: {value_node.value}",
                               "write a date that exists, as YYYY-MM-DD") from None
        first, last = DATE_YEARS.get(key_node.value, (1, 9999))
        if not first <= value.year <= last:
            raise SiteGenError(path, line, f"'{key_node.value}' is in the year {value.year}, outside "
                               f"{first}-{last}", "check the year: write the date as YYYY-MM-DD")


def _front_matter(
    tokens: list[Token], lines: tuple[str, ...], path: str
) -> tuple[dict[str, Any], list[Segment], int | None]:
    if not tokens or tokens[0].type != "front_matter" or not tokens[0].map:
        return {}, [], None
    start, end = tokens[0].map
    body = tokens[0].content
    try:
        try:
            node = yaml.compose(body, Loader=SAFE_LOADER)
        except yaml.YAMLError:
            # PyYAML's own parser names the line of the problem more precisely than libyaml.
            node = yaml.compose(body, Loader=yaml.SafeLoader)
        _check_size(node, path, start + 2)  # before anything is built from it
        _check_dates(node, path, start + 2)
        meta = yaml.load(body, Loader=SAFE_LOADER) if node is not None else {}  # a safe loader
    except (ValueError, OverflowError) as error:  # a value PyYAML recognises but cannot build
        raise SiteGenError(path, start + 2, f"front matter has a value that cannot be read: {error}",
                           "check the dates (YYYY-MM-DD, a day that exists) and numbers") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        line = start + 2 + (mark.line if mark else 0)
        problem = getattr(error, "problem", None) or str(error)
        raise SiteGenError(
            path, line, f"front matter is not valid YAML: {problem}",
            "check quoting: a value containing ': ' or starting with a quote must be quoted",
        ) from None
    if meta is None:
        meta = {}
    if not isinstance(meta, dict) or not isinstance(node, yaml.MappingNode):
        raise SiteGenError(path, start + 2, "front matter must be a set of 'key: value' lines",
                           "write one 'key: value' per line between the two '---' lines")
    for key_node, _ in node.value:
        if key_node.value == RESERVED_KEY:
            raise SiteGenError(path, start + 2 + key_node.start_mark.line,
                               f"front matter key '{RESERVED_KEY}' is reserved for the facts site_gen writes",
                               f"rename the key, or remove it ('{RESERVED_KEY}' is filled in by the build)")
    segments = []
    for key_node, value_node in node.value:
        if key_node.value == CHANGE_NOTES_FIELD:
            segments += _change_notes(value_node, start)
            continue
        if key_node.value not in READER_FIELDS:
            continue
        if not isinstance(value_node, yaml.ScalarNode) or not isinstance(meta.get(key_node.value), str):
            raise SiteGenError(
                path, start + 2 + key_node.start_mark.line,
                f"front matter field '{key_node.value}' must be text",
                f"write it as one line of text in quotes: {key_node.value}: \"…\"",
            )
        text = " ".join(meta[key_node.value].split())
        if not text:
            continue
        region = Region(
            start + 1 + value_node.start_mark.line,
            value_node.start_mark.column,
            start + 1 + value_node.end_mark.line,
            value_node.end_mark.column,
        )
        segments.append(Segment(text=text, kind=f"meta:{key_node.value}", region=region))
    return meta, segments, end - 1


def _change_notes(node: yaml.Node, start: int) -> list[Segment]:
    """The ``note`` of each entry of a page's ``changes`` list (see ``history.py``); a list of
    another shape is left to the checks, which name its problem."""
    segments = []
    for item in node.value if isinstance(node, yaml.SequenceNode) else []:
        for key, value in item.value if isinstance(item, yaml.MappingNode) else []:
            if key.value == "note" and isinstance(value, yaml.ScalarNode) and value.tag.endswith(":str") \
                    and value.value.strip():
                region = Region(start + 1 + value.start_mark.line, value.start_mark.column,
                                start + 1 + value.end_mark.line, value.end_mark.column)
                segments.append(Segment(text=" ".join(value.value.split()), kind="meta:changes", region=region))
    return segments


class _Walker:
    """Turns markdown-it tokens into segments, one small rule per token type."""

    def __init__(self, lines: tuple[str, ...], path: str, note_callouts: bool = False,
                 backslash_breaks: bool = False) -> None:
        self.lines = lines
        self.path = path
        self.note_callouts = note_callouts
        self.backslash_breaks = backslash_breaks
        self.segments: list[Segment] = []
        self.headings: list[tuple[int, int]] = []
        self.untitled: list[tuple[int, int, str, str]] = []
        self.comment = ""

    def walk(self, tokens: list[Token]) -> None:
        block_stack: list[str] = []
        for index, token in enumerate(tokens):
            if token.nesting == 1:
                block_stack.append(token.type)
            elif token.nesting == -1:
                block_stack.pop()
            if token.type == "html_block":
                match = TRANSLATOR_COMMENT.match(token.content.strip())
                self.comment = match.group(1) if match else self.comment
            elif token.type == "table_open":
                self._table(token)
            elif token.type == "abbr_definition":
                self._single_line(token, "abbr")
            elif token.type == "inline" and "table_open" not in block_stack:
                parent = tokens[index - 1].type if index else ""
                if parent == "heading_open":
                    self._heading(token)
                elif parent == "admonition_title_open":
                    self._admonition_title(token)
                elif parent == "dt_open":
                    self._single_line(token, "term")
                else:
                    self._paragraph(token)

    def _add(self, segment: Segment) -> None:
        if not is_translatable(segment.text, segment.kind == "paragraph"):
            return
        if self.comment:
            segment = Segment(
                segment.text, segment.kind, segment.region, segment.continuation, self.comment
            )
            self.comment = ""
        self.segments.append(segment)

    def _fail(self, line: int, what: str) -> SiteGenError:
        return SiteGenError(
            self.path, line + 1, f"cannot locate the {what} in the source line",
            "simplify the markup on this line and report the case to the site_gen maintainers",
        )

    def _locate(
        self, token: Token, what: str, closing: re.Pattern[str] | None = None
    ) -> tuple[str, Region, tuple[str, ...]]:
        """The folded text of an inline token, its region and continuation prefixes.

        Soft line breaks fold to one space, so re-wrapping a paragraph keeps its
        message; hard breaks (two trailing spaces, or escapeall's backslash at the end of the
        line when its ``hardbreak`` is on) stay as a newline, the backslash in the message.
        """
        assert token.map is not None
        first = token.map[0]
        content_lines = token.content.split("\n")
        pieces: list[str] = []
        prefixes: list[str] = []
        start_column = end_column = 0
        for offset, content in enumerate(content_lines):
            number = first + offset
            if number >= len(self.lines):
                raise self._fail(first, what)
            source = self.lines[number].rstrip()
            if closing is not None:
                source = closing.sub("", source).rstrip()
            text = content.strip()
            if not source.endswith(text):
                raise self._fail(number, what)
            column = len(source) - len(text)
            if offset == 0:
                start_column = column
            else:
                prefixes.append(self.lines[number][:column])
                before = self.lines[number - 1]
                pieces.append("\n" if before.endswith("  ") or (
                    self.backslash_breaks and is_backslash_break(before)) else " ")
            pieces.append(text)
            end_column = len(source)
        last = first + len(content_lines) - 1
        return "".join(pieces), Region(first, start_column, last, end_column), tuple(prefixes)

    def _paragraph(self, token: Token) -> None:
        assert token.map is not None
        image = _lone_image_alt(token)
        if image is not None:
            number = token.map[0]
            column = self.lines[number].find(image)
            if column >= 0:
                region = Region(number, column, number, column + len(image))
                self._add(Segment(" ".join(image.split()), "alt", region))
            return
        text, region, prefixes = self._locate(token, "paragraph")
        if self.note_callouts and (marker := NOTE_CALLOUT.match(text)) is not None:
            if not text[marker.end():].lstrip().startswith(("**", "__")) and text[marker.end():].strip():
                # markdown-callouts shows the type ("Note") unless the text opens with a bold title:
                # one written after the marker shows the reader's word in the same element.
                colon = region.column + len(marker.group(0).rstrip())
                self.untitled.append((region.line, colon, marker.group(0).rstrip()[:-1].title(), " **{}**"))
            text, region, prefixes = _after_callout_marker(text, region, prefixes, marker, self.lines)
        self._add(Segment(text, "paragraph", region, prefixes))

    def _single_line(self, token: Token, kind: str) -> None:
        text, region, prefixes = self._locate(token, kind)
        self._add(Segment(text, kind, region, prefixes))

    def _heading(self, token: Token) -> None:
        assert token.map is not None
        first, last = token.map[0], max(token.map[0], token.map[1] - 1)
        if last == first and last + 1 < len(self.lines) and SETEXT_UNDERLINE.match(self.lines[last + 1]) \
                and not self.lines[first].lstrip(" \t>").startswith("#"):
            last += 1  # a setext heading's underline
        self.headings.append((first, last))
        text, region, prefixes = self._locate(token, "heading", ATX_CLOSING)
        attrs = HEADING_ATTRS.search(text)
        if attrs:
            text = text[: attrs.start()]
            end_column = region.end_column - (attrs.end() - attrs.start())
            region = Region(region.line, region.column, region.end_line, end_column)
        self._add(Segment(text, "heading", region, prefixes))

    def _admonition_title(self, token: Token) -> None:
        assert token.map is not None
        number = token.map[0]
        line = self.lines[number]
        quoted = f'"{token.content}"'
        column = line.find(quoted)
        if column < 0 or not token.content.strip():
            return  # The default title comes from the type name, not from the page.
        region = Region(number, column + 1, number, column + 1 + len(token.content))
        self._add(Segment(token.content.strip(), "title", region))

    def _table(self, token: Token) -> None:
        assert token.map is not None
        first, last = token.map
        for number in range(first, last):
            if number == first + 1:
                continue  # the |---|---| delimiter row
            for column, end in _table_cells(self.lines[number]):
                text = self.lines[number][column:end]
                if text:
                    self._add(Segment(text, "cell", Region(number, column, number, end)))


#: markdown-callouts' marker at the start of a paragraph (``NOTE: text``, ``> WARNING:`` and the
#: text on the next line): the type stays as written, as an admonition's ``!!! warning`` does.
NOTE_CALLOUT = re.compile(r"[A-Z]{2,}:(?:[ \n]|$)")


def _after_callout_marker(text: str, region: Region, prefixes: tuple[str, ...], marker: re.Match[str],
                          lines: tuple[str, ...]) -> tuple[str, Region, tuple[str, ...]]:
    """The paragraph's text, region and continuation prefixes without the callout's marker."""
    rest = text[marker.end():]
    if lines[region.line][region.column + len(marker.group(0).rstrip()):].strip():
        # The text goes on on the marker's line.
        column = region.column + marker.end()
        column += len(lines[region.line][column:]) - len(lines[region.line][column:].lstrip())
        return rest, Region(region.line, column, region.end_line, region.end_column), prefixes
    if not prefixes:
        return "", region, ()  # a marker and no text: nothing to translate
    # "NOTE:" alone on its line: the text starts on the next one (folded to one space above).
    return rest, Region(region.line + 1, len(prefixes[0]), region.end_line, region.end_column), prefixes[1:]


def _lone_image_alt(token: Token) -> str | None:
    """The alt text of a paragraph that is only an image, else None."""
    content = token.content.strip()
    if not content.startswith("!["):
        return None
    inline = _inline_parser().parseInline(content)[0].children or []
    children = [c for c in inline if not (c.type == "text" and not c.content.strip())]
    if len(children) != 1 or children[0].type != "image":
        return None
    depth, index = 1, 2
    while index < len(content) and depth:
        char = content[index]
        if char == "\\":
            index += 2
            continue
        depth += {"[": 1, "]": -1}.get(char, 0)
        index += 1
    alt = content[2 : index - 1]
    return alt if alt.strip() else None


def _flatten(tokens: list[Token]) -> Iterator[Token]:
    for token in tokens:
        if token.type == "image":
            continue
        yield token
        if token.children:
            yield from _flatten(token.children)


def _table_cells(row: str) -> list[tuple[int, int]]:
    """Column ranges of the stripped cells of a table row, split as Python-Markdown does."""
    start = len(row) - len(row.lstrip(" \t>"))
    end = len(row.rstrip())
    if start < end and row[start] == "|":
        start += 1
    if end > start and row[end - 1] == "|" and (end < 2 or row[end - 2] != "\\"):
        end -= 1
    cells: list[tuple[int, int]] = []
    cell_start = index = start
    while index < end:
        char = row[index]
        if char == "\\":
            index += 2
            continue
        if char == "`":
            run = len(row[index:]) - len(row[index:].lstrip("`"))
            closing = re.compile(rf"(?<!`){'`' * run}(?!`)").search(row, index + run, end)
            if closing:
                index = closing.end()
                continue
            index += run
            continue
        if char == "|":
            cells.append((cell_start, index))
            cell_start = index + 1
        index += 1
    cells.append((cell_start, end))
    stripped = []
    for left, right in cells:
        text = row[left:right]
        lead = len(text) - len(text.lstrip())
        stripped.append((left + lead, left + len(text.rstrip())))
    return stripped
