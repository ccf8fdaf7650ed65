"""Reading edited workbooks: every editor mistake named by cell, every editor habit handled."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

import storyfacts
from storyfacts import cli, tables
from storyfacts.workbook import read

Edit = Callable[[Any], None]


def _table(name: str) -> tables.Table:
    return next(t for t in (*tables.TABLES, tables.EVIDENCE) if t.name == name)


def _letter(table: str, column: str) -> str:
    return get_column_letter([c.name for c in _table(table).columns].index(column) + 1)


def _kind(record: Any) -> str:
    if isinstance(record, storyfacts.Article | storyfacts.Source):
        return type(record).__name__.lower()
    return str(record.type)


def _row(dataset: storyfacts.Dataset, record_id: str) -> int:
    """The row of a record: records of one kind fill their sheet in dataset order, from row 2."""
    record = dataset.index()[record_id]
    same_kind = [r for r in dataset.records() if _kind(r) == _kind(record)]
    return 2 + [r.id for r in same_kind].index(record_id)


def _cell(dataset: storyfacts.Dataset, table: str, record_id: str, column: str) -> str:
    return f"{_letter(table, column)}{_row(dataset, record_id)}"


def _evidence_row(dataset: storyfacts.Dataset, record_id: str, item: int = 0) -> int:
    """Evidence rows list the entities' passages, then the statements', in dataset order."""
    row = 2
    for record in [*dataset.entities, *dataset.statements]:
        if record.id == record_id:
            return row + item
        row += len(record.evidence or ())
    raise KeyError(record_id)


def _index(dataset: storyfacts.Dataset, record_id: str) -> int:
    return [s.id for s in dataset.statements].index(record_id)


@pytest.fixture
def workbook(tmp_path: Path, bundled: storyfacts.Dataset) -> Path:
    """The bundled dataset exported as a workbook."""
    return storyfacts.export(bundled, "xlsx", tmp_path / "story.xlsx")


def _edit(path: Path, *edits: Edit) -> Path:
    """Open the workbook as a spreadsheet program would, change it, and save it."""
    book = openpyxl.load_workbook(path)
    for edit in edits:
        edit(book)
    book.save(path)
    return path


def _set(sheet: str, cell: str, value: Any) -> Edit:
    def edit(book: Any) -> None:
        book[sheet][cell] = value

    return edit


def _general(sheet: str, cell: str) -> Edit:
    """Clear a cell's date format, as typing a year into a text cell would leave it."""

    def edit(book: Any) -> None:
        book[sheet][cell].number_format = "General"

    return edit


def _only(path: Path) -> storyfacts.Problem:
    problems = read(path).problems
    assert len(problems) == 1, [str(p) for p in problems]
    return problems[0]


# Editor mistakes --------------------------------------------------------------


def test_required_cell_left_empty(workbook: Path, bundled: storyfacts.Dataset) -> None:
    """An emptied required cell is reported at that cell as required, with its JSON path."""
    quote = bundled.statements[2]
    cell = _cell(bundled, "quotes", quote.id, "speaker")
    problem = _only(_edit(workbook, _set("Quotes", cell, None)))
    assert problem.location == f"Quotes!{cell}"
    assert problem.path == "$.statements[2].speaker"
    assert problem.code == "required"
    assert problem.message == "Speaker is required: fill in this cell."


def test_value_not_in_the_dropdown(workbook: Path, bundled: storyfacts.Dataset) -> None:
    """A value typed over a dropdown is named at its cell, with the allowed values."""
    claim = next(s for s in bundled.statements if s.type == "claim")
    cell = _cell(bundled, "claims", claim.id, "stance")
    problem = _only(_edit(workbook, _set("Claims", cell, "welcome")))
    assert (problem.location, problem.code) == (f"Claims!{cell}", "not-allowed")
    assert problem.path == f"$.statements[{_index(bundled, claim.id)}].stance"
    assert "did you mean 'welcomes'?" in problem.message


def test_reference_to_an_id_that_does_not_exist(
    workbook: Path, bundled: storyfacts.Dataset
) -> None:
    """A reference to a missing id is named at its cell."""
    quote = bundled.statements[0]
    cell = _cell(bundled, "quotes", quote.id, "speaker")
    problem = _only(_edit(workbook, _set("Quotes", cell, "nobody-at-all")))
    assert (problem.location, problem.code) == (f"Quotes!{cell}", "dangling-reference")
    assert "'nobody-at-all'" in problem.message


