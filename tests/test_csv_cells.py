"""The generated row makers of the csv exporter: the same cells whatever a record holds."""

from __future__ import annotations

import csv
from pathlib import Path

import storyfacts
from storyfacts.testing import make_dataset


def test_a_text_field_holding_no_text_is_written_as_csv_writer_writes_it(tmp_path: Path) -> None:
    """With check=False, a number in a text field does not stop the export or its neighbours.

    The fast maker takes text fields to hold text; a batch where one does not
    is made again by the guarded one, which still neutralises the rest.
    """
    dataset = make_dataset(12)
    people = [e for e in dataset.entities if e.type == "person"]
    people[0].description = 42  # type: ignore[assignment]
    people[1].description = "=SUM(1+1)"
    out = storyfacts.export(dataset, "csv", tmp_path / "out", check=False)
    with (out / "people.csv").open(encoding="utf-8", newline="") as f:
        rows = {row["id"]: row for row in csv.DictReader(f)}
    assert rows[people[0].id]["description"] == "42"
    assert rows[people[1].id]["description"] == "'=SUM(1+1)"
