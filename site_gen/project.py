"""The project on disk: configuration, pages and catalogs (the I/O edge of the core).

Configuration lives in ``mkdocs.yml`` under ``extra.site_gen`` so that a plain
``mkdocs build`` still reads the same file::

    docs_dir: content
    extra:
      site_gen:
        source_language: en
        languages: [en, uk, ru]
        locales_dir: locales

Every command works in two steps: compute all results in memory, then write.
An error anywhere leaves every file as it was.
"""

from __future__ import annotations

import contextlib
import difflib
import fcntl
import hashlib
import json
import os
import pickle
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import babel
import pathspec
import yaml
from babel.messages.catalog import Catalog

from site_gen import catalog as catalogs
from site_gen import gate, interface, snippets
from site_gen.config_schema import check_settings
from site_gen.errors import SiteGenError, SiteGenErrors
from site_gen.parallel import Background, cores, shared, split
from site_gen.segment import KNOWN_EXTENSIONS, Page, segment_page
from site_gen.translate import Counts, Translation, count_messages, count_states


def _code_key() -> bytes:
    """Caches are keyed by the code that made them, so a site_gen upgrade never reads stale ones."""
    digest = hashlib.sha256(babel.__version__.encode())
    for path in sorted(Path(__file__).parent.rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest().encode()


CODE_KEY = _code_key()


class _TolerantLoader(yaml.SafeLoader):
    """Reads mkdocs.yml without executing its ``!!python/name:`` or ``!ENV`` tags."""


def _unknown_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if suffix.startswith("name:") and isinstance(node, yaml.ScalarNode):
        # A function a Markdown extension is configured with (pymdownx.emoji's index, a slugify):
        # named, not imported; the gate's renderer imports it (``gate.loaded_settings``).
        return f"!!python/{suffix}"
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)  # type: ignore[arg-type]


def _python_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    """A ``!!python/name:`` or ``!!python/object/apply:`` value, kept as data (nothing runs here):
    the gate loads it as MkDocs does when it renders with the site's Markdown (an emoji index, a
    slugify function)."""
    kind, _, target = suffix.partition(":")
    return {gate.PYTHON_TAG: [kind, target, _unknown_tag(loader, suffix, node)]}


_TolerantLoader.add_multi_constructor("!", _unknown_tag)
_TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", _python_tag)


def _plan_names(names: list[str]) -> tuple[dict[Path, bytes | None], dict[str, list[str]], dict[Path, str | None]]:
    return shared("project")._plan_names(names, shared("languages"), shared("create"))


#: Files of the content folder besides pages, published as they are, under the explainer
#: profile: passive formats only.  Anything else is refused there: an .html, .htm or .svg file
#: is served from the site's own origin, where a script in it runs with the site's rights (an SVG's <script> did), and
#: an unknown type may be one a browser runs.
ASSET_SUFFIXES = frozenset({
    ".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".ico", ".bmp",  # images (an SVG is a document)
    ".pdf", ".txt", ".csv",
    ".css",  # a stylesheet runs nothing; what it loads passes the privacy check like a page
    ".mp3", ".m4a", ".ogg", ".wav", ".mp4", ".webm",
})

#: The project's write lock, in build/ (see ``Project.write_lock``).
LOCK_FILE = "site-gen.lock"

#: Pages a worker segments and sends back at a time.  Sent in small parts, the pages
#: never lie in the main process twice over (as one large pickle and as objects): with two
#: halves of a large site, its memory (and every language worker's, forked from it) grew.
PAGES_PER_TASK = 25

def _segmented_pages(paths: list[str]) -> list[Page]:
    return shared("project").segment_pages(paths)


def _read_language(lang: str) -> dict[str, bytes]:
    return shared("project").language_translations(lang).packed


def read_config(path: Path) -> dict[str, Any]:
    return _read_config(path)[0]


def _read_config(path: Path) -> tuple[dict[str, Any], str]:
    """The configuration, and its text (for the lines of its problems)."""
    try:
        text = path.read_text(encoding="utf-8")
        data = yaml.load(text, Loader=_TolerantLoader)  # a SafeLoader subclass
    except UnicodeDecodeError as error:
        raise SiteGenError(path, None, f"not UTF-8 text: {error}", "save the file as UTF-8") from None
    except FileNotFoundError:
        raise SiteGenError(path, None, "configuration file not found",
                           "run site-gen in the project folder, or pass --config") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise SiteGenError(path, mark.line + 1 if mark else None, f"invalid YAML: {error}") from None
    if not isinstance(data, dict):
        raise SiteGenError(path, 1, "configuration must be a mapping of settings")
    return data, text


#: Python-Markdown's ``extra``: the extensions it stands for.
EXTRA = frozenset({"abbr", "attr_list", "def_list", "fenced_code", "footnotes", "md_in_html", "tables"})


