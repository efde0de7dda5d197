"""The renderer seam: what the core asks of the site engine and its theme, and nothing more.

Everything that knows MkDocs or Material lives in ``site_gen/render/mkdocs/``; the core
(segment, catalog, translate, gate, checks, generate, assemble, search, …) and the build's
orchestration (``build.py``) reach it only through :class:`Renderer`, which
:func:`renderer` returns.  Importing this module imports no engine (a test checks it):
an engine is imported by ``Renderer.load`` or ``Renderer.build_language``, in the build.

Engines: ``mkdocs`` (the default) and ``properdocs`` (the maintained fork of MkDocs 1.6,
which runs Material and MkDocs plugins unchanged), chosen by ``extra.site_gen.engine`` in
mkdocs.yml or, over it, by the environment variable ``SITE_GEN_ENGINE``.  Both render the
same pages with the same URL scheme; see ``docs/engines.md``.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from site_gen.generate import LanguageSite
    from site_gen.project import Project

#: The engines site_gen can build with, by the name ``extra.site_gen.engine`` takes.
ENGINES = ("mkdocs", "properdocs")
DEFAULT_ENGINE = "mkdocs"


@dataclass
class LanguageBuild:
    """What one language's build hands back to the orchestration."""

    #: The engine's warnings on a build that succeeded, naming the project's own files.
    warnings: list[str] = field(default_factory=list)
    #: page → digest of the skeleton of its rendered Markdown (``gate.page_digest``).
    skeletons: dict[str, str] = field(default_factory=dict)


class Renderer(Protocol):
    """One site engine with its theme, as the core sees it."""

    #: The engine's name (one of ``ENGINES``).
    engine: str
    #: The element of a built page that holds its main text (search reads only it).
    content_element: str

    def page_url(self, path: str) -> str:
        """Where the page at *path* (in the content folder) is written, relative to its
        language's folder: the URL every link between languages points at."""
        ...

    def nav(self, configured: Any, pages: Iterable[str]) -> list[Any]:
        """A language's navigation: *configured* (mkdocs.yml's ``nav``, translated) if there
        is one, else the one the engine makes by itself from the *pages*."""
        ...

    def markdown_extensions(self) -> list[Any]:
        """Python-Markdown extensions the engine's build adds to every page's (the gate renders
        translations with them too, so that it judges the HTML the build makes)."""
        ...

    def theme_files(self) -> list[Path]:
        """site_gen's own theme files: a change to any makes every language build again."""
        ...

    def load(self, project: Project) -> None:
        """Import the engine, its theme and the Markdown extensions once, in the main process,
        before the language workers fork (so that none imports them again)."""
        ...

    def write_config(self, project: Project, site: LanguageSite, docs: Path, out: Path,
                     site_url: str) -> tuple[Path, ...]:
        """Write the files that configure a language's build of *docs* into *out*; their paths
        (what ``build_language`` reads, and what the build's stamp covers)."""
        ...

    def build_language(self, config_files: tuple[Path, ...], lang: str, project: Project) -> LanguageBuild:
        """Build one language, as the engine's own CLI would; a failure is a ``SiteGenError``
        naming the project's file and the fix."""
        ...

    def serve(self, project: Project, site: LanguageSite, docs: Path, address: str) -> int:
        """Preview one language with live reload (replaces this process where it can)."""
        ...


def engine_name(config: Mapping[str, Any] | None = None) -> str:
    """The configured engine: ``SITE_GEN_ENGINE``, else ``extra.site_gen.engine``, else MkDocs."""
    settings = ((config or {}).get("extra") or {}).get("site_gen") or {}
    name = os.environ.get("SITE_GEN_ENGINE") or settings.get("engine") or DEFAULT_ENGINE
    if name not in ENGINES:
        from site_gen.errors import SiteGenError

        where = "SITE_GEN_ENGINE" if os.environ.get("SITE_GEN_ENGINE") else "mkdocs.yml"
        raise SiteGenError(where, None, f"unknown site engine {name!r}",
                           f"use one of {', '.join(ENGINES)} (extra.site_gen.engine or SITE_GEN_ENGINE)")
    return str(name)


def renderer(config: Mapping[str, Any] | None = None) -> Renderer:
    """The renderer for *config* (a read mkdocs.yml); without it, the one the environment
    names.  Page URLs and navigation are the same for every engine there is."""
    return _renderer(engine_name(config))


@functools.cache
def _renderer(engine: str) -> Renderer:
    from site_gen.render.mkdocs import MkDocsRenderer

    return MkDocsRenderer(engine)
