"""What a translation pull request changes, for the maintainer who merges it.

``site-gen review BASE..HEAD`` lists every msgstr that changed between two git
revisions beside its English, per language and page, and marks what a reader
would be misled by if it were wrong: numbers and dates, link targets, and names.
It is a reading aid, not a gate (the gate is ``site-gen check``), so it always
exits 0 when it can read the revisions.

The comparison is pure (``changed_messages``, ``marks``); git is read at the edge
(``collect``).
"""

from __future__ import annotations

import re
import subprocess
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from site_gen.catalog import read_translations
from site_gen.checks import NUMBER
from site_gen.entries import Translation
from site_gen.errors import SiteGenError


@dataclass(frozen=True)
class Change:
    """One msgstr that is new or different in the later revision."""

    lang: str
    page: str
    line: int | None
    msgid: str
    before: str | None  # None: the message had no translation before
    after: str
    marks: tuple[str, ...]


# Marks ---------------------------------------------------------------------------------------

#: Link targets and autolinks: what a reader would follow.
LINK_TARGET = re.compile(r"\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)|<((?:https?|mailto):[^>\s]+)>|\]\[([^\]]*)\]")
#: A word in Latin script: names of people, outlets and places the translation should not invent.
LATIN_WORD = re.compile(r"\b[A-Za-z][A-Za-z'’.-]*[A-Za-z]\b|\b[A-Z]\b")
#: A word in any script (apostrophes and hyphens inside it, as in «Ляенеметс» or «п'ять»).
WORD = re.compile(r"[^\W\d_]+(?:['’ʼ-][^\W\d_]+)*")
SENTENCE_END = re.compile(r"[.!?:;]\s+|^\s*|[«\"(]")
_CODE_OR_LINK = re.compile(r"`[^`]*`|\]\([^)]*\)|\{[^}]*\}")
_SPACES_IN_NUMBERS = re.compile(r"(?<=\d)[\u00a0\u202f\u2009 ](?=\d{3}\b)")


def numbers_in(text: str) -> Counter[str]:
    """The figures of a text as digits only ("450,000", "450 000" and "450000" are one figure;
    decimals keep their fraction), outside link targets and code."""
    text = _SPACES_IN_NUMBERS.sub("", _CODE_OR_LINK.sub(" ", text))
    found: Counter[str] = Counter()
    for raw in NUMBER.findall(text):
        whole, _, fraction = re.sub(r"[,.](?=\d{3}(?!\d))", "", raw).replace(",", ".").partition(".")
        found[f"{whole}.{fraction}" if fraction.strip("0") else whole] += 1
    return found


def link_targets(text: str) -> Counter[str]:
    return Counter(next(group for group in match.groups() if group is not None)
                   for match in LINK_TARGET.finditer(text))


def _latin_words(text: str) -> dict[str, str]:
    """Latin-script words by their case-folded form (the translation may capitalise differently)."""
    return {word.casefold(): word for word in LATIN_WORD.findall(_CODE_OR_LINK.sub(" ", text))}


def _names(text: str) -> set[str]:
    """Capitalised words that do not start a sentence: mostly names of people, places and outlets."""
    plain = _CODE_OR_LINK.sub(" ", text)
    starts = {match.end() for match in SENTENCE_END.finditer(plain)}
    return {match.group() for match in WORD.finditer(plain)
            if match.group()[:1].isupper() and match.start() not in starts}


def _difference(english: Counter[str], translation: Counter[str]) -> str:
    """What one side has that the other has not, in words ("" when they are the same)."""
    missing = ", ".join(sorted((english - translation).elements()))
    added = ", ".join(sorted((translation - english).elements()))
    return "; ".join(part for part in (f"English has {missing}" if missing else "",
                                       f"translation has {added}" if added else "") if part)


def marks(msgid: str, before: str | None, after: str) -> tuple[str, ...]:
    """What in *after* differs from the English *msgid* (or, for names, from *before*)."""
    found = [f"{kind}: {difference}" for kind, count in (("numbers/dates", numbers_in), ("links", link_targets))
             if (difference := _difference(count(msgid), count(after)))]
    latin = _latin_words(after)
    invented = sorted(latin[key] for key in latin.keys() - _latin_words(msgid).keys())
    if invented:
        found.append("names: not in the English: " + ", ".join(invented))
    if before is not None:
        renamed = sorted(_names(after) ^ _names(before))
        if renamed:
            found.append("names: changed from the earlier translation: " + ", ".join(renamed))
    return tuple(found)


# Comparison ----------------------------------------------------------------------------------


