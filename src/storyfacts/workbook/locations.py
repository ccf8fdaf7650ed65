"""From a JSON path back to the cell an editor typed it in.

Validation speaks of ``$.statements[4].speaker``; an editor looks for
``Quotes!D3``. As the reader builds each record it tells the
:class:`Locator` which row it came from; the locator then gives each
validation problem its cell, and says required-field problems the way a
spreadsheet user thinks of them (an empty cell).
"""

from __future__ import annotations

import attrs

from ..errors import Problem, parse_path
from .sheets import SheetRecord

__all__ = ["Locator", "parse_path"]

Parts = tuple[str | int, ...]


@attrs.define
class Locator:
    """Where each record and evidence row of a workbook came from."""

    #: Cells of the About sheet, by dataset field (``id``, ``title``, ...).
    about: dict[str, str] = attrs.field(factory=dict)
    records: dict[Parts, SheetRecord] = attrs.field(factory=dict)
    evidence: dict[Parts, SheetRecord] = attrs.field(factory=dict)

    def add_record(self, parts: Parts, row: SheetRecord) -> None:
        self.records[parts] = row

    def add_evidence(self, parts: Parts, row: SheetRecord) -> None:
        self.evidence[parts] = row

    def locate(self, problem: Problem) -> Problem:
        """``problem`` with its cell as ``location``, and in an editor's words where that helps."""
        parts = parse_path(problem.path)
        if len(parts) == 1 and isinstance(parts[0], str):
            return attrs.evolve(problem, location=self.about.get(parts[0], "About"))
        row = self.records.get(parts[:2])
        if row is None:
            return problem
        rest = parts[2:]
        if not rest:
            return attrs.evolve(problem, location=row.location())
        field = rest[0]
        if field == "evidence":
            return self._evidence(problem, row, parts)
        name = str(field)
        if len(rest) >= 2:
            # A part of a date or a draft: the column that holds that part.
            part = (name, rest[1])
            name = next((c.name for c in row.table.columns if c.path == part), name)
        return self._in_cell(problem, row, name)

    def _evidence(self, problem: Problem, owner: SheetRecord, parts: Parts) -> Problem:
        if len(parts) == 3:
            kind = owner.table.type or "record"
            rid = owner.values.get("id")
            return attrs.evolve(
                problem,
                location=owner.location(),
                message=f"This {kind} has no evidence: add a row "
                + (f"for {rid!r}" if rid else "for it (once it has an id)")
                + " on the Evidence sheet, giving the passage of the article that states it.",
            )
        row = self.evidence.get(parts[:4])
        if row is None:
            return attrs.evolve(problem, location=owner.location())
        # A problem with the passage as a whole is about its offsets.
        name = str(parts[4]) if len(parts) > 4 else "start"
        return self._in_cell(problem, row, name)

    def _in_cell(self, problem: Problem, row: SheetRecord, name: str) -> Problem:
        location = row.location(name)
        if problem.code == "required" and row.values.get(name) is None:
            try:
                title = row.table.column(name).title
            except KeyError:
                return attrs.evolve(problem, location=location)
            return attrs.evolve(
                problem, location=location, message=f"{title} is required: fill in this cell."
            )
        return attrs.evolve(problem, location=location)
