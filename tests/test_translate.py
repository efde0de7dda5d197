"""Applying translations: structure is kept, and every message shows its state."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from site_gen import gate
from site_gen.segment import segment_page
from site_gen.translate import Notices, State, Translation, translate_page
from tests.conftest import block_structure, html_events, render, render_translated
from tests.test_segment import PAGE


def identity(page):
    return {text: Translation(text) for text in page.messages()}


def upper(page):
    """A stand-in translation that changes every word but keeps the markup."""
    return {text: Translation(text.replace("a", "а").replace("e", "е").upper()) for text in page.messages()}


def test_identity_catalog_renders_the_same_html() -> None:
    page = segment_page(PAGE, "page.md")
    translated = translate_page(page, identity(page), "uk")
    assert html_events(render(translated.markdown)) == html_events(render(PAGE))


def test_translation_keeps_block_structure_and_heading_ids() -> None:
    page = segment_page(PAGE, "page.md")
    translated = translate_page(page, upper(page), "uk")
    assert "{#" not in translated.markdown.replace("{#hi}", ""), "no id is written into the Markdown"
    html = render_translated(translated.markdown, page)
    assert block_structure(html) == block_structure(render(PAGE))
    assert "ITЕM **TWO**" not in html and "<strong>TWO</strong>" in html
    assert 'id="second-heading"' in html and 'id="hi"' in html


def test_cyrillic_headings_keep_the_english_anchor() -> None:
    page = segment_page("# Digital summons\n\nText.\n", "p.md")
    table = {"Digital summons": Translation("Електронна повістка"), "Text.": Translation("Текст.")}
    markdown = translate_page(page, table, "uk").markdown
    assert markdown == "# Електронна повістка\n\nТекст.\n", "the source with the words replaced, nothing added"
    html = render_translated(markdown, page)
    assert '<h1 id="digital-summons">Електронна повістка</h1>' in html


def test_translated_fuzzy_and_untranslated_states() -> None:
    page = segment_page("# Title\n\nFirst.\n\nSecond.\n\nThird.\n", "p.md")
    table = {
        "Title": Translation("Заголовок"),
        "First.": Translation("Перший."),
        "Second.": Translation("Стара друга.", fuzzy=True),
    }
    result = translate_page(page, table, "uk", notices=Notices(fuzzy="Оригінал змінився"))
    html = render(result.markdown)
    assert "Перший." in html
    assert "Стара друга." not in html, "a stale (fuzzy) translation must never be shown"
    assert '<span class="sg-notice">Оригінал змінився</span> <span lang="en">Second.</span>' in html
    assert '<span lang="en" class="sg-untranslated">Third.</span>' in html
    assert (result.counts.translated, result.counts.fuzzy, result.counts.untranslated) == (2, 1, 1)
    assert result.counts.percent == 50
    assert result.lang == "uk"
    facts = result.facts  # the build hands them to the page's templates beside its Markdown
    assert {k: facts[k] for k in ("lang", "translated", "fuzzy", "untranslated")} == {
        "lang": "uk", "translated": 2, "fuzzy": 1, "untranslated": 1}
    assert "site_gen" not in result.markdown


def test_a_page_with_nothing_translated_is_in_english() -> None:
    page = segment_page("---\ntitle: T\n---\n\nText.\n", "p.md")
    result = translate_page(page, {}, "uk")
    assert result.lang == "en"
    assert result.counts.untranslated == 2


def test_source_language_page_shows_no_notices() -> None:
    page = segment_page(PAGE, "page.md")
    result = translate_page(page, None, "en")
    assert "sg-" not in result.markdown
    assert result.counts.translated == len(page.messages())


def test_front_matter_fields_are_translated_as_yaml() -> None:
    page = segment_page('---\ntitle: "A: b"\nstatus: x\n---\n\n# A: b\n', "p.md")
    result = translate_page(page, {"A: b": Translation('Тема: "лапки"')}, "uk")
    assert result.markdown.startswith('---\ntitle: "Тема: \\"лапки\\""\nstatus: x\n')


def test_multiline_translation_keeps_container_prefixes() -> None:
    source = "> Quoted  \n> text.\n\n- Item  \n  next.\n"
    page = segment_page(source, "p.md")
    table = {"Quoted\ntext.": Translation("Цитата\nтекст\nще"), "Item\nnext.": Translation("Пункт\nдалі")}
    result = translate_page(page, table, "uk")
    assert "> Цитата  \n> текст  \n> ще\n" in result.markdown
    assert block_structure(render(result.markdown)) == block_structure(render(source))


def test_pipes_in_a_translated_cell_do_not_split_the_row() -> None:
    source = "| A | B |\n|---|---|\n| x | y |\n"
    page = segment_page(source, "p.md")
    result = translate_page(page, {"x": Translation("a | b"), "y": Translation("`c|d`")}, "uk")
    assert block_structure(render(result.markdown)) == block_structure(render(source))
    assert "a \\| b" in result.markdown and "`c|d`" in result.markdown


@pytest.mark.parametrize(
    "bad",
    [
        "Текст <script>alert(1)</script>",
        'Текст <img src=x onerror="alert(1)">',
        "[Текст](javascript:alert(1))",
        "Текст\n\n# Новий заголовок",
        "# Текст",
    ],
)
def test_a_refused_translation_shows_the_english_counted_untranslated(bad: str) -> None:
    page = segment_page("Some text.\n\nMore.\n", "p.md")
    table = {"Some text.": Translation(bad, path="locales/uk/LC_MESSAGES/p.po", line=17),
             "More.": Translation("Ще.")}
    refusals = gate.judge_table(page, table, gate.DEFAULT, "uk")
    assert [(r.path, r.line, r.msgid) for r in refusals] == [("locales/uk/LC_MESSAGES/p.po", 17, "Some text.")]
    assert str(refusals[0]).startswith("locales/uk/LC_MESSAGES/p.po:17: warning:") and "fix:" in str(refusals[0])
    result = translate_page(page, gate.accepted(table, refusals), "uk")
    assert '<span lang="en" class="sg-untranslated">Some text.</span>' in result.markdown
    assert bad not in result.markdown
    assert (result.counts.translated, result.counts.untranslated) == (1, 1)


def test_html_present_in_the_english_is_allowed() -> None:
    page = segment_page("Press <kbd>Ctrl</kbd> now.\n", "p.md")
    result = translate_page(page, {"Press <kbd>Ctrl</kbd> now.": Translation("Тисни <kbd>Ctrl</kbd>.")}, "uk")
    assert "<kbd>Ctrl</kbd>" in result.markdown


def test_state_of_an_entry() -> None:
    assert Translation("").state is State.UNTRANSLATED
    assert Translation("x", fuzzy=True).state is State.FUZZY
    assert Translation("x").state is State.TRANSLATED


@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
                    max_leaves=8))
def test_the_source_page_is_the_authors_byte_for_byte(value: object) -> None:
    """Whatever facts the templates get, the source-language page is its author's text."""
    source = "title: MultiMarkdown meta\n\nText with a [link][l].\n\n[l]: https://example.org\n"
    page = segment_page(source, "p.md")
    result = translate_page(page, None, "en", extra_meta={"value": value})
    assert result.markdown == source and result.facts["value"] == value
