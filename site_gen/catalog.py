"""Stage 2: gettext catalogs, one per page per language (as Sphinx lays them out).

    locales/templates/<page>.pot              what to translate (from content/<page>.md)
    locales/<lang>/LC_MESSAGES/<page>.po      the translations

Babel does the merging.  Around it, this module makes catalogs safe to keep in
git: files are written atomically, never wrapped (a one-word edit is a one-line
diff), carry no date that changes when nothing else did, and ``update`` never
drops a translation: changed English becomes fuzzy with its previous msgid,
removed English becomes obsolete.
"""

from __future__ import annotations

import errno
import functools
import gettext
import hashlib
import io
import json
import os
import re
import stat
import sys
import tempfile
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import (
    PoFileError,
    denormalize,
    normalize,
    read_po,
    unescape,
    write_po,
)
from babel.util import TextWrapper as BabelTextWrapper

from site_gen.entries import Translation
from site_gen.errors import SiteGenError
from site_gen.segment import Page

TEMPLATES = "templates"
#: The version in Project-Id-Version when mkdocs.yml sets none (extra.site_gen.site_version).
DEFAULT_VERSION = "1.0"
HEADER = (
    "# Translations of {source}.\n"
    "# Edit msgstr lines only; run 'site-gen update' after changing the English page."
)


def template_path(locales_dir: Path, page_path: str) -> Path:
    return locales_dir / TEMPLATES / Path(page_path).with_suffix(".pot")


def catalog_path(locales_dir: Path, lang: str, page_path: str) -> Path:
    return locales_dir / lang / "LC_MESSAGES" / Path(page_path).with_suffix(".po")


def parse_locale(lang: str, where: str | None = None, line: int | None = None) -> Locale:
    """A Babel locale for a language code, or an error naming the code."""
    try:
        return Locale.parse(lang.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        raise SiteGenError(
            where, line, f"unknown language code {lang!r}",
            "use an ISO 639 code that Babel knows, such as 'uk', 'ru' or 'pt_BR'",
        ) from None


def source_date() -> datetime:
    """Now, or SOURCE_DATE_EPOCH when set (the reproducible-builds convention)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return datetime.fromtimestamp(int(epoch), tz=UTC)
    return datetime.now(tz=UTC).replace(second=0, microsecond=0)


def page_template(page: Page, source_prefix: str, project: str = "site",
                  version: str = DEFAULT_VERSION, source: str | None = None) -> Catalog:
    """The .pot catalog of one page: each message with its lines and comments.  *source*: the
    page's file in the project, when it is not *source_prefix*/path (an included snippet's)."""
    source = source or (f"{source_prefix}/{page.path}" if source_prefix else page.path)
    catalog = Catalog(
        project=project, version=version, header_comment=HEADER.format(source=source),
        creation_date=source_date(), fuzzy=False,
    )
    for text, segments in page.messages().items():
        comments = list(dict.fromkeys(s.comment for s in segments if s.comment))
        catalog.add(
            text,
            locations=[(source, segment.lineno) for segment in segments],
            auto_comments=comments,
        )
    return catalog


def new_catalog(template: Catalog, lang: str, plural_forms: str | None = None) -> Catalog:
    """A language's first catalog for *template*.

    *plural_forms* is the Plural-Forms value the language's other catalogs already carry:
    Babel releases write the same rule in different words, and a new catalog should not
    depend on which release made it.  It is used only when it means the same as Babel's.
    """
    locale = parse_locale(lang)
    catalog = Catalog(
        locale=locale, project=template.project, version=template.version,
        header_comment=template.header_comment,
        creation_date=template.creation_date, revision_date=template.creation_date,
        language_team=default_language_team(locale, lang),
        last_translator=team_alias(template.project), fuzzy=False,
    )
    if plural_forms is not None:
        found = parse_plural_forms(plural_forms)
        if found is not None and same_plural_rule(found, (catalog.num_plurals, catalog.plural_expr)):
            catalog.mime_headers = [("Plural-Forms", plural_forms)]  # Babel's public header setter
    catalog.update(template)
    return catalog


def team_alias(project: str | None) -> str:
    """Last-Translator of a catalog site_gen starts: the site's team, never a person.

    Translators of a site like this one may be at personal risk; no name or address is asked for.
    """
    return f"{project or 'site'} translators"


def default_language_team(locale: Locale, lang: str) -> str:
    """Language-Team of a catalog site_gen starts: the language's own name."""
    return f"{locale.get_display_name(locale)} ({lang})"


# Header ------------------------------------------------------------------------------------

#: Values that gettext tools and Babel put in a header to be filled in; msgfmt -c warns on them.
PLACEHOLDERS = ("FULL NAME", "EMAIL@ADDRESS", "YEAR-MO-DA", "LANGUAGE <LL@li.org>", "PACKAGE VERSION")


