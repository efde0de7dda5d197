"""Sharded builds against a one-machine build, on the benchmark corpus (bench/corpus.py).

    .venv/bin/python bench/shard.py --sizes 300 1000 --runs 3   # → bench/results/sharding.md (.json)

For each size N a corpus of N pages with full pseudo-translated uk and ru catalogs is laid
out in a temporary folder (as bench/run.py does).  Each repetition then runs, in alternating
order:

    one machine   `site-gen build`: en, uk and ru on this machine's cores
    sharded       `site-gen build --lang L --part parts/L` for each language, one after another,
                  each in its own process with nothing cached (build/ and the user cache
                  deleted first), as on a CI machine of its own; then `site-gen assemble`

Every process is timed from outside (time.perf_counter around it).  A CI matrix runs the parts
at once on separate machines, so its wall time is about the slowest part plus the assembly
(plus the CI's own start-up and artifact transfer, not measured here); "parts summed" is the
machine time the matrix pays for.  Each repetition checks that the assembled site equals the
one-machine site byte for byte.  Ratios are taken against the one-machine build of the same
run, since the machine's speed changes from run to run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import prepare  # noqa: E402
import run  # noqa: E402

RESULTS = BENCH / "results"
LANGUAGES = ("en", *prepare.TARGETS)


def timed(args: list[str], cwd: Path, cache: Path) -> float:
    """Seconds one site-gen command takes, in its own process, with *cache* as its user cache."""
    env = {**prepare.env(), "XDG_CACHE_HOME": str(cache)}
    env.pop("SOURCE_DATE_EPOCH", None)
    started = time.perf_counter()
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed in {cwd}:\n{done.stdout[-3000:]}\n{done.stderr[-6000:]}")
    return elapsed


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def fresh(folder: Path) -> Path:
    """Nothing cached: the project's build/ and a new, empty user cache (compiled templates)."""
    shutil.rmtree(folder / "build", ignore_errors=True)
    cache = folder / "user-cache"
    shutil.rmtree(cache, ignore_errors=True)
    cache.mkdir()
    return cache


def one_machine(folder: Path) -> float:
    shutil.rmtree(folder / "site", ignore_errors=True)
    return timed([prepare.SITE_GEN, "build"], folder, fresh(folder))


def sharded(folder: Path) -> dict[str, float]:
    seconds = {}
    shutil.rmtree(folder / "parts", ignore_errors=True)
    for lang in LANGUAGES:
        seconds[lang] = timed([prepare.SITE_GEN, "build", "--lang", lang, "--part", f"parts/{lang}"],
                              folder, fresh(folder))
    shutil.rmtree(folder / "assembled", ignore_errors=True)
    seconds["assemble"] = timed([prepare.SITE_GEN, "assemble", *(f"parts/{lang}" for lang in LANGUAGES),
                                 "--site-dir", "assembled"], folder, fresh(folder))
    return seconds


def measure_size(folder: Path, pages: int, runs: int, seed: int) -> dict[str, Any]:
    facts = prepare.make_corpus(folder, pages, seed, static_i18n=False)
    timed([prepare.SITE_GEN, "build"], folder, fresh(folder))  # warm-up: .pyc files
    repetitions = []
    for repetition in range(runs):
        first_sharded = repetition % 2 == 1
        if first_sharded:
            parts = sharded(folder)
        whole = one_machine(folder)
        if not first_sharded:
            parts = sharded(folder)
        site, assembled = files(folder / "site"), files(folder / "assembled")
        identical = site == assembled
        if not identical:
            differ = sorted(name for name in {*site, *assembled} if site.get(name) != assembled.get(name))
            raise RuntimeError(f"the assembled site differs from the one-machine site: {differ[:10]}")
        slowest = max(parts[lang] for lang in LANGUAGES)
        repetitions.append({
            "one_machine_s": whole, "parts_s": parts, "slowest_part_s": slowest,
            "matrix_s": slowest + parts["assemble"], "summed_s": sum(parts.values()),
            "matrix_ratio": (slowest + parts["assemble"]) / whole, "summed_ratio": sum(parts.values()) / whole,
            "identical": identical, "files": len(site),
        })
    return {"pages": facts["pages"], "messages_per_language": facts["messages_per_language"],
            "runs": repetitions, "median": median(repetitions)}


