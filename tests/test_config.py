"""The user's whole mkdocs.yml in every language (issue 20): theme overrides, hooks, plugins,
exclude_docs and friends; the reuse stamp; MkDocs' warnings; the privacy gate; the page profile.

One small Material project, unlike the explainer: its own custom_dir (a main.html and a
partial), a hook, Material's tags plugin, exclude_docs, draft_docs, not_in_nav, validation,
a README badge from another host, code examples that show HTML, and a watched folder (``watch``,
relative to mkdocs.yml: every language's build failed when it was read from build/<lang>/).  Built
once and copied.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
from pathlib import Path

import pytest

from site_gen import interface
from site_gen.cli import main

CONFIG = """\
site_name: Fixture docs
docs_dir: docs
use_directory_urls: false
theme:
  name: material
  custom_dir: overrides
  logo: images/logo.svg
extra_javascript:
  - js/extra.js
hooks:
  - hooks/marker.py
watch:
  - hooks
plugins:
  - search
  - tags
exclude_docs: |
  drafts-folder/
  *.secret.*
draft_docs: |
  wip.md
not_in_nav: |
  aside.md
validation:
  nav:
    omitted_files: warn
  links:
    unrecognized_links: warn
markdown_extensions:
  - admonition
extra:
  site_gen:
    languages: [en, uk, ru]
    privacy:
      allow: [img.shields.io]
"""

FILES = {
    "overrides/main.html": '{% extends "base.html" %}\n'
                           '{% block announce %}<span class="user-announce">USER-ANNOUNCE</span>{% endblock %}\n',
    "overrides/partials/copyright.html": '<div class="md-copyright user-copyright">USER-COPYRIGHT</div>\n',
    "hooks/marker.py": "import logging\n\n\n"
                       "def on_page_content(html, page, config, files):\n"
                       "    if page.file.src_uri == 'aside.md':\n"
                       "        logging.getLogger('mkdocs.hooks.marker').warning('the aside is thin')\n"
                       "    return html + '<p class=\"user-hook\">HOOK-1</p>'\n",
    "docs/index.md": "---\ntitle: Home\ntags:\n  - Alpha\n---\n\n# Home\n\n"
                     "Welcome. See [the aside](aside.md). Requires Python 3.8.\n\n"
                     '!!! note "A note"\n    Notes work.\n\n'
                     "![Build status](https://img.shields.io/badge/build-passing-green)\n\n"
                     '```html\n<img src="https://cdn.example.org/a.png">\n'
                     '<div style="background: url(https://cdn.example.org/b.png)">\n```\n\n'
                     'Inline: `<div style="background: url(https://cdn.example.org/c.png)">`.\n',
    "docs/aside.md": "# Aside\n\nA page in no menu.\n",
    "docs/tags.md": "# Tags\n\n<!-- material/tags -->\n",
    "docs/.hidden/secret.md": "# Secret\n",
    "docs/drafts-folder/x.md": "# Draft folder\n",
    "docs/key.secret.md": "# Key\n",
    "docs/key.secret.py": "print('never published, so never refused')\n",
    "docs/wip.md": "# Work in progress\n",
    "docs/templates/t.md": "# A template folder\n",
    # The site's own files that plain MkDocs publishes: a logo and a script its config names.
    "docs/images/logo.svg": '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8">'
                            '<rect width="8" height="8"/></svg>\n',
    "docs/js/extra.js": "document.documentElement.dataset.extra = 'yes';\n",
    "docs/data/schema.json": '{"type": "object"}\n',
}

LANGUAGES = ("en", "uk", "ru")
LEFT_OUT = ("secret", "x", "key.secret", "wip", "t")


def make_project(folder: Path) -> Path:
    (folder / "mkdocs.yml").write_text(CONFIG, encoding="utf-8")
    for name, text in FILES.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@contextlib.contextmanager
def inside(folder: Path):
    cwd = Path.cwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(cwd)


def run(*args: str) -> tuple[int, str, str]:
    """``site-gen ARGS`` in the current folder: its exit code, stdout and stderr."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, str]:
    """The fixture project, its catalogs made and the site built; and the build's stderr."""
    project = make_project(tmp_path_factory.mktemp("fixture"))
    with inside(project), pytest.MonkeyPatch.context() as env:
        env.setenv("SOURCE_DATE_EPOCH", os.environ.get("SOURCE_DATE_EPOCH", "1700000000"))
        assert run("extract")[0] == 0
        for lang in LANGUAGES[1:]:
            assert run("init", lang)[0] == 0
        code, _, err = run("build")
    assert code == 0, err
    return project, err


