"""A dataset is checked once: export does not validate again what load found valid.

Whether a dataset changed is decided by the count of edits, or by the
fingerprint of its dump for one holding a plain list (storyfacts.validity);
these tests count the calls to the validator and change the dataset in the
ways a user could. tests/test_checked_once_edits.py goes through every door.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import storyfacts
from storyfacts import validity

Change = Callable[[storyfacts.Dataset], None]


def test_export_after_load_does_not_validate_again(tmp_path: Path, validations: list[Any]) -> None:
    dataset = storyfacts.load_bundled()
    assert len(validations) == 1
    storyfacts.export(dataset, "json", tmp_path / "a.json")
    storyfacts.export(dataset, "csv", tmp_path / "a")
    assert len(validations) == 1
    written = json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))
    assert written == storyfacts.dump(dataset)


def test_validate_remembers_a_valid_dataset(validations: list[Any], seed_data: Any) -> None:
    """A dataset built in code and validated once is not validated again."""
    dataset = storyfacts.load(seed_data)
    validations.clear()
    dataset.title = "Another title"
    assert storyfacts.validate(dataset) == []
    assert storyfacts.validate(dataset) == []
    assert len(validations) == 1


def _retitle(dataset: storyfacts.Dataset) -> None:
    dataset.statements[0].summary = "Said something else."


def _drop_statement(dataset: storyfacts.Dataset) -> None:
    dataset.statements.pop()


def _move_evidence(dataset: storyfacts.Dataset) -> None:
    dataset.statements[0].evidence[0].start += 1


def _float_for_int(dataset: storyfacts.Dataset) -> None:
    evidence = dataset.statements[0].evidence[0]
    evidence.start = float(evidence.start)  # type: ignore[assignment]


def _add_alias(dataset: storyfacts.Dataset) -> None:
    entity = dataset.entities[0]
    entity.aliases = [*(entity.aliases or []), "Another name"]


@pytest.mark.parametrize(
    "change", [_retitle, _drop_statement, _move_evidence, _float_for_int, _add_alias]
)
def test_a_changed_dataset_is_validated_again(
    tmp_path: Path, validations: list[Any], change: Change
) -> None:
    dataset = storyfacts.load_bundled()
    change(dataset)
    validations.clear()
    try:
        storyfacts.export(dataset, "json", tmp_path / "out.json")
    except storyfacts.InvalidDatasetError:
        assert not (tmp_path / "out.json").exists()
    assert len(validations) == 1


@pytest.mark.parametrize(
    ("change", "code"), [(_move_evidence, "evidence"), (_float_for_int, "not-whole")]
)
def test_an_invalid_change_is_never_written(tmp_path: Path, change: Change, code: str) -> None:
    dataset = storyfacts.load_bundled()
    change(dataset)
    target = tmp_path / "out.json"
    with pytest.raises(storyfacts.InvalidDatasetError) as raised:
        storyfacts.export(dataset, "json", target)
    assert any(code in p.code for p in raised.value.problems)
    assert not target.exists()


def test_a_file_in_another_key_order_is_not_validated_again(
    tmp_path: Path, validations: list[Any], seed_data: Any
) -> None:
    """The count of edits, unlike a fingerprint, does not care in what order the keys were."""
    seed_data["statements"] = [dict(reversed(s.items())) for s in seed_data["statements"]]
    path = tmp_path / "reordered.json"
    path.write_text(json.dumps(seed_data), encoding="utf-8")
    dataset = storyfacts.load(path)
    storyfacts.export(dataset, "json", tmp_path / "one.json")
    storyfacts.export(dataset, "json", tmp_path / "two.json")
    assert len(validations) == 1


def test_the_fingerprint_is_exact_about_types() -> None:
    base = validity.fingerprint({"a": [1, "x", None, 1.5]})
    assert base is not None
    assert base == validity.fingerprint({"a": [1, "x", None, 1.5]})
    for other in (
        {"a": (1, "x", None, 1.5)},
        {"a": [True, "x", None, 1.5]},
        {"a": [1.0, "x", None, 1.5]},
        {"a": [1, "x", float("nan"), 1.5]},
        {"a": [1, "y", None, 1.5]},
    ):
        assert validity.fingerprint(other) != base, other

    class Text(str):
        pass

    assert validity.fingerprint({"a": [Text("x")]}) is None


def test_nothing_is_kept_for_a_dataset_that_is_gone() -> None:
    dataset = storyfacts.load_bundled()
    key = id(dataset)
    assert key in validity._known
    del dataset
    gc.collect()
    assert key not in validity._known
