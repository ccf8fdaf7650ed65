"""The csv exporter's joined rows: byte for byte what csv.writer writes for the same values.

Each batch of rows is written as one text joined from cells already spelled
as CSV fields (``storyfacts.exporters.csv.lines``); a batch holding what no
valid record holds goes to ``csv.writer``. These tests hold the joined text
to ``csv.writer`` field by field (any text, either formulas option), file by
file (whole exports forced through ``csv.writer``), and check that every cell
written unquoted is looked at first.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import storyfacts
from storyfacts import kinds, tables
from storyfacts.exporters.csv import cells, files, lines
from storyfacts.testing import make_dataset

#: What csv.writer quotes for, what a spreadsheet takes for a formula, and some letters.
_TRICKY = ",\"\r\n\t =+-@'aZ0é王\U0001f600\x00\u2028"
texts = st.text(alphabet=st.sampled_from(_TRICKY), max_size=12) | st.text(max_size=12)


def _by_csv_writer(rows: list[Any]) -> str:
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


def _joined(table: tables.Table, neutralise: bool) -> Callable[[list[Any]], str | None]:
    return lines._text(
        cells.spelled_maker(table, neutralise), cells.probed(cells.analyst_table(table).columns)
    )


def _person(dataset: storyfacts.Dataset) -> Any:
    return next(e for e in dataset.entities if e.type == "person")


@settings(max_examples=300, deadline=None)
@given(
    description=st.none() | texts,
    name=texts,
    aliases=st.none() | st.lists(texts, max_size=3),
    neutralise=st.booleans(),
)
def test_free_text_is_spelled_as_csv_writer_writes_it(
    description: str | None, name: str, aliases: list[str] | None, neutralise: bool
) -> None:
    """Quotes where csv.writer quotes, quotes doubled, the formula prefix before quoting."""
    person = attrs.evolve(
        _person(make_dataset(12)), name=name, description=description, aliases=aliases
    )
    table = next(t for t in tables.TABLES if t.kind == "person")
    expected = _by_csv_writer(cells.row_maker(table, neutralise)([person]))
    assert _joined(table, neutralise)([person]) == expected


@settings(max_examples=100, deadline=None)
@given(url=st.none() | texts, title=texts, note=st.none() | texts)
def test_a_link_is_quoted_as_csv_writer_quotes_it(
    url: str | None, title: str, note: str | None
) -> None:
    """A link may hold a comma in a valid dataset: it is quoted, never merely looked at."""
    source = storyfacts.model.Source(id="source-1", title=title, url=url, note=note)
    table = next(t for t in tables.TABLES if t.kind == "source")
    assert "url" in {c.name for c in table.columns if c.kind in cells.QUOTED}
    assert _joined(table, True)([source]) == _by_csv_writer(cells.row_maker(table, True)([source]))


class _Spy:
    """csv.writer, counting the batches of rows it is given (the header is one row, not counted)."""

    def __init__(self) -> None:
        self.batches = 0
        self.real = csv.writer

    def __call__(self, f: Any, **kwargs: Any) -> Any:
        writer = self.real(f, **kwargs)
        spy = self

        class Counting:
            def writerow(self, row: Any) -> Any:
                return writer.writerow(row)

            def writerows(self, rows: Any) -> Any:
                spy.batches += 1
                return writer.writerows(rows)

        return Counting()


def _files(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


def _export_both(
    dataset: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, **options: str
) -> tuple[dict[str, bytes], dict[str, bytes], int]:
    """The files exported as they are, those written by csv.writer alone, and the batches
    csv.writer wrote in the first."""
    spy = _Spy()
    with monkeypatch.context() as patched:
        patched.setattr(files.csv, "writer", spy)
        joined = storyfacts.export(
            dataset, "csv", tmp_path / "joined", options=options, check=False
        )
    with monkeypatch.context() as patched:
        patched.setattr(lines, "_text", lambda spelled, probed: lambda records: None)
        written = storyfacts.export(
            dataset, "csv", tmp_path / "writer", options=options, check=False
        )
    return _files(joined), _files(written), spy.batches


@pytest.mark.parametrize(
    "options",
    [{}, {"formulas": "keep"}, {"bom": "true"}],
    ids=["default", "formulas kept", "byte-order mark"],
)
@pytest.mark.parametrize("source", ["bundled", "generated"])
def test_every_file_is_byte_for_byte_what_csv_writer_writes(
    source: str, options: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dataset = storyfacts.load_bundled() if source == "bundled" else make_dataset(600, seed=3)
    joined, written, fallbacks = _export_both(dataset, tmp_path, monkeypatch, **options)
    assert fallbacks == 0
    assert joined.keys() == written.keys()
    for name in joined:
        assert joined[name] == written[name], name


def test_a_valid_dataset_is_written_without_csv_writer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every cell left unquoted in a valid dataset needs no quotes: no batch falls back."""
    spy = _Spy()
    monkeypatch.setattr(files.csv, "writer", spy)
    storyfacts.export(storyfacts.load_bundled(), "csv", tmp_path / "bundled")
    storyfacts.export(make_dataset(600, seed=1), "csv", tmp_path / "generated")
    assert spy.batches == 0