def parse_plural_forms(value: str) -> tuple[int, str] | None:
    """(nplurals, plural expression) of a Plural-Forms value, or None when it has no rule."""
    number = re.search(r"nplurals\s*=\s*(\d+)", value)
    expression = re.search(r"plural\s*=\s*([^;]+)", value)
    if number is None or expression is None:
        return None
    return int(number.group(1)), expression.group(1).strip()


@functools.lru_cache(maxsize=64)
def same_plural_rule(first: tuple[int, str], second: tuple[int, str]) -> bool:
    """Whether two plural rules pick the same form for every n from 0 to 1000.

    Babel 2.18 and 2.19 write the Ukrainian and Russian rules in different words
    (``n%100<10 || n%100>=20`` and ``n%100<12 || n%100>14``) with the same meaning, so
    rules are compared by what they do; as text only when one cannot be evaluated.
    """
    if first[0] != second[0]:
        return False
    try:
        # gettext's own translation of a C plural expression (it refuses anything else).
        rules = [gettext.c2py(first[1]), gettext.c2py(second[1])]
        return all(rules[0](n) == rules[1](n) for n in range(1001))
    except (ValueError, SyntaxError, RecursionError, ZeroDivisionError):
        return " ".join(first[1].split()) == " ".join(second[1].split())


def _date_header(value: object) -> str:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M%z")
    return str(value)


def header_fields(catalog: Catalog) -> list[tuple[str, str]]:
    """The header site_gen writes: the fields and order of GNU gettext's ``msginit``, real values only.

    No tool writes its version here (``Generated-By`` is left out), so the bytes of a
    catalog do not depend on which Babel made them.  A template carries no translation
    fields; a catalog's placeholders (gettext's and Babel's defaults) become the site's
    team and the catalog's creation date, which ``msgfmt -c`` accepts.
    """
    fields = [("Project-Id-Version", f"{catalog.project} {catalog.version}".strip())]
    if catalog.msgid_bugs_address and not _is_placeholder(catalog.msgid_bugs_address):
        fields.append(("Report-Msgid-Bugs-To", catalog.msgid_bugs_address))
    fields.append(("POT-Creation-Date", _date_header(catalog.creation_date)))
    if catalog.locale is not None:
        revision = catalog.revision_date
        if not isinstance(revision, datetime) or _is_placeholder(_date_header(revision)):
            revision = catalog.creation_date
        translator = catalog.last_translator
        if not translator or _is_placeholder(translator):
            translator = team_alias(catalog.project)
        team = catalog.language_team
        if not team or _is_placeholder(team):
            team = default_language_team(catalog.locale, str(catalog.locale))
        fields += [
            ("PO-Revision-Date", _date_header(revision)),
            ("Last-Translator", translator),
            ("Language-Team", team),
            ("Language", str(catalog.locale_identifier)),
        ]
    charset = "UTF-8" if catalog.charset.lower().replace("-", "") == "utf8" else catalog.charset
    fields += [
        ("MIME-Version", "1.0"),
        ("Content-Type", f"text/plain; charset={charset}"),
        ("Content-Transfer-Encoding", "8bit"),
    ]
    if catalog.locale is not None:
        fields.append(("Plural-Forms", catalog.plural_forms))
    return fields


def _is_placeholder(value: str) -> bool:
    return any(token in value for token in PLACEHOLDERS)


def _header_entry(catalog: Catalog) -> str:
    text = "".join(f"{name}: {value}\n" for name, value in header_fields(catalog))
    flags = "#, fuzzy\n" if catalog.fuzzy else ""
    return f'{flags}msgid ""\nmsgstr {normalize(text, width=0)}\n\n'


def merge(template: Catalog, catalog: Catalog) -> Catalog:
    """Bring *catalog* in line with *template*, keeping every translation."""
    for message in list(catalog.obsolete.values()):
        # English that came back after being removed gets its old translation back.
        if message.id in template and message.id not in catalog:
            catalog[message.id] = message
            del catalog.obsolete[message.id]
    # Babel rebuilds unchanged entries from the template, dropping their #| field.
    previous = {m.id: m.previous_id for m in catalog if m.id and m.previous_id}
    catalog.update(template, update_creation_date=True)
    catalog.project, catalog.version = template.project, template.version  # the site's, as configured
    for message in catalog:
        if message.fuzzy and not message.previous_id and message.id in previous:
            message.previous_id = previous[message.id]
    for key in [k for k, message in catalog.obsolete.items() if not message.string]:
        del catalog.obsolete[key]  # an obsolete entry without a translation holds nothing
    return catalog


