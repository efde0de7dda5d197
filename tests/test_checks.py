"""Translation QA: each check catches its kind of mistake, names file and line, and blocks publishing."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from site_gen.catalog import read_catalog, render, write_atomic
from site_gen.checks import check_message
from site_gen.cli import main
from tests.conftest import copy_project

MSGID = "About 450,000 men [left](sources.md#x) in `2023`, **many** abroad[^1]."
GOOD = {"uk": "Близько 450 000 чоловіків [виїхали](sources.md#x) у `2023`, **багато** за кордон[^1].",
        "ru": "Около 450 000 мужчин [уехали](sources.md#x) в `2023`, **многие** за границу[^1]."}


@pytest.mark.parametrize("lang", ["uk", "ru"])
def test_a_good_translation_passes_every_check(lang: str) -> None:
    assert check_message(MSGID, GOOD[lang], lang) == []


@pytest.mark.parametrize(
    ("bad", "check"),
    [
        (GOOD["uk"] + " <script>alert(1)</script>", "html"),
        (GOOD["uk"].replace("Близько", '<img src=x onerror="alert(1)">'), "html"),
        (GOOD["uk"].replace("(sources.md#x)", "(javascript:alert(1))"), "html"),
        (GOOD["uk"].replace("450 000", "45 000"), "numbers"),
        (GOOD["uk"].replace("[виїхали](sources.md#x)", "виїхали"), "links"),
        (GOOD["uk"].replace("sources.md#x", "sources.md#y"), "links"),
        (GOOD["uk"].replace("`2023`", "`2024`"), "code"),
        (GOOD["uk"].replace("**багато**", "**багато"), "emphasis"),
        (GOOD["uk"].replace("[^1]", ""), "footnotes"),
        (GOOD["uk"].replace("(sources.md#x)", "(sources.md#x){: #new-id}"), "ids"),
        (GOOD["uk"].replace("Близько", "Близько\u202e"), "characters"),
        (GOOD["uk"].replace(" чоловіків", "\r# чоловіків"), "characters"),
        (GOOD["uk"].replace("**багато**", "багато"), "emphasis"),
        (GOOD["uk"] + "\n\nНовий абзац.", "blocks"),
        ("# " + GOOD["uk"], "blocks"),
    ],
)
def test_each_error_check_catches_its_mistake(bad: str, check: str) -> None:
    found = {(f.check, f.severity) for f in check_message(MSGID, bad, "uk")}
    assert (check, "error") in found


@pytest.mark.parametrize(
    ("msgid", "msgstr", "check"),
    [
        ("Plain text here.", " Звичайний текст.", "whitespace"),
        ("Plain text here.", "Текст текст тут.", "doubled"),
        ("Plain text here now.", "Plain text here now.", "unchanged"),
    ],
)
def test_warnings(msgid: str, msgstr: str, check: str) -> None:
    assert (check, "warning") in {(f.check, f.severity) for f in check_message(msgid, msgstr, "uk")}


def test_numbers_in_the_locale_format_are_accepted() -> None:
    assert check_message("Aged 18-60; 3.5 percent; 20,000 people.", "Віком 18–60; 3,5 відсотка; 20 000 людей.",
                         "uk") == []
    changed_time = check_message("On 23 December 2023 at 7:57 p.m.", "23 декабря 2023 года в 19:57.", "ru")
    assert changed_time[0].check == "numbers"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    copy_project(tmp_path)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def spoil(repo: Path, lang: str, page: str, startswith: str, change) -> int:
    po = repo / f"locales/{lang}/LC_MESSAGES/{page}.po"
    catalog = read_catalog(po, lang)
    message = next(m for m in catalog if m.id and m.id.startswith(startswith))
    message.string = change(message.string)
    write_atomic(po, render(catalog))
    return read_catalog(po, lang)[message.id].lineno


def test_project_is_clean(repo: Path, capsys) -> None:
    assert main(["check"]) == 0
    assert "0 errors" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda s: s + ' <img src=x onerror="alert(1)">', "[html]"),
        (lambda s: re.sub(r"\d", lambda m: str((int(m.group()) + 1) % 10), s, count=1), "[numbers]"),
        (lambda s: s.replace("](", "] ("), "[links]"),
    ],
)
def test_check_reports_file_line_msgid_and_fix_and_the_build_refuses(repo: Path, capsys, change, words) -> None:
    page = "ukraine-online-summons"
    catalog = read_catalog(repo / f"locales/uk/LC_MESSAGES/{page}.po", "uk")
    start = next(m.id for m in catalog if m.id and re.search(r"\d", m.id) and "](" in m.id)[:40]
    line = spoil(repo, "uk", page, start, change)
    assert main(["check"]) == 1
    err = capsys.readouterr().err
    assert f"locales/uk/LC_MESSAGES/{page}.po:{line}: error:" in err
    assert words in err and "msgid:" in err and "fix:" in err
    if words == "[html]":
        # The build agrees: the translation is not published, the English is, and it says where.
        assert main(["build"]) == 0
        err = capsys.readouterr().err
        assert f"locales/uk/LC_MESSAGES/{page}.po:{line}: warning: [html]" in err and "English is shown" in err
        assert "onerror" not in "".join(p.read_text() for p in repo.rglob("*.html"))
        assert main(["build", "--strict"]) == 1
        assert f"locales/uk/LC_MESSAGES/{page}.po:{line}: error: [html]" in capsys.readouterr().err


def test_broken_po_syntax_is_reported_with_its_line(repo: Path, capsys) -> None:
    po = repo / "locales/ru/LC_MESSAGES/about.po"
    lines = po.read_text(encoding="utf-8").split("\n")
    number = next(i for i, line in enumerate(lines) if line.startswith("msgstr") and i > 20)
    lines[number] = lines[number][:-1]  # drop the closing quote
    po.write_text("\n".join(lines), encoding="utf-8")
    assert main(["check"]) == 1
    assert f"locales/ru/LC_MESSAGES/about.po:{number + 1}: error: [syntax]" in capsys.readouterr().err


def test_wrong_plural_forms_header(repo: Path, capsys) -> None:
    po = repo / "locales/uk/LC_MESSAGES/about.po"
    text = po.read_text(encoding="utf-8")
    start = text.index('"Plural-Forms:')
    po.write_text(text[:start] + '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"' + text[text.index("\n", start):])
    assert main(["check"]) == 1
    assert "[plurals]" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("edit", "words"),
    [
        (lambda t: t.replace("status: adopted\n", ""), "required field 'status'"),
        (lambda t: t.replace("status: adopted", "status: rumoured"), "unknown status 'rumoured'"),
        (lambda t: re.sub(r"^as_of: .*$", "as_of: spring", t, flags=re.M), "'as_of' is not a date"),
        (lambda t: t.replace("sources: [moscow-times-2023-digital-summons]", "sources: [nowhere]"),
         "source 'nowhere' is not on sources.md"),
        (lambda t: re.sub(r"^last_reviewed: .*\n", "", t, flags=re.M), "required field 'last_reviewed'"),
    ],
)
def test_page_front_matter_checks(repo: Path, capsys, edit, words) -> None:
    page = repo / "content/russia-digital-summons.md"
    page.write_text(edit(page.read_text(encoding="utf-8")), encoding="utf-8")
    assert main(["check"]) == 1
    err = capsys.readouterr().err
    assert "content/russia-digital-summons.md:" in err and words in err


def test_stats_as_table_and_json(repo: Path, capsys) -> None:
    po = repo / "locales/uk/LC_MESSAGES/about.po"
    catalog = read_catalog(po, "uk")
    first, second = [m for m in catalog if m.id][:2]
    first.flags.add("fuzzy")
    second.string = ""
    write_atomic(po, render(catalog))
    assert main(["stats", "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    about = figures["uk"]["pages"]["about.md"]
    assert (about["fuzzy"], about["untranslated"]) == (1, 1)
    assert figures["ru"]["total"]["percent"] == 100
    assert main(["stats"]) == 0
    table = capsys.readouterr().out
    assert f"| uk | about.md | {about['translated']} | 1 | 1 |" in table


def test_publishing_gate_hides_a_language_below_its_threshold(repo: Path, capsys) -> None:
    for po in (repo / "locales/ru/LC_MESSAGES").glob("*.po"):
        catalog = read_catalog(po, "ru")
        for message in list(catalog)[: len(catalog) // 2 + 1]:
            if message.id:
                message.string = ""
        write_atomic(po, render(catalog))
    config = repo / "mkdocs.yml"
    config.write_text(config.read_text() + "    publish_threshold: 80\n")
    assert main(["build", "--strict"]) == 1
    assert "ru is" in capsys.readouterr().err
    assert main(["build"]) == 0
    assert "below its publishing threshold" in capsys.readouterr().err
    page = (repo / "site/uk/index.html").read_text(encoding="utf-8")
    assert 'hreflang="ru"' not in page and 'hreflang="uk"' in page
    assert (repo / "site/ru/index.html").exists(), "the language is still built"
    assert 'hreflang="ru"' not in (repo / "site/index.html").read_text(encoding="utf-8")


def test_the_interface_catalog_counts_like_a_page(repo: Path, capsys) -> None:
    """Readers see the menus, labels and notices on every page: an out-of-date interface
    lowers the language's figures in stats and in the publishing gate."""
    from site_gen.generate import Language, published_languages
    from site_gen.project import Project

    po = repo / "locales/ru/LC_MESSAGES/_site.po"
    catalog = read_catalog(po, "ru")
    interface_messages = [m for m in catalog if m.id]
    for message in interface_messages:
        message.flags.add("fuzzy")
    write_atomic(po, render(catalog))
    assert main(["stats", "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["ru"]["pages"]["_site"]["fuzzy"] == len(interface_messages)
    assert figures["ru"]["total"]["percent"] < 100 and figures["uk"]["total"]["percent"] == 100
    project = Project.load(repo / "mkdocs.yml")
    counts = {lang: project.language_counts(lang) for lang in project.targets}
    threshold = figures["ru"]["total"]["percent"] + 1
    languages, warnings = published_languages(
        [Language("en", "English", "en"), Language("uk", "Українська", "uk"), Language("ru", "Русский", "ru")],
        counts, threshold, "en")
    assert [lang.published for lang in languages] == [True, True, False]
    assert len(warnings) == 1 and warnings[0].startswith("ru is")


def test_status_page_in_every_language(repo: Path) -> None:
    assert main(["build"]) == 0
    assert "Стан перекладу" in (repo / "site/uk/translation-status.html").read_text(encoding="utf-8")
    assert "Меню, підписи й повідомлення" in (repo / "site/uk/translation-status.html").read_text(encoding="utf-8")
    assert "Состояние перевода" in (repo / "site/ru/translation-status.html").read_text(encoding="utf-8")
    assert "Translation status" in (repo / "site/en/translation-status.html").read_text(encoding="utf-8")


def test_killing_update_midway_leaves_every_catalog_old_or_new(repo: Path) -> None:
    """SIGKILL at many moments of an update that rewrites every catalog."""
    for page in (repo / "content").glob("*.md"):
        text = page.read_text(encoding="utf-8")
        page.write_text(text.replace("The ", "The  ", 3).replace(". ", ".  ", 2) + "\nA new closing line.\n")
    files = sorted((repo / "locales").rglob("*.po*"))
    old = {p: p.read_bytes() for p in files}
    expected_dir = repo.parent / "expected"
    shutil.copytree(repo, expected_dir)
    env = {**os.environ, "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", "1700000000")}
    subprocess.run([sys.executable, "-m", "site_gen", "update"], cwd=expected_dir, check=True, capture_output=True,
                   env=env)
    new = {p: (expected_dir / p.relative_to(repo)).read_bytes() for p in files}
    assert sum(old[p] != new[p] for p in files) > 20
    for delay in [0.05 * i for i in range(1, 16)]:
        process = subprocess.Popen([sys.executable, "-m", "site_gen", "update"], cwd=repo, env=env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        for path in files:
            data = path.read_bytes()
            assert data in (old[path], new[path]), f"{path} is half-written after a kill at {delay:.2f} s"
            read_catalog(path)
        assert not [p for p in (repo / "locales").rglob("*.tmp")], "temporary files are cleaned or ignored"
    time.sleep(1)
    assert processes_in(repo) == [], "a killed update's workers stop too"


def processes_in(folder: Path) -> list[int]:
    """Processes (other than this one) whose working folder is *folder*."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            try:
                if Path(os.readlink(entry / "cwd")) == folder.resolve():
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def test_check_warns_about_topic_pages_not_reviewed_for_too_long(repo: Path, capsys, monkeypatch) -> None:
    import datetime as dt

    config = repo / "mkdocs.yml"
    config.write_text(config.read_text() + "    review_after_days: 30\n")
    page = repo / "content/russia-digital-summons.md"
    text = page.read_text(encoding="utf-8")
    reviewed = dt.date.fromisoformat(re.search(r"^last_reviewed: (\S+)$", text, re.M).group(1))
    line = text[:text.index("last_reviewed:")].count("\n") + 1
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(dt.datetime.combine(
        reviewed + dt.timedelta(days=30), dt.time(), dt.UTC).timestamp())))
    assert main(["check"]) == 0
    assert "[stale]" not in capsys.readouterr().out, "30 days is not more than 30"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(dt.datetime.combine(
        reviewed + dt.timedelta(days=31), dt.time(), dt.UTC).timestamp())))
    assert main(["check"]) == 0, "a warning, not an error"
    out = capsys.readouterr().out
    assert f"content/russia-digital-summons.md:{line}: warning: [stale] last reviewed 31 days ago" in out
    assert "content/about.md" not in out, "only topic pages (with a status) go stale"
    assert main(["check", "--strict"]) == 1


def test_as_of_may_be_as_vague_as_the_source_but_publishing_dates_are_days(repo: Path, capsys) -> None:
    page = repo / "content/russia-digital-summons.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(re.sub(r"^as_of: .*$", 'as_of: "~2023-spring"', text, flags=re.M), encoding="utf-8")
    assert main(["check"]) == 0, capsys.readouterr().err
    page.write_text(re.sub(r"^published: .*$", "published: 2026-11", page.read_text(encoding="utf-8"), flags=re.M),
                    encoding="utf-8")
    assert main(["check"]) == 1
    assert "content/russia-digital-summons.md:" in capsys.readouterr().err


@pytest.mark.parametrize(("msgid", "msgstr"), [
    ("Requires Python 3.8 or later.", "Потрібен Python 3.8 або новіший."),  # left as the English writes it
    ("Requires Python 3.8 or later.", "Потрібен Python 3,8 або новіший."),  # or in the language's format
    ("Version 1.2.3 of 2024.", "Версія 1.2.3 від 2024 року."),
    (r"Type \` to start a code span and \` to end it.", r"Введіть \` на початку коду і \` в кінці."),
    (r"Write \*stars\* and \_lines\_ as they are.", r"Пишіть \*зірочки\* і \_риски\_ як є."),
])
def test_unchanged_numbers_and_escaped_characters_are_accepted(msgid: str, msgstr: str) -> None:
    assert check_message(msgid, msgstr, "uk") == []


def test_a_changed_number_or_code_next_to_escapes_is_still_refused() -> None:
    assert check_message("Requires Python 3.8.", "Потрібен Python 3.9.", "uk")[0].check == "numbers"
    found = check_message(r"Use \` and `code`.", r"Пишіть \` і `код`.", "uk")
    assert [f.check for f in found] == ["code"]


def test_a_reference_link_may_have_its_label_translated_when_it_keeps_its_reference() -> None:
    from site_gen import gate

    context = gate.page_context(["[Foo]: https://example.org/foo", "[bar]: other.md"])

    def checks(msgstr: str) -> list[str]:
        return [f.check for f in gate.review("See [Foo] for more.", msgstr, "paragraph", context, lang="uk")]

    assert checks("Див. [Фу][Foo] докладніше.") == []
    assert checks("Див. [Фу][foo] докладніше.") == []  # labels match without case, as in Markdown
    assert checks("Див. [Foo] докладніше.") == []
    assert checks("Див. [Фу] докладніше.") == ["links"], "the link would be broken"
    assert checks("Див. [Фу][bar] докладніше.") == ["links"], "another target"


def test_text_in_no_message_is_reported_with_its_line_in_check_and_stats(repo: Path, capsys) -> None:
    """Prose inside syntax the segmenter does not know stays English: check and stats say where."""
    page = repo / "content/about.md"
    text = page.read_text(encoding="utf-8")
    added = '\n=== "A tab"\n\n    Prose in a tab body, read as code.\n\n<div class="box">Prose in raw HTML.</div>\n'
    page.write_text(text + added, encoding="utf-8")
    first = text.count("\n") + 4  # the tab body's line
    assert main(["extract"]) == 0 and main(["update"]) == 0
    capsys.readouterr()
    assert main(["check"]) == 0, "a warning"
    out = capsys.readouterr().out
    assert f"content/about.md:{first}: warning: [unextracted]" in out
    assert f"content/about.md:{first + 2}: warning: [unextracted]" in out
    assert main(["stats", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["uk"]["pages"]["about.md"]["unextracted_lines"] == 2