def test_date_that_is_not_a_date(workbook: Path, bundled: storyfacts.Dataset) -> None:
    """Words in a date column are named at their cell, saying how to write a date."""
    event = next(e for e in bundled.entities if e.type == "event" and e.start is not None)
    cell = _cell(bundled, "events", event.id, "start")
    problem = _only(_edit(workbook, _set("Events", cell, "next week")))
    assert (problem.location, problem.code) == (f"Events!{cell}", "not-a-date")
    assert "'next week' is not a date" in problem.message
    assert problem.path.endswith(".start.value")


def test_formula_typed_into_a_cell(workbook: Path, bundled: storyfacts.Dataset) -> None:
    """A formula is an error at its cell; its value is never used."""
    quote = bundled.statements[1]
    cell = _cell(bundled, "quotes", quote.id, "summary")
    problem = _only(_edit(workbook, _set("Quotes", cell, "=UPPER(A2)")))
    assert (problem.location, problem.code) == (f"Quotes!{cell}", "formula")
    assert "=UPPER(A2)" in problem.message
    assert problem.path == "$.statements[1].summary"


def test_evidence_that_no_longer_matches_the_article(
    workbook: Path, bundled: storyfacts.Dataset
) -> None:
    """Evidence text changed away from the article is named at its Evidence cell."""
    quote = bundled.statements[0]
    cell = f"{_letter('evidence', 'text')}{_evidence_row(bundled, quote.id)}"
    problems = read(
        _edit(workbook, _set("Evidence", cell, "Words the article never says"))
    ).problems
    mismatch = next(p for p in problems if p.code == "evidence-mismatch")
    assert mismatch.location == f"Evidence!{cell}"
    assert mismatch.path == "$.statements[0].evidence[0].text"


def test_every_problem_is_reported_at_once(workbook: Path, bundled: storyfacts.Dataset) -> None:
    """Several mistakes on several sheets are all reported in one reading."""
    person = bundled.entities[0]
    quote = bundled.statements[0]
    edits = [
        _set("People", _cell(bundled, "people", person.id, "name"), None),
        _set("Quotes", _cell(bundled, "quotes", quote.id, "speaker"), "nobody"),
        _set("Quotes", _cell(bundled, "quotes", quote.id, "date"), "soon"),
    ]
    problems = storyfacts.validate(_edit(workbook, *edits))
    assert sorted(p.location or "" for p in problems) == sorted(
        [
            f"People!{_cell(bundled, 'people', person.id, 'name')}",
            f"Quotes!{_cell(bundled, 'quotes', quote.id, 'speaker')}",
            f"Quotes!{_cell(bundled, 'quotes', quote.id, 'date')}",
        ]
    )


def test_spreadsheet_dates_and_booleans_are_understood(
    workbook: Path, bundled: storyfacts.Dataset
) -> None:
    """A month a spreadsheet turned into the 1st, a year as a number, =TRUE() all read as meant."""
    event = next(e for e in bundled.entities if e.type == "event" and e.start is not None)
    edits = [
        _set("Events", _cell(bundled, "events", event.id, "start"), dt.datetime(2023, 4, 1)),
        _set("Events", _cell(bundled, "events", event.id, "start_precision"), "month"),
        _set("Events", _cell(bundled, "events", event.id, "end"), 2024),
        _general("Events", _cell(bundled, "events", event.id, "end")),
        _set("Events", _cell(bundled, "events", event.id, "end_precision"), "year"),
        _set("Events", _cell(bundled, "events", event.id, "start_inferred"), "=TRUE()"),
    ]
    back = storyfacts.load(_edit(workbook, *edits))
    start, end = back.index()[event.id].start, back.index()[event.id].end  # type: ignore[union-attr]
    assert (start.value, start.precision, start.inferred) == ("2023-04", "month", True)
    assert (end.value, end.precision) == ("2024", "year")


# Editor habits ----------------------------------------------------------------


def _rows(sheet: Any) -> list[list[Any]]:
    return [[c.value for c in row] for row in sheet.iter_rows()]


def _rewrite(sheet: Any, rows: list[list[Any]]) -> None:
    sheet.delete_rows(1, sheet.max_row)
    for row in rows:
        sheet.append(row)


def _reorder_columns(book: Any) -> None:
    sheet = book["Quotes"]
    _rewrite(sheet, [list(reversed(row)) for row in _rows(sheet)])


