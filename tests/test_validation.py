"""Validation: every problem found, each at its JSON path, in words a person can act on."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import storyfacts
from storyfacts.errors import Problem

RunCli = Callable[..., tuple[int, str, str]]  # the run_cli fixture, from conftest.py


def _paths(problems: list[Problem]) -> list[str]:
    return [p.path for p in problems]


def _first(data: dict[str, Any], section: str, type_: str) -> dict[str, Any]:
    record: dict[str, Any] = next(r for r in data[section] if r.get("type") == type_)
    return record


def test_bundled_dataset_is_valid() -> None:
    """The bundled dataset has no problems."""
    assert storyfacts.validate() == []


def test_dangling_reference_is_reported_at_its_path(seed_data: dict[str, Any]) -> None:
    """A speaker id that no record has is reported at the speaker, with a suggestion."""
    index = next(i for i, s in enumerate(seed_data["statements"]) if s["type"] == "quote")
    seed_data["statements"][index]["speaker"] = "putn"
    problems = storyfacts.validate(seed_data)
    assert _paths(problems) == [f"$.statements[{index}].speaker"]
    assert "'putn'" in problems[0].message
    assert "did you mean 'putin'?" in problems[0].message
    assert problems[0].code == "dangling-reference"


def test_reference_to_wrong_kind_is_reported(seed_data: dict[str, Any]) -> None:
    """A place where a speaker belongs is refused, saying what kinds are allowed."""
    quote = _first(seed_data, "statements", "quote")
    quote["speaker"] = "moscow"
    problems = storyfacts.validate(seed_data)
    assert [p.code for p in problems] == ["wrong-reference"]
    assert "'moscow' is a place" in problems[0].message


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("start", "7", "Expected a whole number here, found the text '7'."),
        ("start", True, "Expected a whole number here, found true."),
        ("text", 7, "Expected text here, found the number 7."),
        ("start", -1, "too small"),
    ],
)
def test_wrong_types_are_errors_not_conversions(
    seed_data: dict[str, Any], field: str, value: Any, expected: str
) -> None:
    """Strings are not numbers, booleans are not numbers, numbers are not text."""
    seed_data["statements"][0]["evidence"][0][field] = value
    problems = storyfacts.validate(seed_data)
    path = f"$.statements[0].evidence[0].{field}"
    assert path in _paths(problems)
    assert expected in next(p.message for p in problems if p.path == path)


def test_true_where_text_belongs_is_an_error(seed_data: dict[str, Any]) -> None:
    """True is not coerced to the string 'True'."""
    seed_data["entities"][0]["name"] = True
    assert _paths(storyfacts.validate(seed_data)) == ["$.entities[0].name"]


def test_unknown_enumeration_value_lists_the_choices(seed_data: dict[str, Any]) -> None:
    """An unknown stance names the allowed ones and the closest match."""
    index = next(i for i, s in enumerate(seed_data["statements"]) if s["type"] == "claim")
    seed_data["statements"][index]["stance"] = "support"
    (problem,) = storyfacts.validate(seed_data)
    assert problem.path == f"$.statements[{index}].stance"
    assert "did you mean 'supports'?" in problem.message
    assert "opposes" in problem.message


def test_unknown_field_is_reported_at_the_field(seed_data: dict[str, Any]) -> None:
    """A misspelt field is named, with the field it was probably meant to be."""
    seed_data["entities"][0]["aliasses"] = ["Putin"]
    (problem,) = storyfacts.validate(seed_data)
    assert problem.path == "$.entities[0].aliasses"
    assert "did you mean 'aliases'?" in problem.message


def test_missing_required_field_is_reported_at_the_field(seed_data: dict[str, Any]) -> None:
    """A quote without a speaker is reported at $.statements[N].speaker."""
    index = next(i for i, s in enumerate(seed_data["statements"]) if s["type"] == "quote")
    del seed_data["statements"][index]["speaker"]
    (problem,) = storyfacts.validate(seed_data)
    assert problem.path == f"$.statements[{index}].speaker"
    assert problem.message == "The required field 'speaker' is missing."


def test_claim_needs_an_object_or_object_text(seed_data: dict[str, Any]) -> None:
    """A claim with neither object nor object_text is told to give one."""
    index = next(i for i, s in enumerate(seed_data["statements"]) if s["type"] == "claim")
    claim = seed_data["statements"][index]
    claim.pop("object", None)
    claim.pop("object_text", None)
    (problem,) = storyfacts.validate(seed_data)
    assert problem.path == f"$.statements[{index}]"
    assert "object, object_text" in problem.message


def test_evidence_that_moved_names_where_the_text_is(seed_data: dict[str, Any]) -> None:
    """Evidence off by a few characters says where the text really is."""
    evidence = seed_data["statements"][3]["evidence"][0]
    start, end = evidence["start"], evidence["end"]
    evidence["start"], evidence["end"] = start + 2, end + 2
    (problem,) = storyfacts.validate(seed_data)
    assert problem.path == "$.statements[3].evidence[0].text"
    assert f"the text is at {start}–{end}" in problem.message


def test_evidence_not_in_the_article_is_reported(seed_data: dict[str, Any]) -> None:
    """Evidence text that the article does not contain is an error."""
    seed_data["entities"][0]["evidence"][0]["text"] = "Vladimir Pootin"
    seed_data["entities"][0]["evidence"][0]["end"] = seed_data["entities"][0]["evidence"][0][
        "start"
    ] + len("Vladimir Pootin")
    problems = storyfacts.validate(seed_data)
    assert _paths(problems) == ["$.entities[0].evidence[0].text"]
    assert "nowhere in the article" in problems[0].message


def test_quote_must_appear_in_its_evidence(seed_data: dict[str, Any]) -> None:
    """A quote edited away from the article's words is caught."""
    index = next(i for i, s in enumerate(seed_data["statements"]) if s["type"] == "quote")
    seed_data["statements"][index]["text"] += " (sic)"
    (problem,) = storyfacts.validate(seed_data)
    assert problem.path == f"$.statements[{index}].text"
    assert problem.code == "quote-mismatch"


