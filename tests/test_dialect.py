"""The Material + pymdownx dialect (issue 19): a fixture per construct, each rendered with a
real Material site's extension configuration (``tests/dialect.py``).

For every fixture: an identity catalog renders the very HTML of the English page; a
pseudo-translation passes the gate, keeps the page's elements, ids and links, and leaves no
extractable English (``site_gen.leftover``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from site_gen import gate
from site_gen.anchors import HEADING_ID, give_ids
from site_gen.leftover import english_left
from site_gen.segment import segment_page
from site_gen.translate import Notices, Translation, translate_page
from tests.dialect import CONFIG, FIXTURES, SEGMENTER_EXTENSIONS, marked, pseudo, render

PAGES = sorted(FIXTURES.glob("*.md"))
#: Every construct on one page: the fixtures one after another.
ALL = Path("every-construct.md")


def _page(path: Path):
    if path == ALL:
        return segment_page("\n\n".join(p.read_text(encoding="utf-8") for p in PAGES), path.name,
                            SEGMENTER_EXTENSIONS)
    return segment_page(path.read_text(encoding="utf-8"), path.name, SEGMENTER_EXTENSIONS)


@pytest.mark.parametrize("path", PAGES, ids=[p.stem for p in PAGES])
def test_identity_catalog_renders_the_english_html(path: Path) -> None:
    page = _page(path)
    table = {text: Translation(text) for text in page.messages()}
    assert render(translate_page(page, table, "uk").markdown) == render(page.source)


@pytest.mark.parametrize("path", PAGES, ids=[p.stem for p in PAGES])
def test_every_line_for_readers_is_in_a_message(path: Path) -> None:
    page = _page(path)
    assert [page.lines[n] for n in page.unextracted] == []


@pytest.mark.parametrize("path", [*PAGES, ALL], ids=[*(p.stem for p in PAGES), ALL.stem])
def test_pseudo_translation_passes_the_gate_keeps_the_page_and_leaves_no_english(path: Path) -> None:
    page = _page(path)
    context = gate.page_context(page.lines)
    table = {text: Translation(pseudo(text)) for text in page.messages()}
    refused = {text: gate.verdict_in(page, text, entry.text, context, CONFIG, "uk") for text, entry in table.items()}
    assert {text: found for text, found in refused.items() if found} == {}
    english = render(page.source)
    # The default titles ("Note") come from the interface catalog, pseudo-translated too.
    notices = Notices(titles=tuple((title, pseudo(title)) for _, _, title, _ in page.untitled))
    translated = render(translate_page(page, table, "uk", notices=notices).markdown)
    translated = give_ids(translated, [m.group(3) for m in HEADING_ID.finditer(english)])[0]
    assert gate.skeleton(translated) == gate.skeleton(english)
    assert english_left(translated, marked) == []


def test_what_no_message_reached_is_english_left_and_names_are_not() -> None:
    """The definition itself: text outside a message is found; code, math, an English fallback, an
    address as its link's text and a commit's hash are not words to translate."""
    html = ('<p>Пере́клад</p><p>Left in English</p><p><code>x = 1</code></p><p><span lang="en">Note</span></p>'
            '<p><span class="arithmatex">\\(x\\)</span></p><p><a href="https://x.org/">https://x.org/</a></p>'
            '<p><a href="https://github.com/o/r/commit/ba98661e">ba98661</a></p>')
    assert english_left(html, lambda text: not any("a" <= c.lower() <= "z" for c in text)) == ["Left in English"]


#: (fixture, a word of the message, what a careless or hostile translation does to it): each refused.
CHANGED = [
    ("inline", ":smile:", lambda s: s.replace(":smile:", ":усмішка:")),
    ("inline", "finished", lambda s: s.replace("[x] ", "")),
    ("inline", "finished", lambda s: s.replace("[x]", "[х]")),
    ("inline", "https://", lambda s: s.replace("https://example.org/docs", "https://evil.example/docs")),
    ("inline", "++ctrl", lambda s: s.replace("++ctrl+alt+del++", "++ктрл+alt+del++")),
    ("inline", "^^inserted^^", lambda s: s.replace("^^inserted^^", "inserted")),
    ("inline", "==marked==", lambda s: s + " ==more=="),
    ("inline", "~~deleted~~", lambda s: s.replace("~~deleted~~", "deleted")),
    ("inline", "H~2~O", lambda s: s.replace("x^2^", "x2")),
    ("inline", "{++", lambda s: s.replace("{++an addition++}", "an addition")),
    ("inline", "{>>", lambda s: s.replace("{>>a comment<<}", "")),
    ("math", "energy", lambda s: s.replace("$E = mc^2$", "$Е = мц^2$")),
    ("definitions", "footnote", lambda s: s.replace("[^note]", "")),
    ("tabs", "Install the package", lambda s: s + '\n=== "Вкладка"'),
    ("tabs", "Install the package", lambda s: s + "\n/// замітка"),
    ("blocks", "body of a note", lambda s: s + "\n///"),
    ("details", "nested", lambda s: s + "\n??? note"),
    ("md_in_html", "tight block", lambda s: s + "\n</div>"),
]


@pytest.mark.parametrize(("name", "word", "change"), CHANGED,
                         ids=[f"{name}-{index}" for index, (name, _, _) in enumerate(CHANGED)])
def test_a_changed_construct_is_refused(name: str, word: str, change) -> None:
    page = _page(FIXTURES / f"{name}.md")
    msgid = next(text for text in page.messages() if word.lower() in text.lower())
    msgstr = pseudo(change(msgid))
    assert msgstr != pseudo(msgid)
    assert gate.verdict_in(page, msgid, msgstr, gate.page_context(page.lines), CONFIG, "uk") != ()


def test_block_syntax_in_a_translation_is_named_with_its_catalog_line() -> None:
    page = _page(FIXTURES / "blocks.md")
    msgid = "The body of a note block."
    table = {msgid: Translation("Текст нотатки.\n/// замітка", path="locales/uk/LC_MESSAGES/blocks.po", line=12)}
    (refusal,) = gate.judge_table(page, table, CONFIG, "uk")
    assert str(refusal).startswith("locales/uk/LC_MESSAGES/blocks.po:12: warning: [syntax] a line of the "
                                   "translation starts with ///")
    assert "fix: keep the line breaks of the English" in str(refusal)


def test_a_translated_abbreviation_label_must_be_a_word_of_the_translated_page() -> None:
    """*[ГТМЛ] explains nothing when the translated text still writes HTML: refused, naming the
    catalog line; a label the translation uses (ТЦК for TCC) or the English label is published."""
    page = _page(FIXTURES / "definitions.md")
    sentence = "The HTML standard and the W3C write the rules."
    where = {"path": "locales/uk/LC_MESSAGES/definitions.po", "line": 40}
    label = {"*[HTML]: Hyper Text Markup Language": Translation("*[ГТМЛ]: Мова гіпертекстової розмітки", **where)}
    (refusal,) = gate.judge_table(page, {**label, sentence: Translation("Стандарт HTML і W3C пишуть правила.")},
                                  CONFIG, "uk")
    assert str(refusal).startswith("locales/uk/LC_MESSAGES/definitions.po:40: warning: [abbreviation] the "
                                   "abbreviation *[ГТМЛ] explains a word that no translation of this page writes")
    assert gate.judge_table(page, {**label, sentence: Translation("Стандарт ГТМЛ і W3C пишуть правила.")},
                            CONFIG, "uk") == []
    kept = {"*[HTML]: Hyper Text Markup Language": Translation("*[HTML]: Мова гіпертекстової розмітки")}
    assert gate.judge_table(page, {**kept, sentence: Translation("Стандарт HTML і W3C пишуть правила.")},
                            CONFIG, "uk") == []


def test_slugified_tab_ids_stay_the_english_ones_in_a_translation() -> None:
    """pymdownx.tabbed with ``slugify`` names each tab after its title: a translated title would
    change the id, and every link to the tab would miss; the build gives the English ids back."""
    import markdown

    from site_gen.anchors import give_tab_ids, has_titled_tabs

    options = {"pymdownx.tabbed": {"alternate_style": True, "slugify": __import__("pymdownx.slugs").slugs.slugify(
        case="lower"), "combine_header_slug": True}}
    source = '## Usage\n\n=== "Output"\n\n    Text.\n\n=== "Markdown"\n\n    More.\n\n[the source](#usage-markdown)\n'
    translated = source.replace('"Output"', '"Вывод"').replace('"Markdown"', '"Маркдаун"')

    def html(text: str) -> str:
        return markdown.markdown(text, extensions=["toc", "pymdownx.tabbed"], extension_configs=options)

    english, russian = html(source), html(translated)
    assert has_titled_tabs(russian) and 'id="usage-vyvod"' not in english
    fixed = give_tab_ids(russian, english)
    assert fixed == english.replace("Output", "Вывод").replace(">Markdown<", ">Маркдаун<")
