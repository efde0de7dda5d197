"""The settings of ``extra.site_gen`` in ``mkdocs.yml``, declared, and checked when the project loads.

A typo must not be ignored: ``languges:`` once built only English and deleted the other
languages' folders from ``site/``.  Each setting says what it accepts; an unknown key gets
the nearest known one, and a wrong value gets ``mkdocs.yml:LINE`` and the line to write.
Every problem is reported at once, before anything is read or written.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

import yaml

from site_gen.errors import SiteGenError, SiteGenErrors

#: A problem with a value (None: fine), and the line that would fix it.
Verdict = tuple[str, str] | None


@dataclass(frozen=True)
class Setting:
    """One key of ``extra.site_gen``: what it means, an example, and its check."""

    name: str
    meaning: str
    example: str
    check: Callable[[Any], Verdict]


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _language_code(value: Any) -> str | None:
    """The problem with one language code, or None."""
    from site_gen.catalog import parse_locale

    if isinstance(value, bool):
        # `no` (Norwegian) is YAML's false.
        return f"a bare no, yes, on or off is read as {str(value).lower()}, not as a language code"
    if not isinstance(value, str):
        return f"{value!r} is not a language code"
    try:
        parse_locale(value)
    except SiteGenError:
        return f"unknown language code {value!r}"
    return None


def _check_code(name: str) -> Callable[[Any], Verdict]:
    def check(value: Any) -> Verdict:
        problem = _language_code(value)
        return None if problem is None else (problem, f'{name}: en  (an ISO 639 code Babel knows; quote "no")')
    return check


def _check_languages(value: Any) -> Verdict:
    fix = "languages: [en, uk, ru]  (a list, in square brackets or one '- code' line each)"
    if isinstance(value, str):
        codes = [code for code in re.split(r"[\s,;]+", value) if code]
        return "must be a list of language codes, not one text", f"languages: [{', '.join(codes)}]"
    if not isinstance(value, list) or not value:
        return f"must be a list of language codes, not {value!r}", fix
    for code in value:
        problem = _language_code(code)
        if problem is not None:
            return problem, fix + ('; quote a code YAML reads otherwise: "no"' if isinstance(code, bool) else "")
    return None


def _percent(value: Any) -> int | None:
    """A publishing threshold's whole number, as the contributor probably meant it ("80%" → 80)."""
    if isinstance(value, str):
        found = re.fullmatch(r"\s*(\d{1,3})\s*%?\s*", value)
        return int(found.group(1)) if found else None
    return value if _is_int(value) else None


def _check_threshold(value: Any) -> Verdict:
    def one(item: Any) -> bool:
        return _is_int(item) and 0 <= item <= 100

    if isinstance(value, dict):
        for lang, item in value.items():
            if _language_code(lang) is not None:
                return f"{lang!r} is not a language code", "publish_threshold: {uk: 80, ru: 60}"
            if not one(item):
                meant = _percent(item)
                fix = f"{lang}: {meant}" if meant is not None and 0 <= meant <= 100 else f"{lang}: 80"
                return (f"the threshold for {lang} must be a whole number from 0 to 100 "
                        f"(a percentage, without %), not {item!r}", fix)
        return None
    if one(value):
        return None
    meant = _percent(value)
    fix = f"publish_threshold: {meant}" if meant is not None and 0 <= meant <= 100 else "publish_threshold: 80"
    return (f"must be a whole number from 0 to 100 (a percentage, without %), or one per language, "
            f"not {value!r}", f"{fix}  (or per language: publish_threshold: {{uk: 80, ru: 60}})")


def _check_date_locale(value: Any) -> Verdict:
    fix = "date_locale: {en: en_GB}  (language → Babel locale for dates)"
    if not isinstance(value, dict):
        return f"must map languages to Babel locales, not {value!r}", fix
    for lang, locale in value.items():
        for item in (lang, locale):
            problem = _language_code(item)
            if problem is not None:
                return problem.replace("language code", "locale"), fix
    return None


