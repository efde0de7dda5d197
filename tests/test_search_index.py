"""The search index: what goes in, and the file the search page loads."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from site_gen import search

text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
doc = st.fixed_dictionaries({"u": text, "p": text, "h": text, "t": text})


def index_script(lang: str, docs: list[dict[str, str]]) -> str:
    """The whole index file at once: what the page-by-page writer must give."""
    payload = json.dumps({"lang": lang, "docs": docs}, ensure_ascii=False, separators=(",", ":"))
    return f"window.SG_SEARCH={payload};\n"


@given(lang=st.sampled_from(["en", "uk", "ru"]), pages=st.lists(st.lists(doc, max_size=3), max_size=5))
def test_the_index_written_page_by_page_is_the_whole_index_file(tmp_path_factory, lang, pages) -> None:
    folder: Path = tmp_path_factory.mktemp("lang")
    index = search.IndexWriter(folder, lang)
    for docs in pages:
        index.add(docs)
    written = index.close().read_text(encoding="utf-8")
    everything = [d for docs in pages for d in docs]
    assert written == index_script(lang, everything)
    payload = json.loads(written.removeprefix("window.SG_SEARCH=").removesuffix(";\n"))
    assert payload == {"lang": lang, "docs": everything}


def test_a_page_gives_one_entry_per_section_with_its_anchor() -> None:
    html = ('<article class="md-content__inner"><h1 id="top">Summons</h1><p>Intro text.</p>'
            '<h2 id="appeal">How to appeal</h2><p>Write to the office.</p></article>')
    docs = search.page_docs("rules/summons.html", html)
    assert [d["u"] for d in docs][-1] == "rules/summons.html#appeal"
    assert docs[-1]["h"] == "How to appeal" and "Write to the office." in docs[-1]["t"]
