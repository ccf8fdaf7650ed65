"""The jsonld exporter: schema.org terms, an inline context, nothing fetched, stable bytes."""

from __future__ import annotations

import collections
import copy
import json
import os
import re
import socket
import subprocess
import sys
import warnings
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import rdflib
from pyld import jsonld
from rdflib.compare import isomorphic

import storyfacts
from storyfacts.testing import make_dataset

SCHEMA = "https://schema.org/"
VOCABULARY = Path(__file__).parent / "data" / "schemaorg" / "schemaorg-30.0-terms.json"
BASE = "urn:storyfacts:putin-xi-olympics-2023:"
BASE_GENERATED = f"urn:storyfacts:{make_dataset(12).id}:"
S = rdflib.Namespace(SCHEMA)

# rdflib 7.6 parses JSON-LD through its own deprecated ConjunctiveGraph.
rdflib_deprecation = pytest.mark.filterwarnings(
    "ignore:ConjunctiveGraph is deprecated:DeprecationWarning"
)


def refuse(url: str, options: Any = None) -> Any:
    """A pyld document loader that fails the test on any fetch."""
    raise AssertionError(f"the JSON-LD processor tried to fetch {url}")


def _blocked(*args: Any, **kwargs: Any) -> Any:
    raise AssertionError(f"network access attempted: {args!r}")


def block_network(patch: pytest.MonkeyPatch) -> None:
    """Make every attempt to look up a host or open a connection fail loudly."""
    patch.setattr(socket.socket, "connect", _blocked)
    patch.setattr(socket, "create_connection", _blocked)
    patch.setattr(socket, "getaddrinfo", _blocked)


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    block_network(monkeypatch)


