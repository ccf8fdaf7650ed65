"""The ics exporter: RFC 5545 output of the dated events, checked by parsing it back."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import icalendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import storyfacts
from storyfacts import plugins
from storyfacts.cli import main

DATASET_ID = "putin-xi-olympics-2023"
FIE = f"fie-readmission-russian-belarusian-fencers@{DATASET_ID}.storyfacts"
XI_VISIT = f"xi-state-visit-russia-2023@{DATASET_ID}.storyfacts"
IOC_MEETING = f"ioc-executive-board-meeting-2023-03@{DATASET_ID}.storyfacts"

BODY = (
    "Leaders met in Lausanne this week. "
    "Путин и Си Цзиньпин приветствовали решение МОК о нейтральных спортсменах. "
    "习近平和普京欢迎国际奥委会关于中立运动员的决定。"
)


def _export(dataset: Any, directory: Path, name: str = "out.ics") -> bytes:
    return storyfacts.export(dataset, "ics", directory / name).read_bytes()


def _vevents(data: bytes) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(data)
    return {event.uid: event for event in calendar.events}


def _event(event_id: str, **fields: Any) -> dict[str, Any]:
    return {"id": event_id, "type": "event", "name": event_id.replace("-", " ").title(), **fields}


def _day(value: str, **extra: Any) -> dict[str, Any]:
    return {"value": value, "precision": "day", **extra}


def _dataset(*events: dict[str, Any], **top: Any) -> dict[str, Any]:
    """A small valid dataset: one article, a place in a country, one source, and ``events``."""
    return {
        "schema_version": storyfacts.SCHEMA_VERSION,
        "id": "test-story",
        "title": "A test story",
        "modified": "2023-03-22T12:00:00Z",
        "articles": [
            {
                "id": "story",
                "headline": "Leaders meet",
                "url": "https://example.org/story",
                "publisher": "example-news",
                "published": _day("2023-03-22"),
                "language": "en",
                "body": BODY,
            }
        ],
        "entities": [
            {"id": "example-news", "type": "organization", "name": "Example News"},
            {"id": "switzerland", "type": "country", "name": "Switzerland"},
            {"id": "lausanne", "type": "place", "name": "Lausanne", "country": "switzerland"},
            *events,
        ],
        "statements": [],
        "sources": [
            {"id": "almanac", "title": "The Almanac", "url": "https://example.org/almanac"}
        ],
        **top,
    }


def _evidence(text: str) -> dict[str, Any]:
    start = BODY.index(text)
    return {"article": "story", "start": start, "end": start + len(text), "text": text}


def _unescape(text: str) -> str:
    """A TEXT value as written, unescaped (RFC 5545, 3.3.11)."""
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m[1] in "nN" else m[1], text)


def _content_lines(data: bytes) -> list[bytes]:
    """The unfolded content lines (RFC 5545, 3.1)."""
    return data.replace(b"\r\n ", b"").split(b"\r\n")[:-1]


# Registration and the bundled dataset --------------------------------------


def test_registered_as_a_builtin_format() -> None:
    """The ics exporter is listed with its extension and media type, from its own plugin."""
    exporter = plugins.exporter("ics")
    assert (exporter.extension, exporter.media_type) == (".ics", "text/calendar")
    assert exporter.plugin == "storyfacts.exporters.ics"
    assert "ics" in plugins.builtin_formats()


def test_one_vevent_per_dated_event(seed_data: dict[str, Any], tmp_path: Path) -> None:
    """The VEVENTs are exactly the event entities that have a start."""
    dated = {e["id"] for e in seed_data["entities"] if e["type"] == "event" and "start" in e}
    events = _vevents(_export(None, tmp_path))
    assert len(events) == len(dated) == 9
    assert {uid.partition("@")[0] for uid in events} == dated


def test_events_without_a_start_are_left_out(seed_data: dict[str, Any], tmp_path: Path) -> None:
    """A proposed event with no date yet gets no VEVENT; the dated ones still do."""
    seed_data["entities"].append(_event("planned-games", status="proposed"))
    events = _vevents(_export(seed_data, tmp_path))
    assert f"planned-games@{DATASET_ID}.storyfacts" not in events
    assert f"paris-2024@{DATASET_ID}.storyfacts" in events


def test_calendar_properties(bundled: storyfacts.Dataset, tmp_path: Path) -> None:
    """The calendar carries PRODID, VERSION 2.0, CALSCALE and the title as NAME and X-WR-CALNAME."""
    data = _export(bundled, tmp_path)
    calendar = icalendar.Calendar.from_ical(data)
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["CALSCALE"]) == "GREGORIAN"
    assert str(calendar["PRODID"]).startswith("-//storyfacts//")
    # The title has a comma, which a TEXT value must escape (RFC 5545, 3.3.11).
    assert "," in bundled.title
    escaped = bundled.title.replace(",", "\\,").encode()
    lines = _content_lines(data)
    for name in (b"NAME", b"X-WR-CALNAME"):
        assert lines.count(name + b":" + escaped) == 1
        value = next(line for line in lines if line.startswith(name + b":"))
        assert _unescape(value.split(b":", 1)[1].decode()) == bundled.title


# The bytes -----------------------------------------------------------------


def test_every_line_ends_with_crlf(tmp_path: Path) -> None:
    """Every line, the last included, ends with CRLF, and no bare CR or LF appears."""
    data = _export(None, tmp_path)
    assert data.endswith(b"\r\n")
    assert data.count(b"\n") == data.count(b"\r\n") == data.count(b"\r")


def test_two_exports_are_byte_identical(tmp_path: Path) -> None:
    """Exporting the same dataset twice gives the same bytes: no clock, no random UID."""
    assert _export(None, tmp_path, "a.ics") == _export(None, tmp_path, "b.ics")


def test_entity_order_does_not_change_the_file(seed_data: dict[str, Any], tmp_path: Path) -> None:
    """Events are written by start and then id, so reordering the entities changes nothing."""
    before = _export(seed_data, tmp_path, "a.ics")
    seed_data["entities"].reverse()
    assert _export(seed_data, tmp_path, "b.ics") == before


def test_events_ordered_by_start_then_id(tmp_path: Path) -> None:
    """Two events on the same day come out in id order, whatever their order in the dataset."""
    data = _dataset(
        _event("zebra-meeting", start=_day("2023-03-28")),
        _event("alpha-meeting", start=_day("2023-03-28")),
        _event("earlier-meeting", start=_day("2023-03-01")),
    )
    uids = list(_vevents(_export(data, tmp_path)))
    assert [u.partition("@")[0] for u in uids] == [
        "earlier-meeting",
        "alpha-meeting",
        "zebra-meeting",
    ]


def test_long_cyrillic_and_chinese_text_folds_between_characters(tmp_path: Path) -> None:
    """Lines fold at 75 octets or fewer, each physical line is valid UTF-8 on its own."""
    cyrillic = "Встреча Путина и Си Цзиньпина в Москве, посвящённая нейтральным спортсменам; " * 3
    chinese = "国际奥委会执行委员会会议讨论俄罗斯和白俄罗斯运动员以中立身份参赛的问题。" * 4
    data = _dataset(
        _event(
            "cyrillic-meeting",
            name=cyrillic.strip(),
            description=chinese + cyrillic,
            start=_day("2023-03-28"),
            location="lausanne",
            venue="Олимпийский дом, 奥林匹克之家",
            evidence=[_evidence("习近平和普京欢迎国际奥委会关于中立运动员的决定。")],
        ),
        _event("chinese-meeting", name=chinese, start=_day("2023-03-29")),
        title="Путин и Си: " + chinese,
    )
    raw = _export(data, tmp_path)
    lines = raw.split(b"\r\n")[:-1]
    assert max(len(line) for line in lines) <= 75
    for line in lines:
        line.decode("utf-8")  # raises if a fold split a multi-byte character
    folded = [line for line in lines if line.startswith(b" ")]
    assert any(any(byte >= 0x80 for byte in line[:3]) for line in folded), "no fold in UTF-8 text"
    events = _vevents(raw)
    assert str(events["cyrillic-meeting@test-story.storyfacts"]["SUMMARY"]) == cyrillic.strip()
    assert str(events["chinese-meeting@test-story.storyfacts"]["SUMMARY"]) == chinese
    description = str(events["cyrillic-meeting@test-story.storyfacts"]["DESCRIPTION"])
    assert description.startswith(chinese + cyrillic)
    assert "习近平和普京欢迎国际奥委会关于中立运动员的决定。" in description
    location = str(events["cyrillic-meeting@test-story.storyfacts"]["LOCATION"])
    assert location == "Олимпийский дом, 奥林匹克之家, Lausanne, Switzerland"


# Required properties and their values --------------------------------------


def test_required_properties_appear_once_per_vevent(tmp_path: Path) -> None:
    """UID, DTSTAMP, DTSTART and DTEND each appear exactly once in every VEVENT."""
    current: list[bytes] | None = None
    vevents: list[list[bytes]] = []
    for line in _content_lines(_export(None, tmp_path)):
        if line == b"BEGIN:VEVENT":
            current = []
        elif line == b"END:VEVENT":
            assert current is not None
            vevents.append(current)
            current = None
        elif current is not None:
            current.append(line.split(b":", 1)[0].split(b";", 1)[0])
    assert len(vevents) == 9
    for names in vevents:
        for required in (b"UID", b"DTSTAMP", b"DTSTART", b"DTEND", b"SUMMARY"):
            assert names.count(required) == 1, (required, names)


def test_dtend_is_after_dtstart_and_both_are_dates(tmp_path: Path) -> None:
    """Every event is all-day (DATE values) and ends after it starts."""
    for uid, event in _vevents(_export(None, tmp_path)).items():
        start, end = event.DTSTART, event.DTEND
        assert type(start) is dt.date and type(end) is dt.date, uid
        assert end > start, uid


def test_dtstamp_is_the_dataset_modified_time(bundled: storyfacts.Dataset, tmp_path: Path) -> None:
    """DTSTAMP is the dataset's ``modified`` (2026-11-27T00:00:00Z), in UTC."""
    assert bundled.modified == "2026-11-27T00:00:00Z"
    expected = dt.datetime(2026, 11, 27, tzinfo=dt.UTC)
    for event in _vevents(_export(bundled, tmp_path)).values():
        assert event.DTSTAMP == expected
    assert b"DTSTAMP:20261127T000000Z\r\n" in _export(bundled, tmp_path, "again.ics")


