"""MkDocs hooks for one language's build: kept thin, the work is done by site_gen's stages."""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import re
import sys
from html import escape, unescape
from pathlib import Path
from typing import Any

from mkdocs.plugins import event_priority

from site_gen import interface, private_api

#: Each page's facts (by its path in docs/), read from the config's bulky file in on_config.
_FACTS: dict[str, dict[str, Any]] = {}

#: Counters that Markdown extensions keep for the whole process, as (module, class, attribute):
#: markdown-exec numbers each block's ids with one (``exec-1--…``), reset only after a build.
#: The English render behind a translated page must not move them, or every later page of the
#: language would number its ids one further than the English site does.
PROCESS_COUNTERS = (("markdown_exec", "MarkdownConverter", "counter"),)

#: Each page's counters as its render began (by its path in docs/).
_COUNTERS_AT_PAGE: dict[str, tuple[Any, ...]] = {}


def _counters() -> tuple[Any, ...]:
    values = []
    for module_name, class_name, attribute in PROCESS_COUNTERS:
        holder = getattr(sys.modules.get(module_name), class_name, None)
        values.append(getattr(holder, attribute, None))
    return tuple(values)


def _set_counters(values: tuple[Any, ...]) -> None:
    for (module_name, class_name, attribute), value in zip(PROCESS_COUNTERS, values, strict=True):
        holder = getattr(sys.modules.get(module_name), class_name, None)
        if holder is not None and value is not None:
            setattr(holder, attribute, value)


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    """The page's facts reach its templates as ``page.meta.site_gen``; its Markdown is untouched."""
    _COUNTERS_AT_PAGE[page.file.src_uri] = _counters()
    facts = _FACTS.get(page.file.src_uri)
    if facts is not None:
        page.meta["site_gen"] = facts
    return markdown


def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    """A translated page's headings take the English page's ids (so every link to an anchor
    works in every language), in the page and in its table of contents; English runs in a
    translated page are marked."""
    from site_gen import anchors

    facts = (page.meta or {}).get("site_gen") or {}
    ids = facts.get("heading_ids")
    if ids is not None:
        if len(anchors.HEADING_ID.findall(html)) != len(ids):
            # Python-Markdown found headings the segmenter's parser did not (or the other way
            # round): the English page, rendered as its own build renders it, says which.
            ids = _english_ids(page, config)
        html, renamed = anchors.give_ids(html, ids)
        if renamed:
            _rename_toc(page.toc, renamed)
        if anchors.has_titled_tabs(html):
            # Tab ids slugified from translated titles: the English page's, in order.
            english = _english_html(page, config)
            html = anchors.give_tab_ids(html, english) if english is not None else html
    if box_titles := facts.get("box_titles"):
        html = _BOX_TITLE.sub(lambda found: found[1] + escape(box_titles.get(found[2], found[2])) + found[3], html)
    source = (config.extra.get("site_gen") or {}).get("source_language", "en")
    if needs_latin_marked(facts.get("lang") or config.theme["language"], source):
        html = mark_latin_runs(html, source)
    return html


#: A box's title as an extension writes its default, the type's name ("Note"): the reader's word
#: goes in its place where the page's syntax has no way to write a title (``box_titles``).
_BOX_TITLE = re.compile(r'(<(?:p|summary) class="admonition-title">)([A-Z][a-z]+)(</(?:p|summary)>)')


@event_priority(-100)  # after every plugin's changes: Material's tags listings are filled in on_env
def on_page_context(context: Any, page: Any, config: Any, nav: Any) -> Any:
    """Note the skeleton of the page's rendered Markdown: the build compares each translated
    page's with the source language's (a second line of defence behind the gate)."""
    from site_gen import gate
    from site_gen.render.mkdocs import engine

    settings = config.extra.get("site_gen") or {}
    source_lang = settings.get("source_language", "en")
    digest = engine.PAGE_SKELETONS[page.file.src_uri] = gate.page_digest(page.content or "", source_lang)
    if settings.get("serve") and settings.get("lang") != source_lang:
        # A preview builds one language, so the build's comparison with the source language's
        # pages cannot run; the English page, rendered with this build's Markdown, stands in.
        english = _english_html(page, config)
        if english is not None and gate.page_digest(english, source_lang) != digest:
            problem = (f"{settings.get('lang')}/{page.file.src_uri}: the page's elements, attributes, links or "
                       f"ids differ from the {source_lang} page's: a translation changed the page, not only its words")
            logging.getLogger("mkdocs.site_gen").error(problem)
            page.content = f'<p class="sg-refused" role="alert">{escape(problem)}</p>'
    return context