def export_text(tmp_path: Path, dataset: Any = None, **options: str) -> str:
    target = storyfacts.export(dataset, "jsonld", tmp_path / "story.jsonld", options=options)
    return target.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def text(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The bundled dataset exported once for the module."""
    return export_text(tmp_path_factory.mktemp("jsonld"))


@pytest.fixture(scope="module")
def document(text: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(text)
    return data


@pytest.fixture(scope="module")
def flattened(document: dict[str, Any]) -> list[dict[str, Any]]:
    """Every node, expanded to full IRIs by pyld, with no loader but one that refuses."""
    nodes: list[dict[str, Any]] = jsonld.flatten(document, None, {"documentLoader": refuse})
    return nodes


@pytest.fixture(scope="module")
def graph(text: str) -> Iterator[rdflib.Graph]:
    """The bundled export parsed by rdflib."""
    with pytest.MonkeyPatch.context() as patch, warnings.catch_warnings():
        warnings.filterwarnings("ignore", "ConjunctiveGraph is deprecated", DeprecationWarning)
        block_network(patch)
        parsed = rdflib.Graph().parse(data=text, format="json-ld")
    yield parsed


@cache
def vocabulary() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(VOCABULARY.read_text(encoding="utf-8"))
    return data


def ancestors(name: str) -> set[str]:
    """A schema.org class and every class above it."""
    classes = vocabulary()["classes"]
    found, todo = set(), [name]
    while todo:
        current = todo.pop()
        if current not in found:
            found.add(current)
            todo.extend(classes[current]["subClassOf"])
    return found


def term(iri: str) -> str:
    assert iri.startswith(SCHEMA), f"{iri} is not a schema.org term"
    return iri.removeprefix(SCHEMA)


def properties(node: dict[str, Any]) -> list[str]:
    return [key for key in node if not key.startswith("@")]


# The exporter and its output as JSON -----------------------------------------


def test_exporter_is_registered_as_a_streaming_jsonld_format() -> None:
    """The built-in plugin registers jsonld with its extension and media type."""
    exporter = next(e for e in storyfacts.formats() if e.name == "jsonld")
    assert (exporter.extension, exporter.media_type) == (".jsonld", "application/ld+json")
    assert exporter.streams and not exporter.directory
    assert exporter.plugin == "storyfacts.exporters.jsonld"


def test_context_is_inline_and_never_remote(document: dict[str, Any]) -> None:
    """Every @context in the output is an object, so no processor has to fetch one."""
    contexts: list[Any] = []

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            if "@context" in value:
                contexts.append(value["@context"])
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(document)
    assert contexts == [document["@context"]]
    assert isinstance(document["@context"], dict)
    assert document["@context"]["@vocab"] == SCHEMA
    assert not any(
        isinstance(v, str) and "://" in v and k != "@vocab" for k, v in document["@context"].items()
    )


def test_output_is_canonical_json(text: str) -> None:
    """The streamed text is exactly what one json.dumps with indent 2 would give."""
    assert text == json.dumps(json.loads(text), indent=2, ensure_ascii=False) + "\n"
    assert "Fédération Internationale d'Escrime" in text  # non-ASCII kept as is


def test_two_exports_are_byte_identical(tmp_path: Path) -> None:
    """Exporting the same dataset twice gives the same bytes."""
    first = storyfacts.export(None, "jsonld", tmp_path / "a.jsonld").read_bytes()
    second = storyfacts.export(None, "jsonld", tmp_path / "b.jsonld").read_bytes()
    assert first == second


def test_progress_counts_every_record(tmp_path: Path, bundled: storyfacts.Dataset) -> None:
    """context.advance is called once per record, ending at the total."""
    calls: list[tuple[int, int]] = []
    storyfacts.export(
        bundled, "jsonld", tmp_path / "p.jsonld", progress=lambda d, t: calls.append((d, t))
    )
    total = len(list(bundled.records()))
    assert calls == [(done, total) for done in range(1, total + 1)]


def test_an_empty_dataset_gives_an_empty_graph(tmp_path: Path, seed_data: dict[str, Any]) -> None:
    """A dataset with no records still exports as valid JSON-LD with an empty @graph."""
    for section in ("articles", "entities", "statements", "sources"):
        seed_data[section] = []
    text = export_text(tmp_path, seed_data)
    assert json.loads(text)["@graph"] == []
    assert text == json.dumps(json.loads(text), indent=2, ensure_ascii=False) + "\n"


def test_base_option_sets_every_id(tmp_path: Path) -> None:
    """With -O base=..., every node id starts with that base."""
    document = json.loads(export_text(tmp_path, base="https://example.org/story/"))
    ids = [node["@id"] for node in document["@graph"]]
    assert "https://example.org/story/putin" in ids
    assert all(i.startswith("https://example.org/story/") for i in ids)


@pytest.mark.parametrize("base", ["not an iri", "https://example.org/story", "/relative/"])
def test_a_bad_base_is_refused_and_nothing_is_written(tmp_path: Path, base: str) -> None:
    """A base that is not an absolute IRI ending in / # or : fails, naming the option."""
    with pytest.raises(storyfacts.OptionError, match="base=") as caught:
        storyfacts.export(None, "jsonld", tmp_path / "x.jsonld", options={"base": base})
    assert "jsonld" in str(caught.value)
    assert list(tmp_path.iterdir()) == []


# Offline JSON-LD processing -------------------------------------------------


def test_pyld_expands_it_offline_to_schema_org_iris(
    no_network: None, document: dict[str, Any]
) -> None:
    """pyld expands the output with a loader that refuses, and every term is schema.org's."""
    expanded = jsonld.expand(document, {"documentLoader": refuse})
    assert len(expanded) == len(document["@graph"])
    for node in expanded:
        for key in properties(node):
            term(key)
        for kind in node["@type"]:
            term(kind)


@rdflib_deprecation
def test_rdflib_and_pyld_read_the_same_graph(
    no_network: None, text: str, document: dict[str, Any]
) -> None:
    """rdflib, offline, reads the very triples pyld's own RDF conversion gives."""
    nquads = jsonld.to_rdf(document, {"format": "application/n-quads", "documentLoader": refuse})
    from_pyld = rdflib.Graph().parse(data=nquads, format="nt")
    from_rdflib = rdflib.Graph().parse(data=text, format="json-ld")
    assert len(from_rdflib) > 500
    assert isomorphic(from_pyld, from_rdflib)


def test_every_node_has_a_stable_id(flattened: list[dict[str, Any]]) -> None:
    """No node, however deeply nested, is left a blank node."""
    assert flattened
    assert [n["@id"] for n in flattened if n["@id"].startswith("_:")] == []


# schema.org vocabulary ------------------------------------------------------


def test_every_type_and_property_is_in_the_schema_org_vocabulary(
    flattened: list[dict[str, Any]],
) -> None:
    """Types are schema.org classes and properties are schema.org properties, none superseded."""
    classes, props = vocabulary()["classes"], vocabulary()["properties"]
    used_types = {term(kind) for node in flattened for kind in node.get("@type", [])}
    used_props = {term(key) for node in flattened for key in properties(node)}
    assert used_types - set(classes) == set()
    assert used_props - set(props) == set()
    superseded = {
        n
        for n in used_types | used_props
        if (classes.get(n) or props.get(n) or {}).get("supersededBy")
    }
    assert superseded == set()
    assert {"NewsArticle", "Quotation", "Claim", "OrganizationRole", "SportsEvent"} <= used_types


def test_enumeration_and_class_values_exist(flattened: list[dict[str, Any]]) -> None:
    """eventStatus values are EventStatusType members and interactionType values are Actions."""
    members = vocabulary()["enumeration_members"]
    statuses = {term(v["@id"]) for n in flattened for v in n.get(SCHEMA + "eventStatus", [])}
    assert statuses
    assert all(members[s]["types"] == ["EventStatusType"] for s in statuses)
    actions = {term(v["@id"]) for n in flattened for v in n.get(SCHEMA + "interactionType", [])}
    assert actions and all("Action" in ancestors(a) for a in actions)


def domain_misfits(flattened: list[dict[str, Any]]) -> list[str]:
    """ "node property" for each property whose domainIncludes misses its node's types.

    A schema.org Role repeats the property that points at it (an Organization's
    ``member`` is a Role whose ``member`` is the real member), so on a Role the
    properties that lead to it are allowed as well.
    """
    props = vocabulary()["properties"]
    leading: dict[str, set[str]] = {}
    for node in flattened:
        for key in properties(node):
            for value in node[key]:
                if "@id" in value:
                    leading.setdefault(value["@id"], set()).add(term(key))
    misfits = []
    for node in flattened:
        kinds = set().union(*(ancestors(term(k)) for k in node["@type"]))
        for key in properties(node):
            name = term(key)
            if "Role" in kinds and name in leading.get(node["@id"], set()):
                continue
            if not kinds & set(props[name]["domainIncludes"]):
                misfits.append(f"{node['@id']} {name}")
    return misfits


def test_every_property_fits_the_domain_of_its_node(flattened: list[dict[str, Any]]) -> None:
    """Each property's domainIncludes covers its node's type, Role nodes aside."""
    assert domain_misfits(flattened) == []


#: schema.org's data types: a property whose range has one takes a literal.
DATATYPES = {"Text", "URL", "Date", "DateTime", "Time", "Number", "Integer", "Float", "Boolean"}
DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def range_misfits(flattened: list[dict[str, Any]]) -> list[str]:
    """ "node property value" for each value outside its property's rangeIncludes.

    A node's value fits when one of its classes (or their superclasses) is in
    the range; an enumeration member by its enumeration; a literal by its
    datatype, and a ``schema:Date`` only when it is a whole day. A Role value
    is schema.org's Role pattern: the Role's own properties are checked on it.
    """
    vocabulary_ = vocabulary()
    props, members = vocabulary_["properties"], vocabulary_["enumeration_members"]
    types = {
        n["@id"]: set().union(*(ancestors(term(k)) for k in n.get("@type", []))) for n in flattened
    }
    misfits = []
    for node in flattened:
        for key in properties(node):
            name = term(key)
            allowed = set(props[name]["rangeIncludes"])
            for value in node[key]:
                where = f"{node['@id']} {name}"
                if "@id" in value:
                    iri = value["@id"]
                    if iri in types:
                        kinds = types[iri]
                    elif iri.startswith(SCHEMA) and term(iri) in members:
                        kinds = set().union(*map(ancestors, members[term(iri)]["types"]))
                    elif iri.startswith(SCHEMA):
                        kinds = ancestors(term(iri))  # a class named as a value
                    else:
                        kinds = {"URL"}  # a link to a page outside the graph
                    if "Role" not in kinds and not kinds & allowed:
                        misfits.append(f"{where} {iri}")
                    continue
                datatype = value.get("@type", "")
                if datatype.startswith(SCHEMA):
                    if term(datatype) not in allowed:
                        misfits.append(f"{where} {value['@value']!r} ({term(datatype)})")
                    elif term(datatype) == "Date" and not DAY.fullmatch(str(value["@value"])):
                        misfits.append(f"{where} {value['@value']!r} is not a whole day")
                elif not allowed & DATATYPES:
                    misfits.append(f"{where} {value['@value']!r} (a literal)")
    return misfits


def test_every_value_fits_the_range_of_its_property(flattened: list[dict[str, Any]]) -> None:
    """Each value is of a class or datatype its property's rangeIncludes names."""
    assert range_misfits(flattened) == []


def test_the_range_check_finds_a_country_as_an_author() -> None:
    """The check is not empty: a Country author and a month typed Date are both caught."""
    graph_ = [
        {
            "@id": "urn:x:claim",
            "@type": [SCHEMA + "Claim"],
            SCHEMA + "author": [{"@id": "urn:x:ru"}],
        },
        {"@id": "urn:x:ru", "@type": [SCHEMA + "Country"]},
        {
            "@id": "urn:x:event",
            "@type": [SCHEMA + "Event"],
            SCHEMA + "startDate": [{"@value": "2023-04", "@type": SCHEMA + "Date"}],
        },
    ]
    assert range_misfits(graph_) == [
        "urn:x:claim author urn:x:ru",
        "urn:x:event startDate '2023-04' is not a whole day",
    ]


def with_every_relation(seed_data: dict[str, Any]) -> dict[str, Any]:
    """The bundled data plus one relation of each kind and subject type not yet in it."""
    evidence = seed_data["statements"][0]["evidence"]
    extra = [
        ("xi", "located_in", "moscow"),
        ("ioc", "located_in", "lausanne"),
        ("joint-statement-parties", "located_in", "moscow"),
        ("lausanne", "part_of", "switzerland"),
        ("oca-athletes-forum-2023", "part_of", "asian-games-hangzhou-2022"),
        ("putin", "part_of", "joint-statement-parties"),
        ("western-countries", "part_of", "sco"),
        ("ioc", "organizes", "paris-2024"),
        ("fie", "member_of", "ioc"),
        ("xi", "member_of", "joint-statement-parties"),  # restates the group's members
    ]
    # A group organiser acts through its members, one of whom a relation also names
    # (rel-putin-hosts-xi-state-visit): Putin must not be the visit's organiser twice.
    visit = next(e for e in seed_data["entities"] if e["id"] == "xi-state-visit-russia-2023")
    visit["organizer"] = "joint-statement-parties"
    for i, (subject, relation, obj) in enumerate(extra):
        seed_data["statements"].append(
            {
                "id": f"rel-extra-{i}",
                "type": "relation",
                "summary": f"{subject} {relation} {obj}.",
                "evidence": evidence,
                "subject": subject,
                "relation": relation,
                "object": obj,
            }
        )
    return seed_data


@pytest.mark.parametrize("dataset", ["every relation", "generated"])
def test_other_datasets_use_only_fitting_schema_org_terms(
    tmp_path: Path, seed_data: dict[str, Any], dataset: str
) -> None:
    """Every relation kind, and a generated two-article dataset, stay within schema.org."""
    data = with_every_relation(seed_data) if dataset == "every relation" else make_dataset(40)
    document = json.loads(export_text(tmp_path, data))
    flattened = jsonld.flatten(document, None, {"documentLoader": refuse})
    classes, props = vocabulary()["classes"], vocabulary()["properties"]
    assert {term(k) for node in flattened for k in node["@type"]} <= set(classes)
    assert {term(k) for node in flattened for k in properties(node)} <= set(props)
    assert domain_misfits(flattened) == []
    assert range_misfits(flattened) == []
    assert [n["@id"] for n in flattened if n["@id"].startswith("_:")] == []


def test_each_article_mentions_what_its_evidence_names(tmp_path: Path) -> None:
    """With two articles, each mentions exactly the entities evidenced in it."""
    dataset = make_dataset(12)
    nodes = {n["@id"]: n for n in json.loads(export_text(tmp_path, dataset))["@graph"]}
    for article in dataset.articles:
        mentioned = nodes[BASE_GENERATED + article.id].get("mentions", [])
        mentioned_ids = {m["@id"].removeprefix(BASE_GENERATED) for m in mentioned}
        for entity in dataset.entities:
            places = {e.article for e in entity.evidence or []}
            assert (entity.id in mentioned_ids) == (article.id in places), (article.id, entity.id)


# What the graph says ---------------------------------------------------------


def node_of(record_id: str) -> rdflib.URIRef:
    return rdflib.URIRef(BASE + record_id)


def acting(dataset: storyfacts.Dataset, record_id: str) -> set[rdflib.URIRef]:
    """The nodes that act for an entity of the bundled data: a group's members, or itself."""
    entity = next(e for e in dataset.entities if e.id == record_id)
    if isinstance(entity, storyfacts.Group):
        assert entity.members
        return {node_of(i) for i in entity.members}
    return {node_of(record_id)}


def test_one_news_article_mentions_every_entity(
    graph: rdflib.Graph, bundled: storyfacts.Dataset
) -> None:
    """The graph has one NewsArticle; it mentions what the story names, and only that."""
    articles = list(graph.subjects(rdflib.RDF.type, S.NewsArticle))
    assert articles == [node_of(bundled.articles[0].id)]
    mentioned = set(graph.objects(articles[0], S.mentions))
    assert mentioned == {node_of(e.id) for e in bundled.entities if e.evidence}
    assert node_of("france") not in mentioned  # in the graph, as Paris's country
    assert (node_of("france"), rdflib.RDF.type, S.Country) in graph
    article = bundled.articles[0]
    assert graph.value(articles[0], S.articleBody) == rdflib.Literal(article.body)
    assert graph.value(articles[0], S.url) == rdflib.URIRef(article.url)
    assert graph.value(articles[0], S.publisher) == node_of(article.publisher)


def test_every_entity_and_statement_is_a_typed_node(
    graph: rdflib.Graph, bundled: storyfacts.Dataset
) -> None:
    """Each entity and statement id is the subject of a node with a schema.org type."""
    for record in [*bundled.entities, *bundled.statements]:
        kinds = list(graph.objects(node_of(record.id), rdflib.RDF.type))
        assert len(kinds) == 1, record.id
        assert str(kinds[0]).startswith(SCHEMA), record.id


def test_quotes_keep_their_words_speaker_and_outlet(
    graph: rdflib.Graph, bundled: storyfacts.Dataset
) -> None:
    """A Quotation keeps the quote's words, its speaker as creator, and its outlet."""
    quotes = [s for s in bundled.statements if isinstance(s, storyfacts.Quote)]
    assert quotes
    for quote in quotes:
        subject = node_of(quote.id)
        assert (subject, rdflib.RDF.type, S.Quotation) in graph
        assert graph.value(subject, S.text) == rdflib.Literal(quote.text)
        speakers = acting(bundled, quote.speaker)
        assert set(graph.objects(subject, S.creator)) == speakers
        assert graph.value(subject, S.isPartOf) == node_of(quote.evidence[0].article)
        if quote.reported_by:
            # The statement is the speaker's work; the agency published a report of it.
            work = graph.value(subject, S.isBasedOn)
            assert set(graph.objects(work, S.author)) == speakers
            assert graph.value(work, S.publisher) is None
            report = graph.value(work, S.subjectOf)
            assert graph.value(report, S.publisher) == node_of(quote.reported_by)


def test_claims_name_their_author_object_and_appearance(
    graph: rdflib.Graph, bundled: storyfacts.Dataset
) -> None:
    """A Claim's author is the subject, it is about the object, and appears in the article."""
    claim = next(s for s in bundled.statements if s.id == "claim-parties-welcome-ioc")
    subject = node_of(claim.id)
    assert (subject, rdflib.RDF.type, S.Claim) in graph
    # The parties to the joint statement are Putin and Xi, who both wrote it.
    assert set(graph.objects(subject, S.author)) == {node_of("putin"), node_of("xi")}
    assert node_of("ioc") in set(graph.objects(subject, S.about))
    expected = node_of("claim-ioc-eb-expected-to-discuss-paris-2024")
    assert node_of("paris-2024") in set(graph.objects(expected, S.about))
    appearances = set(graph.objects(subject, S.appearance))
    assert node_of("itg-1135067") in appearances
    assert node_of("tass") in {graph.value(a, S.publisher) for a in appearances}


def test_memberships_and_roles_use_the_role_pattern(graph: rdflib.Graph) -> None:
    """SCO's member is a Role naming Russia; Putin's memberOf Role says President."""
    role = node_of("rel-russia-member-of-sco")
    assert role in set(graph.objects(node_of("sco"), S.member))
    state = graph.value(role, S.member)
    assert (state, rdflib.RDF.type, S.GovernmentOrganization) in graph
    assert graph.value(state, S.areaServed) == node_of("russia")
    assert (role, rdflib.RDF.type, S.OrganizationRole) in graph
    office = node_of("rel-putin-president-of-russia")
    assert office in set(graph.objects(node_of("putin"), S.memberOf))
    assert graph.value(graph.value(office, S.memberOf), S.areaServed) == node_of("russia")
    assert graph.value(office, S.roleName) == rdflib.Literal("President")


def test_partial_dates_stay_partial(graph: rdflib.Graph) -> None:
    """A month-precision date is written as YYYY-MM, never padded to a day."""
    readmission = node_of("fie-readmission-russian-belarusian-fencers")
    # schema:Date is a whole day, so a month is plain text.
    assert graph.value(readmission, S.startDate) == rdflib.Literal("2023-04")
    decision = node_of("decision-fie-readmit-russian-belarusian-fencers")
    # The dataset says the readmission takes effect from April 2023 with no end.
    assert graph.value(decision, S.temporalCoverage) == rdflib.Literal("2023-04/..")
    assert graph.value(decision, S.dateCreated) == rdflib.Literal("2023-03-10", datatype=S.Date)
    counts = {
        int(str(graph.value(c, S.userInteractionCount)))
        for c in graph.objects(decision, S.interactionStatistic)
    }
    assert counts == {89, 46}


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        # schema.org: EventScheduled "is taking place or has taken place ... as scheduled".
        ("scheduled", "EventScheduled"),
        ("ongoing", "EventScheduled"),
        ("completed", "EventScheduled"),
        ("postponed", "EventPostponed"),
        ("cancelled", "EventCancelled"),
        # Nothing in EventStatusType means "not yet scheduled".
        ("proposed", None),
    ],
)
def test_event_status_maps_to_schema_org_values(
    tmp_path: Path, seed_data: dict[str, Any], status: str, expected: str | None
) -> None:
    """Each storyfacts event status gets the EventStatusType whose definition fits, or none."""
    data = copy.deepcopy(seed_data)
    event = next(e for e in data["entities"] if e["id"] == "paris-2024")
    event["status"] = status
    nodes = json.loads(export_text(tmp_path, data))["@graph"]
    node = next(n for n in nodes if n["@id"] == BASE + "paris-2024")
    assert node.get("eventStatus") == (None if expected is None else SCHEMA + expected)


