"""Lay out one benchmark corpus of N pages in a temporary folder.

    <folder>/mkdocs.yml            the project's mkdocs.yml without nav (site_gen and plain MkDocs)
    <folder>/content/…             N English pages
    <folder>/locales/…             full uk and ru catalogs (pseudo-translated)
    <folder>/i18n/mkdocs.yml       mkdocs-static-i18n, suffix structure
    <folder>/i18n/docs/…           page.md, page.uk.md, page.ru.md
"""

from __future__ import annotations

import copy
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import yaml

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))

import corpus  # noqa: E402
import pseudo  # noqa: E402

VENV_BIN = Path(sys.executable).parent
SITE_GEN = str(VENV_BIN / "site-gen")
TARGETS = ("uk", "ru")
NAMES = {"en": "English", "uk": "Українська", "ru": "Русский"}


#: Set by run.py: PYTHONPATH to the snapshot of site_gen, a bytecode cache outside the repo.
EXTRA_ENV: dict[str, str] = {}


def env() -> dict[str, str]:
    """The environment of every subprocess: no MkDocs 2 banner, and .pyc files cached as usual.

    PYTHONDONTWRITEBYTECODE (set in CI) is dropped so that no process compiles its
    imports afresh each time; the cache lives in the temporary folder, not the repo.
    """
    base = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**base, "NO_MKDOCS_2_WARNING": "1", **EXTRA_ENV}


def base_config() -> dict[str, Any]:
    """The project's mkdocs.yml, read as site_gen reads it, with nav removed."""
    from site_gen.settings import read_config

    config = read_config(REPO / "mkdocs.yml")
    config.pop("nav", None)
    config["docs_dir"] = "content"
    config["site_dir"] = "site"
    settings = config.setdefault("extra", {}).setdefault("site_gen", {})
    settings["source_language"] = "en"
    settings["languages"] = ["en", *TARGETS]
    settings["locales_dir"] = "locales"
    return config


def i18n_config(config: dict[str, Any], strings: dict[str, dict[str, str]]) -> dict[str, Any]:
    """The same site for mkdocs-static-i18n: same theme and extensions, plugin languages."""
    result = copy.deepcopy(config)
    result["docs_dir"] = "docs"
    result["site_dir"] = "site"
    extra = result.get("extra") or {}
    extra.pop("site_gen", None)
    if extra:
        result["extra"] = extra
    else:
        result.pop("extra", None)
    languages = [{"locale": "en", "default": True, "name": NAMES["en"], "build": True}]
    for lang in TARGETS:
        languages.append({"locale": lang, "name": NAMES[lang], "build": True, **strings[lang]})
    result["plugins"] = ["search", {"i18n": {"docs_structure": "suffix", "languages": languages}}]
    return result


def run_checked(args: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    done = subprocess.run(args, cwd=cwd, env=env(), capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed in {cwd} (exit {done.returncode}):\n"
                           f"{done.stdout[-3000:]}\n{done.stderr[-6000:]}")
    return elapsed


def make_corpus(folder: Path, pages: int, seed: int, static_i18n: bool = True) -> dict[str, Any]:
    """Write everything for one size; returns facts and the one-off setup timings."""
    from site_gen.project import Project

    folder.mkdir(parents=True, exist_ok=True)
    config = base_config()
    (folder / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False),
                                       encoding="utf-8")
    paths = corpus.write_corpus(folder / "content", pages, seed)
    facts: dict[str, Any] = {"pages": len(paths), "words": corpus.word_count(folder / "content")}
    timings = {"extract (first)": run_checked([SITE_GEN, "extract"], folder)}
    for lang in TARGETS:
        timings[f"init {lang}"] = run_checked([SITE_GEN, "init", lang], folder)
    messages = 0
    for lang in TARGETS:
        messages += pseudo.fill_catalogs(folder / "locales", lang)
    facts["messages_per_language"] = messages // len(TARGETS)
    # One update makes the filled catalogs canonical, so the timed updates are steady-state.
    timings["update (after filling)"] = run_checked([SITE_GEN, "update"], folder)
    facts["setup_seconds"] = timings
    if not static_i18n:
        return facts
    project = Project.load(folder / "mkdocs.yml")
    strings = {lang: pseudo.site_strings(project, lang) for lang in TARGETS}
    (folder / "i18n").mkdir(exist_ok=True)
    (folder / "i18n" / "mkdocs.yml").write_text(
        yaml.safe_dump(i18n_config(config, strings), allow_unicode=True, sort_keys=False), encoding="utf-8")
    facts["i18n_files"] = pseudo.write_suffix_docs(project, folder / "i18n" / "docs", TARGETS)
    return facts
