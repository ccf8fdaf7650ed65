"""The conformance kit holds an exporter to what its ``omitted`` declares, field by field."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

import storyfacts
from storyfacts import ExportContext, Exporter
from storyfacts.model import Dataset
from storyfacts.testing import ConformanceError, check_exporter

FIELD_CHECK = "writes every field it does not declare omitted"


def _without_key(value: Any, key: str) -> Any:
    """``value`` with every object's ``key`` dropped, at any depth."""
    if isinstance(value, dict):
        return {k: _without_key(v, key) for k, v in value.items() if k != key}
    if isinstance(value, list):
        return [_without_key(v, key) for v in value]
    return value


def write_everything(dataset: Dataset, path: Path, context: ExportContext) -> None:
    path.write_text(storyfacts.dumps(dataset), encoding="utf-8")


def write_without_aliases(dataset: Dataset, path: Path, context: ExportContext) -> None:
    data = _without_key(storyfacts.dump(dataset), "aliases")
    path.write_text(json.dumps(data, ensure_ascii=False, sort_keys=True), encoding="utf-8")


def _exporter(write: Any, omitted: Mapping[str, str] | None) -> Exporter:
    return Exporter(
        name="facts",
        extension=".json",
        media_type="application/json",
        description="The dataset as JSON, perhaps with something left out.",
        write=write,
        omitted=omitted,
    )


def _field_check(exporter: Exporter, directory: Path) -> Any:
    """The kit's field check of ``exporter``, which must be the only check to fail, if any."""
    try:
        report = check_exporter(exporter, directory=directory)
    except ConformanceError as error:
        report = error.report
        assert [c.name for c in report.failed] == [FIELD_CHECK], str(report)
    return next(c for c in report.checks if c.name == FIELD_CHECK)


def test_an_exporter_writing_every_field_passes(tmp_path: Path) -> None:
    """Declaring nothing omitted and writing the whole dataset passes the field check."""
    check = _field_check(_exporter(write_everything, {}), tmp_path)
    assert check.outcome == "passed"


def test_a_field_dropped_without_a_word_fails_by_name(tmp_path: Path) -> None:
    """An exporter that leaves out aliases but declares nothing fails, naming each class's."""
    check = _field_check(_exporter(write_without_aliases, {}), tmp_path)
    assert check.outcome == "failed"
    assert "Person.aliases" in check.detail and "Organization.aliases" in check.detail
    assert "changes nothing written" in check.detail
    assert "Person.name" not in check.detail


def test_a_declared_omission_passes(tmp_path: Path) -> None:
    """The same exporter passes once it declares aliases omitted on every class."""
    declared = {"*.aliases": "The sheet names each record once."}
    check = _field_check(_exporter(write_without_aliases, declared), tmp_path)
    assert check.outcome == "passed"


def test_a_field_declared_omitted_but_written_fails(tmp_path: Path) -> None:
    """Declaring a field omitted that the export writes is a failure naming it."""
    declared = {"Person.aliases": "Said to be left out, yet written."}
    check = _field_check(_exporter(write_everything, declared), tmp_path)
    assert check.outcome == "failed"
    assert "Person.aliases are declared omitted but written" in check.detail


def test_a_key_the_model_lacks_fails(tmp_path: Path) -> None:
    """A key naming no model class or attribute is reported, as a typo would be."""
    declared = {"Person.nickname": "No such field.", "Persons": "No such class."}
    check = _field_check(_exporter(write_everything, declared), tmp_path)
    assert check.outcome == "failed"
    assert "Person.nickname, Persons, which the model does not have" in check.detail


def test_no_declaration_makes_no_promise(tmp_path: Path) -> None:
    """With omitted=None the check is skipped, saying how to opt in."""
    check = _field_check(_exporter(write_without_aliases, None), tmp_path)
    assert check.outcome == "skipped"
    assert "declare Exporter(omitted=" in check.detail


@pytest.mark.parametrize(
    "omitted",
    [{"Person": "two\nlines"}, {"Person": " "}, {"": "no key"}, ["Person"], {"Person": 1}],
)
def test_a_malformed_declaration_is_refused(omitted: Any) -> None:
    """omitted must map names to one line of reason each; anything else is a bad exporter."""
    problems = _exporter(write_everything, omitted).problems()
    assert problems == ["omitted must map model classes or fields to one line of reason each"]


def test_every_builtin_declares_what_it_leaves_out() -> None:
    """The built-in formats hold themselves to the check (json leaves out nothing)."""
    declared = {
        e.name: e.omitted for e in storyfacts.formats() if e.plugin.startswith("storyfacts")
    }
    assert set(declared) >= {"json", "csv", "jsonld", "ics", "xlsx"}
    assert all(value is not None for value in declared.values())
    assert declared["json"] == {}