def median(repetitions: list[dict[str, Any]]) -> dict[str, float]:
    found = {key: statistics.median(r[key] for r in repetitions)
             for key in ("one_machine_s", "slowest_part_s", "matrix_s", "summed_s", "matrix_ratio", "summed_ratio")}
    for step in (*LANGUAGES, "assemble"):
        found[f"part {step}"] = statistics.median(r["parts_s"][step] for r in repetitions)
    return found


def markdown(report: dict[str, Any]) -> str:
    meta = report["meta"]
    lines = [
        "# Sharded builds against a one-machine build",
        "",
        f"Measured {meta['started']} by `bench/shard.py` on {meta['machine']} ({meta['cores']} cores, Python "
        f"{meta['python']}), site_gen {meta['site_gen_hash']}; {meta['runs']} run(s) per size, medians. "
        f"Load average before the run: {meta['load_before']}, after: {meta['load_after']} "
        "(other jobs share this machine).",
        "",
        "Each part is `site-gen build --lang L --part DIR` in its own process with nothing cached, the "
        "parts one after another (as separate CI machines of this kind would build them at once); then "
        "`site-gen assemble`. Ratios are against the one-machine `site-gen build` of the same run. "
        "Every run's assembled site was byte-identical to the one-machine site.",
        "",
        "| pages | one machine | part en | part uk | part ru | assemble | matrix (slowest part + assemble) "
        "| matrix / one machine | parts summed / one machine |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for size, result in report["sizes"].items():
        m = result["median"]
        lines.append(f"| {int(size):,} | {m['one_machine_s']:.1f} s | {m['part en']:.1f} s | {m['part uk']:.1f} s | "
                     f"{m['part ru']:.1f} s | {m['part assemble']:.2f} s | {m['matrix_s']:.1f} s | "
                     f"{m['matrix_ratio']:.2f}× | {m['summed_ratio']:.2f}× |")
    lines += ["", "Each run (seconds):", "",
              "| pages | run | one machine | en | uk | ru | assemble | matrix / one machine |",
              "|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for size, result in report["sizes"].items():
        for number, measured in enumerate(result["runs"], 1):
            parts = measured["parts_s"]
            lines.append(f"| {int(size):,} | {number} | {measured['one_machine_s']:.2f} | {parts['en']:.2f} | "
                         f"{parts['uk']:.2f} | {parts['ru']:.2f} | {parts['assemble']:.2f} | "
                         f"{measured['matrix_ratio']:.2f}× |")
    return "\n".join(lines) + "\n"


def load() -> str:
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[300, 1000], help="pages per corpus")
    parser.add_argument("--runs", type=int, default=3, help="repetitions per size")
    parser.add_argument("--seed", type=int, default=2026, help="corpus random seed")
    parser.add_argument("--out", default="sharding", help="name of the results file in bench/results/")
    args = parser.parse_args(argv)
    meta = {"started": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"), "machine": platform.machine(),
            "cores": os.cpu_count(), "python": platform.python_version(), "runs": args.runs,
            "load_before": load()}
    sizes = {}
    with tempfile.TemporaryDirectory(prefix="site_gen-shard-") as work:
        # Every process runs this copy of site_gen, so an edit in the repository meanwhile
        # neither mixes two versions nor makes the assembly refuse the parts.
        meta["site_gen_hash"] = run.snapshot_site_gen(Path(work))
        for pages in args.sizes:
            print(f"{pages} pages …", flush=True)
            sizes[str(pages)] = measure_size(Path(work) / f"n{pages}", pages, args.runs, args.seed)
            print(json.dumps(sizes[str(pages)]["median"]), flush=True)
    meta["load_after"] = load()
    report = {"meta": meta, "sizes": sizes}
    RESULTS.mkdir(exist_ok=True)
    text = markdown(report)
    (RESULTS / f"{args.out}.md").write_text(text, encoding="utf-8")
    (RESULTS / f"{args.out}.json").write_text(json.dumps(report, indent=1), encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
