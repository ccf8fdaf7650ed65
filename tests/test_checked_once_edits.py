"""Every way to edit a loaded dataset is seen, so its next export validates it again.

A loaded dataset is proved valid by the count of edits (storyfacts.edits,
storyfacts.validity): these tests make each kind of edit a user could make,
through each door (a field of every model class, every mutating method of a
model list), and check that the next export validates (and so refuses what
is invalid, writing nothing), while an unedited dataset is not even walked.
"""

from __future__ import annotations

import copy
import json
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import orjson
import pytest

import storyfacts
from storyfacts import edits, loading, validation, validity
from storyfacts.edits import WatchedList
from storyfacts.errors import FieldTypeError
from storyfacts.fieldtypes import Expected, checked_types, type_problems

Edit = Callable[[storyfacts.Dataset], None]


@pytest.fixture
def every_kind(seed_data: dict[str, Any]) -> storyfacts.Dataset:
    """The bundled dataset with a draft too, so that it holds a record of every model class."""
    seed_data["statements"][0]["draft"] = {"rule": "nearest-speaker", "confidence": 0.5}
    return storyfacts.load(seed_data)


def _records(root: Any) -> list[Any]:
    """Every record in ``root``, found by attrs alone (not by the code under test)."""
    out, stack = [], [root]
    while stack:
        record = stack.pop()
        out.append(record)
        for field in attrs.fields(type(record)):
            value = getattr(record, field.name)
            items = value if isinstance(value, list) else [value]
            stack.extend(item for item in items if attrs.has(type(item)))
    return out


def _lists(root: Any) -> list[tuple[str, list[Any]]]:
    return [
        (f"{type(record).__name__}.{field.name}", getattr(record, field.name))
        for record in _records(root)
        for field in attrs.fields(type(record))
        if isinstance(getattr(record, field.name), list)
    ]


def _one_of_each(dataset: storyfacts.Dataset) -> dict[type, Any]:
    found: dict[type, Any] = {}
    for record in _records(dataset):
        found.setdefault(type(record), record)
    return found


def _export(dataset: storyfacts.Dataset, target: Path) -> None:
    storyfacts.export(dataset, "json", target)


def test_every_list_a_load_makes_is_watched(every_kind: storyfacts.Dataset) -> None:
    lists = _lists(every_kind)
    assert {name for name, _ in lists} >= {
        "Dataset.statements",
        "Quote.evidence",
        "Quote.about",
        "Person.roles",
        "Group.members",
        "Organization.aliases",
        "Decision.sources",
    }
    assert [name for name, value in lists if type(value) is not WatchedList] == []
    assert checked_types(every_kind) == ([], True)
    assert type(storyfacts.Dataset(id="x", title="X").statements) is WatchedList


def test_an_unedited_dataset_is_neither_validated_nor_walked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dataset = storyfacts.load_bundled()

    def refuse(*_: Any) -> Any:
        raise AssertionError("checked again")

    monkeypatch.setattr(validation, "problems", refuse)
    monkeypatch.setattr(loading, "checked_types", refuse)
    storyfacts.export(dataset, "csv", tmp_path / "out")
    storyfacts.export(dataset, "json", tmp_path / "out.json")
    assert storyfacts.validate(dataset) == []
    assert json.loads((tmp_path / "out.json").read_text(encoding="utf-8")) == storyfacts.dump(
        dataset
    )


def _text_field(record: Any) -> str:
    """The first field of ``record`` that must hold text."""
    return next(
        f.name
        for f in attrs.fields(type(record))
        if f.metadata["storyfacts.expected"] == Expected((str,))
    )


MODEL_CLASSES = [
    "Dataset",
    "Article",
    "Evidence",
    "PartialDate",
    "Draft",
    "Source",
    "Person",
    "Organization",
    "Country",
    "Place",
    "Event",
    "Group",
    "Quote",
    "Claim",
    "Decision",
    "Relation",
]


@pytest.mark.parametrize("name", MODEL_CLASSES)
def test_setting_a_field_of_any_class_is_seen(
    name: str, every_kind: storyfacts.Dataset, tmp_path: Path, validations: list[Any]
) -> None:
    record = _one_of_each(every_kind)[getattr(storyfacts, name)]
    field = _text_field(record)
    target = tmp_path / "out.json"

    setattr(record, field, getattr(record, field))  # the same value: still counts
    _export(every_kind, target)
    assert len(validations) == 1
    _export(every_kind, target)
    assert len(validations) == 1  # remembered again after that check

    setattr(record, field, 7)
    target.unlink()
    with pytest.raises(storyfacts.InvalidDatasetError) as raised:
        _export(every_kind, target)
    assert "wrong-type" in {p.code for p in raised.value.problems}
    assert not target.exists()


