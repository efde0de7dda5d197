"""Running one language's build with MkDocs and Material: the only code that imports them.

Each language gets a generated config that INHERITs the project's ``mkdocs.yml`` and
overrides only what differs (docs and site folders, theme language, translated names and
nav), and is built with MkDocs' own ``build`` command, called as its CLI calls it.  The
theme's Jinja environment gets site_gen's speed-ups (the pages are the same), and
Material's JavaScript bundle one patch (``quiet_material_alternates``).
"""

from __future__ import annotations

import contextlib
import importlib
import json
import logging
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
import jinja2.bccache
import yaml

from site_gen import offline, private_api, search
from site_gen.config_schema import markdown_extensions
from site_gen.errors import SiteGenError
from site_gen.generate import LanguageSite

if TYPE_CHECKING:
    from site_gen.project import Project

# MkDocs is pinned below 2; Material's notice about it is not for site_gen's users.
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

FOLDER = Path(__file__).resolve().parent
#: site_gen's overrides of the theme's templates, and its stylesheet and search script.
THEME_DIR = FOLDER / "theme"
#: The hooks every language's generated config names (by path, as MkDocs' ``hooks`` wants).
HOOKS_FILE = FOLDER / "mkdocs_hooks.py"

#: page → digest of its rendered Markdown's skeleton, noted by the MkDocs hook in a language's build.
PAGE_SKELETONS: dict[str, str] = {}

# Running MkDocs --------------------------------------------------------------------------


def _load_mkdocs(project: Project) -> None:
    """Import MkDocs, the theme and the Markdown extensions once, before the workers fork."""
    # With what loading a config imports (MkDocs' built-in extensions bring Pygments), so that
    # no worker imports it again.
    modules = ["mkdocs.commands.build", "mkdocs.config", "mkdocs.config.defaults", "mkdocs.structure.nav",
               "mkdocs.plugins", "mkdocs.theme", "mkdocs.localization", "material.templates", "jinja2.compiler",
               "jinja2.ext", "babel.support", "markdown.extensions.fenced_code", "email.parser",
               "site_gen.render.mkdocs.fast_inline"]
    for name, _ in markdown_extensions(project.config):
        modules.append(name if "." in name else f"markdown.extensions.{name}")
    for module in modules:
        with contextlib.suppress(ImportError):  # MkDocs itself reports a missing extension
            importlib.import_module(module)
    # Every build looks the themes up among the installed packages; done once here,
    # the workers find them in importlib.metadata's cache.
    from mkdocs.utils import get_themes

    get_themes()
    private_api.check_all()  # one warning per unchecked version, not one per worker


class _Captured(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.lines: list[str] = []
        self.warnings: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.levelname}: {record.getMessage()}")
        if record.levelno == logging.WARNING and record.getMessage() not in self.warnings:
            self.warnings.append(record.getMessage())


def source_names(message: str, project: Project, docs: Path, config_file: Path) -> str:
    """MkDocs' *message* about a language's generated files, naming the project's own: the
    content folder's page (``content/about.md``, not ``build/uk/docs/about.md``) and mkdocs.yml."""
    content = project.relative(project.content_dir)
    for generated, source in ((f"{docs}{os.sep}", f"{content}/"), (f"{project.relative(docs)}/", f"{content}/"),
                              (str(config_file), project.relative(project.config_file))):
        message = message.replace(generated, source)
    # MkDocs names a page by its path in the docs folder: "Doc file 'about.md' contains a link …".
    return re.sub(r"\bDoc file '(?!/)(?!" + re.escape(content) + r"/)([^']+)'",
                  lambda m: f"Doc file '{content}/{m.group(1)}'", message)


