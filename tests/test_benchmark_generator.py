"""The synthetic dataset generator in benchmarks/generate.py."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import generate  # benchmarks/generate.py, on the path through pytest's pythonpath
import pytest

import storyfacts

CYRILLIC = re.compile("[\u0400-\u04ff]")
CHINESE = re.compile("[\u4e00-\u9fff]")
LATIN = re.compile("[A-Za-z]")


def _evidence(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        item
        for section in ("entities", "statements")
        for record in data[section]
        for item in record.get("evidence", [])
    ]


def _dates(data: dict[str, Any]) -> list[dict[str, Any]]:
    fields = ("published", "start", "end", "date", "effective")
    return [
        record[field]
        for section in ("articles", "entities", "statements", "sources")
        for record in data[section]
        for field in fields
        if isinstance(record.get(field), dict)
    ]


@pytest.mark.parametrize(
    ("n", "seed"), [(0, 0), (1, 0), (7, 3), (60, 1), (500, 0), (500, 42), (2_000, 9)]
)
def test_generated_datasets_are_valid(n: int, seed: int) -> None:
    """Every size and seed gives a dataset storyfacts accepts, and that loads as a model."""
    data = generate.generate(n, seed=seed)
    assert storyfacts.validate(data) == []
    assert len(storyfacts.load(data).statements) == n


def test_same_seed_gives_the_same_data() -> None:
    """Two runs with one seed give equal data, down to the serialised bytes."""
    first, second = generate.generate(300, seed=5), generate.generate(300, seed=5)
    assert first == second
    assert json.dumps(first, ensure_ascii=False) == json.dumps(second, ensure_ascii=False)


def test_different_seeds_give_different_data() -> None:
    """Another seed changes the text and the references, not only the dataset id."""
    first, second = generate.generate(300, seed=1), generate.generate(300, seed=2)
    assert first["articles"][0]["body"] != second["articles"][0]["body"]
    assert [s["type"] for s in first["statements"]] != [s["type"] for s in second["statements"]]


def test_counts_follow_the_documented_proportions() -> None:
    """1,000 statements give 40 articles, 500 entities (100 events) and 20 sources."""
    data = generate.generate(1_000, seed=0)
    # 1,000 / 25 articles, 1,000 / 2 entities, 1,000 / 50 sources; events are
    # 4 of every 20 entities in the fixed type cycle.
    assert len(data["articles"]) == 40
    assert len(data["entities"]) == 500
    assert len(data["sources"]) == 20
    types = Counter(e["type"] for e in data["entities"])
    assert types == {
        "person": 150,
        "organization": 100,
        "country": 50,
        "place": 75,
        "event": 100,
        "group": 25,
    }
    assert generate.counts(1_000) == {
        "articles": 40,
        "entities": 500,
        "statements": 1_000,
        "sources": 20,
    }


def test_small_datasets_keep_the_minimum_of_each_kind() -> None:
    """Below the proportional sizes there is still an article, a source and every entity type."""
    data = generate.generate(3, seed=0)
    assert len(data["articles"]) == 1
    assert len(data["sources"]) == 1
    assert {e["type"] for e in data["entities"]} == {
        "person",
        "organization",
        "country",
        "place",
        "event",
        "group",
    }


def test_evidence_grows_with_the_statements() -> None:
    """Each statement has one or two pieces of evidence, about one and a half on average."""
    n = 2_000
    data = generate.generate(n, seed=0)
    per_statement = [len(s["evidence"]) for s in data["statements"]]
    assert set(per_statement) == {1, 2}
    # The first sentence of each of the 80 articles has no earlier sentence to
    # cite; each other statement cites one with probability one half, so the
    # total expected is 2,000 + 1,920 / 2 = 2,960, give or take about 22.
    assert 2_860 <= sum(per_statement) <= 3_060
    # With at least as many statements as entities, every entity is mentioned.
    assert all(len(e.get("evidence", [])) == 1 for e in data["entities"])


def test_evidence_points_at_its_text_and_quotes_are_inside_it() -> None:
    """Each evidence text is the body slice its offsets name, and each quote is in its evidence."""
    data = generate.generate(400, seed=4)
    bodies = {a["id"]: a["body"] for a in data["articles"]}
    for item in _evidence(data):
        assert bodies[item["article"]][item["start"] : item["end"]] == item["text"]
    for statement in data["statements"]:
        if statement["type"] == "quote":
            assert any(statement["text"] in e["text"] for e in statement["evidence"])


def test_text_uses_latin_cyrillic_and_chinese() -> None:
    """Article bodies, names and languages cover the three scripts of the seed story."""
    data = generate.generate(600, seed=0)
    bodies = " ".join(a["body"] for a in data["articles"])
    names = " ".join(e["name"] for e in data["entities"])
    for script in (LATIN, CYRILLIC, CHINESE):
        assert script.search(bodies)
        assert script.search(names)
    assert {a["language"] for a in data["articles"]} == {"en", "ru", "zh"}


def test_dates_come_in_every_precision() -> None:
    """Partial dates are known to the year, the month and the day, with phrases and sources."""
    dates = _dates(generate.generate(600, seed=0))
    assert {d["precision"] for d in dates} == {"year", "month", "day"}
    assert any("phrase" in d for d in dates)
    assert any("source" in d for d in dates)


def test_command_line_writes_a_valid_file(tmp_path: Path) -> None:
    """``generate.py N -o FILE`` writes JSON that loads as a dataset of N statements."""
    target = tmp_path / "synthetic.json"
    assert generate.main(["50", "-o", str(target), "--seed", "3"]) == 0
    assert len(storyfacts.load(target).statements) == 50
    assert json.loads(target.read_text(encoding="utf-8")) == generate.generate(50, seed=3)


def test_negative_sizes_are_refused() -> None:
    """A negative number of statements is an error that says what is wrong."""
    with pytest.raises(ValueError, match="0 or more"):
        generate.generate(-1)