def template_digest(template: Catalog) -> str:
    """What merging a template into a catalog depends on: its messages, with their places and
    comments, and its header text; not its date, so the digest holds from one minute to the next."""
    digest = hashlib.sha256(f"{template.project}\0{template.header_comment}\0".encode())
    for message in template:
        digest.update(json.dumps([message.id, message.context, message.locations, message.auto_comments,
                                  sorted(message.flags)], ensure_ascii=False, default=str).encode() + b"\n")
    return digest.hexdigest()


def render(catalog: Catalog) -> bytes:
    """The PO file text: unwrapped strings, previous msgids as proper ``#|`` fields, the
    header of ``header_fields`` and no guessed format flag.

    Babel wraps ``#|`` comments at 76 columns in the middle of the string and does
    not read them back, so site_gen writes and reads them itself.  Babel also flags any
    msgid with ``%`` and a letter after it as ``python-format`` ("50% of" reads as ``% o``);
    on Markdown prose that is never meant, and ``msgfmt -c`` then rejects a msgstr with
    "50 %", so the flag is not written.
    """
    for message in catalog:
        message.flags.discard("python-format")
    text = po_text(catalog)
    if text is None:
        buffer = io.BytesIO()
        write_po(buffer, catalog, width=0, include_previous=False, sort_output=False)
        text = buffer.getvalue().decode(catalog.charset)
        text = _HEADER_ENTRY.sub(lambda _: _header_entry(catalog), text, count=1)
    for message in catalog:
        if not message.id or not message.previous_id or not isinstance(message.id, str):
            continue
        current = f"\nmsgid {normalize(message.id, width=0)}\n"
        previous = "".join(
            f"#| {line}\n"
            for line in f"msgid {normalize(message.previous_id[0], width=0)}".split("\n")
        )
        text = text.replace(current, "\n" + previous + current[1:], 1)
    return text.encode(catalog.charset)


#: The header entry as ``write_po`` writes it (its flags, msgid "" and the msgstr lines).
_HEADER_ENTRY = re.compile(r'^(?:#,[^\n]*\n)?msgid ""\nmsgstr ""\n(?:"[^\n]*"\n)*\n', re.M)


_COMMENT_WRAPPER = BabelTextWrapper(width=76, break_long_words=False)
_NOT_A_SPACE = re.compile(r"[^\S ]")  # whitespace other than " ", which the wrapper rewrites


def _comment(text: str, prefix: str) -> str:
    """``write_po``'s comment lines (wrapped at 76 columns, as xgettext does) for *text*."""
    if len(text) <= 76 and not _NOT_A_SPACE.search(text):
        text = text.strip()  # a line that fits comes out whole
        return f"#{prefix} {text}\n" if text else ""
    return "".join(f"#{prefix} {line.strip()}\n" for line in _COMMENT_WRAPPER.wrap(text))


def _enclose_filename(filename: str) -> str:
    """A file name with a space or tab, between U+2068 and U+2069, as GNU gettext (and write_po) writes it."""
    if " " not in filename and "\t" not in filename:
        return filename
    return ("" if filename.startswith("\u2068") else "\u2068") + filename + \
        ("" if filename.endswith("\u2069") else "\u2069")


def _location(filename: str, line: int | None) -> str:
    filename = _enclose_filename(filename.replace(os.sep, "/"))  # as write_po does
    return f"{filename}:{line:d}" if line else filename


def po_text(catalog: Catalog) -> str | None:
    """What ``write_po(…, width=0, include_previous=False)`` writes, faster
    (a test compares them); None for what it does not handle (plurals, other charsets)."""
    if catalog.charset.lower().replace("-", "") != "utf8":
        return None
    out: list[str] = []
    for message in catalog:
        if not isinstance(message.id, str):
            return None
        if not message.id:
            out.append(f"{catalog.header_comment}\n")
            out.append(_header_entry(catalog))
            continue
        out.extend(_comment(comment, "") for comment in message.user_comments)
        out.extend(_comment(comment, ".") for comment in message.auto_comments)
        try:
            locations = sorted(message.locations, key=lambda x: (x[0], (isinstance(x[1], int) and x[1]) or -1))
        except TypeError:
            locations = message.locations
        places = list(dict.fromkeys(_location(name, line) for name, line in locations))
        out.append(_comment(" ".join(places), ":"))
        if message.flags:
            out.append(f"#{', '.join(['', *sorted(message.flags)])}\n")
        out.append(_message_lines(message, ""))
    for message in catalog.obsolete.values():
        if not isinstance(message.id, str):
            return None
        out.extend(_comment(comment, "") for comment in message.user_comments)
        out.append(_message_lines(message, "#~ "))
    return "".join(out)


