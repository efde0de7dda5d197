"""Time from saving a .po file to the preview serving the changed page.

    .venv/bin/python bench/serve_latency.py path/to/corpus [--lang uk] [--edits 3]

Starts ``site-gen serve --lang uk`` on the corpus (a folder with mkdocs.yml, such as one
``bench/run.py --keep`` leaves), waits until it serves, then changes one translation in a
``.po`` file several times.  For each edit it reports the seconds until the served page
shows the new text (polled every 50 ms), and restores the file at the end.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from babel.messages.pofile import read_po

BENCH = Path(__file__).resolve().parent
SITE_GEN = str(Path(sys.executable).parent / "site-gen")


def free_port() -> int:
    """A loopback port nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str:
    """The page's text, or "" when nothing answers."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def wait_for(url: str, text: str, seconds: float) -> float | None:
    """Seconds until the page at *url* shows *text* (polled every 50 ms); None if it never does."""
    started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        if text in fetch(url):
            return time.perf_counter() - started
        time.sleep(0.05)
    return None


def waited(url: str, text: str, seconds: float) -> float:
    found = wait_for(url, text, seconds)
    if found is None:
        raise RuntimeError(f"{url} did not show {text!r} within {seconds} s")
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--lang", default="uk")
    parser.add_argument("--edits", type=int, default=3)
    args = parser.parse_args()
    corpus = args.corpus.resolve()
    po = next(p for p in sorted((corpus / "locales" / args.lang / "LC_MESSAGES").rglob("*.po")) if p.stem != "_site")
    page = po.relative_to(corpus / "locales" / args.lang / "LC_MESSAGES").with_suffix(".html").as_posix()
    original = po.read_text(encoding="utf-8")
    with po.open("rb") as handle:
        message = next(m for m in read_po(handle) if m.id and m.string and "\n" not in m.string
                       and len(m.string) > 20)
    port = free_port()
    server = subprocess.Popen([SITE_GEN, "serve", "--lang", args.lang, "--dev-addr", f"127.0.0.1:{port}"],
                              cwd=corpus, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    url = f"http://127.0.0.1:{port}/{page}"
    seconds = []
    try:
        start = waited(url, "<html", 600)
        print(f"first preview served after {start:.1f} s")
        time.sleep(2)
        for number in range(args.edits):
            marker = f"Правка {number} {time.time_ns()}"
            quoted = message.string.replace('"', '\\"')
            po.write_text(original.replace(f'msgstr "{quoted}"', f'msgstr "{marker}"', 1), encoding="utf-8")
            seconds.append(waited(url, marker, 120))
            print(f"edit {number + 1}: {seconds[-1]:.2f} s from saving {po.name} to the changed page")
            time.sleep(1)
    finally:
        po.write_text(original, encoding="utf-8")
        server.terminate()
        server.wait(timeout=20)
    print(f"median {statistics.median(seconds):.2f} s over {len(seconds)} edits ({corpus.name}, {args.lang})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
