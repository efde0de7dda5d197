"""Stage 5: one ordinary MkDocs build per language, run in parallel processes.

This is the only module that knows MkDocs.  Each language gets a generated
config that INHERITs the project's ``mkdocs.yml`` and overrides only what differs
(docs and site folders, theme language, translated names and nav), and is built
with the ``mkdocs`` command, so no private MkDocs function is used.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from site_gen import assemble, interface, search
from site_gen.errors import SiteGenError, SiteGenErrors
from site_gen.generate import (
    STATUS_PAGE,
    STATUSES,
    Language,
    LanguageSite,
    generate_language,
    generated_page,
    native_name,
    nav_limit,
    normalised_site_url,
    published_languages,
    site_nav,
    status_page,
)
from site_gen.project import Project
from site_gen.translate import Translation, count_states

PACKAGE = Path(__file__).resolve().parent
THEME_DIR = PACKAGE / "theme"
HOOKS_FILE = PACKAGE / "mkdocs_hooks.py"



@dataclass(frozen=True)
class BuildResult:
    site: Path
    built: tuple[str, ...]
    reused: tuple[str, ...]


def build(project: Project, jobs: int | None = None, strict: bool = False) -> BuildResult:
    """Build every language into ``site/``; on any error the old ``site/`` stays."""
    languages = configured_languages(project)
    catalogs = load_catalogs(project)
    pages = list(project.pages())
    site_url = normalised_site_url(project.config)
    work = project.root / "build"
    # The publishing gate needs every language's counts before any page links to another.
    counted = generate_sites(project, languages, pages, catalogs, site_url, only="")
    languages, warnings = published_languages(
        languages, counted, project.settings.get("publish_threshold", 0), project.source_language)
    for warning in warnings:
        if strict:
            raise SiteGenError(project.relative(project.config_file), None, warning,
                               "translate more, or lower extra.site_gen.publish_threshold")
        print(f"warning: {warning}", file=sys.stderr)
    final = project.root / str(project.config.get("site_dir", "site"))
    staging = final.with_name(f".{final.name}.new")
    shutil.rmtree(staging, ignore_errors=True)
    configs, reused, sites = {}, [], {}
    epoch = source_date_epoch(pages)
    static_files = assets(project)
    for lang in languages:
        # One language at a time, its Markdown dropped once written: memory stays that of one.
        code = lang.code
        site = sites[code] = generate_sites(project, languages, pages, catalogs, site_url, only=code)[code]
        docs = work / code / "docs"
        write_tree(docs, {**site.pages, **static_files})
        site.pages.clear()
        config = write_config(project, site, docs, staging / code, site_url)
        stamp = input_stamp(docs, config, epoch)
        if (work / code / "stamp").exists() and (work / code / "stamp").read_text() == stamp \
                and (final / code).is_dir():
            # Nothing this language's build reads has changed: reuse its last output.
            shutil.copytree(final / code, staging / code)
            reused.append(code)
        else:
            configs[code] = config
    try:
        run_mkdocs(configs, jobs, epoch)
        for code in configs:
            quiet_material_alternates(staging / code)
            (work / code / "stamp").write_text(input_stamp(work / code / "docs", configs[code], epoch))
        assemble.assemble(staging, project, sites, site_url)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    swap(staging, final)
    return BuildResult(final, tuple(configs), tuple(reused))


def generate_sites(
    project: Project, languages: list[Language], pages: list[Any],
    catalogs: Mapping[str, Mapping[str, Mapping[str, Translation]]], site_url: str, only: str | None = None,
) -> dict[str, LanguageSite]:
    """Every language's pages; with *only*, that language's pages and the others' counts."""
    sites = {
        lang.code: generate_language(lang, languages, project.source_language, pages, catalogs,
                                     project.config, site_url)
        if only in (None, lang.code) else
        LanguageSite(lang, counts={page.path: count_states(page, catalogs.get(lang.code, {}).get(page.path, {}))
                                   for page in pages})
        for lang in languages
    }
    for site in sites.values():
        if only not in (None, site.lang.code):
            continue
        site.pages[STATUS_PAGE] = status_page(site, sites, languages, project.source_language, site_url)
        site.nav = site_nav(site, [page.path for page in pages],
                            nav_limit(project.settings, project.relative(project.config_file)))
        body = search.search_page(site.ui).split("---\n\n", 1)[1]
        site.pages[search.PAGE] = generated_page(site, languages, project.source_language, site_url,
                                                 search.PAGE, site.ui["search.title"], body)
    return sites


