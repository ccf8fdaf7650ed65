"""Editing an article body in the workbook: evidence follows the edit, or is named by cell."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest

import storyfacts
from storyfacts.workbook.bodies import BODIES
from storyfacts.workbook.reader import read


@pytest.fixture
def workbook(tmp_path: Path) -> Path:
    path = tmp_path / "story.xlsx"
    storyfacts.export(storyfacts.load_bundled(), "xlsx", path)
    return path


def _column(sheet: Any, title: str) -> int:
    return [c.value for c in sheet[1]].index(title) + 1


def _edit_body(path: Path, change: Any) -> str:
    """Apply ``change`` to the first article's body in the Articles sheet; return the new body."""
    book = openpyxl.load_workbook(path)
    sheet = book["Articles"]
    cell = sheet.cell(2, _column(sheet, "Body"))
    cell.value = change(cell.value)
    book.save(path)
    return str(cell.value)


def _passages(dataset: storyfacts.Dataset) -> list[tuple[str, int, storyfacts.Evidence]]:
    return [
        (record.id, i, item)
        for record in [*dataset.entities, *dataset.statements]
        for i, item in enumerate(record.evidence or ())
    ]


def _clear_point(dataset: storyfacts.Dataset, after: int) -> int:
    """The first word boundary at or after ``after`` that no passage spans."""
    body = dataset.articles[0].body
    spans = [(e.start, e.end) for _, _, e in _passages(dataset)]
    at = after
    while body[at] != " " or any(s < at + 1 < e for s, e in spans):
        at += 1
    return at + 1


def test_two_words_near_the_start_reanchor_every_passage(workbook: Path, run_cli: Any) -> None:
    """The issue's case: all 110 passages are found again, as notes; none is a problem."""
    bundled = storyfacts.load_bundled()
    at = _clear_point(bundled, 40)
    assert at < 200
    new_body = _edit_body(workbook, lambda body: body[:at] + "two words " + body[at:])
    reading = read(workbook)
    assert reading.problems == []
    moved = [n for n in reading.notes if "found again exactly and moved" in n.message]
    after = [e for _, _, e in _passages(bundled) if e.start >= at]
    assert len(moved) == len(after) > 100
    assert all(re.fullmatch(r"Evidence![A-Z]+\d+", n.location) for n in moved)
    dataset = storyfacts.load(workbook)
    for (rid, i, old), (_, _, new) in zip(_passages(bundled), _passages(dataset), strict=True):
        shift = 10 if old.start >= at else 0
        assert (new.start, new.end) == (old.start + shift, old.end + shift), (rid, i)
        assert new_body[new.start : new.end] == new.text
    code, out, _ = run_cli("import", str(workbook))
    assert code == 0
    assert json.loads(out)["articles"][0]["body"] == new_body


def test_the_issue_e21_passage_follows_its_own_copy(workbook: Path) -> None:
    """18 code points inserted: the passage at 2620–2633 goes to 2638, not to the copy at 1129."""
    bundled = storyfacts.load_bundled()
    at = _clear_point(bundled, 40)
    _edit_body(workbook, lambda body: body[:at] + "two inserted words" + body[at:])
    dataset = storyfacts.load(workbook)
    old = {(rid, i): e for rid, i, e in _passages(bundled)}
    new = {(rid, i): e for rid, i, e in _passages(dataset)}
    copies = [key for key, e in old.items() if e.start == 2620]
    assert copies
    for key in copies:
        assert (new[key].start, new[key].end) == (2638, 2651)


def test_an_edit_inside_a_passage_is_named_by_cell_not_guessed(workbook: Path) -> None:
    """Words inserted inside passages: those rows are problems at their Text cell."""
    _edit_body(workbook, lambda body: body[:40] + "two words " + body[40:])
    reading = read(workbook)
    assert reading.problems
    for problem in reading.problems:
        assert problem.location is not None and problem.location.startswith("Evidence!")
        assert "cannot be placed with certainty" in problem.message
        assert "the text is at" not in problem.message
    assert len(reading.notes) > 100


