"""Link tables: each list of references as rows, with foreign keys, joined by duckdb and pandas."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import duckdb
import frictionless
import pandas
import pytest

import storyfacts
from storyfacts import kinds, references, tables
from storyfacts.testing import make_dataset


def export(dataset: Any, directory: Path) -> Path:
    return storyfacts.export(dataset, "csv", directory)


def resources(directory: Path) -> dict[str, dict[str, Any]]:
    described = json.loads((directory / "datapackage.json").read_text("utf-8"))
    return {r["name"]: r for r in described["resources"]}


def read_table(directory: Path, name: str) -> list[dict[str, str]]:
    with (directory / f"{name}.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def schema_lists() -> dict[str, dict[str, frozenset[str]]]:
    """Each list of references on a record, from the schema: field -> owner kind -> targets."""
    found: dict[str, dict[str, frozenset[str]]] = {}
    for kind in kinds.KINDS:
        for reference in references.references(kind.definition):
            if reference.path[-1] == references.EACH and len(reference.path) == 2:
                found.setdefault(reference.path[0], {})[kind.name] = reference.targets
    return found


def field_of(link: tables.Table) -> str:
    """The list field a link table holds: the path of its id column."""
    return link.columns[2].path[0]


def link(name: str) -> tables.Table:
    return next(t for t in tables.LINKS if t.name == name)


def lists_in(dataset: storyfacts.Dataset, link: tables.Table) -> dict[str, list[str]]:
    """Each record's list that ``link`` holds, from the dataset itself, empty lists left out."""
    field = field_of(link)
    return {
        record.id: list(items)
        for record in dataset.records()
        if (items := getattr(record, field, None))
    }


def test_every_list_of_references_in_the_schema_has_a_link_table() -> None:
    """The link tables are exactly the schema's lists of references, with its owners and targets."""
    lists = schema_lists()
    assert {"members", "about", "sources"} <= lists.keys()
    assert {field_of(link): link for link in tables.LINKS}.keys() == lists.keys()
    names = {link.name for link in tables.LINKS}
    assert {"group_members", "statement_about", "record_sources"} == names
    for link in tables.LINKS:
        owners = lists[field_of(link)]
        owner, position, item = link.columns
        assert kinds.expand(owner.targets) == owners.keys()
        assert kinds.expand(item.targets) == frozenset().union(*owners.values())
        assert (owner.kind, position.kind, item.kind) == ("ref", "integer", "ref")
        assert link.key == (owner.name, "position")


@pytest.mark.parametrize("dataset", ["bundled", "generated"])
def test_link_rows_hold_each_list_in_order(dataset: str, tmp_path: Path) -> None:
    """Reading a link table back by owner and position gives every record's list exactly."""
    data = storyfacts.load_bundled() if dataset == "bundled" else make_dataset(24)
    out = export(data, tmp_path / "out")
    for link in tables.LINKS:
        owner, _, item = (c.name for c in link.columns)
        rebuilt: dict[str, list[tuple[int, str]]] = {}
        for row in read_table(out, link.name):
            rebuilt.setdefault(row[owner], []).append((int(row["position"]), row[item]))
        expected = lists_in(data, link)
        assert expected, f"the {dataset} dataset has no {field_of(link)} to check"
        assert {k: [i for _, i in sorted(v)] for k, v in rebuilt.items()} == expected
        for pairs in rebuilt.values():
            assert [p for p, _ in pairs] == list(range(1, len(pairs) + 1))


def test_the_list_cells_stay_beside_the_link_tables(tmp_path: Path) -> None:
    """The newline-joined cell is still written, and holds what the link table holds."""
    out = export(None, tmp_path / "out")
    members = {r["id"]: r["members"] for r in read_table(out, "groups")}
    linked: dict[str, list[str]] = {}
    for row in read_table(out, "group_members"):
        linked.setdefault(row["group"], []).append(row["member"])
    assert {k: "\n".join(v) for k, v in linked.items()} == {k: v for k, v in members.items() if v}


