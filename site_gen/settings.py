"""The project's settings: ``mkdocs.yml`` read without running its tags, ``extra.site_gen``
validated (``config_schema``), and every folder and option derived from them.

Configuration lives in ``mkdocs.yml`` under ``extra.site_gen`` so that a plain
``mkdocs build`` still reads the same file::

    docs_dir: content
    extra:
      site_gen:
        source_language: en
        languages: [en, uk, ru]
        locales_dir: locales

Nothing here reads a page or a catalog: that is ``project.Project``, which builds on these
settings, and its caches are ``store.Store``'s.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Self

import pathspec
import yaml

from site_gen import catalog as catalogs
from site_gen import gate
from site_gen.config_schema import check_settings, markdown_extensions
from site_gen.errors import SiteGenError, SiteGenErrors
from site_gen.segment import BLOCK_TYPE, CONFIGURED_ONLY_EXTENSIONS, KNOWN_EXTENSIONS


class _TolerantLoader(yaml.SafeLoader):
    """Reads mkdocs.yml without executing its ``!!python/name:`` tags; ``!ENV`` is read as MkDocs reads it."""


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


def _env_tag(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    """``!ENV NAME`` or ``!ENV [NAME, OTHER, default]``: the first variable set, read as a YAML
    scalar, else the default, as MkDocs reads it (yaml_env_tag).  Each language's config repeats
    the user's plugins as read here: a tag kept as its list ([DEPLOY, false]) failed their options."""
    names, default = [node], None
    if isinstance(node, yaml.SequenceNode):
        names = node.value[:-1] if len(node.value) > 1 else node.value
        default = loader.construct_object(node.value[-1]) if len(node.value) > 1 else None
    elif not isinstance(node, yaml.ScalarNode):
        raise yaml.constructor.ConstructorError(None, None, f"!ENV takes a name or a list, not a {node.id}",
                                                node.start_mark)
    for name in names:
        value = os.environ.get(str(loader.construct_scalar(name)))  # type: ignore[arg-type]
        if value is not None:
            tag = loader.resolve(yaml.ScalarNode, value, (True, False))
            return loader.construct_object(yaml.ScalarNode(tag, value))
    return default


_TolerantLoader.add_constructor("!ENV", _env_tag)
_TolerantLoader.add_multi_constructor("!", _unknown_tag)
_TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", _python_tag)


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
    for name, options in markdown_extensions(config):
        short = name.rsplit(".", 1)[-1]
        if name.startswith("pymdownx.blocks."):
            short = f"blocks.{short}"  # pymdownx.blocks.admonition is ///, not Python-Markdown's !!!
        elif short == "callouts":
            short = "note_callouts"  # markdown-callouts' (callouts, markdown_callouts.callouts): NOTE: text
        elif short in ("github-callouts", "github_callouts"):
            short = "github_callouts"  # markdown-callouts' GitHub syntax: > [!NOTE] alone on its line
        names |= EXTRA if short == "extra" else {short}
        if short == "quotes" and isinstance(options, dict) and options.get("callouts"):
            names.add("callouts")  # > [!note] Title: a title line of its own (segment._callout_lines)
        if short == "blocks.admonition" and isinstance(options, dict) and isinstance(options.get("types"), list):
            # The site's own /// types (/// question): each shows its name as the default title.
            names |= {f"{BLOCK_TYPE}{kind}" for kind in options["types"] if isinstance(kind, str)}
        if short == "escapeall" and isinstance(options, dict) and options.get("hardbreak"):
            names.add("hardbreak")  # a backslash at a line's end is a <br> (segment.is_backslash_break)
    # MkDocs always adds toc and tables.
    known = KNOWN_EXTENSIONS | CONFIGURED_ONLY_EXTENSIONS
    return frozenset({name for name in names | {"toc", "tables"}
                      if name in known or name.startswith(BLOCK_TYPE)}) if names else KNOWN_EXTENSIONS


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

@dataclass
class Settings:
    """mkdocs.yml's settings, checked when loaded, and the project's folders."""

    root: Path
    config_file: Path
    config: dict[str, Any] = field(repr=False)

    @classmethod
    def load(cls, config_file: str | Path = "mkdocs.yml") -> Self:
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

    @property
    def page_making_plugins(self) -> bool:
        """Whether mkdocs.yml has a plugin that may make pages at build time (gen-files,
        literate-nav, …): then a nav entry naming no file may be such a page, for MkDocs to judge."""
        plugins = self.config.get("plugins") or []
        names = [p if isinstance(p, str) else next(iter(p), "") for p in plugins] if isinstance(plugins, list) \
            else list(plugins)
        return any(str(name) not in ("search", "material/search", "tags", "material/tags") for name in names)

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

    @cached_property
    def markdown_config(self) -> gate.MarkdownConfig:
        """The Markdown configuration MkDocs renders the pages with, for the gate."""
        return gate.MarkdownConfig.from_mkdocs(self.config)