def _hide_columns(book: Any) -> None:
    for letter in "BCD":
        book["Claims"].column_dimensions[letter].hidden = True


def _sort_rows(book: Any) -> None:
    for name in ("Claims", "Evidence", "People"):
        sheet = book[name]
        header, *body = _rows(sheet)
        _rewrite(sheet, [header, *sorted(body, key=lambda r: str(r[1]), reverse=True)])


def _blank_rows(book: Any) -> None:
    book["Relations"].insert_rows(3, 2)
    book["Evidence"].insert_rows(2)


@pytest.mark.parametrize(
    "habit", [_reorder_columns, _hide_columns, _sort_rows, _blank_rows], ids=lambda f: f.__name__
)
def test_editor_habits_keep_the_dataset(
    workbook: Path, bundled: storyfacts.Dataset, habit: Edit
) -> None:
    """Reordering or hiding columns, sorting rows and blank rows leave the dataset as it was."""
    reading = read(_edit(workbook, habit))
    assert reading.problems == []
    assert storyfacts.load(workbook) == bundled
    assert reading.edited is False


def test_a_notes_column_is_ignored_and_noted(workbook: Path, bundled: storyfacts.Dataset) -> None:
    """An editor's own Notes column changes nothing, and the reader says it ignored it."""

    def notes(book: Any) -> None:
        sheet = book["Quotes"]
        column = sheet.max_column + 1
        sheet.cell(1, column, "Notes")
        sheet.cell(2, column, "=check this with the desk")
        sheet.cell(3, column, "Ask Maria")

    reading = read(_edit(workbook, notes))
    assert reading.problems == []
    assert storyfacts.load(workbook) == bundled
    letter = get_column_letter(len(_table("quotes").columns) + 2)
    assert [(n.location, "'Notes'" in n.message) for n in reading.notes] == [
        (f"Quotes!{letter}1", True)
    ]


def test_a_new_row_is_a_new_record(workbook: Path, bundled: storyfacts.Dataset) -> None:
    """A row added at the end of a sheet becomes a new record after the existing ones."""

    def add(book: Any) -> None:
        book["People"].append(["sergei-lavrov", "Сергей Лавров", "Foreign Minister", "russia"])

    back = storyfacts.load(_edit(workbook, add))
    assert [e.id for e in back.entities] == [e.id for e in bundled.entities] + ["sergei-lavrov"]
    lavrov = back.entities[-1]
    assert isinstance(lavrov, storyfacts.Person)
    assert (lavrov.name, lavrov.roles, lavrov.nationality) == (
        "Сергей Лавров",
        ["Foreign Minister"],
        "russia",
    )


def _unreferenced_claim(bundled: storyfacts.Dataset) -> storyfacts.Claim:
    text = storyfacts.dumps(bundled)
    for statement in bundled.statements:
        if isinstance(statement, storyfacts.Claim) and text.count(f'"{statement.id}"') == 1:
            return statement
    raise AssertionError("every claim is referenced")


def test_deleting_a_row_deletes_the_record(workbook: Path, bundled: storyfacts.Dataset) -> None:
    """Deleting a record's row and its evidence rows removes just that record."""
    claim = _unreferenced_claim(bundled)

    def delete(book: Any) -> None:
        book["Claims"].delete_rows(_row(bundled, claim.id))
        book["Evidence"].delete_rows(_evidence_row(bundled, claim.id), len(claim.evidence))

    back = storyfacts.load(_edit(workbook, delete))
    expected = storyfacts.dump(bundled)
    expected["statements"] = [s for s in expected["statements"] if s["id"] != claim.id]
    assert back.modified != bundled.modified  # an edit: the time it was saved
    expected["modified"] = back.modified
    assert storyfacts.dumps(back) == storyfacts.dumps(storyfacts.load(expected))


def test_evidence_left_behind_by_a_deleted_row(workbook: Path, bundled: storyfacts.Dataset) -> None:
    """Evidence rows of a deleted record are named, row by row."""
    claim = _unreferenced_claim(bundled)
    path = _edit(workbook, lambda book: book["Claims"].delete_rows(_row(bundled, claim.id)))
    problems = read(path).problems
    first = _evidence_row(bundled, claim.id)
    assert [p.location for p in problems] == [
        f"Evidence!A{first + i}" for i in range(len(claim.evidence))
    ]
    assert all(p.code == "dangling-evidence" and claim.id in p.message for p in problems)


