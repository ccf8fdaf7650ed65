"""The fast validation path (jsonschema-rs) against the detailed one (jsonschema).

storyfacts answers "valid or not" with jsonschema-rs and builds its detailed
report with jsonschema only when the answer is "not valid". The two must
agree: were the fast path to say "valid" where jsonschema finds an error, a
bad dataset would pass; were it to say "not valid" where jsonschema finds
nothing, the user would get no problem to act on (and the data would pass).
Each case below checks ``is_schema_valid(data)`` against the detailed
validator, ``storyfacts.schema.validator()`` (jsonschema, Draft 2020-12, with
format checking), and that the detailed report is empty exactly when the fast
path says valid.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import attrs
import generate  # benchmarks/generate.py, on the path through pytest's pythonpath
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import storyfacts
from storyfacts import schema_words, validation
from storyfacts.errors import Problem, sort_problems
from storyfacts.schema import validator

Data = dict[str, Any]
Mutation = Callable[[Data], None]


def plain_verdict(data: Any) -> bool:
    """Whether jsonschema finds no error; data nested past Python's limit is not valid."""
    try:
        return next(iter(validator().iter_errors(data)), None) is None
    except RecursionError:
        return False


def whole_report(data: Any) -> list[Problem] | None:
    """The detailed report read from the whole dataset, as schema_problems once built it."""
    try:
        errors = list(validator().iter_errors(data))
    except RecursionError:
        return None
    return sort_problems(
        attrs.evolve(p, message=p.message[:1].upper() + p.message[1:])
        for error in errors
        for p in schema_words.describe_error(error)
    )


def assert_agree(data: Any) -> None:
    fast = validation.is_schema_valid(data)
    assert fast == plain_verdict(data)
    # What a user sees: a detailed problem exactly when the fast path says no.
    report = validation.schema_problems(data)
    assert (report == []) == fast
    # Reading only the failing records gives the very report the whole dataset gives.
    whole = whole_report(data)
    if whole:
        assert sort_problems(report) == whole


# Finding records by kind keeps the mutations readable and independent of order.


def _entity(data: Data, kind: str) -> Data:
    found: Data = next(e for e in data["entities"] if e["type"] == kind)
    return found


def _statement(data: Data, kind: str) -> Data:
    found: Data = next(s for s in data["statements"] if s["type"] == kind)
    return found


def _evidence(data: Data) -> Data:
    found: Data = data["statements"][0]["evidence"][0]
    return found


def _nested(depth: int) -> list[Any]:
    outer: list[Any] = []
    inner = outer
    for _ in range(depth):
        inner.append([])
        inner = inner[0]
    return outer


def _set(getter: Callable[[Data], Data], key: str, value: Any) -> Mutation:
    return lambda data: getter(data).__setitem__(key, value)


def _drop(getter: Callable[[Data], Data], key: str) -> Mutation:
    return lambda data: getter(data).pop(key)


def _top(data: Data) -> Data:
    return data


def _article(data: Data) -> Data:
    found: Data = data["articles"][0]
    return found


def _published(data: Data) -> Data:
    found: Data = data["articles"][0]["published"]
    return found


def _claim(data: Data) -> Data:
    return _statement(data, "claim")


def _quote(data: Data) -> Data:
    return _statement(data, "quote")


def _decision(data: Data) -> Data:
    return _statement(data, "decision")


def _relation(data: Data) -> Data:
    return _statement(data, "relation")


def _person(data: Data) -> Data:
    return _entity(data, "person")


def _organization(data: Data) -> Data:
    return _entity(data, "organization")


def _country(data: Data) -> Data:
    return _entity(data, "country")


def _event(data: Data) -> Data:
    return _entity(data, "event")


def _source(data: Data) -> Data:
    found: Data = data["sources"][0]
    return found


def _no_object(data: Data) -> None:
    claim = _claim(data)
    claim.pop("object", None)
    claim.pop("object_text", None)


