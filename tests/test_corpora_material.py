"""Real Material + pymdown-extensions documentation sets, built with site_gen (issue 19's corpus
properties, issue 20's check without the explainer profile).

Each corpus of tests/corpora.toml other than Python-Markdown's is downloaded (pinned by version and
sha256), built once per session with its own mkdocs.yml both ways: a plain ``mkdocs build`` and one
``site-gen build`` of en, uk (every message "translated" as the English) and ru (a Cyrillic
pseudo-translation that keeps the markup a translator keeps).  A hook dumps each page's
``page.content`` per language; the properties below compare those dumps page by page and name the
pages that fail.

Pages where a property cannot hold are listed in KNOWN, each with its written reason (text made
by code at build time, a deliberately broken example, commit hashes): the pages outside KNOWN must
hold the property now, and a strict xfail test per property says when KNOWN can shrink.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from bench.pseudo import KEEP, TABLES
from site_gen import leftover
from tests.conftest import block_structure, html_events
from tests.test_corpus import CORPORA, DUMP_HOOK, _broken_links, _without_language_marks, fetch

pytestmark = pytest.mark.network

NAMES = ["pymdownx", "mkdocstrings"]
PROPERTIES = ["english", "identity", "structure", "links", "english_left", "build_errors"]

# Pages (dump names: source path + ".html") where a property fails today, and why.  The integrator
# removes entries as the work named in each reason lands (a strict xfail below turns into XPASS).
#: Measured with --runxfail after escapeall's hard breaks, callouts in /// blocks and nested quotes,
#: snippets' section-marker lines, arithmatex's \begin blocks, escaped brackets in cells and the
#: site's own /// types (branch corpus2): the two causes left, each a written exclusion.
UNCLOSED_FENCE = ("quotes.md shows what fails: '> ```' with no closing fence inside its quote; Python-Markdown "
                  "renders a paragraph '```\nTest', CommonMark (the segmenter's parser) code up to the quote's end, "
                  "so 'Test' is in no message and stays English (a deliberately broken example)")

#: mkdocstrings' documentation: causes measured on its 13 pages (branch mkdocstrings).
EXEC_OUTPUT = ("markdown-exec output (Print A!, Documentation for …, the credits page's package tables made by "
               "scripts/gen_credits.py) is made by code at build time")

KNOWN: dict[tuple[str, str], dict[str, str]] = {
    ("mkdocstrings", "english_left"): {
        "credits.md.html": EXEC_OUTPUT, "usage/index.md.html": EXEC_OUTPUT,
    },
    ("pymdownx", "english_left"): {
        "extensions/quotes.md.html": UNCLOSED_FENCE,
    },
}


# Corpus projects ---------------------------------------------------------------------------------

def _prepare_pymdownx(source: Path, project: Path) -> str:
    for part in ("docs", "tools", "LICENSE.md"):
        copy = shutil.copytree if (source / part).is_dir() else shutil.copy2
        copy(source / part, project / part)
    config = (source / CORPORA["pymdownx"]["config"]).read_text(encoding="utf-8")
    # tools/collapse_code.py (their own extension) is not in the sdist: a block of the same name that
    # wraps its code in a div stands in, so "//// collapse-code" is not shown as text.
    (project / "tools/collapse_code.py").write_text(COLLAPSE_CODE, encoding="utf-8")
    # Their md-render fence renders its Markdown source as the example's result, with no mark of its
    # own: a class on the result says it is the rendering of code, not text of the page.
    render = project / "tools/pymdownx_md_render.py"
    render.write_text(render.read_text(encoding="utf-8").replace(
        "        return md\n", "        return f'<div class=\"md-render\">{md}</div>'\n", 1), encoding="utf-8")
    # about/security.md is one include of SECURITY.md, which is not in the sdist.
    config = config.replace("    - Security Vulnerabilities: about/security.md\n", "")
    config += "exclude_docs: about/security.md\n"
    # Zensical has Lucide icons, Material 9.7 does not: the theme folder gets one for each name.
    icons = project / "docs/theme/.icons/lucide"
    icons.mkdir(parents=True)
    circle = Path(__import__("material").__file__).parent / "templates/.icons/material/circle-small.svg"
    for name in set(re.findall(r"lucide/([a-z0-9-]+)", config + "".join(
            path.read_text(encoding="utf-8") for path in (project / "docs").rglob("*.md")))):
        shutil.copy2(circle, icons / f"{name}.svg")
    # Their extra_javascript loads Mermaid and MathJax from jsDelivr, and the emoji page shows the
    # EmojiOne and GitHub images it documents: those hosts are allowed, as the privacy gate's message
    # tells a user who adds site_gen to this site (issue 20), and no other.
    return config.replace("extra:\n", "extra:\n  site_gen:\n    languages: [en, uk, ru]\n"
                          "    privacy: {allow: [cdn.jsdelivr.net, cdnjs.cloudflare.com, github.githubassets.com]}\n",
                          1)


COLLAPSE_CODE = """\
import xml.etree.ElementTree as etree

