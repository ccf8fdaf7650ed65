"""Merging datasets into a corpus and splitting it back into one dataset per story."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import generate  # benchmarks/generate.py, on the path through pytest's pythonpath
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import storyfacts
from conftest import RunCli
from storyfacts.corpus import MergeError, merge_report
from storyfacts.corpus.lines import dump_lines
from storyfacts.corpus.merging import _union
from storyfacts.corpus.records import ids_named, records, renamed

SECTIONS = ("articles", "entities", "statements", "sources")


def _records(dataset: storyfacts.Dataset) -> dict[str, dict[str, Any]]:
    """Each section's records by id: what a merge must give back, whatever their order."""
    data = storyfacts.dump(dataset)
    return {s: {r["id"]: r for r in data[s]} for s in SECTIONS}


def _header(dataset: storyfacts.Dataset) -> tuple[str, ...]:
    return (dataset.schema_version, dataset.id, dataset.title, dataset.modified)


def _renamed_copy(data: dict[str, Any], prefix: str) -> dict[str, Any]:
    """Another story of the same people: the dataset with every id (and every reference to
    one) given a prefix, but for sources and for entities without a Wikidata id, which
    keep theirs."""
    out = copy.deepcopy(data)
    new_ids = {
        r["id"]: f"{prefix}-{r['id']}"
        for section, _, r in records(out)
        if section in ("articles", "statements") or r.get("wikidata")
    }
    for section, _, record in records(out):
        renamed(section, record, new_ids)
        record["id"] = new_ids.get(record["id"], record["id"])
    out["id"] = f"{prefix}-{out['id']}"
    return out


def _entity(data: dict[str, Any], entity_id: str) -> dict[str, Any]:
    found: dict[str, Any] = next(e for e in data["entities"] if e["id"] == entity_id)
    return found


def _check_split(corpus: storyfacts.Dataset) -> None:
    parts = storyfacts.split(corpus)
    assert list(parts) == [a.id for a in corpus.articles]
    held: set[str] = set()
    entities = {e.id: e for e in corpus.entities}
    for article, part in parts.items():
        for entity in part.entities:
            whole = entities[entity.id]
            if whole.evidence and whole.evidence[0].article == article:
                assert entity == whole  # its owner's story keeps every piece of evidence
            else:
                assert {x.article for x in entity.evidence or []} <= {article}
        assert storyfacts.validate(part) == [], article
        assert article in {a.id for a in part.articles}
        assert _header(part) == _header(corpus)
        held |= {r.id for r in part.records()}
    assert held == {r.id for r in corpus.records()}
    merged = storyfacts.merge(*parts.values())
    assert _header(merged) == _header(corpus)
    assert _records(merged) == _records(corpus)


def test_the_seed_splits_into_itself_and_merges_back_equal(bundled: storyfacts.Dataset) -> None:
    """One article: its story is the whole dataset, and merging gives the very same Dataset."""
    parts = storyfacts.split(bundled)
    assert list(parts) == ["itg-1135067"]
    assert parts["itg-1135067"] == bundled
    assert storyfacts.merge(*parts.values()) == bundled


@settings(max_examples=12, deadline=None)
@given(st.integers(min_value=1, max_value=160), st.integers(min_value=0, max_value=10_000))
def test_generated_corpora_split_into_closed_stories_that_merge_back(size: int, seed: int) -> None:
    """Every story validates alone, nothing is lost, and merging gives back every record."""
    _check_split(storyfacts.load(generate.generate(size, seed)))


def test_a_story_holds_only_its_own_evidence_of_a_shared_entity() -> None:
    """A shared entity brings no other story's article along; its owner keeps all its evidence."""
    corpus = storyfacts.load(generate.generate(200, 1))
    parts = storyfacts.split(corpus)
    assert len(parts) == 8
    assert all(len(p.articles) == 1 for p in parts.values())
    borrowed = [
        e.id
        for article, part in parts.items()
        for e in part.entities
        if e.evidence is None or e.evidence[0].article != article
    ]
    assert borrowed  # so that _check_split's check of them is not vacuous
    _check_split(corpus)