def test_documented_examples_match_the_output(document: dict[str, Any]) -> None:
    """Every JSON example in docs/formats/jsonld.md is the context or a node as exported."""
    page = Path(__file__).parent.parent / "docs" / "formats" / "jsonld.md"
    blocks = re.findall(r"```json\n(.*?)```", page.read_text(encoding="utf-8"), re.DOTALL)
    examples = [json.loads(block) for block in blocks]
    nodes = {node["@id"]: node for node in document["@graph"]}
    assert len(examples) >= 3
    for example in examples:
        if "@vocab" in example:
            assert example == document["@context"]
        else:
            assert example == nodes[example["@id"]]


UNSAFE = "Ends </script><!-- here & there\u2028next\u2029"


@rdflib_deprecation
def test_text_is_escaped_for_a_script_element(
    tmp_path: Path, seed_data: dict[str, Any], no_network: None
) -> None:
    """<, >, &, U+2028 and U+2029 are \\u escapes; JSON, pyld and rdflib read the same text."""
    seed_data["entities"][0]["description"] = UNSAFE
    text = export_text(tmp_path, seed_data)
    assert not any(char in text for char in "<>&\u2028\u2029")
    assert '"Ends \\u003c/script\\u003e\\u003c!-- here \\u0026 there\\u2028next\\u2029"' in text
    document = json.loads(text)
    assert [n["@id"] for n in document["@graph"] if n.get("description") == UNSAFE] == [
        BASE + seed_data["entities"][0]["id"]
    ]
    unescaped = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    assert unescaped != text
    nquads = jsonld.to_rdf(document, {"format": "application/n-quads", "documentLoader": refuse})
    from_pyld = rdflib.Graph().parse(data=nquads, format="nt")
    from_rdflib = rdflib.Graph().parse(data=text, format="json-ld")
    assert isomorphic(from_pyld, from_rdflib)
    assert isomorphic(from_rdflib, rdflib.Graph().parse(data=unescaped, format="json-ld"))
    assert rdflib.Literal(UNSAFE) in set(from_rdflib.objects(None, S.description))


