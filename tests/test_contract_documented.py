"""The Exporter contract a plugin author reads is the one storyfacts has."""

from __future__ import annotations

import re
from pathlib import Path

import attrs

from storyfacts.contract import Exporter

HOOKS_DOC = Path(__file__).resolve().parent.parent / "docs" / "plugins" / "hooks.md"


def test_every_exporter_field_is_in_the_hook_reference() -> None:
    """docs/plugins/hooks.md's table of the Exporter has one row per field, in field order."""
    text = HOOKS_DOC.read_text(encoding="utf-8")
    table = text.split("### The Exporter", 1)[1].split("\n### ", 1)[0]
    rows = re.findall(r"^\| `(\w+)` \|", table, re.MULTILINE)
    assert rows == [field.name for field in attrs.fields(Exporter)]


def test_every_optional_exporter_field_gives_its_default() -> None:
    """Each field with a default says it in the table (the plugin field is set by storyfacts)."""
    text = HOOKS_DOC.read_text(encoding="utf-8")
    table = text.split("### The Exporter", 1)[1].split("\n### ", 1)[0]
    for field in attrs.fields(Exporter):
        if field.default is attrs.NOTHING or field.name == "plugin":
            continue
        row = next(line for line in table.splitlines() if line.startswith(f"| `{field.name}` |"))
        assert "default" in row, field.name