def configured_languages(project: Project) -> list[Language]:
    date_locales = project.settings.get("date_locale") or {}
    return [
        Language(code, native_name(code), str(date_locales.get(code, code)))
        for code in project.languages
    ]


def load_catalogs(project: Project) -> dict[str, dict[str, Mapping[str, Translation]]]:
    """language → catalog name → translations; every catalog error reported together."""
    found: dict[str, dict[str, Mapping[str, Translation]]] = {}
    errors: list[SiteGenError] = []
    for lang in project.targets:
        for name in [*project.page_paths, interface.CATALOG]:
            try:
                found.setdefault(lang, {})[name] = project.translations(lang, name)
            except SiteGenError as error:
                errors.append(error)
    if errors:
        raise SiteGenErrors(errors)
    return found


def assets(project: Project) -> dict[str, bytes]:
    """Files of content/ that are not pages (images, …), copied into every language."""
    return {
        path.relative_to(project.content_dir).as_posix(): path.read_bytes()
        for path in sorted(project.content_dir.rglob("*"))
        if path.is_file() and path.suffix != ".md"
    }


def write_tree(folder: Path, files: Mapping[str, str | bytes]) -> None:
    """Make *folder* hold exactly *files*, touching only what changed (fast rebuilds)."""
    wanted = {folder / name: data.encode() if isinstance(data, str) else data
              for name, data in files.items()}
    for path in sorted(folder.rglob("*")) if folder.exists() else []:
        if path.is_file() and path not in wanted:
            path.unlink()
    for path, data in wanted.items():
        if not path.exists() or path.read_bytes() != data:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)


