"""The csv exporter: one RFC 4180 table per kind of record, a valid data package, safe cells."""

from __future__ import annotations

import csv
import io
import json
import re
import socket
from pathlib import Path
from typing import Any

import attrs
import frictionless
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import storyfacts
from storyfacts import plugins, tables
from storyfacts.cli import main
from storyfacts.exporters import csv as csv_exporter
from storyfacts.exporting import ExportContext
from storyfacts.model import Decision
from storyfacts.testing import check_exporter, empty_dataset, make_dataset

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "formats" / "csv.md"
#: Every table the export writes, in the order datapackage.json lists them.
TABLE_NAMES = (
    [t.name for t in tables.TABLES] + ["evidence", "records"] + [t.name for t in tables.LINKS]
)
#: What a spreadsheet takes for the start of a formula (OWASP, "CSV Injection").
FORMULA_CHARACTERS = ["=", "+", "-", "@", "\t", "\r"]
ID_PATTERN = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


def _blocked(*args: Any, **kwargs: Any) -> Any:
    raise AssertionError(f"network access attempted: {args!r}")


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make any attempt to reach the network fail the test."""
    monkeypatch.setattr(socket.socket, "connect", _blocked)
    monkeypatch.setattr(socket, "create_connection", _blocked)
    monkeypatch.setattr(socket, "getaddrinfo", _blocked)


def export(dataset: Any, directory: Path, **options: str) -> Path:
    return storyfacts.export(dataset, "csv", directory, options=options)


def read_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def read_table(directory: Path, table: str) -> list[dict[str, str]]:
    with (directory / f"{table}.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def by_id(directory: Path, table: str) -> dict[str, dict[str, str]]:
    return {row["id"]: row for row in read_table(directory, table)}


def package(directory: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((directory / "datapackage.json").read_text("utf-8"))
    return loaded


def resource(directory: Path, name: str) -> dict[str, Any]:
    found: dict[str, Any] = next(r for r in package(directory)["resources"] if r["name"] == name)
    return found


def record_ends(text: str) -> list[str]:
    """The line ends that close records: those outside double-quoted fields."""
    ends, quoted, i = [], False, 0
    while i < len(text):
        ch = text[i]
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in "\r\n":
            end = "\r\n" if text.startswith("\r\n", i) else ch
            ends.append(end)
            i += len(end)
            continue
        i += 1
    return ends


def typed(field: dict[str, Any], cell: str) -> Any:
    """A cell as the data package says to read it: prefix stripped, typed, empty as missing."""
    if cell == "":
        return None
    prefix = field.get("storyfacts:formulaPrefix")
    if prefix and cell.startswith(prefix):
        cell = cell[len(prefix) :]
    if field["type"] == "integer":
        return int(cell)
    if field["type"] == "boolean":
        return cell in field["trueValues"]
    return cell


def read_back(directory: Path) -> dict[str, dict[str, Any]]:
    """Every record rebuilt from the CSV files alone, by id, as plain JSON data."""
    records: dict[str, dict[str, Any]] = {}
    for table in (*tables.TABLES, tables.EVIDENCE):
        fields = {f["name"]: f for f in resource(directory, table.name)["schema"]["fields"]}
        # The typed days beside each date are derived from it, and a flag written
        # "false" is the same as one left out.
        rows = [
            {
                name: typed(fields[name], cell) or None
                if fields[name]["type"] == "boolean"
                else typed(fields[name], cell)
                for name, cell in row.items()
                if fields[name]["type"] != "date"
            }
            for row in read_table(directory, table.name)
        ]
        if table is tables.EVIDENCE:
            assert tables.attach_evidence(records, rows) == []
        else:
            records.update({row["id"]: tables.unflatten(table, row) for row in rows})
    return records


def snapshot(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


def expected_counts(dataset: storyfacts.Dataset) -> dict[str, int]:
    """How many rows each table should have, counted from the dataset itself."""
    counts = {"articles": len(dataset.articles), "sources": len(dataset.sources)}
    for table in tables.TABLES:
        if table.type is not None:
            section = dataset.entities if table.section == "entities" else dataset.statements
            counts[table.name] = sum(1 for r in section if r.type == table.type)
    records = [*dataset.entities, *dataset.statements]
    counts["evidence"] = sum(len(r.evidence or []) for r in records)
    counts["records"] = sum(1 for _ in dataset.records())
    for link in tables.LINKS:
        field = link.columns[2].path[0]
        counts[link.name] = sum(len(getattr(r, field, None) or ()) for r in records)
    return counts


@pytest.fixture
def formula_data(seed_data: dict[str, Any]) -> dict[str, Any]:
    """The bundled dataset with summaries, an alias and a name that look like formulas."""
    for i, start in enumerate(FORMULA_CHARACTERS):
        seed_data["statements"][i]["summary"] = f"{start}SUM(1+1)"
    seed_data["statements"][6]["summary"] = "'90s sports diplomacy"
    seed_data["entities"][0]["aliases"] = ['=HYPERLINK("http://example.org")', "Putin"]
    seed_data["entities"][1]["name"] = "@Xi Jinping"
    return seed_data


# The data package ----------------------------------------------------------------


@pytest.mark.parametrize("dataset", ["bundled", "generated", "empty"])
def test_package_validates_offline_with_frictionless(
    dataset: str, tmp_path: Path, no_network: None
) -> None:
    """Frictionless finds every table valid, foreign keys included, without the network."""
    data = {
        "bundled": storyfacts.load_bundled,
        "generated": lambda: make_dataset(24),
        "empty": empty_dataset,
    }[dataset]()
    out = export(data, tmp_path / "out")
    report = frictionless.validate(out / "datapackage.json")
    assert report.valid, [(t.name, e.message) for t in report.tasks for e in t.errors]
    assert [task.name for task in report.tasks] == TABLE_NAMES


def test_frictionless_catches_a_broken_foreign_key(tmp_path: Path, no_network: None) -> None:
    """The foreign keys are really checked: a nationality pointing nowhere is reported."""
    out = export(None, tmp_path / "out")
    people = out / "people.csv"
    people.write_bytes(people.read_bytes().replace(b",russia,", b",ruritania,", 1))
    report = frictionless.validate(out / "datapackage.json")
    errors = [(task.name, e.type, e.note) for task in report.tasks for e in task.errors]
    assert [(name, kind) for name, kind, _ in errors] == [("people", "foreign-key")]
    assert "ruritania" in errors[0][2]


def test_package_describes_the_dataset(tmp_path: Path) -> None:
    """datapackage.json names the dataset, dates it from `modified`, and ends with a newline."""
    dataset = storyfacts.load_bundled()
    out = export(dataset, tmp_path / "out")
    text = (out / "datapackage.json").read_text("utf-8")
    described = json.loads(text)
    assert text.endswith("}\n")
    assert described["profile"] == "tabular-data-package"
    assert described["name"] == "putin-xi-olympics-2023"
    assert described["title"] == dataset.title
    assert described["created"] == "2026-11-27T00:00:00Z"
    assert described["storyfacts:schemaVersion"] == "1.0"
    assert described["storyfacts:formulas"] == "neutralised"
    assert described["sources"] == [{"title": a.headline, "path": a.url} for a in dataset.articles]
    assert [r["path"] for r in described["resources"]] == [f"{n}.csv" for n in TABLE_NAMES]
    for item in described["resources"]:
        assert item["profile"] == "tabular-data-resource"
        assert item["encoding"] == "utf-8"
        assert item["dialect"]["lineTerminator"] == "\r\n"


def test_package_is_laid_out_as_json_dumps_lays_it_out(tmp_path: Path) -> None:
    """datapackage.json, written by orjson, has the bytes of json.dumps(indent=2) plus a newline."""
    dataset = storyfacts.load_bundled()
    dataset.title = 'Путин и Си: «спорт вне политики» 体育 "quoted" </tag> \u2028'
    out = export(dataset, tmp_path / "out")
    written = (out / "datapackage.json").read_bytes()
    expected = json.dumps(json.loads(written), indent=2, ensure_ascii=False) + "\n"
    assert written == expected.encode("utf-8")
    assert json.loads(written)["title"] == dataset.title


def test_fields_come_from_the_json_schema(tmp_path: Path) -> None:
    """Each field has its column's name, title, description, type and constraints."""
    out = export(None, tmp_path / "out")
    for table in (*tables.TABLES, tables.EVIDENCE):
        fields = resource(out, table.name)["schema"]["fields"]
        columns = csv_exporter.analyst_table(table).columns
        assert [f["name"] for f in fields] == [c.name for c in columns]
        for field, column in zip(fields, columns, strict=True):
            assert field["title"] == column.title
            assert field["description"] == column.description
            constraints = field.get("constraints", {})
            assert constraints.get("required", False) == column.required
            assert constraints.get("enum", []) == list(column.enum)
    quotes = {f["name"]: f for f in resource(out, "quotes")["schema"]["fields"]}
    assert quotes["speaker"]["title"] == "Speaker"
    assert quotes["speaker"]["constraints"] == {"required": True, "pattern": ID_PATTERN.pattern}
    decisions = {f["name"]: f for f in resource(out, "decisions")["schema"]["fields"]}
    assert decisions["votes_for"]["type"] == "integer"
    assert decisions["effective_inferred"]["type"] == "boolean"
    assert decisions["effective_inferred"]["trueValues"] == ["true"]


