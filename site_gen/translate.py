"""Stage 3: apply a language's translations to a segmented page.

Every message ends in exactly one state:

* translated - the translation is used;
* fuzzy - the English changed since it was translated: the *current English* is
  shown with a visible notice, never the stale translation;
* untranslated - the English is shown, marked ``lang="en"``.

The translated Markdown is the English page with each unit's region replaced,
so everything around the units is kept byte for byte.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from html import escape

from site_gen.entries import State, Translation
from site_gen.errors import SiteGenError
from site_gen.segment import Page, Region, Segment, line_break

#: The front-matter key under which per-page translation facts reach templates.
META_KEY = "site_gen"

#: Units that may hold inline HTML, and so can be wrapped in <span lang="en">.
INLINE_KINDS = frozenset({"paragraph", "heading", "cell", "term"})


@dataclass(frozen=True)
class Counts:
    """How many messages (and words of English) a page has in each state."""

    translated: int = 0
    fuzzy: int = 0
    untranslated: int = 0
    translated_words: int = 0
    fuzzy_words: int = 0
    untranslated_words: int = 0

    @property
    def total(self) -> int:
        return self.translated + self.fuzzy + self.untranslated

    @property
    def total_words(self) -> int:
        return self.translated_words + self.fuzzy_words + self.untranslated_words

    @property
    def percent(self) -> int:
        """Share of messages translated and up to date, rounded down."""
        return 100 if not self.total else self.translated * 100 // self.total

    def __add__(self, other: Counts) -> Counts:
        return Counts(*(a + b for a, b in zip(self.as_tuple(), other.as_tuple(), strict=True)))

    def as_tuple(self) -> tuple[int, ...]:
        return (
            self.translated, self.fuzzy, self.untranslated,
            self.translated_words, self.fuzzy_words, self.untranslated_words,
        )

    def as_dict(self) -> dict[str, int]:
        return {
            "translated": self.translated,
            "fuzzy": self.fuzzy,
            "untranslated": self.untranslated,
            "total": self.total,
            "percent": self.percent,
            "translated_words": self.translated_words,
            "fuzzy_words": self.fuzzy_words,
            "untranslated_words": self.untranslated_words,
            "total_words": self.total_words,
        }


@dataclass(frozen=True)
class Notices:
    """Reader-language text that the translate stage writes into pages."""

    fuzzy: str = "The English original changed; translation being updated."
    #: The default titles of admonitions and details ("Note", "Warning"…) → the reader's words.
    titles: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class TranslatedPage:
    markdown: str
    counts: Counts
    #: The language of the page's main text: the source language when nothing is translated.
    lang: str
    #: What the page's templates show: its main language and counts, and the caller's facts.
    #: They reach the build beside the page (``render/mkdocs/mkdocs_hooks.py``), never inside its Markdown.
    facts: dict[str, object] = field(default_factory=dict)


def count_states(page: Page, translations: Mapping[str, Translation]) -> Counts:
    return count_messages(page.messages(), translations)


def count_messages(texts: Iterable[str], translations: Mapping[str, Translation]) -> Counts:
    """How many of *texts* (and words of them) are translated, fuzzy or untranslated."""
    tally = {state: [0, 0] for state in State}
    for text in texts:
        entry = translations.get(text)
        state = entry.state if entry else State.UNTRANSLATED
        tally[state][0] += 1
        tally[state][1] += len(text.split())
    return Counts(
        tally[State.TRANSLATED][0], tally[State.FUZZY][0], tally[State.UNTRANSLATED][0],
        tally[State.TRANSLATED][1], tally[State.FUZZY][1], tally[State.UNTRANSLATED][1],
    )


def translate_page(
    page: Page,
    translations: Mapping[str, Translation] | None,
    lang: str,
    source_lang: str = "en",
    notices: Notices = Notices(),
    extra_meta: Mapping[str, object] | None = None,
) -> TranslatedPage:
    """The page in *lang*; with ``translations=None`` the source page itself, untouched.

    A translated page is the source with each translated message spliced into its region:
    every line-leading marker, indentation and blank line around the messages stays, and so
    does any syntax the segmenter does not know.  Headings keep their text's place too; the
    English ids reach them in the build (``heading_ids``), not through ``{#id}`` in the text.
    """
    if META_KEY in page.meta:
        raise SiteGenError(page.path, 1, f"front matter key '{META_KEY}' is reserved for site_gen")
    if translations is None:
        counts = Counts(translated=len(page.messages()),
                        translated_words=sum(len(t.split()) for t in page.messages()))
        facts = {"lang": lang, **counts.as_dict(), **(extra_meta or {})}
        return TranslatedPage(markdown=page.source, counts=counts, lang=lang, facts=facts)

    edits: list[tuple[Region, str]] = []
    for segment in page.segments:
        entry = translations.get(segment.text)
        state = entry.state if entry else State.UNTRANSLATED
        if state is State.TRANSLATED:
            assert entry is not None
            edits.append((segment.region, _fit(segment, entry.text, page)))
        else:
            edits.append((segment.region, _fallback(segment, state, source_lang, notices, page)))
    counts = count_states(page, translations)
    main_lang = lang if counts.translated else source_lang
    facts = {"lang": main_lang, **counts.as_dict(), **(extra_meta or {})}
    if counts.translated:
        written, built = _default_titles(page, dict(notices.titles))
        edits.extend(written)
        if built:
            facts["box_titles"] = built
    markdown = "\n".join(apply_edits(list(page.lines), edits))
    return TranslatedPage(markdown=markdown, counts=counts, lang=main_lang, facts=facts)


def _default_titles(page: Page, titles: Mapping[str, str]) -> tuple[list[tuple[Region, str]], dict[str, str]]:
    """An explicit title in the reader's language for each admonition or details block that shows
    its extension's English default ("Note"): the same element, with the translated words.  Where
    the syntax has no way to write a title (markdown-callouts' ``> [!NOTE]``), the English default
    → the reader's word, for the build to write into the box's title element."""
    edits, built = [], {}
    for line, column, english, written in page.untitled:
        title = " ".join(titles.get(english, "").split())
        if not title or title == english:
            continue
        if written:
            edits.append((Region(line, column, line, column), written.format(title)))
        else:
            built[english] = title
    return edits, built


def apply_edits(lines: list[str], edits: list[tuple[Region, str]]) -> list[str]:
    """Replace regions from the last to the first, so earlier positions stay valid."""
    for region, text in sorted(edits, key=lambda e: (e[0].line, e[0].column), reverse=True):
        head = lines[region.line][: region.column]
        tail = lines[region.end_line][region.end_column :]
        lines[region.line : region.end_line + 1] = (head + text + tail).split("\n")
    return lines


def _fit(segment: Segment, text: str, page: Page) -> str:
    """Shape a message's text for the place its unit occupies in the page."""
    if segment.kind.startswith("meta:"):
        # A JSON string is a valid YAML double-quoted scalar.
        return _yaml_json(" ".join(text.split()))
    if segment.kind == "cell":
        return escape_pipes(" ".join(text.split()))
    if segment.kind != "paragraph":
        return " ".join(text.split())
    parts = text.split("\n")
    first_prefix = page.lines[segment.region.line][: segment.region.column]
    default = segment.continuation[-1] if segment.continuation else re.sub(r"[^>\s]", " ", first_prefix)
    out = parts[0]
    for index, part in enumerate(parts[1:]):
        prefix = segment.continuation[index] if index < len(segment.continuation) else default
        out += line_break(parts[index]) + prefix + part
    return out


def _fallback(segment: Segment, state: State, source_lang: str, notices: Notices, page: Page) -> str:
    english = _fit(segment, segment.text, page)
    if segment.kind not in INLINE_KINDS:
        return english
    if state is State.FUZZY and segment.kind != "heading":
        return (
            f'<span class="sg-fuzzy"><span class="sg-notice">{escape(notices.fuzzy)}</span> '
            f'<span lang="{source_lang}">{english}</span></span>'
        )
    css = "sg-fuzzy" if state is State.FUZZY else "sg-untranslated"
    return f'<span lang="{source_lang}" class="{css}">{english}</span>'


#: Characters a YAML file may not hold as they are (JSON leaves them unescaped).
_NOT_YAML_PRINTABLE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff]")


def _yaml_json(value: object) -> str:
    """*value* as JSON, which YAML reads as a flow scalar or mapping (much faster to
    write than YAML's own emitter), on one line: no YAML line break is left unescaped."""
    text = json.dumps(value, ensure_ascii=False)
    return _NOT_YAML_PRINTABLE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)



def escape_pipes(text: str) -> str:
    """Escape ``|`` outside code spans, so a translated cell cannot split its row."""
    pieces = re.split(r"(`+[^`]*?`+)", text)
    return "".join(
        piece if index % 2 else re.sub(r"(?<!\\)\|", r"\\|", piece)
        for index, piece in enumerate(pieces)
    )


