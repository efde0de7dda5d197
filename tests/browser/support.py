"""What the browser tests share: where things are, the served site, one visit's record."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("SITE_GEN_CHROMIUM", "/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ENABLED = os.environ.get("SITE_GEN_BROWSER") == "1"

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
#: Schemes that never reach the network.
LOCAL_SCHEMES = {"data", "blob", "about", "chrome-error"}


# --- the site ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Site:
    root: Path
    base: str  # http://127.0.0.1:PORT
    languages: tuple[str, ...]
    source: str

    @property
    def host(self) -> str:
        return urlsplit(self.base).netloc

    def pages(self, lang: str) -> list[str]:
        """Every HTML page of one language, as paths relative to the site root."""
        return sorted(p.relative_to(self.root).as_posix() for p in (self.root / lang).glob("*.html"))

    def all_pages(self) -> list[str]:
        """Every page of every language, plus the root chooser and 404."""
        pages = sorted(p.name for p in self.root.glob("*.html"))
        for lang in self.languages:
            pages += self.pages(lang)
        return pages

    def topic_pages(self, lang: str) -> list[str]:
        """Pages made from content/ (not the generated status page, search or 404)."""
        names = {f"{p.stem}.html" for p in (ROOT / "content").glob("*.md")}
        return [p for p in self.pages(lang) if p.rsplit("/", 1)[-1] in names]

    def url(self, path: str) -> str:
        return f"{self.base}/{path}"


@dataclass
class Visit:
    path: str
    status: int | None = None
    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)


def is_local(url: str, site: Site) -> bool:
    parts = urlsplit(url)
    return parts.scheme in LOCAL_SCHEMES or (parts.scheme == "http" and parts.netloc == site.host)
