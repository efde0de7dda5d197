"""Property tests: for any page built from the dialect's blocks, translation keeps structure."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from site_gen.segment import segment_page
from site_gen.translate import Translation, translate_page
from tests.conftest import block_structure, html_events, render, render_translated

WORDS = st.sampled_from(
    ["summons", "law", "the", "men", "abroad", "Kyiv", "2023", "450,000", "rule", "reported", "is", "a"]
)


@st.composite
def inline(draw) -> str:
    words = draw(st.lists(WORDS, min_size=1, max_size=8))
    out = []
    for word in words:
        style = draw(st.sampled_from(["", "", "", "*", "**", "`", "link"]))
        if style == "link":
            out.append(f"[{word}](page.md#{word.lower()})")
        elif style:
            out.append(f"{style}{word}{style}")
        else:
            out.append(word)
    return " ".join(out)


@st.composite
def paragraph(draw) -> str:
    lines = draw(st.lists(inline(), min_size=1, max_size=3))
    return "\n".join(lines)


@st.composite
def block(draw) -> str:
    kind = draw(st.sampled_from(
        ["p", "h", "ul", "ol", "quote", "table", "admonition", "code", "deflist", "image", "nested"]
    ))
    if kind == "p":
        return draw(paragraph())
    if kind == "h":
        return "#" * draw(st.integers(1, 4)) + " " + draw(inline())
    if kind in ("ul", "ol"):
        items = draw(st.lists(paragraph(), min_size=1, max_size=4))
        marker = "-" if kind == "ul" else "1."
        pad = " " * (len(marker) + 1)
        return "\n".join(marker + " " + item.replace("\n", "\n" + pad) for item in items)
    if kind == "quote":
        return "\n".join("> " + line for line in draw(paragraph()).split("\n"))
    if kind == "table":
        cols = draw(st.integers(1, 3))
        rows = draw(st.lists(st.lists(inline(), min_size=cols, max_size=cols), min_size=2, max_size=4))
        lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * cols]
        lines += ["| " + " | ".join(row) + " |" for row in rows[1:]]
        return "\n".join(lines)
    if kind == "admonition":
        title = draw(st.sampled_from(["", ' "Note title"', ' "Warning: the law"']))
        body = draw(paragraph())
        return f"!!! note{title}\n" + "\n".join("    " + line for line in body.split("\n"))
    if kind == "code":
        return "```\n" + draw(inline()) + "\n```"
    if kind == "deflist":
        return draw(WORDS).capitalize() + "\n:   " + draw(inline())
    if kind == "image":
        return f"![{draw(inline())}](picture.png)"
    items = draw(st.lists(inline(), min_size=1, max_size=3))
    return "- " + draw(inline()) + "\n\n" + "\n".join("    - " + item for item in items)


documents = st.lists(block(), min_size=1, max_size=8).map(lambda blocks: "\n\n".join(blocks) + "\n")


def cyrillic(text: str) -> str:
    """A pseudo-translation: letters change; code spans, link targets and footnote labels do not,
    as the checks require of real translations."""
    table = str.maketrans("aeopcxyAEOPCXKMTH", "аеорсхуАЕОРСХКМТН")
    out, inside_target = [], False
    for index, char in enumerate(text):
        if char == "`":
            inside_target = not inside_target
        elif (char == "(" and index and text[index - 1] == "]") or text.startswith("[^", index):
            inside_target = True
        elif char in ")]" and not (out and out[-1] == "`"):
            inside_target = False
        out.append(char if inside_target else char.translate(table))
    return "".join(out).replace(" the ", " цей ")


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(documents)
def test_identity_catalog_renders_identical_html(document: str) -> None:
    page = segment_page(document, "p.md")
    table = {text: Translation(text) for text in page.messages()}
    assert html_events(render(translate_page(page, table, "uk").markdown)) == html_events(render(document))


@SETTINGS
@given(documents)
def test_any_translation_keeps_the_block_structure(document: str) -> None:
    page = segment_page(document, "p.md")
    table = {text: Translation(cyrillic(text)) for text in page.messages()}
    translated = translate_page(page, table, "uk").markdown
    assert block_structure(render_translated(translated, page)) == block_structure(render(document))


@SETTINGS
@given(documents, st.integers(8, 40))
def test_rewrapping_paragraphs_keeps_every_message(document: str, width: int) -> None:
    rewrapped = []
    for chunk in document.split("\n\n"):
        first = chunk.split("\n")[0]
        plain = not first.startswith(("#", "-", "1.", ">", "|", "!!!", "```", "    ", "!["))
        if plain and "\n:" not in chunk:
            words, lines, line = chunk.split(), [], ""
            for word in words:
                if line and len(line) + len(word) > width:
                    lines.append(line)
                    line = word
                else:
                    line = f"{line} {word}".strip()
            lines.append(line)
            chunk = "\n".join(lines)
        rewrapped.append(chunk)
    again = "\n\n".join(rewrapped)
    assert list(segment_page(again, "p.md").messages()) == list(segment_page(document, "p.md").messages())