def extension_names(config: dict[str, Any]) -> frozenset[str]:
    """The extensions the segmenter follows, by any of Python-Markdown's names for them
    (``tables``, ``markdown.extensions.tables``, or ``extra`` for its parts)."""
    names = set()
    for item in config.get("markdown_extensions") or []:
        name = next(iter(item)) if isinstance(item, dict) else str(item)
        short = name.rsplit(".", 1)[-1]
        if name.startswith("pymdownx.blocks."):
            short = f"blocks.{short}"  # pymdownx.blocks.admonition is ///, not Python-Markdown's !!!
        names |= EXTRA if short == "extra" else {short}
        options = item.get(name) if isinstance(item, dict) else None
        if short == "quotes" and isinstance(options, dict) and options.get("callouts"):
            names.add("callouts")  # > [!note] Title: a title line of its own (segment._callout_lines)
    # MkDocs always adds toc and tables.
    return frozenset((names | {"toc", "tables"}) & KNOWN_EXTENSIONS) if names else KNOWN_EXTENSIONS


@dataclass(frozen=True)
class Gated:
    """One language's tables with every refused translation left out, and the refusals."""

    tables: Tables
    refusals: tuple[gate.Refusal, ...]


class Tables(Mapping[str, dict[str, Translation]]):
    """One language's translation tables by catalog name, each unpickled only when asked for.

    Kept packed, a language's tables take much less memory (docs/performance.md), and the
    pages are generated one table at a time.
    """

    def __init__(self, packed: dict[str, bytes]) -> None:
        self._packed = packed

    def __getitem__(self, name: str) -> dict[str, Translation]:
        return pickle.loads(self._packed[name])

    @property
    def packed(self) -> dict[str, bytes]:
        return self._packed

    def __iter__(self) -> Iterator[str]:
        return iter(self._packed)

    def __len__(self) -> int:
        return len(self._packed)


