"""The Markdown of mkdocstrings' own documentation (the second real corpus, issue 19):
markdown-callouts' ``NOTE: text`` paragraphs, with the extension configuration that site uses.

The type word and its colon are the callout's syntax, as ``!!! note`` is an admonition's: they
stay as written, and only the text after them is a message.  Translated with the type word, the
paragraph lost its callout and the gate showed the English instead.
"""

from __future__ import annotations

import re

from site_gen import gate
from site_gen.segment import segment_page
from site_gen.settings import extension_names
from site_gen.translate import Notices, Translation, translate_page
from tests.conftest import html_events

#: The extensions of mkdocstrings 0.29.1's mkdocs.yml that shape these pages.
MKDOCS_CONFIG = {"markdown_extensions": ["attr_list", "admonition", {"callouts": {"strip_period": False}},
                                         "footnotes", "pymdownx.details", "pymdownx.superfences"]}
CONFIG = gate.MarkdownConfig.from_mkdocs(MKDOCS_CONFIG)
EXTENSIONS = extension_names(MKDOCS_CONFIG)

PAGE = """\
Callouts, as mkdocstrings' usage page writes them.

NOTE: **Resources on YAML.** YAML can sometimes be
a bit tricky.

> WARNING:
> Since version 0.19, the key is
> merged into `options`.

TIP: **New in version 0.15.**\x20\x20
Cross-linking used to include
any Markdown heading.

FAQ: an upper-case word and a colon is a callout here too.
"""


def _render(text: str) -> str:
    md = gate.markdown_for(CONFIG)
    md.reset()
    return md.convert(text)


def test_a_callouts_type_word_stays_and_its_text_is_the_message() -> None:
    page = segment_page(PAGE, "usage.md", EXTENSIONS)
    assert list(page.messages()) == [
        "Callouts, as mkdocstrings' usage page writes them.",
        "**Resources on YAML.** YAML can sometimes be a bit tricky.",
        "Since version 0.19, the key is merged into `options`.",
        "**New in version 0.15.**\nCross-linking used to include any Markdown heading.",
        "an upper-case word and a colon is a callout here too.",
    ]
    identity = {text: Translation(text) for text in page.messages()}
    assert html_events(_render(translate_page(page, identity, "uk").markdown)) == html_events(_render(PAGE))


def test_a_translated_callout_keeps_its_box_and_title_and_passes_the_gate() -> None:
    page = segment_page(PAGE, "usage.md", EXTENSIONS)
    russian = {
        "Callouts, as mkdocstrings' usage page writes them.": "Выноски, как их пишет страница mkdocstrings.",
        "**Resources on YAML.** YAML can sometimes be a bit tricky.":
            "**Ресурсы о YAML.** YAML бывает непрост.",
        "Since version 0.19, the key is merged into `options`.": "С версии 0.19 ключ входит в `options`.",
        "**New in version 0.15.**\nCross-linking used to include any Markdown heading.":
            "**Новое в версии 0.15.**\nПерекрёстные ссылки включали любой заголовок.",
        "an upper-case word and a colon is a callout here too.": "слово заглавными и двоеточие — тоже выноска.",
    }
    context = gate.page_context(page.lines)
    assert {text: found for text, msgstr in russian.items()
            if (found := gate.verdict_in(page, text, msgstr, context, CONFIG, "ru"))} == {}
    html = _render(translate_page(page, {k: Translation(v) for k, v in russian.items()}, "ru").markdown)
    assert gate.skeleton(html) == gate.skeleton(_render(PAGE))
    assert '<div class="admonition note">\n<p class="admonition-title">Ресурсы о YAML.</p>' in html
    assert '<div class="admonition warning">' in html and "С версии 0.19" in html
    assert '<p class="admonition-title">Новое в версии 0.15.</p>' in html
    assert '<div class="admonition faq">' in html


