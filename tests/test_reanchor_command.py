"""`storyfacts reanchor` and storyfacts.reanchor: a status per passage, certain results applied."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import storyfacts
from storyfacts.reanchoring import old_bodies


def _clear_point(data: dict[str, Any], after: int) -> int:
    """The first word boundary at or after ``after`` that no passage spans."""
    body = data["articles"][0]["body"]
    spans = [
        (e["start"], e["end"])
        for r in [*data["entities"], *data["statements"]]
        for e in r.get("evidence", [])
    ]
    at = after
    while body[at] != " " or any(s < at + 1 < e for s, e in spans):
        at += 1
    return at + 1


def _edited(tmp_path: Path, data: dict[str, Any], at: int) -> Path:
    body = data["articles"][0]["body"]
    data["articles"][0]["body"] = body[:at] + "two words " + body[at:]
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_from_old_dataset_places_every_passage(
    tmp_path: Path, seed_data: dict[str, Any], run_cli: Any
) -> None:
    """An insertion between passages: every passage anchored or moved, exit 0, output valid."""
    at = _clear_point(seed_data, 40)
    edited = _edited(tmp_path, seed_data, at)
    out = tmp_path / "out.json"
    code, stdout, _ = run_cli(
        "reanchor", str(edited), "--from", str(storyfacts.bundled_path()), "-o", str(out)
    )
    assert code == 0
    assert stdout.strip().endswith("110 placed, 0 need a person.")
    evidence = [
        e for r in [*seed_data["entities"], *seed_data["statements"]] for e in r.get("evidence", [])
    ]
    assert stdout.count(": moved.") == sum(1 for e in evidence if e["start"] >= at) > 100
    assert storyfacts.validate(out) == []
    before = storyfacts.load_bundled()
    after = storyfacts.load(out)
    for old_record, new_record in zip(
        [*before.entities, *before.statements], [*after.entities, *after.statements], strict=True
    ):
        for old, new in zip(old_record.evidence or (), new_record.evidence or (), strict=True):
            assert new.start == old.start + (10 if old.start >= at else 0)


def test_edited_passages_need_a_person(
    tmp_path: Path, seed_data: dict[str, Any], run_cli: Any
) -> None:
    """Words inserted inside passages: those are approximate, the rest placed, exit 1."""
    body = seed_data["articles"][0]["body"]
    evidence = [
        e for r in [*seed_data["entities"], *seed_data["statements"]] for e in r.get("evidence", [])
    ]
    inside = sum(1 for e in evidence if e["start"] < 85 < e["end"])
    assert inside >= 2
    (tmp_path / "old.txt").write_text(body, encoding="utf-8")
    edited = _edited(tmp_path, seed_data, 85)
    code, stdout, _ = run_cli("reanchor", str(edited), "--old-body", str(tmp_path / "old.txt"))
    assert code == 1
    placed = len(evidence) - inside
    assert stdout.strip().endswith(f"{placed} placed, {inside} need a person.")
    assert stdout.count(": approximate.") == inside
    seed = str(storyfacts.bundled_path())
    code, stdout, _ = run_cli("reanchor", str(edited), "--from", seed, "--json")
    statuses = [p["status"] for p in json.loads(stdout)]
    assert statuses.count("approximate") == inside and len(statuses) == len(evidence)


def test_without_the_old_body_copies_are_ambiguous(
    tmp_path: Path, seed_data: dict[str, Any], run_cli: Any
) -> None:
    """With no old body, a text that occurs more than once is never moved by guess."""
    at = _clear_point(seed_data, 40)
    body = seed_data["articles"][0]["body"]
    edited = _edited(tmp_path, seed_data, at)
    code, stdout, _ = run_cli("reanchor", str(edited))
    assert code == 1
    lines = [line for line in stdout.splitlines() if ": ambiguous." in line]
    assert lines
    evidence = [
        e for r in [*seed_data["entities"], *seed_data["statements"]] for e in r.get("evidence", [])
    ]
    assert len(lines) == sum(1 for e in evidence if body.count(e["text"]) > 1 and e["start"] >= at)


def test_old_body_for_an_unknown_article_is_a_usage_error(
    tmp_path: Path, seed_data: dict[str, Any], run_cli: Any
) -> None:
    edited = _edited(tmp_path, seed_data, 40)
    (tmp_path / "old.txt").write_text("x", encoding="utf-8")
    code, _, err = run_cli(
        "reanchor", str(edited), "--old-body", str(tmp_path / "old.txt"), "--article", "nope"
    )
    assert code == 2 and "--article" in err


def test_python_api(seed_data: dict[str, Any]) -> None:
    """storyfacts.reanchor gives the data with certain results applied and each status."""
    at = _clear_point(seed_data, 40)
    old = old_bodies(storyfacts.bundled_path())
    body = seed_data["articles"][0]["body"]
    seed_data["articles"][0]["body"] = body[:at] + "two words " + body[at:]
    result = storyfacts.reanchor(seed_data, old)
    assert result.needs_a_person == []
    assert {p.status for p in result.passages} == {"anchored", "moved"}
    assert storyfacts.validate(result.data) == []
    assert seed_data["statements"][0]["evidence"][0]["start"] == 462  # the input is not changed


def test_an_unwritable_output_leaves_nothing_and_says_why(
    tmp_path: Path, seed_data: dict[str, Any], run_cli: Any
) -> None:
    """-o naming a directory: exit 1, one sentence, the directory untouched, no traceback."""
    edited = _edited(tmp_path, seed_data, _clear_point(seed_data, 40))
    target = tmp_path / "taken"
    target.mkdir()
    (target / "keep.txt").write_text("mine", encoding="utf-8")
    code, _, err = run_cli("reanchor", str(edited), "-o", str(target))
    assert code == 1
    assert "nothing was written" in err and "Traceback" not in err
    assert [p.name for p in target.iterdir()] == ["keep.txt"]
