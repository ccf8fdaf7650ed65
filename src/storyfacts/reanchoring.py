"""Re-anchoring a dataset's evidence after its article bodies were edited.

:func:`reanchor` takes a dataset whose bodies changed (its evidence still
pointing where the text used to be) and, when known, the bodies as they were
before, and finds every passage again with
:func:`storyfacts.anchoring.reanchor`. Exact, unambiguous results are applied
to a copy of the data; everything else is left as it was and listed, with
its status, for a person to decide. ``storyfacts reanchor`` is the same on
the command line.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from . import kinds, loading
from .anchoring import Anchoring, BodyChange, find
from .anchoring import reanchor as reanchor_passage
from .errors import json_path
from .model import Dataset

__all__ = ["PassageResult", "Reanchored", "old_bodies", "reanchor"]


@attrs.frozen
class PassageResult:
    """One evidence passage: its JSON path and what re-anchoring found."""

    path: str
    anchoring: Anchoring

    @property
    def status(self) -> str:
        return self.anchoring.status

    def __str__(self) -> str:
        return f"{self.path}: {self.status}. {self.anchoring.describe()}"

    def to_dict(self) -> dict[str, Any]:
        found = self.anchoring
        return {
            "path": self.path,
            "status": found.status,
            "start": found.start,
            "end": found.end,
            "score": found.score,
            "message": found.describe(),
        }


@attrs.frozen
class Reanchored:
    """The data with every certain result applied, and the status of each passage."""

    data: dict[str, Any]
    passages: list[PassageResult]

    @property
    def needs_a_person(self) -> list[PassageResult]:
        """The passages that were not applied: approximate, ambiguous or lost."""
        return [p for p in self.passages if not p.anchoring.applied]


def _plain(source: str | Path | Mapping[str, Any] | Dataset) -> dict[str, Any]:
    """Plain data from a path, a mapping or a :class:`Dataset`, not validated (it may not be)."""
    if isinstance(source, Dataset):
        return loading.dump(source)
    if isinstance(source, str | Path):
        data, _ = loading.read(source)
    else:
        data = source
    if not isinstance(data, Mapping):
        return {}
    return copy.deepcopy(dict(data))


def old_bodies(source: str | Path | Mapping[str, Any] | Dataset) -> dict[str, str]:
    """The article bodies of a dataset (a path, plain data or a :class:`Dataset`), by id."""
    data = _plain(source)
    articles = data.get("articles")
    return {
        a["id"]: a["body"]
        for a in (articles if isinstance(articles, list) else [])
        if isinstance(a, dict) and isinstance(a.get("id"), str) and isinstance(a.get("body"), str)
    }


def reanchor(
    source: str | Path | Mapping[str, Any] | Dataset,
    old: Mapping[str, str] | None = None,
) -> Reanchored:
    """Find every evidence passage of ``source`` again in its article's current body.

    ``old`` maps article ids to their bodies before the edit (see
    :func:`old_bodies`); with it, offsets follow the change exactly. Without
    it, passages are found by their text and context, the old offsets
    breaking ties. Passages given by text alone are placed by their text.
    """
    data = _plain(source)
    bodies = old_bodies(data)
    changes = {
        rid: BodyChange(old[rid], body)
        for rid, body in bodies.items()
        if old is not None and rid in old and old[rid] != body
    }
    results: list[PassageResult] = []
    for section in kinds.EVIDENCED:
        records = data.get(section.name)
        for i, record in enumerate(records if isinstance(records, list) else []):
            evidence = record.get("evidence") if isinstance(record, dict) else None
            for j, item in enumerate(evidence if isinstance(evidence, list) else []):
                found = _one(item, bodies, changes)
                if found is None:
                    continue
                results.append(PassageResult(json_path((section.name, i, "evidence", j)), found))
                if found.applied and (item.get("start"), item.get("end")) != (
                    found.start,
                    found.end,
                ):
                    _place(item, found)
    return Reanchored(data, results)


def _one(item: Any, bodies: dict[str, str], changes: dict[str, BodyChange]) -> Anchoring | None:
    if not isinstance(item, dict):
        return None
    body, text = bodies.get(item.get("article")), item.get("text")  # type: ignore[arg-type]
    if body is None or not isinstance(text, str) or not text:
        return None
    prefix, suffix = item.get("prefix"), item.get("suffix")
    prefix = prefix if isinstance(prefix, str) and prefix else None
    suffix = suffix if isinstance(suffix, str) and suffix else None
    start, end = item.get("start"), item.get("end")
    if type(start) is not int or type(end) is not int:
        return find(body, text, prefix=prefix, suffix=suffix)
    return reanchor_passage(
        body,
        text,
        start=start,
        end=end,
        change=changes.get(item["article"]),
        prefix=prefix,
        suffix=suffix,
    )


def _place(item: dict[str, Any], found: Anchoring) -> None:
    """Set the offsets, keeping the canonical key order (start and end before text)."""
    placed = {k: v for k, v in item.items() if k not in ("start", "end")}
    item.clear()
    for key, value in placed.items():
        if key == "text":
            item["start"], item["end"] = found.start, found.end
        item[key] = value
