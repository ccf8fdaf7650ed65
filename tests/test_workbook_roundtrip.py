"""Round trips: dataset -> workbook -> dataset gives back the same dataset."""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import itertools
import json
import tempfile
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import storyfacts
from storyfacts.workbook import read, write_workbook
from storyfacts.workbook.safety import text_problem

# Characters from every script the story uses (Latin, Cyrillic, Chinese),
# punctuation a spreadsheet reads specially, and characters outside the BMP.
_CHARACTERS = (
    list("abcXYZ 0123456789.,;:!?'\"()-=+@#%&*/\\<>[]{}|~^_`")
    + list("ÀéüßçñøÅ")
    + list("АБВЖЯабвжяёЁ")
    + list("中文习近平北京奥运会")
    + ["\t", "\u00a0", "\u200b", "𝔘", "😀"]
)
_TOKENS = [
    "=1+1",
    "+1",
    "-2",
    "@SUM(A1)",
    '=HYPERLINK("http://example.org","x")',
    "#N/A",
    "_x0041_",
    "_x005F_x0041_",
    "TRUE",
    "123",
    "2023-04",
    " leading",
    "trailing ",
]
_PRECISIONS = {"year": 4, "month": 7, "day": 10}


def _line_texts(max_runs: int = 6) -> st.SearchStrategy[str]:
    """Non-empty text without line breaks, as list items need."""
    run = st.text(alphabet=st.sampled_from(_CHARACTERS), min_size=1, max_size=12)
    return st.lists(st.one_of(run, st.sampled_from(_TOKENS)), min_size=1, max_size=max_runs).map(
        "".join
    )


def _texts() -> st.SearchStrategy[str]:
    """Non-empty text that may span lines, with Windows and old Mac line ends too."""
    return st.lists(
        st.one_of(_line_texts(), st.sampled_from(["\n", "\r\n", "\r"])), min_size=1, max_size=4
    ).map("".join)


def _any_texts() -> st.SearchStrategy[str]:
    """Any valid non-empty text: every character hypothesis draws that a dataset may hold."""
    # Validation refuses DEL besides the controls a workbook cannot hold.
    return st.text(min_size=1, max_size=40).filter(
        lambda text: text_problem(text) is None and "\x7f" not in text
    )


