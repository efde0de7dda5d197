"""Per-language pages and navigation, without MkDocs."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from site_gen.errors import SiteGenError
from site_gen.generate import auto_nav, bounded_nav, nav_limit


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