def copy_of(built: tuple[Path, str], target: Path) -> Path:
    shutil.copytree(built[0], target / "p", symlinks=True)
    return target / "p"


def page(project: Path, lang: str, name: str = "index") -> str:
    return (project / "site" / lang / f"{name}.html").read_text(encoding="utf-8")


def test_overrides_hook_and_plugin_have_their_effect_in_every_language(built) -> None:
    project, _ = built
    for lang in LANGUAGES:
        home = page(project, lang)
        assert 'class="user-announce"' in home, "the user's main.html block"
        assert "USER-COPYRIGHT" in home, "the user's partial, which site_gen's main.html does not touch"
        assert '<p class="user-hook">HOOK-1</p>' in home, "the user's hook, its path relative to mkdocs.yml"
        assert re.search(r'class="md-tag[^"]*"[^>]*>\s*Alpha', home), "Material's tags plugin on the page"
        assert 'href="index.html"' in page(project, lang, "tags"), "and its listing"
        # site_gen's own overrides still apply.
        assert re.search(r'<a href="\.\./uk/index\.html" hreflang="uk"', home)
        assert ('class="sg-banner"' in home) == (lang != "en")
        assert '<meta http-equiv="Content-Security-Policy"' in home


def test_excluded_hidden_and_draft_pages_are_not_pages_catalogs_or_links(built) -> None:
    project, _ = built
    catalogs = {p.stem for p in (project / "locales").rglob("*.po*")}
    assert catalogs == {"index", "aside", "tags", "_site"}
    for lang in LANGUAGES:
        names = {p.stem for p in (project / "site" / lang).rglob("*.html")}
        assert not names & set(LEFT_OUT), lang
        status = page(project, lang, "translation-status")
        assert not re.search(r'href="[^"]*(secret|wip|drafts-folder|templates/)', status)
        # not_in_nav: the aside is in no menu (it is still built).
        assert 'href="aside.html"' not in page(project, lang, "tags").split('class="md-content"')[0]
        assert (project / "site" / lang / "aside.html").exists()


def test_mkdocs_warnings_are_shown_once_per_language_naming_the_source_file(built) -> None:
    _, err = built
    for lang in LANGUAGES:
        assert err.count(f"warning: MkDocs ({lang}): the aside is thin") == 1, err
    assert "build/" not in err


def test_a_docs_page_link_warning_names_the_content_file(tmp_path: Path, built) -> None:
    project = copy_of(built, tmp_path)
    with (project / "docs/aside.md").open("a", encoding="utf-8") as file:
        file.write("\nSee [nothing](missing.md).\n")
    with inside(project):
        assert run("update")[0] == 0
        code, _, err = run("build")
    assert code == 0, err
    for lang in LANGUAGES:
        assert f"warning: MkDocs ({lang}): Doc file 'docs/aside.md' contains a link 'missing.md'" in err, err
    assert "build/uk/docs" not in err


def test_changing_what_the_build_reads_invalidates_the_reuse(tmp_path: Path, built) -> None:
    project = copy_of(built, tmp_path)
    config = project / "mkdocs.yml"

    def edit_config(old: str, new: str) -> None:
        config.write_text(config.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")

    def edit_file(name: str, old: str, new: str) -> None:
        (project / name).write_text((project / name).read_text(encoding="utf-8").replace(old, new), encoding="utf-8")

    edits = {
        "markdown_extensions": (lambda: edit_config("  - admonition\n", "  - admonition\n  - toc: {permalink: true}\n"),
                                lambda lang, home: 'class="headerlink"' in home),
        "exclude_docs": (lambda: edit_config("  drafts-folder/\n", ""),
                         lambda lang, home: (project / "site" / lang / "drafts-folder" / "x.html").exists()),
        "hook": (lambda: edit_file("hooks/marker.py", "HOOK-1", "HOOK-2"), lambda lang, home: "HOOK-2" in home),
        "custom_dir": (lambda: edit_file("overrides/partials/copyright.html", "USER-", "THEIR-"),
                       lambda lang, home: "THEIR-COPYRIGHT" in home),
        "plugins": (lambda: edit_config("  - tags\n", ""), lambda lang, home: 'class="md-tag' not in home),
    }
    with inside(project):
        assert run("build")[0] == 0  # in its new folder
        assert "reused: en, uk, ru" in run("build")[1]
        for name, (edit, effect) in edits.items():
            edit()
            assert run("update")[0] == 0
            code, out, err = run("build")
            assert code == 0, err
            assert "reused" not in out, name
            for lang in LANGUAGES:
                assert effect(lang, page(project, lang)), (name, lang)


def test_a_plugin_option_read_from_the_environment_is_read_as_mkdocs_reads_it(
        tmp_path: Path, built, monkeypatch: pytest.MonkeyPatch) -> None:
    """`enabled: !ENV [VAR, false]` (mkdocstrings' own docs switch plugins so): each language's
    build has the value plain MkDocs has, the default or the variable's, not the tag's list."""
    project = copy_of(built, tmp_path)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "  - tags\n", "  - tags:\n      enabled: !ENV [SG_TEST_TAGS, false]\n"), encoding="utf-8")
    monkeypatch.delenv("SG_TEST_TAGS", raising=False)
    with inside(project):
        code, _, err = run("build")
        assert code == 0, err
        assert not any('class="md-tag' in page(project, lang) for lang in LANGUAGES), "the default: off"
        monkeypatch.setenv("SG_TEST_TAGS", "true")
        code, out, err = run("build")
    assert code == 0, err
    assert "reused" not in out, "the variable changed what the build reads"
    for lang in LANGUAGES:
        assert 'class="md-tag' in page(project, lang), lang


