"""The explainer itself: every page in every language has its facts, sources and plain sentences."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from site_gen.audit import stats
from site_gen.cli import main
from site_gen.project import Project
from tests.conftest import ROOT, copy_project

LANGUAGES = ("en", "uk", "ru")
TOPICS = ("russia-digital-summons", "occupied-territories-conscription", "ukraine-online-summons",
          "foreigners-national-guard")
PAGES = (*TOPICS, "index", "timeline", "glossary", "sources", "about")
WORD = re.compile(r"[^\W_][\w’'ʼ-]*", re.U)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("content")
    copy_project(root)
    assert main(["-f", str(root / "mkdocs.yml"), "build"]) == 0
    return root / "site"


def article(site: Path, lang: str, page: str) -> str:
    text = (site / lang / f"{page}.html").read_text(encoding="utf-8")
    return text[text.index('<article class="md-content__inner'):text.index("</article>")]


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("page", PAGES)
def test_every_page_exists_in_every_language(site: Path, lang: str, page: str) -> None:
    assert "<h1" in article(site, lang, page)


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("page", TOPICS)
def test_topic_pages_show_status_dates_and_sources(site: Path, lang: str, page: str) -> None:
    body = article(site, lang, page)
    facts = body[body.index('<dl class="sg-facts"'):body.index("</dl>")]
    assert 'class="sg-status sg-status--' in facts
    dates = ("as-of", "published", "last-updated", "last-reviewed")
    assert facts.count("<time datetime=") == len(dates), ", ".join(dates)
    assert re.search(r'href="sources\.html#[a-z0-9-]+"', body), "at least one source citation"
    assert body.index('<dl class="sg-facts"') < body.index("<h2"), "facts come near the top"


def sentences(markdown_text: str) -> list[list[str]]:
    text = re.sub(r"\]\([^)]*\)", "]", markdown_text)
    text = re.sub(r"[*_`#>|\[\]]", " ", text)
    text = re.sub(r"\b(?:[A-Z]\.){1,3}", "X", text)  # "U.S." is one word, not a sentence end
    parts = re.split(r"(?<=[.!?…])\s+|\n", text)
    return [words for words in (WORD.findall(part) for part in parts) if words]


def page_messages(project: Project, lang: str, page: str) -> list[str]:
    parsed = project.page(f"{page}.md")
    if lang == "en":
        return list(parsed.messages())
    table = project.translations(lang, f"{page}.md")
    return [table[text].text for text in parsed.messages()]


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("page", PAGES)
def test_plain_language_sentence_lengths(lang: str, page: str) -> None:
    project = Project.load(ROOT / "mkdocs.yml")
    found = [s for message in page_messages(project, lang, page) for s in sentences(message)]
    lengths = [len(words) for words in found]
    longest = max(found, key=len)
    assert max(lengths) <= 30, f"a sentence of {len(longest)} words: {' '.join(longest)}"
    assert sum(lengths) / len(lengths) <= 20


@pytest.mark.parametrize("lang", ["uk", "ru"])
def test_translations_are_complete_and_current(lang: str) -> None:
    figures = stats(Project.load(ROOT / "mkdocs.yml"))[lang]["total"]
    assert figures["percent"] == 100
    assert figures["fuzzy"] == 0 and figures["untranslated"] == 0


@pytest.mark.parametrize("lang", ["uk", "ru"])
def test_numbers_use_the_language_format(lang: str) -> None:
    project = Project.load(ROOT / "mkdocs.yml")
    for page in PAGES:
        for message in page_messages(project, lang, page):
            plain = re.sub(r"\]\([^)]*\)", "]", message)
            assert not re.search(r"\d,\d{3}\b", plain), f"English thousands separator in {lang}: {message}"
            assert not re.search(r"\d \d{3}\b", plain), f"a breaking space inside a number: {message}"


def test_every_topic_is_listed_on_the_home_page_with_its_status() -> None:
    home = (ROOT / "content" / "index.md").read_text(encoding="utf-8")
    for topic in TOPICS:
        line = next(line for line in home.splitlines() if f"]({topic}.md)" in line)
        assert "**Status:**" in line


def test_the_site_says_it_is_not_legal_advice_in_every_language(site: Path) -> None:
    phrases = {"en": "not legal advice", "uk": "не юридична консультація", "ru": "не юридическая консультация"}
    for lang, phrase in phrases.items():
        assert phrase in article(site, lang, "index").lower()
        for topic in TOPICS:
            assert phrase in article(site, lang, topic).lower(), f"{lang}/{topic}"


#: Names and everyday words read as words, not abbreviations a reader must have spelled out
#: ("СП" is the second half of "ТЦК та СП", spelled out together).
NAMES = {"BBC", "AM", "PM", "СМИ", "США", "ЗМІ", "СП"}


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("page", PAGES)
def test_abbreviations_are_explained_at_first_use(lang: str, page: str) -> None:
    project = Project.load(ROOT / "mkdocs.yml")
    text = " ".join(page_messages(project, lang, page))
    text = re.sub(r"\]\([^)]*\)", "]", text)
    for abbreviation in dict.fromkeys(re.findall(r"\b[A-ZА-ЯІЇЄҐЁ]{2,6}\b", text)):
        if abbreviation in NAMES:
            continue
        first = text.index(abbreviation)
        # "(TCC)" or "(ТЦК та СП)": in brackets right after the words it stands for.
        assert re.match(r"\([^()]{0,20}\)", text[first - 1:]), (
            f"{abbreviation} is not spelled out at its first use on {page}.md")
