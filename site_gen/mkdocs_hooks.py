"""MkDocs hooks for one language's build: kept thin, the work is done by site_gen's stages."""

from __future__ import annotations

import functools
import json
import logging
from html import escape
from pathlib import Path
from typing import Any

from mkdocs.plugins import event_priority

#: Each page's facts (by its path in docs/), read from the config's bulky file in on_config.
_FACTS: dict[str, dict[str, Any]] = {}


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    """The page's facts reach its templates as ``page.meta.site_gen``; its Markdown is untouched."""
    facts = _FACTS.get(page.file.src_uri)
    if facts is not None:
        page.meta["site_gen"] = facts
    return markdown


def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    """A translated page's headings take the English page's ids (so every link to an anchor
    works in every language), in the page and in its table of contents."""
    from site_gen import anchors

    ids = ((page.meta or {}).get("site_gen") or {}).get("heading_ids")
    if ids is not None:
        if len(anchors.HEADING_ID.findall(html)) != len(ids):
            # Python-Markdown found headings the segmenter's parser did not (or the other way
            # round): the English page, rendered as its own build renders it, says which.
            ids = _english_ids(page, config)
        html, renamed = anchors.give_ids(html, ids)
        if renamed:
            _rename_toc(page.toc, renamed)
    return html


@event_priority(-100)  # after every plugin's changes: Material's tags listings are filled in on_env
def on_page_context(context: Any, page: Any, config: Any, nav: Any) -> Any:
    """Note the skeleton of the page's rendered Markdown: the build compares each translated
    page's with the source language's (a second line of defence behind the gate)."""
    from site_gen import build, gate

    settings = config.extra.get("site_gen") or {}
    source_lang = settings.get("source_language", "en")
    digest = build.PAGE_SKELETONS[page.file.src_uri] = gate.page_digest(page.content or "", source_lang)
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
    md = markdown.Markdown(extensions=config.markdown_extensions, extension_configs=config.mdx_configs)
    return md.convert(text)


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


def on_post_page(output: str, page: Any, config: Any) -> str:
    """<html lang> is the language of the page's main text (English on an untranslated page)."""
    facts = (page.meta or {}).get("site_gen") or {}
    ui_lang = config.theme["language"]
    main_lang = facts.get("lang")
    if main_lang and main_lang != ui_lang:
        output = output.replace(f'<html lang="{ui_lang}"', f'<html lang="{main_lang}"', 1)
    # Icons without a size fill the screen when the stylesheet does not load (slow or cut links).
    return output.replace('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24">',
                          '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="24" height="24">')


#: Theme files a site_gen site never loads: Material's search (site_gen has its own) and
#: source maps.  Left out, each language's output and the offline copy are 1.2 MB smaller.
UNUSED_THEME_FILES = ("assets/javascripts/lunr/", "assets/javascripts/workers/search.")


def on_files(files: Any, config: Any) -> Any:
    for file in list(files):
        if file.src_uri.startswith(UNUSED_THEME_FILES) or file.src_uri.endswith(".map"):
            files.remove(file)
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
        from site_gen.build import hold_serve_lock, regenerate, show_error

        hold_serve_lock(settings["config_file"])  # released when this build ends, however it ends
        problem = regenerate(settings["config_file"], settings["lang"])
        if problem is None and _SERVE_STATE.pop("problem", None) is not None:
            show_error(Path(config.site_dir), None)  # fixed: every page is rendered again
        if problem is not None:
            logging.getLogger("mkdocs.site_gen").error(problem)
            _SERVE_STATE["problem"] = problem


def on_post_build(config: Any) -> None:
    if (config.extra.get("site_gen") or {}).get("serve"):
        from site_gen.build import release_serve_lock, show_error

        if "problem" in _SERVE_STATE:
            show_error(Path(config.site_dir), _SERVE_STATE["problem"])
        release_serve_lock()


def on_build_error(error: Exception) -> None:
    from site_gen.build import release_serve_lock

    release_serve_lock()


def on_shutdown() -> None:
    from site_gen.build import release_serve_lock

    release_serve_lock()


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
    from site_gen.build import USER_MAIN, theme_environment
    from site_gen.fast_inline import FastInlineExtension

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
    config.theme.get_env = functools.partial(theme_environment, config.theme, user_dir)
    config.markdown_extensions.append(FastInlineExtension())
    return config

