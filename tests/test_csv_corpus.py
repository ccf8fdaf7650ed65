"""The csv exporter reads a JSON Lines corpus and writes its tables as a stream.

The files must be those of exporting the corpus loaded as one ``Dataset``;
``storyfacts.load`` is made to fail while the corpus is exported, so a test
passes only if nothing loaded it whole.
"""

from __future__ import annotations

from pathlib import Path

import generate  # benchmarks/generate.py, on the path through pytest's pythonpath
import pytest

import storyfacts
from corpus_edits import evidence_by_text_only
from storyfacts import kinds, loading
from storyfacts.corpus.lines import dump_lines


def _forbid_loading(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(source: object = None) -> storyfacts.Dataset:
        raise AssertionError(f"loaded whole: {source!r}")

    monkeypatch.setattr(loading, "load", refuse)


def _files(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


@pytest.mark.parametrize("data", [None, "generated"], ids=["seed", "generated"])
@pytest.mark.parametrize("options", [{}, {"formulas": "keep", "bom": "true"}], ids=["", "kept"])
def test_a_corpus_exports_as_a_stream_to_the_files_of_it_loaded_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, data: str | None, options: dict[str, str]
) -> None:
    """Every table, link table and datapackage.json has the bytes of the whole export."""
    dataset = storyfacts.load(generate.generate(250, 6) if data else None)
    corpus = dump_lines(dataset, tmp_path / "corpus")
    evidence_by_text_only(corpus)
    whole = storyfacts.export(storyfacts.load(corpus), "csv", tmp_path / "whole", options=options)
    seen: list[tuple[int, int]] = []
    _forbid_loading(monkeypatch)
    streamed = storyfacts.export(
        corpus,
        "csv",
        tmp_path / "streamed",
        options=options,
        progress=lambda *done: seen.append(done),
    )
    assert _files(streamed) == _files(whole)
    assert "group_members.csv" in _files(streamed)
    total = sum(len(getattr(dataset, section.name)) for section in kinds.SECTIONS)
    assert seen[-1] == (total, total)


def test_an_invalid_corpus_writes_no_table(tmp_path: Path) -> None:
    """A corpus with a problem is refused by file and line, and no directory is made."""
    corpus = dump_lines(storyfacts.load_bundled(), tmp_path / "corpus")
    path = corpus / "entities.jsonl"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[3] = lines[3].replace('"name":', '"nom":', 1)
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(storyfacts.InvalidDatasetError) as raised:
        storyfacts.export(corpus, "csv", tmp_path / "out")
    assert any(p.location == "entities.jsonl:4" for p in raised.value.problems)
    assert not (tmp_path / "out").exists()


def test_the_csv_exporter_declares_it_streams_a_corpus() -> None:
    """The exporter registers write_corpus, so a corpus is never loaded whole for it."""
    from storyfacts import plugins

    assert plugins.exporter("csv").write_corpus is not None