def _relative_path(suffix: str | None = None) -> Callable[[Any], Verdict]:
    def check(value: Any) -> Verdict:
        example = "sources.md" if suffix else "locales"
        if not isinstance(value, str) or not value.strip():
            return f"must be a path inside the project, not {value!r}", f"write it as a path, e.g. {example}"
        path = PurePosixPath(value.replace("\\", "/"))
        if path.is_absolute() or ".." in path.parts:
            return (f"{value!r} is outside the project: only the project's own files are read",
                    f"use a folder inside the project, e.g. {example}")
        if suffix and path.suffix != suffix:
            return f"{value!r} is not a {suffix} page", f"name a page of the content folder, e.g. {example}"
        return None
    return check


def _check_version(value: Any, written: str | None = None) -> Verdict:
    if (isinstance(value, str) and value.strip()) or _is_int(value):
        return None
    if isinstance(value, float):
        # YAML reads 1.10 as the number 1.1: the catalogs would say 1.1.
        return (f"{written or value} is read as a number, which can change it (1.10 becomes 1.1)",
                f'site_version: "{written or value}"')
    return f"must be a version text, not {value!r}", 'site_version: "1.0"'


def _check_nav_limit(value: Any) -> Verdict:
    from site_gen.generate import NAV_LIMIT

    if _is_int(value) and value >= 2:
        return None
    return f"must be a whole number of at least 2, not {value!r}", f"nav_limit: {NAV_LIMIT}  (or remove it)"


def _check_days(value: Any) -> Verdict:
    if _is_int(value) and value >= 1:
        return None
    return f"must be a whole number of days, at least 1, not {value!r}", "review_after_days: 180"


def _check_engine(value: Any) -> Verdict:
    from site_gen.render import ENGINES

    if value in ENGINES:
        return None
    return f"unknown engine {value!r} (known: {', '.join(ENGINES)})", "engine: properdocs  (or remove it)"


#: Page schemas a site may turn on: the explainer's front matter (title, dates, sources, status).
PROFILES = ("explainer",)


def _check_profile(value: Any) -> Verdict:
    if value in PROFILES:
        return None
    return f"unknown profile {value!r} (known: {', '.join(PROFILES)})", "profile: explainer  (or remove it)"


PRIVACY_MODES = ("strict", "warn")


def _check_privacy(value: Any) -> Verdict:
    fix = "privacy: {mode: strict, allow: [img.shields.io]}"
    if not isinstance(value, dict):
        return f"must be a mapping with 'mode' and 'allow', not {value!r}", fix
    unknown = sorted(set(map(str, value)) - {"mode", "allow"})
    if unknown:
        return f"unknown key(s) {', '.join(unknown)} (known: mode, allow)", fix
    if value.get("mode", "strict") not in PRIVACY_MODES:
        return f"mode must be strict or warn, not {value.get('mode')!r}", "privacy: {mode: warn}"
    allow = value.get("allow", [])
    if not isinstance(allow, list) or not all(isinstance(host, str) and re.fullmatch(
            r"(\*\.)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*(:\d+)?", host) for host in allow):
        return (f"allow must be a list of host names (img.shields.io, *.example.org), not {allow!r}",
                "privacy: {allow: [img.shields.io]}  (host names, no https:// or path)")
    return None