def test_evidence_for_an_article_is_named(workbook: Path, bundled: storyfacts.Dataset) -> None:
    """An evidence row pointed at an article rather than an entity or statement is named."""
    row = _evidence_row(bundled, bundled.statements[0].id)
    article = bundled.articles[0].id
    problems = read(_edit(workbook, _set("Evidence", f"A{row}", article))).problems
    named = next(p for p in problems if p.code == "dangling-evidence")
    assert named.location == f"Evidence!A{row}"
    assert f"{article!r} is an article" in named.message


# Structure the reader needs -------------------------------------------------------


def test_missing_and_doubled_columns_are_errors(workbook: Path) -> None:
    """A deleted column and a column given twice are named in the header row."""

    def damage(book: Any) -> None:
        book["Quotes"].delete_cols(4)  # Speaker
        book["Claims"]["T1"] = "Summary"

    problems = read(_edit(workbook, damage)).problems
    by_code = {p.code: p for p in problems}
    assert by_code["missing-column"].location == "Quotes!1:1"
    assert "'Speaker'" in by_code["missing-column"].message
    assert by_code["duplicate-column"].location == "Claims!T1"


def test_a_missing_sheet_is_an_error_and_an_extra_sheet_a_note(workbook: Path) -> None:
    """A deleted sheet would lose its records silently, so it is an error; a new sheet is noted."""

    def damage(book: Any) -> None:
        del book["Groups"]
        book.create_sheet("Scratch")

    reading = read(_edit(workbook, damage))
    assert any(p.code == "missing-sheet" and p.location == "Groups" for p in reading.problems)
    assert [n.location for n in reading.notes] == ["Scratch"]


def test_another_schema_version_is_one_clear_problem(workbook: Path) -> None:
    """A workbook written for another schema version gets one problem at its About cell."""

    def version(book: Any) -> None:
        about = book["About"]
        row = next(r for r in about.iter_rows() if r[0].value == "Schema version")
        row[1].value = "0.9"

    problem = _only(_edit(workbook, version))
    assert problem.code == "schema-version"
    assert problem.location is not None and problem.location.startswith("About!B")
    assert "'0.9'" in problem.message


def test_edits_change_the_fingerprint(workbook: Path, bundled: storyfacts.Dataset) -> None:
    """A changed value makes the reading say the workbook was edited."""
    cell = _cell(bundled, "quotes", bundled.statements[0].id, "summary")
    reading = read(_edit(workbook, _set("Quotes", cell, "A better summary.")))
    assert reading.problems == []
    assert reading.edited is True
    assert reading.data["statements"][0]["summary"] == "A better summary."


# Hostile and broken files -----------------------------------------------------------


def _copy_zip(source: Path, target: Path, change: Callable[[str, bytes], bytes | None]) -> Path:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for name in old.namelist():
            data = change(name, old.read(name))
            if data is not None:
                new.writestr(name, data)
    return target


def _billion_laughs(name: str, data: bytes) -> bytes:
    if name != "xl/workbook.xml":
        return data
    doctype = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
    )
    return doctype + data.split(b"?>", 1)[-1]


def _macros(name: str, data: bytes) -> bytes:
    if name == "[Content_Types].xml":
        override = (
            b'<Override PartName="/xl/vbaProject.bin" '
            b'ContentType="application/vnd.ms-office.vbaProject"/></Types>'
        )
        return data.replace(b"</Types>", override)
    return data


def _zip_bomb(path: Path) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as part:
            for _ in range(100):
                part.write(b" " * 1024 * 1024)
    return path


