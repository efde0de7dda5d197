"""Search at size: what the first query transfers and how soon its results show.

    .venv/bin/python bench/search.py                 # 1,000 pages, 5 runs per query
    .venv/bin/python bench/search.py --pages 30 --runs 1

Lays out the benchmark corpus (bench/prepare.py: N English pages, full pseudo-translated
uk and ru catalogs) in a temporary folder, builds it with ``site-gen build``, serves it on
127.0.0.1 and opens each language's search page in Debian's headless Chromium (Playwright,
the browser tests' flags) with the CPU slowed 4× (CDP ``Emulation.setCPUThrottlingRate``).
Run as root, the whole script runs in a network namespace with only loopback (``unshare -n``),
like .ci/browser.

For each query, each run starts with an empty browser cache.  After the search page has
loaded, the query is typed and submitted; measured are:

* **results after Enter**: ms from the submit to the first result in the page (the next frame);
* **results on load**: ms from navigation start to the first result, for ``search.html?q=…``;
* **first query, gzipped**: the search files the query needed (the page's ``sg_index.js``
  and ``site_gen_search.js``, the shards and the section texts loaded for it), each
  compressed with gzip -6 as a static host would send it; the search page's own HTML,
  CSS and Material's scripts are reported apart ("page").

The median of the runs is reported.  Results go to bench/results/search.md (and .json).
"""

from __future__ import annotations

import argparse
import functools
import gzip
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(REPO))

import prepare  # noqa: E402
import pseudo  # noqa: E402

from tests.browser.support import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

RESULTS = BENCH / "results"
#: English queries (uk and ru use their pseudo-translations, as the corpus does): the corpus's
#: most common word, a rarer one, and two words at once.
QUERIES = ("summons", "deferral", "medical check")
THROTTLE = 4
LANGUAGES = ("en", "uk", "ru")

#: Submits the query and resolves with the ms until the first result is in the page and drawn.
SUBMIT = """query => new Promise(resolve => {
  const out = document.getElementById("sg-search-results");
  const input = document.getElementById("sg-q");
  const started = performance.now();
  new MutationObserver((_, observer) => {
    if (!out.querySelector("ol li")) return;
    observer.disconnect();
    requestAnimationFrame(() => resolve({ms: performance.now() - started, since: started}));
  }).observe(out, {childList: true, subtree: true});
  input.value = query;
  document.getElementById("sg-search-form").requestSubmit();
})"""
#: Installed before the page's own scripts: the time (since navigation start) the first result is drawn.
ON_LOAD = """new MutationObserver((_, observer) => {
  if (!document.querySelector("#sg-search-results ol li")) return;
  observer.disconnect();
  requestAnimationFrame(() => { window.__sgResults = performance.now(); });
}).observe(document, {childList: true, subtree: true});"""
RESOURCES = "() => performance.getEntriesByType('resource').map(e => ({name: e.name, start: e.startTime}))"


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def in_namespace() -> None:
    """Run this script again inside a network namespace with only loopback (as root)."""
    if os.geteuid() != 0 or os.environ.get("SITE_GEN_BENCH_NETNS") == "1" or not shutil.which("unshare"):
        return
    command = " ".join(f"'{arg}'" for arg in [sys.executable, *sys.argv])
    os.environ["SITE_GEN_BENCH_NETNS"] = "1"
    os.execvp("unshare", ["unshare", "-n", "bash", "-c", f"ip link set lo up && exec {command}"])


@functools.cache
def gzipped(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=6, mtime=0))


def local_file(site: Path, url: str) -> Path:
    return site / unquote(urlsplit(url).path).lstrip("/")


def is_search_file(url: str) -> bool:
    path = urlsplit(url).path
    return "/search/" in path or path.endswith("/site_gen_search.js")


def measure(browser: Any, site: Path, base: str, lang: str, query: str) -> dict[str, float]:
    """One cold run of *query* in *lang*: times and gzipped bytes."""
    context = browser.new_context(locale="en-US")
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": THROTTLE})
        page.goto(f"{base}/{lang}/search.html", wait_until="load")
        submitted = page.evaluate(SUBMIT, query)
        loaded = page.evaluate(RESOURCES)
        search_bytes = sum(gzipped(local_file(site, r["name"])) for r in loaded if is_search_file(r["name"]))
        query_bytes = sum(gzipped(local_file(site, r["name"])) for r in loaded
                          if is_search_file(r["name"]) and r["start"] >= submitted["since"])
        page_bytes = gzipped(site / lang / "search.html") + sum(
            gzipped(local_file(site, r["name"])) for r in loaded if not is_search_file(r["name"]))
        shards = sum(1 for r in loaded
                     if r["start"] >= submitted["since"] and r["name"].rsplit("/", 1)[1].startswith("s"))
        page.close()
        page = context.new_page()
        page.add_init_script(ON_LOAD)
        cdp = context.new_cdp_session(page)
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": THROTTLE})
        page.goto(f"{base}/{lang}/search.html?q={quote(query)}")
        page.wait_for_function("() => window.__sgResults !== undefined", polling=50)
        on_load = page.evaluate("() => window.__sgResults")
        return {"after_enter_ms": submitted["ms"], "on_load_ms": on_load, "first_query_kb": search_bytes / 1000,
                "query_files_kb": query_bytes / 1000, "page_kb": page_bytes / 1000, "files": len(loaded),
                "shards": shards}
    finally:
        context.close()


