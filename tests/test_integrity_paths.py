"""The integrity pass's shortcuts skip only what is plainly fine.

storyfacts.integrity asks inline, for each reference, date and evidence
passage, whether it is plainly right, and calls the check that words a
problem only otherwise. Each test here breaks a value just past one of those
shortcuts and expects the problem the full check words, at its path.
"""

from __future__ import annotations

from typing import Any

import pytest

import storyfacts
from storyfacts.integrity import semantic_problems


def _found(data: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [(p.path, p.code or "", p.message) for p in storyfacts.validate(data)]


def _dated(data: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    return next((i, s) for i, s in enumerate(data["statements"]) if "date" in s)


def test_a_dates_source_naming_no_record_is_dangling(seed_data: dict[str, Any]) -> None:
    """A date's source (one field below the date) is checked like any reference."""
    index, statement = _dated(seed_data)
    statement["date"]["source"] = "no-such-source"
    assert _found(seed_data) == [
        (
            f"$.statements[{index}].date.source",
            "dangling-reference",
            "No record has the id 'no-such-source'; refer to an existing source.",
        )
    ]


def test_a_dates_source_naming_a_person_is_the_wrong_kind(seed_data: dict[str, Any]) -> None:
    index, statement = _dated(seed_data)
    statement["date"]["source"] = "putin"
    assert _found(seed_data) == [
        (
            f"$.statements[{index}].date.source",
            "wrong-reference",
            "'putin' is a person, but this field must refer to a source.",
        )
    ]


def test_evidence_longer_than_its_offsets_is_not_at_them(seed_data: dict[str, Any]) -> None:
    """Text that starts at its start but runs past its end is not the passage there."""
    evidence = seed_data["statements"][0]["evidence"][0]
    body = next(a["body"] for a in seed_data["articles"] if a["id"] == evidence["article"])
    evidence["text"] = body[evidence["start"] : evidence["end"] + 1]
    (problem,) = storyfacts.validate(seed_data)
    assert (problem.path, problem.code) == ("$.statements[0].evidence[0].text", "evidence-mismatch")


def test_evidence_with_a_prefix_is_checked_beside_it(seed_data: dict[str, Any]) -> None:
    """Evidence found at its offsets still has its prefix read."""
    evidence = seed_data["statements"][0]["evidence"][0]
    evidence["prefix"] = "words that are not there "
    (problem,) = storyfacts.validate(seed_data)
    assert (problem.path, problem.code) == (
        "$.statements[0].evidence[0].prefix",
        "evidence-context",
    )


@pytest.mark.parametrize("precision", [[], {"day": 1}, ["day"]])
def test_a_precision_that_is_not_text_is_the_schemas_to_report(
    seed_data: dict[str, Any], precision: Any
) -> None:
    """A list or object for a date's precision is reported by the schema; checking the
    date as a date raised TypeError once."""
    index, statement = _dated(seed_data)
    statement["date"]["precision"] = precision
    problems = storyfacts.validate(seed_data)
    assert problems
    assert {p.path for p in problems} == {f"$.statements[{index}].date.precision"}
    assert semantic_problems(seed_data) == []


def test_an_event_whose_start_precision_is_a_list_is_not_ordered(
    seed_data: dict[str, Any],
) -> None:
    index, event = next(
        (i, e) for i, e in enumerate(seed_data["entities"]) if e.get("type") == "event"
    )
    event["start"] = {"value": "2023-03-20", "precision": ["day"]}
    event["end"] = {"value": "2023-03-01", "precision": "day"}
    assert semantic_problems(seed_data) == []
    assert {p.path for p in storyfacts.validate(seed_data)} == {
        f"$.entities[{index}].start.precision"
    }


def test_a_repeated_id_names_the_first_record_with_it(seed_data: dict[str, Any]) -> None:
    first = seed_data["entities"][0]["id"]
    seed_data["statements"][2]["id"] = first
    assert [(p.path, p.code) for p in semantic_problems(seed_data)] == [
        ("$.statements[2].id", "duplicate-id")
    ]
    assert "already used by $.entities[0]" in semantic_problems(seed_data)[0].message


def test_a_record_of_unknown_type_is_checked_as_far_as_its_shared_fields(
    seed_data: dict[str, Any],
) -> None:
    """A statement of a type storyfacts does not know still has its evidence read."""
    statement = seed_data["statements"][0]
    statement["type"] = "rumour"
    statement["evidence"][0]["start"] += 1
    codes = {(p.path, p.code) for p in semantic_problems(seed_data)}
    assert ("$.statements[0].evidence[0].text", "evidence-mismatch") in codes
