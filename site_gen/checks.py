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
    allowed = Counter(" ".join(tag.split()) for tag in HTML_PIECE.findall(_without_code(msgid)))
    found = Counter(" ".join(tag.split()) for tag in HTML_PIECE.findall(_without_code(msgstr)))
    for tag, count in found.items():
        if count > allowed[tag]:
            yield Finding(
                "html", "error", f"raw HTML {tag!r} is not in the English text",
                "remove the HTML: translations may use only the Markdown of the English text",
            )
    source_urls = len(DANGEROUS_URL.findall(_without_code(msgid)))
    if len(DANGEROUS_URL.findall(_without_code(msgstr))) > source_urls:
        yield Finding(
            "html", "error", "a javascript:, vbscript: or data: URL is not in the English text",
            "keep the link targets of the English text",
        )


def block_structure(msgid: str, msgstr: str) -> Iterator[Finding]:
    if re.search(r"\n\s*\n", msgstr) and not re.search(r"\n\s*\n", msgid):
        yield Finding(
            "blocks", "error", "the translation contains an empty line, which would split the block",
            "join the lines: one message is one paragraph",
        )
    starts = [msgstr] + [line for line in msgstr.split("\n")[1:]]
    source_starts = {BLOCK_START.match(line).group(0).strip() for line in [msgid, *msgid.split("\n")[1:]]
                     if BLOCK_START.match(line)}
    for line in starts:
        match = BLOCK_START.match(line)
        if match and match.group(0).strip() not in source_starts:
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


def check_message(msgid: str, msgstr: str, lang: str | None = None) -> list[Finding]:
    """Every rule on one translated message."""
    return [finding for rule in RULES for finding in rule(msgid, msgstr)]


RULES: tuple[Callable[[str, str], Iterator[Finding]], ...] = SAFETY_RULES
