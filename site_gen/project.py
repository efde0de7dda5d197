"""The project on disk: its pages and catalogs (the I/O edge of the core).

``Project`` builds on the validated ``settings.Settings`` (mkdocs.yml) and keeps what it
works out in ``store.Store`` (build/.cache).  Every command works in two steps: compute all
results in memory, then write.  An error anywhere leaves every file as it was.
"""

from __future__ import annotations

import contextlib
import difflib
import hashlib
import pickle
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import yaml
from babel.messages.catalog import Catalog

from site_gen import catalog as catalogs
from site_gen import gate, interface, snippets
from site_gen.errors import SiteGenError, SiteGenErrors
from site_gen.parallel import Background, cores, shared, split
from site_gen.segment import Page, segment_page
from site_gen.settings import Settings
from site_gen.store import CODE_KEY, Store
from site_gen.translate import Counts, Translation, count_messages, count_states


def _plan_names(names: list[str]) -> tuple[dict[Path, bytes | None], dict[str, list[str]], dict[Path, str | None]]:
    return shared("project")._plan_names(names, shared("languages"), shared("create"))




#: Pages a worker segments and sends back at a time.  Sent in small parts, the pages
#: never lie in the main process twice over (as one large pickle and as objects): with two
#: halves of a large site, its memory (and every language worker's, forked from it) grew.
PAGES_PER_TASK = 25

def _segmented_pages(paths: list[str]) -> list[Page]:
    return shared("project").segment_pages(paths)


def _read_language(lang: str) -> dict[str, bytes]:
    return shared("project").language_translations(lang).packed










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
class Project(Settings):
    """The pages and catalogs of the project *Settings* describe, read, segmented and planned."""
    #: Workers started by ``prepare``: those segmenting the pages, those reading the catalogs.
    _segmenting: Background[list[str], list[Page]] | None = field(default=None, init=False, repr=False, compare=False)
    _reading: Background[str, None] | None = field(default=None, init=False, repr=False, compare=False)

    # Settings -------------------------------------------------------------

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

    def check_nav(self) -> None:
        problems = [] if self.page_making_plugins else self.nav_problems()
        if problems:
            raise SiteGenErrors(problems)

    @cached_property
    def store(self) -> Store:
        """The caches in build/.cache."""
        return Store(self.cache_dir)

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

    def page(self, page_path: str) -> Page:
        """A segmented page; segmentation is cached by the page's text (and site_gen's code)."""
        path = self.source_file(page_path)
        raw = path.read_bytes()
        key = hashlib.sha256(CODE_KEY + page_path.encode() + b"\0" + ",".join(sorted(self.extensions)).encode()
                             + b"\0" + raw).hexdigest()
        cached = self.store.page(key)
        if cached is not None:
            return cached
        try:
            source = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise SiteGenError(self.relative(path), raw[:error.start].count(b"\n") + 1,
                               f"not UTF-8 text: {error}", "save the page as UTF-8") from None
        page = segment_page(source, page_path, self.extensions)
        self.store.keep_page(key, page)
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
        known: dict[str, tuple[str, bytes]] = self.store.tables("translations", lang)
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
            self.store.keep_tables("translations", lang, fresh)
        return Tables({name: packed for name, (_, packed) in fresh.items()})

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
        known: dict[str, tuple[str, bytes, tuple[gate.Refusal, ...]]] = self.store.tables("gated", lang)
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
            self.store.keep_tables("gated", lang, fresh)
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
        known = self.store.merges()
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
        self.store.keep_merges(getattr(self, "_merged", {}))

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




def _merge_keeps(template_text: str, data: bytes, lang: str) -> bool:
    try:
        return catalogs.merge_keeps(template_text, data.decode("utf-8"), lang)
    except UnicodeDecodeError:
        return False  # the Babel path names the file


def _read(path: Path) -> bytes | None:
    """A file's bytes, or None when there is no such file."""
    return path.read_bytes() if path.exists() else None
