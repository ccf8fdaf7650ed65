"""An event's order is checked on plain text, without the model (storyfacts.date_spans).

``storyfacts validate`` imports neither the model nor its type checks
(tests/test_streaming_imports.py); the days a partial date can mean are
worked out by the same functions PartialDate uses, so its ``earliest`` and
``latest`` and the date checks cannot part.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import storyfacts
from storyfacts.date_checks import event_order_problems
from storyfacts.date_spans import first_day, last_day
from storyfacts.streaming.document import document_problems

VALUES = [
    ("2023", "year"),
    ("2024-02", "month"),
    ("2023-02", "month"),
    ("1900-02", "month"),
    ("2000-02", "month"),
    ("2023-12", "month"),
    ("2023-04-30", "day"),
    ("2024-02-29", "day"),
    ("2020-W53", "week"),
    ("2023-W01", "week"),
    ("0001", "year"),
    ("9999-12", "month"),
]


@pytest.mark.parametrize(("value", "precision"), VALUES)
def test_the_days_a_date_can_mean_are_the_model_s(value: str, precision: Any) -> None:
    date = storyfacts.PartialDate(value=value, precision=precision)
    assert (first_day(value), last_day(value)) == (date.earliest(), date.latest())


def _event(start: Any, end: Any) -> dict[str, Any]:
    return {"id": "event-1", "type": "event", "name": "Games", "start": start, "end": end}


def test_an_event_that_ends_before_it_starts() -> None:
    event = _event(
        {"value": "2023-W10", "precision": "week"}, {"value": "2023-03", "precision": "month"}
    )
    assert [p.code for p in event_order_problems(("entities", 4), event)] == []
    event["end"] = {"value": "2023-02", "precision": "month"}
    found = event_order_problems(("entities", 4), event)
    assert [(p.path, p.code) for p in found] == [("$.entities[4].end", "end-before-start")]


@pytest.mark.parametrize(
    "start",
    [
        {"value": "2023", "precision": 4},  # not text: the schema's to say
        {"value": 2023, "precision": "year"},
        {"value": "2023"},
        # A precision storyfacts does not know lets any text through to the
        # arithmetic; a year too large for a date is no order to check (this
        # raised OverflowError, a traceback, before).
        {"value": "99999999999999999999", "precision": "decade"},
        {"value": "not a date", "precision": "decade"},
    ],
)
def test_a_date_not_of_the_model_s_shape_has_no_order_to_check(start: dict[str, Any]) -> None:
    event = _event(start, {"value": "2020", "precision": "year"})
    assert event_order_problems(("entities", 4), event) == []


def test_validate_reads_such_an_event_without_a_traceback(tmp_path: Path) -> None:
    data = storyfacts.dump(storyfacts.load_bundled())
    i, event = next((i, e) for i, e in enumerate(data["entities"]) if e["type"] == "event")
    event["start"] = {"value": "99999999999999999999", "precision": "decade"}
    path = tmp_path / "dataset.json"
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    streamed = document_problems(path)
    assert streamed == storyfacts.validate(data)
    # The schema's problems with the date, and no order.
    assert [(p.path, p.code) for p in streamed] == [
        (f"$.entities[{i}].start.precision", "not-allowed"),
        (f"$.entities[{i}].start.value", "bad-form"),
    ]