def _unquoted_fields() -> Iterator[tuple[str, str, str]]:
    """(kind, field, column kind) of each field of a record written unquoted (ids, codes, numbers).

    The parts of a date are left out: a date whose value is not one cannot
    be spelled at all, by either writer (its first and last days are worked
    out from it).
    """
    for table in tables.TABLES:
        columns = cells.analyst_table(table).columns
        for index in cells.probed(columns):
            column = columns[index]
            if len(column.path) == 1:
                yield table.kind, column.path[0], column.kind


@pytest.mark.parametrize(
    ("kind", "field", "column", "value"),
    [
        (kind, field, column, value)
        for kind, field, column in _unquoted_fields()
        for value in ["a,b", 'a"b', "a\nb", "a\rb", 7, None]
        if not (field == "id" and value is None)  # a record without an id has no row to find
    ],
)
def test_a_cell_written_unquoted_is_looked_at_first(
    kind: str,
    field: str,
    column: str,
    value: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An id, code or number that would need quotes (check=False) sends its batch to csv.writer.

    Whatever the field holds, the files are csv.writer's bytes, and the
    record's row reads back with the value as csv.writer wrote it.
    """
    dataset = make_dataset(12)
    section = getattr(dataset, kinds.kind(kind).section)
    record = next(r for r in section if getattr(r, "TYPE", kind) == kind)
    object.__setattr__(record, field, value)
    joined, written, fallbacks = _export_both(dataset, tmp_path, monkeypatch)
    # Empty, or a whole number where one belongs, needs nothing; the rest is not what a valid
    # record holds there, and each batch holding it (its table's, and any table the id is in)
    # goes to csv.writer.
    fits = value is None or (isinstance(value, int) and column in ("integer", "number"))
    assert (fallbacks == 0) == fits
    for name in joined:
        assert joined[name] == written[name], name
    table = next(t for t in tables.TABLES if t.kind == kind)
    rows = list(csv.reader(io.StringIO(joined[f"{table.name}.csv"].decode(), newline="")))
    header = rows[0]
    spelled = "" if value is None else str(value)
    assert spelled in [row[header.index(field)] for row in rows[1:]]


@pytest.mark.parametrize("value", ["record-1,x", 5])
def test_an_owner_id_in_a_joining_table_is_looked_at_first(
    value: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The ids of records.csv, evidence.csv and the link tables, written unquoted, are looked at."""
    dataset = make_dataset(12)
    statement = next(s for s in dataset.statements if s.about and s.evidence)
    object.__setattr__(statement, "id", value)
    joined, written, fallbacks = _export_both(dataset, tmp_path, monkeypatch)
    assert fallbacks >= 3
    for name in ("records.csv", "evidence.csv", "statement_about.csv"):
        assert joined[name] == written[name], name
        assert f'"{value}"'.encode() in joined[name] or str(value).encode() in joined[name]
        # Read back, the id is the first cell of a row, whole: the comma did not split it.
        rows = list(csv.reader(io.StringIO(joined[name].decode(), newline="")))
        assert str(value) in [row[0] for row in rows[1:]], name


def test_every_table_has_two_columns_or_more() -> None:
    """csv.writer writes a row of one empty field as '""'; the joined rows never have one."""
    for table in [*tables.TABLES, tables.EVIDENCE, tables.RECORDS, *tables.LINKS]:
        assert len(cells.analyst_table(table).columns) >= 2, table.name


def test_text_needing_quotes_stays_on_the_joined_path() -> None:
    """Only the unquoted cells are looked at: a comma or a quote in free text is quoted."""
    dataset = make_dataset(12)
    person = attrs.evolve(_person(dataset), description='He said, "no".')
    table = next(t for t in tables.TABLES if t.kind == "person")
    text = _joined(table, True)([person])
    assert text is not None
    assert '"He said, ""no""."' in text