def test_two_stories_sharing_entities_by_wikidata_merge_and_split(
    seed_data: dict[str, Any],
) -> None:
    """The seed and a copy under other ids: entities with a Wikidata id are joined, ids kept."""
    other = _renamed_copy(seed_data, "b")
    report = merge_report(seed_data, other, names=["a.json", "b.json"])
    corpus = report.dataset
    with_wikidata = [e for e in seed_data["entities"] if e.get("wikidata")]
    assert len(corpus.articles) == 2
    assert [e.id for e in corpus.entities] == [e["id"] for e in seed_data["entities"]]
    assert len(report.notes) == len(with_wikidata)
    note = next(n for n in report.notes if "'b-putin'" in n.message)
    assert note.code == "merge-same-as" and note.location == "b.json"
    assert "'putin'" in note.message and "a.json" in note.message and "Q7747" in note.message
    quotes = [s for s in corpus.statements if s.id.startswith("b-") and s.type == "quote"]
    assert {q.speaker for q in quotes} & {"putin", "xi"}  # references rewritten to the kept ids
    assert not any(getattr(q, "speaker", "").startswith("b-putin") for q in quotes)
    putin = next(e for e in corpus.entities if e.id == "putin")
    assert {x.article for x in putin.evidence or []} == {"itg-1135067", "b-itg-1135067"}
    _check_split(corpus)


def _two(seed_data: dict[str, Any], change: dict[str, Any]) -> tuple[dict[str, Any], ...]:
    other = copy.deepcopy(seed_data)
    _entity(other, "ioc").update(change)
    return seed_data, other


def test_two_descriptions_fail_the_merge_naming_record_and_datasets(
    seed_data: dict[str, Any],
) -> None:
    """A conflict is a problem by record: its id, the field, both values, both datasets."""
    one, two = _two(seed_data, {"description": "Another description", "name": "The IOC"})
    with pytest.raises(MergeError) as caught:
        storyfacts.merge(one, two, names=["a.json", "b.json"])
    problems = caught.value.problems
    assert [p.code for p in problems] == ["merge-conflict", "merge-conflict"]
    index = [e["id"] for e in seed_data["entities"]].index("ioc")
    assert {p.path for p in problems} == {
        f"$.entities[{index}].description",
        f"$.entities[{index}].name",
    }
    message = next(p.message for p in problems if p.path.endswith("description"))
    assert "'ioc'" in message and "a.json and b.json" in message
    assert "'Another description'" in message
    assert all(p.location == "b.json" for p in problems)
    assert "do not merge: 2 problems" in str(caught.value)


def test_keeping_the_first_keeps_both_names_and_says_what_it_kept(
    seed_data: dict[str, Any],
) -> None:
    one, two = _two(seed_data, {"description": "Another description", "name": "The IOC"})
    report = merge_report(one, two, conflicts="first")
    ioc = next(e for e in report.dataset.entities if e.id == "ioc")
    original = _entity(seed_data, "ioc")
    assert ioc.name == original["name"] and ioc.description == original["description"]
    assert ioc.aliases == [*original["aliases"], "The IOC"]
    assert sorted(n.code for n in report.notes) == ["merge-kept-first", "merge-kept-first"]
    assert any("'Another description'" in n.message for n in report.notes)


def test_lists_are_unioned_and_a_confirmed_side_drops_the_draft_mark(
    seed_data: dict[str, Any],
) -> None:
    one = copy.deepcopy(seed_data)
    _entity(one, "putin")["draft"] = {"rule": "names", "confidence": 0.5}
    one, two = _two(one, {})
    _entity(two, "putin").pop("draft")
    _entity(two, "putin").update(aliases=["Vladimir Putin", "Putin"], roles=["Head of state"])
    putin = next(e for e in storyfacts.merge(one, two).entities if e.id == "putin")
    assert putin.aliases == ["Vladimir Putin", "Putin"]  # both sides' order: before "Putin"
    assert putin.roles == ["President of Russia", "Head of state"]
    assert putin.draft is None