def _english_html(page: Any, config: Any) -> str | None:
    """The English page (the source of *page*), rendered with this build's Markdown configuration."""
    import markdown
    from mkdocs.utils.meta import get_data

    source = Path((config.extra.get("site_gen") or {}).get("source_dir", "")) / page.file.src_uri
    if not source.is_file():
        return None
    text, _ = get_data(source.read_text(encoding="utf-8-sig"))
    options = config.mdx_configs
    included = (config.extra.get("site_gen") or {}).get("snippets")
    if included:  # the English page includes the English snippets
        options = {**options, included["key"]: {**options.get(included["key"], {}),
                                                "base_path": included["source_base_path"]}}
    md = markdown.Markdown(extensions=config.markdown_extensions, extension_configs=options)
    # Numbered as the page itself was, and the next page numbered as if this render never ran.
    after_page = _counters()
    _set_counters(_COUNTERS_AT_PAGE.get(page.file.src_uri, after_page))
    try:
        return md.convert(text)
    finally:
        _set_counters(after_page)


def _english_ids(page: Any, config: Any) -> list[str]:
    """The heading ids of the English page, as its own build gives them."""
    from site_gen import anchors

    html = _english_html(page, config)
    return [match.group(3) for match in anchors.HEADING_ID.finditer(html)] if html is not None else []


def _rename_toc(items: Any, renamed: dict[str, str]) -> None:
    for item in items or []:
        if item.id in renamed:
            item.id = renamed[item.id]
        _rename_toc(item.children, renamed)


#: Titles of this language's pages that are shown in another language (not yet translated),
#: filled in once every page has been read (``on_env``), used by ``on_post_page``.
_TITLES_IN_OTHER_LANGUAGES: dict[str, str] = {}


def on_env(env: Any, config: Any, files: Any) -> Any:
    if not private_api.verified("mkdocs.theme_env"):
        # The public path: the same loader (the user's main.html and partials) and template
        # cache, set before any template is loaded; MkDocs has listed every theme file.
        from site_gen.render.mkdocs.engine import adjust_environment

        settings = config.extra.get("site_gen") or {}
        env = adjust_environment(env, config.theme.dirs, settings.get("user_custom_dir"))
    ui_lang = config.theme["language"]
    _TITLES_IN_OTHER_LANGUAGES.clear()
    for file in files.documentation_pages():
        page = file.page
        facts = (page.meta or {}).get("site_gen") if page is not None else None
        if isinstance(facts, dict) and page.title and facts.get("title_lang", ui_lang) != ui_lang:
            _TITLES_IN_OTHER_LANGUAGES[" ".join(str(page.title).split())] = facts["title_lang"]
    return env


def on_post_page(output: str, page: Any, config: Any) -> str:
    """<html lang> is the language of the page's main text (English on an untranslated page)."""
    facts = (page.meta or {}).get("site_gen") or {}
    ui_lang = config.theme["language"]
    main_lang = facts.get("lang")
    if main_lang and main_lang != ui_lang:
        output = output.replace(f'<html lang="{ui_lang}"', f'<html lang="{main_lang}"', 1)
        # The site's menus and labels stay in the reader's language.
        output = CHROME.sub(rf'<\1 lang="{ui_lang}" \2', output)
    # Table cells carry their column's heading for phones: in the page, not in page.content,
    # which stays what a plain MkDocs build makes of the author's Markdown.
    return _finish(label_table_cells(output), config)


def on_post_template(output: str, template_name: str, config: Any) -> str:
    """The 404 page is a theme template, not a page: it gets the same fixes."""
    return _finish(output, config) if template_name.endswith(".html") else output


def _finish(output: str, config: Any) -> str:
    if _TITLES_IN_OTHER_LANGUAGES:
        output = ELLIPSIS.sub(_mark_title, output)
    output = material_fixes(output, (config.extra.get("site_gen") or {}).get("ui") or {})
    if not private_api.verified("material.bundle"):
        return output
    # Icons without a size fill the screen when the stylesheet does not load (slow or cut links).
    return output.replace('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24">',
                          '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="24" height="24">')


# --- Material's page, adjusted -------------------------------------------------------------

