"""The article bodies as exported, kept in the workbook so that evidence can follow an edit.

An editor who changes an article's body on the Articles sheet moves every
passage after the change. The writer keeps each body as it was exported on
a very hidden sheet (:data:`BODIES`); the reader compares it with the body as
edited and re-anchors each evidence row through the change
(:func:`storyfacts.anchoring.reanchor`). A passage found again exactly and
unambiguously gets its new offsets, with a note naming its cell; one that is
not is a problem at its Text cell saying what a person must decide, and is
never moved silently. Rows that give only their text get their offsets here
too, when the text occurs once.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from ..anchoring import BodyChange, find, reanchor
from ..errors import Problem, excerpt, json_path
from .cells import CellError, convert
from .layout import ORDER
from .rows import stored_rows
from .sheets import SheetRecord

__all__ = ["BODIES", "Reanchoring", "read_bodies", "reanchor_rows", "write_bodies"]

#: The very hidden sheet holding each article's body as exported.
BODIES = "Exported bodies"
_HEADER = ("Article", "Body as exported")

Parts = tuple[str | int, ...]


def write_bodies(workbook: Any, articles: Any) -> None:
    """Add the :data:`BODIES` sheet: one row per article, its id and body."""
    sheet = workbook.add_worksheet(BODIES)
    # Very hidden: Excel's and LibreOffice's Unhide do not list it, so an
    # editor does not change it by mistake.
    sheet.very_hidden()
    for row, texts in enumerate((_HEADER, *((a.id, a.body) for a in articles))):
        for column, text in enumerate(texts):
            sheet.put_text(row, column, text)


def read_bodies(book: Any) -> dict[str, str]:
    """The exported bodies by article id; empty for a workbook without the sheet."""
    if BODIES not in book.sheetnames:
        return {}
    sheet = book[BODIES]
    text = attrs.evolve(ORDER, kind="text")
    found: dict[str, str] = {}
    for number, row in stored_rows(sheet):
        if number == 1 or len(row) < 2:
            continue
        try:
            rid = convert(row[0].value, row[0].data_type, text)
            body = convert(row[1].value, row[1].data_type, text)
        except CellError:
            continue  # a damaged copy only means no mapping through the change
        if isinstance(rid, str) and isinstance(body, str):
            found.setdefault(rid, body)
    return found


@attrs.frozen
class Reanchoring:
    """What re-anchoring the evidence rows did: notes for what moved, problems for the rest."""

    notes: list[tuple[str, str]]
    problems: list[Problem]


def reanchor_rows(
    data: dict[str, Any], exported: Mapping[str, str], rows: Mapping[Parts, SheetRecord]
) -> Reanchoring:
    """Re-anchor, in ``data``, every evidence row whose article body changed since export,
    and fill in the offsets of rows that give only their text."""
    bodies = {
        a["id"]: a["body"]
        for a in data.get("articles", [])
        if isinstance(a, dict) and isinstance(a.get("id"), str) and isinstance(a.get("body"), str)
    }
    changes = {
        rid: BodyChange(exported[rid], body)
        for rid, body in bodies.items()
        if rid in exported and exported[rid] != body
    }
    notes: list[tuple[str, str]] = []
    problems: list[Problem] = []
    for parts, row in rows.items():
        item = _item(data, parts)
        if item is None:
            continue
        article, text = item.get("article"), item.get("text")
        if not isinstance(text, str) or not text or article not in bodies:
            continue
        body = bodies[article]
        prefix, suffix = _context(item)
        start, end = item.get("start"), item.get("end")
        if start is None and end is None:
            found = find(body, text, prefix=prefix, suffix=suffix) if text in body else None
            if found is not None and found.applied:
                item["start"], item["end"] = found.start, found.end
                filled = f"Start and end filled in from the text: {found.start}–{found.end}."
                notes.append((row.location("start"), filled))
            continue
        change = changes.get(article)
        if change is None or type(start) is not int or type(end) is not int:
            continue
        result = reanchor(
            body, text, start=start, end=end, change=change, prefix=prefix, suffix=suffix
        )
        if result.status == "anchored":
            continue
        if result.applied:
            item["start"], item["end"] = result.start, result.end
            notes.append(
                (
                    row.location("start"),
                    f"The body of article {excerpt(str(article))} was edited; this passage was "
                    f"found again exactly and moved from {start}–{end} to "
                    f"{result.start}–{result.end}.",
                )
            )
            continue
        problems.append(
            Problem(
                json_path((*parts, "text")),
                f"The body of article {excerpt(str(article))} was edited and this passage, at "
                f"{start}–{end} before, cannot be placed with certainty: {result.describe()}",
                code=f"evidence-{result.status}",
                location=row.location("text"),
            )
        )
    return Reanchoring(notes, problems)


def _item(data: dict[str, Any], parts: Parts) -> dict[str, Any] | None:
    section, index, _, position = parts
    try:
        item = data[str(section)][int(index)]["evidence"][int(position)]
    except (KeyError, IndexError, TypeError):
        return None
    return item if isinstance(item, dict) else None


def _context(item: dict[str, Any]) -> tuple[str | None, str | None]:
    prefix, suffix = item.get("prefix"), item.get("suffix")
    return (
        prefix if isinstance(prefix, str) and prefix else None,
        suffix if isinstance(suffix, str) and suffix else None,
    )