def _long_texts() -> st.SearchStrategy[str]:
    """Text up to the 32,767 characters a cell holds."""
    return st.builds(
        lambda piece, length: (piece * (32_767 // len(piece) + 1))[:length],
        st.text(alphabet=st.sampled_from(list("aЖ中 \n=")), min_size=1, max_size=8),
        st.integers(1, 32_767),
    )


@st.composite
def _partial_dates(draw: st.DrawFn, sources: list[str]) -> dict[str, Any]:
    precision = draw(st.sampled_from(sorted(_PRECISIONS)))
    day = draw(st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(9999, 12, 31)))
    date: dict[str, Any] = {
        "value": day.isoformat()[: _PRECISIONS[precision]],
        "precision": precision,
    }
    if draw(st.booleans()):
        date["phrase"] = draw(_line_texts(3))
    if draw(st.booleans()):
        date["source"] = draw(st.sampled_from(sources))
    if draw(st.booleans()):
        date["inferred"] = draw(st.booleans())
    return date


@cache
def _seed() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(storyfacts.bundled_path().read_text(encoding="utf-8"))
    return data


@st.composite
def datasets(draw: st.DrawFn) -> dict[str, Any]:
    """The bundled dataset with generated text, dates, numbers and order in every kind of field.

    A small pool of generated values is dealt out over the records in turn,
    so every kind of field gets generated values without thousands of draws.
    """
    data = copy.deepcopy(_seed())
    sources = [s["id"] for s in data["sources"]]
    texts = _cycle(draw(st.lists(_texts(), min_size=1, max_size=6)))
    lines = _cycle(draw(st.lists(_line_texts(), min_size=1, max_size=6)))
    dates = _cycle(draw(st.lists(_partial_dates(sources), min_size=3, max_size=6)))
    long_text = draw(_long_texts())
    data["title"] = next(lines)
    moment = draw(st.datetimes(dt.datetime(1970, 1, 1), dt.datetime(2100, 1, 1)))
    data["modified"] = moment.replace(microsecond=0).isoformat() + draw(
        st.sampled_from(["Z", "+03:00", "-05:30"])
    )
    article = data["articles"][0]
    article["headline"] = next(texts)
    article["published"] = next(dates)
    tail = next(lines)
    start = len(article["body"]) + 2
    article["body"] += "\n\n" + tail
    evidence = {"article": article["id"], "start": start, "end": start + len(tail), "text": tail}
    for entity in data["entities"]:
        entity["name"] = next(lines)
        entity["description"] = next(texts)
        entity["aliases"] = list(dict.fromkeys([next(lines), next(lines)]))
        if entity["type"] == "person":
            entity["roles"] = [next(lines)]
        if entity["type"] == "event":
            entity["start"] = next(dates)
            entity.pop("end", None)
    data["entities"][-1]["description"] = long_text
    data["entities"][0]["description"] = draw(_any_texts())
    data["sources"][0]["note"] = draw(_any_texts())
    for number, statement in enumerate(data["statements"]):
        statement["summary"] = next(texts)
        if number % 2:
            statement["date"] = next(dates)
        if statement["type"] == "decision":
            statement["effective"] = next(dates)
            statement["votes_for"] = draw(st.integers(0, 10**15 - 1))
        if statement["type"] == "relation":
            statement["role"] = next(texts)
    data["statements"].append(
        {
            "id": "quote-generated",
            "type": "quote",
            "summary": next(texts),
            "evidence": [evidence],
            "text": tail,
            "speaker": "putin",
        }
    )
    data["entities"][0]["evidence"].append(evidence)
    for source in data["sources"][1:]:
        source["note"] = next(texts)
        source["published"] = next(dates)
    data["entities"] = draw(st.permutations(data["entities"]))
    data["statements"] = draw(st.permutations(data["statements"]))
    return data


def _cycle(values: list[Any]) -> Iterator[Any]:
    """The values over and over, each time a fresh copy."""
    for value in itertools.cycle(values):
        yield copy.deepcopy(value)


def _round_trip(dataset: storyfacts.Dataset, directory: Path) -> storyfacts.Dataset:
    path = directory / "story.xlsx"
    storyfacts.export(dataset, "xlsx", path)
    return storyfacts.load(path)


def test_bundled_dataset_round_trips(tmp_path: Path, bundled: storyfacts.Dataset) -> None:
    """The bundled dataset comes back from its workbook exactly as it was."""
    back = _round_trip(bundled, tmp_path)
    assert storyfacts.dumps(back) == storyfacts.dumps(bundled)
    assert back == bundled


def test_unedited_workbook_reads_as_unedited(tmp_path: Path, bundled: storyfacts.Dataset) -> None:
    """Reading a workbook as exported finds no problems, no notes, and no edit."""
    path = storyfacts.export(bundled, "xlsx", tmp_path / "story.xlsx")
    reading = read(path)
    expected = "sha256:" + hashlib.sha256(storyfacts.dumps(bundled).encode()).hexdigest()
    assert (reading.problems, reading.notes) == ([], [])
    assert reading.fingerprint == expected
    assert reading.edited is False
    assert reading.schema_version == storyfacts.SCHEMA_VERSION


@settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(datasets())
def test_generated_datasets_round_trip(data: dict[str, Any]) -> None:
    """Generated datasets (Unicode, formula-like text, long text, every precision) round trip."""
    assert storyfacts.validate(data) == []
    dataset = storyfacts.load(data)
    with tempfile.TemporaryDirectory() as directory:
        back = _round_trip(dataset, Path(directory))
        reading = read(Path(directory) / "story.xlsx")
    assert storyfacts.dumps(back) == storyfacts.dumps(dataset)
    assert reading.fingerprint == (
        "sha256:" + hashlib.sha256(storyfacts.dumps(dataset).encode()).hexdigest()
    )
    assert reading.edited is False


@pytest.mark.parametrize("value", ["1066", "1899-12", "1900-02-28", "1900-03-01", "2023-04-30"])
def test_every_precision_and_early_dates_round_trip(
    tmp_path: Path, seed_data: dict[str, Any], value: str
) -> None:
    """Years, months and days, before and after Excel's calendar starts, come back unchanged."""
    precision = {4: "year", 7: "month", 10: "day"}[len(value)]
    seed_data["articles"][0]["published"] = {"value": value, "precision": precision}
    dataset = storyfacts.load(seed_data)
    back = _round_trip(dataset, tmp_path)
    assert back.articles[0].published == dataset.articles[0].published


def test_longest_cell_text_round_trips(tmp_path: Path, seed_data: dict[str, Any]) -> None:
    """A text of exactly 32,767 characters, the most a cell holds, comes back whole."""
    # Escaping _x0041_ makes the stored text longer than the cell limit; it must not be cut.
    text = ("Путин 习近平 _x0041_ = " * 2000)[:32_767]
    seed_data["entities"][0]["description"] = text
    dataset = storyfacts.load(seed_data)
    write_workbook(dataset, tmp_path / "long.xlsx")
    assert storyfacts.load(tmp_path / "long.xlsx").entities[0].description == text


def test_statement_order_survives_interleaved_kinds(
    tmp_path: Path, seed_data: dict[str, Any]
) -> None:
    """Statements of different kinds keep their interleaved order across their separate sheets."""
    seed_data["statements"].reverse()
    seed_data["entities"].reverse()
    dataset = storyfacts.load(seed_data)
    back = _round_trip(dataset, tmp_path)
    assert [s.id for s in back.statements] == [s["id"] for s in seed_data["statements"]]
    assert [e.id for e in back.entities] == [e["id"] for e in seed_data["entities"]]


def test_empty_dataset_round_trips(tmp_path: Path) -> None:
    """A dataset with no records gives a workbook of empty sheets that reads back as itself."""
    dataset = storyfacts.Dataset(
        schema_version=storyfacts.SCHEMA_VERSION,
        id="nothing-yet",
        title="Nothing yet",
        modified="2024-01-01T00:00:00Z",
    )
    back = _round_trip(dataset, tmp_path)
    assert back == dataset


def test_windows_line_ends_in_an_article_come_back_unchanged(
    tmp_path: Path, seed_data: dict[str, Any]
) -> None:
    """An article body with CRLF line ends reads back byte for byte, so its evidence still fits."""
    article = seed_data["articles"][0]
    lf_body = article["body"]
    article["body"] = lf_body.replace("\n", "\r\n")
    for record in (*seed_data["entities"], *seed_data["statements"]):
        for item in record.get("evidence", ()):
            # Each line end before an offset gained a character.
            item["start"] += lf_body[: item["start"]].count("\n")
            item["end"] += lf_body[: item["end"]].count("\n")
            item["text"] = article["body"][item["start"] : item["end"]]
    assert "\r\n" in article["body"]
    assert storyfacts.validate(seed_data) == []
    path = storyfacts.export(storyfacts.load(seed_data), "xlsx", tmp_path / "crlf.xlsx")
    reading = read(path)
    assert reading.problems == []
    assert reading.data["articles"][0]["body"] == article["body"]
    assert reading.edited is False


@pytest.mark.parametrize("text", ["\r=1+1", "\r", "a\rb", "\r\n\r", "_x000D_\r", "_x005F_x000D_"])
def test_carriage_returns_come_back_as_carriage_returns(
    tmp_path: Path, seed_data: dict[str, Any], text: str
) -> None:
    """A CR, which XML parsing would make a line feed, is stored escaped and read back as a CR."""
    seed_data["title"] = text
    seed_data["entities"][0]["description"] = text
    dataset = storyfacts.load(seed_data)
    back = _round_trip(dataset, tmp_path)
    assert (back.title, back.entities[0].description) == (text, text)
