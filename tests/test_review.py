"""``site-gen review``: what a translation pull request changes, beside the English."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from site_gen.cli import main
from site_gen.review import changed_messages, marks, numbers_in
from site_gen.translate import Translation
from tests.conftest import copy_project

PO = "locales/uk/LC_MESSAGES/ukraine-online-summons.po"


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args], cwd=root,
                   check=True, capture_output=True)


def replace_msgstr(path: Path, wanted, change) -> str:
    """Change the msgstr of the first entry whose msgid *wanted* accepts; return that msgid."""
    lines = path.read_text(encoding="utf-8").split("\n")
    # An entry without escapes, so its msgid reads the same in the file and in the review.
    at = next(n for n, line in enumerate(lines) if line.startswith('msgid "') and len(line) > 8 and "\\" not in line
              and wanted(line) and lines[n + 1].startswith('msgstr "') and len(lines[n + 1]) > 9)
    lines[at + 1] = change(lines[at + 1])
    path.write_text("\n".join(lines), encoding="utf-8")
    return lines[at][len('msgid "'):]


@pytest.fixture
def pull_request(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """A repository whose second commit changes a number, a link and one sentence's wording;
    the msgid of each change, by kind."""
    root = copy_project(tmp_path)
    monkeypatch.chdir(root)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "base")
    po = root / PO
    changed = {
        "number": replace_msgstr(po, lambda line: re.search(r"\d,\d{3}", line) and "](" not in line,
                                 lambda line: re.sub(r"(\d)(\d)(?=[\u00a0 ]\d{3})", r"\1", line, count=1)),
        "link": replace_msgstr(po, lambda line: "](sources.md#" in line and not re.search(r"\d,\d{3}", line),
                               lambda line: re.sub(r"\]\(sources\.md#[^)]*\)", "](https://example.org/)", line,
                                                   count=1)),
    }
    changed["reworded"] = replace_msgstr(
        po, lambda line: line[len('msgid "'):] not in changed.values() and line[7].isupper() and "](" not in line
        and not re.search(r"\d", line), lambda line: line[:-1] + ' (коротко)"')
    git(root, "commit", "-q", "-am", "translation")
    return changed


def blocks_of(out: str) -> dict[str, str]:
    """Each shown change of the text output, by the start of its English."""
    return {block.split("\n")[1].split("English: ", 1)[1][:40]: block for block in out.split("\n\n")[1:]}


def test_review_shows_each_changed_translation_and_marks_numbers_and_links(pull_request, capsys) -> None:
    assert main(["review", "HEAD~1..HEAD"]) == 0  # a reading aid: never a failing exit
    out = capsys.readouterr().out
    assert out.startswith("3 changed translations in HEAD~1..HEAD")
    blocks = blocks_of(out)
    number = blocks[pull_request["number"][:40]]
    assert "before:" in number and "! numbers/dates: English has " in number
    link = blocks[pull_request["link"][:40]]
    assert "! links: English has sources.md#" in link and "translation has https://example.org/" in link
    reworded = blocks[pull_request["reworded"][:40]]
    assert "(коротко)" in reworded
    assert "\n  ! " not in reworded, "a reworded sentence with the same figures and links is not marked"


def test_review_as_markdown_for_a_pull_request_comment(pull_request, capsys) -> None:
    assert main(["review", "--format", "md", "HEAD~1..HEAD"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("**3 changed translations** in `HEAD~1..HEAD`")
    assert "### uk: ukraine-online-summons" in out and "| line | English | before | now | check |" in out
    assert out.count("⚠ ") == 2


def test_review_against_the_working_tree_and_a_bad_range(pull_request, capsys) -> None:
    replace_msgstr(Path(PO), lambda line: "](" in line, lambda line: line.replace('msgstr "', 'msgstr "Так, ', 1))
    assert main(["review", "HEAD.."]) == 0
    assert "1 changed translation in HEAD.." in capsys.readouterr().out
    assert main(["review", "nonsense"]) == 1
    assert "not a revision range" in capsys.readouterr().err
    assert main(["review", "no-such-branch..HEAD"]) == 1
    assert "git" in capsys.readouterr().err


def test_numbers_are_compared_in_each_languages_format() -> None:
    assert numbers_in("450,000-500,000 soldiers; 1.5 million") == numbers_in("450 000–500 000 солдатів; 1,5 мільйона")
    assert numbers_in("7,500 citizens") == numbers_in("7500 громадян")


def test_names_the_translation_invents_or_renames_are_marked() -> None:
    english = "Press officer Illarion Pavliuk told Babel."
    assert marks(english, None, "Речник Іларіон Павлюк сказав виданню Babel.") == ()
    assert marks(english, None, "Речник Іларіон Павлюк сказав виданню Bild.") == ("names: not in the English: Bild",)
    renamed = marks(english, "Речник Ілларіон Павлюк сказав Babel.", "Речник Іларіон Павлюк сказав Babel.")
    assert renamed == ("names: changed from the earlier translation: Іларіон, Ілларіон",)


def test_fuzzy_entries_count_as_untranslated_on_both_sides() -> None:
    before = {"Hello": Translation("Привіт", True, "p.po", 3)}
    after = {"Hello": Translation("Вітаю", False, "p.po", 3), "Bye": Translation("Бувай", True, "p.po", 7)}
    (change,) = changed_messages(before, after, "uk", "p")
    assert (change.msgid, change.before, change.after, change.line) == ("Hello", None, "Вітаю", 3)
