"""A JSON Lines corpus validated in one streaming pass gives the verdict of loading it whole.

Each corpus here is checked twice: by ``storyfacts.streaming.corpus_problems``
(one line at a time, references waiting in a file, bodies read back from
theirs) and by ``read_lines``, which builds the whole dataset and runs
``storyfacts.validation.problems`` over it. The two lists of problems must be
equal, message, path, code and file:line alike, on valid corpora and on
corpora broken in every way a check looks for.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import generate  # benchmarks/generate.py, on the path through pytest's pythonpath
import pytest

import storyfacts
from storyfacts.corpus.lines import dump_lines, read_lines
from storyfacts.errors import InputError
from storyfacts.streaming import CorpusReader, corpus_problems
from storyfacts.streaming.bodies import ArticleBodies

SECTIONS = ("articles", "entities", "statements", "sources")

Edit = Callable[[dict[str, list[str]]], None]


def _corpus(tmp_path: Path, data: Any, name: str = "corpus") -> Path:
    return dump_lines(storyfacts.load(data), tmp_path / name)


def _edit(target: Path, edit: Edit) -> None:
    """Apply ``edit`` to the corpus's files, given as lists of lines by name."""
    files = {
        p.name: p.read_text(encoding="utf-8").split("\n")
        for p in sorted(target.iterdir())
        if p.suffix in (".json", ".jsonl")
    }
    edit(files)
    for name, lines in files.items():
        (target / name).write_text("\n".join(lines), encoding="utf-8")


def _same_verdict(target: Path) -> list[storyfacts.Problem]:
    streamed = corpus_problems(target)
    _, whole = read_lines(target)
    assert streamed == whole
    assert storyfacts.validate(target) == streamed  # validate takes the streaming path
    return streamed


def _record(files: dict[str, list[str]], name: str, index: int) -> dict[str, Any]:
    found: dict[str, Any] = json.loads(files[name][index])
    return found


def _put(files: dict[str, list[str]], name: str, index: int, record: Any) -> None:
    files[name][index] = json.dumps(record, ensure_ascii=False)


def _change(name: str, index: int, change: Callable[[dict[str, Any]], None]) -> Edit:
    def edit(files: dict[str, list[str]]) -> None:
        record = _record(files, name, index)
        change(record)
        _put(files, name, index, record)

    return edit


def _text(name: str, index: int, old: str, new: str) -> Edit:
    def edit(files: dict[str, list[str]]) -> None:
        assert old in files[name][index]
        files[name][index] = files[name][index].replace(old, new, 1)

    return edit


def _line(name: str, index: int, text: str) -> Edit:
    def edit(files: dict[str, list[str]]) -> None:
        files[name][index] = text

    return edit