def _hostile(kind: str, workbook: Path, tmp_path: Path) -> Path:
    target = tmp_path / f"{kind}.xlsx"
    if kind == "not-a-workbook":
        target.write_text("id,name\nputin,Vladimir Putin\n", encoding="utf-8")
    elif kind == "empty":
        target.write_bytes(b"")
    elif kind == "old-excel":
        target.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512))
    elif kind == "truncated":
        target.write_bytes(workbook.read_bytes()[: workbook.stat().st_size // 2])
    elif kind == "zip-bomb":
        _zip_bomb(target)
    elif kind == "entity-attack":
        _copy_zip(workbook, target, _billion_laughs)
    elif kind == "macros":
        _copy_zip(workbook, target, _macros)
        with zipfile.ZipFile(target, "a") as archive:
            archive.writestr("xl/vbaProject.bin", b"\x00VBA")
    elif kind == "plain-zip":
        _copy_zip(workbook, target, lambda name, data: None if name == "xl/workbook.xml" else data)
    elif kind == "no-about-sheet":
        book = openpyxl.Workbook()
        book.active.title = "Sheet1"
        book.save(target)
    return target


@pytest.mark.parametrize(
    ("kind", "words"),
    [
        ("not-a-workbook", "is not an Excel workbook"),
        ("empty", "is empty"),
        ("old-excel", "old-style .xls"),
        ("truncated", "truncated or damaged"),
        ("zip-bomb", "zip bomb"),
        ("entity-attack", "entity attack"),
        ("macros", "macro-enabled"),
        ("plain-zip", "not an Excel workbook"),
        ("no-about-sheet", "not a storyfacts workbook"),
    ],
)
def test_hostile_or_broken_files_get_one_clear_error(
    workbook: Path, tmp_path: Path, kind: str, words: str
) -> None:
    """Each kind of bad file is refused with one InputError naming the file and the reason."""
    path = _hostile(kind, workbook, tmp_path)
    with pytest.raises(storyfacts.InputError) as caught:
        read(path)
    assert caught.value.source == str(path)
    assert words in str(caught.value)


def test_damaged_zip_data_is_an_input_error(workbook: Path, tmp_path: Path) -> None:
    """Corrupted bytes inside a part are reported as a damaged file, not a crash."""
    data = bytearray(workbook.read_bytes())
    with zipfile.ZipFile(workbook) as archive:
        info = archive.getinfo("xl/worksheets/sheet2.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    for offset in range(start + 20, start + 60):
        data[offset] ^= 0xFF
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(bytes(data))
    with pytest.raises(storyfacts.InputError, match="damaged"):
        read(broken)


# The public ways in -------------------------------------------------------------


def test_python_api_validates_and_loads_workbooks(
    workbook: Path, bundled: storyfacts.Dataset
) -> None:
    """storyfacts.validate lists cell problems; storyfacts.load raises them or gives the dataset."""
    assert storyfacts.validate(workbook) == []
    assert storyfacts.load(workbook) == bundled
    cell = _cell(bundled, "quotes", bundled.statements[0].id, "speaker")
    _edit(workbook, _set("Quotes", cell, None))
    assert [p.location for p in storyfacts.validate(workbook)] == [f"Quotes!{cell}"]
    with pytest.raises(storyfacts.InvalidDatasetError) as caught:
        storyfacts.load(workbook)
    assert f"Quotes!{cell}" in str(caught.value) and str(workbook) in str(caught.value)


def test_cli_validate_names_cells(
    workbook: Path, bundled: storyfacts.Dataset, capsys: pytest.CaptureFixture[str]
) -> None:
    """storyfacts validate leads each problem with its cell and sentence; --json has the path."""
    cell = _cell(bundled, "quotes", bundled.statements[0].id, "speaker")
    _edit(workbook, _set("Quotes", cell, None))
    assert cli.main(["validate", str(workbook)]) == 1
    out = capsys.readouterr().out
    assert f"  Quotes!{cell}: Speaker is required" in out
    assert "$.statements" not in out
    assert cli.main(["validate", "--json", str(workbook)]) == 1
    (report,) = json.loads(capsys.readouterr().out)
    assert report["problems"][0]["path"] == "$.statements[0].speaker"
    assert report["problems"][0]["location"] == f"Quotes!{cell}"
    assert cli.main(["import", str(workbook), "-o", str(workbook.with_suffix(".json"))]) == 1
    err = capsys.readouterr().err
    assert f"  Quotes!{cell}: Speaker is required" in err and "$.statements" not in err


def test_cli_import_writes_the_validated_dataset(
    workbook: Path, bundled: storyfacts.Dataset, tmp_path: Path
) -> None:
    """storyfacts import turns a valid workbook into the canonical dataset JSON."""
    target = tmp_path / "dataset.json"
    assert cli.main(["import", str(workbook), "-o", str(target)]) == 0
    assert target.read_text(encoding="utf-8") == storyfacts.dumps(bundled)
    assert json.loads(target.read_text(encoding="utf-8"))["id"] == bundled.id


def test_cli_refuses_a_hostile_file_by_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file that is not a workbook is a usage error naming the file."""
    path = _zip_bomb(tmp_path / "bomb.xlsx")
    assert cli.main(["validate", str(path)]) == 2
    assert f"{path}: part xl/worksheets/sheet1.xml unpacks to" in capsys.readouterr().err


def test_reading_keeps_memory_of_nothing_but_the_data(workbook: Path) -> None:
    """The reader closes the workbook: the file can be replaced right after reading."""
    read(workbook)
    workbook.write_bytes(io.BytesIO(b"replaced").getvalue())
    assert workbook.read_bytes() == b"replaced"


def _saved_at(path: Path, moment: str) -> None:
    """Stamp the time the workbook was saved, as a spreadsheet program does.

    openpyxl stamps the time it saves at; the part is rewritten with ``moment``.
    """
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    core = parts["docProps/core.xml"].decode()
    start = core.index(">", core.index("<dcterms:modified")) + 1
    end = core.index("</dcterms:modified>", start)
    parts["docProps/core.xml"] = (core[:start] + moment + core[end:]).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def test_an_edited_workbook_imports_with_the_time_it_was_saved(
    workbook: Path, bundled: storyfacts.Dataset, tmp_path: Path
) -> None:
    """An edit moves ``modified`` to when the workbook was saved; nothing else changes with it."""
    cell = _cell(bundled, "people", "putin", "name")
    _edit(workbook, _set("People", cell, "V. Putin"))
    _saved_at(workbook, "2026-12-01T09:30:05Z")
    reading = read(workbook)
    assert reading.edited is True
    assert reading.data["modified"] == "2026-12-01T09:30:05Z" != bundled.modified
    target = tmp_path / "imported.json"
    assert cli.main(["import", str(workbook), "-o", str(target)]) == 0
    imported = storyfacts.load(target)
    assert imported.modified == "2026-12-01T09:30:05Z"
    assert imported.index()["putin"].name == "V. Putin"
    assert storyfacts.dumps(storyfacts.load(workbook)) == target.read_text(encoding="utf-8")


def test_an_unedited_workbook_keeps_its_modified_time(
    workbook: Path, bundled: storyfacts.Dataset, tmp_path: Path
) -> None:
    """Saving a workbook without changing its content is no edit: the import is byte-identical."""
    _edit(workbook)
    _saved_at(workbook, "2026-12-01T09:30:05Z")
    assert read(workbook).edited is False
    target = tmp_path / "imported.json"
    assert cli.main(["import", str(workbook), "-o", str(target)]) == 0
    assert target.read_text(encoding="utf-8") == storyfacts.dumps(bundled)


def test_a_last_modified_typed_by_the_editor_is_kept(
    workbook: Path, bundled: storyfacts.Dataset
) -> None:
    """An editor who sets Last modified on the About sheet gets that time, not the save time."""
    about = openpyxl.load_workbook(workbook)["About"]
    row = next(r[0].row for r in about.iter_rows(max_col=1) if r[0].value == "Last modified")
    _edit(workbook, _set("About", f"B{row}", "2026-12-24T18:00:00Z"))
    assert read(workbook).data["modified"] == "2026-12-24T18:00:00Z"


def test_a_save_time_before_the_export_is_not_believed(
    workbook: Path, bundled: storyfacts.Dataset
) -> None:
    """A clock behind the export's time gives the import's own time instead."""
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    cell = _cell(bundled, "people", "putin", "name")
    _edit(workbook, _set("People", cell, "V. Putin"))
    _saved_at(workbook, "2001-01-01T00:00:00Z")
    modified = dt.datetime.fromisoformat(read(workbook).data["modified"].replace("Z", "+00:00"))
    assert before <= modified <= dt.datetime.now(dt.UTC)


def test_reading_leaves_the_garbage_collector_as_it_found_it(
    tmp_path: Path, bundled: storyfacts.Dataset
) -> None:
    """Reading pauses the cyclic collector and gives it back, after a refusal too."""
    import gc

    path = storyfacts.export(bundled, "xlsx", tmp_path / "story.xlsx")
    # Refused while its sheets are read: a row no sheet has.
    damaged = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(path) as old, zipfile.ZipFile(damaged, "w") as new:
        for name in old.namelist():
            data = old.read(name)
            if name == "xl/worksheets/sheet3.xml":
                data = data.replace(b"</sheetData>", b'<row r="0"/></sheetData>')
            new.writestr(name, data)
    assert gc.isenabled()
    assert read(path).problems == []
    assert gc.isenabled()
    with pytest.raises(storyfacts.InputError, match="outside a sheet's rows"):
        read(damaged)
    assert gc.isenabled()
    gc.disable()
    try:
        assert read(path).problems == []
        assert not gc.isenabled()
    finally:
        gc.enable()
