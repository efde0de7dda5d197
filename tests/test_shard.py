"""Shardable builds: one language's part per machine (`site-gen build --lang L --part DIR`),
joined by `site-gen assemble` into the site a one-machine `site-gen build` makes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from site_gen.cli import main
from tests.conftest import copy_project
from tests.test_build import make_partial

LANGUAGES = ("en", "uk", "ru")


def site_gen(project: Path, *args: str, cache: Path | None = None) -> subprocess.CompletedProcess[str]:
    """`site-gen ARGS` in its own process, in *project*, with *cache* as its user cache folder
    (compiled templates) and no SOURCE_DATE_EPOCH: as on a CI machine of its own."""
    env = {k: v for k, v in os.environ.items() if k not in ("SOURCE_DATE_EPOCH", "SITE_GEN_TEMPLATE_CACHE")}
    env.update(NO_MKDOCS_2_WARNING="1", XDG_CACHE_HOME=str(cache or project / "user-cache"))
    return subprocess.run([sys.executable, "-m", "site_gen", *args], cwd=project, env=env, capture_output=True,
                          text=True, timeout=300)


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def parts(tmp_path_factory) -> dict[str, Path]:
    """Each language's part, built in a checkout of its own (its own build/ cache and user
    cache), in its own process; a uk catalog is a translator's work in progress."""
    built = {}
    for lang in LANGUAGES:
        machine = copy_project(tmp_path_factory.mktemp(f"machine-{lang}"))
        make_partial(machine)
        done = site_gen(machine, "build", "--lang", lang, "--part", f"out/{lang}")
        assert done.returncode == 0, done.stderr
        assert f"built the {lang} part into out/{lang}" in done.stdout
        built[lang] = machine / "out" / lang
    return built


def checkout(tmp_path: Path) -> Path:
    """Another checkout of the same commit, where the parts are assembled."""
    project = copy_project(tmp_path / "assembler")
    make_partial(project)
    return project


