"""The ``site-gen`` command as a shell runs it: its output, exit status and clean-ups."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import copy_project

COMMAND = Path(sys.executable).with_name("site-gen")


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    # Piped, so stdout is block-buffered: what is still in the buffer at exit must arrive.
    env = {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=120,
                          env={**env, "SOURCE_DATE_EPOCH": "1700000000"})


def test_the_installed_command_delivers_all_its_output_through_a_pipe(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    done = run([str(COMMAND), "stats", "--json"], project)
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout)  # the whole document, not a prefix cut at exit
    assert figures and done.stdout.endswith("}\n")
    done = run([str(COMMAND), "extract"], project)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1].endswith("page templates, 0 changed")


def test_an_error_exits_with_status_1_and_says_what_to_fix(tmp_path: Path) -> None:
    done = run([sys.executable, "-m", "site_gen", "-f", "missing.yml", "build"], tmp_path)
    assert done.returncode == 1
    assert "missing.yml" in done.stderr
    assert not (tmp_path / "site").exists()


def test_clean_ups_registered_during_a_command_still_run_at_exit(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    script = ("import atexit, sys\n"
              "from site_gen import cli\n"
              "atexit.register(lambda: open('cleaned', 'w').write('yes'))\n"
              "sys.argv = ['site-gen', 'extract']\n"
              "cli.run()\n")
    done = run([sys.executable, "-c", script], project)
    assert done.returncode == 0, done.stderr
    assert (project / "cleaned").read_text() == "yes"


def test_a_reader_that_stops_early_gets_no_traceback(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    # Unbuffered, each line is written at once: the first write after the reader left fails.
    process = subprocess.Popen([str(COMMAND), "stats"], cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               env={**os.environ, "PYTHONUNBUFFERED": "1"})
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # like `site-gen stats | head -0`
    errors = process.stderr.read().decode()
    assert process.wait(timeout=120) == 1
    assert "Traceback" not in errors and "BrokenPipeError" not in errors


def test_version_names_site_gen_and_the_tools_that_shape_the_output(tmp_path: Path) -> None:
    from importlib import metadata

    import site_gen

    done = run([str(COMMAND), "--version"], tmp_path)
    assert done.returncode == 0, done.stderr
    line = done.stdout.strip()
    assert line.startswith(f"site-gen {site_gen.__version__} (Python ")
    assert site_gen.__version__ == metadata.version("site-gen")  # the package and the code agree
    for name in ("mkdocs", "mkdocs-material", "babel", "markdown"):
        assert f"{name} {metadata.version(name)}" in line
