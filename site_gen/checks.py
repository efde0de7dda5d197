"""Rules on the text of one translation: each compares a msgid with its msgstr.

What a translation may do to the page is judged by the gate (``gate.py``) on the
rendered HTML; the rules here look at the words: numbers, code, line edges (errors,
which the gate applies too, so ``check`` and ``build`` agree), and advice (warnings).
Nothing here imports MkDocs.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from site_gen.segment import CODE_SPAN


@dataclass(frozen=True)
class Finding:
    check: str
    severity: str  # "error" or "warning"
    message: str
    fix: str


def _without_code(text: str) -> str:
    return CODE_SPAN.sub(" ", text)


def code_spans(msgid: str, msgstr: str) -> Iterator[Finding]:
    if "`" not in msgid and "`" not in msgstr:
        return  # the common case, decided without a search
    source = Counter(m.group(2).strip() for m in CODE_SPAN.finditer(msgid))
    target = Counter(m.group(2).strip() for m in CODE_SPAN.finditer(msgstr))
    if source != target:
        differing = sorted(((source - target) + (target - source)).elements())
        yield Finding("code", "error", f"inline code differs from the English: {differing}",
                      "copy `code` spans exactly as they are in the English text")


def newline_edges(msgid: str, msgstr: str) -> Iterator[Finding]:
    for edge in (str.startswith, str.endswith):
        if edge(msgid, "\n") != edge(msgstr, "\n"):
            yield Finding("newlines", "error", "msgid and msgstr differ in a leading/trailing newline",
                          "start and end the translation as the English does")
            return


_DIGIT = re.compile(r"\d")
NUMBER = re.compile(r"\d+(?:[,.\u00a0\u202f\u2009 ]\d{3})+(?:[.,]\d+)?(?!\d)|\d+(?:[.,]\d+)?")
LINK_OR_CODE = re.compile(r"\]\([^)]*\)|(?<!\\)`[^`]*(?<!\\)`|\{[^}]*\}|\[\^[^\]]*\]")


def _value(raw: str, decimal_comma: bool) -> str:
    value = re.sub(r"[\u00a0\u202f\u2009 ]", "", raw)
    if decimal_comma:
        value = value.replace(".", "").replace(",", ".") if re.search(r",\d{1,2}$", value) \
            else value.replace(",", "").replace(".", "")
    else:
        value = value.replace(",", "")
    return value.rstrip("0").rstrip(".") if "." in value else value


def _raw_numbers(text: str) -> list[str]:
    return NUMBER.findall(LINK_OR_CODE.sub(" ", text))


def _numbers(text: str, decimal_comma: bool) -> Counter[str]:
    return Counter(_value(raw, decimal_comma) for raw in _raw_numbers(text))


def numbers(msgid: str, msgstr: str, lang: str | None = None) -> Iterator[Finding]:
    comma_languages = ("uk", "ru", "de", "fr", "es", "it", "pt", "pl", "cs", "be", "kk", "ro", "tr", "nl")
    if not _DIGIT.search(msgid):
        return  # nothing to look for
    found = _raw_numbers(msgstr)
    if found == _raw_numbers(msgid):
        return  # every figure copied as the English writes it, in its order
    decimal_comma = bool(lang) and lang.split("_")[0] in comma_languages
    missing = _numbers(msgid, decimal_comma=False)
    for raw in found:
        # In the language's format (3,5; 20 000), or left as the English writes it ("Python 3.8").
        for value in dict.fromkeys((_value(raw, decimal_comma), _value(raw, False))):
            if missing[value] > 0:
                missing[value] -= 1
                break
    missing = +missing
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


#: Rules whose findings are errors: the gate refuses a translation that fails one.
ERROR_RULES: tuple[Callable[[str, str], Iterator[Finding]], ...] = (code_spans, newline_edges)
#: Advice: reported by ``site-gen check`` (``--strict`` fails on them), never refused.
WARNING_RULES: tuple[Callable[[str, str], Iterator[Finding]], ...] = (whitespace, doubled_words, unchanged)


def text_errors(msgid: str, msgstr: str, lang: str | None = None) -> list[Finding]:
    """The error rules on the words; numbers are compared in *lang*'s format."""
    return [*(f for rule in ERROR_RULES for f in rule(msgid, msgstr)), *numbers(msgid, msgstr, lang)]


def warnings(msgid: str, msgstr: str) -> list[Finding]:
    return [finding for rule in WARNING_RULES for finding in rule(msgid, msgstr)]


def check_message(msgid: str, msgstr: str, lang: str | None = None) -> list[Finding]:
    """The gate's verdict and the advice on one message, as a paragraph of an unknown page."""
    from site_gen.gate import review  # the gate builds on these rules

    return review(msgid, msgstr, lang=lang)