def test_an_edited_quote_does_not_jump_to_another_copy(workbook: Path) -> None:
    """The passage's own words edited, an exact copy left elsewhere: a problem, not a move."""
    bundled = storyfacts.load_bundled()
    body = bundled.articles[0].body
    twice = next(
        e
        for _, _, e in _passages(bundled)
        if body.count(e.text) == 2 and e.start > body.find(e.text)
    )
    edited = twice.text[:-1] + "X"

    def change(text: str) -> str:
        return text[: twice.start] + edited + text[twice.end :]

    _edit_body(workbook, change)
    reading = read(workbook)
    about = [p for p in reading.problems if f"at {twice.start}–{twice.end} before" in p.message]
    assert about, reading.problems
    assert all(p.code in ("evidence-ambiguous", "evidence-approximate") for p in about)

    def starts(records: list[dict[str, Any]]) -> list[int]:
        return sorted(
            item["start"]
            for record in records
            for item in record.get("evidence", [])
            if item["text"] == twice.text
        )

    data = reading.data
    before = storyfacts.dump(bundled)
    # Nothing was moved onto the copy: each passage keeps the offsets it had.
    assert starts([*data["entities"], *data["statements"]]) == starts(
        [*before["entities"], *before["statements"]]
    )


def test_evidence_typed_by_its_text_gets_its_offsets(workbook: Path) -> None:
    """An editor types only the text of a new passage; import fills start and end, with a note."""
    bundled = storyfacts.load_bundled()
    body = bundled.articles[0].body
    book = openpyxl.load_workbook(workbook)
    sheet = book["Evidence"]
    row = sheet.max_row + 1
    sheet.cell(row, _column(sheet, "Record")).value = "putin"
    sheet.cell(row, _column(sheet, "Article")).value = "itg-1135067"
    sheet.cell(row, _column(sheet, "Evidence text")).value = "Xi Jinping released"
    book.save(workbook)
    reading = read(workbook)
    assert reading.problems == []
    assert any("filled in from the text: 19–38" in n.message for n in reading.notes)
    putin = storyfacts.load(workbook).entities[0]
    assert putin.evidence is not None
    added = putin.evidence[-1]
    assert (added.start, added.end) == (19, 38) and body[19:38] == added.text


def test_evidence_typed_by_ambiguous_text_names_each_candidate(workbook: Path) -> None:
    """Text that occurs several times: a problem at its Text cell listing each place."""
    book = openpyxl.load_workbook(workbook)
    sheet = book["Evidence"]
    row = sheet.max_row + 1
    sheet.cell(row, _column(sheet, "Record")).value = "putin"
    sheet.cell(row, _column(sheet, "Article")).value = "itg-1135067"
    text_column = _column(sheet, "Evidence text")
    sheet.cell(row, text_column).value = "Russian and Belarus"
    book.save(workbook)
    reading = read(workbook)
    letter = openpyxl.utils.get_column_letter(text_column)
    [problem] = [p for p in reading.problems if p.location == f"Evidence!{letter}{row}"]
    assert problem.code == "evidence-ambiguous"
    assert problem.message.count(" (“…") == 3
    book = openpyxl.load_workbook(workbook)
    sheet = book["Evidence"]
    sheet.cell(row, _column(sheet, "Text after")).value = " fencers"
    book.save(workbook)
    assert read(workbook).problems == []


def test_without_the_exported_bodies_nothing_moves_silently(workbook: Path) -> None:
    """A workbook that lost its copy of the bodies reports mismatches, listing every copy."""
    book = openpyxl.load_workbook(workbook)
    del book[BODIES]
    book.save(workbook)
    _edit_body(workbook, lambda body: body[:100] + "two words " + body[100:])
    reading = read(workbook)
    assert not any("moved" in n.message for n in reading.notes)
    assert reading.problems
    wrong = [
        p for p in reading.problems if re.search(r"the text is at (\d+)", p.message) is not None
    ]
    assert len(wrong) > 50
    for problem in wrong:
        start = int(re.search(r"not at (\d+)", problem.message)[1])  # type: ignore[index]
        suggested = int(re.search(r"the text is at (\d+)", problem.message)[1])  # type: ignore[index]
        assert suggested == start + 10  # a unique text: its only place, the true one