def _first_quote(dataset: storyfacts.Dataset) -> Any:
    return next(s for s in dataset.statements if isinstance(s, storyfacts.Quote))


def _org_aliases(dataset: storyfacts.Dataset) -> list[Any]:
    org = next(e for e in dataset.entities if isinstance(e, storyfacts.Organization) and e.aliases)
    assert org.aliases is not None
    return org.aliases


#: (name, edit, the code of a problem it leaves, or None when the result is valid)
LIST_EDITS: list[tuple[str, Edit, str | None]] = [
    ("append", lambda d: d.statements.append({"id": "x"}), "wrong-type"),  # type: ignore[arg-type]
    ("extend", lambda d: d.entities.extend([None]), "wrong-type"),  # type: ignore[list-item]
    ("insert", lambda d: _first_quote(d).evidence.insert(0, "text"), "wrong-type"),
    ("pop", lambda d: d.articles.pop(), "dangling-reference"),
    ("remove", lambda d: d.articles.remove(d.articles[0]), "dangling-reference"),
    ("clear", lambda d: _first_quote(d).evidence.clear(), "empty"),
    ("sort", lambda d: d.statements.sort(key=lambda s: s.id), None),
    ("reverse", lambda d: d.entities.reverse(), None),
    ("setitem", lambda d: d.statements.__setitem__(0, d.articles[0]), "wrong-type"),
    ("setitem-slice", lambda d: _org_aliases(d).__setitem__(slice(0, 1), [7]), "wrong-type"),
    ("delitem", lambda d: d.articles.__delitem__(0), "dangling-reference"),
    ("delitem-slice", lambda d: _first_quote(d).evidence.__delitem__(slice(None)), "empty"),
    ("iadd", lambda d: d.sources.__iadd__([d.sources[0]]), "duplicate-id"),
    ("imul", lambda d: d.sources.__imul__(2), "duplicate-id"),
    ("init", lambda d: d.sources.__init__([1]), "wrong-type"),  # type: ignore[misc]
    ("aliases", lambda d: _org_aliases(d).append(7), "wrong-type"),
]


@pytest.mark.parametrize(
    ("edit", "code"), [(e, c) for _, e, c in LIST_EDITS], ids=[n for n, _, _ in LIST_EDITS]
)
def test_every_change_to_a_list_is_seen(
    edit: Edit, code: str | None, tmp_path: Path, validations: list[Any]
) -> None:
    dataset = storyfacts.load_bundled()
    validations.clear()
    edit(dataset)
    target = tmp_path / "out.json"
    if code is None:  # valid: validated once, written as it now is
        _export(dataset, target)
        assert len(validations) == 1
        assert json.loads(target.read_text(encoding="utf-8")) == storyfacts.dump(dataset)
    else:
        with pytest.raises(storyfacts.InvalidDatasetError) as raised:
            _export(dataset, target)
        assert code in {p.code for p in raised.value.problems}, raised.value.problems
        assert not target.exists()
        assert not validity.is_known_valid(dataset)


def test_augmented_assignment_on_a_list_is_seen(tmp_path: Path) -> None:
    dataset = storyfacts.load_bundled()
    dataset.sources += [dataset.sources[0]]  # __iadd__, then the field is set again
    with pytest.raises(storyfacts.InvalidDatasetError):
        _export(dataset, tmp_path / "out.json")
    dataset = storyfacts.load_bundled()
    quote = _first_quote(dataset)
    quote.evidence[0] = {"article": "x"}  # type: ignore[call-overload]
    with pytest.raises(storyfacts.InvalidDatasetError) as raised:
        _export(dataset, tmp_path / "out.json")
    assert [p.code for p in raised.value.problems] == ["wrong-type"]


def test_a_record_replaced_by_a_dict_is_refused(tmp_path: Path) -> None:
    dataset = storyfacts.load_bundled()
    dataset.entities[0] = storyfacts.dump(dataset)["entities"][0]
    with pytest.raises(storyfacts.InvalidDatasetError) as raised:
        _export(dataset, tmp_path / "out.json")
    assert [(p.path, p.code) for p in raised.value.problems] == [("$.entities[0]", "wrong-type")]