def test_a_callout_without_a_bold_title_shows_the_readers_word_for_its_type() -> None:
    """``NOTE: text`` shows "Note" above the text: a translated page shows the reader's word there,
    written as the bold title markdown-callouts reads, in the same element.  A callout with its own
    bold title, and a type with no interface key, keep what they have."""
    text = ("A page.\n\nNOTE: Plain text\ngoes on.\n\n> WARNING:\n> In a quote, on the next line.\n\n"
            "TIP: **Own title.** Body.\n\nFAQ: a type with no key.\n")
    page = segment_page(text, "usage.md", EXTENSIONS)
    russian = {"A page.": "Страница.", "Plain text goes on.": "Простой текст.",
               "In a quote, on the next line.": "В цитате, на следующей строке.",
               "**Own title.** Body.": "**Свой заголовок.** Текст.", "a type with no key.": "тип без ключа."}
    notices = Notices(titles=(("Note", "Примечание"), ("Warning", "Предупреждение"), ("Tip", "Совет")))
    translated = translate_page(page, {k: Translation(v) for k, v in russian.items()}, "ru", notices=notices)
    html, english = _render(translated.markdown), _render(text)
    assert gate.skeleton(html) == gate.skeleton(english)
    titles = re.findall(r'<p class="admonition-title">([^<]*)</p>', html)
    assert titles == ["Примечание", "Предупреждение", "Свой заголовок.", "Faq"]
    assert re.findall(r'<p class="admonition-title">([^<]*)</p>', english) == ["Note", "Warning", "Own title.", "Faq"]


def test_without_markdown_callouts_an_upper_case_word_is_text() -> None:
    """A project without the extension: "FAQ:" is words of the paragraph, translated with it."""
    text = "A page.\n\nFAQ: a question.\n"  # not first: a first "Key: value" line is MultiMarkdown meta
    page = segment_page(text, "faq.md", extension_names({"markdown_extensions": ["admonition"]}))
    assert list(page.messages()) == ["A page.", "FAQ: a question."]
    assert list(segment_page(text, "faq.md").messages()) == ["A page.", "FAQ: a question."]


def test_an_autodoc_line_written_as_a_heading_is_kept_verbatim() -> None:
    """``# ::: mkdocstrings`` (its API reference page): mkdocstrings' identifier with the level of its
    heading, not a title.  As a message, the ru build asked mkdocstrings for "мкдосстрингс" and failed."""
    text = "---\ntitle: API reference\n---\n\n# ::: mkdocstrings\n    options:\n        show_submodules: true\n\n" \
           "## ::: mkdocstrings.plugin\n\nThe plugin.\n"
    page = segment_page(text, "reference.md", EXTENSIONS)
    assert list(page.messages()) == ["API reference", "The plugin."]
    assert page.unextracted == ()
    translated = translate_page(page, {"The plugin.": Translation("Плагин.")}, "ru").markdown
    assert "\n# ::: mkdocstrings\n    options:\n        show_submodules: true\n\n## ::: mkdocstrings.plugin\n" \
        in translated


def test_a_github_callouts_marker_line_is_kept_and_its_text_is_the_message() -> None:
    """markdown-callouts' ``> [!NOTE]`` (its github-callouts extension) must stay alone on its line:
    as part of the message, the translation joined it to the text and the box was lost."""
    config = {"markdown_extensions": ["admonition", "github-callouts"]}
    text = "A page.\n\n> [!NOTE]\n> Check the\n> register first.\n\n> [!tip]\n>\n> Ask a lawyer.\n"
    page = segment_page(text, "usage.md", extension_names(config))
    assert list(page.messages()) == ["A page.", "Check the register first.", "Ask a lawyer."]
    russian = {"A page.": "Страница.", "Check the register first.": "Сначала проверьте реестр.",
               "Ask a lawyer.": "Спросите юриста."}
    translated = translate_page(page, {k: Translation(v) for k, v in russian.items()}, "ru").markdown
    md_config = gate.MarkdownConfig.from_mkdocs(config)
    md = gate.markdown_for(md_config)
    english = md.reset().convert(text)
    html = md.reset().convert(translated)
    assert gate.skeleton(html) == gate.skeleton(english)
    assert html.count('<div class="admonition ') == 2 and "Сначала проверьте реестр." in html
