"""Building records in Python: wrong types refused or reported, defaults, dates and ids."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import storyfacts
from storyfacts import FieldTypeError, PartialDate, Person, id_from_name, model
from storyfacts.fieldtypes import Expected
from storyfacts.schema import definition

RECORD_CLASSES = [
    model.PartialDate,
    model.Evidence,
    model.Article,
    *model.ENTITY_TYPES.values(),
    *model.STATEMENT_TYPES.values(),
    model.Source,
    model.Dataset,
]


def _fields_of_kind(predicate: Any) -> list[tuple[type, str]]:
    return [
        (cls, f.name)
        for cls in RECORD_CLASSES
        for f in attrs.fields(cls)
        if predicate(f.metadata["storyfacts.expected"])
    ]


TEXT_LISTS = _fields_of_kind(lambda e: e.listed and e.kinds == (str,))
DATE_FIELDS = _fields_of_kind(lambda e: e.kinds == (model.PartialDate,))


def _sample(bundled: storyfacts.Dataset, cls: type) -> Any:
    """A valid record of class ``cls`` from the bundled dataset."""
    if cls is model.Dataset:
        return bundled
    if cls is model.Evidence:
        return bundled.statements[0].evidence[0]
    if cls is model.PartialDate:
        return bundled.articles[0].published
    return next(r for r in bundled.records() if type(r) is cls)


def test_every_text_list_field_is_found() -> None:
    """The parametrised cases below cover the list-of-text fields the issue names."""
    names = {f"{cls.__name__}.{name}" for cls, name in TEXT_LISTS}
    assert {"Person.aliases", "Person.roles", "Quote.about", "Group.members"} <= names


@pytest.mark.parametrize(("cls", "name"), TEXT_LISTS, ids=lambda v: getattr(v, "__name__", v))
def test_text_in_a_list_of_text_field_is_refused(
    bundled: storyfacts.Dataset, cls: type, name: str
) -> None:
    """A str given for a list of text is refused when built, never split into letters."""
    with pytest.raises(FieldTypeError) as caught:
        attrs.evolve(_sample(bundled, cls), **{name: "Holm"})
    assert str(caught.value) == (
        f"{cls.__name__}.{name} takes a list of text, not the text 'Holm'; "
        "put it in a list: ['Holm']."
    )
    assert (caught.value.record, caught.value.field) == (cls.__name__, name)
    assert isinstance(caught.value, TypeError)


def test_person_aliases_from_the_issue() -> None:
    """Person(aliases="Holm") is refused with a hint to put it in a list."""
    with pytest.raises(FieldTypeError, match=r"Person\.aliases takes a list of text"):
        Person(name="Holm Holmsen", aliases="Holm")  # type: ignore[arg-type]


@pytest.mark.parametrize(("cls", "name"), DATE_FIELDS, ids=lambda v: getattr(v, "__name__", v))
def test_text_for_a_partial_date_is_refused(
    bundled: storyfacts.Dataset, cls: type, name: str
) -> None:
    """A str where a PartialDate belongs is refused, pointing to PartialDate.parse."""
    with pytest.raises(FieldTypeError, match=re.escape("PartialDate.parse('2023-04')")):
        attrs.evolve(_sample(bundled, cls), **{name: "2023-04"})


def test_evidence_not_in_a_list_is_refused(bundled: storyfacts.Dataset) -> None:
    """One Evidence where a list of them belongs is refused, suggesting the list."""
    quote = _sample(bundled, model.Quote)
    with pytest.raises(FieldTypeError, match=r"Quote\.evidence takes a list of Evidence records"):
        attrs.evolve(quote, evidence=quote.evidence[0])


def test_none_for_a_dataset_list_is_refused() -> None:
    """entities=None is refused when the Dataset is built."""
    with pytest.raises(FieldTypeError, match=r"Dataset\.entities takes a list of records"):
        storyfacts.Dataset(id="d", title="T", entities=None)  # type: ignore[arg-type]


def test_a_dict_among_the_entities_is_refused_by_index() -> None:
    """A plain dict among the entities is named by its index when the Dataset is built."""
    xi = Person(name="Xi Jinping")
    with pytest.raises(FieldTypeError) as caught:
        storyfacts.Dataset(id="d", title="T", entities=[xi, {"id": "z", "type": "person"}])  # type: ignore[list-item]
    assert caught.value.field == "entities[1]"
    assert "not a dict; build the record from its class" in str(caught.value)


def test_a_number_for_text_and_true_for_a_number_are_refused() -> None:
    """Scalars are checked too: 5 is not text, True is not a whole number."""
    with pytest.raises(FieldTypeError, match=r"Person\.name takes text, not the number 5"):
        Person(id="p", name=5)  # type: ignore[arg-type]
    with pytest.raises(FieldTypeError, match=r"Evidence\.start takes a whole number, not True"):
        storyfacts.Evidence(article="a", start=True, end=3, text="abc")


def test_right_types_are_accepted_at_every_size(bundled: storyfacts.Dataset) -> None:
    """Every record of the bundled dataset can be rebuilt from its own fields."""
    for record in [*bundled.records(), bundled]:
        assert attrs.evolve(record) == record


def _mutated(bundled: storyfacts.Dataset) -> storyfacts.Dataset:
    """The bundled dataset with wrong types put in after the records were built."""
    bundled.entities.append({"id": "zz", "type": "person", "name": "Z"})  # type: ignore[arg-type]
    bundled.entities[0].aliases = "Holm"  # type: ignore[assignment]
    bundled.entities[0].roles = ["president", 7]  # type: ignore[list-item]
    bundled.entities[1].name = 5  # type: ignore[assignment]
    bundled.statements[0].date = "2023-04"  # type: ignore[assignment]
    bundled.statements[1].evidence = bundled.statements[1].evidence[0]  # type: ignore[assignment]
    return bundled


def test_validate_reports_wrong_types_put_in_later(bundled: storyfacts.Dataset) -> None:
    """Values assigned or appended after building are problems with paths, not a traceback."""
    appended = len(bundled.entities)  # _mutated() appends one entity
    problems = storyfacts.validate(_mutated(bundled))
    assert [(p.path, p.code) for p in problems] == [
        ("$.entities[0].aliases", "wrong-type"),
        ("$.entities[0].roles[1]", "wrong-type"),
        ("$.entities[1].name", "wrong-type"),
        (f"$.entities[{appended}]", "wrong-type"),
        ("$.statements[0].date", "wrong-type"),
        ("$.statements[1].evidence", "wrong-type"),
    ]
    assert problems[0].message == (
        "Expected a list of text here, found the text 'Holm'; put it in a list: ['Holm']."
    )


def test_validate_keeps_other_problems_beside_wrong_types(bundled: storyfacts.Dataset) -> None:
    """A wrong type that can still be written out does not hide what the schema finds elsewhere."""
    bundled.entities[1].name = 5  # type: ignore[assignment]
    bundled.entities[2].name = ""
    problems = storyfacts.validate(bundled)
    assert [p.path for p in problems] == ["$.entities[1].name", "$.entities[2].name"]
    # One message for the wrong type, not a second one from the schema in other words.
    assert [p.code for p in problems] == ["wrong-type", "empty"]


def test_validate_gives_the_wrong_types_first_when_they_block_the_rest(
    bundled: storyfacts.Dataset,
) -> None:
    """Text in a list of text cannot be written out: its problem comes alone, then the rest."""
    bundled.entities[0].aliases = "Holm"  # type: ignore[assignment]
    bundled.entities[2].name = ""
    assert [p.path for p in storyfacts.validate(bundled)] == ["$.entities[0].aliases"]
    bundled.entities[0].aliases = ["Holm"]
    assert [p.path for p in storyfacts.validate(bundled)] == ["$.entities[2].name"]


def test_load_of_a_dataset_checks_it(bundled: storyfacts.Dataset) -> None:
    """load() of a Dataset returns it when valid and raises with every problem when not."""
    assert storyfacts.load(bundled) is bundled
    with pytest.raises(storyfacts.InvalidDatasetError, match="6 problems"):
        storyfacts.load(_mutated(bundled))


def test_dump_refuses_what_is_not_a_dataset() -> None:
    """dump(None) and dump(plain data) are a TypeError naming what was given."""
    with pytest.raises(TypeError, match=r"dump\(\) takes a storyfacts Dataset, not None"):
        storyfacts.dump(None)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="not a dict"):
        storyfacts.dump({"id": "x"})  # type: ignore[arg-type]


def test_dump_refuses_text_assigned_to_a_list_field(bundled: storyfacts.Dataset) -> None:
    """Text assigned later to a list of text is refused by dump, never written as letters."""
    bundled.entities[0].aliases = "Holm"  # type: ignore[assignment]
    with pytest.raises(storyfacts.InvalidDatasetError) as caught:
        storyfacts.dump(bundled)
    assert [p.path for p in caught.value.problems] == ["$.entities[0].aliases"]


def test_dump_refuses_text_assigned_to_a_date(bundled: storyfacts.Dataset) -> None:
    """A str assigned to a date field is a problem from dump, not an AttributeError."""
    bundled.statements[0].date = "2023-04"  # type: ignore[assignment]
    with pytest.raises(storyfacts.InvalidDatasetError, match=r"\$\.statements\[0\]\.date"):
        storyfacts.dumps(bundled)


# Defaults -------------------------------------------------------------------


def test_dataset_defaults_schema_version_and_modified() -> None:
    """A Dataset needs only an id and a title; the rest has defaults."""
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    dataset = storyfacts.Dataset(id="d", title="T")
    assert dataset.schema_version == storyfacts.SCHEMA_VERSION
    assert dataset.modified.endswith("Z")
    assert before <= dataset.modified_datetime() <= dt.datetime.now(dt.UTC)
    assert storyfacts.validate(dataset) == []


@pytest.mark.parametrize(
    ("given", "text"),
    [
        (dt.datetime(2023, 3, 22, 10, 0, tzinfo=dt.UTC), "2023-03-22T10:00:00Z"),
        (
            dt.datetime(2023, 3, 22, 13, 0, 0, 250000, tzinfo=dt.timezone(dt.timedelta(hours=3))),
            "2023-03-22T10:00:00.25Z",
        ),
        (dt.date(2023, 3, 22), "2023-03-22T00:00:00Z"),
        ("2023-03-22T10:00:00+03:00", "2023-03-22T10:00:00+03:00"),
    ],
)
def test_modified_takes_a_datetime_a_date_or_text(given: Any, text: str) -> None:
    """A datetime becomes RFC 3339 text in UTC, a date its midnight, and text stays as given."""
    assert storyfacts.Dataset(id="d", title="T", modified=given).modified == text
    dataset = storyfacts.Dataset(id="d", title="T")
    dataset.modified = given
    assert dataset.modified == text


def test_modified_refuses_a_datetime_without_a_time_zone() -> None:
    """A naive datetime is refused: it names no single instant."""
    with pytest.raises(ValueError, match="needs a datetime with a time zone"):
        storyfacts.Dataset(id="d", title="T", modified=dt.datetime(2023, 3, 22, 10))


def test_modified_refuses_a_number() -> None:
    """Neither text nor a date: refused like any wrong type."""
    with pytest.raises(FieldTypeError, match=r"Dataset\.modified takes text"):
        storyfacts.Dataset(id="d", title="T", modified=20230322)  # type: ignore[arg-type]


# Partial dates --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "precision"),
    [("2024", "year"), ("2023-04", "month"), ("2023-W13", "week"), ("2023-03-22", "day")],
)
def test_partial_date_parse_reads_the_precision(text: str, precision: str) -> None:
    """The precision comes from the form of the text."""
    date = PartialDate.parse(text, phrase="from April", source="ioc-2023")
    assert (date.value, date.precision, date.phrase, date.source) == (
        text,
        precision,
        "from April",
        "ioc-2023",
    )


def test_partial_date_parse_takes_a_date() -> None:
    """A datetime.date is a date at day precision."""
    date = PartialDate.parse(dt.date(2023, 3, 22), "today")
    assert (date.value, date.precision, date.phrase) == ("2023-03-22", "day", "today")


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("2023-4", "not a date as YYYY, YYYY-MM, YYYY-MM-DD or an ISO week YYYY-Www"),
        ("April 2023", "not a date as YYYY"),
        ("2023-04-01T10:00", "not a date as YYYY"),
        ("2023-13", "month must be in 1..12"),
        ("2023-00", "month must be in 1..12"),
        ("2023-02-29", "day is out of range for month"),
        ("0000", "year 0 is out of range"),
        ("２０２３", "not a date as YYYY"),
        ("2023-W54", "not a week that exists"),
        ("2023-W1", "not a date as YYYY"),
    ],
)
def test_partial_date_parse_refuses_bad_text(text: str, why: str) -> None:
    """Text in another form, or a day that does not exist, is a ValueError saying why."""
    with pytest.raises(ValueError, match=re.escape(why)):
        PartialDate.parse(text)


def test_partial_date_parse_refuses_other_types() -> None:
    """A number is not a date."""
    with pytest.raises(TypeError, match="takes ISO text or a date"):
        PartialDate.parse(2023)  # type: ignore[arg-type]


# Ids from names -------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Xi Jinping", "xi-jinping"),
        ("International Olympic Committee (IOC)", "international-olympic-committee-ioc"),
        ("Côte d'Ivoire", "cote-divoire"),
        ("Thomas Bach", "thomas-bach"),
        ("Großbritannien", "grossbritannien"),
        ("  G7 -- summit  ", "g7-summit"),
    ],
)
def test_id_from_name(name: str, expected: str) -> None:
    """Names become lower-case ids with single hyphens."""
    assert id_from_name(name) == expected


def test_id_pattern_is_the_schemas() -> None:
    """The pattern ids are made to is the schema's Id pattern."""
    from storyfacts.ids import ID_PATTERN, MAX_ID_LENGTH

    schema_id = definition("Id")
    assert ID_PATTERN.pattern.removesuffix(r"\Z") == schema_id["pattern"].removesuffix("$")
    assert schema_id["maxLength"] == MAX_ID_LENGTH