def test_html_safe_leaves_other_text_alone() -> None:
    """Only the five characters change; everything else, non-ASCII included, is as it was."""
    from storyfacts.exporters.jsonld import html_safe

    assert (
        html_safe('{"a": "Путин <b> & 习近平"}') == '{"a": "Путин \\u003cb\\u003e \\u0026 习近平"}'
    )


def test_a_conflict_has_no_event_status(graph: rdflib.Graph) -> None:
    """The invasion was never scheduled: no EventScheduled; the finished visit keeps it."""
    assert graph.value(node_of("russian-invasion-of-ukraine"), S.eventStatus) is None
    visit = node_of("xi-state-visit-russia-2023")
    assert graph.value(visit, S.eventStatus) == S.EventScheduled


# Each fact once -------------------------------------------------------------

#: schema.org properties declared each other's inverse: a triple and its inverse are one fact.
INVERSES = {
    S.subjectOf: S.about,
    S.memberOf: S.member,
    S.subOrganization: S.parentOrganization,
    S.containsPlace: S.containedInPlace,
    S.subEvent: S.superEvent,
    S.hasPart: S.isPartOf,
    S.mainEntityOfPage: S.mainEntity,
}
ROLES = (S.Role, S.OrganizationRole)


def facts(graph: rdflib.Graph) -> dict[tuple[Any, Any, Any], set[str]]:
    """Every fact of the graph, with the ways it is stated: "direct", "role", "inverse".

    A holder ``p`` → Role ``p`` → value is one fact, holder ``p`` value (the
    Role's own ``p`` is its far end, not a second fact), and a triple stated
    through a property's inverse is the same fact as the triple itself.
    rdflib keeps each triple once, so a fact with two ways is stated twice.
    Two Roles of two relation records saying the same thing are one way: the
    dataset recorded it twice, with its own evidence each time.
    """
    roles = {node for kind in ROLES for node in graph.subjects(rdflib.RDF.type, kind)}
    ways: dict[tuple[Any, Any, Any], set[str]] = collections.defaultdict(set)
    for subject, prop, value in graph:
        if subject in roles and (None, prop, subject) in graph:
            continue
        if value in roles and (value, prop, None) in graph:
            for far in graph.objects(value, prop):
                ways[subject, prop, far].add("role")
        elif prop in INVERSES:
            ways[value, INVERSES[prop], subject].add("inverse")
        else:
            ways[subject, prop, value].add("direct")
    return ways


