"""Finding a passage's text in an article body: exactly, or as close as it comes.

Every offset is in Unicode code points, which is how Python indexes ``str``
and how the W3C TextPositionSelector counts.

The work is bounded whatever the input: at most :data:`MAX_OCCURRENCES`
exact occurrences are collected, context is compared over at most
:data:`CONTEXT_LIMIT` code points, and an approximate search looks at no more
than :data:`APPROXIMATE_BUDGET` body-times-pattern code points (a few
milliseconds in rapidfuzz), narrowed to the neighbourhood of a hint when the
body is larger than that.
"""

from __future__ import annotations

import re

import attrs

__all__ = [
    "APPROXIMATE_BUDGET",
    "CONTEXT_LENGTH",
    "MAX_OCCURRENCES",
    "Candidate",
    "approximate",
    "context_score",
    "occurrences",
    "similarity",
    "surroundings",
]

#: The most exact occurrences collected for one text.
MAX_OCCURRENCES = 1_000
#: How much context is taken from an old body on each side of a passage (as Hypothesis does).
CONTEXT_LENGTH = 32
#: The most context compared on each side, whatever a caller supplies.
CONTEXT_LIMIT = 256
#: The largest body length times pattern length an approximate search covers.
APPROXIMATE_BUDGET = 50_000_000
#: Words shown on each side of a candidate.
_WORDS_AROUND = 4
#: Code points looked at on each side for those words.
_REACH = 60
#: The most code points shown on each side.
_SIDE = 30
_WORD = re.compile(r"\S+\s*")


@attrs.frozen
class Candidate:
    """A place where a passage may be: its offsets, the text there, and how well it fits.

    ``score`` is between 0 and 1: 1 is the exact text with matching context.
    ``similarity`` compares the text alone. ``before`` and ``after`` are the
    surrounding words, for a person to recognise the place.
    """

    start: int
    end: int
    text: str
    score: float
    similarity: float
    before: str
    after: str

    def describe(self) -> str:
        """``1129–1142 ("…the words before [the text] the words after…")``."""
        return f"{self.start}–{self.end} ({self.in_context()})"

    def in_context(self) -> str:
        text = _shorten(self.text, 40)
        return f"“…{self.before}[{text}]{self.after}…”"


def _shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    half = (limit - 1) // 2
    return text[:half] + "…" + text[len(text) - half :]


def surroundings(body: str, start: int, end: int) -> tuple[str, str]:
    """A few words of ``body`` on each side of ``[start, end)``, on one line."""
    window = _REACH
    head = body[max(0, start - window) : start]
    words = _WORD.findall(head)
    before = "".join(words[-_WORDS_AROUND:]) if len(words) > 1 else head
    tail = body[end : end + window]
    after = ""
    for count, match in enumerate(re.finditer(r"\s*\S+", tail)):
        if count == _WORDS_AROUND:
            break
        after = tail[: match.end()]
    # Whole words while they fit, so that five candidates fit in one short
    # message; a single long word is cut.
    while len(before) > _SIDE and " " in before.strip():
        before = before.lstrip().partition(" ")[2]
    while len(after) > _SIDE and " " in after.strip():
        after = after.rstrip().rpartition(" ")[0]
    before, after = before[-_SIDE:], after[:_SIDE]
    return before.replace("\n", " "), after.replace("\n", " ")


def occurrences(body: str, text: str, limit: int = MAX_OCCURRENCES) -> list[int]:
    """Where ``text`` starts in ``body``, overlapping occurrences included, at most ``limit``."""
    found: list[int] = []
    if not text:
        return found
    at = body.find(text)
    while at >= 0 and len(found) < limit:
        found.append(at)
        at = body.find(text, at + 1)
    return found


def similarity(a: str, b: str) -> float:
    """How alike two texts are, from 0 to 1 (rapidfuzz's normalised Indel similarity)."""
    if not a and not b:
        return 1.0
    # Imported when first needed: validation imports this module, and asks
    # for a similarity only for evidence not found at its offsets; rapidfuzz
    # is about 4 MB resident.
    from rapidfuzz import fuzz

    return float(fuzz.ratio(a, b)) / 100


def context_score(body: str, start: int, end: int, prefix: str | None, suffix: str | None) -> float:
    """How well the text around ``[start, end)`` agrees with the expected context, 0 to 1.

    Prefix and suffix count equally; one not given counts as agreeing, as in
    Hypothesis's ``matchQuote``.
    """
    before = after = 1.0
    if prefix:
        prefix = prefix[-CONTEXT_LIMIT:]
        before = similarity(body[max(0, start - len(prefix)) : start], prefix)
    if suffix:
        suffix = suffix[:CONTEXT_LIMIT]
        after = similarity(body[end : end + len(suffix)], suffix)
    return (before + after) / 2


def score(
    body: str,
    start: int,
    end: int,
    exact: str,
    prefix: str | None,
    suffix: str | None,
    hint: int | None,
) -> Candidate:
    """A candidate at ``[start, end)``, scored with Hypothesis's weights.

    Quote similarity 50, prefix 20, suffix 20 (context counts 40, the two
    halves equally), nearness to the hint 2 (a tie-breaker).
    """
    text = body[start:end]
    quote = 1.0 if text == exact else similarity(text, exact)
    context = context_score(body, start, end, prefix, suffix)
    near = 1.0 if hint is None or not body else 1.0 - min(abs(start - hint), len(body)) / len(body)
    total = (50 * quote + 40 * context + 2 * near) / 92
    before, after = surroundings(body, start, end)
    return Candidate(start, end, text, round(total, 4), round(quote, 4), before, after)


def approximate(body: str, pattern: str, hint: int | None = None) -> tuple[int, int, float] | None:
    """The stretch of ``body`` most like ``pattern``: start, end and similarity (0 to 1).

    Within :data:`APPROXIMATE_BUDGET`: a body too large to search whole is
    searched around ``hint``, or not at all when there is none.
    """
    if not pattern or not body:
        return None
    pattern = pattern[: APPROXIMATE_BUDGET // 1000]
    offset = 0
    if len(body) * len(pattern) > APPROXIMATE_BUDGET:
        if hint is None:
            return None
        reach = APPROXIMATE_BUDGET // len(pattern) // 2
        offset = max(0, hint - reach)
        body = body[offset : hint + reach]
    from rapidfuzz import fuzz  # loaded on first use, as in similarity()

    found = fuzz.partial_ratio_alignment(pattern, body)
    if found is None or found.score <= 0:
        return None
    start, end = found.dest_start, found.dest_end
    start, end = _to_word_edges(body, start, end)
    return offset + start, offset + end, similarity(body[start:end], pattern)


def _to_word_edges(body: str, start: int, end: int) -> tuple[int, int]:
    """Widen a stretch to whole words (within a word's length), so it reads as a passage."""
    reach = 30
    while start > 0 and reach and not body[start - 1].isspace() and not body[start].isspace():
        start -= 1
        reach -= 1
    while start < end and body[start].isspace():
        start += 1
    reach = 30
    while end < len(body) and reach and not body[end].isspace() and not body[end - 1].isspace():
        end += 1
        reach -= 1
    while end > start and body[end - 1].isspace():
        end -= 1
    return start, end