@given(st.text(max_size=300))
def test_every_made_id_is_valid_or_refused(name: str) -> None:
    """Any name gives an id the schema accepts, or a ValueError asking for one."""
    try:
        made = id_from_name(name)
    except ValueError as error:
        assert "give the id yourself" in str(error)
        return
    assert re.fullmatch(definition("Id")["pattern"].removesuffix("$"), made)
    assert len(made) <= 200


def test_an_entity_without_an_id_gets_one_from_its_name() -> None:
    """Person(name="Xi Jinping") has the id xi-jinping, written first when dumped."""
    xi = Person(name="Xi Jinping")
    assert xi.id == "xi-jinping"
    dataset = storyfacts.Dataset(id="d", title="T", modified="2023-03-22T00:00:00Z", entities=[xi])
    assert list(storyfacts.dump(dataset)["entities"][0]) == ["id", "type", "name"]


def test_a_made_id_stays_when_the_name_changes() -> None:
    """The id is made once, when the record is built: references to it keep working."""
    xi = Person(name="Xi Jinping")
    xi.name = "Xi Jin-ping"
    assert xi.id == "xi-jinping"


def test_a_name_without_latin_letters_needs_an_id() -> None:
    """A name in Chinese characters cannot make an id; the error says to give one."""
    with pytest.raises(ValueError, match="give the id yourself"):
        Person(name="习近平")
    assert Person(id="xi-jinping", name="习近平").id == "xi-jinping"