def _message_lines(message: Message, prefix: str) -> str:
    context = (f"{prefix}msgctxt {normalize(message.context, prefix=prefix, width=0)}\n"
               if message.context else "")
    return (f"{context}{prefix}msgid {normalize(message.id, prefix=prefix, width=0)}\n"
            f"{prefix}msgstr {normalize(message.string or '', prefix=prefix, width=0)}\n\n")


PO_STRING = r'"(?:[^"\\]|\\.)*"'
PO_LINE = re.compile(rf"^(?:#~\s*)?(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+)?{PO_STRING}$")


_SPACE = r"[^\S\n]"  # what str.strip() removes, within one line
_VALID_LINE = (
    rf'{_SPACE}*+(?:\#(?!~)[^\n]*+|\#~{_SPACE}*+(?!msg|")[^\n]*+'
    rf'|(?:\#~{_SPACE}*+)?(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?){_SPACE}++)?'
    rf'"[^"\\\n]*+(?:\\[^\n][^"\\\n]*+)*+"{_SPACE}*+)?'
)
#: A whole file of lines _check_syntax accepts, matched at once (a file is checked line by
#: line only when this fails, to name the line).
VALID_PO = re.compile(rf"(?:{_VALID_LINE}\n)*+{_VALID_LINE}")


def _check_syntax(text: str, path: Path) -> None:
    """Reject what Babel's lenient reader would silently misread (as msgfmt does)."""
    if VALID_PO.fullmatch(text):
        return
    found = first_bad_line(text)
    if found is not None:
        number, stripped = found
        problem = (
            "a string is not closed or has an unescaped quote"
            if stripped.count('"') % 2 or re.search(r'[^\\]"[^"]+"', stripped[stripped.find('"'):])
            else "this line is neither a comment, a keyword with a string, nor a string"
        )
        raise SiteGenError(
            path, number, f"not a valid PO file: {problem}: {stripped[:60]!r}",
            'every msgid/msgstr line holds one string in double quotes; write a quote inside it as \\"',
        )


def first_bad_line(text: str) -> tuple[int, str] | None:
    """The number and stripped text of the first line that is not valid PO, if any."""
    for number, line in enumerate(text.split("\n"), 1):
        stripped = line.strip()
        if not stripped or (stripped.startswith("#") and not stripped.startswith("#~")):
            continue
        if stripped.startswith("#~") and not stripped[2:].strip().startswith(("msg", '"')):
            continue
        if not PO_LINE.match(stripped):
            return number, stripped
    return None


PREVIOUS_FIELD = re.compile(r'^#\| (?:msgid )?(".*")\s*$')


def _parse_previous(text: str) -> tuple[str, dict[int, str]]:
    """Blank out ``#| msgid`` lines (keeping line numbers) and map each to its msgid's line."""
    if "#|" not in text:
        return text, {}
    lines = text.split("\n")
    found: dict[int, str] = {}
    pending: list[str] = []
    for number, line in enumerate(lines):
        match = PREVIOUS_FIELD.match(line.strip())
        if match:
            pending.append(match.group(1))
            lines[number] = ""
        elif line.startswith("msgid ") and pending:
            found[number + 1] = denormalize("\n".join(pending))
            pending = []
        elif line.startswith("msgid"):
            pending = []
    return "\n".join(lines), found


_CREATION_DATE = re.compile(rb'^"POT-Creation-Date: ([^\\"]+)', re.M)


def creation_date(data: bytes) -> datetime | None:
    """The POT-Creation-Date in a catalog's header, if it has a readable one."""
    found = _CREATION_DATE.search(data)
    if found is None:
        return None
    try:
        return datetime.strptime(found.group(1).decode().strip(), "%Y-%m-%d %H:%M%z")
    except (ValueError, UnicodeDecodeError):
        return None


def render_stable(catalog: Catalog, old: bytes | None) -> bytes | None:
    """The catalog's new bytes, or None when they differ from *old* (the file's bytes; None
    when there is no file) only in the date or in what does not change meaning (``same_meaning``).

    The old file's POT-Creation-Date is tried first, so an update that changes
    nothing else leaves the file alone (no date churn in git).
    """
    date = creation_date(old) if old is not None else None
    if date is not None:
        new_date, catalog.creation_date = catalog.creation_date, date
        if render(catalog) == old:
            return None
        catalog.creation_date = new_date
    new = render(catalog)
    return None if old is not None and same_meaning(old, new) else new


