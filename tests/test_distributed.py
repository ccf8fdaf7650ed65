"""Distributed export on a real Dask LocalCluster: two worker processes, 3,000 generated stories.

Each part must be, byte for byte, what a single-process ``storyfacts.export``
of the same partition writes; the parts together must hold every record of
the corpus, each owned by exactly one partition; a failing partition is
retried by Dask and reported by partition when it keeps failing; a rerun
skips the parts whose checksum is still right.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import storyfacts
from storyfacts import distributed, plugins
from storyfacts.corpus.lines import dump_lines

distributed_ = pytest.importorskip("distributed")
generate = pytest.importorskip("generate").generate

import distributed_flaky  # noqa: E402  (after the skip: it is only for these tests)

# Starting the cluster and exporting 6,000 statements to three formats twice
# (on the cluster, then partition by partition here) takes about 30 s on two
# shared cores; tests/test_distributed_partitions.py covers the same logic
# in this process, in the fast subset.
pytestmark = pytest.mark.slow

PARTITIONS = 6
FORMATS = ["csv", "json", "ics"]
SECTIONS = ("articles", "entities", "statements", "sources")


@pytest.fixture(scope="module")
def corpus_data() -> dict[str, Any]:
    # 3,000 stories of 2 statements each, sharing 3,000 entities and 120 sources.
    return generate(6000, seed=3, statements_per_article=2)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory, corpus_data: dict[str, Any]) -> Path:
    return dump_lines(corpus_data, tmp_path_factory.mktemp("corpus") / "corpus")


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    with (
        distributed_.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster,
        distributed_.Client(cluster) as client,
    ):
        assert len(client.scheduler_info()["workers"]) == 2
        yield client


@pytest.fixture(scope="module")
def exported(
    tmp_path_factory: pytest.TempPathFactory, corpus: Path, client: Any
) -> tuple[Path, distributed.ExportReport]:
    out = tmp_path_factory.mktemp("out") / "parts"
    report = distributed.export(corpus, FORMATS, out, client=client, partitions=PARTITIONS)
    return out, report


def manifest(out: Path) -> dict[str, Any]:
    found: dict[str, Any] = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return found


def tree(path: Path) -> dict[str, bytes]:
    """A part's bytes: the file's, or each file's in a directory by relative path."""
    if path.is_file():
        return {"": path.read_bytes()}
    return {f.relative_to(path).as_posix(): f.read_bytes() for f in path.rglob("*") if f.is_file()}


def test_each_part_equals_a_single_process_export_of_its_partition(
    exported: tuple[Path, distributed.ExportReport], corpus: Path, tmp_path: Path
) -> None:
    out, report = exported
    cut = distributed.plan(distributed.read_corpus(corpus), PARTITIONS)
    assert len(cut.indices) == PARTITIONS  # 3,000 articles fill every bucket
    listed = {entry["index"]: entry for entry in manifest(out)["partitions"]}
    assert sorted(listed) == sorted(cut.indices)
    compared = 0
    for partition in cut.partitions():
        dataset = storyfacts.load(partition.payload)
        assert listed[partition.index]["input_sha256"] == partition.sha256
        parts = {part["format"]: part for part in listed[partition.index]["parts"]}
        assert sorted(parts) == sorted(FORMATS)
        for name in FORMATS:
            alone = tmp_path / f"{partition.index}-{name}"
            storyfacts.export(dataset, name, alone)
            part = out / parts[name]["path"]
            assert parts[name]["path"] == distributed.part_name(partition.index, name)
            assert tree(part) == tree(alone), parts[name]["path"]
            assert parts[name]["sha256"] == distributed.checksum(alone)
            compared += 1
    assert compared == PARTITIONS * len(FORMATS)
    assert len(report.written) == compared and report.skipped == []


def test_the_parts_hold_every_record_once(
    exported: tuple[Path, distributed.ExportReport], corpus_data: dict[str, Any]
) -> None:
    out, _ = exported
    listed = manifest(out)
    corpus = {r["id"]: (s, r) for s in SECTIONS for r in corpus_data[s]}
    owner_of_article: dict[str, int] = {}
    for entry in listed["partitions"]:
        for article in entry["articles"]:
            assert article not in owner_of_article, f"{article} is in two partitions"
            owner_of_article[article] = entry["index"]
    assert sorted(owner_of_article) == sorted(r["id"] for r in corpus_data["articles"])

    seen: set[str] = set()
    for entry in listed["partitions"]:
        [part] = [p for p in entry["parts"] if p["format"] == "json"]
        data = json.loads((out / part["path"]).read_text(encoding="utf-8"))
        held = {s: [r["id"] for r in data[s]] for s in SECTIONS}
        assert {s: len(ids) for s, ids in held.items()} == entry["records"]
        own = set(entry["articles"])
        for section in SECTIONS:
            for record in data[section]:
                original_section, original = corpus[record["id"]]
                assert section == original_section
                seen.add(record["id"])
                evidence = original.get("evidence") or []
                if section != "entities" or not evidence or evidence[0]["article"] in own:
                    assert record == original, record["id"]
                else:  # a shared entity owned elsewhere keeps only this partition's evidence
                    assert record.get("evidence", []) == [
                        e for e in evidence if e["article"] in own
                    ]
                    assert {k: v for k, v in record.items() if k != "evidence"} == {
                        k: v for k, v in original.items() if k != "evidence"
                    }
        # Every record with evidence is held by the partition that owns its first article.
        for section in ("entities", "statements"):
            owned_here = [
                r["id"]
                for r in corpus_data[section]
                if r.get("evidence") and r["evidence"][0]["article"] in own
            ]
            assert set(owned_here) <= set(held[section])
    assert seen == set(corpus)
    owned = {s: sum(entry["owned"][s] for entry in listed["partitions"]) for s in SECTIONS}
    assert owned == {s: len(corpus_data[s]) for s in SECTIONS} == listed["corpus"]["records"]