from pymdownx.blocks import BlocksExtension
from pymdownx.blocks.block import Block


class CollapseCode(Block):
    NAME = "collapse-code"

    def on_create(self, parent):
        return etree.SubElement(parent, "div", {"class": "collapse-code"})


class CollapseCodeExtension(BlocksExtension):
    def __init__(self, *args, **kwargs):
        self.config = {"expand_text": ["", ""], "collapse_text": ["", ""]}
        super().__init__(*args, **kwargs)

    def extendMarkdownBlocks(self, md, block_mgr):
        block_mgr.register(CollapseCode, self.getConfigs())


def makeExtension(*args, **kwargs):
    return CollapseCodeExtension(*args, **kwargs)
"""


def _prepare_mkdocstrings(source: Path, project: Path) -> str:
    shutil.copytree(source, project, dirs_exist_ok=True, ignore=shutil.ignore_patterns("tests"))
    config = (source / "mkdocs.yml").read_text(encoding="utf-8")
    # The inventories are downloaded from the documentation hosts; only PyPI is reachable here.
    config = re.sub(r"\n        inventories:\n(?:        [- ] .*\n)+", "\n", config)
    # insiders/ downloads sponsor data from GitHub in its markdown-exec blocks.
    config = re.sub(r"- Insiders:\n(?:  [- ].*\n)+", "", config)
    config += "exclude_docs: insiders/\n"
    # Their llmstxt config is mkdocs-llmstxt 0.1's (files: [{output, inputs}]); the locked 0.2 requires
    # its successor (sections: {title: inputs}, full_output): the same inputs and the same file.
    config = re.sub(r"    files:\n    - output: (\S+)\n      inputs:\n((?:      - .*\n)+)",
                    lambda found: f"    full_output: {found[1]}\n    sections:\n      Docs:\n{found[2]}", config)
    # Their theme loads giscus comments, their README's badges and Twemoji images from those hosts:
    # allowed, as the privacy gate's message tells a user who adds site_gen to this site.
    hosts = ("giscus.app, cdn.jsdelivr.net, github.com, img.shields.io, badges.gitter.im, "
             "user-images.githubusercontent.com")
    return config.replace("extra:\n", "extra:\n  site_gen:\n    languages: [en, uk, ru]\n"
                          f"    privacy: {{allow: [{hosts}]}}\n", 1)


PREPARE = {"pymdownx": _prepare_pymdownx, "mkdocstrings": _prepare_mkdocstrings}


# Catalogs -----------------------------------------------------------------------------------------

#: What a translator keeps besides bench/pseudo.py's markup: emoji and icon shortcodes, keys (a
#: quoted key too: ++ctrl+"My Key"++), inline math, MagicLink shorthands (@user/repo, #123, !123,
#: ?123, user/repo@1a2b3c4, commit hashes, each after a provider too: @bitbucket:user/repo),
#: task-list boxes, progress bars ([=85% "85%"]), and
#: ordinals written with digits (1st, 2nd: a translator writes the number as the language does,
#: and the pseudo-translation, which maps letters, would write a number glued to a word).
#: A code span as CommonMark reads it: a run of backticks closed by a run of the same length, so
#: ``(` ```lang`)`` is one span (bench's KEEP pairs the first backtick with the next one).
_CODE_SPAN = r"(?<![`\\])(`+)(?!`).+?(?<!`)\1(?!`)"  # an escaped \` opens none
DIALECT_KEEP = re.compile(
    # A type in braces ({string:string}) is words, not an attribute list or a placeholder.
    r"(?!\{\w+:\w+\})(?:" + KEEP.pattern.replace(r"(`+).+?\1", _CODE_SPAN) + ")"
    + r"|:[a-z0-9_+-]+:|\[[ xX]\]"
    r"|\+\+(?:\"[^\"\n]*\"|[^\s+\"]+)(?:\+(?:\"[^\"\n]*\"|[^\s+\"]+))*\+\+"
    r"|\[=[^\]\n]*\]"
    r"|^\*\[[^\]]*\]"  # an abbreviation's label: the word the page writes
    r"|\b\d+(?:st|nd|rd|th)\b"
    r"|(?<![\w/])(?:[a-z]+:)?[\w.-]+/[\w.-]+[@#!?][\w.-]+|\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{7,40}\b"
    r"|(?<![\w$\\])\$(?!\s)[^$\n]+(?<!\s)\$|\\\(.+?\\\)"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # an e-mail address (MagicLink links it)
    # A mention or repository (@user, @user/repo) and an issue, pull request or discussion by its
    # number (#123, !123, ?123); "#issue-number" is words, which MagicLink leaves as they are.
    r"|(?<![\w/&])@(?:[a-z]+:)?[\w.-]+(?:/[\w.-]+)?(?:[#!@?][\w.-]+)?"
    r"|(?<![\w/&])[#!?](?:[a-z]+:)?\d+\b",
    re.S,
)
#: A shortcut reference ``[text]``: the translated text keeps the label as ``[текст][text]``.
SHORTCUT = re.compile(r"(?<![\]\\!])\[(?![ xX]\])([^\[\]^]+)\](?![(\[:])")  # not a task's [x]


#: A collapsed reference ``[Foo][]``: with autorefs, a link to the identifier Foo.
COLLAPSED = re.compile(r"(?<![\]\\!])\[([^\[\]^]+)\]\[\]")


def pseudo_ru(text: str, labels: frozenset[str] | None = None, autorefs: bool = False) -> str:
    """The ru pseudo-translation: Latin letters become Cyrillic outside the kept markup.  A shortcut
    reference keeps its label when it is one of *labels* (the project's link definitions; None: any
    ``[text]``); other brackets are text, and a translator translates them: so is ``[text][label]``
    when no *labels* defines it (the page shows those brackets as they are).  With *autorefs*, a
    reference's label is an identifier whether a page defines it or not: ``[Foo][]`` becomes
    ``[Фу][Foo]`` and ``[text][label]`` keeps its label, as a careful translator writes them."""
    table = TABLES["ru"]
    if autorefs:
        text = _identified(text)
    out, last = [], 0
    for match in DIALECT_KEEP.finditer(text):
        kept = match.group(0)
        if labels is not None and not autorefs and kept.startswith("][") and len(kept) > 3 \
                and _label(kept[2:-1]) not in labels:
            continue
        out.append(_shortcuts(text[last:match.start()], table, labels))
        out.append(match.group(0))
        last = match.end()
    out.append(_shortcuts(text[last:], table, labels))
    return "".join(out)


def _identified(text: str) -> str:
    """*text* with each collapsed reference ``[Foo][]`` outside code written ``[Foo][Foo]`` (the
    identifier of ``[`a.b`][]`` is a.b), so that its words can be translated."""
    text = re.sub(r"(?<![\]\\!])\[(`[^`\n]+`)\]\[\]", lambda found: f"[{found[1]}][{found[1].strip('`')}]", text)
    out, last = [], 0
    for span in re.finditer(_CODE_SPAN, text, re.S):
        out.append(COLLAPSED.sub(lambda found: f"[{found[1]}][{found[1].strip('`')}]", text[last:span.start()]))
        out.append(span.group(0))
        last = span.end()
    out.append(COLLAPSED.sub(lambda found: f"[{found[1]}][{found[1].strip('`')}]", text[last:]))
    return "".join(out)


#: A link reference definition: ``[label]: target`` at the start of a line.
_DEFINITION = re.compile(r"^[ ]{0,3}\[([^\]\n]+)\]:[ \t]*\S", re.M)


def _label(text: str) -> str:
    return " ".join(text.split()).casefold()  # as Python-Markdown matches labels


def link_labels(project: Path) -> frozenset[str]:
    """The reference labels the project's Markdown defines (pages, snippets)."""
    return frozenset(_label(found) for path in project.rglob("*.md") if "site" not in path.parts
                     for found in _DEFINITION.findall(path.read_text(encoding="utf-8")))