def _evidence(record: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = record["evidence"][0]
    return found


# Each breaks one thing a check looks for; the seed corpus's files are edited.
EDITS: dict[str, Edit] = {
    "misspelt field": _text("entities.jsonl", 3, '"name"', '"nom"'),
    "not JSON": _line("entities.jsonl", 7, "{not json"),
    "duplicate key": _text(
        "statements.jsonl",
        2,
        "{",
        '{"id": "x", ',
    ),
    "NaN": _text("statements.jsonl", 1, "{", '{"confidence": NaN, '),
    "a whole number of 5,000 digits": _text(
        "statements.jsonl", 1, "{", '{"votes_for": ' + "9" * 5000 + ", "
    ),
    "too large to store": _text("statements.jsonl", 1, "{", '{"votes_for": ' + "9" * 30 + ", "),
    "a null line": _line("sources.jsonl", 0, "null"),
    "a number line": _line("statements.jsonl", 0, "7"),
    "blank lines": lambda files: files["entities.jsonl"].insert(2, "   "),
    "dangling reference, backwards": _change(
        "statements.jsonl", 0, lambda r: r.update(speaker="pers0n-nobody")
    ),
    "dangling reference to a source": _change(
        "statements.jsonl", 0, lambda r: r.update(sources=["source-that-is-not"])
    ),
    "dangling reference with a lone surrogate": _text(
        "statements.jsonl", 7, '"speaker":"', '"speaker":"\\ud800'
    ),
    "wrong kind": _change(
        "statements.jsonl", 3, lambda r: r.update(speaker=storyfacts.load_bundled().articles[0].id)
    ),
    "duplicate id across files": _change(
        "sources.jsonl", 0, lambda r: r.update(id=_first_id_of_entities())
    ),
    "evidence not at its offsets": _change(
        "statements.jsonl", 2, lambda r: _evidence(r).update(start=_evidence(r)["start"] + 1)
    ),
    "evidence offsets outside": _change(
        "statements.jsonl", 2, lambda r: _evidence(r).update(end=10**6)
    ),
    "evidence by text alone": _change(
        "statements.jsonl", 4, lambda r: [_evidence(r).pop(k) for k in ("start", "end")]
    ),
    "evidence text nowhere": _change(
        "statements.jsonl", 4, lambda r: _evidence(r).update(text="Not in any article at all.")
    ),
    "offsets written 3.0": _change(
        "statements.jsonl", 5, lambda r: _evidence(r).update(start=float(_evidence(r)["start"]))
    ),
    "article body changed under its evidence": _change(
        "articles.jsonl", 0, lambda r: r.update(body="Another body. " + r["body"])
    ),
    "header without title, with a section": lambda files: files["header.json"].__setitem__(
        slice(None),
        json.dumps(
            {k: v for k, v in json.loads("\n".join(files["header.json"])).items() if k != "title"}
            | {"sources": []}
        ).split("\n"),
    ),
    "modified in the year 0000": lambda files: files["header.json"].__setitem__(
        slice(None),
        json.dumps(
            json.loads("\n".join(files["header.json"])) | {"modified": "0000-01-01T00:00:00Z"}
        ).split("\n"),
    ),
    "control character and lone surrogate": _text(
        "entities.jsonl", 1, '"name":"', '"name":"\\u0007\\ud800'
    ),
    "unknown type": _change("entities.jsonl", 2, lambda r: r.update(type="persn")),
}


def _first_id_of_entities() -> str:
    return str(storyfacts.load_bundled().entities[0].id)


def test_the_seed_and_generated_corpora_are_valid_both_ways(tmp_path: Path) -> None:
    assert _same_verdict(_corpus(tmp_path, None, "seed")) == []
    assert _same_verdict(_corpus(tmp_path, generate.generate(400, 3), "generated")) == []


@pytest.fixture(params=[3, 200], ids=["batches of 3", "batches of 200"])
def batch(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> int:
    """Lines are checked in batches; small ones put records on either side of a boundary."""
    from storyfacts.streaming import corpus

    size: int = request.param
    monkeypatch.setattr(corpus, "_BATCH", size)
    return size


@pytest.mark.parametrize("name", sorted(EDITS))
def test_a_broken_corpus_gets_the_problems_loading_it_whole_gets(
    tmp_path: Path, name: str, batch: int
) -> None:
    target = _corpus(tmp_path, None)
    _edit(target, EDITS[name])
    found = _same_verdict(target)
    # Blank lines are skipped, and evidence by its text alone is placed;
    # every other edit breaks something.
    assert (found == []) == (name in ("blank lines", "evidence by text alone")), found


def test_every_break_at_once(tmp_path: Path, batch: int) -> None:
    target = _corpus(tmp_path, None)
    for name, edit in EDITS.items():
        if name not in ("blank lines", "a null line", "not JSON", "a number line"):
            _edit(target, edit)
    found = _same_verdict(target)
    codes = {p.code for p in found}
    # Each kind of check had its say in the one pass.
    assert {
        "dangling-reference",
        "wrong-reference",
        "duplicate-id",
        "duplicate-key",
        "non-finite-number",
        "evidence-mismatch",
        "required",
        "misplaced-section",
        "control-character",
        "bad-date",
    } <= codes, codes


def test_bodies_read_back_from_the_file_give_the_same_verdict(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With room for one body, every piece of evidence of another article reads its line again."""
    data = generate.generate(300, 5)
    target = _corpus(tmp_path, data)
    _edit(target, _change("statements.jsonl", 40, lambda r: _evidence(r).update(start=0)))
    monkeypatch.setattr(ArticleBodies, "CACHED", 1)
    reads: list[str] = []
    original = ArticleBodies.__getitem__

    def counted(self: ArticleBodies, article: str) -> str:
        reads.append(article)
        return original(self, article)

    monkeypatch.setattr(ArticleBodies, "__getitem__", counted)
    found = _same_verdict(target)
    assert [p.code for p in found] == ["evidence-mismatch"]
    assert reads  # the bodies did come back from the file


@pytest.mark.parametrize("seed", range(6))
def test_random_damage_gets_the_same_verdict(tmp_path: Path, seed: int, batch: int) -> None:
    """Lines of a generated corpus damaged at random: a value replaced by another record's id,
    a character dropped, a line swapped with one of another file."""
    rng = random.Random(seed)
    target = _corpus(tmp_path, generate.generate(120, seed))
    ids = [
        json.loads(line)["id"]
        for name in SECTIONS
        for line in (target / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
    ]

    def damage(files: dict[str, list[str]]) -> None:
        for _ in range(8):
            name = rng.choice([f"{s}.jsonl" for s in SECTIONS])
            lines = files[name]
            index = rng.randrange(len(lines) - 1)
            how = rng.randrange(3)
            if how == 0:
                record = json.loads(lines[index])
                key = rng.choice(sorted(record))
                record[key] = rng.choice(ids)
                lines[index] = json.dumps(record, ensure_ascii=False)
            elif how == 1 and lines[index]:
                cut = rng.randrange(len(lines[index]))
                lines[index] = lines[index][:cut] + lines[index][cut + 1 :]
            else:
                other = files[rng.choice([f"{s}.jsonl" for s in SECTIONS])]
                lines[index] = other[rng.randrange(len(other) - 1)]

    _edit(target, damage)
    _same_verdict(target)


def test_a_file_that_is_not_utf8_is_refused_either_way(tmp_path: Path) -> None:
    target = _corpus(tmp_path, None)
    path = target / "entities.jsonl"
    path.write_bytes(path.read_bytes().replace(b'"name"', b'"n\xffme"', 1))
    with pytest.raises(InputError) as streamed:
        corpus_problems(target)
    with pytest.raises(InputError) as whole:
        read_lines(target)
    assert str(streamed.value) == str(whole.value)
    assert "line 1" in str(streamed.value)


def test_the_reader_gives_back_the_loaded_records(tmp_path: Path) -> None:
    dataset = storyfacts.load(generate.generate(200, 2))
    target = dump_lines(dataset, tmp_path / "corpus")
    _edit(
        target,
        _change("statements.jsonl", 0, lambda r: [_evidence(r).pop(k) for k in ("start", "end")]),
    )
    reader = CorpusReader(target)
    assert reader.header == {
        "schema_version": dataset.schema_version,
        "id": dataset.id,
        "title": dataset.title,
        "modified": dataset.modified,
    }
    for section in SECTIONS:
        assert reader.count(section) == len(getattr(dataset, section))
        # Evidence given by its text alone is placed, as loading places it.
        assert list(reader.structured(section)) == getattr(dataset, section)
    assert next(reader.records("statements"))["evidence"][0].keys() == {"article", "text"}


def test_a_line_nested_too_deeply_is_a_problem_of_that_line(tmp_path: Path) -> None:
    target = _corpus(tmp_path, None)
    _edit(target, _line("sources.jsonl", 1, "[" * 100_000 + "]" * 100_000))
    found = _same_verdict(target)
    deep = [p for p in found if p.code == "invalid-json"]
    assert [(p.location, p.path) for p in deep] == [("sources.jsonl:2", "$.sources[1]")]
    assert "nested too deeply" in deep[0].message
