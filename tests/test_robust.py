"""The mistakes contributors really make, through the installed ``site-gen`` as a shell runs it.

Each case breaks a copy of the project one way; every command that reads what it broke
must end within 10 s (the issue's budget: CI must never sit until its timeout) with the
file and line, a fix, and no Python traceback.  The commands of all cases run a few at a
time, so the whole set costs a few seconds.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from bench.serve_latency import fetch, free_port, wait_for
from site_gen.settings import write_lock
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


def line_of(root: Path, name: str, text: str) -> int:
    return next(number for number, line in enumerate((root / name).read_text(encoding="utf-8").splitlines(), 1)
                if text in line)


@dataclass(frozen=True)
class Case:
    """One mistake: what it does to the project, where the message must point (``file:line:``,
    or a function of the broken project giving it) and what else it must say."""

    name: str
    breaks: Callable[[Path], None]
    where: str | Callable[[Path], str]
    says: str = "fix:"
    commands: tuple[str, ...] = ("build", "update", "check")

    def location(self, root: Path) -> str:
        return self.where if isinstance(self.where, str) else self.where(root)


def _setting(old: str, new: str) -> Callable[[Path], None]:
    return lambda root: replace_in(root, "mkdocs.yml", old, new)


def _config_line(text: str) -> Callable[[Path], str]:
    return lambda root: f"mkdocs.yml:{line_of(root, 'mkdocs.yml', text)}:"


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


def _cp1251(root: Path) -> None:
    (root / PO).write_bytes((root / PO).read_text(encoding="utf-8").encode("cp1251", errors="replace"))


def _first_non_ascii(root: Path) -> str:
    data = (root / PO).read_bytes()
    line = data[:next(i for i, byte in enumerate(data) if byte > 127)].count(b"\n") + 1
    return f"{PO}:{line}:"


def _field(name: str, value: str) -> Callable[[Path], None]:
    """The page's front-matter field *name* set to *value*, whatever the page says today."""
    def breaks(root: Path) -> None:
        text = (root / PAGE).read_text(encoding="utf-8")
        changed = re.sub(rf"^{name}:.*$", f"{name}: {value}", text, count=1, flags=re.M)
        assert changed != text, f"no {name} in {PAGE}"
        (root / PAGE).write_text(changed, encoding="utf-8")
    return breaks


def _after_title(lines: str) -> Callable[[Path], None]:
    """*lines* added to the page's front matter, after its title (line 2)."""
    def breaks(root: Path) -> None:
        text = (root / PAGE).read_text(encoding="utf-8").split("\n")
        assert text[1].startswith("title:")
        (root / PAGE).write_text("\n".join([*text[:2], lines, *text[2:]]), encoding="utf-8")
    return breaks


def _page_line(text: str) -> Callable[[Path], str]:
    return lambda root: f"{PAGE}:{line_of(root, PAGE, text)}:"


LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n" \
         "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]"


def _link(name: str, target: str) -> Callable[[Path], None]:
    return lambda root: (root / name).symlink_to(target)


def _write(name: str, text: str) -> Callable[[Path], None]:
    return lambda root: (root / name).write_text(text, encoding="utf-8")


def _catalogs_elsewhere(root: Path) -> None:
    folder = root / "locales/uk/LC_MESSAGES"
    elsewhere = root.parent / f"{root.name}-elsewhere"
    folder.rename(elsewhere)
    folder.symlink_to(elsewhere, target_is_directory=True)