def test_merging_one_dataset_or_the_same_twice_gives_it_back(bundled: storyfacts.Dataset) -> None:
    assert storyfacts.merge(bundled) == bundled
    report = merge_report(bundled, storyfacts.load_bundled())
    assert report.dataset == bundled and report.notes == []


def test_union_puts_a_part_back_in_the_order_of_the_whole() -> None:
    assert _union([2], [1, 2, 3]) == [1, 2, 3]
    assert _union([1, 3], [1, 2, 3, 4]) == [1, 2, 3, 4]
    assert _union(["a", "b"], ["c"]) == ["a", "b", "c"]
    assert _union([], ["x", "x"]) == ["x"]
    assert _union(["a", "b"], ["c", "a", "d"]) == ["c", "a", "d", "b"]


def _story(seed_data: dict[str, Any], **sections: list[dict[str, Any]]) -> dict[str, Any]:
    """A small dataset: the seed's article with what it refers to, and the records given."""
    out = {k: v for k, v in seed_data.items() if k not in SECTIONS}
    out.update(articles=copy.deepcopy(seed_data["articles"]), statements=[])
    article = seed_data["articles"][0]
    needed = set(ids_named("articles", article))
    for section in ("entities", "sources"):
        out[section] = [copy.deepcopy(r) for r in seed_data[section] if r["id"] in needed]
    for section, added in sections.items():
        replaced = {r["id"] for r in added}
        out[section] = [*(r for r in out[section] if r["id"] not in replaced), *added]
    assert storyfacts.validate(out) == []
    return out


@pytest.mark.parametrize("conflicts", ["fail", "first"])
def test_collisions_fail_whatever_the_policy(seed_data: dict[str, Any], conflicts: Any) -> None:
    """Two kinds under one id, or a statement or source that differs, cannot keep both sides."""
    statement = copy.deepcopy(seed_data["statements"][0])
    statement.update(summary="Something else.", type="relation", subject="ioc")
    statement.update(relation="member_of", object="ioc")
    for field in ("text", "speaker", "reported_by", "medium", "about", "date", "sources"):
        statement.pop(field, None)
    other = _story(
        seed_data,
        entities=[{"id": "ioc", "type": "place", "name": "IOC"}],
        statements=[statement],
        sources=[{**seed_data["sources"][0], "title": "Another title"}],
    )
    with pytest.raises(MergeError) as caught:
        storyfacts.merge(seed_data, other, conflicts=conflicts)
    problems = caught.value.problems
    assert [p.code for p in problems] == ["merge-collision"] * 3
    messages = " ".join(p.message for p in problems)
    assert "'ioc' names a organization in #1 and a place in #2" in messages
    assert f"{statement['id']!r} names a quote in #1 and a relation in #2" in messages
    assert "differs between #1 and #2 (in title)" in messages


def test_a_statement_that_differs_is_a_collision(seed_data: dict[str, Any]) -> None:
    other = copy.deepcopy(seed_data)
    other["statements"][0]["summary"] = "Something else."
    with pytest.raises(MergeError) as caught:
        storyfacts.merge(seed_data, other, conflicts="first")
    [problem] = caught.value.problems
    assert problem.path == "$.statements[0]" and problem.location == "#2"
    assert problem.message.endswith("(in summary); a quote must be the same record everywhere.")


def test_an_id_in_two_sections_is_a_collision(seed_data: dict[str, Any]) -> None:
    """A source in one dataset under the id of an entity in another cannot be joined."""
    other = _story(seed_data, sources=[{"id": "putin", "title": "A source"}])
    with pytest.raises(MergeError) as caught:
        storyfacts.merge(seed_data, other)
    [problem] = caught.value.problems
    assert problem.code == "merge-collision" and problem.path.startswith("$.sources[")
    assert problem.message.startswith("Id 'putin' names a person in #1 and a source in #2")