def test_duplicate_ids_are_reported_at_the_second(seed_data: dict[str, Any]) -> None:
    """Ids are unique across every list, and the repeat points at the first use."""
    seed_data["sources"][0]["id"] = seed_data["entities"][0]["id"]
    problems = [p for p in storyfacts.validate(seed_data) if p.code == "duplicate-id"]
    assert _paths(problems) == ["$.sources[0].id"]
    assert "$.entities[0]" in problems[0].message


def test_event_ending_before_it_starts(seed_data: dict[str, Any]) -> None:
    """An event whose end precedes its start is reported at its end."""
    index = next(
        i
        for i, e in enumerate(seed_data["entities"])
        if e["type"] == "event" and "start" in e and "end" in e
    )
    seed_data["entities"][index]["end"] = {"value": "2001", "precision": "year"}
    (problem,) = storyfacts.validate(seed_data)
    assert problem.path == f"$.entities[{index}].end"
    assert problem.code == "end-before-start"


def test_month_precision_end_in_the_start_month_is_fine(seed_data: dict[str, Any]) -> None:
    """An end known only to the month may fall in the start's month."""
    event = {
        "id": "test-event",
        "type": "event",
        "name": "Test",
        "start": {"value": "2023-04-20", "precision": "day"},
        "end": {"value": "2023-04", "precision": "month"},
    }
    seed_data["entities"].append(event)
    assert storyfacts.validate(seed_data) == []


@pytest.mark.parametrize(
    ("value", "precision", "code"),
    [
        ("2023-02-29", "day", "bad-date"),
        ("2023-13", "month", "bad-date"),
        ("2023-04", "day", "precision-mismatch"),
        ("2023", "month", "precision-mismatch"),
    ],
)
def test_partial_dates_must_be_real(
    seed_data: dict[str, Any], value: str, precision: str, code: str
) -> None:
    """Partial dates are real dates, shaped as their precision says."""
    seed_data["articles"][0]["published"] = {"value": value, "precision": precision}
    (problem,) = storyfacts.validate(seed_data)
    assert problem.path == "$.articles[0].published.value"
    assert problem.code == code


def test_leap_day_is_a_real_date(seed_data: dict[str, Any]) -> None:
    """29 February exists in a leap year."""
    seed_data["articles"][0]["published"] = {"value": "2024-02-29", "precision": "day"}
    assert storyfacts.validate(seed_data) == []


def test_formats_are_checked(seed_data: dict[str, Any]) -> None:
    """modified must be a real date-time and URLs real URLs."""
    seed_data["modified"] = "2023-02-30T10:00:00Z"
    seed_data["articles"][0]["url"] = "not a url"
    paths = _paths(storyfacts.validate(seed_data))
    assert "$.modified" in paths
    assert "$.articles[0].url" in paths


def test_unsupported_schema_version(seed_data: dict[str, Any]) -> None:
    """A dataset from another schema version says which version is read."""
    seed_data["schema_version"] = "2.0"
    (problem,) = storyfacts.validate(seed_data)
    assert problem.path == "$.schema_version"
    assert "reads version 1.0" in problem.message


