"""Each private API of another package that site_gen uses is one it was checked with, and on any
other version the public path builds the same site (docs/architecture.md, "Private APIs")."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from site_gen import private_api
from tests.conftest import copy_project

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("name", sorted(private_api.USES))
def test_the_installed_version_is_one_the_private_api_was_checked_with(name: str) -> None:
    use = private_api.USES[name]
    version = private_api.installed_version(use.distribution)
    assert version is not None and private_api.in_range(version, use), (
        f"{use.distribution} {version} is outside the range site_gen checked ({use.lowest} to below "
        f"{use.below}) for {use.what}. fix: check that use against this release (its tests below and "
        f"tests/test_fast_inline.py, tests/test_build.py), then widen USES[{name!r}] in site_gen/private_api.py")


def test_the_private_names_are_where_site_gen_expects_them() -> None:
    """The checked versions still hold what site_gen reaches for (a wrong range fails here)."""
    import atexit

    from markdown import treeprocessors
    from mkdocs.theme import Theme

    from site_gen.render.mkdocs import engine

    assert callable(getattr(atexit, "_run_exitfuncs", None))
    assert hasattr(treeprocessors.InlineProcessor, "_InlineProcessor__handleInline")
    assert hasattr(treeprocessors.InlineProcessor, "_InlineProcessor__applyPattern")
    assert callable(Theme.get_env)
    theme = Theme(name="material", language="en")
    bundles = [Path(folder, "assets/javascripts") for folder in theme.dirs]
    texts = [path.read_text(encoding="utf-8") for folder in bundles for path in folder.glob("bundle.*.min.js")]
    assert texts and all(engine.MATERIAL_ALTERNATES in text for text in texts)


@pytest.mark.parametrize(("version", "expected"), [
    ("3.11.4", True), ("3.6", True), ("3.12.0", False), ("3.12.0rc1", False), ("3.5.9", False), ("4.0", False)])
def test_version_ranges_compare_releases_by_number(version: str, expected: bool) -> None:
    use = private_api.Use("markdown", "3.6", "3.12", "", "")
    assert private_api.in_range(version, use) is expected


def _build(project: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "site_gen", "build"], cwd=project, capture_output=True, text=True,
                          env={**os.environ, "SOURCE_DATE_EPOCH": "1700000000", "NO_MKDOCS_2_WARNING": "1",
                               "SITE_GEN_TEMPLATE_CACHE": "off", **env}, timeout=300, check=False)


def test_the_public_paths_build_the_same_pages_with_one_warning_each(tmp_path: Path) -> None:
    private = _build(copy_project(tmp_path / "private"))
    public = _build(copy_project(tmp_path / "public"), SITE_GEN_PRIVATE_API="off")
    assert private.returncode == 0, private.stderr
    assert public.returncode == 0, public.stderr
    assert "SITE_GEN_PRIVATE_API" not in private.stderr
    warnings = re.findall(r"site_gen: warning: SITE_GEN_PRIVATE_API=off: using (.*)", public.stderr)
    assert sorted(warnings) == sorted(use.fallback for use in private_api.USES.values()), public.stderr

    sized = ' width="24" height="24">'  # Material's icons get a size only through its markup's text
    pages = sorted(path.relative_to(tmp_path / "private") for path in (tmp_path / "private/site").rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        expected = (tmp_path / "private" / page).read_text(encoding="utf-8").replace(sized, ">")
        assert (tmp_path / "public" / page).read_text(encoding="utf-8") == expected, page
    bundle = next((tmp_path / "public/site/en/assets/javascripts").glob("bundle.*.min.js"))
    assert "data-sg-none" not in bundle.read_text(encoding="utf-8")  # Material's bundle as it ships


def test_an_unchecked_version_takes_the_public_path_with_one_warning(monkeypatch, capsys) -> None:
    import markdown
    from markdown import treeprocessors

    from site_gen.render.mkdocs.fast_inline import FastInlineExtension

    old = private_api.USES["markdown.inline_loop"]
    monkeypatch.setitem(private_api.USES, "markdown.inline_loop",
                        private_api.Use(old.distribution, "0.1", "0.2", old.what, old.fallback))
    private_api.verified.cache_clear()
    try:
        for _ in range(3):
            md = markdown.Markdown(extensions=[FastInlineExtension()])
            assert type(md.treeprocessors["inline"]) is treeprocessors.InlineProcessor
    finally:
        private_api.verified.cache_clear()
    err = capsys.readouterr().err
    assert err.count("warning:") == 1, err
    assert f"markdown {markdown.__version__} is not a version site_gen was checked with" in err
    assert "fix:" in err and "site_gen/private_api.py" in err
