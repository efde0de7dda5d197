"""The segmenter: which parts of a page become messages, and where they are."""

from __future__ import annotations

import pytest

from site_gen.errors import SiteGenError
from site_gen.segment import segment_page

PAGE = '''---
title: "Russia: digital summons"
description: A page
  over two lines.
status: in-force
sources: [a, b]
---

# Hello *world* {#hi}

## Second heading ##

<!-- i18n: Gosuslugi is the portal's name; keep it -->
Para one with [a link](x.md) and
a second line.\x20\x20
Hard broken.

!!! note "Title here"
    Body para
    line two.

    - item one
    - item **two**

??? warning
    Collapsed body.

> quote para
> more

| Head `a|b` | Number |
|---|---:|
| c \\| d | 450,000 |

Term
:   Definition one.

Footnote here[^1].

[^1]: The footnote *text*
    continued.

![Alt text here](img.png)

*[TCC]: territorial recruitment centre

Setext
------

```
code is not translated
```

    indented code is not translated

<div class="raw">raw html is not translated</div>

`only code`
'''


def messages(text: str) -> dict[str, str]:
    return {s.text: s.kind for s in segment_page(text, "page.md").segments}


def test_every_unit_kind_becomes_one_message() -> None:
    found = messages(PAGE)
    assert found == {
        "Russia: digital summons": "meta:title",
        "A page over two lines.": "meta:description",
        "Hello *world*": "heading",
        "Second heading": "heading",
        "Para one with [a link](x.md) and a second line.\nHard broken.": "paragraph",
        "Title here": "title",
        "Body para line two.": "paragraph",
        "item one": "paragraph",
        "item **two**": "paragraph",
        "Collapsed body.": "paragraph",
        "quote para more": "paragraph",
        "Head `a|b`": "cell",
        "Number": "cell",
        "c \\| d": "cell",
        "Term": "term",
        "Definition one.": "paragraph",
        "Footnote here[^1].": "paragraph",
        "The footnote *text* continued.": "paragraph",
        "Alt text here": "alt",
        "*[TCC]: territorial recruitment centre": "abbr",
        "Setext": "heading",
    }


def test_code_raw_html_and_data_fields_are_not_messages() -> None:
    found = messages(PAGE)
    assert not any("code is not translated" in text for text in found)
    assert not any("raw html" in text for text in found)
    assert "in-force" not in found and "450,000" not in found and "`only code`" not in found


def test_rewrapping_a_paragraph_keeps_its_message() -> None:
    narrow = "Intro\n\nOne two three\nfour five six\nseven.\n"
    wide = "Intro\n\nOne two three four\nfive six seven.\n"
    single = "Intro\n\nOne   two three four five six seven.\n"
    assert set(messages(narrow)) == set(messages(wide))
    assert "One two three four five six seven." in messages(narrow)
    # Spaces inside a line are the author's, but a re-wrap only moves line breaks.
    assert "One   two three four five six seven." in messages(single)


def test_lines_and_translator_comments() -> None:
    page = segment_page(PAGE, "page.md")
    by_text = {s.text: s for s in page.segments}
    assert by_text["Hello *world*"].lineno == 9
    assert by_text["Russia: digital summons"].lineno == 2
    assert by_text["Para one with [a link](x.md) and a second line.\nHard broken."].comment == (
        "Gosuslugi is the portal's name; keep it"
    )
    assert by_text["Body para line two."].comment == ""


def test_every_heading_is_located_even_one_with_nothing_to_translate() -> None:
    page = segment_page("# Über *uns*\n\n> ## In a quote\n\nSetext\n======\n\n## `code`\n\n## Kept {#own}\n", "p.md")
    assert page.headings == ((0, 0), (2, 2), (4, 5), (7, 7), (9, 9))


def test_repeated_text_is_one_message_with_every_location() -> None:
    page = segment_page("Same words.\n\nOther.\n\nSame words.\n", "p.md")
    assert [s.lineno for s in page.messages()["Same words."]] == [1, 5]


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("---\ntitle: [unclosed\n---\n\nBody.\n", 2, "not valid YAML"),
        ("---\ntitle: a\ndescription: b: c\n---\n", 3, "not valid YAML"),
        ("---\n- a list\n---\n", 2, "key: value"),
        ("---\ntitle: {a: 1}\n---\n", 2, "must be text"),
    ],
)
def test_malformed_front_matter_names_file_and_line(text: str, line: int, words: str) -> None:
    with pytest.raises(SiteGenError) as caught:
        segment_page(text, "content/bad.md")
    assert caught.value.path == "content/bad.md"
    assert caught.value.line == line
    assert words in str(caught.value)
    assert str(caught.value).startswith(f"content/bad.md:{line}: error:")


def test_a_segmented_page_survives_pickling_with_every_field() -> None:
    """Pages go through pickle (the segment cache, the segmenting workers); each small type
    names its fields for pickle itself, so a field added later must be added there too."""
    import dataclasses
    import pickle

    page = segment_page(PAGE + "\n## Kept {: .x }\n", "page.md")
    assert pickle.loads(pickle.dumps(page, protocol=pickle.HIGHEST_PROTOCOL)) == page
    samples = [page.segments[0], page.segments[0].region]
    assert any(s.continuation for s in page.segments) and any(s.comment for s in page.segments)
    for sample in samples:
        _, args = sample.__reduce__()
        assert args == tuple(getattr(sample, field.name) for field in dataclasses.fields(sample))