def test_dtstamp_converts_an_offset_to_utc(tmp_path: Path) -> None:
    """A ``modified`` at +03:00 with a fraction of a second becomes UTC, whole seconds."""
    data = _dataset(
        _event("meeting", start=_day("2023-03-28")), modified="2023-03-22T12:30:45.5+03:00"
    )
    raw = _export(data, tmp_path)
    assert b"DTSTAMP:20230322T093045Z\r\n" in raw


def test_dtstamp_of_a_leap_second_is_the_second_before(tmp_path: Path) -> None:
    """A valid ``modified`` on a leap second (23:59:60) still exports, as 23:59:59."""
    data = _dataset(_event("meeting", start=_day("2023-03-28")), modified="2016-12-31T23:59:60Z")
    assert b"DTSTAMP:20161231T235959Z\r\n" in _export(data, tmp_path)


def test_uids_are_unique_and_stable(seed_data: dict[str, Any], tmp_path: Path) -> None:
    """UIDs come from the dataset and event ids, so they survive edits to everything else."""
    first = list(_vevents(_export(seed_data, tmp_path, "a.ics")))
    assert len(set(first)) == len(first)
    assert XI_VISIT in first
    for entity in seed_data["entities"]:
        if entity["type"] == "event":
            entity["name"] += " (edited)"
            entity.pop("description", None)
    seed_data["modified"] = "2027-01-01T00:00:00Z"
    assert sorted(_vevents(_export(seed_data, tmp_path, "b.ics"))) == sorted(first)