def _shortcuts(part: str, table: dict[int, str], labels: frozenset[str] | None = None) -> str:
    out, last = [], 0
    for match in SHORTCUT.finditer(part):
        if labels is not None and _label(match.group(1)) not in labels:
            continue  # text in brackets, no link: translated with the rest
        out.append(part[last:match.start()].translate(table))
        out.append(f"[{match.group(1).translate(table)}][{match.group(1)}]")
        last = match.end()
    out.append(part[last:].translate(table))
    return "".join(out)


def _fill(project: Path) -> None:
    from site_gen.catalog import read_catalog, render, write_atomic
    from site_gen.interface import ADMONITION_TYPES, caption_prefixes
    from site_gen.settings import read_config

    labels = link_labels(project)
    config = read_config(project / "mkdocs.yml")
    plugins = config.get("plugins") or []
    autorefs = bool({"autorefs", "mkdocstrings"} & {str(next(iter(p)) if isinstance(p, dict) else p) for p in plugins})
    in_pages = {name.capitalize() for name in ADMONITION_TYPES} | {prefix for _, prefix in caption_prefixes(config)}
    for lang, change in (("uk", lambda text: text), ("ru", lambda text: pseudo_ru(text, labels, autorefs))):
        for po in (project / "locales" / lang / "LC_MESSAGES").rglob("*.po"):
            catalog = read_catalog(po, lang)
            for message in catalog:
                # Of the interface, only the default titles of admonitions ("Note") and the caption
                # prefixes ("Figure {}.") are in pages; the rest is Material's own words, translated
                # by the theme.
                if po.name == "_site.po" and message.id not in in_pages:
                    continue
                if message.id and isinstance(message.id, str):
                    message.string = change(message.id)
            write_atomic(po, render(catalog))