def same_meaning(old: bytes, new: bytes) -> bool:
    """Whether two catalog files say the same thing, however each was formatted.

    Translators' tools re-wrap lines (GNU gettext, Poedit and Weblate wrap at 79 columns by
    default), order header fields their own way and write their own name and version
    (``X-Generator``, ``Generated-By``, ``Last-Translator``, ``PO-Revision-Date``); none of
    that changes a translation, so none of it makes a catalog out of date.  What counts:
    every message with its context, translation, flags, comments, places and previous
    msgid; the project and version, language, charset and plural rule (by meaning); and
    whether the file still holds a placeholder or a guessed ``python-format`` flag, which
    site_gen's own writing removes.
    """
    try:
        first, second = _meaning(old), _meaning(new)
    except (SiteGenError, PoFileError, UnicodeDecodeError, ValueError, TypeError):
        return False
    plural_first, plural_second = first.pop("plural"), second.pop("plural")
    if (plural_first is None) != (plural_second is None):
        return False
    if plural_first is not None and not same_plural_rule(plural_first, plural_second):
        return False
    return first == second


_HEADER_MSGSTR = re.compile(r'^msgid ""\nmsgstr ((?:"[^\n]*"\n?)+)', re.M)
_FORMAT_FLAG = re.compile(r"^#,[^\n]*\bpython-format\b", re.M)


def header_values(text: str) -> dict[str, str]:
    """The fields of a PO text's header entry as written (however its lines are wrapped)."""
    found = _HEADER_MSGSTR.search(text)
    if found is None:
        return {}
    value = "".join(unescape(chunk) for chunk in _STRING_LINE.findall(found.group(1)))
    fields = (line.partition(":") for line in value.split("\n") if ":" in line)
    return {name.strip(): content.strip() for name, _, content in fields}


def _meaning(data: bytes) -> dict[str, object]:
    text, previous = _parse_previous(data.decode("utf-8"))
    catalog = read_po(io.StringIO(text), abort_invalid=True)
    raw_fields = header_values(text)

    def words(comments: list[str]) -> str:
        return " ".join(" ".join(comments).split())  # a re-wrapped comment is the same comment

    def entry(message: Message) -> tuple[object, ...]:
        return (message.context, message.id, message.string, sorted(message.flags),
                words(message.auto_comments), words(message.user_comments),
                sorted(set(message.locations), key=str), previous.get(message.lineno or 0))

    return {
        "project": (catalog.project, catalog.version),
        "language": str(catalog.locale) if catalog.locale else raw_fields.get("Language") or None,
        "charset": catalog.charset.lower().replace("_", "-"),
        "plural": parse_plural_forms(raw_fields["Plural-Forms"]) if "Plural-Forms" in raw_fields else None,
        "fuzzy": catalog.fuzzy,
        "placeholder": any(_is_placeholder(value) for value in raw_fields.values()),
        "python-format": bool(_FORMAT_FLAG.search(text)),
        "messages": [entry(message) for message in catalog if message.id],
        "obsolete": [entry(message) for message in catalog.obsolete.values()],
    }


def merge_keeps(template_text: str, catalog_text: str, lang: str) -> bool:
    """True when merging the template into the catalog (``merge`` then ``render_stable``)
    would leave the catalog file as it is.

    *template_text* is the template as rendered, *catalog_text* the catalog file.  Most
    catalogs are up to date on most runs, and this answers for them in text, without
    Babel's reading, merging and writing (three quarters of a cold ``update``).  It
    predicts each entry as the merge would write it (the template's comments, places and
    msgid; the catalog's translator comments, flags, previous msgid and msgstr) and compares.
    False means only "not shown": the caller merges through Babel.  A property test checks
    it against that path.
    """
    if "\r" in catalog_text or not VALID_PO.fullmatch(catalog_text):
        return False
    template_entries = template_text.split("\n\n")
    entries = catalog_text.split("\n\n")
    # Obsolete entries (``#~``) come last, as site_gen writes them: the merge keeps them as they
    # are unless their English is back in the template or they hold no translation.
    first_obsolete = next((n for n, entry in enumerate(entries) if n and _OBSOLETE_LINE.search(entry)),
                          len(entries) - 1)
    obsolete, entries = entries[first_obsolete:-1], [*entries[:first_obsolete], entries[-1]]
    if obsolete and not _obsolete_keep(template_text, obsolete, lang):
        return False
    if len(entries) != len(template_entries) or entries[-1] or template_entries[-1]:
        return False
    if not _header_keeps(entries[0], lang):
        return False
    return all(_entry_keeps(template_entry, entry)
               for template_entry, entry in zip(template_entries[1:-1], entries[1:-1], strict=True))


_OBSOLETE_LINE = re.compile(r"^#~", re.M)