BROKEN: dict[str, Mutation] = {
    # Wrong types.
    "schema version as a number": _set(_top, "schema_version", 1.0),
    "statements as an object": _set(_top, "statements", {}),
    "entity name as a number": _set(_person, "name", 5),
    "offset as text": _set(_evidence, "start", "0"),
    "offset as a fraction": _set(_evidence, "start", 1.5),
    "offset as a boolean": _set(_evidence, "start", True),
    "votes as a boolean": _set(_decision, "votes_for", False),
    "aliases as text": _set(_person, "aliases", "Putin"),
    "a statement that is a list": lambda data: data["statements"].append([]),
    "null title": _set(_top, "title", None),
    # Missing required fields.
    "no title": _drop(_top, "title"),
    "no sources list": _drop(_top, "sources"),
    "article without body": _drop(_article, "body"),
    "statement without evidence": _drop(_claim, "evidence"),
    "quote without speaker": _drop(_quote, "speaker"),
    "relation without object": _drop(_relation, "object"),
    "claim with neither object nor object_text": _no_object,
    "date without precision": _drop(_published, "precision"),
    "entity without type": _drop(_person, "type"),
    # Unknown fields, at every level the schema closes.
    "unknown top-level field": _set(_top, "editor", "me"),
    "unknown entity field": _set(_person, "nickname", "Vova"),
    "field of another entity type": _set(_person, "iso_code", "RU"),
    "unknown statement field": _set(_quote, "tone", "warm"),
    "field of another statement type": _set(_quote, "stance", "welcomes"),
    "unknown evidence field": _set(_evidence, "page", 2),
    "unknown date field": _set(_published, "era", "CE"),
    "unknown source field": _set(_source, "isbn", "123"),
    # Values outside an enum or a const.
    "unsupported schema version": _set(_top, "schema_version", "2.0"),
    "unknown stance": _set(_claim, "stance", "likes"),
    "unknown entity type": _set(_person, "type", "animal"),
    "unknown statement type": _set(_quote, "type", "rumour"),
    "unknown precision": _set(_published, "precision", "fortnight"),
    "unknown relation": _set(_relation, "relation", "friend_of"),
    "unknown organisation kind": _set(_organization, "kind", "club"),
    "unknown event status": _set(_event, "status", "delayed"),
    # Formats.
    "date-time that is a date": _set(_top, "modified", "2023-03-22"),
    "date-time without a zone": _set(_top, "modified", "2023-03-22T10:00:00"),
    "date-time with month 13": _set(_top, "modified", "2023-13-22T10:00:00Z"),
    "date-time on 29 February 2023": _set(_top, "modified", "2023-02-29T10:00:00Z"),
    "date-time with hour 24": _set(_top, "modified", "2023-03-22T24:00:00Z"),
    "date-time in words": _set(_top, "modified", "yesterday"),
    "date-time with a space": _set(_top, "modified", "2023-03-22 10:00:00Z"),
    "URL with a space": _set(_article, "url", "https://exa mple.org/"),
    "URL with an unclosed bracket": _set(_article, "url", "https://[::1/"),
    "URL with a bad escape": _set(_article, "url", "https://example.org/%zz"),
    "URL with a non-ASCII host": _set(_article, "url", "https://例子.测试/"),
    "URL with the wrong scheme": _set(_article, "url", "ftp://example.org/"),
    "URL that is relative": _set(_source, "url", "/articles/1"),
    # Patterns, lengths and bounds.
    "id with a space": _set(_top, "id", "putin xi"),
    "id with capitals": _set(_top, "id", "Putin"),
    "id with a double hyphen": _set(_top, "id", "putin--xi"),
    "id of 201 characters": _set(_top, "id", "a" * 201),
    "reference with an underscore": _set(_quote, "speaker", "joint_statement"),
    "wikidata id Q0": _set(_person, "wikidata", "Q0"),
    "lower-case ISO code": _set(_country, "iso_code", "ru"),
    "upper-case language": _set(_article, "language", "EN"),
    "date with slashes": _set(_published, "value", "2023/03/22"),
    "negative offset": _set(_evidence, "start", -1),
    "end offset of zero": _set(_evidence, "end", 0),
    "negative votes": _set(_decision, "votes_against", -3),
    "empty title": _set(_top, "title", ""),
    "empty evidence list": _set(_claim, "evidence", []),
    "repeated alias": _set(_person, "aliases", ["Putin", "Putin"]),
    # Deep nesting, where the schema wants text, and past Python's recursion limit.
    # Python's "$" also matches before a final newline; ECMA-262's does not.
    "id ending in a newline": _set(_top, "id", "putin-xi-olympics-2023\n"),
    "date value ending in a newline": _set(_published, "value", "2023-03-22\n"),
    "alias ending in a newline": _set(_person, "aliases", ["Putin\n"]),
    "URL ending in a newline": _set(_article, "url", "https://example.org/story\n"),
    "URL with a tab": _set(_article, "url", "https://example.org/a\tb"),
    "second 61": _set(_top, "modified", "2016-12-31T23:59:61Z"),
    # A leap second is 23:59:60 in UTC, once the offset is applied.
    "leap second on the wrong minute": _set(_top, "modified", "2016-12-31T23:58:60Z"),
    "leap second on the wrong hour": _set(_top, "modified", "2016-12-31T22:59:60Z"),
    "leap second at 23:59 local time, not UTC": _set(_top, "modified", "1998-12-31T23:59:60+01:00"),
    "aliases nested 50 deep": _set(_person, "aliases", _nested(50)),
    "aliases nested 5,000 deep": _set(_person, "aliases", _nested(5_000)),
    "statement nested 100 deep": lambda data: data["statements"].append(_nested(100)),
    "votes one past the largest whole number": _set(_decision, "votes_for", 10**15),
    "votes past 64 bits": _set(_decision, "votes_for", 2**70),
    "votes as a float past the largest whole number": _set(_decision, "votes_for", 1e20),
}