def test_xi_state_visit_covers_its_three_days(tmp_path: Path) -> None:
    """The visit of 20 to 22 March 2023 is DTSTART 2023-03-20 and exclusive DTEND 2023-03-23."""
    event = _vevents(_export(None, tmp_path))[XI_VISIT]
    assert event.DTSTART == dt.date(2023, 3, 20)
    assert event.DTEND == dt.date(2023, 3, 23)
    assert str(event["SUMMARY"]) == "Xi Jinping's state visit to Russia"
    assert str(event["LOCATION"]) == "Moscow, Russia"


def test_a_day_without_an_end_lasts_one_day(tmp_path: Path) -> None:
    """An event with only a start day ends (exclusively) the next day."""
    data = _dataset(_event("vote", start=_day("2024-02-29")))
    event = _vevents(_export(data, tmp_path))["vote@test-story.storyfacts"]
    assert (event.DTSTART, event.DTEND) == (dt.date(2024, 2, 29), dt.date(2024, 3, 1))


# Partial dates -------------------------------------------------------------


def test_fie_readmission_is_shown_as_its_start(tmp_path: Path) -> None:
    """ "From April" is a start, not a 1-30 April block: one tentative entry on 1 April."""
    raw = _export(None, tmp_path)
    event = _vevents(raw)[FIE]
    assert (event.DTSTART, event.DTEND) == (dt.date(2023, 4, 1), dt.date(2023, 4, 2))
    assert b"DTSTART;VALUE=DATE:20230401\r\n" in raw
    assert str(event["SUMMARY"]) == (
        "FIE readmission of Russian and Belarusian fencers begins (start known to the month only)"
    )
    description = str(event["DESCRIPTION"])
    assert "When: from 2023-04, with no end given (start known to the month only; " in description
    assert "marks the start on 2023-04-01, the first day it can mean" in description
    assert str(event["X-STORYFACTS-START-PRECISION"]) == "month"
    assert "X-STORYFACTS-END-PRECISION" not in event
    assert event.status == "TENTATIVE"