def test_the_installed_theme_and_plugins_are_part_of_the_reuse_stamp(built) -> None:
    from site_gen.build import inputs_key
    from site_gen.project import Project

    project = Project.load(built[0] / "mkdocs.yml")
    installed = ["mkdocs-1.6.1.dist-info", "mkdocs_material-9.7.7.dist-info"]
    key = inputs_key(project, installed)
    assert inputs_key(project, installed) == key
    assert inputs_key(project, [installed[0], "mkdocs_material-9.7.8.dist-info"]) != key
    assert inputs_key(project, [*installed, "mkdocstrings-0.30.0.dist-info"]) != key
    assert inputs_key(project) != key  # the real list is read when none is given


def test_privacy_strict_names_page_element_and_url_and_warn_goes_on(tmp_path: Path, built) -> None:
    project = copy_of(built, tmp_path)
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    badge = "https://img.shields.io/badge/build-passing-green"
    # Allowed: built, and the CSP lets the browser load it (the allowed host only).
    for lang in LANGUAGES:
        csp = re.search(r'Content-Security-Policy" content="([^"]+)"', page(project, lang)).group(1)
        assert "img-src 'self' data: img.shields.io" in csp and "cdn.example.org" not in csp
    assert "img.shields.io" in (project / "site/_headers").read_text(encoding="utf-8")
    with inside(project):
        config.write_text(text.replace("      allow: [img.shields.io]\n", "      allow: [example.net]\n"),
                          encoding="utf-8")
        code, _, err = run("build")
        assert code == 1
        for lang in LANGUAGES:
            assert re.search(rf"{lang}/index\.html:\d+: error: <img src> loads '{re.escape(badge)}' from another host",
                             err), err
        assert "cdn.example.org" not in err, "examples inside code are never flagged"
        assert "allow: [img.shields.io]" in err, "the fix names the host to allow"
        config.write_text(text.replace("      allow: [img.shields.io]\n", "      mode: warn\n"), encoding="utf-8")
        code, _, err = run("build")
    assert code == 0, err
    assert re.search(rf"en/index\.html:\d+: warning: <img src> loads '{re.escape(badge)}'", err), err
    assert "img-src 'self' data: img.shields.io" in page(project, "uk")


@pytest.mark.parametrize(("setting", "words"), [
    ("profile: explainr", "unknown profile 'explainr'"),
    ("privacy: {mode: loud}", "mode must be strict or warn"),
    ("privacy: {allow: [https://img.shields.io/badge]}", "allow must be a list of host names"),
    ("privacy: strict", "must be a mapping"),
])
def test_profile_and_privacy_settings_are_checked(tmp_path: Path, setting: str, words: str) -> None:
    project = make_project(tmp_path)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "    privacy:\n      allow: [img.shields.io]\n", f"    {setting}\n"), encoding="utf-8")
    with inside(project):
        code, _, err = run("check")
    assert code == 1 and words in err and "mkdocs.yml:" in err


def test_check_without_the_profile_asks_no_front_matter_and_with_it_does(tmp_path: Path, built) -> None:
    project = copy_of(built, tmp_path)
    with inside(project):
        code, out, err = run("check")
        assert code == 0, err
        assert "front-matter" not in out + err and "[sources]" not in out + err
        for name in ("images/logo.svg", "js/extra.js", "data/schema.json"):  # the profile refuses them
            (project / "docs" / name).unlink()
        config = project / "mkdocs.yml"
        config.write_text(config.read_text(encoding="utf-8") + "    profile: explainer\n", encoding="utf-8")
        code, _, err = run("check")
    assert code == 1
    assert "docs/aside.md:1: error: [front-matter] required field 'published' is missing" in err
    assert "docs/wip.md" not in err, "a draft is not a page of the site"


