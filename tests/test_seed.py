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
        ("Russian and Belarusian athletes", "group"),
        ("SCO sports association", "organization"),
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
    assert "sco-sports-association" not in events


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
    """Quotes the story says TASS reported say so, and only those; every quote has a speaker."""
    quotes = [s for s in dataset.statements if isinstance(s, storyfacts.Quote)]
    assert all(q.speaker for q in quotes)
    assert sorted(q.id for q in quotes if q.reported_by == "tass") == [
        "quote-joint-statement-opposes-politicisation",
        "quote-joint-statement-welcomes-ioc-oca",
        "quote-putin-western-countries-pressure",
    ]


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
    assert {"next week", "from April", "February last year"} <= phrases
    assert all(p in STORY for p in phrases)


def _runs(text: str, names: list[str], run: int) -> set[str]:
    """Runs of ``run`` words, never across a name, so that naming is not repeating."""
    pattern = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    runs: set[str] = set()
    for segment in re.split(pattern, text):
        words = re.findall(r"[a-z0-9']+", segment.lower())
        runs |= {" ".join(words[i : i + run]) for i in range(len(words) - run + 1)}
    return runs


def _repeats(sentence: str, quote: str, names: list[str], run: int = 4) -> bool:
    """Whether the sentence repeats the quote whole or a run of its own words."""
    whole = " ".join(re.findall(r"[a-z0-9']+", quote.lower()))
    if whole in " ".join(re.findall(r"[a-z0-9']+", sentence.lower())):
        return True
    return bool(_runs(sentence, names, run) & _runs(quote, names, run))


def test_descriptions_name_only_the_speakers_of_the_words_they_repeat(
    dataset: storyfacts.Dataset,
) -> None:
    """A description or summary that repeats a quote's words names no one but its speakers."""
    by_id = {e.id: e for e in dataset.entities}
    quotes = [s for s in dataset.statements if isinstance(s, storyfacts.Quote)]
    # Who could be credited with words: people, and the groups of people that speak.
    # (Organisations are named in summaries as what the words are about, too often to tell.)
    people = [
        e
        for e in dataset.entities
        if isinstance(e, storyfacts.Person)
        or (isinstance(e, storyfacts.Group) and e.id in {q.speaker for q in quotes})
    ]

    def speakers(ref: str) -> set[str]:
        record = by_id.get(ref)
        if isinstance(record, storyfacts.Group):
            return {ref, *(record.members or [])}
        return {ref}

    def named_in(sentence: str) -> set[str]:
        found: set[str] = set()
        for record in people:
            spellings = [record.name, *(record.aliases or [])]
            if any(re.search(rf"\b{re.escape(n)}\b", sentence) for n in spellings):
                found |= speakers(record.id)
        return found

    names = [n for e in dataset.entities for n in [e.name, *(e.aliases or [])]]
    texts = [(e.id, e.description) for e in dataset.entities if e.description]
    texts += [(s.id, s.summary) for s in dataset.statements]
    checked = 0
    for record_id, text in texts:
        for sentence in re.split(r"(?<=[.;])\s+", text):
            repeated = [q for q in quotes if _repeats(sentence, q.text, names)]
            if not repeated:
                continue
            checked += 1
            allowed = set().union(*(speakers(q.speaker) for q in repeated))
            assert named_in(sentence) <= allowed, (record_id, sentence)
    assert checked >= 5


def test_the_headline_is_marked_as_the_datasets_own(dataset: storyfacts.Dataset) -> None:
    """The published headline is not on record, so the record says it wrote its own."""
    (article,) = dataset.articles
    assert article.headline_supplied is True
    assert article.headline not in STORY


