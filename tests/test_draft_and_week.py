"""The schema's draft marker and ISO-week dates, in every format that carries them."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

import storyfacts
from storyfacts import tables
from storyfacts.workbook import read

MEETING = "ioc-executive-board-meeting-2023-03"


def _event(data: dict[str, Any]) -> dict[str, Any]:
    return next(e for e in data["entities"] if e["id"] == MEETING)


def _event_path(data: dict[str, Any]) -> str:
    return f"$.entities[{[e['id'] for e in data['entities']].index(MEETING)}]"


def test_week_precision_spans_monday_to_sunday() -> None:
    """An ISO week means its Monday to its Sunday, across a month or a year end."""
    week = storyfacts.PartialDate(value="2023-W13", precision="week")
    assert (week.earliest(), week.latest()) == (dt.date(2023, 3, 27), dt.date(2023, 4, 2))
    first = storyfacts.PartialDate(value="2021-W01", precision="week")
    assert first.earliest() == dt.date(2021, 1, 4)
    assert week.as_date() is None


def test_week_values_are_checked(seed_data: dict[str, Any]) -> None:
    """A week that does not exist, or a value of another shape, is a problem at its path."""
    event = _event(seed_data)
    event["start"] = {"value": "2023-W53", "precision": "week"}
    event["end"] = {"value": "2023-03", "precision": "week"}
    problems = {p.path: p for p in storyfacts.validate(seed_data)}
    where = _event_path(seed_data)
    assert "2023 has weeks 1 to 52" in problems[f"{where}.start.value"].message
    assert "YYYY-Www" in problems[f"{where}.end.value"].message
    event["start"] = {"value": "2020-W53", "precision": "week"}  # 2020 had 53 weeks
    event["end"] = {"value": "2021-W01", "precision": "week"}
    assert storyfacts.validate(seed_data) == []


def test_week_before_start_is_caught(seed_data: dict[str, Any]) -> None:
    """Event order compares the days a week spans."""
    event = _event(seed_data)
    event["end"] = {"value": "2023-W12", "precision": "week"}  # ends 26 March, before the 28th
    assert [p.code for p in storyfacts.validate(seed_data)] == ["end-before-start"]


def test_draft_marker_validates_and_round_trips(seed_data: dict[str, Any]) -> None:
    """A draft has a rule and a confidence from 0 to 1; a whole-number confidence loads too."""
    seed_data["statements"][0]["draft"] = {"rule": "quote-said-after", "confidence": 1}
    dataset = storyfacts.load(seed_data)
    assert dataset.statements[0].draft == storyfacts.Draft(rule="quote-said-after", confidence=1.0)
    seed_data["statements"][0]["draft"] = {"rule": "Quote said", "confidence": 1.5}
    seed_data["entities"][0]["draft"] = {"rule": "known-name"}
    paths = {p.path for p in storyfacts.validate(seed_data)}
    assert {
        "$.statements[0].draft.rule",
        "$.statements[0].draft.confidence",
        "$.entities[0].draft.confidence",
    } <= paths


def _drafted(seed_data: dict[str, Any]) -> storyfacts.Dataset:
    seed_data["statements"][0]["draft"] = {"rule": "quote-said-after", "confidence": 0.8}
    seed_data["statements"][2]["draft"] = {"rule": "quote-said-after", "confidence": 0.8}
    seed_data["entities"][0]["draft"] = {"rule": "known-name", "confidence": 0.95}
    _event(seed_data)["start"] = {"value": "2023-W13", "precision": "week", "phrase": "next week"}
    return storyfacts.load(seed_data)


def test_workbook_shows_drafts_and_clearing_the_rule_confirms(
    seed_data: dict[str, Any], tmp_path: Path
) -> None:
    """The Draft cell holds the rule; clearing that one cell confirms the record."""
    dataset = _drafted(seed_data)
    path = storyfacts.export(dataset, "xlsx", tmp_path / "story.xlsx")
    quotes = next(t for t in tables.TABLES if t.name == "quotes")
    names = [c.name for c in quotes.columns]
    rule_letter = get_column_letter(names.index("draft") + 1)
    confidence_letter = get_column_letter(names.index("draft_confidence") + 1)
    book = openpyxl.load_workbook(path)
    sheet = book["Quotes"]
    assert sheet[f"{rule_letter}1"].value == "Draft"
    assert sheet[f"{rule_letter}2"].value == "quote-said-after"
    assert sheet[f"{confidence_letter}2"].value == 0.8
    # Read back unchanged: the drafts and the week survive.
    unchanged = read(path)
    assert unchanged.problems == []
    assert storyfacts.dump(storyfacts.load(unchanged.data)) == storyfacts.dump(dataset)
    # The editor confirms the first quote by clearing its Draft cell only.
    sheet[f"{rule_letter}2"].value = None
    book.save(path)
    confirmed = storyfacts.load(path)
    assert confirmed.statements[0].draft is None
    assert confirmed.statements[2].draft == storyfacts.Draft(
        rule="quote-said-after", confidence=0.8
    )


def test_workbook_names_the_cell_of_a_bad_confidence(
    seed_data: dict[str, Any], tmp_path: Path
) -> None:
    """A confidence that is not a number, or is above 1, is reported at its cell."""
    path = storyfacts.export(_drafted(seed_data), "xlsx", tmp_path / "story.xlsx")
    quotes = next(t for t in tables.TABLES if t.name == "quotes")
    letter = get_column_letter([c.name for c in quotes.columns].index("draft_confidence") + 1)
    book = openpyxl.load_workbook(path)
    book["Quotes"][f"{letter}2"].value = "sure"
    book["Quotes"][f"{letter}4"].value = 3
    book.save(path)
    found = {p.location: p.message for p in read(path).problems}
    assert "is not a number" in found[f"Quotes!{letter}2"]
    assert "maximum" in found[f"Quotes!{letter}4"] or "3" in found[f"Quotes!{letter}4"]


def test_csv_and_ics_carry_drafts_and_weeks(seed_data: dict[str, Any], tmp_path: Path) -> None:
    """CSV types the confidence as a number; the calendar spans the whole week."""
    dataset = _drafted(seed_data)
    out = storyfacts.export(dataset, "csv", tmp_path / "csv")
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    quotes = next(r for r in package["resources"] if r["name"] == "quotes")
    fields = {f["name"]: f for f in quotes["schema"]["fields"]}
    assert fields["draft_confidence"]["type"] == "number"
    assert "quote-said-after,0.8" in (out / "quotes.csv").read_text(encoding="utf-8")
    ics = storyfacts.export(dataset, "ics", tmp_path / "story.ics").read_text(encoding="utf-8")
    block = next(b for b in ics.split("BEGIN:VEVENT") if "IOC Executive Board meeting" in b)
    assert "DTSTART;VALUE=DATE:20230327" in block


@pytest.mark.parametrize("value", ["2023-W13"])
def test_jsonld_writes_the_week_as_iso_8601(
    seed_data: dict[str, Any], tmp_path: Path, value: str
) -> None:
    """An ISO week is written as it is, as plain text: schema.org's Date is a whole day."""
    path = storyfacts.export(_drafted(seed_data), "jsonld", tmp_path / "story.jsonld")
    text = path.read_text(encoding="utf-8")
    assert f'"startDate": {{\n        "@value": "{value}"\n      }}' in text