def test_the_sites_own_files_are_published_in_every_language_as_plain_mkdocs_publishes_them(built) -> None:
    project, _ = built
    for lang in LANGUAGES:
        for name in ("images/logo.svg", "js/extra.js", "data/schema.json"):
            assert (project / "site" / lang / name).read_bytes() == (project / "docs" / name).read_bytes(), (lang, name)
        page = (project / "site" / lang / "index.html").read_text(encoding="utf-8")
        assert 'src="js/extra.js"' in page and "images/logo.svg" in page, lang


def test_the_explainer_profile_publishes_passive_files_only(tmp_path: Path, built) -> None:
    project = copy_of(built, tmp_path)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "    profile: explainer\n", encoding="utf-8")
    with inside(project):
        code, _, err = run("build")
    assert code == 1
    assert "docs/images/logo.svg: error: .svg is not published" in err and "docs/js/extra.js: error:" in err


def test_a_material_page_status_is_the_sites_own_without_the_profile(tmp_path: Path, monkeypatch) -> None:
    """`status: new` is Material's page status on an ordinary site: not an explainer status."""
    from site_gen.cli import main
    from tests.conftest import copy_project

    project = copy_project(tmp_path)
    monkeypatch.chdir(project)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("    profile: explainer\n", ""), encoding="utf-8")
    page = project / "content/about.md"
    page.write_text(page.read_text(encoding="utf-8").replace("---\n", "---\nstatus: new\n", 1), encoding="utf-8")
    assert main(["check"]) == 0 and main(["build"]) == 0
    assert 'class="sg-status' not in (project / "site/uk/about.html").read_text(encoding="utf-8")


EXEC_CONFIG = """\
site_name: Exec docs
docs_dir: docs
use_directory_urls: false
theme:
  name: material
plugins:
  - markdown-exec
markdown_extensions:
  - pymdownx.superfences
extra:
  site_gen:
    languages: [en, uk]
    privacy: {allow: [cdn.jsdelivr.net]}  # markdown-exec's stylesheet for its pyodide fences
"""


def test_a_plugins_per_process_numbering_is_the_english_sites_in_every_language(tmp_path: Path) -> None:
    """markdown-exec numbers each generated block's ids for the whole process (``exec-2--…``).
    A heading that only code makes sends the build back to the English page for its ids; that
    extra render must not move the numbering of the pages after it (mkdocstrings' credits page
    had ``exec-2--`` ids in every translation, ``exec-1--`` in English)."""
    pytest.importorskip("markdown_exec")
    (tmp_path / "mkdocs.yml").write_text(EXEC_CONFIG, encoding="utf-8")
    (tmp_path / "docs").mkdir()
    for name in ("a", "b"):
        (tmp_path / "docs" / f"{name}.md").write_text(
            f'# Page {name}\n\nText.\n\n```python exec="on"\nprint("## Made by code {name}")\n```\n', encoding="utf-8")
    with inside(tmp_path):
        assert run("extract")[0] == 0 and run("init", "uk")[0] == 0
        code, _, err = run("build")
    assert code == 0, err
    made = re.compile(r'<h2 id="([^"]+)">Made by code')
    for name in ("a", "b"):
        english = made.findall(page(tmp_path, "en", name))
        assert english and english[0].startswith("exec-")
        assert made.findall(page(tmp_path, "uk", name)) == english, name


CAPTION_CONFIG = """\
site_name: Caption docs
docs_dir: docs
use_directory_urls: false
theme:
  name: material
markdown_extensions:
  - tables
  - pymdownx.blocks.caption{options}
extra:
  site_gen:
    languages: [en, uk, ru]
"""
CAPTION_PAGE = ("# Tables\n\n| Year | Men |\n|---|---|\n| 2024 | 10 |\n\n/// table-caption\nMen called up.\n///\n\n"
                "Text.\n\n/// caption\nA caption with no number.\n///\n")


@pytest.mark.parametrize("options", ["", ":\n      types:\n      - {name: table-caption, prefix: 'Table {}:', "
                                         "classes: wide}\n      - caption"])
