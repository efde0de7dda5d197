"""MkDocs hooks for one language's build: kept thin, the work is done by site_gen's stages."""

from __future__ import annotations

import functools
import hashlib
import json
import re
from html import escape, unescape
from pathlib import Path
from typing import Any

from mkdocs.plugins import event_priority


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    """The page's facts (``site_gen:`` in its front matter) are JSON in a YAML string."""
    facts = (page.meta or {}).get("site_gen")
    if isinstance(facts, str):
        page.meta["site_gen"] = json.loads(facts)
    return markdown


def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    facts = (page.meta or {}).get("site_gen") or {}
    source = (config.extra.get("site_gen") or {}).get("source_language", "en")
    html = label_table_cells(html)
    if needs_latin_marked(facts.get("lang") or config.theme["language"], source):
        html = mark_latin_runs(html, source)
    return html


#: Titles of this language's pages that are shown in another language (not yet translated),
#: filled in once every page has been read (``on_env``), used by ``on_post_page``.
_TITLES_IN_OTHER_LANGUAGES: dict[str, str] = {}


def on_env(env: Any, config: Any, files: Any) -> Any:
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
    return _finish(output, config)


def on_post_template(output: str, template_name: str, config: Any) -> str:
    """The 404 page is a theme template, not a page: it gets the same fixes."""
    return _finish(output, config) if template_name.endswith(".html") else output


def _finish(output: str, config: Any) -> str:
    if _TITLES_IN_OTHER_LANGUAGES:
        output = ELLIPSIS.sub(_mark_title, output)
    output = material_fixes(output, (config.extra.get("site_gen") or {}).get("ui") or {})
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
LATIN_RUN = re.compile(rf"(?<![\w'’-]){LATIN_WORD}"
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
#: source maps.  Left out, each language's output and the offline copy are 1.2 MB smaller.
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


def on_pre_build(config: Any) -> None:
    """In ``site-gen serve``, regenerate this language's pages before every rebuild."""
    settings = config.extra.get("site_gen") or {}
    if settings.get("serve"):
        from site_gen.build import regenerate

        regenerate(settings["config_file"], settings["lang"])


@event_priority(100)  # before any plugin's on_config, so that each sees the whole config
def on_config(config: Any) -> Any:
    """The config's bulky parts (kept out of the YAML that MkDocs parses slowly), and
    site_gen's speed-ups (the same pages), in builds and previews: the theme's Jinja set-up,
    and Python-Markdown's inline stage without searches that cannot match."""
    from site_gen.build import theme_environment
    from site_gen.fast_inline import FastInlineExtension

    settings = config.extra.get("site_gen") or {}
    if settings.get("bulky"):
        with open(settings.pop("bulky"), encoding="utf-8") as file:
            bulky = json.load(file)
        if bulky["nav"] is not None:
            config["nav"] = bulky["nav"]
        settings["ui"] = bulky["ui"]
        config.extra.update(bulky["extra"])
    config.theme.get_env = functools.partial(theme_environment, config.theme)
    config.markdown_extensions.append(FastInlineExtension())
    return config
