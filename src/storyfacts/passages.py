"""Evidence given by its text: offsets found on the way in, and what to say when they cannot be.

An evidence passage may be written as its exact text alone, or with a
``prefix`` or ``suffix`` of the words around it; :func:`fill_offsets` gives it
``start`` and ``end`` when the text (with its context) occurs exactly once.
:func:`evidence_problems` says what is wrong otherwise, naming every
candidate with its surrounding words and offsets, or the closest passage and
how close it is. It also checks given offsets, and when the text is not at
them it suggests a place only when nothing else competes for it: where the
text occurs more than once, every occurrence is listed, the one nearest the
given offsets first, and the choice is left to a person.

These run on plain data and skip whatever is malformed; the schema reports that.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import attrs

from . import kinds
from .errors import Problem, excerpt, json_path

# The anchoring package is imported when a passage is first searched for:
# validating evidence found at its offsets, as nearly all is, never needs it.
if TYPE_CHECKING:
    from .anchoring import Anchoring, Candidate

__all__ = ["SearchBudget", "evidence_problems", "fill_offsets"]

Parts = tuple[str | int, ...]


@attrs.define
class SearchBudget:
    """How many approximate searches one run may still make.

    Each is bounded, but a dataset with a hundred thousand missing passages
    would still add up; past the budget a missing passage is reported
    without its closest match.
    """

    remaining: int = 200

    def spend(self) -> bool:
        if self.remaining <= 0:
            return False
        self.remaining -= 1
        return True


def _context(item: dict[str, Any]) -> tuple[str | None, str | None]:
    prefix, suffix = item.get("prefix"), item.get("suffix")
    return (
        prefix if isinstance(prefix, str) and prefix else None,
        suffix if isinstance(suffix, str) and suffix else None,
    )


def _has_offsets(item: dict[str, Any]) -> bool:
    return "start" in item or "end" in item


def evidence_problems(
    parts: Parts, item: dict[str, Any], body: str, budget: SearchBudget
) -> list[Problem]:
    """Problems with one evidence passage of an article whose body is ``body``."""
    text = item.get("text")
    article = item.get("article")
    if not isinstance(text, str) or not text:
        return []
    prefix, suffix = _context(item)
    if not _has_offsets(item):
        return _by_text(parts, text, body, article, prefix, suffix, budget)
    start, end = item.get("start"), item.get("end")
    if type(start) is not int or type(end) is not int:
        return []
    if not 0 <= start < end <= len(body):
        return [
            Problem(
                json_path(parts),
                f"The offsets {start}–{end} are outside article {excerpt(str(article))}, "
                f"whose body has {len(body)} characters; start must be less than end.",
                code="evidence-offsets",
            )
        ]
    if body[start:end] == text:
        return _context_problems(parts, body, start, end, prefix, suffix)
    return [
        Problem(
            json_path((*parts, "text")),
            f"The evidence text is not at {start}–{end} of article {excerpt(str(article))}: "
            + _advice(body, text, start, end, prefix, suffix, budget),
            code="evidence-mismatch",
        )
    ]


def _by_text(
    parts: Parts,
    text: str,
    body: str,
    article: Any,
    prefix: str | None,
    suffix: str | None,
    budget: SearchBudget,
) -> list[Problem]:
    found = _find(body, text, prefix, suffix, budget)
    if found.applied:
        return []
    if found.status == "ambiguous":
        return [
            Problem(
                json_path((*parts, "text")),
                f"The evidence text occurs {_times(found)} in article {excerpt(str(article))}: "
                f"{_candidates(found.candidates, found.count)}. Say which one is meant: give a "
                "few words just before it (prefix) or after it (suffix), or its start and end.",
                code="evidence-ambiguous",
            )
        ]
    return [
        Problem(
            json_path((*parts, "text")),
            f"The evidence text is not in article {excerpt(str(article))}"
            + _not_found(found, prefix, suffix)
            + "; quote the article exactly.",
            code="evidence-not-found",
        )
    ]


def _find(
    body: str, text: str, prefix: str | None, suffix: str | None, budget: SearchBudget
) -> Anchoring:
    """:func:`find`, with the approximate search only while the budget lasts."""
    from .anchoring import Anchoring, find

    if text in body or budget.spend():
        return find(body, text, prefix=prefix, suffix=suffix)
    return Anchoring("lost", text)


def _advice(
    body: str,
    text: str,
    start: int,
    end: int,
    prefix: str | None,
    suffix: str | None,
    budget: SearchBudget,
) -> str:
    found = _find(body, text, prefix, suffix, budget)
    if found.applied:
        return f"the text is at {found.start}–{found.end}; correct start and end."
    if found.status == "ambiguous":
        # Several places: list them all, nearest to the given offsets first,
        # and leave the choice to a person.
        ranked = sorted(found.candidates, key=lambda c: (abs(c.start - start), c.start))
        return (
            f"the text occurs {_times(found)}: {_candidates(ranked, found.count)}. Correct start "
            "and end to the one meant, or leave them out and give a few words before the text "
            "(prefix) or after it (suffix)."
        )
    closest = found.closest
    if closest is not None and closest.text == text:
        return "the text occurs once, but not" + _not_found(found, prefix, suffix) + "."
    reads = excerpt(body[start:end])
    return f"the text is nowhere in the article (at {start}–{end} it reads {reads})" + (
        _not_found(found, prefix, suffix) + "."
    )


def _not_found(found: Anchoring, prefix: str | None, suffix: str | None) -> str:
    closest = found.closest
    if closest is None:
        return ""
    if closest.text == found.exact:
        context = " and ".join(
            name for name, value in (("prefix", prefix), ("suffix", suffix)) if value
        )
        return (
            f" beside the given {context}; the text itself is at {closest.describe()}: correct the "
            f"{context} or leave {'them' if ' and ' in context else 'it'} out"
        )
    return f"; the closest passage is at {closest.describe()}, {closest.similarity:.0%} similar"


def _context_problems(
    parts: Parts, body: str, start: int, end: int, prefix: str | None, suffix: str | None
) -> list[Problem]:
    out = []
    if prefix and not (start >= len(prefix) and body.startswith(prefix, start - len(prefix))):
        before = body[max(0, start - len(prefix)) : start]
        out.append(
            Problem(
                json_path((*parts, "prefix")),
                f"The article does not read {excerpt(prefix)} just before {start}–{end}, but "
                f"{excerpt(before)}; correct the prefix or leave it out.",
                code="evidence-context",
            )
        )
    if suffix and not body.startswith(suffix, end):
        after = body[end : end + len(suffix)]
        out.append(
            Problem(
                json_path((*parts, "suffix")),
                f"The article does not read {excerpt(suffix)} just after {start}–{end}, but "
                f"{excerpt(after)}; correct the suffix or leave it out.",
                code="evidence-context",
            )
        )
    return out


def _times(found: Anchoring) -> str:
    if found.count >= 1000:
        return f"at least {found.count} times"
    return "twice" if found.count == 2 else f"{found.count} times"


def _candidates(candidates: Any, count: int) -> str:
    from .anchoring._anchor import SHOWN

    shown: list[Candidate] = list(candidates)[:SHOWN]
    listed = "; ".join(f"at {c.describe()}" for c in shown)
    return listed + (f"; and {count - len(shown)} more" if count > len(shown) else "")


# Filling offsets in -------------------------------------------------------


def _without_offsets(data: dict[str, Any]) -> list[tuple[str, int, int, dict[str, Any]]]:
    """(section, record, passage, item) of each evidence passage that gives neither offset.

    Gathered in one pass before anything is filled in; a dataset written by
    storyfacts has offsets everywhere, so this is most often empty.
    """
    found = []
    for section in _EVIDENCED:
        records = data.get(section)
        if not isinstance(records, list):
            continue
        for i, record in enumerate(records):
            evidence = record.get("evidence") if isinstance(record, dict) else None
            if not isinstance(evidence, list):
                continue
            for j, item in enumerate(evidence):
                if isinstance(item, dict) and "start" not in item and "end" not in item:
                    found.append((section, i, j, item))
    return found


_EVIDENCED = tuple(s.name for s in kinds.EVIDENCED)


def fill_offsets(data: Any, bodies: Mapping[str, str] | None = None) -> Any:
    """``data`` with ``start`` and ``end`` filled in wherever evidence gives only its text.

    Only an exact, unambiguous place is filled in. The data passed in is not
    changed: what is filled in goes into copies of the records it touches.
    ``bodies`` gives each article's body by id, for records read without
    their articles (a corpus read as a stream); by default, ``data``'s own.
    """
    if not isinstance(data, dict) or (
        bodies is None and not isinstance(data.get("articles"), list)
    ):
        return data
    pending = _without_offsets(data)
    if not pending:  # a dataset storyfacts wrote: offsets everywhere, no bodies to gather
        return data
    if bodies is None:
        bodies = {
            a["id"]: a["body"]
            for a in data["articles"]
            if isinstance(a, dict)
            and isinstance(a.get("id"), str)
            and isinstance(a.get("body"), str)
        }
    from .anchoring import find

    out: dict[str, Any] | None = None
    for section, i, j, item in pending:
        article, text = item.get("article"), item.get("text")
        body = bodies.get(article) if isinstance(article, str) else None
        if body is None or not isinstance(text, str) or not text:
            continue
        prefix, suffix = _context(item)
        found = find(body, text, prefix=prefix, suffix=suffix) if text in body else None
        if found is None or not found.applied:
            continue
        if out is None:
            out = dict(data)
        records = out[section] = (
            out[section] if out[section] is not data[section] else list(data[section])
        )
        record = records[i] = dict(records[i])
        evidence = record["evidence"] = list(record["evidence"])
        evidence[j] = _with_offsets(item, found)
    return data if out is None else out


def _with_offsets(item: dict[str, Any], found: Anchoring) -> dict[str, Any]:
    """The item with start and end placed before its text, as the canonical form orders them."""
    filled: dict[str, Any] = {}
    for key, value in item.items():
        if key == "text":
            filled["start"], filled["end"] = found.start, found.end
        filled[key] = value
    return filled