def test_every_problem_is_reported_sorted_by_path(seed_data: dict[str, Any]) -> None:
    """Many problems at once are all listed, in reading order ([2] before [10])."""
    statements = seed_data["statements"]
    statements[10]["summary"] = ""
    statements[2]["summary"] = 5
    statements[25]["summary"] = ""
    seed_data["entities"][3]["name"] = ""
    problems = storyfacts.validate(seed_data)
    assert _paths(problems) == [
        "$.entities[3].name",
        "$.statements[2].summary",
        "$.statements[10].summary",
        "$.statements[25].summary",
    ]


def test_no_cascade_from_an_unknown_type(seed_data: dict[str, Any]) -> None:
    """A misspelt entity type is one problem, not one per reference to the entity."""
    seed_data["entities"][0]["type"] = "persn"
    problems = storyfacts.validate(seed_data)
    assert _paths(problems) == ["$.entities[0].type"]


def test_not_an_object_at_all() -> None:
    """A list where the dataset belongs is one clear problem at $."""
    problems = storyfacts.validate([1, 2, 3])  # type: ignore[arg-type]
    assert _paths(problems) == ["$"]
    assert "Expected an object here" in problems[0].message


def test_deep_nesting_is_reported_not_crashed(seed_data: dict[str, Any]) -> None:
    """Hundreds of nested lists where a string belongs give one problem."""
    deep: Any = "x"
    for _ in range(600):
        deep = [deep]
    seed_data["entities"][0]["aliases"] = deep
    problems = storyfacts.validate(seed_data)
    assert _paths(problems) == ["$.entities[0].aliases[0]"]


def test_problems_print_as_one_line() -> None:
    """A problem prints as its place and its sentence: a cell when it has one, else its path."""
    plain = Problem("$.statements[4].speaker", "No record has the id 'x'.")
    cell = Problem("$.statements[4].speaker", "No record has the id 'x'.", location="Quotes!D6")
    assert str(plain) == "$.statements[4].speaker: No record has the id 'x'."
    assert str(cell) == "Quotes!D6: No record has the id 'x'."
    assert cell.to_dict()["path"] == "$.statements[4].speaker"  # kept for --json


def test_year_zero_is_not_a_date(seed_data: dict[str, Any]) -> None:
    """The proleptic calendar has no year 0, so 0000 is refused with its path."""
    seed_data["articles"][0]["published"] = {"value": "0000", "precision": "year"}
    (problem,) = storyfacts.validate(seed_data)
    assert (problem.path, problem.code) == ("$.articles[0].published.value", "bad-date")


def test_leap_second_in_modified_is_readable(seed_data: dict[str, Any]) -> None:
    """A leap second, valid RFC 3339, loads and gives a usable timestamp."""
    seed_data["modified"] = "2016-12-31T23:59:60Z"
    dataset = storyfacts.load(seed_data)
    assert dataset.modified_datetime().isoformat() == "2016-12-31T23:59:59+00:00"


def test_list_items_are_single_lines(seed_data: dict[str, Any]) -> None:
    """An alias with a line break is refused: spreadsheet cells hold one item per line."""
    seed_data["entities"][0]["aliases"] = ["Putin\nV. V."]
    (problem,) = storyfacts.validate(seed_data)
    assert problem.path == "$.entities[0].aliases[0]"
    assert "without line breaks" in problem.message


