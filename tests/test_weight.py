"""Weight budgets, on the built site: readers on slow, metered or censored connections first.

* every page's HTML is at most 14 KB gzipped (level 9): it fits the first round trips;
* the first view of a page (its HTML, every stylesheet and script it references, the images
  it and its stylesheets reference) is at most 100 KB gzipped in all;
* no web fonts: no font files in the site, no ``@font-face`` in any stylesheet;
* no image over 50 KB.
"""

from __future__ import annotations

import gzip
import os
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from site_gen.cli import main
from tests.conftest import copy_project

HTML_BUDGET = 14 * 1024
FIRST_VIEW_BUDGET = 100 * 1024
IMAGE_BUDGET = 50 * 1024
FONT_SUFFIXES = {".woff", ".woff2", ".ttf", ".otf", ".eot"}
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".svg", ".ico", ".bmp"}
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)['"]?\s*\)|@import\s+['"]([^'"]+)['"]""", re.I)
IMAGE_RELS = {"icon", "shortcut", "apple-touch-icon", "mask-icon"}


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9, mtime=0))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("weight")
    copy_project(project)
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = "1700000000"
    try:
        assert main(["-f", str(project / "mkdocs.yml"), "build"]) == 0
    finally:
        if old is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old
    return project / "site"


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


class _References(HTMLParser):
    """What a browser fetches to show a page: stylesheets, scripts, images, the icon."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        rel = set((a.get("rel") or "").lower().split())
        if tag == "link" and ("stylesheet" in rel or rel & IMAGE_RELS) and a.get("href"):
            self.found.append(a["href"] or "")
        elif tag == "script" and a.get("src"):
            self.found.append(a["src"] or "")
        elif tag in ("img", "source", "input", "video") and (a.get("src") or a.get("poster")):
            self.found.append(a.get("src") or a.get("poster") or "")
        if tag in ("img", "source") and a.get("srcset"):
            self.found += [item.strip().split(" ")[0] for item in (a["srcset"] or "").split(",") if item.strip()]


def local_file(site: Path, base: Path, url: str) -> Path | None:
    """The file a relative or root-relative URL names, or None for data:, other hosts, …."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    path = unquote(parts.path)
    return (site / path.lstrip("/")) if path.startswith("/") else (base / path)


def first_view(site: Path, page: Path) -> dict[Path, int]:
    """Every file the first view of *page* loads, with its gzipped size."""
    parser = _References()
    parser.feed(page.read_text(encoding="utf-8"))
    files: dict[Path, int] = {page: gz(page.read_bytes())}
    queue = [(page.parent, url) for url in parser.found]
    while queue:
        base, url = queue.pop()
        path = local_file(site, base, url)
        if path is None:
            continue
        path = path.resolve()
        assert path.is_file(), f"{page.relative_to(site)} references {url}, which is not in the site"
        if path in files:
            continue
        files[path] = gz(path.read_bytes())
        if path.suffix == ".css":
            for match in CSS_URL.finditer(path.read_text(encoding="utf-8")):
                queue.append((path.parent, match.group(1) or match.group(2)))
    return files


def test_every_page_html_is_at_most_14_kb_gzipped(site: Path) -> None:
    sizes = {page.relative_to(site).as_posix(): gz(page.read_bytes()) for page in pages(site)}
    assert len(sizes) > 10
    over = {name: size for name, size in sizes.items() if size > HTML_BUDGET}
    largest = max(sizes, key=sizes.__getitem__)
    print(f"largest page HTML: {largest}, {sizes[largest]} bytes gzipped")
    assert not over, f"over {HTML_BUDGET} bytes gzipped: {over}"


def test_first_view_of_every_page_is_at_most_100_kb_gzipped(site: Path) -> None:
    totals = {}
    for page in pages(site):
        files = first_view(site, page)
        totals[page.relative_to(site).as_posix()] = (sum(files.values()), files)
    heaviest = max(totals, key=lambda name: totals[name][0])
    total, files = totals[heaviest]
    breakdown = "\n".join(f"  {size:>7}  {path.relative_to(site.resolve()).as_posix()}"
                          for path, size in sorted(files.items(), key=lambda item: -item[1]))
    print(f"heaviest first view: {heaviest}, {total} bytes gzipped:\n{breakdown}")
    over = {name: total for name, (total, _) in totals.items() if total > FIRST_VIEW_BUDGET}
    assert not over, f"first view over {FIRST_VIEW_BUDGET} bytes gzipped: {over}\n" \
        f"heaviest, {heaviest}:\n{breakdown}"


def test_no_web_fonts(site: Path) -> None:
    fonts = [p.relative_to(site).as_posix() for p in site.rglob("*") if p.suffix.lower() in FONT_SUFFIXES]
    assert not fonts, f"font files in the site: {fonts}"
    face = [p.relative_to(site).as_posix() for p in site.rglob("*.css")
            if "@font-face" in p.read_text(encoding="utf-8").lower()]
    face += [p.relative_to(site).as_posix() for p in pages(site)
             if "@font-face" in p.read_text(encoding="utf-8").lower()]
    assert not face, f"@font-face in: {face}"


def test_no_image_over_50_kb(site: Path) -> None:
    images = {p.relative_to(site).as_posix(): p.stat().st_size
              for p in site.rglob("*") if p.suffix.lower() in IMAGE_SUFFIXES}
    over = {name: size for name, size in images.items() if size > IMAGE_BUDGET}
    assert not over, f"images over {IMAGE_BUDGET} bytes: {over}"


def test_the_budget_counts_what_a_page_loads(site: Path) -> None:
    """The first view really follows a page's stylesheets, scripts and icon."""
    files = first_view(site, site / "en" / "index.html")
    suffixes = {path.suffix for path in files}
    assert {".html", ".css", ".js"} <= suffixes, suffixes
