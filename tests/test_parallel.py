"""Work in forked workers: results in order, every error reported, the parent's memory shared."""

from __future__ import annotations

import gc
import os

import pytest

from site_gen.errors import SiteGenError, SiteGenErrors
from site_gen.parallel import Background, shared, split


def _square_in_a_worker(number: int) -> tuple[int, int]:
    return number * number, os.getpid()


def _fail_on_odd(number: int) -> int:
    if number % 2:
        raise SiteGenError(f"page-{number}.md", number, "broken", "fix it")
    return number


def _frozen_objects(_: int) -> int:
    return gc.get_freeze_count()


def test_results_come_in_the_order_of_the_items_from_other_processes() -> None:
    results = list(Background(_square_in_a_worker, range(6), workers=2).results())
    assert [square for square, _ in results] == [0, 1, 4, 9, 16, 25]
    assert {pid for _, pid in results} - {os.getpid()}  # the work left this process


def test_every_failing_item_is_reported_together() -> None:
    with pytest.raises(SiteGenErrors) as raised:
        list(Background(_fail_on_odd, range(5), workers=2).results())
    assert [error.line for error in raised.value.errors] == [1, 3]


def test_workers_leave_what_they_inherit_to_the_parent_and_the_parent_keeps_collecting() -> None:
    """The objects a worker inherits are frozen in it (its garbage collector never touches
    them, so their memory stays shared), and in the parent they are collected as before."""
    assert gc.get_freeze_count() == 0
    inherited = list(Background(_frozen_objects, range(2), workers=2).results())
    assert all(count > 1000 for count in inherited)
    assert gc.get_freeze_count() == 0


def test_split_deals_items_into_even_non_empty_parts() -> None:
    assert split(list(range(7)), 3) == [[0, 3, 6], [1, 4], [2, 5]]
    assert split([1], 4) == [[1]]


def _scaled(number: int) -> tuple[int, int]:
    return number * shared("factor"), os.getpid()


@pytest.mark.parametrize("workers", [2, 1], ids=["forked", "in this process"])
def test_what_a_pool_shares_reaches_its_work_wherever_it_runs_and_is_not_kept(workers: int) -> None:
    first = Background(_scaled, range(3), workers=workers, share={"factor": 10})
    second = Background(_scaled, range(3), workers=workers, share={"factor": 100})  # before the first's results
    assert [value for value, _ in first.results()] == [0, 10, 20]
    assert [value for value, _ in second.results()] == [0, 100, 200]
    with pytest.raises(LookupError, match="'factor' was not shared"):
        shared("factor")  # this process keeps nothing of it