def _obsolete_keep(template_text: str, obsolete: list[str], lang: str) -> bool:
    """The obsolete entries come back as they are: each holds a translation, none has its English
    in the template again, and each is written as ``render`` writes it."""
    text = "\n\n".join(obsolete) + "\n\n"
    if any(not _OBSOLETE_LINE.search(entry) for entry in obsolete):
        return False  # a live entry after an obsolete one: not site_gen's order
    try:
        catalog = read_po(io.StringIO(text), locale=parse_locale(lang), abort_invalid=True)
    except (PoFileError, ValueError, SiteGenError):
        return False
    template = plain_translations(template_text)
    if template is None or any(message.id for message in catalog) or not catalog.obsolete:
        return False
    written = []
    for message in catalog.obsolete.values():
        if not isinstance(message.id, str) or not isinstance(message.string, str) or not message.string \
                or message.context or message.id in template:
            return False
        written.extend(_comment(comment, "") for comment in message.user_comments)
        written.append(_message_lines(message, "#~ "))
    return "".join(written) == text


_HEADER_TOKENS = ("PROJECT", "VERSION", "YEAR", "ORGANIZATION", "Translations template")


def _header_keeps(header: str, lang: str) -> bool:
    """The header entry comes back as it is (Babel writes it from the fields it reads).

    Catalogs differ in their header comment (it names the page), so when the comment is
    plain (what Babel writes back unchanged) the fields are checked once under a stand-in.
    """
    lines = header.split("\n")
    first = next((n for n, line in enumerate(lines)
                  if not line.startswith("#") or line.startswith(("#,", "#.", "#:", "#|", "#~"))), 0)
    comments = lines[:first]
    if comments and all(line == f"# {line[1:].strip()}".rstrip() for line in comments) \
            and not any(token in "\n".join(comments) for token in _HEADER_TOKENS):
        return _header_fields_keep("\n".join(["# -", *lines[first:]]), lang)
    return _header_fields_keep.__wrapped__(header, lang)


@functools.lru_cache(maxsize=256)
def _header_fields_keep(header: str, lang: str) -> bool:
    date = creation_date(header.encode())
    if date is None:
        return False  # render_stable would write the template's date
    try:
        catalog = read_po(io.StringIO(header + "\n"), locale=parse_locale(lang), abort_invalid=True)
    except (PoFileError, ValueError, SiteGenError):
        return False
    catalog.creation_date = date
    return render(catalog).decode("utf-8") == header + "\n\n"


#: A msgstr on one line that Babel writes back as it is (no character it escapes differently
#: or splits lines at); anything else is checked by rendering it.
_PLAIN_MSGSTR = re.compile(r'"(?:[^"\\\x00-\x1f\x7f-\x9f\u2028\u2029]|\\[\\t"])*+"')
#: What in a template entry the quick path leaves to the full check.
_SPECIAL_TEMPLATE_LINE = re.compile(r"^(?:#(?![.:,])|msgctxt|msgid_plural)", re.M)


def _entry_keeps(template_entry: str, entry: str) -> bool:
    # Most entries: the template's lines with a plain msgstr in place of its empty one.
    head = len(template_entry) - 2
    if (template_entry.endswith('\nmsgstr ""') and entry.startswith(template_entry[:head])
            and _PLAIN_MSGSTR.fullmatch(entry, head) and not _SPECIAL_TEMPLATE_LINE.search(template_entry)):
        return True
    template_lines = template_entry.split("\n")
    first = next((n for n, line in enumerate(template_lines) if not line.startswith("#")), 0)
    template_comments, template_message = template_lines[:first], template_lines[first:]
    if not template_message or not template_message[0].startswith("msgid "):
        return False  # a context or plural: left to Babel
    end = next((n for n, line in enumerate(template_message) if line.startswith("msgstr")), 0)
    template_flags = {flag.strip() for line in template_comments if line.startswith("#,")
                      for flag in line[2:].lstrip().split(",")}
    kept = [line for line in template_comments if line.startswith(("#.", "#:"))]
    if not end or len(kept) + (1 if template_flags else 0) != len(template_comments):
        return False

    lines = entry.split("\n")
    user_comments: list[str] = []
    flags: set[str] = set()
    previous: list[str] = []
    number = 0
    while number < len(lines) and lines[number].startswith("#"):
        line = lines[number]
        if line.startswith("#|"):
            field = PREVIOUS_FIELD.match(line)
            if field is None:
                return False
            previous.append(field.group(1))
        elif line.startswith("#,"):
            flags.update(flag.strip() for flag in line[2:].lstrip().split(","))
        elif not line.startswith(("#.", "#:")):
            user_comments.append(line[1:].strip())
        number += 1
    if lines[number:number + end] != template_message[:end]:
        return False
    translation = lines[number + end:]
    if not translation or not translation[0].startswith("msgstr ") \
            or not all(line.startswith('"') for line in translation[1:]):
        return False
    string = "".join(unescape(chunk) for chunk in _STRING_LINE.findall("\n".join(translation)))

    # Babel's reader sets and clears the format flags by the msgid; the merge adds the template's;
    # render drops python-format.
    msgid = "".join(unescape(chunk) for chunk in _STRING_LINE.findall("\n".join(template_message[:end])))
    flags = (Message(msgid, flags=flags).flags | template_flags) - {"python-format"}
    expected = [_comment(comment, "") for comment in dict.fromkeys(user_comments)]
    expected += [f"{line}\n" for line in kept]
    if flags:
        expected.append(f"#{', '.join(['', *sorted(flags)])}\n")
    if previous and "fuzzy" in flags:
        text = denormalize("\n".join(previous))
        expected += [f"#| {line}\n" for line in f"msgid {normalize(text, width=0)}".split("\n")]
    expected += [f"{line}\n" for line in template_message[:end]]
    expected.append(f"msgstr {normalize(string, width=0)}")
    return "".join(expected) == entry


