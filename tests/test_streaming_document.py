"""A dataset file validated record by record as it is read gives the verdict of reading it whole.

``storyfacts.streaming.document.document_problems`` parses the file a window
at a time; here the window is cut down to a few characters, so that every
value, number, escape and line break of the files falls across a boundary
somewhere, and the problems must still be exactly those that reading the
file whole (``jsonfile.read`` then ``validation.problems``) gives.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import generate  # benchmarks/generate.py, on the path through pytest's pythonpath
import pytest

import storyfacts
from storyfacts import jsonfile, validation
from storyfacts.errors import InputError, InvalidDatasetError, Problem
from storyfacts.streaming import document
from storyfacts.streaming.bodies import SpilledBodies
from storyfacts.streaming.document import document_problems


def _whole(path: Path) -> list[Problem]:
    try:
        data = jsonfile.read(path)
    except InvalidDatasetError as error:
        return error.problems
    return validation.problems(data)


@pytest.fixture(
    params=[(7, 3), (1 << 14, 50)], ids=["7-byte pieces, batches of 3", "16-KiB pieces (as run)"]
)
def piece(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> int:
    size, batch = request.param
    monkeypatch.setattr(document._Document, "CHUNK", size)
    # Records are checked in batches: small ones put records on either side of a boundary.
    monkeypatch.setattr(document._Document, "BATCH", batch)
    return int(size)


def _written(tmp_path: Path, text: str, name: str = "dataset.json") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _seed() -> dict[str, Any]:
    return storyfacts.dump(storyfacts.load_bundled())


def _streamed_as_whole(path: Path) -> list[Problem]:
    streamed = document_problems(path)
    assert streamed is not None, "read whole: the shape was thought unusual"
    assert streamed == _whole(path)
    assert storyfacts.validate(path) == streamed
    return streamed


def _dumped(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False)


Edit = Callable[[dict[str, Any]], None]


def _first_evidence(data: dict[str, Any], i: int) -> dict[str, Any]:
    found: dict[str, Any] = data["statements"][i]["evidence"][0]
    return found


EDITS: dict[str, Edit] = {
    "unknown field": lambda d: d["entities"][3].update(nom=d["entities"][3].pop("name")),
    "dangling reference to a later source": lambda d: d["statements"][0].update(
        sources=["no-such-source"]
    ),
    "wrong kind": lambda d: d["statements"][3].update(speaker=d["articles"][0]["id"]),
    "duplicate id": lambda d: d["sources"].append(dict(d["sources"][0])),
    "an id three times, in three sections": lambda d: [
        d[section][i].update(id=d["articles"][0]["id"])
        for section, i in [("entities", 2), ("statements", 5)]
    ],
    "evidence moved": lambda d: _first_evidence(d, 2).update(
        start=_first_evidence(d, 2)["start"] + 1
    ),
    "evidence by text alone": lambda d: [_first_evidence(d, 4).pop(k) for k in ("start", "end")],
    "whole number as 3.0": lambda d: _first_evidence(d, 5).update(
        start=float(_first_evidence(d, 5)["start"])
    ),
    "not a real date": lambda d: d["entities"][4].update(
        founded={"value": "2023-02-30", "precision": "day"}
    ),
    "header missing a title": lambda d: d.pop("title"),
    "modified in year 0000": lambda d: d.update(modified="0000-01-01T00:00:00Z"),
    "a record that is a number": lambda d: d["statements"].insert(1, 7),
    "too large to store": lambda d: d["statements"][1].update(votes_for=10**30),
    "control character": lambda d: d["entities"][1].update(name="Putin\u0007"),
    "an empty list of sources": lambda d: d.update(sources=[]),
    "no sources at all": lambda d: d.pop("sources"),
    "unknown top-level field": lambda d: d.update(extra={"a": [1, 2.5, None]}),
    "header after the records": lambda d: d.update(modified=d.pop("modified")),
}


def test_each_duplicate_id_names_the_record_that_first_had_it(tmp_path: Path, piece: int) -> None:
    """The index keeps each id's first place apart from its kind (storyfacts.id_index)."""
    data = _seed()
    first = data["articles"][0]["id"]
    data["entities"][2]["id"] = data["statements"][5]["id"] = first
    data["sources"].append(dict(data["sources"][1]))
    found = [
        (p.path, p.message)
        for p in _streamed_as_whole(_written(tmp_path, _dumped(data)))
        if p.code == "duplicate-id"
    ]
    last = len(data["sources"]) - 1
    assert [(path, message.split("; ")[0]) for path, message in found] == [
        ("$.entities[2].id", f"The id '{first}' is already used by $.articles[0]"),
        (
            f"$.sources[{last}].id",
            f"The id '{data['sources'][1]['id']}' is already used by $.sources[1]",
        ),
        ("$.statements[5].id", f"The id '{first}' is already used by $.articles[0]"),
    ]