def test_partial_dates_are_strings_with_a_pattern(tmp_path: Path) -> None:
    """A date column takes 2024, 2023-04 and 2023-03-22, which no one Table Schema type does."""
    out = export(None, tmp_path / "out")
    start = {f["name"]: f for f in resource(out, "events")["schema"]["fields"]}["start"]
    assert start["type"] == "string"
    pattern = start["constraints"]["pattern"]
    for value in ("2024", "2023-04", "2023-03-22"):
        assert re.fullmatch(pattern, value)
    for value in ("2023-4", "23", "2023-03-22T10:00", "next week"):
        assert not re.fullmatch(pattern, value)
    fie = by_id(out, "events")["fie-readmission-russian-belarusian-fencers"]
    assert (fie["start"], fie["start_precision"]) == ("2023-04", "month")


def test_keys_point_at_the_right_tables(tmp_path: Path) -> None:
    """Single-table references point at that table, the rest at records, lists at nothing."""
    out = export(None, tmp_path / "out")

    def keys(name: str) -> dict[str, str]:
        found = resource(out, name)["schema"].get("foreignKeys", [])
        assert all(k["reference"]["fields"] == "id" for k in found)
        return {k["fields"]: k["reference"]["resource"] for k in found}

    assert keys("evidence") == {"record": "records", "article": "articles"}
    # Every reference's key is derived from the schema (tests/test_references.py);
    # these are a few whose target a reader can check by eye.
    assert keys("people")["nationality"] == "countries"
    assert keys("organizations")["parent"] == "organizations"
    assert keys("organizations")["country"] == "countries"
    assert keys("claims")["subject"] == "records"
    assert keys("decisions")["effective_source"] == "sources"
    # Lists of ids (group members, sources, what a quote is about) are not keys.
    assert "members" not in keys("groups")
    assert "about" not in keys("quotes")
    for name in TABLE_NAMES:
        primary = resource(out, name)["schema"].get("primaryKey")
        links = {t.name: [t.columns[0].name, "position"] for t in tables.LINKS}
        assert primary == (None if name == "evidence" else links.get(name, ["id"]))