def test_an_ongoing_event_without_an_end_is_its_start(tmp_path: Path) -> None:
    """The invasion goes on: its one entry says it begins, on the day it began."""
    event = _vevents(_export(None, tmp_path))[
        f"russian-invasion-of-ukraine@{DATASET_ID}.storyfacts"
    ]
    assert str(event["SUMMARY"]) == "Russian invasion of Ukraine begins"
    assert (event.DTSTART, event.DTEND) == (dt.date(2022, 2, 24), dt.date(2022, 2, 25))
    assert "When: from 2022-02-24, with no end given" in str(event["DESCRIPTION"])


@pytest.mark.parametrize(
    ("fields", "open_ended"),
    [
        ({"status": "ongoing"}, True),
        ({"kind": "policy"}, True),
        ({"kind": "conflict", "status": "completed"}, True),
        ({"kind": "meeting", "status": "scheduled"}, False),
        ({"status": "ongoing", "end": {"value": "2023-03-30", "precision": "day"}}, False),
    ],
)
def test_only_what_begins_and_goes_on_is_shown_as_a_start(
    fields: dict[str, Any], open_ended: bool, tmp_path: Path
) -> None:
    """No end and ongoing, a policy or a conflict: a start; anything else keeps its span."""
    data = _dataset(_event("thing", start=_day("2023-03-28"), **fields))
    event = _vevents(_export(data, tmp_path))["thing@test-story.storyfacts"]
    assert str(event["SUMMARY"]).endswith(" begins") is open_ended


