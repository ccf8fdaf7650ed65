"""Paragraphs and sentences of an article body, as offsets into it.

Every offset the drafter hands out counts Unicode code points from the start
of the body (Python ``str`` indices), so ``body[start:end]`` is the passage.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator

import attrs

__all__ = ["Span", "paragraphs", "sentence_around", "sentences"]


@attrs.frozen
class Span:
    """A stretch of the body: ``body[start:end]``."""

    start: int
    end: int

    def text(self, body: str) -> str:
        return body[self.start : self.end]


_PARAGRAPH = re.compile(r"[^\r\n]+")
# A sentence ends at . ! or ? (with any closing quotation mark or bracket after
# it) followed by white space and something that can start a sentence. Initials
# and abbreviations such as "U.S." or "Mr." are not sentence ends.
_SENTENCE_END = re.compile(r"[.!?][\"”’')\]]*\s+(?=[\"“‘'(\[]?[A-Z0-9])")
_ABBREVIATION = re.compile(
    r"(?:\b[A-Z]|\bMr|\bMrs|\bMs|\bDr|\bSt|\bNo|\bvs|\bJr|\bSr|\bGen|\bCol)$"
)


def paragraphs(body: str) -> Iterator[Span]:
    """Each non-blank line of the body, without surrounding white space."""
    for match in _PARAGRAPH.finditer(body):
        start = match.start()
        text = match.group()
        stripped = text.strip()
        if not stripped:
            continue
        start += len(text) - len(text.lstrip())
        yield Span(start, start + len(stripped))


def sentences(body: str, paragraph: Span) -> Iterator[Span]:
    """The sentences of one paragraph."""
    start = paragraph.start
    text = paragraph.text(body)
    for match in _SENTENCE_END.finditer(text):
        stop = match.start() + 1
        if _ABBREVIATION.search(text[: match.start()]):
            continue
        closing = len(match.group().rstrip()) - 1
        end = paragraph.start + stop + closing
        if end > start:
            yield Span(start, end)
        start = paragraph.start + match.end()
    if start < paragraph.end:
        yield Span(start, paragraph.end)


def sentence_around(body: str, paragraph: Span, offset: int) -> Span:
    """The sentence of ``paragraph`` that holds ``offset``."""
    found = paragraph
    for sentence in sentences(body, paragraph):
        found = sentence
        if offset < sentence.end:
            return sentence
    return found


# Where else a sentence starts: inside an opening quotation mark ("Nobody
# wants ...") and after a dateline's dash ("LEEDS (Wire) - Junior doctors").
_INNER_START = re.compile(r"(?:^|[\s(])[\"“‘]\s*(?=[A-Z])|\)\s*[–—-]\s*(?=[A-Z])")


def sentence_starts(body: str) -> frozenset[int]:
    """Offsets where a sentence begins, a quoted one included."""
    starts = {s.start for p in paragraphs(body) for s in sentences(body, p)}
    starts.update(m.end() for m in _INNER_START.finditer(body))
    return frozenset(starts)


class Spans:
    """Spans that do not overlap, kept in order: "is this place taken?" in log time.

    Each drafting rule claims the passages it explains; a later, weaker rule
    skips a passage an earlier one took. Kept sorted so that the check stays
    cheap for the longest article (a list scanned each time made drafting
    quadratic in the article's length).
    """

    def __init__(self, spans: Iterable[Span] = ()) -> None:
        self._starts: list[int] = []
        self._spans: list[Span] = []
        for span in sorted(spans, key=lambda s: s.start):
            self._starts.append(span.start)
            self._spans.append(span)

    def overlaps(self, span: Span) -> bool:
        i = bisect.bisect_left(self._starts, span.end)
        # Only the span starting last before ``span.end`` can reach into it.
        return i > 0 and self._spans[i - 1].end > span.start

    def holding(self, offset: int) -> Span | None:
        """The span that holds ``offset``, if any."""
        i = bisect.bisect_right(self._starts, offset)
        if i and self._spans[i - 1].start <= offset < self._spans[i - 1].end:
            return self._spans[i - 1]
        return None

    def add(self, span: Span) -> None:
        i = bisect.bisect_left(self._starts, span.start)
        self._starts.insert(i, span.start)
        self._spans.insert(i, span)
