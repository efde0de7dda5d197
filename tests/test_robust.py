"""The mistakes contributors really make, through the installed ``site-gen`` as a shell runs it.

Each case breaks a copy of the project one way; every command that reads what it broke
must end within 10 s (the issue's budget: CI must never sit until its timeout) with the
file and line, a fix, and no Python traceback.  The commands of all cases run a few at a
time, so the whole set costs a few seconds.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from bench.serve_latency import fetch, free_port, wait_for
from tests.conftest import copy_project

COMMAND = Path(sys.executable).with_name("site-gen")
#: Seconds a command may take on a broken project: far more than any of them needs.
TIMEOUT = 10
PAGE = "content/about.md"
PO = "locales/uk/LC_MESSAGES/about.po"


def site_gen(args: list[str], cwd: Path, timeout: float = TIMEOUT) -> subprocess.CompletedProcess[str]:
    env = {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}
    return subprocess.run([str(COMMAND), *args], cwd=cwd, capture_output=True, text=True, timeout=timeout,
                          env={**env, "SOURCE_DATE_EPOCH": "1700000000", "NO_MKDOCS_2_WARNING": "1"})


def replace_in(root: Path, name: str, old: str, new: str) -> None:
    path = root / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@dataclass(frozen=True)
class Case:
    """One mistake: what it does to the project, and where the message must point."""

    name: str
    breaks: Callable[[Path], None]
    where: str
    commands: tuple[str, ...] = ("build", "update", "check")


def _bad_yaml(root: Path) -> None:
    (root / PAGE).write_text("---\ntitle: [unclosed\n---\n\nText.\n", encoding="utf-8")


def _not_utf8(root: Path) -> None:
    (root / PAGE).write_bytes("---\ntitle: About\n---\n\nCaf\xe9 in Latin-1.\n".encode("latin-1"))


def _title_not_text(root: Path) -> None:
    (root / PAGE).write_text("---\ntitle: [1, 2]\n---\n\nText.\n", encoding="utf-8")


def _po_syntax(root: Path) -> None:
    with (root / PO).open("a", encoding="utf-8") as handle:
        handle.write('\nmsgid "Unclosed\nmsgstr ""\n')


def _po_line(root: Path) -> str:
    # The unclosed msgid's line: the file's last lines are the broken entry.
    return f"{PO}:{len((root / PO).read_text(encoding='utf-8').splitlines()) - 1}:"


CASES = [
    Case("invalid YAML front matter", _bad_yaml, f"{PAGE}:2:"),
    Case("a page that is not UTF-8", _not_utf8, f"{PAGE}:5:"),
    Case("a title that is not text", _title_not_text, f"{PAGE}:2:"),
    Case("a .po syntax error", _po_syntax, PO),
]


def _broken_copy(base: Path, case: Case) -> Path:
    root = copy_project(base / case.name.replace(" ", "-"))
    case.breaks(root)
    return root


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], subprocess.CompletedProcess[str]]:
    """Every case through each of its commands, two at a time (the machine's cores)."""
    base = tmp_path_factory.mktemp("robust")
    runs = [(case, command, _broken_copy(base / command, case)) for case in CASES for command in case.commands]
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        done = pool.map(lambda run: (run, site_gen(run[1].split(), run[2])), runs)
        return {(case.name, command): result for (case, command, _), result in done}


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_a_mistake_ends_every_command_at_once_with_file_line_and_a_fix(case: Case, outcomes) -> None:
    for command in case.commands:
        done = outcomes[case.name, command]
        output = done.stdout + done.stderr
        assert done.returncode == 1, f"{command}: {output}"
        assert case.where in done.stderr, f"{command}: {output}"
        assert "fix:" in done.stderr, f"{command}: {output}"
        assert "Traceback" not in output, f"{command}: {output}"


def test_serve_shows_each_mistake_in_the_browser_and_recovers(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    pristine = {name: (root / name).read_bytes() for name in (PAGE, PO)}
    port = free_port()
    log = (tmp_path / "serve.log").open("w+", encoding="utf-8")
    server = subprocess.Popen([str(COMMAND), "serve", "--lang", "uk", "-a", f"127.0.0.1:{port}"], cwd=root,
                              stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    url = f"http://127.0.0.1:{port}/about.html"
    try:
        assert wait_for(url, "Про цей сайт", 60) is not None, "server did not start"
        for case in CASES:
            case.breaks(root)
            where = _po_line(root) if case.breaks is _po_syntax else case.where
            started = time.perf_counter()
            # Every page shows the problem, not only the broken one, and no request waits for a good build.
            assert wait_for(url, where, TIMEOUT) is not None, f"{case.name}: {fetch(url)[:500]}"
            assert "fix:" in fetch(f"http://127.0.0.1:{port}/index.html")
            assert time.perf_counter() - started < TIMEOUT
            for name, data in pristine.items():
                (root / name).write_bytes(data)
            assert wait_for(url, "Про цей сайт", TIMEOUT) is not None, f"{case.name}: not fixed in the preview"
    finally:
        server.terminate()
        server.wait(timeout=10)
    log.seek(0)
    output = log.read()
    assert "Traceback" not in output, output
    assert "dirty" not in output and "not included in the \"nav\"" not in output, output
