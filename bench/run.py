"""Build-speed benchmark: site_gen (en+uk+ru) against plain MkDocs (en) and mkdocs-static-i18n.

    .venv/bin/python bench/run.py --sizes 30 300 1000 --runs 3
    .venv/bin/python bench/run.py --smoke          # N=30, one run (CI)

For each size N a synthetic corpus (bench/corpus.py) with full pseudo-translated
uk and ru catalogs is laid out in a temporary folder (never in the repository),
then the tools are run in turn, alternating their order on each repetition:

    site-gen build       en+uk+ru, the whole `site-gen -f corpus/mkdocs.yml build` process
    mkdocs build         the same mkdocs.yml, English pages only (plain MkDocs + Material)
    static-i18n          mkdocs-static-i18n, suffix structure, en+uk+ru in one MkDocs process
    site-gen extract     templates from the pages (nothing changed: steady state)
    site-gen update      merge templates into the uk and ru catalogs (steady state: the caches
                         the last extract or update left in build/.cache)
    site-gen update (no cache)   the same with build/.cache deleted first (a fresh clone)

Every build starts from an empty output folder and nothing cached (build/ deleted); what
is kept, as for any tool, is compiled code of the installed packages: .pyc files and the
compiled theme templates in ~/.cache/site_gen (the warm-up run makes both).  Wall time is
time.perf_counter() around the process; "peak RSS/process" is ru_maxrss from wait4() (the largest
single process of the tree); "CPU" is user+system time of the tree.  "peak RSS, all" is the
summed RSS of the whole process tree (site_gen runs its MkDocs builds in parallel), sampled
every 50 ms in one untimed run of each tool per size, made before the timed ones (it is also
that size's warm-up): sampling costs the sampler CPU, which would slow a tool that uses every
core (site_gen) but not one that uses one (MkDocs), so no timed run is sampled.
Results: bench/results/latest.md and .json (--smoke writes smoke.md / smoke.json instead).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import importlib
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from importlib import metadata
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

prepare: Any = None  # bench/prepare.py, imported once site_gen's snapshot is on sys.path

RESULTS = BENCH / "results"
PYTHON = sys.executable
MKDOCS = str(Path(PYTHON).parent / "mkdocs")
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")

BUILD = "site-gen build (en+uk+ru)"
PLAIN = "mkdocs build (en only)"
I18N = "mkdocs-static-i18n (en+uk+ru)"
EXTRACT = "site-gen extract"
UPDATE = "site-gen update"
UPDATE_COLD = "site-gen update (no cache)"
TOOLS = (BUILD, PLAIN, I18N, EXTRACT, UPDATE, UPDATE_COLD)
#: In-process builds whose stage timings are reported (their median).
STAGE_RUNS = 3
#: The issue's "own stages": segmentation, catalog work and generation (MkDocs excluded).
OWN_STAGES = "build (site_gen's segmentation, catalogs and generation)"
OWN_STAGE_NAMES = ("segment pages, read catalogs", "count messages", "languages: generate")
#: The pass over the HTML MkDocs wrote (privacy check, search index, CSP) and its compression.
FINISHING_NAMES = ("languages: finish", "languages: offline part", "offline copy", "assemble")
SHORT = {"build": BUILD, "plain": PLAIN, "i18n": I18N, "extract": EXTRACT, "update": UPDATE,
         "update-cold": UPDATE_COLD}


# Measuring ---------------------------------------------------------------------


def _tree_rss(root: int) -> int:
    """Summed resident memory (bytes) of *root* and all its descendants, now."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[1].split()
        except (OSError, IndexError):
            continue
        parents[int(name)] = int(fields[1])
        rss[int(name)] = int(fields[21]) * PAGE_SIZE
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo.extend(child for child, parent in parents.items() if parent == pid)
    return total


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _busy_seconds() -> float:
    """CPU seconds the whole machine has spent busy since boot (all cores)."""
    with open("/proc/stat") as handle:
        values = [int(v) for v in handle.readline().split()[1:]]
    idle = values[3] + (values[4] if len(values) > 4 else 0)  # idle + iowait
    guest = sum(values[8:10]) if len(values) > 9 else 0  # already counted in user/nice
    return (sum(values) - idle - guest) / CLOCK_TICKS


