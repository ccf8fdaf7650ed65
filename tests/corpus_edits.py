"""Edits a person makes to a JSON Lines corpus on disk, shared by the streaming tests."""

from __future__ import annotations

import json
from pathlib import Path


def evidence_by_text_only(corpus: Path) -> None:
    """Give the first statement's evidence by its text alone, as a person may write it."""
    path = corpus / "statements.jsonl"
    lines = path.read_text(encoding="utf-8").split("\n")
    record = json.loads(lines[0])
    for key in ("start", "end"):
        record["evidence"][0].pop(key)
    lines[0] = json.dumps(record, ensure_ascii=False)
    path.write_text("\n".join(lines), encoding="utf-8")