@dataclass
class Project:
    root: Path
    config_file: Path
    config: dict[str, Any] = field(repr=False)
    #: Workers started by ``prepare``: those segmenting the pages, those reading the catalogs.
    _segmenting: Background[list[str], list[Page]] | None = field(default=None, init=False, repr=False, compare=False)
    _reading: Background[str, None] | None = field(default=None, init=False, repr=False, compare=False)

    @classmethod
    def load(cls, config_file: str | Path = "mkdocs.yml") -> Project:
        path = Path(config_file).resolve()
        config, text = _read_config(path)
        project = cls(path.parent, path, config)
        # Checked before anything is read or written: a mistyped setting never builds a smaller site.
        check_settings(config, text, project.relative(path))
        project.check_own_files()
        return project

    def check_own_files(self) -> None:
        """Refuse anything that would take files from outside the project into the site, or
        write outside it: a symbolic link (``leak.md → /etc/passwd``, ``LC_MESSAGES → elsewhere``)
        or a folder resolving elsewhere among what site_gen reads and writes, and a file of the
        content folder that is neither a page nor of ``ASSET_SUFFIXES``.  Every one is named."""
        errors: list[SiteGenError] = []
        link_fix = "replace the link with the file itself (a copy inside the project), or remove it"
        for folder in (self.content_dir, self.locales_dir, self.root / "build", self.site_dir):
            inside = folder.resolve().is_relative_to(self.root)
            if folder.is_symlink() or not inside:
                errors.append(SiteGenError(self._as_written(folder), None,
                                           "is a link to, or a folder outside, the project: site_gen reads and "
                                           "writes only the project's own files", link_fix))
        if not errors:
            for folder, pages in ((self.content_dir, True), (self.locales_dir, False)):
                errors.extend(self._foreign_files(folder, pages, link_fix))
        if errors:
            raise SiteGenErrors(errors)

    def _foreign_files(self, folder: Path, pages: bool, link_fix: str) -> Iterator[SiteGenError]:
        for parent, folders, names in os.walk(folder):  # links to folders are listed, never followed
            for name in sorted(folders + names):
                path = Path(parent) / name
                if path.is_symlink():
                    yield SiteGenError(self._as_written(path), None,
                                       "is a symbolic link: only the project's own files are published", link_fix)
                elif pages and self.passive_assets_only and name in names and not name.startswith(".") \
                        and path.suffix.lower() not in ASSET_SUFFIXES | {".md"} \
                        and not self.excluded(path.relative_to(folder).as_posix()):
                    kind = path.suffix.lower() or "a file without a suffix"
                    yield SiteGenError(self._as_written(path), None,
                                       f"{kind} is not published: it is neither a page (.md) nor an image, "
                                       "PDF, text or media file, and a browser may run what it holds on the site",
                                       "write the content as a Markdown page; an SVG image as PNG or WebP")
            folders[:] = [name for name in folders if not (Path(parent) / name).is_symlink()]

    def _as_written(self, path: Path) -> str:
        """*path* inside the project as its folders name it (a link's own name, not its target's)."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    @property
    def passive_assets_only(self) -> bool:
        """Whether the content folder may hold only passive files besides pages (``ASSET_SUFFIXES``):
        the explainer profile's rule, for a site read at personal risk.  Without the profile, every
        file plain ``mkdocs build`` publishes is published (a site's own logo.svg, extra_javascript)."""
        return self.settings.get("profile") == "explainer"

    @property
    def asset_paths(self) -> list[str]:
        """The content folder's files that are published as they are (``check_own_files`` refused the rest)."""
        return sorted(name for name in (path.relative_to(self.content_dir).as_posix()
                                        for path in self.content_dir.rglob("*")
                                        if path.is_file() and path.suffix.lower() != ".md"
                                        and (not self.passive_assets_only or path.suffix.lower() in ASSET_SUFFIXES))
                      if not self.excluded(name))

    @cached_property
    def _unpublished(self) -> pathspec.GitIgnoreSpec:
        """What MkDocs leaves out of ``mkdocs build``: hidden files and folders, ``/templates/``,
        ``exclude_docs`` and ``draft_docs`` (gitignore patterns, relative to the content folder)."""
        lines = [".*", "/templates/"]
        for key in ("exclude_docs", "draft_docs"):
            value = self.config.get(key)
            lines += value.splitlines() if isinstance(value, str) else [str(v) for v in value or []]
        return pathspec.GitIgnoreSpec.from_lines(lines)

    def not_in_nav(self, name: str) -> bool:
        """Whether the page *name* is left out of the automatic menu (``not_in_nav``)."""
        value = self.config.get("not_in_nav")
        lines = value.splitlines() if isinstance(value, str) else [str(v) for v in value or []]
        return bool(lines) and pathspec.GitIgnoreSpec.from_lines(lines).match_file(name)

    def user_path(self, value: Any) -> Path:
        """A path as mkdocs.yml writes it (relative to its folder), made absolute."""
        return (self.config_file.parent / str(value)).resolve()

    @property
    def user_hooks(self) -> list[Path]:
        """The hook files of mkdocs.yml, absolute."""
        return [self.user_path(hook) for hook in self.config.get("hooks") or []]

    @property
    def user_custom_dir(self) -> Path | None:
        """The theme overrides folder of mkdocs.yml (``theme.custom_dir``), absolute."""
        theme = self.config.get("theme")
        folder = theme.get("custom_dir") if isinstance(theme, dict) else None
        return self.user_path(folder) if folder else None

    def excluded(self, name: str) -> bool:
        """Whether the content folder's file *name* (``a/b.md``) is left out of the site, as MkDocs
        leaves it out: such a page gets no catalog, no link on the status page, no check."""
        return self._unpublished.match_file(name)

    # Settings -------------------------------------------------------------

    @property
    def settings(self) -> dict[str, Any]:
        extra = self.config.get("extra") or {}
        return extra.get("site_gen") or {}

    @property
    def source_language(self) -> str:
        return str(self.settings.get("source_language", "en"))

    @property
    def languages(self) -> tuple[str, ...]:
        """Every configured language, the source language first."""
        configured = [str(code) for code in self.settings.get("languages", [self.source_language])]
        rest = [code for code in configured if code != self.source_language]
        return (self.source_language, *dict.fromkeys(rest))

    @property
    def targets(self) -> tuple[str, ...]:
        """The languages translated into."""
        return self.languages[1:]

    @property
    def content_dir(self) -> Path:
        return self.root / str(self.config.get("docs_dir", "docs"))

    @property
    def locales_dir(self) -> Path:
        return self.root / str(self.settings.get("locales_dir", "locales"))

    @property
    def extensions(self) -> frozenset[str]:
        return extension_names(self.config)

    def relative(self, path: Path) -> str:
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def nav_problems(self) -> list[SiteGenError]:
        """Entries of ``nav`` in mkdocs.yml that name no page, at their line (MkDocs would
        fail once per language, naming the generated config instead)."""
        if not self.config.get("nav"):
            return []
        where = self.relative(self.config_file)
        # Composed only (no tag is run): the nodes know their lines.
        root = yaml.compose(self.config_file.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
        nav = next((value for key, value in root.value if key.value == "nav"), None) \
            if isinstance(root, yaml.MappingNode) else None
        problems: list[SiteGenError] = []
        pages = set(self.page_paths)

        def walk(node: yaml.Node) -> None:
            if isinstance(node, yaml.SequenceNode):
                for item in node.value:
                    walk(item)
            elif isinstance(node, yaml.MappingNode):
                for _, value in node.value:
                    walk(value)
            elif isinstance(node, yaml.ScalarNode):
                target = node.value.split("#", 1)[0]
                if "://" in target or target.startswith(("/", "mailto:")) or not target:
                    return  # a link to elsewhere, not a page
                found = target in pages if target.endswith(".md") else (self.content_dir / target).is_file()
                if not found:
                    close = difflib.get_close_matches(target, pages, n=1)
                    fix = (f"did you mean {close[0]}?" if close else
                           f"create {self.relative(self.content_dir / target)}, or remove the entry")
                    problems.append(SiteGenError(where, node.start_mark.line + 1,
                                                 f"the nav entry {target!r} names no page in "
                                                 f"{self.relative(self.content_dir)}/", fix))

        if nav is not None:
            walk(nav)
        return problems

    @property
    def page_making_plugins(self) -> bool:
        """Whether mkdocs.yml has a plugin that may make pages at build time (gen-files,
        literate-nav, …): then a nav entry naming no file may be such a page, for MkDocs to judge."""
        plugins = self.config.get("plugins") or []
        names = [p if isinstance(p, str) else next(iter(p), "") for p in plugins] if isinstance(plugins, list) \
            else list(plugins)
        return any(str(name) not in ("search", "material/search", "tags", "material/tags") for name in names)

    def check_nav(self) -> None:
        problems = [] if self.page_making_plugins else self.nav_problems()
        if problems:
            raise SiteGenErrors(problems)

    # Pages ------------------------------------------------------------------

    @cached_property
    def page_paths(self) -> tuple[str, ...]:
        if not self.content_dir.is_dir():
            raise SiteGenError(self.relative(self.content_dir), None, "content folder not found")
        found = tuple(sorted(name for name in (p.relative_to(self.content_dir).as_posix()
                                               for p in self.content_dir.rglob("*.md"))
                             if not self.excluded(name)))
        if f"{interface.CATALOG}.md" in found:
            raise SiteGenError(self.relative(self.content_dir / f"{interface.CATALOG}.md"), None,
                               "this page name is reserved for the interface catalog", "rename the page")
        reserved = [name for name in found if name.startswith(snippets.PREFIX)]
        if reserved:
            # Snippet catalogs live under this name: a page there would share a catalog with one.
            raise SiteGenErrors([SiteGenError(self.relative(self.content_dir / name), None,
                                              f"the folder {snippets.PREFIX} is reserved for the catalogs of "
                                              "included snippets", "move the page to another folder")
                                 for name in reserved])
        return found

    # Snippets (pymdownx.snippets) ---------------------------------------------

    @cached_property
    def snippet_settings(self) -> snippets.Settings | None:
        return snippets.settings(self.config, self.root)

    @cached_property
    def _snippets(self) -> tuple[dict[str, Path], dict[str, tuple[str, ...]], dict[str, tuple[tuple[int, str], ...]],
                                 tuple[Path, ...]]:
        """What the pages include, followed through the snippets they include in turn:
        the snippet files that are not pages (by catalog name), what each page or snippet
        includes (catalog names), where each included one sits below its base path, and every
        file an include reads (Markdown or not)."""
        config = self.snippet_settings
        files: dict[str, Path] = {}
        includes: dict[str, tuple[str, ...]] = {}
        places: dict[str, list[tuple[int, str]]] = {}
        read: dict[Path, None] = {}
        if config is None:
            return files, includes, {}, ()
        pages = set(self.page_paths)
        queue = [(name, self.content_dir / name, True) for name in self.page_paths]
        while queue:
            name, path, is_page = queue.pop(0)
            try:
                text = path.read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue
            found: list[str] = []
            # auto_append adds its files to the pages only, not to the snippets they include.
            for written in [*snippets.included_names(text), *(config.auto_append if is_page else ())]:
                where = snippets.resolve(config, written)
                if where is None:
                    continue
                index, relative, file = where
                if not file.is_relative_to(self.root):
                    continue  # only the project's own files are translated; pymdownx reads the rest as it is
                read[file] = None
                if not snippets.is_markdown(file):
                    continue
                inside = file.relative_to(self.content_dir).as_posix() \
                    if file.is_relative_to(self.content_dir) else None
                catalog = inside if inside in pages else snippets.catalog_name(relative)
                if catalog not in pages and catalog not in files:
                    files[catalog] = file
                    queue.append((catalog, file, False))
                if (index, relative) not in places.setdefault(catalog, []):
                    places[catalog].append((index, relative))
                found.append(catalog)
            if found:
                includes[name] = tuple(dict.fromkeys(found))
        return (dict(sorted(files.items())), includes, {name: tuple(where) for name, where in places.items()},
                tuple(read))

    @property
    def snippet_files(self) -> dict[str, Path]:
        """Included Markdown files that are not pages, by catalog name (``_snippets/…``)."""
        return self._snippets[0]

    @property
    def includes(self) -> dict[str, tuple[str, ...]]:
        """Page or snippet → the catalog names of the Markdown files it includes."""
        return self._snippets[1]

    @property
    def snippet_places(self) -> dict[str, tuple[tuple[int, str], ...]]:
        """Catalog name of an included Markdown file → (index of its base path, its path below it)."""
        return self._snippets[2]

    @property
    def included_files(self) -> tuple[Path, ...]:
        """Every file the pages' includes read: a build that read them is stale when they change."""
        return self._snippets[3]

    @property
    def catalog_names(self) -> tuple[str, ...]:
        """Every catalog besides the interface's: the pages', then the snippets'."""
        return (*self.page_paths, *self.snippet_files)

    def source_file(self, name: str) -> Path:
        """The Markdown file a catalog translates."""
        return self.snippet_files.get(name) or self.content_dir / name

    def snippet_pages(self) -> list[Page]:
        """Every included snippet that is not a page, segmented (all errors together)."""
        if "_snippet_pages" not in self.__dict__:
            self.__dict__["_snippet_pages"] = self.segment_pages(self.snippet_files)
        return self.__dict__["_snippet_pages"]

    @property
    def site_dir(self) -> Path:
        return self.root / str(self.config.get("site_dir", "site"))

    def restore_site(self) -> bool:
        """At the start of a build: the old site back in place if a kill fell between the two
        renames of ``build.swap`` (no ``site/``, its old copy beside it).  True if it was."""
        old = self.site_dir.with_name(f".{self.site_dir.name}.old")
        if old.is_dir() and not self.site_dir.exists() and not self.site_dir.is_symlink():
            old.rename(self.site_dir)
            return True
        return False

    @property
    def lock_file(self) -> Path:
        return self.root / "build" / LOCK_FILE

    def write_lock(self, command: str, wait: bool = False) -> contextlib.AbstractContextManager[None]:
        """The project's write lock (see ``write_lock``)."""
        return write_lock(self.root, command, wait)

    @property
    def cache_dir(self) -> Path:
        return self.root / "build" / ".cache"

    @property
    def scratch_dir(self) -> Path:
        """Where files being written wait before they replace the old ones (git ignores it)."""
        return self.root / "build" / "tmp"

    def page(self, page_path: str) -> Page:
        """A segmented page; segmentation is cached by the page's text (and site_gen's code)."""
        path = self.source_file(page_path)
        raw = path.read_bytes()
        key = hashlib.sha256(CODE_KEY + page_path.encode() + b"\0" + ",".join(sorted(self.extensions)).encode()
                             + b"\0" + raw).hexdigest()
        cached = self.cache_dir / "pages" / f"{key}.pickle"
        if cached.exists():
            with contextlib.suppress(Exception):
                return pickle.loads(cached.read_bytes())  # our own cache file
        try:
            source = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise SiteGenError(self.relative(path), raw[:error.start].count(b"\n") + 1,
                               f"not UTF-8 text: {error}", "save the page as UTF-8") from None
        page = segment_page(source, page_path, self.extensions)
        with contextlib.suppress(OSError):
            cached.parent.mkdir(parents=True, exist_ok=True)
            catalogs.write_atomic(cached, pickle.dumps(page, protocol=pickle.HIGHEST_PROTOCOL), durable=False)
        return page

    def pages(self) -> Iterator[Page]:
        return iter(self._pages)

    def segment_all(self) -> None:
        """Segment every page now (all errors together), for ``pages()`` to give later."""
        self._pages  # noqa: B018 - the cached property does the work

    def prepare(self, jobs: int | None = None) -> None:
        """Start segmenting the pages and reading every language's catalogs (into the cache)
        in forked workers, while this process goes on: a build imports and loads MkDocs
        meanwhile.  ``pages()`` and ``wait_prepared()`` collect the results."""
        if self._segmenting is not None or "_pages" in self.__dict__:
            return
        self._snippets  # noqa: B018 - found once here, not again in each worker
        workers = jobs or cores() + 1
        self._reading = Background(_read_language, self.targets, workers, start_now=workers > 1,
                                   share={"project": self})
        parts = max(cores(), len(self.page_paths) // PAGES_PER_TASK)
        self._segmenting = Background(_segmented_pages, split(list(self.page_paths), parts), workers,
                                      start_now=workers > 1, share={"project": self})

    def wait_prepared(self) -> None:
        """Every page segmented and every catalog read, whether ``prepare`` started it or not."""
        try:
            self.segment_all()
        except BaseException:
            self.close()  # the catalog readers too: nothing is left waiting for work
            raise
        self.snippet_pages()  # before the language workers fork, which all need them
        reading, self._reading = self._reading, None
        if reading is not None:
            # Kept here, so that neither the count nor a language's worker reads a catalog again.
            read = self.__dict__.setdefault("_tables", {})
            for lang, packed in zip(reading.items, reading.results(), strict=True):
                read[lang] = Tables(packed)

    def close(self) -> None:
        """Stop the workers ``prepare`` started, whatever they were doing."""
        for name in ("_segmenting", "_reading"):
            background = getattr(self, name)
            setattr(self, name, None)
            if background is not None:
                background.close()

    @cached_property
    def _pages(self) -> list[Page]:
        segmenting, self._segmenting = self._segmenting, None
        if segmenting is not None:
            order = {path: index for index, path in enumerate(self.page_paths)}
            return sorted((page for part in segmenting.results() for page in part), key=lambda p: order[p.path])
        return self.segment_pages(self.page_paths)

    def segment_pages(self, page_paths: Iterable[str]) -> list[Page]:
        """These pages, segmented in this process (all errors together)."""
        errors: list[SiteGenError] = []
        pages = []
        for page_path in page_paths:
            try:
                pages.append(self.page(page_path))
            except SiteGenError as error:
                error.path = self.relative(self.source_file(page_path))
                errors.append(SiteGenError(error.path, error.line, error.message, error.fix))
        if errors:
            raise SiteGenErrors(errors)
        return pages

    # Catalogs -----------------------------------------------------------------

    @property
    def source_prefix(self) -> str:
        return self.relative(self.content_dir)

    @property
    def site_name(self) -> str:
        return str(self.config.get("site_name") or "site")

    @property
    def site_version(self) -> str:
        """The version in every catalog's Project-Id-Version (``extra.site_gen.site_version``)."""
        return str(self.settings.get("site_version") or catalogs.DEFAULT_VERSION)

    def template(self, page: Page) -> Catalog:
        source = self.relative(self.snippet_files[page.path]) if page.path in self.snippet_files else None
        return catalogs.page_template(page, self.source_prefix, self.site_name, self.site_version, source)

    def template_path(self, page_path: str) -> Path:
        return catalogs.template_path(self.locales_dir, page_path)

    def catalog_path(self, lang: str, page_path: str) -> Path:
        return catalogs.catalog_path(self.locales_dir, lang, page_path)

    def read_catalog(self, lang: str, page_path: str) -> Catalog | None:
        path = self.catalog_path(lang, page_path)
        if not path.exists():
            return None
        try:
            return catalogs.read_catalog(path, lang)
        except SiteGenError as error:
            raise SiteGenError(self.relative(path), error.line, error.message, error.fix) from None

    def translations(self, lang: str, page_path: str, data: bytes | None = None) -> dict[str, Translation]:
        """The table of *lang*'s catalog for *page_path* ({} if there is none); *data*: its bytes."""
        path = self.catalog_path(lang, page_path)
        if data is None and not path.exists():
            return {}
        try:
            return catalogs.read_translations(path, lang, self.relative(path), data)
        except SiteGenError as error:
            raise SiteGenError(self.relative(path), error.line, error.message, error.fix) from None

    def language_translations(self, lang: str) -> Tables:
        """Every catalog of *lang* (each page's and the interface's); every error in them
        reported together.  Each catalog is read once per project (``prepare`` reads them
        all in workers), and parsed again only when its bytes changed, so a translator's edit
        costs one catalog, not all (the cache is one file per language)."""
        memo = self.__dict__.setdefault("_tables", {})
        if lang not in memo:
            memo[lang] = self._read_translations(lang)
        return memo[lang]

    def _read_translations(self, lang: str) -> Tables:
        cached = self.cache_dir / "translations" / f"{lang}.pickle"
        known: dict[str, tuple[str, bytes]] = {}
        with contextlib.suppress(Exception):  # our own cache file; unreadable means empty
            saved = pickle.loads(cached.read_bytes())
            if saved["code"] == CODE_KEY:
                known = saved["tables"]
        fresh: dict[str, tuple[str, bytes]] = {}
        errors: list[SiteGenError] = []
        for name in [*self.catalog_names, interface.CATALOG]:
            path = self.catalog_path(lang, name)
            data = _read(path)
            digest = hashlib.sha256(data).hexdigest() if data is not None else ""
            if name in known and known[name][0] == digest:
                fresh[name] = known[name]
                continue
            try:
                table = self.translations(lang, name, data)
            except SiteGenError as error:
                errors.append(error)
                continue
            fresh[name] = (digest, pickle.dumps(table, protocol=pickle.HIGHEST_PROTOCOL))
        if errors:
            raise SiteGenErrors(errors)
        if fresh.keys() != known.keys() or any(fresh[name] is not known[name] for name in fresh):
            with contextlib.suppress(OSError):
                saved = {"code": CODE_KEY, "tables": fresh}
                catalogs.write_atomic(cached, pickle.dumps(saved, protocol=pickle.HIGHEST_PROTOCOL), durable=False)
        return Tables({name: packed for name, (_, packed) in fresh.items()})

    @cached_property
    def markdown_config(self) -> gate.MarkdownConfig:
        """The Markdown configuration MkDocs renders the pages with, for the gate."""
        return gate.MarkdownConfig.from_mkdocs(self.config)

    def gated_translations(self, lang: str) -> Gated:
        """*lang*'s tables as the site may publish them: every translation the gate refuses is
        left out (the English is shown for it).  Verdicts are kept per catalog, keyed by the
        catalog's and the page's bytes and the Markdown configuration, so the count step's work
        serves the build step, and an edit costs only its catalog."""
        memo = self.__dict__.setdefault("_gated", {})
        if lang in memo:
            return memo[lang]
        memo[lang] = self._judged(lang)
        return memo[lang]

    def keep_gated(self, lang: str, gated: Gated) -> None:
        """*lang*'s tables as a worker judged them (the build's count step): the language's
        build, forked later, publishes them without reading or judging its catalogs again."""
        self.__dict__.setdefault("_gated", {})[lang] = gated
        self.__dict__.get("_tables", {}).pop(lang, None)  # the raw tables are not needed any more

    def _judged(self, lang: str) -> Gated:
        raw = self.language_translations(lang)
        pages = {page.path: page for page in [*self.pages(), *self.snippet_pages()]}
        cached = self.cache_dir / "gated" / f"{lang}.pickle"
        known: dict[str, tuple[str, bytes, tuple[gate.Refusal, ...]]] = {}
        with contextlib.suppress(Exception):  # our own cache file; unreadable means empty
            saved = pickle.loads(cached.read_bytes())
            if saved["code"] == CODE_KEY:
                known = saved["tables"]
        fresh: dict[str, tuple[str, bytes, tuple[gate.Refusal, ...]]] = {}
        config = self.markdown_config
        for name, packed in raw.packed.items():
            page = pages.get(name)
            key = hashlib.sha256(packed + b"\0" + (page.source.encode() if page else b"")
                                 + b"\0" + config.key.encode() + gate.RENDERER_KEY).hexdigest()
            if name in known and known[name][0] == key:
                fresh[name] = known[name]
                continue
            if name != interface.CATALOG and page is None:
                fresh[name] = (key, packed, ())  # a catalog without a page is never published
                continue
            table = raw[name]
            refusals = tuple(gate.judge_table(page, table, config, lang))
            kept = gate.accepted(table, refusals) if refusals else table
            fresh[name] = (key, pickle.dumps(kept, protocol=pickle.HIGHEST_PROTOCOL) if refusals else packed,
                           refusals)
        if fresh.keys() != known.keys() or any(fresh[name] is not known[name] for name in fresh):
            with contextlib.suppress(OSError):
                saved = {"code": CODE_KEY, "tables": fresh}
                catalogs.write_atomic(cached, pickle.dumps(saved, protocol=pickle.HIGHEST_PROTOCOL), durable=False)
        return Gated(Tables({name: packed for name, (_, packed, _) in fresh.items()}),
                     tuple(refusal for _, _, refusals in fresh.values() for refusal in refusals))

    def interface_template(self) -> Catalog:
        return interface.template(self.config, catalogs.source_date(), self.site_version)

    def _template_of(self, name: str) -> Catalog:
        if name == interface.CATALOG:
            return self.interface_template()
        try:
            return self.template(self.page(name))
        except SiteGenError as error:
            raise SiteGenError(self.relative(self.source_file(name)), error.line, error.message,
                               error.fix) from None

    @property
    def _merge_cache_file(self) -> Path:
        return self.cache_dir / "merged.json"

    def _merge_cache(self) -> dict[str, list[str]]:
        with contextlib.suppress(OSError, ValueError):
            data = json.loads(self._merge_cache_file.read_text(encoding="utf-8"))
            if data.get("code") == CODE_KEY.decode():
                return data["catalogs"]
        return {}

    def plan(self, languages: tuple[str, ...] = (), create: bool = False,
             jobs: int | None = None) -> dict[Path, bytes | None]:
        """New bytes of every template and of each language's catalogs (None: unchanged),
        computed in memory, the pages shared out among worker processes.

        A catalog whose template and file are the same as after the last merge is known
        to be up to date and is not read again (the cache holds only digests).
        """
        for lang in languages:
            catalogs.parse_locale(lang, self.relative(self.config_file))
        names = [*self.catalog_names, interface.CATALOG]
        workers = jobs or cores()
        found: dict[Path, bytes | None] = {}
        self._merged = {}
        self.read_digests: dict[Path, str | None] = {}
        share = {"project": self, "languages": languages, "create": create}
        for planned, merged, seen in Background(_plan_names, split(names, workers), workers, share=share).results():
            found.update(planned)
            self._merged.update(merged)
            self.read_digests.update(seen)
        # In a fixed order (templates, then each language's catalogs), whatever the workers did.
        paths = [self.template_path(name) for name in names]
        paths += [self.catalog_path(lang, name) for lang in languages for name in names]
        return {path: found[path] for path in paths if path in found}

    def _plan_names(self, names: list[str], languages: tuple[str, ...], create: bool
                    ) -> tuple[dict[Path, bytes | None], dict[str, list[str]], dict[Path, str | None]]:
        planned: dict[Path, bytes | None] = {}
        merged: dict[str, list[str]] = {}
        #: The digest of each file as read (None: there was none), which writing it expects to find.
        seen: dict[Path, str | None] = {}
        errors: list[SiteGenError] = []
        known = self._merge_cache()
        for name in names:
            try:
                template = self._template_of(name)
            except SiteGenError as error:
                errors.append(error)
                continue
            template_file = self.template_path(name)
            old_template = _read(template_file)
            seen[template_file] = catalogs.digest(old_template)
            planned[template_file] = catalogs.render_stable(template, old_template)
            template_text = (planned[template_file] or old_template or b"").decode("utf-8")
            digest = catalogs.template_digest(template)
            for lang in languages:
                path = self.catalog_path(lang, name)
                data = _read(path)
                current = seen[path] = catalogs.digest(data)
                if current is not None and (known.get(str(path)) == [digest, current]
                                            or _merge_keeps(template_text, data, lang)):
                    planned[path] = None
                    merged[str(path)] = [digest, current]
                    continue
                try:
                    existing = self.read_catalog(lang, name)
                except SiteGenError as error:
                    errors.append(error)
                    continue
                if existing is None and not create:
                    continue
                result = (catalogs.new_catalog(template, lang, self._plural_forms(lang)) if existing is None
                          else catalogs.merge(template, existing))
                planned[path] = catalogs.render_stable(result, data)
                written = planned[path] or data or b""
                merged[str(path)] = [digest, hashlib.sha256(written).hexdigest()]
        if errors:
            raise SiteGenErrors(errors)
        return planned, merged, seen

    def _plural_forms(self, lang: str) -> str | None:
        """The Plural-Forms value *lang*'s existing catalogs carry, if any (see ``new_catalog``)."""
        for name in [interface.CATALOG, *self.catalog_names]:
            data = _read(self.catalog_path(lang, name))
            if data is not None:
                with contextlib.suppress(UnicodeDecodeError):
                    value = catalogs.header_values(data.decode("utf-8")).get("Plural-Forms")
                    if value:
                        return value
        return None

    def remember_merges(self) -> None:
        """After the planned catalogs were written: note them as up to date."""
        with contextlib.suppress(OSError):
            data = {"code": CODE_KEY.decode(), "catalogs": {**self._merge_cache(), **getattr(self, "_merged", {})}}
            catalogs.write_atomic(self._merge_cache_file, json.dumps(data, sort_keys=True).encode())

    def obsolete_catalog_files(self) -> list[Path]:
        """Catalogs whose page no longer exists (kept, reported, never deleted)."""
        expected = {Path(p).with_suffix("") for p in self.catalog_names} | {Path(interface.CATALOG)}
        found = []
        for folder in [self.locales_dir / catalogs.TEMPLATES,
                       *(self.locales_dir / lang / "LC_MESSAGES" for lang in self.targets)]:
            for path in sorted(folder.rglob("*.po*")) if folder.is_dir() else []:
                if path.relative_to(folder).with_suffix("") not in expected:
                    found.append(path)
        return found

    def language_counts(self, lang: str) -> dict[str, Counts]:
        """Each page's message counts in *lang*, a refused translation counted as untranslated, each
        included snippet's (``_snippets/…``: written once, counted once), and the interface
        catalog's under ``interface.CATALOG``: readers see its menus, labels and notices on every
        page, so it counts towards the language's progress like a page.  A page's own counts
        leave out what it includes (``with_includes`` adds it)."""
        tables = self.gated_translations(lang).tables
        counts = {page.path: count_states(page, tables[page.path]) for page in [*self.pages(), *self.snippet_pages()]}
        counts[interface.CATALOG] = count_messages(interface.texts(self.config), tables[interface.CATALOG])
        return counts


@contextlib.contextmanager
def write_lock(root: Path, command: str, wait: bool = False) -> Iterator[None]:
    """Hold the project's write lock: one ``site-gen`` command changes the project at a time.

    Two builds at the same time removed each other's folders (a raw FileNotFoundError), and an
    update beside a build could mix old and new catalogs.  The lock is the kernel's
    (``flock``), so it goes with its process, however that ends.  Taken, it refuses at once
    naming the holder's process and command, or with *wait* (``serve``) waits for it.
    """
    path = root / "build" / LOCK_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(handle, 512, 0).decode("utf-8", "replace").strip()
            holder = f"process {holder}" if holder else "another process"
            if not wait:
                raise SiteGenError(path.relative_to(root), None,
                                   f"another site-gen command is changing this project: {holder}",
                                   "wait for it to finish, then run this command again") from None
            print(f"waiting for {holder} to finish", file=sys.stderr, flush=True)
            fcntl.flock(handle, fcntl.LOCK_EX)
        os.ftruncate(handle, 0)
        os.pwrite(handle, f"{os.getpid()} (site-gen {command})\n".encode(), 0)
        yield
    finally:
        os.close(handle)  # and with it the lock


def _merge_keeps(template_text: str, data: bytes, lang: str) -> bool:
    try:
        return catalogs.merge_keeps(template_text, data.decode("utf-8"), lang)
    except UnicodeDecodeError:
        return False  # the Babel path names the file


def _read(path: Path) -> bytes | None:
    """A file's bytes, or None when there is no such file."""
    return path.read_bytes() if path.exists() else None
