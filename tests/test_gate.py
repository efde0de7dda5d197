"""The gate at the function level: honest translations pass, and whatever passes keeps the page."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import markdown
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from site_gen import anchors, assemble, gate
from site_gen.build import changed_pages
from site_gen.project import Project
from site_gen.segment import segment_page
from site_gen.translate import Translation, translate_page
from tests.conftest import ROOT, copy_project, strip_front_matter

CONFIG = gate.MarkdownConfig.from_mkdocs(Project.load(ROOT / "mkdocs.yml").config)

#: A page with every kind of message the segmenter makes, and the page definitions they use.
PAGE = """---
title: A page about summons
description: What a summons is, in short.
---

# A page about summons

A summons is an *official* order; see [the law][law] and the [timeline](timeline.md#y2023)[^1].

- The **TCC** sends it by `e-mail` or post.
- Read <kbd>Ctrl</kbd> and [sources](sources.md).
- Item one
  item two with [a link](index.md).

| Date | Event |
|---|---|
| 2023 | The law is [signed](sources.md#law). |

!!! note "Not legal advice"
    Check the dates with a lawyer.

Call-up
:   An order to serve.

Line one
line two with a [link](index.md).

*[TCC]: Territorial Recruitment Centre

[law]: sources.md#law
[^1]: The source of this sentence.
""".replace("Line one\n", "Line one  \n").replace("Item one\n", "Item one  \n")  # hard breaks


def english_and_translated(page_text: str, table: dict[str, Translation]) -> tuple[str, str, list[gate.Refusal]]:
    """The English page and its translation as the build renders them, the gate applied."""
    page = segment_page(page_text, "p.md")
    refusals = gate.judge_table(page, table, CONFIG, "uk")
    translated = translate_page(page, gate.accepted(table, refusals), "uk").markdown
    english = translate_page(page, None, "en").markdown
    # The build's hook gives a translated page's headings the English page's ids.
    translated_html = anchors.give_ids(_render(translated), anchors.english_heading_ids(page, CONFIG))[0]
    return _render(english), translated_html, refusals


def _render(text: str) -> str:
    md = markdown.Markdown(extensions=list(CONFIG.extensions),
                           extension_configs=json.loads(CONFIG.settings))
    return md.convert(strip_front_matter(text))


def page_skeleton(html: str) -> tuple:
    return gate.skeleton(html, gate.wrappers("en"))


MESSAGES = list(segment_page(PAGE, "p.md").messages())

#: What a random translation is made of: words, the page's own markup, Markdown punctuation,
#: HTML fragments, entities and control characters.
PIECES = st.one_of(
    st.sampled_from(["слово", "Повістка", "2023", "e-mail", "TCC", " ", " ", "  ", "\n"]),
    st.sampled_from(["\n- ", "\n1. ", "\n  - "]),
    st.sampled_from(["*official*", "**TCC**", "`e-mail`", "[the law][law]", "[^1]", "[timeline](timeline.md#y2023)",
                     "[sources](sources.md)", "<kbd>Ctrl</kbd>", "[link](index.md)", "[signed](sources.md#law)"]),
    st.sampled_from(list("*_[]()#-+|{}:!>`\\=~^.1")),
    st.sampled_from(["<b>", "</span>", "<svg/onload=x>", "<!--", "-->", "<a href='x'>", "</p>", "<script>", "<br>",
                     "{: #x}", "{: .c}", "[x]: https://e.example", "*[x]: y", "[^2]", "<https://e.example>",
                     "\\`", "    ", "1. ", "- ", "# ", "> ", "!!! note", "|---|", "---", "==="]),
    st.sampled_from(["&amp;", "&#106;", "&lt;", "&colon;", "&#x3C;", "&nbsp;", "&"]),
    st.sampled_from(["\r", "\t", "\u202e", "\u200b", "\x00", "\u2028", "\x85", "\ufeff"]),
)


@settings(max_examples=int(os.environ.get("GATE_EXAMPLES", 300)), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(msgid=st.sampled_from(MESSAGES), pieces=st.lists(PIECES, min_size=1, max_size=12))
def test_whatever_the_gate_accepts_keeps_the_english_page_skeleton(msgid: str, pieces: list[str]) -> None:
    msgstr = "".join(pieces)
    table = {msgid: Translation(msgstr, path="p.po", line=3)}
    english, translated, refusals = english_and_translated(PAGE, table)
    event("refused" if refusals else "accepted")
    assert page_skeleton(translated) == page_skeleton(english), (msgid, msgstr)


@settings(max_examples=150, deadline=None)
@given(msgid=st.sampled_from(MESSAGES), data=st.data())
def test_a_shuffle_of_the_english_markup_is_accepted_only_if_the_page_keeps_its_skeleton(msgid: str, data) -> None:
    """Reordered words and markup of the message itself: the gate accepts many, and keeps the page."""
    words = msgid.replace("\n", " \n ").split(" ")
    msgstr = " ".join(data.draw(st.permutations(words)))
    english, translated, refusals = english_and_translated(PAGE, {msgid: Translation(msgstr)})
    event("refused" if refusals else "accepted")
    assert page_skeleton(translated) == page_skeleton(english), (msgid, msgstr)


@pytest.mark.parametrize(
    ("msgid", "msgstr"),
    [
        # Word order changes.
        ("A summons is an *official* order; see [the law][law] and the [timeline](timeline.md#y2023)[^1].",
         "Повістка — це *офіційний* наказ; див. [хронологію](timeline.md#y2023) і [закон][law][^1]."),
        # A link moved within its sentence, emphasis moved.
        ("The **TCC** sends it by `e-mail` or post.", "Поштою або `e-mail` її надсилає **ТЦК**."),
        ("Read <kbd>Ctrl</kbd> and [sources](sources.md).", "[Джерела](sources.md) і <kbd>Ctrl</kbd> читайте."),
        ("Line one\nline two with a [link](index.md).", "Рядок перший\nрядок другий з [посиланням](index.md)."),
        ("The law is [signed](sources.md#law).", "Закон [підписано](sources.md#law)."),
        ("Item one\nitem two with [a link](index.md).", "Пункт перший\nпункт другий з [посиланням](index.md)."),
        ("A page about summons", "Сторінка про повістки"),
        ("Not legal advice", "Не юридична порада"),
        # (A translated abbreviation label must be a word of the translated page: see
        # tests/test_dialect.py::test_a_translated_abbreviation_label_must_be_a_word_of_the_translated_page.)
        ("*[TCC]: Territorial Recruitment Centre", "*[TCC]: Територіальний центр комплектування"),
        ("What a summons is, in short.", "Що таке повістка, коротко."),
    ],
)
def test_honest_translations_pass(msgid: str, msgstr: str) -> None:
    english, translated, refusals = english_and_translated(PAGE, {msgid: Translation(msgstr)})
    assert refusals == []
    assert page_skeleton(translated) == page_skeleton(english)
    published = translate_page(segment_page(PAGE, "p.md"), {msgid: Translation(msgstr)}, "uk").markdown
    assert all(line in published for line in msgstr.split("\n")), "the translation is used"


def test_every_current_translation_passes_the_gate(tmp_path: Path) -> None:
    project = Project.load(copy_project(tmp_path) / "mkdocs.yml")
    for lang in project.targets:
        gated = project.gated_translations(lang)
        assert gated.refusals == (), [str(refusal) for refusal in gated.refusals]
        assert sum(len(table) for table in gated.tables.values()) > 300


def test_verdicts_are_cached_by_message_translation_frame_and_configuration() -> None:
    msgid, msgstr = "See [the law](x.md) today.", "Див. [закон](x.md) сьогодні."
    gate.verdict(msgid, msgstr, "paragraph", gate.EMPTY, CONFIG, "uk")
    hits = gate._verdict.cache_info().hits
    assert gate.verdict(msgid, msgstr, "paragraph", gate.EMPTY, CONFIG, "uk") == ()
    assert gate._verdict.cache_info().hits == hits + 1
    assert gate.verdict(msgid, msgstr, "heading", gate.EMPTY, CONFIG, "uk") == ()
    assert gate._verdict.cache_info().hits == hits + 1, "another frame is another verdict"


def test_a_footnote_or_reference_the_translation_defines_is_refused() -> None:
    context = gate.page_context(PAGE.split("\n"))
    for msgstr in ("Повістка  \n[law]: https://e.example", "Повістка  \n[^1]: інша примітка"):
        found = gate.verdict("A summons.", msgstr.replace("  \n", "\n"), "paragraph", context, CONFIG, "uk")
        assert [f.check for f in found] in (["definitions"], ["footnotes"]), msgstr


def test_the_page_check_sees_past_site_gen_wrappers_and_finds_a_changed_page() -> None:
    english, translated, _ = english_and_translated(PAGE, {})  # everything untranslated: wrapped in lang=en
    assert 'class="sg-untranslated"' in translated
    assert gate.page_digest(translated, "en") == gate.page_digest(english, "en")
    changed = translated.replace('href="sources.md"', 'href="https://e.example/"')
    assert gate.page_digest(changed, "en") != gate.page_digest(english, "en")
    project = Project.load(ROOT / "mkdocs.yml")
    digests = {"en": {"about.md": gate.page_digest(english, "en")},
               "uk": {"about.md": gate.page_digest(changed, "en")}}
    digests["en"].update({p: "x" for p in project.page_paths if p != "about.md"})
    digests["uk"].update({p: "x" for p in project.page_paths if p != "about.md"})
    problems = changed_pages(digests, project)
    assert [problem.path for problem in problems] == ["uk/about.md"]


def test_an_inline_script_not_in_the_source_page_is_unknown() -> None:
    theme = '<script>__md_scope=new URL("/{lang}/",location)</script><script>var a=1</script>'
    checks = {lang: assemble.LanguageChecks(page_scripts={"404.html": assemble.script_keys(theme.format(lang=lang),
                                                                                             lang)})
              for lang in ("en", "uk")}
    assert assemble.unknown_scripts(checks, "en") == [], "the same scripts, each naming its language's folder"
    injected = theme.format(lang="uk") + "<script>alert(1)</script>"
    checks["uk"].page_scripts["404.html"] = assemble.script_keys(injected, "uk")
    assert [problem.path for problem in assemble.unknown_scripts(checks, "en")] == ["uk/404.html"]


LETTER_RUN = re.compile(r"[^\W\d_]+")
KINDS = ("paragraph", "item", "heading", "cell", "title", "term", "alt", "abbr", "meta:description", "interface")


@settings(max_examples=int(os.environ.get("GATE_EXAMPLES", 300)), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(pieces=st.lists(PIECES, min_size=1, max_size=12), data=st.data())
def test_texts_of_the_same_shape_render_to_the_same_skeleton(pieces: list[str], data) -> None:
    """The gate's shortcut (no rendering when only words differ) is sound: wherever two texts have
    the same shape, every frame renders them to the same skeleton and definitions."""
    msgid = "".join(pieces)
    words = st.text(st.sampled_from("абвгґдеєжзиіїйклмнопрстуфхцчшщьюяАБВqwertyXYZ"), min_size=1, max_size=8)
    msgstr = LETTER_RUN.sub(lambda m: data.draw(words), msgid)
    context = gate.page_context(PAGE.split("\n"))
    if not gate.same_shape(msgid, msgstr, CONFIG):
        event("different shapes")
        return
    event("same shape")
    for kind in KINDS:
        assert gate.render(msgid, kind, context, CONFIG).skeleton == gate.render(msgstr, kind, context, CONFIG).skeleton
        assert gate.render(msgid, kind, context, CONFIG).definitions == \
            gate.render(msgstr, kind, context, CONFIG).definitions


def test_every_real_message_with_its_words_changed_keeps_its_skeleton_and_shape() -> None:
    """The shortcut on this site's own pages: each English message with every word replaced has the
    same shape, and in the message's own frames the same skeleton."""
    project = Project.load(ROOT / "mkdocs.yml")
    same = 0
    for page in project.pages():
        context = gate.page_context(page.lines)
        for msgid, segments in page.messages().items():
            msgstr = LETTER_RUN.sub(lambda m: "ж" * len(m.group(0)), msgid)
            if not gate.same_shape(msgid, msgstr, project.markdown_config):
                continue
            same += 1
            for kind in {segment.kind for segment in segments} | {"paragraph"}:
                english = gate.render(msgid, kind, context, project.markdown_config)
                translated = gate.render(msgstr, kind, context, project.markdown_config)
                assert (english.skeleton, english.definitions) == (translated.skeleton, translated.definitions), msgid
    assert same > 200


def test_python_tags_of_mkdocs_yml_load_in_the_gate_as_mkdocs_loads_them(tmp_path) -> None:
    """A Material site's emoji index (!!python/name:) and slugify (!!python/object/apply:) load in the
    gate's Markdown (a str in their place crashed every translated build of such a site)."""
    from site_gen.gate import EMPTY, MarkdownConfig, render
    from site_gen.settings import read_config

    (tmp_path / "mkdocs.yml").write_text(
        "markdown_extensions:\n"
        "  - pymdownx.emoji:\n"
        "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
        "      emoji_generator: !!python/name:material.extensions.emoji.to_svg\n"
        "  - toc:\n"
        "      slugify: !!python/object/apply:pymdownx.slugs.slugify {kwds: {case: lower}}\n",
        encoding="utf-8")
    config = MarkdownConfig.from_mkdocs(read_config(tmp_path / "mkdocs.yml"))
    assert "'svg'" in repr(render("A :material-bug: here", "paragraph", EMPTY, config).skeleton)
    assert not gate.verdict("A :material-bug: here", "Тут :material-bug:", "paragraph", EMPTY, config)



@pytest.mark.parametrize(("msgid", "msgstr"), [("слово\n- {", "X\n- {"), ("a } b {", "x } y {"),
                                               ("\tслово[^1]", "\tX[^1]")])
def test_a_text_with_an_open_brace_or_an_indented_start_is_always_rendered(msgid: str, msgstr: str) -> None:
    """An open brace may take in a heading frame's {#id}, an indented start continues the footnote
    defined before it (the property test found both): no shortcut."""
    assert not gate.same_shape(msgid, msgstr, CONFIG)
    assert gate.same_shape("слово {x} тут", "X {x} Y", CONFIG), "closed braces keep the shortcut"


def test_an_autoref_is_a_link_when_the_site_uses_autorefs() -> None:
    """With autorefs (or mkdocstrings) among the plugins, [Foo][] is a link to Foo: translating the
    identifier is another link, the words around it are free."""
    config = gate.MarkdownConfig.from_mkdocs({"plugins": ["search", {"mkdocstrings": {}}]})
    english = "See [mkdocstrings.Highlighter][] and [the handler][mkdocstrings.BaseHandler]."
    assert gate.verdict(english, "Див. [mkdocstrings.Highlighter][] і [обробник][mkdocstrings.BaseHandler].",
                        "paragraph", gate.EMPTY, config, "uk") == ()
    assert gate.verdict(english, "Див. [підсвічувач][mkdocstrings.Highlighter] і [обробник][mkdocstrings.BaseHandler].",
                        "paragraph", gate.EMPTY, config, "uk") == (), "the same link, with translated words"
    found = gate.verdict(english, "Див. [мкдосстрингс.Хигхлигхтер][] і [обробник][mkdocstrings.BaseHandler].",
                         "paragraph", gate.EMPTY, config, "uk")
    assert [finding.check for finding in found] == ["html"] and "mkdocstrings.Highlighter" in found[0].message
    without = gate.MarkdownConfig.from_mkdocs({"plugins": ["search"]})
    assert "mkdocs_autorefs:AutorefsExtension" not in without.extensions


def test_the_gate_never_runs_a_custom_fence_of_a_translation(tmp_path: Path) -> None:
    """markdown-exec runs a fence's Python when it renders it: the gate renders translators'
    text with the site's Markdown, so its custom fences are plain code there."""
    pytest.importorskip("markdown_exec")
    mark = tmp_path / "ran"
    config = gate.MarkdownConfig.from_mkdocs({"markdown_extensions": [{"pymdownx.superfences": {"custom_fences": [
        {"name": "python", "class": "python",
         "validator": {gate.PYTHON_TAG: ["name", "markdown_exec.validator", ""]},
         "format": {gate.PYTHON_TAG: ["name", "markdown_exec.formatter", ""]}}]}}]})
    code = f'```python exec="on"\nopen({str(mark)!r}, "w").write("x")\n```'
    found = gate.verdict("Read the law.", f"Читайте закон.\n\n{code}", "paragraph", gate.EMPTY, config, "uk")
    assert found and not mark.exists()
    assert gate.verdict(f"Run:\n\n{code}", f"Запустіть:\n\n{code}", "paragraph", gate.EMPTY, config, "uk") == ()
    assert not mark.exists()


@pytest.mark.parametrize(("msgid", "msgstr", "refused"), [
    ("This page is {percent}% translated.", "Сторінку перекладено на {percent}%.", False),
    ("This page is {percent}% translated.", "Сторінку перекладено.", True),  # the number is lost
    ("This page is {percent}% translated.", "Перекладено на {відсоток}%.", True),  # a name site_gen does not fill
    ("Figure {}.", "Рисунок {}.", False),
    ("Figure {}.", "Рисунок {x}.", True),  # str.format fails on it
    ("Figure {}.", "Рисунок {}. {}", True),
    ("Figure {}.", "Рисунок {.", True),
    ("Search", "Пошук {}", True),
])
def test_an_interface_strings_placeholders_stay_as_the_english_has_them(msgid: str, msgstr: str,
                                                                          refused: bool) -> None:
    found = gate.verdict_in(None, msgid, msgstr, gate.EMPTY, gate.DEFAULT, "uk")
    assert any(finding.check == "placeholder" for finding in found) is refused, found