def doubled(graph: rdflib.Graph) -> list[str]:
    return sorted(
        f"{s} {p} {o}: {' and '.join(sorted(w))}"
        for (s, p, o), w in facts(graph).items()
        if len(w) > 1
    )


def parse(text: str) -> rdflib.Graph:
    with pytest.MonkeyPatch.context() as patch, warnings.catch_warnings():
        warnings.filterwarnings("ignore", "ConjunctiveGraph is deprecated", DeprecationWarning)
        block_network(patch)
        return rdflib.Graph().parse(data=text, format="json-ld")


def test_no_fact_is_stated_twice(graph: rdflib.Graph, bundled: storyfacts.Dataset) -> None:
    """Counted with rdflib: a relation the entity also states (Russia organises the Games
    of the Future, Kazan is in Russia) is written once, through its Role."""
    assert doubled(graph) == []
    games = node_of("games-of-the-future-2024")
    assert list(graph.objects(games, S.organizer)) == [
        node_of("rel-russia-hosts-games-of-the-future")
    ]
    assert list(graph.objects(games, S.location)) == [
        node_of("rel-games-of-the-future-located-in-kazan")
    ]
    relations = [s for s in bundled.statements if isinstance(s, storyfacts.Relation)]
    pointed_at = {value for _, _, value in graph if value in {node_of(r.id) for r in relations}}
    assert pointed_at == {node_of(r.id) for r in relations}  # every Role is reached