def run_mkdocs(config_file: Path, code: str, project: Project | None = None) -> list[str]:
    """``mkdocs build`` of one language, as MkDocs' CLI runs it, with its warnings captured;
    its warnings, on a build that succeeded."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    logger = logging.getLogger("mkdocs")
    captured, propagate = _Captured(), logger.propagate
    logger.addHandler(captured)
    logger.propagate = False
    try:
        config = load_config(config_file=str(config_file))
        config.plugins.on_startup(command="build", dirty=False)
        try:
            mkdocs_build(config)
        finally:
            config.plugins.on_shutdown()
    except (MkDocsException, SystemExit, OSError, yaml.YAMLError) as error:
        output = "\n".join([*captured.lines, str(error)]).strip()
        output = source_names(output, project, config_file.parent / "docs", config_file) \
            if project is not None else output
        raise SiteGenError(str(config_file), None, f"the '{code}' build failed:\n{output}",
                           "fix the first problem MkDocs names above") from None
    except SiteGenError:
        raise
    except Exception as error:  # a hook's or plugin's own failure: named, not a traceback
        import traceback

        frame = traceback.extract_tb(error.__traceback__)[-1]
        raise SiteGenError(frame.filename, frame.lineno, f"the '{code}' build failed in a hook or plugin: "
                           f"{type(error).__name__}: {error}",
                           "fix that hook or plugin, or remove it from mkdocs.yml") from None
    finally:
        logger.removeHandler(captured)
        logger.propagate = propagate
    return captured.warnings


#: The name under which site_gen's main.html extends the user's own (theme.custom_dir's main.html).
USER_MAIN = "site_gen-user/main.html"


class _ThemeLoader(jinja2.FileSystemLoader):
    """Jinja's file loader, listing no file inside a hidden folder.

    MkDocs lists every theme file to copy the static ones, then drops each hidden
    path.  Material keeps thousands of icons in ``.icons``; not walking them saves
    time in every language's build, and the list MkDocs keeps is the same.
    """

    def __init__(self, searchpath: list[str], user_dir: str | None = None) -> None:
        super().__init__(searchpath)
        self.user_dir = user_dir

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        if template == USER_MAIN and self.user_dir:
            # The user's own main.html, which site_gen's main.html extends (their blocks, then ours).
            return jinja2.FileSystemLoader(self.user_dir).get_source(environment, "main.html")
        if self.user_dir and template != "main.html" and template.startswith("partials/") \
                and os.path.isfile(os.path.join(self.user_dir, template)):
            # A partial the user overrides is theirs, even where site_gen has its own (the footer's).
            return jinja2.FileSystemLoader(self.user_dir).get_source(environment, template)
        return super().get_source(environment, template)

    def list_templates(self) -> list[str]:
        found: set[str] = set()
        for folder in self.searchpath:
            for parent, folders, names in os.walk(folder, followlinks=self.followlinks):
                folders[:] = [name for name in folders if not name.startswith(".")]
                prefix = os.path.relpath(parent, folder).replace(os.path.sep, "/")
                found.update(name if prefix == "." else f"{prefix}/{name}" for name in names)
        return sorted(found)


class _TemplateCache(jinja2.FileSystemBytecodeCache):
    """Jinja's cache of compiled templates in files; a damaged file is compiled afresh."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # any unreadable entry only means "not cached"
            bucket.reset()


def template_cache_dir() -> Path | None:
    """Where compiled theme templates are kept between builds (``None``: nowhere writable).

    Like Python's ``.pyc`` files, they depend only on the installed theme (Jinja checks
    each against its template's source), never on the site, so they live in the user's
    cache folder, shared by every project.  ``SITE_GEN_TEMPLATE_CACHE=off`` turns it off.
    """
    setting = os.environ.get("SITE_GEN_TEMPLATE_CACHE", "")
    if setting.lower() in ("off", "0", "no", "false"):
        return None
    try:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
        folder = Path(setting) if setting else base / "site_gen" / "templates"
        folder.mkdir(parents=True, exist_ok=True)
    except (OSError, RuntimeError, KeyError):  # no home folder, or not writable
        return None
    return folder if os.access(folder, os.W_OK) else None