CASES = [
    Case("invalid YAML front matter", _bad_yaml, f"{PAGE}:2:"),
    Case("a page that is not UTF-8", _not_utf8, f"{PAGE}:5:"),
    Case("a title that is not text", _title_not_text, f"{PAGE}:2:"),
    Case("a .po syntax error", _po_syntax, _po_line),
    # Configuration: each once built a smaller site, deleting languages from site/, or gave a traceback.
    Case("a mistyped setting", _setting("    languages:", "    languges:"), _config_line("languges:"),
         "did you mean 'languages'?"),
    Case("a mistyped threshold", _setting("publish_threshold:", "publish_treshold:"),
         _config_line("publish_treshold:"), "did you mean 'publish_threshold'?", ("build", "check")),
    Case("languages as one text", _setting("[en, uk, ru]", "en, uk, ru"), _config_line("languages:"),
         "write languages: [en, uk, ru]", ("build", "check")),
    Case("a threshold with %", _setting("publish_threshold: 80", 'publish_threshold: "80%"'),
         _config_line("publish_threshold:"), "write publish_threshold: 80", ("build", "check")),
    Case("a threshold as text per language", _setting("publish_threshold: 80", 'publish_threshold: {uk: "80"}'),
         _config_line("publish_threshold:"), "write uk: 80", ("build", "check")),
    # Catalogs the build once read as English without a word.
    Case("a catalog saved as Windows-1251", _cp1251, _first_non_ascii, "not UTF-8"),
    Case("a catalog declaring charset=cp1251", lambda root: replace_in(root, PO, "charset=UTF-8", "charset=cp1251"),
         lambda root: f"{PO}:{line_of(root, PO, 'charset=')}:", "charset=UTF-8"),
    # Front matter check passed and the build refused, or that gave a traceback, or 3 GB.
    Case("a site_gen key in front matter", _after_title("site_gen: {lang: en}"), f"{PAGE}:3:", "reserved"),
    Case("an impossible date", _field("published", "2026-02-30"), _page_line("published:"), "not a real date"),
    Case("a far-future date", _field("last_reviewed", "2206-01-01"), _page_line("last_reviewed:"), "2206"),
    Case("a billion laughs", _after_title(LAUGHS), PAGE, "aliases"),
    # Files from outside the project, published in three languages and the offline ZIP.
    Case("a page linking to /etc/passwd", _link("content/leak.md", "/etc/passwd"), "content/leak.md: error:",
         "symbolic link", ("build", "check")),
    Case("a text file linking to the environment", _link("content/env.txt", "/proc/self/environ"),
         "content/env.txt: error:", "symbolic link", ("build", "check")),
    Case("catalogs in a folder elsewhere", _catalogs_elsewhere, "locales/uk/LC_MESSAGES: error:", "symbolic link",
         ("update", "build")),
    # Served from the site's origin, a script in them runs with the site's rights.
    Case("an SVG with a script", _write("content/logo.svg", '<svg xmlns="http://www.w3.org/2000/svg">'
                                        "<script>alert(document.cookie)</script></svg>"),
         "content/logo.svg: error:", "PNG or WebP", ("build", "check")),
    Case("an .htm page", _write("content/old.htm", "<p onclick=alert(1)>Old page</p>"), "content/old.htm: error:",
         "Markdown page", ("build", "check")),
    Case("a nav entry to a missing page", _setting("  - timeline.md", "  - timline.md"), _config_line("timline.md"),
         "did you mean timeline.md?", ("build", "check")),
]

#: The mistakes a preview meets while it runs (it reads the configuration and folders once, at its start).
SERVED = [case for case in CASES if case.name in (
    "invalid YAML front matter", "a page that is not UTF-8", "a title that is not text", "a .po syntax error",
    "a catalog saved as Windows-1251", "an impossible date", "a billion laughs")]

#: What each broken project's site/ holds before the command: a failing command leaves it as it is.
PUBLISHED = {"site/index.html": b"<p>published</p>", "site/uk/index.html": b"<p>uk</p>", "site/ru/index.html": b"ru"}


def _broken_copy(base: Path, case: Case) -> Path:
    root = copy_project(base / case.name.replace(" ", "-"))
    for name, data in PUBLISHED.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    case.breaks(root)
    return root


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], subprocess.CompletedProcess[str]]:
    """Every case through each of its commands, two at a time (the machine's cores)."""
    base = tmp_path_factory.mktemp("robust")
    runs = [(case, command, _broken_copy(base / command, case)) for case in CASES for command in case.commands]
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        done = pool.map(lambda run: (run, site_gen(run[1].split(), run[2])), runs)
        return {(case.name, command): (root, result) for (case, command, root), result in done}


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_a_mistake_ends_every_command_at_once_with_file_line_and_a_fix(case: Case, outcomes) -> None:
    for command in case.commands:
        root, done = outcomes[case.name, command]
        output = done.stdout + done.stderr
        assert done.returncode == 1, f"{command}: {output}"
        assert case.location(root) in done.stderr, f"{command}: {output}"
        assert "fix:" in done.stderr and case.says in done.stderr, f"{command}: {output}"
        assert "Traceback" not in output, f"{command}: {output}"
        assert {name: (root / name).read_bytes() for name in PUBLISHED} == PUBLISHED, "site/ was changed"
        assert not (root / ".site.new").exists()


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
        for case in SERVED:
            case.breaks(root)
            where = case.location(root)
            started = time.perf_counter()
            # Every page shows the problem, not only the broken one, and no request waits for a good build.
            assert wait_for(url, where, TIMEOUT) is not None, f"{case.name}: {fetch(url)[:500]}"
            assert "fix:" in fetch(f"http://127.0.0.1:{port}/index.html")
            assert time.perf_counter() - started < TIMEOUT
            for name, data in pristine.items():
                (root / name).write_bytes(data)
            assert wait_for(url, "Про цей сайт", TIMEOUT) is not None, f"{case.name}: not fixed in the preview"

        # Between rebuilds serve holds no lock: an update in another terminal runs.
        done = site_gen(["update"], root)
        assert done.returncode == 0, done.stderr
        # While another command writes, a rebuild waits for it, then shows the edit.
        with write_lock(root, "update"):
            replace_in(root, PO, 'msgstr "Про цей сайт"', 'msgstr "Про сайт (нова назва)"')
            time.sleep(1.5)
            assert "Про сайт (нова назва)" not in fetch(url), "the rebuild did not wait for the lock"
        assert wait_for(url, "Про сайт (нова назва)", TIMEOUT) is not None, "the rebuild never came"
    finally:
        server.terminate()
        server.wait(timeout=10)
    log.seek(0)
    output = log.read()
    assert "Traceback" not in output, output
    assert "dirty" not in output and "not included in the \"nav\"" not in output, output
    assert f"waiting for process {os.getpid()} (site-gen update) to finish" in output


