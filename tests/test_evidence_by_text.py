"""Evidence given by its text: offsets filled in on loading, problems that name every candidate."""

from __future__ import annotations

import copy
import json
import re
from typing import Any

import pytest

import storyfacts
from storyfacts import passages
from storyfacts.anchoring._anchor import SHOWN


def _first_evidence(data: dict[str, Any]) -> dict[str, Any]:
    item: dict[str, Any] = data["statements"][0]["evidence"][0]
    return item


def _entity_evidence(data: dict[str, Any]) -> dict[str, Any]:
    """The first evidence of the first entity (a statement's would also hold its quote)."""
    item: dict[str, Any] = data["entities"][0]["evidence"][0]
    return item


def _body(data: dict[str, Any]) -> str:
    body: str = data["articles"][0]["body"]
    return body


def test_text_alone_is_enough_and_offsets_are_filled_on_loading(
    seed_data: dict[str, Any],
) -> None:
    """Evidence without start and end validates, and loading fills them in."""
    item = _first_evidence(seed_data)
    start, end = item.pop("start"), item.pop("end")
    before = copy.deepcopy(seed_data)
    assert storyfacts.validate(seed_data) == []
    dataset = storyfacts.load(seed_data)
    evidence = dataset.statements[0].evidence[0]
    assert (evidence.start, evidence.end) == (start, end)
    assert seed_data == before  # the caller's data is left as it was
    dumped = storyfacts.dump(dataset)["statements"][0]["evidence"][0]
    assert list(dumped) == ["article", "start", "end", "text"]  # no prefix or suffix added


def test_seed_dumps_byte_identical(seed_data: dict[str, Any]) -> None:
    """The bundled dataset loads and dumps to the same bytes: no new fields appear."""
    text = storyfacts.bundled_path().read_text(encoding="utf-8")
    assert storyfacts.dumps(storyfacts.load_bundled()) == text


def test_prefix_or_suffix_chooses_the_occurrence_and_is_kept(seed_data: dict[str, Any]) -> None:
    """A suffix picks one of several occurrences; it stays in the dumped data."""
    body = _body(seed_data)
    item = _entity_evidence(seed_data)
    item.clear()
    item.update({"article": "itg-1135067", "text": "Russian", "suffix": " state media"})
    dataset = storyfacts.load(seed_data)
    evidence = dataset.entities[0].evidence[0]
    assert body[evidence.start : evidence.end + 12] == "Russian state media"
    dumped = storyfacts.dump(dataset)["entities"][0]["evidence"][0]
    assert dumped["suffix"] == " state media" and dumped["start"] == evidence.start


def test_several_occurrences_give_a_problem_listing_each(seed_data: dict[str, Any]) -> None:
    """Each occurrence is named with its offsets and words around it, and how to choose."""
    body = _body(seed_data)
    item = _entity_evidence(seed_data)
    del item["start"], item["end"]
    item["text"] = "Russian and Belarus"
    problems = [p for p in storyfacts.validate(seed_data) if p.code == "evidence-ambiguous"]
    assert len(problems) == 1
    problem = problems[0]
    assert problem.path == "$.entities[0].evidence[0].text"
    starts = [m.start() for m in re.finditer("Russian and Belarus", body)]
    assert len(starts) >= 2
    for start in starts[:SHOWN]:
        assert f"at {start}–{start + 19} (" in problem.message
    assert "prefix" in problem.message and "suffix" in problem.message
    with pytest.raises(storyfacts.InvalidDatasetError):
        storyfacts.load(seed_data)


def test_missing_text_names_the_closest_passage(seed_data: dict[str, Any]) -> None:
    """No occurrence: the closest passage, its offsets and how similar it is."""
    item = _entity_evidence(seed_data)
    del item["start"], item["end"]
    item["text"] = "The parties welcomed the relevant initiatives"
    problems = [p for p in storyfacts.validate(seed_data) if p.code == "evidence-not-found"]
    assert len(problems) == 1
    match = re.search(r"closest passage is at (\d+)–(\d+) .*, (\d+)% similar", problems[0].message)
    assert match is not None
    body = _body(seed_data)
    assert "welcome the relevant initiatives" in body[int(match[1]) : int(match[2])]
    assert 80 <= int(match[3]) < 100


def test_start_without_end_is_a_problem(seed_data: dict[str, Any]) -> None:
    del _first_evidence(seed_data)["end"]
    problems = storyfacts.validate(seed_data)
    assert [(p.path, p.code) for p in problems] == [("$.statements[0].evidence[0].end", "required")]


def test_given_context_that_disagrees_with_the_offsets_is_a_problem(
    seed_data: dict[str, Any],
) -> None:
    _first_evidence(seed_data)["prefix"] = "nothing like this"
    problems = storyfacts.validate(seed_data)
    assert [(p.path, p.code) for p in problems] == [
        ("$.statements[0].evidence[0].prefix", "evidence-context")
    ]


