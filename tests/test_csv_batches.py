"""The csv export reads, spells and writes records a batch at a time: the batch size shows nowhere.

The size (``files.CHUNK``) is chosen for the processor's cache, and small
datasets fit in one batch, so these tests make batches of a few records to
cross every boundary: between batches of one section, between sections, and
inside a section whose kinds take turns.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import storyfacts
from storyfacts.exporters.csv import files
from storyfacts.testing import make_dataset


def _export(dataset: storyfacts.Dataset, path: Path, **options: str) -> dict[str, bytes]:
    out = storyfacts.export(dataset, "csv", path, options=options, check=False)
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


@pytest.mark.parametrize("size", [1, 2, 7])
@pytest.mark.parametrize("options", [{}, {"formulas": "keep", "bom": "true"}])
def test_the_files_are_the_same_whatever_the_batch_size(
    size: int, options: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every file is byte for byte the one written in a single batch."""
    dataset = make_dataset(40)
    dataset.entities[3].description = "=HYPERLINK(1)"  # a neutralised cell in a later batch
    monkeypatch.setattr(files, "CHUNK", 10**6)
    whole = _export(dataset, tmp_path / "whole", **options)
    monkeypatch.setattr(files, "CHUNK", size)
    batched = _export(dataset, tmp_path / "batched", **options)
    assert batched.keys() == whole.keys()
    for name, content in whole.items():
        assert batched[name] == content, name
    # More than one batch per table with rows: the boundaries were crossed.
    assert whole["claims.csv"].count(b"\r\n") - 1 > size


def test_progress_comes_a_batch_at_a_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each report adds at most one batch of records, and the last says all of them."""
    dataset = make_dataset(40)
    monkeypatch.setattr(files, "CHUNK", 3)
    reports: list[int] = []
    storyfacts.export(
        dataset, "csv", tmp_path / "out", progress=lambda done, _: reports.append(done)
    )
    steps = [b - a for a, b in zip([0, *reports], reports, strict=False)]
    total = sum(len(getattr(dataset, s)) for s in ("articles", "entities", "statements", "sources"))
    assert reports[-1] == total
    assert all(0 < step <= 3 for step in steps), steps
    assert len(reports) >= total / 3