def input_stamp(docs: Path, config: Path, epoch: str) -> str:
    """A digest of everything one language's MkDocs build reads."""
    digest = hashlib.sha256(epoch.encode())
    sources = [config, *sorted(p for p in docs.rglob("*") if p.is_file()),
               *sorted(p for p in THEME_DIR.rglob("*") if p.is_file()), Path(__file__)]
    for path in sources:
        digest.update(path.as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    digest.update(Path(sys.executable).as_posix().encode())
    return digest.hexdigest()


def language_config(
    project: Project, site: LanguageSite, docs: Path, out: Path, site_url: str
) -> dict[str, Any]:
    code = site.lang.code
    # site_gen's own search replaces Material's (see search.py).
    plugins: list[Any] = [
        plugin for plugin in project.config.get("plugins") or []
        if (plugin if isinstance(plugin, str) else next(iter(plugin))) not in ("search", "material/search")
    ]
    theme = dict(project.config.get("theme") or {})
    config: dict[str, Any] = {
        "INHERIT": str(project.config_file),
        "docs_dir": str(docs),
        "site_dir": str(out),
        "site_name": site.site_name,
        "site_description": site.site_description,
        "use_directory_urls": False,
        "theme": {"language": code, "custom_dir": str(THEME_DIR), "font": False,
                  "name": theme.get("name", "material"),
                  # Only the visible part of the navigation goes into each page: with every
                  # page carrying the whole nav, build time and page weight grow with N².
                  "features": list(dict.fromkeys([*(theme.get("features") or []), "navigation.prune"]))},
        "plugins": plugins,
        "hooks": [str(HOOKS_FILE)],
        "extra": {
            "site_gen": {**project.settings, "lang": code, "ui": site.ui,
                         "config_file": str(project.config_file), "offline_zip": assemble.OFFLINE},
            # Material shows its header switcher only when this is set; our partial
            # replaces the links with per-page ones.
            "alternate": [{"name": lang["name"], "link": lang["href"], "lang": lang["lang"]}
                          for lang in first_alternates(site)],
            # Material shows page statuses in the navigation with these labels.
            "status": {status: site.ui[f"status.{status}"] for status in STATUSES},
        },
    }
    if site_url:
        config["site_url"] = f"{site_url}{code}/"
    if site.nav is not None:
        config["nav"] = site.nav
    return config


def first_alternates(site: LanguageSite) -> list[dict[str, Any]]:
    for facts in site.facts.values():
        return facts.get("alternates", [])
    return []


def write_config(project: Project, site: LanguageSite, docs: Path, out: Path, site_url: str) -> Path:
    path = docs.parent / "mkdocs.yml"
    text = yaml.safe_dump(language_config(project, site, docs, out, site_url),
                          allow_unicode=True, sort_keys=False)
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
    return path


def source_date_epoch(pages: list[Any]) -> str:
    """A fixed build date (the newest last_reviewed), so two builds are byte-identical."""
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return os.environ["SOURCE_DATE_EPOCH"]
    dates = [p.meta.get("last_reviewed") for p in pages if isinstance(p.meta.get("last_reviewed"), dt.date)]
    newest = max(dates) if dates else dt.date(2000, 1, 1)
    return str(int(dt.datetime(newest.year, newest.month, newest.day, tzinfo=dt.UTC).timestamp()))


def run_mkdocs(configs: Mapping[str, Path], jobs: int | None, epoch: str) -> None:
    """Run ``mkdocs build`` for every language, *jobs* at a time; any failure fails all."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": epoch}

    def one(item: tuple[str, Path]) -> tuple[str, int, str, float]:
        code, path = item
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--quiet", "--config-file", str(path)],
            capture_output=True, text=True, env=env,
        )
        return code, done.returncode, done.stdout + done.stderr, time.perf_counter() - started

    workers = jobs or min(len(configs), os.cpu_count() or 1)
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        results = list(pool.map(one, configs.items()))
    failures = [
        SiteGenError(str(configs[code]), None, f"the '{code}' build failed:\n{output.strip()}",
                     "fix the first problem MkDocs names above")
        for code, status, output, _ in results if status != 0
    ]
    if failures:
        raise SiteGenErrors(failures)


#: Material's bundle fetches sitemap.xml from the host of every <link rel=alternate> to keep
#: the reader on the same page when switching language. Our switcher links are static and
#: per page already, and those fetches would call the public site_url from a local or
#: offline copy (blocked by the CSP), so the lookup is pointed at nothing.
MATERIAL_ALTERNATES = 'M("link[rel=alternate]")'


def quiet_material_alternates(language_dir: Path) -> None:
    bundles = sorted((language_dir / "assets" / "javascripts").glob("bundle.*.min.js"))
    for bundle in bundles:
        text = bundle.read_text(encoding="utf-8")
        if "data-sg-none" in text:
            continue
        if MATERIAL_ALTERNATES not in text:
            raise SiteGenError(bundle.as_posix(), None,
                               "Material's bundle no longer has the alternate-links lookup site_gen disables",
                               "check the Material version pinned in pyproject.toml")
        bundle.write_text(text.replace(MATERIAL_ALTERNATES, 'M("link[rel=alternate][data-sg-none]")'),
                          encoding="utf-8")


def swap(staging: Path, final: Path) -> None:
    """Replace the old site with the new one in two renames."""
    old = final.with_name(f".{final.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if final.exists():
        final.rename(old)
    staging.rename(final)
    shutil.rmtree(old, ignore_errors=True)


def serve_docs(project: Project, lang: str) -> tuple[LanguageSite, Path]:
    """Write one language's pages where the preview server reads them (apart from build/)."""
    languages = configured_languages(project)
    sites = generate_sites(project, languages, list(project.pages()), load_catalogs(project),
                           normalised_site_url(project.config), only=lang)
    docs = project.root / "build" / f"serve-{lang}" / "docs"
    write_tree(docs, {**sites[lang].pages, **assets(project)})
    return sites[lang], docs


def regenerate(config_file: str, lang: str) -> None:
    """Write one language's generated pages again (used by ``site-gen serve``)."""
    serve_docs(Project.load(config_file), lang)


def serve(project: Project, lang: str, address: str) -> int:
    """Preview one language with live reload on page and catalog changes."""
    if lang not in project.languages:
        raise SiteGenError(project.relative(project.config_file), None, f"{lang!r} is not configured",
                           f"add it to extra.site_gen.languages or use one of {', '.join(project.languages)}")
    site, docs = serve_docs(project, lang)
    config = language_config(project, site, docs, docs.parent / "site", "")
    config["extra"]["site_gen"]["serve"] = True
    config["strict"] = False  # a preview's dirty rebuilds always warn; `site-gen build` stays strict
    config["watch"] = [str(project.content_dir), str(project.locales_dir)]
    path = docs.parent / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    # --dirty: MkDocs renders again only the pages whose generated Markdown changed.
    return subprocess.call([sys.executable, "-m", "mkdocs", "serve", "--dirty", "--config-file", str(path),
                            "--dev-addr", address], env=env)