@pytest.mark.parametrize("dataset", ["every relation", "generated"])
def test_other_datasets_state_each_fact_once(
    tmp_path: Path, seed_data: dict[str, Any], dataset: str
) -> None:
    """Every relation kind (several restating an entity's own field), and a generated dataset."""
    data = with_every_relation(seed_data) if dataset == "every relation" else make_dataset(40)
    assert doubled(parse(export_text(tmp_path, data))) == []


def test_the_fact_count_finds_a_doubled_fact() -> None:
    """The count is not empty: a direct organizer beside a Role naming the same one is caught."""
    document = {
        "@context": {"@vocab": SCHEMA},
        "@graph": [
            {
                "@id": "urn:x:games",
                "@type": "Event",
                "organizer": [{"@id": "urn:x:russia"}, {"@id": "urn:x:role"}],
                "subjectOf": {"@id": "urn:x:source"},
            },
            {"@id": "urn:x:role", "@type": "Role", "organizer": {"@id": "urn:x:russia"}},
            {"@id": "urn:x:source", "@type": "CreativeWork", "about": {"@id": "urn:x:games"}},
        ],
    }
    assert doubled(parse(json.dumps(document))) == [
        "urn:x:games https://schema.org/organizer urn:x:russia: direct and role",
        "urn:x:source https://schema.org/about urn:x:games: direct and inverse",
    ]


