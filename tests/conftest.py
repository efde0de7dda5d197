from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
from hypothesis import HealthCheck, settings

# No per-example deadline: many oracles are slow library calls (Babel's reader and writer,
# Python-Markdown), and on a loaded 2-core CI machine a deadline only makes tests flaky.
# Speed is measured in bench/, as ratios within one run.
settings.register_profile("site_gen", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("site_gen")

ROOT = Path(__file__).resolve().parent.parent
EXTENSIONS = ["toc", "tables", "admonition", "attr_list", "footnotes", "abbr", "def_list"]
BLOCK_TAGS = {
    "h1", "h2", "h3", "h4", "h5", "h6", "p", "ul", "ol", "li", "table", "thead", "tbody", "tr",
    "th", "td", "pre", "blockquote", "dl", "dt", "dd", "div", "hr", "details", "summary",
}


def strip_front_matter(text: str) -> str:
    match = re.match(r"^---\n.*?\n(?:---|\.\.\.)\n", text, re.S)
    return text[match.end():] if match else text


def render(text: str) -> str:
    """Render a page as MkDocs would (front matter removed, the site's extensions)."""
    return markdown.markdown(strip_front_matter(text), extensions=EXTENSIONS)


def render_translated(text: str, page) -> str:
    """Render a translated page as the build does: its headings then take the English page's
    (*page*'s) ids, which the build's hook gives them (``anchors.give_ids``)."""
    from site_gen.anchors import HEADING_ID, english_heading_ids, give_ids
    from site_gen.gate import MKDOCS_BUILTINS, MarkdownConfig

    config = MarkdownConfig(tuple(dict.fromkeys([*MKDOCS_BUILTINS, *EXTENSIONS])))
    html = render(text)
    ids = english_heading_ids(page, config)
    if len(HEADING_ID.findall(html)) != len(ids):  # as the hook does: the English page says
        ids = [match.group(3) for match in HEADING_ID.finditer(render(page.source))]
    return give_ids(html, ids)[0]


class _Events(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.events: list[tuple] = []

    def handle_starttag(self, tag, attrs):
        self.events.append(("start", tag, tuple(sorted(attrs))))

    def handle_endtag(self, tag):
        self.events.append(("end", tag))

    def handle_data(self, data):
        text = " ".join(data.split())
        if text:
            if self.events and self.events[-1][0] == "text":
                self.events[-1] = ("text", self.events[-1][1] + " " + text)
            else:
                self.events.append(("text", text))


def html_events(html: str) -> list[tuple]:
    """HTML as a list of tags and whitespace-folded text, for comparing renderings."""
    parser = _Events()
    parser.feed(html)
    return parser.events


def block_structure(html: str) -> list[tuple]:
    """Only the block elements, with the attributes that give structure (ids, classes)."""
    keep = {"id", "class"}
    return [
        (event[0], event[1], tuple(a for a in event[2] if a[0] in keep) if event[0] == "start" else ())
        for event in html_events(html)
        if event[0] in ("start", "end") and event[1] in BLOCK_TAGS
    ]


def copy_project(target: Path, names: tuple[str, ...] = ("content", "locales")) -> Path:
    """A copy of this repository's pages, catalogs and mkdocs.yml in *target*, to change freely."""
    for name in names:
        shutil.copytree(ROOT / name, target / name)
    shutil.copy(ROOT / "mkdocs.yml", target / "mkdocs.yml")
    return target


def build_site(project: Path) -> Path:
    """`site-gen build` in *project* (from its folder, as a contributor runs it); its site/."""
    import os

    from site_gen.cli import main

    cwd = Path.cwd()
    os.chdir(project)
    try:
        assert main(["build"]) == 0
    finally:
        os.chdir(cwd)
    return project / "site"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of this repository's content and config in a temporary folder."""
    copy_project(tmp_path, ("content",))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    return tmp_path
