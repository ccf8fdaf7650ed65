"""storyfacts export CORPUS -f ... -o DIR --scheduler ...: the distributed export, in a shell."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import storyfacts
from conftest import RunCli
from storyfacts import distributed
from storyfacts.corpus.lines import dump_lines

generate = pytest.importorskip("generate").generate


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = generate(120, seed=2, statements_per_article=3)
    return dump_lines(data, tmp_path_factory.mktemp("corpus") / "corpus")


def test_export_with_a_scheduler_writes_parts_and_a_manifest(
    run_cli: RunCli, corpus: Path, tmp_path: Path
) -> None:
    out = tmp_path / "parts"
    args = ("export", str(corpus), "-f", "csv,JSON", "-o", str(out), "--partitions", "3")
    code, printed, err = run_cli(*args, "--scheduler", "synchronous")
    assert (code, err) == (0, "")
    cut = distributed.plan(distributed.read_corpus(corpus), 3)
    parts = [distributed.part_name(i, f) for f in ("csv", "json") for i in cut.indices]
    assert printed.splitlines() == [
        *(str(out / name) for name in sorted(parts)),
        f"{len(parts)} parts written, 0 up to date; manifest: {out / 'manifest.json'}",
    ]
    listed = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert sorted(p["path"] for e in listed["partitions"] for p in e["parts"]) == sorted(parts)
    # Run again: every part is up to date.
    code, printed, _ = run_cli(*args, "--scheduler", "synchronous")
    assert code == 0
    assert (
        printed == f"0 parts written, {len(parts)} up to date; manifest: {out / 'manifest.json'}\n"
    )


def test_exporter_options_go_to_the_formats_that_take_them(
    run_cli: RunCli, corpus: Path, tmp_path: Path
) -> None:
    out = tmp_path / "parts"
    code, _, err = run_cli(
        "export", str(corpus), "-f", "csv,json", "-o", str(out), "-O", "formulas=keep",
        "--scheduler", "synchronous", "-q",
    )  # fmt: skip
    assert (code, err) == (0, "")
    listed = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert listed["formats"] == {
        "csv": {"options": {"formulas": "keep"}},
        "json": {"options": {}},
    }


def test_usage_errors(run_cli: RunCli, corpus: Path, tmp_path: Path) -> None:
    out = str(tmp_path / "parts")
    code, _, err = run_cli("export", str(corpus), "-f", "json", "-o", out, "--scheduler", "nope")
    assert code == 2
    assert "Unknown scheduler 'nope'" in err
    code, _, err = run_cli(
        "export", str(corpus), "-f", "json", "-o", "-", "--scheduler", "processes"
    )
    assert code == 2
    assert "not standard output" in err
    code, _, err = run_cli("export", str(corpus), "-f", "json", "-o", out, "--partitions", "3")
    assert code == 2
    assert "--partitions goes with --scheduler" in err
    assert not (tmp_path / "parts").exists()


def test_a_corpus_that_fails_its_corpus_wide_checks_exits_1(
    run_cli: RunCli, corpus: Path, tmp_path: Path
) -> None:
    broken = tmp_path / "broken"
    broken.mkdir()
    for file in corpus.iterdir():
        (broken / file.name).write_bytes(file.read_bytes())
    with (broken / "sources.jsonl").open("a", encoding="utf-8") as lines:
        lines.write((corpus / "sources.jsonl").read_text(encoding="utf-8").splitlines()[0] + "\n")
    code, printed, err = run_cli(
        "export",
        str(broken),
        "-f",
        "json",
        "-o",
        str(tmp_path / "parts"),
        "--scheduler",
        "synchronous",
    )
    assert (code, printed) == (1, "")
    assert "sources.jsonl:" in err and "ids are unique across the corpus" in err
    assert "Traceback" not in err
    assert not (tmp_path / "parts").exists()


def test_a_workbook_is_a_corpus_too(run_cli: RunCli, tmp_path: Path) -> None:
    workbook = tmp_path / "story.xlsx"
    assert run_cli("export", "-f", "xlsx", "-o", str(workbook))[0] == 0
    out = tmp_path / "parts"
    code, printed, err = run_cli(
        "export", str(workbook), "-f", "json", "-o", str(out), "--scheduler", "synchronous"
    )
    assert (code, err) == (0, "")
    assert (
        printed.splitlines()[-1]
        == f"1 part written, 0 up to date; manifest: {out / 'manifest.json'}"
    )
    [part] = (out / "json").iterdir()
    assert json.loads(part.read_text("utf-8"))["id"] == storyfacts.load_bundled().id


@pytest.mark.slow
def test_export_on_a_local_cluster(run_cli: RunCli, corpus: Path, tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    args = ("export", str(corpus), "-f", "json", "--partitions", "3", "-q")
    code, _, err = run_cli(*args, "-o", str(tmp_path / "one"), "--scheduler", "synchronous")
    assert (code, err) == (0, "")
    code, _, err = run_cli(*args, "-o", str(tmp_path / "two"), "--scheduler", "distributed")
    assert code == 0, err
    one: dict[str, Any] = json.loads((tmp_path / "one" / "manifest.json").read_text("utf-8"))
    assert (tmp_path / "two" / "manifest.json").read_text("utf-8") == json.dumps(
        one, indent=2, ensure_ascii=False
    ) + "\n"