def test_no_role_is_a_mention(graph: rdflib.Graph) -> None:
    """The article mentions people, places and things, never a Role or a statement."""
    article = node_of("itg-1135067")
    kinds = {graph.value(m, rdflib.RDF.type) for m in graph.objects(article, S.mentions)}
    assert kinds and not kinds & {*ROLES, S.Quotation, S.Claim, S.CreativeWork}


def test_a_relation_no_property_fits_is_a_statement(
    tmp_path: Path, seed_data: dict[str, Any]
) -> None:
    """A group located in a city: no schema.org property goes from a set to a place."""
    graph_ = parse(export_text(tmp_path, with_every_relation(seed_data)))
    located = rdflib.URIRef(BASE + "rel-extra-2")  # joint-statement-parties located_in moscow
    assert graph_.value(located, rdflib.RDF.type) == S.Statement
    assert graph_.value(located, S.mainEntity) == node_of("joint-statement-parties")
    assert graph_.value(located, S.about) == node_of("moscow")
    assert (None, None, located) not in graph_


# Groups ----------------------------------------------------------------------


def test_groups_are_lists_of_their_members_not_organizations(
    graph: rdflib.Graph, bundled: storyfacts.Dataset
) -> None:
    """A group is an ItemList of the members the dataset knows; where it acts, its members act."""
    groups = [e for e in bundled.entities if isinstance(e, storyfacts.Group)]
    assert {g.id for g in groups} >= {"western-countries", "russian-belarusian-athletes"}
    for group in groups:
        assert list(graph.objects(node_of(group.id), rdflib.RDF.type)) == [S.ItemList]
        members = set(graph.objects(node_of(group.id), S.itemListElement))
        assert members == {node_of(i) for i in group.members or []}
    parties = {node_of(g.id) for g in groups}
    assert not {o for _, p, o in graph if p in (S.author, S.creator)} & parties


def test_a_group_with_no_known_members_acts_as_one_party(
    tmp_path: Path, seed_data: dict[str, Any]
) -> None:
    """Western countries as a speaker: an Organization described as the group acting together."""
    quote = next(s for s in seed_data["statements"] if s["type"] == "quote")
    quote["speaker"] = "western-countries"
    text = export_text(tmp_path, seed_data)
    graph_ = parse(text)
    party = rdflib.URIRef(BASE + "western-countries/party")
    assert graph_.value(node_of(quote["id"]), S.creator) == party
    assert graph_.value(party, rdflib.RDF.type) == S.Organization
    assert "not a formal organisation" in str(graph_.value(party, S.description))
    flattened = jsonld.flatten(json.loads(text), None, {"documentLoader": refuse})
    assert range_misfits(flattened) == []


def test_a_claim_made_by_an_event_is_recorded_at_it(
    tmp_path: Path, seed_data: dict[str, Any]
) -> None:
    """An event cannot be an author, so a claim whose subject is an event is recordedAt it."""
    claim = next(s for s in seed_data["statements"] if s["type"] == "claim")
    claim["subject"] = "oca-athletes-forum-2023"
    text = export_text(tmp_path, seed_data)
    graph_ = parse(text)
    assert graph_.value(node_of(claim["id"]), S.recordedAt) == node_of("oca-athletes-forum-2023")
    assert graph_.value(node_of(claim["id"]), S.author) is None
    flattened = jsonld.flatten(json.loads(text), None, {"documentLoader": refuse})
    assert domain_misfits(flattened) == [] and range_misfits(flattened) == []


# Inferred dates --------------------------------------------------------------


