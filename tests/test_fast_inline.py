"""The inline stage without impossible searches gives Python-Markdown's HTML, byte for byte."""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from pathlib import Path

import markdown
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown import treeprocessors

from site_gen.render.mkdocs.fast_inline import NEEDS, FastInlineExtension, FastInlineProcessor, find_bracket_ends, needs
from tests.conftest import EXTENSIONS, strip_front_matter
from tests.test_roundtrip_property import documents

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
#: The extensions of MkDocs builds: the site's, and MkDocs' own built-in ones.
ALL_EXTENSIONS = [*EXTENSIONS, "fenced_code"]


def both(text: str, extensions: list[str] = ALL_EXTENSIONS) -> tuple[str, str]:
    stock = markdown.Markdown(extensions=extensions).convert(text)
    fast = markdown.Markdown(extensions=[*extensions, FastInlineExtension()])
    assert isinstance(fast.treeprocessors["inline"], FastInlineProcessor)
    return stock, fast.convert(text)


#: Text made mostly of the characters inline Markdown gives a meaning to.
MARKUP = st.text(alphabet=st.sampled_from(list("[]()!*_`\\<>&#;^:/@.=\"' \n-|~ab1Жё")), max_size=120)
WORDS = st.sampled_from(["word", "Київ", "*em*", "**strong**", "_u_", "`code`", "``a`b``", "\\*", "[link](p.md)",
                         "[ref][1]", "[1]", "![img](i.png)", "![ref][1]", "<https://x.org>", "<a@b.org>",
                         "<b>x</b>", "<!-- c -->", "&amp;", "&#39;", "&copy", "[^1]", "  \n", "\n", "a_b_c",
                         "***x***", "HTML", "{: .x }", "{#id}", "<", "&", "*", "_", "!", "["])
FRAGMENTS = st.lists(WORDS, min_size=1, max_size=25).map(" ".join)
REFERENCES = "\n\n[1]: https://example.org/ \"Title\"\n\n[^1]: A footnote.\n\n*[HTML]: HyperText Markup Language\n"


@SETTINGS
@given(MARKUP)
def test_any_markup_characters_give_the_same_html(text: str) -> None:
    stock, fast = both(text + REFERENCES)
    assert fast == stock


@SETTINGS
@given(st.lists(FRAGMENTS, min_size=1, max_size=6).map("\n\n".join))
def test_every_inline_construct_gives_the_same_html(text: str) -> None:
    stock, fast = both(text + REFERENCES)
    assert fast == stock


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
def test_any_page_of_the_dialect_gives_the_same_html(document: str) -> None:
    stock, fast = both(document)
    assert fast == stock


def test_every_page_of_the_site_gives_the_same_html() -> None:
    pages = sorted((ROOT / "content").rglob("*.md"))
    assert pages
    for page in pages:
        stock, fast = both(strip_front_matter(page.read_text(encoding="utf-8")))
        assert fast == stock, page


@pytest.mark.parametrize("expression", sorted(NEEDS))
@SETTINGS
@given(text=st.text(alphabet=st.sampled_from(list("[]()!*_`\\<>&#;^:/@.= \n-ab1Ж")), max_size=60))
def test_an_expression_never_matches_text_without_what_it_needs(expression: str, text: str) -> None:
    wanted = NEEDS[expression]
    for needed in wanted:
        text = text.replace(needed, "")
    if any(needed in text for needed in wanted):  # removing one may have made another
        return
    assert re.compile(expression, re.DOTALL | re.UNICODE).search(text) is None


def test_every_built_in_pattern_is_known() -> None:
    """On the Python-Markdown the table was written for, every built-in pattern is skipped
    when it cannot match.  Another version may change an expression: that pattern is then
    always tried (slower, never wrong; the tests above check the HTML on any version)."""
    if markdown.__version_info__[:2] != (3, 11):
        pytest.skip(f"NEEDS was checked against Python-Markdown 3.11, not {markdown.__version__}")
    md = markdown.Markdown(extensions=ALL_EXTENSIONS)
    unknown = [type(pattern).__name__ for pattern in md.inlinePatterns if needs(pattern) is None]
    assert len(list(md.inlinePatterns)) == 15
    assert unknown == []


def test_a_pattern_of_another_extension_is_always_tried() -> None:
    class Shout(markdown.inlinepatterns.InlineProcessor):
        def handleMatch(self, m, data):
            element = etree.Element("strong")
            element.text = m.group(1)
            return element, m.start(0), m.end(0)

    class ShoutExtension(markdown.extensions.Extension):
        def extendMarkdown(self, md):
            md.inlinePatterns.register(Shout(r"!!(\w+)!!", md), "shout", 65)

    stock, fast = both("Say !!hello!! and [x](y.md).", [*ALL_EXTENSIONS, ShoutExtension()])
    assert "<strong>hello</strong>" in fast
    assert fast == stock


def test_another_inline_processor_is_left_in_place() -> None:
    class Other(treeprocessors.InlineProcessor):
        pass

    class OtherExtension(markdown.extensions.Extension):
        def extendMarkdown(self, md):
            md.treeprocessors.register(Other(md), "inline", 20)

    md = markdown.Markdown(extensions=[OtherExtension(), FastInlineExtension()])
    assert type(md.treeprocessors["inline"]) is Other


def test_the_processor_keeps_its_place_among_the_tree_processors() -> None:
    stock = markdown.Markdown(extensions=ALL_EXTENSIONS)
    fast = markdown.Markdown(extensions=[*ALL_EXTENSIONS, FastInlineExtension()])
    order = [type(processor).__name__ for processor in stock.treeprocessors]
    assert [type(processor).__name__ for processor in fast.treeprocessors] == [
        "FastInlineProcessor" if name == "InlineProcessor" else name for name in order]


@SETTINGS
@given(st.text(alphabet=st.sampled_from(list("[]]a ([x](y)\\")), max_size=80))
def test_the_bracket_ends_are_python_markdowns(text: str) -> None:
    """Each index's closing bracket, as Python-Markdown's own walk over every character finds it."""
    stock = getattr(markdown.inlinepatterns.LinkInlineProcessor, "_findBracketEnds", None)
    if stock is None:
        pytest.skip("this Python-Markdown scans from each bracket instead")
    assert find_bracket_ends(text) == stock(text)
