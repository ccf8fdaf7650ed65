"""What several modules share from storyfacts.errors: the path parser and the problem list."""

from __future__ import annotations

import pytest

from storyfacts.errors import (
    ExportError,
    InvalidDatasetError,
    Problem,
    UnwritableDatasetError,
    json_path,
    parse_path,
)
from storyfacts.exporters import ics
from storyfacts.model import Event
from storyfacts.workbook import safety


@pytest.mark.parametrize(
    "parts",
    [
        (),
        ("statements", 4, "speaker"),
        ("entities", 0, "it's a key", 12),
        ("x", "back\\slash", "dotted.name", "has space"),
    ],
)
def test_parse_path_reads_back_what_json_path_writes(parts: tuple[str | int, ...]) -> None:
    """The one parser gives back the parts of any path json_path makes."""
    assert parse_path(json_path(parts)) == parts


def test_both_errors_with_problems_list_fifty_and_count_the_rest() -> None:
    """InvalidDatasetError and UnwritableDatasetError cut their lists the same way."""
    problems = [Problem(f"$.entities[{i}].name", "Bad.") for i in range(53)]
    for error in (InvalidDatasetError(problems), UnwritableDatasetError(problems)):
        lines = str(error).splitlines()
        assert lines[-1] == "  ... and 3 more."
        assert sum(line.startswith("  $.entities[") for line in lines) == 50
        assert error.problems == problems


def test_unwritable_dataset_error_is_an_export_error_defined_with_the_others() -> None:
    """The workbook's error is in the hierarchy, and still importable where it was."""
    assert issubclass(UnwritableDatasetError, ExportError)
    assert safety.UnwritableDatasetError is UnwritableDatasetError
    error = UnwritableDatasetError([Problem("$.title", "Too long.", location="About")])
    assert str(error).startswith("Export to xlsx failed, and nothing was written: 1 value does")


def test_an_undated_event_is_refused_by_a_real_check_not_an_assert() -> None:
    """The calendar's guard raises under ``python -O`` too."""
    with pytest.raises(ValueError, match="has no start"):
        ics._start(Event(id="e", name="E"))