# The tables --------------------------------------------------------------------


@pytest.mark.parametrize("dataset", ["bundled", "generated"])
def test_every_table_has_its_header_crlf_and_a_row_per_record(dataset: str, tmp_path: Path) -> None:
    """Each table has the column names as header, CRLF line ends, and one row per record."""
    data = storyfacts.load_bundled() if dataset == "bundled" else make_dataset(24)
    out = export(data, tmp_path / "out")
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [f"{n}.csv" for n in TABLE_NAMES] + ["datapackage.json"]
    )
    counts = expected_counts(data)
    for name in TABLE_NAMES:
        text = (out / f"{name}.csv").read_bytes().decode("utf-8")
        rows = read_rows(out / f"{name}.csv")
        columns = [f["name"] for f in resource(out, name)["schema"]["fields"]]
        assert rows[0] == columns
        assert len(rows) - 1 == counts[name], name
        assert set(record_ends(text)) == {"\r\n"}
        assert len(record_ends(text)) == len(rows)


def test_empty_tables_are_written_with_their_header(tmp_path: Path) -> None:
    """A dataset with no records still gives every table, each holding just its header."""
    out = export(empty_dataset(), tmp_path / "out")
    for table in map(csv_exporter.analyst_table, (*tables.TABLES, tables.EVIDENCE)):
        assert read_rows(out / f"{table.name}.csv") == [[c.name for c in table.columns]]
    assert (out / "records.csv").read_bytes() == b"id,table\r\n"
    for link in tables.LINKS:
        assert read_rows(out / f"{link.name}.csv") == [[c.name for c in link.columns]]