def test_multimarkdown_meta_is_meta_as_mkdocs_reads_it() -> None:
    page = segment_page("Title: A page\nAuthors: One\n    Two\n\n# Heading\n\nText.\n", "p.md")
    assert page.meta == {"title": "A page", "authors": "One Two"}
    assert [s.text for s in page.segments] == ["Heading", "Text."]
    # MkDocs reads a first line "Word: text" as meta too, and the page after it as the page.
    plain = segment_page("Note: a first line\nnot meta.\n\nText.\n", "p.md")
    assert plain.meta == {"note": "a first line"} and [s.text for s in plain.segments] == ["not meta.", "Text."]


def test_pymdownx_marker_lines_are_kept_and_only_their_titles_are_messages() -> None:
    source = ('Text.\n=== "Tab one"\n\n    Body.\n\n/// warning | Mind this\n\nInside.\n///\n\n'
              '--8<-- "snippet.md"\n\n::: package.module\n\n```\n=== "in code"\n```\n')
    page = segment_page(source, "p.md")
    assert [(s.kind, s.text) for s in page.segments] == [
        ("paragraph", "Text."), ("title", "Tab one"), ("paragraph", "Body."), ("title", "Mind this"),
        ("paragraph", "Inside.")]
    tab = page.segments[1].region
    assert page.lines[tab.line][tab.column:tab.end_column] == "Tab one"


DIALECT = frozenset({"tables", "admonition", "attr_list", "def_list", "md_in_html", "details", "tabbed", "abbr"})


def _texts_at(source: str) -> list[tuple[str, str]]:
    """Each message and the source text at its region (the same for a one-line message)."""
    page = segment_page(source, "p.md", DIALECT)
    return [(s.text, page.lines[s.region.line][s.region.column:s.region.end_column]) for s in page.segments]


def test_tab_bodies_are_messages_at_their_indented_columns() -> None:
    source = ('=== "One"\n\n    First *body*.\n\n    - an item\n\n=== "Two"\n    Tight body.\n\n'
              '- In a list.\n\n    === "Nested"\n\n        Nested body.\n\n'
              '!!! note "Box"\n    === "In a box"\n\n        Box tab body.\n')
    assert _texts_at(source) == [
        ("One", "One"), ("First *body*.", "First *body*."), ("an item", "an item"), ("Two", "Two"),
        ("Tight body.", "Tight body."), ("In a list.", "In a list."), ("Nested", "Nested"),
        ("Nested body.", "Nested body."), ("Box", "Box"), ("In a box", "In a box"), ("Box tab body.", "Box tab body.")]
    page = segment_page(source, "p.md", DIALECT)
    assert page.unextracted == ()
    assert next(s for s in page.segments if s.text == "Nested body.").region.column == 8


def test_details_bodies_after_a_blank_line_are_messages() -> None:
    page = segment_page('??? note\n\n    Closed body.\n\n???+ tip "Open"\n    Open body.\n', "p.md", DIALECT)
    assert [s.text for s in page.segments] == ["Closed body.", "Open", "Open body."]
    assert page.untitled == ((0, 8, "Note", ' "{}"'),)


def test_markdown_in_html_is_segmented_and_raw_html_prose_is_reported() -> None:
    source = ('<div class="grid" markdown>\nCard *text*.\n\n- card item\n</div>\n\n'
              '<section markdown="1">\n<div markdown="block">\nInner text.\n</div>\n</section>\n\n'
              "<div>\nRaw prose stays English.\n</div>\n")
    page = segment_page(source, "p.md", DIALECT)
    assert [s.text for s in page.segments] == ["Card *text*.", "card item", "Inner text."]
    assert [page.lines[n] for n in page.unextracted] == ["Raw prose stays English."]
    without = segment_page(source, "p.md", DIALECT - {"md_in_html"})
    assert "Card *text*." not in without.messages()


def test_block_arguments_that_are_not_titles_and_block_options_are_not_messages() -> None:
    source = ("/// html | div.custom\nInside.\n///\n\n/// details | Summary\n    type: warning\n\nBody.\n///\n\n"
              "/// caption | < 2\nThe caption.\n///\n\n/// warning\nNo title.\n///\n")
    page = segment_page(source, "p.md", DIALECT)
    assert [s.text for s in page.segments] == ["Inside.", "Summary", "Body.", "The caption.", "No title."]
    assert page.unextracted == ()
    assert [title for _, _, title, _ in page.untitled] == ["Warning"]


def test_math_alone_is_not_a_message() -> None:
    page = segment_page("$$\na^2 + b^2\n$$\n\n$x$\n\nThe value $x$ is small.\n", "p.md", DIALECT)
    assert [s.text for s in page.segments] == ["The value $x$ is small."]
    assert page.unextracted == ()


def test_a_default_title_is_given_to_boxes_never_to_code_examples() -> None:
    source = ("!!! note\n    A box.\n\nAn example:\n\n    !!! note\n        In code.\n\n    /// warning\n    In code.\n"
              "    ///\n\n```\n??? tip\n/// tip\n```\n\n/// tip\nA block.\n///\n")
    page = segment_page(source, "p.md", DIALECT)
    assert [(line, title) for line, _, title, _ in page.untitled] == [(0, "Note"), (17, "Tip")]


def test_fancylists_block_options_are_not_a_title() -> None:
    page = segment_page("/// fancylists | type=a start=9\n#. One\n#. Two\n///\n", "p.md", {"fancylists"})
    assert [s.text for s in page.segments] == ["One", "Two"]
