"""Datasets to test with: a generated one of any size, in three scripts, and empty ones."""

from __future__ import annotations

import random
from typing import Any

from .. import kinds
from ..loading import load
from ..model import Dataset
from ..schema import SCHEMA_VERSION

__all__ = ["MODIFIED", "empty_dataset", "make_dataset"]

MODIFIED = "2024-06-01T12:00:00Z"

# One cast per script, so that every kind of record has text in each. The
# names hold no commas, quotes or markup characters: a format may escape
# those, and then the names could not be searched for verbatim.
_CAST_FIELDS = "person role organization kind country iso place event group quote source"
_CAST: dict[str, dict[str, str]] = {
    script: dict(zip(_CAST_FIELDS.split(), values.split(" | "), strict=True))
    for script, values in {
        "latin": "Zoë Bäumler | Sportministerin | Österreichischer Sportverband | sports_body"
        " | Österreich | AT | Klagenfurt am Wörthersee | Sportgipfel am Wörthersee"
        " | Mitteleuropäische Länder | Wir unterstützen diese Initiative von ganzem Herzen"
        " | Tätigkeitsbericht des Sportverbands",
        "cyrillic": "Анна Петрова | Министр спорта | Агентство спортивных новостей"
        " | news_agency | Россия | RU | Новосибирск | Спортивный форум в Новосибирске"
        " | Северные страны | Мы полностью поддерживаем эту инициативу"
        " | Годовой отчёт агентства",
        "chinese": "王小明 | 体育部长 | 亚洲体育联合会 | sports_federation | 中国 | CN | 杭州"
        " | 杭州体育论坛 | 亚洲国家 | 我们全力支持这一倡议 | 联合会年度报告",
    }.items()
}
_SCRIPTS = tuple(_CAST)
_STATEMENT_KINDS = kinds.CATEGORIES["statement"]
_STANCES = ("supports", "opposes", "welcomes", "condemns", "fears", "expects", "offers")


def _date(value: str, precision: str, **extra: Any) -> dict[str, Any]:
    return {"value": value, "precision": precision, **extra}


# The events start at each precision in turn: year, month and day.
_EVENT_DATES: dict[str, dict[str, Any]] = {
    "latin": {
        "start": _date("2025", "year", phrase="next year", source="source-latin", inferred=True),
        "status": "proposed",
    },
    "cyrillic": {
        "start": _date("2024-05", "month", phrase="in May"),
        "end": _date("2024-05-20", "day"),
        "status": "scheduled",
    },
    "chinese": {
        "start": _date("2024-04-02", "day"),
        "end": _date("2024-04-04", "day"),
        "status": "completed",
    },
}


class _Body:
    """An article body written sentence by sentence, giving evidence for what it says."""

    def __init__(self, article: str) -> None:
        self.article = article
        self.sentences: list[str] = []
        self.length = 0

    def add(self, sentence: str) -> dict[str, Any]:
        """Append ``sentence`` and return the evidence for it."""
        self.length += 1 if self.sentences else 0
        self.sentences.append(sentence)
        self.length += len(sentence)
        return self.mention(sentence)

    def mention(self, words: str) -> dict[str, Any]:
        """Evidence for ``words`` in the last sentence added."""
        start = self.length - len(self.sentences[-1]) + self.sentences[-1].index(words)
        return {"article": self.article, "start": start, "end": start + len(words), "text": words}

    @property
    def text(self) -> str:
        return " ".join(self.sentences)


def _entity(script: str, type_: str, /, **fields: Any) -> dict[str, Any]:
    return {"id": f"{type_}-{script}", "type": type_, "name": _CAST[script][type_], **fields}


def _entities(body: _Body) -> list[dict[str, Any]]:
    people = [cast["person"] for cast in _CAST.values()]
    body.add(f"{', '.join(people[:-1])} and {people[-1]} met this week.")
    out: list[dict[str, Any]] = []
    for script, cast in _CAST.items():
        country, mention = f"country-{script}", body.mention(cast["person"])
        out += [
            _entity(
                script, "person", roles=[cast["role"]], nationality=country, evidence=[mention]
            ),
            _entity(script, "organization", kind=cast["kind"], country=country),
            _entity(script, "country", iso_code=cast["iso"]),
            _entity(script, "place", country=country),
            _entity(
                script,
                "event",
                kind="forum",
                location=f"place-{script}",
                organizer=f"organization-{script}",
                **_EVENT_DATES[script],
            ),
            _entity(script, "group", members=[country], sources=[f"source-{script}"]),
        ]
    return out