#: Where Material's chrome (skip link, header, menus, footer) starts.
CHROME = re.compile(r'<(div|header|footer) (data-md-component="skip"|class="md-(?:header|sidebar|footer)[ "])')
ELLIPSIS = re.compile(r'<(span|div) class="md-ellipsis">(\s*)([^<]+?)(\s*)</\1>')
TOGGLES = re.compile(
    r'(<input class="md-toggle" data-md-toggle="drawer"[^>]*>)\s*'
    r'(<input class="md-toggle" data-md-toggle="search"[^>]*>)\s*'
    r'(<label class="md-overlay" for="__drawer"></label>)\s*(<div data-md-component="skip">.*?</div>)', re.S)
CHECKBOX_AUTOCOMPLETE = re.compile(r'(<input [^>]*type="checkbox"[^>]*?) autocomplete="off"')
PAGE_STATUS = re.compile(r'\s*<span class="md-status md-status--[\w-]+"[^>]*>\s*</span>')


def _mark_title(match: re.Match[str]) -> str:
    lang = _TITLES_IN_OTHER_LANGUAGES.get(" ".join(unescape(match.group(3)).split()))
    if lang is None:
        return match.group(0)
    tag, before, title, after = match.groups()
    return f'<{tag} class="md-ellipsis" lang="{lang}">{before}{title}{after}</{tag}>'


def material_fixes(output: str, ui: dict[str, str]) -> str:
    """What Material's base template does that a reader would trip on, undone.

    * ``autocomplete`` on checkboxes is invalid HTML (it keeps Firefox from restoring a
      toggle's state, which the menu survives);
    * the drawer's checkbox is what opens the menu on a narrow screen: it moves after the skip
      link (so the skip link stays the first tab stop) and gets a name, and the stylesheet
      makes it focusable there, so the menu opens from the keyboard with or without JavaScript;
    * the page-status icons in the menu are explained only by a hover tooltip: the page's own
      status box says it in words.
    """
    output = CHECKBOX_AUTOCOMPLETE.sub(r"\1", output)

    def reorder(match: re.Match[str]) -> str:
        drawer, search, overlay, skip = match.groups()
        drawer = drawer.replace(' id="__drawer"', f' id="__drawer" aria-label="{escape(ui.get("menu", "Menu"))}"', 1)
        return f"{search}\n    {skip}\n    {drawer}\n    {overlay}"

    output = TOGGLES.sub(reorder, output, count=1)
    return PAGE_STATUS.sub("", output)


# --- The page's own HTML ---------------------------------------------------------------------

TABLE = re.compile(r"<table>(.*?)</table>", re.S)
CELL_ALIGN = re.compile(r'<(t[hd]) align="(left|right|center)">')
HEAD_CELL = re.compile(r"<th\b[^>]*>(.*?)</th>", re.S)
ROW = re.compile(r"<tr>.*?</tr>", re.S)
TAG = re.compile(r"<[^>]+>")


def label_table_cells(html: str) -> str:
    """Each body cell carries its column's heading (``data-label``), which a phone shows
    beside it when the stylesheet stacks a table's rows; cells are aligned by class (the
    ``align`` attribute is obsolete, and a style attribute would need 'unsafe-inline')."""
    if "<table>" not in html:
        return html
    return TABLE.sub(_label_cells, CELL_ALIGN.sub(r'<\1 class="sg-align-\2">', html))


def _label_cells(match: re.Match[str]) -> str:
    body = match.group(1)
    head_end = body.find("</thead>")
    if head_end < 0:
        return match.group(0)
    labels = [escape(" ".join(unescape(TAG.sub("", cell)).split()))
              for cell in HEAD_CELL.findall(body[:head_end])]

    def row(found: re.Match[str]) -> str:
        cells = iter(labels)
        return re.sub(r"<td\b", lambda _: (f'<td data-label="{label}"' if (label := next(cells, "")) else "<td"),
                      found.group(0))

    return f"<table>{body[:head_end]}{ROW.sub(row, body[head_end:])}</table>"


@functools.cache
def _script(lang: str) -> str:
    from babel.core import get_global

    likely = get_global("likely_subtags").get(lang.replace("-", "_").split("_")[0], "")
    return likely.split("_")[1] if likely.count("_") >= 2 else ""


