"""Pseudo-translations into uk and ru that keep the Markdown of each message intact.

Latin letters become Cyrillic letters (so the text is really Cyrillic, as in a
real translation: search, slugs and fonts see Cyrillic).  Kept as they are:
inline code, link targets ``](…)`` and ``][…]``, attribute lists ``{…}``
(also ``{percent}`` placeholders), footnote labels ``[^…]``, HTML tags and
entities, autolinks and URLs.  Digits and punctuation are never touched.
"""

from __future__ import annotations

import re
from pathlib import Path

from site_gen import catalog as catalogs
from site_gen import interface
from site_gen.project import Project

KEEP = re.compile(
    r"(`+).+?\1"                      # inline code
    r"|\]\([^)]*\)|\]\[[^\]]*\]"      # link targets
    r"|\{[^{}]*\}"                    # attribute lists, placeholders
    r"|\[\^[^\]]*\]"                  # footnote labels
    r"|<[^<>]+>|&#?\w+;"              # HTML tags, autolinks, entities
    r"|https?://\S+",                 # bare URLs
    re.S,
)

_COMMON = {
    "a": "а", "b": "б", "c": "с", "d": "д", "e": "е", "f": "ф", "g": "г", "h": "х", "j": "й", "k": "к",
    "l": "л", "m": "м", "n": "н", "o": "о", "p": "п", "q": "к", "r": "р", "s": "с", "t": "т", "u": "у",
    "v": "в", "w": "ш", "x": "кс", "z": "з",
}
MAPS = {
    "uk": {**_COMMON, "i": "і", "y": "и", "g": "ґ"},
    "ru": {**_COMMON, "i": "и", "y": "ы"},
}


def _table(lang: str) -> dict[int, str]:
    table = {}
    for latin, cyrillic in MAPS[lang].items():
        table[ord(latin)] = cyrillic
        table[ord(latin.upper())] = cyrillic[:1].upper() + cyrillic[1:]
    return table


TABLES = {lang: _table(lang) for lang in MAPS}


def pseudo(text: str, lang: str) -> str:
    """The Cyrillic look-alike of *text*, with its markup kept byte for byte."""
    table = TABLES[lang]
    out, last = [], 0
    for match in KEEP.finditer(text):
        out.append(text[last:match.start()].translate(table))
        out.append(match.group(0))
        last = match.end()
    out.append(text[last:].translate(table))
    return "".join(out)


def fill_catalogs(locales: Path, lang: str) -> int:
    """Translate every message of every catalog of *lang* (pages and ``_site.po``)."""
    count = 0
    for path in sorted((locales / lang / "LC_MESSAGES").rglob("*.po")):
        catalog = catalogs.read_catalog(path, lang)
        for message in catalog:
            if message.id and isinstance(message.id, str):
                message.string = pseudo(message.id, lang)
                message.flags.discard("fuzzy")
                count += 1
        catalogs.write_atomic(path, catalogs.render(catalog))
    return count


def write_suffix_docs(project: Project, target: Path, languages: tuple[str, ...]) -> int:
    """mkdocs-static-i18n's suffix layout: ``page.md`` (English), ``page.uk.md``, ``page.ru.md``.

    The translated pages are exactly the Markdown site_gen builds from the catalogs
    (translate_page with the same translations), without site_gen's front-matter facts.
    """
    from site_gen.translate import translate_page

    written = 0
    for page in project.pages():
        english = target / page.path
        english.parent.mkdir(parents=True, exist_ok=True)
        english.write_text(page.source, encoding="utf-8")
        written += 1
        for lang in languages:
            result = translate_page(page, project.translations(lang, page.path), lang,
                                    project.source_language)
            name = english.with_name(f"{english.stem}.{lang}.md")
            name.write_text(result.markdown, encoding="utf-8")
            written += 1
    return written


def site_strings(project: Project, lang: str) -> dict[str, str]:
    """Translated site name and description, for mkdocs-static-i18n's per-language settings."""
    table = project.translations(lang, interface.CATALOG)
    return {key: interface.translate_text(str(project.config.get(key, "")), table)
            for key in ("site_name", "site_description")}