def test_merge_takes_the_header_of_the_first_and_the_latest_modified(
    seed_data: dict[str, Any],
) -> None:
    other = _renamed_copy(seed_data, "b")
    other["modified"] = "2030-01-01T00:00:00Z"
    corpus = storyfacts.merge(seed_data, other)
    assert (corpus.id, corpus.title, corpus.modified) == (
        seed_data["id"],
        seed_data["title"],
        "2030-01-01T00:00:00Z",
    )
    named = storyfacts.merge(seed_data, other, id="corpus", title="Corpus")
    assert (named.id, named.title) == ("corpus", "Corpus")


def test_merge_and_split_on_the_command_line(
    run_cli: RunCli, tmp_path: Path, seed_data: dict[str, Any]
) -> None:
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    a.write_text(json.dumps(seed_data), encoding="utf-8")
    b.write_text(json.dumps(_renamed_copy(seed_data, "b")), encoding="utf-8")
    code, _, err = run_cli("merge", str(a), str(b), "-o", str(tmp_path / "corpus.json"))
    assert code == 0, err
    assert err.count("note:") == sum(1 for e in seed_data["entities"] if e.get("wikidata"))
    corpus = storyfacts.load(tmp_path / "corpus.json")
    code, _, err = run_cli("split", str(tmp_path / "corpus.json"), "-o", str(tmp_path / "parts"))
    assert code == 0, err
    files = sorted((tmp_path / "parts").iterdir())
    assert [f.name for f in files] == ["b-itg-1135067.json", "itg-1135067.json"]
    assert all(storyfacts.validate(f) == [] for f in files)
    code, _, err = run_cli("merge", *map(str, files), "-o", str(tmp_path / "again.json"))
    assert code == 0, err
    assert _records(storyfacts.load(tmp_path / "again.json")) == _records(corpus)


def test_a_conflicting_merge_writes_nothing_and_exits_1(
    run_cli: RunCli, tmp_path: Path, seed_data: dict[str, Any]
) -> None:
    one, two = _two(seed_data, {"description": "Another description"})
    a, b, out = tmp_path / "a.json", tmp_path / "b.json", tmp_path / "corpus.json"
    a.write_text(json.dumps(one), encoding="utf-8")
    b.write_text(json.dumps(two), encoding="utf-8")
    out.write_text("kept", encoding="utf-8")
    code, _, err = run_cli("merge", str(a), str(b), "-o", str(out))
    assert code == 1
    assert "do not merge: 1 problem" in err and f"{b} ($.entities[" in err
    assert "Traceback" not in err
    assert out.read_text(encoding="utf-8") == "kept"
    code, _, err = run_cli("merge", str(a), str(b), "-o", str(out), "--keep-first")
    assert code == 0 and "note:" in err and "kept" in err
    assert storyfacts.validate(out) == []


def test_corpus_page_examples_print_what_they_show() -> None:
    """Each example of docs/corpus.md, run in order, prints exactly its output block."""
    from test_docs_examples import ROOT, examples, run

    found = examples(ROOT / "docs" / "corpus.md")
    assert len(found) == 3
    namespace: dict[str, object] = {}
    for code, output in found:
        assert output is not None, f"no output shown under:\n{code}"
        assert run(code, namespace) == output


# A corpus as JSON Lines ----------------------------------------------------


