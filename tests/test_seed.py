"""The bundled dataset models the whole seed story, faithfully."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import storyfacts

ROOT = Path(__file__).resolve().parent.parent
STORY = (ROOT / "seeds" / "putin-xi-olympics-2023.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def dataset() -> storyfacts.Dataset:
    return storyfacts.load_bundled()


def test_article_body_is_the_story(dataset: storyfacts.Dataset) -> None:
    """The article body is the seed story's text exactly."""
    (article,) = dataset.articles
    assert article.body == STORY
    assert article.url == "https://www.insidethegames.biz/articles/1135067/putin-sport-china"
    assert (article.published.value, article.published.precision) == ("2023-03-22", "day")
    assert article.published.inferred is True


@pytest.mark.parametrize(
    ("name", "type_"),
    [
        ("Vladimir Putin", "person"),
        ("Xi Jinping", "person"),
        ("International Olympic Committee", "organization"),
        ("IOC Executive Board", "organization"),
        ("Olympic Council of Asia", "organization"),
        ("OCA Athletes' Forum", "organization"),
        ("International Fencing Federation", "organization"),
        ("International Boxing Association", "organization"),
        ("Association of National Olympic Committees of Africa", "organization"),
        ("Shanghai Cooperation Organisation", "organization"),
        ("TASS", "organization"),
        ("Getty Images", "organization"),
        ("Russia", "country"),
        ("China", "country"),
        ("Belarus", "country"),
        ("Ukraine", "country"),
        ("Western countries", "group"),
        ("Moscow", "place"),
        ("Paris", "place"),
        ("Kazan", "place"),
        ("New Delhi", "place"),
    ],
)
def test_named_entities_are_present(dataset: storyfacts.Dataset, name: str, type_: str) -> None:
    """Every person, organisation, country, place and group the story names is there."""
    names = {(e.name, e.type) for e in dataset.entities}
    names |= {(alias, e.type) for e in dataset.entities for alias in e.aliases or ()}
    assert (name, type_) in names


def test_events_the_story_mentions(dataset: storyfacts.Dataset) -> None:
    """The story's events are modelled with public-record dates and kept precisions."""
    events = {e.id: e for e in dataset.entities if isinstance(e, storyfacts.Event)}
    by_start = {(e.start.value if e.start else None) for e in events.values()}
    for value in (
        "2023-03-20",
        "2022-02-24",
        "2023-03-28",
        "2024-07-26",
        "2023-09-23",
        "2023-04",
        "2023-03-15",
        "2023-03-18",
        "2024-02-21",
    ):
        assert value in by_start, value
    fie = next(e for e in events.values() if e.start and e.start.value == "2023-04")
    assert fie.start is not None
    assert (fie.start.precision, fie.start.phrase, fie.start.inferred) == (
        "month",
        "from April",
        True,
    )
    assert any(e.status == "proposed" and e.start is None for e in events.values())


def test_every_quote_in_the_story_is_modelled(dataset: storyfacts.Dataset) -> None:
    """Each quoted passage of the story is the text of some quote, verbatim."""
    quotes = [s.text for s in dataset.statements if isinstance(s, storyfacts.Quote)]
    passages = re.findall(r'(?:^|(?<=\s))"([^"\n]{20,})', STORY, re.M)
    assert len(passages) >= 9
    for passage in passages:
        words = passage.rstrip(",.")
        assert any(words[:40] in q for q in quotes), passage
    assert all(q in STORY for q in quotes)


def test_quotes_have_speaker_and_reporter(dataset: storyfacts.Dataset) -> None:
    """Quotes reported by TASS say so; every quote has a speaker."""
    quotes = [s for s in dataset.statements if isinstance(s, storyfacts.Quote)]
    assert all(q.speaker for q in quotes)
    assert sum(q.reported_by == "tass" for q in quotes) >= 4


def test_fie_vote_is_a_decision_with_counts(dataset: storyfacts.Dataset) -> None:
    """The FIE vote carries its date, effective month and the 89-46 count."""
    (vote,) = [
        s
        for s in dataset.statements
        if isinstance(s, storyfacts.Decision) and s.votes_for is not None
    ]
    assert (vote.votes_for, vote.votes_against) == (89, 46)
    assert vote.date is not None and vote.date.value == "2023-03-10"
    assert vote.effective is not None
    assert (vote.effective.value, vote.effective.precision) == ("2023-04", "month")


def test_sco_membership_relations(dataset: storyfacts.Dataset) -> None:
    """Russia and China are SCO members, as relations."""
    members = {
        s.subject
        for s in dataset.statements
        if isinstance(s, storyfacts.Relation) and s.relation == "member_of" and s.object == "sco"
    }
    assert {"russia", "china"} <= members


def test_every_statement_kind_and_stance_needed(dataset: storyfacts.Dataset) -> None:
    """Claims cover welcome, opposition, support, fear and offer."""
    stances = {s.stance for s in dataset.statements if isinstance(s, storyfacts.Claim)}
    assert {"welcomes", "opposes", "supports", "fears", "offers", "condemns"} <= stances


def test_every_source_is_cited(dataset: storyfacts.Dataset) -> None:
    """Each source is cited by a date or a record; none is dead weight."""
    text = storyfacts.dumps(dataset)
    for source in dataset.sources:
        assert text.count(f'"{source.id}"') >= 2, source.id


def test_resolved_dates_cite_sources_and_keep_phrases(dataset: storyfacts.Dataset) -> None:
    """A date with a story phrase resolved from the record names its source."""
    dates = [
        d
        for e in dataset.entities
        if isinstance(e, storyfacts.Event)
        for d in (e.start, e.end)
        if d is not None
    ]
    assert dates
    assert all(d.source for d in dates)
    phrases = {d.phrase for d in dates if d.phrase}
    assert {"next week", "from April", "last week"} <= phrases
    assert all(p in STORY for p in phrases)