def test_no_two_statements_repeat_the_same_words_with_the_same_evidence(
    dataset: storyfacts.Dataset,
) -> None:
    """A claim that only restates a quote, on the same passages, is not kept beside it."""
    seen: dict[tuple[tuple[int, int], ...], str] = {}
    for statement in dataset.statements:
        if isinstance(statement, storyfacts.Relation):
            continue  # two relations may rest on one sentence ("both nations")
        spans = tuple(sorted((e.start or 0, e.end or 0) for e in statement.evidence))
        assert spans not in seen, (statement.id, seen.get(spans))
        seen[spans] = statement.id


def test_no_entity_is_one_mention_modelled_twice(dataset: storyfacts.Dataset) -> None:
    """No two entities of one name (say a forum and its meeting) rest on the same mention."""
    by_start: dict[int | None, list[str]] = {}
    for entity in dataset.entities:
        if entity.evidence:
            by_start.setdefault(entity.evidence[0].start, []).append(entity.name)
    for names in by_start.values():
        for name in names:
            others = [n for n in names if n != name]
            assert not any(n.startswith(name) for n in others), names
    assert any(len(names) > 1 for names in by_start.values())  # shared mentions exist


def test_judgements_of_attribution(dataset: storyfacts.Dataset) -> None:
    """The reporter's expectation, an unattributed quote and an unsourced ban say so."""
    by_id = {s.id: s for s in dataset.statements}
    expected = by_id["claim-ioc-eb-expected-to-discuss-paris-2024"]
    assert isinstance(expected, storyfacts.Claim)
    assert (expected.subject, expected.about) == ("insidethegames", ["paris-2024"])
    kazan = by_id["quote-joint-statement-games-of-the-future"]
    assert isinstance(kazan, storyfacts.Quote) and kazan.reported_by is None
    (passage,) = kazan.evidence
    assert passage.text.endswith('," the joint statement said.')
    ban = by_id["decision-olympic-ban-russia-belarus"]
    assert isinstance(ban, storyfacts.Decision)
    assert ban.sources == ["public-record"] and len(ban.evidence) == 1
    assert "expelling" not in ban.evidence[0].text
    move = by_id["decision-ioc-neutral-athletes"]
    assert isinstance(move, storyfacts.Decision) and move.decided_by == "ioc"
    unseemly = by_id["quote-presidents-unseemly-purposes"]
    assert isinstance(unseemly, storyfacts.Quote)
    assert (unseemly.text, unseemly.speaker) == ("unseemly purposes", "joint-statement-parties")


def test_date_phrases_sit_on_the_dates_they_name(dataset: storyfacts.Dataset) -> None:
    """'This week' dates the boxers' competing, not a start in the week before."""
    by_id = {e.id: e for e in dataset.entities}
    iba = by_id["iba-womens-world-boxing-championships-2023"]
    future = by_id["games-of-the-future-2024"]
    assert isinstance(iba, storyfacts.Event) and isinstance(future, storyfacts.Event)
    assert iba.start is not None and iba.start.phrase is None
    assert future.start is not None and future.start.phrase == "in 2024"
    assert future.end is not None and future.end.phrase is None
    this_week = [
        s.date
        for s in dataset.statements
        if isinstance(s, storyfacts.Relation) and s.date and s.date.phrase == "This week"
    ]
    assert [(d.value, d.precision) for d in this_week] == [("2023-W12", "week")] * 2
    (forum,) = [
        s
        for s in dataset.statements
        if isinstance(s, storyfacts.Claim) and s.subject == "oca-athletes-forum"
    ]
    assert forum.date is not None
    assert (forum.date.value, forum.date.precision, forum.date.phrase) == (
        "2023-W11",
        "week",
        "last week",
    )


def test_relations_cite_sources_only_for_what_they_carry(dataset: storyfacts.Dataset) -> None:
    """A source cited by a relation is not described as the source of a date it lacks."""
    sources = {s.id: s for s in dataset.sources}
    for relation in dataset.statements:
        if isinstance(relation, storyfacts.Relation) and relation.date is None:
            for ref in relation.sources or []:
                assert "date of" not in (sources[ref].note or ""), (relation.id, ref)
