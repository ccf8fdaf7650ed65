"""The distributed export's logic in this process (scheduler="synchronous", no Dask).

tests/test_distributed.py runs the same export on a real LocalCluster (slow);
these cover the corpus-wide checks, the cut, the manifest and reruns fast.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import storyfacts
from storyfacts import distributed
from storyfacts.corpus.lines import dump_lines
from storyfacts.distributed import engine
from test_docs_examples import ROOT, examples
from test_docs_examples import run as run_example

generate = pytest.importorskip("generate").generate

SECTIONS = ("articles", "entities", "statements", "sources")


@pytest.fixture(scope="module")
def small() -> dict[str, Any]:
    # 50 stories of 4 statements.
    return generate(200, seed=5, statements_per_article=4)


def run(corpus: object, out: Path, **kwargs: Any) -> distributed.ExportReport:
    kwargs.setdefault("partitions", 4)
    kwargs.setdefault("scheduler", "synchronous")
    return distributed.export(corpus, ["json", "csv"], out, **kwargs)


def test_parts_are_single_process_exports_of_the_partitions(
    small: dict[str, Any], tmp_path: Path
) -> None:
    report = run(small, tmp_path / "out")
    cut = distributed.plan(distributed.read_corpus(small), 4)
    assert len(report.written) == 2 * len(cut.indices)
    for partition in cut.partitions():
        alone = tmp_path / f"alone-{partition.index}.json"
        storyfacts.export(storyfacts.load(partition.payload), "json", alone)
        part = tmp_path / "out" / distributed.part_name(partition.index, "json")
        assert part.read_bytes() == alone.read_bytes()
    owned = dict.fromkeys(SECTIONS, 0)
    for partition in cut.partitions():
        for section in SECTIONS:
            owned[section] += partition.owned[section]
    assert owned == {section: len(small[section]) for section in SECTIONS}


def test_the_cut_is_by_article_and_stable(small: dict[str, Any]) -> None:
    cut = distributed.plan(distributed.read_corpus(small), 4)
    articles = [a["id"] for a in small["articles"]]
    placed = {a: p.index for p in cut.partitions() for a in p.articles}
    assert placed == {a: distributed.bucket_of(a, 4) for a in articles}
    # The first 8 bytes of the id's sha256, modulo the count: the same on
    # every machine and Python version (str hashes are salted per process).
    assert distributed.bucket_of("article-0", 1000) == 555


def test_empty_buckets_make_no_part(seed_data: dict[str, Any], tmp_path: Path) -> None:
    """The seed has one article: of 8 buckets, one is filled, and it holds the whole story."""
    report = run(seed_data, tmp_path / "out", partitions=8)
    index = distributed.bucket_of(seed_data["articles"][0]["id"], 8)
    assert report.written == [f"csv/part-{index:05d}", f"json/part-{index:05d}.json"]
    part = json.loads((tmp_path / "out" / f"json/part-{index:05d}.json").read_text("utf-8"))
    assert {s: len(part[s]) for s in SECTIONS} == {s: len(seed_data[s]) for s in SECTIONS}


def test_corpus_wide_problems_are_named_by_line_and_nothing_is_exported(
    small: dict[str, Any], tmp_path: Path
) -> None:
    data = json.loads(json.dumps(small))
    data["entities"].append(data["entities"][3])
    data["articles"][4]["publisher"] = "nobody-at-all"
    corpus = tmp_path / "corpus"
    # Written by hand: dump_lines would (rightly) refuse the data.
    corpus.mkdir()
    (corpus / "header.json").write_text(
        json.dumps({k: v for k, v in data.items() if k not in SECTIONS}), encoding="utf-8"
    )
    for section in SECTIONS:
        lines = "".join(json.dumps(r) + "\n" for r in data[section])
        (corpus / f"{section}.jsonl").write_text(lines, encoding="utf-8")
    with pytest.raises(storyfacts.InvalidDatasetError) as caught:
        run(corpus, tmp_path / "out")
    shown = [str(problem) for problem in caught.value.problems]
    taken, last = data["entities"][3]["id"], len(data["entities"])
    assert shown == [
        f"entities.jsonl:{last} ($.entities[{last - 1}].id): The id {taken!r} is taken by "
        "entities.jsonl:4; ids are unique across the corpus.",
        "articles.jsonl:5 ($.articles[4]): No record in the corpus has the id 'nobody-at-all'.",
    ]
    assert not (tmp_path / "out").exists()


def test_an_invalid_partition_is_reported_by_partition(
    small: dict[str, Any], tmp_path: Path
) -> None:
    data = json.loads(json.dumps(small))
    data["statements"][0]["confidence"] = "very"
    bad = distributed.bucket_of(data["statements"][0]["evidence"][0]["article"], 4)
    with pytest.raises(distributed.DistributedExportError) as caught:
        run(data, tmp_path / "out")
    assert list(caught.value.failures) == [bad]
    assert "not valid" in caught.value.failures[bad]
    assert "confidence" in caught.value.failures[bad]
    listed = json.loads((tmp_path / "out" / "manifest.json").read_text("utf-8"))
    assert [e["parts"] for e in listed["partitions"] if e["index"] == bad] == [[]]
    assert all(e["parts"] for e in listed["partitions"] if e["index"] != bad)


def test_a_rerun_after_a_change_exports_only_what_changed(
    small: dict[str, Any], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    first = run(small, out)
    again = run(small, out)
    assert again.written == [] and again.skipped == first.written
    data = json.loads(json.dumps(small))
    article = data["articles"][5]
    article["headline"] += " (updated)"
    changed = distributed.bucket_of(article["id"], 4)
    cut = distributed.plan(distributed.read_corpus(data), 4)
    # The article is held by its own partition and by any that cites it as evidence.
    holding = sorted(p.index for p in cut.partitions() if article["id"] in p.payload.decode())
    assert changed in holding
    third = run(data, out)
    assert third.written == sorted(
        distributed.part_name(i, f) for i in holding for f in ("csv", "json")
    )
    # A new option, or another partition count, makes every part new; parts of
    # partitions that no longer exist are removed.
    fourth = run(data, out, partitions=2)
    assert fourth.skipped == []
    assert sorted(p.name for p in (out / "json").iterdir()) == [
        f"part-{i:05d}.json" for i in distributed.plan(distributed.read_corpus(data), 2).indices
    ]


def test_a_json_lines_corpus_and_its_json_file_give_the_same_parts(
    small: dict[str, Any], tmp_path: Path
) -> None:
    corpus = dump_lines(small, tmp_path / "corpus")
    # The file as storyfacts writes it, as dump_lines does: the same records,
    # with the same keys in the same order, so the same partition bytes.
    (tmp_path / "corpus.json").write_text(storyfacts.dumps(storyfacts.load(small)), "utf-8")
    run(corpus, tmp_path / "a")
    run(tmp_path / "corpus.json", tmp_path / "b")
    a = (tmp_path / "a" / "manifest.json").read_bytes()
    assert a == (tmp_path / "b" / "manifest.json").read_bytes()
    assert len(json.loads(a)["partitions"]) == 4


def test_without_dask_a_dask_scheduler_says_what_to_install(
    small: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine.importlib.util, "find_spec", lambda name: None)
    for scheduler in ("processes", "distributed", "tcp://127.0.0.1:8786"):
        with pytest.raises(storyfacts.StoryfactsError, match=r"pip install 'storyfacts\[dask\]'"):
            run(small, tmp_path / "out", scheduler=scheduler)
    assert not (tmp_path / "out").exists()


def test_bad_arguments_are_refused_before_any_work(small: dict[str, Any], tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="Unknown scheduler 'threads'"):
        run(small, tmp_path / "out", scheduler="threads")
    with pytest.raises(storyfacts.UnknownFormatError):
        distributed.export(small, "nope", tmp_path / "out", scheduler="synchronous")
    with pytest.raises(storyfacts.OptionError):
        distributed.export(
            small, "json", tmp_path / "out", scheduler="synchronous", options={"json": {"x": "1"}}
        )
    (tmp_path / "file").write_text("", encoding="utf-8")
    with pytest.raises(storyfacts.InputError, match="not a directory"):
        run(small, tmp_path / "file")
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_the_local_process_pool_writes_the_same_parts(
    small: dict[str, Any], tmp_path: Path
) -> None:
    pytest.importorskip("dask")
    run(small, tmp_path / "sync")
    report = run(small, tmp_path / "pool", scheduler="processes", workers=2)
    assert report.written
    for name in report.written:
        assert distributed.checksum(tmp_path / "pool" / name) == distributed.checksum(
            tmp_path / "sync" / name
        )


def test_the_guide_example_prints_what_it_shows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, output = examples(ROOT / "docs" / "scaling.md")[0]
    assert run_example(code, {}) == output
    assert (tmp_path / "parts" / "json" / "part-00000.json").is_file()


def test_the_local_schedulers_retry_a_failed_partition(
    small: dict[str, Any], tmp_path: Path
) -> None:
    """The driver retries on the local schedulers, which have no retries of their own."""
    import distributed_flaky

    markers = tmp_path / "markers"
    markers.mkdir()
    distributed_flaky.install(str(markers), fail_times=1)
    try:
        report = distributed.export(
            small, "flaky", tmp_path / "out", scheduler="synchronous", partitions=2
        )
        assert report.written == ["flaky/part-00000.txt", "flaky/part-00001.txt"]
        assert sorted(m.name.rpartition("-")[2] for m in markers.iterdir()) == ["0", "0", "1", "1"]
        (tmp_path / "fresh").mkdir()
        distributed_flaky.install(str(tmp_path / "fresh"), fail_times=1)
        with pytest.raises(distributed.DistributedExportError) as caught:
            distributed.export(
                small, "flaky", tmp_path / "again", scheduler="synchronous", partitions=2, retries=0
            )
        assert sorted(caught.value.failures) == [0, 1]
        assert "ExportError" in caught.value.failures[0]
        assert "flaky failure, try 1" in caught.value.failures[0]
    finally:
        distributed_flaky.uninstall()