@pytest.mark.parametrize(
    ("start", "status"),
    [
        (_day("2023-03-28"), "CONFIRMED"),
        (_day("2023-03-28", inferred=True), "TENTATIVE"),
        ({"value": "2023-03", "precision": "month"}, "TENTATIVE"),
        ({"value": "2023-W13", "precision": "week"}, "TENTATIVE"),
    ],
)
def test_partial_or_inferred_dates_are_tentative(
    start: dict[str, Any], status: str, tmp_path: Path
) -> None:
    """A scheduled event whose day was not published, or was worked out, is TENTATIVE."""
    data = _dataset(_event("meeting", start=start, status="scheduled"))
    event = _vevents(_export(data, tmp_path))["meeting@test-story.storyfacts"]
    assert event.status == status


def test_the_three_promised_events_read_right(tmp_path: Path) -> None:
    """Paris 2024, the Kazan Games of the Future and the April 2023 fencing readmission."""
    events = _vevents(_export(None, tmp_path))
    paris = events[f"paris-2024@{DATASET_ID}.storyfacts"]
    kazan = events[f"games-of-the-future-2024@{DATASET_ID}.storyfacts"]
    fie = events[FIE]
    # DTEND is exclusive: the last days are 11 August and 3 March.
    assert (paris.DTSTART, paris.DTEND) == (dt.date(2024, 7, 26), dt.date(2024, 8, 12))
    assert (kazan.DTSTART, kazan.DTEND) == (dt.date(2024, 2, 21), dt.date(2024, 3, 4))
    assert (paris.status, kazan.status) == ("CONFIRMED", "CONFIRMED")
    assert fie.DTSTART == dt.date(2023, 4, 1) and "begins" in str(fie["SUMMARY"])


def test_day_precision_events_carry_no_precision_mark(tmp_path: Path) -> None:
    """Only partial dates are marked; a day-precision event's SUMMARY is just its name."""
    event = _vevents(_export(None, tmp_path))[IOC_MEETING]
    assert str(event["SUMMARY"]) == "IOC Executive Board meeting, March 2023"
    assert "X-STORYFACTS-START-PRECISION" not in event
    assert "known to the" not in str(event["DESCRIPTION"])


def test_year_precision_spans_the_whole_year(tmp_path: Path) -> None:
    """A start known to the year covers 1 January to 31 December, and says so."""
    data = _dataset(_event("games", start={"value": "2024", "precision": "year"}))
    event = _vevents(_export(data, tmp_path))["games@test-story.storyfacts"]
    assert (event.DTSTART, event.DTEND) == (dt.date(2024, 1, 1), dt.date(2025, 1, 1))
    assert "date known to the year only" in str(event["SUMMARY"])
    assert str(event["X-STORYFACTS-START-PRECISION"]) == "year"


def test_a_month_precision_end_runs_to_the_end_of_its_month(tmp_path: Path) -> None:
    """A day start with a month end covers through the last day of that month."""
    data = _dataset(
        _event("talks", start=_day("2023-01-20"), end={"value": "2023-02", "precision": "month"})
    )
    event = _vevents(_export(data, tmp_path))["talks@test-story.storyfacts"]
    assert (event.DTSTART, event.DTEND) == (dt.date(2023, 1, 20), dt.date(2023, 3, 1))
    assert str(event["SUMMARY"]).endswith("(end known to the month only)")
    assert str(event["X-STORYFACTS-END-PRECISION"]) == "month"
    assert "X-STORYFACTS-START-PRECISION" not in event


# The other properties ------------------------------------------------------


def test_description_cites_evidence_phrase_and_date_source(
    seed_data: dict[str, Any], tmp_path: Path
) -> None:
    """The Xi visit's DESCRIPTION quotes its passages, the story's phrase and the date source."""
    visit = next(e for e in seed_data["entities"] if e["id"] == "xi-state-visit-russia-2023")
    source = next(s for s in seed_data["sources"] if s["id"] == visit["end"]["source"])
    description = str(_vevents(_export(seed_data, tmp_path))[XI_VISIT]["DESCRIPTION"])
    for item in visit["evidence"]:
        assert f'"{item["text"]}" (characters {item["start"]}-{item["end"]})' in description
    assert f'the story says "{visit["end"]["phrase"]}"' in description
    assert source["title"] in description
    assert source["url"] in description
    assert seed_data["articles"][0]["url"] in description