SETTINGS: dict[str, Setting] = {setting.name: setting for setting in (
    Setting("source_language", "the language of the pages in the content folder", "source_language: en",
            _check_code("source_language")),
    Setting("languages", "every language of the site", "languages: [en, uk, ru]", _check_languages),
    Setting("locales_dir", "the folder of the catalogs", "locales_dir: locales", _relative_path()),
    Setting("date_locale", "the Babel locale that formats dates, per language", "date_locale: {en: en_GB}",
            _check_date_locale),
    Setting("publish_threshold", "% translated for a language to be linked", "publish_threshold: 80",
            _check_threshold),
    Setting("sources_page", "the page whose headings are the sources' ids", "sources_page: sources.md",
            _relative_path(".md")),
    Setting("site_version", "the version in every catalog's Project-Id-Version", 'site_version: "1.0"',
            _check_version),
    Setting("nav_limit", "the longest menu level before it is split", "nav_limit: 50", _check_nav_limit),
    # Read by check on the main line (a topic page not reviewed for longer gets a warning).
    Setting("review_after_days", "days after which check warns that a topic page needs a review",
            "review_after_days: 180", _check_days),
    Setting("profile", "a page schema check enforces: explainer (title, dates, sources, status)",
            "profile: explainer", _check_profile),
    Setting("engine", "the site engine each language is built with: mkdocs (default) or properdocs",
            "engine: properdocs", _check_engine),
    Setting("privacy", "what a page may load from other hosts: mode strict (fail) or warn, and allowed hosts",
            "privacy: {mode: strict, allow: [img.shields.io]}", _check_privacy),
)}


def _child(node: yaml.Node | None, key: str) -> tuple[yaml.Node, yaml.Node] | None:
    if not isinstance(node, yaml.MappingNode):
        return None
    for key_node, value_node in node.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
            return key_node, value_node
    return None


def check_settings(config: dict[str, Any], text: str, where: str) -> None:
    """Raise every problem of ``extra.site_gen`` in *config* (read from *text*, the file *where*)."""
    try:
        # Composed only (no tag is run): the nodes know their lines.
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        root = None  # read_config read it; only the line numbers are lost
    extra_node = _child(root, "extra")
    section = _child(extra_node[1] if extra_node else None, "site_gen")

    def line(node: yaml.Node | None) -> int | None:
        return node.start_mark.line + 1 if node is not None else None

    extra = config.get("extra")
    if extra is not None and not isinstance(extra, dict):
        raise SiteGenError(where, line(extra_node[0] if extra_node else None),
                           "'extra' must be a mapping of settings", "extra:\n    site_gen:\n      languages: [en]")
    settings = (extra or {}).get("site_gen")
    if settings is None:
        return
    if not isinstance(settings, dict):
        raise SiteGenError(where, line(section[0] if section else None),
                           "extra.site_gen must be a mapping of settings, one 'key: value' per line",
                           "site_gen:\n      languages: [en, uk, ru]")
    errors: list[SiteGenError] = []
    for key, value in settings.items():
        located = _child(section[1] if section else None, str(key))
        key_line = line(located[0]) if located else None
        setting = SETTINGS.get(str(key))
        if setting is None:
            close = difflib.get_close_matches(str(key), SETTINGS, n=1, cutoff=0.6)
            hint = (f"did you mean '{close[0]}'? ({SETTINGS[close[0]].meaning})" if close
                    else f"known settings: {', '.join(SETTINGS)}")
            errors.append(SiteGenError(where, key_line, f"unknown setting extra.site_gen.{key}",
                                       f"{hint}; a setting site_gen does not know is never ignored"))
            continue
        value_node = located[1] if located else None
        verdict = (_check_version(value, value_node.value if isinstance(value_node, yaml.ScalarNode) else None)
                   if setting.check is _check_version else setting.check(value))
        if verdict is not None:
            problem, fix = verdict
            errors.append(SiteGenError(where, line(value_node), f"extra.site_gen.{key}: {problem}", f"write {fix}"))
    if errors:
        raise SiteGenErrors(errors) if len(errors) > 1 else errors[0]


def markdown_extensions(config: Any) -> list[tuple[str, Any]]:
    """(name, options) of each entry of mkdocs.yml's ``markdown_extensions``, as MkDocs reads
    them: a name, or a one-key mapping of the name to its options (None when it has none)."""
    found = []
    for item in config.get("markdown_extensions") or []:
        name = next(iter(item)) if isinstance(item, dict) else str(item)
        found.append((name, item.get(name) if isinstance(item, dict) else None))
    return found