def test_true_put_into_a_whole_number_is_refused(tmp_path: Path) -> None:
    dataset = storyfacts.load_bundled()
    dataset.statements[0].evidence[0].start = True
    with pytest.raises(storyfacts.InvalidDatasetError) as raised:
        _export(dataset, tmp_path / "out.json")
    assert [p.code for p in raised.value.problems] == ["wrong-type"]
    assert not (tmp_path / "out.json").exists()


def test_a_plain_list_put_in_and_then_changed_is_still_checked(
    tmp_path: Path, validations: list[Any]
) -> None:
    dataset = storyfacts.load_bundled()
    quote = _first_quote(dataset)
    plain = list(quote.evidence)
    quote.evidence = plain  # counted: the next export validates
    validations.clear()
    _export(dataset, tmp_path / "one.json")
    assert len(validations) == 1
    assert checked_types(dataset) == ([], False)
    _export(dataset, tmp_path / "two.json")
    assert len(validations) == 1  # the fingerprint proves it unchanged
    plain.append(plain[0])  # no count sees this
    plain[-1] = attrs.evolve(plain[0], start=plain[0].start + 1)
    with pytest.raises(storyfacts.InvalidDatasetError) as raised:
        _export(dataset, tmp_path / "three.json")
    assert any("evidence" in p.code for p in raised.value.problems)
    assert not (tmp_path / "three.json").exists()


def test_a_dataset_built_with_plain_lists_is_proved_by_its_fingerprint(
    tmp_path: Path, validations: list[Any]
) -> None:
    dataset = storyfacts.Dataset(id="built", title="Built", modified="2024-01-01T00:00:00Z")
    dataset.sources = [storyfacts.Source(id="one", title="One")]
    assert storyfacts.validate(dataset) == []
    assert len(validations) == 1
    _export(dataset, tmp_path / "one.json")
    assert len(validations) == 1
    dataset.sources.append(storyfacts.Source(id="one", title="Again"))  # a plain list
    with pytest.raises(storyfacts.InvalidDatasetError) as raised:
        _export(dataset, tmp_path / "two.json")
    assert [p.code for p in raised.value.problems] == ["duplicate-id"]
    assert len(validations) == 2


def test_an_edit_elsewhere_costs_a_validation_not_a_wrong_verdict(
    tmp_path: Path, validations: list[Any]
) -> None:
    one, other = storyfacts.load_bundled(), storyfacts.load_bundled()
    other.title = "Another"
    validations.clear()
    _export(one, tmp_path / "one.json")
    assert len(validations) == 1
    _export(one, tmp_path / "two.json")
    assert len(validations) == 1


def test_a_count_read_before_an_edit_proves_nothing_after_it() -> None:
    dataset = storyfacts.load_bundled()
    before = edits.count()
    dataset.statements[0].evidence[0].text += "!"
    assert edits.count() != before
    validity.remember_valid(dataset, count=before)  # as if validation had read it earlier
    assert not validity.is_known_valid(dataset)


def test_setting_modified_still_converts_a_datetime() -> None:
    import datetime as dt

    dataset = storyfacts.load_bundled()
    before = edits.count()
    dataset.modified = dt.datetime(2024, 3, 5, 12, tzinfo=dt.UTC)  # type: ignore[assignment]
    assert dataset.modified == "2024-03-05T12:00:00Z"
    assert edits.count() != before


def test_a_watched_list_is_a_list_to_everyone(tmp_path: Path) -> None:
    watched = WatchedList(["a", {"b": [1, 2.5, None]}])
    plain = ["a", {"b": [1, 2.5, None]}]
    assert watched == plain and plain == watched
    assert repr(watched) == repr(plain)
    assert json.dumps(watched) == json.dumps(plain)
    assert orjson.dumps(watched) == orjson.dumps(plain)
    assert orjson.dumps(watched, option=orjson.OPT_INDENT_2) == orjson.dumps(
        plain, option=orjson.OPT_INDENT_2
    )
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        again = pickle.loads(pickle.dumps(watched, protocol))
        assert type(again) is WatchedList and again == plain
    for copied in (copy.copy(watched), copy.deepcopy(watched)):
        assert type(copied) is WatchedList and copied == plain
    assert type(watched.copy()) is list and type(watched + plain) is list


def test_a_dataset_survives_pickle_and_deepcopy_and_its_copy_is_checked(
    tmp_path: Path, validations: list[Any]
) -> None:
    dataset = storyfacts.load_bundled()
    validations.clear()
    for copied in (pickle.loads(pickle.dumps(dataset)), copy.deepcopy(dataset)):
        assert copied == dataset
        assert checked_types(copied) == ([], True)
        _export(copied, tmp_path / "copy.json")  # a new object: checked once
        _export(copied, tmp_path / "again.json")
        copied.statements[0].evidence.pop()
        copied.statements[0].evidence.clear()
        with pytest.raises(storyfacts.InvalidDatasetError):
            _export(copied, tmp_path / "edited.json")
    assert len(validations) == 4
    assert storyfacts.dumps(dataset) == storyfacts.dumps(storyfacts.load_bundled())