VALID_EDGES: dict[str, Mutation] = {
    "id of 200 characters": _set(_top, "id", "a" * 200),
    "whole-number float offset": lambda data: _evidence(data).__setitem__(
        "start", float(_evidence(data)["start"])
    ),
    "votes at the largest whole number": _set(_decision, "votes_for", 10**15 - 1),
    "date-time with nanoseconds": _set(_top, "modified", "2023-03-22T10:00:00.123456789Z"),
    "date-time with an offset": _set(_top, "modified", "2023-03-22T10:00:00+05:30"),
    "leap second": _set(_top, "modified", "2016-12-31T23:59:60Z"),
    "leap second with a fraction and an offset": _set(
        _top, "modified", "1998-12-31T15:59:60.123-08:00"
    ),
    "date-time with a lower-case t and z": _set(_top, "modified", "2023-03-22t10:00:00z"),
    "leap second after a lower-case t": _set(_top, "modified", "2016-12-31t23:59:60z"),
    "title outside the BMP": _set(_top, "title", "🏅 Olympics"),
    "URL with a port and query": _set(_article, "url", "https://example.org:8443/a?b=c#d"),
}


def test_bundled_dataset_agrees(seed_data: Data) -> None:
    """Both validators accept the bundled dataset."""
    assert validation.is_schema_valid(seed_data)
    assert_agree(seed_data)


@pytest.mark.parametrize(("n", "seed"), [(0, 0), (25, 1), (300, 2), (1_000, 3)])
def test_generated_datasets_agree(n: int, seed: int) -> None:
    """Both validators accept generated datasets of several sizes."""
    data = generate.generate(n, seed=seed)
    assert validation.is_schema_valid(data)
    assert_agree(data)


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_variants_agree(name: str, seed_data: Data) -> None:
    """Both validators refuse each broken variant of the bundled dataset."""
    BROKEN[name](seed_data)
    assert not validation.is_schema_valid(seed_data)
    assert_agree(seed_data)


@pytest.mark.parametrize("name", sorted(VALID_EDGES))
def test_valid_edge_cases_agree(name: str, seed_data: Data) -> None:
    """Both validators accept values at the edge of what the schema allows."""
    VALID_EDGES[name](seed_data)
    assert validation.is_schema_valid(seed_data)
    assert_agree(seed_data)


def test_broken_generated_dataset_agrees() -> None:
    """A large generated dataset with one bad value deep inside is refused by both."""
    data = generate.generate(500, seed=7)
    data["statements"][-1]["evidence"][-1]["start"] = -5
    assert not validation.is_schema_valid(data)
    assert_agree(data)


