"""'Did you mean': the nearest known name, value or id to a misspelt one.

Names and values come from short lists (a record's fields, an enumeration's
values), and difflib compares the word with each, as it always has. Ids grow
with the dataset: comparing each dangling reference with every id took 211 s
for 10,000 dangling references among 15,000 ids. :class:`IdSuggestions`
bounds that work for any input while keeping difflib's answer for ordinary
typos:

1. while a budget of comparisons lasts (:data:`COMPARISONS`, a fraction of a
   second), a reference is compared with every id of the kinds its field
   allows, exactly as before: a small dataset, or a large one with a handful
   of mistakes, gets the same suggestions as ever;
2. once the budget is spent, only the ids one edit away (a character left
   out, added, changed, or two swapped) are looked up, in time that depends
   on the length of the reference, not on the number of ids, for the first
   :data:`LOOKUPS` distinct references;
3. past those, a dangling reference is reported without a suggestion.

A reference longer than any id can be is never compared at all, and each
distinct reference is looked up once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .errors import excerpt

__all__ = ["COMPARISONS", "CUTOFF", "LOOKUPS", "IdSuggestions", "close_match", "hint"]

#: How alike (difflib's ratio) a word and an option must be to be suggested.
CUTOFF = 0.75

#: How many id comparisons one validation may spend on full searches.
COMPARISONS = 20_000

#: How many distinct references may then be looked up one edit away.
LOOKUPS = 2_000

# The characters of a valid id (the schema's pattern), tried in one-edit
# variants; a word that needs another character is not one edit from a valid id.
_ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789-"
# The schema's longest id, plus the one character an edit may add.
_LONGEST = 201


def hint(match: str | None) -> str:
    """The words that suggest ``match`` in a message, or nothing."""
    return f" (did you mean {excerpt(match)}?)" if match else ""


def close_match(word: Any, options: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for the option most like ``word``, or ``""``."""
    if not isinstance(word, str):
        return ""
    import difflib  # only a problem asks for a suggestion; valid data never imports it

    match = difflib.get_close_matches(word, list(options), n=1, cutoff=CUTOFF)
    return hint(match[0] if match else None)


class IdSuggestions:
    """Suggests the existing id meant by a dangling reference, in bounded time.

    ``kinds`` maps every id in the dataset to its kind of record;
    ``comparisons`` and ``lookups`` default to :data:`COMPARISONS` and
    :data:`LOOKUPS`.
    """

    def __init__(
        self,
        kinds: Mapping[str, str],
        comparisons: int | None = None,
        lookups: int | None = None,
    ) -> None:
        self._kinds = kinds
        self._budget = COMPARISONS if comparisons is None else comparisons
        self._lookups = LOOKUPS if lookups is None else lookups
        self._pools: dict[frozenset[str], list[str]] = {}
        self._found: dict[tuple[str, frozenset[str]], str | None] = {}

    def suggest(self, word: str, allowed: frozenset[str]) -> str | None:
        """The id most like ``word`` among those of an ``allowed`` kind, or ``None``."""
        key = (word, allowed)
        if key not in self._found:
            self._found[key] = self._search(word, allowed)
        return self._found[key]

    def _search(self, word: str, allowed: frozenset[str]) -> str | None:
        import difflib  # as in close_match: imported by the first dangling reference

        pool = self._pools.get(allowed)
        if pool is None:
            pool = self._pools[allowed] = [i for i, k in self._kinds.items() if k in allowed]
        if len(pool) <= self._budget:
            self._budget -= len(pool)
            found = difflib.get_close_matches(word, pool, n=1, cutoff=CUTOFF)
            return found[0] if found else None
        if self._lookups <= 0:
            return None
        self._lookups -= 1
        # A set of ids and a set of variants meet in C, walking the smaller.
        near = [i for i in self._kinds.keys() & _one_edit(word) if self._kinds[i] in allowed]
        # As difflib.get_close_matches ranks: the highest ratio, then the greatest id.
        scored = [(difflib.SequenceMatcher(None, word, i).ratio(), i) for i in near]
        best = max(scored, default=(0.0, ""))
        return best[1] if best[0] >= CUTOFF else None


def _one_edit(word: str) -> set[str]:
    """Every string one edit from ``word``: a deletion, transposition, change or insertion."""
    if len(word) > _LONGEST:
        return set()
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletions = [a + b[1:] for a, b in splits if b]
    swaps = [a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1]
    changes = [a + c + b[1:] for a, b in splits if b for c in _ID_ALPHABET]
    insertions = [a + c + b for a, b in splits for c in _ID_ALPHABET]
    return set(deletions + swaps + changes + insertions)
