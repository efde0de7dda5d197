"""Per-language pages and navigation, without MkDocs."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from site_gen import interface
from site_gen.errors import SiteGenError
from site_gen.generate import bounded_nav, format_dates, nav_limit, parse_date_point
from site_gen.render.mkdocs.nav import auto_nav


def title(first: int, last: int) -> str:
    return f"Pages {first}–{last}"


def pages_in(nav: list) -> list[str]:
    found = []
    for item in nav:
        if isinstance(item, dict):
            for value in item.values():
                found.extend(pages_in(value) if isinstance(value, list) else [value])
        else:
            found.append(item)
    return found


def test_auto_nav_orders_like_mkdocs_index_first_and_folders_after_files() -> None:
    paths = ["z.md", "guides/b.md", "index.md", "a.md", "guides/index.md", "my_folder/x.md"]
    assert auto_nav(paths) == [
        "index.md", "a.md", "z.md",
        {"Guides": ["guides/index.md", "guides/b.md"]},
        {"My folder": ["my_folder/x.md"]},
    ]


def test_a_short_level_is_left_as_it_is() -> None:
    nav = ["a.md", {"Section": ["b.md", "c.md"]}]
    assert bounded_nav(nav, 3, title) == nav


def test_a_long_level_is_split_in_order_into_balanced_numbered_groups() -> None:
    nav = [f"{n:03}.md" for n in range(1, 121)]
    grouped = bounded_nav(nav, 50, title)
    assert [next(iter(group)) for group in grouped] == ["Pages 1–40", "Pages 41–80", "Pages 81–120"]
    assert all(len(next(iter(group.values()))) == 40 for group in grouped)
    assert pages_in(grouped) == nav


def test_long_levels_inside_sections_are_split_too() -> None:
    nav = [{"Guides": [f"g{n}.md" for n in range(7)]}]
    assert bounded_nav(nav, 4, title) == [
        {"Guides": [{"Pages 1–4": ["g0.md", "g1.md", "g2.md", "g3.md"]}, {"Pages 5–7": ["g4.md", "g5.md", "g6.md"]}]}
    ]


@given(st.integers(min_value=0, max_value=3000), st.integers(min_value=2, max_value=60))
def test_every_level_fits_the_limit_and_no_page_is_lost_or_moved(count: int, limit: int) -> None:
    nav = [f"p{n}.md" for n in range(count)]
    grouped = bounded_nav(nav, limit, title)
    assert pages_in(grouped) == nav

    def widest(items: list) -> int:
        inner = [widest(v) for item in items if isinstance(item, dict) for v in item.values()]
        return max([len(items), *inner])

    assert widest(grouped) <= limit


@pytest.mark.parametrize("bad", [1, 0, "50", 2.5, True])
def test_a_bad_nav_limit_names_the_setting(bad: object) -> None:
    with pytest.raises(SiteGenError) as error:
        nav_limit({"nav_limit": bad}, "mkdocs.yml")
    assert "nav_limit" in str(error.value) and "mkdocs.yml" in str(error.value)


@pytest.mark.parametrize(("value", "iso", "texts"), [
    (dt.date(2023, 4, 18), "2023-04-18", {"en_GB": "18 April 2023", "uk": "18 квітня 2023\u202fр."}),
    ("2023-04", "2023-04", {"en_GB": "April 2023", "uk": "квітень 2023\u202fр.", "ru": "апрель 2023\u202fг."}),
    ("2023-spring", "2023", {"en_GB": "spring 2023"}),
    (2024, "2024", {"en_GB": "2024", "ru": "2024"}),
    ("~2023-spring", "2023", {"en_GB": "spring 2023 (estimated)"}),
    ("~ 2023-04-18", "2023-04-18", {"en_GB": "18 April 2023 (estimated)"}),
])
def test_dates_are_shown_as_precisely_as_the_source_gives_them(value, iso, texts) -> None:
    point = parse_date_point(value)
    assert point is not None and point.iso == iso
    for locale, text in texts.items():
        assert format_dates({"as_of": value}, locale, "p.md")["as_of"] == {"text": text, "iso": iso}


def test_imprecise_dates_use_the_languages_words() -> None:
    ui = {**interface.MESSAGES, "date.spring": "весна {year}", "date.estimated": "{date} (орієнтовно)"}
    assert format_dates({"as_of": "~2023-spring"}, "uk", "p.md", ui)["as_of"]["text"] == "весна 2023 (орієнтовно)"


@pytest.mark.parametrize("value", ["2023-13", "2023-02-30", "spring", "2023-fall", "23-04-01", True, 99999, [2023]])
def test_what_is_not_a_date_is_named_with_its_page(value) -> None:
    assert parse_date_point(value) is None
    with pytest.raises(SiteGenError, match="'as_of' is not a date"):
        format_dates({"as_of": value}, "en", "p.md")