def test_records_lists_every_id_with_its_table(tmp_path: Path) -> None:
    """records.csv holds each id of the dataset once, with the table its row is in."""
    out = export(None, tmp_path / "out")
    registry = {row["id"]: row["table"] for row in read_table(out, "records")}
    expected = {}
    for name in [t.name for t in tables.TABLES]:
        expected.update({row["id"]: name for row in read_table(out, name)})
    assert registry == expected
    assert registry["putin"] == "people"
    assert registry["itg-1135067"] == "articles"


def test_values_are_spelled_plainly(tmp_path: Path, seed_data: dict[str, Any]) -> None:
    """Booleans are true/false, whole numbers digits, missing values empty, lists one per line."""
    seed_data["entities"][0]["aliases"] = ["Putin", "Vladimir Vladimirovich"]
    out = export(seed_data, tmp_path / "out")
    article = read_table(out, "articles")[0]
    assert article["published_inferred"] == "true"
    assert article["published_precision"] == "day"
    putin = by_id(out, "people")["putin"]
    assert putin["aliases"] == "Putin\nVladimir Vladimirovich"
    assert putin["sources"] == ""
    flags = {
        row[column]
        for name in TABLE_NAMES
        for row in read_table(out, name)
        for column in row
        if column.endswith("_inferred")
    }
    assert flags == {"true", "false"}  # never empty: pandas reads a bool column
    evidence = read_table(out, "evidence")[0]
    assert evidence["start"].isdigit() and evidence["end"].isdigit()
    body = read_table(out, "articles")[0]["body"]
    assert body[int(evidence["start"]) : int(evidence["end"])] == evidence["text"]


