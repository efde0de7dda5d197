"""MkDocs' URL scheme and its automatic navigation, as site_gen's generated pages need them.

Pure functions: nothing here imports MkDocs, so the core may ask for a page's URL.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import PurePosixPath
from typing import Any


def html_path(page_path: str) -> str:
    """Where MkDocs writes a page with use_directory_urls: false."""
    return str(PurePosixPath(page_path).with_suffix(".html"))


def auto_nav(paths: Iterable[str]) -> list[Any]:
    """The navigation MkDocs makes when mkdocs.yml has none: index first, folders after files."""
    def order(path: str) -> tuple[Any, ...]:
        parts = PurePosixPath(path).parts
        return parts[:-1], PurePosixPath(path).stem not in ("index", "README"), parts[-1]

    nav: list[Any] = []
    for path in sorted(paths, key=order):
        level = nav
        for folder in PurePosixPath(path).parent.parts:
            title = folder.replace("-", " ").replace("_", " ")
            title = title.capitalize() if title.lower() == title else title
            section = next((item for item in level if isinstance(item, dict) and title in item), None)
            if section is None:
                section = {title: []}
                level.append(section)
            level = section[title]
        level.append(path)
    return nav
