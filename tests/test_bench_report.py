"""The benchmark's report: stage medians and the growth targets it judges."""

from __future__ import annotations

from bench.run import (
    BUILD,
    FINISHING_NAMES,
    OWN_STAGE_NAMES,
    OWN_STAGES,
    median_stages,
    targets,
)


def stage_report(scale: float, own_each: float, finishing_each: float) -> dict:
    seconds = {name: own_each * scale for name in OWN_STAGE_NAMES}
    seconds |= {name: finishing_each * scale for name in FINISHING_NAMES}
    seconds |= {"imports": 0.2, "load MkDocs": 0.3, "languages": 9.0 * scale, "languages: mkdocs": 20.0 * scale}
    return {"seconds": seconds, "site_gen_own_seconds": sum(seconds.values()), "build_seconds": 9.0,
            "in_process_total_seconds": 9.5, "mkdocs_cpu_seconds": {"en": 6.0, "uk": 7.0, "ru": 7.0}}


def test_stage_figures_are_the_median_of_the_runs() -> None:
    runs = [stage_report(1.0, 1.0, 1.0), stage_report(3.0, 1.0, 1.0), stage_report(1.5, 1.0, 1.0)]
    runs[1]["mkdocs_cpu_seconds"]["uk"] = 99.0
    median = median_stages(runs)
    assert median["runs"] == 3
    assert median["seconds"]["languages: generate"] == 1.5
    assert median["mkdocs_cpu_seconds"]["uk"] == 7.0


def results(own_at_1000: float, finishing_at_1000: float) -> dict[int, dict]:
    return {
        300: {"summary": {BUILD: {"median_s": 9.0, "peak_rss_mb": 60}}, "stages": stage_report(1.0, 1.0, 1.0)},
        1000: {"summary": {BUILD: {"median_s": 30.0, "peak_rss_mb": 120}},
               "stages": stage_report(1.0, own_at_1000, finishing_at_1000)},
    }


def growth_rows(found: list[dict]) -> dict[str, object]:
    return {row["target"]: row["holds"] for row in found if "growth" in row["target"]}


def test_own_stages_growing_linearly_hold_and_faster_growth_does_not() -> None:
    linear = growth_rows(targets(results(own_at_1000=3.4, finishing_at_1000=4.0)))
    own = next(name for name in linear if OWN_STAGES in name)
    assert linear[own] is True
    assert growth_rows(targets(results(own_at_1000=4.0, finishing_at_1000=3.3)))[own] is False


def test_the_finishing_pass_is_reported_not_judged() -> None:
    rows = growth_rows(targets(results(own_at_1000=3.3, finishing_at_1000=5.0)))
    finishing = [name for name in rows if "finishing pass" in name]
    assert len(finishing) == 1 and rows[finishing[0]] is None
