"""The index of ids a check keeps: each id's kind as a small int, its first place in an array.

The index is what a streaming check keeps for every record, however many
(:mod:`storyfacts.streaming`), so it is kept as small as it can be: a dict
from each id to its kind's code, an int below 256, which Python shares
rather than makes one of per id, and the place of each id's record (its
section and index, packed) in an array, 8 bytes an id, in the order the ids
came. A dict to one int per id, packing kind and place, took 32 bytes an id
for the int (0.5 MiB at 10,000 statements; issue 11).

Only a duplicate id needs the place of the first, and finding an id's turn
in the dict takes a pass over it, so the places are looked up for all the
duplicates at once (:meth:`IdIndex.first_places`), when they are reported.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from . import kinds

__all__ = [
    "KIND_CODE",
    "KIND_NAMES",
    "SECTION_NAMES",
    "UNKNOWN",
    "IdIndex",
    "Kinds",
]

Parts = tuple[str | int, ...]

SECTION_NAMES = tuple(section.name for section in kinds.SECTIONS)
KIND_NAMES = ("", *sorted(kinds.NAMES))  # "": a kind storyfacts does not know
KIND_CODE = {name: code for code, name in enumerate(KIND_NAMES)}
#: No kind's code: what the inline tests read for an id not in the index.
UNKNOWN = 255
assert len(KIND_NAMES) < UNKNOWN  # every code is an int Python shares (up to 256)
_SECTION_BITS = 2
assert len(SECTION_NAMES) <= 1 << _SECTION_BITS
_SECTION_CODE = {name: code for code, name in enumerate(SECTION_NAMES)}


class IdIndex:
    """Each id's kind code (:attr:`kinds`, read inline by the checks) and first place."""

    def __init__(self) -> None:
        #: id -> its kind's code (KIND_CODE; 0 for a kind storyfacts does not know).
        self.kinds: dict[str, int] = {}
        # The packed place of each id in kinds, in the same order.
        self._places = array("Q")

    def add(self, rid: str, kind: str, parts: Parts) -> bool:
        """Index the record of ``kind`` at ``parts`` by ``rid``; ``False`` if ``rid`` is taken."""
        if rid in self.kinds:
            return False
        section, index = parts
        self.kinds[rid] = KIND_CODE.get(kind, 0)
        self._places.append((int(index) << _SECTION_BITS) | _SECTION_CODE[str(section)])
        return True

    def add_all(
        self, located: Iterable[tuple[Parts, str, Any, dict[str, Any]]]
    ) -> list[tuple[Parts, str]]:
        """:meth:`add` each ``(parts, kind, _, record)``: the parts and id of each duplicate."""
        known = self.kinds
        places = self._places
        codes = KIND_CODE.get
        sections = _SECTION_CODE
        duplicates: list[tuple[Parts, str]] = []
        for parts, kind, _, record in located:
            rid = record.get("id")
            if not isinstance(rid, str):
                continue
            if rid in known:
                duplicates.append((parts, rid))
                continue
            section, index = parts
            known[rid] = codes(kind, 0)
            places.append((int(index) << _SECTION_BITS) | sections[str(section)])
        return duplicates

    def first_places(self, rids: Iterable[str]) -> dict[str, Parts]:
        """The section and place of the record each of ``rids`` first named, in one pass."""
        wanted = set(rids)
        found: dict[str, Parts] = {}
        if not wanted:
            return found
        places = self._places
        for turn, rid in enumerate(self.kinds):
            if rid in wanted:
                packed = places[turn]
                section = SECTION_NAMES[packed & ((1 << _SECTION_BITS) - 1)]
                found[rid] = (section, packed >> _SECTION_BITS)
        return found


class Kinds(Mapping[str, str]):
    """The index read as id -> kind, as :class:`IdSuggestions` asks."""

    def __init__(self, index: dict[str, int]) -> None:
        self._index = index

    def __getitem__(self, rid: str) -> str:
        return KIND_NAMES[self._index[rid]]

    def __iter__(self) -> Iterator[str]:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)
