"""Catalog workflow: extract, init, update, check — what translators and CI rely on."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po
from hypothesis import given
from hypothesis import strategies as st

from site_gen.catalog import VALID_PO, first_bad_line, merge, page_template, read_catalog, write_atomic
from site_gen.cli import main
from site_gen.errors import SiteGenError
from site_gen.segment import segment_page
from tests.conftest import copy_project

PAGE = "content/russia-digital-summons.md"
PO = Path("locales/uk/LC_MESSAGES/russia-digital-summons.po")


def run(*args: str) -> int:
    return main(list(args))


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def translate_all(path: Path, prefix: str = "УК ") -> None:
    with path.open("rb") as handle:
        catalog = read_po(handle)
    for message in catalog:
        if message.id:
            message.string = prefix + message.id
    with path.open("wb") as handle:
        write_po(handle, catalog, width=0)


def test_fresh_checkout_workflow_gives_valid_stable_catalogs(project: Path) -> None:
    assert run("extract") == 0
    assert run("init", "uk") == 0
    assert run("update") == 0
    files = sorted((project / "locales").rglob("*.po*"))
    # ru is configured in mkdocs.yml, so update starts its catalogs too; each
    # language also has the interface catalog (_site).
    assert len(files) == 3 * (len(list((project / "content").glob("*.md"))) + 1)
    for path in files:
        subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(path)], check=True)
    before = snapshot(project / "locales")
    assert run("extract") == 0 and run("update") == 0
    assert snapshot(project / "locales") == before, "running the commands again must change no byte"


def test_same_input_gives_byte_identical_catalogs(project: Path, tmp_path_factory) -> None:
    run("extract")
    run("init", "uk")
    first = snapshot(project / "locales")
    shutil.rmtree(project / "locales")
    run("extract")
    run("init", "uk")
    assert snapshot(project / "locales") == first


def test_no_date_churn_when_nothing_changed(project: Path, monkeypatch) -> None:
    run("extract")
    run("update")
    before = snapshot(project / "locales")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")  # a later day
    run("extract")
    run("update")
    assert snapshot(project / "locales") == before


def test_editing_one_paragraph_marks_exactly_that_message_fuzzy(project: Path) -> None:
    run("extract")
    run("init", "uk")
    translate_all(PO)
    page = Path(PAGE)
    text = page.read_text(encoding="utf-8")
    old = "Before the law, a summons had to be handed over in person."
    assert old in text
    page.write_text(text.replace(old, "Before the law, a summons had to be handed to a man in person."))
    assert run("update") == 0
    first = PO.read_bytes()
    assert run("update") == 0
    assert PO.read_bytes() == first, "the previous msgid survives another update"
    catalog = read_catalog(PO, "uk")
    fuzzy = [m for m in catalog if m.id and m.fuzzy]
    assert len(fuzzy) == 1
    assert fuzzy[0].id.startswith("Before the law, a summons had to be handed to a man in person.")
    assert fuzzy[0].previous_id[0].startswith(old)
    assert fuzzy[0].string == "УК " + fuzzy[0].previous_id[0], "the old translation is kept"
    translated = [m for m in catalog if m.id and not m.fuzzy]
    assert all(m.string == "УК " + m.id for m in translated), "every other translation is kept"
    assert "#| msgid" in PO.read_text(encoding="utf-8")


def test_removed_paragraphs_become_obsolete_and_come_back(project: Path) -> None:
    run("extract")
    run("init", "uk")
    translate_all(PO)
    page = Path(PAGE)
    original = page.read_text(encoding="utf-8")
    lines = original.split("\n")
    removed = next(line for line in lines if line.startswith("Before the law"))
    page.write_text(original.replace(removed + "\n", "Completely different words here about nothing.\n"))
    run("update")
    text = PO.read_text(encoding="utf-8")
    assert "#~ msgid" in text and "#~ msgstr \"УК Before the law" in text
    page.write_text(original)
    run("update")
    with PO.open("rb") as handle:
        catalog = read_po(handle)
    assert catalog[removed.strip()].string == "УК " + removed.strip()
    assert not catalog[removed.strip()].fuzzy


def test_update_check_fails_when_catalogs_are_out_of_date(project: Path, capsys) -> None:
    run("extract")
    run("init", "uk")
    run("init", "ru")
    assert run("update", "--check") == 0
    page = Path(PAGE)
    page.write_text(page.read_text(encoding="utf-8") + "\nA new paragraph.\n")
    before = snapshot(project / "locales")
    assert run("update", "--check") == 1
    assert "out of date: locales/templates/russia-digital-summons.pot" in capsys.readouterr().out
    assert snapshot(project / "locales") == before, "--check writes nothing"


def test_translator_comments_and_references_reach_the_template() -> None:
    page = segment_page("<!-- i18n: a name, keep it -->\nGosuslugi is a portal.\n\nText.\n", "p.md")
    catalog = page_template(page, "content")
    message = catalog["Gosuslugi is a portal."]
    assert message.auto_comments == ["a name, keep it"]
    assert message.locations == [("content/p.md", 2)]


def test_broken_po_names_file_and_line_and_rewrites_nothing(project: Path, capsys) -> None:
    run("extract")
    run("init", "uk")
    text = PO.read_text(encoding="utf-8")
    PO.write_text(text.replace('msgstr ""\n\n#:', 'msgstr "unclosed\n\n#:', 1), encoding="utf-8")
    before = snapshot(project / "locales")
    Path(PAGE).write_text(Path(PAGE).read_text(encoding="utf-8") + "\nNew text.\n")
    assert run("update") == 1
    err = capsys.readouterr().err
    assert "locales/uk/LC_MESSAGES/russia-digital-summons.po:" in err and "error" in err
    line = int(err.split("russia-digital-summons.po:")[1].split(":")[0])
    assert 'msgstr "unclosed' in PO.read_text(encoding="utf-8").split("\n")[line - 1]
    assert snapshot(project / "locales") == before, "no catalog is rewritten after an error"


def test_malformed_front_matter_fails_before_any_write(project: Path, capsys) -> None:
    Path("content/broken.md").write_text("---\ntitle: [oops\n---\n\nText.\n", encoding="utf-8")
    assert run("extract") == 1
    assert "content/broken.md:2: error: front matter is not valid YAML" in capsys.readouterr().err
    assert not (project / "locales").exists()


@pytest.mark.parametrize("code", ["xx", "klingon", "u-k"])
def test_unknown_language_is_a_clear_error(project: Path, capsys, code: str) -> None:
    assert run("init", code) == 1
    assert f"unknown language code {code!r}" in capsys.readouterr().err
    assert not (project / "locales").exists()


def test_unknown_language_in_config_is_a_clear_error(project: Path, capsys) -> None:
    config = Path("mkdocs.yml")
    config.write_text(config.read_text().replace("languages: [en, uk, ru]", "languages: [en, uk, zz]"))
    assert run("extract") == 1
    assert "mkdocs.yml:" in capsys.readouterr().err


def test_atomic_write_leaves_old_file_when_interrupted(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "a.po"
    target.write_bytes(b"old")

    def explode(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr("os.replace", explode)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, b"new content")
    assert target.read_bytes() == b"old"
    assert list(tmp_path.iterdir()) == [target], "no temporary file is left behind"


def test_merge_keeps_translations_of_an_obsolete_entry() -> None:
    old_page = segment_page("First.\n\nSecond.\n", "p.md")
    catalog = page_template(old_page, "content")
    for message in catalog:
        if message.id:
            message.string = "T " + message.id
    merged = merge(page_template(segment_page("First.\n", "p.md"), "content"), catalog)
    assert merged.obsolete["Second."].string == "T Second."
    assert merged["First."].string == "T First."


def test_pybabel_compile_gives_mo_files(project: Path) -> None:
    run("extract")
    run("init", "uk")
    translate_all(PO)
    assert run("compile") == 0
    assert PO.with_suffix(".mo").stat().st_size > 1000



pieces = st.sampled_from(['#', '#~', '#|', ' ', '\t', '\r', '"', '\\', '\\"', 'msgid', 'msgstr', 'msgstr[0]',
                          'msgctxt', 'msgid_plural', 'msg', 'x', 'ї', '[', ']', '1'])
odd_space = st.sampled_from(['\x1c', '\xa0', '\u2028', '\x85'])


@given(st.lists(st.lists(pieces, max_size=8).map("".join), max_size=6).map("\n".join))
def test_the_whole_file_check_agrees_with_the_line_by_line_check(text: str) -> None:
    assert bool(VALID_PO.fullmatch(text)) == (first_bad_line(text) is None), repr(text)


@given(st.lists(st.lists(st.one_of(pieces, odd_space), max_size=8).map("".join), max_size=6).map("\n".join))
def test_the_whole_file_check_never_passes_a_line_the_line_check_rejects(text: str) -> None:
    if VALID_PO.fullmatch(text):
        assert first_bad_line(text) is None, repr(text)


po_text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=30)


@given(entries=st.lists(st.tuples(po_text.filter(bool), po_text, st.booleans(), st.booleans()),
                        max_size=6, unique_by=lambda e: e[0]),
       obsolete=st.booleans(), extra_lines=st.lists(st.sampled_from(["", "# a note", "#, fuzzy", "#. auto"]),
                                                    max_size=3), order_of_other_tools=st.booleans())
def test_the_plain_reader_gives_the_table_babel_gives(tmp_path_factory, entries, obsolete, extra_lines,
                                                      order_of_other_tools) -> None:
    from babel.messages.catalog import Catalog

    from site_gen.catalog import plain_translations, read_translations, render, translations

    catalog = Catalog(locale="uk")
    for msgid, msgstr, fuzzy, located in entries:
        catalog.add(msgid, msgstr, flags=["fuzzy"] if fuzzy else [],
                    locations=[("content/page.md", 3)] if located else [])
    if obsolete:
        catalog.obsolete["gone"] = catalog.obsolete.get("gone") or type(next(iter(catalog)))(
            "gone", "пішло", flags=["fuzzy"])
    text = render(catalog).decode("utf-8") + "\n".join(extra_lines)
    if order_of_other_tools:
        # msgmerge and some editors write a fuzzy obsolete entry with its flag, not always last:
        # the flag is the obsolete entry's, not the next live one's.
        header, _, rest = text.partition("\n\n")
        text = f'{header}\n\n#, fuzzy\n#~ msgid "went"\n#~ msgstr "пішов"\n\n{rest}'
    path = tmp_path_factory.mktemp("po") / "page.po"
    path.write_text(text, encoding="utf-8")
    expected = translations(read_catalog(path, "uk"), "x.po")
    assert read_translations(path, "uk", "x.po") == expected
    assert plain_translations(text, "x.po") == expected  # the fast path was taken, obsolete entries too


def without_header(text: str | None) -> str:
    """A PO text without its header entry, which site_gen writes its own way (``header_fields``)."""
    from site_gen.catalog import _HEADER_ENTRY

    assert text is not None
    return _HEADER_ENTRY.sub("", text, count=1)


words = st.text(st.sampled_from([*"ab \t\n\"\\é#:.-", "ї", "\xa0", "\u2068"]), max_size=90)


@given(messages=st.lists(st.tuples(words.filter(bool), words, st.lists(st.tuples(words, st.none() | st.integers(0, 99)),
                                                                        max_size=3),
                                   st.lists(words, max_size=2), st.lists(words, max_size=2),
                                   st.sets(st.sampled_from(["fuzzy", "python-format", "x"])), st.none() | words),
                         max_size=5, unique_by=lambda m: (m[0], m[6])),
       obsolete=st.lists(st.tuples(words.filter(bool), words, st.lists(words, max_size=2)), max_size=2),
       fuzzy=st.booleans())
def test_po_text_is_what_babels_writer_writes(messages, obsolete, fuzzy) -> None:
    import io

    from babel.messages.catalog import Catalog, Message

    from site_gen.catalog import po_text

    catalog = Catalog(locale="uk", project="Summons", fuzzy=fuzzy)
    for msgid, string, locations, auto, user, flags, context in messages:
        catalog.add(msgid, string, locations=locations, auto_comments=auto, user_comments=user, flags=flags,
                    context=context)
    for msgid, string, user in obsolete:
        catalog.obsolete[msgid] = Message(msgid, string, user_comments=user)
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=0, include_previous=False, sort_output=False)
    assert without_header(po_text(catalog)) == without_header(buffer.getvalue().decode("utf-8"))


def test_po_text_wraps_long_comments_and_location_lists_as_babel_does() -> None:
    import io

    from babel.messages.catalog import Catalog

    from site_gen.catalog import po_text

    catalog = Catalog(locale="ru", project="Summons")
    places = [(f"content/rules/the-military-register-in-border-regions-part-{n}.md", n) for n in range(1, 6)]
    catalog.add("Timeline of events", "Хронология", locations=places,
                auto_comments=["heading: " + "a long note about the heading, " * 3, "x" * 80 + " y"],
                user_comments=["checked by the editor on 21 November 2026 against the source article"])
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=0, include_previous=False, sort_output=False)
    expected = without_header(buffer.getvalue().decode("utf-8"))
    assert without_header(po_text(catalog)) == expected
    assert expected.count("#: ") > 1 and expected.count("#. ") > 2  # the lists were wrapped


def test_a_write_waits_in_the_scratch_folder_and_falls_back_across_file_systems(tmp_path: Path, monkeypatch) -> None:
    import errno
    import os

    target = tmp_path / "locales" / "uk.po"
    scratch = tmp_path / "build" / "tmp"
    seen: list[str] = []
    real_replace = os.replace

    def replace(source, destination):
        seen.append(str(Path(source).parent))
        if Path(source).parent == scratch:  # as if build/ were on another disk
            raise OSError(errno.EXDEV, "Invalid cross-device link")
        return real_replace(source, destination)

    write_atomic(target, b"first", scratch=scratch)
    assert target.read_bytes() == b"first" and list(target.parent.iterdir()) == [target]
    monkeypatch.setattr(os, "replace", replace)
    write_atomic(target, b"second", scratch=scratch)
    assert target.read_bytes() == b"second"
    assert seen == [str(scratch), str(target.parent)]
    assert list(target.parent.iterdir()) == [target] and list(scratch.iterdir()) == []


PERTURBATIONS = {
    "nothing": lambda entry: entry,
    "wrapped msgstr": lambda entry: entry.replace('\nmsgstr "', '\nmsgstr ""\n"', 1),
    "trailing space": lambda entry: entry + " ",
    "indented line": lambda entry: entry.replace("\nmsgid", "\n msgid", 1),
    "translator comment": lambda entry: "# checked\n" + entry,
    "unspaced comment": lambda entry: "#checked\n" + entry,
    "doubled comment": lambda entry: "# checked\n# checked\n" + entry,
    "empty comment": lambda entry: "#\n" + entry,
    "fuzzy": lambda entry: entry.replace("\nmsgid", "\n#, fuzzy\nmsgid", 1),
    "python-format": lambda entry: entry.replace("\nmsgid", "\n#, python-format\nmsgid", 1),
    "brace format": lambda entry: entry.replace("\nmsgid", "\n#, python-brace-format\nmsgid", 1),
    "previous": lambda entry: entry.replace("\nmsgid", '\n#| msgid "before"\nmsgid', 1),
    "fuzzy and previous": lambda entry: entry.replace("\nmsgid", '\n#, fuzzy\n#| msgid "before"\nmsgid', 1),
    "moved line": lambda entry: entry.replace(":1", ":2"),
    "auto comment": lambda entry: "#. added\n" + entry,
    "newline escape": lambda entry: entry.replace('\nmsgstr "', '\nmsgstr "a\\n', 1),
    "other escape": lambda entry: entry.replace('\nmsgstr "', '\nmsgstr "\\a', 1),
    "context": lambda entry: entry.replace("\nmsgid", '\nmsgctxt "c"\nmsgid', 1),
    "dropped": lambda entry: "",
}
HEADER_CHANGES = {
    "nothing": lambda header: header,
    "older Babel": lambda header: header.replace("Generated-By: Babel ", "Generated-By: Babel 1"),
    "no date": lambda header: header.replace("POT-Creation-Date: 2026", "POT-Creation-Date: soon"),
    "comment token": lambda header: header.replace("# Translations of", "# VERSION of", 1),
    "Poedit field": lambda header: header.replace('"MIME-Version', '"X-Generator: Poedit 3.4\\n"\n"MIME-Version'),
    "fuzzy header": lambda header: header.replace('msgid ""', '#, fuzzy\nmsgid ""', 1),
    "no comment": lambda header: header[header.index("msgid"):],
}
def merge_leaves(template, path: Path, text: str) -> bool:
    """Whether Babel's merge of *template* into the catalog *text* (written at *path*) leaves the
    file as it is: the oracle of the quick up-to-date check."""
    from site_gen.catalog import render_stable

    path.write_text(text, encoding="utf-8")
    try:
        merged = merge(template, read_catalog(path, "uk"))
    except SiteGenError:
        return False
    return render_stable(merged, path.read_bytes()) is None


msgids = st.text(st.sampled_from([*"ab \t\n\"\\%(s)d{}", "ї", "\u2028"]), min_size=1, max_size=12)


@given(messages=st.lists(st.tuples(msgids, msgids | st.just(""), st.booleans()), min_size=1, max_size=4,
                         unique_by=lambda m: m[0]),
       change=st.sampled_from([*PERTURBATIONS, *HEADER_CHANGES, "swapped", "obsolete"]), where=st.integers(0, 3))
def test_the_quick_up_to_date_check_agrees_with_babels_merge(tmp_path_factory, messages, change, where) -> None:
    """``merge_keeps`` says "unchanged" only where Babel's merge leaves the file as it is,
    and it says so for every catalog that merge wrote."""
    from datetime import UTC, datetime

    from babel.messages.catalog import Catalog

    from site_gen.catalog import HEADER, merge_keeps, new_catalog, render

    def page_template() -> Catalog:
        template = Catalog(project="site", header_comment=HEADER.format(source="content/p.md"),
                           creation_date=datetime(2026, 1, 2, 3, 4, tzinfo=UTC), fuzzy=False)
        for number, (msgid, _, _) in enumerate(messages, 1):
            template.add(msgid, locations=[("content/p.md", number)], auto_comments=[f"line {number}"])
        return template

    template = page_template()
    template_text = render(template).decode("utf-8")
    path = tmp_path_factory.mktemp("po") / "p.po"

    def babel_keeps(text: str) -> bool:
        return merge_leaves(template, path, text)

    written = new_catalog(page_template(), "uk")  # its new messages are the template's own objects
    for msgid, string, fuzzy in messages:
        written[msgid].string = string
        if fuzzy:
            written[msgid].flags.add("fuzzy")
            written[msgid].previous_id = [msgid + " (old)"]
    path.write_bytes(render(written))
    text = render(merge(template, read_catalog(path, "uk"))).decode("utf-8")  # as the merge writes it
    assert merge_keeps(template_text, text, "uk") and babel_keeps(text)

    header, *entries, end = text.split("\n\n")
    where %= len(entries)
    if change in PERTURBATIONS:
        entries[where] = PERTURBATIONS[change](entries[where])
    elif change in HEADER_CHANGES:
        header = HEADER_CHANGES[change](header)
    elif change == "swapped":
        entries.insert(0, entries.pop(where))
    else:
        entries.append('#~ msgid "gone"\n#~ msgstr "пішло"')
    changed = "\n\n".join([header, *entries, end])
    if merge_keeps(template_text, changed, "uk"):
        assert babel_keeps(changed)


@given(messages=st.lists(st.tuples(msgids, msgids), min_size=2, max_size=5, unique_by=lambda m: m[0]),
       dropped=st.integers(0, 4), change=st.sampled_from(["nothing", "revived", "emptied", "comment", "wrapped"]))
def test_the_quick_check_agrees_with_babels_merge_on_catalogs_with_obsolete_entries(
        tmp_path_factory, messages, dropped, change) -> None:
    """A catalog whose English lost a message keeps its translation as an obsolete entry (``#~``):
    the next check finds it up to date without Babel's merge, and not when the English is back
    (the merge revives it), when the entry holds no translation (the merge drops it) or when it is
    not written as site_gen writes it."""
    from datetime import UTC, datetime

    from babel.messages.catalog import Catalog

    from site_gen.catalog import HEADER, merge_keeps, new_catalog, render

    def template_of(kept: list[tuple[str, str]]) -> Catalog:
        template = Catalog(project="site", header_comment=HEADER.format(source="content/p.md"),
                           creation_date=datetime(2026, 1, 2, 3, 4, tzinfo=UTC), fuzzy=False)
        for number, (msgid, _) in enumerate(kept, 1):
            template.add(msgid, locations=[("content/p.md", number)])
        return template

    path = tmp_path_factory.mktemp("po") / "p.po"
    written = new_catalog(template_of(messages), "uk")
    for msgid, string in messages:
        written[msgid].string = string
    path.write_bytes(render(written))
    gone = messages[dropped % len(messages)]
    shorter = template_of([message for message in messages if message != gone])
    text = render(merge(shorter, read_catalog(path, "uk"))).decode("utf-8")

    template, shorter_text = shorter, render(shorter).decode("utf-8")
    assert ("#~ msgid" in text) is bool(gone[1])  # kept only with a translation
    assert merge_keeps(shorter_text, text, "uk") and merge_leaves(shorter, path, text)
    if change == "revived":
        template, shorter_text = template_of(messages), render(template_of(messages)).decode("utf-8")
    elif change == "emptied":
        text = re.sub(r'(?m)^#~ msgstr .*(?:\n#~ ".*)*$', '#~ msgstr ""', text)
    elif change == "comment":
        text = text.replace("#~ msgid", "# kept\n#~ msgid", 1)
    elif change == "wrapped":
        text = text.replace('#~ msgstr "', '#~ msgstr ""\n#~ "', 1)
    if merge_keeps(shorter_text, text, "uk"):
        assert merge_leaves(template, path, text)
    elif change == "nothing":
        pytest.fail("a catalog as the merge wrote it is up to date")


# Catalogs that do not depend on tool versions or on the translator's editor ------------------

CATALOGS = sorted(Path(__file__).resolve().parent.parent.glob("locales/*/LC_MESSAGES/*.po"))


def _rewrite_with_msgcat_default(path: Path, template: Path) -> None:
    subprocess.run(["msgcat", "-o", str(path), str(path)], check=True)  # wraps at 79 columns


def _rewrite_with_msgcat_no_wrap(path: Path, template: Path) -> None:
    subprocess.run(["msgcat", "--no-wrap", "-o", str(path), str(path)], check=True)


def _rewrite_with_msgmerge(path: Path, template: Path) -> None:
    subprocess.run(["msgmerge", "--previous", "-q", "-o", str(path), str(path), str(template)], check=True)


def _rewrite_as_weblate_does(path: Path, template: Path) -> None:
    from translate.storage import pypo  # translate-toolkit: the PO writer Weblate uses

    store = pypo.pofile.parsefile(str(path))
    store.updateheader(add=True, Last_Translator="Anonymous", X_Generator="Weblate 5.8")
    path.write_bytes(bytes(store))


EDITORS = {
    "msgcat": _rewrite_with_msgcat_default,
    "msgcat --no-wrap": _rewrite_with_msgcat_no_wrap,
    "msgmerge --previous": _rewrite_with_msgmerge,
    "translate-toolkit (Weblate)": _rewrite_as_weblate_does,
}


@pytest.mark.parametrize("editor", EDITORS)
def test_a_catalog_saved_by_a_translators_tool_is_still_up_to_date(tmp_path: Path, monkeypatch, editor) -> None:
    """Re-wrapping, header order and a tool's own header fields are formatting, not a change:
    CI must not fail a translator's pull request for them."""
    root = copy_project(tmp_path)
    monkeypatch.chdir(root)
    edited = sorted((root / "locales").glob("*/LC_MESSAGES/*.po"))
    for path in edited:
        before = path.read_bytes()
        EDITORS[editor](path, root / "locales/templates" / path.with_suffix(".pot").name)
        if editor != "msgcat --no-wrap":  # every other tool re-wraps the long header lines at least
            assert path.read_bytes() != before, "the tool changed nothing: the test would prove nothing"
    saved = snapshot(root / "locales")
    assert run("update", "--check") == 0
    assert run("check") == 0
    assert run("extract") == 0 and run("update") == 0
    assert snapshot(root / "locales") == saved, "no byte is written for formatting alone"


def test_catalogs_written_by_another_babel_release_are_up_to_date(tmp_path: Path, monkeypatch, capsys) -> None:
    """Babel 2.18 and 2.19 write the headers differently (Generated-By, the wording of the
    uk/ru plural rule); a catalog from either is neither out of date nor an error."""
    root = copy_project(tmp_path)
    monkeypatch.chdir(root)
    wordings = ["(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2)",
                "n % 10 == 1 && n % 100 != 11 ? 0 : n % 10 >= 2 && n % 10 <= 4 && (n % 100 < 12 || n % 100 > 14)"
                " ? 1 : 2"]
    for number, path in enumerate(sorted((root / "locales").glob("*/LC_MESSAGES/*.po"))):
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"plural=[^;]+;", f"plural={wordings[number % 2]};", text)
        text = text.replace('"Content-Transfer-Encoding: 8bit\\n"',
                            f'"Content-Transfer-Encoding: 8bit\\n"\n"Generated-By: Babel 2.1{8 + number % 2}.0\\n"')
        path.write_text(text, encoding="utf-8")
    saved = snapshot(root / "locales")
    assert run("update", "--check") == 0
    assert run("check") == 0, capsys.readouterr().err
    assert run("extract") == 0 and run("update") == 0
    assert snapshot(root / "locales") == saved


