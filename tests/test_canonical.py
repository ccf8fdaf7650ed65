"""The canonical JSON in chunks (storyfacts.canonical): exactly storyfacts.dumps, and its hash."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import attrs
import generate  # benchmarks/generate.py, on the path through pytest's pythonpath
import pytest

import storyfacts
from storyfacts import canonical
from storyfacts.convert import converter
from storyfacts.workbook import fingerprint


def _joined(dataset: storyfacts.Dataset) -> bytes:
    return b"".join(canonical.chunks(dataset))


def _with_confidences(dataset: storyfacts.Dataset, values: list[float]) -> storyfacts.Dataset:
    statements = [
        attrs.evolve(record, draft=storyfacts.Draft(rule="quote-said-after", confidence=value))
        for record, value in zip(dataset.statements, values, strict=False)
    ]
    return attrs.evolve(dataset, statements=statements + dataset.statements[len(statements) :])


@pytest.fixture(scope="module")
def generated() -> storyfacts.Dataset:
    return storyfacts.load(generate.generate(3_000, seed=4))


def test_chunks_are_the_bytes_of_dumps(generated: storyfacts.Dataset) -> None:
    for dataset in (storyfacts.load_bundled(), generated):
        assert _joined(dataset) == storyfacts.dumps(dataset).encode("utf-8")


def test_chunks_of_an_empty_dataset() -> None:
    seed = storyfacts.load_bundled()
    empty = attrs.evolve(seed, articles=[], entities=[], statements=[], sources=[])
    assert _joined(empty) == storyfacts.dumps(empty).encode("utf-8")


def test_floats_orjson_spells_otherwise_are_written_as_dumps_writes_them() -> None:
    # orjson writes 1e-05 as 0.00001 and 1e-09 as 1e-9; dumps does not.
    values = [1e-05, 1e-09, 1.5e-07, 9.99e-05, 0.0001, 0.5, 1.0, 0.0, 1e-10, 3.3333333e-06]
    dataset = _with_confidences(storyfacts.load_bundled(), values)
    text = _joined(dataset)
    assert text == storyfacts.dumps(dataset).encode("utf-8")
    assert b'"confidence": 1e-05' in text
    assert b'"confidence": 1e-09' in text


def test_progress_counts_every_record(generated: storyfacts.Dataset) -> None:
    counted: list[int] = []
    for _ in canonical.chunks(generated, counted.append):
        pass
    assert sum(counted) == storyfacts.kinds.count(generated)


def _fingerprint_as_it_was(dataset: storyfacts.Dataset) -> str:
    # The workbook's fingerprint before it was streamed from canonical.chunks:
    # the standard library's encoder over the whole plain dataset.
    plain: Any = converter.unstructure(dataset)
    encoder = json.JSONEncoder(indent=2, ensure_ascii=False, allow_nan=False)
    digest = hashlib.sha256()
    for chunk in encoder.iterencode(plain):
        digest.update(chunk.encode("utf-8"))
    digest.update(b"\n")
    return "sha256:" + digest.hexdigest()


def test_the_workbook_fingerprint_is_unchanged(generated: storyfacts.Dataset) -> None:
    odd = _with_confidences(storyfacts.load_bundled(), [1e-05, 2e-09, 0.25])
    for dataset in (storyfacts.load_bundled(), generated, odd):
        assert fingerprint(dataset) == _fingerprint_as_it_was(dataset)


def test_the_json_export_is_the_canonical_bytes(tmp_path: Path) -> None:
    dataset = _with_confidences(storyfacts.load_bundled(), [1e-05, 0.75])
    written = storyfacts.export(dataset, "json", tmp_path / "out.json", check=False)
    assert written.read_bytes() == storyfacts.dumps(dataset).encode("utf-8")


def test_exports_of_an_unchanged_dataset_hash_the_json_once(
    generated: storyfacts.Dataset, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from storyfacts.exporting import unchanged

    expected = fingerprint(generated)
    serialised: list[int] = []
    real = canonical._chunks

    def counted(*args: Any) -> Any:
        serialised.append(1)
        return real(*args)

    monkeypatch.setattr(canonical, "_chunks", counted)
    with unchanged(generated):
        storyfacts.export(generated, "json", tmp_path / "out.json", check=False)
        assert fingerprint(generated) == expected
    # The json export serialised the dataset; the fingerprint used its hash.
    assert len(serialised) == 1
    assert canonical._unchanged == {}


def test_outside_the_promise_a_changed_dataset_gets_its_own_fingerprint(
    tmp_path: Path,
) -> None:
    from storyfacts.exporting import unchanged

    dataset = storyfacts.load_bundled()
    with unchanged(dataset):
        storyfacts.export(dataset, "json", tmp_path / "out.json", check=False)
        before = fingerprint(dataset)
    dataset.title += " (edited)"
    assert fingerprint(dataset) != before
    assert fingerprint(dataset) == _fingerprint_as_it_was(dataset)


def test_the_command_line_writes_the_same_fingerprint(tmp_path: Path) -> None:
    # storyfacts export -f json,xlsx promises the dataset unchanged between the two.
    from storyfacts.cli import main
    from storyfacts.workbook import read

    dataset = storyfacts.load_bundled()
    assert main(["export", "-f", "json,xlsx", "-o", str(tmp_path), "-q"]) == 0
    reading = read(tmp_path / f"{dataset.id}.xlsx")
    assert reading.fingerprint == _fingerprint_as_it_was(dataset)
    assert reading.edited is False


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -float("inf")])
def test_a_number_json_cannot_hold_is_refused_as_dumps_refuses_it(value: float) -> None:
    # orjson would write null; validation refuses these, check=False does not.
    dataset = _with_confidences(storyfacts.load_bundled(), [value])
    with pytest.raises(ValueError, match="Out of range float values"):
        storyfacts.dumps(dataset)
    with pytest.raises(ValueError, match="Out of range float values"):
        _joined(dataset)