def test_a_json_lines_corpus_loads_as_the_same_dataset(tmp_path: Path) -> None:
    """dump_lines then load gives the Dataset that loading the JSON gives, for the seed and more."""
    for dataset in (storyfacts.load_bundled(), storyfacts.load(generate.generate(300, 4))):
        target = dump_lines(dataset, tmp_path / dataset.id)
        names = sorted(p.name for p in target.iterdir())
        assert names == sorted(["header.json", *(f"{s}.jsonl" for s in SECTIONS)])
        assert storyfacts.validate(target) == []
        assert storyfacts.load(target) == dataset
        lines = (target / "statements.jsonl").read_text(encoding="utf-8").splitlines()
        assert len(lines) == len(dataset.statements)
        assert json.loads(lines[0])["id"] == dataset.statements[0].id


def test_json_lines_problems_are_named_by_file_and_line(tmp_path: Path) -> None:
    target = dump_lines(storyfacts.load_bundled(), tmp_path / "corpus")
    entities = (target / "entities.jsonl").read_text(encoding="utf-8").split("\n")
    entities[3] = entities[3].replace('"name"', '"nom"')
    entities.insert(5, "")  # a blank line is skipped, and later lines keep their numbers
    entities[7] = "{not json"
    (target / "entities.jsonl").write_text("\n".join(entities), encoding="utf-8")
    header = json.loads((target / "header.json").read_text(encoding="utf-8"))
    del header["title"]
    header["sources"] = []
    (target / "header.json").write_text(json.dumps(header), encoding="utf-8")
    found = {(p.location, p.path, p.code) for p in storyfacts.validate(target)}
    assert ("entities.jsonl:4", "$.entities[3].name", "required") in found
    assert ("entities.jsonl:8", "$.entities[6]", "invalid-json") in found
    assert ("header.json", "$.title", "required") in found
    assert ("header.json", "$.sources", "misplaced-section") in found
    with pytest.raises(storyfacts.InvalidDatasetError) as caught:
        storyfacts.load(target)
    assert "entities.jsonl:4 ($.entities[3].name)" in str(caught.value)


def test_a_missing_section_file_is_an_empty_section(tmp_path: Path) -> None:
    target = dump_lines(storyfacts.load_bundled(), tmp_path / "corpus")
    (target / "statements.jsonl").unlink()
    assert storyfacts.load(target).statements == []


def test_merge_writes_json_lines_to_a_directory(
    run_cli: RunCli, tmp_path: Path, seed_data: dict[str, Any]
) -> None:
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    a.write_text(json.dumps(seed_data), encoding="utf-8")
    b.write_text(json.dumps(_renamed_copy(seed_data, "b")), encoding="utf-8")
    assert run_cli("merge", str(a), str(b), "-o", str(tmp_path / "corpus.json"))[0] == 0
    code, _, err = run_cli("merge", str(a), str(b), "-o", str(tmp_path / "corpus"))
    assert code == 0, err
    assert storyfacts.load(tmp_path / "corpus") == storyfacts.load(tmp_path / "corpus.json")
    code, out, _ = run_cli("validate", str(tmp_path / "corpus"))
    assert code == 0 and out.endswith(": valid\n")
    code, _, err = run_cli("split", str(tmp_path / "corpus"), "-o", str(tmp_path / "parts"))
    assert code == 0, err
    assert len(list((tmp_path / "parts").iterdir())) == 2


def test_a_corpus_without_articles_is_refused_by_split(
    run_cli: RunCli, tmp_path: Path, seed_data: dict[str, Any]
) -> None:
    """Entities alone make a valid dataset, but no story to split by: one sentence, exit 1."""
    seed_data.update(articles=[], statements=[])
    seed_data["entities"] = [e for e in seed_data["entities"] if e["id"] != "insidethegames"]
    for entity in seed_data["entities"]:
        entity.pop("evidence", None)
    path = tmp_path / "entities.json"
    path.write_text(json.dumps(seed_data), encoding="utf-8")
    with pytest.raises(ValueError, match="no article"):
        storyfacts.split(path)
    code, _, err = run_cli("split", str(path), "-o", str(tmp_path / "parts"))
    assert code == 1 and "no article cannot be split" in err and "Traceback" not in err
    assert not (tmp_path / "parts").exists()