def changed_messages(before: Mapping[str, Translation], after: Mapping[str, Translation], lang: str,
                     page: str) -> list[Change]:
    """Every message whose msgstr is set in *after* and differs from *before*, in file order.

    A fuzzy entry is not shown to readers, so it counts as no translation on either side.
    """
    changes = []
    for msgid, entry in after.items():
        text = entry.text if entry.text and not entry.fuzzy else ""
        old = before.get(msgid)
        old_text = old.text if old is not None and old.text and not old.fuzzy else None
        if not text or text == old_text:
            continue
        changes.append(Change(lang, page, entry.line, msgid, old_text, text, marks(msgid, old_text, text)))
    return sorted(changes, key=lambda change: change.line or 0)


# Output --------------------------------------------------------------------------------------


def as_text(changes: Iterable[Change], revisions: str) -> str:
    changes = list(changes)
    out = [f"{len(changes)} changed translation{'' if len(changes) == 1 else 's'} in {revisions}"]
    for change in changes:
        where = f"{change.lang} {change.page}" + (f":{change.line}" if change.line else "")
        out += ["", f"== {where}", f"  English: {change.msgid}"]
        if change.before is not None:
            out.append(f"  before:  {change.before}")
        out.append(f"  now:     {change.after}")
        out += [f"  ! {mark}" for mark in change.marks]
    return "\n".join(out) + "\n"


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", "<br>").replace("`", "\\`")


def as_markdown(changes: Iterable[Change], revisions: str) -> str:
    """A table per language and page, to paste into a pull-request comment."""
    changes = list(changes)
    out = [f"**{len(changes)} changed translation{'' if len(changes) == 1 else 's'}** in `{revisions}`"]
    current = None
    for change in changes:
        if (change.lang, change.page) != current:
            current = (change.lang, change.page)
            out += ["", f"### {change.lang}: {change.page}", "",
                    "| line | English | before | now | check |", "|---:|---|---|---|---|"]
        flags = "<br>".join(f"⚠ {_cell(mark)}" for mark in change.marks)
        out.append(f"| {change.line or ''} | {_cell(change.msgid)} | {_cell(change.before or '—')} "
                   f"| {_cell(change.after)} | {flags} |")
    return "\n".join(out) + "\n"


# Git (the I/O edge) --------------------------------------------------------------------------


def _git(root: Path, *args: str) -> bytes:
    done = subprocess.run(["git", *args], cwd=root, capture_output=True)
    if done.returncode != 0:
        raise SiteGenError("git", None, done.stderr.decode(errors="replace").strip() or f"git {' '.join(args)} failed",
                           "name two revisions git knows, as BASE..HEAD (HEAD may be left out: the working tree)")
    return done.stdout


def split_range(revisions: str) -> tuple[str, str | None]:
    """BASE and HEAD of ``BASE..HEAD``; HEAD None (``BASE..``) means the working tree."""
    base, dots, head = revisions.partition("..")
    if not dots or not base or head.startswith("."):
        raise SiteGenError("command line", None, f"not a revision range: {revisions!r}",
                           "write it as BASE..HEAD, for example main..my-branch, or main.. for the working tree")
    return base, head or None


def collect(root: Path, locales_dir: Path, revisions: str) -> list[Change]:
    """The changed translations of every catalog under *locales_dir* between the revisions."""
    base, head = split_range(revisions)
    folder = locales_dir.resolve().relative_to(root.resolve()).as_posix()
    _git(root, "rev-parse", "--verify", "--quiet", f"{base}^{{commit}}")
    names = _git(root, "diff", "--name-only", "-z", base, *([head] if head else []), "--", folder)
    changes: list[Change] = []
    for name in sorted(filter(None, names.decode().split("\0"))):
        path = PurePosixPath(name)
        if path.suffix != ".po" or len(path.parts) < 3 or path.parent.name != "LC_MESSAGES":
            continue
        lang = path.parent.parent.name
        page = path.relative_to(PurePosixPath(folder) / lang / "LC_MESSAGES").with_suffix("").as_posix()
        new = (root / name).read_bytes() if head is None and (root / name).exists() else _show(root, head, name)
        if new is None:
            continue  # the catalog was deleted: nothing to read
        old = _show(root, base, name)
        before = read_translations(root / name, lang, name, old) if old is not None else {}
        after = read_translations(root / name, lang, name, new)
        changes += changed_messages(before, after, lang, page)
    return changes


def _show(root: Path, revision: str | None, name: str) -> bytes | None:
    if revision is None:
        return None
    done = subprocess.run(["git", "show", f"{revision}:{name}"], cwd=root, capture_output=True)
    return done.stdout if done.returncode == 0 else None
