"""The generated row makers of the csv exporter: the same cells whatever a record holds."""

from __future__ import annotations

import csv
from pathlib import Path

import attrs
import pytest

import storyfacts
from storyfacts.exporters.csv import cells
from storyfacts.testing import make_dataset

#: What gets the text prefix, as docs/formats/csv.md says: a formula start or the prefix.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")


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


#: Text starting with each character up to just past the last formula start
#: and the prefix (``@`` and ``'``), then letters beyond Latin-1, as the first
#: character or the whole text.
_FIRST_CHARACTERS = [chr(c) for c in range(0x00, 0x5B)] + ["é", "Ж", "王", "\u2028", "\U0001f600"]


@pytest.mark.parametrize("guarded", [False, True], ids=["text only", "a number among the text"])
def test_every_first_character_is_neutralised_as_the_docs_say(
    guarded: bool, tmp_path: Path
) -> None:
    """A text cell gets the prefix exactly when it starts with a formula start or the prefix.

    The makers tell most text apart by one comparison with ``"A"`` before
    looking at its first character; this holds them to the rule for every
    character on either side of that line, whole or followed by more text,
    in the fast maker and in the guarded one (a batch holding a number in a
    text field).
    """
    texts = [*_FIRST_CHARACTERS, *(c + "rest" for c in _FIRST_CHARACTERS)]
    dataset = make_dataset(12)
    person = next(e for e in dataset.entities if e.type == "person")
    people = [person]
    for i, text in enumerate(texts):
        people.append(attrs.evolve(person, id=f"person-first-{i}", description=text))
    if guarded:
        number = attrs.evolve(person, id="person-number")
        number.description = 42  # type: ignore[assignment]
        people.append(number)
    dataset.entities.extend(people[1:])
    out = storyfacts.export(dataset, "csv", tmp_path / "out", check=False)
    with (out / "people.csv").open(encoding="utf-8", newline="") as f:
        written = {row["id"]: row["description"] for row in csv.DictReader(f)}
    for i, text in enumerate(texts):
        expected = "'" + text if text.startswith(FORMULA_STARTS) else text
        assert written[f"person-first-{i}"] == expected, repr(text)
    if guarded:
        assert written["person-number"] == "42"


def test_the_line_below_which_text_is_looked_at_is_after_every_formula_start() -> None:
    """``"A"`` sorts after each formula start and the prefix, so no text it passes needs one."""
    assert all(start < cells._BELOW for start in FORMULA_STARTS)
    assert cells._BELOW == "A"


def test_the_days_worked_out_are_bounded_and_the_same_when_forgotten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The dates' first and last days are kept for every table at once, at most LIMIT of them.

    With room for only five, the cache is emptied again and again while the
    export runs, and the files are the same as with room for every date.
    """
    dataset = make_dataset(120, seed=4)
    monkeypatch.setattr(cells._Days, "LIMIT", 10**6)
    cells._DAYS.clear()
    roomy = storyfacts.export(dataset, "csv", tmp_path / "roomy")
    distinct = len(cells._DAYS)
    assert distinct > 5
    monkeypatch.setattr(cells._Days, "LIMIT", 5)
    cells._DAYS.clear()
    tight = storyfacts.export(dataset, "csv", tmp_path / "tight")
    assert len(cells._DAYS) <= 5
    for name in sorted(p.name for p in roomy.iterdir()):
        assert (tight / name).read_bytes() == (roomy / name).read_bytes(), name