def test_two_records_with_the_same_made_id_are_a_problem() -> None:
    """Two people whose names make the same id are reported, not merged."""
    dataset = storyfacts.Dataset(
        id="d",
        title="T",
        entities=[Person(name="Xi Jinping"), Person(name="Xi  Jinping")],
    )
    problems = storyfacts.validate(dataset)
    assert [(p.path, p.code) for p in problems] == [("$.entities[1].id", "duplicate-id")]
    assert problems[0].message == (
        "The id 'xi-jinping' is already used by $.entities[0]; ids must be unique in the "
        "dataset. It was made from the name 'Xi  Jinping': give one of the two records an id "
        "of its own."
    )


def test_a_duplicate_id_given_by_hand_says_nothing_of_names() -> None:
    """Only an id made from the record's name gets the hint about names."""
    dataset = storyfacts.Dataset(
        id="d",
        title="T",
        entities=[Person(id="xi", name="Xi Jinping"), Person(id="xi", name="Someone Else")],
    )
    [problem] = storyfacts.validate(dataset)
    assert problem.message.endswith("ids must be unique in the dataset.")


def test_a_whole_number_is_a_number_but_true_is_not() -> None:
    """A float field takes 1 as Python's typing does, and refuses True."""
    assert model.Draft(rule="quote", confidence=1).confidence == 1
    with pytest.raises(FieldTypeError, match=r"Draft\.confidence takes a number, not True"):
        model.Draft(rule="quote", confidence=True)


def test_expected_words() -> None:
    """Types read as words in messages."""
    assert Expected((str,), listed=True).words == "a list of text"
    assert Expected((int,)).words == "a whole number"
    assert Expected((model.PartialDate,), optional=True).words == "a PartialDate"