def test_a_plural_rule_that_picks_other_forms_is_an_error(tmp_path: Path, monkeypatch, capsys) -> None:
    root = copy_project(tmp_path)
    monkeypatch.chdir(root)
    path = root / "locales/uk/LC_MESSAGES/about.po"
    path.write_text(re.sub(r"Plural-Forms: [^\\]+", "Plural-Forms: nplurals=3; plural=(n==1 ? 0 : n<5 ? 1 : 2);",
                           path.read_text(encoding="utf-8")), encoding="utf-8")
    assert run("check") == 1
    assert "locales/uk/LC_MESSAGES/about.po:1: error: [plurals]" in capsys.readouterr().err


def test_a_new_catalog_takes_the_plural_rule_its_language_already_uses(tmp_path: Path, monkeypatch) -> None:
    root = copy_project(tmp_path)
    monkeypatch.chdir(root)
    other_wording = "n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<12 || n%100>14) ? 1 : 2"
    for path in (root / "locales/uk/LC_MESSAGES").glob("*.po"):
        path.write_text(re.sub(r"plural=[^;]+;", f"plural={other_wording};", path.read_text(encoding="utf-8")),
                        encoding="utf-8")
    (root / "content/new-page.md").write_text("---\ntitle: New\n---\n\n# New page\n\nText.\n", encoding="utf-8")
    assert run("extract") == 0 and run("update") == 0
    assert f"plural={other_wording};" in (root / "locales/uk/LC_MESSAGES/new-page.po").read_text(encoding="utf-8")