def inferred_dates(dataset: storyfacts.Dataset) -> set[str]:
    """ "node property" for every date the dataset marks inferred and the graph writes."""
    found = set()
    for article in dataset.articles:
        if article.published.inferred:
            found.add(f"{article.id} datePublished")
    for source in dataset.sources:
        if source.published is not None and source.published.inferred:
            found.add(f"{source.id} datePublished")
    for entity in dataset.entities:
        if isinstance(entity, storyfacts.Event):
            for prop, date in (("startDate", entity.start), ("endDate", entity.end)):
                if date is not None and date.inferred:
                    found.add(f"{entity.id} {prop}")
    for statement in dataset.statements:
        if isinstance(statement, storyfacts.Relation):
            continue  # a Role has no date at all (OMITTED)
        if statement.date is not None and statement.date.inferred:
            found.add(f"{statement.id} dateCreated")
        effective = statement.effective if isinstance(statement, storyfacts.Decision) else None
        if effective is not None and effective.inferred:
            found.add(f"{statement.id} temporalCoverage")
    return found


@pytest.mark.parametrize("dataset", ["bundled", "generated"])
def test_an_inferred_date_carries_a_note(
    tmp_path: Path, bundled: storyfacts.Dataset, dataset: str
) -> None:
    """Each inferred date, and only those, has a Comment the node is subjectOf."""
    data = bundled if dataset == "bundled" else make_dataset(40)
    base = BASE if dataset == "bundled" else f"urn:storyfacts:{data.id}:"
    graph_ = parse(export_text(tmp_path, data))
    notes = set()
    for comment in graph_.subjects(rdflib.RDF.type, S.Comment):
        node, prop = str(comment).removeprefix(base).rsplit("/", 1)
        assert prop.endswith("-inferred")
        assert (rdflib.URIRef(base + node), S.subjectOf, comment) in graph_
        notes.add(f"{node} {prop.removesuffix('-inferred')}")
    expected = inferred_dates(data)
    assert notes == expected
    assert expected  # both datasets have inferred dates
    if dataset == "bundled":
        note = graph_.value(node_of("itg-1135067"), S.subjectOf)
        assert str(graph_.value(note, S.text)).startswith("datePublished: 2023-03-22 was inferred")


#: One entity of each kind in the bundled data.
ONE_OF_EACH_KIND = ("putin", "ioc", "russia", "moscow", "paris-2024", "western-countries")


def test_every_relation_between_every_kind_fits_the_vocabulary(
    tmp_path: Path, seed_data: dict[str, Any]
) -> None:
    """All 7 relations from and to each of the 6 kinds (294 relations): each is a Role whose
    property fits both ends, or a Statement; no triple leaves schema.org's domains and ranges,
    and no fact is stated twice."""
    relations = storyfacts.json_schema()["$defs"]["Relation"]["properties"]["relation"]["enum"]
    evidence = seed_data["statements"][0]["evidence"]
    for relation in relations:
        for subject in ONE_OF_EACH_KIND:
            for obj in ONE_OF_EACH_KIND:
                seed_data["statements"].append(
                    {
                        "id": f"rel-all-{relation.replace('_', '-')}-{subject}-{obj}",
                        "type": "relation",
                        "summary": f"{subject} {relation} {obj}.",
                        "evidence": evidence,
                        "subject": subject,
                        "relation": relation,
                        "object": obj,
                    }
                )
    text = export_text(tmp_path, seed_data)
    flattened = jsonld.flatten(json.loads(text), None, {"documentLoader": refuse})
    assert domain_misfits(flattened) == []
    assert range_misfits(flattened) == []
    assert doubled(parse(text)) == []
    kinds = collections.Counter(
        term(n["@type"][0]) for n in flattened if n["@id"].startswith(BASE + "rel-all-")
    )
    assert sum(kinds.values()) == len(relations) * len(ONE_OF_EACH_KIND) ** 2
    assert kinds["Role"] and kinds["OrganizationRole"] and kinds["Statement"]


def test_the_relation_rules_name_the_vocabulary_s_own_domains_and_ranges() -> None:
    """Each rule's holder classes are in its property's domainIncludes, its values in the range."""
    from storyfacts.schemaorg.relations import RULES

    props = vocabulary()["properties"]
    for rule in RULES:
        domain, range_ = props[rule.prop]["domainIncludes"], props[rule.prop]["rangeIncludes"]
        assert all(ancestors(c) & set(domain) for c in rule.domain), rule
        assert all(ancestors(c) & set(range_) for c in rule.range), rule


def test_bytes_do_not_depend_on_the_hash_seed(tmp_path: Path) -> None:
    """A process with another PYTHONHASHSEED writes the same bytes (no set order leaks)."""
    here = storyfacts.export(None, "jsonld", tmp_path / "here.jsonld").read_bytes()
    target = tmp_path / "there.jsonld"
    code = "import storyfacts, sys; storyfacts.export(None, 'jsonld', sys.argv[1])"
    seed = "1" if os.environ.get("PYTHONHASHSEED") != "1" else "2"
    env = {**os.environ, "PYTHONHASHSEED": seed}
    subprocess.run([sys.executable, "-c", code, str(target)], check=True, env=env)
    assert target.read_bytes() == here
    assert b'"@type": "ItemList"' in here
