"""Valid HTML (issue 22): the W3C Nu HTML checker (vnu-jar from npm, pinned by package-lock.json,
run with Debian's Java) finds no error on any page of the built site.  Here with the browser
tests because it needs what .ci/browser installs (npm packages, a Java runtime)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.browser.support import ROOT

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def test_nu_html_checker_finds_no_error_on_any_page(built_site: Path) -> None:
    java = shutil.which("java")
    if java is None:
        pytest.fail("java is missing: apt-get install default-jre-headless (or run .ci/browser)")
    assert VNU.exists(), f"{VNU} is missing: run `npm ci --ignore-scripts` at the repository root"
    pages = sorted(built_site.rglob("*.html"))
    assert len(pages) > 30
    done = subprocess.run([java, "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, pages)],
                          capture_output=True, text=True, timeout=300)
    messages = json.loads(done.stderr or done.stdout or "{}").get("messages", [])
    errors = [m for m in messages if m.get("type") == "error" or m.get("subType") == "fatal"]
    assert done.returncode == 0 or errors, done.stderr[-2000:]
    assert not errors, f"{len(errors)} errors:\n" + "\n".join(
        f"{m.get('url', '?').rsplit('/site/', 1)[-1]}:{m.get('lastLine', '?')}: {m.get('message')}"
        for m in errors[:40])
