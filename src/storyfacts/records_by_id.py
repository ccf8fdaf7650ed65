"""Finding a dataset's records by id in a few bytes per record, for exporters that stream.

An exporter that writes one record at a time still has to follow references
(a quote's speaker, an event's organiser) to records written elsewhere. A
dict from id to record costs 27 to 40 bytes a record (some 60 MiB for the
1.56 million records of a 1,000,000-statement dataset); :class:`RecordsById`
keeps only each record's position in the dataset's own lists, in an
open-addressing table of 4-byte slots at most half full: 8 to 16 bytes a
record, and the ids stay where they are, in the records. A search costs a
few Python steps where a dict's is one C call, which is why it is kept for
the exports that stream, where memory flat in N is the point.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Sequence
from typing import Generic, Protocol, TypeVar


class _HasId(Protocol):
    @property
    def id(self) -> str: ...


R = TypeVar("R", bound=_HasId)

_EMPTY = -1


class RecordsById(Generic[R]):
    """The records of some sequences by id; a repeated id finds the last one, as a dict would.

    The sequences must not change while this is in use: it holds positions in them.
    """

    def __init__(self, *groups: Sequence[R]) -> None:
        self._groups = groups
        starts = [0]
        for group in groups:
            starts.append(starts[-1] + len(group))
        self._starts = starts
        self._from_last = list(zip(starts, groups, strict=False))[::-1]
        # With one sequence (the usual case), its own item lookup finds a record.
        self.at: Callable[[int], R] = groups[0].__getitem__ if len(groups) == 1 else self._at
        total = starts[-1]
        # At most half full, so that a search rarely looks at more than two slots.
        size = 1 << max(3, (2 * total).bit_length())
        self._mask = mask = size - 1
        self._slots = slots = array("i", [_EMPTY]) * size
        at = self.at
        position = 0
        for group in groups:
            for record in group:
                slot = hash(record.id) & mask
                while (held := slots[slot]) != _EMPTY and at(held).id != record.id:
                    slot = (slot + 1) & mask
                slots[slot] = position
                position += 1

    def __len__(self) -> int:
        return self._starts[-1]

    def _at(self, position: int) -> R:
        """The record at ``position`` of the sequences taken one after another."""
        for start, group in self._from_last:
            if position >= start:
                return group[position - start]
        raise IndexError(position)

    def position(self, record_id: str | None) -> int | None:
        """Where the record with this id is (see :meth:`at`), or ``None``."""
        if record_id is None:
            return None
        slots, mask, at = self._slots, self._mask, self.at
        slot = hash(record_id) & mask
        while (held := slots[slot]) != _EMPTY:
            if at(held).id == record_id:
                return held
            slot = (slot + 1) & mask
        return None

    def get(self, record_id: str | None) -> R | None:
        """The record with this id, or ``None``."""
        # position() written out again: this is the lookup the exporters make most.
        if record_id is None:
            return None
        slots, mask, at = self._slots, self._mask, self.at
        slot = hash(record_id) & mask
        while (held := slots[slot]) != _EMPTY:
            record = at(held)
            if record.id == record_id:
                return record
            slot = (slot + 1) & mask
        return None