def test_parts_built_on_separate_machines_assemble_into_the_one_machine_site_byte_for_byte(
        parts: dict[str, Path], tmp_path: Path) -> None:
    one = checkout(tmp_path)
    done = site_gen(one, "build")
    assert done.returncode == 0, done.stderr
    expected = files(one / "site")
    assembler = copy_project(tmp_path / "ci")
    make_partial(assembler)
    # In another order than the configured one: the site is the same.
    done = site_gen(assembler, "assemble", *(str(parts[lang]) for lang in ("ru", "en", "uk")))
    assert done.returncode == 0, done.stderr
    assert "assembled en, uk, ru into site/" in done.stdout
    assembled = files(assembler / "site")
    assert sorted(assembled) == sorted(expected)
    assert [name for name in expected if assembled[name] != expected[name]] == []
    # What the byte comparison covers: every root file, and a whole offline copy with its checksum.
    assert {"index.html", "404.html", "sitemap.xml", "_headers", "offline/site-offline.zip.sha256"} <= set(expected)
    with zipfile.ZipFile(assembler / "site/offline/site-offline.zip") as archive:
        assert archive.testzip() is None
        names = archive.namelist()
    assert {"site/index.html", "site/en/index.html", "site/uk/index.html", "site/ru/about.html"} <= set(names)
    # The uk catalog's work in progress shows in its counts, read by the assembly from the part.
    manifest = json.loads((parts["uk"] / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["counts"]["fuzzy"] == 1 and manifest["counts"]["untranslated"] == 1
    assert manifest["lang"] == {"code": "uk", "name": "Українська", "date_locale": "uk", "published": True}


def test_a_part_built_again_from_the_same_checkout_has_the_same_bytes(parts: dict[str, Path], tmp_path: Path) -> None:
    machine = checkout(tmp_path)
    done = site_gen(machine, "build", "--lang", "uk", "--part", "again")
    assert done.returncode == 0, done.stderr
    assert files(machine / "again") == files(parts["uk"])


def assemble_in(project: Path, parts: list[Path], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    cwd = Path.cwd()
    os.chdir(project)
    try:
        code = main(["assemble", *map(str, parts)])
    finally:
        os.chdir(cwd)
    return code, capsys.readouterr().err


def test_a_part_built_before_a_page_changed_is_refused(parts: dict[str, Path], tmp_path: Path, capsys) -> None:
    project = checkout(tmp_path)
    page = project / "content/about.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    # en and ru are built again from the changed page, uk is the stale job's.
    fresh = []
    for lang in ("en", "ru"):
        done = site_gen(project, "build", "--lang", lang, "--part", f"fresh/{lang}")
        assert done.returncode == 0, done.stderr
        fresh.append(project / "fresh" / lang)
    code, err = assemble_in(project, [*fresh, parts["uk"]], capsys)
    assert code == 1
    assert f"{parts['uk']}: error: part of 'uk' was built from other sources: content/ differ" in err
    assert "site-gen build --lang uk --part DIR" in err
    assert "'en'" not in err and "'ru'" not in err  # the fresh parts are fine
    assert not (project / "site").exists(), "nothing is written"


def test_a_part_built_with_another_config_is_refused(parts: dict[str, Path], tmp_path: Path, capsys) -> None:
    project = checkout(tmp_path)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("publish_threshold: 80", "publish_threshold: 70"),
                      encoding="utf-8")
    code, err = assemble_in(project, list(parts.values()), capsys)
    assert code == 1
    for lang in LANGUAGES:
        assert f"{parts[lang]}: error: part of '{lang}' was built from another config (mkdocs.yml" in err
    assert "other sources" not in err
    assert not (project / "site").exists()


def test_a_part_of_another_site_gen_version_is_refused(parts: dict[str, Path], tmp_path: Path, capsys) -> None:
    project = checkout(tmp_path)
    faked = tmp_path / "faked-ru"
    faked.mkdir()
    for name, data in files(parts["ru"]).items():
        (faked / name).parent.mkdir(parents=True, exist_ok=True)
        (faked / name).write_bytes(data)
    manifest = json.loads((faked / "manifest.json").read_text(encoding="utf-8"))
    manifest["fingerprint"]["site_gen"] = "0.0.9"
    manifest["fingerprint"]["tools"]["mkdocs-material"] = "9.7.0"
    (faked / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    code, err = assemble_in(project, [parts["en"], parts["uk"], faked], capsys)
    assert code == 1
    from site_gen import __version__

    assert f"{faked}: error: part of 'ru' was built by site_gen 0.0.9; this is site_gen {__version__}" in err
    assert f"{faked}: error: part of 'ru' was built with mkdocs-material 9.7.0; this has " in err
    assert str(parts["en"]) not in err


def test_every_configured_language_needs_one_part(parts: dict[str, Path], tmp_path: Path, capsys,
                                                   monkeypatch) -> None:
    project = checkout(tmp_path)
    code, err = assemble_in(project, [parts["en"], parts["uk"]], capsys)
    assert code == 1
    assert "command line: error: no part of 'ru' was given" in err
    assert "site-gen build --lang ru --part DIR" in err
    code, err = assemble_in(project, [parts["en"], parts["uk"], parts["ru"], parts["uk"]], capsys)
    assert code == 1
    assert f"is a second part of 'uk' (the first: {parts['uk']})" in err
    code, err = assemble_in(project, [parts["en"], parts["uk"], project / "content"], capsys)
    assert code == 1
    assert f"{project / 'content'}: error: is not a part: it has no manifest.json" in err
    assert not (project / "site").exists()
    before = files(project / "content")
    monkeypatch.chdir(project)
    assert main(["assemble", *map(str, parts.values()), "--site-dir", "content"]) == 1
    assert "content: error: exists and is not a site site-gen made" in capsys.readouterr().err
    assert files(project / "content") == before


def test_a_part_cut_short_is_refused(parts: dict[str, Path], tmp_path: Path, capsys) -> None:
    project = checkout(tmp_path)
    cut = tmp_path / "cut-en"
    for name, data in files(parts["en"]).items():
        (cut / name).parent.mkdir(parents=True, exist_ok=True)
        (cut / name).write_bytes(data[:100] if name == "offline.part" else data)
    code, err = assemble_in(project, [cut, parts["uk"], parts["ru"]], capsys)
    assert code == 1
    assert f"{cut}: error: the part of 'en' is incomplete" in err


def test_build_part_never_replaces_a_folder_that_is_not_a_part(tmp_path: Path, monkeypatch, capsys) -> None:
    project = copy_project(tmp_path)
    monkeypatch.chdir(project)
    before = files(project / "content")
    assert main(["build", "--lang", "uk", "--part", "content"]) == 1
    assert "content: error: exists and is not a part: site-gen would replace it" in capsys.readouterr().err
    assert files(project / "content") == before
    assert main(["build", "--lang", "uk"]) == 1
    assert "--lang and --part go together" in capsys.readouterr().err
    assert main(["build", "--lang", "de", "--part", "parts/de"]) == 1
    assert "--lang de: 'de' is not configured" in capsys.readouterr().err
    assert not (project / "parts").exists()
