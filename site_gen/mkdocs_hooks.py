"""MkDocs hooks for one language's build: kept thin, the work is done by site_gen's stages."""

from __future__ import annotations

from typing import Any


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


def on_pre_build(config: Any) -> None:
    """In ``site-gen serve``, regenerate this language's pages before every rebuild."""
    settings = config.extra.get("site_gen") or {}
    if settings.get("serve"):
        from site_gen.build import regenerate

        regenerate(settings["config_file"], settings["lang"])
