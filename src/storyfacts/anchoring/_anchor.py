"""Anchoring a passage in an article body by its text, and finding it again after an edit.

A passage is described as the W3C Web Annotation model describes one: a
TextQuoteSelector (``exact``, with optional ``prefix`` and ``suffix``) and a
TextPositionSelector (``start``, ``end``, in Unicode code points). Finding it
again follows the Hypothesis client's ``anchor``/``matchQuote``: the position
first when the text there still matches, then the exact occurrences, then
an approximate search, candidates scored by quote similarity, prefix, suffix
and nearness to the old position. Two things go further than Hypothesis:

* when the old body is known, old offsets are mapped through the change
  (:class:`~storyfacts.anchoring.BodyChange`) before anything is searched;
* when the quoted words themselves were edited, another exact copy of them
  elsewhere is not taken for the passage: where the passage's own context
  (prefix + exact + suffix) still stands, that place is a candidate too,
  and two candidates are a question for a person, never a silent choice.

Only ``anchored`` and ``moved`` results are meant to be applied;
``approximate``, ``ambiguous`` and ``lost`` need a person.
"""

from __future__ import annotations

from typing import Literal

import attrs

from ._change import BodyChange
from ._search import (
    CONTEXT_LENGTH,
    CONTEXT_LIMIT,
    MAX_OCCURRENCES,
    Candidate,
    approximate,
    context_score,
    occurrences,
    score,
)

__all__ = ["APPROXIMATE_FLOOR", "Anchoring", "Status", "find", "reanchor"]

Status = Literal["anchored", "moved", "approximate", "ambiguous", "lost"]

#: The least text similarity for a closest passage to count as approximate rather than lost.
APPROXIMATE_FLOOR = 0.5
#: How well old context must agree around an exact occurrence for it to be the passage.
CONTEXT_FLOOR = 0.75
#: Candidates kept in a result, at most.
KEPT = 10
#: Candidates named in a message, at most (a problem's message stays under 1,000 characters).
SHOWN = 5