#: UTF-8's byte-order mark, which some Windows editors put first.
BOM = b"\xef\xbb\xbf"
_CHARSET = re.compile(r'^"Content-Type:[^"\n]*?charset=([^\\\s";]+)', re.M | re.I)
#: Catalogs warned about in this process (each once, whichever reader meets it first).
_WARNED: set[str] = set()


def catalog_text(data: bytes, where: str | Path) -> str:
    """A catalog's text.  Catalogs are UTF-8 and say so: anything else is an error naming the
    file, since read otherwise its translations would silently become English on the site.
    A byte-order mark is dropped, with a warning (``site-gen update`` writes the file without it)."""
    if data.startswith(BOM):
        data = data[len(BOM):]
        if str(where) not in _WARNED:
            _WARNED.add(str(where))
            shown = os.path.relpath(where) if os.path.isabs(where) else where
            print(f"{shown}:1: warning: the file starts with a byte-order mark (BOM), which is ignored\n"
                  "  fix: save it as UTF-8 without BOM ('site-gen update' removes it)", file=sys.stderr)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise SiteGenError(
            where, data[:error.start].count(b"\n") + 1,
            f"not UTF-8 text (byte {data[error.start]:#04x}): its translations cannot be read",
            "save the file as UTF-8 (Poedit and Weblate do); from Windows-1251: iconv -f cp1251 -t utf-8",
        ) from None
    declared = _CHARSET.search(text)
    if declared and declared.group(1).upper().replace("-", "").replace("_", "") not in ("UTF8", "CHARSET"):
        raise SiteGenError(
            where, text.count("\n", 0, declared.start()) + 1,
            f"the header declares charset={declared.group(1)}; catalogs are UTF-8",
            'save the file as UTF-8 and declare it: "Content-Type: text/plain; charset=UTF-8\\n"',
        )
    return text


def read_catalog(path: Path, lang: str | None = None) -> Catalog:
    """Read a .po/.pot file, turning Babel's parse errors into file:line errors."""
    locale = parse_locale(lang, str(path)) if lang else None
    try:
        text, previous = _parse_previous(catalog_text(path.read_bytes(), path))
        _check_syntax(text, path)
        catalog = read_po(io.StringIO(text), locale=locale, abort_invalid=True)
    except PoFileError as error:
        match = re.search(r"line (\d+)", str(error))
        raise SiteGenError(
            path, int(match.group(1)) if match else None, f"not a valid PO file: {error}",
            "fix the quoting on that line: every msgid/msgstr line is one \"…\" string",
        ) from None
    except UnicodeDecodeError as error:
        raise SiteGenError(path, None, f"not UTF-8 text: {error}", "save the file as UTF-8") from None
    for message in catalog:
        if message.lineno in previous:
            message.previous_id = [previous[message.lineno]]
    return catalog


def read_translations(path: Path, lang: str | None, where: str | None = None,
                      data: bytes | None = None) -> dict[str, Translation]:
    """``translations(read_catalog(path, lang), where)``, read directly when the file is plain.

    A plain file (what site_gen and the usual editors write: no context, plural or indented
    line; obsolete entries are skipped) is read with a regex, faster than building Babel's catalog;
    any other file goes through Babel.  Both give the same table (tested).  *data* is the
    file's bytes when the caller has read them already.
    """
    text = catalog_text(path.read_bytes() if data is None else data, where or path)
    if lang:
        parse_locale(lang, str(path))
    table = plain_translations(text, where) if VALID_PO.fullmatch(text) else None
    return table if table is not None else translations(read_catalog(path, lang), where)


_PLAIN_ENTRY = re.compile(
    r'((?:#[^\n]*\n|\n)*)msgid ("[^\n]*"(?:\n"[^\n]*")*)\nmsgstr ("[^\n]*"(?:\n"[^\n]*")*)(?:\n|\Z)')