def test_a_caption_prefix_from_the_config_is_in_the_readers_language(tmp_path: Path, options: str) -> None:
    """pymdownx.blocks.caption writes "Table 1." before a caption, from its types' prefix templates
    (its defaults, or the site's own in mkdocs.yml): each template is a message of the interface
    catalog, and each language's build numbers its captions with the translated one.  A translation
    that breaks the ``{}`` is refused by the gate, with the English shown, and no build fails."""
    (tmp_path / "mkdocs.yml").write_text(CAPTION_CONFIG.format(options=options), encoding="utf-8")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text(CAPTION_PAGE, encoding="utf-8")
    english_prefix = "Table {}:" if options else "Table {}."
    with inside(tmp_path):
        assert run("extract")[0] == 0
        template = (tmp_path / "locales" / "templates" / "_site.pot").read_text(encoding="utf-8")
        assert " ".join(interface.CAPTION_COMMENT.split()[-9:]) in template
        assert f'#, python-brace-format\nmsgid "{english_prefix}"' in template
        for lang in ("uk", "ru"):
            assert run("init", lang)[0] == 0
        site_po = tmp_path / "locales" / "{}" / "LC_MESSAGES" / "_site.po"
        for lang, prefix in (("uk", "Таблиця {}."), ("ru", "Таблица {x}.")):
            po = Path(str(site_po).format(lang))
            entry = f'msgid "{english_prefix}"\nmsgstr '
            po.write_text(po.read_text(encoding="utf-8").replace(f'{entry}""', f'{entry}"{prefix}"'), encoding="utf-8")
        code, out, err = run("check")
        assert code == 1 and "[placeholder]" in out + err and "_site.po" in out + err
        code, _, err = run("build")
    assert code == 0, err
    assert "[placeholder]" in err
    prefix = re.compile(r'<span class="caption-prefix">([^<]*)</span>')
    assert prefix.findall(page(tmp_path, "en")) == [english_prefix.format(1)]
    assert prefix.findall(page(tmp_path, "uk")) == ["Таблиця 1."]
    assert prefix.findall(page(tmp_path, "ru")) == [english_prefix.format(1)]  # refused: the English
    # The site's other types and options stay: a caption type with no prefix, a class.
    assert page(tmp_path, "uk").count("<figcaption>") == page(tmp_path, "en").count("<figcaption>") == 2
    if options:
        assert '<figure class="wide' in page(tmp_path, "uk")


def test_the_caption_defaults_site_gen_extracts_are_the_extensions() -> None:
    from pymdownx.blocks.caption import CaptionExtension

    prefixed = tuple((kind["name"], kind["prefix"]) for kind in CaptionExtension().getConfig("types")
                     if isinstance(kind, dict) and kind.get("prefix"))
    assert prefixed == interface.CAPTION_DEFAULTS


def test_a_box_whose_syntax_cannot_hold_a_title_shows_the_readers_word(tmp_path: Path) -> None:
    """markdown-callouts' ``> [!NOTE]`` shows "Note" and has no way to write another title: the
    marker line stays as written and the build gives the box's title the reader's word."""
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: Callouts\ndocs_dir: docs\nuse_directory_urls: false\ntheme:\n  name: material\n"
        "markdown_extensions:\n  - admonition\n  - github-callouts\nextra:\n  site_gen:\n"
        "    languages: [en, uk]\n", encoding="utf-8")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text(
        "# Home\n\n> [!NOTE]\n> Check the register first.\n\n!!! note \"Note\"\n    An explicit title.\n",
        encoding="utf-8")
    with inside(tmp_path):
        assert run("extract")[0] == 0 and run("init", "uk")[0] == 0
        po = tmp_path / "locales" / "uk" / "LC_MESSAGES" / "index.po"
        text = po.read_text(encoding="utf-8")
        for english, ukrainian in (("Home", "Головна"), ("Check the register first.", "Спершу перевірте реєстр."),
                                   ("Note", "Увага"), ("An explicit title.", "Явний заголовок.")):
            text = text.replace(f'msgid "{english}"\nmsgstr ""', f'msgid "{english}"\nmsgstr "{ukrainian}"')
        po.write_text(text, encoding="utf-8")
        site_po = tmp_path / "locales" / "uk" / "LC_MESSAGES" / "_site.po"
        site_po.write_text(site_po.read_text(encoding="utf-8").replace(
            'msgid "Note"\nmsgstr ""', 'msgid "Note"\nmsgstr "Примітка"'), encoding="utf-8")
        code, _, err = run("build")
    assert code == 0, err
    title = re.compile(r'<p class="admonition-title">([^<]*)</p>')
    assert title.findall(page(tmp_path, "en")) == ["Note", "Note"]
    # The callout's default title, and the author's own title as its translator wrote it.
    assert title.findall(page(tmp_path, "uk")) == ["Примітка", "Увага"]
