"""Write docs/data-model.md from the JSON Schema, so the reference cannot drift.

Run ``python docs/generate_data_model.py`` after changing the schema;
``tests/test_docs_data_model.py`` fails while the committed file differs.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from storyfacts import kinds, references
from storyfacts import schema as _schema

OUT = Path(__file__).with_name("data-model.md")

INTRO = """\
# Data model reference

A storyfacts dataset is one JSON document. This page is generated from the
JSON Schema (`schemas/dataset.schema.json`, printed by `storyfacts schema`) by
`docs/generate_data_model.py`; a test fails when it falls out of step.

Conventions:

- Every record (article, entity, statement, source) has an `id` of lower-case
  letters, digits and single hyphens, unique across the whole dataset.
- References are ids of other records. The kinds of record each one may name
  (or `entity` and `statement`, for any of those) are the schema's
  `x-refers-to` annotation on the field, shown in the Type column below.
  Validation checks that each id exists and is of a kind the field allows.
- Optional fields are left out rather than set to `null`.
- Evidence offsets count Unicode code points from 0, end exclusive, so
  `body[start:end] == text` in Python.
- Dates are partial: `2024`, `2023-04`, `2023-W13` (an ISO week) or
  `2023-03-22`, with their precision, the story's own phrase and, where
  resolved from public record or from the publication date, a source.
- A record drafted by `storyfacts new` carries a `draft` (the rule that
  proposed it and a confidence) until a person confirms it by removing it.
- Whole numbers (offsets, vote counts) are written as JSON integers, `3`
  and not `3.0` or `3e0`, from 0 to 999,999,999,999,999 (15 digits, the
  most a spreadsheet holds exactly). Validation refuses any other spelling
  or size, so what validates always exports, to every format, unchanged.
- Text holds no control characters other than tab, line feed and carriage
  return (no NUL, BEL, ESC or DEL), nor the non-characters U+FFFE and
  U+FFFF: no calendar or workbook can hold them, so validation refuses
  them, naming the path.
- `modified` is a moment from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z
  once moved to UTC: RFC 3339 also allows the year 0000 and, with an offset,
  moments past either end (`9999-12-31T23:59:59-05:00`), which no export can
  write as they are, so validation refuses them.
"""


def _order() -> list[str | None]:
    """The top level, then each section's definitions in dataset order, then their parts."""
    out: list[str | None] = [None]
    for section in kinds.SECTIONS:
        if section.typed:
            # The union, the fields its kinds share, then each kind.
            out += [section.definition, section.shared]
        out += [kind.definition for kind in section.kinds]
    return [*out, "Evidence", "Draft", "PartialDate"]


_NAMED = {
    "Ref": "id (reference)",
    "Id": "id",
    "Text": "text",
    "Line": "text on one line",
    "Url": "URL",
    "EvidenceList": "list of [Evidence](#evidence), at least one",
}


def _kinds(names: list[str]) -> str:
    words = [f"`{name}`" for name in names]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def _type(prop: dict[str, Any]) -> str:
    targets = prop.get(references.ANNOTATION)
    if targets is not None:
        # The kinds each id may name come from the schema's x-refers-to.
        if prop.get("type") == "array":
            return f"list of ids, each of {_kinds(targets)}"
        return f"id of {_kinds(targets)}"
    ref = prop.get("$ref", "")
    if ref:
        name = ref.rsplit("/", 1)[-1]
        if name in _NAMED:
            return _NAMED[name]
        target = _schema.definition(name)
        if ("enum" not in target and "properties" in target) or "allOf" in target:
            return f"[{name}](#{name.lower()})"
    full = _schema.resolve(prop)
    if "const" in full:
        return f"`{full['const']}`"
    if "enum" in full:
        return "one of " + ", ".join(f"`{v}`" for v in full["enum"])
    kind = full.get("type")
    if kind == "array":
        return f"list of {_type(full.get('items', {}))}"
    fmt = full.get("format")
    return f"{kind} ({fmt})" if fmt else str(kind)


def _section(name: str | None) -> list[str]:
    if name is None:
        node = _schema.schema()
        heading, props, required = "Dataset (top level)", node["properties"], node["required"]
    else:
        node = _schema.definition(name)
        heading = name
        props = node.get("properties", {})
        required = node.get("required", [])
    lines = [f"## {heading}", "", node.get("description", ""), ""]
    bases = [p["$ref"].rsplit("/", 1)[-1] for p in node.get("allOf", []) if "$ref" in p]
    if bases:
        lines += [f"Also has every field of [{b}](#{b.lower()})." for b in bases] + [""]
    if name in ("Entity", "Statement"):
        types = _schema.definition(f"{name}Type")["enum"]
        lines += [f"The `type` field is one of: {', '.join(f'`{t}`' for t in types)}.", ""]
    shown = {k: v for k, v in props.items() if not (k == "type" and set(v) <= {"const", "$ref"})}
    if shown:
        lines += ["| Field | Title | Type | Required | Description |", "|---|---|---|---|---|"]
        for key, prop in shown.items():
            full = _schema.resolve(prop)
            lines.append(
                f"| `{key}` | {full.get('title', '')} | {_type(prop)} | "
                f"{'yes' if key in required else ''} | {full.get('description', '')} |"
            )
        lines.append("")
    return lines


def render() -> str:
    lines = [INTRO]
    for name in _order():
        lines += _section(name)
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":
    OUT.write_text(render(), encoding="utf-8")
    sys.stdout.write(f"wrote {OUT}\n")
