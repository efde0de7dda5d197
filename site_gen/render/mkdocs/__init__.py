"""MkDocs and Material: the running of a language's build, its URL scheme and navigation,
its hooks, theme overrides and speed-ups.  Importing this package imports neither: the
engine is imported by ``MkDocsRenderer.load`` (or a language's build), in the build.

The same renderer runs ProperDocs, the maintained fork of MkDocs 1.6: importing
``properdocs.replacement`` first makes every later ``import mkdocs…`` (Material's, the
plugins', site_gen's hooks') load ProperDocs' module of that name instead, as ProperDocs'
own CLI does.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from site_gen.render import LanguageBuild
from site_gen.render.mkdocs import nav as _nav

if TYPE_CHECKING:
    from site_gen.generate import LanguageSite
    from site_gen.project import Project


class MkDocsRenderer:
    """MkDocs (or ProperDocs) with Material and site_gen's theme overrides."""

    #: Material writes a page's main text into its one <article>.
    content_element = "article"

    def __init__(self, engine: str = "mkdocs") -> None:
        self.engine = engine

    def page_url(self, path: str) -> str:
        return _nav.html_path(path)

    def nav(self, configured: Any, pages: Iterable[str]) -> list[Any]:
        return configured if isinstance(configured, list) else _nav.auto_nav(pages)

    def markdown_extensions(self) -> list[Any]:
        from site_gen.render.mkdocs.fast_inline import FastInlineExtension

        return [FastInlineExtension()]

    def theme_files(self) -> list[Path]:
        from site_gen.render.mkdocs.engine import THEME_DIR

        return sorted(path for path in THEME_DIR.rglob("*") if path.is_file())

    def activate(self) -> None:
        """Make ``import mkdocs`` load this renderer's engine; before MkDocs is first imported."""
        if self.engine != "properdocs" or getattr(sys.modules.get("mkdocs"), "__name__", None) == "properdocs":
            return
        if "mkdocs" in sys.modules:
            from site_gen.errors import SiteGenError

            raise SiteGenError("SITE_GEN_ENGINE", None, "MkDocs was imported before ProperDocs could replace it",
                               "choose the engine before the build starts (site-gen build in a new process)")
        try:
            import properdocs.replacement  # noqa: F401  (aliases every mkdocs.* import to properdocs.*)
        except ImportError:
            from site_gen.errors import SiteGenError

            raise SiteGenError("mkdocs.yml", None, "extra.site_gen.engine is properdocs, which is not installed",
                               "pip install properdocs (or remove the setting to build with MkDocs)") from None
        # As ProperDocs' CLI does: messages of plugins and hooks that log to "mkdocs…" are
        # ProperDocs' own (a strict build counts them).
        logging.getLogger("mkdocs").parent = logging.getLogger("properdocs")

    def load(self, project: Project) -> None:
        self.activate()
        from site_gen.render.mkdocs.engine import _load_mkdocs

        _load_mkdocs(project)

    def write_config(self, project: Project, site: LanguageSite, docs: Path, out: Path,
                     site_url: str) -> tuple[Path, ...]:
        from site_gen.render.mkdocs.engine import write_config

        return write_config(project, site, docs, out, site_url)

    def build_language(self, config_files: tuple[Path, ...], lang: str, project: Project) -> LanguageBuild:
        self.activate()
        from site_gen.render.mkdocs.engine import (
            PAGE_SKELETONS,
            quiet_material_alternates,
            read_site_dir,
            run_mkdocs,
            source_names,
        )

        config_file = config_files[0]
        PAGE_SKELETONS.clear()
        warnings = [source_names(line, project, config_file.parent / "docs", config_file)
                    for line in run_mkdocs(config_file, lang, project)]
        skeletons = dict(PAGE_SKELETONS)
        PAGE_SKELETONS.clear()
        quiet_material_alternates(read_site_dir(config_file))
        return LanguageBuild(warnings, skeletons)

    def serve(self, project: Project, site: LanguageSite, docs: Path, address: str) -> int:
        from site_gen.render.mkdocs.engine import serve

        return serve(project, site, docs, address, self.engine)
