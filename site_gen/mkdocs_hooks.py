"""MkDocs hooks for one language's build: kept thin, the work is done by site_gen's stages."""

from __future__ import annotations

import functools
import json
from typing import Any

from mkdocs.plugins import event_priority


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    """The page's facts (``site_gen:`` in its front matter) are JSON in a YAML string."""
    facts = (page.meta or {}).get("site_gen")
    if isinstance(facts, str):
        page.meta["site_gen"] = json.loads(facts)
    return markdown


def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    """Note the skeleton of the page's rendered Markdown: the build compares each translated
    page's with the source language's (a second line of defence behind the gate)."""
    from site_gen import build, gate

    settings = config.extra.get("site_gen") or {}
    build.PAGE_SKELETONS[page.file.src_uri] = gate.page_digest(html, settings.get("source_language", "en"))
    return html


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
