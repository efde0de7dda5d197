"""The private APIs of other packages that site_gen uses, and the versions each was checked with.

Each one is a speed-up or a fix with a public (slower, or plainer) path beside it.  Where the
installed version lies outside the range checked here, the caller takes the public path and
site_gen prints one warning, so pyproject.toml's open ranges stay open: a new release builds
the same site, only without that speed-up or fix.  ``SITE_GEN_PRIVATE_API=off`` takes every
public path (the tests compare the two sites).  ``tests/test_private_api.py`` fails on an
installed version outside its range, so an upgrade (``bash .ci/lock``) is noticed at once:
check the use named below against the new release, then widen the range.

The list, with its upgrade risk, is in docs/architecture.md ("Private APIs").
This module imports nothing beyond the standard library: the core may ask it too.
"""

from __future__ import annotations

import functools
import os
import sys
from dataclasses import dataclass
from importlib import metadata


@dataclass(frozen=True)
class Use:
    """One private API: who provides it, the versions it was checked with, and what falls back."""

    distribution: str  # a PyPI name, or "python" for the interpreter
    lowest: str  # the lowest version checked
    below: str  # the first version not checked (exclusive)
    what: str  # the private API, as a reader of the other package's code finds it
    fallback: str  # what site_gen does instead on another version


#: Keyed by the name the code asks with.
USES: dict[str, Use] = {
    "markdown.inline_loop": Use(
        "markdown", "3.6", "3.12",
        "Python-Markdown's name-mangled InlineProcessor.__handleInline and __applyPattern, and "
        "LinkInlineProcessor._findBracketEnds, set per instance (fast_inline.py)",
        "Python-Markdown's own inline processor (the same HTML, more Markdown time)"),
    "mkdocs.theme_env": Use(
        "mkdocs", "1.6.0", "1.7",
        "MkDocs' Theme.get_env replaced per build, and its listing of theme files through the Jinja "
        "loader's list_templates (engine.theme_environment, mkdocs_hooks.on_config)",
        "the loader and template cache set in the public on_env event (MkDocs lists every theme file)"),
    "mkdocs.extension_after_validation": Use(
        "mkdocs", "1.6.0", "1.7",
        "a Markdown Extension instance appended to config.markdown_extensions in on_config, after "
        "MkDocs validated the list (mkdocs_hooks.on_config)",
        "no extension appended: Python-Markdown's own inline processor"),
    "material.bundle": Use(
        "mkdocs-material", "9.7.0", "9.8",
        "the text of Material's minified bundle.*.min.js (engine.quiet_material_alternates) and of its "
        "icon SVG markup (mkdocs_hooks._finish)",
        "the bundle and icons left as Material ships them (the bundle asks site_url for sitemap.xml "
        "when a reader switches language; icons have no size without the stylesheet)"),
    "python.atexit": Use(
        "python", "3.11", "3.14",
        "atexit._run_exitfuncs before os._exit, to skip the interpreter's shutdown (cli.run)",
        "sys.exit: Python's own shutdown, which frees every object one by one"),
}


def installed_version(distribution: str) -> str | None:
    if distribution == "python":
        return ".".join(map(str, sys.version_info[:3]))
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


def _key(version: str) -> tuple[int, ...]:
    """The numeric release of *version* ("9.7.7" → (9, 7, 7); "3.12.0rc1" → (3, 12, 0))."""
    parts: list[int] = []
    for piece in version.split("."):
        digits = ""
        for char in piece:
            if not char.isdigit():
                break
            digits += char
        if not digits:
            break
        parts.append(int(digits))
        if len(digits) != len(piece):
            break
    return tuple(parts)


def in_range(version: str, use: Use) -> bool:
    return _key(use.lowest) <= _key(version) < _key(use.below)


@functools.cache
def verified(name: str) -> bool:
    """Whether the installed provider of private API *name* is one it was checked with.

    On another version this prints one warning (once per process, and a build asks before its
    workers fork) and returns False: the caller then takes the public path."""
    use = USES[name]
    if os.environ.get("SITE_GEN_PRIVATE_API", "").lower() == "off":  # the public paths, to compare
        print(f"site_gen: warning: SITE_GEN_PRIVATE_API=off: using {use.fallback}", file=sys.stderr)
        return False
    version = installed_version(use.distribution)
    if version is not None and in_range(version, use):
        return True
    print(f"site_gen: warning: {use.distribution} {version or '(not installed)'} is not a version site_gen "
          f"was checked with ({use.lowest} to below {use.below}) for {use.what}; using {use.fallback}. "
          f"fix: nothing is needed to build; a developer checks it and widens "
          f"site_gen/private_api.py", file=sys.stderr)
    return False


def check_all() -> None:
    """Ask about every private API once, so that forked workers inherit the answers (one warning)."""
    for name in USES:
        verified(name)