def wait_quiet(limit: float, threshold: float = 0.3) -> float:
    """Wait (at most *limit* s) until other processes use < *threshold* cores; returns the load seen."""
    deadline = time.perf_counter() + limit
    while True:
        before, started = _busy_seconds(), time.perf_counter()
        time.sleep(0.5)
        load = (_busy_seconds() - before) / (time.perf_counter() - started)
        if load < threshold or time.perf_counter() >= deadline:
            return load


def measure(args: list[str], cwd: Path, log: Path, sample_tree: bool = False) -> dict[str, Any]:
    """Run one command; wall seconds, peak RSS (largest process; whole tree if *sample_tree*), CPU seconds.

    ``background_cores`` is the machine's CPU use by everything else during the
    run, in cores: busy time of all CPUs minus the tree's own CPU time, per second.
    """
    peak = [0]
    done = threading.Event()
    with log.open("w") as out:
        busy_before = _busy_seconds()
        started = time.perf_counter()
        process = subprocess.Popen(args, cwd=cwd, env=prepare.env(), stdout=out, stderr=subprocess.STDOUT)

        def sample() -> None:
            while not done.wait(0.05):
                peak[0] = max(peak[0], _tree_rss(process.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        if sample_tree:
            sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        busy = _busy_seconds() - busy_before
        done.set()
        if sample_tree:
            sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed (exit {process.returncode}); output:\n"
                           + log.read_text(errors="replace")[-8000:])
    return {
        "seconds": wall,
        "peak_rss_mb": usage.ru_maxrss / 1024,  # kilobytes on Linux
        "peak_tree_rss_mb": peak[0] / 2**20 if sample_tree else None,
        "cpu_seconds": usage.ru_utime + usage.ru_stime,
        "background_cores": max(0.0, (busy - usage.ru_utime - usage.ru_stime) / wall),
    }


class Size:
    """One corpus and how to run each tool on it."""

    def __init__(self, folder: Path, pages: int) -> None:
        self.folder = folder
        self.pages = pages
        self.config = folder / "mkdocs.yml"
        self.plain_out = folder / "out-plain"
        self.i18n = folder / "i18n"

    def command(self, tool: str) -> tuple[list[str], Path, list[Path]]:
        """argv, working folder, outputs to delete before the run."""
        site_gen = [prepare.SITE_GEN, "-f", str(self.config)]
        if tool == BUILD:
            return [*site_gen, "build"], self.folder, [self.folder / "site", self.folder / "build"]
        if tool == PLAIN:
            return ([MKDOCS, "build", "--quiet", "-f", str(self.config), "-d", str(self.plain_out)],
                    self.folder, [self.plain_out])
        if tool == I18N:
            return ([MKDOCS, "build", "--quiet", "-f", str(self.i18n / "mkdocs.yml")],
                    self.i18n, [self.i18n / "site"])
        if tool == EXTRACT:
            return [*site_gen, "extract"], self.folder, []
        if tool == UPDATE:
            return [*site_gen, "update"], self.folder, []
        if tool == UPDATE_COLD:
            return [*site_gen, "update"], self.folder, [self.folder / "build" / ".cache"]
        raise ValueError(tool)

    def run(self, tool: str, quiet_wait: float = 0.0, sample_tree: bool = False) -> dict[str, Any]:
        args, cwd, outputs = self.command(tool)
        # A build starts with nothing cached; extract and update find the caches their last run
        # left (a contributor's steady state), so the build's own caches are put aside.
        cache, kept = self.folder / "build" / ".cache", self.folder / ".cache-kept"
        if tool == BUILD and cache.exists():
            shutil.rmtree(kept, ignore_errors=True)
            cache.rename(kept)
        for path in outputs:
            shutil.rmtree(path, ignore_errors=True)
        if quiet_wait:
            wait_quiet(quiet_wait)
        slug = tool.replace(" (", "-").split(" (")[0].replace(" ", "-").replace(")", "")
        result = measure(args, cwd, self.folder / f"log-{slug}.txt", sample_tree)
        if tool == BUILD and kept.exists():
            shutil.rmtree(cache, ignore_errors=True)
            kept.rename(cache)
        return result

    def verify(self, tools: tuple[str, ...]) -> dict[str, Any]:
        """The builds made what they should: every page in every language, all translated."""
        content = self.folder / "content"
        expected = {p.relative_to(content).with_suffix(".html").as_posix() for p in content.rglob("*.md")}
        outputs = {}
        if BUILD in tools:
            outputs["site_gen_en"] = self.folder / "site" / "en"
            outputs.update({f"site_gen_{lang}": self.folder / "site" / lang for lang in prepare.TARGETS})
        if PLAIN in tools:
            outputs["plain_en"] = self.plain_out
        if I18N in tools:
            outputs["static_i18n_en"] = self.i18n / "site"
            outputs.update({f"static_i18n_{lang}": self.i18n / "site" / lang for lang in prepare.TARGETS})
        facts: dict[str, Any] = {}
        missing: dict[str, int] = {}
        for name, folder in outputs.items():
            found = {p.relative_to(folder).as_posix() for p in folder.rglob("*.html")}
            facts[f"{name}_html_files"] = len(found)
            if expected - found:
                missing[name] = len(expected - found)
        for lang in prepare.TARGETS if BUILD in tools else ():
            folder = self.folder / "site" / lang
            facts[f"site_gen_{lang}_untranslated_spans"] = sum(
                (folder / name).read_text(encoding="utf-8").count("sg-untranslated") for name in expected)
            if facts[f"site_gen_{lang}_untranslated_spans"]:
                missing[f"site_gen_{lang} untranslated spans"] = facts[f"site_gen_{lang}_untranslated_spans"]
        if missing:
            raise RuntimeError(f"{self.folder}: builds are incomplete or untranslated: {missing}")
        return facts

    def stages(self, quiet_wait: float = 0.0, runs: int = STAGE_RUNS) -> dict[str, Any]:
        """The median of *runs* in-process builds, stage by stage: one run's CPU times in the
        language workers vary by a quarter between runs (three processes share two cores)."""
        found = []
        for _ in range(runs):
            for path in (self.folder / "site", self.folder / "build"):
                shutil.rmtree(path, ignore_errors=True)
            if quiet_wait:
                wait_quiet(quiet_wait)
            done = subprocess.run([PYTHON, str(BENCH / "stages.py"), str(self.config)], cwd=self.folder,
                                  env=prepare.env(), capture_output=True, text=True)
            if done.returncode != 0:
                raise RuntimeError(f"stage timing failed:\n{done.stderr[-6000:]}")
            found.append(json.loads(done.stdout))
        return median_stages(found)

    def profile(self, target: Path) -> None:
        for path in (self.folder / "site", self.folder / "build"):
            shutil.rmtree(path, ignore_errors=True)
        done = subprocess.run([PYTHON, "-m", "cProfile", "-s", "cumtime", "-m", "site_gen",
                               "-f", str(self.config), "build"], cwd=self.folder, env=prepare.env(),
                              capture_output=True, text=True)
        target.write_text("\n".join(done.stdout.splitlines()[:70]) + "\n", encoding="utf-8")


# Summaries ---------------------------------------------------------------------


def median_stages(found: list[dict[str, Any]]) -> dict[str, Any]:
    """Each figure of several stages.py reports: its median."""
    def median_of(key: str, inner: str | None = None) -> Any:
        if inner is None:
            return statistics.median(report[key] for report in found)
        return statistics.median(report[key].get(inner, 0.0) for report in found)

    seconds = sorted({name for report in found for name in report["seconds"]})
    languages = sorted({lang for report in found for lang in report["mkdocs_cpu_seconds"]})
    return {
        "runs": len(found),
        "seconds": {name: median_of("seconds", name) for name in seconds},
        "site_gen_own_seconds": median_of("site_gen_own_seconds"),
        "build_seconds": median_of("build_seconds"),
        "in_process_total_seconds": median_of("in_process_total_seconds"),
        "mkdocs_cpu_seconds": {lang: median_of("mkdocs_cpu_seconds", lang) for lang in languages},
    }


def summarise(runs: list[dict[str, Any]], memory: dict[str, Any] | None) -> dict[str, float | None]:
    """Timed *runs* of one tool, and the tree's peak memory from its untimed *memory* run."""
    times = [r["seconds"] for r in runs]
    return {
        "median_s": statistics.median(times), "min_s": min(times), "max_s": max(times),
        "peak_rss_mb": max(r["peak_rss_mb"] for r in runs),
        "peak_tree_rss_mb": memory["peak_tree_rss_mb"] if memory else None,
        "cpu_s": statistics.median(r["cpu_seconds"] for r in runs),
        "background_cores_max": max(r["background_cores"] for r in runs),
    }


def _mb(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0f}"


def exponent(small: tuple[int, float], large: tuple[int, float]) -> float:
    """Growth exponent k in time ∝ pages^k between two sizes (1.0 is linear)."""
    return math.log(large[1] / small[1]) / math.log(large[0] / small[0])


def targets(results: dict[int, dict[str, Any]]) -> list[dict[str, Any]]:
    """Each target of the issue, judged at the largest size that has the figures it needs."""

    def largest(*tools: str) -> int | None:
        sizes = [n for n, r in results.items() if all(t in r["summary"] for t in tools)]
        return max(sizes) if sizes else None

    found: list[dict[str, Any]] = []
    for other, name, limit in ((I18N, "mkdocs-static-i18n", 0.5), (PLAIN, "plain MkDocs (en only)", 1.6)):
        for n in sorted(size for size, r in results.items() if BUILD in r["summary"] and other in r["summary"]):
            s = results[n]["summary"]
            ratio = s[BUILD]["median_s"] / s[other]["median_s"]
            found.append({"target": f"3-language build ≤ {limit}× {name} (N={n})",
                          "measured": f"{ratio:.2f}× ({s[BUILD]['median_s']:.1f} s vs {s[other]['median_s']:.1f} s)",
                          "holds": ratio <= limit})
    n = largest(BUILD, PLAIN)
    if n is not None:
        s = results[n]["summary"]
        rss = s[BUILD]["peak_rss_mb"] / s[PLAIN]["peak_rss_mb"]
        found.append({"target": f"peak memory per build process ≤ 2× plain MkDocs (N={n})",
                      "measured": f"{s[BUILD]['peak_rss_mb']:.0f} MB vs {s[PLAIN]['peak_rss_mb']:.0f} MB"
                                  f" = {rss:.2f}×", "holds": rss <= 2.0})
    for tool in (EXTRACT, UPDATE, UPDATE_COLD):
        n = largest(tool)
        if n is None:
            continue
        seconds = results[n]["summary"][tool]["median_s"]
        found.append({"target": f"`{tool}` < 5 s at 1000 pages × 3 languages (N={n})",
                      "measured": f"{seconds:.2f} s", "holds": seconds < 5.0 if n >= 1000 else None})
    # Growth: for each of site_gen's own timings, between the two largest sizes that have it.
    own: dict[str, dict[int, float]] = {OWN_STAGES: {}, EXTRACT: {}, UPDATE: {}, UPDATE_COLD: {}}
    finishing: dict[int, float] = {}
    for n, result in results.items():
        if result.get("stages"):
            seconds = result["stages"]["seconds"]
            own[OWN_STAGES][n] = sum(seconds.get(name, 0.0) for name in OWN_STAGE_NAMES)
            finishing[n] = sum(seconds.get(name, 0.0) for name in FINISHING_NAMES)
        for tool in (EXTRACT, UPDATE, UPDATE_COLD):
            if tool in result["summary"]:
                own[tool][n] = result["summary"][tool]["median_s"]
    for name, by_size in own.items():
        found += growth(f"growth no worse than linear, {{}}: {name}", by_size)
    found += growth("(for information) growth, {}: the build's finishing pass and offline ZIP, which read "
                    "and compress the HTML MkDocs writes", finishing, judged=False)
    return found


def growth(target: str, by_size: dict[int, float], judged: bool = True) -> list[dict[str, Any]]:
    """How a timing grows between the two largest sizes that have it (none below two sizes);
    *target* holds ``{}`` for the sizes.  Not *judged*: reported for information only."""
    if len(by_size) < 2:
        return []
    small_n, large_n = sorted(by_size)[-2:]
    a, b = by_size[small_n], by_size[large_n]
    return [{"target": target.format(f"{small_n}→{large_n} pages"),
             "measured": f"{a:.2f} s → {b:.2f} s, ×{b / a:.2f} for ×{large_n / small_n:.2f} pages "
                         f"(exponent {exponent((small_n, a), (large_n, b)):.2f})",
             # 10% allowance for timer noise on a per-page basis.
             "holds": (b / large_n) <= 1.10 * (a / small_n) if judged else None,
             "information": not judged}]


def markdown(report: dict[str, Any]) -> str:
    meta = report["meta"]
    lines = [
        f"# site_gen build benchmark — {meta['date']}",
        "",
        f"Machine: {meta['cores']} cores, {meta['memory_gib']:.0f} GiB, Python {meta['python']}; "
        f"MkDocs {meta['versions']['mkdocs']}, Material {meta['versions']['mkdocs-material']}, "
        f"mkdocs-static-i18n {meta['versions']['mkdocs-static-i18n']}. "
        f"Tools alternate on each repetition. Seed {meta['seed']}. Builds start with no output and "
        "nothing cached (build/ deleted); .pyc files and compiled theme templates (~/.cache/site_gen) "
        "are kept, as after any first run. "
        f"site_gen sources sha256 {meta['site_gen_sources_sha256']}.",
        "",
        *([f"Merged from {len(meta['parts'])} invocations: "
           + "; ".join(f"`{' '.join(p['argv'])}` ({p['date']}, site_gen {p['site_gen_sources_sha256']})"
                       for p in meta["parts"]) + ".", ""] if meta.get("parts") else []),
        "| pages | words | tool | runs | median s | min s | max s | peak RSS/process MB | peak RSS, all MB "
        "| CPU s | other load, cores |",
        "|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for size, result in sorted(report["sizes"].items(), key=lambda x: int(x[0])):
        for tool in TOOLS:
            if tool not in result["summary"]:
                continue
            s = result["summary"][tool]
            lines.append(
                f"| {size} | {result['facts']['words']:,} | {tool} | {len(result['runs'][tool])} "
                f"| {s['median_s']:.2f} | {s['min_s']:.2f} | "
                f"{s['max_s']:.2f} | {s['peak_rss_mb']:.0f} | {_mb(s.get('peak_tree_rss_mb'))} | {s['cpu_s']:.1f} "
                f"| {s['background_cores_max']:.2f} |")
    lines += ["", "\"other load\" is the most CPU that other processes on the machine used during one run "
              "(0 on an idle machine). Ratios of site-gen build's time to the others' (medians; "
              "fastest runs in brackets):", "",
              "| pages | ÷ plain MkDocs (a/b) | ÷ static-i18n (a/c) |", "|---:|---:|---:|"]
    for size, result in sorted(report["sizes"].items(), key=lambda x: int(x[0])):
        r = result["ratios"]
        if not r:
            continue
        lines.append(f"| {size} | {r['a/b']:.2f} ({r['min a/b']:.2f}) | {r['a/c']:.2f} ({r['min a/c']:.2f}) |")
    stage_names = ["imports", "load MkDocs", "segment pages, read catalogs", "count messages", "languages",
                   "languages: generate", "languages: mkdocs", "languages: finish", "languages: offline part",
                   "offline copy",
                   "assemble", "swap"]
    lines += ["", "Where `site-gen build` spends its time (median of in-process runs, `site-gen build --timings`, "
              "seconds). Steps of the main process are wall time; `languages` is the wall time of the "
              "language workers (run in parallel), and `languages: …` are their CPU time summed over the "
              "three languages (`offline part`: compressing the language for the offline ZIP); `offline copy`, "
              "joining those parts, runs in the main process while the workers build:", "",
              "| pages | " + " | ".join(stage_names) + " | site_gen's own | MkDocs CPU per language |",
              "|---:|" + "---:|" * (len(stage_names) + 2)]
    for size, result in sorted(report["sizes"].items(), key=lambda x: int(x[0])):
        st = result.get("stages")
        if not st or "mkdocs_cpu_seconds" not in st:
            continue
        per_lang = ", ".join(f"{lang} {value:.1f}" for lang, value in st["mkdocs_cpu_seconds"].items())
        lines.append(f"| {size} | " + " | ".join(f"{st['seconds'].get(n, 0):.2f}" for n in stage_names)
                     + f" | {st['site_gen_own_seconds']:.2f} | {per_lang} |")
    lines += ["", "One-off setup of each corpus (seconds): first `extract`, `init uk`, `init ru`, "
              "first `update` after filling the catalogs:", ""]
    for size, result in sorted(report["sizes"].items(), key=lambda x: int(x[0])):
        setup = ", ".join(f"{k} {v:.2f}" for k, v in result["facts"]["setup_seconds"].items())
        lines.append(f"- {size} pages ({result['facts']['messages_per_language']:,} messages per language): "
                     f"{setup}")
    lines += ["", "Targets:", "", "| target | measured | holds |", "|---|---|---|"]
    for t in report["targets"]:
        verdict = "not a target" if t.get("information") else \
            {True: "yes", False: "**no**", None: "n/a (needs N ≥ 1000)"}[t["holds"]]
        lines.append(f"| {t['target']} | {t['measured']} | {verdict} |")
    return "\n".join(lines) + "\n"


# Main ----------------------------------------------------------------------------


def snapshot_site_gen(work: Path) -> str:
    """Copy site_gen once, so every run measures the same code while the repo is being edited.

    Every subprocess gets the copy first on PYTHONPATH (ahead of the editable
    install); returns a hash of its sources, recorded with the results.
    """
    global prepare
    source = BENCH.parent / "site_gen"
    target = work / "src" / "site_gen"
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    digest = hashlib.sha256()
    for path in sorted(p for p in target.rglob("*") if p.is_file()):
        digest.update(path.relative_to(target).as_posix().encode() + b"\0" + path.read_bytes())
    sys.path.insert(0, str(target.parent))
    prepare = importlib.import_module("prepare")
    prepare.EXTRA_ENV.update({
        "PYTHONPATH": os.pathsep.join(filter(None, [str(target.parent), os.environ.get("PYTHONPATH")])),
        "PYTHONPYCACHEPREFIX": str(work / "pycache"),
    })
    check = subprocess.run([PYTHON, "-c", "import site_gen.build, site_gen.cli; print(site_gen.__file__)"],
                           cwd=work, env=prepare.env(), capture_output=True, text=True)
    if check.returncode != 0 or not check.stdout.startswith(str(target)):
        raise RuntimeError(f"the copy of site_gen does not import:\n{check.stdout}{check.stderr}")
    return digest.hexdigest()[:16]



def versions() -> dict[str, str]:
    found = {}
    for name in ("mkdocs", "mkdocs-material", "mkdocs-static-i18n", "site-gen"):
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "missing"
    return found


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[30, 300, 1000], help="pages per corpus")
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each tool per size")
    parser.add_argument("--seed", type=int, default=2026, help="corpus random seed")
    parser.add_argument("--smoke", action="store_true", help="N=30, one run (CI); writes results/smoke.*")
    parser.add_argument("--profile", type=int, nargs="*", default=[], metavar="N",
                        help="also cProfile one site-gen build at these sizes into results/profile-N.txt")
    parser.add_argument("--quiet-wait", type=float, default=10.0,
                        help="before each run, wait up to this many seconds for other processes to "
                             "go quiet (0: don't wait)")
    parser.add_argument("--tools", nargs="+", choices=list(SHORT), default=list(SHORT),
                        help="what to time (default: all)")
    parser.add_argument("--merge", action="store_true",
                        help="add these sizes/tools to the existing results/latest.json instead of replacing it")
    parser.add_argument("--no-warmup", action="store_true",
                        help="skip the untimed first run of each tool at each size (it also "
                             "measures the whole process tree's peak memory)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary corpora (path is printed)")
    return parser.parse_args(argv)


def ratios(summary: dict[str, dict[str, float]]) -> dict[str, float]:
    found = {}
    for label, other in (("a/b", PLAIN), ("a/c", I18N)):
        if BUILD in summary and other in summary:
            found[label] = summary[BUILD]["median_s"] / summary[other]["median_s"]
            found[f"min {label}"] = summary[BUILD]["min_s"] / summary[other]["min_s"]
    return found


def merged(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """*new*'s figures over *old*'s, size by size and tool by tool (for runs made in parts)."""
    sizes = dict(old.get("sizes", {}))
    for size, result in new["sizes"].items():
        if size not in sizes:
            sizes[size] = result
            continue
        base = sizes[size]
        summary = {**base["summary"], **result["summary"]}
        sizes[size] = {
            **base, **result,
            "runs": {**base["runs"], **result["runs"]},
            "summary": summary,
            "stages": result.get("stages") or base.get("stages"),
            "ratios": ratios(summary),
        }
    history = [*old.get("meta", {}).get("parts", [old["meta"]] if "meta" in old else []), new["meta"]]
    return {"meta": {**new["meta"], "parts": history}, "sizes": sizes}


def write(report: dict[str, Any], name: str, stamp: bool) -> str:
    report["targets"] = targets({int(k): v for k, v in report["sizes"].items()})
    text = markdown(report)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{name}.md").write_text(text, encoding="utf-8")
    data = json.dumps(report, indent=1, ensure_ascii=False)
    (RESULTS / f"{name}.json").write_text(data, encoding="utf-8")
    if stamp:
        (RESULTS / f"run-{report['meta']['started']}.json").write_text(data, encoding="utf-8")
    return text


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    if args.smoke:
        args.sizes, args.runs, args.quiet_wait, args.merge = [30], 1, 0.0, False
    tools = tuple(t for t in TOOLS if t in {SHORT[name] for name in args.tools})
    if I18N in tools and versions()["mkdocs-static-i18n"] == "missing":
        # The comparison needs it; it is not a dependency of site_gen itself.
        print("installing mkdocs-static-i18n for the comparison", flush=True)
        installed = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "mkdocs-static-i18n>=1.3,<2"])
        if installed.returncode != 0:
            print("could not install mkdocs-static-i18n", file=sys.stderr)
            return 2
    name = "smoke" if args.smoke else "latest"
    old = {}
    if args.merge and (RESULTS / f"{name}.json").exists():
        old = json.loads((RESULTS / f"{name}.json").read_text(encoding="utf-8"))
    work = Path(tempfile.mkdtemp(prefix="site_gen-bench-"))
    print(f"corpora in {work}", flush=True)
    try:
        code_hash = snapshot_site_gen(work)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    meta = {
        "date": dt.date.today().isoformat(), "started": dt.datetime.now().strftime("%Y%m%d-%H%M%S"),
        "python": platform.python_version(),
        "cores": os.cpu_count(), "memory_gib": os.sysconf("SC_PHYS_PAGES") * PAGE_SIZE / 2**30,
        "runs": args.runs, "seed": args.seed, "versions": versions(), "argv": sys.argv[1:],
        "site_gen_sources_sha256": code_hash,
    }
    started = time.perf_counter()
    report: dict[str, Any] = {"meta": meta, "sizes": {}}
    try:
        for pages in sorted(set(args.sizes)):
            size = Size(work / f"n{pages}", pages)
            print(f"\n== {pages} pages: generating corpus and catalogs", flush=True)
            facts = prepare.make_corpus(size.folder, pages, args.seed, static_i18n=I18N in tools)
            print(f"   {facts['words']:,} words, {facts['messages_per_language']:,} messages per language; "
                  + ", ".join(f"{k} {v:.1f} s" for k, v in facts["setup_seconds"].items()), flush=True)
            memory: dict[str, dict[str, Any]] = {}
            if not args.no_warmup:
                for tool in tools:  # warm-up (disk cache, .pyc files) and the sampled memory run
                    memory[tool] = size.run(tool, sample_tree=True)
            runs: dict[str, list[dict[str, Any]]] = {tool: [] for tool in tools}
            for rep in range(args.runs):
                order = tools[rep % len(tools):] + tools[:rep % len(tools)]
                for tool in order:
                    result = size.run(tool, args.quiet_wait)
                    runs[tool].append(result)
                    print(f"   run {rep + 1}/{args.runs} {tool}: {result['seconds']:.2f} s, "
                          f"{result['peak_rss_mb']:.0f} MB, other load {result['background_cores']:.2f} cores",
                          flush=True)
            # Every output is there from the last repetition: check they are complete.
            facts["verified"] = size.verify(tools)
            stages = None
            if BUILD in tools:
                print("   stage breakdown of in-process site-gen builds …", flush=True)
                stages = size.stages(args.quiet_wait, runs=1 if args.smoke else STAGE_RUNS)
            if pages in args.profile:
                size.profile(RESULTS / f"profile-{pages}.txt")
            summary = {tool: summarise(r, memory.get(tool)) for tool, r in runs.items()}
            report["sizes"][str(pages)] = {"facts": facts, "runs": runs, "summary": summary, "stages": stages,
                                           "ratios": ratios(summary)}
            meta["total_seconds"] = time.perf_counter() - started
            # Written after each size, so a long run that is stopped keeps what it measured.
            text = write(merged(old, report) if old else report, name, stamp=False)
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    text = write(merged(old, report) if old else report, name, stamp=not args.smoke)
    print("\n" + text)
    print(f"written to {RESULTS / (name + '.md')} ({meta['total_seconds']:.0f} s in all)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