@pytest.mark.parametrize("sources", [[], {"not": "a list"}])
def test_report_of_failing_records_is_the_whole_report(sources: Any) -> None:
    """Errors at the top level and in several records: the report read from the failing
    records is the one jsonschema gives reading everything, whether or not a list is a list."""
    data = generate.generate(300, seed=5)
    data["title"] = ""
    data["extra"] = {"deep": [1]}
    data["statements"][3]["id"] = "a--b"
    data["statements"][250]["evidence"][0]["start"] = -1
    del data["entities"][7]["name"]
    data["articles"][0]["url"] = "not a url"
    data["sources"] = sources
    report = sort_problems(validation.schema_problems(data))
    assert report == whole_report(data)
    assert {p.path for p in report} >= {
        "$.title",
        "$.extra",
        "$.statements[3].id",
        "$.statements[250].evidence[0].start",
        "$.entities[7].name",
        "$.articles[0].url",
    }


# Random mutations ----------------------------------------------------------

# Values a mutation may put in place: every JSON kind, plus near misses for
# the schema's patterns, formats and enums.
TRICKY = [
    "",
    "2023",
    "2023-03",
    "2023-03-22",
    "2023-3-22",
    "2023-03-22T10:00:00Z",
    "2023-03-22T10:00:00",
    "https://example.org/",
    "http://",
    "ftp://example.org/",
    "Q1",
    "Q01",
    "RU",
    "ru",
    "en-GB",
    "year",
    "month",
    "day",
    "week",
    "quote",
    "claim",
    "person",
    "group",
    "welcomes",
    "member_of",
    "putin",
    "Putin",
    "a--b",
    "itg-1135067",
    "putin\n",
    "2023-03-22\n",
    "https://example.org/\n",
    "2016-12-31T23:59:60Z",
    "2016-12-31T23:58:60Z",
]
_text = st.text(max_size=20)
_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | _text
    | st.sampled_from(TRICKY)
)
_values = st.recursive(
    _scalars,
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(
            st.sampled_from(["id", "type", "value", "x", "text"]) | _text, children, max_size=3
        )
    ),
    max_leaves=8,
)


def _containers(data: Any, found: list[Any]) -> list[Any]:
    """Every object and list in ``data``, outermost first."""
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            found.append(node)
            stack.extend(node.values())
        elif isinstance(node, list):
            found.append(node)
            stack.extend(node)
    return found


@st.composite
def mutated(draw: st.DrawFn, base: Data) -> Data:
    """A copy of ``base`` with one to three random changes."""
    data = copy.deepcopy(base)
    for _ in range(draw(st.integers(1, 3))):
        containers = _containers(data, [])
        node = containers[draw(st.integers(0, len(containers) - 1))]
        action = draw(st.sampled_from(["replace", "delete", "add"]))
        if isinstance(node, dict):
            keys = sorted(node)
            if action == "add" or not keys:
                node[draw(st.sampled_from(["id", "type", "extra", "text", "value"]))] = draw(
                    _values
                )
            else:
                key = keys[draw(st.integers(0, len(keys) - 1))]
                if action == "delete":
                    del node[key]
                else:
                    node[key] = draw(_values)
        elif isinstance(node, list):
            if action == "add" or not node:
                node.append(draw(_values))
            elif action == "delete":
                node.pop(draw(st.integers(0, len(node) - 1)))
            else:
                node[draw(st.integers(0, len(node) - 1))] = draw(_values)
    return data


_SMALL = generate.generate(30, seed=11)
_SEED: Data = json.loads(storyfacts.bundled_path().read_text(encoding="utf-8"))
_SETTINGS = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@_SETTINGS
@given(data=mutated(_SMALL))
def test_random_mutations_of_a_generated_dataset_agree(data: Data) -> None:
    """Random changes to a generated dataset never make the validators disagree."""
    assert_agree(data)


@_SETTINGS
@given(data=mutated(_SEED))
def test_random_mutations_of_the_bundled_dataset_agree(data: Data) -> None:
    """Random changes to the bundled dataset never make the validators disagree."""
    assert_agree(data)