def test_inferred_date_is_flagged(tmp_path: Path) -> None:
    """The FIE start, marked inferred in the dataset, is called inferred in the DESCRIPTION."""
    description = str(_vevents(_export(None, tmp_path))[FIE]["DESCRIPTION"])
    assert 'the story says "from April"; inferred' in description


def test_location_joins_venue_place_and_country(tmp_path: Path) -> None:
    """The IOC meeting: Olympic House (venue), Lausanne (place), Switzerland (its country)."""
    event = _vevents(_export(None, tmp_path))[IOC_MEETING]
    assert str(event["LOCATION"]) == "Olympic House, Lausanne, Switzerland"


def test_url_is_the_article_else_the_date_source(tmp_path: Path) -> None:
    """An event the article mentions links to it; one without evidence links to its date source."""
    data = _dataset(
        _event(
            "mentioned",
            start=_day("2023-03-28", source="almanac"),
            evidence=[_evidence("Leaders met in Lausanne")],
        ),
        _event("unmentioned", start=_day("2023-03-29", source="almanac")),
        _event("unsourced", start=_day("2023-03-30")),
    )
    events = _vevents(_export(data, tmp_path))
    assert str(events["mentioned@test-story.storyfacts"]["URL"]) == "https://example.org/story"
    assert str(events["unmentioned@test-story.storyfacts"]["URL"]) == "https://example.org/almanac"
    assert "URL" not in events["unsourced@test-story.storyfacts"]


def test_categories_are_kind_and_status(tmp_path: Path) -> None:
    """CATEGORIES holds the event kind and status; the state visit is a completed state visit."""
    event = _vevents(_export(None, tmp_path))[XI_VISIT]
    assert event.categories == ["state visit", "completed"]


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("proposed", "TENTATIVE"),
        ("scheduled", "CONFIRMED"),
        ("ongoing", "CONFIRMED"),
        ("completed", "CONFIRMED"),
        ("cancelled", "CANCELLED"),
        ("postponed", None),
    ],
)
def test_status_mapping(status: str, expected: str | None, tmp_path: Path) -> None:
    """Statuses map onto RFC 5545's three; "postponed" has no counterpart and gets none."""
    data = _dataset(_event("meeting", start=_day("2023-03-28"), status=status))
    event = _vevents(_export(data, tmp_path))["meeting@test-story.storyfacts"]
    assert (event.status or None) == expected


# Progress, empty calendars and bad dates -----------------------------------


def test_progress_reaches_the_total(seed_data: dict[str, Any], tmp_path: Path) -> None:
    """Progress rises one by one through the events and ends at the number of records."""
    total = sum(len(seed_data[key]) for key in ("articles", "entities", "statements", "sources"))
    calls: list[tuple[int, int]] = []
    storyfacts.export(
        seed_data, "ics", tmp_path / "out.ics", progress=lambda d, t: calls.append((d, t))
    )
    assert calls[:9] == [(n, total) for n in range(1, 10)]
    assert calls[-1] == (total, total)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)


def test_no_dated_events_gives_an_empty_calendar(tmp_path: Path) -> None:
    """A dataset without dated events still exports a calendar, with no VEVENT."""
    data = _dataset(_event("someday", status="proposed"))
    raw = _export(data, tmp_path)
    calendar = icalendar.Calendar.from_ical(raw)
    assert calendar.walk("VEVENT") == []
    assert str(calendar["VERSION"]) == "2.0"


def test_dates_beyond_icalendar_fail_naming_the_place(tmp_path: Path) -> None:
    """An event ending on the last day iCalendar cannot follow fails with its JSON path."""
    date = {"start": _day("9999-12-01"), "end": _day("9999-12-31")}
    field = "end"
    data = _dataset(_event("fine", start=_day("2023-03-28")), _event("edge", **date))
    target = tmp_path / "out.ics"
    with pytest.raises(storyfacts.ExportError, match=rf"\$\.entities\[4\]\.{field}"):
        storyfacts.export(data, "ics", target)
    assert list(tmp_path.iterdir()) == []