def _shifted_seed(seed_data: dict[str, Any], at: int, words: str) -> dict[str, Any]:
    """The seed with ``words`` inserted in the body at ``at`` and no offset updated."""
    seed_data["articles"][0]["body"] = _body(seed_data)[:at] + words + _body(seed_data)[at:]
    return seed_data


def test_no_suggestion_points_at_another_occurrence(seed_data: dict[str, Any]) -> None:
    """The issue's case: after an insertion, every 'the text is at' names the true new place,
    and a text that occurs more than once gets every place listed, the true one first."""
    old_body = _body(seed_data)
    passages_before = {
        (section, i, j): dict(e)
        for section in ("entities", "statements")
        for i, s in enumerate(seed_data[section])
        for j, e in enumerate(s.get("evidence", []))
    }
    data = _shifted_seed(seed_data, 40, "two words ")
    problems = storyfacts.validate(data)
    mismatches = [p for p in problems if p.code == "evidence-mismatch"]
    assert len(mismatches) > 50
    checked_single = checked_many = 0
    for problem in mismatches:
        found = re.match(r"\$\.(\w+)\[(\d+)\]\.evidence\[(\d+)\]\.text", problem.path)
        assert found is not None
        item = passages_before[(found[1], int(found[2]), int(found[3]))]
        if item["start"] < 40 < item["end"]:
            # The insertion is inside this passage: its text is gone, not elsewhere.
            assert "nowhere in the article" in problem.message
            assert "closest passage" in problem.message
            continue
        true_start = item["start"] + 10
        single = re.search(r"the text is at (\d+)–(\d+); correct", problem.message)
        if single:
            assert int(single[1]) == true_start
            checked_single += 1
        else:
            listed = [int(m) for m in re.findall(r"at (\d+)–\d+ \(", problem.message)]
            assert listed[0] == true_start  # nearest to the given offsets first
            assert len(listed) == min(old_body.count(item["text"]), SHOWN)
            checked_many += 1
    assert checked_single > 50 and checked_many >= 4


def test_e21_case_lists_both_copies_not_the_earlier_one_alone(seed_data: dict[str, Any]) -> None:
    """The issue's E21 (2620–2633 suggested as 1129–1142) gets both places, true first."""
    body = _body(seed_data)
    text = body[2620:2633]
    assert body.count(text) == 2 and body.find(text) == 1111
    data = _shifted_seed(seed_data, 40, "two inserted words")  # 18 code points, as in the issue
    messages = [p.message for p in storyfacts.validate(data) if "not at 2620–2633" in p.message]
    assert messages
    for message in messages:
        assert "the text is at 1129" not in message
        assert message.index("at 2638–2651") < message.index("at 1129–1142")


def test_approximate_searches_are_budgeted(seed_data: dict[str, Any]) -> None:
    """Past the budget, a missing passage is still reported, without its closest match."""
    records = seed_data["statements"]
    template = records[0]
    for k in range(passages.SearchBudget().remaining + 5):
        extra = copy.deepcopy(template)
        extra["id"] = f"extra-{k}"
        extra["evidence"] = [{"article": "itg-1135067", "text": f"words never written {k}"}]
        extra["text"] = f"words never written {k}"
        records.append(extra)
    problems = [p for p in storyfacts.validate(seed_data) if p.code == "evidence-not-found"]
    assert len(problems) == passages.SearchBudget().remaining + 5
    assert sum("closest passage" in p.message for p in problems) == 200


def test_validate_command_reports_ambiguity(
    tmp_path: Any, seed_data: dict[str, Any], run_cli: Any
) -> None:
    item = _entity_evidence(seed_data)
    del item["start"], item["end"]
    item["text"] = "Russian and Belarus"
    path = tmp_path / "story.json"
    path.write_text(json.dumps(seed_data), encoding="utf-8")
    code, out, _ = run_cli("validate", str(path))
    assert code == 1
    assert "occurs" in out and "prefix" in out


def test_article_evidence_builder() -> None:
    """Article.evidence gives offsets for a passage, and refuses to guess."""
    article = storyfacts.load_bundled().articles[0]
    evidence = article.evidence("Xi Jinping released")
    assert article.body[evidence.start : evidence.end] == "Xi Jinping released"
    chosen = article.evidence("Russian", suffix=" state media")
    assert article.body[chosen.end : chosen.end + 12] == " state media"
    near = article.evidence("Russian", near=chosen.start + 3)
    assert near.start == chosen.start
    with pytest.raises(storyfacts.PassageError) as ambiguous:
        article.evidence("Russian")
    assert ambiguous.value.status == "ambiguous"
    assert all(article.body[c.start : c.end] == "Russian" for c in ambiguous.value.candidates)
    assert "occurs" in str(ambiguous.value)
    with pytest.raises(storyfacts.PassageError) as missing:
        article.evidence("Xi Jinping releesed")
    assert missing.value.status == "approximate"
    assert "closest passage" in str(missing.value)