@attrs.frozen
class Anchoring:
    """Where a passage is in a body, or why that cannot be said without a person.

    ``start`` and ``end`` are set for ``anchored`` and ``moved`` (the place to
    use) and for ``approximate`` (the best guess, not to be used unconfirmed).
    ``candidates`` lists the places considered, best first: every occurrence
    for ``ambiguous`` (``count`` says how many there are in all), the closest
    passage for ``approximate`` and ``lost``.
    """

    status: Status
    exact: str
    start: int | None = None
    end: int | None = None
    score: float = 0.0
    candidates: tuple[Candidate, ...] = ()
    count: int = 0
    #: The offsets the passage had before, when it had any.
    was: tuple[int, int] | None = None

    @property
    def applied(self) -> bool:
        """Whether the result is certain enough to use without asking anyone."""
        return self.status in ("anchored", "moved")

    @property
    def closest(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None

    def describe(self) -> str:
        """One sentence saying where the passage is, or what a person must decide."""
        if self.status == "anchored":
            return f"The text is at {self.start}–{self.end}."
        if self.status == "moved":
            was = f" (it was at {self.was[0]}–{self.was[1]})" if self.was else ""
            return f"The text is now at {self.start}–{self.end}{was}."
        if self.status == "ambiguous":
            shown = "; ".join(f"at {c.describe()}" for c in self.candidates[:SHOWN])
            more = f"; and {self.count - SHOWN} more" if self.count > SHOWN else ""
            many = f"at least {self.count}" if self.count >= MAX_OCCURRENCES else str(self.count)
            return (
                f"The text occurs {many} times: {shown}{more}. Say which one is meant by giving "
                "a few words of the text before it (prefix) or after it (suffix), or its start "
                "and end."
            )
        closest = self.closest
        if closest is None:
            return "The text is nowhere in the article, and nothing in it comes close."
        if self.status == "approximate":
            return (
                f"The exact text is not in the article; the closest passage is at "
                f"{closest.describe()}, {closest.similarity:.0%} similar. Check it and correct the "
                "text or the offsets."
            )
        return (
            f"The text is nowhere in the article; the closest passage, at {closest.describe()}, "
            f"is only {closest.similarity:.0%} similar."
        )


def find(
    body: str,
    exact: str,
    *,
    prefix: str | None = None,
    suffix: str | None = None,
    near: int | None = None,
) -> Anchoring:
    """Find ``exact`` in ``body``, choosing among occurrences by context or nearness.

    One occurrence whose context agrees with ``prefix`` and ``suffix`` (when
    given) is ``anchored``. Several are ``ambiguous`` unless ``near`` (a code
    point offset) is strictly closer to one of them. None gives the closest
    passage: ``approximate`` when it is at least half similar, else ``lost``.
    """
    starts = occurrences(body, exact)
    if not starts:
        return _closest(body, exact, prefix, suffix, near, was=None)
    fitting = [s for s in starts if _context_agrees(body, s, s + len(exact), prefix, suffix)]
    if len(fitting) == 1 and len(starts) < MAX_OCCURRENCES:
        return _at(body, exact, fitting[0], "anchored")
    if len(fitting) > 1 and near is not None:
        nearest = _strictly_nearest(fitting, near)
        if nearest is not None:
            return _at(body, exact, nearest, "anchored")
    if not fitting:
        # The words are there, but not where the context says: a person decides.
        found = [score(body, s, s + len(exact), exact, prefix, suffix, near) for s in starts]
        found.sort(key=lambda c: -c.score)
        best = found[0]
        return Anchoring(
            "approximate" if len(found) == 1 else "ambiguous",
            exact,
            best.start,
            best.end,
            best.score,
            tuple(found[:KEPT]),
            len(found),
        )
    return _ambiguous(body, exact, fitting, prefix, suffix, near, was=None)


def reanchor(
    body: str,
    exact: str,
    *,
    start: int | None = None,
    end: int | None = None,
    old_body: str | None = None,
    change: BodyChange | None = None,
    prefix: str | None = None,
    suffix: str | None = None,
) -> Anchoring:
    """Find a passage again in ``body``, the new text of its article.

    ``start`` and ``end`` are its old offsets; ``old_body`` (or a
    :class:`BodyChange` already built for the pair) is the body they
    pointed into, when known. In order: the exact text still at the old
    place is ``anchored``; old offsets mapped through the change onto the
    exact text are ``moved``; otherwise the passage is located by its text
    and context, the old (or mapped) position breaking ties.
    """
    if change is None and old_body is not None:
        change = BodyChange(old_body, body)
    was = (start, end) if start is not None and end is not None else None
    valid_before = (
        change is not None and was is not None and change.old[was[0] : was[1]] == exact and exact
    )
    mapped: tuple[int, int] | None = None
    if valid_before and change is not None and was is not None:
        if prefix is None and suffix is None:
            prefix = change.old[max(0, was[0] - CONTEXT_LENGTH) : was[0]]
            suffix = change.old[was[1] : was[1] + CONTEXT_LENGTH]
        mapped = (change.map_start(was[0]), change.map_end(was[1]))
    in_place = was is not None and body[was[0] : was[1]] == exact and bool(exact)
    if in_place and was is not None:
        if mapped is None or mapped == was or body[mapped[0] : mapped[1]] != exact:
            return _at(body, exact, was[0], "anchored", was=was)
        # The old place reads right, but the change says the passage went elsewhere.
        both = [was[0], mapped[0]]
        return _ambiguous(body, exact, both, prefix, suffix, mapped[0], was=was)
    if mapped is not None and body[mapped[0] : mapped[1]] == exact:
        return _at(body, exact, mapped[0], "moved", was=was)
    hint = mapped[0] if mapped is not None else (was[0] if was is not None else None)
    return _locate(body, exact, prefix, suffix, hint, mapped, was)


def _locate(
    body: str,
    exact: str,
    prefix: str | None,
    suffix: str | None,
    hint: int | None,
    mapped: tuple[int, int] | None,
    was: tuple[int, int] | None,
) -> Anchoring:
    """Locate by text and context, never jumping to a copy the context does not support."""
    starts = occurrences(body, exact)
    # Where the passage's own surroundings still stand, even if its words were edited.
    edited = _edited_in_place(body, exact, prefix, suffix, mapped, hint)
    if starts:
        # Context taken from an old body may itself have been edited a little,
        # so here it must agree mostly, not exactly.
        fitting = [
            s
            for s in starts
            if context_score(body, s, s + len(exact), prefix, suffix) >= CONTEXT_FLOOR
        ]
        if len(fitting) == 1 and edited is None and len(starts) < MAX_OCCURRENCES:
            return _at(body, exact, fitting[0], _moved_or_anchored(fitting[0], was), was=was)
        pool = [score(body, s, s + len(exact), exact, prefix, suffix, hint) for s in starts]
        if edited is not None:
            pool.append(edited)
        pool.sort(key=lambda c: (-c.score, c.start))
        best = pool[0]
        many: Status = "ambiguous" if len(pool) > 1 else "approximate"
        return Anchoring(
            many,
            exact,
            best.start,
            best.end,
            best.score,
            tuple(pool[:KEPT]),
            len(pool),
            was,
        )
    if edited is not None:
        if edited.similarity >= APPROXIMATE_FLOOR:
            return Anchoring(
                "approximate", exact, edited.start, edited.end, edited.score, (edited,), 1, was
            )
        return Anchoring("lost", exact, None, None, edited.score, (edited,), 1, was)
    return _closest(body, exact, prefix, suffix, hint, was)


def _edited_in_place(
    body: str,
    exact: str,
    prefix: str | None,
    suffix: str | None,
    mapped: tuple[int, int] | None,
    hint: int | None,
) -> Candidate | None:
    """The passage where its context puts it, when its own words there were edited."""
    if mapped is not None and mapped[0] < mapped[1]:
        text = body[mapped[0] : mapped[1]]
        if text != exact:
            return score(body, mapped[0], mapped[1], exact, prefix, suffix, hint)
    if not prefix or not suffix:
        return None
    # The window prefix + exact + suffix, searched as a whole (Hypothesis searches
    # the exact text alone, and so jumps to another copy of it).
    window = prefix + exact + suffix
    if exact in body and window in body:
        return None  # the passage stands unedited; its exact occurrences decide
    located = approximate(body, window, hint)
    if located is None:
        return None
    inner = _between(body, located[0], located[1], prefix[-CONTEXT_LIMIT:], suffix[:CONTEXT_LIMIT])
    if inner is None:
        return None
    inner_start, inner_end = inner
    if body[inner_start:inner_end] == exact:
        return None
    return score(body, inner_start, inner_end, exact, prefix, suffix, hint)


def _between(body: str, start: int, end: int, prefix: str, suffix: str) -> tuple[int, int] | None:
    """The passage inside a located window: after the longest end of the prefix found
    there, and before the longest start of the suffix (context may be edited too)."""
    low, high = max(0, start - len(prefix)), min(len(body), end + len(suffix))
    inner_start = inner_end = -1
    for k in range(len(prefix), min(8, len(prefix)) - 1, -1):
        at = body.find(prefix[-k:], low, high)
        if at >= 0:
            inner_start = at + k
            break
    if inner_start < 0:
        return None
    for k in range(len(suffix), min(8, len(suffix)) - 1, -1):
        at = body.find(suffix[:k], inner_start, high)
        if at >= 0:
            inner_end = at
            break
    if inner_end <= inner_start:
        return None
    return inner_start, inner_end


def _closest(
    body: str,
    exact: str,
    prefix: str | None,
    suffix: str | None,
    hint: int | None,
    was: tuple[int, int] | None,
) -> Anchoring:
    located = approximate(body, exact, hint)
    if located is None:
        return Anchoring("lost", exact, was=was)
    candidate = score(body, located[0], located[1], exact, prefix, suffix, hint)
    status: Status = "approximate" if candidate.similarity >= APPROXIMATE_FLOOR else "lost"
    start = candidate.start if status == "approximate" else None
    end = candidate.end if status == "approximate" else None
    return Anchoring(status, exact, start, end, candidate.score, (candidate,), 1, was)


def _ambiguous(
    body: str,
    exact: str,
    starts: list[int],
    prefix: str | None,
    suffix: str | None,
    hint: int | None,
    was: tuple[int, int] | None,
) -> Anchoring:
    found = [score(body, s, s + len(exact), exact, prefix, suffix, hint) for s in starts]
    # Nearest to the hint first, then in body order: the order is for reading, not a choice.
    if hint is not None:
        found.sort(key=lambda c: (abs(c.start - hint), c.start))
    return Anchoring("ambiguous", exact, None, None, 0.0, tuple(found[:KEPT]), len(starts), was)


def _at(
    body: str, exact: str, start: int, status: Status, was: tuple[int, int] | None = None
) -> Anchoring:
    candidate = score(body, start, start + len(exact), exact, None, None, None)
    return Anchoring(status, exact, start, start + len(exact), 1.0, (candidate,), 1, was)


def _moved_or_anchored(start: int, was: tuple[int, int] | None) -> Status:
    return "anchored" if was is not None and was[0] == start else "moved"


def _context_agrees(
    body: str, start: int, end: int, prefix: str | None, suffix: str | None
) -> bool:
    if prefix and not body.startswith(prefix, max(0, start - len(prefix))):
        return False
    if prefix and start < len(prefix):
        return False
    return not suffix or body.startswith(suffix, end)


def _strictly_nearest(starts: list[int], near: int) -> int | None:
    ranked = sorted(starts, key=lambda s: abs(s - near))
    if len(ranked) > 1 and abs(ranked[0] - near) == abs(ranked[1] - near):
        return None
    return ranked[0]