def needs_latin_marked(lang: str, source: str) -> bool:
    """A page written in another script than its Latin-script source language: any English
    left in it (a quoted headline, a date as the source printed it) can be told by its letters."""
    return lang != source and _script(source) == "Latn" and _script(lang) not in ("", "Latn")


PIECES = re.compile(r"(<[^>]*>)")
OPEN_TAG = re.compile(r"<([a-zA-Z][\w-]*)\b([^>]*)>")
HAS_LANG = re.compile(r"\slang\s*=")
#: Elements whose text is not prose, and elements with no end tag.
NOT_PROSE = {"code", "pre", "kbd", "samp", "script", "style", "svg", "math"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
#: A run of Latin-script words: it starts and ends at word edges (Cyrillic letters are word
#: characters), and a number just before a word in the page's language is that word's ("23 грудня").
LATIN_WORD = r"[A-Za-z][A-Za-z0-9'’\-]*(?:[.:][A-Za-z0-9]+)*"  # a full stop or colon after it ends it
LATIN_RUN = re.compile(rf"(?<![\w'’&#-]){LATIN_WORD}"
                       rf"(?:[ ,;:–—]+(?:{LATIN_WORD}|\d[\d'’.:\-]*(?![\d'’.:\-]*\s+[^\W\d_A-Za-z])))+"
                       r"(?![\w'’-])")
RUN_WORD = re.compile(r"[ ,;:–—]+")


def mark_latin_runs(html: str, source: str) -> str:
    """Wrap each run of three or more Latin-script words (two with letters) in the page's text
    with ``<span lang=source>``: an English headline quoted in Ukrainian text is read by a
    screen reader with English rules.  Shorter runs are names ("Die Welt", "BBC News"), left
    as they are; text already marked with a language, and code, is left alone."""
    pieces = PIECES.split(html)
    skipping: list[str] = []  # the element that started a skipped region, once per nesting level
    for index, piece in enumerate(pieces):
        if index % 2:
            tag = OPEN_TAG.match(piece)
            if tag and tag.group(1).lower() not in VOID and not piece.endswith("/>"):
                name = tag.group(1).lower()
                if (skipping and name == skipping[-1]) or name in NOT_PROSE or HAS_LANG.search(tag.group(2)):
                    skipping.append(name)
            elif piece.startswith("</") and skipping and piece[2:-1].strip().lower() == skipping[-1]:
                skipping.pop()
        elif not skipping and piece:
            pieces[index] = LATIN_RUN.sub(lambda m: _wrap(m.group(0), source), piece)
    return "".join(pieces)


def _wrap(run: str, lang: str) -> str:
    words = RUN_WORD.split(run)
    if len(words) < 3 or sum(any(c.isalpha() for c in word) for word in words) < 2:
        return run
    return f'<span lang="{lang}">{run}</span>'


#: Theme files a site_gen site never loads: Material's search (site_gen has its own) and
#: source maps.  Left out, each language's output and the offline copy are smaller.
UNUSED_THEME_FILES = ("assets/javascripts/lunr/", "assets/javascripts/workers/search.")
#: site_gen's stylesheet, and where it goes: named by its content, like Material's, so that a
#: host may let browsers keep it for a year (see assemble.headers_file).
STYLESHEET = "assets/site_gen.css"


def on_files(files: Any, config: Any) -> Any:
    for file in list(files):
        if file.src_uri.startswith(UNUSED_THEME_FILES) or file.src_uri.endswith(".map"):
            files.remove(file)
        elif file.src_uri == STYLESHEET:
            digest = hashlib.sha256(Path(file.abs_src_path).read_bytes()).hexdigest()[:8]
            file.dest_uri = f"assets/stylesheets/site_gen.{digest}.css"
            config.extra.setdefault("site_gen", {})["stylesheet"] = file.dest_uri
    return files


#: In ``site-gen serve``: the problem the last regeneration found ("problem"), if any.
_SERVE_STATE: dict[str, str] = {}


def on_pre_build(config: Any) -> None:
    """In ``site-gen serve``, regenerate this language's pages before every rebuild.

    A problem does not stop the server (MkDocs' own server would then hold every request
    until the next good build): it is logged, and every page shows it (``on_post_build``).
    """
    settings = config.extra.get("site_gen") or {}
    if settings.get("serve"):
        from site_gen.commands.serve import hold_serve_lock, regenerate, show_error

        hold_serve_lock(settings["config_file"])  # released when this build ends, however it ends
        problem = regenerate(settings["config_file"], settings["lang"])
        if problem is None and _SERVE_STATE.pop("problem", None) is not None:
            show_error(Path(config.site_dir), None)  # fixed: every page is rendered again
        if problem is not None:
            logging.getLogger("mkdocs.site_gen").error(problem)
            _SERVE_STATE["problem"] = problem


def on_post_build(config: Any) -> None:
    if (config.extra.get("site_gen") or {}).get("serve"):
        from site_gen.commands.serve import release_serve_lock, show_error

        if "problem" in _SERVE_STATE:
            show_error(Path(config.site_dir), _SERVE_STATE["problem"])
        release_serve_lock()


def on_build_error(error: Exception) -> None:
    _release_serve_lock()


def on_shutdown() -> None:
    _release_serve_lock()


def _release_serve_lock() -> None:
    # Only a preview holds the lock, and it has imported the module that took it; a build's
    # worker need not import it for nothing.
    serving = sys.modules.get("site_gen.commands.serve")
    if serving is not None:
        serving.release_serve_lock()


class _Quiet(logging.Filter):
    """MkDocs' notices that say nothing to a previewer: every --dirty rebuild warns that it is
    dirty, and site_gen's search page is (rightly) not in the menu."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = str(record.msg)
        return not message.startswith(("A 'dirty' build is being performed",
                                       "The following pages exist in the docs directory"))


def on_startup(command: str, dirty: bool) -> None:
    if command == "serve":
        for name in ("mkdocs.commands.build", "mkdocs.structure.nav"):
            logger = logging.getLogger(name)
            if not any(isinstance(existing, _Quiet) for existing in logger.filters):
                logger.addFilter(_Quiet())


@event_priority(100)  # before any plugin's on_config, so that each sees the whole config
def on_config(config: Any) -> Any:
    """The config's bulky parts (kept out of the YAML that MkDocs parses slowly), and
    site_gen's speed-ups (the same pages), in builds and previews: the theme's Jinja set-up,
    and Python-Markdown's inline stage without searches that cannot match."""
    from site_gen.render.mkdocs.engine import USER_MAIN, theme_environment
    from site_gen.render.mkdocs.fast_inline import FastInlineExtension

    settings = config.extra.get("site_gen") or {}
    if settings.get("bulky"):
        with open(settings.pop("bulky"), encoding="utf-8") as file:
            bulky = json.load(file)
        if bulky["nav"] is not None:
            config["nav"] = bulky["nav"]
        settings["ui"] = bulky["ui"]
        config.extra.update(bulky["extra"])
        _FACTS.clear()
        _FACTS.update(bulky.get("facts") or {})
    user_dir = settings.get("user_custom_dir")
    if user_dir:
        # The user's theme overrides (theme.custom_dir) after site_gen's and before the theme's
        # own: a file only they override is theirs; their main.html is the one site_gen's extends.
        config.theme.dirs.insert(1, user_dir)
        if Path(user_dir, "main.html").is_file():
            settings["user_main"] = USER_MAIN
    # Paths that plugins resolve from here on (mkdocstrings' `paths`, …) are relative to the
    # user's mkdocs.yml, as in their plain English build, not to the generated config.
    config.config_file_path = settings.get("config_file") or config.config_file_path
    included = settings.get("snippets")
    if included:
        # Each language's includes read its translated snippets first (build.snippet_base_path).
        options = config.mdx_configs.setdefault(included["key"], {})
        options["base_path"] = included["base_path"]
    prefixes = settings.get("caption_prefixes")
    if prefixes:
        # The reader's "Рисунок 1." before each numbered caption: the translated prefix of each
        # type, the rest of the author's caption options (classes, auto, prepend) as they are.
        from pymdownx.blocks.caption import CaptionExtension

        options = config.mdx_configs.setdefault(interface.CAPTION_EXTENSION, {})
        types = options.get("types") or CaptionExtension().getConfig("types")
        options["types"] = [{**kind, "prefix": prefixes[kind["name"]]}
                            if isinstance(kind, dict) and kind.get("name") in prefixes else kind for kind in types]
    if private_api.verified("mkdocs.theme_env"):
        config.theme.get_env = functools.partial(theme_environment, config.theme, user_dir)
    if private_api.verified("mkdocs.extension_after_validation"):
        config.markdown_extensions.append(FastInlineExtension())
    return config