# The build ----------------------------------------------------------------------------------------

@dataclass
class Built:
    name: str
    project: Path
    dump: Path
    pages: list[str]
    build: subprocess.CompletedProcess[str]
    check: subprocess.CompletedProcess[str]


#: Each corpus built once per session: tests that parametrize ``built`` indirectly each make
#: their own module-scoped instance of the fixture, which would build the corpus again.
_BUILT: dict[str, Built] = {}


@pytest.fixture(scope="module", params=NAMES)
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Built:
    name = request.param
    if name not in _BUILT:
        _BUILT[name] = _build(name, tmp_path_factory)
    return _BUILT[name]


def _build(name: str, tmp_path_factory: pytest.TempPathFactory) -> Built:
    source = fetch(name)
    root = tmp_path_factory.mktemp(name)
    project, dump = root / "project", root / "dump"
    project.mkdir()
    config = PREPARE[name](source, project)
    # site_gen writes page.html (its offline copy opens from file://); the plain build does the same.
    config += "use_directory_urls: false\nhooks:\n  - dump_hook.py\n"
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    (project / "dump_hook.py").write_text(DUMP_HOOK, encoding="utf-8")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SG_DUMP": str(dump), "PYTHONPATH": str(project)}

    def site_gen(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "site_gen", *args], cwd=project, env=env,
                              capture_output=True, text=True, timeout=600)

    for step in ("extract", "update"):
        assert (done := site_gen(step)).returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    _fill(project)
    # The plain build runs beside site_gen's (two cores).
    plain = subprocess.Popen([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(root / "plain")],
                             cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    build = site_gen("build")
    _, err = plain.communicate(timeout=600)
    assert plain.returncode == 0, err[-3000:]
    check = site_gen("check")
    pages = sorted(path.relative_to(dump / "plain").as_posix() for path in (dump / "plain").rglob("*.html"))
    return Built(name, project, dump, pages, build, check)


def _read(built: Built, lang: str, page: str) -> str:
    path = built.dump / lang / page
    return path.read_text(encoding="utf-8") if path.exists() else f"<p>missing: {lang} {page}</p>"


# Properties, each a list of failing pages ---------------------------------------------------------

_IDS = re.compile(r'\bid="([^"]+)"')


def english(built: Built) -> list[str]:
    """site_gen's English page.content is plain MkDocs'."""
    return [page for page in built.pages if _read(built, "en", page) != _read(built, "plain", page)]


def identity(built: Built) -> list[str]:
    """An identity uk catalog renders as the English."""
    return [page for page in built.pages
            if _without_language_marks(html_events(_read(built, "uk", page)))
            != _without_language_marks(html_events(_read(built, "en", page)))]


def structure(built: Built) -> list[str]:
    """The pseudo-translated ru keeps the blocks and the ids of the English."""
    failing = []
    for page in built.pages:
        english_html, russian = _read(built, "en", page), _read(built, "ru", page)
        if block_structure(russian) != block_structure(english_html) or _IDS.findall(russian) != _IDS.findall(
                english_html):
            failing.append(page)
    return failing


def links(built: Built) -> list[str]:
    """Every internal link and anchor of the ru pages resolves where the English one does."""
    failing = []
    for page in built.pages:
        english_broken = {link for link in _broken_links(built.project / "site/en", page, _read(built, "en", page))}
        russian = _broken_links(built.project / "site/ru", page, _read(built, "ru", page))
        if [link for link in russian if link not in english_broken]:
            failing.append(page)
    return failing


#: Besides site_gen.leftover's places (code, math, mkdocstrings' output, English fallbacks), where
#: these sites show no words to translate: MagicLink's link texts (repository and user names),
#: emoji images, Mermaid diagrams (code), critic marks' example edits, footnotes' back links, and
#: pymdownx's own md-render examples (the rendering of code, see _prepare_pymdownx).
VERBATIM = leftover.VERBATIM_CLASSES | {"magiclink", "twemoji", "mermaid", "diagram", "critic",
                                        "footnote-backref", "md-render"}
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
#: smartsymbols' ordinal suffix (11<sup>th</sup>): the pseudo keeps "11th" whole (see DIALECT_KEEP).
_ORDINAL_SUFFIX = re.compile(r"st|nd|rd|th")


#: Names a translator keeps (DIALECT_KEEP), linked or not: a user (@oprypin), a repository and
#: its issue (mkdocstrings/python#49).
_NAMES = re.compile(r"(?<![\w/])@[\w.-]+|(?<![\w/])[\w.-]+/[\w.-]+(?:[#!@?][\w.-]+)?")


def _pseudo_marked(text: str) -> bool:
    """The ru pseudo-translation's mark: no Latin word (every letter is Cyrillic) but names."""
    return not _LATIN_WORD.search(_NAMES.sub("", text)) or _ORDINAL_SUFFIX.fullmatch(text) is not None


def english_left_in(html: str) -> list[str]:
    """The article text nodes with a Latin word outside the places English is expected, as
    site_gen.leftover defines them."""
    return leftover.english_left(f"<body>{html}</body>", _pseudo_marked, "en", VERBATIM)


def english_left(built: Built) -> list[str]:
    """No extractable English is left: a ru text node outside code, math, mkdocstrings output and
    lang="en" fallbacks has no Latin word (the pseudo-translation makes every letter Cyrillic)."""
    return [page for page in built.pages if english_left_in(_read(built, "ru", page))]


def build_errors(built: Built) -> list[str]:
    """The build reports no error: the pages that an error names (its second line of defence)."""
    named = re.findall(r"^(?:uk|ru)/(\S+\.md): error:", built.build.stderr + built.build.stdout, re.M)
    return sorted({f"{page}.html" for page in named} & set(built.pages)) or (
        [] if built.build.returncode == 0 else ["(build failed) " + built.build.stderr[-300:]])


CHECKS = {"english": english, "identity": identity, "structure": structure, "links": links,
          "english_left": english_left, "build_errors": build_errors}


@pytest.mark.parametrize("prop", PROPERTIES)
def test_every_page_outside_the_known_gaps_holds(built: Built, prop: str) -> None:
    """Each property on every page of each corpus, except the pages KNOWN names for it."""
    known = KNOWN.get((built.name, prop), {})
    failing = CHECKS[prop](built)
    assert len(built.pages) >= 10
    assert [page for page in failing if page not in known] == [], f"{built.name}: {CHECKS[prop].__doc__}"


@pytest.mark.parametrize(("built", "prop"), [
    pytest.param(name, prop, marks=pytest.mark.xfail(
        strict=True, reason=f"issue 19: {'; '.join(sorted(set(KNOWN[name, prop].values())))}"))
    for name in NAMES for prop in PROPERTIES if KNOWN.get((name, prop))], indirect=["built"])
def test_the_known_gaps_hold(built: Built, prop: str) -> None:
    """The pages KNOWN names (strict xfail): when this passes, remove them from KNOWN."""
    failing = set(CHECKS[prop](built))
    assert [page for page in KNOWN[built.name, prop] if page in failing] == []


def test_check_passes_without_the_explainer_profile(built: Built) -> None:
    """Issue 20: `site-gen check` on a real project, without the explainer's page schema: no
    page-schema error, and no translation error on the identity and pseudo catalogs."""
    out = built.check.stdout + built.check.stderr
    assert "[front-matter]" not in out and "[sources]" not in out
    assert built.check.returncode == 0, out[-3000:]


def test_the_pseudo_translation_keeps_the_dialect_markup() -> None:
    """The ru pseudo-translation is a careful translator: it keeps shortcodes, keys, math,
    MagicLink shorthands and reference labels, and changes every other letter."""
    assert pseudo_ru("Press ++ctrl+alt+del++ :smile: for $x^2$ see @facelessuser/pymdown-extensions #12 [Tabbed]"
                     " in @bitbucket:ned/cov") \
        == "Пресс ++ctrl+alt+del++ :smile: фор $x^2$ сее @facelessuser/pymdown-extensions #12 [Таббед][Tabbed]" \
        " ин @bitbucket:ned/cov"
    assert not _LATIN_WORD.search(pseudo_ru("A plain sentence with [a link](https://example.org/x)")
                                  .replace("https://example.org/x", ""))
    assert pseudo_ru("A map {string:string} with {: .note}") == "А мап {стринг:стринг} шитх {: .note}"
    assert english_left_in('<p>Текст <code>code</code> <span lang="en">English</span></p><p>left over</p>') \
        == ["left over"]
    assert english_left_in("<p>11<sup>th</sup> раз, <sup>the</sup></p>") == ["the"]


def test_the_mkdocstrings_corpus_extracts(tmp_path: Path) -> None:
    """mkdocstrings' documentation (second corpus) gets its catalogs: without the explainer profile its own
    logo.svg, schema.json and scripts are published as plain MkDocs publishes them (issue 20)."""
    project = tmp_path / "project"
    project.mkdir()
    config = _prepare_mkdocstrings(fetch("mkdocstrings"), project)
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "site_gen", "extract"], cwd=project, capture_output=True, text=True,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
