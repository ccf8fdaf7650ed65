"""The json exporter reads a JSON Lines corpus and writes it as a stream, never loading it whole.

The bytes must be those of exporting the corpus loaded as one ``Dataset``;
here ``storyfacts.load`` is made to fail while the corpus is exported, so a
test passes only if nothing loaded it.
"""

from __future__ import annotations

from pathlib import Path

import generate  # benchmarks/generate.py, on the path through pytest's pythonpath
import pytest

import storyfacts
from conftest import RunCli
from corpus_edits import evidence_by_text_only
from storyfacts import loading
from storyfacts.corpus.lines import dump_lines
from storyfacts.streaming import CorpusReader


def _forbid_loading(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(source: object = None) -> storyfacts.Dataset:
        raise AssertionError(f"loaded whole: {source!r}")

    monkeypatch.setattr(loading, "load", refuse)


@pytest.mark.parametrize("data", [None, "generated"], ids=["seed", "generated"])
def test_a_corpus_exports_as_a_stream_to_the_bytes_of_it_loaded_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, data: str | None
) -> None:
    dataset = storyfacts.load(generate.generate(250, 6) if data else None)
    corpus = dump_lines(dataset, tmp_path / "corpus")
    evidence_by_text_only(corpus)
    whole = storyfacts.export(storyfacts.load(corpus), "json", tmp_path / "whole.json")
    seen: list[tuple[int, int]] = []
    _forbid_loading(monkeypatch)
    streamed = storyfacts.export(
        corpus, "json", tmp_path / "streamed.json", progress=lambda *done: seen.append(done)
    )
    assert streamed.read_bytes() == whole.read_bytes()
    total = sum(len(getattr(dataset, s)) for s in ("articles", "entities", "statements", "sources"))
    assert seen[-1] == (total, total)
    monkeypatch.undo()
    assert storyfacts.load(streamed) == storyfacts.load(corpus)  # offsets placed as on loading


def test_the_command_line_streams_a_corpus(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli: RunCli
) -> None:
    corpus = dump_lines(storyfacts.load_bundled(), tmp_path / "corpus")
    expected = storyfacts.dumps(storyfacts.load_bundled()).encode()
    _forbid_loading(monkeypatch)
    code, _, err = run_cli("export", str(corpus), "-f", "json", "-o", str(tmp_path / "o.json"))
    assert (code, err) == (0, "")
    assert (tmp_path / "o.json").read_bytes() == expected


def test_a_format_that_cannot_stream_a_corpus_loads_it(tmp_path: Path, run_cli: RunCli) -> None:
    corpus = dump_lines(storyfacts.load_bundled(), tmp_path / "corpus")
    code, _, err = run_cli("export", str(corpus), "-f", "json,ics", "-o", str(tmp_path / "out/"))
    assert (code, err) == (0, "")
    assert sorted(p.suffix for p in (tmp_path / "out").iterdir()) == [".ics", ".json"]


def test_an_invalid_corpus_writes_nothing_and_names_the_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = dump_lines(storyfacts.load_bundled(), tmp_path / "corpus")
    path = corpus / "entities.jsonl"
    path.write_text(
        path.read_text(encoding="utf-8").replace('"name"', '"nom"', 1), encoding="utf-8"
    )
    _forbid_loading(monkeypatch)
    with pytest.raises(storyfacts.InvalidDatasetError) as caught:
        storyfacts.export(corpus, "json", tmp_path / "out.json")
    assert "entities.jsonl:1 ($.entities[0].name)" in str(caught.value)
    assert not (tmp_path / "out.json").exists()
    # A reader made without validating is validated before anything is written.
    with pytest.raises(storyfacts.InvalidDatasetError):
        storyfacts.export(CorpusReader(corpus), "json", tmp_path / "out.json")
    assert not (tmp_path / "out.json").exists()