def theme_environment(theme: Any, user_dir: str | None = None) -> jinja2.Environment:
    """MkDocs' Jinja environment for *theme*, with the speed-ups above; the pages are the same.
    *user_dir*: the user's theme overrides, whose main.html site_gen's main.html extends."""
    return adjust_environment(type(theme).get_env(theme), theme.dirs, user_dir)


def adjust_environment(env: jinja2.Environment, dirs: list[str], user_dir: str | None) -> jinja2.Environment:
    """*env* with site_gen's loader (the user's main.html and partials) and template cache."""
    env.loader = _ThemeLoader(dirs, user_dir)
    folder = template_cache_dir()
    if folder is not None:
        env.bytecode_cache = _TemplateCache(str(folder))
    return env


def language_config(
    project: Project, site: LanguageSite, docs: Path, out: Path, site_url: str
) -> dict[str, Any]:
    code = site.lang.code
    # site_gen's own search replaces Material's (see search.py).
    plugins: list[Any] = [
        plugin for plugin in project.config.get("plugins") or []
        if (plugin if isinstance(plugin, str) else next(iter(plugin))) not in ("search", "material/search")
    ]
    if isinstance(project.config.get("plugins"), dict):  # MkDocs also takes plugins as a mapping
        plugins = [{name: options} for name, options in project.config["plugins"].items()
                   if name not in ("search", "material/search")]
    theme = project.config.get("theme") or {}
    theme = {"name": theme} if isinstance(theme, str) else dict(theme)
    # The user's overrides come after site_gen's (the hook adds them to the theme's folders),
    # their hooks before site_gen's, each path as mkdocs.yml meant it (relative to its folder).
    own = {"config_file": str(project.config_file), "offline_zip": offline.OFFLINE}
    if project.user_custom_dir is not None:
        own["user_custom_dir"] = str(project.user_custom_dir)
    # site_gen's generated search page is in no menu: never a warning (validation.nav.omitted_files).
    not_in_nav = project.config.get("not_in_nav") or ""
    not_in_nav = "\n".join([*(not_in_nav.splitlines() if isinstance(not_in_nav, str) else map(str, not_in_nav)),
                            f"/{search.PAGE}"])
    config: dict[str, Any] = {
        "INHERIT": str(project.config_file),
        "docs_dir": str(docs),
        "site_dir": str(out),
        "site_name": site.site_name,
        "site_description": site.site_description,
        "use_directory_urls": False,
        "theme": {"language": code, "custom_dir": str(THEME_DIR), "font": False,
                  "name": theme.get("name", "material"),
                  # Only the visible part of the navigation goes into each page (with the
                  # groups of site_nav, about limit + N/limit links instead of N).
                  "features": list(dict.fromkeys([*(theme.get("features") or []), "navigation.prune"]))},
        "plugins": plugins,
        "hooks": [*map(str, project.user_hooks), str(HOOKS_FILE)],
        "not_in_nav": not_in_nav,
        "extra": {
            "site_gen": {**project.settings, "lang": code, "ui": site.ui, **own,
                         "source_dir": str(project.content_dir)},
            # Material shows its header switcher only when this is set; our partial
            # replaces the links with per-page ones.
            "alternate": [{"name": lang["name"], "link": lang["href"], "lang": lang["lang"]}
                          for lang in first_alternates(site)],
        },
    }
    if project.snippet_settings is not None:
        from site_gen.build import snippet_base_path  # the build's folders of translated snippets

        # Put into the extension's options by the hook (mkdocs_hooks.on_config): the user's
        # markdown_extensions may hold tags (!!python/name) that only MkDocs' own loader reads.
        config["extra"]["site_gen"]["snippets"] = {"key": project.snippet_settings.key,
                                                   "base_path": snippet_base_path(project, docs, code),
                                                   "source_base_path": [str(base) for base in
                                                                        project.snippet_settings.bases]}
    if site.caption_prefixes:
        # Put into the extension's types by the hook, as the snippets' folders are.
        config["extra"]["site_gen"]["caption_prefixes"] = site.caption_prefixes
    if isinstance(watch := project.config.get("watch"), list):
        # Relative to mkdocs.yml, as hooks are: MkDocs reads them relative to the generated config
        # and refused a build whose watched README.md is not in build/<lang>/.
        config["watch"] = [str(project.user_path(str(path))) for path in watch]
    if site_url:
        config["site_url"] = f"{site_url}{code}/"
    if site.nav is not None:
        config["nav"] = site.nav
    return config


