"""The contributor loop: `site-gen serve --lang uk` shows a .po edit after a live rebuild."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from bench.serve_latency import fetch, free_port, wait_for
from tests.conftest import copy_project


def test_serve_rebuilds_one_language_after_a_po_edit(tmp_path: Path) -> None:
    copy_project(tmp_path)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "site_gen", "serve", "--lang", "uk", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    try:
        url = f"http://127.0.0.1:{port}/russia-digital-summons.html"
        assert wait_for(url, "Росія: електронні військові повістки", 60) is not None, "server did not start"
        po = tmp_path / "locales/uk/LC_MESSAGES/russia-digital-summons.po"
        text = po.read_text(encoding="utf-8")
        po.write_text(text.replace('msgstr "Росія: електронні військові повістки"',
                                   'msgstr "Росія: нова назва сторінки"'), encoding="utf-8")
        assert wait_for(url, "Росія: нова назва сторінки", 30) is not None, "the edit was not rebuilt"
        assert not list((tmp_path / "build").glob("*ru*")), "only the previewed language is built"
        assert "Пошук" in fetch(f"http://127.0.0.1:{port}/search.html"), "generated pages are served too"
        server.terminate()
        server.wait(timeout=10)
        time.sleep(0.5)
        assert fetch(url) == "", "stopping site-gen serve stops the server it started"
    finally:
        server.terminate()
        server.wait(timeout=10)


SLIP = '''
def on_page_content(html, page, config, files):
    """Stands in for a translation the gate let through: it adds a link to the uk about page."""
    if config.theme["language"] == "uk" and page.file.src_uri == "about.md":
        return html + '<p><a href="https://evil.example/">Допомога</a></p>'
    return html
'''


def test_what_the_gate_misses_is_refused_by_the_page_check_in_build_and_serve(tmp_path: Path) -> None:
    """The second line of defence: a translated page whose elements differ from the English
    page's is not published by `build`, and `serve` shows the refusal instead of the page."""
    copy_project(tmp_path)
    (tmp_path / "slip.py").write_text(SLIP, encoding="utf-8")
    config = tmp_path / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "\nhooks:\n  - slip.py\n", encoding="utf-8")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    built = subprocess.run([sys.executable, "-m", "site_gen", "build"], cwd=tmp_path, capture_output=True,
                           text=True, env=env, timeout=300)
    assert built.returncode == 1 and "uk/about.md" in built.stderr
    assert not (tmp_path / "site").exists() or "evil.example" not in (tmp_path / "site/uk/about.html").read_text()
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "site_gen", "serve", "--lang", "uk", "--dev-addr",
                               f"127.0.0.1:{port}"], cwd=tmp_path, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, env=env)
    try:
        assert wait_for(f"http://127.0.0.1:{port}/about.html", "sg-refused", 60) is not None, "shows the refusal"
        page = fetch(f"http://127.0.0.1:{port}/about.html")
        assert "evil.example" not in page and "uk/about.md" in page
        assert "evil.example" not in fetch(f"http://127.0.0.1:{port}/index.html")
    finally:
        server.terminate()
        server.wait(timeout=10)
