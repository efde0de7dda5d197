"""Babel integration: pybabel extract and pybabel compile use site_gen's extractor and checks."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

from site_gen.cli import main
from tests.conftest import ROOT


def pybabel(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "babel.messages.frontend", *args],
                          capture_output=True, text=True)


def test_pybabel_extract_finds_the_same_messages_as_site_gen(project: Path) -> None:
    shutil.copy(ROOT / "babel.cfg", project / "babel.cfg")
    result = pybabel("extract", "-F", "babel.cfg", "-o", "all.pot", "--no-wrap", ".")
    assert result.returncode == 0, result.stderr
    with open("all.pot", "rb") as handle:
        pybabel_catalog = read_po(handle)
    assert main(["extract"]) == 0
    ours: dict[str, set] = {}
    for pot in sorted((project / "locales" / "templates").glob("[!_]*.pot")):
        with pot.open("rb") as handle:
            for message in read_po(handle):
                if message.id:
                    ours.setdefault(message.id, set()).update(message.locations)
    theirs = {m.id: set(m.locations) for m in pybabel_catalog if m.id}
    assert theirs == ours
    assert len(theirs) > 300


def test_pybabel_compile_runs_the_site_gen_checks(project: Path) -> None:
    main(["extract"])
    main(["init", "uk"])
    po = project / "locales/uk/LC_MESSAGES/index.po"
    with po.open("rb") as handle:
        catalog = read_po(handle)
    message = next(m for m in catalog if m.id and "](" in m.id)
    message.string = "Текст <img src=x onerror=alert(1)>"
    with po.open("wb") as handle:
        write_po(handle, catalog, width=0)
    result = pybabel("compile", "-i", str(po), "-o", str(project / "index.mo"), "-l", "uk")
    assert "[html]" in result.stderr and "onerror" in result.stderr


def test_pybabel_compile_refuses_an_abbreviation_label_no_translation_writes(project: Path) -> None:
    """The rule needs the whole catalog (is the translated label a word of the translated page?):
    Babel hands it to the checker, so ``pybabel compile`` applies it as ``site-gen check`` does."""
    page = project / "content" / "index.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nThe TCC sends summons.\n\n"
                    "*[TCC]: Territorial Recruitment Centre\n", encoding="utf-8")
    main(["extract"])
    main(["init", "uk"])
    po = project / "locales/uk/LC_MESSAGES/index.po"

    def compiled(label: str, sentence: str) -> subprocess.CompletedProcess[str]:
        with po.open("rb") as handle:
            catalog = read_po(handle)
        for message in catalog:
            if message.id == "*[TCC]: Territorial Recruitment Centre":
                message.string = f"*[{label}]: Територіальний центр комплектування"
            elif message.id == "The TCC sends summons.":
                message.string = sentence
        with po.open("wb") as handle:
            write_po(handle, catalog, width=0)
        return pybabel("compile", "-i", str(po), "-o", str(project / "index.mo"), "-l", "uk")

    refused = compiled("ТЦК", "The TCC надсилає повістки.")
    assert "[abbreviation]" in refused.stderr and "*[ТЦК]" in refused.stderr
    accepted = compiled("ТЦК", "ТЦК надсилає повістки.")
    assert "[abbreviation]" not in accepted.stderr, accepted.stderr
