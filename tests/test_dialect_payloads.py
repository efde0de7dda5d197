"""Issue 19, item 5: the gate's hostile payloads (``tests/payloads.py``) inside the dialect's
constructs: in a tab's body, a details block, a ``///`` block and a list item.

The project's about page gets one paragraph per payload in each construct, the site's
mkdocs.yml the pymdownx extensions; each paragraph's uk translation carries its payload.
``site-gen check`` must refuse every one, naming the catalog's file and line, and
``site-gen build`` must publish none of them.
"""

from __future__ import annotations

import contextlib
import io
import os
from pathlib import Path

import pytest

from site_gen.catalog import read_catalog, render, write_atomic
from site_gen.cli import main
from tests.conftest import copy_project
from tests.payloads import PAYLOADS, marker

#: Every paragraph has what the payloads look for: a link, and the words two of them pick.
SENTENCE = "This site gives general information through Gosuslugi in {where} {index}, see [the home page](index.md)."
CONSTRUCTS = {
    "a tab": lambda text: f'=== "A tab"\n\n    {text}\n',
    "a details block": lambda text: f'??? note "Details"\n\n    {text}\n',
    "a block": lambda text: f"/// note | A block\n{text}\n///\n",
    "a list item": lambda text: f"- A list item.\n\n    {text}\n",
}
EXTENSIONS = ("  - pymdownx.details\n  - pymdownx.superfences\n  - pymdownx.tabbed:\n      alternate_style: true\n"
              "  - pymdownx.blocks.admonition\n")
#: The payloads that change a paragraph of a page (the others are about headings, cells, fields).
PARAGRAPH_PAYLOADS = [(index, payload) for index, payload in enumerate(PAYLOADS) if payload.catalog != "_site"
                      and payload.msgid(SENTENCE.format(where="a tab", index=0), "paragraph")]


def _run(*args: str) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(list(args))
    return code, err.getvalue()


@pytest.fixture(scope="module")
def outcome(tmp_path_factory: pytest.TempPathFactory) -> dict:
    project = copy_project(tmp_path_factory.mktemp("dialect-payloads"))
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("  - def_list\n", "  - def_list\n" + EXTENSIONS),
                      encoding="utf-8")
    texts: dict[str, str] = {}  # msgid → the translation with its payload
    honest: dict[str, str] = {}  # msgid → a translation that changes words only
    blocks = []
    for where, construct in CONSTRUCTS.items():
        text = f"An honest sentence in {where}."
        blocks.append(construct(text))
        honest[text] = f"Чесне речення {len(honest)}."
        for index, payload in PARAGRAPH_PAYLOADS:
            text = SENTENCE.format(where=where, index=index)
            blocks.append(construct(text))
            texts[text] = f"{marker(index)}{'abcd'[list(CONSTRUCTS).index(where)]} " + payload.change(text)
    # Boxes without titles of their own: a translated page shows the reader's word for the type.
    blocks += ["!!! warning\n    A warning box.\n", "??? tip\n    A details box.\n", "/// note\nA note block.\n///\n"]
    about = project / "content/about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\n" + "\n".join(blocks), encoding="utf-8")
    cwd = Path.cwd()
    os.chdir(project)
    try:
        assert _run("update")[0] == 0
        po = project / "locales/uk/LC_MESSAGES/about.po"
        catalog = read_catalog(po, "uk")
        for msgid, msgstr in {**texts, **honest}.items():
            catalog[msgid].string = msgstr
            catalog[msgid].flags.discard("fuzzy")
        write_atomic(po, render(catalog))
        lines = {message.id: message.lineno for message in read_catalog(po, "uk") if message.id in texts}
        check = _run("check")
        build = _run("build")
    finally:
        os.chdir(cwd)
    pages = {lang: (project / "site" / lang / "about.html").read_text(encoding="utf-8") for lang in ("en", "uk", "ru")}
    site = "\n".join(path.read_text(encoding="utf-8") for path in sorted((project / "site").rglob("*.html")))
    return {"pages": pages, "texts": texts, "honest": honest, "lines": lines, "check": check, "build": build,
            "site": site}


def test_every_construct_holds_one_paragraph_per_payload(outcome: dict) -> None:
    assert len(PARAGRAPH_PAYLOADS) >= 20
    assert len(outcome["lines"]) == len(CONSTRUCTS) * len(PARAGRAPH_PAYLOADS), "each paragraph is a message"


def test_check_refuses_every_payload_in_every_construct(outcome: dict) -> None:
    code, err = outcome["check"]
    assert code == 1
    missed = [msgid for msgid, line in outcome["lines"].items()
              if f"locales/uk/LC_MESSAGES/about.po:{line}: error:" not in err]
    assert missed == []


def test_build_publishes_no_payload_and_shows_the_english(outcome: dict) -> None:
    code, err = outcome["build"]
    assert code == 0, err
    for msgstr in outcome["texts"].values():
        assert msgstr.split()[0] not in outcome["site"], msgstr
    first = PARAGRAPH_PAYLOADS[0][0]
    assert outcome["site"].count(f"in a details block {first}") >= 3  # the English, in en, uk and ru


def test_an_honest_translation_in_each_construct_is_published(outcome: dict) -> None:
    for msgstr in outcome["honest"].values():
        assert msgstr in outcome["site"]


def test_boxes_without_a_title_show_the_readers_word_for_their_type(outcome: dict) -> None:
    """The English page is plain MkDocs' ("Warning"); uk and ru take the interface catalog's words."""
    for lang, words in {"en": ("Warning", "Tip", "Note"), "uk": ("Попередження", "Порада", "Примітка"),
                        "ru": ("Предупреждение", "Совет", "Примечание")}.items():
        page = outcome["pages"][lang]
        assert f'<p class="admonition-title">{words[0]}</p>' in page, lang
        assert f"<summary>{words[1]}</summary>" in page, lang
        assert f'<p class="admonition-title">{words[2]}</p>' in page, lang