def test_a_rerun_skips_parts_whose_checksum_is_right(
    exported: tuple[Path, distributed.ExportReport], corpus: Path, client: Any
) -> None:
    out, first = exported
    before = (out / "manifest.json").read_bytes()
    stamps = {name: (out / name).stat().st_mtime_ns for name in first.written}
    again = distributed.export(corpus, FORMATS, out, client=client, partitions=PARTITIONS)
    assert again.written == []
    assert again.skipped == first.written
    assert {name: (out / name).stat().st_mtime_ns for name in first.written} == stamps
    assert (out / "manifest.json").read_bytes() == before

    spoilt = distributed.part_name(2, "json")
    (out / spoilt).write_text("{}", encoding="utf-8")
    third = distributed.export(corpus, FORMATS, out, client=client, partitions=PARTITIONS)
    assert third.written == [spoilt]
    assert (out / "manifest.json").read_bytes() == before


class Flaky:
    """The ``flaky`` exporter, installed here and in every worker process of the cluster."""

    def __init__(self, markers: Path, client: Any) -> None:
        self.markers = markers
        self.client = client

    def install(self, fail_times: int, always_for: str = "") -> None:
        args = (str(self.markers), fail_times, always_for)
        assert set(self.client.run(distributed_flaky.install, *args).values()) == {"installed"}
        distributed_flaky.install(*args)

    def tries(self, article: str | None = None) -> list[str]:
        """Tries made (as KEY-TRY) by every dataset, or by those holding ``article``."""
        return sorted(
            m.name
            for m in self.markers.iterdir()
            if article is None or article in m.read_text(encoding="utf-8").split(",")
        )


@pytest.fixture
def flaky(tmp_path: Path, client: Any) -> Iterator[Flaky]:
    markers = tmp_path / "markers"
    markers.mkdir()
    yield Flaky(markers, client)
    client.run(distributed_flaky.uninstall)
    plugins.unregister("flaky")


def test_a_failed_partition_is_retried_by_dask(
    flaky: Flaky, corpus: Path, client: Any, tmp_path: Path
) -> None:
    flaky.install(fail_times=1)
    report = distributed.export(corpus, "flaky", tmp_path / "out", client=client, partitions=3)
    assert report.written == [f"flaky/part-{i:05d}.txt" for i in range(3)]
    # Each partition failed once and succeeded on Dask's retry.
    tries = sorted(name.rpartition("-")[2] for name in flaky.tries())
    assert tries == ["0", "0", "0", "1", "1", "1"]


def test_a_partition_that_keeps_failing_is_reported_by_partition(
    flaky: Flaky, corpus: Path, client: Any, tmp_path: Path
) -> None:
    flaky.install(fail_times=0, always_for="article-7")
    out = tmp_path / "out"
    with pytest.raises(distributed.DistributedExportError) as caught:
        distributed.export(corpus, "flaky", out, client=client, partitions=3, retries=2)
    bad = distributed.bucket_of("article-7", 3)
    assert list(caught.value.failures) == [bad]
    assert "flaky failure, try 3" in caught.value.failures[bad]
    assert f"partition {bad:05d}: " in str(caught.value)
    # Tried three times (once, then two retries); the others once each.
    assert len(flaky.tries("article-7")) == 3
    assert len(flaky.tries()) == 3 + 2
    # The manifest lists what was written, so a rerun does only the failed partition.
    listed = {e["index"]: [p["path"] for p in e["parts"]] for e in manifest(out)["partitions"]}
    assert listed == {i: [] if i == bad else [f"flaky/part-{i:05d}.txt"] for i in range(3)}
    flaky.install(fail_times=0)
    rerun = distributed.export(corpus, "flaky", out, client=client, partitions=3)
    assert rerun.written == [f"flaky/part-{bad:05d}.txt"]
    assert len(rerun.skipped) == 2
