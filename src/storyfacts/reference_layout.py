"""How each reference and date stands in a record of a definition, worked out once per definition.

The integrity check (:mod:`storyfacts.integrity`) reads every reference of
every record; where each stands (the field itself, each item of a list, a
field of each object in a list...) is decided here once per definition of
the schema rather than read from its path for every record.
"""

from __future__ import annotations

import functools
from typing import Any

from . import references
from .id_index import KIND_CODE

__all__ = ["FIELD", "ITEMS", "ITEM_FIELD", "OTHER", "SUB_FIELD", "Ref", "fields", "values_at"]

Parts = tuple[str | int, ...]

Path = tuple[str, ...]
_EACH: Path = (references.EACH,)


# How a reference stands in a record, decided once per definition rather than
# read from its path for every record: the field itself, each item of a list
# in it, a field of each object in a list (each evidence passage's article),
# a field of an object in it (a date's source), or any other path (walked by
# values_at).
FIELD, ITEMS, ITEM_FIELD, SUB_FIELD, OTHER = range(5)

#: A reference of a definition: how it stands, its first field, the field
#: below it (for ITEM_FIELD and SUB_FIELD), the rest of its path, the kinds
#: it may name, and their codes in the index.
Ref = tuple[int, str, str, Path, frozenset[str], frozenset[int]]


@functools.cache
def fields(definition: str) -> tuple[tuple[Ref, ...], tuple[tuple[str, Path], ...]]:
    """A definition's references, and its dates (field, rest of path)."""
    refs = []
    for ref in references.references(definition):
        head, rest = ref.path[0], ref.path[1:]
        if not rest:
            how, field = FIELD, ""
        elif rest == _EACH:
            how, field = ITEMS, ""
        elif len(rest) == 2 and rest[0] == references.EACH:
            how, field = ITEM_FIELD, rest[1]
        elif len(rest) == 1:
            how, field = SUB_FIELD, rest[0]
        else:
            how, field = OTHER, ""
        codes = frozenset(KIND_CODE[k] for k in ref.targets)
        refs.append((how, head, field, rest, ref.targets, codes))
    dates = tuple((path[0], path[1:]) for path in references.dates(definition))
    return tuple(refs), dates


def values_at(value: Any, path: tuple[str, ...], parts: Parts) -> list[tuple[Parts, Any]]:
    """(path, value) of each value at ``path`` below ``value`` (``*``: each item of a list)."""
    # A loop rather than recursion: most records lack most optional fields,
    # and this runs for every reference of every record.
    found: list[tuple[Parts, Any]] = [(parts, value)]
    for step in path:
        following: list[tuple[Parts, Any]] = []
        for where, value in found:
            if step == references.EACH:
                if isinstance(value, list):
                    following.extend(((*where, i), item) for i, item in enumerate(value))
            elif isinstance(value, dict) and step in value:
                following.append(((*where, step), value[step]))
        if not following:
            return following
        found = following
    return found
