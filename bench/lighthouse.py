"""Lighthouse 12 (mobile, simulated throttling) on the built site served as a static host
would serve it (gzip, the headers of site/_headers: bench/static_host.py), in a network
namespace with only loopback; the median of each score over the runs.  Not a CI gate.

    bash .ci/browser                              # once: Debian's chromium, the .venv
    npm ci --ignore-scripts --prefix bench/lighthouse
    .venv/bin/site-gen build
    .venv/bin/python bench/lighthouse.py --runs 3  # → bench/results/lighthouse.md and .json

Pages: the root chooser, and in every language the home page, a topic page, the glossary and
the search page.  The root is measured with Chrome's language set to one the site does not
have (German), so that the chooser itself is measured, not the redirect its script makes for
a reader whose language the site has.  Lighthouse 12 because 13 needs Node 22.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.static_host import serve  # noqa: E402

LIGHTHOUSE = ROOT / "bench" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
METRICS = ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time", "cumulative-layout-shift",
           "speed-index")
CHROME_FLAGS = ("--headless=new --no-sandbox --disable-gpu --disable-background-networking "
                "--disable-component-update --disable-sync --no-first-run")
PAGES = ("index.html", "russia-digital-summons.html", "glossary.html", "search.html")


def pages(languages: list[str]) -> list[str]:
    return ["index.html", *(f"{lang}/{page}" for lang in languages for page in PAGES)]


def run_once(url: str, root_page: bool, tries: int = 3) -> dict:
    flags = CHROME_FLAGS + (" --lang=de --accept-lang=de" if root_page else "")
    for _ in range(tries):
        done = subprocess.run(
            [str(LIGHTHOUSE), url, "--output=json", "--output-path=stdout", "--quiet",
             f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={flags}"],
            capture_output=True, text=True, env={**os.environ, "CHROME_PATH": CHROME}, timeout=300)
        # Lighthouse now and then loses the page's trace (NO_NAVSTART): that run is run again.
        if done.returncode == 0:
            break
    else:
        raise SystemExit(f"lighthouse failed on {url}:\n{done.stderr[-3000:]}")
    report = json.loads(done.stdout)
    if report["finalDisplayedUrl"] != url:
        raise SystemExit(f"{url} went on to {report['finalDisplayedUrl']}: that page would be measured")
    failed = {category: [audit for audit in report["categories"][category]["auditRefs"]
                         if audit["weight"] and (report["audits"][audit["id"]]["score"] or 0) < 1]
              for category in CATEGORIES if category != "performance"}
    return {
        "scores": {c: round(report["categories"][c]["score"] * 100) for c in CATEGORIES},
        "metrics": {m: report["audits"][m]["numericValue"] for m in METRICS},
        "failed": {c: [a["id"] for a in audits] for c, audits in failed.items() if audits},
        "version": report["lighthouseVersion"],
        "final_url": report["finalDisplayedUrl"],
        "user_agent": report["environment"]["hostUserAgent"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--site", type=Path, default=ROOT / "site")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "lighthouse")
    parser.add_argument("--only", nargs="*", help="page paths (default: all)")
    parser.add_argument("--resume", action="store_true", help="keep the pages already in OUT.json")
    parser.add_argument("--inside", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not args.inside:
        # A namespace with only loopback: the site may call no other host, nor may Chrome.
        command = " ".join(map(shlex_quote, [sys.executable, __file__, "--inside", *sys.argv[1:]]))
        unshare = ["unshare", "-n"] if os.geteuid() == 0 else ["unshare", "-rn"]
        raise SystemExit(subprocess.call([*unshare, "bash", "-c", f"ip link set lo up && exec {command}"]))
    if not LIGHTHOUSE.exists():
        raise SystemExit(f"{LIGHTHOUSE} is missing: npm ci --ignore-scripts --prefix bench/lighthouse")
    if not (args.site / "index.html").exists():
        raise SystemExit(f"no site in {args.site}: run site-gen build first")
    languages = sorted(p.name for p in args.site.iterdir() if (p / "search.html").exists())
    server = serve(args.site)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}/"
    saved = args.out.with_suffix(".json")
    results: dict[str, list[dict]] = json.loads(saved.read_text()) if args.resume and saved.exists() else {}
    started = time.perf_counter()
    for path in args.only or pages(languages):
        if path in results:
            continue
        results[path] = [run_once(base + path, path == "index.html") for _ in range(args.runs)]
        saved.parent.mkdir(parents=True, exist_ok=True)
        saved.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
        medians = {c: statistics.median(r["scores"][c] for r in results[path]) for c in CATEGORIES}
        print(f"{path}: {medians}", flush=True)
    server.shutdown()
    write(args.out, results, args.runs, time.perf_counter() - started)


def shlex_quote(text: str) -> str:
    import shlex

    return shlex.quote(text)


def write(out: Path, results: dict[str, list[dict]], runs: int, seconds: float) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    first = next(iter(results.values()))[0]
    rows = []
    for path, found in results.items():
        scores = {c: statistics.median(r["scores"][c] for r in found) for c in CATEGORIES}
        metrics = {m: statistics.median(r["metrics"][m] for r in found) for m in METRICS}
        failed = sorted({a for r in found for audits in r["failed"].values() for a in audits})
        rows.append(f"| {path} | " + " | ".join(f"{scores[c]:g}" for c in CATEGORIES)
                    + f" | {metrics['first-contentful-paint'] / 1000:.1f} s"
                    + f" | {metrics['largest-contentful-paint'] / 1000:.1f} s"
                    + f" | {metrics['total-blocking-time']:.0f} ms | {metrics['cumulative-layout-shift']:.3f}"
                    + f" | {', '.join(failed) or '–'} |")
    text = (
        f"# Lighthouse {first['version']}, mobile, simulated throttling: median of {runs} runs\n\n"
        f"Chrome: {first['user_agent']}; served by bench/static_host.py (gzip, site/_headers) on loopback;\n"
        f"{len(results)} pages, {seconds:.0f} s in all.\n\n"
        "| page | performance | accessibility | best practices | SEO | FCP | LCP | TBT | CLS | audits not passed |\n"
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n" + "\n".join(rows) + "\n"
    )
    out.with_suffix(".md").write_text(text, encoding="utf-8")
    out.with_suffix(".json").write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    if shutil.which("unshare") is None:
        raise SystemExit("unshare (util-linux) is needed")
    main()
