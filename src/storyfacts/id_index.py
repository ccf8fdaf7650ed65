"""The index of ids a check keeps: one int per id, packing its kind, its section and its place.

A dict from each id to one int, rather than to a tuple of three: the index
is what a streaming check keeps for every record, however many
(:mod:`storyfacts.streaming`), so it is kept as small as it can be.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from . import kinds

__all__ = [
    "KIND_BITS",
    "KIND_CODE",
    "KIND_MASK",
    "KIND_NAMES",
    "SECTION_BITS",
    "SECTION_NAMES",
    "UNKNOWN",
    "Kinds",
    "pack",
    "parts_of",
]

Parts = tuple[str | int, ...]

SECTION_NAMES = tuple(section.name for section in kinds.SECTIONS)
KIND_NAMES = ("", *sorted(kinds.NAMES))  # "": a kind storyfacts does not know
KIND_CODE = {name: code for code, name in enumerate(KIND_NAMES)}
KIND_BITS, SECTION_BITS = 8, 4
KIND_MASK = (1 << KIND_BITS) - 1
#: No kind's code: what the inline tests read for an id not in the index.
UNKNOWN = KIND_MASK


def pack(kind: str, parts: Parts) -> int:
    """One int for a record of ``kind`` at ``parts`` (its section and place in it)."""
    section, index = parts
    return (
        (int(index) << (KIND_BITS + SECTION_BITS))
        | (SECTION_NAMES.index(str(section)) << KIND_BITS)
        | KIND_CODE.get(kind, 0)
    )


def parts_of(packed: int) -> Parts:
    """The section and place that :func:`pack` packed."""
    section = (packed >> KIND_BITS) & ((1 << SECTION_BITS) - 1)
    return SECTION_NAMES[section], packed >> (KIND_BITS + SECTION_BITS)


class Kinds(Mapping[str, str]):
    """The index read as id -> kind, as :class:`IdSuggestions` asks."""

    def __init__(self, index: dict[str, int]) -> None:
        self._index = index

    def __getitem__(self, rid: str) -> str:
        return KIND_NAMES[self._index[rid] & KIND_MASK]

    def __iter__(self) -> Iterator[str]:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)