def test_fast_verdict_has_the_last_word(
    seed_data: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """If the detailed validator saw nothing wrong where the fast one did, its finding is shown."""
    from storyfacts import schema, validation

    class Blind:
        def iter_errors(self, data: Any) -> list[Any]:
            return []

    monkeypatch.setattr(schema, "validator", lambda: Blind())
    seed_data["modified"] = "not a date"
    problems = validation.schema_problems(seed_data)
    assert [p.path for p in problems] == ["$.modified"]
    assert "date-time" in problems[0].message


@pytest.mark.parametrize(
    ("modified", "valid"),
    [
        ("2016-12-31T23:59:60Z", True),
        ("2016-12-31t23:59:60z", True),
        ("2017-01-01T00:59:60+01:00", True),
        ("2016-12-31T23:58:60Z", False),
        ("2016-12-31T23:59:61Z", False),
    ],
)
def test_leap_seconds_as_rfc_3339_allows_them(
    seed_data: dict[str, Any], modified: str, valid: bool
) -> None:
    """Second 60 is a leap second only at 23:59 UTC; lower-case t and z are allowed."""
    seed_data["modified"] = modified
    assert (storyfacts.validate(seed_data) == []) is valid


def test_url_with_a_line_break_is_not_a_url(seed_data: dict[str, Any]) -> None:
    """A URL ending in a line break is refused, as jsonschema-rs refuses it."""
    seed_data["articles"][0]["url"] += "\n"
    assert [p.path for p in storyfacts.validate(seed_data)] == ["$.articles[0].url"]


def test_lone_surrogates_are_named_by_path(seed_data: dict[str, Any]) -> None:
    """A lone surrogate, which a JSON escape can smuggle in, is refused at its path."""
    seed_data["entities"][1]["description"] = "bad \ud800 text"
    problems = storyfacts.validate(seed_data)
    assert [(p.path, p.code) for p in problems] == [("$.entities[1].description", "bad-text")]


def test_lower_case_t_and_z_give_a_usable_timestamp(seed_data: dict[str, Any]) -> None:
    """RFC 3339 allows 't' and 'z'; the dataset's timestamp still reads."""
    seed_data["modified"] = "2023-03-22t10:00:00z"
    dataset = storyfacts.load(seed_data)
    assert dataset.modified_datetime().isoformat() == "2023-03-22T10:00:00+00:00"


def _decision(data: dict[str, Any]) -> dict[str, Any]:
    return _first(data, "statements", "decision")


@pytest.mark.parametrize(
    ("value", "code", "message"),
    [
        (
            3.0,
            "not-whole",
            "Write this whole number without a decimal point or exponent (3, not 3.0).",
        ),
        (
            1e20,
            "too-large",
            "The number 1e+20 is too large; the most allowed is 999,999,999,999,999.",
        ),
        (
            10**15,
            "too-large",
            "The number 1000000000000000 is too large; the most allowed is 999,999,999,999,999.",
        ),
        (
            2**70,
            "too-large",
            "The number 1180591620717411303424 is too large to store; "
            "whole numbers go up to 999,999,999,999,999.",
        ),
    ],
)
def test_whole_numbers_have_one_verdict(
    seed_data: dict[str, Any], value: Any, code: str, message: str
) -> None:
    """A vote count that export could not take is refused by validation, at its path."""
    decision = _decision(seed_data)
    index = seed_data["statements"].index(decision)
    decision["votes_for"] = value
    problems = storyfacts.validate(seed_data)
    assert [(p.path, p.code, p.message) for p in problems] == [
        (f"$.statements[{index}].votes_for", code, message)
    ]
    with pytest.raises(storyfacts.InvalidDatasetError):
        storyfacts.load(seed_data)


def test_a_float_offset_is_refused_like_a_float_vote(seed_data: dict[str, Any]) -> None:
    """An evidence offset written 462.0 is refused, not skipped by the evidence check."""
    evidence = seed_data["statements"][0]["evidence"][0]
    evidence["start"] = float(evidence["start"])
    (problem,) = storyfacts.validate(seed_data)
    assert (problem.path, problem.code) == ("$.statements[0].evidence[0].start", "not-whole")


def test_the_largest_whole_number_validates_and_exports_everywhere(
    seed_data: dict[str, Any], tmp_path: Path
) -> None:
    """999,999,999,999,999 votes pass validation, and every built-in format writes them."""
    _decision(seed_data)["votes_for"] = 10**15 - 1
    assert storyfacts.validate(seed_data) == []
    for name in ("csv", "ics", "json", "jsonld", "xlsx"):
        storyfacts.export(seed_data, name, tmp_path / f"out.{name}")
    assert (
        storyfacts.load(tmp_path / "out.xlsx").statements == storyfacts.load(seed_data).statements
    )


def test_whole_number_fields_are_the_schemas_integers() -> None:
    """The fields checked for whole numbers are exactly those the schema types integer."""
    from storyfacts import integrity
    from storyfacts import schema as _schema

    integers = {
        (name, key)
        for name, node in _schema.schema()["$defs"].items()
        for key, prop in node.get("properties", {}).items()
        if prop.get("type") == "integer"
    }
    assert integers == {("Evidence", f) for f in integrity._OFFSETS} | {
        ("Decision", f) for f in integrity._VOTES
    }
    for name, key in integers:
        assert _schema.definition(name)["properties"][key]["maximum"] == 10**15 - 1


@pytest.mark.parametrize(
    ("place", "text", "message"),
    [
        (("title",), "Olympics\x7f", "U+007F (DEL) at position 8"),
        (("articles", 0, "headline"), "\x1b[31mRed", "U+001B (ESC) at position 0"),
        (("entities", 0, "aliases", 0), "x\x08", "U+0008 (BS) at position 1"),
        (("statements", 0, "summary"), "form\x0cfeed", "U+000C at position 4"),
        (("entities", 1, "description"), "odd \ufffe", "non-character U+FFFE at position 4"),
        (("articles", 0, "publisher"), "\uffffTASS", "non-character U+FFFF at position 0"),
    ],
)
def test_control_characters_are_refused_where_they_are(
    seed_data: dict[str, Any], place: tuple[str | int, ...], text: str, message: str
) -> None:
    """C0 controls but TAB, LF and CR, DEL, U+FFFE and U+FFFF are refused at their path."""
    target: Any = seed_data
    for part in place[:-1]:
        target = target[part]
    target[place[-1]] = text
    problems = [p for p in storyfacts.validate(seed_data) if p.code == "control-character"]
    assert len(problems) == 1
    assert problems[0].path == "$" + "".join(
        f"[{p}]" if isinstance(p, int) else f".{p}" for p in place
    )
    assert message in problems[0].message


def test_tabs_line_breaks_and_escape_look_alikes_are_fine(seed_data: dict[str, Any]) -> None:
    """TAB, LF, CR and a literal backslash before u, b or f are ordinary text."""
    seed_data["entities"][0]["description"] = "a\tb\nc\r\nd \\u0000 \\b \\f"
    assert storyfacts.validate(seed_data) == []


@pytest.mark.parametrize(
    ("modified", "words"),
    [
        ("0000-01-01T00:00:00Z", "the year 0000 cannot be represented"),
        ("0000-02-29t12:00:00z", "the year 0000 cannot be represented"),
        ("0001-01-01T00:00:00+01:00", "before the year 0001"),
        ("9999-12-31T23:59:59-05:00", "after the year 9999"),
    ],
)
def test_a_modified_time_no_export_can_write_is_refused_once(
    tmp_path: Path, seed_data: dict[str, Any], run_cli: RunCli, modified: str, words: str
) -> None:
    """RFC 3339 allows these, no Python datetime holds them in UTC: one verdict, at $.modified."""
    seed_data["modified"] = modified
    (problem,) = storyfacts.validate(seed_data)
    assert (problem.path, problem.code) == ("$.modified", "bad-date")
    assert words in problem.message
    path = tmp_path / "m.json"
    path.write_text(json.dumps(seed_data), encoding="utf-8")
    for fmt in ("ics", "xlsx", "json", "csv", "jsonld"):
        code, _, err = run_cli("export", "-f", fmt, "-o", str(tmp_path / f"out.{fmt}"), str(path))
        assert code == 1, fmt
        assert "$.modified" in err and words in err, fmt
        assert not (tmp_path / f"out.{fmt}").exists()


@pytest.mark.parametrize(
    "modified",
    [
        "0001-01-01T00:00:00Z",
        "0001-01-01T00:30:00+00:30",
        "9999-12-31T23:59:60Z",
        "9999-12-31T18:59:59-05:00",
    ],
)
def test_the_ends_of_the_calendar_in_utc_are_valid_and_export(
    tmp_path: Path, seed_data: dict[str, Any], modified: str
) -> None:
    """The first and last moments Python holds in UTC validate, and export to a calendar."""
    seed_data["modified"] = modified
    dataset = storyfacts.load(seed_data)
    assert dataset.modified_datetime().astimezone(dt.UTC).year in (1, 9999)
    storyfacts.export(dataset, "ics", tmp_path / "out.ics")
    assert "DTSTAMP:" in (tmp_path / "out.ics").read_text(encoding="utf-8")


@pytest.mark.parametrize("char", ["\ufffe", "\uffff"])
def test_a_non_character_gets_one_verdict_from_validate_and_export(
    tmp_path: Path, seed_data: dict[str, Any], run_cli: RunCli, char: str
) -> None:
    """U+FFFE and U+FFFF, which no workbook holds, are refused by validate and by every export."""
    seed_data["entities"][1]["description"] = f"x{char}"
    path = tmp_path / "odd.json"
    path.write_text(json.dumps(seed_data, ensure_ascii=False), encoding="utf-8")
    code, out, _ = run_cli("validate", str(path))
    assert code == 1
    assert f"$.entities[1].description: This text holds the non-character U+{ord(char):04X}" in out
    for fmt in ("xlsx", "ics", "json"):
        code, _, err = run_cli("export", "-f", fmt, "-o", str(tmp_path / f"o.{fmt}"), str(path))
        assert (code, "$.entities[1].description" in err) == (1, True), fmt
        assert not (tmp_path / f"o.{fmt}").exists()
