"""'Did you mean': the same suggestions as difflib for ordinary typos, in bounded work."""

from __future__ import annotations

import difflib
import random
from typing import Any

import generate  # benchmarks/generate.py, through pytest's pythonpath
import pytest

import storyfacts
from storyfacts import suggestions
from storyfacts.suggestions import IdSuggestions

#: The kinds a reference to any record at all would allow.
ANY = frozenset(
    {"article", "source", "person", "organization", "country", "place", "event", "group"}
    | {"quote", "claim", "decision", "relation"}
)


def _kinds(data: dict[str, Any]) -> dict[str, str]:
    found = {r["id"]: "article" for r in data["articles"]}
    found |= {r["id"]: r["type"] for r in data["entities"] + data["statements"]}
    return found | {r["id"]: "source" for r in data["sources"]}


def _typos(word: str, rng: random.Random) -> list[str]:
    """One typo of each ordinary kind: a character left out, added, changed, two swapped."""
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789-"
    at = rng.randrange(len(word))
    other = rng.choice(alphabet.replace(word[at], ""))
    swap = min(at, len(word) - 2)
    return [
        word[:at] + word[at + 1 :],
        word[:at] + rng.choice(alphabet) + word[at:],
        word[:at] + other + word[at + 1 :],
        word[:swap] + word[swap + 1] + word[swap] + word[swap + 2 :],
    ]


def _difflib(word: str, ids: list[str]) -> str | None:
    found = difflib.get_close_matches(word, ids, n=1, cutoff=suggestions.CUTOFF)
    return found[0] if found else None


def test_one_edit_lookup_agrees_with_difflib_on_ordinary_typos(
    seed_data: dict[str, Any],
) -> None:
    """For four typos of every id in the bundled dataset, the bounded lookup suggests what
    comparing with every id suggests."""
    kinds = _kinds(seed_data)
    ids = list(kinds)
    rng = random.Random(15)
    cases = [(typo, id_) for id_ in ids if len(id_) > 1 for typo in _typos(id_, rng)]
    cases = [(typo, id_) for typo, id_ in cases if typo not in kinds]
    assert len(cases) > 300
    bounded = IdSuggestions(kinds, comparisons=0, lookups=len(cases))
    differ = [(t, _difflib(t, ids), bounded.suggest(t, ANY)) for t, _ in cases]
    assert [d for d in differ if d[1] != d[2]] == []


def test_a_full_search_comes_first_and_finds_two_edit_typos() -> None:
    """While the budget lasts every id is compared, so a typo two edits away is still found;
    the one-edit lookup alone does not find it."""
    kinds = {"vladimir-putin": "person", "xi-jinping": "person", "moscow": "place"}
    assert IdSuggestions(kinds).suggest("vladmir-puttin", ANY) == "vladimir-putin"
    assert IdSuggestions(kinds, comparisons=0).suggest("vladmir-puttin", ANY) is None
    assert IdSuggestions(kinds, comparisons=0).suggest("xi-jinpng", ANY) == "xi-jinping"


def test_only_ids_of_an_allowed_kind_are_suggested() -> None:
    """A place is not suggested where a person belongs, however alike the ids."""
    kinds = {"paris": "place", "parris": "person"}
    for comparisons in (0, 100):
        found = IdSuggestions(kinds, comparisons=comparisons)
        assert found.suggest("parrs", frozenset({"person"})) == "parris"
        assert found.suggest("parrs", frozenset({"place"})) == "paris"
        assert found.suggest("parris-x", frozenset({"event"})) is None


def test_lookups_are_capped_and_each_reference_is_looked_up_once() -> None:
    """Past the lookup cap nothing is suggested; a reference seen before keeps its answer."""
    kinds = {"putin": "person", "xi": "person"}
    found = IdSuggestions(kinds, comparisons=0, lookups=1)
    assert found.suggest("putn", ANY) == "putin"
    assert found.suggest("putn", ANY) == "putin"
    assert found.suggest("puti", ANY) is None


def test_a_reference_longer_than_any_id_is_not_compared() -> None:
    """A megabyte reference gives no suggestion, and no variants are built for it."""
    assert suggestions._one_edit("x" * 1_000_000) == set()
    assert IdSuggestions({"x": "person"}, comparisons=0).suggest("x" * 1_000_000, ANY) is None


def test_work_is_bounded_for_any_number_of_dangling_references(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """3,000 dangling references among 6,000 ids: at most COMPARISONS ids are compared in full
    searches and at most LOOKUPS references are looked up one edit away; all are reported."""
    data = generate.generate(3_000, seed=15)
    for statement in data["statements"]:
        for field in ("speaker", "attributed_to", "decided_by", "subject"):
            if field in statement:
                statement[field] += "x"
                break
    compared: list[int] = []
    looked_up: list[str] = []
    full_search = difflib.get_close_matches
    one_edit = suggestions._one_edit

    def counting_search(word: str, pool: list[str], n: int, cutoff: float) -> list[str]:
        compared.append(len(pool))
        return full_search(word, pool, n, cutoff)

    def counting_lookup(word: str) -> set[str]:
        looked_up.append(word)
        return one_edit(word)

    monkeypatch.setattr(difflib, "get_close_matches", counting_search)
    monkeypatch.setattr(suggestions, "_one_edit", counting_lookup)
    monkeypatch.setattr(suggestions, "COMPARISONS", 20_000)
    monkeypatch.setattr(suggestions, "LOOKUPS", 500)
    problems = [p for p in storyfacts.validate(data) if p.code == "dangling-reference"]
    assert len(problems) == 3_000
    assert 0 < sum(compared) <= 20_000
    assert len(looked_up) == 500
    suggested = [p for p in problems if "did you mean" in p.message]
    # Repeated references are looked up once, so more are suggested than looked up.
    assert len(suggested) > len(compared) + len(looked_up)
