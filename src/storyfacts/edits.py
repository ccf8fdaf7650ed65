"""Counting edits to the model: a dataset found valid and not edited since is not checked again.

A :class:`~storyfacts.Dataset` is a tree of records (the attrs classes of
:mod:`storyfacts.model`) and lists. Every edit to it passes through one of
two doors, and both advance one count kept for the whole process
(:func:`count`):

* assigning a field of a record (``quote.speaker = "xi"``,
  ``quote.date.value = "2024"``): each field's ``on_setattr`` hook is
  :func:`note_edit` (see :func:`storyfacts.fieldtypes.checked_fields`);
* changing a :class:`WatchedList` in place (``dataset.statements.append(q)``,
  ``q.evidence[0] = e``, ``del``, ``+=``, ``.sort()``...): every list that
  :func:`storyfacts.load` and the model's defaults make is one.

So when validation found a dataset valid and the count has not moved since
it started reading, nothing in the dataset can have changed
(:mod:`storyfacts.validity` keeps that proof). The count is one for the whole
process: an edit to any record, in any dataset, moves it, and the next check
of every dataset then validates it again. That costs a validation, never a
wrong verdict.

What the count cannot see is an edit that goes round both doors: a plain
``list`` (a record built as ``Quote(evidence=[...])``) changed in place, or
Python's own bypasses (``object.__setattr__(record, ...)``,
``list.append(watched, ...)``, :mod:`heapq` on a model list). A dataset
holding a plain list is therefore never proved by the count
(:func:`storyfacts.fieldtypes.checked_types` says whether every list is
watched); its proof is a fingerprint of its data.

The count is taken from :func:`itertools.count`, whose ``next`` is one step
that threads cannot interleave: every edit stores a value never stored
before, so a count equal to the one remembered means no edit began since,
even with threads.
"""

from __future__ import annotations

import itertools
from typing import Any, SupportsIndex, TypeVar

__all__ = ["WatchedList", "count", "note_edit", "watched"]

_T = TypeVar("_T")

_ticks = itertools.count(1)
#: The tick of the latest edit (0: none yet). Each edit stores a new tick
#: *before* it changes anything, so a check that read the count first and
#: then found the data valid has seen every edit that the count says it saw.
_latest = 0


def count() -> int:
    """Where the count of edits stands: as it was before only if nothing was edited since."""
    return _latest


def note_edit(record: Any, attribute: Any, value: _T) -> _T:
    """The ``on_setattr`` hook of every field of the model: count the edit, keep the value."""
    global _latest
    _latest = next(_ticks)
    return value


class WatchedList(list[_T]):
    """A ``list`` that counts each change made to it in place; reading it is ``list``'s own code.

    Equal to a plain list with the same items; pickled, copied and written
    as JSON as one. The lists that :func:`storyfacts.load` and
    :func:`storyfacts.draft` make, and a new ``Dataset``'s empty sections,
    are these. Making one with ``WatchedList(items)`` counts as an edit;
    :func:`watched` makes one that does not.
    """

    __slots__ = ()

    # Each method notes the edit inline (not through note_edit) to save a call.

    def __init__(self, items: Any = (), /) -> None:  # re-initialising one is an edit
        global _latest
        _latest = next(_ticks)
        list.__init__(self, items)

    def append(self, item: _T, /) -> None:
        global _latest
        _latest = next(_ticks)
        list.append(self, item)

    def extend(self, items: Any, /) -> None:
        global _latest
        _latest = next(_ticks)
        list.extend(self, items)

    def insert(self, index: SupportsIndex, item: _T, /) -> None:
        global _latest
        _latest = next(_ticks)
        list.insert(self, index, item)

    def pop(self, index: SupportsIndex = -1, /) -> _T:
        global _latest
        _latest = next(_ticks)
        return list.pop(self, index)

    def remove(self, item: _T, /) -> None:
        global _latest
        _latest = next(_ticks)
        list.remove(self, item)

    def clear(self) -> None:
        global _latest
        _latest = next(_ticks)
        list.clear(self)

    def sort(self, *, key: Any = None, reverse: bool = False) -> None:
        global _latest
        _latest = next(_ticks)
        list.sort(self, key=key, reverse=reverse)

    def reverse(self) -> None:
        global _latest
        _latest = next(_ticks)
        list.reverse(self)

    def __setitem__(self, index: Any, value: Any, /) -> None:
        global _latest
        _latest = next(_ticks)
        list.__setitem__(self, index, value)

    def __delitem__(self, index: Any, /) -> None:
        global _latest
        _latest = next(_ticks)
        list.__delitem__(self, index)

    def __iadd__(self, items: Any, /) -> WatchedList[_T]:  # type: ignore[override,misc]
        global _latest
        _latest = next(_ticks)
        list.extend(self, items)
        return self

    def __imul__(self, times: SupportsIndex, /) -> WatchedList[_T]:
        global _latest
        _latest = next(_ticks)
        list.__imul__(self, times)
        return self


_new_list = list.__new__
_fill = list.extend


def watched(items: Any = ()) -> WatchedList[Any]:
    """A new :class:`WatchedList` of ``items``, not counted as an edit (nothing held it yet)."""
    made: WatchedList[Any] = _new_list(WatchedList)
    _fill(made, items)
    return made