def test_cli_exports_ics(tmp_path: Path) -> None:
    """``storyfacts export -f ics`` writes the calendar of the bundled dataset."""
    target = tmp_path / "story.ics"
    assert main(["export", "-f", "ics", "-o", str(target), "-q"]) == 0
    assert len(_vevents(target.read_bytes())) == 9


def test_same_calendar_with_assertions_stripped(tmp_path: Path) -> None:
    """Under ``python -O``, which drops every ``assert``, the calendar is byte for byte the same:
    no result depends on an assertion running."""
    target = tmp_path / "optimised.ics"
    command = [sys.executable, "-O", "-m", "storyfacts", "export", "-f", "ics", "-o", str(target)]
    subprocess.run([*command, "-q"], check=True, timeout=120)
    assert target.read_bytes() == _export(None, tmp_path, "plain.ics")


def test_line_breaks_read_back_as_lf_and_tab_stays(tmp_path: Path) -> None:
    """CRLF and a lone CR in text are written as \\n and read back as LF; TAB is kept."""
    event = _event(
        "summit",
        description="Line one\r\nLine two\rLine three\tend",
        start=_day("2023-03-20"),
    )
    data = _export(_dataset(event), tmp_path)
    assert data.count(b"\n") == data.count(b"\r\n") == data.count(b"\r")
    assert b"Line one\\nLine two\\nLine three\tend" in data.replace(b"\r\n ", b"")
    (vevent,) = icalendar.Calendar.from_ical(data).events
    assert str(vevent["DESCRIPTION"]).startswith("Line one\nLine two\nLine three\tend\n\n")


@pytest.mark.parametrize(
    ("field", "text", "code"),
    [("name", "Summit\x07 day", "U+0007 (BEL)"), ("description", "a\x00b", "U+0000 (NUL)")],
)
def test_control_characters_in_event_text_are_refused(
    tmp_path: Path, field: str, text: str, code: str
) -> None:
    """NUL or BEL in an event is a problem at its path; no calendar is written (exit 1)."""
    event = _event("summit", start=_day("2023-03-20"), **{field: text})
    source = tmp_path / "story.json"
    source.write_text(json.dumps(_dataset(event)), encoding="utf-8")
    problems = storyfacts.validate(source)
    assert [(p.path, p.code) for p in problems] == [(f"$.entities[3].{field}", "control-character")]
    assert code in problems[0].message
    assert main(["export", str(source), "-f", "ics", "-o", str(tmp_path / "out.ics")]) == 1
    assert not (tmp_path / "out.ics").exists()


_FOLD_ALPHABET = st.sampled_from(["a", " ", "\\", "^", ",", ";", ":", '"', "é", "д", "中", "𝄞"])


@settings(max_examples=400, deadline=None)
@given(st.lists(_FOLD_ALPHABET, max_size=320).map("".join))
def test_lines_fold_where_icalendar_folds_them(line: str) -> None:
    from icalendar.parser.content_line import Contentline

    from storyfacts.exporters.ics_lines import folded

    assert folded(line) == Contentline(line).to_ical()


def test_the_calendar_is_the_one_icalendar_writes(tmp_path: Path) -> None:
    # The exporter streams event by event and folds lines itself; the bytes
    # are those of the whole calendar serialised by icalendar.
    import generate  # benchmarks/generate.py, on the path through pytest's pythonpath

    from storyfacts.exporters.ics import calendar_of

    for dataset in (storyfacts.load_bundled(), storyfacts.load(generate.generate(600, seed=3))):
        written = storyfacts.export(dataset, "ics", tmp_path / f"{dataset.id}.ics", check=False)
        assert written.read_bytes() == calendar_of(dataset).to_ical()