def test_unicode_text_round_trips(tmp_path: Path) -> None:
    """Cyrillic, Chinese and accented Latin names come back from the CSV exactly."""
    dataset = make_dataset(24)
    out = export(dataset, tmp_path / "out")
    names = {row["id"]: row["name"] for row in read_table(out, "people")}
    assert names == {e.id: e.name for e in dataset.entities if e.type == "person"}
    assert {"Анна Петрова", "王小明", "Zoë Bäumler"} <= set(names.values())
    assert not (out / "people.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_two_exports_are_byte_identical(tmp_path: Path) -> None:
    """The same dataset gives the same bytes in every file, every time."""
    first = snapshot(export(make_dataset(24), tmp_path / "a"))
    second = snapshot(export(make_dataset(24), tmp_path / "b"))
    assert first == second


# Byte for byte -------------------------------------------------------------------

#: What gets the text prefix: the formula characters and the prefix itself.
FORMULA_STARTS = ("'", *FORMULA_CHARACTERS)
#: Text rich in what needs care in a CSV cell: separators, quotes, line ends,
#: formula starts (often at the start), NUL and wide characters.
AWKWARD_TEXT = st.builds(
    str.__add__,
    st.sampled_from(["", *FORMULA_STARTS]),
    st.text(
        alphabet=st.sampled_from(list(",\"\r\n\x00 \t'=+-@aé王\u2028")) | st.characters(),
        max_size=12,
    ),
)


def spelled_as_documented(table: tables.Table, row: list[Any], neutralise: bool) -> list[Any]:
    """One row's cells as docs/formats/csv.md says the CSV holds them, before quoting.

    After each date's precision come the first and last day it can mean; a
    flag is ``true`` or else ``false``.
    """
    out: list[Any] = []
    cells = dict(zip((c.path for c in table.columns), row, strict=True))
    for column in csv_exporter.analyst_table(table).columns:
        cell = cells.get(column.path)
        free_text = neutralise and column.kind in ("text", "list")
        if column.kind == "day":
            value = cells[(column.path[0], "value")]
            if value is not None:
                date = storyfacts.PartialDate(
                    value=value, precision=cells[(column.path[0], "precision")]
                )
                cell = getattr(date, column.path[1])().isoformat()
        elif column.kind == "boolean":
            cell = "true" if cell else "false"
        elif free_text and isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
            cell = "'" + cell
        out.append(cell)
    return out


@settings(max_examples=60, deadline=None, derandomize=True, database=None)
@given(
    texts=st.lists(AWKWARD_TEXT, min_size=6, max_size=6),
    votes=st.integers(0, 10**6),
    inferred=st.sampled_from([None, True, False]),
    neutralise=st.booleans(),
)
def test_tables_are_the_bytes_csv_writer_writes(
    texts: list[str],
    votes: int,
    inferred: bool | None,
    neutralise: bool,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """Every table is byte for byte what csv.writer writes for the same cells, whatever the text."""
    dataset = make_dataset(12)
    dataset.entities[0].description = texts[0]
    dataset.entities[1].aliases = [texts[1], texts[2]]
    dataset.statements[0].summary = texts[3]
    dataset.statements[1].evidence[0].text = texts[4]
    dataset.articles[0].headline = texts[5]
    decision = next(s for s in dataset.statements if isinstance(s, Decision))
    decision.votes_for = votes
    dataset.articles[0].published.inferred = inferred
    out = tmp_path_factory.mktemp("csv") / "out"
    formulas = "neutralise" if neutralise else "keep"
    # The text is not in the articles' bodies, so the dataset is not valid.
    storyfacts.export(dataset, "csv", out, options={"formulas": formulas}, check=False)
    for table in (*tables.TABLES, tables.EVIDENCE):
        expected = io.StringIO()
        writer = csv.writer(expected, lineterminator="\r\n")
        writer.writerow([c.name for c in csv_exporter.analyst_table(table).columns])
        for row in tables.rows(dataset, table):
            writer.writerow(spelled_as_documented(table, row, neutralise))
        written = (out / f"{table.name}.csv").read_bytes()
        assert written == expected.getvalue().encode("utf-8"), table.name


# Formulas ------------------------------------------------------------------------


def test_formulas_are_neutralised_by_default(tmp_path: Path, formula_data: dict[str, Any]) -> None:
    """Text starting with = + - @ tab or CR gets a leading quote, and so does text with one."""
    out = export(formula_data, tmp_path / "out")
    quotes = by_id(out, "quotes")
    for i, start in enumerate(FORMULA_CHARACTERS):
        statement_id = formula_data["statements"][i]["id"]
        assert quotes[statement_id]["summary"] == f"'{start}SUM(1+1)"
    assert quotes[formula_data["statements"][6]["id"]]["summary"] == "''90s sports diplomacy"
    people = by_id(out, "people")
    assert people["putin"]["aliases"] == '\'=HYPERLINK("http://example.org")\nPutin'
    assert people["xi"]["name"] == "'@Xi Jinping"
    assert package(out)["storyfacts:formulas"] == "neutralised"
    for name in TABLE_NAMES:
        for row in read_rows(out / f"{name}.csv"):
            starts = {cell[:1] for cell in row}
            assert starts.isdisjoint(FORMULA_CHARACTERS), (name, row)


def test_stripping_one_quote_gives_back_the_text(
    tmp_path: Path, formula_data: dict[str, Any]
) -> None:
    """Removing one leading quote from each neutralised text cell restores the dataset's text."""
    out = export(formula_data, tmp_path / "out")
    quotes = by_id(out, "quotes")
    for statement in formula_data["statements"]:
        if statement["type"] != "quote":
            continue
        for column in ("summary", "text"):
            cell = quotes[statement["id"]][column]
            assert (cell[1:] if cell.startswith("'") else cell) == statement[column]


@pytest.mark.parametrize("formulas", ["neutralise", "keep"])
def test_reading_the_files_back_gives_the_dataset(
    tmp_path: Path, formula_data: dict[str, Any], formulas: str
) -> None:
    """Read as datapackage.json says, with prefixes stripped, the CSV holds every record."""
    out = export(formula_data, tmp_path / "out", formulas=formulas)
    plain = storyfacts.dump(storyfacts.load(formula_data))
    expected = {
        r["id"]: r
        for section in ("articles", "entities", "statements", "sources")
        for r in plain[section]
    }
    assert read_back(out) == expected


def test_formulas_can_be_kept(tmp_path: Path, formula_data: dict[str, Any]) -> None:
    """With -O formulas=keep every text is written exactly as the dataset has it."""
    out = export(formula_data, tmp_path / "out", formulas="keep")
    quotes = by_id(out, "quotes")
    for statement in formula_data["statements"][:7]:
        assert quotes[statement["id"]]["summary"] == statement["summary"]
    assert by_id(out, "people")["xi"]["name"] == "@Xi Jinping"
    assert package(out)["storyfacts:formulas"] == "kept"


def test_numbers_are_never_neutralised(tmp_path: Path, bundled: storyfacts.Dataset) -> None:
    """A negative whole number stays a number; only text that starts with a minus is changed."""
    decision = next(s for s in bundled.statements if isinstance(s, Decision))
    changed = attrs.evolve(decision, votes_against=-5, summary="-5 votes against")
    dataset = attrs.evolve(
        bundled, statements=[changed if s is decision else s for s in bundled.statements]
    )
    out = tmp_path / "out"
    out.mkdir()
    plugins.exporter("csv").write(dataset, out, ExportContext())
    row = by_id(out, "decisions")[decision.id]
    assert row["votes_against"] == "-5"
    assert row["summary"] == "'-5 votes against"


# Options -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "named", "advice"),
    [
        ({"colour": "blue"}, "'colour'", "its options are: bom, formulas"),
        ({"formulas": "maybe"}, "formulas='maybe'", "formulas=neutralise|keep"),
    ],
    ids=["unknown option", "bad value"],
)
def test_a_bad_option_is_refused_and_nothing_written(
    tmp_path: Path, options: dict[str, str], named: str, advice: str
) -> None:
    """An unknown option or value fails with a message naming it, leaving the target as it was."""
    target = tmp_path / "out"
    target.mkdir()
    (target / "keep.txt").write_text("earlier export", encoding="utf-8")
    with pytest.raises(storyfacts.OptionError) as raised:
        export(None, target, **options)
    message = str(raised.value)
    assert named in message
    assert advice in message
    assert snapshot(target) == {"keep.txt": b"earlier export"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_bom_option_marks_every_table(tmp_path: Path, no_network: None) -> None:
    """With -O bom=true each CSV starts with a UTF-8 byte-order mark and still validates."""
    out = export(None, tmp_path / "out", bom="true")
    for name in TABLE_NAMES:
        data = (out / f"{name}.csv").read_bytes()
        header = next(r for r in package(out)["resources"] if r["name"] == name)["schema"]
        assert data.startswith(b"\xef\xbb\xbf" + header["fields"][0]["name"].encode() + b",")
    assert package(out)["storyfacts:bom"] is True
    assert not (out / "datapackage.json").read_bytes().startswith(b"\xef\xbb\xbf")
    assert frictionless.validate(out / "datapackage.json").valid


# Progress, the command line, conformance and docs ----------------------------------


def test_progress_counts_records_not_evidence(tmp_path: Path) -> None:
    """Progress ends at articles + entities + statements + sources and never goes back."""
    dataset = make_dataset(24)
    reports: list[tuple[int, int]] = []
    storyfacts.export(
        dataset, "csv", tmp_path / "out", progress=lambda d, t: reports.append((d, t))
    )
    total = (
        len(dataset.articles)
        + len(dataset.entities)
        + len(dataset.statements)
        + len(dataset.sources)
    )
    assert reports[-1] == (total, total)
    assert [d for d, _ in reports] == sorted(d for d, _ in reports)


def test_command_line_exports_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`storyfacts export -f csv -o DIR` writes the package; a bad option exits 1 and says why."""
    target = tmp_path / "csv"
    assert main(["export", "-f", "csv", "-o", str(target)]) == 0
    assert (target / "datapackage.json").is_file()
    assert by_id(target, "people")["putin"]["name"] == "Vladimir Putin"
    assert main(["export", "-f", "csv", "-o", str(tmp_path / "bad"), "-O", "bogus=1"]) == 2
    assert "'bogus'" in capsys.readouterr().err
    assert not (tmp_path / "bad").exists()


def test_conforms_to_the_exporter_contract(tmp_path: Path) -> None:
    """The csv exporter passes storyfacts' own conformance kit for exporters."""
    report = check_exporter("csv", directory=tmp_path)
    assert report.ok


def test_docs_name_every_table_column_and_option() -> None:
    """docs/formats/csv.md lists every table with its columns, and both options."""
    doc = DOC.read_text(encoding="utf-8")
    for table in (*tables.TABLES, tables.EVIDENCE, tables.RECORDS, *tables.LINKS):
        line = next((ln for ln in doc.splitlines() if ln.startswith(f"| `{table.name}.csv`")), "")
        assert line, f"{table.name}.csv is not in the table list"
        for column in csv_exporter.analyst_table(table).columns:
            assert f"`{column.name}`" in line, f"{table.name}.{column.name} is not documented"
    for option in ("formulas=keep", "bom=true", "records.csv", "datapackage.json"):
        assert option in doc


# Typed columns for analysts ----------------------------------------------------------


def test_each_date_has_its_earliest_and_latest_day_typed_date(tmp_path: Path) -> None:
    """Beside 2023-04 (month) the CSV gives 2023-04-01 and 2023-04-30, declared as dates."""
    out = export(None, tmp_path / "out")
    fie = by_id(out, "events")["fie-readmission-russian-belarusian-fencers"]
    assert (fie["start"], fie["start_precision"]) == ("2023-04", "month")
    assert (fie["start_earliest"], fie["start_latest"]) == ("2023-04-01", "2023-04-30")
    assert (fie["end_earliest"], fie["end_latest"]) == ("", "")
    forum = by_id(out, "claims")["claim-oca-athletes-forum-supports-neutral-return"]
    assert (forum["date"], forum["date_earliest"], forum["date_latest"]) == (
        "2023-W11",
        "2023-03-13",
        "2023-03-19",
    )
    fields = {f["name"]: f for f in resource(out, "claims")["schema"]["fields"]}
    assert (fields["date"]["type"], fields["date_earliest"]["type"]) == ("string", "date")
    report = frictionless.validate(out / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_duckdb_reads_every_day_as_a_date_and_every_flag_as_a_boolean(tmp_path: Path) -> None:
    """duckdb's own type detection gives DATE for each earliest/latest and BOOLEAN for flags."""
    import duckdb

    out = export(None, tmp_path / "out")
    connection = duckdb.connect()
    checked = 0
    for resource_ in package(out)["resources"]:
        table = f"read_csv('{out / resource_['path']}', header = true)"
        found = {
            row[0]: row[1]
            for row in connection.execute(f"DESCRIBE SELECT * FROM {table}").fetchall()
        }
        for field in resource_["schema"]["fields"]:
            expected = {"date": "DATE", "boolean": "BOOLEAN"}.get(field["type"])
            if expected is None:
                continue
            (filled,) = connection.execute(
                f'SELECT count("{field["name"]}") FROM {table}'
            ).fetchone()
            if not filled:
                continue  # all empty: nothing for duckdb to detect a type from
            assert found[field["name"]] == expected, (resource_["name"], field["name"])
            checked += 1
    assert checked >= 10