def test_a_watched_list_is_refused_and_named_as_a_plain_one() -> None:
    messages = []
    for kind in (list, WatchedList):
        with pytest.raises(FieldTypeError) as raised:
            storyfacts.Person(name="Holm", aliases=kind(["Holm", 7]))
        messages.append(str(raised.value))
    assert messages[0] == messages[1]
    assert "aliases[1]" in messages[0]
    person = storyfacts.Person(name="Holm")
    person.aliases = WatchedList(["Holm", 7])
    words = [(p.path, p.message) for p in type_problems(person)]
    person.aliases = ["Holm", 7]
    assert [(p.path, p.message) for p in type_problems(person)] == words
    assert words == [("$.aliases[1]", words[0][1])]


def test_a_draft_is_watched_too() -> None:
    text = storyfacts.bundled_path().with_suffix(".txt").read_text(encoding="utf-8")
    drafted = storyfacts.draft(text, published="2023-03-22")
    assert [name for name, value in _lists(drafted) if type(value) is not WatchedList] == []


#: Every method by which a list changes itself, each with arguments that work on [3, 1, 2].
MUTATORS: dict[str, tuple[Any, ...]] = {
    "append": (4,),
    "extend": ([4],),
    "insert": (0, 4),
    "pop": (),
    "remove": (1,),
    "clear": (),
    "sort": (),
    "reverse": (),
    "__setitem__": (0, 4),
    "__delitem__": (0,),
    "__iadd__": ([4],),
    "__imul__": (2,),
    "__init__": ([4],),
}


@pytest.mark.parametrize("name", sorted(MUTATORS))
def test_each_mutating_method_moves_the_count_and_does_what_lists_do(name: str) -> None:
    watched, plain = WatchedList([3, 1, 2]), [3, 1, 2]
    before = edits.count()
    result = getattr(watched, name)(*MUTATORS[name])
    assert edits.count() != before
    expected = getattr(plain, name)(*MUTATORS[name])
    assert watched == plain
    assert (result is watched) if name in ("__iadd__", "__imul__") else result == expected


def test_no_mutating_method_of_list_is_left_unwatched() -> None:
    """A method list has that WatchedList does not override must be one that only reads."""
    reading = {
        "__add__", "__class_getitem__", "__contains__", "__eq__", "__ge__", "__getattribute__",
        "__getitem__", "__gt__", "__iter__", "__le__", "__len__", "__lt__", "__mul__", "__ne__",
        "__new__", "__repr__", "__reversed__", "__rmul__", "__sizeof__", "__hash__", "__doc__",
        "copy", "count", "index",
    }  # fmt: skip
    unwatched = set(vars(list)) - set(vars(WatchedList)) - reading
    assert unwatched == set()
    assert set(MUTATORS) <= set(vars(WatchedList))


def test_reading_a_watched_list_counts_nothing() -> None:
    watched = WatchedList([3, 1, 2])
    before = edits.count()
    assert (len(watched), watched[0], list(watched), 1 in watched, watched.index(2)) == (
        3, 3, [3, 1, 2], True, 2,
    )  # fmt: skip
    assert sorted(watched) == [1, 2, 3] and watched.copy() == watched
    assert edits.count() == before


@pytest.mark.parametrize("format", ["csv", "ics", "json", "jsonld", "xlsx"])
def test_exporting_is_not_an_edit(format: str, tmp_path: Path, validations: list[Any]) -> None:
    """No exporter edits what it writes, so one export leaves the next with nothing to check."""
    dataset = storyfacts.load_bundled()
    before = edits.count()
    storyfacts.export(dataset, format, tmp_path / "one")
    storyfacts.export(dataset, format, tmp_path / "two")
    assert edits.count() == before
    assert len(validations) == 1  # load's own


def test_building_records_and_datasets_is_not_an_edit() -> None:
    before = edits.count()
    dataset = storyfacts.Dataset(id="d", title="T", modified="2024-01-01T00:00:00Z")
    storyfacts.Person(name="Thomas Bach", aliases=["Bach"])
    storyfacts.load_bundled()
    assert type(dataset.sources) is WatchedList
    assert edits.count() == before
