"""No work cites itself, and a relation's date is written where schema.org can hold it.

Counted as triples with rdflib (and pyld for the vocabulary's domains and ranges).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import rdflib
from pyld import jsonld

import storyfacts
from storyfacts.testing import make_dataset
from test_export_jsonld import (
    BASE,
    S,
    domain_misfits,
    export_text,
    node_of,
    parse,
    range_misfits,
    refuse,
    with_every_relation,
)

ARTICLE = node_of("itg-1135067")
ITSELF = node_of("itg-1135067-source")
NOTE = rdflib.URIRef(BASE + "itg-1135067/datePublished-inferred")
IBA = (
    "rel-russia-participates-in-iba-championships",
    "rel-belarus-participates-in-iba-championships",
)


def self_citations(graph: rdflib.Graph) -> list[tuple[str, str]]:
    """(work, cited) for each citation of itself or of a work with one of its urls."""
    found = []
    for work, cited in graph.subject_objects(S.citation):
        urls = set(graph.objects(work, S.url))
        if work == cited or urls & set(graph.objects(cited, S.url)):
            found.append((str(work), str(cited)))
    return found


def fits_the_vocabulary(text: str) -> None:
    flattened = jsonld.flatten(json.loads(text), None, {"documentLoader": refuse})
    assert domain_misfits(flattened) == []
    assert range_misfits(flattened) == []


# The article and its own source -----------------------------------------------


def test_the_article_does_not_cite_its_own_source_record(tmp_path: Path) -> None:
    """The seed's date source is the story itself: the inferred-date note cites it, not it."""
    text = export_text(tmp_path)
    graph = parse(text)
    assert graph.value(ITSELF, S.url) == graph.value(ARTICLE, S.url)
    assert len(list(graph.triples((ARTICLE, S.citation, None)))) == 0
    assert list(graph.triples((None, S.citation, ITSELF))) == [(NOTE, S.citation, ITSELF)]
    assert (ARTICLE, S.subjectOf, NOTE) in graph
    assert graph.value(NOTE, rdflib.RDF.type) == S.Comment
    assert self_citations(graph) == []
    fits_the_vocabulary(text)


def test_another_source_of_the_date_is_still_the_article_s_citation(
    tmp_path: Path, seed_data: dict[str, Any]
) -> None:
    """A source that is another work (a copy elsewhere, dated) is cited by the article."""
    source = next(s for s in seed_data["sources"] if s["id"] == "itg-1135067-source")
    source["url"] = "https://example.org/a-copy-of-the-story"
    graph = parse(export_text(tmp_path, seed_data))
    assert list(graph.triples((None, S.citation, ITSELF))) == [(ARTICLE, S.citation, ITSELF)]
    assert len(list(graph.triples((NOTE, S.citation, None)))) == 0


def test_a_source_that_is_the_article_with_a_date_read_from_it_is_not_cited(
    tmp_path: Path, seed_data: dict[str, Any]
) -> None:
    """Not inferred, there is no note: the article's date is its own, and nothing cites itself."""
    del seed_data["articles"][0]["published"]["inferred"]
    graph = parse(export_text(tmp_path, seed_data))
    assert len(list(graph.triples((None, S.citation, ITSELF)))) == 0
    assert len(list(graph.triples((NOTE, None, None)))) == 0
    assert (ITSELF, rdflib.RDF.type, S.CreativeWork) in graph


def test_no_generated_work_cites_itself(tmp_path: Path) -> None:
    """Across a generated dataset, every citation names another work."""
    graph = parse(export_text(tmp_path, make_dataset(40)))
    assert len(list(graph.triples((None, S.citation, None)))) > 0
    assert self_citations(graph) == []


# A relation's date ------------------------------------------------------------


def statement_of(relation_id: str) -> rdflib.URIRef:
    return rdflib.URIRef(BASE + relation_id + "/statement")


def test_a_role_with_a_date_is_subject_of_a_statement_made_then(tmp_path: Path) -> None:
    """Russia and Belarus at the IBA championships, stated 'This week' (2023-W12): one
    Statement each, with that dateCreated, and no startDate or endDate on the Role."""
    text = export_text(tmp_path)
    graph = parse(text)
    created = list(graph.subject_objects(S.dateCreated))
    for relation_id in IBA:
        stated = statement_of(relation_id)
        assert (node_of(relation_id), S.subjectOf, stated) in graph
        assert graph.value(stated, rdflib.RDF.type) == S.Statement
        assert [str(o) for s, o in created if s == stated] == ["2023-W12"]
        assert (node_of(relation_id), S.subjectOf, node_of("khaleejtimes-2023-03-26")) in graph
        for prop in (S.startDate, S.endDate, S.dateCreated):
            assert len(list(graph.triples((node_of(relation_id), prop, None)))) == 0
    # Only the relations with a date have one: 2 of the seed's 13.
    assert len(list(graph.triples((None, rdflib.RDF.type, S.Statement)))) == 2
    fits_the_vocabulary(text)


def test_an_inferred_relation_date_carries_a_note(
    tmp_path: Path, seed_data: dict[str, Any]
) -> None:
    """The statement that holds the date is subjectOf the note that the date was inferred."""
    relation = next(s for s in seed_data["statements"] if s["id"] == IBA[0])
    relation["date"]["inferred"] = True
    graph = parse(export_text(tmp_path, seed_data))
    note = rdflib.URIRef(str(statement_of(IBA[0])) + "/dateCreated-inferred")
    assert (statement_of(IBA[0]), S.subjectOf, note) in graph
    assert graph.value(note, rdflib.RDF.type) == S.Comment


def test_a_relation_written_as_a_statement_has_its_date(
    tmp_path: Path, seed_data: dict[str, Any]
) -> None:
    """A group located in a city is a Statement itself, so the date is its own dateCreated."""
    data = with_every_relation(seed_data)
    located = next(s for s in data["statements"] if s["id"] == "rel-extra-2")
    located["date"] = {"value": "2023-03-21", "precision": "day"}
    text = export_text(tmp_path, data)
    graph = parse(text)
    node = node_of("rel-extra-2")
    assert graph.value(node, rdflib.RDF.type) == S.Statement
    assert [str(o) for o in graph.objects(node, S.dateCreated)] == ["2023-03-21"]
    assert len(list(graph.triples((statement_of("rel-extra-2"), None, None)))) == 0
    fits_the_vocabulary(text)


def test_every_relation_date_of_a_dataset_is_in_the_graph(tmp_path: Path) -> None:
    """Each dated relation of a generated dataset gives exactly one dateCreated, its own."""
    dataset = make_dataset(40)
    relations = [s for s in dataset.statements if isinstance(s, storyfacts.Relation) and s.date]
    assert relations
    graph = parse(export_text(tmp_path, dataset))
    base = f"urn:storyfacts:{dataset.id}:"
    for relation in relations:
        assert relation.date is not None
        holders = [
            rdflib.URIRef(base + relation.id),
            rdflib.URIRef(base + relation.id + "/statement"),
        ]
        dates = [str(o) for h in holders for o in graph.objects(h, S.dateCreated)]
        assert dates == [relation.date.value]