def _statement(i: int, rng: random.Random, body: _Body) -> dict[str, Any]:
    script = _SCRIPTS[i % 3]
    cast = _CAST[script]
    person, org, event = cast["person"], cast["organization"], cast["event"]
    kind = _STATEMENT_KINDS[i % len(_STATEMENT_KINDS)]
    record: dict[str, Any] = {"id": f"{kind}-{i + 1}", "type": kind}
    if kind == "quote":
        text = f"{cast['quote']} ({i + 1})."
        sentence = f"{person} said: «{text}»"
        record |= {
            "summary": f"{person} backs the {event}.",
            "text": text,
            "speaker": f"person-{script}",
            "about": [f"event-{script}"],
        }
        if rng.random() < 0.5:
            record |= {"reported_by": "organization-cyrillic", "medium": "interview"}
    elif kind == "claim":
        stance = rng.choice(_STANCES)
        sentence = f"The {org} {stance} the {event}."
        record |= {
            "summary": sentence,
            "subject": f"organization-{script}",
            "stance": stance,
            "object": f"event-{script}",
        }
        if rng.random() < 0.5:
            record |= {"object_text": f"plans for the {event}", "attributed_to": f"person-{script}"}
    elif kind == "decision":
        sentence = f"The {org} decided to hold the {event} in {cast['place']}."
        effective = _date(
            f"2025-{rng.randint(1, 12):02d}",
            "month",
            phrase="from next year",
            source=f"source-{script}",
            inferred=True,
        )
        record |= {
            "summary": f"The {org} will hold the {event}.",
            "decided_by": f"organization-{script}",
            "decision": f"Hold the {event} in {cast['place']}.",
            "about": [f"event-{script}"],
            "effective": effective,
            "votes_for": rng.randint(0, 99),
            "votes_against": rng.randint(0, 99),
            "sources": [f"source-{script}"],
        }
    elif kind == "relation":
        sentence = f"{person} is {cast['role']} of {cast['country']}."
        record |= {
            "summary": sentence,
            "subject": f"person-{script}",
            "relation": "role_in",
            "object": f"country-{script}",
            "role": cast["role"],
        }
    else:
        raise ValueError(f"the generator has no example of a {kind}")
    record["evidence"] = [body.add(sentence)]
    if rng.random() < 0.7:
        precision = rng.choice(("year", "month", "day"))
        value = f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        record["date"] = _date(value[: {"year": 4, "month": 7, "day": 10}[precision]], precision)
    return record


def make_dataset(n_statements: int = 12, *, seed: int = 0) -> Dataset:
    """A valid, generated dataset for tests; the same arguments always give the same dataset.

    It has two articles, every entity type, and text in Latin (with
    diacritics), Cyrillic and Chinese. Statements take turns as quote, claim,
    decision and relation, and as Latin, Cyrillic and Chinese, so 12 or more
    statements include every statement type in every script. Dates come in
    every precision: year, month and day. ``seed`` varies stances, dates and
    votes, never validity.
    """
    rng = random.Random(seed)
    bodies = [_Body("article-1"), _Body("article-2")]
    entities = _entities(bodies[0])
    bodies[1].add(f"Große Pläne für den Sport: {_CAST['latin']['event']}.")
    statements = [_statement(i, rng, bodies[i % 2]) for i in range(n_statements)]
    articles = [
        _article(
            1,
            "Sports ministers back forums in Novosibirsk and Hangzhou",
            "cyrillic",
            _date("2024-03-15", "day", phrase="on Friday"),
            bodies[0].text,
        ),
        _article(
            2,
            "Große Pläne für den Sport am Wörthersee",
            "latin",
            _date("2024-03", "month", source="source-latin", inferred=True),
            bodies[1].text,
        ),
    ]
    sources = [
        {
            "id": f"source-{script}",
            "title": cast["source"],
            "url": f"https://example.org/sources/{script}",
            "publisher": cast["organization"],
            "published": _date("2023", "year"),
        }
        for script, cast in _CAST.items()
    ]
    title = f"Generated dataset (seed {seed}, {n_statements} statements)"
    return _dataset(f"generated-{seed}", title, articles, entities, statements, sources)


def _article(
    n: int, headline: str, publisher: str, published: dict[str, Any], body: str
) -> dict[str, Any]:
    return {
        "id": f"article-{n}",
        "headline": headline,
        "url": f"https://example.org/news/{n}",
        "publisher": f"organization-{publisher}",
        "published": published,
        "language": "en",
        "body": body,
    }


def _dataset(id: str, title: str, *sections: list[dict[str, Any]]) -> Dataset:
    names = [section.name for section in kinds.SECTIONS]
    return load(
        {
            "schema_version": SCHEMA_VERSION,
            "id": id,
            "title": title,
            "modified": MODIFIED,
            **dict(zip(names, sections, strict=True)),
        }
    )


def empty_dataset(*, with_article: bool = False) -> Dataset:
    """A dataset with no records; ``with_article=True`` gives it one article and its publisher."""
    if not with_article:
        return _dataset("empty", "An empty dataset", [], [], [], [])
    publisher = {"id": "organization-x", "type": "organization", "name": "Publisher"}
    article = _article(1, "Nothing happened", "x", _date("2024", "year"), "Nothing happened.")
    return _dataset("one-article", "One article", [article], [publisher], [], [])
