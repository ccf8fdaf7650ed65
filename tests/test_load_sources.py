"""What load() and validate() take: paths, JSON text and bytes, file objects, data, datasets."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

import storyfacts
from storyfacts.errors import InputError, InvalidDatasetError


@pytest.fixture
def seed_text() -> str:
    return storyfacts.bundled_path().read_text(encoding="utf-8")


def _sources(text: str, path: Path, data: dict[str, Any]) -> dict[str, Any]:
    return {
        "path": str(path),
        "pathlike": path,
        "json-text": "\n  " + text,
        "json-bytes": text.encode("utf-8"),
        "bytearray": bytearray(text.encode("utf-8")),
        "binary file": io.BytesIO(text.encode("utf-8")),
        "text file": io.StringIO(text),
        "data": data,
    }


LABELS = ["path", "pathlike", "json-text", "json-bytes", "bytearray", "binary file", "text file"]


@pytest.mark.parametrize("label", [*LABELS, "data"])
def test_load_takes_every_kind_of_source(
    label: str, seed_text: str, seed_data: dict[str, Any]
) -> None:
    """Each kind of source gives the same dataset as the bundled file."""
    source = _sources(seed_text, storyfacts.bundled_path(), seed_data)[label]
    assert storyfacts.dumps(storyfacts.load(source)) == seed_text


def test_source_kind_names_what_each_is_taken_as(
    seed_text: str, seed_data: dict[str, Any], bundled: storyfacts.Dataset
) -> None:
    """source_kind() states the rule load() follows."""
    path = storyfacts.bundled_path()
    kinds = {
        label: storyfacts.source_kind(source)
        for label, source in _sources(seed_text, path, seed_data).items()
    }
    assert kinds == {
        "path": "path",
        "pathlike": "path",
        "json-text": "json-text",
        "json-bytes": "json-bytes",
        "bytearray": "json-bytes",
        "binary file": "file",
        "text file": "file",
        "data": "data",
    }
    assert storyfacts.source_kind(None) == "bundled"
    assert storyfacts.source_kind(bundled) == "dataset"
    assert storyfacts.source_kind("[1, 2]") == "path"


def test_a_real_file_object_is_named_in_errors(tmp_path: Path) -> None:
    """An open file that is not valid is named by its path."""
    path = tmp_path / "story.json"
    path.write_text('{"id": "x"}', encoding="utf-8")
    with path.open("rb") as f, pytest.raises(InvalidDatasetError) as caught:
        storyfacts.load(f)
    assert caught.value.source == str(path)


def test_broken_json_text_is_not_taken_for_a_path(seed_text: str) -> None:
    """JSON text with an error is reported as JSON text, without echoing the document."""
    broken = seed_text.replace('"title": ', '"title" ', 1)
    with pytest.raises(InputError) as caught:
        storyfacts.load(broken)
    assert caught.value.source == "<JSON text>"
    assert str(caught.value).startswith("<JSON text>: is not valid JSON:")
    assert "https:/" not in str(caught.value)


def test_invalid_json_text_names_its_problems(seed_data: dict[str, Any]) -> None:
    """Valid JSON text that breaks the schema gives every problem, the source named."""
    import json

    seed_data["entities"][0]["name"] = ""
    with pytest.raises(InvalidDatasetError) as caught:
        storyfacts.load(json.dumps(seed_data))
    assert caught.value.source == "<JSON text>"
    assert [p.path for p in caught.value.problems] == ["$.entities[0].name"]
    assert storyfacts.validate(json.dumps(seed_data))[0].path == "$.entities[0].name"


def test_bytes_that_are_not_utf8_are_an_input_error() -> None:
    """JSON bytes in another encoding are refused with where the bad byte is."""
    with pytest.raises(InputError, match=r"<JSON bytes>: is not valid UTF-8 \(byte 11"):
        storyfacts.load(b'{"id": "caf\xe9"}')


def test_text_that_is_neither_json_nor_a_file_says_how_it_was_read() -> None:
    """A str that is no file and does not start with '{' is said to have been read as a path."""
    with pytest.raises(InputError, match="was read as a path, and there is no such file") as caught:
        storyfacts.load('[\n  {"id": "x"}\n]')
    assert "starts with '{'" in str(caught.value)


def test_a_missing_path_is_still_a_plain_missing_file(tmp_path: Path) -> None:
    """A str that looks like a path keeps the usual message."""
    with pytest.raises(InputError, match=r"no such file$"):
        storyfacts.load(str(tmp_path / "nope.json"))


def test_a_workbook_as_a_file_object_asks_for_its_path() -> None:
    """A workbook cannot be read from an open file; the error says to give its path."""
    with pytest.raises(InputError, match="give its path to read a workbook"):
        storyfacts.load(io.BytesIO(b"PK\x03\x04rest of a zip"))


def test_a_text_mode_file_that_is_not_utf8(tmp_path: Path) -> None:
    """A file opened in text mode that cannot be decoded is an InputError, not a traceback."""
    path = tmp_path / "latin1.json"
    path.write_bytes(b'{"id": "caf\xe9"}')
    with path.open(encoding="utf-8") as f, pytest.raises(InputError, match="binary mode"):
        storyfacts.load(f)


def test_a_file_object_that_reads_something_else() -> None:
    """An object whose read() gives neither bytes nor text is refused by name."""

    class Odd:
        name = "odd-source"

        def read(self) -> int:
            return 7

    with pytest.raises(InputError, match="odd-source: gave the number 7 when read"):
        storyfacts.load(Odd())  # type: ignore[arg-type]