#: Keys of ``extra`` that ``write_config`` keeps out of the YAML.
BULKY_EXTRA = ("alternate",)


def first_alternates(site: LanguageSite) -> list[dict[str, Any]]:
    for facts in site.facts.values():
        return facts.get("alternates", [])
    return []


def write_config(
    project: Project, site: LanguageSite, docs: Path, out: Path, site_url: str
) -> tuple[Path, Path]:
    """The language's MkDocs config, and beside it the JSON file with its bulky parts."""
    config = language_config(project, site, docs, out, site_url)
    # MkDocs reads its config with PyYAML's pure-Python parser, slowly, and the more so the
    # more pages the menu lists (docs/performance.md).  The navigation and the interface
    # strings go into a JSON file that the hook (mkdocs_hooks.on_config) puts into the config
    # instead; the build is the same.
    bulky = docs.parent / "mkdocs-bulky.json"
    extra = config["extra"]
    parts = {"nav": config.pop("nav", None), "ui": extra["site_gen"].pop("ui"),
             "extra": {key: extra.pop(key) for key in BULKY_EXTRA},
             # Each page's facts, which the hook gives the page: its Markdown stays the author's.
             "facts": {**site.facts, **site.generated_facts}}
    extra["site_gen"]["bulky"] = str(bulky)
    # JSON is YAML, and json.dumps writes it much faster than yaml.safe_dump writes YAML.
    path = docs.parent / "mkdocs.yml"
    for file, data in ((bulky, parts), (path, config)):
        text = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
        if not file.exists() or file.read_text(encoding="utf-8") != text:
            file.write_text(text, encoding="utf-8")
    return path, bulky


#: Material's bundle fetches sitemap.xml from the host of every <link rel=alternate> to keep
#: the reader on the same page when switching language. Our switcher links are static and
#: per page already, and those fetches would call the public site_url from a local or
#: offline copy (blocked by the CSP), so the lookup is pointed at nothing.
MATERIAL_ALTERNATES = 'M("link[rel=alternate]")'


def quiet_material_alternates(language_dir: Path) -> None:
    if not private_api.verified("material.bundle"):
        return  # another Material: its bundle as it ships (one warning said so)
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


def read_site_dir(config_file: Path) -> Path:
    """Where the language's build (its config written by ``write_config``) writes its site."""
    return Path(json.loads(config_file.read_text(encoding="utf-8"))["site_dir"])


# Preview -------------------------------------------------------------------------------


def serve(project: Project, site: LanguageSite, docs: Path, address: str, engine: str = "mkdocs") -> int:
    """``mkdocs serve`` (or ``properdocs serve``) of one language's generated pages; the hooks
    regenerate them before every rebuild."""
    config = language_config(project, site, docs, docs.parent / "site", "")
    config["extra"]["site_gen"]["serve"] = True
    config["strict"] = False  # a preview's dirty rebuilds always warn; `site-gen build` stays strict
    config["watch"] = [str(project.content_dir), str(project.locales_dir),
                       *(str(base) for base in (project.snippet_settings.bases if project.snippet_settings else ())
                         if base.exists() and base.is_relative_to(project.root) and base != project.root)]
    path = docs.parent / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    # --dirty: MkDocs renders again only the pages whose generated Markdown changed.
    args = [sys.executable, "-m", engine, "serve", "--dirty", "--config-file", str(path), "--dev-addr", address]
    if os.name == "posix":
        # The server replaces this process, so stopping it (Ctrl+C, a signal) stops the server.
        os.execve(sys.executable, args, env)
    return subprocess.call(args, env=env)
