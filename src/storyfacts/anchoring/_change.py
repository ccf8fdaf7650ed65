"""Mapping offsets from an old article body to a new one, through the change between them.

The change is a word-level diff (rapidfuzz's ``Indel.opcodes``, which is
deterministic and runs in C) of the part of the two bodies that differs,
after their common beginning and end are set aside. Words, runs of spaces
and single punctuation marks are the tokens: aligning whole words keeps a
passage from being stitched together out of stray letters that happen to
match, and it makes the diff about six times shorter than one on letters.

A diff costs time in proportion to the product of the two token counts, so
above :data:`MAX_DIFF_CELLS` the middle is treated as one replaced block:
offsets before and after it still map exactly, and passages inside it are
left to be found by their text.
"""

from __future__ import annotations

import bisect
import re

import attrs

__all__ = ["MAX_DIFF_CELLS", "BodyChange", "common_prefix_length", "common_suffix_length"]

#: The largest product of token counts the diff is run on (about a second's work).
MAX_DIFF_CELLS = 1_000_000_000

_TOKEN = re.compile(r"\w+\s*|[^\w\s]\s*|\s+")


def common_prefix_length(a: str, b: str) -> int:
    """How many code points ``a`` and ``b`` share at the start (binary search on slices)."""
    low, high = 0, min(len(a), len(b))
    while low < high:
        middle = (low + high + 1) // 2
        if a[:middle] == b[:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def common_suffix_length(a: str, b: str, limit: int) -> int:
    """How many code points ``a`` and ``b`` share at the end, at most ``limit``."""
    low, high = 0, min(len(a), len(b), limit)
    while low < high:
        middle = (low + high + 1) // 2
        if a[len(a) - middle :] == b[len(b) - middle :]:
            low = middle
        else:
            high = middle - 1
    return low


@attrs.frozen
class _Block:
    """Text the two bodies share: old ``[old_start, old_end)`` is new ``[new_start, ...)``."""

    old_start: int
    old_end: int
    new_start: int

    @property
    def new_end(self) -> int:
        return self.new_start + self.old_end - self.old_start


class BodyChange:
    """The change from ``old`` to ``new``, built once and used to map many offsets."""

    def __init__(self, old: str, new: str) -> None:
        self.old = old
        self.new = new
        head = common_prefix_length(old, new)
        tail = common_suffix_length(old[head:], new[head:], len(old) - head)
        blocks: list[_Block] = []
        if head:
            blocks.append(_Block(0, head, 0))
        blocks.extend(
            _middle_blocks(old[head : len(old) - tail], new[head : len(new) - tail], head)
        )
        if tail:
            blocks.append(_Block(len(old) - tail, len(old), len(new) - tail))
        self._blocks = blocks
        self._ends = [b.old_end for b in blocks]

    @property
    def unchanged(self) -> bool:
        return self.old == self.new

    def map_start(self, offset: int) -> int:
        """Where old ``offset`` is in the new body, as the start of a passage.

        Inside shared text it maps exactly; inside changed text it maps to
        the start of what replaced it.
        """
        k = bisect.bisect_right(self._ends, offset)
        if k < len(self._blocks) and self._blocks[k].old_start <= offset:
            block = self._blocks[k]
            return block.new_start + offset - block.old_start
        return self._blocks[k - 1].new_end if k > 0 else 0

    def map_end(self, offset: int) -> int:
        """Where old ``offset`` is in the new body, as the end of a passage."""
        k = bisect.bisect_left(self._ends, offset)
        if k < len(self._blocks) and self._blocks[k].old_start < offset:
            block = self._blocks[k]
            return block.new_start + offset - block.old_start
        return self._blocks[k].new_start if k < len(self._blocks) else len(self.new)


def _middle_blocks(old: str, new: str, offset: int) -> list[_Block]:
    """Shared blocks of the differing middles, in body offsets (``offset`` is where they start)."""
    if not old or not new:
        return []
    old_tokens = [(m.start(), m.group()) for m in _TOKEN.finditer(old)]
    new_tokens = [(m.start(), m.group()) for m in _TOKEN.finditer(new)]
    if len(old_tokens) * len(new_tokens) > MAX_DIFF_CELLS:
        return []
    # rapidfuzz (its compiled parts, about 4 MB resident) is loaded by the first
    # diff, not by validation, which imports this package but never diffs.
    from rapidfuzz.distance import Indel

    out: list[_Block] = []
    opcodes = Indel.opcodes([t for _, t in old_tokens], [t for _, t in new_tokens])
    for op in opcodes:
        if op.tag != "equal":
            continue
        old_start = old_tokens[op.src_start][0]
        last = old_tokens[op.src_end - 1]
        old_end = last[0] + len(last[1])
        new_start = new_tokens[op.dest_start][0]
        out.append(_Block(offset + old_start, offset + old_end, offset + new_start))
    return out