_PLAIN_END = re.compile(r"(?:#[^\n]*\n|\n)*(?:#[^\n]*)?\Z")
_STRING_LINE = re.compile(r'"[^\n]*"')


def plain_translations(text: str, where: str | None = None) -> dict[str, Translation] | None:
    """The table of a plain PO *text* (already valid), or None when it is not plain."""
    table: dict[str, Translation] = {}
    position, line = 0, 1
    while True:
        entry = _PLAIN_ENTRY.match(text, position)
        if entry is None:
            return table if _PLAIN_END.match(text, position) else None
        comments, msgid, msgstr = entry.groups()
        line += text.count("\n", position, entry.start(2))
        message = "".join(unescape(chunk) for chunk in _STRING_LINE.findall(msgid))
        if message:
            if message in table:
                return None  # Babel merges duplicates its own way
            lines = comments.split("\n")
            # An obsolete entry (#~) before this one is no translation in use, and the flags
            # before it are its own: only the lines after the last #~ line are this entry's.
            own = lines[max((n for n, line in enumerate(lines) if line.startswith("#~")), default=-1) + 1:]
            flags = [flag.strip() for comment in own if comment.startswith("#,")
                     for flag in comment[2:].lstrip().split(",")]
            string = "".join(unescape(chunk) for chunk in _STRING_LINE.findall(msgstr))
            table[message] = Translation(string, "fuzzy" in flags, where, line)
        line += text.count("\n", entry.start(2), entry.end())
        position = entry.end()


def translations(catalog: Catalog, path: str | None = None) -> dict[str, Translation]:
    """The catalog's entries as the translate stage reads them."""
    table: dict[str, Translation] = {}
    for message in catalog:
        if not message.id or not isinstance(message.id, str):
            continue
        text = message.string if isinstance(message.string, str) else ""
        table[message.id] = Translation(text, message.fuzzy, path, message.lineno)
    return table


#: ``write_atomic``'s *expected* when the file may have any content.
ANY = object()


class ChangedMeanwhile(Exception):
    """The file is no longer what was read: someone saved it meanwhile, and it was kept."""

    def __init__(self, path: Path) -> None:
        super().__init__(str(path))
        self.path = path


def digest(data: bytes | None) -> str | None:
    """What ``write_atomic`` compares a file by (None: no file)."""
    return hashlib.sha256(data).hexdigest() if data is not None else None


def _umask() -> int:
    """This process's umask, read without changing it (``os.umask`` sets it, for every thread)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    return 0o022


def write_atomic(path: Path, data: bytes, durable: bool = True, scratch: Path | None = None,
                 expected: str | object | None = ANY) -> None:
    """Write the whole file or nothing: a crash leaves the old file in place.

    *durable* False skips the flush to disk, for caches that can be rebuilt.  The new bytes
    are written to a temporary file in *scratch* (the file's own folder if None), then
    renamed over *path*; a process killed mid-write leaves its temporary file there, so
    contributors' folders get none.  On another file system the file's folder is used.

    The file keeps its permissions (a new one gets the umask's, as ``open`` would give it).
    With *expected* (``digest`` of the bytes read, None for "no file"), the file is read
    again just before it is replaced: if a translator saved it meanwhile, their file stays
    and ``ChangedMeanwhile`` is raised.  A failed write names *path*, not the temporary file.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        folder = scratch or path.parent
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:
        raise OSError(error.errno, error.strerror, str(path)) from None
    try:
        try:
            mode = stat.S_IMODE(os.stat(path).st_mode)
        except FileNotFoundError:
            mode = 0o666 & ~_umask()  # mkstemp's own 0600 would hide catalogs from a group or a web server
        with os.fdopen(handle, "wb") as stream:
            os.fchmod(stream.fileno(), mode)
            stream.write(data)
            if durable:
                stream.flush()
                os.fsync(stream.fileno())
        if expected is not ANY:
            try:
                now = path.read_bytes()
            except FileNotFoundError:
                now = None
            if digest(now) != expected:
                raise ChangedMeanwhile(path)
        try:
            os.replace(temporary, path)
        except OSError as error:
            if error.errno != errno.EXDEV or scratch is None:
                raise
            Path(temporary).unlink(missing_ok=True)
            write_atomic(path, data, durable, expected=expected)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        if error.filename == temporary or error.filename is None:
            raise OSError(error.errno, error.strerror, str(path)) from None
        raise
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_all(files: Mapping[Path, bytes], scratch: Path | None = None) -> list[Path]:
    """Write several files, each atomically (see ``write_atomic``); returns the ones written."""
    for path, data in files.items():
        write_atomic(path, data, scratch=scratch)
    return list(files)


def compile_catalog(catalog: Catalog) -> bytes:
    """The .mo form of a catalog (fuzzy entries left out, as gettext does)."""
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()