def index_facts(site: Path, lang: str) -> dict[str, float]:
    """Sizes of one language's whole index (all its files), raw and gzipped, and its file count."""
    files = [p for p in (site / lang / "search").rglob("*.js") if p.is_file()]
    return {"files": len(files), "mb": sum(p.stat().st_size for p in files) / 1e6,
            "gzipped_kb": sum(gzipped(p) for p in files) / 1000,
            "largest_shard_gzipped_kb": max((gzipped(p) for p in files if p.name.startswith("s")), default=0) / 1000}


def markdown(report: dict[str, Any]) -> str:
    lines = [
        f"# Search benchmark — {report['pages']} pages per language",
        "",
        f"Headless Chromium ({report['chromium']}), CPU throttled {THROTTLE}×, empty cache each run, "
        f"median of {report['runs']} runs; site served from 127.0.0.1 (no network latency). "
        f"Machine: {report['machine']}; load average during the runs {report['load'][0]:.1f} to "
        f"{report['load'][1]:.1f} (other processes slow the browser). "
        "Budget: first query ≤ 100 KB gzipped, results ≤ 300 ms.",
        "",
        "| lang | query | results after Enter, ms | results on load, ms | first query, KB gz "
        "| of which after Enter | shards | search page (not search), KB gz |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in report["rows"]:
        lines.append(f"| {row['lang']} | {row['query']} | {row['after_enter_ms']:.0f} | {row['on_load_ms']:.0f} "
                     f"| {row['first_query_kb']:.1f} | {row['query_files_kb']:.1f} | {row['shards']:.0f} "
                     f"| {row['page_kb']:.1f} |")
    lines += ["", "Whole index per language (every shard and text file):", "",
              "| lang | files | MB | KB gzipped | largest shard, KB gz |", "|---|---:|---:|---:|---:|"]
    for lang, facts in report["indexes"].items():
        lines.append(f"| {lang} | {facts['files']} | {facts['mb']:.1f} | {facts['gzipped_kb']:.0f} "
                     f"| {facts['largest_shard_gzipped_kb']:.1f} |")
    worst = max(report["rows"], key=lambda r: r["first_query_kb"])
    slowest = max(report["rows"], key=lambda r: r["after_enter_ms"])
    lines += ["", f"Largest first query: {worst['first_query_kb']:.1f} KB ({worst['lang']}, {worst['query']!r}); "
              f"slowest results after Enter: {slowest['after_enter_ms']:.0f} ms "
              f"({slowest['lang']}, {slowest['query']!r})."]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--keep", action="store_true", help="keep the corpus folder and print where it is")
    parser.add_argument("--corpus", type=Path, help="a corpus folder --keep left: built again, not made again")
    args = parser.parse_args(argv)
    in_namespace()
    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="site_gen-search-bench."))
    try:
        folder = args.corpus.resolve() if args.corpus else work / "corpus"
        if not args.corpus:
            prepare.make_corpus(folder, args.pages, args.seed, static_i18n=False)
        prepare.run_checked([prepare.SITE_GEN, "build"], folder)
        site = folder / "site"
        server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_port}"
        rows, load = [], [os.getloadavg()[0]]
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            chromium = browser.version
            try:
                for lang in LANGUAGES:
                    for english in QUERIES:
                        query = english if lang == "en" else pseudo.pseudo(english, lang)
                        runs = [measure(browser, site, base, lang, query) for _ in range(args.runs)]
                        row = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
                        rows.append({"lang": lang, "query": query, **row})
                        load.append(os.getloadavg()[0])
                        print(f"{lang} {query}: {row['after_enter_ms']:.0f} ms, {row['first_query_kb']:.1f} KB",
                              flush=True)
            finally:
                browser.close()
        server.shutdown()
        report = {"pages": args.pages, "runs": args.runs, "chromium": chromium, "rows": rows,
                  "machine": f"{os.cpu_count()} cores, Python {platform.python_version()}",
                  "load": [min(load), max(load)],
                  "indexes": {lang: index_facts(site, lang) for lang in LANGUAGES}}
        RESULTS.mkdir(exist_ok=True)
        (RESULTS / "search.json").write_text(json.dumps(report, indent=1), encoding="utf-8")
        text = markdown(report)
        (RESULTS / "search.md").write_text(text, encoding="utf-8")
        print(text)
    finally:
        if args.keep:
            print(f"corpus kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