def test_a_percent_in_prose_gets_no_format_flag_and_msgfmt_accepts_its_translation(project: Path) -> None:
    """Babel guesses python-format from "50% of" (``% o``); GNU msgfmt -c then rejects "50 %"."""
    (project / "content/about.md").write_text("---\ntitle: About\n---\n\n# About\n\nUp to 50% of men.\n",
                                              encoding="utf-8")
    assert run("extract") == 0 and run("update") == 0
    assert "python-format" not in (project / "locales/templates/about.pot").read_text(encoding="utf-8")
    po = project / "locales/uk/LC_MESSAGES/about.po"
    po.write_text(po.read_text(encoding="utf-8").replace('msgid "Up to 50% of men."\nmsgstr ""',
                                                         'msgid "Up to 50% of men."\nmsgstr "До 50 % чоловіків."'),
                  encoding="utf-8")
    assert "python-format" not in po.read_text(encoding="utf-8")
    subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(po)], check=True)
    assert run("update", "--check") == 0


def test_placeholder_headers_are_out_of_date_and_update_fills_them_in(tmp_path: Path, monkeypatch) -> None:
    root = copy_project(tmp_path)
    monkeypatch.chdir(root)
    path = root / "locales/ru/LC_MESSAGES/index.po"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r'"Last-Translator: [^"]*"', '"Last-Translator: FULL NAME <EMAIL@ADDRESS>\\\\n"', text),
                    encoding="utf-8")
    assert run("update", "--check") == 1
    assert run("update") == 0
    assert path.read_text(encoding="utf-8") == text
    check = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(path)], capture_output=True, text=True)
    assert check.returncode == 0 and not check.stderr


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: f"{p.parent.parent.name}/{p.stem}")
def test_every_catalog_passes_msgfmt_and_pybabel_compile_without_a_warning(path: Path, tmp_path: Path) -> None:
    msgfmt = subprocess.run(["msgfmt", "-c", "--statistics", "-o", "/dev/null", str(path)],
                            capture_output=True, text=True)
    assert msgfmt.returncode == 0, msgfmt.stderr
    assert "warning" not in msgfmt.stderr and "fuzzy" not in msgfmt.stderr and "untranslated" not in msgfmt.stderr
    lang = path.parent.parent.name
    pybabel = subprocess.run([sys.executable, "-m", "babel.messages.frontend", "compile", "--statistics",
                              "-l", lang, "-i", str(path), "-o", str(tmp_path / "out.mo")],
                             capture_output=True, text=True)
    assert pybabel.returncode == 0, pybabel.stderr
    assert "error" not in pybabel.stderr.lower() and "warning" not in pybabel.stderr.lower(), pybabel.stderr
    header = path.read_text(encoding="utf-8").split("\n\n")[0]
    for placeholder in ("FULL NAME", "EMAIL@ADDRESS", "YEAR-MO-DA", "VERSION\\n", "LL@li.org", "Generated-By"):
        assert placeholder not in header


def test_extract_and_update_on_a_fresh_clone_change_no_byte(tmp_path: Path, monkeypatch) -> None:
    """`git status` stays clean after a contributor's first `site-gen extract && site-gen update`,
    whatever day it is and whichever Babel release is installed."""
    root = copy_project(tmp_path)
    monkeypatch.chdir(root)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1900000000")  # a later day than any date in the catalogs
    saved = snapshot(root / "locales")
    assert run("extract") == 0 and run("update") == 0
    assert snapshot(root / "locales") == saved
