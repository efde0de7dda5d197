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
