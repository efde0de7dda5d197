"""The search index: what goes in, the form → lemma table, the shards, and reading it back."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from site_gen import search

#: The issue's test list: every form finds the same pages as the others of its group.
FORMS = {
    "uk": [["повістка", "повістки", "повістці", "повісток", "повістками"], ["мобілізація", "мобілізації"],
           ["призов", "призову"], ["ТЦК", "тцк"]],
    "ru": [["повестка", "повесток", "повестке", "повестками"], ["ТЦК", "тцк"]],
    "en": [["summons", "summonses", "summon", "summoned"], ["guard", "guards", "guarded"]],
}
TEXTS = {
    "uk": ("Електронні повістки", "ТЦК надсилає повістку поштою під час мобілізації, після призову."),
    "ru": ("Электронные повестки", "ТЦК отправляет повестку по почте."),
    "en": ("Online summonses", "A summons arrives by post; the border guard checks it."),
}


def page(title: str, *sections: tuple[str, str, str]) -> str:
    body = "".join(f'<h2 id="{anchor}">{heading}</h2><p>{text}</p>' for anchor, heading, text in sections)
    return f'<html><body><nav>Menu</nav><article class="md-content__inner"><h1 id="top">{title}</h1>{body}' \
           "</article></body></html>"


def build(folder: Path, lang: str, pages: dict[str, str]) -> search.Index:
    writer = search.IndexWriter(folder, lang)
    for name, html in pages.items():
        writer.add(search.page_docs(name, html))
    writer.close()
    return search.read_index(folder)


@pytest.mark.parametrize("lang", ["uk", "ru", "en"])
def test_every_form_of_the_test_list_finds_the_same_pages(tmp_path: Path, lang: str) -> None:
    title, text = TEXTS[lang]
    index = build(tmp_path, lang, {
        "about.html": page("About", ("who", "Who", "A site in three languages.")),
        "topic.html": page(title, ("rules", "Rules", text)),
    })
    for group in FORMS[lang]:
        found = {form: index.pages(form) for form in group}
        assert all(pages == {"topic.html"} for pages in found.values()), found


def test_the_table_holds_every_form_of_every_indexed_lemma(tmp_path: Path) -> None:
    index = build(tmp_path, "uk", {"a.html": page("Повістки", ("x", "Мобілізація", "Призову підлягають чоловіки."))})
    analyzer = search.analyzer("uk")
    for lemma in ("повістка", "мобілізація", "призов", "чоловік"):
        forms = {search.fold(form.word) for parse in analyzer.parse(lemma) if parse.is_known
                 for form in parse.lexeme if search.fold(parse.normal_form) == lemma}
        assert len(forms) > 5
        assert all(lemma in index.lemmas_of(form) for form in forms), lemma


def test_folding_matches_the_browser() -> None:
    assert search.words("Обов'язок обов’язок ОБОВʼЯЗОК") == ["обов'язок"] * 3
    assert search.words("Ещё пові\u0301стка, 'цитата'") == ["еще", "повістка", "цитата"]
    assert search.words("ТЦК-шник і т.д.") == ["тцк", "шник", "і", "т", "д"]


def test_a_word_of_the_text_keeps_its_own_lemma(tmp_path: Path) -> None:
    index = build(tmp_path, "en", {"a.html": page("Old and new", ("n", "News", "The new rules.")),
                                   "b.html": page("Latest news", ("m", "More", "Press reports."))})
    assert index.pages("new") == {"a.html"}
    assert index.pages("news") == {"a.html", "b.html"}


def test_title_words_and_heading_words_are_marked(tmp_path: Path) -> None:
    index = build(tmp_path, "uk", {"a.html": page("Повістки", ("appeal", "Оскарження", "Повістку можна оскаржити."))})
    assert [doc[0] for doc in index.docs] == ["a.html", "a.html#appeal"]
    assert index.postings("повістка") == [(0, True), (1, False)]
    assert index.postings("оскарження") == [(1, True)]


def test_section_text_keeps_punctuation_next_to_links() -> None:
    html = ('<article><h1>Title</h1><p>Called up (<a href="s.html#mt">The Moscow Times, без дати</a>; '
            '<a href="s.html#x"><em>Meduza</em></a>).<sup id="fnref:1"><a href="#fn:1">1</a></sup> Next</p>'
            "<ul><li>one</li><li>two</li></ul></article>")
    _, sections = search.page_sections(html)
    assert sections[0]["t"] == "Called up (The Moscow Times, без дати; Meduza). Next one two"


def test_a_page_gives_one_entry_per_section_with_its_anchor() -> None:
    html = ('<article class="md-content__inner"><h1 id="top">Summons</h1><p>Intro text.</p>'
            '<h2 id="appeal">How to appeal</h2><p>Write to the office.</p></article>')
    docs = search.page_docs("rules/summons.html", html)
    assert [d["u"] for d in docs][-1] == "rules/summons.html#appeal"
    assert docs[-1]["h"] == "How to appeal" and "Write to the office." in docs[-1]["t"]


def test_files_are_small_shards_in_a_folder_named_by_their_digest(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search, "SHARD_BYTES", 300)
    monkeypatch.setattr(search, "CHUNK_CHARS", 200)
    pages = {f"p{n}.html": page(f"Сторінка {n}", ("s", "Повістки", f"Повістку {n} отримали в ТЦК, мобілізація триває, "
                                                  "призов іде, повістками займаються, повісток багато."))
             for n in range(40)}
    first = build(tmp_path / "a", "uk", pages)
    assert len(first.meta["shards"]) > 10 and len(first.meta["chunks"]) > 5
    assert any(len(prefix) > 1 for prefix in first.meta["shards"])
    for group in FORMS["uk"]:
        assert all(first.pages(form) == set(pages) for form in group), group
    again = build(tmp_path / "b", "uk", pages)
    assert again.meta == first.meta, "the same pages give the same files"
    files = sorted(p.name for p in (tmp_path / "a" / "search" / first.meta["dir"]).iterdir())
    assert len(files) == len(first.meta["shards"]) + len(first.meta["chunks"])
    changed = build(tmp_path / "a", "uk", {**pages, "p0.html": page("Інша", ("s", "Інша", "Текст."))})
    assert changed.meta["dir"] != first.meta["dir"]
    assert [p.name for p in (tmp_path / "a" / "search").iterdir() if p.is_dir()] == [changed.meta["dir"]]


def test_index_files_are_scripts_that_hand_their_data_to_the_page(tmp_path: Path) -> None:
    build(tmp_path, "ru", {"a.html": page("Повестки", ("x", "Суд", "Текст."))})
    meta = (tmp_path / "search" / "sg_index.js").read_text(encoding="utf-8")
    assert meta.startswith('window.SG_SEARCH={"lang":"ru","dir":"') and "\\u" not in meta
    shard = next((tmp_path / "search").glob("*/s*.js")).read_text(encoding="utf-8")
    assert shard.startswith('SG_SEARCH.add("s') and shard.endswith(");\n")


words = st.text(st.sampled_from("абвгґдеєжзиіїйклмнопрстуфхцчшщьюя'"), min_size=1, max_size=12).filter(
    lambda w: not w.startswith("'"))


@given(lemma=words, form=words)
def test_forms_are_written_relative_to_their_lemma(lemma: str, form: str) -> None:
    code = search.encode_form(lemma, form)
    assert search.decode_form(lemma, code) == form
    assert len(code) <= len(form) + len(str(len(lemma)))


@given(sizes=st.dictionaries(words, st.integers(0, 2000), min_size=1, max_size=200),
       limit=st.integers(100, 5000))
def test_every_word_has_a_shard_and_shards_split_only_when_too_big(sizes: dict[str, int], limit: int) -> None:
    prefixes = search.plan_shards(sizes, limit)
    assert len(set(prefixes)) == len(prefixes)
    held: dict[str, int] = {}
    for word, size in sizes.items():
        home = search.shard_of(word, set(prefixes))
        assert home is not None and word.startswith(home)
        held[home] = held.get(home, 0) + size
    for prefix in prefixes:
        if len(prefix) > 1:
            parent_total = sum(size for word, size in sizes.items() if word.startswith(prefix[:-1]))
            assert parent_total > limit, "a shard is split only when the whole was too big"


def test_reading_back_gives_what_the_browser_reads(tmp_path: Path) -> None:
    index = build(tmp_path, "uk", {"a.html": page("Повістки", ("x", "Суд", "Текст."))})
    text = (tmp_path / "search" / "sg_index.js").read_text(encoding="utf-8")
    assert json.loads(text.removeprefix("window.SG_SEARCH=").rstrip().rstrip(";")) == index.meta
