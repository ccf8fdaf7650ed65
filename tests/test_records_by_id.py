"""RecordsById finds what a dict from id to record finds, in a few bytes a record."""

from __future__ import annotations

import tracemalloc

import attrs
import pytest

from storyfacts.records_by_id import RecordsById


@attrs.frozen
class Item:
    id: str
    n: int


class SameHash(str):
    """An id whose hash collides with every other one's, so every search walks a chain."""

    def __hash__(self) -> int:
        return 7


def as_dict(*groups: list[Item]) -> dict[str, Item]:
    return {item.id: item for group in groups for item in group}


@pytest.mark.parametrize("make_id", [str, SameHash])
def test_it_finds_what_a_dict_finds(make_id: type[str]) -> None:
    """Every id finds its record, a repeated id the last one, an unknown id or None nothing."""
    first = [Item(make_id(f"a{i}"), i) for i in range(40)]
    second = [Item(make_id(f"b{i}"), i) for i in range(25)] + [Item(make_id("a3"), 99)]
    third = [Item(make_id(f"c{i}"), i) for i in range(3)]
    found = RecordsById(first, second, third)
    expected = as_dict(first, second, third)
    for item_id, item in expected.items():
        assert found.get(item_id) is item
    assert found.get(make_id("a3")) == Item("a3", 99)
    assert found.get(make_id("nowhere")) is None
    assert found.get(None) is None
    assert len(found) == 69


def test_positions_run_through_the_sequences_in_order() -> None:
    """A position counts the sequences one after another, and leads back to its record."""
    first = [Item("x", 0), Item("y", 1)]
    second = [Item("z", 2)]
    found = RecordsById(first, second)
    assert [found.position(i) for i in ("x", "y", "z", "w")] == [0, 1, 2, None]
    assert [found.at(p) for p in range(3)] == [*first, *second]
    with pytest.raises(IndexError):
        found.at(3)


def test_one_sequence_and_none() -> None:
    """One sequence is indexed directly; no sequence finds nothing."""
    only = [Item(f"id-{i}", i) for i in range(1000)]
    found = RecordsById(only)
    assert all(found.position(item.id) == item.n for item in only)
    assert RecordsById[Item]().get("id-1") is None


def test_it_keeps_a_few_bytes_a_record_where_a_dict_keeps_more() -> None:
    """The index of 100,000 records takes at most 16 bytes a record, under half a dict's."""
    items = [Item(f"record-{i}", i) for i in range(100_000)]
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        found = RecordsById(items)
        ours = tracemalloc.get_traced_memory()[0] - before
        before = tracemalloc.get_traced_memory()[0]
        index = as_dict(items)
        theirs = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert found.get("record-99999") is index["record-99999"]
    assert ours <= 16 * len(items) + 1024
    assert ours < theirs / 2
