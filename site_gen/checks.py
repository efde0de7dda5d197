"""Checks on one translation: each rule compares a msgid with its msgstr.

Rules are small functions returning findings, in the manner of markdown-it's
rule lists; ``check_markup`` runs the ones the build depends on for safety, and
``check_message`` runs them all.  Nothing here imports MkDocs.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token


@dataclass(frozen=True)
class Finding:
    check: str
    severity: str  # "error" or "warning"
    message: str
    fix: str


CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.S)
HTML_PIECE = re.compile(
    r"<!--.*?-->|<![A-Za-z][^>]*>|<\?.*?\?>|</?[A-Za-z][A-Za-z0-9:-]*(?:\s[^<>]*)?/?>", re.S
)
DANGEROUS_URL = re.compile(r"\b(?:javascript|vbscript|data)\s*:", re.I)
BLOCK_START = re.compile(
    r"^(?:\s{4}|\t|#{1,6}(?:\s|$)|>|[-+*]\s|\d+[.)]\s|!!!|\?\?\?|:\s|```|~~~"
    r"|[-*_](?:\s*[-*_]){2,}\s*$|=+\s*$|\[\^?[^\]]+\]:|\*\[)"
)


def _without_code(text: str) -> str:
    return CODE_SPAN.sub(" ", text)


def html_injection(msgid: str, msgstr: str) -> Iterator[Finding]:
    # HTML needs a "<" and a URL scheme a ":"; most messages have neither (the build checks all).
    if "<" in msgstr:
        allowed = Counter(" ".join(tag.split()) for tag in HTML_PIECE.findall(_without_code(msgid)))
        found = Counter(" ".join(tag.split()) for tag in HTML_PIECE.findall(_without_code(msgstr)))
        for tag, count in found.items():
            if count > allowed[tag]:
                yield Finding(
                    "html", "error", f"raw HTML {tag!r} is not in the English text",
                    "remove the HTML: translations may use only the Markdown of the English text",
                )
    if ":" in msgstr:
        source_urls = len(DANGEROUS_URL.findall(_without_code(msgid)))
        if len(DANGEROUS_URL.findall(_without_code(msgstr))) > source_urls:
            yield Finding(
                "html", "error", "a javascript:, vbscript: or data: URL is not in the English text",
                "keep the link targets of the English text",
            )


def block_structure(msgid: str, msgstr: str) -> Iterator[Finding]:
    if "\n" in msgstr and re.search(r"\n\s*\n", msgstr) and not re.search(r"\n\s*\n", msgid):
        yield Finding(
            "blocks", "error", "the translation contains an empty line, which would split the block",
            "join the lines: one message is one paragraph",
        )
    source_starts: set[str] | None = None
    for line in msgstr.split("\n"):
        match = BLOCK_START.match(line)
        if not match:
            continue
        if source_starts is None:
            source_starts = {found.group(0).strip() for found in map(BLOCK_START.match, msgid.split("\n")) if found}
        if match.group(0).strip() not in source_starts:
            yield Finding(
                "blocks", "error",
                f"a line of the translation starts with {match.group(0).strip()!r}, "
                "which Markdown reads as a new block (heading, list, quote, code…)",
                "reword the start of the line, or escape the character with a backslash",
            )
            return


#: The rules the build itself runs: a translation failing one is never published.
SAFETY_RULES: tuple[Callable[[str, str], Iterator[Finding]], ...] = (html_injection, block_structure)


def check_markup(msgid: str, msgstr: str) -> list[Finding]:
    return [finding for rule in SAFETY_RULES for finding in rule(msgid, msgstr)]


def _inline(text: str) -> list[Token]:
    tokens = _markdown().parseInline(text)
    out: list[Token] = []
    stack = list(tokens)
    while stack:
        token = stack.pop(0)
        out.append(token)
        stack[0:0] = token.children or []
    return out


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    return MarkdownIt("commonmark")


def _targets(text: str) -> Counter[str]:
    found = Counter(str(t.attrs.get("href") or t.attrs.get("src") or "") for t in _inline(text)
                    if t.type in ("link_open", "image"))
    # Reference-style links and Python-Markdown's footnotes stay as text to markdown-it.
    found.update(f"[{ref}]" for ref in re.findall(r"\]\[([^\]]*)\]", text))
    return found


def links(msgid: str, msgstr: str) -> Iterator[Finding]:
    source, target = _targets(msgid), _targets(msgstr)
    if source != target:
        missing = sorted((source - target).elements())
        added = sorted((target - source).elements())
        detail = "; ".join(part for part in (
            f"missing {', '.join(missing)}" if missing else "",
            f"not in the English {', '.join(added)}" if added else "",
        ) if part)
        yield Finding("links", "error", f"links differ from the English text: {detail}",
                      "keep every link of the English text with the same target ](…); translate only its text")


def code_spans(msgid: str, msgstr: str) -> Iterator[Finding]:
    source = Counter(m.group(2).strip() for m in CODE_SPAN.finditer(msgid))
    target = Counter(m.group(2).strip() for m in CODE_SPAN.finditer(msgstr))
    if source != target:
        differing = sorted(((source - target) + (target - source)).elements())
        yield Finding("code", "error", f"inline code differs from the English: {differing}",
                      "copy `code` spans exactly as they are in the English text")


def emphasis(msgid: str, msgstr: str) -> Iterator[Finding]:
    def stray(text: str) -> int:
        return sum(len(re.findall(r"(?<![\\\w])\*{1,3}|\*{1,3}(?![\w])", t.content))
                   for t in _inline(_without_code(text)) if t.type == "text")

    if stray(msgstr) > stray(msgid):
        yield Finding("emphasis", "error", "unbalanced * or ** markers: some emphasis is not closed",
                      "put a closing ** (or *) after the emphasised words, with no space before it")
    kinds = ("strong_open", "em_open")
    source = Counter(t.type for t in _inline(msgid) if t.type in kinds)
    target = Counter(t.type for t in _inline(msgstr) if t.type in kinds)
    if source != target and stray(msgstr) <= stray(msgid):
        yield Finding("emphasis", "warning", "bold or italic text differs from the English",
                      "mark the same words bold (**…**) or italic (*…*) as the English does")


FOOTNOTE = re.compile(r"\[\^([^\]]+)\]")
ATTRIBUTE_LIST = re.compile(r"\{:?\s*[#.][^}]*\}")


def footnotes_and_ids(msgid: str, msgstr: str) -> Iterator[Finding]:
    if Counter(FOOTNOTE.findall(msgid)) != Counter(FOOTNOTE.findall(msgstr)):
        yield Finding("footnotes", "error", "footnote references [^…] differ from the English",
                      "keep each [^label] exactly as in the English text")
    if Counter(ATTRIBUTE_LIST.findall(msgid)) != Counter(ATTRIBUTE_LIST.findall(msgstr)):
        yield Finding("ids", "error", "attribute lists {#id} / {.class} differ from the English",
                      "remove the {…} you added: heading ids are kept by site_gen")


NUMBER = re.compile(r"\d+(?:[,.\u00a0\u202f\u2009 ]\d{3})+(?:[.,]\d+)?(?!\d)|\d+(?:[.,]\d+)?")
LINK_OR_CODE = re.compile(r"\]\([^)]*\)|`[^`]*`|\{[^}]*\}|\[\^[^\]]*\]")


def _numbers(text: str, decimal_comma: bool) -> Counter[str]:
    found: Counter[str] = Counter()
    for raw in NUMBER.findall(LINK_OR_CODE.sub(" ", text)):
        value = re.sub(r"[\u00a0\u202f\u2009 ]", "", raw)
        if decimal_comma:
            value = value.replace(".", "").replace(",", ".") if re.search(r",\d{1,2}$", value) \
                else value.replace(",", "").replace(".", "")
        else:
            value = value.replace(",", "")
        found[value.rstrip("0").rstrip(".") if "." in value else value] += 1
    return found


def numbers(msgid: str, msgstr: str, lang: str | None = None) -> Iterator[Finding]:
    comma_languages = ("uk", "ru", "de", "fr", "es", "it", "pt", "pl", "cs", "be", "kk", "ro", "tr", "nl")
    decimal_comma = bool(lang) and lang.split("_")[0] in comma_languages
    source = _numbers(msgid, decimal_comma=False)
    target = _numbers(msgstr, decimal_comma=decimal_comma)
    missing = source - target
    if missing:
        shown = ", ".join(sorted(missing))
        yield Finding("numbers", "error", f"number(s) {shown} of the English are not in the translation",
                      "copy every figure; write thousands with a no-break space (450 000) as your language does")


def whitespace(msgid: str, msgstr: str) -> Iterator[Finding]:
    if (msgid[:1].isspace(), msgid[-1:].isspace()) != (msgstr[:1].isspace(), msgstr[-1:].isspace()):
        yield Finding("whitespace", "warning", "leading or trailing spaces differ from the English",
                      "remove the spaces at the start or end of the translation")


DOUBLED = re.compile(r"\b(\w{2,})\s+\1\b", re.I | re.U)


def doubled_words(msgid: str, msgstr: str) -> Iterator[Finding]:
    for match in DOUBLED.finditer(msgstr):
        if not re.search(rf"\b{re.escape(match.group(1))}\s+{re.escape(match.group(1))}\b", msgid, re.I):
            yield Finding("doubled", "warning", f"doubled word {match.group(0)!r}", "delete one of the two")


def unchanged(msgid: str, msgstr: str) -> Iterator[Finding]:
    if msgstr == msgid and len(re.findall(r"[^\W\d_]{3,}", _without_code(msgid))) > 2:
        yield Finding("unchanged", "warning", "the translation is the English text unchanged",
                      "translate it, or leave it empty so readers see it marked as English")


RULES: tuple[Callable[[str, str], Iterator[Finding]], ...] = (
    *SAFETY_RULES, links, code_spans, emphasis, footnotes_and_ids, whitespace, doubled_words, unchanged,
)


def check_message(msgid: str, msgstr: str, lang: str | None = None) -> list[Finding]:
    """Every rule on one translated message; numbers are compared in *lang*'s format."""
    found = [finding for rule in RULES for finding in rule(msgid, msgstr)]
    found.extend(numbers(msgid, msgstr, lang))
    return found
