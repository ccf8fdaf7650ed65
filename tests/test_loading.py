"""Loading files and data: strict JSON, clear errors, a lossless round trip."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import cattrs
import pytest

import storyfacts
from storyfacts.convert import converter
from storyfacts.errors import InputError, InvalidDatasetError

RunCli = Callable[..., tuple[int, str, str]]  # the run_cli fixture, from conftest.py


def test_load_then_dump_gives_the_same_json(seed_data: dict[str, Any]) -> None:
    """The bundled file, loaded and dumped, is the same JSON text byte for byte."""
    text = storyfacts.bundled_path().read_text(encoding="utf-8")
    assert storyfacts.dumps(storyfacts.load_bundled()) == text
    assert storyfacts.dump(storyfacts.load(seed_data)) == seed_data


def test_explicit_empty_list_survives_the_round_trip(seed_data: dict[str, Any]) -> None:
    """An empty list given explicitly is kept, not dropped as a default."""
    seed_data["entities"][0]["aliases"] = []
    assert storyfacts.dump(storyfacts.load(seed_data))["entities"][0]["aliases"] == []


def test_load_gives_typed_records(bundled: storyfacts.Dataset) -> None:
    """Entities and statements come back as the classes of their type."""
    putin = bundled.index()["putin"]
    assert isinstance(putin, storyfacts.Person)
    assert putin.type == "person"
    assert putin.wikidata == "Q7747"
    kinds = {type(s).__name__ for s in bundled.statements}
    assert kinds == {"Quote", "Claim", "Decision", "Relation"}


def test_load_refuses_invalid_data_with_every_problem(seed_data: dict[str, Any]) -> None:
    """InvalidDatasetError carries every problem as objects with paths."""
    seed_data["entities"][0]["name"] = ""
    seed_data["entities"][1]["name"] = ""
    with pytest.raises(InvalidDatasetError) as caught:
        storyfacts.load(seed_data)
    assert [p.path for p in caught.value.problems] == ["$.entities[0].name", "$.entities[1].name"]
    assert "2 problems" in str(caught.value)


def test_converter_does_not_coerce() -> None:
    """The cattrs converter itself refuses '7' for an int and True for a str."""
    with pytest.raises(cattrs.BaseValidationError):
        converter.structure(
            {"article": "a", "start": "7", "end": 9, "text": "x"}, storyfacts.Evidence
        )
    with pytest.raises(cattrs.BaseValidationError):
        converter.structure(
            {"article": True, "start": 7, "end": 9, "text": "x"}, storyfacts.Evidence
        )
    with pytest.raises(cattrs.BaseValidationError):
        converter.structure(
            {"article": "a", "start": True, "end": 9, "text": "x"}, storyfacts.Evidence
        )


def test_partial_date_bounds() -> None:
    """A partial date knows the first and last day it can mean."""
    april = storyfacts.PartialDate(value="2023-04", precision="month")
    assert (april.earliest().isoformat(), april.latest().isoformat()) == (
        "2023-04-01",
        "2023-04-30",
    )
    year = storyfacts.PartialDate(value="2024", precision="year")
    assert (year.earliest().isoformat(), year.latest().isoformat()) == ("2024-01-01", "2024-12-31")
    assert april.as_date() is None
    assert storyfacts.PartialDate(value="2024-02-29", precision="day").as_date() is not None


def _write(tmp_path: Path, content: bytes | str) -> Path:
    path = tmp_path / "data.json"
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def test_missing_file(tmp_path: Path) -> None:
    """A missing file is an InputError naming it."""
    with pytest.raises(InputError, match="no such file") as caught:
        storyfacts.load(tmp_path / "nope.json")
    assert caught.value.source.endswith("nope.json")


def test_directory(tmp_path: Path) -> None:
    """A directory is not a dataset."""
    with pytest.raises(InputError, match="is a directory"):
        storyfacts.load(tmp_path)


def test_malformed_json_names_line_and_column(tmp_path: Path) -> None:
    """Broken JSON is reported with its line and column."""
    path = _write(tmp_path, '{\n  "id": "x",\n  "title" "t"\n}')
    with pytest.raises(InputError, match=r"line 3, column 11"):
        storyfacts.load(path)


def test_invalid_utf8(tmp_path: Path) -> None:
    """Bytes that are not UTF-8 are reported with where they are."""
    path = _write(tmp_path, b'{"id": "caf\xe9"}')
    with pytest.raises(InputError, match=r"not valid UTF-8 \(byte 11, line 1\)"):
        storyfacts.load(path)


def test_utf8_with_byte_order_mark_is_read(tmp_path: Path) -> None:
    """A UTF-8 BOM, as some Windows editors write, is accepted."""
    text = storyfacts.bundled_path().read_text(encoding="utf-8")
    path = _write(tmp_path, b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert storyfacts.validate(path) == []


@pytest.mark.parametrize("token", ["NaN", "Infinity", "-Infinity"])
def test_non_finite_numbers_are_named_by_path(
    seed_data: dict[str, Any], tmp_path: Path, token: str
) -> None:
    """NaN and Infinity are not JSON numbers; the path of each is reported."""
    seed_data["statements"][0]["evidence"][0]["start"] = "@@"
    path = _write(tmp_path, json.dumps(seed_data).replace('"@@"', token))
    problems = storyfacts.validate(path)
    assert [p.path for p in problems] == ["$.statements[0].evidence[0].start"]
    assert token in problems[0].message


def test_duplicate_keys_are_named_by_path(tmp_path: Path) -> None:
    """A key given twice in one object is reported at its path, every time it happens."""
    text = storyfacts.bundled_path().read_text(encoding="utf-8")
    text = text.replace('"name": "Vladimir Putin",', '"name": "Vladimir Putin", "name": "X",', 1)
    text = text.replace('"title": ', '"title": "dup", "title": ', 1)
    problems = storyfacts.validate(_write(tmp_path, text))
    assert [p.path for p in problems] == ["$.entities[0].name", "$.title"]
    assert all(p.code == "duplicate-key" for p in problems)


def test_absurdly_deep_nesting_is_an_input_error(tmp_path: Path) -> None:
    """Nesting too deep for the parser is an InputError, not a RecursionError."""
    path = _write(tmp_path, "[" * 100_000 + "]" * 100_000)
    with pytest.raises(InputError, match="nested too deeply"):
        storyfacts.load(path)


def test_hundreds_of_levels_are_reported_at_a_path(
    seed_data: dict[str, Any], tmp_path: Path
) -> None:
    """JSON nested 500 levels deep inside a record gives a problem at its path."""
    seed_data["title"] = "@@"
    path = _write(tmp_path, json.dumps(seed_data).replace('"@@"', "[" * 500 + "]" * 500))
    problems = storyfacts.validate(path)
    assert [p.path for p in problems] == ["$.title"]


def test_integer_too_long_for_python_is_named_by_path(tmp_path: Path) -> None:
    """A 5,001-digit integer (past Python's 4,300-digit limit) is a problem at its path."""
    path = tmp_path / "long.json"
    path.write_text('{"articles": [{"votes": 1' + "0" * 5_000 + ', "n": -2' + "0" * 4_400 + "}]}")
    with pytest.raises(storyfacts.InvalidDatasetError) as raised:
        storyfacts.load(path)
    assert [(p.path, p.code) for p in raised.value.problems] == [
        ("$.articles[0].n", "too-large"),
        ("$.articles[0].votes", "too-large"),
    ]
    assert raised.value.problems[1].message == (
        "This whole number has 5,001 digits; whole numbers go up to 999,999,999,999,999."
    )


def test_integer_too_long_for_python_is_reported_by_the_cli(
    tmp_path: Path, seed_data: dict[str, Any], run_cli: RunCli
) -> None:
    """`storyfacts validate` (and with --json) names the place, with no traceback."""
    path = tmp_path / "long.json"
    text = json.dumps(seed_data).replace(
        '"schema_version"', '"zz": 1' + "0" * 5_000 + ', "schema_version"', 1
    )
    path.write_text(text, encoding="utf-8")
    code, out, err = run_cli("validate", str(path))
    assert (code, err) == (1, "")
    assert "  $.zz: This whole number has 5,001 digits" in out
    code, out, err = run_cli("validate", "--json", str(path))
    assert (code, err) == (1, "")
    assert json.loads(out)[0]["problems"][0]["path"] == "$.zz"