def test_one_command_changes_the_project_at_a_time(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    with write_lock(root, "build"):  # a build running in another terminal
        for command in (["update"], ["build"]):
            done = site_gen(command, root)
            assert done.returncode == 1, done.stdout + done.stderr
            assert done.stderr.startswith("build/site-gen.lock: error: another site-gen command is changing "
                                          f"this project: process {os.getpid()} (site-gen build)"), done.stderr
        done = site_gen(["update", "--check"], root)  # reading is never refused
        assert done.returncode == 0, done.stdout + done.stderr
    assert site_gen(["update"], root).returncode == 0, "the lock goes with its holder"


def test_a_byte_order_mark_in_a_catalog_is_dropped_with_a_warning(tmp_path: Path) -> None:
    from site_gen.project import Project

    root = copy_project(tmp_path)
    clean = (root / PO).read_bytes()
    expected = Project.load(root / "mkdocs.yml").translations("uk", "about.md")
    (root / PO).write_bytes(b"\xef\xbb\xbf" + clean)
    assert Project.load(root / "mkdocs.yml").translations("uk", "about.md") == expected  # not English
    done = site_gen(["check"], root)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"{PO}:1: warning: the file starts with a byte-order mark" in done.stderr
    done = site_gen(["update"], root)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (root / PO).read_bytes() == clean, "update writes the catalog without the mark, and changes nothing else"


def _add_sentence(root: Path) -> None:
    page = root / PAGE
    text = page.read_text(encoding="utf-8")
    paragraph = next(block for block in text.split("\n\n") if block[:1].isalpha())
    page.write_text(text.replace(paragraph, paragraph + " An added sentence.", 1), encoding="utf-8")


def test_update_keeps_a_catalog_saved_while_it_ran(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from site_gen.commands import write_planned as _report
    from site_gen.errors import SiteGenErrors
    from site_gen.project import Project

    root = copy_project(tmp_path)
    _add_sentence(root)
    project = Project.load(root / "mkdocs.yml")
    planned = project.plan(project.targets, create=True, jobs=1)  # what `update` computes from the files it read
    assert planned[root / PO] is not None
    # The translator saves about.po in Poedit after update read it, before update writes it.
    saved = (root / PO).read_text(encoding="utf-8").replace('msgstr ""', 'msgstr "Щойно перекладено."', 1)
    (root / PO).write_text(saved, encoding="utf-8")
    with pytest.raises(SiteGenErrors) as raised:
        _report(project, planned, "updated")
    assert (root / PO).read_text(encoding="utf-8") == saved, "the translator's file is kept"
    assert str(raised.value).startswith(f"{PO}: error: was saved by someone else")
    assert "updated locales/templates/about.pot" in capsys.readouterr().out, "the other files are written"
    assert not list((root / "build" / "tmp").iterdir()), "no temporary file is left"


def test_catalogs_keep_their_permissions_and_new_ones_get_the_umask(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    _add_sentence(root)
    (root / PO).chmod(0o664)  # a shared checkout: the group may write
    ru = root / "locales/ru/LC_MESSAGES/about.po"
    ru.chmod(0o644)
    done = site_gen(["update"], root)
    assert done.returncode == 0, done.stderr
    assert f"updated {PO}" in done.stdout and f"updated {ru.relative_to(root)}" in done.stdout
    assert (root / PO).stat().st_mode & 0o777 == 0o664
    assert ru.stat().st_mode & 0o777 == 0o644
    (root / "content/new-page.md").write_text("---\ntitle: New\n---\n\nText.\n", encoding="utf-8")
    done = site_gen(["update"], root)
    assert done.returncode == 0, done.stderr
    created = root / "locales/uk/LC_MESSAGES/new-page.po"
    assert created.stat().st_mode & 0o777 == 0o666 & ~_umask(), "not mkstemp's 0600"


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_counts_in_messages_agree_with_their_nouns(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "content/index.md").write_text("---\ntitle: Home\n---\n\nText.\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: One page\ndocs_dir: content\n", encoding="utf-8")
    done = site_gen(["extract"], tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "1 page template, 2 changed"



#: A web server looking for site/ while builds replace it: counts the times it is not there.
WATCHER = """
import os, sys
folder, stop = sys.argv[1], sys.argv[2]
missing = 0
print("watching", flush=True)
while not os.path.exists(stop):
    missing += not os.path.isdir(folder)
print(missing)
"""


def test_the_published_folder_is_never_missing_while_a_new_site_replaces_it(tmp_path: Path) -> None:
    from site_gen.build import exchange, swap

    final, staging, stop = tmp_path / "site", tmp_path / ".site.new", tmp_path / "stop"
    final.mkdir()
    assert exchange(final, final), "this file system swaps folders in one step (renameat2)"
    # In another process, so that it looks between any two system calls (two renames: ~1,500 misses).
    watcher = subprocess.Popen([sys.executable, "-c", WATCHER, str(final), str(stop)], stdout=subprocess.PIPE,
                               text=True)
    assert watcher.stdout is not None and watcher.stdout.readline() == "watching\n"
    for number in range(300):
        staging.mkdir()
        (staging / "index.html").write_text(str(number))
        swap(staging, final)
    stop.write_text("")
    missing = int(watcher.communicate(timeout=TIMEOUT)[0])
    assert (final / "index.html").read_text() == "299" and not staging.exists()
    assert not (tmp_path / ".site.old").exists()
    assert missing == 0, f"site/ was missing {missing} times"


def test_a_build_puts_back_the_site_an_interrupted_swap_left_aside(tmp_path: Path) -> None:
    """Where folders cannot be exchanged, the swap renames twice; killed between the two, it
    leaves no site/ and the old one in .site.old.  The next build puts it back first, even
    one that then fails."""
    root = copy_project(tmp_path)
    (root / ".site.old" / "uk").mkdir(parents=True)
    (root / ".site.old" / "uk" / "index.html").write_text("published")
    _bad_yaml(root)
    done = site_gen(["build"], root)
    assert done.returncode == 1 and f"{PAGE}:2:" in done.stderr
    assert "put back site/" in done.stderr
    assert (root / "site" / "uk" / "index.html").read_text() == "published"
    assert not (root / ".site.old").exists()


def test_images_and_documents_in_content_are_published_and_hidden_files_are_not(tmp_path: Path) -> None:
    from site_gen.build import assets
    from site_gen.project import Project

    root = copy_project(tmp_path)
    (root / "content/images").mkdir()
    (root / "content/images/map.png").write_bytes(b"\x89PNG\r\n")
    (root / "content/summons-form.pdf").write_bytes(b"%PDF-1.4")
    (root / "content/.DS_Store").write_bytes(b"\0")
    project = Project.load(root / "mkdocs.yml")
    assert assets(project) == {"images/map.png": b"\x89PNG\r\n", "summons-form.pdf": b"%PDF-1.4"}


def _small_disk() -> None:
    """In the child: files may not grow past 4 KB, as on a full disk (the write fails, the process goes on)."""
    import resource
    import signal

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))


def test_a_full_disk_during_update_names_the_file_and_loses_nothing(tmp_path: Path) -> None:
    root, roomy = copy_project(tmp_path / "full"), copy_project(tmp_path / "roomy")
    for project in (root, roomy):
        _add_sentence(project)
    assert site_gen(["update"], roomy).returncode == 0

    def catalogs(project: Path) -> dict[str, bytes]:
        return {path.relative_to(project).as_posix(): path.read_bytes() for path in project.rglob("locales/**/*.po*")}

    before, updated = catalogs(root), catalogs(roomy)
    done = subprocess.run([str(COMMAND), "update"], cwd=root, capture_output=True, text=True, timeout=TIMEOUT,
                          preexec_fn=_small_disk, env={**os.environ, "SOURCE_DATE_EPOCH": "1700000000"})
    assert done.returncode == 1, done.stdout + done.stderr
    assert done.stderr.startswith("locales/") and ": error: File too large" in done.stderr, done.stderr
    assert "fix: " in done.stderr and "Traceback" not in done.stderr
    after = catalogs(root)
    assert after.keys() == before.keys()
    half = [name for name, data in after.items() if data not in (before[name], updated[name])]
    assert half == [], "each catalog is the old one or the whole new one"
    assert after != updated, "the disk was full before the last catalog"


@pytest.mark.parametrize("delay", [0.0, 0.4, 1.5])
def test_ctrl_c_at_any_moment_of_a_build_says_one_line_and_leaves_nothing_half_written(tmp_path: Path,
                                                                                      delay: float) -> None:
    import signal

    root = copy_project(tmp_path)
    for name, data in PUBLISHED.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    # In its own process group, as a terminal runs it: Ctrl-C reaches site-gen and its workers.
    build = subprocess.Popen([str(COMMAND), "build"], cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, start_new_session=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    lock = root / "build" / "site-gen.lock"
    started = time.perf_counter()
    while str(build.pid) not in (lock.read_text() if lock.exists() else "") and build.poll() is None:
        assert time.perf_counter() - started < TIMEOUT, "the build never started"
        time.sleep(0.01)
    time.sleep(delay)
    os.killpg(build.pid, signal.SIGINT)
    out, err = build.communicate(timeout=TIMEOUT)
    assert "Traceback" not in out + err, err
    if build.returncode == 0:  # done before Ctrl-C came: a whole new site
        assert (root / "site/uk/index.html").read_bytes() != PUBLISHED["site/uk/index.html"]
    else:
        assert build.returncode == 130, err
        assert err.strip().splitlines()[-1] == "interrupted; nothing was left half-written", err
        assert {name: (root / name).read_bytes() for name in PUBLISHED} == PUBLISHED, "the old site stays"
    assert not (root / ".site.new").exists() and not (root / ".site.old").exists()
    assert not list((root / "locales").rglob("*.tmp"))


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("unshare"), reason="needs root for a mount namespace")
def test_a_read_only_catalog_folder_is_named_and_nothing_is_lost(tmp_path: Path) -> None:
    """The catalogs' folder read-only (a bind mount, in a mount namespace of the test's own: as
    root, file modes alone would not stop a write): update names the folder and writes nothing."""
    root = copy_project(tmp_path)
    _add_sentence(root)
    folder = root / "locales/uk/LC_MESSAGES"
    before = {path.name: path.read_bytes() for path in folder.iterdir()}
    script = (f'mount --bind "{folder}" "{folder}" && mount -o remount,bind,ro "{folder}" '
              f'&& exec "{COMMAND}" update')
    done = subprocess.run(["unshare", "-m", "sh", "-c", script], cwd=root, capture_output=True, text=True,
                          timeout=TIMEOUT, env={**os.environ, "SOURCE_DATE_EPOCH": "1700000000"})
    assert done.returncode == 1, done.stdout + done.stderr
    assert "locales/uk/LC_MESSAGES/" in done.stderr and "fix: " in done.stderr, done.stderr
    assert "Traceback" not in done.stderr
    assert {path.name: path.read_bytes() for path in folder.iterdir()} == before



def test_ctrl_c_while_site_gen_starts_says_one_line(tmp_path: Path) -> None:
    """Ctrl-C that arrives while the command still imports (before main() can catch it)."""
    script = ("import sys; sys.argv[0] = 'site-gen'; import os, signal, site_gen; "
              "os.kill(os.getpid(), signal.SIGINT); import time; time.sleep(5); print('not stopped')")
    done = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True,
                          timeout=TIMEOUT)
    assert done.returncode == 130 and "not stopped" not in done.stdout
    assert done.stderr == "interrupted; nothing was left half-written\n"
    # A program that imports site_gen keeps its own Ctrl-C.
    library = subprocess.run([sys.executable, "-c", "import signal, site_gen; "
                              "print(signal.getsignal(signal.SIGINT) is signal.default_int_handler)"],
                             cwd=tmp_path, capture_output=True, text=True, timeout=TIMEOUT)
    assert library.stdout.strip() == "True"