def test_each_link_table_declares_its_keys(tmp_path: Path) -> None:
    """Owner and id are foreign keys (to one table, or to records), owner and position the key."""
    out = export(None, tmp_path / "out")
    described = resources(out)

    def keys(name: str) -> dict[str, str]:
        found = described[name]["schema"]["foreignKeys"]
        assert all(k["reference"]["fields"] == "id" for k in found)
        return {k["fields"]: k["reference"]["resource"] for k in found}

    assert keys("group_members") == {"group": "groups", "member": "records"}
    assert keys("statement_about") == {"statement": "records", "about": "records"}
    assert keys("record_sources") == {"record": "records", "source": "sources"}
    assert described["group_members"]["schema"]["primaryKey"] == ["group", "position"]
    fields = {f["name"]: f for f in described["statement_about"]["schema"]["fields"]}
    assert fields["position"]["type"] == "integer"
    assert "storyfacts:itemSeparator" not in fields["about"]


@pytest.mark.parametrize(
    ("table", "column", "good"),
    [
        ("group_members", "member", b",putin\r\n"),
        ("record_sources", "source", b",public-record\r\n"),
    ],
)
def test_frictionless_catches_a_link_to_nothing(
    tmp_path: Path, table: str, column: str, good: bytes
) -> None:
    """A member or source id that names no record is a foreign-key error on the link table."""
    out = export(None, tmp_path / "out")
    assert frictionless.validate(out / "datapackage.json").valid
    path = out / f"{table}.csv"
    assert good in path.read_bytes()
    path.write_bytes(path.read_bytes().replace(good, b",ruritania\r\n", 1))
    report = frictionless.validate(out / "datapackage.json")
    errors = [(task.name, e.type, e.note) for task in report.tasks for e in task.errors]
    assert [(name, kind) for name, kind, _ in errors] == [(table, "foreign-key")]
    assert "ruritania" in errors[0][2]


def test_duckdb_joins_the_link_tables(tmp_path: Path) -> None:
    """duckdb types the position as an integer and joins members and about to the records."""
    data = storyfacts.load_bundled()
    out = export(data, tmp_path / "out")
    db = duckdb.connect()
    for name in ("records", "people", "groups", "group_members", "statement_about"):
        db.execute(f"CREATE VIEW {name} AS SELECT * FROM read_csv('{out / name}.csv')")
    types = {row[0]: row[1] for row in db.execute("DESCRIBE statement_about").fetchall()}
    assert types == {"statement": "VARCHAR", "position": "BIGINT", "about": "VARCHAR"}
    # Members who are people, with their group's name: two joins, no cell split.
    members = db.execute(
        "SELECT g.name, p.name FROM group_members m "
        'JOIN groups g ON g.id = m."group" JOIN people p ON p.id = m.member '
        'ORDER BY m."group", m.position'
    ).fetchall()
    names = {record.id: record.name for record in data.entities}
    people = {record.id for record in data.entities if record.type == "person"}
    assert members == [
        (names[group], names[member])
        for group, items in sorted(lists_in(data, link("group_members")).items())
        for member in items
        if member in people
    ]
    assert "Vladimir Putin" in {person for _, person in members}
    about = db.execute(
        'SELECT a.statement, r."table", count(*) FROM statement_about a '
        "JOIN records r ON r.id = a.about GROUP BY ALL ORDER BY ALL"
    ).fetchall()
    expected: dict[tuple[str, str], int] = {}
    table_of = {row[0]: row[1] for batch in tables.record_rows(data) for row in batch}
    for record_id, items in lists_in(data, link("statement_about")).items():
        for item in items:
            key = (record_id, str(table_of[item]))
            expected[key] = expected.get(key, 0) + 1
    assert about == sorted((s, t, n) for (s, t), n in expected.items())


def test_pandas_merges_the_link_tables(tmp_path: Path) -> None:
    """pandas reads the position as int64 and merges sources onto the records citing them."""
    data = storyfacts.load_bundled()
    out = export(data, tmp_path / "out")
    links = pandas.read_csv(out / "record_sources.csv")
    assert str(links["position"].dtype) == "int64"
    sources = pandas.read_csv(out / "sources.csv")
    records = pandas.read_csv(out / "records.csv")
    cited = links.merge(sources, left_on="source", right_on="id").merge(
        records, left_on="record", right_on="id", suffixes=("_source", "_record")
    )
    assert len(cited) == len(links)
    found = sorted(zip(cited["record"], cited["table"], cited["title"], strict=True))
    titles = {s.id: s.title for s in data.sources}
    expected = sorted(
        (record_id, table, titles[source])
        for batch in tables.record_rows(data)
        for record_id, table in batch
        for source in lists_in(data, link("record_sources")).get(str(record_id), [])
    )
    assert found == expected