@pytest.mark.parametrize("name", sorted(EDITS))
def test_an_edited_dataset_gets_the_problems_reading_it_whole_gets(
    tmp_path: Path, piece: int, name: str
) -> None:
    data = _seed()
    EDITS[name](data)
    found = _streamed_as_whole(_written(tmp_path, _dumped(data)))
    valid = name in (
        "evidence by text alone",
        "header after the records",
    )
    assert (found == []) == valid, found


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("duplicate key in a record", ('"speaker": ', '"speaker": "x", "speaker": ')),
        ("NaN in the header", ('"title": ', '"title": NaN, "t": ')),
        ("Infinity in a record", ('"speaker": ', '"x": -Infinity, "speaker": ')),
        ("a whole number of 5,000 digits", ('"speaker": ', '"x": ' + "9" * 5000 + ', "speaker": ')),
        ("lone surrogate", ('"name": "', '"name": "\\ud800')),
        ("a byte order mark", ("{", "\ufeff{")),
        ("escapes and line breaks", ('"name": "', '"name": "\\u00e9\\"\\\\\\n\\ud83d\\ude00 ')),
    ],
)
def test_the_strict_reader_speaks_as_when_reading_whole(
    tmp_path: Path, piece: int, name: str, text: tuple[str, str]
) -> None:
    written = _dumped(_seed())
    old, new = text
    assert old in written
    written = new + written[1:] if old == "{" else written.replace(old, new, 1)
    found = _streamed_as_whole(_written(tmp_path, written))
    assert (found == []) == (name in ("a byte order mark", "escapes and line breaks")), found


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("not JSON", lambda t: t.replace('"speaker": ', '"speaker" ', 1)),
        ("cut short", lambda t: t[: len(t) // 2]),
        ("a key twice at the top", lambda t: t.replace('"title": ', '"title": "a", "title": ', 1)),
        ("lists out of order", lambda t: _reordered(t)),
        (
            "a list of records that is an object",
            lambda t: t.replace('"sources": [', '"sources": {"a": [', 1)[:-3] + "]}\n}",
        ),
        ("not an object", lambda t: "[" + t + "]"),
        ("extra data", lambda t: t + "{}"),
        ("empty object", lambda t: "{}"),
    ],
)
def test_an_unusual_file_is_read_whole_and_gets_its_old_verdict(
    tmp_path: Path, piece: int, name: str, text: Callable[[str], str]
) -> None:
    path = _written(tmp_path, text(_dumped(_seed())))
    assert document_problems(path) is None
    try:
        whole: object = _whole(path)
    except InputError as error:
        whole = str(error)
    try:
        found: object = storyfacts.validate(path)
    except InputError as error:
        found = str(error)
    assert found == whole


def _reordered(text: str) -> str:
    data = json.loads(text)
    return _dumped(
        {
            k: data[k]
            for k in [
                "schema_version",
                "id",
                "title",
                "modified",
                "sources",
                "articles",
                "entities",
                "statements",
            ]
        }
    )


def test_not_utf8_is_refused_as_before(tmp_path: Path) -> None:
    path = tmp_path / "dataset.json"
    path.write_bytes(_dumped(_seed()).encode().replace(b'"name"', b'"n\xffme"', 1))
    assert document_problems(path) is None
    with pytest.raises(InputError) as caught:
        storyfacts.validate(path)
    assert "not valid UTF-8" in str(caught.value)


@pytest.mark.parametrize("seed", range(4))
def test_generated_datasets_damaged_at_random(tmp_path: Path, piece: int, seed: int) -> None:
    """Values of a generated dataset replaced at random by ids, numbers, text or nothing."""
    rng = random.Random(seed)
    data = generate.generate(150, seed)
    ids = [r["id"] for s in ("articles", "entities", "statements", "sources") for r in data[s]]
    for _ in range(10):
        section = rng.choice(["articles", "entities", "statements", "sources"])
        record = rng.choice(data[section])
        key = rng.choice(sorted(record))
        record[key] = rng.choice([rng.choice(ids), 3.0, -1, "", None, [], {"value": "2023-13"}])
    _streamed_as_whole(_written(tmp_path, _dumped(data)))


def test_a_valid_generated_dataset_is_valid(tmp_path: Path, piece: int) -> None:
    assert _streamed_as_whole(_written(tmp_path, _dumped(generate.generate(300, 9)))) == []


def test_nesting_too_deep_is_refused_as_before(tmp_path: Path, piece: int) -> None:
    """A record nested past what the decoder reads is not read here; reading whole refuses it."""
    written = _dumped(_seed()).replace(
        '"speaker": ', '"x": ' + "[" * 100_000 + "]" * 100_000 + ', "speaker": ', 1
    )
    path = _written(tmp_path, written)
    assert document_problems(path) is None
    with pytest.raises(InputError) as streamed:
        storyfacts.validate(path)
    assert "nested too deeply" in str(streamed.value)


def test_a_long_article_spans_many_windows(tmp_path: Path, piece: int) -> None:
    """A body far longer than the window is read whole all the same, and its evidence checked."""
    data = _seed()
    article = data["articles"][0]
    article["body"] = article["body"] + " Filler." * 50_000
    data["statements"][0]["evidence"][0]["text"] = "Not in the body at all"
    found = _streamed_as_whole(_written(tmp_path, _dumped(data)))
    assert "evidence-mismatch" in {p.code for p in found}, found


def test_bodies_read_back_from_the_temporary_file_give_the_same_verdict(
    tmp_path: Path, piece: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With room for one body, evidence of any other article reads its body back from the
    temporary file: Cyrillic, Chinese and a lone surrogate come back as they were written."""
    data = generate.generate(300, 5)
    data["articles"][1]["body"] += " Дождь. 雨。 \ud800"
    evidence = data["statements"][40]["evidence"][0]
    evidence["start"] = 0  # the passage moved: described with text found in its body
    monkeypatch.setattr(SpilledBodies, "CACHED", 1)
    reads: list[str] = []
    original = SpilledBodies._read

    def counted(self: SpilledBodies, article: str) -> str:
        reads.append(article)
        return original(self, article)

    monkeypatch.setattr(SpilledBodies, "_read", counted)
    path = tmp_path / "dataset.json"
    # Every character not ASCII escaped, as the lone surrogate must be; the bodies
    # parsed from it hold Cyrillic and Chinese all the same.
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    found = _streamed_as_whole(path)
    assert "evidence-mismatch" in {p.code for p in found}, found
    assert "bad-text" in {p.code for p in found}, found
    assert reads  # the bodies did come back from the file
