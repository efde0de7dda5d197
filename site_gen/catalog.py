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

import io
import os
import re
import tempfile
from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po, write_po

from site_gen.errors import SiteGenError
from site_gen.segment import Page
from site_gen.translate import Translation

TEMPLATES = "templates"
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
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc)
    return datetime.now(tz=timezone.utc).replace(second=0, microsecond=0)


def page_template(page: Page, source_prefix: str, project: str = "site") -> Catalog:
    """The .pot catalog of one page: each message with its lines and comments."""
    source = f"{source_prefix}/{page.path}" if source_prefix else page.path
    catalog = Catalog(
        project=project, header_comment=HEADER.format(source=source),
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


def new_catalog(template: Catalog, lang: str) -> Catalog:
    locale = parse_locale(lang)
    catalog = Catalog(
        locale=locale, project=template.project, header_comment=template.header_comment,
        creation_date=template.creation_date, revision_date=template.creation_date,
        language_team=f"{locale.get_display_name(locale)} ({lang})", fuzzy=False,
    )
    catalog.update(template)
    return catalog


def merge(template: Catalog, catalog: Catalog) -> Catalog:
    """Bring *catalog* in line with *template*, keeping every translation."""
    for message in list(catalog.obsolete.values()):
        # English that came back after being removed gets its old translation back.
        if message.id in template and message.id not in catalog:
            catalog[message.id] = message
            del catalog.obsolete[message.id]
    catalog.update(template, update_creation_date=True)
    for key in [k for k, message in catalog.obsolete.items() if not message.string]:
        del catalog.obsolete[key]  # an obsolete entry without a translation holds nothing
    return catalog


def render(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=0, include_previous=True, sort_output=False)
    return buffer.getvalue()


def render_stable(catalog: Catalog, path: Path) -> bytes | None:
    """The file's new bytes, or None when only the date would change.

    The old file's POT-Creation-Date is tried first, so an update that changes
    nothing else leaves the file alone (no date churn in git).
    """
    if path.exists():
        old = path.read_bytes()
        previous = re.search(rb'^"POT-Creation-Date: ([^\\"]+)', old, re.M)
        if previous:
            candidate_date = catalog.creation_date
            try:
                catalog.creation_date = datetime.strptime(
                    previous.group(1).decode().strip(), "%Y-%m-%d %H:%M%z"
                )
            except ValueError:
                pass
            if render(catalog) == old:
                return None
            catalog.creation_date = candidate_date
    return render(catalog)


def read_catalog(path: Path, lang: str | None = None) -> Catalog:
    """Read a .po/.pot file, turning Babel's parse errors into file:line errors."""
    locale = parse_locale(lang, str(path)) if lang else None
    try:
        with path.open("rb") as handle:
            return read_po(handle, locale=locale, abort_invalid=True)
    except PoFileError as error:
        match = re.search(r"line (\d+)", str(error))
        raise SiteGenError(
            path, int(match.group(1)) if match else None, f"not a valid PO file: {error}",
            "fix the quoting on that line: every msgid/msgstr line is one \"…\" string",
        ) from None
    except UnicodeDecodeError as error:
        raise SiteGenError(path, None, f"not UTF-8 text: {error}", "save the file as UTF-8") from None


def translations(catalog: Catalog, path: str | None = None) -> dict[str, Translation]:
    """The catalog's entries as the translate stage reads them."""
    table: dict[str, Translation] = {}
    for message in catalog:
        if not message.id or not isinstance(message.id, str):
            continue
        text = message.string if isinstance(message.string, str) else ""
        table[message.id] = Translation(text, message.fuzzy, path, message.lineno)
    return table


def write_atomic(path: Path, data: bytes) -> None:
    """Write the whole file or nothing: a crash leaves the old file in place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_all(files: Mapping[Path, bytes]) -> list[Path]:
    """Write several files, each atomically; returns the ones written."""
    for path, data in files.items():
        write_atomic(path, data)
    return list(files)


def compile_catalog(catalog: Catalog) -> bytes:
    """The .mo form of a catalog (fuzzy entries left out, as gettext does)."""
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def is_stale(expected: Iterable[tuple[Path, bytes | None]]) -> list[Path]:
    return [path for path, data in expected if data is not None]
